"""Access-Control-Allow-Origin: * on every Open Referral UK response.

The feed is public: any web page may read it. Only GET (and the browser's
pre-flight OPTIONS) are answered; nothing here reads cookies, so allowing
every origin gives nobody more than they could fetch themselves.
"""

from __future__ import annotations

import functools

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import URLPattern, URLResolver

HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Content-Type",
    "Access-Control-Max-Age": "86400",
}


def cors(view):
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = HttpResponse(status=204) if request.method == "OPTIONS" else view(request, *args, **kwargs)
        for name, value in HEADERS.items():
            response[name] = value
        return response

    wrapped.csrf_exempt = True
    return wrapped


def open_to_all(patterns: list) -> list:
    """The same URL patterns, each answering with the headers above."""
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            open_to_all(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            pattern.callback = cors(pattern.callback)
    return patterns


@cors
def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    return JsonResponse(
        {"detail": "Not found. The Open Referral UK API's addresses are listed at /oruk/openapi.json."}, status=404
    )
