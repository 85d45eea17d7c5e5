"""Inspections and guidance visits to the ward's units: the year's plan, each visit, its
recommendations and their follow-up, the coverage of the residential groups, the Biên bản.

An inspection is **planned** while it has no visit date, and **made** once it has one. The same
record goes from plan to visit: the officer plans (unit, kind, date, who goes), then records
the visit (date and times, place, basis, team, the unit's attendees, content, findings,
conclusion, the unit's opinion, the minutes number) and its recommendations, each with a
deadline and, later, the date it was done and what was done.

Rules chosen here (the date and text rules themselves are in domain/inspections.py):

* Only an **active** unit of the ward gets a new inspection; a unit dissolved later keeps its
  past inspections, which can still be corrected.
* Results (times, minutes number, findings, conclusion, the unit's opinion, recommendations) need
  a visit date; the basis, team, attendees, place and content may be written at planning.
* **Deleting**: a planned inspection is deleted freely. A made one is refused: its Biên bản may
  have been signed, and the ward keeps the record of every visit. If the visit did not take
  place, the officer unticks "Đã kiểm tra" in the dialog (which clears the results, after a
  question) and then deletes the plan.
* **Coverage** of a year: every active residential group (UnitKind.KDC) visited at least
  ``inspections.per_kdc_per_year`` times (a setting, 1 by default); visits made of **both**
  kinds count ("kiểm tra, hướng dẫn"). The groups below it are listed with the days left to
  31/12 and their next planned visit.
* **Overdue follow-ups**: a recommendation of one of the year's inspections whose deadline is
  before ``today`` and which has no done date.
* Recommendations are saved with their inspection as one whole, under its version check;
  ``expected_version`` is the inspection's version the user saw (``None`` skips the check).

``today`` is a parameter wherever a rule depends on it, so tests and the demo can set it.
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from antq_desktop.db.models import Inspection, InspectionRecommendation, Unit, Ward
from antq_desktop.domain import inspections as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import percent
from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.domain.ward import WardKind
from antq_desktop.errors import UserError
from antq_desktop.services import settings
from antq_desktop.services.antt import check_year
from antq_desktop.services.profile import require_profile
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

if TYPE_CHECKING:
    from antq_desktop.reports.inspection_minutes import InspectionMinutes

PLANNED_BY_MAX = 300
PLACE_MAX = 300
NUMBER_MAX = 20
_NOT_FOUND = "Không tìm thấy cuộc kiểm tra này; có thể người khác vừa xoá. Hãy tải lại danh sách."
_VISIT_ONLY = {"findings": "kết quả kiểm tra", "conclusion": "kết luận", "unit_opinion": "ý kiến của đơn vị",
               "minutes_number": "số biên bản", "started_at": "giờ bắt đầu", "ended_at": "giờ kết thúc"}


# ---- plain data --------------------------------------------------------------------------------

@dataclass(frozen=True)
class RecommendationInput:
    text: str
    deadline: date | None = None
    done_on: date | None = None
    follow_up: str = ""


@dataclass(frozen=True)
class InspectionInput:
    """Everything the dialog edits; ``visited_on`` None: still a plan."""

    unit_id: int
    kind: InspectionKind = InspectionKind.KIEM_TRA
    planned_on: date | None = None
    planned_by: str = ""
    visited_on: date | None = None
    started_at: str = ""
    ended_at: str = ""
    place: str = ""
    basis: str = ""
    team: str = ""
    unit_attendees: str = ""
    content: str = ""
    findings: str = ""
    conclusion: str = ""
    unit_opinion: str = ""
    minutes_number: str = ""
    recommendations: tuple[RecommendationInput, ...] = ()


@dataclass(frozen=True)
class InspectionView(InspectionInput):
    id: int = 0
    year: int = 0
    unit_name: str = ""
    version: int = 0


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    kind: UnitKind


@dataclass(frozen=True)
class InspectionRow:
    """One inspection in the year's table."""

    id: int
    unit_id: int
    unit_name: str
    unit_kind: UnitKind
    kind: InspectionKind
    planned_on: date | None
    planned_by: str
    visited_on: date | None
    team: str               # the head of the team (its first line), else who is to go
    recommendations: int
    open_recommendations: int
    overdue: int
    late: bool              # planned day passed, not made yet
    version: int

    @property
    def made(self) -> bool:
        return self.visited_on is not None


