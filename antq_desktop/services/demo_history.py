"""The demo ward's past years of the "An toàn về ANTT" standard, made the way an office makes them.

For each year every eligible unit registers in Quarter I, the incidents of the year go into the
register, the review meetings are held in October and November with every criterion point
answered, the units that met everything are proposed, and the chairman's recognition decision
is drafted and issued before 15/11 (the KDC deadline, so before the 20/11 one of the others too).

A few units do not meet a point, each for a reason the office can show: an incident of the
register (a serious crime, a prolonged dispute, a fatal labour accident, a strike, school
violence), households missing from the Quarter I registration, or a Tổ bảo vệ ANTT rated below
"Hoàn thành nhiệm vụ". Whatever the registers propose as "not met" is answered "not met".

A unit not recognised is capped in the movement classification (QĐ 510 cap rules), so in a year
that already has its scores the failing units are taken only among those whose level would not
change (the demo's 2025: the units at Trung bình). A group whose Tổ bảo vệ ANTT the field work
rated below "Hoàn thành nhiệm vụ" must fail point 5a, so when it may not fail, its rating changes
places with that of a group that may (the counts per level stay the same). Run it after the field
work. No random draw depends on today's date: the same database always gets the same history.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy.orm import Session

from antq_desktop.db.models import Unit
from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.criteria import KINDS, WARD
from antq_desktop.domain.units import UnitKind
from antq_desktop.domain.vntext import format_date
from antq_desktop.services import (
    antt,
    antt_assessment,
    antt_decision,
    classification,
    forces,
)
from antq_desktop.services.profile import require_profile

DEMO_YEARS = (2024, 2025)

# The recognition decision of each year: its number in the UBND series and the day it is signed
# (before 15/11, the deadline for residential groups, hence before 20/11 for the others too).
_DECISIONS = {2024: ("186", date(2024, 11, 14)), 2025: ("203", date(2025, 11, 13))}
_NOT_RECOGNIZED_FACT = "not_recognized_antt"


@dataclass(frozen=True)
class _Incident:
    kind_code: str
    month: int
    day: int
    summary: str
    severity: CrimeSeverity | None = None
    reported_in_time: bool = False


@dataclass(frozen=True)
class _Case:
    """One unit that does not meet a point in a year, and why.

    ``unit``: the unit by name; "" takes the first unit of ``kinds`` allowed to fail that year.
    """

    point: str
    note: str
    kinds: tuple[UnitKind, ...] = ()
    unit: str = ""
    incident: _Incident | None = None
    households_missing: int = 0  # households not registered in Quarter I (KDC point 1c)
    evidence: str = ""  # the paper that shows it, where no register does


# 2024 has no classification scores: the weaker units of the ward, by name.
_CASES_2024 = (
    _Case("4b", "Xảy ra vụ trộm cắp tài sản mức nghiêm trọng, không phát hiện kịp thời.", unit="Tổ dân phố 4",
          incident=_Incident("toi_pham", 6, 14, "Trộm cắp 02 xe máy tại nhà dân ban đêm",
                             CrimeSeverity.NGHIEM_TRONG)),
    _Case("1c", "Chưa đủ 100% hộ gia đình đăng ký trong Quý I (còn 23 hộ chưa đăng ký).", unit="Tổ dân phố 16",
          households_missing=23, evidence="Danh sách hộ gia đình đăng ký tham gia trong Quý I"),
    _Case("3e", "Tranh chấp đất đai giữa các hộ kéo dài, chưa hòa giải được.", unit="Tổ dân phố 9",
          incident=_Incident("tranh_chap_keo_dai", 4, 8, "Tranh chấp ranh giới đất ở giữa hai dòng họ kéo dài")),
    _Case("3g", "Để xảy ra tai nạn lao động chết người.", unit="Công ty Cổ phần Khoáng sản Đông Á",
          incident=_Incident("tai_nan_lao_dong_chet_nguoi", 8, 21, "Sạt lở tại khai trường làm 01 công nhân tử vong")),
    _Case("3d", "Để xảy ra ngừng việc tập thể trái pháp luật.", unit="Công ty TNHH Giày Hoa Lợi Đạt",
          incident=_Incident("dinh_cong_trai_phap_luat", 3, 18, "Khoảng 300 công nhân ngừng việc 02 ngày trái pháp luật")),
    _Case("4a", "Để xảy ra bạo lực học đường.", unit="Trường THPT Tân Trào",
          incident=_Incident("bao_luc_hoc_duong", 10, 9, "Nhóm học sinh lớp 11 đánh bạn, quay video đăng mạng xã hội")),
)
# 2025 has its scores: cases go to units allowed to fail (the Tổ rated below "Hoàn thành
# nhiệm vụ" fails point 5a as well, see _force_cases).
_CASES_2025 = (
    _Case("4b", "Xảy ra vụ cố ý gây thương tích mức nghiêm trọng, không phát hiện, ngăn chặn kịp thời.",
          kinds=(UnitKind.KDC,),
          incident=_Incident("toi_pham", 7, 3, "Cố ý gây thương tích sau xô xát tại quán nhậu",
                             CrimeSeverity.NGHIEM_TRONG)),
    _Case("4a", "Để xảy ra bạo lực học đường.", kinds=(UnitKind.GIAO_DUC,),
          incident=_Incident("bao_luc_hoc_duong", 9, 26, "Học sinh lớp 10 bị nhóm bạn chặn đánh ở cổng trường")),
)
_CASES = {2024: _CASES_2024, 2025: _CASES_2025}
# Incidents that fail nothing (minor, or detected and reported in time), for a realistic register.
_MINOR = {
    2024: (("Tổ dân phố 7", _Incident("toi_pham", 5, 20, "Trộm cắp xe đạp", CrimeSeverity.IT_NGHIEM_TRONG)),),
    2025: (("Khách sạn Mường Thanh Tuyên Quang", _Incident(
        "toi_pham", 4, 11, "Tổ chức đánh bạc tại phòng nghỉ, bảo vệ phát hiện và báo ngay Công an phường",
        CrimeSeverity.NGHIEM_TRONG, reported_in_time=True)),),
}
_FORCE_NOTE = "Tổ không duy trì tuần tra, giao ban theo kế hoạch"


def add_demo_antt_years(session: Session, ward_id: int, actor: str,
                        years: tuple[int, ...] = DEMO_YEARS) -> dict[int, dict]:
    """Register, assess and decide every year of ``years`` (2024 and 2025 have their cases);
    returns per year the counts made and the units not recognised."""
    return {year: _decide_year(session, ward_id, year, actor) for year in years}


def _decide_year(session: Session, ward_id: int, year: int, actor: str) -> dict:
    rows = [row for row in antt.year_overview(session, ward_id, year) if row.eligible]
    units = {row.unit_id: session.get(Unit, row.unit_id) for row in rows}
    by_name = {unit.name: unit_id for unit_id, unit in units.items()}
    allowed = _allowed_to_fail(session, ward_id, year, set(units))
    failing = _force_cases(session, ward_id, year, units, allowed, actor)
    for case in _CASES.get(year, ()):
        unit_id = by_name[case.unit] if case.unit else _candidates(units, allowed, failing, case.kinds, year)[0]
        failing[unit_id] = case
    pick = random.Random(year)
    records = {unit_id: _register(session, ward_id, units[unit_id], year, failing.get(unit_id), pick, actor)
               for unit_id in units}
    for unit_id, case in failing.items():
        if case.incident is not None:
            _add_incident(session, ward_id, unit_id, year, case.incident, actor)
    for name, incident in _MINOR.get(year, ()):
        _add_incident(session, ward_id, by_name[name], year, incident, actor)
    police = _police_line(session)
    with session.no_autoflush:  # the services flush after each step; a flush per answer is only slow
        passed = [record_id for unit_id, record_id in records.items()
                  if _assess(session, units[unit_id], year, record_id, failing.get(unit_id), pick, police, actor)]
    antt_assessment.propose(session, passed, date(year, 11, 10), actor)
    decision_id = _issue(session, ward_id, year, actor)
    not_recognized = sorted(unit_id for unit_id, record_id in records.items() if record_id not in passed)
    return {"registered": len(records), "recognized": len(passed), "not_recognized": len(not_recognized),
            "not_recognized_ids": not_recognized, "decision_id": decision_id}


# ---- who fails --------------------------------------------------------------------------------

def _allowed_to_fail(session: Session, ward_id: int, year: int, unit_ids: set[int]) -> set[int]:
    """Units whose classification level would stay the same if not recognised: all of them in a
    year without scores, else those already at or below the level the cap rule gives."""
    allowed = set(unit_ids)
    for kind in KINDS:
        if kind == WARD:
            continue
        grid = classification.year_grid(session, ward_id, year, kind)
        for row in grid.rows:
            level = row.level(grid.sheet_set)
            capped = replace(row, marked_facts=row.marked_facts | {_NOT_RECOGNIZED_FACT})
            if level is not None and capped.level(grid.sheet_set) != level:
                allowed.discard(row.unit_id)
    return allowed


def _force_cases(session: Session, ward_id: int, year: int, units: dict[int, Unit], allowed: set[int],
                 actor: str) -> dict[int, _Case]:
    """Residential groups whose Tổ bảo vệ ANTT is rated below "Hoàn thành nhiệm vụ" fail point 5a.
    A group that may not fail (its classification would drop) swaps its rating with the last
    rated group allowed to fail, so the year's count of each rating stays as the field work made it."""
    ratings = {row.unit_id: row.level for row in forces.force_ratings(session, ward_id, year) if row.unit_id in units}
    failing: dict[int, _Case] = {}
    for unit_id, level in list(ratings.items()):
        if level is None or level.meets_criterion:
            continue
        if unit_id not in allowed:
            others = _candidates(units, allowed, failing, (UnitKind.KDC,), year)
            rated = [other for other in others if ratings.get(other) is not None and ratings[other].meets_criterion]
            other = (rated or others)[-1]
            forces.set_force_rating(session, ward_id, year, unit_id, ratings.get(other), "", actor)
            forces.set_force_rating(session, ward_id, year, other, level, _FORCE_NOTE, actor)
            ratings[unit_id], ratings[other], unit_id = ratings.get(other), level, other
        failing[unit_id] = _Case("5a", f"Tổ bảo vệ an ninh, trật tự được đánh giá \u201c{level.label}\u201d.")
    return failing


