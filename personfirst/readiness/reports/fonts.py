"""The font of the PDF report and of the chart picture in the Word report.

DejaVu Sans when the system has it (Debian's ``fonts-dejavu-core``, which
the test set-up installs): it has the letters of Welsh (ŵ, ŷ), Polish,
Romanian and most other European languages. Otherwise Bitstream Vera, which
ships with reportlab, so a report can always be made; Vera has Western
European letters only. A letter the font lacks is printed without its
accent (Ŵ as W) rather than as an empty box; see ``printable``.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import reportlab
from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

REGULAR = "PersonFirstSans"
BOLD = "PersonFirstSans-Bold"

DEJAVU_DIRS = (
    Path("/usr/share/fonts/truetype/dejavu"),  # Debian, Ubuntu
    Path("/usr/share/fonts/dejavu-sans-fonts"),  # Fedora
    Path("/usr/share/fonts/TTF"),  # Arch
)
VERA_DIR = Path(reportlab.__file__).parent / "fonts"


@dataclass(frozen=True)
class Family:
    name: str
    regular: Path
    bold: Path


def find_family(dirs=DEJAVU_DIRS) -> Family:
    for folder in dirs:
        regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
        if regular.is_file() and bold.is_file():
            return Family("DejaVu Sans", regular, bold)
    return Family("Bitstream Vera", VERA_DIR / "Vera.ttf", VERA_DIR / "VeraBd.ttf")


@functools.cache
def family() -> Family:
    return find_family()


@functools.cache
def registered() -> tuple[str, str]:
    """Register the family with reportlab (once); (regular, bold) font names."""
    chosen = family()
    pdfmetrics.registerFont(TTFont(REGULAR, str(chosen.regular)))
    pdfmetrics.registerFont(TTFont(BOLD, str(chosen.bold)))
    # So that <b> in a paragraph picks the bold face.
    addMapping(REGULAR, 0, 0, REGULAR)
    addMapping(REGULAR, 1, 0, BOLD)
    addMapping(REGULAR, 0, 1, REGULAR)
    addMapping(REGULAR, 1, 1, BOLD)
    return REGULAR, BOLD


@functools.cache
def characters(path: Path) -> frozenset[int]:
    """The code points a TrueType font has glyphs for."""
    return frozenset(TTFont("PersonFirstProbe", str(path)).face.charToGlyph)


def printable(text: str, known: frozenset[int] | None = None) -> str:
    """``text`` with every character the font lacks replaced by its letter
    without accents (Ŵ → W), or by "?" when it has none."""
    known = characters(family().regular) if known is None else known
    if all(ord(ch) in known or ch in "\n\t" for ch in text):
        return text
    out = []
    for ch in text:
        if ord(ch) in known or ch in "\n\t":
            out.append(ch)
            continue
        base = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
        out.append(base if base and all(ord(c) in known for c in base) else "?")
    return "".join(out)
