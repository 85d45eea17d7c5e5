"""The yearly budget estimate ("Dự trù kinh phí"), printed as an annex of the ward's plan.

Header (the plan's issuer, no number: an annex takes its plan's), "DỰ TRÙ KINH PHÍ", its
subtitle and the "(Kèm theo Kế hoạch số …)" line, then one table: TT | Nội dung | Đơn vị tính |
Số lượng | Đơn giá (đồng) | Thành tiền (đồng) | Ghi chú, under a row of column numbers
"(6) = (4) × (5)" as finance tables are written. Each group is a bold row "I", "II"… with its
subtotal; its lines are numbered 1, 2, 3 inside it; a bold TỔNG CỘNG row closes the table, and
the total follows in words, in italics. Numbers use "." for thousands and stand right-aligned.

Portrait, as ND30 wants, unless the widest amount does not fit its column: then landscape.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import LongTable

from antq_desktop.domain.vntext import format_number
from antq_desktop.reports import fonts, frame
from antq_desktop.reports.data import Issuer, Signer
from antq_desktop.reports.fonts import BOLD, ITALIC, REGULAR
from antq_desktop.reports.unit_list import roman

SIZE = 11          # the table's text: seven columns on a portrait page
PADDING = 3
# (heading, share of the text width in mm of the 165 mm portrait width, alignment of the cells)
COLUMNS = (
    ("TT", 10, "CENTER"),
    ("Nội dung", 55, "LEFT"),
    ("Đơn vị tính", 16, "CENTER"),
    ("Số lượng", 14, "RIGHT"),
    ("Đơn giá (đồng)", 21, "RIGHT"),
    ("Thành tiền (đồng)", 25, "RIGHT"),
    ("Ghi chú", 24, "LEFT"),
)
NUMBERS = ("(1)", "(2)", "(3)", "(4)", "(5)", "(6) = (4) × (5)", "(7)")
AMOUNT_COLUMN = 5


@dataclass(frozen=True)
class BudgetItem:
    """One line: quantity × unit price = amount, or a lump sum (quantity and unit price None)."""

    content: str
    amount: int
    unit_label: str = ""
    quantity: int | None = None
    unit_price: int | None = None
    detail: str = ""


@dataclass(frozen=True)
class BudgetSection:
    """A group (its Roman numeral comes from its place) with its lines and subtotal."""

    title: str
    items: tuple[BudgetItem, ...]
    subtotal: int


@dataclass(frozen=True)
class BudgetEstimate:
    issuer: Issuer
    year: int
    subtitle: str              # "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026"
    reference: str             # "(Kèm theo Kế hoạch số …)", or "" for a stand-alone estimate
    sections: tuple[BudgetSection, ...]
    total: int
    total_in_words: str        # "Bốn mươi tám triệu đồng"
    issued_on: date | None = None   # None: day and month left blank, as in the plan's own draft
    signer: Signer | None = None    # an annex is signed with its plan: none by default
    recipients: tuple[str, ...] = ()


def estimate_title(data: BudgetEstimate) -> str:
    """"Dự trù kinh phí năm 2026" (the file's title and the preview's)."""
    return f"Dự trù kinh phí năm {data.year}"


def render_budget(data: BudgetEstimate, out) -> int:
    """Write the estimate to ``out`` (path or binary file); returns the page count."""
    landscape = not _fits_portrait(data)
    story = frame.annex_heading(data.issuer, "Dự trù kinh phí", data.subtitle, data.reference, data.issued_on,
                                data.year)
    story += [_table(data, landscape), frame.para(f"(Bằng chữ: {data.total_in_words})", _IN_WORDS)]
    if data.signer is not None:
        story.append(frame.signature_block(data.signer, data.recipients, landscape=landscape))
    return frame.build_pdf(out, story, landscape=landscape, title=estimate_title(data),
                           author=data.issuer.name.replace("\n", " "))


_IN_WORDS = ParagraphStyle("in_words", fontName=ITALIC, fontSize=frame.BODY_SIZE,
                           leading=frame.BODY_SIZE * frame.LEADING, alignment=TA_JUSTIFY,
                           firstLineIndent=frame.INDENT, spaceBefore=2)


def _fits_portrait(data: BudgetEstimate) -> bool:
    """Every figure, in bold, on one line of its column at the portrait width."""
    share = frame.text_width() / sum(weight for _, weight, _ in COLUMNS)
    items = [item for section in data.sections for item in section.items]
    figures = {3: [item.quantity for item in items], 4: [item.unit_price for item in items],
               AMOUNT_COLUMN: [data.total, *(s.subtotal for s in data.sections), *(item.amount for item in items)]}
    return all(fonts.width(format_number(value), BOLD, SIZE) <= COLUMNS[column][1] * share - 2 * PADDING
               for column, values in figures.items() for value in values if value is not None)


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("budget_cell", fontName=REGULAR, fontSize=SIZE, leading=SIZE * frame.LEADING,
                          alignment=TA_LEFT)
    return {
        "text": base,
        "bold": ParagraphStyle("budget_bold", base, fontName=BOLD),
        "head": ParagraphStyle("budget_head", base, fontName=BOLD, alignment=TA_CENTER),
        "numbers": ParagraphStyle("budget_numbers", base, fontName=ITALIC, fontSize=SIZE - 1,
                                  leading=(SIZE - 1) * frame.LEADING, alignment=TA_CENTER),
    }


def _number(value: int | None) -> str:
    return "" if value is None else format_number(value)


def _table(data: BudgetEstimate, landscape: bool) -> LongTable:
    """The table; its two heading rows repeat on every page, and a group row never ends a page."""
    styles = _styles()
    width = frame.text_width(landscape)
    widths = [width * weight / sum(c[1] for c in COLUMNS) for _, weight, _ in COLUMNS]
    rows: list[list] = [[frame.para(heading, styles["head"]) for heading, _, _ in COLUMNS],
                        [frame.para(text, styles["numbers"]) for text in NUMBERS]]
    commands: list[tuple] = []
    for index, section in enumerate(data.sections, start=1):
        # A group's row stays with its first line, so no page ends on a bare heading.
        commands += _heading_row(len(rows)) + [("NOSPLIT", (0, len(rows)), (-1, len(rows) + 1))]
        rows.append([roman(index), frame.para(section.title, styles["bold"]), "", "", "",
                     format_number(section.subtotal), ""])
        rows += [_line_row(number, item, styles) for number, item in enumerate(section.items, start=1)]
    if not data.sections:
        commands.append(("SPAN", (1, len(rows)), (4, len(rows))))
        rows.append(["", frame.para("Chưa có khoản chi nào.", styles["text"]), "", "", "", "", ""])
    # The total never stands alone at the top of a page: the last line goes with it.
    commands += _heading_row(len(rows)) + [("NOSPLIT", (0, len(rows) - 1), (-1, len(rows)))]
    rows.append(["", frame.para("TỔNG CỘNG", styles["bold"]), "", "", "", format_number(data.total), ""])
    return LongTable(rows, colWidths=widths, repeatRows=2, style=_table_style(len(rows)) + commands,
                     spaceBefore=8, spaceAfter=6)


def _line_row(number: int, item: BudgetItem, styles) -> list:
    return [str(number), frame.para(item.content, styles["text"]), frame.para(item.unit_label, _centred(styles)),
            _number(item.quantity), _number(item.unit_price), format_number(item.amount),
            frame.para(item.detail, styles["text"])]


def _centred(styles) -> ParagraphStyle:
    return ParagraphStyle("budget_centred", styles["text"], alignment=TA_CENTER)


def _heading_row(row: int) -> list[tuple]:
    """A group's or the total's row: bold, its title across the columns a line's figures take."""
    return [("FONT", (0, row), (-1, row), BOLD, SIZE, SIZE * frame.LEADING), ("SPAN", (1, row), (4, row))]


def _table_style(row_count: int) -> list[tuple]:
    style: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), REGULAR, SIZE, SIZE * frame.LEADING),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("VALIGN", (0, 0), (-1, 1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), PADDING), ("BOTTOMPADDING", (0, 0), (-1, -1), PADDING + 1),
        ("LEFTPADDING", (0, 0), (-1, -1), PADDING), ("RIGHTPADDING", (0, 0), (-1, -1), PADDING),
        # The row of column numbers is lighter and tighter than the rest.
        ("TOPPADDING", (0, 1), (-1, 1), 1), ("BOTTOMPADDING", (0, 1), (-1, 1), 2),
    ]
    return style + [("ALIGN", (i, 2), (i, row_count - 1), align) for i, (_, _, align) in enumerate(COLUMNS)]

