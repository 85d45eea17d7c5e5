"""The audit trail: one entry per record created, changed or deleted, by every service area,
with the values before and after; never a password hash; found, filtered and exported."""

from __future__ import annotations

import ast
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select, text

import antq_desktop
from antq_desktop import identity
from antq_desktop.db.audit import TABLE_LABELS as DB_TABLE_LABELS
from antq_desktop.db.models import AuditEntry, Base, ClassificationRecord, Training
from antq_desktop.domain import plan
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import (
    accounts,
    antt,
    antt_decision,
    audit,
    budget,
    classification,
    core_forces,
    inspections,
    profile,
    targets,
    units,
)
from antq_desktop.services.units import UnitInput
from tests.services.antt_helpers import EXPECTED_LIST, AnttWard, prepare_year

SERVICES_DIR = Path(antq_desktop.__file__).resolve().parent / "services"
BOOKKEEPING = {"created_at", "created_by", "updated_at", "updated_by", "version"}


@pytest.fixture(autouse=True)
def nobody_signed_in(monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    identity.sign_out()
    yield
    identity.sign_out()


def _call(db, function, *args):
    with db.transaction() as session:
        return function(session, *args)


def _ward_id(db) -> int:
    return _call(db, profile.require_profile).id


def _entries(db, **query) -> list[audit.AuditRow]:
    """Newest first, as the audit page shows them."""
    with db.reading() as session:
        return audit.find_entries(session, audit.AuditQuery(**query), limit=None)


def _count(db) -> int:
    with db.reading() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry))


def _new_entries(db, before: int) -> list[audit.AuditRow]:
    """The entries written since the trail held ``before`` of them, oldest first."""
    return [row for row in reversed(_entries(db)) if row.id > before]


def _unit_id(db, name: str) -> int:
    with db.reading() as session:
        return session.scalar(text("SELECT id FROM unit WHERE name = :name"), {"name": name})


def _unit_input(db, unit_id: int, **changes) -> UnitInput:
    current = _call(db, units.get_unit, unit_id)
    return UnitInput(**{**{name: getattr(current, name) for name in UnitInput.__dataclass_fields__}, **changes})


# ---- create, update, delete ---------------------------------------------------------------------

def test_a_unit_created_changed_and_deleted_leaves_three_entries(demo_db):
    ward_id, start = _ward_id(demo_db), _count(demo_db)
    unit_id = _call(demo_db, units.add_unit, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 30",
                                                                  households=120), "x")
    _call(demo_db, units.update_unit, unit_id, _unit_input(demo_db, unit_id, name="Tổ dân phố 31", households=150),
          "x")
    _call(demo_db, units.delete_unit, unit_id)
    created, changed, deleted = _new_entries(demo_db, start)
    assert [row.action for row in (created, changed, deleted)] == ["create", "update", "delete"]
    assert {row.table_name for row in (created, changed, deleted)} == {"unit"}
    assert {row.record_id for row in (created, changed, deleted)} == {unit_id}
    assert created.summary == "Thêm đơn vị “Tổ dân phố 30”"
    assert created.before == {} and created.after["name"] == "Tổ dân phố 30"
    assert created.after["households"] == 120 and created.after["kind"] == "kdc" and created.after["id"] == unit_id
    assert not (BOOKKEEPING | {"name_key", "search_text", "name_sort"}) & set(created.after)
    assert changed.summary == "Sửa đơn vị “Tổ dân phố 31”"
    assert changed.before == {"name": "Tổ dân phố 30", "households": 120}
    assert changed.after == {"name": "Tổ dân phố 31", "households": 150}
    assert deleted.summary == "Xoá đơn vị “Tổ dân phố 31”" and deleted.after == {}
    assert deleted.before["name"] == "Tổ dân phố 31" and deleted.before["households"] == 150
    assert {row.actor for row in (created, changed, deleted)} == {identity.current_actor()}
    assert created.table_label == "Đơn vị" and created.action_label == "Thêm"


