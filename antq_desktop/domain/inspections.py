"""Inspections and guidance visits to the ward's units, as pure rules.

Through the year the ward police plan visits to its units, kiểm tra (inspection) or hướng dẫn
(guidance), make them, write the Biên bản and follow up each recommendation by its deadline
(DOMAIN.md, "The plan's targets": every tổ dân phố visited at least once a year).

Rules kept here, each with the Vietnamese message the officer reads:

* a planned date lies in the inspection's year;
* a visit date lies in the inspection's year and is not in the future;
* the end time of a visit comes after its start time; times are typed as "8:30", "8h30",
  "8 giờ 30" or "08:30" and kept as "08:30";
* every recommendation has a text and a deadline; the deadline is not before the visit; a done
  date is neither before the visit nor in the future;
* coverage counts the visits made of **both** kinds ("kiểm tra, hướng dẫn" together): a
  guidance visit is also a visit of the ward police to the group.
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum

from antq_desktop.domain import vntext
from antq_desktop.errors import UserError

__all__ = [
    "InspectionKind", "check_planned_date", "check_recommendation", "check_times", "check_visit_date", "days_left",
    "is_covered", "is_overdue", "parse_time", "person_name", "time_words",
]


class InspectionKind(StrEnum):
    KIEM_TRA = "kiem_tra"
    HUONG_DAN = "huong_dan"

    @property
    def label(self) -> str:
        """"Kiểm tra" / "Hướng dẫn" (tables, combos)."""
        return _LABELS[self]

    @property
    def verb(self) -> str:
        """"kiểm tra" / "hướng dẫn", as it stands inside a sentence."""
        return _LABELS[self].lower()


_LABELS = {InspectionKind.KIEM_TRA: "Kiểm tra", InspectionKind.HUONG_DAN: "Hướng dẫn"}

# "8:30", "08:30", "8h30", "8h", "8 giờ 30", "8 giờ 30 phút", "8.30"
_TIME = re.compile(r"([0-9]{1,2})\s*(?::|\.|h|g|giờ)\s*([0-9]{1,2})?\s*(?:phút|p)?", re.IGNORECASE)
_TIME_HINT = "Hãy nhập giờ theo dạng giờ:phút, ví dụ 08:30 hoặc 14:00."


def parse_time(text: str | None, label: str = "Giờ") -> str:
    """A typed time as "HH:MM" ("" when nothing is typed); a UserError naming ``label`` otherwise."""
    typed = vntext.clean(text)
    if not typed:
        return ""
    match = _TIME.fullmatch(typed)
    if match is None and typed.isdecimal() and len(typed) <= 2:
        hours, minutes = int(typed), 0
    elif match is None:
        raise UserError(f'{label} "{typed}" không hợp lệ. {_TIME_HINT}')
    else:
        hours, minutes = int(match[1]), int(match[2] or 0)
    if hours > 23 or minutes > 59:
        raise UserError(f'{label} "{typed}" không hợp lệ. {_TIME_HINT}')
    return f"{hours:02d}:{minutes:02d}"


def time_words(hhmm: str, blank: str = "." * 8) -> str:
    """"08:30" as the minutes write it: "08 giờ 30 phút" (never "8:30"); blanks for the hand when ""."""
    if not hhmm:
        return f"{blank} giờ {blank} phút"
    hours, minutes = hhmm.split(":")
    return f"{int(hours):02d} giờ {int(minutes):02d} phút"


def check_times(started_at: str, ended_at: str) -> None:
    """Both already "HH:MM" (or ""): the end comes after the start."""
    if started_at and ended_at and ended_at <= started_at:
        raise UserError(f"Giờ kết thúc ({ended_at}) phải sau giờ bắt đầu ({started_at}).")


def check_planned_date(planned_on: date | None, year: int) -> None:
    if planned_on is not None and planned_on.year != year:
        raise UserError(f"Ngày dự kiến {vntext.format_date(planned_on)} không thuộc năm {year} của kế hoạch.")


def check_visit_date(visited_on: date, year: int, today: date) -> None:
    if visited_on.year != year:
        raise UserError(f"Ngày kiểm tra {vntext.format_date(visited_on)} không thuộc năm {year} của kế hoạch.")
    if visited_on > today:
        raise UserError(f"Ngày kiểm tra {vntext.format_date(visited_on)} ở tương lai: chỉ ghi kết quả cuộc kiểm tra "
                        "đã diễn ra. Nếu chưa đi, hãy để ở dạng kế hoạch với ngày dự kiến.")


def check_recommendation(number: int, text: str, deadline: date | None, done_on: date | None,
                         visited_on: date | None, today: date) -> None:
    """One recommendation (``number`` from 1, as the officer sees it in the list)."""
    where = f"Kiến nghị {number}"
    if not text:
        raise UserError(f"{where}: hãy nhập nội dung kiến nghị (hoặc xoá dòng trống).")
    if visited_on is None:
        raise UserError(f"{where}: chỉ ghi kiến nghị sau khi đã kiểm tra; hãy nhập ngày kiểm tra trước.")
    if deadline is None:
        raise UserError(f"{where}: hãy nhập thời hạn thực hiện.")
    if deadline < visited_on:
        raise UserError(f"{where}: thời hạn {vntext.format_date(deadline)} trước ngày kiểm tra "
                        f"{vntext.format_date(visited_on)}.")
    if done_on is not None and done_on < visited_on:
        raise UserError(f"{where}: ngày hoàn thành {vntext.format_date(done_on)} trước ngày kiểm tra "
                        f"{vntext.format_date(visited_on)}.")
    if done_on is not None and done_on > today:
        raise UserError(f"{where}: ngày hoàn thành {vntext.format_date(done_on)} ở tương lai.")


def is_overdue(deadline: date | None, done_on: date | None, today: date) -> bool:
    """The deadline has passed (it is before today) and the recommendation is not done."""
    return deadline is not None and done_on is None and deadline < today


def days_left(year: int, today: date) -> int:
    """Days from ``today`` to 31/12 of ``year``, the last day counted as a day left ("còn 0 ngày" after it)."""
    return max(0, (date(year, 12, 31) - today).days)


def is_covered(made: int, required: int) -> bool:
    """A group is covered when it had at least ``required`` visits made in the year."""
    return made >= max(required, 1)


_HONORIFICS = ("ông", "bà", "đồng chí", "đ/c", "anh", "chị")


def person_name(line: str) -> str:
    """The name to sign under, from a line "Ông Nguyễn Văn A, chức vụ …, Trưởng đoàn" (or
    "Trưởng đoàn: Ông Nguyễn Văn A, …").

    The text before the first comma, after a leading "vai trò:", without "Ông", "Bà", "Đồng
    chí", "Đ/c"; a rank ("Đại úy …") is kept, as police documents print it before the name.
    """
    first = re.split(r"[,;(]", vntext.clean(line).lstrip("-–• "), maxsplit=1)[0]
    head = vntext.clean(first.split(":", 1)[-1])
    folded = head.casefold()
    for word in _HONORIFICS:
        if folded.startswith(word + " "):
            return head[len(word) + 1:].strip()
    return head
