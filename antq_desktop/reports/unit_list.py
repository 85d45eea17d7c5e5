"""Lists of units for the ANTT dossier: the shared list pieces, and the list of units still outstanding.

"Danh sách đơn vị chưa đăng ký, chưa đạt tiêu chuẩn “An toàn về an ninh, trật tự”" is issued
by the ward police: header, "DANH SÁCH" and its trích yếu, a one-line count, then one table
with two groups, "I. ĐƠN VỊ CHƯA ĐĂNG KÝ" and "II. ĐƠN VỊ CHƯA ĐẠT TIÊU CHUẨN", the latter with
the criterion points each unit did not meet; the police chief signs.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby

from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.vntext import format_number
from antq_desktop.reports import frame
from antq_desktop.reports.data import ListedUnit, OutstandingList, OutstandingUnit
from antq_desktop.reports.fonts import ITALIC, nfc

LIST_COLUMNS = (   # weights in mm of the 165 mm text width
    frame.Column("TT", 10, "CENTER"),
    frame.Column("Tên đơn vị", 62),
    frame.Column("Loại", 30),
    frame.Column("Địa chỉ", 63),
)
OUTSTANDING_COLUMNS = (
    frame.Column("TT", 10, "CENTER"),
    frame.Column("Tên đơn vị", 58),
    frame.Column("Loại", 30),
    frame.Column("Lý do", 67),
)
NOT_REGISTERED = "Chưa đăng ký phấn đấu"
NOT_PASSED = "Chưa đạt đủ các tiêu chí"


def roman(number: int) -> str:
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    result = ""
    for value, letters in numerals:
        count, number = divmod(number, value)
        result += letters * count
    return result


def list_heading(title: str, reference: str) -> list:
    """An attached list's heading (UPPER, bold) and its italic "(Kèm theo …)" line with a short rule."""
    return [frame.CentredLines(nfc(title).upper()),
            frame.CentredLines(reference, ITALIC, rule=0.3, space_after=12)]


def kinds_in_order(units: Sequence[ListedUnit]) -> list[tuple[str, int]]:
    """(kind label, count) in the order the units give them."""
    return [(kind, len(list(group))) for kind, group in groupby(nfc(unit.kind_label).strip() for unit in units)]


def grouped_units_table(units: Sequence[ListedUnit], columns=LIST_COLUMNS, with_note: bool = False):
    """TT | Tên đơn vị | Loại | Địa chỉ (| Ghi chú), one counted sub-heading per kind; TT runs
    on through the list, so the last number is the total."""
    rows: list = []
    number = 0
    for group, (kind, members) in enumerate(groupby(units, key=lambda unit: nfc(unit.kind_label).strip()), start=1):
        members = list(members)
        rows.append(frame.GroupRow(f"{roman(group)}. {kind.upper()} ({format_number(len(members))})"))
        for unit in members:
            number += 1
            rows.append((str(number), unit.name, unit.kind_label, unit.address, *((unit.note,) if with_note else ())))
    return frame.table_block(columns, rows)


def render_outstanding_list(data: OutstandingList, out) -> None:
    """Write the list of units not registered or not meeting the standard to ``out`` (path or binary file)."""
    story = [
        frame.header_block(data.issuer, None, None, data.issued_on, data.year),
        *frame.title_block("DANH SÁCH", f"Đơn vị chưa đăng ký, chưa đạt tiêu chuẩn {STANDARD_NAME} năm {data.year}"),
        *frame.body_block([_summary(data)]),
        _table(data),
        frame.signature_block(data.signer, data.recipients),
    ]
    frame.build_pdf(out, story, title=f"Danh sách đơn vị chưa đăng ký, chưa đạt năm {data.year}",
                    author=data.issuer.name.replace("\n", " "))


def _count(number: int) -> str:
    return f"{format_number(number)} đơn vị" if number else "không có đơn vị nào"


def _summary(data: OutstandingList) -> str:
    return (f"Năm {data.year}, {_count(len(data.unregistered))} thuộc diện xét chưa đăng ký phấn đấu; "
            f"{_count(len(data.not_passed))} đã họp đánh giá nhưng chưa đạt tiêu chuẩn {STANDARD_NAME}. "
            "Cụ thể như sau:")


def _reasons(unit: OutstandingUnit, default: str) -> list[str]:
    texts = [nfc(reason).strip() for reason in unit.reasons if reason.strip()]
    return [f"Không đạt {text}" if text[:1].isdigit() else text for text in texts] or [default]


def _table(data: OutstandingList):
    """One row per reason: a unit with several unmet points spans its TT, name and kind over them."""
    rows: list = []
    spans: list[tuple[int, int]] = []   # first and last table row of a unit with several reasons
    groups = (("I. ĐƠN VỊ CHƯA ĐĂNG KÝ", data.unregistered, NOT_REGISTERED),
              ("II. ĐƠN VỊ CHƯA ĐẠT TIÊU CHUẨN", data.not_passed, NOT_PASSED))
    for heading, units, default in groups:
        rows.append(frame.GroupRow(f"{heading} ({format_number(len(units))})"))
        if not units:
            rows.append(("", "Không có", "", ""))
        for number, unit in enumerate(units, start=1):
            first, *more = _reasons(unit, default)
            rows.append((str(number), unit.name, unit.kind_label, first))
            rows += [("", "", "", reason) for reason in more]
            if more:
                spans.append((len(rows) - len(more), len(rows)))   # + 1 for the heading row, - 1 for the first
    table = frame.table_block(OUTSTANDING_COLUMNS, rows)
    # A spanned block never splits over a page (reportlab keeps row spans whole).
    table.setStyle([("SPAN", (column, first), (column, last)) for first, last in spans for column in range(3)])
    return table
