"""Classification of the movement "toàn dân bảo vệ an ninh Tổ quốc" (QĐ 510/QĐ-BCA-V05), as data and rules.

Every year each unit is scored on a 100-point sheet and put on a level (Xuất sắc, Khá,
Trung bình, Yếu). The official item list, the thresholds and any rule forcing a lower level
are not public (LEGAL-NOTES.md §3), so all three are data: a **sheet set** file in
``resources/scoresheets/`` holds one sheet per kind, the levels with their minimum totals
and the **cap rules**; the administrator checks and edits it, and a year's scores keep the
code of the set they were made with.

Vocabulary:

* a **sheet item** (mục) has a code ("2", "2.1"), a title and its maximum (điểm chuẩn). An
  item with sub-items is not scored itself: its score is the sum of theirs, and its maximum
  must be the sum of their maximums. The normal top-level items of a sheet add up to 100;
* a **deduction item** (điểm trừ) is scored from minus its maximum up to 0 and lowers the
  total, which never goes below 0; its sub-items are deductions too;
* a **cap rule** (quy tắc hạ mức) says "when this condition holds, the level is at most
  that one". The conditions are a fixed list in code (:data:`CONDITIONS`), because the
  services must know how to establish each one; which rules use them, and whether each rule
  is on, is data.

Points are :class:`~decimal.Decimal` with at most two decimals, so that 89,99 stays below a
threshold of 90 and sums are exact. A file that cannot be used raises :class:`UserError`
naming the file, the place and the fault.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path
from types import MappingProxyType

from antq_desktop.domain.criteria import KINDS, WARD
from antq_desktop.domain.datafile import DataChecker
from antq_desktop.domain.units import UnitKind
from antq_desktop.domain.vntext import format_number
from antq_desktop.errors import UserError
from antq_desktop.resources import resource_path

__all__ = [
    "CONDITIONS",
    "LEVEL_CODES",
    "TOTAL_MAX",
    "CapRule",
    "Level",
    "LevelDecision",
    "ScoreSheet",
    "SheetItem",
    "SheetSet",
    "builtin_sheet_sets",
    "check_score",
    "item_scores",
    "level_counts",
    "level_for_total",
    "load_sheet_set",
    "parse_sheet_set",
    "points_text",
    "proposed_level",
    "score_total",
    "share_at_least",
    "sheet_set_by_code",
    "sheet_set_to_dict",
]

TOTAL_MAX = Decimal(100)
# The levels every set must have, highest first. Their thresholds and labels are data; the
# codes are fixed because the KPIs ("Khá or above", "no unit Yếu"), the year's targets and
# the decision's list by level refer to them.
LEVEL_CODES: tuple[str, ...] = ("xuat_sac", "kha", "trung_binh", "yeu")
# The facts a cap rule may test. Each must be something the services can establish for a
# unit and year (the ANTT assessment, the incident register, the events held), so a file
# may use these names only.
CONDITIONS: Mapping[str, str] = MappingProxyType({
    "not_recognized_antt": "Không được công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm đó",
    "serious_crime": "Để xảy ra tội phạm rất nghiêm trọng hoặc đặc biệt nghiêm trọng trong năm",
    "hot_spot": "Để xảy ra “điểm nóng” về an ninh, trật tự (tụ tập đông người, gây rối, khiếu kiện phức tạp)",
    "no_ngay_hoi": "Không tổ chức, không hưởng ứng “Ngày hội toàn dân bảo vệ an ninh Tổ quốc” (19/8)",
})
# Score sheets are written with at most two decimals (0,25 or 0,5 steps in practice); more is
# a typing or paste slip, and refusing it keeps every sum exact.
_PLACES = 2


# --------------------------------------------------------------------------------------
# The data
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetItem:
    code: str
    title: str
    max_points: Decimal
    children: tuple[SheetItem, ...] = ()
    deduction: bool = False

    def walk(self) -> Iterator[SheetItem]:
        """This item, then its sub-items depth first: the printed order of the sheet."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class ScoreSheet:
    kind: str
    items: tuple[SheetItem, ...]
    total_max: Decimal
    _index: Mapping[str, SheetItem] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # The grid validates one cell per keystroke: look items up by code, not by a scan.
        index = {item.code: item for top in self.items for item in top.walk()}
        object.__setattr__(self, "_index", MappingProxyType(index))

    def all_items(self) -> tuple[SheetItem, ...]:
        return tuple(self._index.values())

    def leaves(self) -> tuple[SheetItem, ...]:
        """The items that are scored, in order: the grid's columns."""
        return tuple(item for item in self._index.values() if not item.children)

    def item(self, code: str) -> SheetItem:
        try:
            return self._index[code]
        except (KeyError, TypeError):
            raise UserError(f'Bảng điểm {_kind_name(self.kind)} không có mục "{code}".') from None