def _candidates(units: dict[int, Unit], allowed: set[int], taken: dict, kinds: tuple[UnitKind, ...],
                year: int) -> list[int]:
    """Units of ``kinds`` allowed to fail and not failing yet, in the year's table order."""
    found = [unit_id for unit_id, unit in units.items()
             if unit_id in allowed and unit_id not in taken and UnitKind(unit.kind) in kinds]
    if not found:
        kinds_text = ", ".join(kind.label.lower() for kind in kinds)
        raise RuntimeError(f"no {kinds_text} left that may fail the ANTT standard in {year} without changing its class")
    return found


# ---- the office's steps -----------------------------------------------------------------------

def _register(session: Session, ward_id: int, unit: Unit, year: int, case: _Case | None,
              pick: random.Random, actor: str) -> int:
    """The Quarter I papers: the Party resolution, the plan, the Bản đăng ký (KDC: the households)."""
    kdc = unit.kind == UnitKind.KDC.value
    start = date(year, 1, 8) if kdc else date(year, 1, 15)
    registered_on = start + timedelta(days=pick.randint(0, (date(year, 3, 25) - start).days))
    resolved_on = registered_on - timedelta(days=pick.randint(3, 7))
    number = pick.randint(1, 9)
    total = unit.households if kdc else None
    missing = case.households_missing if case else 0
    data = antt.RegistrationInput(
        registered_on=registered_on,
        resolution_ref=(f"Nghị quyết số {number:02d}-NQ/CB ngày {format_date(resolved_on)}"
                        if unit.has_party_org else ""),
        plan_ref=f"Kế hoạch số {number + 1:02d}/KH{'-TDP' if kdc else ''} ngày {format_date(resolved_on)}",
        registration_ref=f"Bản đăng ký ngày {format_date(registered_on)}",
        households_registered=total - missing if total else None, households_total=total,
        note=f"Còn {missing} hộ chưa ký đăng ký." if missing else "",
    )
    return antt.register_unit(session, ward_id, unit.id, year, data, actor)


