"""Reading and writing the Excel files officers exchange (openpyxl), with Vietnamese errors.

openpyxl reads and writes .xlsx without Excel or LibreOffice installed, which an office PC
without internet may lack; it is the well-kept standard for the format.

A user's workbook can be anything: another file type renamed, a truncated copy from a USB
stick, a header in row 3, formulas instead of values, a group typed once in merged cells.
Every reader here says what is wrong and where ('Trang "Khu dân cư", dòng 7, cột C: …'),
names all the faulty rows at once (:class:`Faults`), and never half-reads a sheet.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # openpyxl costs 0.1 s to import: only when a file is read or written
    from openpyxl import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.services.output import write_atomically

EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")  # what openpyxl reads
HEADER_SEARCH_ROWS = 20  # how far down a header row may be (a province's title block is long)
PREFIX = "…"  # a header spelling ending so matches every header that starts with it ("Nhóm…")
_FAULTS_SHOWN = 15


def open_workbook(path: str | Path, *, read_only: bool = False, formulas: bool = False) -> Workbook:
    """The workbook's values (formulas as their last computed values), or a clear refusal.

    ``read_only`` streams the rows (a large file reads several times faster; close it after,
    or use :func:`reading`); ``formulas`` gives a formula cell its formula ("=B2*2") instead of
    its value, so that a reader can refuse it (:func:`cell_rows`)."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f'Không tìm thấy tệp "{path}".')
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise UserError(f'Tệp "{path.name}" không phải tệp Excel .xlsx. Nếu là tệp .xls cũ hay tệp khác, hãy mở '
                        'bằng Excel hoặc LibreOffice rồi lưu lại dạng "Sổ làm việc Excel (*.xlsx)".')
    import openpyxl

    # Read-only, openpyxl keeps the file open to stream the sheets: hand it a file this module
    # opened, so that :func:`reading` closes it for sure (a sheet found damaged half-way leaves
    # openpyxl's own handle to the garbage collector).
    source = path
    try:
        if read_only:
            source = open(path, "rb")  # noqa: SIM115 - closed by reading(), or below on a refusal
        with warnings.catch_warnings():
            # Styles, data validation, drawings… that openpyxl skips: the values are still read.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            workbook = openpyxl.load_workbook(source, data_only=not formulas, read_only=read_only)
    except _broken_kinds() as error:
        _close(source)
        raise damaged_file(path, error) from None
    except OSError as error:  # after BadZipFile's kin: locked, or a USB stick pulled out
        _close(source)
        raise UserError(f'Không mở được tệp "{path.name}" ({error.strerror or error}). '
                        "Nếu tệp đang mở trong Excel, hãy đóng lại rồi thử lại.") from None
    workbook._antq_source = source
    return workbook


def _close(source) -> None:
    if hasattr(source, "close"):
        source.close()


def _broken_kinds() -> tuple[type[BaseException], ...]:
    """What openpyxl raises on a damaged file (asked only when something was raised: importing
    openpyxl costs start-up time)."""
    from xml.etree.ElementTree import ParseError

    from openpyxl.utils.exceptions import InvalidFileException

    return (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, EOFError, ParseError,
            zlib.error)


def damaged_file(path: str | Path, error: BaseException) -> UserError:
    """The refusal of a file that is damaged, cut short or not an Excel file at all."""
    return UserError(f'Không đọc được tệp "{Path(path).name}": tệp bị hỏng, chưa chép hết hoặc không phải tệp Excel '
                     f"({type(error).__name__}). Hãy mở thử bằng Excel rồi lưu lại.")


class _DamagedPart(Exception):
    """A sheet's rows could not be read: raised by :func:`sheet_rows`, refused by :func:`reading`."""


