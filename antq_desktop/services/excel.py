"""Reading and writing the Excel files officers exchange (openpyxl), with Vietnamese errors.

openpyxl reads and writes .xlsx without Excel or LibreOffice installed, which an office PC
without internet may lack; it is the well-kept standard for the format.

A user's workbook can be anything: another file type renamed, a truncated copy from a USB
stick, a header in row 3, formulas instead of values. Every reader here says what is wrong
and where ('Trang "Khu dân cư", dòng 7, cột C: …'), and never half-reads a sheet.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.services.output import write_atomically

# How far down a header row may be (titles above a table are common).
_HEADER_SEARCH_ROWS = 10


def open_workbook(path: str | Path):
    """The workbook's values (formulas as their last computed values), or a clear refusal."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp {path}.")
    if path.suffix.lower() not in (".xlsx", ".xlsm"):
        raise UserError(f"Tệp {path.name} không phải tệp Excel .xlsx. Nếu là tệp .xls cũ, hãy mở bằng Excel "
                        "hoặc LibreOffice rồi lưu lại dạng .xlsx.")
    try:
        return load_workbook(path, data_only=True, read_only=False)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError) as error:
        raise UserError(f"Không đọc được tệp {path.name}: tệp bị hỏng, chưa chép hết hoặc không phải tệp Excel "
                        f"({type(error).__name__}). Hãy mở thử bằng Excel rồi lưu lại.") from None


@dataclass(frozen=True)
class Cell:
    """Where a value came from, for the error messages."""

    sheet: str
    row: int
    column: int

    @property
    def place(self) -> str:
        return f'Trang "{self.sheet}", dòng {self.row}, cột {get_column_letter(self.column)}'

    def error(self, message: str) -> UserError:
        return UserError(f"{self.place}: {message}")


def find_header(sheet: Worksheet, wanted: dict[str, Sequence[str]],
                required: Iterable[str]) -> tuple[int, dict[str, int]]:
    """(header row, {field: column}) from the Vietnamese names of ``wanted`` (any case, with or
    without diacritics); a refusal naming the missing columns when no row has them all."""
    names = {vntext.search_key(name): field for field, spellings in wanted.items() for name in spellings}
    required = list(required)
    for row_number, row in enumerate(sheet.iter_rows(max_row=_HEADER_SEARCH_ROWS, values_only=True), start=1):
        columns: dict[str, int] = {}
        for column, value in enumerate(row, start=1):
            field = names.get(vntext.search_key(str(value))) if value is not None else None
            if field and field not in columns:
                columns[field] = column
        if all(field in columns for field in required):
            return row_number, columns
    expected = ", ".join(f'"{wanted[field][0]}"' for field in required)
    raise UserError(f'Trang "{sheet.title}": không thấy dòng tiêu đề có các cột {expected} '
                    f"trong {_HEADER_SEARCH_ROWS} dòng đầu.")


def data_rows(sheet: Worksheet, header_row: int, columns: dict[str, int]) -> Iterator[tuple[int, dict]]:
    """(row number, {field: value}) under the header, skipping fully empty rows."""
    for row_number, row in enumerate(sheet.iter_rows(min_row=header_row + 1, values_only=True),
                                     start=header_row + 1):
        values = {field: (row[column - 1] if column - 1 < len(row) else None) for field, column in columns.items()}
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values.values()):
            continue
        yield row_number, values


def text_value(value) -> str:
    """A cell as clean text (numbers as written: 1 not 1.0)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return vntext.clean(str(value))


def number_value(cell: Cell, value, label: str) -> Decimal | None:
    """A cell as an exact number (None when empty); "7,5" typed as text is read too."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise cell.error(f'{label} phải là một số, không phải "{value}".')
    if isinstance(value, int | float):
        return Decimal(str(value))
    try:
        return Decimal(str(value).strip().replace(" ", "").replace(",", "."))
    except InvalidOperation:
        raise cell.error(f'{label} "{value}" không phải là một số.') from None


# ---- writing ----------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")


def write_table(sheet: Worksheet, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int]) -> None:
    """A header row (bold, shaded, frozen) and the rows, with the given column widths."""
    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font, cell.fill = _HEADER_FONT, _HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for row in rows:
        sheet.append(list(row))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def save_workbook(workbook: Workbook, path: str | Path) -> None:
    buffer = io.BytesIO()  # openpyxl wants a name or a seekable file; the bytes go in at once
    workbook.save(buffer)
    write_atomically(path, lambda handle: handle.write(buffer.getvalue()))
