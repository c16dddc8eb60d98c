"""Who may see and record eligibility decisions (autodiscovered by django-rules).

Everyone who may read the person's record sees the decisions on it (the
person, their supporters, their practitioner; others with a reason), each
page opened through people.records.open_record. Only the person's
practitioner records a screen.
"""

from __future__ import annotations

from personfirst.core.access.shortcuts import add_perm
from personfirst.core.people.rules import VIEW, is_practitioner_for

add_perm("eligibility.screen", is_practitioner_for, seen_with=VIEW)
