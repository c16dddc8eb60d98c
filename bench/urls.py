"""PersonFirst's URLs plus one bare view, for the bench settings only."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.template import engines
from django.urls import include, path


def bare(request: HttpRequest) -> HttpResponse:
    """The floor: the whole middleware stack, no database work of its own, no template."""
    return HttpResponse("ok", content_type="text/plain")


EMPTY_PAGE = engines["django"].from_string(
    '{% extends "base.html" %}{% block title %}Empty{% endblock %}'
    '{% block content %}<h1 class="govuk-heading-l">Empty</h1>{% endblock %}'
)


@login_required
def empty_page(request: HttpRequest) -> HttpResponse:
    """The cheapest page of the service: signed in (session and user read), the header, navigation and footer."""
    return HttpResponse(EMPTY_PAGE.render({}, request))


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/empty-page/", empty_page, name="bench-empty-page"),
    path("", include("personfirst.urls")),
]

handler400 = "personfirst.core.pages.views.bad_request"
handler403 = "personfirst.core.pages.views.permission_denied"
handler404 = "personfirst.core.pages.views.page_not_found"
handler500 = "personfirst.core.pages.views.server_error"
