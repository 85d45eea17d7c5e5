"""The yearly budget estimate ("dự trù kinh phí") of the ward's plan.

A year's budget is a list of groups (I, II, III… by legal basis, in the order the user set),
each with its lines in order. A line is either **quantity × unit price** (the amount is
computed) or a **lump sum** (no quantity, no unit price, the amount typed). Amounts are whole
đồng, never negative, and a year's total stays below 10^15 đồng (the amount in words and the
columns of the printed table are made for that).

**Import from Excel replaces** the year's budget. The sheet (any sheet; the active one first)
has a header row with the columns Nhóm, Nội dung, Số lượng, Đơn giá, Thành tiền, and may have
Đơn vị tính and Diễn giải (or Chi tiết, Ghi chú). A row's Nhóm names its group: rows with the
same group go to one group, groups in the order they first appear; a "II. " before the title is
the group's old number and is dropped; a blank Nhóm (or a merged cell) continues the group above.
A row with a group and nothing else declares an empty group. A "Tổng cộng" row is checked
against the lines' sum and not imported; "Cộng" rows are skipped. Every row is checked first;
if anything is wrong, nothing is written and every fault is named by sheet, row and column.

**Export** writes the same columns, so an exported file imports back to the same budget.

Version checks: ``expected_version`` is the version the user saw; ``None`` skips the check.
"""

from __future__ import annotations

import io
import math
import re
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antq_desktop.db import audit
from antq_desktop.db.models import BudgetGroup, BudgetLine
from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.reports import budget as report
from antq_desktop.reports.unit_list import roman
from antq_desktop.services import excel
from antq_desktop.services.antt import check_year
from antq_desktop.services.decisions import issuer as committee_issuer
from antq_desktop.services.profile import require_profile
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

TITLE_MAX, CONTENT_MAX, UNIT_MAX, DETAIL_MAX = 300, 1000, 50, 1000
QUANTITY_LIMIT = 10**9      # below the 2^31 of the column; no office counts a billion of anything
AMOUNT_LIMIT = 10**15       # one triệu tỷ đồng: for a price, a line and the year's total
PURPOSE = "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}"
LABELS = {"group": "Nhóm", "content": "Nội dung", "unit_label": "Đơn vị tính", "quantity": "Số lượng",
          "unit_price": "Đơn giá", "amount": "Thành tiền", "detail": "Diễn giải"}
# "IV. Title", "IV) Title" or "IV - Title" (I to XXXIX): a group's old number before its title.
_NUMBERED_TITLE = re.compile(r"(?=[IVX])X{0,3}(?:IX|IV|V?I{0,3})\s*(?:[.)]\s*(.+)|\s-\s+(.+))")
_GROUP_MISSING = "Không tìm thấy nhóm này; có thể người khác vừa xoá. Hãy tải lại dự trù kinh phí."
_LINE_MISSING = "Không tìm thấy dòng này; có thể người khác vừa xoá. Hãy tải lại dự trù kinh phí."

Progress = Callable[[int, int], bool]   # (done, total) -> False once the user cancelled


class FieldError(UserError):
    """A refusal naming the field at fault, so an import can point at the cell it came from."""

    def __init__(self, field_name: str, message: str):
        super().__init__(message)
        self.field = field_name


# ---- what the pages and documents get ---------------------------------------------------------

@dataclass(frozen=True)
class LineInput:
    content: str
    quantity: int | None = None
    unit_price: int | None = None
    amount: int | None = None   # a lump sum's; with a quantity and a price it may be left out, or must agree
    unit_label: str = ""
    detail: str = ""

    @property
    def lump_sum(self) -> bool:
        return self.quantity is None and self.unit_price is None


@dataclass(frozen=True)
class LineRow:
    id: int
    group_id: int
    number: int        # 1, 2, 3… inside its group
    content: str
    unit_label: str
    quantity: int | None
    unit_price: int | None
    amount: int
    detail: str
    version: int

    @property
    def lump_sum(self) -> bool:
        return self.quantity is None

    def as_input(self) -> LineInput:
        return LineInput(self.content, self.quantity, self.unit_price, self.amount, self.unit_label, self.detail)