@contextmanager
def reading(path: str | Path, *, formulas: bool = False) -> Iterator[Workbook]:
    """A read-only workbook, closed after the block. A read-only workbook reads a sheet only
    when its rows are asked for, so a damaged sheet shows up inside the block (through
    :func:`sheet_rows`): it is refused there as :func:`open_workbook` refuses a damaged file."""
    workbook = open_workbook(path, read_only=True, formulas=formulas)
    try:
        yield workbook
    except _DamagedPart as damaged:
        raise damaged_file(path, damaged.__cause__) from None
    finally:
        workbook.close()
        _close(workbook._antq_source)


def sheet_rows(sheet: Worksheet, **options) -> Iterator[tuple]:
    """``sheet.iter_rows(**options)``; a damaged sheet of a :func:`reading` workbook is refused
    as a damaged file (only what openpyxl raises while reading is: a bug of ours stays a bug)."""
    rows = sheet.iter_rows(**options)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except _broken_kinds() as error:
            raise _DamagedPart() from error
        yield row


@dataclass(frozen=True)
class Cell:
    """Where a value came from, for the error messages. ``column`` 0 is the whole row; a
    ``header`` names the column after its letter ('cột C (Ngày đăng ký)')."""

    sheet: str
    row: int
    column: int
    header: str = ""

    @property
    def place(self) -> str:
        if not self.row:
            return f'Trang "{self.sheet}"'
        if not self.column:
            return f'Trang "{self.sheet}", dòng {self.row}'
        named = f" ({self.header})" if self.header else ""
        return f'Trang "{self.sheet}", dòng {self.row}, cột {column_letter(self.column)}{named}'

    def error(self, message: str) -> CellError:
        return CellError(self, message)


class CellError(UserError):
    """A UserError about one cell (or row): the message names the place, and the parts stay
    apart for a list shown as a table (sheet, row, column, what is wrong)."""

    def __init__(self, cell: Cell, detail: str):
        super().__init__(f"{cell.place}: {detail}")
        self.cell = cell
        self.detail = detail


@dataclass(frozen=True)
class Fault:
    """One fault of a file: where (``sheet`` "" for the file as a whole, ``row``/``column`` 0
    when not about one) and what is wrong, in Vietnamese."""

    sheet: str
    row: int
    column: int
    header: str
    message: str

    @property
    def column_name(self) -> str:
        """"C (Ngày đăng ký)", or "" for a whole row."""
        if not self.column:
            return ""
        return f"{column_letter(self.column)} ({self.header})" if self.header else column_letter(self.column)

    @property
    def line(self) -> str:
        """The fault as one line of text: 'Trang "X", dòng 7, cột C (…): …'."""
        if not self.sheet:
            return self.message
        return f"{Cell(self.sheet, self.row, self.column, self.header).place}: {self.message}"


def cell_at(sheet: Worksheet, row: int, columns: dict[str, int],
            headers: dict[str, str] | None = None) -> Callable[[str], Cell]:
    """The cell of a field on a row, for its errors: ``cell_at(sheet, 7, columns)("code").error(…)``;
    ``headers`` ({field: header}) names the columns in the messages."""
    headers = headers or {}
    return lambda field: Cell(sheet.title, row, columns[field], headers.get(field, ""))


class FaultsError(UserError):
    """The refusal of a file with faults: the message lists the first ones, ``faults`` holds all."""

    def __init__(self, message: str, faults: list[Fault]):
        super().__init__(message)
        self.faults = faults


