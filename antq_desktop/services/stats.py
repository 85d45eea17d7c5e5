"""The ward's figures for a year, as plain data (the ward view, `antq stats`, later the reports)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy.orm import Session

from antq_desktop.domain import antt as rules
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.units import UnitKind
from antq_desktop.domain.vntext import format_percent
from antq_desktop.services import settings, targets
from antq_desktop.services.antt import YearRow, year_overview
from antq_desktop.services.classification import (
    ClassificationStats,
    classification_stats,
)


@dataclass(frozen=True)
class AnttFigures:
    units: int
    eligible: int
    registered: int
    assessed: int
    recognized: int

    @property
    def registered_pct(self) -> float | None:
        return rules.percent(self.registered, self.eligible)

    @property
    def recognized_pct(self) -> float | None:
        return rules.percent(self.recognized, self.eligible)

    def as_dict(self) -> dict:
        return {
            "units": self.units, "eligible": self.eligible, "registered": self.registered, "assessed": self.assessed,
            "recognized": self.recognized, "registered_pct": _rounded(self.registered_pct),
            "recognized_pct": _rounded(self.recognized_pct),
        }


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


_ASSESSED = {Stage.ASSESSED, Stage.PROPOSED, Stage.RECOGNIZED, Stage.NOT_RECOGNIZED}


def _figures(rows: list[YearRow]) -> AnttFigures:
    eligible = [row for row in rows if row.eligible]
    return AnttFigures(
        units=len(rows), eligible=len(eligible),
        registered=sum(row.stage is not None for row in eligible),
        assessed=sum(row.stage in _ASSESSED for row in eligible),
        recognized=sum(row.stage is Stage.RECOGNIZED for row in eligible),
    )


@dataclass(frozen=True)
class AnttStats:
    year: int
    total: AnttFigures
    by_kind: dict[UnitKind, AnttFigures]
    criterion_4: rules.Criterion4Result
    pooled: bool
    target_registered_pct: float
    target_recognized_pct: float

    def as_dict(self) -> dict:
        return {
            **self.total.as_dict(),
            "ward_criterion_4": self.criterion_4.met,
            "ward_criterion_4_detail": self.criterion_4.summary,
            "ward_criterion_4_pooled": self.pooled,
            "target_registered_pct": self.target_registered_pct,
            "target_recognized_pct": self.target_recognized_pct,
            "by_kind": {kind.cli_name: figures.as_dict() for kind, figures in self.by_kind.items()},
        }


def antt_stats(session: Session, ward_id: int, year: int) -> AnttStats:
    rows = year_overview(session, ward_id, year)
    by_kind = {kind: _figures([row for row in rows if row.kind is kind]) for kind in UnitKind}
    pooled = bool(settings.get_setting(session, ward_id, "antt.pooled_70"))
    counts = {kind.value: rules.KindCounts(f.eligible, f.registered, f.recognized) for kind, f in by_kind.items()}
    return AnttStats(
        year=year, total=_figures(rows), by_kind=by_kind,
        criterion_4=rules.ward_criterion_4(counts, pooled=pooled),
        pooled=pooled,
        target_registered_pct=float(targets.target_value(session, ward_id, year, "registered_pct")),
        target_recognized_pct=float(targets.target_value(session, ward_id, year, "recognized_pct")),
    )


# ---- the year: ANTT recognition and movement classification -------------------------------------

@dataclass(frozen=True)
class YearStats:
    antt: AnttStats
    classification: ClassificationStats
    field_work: dict[str, dict]  # "inspections", "models", "forces", "activities", "awards"
    targets: tuple[targets.TargetResult, ...] = ()  # the year's plan targets against these figures

    def as_dict(self) -> dict:
        return {"year": self.antt.year, "antt": self.antt.as_dict(), "classification": self.classification.as_dict(),
                **self.field_work, "targets": [result.as_dict() for result in self.targets]}


def year_stats(session: Session, ward_id: int, year: int, today: date | None = None) -> YearStats:
    """The year's figures, and its targets judged on ``today`` (met, not yet met, missed)."""
    figures = YearStats(antt_stats(session, ward_id, year), classification_stats(session, ward_id, year),
                        field_work_stats(session, ward_id, year))
    results = targets.evaluate(targets.year_targets(session, ward_id, year), figures, today or date.today())
    return replace(figures, targets=tuple(results))


def field_work_stats(session: Session, ward_id: int, year: int) -> dict[str, dict]:
    """Each register's figures for the year, by the key `antq stats --json` gives them."""
    # Imported here: the ANTT page imports this module at start-up, and these registers are not
    # needed until the figures are asked for.
    from antq_desktop.services import (
        awards,
        core_forces,
        events,
        inspections,
        security_models,
    )

    return {
        "inspections": inspections.inspection_stats(session, ward_id, year),
        "models": security_models.models_stats(session, ward_id, year),
        "forces": core_forces.forces_stats(session, ward_id, year),
        "activities": events.events_stats(session, ward_id, year),
        "awards": awards.awards_stats(session, ward_id, year),
    }


def classification_summary(figures: ClassificationStats) -> str:
    """One line for `antq stats`: units scored, the count at each level, the share at Khá or above."""
    total = figures.total
    if not total.units:
        return f"Phân loại phong trào năm {figures.year}: chưa chấm điểm đơn vị nào ({total.eligible} đơn vị thuộc diện)."
    counts = ", ".join(f"{level.label} {total.by_level[level.code]}" for level in figures.levels)
    kha = next(level.label for level in figures.levels if level.code == "kha")
    return (f"Phân loại phong trào năm {figures.year}: đã chấm điểm {total.units}/{total.eligible} đơn vị; {counts}; "
            f"{kha} trở lên {format_percent(total.kha_or_above_pct)} "
            f"(chỉ tiêu {format_percent(figures.target_kha_or_above_pct, 0)}).")
