"""Statistical disclosure control: no figure may reveal fewer than five
organisations or people.

``suppress_counts`` hides every count below the threshold. Where the total
is shown as well, it also hides the smallest count that is still shown
(and every count equal to it), so the hidden ones cannot be worked out by
subtracting the others from the total. That is done whenever anything is
hidden, not only when one cell is: two hidden cells adding up to 2 are 1
and 1. Zero is never hidden: it reveals no one.

``suppress_breakdown`` does the cells and their total together, and is what
a page showing both should use: when no count of five or more could be
hidden to protect the small ones, it hides the total instead (a total of 5
over five hidden cells would say that each is 1).

The rules assume the attacker knows them; access/tests/test_disclosure.py
checks, by trying every possible set of hidden values, that no hidden cell
can be worked out from what is shown.
"""

from __future__ import annotations

from collections.abc import Mapping

MINIMUM = 5


def is_disclosive(count: int) -> bool:
    return 0 < count < MINIMUM


def suppress_counts(counts: Mapping[str, int], *, total_shown: bool = True) -> dict[str, int | None]:
    """Return the counts with disclosive cells replaced by None.

    Zero is not disclosive (it reveals no one) and is shown as 0.
    """
    result: dict[str, int | None] = {key: (None if is_disclosive(value) else value) for key, value in counts.items()}
    if total_shown and None in result.values():
        # Hide the smallest positive count still shown, and every count tied
        # with it: hiding only one of two equal cells would tell which it was.
        shown = [value for value in result.values() if value]
        if shown:
            smallest = min(shown)
            for key, value in result.items():
                if value == smallest:
                    result[key] = None
    return result


def suppress_total(total: int) -> int | None:
    return None if is_disclosive(total) else total


def suppress_breakdown(counts: Mapping[str, int]) -> tuple[dict[str, int | None], int | None]:
    """The counts and their total, each None where it would disclose."""
    cells = suppress_counts(counts, total_shown=True)
    total = suppress_total(sum(counts.values()))
    hidden = [counts[key] for key, value in cells.items() if value is None]
    if hidden and all(is_disclosive(value) for value in hidden):
        # Nothing of five or more protects the small cells: the total would
        # be the sum of a few small cells, so it is not shown.
        total = None
    return cells, total
