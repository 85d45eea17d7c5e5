"""The year-end workbook (bảng tổng hợp cuối năm): a year of the ward in one .xlsx that the
officers fill in Excel or LibreOffice Calc, and read back.

**Export** (:func:`export_year`): a "Thông tin" sheet naming the ward and the year (with the
ward's uid, checked on import) and how to fill the file, then a sheet per area
(services/workbook_sheets.py: units, registrations, criteria results, scores, inspections,
forces, ratings, activities). On each: Vietnamese headers in a frozen first row, the identifying
columns grey and locked (sheet protection without a password: the import checks them anyway),
the cells to fill white and unlocked, dropdowns for the fixed values (from the hidden "Danh mục"
sheet), and where adding makes sense 300 empty unlocked rows below the data.

**Import**: :func:`read_workbook` reads and checks everything before anything is written and
returns a :class:`WorkbookPlan` (per sheet the rows added, changed with each field old → new,
unchanged); a single fault refuses the whole file with every fault listed (sheet, row, column,
what is wrong: :class:`excel.FaultsError`). :func:`apply` then writes the plan in the caller's
transaction through the services (their checks, derived columns, stage derivations and audit
entries); a refusal there is a fault too and the caller's transaction rolls everything back.
Values are compared as the services store them, so the same file imported twice changes nothing
the second time. A row removed from a sheet is not deleted from the data.

**Never a silent overwrite by a stale copy.** Each row of a record carries, in a hidden locked
last column, a mark of the record as exported: its version (Tracked.version) and a short digest
of the values the sheet shows of it (:class:`_Marks`). On import, a row whose values are still
those of the export says nothing: it is left alone, whatever the record holds now (a second copy
of the file, edited elsewhere, keeps the program's newer values). A row typed on, whose record
was changed since the export (in the program, or by importing another copy), is a fault: the
officer exports a fresh workbook and types the change there. A row without a version of its own
(a criterion point, a score item) is judged by its values: changed since means the data no
longer holds what the file was exported with. Rows typed below the data have no mark and match
as before (by their natural key).

Only an account that may write imports (:func:`check_may_import`, asked before the file is read
and again before it is written): a "chỉ xem" account is told once, not refused row by row.
"""

from __future__ import annotations

import copy
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session

from antq_desktop import __version__, identity
from antq_desktop.db.models import AppUser, Ward
from antq_desktop.domain import classification as score_rules
from antq_desktop.domain import vntext
from antq_desktop.domain.roles import Role as AccountRole
from antq_desktop.domain.ward import ProvinceKind
from antq_desktop.errors import UserError
from antq_desktop.services import accounts, excel
from antq_desktop.services.antt import check_year
from antq_desktop.services.excel import Cell, CellError
from antq_desktop.services.workbook_sheets import (
    APPLY_ORDER,
    AREAS,
    CHOICE,
    DATE,
    DECIMAL,
    PARAGRAPHS,
    TEXT,
    TIME,
    WHOLE,
    YES_NO_LIST,
    YES_OR_NO,
    Area,
    Column,
    Context,
    Current,
    FieldChange,
    Role,
    RowOp,
)

Progress = Callable[[int, int], bool]

FORMAT_VERSION = 2  # 2: every row of a record carries its mark (version and digest) in the last column
INFO_TITLE = "Thông tin"
LISTS_TITLE = "Danh mục"
SPARE_ROWS = 300
NOTHING_WRITTEN = "chưa ghi gì vào dữ liệu"
DELETED_ROWS_NOTE = "Các dòng đã xoá khỏi bảng tính không bị xoá khỏi dữ liệu của chương trình."
_UID_LABEL, _YEAR_LABEL, _WARD_LABEL, _FORMAT_LABEL = "Mã dữ liệu (không sửa)", "Năm", "Xã, phường", "Mẫu số"
STAMP_HEADER = "Phiên bản (không sửa)"
CHANGED_SINCE = ("bản ghi của dòng này đã được sửa trong chương trình (hoặc bởi lần nhập một bảng tổng hợp khác) "
                 "sau khi xuất tệp này, nên chương trình không ghi đè lên. Hãy xuất bảng tổng hợp mới từ chương "
                 "trình rồi ghi lại thay đổi của dòng này vào tệp mới.")
NO_STAMP = (f'dòng này thiếu dấu phiên bản (cột ẩn "{STAMP_HEADER}" ở cuối trang) nên không biết bản ghi có bị '
            "sửa sau khi xuất tệp hay không. Hãy xuất bảng tổng hợp mới từ chương trình rồi ghi lại thay đổi "
            "của dòng này vào tệp mới.")
_SHOWN_MAX = 80
_FAULTS_MAX = 100  # refusals while writing: past these, writing stops (everything is rolled back anyway)
_LIST_TITLES = {"unit_kinds": "Loại đơn vị", "school_levels": "Cấp học", "met": "Kết quả", "yes_no": "Có/Không",
                "inspection_kinds": "Hình thức kiểm tra", "force_kinds": "Lực lượng", "genders": "Giới tính",
                "force_levels": "Mức đánh giá", "activity_kinds": "Hình thức tuyên truyền", "units": "Đơn vị",
                "organisers": "Đơn vị tổ chức"}


class Cancelled(UserError):
    """The user pressed "Huỷ": nothing was written."""


# ---- what an import would do -------------------------------------------------------------------------