@dataclass(frozen=True)
class Level:
    code: str
    label: str
    min_total: Decimal


@dataclass(frozen=True)
class CapRule:
    code: str
    text: str
    condition: str
    max_level: str
    enabled: bool


@dataclass(frozen=True)
class SheetSet:
    code: str
    title: str
    effective_from: date
    is_default: bool
    note: str
    sheets: Mapping[str, ScoreSheet]
    levels: tuple[Level, ...]  # highest first
    rules: tuple[CapRule, ...]

    def __hash__(self) -> int:  # sheets is an unhashable mapping; the code and date identify a set
        return hash((self.code, self.effective_from))

    def sheet(self, kind: str) -> ScoreSheet:
        try:
            return self.sheets[kind]
        except KeyError:
            raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}") from None

    def level(self, code: str) -> Level:
        return self.levels[_rank(self.levels, code)]


@dataclass(frozen=True)
class LevelDecision:
    level: Level
    uncapped_level: Level
    applied_rules: tuple[CapRule, ...]
    explanation: str


# --------------------------------------------------------------------------------------
# Scores and totals
# --------------------------------------------------------------------------------------


def check_score(sheet: ScoreSheet, code: str, value: float | Decimal) -> Decimal:
    """One cell of the sheet, checked against its item: the score as a Decimal, or UserError."""
    item = sheet.item(code)
    if item.children:
        raise UserError(f"Mục {code} có mục con: hãy chấm từng mục con, điểm mục {code} là tổng của chúng.")
    score = _decimal(value)
    if score is None:
        raise UserError(f"Điểm mục {code} phải là một số.")
    if _places(score) > _PLACES:
        raise UserError(f"Điểm mục {code} ({points_text(score)}) chỉ được có tối đa {_PLACES} chữ số thập phân.")
    if item.deduction:
        if score > 0:
            raise UserError(f"Mục {code} là mục điểm trừ: hãy ghi số âm, từ -{points_text(item.max_points)} "
                            f"đến 0 (đã ghi {points_text(score)}).")
        if score < -item.max_points:
            raise UserError(f"Điểm trừ mục {code} ({points_text(score)}) vượt quá mức trừ tối đa "
                            f"{points_text(item.max_points)} điểm.")
    elif score < 0:
        raise UserError(f"Điểm mục {code} ({points_text(score)}) không được âm: điểm chấm từ 0 đến "
                        f"điểm chuẩn {points_text(item.max_points)}.")
    elif score > item.max_points:
        raise UserError(f"Điểm mục {code} ({points_text(score)}) vượt quá điểm chuẩn {points_text(item.max_points)}.")
    return score


def item_scores(sheet: ScoreSheet, scores: Mapping[str, float | Decimal]) -> dict[str, Decimal]:
    """Every item's score in sheet order; a parent's is the sum of its sub-items, unscored leaves are 0."""
    checked = {code: check_score(sheet, code, value) for code, value in scores.items()}
    result: dict[str, Decimal] = {}

    def add(item: SheetItem) -> Decimal:
        result[item.code] = Decimal(0)  # reserve the place first, so parents precede children
        if item.children:
            result[item.code] = sum((add(child) for child in item.children), Decimal(0))
        else:
            result[item.code] = checked.get(item.code, Decimal(0))
        return result[item.code]

    for top in sheet.items:
        add(top)
    return result


