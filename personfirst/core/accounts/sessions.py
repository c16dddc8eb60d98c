"""Sessions end after an hour without a request (SESSION_COOKIE_AGE), and
each request starts the hour again, but the session row is written at most
once a minute for it.

Django's SESSION_SAVE_EVERY_REQUEST writes the session on every request:
one write transaction per page, which on SQLite also queues behind every
other writer (bench/README.md, finding 3). Here a request starts the hour
again only when the last start was at least REFRESH_SECONDS ago, by
noting the time in the session, which SessionMiddleware then saves with a
new expiry date and cookie. So a session ends between 59 and 60 minutes
after its last request, never later.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

REFRESH_SECONDS = 60
KEY = "_idle_started"  # when the hour was last started (seconds since the epoch)


class IdleSessionMiddleware:
    """Comes after SessionMiddleware, so that it marks the session before that saves it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or session.session_key is None or session.is_empty():
            return response  # no session (signed out, or signed out by this request): nothing to keep alive
        now = int(time.time())
        if now - session.get(KEY, 0) >= REFRESH_SECONDS:
            session[KEY] = now
        return response