@dataclass(frozen=True)
class PendingGroup:
    """A residential group below the year's number of visits."""

    unit_id: int
    name: str
    made: int
    next_planned_on: date | None
    inspection_id: int | None   # its next planned (not made) inspection, if any


@dataclass(frozen=True)
class OverdueFollowUp:
    inspection_id: int
    unit_name: str
    text: str
    deadline: date
    days_overdue: int


@dataclass(frozen=True)
class Coverage:
    year: int
    group_label: str        # "Tổ dân phố" in a phường, "Khu dân cư" elsewhere
    required: int
    kdc_total: int
    kdc_inspected: int
    days_left: int
    not_inspected: tuple[PendingGroup, ...]
    overdue: tuple[OverdueFollowUp, ...]

    @property
    def pct(self) -> float | None:
        return percent(self.kdc_inspected, self.kdc_total)

    @property
    def summary(self) -> str:
        """"Tổ dân phố đã kiểm tra: 17/20 (85%)"."""
        share = self.pct
        shown = "-" if share is None else vntext.format_percent(share, 0 if float(share).is_integer() else 1)
        return f"{self.group_label} đã kiểm tra: {self.kdc_inspected}/{self.kdc_total} ({shown})"


# ---- units -------------------------------------------------------------------------------------

def unit_choices(session: Session, ward_id: int, include: int | None = None) -> list[UnitChoice]:
    """Active units by kind (KDC first) in Vietnamese order; ``include`` adds that unit even if inactive."""
    condition = Unit.status == UnitStatus.ACTIVE.value
    if include is not None:
        condition = condition | (Unit.id == include)
    units = session.scalars(select(Unit).where(Unit.ward_id == ward_id, condition)).all()
    ordered = sorted(units, key=lambda unit: (UnitKind(unit.kind).rank, unit.name_sort, unit.id))
    return [UnitChoice(unit.id, unit.name, UnitKind(unit.kind)) for unit in ordered]


def _unit(session: Session, ward_id: int, unit_id: int, *, new: bool) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.ward_id != ward_id:
        raise UserError("Hãy chọn đơn vị được kiểm tra.")
    if new and unit.status != UnitStatus.ACTIVE.value:
        raise UserError(f"\u201c{unit.name}\u201d không còn hoạt động nên không lên kế hoạch kiểm tra mới được.")
    return unit


# ---- checking what was typed -------------------------------------------------------------------

def _clean(data: InspectionInput, year: int, today: date) -> dict:
    """The row's values from ``data``, every rule checked (recommendations apart)."""
    rules.check_planned_date(data.planned_on, year)
    values = {
        "kind": InspectionKind(data.kind).value, "planned_on": data.planned_on,
        "planned_by": _short(data.planned_by, PLANNED_BY_MAX, "Người, đoàn thực hiện"),
        "visited_on": data.visited_on,
        "started_at": rules.parse_time(data.started_at, "Giờ bắt đầu"),
        "ended_at": rules.parse_time(data.ended_at, "Giờ kết thúc"),
        "place": _short(data.place, PLACE_MAX, "Địa điểm"),
        "minutes_number": _short(data.minutes_number, NUMBER_MAX, "Số biên bản"),
        **{key: vntext.clean_paragraphs(getattr(data, key)) for key in
           ("basis", "team", "unit_attendees", "content", "findings", "conclusion", "unit_opinion")},
    }
    rules.check_times(values["started_at"], values["ended_at"])
    if data.visited_on is not None:
        rules.check_visit_date(data.visited_on, year, today)
    else:
        filled = [label for key, label in _VISIT_ONLY.items() if values[key]]
        if filled:
            raise UserError(f"Đã nhập {', '.join(filled)} nhưng chưa có ngày kiểm tra: hãy chọn \u201cĐã kiểm "
                            "tra\u201d và nhập ngày, hoặc xoá các mục đó nếu mới là kế hoạch.")
    return values


def _short(text: str, limit: int, label: str) -> str:
    cleaned = vntext.clean(text)
    if len(cleaned) > limit:
        raise UserError(f"{label} dài quá {limit} ký tự.")
    return cleaned


