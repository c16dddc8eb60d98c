"""PersonFirst's URLs plus one bare view, for the bench settings only."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: the whole middleware stack, no database work of its own, no template."""
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("", include("personfirst.urls")),
]

handler400 = "front.views.bad_request"
handler403 = "front.views.permission_denied"
handler404 = "front.views.page_not_found"
handler500 = "front.views.server_error"
