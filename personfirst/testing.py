"""Helpers for the test suite that tests import (fixtures live in conftest.py)."""

from __future__ import annotations

from hypothesis import settings

# Every persona of conftest.py's ``world``, one per role, and who may do what is
# written against these names (tests/test_rules.py, tests/test_url_matrix.py).
PERSONAS = (
    "anonymous",
    "member",
    "admin",
    "worker",
    "commissioner",
    "platform",
    "outsider",
    # Council roles over Eastmere (each also a member of Eastmere Council).
    "council_admin",
    "practitioner",
    "team_manager",
    "approver",
    "finance_officer",
    # Roles over the whole service.
    "moderator",
    "scheme_admin",
    # People's records: Sam, who signs in to see his own; Carl, the carer of
    # Rose (who does not sign in); a personal assistant Sam employs.
    "person",
    "carer",
    "personal_assistant",
    # is_superuser, and no role: refused wherever a role is needed.
    "superuser",
)

# The "ci" profile's max_examples (conftest.py): the unit a test's own count is given in.
CI_EXAMPLES = 100


def examples(count: int) -> int:
    """max_examples for a property test that wants ``count`` examples under the
    "ci" profile, scaled to the profile loaded: ten times as many under
    "explore" (`make test-explore`), whose max_examples is ten times ci's.

    Use it as ``@settings(max_examples=examples(150), ...)``: a number written
    there directly would override every profile."""
    return max(1, count * settings.default.max_examples // CI_EXAMPLES)
