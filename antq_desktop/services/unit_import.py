"""Units from any Excel list: the district's list of tổ dân phố, the tax office's enterprises,
the education office's schools.

No two lists share a layout, so the officer maps the list's columns to the unit's fields. The
mapping is guessed from the header texts (folded: no case, tones or punctuation), and once a
list has been imported it is remembered on this PC under the list's header signature, so the
next list of the same shape maps itself. Every row is then previewed (new, already in the
register, repeated in the file, or faulty with its row and column named) before anything is
written; the new units go in one transaction through :func:`units.insert_units` (audited, all
checked first), so a failure leaves the register as it was.

The steps, each a plain function the window, the tests and a command call in turn::

    listing = read_list(path)                         # every sheet, values only
    table = table_of(listing.sheets[0])               # header row guessed (or given)
    proposal = propose_mapping(table)                 # remembered, or guessed
    preview = preview_import(session, ward_id, table, proposal.mapping)
    result = apply_import(session, ward_id, preview, actor)
    remember_mapping(table, proposal.mapping)
"""

from __future__ import annotations

import json
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop import paths
from antq_desktop.db.models import Unit
from antq_desktop.domain import vntext
from antq_desktop.domain.unit_lists import (
    KIND,
    ends_table,
    flag_in,
    fold,
    header_field,
    kdc_category_of,
    kind_in_text,
    kind_of_name,
    school_level_in,
)
from antq_desktop.domain.units import SchoolLevel, UnitKind, UnitStatus
from antq_desktop.errors import UserError
from antq_desktop.services import excel
from antq_desktop.services import units as unit_service
from antq_desktop.services.output import write_atomically
from antq_desktop.services.units import UnitInput

log = logging.getLogger(__name__)

Progress = Callable[[int, int], bool]  # (done, total) -> False once the user cancelled

MAPPINGS_FILE = "ghep-cot-danh-sach-don-vi.json"  # in the data folder: a per-PC memory
MAPPINGS_KEPT = 50  # the most recently used list shapes
SAMPLES = 3
_LOOKUP_CHUNK = 500  # name keys per IN (...) when looking for units already in the register
_PROGRESS_STEP = 500


# ---- the unit's fields a list may hold ------------------------------------------------------------


class FieldType(StrEnum):
    TEXT = "text"
    NOTES = "notes"
    COUNT = "count"
    FLAG = "flag"
    LEVEL = "level"


@dataclass(frozen=True)
class UnitField:
    name: str  # the UnitInput field
    label: str
    type: FieldType = FieldType.TEXT


FIELDS = (
    UnitField("name", "Tên đơn vị"),
    UnitField("category", "Phân loại"),
    UnitField("address", "Địa chỉ"),
    UnitField("head_name", "Người đứng đầu"),
    UnitField("head_title", "Chức vụ người đứng đầu"),
    UnitField("head_phone", "Điện thoại"),
    UnitField("households", "Số hộ gia đình", FieldType.COUNT),
    UnitField("staff_count", "Số cán bộ, nhân viên", FieldType.COUNT),
    UnitField("learner_count", "Số người học", FieldType.COUNT),
    UnitField("school_level", "Cấp học", FieldType.LEVEL),
    UnitField("is_armed_forces", "Thuộc lực lượng vũ trang", FieldType.FLAG),
    UnitField("is_small_or_micro", "Doanh nghiệp nhỏ, siêu nhỏ", FieldType.FLAG),
    UnitField("has_party_org", "Có tổ chức Đảng", FieldType.FLAG),
    UnitField("protection_force", "Lực lượng bảo vệ"),
    UnitField("protection_force_size", "Số người của lực lượng bảo vệ", FieldType.COUNT),
    UnitField("subordinate_units", "Số đơn vị trực thuộc", FieldType.COUNT),
    UnitField("managing_authority", "Cơ quan quản lý"),
    UnitField("notes", "Ghi chú", FieldType.NOTES),
)
FIELD_BY_NAME = {spec.name: spec for spec in FIELDS}
KIND_LABEL = "Loại đơn vị"
_NOT_UPDATED = frozenset({"name", KIND})  # a unit already registered keeps its own name and kind


def field_label(name: str) -> str:
    return KIND_LABEL if name == KIND else FIELD_BY_NAME[name].label


# ---- reading the file ----------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetData:
    """A sheet's values: its non-empty rows by number, and the cells holding a formula whose
    result the file does not carry (saved by a program that never computed it)."""

    name: str
    rows: tuple[tuple[int, tuple], ...]
    uncomputed: frozenset[tuple[int, int]] = frozenset()

    @cached_property
    def width(self) -> int:
        return max((len(values) for _, values in self.rows), default=0)

    def rows_from(self, first: int) -> Iterator[tuple[int, tuple]]:
        return ((number, values) for number, values in self.rows if number >= first)

    def row(self, number: int) -> tuple:
        return next((values for row_number, values in self.rows if row_number == number), ())


@dataclass(frozen=True)
class ListFile:
    path: Path
    sheets: tuple[SheetData, ...]

    @property
    def file_name(self) -> str:
        return self.path.name

    def sheet(self, name: str) -> SheetData:
        return next(sheet for sheet in self.sheets if sheet.name == name)


