"""The "An toàn về ANTT" year of the ward's units: registration, incidents, the year's table.

TT 124/2021 Art. 9: in Quarter I every unit registers (Party resolution, plan, Bản đăng ký);
through the year incidents are recorded; the review meeting, the proposal and the chairman's
decision follow (services/antt_assessment.py and services/antt_decision.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import AnttRecord, Incident, Unit
from antq_desktop.domain import antt as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.criteria import Catalogue, IncidentKind, catalogue_in_force
from antq_desktop.domain.units import (
    EligibilityFacts,
    SchoolLevel,
    UnitKind,
    UnitStatus,
    ineligibility_reason,
)
from antq_desktop.errors import UserError
from antq_desktop.services.tracking import (
    existing_row,
    stamp_created,
    stamp_updated,
)


@dataclass(frozen=True)
class YearRow:
    """One unit in the year's table."""

    unit_id: int
    name: str
    kind: UnitKind
    ineligible_reason: str | None
    record_id: int | None
    stage: Stage | None
    registered_on: date | None
    registered_late: bool
    passed: bool | None

    @property
    def eligible(self) -> bool:
        return self.ineligible_reason is None


@dataclass(frozen=True)
class RegistrationInput:
    registered_on: date
    resolution_ref: str = ""
    plan_ref: str = ""
    registration_ref: str = ""
    households_registered: int | None = None
    households_total: int | None = None
    note: str = ""


@dataclass(frozen=True)
class Registration(RegistrationInput):
    record_id: int = 0
    unit_id: int = 0
    year: int = 0
    stage: Stage = Stage.REGISTERED
    version: int = 0


@dataclass(frozen=True)
class IncidentInput:
    occurred_on: date
    kind_code: str
    severity: rules.CrimeSeverity | None = None
    force_majeure: bool = False
    reported_in_time: bool = False
    summary: str = ""


@dataclass(frozen=True)
class IncidentRow(IncidentInput):
    id: int = 0
    unit_id: int = 0


def _facts(unit: Unit) -> EligibilityFacts:
    level = SchoolLevel(unit.school_level) if unit.school_level else None
    return EligibilityFacts(UnitKind(unit.kind), unit.is_armed_forces, unit.is_small_or_micro, level)


def check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise UserError(f"Năm {year} không hợp lệ: hãy chọn một năm từ 2000 đến 2100.")


# ---- the year's table ---------------------------------------------------------------------

def year_overview(session: Session, ward_id: int, year: int, kind: UnitKind | None = None) -> list[YearRow]:
    """Every active unit, and every unit with a record that year, in Vietnamese order."""
    check_year(year)
    statement = (
        select(Unit, AnttRecord)
        .outerjoin(AnttRecord, (AnttRecord.unit_id == Unit.id) & (AnttRecord.year == year))
        .where(Unit.ward_id == ward_id, (Unit.status == UnitStatus.ACTIVE.value) | AnttRecord.id.is_not(None))
        .order_by(Unit.name_sort, Unit.id)
    )
    if kind is not None:
        statement = statement.where(Unit.kind == kind.value)
    return [_year_row(unit, record, year) for unit, record in session.execute(statement)]


def _year_row(unit: Unit, record: AnttRecord | None, year: int) -> YearRow:
    return YearRow(
        unit_id=unit.id, name=unit.name, kind=UnitKind(unit.kind), ineligible_reason=ineligibility_reason(_facts(unit)),
        record_id=record.id if record else None, stage=Stage(record.stage) if record else None,
        registered_on=record.registered_on if record else None,
        registered_late=bool(record and rules.registration_is_late(record.registered_on, year)),
        passed=record.passed if record else None,
    )


# ---- registration -------------------------------------------------------------------------

def _clean_registration(data: RegistrationInput, unit: Unit, year: int) -> dict:
    if data.registered_on.year not in (year - 1, year):
        raise UserError(
            f"Ngày đăng ký {vntext.format_date(data.registered_on)} không thuộc năm {year} "
            "(được đăng ký từ cuối năm trước đến trong năm)."
        )
    registered, total = data.households_registered, data.households_total
    if unit.kind == UnitKind.KDC.value:
        if (registered is not None and registered < 0) or (total is not None and total <= 0):
            raise UserError("Số hộ đăng ký không được âm và tổng số hộ đang cư trú phải lớn hơn 0.")
        if registered is not None and total is not None and registered > total:
            raise UserError(f"Số hộ đăng ký ({registered}) không được lớn hơn tổng số hộ đang cư trú ({total}).")
    texts = ("resolution_ref", "plan_ref", "registration_ref")
    return {
        "registered_on": data.registered_on,
        **{key: vntext.clean(getattr(data, key)) for key in texts},
        "households_registered": registered if unit.kind == UnitKind.KDC.value else None,
        "households_total": total if unit.kind == UnitKind.KDC.value else None,
        "note": vntext.clean_paragraphs(data.note),
    }


