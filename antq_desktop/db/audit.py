"""The audit trail: every record created, changed or deleted leaves one entry, in the same
transaction as the change (a change rolled back leaves no entry, a committed one always has it).

Changes made through the ORM are seen by the session's flush: the old values are taken in
``before_flush`` (the attribute history still holds them), and the entries are written in
``after_flush`` (the new rows' ids are known then) with one bulk INSERT on the session's
connection, so writing them adds no flush of its own.

Statements that bypass the ORM (``session.execute(delete(...))``, a bulk ``insert``) are not
seen by any flush: the services make them through :func:`delete_rows` and :func:`insert_rows`,
or describe them with :func:`record` (the classification grid, which audits a pasted block as
one entry per unit rather than one per cell).

The trail is never edited: nothing here updates or deletes an entry, and the guard refuses any
ORM write to ``audit_entry``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, event, insert, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from antq_desktop import identity
from antq_desktop.db.models import AuditEntry, Base, Unit

DISCARDED = "antq.discarded"  # session.info key: a session that is always rolled back (previews)
_PENDING = "antq.audit.pending"  # session.info key: entries collected in before_flush
_SUMMARY_HINT = "antq.audit.summary"  # InstanceState.info key: the summary a service chose

ACTIONS = ("create", "update", "delete")
ACTION_LABELS = {"create": "Thêm", "update": "Sửa", "delete": "Xoá"}

# The tables as an officer names them (the audit page shows these, the summaries start with them).
TABLE_LABELS = {
    "ward": "Thông tin xã, phường",
    "unit": "Đơn vị",
    "setting": "Cài đặt",
    "antt_record": "Đăng ký “An toàn về ANTT”",
    "antt_point_result": "Kết quả đánh giá tiêu chí",
    "incident": "Vụ việc",
    "decision": "Quyết định",
    "decision_unit": "Danh sách kèm quyết định",
    "classification_year": "Bảng điểm của năm",
    "classification_record": "Phân loại phong trào",
    "classification_score": "Điểm phân loại",
    "force_rating": "Đánh giá Tổ bảo vệ ANTT",
    "exemplary_criterion": "Tiêu chí phường điển hình",
    "exemplary_status": "Kết quả tiêu chí điển hình",
    "inspection": "Kiểm tra, hướng dẫn",
    "inspection_recommendation": "Kiến nghị sau kiểm tra",
    "security_model": "Mô hình",
    "security_model_unit": "Đơn vị có mô hình",
    "security_model_grade": "Xếp loại mô hình",
    "force_member": "Thành viên lực lượng nòng cốt",
    "training": "Tập huấn",
    "training_attendee": "Người dự tập huấn",
    "equipment_issue": "Cấp phát trang bị",
    "activity": "Hoạt động tuyên truyền",
    "festival": "Ngày hội toàn dân bảo vệ ANTQ",
    "award": "Khen thưởng",
    "plan_target": "Chỉ tiêu",
    "plan_task": "Nhiệm vụ",
    "budget_group": "Nhóm dự trù kinh phí",
    "budget_line": "Khoản dự trù kinh phí",
    "year_report": "Báo cáo",
    "app_user": "Tài khoản",
}

# Bookkeeping every row carries (the entry itself says who and when) and columns derived from
# the typed text (folded search text, sort keys): left out, they only hide what changed.
LEFT_OUT = frozenset({
    "created_at", "created_by", "updated_at", "updated_by", "version",
    "name_key", "search_text", "name_sort", "category_sort", "address_sort", "head_sort", "username_key",
})
# Never written into the trail, whatever happens: only the fact that it changed.
SECRET = "password_hash"
SECRET_SET, SECRET_CHANGED = "đã đặt", "đã đổi"

# The columns that name a row in a summary, the first one filled wins.
_NAME_COLUMNS = ("name", "title", "username", "full_name", "person_name", "topic", "item", "content", "text",
                 "summary", "key", "point_code", "item_code", "code")
_NAME_MAX = 80
SUMMARY_MAX = 300


@dataclass
class Change:
    """One entry to write: ``values`` are the row's current values, used only to name it."""

    action: str
    table_name: str
    record_id: int | None
    ward_id: int | None = None
    before: dict = field(default_factory=dict)
    after: dict = field(default_factory=dict)
    summary: str = ""
    values: Mapping[str, Any] = field(default_factory=dict)