def _add_incident(session: Session, ward_id: int, unit_id: int, year: int, incident: _Incident, actor: str) -> None:
    data = antt.IncidentInput(
        occurred_on=date(year, incident.month, incident.day), kind_code=incident.kind_code,
        severity=incident.severity, reported_in_time=incident.reported_in_time, summary=incident.summary,
    )
    antt.add_incident(session, ward_id, unit_id, data, actor)


def _police_line(session: Session) -> str:
    profile = require_profile(session)
    return f"Đại diện {profile.police_unit_name}: {profile.police_chief_name}"


def _assess(session: Session, unit: Unit, year: int, record_id: int, case: _Case | None, pick: random.Random,
            police: str, actor: str) -> bool:
    """The review meeting: residential groups in October, the others from late October to early
    November; every point met except the case's and any the registers propose as not met."""
    kdc = unit.kind == UnitKind.KDC.value
    start, days = (date(year, 10, 3), 25) if kdc else (date(year, 10, 20), 18)
    meeting_on = start + timedelta(days=pick.randint(0, days))
    place = f"Nhà văn hóa {unit.name}" if kdc else f"Hội trường {unit.name}"
    meeting = antt_assessment.MeetingInput(meeting_on, place, unit.head_name,
                                           f"{unit.head_title}: {unit.head_name}\n{police}")
    answers = []
    for point in antt_assessment.assessment(session, record_id).points:
        own = case is not None and point.code == case.point
        evidence = "; ".join(point.proposed_unmet) or (case.evidence if own else "")
        answers.append(antt_assessment.PointAnswer(point.code, not (own or point.proposed_unmet), evidence=evidence,
                                                   note=case.note if own else ""))
    outcome = antt_assessment.save_assessment(session, record_id, meeting, answers, actor)
    return outcome.passed


def _issue(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The chairman's decision, drafted from the profile, numbered and dated, then issued."""
    decision_id = antt_decision.draft_decision(session, ward_id, year, actor)
    view = antt_decision.decision_view(session, decision_id)
    number, issued_on = _DECISIONS.get(year, (view.number, date(year, 11, 13)))  # else the series' next number
    antt_decision.update_decision(session, decision_id, antt_decision.DecisionInput(
        number, issued_on, view.signer_authority, view.signer_title, view.signer_name, view.bases, view.recipients),
        actor)
    antt_decision.issue_decision(session, decision_id, actor)
    return decision_id

