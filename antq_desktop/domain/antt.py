"""The yearly cycle of the "An toàn về an ninh, trật tự" standard, as pure rules.

Periods and deadlines (TT 124 Art. 4.1, 8.2), the automatic "not met" proposal from the
incident register (Art. 4.3-4.4, 6.3, 7.3-7.4), the pass rule ("đạt đủ các tiêu chí", Art.
4-7) and the ward's criterion 4 (Art. 5.4: 100% registered, at least 70% recognised).
The criteria themselves are data: see :mod:`antq_desktop.domain.criteria`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from antq_desktop.domain.criteria import KINDS, WARD, Catalogue
from antq_desktop.domain.units import UnitKind
from antq_desktop.domain.vntext import format_date, format_percent
from antq_desktop.errors import UserError

__all__ = [
    "AssessmentOutcome",
    "Criterion4Result",
    "CrimeSeverity",
    "Incident",
    "KindCounts",
    "assessment_result",
    "evaluation_period",
    "percent",
    "proposed_failures",
    "registration_deadline",
    "registration_is_late",
    "required_count",
    "ward_criterion_4",
]

# --------------------------------------------------------------------------------------
# Periods and deadlines
# --------------------------------------------------------------------------------------


# The standard's name as every document writes it: curly quotes, the comma kept (DOCUMENTS.md §2.2).
STANDARD_NAME = "\u201cAn toàn về an ninh, trật tự\u201d"


def evaluation_period(kind: str, year: int) -> tuple[date, date]:
    """TT 124 Art. 8.2: KDC 01/11/(N-1)-31/10/N; ward, CQ, DN, CSGD 16/11/(N-1)-15/11/N, ends included."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")
    if kind == UnitKind.KDC:
        return date(year - 1, 11, 1), date(year, 10, 31)
    return date(year - 1, 11, 16), date(year, 11, 15)


def registration_deadline(year: int) -> date:
    """TT 124 Art. 4.1, 5.1, 6.1, 7.1: registration is due in Quarter I, i.e. by 31/03/N."""
    return date(year, 3, 31)


def registration_is_late(registered_on: date, year: int) -> bool:
    """TT 124 Art. 4.1 (and 5.1, 6.1, 7.1): registered after Quarter I of ``year``."""
    return registered_on > registration_deadline(year)


# --------------------------------------------------------------------------------------
# Incidents and the proposed "not met"
# --------------------------------------------------------------------------------------


class CrimeSeverity(StrEnum):
    """The four crime categories of the Criminal Code (Bộ luật Hình sự, Art. 9), mildest first."""

    IT_NGHIEM_TRONG = "it_nghiem_trong"
    NGHIEM_TRONG = "nghiem_trong"
    RAT_NGHIEM_TRONG = "rat_nghiem_trong"
    DAC_BIET_NGHIEM_TRONG = "dac_biet_nghiem_trong"

    @property
    def label(self) -> str:
        return _SEVERITY_LABELS[self]

    @property
    def serious_or_above(self) -> bool:
        """TT 124 Art. 4.4.b, 6.3.đ: "tội phạm nghiêm trọng trở lên"."""
        return self is not CrimeSeverity.IT_NGHIEM_TRONG


_SEVERITY_LABELS = {
    CrimeSeverity.IT_NGHIEM_TRONG: "Ít nghiêm trọng",
    CrimeSeverity.NGHIEM_TRONG: "Nghiêm trọng",
    CrimeSeverity.RAT_NGHIEM_TRONG: "Rất nghiêm trọng",
    CrimeSeverity.DAC_BIET_NGHIEM_TRONG: "Đặc biệt nghiêm trọng",
}


@dataclass(frozen=True)
class Incident:
    """One entry of the incident register (vụ việc).

    ``reported_in_time`` means all three conditions of TT 124 Art. 4.4.b / 6.3.đ together:
    detected in time, consequences limited with every available measure, and reported at
    once to the competent level ("kịp thời phát hiện, sử dụng đồng bộ các biện pháp giảm
    thiểu hậu quả và báo cáo ngay cấp có thẩm quyền").
    """

    occurred_on: date
    kind_code: str
    severity: CrimeSeverity | None = None
    force_majeure: bool = False
    reported_in_time: bool = False
    summary: str = ""


