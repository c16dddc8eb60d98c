"""The service navigation, which depends on what the person can do."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from personfirst.core.access import roles as access

from . import extensions


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    items: list[tuple[int, str, str]] = []
    if user is not None and user.is_authenticated:
        items.append((0, "Home", reverse("pages:dashboard")))
        items.append((10, "Organisations", reverse("organisations:list")))
        platform_admin = access.is_platform_admin(user)
        if user.has_perm("people.view_people"):
            items.append((25, "People", reverse("people:list")))
        if user.has_perm("access.manage_roles"):
            items.append((80, "Roles", reverse("access:roles")))
        if platform_admin:
            items.append((90, "Admin", reverse("admin:index")))
        items.append((100, "Your account", reverse("accounts:profile")))
        # What the pillars add (extensions.navigation), for those allowed.
        items += [
            (item.order, item.label, reverse(item.url_name))
            for item in extensions.navigation
            if user.has_perm(item.permission)
        ]
        items.sort(key=lambda item: item[0])
    path = request.path
    dashboard = reverse("pages:dashboard") if items else None
    nav = []
    for _order, label, url in items:
        active = path == url or (url != "/" and path.startswith(url) and url != dashboard)
        nav.append({"label": label, "url": url, "active": active})
    footer = [{"label": link.label, "url": reverse(link.url_name)} for link in extensions.footer_links]
    return {
        "nav_items": nav,
        "service_name": settings.SITE_NAME,  # not site_name: auth views set that to the host
        "footer_links": footer,
        "footer_credits": extensions.footer_credits,
    }