def test_the_officer_signed_in_is_the_actor_and_dates_are_iso(demo_db):
    with demo_db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "", "mật khẩu đủ dài")
    accounts.sign_in_and_remember(demo_db, "quantri", "mật khẩu đủ dài")
    unit_id, start = _unit_id(demo_db, "Tổ dân phố 3"), _count(demo_db)
    _call(demo_db, units.dissolve_unit, unit_id, date(2026, 5, 1), "Sáp nhập địa giới", "quantri")
    (entry,) = _new_entries(demo_db, start)
    assert entry.actor == "quantri" and entry.action == "update"
    assert entry.before["status"] == "active" and entry.after["status"] == "dissolved"
    assert entry.after["status_date"] == "2026-05-01" and entry.before["status_date"] is None
    with demo_db.reading() as session:
        stored = session.get(AuditEntry, entry.id)
        assert stored.at.date() == date.today() and stored.at.microsecond == 0


def test_a_change_rolled_back_leaves_no_entry(demo_db):
    ward_id, start = _ward_id(demo_db), _count(demo_db)
    with pytest.raises(RuntimeError), demo_db.transaction() as session:
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 40"), "x")
        raise RuntimeError("power cut")
    with demo_db.reading() as session:  # a preview's writes are never kept, nor audited
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 41"), "x")
    with pytest.raises(UserError), demo_db.transaction() as session:
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 42"), "x")
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 42"), "x")  # duplicate
    assert _count(demo_db) == start


def test_a_change_of_bookkeeping_only_is_not_an_entry(demo_db):
    """The grid stamps a unit's record "changed today" on every save; that alone is no change."""
    ward_id = _ward_id(demo_db)
    with demo_db.reading() as session:
        unit_id = session.scalar(select(ClassificationRecord.unit_id).where(
            ClassificationRecord.year == 2025, ClassificationRecord.unit_id.is_not(None)).limit(1))
    start = _count(demo_db)
    _call(demo_db, classification.set_marked_facts, ward_id, 2025, unit_id, [], "", "x")
    _call(demo_db, classification.set_marked_facts, ward_id, 2025, unit_id, [], "", "x")
    assert _count(demo_db) == start


# ---- decisions ----------------------------------------------------------------------------------

def test_issuing_and_correcting_a_decision_are_audited(demo_db):
    ward = AnttWard(demo_db)
    prepare_year(ward)
    start = _count(demo_db)
    decision_id = ward.draft_and_issue(number="125")
    entries = _new_entries(demo_db, start)
    issued = [row for row in entries if row.table_name == "decision" and row.action == "update"
              and row.after.get("status") == "issued"]
    assert len(issued) == 1 and issued[0].record_id == decision_id
    assert issued[0].summary == "Ban hành quyết định số 125/QĐ-UBND năm 2026"
    assert issued[0].before["status"] == "draft"
    listed = [row for row in entries if row.table_name == "decision_unit" and row.action == "create"]
    assert {row.after["name"] for row in listed} == {name for name, _ in EXPECTED_LIST}
    recognised = [row for row in entries if row.table_name == "antt_record" and row.after.get("stage") == "recognized"]
    assert len(recognised) == len(listed)
    assert "của “Tổ dân phố 2” năm 2026" in next(row.summary for row in recognised if "Tổ dân phố 2" in row.summary)

    start = _count(demo_db)
    correction = ward.call(antt_decision.correct_decision, decision_id, "x")
    ward.edit_decision(correction, number="130", issued_on=date(2026, 12, 1))
    ward.issue(correction)
    entries = _new_entries(demo_db, start)
    created = [row for row in entries if row.table_name == "decision" and row.action == "create"]
    assert created[0].after["replaces_id"] == decision_id
    dropped_draft_rows = [row for row in entries if row.table_name == "decision_unit" and row.action == "delete"]
    assert len(dropped_draft_rows) == len(listed)  # the correction's draft list, rebuilt when issued
    assert any(row.summary == "Ban hành quyết định số 130/QĐ-UBND năm 2026" for row in entries)


# ---- accounts: never a password hash ------------------------------------------------------------

