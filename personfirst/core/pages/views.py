"""Pages that belong to no one concern: home, dashboard, static pages, errors."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from personfirst.core.access import roles as access
from personfirst.core.access.models import MEMBERSHIP_ROLES, ROLE_HINTS
from personfirst.core.audit import trail
from personfirst.core.people.models import Person, Supporter


def home(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("pages:dashboard")
    return render(request, "pages/home.html")


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    grants = access.current_grants(user).select_related("organisation", "council_area").order_by("role")
    memberships = [g for g in grants if g.role in MEMBERSHIP_ROLES]
    # Who else changed the records of the organisations whose record of changes the person may read.
    audited = [g.organisation for g in memberships if user.has_perm("organisations.view_audit", g.organisation)]
    context = {
        "memberships": memberships,
        # Roles beyond membership of an organisation: development worker, commissioner, practitioner...
        "roles": [(g, ROLE_HINTS.get(g.role, "")) for g in grants if g.role not in MEMBERSHIP_ROLES],
        "recent_changes": trail.recent_by_others(audited, user),
        "audited": audited,
        "sees_people": user.has_perm("people.view_people"),
        # People's records: the user's own, and those of the people they support (names only, not a read).
        "own_record": Person.objects.filter(user=user).first(),
        "supporting": Person.objects.filter(pk__in=Supporter.objects.current().filter(user=user).values("person")),
    }
    return render(request, "pages/dashboard.html", context)


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")


def healthcheck(request: HttpRequest) -> HttpResponse:
    """For load balancers: answers without touching sessions or templates."""
    return HttpResponse("ok", content_type="text/plain")


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def _error(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": message}, status=status)
    return render(request, "pages/error.html", {"title": title, "message": message}, status=status)


def bad_request(request: HttpRequest, exception=None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return request_too_large(request)
    return _error(request, 400, "Sorry, there is a problem with that request", "The request could not be understood.")


def upload_limit_shown() -> str:
    """DATA_UPLOAD_MAX_MEMORY_SIZE in megabytes, e.g. "2.5 MB"."""
    megabytes = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024):.1f}".removesuffix(".0")
    return f"{megabytes} MB"


def too_large_message() -> str:
    return (
        f"What you sent is too large: the service accepts at most {upload_limit_shown()} at a time. "
        "Nothing you sent has been saved."
    )


def request_too_large(request: HttpRequest) -> HttpResponse:
    """413 for a body over DATA_UPLOAD_MAX_MEMORY_SIZE, whoever reads it first
    (the CSRF check, a form, the API): JSON under /api/, a page elsewhere."""
    if _wants_json(request):
        return JsonResponse({"detail": too_large_message()}, status=413)
    return render(
        request,
        "pages/error.html",
        {
            "title": "What you sent is too large",
            "message": too_large_message() + " Go back, make what you wrote shorter, and try again.",
        },
        status=413,
    )


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        403,
        "You do not have permission to do that",
        "Ask an administrator of the organisation if you think you should.",
    )


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return _error(
        request,
        404,
        "Page not found",
        "If you typed the web address, check it is correct. If you followed a link, it may have expired.",
    )


def server_error(request: HttpRequest) -> HttpResponse:
    if _wants_json(request):
        return JsonResponse({"detail": "Something went wrong on our side. Try again later."}, status=500)
    return render(
        request,
        "pages/error.html",
        {
            "title": "Sorry, there is a problem with the service",
            "message": "Try again later. Anything you saved before this has been kept.",
        },
        status=500,
    )
