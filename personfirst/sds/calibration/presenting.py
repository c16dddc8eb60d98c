"""What the pages and the API both show of a fit and an equity report, and
the one reading of band starts typed in ("0, 10, 20, 40")."""

from __future__ import annotations

import re

from . import equity, fitting

MAX_BANDS = 20


class BandsError(ValueError):
    pass


def band_starts(raw: str | None) -> list[int] | None:
    """The band starts given (None: work them out from the packages)."""
    if raw is None or not raw.strip():
        return None
    parts = [p for p in re.split(r"[,\s]+", raw.strip()) if p]
    if not all(re.fullmatch(r"\d{1,6}", p) for p in parts):
        raise BandsError(
            "Enter the band starts as whole numbers of points, 0 or more, separated by commas, like 0, 10, 20, 40"
        )
    starts = sorted({0, *(int(p) for p in parts)})
    if len(starts) > MAX_BANDS:
        raise BandsError(f"Enter at most {MAX_BANDS} band starts")
    return starts


def _quality(q: fitting.Quality) -> dict:
    r = q.residuals
    return {
        "r_squared": q.r_squared,
        "within_10_percent": q.within,
        "within_10_percent_count": q.within_count,
        "residuals": {
            "lowest": r.lowest,
            "lower_quartile": r.lower_quartile,
            "median": r.median,
            "upper_quartile": r.upper_quartile,
            "highest": r.highest,
            "root_mean_square": r.root_mean_square,
        },
    }


def _line(line: fitting.LineFit) -> dict:
    return {"intercept": line.intercept, "price_per_point": line.price_per_point, "quality": _quality(line.quality)}


def fit_out(fit: fitting.Fit) -> dict:
    return {
        "packages": fit.packages,
        "lowest_points": fit.points_range[0],
        "highest_points": fit.points_range[1],
        "average_cost": fit.average_cost,
        "through_zero": _line(fit.through_zero),
        "with_intercept": _line(fit.with_intercept),
        "bands": {
            "given": fit.bands.given,
            "bands": [
                {"from_points": b.from_points, "to_points": b.to_points, "packages": b.packages, "weekly": b.weekly}
                for b in fit.bands.bands
            ],
            "quality": _quality(fit.bands.quality),
        },
    }


def equity_out(report: equity.Report) -> dict:
    return {
        "packages": report.packages,
        "categories": [
            {
                "key": c.key,
                "title": c.title,
                "groups": [
                    {
                        "code": g.code,
                        "title": g.title,
                        "count": g.count,
                        "difference": g.difference,
                        "low": g.low,
                        "high": g.high,
                        "below_the_rest": g.below,
                        "above_the_rest": g.above,
                        "note": g.note,
                    }
                    for g in c.groups
                ],
            }
            for c in report.categories
        ],
    }
