"""The one typeface of every printed document: Liberation Serif, embedded.

ND30 (Phụ lục I, I) asks for Times New Roman in Unicode (TCVN 6909:2001). Liberation Serif
has the same metrics, covers every Vietnamese letter and may be shipped (SIL OFL), so a
page laid out here breaks its lines where Word with Times New Roman would. reportlab's
built-in Times has no Vietnamese glyphs; a TTFont is always embedded (as a subset).

reportlab places combining marks badly, so all text is NFC-normalised before drawing: every
Vietnamese letter then is one precomposed glyph of the font.
"""

from __future__ import annotations

import unicodedata
from functools import cache

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from antq_desktop.resources import resource_path

FAMILY = "LiberationSerif"
REGULAR = "LiberationSerif"
BOLD = "LiberationSerif-Bold"
ITALIC = "LiberationSerif-Italic"
BOLD_ITALIC = "LiberationSerif-BoldItalic"

_FILES = {
    REGULAR: "LiberationSerif-Regular.ttf",
    BOLD: "LiberationSerif-Bold.ttf",
    ITALIC: "LiberationSerif-Italic.ttf",
    BOLD_ITALIC: "LiberationSerif-BoldItalic.ttf",
}


@cache
def register_fonts() -> str:
    """Register the four faces once per process; return the family name.

    The family mapping lets ``<b>``/``<i>`` inside a Paragraph pick the right face.
    """
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(resource_path("fonts", file_name))))
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    for bold in (0, 1):
        for italic in (0, 1):
            face = ((REGULAR, ITALIC), (BOLD, BOLD_ITALIC))[bold][italic]
            addMapping(FAMILY, bold, italic, face)
    return FAMILY


def nfc(text: str | None) -> str:
    """``text`` in NFC ("" for None): the only form reportlab draws Vietnamese right in."""
    return unicodedata.normalize("NFC", text or "")


def width(text: str, font: str, size: float) -> float:
    """Width in points of one line of ``text`` (NFC) in ``font`` at ``size``."""
    register_fonts()
    return pdfmetrics.stringWidth(nfc(text), font, size)


def wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Break ``text`` into lines no wider than ``max_width``; "\\n" forces a break.

    A single word wider than the line is broken between characters rather than allowed
    to spill over a border or into the other header column. Runs of spaces become one.
    """
    lines: list[str] = []
    for part in nfc(text).split("\n"):
        line = ""
        # Split on plain spaces only: a no-break space (the gaps left for a date) holds together.
        for word in filter(None, part.split(" ")):
            candidate = f"{line} {word}" if line else word
            if width(candidate, font, size) <= max_width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = word
            while width(line, font, size) > max_width and len(line) > 1:
                cut = len(line) - 1
                while cut > 1 and width(line[:cut], font, size) > max_width:
                    cut -= 1
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def balanced_wrap(text: str, font: str, size: float, max_width: float) -> list[str]:
    """Like :func:`wrap`, but with lines of even length, as a centred heading is set.

    A centred trích yếu broken greedily leaves a stub of two words on its last line; the
    narrowest width that still gives the same number of lines spreads the words evenly.
    "\n" still forces a break; each part is balanced on its own.
    """
    lines: list[str] = []
    for part in nfc(text).split("\n"):
        greedy = wrap(part, font, size, max_width)
        low, high = max_width / len(greedy), max_width
        while len(greedy) > 1 and high - low > 1:
            middle = (low + high) / 2
            if len(wrap(part, font, size, middle)) == len(greedy):
                high = middle
            else:
                low = middle
        lines += wrap(part, font, size, high)
    return lines