class Faults:
    """The faults of a whole workbook, so the user fixes the file in one go rather than one
    refusal at a time. Nothing may be written while any is held."""

    def __init__(self) -> None:
        self.entries: list[Fault] = []

    @property
    def messages(self) -> list[str]:
        return [fault.line for fault in self.entries]

    def __len__(self) -> int:
        return len(self.entries)

    def add(self, error: UserError) -> None:
        if isinstance(error, CellError):
            cell = error.cell
            self.entries.append(Fault(cell.sheet, cell.row, cell.column, cell.header, error.detail))
        else:
            self.entries.append(Fault("", 0, 0, "", error.message))

    @contextmanager
    def collected(self) -> Iterator[None]:
        """Run the block; a UserError it raises is noted and the reading goes on after it."""
        try:
            yield
        except UserError as error:
            self.add(error)

    def refuse(self, path: str | Path, nothing_done: str) -> None:
        """Raise one :class:`FaultsError` naming the faults, if any: one fault as it is, several
        as a list ('Tệp "x.xlsx" có 3 lỗi nên {nothing_done}:' and a line each, up to 15)."""
        messages = self.messages
        if len(messages) == 1:
            raise FaultsError(messages[0], list(self.entries))
        if messages:
            shown = "\n".join(f"• {message}" for message in messages[:_FAULTS_SHOWN])
            hidden = len(messages) - _FAULTS_SHOWN
            count, more = vntext.format_number(len(messages)), ""  # a count: "1.250 lỗi"
            if hidden > 0:
                more = f"\n… và {vntext.format_number(hidden)} lỗi khác."
            raise FaultsError(f'Tệp "{Path(path).name}" có {count} lỗi nên {nothing_done}:\n'
                              f"{shown}{more}\nHãy sửa tệp rồi nhập lại.", list(self.entries))


# ---- reading a table ----------------------------------------------------------------------------

def _header_key(text) -> str:
    """A header as compared: no case, tones, trailing ".:*" or spaces around "/" ("Mã / TT")."""
    return re.sub(r"\s*/\s*", "/", vntext.search_key(str(text))).strip(" .:*")


def locate_header(sheet: Worksheet, wanted: dict[str, Sequence[str]],
               required: Iterable[str]) -> tuple[int, dict[str, int]] | None:
    """(header row, {field: column}) from the Vietnamese names of ``wanted`` (any case, with or
    without diacritics; a name ending in "…" is a prefix), or None when no row has all ``required``."""
    exact = {_header_key(name): field for field, names in wanted.items() for name in names
             if not name.endswith(PREFIX)}
    prefixes = [(_header_key(name.removesuffix(PREFIX)), field) for field, names in wanted.items() for name in names
                if name.endswith(PREFIX)]

    def field_of(value) -> str | None:
        if value is None:
            return None
        key = _header_key(value)
        return exact.get(key) or next((field for prefix, field in prefixes if key.startswith(prefix)), None)

    required = list(required)
    for row_number, row in enumerate(sheet_rows(sheet, max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
        columns: dict[str, int] = {}
        for column, value in enumerate(row, start=1):
            field = field_of(value)
            if field and field not in columns:
                columns[field] = column
        if all(field in columns for field in required):
            return row_number, columns
    return None


def find_header(sheet: Worksheet, wanted: dict[str, Sequence[str]],
                required: Iterable[str]) -> tuple[int, dict[str, int]]:
    """:func:`locate_header`, or a refusal naming the missing columns."""
    required = list(required)
    found = locate_header(sheet, wanted, required)
    if found is None:
        expected = ", ".join(f'"{wanted[field][0].removesuffix(PREFIX)}"' for field in required)
        raise UserError(f'Trang "{sheet.title}": không thấy dòng tiêu đề có các cột {expected} '
                        f"trong {HEADER_SEARCH_ROWS} dòng đầu.")
    return found


def find_table(workbook: Workbook, wanted: dict[str, Sequence[str]],
               required: Iterable[str]) -> tuple[Worksheet, int, dict[str, int]] | None:
    """The first sheet with the header (the active one first), its header row and columns."""
    required = list(required)
    sheets = [workbook.active] + [sheet for sheet in workbook.worksheets if sheet is not workbook.active]
    for sheet in sheets:
        found = locate_header(sheet, wanted, required)
        if found is not None:
            return sheet, *found
    return None


def data_rows(sheet: Worksheet, header_row: int, columns: dict[str, int],
              merged: Iterable[str] = ()) -> Iterator[tuple[int, dict]]:
    """(row number, {field: value}) under the header, skipping the rows with none of the fields.
    The ``merged`` fields take the value of the merged range a cell lies in (a group typed once
    for many rows); a row is empty or not by its own cells."""
    merged = [field for field in merged if field in columns]
    for row_number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True),
                                     start=header_row + 1):
        values = {field: (row[column - 1] if column - 1 < len(row) else None) for field, column in columns.items()}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values.values()):
            continue
        for field in merged:
            if values[field] is None:
                values[field] = merged_value(sheet, row_number, columns[field])
        yield row_number, values


