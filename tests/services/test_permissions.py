"""Permissions hold below the services: a viewer writes nothing by any route (ORM flushes and
bulk statements alike), a cán bộ enters data but not settings, catalogues or accounts, nobody
writes before signing in, and a file without accounts stays open to everyone."""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import delete, inspect, select, text

from antq_desktop import identity
from antq_desktop.db import guard
from antq_desktop.db.engine import open_database
from antq_desktop.db.models import (
    AppUser,
    AuditEntry,
    ClassificationRecord,
    ClassificationYear,
    Decision,
    Training,
)
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
    exemplary,
    inspections,
    profile,
    settings,
    stats,
    targets,
    units,
)
from antq_desktop.services.units import UnitInput
from tests.services.antt_helpers import AnttWard, prepare_year

ADMIN, VIEWER, OFFICER = "quantri", "lanhdao", "canbo"
PASSWORD = "mật khẩu đủ dài"
VIEWER_REFUSED = "chỉ được xem và in, không được thay đổi dữ liệu"
ADMIN_ONLY_REFUSED = "dành cho tài khoản quản trị|Chỉ tài khoản quản trị"


@pytest.fixture(autouse=True)
def nobody_signed_in(monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)  # the hash is not what these tests are about
    identity.sign_out()
    yield
    identity.sign_out()


@dataclass
class Office:
    """A real database with an administrator, a cán bộ and a viewer, and what the writes need."""

    db: object
    ward_id: int
    people: dict[str, identity.SignedIn]
    budget_file: Path
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def as_(self, username: str | None) -> None:
        if username is None:
            identity.sign_out()
        else:
            identity.sign_in_as(self.people[username])

    def contents(self) -> str:
        """Every row of every table (the audit trail and the accounts included)."""
        digest = hashlib.sha256()
        with self.db.reading() as session:
            for name in sorted(inspect(session.connection()).get_table_names()):
                digest.update(name.encode())
                for row in sorted(repr(tuple(row)) for row in session.execute(text(f'SELECT * FROM "{name}"'))):
                    digest.update(row.encode())
        return digest.hexdigest()

    def run(self, work) -> object:
        with self.db.transaction() as session:
            return work(session, self)

    def refused(self, work, message: str) -> None:
        before = self.contents()
        with pytest.raises(UserError, match=message):
            self.run(work)
        assert self.contents() == before

    def allowed(self, work) -> None:
        before = self.contents()
        self.run(work)
        assert self.contents() != before  # the write really writes: the refusals above are not empty checks


def _with_accounts(db, tmp_path: Path) -> Office:
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        accounts.create_first_admin(session, ADMIN, "Quản trị viên", PASSWORD)
    people = {ADMIN: accounts.sign_in_and_remember(db, ADMIN, PASSWORD)}
    with db.transaction() as session:
        accounts.add_user(session, VIEWER, "Lãnh đạo", Role.CHI_XEM, PASSWORD, ADMIN)
        accounts.add_user(session, OFFICER, "Cán bộ", Role.CAN_BO, PASSWORD, ADMIN)
        budget_file = tmp_path / "du-tru.xlsx"
        budget.export_budget(session, ward_id, 2026, budget_file)
    for name in (VIEWER, OFFICER):
        people[name] = accounts.sign_in_and_remember(db, name, PASSWORD)
    identity.sign_out()
    return Office(db, ward_id, people, budget_file)


@pytest.fixture
def office(full_demo_db, tmp_path):
    return _with_accounts(full_demo_db, tmp_path)


# ---- the writes: real services, each a representative route ----------------------------------

def _unit_id(session, name: str) -> int:
    return session.scalar(text("SELECT id FROM unit WHERE name = :name"), {"name": name})


def _add_unit(s, o):
    units.add_unit(s, o.ward_id, UnitInput(kind=UnitKind.KDC, name=f"Tổ dân phố mới {next(o.numbers)}"), "x")


def _update_unit(s, o):
    unit_id = _unit_id(s, "Tổ dân phố 3")
    current = units.get_unit(s, unit_id)
    data = UnitInput(**{name: getattr(current, name) for name in UnitInput.__dataclass_fields__})
    units.update_unit(s, unit_id, UnitInput(**{**data.__dict__, "households": 100 + next(o.numbers)}), "x")


def _insert_units(s, o):  # the bulk INSERT of imports
    number = next(o.numbers)
    units.insert_units(s, o.ward_id, [UnitInput(kind=UnitKind.DOANH_NGHIEP, name=f"Công ty nhập {number}.{n}")
                                      for n in (1, 2)], "x")


def _register(s, o):
    antt.register_unit(s, o.ward_id, _unit_id(s, "Tổ dân phố 3"), 2026 + next(o.numbers),
                       antt.RegistrationInput(registered_on=date(2027, 3, 1)), "x")


