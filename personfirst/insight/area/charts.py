"""The area insight charts, as SVG (pygal), drawn and served the way the
results radar chart is (readiness/charts.py): no scripts, and a strict
policy of their own that allows only their style blocks, by hash. Each chart
sits beside a table of the same figures on the page, and is numbered as the
table is."""

from __future__ import annotations

import pygal
from pygal.graph.box import Box
from pygal.style import Style

from personfirst.readiness.assessments.charts import DISTINCT_COLOURS, style_with, without_scripts

from . import quarters
from .report import REMAINDER, Report

COLOURS = ("#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#f47738", "#28a197", "#d53880", "#b58840")
# Lightest first, for the steps of a question; grey for the remainder.
STEP_COLOURS = ("#d4351c", "#f47738", "#ffdd00", "#85994b", "#00703c", "#28a197", "#1d70b8", "#4c2c92")
REMAINDER_COLOUR = "#b1b4b6"
WIDTH = 720


def _style(colors=COLOURS) -> Style:
    return style_with(tuple(colors))


def _options(**more) -> dict:
    return {"js": [], "width": WIDTH, "margin": 16, "legend_at_bottom": True, **more}


class FiveNumbers(Box):
    """A box plot of figures already worked out: each series is [lowest,
    lower quartile, median, upper quartile, highest], drawn as given
    (pygal would otherwise work out quartiles its own way)."""

    @staticmethod
    def _box_points(values, mode="extremes"):
        low, lower, median, upper, high = values[:5]  # pygal pads every series to the number of labels
        return (low, low, lower, median, upper, high, high), []


LEGEND_ROW = 26  # pixels per legend entry


def sections_height(count: int) -> int:
    """The box chart's height: the plot and a legend of one section a row."""
    return 420 + LEGEND_ROW * count


def sections(report: Report) -> bytes:
    """A box for each section shown, each in a colour of its own (they come
    round again after eight) and named in the legend by number and title."""
    shown = [row for row in report.sections if row.shown]
    chart = FiveNumbers(
        style=_style(DISTINCT_COLOURS[1:] + DISTINCT_COLOURS[:1]),  # black last: boxes are outlined in it
        range=(0, 100),
        show_legend=True,
        legend_at_bottom_columns=1,
        truncate_legend=-1,
        height=sections_height(len(shown)),
        title="Scores by section",
        y_title="Score out of 100",
        x_title="Section (numbered as in the legend and the table)",
        **_options(),
    )
    chart.x_labels = [str(row.number) for row in shown]
    for row in shown:
        low = row.minimum if row.minimum is not None else row.lower
        high = row.maximum if row.maximum is not None else row.upper
        chart.add(f"{row.number}. {row.title}", [float(v) for v in (low, row.lower, row.median, row.upper, high)])
    return without_scripts(chart.render().decode())


def levels(report: Report) -> bytes:
    positions = max((item.positions for item in report.items), default=0)
    colours = (*STEP_COLOURS[:positions], REMAINDER_COLOUR)
    chart = pygal.HorizontalStackedBar(
        style=_style(colours),
        range=(0, 100),
        height=max(300, 40 + 34 * len(report.items)),
        title="Where organisations are on each question",
        x_title="Per cent of organisations",
        **_options(),
    )
    items = report.items[::-1]  # pygal draws the first bar at the bottom; the table starts at the top
    chart.x_labels = [str(item.number) for item in items]
    for step in range(1, positions + 1):
        # Steps shown together are drawn in the colour of the first of them.
        chart.add(f"Step {step}", [next((c.share for c in item.cells if c.first == step), None) for item in items])
    chart.add(REMAINDER, [item.cells[-1].share for item in items])
    return without_scripts(chart.render().decode())


def trend(report: Report) -> bytes:
    chart = pygal.Line(
        style=_style(),
        range=(0, 100),
        height=420,
        show_legend=False,
        title="Average overall score by period",
        y_title="Average overall score",
        x_label_rotation=40,
        truncate_label=-1,
        dots_size=4,
        **_options(),
    )
    chart.x_labels = [quarters.short_label(row.first, row.last) for row in report.trend]
    chart.add(
        "Average overall score", [float(row.average) if row.average is not None else None for row in report.trend]
    )
    return without_scripts(chart.render().decode())


CHARTS = {"sections": sections, "levels": levels, "trend": trend}