@dataclass(frozen=True)
class GroupRow:
    id: int
    code: str          # "I", "II"… from its place
    title: str
    lines: tuple[LineRow, ...]
    subtotal: int
    version: int


@dataclass(frozen=True)
class Budget:
    year: int
    groups: tuple[GroupRow, ...]
    total: int
    total_in_words: str

    @property
    def line_count(self) -> int:
        return sum(len(group.lines) for group in self.groups)


@dataclass(frozen=True)
class ImportResult:
    year: int
    groups: int
    lines: int
    total: int
    replaced_groups: int
    replaced_lines: int

    @property
    def summary(self) -> str:
        text = (f"Đã nhập dự trù kinh phí năm {self.year}: {self.groups} nhóm, {self.lines} dòng, tổng cộng "
                f"{vntext.format_number(self.total)} đồng")
        if self.replaced_groups:
            text += f" (thay cho {self.replaced_groups} nhóm, {self.replaced_lines} dòng cũ)"
        return text + "."


# ---- reading -----------------------------------------------------------------------------------

def year_budget(session: Session, ward_id: int, year: int) -> Budget:
    """The year's groups in order, each with its lines, subtotal and number; the total in words."""
    check_year(year)
    groups = _groups(session, ward_id, year)
    lines: dict[int, list[BudgetLine]] = {group.id: [] for group in groups}
    if groups:
        for line in session.scalars(select(BudgetLine).where(BudgetLine.group_id.in_(lines))
                                    .order_by(BudgetLine.position, BudgetLine.id)):
            lines[line.group_id].append(line)
    rows = tuple(_group_row(index, group, lines[group.id]) for index, group in enumerate(groups, start=1))
    total = sum(row.subtotal for row in rows)
    return Budget(year=year, groups=rows, total=total, total_in_words=vntext.amount_in_words(total))


def _groups(session: Session, ward_id: int, year: int) -> list[BudgetGroup]:
    return list(session.scalars(select(BudgetGroup).where(BudgetGroup.ward_id == ward_id, BudgetGroup.year == year)
                                .order_by(BudgetGroup.position, BudgetGroup.id)))


def _group_row(index: int, group: BudgetGroup, lines: list[BudgetLine]) -> GroupRow:
    rows = tuple(LineRow(id=line.id, group_id=group.id, number=number, content=line.content,
                         unit_label=line.unit_label, quantity=line.quantity, unit_price=line.unit_price,
                         amount=line.amount, detail=line.detail, version=line.version)
                 for number, line in enumerate(lines, start=1))
    return GroupRow(id=group.id, code=roman(index), title=group.title, lines=rows,
                    subtotal=sum(line.amount for line in rows), version=group.version)


def budget_json(budget: Budget) -> dict:
    """What ``antq budget show --year N --json`` prints."""
    return {
        "year": budget.year,
        "groups": [{"code": group.code, "title": group.title,
                    "lines": [{"content": line.content, "quantity": line.quantity, "unit_price": line.unit_price,
                               "amount": line.amount} for line in group.lines],
                    "subtotal": group.subtotal} for group in budget.groups],
        "total": budget.total,
        "total_in_words": budget.total_in_words,
    }


# ---- checking what was typed ---------------------------------------------------------------------

def parse_whole_number(text: str, label: str) -> int | None:
    """A number as an officer types it: "1.500.000", "1 500 000" or "1500000"; "" is None.

    "." groups thousands in Vietnamese, so "1.500" is one thousand five hundred; "," is the
    decimal mark, and đồng have no decimals here.
    """
    typed = vntext.clean(text).replace(" ", "")
    if not typed:
        return None
    if re.fullmatch(r"-?\d{1,3}(\.\d{3})+", typed):
        typed = typed.replace(".", "")
    if re.fullmatch(r"-?\d+", typed):
        return int(typed)
    if re.fullmatch(r"-?\d+([.,]\d+)?", typed):
        raise UserError(f'{label} "{text.strip()}" phải là số nguyên, không có phần lẻ.')
    raise UserError(f'{label} "{text.strip()}" không phải là một số.')


