"""Hold someone who must use two-factor sign-in, or who has turned it on, on the
set-up and code pages until they have entered a code (see two_factor.py)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from personfirst.core.access.roles import needs_two_factor

from . import two_factor

# The only pages such a person may open before entering a code.
OPEN_BEFORE_A_CODE = frozenset({"accounts:sign-out", "accounts:two-factor-set-up", "accounts:two-factor-code"})
# Answered by token, never by the session (the API), or public with no session (the directory feed).
NOT_SESSION_PATHS = ("/api/", "/oruk/")


def verified(user) -> bool:
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def _page(request: HttpRequest) -> str | None:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return None


class TwoFactorMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not request.path_info.startswith(NOT_SESSION_PATHS)
            and not verified(user)
            and (needs_two_factor(user) or two_factor.is_set_up(user))
            and _page(request) not in OPEN_BEFORE_A_CODE
        ):
            name = "accounts:two-factor-code" if two_factor.is_set_up(user) else "accounts:two-factor-set-up"
            target = reverse(name)
            if request.method == "GET":
                target += "?" + urlencode({"next": request.get_full_path()})
            return HttpResponseRedirect(target)
        return self.get_response(request)