_NOT_EXCEL = {
    ".xls": 'Tệp "{name}" là dạng Excel cũ (.xls) mà chương trình không đọc được. Hãy mở tệp bằng Excel hoặc '
            'LibreOffice, chọn "Lưu thành" dạng "Sổ làm việc Excel (*.xlsx)", rồi nhập tệp mới.',
    ".csv": 'Tệp "{name}" là tệp văn bản CSV, không phải sổ Excel. Hãy mở tệp bằng Excel hoặc LibreOffice rồi lưu '
            'lại dạng "Sổ làm việc Excel (*.xlsx)".',
    ".ods": 'Tệp "{name}" là bảng tính LibreOffice (.ods). Hãy mở tệp bằng LibreOffice, chọn "Lưu thành" dạng '
            '"Excel 2007-365 (.xlsx)", rồi nhập tệp mới.',
}


def read_list(path: str | Path, progress: Progress | None = None) -> ListFile | None:
    """Every sheet's values (None when ``progress`` said stop), or a plain refusal: not an Excel
    file, damaged, locked, or with nothing in it."""
    path = Path(path)
    if path.is_file() and path.suffix.lower() in _NOT_EXCEL:
        raise UserError(_NOT_EXCEL[path.suffix.lower()].format(name=path.name))
    sheets = _read_sheets(path, progress)
    if sheets is None:
        return None
    if not any(sheet.rows for sheet in sheets):
        raise UserError(f'Tệp "{path.name}" không có dữ liệu: mọi trang đều trống.')
    return ListFile(path, tuple(sheets))


def _read_sheets(path: Path, progress: Progress | None) -> list[SheetData] | None:
    """The rows as typed (a formula as its text), then, only for the sheets that have formulas,
    a second pass for the values Excel computed. A computed formula is read as its value (a list
    from elsewhere often numbers its rows or joins an address by formula); one the file holds no
    result for is noted, to be refused where a field needs it."""
    counter = _Counter(progress)
    with excel.reading(path, formulas=True) as workbook:
        typed = []
        for sheet in workbook.worksheets:
            rows = _stream(sheet, counter)
            if rows is None:
                return None
            typed.append((sheet.title, rows))
    if not any(_formula_cells(rows) for _, rows in typed):
        return [SheetData(title, tuple(rows)) for title, rows in typed]
    with excel.reading(path) as workbook:
        sheets = []
        for sheet, (title, rows) in zip(workbook.worksheets, typed, strict=True):
            formulas = _formula_cells(rows)
            computed = _stream(sheet, counter) if formulas else rows
            if computed is None:
                return None
            by_number = dict(computed)
            # A row of formulas the file holds no results for still counts: its faults are shown.
            computed = [(number, by_number.get(number, (None,) * len(values))) for number, values in rows]
            uncomputed = {(number, column) for number, column in formulas
                          if _value_in(by_number.get(number, ()), column) is None}
            sheets.append(SheetData(title, tuple(computed), frozenset(uncomputed)))
    return sheets


class _Counter:
    """The rows read so far against the rows the sheets say they have, for the progress bar."""

    def __init__(self, progress: Progress | None):
        self.progress = progress
        self.done = 0
        self.total = 0

    def step(self) -> bool:
        self.done += 1
        if self.progress is None or self.done % _PROGRESS_STEP:
            return True
        return self.progress(self.done, max(self.total, self.done))


def _stream(sheet, counter: _Counter) -> list[tuple[int, tuple]] | None:
    """(row number, values) of the sheet's non-empty rows; None when the user said stop."""
    counter.total += sheet.max_row or 0
    sheet.reset_dimensions()  # some programs write a wrong size: read every row there is
    rows = []
    for number, row in enumerate(excel.sheet_rows(sheet, values_only=True), start=1):
        if any(not _empty(value) for value in row):
            rows.append((number, tuple(row)))
        if not counter.step():
            return None
    return rows


def _formula_cells(rows: list[tuple[int, tuple]]) -> set[tuple[int, int]]:
    """(row, column) of the cells holding a formula: its text "=…", or an array formula."""
    return {(number, column) for number, values in rows for column, value in enumerate(values, start=1)
            if (isinstance(value, str) and value.startswith("=")) or
            not isinstance(value, str | int | float | bool | date | time | timedelta | type(None))}


def _value_in(values: tuple, column: int):
    return values[column - 1] if column <= len(values) else None


