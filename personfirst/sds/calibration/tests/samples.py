"""Calibration files for the tests."""

from __future__ import annotations

import numpy as np

from personfirst.sds.calibration.groups import AGE_BANDS, CARER, CLIENT_GROUPS

HEADER = "points,weekly_cost,age_band,client_group,carer_present"


def good_csv(n: int = 60, seed: int = 1, price: float = 9.5) -> str:
    rng = np.random.default_rng(seed)
    ages, groups, carers = list(AGE_BANDS), list(CLIENT_GROUPS), list(CARER)
    lines = [HEADER]
    for i in range(n):
        points = int(rng.integers(0, 60))
        cost = max(price * points + float(rng.normal(0, 15)), 0)
        lines.append(f"{points},{cost:.2f},{ages[i % 5]},{groups[i % 6]},{carers[i % 2]}")
    return "\n".join(lines) + "\n"


def with_bad_rows(n: int = 60) -> str:
    """``n`` good rows, then two bad ones (lines n + 2 and n + 3)."""
    return good_csv(n) + "x,10.00,25-64,social,no\n5,-2,25-64,social,no\n"
