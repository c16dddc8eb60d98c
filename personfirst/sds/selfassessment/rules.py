"""Who may do what with a person's self-assessment (autodiscovered by
django-rules). Permissions are on the person's record:

- everyone who may read the record sees the self-assessment (every page
  opened through people.records.open_record);
- the person, and the supporters they let change their record with them,
  start it, answer it and send it;
- the person's practitioner starts it with them and reviews it: changes an
  answer with a reason, and agrees it.
"""

from __future__ import annotations

from personfirst.core.access.shortcuts import add_perm
from personfirst.core.people.rules import VIEW, is_practitioner_for, is_the_person, supports_with_edit

co_edits = is_the_person | supports_with_edit

add_perm("selfassessment.start", co_edits | is_practitioner_for, seen_with=VIEW)
add_perm("selfassessment.answer", co_edits, seen_with=VIEW)
add_perm("selfassessment.review", is_practitioner_for, seen_with=VIEW)