def _empty(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# ---- the table: header row, columns ------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    number: int
    title: str  # as written ("" when the header cell is empty)
    key: str  # folded, for the signature
    samples: tuple[str, ...]

    @property
    def letter(self) -> str:
        return excel.column_letter(self.number)

    @property
    def caption(self) -> str:
        """"C: Họ tên tổ trưởng", as a choice shows it."""
        return f"{self.letter}: {self.title}" if self.title else f"{self.letter}: (cột không có tiêu đề)"


@dataclass(frozen=True)
class ListTable:
    """A sheet read as a table: its header row (and sub-header row, when the header is two rows
    high: "Người đứng đầu" over "Họ tên" | "Điện thoại"), columns and where the data starts."""

    file_name: str
    sheet: SheetData
    header_row: int
    sub_header: bool
    columns: tuple[Column, ...]

    @property
    def data_start(self) -> int:
        return self.header_row + (2 if self.sub_header else 1)

    @property
    def signature(self) -> str:
        """The folded header texts, in order: lists of the same shape have the same signature."""
        return _signature(column.title for column in self.columns)

    def column(self, number: int) -> Column:
        return self.columns[number - 1]


def _text_cells(values: tuple) -> list[int]:
    """The columns of a row holding text with a letter in it (not a number, not "(1)")."""
    return [column for column, value in enumerate(values, start=1)
            if isinstance(value, str) and re.search(r"[^\W\d_]", value)]


def guess_header_row(sheet: SheetData) -> int:
    """The header row: the one a remembered list shape starts at; else the row of the first 20
    naming the most known columns (two at least); else the first with the most text cells."""
    candidates = [(number, values) for number, values in sheet.rows if number <= excel.HEADER_SEARCH_ROWS]
    if not candidates:
        return sheet.rows[0][0] if sheet.rows else 1
    remembered = _stored_mappings()
    for number, values in candidates if remembered else ():
        below = sheet.row(number + 1)
        if _signature(_titles(values, below if _is_sub_header(values, below) else (), sheet.width)) in remembered:
            return number
    known = [(sum(header_field(value) is not None for value in values if isinstance(value, str)), number)
             for number, values in candidates]
    best_known, best_row = max(known, key=lambda item: (item[0], -item[1]))
    if best_known >= 2:
        return best_row
    counts = [(len(_text_cells(values)), number) for number, values in candidates]
    most = max(count for count, _ in counts)
    return next(number for count, number in counts if count == most) if most >= 2 else candidates[0][0]


def _is_sub_header(header: tuple, below: tuple) -> bool:
    """The row below the header continues it: text under a merged heading (an empty header cell),
    and every cell of it a known column name."""
    cells = [(column, value) for column, value in enumerate(below, start=1) if not _empty(value)]
    under_merge = any(column > len(header) or _empty(header[column - 1]) for column, _ in cells)
    return bool(cells) and under_merge and all(isinstance(value, str) and header_field(value) is not None
                                               for _, value in cells)


def table_of(sheet: SheetData, header_row: int | None = None, file_name: str = "") -> ListTable:
    """The sheet as a table under ``header_row`` (guessed when None)."""
    if not sheet.rows:
        raise UserError(f'Trang "{sheet.name}" không có dữ liệu. Hãy chọn trang khác.')
    header_row = guess_header_row(sheet) if header_row is None else header_row
    header = sheet.row(header_row)
    sub_header = _is_sub_header(header, sheet.row(header_row + 1))
    below = sheet.row(header_row + 1) if sub_header else ()
    titles = _titles(header, below, sheet.width)
    data = [values for _, values in sheet.rows_from(header_row + (2 if sub_header else 1))]
    if data and _is_numbering(data[0]):
        data = data[1:]
    columns = tuple(Column(number, title, fold(title), _samples(data, number))
                    for number, title in enumerate(titles, start=1))
    return ListTable(file_name, sheet, header_row, sub_header, columns)


def _signature(titles: Iterable[str]) -> str:
    keys = [fold(title) for title in titles]
    while keys and not keys[-1]:
        keys.pop()
    return "|".join(keys)


def _titles(header: tuple, below: tuple, width: int) -> list[str]:
    """Each column's title; under a two-row header, "Người đứng đầu / Họ tên" (the heading of a
    merged cell lies in its first column, so an empty header cell takes the one to its left)."""
    titles, parent = [], ""
    for column in range(1, width + 1):
        own = _cell_text(header[column - 1]) if column <= len(header) else ""
        sub = _cell_text(below[column - 1]) if column <= len(below) else ""
        parent = own or (parent if sub else "")
        titles.append(f"{parent} / {sub}" if sub and parent and parent != sub else (sub or own))
    return titles


def _samples(data: list[tuple], column: int) -> tuple[str, ...]:
    found: list[str] = []
    for values in data:
        text = _cell_text(values[column - 1]) if column <= len(values) else ""
        if text and text not in found:
            found.append(text)
            if len(found) == SAMPLES:
                break
    return tuple(found)


def _cell_text(value, paragraphs: bool = False) -> str:
    """A cell as text: numbers as written (1, not 1.0), dates as dd/mm/yyyy."""
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    if isinstance(value, date) and not isinstance(value, datetime):
        return vntext.format_date(value)
    return excel.text_value(value, paragraphs=paragraphs)


def default_table(listing: ListFile) -> ListTable:
    """The sheet a list most likely is: the one whose header names most known columns."""
    tables = [table_of(sheet, file_name=listing.file_name) for sheet in listing.sheets if sheet.rows]
    return max(tables, key=lambda table: (sum(bool(header_field(c.title)) for c in table.columns),
                                          -tables.index(table)))


# ---- the mapping: which column holds which field ---------------------------------------------------


@dataclass(frozen=True)
class ListMapping:
    """Which column (1 = A) holds each unit field, and where the kind comes from: a column
    (``columns["kind"]``, its values read by the words they start with or by ``kind_values``,
    the user's own reading of a value), else ``kind`` for the whole list (a heading row such as
    "II. CƠ QUAN" changes it for the rows under it)."""

    columns: dict[str, int] = field(default_factory=dict)
    kind: UnitKind | None = None
    kind_values: dict[str, UnitKind] = field(default_factory=dict)

    def column_of(self, name: str) -> int | None:
        return self.columns.get(name)


@dataclass(frozen=True)
class Proposal:
    mapping: ListMapping
    remembered: bool  # True: the mapping this PC used last time for a list of this shape


def propose_mapping(table: ListTable) -> Proposal:
    """The mapping remembered for lists of this shape, else one guessed from the headers."""
    remembered = remembered_mapping(table)
    if remembered is not None:
        return Proposal(remembered, True)
    return Proposal(guess_mapping(table), False)


def guess_mapping(table: ListTable) -> ListMapping:
    """Each column to the field its header names (leftmost first: a field takes one column); the
    whole list's kind from the name column's header or, failing that, from most names."""
    columns: dict[str, int] = {}
    for column in table.columns:
        name = _column_field(column)
        if name and name not in columns:
            columns[name] = column.number
    kind = None if KIND in columns else _list_kind(table, columns.get("name"))
    return ListMapping(columns, kind)


def _column_field(column: Column) -> str | None:
    """A two-row title is read by its lower part first ("Người đứng đầu / Điện thoại" is the phone)."""
    if " / " in column.title:
        lower = header_field(column.title.rsplit(" / ", 1)[1])
        if lower is not None:
            return lower
    return header_field(column.title)


def _list_kind(table: ListTable, name_column: int | None) -> UnitKind:
    if name_column is not None:
        named = kind_in_text(table.column(name_column).title)
        if named is not None:
            return named
        kinds = Counter(kind_of_name(values[name_column - 1]) for _, values in table.sheet.rows_from(table.data_start)
                        if name_column <= len(values) and not _empty(values[name_column - 1]))
        kinds.pop(None, None)
        total = sum(kinds.values())
        if total:
            kind, count = kinds.most_common(1)[0]
            if count * 2 > total:
                return kind
    return UnitKind.KDC  # most lists a ward receives are of its tổ dân phố


@dataclass(frozen=True)
class KindValue:
    """A value of the kind column: how often it occurs and the kind it is read as (None: unknown)."""

    key: str  # folded
    text: str  # as first written
    count: int
    kind: UnitKind | None


def kind_values(table: ListTable, mapping: ListMapping) -> list[KindValue]:
    """The distinct values of the kind column (empty when none is mapped), in order of first use."""
    column = mapping.column_of(KIND)
    if column is None:
        return []
    seen: dict[str, list] = {}
    for _, values in table.sheet.rows_from(table.data_start):
        text = _cell_text(values[column - 1]) if column <= len(values) else ""
        if text:
            seen.setdefault(fold(text), [text, 0])[1] += 1
    return [KindValue(key, text, count, _read_kind(key, mapping)) for key, (text, count) in seen.items()]


def _read_kind(key: str, mapping: ListMapping) -> UnitKind | None:
    return mapping.kind_values.get(key) or kind_of_name(key) or kind_in_text(key)


# ---- remembering mappings on this PC ------------------------------------------------------------------


def _mappings_file() -> Path:
    return paths.data_dir() / MAPPINGS_FILE


def _stored_mappings() -> dict[str, dict]:
    try:
        stored = json.loads(_mappings_file().read_text(encoding="utf-8")).get("lists", {})
    except FileNotFoundError:
        return {}
    except (OSError, ValueError, AttributeError) as error:  # damaged: start again, the lists map themselves anew
        log.warning("remembered list mappings unreadable (%s); ignored", error)
        return {}
    return stored if isinstance(stored, dict) else {}


def remembered_mapping(table: ListTable) -> ListMapping | None:
    """The mapping last used for a list of this shape on this PC, if it still fits the table."""
    if not table.signature:
        return None
    entry = _stored_mappings().get(table.signature)
    try:
        columns = {name: int(number) for name, number in entry["columns"].items()
                   if (name == KIND or name in FIELD_BY_NAME) and 1 <= int(number) <= len(table.columns)}
        kind = UnitKind(entry["kind"]) if entry.get("kind") else None
        values = {str(key): UnitKind(value) for key, value in entry.get("kind_values", {}).items()}
    except (TypeError, KeyError, ValueError, AttributeError):
        return None  # nothing stored for this shape, or an entry from a damaged file
    return ListMapping(columns, kind, values)


def remember_mapping(table: ListTable, mapping: ListMapping) -> None:
    """Keep ``mapping`` for lists of this shape (the most recent 50 shapes). A failure to write
    is only logged: the import itself is done, and the mapping is just a convenience."""
    if not table.signature:
        return
    stored = _stored_mappings()
    stored.pop(table.signature, None)
    stored[table.signature] = {
        "columns": dict(mapping.columns),
        "kind": mapping.kind.value if mapping.kind else None,
        "kind_values": {key: kind.value for key, kind in mapping.kind_values.items()},
        "used": datetime.now().replace(microsecond=0).isoformat(),
    }
    kept = dict(list(stored.items())[-MAPPINGS_KEPT:])
    text = json.dumps({"version": 1, "lists": kept}, ensure_ascii=False, indent=1)
    try:
        write_atomically(_mappings_file(), lambda handle: handle.write(text.encode("utf-8")))
    except UserError as error:
        log.warning("list mapping not remembered: %s", error.message)


# ---- the preview ---------------------------------------------------------------------------------------


class RowStatus(StrEnum):
    NEW = "new"
    EXISTING = "existing"
    REPEATED = "repeated"
    FAULT = "fault"
    SKIPPED = "skipped"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    RowStatus.NEW: "Mới",
    RowStatus.EXISTING: "Đã có",
    RowStatus.REPEATED: "Trùng trong tệp",
    RowStatus.FAULT: "Lỗi",
    RowStatus.SKIPPED: "Bỏ qua",
}