def _clean_recommendations(items, visited_on: date | None, today: date) -> list[dict]:
    cleaned = []
    for number, item in enumerate(items, start=1):
        text = vntext.clean_paragraphs(item.text)
        rules.check_recommendation(number, text, item.deadline, item.done_on, visited_on, today)
        cleaned.append({"position": number, "text": text, "deadline": item.deadline, "done_on": item.done_on,
                        "follow_up": vntext.clean_paragraphs(item.follow_up)})
    return cleaned


# ---- writing -----------------------------------------------------------------------------------

def add_inspection(session: Session, ward_id: int, year: int, data: InspectionInput, actor: str,
                   today: date | None = None) -> int:
    """A planned inspection, or a visit recorded straight away; returns its id."""
    check_year(year)
    today = today or date.today()
    _unit(session, ward_id, data.unit_id, new=True)
    values = _clean(data, year, today)
    recommendations = _clean_recommendations(data.recommendations, data.visited_on, today)
    inspection = Inspection(ward_id=ward_id, unit_id=data.unit_id, year=year, **values)
    stamp_created(inspection, actor)
    session.add(inspection)
    session.flush()
    _replace_recommendations(session, inspection, recommendations)
    return inspection.id


def plan_inspection(session: Session, ward_id: int, year: int, unit_id: int, kind: InspectionKind,
                    planned_on: date | None, planned_by: str, actor: str) -> int:
    """Put a visit in the year's plan; returns its id."""
    data = InspectionInput(unit_id=unit_id, kind=kind, planned_on=planned_on, planned_by=planned_by)
    return add_inspection(session, ward_id, year, data, actor)


def update_inspection(session: Session, inspection_id: int, data: InspectionInput, actor: str,
                      expected_version: int | None = None, today: date | None = None) -> None:
    """Change anything of an inspection: its plan, its visit, its recommendations (replaced as a whole)."""
    inspection = existing_row(session, Inspection, inspection_id, _NOT_FOUND, expected_version)
    today = today or date.today()
    _unit(session, inspection.ward_id, data.unit_id, new=data.unit_id != inspection.unit_id)
    values = _clean(data, inspection.year, today)
    recommendations = _clean_recommendations(data.recommendations, data.visited_on, today)
    inspection.unit_id = data.unit_id
    for key, value in values.items():
        setattr(inspection, key, value)
    stamp_updated(inspection, actor)
    flag_modified(inspection, "updated_at")   # a change of the recommendations alone bumps the version too
    _replace_recommendations(session, inspection, recommendations)


def record_visit(session: Session, inspection_id: int, data: InspectionInput, actor: str,
                 expected_version: int | None = None, today: date | None = None) -> None:
    """Record the visit of a planned inspection (the same as editing it with a visit date)."""
    if data.visited_on is None:
        raise UserError("Hãy nhập ngày kiểm tra.")
    update_inspection(session, inspection_id, data, actor, expected_version, today)


def _replace_recommendations(session: Session, inspection: Inspection, cleaned: list[dict]) -> None:
    for old in session.scalars(select(InspectionRecommendation)
                               .where(InspectionRecommendation.inspection_id == inspection.id)):
        session.delete(old)
    session.flush()
    session.add_all(InspectionRecommendation(inspection_id=inspection.id, **values) for values in cleaned)
    session.flush()


def delete_inspection(session: Session, inspection_id: int, expected_version: int | None = None) -> None:
    """Remove a planned inspection; a made one is refused (see the module's rules)."""
    inspection = existing_row(session, Inspection, inspection_id, _NOT_FOUND, expected_version)
    if inspection.visited_on is not None:
        unit = session.get(Unit, inspection.unit_id)
        raise UserError(
            f"Cuộc {InspectionKind(inspection.kind).verb} \u201c{unit.name}\u201d ngày "
            f"{vntext.format_date(inspection.visited_on)} đã thực hiện nên không xoá được (để giữ hồ sơ và biên "
            "bản). Nếu ghi sai, hãy mở ra sửa lại; nếu thực ra chưa đi, hãy bỏ chọn \u201cĐã kiểm tra\u201d rồi xoá."
        )
    session.delete(inspection)
    session.flush()


# ---- reading -----------------------------------------------------------------------------------