@dataclass(frozen=True)
class SheetPlan:
    """One sheet's part of an import: the rows to write, how many stay as they are (``newer`` of
    them untouched in the file while the program changed them since the export: the program's
    values stay), and how many rows of the data the sheet no longer has (they are kept)."""

    title: str
    ops: tuple[RowOp, ...] = ()
    unchanged: int = 0
    not_in_file: int = 0
    columns: tuple[tuple[str, int], ...] = ()  # (field, column number) as the file has them
    newer: int = 0

    @property
    def added(self) -> int:
        return sum(op.added for op in self.ops)

    @property
    def changed(self) -> int:
        return len(self.ops) - self.added

    @property
    def summary(self) -> str:
        """"Đơn vị: thêm 2, sửa 5, giữ nguyên 61"."""
        text = (f"{self.title}: thêm {_count(self.added)}, sửa {_count(self.changed)}, "
                f"giữ nguyên {_count(self.unchanged)}")
        if self.newer:
            text += f" ({_count(self.newer)} {_NEWER})"
        if self.not_in_file:
            text += f" ({_count(self.not_in_file)} dòng có trong dữ liệu nhưng không có trong tệp: giữ nguyên)"
        return text


_NEWER = "dòng đã được sửa trong chương trình sau khi xuất tệp: giữ như trong chương trình"


def _count(number: int) -> str:
    """A count of rows, with the thousands dot ("10.062"); row numbers, years and codes have none."""
    return vntext.format_number(number)


@dataclass(frozen=True)
class WorkbookPlan:
    file_name: str
    ward_id: int
    ward_name: str
    year: int
    sheets: tuple[SheetPlan, ...]

    @property
    def added(self) -> int:
        return sum(sheet.added for sheet in self.sheets)

    @property
    def changed(self) -> int:
        return sum(sheet.changed for sheet in self.sheets)

    @property
    def unchanged(self) -> int:
        return sum(sheet.unchanged for sheet in self.sheets)

    @property
    def newer(self) -> int:
        return sum(sheet.newer for sheet in self.sheets)

    @property
    def has_changes(self) -> bool:
        return any(sheet.ops for sheet in self.sheets)

    def summary_lines(self) -> list[str]:
        """The preview's head: the file, each sheet's counts, and what happens to deleted rows."""
        head = (f'Bảng tổng hợp năm {self.year} của {self.ward_name} ("{self.file_name}"): '
                f"thêm {_count(self.added)}, sửa {_count(self.changed)}, giữ nguyên {_count(self.unchanged)} dòng.")
        if not self.has_changes:
            head += " Không có gì thay đổi so với dữ liệu."
        if self.newer:
            head += (f" {_count(self.newer)} dòng không sửa trong tệp đã được sửa trong chương trình sau khi xuất "
                     "tệp: giữ như trong chương trình.")
        return [head, *(sheet.summary for sheet in self.sheets), DELETED_ROWS_NOTE]

    def change_lines(self) -> list[str]:
        """Every row to write: 'Đơn vị, dòng 5 ("Tổ dân phố 3"): Điện thoại: "…" → "…"'."""
        lines = []
        for sheet in self.sheets:
            for op in sheet.ops:
                verb = "thêm" if op.added else "sửa"
                edits = "; ".join(f"{change.header}: {change.old} → {change.new}" if op.key is not None
                                  else f"{change.header}: {change.new}" for change in op.changes)
                lines.append(f'{sheet.title}, dòng {op.row} ({verb} "{op.label}"): {edits}')
        return lines


@dataclass(frozen=True)
class Applied:
    year: int
    added: int
    changed: int

    @property
    def summary(self) -> str:
        if not self.added and not self.changed:
            return f"Bảng tổng hợp năm {self.year}: không có gì thay đổi, dữ liệu giữ nguyên."
        return (f"Đã ghi bảng tổng hợp năm {self.year}: thêm {_count(self.added)} dòng, "
                f"sửa {_count(self.changed)} dòng.")


@dataclass(frozen=True)
class Exported:
    path: Path
    year: int
    rows: tuple[tuple[str, int], ...]  # (sheet, data rows)

    @property
    def summary(self) -> str:
        counts = ", ".join(f"{title} {_count(count)}" for title, count in self.rows)
        return f"Đã xuất bảng tổng hợp năm {self.year} vào {self.path} ({counts} dòng)."


class _Ticker:
    """Calls ``progress`` now and then (every 200 steps); its False cancels."""

    def __init__(self, progress: Progress | None, total: int = 0):
        self.progress, self.total, self.done, self._last = progress, total, 0, 0

    def step(self, count: int = 1) -> None:
        self.done = min(self.done + count, self.total) if self.total else self.done + count
        if self.progress is not None and (self.done - self._last >= 200 or self.done == self.total):
            self._last = self.done
            if self.progress(self.done, max(self.total, self.done)) is False:
                raise Cancelled("Đã huỷ; chưa ghi gì.")


# ---- who may import --------------------------------------------------------------------------------