def registration_warnings(kind: UnitKind, data: RegistrationInput, year: int) -> list[str]:
    """What the officer should know about a registration that is accepted all the same."""
    warnings = []
    if rules.registration_is_late(data.registered_on, year):
        warnings.append(
            f"Đăng ký sau Quý I (hạn {vntext.format_date(rules.registration_deadline(year))}): "
            "tiêu chí 1 có thể không đạt."
        )
    registered, total = data.households_registered, data.households_total
    if kind is UnitKind.KDC and registered is not None and total and registered < total:
        warnings.append(f"Mới có {registered}/{total} hộ đăng ký: tiêu chí 1 yêu cầu 100% hộ gia đình.")
    return warnings


def _unit_for_registration(session: Session, ward_id: int, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.ward_id != ward_id:
        raise UserError("Không tìm thấy đơn vị này; hãy tải lại danh sách.")
    reason = ineligibility_reason(_facts(unit))
    if reason:
        raise UserError(f'"{unit.name}" không thuộc diện xét công nhận "An toàn về ANTT" ({reason.lower()}).')
    if unit.status != UnitStatus.ACTIVE.value:
        raise UserError(f'"{unit.name}" không còn hoạt động nên không đăng ký được.')
    return unit


def register_unit(session: Session, ward_id: int, unit_id: int, year: int, data: RegistrationInput, actor: str) -> int:
    check_year(year)
    unit = _unit_for_registration(session, ward_id, unit_id)
    if session.scalar(select(AnttRecord.id).where(AnttRecord.unit_id == unit_id, AnttRecord.year == year)):
        raise UserError(f'"{unit.name}" đã đăng ký năm {year}.')
    record = AnttRecord(
        ward_id=ward_id, unit_id=unit_id, year=year, stage=Stage.REGISTERED.value,
        catalogue_code=year_catalogue(year).code, extra_criteria="[]",
        meeting_place="", meeting_chair="", meeting_attendees="", **_clean_registration(data, unit, year),
    )
    stamp_created(record, actor)
    session.add(record)
    session.flush()
    return record.id


def existing_record(session: Session, record_id: int, expected_version: int | None = None) -> AnttRecord:
    return existing_row(session, AnttRecord, record_id, "Không tìm thấy bản đăng ký này; hãy tải lại danh sách.",
                        expected_version)


def get_registration(session: Session, record_id: int) -> Registration:
    record = existing_record(session, record_id)
    return Registration(
        registered_on=record.registered_on, resolution_ref=record.resolution_ref, plan_ref=record.plan_ref,
        registration_ref=record.registration_ref, households_registered=record.households_registered,
        households_total=record.households_total, note=record.note, record_id=record.id, unit_id=record.unit_id,
        year=record.year, stage=Stage(record.stage), version=record.version,
    )


def update_registration(
    session: Session, record_id: int, data: RegistrationInput, actor: str, expected_version: int | None = None
) -> None:
    record = existing_record(session, record_id, expected_version)
    require_open(record)
    unit = session.get(Unit, record.unit_id)
    for key, value in _clean_registration(data, unit, record.year).items():
        setattr(record, key, value)
    stamp_updated(record, actor)
    session.flush()


def require_open(record: AnttRecord) -> None:
    if record.stage in (Stage.RECOGNIZED.value, Stage.NOT_RECOGNIZED.value):
        raise UserError("Kết quả năm này đã có quyết định; muốn sửa, hãy ban hành quyết định đính chính.")


def cancel_registration(session: Session, record_id: int) -> None:
    """Remove a registration entered by mistake, before any review meeting."""
    record = existing_record(session, record_id)
    if record.stage != Stage.REGISTERED.value:
        raise UserError("Đơn vị đã được họp đánh giá nên không huỷ đăng ký được.")
    session.delete(record)
    session.flush()


def register_all_eligible(session: Session, ward_id: int, year: int, registered_on: date, actor: str) -> int:
    """Register every active, eligible unit not yet registered for ``year``; returns how many."""
    added = 0
    for row in year_overview(session, ward_id, year):
        if row.record_id is None and row.eligible:
            register_unit(session, ward_id, row.unit_id, year, RegistrationInput(registered_on=registered_on), actor)
            added += 1
    return added


def carry_over(session: Session, ward_id: int, year: int, actor: str) -> int:
    """Register for ``year`` every unit registered the year before, with last year's papers and day."""
    previous = {r.unit_id: r for r in session.scalars(
        select(AnttRecord).where(AnttRecord.ward_id == ward_id, AnttRecord.year == year - 1))}
    added = 0
    for row in year_overview(session, ward_id, year):
        old = previous.get(row.unit_id)
        if old is None or row.record_id is not None or not row.eligible:
            continue
        data = RegistrationInput(
            registered_on=_one_year_later(old.registered_on), resolution_ref=old.resolution_ref,
            plan_ref=old.plan_ref, registration_ref=old.registration_ref,
            households_registered=old.households_registered, households_total=old.households_total,
        )
        register_unit(session, ward_id, row.unit_id, year, data, actor)
        added += 1
    return added


def _one_year_later(day: date) -> date:
    """The same day a year on (29/02 becomes 28/02): a December registration stays in December."""
    return date(day.year + 1, day.month, min(day.day, 28) if day.month == 2 else day.day)


# ---- incidents ----------------------------------------------------------------------------

def _clean_incident(data: IncidentInput, catalogue_kinds: set[str]) -> dict:
    if data.kind_code not in catalogue_kinds:
        raise UserError("Hãy chọn loại vụ việc.")
    if data.occurred_on > date.today():
        raise UserError(f"Ngày xảy ra {vntext.format_date(data.occurred_on)} ở tương lai.")
    return {
        "occurred_on": data.occurred_on, "kind_code": data.kind_code,
        "severity": data.severity.value if data.severity else None, "force_majeure": data.force_majeure,
        "reported_in_time": data.reported_in_time, "summary": vntext.clean_paragraphs(data.summary),
    }


def add_incident(session: Session, ward_id: int, unit_id: int, data: IncidentInput, actor: str) -> int:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.ward_id != ward_id:
        raise UserError("Không tìm thấy đơn vị này; hãy tải lại danh sách.")
    kinds = {kind.code for kind in catalogue_in_force(data.occurred_on).incident_kinds}
    incident = Incident(ward_id=ward_id, unit_id=unit_id, **_clean_incident(data, kinds))
    stamp_created(incident, actor)
    session.add(incident)
    session.flush()
    return incident.id


def delete_incidents(session: Session, incident_ids: list[int]) -> None:
    """Remove incidents recorded by mistake (those already gone are skipped)."""
    for incident in session.scalars(select(Incident).where(Incident.id.in_(incident_ids))):
        session.delete(incident)
    session.flush()


def incident_kinds(unit_kind: UnitKind, year: int) -> tuple[IncidentKind, ...]:
    """The incident kinds that touch a criterion of ``unit_kind``, from the catalogue the
    year's registrations use (the one in force on 1 January)."""
    return tuple(kind for kind in year_catalogue(year).incident_kinds if unit_kind.value in kind.points)


def year_catalogue(year: int) -> Catalogue:
    """The criteria catalogue a year's registrations are assessed against."""
    return catalogue_in_force(date(year, 1, 1))


def _incident_row(incident: Incident) -> IncidentRow:
    return IncidentRow(
        occurred_on=incident.occurred_on, kind_code=incident.kind_code,
        severity=rules.CrimeSeverity(incident.severity) if incident.severity else None,
        force_majeure=incident.force_majeure, reported_in_time=incident.reported_in_time,
        summary=incident.summary, id=incident.id, unit_id=incident.unit_id,
    )


def unit_incidents(session: Session, unit_id: int, start: date | None = None, end: date | None = None) -> list[IncidentRow]:
    statement = select(Incident).where(Incident.unit_id == unit_id).order_by(Incident.occurred_on, Incident.id)
    if start is not None:
        statement = statement.where(Incident.occurred_on >= start)
    if end is not None:
        statement = statement.where(Incident.occurred_on <= end)
    return [_incident_row(incident) for incident in session.scalars(statement)]


def as_rule_incident(row: IncidentRow) -> rules.Incident:
    return rules.Incident(
        occurred_on=row.occurred_on, kind_code=row.kind_code, severity=row.severity,
        force_majeure=row.force_majeure, reported_in_time=row.reported_in_time, summary=row.summary,
    )
