"""The grassroots ANTT forces (lực lượng tham gia bảo vệ ANTT ở cơ sở), as pure rules.

Each residential group's Tổ bảo vệ ANTT is rated every year on four levels, over a period
that runs from 15/11 of the year before to 14/11 of the year (DOMAIN.md, "Models, exemplary
ward, core forces"). A residential group meets TT 124 criterion 5 only if its force is rated
"Hoàn thành nhiệm vụ" or above; the catalogue names the point that rule feeds
(``force_rating_point`` in ``resources/regulations/*.json``).

The core forces themselves (Tổ bảo vệ ANTT, protection staff of agencies, enterprises and
schools, the đội dân phòng) have members, trainings and equipment; the rules of who counts in
a year, who is trained and who is equipped are below, with the figures against the plan's
targets (100% trained and equipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from antq_desktop.domain.units import UnitKind

__all__ = [
    "EQUIPMENT_ITEMS", "MAX_AGE", "MIN_AGE", "ForceFigures", "ForceKind", "ForceLevel", "Gender", "MemberYear", "birth_year_problem",
    "counted", "equipped", "holding_on", "rating_period", "rating_year", "reference_day", "role_rank",
    "serving_between", "serving_on", "trained", "unit_problem", "unmet_reason", "year_figures",
]


class ForceLevel(StrEnum):
    """The four levels, best first (the order of the lists and of the counts)."""

    HOAN_THANH_XUAT_SAC = "hoan_thanh_xuat_sac"
    HOAN_THANH_TOT = "hoan_thanh_tot"
    HOAN_THANH = "hoan_thanh"
    KHONG_HOAN_THANH = "khong_hoan_thanh"

    @property
    def label(self) -> str:
        return _LABELS[self]

    @property
    def meets_criterion(self) -> bool:
        """TT 124 Art. 4.5: the force is rated "hoàn thành nhiệm vụ" or above."""
        return self is not ForceLevel.KHONG_HOAN_THANH

    @property
    def rank(self) -> int:
        """0 for the best level; lists and counts follow this order."""
        return list(ForceLevel).index(self)


_LABELS = {
    ForceLevel.HOAN_THANH_XUAT_SAC: "Hoàn thành xuất sắc nhiệm vụ",
    ForceLevel.HOAN_THANH_TOT: "Hoàn thành tốt nhiệm vụ",
    ForceLevel.HOAN_THANH: "Hoàn thành nhiệm vụ",
    ForceLevel.KHONG_HOAN_THANH: "Không hoàn thành nhiệm vụ",
}


def rating_period(year: int) -> tuple[date, date]:
    """The rating of ``year`` covers 15/11 of the year before to 14/11 of ``year``, ends included."""
    return date(year - 1, 11, 15), date(year, 11, 14)


def rating_year(day: date) -> int:
    """The rating year a day falls in: from 15 November on, it is the next year's."""
    return day.year + 1 if (day.month, day.day) >= (11, 15) else day.year


def unmet_reason(level: ForceLevel, year: int) -> str | None:
    """Why the rating proposes "not met" for the criterion's point, or None when it meets it."""
    if level.meets_criterion:
        return None
    return f"Tổ bảo vệ ANTT được đánh giá \u201c{level.label}\u201d năm {year}"


# ---- the core forces: members, trainings, equipment (issue 5, item 3) -----------------------------
#
# Rules of the year's figures, chosen here and documented for the officer:
#
# * A member belongs to the force from ``joined_on`` (unknown: always) to ``left_on`` (unknown:
#   still serving), both days included: someone may attend a training or hand back equipment on
#   the day they leave.
# * The members of year N are those serving on at least one day from 01/01/N to the year's
#   *reference day*: 31/12/N for a past year, today for the current one (the year so far).
# * Trained: attended at least one training held in year N.
# * Equipped: holding at least one item on the member's reference day, i.e. the year's reference
#   day, or the day they left when they left during the year. An item is held from the day it
#   was issued to the day it came back, both included.


class ForceKind(StrEnum):
    """The three core forces of a ward, in the order of the lists."""

    TO_BAO_VE = "to_bao_ve"
    BAO_VE_CO_QUAN = "bao_ve_co_quan"
    DAN_PHONG = "dan_phong"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def cli_name(self) -> str:
        return self.value.replace("_", "-")

    @property
    def rank(self) -> int:
        return list(ForceKind).index(self)

    @property
    def unit_kinds(self) -> frozenset[UnitKind]:
        """The kinds of unit a member of this force belongs to (none: a ward-wide team)."""
        return _UNIT_KINDS[self]

    @property
    def roles(self) -> tuple[str, ...]:
        """The usual roles, leaders first; any other role may be typed."""
        return _ROLES[self]


_KIND_LABELS = {
    ForceKind.TO_BAO_VE: "Tổ bảo vệ ANTT",
    ForceKind.BAO_VE_CO_QUAN: "Bảo vệ cơ quan, doanh nghiệp, nhà trường",
    ForceKind.DAN_PHONG: "Đội dân phòng",
}
_UNIT_KINDS = {
    ForceKind.TO_BAO_VE: frozenset({UnitKind.KDC}),
    ForceKind.BAO_VE_CO_QUAN: frozenset({UnitKind.CO_QUAN, UnitKind.DOANH_NGHIEP, UnitKind.GIAO_DUC}),
    ForceKind.DAN_PHONG: frozenset(),
}
_ROLES = {
    ForceKind.TO_BAO_VE: ("Tổ trưởng", "Tổ phó", "Tổ viên"),
    ForceKind.BAO_VE_CO_QUAN: ("Tổ trưởng bảo vệ", "Tổ phó bảo vệ", "Nhân viên bảo vệ"),
    ForceKind.DAN_PHONG: ("Đội trưởng", "Đội phó", "Đội viên"),
}