def check_may_import(session: Session) -> None:
    """Importing writes records of many kinds: once the file has accounts, only an active
    account that may enter data (a cán bộ or an administrator) does it. Asked before the file is
    read, so a "chỉ xem" account is told once, in plain words, instead of the database layer
    refusing every row of the file."""
    if not accounts.has_accounts(session):
        return
    user = identity.signed_in()
    row = session.get(AppUser, user.user_id) if user is not None else None
    if row is None or row.username != user.username:
        raise UserError("Hãy đăng nhập trước khi nhập bảng tổng hợp: tệp dữ liệu này có tài khoản người dùng, nên "
                        "mỗi thay đổi phải biết ai đã làm. Dữ liệu chưa bị thay đổi.")
    if not row.active:
        raise UserError(f"Tài khoản \u201c{row.username}\u201d đã ngừng sử dụng nên không nhập được bảng tổng hợp. "
                        "Hãy đăng xuất rồi đăng nhập bằng tài khoản khác. Dữ liệu chưa bị thay đổi.")
    role = AccountRole(row.role)
    if not role.can_write:
        raise UserError(f"Tài khoản \u201c{row.username}\u201d ({role.label}) chỉ được xem và in, không được nhập "
                        "bảng tổng hợp vào dữ liệu. Hãy nhờ cán bộ hoặc người quản trị đăng nhập để nhập. Dữ liệu "
                        "chưa bị thay đổi.")


# ---- the mark of each row ------------------------------------------------------------------------------

# The hidden last column of every sheet (styled as a column to read by: grey, locked).
_STAMP = Column("stamp", STAMP_HEADER, 14, TEXT, Role.INFO)
_STAMP_TEXT = re.compile(r"(\d*):([0-9a-f]{12})")


class _Marks:
    """The marks of one sheet's rows: "version:digest", the digest over the values the row shows
    in its white cells (the columns typed on), as reading the exported cells gives them back."""

    def __init__(self, area: Area):
        self.columns = [column for column in area.columns if column.role is Role.EDIT]

    def stamp(self, row: Current) -> str:
        version = "" if row.version is None else str(row.version)
        return f"{version}:{self.of_data(row.values)}"

    def of_data(self, values: dict) -> str:
        """The digest of a row as the data holds it (exported: cleaned text, as read back)."""
        return _digest(_canonical(_as_read(column, values.get(column.field))) for column in self.columns)

    def of_file(self, values: dict) -> str:
        """The digest of a row as read from the file (:func:`_typed`)."""
        return _digest(_canonical(values.get(column.field)) for column in self.columns)

    def changed_since(self, now: Current, stamp: re.Match) -> bool:
        """Whether the record differs from the one the file was exported with: its version, or
        for a row without one (a point, a score item), its values."""
        version = "" if now.version is None else str(now.version)
        if stamp[1] or version:
            return stamp[1] != version
        return self.of_data(now.values) != stamp[2]


def _as_read(column: Column, value):
    """A text as it comes back from its cell (written without control characters, read cleaned)."""
    if isinstance(value, str) and value and column.type in (TEXT, PARAGRAPHS, TIME):
        return excel.text_value(_safe_text(value), paragraphs=column.type == PARAGRAPHS)
    return value


def _canonical(value) -> str:
    """One spelling per value: an empty cell, "" and None alike; 3.5, 3.50 and Decimal("3.5") alike."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float | Decimal):
        return format(Decimal(str(value)).normalize(), "f")
    if isinstance(value, datetime):
        value = value.date()
    return value.isoformat() if isinstance(value, date) else str(value)


def _digest(parts) -> str:
    return hashlib.blake2b("\x1f".join(parts).encode(), digest_size=6).hexdigest()


# ---- export ---------------------------------------------------------------------------------------

def export_year(session: Session, ward_id: int, year: int, path: str | Path,
                progress: Progress | None = None) -> Exported:
    """Write the year's workbook to ``path`` (atomically: a failure or a cancel leaves no file)."""
    from openpyxl import Workbook

    check_year(year)
    ctx = Context(session, ward_id, year)
    current = [(area, area.current(ctx)) for area in AREAS]
    ticker = _Ticker(progress, sum(len(rows) for _area, rows in current) + len(AREAS))
    book = Workbook(write_only=True)
    lists = _Lists(ctx)
    _write_info(book, ctx)
    for area, rows in current:
        _write_area(book, ctx, area, rows, lists, ticker)
    lists.write(book)
    excel.save_workbook(book, path)
    ticker.step(len(AREAS))
    return Exported(Path(path), year, tuple((area.title, len(rows)) for area, rows in current))


