"""The movement's models (mô hình) and its awards, as pure rules.

A model runs from its start date until it is dissolved (it is kept, never deleted). It is
graded once a year on levels that are data (settings "models.levels", highest first); the
plan's target counts the models graded "Khá" or above (DOMAIN.md, "Models, exemplary ward,
core forces").

A model *takes part in* a year when it had started by the end of that year and was not
dissolved before it began: only then can it be graded for that year. It is *active at the end*
of a year when, besides, it was not dissolved during that year.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "KHA", "AwardForm", "GradeLevel", "active_at_year_end", "at_or_above", "grade_counts", "parse_levels",
    "rank", "takes_part_in",
]

KHA = "kha"  # the level the plan's target is anchored on ("Khá or above")


@dataclass(frozen=True)
class GradeLevel:
    code: str
    label: str


def parse_levels(raw) -> tuple[GradeLevel, ...]:
    """The levels of the setting "models.levels" ([{code, label}], highest first); entries without
    a code are skipped, a missing label is the code."""
    levels = []
    for entry in raw or ():
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        if code and code not in {level.code for level in levels}:
            levels.append(GradeLevel(code, str(entry.get("label") or code).strip()))
    return tuple(levels)


def rank(levels: tuple[GradeLevel, ...], code: str) -> int | None:
    """0 for the highest level; None for a code the levels do not know (any more)."""
    for number, level in enumerate(levels):
        if level.code == code:
            return number
    return None


def at_or_above(levels: tuple[GradeLevel, ...], code: str, anchor: str = KHA) -> bool:
    """Whether ``code`` is ``anchor`` or a higher level. Without the anchor among the levels,
    the second level stands for it (the first when there is one level only)."""
    bound = rank(levels, anchor)
    if bound is None:
        bound = min(1, len(levels) - 1)
    found = rank(levels, code)
    return found is not None and found <= bound


def grade_counts(levels: tuple[GradeLevel, ...], codes: Iterable[str]) -> dict[str, int]:
    """How many grades at each level, highest first, zeros included; an unknown code is counted
    under its own key after the levels."""
    counts = {level.code: 0 for level in levels}
    for code in codes:
        counts[code] = counts.get(code, 0) + 1
    return counts


def takes_part_in(started_on: date | None, dissolved_on: date | None, year: int) -> bool:
    """Started by the end of ``year`` (or start unknown) and not dissolved before ``year``."""
    started = started_on is None or started_on.year <= year
    return started and (dissolved_on is None or dissolved_on.year >= year)


def active_at_year_end(started_on: date | None, dissolved_on: date | None, year: int) -> bool:
    return takes_part_in(started_on, dissolved_on, year) and (dissolved_on is None or dissolved_on.year > year)


class AwardForm(StrEnum):
    """The form of an award (hình thức khen thưởng)."""

    GIAY_KHEN = "giay_khen"
    BANG_KHEN = "bang_khen"
    KY_NIEM_CHUONG = "ky_niem_chuong"
    KHAC = "khac"

    @property
    def label(self) -> str:
        return _FORM_LABELS[self]

    def shown(self, form_text: str = "") -> str:
        """What the list prints: the exact title when one was typed, else the form's name."""
        return form_text.strip() or self.label


_FORM_LABELS = {
    AwardForm.GIAY_KHEN: "Giấy khen",
    AwardForm.BANG_KHEN: "Bằng khen",
    AwardForm.KY_NIEM_CHUONG: "Kỷ niệm chương \u201cBảo vệ an ninh Tổ quốc\u201d",
    AwardForm.KHAC: "Khác",
}
