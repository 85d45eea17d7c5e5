"""The page frame of Nghị định 30/2020/NĐ-CP, shared by every administrative document.

A document module builds a *story* from the blocks below and hands it to
:func:`build_pdf`::

    story = [header_block(issuer, "125", "QĐ-UBND", date(2026, 1, 5), 2026),
             *title_block("QUYẾT ĐỊNH", subject, authority),
             *bases_block(bases), *articles_block(articles),
             signature_block(signer, recipients)]
    build_pdf(out, story, title="Quyết định số 125/QĐ-UBND")

Sizes and positions follow DOCUMENTS.md §1.2-1.5 (ND30 Phụ lục I); each rule is cited where
it is applied. Every text passes through :func:`fonts.nfc` and is escaped before it reaches
a Paragraph, so user text can hold "&" or "<" safely.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.pagesizes import landscape as to_landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm, mm
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    LongTable,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from antq_desktop.domain.vntext import document_date
from antq_desktop.domain.vntext import document_number as vntext_number
from antq_desktop.reports import fonts
from antq_desktop.reports.data import Issuer, Signer
from antq_desktop.reports.fonts import BOLD, BOLD_ITALIC, FAMILY, ITALIC, REGULAR, nfc

# ND30 Phụ lục I, I.3: top 20-25, bottom 20-25, left 30-35, right 15-20 mm. The minimum of
# each range leaves the most room for the two-column header.
TOP, BOTTOM, LEFT, RIGHT = 20 * mm, 20 * mm, 30 * mm, 15 * mm
BODY_SIZE = 14          # nội dung 13-14 pt
LEADING = 1.2           # "single" line spacing (ND30 allows single up to 1.5 lines)
INDENT = 1 * cm         # first-line indent 1 or 1.27 cm
PARAGRAPH_SPACE = 6     # at least 6 pt between paragraphs
RULE_WIDTH = 0.6        # drawn rules, never underlines or underscores (ND30 ô 1, 2, 5a)
# The blank a văn thư fills in by hand (number, day, month): no-break spaces, which neither
# Paragraphs nor fonts.wrap collapse.
GAP = "\u00a0" * 7

register = fonts.register_fonts


def page_size(landscape: bool = False) -> tuple[float, float]:
    """A4 for every administrative document; landscape only for wide tables (ND30 I.2)."""
    return to_landscape(A4) if landscape else A4


def text_width(landscape: bool = False) -> float:
    return page_size(landscape)[0] - LEFT - RIGHT


def _style(name: str, font: str = REGULAR, size: float = BODY_SIZE, **options) -> ParagraphStyle:
    return ParagraphStyle(name, fontName=font, fontSize=size, leading=size * LEADING, **options)


STYLES = {
    "body": _style("body", alignment=TA_JUSTIFY, firstLineIndent=INDENT, spaceAfter=PARAGRAPH_SPACE),
    # Căn cứ: italic 13-14, one per line, indented and justified like the body.
    "basis": _style("basis", ITALIC, alignment=TA_JUSTIFY, firstLineIndent=INDENT, spaceAfter=PARAGRAPH_SPACE / 2),
    # Nơi nhận: the label 12 pt bold italic, each recipient 11 pt upright (ô 9b).
    "recipients_label": _style("recipients_label", BOLD_ITALIC, 12),
    "recipient": _style("recipient", REGULAR, 11, leftIndent=6, firstLineIndent=-6),
    # Quyền hạn, chức vụ and họ tên of the signer: 13-14 bold, centred (ô 7a-7c).
    "signer": _style("signer", BOLD, alignment=TA_CENTER),
    "cell": _style("cell", REGULAR, 12, alignment=TA_LEFT),
    "cell_head": _style("cell_head", BOLD, 12, alignment=TA_CENTER),
}


def para(text: str, style: str | ParagraphStyle = "body", *, markup: bool = False) -> Paragraph:
    """A Paragraph of plain ``text`` (escaped, NFC); ``markup=True`` keeps tags like <b>."""
    register()   # a Paragraph resolves its font family when it is made
    text = nfc(text)
    return Paragraph(text if markup else escape(text), STYLES.get(style, style) if isinstance(style, str) else style)


# --------------------------------------------------------------------------------------
# Fixed formulas and number/date lines
# --------------------------------------------------------------------------------------

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"   # ND30 spelling "HÒA"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"          # hyphen-minus U+002D with spaces, never a dash


def document_number(number: str, symbol: str) -> str:
    """"05/QĐ-UBND": numbers below 10 take a leading zero; "" leaves a gap for the văn thư (ô 3)."""
    return f"{vntext_number(nfc(number)) or GAP}/{nfc(symbol)}"


def number_line(number: str, symbol: str) -> str:
    """"Số: 05/QĐ-UBND" ("Số" lower case, 13 pt)."""
    return f"Số: {document_number(number, symbol)}"


def date_line(place: str, issued_on: date | None, year: int | None) -> str:
    """The địa danh and date (ô 4); ``None`` leaves day and month (and a ``None`` year) blank."""
    if issued_on is not None:
        return document_date(issued_on, place)
    place = nfc(place).strip()
    prefix = f"{place[:1].upper()}{place[1:]}, " if place else ""
    return f"{prefix}ngày{GAP}tháng{GAP}năm {year if year is not None else GAP}"


def date_words(issued_on: date | None, year: int) -> str:
    """"ngày 18 tháng 11 năm 2026" for citing a document; blanks when the date is unknown."""
    return document_date(issued_on) if issued_on is not None else f"ngày{GAP}tháng{GAP}năm {year}"


# --------------------------------------------------------------------------------------
# Drawn pieces: centred lines with computed widths, and short rules
# --------------------------------------------------------------------------------------


@dataclass
class _Line:
    text: str
    font: str
    size: float


def _ascent(size: float) -> float:
    return size * 0.891      # Liberation Serif / Times New Roman ascender


class _Header(Flowable):
    """The first-page header, drawn: a borderless two-column layout (ND30 §1.5).

    Left, centred on the column: managing body (upright), issuing body (bold), a rule of
    40 % of the body's widest line, then "Số: …". Right, centred: Quốc hiệu on one line,
    Tiêu ngữ, a rule as long as the Tiêu ngữ, then the date line on the baseline of "Số".
    Drawing it (rather than a Table) makes both columns share baselines exactly and lets
    each rule be measured on the text it underlines.
    """

    def __init__(self, issuer: Issuer, number: str | None, date_text: str, summary: str | None):
        super().__init__()
        self.issuer, self.number, self.date_text, self.summary = issuer, number, date_text, summary

    def wrap(self, avail_width, avail_height):
        # ND30 pairs Quốc hiệu 13 with Tiêu ngữ 14, or 12 with 13, agency names 12-13. Take the
        # larger set when the agency names fit the left column unwrapped; otherwise the smaller
        # set, whose narrower Quốc hiệu leaves the left column 7 mm more.
        for size in (13, 12):
            # The right column holds the Quốc hiệu on one line, plus 2 mm of air each side.
            right = max(fonts.width(QUOC_HIEU, BOLD, size) + 4 * mm, 0.55 * avail_width)
            column = avail_width - right - 4 * mm
            if all(len(fonts.wrap(n, BOLD, size, column)) == len(n.split("\n")) for n in self._names()):
                break
        self.size = size
        self.left_width, self.right_width = avail_width - right, right
        self.left: list[_Line] = []
        if self.issuer.parent:
            parent = fonts.balanced_wrap(self.issuer.parent, REGULAR, size, column)
            self.left += [_Line(text, REGULAR, size) for text in parent]
        name = fonts.balanced_wrap(self.issuer.name, BOLD, size, column)
        self.bold_lines = [_Line(text, BOLD, size) for text in name]
        self.left += self.bold_lines
        self.right = [_Line(QUOC_HIEU, BOLD, size), _Line(TIEU_NGU, BOLD, size + 1)]
        # Baselines from the top of the flowable.
        left_base = [_ascent(size) + i * size * LEADING for i in range(len(self.left))]
        right_base = [_ascent(size), _ascent(size) + (size + 1) * LEADING]
        # Rules clear the descenders and the dots below (ạ, ệ) of the line above.
        self.left_rule = left_base[-1] + 6
        self.right_rule = right_base[-1] + 6
        self.left_base, self.right_base = left_base, right_base
        # Row 2 (Số | date) shares one baseline below the lower rule.
        self.row2 = max(self.left_rule, self.right_rule) + 20
        self.summary_lines = fonts.wrap(self.summary, REGULAR, 12, column) if self.summary else []
        self.column = column
        bottom = self.row2 + len(self.summary_lines) * 12 * LEADING + 4
        self.height = bottom
        return avail_width, self.height

    def _names(self) -> list[str]:
        return [nfc(n) for n in (self.issuer.parent, self.issuer.name) if n]

    def _centred(self, line: _Line, centre: float, baseline: float, max_width: float | None = None):
        size = line.size
        if max_width is not None:  # an extreme place name: shrink rather than cross a column
            while size > 9 and fonts.width(line.text, line.font, size) > max_width:
                size -= 0.5
        self.canv.setFont(line.font, size)
        self.canv.drawCentredString(centre, self.height - baseline, line.text)

    def _rule(self, centre: float, length: float, baseline: float):
        y = self.height - baseline
        self.canv.setLineWidth(RULE_WIDTH)
        self.canv.line(centre - length / 2, y, centre + length / 2, y)

    def draw(self):
        left_centre = self.left_width / 2
        right_centre = self.left_width + self.right_width / 2
        for line, base in zip(self.left, self.left_base):
            self._centred(line, left_centre, base)
        for line, base in zip(self.right, self.right_base):
            self._centred(line, right_centre, base)
        # ô 2: a rule 1/3 to 1/2 of the issuing body's line, centred on it.
        widest = max((fonts.width(line.text, BOLD, line.size) for line in self.bold_lines), default=0)
        self._rule(left_centre, 0.4 * widest, self.left_rule)
        # ô 1: a rule as long as the Tiêu ngữ.
        self._rule(right_centre, fonts.width(TIEU_NGU, BOLD, self.size + 1), self.right_rule)
        if self.number is not None:   # ô 3: "Số" 13 pt, centred under the issuing body
            self._centred(_Line(self.number, REGULAR, 13), left_centre, self.row2, self.column)
        # ô 4: italic, same baseline as "Số", centred under the Quốc hiệu.
        self._centred(_Line(self.date_text, ITALIC, 14), right_centre, self.row2, self.right_width - 4 * mm)
        for i, text in enumerate(self.summary_lines):   # ô 5b: "V/v …" of a công văn, 12 pt
            self._centred(_Line(text, REGULAR, 12), left_centre, self.row2 + (i + 1) * 12 * LEADING)


class CentredLines(Flowable):
    """Lines centred on the text width, wrapped evenly, optionally with a short rule under them."""

    def __init__(self, text: str, font: str = BOLD, size: float = BODY_SIZE, *, rule: float = 0.0,
                 space_before: float = 0.0, space_after: float = 0.0):
        super().__init__()
        self.text, self.font, self.size, self.rule = nfc(text), font, size, rule
        self.spaceBefore, self.spaceAfter = space_before, space_after

    def wrap(self, avail_width, avail_height):
        self.width = avail_width
        self.lines = fonts.balanced_wrap(self.text, self.font, self.size, avail_width)
        self.height = len(self.lines) * self.size * LEADING + (8 if self.rule else 0)
        return avail_width, self.height

    def draw(self):
        self.canv.setFont(self.font, self.size)
        step = self.size * LEADING
        for i, line in enumerate(self.lines):
            self.canv.drawCentredString(self.width / 2, self.height - _ascent(self.size) - i * step, line)
        if self.rule:
            length = self.rule * max(fonts.width(line, self.font, self.size) for line in self.lines)
            self.canv.setLineWidth(RULE_WIDTH)
            self.canv.line((self.width - length) / 2, 2, (self.width + length) / 2, 2)


# --------------------------------------------------------------------------------------
# Blocks a document module assembles
# --------------------------------------------------------------------------------------


def header_block(issuer: Issuer, number: str | None, symbol: str | None, issued_on: date | None, year: int,
                 *, summary: str | None = None) -> Flowable:
    """The first-page header. ``symbol=None`` omits the "Số" line; ``summary`` is a công văn's "V/v …"."""
    numbering = number_line(number or "", symbol) if symbol else None
    return _Header(issuer, numbering, date_line(issuer.place, issued_on, year), summary)


