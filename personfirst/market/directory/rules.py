"""Who may do what in the directory (autodiscovered by django-rules).

- Anyone, signed in or not, reads what is published (search pages, the
  Open Referral UK API): no permission is asked.
- A provider's editors add and change its entries and confirm them: the
  members of its PersonFirst organisation, or holders of a provider editor
  grant over that organisation (``is_provider_editor``, the one place to
  change if who edits a provider changes).
- Directory moderators (a grant over the whole service) decide on entries,
  see the queue, run imports; platform administrators may look at the queue
  but moderation is the moderators' job.
"""

from __future__ import annotations

import rules

from personfirst.core.access.models import RoleName
from personfirst.core.access.roles import holds, is_member, is_platform_admin
from personfirst.core.access.shortcuts import add_perm


@rules.predicate
def is_provider_editor(user, organisation) -> bool:
    """Someone who may edit the directory entries of this organisation."""
    if organisation is None:
        return False
    return bool(is_member(user, organisation) or holds(user, RoleName.PROVIDER_EDITOR, organisation=organisation))


@rules.predicate
def is_moderator(user) -> bool:
    return holds(user, RoleName.DIRECTORY_MODERATOR)


@rules.predicate
def edits_submission(user, submission) -> bool:
    return is_provider_editor(user, submission.provider.organisation)


@rules.predicate
def edits_service(user, service) -> bool:
    return is_provider_editor(user, service.provider.organisation)


# An organisation's directory entries (its "Directory" tab).
add_perm("directory.view_entries", is_provider_editor | is_moderator | is_platform_admin)
add_perm("directory.edit_entries", is_provider_editor, seen_with="directory.view_entries")
add_perm("directory.edit_service", edits_service | is_moderator)
add_perm("directory.view_submission", edits_submission | is_moderator | is_platform_admin)
add_perm("directory.change_submission", edits_submission, seen_with="directory.view_submission")
# Moderation: the queue, decisions, imports and taxonomy mapping.
add_perm("directory.moderate", is_moderator)
add_perm("directory.view_queue", is_moderator | is_platform_admin)
add_perm("directory.decide", is_moderator, seen_with="directory.view_submission")