def _check_whole(field_name: str, value, limit: int) -> None:
    label = LABELS[field_name]
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise FieldError(field_name, f"{label} phải là số nguyên, không có phần lẻ.")
    if value < 0:
        raise FieldError(field_name, f"{label} không được là số âm ({vntext.format_number(value)}).")
    if value >= limit:
        raise FieldError(field_name, f"{label} {vntext.format_number(value)} quá lớn: phải nhỏ hơn "
                                     f"{vntext.format_number(limit)}.")


def _text(field_name: str, value: str, limit: int, paragraphs: bool = False) -> str:
    value = (vntext.clean_paragraphs if paragraphs else vntext.clean)(value)
    if len(value) > limit:
        raise FieldError(field_name, f"{LABELS[field_name]} dài quá {limit} ký tự.")
    return value


def checked_line(data: LineInput) -> dict:
    """A line's columns, checked; the amount is quantity × unit price unless it is a lump sum."""
    values = {"content": _text("content", data.content, CONTENT_MAX, True),
              "unit_label": _text("unit_label", data.unit_label, UNIT_MAX),
              "detail": _text("detail", data.detail, DETAIL_MAX, True),
              "quantity": data.quantity, "unit_price": data.unit_price}
    if not values["content"]:
        raise FieldError("content", "Hãy nhập nội dung chi.")
    _check_whole("quantity", data.quantity, QUANTITY_LIMIT)
    _check_whole("unit_price", data.unit_price, AMOUNT_LIMIT)
    _check_whole("amount", data.amount, AMOUNT_LIMIT)
    values["amount"] = _amount(data)
    return values


def _amount(data: LineInput) -> int:
    number = vntext.format_number
    if data.lump_sum:
        if data.amount is None:
            raise FieldError("amount", "Hãy nhập thành tiền của khoản chi khoán gọn, hoặc nhập số lượng và đơn giá.")
        return data.amount
    if data.quantity is None or data.unit_price is None:
        missing = "quantity" if data.quantity is None else "unit_price"
        raise FieldError(missing, f"Thiếu {LABELS[missing].lower()}: khoản chi tính theo số lượng × đơn giá cần cả "
                                  "hai; khoản chi khoán gọn thì để trống cả hai và nhập thành tiền.")
    computed = data.quantity * data.unit_price
    if computed >= AMOUNT_LIMIT:
        raise FieldError("amount", f"Số lượng × đơn giá = {number(computed)} đồng, quá lớn: thành tiền phải nhỏ "
                                   f"hơn {number(AMOUNT_LIMIT)} đồng.")
    if data.amount is not None and data.amount != computed:
        raise FieldError("amount", f"Thành tiền {number(data.amount)} đồng khác số lượng × đơn giá = "
                                   f"{number(data.quantity)} × {number(data.unit_price)} = {number(computed)} đồng.")
    return computed


def _check_title(title: str) -> str:
    """The title without a Roman numeral typed before it: the numeral comes from the group's place."""
    title = _text("group", title, TITLE_MAX)
    numbered = _NUMBERED_TITLE.fullmatch(title)
    if numbered:
        title = vntext.clean(numbered.group(1) or numbered.group(2))
    if not title:
        raise FieldError("group", "Hãy nhập tên nhóm, ví dụ \u201cTuyên truyền, phổ biến\u201d.")
    return title


def _check_unique_title(session: Session, ward_id: int, year: int, title: str, own_id: int | None = None) -> None:
    for group in _groups(session, ward_id, year):
        if group.id != own_id and vntext.search_key(group.title) == vntext.search_key(title):
            raise UserError(f"Dự trù năm {year} đã có nhóm \u201c{group.title}\u201d. Hãy thêm dòng vào nhóm đó, "
                            "hoặc đặt tên khác.")