def fault_text(fault: excel.Fault) -> str:
    """'Cột C (Tên tổ dân phố): chưa có tên đơn vị.', for a line of the preview (its row is beside it)."""
    return f"Cột {fault.column_name}: {fault.message}" if fault.column else fault.message


@dataclass(frozen=True)
class PreviewRow:
    row: int
    status: RowStatus
    kind: UnitKind | None
    name: str
    note: str
    unit: UnitInput | None = None  # NEW: the unit to add; EXISTING with changes: the unit as updated
    existing_id: int | None = None
    existing_version: int | None = None
    changes: tuple[str, ...] = ()  # EXISTING: the labels of the fields the list would change
    faults: tuple[excel.Fault, ...] = ()


@dataclass(frozen=True)
class Preview:
    file_name: str
    sheet: str
    rows: tuple[PreviewRow, ...]

    def count(self, status: RowStatus) -> int:
        return sum(row.status is status for row in self.rows)

    @property
    def new_units(self) -> list[UnitInput]:
        return [row.unit for row in self.rows if row.status is RowStatus.NEW]

    @property
    def updatable(self) -> list[PreviewRow]:
        return [row for row in self.rows if row.status is RowStatus.EXISTING and row.changes]

    @property
    def faults(self) -> list[excel.Fault]:
        return [fault for row in self.rows for fault in row.faults]


