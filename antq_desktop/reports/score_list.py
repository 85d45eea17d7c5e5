"""Thống kê danh sách chấm điểm, mức đề xuất đánh giá, phân loại (QĐ 510/QĐ-BCA-V05 Art. 11.2).

The second paper of the classification dossier, issued by the ward police with its Tờ trình:
the police header (no number), "THỐNG KÊ" and its trích yếu, a one-line count, then one
landscape table grouped by kind: TT | Đơn vị | Điểm tự chấm | Điểm xã chấm | Mức đề xuất |
Xếp loại | Ghi chú (the cap rules applied, the reason for another level). TT runs on through
the list. The police chief signs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from itertools import groupby
from typing import TypeVar

from antq_desktop.domain.classification import points_text
from antq_desktop.domain.vntext import format_number
from antq_desktop.reports import frame
from antq_desktop.reports.data import ScoreList
from antq_desktop.reports.fonts import nfc
from antq_desktop.reports.unit_list import roman

T = TypeVar("T")
MOVEMENT = "phong trào toàn dân bảo vệ an ninh Tổ quốc"
COLUMNS = (   # weights in mm of the 252 mm landscape text width
    frame.Column("TT", 11, "CENTER"),
    frame.Column("Đơn vị", 82),
    frame.Column("Điểm tự chấm", 22, "CENTER"),
    frame.Column("Điểm xã chấm", 22, "CENTER"),
    frame.Column("Mức đề xuất", 25, "CENTER"),
    frame.Column("Xếp loại", 25, "CENTER"),
    frame.Column("Ghi chú", 65),
)


def render_score_list(data: ScoreList, out) -> None:
    """Write the score list (A4 landscape) to ``out`` (path or binary file)."""
    story = [
        frame.header_block(data.issuer, None, None, data.issued_on, data.year),
        *frame.title_block("THỐNG KÊ", f"Danh sách chấm điểm, mức đề xuất đánh giá, phân loại\n{MOVEMENT} "
                                      f"năm {data.year}"),
        *frame.body_block([_summary(data)]),
        _table(data),
        frame.signature_block(data.signer, data.recipients, landscape=True),
    ]
    frame.build_pdf(out, story, landscape=True, title=f"Thống kê danh sách chấm điểm năm {data.year}",
                    author=data.issuer.name.replace("\n", " "))


def _summary(data: ScoreList) -> str:
    text = f"Năm {data.year}, đã chấm điểm {format_number(len(data.units))} đơn vị"
    if data.unscored:
        text += f"; còn {format_number(data.unscored)} đơn vị thuộc diện đánh giá chưa được chấm điểm"
    return text + ". Kết quả cụ thể như sau:"


def grouped_rows(items: Iterable[T], group: Callable[[T], str], cells: Callable[[T], tuple[str, ...]]) -> list:
    """Table rows under a counted heading per run of equal ``group`` ("I. KHU DÂN CƯ (20)"); the
    TT before ``cells`` runs on through the whole list, so the last number is the total."""
    rows: list = []
    number = 0
    for index, (heading, members) in enumerate(groupby(items, key=lambda item: nfc(group(item)).strip()), start=1):
        members = list(members)
        rows.append(frame.GroupRow(f"{roman(index)}. {heading.upper()} ({format_number(len(members))})"))
        for item in members:
            number += 1
            rows.append((str(number), *cells(item)))
    return rows


def _table(data: ScoreList):
    rows = grouped_rows(data.units, lambda unit: unit.kind_label, lambda unit: (
        unit.name, points_text(unit.self_total), points_text(unit.total), unit.proposed, unit.level, unit.note))
    return frame.table_block(COLUMNS, rows, landscape=True)