def get_inspection(session: Session, inspection_id: int) -> InspectionView:
    inspection = existing_row(session, Inspection, inspection_id, _NOT_FOUND)
    unit = session.get(Unit, inspection.unit_id)
    recommendations = tuple(
        RecommendationInput(r.text, r.deadline, r.done_on, r.follow_up) for r in _recommendations(session, inspection.id))
    return InspectionView(
        unit_id=inspection.unit_id, kind=InspectionKind(inspection.kind), planned_on=inspection.planned_on,
        planned_by=inspection.planned_by, visited_on=inspection.visited_on, started_at=inspection.started_at,
        ended_at=inspection.ended_at, place=inspection.place, basis=inspection.basis, team=inspection.team,
        unit_attendees=inspection.unit_attendees, content=inspection.content, findings=inspection.findings,
        conclusion=inspection.conclusion, unit_opinion=inspection.unit_opinion,
        minutes_number=inspection.minutes_number, recommendations=recommendations, id=inspection.id,
        year=inspection.year, unit_name=unit.name, version=inspection.version,
    )


def _recommendations(session: Session, inspection_id: int) -> list[InspectionRecommendation]:
    return list(session.scalars(select(InspectionRecommendation)
                                .where(InspectionRecommendation.inspection_id == inspection_id)
                                .order_by(InspectionRecommendation.position, InspectionRecommendation.id)))


def _year_rows(session: Session, ward_id: int, year: int) -> list[tuple[Inspection, Unit]]:
    statement = (select(Inspection, Unit).join(Unit, Unit.id == Inspection.unit_id)
                 .where(Inspection.ward_id == ward_id, Inspection.year == year))
    return [tuple(row) for row in session.execute(statement)]


def _year_recommendations(session: Session, ward_id: int, year: int) -> dict[int, list[InspectionRecommendation]]:
    statement = (select(InspectionRecommendation).join(Inspection)
                 .where(Inspection.ward_id == ward_id, Inspection.year == year)
                 .order_by(InspectionRecommendation.position, InspectionRecommendation.id))
    found: dict[int, list[InspectionRecommendation]] = defaultdict(list)
    for recommendation in session.scalars(statement):
        found[recommendation.inspection_id].append(recommendation)
    return found


def year_inspections(session: Session, ward_id: int, year: int, today: date | None = None) -> list[InspectionRow]:
    """The year's inspections: by date (the visit's, else the planned one; undated last), then unit."""
    check_year(year)
    today = today or date.today()
    recommendations = _year_recommendations(session, ward_id, year)
    rows = [_row(inspection, unit, recommendations.get(inspection.id, []), today)
            for inspection, unit in _year_rows(session, ward_id, year)]
    return sorted(rows, key=lambda row: (row.visited_on or row.planned_on or date.max, _name_sort(row), row.id))


def _name_sort(row: InspectionRow) -> str:
    return vntext.sort_key(row.unit_name)


def _row(inspection: Inspection, unit: Unit, recommendations: list[InspectionRecommendation],
         today: date) -> InspectionRow:
    team = _signer(_lines(inspection.team), ("trưởng đoàn",)) or inspection.planned_by
    return InspectionRow(
        id=inspection.id, unit_id=unit.id, unit_name=unit.name, unit_kind=UnitKind(unit.kind),
        kind=InspectionKind(inspection.kind), planned_on=inspection.planned_on, planned_by=inspection.planned_by,
        visited_on=inspection.visited_on, team=team, recommendations=len(recommendations),
        open_recommendations=sum(r.done_on is None for r in recommendations),
        overdue=sum(rules.is_overdue(r.deadline, r.done_on, today) for r in recommendations),
        late=inspection.visited_on is None and inspection.planned_on is not None and inspection.planned_on < today,
        version=inspection.version,
    )


# ---- coverage and figures ----------------------------------------------------------------------

def coverage(session: Session, ward_id: int, year: int, today: date | None = None) -> Coverage:
    """The year's coverage of the residential groups and its overdue follow-ups (see the module's rules)."""
    check_year(year)
    today = today or date.today()
    required = int(settings.get_setting(session, ward_id, "inspections.per_kdc_per_year"))
    made: dict[int, int] = defaultdict(int)
    next_plan: dict[int, Inspection] = {}
    for inspection, _unit_row in _year_rows(session, ward_id, year):
        if inspection.visited_on is not None:
            made[inspection.unit_id] += 1
        elif _earlier_plan(inspection, next_plan.get(inspection.unit_id)):
            next_plan[inspection.unit_id] = inspection
    groups = _active_groups(session, ward_id)
    pending = tuple(_pending(unit, made[unit.id], next_plan.get(unit.id)) for unit in groups
                    if not rules.is_covered(made[unit.id], required))
    return Coverage(
        year=year, group_label=_group_label(session, ward_id), required=max(required, 1), kdc_total=len(groups),
        kdc_inspected=len(groups) - len(pending), days_left=rules.days_left(year, today), not_inspected=pending,
        overdue=tuple(overdue_follow_ups(session, ward_id, year, today)),
    )