def _save_cells(s, o):  # the classification grid's bulk path
    sheet = classification.year_sheet_set(s, o.ward_id, 2026).sheet(UnitKind.KDC.value)
    item = next(item for item in sheet.leaves() if not item.deduction and item.max_points >= 1)
    value = Decimal(next(o.numbers) % 2)
    classification.save_cells(s, o.ward_id, 2026, UnitKind.KDC.value,
                              [classification.CellEdit(_unit_id(s, "Tổ dân phố 3"), item.code, classification.SELF,
                                                       value)], "x")


def _clear_scores(s, o):  # a bulk DELETE
    unit_id = s.scalar(select(ClassificationRecord.unit_id).where(
        ClassificationRecord.year == 2025, ClassificationRecord.unit_id.is_not(None)).limit(1))
    classification.clear_unit(s, o.ward_id, 2025, unit_id)


def _import_budget(s, o):  # replaces the year with bulk DELETEs, then adds
    budget.import_budget(s, o.ward_id, 2026, o.budget_file, "x")


def _correct_decision(s, o):
    issued = s.scalar(select(Decision.id).where(Decision.kind == antt_decision.RECOGNITION,
                                                Decision.status == "issued").order_by(Decision.year.desc()))
    antt_decision.correct_decision(s, issued, "x")


def _set_profile(s, o):
    profile.set_profile_field(s, "chairman_name", f"Nguyễn Văn {next(o.numbers)}", "x")


def _copy_targets(s, o):  # bulk DELETE of the years' targets
    targets.copy_targets(s, o.ward_id, 2026, [2027], "x")


def _delete_training(s, o):  # bulk DELETE of the attendees
    core_forces.delete_training(s, o.ward_id, s.scalar(select(Training.id).limit(1)))


def _add_inspection(s, o):
    inspections.add_inspection(s, o.ward_id, 2026, inspections.InspectionInput(
        unit_id=_unit_id(s, "Tổ dân phố 3"), planned_on=date(2026, 6, next(o.numbers))), "x")


def _set_setting(s, o):
    settings.set_setting(s, o.ward_id, "inspections.per_kdc_per_year", 2 + next(o.numbers), "x")


def _save_sheets(s, o):
    sheets = classification.current_sheet_set(s, o.ward_id)
    classification.save_sheet_set(s, o.ward_id, classification.rules.sheet_set_to_dict(sheets) | {
        "note": f"Bảng điểm sửa lần {next(o.numbers)}"}, "x")


def _add_criterion(s, o):
    exemplary.add_criterion(s, o.ward_id, exemplary.CriterionInput(f"TC{next(o.numbers)}", "Tiêu chí mới"), "x")


def _add_user(s, o):
    accounts.add_user(s, f"nguoimoi{next(o.numbers)}", "", Role.CAN_BO, PASSWORD, "x")


def _reset_password(s, o):
    admin_id = s.scalar(select(AppUser.id).where(AppUser.username == ADMIN))
    accounts.reset_password(s, admin_id, f"mật khẩu mới {next(o.numbers)}", "x")


DATA_ENTRY = [_add_unit, _update_unit, _insert_units, _register, _save_cells, _clear_scores, _import_budget,
              _correct_decision, _set_profile, _copy_targets, _delete_training, _add_inspection]
ADMINISTRATION = [_set_setting, _save_sheets, _add_criterion, _add_user, _reset_password]


@pytest.mark.parametrize("work", DATA_ENTRY, ids=lambda work: work.__name__)
def test_a_viewer_cannot_enter_data_a_cán_bộ_can(office, work):
    office.as_(VIEWER)
    office.refused(work, VIEWER_REFUSED)
    office.as_(OFFICER)
    office.allowed(work)


@pytest.mark.parametrize("work", ADMINISTRATION, ids=lambda work: work.__name__)
def test_settings_catalogues_and_accounts_are_the_administrators(office, work):
    office.as_(VIEWER)
    office.refused(work, f"{VIEWER_REFUSED}|{ADMIN_ONLY_REFUSED}")
    office.as_(OFFICER)
    office.refused(work, ADMIN_ONLY_REFUSED)
    office.as_(ADMIN)
    office.allowed(work)


@pytest.mark.parametrize("work", [_add_unit, _save_cells, _import_budget, _set_setting],
                         ids=lambda work: work.__name__)
def test_nobody_writes_before_signing_in(office, work):
    office.as_(None)
    office.refused(work, "Hãy đăng nhập trước khi thay đổi dữ liệu")


def test_a_viewer_reads_and_prints_everything(office):
    office.as_(VIEWER)
    before = office.contents()
    with office.db.transaction() as session:
        assert len(units.list_units(session, office.ward_id, units.UnitQuery())) > 60
        assert stats.year_stats(session, office.ward_id, 2025).antt.total.registered > 0
        assert audit.find_entries(session, audit.AuditQuery(), limit=5)
    with office.db.reading() as session:  # printing reads the issued decision
        issued_id = antt_decision.decision_for_printing(session, office.ward_id, 2025, VIEWER)
        assert antt_decision.recognition_document(session, issued_id).units
    with office.db.reading() as session:  # a print may draft what it needs in a session never kept
        assert antt_decision.draft_decision(session, office.ward_id, 2027, VIEWER)
    assert office.contents() == before