def _write_info(book, ctx: Context) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(INFO_TITLE)
    sheet.column_dimensions["A"].width = 30
    sheet.column_dimensions["B"].width = _INFO_WIDTH
    _print_setup(sheet, fit_width=True)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = sheet.protection.formatRows = False
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    ward, left = ctx.ward, Alignment(horizontal="left")
    province = f"{ProvinceKind(ward.province_kind).label} {ward.province_name}"
    rows = [[_styled(sheet, f"BẢNG TỔNG HỢP CUỐI NĂM {ctx.year}", font=Font(bold=True, size=14))], []]
    rows += [[_styled(sheet, label, font=bold), _styled(sheet, value, alignment=left)] for label, value in (
        (_WARD_LABEL, f"{ctx.ward_name}, {province}"), (_YEAR_LABEL, ctx.year), (_UID_LABEL, ward.uid),
        (_FORMAT_LABEL, FORMAT_VERSION), ("Xuất lúc", f"{datetime.now():%d/%m/%Y %H:%M} (ANTQ Desktop {__version__})"))]
    rows += [[], [_styled(sheet, "Cách điền", font=bold)]]
    rows += [["", _styled(sheet, line, alignment=wrap)] for line in _HOW_TO]
    rows += [[], [_styled(sheet, "Các trang", font=bold)]]
    rows += [[_styled(sheet, area.title, alignment=wrap), _styled(sheet, area.note, alignment=wrap)] for area in AREAS]
    for number, row in enumerate(rows, start=1):
        text = row[1].value if len(row) > 1 and hasattr(row[1], "value") else ""
        if isinstance(text, str) and len(text) > _INFO_WIDTH:  # wrapped: as tall as its lines (Calc keeps 1 line)
            sheet.row_dimensions[number].height = 15 * -(-len(text) // (_INFO_WIDTH - 8))
        sheet.append(row)


_INFO_WIDTH = 100


def _print_setup(sheet, fit_width: bool = False) -> None:
    """Landscape; the header repeated on every printed page; the "Thông tin" sheet one page wide."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = "9"  # A4
    if fit_width:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight = 1, 0
    else:
        sheet.print_title_rows = "1:1"


_HOW_TO = (
    "Chỉ sửa các ô nền trắng. Các ô nền xám (mã, tên, nội dung để đối chiếu) bị khoá và không được đọc lại.",
    "Chọn giá trị trong danh sách thả xuống ở các cột có danh sách; ghi ngày theo dạng ngày/tháng/năm (05/03/2026).",
    "Không dùng công thức: nếu chép từ nơi khác, hãy dán giá trị (Dán đặc biệt → Chỉ giá trị).",
    "Thêm dòng mới ở các dòng trống cuối trang (với các trang cho thêm), để trống cột Mã.",
    DELETED_ROWS_NOTE + " Không đổi tên trang và không xoá cột.",
    "Mỗi dòng nhớ bản ghi lúc xuất tệp (cột ẩn cuối trang). Nếu bản ghi đã được sửa trong chương trình sau khi "
    "xuất, thay đổi ghi vào dòng đó trong tệp này sẽ không được nhận: hãy xuất tệp mới rồi ghi vào tệp mới.",
    "Khi nhập lại, chương trình kiểm tra toàn bộ tệp trước và cho xem trước các thay đổi; nếu có lỗi, không có gì "
    "được ghi và mọi lỗi được liệt kê theo trang, dòng, cột.",
)


def _styled(sheet, value, **styles):
    from openpyxl.cell import WriteOnlyCell

    cell = WriteOnlyCell(sheet, value)
    for name, style in styles.items():
        setattr(cell, name, style)
    return cell


class _Lists:
    """The hidden "Danh mục" sheet: one column per list the dropdowns pick from."""

    def __init__(self, ctx: Context):
        names = sorted({column.choices or YES_NO_LIST for area in AREAS for column in area.columns
                        if column.type in (CHOICE, YES_OR_NO) and column.read_back})
        self.ctx = ctx
        self.values = {name: ctx.dropdown(name) for name in names}
        self.letters = {name: excel.column_letter(number) for number, name in enumerate(names, start=1)}

    def formula(self, name: str) -> str:
        letter, count = self.letters[name], max(len(self.values[name]), 1)
        return f"'{LISTS_TITLE}'!${letter}$2:${letter}${count + 1}"

    def write(self, book) -> None:
        sheet = book.create_sheet(LISTS_TITLE)
        sheet.sheet_state = "hidden"
        sheet.protection.sheet = True
        names = list(self.letters)
        sheet.append([_LIST_TITLES.get(name, name) for name in names])
        for position in range(max(len(values) for values in self.values.values())):
            sheet.append([_safe_text(values[position]) if position < len(values) else None
                          for values in (self.values[name] for name in names)])


def _write_area(book, ctx: Context, area: Area, rows: list[Current], lists: _Lists, ticker: _Ticker) -> None:
    """The sheet: header, rows, and what lies below them. An empty cell is written only where it
    differs from its column's style (locked on a decided row, or a new-only column of a row that
    exists): the columns carry the style of the cells below the data, so the empty rows for new
    rows cost nothing (writing a cell is what an export spends its time on)."""
    sheet = book.create_sheet(area.title)
    styles = _Styles(sheet, area)
    marks = _Marks(area)
    _print_setup(sheet)
    sheet.freeze_panes = f"{excel.column_letter(area.freeze + 1)}2"
    # As tall as its longest wrapped header (Calc does not fit a row's height on opening).
    sheet.row_dimensions[1].height = 15 * max(-(-len(column.header) // max(column.width - 2, 1))
                                              for column in area.columns) + 4
    sheet.append([styles.header(column) for column in (*area.columns, _STAMP)])
    for row in rows:
        sheet.append([*(styles.cell(column, _cell_value(ctx, column, row.values.get(column.field)),
                                    _locked(column, row)) for column in area.columns),
                      styles.cell(_STAMP, marks.stamp(row), True)])
        ticker.step()
    last_row = max(len(rows) + 1 + (SPARE_ROWS if area.can_add else 0), 2)
    for number, column in enumerate(area.columns, start=1):
        validation = _validation(area, column, lists)
        if validation is not None and column.read_back and column.role is not Role.KEY:
            letter = excel.column_letter(number)
            validation.add(f"{letter}2:{letter}{last_row}")
            sheet.data_validations.append(validation)
    # The filter spans the hidden marks too: a row sorted by its dropdown keeps its own mark.
    sheet.auto_filter.ref = f"A1:{excel.column_letter(len(area.columns) + 1)}{last_row}"
    protection = sheet.protection
    protection.sheet = True
    protection.formatColumns = protection.formatRows = protection.autoFilter = False


def _locked(column: Column, row: Current) -> bool:
    return bool(row.closed) or column.role in (Role.KEY, Role.INFO, Role.NEW_ONLY)


def _column_locked(area: Area, column: Column) -> bool:
    """The style of a column's cells below the data: a new row is typed there where the sheet
    takes new rows, so only the identifying and reading columns stay locked."""
    return column.role in (Role.KEY, Role.INFO) or (column.role is Role.NEW_ONLY and not area.can_add)


class _Styles:
    """The few cell styles of a sheet, made once and copied (openpyxl looks a style up per
    assignment), and each column's own style."""

    def __init__(self, sheet, area: Area):
        from openpyxl.cell.cell import Cell as SheetCell
        from openpyxl.styles import Alignment, Font, PatternFill, Protection

        self._sheet = sheet
        self._make = SheetCell
        header = SheetCell(sheet, row=1, column=1)
        header.font, header.fill = Font(bold=True), PatternFill("solid", fgColor="DDE7F0")
        header.alignment = Alignment(wrap_text=True, vertical="center")
        self._header = header._style
        self._styles = {}
        self._plain = {}  # field -> the style its column has (an empty cell of that style is not written)
        grey = PatternFill("solid", fgColor="E0E0E0")
        for number, column in enumerate((*area.columns, _STAMP), start=1):
            number_format = {DATE: "DD/MM/YYYY", TEXT: "@", PARAGRAPHS: "@", TIME: "@"}.get(column.type, "General")
            for locked in (False, True):
                cell = SheetCell(sheet, row=1, column=1)
                cell.protection = Protection(locked=locked)
                if locked:
                    cell.fill = grey
                cell.number_format = number_format
                self._styles[(column.field, locked)] = cell._style
            dimension = sheet.column_dimensions[excel.column_letter(number)]
            dimension.width = column.width
            locked = _column_locked(area, column)
            dimension.protection, dimension.number_format = Protection(locked=locked), number_format
            if locked:
                dimension.fill = grey
            dimension.hidden = column is _STAMP  # bookkeeping: nothing to read or type there
            self._plain[column.field] = locked

    def header(self, column: Column):
        return self._make(self._sheet, row=1, column=1, value=column.header, style_array=copy.copy(self._header))

    def cell(self, column: Column, value, locked: bool):
        if value is None and self._plain[column.field] == locked:
            return None  # the column's style says it all
        cell = self._make(self._sheet, row=1, column=1, value=value,
                          style_array=copy.copy(self._styles[(column.field, locked)]))
        if isinstance(value, str) and value.startswith("="):
            cell.data_type = "s"  # text that looks like a formula stays text
        return cell


