"""Propaganda and the movement's days, as pure rules.

* :class:`ActivityKind`: the forms a propaganda activity takes (hội nghị, loa truyền thanh…).
* The commemorative days of the ward's plan (setting "events.commemorative_days": a list of
  ``{"month", "day", "title"}``, ``day`` 0 for a whole month such as "Tháng hành động phòng,
  chống ma túy") and where each stands against today: :func:`parse_commemorative_days`,
  :func:`occurrence`, :func:`countdown`.
* :func:`parse_count`: a number of people typed the Vietnamese way ("1.200").
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from antq_desktop.domain import vntext
from antq_desktop.errors import UserError

__all__ = [
    "ActivityKind",
    "CommemorativeDay",
    "Countdown",
    "countdown",
    "format_count",
    "occurrence",
    "parse_commemorative_days",
    "parse_count",
]

TITLE_MAX = 500
COUNT_MAX = 10_000_000  # people reached by one activity: more is a typing slip


class ActivityKind(StrEnum):
    """The forms of propaganda, in the order the lists and the counts show them."""

    HOI_NGHI = "hoi_nghi"
    LOA = "loa_truyen_thanh"
    BAO = "bao"
    TRANG_TIN = "trang_tin_dien_tu"
    MANG_XA_HOI = "mang_xa_hoi"
    AN_PHAM = "an_pham"
    TRUC_QUAN = "truc_quan"
    KHAC = "khac"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def rank(self) -> int:
        return list(ActivityKind).index(self)


_KIND_LABELS = {
    ActivityKind.HOI_NGHI: "Hội nghị",
    ActivityKind.LOA: "Loa truyền thanh",
    ActivityKind.BAO: "Báo",
    ActivityKind.TRANG_TIN: "Trang thông tin điện tử",
    ActivityKind.MANG_XA_HOI: "Mạng xã hội/Zalo",
    ActivityKind.AN_PHAM: "Tờ rơi/pa-nô/áp phích",
    ActivityKind.TRUC_QUAN: "Trực quan",
    ActivityKind.KHAC: "Khác",
}


# ---- the commemorative days -------------------------------------------------------------------

@dataclass(frozen=True)
class CommemorativeDay:
    """A day of the plan's calendar; ``day`` 0 is the whole month."""

    month: int
    day: int
    title: str

    @property
    def whole_month(self) -> bool:
        return self.day == 0

    @property
    def when(self) -> str:
        """"19/8" or "Tháng 6", as the plans write them."""
        return f"Tháng {self.month}" if self.whole_month else f"{self.day}/{self.month}"


def parse_commemorative_days(raw) -> list[CommemorativeDay]:
    """The setting's list checked entry by entry, in calendar order (a month before its days)."""
    if not isinstance(raw, list):
        raise UserError("Danh sách ngày kỷ niệm trong cài đặt không đúng dạng; hãy nhập lại danh sách.")
    days = [_parse_day(entry, number) for number, entry in enumerate(raw, start=1)]
    return sorted(days, key=lambda d: (d.month, d.day))


def _parse_day(entry, number: int) -> CommemorativeDay:
    where = f"Ngày kỷ niệm thứ {number} trong cài đặt"
    if not isinstance(entry, dict):
        raise UserError(f"{where} không đúng dạng (cần tháng, ngày và tên).")
    month, day, title = entry.get("month"), entry.get("day", 0), vntext.clean(str(entry.get("title") or ""))
    if not _is_int(month) or not 1 <= month <= 12:
        raise UserError(f"{where}: tháng phải từ 1 đến 12.")
    # 29/02 is kept (a leap year has it); other impossible days are refused
    if not _is_int(day) or not 0 <= day <= calendar.monthrange(2024, month)[1]:
        raise UserError(f"{where}: tháng {month} không có ngày {day} (nhập 0 nếu cả tháng).")
    if not title:
        raise UserError(f"{where}: hãy nhập tên ngày kỷ niệm.")
    return CommemorativeDay(month=month, day=day, title=title)


def _is_int(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def occurrence(day: CommemorativeDay, year: int) -> tuple[date, date]:
    """The first and last date the day covers in ``year`` (29/02 falls on 28/02 in other years)."""
    last_of_month = calendar.monthrange(year, day.month)[1]
    if day.whole_month:
        return date(year, day.month, 1), date(year, day.month, last_of_month)
    single = date(year, day.month, min(day.day, last_of_month))
    return single, single


@dataclass(frozen=True)
class Countdown:
    """Where a commemorative day stands on a given day: ``days_left`` to its start (0 once it
    has started), ``ends_in`` the days to its end while it runs (else None), ``passed`` once over."""

    days_left: int
    ends_in: int | None
    passed: bool
    single_day: bool = True

    @property
    def running(self) -> bool:
        return self.ends_in is not None

    @property
    def text(self) -> str:
        if self.passed:
            return "Đã qua"
        if self.running:
            if self.single_day:
                return "Hôm nay"
            return f"Đang diễn ra (còn {self.ends_in} ngày)" if self.ends_in else "Đang diễn ra (ngày cuối)"
        return "Ngày mai" if self.days_left == 1 else f"Còn {self.days_left} ngày"


def countdown(start: date, end: date, today: date) -> Countdown:
    """How far ``today`` is from the span ``start``..``end`` (both included)."""
    single = start == end
    if today > end:
        return Countdown(days_left=0, ends_in=None, passed=True, single_day=single)
    if today >= start:
        return Countdown(days_left=0, ends_in=(end - today).days, passed=False, single_day=single)
    return Countdown(days_left=(start - today).days, ends_in=None, passed=False, single_day=single)


# ---- numbers of people --------------------------------------------------------------------------

_GROUPED = re.compile(r"[0-9]{1,3}([. ][0-9]{3})+")


def parse_count(text: str | None, what: str = "Số người") -> int | None:
    """A count typed as "1200", "1.200" or "1 200"; empty means not known (None)."""
    cleaned = vntext.clean(text)
    if not cleaned:
        return None
    digits = cleaned.replace(".", "").replace(" ", "") if _GROUPED.fullmatch(cleaned) else cleaned
    if not digits.isascii() or not digits.isdigit():
        raise UserError(f"{what} \u201c{cleaned}\u201d không phải là một số; hãy nhập số nguyên, ví dụ 1.200.")
    value = int(digits)
    if value > COUNT_MAX:
        raise UserError(f"{what} {vntext.format_number(value)} lớn quá; hãy kiểm tra lại.")
    return value


def format_count(value: int | None) -> str:
    """A count with "." for thousands, empty when not known."""
    return "" if value is None else vntext.format_number(value)