def test_no_password_hash_or_password_ever_reaches_the_trail(empty_db):
    passwords = ["mật khẩu quản trị", "mật khẩu cán bộ 1", "mật khẩu cán bộ 2", "mật khẩu cán bộ 3"]
    with empty_db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "", passwords[0])
    accounts.sign_in_and_remember(empty_db, "quantri", passwords[0])
    with empty_db.transaction() as session:
        officer_id = accounts.add_user(session, "canbo", "", Role.CAN_BO, passwords[1], "quantri").id
        accounts.reset_password(session, officer_id, passwords[2], "quantri")
    with pytest.raises(UserError):
        accounts.sign_in_and_remember(empty_db, "canbo", "nhầm-mật-khẩu-xyz")
    accounts.sign_in_and_remember(empty_db, "canbo", passwords[2])
    with empty_db.transaction() as session:
        accounts.change_password(session, officer_id, passwords[2], passwords[3])
    with empty_db.reading() as session:
        stored = session.execute(text("SELECT summary, before, after FROM audit_entry")).all()
        hashes = session.scalars(text("SELECT password_hash FROM app_user")).all()
    trail = json.dumps([tuple(row) for row in stored], ensure_ascii=False)
    assert "scrypt" not in trail and "password_hash" not in trail
    salts_and_keys = [part for stored_hash in hashes for part in stored_hash.split("$")[4:]]
    for secret in passwords + ["nhầm-mật-khẩu-xyz"] + salts_and_keys:
        assert secret not in trail
    summaries = [row.summary for row in _entries(empty_db, table_name="app_user")]
    assert "Đổi mật khẩu: tài khoản “canbo”" in summaries
    assert "Đặt lại mật khẩu: tài khoản “canbo”" in summaries
    assert "Đăng nhập sai mật khẩu: tài khoản “canbo” (lần 1)" in summaries
    assert "Đăng nhập: tài khoản “canbo”" in summaries
    changed = next(row for row in _entries(empty_db, table_name="app_user") if row.summary.startswith("Đổi"))
    assert changed.after == {"password": "đã đổi"} and changed.before == {}


# ---- every service area ------------------------------------------------------------------------

def test_antt_registration_is_audited(demo_db):
    ward_id, unit_id, start = _ward_id(demo_db), _unit_id(demo_db, "Tổ dân phố 3"), _count(demo_db)
    record_id = _call(demo_db, antt.register_unit, ward_id, unit_id, 2027,
                      antt.RegistrationInput(registered_on=date(2027, 3, 1), note="Đăng ký sớm"), "x")
    (entry,) = _new_entries(demo_db, start)
    assert (entry.action, entry.table_name, entry.record_id) == ("create", "antt_record", record_id)
    assert entry.summary == "Thêm đăng ký “An toàn về ANTT” của “Tổ dân phố 3” năm 2027"
    assert entry.after["registered_on"] == "2027-03-01" and entry.after["unit_id"] == unit_id


def test_classification_scores_are_audited_one_entry_per_unit(demo_db):
    ward_id = _ward_id(demo_db)
    with demo_db.reading() as session:
        sheet = classification.year_sheet_set(session, ward_id, 2026).sheet(UnitKind.KDC.value)
        kdc = units.list_units(session, ward_id, units.UnitQuery(kind=UnitKind.KDC))[:3]
    items = [item for item in sheet.leaves() if not item.deduction and item.max_points >= 1][:4]
    edits = [classification.CellEdit(unit.id, item.code, column, Decimal(1)) for unit in kdc for item in items
             for column in classification.COLUMNS]
    start = _count(demo_db)
    _call(demo_db, classification.save_cells, ward_id, 2026, UnitKind.KDC.value, edits, "x")
    scores = [row for row in _new_entries(demo_db, start) if row.table_name == "classification_score"]
    assert len(scores) == len(kdc)  # a block is one entry per unit, not one per cell
    first = next(row for row in scores if kdc[0].name in row.summary)
    assert first.summary == f"Sửa điểm phân loại của “{kdc[0].name}” năm 2026 ({2 * len(items)} ô)"
    key = f"{items[0].code} (điểm tự chấm)"
    assert first.before[key] is None and first.after[key] == 1.0
    assert f"{items[0].code} (điểm xã chấm)" in first.after

    start = _count(demo_db)
    _call(demo_db, classification.save_cells, ward_id, 2026, UnitKind.KDC.value,
          [classification.CellEdit(kdc[0].id, items[0].code, classification.SELF, Decimal("0.5")),
           classification.CellEdit(kdc[1].id, items[0].code, classification.WARD_SCORE, None)], "x")
    changed = {row.summary.split("“")[1].split("”")[0]: row for row in _new_entries(demo_db, start)}
    assert changed[kdc[0].name].before == {key: 1.0} and changed[kdc[0].name].after == {key: 0.5}
    ward_key = f"{items[0].code} (điểm xã chấm)"
    assert changed[kdc[1].name].before == {ward_key: 1.0} and changed[kdc[1].name].after == {ward_key: None}

    start = _count(demo_db)
    _call(demo_db, classification.clear_unit, ward_id, 2026, kdc[2].id)
    cleared = _new_entries(demo_db, start)
    scores_deleted = [row for row in cleared if row.table_name == "classification_score" and row.action == "delete"]
    assert len(scores_deleted) == len(items)  # one row per item holds both columns
    assert any(row.table_name == "classification_record" and row.action == "delete" for row in cleared)


