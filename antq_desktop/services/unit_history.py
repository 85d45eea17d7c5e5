"""One unit's whole history, year by year: what every register holds about it.

Each area contributes the lines of its own records ({year: [lines]}); the page shows them
newest year first, so an officer answering "what happened with Tổ dân phố 7?" needs one
screen, not eight.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import (
    AnttRecord,
    ClassificationRecord,
    Decision,
    DecisionUnit,
    ForceRating,
    Incident,
    Unit,
)
from antq_desktop.domain import classification as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.forces import ForceLevel
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.errors import UserError
from antq_desktop.services import classification
from antq_desktop.services.decisions import CLASSIFICATION, RECOGNITION


@dataclass(frozen=True)
class HistoryLine:
    area: str  # "An toàn về ANTT", "Phân loại phong trào", …
    text: str


@dataclass(frozen=True)
class YearHistory:
    year: int
    lines: tuple[HistoryLine, ...]


@dataclass(frozen=True)
class UnitHistory:
    unit_id: int
    name: str
    kind: UnitKind
    status: str  # "Đang hoạt động", "Giải thể ngày …"
    years: tuple[YearHistory, ...]  # newest first


Lines = dict[int, list[HistoryLine]]


def unit_history(session: Session, unit_id: int) -> UnitHistory:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise UserError("Không tìm thấy đơn vị này; hãy tải lại danh sách.")
    lines: Lines = defaultdict(list)
    for collect in _AREAS:
        for year, found in collect(session, unit).items():
            lines[year] += found
    years = tuple(YearHistory(year, tuple(lines[year])) for year in sorted(lines, reverse=True))
    return UnitHistory(unit.id, unit.name, UnitKind(unit.kind), _status(unit), years)


def _status(unit: Unit) -> str:
    status = UnitStatus(unit.status)
    if status is UnitStatus.ACTIVE:
        return status.label
    day = f" ngày {vntext.format_date(unit.status_date)}" if unit.status_date else ""
    reason = f" ({unit.status_reason})" if unit.status_reason else ""
    return f"{status.label}{day}{reason}"


# ---- the areas ------------------------------------------------------------------------------

ANTT = "An toàn về ANTT"
CLASSIFIED = "Phân loại phong trào"
INCIDENT = "Vụ việc"
DECISION = "Quyết định"


def _antt(session: Session, unit: Unit) -> Lines:
    found: Lines = defaultdict(list)
    for record in session.scalars(select(AnttRecord).where(AnttRecord.unit_id == unit.id)):
        text = f"Đăng ký ngày {vntext.format_date(record.registered_on)}; tình trạng: {Stage(record.stage).label}."
        found[record.year].append(HistoryLine(ANTT, text))
    return found


def _classification(session: Session, unit: Unit) -> Lines:
    found: Lines = defaultdict(list)
    years = session.scalars(select(ClassificationRecord.year).where(ClassificationRecord.unit_id == unit.id))
    for year in years:
        grid = classification.year_grid(session, unit.ward_id, year, unit.kind, only_unit=unit.id)
        if not grid.rows or (level := grid.rows[0].level(grid.sheet_set)) is None:
            continue
        total = rules.points_text(grid.rows[0].total(grid.sheet))
        found[year].append(HistoryLine(CLASSIFIED, f"Tổng điểm {total}; xếp loại {level.label}."))
    return found


def _incidents(session: Session, unit: Unit) -> Lines:
    found: Lines = defaultdict(list)
    for incident in session.scalars(select(Incident).where(Incident.unit_id == unit.id).order_by(Incident.occurred_on)):
        text = f"Ngày {vntext.format_date(incident.occurred_on)}: {incident.summary or incident.kind_code}"
        if incident.severity:
            text += f" ({CrimeSeverity(incident.severity).label.lower()})"
        found[incident.occurred_on.year].append(HistoryLine(INCIDENT, text + "."))
    return found


def _decisions(session: Session, unit: Unit) -> Lines:
    found: Lines = defaultdict(list)
    names = {RECOGNITION: "công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
             CLASSIFICATION: "phân loại phong trào toàn dân bảo vệ ANTQ"}
    listed = session.execute(select(Decision).join(DecisionUnit, DecisionUnit.decision_id == Decision.id).where(
        DecisionUnit.unit_id == unit.id, Decision.status == "issued").order_by(Decision.issued_on))
    for (decision,) in listed:
        text = (f"Có tên trong Quyết định số {decision.number}/{decision.symbol} ngày "
                f"{vntext.format_date(decision.issued_on)} về việc {names.get(decision.kind, decision.kind)}.")
        found[decision.year].append(HistoryLine(DECISION, text))
    return found


def _force_ratings(session: Session, unit: Unit) -> Lines:
    found: Lines = defaultdict(list)
    for rating in session.scalars(select(ForceRating).where(ForceRating.unit_id == unit.id)):
        found[rating.year].append(HistoryLine("Tổ bảo vệ ANTT", f"Được đánh giá “{ForceLevel(rating.level).label}”."))
    return found


_AREAS: list[Callable[[Session, Unit], Lines]] = [_antt, _classification, _force_ratings, _incidents, _decisions]