def _safe_text(text: str) -> str:
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    return ILLEGAL_CHARACTERS_RE.sub("", text)


def _cell_value(ctx: Context, column: Column, value):
    if value is None:
        return None
    if column.type == CHOICE:
        return ctx.choices[column.choices].label(value)
    if column.type == YES_OR_NO:
        return "Có" if value else "Không"
    if column.type == DECIMAL:
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, str):
        return _safe_text(value)
    return value


_FIRST_DAY, _LAST_DAY = 1, 73415  # Excel's numbers of 01/01/1900 and 31/12/2100


def _validation(area: Area, column: Column, lists: _Lists):
    """The dropdown or range check of a column, or None."""
    from openpyxl.worksheet.datavalidation import DataValidation

    common = {"allow_blank": True, "showErrorMessage": True, "errorTitle": "Giá trị không hợp lệ"}
    if column.type in (CHOICE, YES_OR_NO):
        return DataValidation(type="list", formula1=lists.formula(column.choices or YES_NO_LIST),
                              error="Hãy chọn một giá trị trong danh sách thả xuống.", **common)
    if column.type == DATE:
        return DataValidation(type="date", operator="between", formula1=str(_FIRST_DAY), formula2=str(_LAST_DAY),
                              error="Hãy ghi một ngày theo dạng ngày/tháng/năm, ví dụ 05/03/2026.", **common)
    if column.type == WHOLE and column.maximum is not None:
        low, high = column.minimum or 0, column.maximum
        shown = str if column.plain else vntext.format_number
        return DataValidation(type="whole", operator="between", formula1=str(low), formula2=str(high),
                              error=f"Hãy ghi một số nguyên từ {shown(low)} đến {shown(high)}.", **common)
    if column.type == WHOLE:
        return DataValidation(type="whole", operator="greaterThanOrEqual", formula1=str(column.minimum or 0),
                              error="Hãy ghi một số nguyên không âm.", **common)
    if column.type == DECIMAL and column.bound:
        # The limit is the item's points on the same row (negative for a deduction item): one rule
        # for the whole column, its references moving with each row as Excel applies it.
        number = next(n for n, other in enumerate(area.columns, start=1) if other.field == column.bound)
        me, bound = excel.column_letter(area.columns.index(column) + 1), excel.column_letter(number)
        return DataValidation(type="custom", formula1=f"AND(ISNUMBER({me}2),{me}2>=MIN(0,${bound}2),"
                                                      f"{me}2<=MAX(0,${bound}2))",
                              error="Điểm phải từ 0 đến điểm chuẩn (mục điểm trừ: từ mức trừ tối đa đến 0).",
                              **common)
    return None


# ---- reading back ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Info:
    ward_uid: str
    ward_name: str
    year: int


