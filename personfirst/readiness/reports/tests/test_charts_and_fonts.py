"""The chart is one layout drawn three ways, and the PDF font never prints
an empty box for a letter it lacks."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from PIL import Image
from reportlab.graphics.shapes import Rect, String

from personfirst.readiness.reports import charts, content, fonts

from .conftest import SECTION_SCORES

pytestmark = pytest.mark.django_db


def test_one_bar_per_scored_section_as_long_as_its_score(reported):
    report = content.build(reported.assessment)
    boxes = [shape for shape in charts.layout(report).shapes if isinstance(shape, charts.Box)]
    assert len(boxes) == len(SECTION_SCORES)
    assert sorted(Decimal(str(box.width)) for box in boxes) == sorted(
        Decimal(score) * charts.PLOT_WIDTH / 100 for score in SECTION_SCORES.values()
    )


def test_the_pdf_drawing_has_the_same_bars_and_labels(reported):
    report = content.build(reported.assessment)
    drawing = charts.drawing(report)
    rects = [shape for shape in drawing.contents if isinstance(shape, Rect)]
    strings = {shape.text for shape in drawing.contents if isinstance(shape, String)}
    assert len(rects) == len(SECTION_SCORES)
    assert set(SECTION_SCORES.values()) <= strings
    assert "2. Backing from the trustee board" in strings
    assert content.NO_SCORE in strings


def test_the_word_picture_is_a_png_of_the_layout(reported):
    report = content.build(reported.assessment)
    layout = charts.layout(report)
    image = Image.open(io.BytesIO(charts.png(report, scale=2)))
    assert image.format == "PNG"
    assert image.size == (round(layout.width * 2), round(layout.height * 2))


def test_a_long_title_is_shortened_in_the_chart_only():
    title = "A" * 100
    assert charts._short(title).endswith("…") and len(charts._short(title)) == charts.LABEL_CHARACTERS
    assert charts._short("Managing change") == "Managing change"


def test_without_dejavu_the_font_is_the_one_reportlab_ships(tmp_path):
    family = fonts.find_family(dirs=(tmp_path,))
    assert family.name == "Bitstream Vera"
    assert family.regular.is_file() and family.bold.is_file()


def test_a_letter_the_font_lacks_loses_its_accent_rather_than_becoming_a_box():
    vera = fonts.characters(fonts.VERA_DIR / "Vera.ttf")
    assert ord("Ŵ") not in vera  # Vera has Western European letters only
    assert fonts.printable("Café Ŵelsh & Co <test>", vera) == "Café Welsh & Co <test>"
    assert fonts.printable("Gŵyl Fawr", vera) == "Gwyl Fawr"
    assert fonts.printable("Clef 𝄞", vera) == "Clef ?"
    assert fonts.printable("Plain – and “quoted”", vera) == "Plain – and “quoted”"


@pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf").is_file(), reason="DejaVu Sans is not installed"
)
def test_with_dejavu_welsh_letters_print_as_they_are():
    assert fonts.family().name == "DejaVu Sans"
    assert fonts.printable("Café Ŵelsh") == "Café Ŵelsh"