def merged_value(sheet: Worksheet, row: int, column: int):
    """The value of the merged range holding a cell (only its first cell has it), or the cell's own."""
    for cells in sheet.merged_cells.ranges:
        if cells.min_row <= row <= cells.max_row and cells.min_col <= column <= cells.max_col:
            return sheet.cell(cells.min_row, cells.min_col).value
    return sheet.cell(row, column).value


def text_value(value, paragraphs: bool = False) -> str:
    """A cell as clean text (numbers as written: 1 not 1.0); ``paragraphs`` keeps its line breaks."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return (vntext.clean_paragraphs if paragraphs else vntext.clean)(str(value))


def number_value(cell: Cell, value, label: str) -> Decimal | None:
    """A cell as an exact number (None when empty); "7,5" typed as text is read too."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise cell.error(f'{label} phải là một số, không phải "{value}".')
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        try:
            number = Decimal(str(value).strip().replace(" ", "").replace(",", "."))
        except InvalidOperation:
            raise cell.error(f'{label} "{value}" không phải là một số.') from None
    if not number.is_finite():  # "NaN", "inf" (a file written by another program)
        raise cell.error(f'{label} "{value}" không phải là một số.')
    return number


_THOUSANDS = re.compile(r"-?\d{1,3}(?:\.\d{3})+")


def whole_value(cell: Cell, value, label: str, minimum: int | None = None, maximum: int | None = None,
                grouped: bool = True) -> int | None:
    """A cell as a whole number (None when empty), inside ``minimum``..``maximum`` when given;
    "1.200" typed as text is one thousand two hundred, the Vietnamese way. The refusal writes a
    quantity with its thousands dot ("từ 0 đến 10.000.000"); ``grouped`` False is for a number
    that names rather than counts, a year or a code ("từ 1900 đến 2100")."""
    if isinstance(value, str) and _THOUSANDS.fullmatch(value.strip()):
        value = value.replace(".", "")
    number = number_value(cell, value, label)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise cell.error(f'{label} phải là số nguyên, không phải "{text_value(value)}".')
    whole = int(number)
    if (minimum is not None and whole < minimum) or (maximum is not None and whole > maximum):
        shown = vntext.format_number if grouped else str
        low = "" if minimum is None else f"từ {shown(minimum)} "
        high = "" if maximum is None else f"đến {shown(maximum)}"
        raise cell.error(f"{label} phải {low}{high}".rstrip() + f" (đã ghi {shown(whole)}).")
    return whole


_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
_YEAR_MONTH_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?")
DATE_HINT = "hãy ghi theo dạng ngày/tháng/năm, ví dụ 05/03/2026"
_EXCEL_DAYS = (1, 2958465)  # the day numbers Excel can show as a date (1900 to 9999)