class Gender(StrEnum):
    NAM = "nam"
    NU = "nu"

    @property
    def label(self) -> str:
        return "Nam" if self is Gender.NAM else "Nữ"


MIN_AGE = 18    # Luật 30/2023/QH15 Art. 14: members are citizens aged 18 or over
MAX_AGE = 100   # beyond this a birth year is a typing mistake


def unit_problem(kind: ForceKind, unit_kind: UnitKind | None, unit_name: str = "") -> str | None:
    """Why a member of ``kind`` cannot belong to a unit of ``unit_kind`` (None: no unit), or None."""
    if not kind.unit_kinds:
        if unit_kind is not None:
            return f"{kind.label} là lực lượng chung của xã, phường: không chọn đơn vị cho thành viên."
        return None
    if unit_kind is None:
        if kind is ForceKind.TO_BAO_VE:
            return "Thành viên Tổ bảo vệ ANTT phải thuộc một khu dân cư (tổ dân phố, thôn…): hãy chọn khu dân cư."
        return "Hãy chọn cơ quan, doanh nghiệp hoặc nhà trường mà người này làm bảo vệ."
    if unit_kind not in kind.unit_kinds:
        where = f'"{unit_name}"' if unit_name else "Đơn vị đã chọn"
        if kind is ForceKind.TO_BAO_VE:
            return f"{where} không phải khu dân cư: Tổ bảo vệ ANTT chỉ có ở khu dân cư."
        return f"{where} là khu dân cư: thành viên ở khu dân cư thuộc Tổ bảo vệ ANTT, hãy đổi loại lực lượng."
    return None


def birth_year_problem(birth_year: int | None, on_year: int) -> str | None:
    """Why ``birth_year`` cannot be a member's in ``on_year`` (the year they joined, or this year)."""
    if birth_year is None:
        return None
    if birth_year > on_year - MIN_AGE:
        return (f"Năm sinh {birth_year}: đến năm {on_year} người này chưa đủ {MIN_AGE} tuổi, chưa thể là thành viên "
                "lực lượng. Hãy kiểm tra lại năm sinh.")
    if birth_year < on_year - MAX_AGE:
        return f"Năm sinh {birth_year} không hợp lệ (hơn {MAX_AGE} tuổi). Hãy kiểm tra lại năm sinh."
    return None


def serving_on(joined_on: date | None, left_on: date | None, day: date) -> bool:
    """Whether a member serves on ``day``: from the day they joined to the day they left, both included."""
    return (joined_on is None or joined_on <= day) and (left_on is None or day <= left_on)


def serving_between(joined_on: date | None, left_on: date | None, start: date, end: date) -> bool:
    """Whether a member serves on at least one day from ``start`` to ``end``."""
    return (joined_on is None or joined_on <= end) and (left_on is None or left_on >= start)


def holding_on(issued_on: date, returned_on: date | None, day: date) -> bool:
    """Whether an item is held on ``day``: from its issue to its return, both included."""
    return issued_on <= day and (returned_on is None or day <= returned_on)


def reference_day(year: int, today: date) -> date:
    """The day the year's figures are counted at: 31/12 of a past year, today in the current year
    (the first day of a year still to come)."""
    return max(date(year, 1, 1), min(date(year, 12, 31), today))


def role_rank(role: str) -> int:
    """Leaders first in a roster: a "…trưởng" (not a deputy) 0, a "…phó" 1, everyone else 2."""
    words = role.lower().split()
    if "phó" in words:
        return 1
    return 0 if "trưởng" in words else 2


@dataclass(frozen=True)
class MemberYear:
    """What the year's figures need of one member."""

    kind: ForceKind
    joined_on: date | None
    left_on: date | None
    training_days: tuple[date, ...] = ()
    holdings: tuple[tuple[date, date | None], ...] = ()  # (issued_on, returned_on) of each item


@dataclass(frozen=True)
class ForceFigures:
    members: int = 0
    trained: int = 0
    equipped: int = 0

    @property
    def trained_pct(self) -> float | None:
        return None if not self.members else 100 * self.trained / self.members

    @property
    def equipped_pct(self) -> float | None:
        return None if not self.members else 100 * self.equipped / self.members

    def __add__(self, other: ForceFigures) -> ForceFigures:
        return ForceFigures(self.members + other.members, self.trained + other.trained, self.equipped + other.equipped)


def counted(member: MemberYear, year: int, today: date) -> bool:
    """Whether the member is one of year ``year``'s members (see the rules above)."""
    return serving_between(member.joined_on, member.left_on, date(year, 1, 1), reference_day(year, today))


def trained(member: MemberYear, year: int) -> bool:
    return any(day.year == year for day in member.training_days)


def equipped(member: MemberYear, year: int, today: date) -> bool:
    day = reference_day(year, today)
    if member.left_on is not None and member.left_on < day:
        day = member.left_on
    return any(holding_on(issued, returned, day) for issued, returned in member.holdings)


def year_figures(members: Sequence[MemberYear], year: int, today: date) -> dict[ForceKind, ForceFigures]:
    """Members, trained and equipped of each force in ``year`` (every kind present, maybe zero)."""
    result = {kind: ForceFigures() for kind in ForceKind}
    for member in members:
        if counted(member, year, today):
            result[member.kind] += ForceFigures(1, int(trained(member, year)), int(equipped(member, year, today)))
    return result


# Items usually issued (Luật 30/2023/QH15 Art. 26-27: uniform, badge, support tools); any other may be typed.
EQUIPMENT_ITEMS = (
    "Trang phục", "Mũ", "Huy hiệu", "Biển hiệu", "Áo phản quang", "Gậy cao su", "Đèn pin", "Còi",
    "Bộ đàm", "Bình chữa cháy",
)
