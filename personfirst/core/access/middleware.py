"""Keep, for one request, which roles the signed-in person holds.

A page asks "is this person a platform administrator / a development worker
/ a commissioner anywhere?" several times (the navigation, the pillars'
links, the rules). Each answer would be a query; with this, the first
question loads every role they hold now, once, and the rest are answered
from it. Questions about one organisation, area or record still ask the
database. The set lives on this request's user object only, so a change of
role counts from the next request.
"""

from __future__ import annotations

from .roles import ROLE_CACHE


class RolesForTheRequestMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None:
            setattr(user, ROLE_CACHE, {})
        return self.get_response(request)