class _CellFault(Exception):
    def __init__(self, message: str):
        self.message = message


@dataclass
class _Candidate:
    """One data row as read, before the register is consulted."""

    row: int
    kind: UnitKind | None
    name: str
    key: str  # the name folded, as the register compares names
    unit: UnitInput | None
    given: frozenset[str]
    faults: list[excel.Fault]


_NUMBERING = re.compile(r"^\(?\s*(\d+|[a-zA-Z])\s*\)?$")  # "(1)", "2", "(A)": the row that numbers the columns
_ROMAN_CELL = re.compile(r"^\s*(?:[IVX]{1,4}|[A-E])\s*\.?\s*$")  # "II", "B." alone in the STT column
_ROMAN_START = re.compile(r"^\s*(?:[IVX]{1,4}|[A-E])\s*[.)/-]\s*\S")  # "II. CƠ QUAN": a heading's number


def _is_numbering(values: tuple) -> bool:
    """The row under a header that numbers its columns: "(1)", "(2)"…"""
    filled = [_cell_text(value) for value in values if not _empty(value)]
    return len(filled) >= 2 and all(_NUMBERING.match(text) for text in filled)


def _ends_table(values: tuple) -> str | None:
    """The text that closes the table (a totals row, the signature block), when the row's first
    cell holds one; a unit's own cells (an address with a date, "Chủ tịch" as a title) never do."""
    first = next((value for value in values if not _empty(value)), None)
    if isinstance(first, str) and ends_table(first):
        return excel.text_value(first)
    return None


def _heading(values: tuple, name_column: int) -> str | None:
    """A group's heading row ("II. CƠ QUAN", or "II" then "Cơ quan" in the name column), if it is one."""
    filled = [(column, value) for column, value in enumerate(values, start=1) if not _empty(value)]
    if not filled or not all(isinstance(value, str) for _, value in filled):
        return None
    name = next((value for column, value in filled if column == name_column), None)
    others = [value for column, value in filled if column != name_column]
    if name is None:
        return _cell_text(others[0]) if len(others) == 1 else None
    numbered = (len(others) == 1 and _ROMAN_CELL.match(others[0])) or (not others and _ROMAN_START.match(name))
    return _cell_text(name) if numbered else None


def preview_import(session: Session, ward_id: int, table: ListTable, mapping: ListMapping) -> Preview:
    """Each data row of the list: new, already registered (which unit, and what the list would
    change), repeated in the file (which row), faulty (which column, what is wrong) or skipped
    (a heading, the totals row). Reads only."""
    _check_mapping(mapping)
    candidates, skipped = _read_rows(table, mapping)
    existing = _registered(session, ward_id, {c.key for c in candidates if c.key})
    rows = [_previewed(candidate, existing, first_seen) for candidate, first_seen in _firsts(candidates)]
    rows += skipped
    rows.sort(key=lambda row: row.row)
    return Preview(table.file_name, table.sheet.name, tuple(rows))