def _check_year_total(session: Session, ward_id: int, year: int, amount: int, own_line: int | None = None) -> None:
    others = session.scalar(select(func.coalesce(func.sum(BudgetLine.amount), 0)).join(BudgetGroup)
                            .where(BudgetGroup.ward_id == ward_id, BudgetGroup.year == year,
                                   BudgetLine.id != (own_line or 0)))
    if others + amount >= AMOUNT_LIMIT:
        raise UserError(f"Tổng dự trù năm {year} sẽ là {vntext.format_number(others + amount)} đồng, quá lớn: "
                        f"tổng phải nhỏ hơn {vntext.format_number(AMOUNT_LIMIT)} đồng. Hãy kiểm tra lại số tiền.")


# ---- groups -------------------------------------------------------------------------------------

def add_group(session: Session, ward_id: int, year: int, title: str, actor: str) -> int:
    """Add a group at the end of the year's budget; returns its id."""
    check_year(year)
    title = _check_title(title)
    _check_unique_title(session, ward_id, year, title)
    position = len(_groups(session, ward_id, year)) + 1
    group = BudgetGroup(ward_id=ward_id, year=year, position=position, title=title)
    stamp_created(group, actor)
    session.add(group)
    session.flush()
    return group.id


def update_group(session: Session, group_id: int, title: str, actor: str, expected_version: int | None = None) -> None:
    group = existing_row(session, BudgetGroup, group_id, _GROUP_MISSING, expected_version)
    title = _check_title(title)
    _check_unique_title(session, group.ward_id, group.year, title, group.id)
    group.title = title
    stamp_updated(group, actor)
    session.flush()


def delete_group(session: Session, group_id: int, actor: str, expected_version: int | None = None) -> None:
    """Remove a group with its lines (nothing else refers to a budget); the others close up."""
    group = existing_row(session, BudgetGroup, group_id, _GROUP_MISSING, expected_version)
    audit.delete_rows(session, BudgetLine, BudgetLine.group_id == group.id)
    session.delete(group)
    session.flush()
    _renumber(session, _groups(session, group.ward_id, group.year), actor)


def move_group(session: Session, group_id: int, step: int, actor: str) -> None:
    """Move a group ``step`` places up (negative) or down; at an end it stays."""
    group = existing_row(session, BudgetGroup, group_id, _GROUP_MISSING)
    _move(session, _groups(session, group.ward_id, group.year), group, step, actor)


def _move(session: Session, ordered: list, row, step: int, actor: str) -> None:
    old = ordered.index(row)
    ordered.insert(min(max(old + step, 0), len(ordered) - 1), ordered.pop(old))
    _renumber(session, ordered, actor)


def _renumber(session: Session, ordered: list, actor: str) -> None:
    """Positions 1, 2, 3… in the given order, so a Roman numeral or a line number never skips;
    only the rows whose place changed are stamped."""
    for position, row in enumerate(ordered, start=1):
        if row.position != position:
            row.position = position
            stamp_updated(row, actor)
    session.flush()


# ---- lines --------------------------------------------------------------------------------------

def _lines(session: Session, group_id: int) -> list[BudgetLine]:
    return list(session.scalars(select(BudgetLine).where(BudgetLine.group_id == group_id)
                                .order_by(BudgetLine.position, BudgetLine.id)))


def add_line(session: Session, group_id: int, data: LineInput, actor: str) -> int:
    """Add a line at the end of a group; returns its id."""
    group = existing_row(session, BudgetGroup, group_id, _GROUP_MISSING)
    values = checked_line(data)
    _check_year_total(session, group.ward_id, group.year, values["amount"])
    line = BudgetLine(group_id=group.id, position=len(_lines(session, group.id)) + 1, **values)
    stamp_created(line, actor)
    session.add(line)
    session.flush()
    return line.id


def update_line(session: Session, line_id: int, data: LineInput, actor: str, expected_version: int | None = None,
                group_id: int | None = None) -> None:
    """Correct a line; with another ``group_id`` it moves to the end of that group (same year)."""
    line = existing_row(session, BudgetLine, line_id, _LINE_MISSING, expected_version)
    old_group = session.get(BudgetGroup, line.group_id)
    values = checked_line(data)
    _check_year_total(session, old_group.ward_id, old_group.year, values["amount"], line.id)
    if group_id is not None and group_id != line.group_id:
        new_group = existing_row(session, BudgetGroup, group_id, _GROUP_MISSING)
        if (new_group.ward_id, new_group.year) != (old_group.ward_id, old_group.year):
            raise UserError("Chỉ chuyển được dòng sang một nhóm khác của cùng năm dự trù.")
        values.update(group_id=new_group.id, position=len(_lines(session, new_group.id)) + 1)
    for key, value in values.items():
        setattr(line, key, value)
    stamp_updated(line, actor)
    session.flush()
    _renumber(session, _lines(session, old_group.id), actor)