def title_block(type_name: str, subject: str = "", authority: str | None = None) -> list[Flowable]:
    """Tên loại (bold, UPPER), trích yếu (bold) with a short rule, then the authority line (ô 5a)."""
    story: list[Flowable] = [CentredLines(nfc(type_name).upper(), space_before=22)]
    if subject:
        # A rule 1/3 to 1/2 of the trích yếu line, centred under it.
        story.append(CentredLines(subject, rule=0.35))
    if authority:
        story.append(CentredLines(nfc(authority).upper(), space_before=10, space_after=8))
    return story


def annex_heading(issuer: Issuer, type_name: str, subtitle: str, reference: str, issued_on: date | None,
                  year: int, *, space_before: float = 22) -> list[Flowable]:
    """The top of a plan's annex (task table, budget estimate): header without "Số", the type name,
    what it is for, and "(Kèm theo Kế hoạch số …)" in italics, the short rule under the last line."""
    story: list[Flowable] = [header_block(issuer, None, None, issued_on, year),
                             CentredLines(nfc(type_name).upper(), space_before=space_before),
                             CentredLines(subtitle, rule=0 if reference else 0.35)]
    if reference:
        story.append(CentredLines(reference, ITALIC, 13, rule=0.3))
    return story


def bases_block(lines: Sequence[str]) -> list[Flowable]:
    """Căn cứ lines, italic, one per paragraph, ending ";" or "." exactly as given."""
    return [para(line, "basis") for line in lines]