def install(sessions: sessionmaker) -> None:
    """Audit every flush of the sessions ``sessions`` makes."""
    event.listen(sessions, "before_flush", _collect)
    event.listen(sessions, "after_flush", _write_collected)


# ---- what services call for the statements no flush sees ---------------------------------------

def record(session: Session, changes: Iterable[Change]) -> None:
    """Write entries for changes the flush does not see, in the session's transaction."""
    changes = list(changes)
    if changes and not session.info.get(DISCARDED):
        _insert_entries(session, changes)


def delete_rows(session: Session, model: type[Base], *criteria) -> int:
    """``DELETE FROM model WHERE criteria``, each deleted row kept in the trail with its values."""
    table = model.__table__
    doomed = [dict(row) for row in session.execute(select(table).where(*criteria)).mappings()]
    if not doomed:
        return 0
    session.execute(delete(model).where(*criteria))
    record(session, [_row_change("delete", table.name, values) for values in doomed])
    return len(doomed)


def insert_rows(session: Session, model: type[Base], rows: list[dict], ids: list[int | None]) -> None:
    """Entries for rows a bulk ``insert(model)`` just wrote; ``ids`` in the order of ``rows``
    (the caller knows them best: SQLite's RETURNING over many rows is hundreds of times slower)."""
    table = model.__table__.name
    record(session, [_row_change("create", table, {**row, "id": row_id})
                     for row, row_id in zip(rows, ids, strict=True)])


def describe(row: Base, summary: str) -> None:
    """Use ``summary`` for the next entry of ``row`` instead of the one the trail would write
    ("Đăng nhập sai mật khẩu" rather than "Sửa tài khoản")."""
    inspect(row).info[_SUMMARY_HINT] = summary


# ---- the flush ---------------------------------------------------------------------------------

def _collect(session: Session, _flush_context, _instances) -> None:
    """Old values of the changed and deleted rows, while the attribute history still has them;
    new rows wait for after_flush, when their ids exist."""
    if session.info.get(DISCARDED):
        session.info[_PENDING] = None
        return
    changes = []
    for row in session.deleted:
        if not isinstance(row, AuditEntry):
            values = _all_values(row)
            changes.append(_row_change("delete", row.__table__.name, values, _hint(row)))
    for row in session.dirty:
        if not isinstance(row, AuditEntry) and session.is_modified(row, include_collections=False):
            change = _update_change(row)
            if change is not None:
                changes.append(change)
    session.info[_PENDING] = (changes, [row for row in session.new if not isinstance(row, AuditEntry)])


def _write_collected(session: Session, _flush_context) -> None:
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    changes, created = pending
    for row in created:
        values = _all_values(row)
        changes.append(_row_change("create", row.__table__.name, values, _hint(row)))
    if changes:
        _insert_entries(session, changes)


def _hint(row: Base) -> str:
    return inspect(row).info.pop(_SUMMARY_HINT, "")


def _all_values(row: Base) -> dict[str, Any]:
    state = inspect(row)
    # getattr loads what is not loaded yet (a row deleted without being read first)
    return {attr.key: state.dict[attr.key] if attr.key in state.dict else getattr(row, attr.key)
            for attr in state.mapper.column_attrs}


def _update_change(row: Base) -> Change | None:
    """The columns that really changed (bookkeeping left out), or None when only bookkeeping did."""
    state = inspect(row)
    before, after = {}, {}
    for attr in state.mapper.column_attrs:
        if attr.key in LEFT_OUT:
            continue
        history = state.attrs[attr.key].history
        if not history.has_changes():
            continue
        new = history.added[0] if history.added else None
        old = history.deleted[0] if history.deleted else None
        if attr.key == SECRET:
            after["password"] = SECRET_CHANGED
            continue
        before[attr.key], after[attr.key] = _plain(old), _plain(new)
    if not before and not after:
        return None
    values = {attr.key: state.dict.get(attr.key) for attr in state.mapper.column_attrs}
    table = row.__table__.name
    return Change("update", table, _record_id(table, values), _ward_id(table, values), before, after, _hint(row),
                  values)