def delete_line(session: Session, line_id: int, actor: str, expected_version: int | None = None) -> None:
    line = existing_row(session, BudgetLine, line_id, _LINE_MISSING, expected_version)
    group_id = line.group_id
    session.delete(line)
    session.flush()
    _renumber(session, _lines(session, group_id), actor)


def move_line(session: Session, line_id: int, step: int, actor: str) -> None:
    """Move a line ``step`` places up or down inside its group; at an end it stays."""
    line = existing_row(session, BudgetLine, line_id, _LINE_MISSING)
    _move(session, _lines(session, line.group_id), line, step, actor)


# ---- replacing a year --------------------------------------------------------------------------

@dataclass
class _NewGroup:
    title: str
    lines: list[dict] = field(default_factory=list)


def _replace_year(session: Session, ward_id: int, year: int, groups: list[_NewGroup], actor: str,
                  progress: Progress | None = None) -> tuple[int, int]:
    """Put ``groups`` in place of the year's budget; returns how many groups and lines went."""
    old = year_budget(session, ward_id, year)
    group_ids = [group.id for group in old.groups]
    if group_ids:
        audit.delete_rows(session, BudgetLine, BudgetLine.group_id.in_(group_ids))
        audit.delete_rows(session, BudgetGroup, BudgetGroup.id.in_(group_ids))
    total_lines, done = sum(len(group.lines) for group in groups), 0
    for position, new in enumerate(groups, start=1):
        group = BudgetGroup(ward_id=ward_id, year=year, position=position, title=new.title)
        stamp_created(group, actor)
        session.add(group)
        session.flush()
        for number, values in enumerate(new.lines, start=1):
            line = BudgetLine(group_id=group.id, position=number, **values)
            stamp_created(line, actor)
            session.add(line)
            done += 1
            if progress is not None and not progress(done, total_lines):
                raise UserError(f"Đã huỷ nhập; dự trù kinh phí năm {year} giữ nguyên như trước.")
    session.flush()
    return len(old.groups), old.line_count


# ---- Excel -------------------------------------------------------------------------------------

HEADERS = {
    "group": ("Nhóm…",),
    "content": ("Nội dung…", "Khoản chi…"),
    "unit_label": ("Đơn vị tính", "ĐVT", "Đơn vị"),
    "quantity": ("Số lượng…", "SL"),
    "unit_price": ("Đơn giá…",),
    "amount": ("Thành tiền…", "Số tiền…"),
    "detail": ("Diễn giải…", "Chi tiết…", "Ghi chú…"),
}
REQUIRED = ("group", "content", "quantity", "unit_price", "amount")
EXPORT_HEADERS = ("Nhóm", "Nội dung", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)", "Diễn giải")
NUMBER_FIELDS = ("quantity", "unit_price", "amount")
_FORMULA = ("ô có công thức nhưng tệp chưa lưu kết quả tính (tệp do chương trình khác tạo ra). Hãy mở tệp bằng "
            "Excel hoặc LibreOffice, lưu lại rồi nhập lại.")
_TOTAL, _SUBTOTALS = "tong cong", {"cong", "cong nhom", "tong", "cong muc"}


def import_budget(session: Session, ward_id: int, year: int, path: str | Path, actor: str, *,
                  progress: Progress | None = None) -> ImportResult:
    """Replace the year's budget by the file's (see the module's rules); a faulty file changes nothing."""
    check_year(year)
    groups = read_budget_file(path)
    replaced_groups, replaced_lines = _replace_year(session, ward_id, year, groups, actor, progress)
    lines = [line for group in groups for line in group.lines]
    return ImportResult(year=year, groups=len(groups), lines=len(lines), total=sum(line["amount"] for line in lines),
                        replaced_groups=replaced_groups, replaced_lines=replaced_lines)


