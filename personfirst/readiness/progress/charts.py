"""The history page's charts, as SVG (pygal), drawn and served the way the
results radar chart is (readiness/charts.py): no scripts, and a strict
policy of their own that allows only their style blocks, by hash. Each
chart sits beside a table of the same figures on the page."""

from __future__ import annotations

import math

import pygal
from django.http import HttpResponse

from personfirst.readiness.assessments.charts import STYLE, content_security_policy, style_with, without_scripts

# GOV.UK Frontend's colours, told apart as far as a dozen or so lines allow.
# The overall score is drawn first, in black.
LINE_STYLE = style_with(
    (
        "#0b0c0c",  # black: overall
        "#1d70b8",  # blue
        "#d4351c",  # red
        "#00703c",  # green
        "#4c2c92",  # purple
        "#f47738",  # orange
        "#28a197",  # turquoise
        "#d53880",  # pink
        "#b58840",  # brown
        "#505a5f",  # dark grey
        "#5694ca",  # light blue
        "#85994b",  # olive
        "#912b88",  # bright purple
        "#003078",  # dark blue
        "#6f72af",  # light purple
    ),
)

WIDTH = 720
BAR_HEIGHT = 420


def trend_height(series_count: int) -> int:
    """The line chart's height: room for the plot and a two-column legend."""
    return 420 + 22 * math.ceil(series_count / 2)


def trend(x_labels: list[str], series: list[tuple[str, list[float | None]]], title: str) -> bytes:
    """A line chart of scores out of 100: one line per series, one point per assessment."""
    chart = pygal.Line(
        style=LINE_STYLE,
        range=(0, 100),
        js=[],  # no scripts: the chart is a picture, the table beside it is the data
        width=WIDTH,
        height=trend_height(len(series)),
        title=title,
        legend_at_bottom=True,
        legend_at_bottom_columns=2,
        truncate_legend=40,
        dots_size=4,
        allow_interruptions=True,
        x_label_rotation=30 if len(x_labels) > 6 else 0,
        margin=24,
    )
    chart.x_labels = x_labels
    for name, values in series:
        chart.add(name, values)
    return without_scripts(chart.render().decode())


def counts_by_period(x_labels: list[str], counts: list[int], title: str, series_name: str) -> bytes:
    """A bar chart of whole-number counts, one bar per period."""
    top = max([*counts, 1])
    step = max(1, math.ceil(top / 8))
    top = step * math.ceil(top / step)
    chart = pygal.Bar(
        style=STYLE,
        range=(0, top),
        js=[],
        width=WIDTH,
        height=BAR_HEIGHT,
        title=title,
        show_legend=False,
        x_label_rotation=30 if len(x_labels) > 8 else 0,
        margin=24,
    )
    chart.y_labels = list(range(0, top + 1, step))
    chart.x_labels = x_labels
    chart.add(series_name, counts)
    return without_scripts(chart.render().decode())


def svg_response(svg: bytes) -> HttpResponse:
    """The chart as an image, with its own strict policy in place of the
    pages' one (the view must be csp_exempt)."""
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Content-Security-Policy"] = content_security_policy(svg)
    return response