def date_value(cell: Cell, value, label: str) -> date | None:
    """A cell as a day (None when empty): a date cell, "05/03/2026" typed as text, or a date
    whose format was lost on the way (Excel's day number)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool) and _EXCEL_DAYS[0] <= value <= _EXCEL_DAYS[1]:
        from openpyxl.utils.datetime import from_excel

        return from_excel(int(value)).date()
    text = str(value).strip()
    found = _DAY_MONTH_YEAR.fullmatch(text)
    parts = (found.group(3), found.group(2), found.group(1)) if found else None
    if parts is None and (found := _YEAR_MONTH_DAY.fullmatch(text)):
        parts = found.groups()
    if parts is None:
        raise cell.error(f'{label} "{text_value(value)}" không phải là một ngày: {DATE_HINT}.')
    try:
        return date(*(int(part) for part in parts))
    except ValueError:
        raise cell.error(f'{label} "{text}" không có trên lịch (ngày hoặc tháng sai).') from None


def time_text(value) -> str:
    """A time cell as "HH:MM" (Excel turns a typed "08:30" into a time); text as it is."""
    if isinstance(value, datetime):
        value = value.time()
    if isinstance(value, time):
        return f"{value.hour:02d}:{value.minute:02d}"
    if isinstance(value, float) and 0 <= value < 1:  # a time whose format was lost: a fraction of a day
        minutes = round(value * 24 * 60)
        return f"{minutes // 60:02d}:{minutes % 60:02d}"
    return text_value(value)


class Choices:
    """A fixed list a cell picks from (the dropdown of an exported sheet): codes and the labels
    shown for them; a label is recognised in any case, with or without diacritics."""

    def __init__(self, pairs: Iterable[tuple[object, str]], aliases: Iterable[tuple[str, object]] = ()):
        self.labels: dict[object, str] = dict(pairs)
        self._codes: dict[str, object] = {}
        for code, label in [*self.labels.items(), *((code, alias) for alias, code in aliases)]:
            self._codes.setdefault(vntext.search_key(label), code)

    def label(self, code) -> str:
        return "" if code is None else self.labels[code]

    def code(self, cell: Cell, value, label: str):
        """The code of the label the cell holds (None when empty), or a refusal listing the labels."""
        text = text_value(value)
        if not text:
            return None
        code = self._codes.get(vntext.search_key(text), _NO_CHOICE)
        if code is _NO_CHOICE:
            listed = list(self.labels.values())
            shown = ", ".join(f'"{name}"' for name in listed[:8]) + (", …" if len(listed) > 8 else "")
            raise cell.error(f'{label} "{text}" không có trong danh sách. Hãy chọn trong danh sách thả xuống '
                             f"({shown}).")
        return code


_NO_CHOICE = object()
YES_NO = Choices([(True, "Có"), (False, "Không")],
                 aliases=[("x", True), ("1", True), ("true", True), ("đúng", True), ("0", False),
                          ("false", False), ("sai", False)])
FORMULA_FAULT = ('ô có công thức, hãy dán giá trị (chép ô, rồi "Dán đặc biệt" → "Chỉ giá trị") thay cho '
                 "công thức.")


def cell_rows(sheet: Worksheet, header_row: int, columns: dict[str, int], faults: Faults,
              headers: dict[str, str] | None = None) -> Iterator[tuple[int, dict]]:
    """(row number, {field: value}) under the header of a sheet read with ``formulas``
    (:func:`reading`), skipping the rows with none of the fields. A formula in a field's cell is
    a fault, and its row is left out: the value the file holds for it is whatever the program
    that saved it last computed, and an edit elsewhere changes it silently."""
    headers = headers or {}
    last = max(columns.values())
    for row_number, row in enumerate(sheet_rows(sheet, min_row=header_row + 1, max_col=last),
                                     start=header_row + 1):
        values, formula = {}, False
        for field, column in columns.items():
            found = row[column - 1] if column - 1 < len(row) else None
            value = None if found is None else found.value
            if found is not None and found.data_type == "f":
                faults.add(Cell(sheet.title, row_number, column, headers.get(field, "")).error(FORMULA_FAULT))
                formula = True
            values[field] = value
        if formula or all(value is None or (isinstance(value, str) and not value.strip())
                          for value in values.values()):
            continue
        yield row_number, values


# ---- writing ----------------------------------------------------------------------------------


def column_letter(column: int) -> str:
    """1 -> A, 27 -> AA, as Excel names columns."""
    letters = ""
    while column:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def write_table(sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> None:
    """A header row (bold, shaded, frozen) and the rows, with the given column widths."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(list(row))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def save_workbook(workbook: Workbook, path: str | Path) -> None:
    buffer = io.BytesIO()  # openpyxl wants a name or a seekable file; the bytes go in at once
    workbook.save(buffer)
    write_atomically(path, lambda handle: handle.write(buffer.getvalue()))