def read_budget_file(path: str | Path) -> list[_NewGroup]:
    """The groups and checked lines of an Excel file; a UserError names every faulty cell."""
    workbook = excel.open_workbook(path)
    sheet, header_row, columns = _find_table(workbook, path)
    formulas = _formula_cells(path, sheet.title)
    faults = excel.Faults()
    groups: dict[str, _NewGroup] = {}
    stated_total: tuple[excel.Cell, int] | None = None
    current = ""
    for row, values in excel.data_rows(sheet, header_row, columns, merged=("group",)):
        cell = excel.cell_at(sheet, row, columns)
        uncached = {name for name, column in columns.items() if values[name] is None and (row, column) in formulas}
        try:
            current, kind, payload = _read_row(values, uncached, current)
        except _RowFaults as found:
            for error in found.errors:
                faults.add(_located(cell(error.field), error))
            continue
        if kind == "total":
            stated_total = (cell("amount"), payload)
        elif kind in ("line", "group"):
            group = groups.setdefault(vntext.search_key(current), _NewGroup(current))
            if kind == "line":
                group.lines.append(payload)
    if not groups and not faults.messages:
        raise UserError(f'Trang "{sheet.title}": không có dòng dự trù nào dưới dòng tiêu đề (dòng {header_row}).')
    _check_file_total(list(groups.values()), stated_total, faults)
    faults.refuse(path, "chưa nhập dòng nào (dự trù kinh phí hiện có giữ nguyên)")
    return list(groups.values())


class _RowFaults(Exception):
    def __init__(self, errors: list[FieldError]):
        super().__init__()
        self.errors = errors


def _located(cell: excel.Cell, error: FieldError) -> UserError:
    """'Trang "Dự trù", dòng 7, cột E (Đơn giá): …'."""
    message = error.message[:1].lower() + error.message[1:]
    return UserError(f"{cell.place} ({LABELS[error.field]}): {message}")


def _read_row(values: dict, uncached: set[str], current: str) -> tuple[str, str, object]:
    """(the row's group, kind, payload): a "line" and its checked columns; a "group" alone; the
    "total" a "Tổng cộng" row states; or "skip" for a "Cộng" row. Raises _RowFaults naming
    every bad cell of the row."""
    errors = [FieldError(name, _FORMULA) for name in sorted(uncached)]
    numbers: dict[str, int | None] = {}
    for name in NUMBER_FIELDS:
        if name not in uncached:
            try:
                numbers[name] = _cell_number(name, values[name])
            except FieldError as error:
                errors.append(error)
    if errors:
        raise _RowFaults(errors)
    texts = {name: excel.text_value(values.get(name), paragraphs=name in ("content", "detail"))
             for name in ("content", "unit_label", "detail")}
    content_key = vntext.search_key(texts["content"])
    if numbers["quantity"] is None and numbers["unit_price"] is None and content_key in {_TOTAL, *_SUBTOTALS}:
        stated = content_key == _TOTAL and numbers["amount"] is not None
        return current, "total" if stated else "skip", numbers["amount"]
    try:
        current = _row_group(values["group"], current)
        if not any(texts.values()) and all(value is None for value in numbers.values()):
            return current, "group", None
        return current, "line", checked_line(LineInput(texts["content"], numbers["quantity"], numbers["unit_price"],
                                                       numbers["amount"], texts["unit_label"], texts["detail"]))
    except FieldError as error:
        raise _RowFaults([error]) from None


def _row_group(value, current: str) -> str:
    """The row's group title without its old Roman number; blank continues the group above."""
    if isinstance(value, date | time):
        raise FieldError("group", "ô nhóm đang là ngày tháng; hãy gõ tên nhóm.")
    title = excel.text_value(value)
    if not title:
        if not current:
            raise FieldError("group", "thiếu tên nhóm ở dòng đầu của bảng, ví dụ \u201cI. Tuyên truyền\u201d.")
        return current
    return _check_title(title)


