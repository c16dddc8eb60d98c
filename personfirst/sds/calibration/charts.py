"""The fit as a picture (pygal SVG, served on its own with core's strict
chart policy): each package as a dot, weekly cost against points, and the
fitted lines and bands. The page shows a table of the same fit beside it."""

from __future__ import annotations

import numpy as np
import pygal

from personfirst.core.ui.charts import style_with, without_scripts

from .fitting import Fit

MOST_DOTS = 1_000
COLOURS = ("#505a5f", "#1d70b8", "#d4351c", "#00703c")


def sample(count: int, most: int = MOST_DOTS) -> np.ndarray:
    """Which packages are drawn: all of them, or ``most`` spread evenly through the import."""
    if count <= most:
        return np.arange(count)
    return np.unique(np.linspace(0, count - 1, most).round().astype(int))


def fit_chart(points: np.ndarray, cost: np.ndarray, fit: Fit) -> bytes:
    chart = pygal.XY(
        style=style_with(COLOURS),
        js=[],
        width=720,
        height=480,
        margin=16,
        stroke=False,
        dots_size=2,
        show_legend=True,
        legend_at_bottom=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        title="Weekly cost against points",
        x_title="Points",
        y_title="Weekly cost (£)",
    )
    shown = sample(len(points))
    label = "Packages" if len(shown) == len(points) else f"Packages (1 in {len(points) / len(shown):.0f} drawn)"
    chart.add(label, [(float(points[i]), float(cost[i])) for i in shown])
    low, high = fit.points_range
    for name, line in (("Price per point", fit.through_zero), ("With a fixed amount", fit.with_intercept)):
        chart.add(
            f"{name}: £{line.intercept} + £{line.price_per_point} a point",
            [(low, float(line.weekly(low))), (high, float(line.weekly(high)))],
            stroke=True,
            show_dots=False,
            stroke_style={"width": 3},
        )
    steps = []
    for band in fit.bands.bands:
        top = band.to_points + 1 if band.to_points is not None else high
        steps += [(band.from_points, float(band.weekly)), (max(top, band.from_points), float(band.weekly))]
    chart.add("Bands", steps, stroke=True, show_dots=False, stroke_style={"width": 3, "dasharray": "6, 4"})
    return without_scripts(chart.render().decode())
