"""Who may do what with a council's RAS versions (autodiscovered by
django-rules), on the shared predicates of core/access/roles.py.

- A council's RAS in force, and every published version, are open to
  everyone: nothing about how budgets are worked out is hidden.
- A council administrator of that council (a stored grant over its area)
  lists its versions, uploads drafts, looks at a draft and its impact
  preview, and publishes it. Nobody else sees a draft: not another
  council's administrators, not the platform administrators.
"""

from __future__ import annotations

import rules

from personfirst.core.access.roles import is_council_admin_for
from personfirst.core.access.shortcuts import add_perm


@rules.predicate
def is_published(user, version) -> bool:
    return version is not None and version.published_at is not None


@rules.predicate
def is_admin_of_its_council(user, version) -> bool:
    return version is not None and is_council_admin_for(user, version.council_area)


# On a CouncilArea: its versions, uploading.
add_perm("allocation.manage_ras", is_council_admin_for)
# On a RasVersion.
add_perm("allocation.view_ras_version", is_published | is_admin_of_its_council)
add_perm("allocation.preview_ras_version", is_admin_of_its_council, seen_with="allocation.view_ras_version")
add_perm("allocation.publish_ras_version", is_admin_of_its_council, seen_with="allocation.view_ras_version")