def proposed_failures(
    catalogue: Catalogue, unit_kind: str, year: int, incidents: Iterable[Incident]
) -> dict[str, list[str]]:
    """TT 124 Art. 4.3-4.4, 5.2, 6.3, 7.3-7.4: point code -> reasons to propose "not met", in point order.

    Only incidents inside the unit's evaluation period (Art. 8.2) count. For a "crime" kind,
    only the "nghiêm trọng" level or above counts, and not under force majeure nor when it was
    detected, mitigated and reported in time (Art. 4.4.b, 6.3.đ; a crime of unknown severity
    is not proposed). A "force_majeure_exempt" kind does not count under force majeure (Art.
    4.4.d, 6.3.g). The kind's "points_unconditional" always count (Art. 7.4: any crime by a
    school's staff or learners, with no severity threshold and no exception). The officer
    confirms every proposal.
    """
    start, end = evaluation_period(unit_kind, year)
    found: dict[str, list[str]] = {}
    for incident in sorted(incidents, key=lambda i: i.occurred_on):
        if not start <= incident.occurred_on <= end:
            continue
        day = format_date(incident.occurred_on)
        try:
            kind = catalogue.incident_kind(incident.kind_code)
        except KeyError:
            raise UserError(f'Loại vụ việc "{incident.kind_code}" (ngày {day}) không có trong '
                            f"{catalogue.short_title}. Hãy chọn lại loại vụ việc.") from None
        codes = [kind.points_unconditional.get(unit_kind)]
        if kind.crime:
            counts = (incident.severity is not None and incident.severity.serious_or_above
                      and not incident.force_majeure and not incident.reported_in_time)
        else:
            counts = not (kind.force_majeure_exempt and incident.force_majeure)
        if counts:
            codes.append(kind.points.get(unit_kind))
        reason = f"Vụ việc ngày {day}: {incident.summary.strip() or kind.label}"
        if incident.severity is not None:
            reason += f" ({incident.severity.label.lower()})"
        for code in dict.fromkeys(c for c in codes if c):  # each point once per incident
            found.setdefault(code, []).append(reason)
    order = {code: i for i, code in enumerate(catalogue.point_codes(unit_kind))}
    return {code: found[code] for code in sorted(found, key=lambda c: order.get(c, len(order)))}


# --------------------------------------------------------------------------------------
# The result of one unit
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentOutcome:
    passed: bool
    unmet: tuple[str, ...]
    unanswered: tuple[str, ...]


def assessment_result(point_codes: Iterable[str], met: Mapping[str, bool | None]) -> AssessmentOutcome:
    """TT 124 Art. 4-7 ("đạt đủ các tiêu chí") and 8.1: passed only when every point is met.

    A point missing from ``met`` or mapped to None is unanswered, and blocks the pass; codes
    in ``met`` that are not in ``point_codes`` (e.g. answers kept from another catalogue
    version) are ignored.
    """
    codes = tuple(point_codes)
    unanswered = tuple(c for c in codes if met.get(c) is None)
    unmet = tuple(c for c in codes if met.get(c) is False)
    return AssessmentOutcome(passed=not unmet and not unanswered, unmet=unmet, unanswered=unanswered)


# --------------------------------------------------------------------------------------
# The ward's criterion 4
# --------------------------------------------------------------------------------------


def percent(part: int | float, whole: int | float) -> float | None:
    """A rate in percent points for reports (TT 124 Art. 5.4 rates); None when ``whole`` is 0."""
    return None if whole == 0 else 100 * part / whole