def score_total(sheet: ScoreSheet, scores: Mapping[str, float | Decimal]) -> Decimal:
    """The unit's total: every item checked, deductions subtracted, never below 0."""
    subtotals = item_scores(sheet, scores)
    total = sum((subtotals[top.code] for top in sheet.items), Decimal(0))
    return max(total, Decimal(0))


# --------------------------------------------------------------------------------------
# Levels
# --------------------------------------------------------------------------------------


def level_for_total(levels: tuple[Level, ...], total: float | Decimal) -> Level:
    """The highest level whose minimum the total reaches (the lowest minimum is 0, so one always does)."""
    value = _total(total)
    return next(level for level in levels if value >= level.min_total)


def proposed_level(sheet_set: SheetSet, total: float | Decimal, facts: Iterable[str]) -> LevelDecision:
    """The level the total earns, lowered by every enabled cap rule whose condition is in ``facts``.

    ``applied_rules`` are the rules that actually lower the level (a cap at or above the
    earned level changes nothing and is not listed); a cap never raises a level.
    """
    value = _total(total)
    facts = set(facts)
    unknown = facts - CONDITIONS.keys()
    if unknown:
        raise ValueError(f"unknown facts {sorted(unknown)}; expected some of {sorted(CONDITIONS)}")
    levels = sheet_set.levels
    uncapped = level_for_total(levels, value)
    earned = _rank(levels, uncapped.code)
    applied = tuple(rule for rule in sheet_set.rules
                    if rule.enabled and rule.condition in facts and _rank(levels, rule.max_level) > earned)
    final = max((_rank(levels, rule.max_level) for rule in applied), default=earned)
    return LevelDecision(levels[final], uncapped, applied, _explain(levels, value, uncapped, levels[final], applied))


def _explain(levels: tuple[Level, ...], total: Decimal, uncapped: Level, final: Level,
             applied: tuple[CapRule, ...]) -> str:
    text = f"Tổng điểm {points_text(total)}/{points_text(TOTAL_MAX)}, "
    if uncapped.min_total > 0:
        text += f"từ {points_text(uncapped.min_total)} điểm trở lên: mức {uncapped.label}."
    else:  # the lowest level: say which threshold was missed
        above = levels[_rank(levels, uncapped.code) - 1]
        text += f"dưới {points_text(above.min_total)} điểm (ngưỡng mức {above.label}): mức {uncapped.label}."
    if applied:
        text += " Áp dụng quy tắc hạ mức: " + "; ".join(rule.text.rstrip(". ") for rule in applied) + "."
    return text + f" Mức đề xuất: {final.label}."


# --------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------


def level_counts(levels: tuple[Level, ...], decided: Iterable[str]) -> dict[str, int]:
    """How many units are at each level, highest first, zeros included."""
    counts = {level.code: 0 for level in levels}
    for code in decided:
        counts[levels[_rank(levels, code)].code] += 1
    return counts


def share_at_least(levels: tuple[Level, ...], decided: Iterable[str], level_code: str) -> float | None:
    """Percent (0-100) of the decided units at ``level_code`` or above; None when none is decided."""
    bound = _rank(levels, level_code)
    ranks = [_rank(levels, code) for code in decided]
    return None if not ranks else 100 * sum(rank <= bound for rank in ranks) / len(ranks)


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------


def _rank(levels: tuple[Level, ...], code: str) -> int:
    """0 for the highest level; a larger rank is a lower level."""
    for rank, level in enumerate(levels):
        if level.code == code:
            return rank
    raise ValueError(f"unknown level {code!r}; expected one of {[level.code for level in levels]}")


