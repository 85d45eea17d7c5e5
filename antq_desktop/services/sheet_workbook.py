"""The score sheets to and from Excel, so the administrator can copy the province's sheet.

One worksheet per kind, named as the kind ("Khu dân cư", "Xã, phường", "Cơ quan", …), with
the columns Mã mục | Nội dung chấm điểm | Điểm chuẩn | Điểm trừ. A sub-item's code extends
its parent's with a dot ("2.1" under "2"), and comes after it. A workbook may hold only some
kinds: the others keep their current sheets. Levels and cap rules are edited in the program.
"""

from __future__ import annotations

import copy
from pathlib import Path

from openpyxl import Workbook

from antq_desktop.domain import classification as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.criteria import KINDS
from antq_desktop.errors import UserError
from antq_desktop.services import excel
from antq_desktop.services.classification import kind_label

_HEADERS = {
    "code": ("Mã mục", "Mã", "TT", "STT", "Số thứ tự"),
    "title": ("Nội dung chấm điểm", "Nội dung", "Tiêu chí"),
    "max_points": ("Điểm chuẩn", "Điểm tối đa", "Điểm"),
    "deduction": ("Điểm trừ", "Mục điểm trừ", "Trừ"),
}
_YES = {"x", "co", "1", "true", "diem tru", "tru"}


def _sheet_title(kind: str) -> str:
    # Excel refuses some characters in sheet names, and the ward's label has none of them.
    return kind_label(kind).replace(" (tự chấm)", "")


def export_sheets(sheet_set: rules.SheetSet, path: str | Path) -> None:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for kind in KINDS:
        sheet = workbook.create_sheet(_sheet_title(kind))
        rows = [(item.code, item.title, _number(item.max_points), "x" if item.deduction and top else "")
                for top_item in sheet_set.sheet(kind).items
                for item, top in ((child, child is top_item) for child in top_item.walk())]
        excel.write_table(sheet, [names[0] for names in _HEADERS.values()], rows, (10, 90, 12, 10))
    excel.save_workbook(workbook, path)


def _number(value):
    return int(value) if value == value.to_integral_value() else float(value)


def import_sheets(current: dict, path: str | Path) -> dict:
    """A copy of ``current`` (a set as data) with the sheets of the kinds the workbook holds
    replaced, checked as a whole: a bad workbook changes nothing, and its faulty rows are all named."""
    workbook = excel.open_workbook(path)
    by_title = {vntext.search_key(_sheet_title(kind)): kind for kind in KINDS}
    found = {by_title[key]: sheet for sheet in workbook.worksheets if (key := vntext.search_key(sheet.title)) in by_title}
    if not found:
        names = ", ".join(f'"{_sheet_title(kind)}"' for kind in KINDS)
        raise UserError(f'Tệp "{Path(path).name}" không có trang nào mang tên một loại đơn vị ({names}). '
                        "Hãy dùng tệp mẫu do chương trình xuất ra.")
    raw = copy.deepcopy(current)
    faults = excel.Faults()
    for kind, sheet in found.items():
        with faults.collected():
            raw["sheets"][kind] = _read_sheet(sheet, faults)
    faults.refuse(path, "chưa đổi bảng điểm nào")
    raw["is_default"] = False
    try:
        rules.parse_sheet_set(raw, Path(path).name)
    except UserError as error:
        raise UserError(f"{error} (Số điểm các mục con phải cộng đúng bằng mục cha; mỗi bảng 100 điểm.)") from None
    return raw


def _read_sheet(sheet, faults: excel.Faults) -> list[dict]:
    header_row, columns = excel.find_header(sheet, _HEADERS, ("code", "title", "max_points"))
    rows = list(excel.data_rows(sheet, header_row, columns))
    if not rows:
        raise UserError(f'Trang "{sheet.title}" không có mục nào.')
    items: dict[str, dict] = {}  # by code
    tops: list[dict] = []
    for row_number, values in rows:
        cell = excel.cell_at(sheet, row_number, columns)
        with faults.collected():
            code = _read_code(values, cell, items)
            # Known from here on, even if the rest of the row is wrong: its sub-items are no orphans.
            item = items[code] = {"code": code}
            item.update(_read_item(code, values, cell))
            parent_code = code.rsplit(".", 1)[0] if "." in code else None
            if parent_code is None:
                tops.append(item)
            elif parent_code in items:
                items[parent_code].setdefault("children", []).append(item)
                item.pop("deduction", None)  # sub-items follow their parent
            else:
                raise cell("code").error(f'mục "{code}" đứng trước mục cha "{parent_code}" (hoặc thiếu mục cha).')
    return tops


def _read_code(values: dict, cell, known: dict) -> str:
    code = excel.text_value(values.get("code")).rstrip(".")
    if not code:
        raise cell("code").error("thiếu mã mục.")
    if code in known:
        raise cell("code").error(f'mã mục "{code}" bị trùng.')
    return code


def _read_item(code: str, values: dict, cell) -> dict:
    """The rest of a row: its title, points and deduction mark."""
    title = excel.text_value(values.get("title"))
    if not title:
        raise cell("title").error(f"mục {code} thiếu nội dung chấm điểm.")
    points = excel.number_value(cell("max_points"), values.get("max_points"), "Điểm chuẩn")
    if points is None:
        raise cell("max_points").error(f"mục {code} thiếu điểm chuẩn.")
    if points <= 0:
        raise cell("max_points").error(f"điểm chuẩn mục {code} phải lớn hơn 0 (mục điểm trừ: ghi mức trừ tối đa "
                                       'và đánh dấu "x" ở cột Điểm trừ).')
    item = {"title": title, "max_points": _number(points)}
    if "deduction" in values and vntext.search_key(excel.text_value(values["deduction"])) in _YES:
        item["deduction"] = True
    return item
