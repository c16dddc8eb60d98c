"""Statistical disclosure control: no figure may reveal fewer than five
organisations or people.

``suppress_counts`` hides every count below the threshold and, where that
hides only one cell of a breakdown whose total is shown, also hides the
next smallest cell, so the hidden one cannot be worked out by subtracting
the others from the total.
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
    hidden = [key for key, value in result.items() if value is None]
    if total_shown and len(hidden) == 1:
        others = sorted(
            (value, key) for key, value in counts.items() if result[key] is not None and value > 0
        )
        if others:
            result[others[0][1]] = None
    return result


def suppress_total(total: int) -> int | None:
    return None if is_disclosive(total) else total
