"""Words search for the Open Referral UK API's ``search`` parameter.

The search app (personfirst/market/search) owns full-text search and
registers its matcher here when it starts (its apps.py), so the directory
does not depend on it. Without one, a plain "contains" on the name and
description is used.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q

# text -> a Q on Service that keeps the services matching every word
matcher: Callable[[str], Q] | None = None


def matching(text: str) -> Q:
    if matcher is not None:
        return matcher(text)
    return Q(name__icontains=text) | Q(description__icontains=text)
