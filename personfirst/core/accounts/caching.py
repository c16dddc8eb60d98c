"""Nothing sent to a signed-in person is kept by a browser or a shared cache.

Pages, downloads and API answers for someone signed in (by session or by
API token) can hold personal data, so every one of them is sent with
Django's "never cache" headers: ``Cache-Control: max-age=0, no-cache,
no-store, must-revalidate, private`` and an ``Expires`` in the past. The
back button then asks the server again, which signs a closed session out,
and a proxy never keeps one person's page to hand to another.

Answers to people who are signed out are left as they are.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth import SESSION_KEY
from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


def signed_in(request: HttpRequest) -> bool:
    user = getattr(request, "user", None)
    if user is not None:
        return user.is_authenticated
    # Answered before AuthenticationMiddleware ran (a redirect to add a slash):
    # the session still says whether someone is signed in.
    session = getattr(request, "session", None)
    return session is not None and SESSION_KEY in session


class PrivateResponsesMiddleware:
    """Comes after SessionMiddleware and before the middleware that may
    replace a response (api.middleware.JsonErrorsForApiMiddleware), so it
    marks the response that is actually sent."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if signed_in(request):
            add_never_cache_headers(response)
        return response
