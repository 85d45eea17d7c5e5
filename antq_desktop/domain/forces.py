"""The grassroots ANTT forces (lực lượng tham gia bảo vệ ANTT ở cơ sở), as pure rules.

Each residential group's Tổ bảo vệ ANTT is rated every year on four levels, over a period
that runs from 15/11 of the year before to 14/11 of the year (DOMAIN.md, "Models, exemplary
ward, core forces"). A residential group meets TT 124 criterion 5 only if its force is rated
"Hoàn thành nhiệm vụ" or above; the catalogue names the point that rule feeds
(``force_rating_point`` in ``resources/regulations/*.json``).
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

__all__ = ["ForceLevel", "rating_period", "rating_year", "unmet_reason"]


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
