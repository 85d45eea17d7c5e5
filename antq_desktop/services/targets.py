"""The plan's targets of a year and the year's figures judged against them.

A year the plan covers has its own ``PlanTarget`` rows (the demo ships the 2026–2030 targets
of shared/seeds). A year it does not cover falls back to the ward's standing targets, the
settings each register already had ("antt.target_recognized_pct"…), so older years are still
judged. The registers ask :func:`target_value` for their own target, so a page and the
dashboard never disagree about a year the plan covers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antq_desktop.db import audit
from antq_desktop.db.models import PlanTarget
from antq_desktop.domain import plan, vntext
from antq_desktop.domain.vntext import format_number, format_percent
from antq_desktop.errors import UserError
from antq_desktop.services import settings

if TYPE_CHECKING:
    from antq_desktop.services.stats import YearStats

# indicator -> the setting that held its target before the plan had years
_STANDING_SETTINGS = {
    "registered_pct": "antt.target_registered_pct",
    "recognized_pct": "antt.target_recognized_pct",
    "kha_or_above_pct": "classification.target_kha_or_above_pct",
    "yeu_units": "classification.target_no_yeu",  # True: at most 0 units Yếu
    "models_kha_or_above": "models.target_kha_or_above",
    "forces_trained_pct": "forces.target_trained_pct",
    "forces_equipped_pct": "forces.target_equipped_pct",
    "festival_pct": "events.target_festival_pct",
    "propaganda_items": "events.target_activities",  # 0: no target
}
_MAX_COUNT = 1_000_000


@dataclass(frozen=True)
class TargetInput:
    name: str
    unit: str  # plan.PERCENT | plan.COUNT
    comparison: str  # plan.AT_LEAST | plan.AT_MOST
    target: int
    code: str = ""  # an indicator of domain.plan; "" for one the ward adds (typed by hand)
    actual: int | None = None  # the figure typed by hand, for an indicator the records do not hold
    notes: str = ""


@dataclass(frozen=True)
class TargetRow(TargetInput):
    id: int | None = None  # None: a standing target, not stored for this year
    version: int = 0

    @property
    def computed(self) -> bool:
        indicator = plan.BY_CODE.get(self.code)
        return indicator is not None and indicator.computed


# ---- the targets of a year ------------------------------------------------------------------------

def _stored(session: Session, ward_id: int, year: int) -> list[PlanTarget]:
    return list(session.scalars(select(PlanTarget).where(PlanTarget.ward_id == ward_id, PlanTarget.year == year)
                                .order_by(PlanTarget.position, PlanTarget.id)))


def _row(target: PlanTarget) -> TargetRow:
    return TargetRow(name=target.name, unit=target.unit, comparison=target.comparison, target=target.target,
                     code=target.code, actual=target.actual, notes=target.notes, id=target.id,
                     version=target.version)


def has_plan(session: Session, ward_id: int, year: int) -> bool:
    return bool(session.scalar(select(func.count()).select_from(PlanTarget)
                               .where(PlanTarget.ward_id == ward_id, PlanTarget.year == year)))


def standing_target(session: Session, ward_id: int, code: str) -> int | None:
    """The ward's target for a year its plan does not cover (None: no target)."""
    key = _STANDING_SETTINGS.get(code)
    if key is None:
        return plan.BY_CODE[code].default_target
    value = settings.get_setting(session, ward_id, key)
    if isinstance(value, bool):
        return 0 if value else None
    return int(value) if value or code != "propaganda_items" else None


def standing_targets(session: Session, ward_id: int, *, with_manual: bool = False) -> list[TargetRow]:
    """The catalogue's indicators with the ward's standing targets (those without a target left out)."""
    rows = []
    for indicator in plan.INDICATORS:
        target = standing_target(session, ward_id, indicator.code)
        if target is not None and (indicator.computed or with_manual):
            rows.append(TargetRow(name=indicator.name, unit=indicator.unit, comparison=indicator.comparison,
                                  target=target, code=indicator.code))
    return rows


def year_targets(session: Session, ward_id: int, year: int) -> list[TargetRow]:
    """The year's targets: the plan's, or the standing ones when the plan does not cover the year."""
    stored = _stored(session, ward_id, year)
    return [_row(target) for target in stored] if stored else standing_targets(session, ward_id)


def target_value(session: Session, ward_id: int, year: int, code: str) -> int | None:
    """One indicator's target for the year: the plan's when it sets one, else the standing one."""
    stored = session.scalar(select(PlanTarget.target).where(
        PlanTarget.ward_id == ward_id, PlanTarget.year == year, PlanTarget.code == code))
    return stored if stored is not None else standing_target(session, ward_id, code)


# ---- editing ----------------------------------------------------------------------------------------

_OWN_CODE = re.compile(r"khac_\d{1,4}")  # an indicator the ward added: "khac_1", "khac_2"…


