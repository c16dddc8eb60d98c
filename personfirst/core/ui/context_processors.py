"""The service navigation, which depends on what the person can do."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from personfirst.core.access import rules as access


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        items.append(("Home", reverse("pages:dashboard")))
        items.append(("Organisations", reverse("organisations:list")))
        if user.has_perm("caseload.view_caseload"):
            items.append(("Caseload", reverse("caseload:caseload")))
        areas = access.commissioned_areas(user)
        if not user.is_staff and areas.exists():
            items.append(("Area", reverse("organisations:area", args=[areas.first().code])))
        if user.has_perm("insight.view_national"):
            items.append(("Area insight", reverse("insight:index")))
        if user.is_staff:
            items.append(("Admin", reverse("admin:index")))
        items.append(("Your account", reverse("accounts:profile")))
    path = request.path
    nav = []
    for label, url in items:
        active = path == url or (url != "/" and path.startswith(url) and url != reverse("pages:dashboard"))
        nav.append({"label": label, "url": url, "active": active})
    return {"nav_items": nav, "site_name": settings.SITE_NAME}