def test_inspections_are_audited(demo_db):
    ward_id, unit_id, start = _ward_id(demo_db), _unit_id(demo_db, "Tổ dân phố 3"), _count(demo_db)
    advice = inspections.RecommendationInput("Bổ sung sổ theo dõi", date(2026, 5, 1))
    data = inspections.InspectionInput(unit_id=unit_id, visited_on=date(2026, 4, 2), content="Kiểm tra phong trào",
                                       recommendations=(advice,))
    inspection_id = _call(demo_db, inspections.add_inspection, ward_id, 2026, data, "x", date(2026, 4, 3))
    entries = _new_entries(demo_db, start)
    (visit,) = [row for row in entries if row.table_name == "inspection"]
    assert visit.record_id == inspection_id and visit.summary == "Thêm kiểm tra, hướng dẫn “Kiểm tra phong trào” " \
                                                                  "của “Tổ dân phố 3” năm 2026"
    (recommendation,) = [row for row in entries if row.table_name == "inspection_recommendation"]
    assert recommendation.after["text"] == "Bổ sung sổ theo dõi"
    planned_id = _call(demo_db, inspections.add_inspection, ward_id, 2026,
                       inspections.InspectionInput(unit_id=unit_id, planned_on=date(2026, 9, 1)), "x", date(2026, 4, 3))
    start = _count(demo_db)
    _call(demo_db, inspections.delete_inspection, planned_id)
    assert [(row.action, row.table_name, row.record_id) for row in _new_entries(demo_db, start)] == [
        ("delete", "inspection", planned_id)]


def test_a_budget_import_is_audited_line_by_line(full_demo_db, tmp_path):
    db = full_demo_db
    ward_id = _ward_id(db)
    old = _call(db, budget.year_budget, ward_id, 2026)
    _call(db, budget.export_budget, ward_id, 2026, tmp_path / "du-tru.xlsx")
    start = _count(db)
    _call(db, budget.import_budget, ward_id, 2026, tmp_path / "du-tru.xlsx", "x")
    entries = _new_entries(db, start)
    old_lines = [line for group in old.groups for line in group.lines]
    deleted = [row for row in entries if row.action == "delete"]
    assert sorted(row.before["content"] for row in deleted if row.table_name == "budget_line") == \
        sorted(line.content for line in old_lines)
    assert len([row for row in deleted if row.table_name == "budget_group"]) == len(old.groups)
    created = [row for row in entries if row.action == "create" and row.table_name == "budget_line"]
    assert len(created) == len(old_lines)
    line = old_lines[0]
    assert any(row.after["amount"] == line.amount and row.summary == f"Thêm khoản dự trù kinh phí “{line.content}”"
               for row in created)