def _earlier_plan(candidate: Inspection, current: Inspection | None) -> bool:
    if current is None:
        return True
    return (candidate.planned_on or date.max, candidate.id) < (current.planned_on or date.max, current.id)


def _active_groups(session: Session, ward_id: int) -> list[Unit]:
    return list(session.scalars(select(Unit).where(
        Unit.ward_id == ward_id, Unit.kind == UnitKind.KDC.value, Unit.status == UnitStatus.ACTIVE.value,
    ).order_by(Unit.name_sort, Unit.id)))


def _pending(unit: Unit, made: int, plan: Inspection | None) -> PendingGroup:
    return PendingGroup(unit_id=unit.id, name=unit.name, made=made,
                        next_planned_on=plan.planned_on if plan else None, inspection_id=plan.id if plan else None)


def _group_label(session: Session, ward_id: int) -> str:
    ward = session.get(Ward, ward_id)
    return "Tổ dân phố" if ward is not None and ward.kind == WardKind.PHUONG.value else "Khu dân cư"


def overdue_follow_ups(session: Session, ward_id: int, year: int, today: date | None = None) -> list[OverdueFollowUp]:
    """Recommendations of the year's inspections past their deadline and not done, the oldest deadline first."""
    today = today or date.today()
    statement = (select(InspectionRecommendation, Inspection.id, Unit.name)
                 .join(Inspection, Inspection.id == InspectionRecommendation.inspection_id)
                 .join(Unit, Unit.id == Inspection.unit_id)
                 .where(Inspection.ward_id == ward_id, Inspection.year == year,
                        InspectionRecommendation.done_on.is_(None), InspectionRecommendation.deadline < today)
                 .order_by(InspectionRecommendation.deadline, Unit.name_sort, InspectionRecommendation.position))
    return [OverdueFollowUp(inspection_id, name, recommendation.text, recommendation.deadline,
                            (today - recommendation.deadline).days)
            for recommendation, inspection_id, name in session.execute(statement)]


def inspection_stats(session: Session, ward_id: int, year: int, today: date | None = None) -> dict:
    """The year's figures for `antq stats --json` (key "inspections")."""
    today = today or date.today()
    rows = year_inspections(session, ward_id, year, today)
    cover = coverage(session, ward_id, year, today)
    made = [row for row in rows if row.made]
    pct = cover.pct
    return {
        "planned": len(rows), "made": len(made), "not_made": len(rows) - len(made),
        "late": sum(row.late for row in rows),
        "made_by_kind": {kind.value: sum(row.kind is kind for row in made) for kind in InspectionKind},
        "required_per_kdc": cover.required, "kdc_total": cover.kdc_total, "kdc_inspected": cover.kdc_inspected,
        "kdc_inspected_pct": None if pct is None else round(pct, 2),
        "not_inspected": [group.name for group in cover.not_inspected], "days_left": cover.days_left,
        "recommendations": sum(row.recommendations for row in rows),
        "recommendations_open": sum(row.open_recommendations for row in rows),
        "overdue_followups": len(cover.overdue),
    }


# ---- the Biên bản ------------------------------------------------------------------------------

