"""The JSON API at /api/v1/ (django-ninja), described at /api/v1/openapi.json.

Every endpoint authenticates with a personal token and asks the rules
module (access.rules) about each object, exactly as the web pages do.
Every error is JSON: {"detail": "...", "errors": [...]?}.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from personfirst.core.accounts.models import ApiToken, scopes_needed
from personfirst.core.pages.views import too_large_message
from personfirst.core.validation import Invalid

from . import organisations, tokens
from .middleware import www_authenticate

logger = logging.getLogger(__name__)


class TokenAuth(HttpBearer):
    """A personal token that works (not expired, not revoked: else 401) and has
    the scopes the request needs (``accounts.models.scopes_needed``: else 403).
    A router for one area (people's records) passes ``area``, whose scope a
    token needs on top of read or write."""

    openapi_description = (
        "A personal API token, created under 'Your account > API tokens'. Its scopes say what it may be "
        "used for: read (GET), write (anything else), and people (people's records, on top of read or write)."
    )

    def __init__(self, area: str | None = None) -> None:
        super().__init__()
        self.area = area

    def authenticate(self, request: HttpRequest, token: str):
        found = ApiToken.find(token)
        if found is None:
            return None
        missing = [scope for scope in scopes_needed(request.method, self.area) if scope not in found.scopes]
        if missing:
            raise HttpError(403, f"This token cannot do that: it needs the {' and '.join(missing)} scope.")
        request.user = found.user
        request.api_token = found
        return found.user


api = NinjaAPI(
    title="PersonFirst API",
    version="1",
    description="Readiness, organisations and more for personalised adult social care. "
    "Authenticate with `Authorization: Bearer <token>`.",
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url=None,
    auth=TokenAuth(),
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: Exception) -> HttpResponse:
    response = api.create_response(
        request, {"detail": "Send a valid API token in the Authorization header: 'Bearer <token>'."}, status=401
    )
    response["WWW-Authenticate"] = www_authenticate(request)
    return response


@api.exception_handler(PermissionDenied)
def forbidden(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "You do not have permission to do that."}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(RequestDataTooBig)
def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    # A body over DATA_UPLOAD_MAX_MEMORY_SIZE: Django refuses to read it.
    return api.create_response(request, {"detail": too_large_message()}, status=413)


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {
            "field": ".".join(str(part) for part in error.get("loc", []) if part not in ("body", "payload")),
            "message": error.get("msg", "Not valid"),
        }
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "Some of what you sent is not valid.", "errors": errors}, status=422)


@api.exception_handler(Invalid)
def refused(request: HttpRequest, exc: Invalid) -> HttpResponse:
    """A service refused the input (personfirst.core.validation): 422 with its
    messages, the same the web pages show for the same input."""
    errors = [{"field": error.name, "message": error.message} for error in exc.errors]
    return api.create_response(request, {"detail": "Some of what you sent is not valid.", "errors": errors}, status=422)


@api.exception_handler(Exception)
def unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("Unexpected API error", exc_info=exc)
    return api.create_response(request, {"detail": "Something went wrong on our side. Try again later."}, status=500)


# Core's own endpoints; each pillar adds its router in its AppConfig.ready(),
# so core never imports a pillar.
api.add_router("/", organisations.router)
api.add_router("/", tokens.router)
