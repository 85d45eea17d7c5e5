"""Shared steps of an "An toàn về ANTT" year on a real database, for the service and CLI tests.

Every call is one transaction, as in the program; nothing of our code is mocked.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterable
from datetime import date
from pathlib import Path

from sqlalchemy import text

from antq_desktop.db.engine import Database, open_database
from antq_desktop.domain.units import UnitKind
from antq_desktop.services import antt, antt_assessment, antt_decision, settings
from antq_desktop.services import profile as profile_service

ACTOR = "cán bộ A"
YEAR = 2026
REGISTERED_ON = date(2026, 3, 10)
MEETING_ON = date(2026, 10, 20)
PROPOSED_ON = date(2026, 11, 1)
ISSUED_ON = date(2026, 11, 18)

# The units a "prepared year" recognises, given out of order on purpose: the decision lists
# them grouped by kind, in Vietnamese order inside each kind.
PASSED = (
    "Ủy ban nhân dân phường Minh Xuân", "Tổ dân phố 10", "Trường THPT Tân Trào", "Siêu thị Co.opmart Tuyên Quang",
    "Tổ dân phố 2", "Công ty Cổ phần Xi măng Tân Quang", "Đảng ủy phường Minh Xuân",
)
FAILED = ("Tổ dân phố 5",)
EXPECTED_LIST = (
    ("Tổ dân phố 2", "Khu dân cư"),
    ("Tổ dân phố 10", "Khu dân cư"),
    ("Đảng ủy phường Minh Xuân", "Cơ quan"),
    ("Ủy ban nhân dân phường Minh Xuân", "Cơ quan"),
    ("Công ty Cổ phần Xi măng Tân Quang", "Doanh nghiệp"),
    ("Siêu thị Co.opmart Tuyên Quang", "Doanh nghiệp"),
    ("Trường THPT Tân Trào", "Cơ sở giáo dục"),
)


class AnttWard:
    """The demo ward's ANTT year on one real database."""

    def __init__(self, db: Database):
        self.db = db
        with db.transaction() as session:
            self.ward_id = profile_service.require_profile(session).id

    # ---- plumbing ----------------------------------------------------------------------

    def call(self, function, *args, **kwargs):
        with self.db.transaction() as session:
            return function(session, *args, **kwargs)

    def ward_call(self, function, *args, **kwargs):
        return self.call(function, self.ward_id, *args, **kwargs)

    def raw(self, sql: str, **params):
        with self.db.transaction() as session:
            return session.execute(text(sql), params).all()

    def scalar(self, sql: str, **params):
        with self.db.transaction() as session:
            return session.execute(text(sql), params).scalar()

    # ---- units and the year's table ----------------------------------------------------------

    def unit_id(self, name: str) -> int:
        (row,) = self.raw("SELECT id FROM unit WHERE name = :name", name=name)
        return row[0]

    def overview(self, year: int = YEAR, kind: UnitKind | None = None) -> list[antt.YearRow]:
        return self.ward_call(antt.year_overview, year, kind)

    def row(self, name: str, year: int = YEAR) -> antt.YearRow:
        (found,) = [row for row in self.overview(year) if row.name == name]
        return found

    def record_id(self, name: str, year: int = YEAR) -> int:
        record_id = self.row(name, year).record_id
        assert record_id is not None, f"{name} is not registered for {year}"
        return record_id

    def stage(self, name: str, year: int = YEAR):
        return self.row(name, year).stage

    # ---- registration, assessment, proposal ----------------------------------------------------

    def register(self, name: str, year: int = YEAR, registered_on: date = REGISTERED_ON, **fields) -> int:
        data = antt.RegistrationInput(registered_on=registered_on, **fields)
        return self.ward_call(antt.register_unit, self.unit_id(name), year, data, ACTOR)

    def register_all(self, year: int = YEAR, registered_on: date = REGISTERED_ON) -> int:
        return self.ward_call(antt.register_all_eligible, year, registered_on, ACTOR)

    def view(self, record_id: int) -> antt_assessment.AssessmentView:
        return self.call(antt_assessment.assessment, record_id)

    def answers(self, record_id: int, failing: Iterable[str] = (), reasons: dict[str, str] | None = None):
        failing, reasons = set(failing), reasons or {}
        return [antt_assessment.PointAnswer(point.code, point.code not in failing,
                                            override_reason=reasons.get(point.code, ""))
                for point in self.view(record_id).points]

    def assess(self, record_id: int, failing: Iterable[str] = (), meeting_on: date | None = MEETING_ON,
               reasons: dict[str, str] | None = None):
        """Answer every point (met unless in ``failing``) at a meeting on ``meeting_on``."""
        answers = self.answers(record_id, failing, reasons)
        meeting = antt_assessment.MeetingInput(meeting_on, "Nhà văn hóa", "Tổ trưởng", "")
        return self.call(antt_assessment.save_assessment, record_id, meeting, answers, ACTOR)

    def propose(self, names: Iterable[str], year: int = YEAR) -> int:
        ids = [self.record_id(name, year) for name in names]
        return self.call(antt_assessment.propose, ids, PROPOSED_ON, ACTOR)

    # ---- settings, profile, decision -----------------------------------------------------------

    def set_setting(self, key: str, value) -> None:
        self.ward_call(settings.set_setting, key, value, ACTOR)

    def set_profile(self, key: str, value: str) -> None:
        self.call(profile_service.set_profile_field, key, value, ACTOR)

    def profile(self) -> profile_service.WardProfile:
        return self.call(profile_service.require_profile)

    def draft(self, year: int = YEAR) -> int:
        return self.ward_call(antt_decision.draft_decision, year, ACTOR)

    def decision(self, decision_id: int) -> antt_decision.DecisionView:
        return self.call(antt_decision.decision_view, decision_id)

    def edit_decision(self, decision_id: int, **changes) -> None:
        view = self.decision(decision_id)
        values = {"number": view.number, "issued_on": view.issued_on, "signer_authority": view.signer_authority,
                  "signer_title": view.signer_title, "signer_name": view.signer_name, "bases": view.bases,
                  "recipients": view.recipients, **changes}
        self.call(antt_decision.update_decision, decision_id, antt_decision.DecisionInput(**values), ACTOR)

    def issue(self, decision_id: int) -> None:
        self.call(antt_decision.issue_decision, decision_id, ACTOR)

    def draft_and_issue(self, number: str = "125", issued_on: date = ISSUED_ON, year: int = YEAR) -> int:
        decision_id = self.draft(year)
        self.edit_decision(decision_id, number=number, issued_on=issued_on)
        self.issue(decision_id)
        return decision_id


def prepare_year(ward: AnttWard, passed: Iterable[str] = PASSED, failed: Iterable[str] = FAILED) -> None:
    """Every eligible unit registered; ``passed`` assessed as meeting everything and proposed,
    ``failed`` assessed with criterion point 1a not met; the rest only registered."""
    passed = list(passed)
    ward.register_all()
    for name in passed:
        assert ward.assess(ward.record_id(name)).passed
    for name in failed:
        assert not ward.assess(ward.record_id(name), failing=["1a"]).passed
    if passed:
        assert ward.propose(passed) == len(passed)


def build_template(source: Path, target: Path, build) -> Path:
    """Copy ``source`` to ``target``, run ``build(AnttWard)`` on it and close it (a complete file)."""
    shutil.copy(source, target)
    db = open_database(target)
    try:
        build(AnttWard(db))
    finally:
        db.close()
    return target
