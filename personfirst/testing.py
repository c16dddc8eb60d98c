"""Helpers for the test suite that tests import (fixtures live in conftest.py)."""

from __future__ import annotations

from hypothesis import settings

# The "ci" profile's max_examples (conftest.py): the unit a test's own count is given in.
CI_EXAMPLES = 100


def examples(count: int) -> int:
    """max_examples for a property test that wants ``count`` examples under the
    "ci" profile, scaled to the profile loaded: ten times as many under
    "explore" (`make test-explore`), whose max_examples is ten times ci's.

    Use it as ``@settings(max_examples=examples(150), ...)``: a number written
    there directly would override every profile."""
    return max(1, count * settings.default.max_examples // CI_EXAMPLES)