def _decimal(value) -> Decimal | None:
    """``value`` as a finite Decimal, or None when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return None
    # str() of a float is its shortest form: 0.1 stays 0.1, not 0.1000000000000000055.
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)
    return number if number.is_finite() else None


def _places(value: Decimal) -> int:
    return max(0, -value.normalize().as_tuple().exponent)


def points_text(value: Decimal | None) -> str:
    """Points the Vietnamese way, with as many decimals as the value has: "7,5", "10" (not "10,00"),
    "-1,25"; "" for no score."""
    return "" if value is None else format_number(value, _places(value))



def _total(total) -> Decimal:
    value = _decimal(total)
    if value is None or not 0 <= value <= TOTAL_MAX:
        raise ValueError(f"a total must be a number from 0 to {TOTAL_MAX}, not {total!r}")
    return value


def _kind_name(kind: str) -> str:
    return "xã, phường" if kind == WARD else UnitKind(kind).label.lower()


# --------------------------------------------------------------------------------------
# Loading and checking a sheet set
# --------------------------------------------------------------------------------------

_TOP_KEYS = {"code", "title", "effective_from", "is_default", "note", "sheets", "levels", "rules"}
_TOP_OPTIONAL = {"note_en"}
_ITEM_KEYS = {"code", "title", "max_points"}
_ITEM_OPTIONAL = {"children", "deduction", "note"}
_LEVEL_KEYS = {"code", "label", "min_total"}
_RULE_KEYS = {"code", "text", "condition", "max_level", "enabled"}


class _Checker(DataChecker):
    """The shared strict reader, plus the score sheets' points (exact decimals)."""

    def points(self, obj: dict, key: str, where: str) -> Decimal:
        value = _decimal(obj.get(key))
        if value is None:
            raise self.fail(where, f'thiếu "{key}" hoặc "{key}" không phải là số')
        if _places(value) > _PLACES:
            raise self.fail(where, f'"{key}" ({points_text(value)}) có quá {_PLACES} chữ số thập phân')
        return value


def load_sheet_set(path: str | Path) -> SheetSet:
    """Read and check one sheet-set file."""
    path = Path(path)
    check = _Checker(f'Tệp bảng điểm "{path}"', "Hãy sửa tệp hoặc chép lại tệp gốc của chương trình.")
    raw = check.read_json(path, parse_float=Decimal)  # Decimal for "7.5" keeps every sum exact
    return _sheet_set(check, raw)


def parse_sheet_set(raw: Mapping, source: str) -> SheetSet:
    """Check a sheet set held as data (stored with a year's scores, edited in the GUI, imported)."""
    check = _Checker(f'Bảng điểm "{source}"', "Hãy sửa lại bảng điểm.")
    return _sheet_set(check, raw)


def _sheet_set(check: _Checker, raw) -> SheetSet:
    top = check.obj(raw, "đầu tệp", _TOP_KEYS, _TOP_OPTIONAL)
    missing = sorted(_TOP_KEYS - top.keys())
    if missing:
        raise check.fail("đầu tệp", "thiếu " + ", ".join(f'"{key}"' for key in missing))
    effective = check.text(top, "effective_from", "đầu tệp")
    try:
        effective_from = date.fromisoformat(effective)
    except ValueError:
        raise check.fail("effective_from", f'ngày "{effective}" không hợp lệ, cần dạng năm-tháng-ngày') from None
    levels = _levels(check, top["levels"])
    return SheetSet(
        code=check.text(top, "code", "đầu tệp"),
        title=check.text(top, "title", "đầu tệp"),
        effective_from=effective_from,
        is_default=check.flag(top, "is_default", "đầu tệp"),
        note=check.text(top, "note", "đầu tệp"),
        sheets=MappingProxyType(_sheets(check, top["sheets"])),
        levels=levels,
        rules=_rules(check, top["rules"], levels),
    )


def _sheets(check: _Checker, raw) -> dict[str, ScoreSheet]:
    if not isinstance(raw, dict):
        raise check.fail("sheets", "cần một đối tượng {...}")
    unknown = [str(kind) for kind in raw if kind not in KINDS]
    if unknown:
        raise check.fail("sheets", "loại đơn vị không biết: " + ", ".join(unknown))
    missing = [kind for kind in KINDS if kind not in raw]
    if missing:
        raise check.fail("sheets", "thiếu loại đơn vị " + ", ".join(missing))
    return {kind: _sheet(check, kind, raw[kind]) for kind in KINDS}