def _cell_number(name: str, value) -> int | None:
    """A cell of a number column as whole đồng (or units); text is read as an officer types it."""
    label = LABELS[name]
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, date | time):   # Excel turns "1.2" into a date
        raise FieldError(name, f"ô đang là ngày tháng; hãy định dạng ô là số (Number) rồi gõ lại {label.lower()}.")
    if isinstance(value, bool):
        raise FieldError(name, f"{label} phải là một số, không phải \u201c{value}\u201d.")
    if isinstance(value, float):
        if not math.isfinite(value):  # "inf" in a file written by another program
            raise FieldError(name, f"{label} \u201c{value}\u201d không phải là một số.")
        if not value.is_integer():
            raise FieldError(name, f"{label} {vntext.format_number(value, 2)} phải là số nguyên, không có phần lẻ.")
        value = int(value)
    if isinstance(value, int):
        return value
    try:
        return parse_whole_number(str(value), label)
    except UserError as error:
        raise FieldError(name, error.message) from None


def _check_file_total(groups: list[_NewGroup], stated: tuple[excel.Cell, int] | None, faults: excel.Faults) -> None:
    total = sum(line["amount"] for group in groups for line in group.lines)
    if stated is not None and not faults.messages and stated[1] != total:
        faults.add(_located(stated[0], FieldError("amount", (
            f"dòng Tổng cộng ghi {vntext.format_number(stated[1])} đồng nhưng các dòng cộng lại "
            f"{vntext.format_number(total)} đồng."))))
    if total >= AMOUNT_LIMIT:
        faults.add(UserError(f"Tổng các dòng là {vntext.format_number(total)} đồng, quá lớn: tổng dự trù phải nhỏ "
                             f"hơn {vntext.format_number(AMOUNT_LIMIT)} đồng."))


def _find_table(workbook, path: str | Path):
    found = excel.find_table(workbook, HEADERS, REQUIRED)
    if found is not None:
        return found
    wanted = ", ".join(f"\u201c{LABELS[name]}\u201d" for name in REQUIRED)
    for sheet in [workbook.active, *workbook.worksheets]:
        partial = excel.locate_header(sheet, HEADERS, ("content",))
        if partial is not None:
            row, columns = partial
            missing = ", ".join(f"\u201c{LABELS[name]}\u201d" for name in REQUIRED if name not in columns)
            raise UserError(f'Trang "{sheet.title}", dòng {row}: dòng tiêu đề thiếu cột {missing}. Bảng dự trù cần '
                            f"các cột {wanted}; cột \u201cĐơn vị tính\u201d và \u201cDiễn giải\u201d không bắt buộc.")
    raise UserError(f'Không tìm thấy bảng dự trù trong tệp "{Path(path).name}": cần một dòng tiêu đề có các cột '
                    f"{wanted} trong {excel.HEADER_SEARCH_ROWS} dòng đầu. Hãy sửa tệp rồi nhập lại.")


def _formula_cells(path: str | Path, sheet_title: str) -> set[tuple[int, int]]:
    """(row, column) of every formula on the sheet: their values read as empty when the file
    holds no computed result, which must not pass for a blank cell."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=UserWarning, module="openpyxl")
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=False)
    try:
        return {(cell.row, cell.column) for row in workbook[sheet_title].iter_rows()
                for cell in row if cell.data_type == "f"}
    finally:
        workbook.close()


def export_budget(session: Session, ward_id: int, year: int, path: str | Path) -> int:
    """Write the year's budget in the columns the import reads; returns how many rows were written."""
    from openpyxl import Workbook

    budget = year_budget(session, ward_id, year)
    rows: list[tuple] = []
    for group in budget.groups:
        heading = f"{group.code}. {group.title}"
        rows += [(heading, line.content, line.unit_label or None, line.quantity, line.unit_price, line.amount,
                  line.detail or None) for line in group.lines] or [(heading,)]
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Dự trù kinh phí {year}"
    excel.write_table(sheet, EXPORT_HEADERS, rows, (36, 50, 12, 10, 16, 18, 40))
    for cells in sheet.iter_rows(min_row=2, min_col=4, max_col=6):
        for cell in cells:
            cell.number_format = "#,##0"
    excel.save_workbook(workbook, path)
    return len(rows)


