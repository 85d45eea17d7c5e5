"""The year's list of awards: "Danh sách đề nghị khen thưởng" (or "Danh sách khen thưởng" once
every award has its decision) of the movement, issued by the ward police.

Header, "DANH SÁCH" and its trích yếu, a one-line count, then one table, TT | Tên đơn vị, cá
nhân | Hình thức | Cấp khen | Số, ngày quyết định | Thành tích, in two groups, "I. TẬP THỂ" and
"II. CÁ NHÂN"; the police chief signs. Six columns need the width: the page is landscape, as
ND30 allows for a document made of a table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from antq_desktop.domain.vntext import format_number
from antq_desktop.reports import frame
from antq_desktop.reports.data import Issuer, Signer
from antq_desktop.reports.unit_list import roman

MOVEMENT = "phong trào toàn dân bảo vệ an ninh Tổ quốc"
COLUMNS = (   # weights in mm of the 252 mm landscape text width
    frame.Column("TT", 10, "CENTER"),
    frame.Column("Tên đơn vị, cá nhân", 62),
    frame.Column("Hình thức", 32),
    frame.Column("Cấp khen", 40),
    frame.Column("Số, ngày quyết định", 38),
    frame.Column("Thành tích", 70),
)


@dataclass(frozen=True)
class ListedAward:
    recipient: str   # the unit, "Mô hình “…” (host unit)", or "name, title, unit" of a person
    form: str        # "Giấy khen", "Kỷ niệm chương “Bảo vệ an ninh Tổ quốc”"
    level: str       # who awards: "Chủ tịch UBND phường Minh Xuân"
    decision: str    # "125/QĐ-UBND ngày 18/11/2025"; "" for a proposal
    reason: str
    to_person: bool = False


@dataclass(frozen=True)
class AwardList:
    issuer: Issuer
    year: int
    proposal: bool   # True: "đề nghị khen thưởng", some decision is still to come
    issued_on: date | None
    awards: tuple[ListedAward, ...]
    signer: Signer
    recipients: tuple[str, ...] = ()


def list_title(data: AwardList) -> str:
    """"Danh sách đề nghị khen thưởng năm 2025" (the file's title and the preview's)."""
    return f"Danh sách {'đề nghị khen thưởng' if data.proposal else 'khen thưởng'} năm {data.year}"


def render_award_list(data: AwardList, out) -> int:
    """Write the list to ``out`` (path or binary file); returns the page count."""
    subject = f"{'Đề nghị khen thưởng' if data.proposal else 'Khen thưởng'} trong {MOVEMENT} năm {data.year}"
    story = [
        frame.header_block(data.issuer, None, None, data.issued_on, data.year),
        *frame.title_block("DANH SÁCH", subject),
        *frame.body_block([_summary(data.awards, data.year)]),
        _table(data.awards),
        frame.signature_block(data.signer, data.recipients, landscape=True),
    ]
    return frame.build_pdf(out, story, landscape=True, title=list_title(data),
                           author=data.issuer.name.replace("\n", " "))


def _summary(awards: Sequence[ListedAward], year: int) -> str:
    if not awards:
        return f"Năm {year} chưa có khen thưởng nào."
    people = sum(award.to_person for award in awards)
    groups = len(awards) - people
    parts = [f"{format_number(groups)} tập thể" if groups else "", f"{format_number(people)} cá nhân" if people else ""]
    return f"Tổng số: {' và '.join(part for part in parts if part)}, cụ thể như sau:"


def _table(awards: Sequence[ListedAward]):
    rows: list = []
    groups = [("TẬP THỂ", [a for a in awards if not a.to_person]), ("CÁ NHÂN", [a for a in awards if a.to_person])]
    shown = [(heading, members) for heading, members in groups if members]
    for number, (heading, members) in enumerate(shown, start=1):
        rows.append(frame.GroupRow(f"{roman(number)}. {heading} ({format_number(len(members))})"))
        rows += [(str(n), a.recipient, a.form, a.level, a.decision, a.reason) for n, a in enumerate(members, start=1)]
    if not rows:
        rows.append(("", "Không có", "", "", "", ""))
    return frame.table_block(COLUMNS, rows, landscape=True)