def _check_mapping(mapping: ListMapping) -> None:
    if mapping.column_of("name") is None:
        raise UserError("Hãy chọn cột chứa tên đơn vị: không có tên thì không nhập được.")
    if mapping.column_of(KIND) is None and mapping.kind is None:
        raise UserError("Hãy chọn loại đơn vị của danh sách, hoặc cột ghi loại đơn vị.")
    taken = Counter(mapping.columns.values())
    twice = [number for number, count in taken.items() if count > 1]
    if twice:
        names = [field_label(name) for name, number in mapping.columns.items() if number == twice[0]]
        raise UserError(f"Cột {excel.column_letter(twice[0])} đang được chọn cho nhiều mục "
                        f"({', '.join(names)}). Mỗi cột chỉ dùng cho một mục.")


def _read_rows(table: ListTable, mapping: ListMapping) -> tuple[list[_Candidate], list[PreviewRow]]:
    candidates: list[_Candidate] = []
    skipped: list[PreviewRow] = []
    section_kind = None
    name_column = mapping.column_of("name")
    for position, (number, values) in enumerate(table.sheet.rows_from(table.data_start)):
        if position == 0 and _is_numbering(values):
            skipped.append(PreviewRow(number, RowStatus.SKIPPED, None, "", "Dòng đánh số thứ tự các cột."))
            continue
        end = _ends_table(values)
        if end is not None:
            skipped.append(PreviewRow(number, RowStatus.SKIPPED, None, "",
                                      f'Hết bảng ở dòng này ("{end}"): các dòng từ đây trở xuống không được đọc.'))
            break
        heading = _heading(values, name_column)
        if heading is not None:
            heading_kind = kind_in_text(heading) if mapping.column_of(KIND) is None else None
            section_kind = heading_kind or section_kind
            note = "Dòng tiêu đề nhóm" + (f": các dòng dưới là {heading_kind.label.lower()}." if heading_kind else ".")
            skipped.append(PreviewRow(number, RowStatus.SKIPPED, None, heading, note))
            continue
        candidates.append(_read_row(table, mapping, number, values, section_kind))
    return candidates, skipped


def _read_row(table: ListTable, mapping: ListMapping, number: int, values: tuple,
              section_kind: UnitKind | None) -> _Candidate:
    faults: list[excel.Fault] = []
    data: dict = {}

    def fault(column: int | None, message: str) -> None:
        title = table.column(column).title if column else ""
        faults.append(excel.Fault(table.sheet.name, number, column or 0, title, message))

    for name, column in mapping.columns.items():
        raw = values[column - 1] if column <= len(values) else None
        if (number, column) in table.sheet.uncomputed:
            fault(column, "ô có công thức nhưng tệp không lưu kết quả tính. Hãy mở tệp bằng Excel rồi lưu lại, "
                          "hoặc chép cột rồi dán giá trị (Paste Values).")
        elif isinstance(raw, str) and raw.strip() in _EXCEL_ERRORS:
            fault(column, f'công thức của ô báo lỗi "{raw.strip()}". Hãy sửa công thức hoặc gõ giá trị vào ô.')
        elif not _empty(raw):
            try:
                data[name] = _kind_cell(raw, mapping) if name == KIND else _field_value(FIELD_BY_NAME[name], raw)
            except _CellFault as error:
                fault(column, error.message)
    given = frozenset(data)
    kind_column, name_column = mapping.column_of(KIND), mapping.column_of("name")
    kind = data.pop(KIND, None)
    kind_cell = values[kind_column - 1] if KIND in given else None
    if kind_column is None:
        kind = section_kind or mapping.kind
    elif kind is None and not any(f.column == kind_column for f in faults):  # an empty kind cell
        kind = mapping.kind
        if kind is None:
            fault(kind_column, "chưa ghi loại đơn vị.")
    name = data.get("name", "")
    if not name and not any(f.column == name_column for f in faults):
        fault(name_column, "chưa có tên đơn vị.")
    if faults and data.get("head_phone"):  # the whole row's faults at once, the phone's too
        phone = _phone_fault(data["head_phone"])
        if phone is not None:
            fault(mapping.column_of("head_phone"), phone)
    unit = _unit_of(kind, data, kind_cell, mapping, fault) if kind and name and not faults else None
    faults.sort(key=lambda found: found.column)  # as the row reads, left to right
    return _Candidate(number, kind, name, vntext.search_key(name), unit, given, faults)


_EXCEL_ERRORS = ("#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A")


def _unit_of(kind: UnitKind, data: dict, kind_cell, mapping: ListMapping, fault) -> UnitInput | None:
    """The row as the register takes it: the kind's own facts guessed where the list is silent
    (a school's level from its name, a tổ dân phố's category), then the register's own checks."""
    if kind is UnitKind.GIAO_DUC and data.get("school_level") is None:
        data["school_level"] = school_level_in(data["name"])
        if data["school_level"] is None:
            level_column = mapping.column_of("school_level")
            if level_column is not None:
                fault(level_column, "chưa ghi cấp học của cơ sở giáo dục (Mầm non, Tiểu học, THCS, THPT…).")
            else:
                fault(mapping.column_of("name"), "không rõ cấp học của cơ sở giáo dục. Hãy thêm cột Cấp học "
                                                 "(Mầm non, Tiểu học, THCS, THPT…) hoặc ghi rõ cấp học trong tên.")
            return None
    if kind is UnitKind.KDC and not data.get("category"):
        data["category"] = kdc_category_of(kind_cell or "") or kdc_category_of(data["name"])
    try:
        return unit_service.prepare(UnitInput(kind=kind, **data))
    except UserError as error:  # the checks above leave the phone number to the register's own rule
        phone = _phone_fault(data.get("head_phone", ""))
        if phone is not None:
            fault(mapping.column_of("head_phone"), phone)
        else:
            fault(None, error.message)
        return None