# ---- the printed estimate ----------------------------------------------------------------------

def budget_document(session: Session, ward_id: int, year: int) -> report.BudgetEstimate:
    """The estimate as an annex of the ward's plan (the plan's number and date left for the văn thư)."""
    budget = year_budget(session, ward_id, year)
    profile = require_profile(session)
    gap = "\u00a0" * 7
    reference = (f"(Kèm theo Kế hoạch số{gap}/KH-{profile.ubnd_doc_suffix or 'UBND'} ngày{gap}tháng{gap}năm\u00a0{year} "
                 f"của Ủy ban nhân dân {profile.ward_title})")
    sections = tuple(report.BudgetSection(group.title, tuple(
        report.BudgetItem(line.content, line.amount, line.unit_label, line.quantity, line.unit_price, line.detail)
        for line in group.lines), group.subtotal) for group in budget.groups)
    return report.BudgetEstimate(issuer=committee_issuer(profile), year=year, subtitle=PURPOSE.format(year=year),
                                 reference=reference, sections=sections, total=budget.total,
                                 total_in_words=budget.total_in_words)


def budget_pdf(session: Session, ward_id: int, year: int) -> bytes:
    buffer = io.BytesIO()
    report.render_budget(budget_document(session, ward_id, year), buffer)
    return buffer.getvalue()


# ---- the demo ward -------------------------------------------------------------------------------

_DEMO = (
    ("Tuyên truyền, phổ biến, vận động Nhân dân tham gia phong trào toàn dân bảo vệ an ninh Tổ quốc", (
        LineInput("In tờ rơi tuyên truyền phòng, chống tội phạm, ma túy, lừa đảo qua mạng", 2000, 1500,
                  unit_label="tờ", detail="Cấp cho 12 tổ dân phố"),
        LineInput("Làm pa nô, băng rôn, khẩu hiệu tuyên truyền", 6, 850_000, unit_label="bộ"),
        LineInput("Bồi dưỡng viết tin, bài phát trên hệ thống loa truyền thanh phường", 48, 50_000,
                  unit_label="tin, bài"),
    )),
    ("Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d (19/8) theo Quyết định số 521/QĐ-TTg", (
        LineInput("Trang trí khánh tiết, âm thanh, ánh sáng", amount=4_500_000, unit_label="trọn gói",
                  detail="Khoán gọn theo báo giá"),
        LineInput("Hỗ trợ tổ dân phố tổ chức Ngày hội", 12, 500_000, unit_label="tổ dân phố"),
        LineInput("Nước uống phục vụ đại biểu và Nhân dân", 150, 20_000, unit_label="người"),
    )),
    ("Hỗ trợ lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở", (
        LineInput("Tập huấn nghiệp vụ cho thành viên Tổ bảo vệ an ninh, trật tự", 60, 100_000, unit_label="người",
                  detail="02 lớp, mỗi lớp 30 người"),
        LineInput("Mua đèn pin, áo phản quang phục vụ tuần tra", 20, 250_000, unit_label="bộ"),
    )),
    ("Sơ kết, tổng kết, khen thưởng phong trào", (
        LineInput("Hội nghị tổng kết phong trào toàn dân bảo vệ an ninh Tổ quốc", amount=3_000_000,
                  unit_label="hội nghị", detail="Tài liệu, hội trường, nước uống"),
        LineInput("Tiền thưởng kèm Giấy khen tập thể", 5, 1_000_000, unit_label="tập thể"),
        LineInput("Tiền thưởng kèm Giấy khen cá nhân", 10, 500_000, unit_label="người"),
    )),
)


def add_demo_budget(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The demo ward's estimate of ``year`` (48.000.000 đồng in four groups, one line a lump sum
    each in two of them), in place of any it had; returns how many lines it holds."""
    groups = [_NewGroup(title, [checked_line(line) for line in lines]) for title, lines in _DEMO]
    _replace_year(session, ward_id, year, groups, actor)
    return sum(len(group.lines) for group in groups)
