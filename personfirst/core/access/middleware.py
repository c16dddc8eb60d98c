"""Keep, for one request, what the signed-in person may reach.

A page asks "is this person a platform administrator / a member of this
organisation / a worker it shares with?" many times (the navigation, the
pillars' links, the rules). Each answer would be a query; with this, the
first question loads every grant they hold now and what organisations share
with their support organisations (roles._Reach), and the rest are answered
from it. The copy lives on this request's user object only; a grant saved
or deleted during the request makes it load again (roles.forget_cached_access).
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
