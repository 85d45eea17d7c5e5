"""Reading the audit trail: filter it, show it, export it to Excel.

Every role may read it. Nothing here writes, changes or deletes an entry: the database layer
(``db/audit.py``) writes one with every change, and the guard refuses any other write to it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from antq_desktop.db import audit as db_audit
from antq_desktop.db.models import AuditEntry
from antq_desktop.domain import vntext
from antq_desktop.services import excel

TABLE_LABELS = db_audit.TABLE_LABELS  # the tables as an officer names them: "Đơn vị", "Quyết định"…
ACTION_LABELS = db_audit.ACTION_LABELS  # "Thêm", "Sửa", "Xoá"
EXPORT_HEADERS = ("Thời điểm", "Người thực hiện", "Thao tác", "Loại dữ liệu", "Mã bản ghi", "Nội dung",
                  "Giá trị trước", "Giá trị sau")
_EXCEL_CELL_MAX = 32_000  # Excel refuses a cell longer than 32,767 characters
_SCAN_BATCH = 2_000


@dataclass
class AuditQuery:
    """Which entries to show; empty fields do not filter. ``text`` is looked for, without tones
    or case, in the summary and the officer's name, and as typed in the values before and after."""

    date_from: date | None = None
    date_to: date | None = None
    actor: str = ""
    table_name: str = ""
    text: str = ""


@dataclass(frozen=True)
class AuditRow:
    id: int
    at: datetime
    actor: str
    action: str
    action_label: str
    table_name: str
    table_label: str
    record_id: int | None
    summary: str
    before: dict
    after: dict


def find_entries(session: Session, query: AuditQuery, limit: int | None = 1000) -> list[AuditRow]:
    """The entries ``query`` asks for, newest first (at most ``limit``; None: all of them)."""
    statement = _filtered(query).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    if not query.text.strip():
        if limit is not None:
            statement = statement.limit(limit)
        return [_row(entry) for entry in session.scalars(statement)]
    # SQLite folds only ASCII letters: the text filter runs here, over the entries the other filters leave
    found: list[AuditRow] = []
    matches = _matcher(query.text)
    # closed when left early: on PostgreSQL yield_per reads through a server-side cursor
    with session.scalars(statement.execution_options(yield_per=_SCAN_BATCH)) as entries:
        for entry in entries:
            if matches(entry):
                found.append(_row(entry))
                if limit is not None and len(found) >= limit:
                    break
    return found


def actors(session: Session) -> list[str]:
    """Everyone who has changed something, in Vietnamese order (the audit page's filter)."""
    names = session.scalars(select(AuditEntry.actor).distinct()).all()
    return sorted(names, key=vntext.sort_key)


def export_entries(session: Session, query: AuditQuery, path: str | Path) -> int:
    """Write the entries ``query`` asks for (all of them, newest first) to an .xlsx file;
    returns how many rows were written."""
    from openpyxl import Workbook

    rows = find_entries(session, query, limit=None)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Nhật ký thay đổi"
    excel.write_table(sheet, EXPORT_HEADERS, (
        (row.at, row.actor, row.action_label, row.table_label, row.record_id, _cell(row.summary),
         _cell(values_text(row.before)), _cell(values_text(row.after))) for row in rows),
        (20, 18, 10, 24, 11, 60, 50, 50))
    for (cell,) in sheet.iter_rows(min_row=2, max_col=1):
        cell.number_format = "dd/mm/yyyy hh:mm:ss"
    excel.save_workbook(workbook, path)
    return len(rows)


def values_text(values: dict) -> str:
    """"name: Tổ dân phố 3" one per line, as the export and the audit page show the values."""
    return "\n".join(f"{key}: {_value_text(value)}" for key, value in values.items())


def _value_text(value) -> str:
    if value is None or value == "":
        return "(trống)"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _filtered(query: AuditQuery) -> Select:
    statement = select(AuditEntry)
    if query.date_from is not None:
        statement = statement.where(AuditEntry.at >= datetime.combine(query.date_from, time.min))
    if query.date_to is not None:
        statement = statement.where(AuditEntry.at < datetime.combine(query.date_to + timedelta(days=1), time.min))
    if query.actor:
        statement = statement.where(AuditEntry.actor == query.actor)
    if query.table_name:
        statement = statement.where(AuditEntry.table_name == query.table_name)
    return statement


def _matcher(text: str):
    folded, typed = vntext.search_key(text), vntext.clean(text).casefold()

    def matches(entry: AuditEntry) -> bool:
        return (folded in vntext.search_key(f"{entry.summary} {entry.actor}")
                or typed in entry.before.casefold() or typed in entry.after.casefold())

    return matches


def _row(entry: AuditEntry) -> AuditRow:
    return AuditRow(entry.id, entry.at, entry.actor, entry.action, ACTION_LABELS.get(entry.action, entry.action),
                    entry.table_name, TABLE_LABELS.get(entry.table_name, entry.table_name), entry.record_id,
                    entry.summary, _values(entry.before), _values(entry.after))


def _values(stored: str) -> dict:
    try:
        values = json.loads(stored or "{}")
    except ValueError:  # written by this program only; a damaged file still shows its other entries
        return {}
    return values if isinstance(values, dict) else {}


def _cell(text: str) -> str:
    """Text as an Excel cell takes it: no control characters, not longer than a cell holds."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    return text if len(text) <= _EXCEL_CELL_MAX else text[:_EXCEL_CELL_MAX] + "…"