def body_block(paragraphs: Sequence[str]) -> list[Flowable]:
    """Plain body paragraphs: justified, first-line indent (ND30 ô 6)."""
    return [para(text) for text in paragraphs]


def articles_block(texts: Sequence[str], heading: str | None = "QUYẾT ĐỊNH:") -> list[Flowable]:
    """ "QUYẾT ĐỊNH:" then "Điều 1.", "Điều 2." … in bold; a "\\n" in a text starts a new paragraph (khoản)."""
    story: list[Flowable] = [CentredLines(heading, space_before=8, space_after=6)] if heading else []
    for number, text in enumerate(texts, start=1):
        first, *rest = nfc(text).split("\n")
        story.append(para(f"<b>Điều {number}.</b> {escape(first)}", markup=True))
        story += [para(part) for part in rest if part.strip()]
    return story


SIGNATURE_SPACE = 2.8 * cm   # room for the signature and the seal between title and name


def signature_block(signer: Signer, recipients: Sequence[str], *, landscape: bool = False) -> Table:
    """Nơi nhận on the left (~40 %), the signer centred on the right (~60 %), tops level (ô 7, 9b).

    A one-row table never splits, so the block moves to the next page as a whole.
    """
    # "\n" stacks lines, e.g. authority "TM. ỦY BAN NHÂN DÂN\nKT. CHỦ TỊCH", title "PHÓ CHỦ TỊCH".
    titles = "\n".join(nfc(t) for t in (signer.authority, signer.title) if t).upper().split("\n")
    right: list[Flowable] = [para(line, "signer") for line in titles]
    right.append(Spacer(1, SIGNATURE_SPACE))
    right.append(para(signer.name or "\u00a0", "signer"))
    left: list[Flowable] = []
    if recipients:
        left = [para("Nơi nhận:", "recipients_label"), *(para(line, "recipient") for line in recipients)]
    width = text_width(landscape)
    table = Table([[left, right]], colWidths=[0.42 * width, 0.58 * width], spaceBefore=PARAGRAPH_SPACE * 2)
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR),   # else the table names Helvetica, unembedded
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        # "Nơi nhận:" (12 pt) sits on the baseline of the first signer line (14 pt).
        ("TOPPADDING", (0, 0), (0, 0), _ascent(BODY_SIZE) - _ascent(12)), ("TOPPADDING", (1, 0), (1, 0), 0),
    ])
    return table