def _phone_fault(phone: str) -> str | None:
    """What the register's rule says of a phone number, or None when it takes it."""
    try:
        unit_service.prepare(UnitInput(kind=UnitKind.KDC, name="?", head_phone=phone))
    except UserError as error:
        return error.message[0].lower() + error.message[1:]
    return None


def _kind_cell(raw, mapping: ListMapping) -> UnitKind:
    text = _cell_text(raw)
    kind = _read_kind(fold(text), mapping)
    if kind is None:
        raise _CellFault(f'không rõ loại đơn vị "{text}". Hãy chọn loại cho giá trị này ở bước ghép cột, '
                         "hoặc sửa thành Khu dân cư, Cơ quan, Doanh nghiệp hay Cơ sở giáo dục.")
    return kind


_LIMITS = {column.name: column.type.length for column in Unit.__table__.columns
           if getattr(column.type, "length", None)}


def _field_value(spec: UnitField, raw):
    if spec.type is FieldType.COUNT:
        return _count(raw)
    if spec.type is FieldType.FLAG:
        return _flag(spec.name, raw)
    if spec.type is FieldType.LEVEL:
        level = school_level_in(_cell_text(raw))
        if level is None:
            raise _CellFault(f'không rõ cấp học "{_cell_text(raw)}". Hãy ghi Nhà trẻ, Mầm non, Tiểu học, THCS, '
                             "THPT, Nhiều cấp học, Giáo dục nghề nghiệp hoặc Cao đẳng, đại học.")
        return level
    text = _phone_text(raw) if spec.name == "head_phone" else _cell_text(raw, paragraphs=spec.type is FieldType.NOTES)
    limit = _LIMITS.get(spec.name)
    if limit and len(text) > limit:
        raise _CellFault(f"nội dung dài {len(text)} ký tự, quá giới hạn {limit} ký tự của mục "
                         f"{spec.label.lower()}. Hãy viết gọn lại.")
    return text


def _phone_text(raw) -> str:
    """Excel keeps 0912 345 678 typed as a number as 912345678: the leading 0 is put back."""
    if isinstance(raw, int | float) and not isinstance(raw, bool) and float(raw).is_integer():
        digits = str(int(raw))
        return "0" + digits if len(digits) in (9, 10) and not digits.startswith("0") else digits
    return _cell_text(raw)


def _count(raw) -> int:
    if isinstance(raw, bool):
        raise _CellFault(f'cần một số, không phải "{raw}".')
    if isinstance(raw, int | float):
        number = raw
    else:
        text = re.sub(r"\s+", "", str(raw))
        if re.fullmatch(r"\d{1,3}([.,]\d{3})+", text):  # "1.250": a thousands separator
            text = re.sub(r"[.,]", "", text)
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            raise _CellFault(f'"{excel.text_value(raw)}" không phải là một số.') from None
    if not math.isfinite(number) or not float(number).is_integer() or not 0 <= number < 10**9:
        raise _CellFault(f'cần một số nguyên không âm, không phải "{excel.text_value(raw)}".')
    return int(number)


def _flag(name: str, raw) -> bool:
    if raw is True or raw is False:
        return raw
    value = flag_in(name, str(raw))
    if value is not None:
        return value
    raise _CellFault(f'không hiểu "{excel.text_value(raw)}": hãy ghi "x" hoặc "Có" nếu đúng, để trống hoặc '
                     '"Không" nếu không.')


def _firsts(candidates: list[_Candidate]) -> Iterator[tuple[_Candidate, int | None]]:
    """Each row with the row number where its kind and name first occurred (None: here first)."""
    first: dict[tuple, int] = {}
    for candidate in candidates:
        slot = (candidate.kind, candidate.key)
        if candidate.kind is None or not candidate.name:
            yield candidate, None
            continue
        yield candidate, first.get(slot)
        first.setdefault(slot, candidate.row)


@dataclass(frozen=True)
class _Registered:
    id: int
    version: int
    data: UnitInput


_INPUT_FIELDS = [spec.name for spec in fields(UnitInput)]


def _registered(session: Session, ward_id: int, keys: set[str]) -> dict[tuple[UnitKind, str], _Registered]:
    """The ward's active units whose folded name is one of ``keys``, by kind and folded name."""
    found = {}
    keys = sorted(keys)
    columns = [getattr(Unit, name) for name in _INPUT_FIELDS]
    for start in range(0, len(keys), _LOOKUP_CHUNK):
        rows = session.execute(select(Unit.id, Unit.version, Unit.name_key, *columns).where(
            Unit.ward_id == ward_id, Unit.status == UnitStatus.ACTIVE.value,
            Unit.name_key.in_(keys[start:start + _LOOKUP_CHUNK])))
        for unit_id, version, key, *values in rows:
            data = dict(zip(_INPUT_FIELDS, values, strict=True))
            data["kind"] = UnitKind(data["kind"])
            data["school_level"] = SchoolLevel(data["school_level"]) if data["school_level"] else None
            found[(data["kind"], key)] = _Registered(unit_id, version, UnitInput(**data))
    return found


