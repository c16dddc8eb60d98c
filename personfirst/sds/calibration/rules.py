"""Who may import costed packages and see the fit and the equity report
(autodiscovered by django-rules): the council administrators of that
council area, and no one else. Every permission is on the CouncilArea; an
upload or an import is reached only through its own area's address."""

from __future__ import annotations

from personfirst.core.access.roles import is_council_admin_for
from personfirst.core.access.shortcuts import add_perm

add_perm("calibration.manage", is_council_admin_for)