def test_targets_are_audited(demo_db):
    ward_id, start = _ward_id(demo_db), _count(demo_db)
    target_id = _call(demo_db, targets.add_target, ward_id, 2026,
                      targets.TargetInput("Tổ dân phố có camera an ninh", plan.PERCENT, plan.AT_LEAST, 60), "x")
    (added,) = _new_entries(demo_db, start)
    assert (added.record_id, added.summary) == (target_id, "Thêm chỉ tiêu “Tổ dân phố có camera an ninh” năm 2026")
    replaced = len(_call(demo_db, targets.year_targets, ward_id, 2027))
    start = _count(demo_db)
    copied = _call(demo_db, targets.copy_targets, ward_id, 2026, [2027], "x")
    entries = _new_entries(demo_db, start)
    assert len([row for row in entries if row.action == "delete" and row.table_name == "plan_target"]) == replaced
    assert len([row for row in entries if row.action == "create" and row.table_name == "plan_target"]) == copied


def test_a_training_deleted_keeps_its_attendees_in_the_trail(full_demo_db):
    db = full_demo_db
    ward_id = _ward_id(db)
    with db.reading() as session:
        training_id = session.scalar(select(Training.id).order_by(Training.id).limit(1))
        attendees = session.scalar(text("SELECT count(*) FROM training_attendee WHERE training_id = :id"),
                                   {"id": training_id})
    start = _count(db)
    _call(db, core_forces.delete_training, ward_id, training_id)
    entries = _new_entries(db, start)
    assert attendees > 0
    assert len([row for row in entries if row.table_name == "training_attendee" and row.action == "delete"
                and row.record_id == training_id]) == attendees
    assert [row.record_id for row in entries if row.table_name == "training"] == [training_id]


def test_units_inserted_in_bulk_each_have_an_entry_with_their_id(demo_db):
    ward_id, start = _ward_id(demo_db), _count(demo_db)
    names = [f"Công ty nhập khẩu {n}" for n in range(1, 6)]
    _call(demo_db, units.insert_units, ward_id, [UnitInput(kind=UnitKind.DOANH_NGHIEP, name=name) for name in names],
          "x")
    entries = _new_entries(demo_db, start)
    assert [row.summary for row in entries] == [f"Thêm đơn vị “{name}”" for name in names]
    assert [row.record_id for row in entries] == [_unit_id(demo_db, name) for name in names]


# ---- finding and exporting ---------------------------------------------------------------------

@pytest.fixture
def trail(demo_db):
    """A unit added by "quantri", changed by "canbo" (phone 0912 345 678), an incident by "canbo"."""
    with demo_db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "", "mật khẩu đủ dài")
    accounts.sign_in_and_remember(demo_db, "quantri", "mật khẩu đủ dài")
    ward_id = _ward_id(demo_db)
    with demo_db.transaction() as session:
        accounts.add_user(session, "canbo", "", Role.CAN_BO, "mật khẩu đủ dài", "quantri")
        unit_id = units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố Đồng Tâm"), "quantri")
    accounts.sign_in_and_remember(demo_db, "canbo", "mật khẩu đủ dài")
    _call(demo_db, units.update_unit, unit_id, _unit_input(demo_db, unit_id, head_phone="0912 345 678"), "canbo")
    _call(demo_db, antt.add_incident, ward_id, unit_id,
          antt.IncidentInput(occurred_on=date(2026, 2, 1), kind_code=_incident_kind(), summary="Trộm xe máy"), "canbo")
    return demo_db


def _incident_kind() -> str:
    return antt.incident_kinds(UnitKind.KDC, 2026)[0].code


def test_find_entries_filters_and_orders(trail):
    today = date.today()
    everything = _entries(trail)
    assert [row.id for row in everything] == sorted((row.id for row in everything), reverse=True)
    mine = _entries(trail, actor="canbo", table_name="unit")
    assert [row.summary for row in mine] == ["Sửa đơn vị “Tổ dân phố Đồng Tâm”"]
    assert mine[0].after == {"head_phone": "0912 345 678"}
    assert {row.actor for row in _entries(trail, actor="quantri")} == {"quantri"}
    assert [row.summary for row in _entries(trail, text="dong tam")] == [
        "Thêm vụ việc “Trộm xe máy” của “Tổ dân phố Đồng Tâm”", "Sửa đơn vị “Tổ dân phố Đồng Tâm”",
        "Thêm đơn vị “Tổ dân phố Đồng Tâm”"]
    assert [row.table_name for row in _entries(trail, text="0912 345")] == ["unit"]  # a value typed
    assert [row.table_name for row in _entries(trail, text="TROM XE")] == ["incident"]
    assert _entries(trail, date_from=today, date_to=today) and not _entries(trail, date_from=today + timedelta(1))
    assert not _entries(trail, date_to=today - timedelta(1))
    assert not _entries(trail, text="không có chữ này")
    with trail.reading() as session:
        assert len(audit.find_entries(session, audit.AuditQuery(), limit=2)) == 2
        assert len(audit.find_entries(session, audit.AuditQuery(text="dong tam"), limit=1)) == 1
        assert {"quantri", "canbo"} <= set(audit.actors(session))