def read_workbook(session: Session, ward_id: int, path: str | Path, progress: Progress | None = None,
                  year: int | None = None) -> WorkbookPlan:
    """Read and check a filled workbook; the plan of what :func:`apply` would write. Every fault
    found refuses the file (one :class:`excel.FaultsError` listing them all); ``year``, when
    given, is the year the file must be of."""
    path = Path(path)
    check_may_import(session)
    with excel.reading(path, formulas=True) as book:
        info = _read_info(book, path)
        _check_info(session, ward_id, info, path, year)
        ctx = Context(session, ward_id, info.year)
        ticker = _Ticker(progress, sum(_row_estimate(book, area) for area in AREAS))
        faults = excel.Faults()
        sheets = tuple(_read_area(ctx, book, area, faults, ticker) for area in AREAS)
    faults.refuse(path, NOTHING_WRITTEN)
    return WorkbookPlan(path.name, ward_id, ctx.ward_name, info.year, sheets)


def _find_sheet(book, title: str):
    wanted = vntext.search_key(title)
    return next((sheet for sheet in book.worksheets if vntext.search_key(sheet.title) == wanted), None)


def _not_ours(path: Path) -> UserError:
    return UserError(f'Tệp "{path.name}" không phải bảng tổng hợp cuối năm do chương trình xuất ra (không có trang '
                     f'"{INFO_TITLE}" đúng mẫu). Hãy xuất bảng tổng hợp từ chương trình rồi điền vào tệp đó.')


def _read_info(book, path: Path) -> _Info:
    sheet = _find_sheet(book, INFO_TITLE)
    if sheet is None:
        raise _not_ours(path)
    found = {}
    for row in excel.sheet_rows(sheet, max_row=40, max_col=2, values_only=True):
        if row and row[0] is not None:
            found[vntext.search_key(str(row[0])).strip(" :")] = row[1] if len(row) > 1 else None
    uid, year = found.get(vntext.search_key(_UID_LABEL)), found.get(vntext.search_key(_YEAR_LABEL))
    version = found.get(vntext.search_key(_FORMAT_LABEL))
    if not isinstance(uid, str) or not re.fullmatch(r"[0-9a-f]{32}", uid) or not isinstance(year, int | float):
        raise _not_ours(path)
    if version != FORMAT_VERSION:  # 1: the rows carry no mark, a stale copy could not be told (never released)
        raise UserError(f'Tệp "{path.name}" theo mẫu số {version}, chương trình này đọc mẫu số {FORMAT_VERSION}. '
                        "Hãy xuất lại bảng tổng hợp từ chương trình này rồi ghi các thay đổi vào tệp mới.")
    return _Info(uid, excel.text_value(found.get(vntext.search_key(_WARD_LABEL))), int(year))


def _check_info(session: Session, ward_id: int, info: _Info, path: Path, year: int | None) -> None:
    ward = session.get(Ward, ward_id)
    if info.ward_uid != ward.uid:
        theirs = f"của {info.ward_name}" if info.ward_name else "của một xã, phường khác"
        raise UserError(f'Tệp "{path.name}" là bảng tổng hợp {theirs}, không phải của xã, phường đang mở: '
                        "không nhập vào dữ liệu này được. Hãy chọn đúng tệp của xã, phường mình.")
    if year is not None and info.year != year:
        raise UserError(f'Tệp "{path.name}" là bảng tổng hợp năm {info.year}, không phải năm {year}. '
                        f"Hãy chọn tệp của năm {year}, hoặc chọn năm {info.year} rồi nhập lại.")
    check_year(info.year)


def _row_estimate(book, area: Area) -> int:
    sheet = _find_sheet(book, area.title)
    rows = getattr(sheet, "max_row", None) if sheet is not None else None
    return max((rows or 1) - 1, 0)


def _read_area(ctx: Context, book, area: Area, faults: excel.Faults, ticker: _Ticker) -> SheetPlan:
    sheet = _find_sheet(book, area.title)
    if sheet is None:
        faults.add(Cell(area.title, 0, 0).error('tệp thiếu trang này (có thể trang bị xoá hoặc đổi tên). Hãy dùng '
                                                "tệp xuất từ chương trình, giữ nguyên tên các trang."))
        return SheetPlan(area.title)
    columns = _header(sheet, area, faults)
    if columns is None:
        return SheetPlan(area.title)
    header_row, positions = columns
    headers = {column.field: column.header for column in (*area.columns, _STAMP)}
    current = {row.key: row for row in area.current(ctx)}
    reader = _RowReader(ctx, area, sheet.title, positions, headers, current, faults)
    for number, raw in excel.cell_rows(sheet, header_row, positions, faults, headers):
        ticker.step()
        reader.read(number, raw)
    area.check(ctx, reader.checked, faults)
    return SheetPlan(area.title, tuple(reader.ops), reader.unchanged, len(current) - len(reader.seen),
                     tuple(positions.items()), reader.newer)


def _header(sheet, area: Area, faults: excel.Faults) -> tuple[int, dict[str, int]] | None:
    wanted = {column.field: (column.header,) for column in (*area.columns, _STAMP)}
    required = [column.field for column in area.columns if column.read_back] + [_STAMP.field]
    found = excel.locate_header(sheet, wanted, required)
    if found is not None:
        return found
    if not any(value is not None for row in excel.sheet_rows(sheet, max_row=excel.HEADER_SEARCH_ROWS,
                                                             values_only=True) for value in row):
        faults.add(Cell(sheet.title, 0, 0).error("trang trống: không có dòng tiêu đề và dữ liệu. Hãy dán lại nội "
                                                 "dung từ tệp xuất từ chương trình."))
        return None
    first = [value for row in excel.sheet_rows(sheet, max_row=1, values_only=True) for value in row]
    present = {vntext.search_key(str(value)) for value in first if value is not None}
    missing = [column.header for column in (*area.columns, _STAMP)
               if (column.read_back or column is _STAMP) and vntext.search_key(column.header) not in present]
    faults.add(Cell(sheet.title, 1, 0).error(
        "thiếu cột " + ", ".join(f'"{header}"' for header in missing) + " ở dòng tiêu đề. Không xoá hay đổi tên "
        "cột; hãy dùng tệp xuất từ chương trình."))
    return None