def _row_change(action: str, table_name: str, values: Mapping[str, Any], summary: str = "") -> Change:
    """A created or deleted row: all its columns (bookkeeping and secrets left out)."""
    columns = {key: _plain(value) for key, value in values.items() if key not in LEFT_OUT and key != SECRET}
    if SECRET in values:
        columns["password"] = SECRET_SET
    before, after = ({}, columns) if action == "create" else (columns, {})
    return Change(action, table_name, _record_id(table_name, values), _ward_id(table_name, values),
                  before, after, summary, values)


def _record_id(table_name: str, values: Mapping[str, Any]) -> int | None:
    """The row's id; for a row keyed by its parent (a score, a list line), the parent's id."""
    if isinstance(values.get("id"), int):
        return values["id"]
    table = Base.metadata.tables[table_name]
    for column in table.primary_key.columns:
        if isinstance(values.get(column.key), int):
            return values[column.key]
    return None


def _ward_id(table_name: str, values: Mapping[str, Any]) -> int | None:
    return values.get("id") if table_name == "ward" else values.get("ward_id")


# ---- writing the entries -----------------------------------------------------------------------

def _insert_entries(session: Session, changes: list[Change]) -> None:
    connection = session.connection()
    unit_names = _unit_names(session, changes)
    at = datetime.now().replace(microsecond=0)
    actor = identity.current_actor()
    connection.execute(insert(AuditEntry.__table__), [
        {"at": at, "actor": actor, "action": change.action, "table_name": change.table_name,
         "record_id": change.record_id, "ward_id": change.ward_id,
         "summary": (change.summary or summary_of(change, unit_names))[:SUMMARY_MAX],
         "before": json.dumps(change.before, ensure_ascii=False, sort_keys=True),
         "after": json.dumps(change.after, ensure_ascii=False, sort_keys=True)}
        for change in changes])


def _unit_names(session: Session, changes: list[Change]) -> dict[int, str]:
    """The names of the units the rows belong to (a vụ việc, a visit, a score sheet is told by
    its unit): those the session holds already, the others in one query."""
    wanted = {change.values.get("unit_id") for change in changes if change.table_name != "unit" and not change.summary}
    wanted.discard(None)
    names: dict[int, str] = {}
    for unit_id in list(wanted):
        unit = session.identity_map.get(session.identity_key(Unit, unit_id))
        if unit is not None and "name" in unit.__dict__:
            names[unit_id] = unit.__dict__["name"]
            wanted.discard(unit_id)
    connection = session.connection()
    ids = sorted(wanted)
    for start in range(0, len(ids), 500):  # under SQLite's limit of bound parameters
        chunk = ids[start:start + 500]
        names.update(connection.execute(select(Unit.id, Unit.name).where(Unit.id.in_(chunk))).all())
    return names


def summary_of(change: Change, unit_names: Mapping[int, str]) -> str:
    """"Sửa đơn vị “Tổ dân phố 3”", "Thêm vụ việc của “Trường THCS Lê Lợi” năm 2025"…"""
    values = change.values
    label = TABLE_LABELS.get(change.table_name, change.table_name)
    verb = ACTION_LABELS[change.action]
    if change.table_name == "decision":
        return _decision_summary(change, verb)
    text = f"{verb} {label[:1].lower()}{label[1:]}"
    name = _own_name(values)
    unit = unit_names.get(values.get("unit_id")) if change.table_name != "unit" else None
    if name:
        text += f" “{name}”"
    if unit and unit != name:  # a decision's list line carries the unit's own name
        text += f" của “{unit}”"
    if isinstance(values.get("year"), int):
        text += f" năm {values['year']}"
    if not name and not unit and change.record_id is not None:
        text += f" số {change.record_id}"
    return text


def _decision_summary(change: Change, verb: str) -> str:
    values = change.values
    if change.action == "update" and change.after.get("status") == "issued":
        verb = "Ban hành"
    number = values.get("number") or ""
    name = f"số {number}/{values.get('symbol') or ''}" if number else "(dự thảo)"
    return f"{verb} quyết định {name} năm {values.get('year')}"


def _own_name(values: Mapping[str, Any]) -> str:
    for column in _NAME_COLUMNS:
        value = values.get(column)
        if isinstance(value, str) and value.strip():
            line = value.strip().splitlines()[0].strip()
            return line if len(line) <= _NAME_MAX else line[:_NAME_MAX - 1] + "…"
    return ""


def _plain(value: Any) -> Any:
    """A column's value as JSON has it: dates as ISO strings, exact decimals as text."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
