"""Charts as SVG (pygal). Every chart is shown beside a table of the same
figures, because an SVG chart on its own says little to a screen reader."""

from __future__ import annotations

import base64
import hashlib
import re

import pygal
from pygal.style import Style

STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#0b0c0c",
    foreground_strong="#0b0c0c",
    foreground_subtle="#505a5f",
    colors=("#1d70b8", "#d4351c"),
    font_family="system-ui, Arial, sans-serif",
    label_font_size=14,
    major_label_font_size=14,
    legend_font_size=14,
)


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


def style_with(colors: tuple[str, ...], *, legend_font_size: int = 13) -> Style:
    """The house chart style (STYLE's background, text colours and font) with these series colours."""
    return Style(
        background=STYLE.background,
        plot_background=STYLE.plot_background,
        foreground=STYLE.foreground,
        foreground_strong=STYLE.foreground_strong,
        foreground_subtle=STYLE.foreground_subtle,
        font_family=STYLE.font_family,
        label_font_size=12,
        major_label_font_size=12,
        legend_font_size=legend_font_size,
        colors=colors,
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


def without_scripts(svg: str) -> bytes:
    """pygal leaves a small configuration script and one style attribute
    even with js=[]: drop the script and turn the attribute into a
    presentation attribute, so the only styling left is the <style> block
    that content_security_policy() allows by its hash."""
    svg = re.sub(r"<script\b.*?</script>", "", svg, flags=re.DOTALL)
    svg = svg.replace(' style="opacity: 0"', ' opacity="0"')
    return svg.encode()


def content_security_policy(svg: bytes) -> str:
    """A policy for serving the chart on its own: nothing may load or run,
    and only its own style blocks apply (allowed by their SHA-256 hashes)."""
    hashes = []
    for block in re.findall(rb"<style[^>]*>(.*?)</style>", svg, flags=re.DOTALL):
        digest = base64.b64encode(hashlib.sha256(block).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return f"default-src 'none'; style-src {' '.join(hashes) or chr(39) + 'none' + chr(39)}"