@dataclass(frozen=True)
class Column:
    heading: str
    weight: float           # share of the text width
    align: str = "LEFT"     # LEFT, CENTER or RIGHT


@dataclass(frozen=True)
class GroupRow:
    """A sub-heading row spanning the whole table, e.g. "I. KHU DÂN CƯ (20)"."""
    text: str


def table_block(columns: Sequence[Column], rows: Sequence[Sequence[str] | GroupRow], *,
                landscape: bool = False, size: float = 12) -> Table:
    """A ruled table whose header row repeats on every page; rows flow across pages.

    LongTable measures only the rows that fit the page, so a 1,000-row list lays out in
    linear time. A cell becomes a wrapping Paragraph only when its text is too wide: plain
    strings are much faster to lay out.
    """
    width = text_width(landscape)
    total = sum(c.weight for c in columns)
    widths = [width * c.weight / total for c in columns]
    padding = 3
    cell = ParagraphStyle("cell", STYLES["cell"], fontSize=size, leading=size * LEADING)
    head = ParagraphStyle("head", STYLES["cell_head"], fontSize=size, leading=size * LEADING)
    aligned = {name: ParagraphStyle(f"cell_{name}", cell, alignment=value)
               for name, value in (("LEFT", TA_LEFT), ("CENTER", TA_CENTER), ("RIGHT", TA_RIGHT))}
    data: list[list] = [[para(c.heading, head) for c in columns]]
    style = [
        ("FONT", (0, 0), (-1, -1), REGULAR, size, size * LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), padding), ("BOTTOMPADDING", (0, 0), (-1, -1), padding + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), padding), ("RIGHTPADDING", (0, 0), (-1, -1), padding),
    ]
    style += [("ALIGN", (i, 1), (i, -1), c.align) for i, c in enumerate(columns)]
    for row in rows:
        r = len(data)
        if isinstance(row, GroupRow):
            data.append([para(row.text, ParagraphStyle("group", cell, fontName=BOLD))] + [""] * (len(columns) - 1))
            # A sub-heading never ends a page: it stays with the row under it.
            style += [("SPAN", (0, r), (-1, r)), ("NOSPLIT", (0, r), (-1, r + 1))]
            continue
        cells = []
        for text, w, c in zip([*row, *[""] * (len(columns) - len(row))], widths, columns):
            text = nfc(text)
            fits = "\n" not in text and fonts.width(text, REGULAR, size) <= w - 2 * padding
            cells.append(text if fits else para(text, aligned[c.align]))
        data.append(cells)
    return LongTable(data, colWidths=widths, repeatRows=1, style=style, spaceBefore=6, spaceAfter=6)


