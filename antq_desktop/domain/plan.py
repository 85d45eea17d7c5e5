"""The plan's indicators and how a year's figure is judged against its target.

A ward's plan (shared/seeds: Minh Xuân 2026–2030) sets targets per year: "100% registered",
"≥ 95% recognised", "no unit Yếu", "at least 2 models Khá or above"… The program computes
most of the figures from its records; the others (share of residents reached by propaganda,
or any indicator a ward adds) are typed by hand. The targets themselves are data with a year
(``PlanTarget`` rows), because they differ between wards and years (DOMAIN.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

PERCENT, COUNT = "pct", "count"
AT_LEAST, AT_MOST = "ge", "le"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str  # PERCENT | COUNT
    comparison: str  # AT_LEAST | AT_MOST
    computed: bool  # False: the figure is typed by hand
    default_target: int | None  # used when neither the plan nor a setting gives one
    final_on: tuple[int, int] | None  # (month, day) after which the year's figure can no longer change
    page: str  # the page where the figure can be improved (a key of the main window's pages)


INDICATORS: tuple[Indicator, ...] = (
    Indicator("cadres_reached_pct", "Cán bộ, đảng viên được tuyên truyền, phổ biến", PERCENT, AT_LEAST,
              False, 100, None, "events"),
    Indicator("residents_reached_pct", "Quần chúng Nhân dân được tuyên truyền, phổ biến", PERCENT, AT_LEAST,
              False, 90, None, "events"),
    Indicator("registered_pct", "Đơn vị đăng ký xây dựng \u201cAn toàn về ANTT\u201d", PERCENT, AT_LEAST,
              True, 100, (3, 31), "antt"),
    Indicator("recognized_pct", "Đơn vị được công nhận \u201cAn toàn về ANTT\u201d", PERCENT, AT_LEAST,
              True, 95, (11, 20), "antt"),
    Indicator("kha_or_above_pct", "Đơn vị phân loại phong trào từ Khá trở lên", PERCENT, AT_LEAST,
              True, None, (11, 30), "classification"),
    Indicator("yeu_units", "Đơn vị phân loại phong trào Yếu", COUNT, AT_MOST, True, 0, (11, 30), "classification"),
    Indicator("models_kha_or_above", "Mô hình xếp loại Khá trở lên", COUNT, AT_LEAST, True, 2, None, "models"),
    Indicator("forces_trained_pct", "Lực lượng nòng cốt được huấn luyện, bồi dưỡng", PERCENT, AT_LEAST,
              True, 100, None, "forces"),
    Indicator("forces_equipped_pct", "Lực lượng nòng cốt được trang bị", PERCENT, AT_LEAST, True, 100, None, "forces"),
    Indicator("kdc_inspected_pct", "Tổ dân phố được kiểm tra, hướng dẫn ít nhất 01 lượt", PERCENT, AT_LEAST,
              True, 100, None, "inspections"),
    Indicator("festival_pct", "Đơn vị tổ chức \u201cNgày hội toàn dân bảo vệ ANTQ\u201d", PERCENT, AT_LEAST,
              True, 100, (8, 31), "events"),
    Indicator("propaganda_items", "Tin, bài, buổi tuyên truyền", COUNT, AT_LEAST, True, None, None, "events"),
)
BY_CODE = {indicator.code: indicator for indicator in INDICATORS}


class Status(StrEnum):
    MET = "dat"
    AT_RISK = "nguy_co"  # not met yet, and the year's figure can still change
    MISSED = "khong_dat"
    NO_DATA = "chua_co_so_lieu"

    @property
    def label(self) -> str:
        return {"dat": "Đạt", "nguy_co": "Chưa đạt", "khong_dat": "Không đạt",
                "chua_co_so_lieu": "Chưa có số liệu"}[self.value]


def is_met(comparison: str, target: float, actual: float) -> bool:
    return actual >= target if comparison == AT_LEAST else actual <= target


def final_day(year: int, final_on: tuple[int, int] | None) -> date:
    """The day after which a year's figure no longer changes: the indicator's own, or 31/12."""
    return date(year, *final_on) if final_on else date(year, 12, 31)


def judge(comparison: str, target: float, actual: float | None, year: int, final_on: tuple[int, int] | None,
          today: date) -> Status:
    """Met, or not met while the figure can still change, or missed for good."""
    if actual is not None and is_met(comparison, target, actual):
        return Status.MET
    if today > final_day(year, final_on):
        return Status.MISSED
    return Status.NO_DATA if actual is None else Status.AT_RISK


def target_text(unit: str, comparison: str, target: int) -> str:
    """"≥ 95%", "≤ 0", "≥ 2"."""
    sign = "≥" if comparison == AT_LEAST else "≤"
    return f"{sign} {target}%" if unit == PERCENT else f"{sign} {target}"


@dataclass(frozen=True)
class Deadline:
    """A fixed day of the ward's year (data: provinces differ) and the page where it is met."""

    month: int
    day: int
    title: str
    page: str = ""

    def on(self, year: int) -> date:
        return date(year, self.month, self.day)
