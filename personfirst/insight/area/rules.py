"""Who may see area insight (autodiscovered by django-rules).

Figures over many organisations' assessments: never one organisation's
answers, and no figure about fewer than five (personfirst/core/access/disclosure.py,
published snapshots: publish.py).
Commissioners see their council's area; development workers the
organisations that share with their support and development organisation;
all of them, and platform administrators, the figures for England as a
benchmark. Where one organisation stands among others is seen by whoever
may see that organisation (organisations.view_organisation).
"""

from __future__ import annotations

from personfirst.core.access.roles import (
    is_commissioner,
    is_commissioner_for,
    is_development_worker,
    is_platform_admin,
    is_support_organisation,
    is_worker_for,
)
from personfirst.core.access.shortcuts import add_perm

add_perm("insight.view_national", is_platform_admin | is_commissioner | is_development_worker)
add_perm("insight.view_area", is_commissioner_for | is_platform_admin)
add_perm("insight.view_shared", is_support_organisation & (is_worker_for | is_platform_admin))