def test_export_reads_back_in_excel(trail, tmp_path):
    query = audit.AuditQuery(actor="canbo")
    with trail.reading() as session:
        written = audit.export_entries(session, query, tmp_path / "nhat-ky.xlsx")
    rows = _entries(trail, actor="canbo")
    assert written == len(rows) == 2
    sheet = openpyxl.load_workbook(tmp_path / "nhat-ky.xlsx").active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == audit.EXPORT_HEADERS
    assert len(values) == written + 1
    newest = values[1]
    assert isinstance(newest[0], datetime) and newest[1] == "canbo"
    assert newest[2:6] == (rows[0].action_label, rows[0].table_label, rows[0].record_id, rows[0].summary)
    phone = next(row for row in values[1:] if row[5] == "Sửa đơn vị “Tổ dân phố Đồng Tâm”")
    assert phone[6] == "head_phone: (trống)" and phone[7] == "head_phone: 0912 345 678"


def test_any_role_reads_the_trail(trail):
    accounts.sign_in_and_remember(trail, "quantri", "mật khẩu đủ dài")
    with trail.transaction() as session:
        accounts.add_user(session, "xem", "", Role.CHI_XEM, "mật khẩu đủ dài", "quantri")
    accounts.sign_in_and_remember(trail, "xem", "mật khẩu đủ dài")
    with trail.transaction() as session:
        assert [row.summary for row in audit.find_entries(session, audit.AuditQuery(table_name="incident"))] == [
            "Thêm vụ việc “Trộm xe máy” của “Tổ dân phố Đồng Tâm”"]


# ---- the trail covers every table and every route ----------------------------------------------

def test_every_table_has_a_vietnamese_label():
    audited = set(Base.metadata.tables) - {"audit_entry"}
    assert set(DB_TABLE_LABELS) == audited
    assert audit.TABLE_LABELS is DB_TABLE_LABELS


def _bulk_statements() -> set[tuple[str, str]]:
    """(file, function) of every ``session.execute(insert|update|delete(...))`` in the services."""
    found = set()
    for path in SERVICES_DIR.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "execute"
                        and node.args and isinstance(node.args[0], ast.Call)):
                    statement = node.args[0].func
                    while isinstance(statement, ast.Attribute):  # delete(X).where(...)
                        statement = statement.value.func if isinstance(statement.value, ast.Call) else statement.value
                    if isinstance(statement, ast.Name) and statement.id in ("insert", "update", "delete"):
                        found.add((path.name, function.name))
    return found


def test_no_bulk_statement_bypasses_the_trail():
    """Bulk statements are not seen by the flush: the services delete through audit.delete_rows;
    the two that write in bulk describe what they wrote themselves (save_cells: _audit_cells,
    insert_units: audit.insert_rows). A new one must do the same before joining this list."""
    assert _bulk_statements() == {("classification.py", "_write_cells"), ("units.py", "insert_units"),
                                  # a package import audits per table and ward (audit.record), not per row
                                  ("package.py", "_delete"), ("package.py", "_insert"), ("package.py", "_update")}
    for path in SERVICES_DIR.glob("*.py"):  # nor any SQL written by hand
        strings = [node.value for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   if isinstance(node, ast.Constant) and isinstance(node.value, str)]
        assert not [sql for sql in strings if re.search(r"\b(INSERT|UPDATE|DELETE)\s", sql)], path.name