def _sheet(check: _Checker, kind: str, raw) -> ScoreSheet:
    seen: set[str] = set()
    where = f"sheets.{kind}"
    items = tuple(_item(check, value, where, f"{where}, mục thứ {i}", seen, None)
                  for i, value in enumerate(check.items(raw, where), start=1))
    # The 100 points are the normal items; deductions come on top and only lower the total.
    normal = sum((item.max_points for item in items if not item.deduction), Decimal(0))
    if normal != TOTAL_MAX:
        raise check.fail(f"sheets.{kind}", f"các mục (không kể mục điểm trừ) cộng lại được {points_text(normal)} "
                                           f"điểm, phải đúng {points_text(TOTAL_MAX)}")
    return ScoreSheet(kind, items, TOTAL_MAX)


def _item(check: _Checker, raw, sheet_where: str, where: str, seen: set[str],
          parent: SheetItem | None) -> SheetItem:
    """One item and its sub-items; ``where`` names it by position until its code is known."""
    obj = check.obj(raw, where, _ITEM_KEYS, _ITEM_OPTIONAL)
    code = check.text(obj, "code", where)
    place = f"{sheet_where}, mục {code}"
    if code in seen:
        raise check.fail(place, f'mã mục "{code}" bị trùng')
    seen.add(code)
    # Sub-items of a deduction are deductions: a mixed item could not be given one range.
    inherited = parent.deduction if parent else False
    deduction = check.flag(obj, "deduction", place, default=inherited)
    if parent and deduction != inherited:
        raise check.fail(place, '"deduction" của mục con phải giống mục cha')
    max_points = check.points(obj, "max_points", place)
    if not 0 < max_points <= TOTAL_MAX:
        raise check.fail(place, f'"max_points" ({points_text(max_points)}) phải lớn hơn 0 và không quá {points_text(TOTAL_MAX)}')
    item = SheetItem(code, check.text(obj, "title", place), max_points, (), deduction)
    if "children" not in obj:
        return item
    children = tuple(_item(check, value, sheet_where, f"{place}, mục con thứ {i}", seen, item)
                     for i, value in enumerate(check.items(obj["children"], f"{place}, children"), start=1))
    added = sum((child.max_points for child in children), Decimal(0))
    if added != max_points:
        raise check.fail(place, f"mục {code} có điểm chuẩn {points_text(max_points)} nhưng các mục con "
                                f"cộng lại được {points_text(added)}")
    return SheetItem(code, item.title, max_points, children, deduction)


def _levels(check: _Checker, raw) -> tuple[Level, ...]:
    values = check.items(raw, "levels")
    if len(values) != len(LEVEL_CODES):
        raise check.fail("levels", f"cần đúng {len(LEVEL_CODES)} mức: " + ", ".join(LEVEL_CODES))
    levels: list[Level] = []
    for i, (value, expected) in enumerate(zip(values, LEVEL_CODES), start=1):
        where = f"levels, mức thứ {i}"
        obj = check.obj(value, where, _LEVEL_KEYS)
        code = check.text(obj, "code", where)
        if code != expected:
            raise check.fail(where, f'mã mức là "{code}", cần "{expected}" (các mức xếp từ cao xuống thấp: '
                                    + ", ".join(LEVEL_CODES) + ")")
        min_total = check.points(obj, "min_total", where)
        if not 0 <= min_total <= TOTAL_MAX:
            raise check.fail(where, f'"min_total" ({points_text(min_total)}) phải từ 0 đến {points_text(TOTAL_MAX)}')
        if levels and min_total >= levels[-1].min_total:
            raise check.fail(where, f'"min_total" ({points_text(min_total)}) phải nhỏ hơn ngưỡng của mức trên '
                                    f"({points_text(levels[-1].min_total)})")
        levels.append(Level(code, check.text(obj, "label", where), min_total))
    # Every total from 0 up must earn some level.
    if levels[-1].min_total != 0:
        raise check.fail(f"levels, mức thứ {len(levels)}", '"min_total" của mức thấp nhất phải là 0')
    return tuple(levels)


