"""The history page's charts, as SVG (pygal), drawn and served the way the
results radar chart is (readiness/charts.py): no scripts, and a strict
policy of their own that allows only their style blocks, by hash. Each
chart sits beside a table of the same figures on the page."""

from __future__ import annotations

import math

import pygal
from django.http import HttpResponse

from personfirst.readiness.assessments.charts import (
    DISTINCT_COLOURS,
    STYLE,
    content_security_policy,
    style_with,
    without_scripts,
)

# DISTINCT_COLOURS (readiness/assessments/charts.py), drawn first as solid
# lines and then as dashed ones: sixteen lines that differ in colour or
# pattern. The overall score is the first, in black and thicker.
COLOURS = DISTINCT_COLOURS
DASHED = "10,5"
LINE_STYLE = style_with(COLOURS * 3, legend_font_size=14)

WIDTH = 720
BAR_HEIGHT = 420
LEGEND_ROW = 26  # pixels per legend entry: one entry a row, never cut short


def trend_height(series_count: int) -> int:
    """The line chart's height: room for the plot and a legend of one entry a row."""
    return 420 + LEGEND_ROW * series_count


def stroke(index: int) -> dict:
    """How the ``index``-th line is drawn: after the first len(COLOURS)
    the colours come round again, dashed."""
    style = {"width": 2}
    if (index // len(COLOURS)) % 2 == 1:
        style["dasharray"] = DASHED
    return style


def legend_name(index: int, name: str) -> str:
    return f"{name} (dashed line)" if "dasharray" in stroke(index) else name


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
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        dots_size=4,
        allow_interruptions=True,
        x_label_rotation=30 if len(x_labels) > 6 else 0,
        margin=24,
    )
    chart.x_labels = x_labels
    for index, (name, values) in enumerate(series):
        chart.add(legend_name(index, name), values, stroke_style=stroke(index))
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
