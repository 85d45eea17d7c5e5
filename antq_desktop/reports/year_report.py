"""Báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc (the year's, or the six-month
sơ kết), issued by the ward police and sent upward (DOCUMENTS.md §2.6).

The police header with "Số: …/BC-…", "BÁO CÁO" and its trích yếu, "Kính gửi: …", the opening
"Thực hiện …, Công an phường … báo cáo kết quả như sau:", the parts I-V with the sub-sections of
II, "Trên đây là báo cáo …./.", then "Nơi nhận" and the police chief's signature.

The statistical tables stand **inline**, under the section that discusses them (propaganda under
II.2, the ANTT and classification tables under II.6, the targets under III…), each captioned
"Bảng n. …". A superior reads the report section by section and checks each paragraph's figures
against its table; an appendix after the signature would send him to the back for every figure.
The tables are short (at most a dozen rows), so they do not break the text's flow. They are set
at 11 pt so that eight columns fit the portrait width; their header row repeats on a new page.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import CondPageBreak

from antq_desktop.domain.vntext import format_number, format_percent
from antq_desktop.reports import frame
from antq_desktop.reports.data import Issuer, Signer
from antq_desktop.reports.fonts import BOLD, BOLD_ITALIC, nfc
from antq_desktop.reports.registration_form import addressee_block

TABLE_SIZE = 11  # wide tables take a smaller size than the 14 pt text (up to 8 columns in portrait)
SHORT_TABLE = 15  # rows: a table this short moves to the next page whole rather than split


# ---- plain data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Percent:
    """A rate in percent points; None when there is nothing to divide by ("—")."""

    value: float | None


Cell = int | str | Percent | None  # None: no figure ("—")


def cell_text(value: Cell) -> str:
    """"1.234", "85,7%" ("87%" when the tenth is 0), "—" for no figure, text as it is."""
    if value is None or (isinstance(value, Percent) and value.value is None):
        return "—"
    if isinstance(value, Percent):
        # One decimal, but "87%" rather than "87,0%", so a column does not mix "80%" and "87,0%".
        rounded = round(float(value.value), 1)
        return format_percent(rounded, 0 if rounded.is_integer() else 1)
    if isinstance(value, int):
        return format_number(value)
    return value


@dataclass(frozen=True)
class ReportTable:
    code: str
    title: str                        # the caption, without "Bảng n."
    sheet: str                        # the Excel sheet's name (at most 31 characters)
    columns: tuple[frame.Column, ...]
    rows: tuple[tuple[Cell, ...], ...]
    totals: int = 1                   # the last rows that are totals (bold)


@dataclass(frozen=True)
class ReportPart:
    heading: str                      # "I. ĐẶC ĐIỂM TÌNH HÌNH", "1. Công tác lãnh đạo, chỉ đạo"
    level: int                        # 1: a part (Roman), 2: a sub-section of part II
    text: str = ""                    # paragraphs, one a line
    tables: tuple[ReportTable, ...] = ()


@dataclass(frozen=True)
class YearReportDocument:
    issuer: Issuer
    number: str                       # "" leaves the number to the văn thư
    symbol: str                       # "BC-CAP"
    issued_on: date | None            # None leaves day and month blank
    year: int                         # of the date line when ``issued_on`` is None
    subject: str                      # trích yếu
    recipient: str                    # after "Kính gửi:"
    opening: str                      # "Thực hiện …, Công an phường … báo cáo kết quả như sau:"
    parts: tuple[ReportPart, ...]
    closing: str                      # "Trên đây là báo cáo …./."
    signer: Signer
    recipients: tuple[str, ...] = ()  # Nơi nhận


def document_title(report: YearReportDocument) -> str:
    return f"Báo cáo số {frame.document_number(report.number, report.symbol)}"


# ---- drawing --------------------------------------------------------------------------------------

_STYLES = {
    # Part headings bold (ND30 ô 6), sub-sections bold too, both indented like the paragraphs, kept
    # with the text under them, and not justified (a wrapped heading would be stretched).
    1: ParagraphStyle("part", frame.STYLES["body"], fontName=BOLD, keepWithNext=1, spaceBefore=6, alignment=TA_LEFT),
    2: ParagraphStyle("section", frame.STYLES["body"], fontName=BOLD, keepWithNext=1, alignment=TA_LEFT),
}
_CAPTION = ParagraphStyle("caption", frame.STYLES["body"], fontName=BOLD_ITALIC, fontSize=13, leading=13 * 1.2,
                          alignment=TA_CENTER, firstLineIndent=0, spaceBefore=4, spaceAfter=0)


def render_year_report(report: YearReportDocument, out) -> int:
    """Write the report to ``out`` (path or binary file); returns the page count."""
    story = [
        frame.header_block(report.issuer, report.number, report.symbol, report.issued_on, report.year),
        *frame.title_block("BÁO CÁO", report.subject),
        addressee_block(report.recipient),
        frame.para(report.opening),
    ]
    numbered = 0
    for part in report.parts:
        story.append(frame.para(part.heading, _STYLES[part.level]))
        story += frame.body_block(_paragraphs(part.text))
        for table in part.tables:
            numbered += 1
            story += _captioned(frame.para(f"Bảng {numbered}. {table.title}", _CAPTION), table)
    # The signature never stands alone at the top of a page: the closing line goes with it.
    story.append(frame.KeepTogether([frame.para(report.closing),
                                     frame.signature_block(report.signer, report.recipients)]))
    return frame.build_pdf(out, story, title=document_title(report), author=report.issuer.name.replace("\n", " "))


def _captioned(caption, table: ReportTable) -> list:
    """A short table stays whole with its caption; a long one starts on the page it reaches, with
    its caption and a few rows at least (a whole empty page before it would look like a mistake)."""
    if len(table.rows) <= SHORT_TABLE:
        return [frame.KeepTogether([caption, table_flowable(table)])]
    return [CondPageBreak(5 * cm), caption, table_flowable(table)]


def _paragraphs(text: str) -> list[str]:
    return [line.strip() for line in nfc(text).split("\n") if line.strip()]


def table_flowable(table: ReportTable):
    rows = [tuple(cell_text(value) for value in row) for row in table.rows]
    flowable = frame.table_block(table.columns, rows, size=TABLE_SIZE)
    if table.totals and rows:
        flowable.setStyle([("FONT", (0, len(rows) - table.totals + 1), (-1, -1), BOLD, TABLE_SIZE,
                            TABLE_SIZE * frame.LEADING)])
    return flowable
