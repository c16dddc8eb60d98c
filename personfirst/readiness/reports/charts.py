"""The report's chart: a horizontal bar for each section's score, 0 to 100.

One layout (``layout``) is drawn three ways, so that the chart is the same
everywhere: as SVG markup for the web page (``svg``), as reportlab vector
graphics for the PDF (``drawing``) and as a PNG picture for the Word
document (``png``, with Pillow, which reportlab already depends on).

The layout's units are points, with y going down the page. Each section
has its number and title on one line and its bar on the next, with the
score at the end of the bar; a section with no score says so instead. The
chart is always shown beside a table of the same figures.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from . import fonts
from .content import NO_SCORE, Report

WIDTH = 480  # points: the width of the PDF's text frame on A4
PLOT_LEFT = 4
PLOT_WIDTH = 400  # 100 points on the scale = 400 points on the page
ROW = 31
TOP = 6
TICKS = (0, 25, 50, 75, 100)
LABEL_SIZE = 9
VALUE_SIZE = 9
LABEL_CHARACTERS = 80  # longer titles are shortened in the chart; the table has them in full

TEXT = "#0b0c0c"
SUBTLE = "#505a5f"
GRID = "#b1b4b6"
BAR = "#1d70b8"


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # the baseline
    text: str
    size: float
    anchor: str = "start"  # start | middle | end
    bold: bool = False
    colour: str = TEXT
    role: str = "label"


@dataclass(frozen=True)
class Box:
    x: float
    y: float  # the top
    width: float
    height: float
    colour: str = BAR


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str = GRID
    width: float = 0.5


@dataclass(frozen=True)
class Layout:
    width: float
    height: float
    shapes: list
    description: str


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARACTERS else text[: LABEL_CHARACTERS - 1].rstrip() + "…"


def description(report: Report) -> str:
    """What the chart shows, in words: the alternative text of the picture."""
    return (
        f"Bar chart of the section scores of the {report.instrument}, each out of 100. "
        "The table ‘Scores by section’ has the same figures."
    )


def layout(report: Report) -> Layout:
    shapes: list = []
    plot_bottom = TOP + ROW * len(report.sections)
    ticks = [PLOT_LEFT + PLOT_WIDTH * tick / 100 for tick in TICKS]
    shapes.append(Line(PLOT_LEFT, plot_bottom, PLOT_LEFT + PLOT_WIDTH, plot_bottom, colour=SUBTLE))
    for tick, x in zip(TICKS, ticks, strict=True):
        shapes.append(Line(x, plot_bottom, x, plot_bottom + 4, colour=SUBTLE))
        shapes.append(Text(x, plot_bottom + 15, str(tick), LABEL_SIZE - 1, "middle", colour=SUBTLE, role="axis"))
    shapes.append(
        Text(
            PLOT_LEFT + PLOT_WIDTH / 2,
            plot_bottom + 29,
            "Score out of 100",
            LABEL_SIZE,
            "middle",
            colour=SUBTLE,
            role="axis",
        )
    )
    for index, section in enumerate(report.sections):
        top = TOP + ROW * index
        shapes.append(Text(PLOT_LEFT, top + 10, _short(f"{section.number}. {section.title}"), LABEL_SIZE))
        if section.score is None:
            shapes.append(Text(PLOT_LEFT + 2, top + 23, NO_SCORE, VALUE_SIZE, colour=SUBTLE, role="none"))
            continue
        # The grid runs only beside the bar, so that it never crosses a label.
        shapes.extend(Line(x, top + 13, x, top + 27) for x in ticks)
        length = PLOT_WIDTH * float(section.score) / 100
        shapes.append(Box(PLOT_LEFT, top + 14, length, 12))
        shapes.append(Text(PLOT_LEFT + length + 4, top + 23.5, section.shown, VALUE_SIZE, bold=True, role="value"))
    return Layout(WIDTH, plot_bottom + 36, shapes, description(report))


# --- SVG, for the web page ---------------------------------------------------
# Presentation attributes only (no <style>, no style=""), so the markup can
# sit in the page under its strict Content-Security-Policy. The print
# stylesheet (frontend/scss/_print.scss) turns the bars grey and the text black.


def _n(value: float) -> str:
    """A coordinate for SVG: 12, 12.5 or 12.33."""
    return f"{value:.2f}".rstrip("0").rstrip(".") or "0"


def svg(report: Report) -> SafeString:
    chart = layout(report)
    parts = []
    for shape in chart.shapes:
        if isinstance(shape, Line):
            parts.append(
                format_html(
                    '<line class="pf-bar-chart__grid" x1="{}" y1="{}" x2="{}" y2="{}" stroke="{}" stroke-width="{}"/>',
                    _n(shape.x1),
                    _n(shape.y1),
                    _n(shape.x2),
                    _n(shape.y2),
                    shape.colour,
                    _n(shape.width),
                )
            )
        elif isinstance(shape, Box):
            parts.append(
                format_html(
                    '<rect class="pf-bar-chart__bar" x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                    _n(shape.x),
                    _n(shape.y),
                    _n(shape.width),
                    _n(shape.height),
                    shape.colour,
                )
            )
        else:
            parts.append(
                format_html(
                    '<text class="pf-bar-chart__{}" x="{}" y="{}" font-size="{}" text-anchor="{}"'
                    ' font-weight="{}" fill="{}">{}</text>',
                    shape.role,
                    _n(shape.x),
                    _n(shape.y),
                    _n(shape.size),
                    shape.anchor,
                    "bold" if shape.bold else "normal",
                    shape.colour,
                    shape.text,
                )
            )
    return format_html(
        '<svg class="pf-bar-chart" xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="chart-title"'
        ' viewBox="0 0 {w} {h}" width="{pw}" height="{ph}" font-family="system-ui, Arial, sans-serif">'
        '<title id="chart-title">{title}</title>{body}</svg>',
        w=_n(chart.width),
        h=_n(chart.height),
        # Drawn twice the size of the PDF's chart, and shrunk to fit its column.
        pw=round(chart.width * 2),
        ph=round(chart.height * 2),
        title=chart.description,
        body=format_html_join("", "{}", ((part,) for part in parts)),
    )


# --- reportlab, for the PDF ---------------------------------------------------


def drawing(report: Report):
    """The chart as a reportlab Drawing (vector graphics): a flowable for the PDF."""
    from reportlab.graphics.shapes import Drawing, Rect, String
    from reportlab.graphics.shapes import Line as RLLine
    from reportlab.lib.colors import HexColor

    regular, bold = fonts.registered()
    chart = layout(report)
    height = chart.height
    picture = Drawing(chart.width, height)
    for shape in chart.shapes:
        if isinstance(shape, Line):
            picture.add(
                RLLine(
                    shape.x1,
                    height - shape.y1,
                    shape.x2,
                    height - shape.y2,
                    strokeColor=HexColor(shape.colour),
                    strokeWidth=shape.width,
                )
            )
        elif isinstance(shape, Box):
            picture.add(
                Rect(
                    shape.x,
                    height - shape.y - shape.height,
                    shape.width,
                    shape.height,
                    fillColor=HexColor(shape.colour),
                    strokeColor=None,
                )
            )
        else:
            picture.add(
                String(
                    shape.x,
                    height - shape.y,
                    fonts.printable(shape.text),
                    fontName=bold if shape.bold else regular,
                    fontSize=shape.size,
                    fillColor=HexColor(shape.colour),
                    textAnchor=shape.anchor,
                )
            )
    return picture


# --- PNG, for the Word document ---------------------------------------------


def png(report: Report, scale: float = 4) -> bytes:
    """The chart as a PNG picture, ``scale`` pixels to the point."""
    from PIL import Image, ImageDraw, ImageFont

    chart = layout(report)
    family = fonts.family()
    image = Image.new("RGB", (round(chart.width * scale), round(chart.height * scale)), "white")
    draw = ImageDraw.Draw(image)
    faces: dict[tuple[float, bool], ImageFont.FreeTypeFont] = {}

    def face(size: float, bold: bool):
        key = (size, bold)
        if key not in faces:
            faces[key] = ImageFont.truetype(str(family.bold if bold else family.regular), round(size * scale))
        return faces[key]

    for shape in chart.shapes:
        if isinstance(shape, Line):
            draw.line(
                [(shape.x1 * scale, shape.y1 * scale), (shape.x2 * scale, shape.y2 * scale)],
                fill=shape.colour,
                width=max(1, round(shape.width * scale)),
            )
        elif isinstance(shape, Box):
            if shape.width > 0:
                draw.rectangle(
                    [
                        (shape.x * scale, shape.y * scale),
                        ((shape.x + shape.width) * scale, (shape.y + shape.height) * scale),
                    ],
                    fill=shape.colour,
                )
        else:
            anchor = {"start": "ls", "middle": "ms", "end": "rs"}[shape.anchor]
            draw.text(
                (shape.x * scale, shape.y * scale),
                fonts.printable(shape.text),
                fill=shape.colour,
                font=face(shape.size, shape.bold),
                anchor=anchor,
            )
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