def _rules(check: _Checker, raw, levels: tuple[Level, ...]) -> tuple[CapRule, ...]:
    rules: list[CapRule] = []
    level_codes = [level.code for level in levels]
    for i, value in enumerate(check.items(raw, "rules", allow_empty=True), start=1):
        where = f"rules, quy tắc thứ {i}"
        obj = check.obj(value, where, _RULE_KEYS)
        code = check.text(obj, "code", where)
        if any(rule.code == code for rule in rules):
            raise check.fail(where, f'mã quy tắc "{code}" bị trùng')
        condition = check.text(obj, "condition", where)
        if condition not in CONDITIONS:
            raise check.fail(where, f'điều kiện "{condition}" không biết (dùng được: {", ".join(CONDITIONS)})')
        max_level = check.text(obj, "max_level", where)
        if max_level not in level_codes:
            raise check.fail(where, f'mức "{max_level}" không có (dùng được: {", ".join(level_codes)})')
        rules.append(CapRule(code, check.text(obj, "text", where), condition, max_level,
                             check.flag(obj, "enabled", where)))
    return tuple(rules)


def sheet_set_to_dict(sheet_set: SheetSet) -> dict:
    """The set as JSON-ready data that :func:`parse_sheet_set` reads back equal (for storing a year's version)."""

    def number(value: Decimal) -> int | float:
        # Two decimals at most, so the float's shortest form reads back as the same Decimal.
        return int(value) if value == value.to_integral_value() else float(value)

    def item(it: SheetItem, top: bool) -> dict:
        out: dict = {"code": it.code, "title": it.title, "max_points": number(it.max_points)}
        if top and it.deduction:
            out["deduction"] = True
        if it.children:
            out["children"] = [item(child, False) for child in it.children]
        return out

    return {
        "code": sheet_set.code,
        "title": sheet_set.title,
        "effective_from": sheet_set.effective_from.isoformat(),
        "is_default": sheet_set.is_default,
        "note": sheet_set.note,
        "levels": [{"code": lv.code, "label": lv.label, "min_total": number(lv.min_total)}
                   for lv in sheet_set.levels],
        "rules": [{"code": r.code, "text": r.text, "condition": r.condition, "max_level": r.max_level,
                   "enabled": r.enabled} for r in sheet_set.rules],
        "sheets": {kind: [item(top, True) for top in sheet.items] for kind, sheet in sheet_set.sheets.items()},
    }


# --------------------------------------------------------------------------------------
# The sets shipped with the program
# --------------------------------------------------------------------------------------


@cache
def builtin_sheet_sets() -> tuple[SheetSet, ...]:
    """Every file of resources/scoresheets/, oldest first."""
    files = sorted(resource_path("scoresheets").glob("*.json"))
    sets = sorted((load_sheet_set(f) for f in files), key=lambda s: s.effective_from)
    if not sets:
        raise UserError("Thiếu các tệp bảng điểm (thư mục scoresheets) trong tài nguyên của chương trình.")
    codes = [s.code for s in sets]
    if len(set(codes)) != len(codes):
        raise UserError("Hai tệp bảng điểm trong tài nguyên của chương trình trùng mã: " + ", ".join(codes) + ".")
    return tuple(sets)


def sheet_set_by_code(code: str) -> SheetSet:
    """The shipped set a stored year names."""
    for sheet_set in builtin_sheet_sets():
        if sheet_set.code == code:
            return sheet_set
    raise UserError(f'Không có bảng điểm mã "{code}" trong chương trình này. Có thể dữ liệu được tạo '
                    "bằng phiên bản mới hơn; hãy cập nhật chương trình.")
