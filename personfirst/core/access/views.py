"""Pages that give and end roles: council roles over an area (its council
administrators, or a platform administrator) and roles over the whole
service (platform administrators). Thin: access.services gives and ends,
access/rules.py decides who may."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from personfirst.core.organisations.choices import OrganisationType
from personfirst.core.organisations.models import CouncilArea, Organisation

from . import roles as access
from . import services
from .models import COUNCIL_ROLES, MEMBERSHIP_ROLES, PLATFORM_ROLES, RoleGrant, RoleName
from .shortcuts import require


def _listed(grants):
    """Grants to show: those in force or to come, then the last 50 ended."""
    grants = grants.select_related("user", "granted_by", "revoked_by", "council_area")
    now = timezone.now()
    ended = grants.exclude(pk__in=grants.not_ended(now)).order_by("-revoked_at", "-valid_until")[:50]
    return grants.not_ended(now).order_by("role", "user__email", "valid_from"), ended


@login_required
def roles_index(request: HttpRequest) -> HttpResponse:
    require(request.user, "access.manage_roles", None)
    platform = access.is_platform_admin(request.user)
    areas = CouncilArea.objects.all() if platform else access.areas_with_role(request.user, RoleName.COUNCIL_ADMIN)
    return render(request, "access/index.html", {"areas": areas.order_by("name"), "platform": platform})


def _grant_or_error(form, request, **kwargs) -> RoleGrant | None:
    valid_from, valid_until = form.dates()
    try:
        return services.grant(by=request.user, valid_from=valid_from, valid_until=valid_until, **kwargs)
    except services.RoleError as error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
        return None


@login_required
def area_roles(request: HttpRequest, code: str) -> HttpResponse:
    from .forms import CouncilRoleForm

    area = get_object_or_404(CouncilArea, code=code)
    require(request.user, "access.manage_council_roles", area)
    councils = Organisation.objects.filter(council_area=area, org_type=OrganisationType.COUNCIL)
    staff = RoleGrant.objects.current().filter(organisation__in=councils, role__in=MEMBERSHIP_ROLES).values("user")
    people = get_user_model().objects.filter(pk__in=staff, is_active=True).order_by("full_name", "email")
    roles = COUNCIL_ROLES + ((RoleName.COUNCIL_ADMIN,) if access.is_platform_admin(request.user) else ())
    form = CouncilRoleForm(request.POST if request.method == "POST" else None, people=people, roles=roles)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        grant = _grant_or_error(
            form, request, user=data["user"], role=data["role"], council_area=area, limit=data["limit"]
        )
        if grant is not None:
            messages.success(
                request, f"{grant.user.display_name} is now {grant.get_role_display().lower()} for {area.name}."
            )
            return redirect("access:area-roles", code=code)
    current, ended = _listed(RoleGrant.objects.filter(council_area=area))
    context = {
        "area": area,
        "form": form,
        "current": current,
        "ended": ended,
        "has_people": people.exists(),
        "councils": councils,
    }
    return render(request, "access/area_roles.html", context)


@login_required
def platform_roles(request: HttpRequest) -> HttpResponse:
    from .forms import PlatformRoleForm

    require(request.user, "access.manage_platform_roles", None)
    form = PlatformRoleForm(request.POST if request.method == "POST" else None, roles=PLATFORM_ROLES)
    if request.method == "POST" and form.is_valid():
        grant = _grant_or_error(form, request, user=form.user, role=form.cleaned_data["role"])
        if grant is not None:
            messages.success(request, f"{grant.user.display_name} is now {grant.get_role_display().lower()}.")
            return redirect("access:platform-roles")
    current, ended = _listed(RoleGrant.objects.filter(role__in=PLATFORM_ROLES))
    return render(request, "access/platform_roles.html", {"form": form, "current": current, "ended": ended})


@login_required
@require_POST
def end_role(request: HttpRequest, grant_id: int) -> HttpResponse:
    grant = get_object_or_404(RoleGrant.objects.select_related("user", "council_area"), pk=grant_id)
    require(request.user, "access.end_role", grant)
    back = (
        reverse("access:area-roles", args=[grant.council_area.code])
        if grant.council_area_id
        else reverse("access:platform-roles")
    )
    try:
        services.end_role(grant, by=request.user)
    except services.RoleError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{grant.user.display_name} is no longer {grant.get_role_display().lower()}.")
    return redirect(back)