def _clean(data: TargetInput) -> TargetInput:
    if data.code and data.code not in plan.BY_CODE and not _OWN_CODE.fullmatch(data.code):
        raise UserError("Mã chỉ tiêu không hợp lệ: chọn một chỉ tiêu trong danh mục, hoặc “Chỉ tiêu khác”.")
    indicator = plan.BY_CODE.get(data.code)
    if indicator is not None:  # a catalogue indicator keeps how it is measured; only its wording may change
        data = replace(data, unit=indicator.unit, comparison=indicator.comparison,
                       actual=None if indicator.computed else data.actual)
    name = vntext.clean(data.name) or (indicator.name if indicator else "")
    if not name:
        raise UserError("Hãy nhập tên chỉ tiêu.")
    if len(name) > 300:
        raise UserError("Tên chỉ tiêu dài quá 300 ký tự.")
    if data.unit not in (plan.PERCENT, plan.COUNT) or data.comparison not in (plan.AT_LEAST, plan.AT_MOST):
        raise UserError("Chỉ tiêu phải tính theo tỷ lệ % hoặc theo số lượng, và là \u201cít nhất\u201d hoặc \u201cnhiều nhất\u201d.")
    limit = 100 if data.unit == plan.PERCENT else _MAX_COUNT
    for label, value in (("Mức chỉ tiêu", data.target), ("Số thực hiện", data.actual)):
        if value is not None and not 0 <= value <= limit:
            raise UserError(f"{label} của \u201c{name}\u201d phải từ 0 đến {format_number(limit)}"
                            f"{'%' if data.unit == plan.PERCENT else ''}.")
    return replace(data, name=name, notes=vntext.clean_paragraphs(data.notes))


def _free_code(session: Session, ward_id: int, year: int) -> str:
    """A code for an indicator the ward adds: "khac_1", "khac_2"…"""
    taken = set(session.scalars(select(PlanTarget.code).where(PlanTarget.ward_id == ward_id,
                                                               PlanTarget.year == year)))
    return next(f"khac_{n}" for n in range(1, len(taken) + 2) if f"khac_{n}" not in taken)


def _stamp(target: PlanTarget, actor: str, *, new: bool = False) -> None:
    now = datetime.now().replace(microsecond=0)
    if new:
        target.created_at, target.created_by = now, actor
    target.updated_at, target.updated_by = now, actor


def _check_year(year: int) -> None:
    if not 2000 <= year <= 2100:
        raise UserError(f"Năm {year} không hợp lệ.")


def add_target(session: Session, ward_id: int, year: int, data: TargetInput, actor: str) -> int:
    _check_year(year)
    data = _clean(data)
    code = data.code or _free_code(session, ward_id, year)
    if session.scalar(select(PlanTarget.id).where(PlanTarget.ward_id == ward_id, PlanTarget.year == year,
                                                  PlanTarget.code == code)):
        raise UserError(f"Năm {year} đã có chỉ tiêu \u201c{data.name}\u201d.")
    position = session.scalar(select(func.coalesce(func.max(PlanTarget.position), 0))
                              .where(PlanTarget.ward_id == ward_id, PlanTarget.year == year)) + 1
    target = PlanTarget(ward_id=ward_id, year=year, position=position, code=code, name=data.name, unit=data.unit,
                        comparison=data.comparison, target=data.target, actual=data.actual, notes=data.notes)
    _stamp(target, actor, new=True)
    session.add(target)
    session.flush()
    return target.id


def _get(session: Session, target_id: int, expected_version: int | None) -> PlanTarget:
    target = session.get(PlanTarget, target_id)
    if target is None:
        raise UserError("Chỉ tiêu này không còn (có thể người khác vừa xoá).")
    if expected_version is not None and target.version != expected_version:
        raise UserError("Chỉ tiêu này vừa được người khác sửa. Hãy mở lại để xem bản mới nhất.")
    return target


def update_target(session: Session, target_id: int, data: TargetInput, actor: str,
                  expected_version: int | None = None) -> None:
    target = _get(session, target_id, expected_version)
    data = _clean(replace(data, code=target.code))
    target.name, target.unit, target.comparison = data.name, data.unit, data.comparison
    target.target, target.actual, target.notes = data.target, data.actual, data.notes
    _stamp(target, actor)
    session.flush()


def delete_target(session: Session, target_id: int, expected_version: int | None = None) -> None:
    session.delete(_get(session, target_id, expected_version))
    session.flush()


def start_year(session: Session, ward_id: int, year: int, actor: str) -> int:
    """Give a year the plan does not cover yet its own targets, from the standing ones (and the
    indicators typed by hand, with the catalogue's defaults), ready to be edited."""
    if has_plan(session, ward_id, year):
        raise UserError(f"Năm {year} đã có chỉ tiêu.")
    rows = standing_targets(session, ward_id, with_manual=True)
    for row in rows:
        add_target(session, ward_id, year, row, actor)
    return len(rows)