class _RowReader:
    """Reads a sheet's rows one by one: typed values, key, the current row, cleaning, comparing."""

    def __init__(self, ctx: Context, area: Area, title: str, positions: dict[str, int], headers: dict[str, str],
                 current: dict[tuple, Current], faults: excel.Faults):
        self.ctx, self.area, self.title, self.positions, self.headers = ctx, area, title, positions, headers
        self.current, self.faults = current, faults
        self.keys = [column for column in area.columns if column.role is Role.KEY]
        self.seen: dict[tuple, int] = {}
        self.natural: dict[tuple, list[Current]] = {}
        if area.can_add:
            for row in current.values():
                found = area.natural_key(ctx, row.values)
                if found is not None:
                    self.natural.setdefault(found, []).append(row)
        self.ops: list[RowOp] = []
        self.checked: list[tuple[RowOp, Callable[[str], Cell]]] = []
        self.unchanged = 0
        self.newer = 0  # rows left as exported whose record the program changed since
        self.marks = _Marks(area)

    def read(self, number: int, raw: dict) -> None:
        def cell(field: str) -> Cell:
            return Cell(self.title, number, self.positions.get(field, 0), self.headers.get(field, ""))

        values, bad = {}, False
        for column in self.area.columns:
            if column.read_back:
                try:
                    values[column.field] = _typed(self.ctx, column, lambda name=column.field: cell(name),
                                                  raw.get(column.field))
                except UserError as error:
                    self.faults.add(error)
                    bad = True
        if bad:
            return
        with self.faults.collected():
            now = self._current_row(values, cell, number)
            if now is False:
                return
            stale = "" if now is None or self._typed_below(values) else self._against_mark(now, values, raw)
            if stale is not None:
                self._compare(number, values, now, cell, stale)

    def _typed_below(self, values: dict) -> bool:
        """A row typed below the data (no code): it has no mark, and matches by its natural key."""
        return all(values[column.field] in (None, "") for column in self.keys)

    def _against_mark(self, now: Current, values: dict, raw: dict) -> str | None:
        """A record's row against its mark. None: nothing was typed on it, so it says nothing,
        whatever the record holds now (counted unchanged). Else why a difference from the data
        is refused (the record changed since the export, or the mark is gone), or "" if it is not."""
        stamp = _STAMP_TEXT.fullmatch(excel.text_value(raw.get(_STAMP.field)))
        if stamp is None:
            return NO_STAMP
        if self.marks.of_file(values) == stamp[2]:
            self.unchanged += 1
            self.newer += self.marks.changed_since(now, stamp)
            return None
        return CHANGED_SINCE if self.marks.changed_since(now, stamp) else ""

    def _current_row(self, values: dict, cell: Callable[[str], Cell], number: int) -> Current | None | bool:
        """The data's row the sheet's row names (None: a new row), or False when it names none."""
        key = tuple(values[column.field] for column in self.keys)
        first = self.keys[0].field
        if all(part in (None, "") for part in key):
            if not self.area.can_add:
                raise cell(first).error("dòng này không có mã. Trang này chỉ sửa các dòng đã có (không thêm dòng "
                                        "mới); hãy chép lại mã từ tệp xuất từ chương trình.")
            return self._matched(values, number)
        if any(part in (None, "") for part in key):
            missing = next(column for column, part in zip(self.keys, key) if part in (None, ""))
            raise cell(missing.field).error("thiếu mã; hãy chép lại mã từ tệp xuất từ chương trình.")
        if key in self.seen:
            raise cell(first).error(f"dòng này trùng với dòng {self.seen[key]} (cùng mã): mỗi bản ghi chỉ ghi một "
                                    "dòng. Hãy xoá một trong hai dòng.")
        self.seen[key] = number
        now = self.current.get(key)
        if now is None:
            shown = ", ".join(str(part) for part in key)
            raise cell(first).error(f"mã {shown} không có trong dữ liệu năm {self.ctx.year} của xã, phường này "
                                    "(mã bị sửa, hoặc dòng chép từ tệp khác).")
        return now

    def _matched(self, values: dict, number: int) -> Current | None:
        """The record a new row names without its code (imported once already), or None: a new record."""
        found = self.area.natural_key(self.ctx, values)
        candidates = [row for row in self.natural.get(found, []) if row.key not in self.seen] if found else []
        if len(candidates) != 1:
            return None
        self.seen[candidates[0].key] = number
        return candidates[0]

    def _compare(self, number: int, values: dict, now: Current | None, cell: Callable[[str], Cell],
                 stale: str = "") -> None:
        """The row against the data: unchanged, or a RowOp. ``stale`` (the record changed since the
        export, or the row's mark is gone): a row that differs from the data is refused with it."""
        area = self.area
        fields = [column.field for column in area.columns
                  if column.role is Role.EDIT or (now is None and column.role is Role.NEW_ONLY)]
        if now is not None:
            for column in area.columns:
                if column.role is Role.NEW_ONLY:
                    values[column.field] = now.values[column.field]
            if now.closed:
                differing = [name for name in fields if values[name] != now.values[name]]
                if differing:
                    raise cell(differing[0]).error(now.closed)
                self.unchanged += 1
                return
        try:
            cleaned = area.clean(self.ctx, values, now, cell)
        except CellError:
            raise
        except UserError as error:
            raise _located(area, self.title, number, dict(self.positions), error.message) from None
        if now is None:
            changed = [name for name in fields if cleaned[name] not in (None, "", False)]
        else:
            changed = [name for name in fields if cleaned[name] != now.values[name]]
            if not changed:
                self.unchanged += 1
                return
            if stale:  # never a silent overwrite of what was saved after the export
                raise cell(changed[0]).error(stale)
        columns = {column.field: column for column in area.columns}
        changes = tuple(FieldChange(columns[name].header,
                                    _shown(self.ctx, columns[name], now.values[name] if now else None),
                                    _shown(self.ctx, columns[name], cleaned[name])) for name in changed)
        label = now.label if now else area.new_label(self.ctx, cleaned)
        op = RowOp(number, now.key if now else None, label, cleaned, changes, frozenset(changed),
                   now.version if now else None, added=now is None or not now.exists, sheet=self.title)
        self.ops.append(op)
        self.checked.append((op, cell))


