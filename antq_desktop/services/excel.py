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
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
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


def open_workbook(path: str | Path) -> Workbook:
    """The workbook's values (formulas as their last computed values), or a clear refusal."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f'Không tìm thấy tệp "{path}".')
    if path.suffix.lower() not in EXCEL_SUFFIXES:
        raise UserError(f'Tệp "{path.name}" không phải tệp Excel .xlsx. Nếu là tệp .xls cũ hay tệp khác, hãy mở '
                        'bằng Excel hoặc LibreOffice rồi lưu lại dạng "Sổ làm việc Excel (*.xlsx)".')
    import openpyxl
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        with warnings.catch_warnings():
            # Styles, data validation, drawings… that openpyxl skips: the values are still read.
            warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
            return openpyxl.load_workbook(path, data_only=True, read_only=False)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, TypeError, EOFError) as error:
        raise UserError(f'Không đọc được tệp "{path.name}": tệp bị hỏng, chưa chép hết hoặc không phải tệp Excel '
                        f"({type(error).__name__}). Hãy mở thử bằng Excel rồi lưu lại.") from None
    except OSError as error:  # after BadZipFile's kin: locked, or a USB stick pulled out
        raise UserError(f'Không mở được tệp "{path.name}" ({error.strerror or error}). '
                        "Nếu tệp đang mở trong Excel, hãy đóng lại rồi thử lại.") from None


@dataclass(frozen=True)
class Cell:
    """Where a value came from, for the error messages."""

    sheet: str
    row: int
    column: int

    @property
    def place(self) -> str:
        return f'Trang "{self.sheet}", dòng {self.row}, cột {column_letter(self.column)}'

    def error(self, message: str) -> UserError:
        return UserError(f"{self.place}: {message}")


def cell_at(sheet: Worksheet, row: int, columns: dict[str, int]) -> Callable[[str], Cell]:
    """The cell of a field on a row, for its errors: ``cell_at(sheet, 7, columns)("code").error(…)``."""
    return lambda field: Cell(sheet.title, row, columns[field])


class Faults:
    """The faults of a whole workbook, so the user fixes the file in one go rather than one
    refusal at a time. Nothing may be written while any is held."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, error: UserError) -> None:
        self.messages.append(error.message)

    @contextmanager
    def collected(self) -> Iterator[None]:
        """Run the block; a UserError it raises is noted and the reading goes on after it."""
        try:
            yield
        except UserError as error:
            self.add(error)

    def refuse(self, path: str | Path, nothing_done: str) -> None:
        """Raise one UserError naming the faults, if any: one fault as it is, several as a list
        ('Tệp "x.xlsx" có 3 lỗi nên {nothing_done}:' and a line each, up to 15)."""
        if len(self.messages) == 1:
            raise UserError(self.messages[0])
        if self.messages:
            shown = "\n".join(f"• {message}" for message in self.messages[:_FAULTS_SHOWN])
            hidden = len(self.messages) - _FAULTS_SHOWN
            more = f"\n… và {hidden} lỗi khác." if hidden > 0 else ""
            raise UserError(f'Tệp "{Path(path).name}" có {len(self.messages)} lỗi nên {nothing_done}:\n'
                            f"{shown}{more}\nHãy sửa tệp rồi nhập lại.")


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
    for row_number, row in enumerate(sheet.iter_rows(max_row=HEADER_SEARCH_ROWS, values_only=True), start=1):
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