def _previewed(candidate: _Candidate, registered: dict, first_seen: int | None) -> PreviewRow:
    base = {"row": candidate.row, "kind": candidate.kind, "name": candidate.name}
    if candidate.faults:
        note = " ".join(fault_text(fault) for fault in candidate.faults)
        return PreviewRow(**base, status=RowStatus.FAULT, note=note, faults=tuple(candidate.faults))
    if first_seen is not None:
        return PreviewRow(**base, status=RowStatus.REPEATED, note=f"Trùng tên với dòng {first_seen} trong tệp.")
    existing = registered.get((candidate.kind, candidate.key))
    if existing is None:
        return PreviewRow(**base, status=RowStatus.NEW, note="", unit=candidate.unit)
    updated, changes = _changes(existing.data, candidate.unit, candidate.given)
    note = f'Đã có "{existing.data.name}" trong danh sách đơn vị.'
    if changes:
        note += f" Danh sách ghi khác ở: {', '.join(label.lower() for label in changes)}."
    return PreviewRow(**base, status=RowStatus.EXISTING, note=note, unit=updated if changes else None,
                      existing_id=existing.id, existing_version=existing.version, changes=changes)


def _changes(existing: UnitInput, listed: UnitInput, given: frozenset[str]) -> tuple[UnitInput, tuple[str, ...]]:
    """The registered unit with the list's values where the list has one that differs (an empty
    cell never erases anything), and the labels of the fields that change."""
    changed = {}
    for spec in FIELDS:
        if spec.name in _NOT_UPDATED or spec.name not in given:
            continue
        value = getattr(listed, spec.name)
        if value in (None, "") or value == getattr(existing, spec.name):
            continue  # empty, or a fact the unit's kind does not have (dropped when the row was prepared)
        changed[spec.name] = value
    return replace(existing, **changed), tuple(FIELD_BY_NAME[name].label for name in changed)


def unit_facts(unit: UnitInput) -> str:
    """What a unit to be added holds besides its kind and name ("Địa chỉ: Khu A; Số hộ gia đình: 320.")."""
    facts = []
    for spec in FIELDS:
        value = getattr(unit, spec.name)
        if spec.name == "name" or value in (None, "", False):
            continue
        if spec.type is FieldType.FLAG:
            facts.append(spec.label)
        else:
            shown = value.label if isinstance(value, SchoolLevel) else (
                vntext.format_number(value) if isinstance(value, int) else value)
            facts.append(f"{spec.label}: {shown}")
    return "; ".join(facts) + "." if facts else ""


# ---- applying -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    existing_left: int  # already registered, left as they were
    repeated: int
    faulty: int


def apply_import(session: Session, ward_id: int, preview: Preview, actor: str, *,
                 update_existing: bool = False, skip_faulty: bool = False) -> ImportResult:
    """Add the preview's new units in one statement (audited), and, with ``update_existing``,
    write the list's values into the units already registered. A faulty row refuses the whole
    import unless ``skip_faulty``; any refusal leaves the register untouched (the caller's
    transaction rolls back)."""
    faulty = [row for row in preview.rows if row.status is RowStatus.FAULT]
    if faulty and not skip_faulty:
        faults = excel.Faults()
        for fault in preview.faults:
            faults.add(excel.Cell(fault.sheet, fault.row, fault.column, fault.header).error(fault.message))
        faults.refuse(preview.file_name or preview.sheet, "chưa nhập đơn vị nào")
    updates = preview.updatable if update_existing else []
    if not preview.new_units and not updates:
        raise UserError("Danh sách không có đơn vị mới nào để nhập: các đơn vị trong tệp đều đã có hoặc bị lỗi.")
    added = unit_service.insert_units(session, ward_id, preview.new_units, actor)
    for row in updates:
        unit_service.update_unit(session, row.existing_id, row.unit, actor, expected_version=row.existing_version)
    existing = preview.count(RowStatus.EXISTING)
    return ImportResult(added, len(updates), existing - len(updates), preview.count(RowStatus.REPEATED), len(faulty))


def describe(result: ImportResult) -> str:
    """The result in a sentence, for the window and the command line."""
    done = []
    if result.added or not result.updated:
        done.append(f"nhập {vntext.format_number(result.added)} đơn vị mới")
    if result.updated:
        done.append(f"cập nhật {vntext.format_number(result.updated)} đơn vị đã có")
    left = [(result.existing_left, "đơn vị đã có giữ nguyên"), (result.repeated, "dòng trùng trong tệp"),
            (result.faulty, "dòng lỗi")]
    skipped = [f"{vntext.format_number(count)} {words}" for count, words in left if count]
    return "Đã " + ", ".join(done) + (f"; bỏ qua {', '.join(skipped)}." if skipped else ".")