_NEEDS_CHECKING = (WHOLE, DECIMAL, DATE, CHOICE, YES_OR_NO)


def _typed(ctx: Context, column: Column, place: Callable[[], Cell], value):
    """A cell's value as its column holds it (None or "" when empty), or a CellError at ``place()``
    (made only then: most cells are fine, and a sheet has tens of thousands)."""
    if column.type == PARAGRAPHS:
        return excel.text_value(value, paragraphs=True)
    if column.type == TIME:
        return excel.time_text(value)
    if column.type not in _NEEDS_CHECKING:
        return excel.text_value(value)
    if value is None:
        return None
    cell, label = place(), column.header.split(" (")[0]
    if column.type == WHOLE:
        return excel.whole_value(cell, value, label, column.minimum, column.maximum, grouped=not column.plain)
    if column.type == DECIMAL:
        return excel.number_value(cell, value, label)
    if column.type == DATE:
        day = excel.date_value(cell, value, label)
        if day is not None and not 1900 <= day.year <= 2100:
            raise cell.error(f"{label} {vntext.format_date(day)}: năm không hợp lệ.")
        return day
    if column.type == CHOICE:
        return ctx.choices[column.choices].code(cell, value, label)
    return excel.YES_NO.code(cell, value, label)


def _shown(ctx: Context, column: Column, value) -> str:
    """A value as the preview shows it."""
    if value is None or value == "":
        return "(trống)"
    if column.type == DATE:
        return vntext.format_date(value)
    if column.type == YES_OR_NO:
        return "Có" if value else "Không"
    if column.type == CHOICE:
        return ctx.choices[column.choices].label(value)
    if column.type == DECIMAL:
        return score_rules.points_text(Decimal(value))
    if column.type == WHOLE:  # a count with its thousands dot, a year as it is written
        return str(value) if column.plain else vntext.format_number(value)
    text = " / ".join(str(value).splitlines())
    text = text if len(text) <= _SHOWN_MAX else text[:_SHOWN_MAX - 1] + "…"
    return f'"{text}"' if column.type in (TEXT, PARAGRAPHS) else text


def _located(area: Area, title: str, row: int, positions: dict[str, int], message: str) -> CellError:
    """A service's refusal of a row, placed on the row and on the column its message names first
    ("Năm sinh 2020: … thành viên lực lượng" is about the birth year), else on the row as a whole."""
    said = vntext.search_key(message)
    found = []
    for column in area.columns:
        words = vntext.search_key(column.header.split(" (")[0])
        if column.read_back and column.field in positions and words and words in said:
            found.append((said.index(words), -len(words), column))
    if not found:
        return Cell(title, row, 0).error(message)
    column = min(found, key=lambda entry: entry[:2])[2]
    return Cell(title, row, positions[column.field], column.header).error(message)


# ---- writing the plan ------------------------------------------------------------------------------

_AREA_OF = {area.title: area for area in AREAS}


def apply(session: Session, plan: WorkbookPlan, actor: str, progress: Progress | None = None) -> Applied:
    """Write ``plan`` in the session's transaction, through the services. A refusal of any row
    raises one :class:`excel.FaultsError` listing them all: the caller's transaction then rolls
    everything back."""
    ops = {sheet.title: list(sheet.ops) for sheet in plan.sheets}
    positions = {sheet.title: dict(sheet.columns) for sheet in plan.sheets}
    check_may_import(session)  # asked again: the account may have been changed since the preview
    ticker = _Ticker(progress, sum(len(sheet_ops) for sheet_ops in ops.values()))
    ctx = Context(session, plan.ward_id, plan.year)
    faults = excel.Faults()

    def run(op: RowOp, action: Callable[[], object]):
        if len(faults) >= _FAULTS_MAX:  # the same refusal row after row: past these, the list says enough
            faults.refuse(plan.file_name, NOTHING_WRITTEN)
        try:
            with session.begin_nested():  # a refused row leaves nothing half-written behind it
                return action()
        except CellError as error:
            faults.add(error)
        except UserError as error:
            faults.add(_located(_AREA_OF[op.sheet], op.sheet, op.row, positions.get(op.sheet, {}), error.message))
        finally:
            ticker.step()
        return None

    for area in APPLY_ORDER:
        area.apply(ctx, ops, actor, run)
    faults.refuse(plan.file_name, NOTHING_WRITTEN)
    session.flush()
    return Applied(plan.year, plan.added, plan.changed)