def test_everyone_changes_their_own_password_and_only_that(office):
    viewer_id = office.people[VIEWER].user_id
    office.as_(VIEWER)
    office.allowed(lambda s, o: accounts.change_password(s, viewer_id, PASSWORD, "mật khẩu mới của tôi"))

    def promote_myself(s, o):
        s.get(AppUser, viewer_id).role = Role.QUAN_TRI.value
        s.flush()

    office.refused(promote_myself, VIEWER_REFUSED)
    office.as_(OFFICER)
    office.refused(promote_myself, ADMIN_ONLY_REFUSED)


def test_a_cán_bộ_scores_a_year_but_does_not_change_the_sheets_it_is_scored_with(office):
    office.as_(OFFICER)
    office.allowed(_save_cells)  # the year's first score keeps the year's sheets (a create)

    def other_sheets(s, o):
        year = s.scalar(select(ClassificationYear).where(ClassificationYear.year == 2026))
        year.sheet_set = "{}"
        s.flush()

    office.refused(other_sheets, "bảng điểm áp dụng cho một năm")


def test_nobody_edits_the_audit_trail(office):
    office.as_(ADMIN)

    def rewrite_history(s, o):
        s.scalar(select(AuditEntry).limit(1)).actor = "người khác"
        s.flush()

    def erase_history(s, o):
        s.delete(s.scalar(select(AuditEntry).limit(1)))
        s.flush()

    def erase_everything(s, o):  # even as a bulk statement
        s.execute(delete(AuditEntry))

    for work in (rewrite_history, erase_history, erase_everything):
        office.refused(work, "Nhật ký thay đổi chỉ để xem")


def test_a_viewer_cannot_issue_a_decision(demo_db, tmp_path):
    """Issuing the year's decision, prepared by the administrator, is refused to a viewer and
    left as it was; a cán bộ issues it."""
    office = _with_accounts(demo_db, tmp_path)
    office.as_(ADMIN)
    ward = AnttWard(demo_db)
    prepare_year(ward)
    decision_id = ward.draft()
    ward.edit_decision(decision_id, number="125", issued_on=date(2026, 11, 18))

    def issue(s, o):
        antt_decision.issue_decision(s, decision_id, "x")

    office.as_(VIEWER)
    office.refused(issue, VIEWER_REFUSED)
    office.as_(OFFICER)
    office.allowed(issue)
    assert ward.decision(decision_id).issued


def test_a_file_without_accounts_stays_open(demo_db):
    with demo_db.transaction() as session:
        assert not accounts.has_accounts(session)
        ward_id = profile.require_profile(session).id
        settings.set_setting(session, ward_id, "inspections.per_kdc_per_year", 3, "x")
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 99"), "x")
    with demo_db.reading() as session:
        assert settings.get_setting(session, ward_id, "inspections.per_kdc_per_year") == 3


def test_the_first_administrator_closes_the_file_at_once(demo_db):
    """Accounts created during a session close the open file without reopening it; an account
    created in a transaction that rolls back does not."""
    with demo_db.transaction() as session:
        ward_id = profile.require_profile(session).id
    with pytest.raises(RuntimeError), demo_db.transaction() as session:
        accounts.create_first_admin(session, ADMIN, "", PASSWORD)
        raise RuntimeError("the first start was interrupted")
    with demo_db.transaction() as session:  # still open
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 98"), "x")
    with demo_db.transaction() as session:
        accounts.create_first_admin(session, ADMIN, "", PASSWORD)
    with pytest.raises(UserError, match=guard.SIGN_IN_FIRST[:30]), demo_db.transaction() as session:
        units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 97"), "x")


def test_a_role_changed_by_an_administrator_holds_at_once(demo_db):
    """The officer's window signed in as cán bộ; the administrator makes the account a viewer (or
    closes it) from another window: the next write is refused without signing in again."""
    db = demo_db
    try:
        with db.transaction() as session:
            accounts.create_first_admin(session, "quantri", "", "quan-tri-2026")
        accounts.sign_in_and_remember(db, "quantri", "quan-tri-2026")
        with db.transaction() as session:
            officer = accounts.add_user(session, "tuan", "", Role.CAN_BO, "can-bo-2026", "quantri")
        accounts.sign_in_and_remember(db, "tuan", "can-bo-2026")
        with db.transaction() as session:
            profile.set_profile_field(session, "chairman_name", "Lê Văn A", "tuan")  # a cán bộ may
        admin_db = open_database(db.url)
        try:
            with admin_db.transaction() as session:  # the other window: no ORM identity here, run as program
                with identity.as_program():
                    session.get(AppUser, officer.id).role = Role.CHI_XEM.value
                    session.flush()
        finally:
            admin_db.close()
        with pytest.raises(UserError, match="chỉ được xem"), db.transaction() as session:
            profile.set_profile_field(session, "chairman_name", "Lê Văn B", "tuan")
    finally:
        identity.sign_out()


def test_a_reading_session_never_commits(demo_db):
    with pytest.raises(RuntimeError, match="must not commit"), demo_db.reading() as session:
        session.commit()