def inspection_minutes(session: Session, inspection_id: int) -> InspectionMinutes:
    """The Biên bản kiểm tra of a made inspection, as the report's plain data."""
    # Imported here: reportlab costs start-up time, and antt_documents imports the stats that import this.
    from antq_desktop.reports.inspection_minutes import (
        InspectionMinutes,
        MinutesRecommendation,
    )
    from antq_desktop.services.antt_documents import police_issuer

    profile = require_profile(session)
    view = get_inspection(session, inspection_id)
    if view.visited_on is None:
        raise UserError(f"\u201c{view.unit_name}\u201d mới có kế hoạch, chưa ghi kết quả kiểm tra nên chưa in được "
                        "biên bản. Hãy ghi kết quả trước.")
    unit = session.get(Unit, view.unit_id)
    suffix = vntext.clean(profile.police_doc_suffix)
    team, attendees = _lines(view.team), _lines(view.unit_attendees)
    return InspectionMinutes(
        issuer=police_issuer(profile), number=view.minutes_number, symbol=f"BB-{suffix}" if suffix else "BB",
        visited_on=view.visited_on, year=view.year, kind=view.kind, unit_name=view.unit_name,
        inspector=profile.police_unit_name, started_at=view.started_at, ended_at=view.ended_at,
        place=view.place, bases=_lines(view.basis), team=team, unit_attendees=attendees,
        content=_lines(view.content), findings=_lines(view.findings), conclusion=_lines(view.conclusion),
        recommendations=tuple(MinutesRecommendation(r.text, r.deadline) for r in view.recommendations),
        unit_opinion=_lines(view.unit_opinion),
        unit_signer=rules.person_name(attendees[0]) if attendees else vntext.clean(unit.head_name),
        secretary=_signer(team, ("thư ký",)), team_head=_signer(team, ("trưởng đoàn",)),
    )


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in (vntext.clean(part) for part in text.split("\n")) if line)


def _signer(team: tuple[str, ...], roles: tuple[str, ...]) -> str:
    """The name on the team line naming one of ``roles`` (the first line for the head), or ""."""
    for line in team:
        if any(role in line.casefold() for role in roles):
            return rules.person_name(line)
    return rules.person_name(team[0]) if team and "trưởng đoàn" in roles else ""


def inspection_minutes_pdf(session: Session, inspection_id: int) -> bytes:
    """The Biên bản kiểm tra as PDF bytes (for `antq print inspection-minutes` and the preview)."""
    from antq_desktop.reports.inspection_minutes import render_inspection_minutes

    buffer = io.BytesIO()
    render_inspection_minutes(inspection_minutes(session, inspection_id), buffer)
    return buffer.getvalue()


# ---- the demo ward's year ----------------------------------------------------------------------

_DEMO_NOT_VISITED = ("Tổ dân phố 6", "Tổ dân phố 13", "Tổ dân phố 19")
_DEMO_OTHERS = (
    ("Ủy ban nhân dân phường Minh Xuân", InspectionKind.KIEM_TRA),
    ("Trạm Y tế phường Minh Xuân", InspectionKind.HUONG_DAN),
    ("Công ty Cổ phần Xi măng Tân Quang", InspectionKind.KIEM_TRA),
    ("Siêu thị Co.opmart Tuyên Quang", InspectionKind.HUONG_DAN),
    ("Trường THCS Minh Xuân", InspectionKind.KIEM_TRA),
    ("Trường THPT Tân Trào", InspectionKind.KIEM_TRA),
)
_DEMO_TEAM = ("Đại úy Trần Quang Hải, Phó Trưởng Công an phường, Trưởng đoàn",
              "Thượng úy Lê Minh Đức, Cảnh sát khu vực, thành viên",
              "Trung úy Phạm Thu Trang, cán bộ Công an phường, thư ký")
_DEMO_FINDINGS = (
    "Đơn vị đã ban hành kế hoạch thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}, tổ chức "
    "ký cam kết đến các hộ gia đình. Tổ bảo vệ an ninh, trật tự duy trì tuần tra vào các ngày cuối tuần.",
    "Sổ theo dõi người tạm trú, tạm vắng chưa được cập nhật đầy đủ; một số camera an ninh tại các ngõ bị hỏng.",
)
_DEMO_RECOMMENDATIONS = (
    "Cập nhật đầy đủ sổ theo dõi người tạm trú, tạm vắng trên địa bàn.",
    "Phối hợp với các hộ gia đình sửa chữa, thay thế camera an ninh bị hỏng.",
    "Bổ sung quy chế hoạt động của Tổ bảo vệ an ninh, trật tự.",
)


