"""Charts as SVG (pygal). Every chart is shown beside a table of the same
figures, because an SVG chart on its own says little to a screen reader.
The house style and the serving of charts are core's (core/ui/charts.py),
shared with the other pillars."""

from __future__ import annotations

import pygal

from personfirst.core.ui.charts import STYLE, content_security_policy, style_with, without_scripts

__all__ = ["STYLE", "content_security_policy", "style_with", "without_scripts"]

# Eight colours that people with the common kinds of colour blindness can
# tell apart on white: Okabe and Ito's palette, black first, its yellow
# darkened to show on white.
DISTINCT_COLOURS = (
    "#0b0c0c",  # black
    "#d55e00",  # vermilion
    "#0072b2",  # blue
    "#009e73",  # bluish green
    "#cc79a7",  # reddish purple
    "#e69f00",  # orange
    "#56b4e9",  # sky blue
    "#8a7a00",  # dark yellow
)


AXIS_LABEL = 22  # characters: longer section titles are cut short, and the table beside has them in full


def axis_labels(titles: list[str], length: int = AXIS_LABEL) -> list[str]:
    """Each axis named by its number and title, as in the table beside the
    chart ("3. Giving flexible support"), cut at a word to ``length``
    characters with an ellipsis when longer."""
    labels = []
    for number, title in enumerate(titles, start=1):
        label = f"{number}. {title}"
        if len(label) > length:
            words, cut = label.split(" "), ""
            for word in words:
                if len(f"{cut} {word}".strip()) + 1 > length:
                    break
                cut = f"{cut} {word}".strip()
            label = (cut.rstrip(" ,;:–-") or label[: length - 1]) + "…"
        labels.append(label)
    return labels


def radar(labels: list[str], series: list[tuple[str, list[float | None]]], title: str) -> bytes:
    chart = pygal.Radar(
        style=STYLE,
        range=(0, 100),
        fill=False,
        show_legend=len(series) > 1,
        legend_at_bottom=True,
        js=[],  # no scripts: the chart is a picture, the table beside it is the data
        width=720,
        height=600,
        title=title,
        dots_size=4,
        truncate_label=-1,  # axis_labels has shortened them already
        margin=24,
        spacing=24,
    )
    chart.x_labels = labels
    for name, values in series:
        chart.add(name, values)
    return without_scripts(chart.render().decode())
