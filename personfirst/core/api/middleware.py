"""Makes sure every error under /api/ is JSON, even ones raised before the
API sees the request (CSRF, method not allowed, unknown address)."""

from __future__ import annotations

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse

from personfirst.core.accounts.models import ApiToken


class JsonErrorsForApiMiddleware:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/api/") or response.status_code < 400:
            return response
        if response.get("Content-Type", "").startswith("application/json"):
            return response
        try:
            phrase = HTTPStatus(response.status_code).phrase
        except ValueError:
            phrase = "Error"
        json_response = JsonResponse({"detail": f"{phrase}."}, status=response.status_code)
        if response.has_header("Allow"):
            json_response["Allow"] = response["Allow"]
        return json_response


class ApiTokenMiddleware:
    """Signs in an API request's token holder before the audit middleware
    runs, so that changes made through the API are recorded with who made
    them. The API's own TokenAuth still decides whether the request may go
    on (and answers 401 when it may not)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if request.path.startswith("/api/") and header[:7].lower() == "bearer ":
            user = ApiToken.user_for(header[7:].strip())
            if user is not None:
                request.user = user
        return self.get_response(request)