@dataclass
class _DemoClock:
    """Visit days spread over the part of the year already past."""

    year: int
    today: date
    pick: random.Random = field(default_factory=lambda: random.Random(19))

    @property
    def last(self) -> date:
        return min(self.today - timedelta(days=1), date(self.year, 12, 15))

    def visit_day(self, number: int, total: int) -> date | None:
        first = date(self.year, 1, 12)
        if self.last < first:
            return None
        span = (self.last - first).days
        return first + timedelta(days=span * number // max(total, 1))


def add_demo_inspections(session: Session, ward_id: int, year: int, actor: str, today: date | None = None) -> int:
    """A realistic year for the demo ward: most residential groups visited, three not yet (two with a
    plan), a few agencies, enterprises and schools, some recommendations, one overdue; returns how many."""
    clock = _DemoClock(year, today or date.today())
    units = {unit.name: unit for unit in session.scalars(select(Unit).where(Unit.ward_id == ward_id))}
    visits = [(name, InspectionKind.KIEM_TRA) for name in (f"Tổ dân phố {n}" for n in range(1, 21))
              if name not in _DEMO_NOT_VISITED] + list(_DEMO_OTHERS)
    visits = [(units[name], kind) for name, kind in visits if name in units]
    clock.pick.shuffle(visits)
    for number, (unit, kind) in enumerate(visits):
        day = clock.visit_day(number, len(visits))
        data = _demo_visit(unit, kind, day, number, clock) if day else InspectionInput(unit.id, kind)
        add_inspection(session, ward_id, year, data, actor, clock.today)
    planned = [units[name] for name in _DEMO_NOT_VISITED[:2] if name in units]
    for offset, unit in enumerate(planned):
        plan_inspection(session, ward_id, year, unit.id, InspectionKind.KIEM_TRA, date(year, 12, 10 + 5 * offset),
                        "Đoàn kiểm tra Công an phường", actor)
    return len(visits) + len(planned)


def _demo_visit(unit: Unit, kind: InspectionKind, day: date, number: int, clock: _DemoClock) -> InspectionInput:
    start = clock.pick.choice(("08:00", "08:30", "14:00", "14:30"))
    end = f"{int(start[:2]) + 2:02d}:{start[3:]}"
    residential = unit.kind == UnitKind.KDC.value
    head = f"{'Ông' if clock.pick.random() < 0.6 else 'Bà'} {unit.head_name}, {unit.head_title}"
    return InspectionInput(
        unit_id=unit.id, kind=kind, planned_on=day, planned_by="Đoàn kiểm tra Công an phường", visited_on=day,
        started_at=start, ended_at=end, place=f"{'Nhà văn hóa' if residential else 'Trụ sở'} {unit.name}",
        basis=f"Căn cứ Kế hoạch số 05/KH-CAP ngày 10 tháng 01 năm {clock.year} của Công an phường Minh Xuân về "
              f"kiểm tra, hướng dẫn công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc năm {clock.year}.",
        team="\n".join(_DEMO_TEAM), unit_attendees=head,
        content="Việc xây dựng, thực hiện kế hoạch phong trào toàn dân bảo vệ an ninh Tổ quốc.\n"
                "Hoạt động của Tổ bảo vệ an ninh, trật tự và các mô hình tự quản.",
        findings="\n".join(text.format(year=clock.year) for text in _DEMO_FINDINGS),
        conclusion="Đơn vị thực hiện tốt các nội dung được kiểm tra; còn một số tồn tại cần khắc phục.",
        unit_opinion="Nhất trí với nội dung biên bản và cam kết khắc phục đúng thời hạn.",
        minutes_number=str(number + 1), recommendations=_demo_recommendations(day, number, clock),
    )


def _demo_recommendations(day: date, number: int, clock: _DemoClock) -> tuple[RecommendationInput, ...]:
    """Every third visit leaves recommendations, done by their deadline once that has come, except
    the first visit's first one (overdue)."""
    if number % 3:
        return ()
    texts = _DEMO_RECOMMENDATIONS
    items = [RecommendationInput(texts[number // 3 % 3], day + timedelta(days=30))]
    if number % 2 == 0:
        items.append(RecommendationInput(texts[(number // 3 + 1) % 3], day + timedelta(days=60)))
    done = []
    for item in items:
        done_on = item.deadline - timedelta(days=10)
        if (number == 0 and item is items[0]) or done_on >= clock.today:
            done.append(item)
        else:
            done.append(RecommendationInput(item.text, item.deadline, done_on, "Đã khắc phục xong."))
    return tuple(done)