# --------------------------------------------------------------------------------------
# Page numbers and the document
# --------------------------------------------------------------------------------------


class RestartPageNumbers(Flowable):
    """Place at the top of a page to number from 1 again (e.g. a separately numbered phụ lục)."""

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def draw(self):
        self.canv._antq_first_page = self.canv.getPageNumber()


def _page_number(canvas, doc) -> None:
    """ND30 I.2: Arabic numerals, 13-14 pt, centred in the top margin, not on page 1."""
    number = canvas.getPageNumber() - getattr(canvas, "_antq_first_page", 1) + 1
    if number > 1:
        canvas.saveState()
        canvas.setFont(REGULAR, 13)
        canvas.drawCentredString(LEFT + (doc.pagesize[0] - LEFT - RIGHT) / 2, doc.pagesize[1] - TOP / 2 - 4,
                                 str(number))
        canvas.restoreState()


def output_target(out):
    """reportlab takes a str path or a binary file; accept any path-like too."""
    return os.fspath(out) if isinstance(out, os.PathLike) else out


def build_pdf(out, story: list[Flowable], *, landscape: bool = False, title: str = "", author: str = "") -> int:
    """Lay ``story`` out on A4 with the ND30 margins into ``out`` (path or binary file); return the page count."""
    register()
    size = page_size(landscape)
    doc = BaseDocTemplate(output_target(out), pagesize=size, leftMargin=LEFT, rightMargin=RIGHT, topMargin=TOP,
                          bottomMargin=BOTTOM, title=nfc(title), subject=nfc(title), author=nfc(author),
                          creator="ANTQ Desktop", initialFontName=REGULAR)
    frame = Frame(LEFT, BOTTOM, size[0] - LEFT - RIGHT, size[1] - TOP - BOTTOM, id="text",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    # Numbers are drawn when a page ends, after a RestartPageNumbers on it has run.
    doc.addPageTemplates([PageTemplate(id="nd30", frames=[frame], onPageEnd=_page_number)])
    doc.build(story)
    return doc.page


__all__ = [
    "BODY_SIZE", "FAMILY", "GAP", "QUOC_HIEU", "STYLES", "TIEU_NGU", "CentredLines", "Column", "GroupRow",
    "KeepTogether", "PageBreak", "RestartPageNumbers", "articles_block", "bases_block", "body_block", "build_pdf",
    "date_line", "date_words", "document_number", "header_block", "number_line", "output_target", "page_size", "para",
    "signature_block", "table_block", "text_width", "title_block",
]
