"""The plan's task table ("Biểu phân công nhiệm vụ"), printed as an annex of the ward's plan.

Header (the plan's issuer, no number: an annex takes its plan's), "BIỂU PHÂN CÔNG NHIỆM VỤ", its
subtitle and the "(Kèm theo Kế hoạch số …)" line, then one table: TT | Nội dung | Cơ quan chủ
trì | Cơ quan phối hợp | Thời gian hoàn thành | Ghi chú. The office's follow-up (done or not) is
not printed: the annex goes to the agencies it names.

Six columns, one of long text: landscape, as ND30 allows for a table. The header row repeats on
every page; a row never splits across pages (reportlab moves it whole to the next page).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from antq_desktop.reports import frame
from antq_desktop.reports.data import Issuer, Signer

COLUMNS = (   # weights in mm of the 252 mm landscape text width
    frame.Column("TT", 10, "CENTER"),
    frame.Column("Nội dung", 90),
    frame.Column("Cơ quan chủ trì", 38),
    frame.Column("Cơ quan phối hợp", 50),
    frame.Column("Thời gian hoàn thành", 26, "CENTER"),
    # wide enough for a document number ("510/QĐ-BCA-V05") on one line
    frame.Column("Ghi chú", 38),
)


@dataclass(frozen=True)
class TableTask:
    content: str
    lead: str       # cơ quan chủ trì
    partners: str   # cơ quan phối hợp
    due: str        # as printed: "Quý I", "Trước 30/10", or a date
    notes: str = ""


@dataclass(frozen=True)
class TaskTable:
    issuer: Issuer
    year: int
    subtitle: str              # "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026"
    reference: str             # "(Kèm theo Kế hoạch số …)", or "" for a stand-alone table
    tasks: tuple[TableTask, ...]
    issued_on: date | None = None   # None: day and month left blank, as in the plan's own draft
    signer: Signer | None = None    # an annex is signed with its plan: none by default
    recipients: tuple[str, ...] = ()


def table_title(data: TaskTable) -> str:
    """"Biểu phân công nhiệm vụ năm 2026" (the file's title and the preview's)."""
    return f"Biểu phân công nhiệm vụ năm {data.year}"


def render_task_table(data: TaskTable, out) -> int:
    """Write the table (A4 landscape) to ``out`` (path or binary file); returns the page count."""
    story = frame.annex_heading(data.issuer, "Biểu phân công nhiệm vụ", data.subtitle, data.reference,
                                data.issued_on, data.year, space_before=18)
    story.append(frame.table_block(COLUMNS, _rows(data.tasks), landscape=True))
    if data.signer is not None:
        story.append(frame.signature_block(data.signer, data.recipients, landscape=True))
    return frame.build_pdf(out, story, landscape=True, title=table_title(data),
                           author=data.issuer.name.replace("\n", " "))


def _rows(tasks: tuple[TableTask, ...]) -> list[tuple[str, ...]]:
    if not tasks:
        return [("", "Chưa có nhiệm vụ nào.", "", "", "", "")]
    return [(str(number), task.content, task.lead, task.partners, task.due, task.notes)
            for number, task in enumerate(tasks, start=1)]
