"""The review meeting of a unit: every criterion point met or not, with evidence (TT 124 Art. 9).

Incidents recorded for the unit inside its evaluation period propose "not met" for the point
they touch; the officer confirms, or marks the point met with a reason.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import AnttPointResult, AnttRecord, Unit
from antq_desktop.domain import antt as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.criteria import Catalogue, Criterion, Point, catalogue_by_code
from antq_desktop.domain.forces import unmet_reason
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import forces, settings
from antq_desktop.services.antt import (
    as_rule_incident,
    existing_record,
    require_open,
    unit_incidents,
)
from antq_desktop.services.tracking import stamp_updated


@dataclass(frozen=True)
class MeetingInput:
    meeting_on: date | None = None
    place: str = ""
    chair: str = ""
    attendees: str = ""  # one "chức vụ: họ tên" per line


@dataclass(frozen=True)
class PointAnswer:
    code: str
    met: bool | None
    evidence: str = ""
    note: str = ""
    override_reason: str = ""


@dataclass(frozen=True)
class PointState(PointAnswer):
    text: str = ""
    proposed_unmet: tuple[str, ...] = ()  # why the records suggest "not met"


@dataclass(frozen=True)
class CriterionState:
    number: int
    title: str
    text: str
    points: tuple[PointState, ...]


@dataclass(frozen=True)
class AssessmentView:
    record_id: int
    unit_id: int
    unit_name: str
    kind: UnitKind
    year: int
    catalogue_title: str
    meeting: MeetingInput
    criteria: tuple[CriterionState, ...]
    stage: Stage
    passed: bool | None
    version: int
    period: tuple[date, date] = field(default=(date.min, date.min))

    @property
    def points(self) -> list[PointState]:
        return [point for criterion in self.criteria for point in criterion.points]


def _extra_criteria(entries: list[dict]) -> list[Criterion]:
    return [
        Criterion(
            number=0, title=entry.get("title", ""), text=entry.get("text", ""),
            points=tuple(Point(code=str(n), text=text) for n, text in enumerate(entry.get("points") or [entry["text"]], 1)),
        )
        for entry in entries
    ]


def record_catalogue(session: Session, record: AnttRecord) -> Catalogue:
    """The catalogue the record is assessed against: its national version plus the province's
    extra criteria, as they were when it was first assessed (as they are now before that)."""
    catalogue = catalogue_by_code(record.catalogue_code)
    if record.stage == Stage.REGISTERED.value:
        extras = settings.get_setting(session, record.ward_id, "antt.extra_criteria").get(_kind(session, record), [])
    else:
        extras = json.loads(record.extra_criteria)
    return catalogue.with_extra_criteria(_kind(session, record), _extra_criteria(extras)) if extras else catalogue


def _kind(session: Session, record: AnttRecord) -> str:
    return session.get(Unit, record.unit_id).kind


def _proposals(session: Session, record: AnttRecord, catalogue: Catalogue) -> dict[str, list[str]]:
    kind = _kind(session, record)
    start, end = rules.evaluation_period(kind, record.year)
    incidents = [as_rule_incident(row) for row in unit_incidents(session, record.unit_id, start, end)]
    found = rules.proposed_failures(catalogue, kind, record.year, incidents)
    _add_force_rating_proposal(session, record, catalogue, kind, found)
    order = {code: i for i, code in enumerate(catalogue.point_codes(kind))}
    return {code: found[code] for code in sorted(found, key=lambda c: order.get(c, len(order)))}


def _add_force_rating_proposal(session: Session, record: AnttRecord, catalogue: Catalogue, kind: str,
                               found: dict[str, list[str]]) -> None:
    """A force rated below "Hoàn thành nhiệm vụ" proposes "not met" for the point the catalogue names."""
    code = catalogue.force_rating_points.get(kind)
    level = forces.force_rating(session, record.unit_id, record.year) if code else None
    reason = unmet_reason(level, record.year) if level else None
    if reason:
        found.setdefault(code, []).append(reason)


def assessment(session: Session, record_id: int) -> AssessmentView:
    record = existing_record(session, record_id)
    unit = session.get(Unit, record.unit_id)
    catalogue = record_catalogue(session, record)
    proposals = _proposals(session, record, catalogue)
    stored = {row.point_code: row for row in session.scalars(
        select(AnttPointResult).where(AnttPointResult.record_id == record_id))}
    criteria = tuple(
        CriterionState(
            number=criterion.number, title=criterion.title, text=criterion.text,
            points=tuple(_point_state(point, stored.get(point.code), proposals.get(point.code, [])) for point in criterion.points),
        )
        for criterion in catalogue.criteria(unit.kind)
    )
    return AssessmentView(
        record_id=record.id, unit_id=unit.id, unit_name=unit.name, kind=UnitKind(unit.kind), year=record.year,
        catalogue_title=catalogue.short_title,
        meeting=MeetingInput(record.meeting_on, record.meeting_place, record.meeting_chair, record.meeting_attendees),
        criteria=criteria, stage=Stage(record.stage), passed=record.passed, version=record.version,
        period=rules.evaluation_period(unit.kind, record.year),
    )


def _point_state(point: Point, stored: AnttPointResult | None, proposed: list[str]) -> PointState:
    return PointState(
        code=point.code, met=stored.met if stored else None, evidence=stored.evidence if stored else "",
        note=stored.note if stored else "", override_reason=stored.override_reason if stored else "",
        text=point.text, proposed_unmet=tuple(proposed),
    )


def _check_answers(view: AssessmentView, answers: dict[str, PointAnswer]) -> None:
    unknown = set(answers) - {point.code for point in view.points}
    if unknown:
        raise UserError(f"Không có tiêu chí {', '.join(sorted(unknown))} trong bộ tiêu chí của đơn vị này.")
    for point in view.points:
        answer = answers.get(point.code)
        if answer and answer.met and point.proposed_unmet and not vntext.clean(answer.override_reason):
            raise UserError(
                f"Tiêu chí {point.code}: sổ theo dõi đề xuất tiêu chí này không đạt "
                f"({'; '.join(point.proposed_unmet)}). Nếu vẫn đánh giá là đạt, hãy ghi rõ lý do."
            )


def save_assessment(
    session: Session, record_id: int, meeting: MeetingInput, answers: list[PointAnswer], actor: str,
    expected_version: int | None = None,
) -> rules.AssessmentOutcome:
    """Store the meeting and the answers (a partial answer is kept too); returns the outcome."""
    record = existing_record(session, record_id, expected_version)
    require_open(record)
    view = assessment(session, record_id)
    by_code = {answer.code: answer for answer in answers}
    _check_answers(view, by_code)
    _store_answers(session, record, by_code)
    _store_meeting(record, meeting)
    session.flush()
    outcome = rules.assessment_result([point.code for point in view.points], _stored_answers(session, record_id))
    complete = record.meeting_on is not None and not outcome.unanswered
    if complete and record.stage == Stage.REGISTERED.value:
        extras = settings.get_setting(session, record.ward_id, "antt.extra_criteria").get(view.kind.value, [])
        record.extra_criteria = json.dumps(extras, ensure_ascii=False)
    record.passed = outcome.passed if complete else None
    if not complete:
        record.stage, record.proposed_on = Stage.REGISTERED.value, None
    elif record.stage != Stage.PROPOSED.value or not outcome.passed:
        record.stage, record.proposed_on = Stage.ASSESSED.value, None
    stamp_updated(record, actor)
    session.flush()
    return outcome


def _stored_answers(session: Session, record_id: int) -> dict[str, bool | None]:
    """Every answer on file for the record: the outcome is judged on all of them, not on the
    ones a single save happened to send."""
    rows = session.execute(select(AnttPointResult.point_code, AnttPointResult.met)
                           .where(AnttPointResult.record_id == record_id))
    return {code: met for code, met in rows}


def _store_answers(session: Session, record: AnttRecord, answers: dict[str, PointAnswer]) -> None:
    # The record's rows read at once: a get() per point would query (and flush) for each new one,
    # and a year-end workbook saves every point of hundreds of units.
    stored = {row.point_code: row for row in session.scalars(
        select(AnttPointResult).where(AnttPointResult.record_id == record.id))}
    for code, answer in answers.items():
        row = stored.get(code)
        if row is None:
            row = AnttPointResult(record_id=record.id, point_code=code)
            session.add(row)
        row.met = answer.met
        row.evidence = vntext.clean_paragraphs(answer.evidence)
        row.note = vntext.clean_paragraphs(answer.note)
        row.override_reason = vntext.clean_paragraphs(answer.override_reason)


def _store_meeting(record: AnttRecord, meeting: MeetingInput) -> None:
    if meeting.meeting_on is not None and not record.year - 1 <= meeting.meeting_on.year <= record.year:
        raise UserError(f"Ngày họp {vntext.format_date(meeting.meeting_on)} không thuộc năm đánh giá {record.year}.")
    record.meeting_on = meeting.meeting_on
    record.meeting_place = vntext.clean(meeting.place)
    record.meeting_chair = vntext.clean(meeting.chair)
    record.meeting_attendees = vntext.clean_paragraphs(meeting.attendees)


def propose(session: Session, record_ids: list[int], proposed_on: date, actor: str) -> int:
    """Mark assessed units that met every criterion as proposed for recognition; returns how many."""
    proposed = 0
    for record_id in record_ids:
        record = existing_record(session, record_id)
        if record.stage == Stage.ASSESSED.value and record.passed:
            record.stage, record.proposed_on = Stage.PROPOSED.value, proposed_on
            stamp_updated(record, actor)
            proposed += 1
    if record_ids and not proposed:
        raise UserError("Chỉ đề nghị công nhận được các đơn vị đã họp đánh giá và đạt đủ các tiêu chí.")
    session.flush()
    return proposed


def unmet_reasons(session: Session, record_id: int) -> list[str]:
    """The criterion points a unit did not meet, in words, for lists and minutes."""
    view = assessment(session, record_id)
    return [f"{point.code}: {point.text}" for point in view.points if point.met is False]