def copy_targets(session: Session, ward_id: int, from_year: int, to_years: list[int], actor: str) -> int:
    """Apply one year's targets to other years of the period, replacing theirs (hand-typed
    figures are not copied: they belong to their year)."""
    source = year_targets(session, ward_id, from_year)
    if not source:
        raise UserError(f"Năm {from_year} chưa có chỉ tiêu để áp dụng.")
    for year in to_years:
        _check_year(year)
        if year == from_year:
            continue
        audit.delete_rows(session, PlanTarget, PlanTarget.ward_id == ward_id, PlanTarget.year == year)
        for row in source:
            add_target(session, ward_id, year, replace(row, actual=None), actor)
    return len(source)


# ---- the year's figures against the targets -------------------------------------------------------

@dataclass(frozen=True)
class TargetResult:
    code: str
    name: str
    unit: str
    comparison: str
    target: int
    actual: float | None
    status: plan.Status
    page: str
    computed: bool
    target_id: int | None = None

    @property
    def met(self) -> bool | None:
        """None while there is no figure to judge."""
        return None if self.actual is None else plan.is_met(self.comparison, self.target, self.actual)

    @property
    def target_text(self) -> str:
        return plan.target_text(self.unit, self.comparison, self.target)

    @property
    def actual_text(self) -> str:
        if self.actual is None:
            return "—"
        return format_percent(self.actual) if self.unit == plan.PERCENT else format_number(self.actual)

    def as_dict(self) -> dict:
        actual = None if self.actual is None else round(self.actual, 2)
        return {"code": self.code, "name": self.name, "target": self.target, "actual": actual, "met": self.met,
                "unit": self.unit, "comparison": self.comparison, "status": self.status.value}


def computed_figures(figures: YearStats) -> dict[str, float | None]:
    """Each computed indicator's figure for the year; None where the records hold nothing yet."""
    antt, classification, field = figures.antt.total, figures.classification.total, figures.field_work
    scored = classification.units > 0
    forces, inspections, activities = field["forces"], field["inspections"], field["activities"]
    return {
        "registered_pct": antt.registered_pct,
        "recognized_pct": antt.recognized_pct if antt.assessed else None,
        "kha_or_above_pct": classification.kha_or_above_pct if scored else None,
        "yeu_units": classification.by_level.get("yeu", 0) if scored else None,
        "models_kha_or_above": field["models"]["kha_or_above"],
        "forces_trained_pct": forces["trained_pct"] if forces["members"] else None,
        "forces_equipped_pct": forces["equipped_pct"] if forces["members"] else None,
        "kdc_inspected_pct": inspections["kdc_inspected_pct"] if inspections["kdc_total"] else None,
        "festival_pct": activities["festival_pct"] if activities["units"] else None,
        "propaganda_items": activities["activities"],
    }


def evaluate(rows: list[TargetRow], figures: YearStats, today: date) -> list[TargetResult]:
    year = figures.antt.year
    computed = computed_figures(figures)
    results = []
    for row in rows:
        indicator = plan.BY_CODE.get(row.code)
        actual = computed.get(row.code) if row.computed else row.actual
        final_on = indicator.final_on if indicator else None
        results.append(TargetResult(
            code=row.code, name=row.name, unit=row.unit, comparison=row.comparison, target=row.target,
            actual=actual, status=plan.judge(row.comparison, row.target, actual, year, final_on, today),
            page=indicator.page if indicator else "plan", computed=row.computed, target_id=row.id))
    return results


# ---- the demo ward's plan ------------------------------------------------------------------------------

def add_demo_plan(session: Session, ward_id: int, actor: str, years: range = range(2026, 2031)) -> int:
    """The targets of the Minh Xuân 2026–2030 plan (shared/seeds, section II.2), year by year."""
    every_year = ("cadres_reached_pct", "residents_reached_pct", "registered_pct", "recognized_pct", "yeu_units",
                  "models_kha_or_above", "forces_trained_pct", "forces_equipped_pct", "kdc_inspected_pct",
                  "festival_pct")
    added = 0
    for year in years:
        for code in every_year:
            indicator = plan.BY_CODE[code]
            add_target(session, ward_id, year, TargetInput(indicator.name, indicator.unit, indicator.comparison,
                                                           indicator.default_target, code=code), actor)
            added += 1
        if year == years[-1]:  # "Đến năm 2030": every unit Khá or above, one model noticed by the province
            add_target(session, ward_id, year, TargetInput(plan.BY_CODE["kha_or_above_pct"].name, plan.PERCENT,
                                                           plan.AT_LEAST, 100, code="kha_or_above_pct"), actor)
            add_target(session, ward_id, year, TargetInput(
                "Mô hình được Ban Chỉ đạo phong trào toàn dân bảo vệ ANTQ tỉnh ghi nhận", plan.COUNT, plan.AT_LEAST, 1),
                actor)
            added += 2
    return added