def required_count(eligible: int, share_percent: int = 70) -> int:
    """TT 124 Art. 5.4 "từ 70% trở lên" in whole units, rounded up (the TT 23 worked example: 25 -> 18)."""
    if eligible < 0 or not 0 <= share_percent <= 100:
        raise ValueError(f"bad count {eligible} or share {share_percent}")
    return -(-eligible * share_percent // 100)  # integer ceiling: no float error at the edge


@dataclass(frozen=True)
class KindCounts:
    """Eligible units of one kind under the ward, how many registered, how many recognised."""

    eligible: int
    registered: int
    recognized: int

    def __post_init__(self):
        if not 0 <= self.recognized <= self.eligible or not 0 <= self.registered <= self.eligible:
            raise ValueError(f"inconsistent counts {self}")


@dataclass(frozen=True)
class Criterion4Result:
    met: bool
    all_registered: bool
    enough_recognized: bool
    pooled: bool
    share_percent: int
    counts: Mapping[str, KindCounts]  # the numbers used, per kind
    total: KindCounts
    required: Mapping[str, int]  # least recognised count per kind, and "tong" for the pool
    kind_lines: Mapping[str, str]  # one Vietnamese line per kind
    summary: str  # the overall line

    @property
    def lines(self) -> tuple[str, ...]:
        return (*self.kind_lines.values(), self.summary)


def ward_criterion_4(
    counts: Mapping[str, KindCounts], pooled: bool = True, share_percent: int = 70
) -> Criterion4Result:
    """TT 124 Art. 5.4: 100% of the ward's KDC, CQ, DN, CSGD registered and >= 70% recognised.

    The law does not say whether the 70% is counted over all units together or per kind
    (LEGAL-NOTES §1.3): ``pooled`` chooses; per kind, a kind with no eligible unit is skipped.
    """
    unknown = [k for k in counts if k not in KINDS or k == WARD]
    if unknown:
        raise ValueError(f"unknown unit kinds {unknown}")
    ordered = {k: counts[k] for k in KINDS if k in counts}
    total = KindCounts(eligible=sum(c.eligible for c in ordered.values()),
                       registered=sum(c.registered for c in ordered.values()),
                       recognized=sum(c.recognized for c in ordered.values()))
    required = {k: required_count(c.eligible, share_percent) for k, c in ordered.items()}
    required["tong"] = required_count(total.eligible, share_percent)
    # Kinds short of the share, per kind; only kinds with eligible units can be short.
    short = [k for k, c in ordered.items() if c.recognized < required[k]]

    all_registered = total.registered == total.eligible  # each kind has registered <= eligible
    enough = total.recognized >= required["tong"] if pooled else not short
    met = all_registered and enough

    summary = f"Tiêu chí 4: {'Đạt' if met else 'Chưa đạt'}."
    if total.eligible == 0:
        summary += " Không có đơn vị nào thuộc diện xét."
    else:
        summary += f" Đã đăng ký {_fraction(total.registered, total.eligible)}"
        summary += "" if all_registered else ", chưa đủ 100%"
        summary += f"; được công nhận {_fraction(total.recognized, total.eligible)}; "
        if pooled:
            summary += f"cần ít nhất {required['tong']} ({share_percent}%, tính chung các loại đơn vị)"
            summary += "" if enough else f", còn thiếu {required['tong'] - total.recognized}"
        else:
            summary += f"cần từ {share_percent}% trở lên ở từng loại đơn vị"
            names = ", ".join(UnitKind(k).label.lower() for k in short)
            summary += f", chưa đủ ở: {names}" if short else ""
        summary += "."
    return Criterion4Result(
        met=met, all_registered=all_registered, enough_recognized=enough, pooled=pooled,
        share_percent=share_percent, counts=ordered, total=total, required=required,
        kind_lines={k: _kind_line(k, c, required[k], share_percent, not pooled) for k, c in ordered.items()},
        summary=summary,
    )


def _fraction(part: int, whole: int) -> str:
    """The count and the rate, e.g. "20/25 (80,0%)"."""
    value = percent(part, whole)
    return f"{part}/{whole} ({'—' if value is None else format_percent(value)})"


def _kind_line(kind: str, c: KindCounts, required: int, share: int, per_kind: bool) -> str:
    label = UnitKind(kind).label
    if c.eligible == 0:
        return f"{label}: không có đơn vị thuộc diện xét."
    line = (f"{label}: {c.eligible} đơn vị thuộc diện xét; "
            f"đã đăng ký {_fraction(c.registered, c.eligible)}; "
            f"được công nhận {_fraction(c.recognized, c.eligible)}")
    if c.registered < c.eligible:
        line += f"; còn {c.eligible - c.registered} đơn vị chưa đăng ký"
    if per_kind:
        verdict = "đạt" if c.recognized >= required else "chưa đạt"
        line += f"; cần công nhận ít nhất {required} ({share}%): {verdict}"
    return line + "."
