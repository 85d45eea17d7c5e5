"""The shared Excel helpers: refusals of unusable files, headers found by their Vietnamese
names, rows read with merged cells, and faults gathered into one message."""

from __future__ import annotations

import warnings

import openpyxl
import pytest

from antq_desktop.errors import UserError
from antq_desktop.services import excel

WANTED = {"code": ("Mã", "STT"), "title": ("Nội dung…", "Tiêu chí"), "group": ("Nhóm…",)}


def _sheet(*rows, title: str = "Danh sách"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    return workbook, sheet


def _refusal(function, *args) -> str:
    with pytest.raises(UserError) as refused:
        function(*args)
    return refused.value.message


# ---- opening ---------------------------------------------------------------------------------------


def test_unusable_files_are_refused_by_name(tmp_path):
    assert _refusal(excel.open_workbook, tmp_path / "khong-co.xlsx").startswith('Không tìm thấy tệp "')
    old = tmp_path / "cu.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0")
    assert _refusal(excel.open_workbook, old).startswith('Tệp "cu.xls" không phải tệp Excel .xlsx.')
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"TT;Noi dung")
    assert _refusal(excel.open_workbook, broken).startswith(
        'Không đọc được tệp "hong.xlsx": tệp bị hỏng, chưa chép hết hoặc không phải tệp Excel (BadZipFile).')


def test_a_template_opens_and_openpyxl_warnings_are_kept_quiet(tmp_path, monkeypatch):
    workbook, _sheet_ = _sheet(["Mã", "Nội dung"], [1, "Một"])
    workbook.template = True
    path = tmp_path / "mau.xltx"
    workbook.save(path)

    real_load = openpyxl.load_workbook

    def load_with_a_warning(*args, **kwargs):
        warnings.warn_explicit("Workbook contains no default style, apply openpyxl's default", UserWarning,
                               "stylesheet.py", 1, module="openpyxl.styles.stylesheet")
        return real_load(*args, **kwargs)

    monkeypatch.setattr(openpyxl, "load_workbook", load_with_a_warning)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opened = excel.open_workbook(path)
    assert opened.active["B2"].value == "Một"


# ---- headers -----------------------------------------------------------------------------------------


def test_a_header_is_found_below_a_title_by_any_spelling_of_its_names():
    _workbook, sheet = _sheet(["DANH SÁCH TIÊU CHÍ"], [], ["Ghi chú", "NOI DUNG TIEU CHI:", "Ma *", "Nhóm tiêu chí", "Mã"])
    assert excel.find_header(sheet, WANTED, ("code", "title")) == (3, {"title": 2, "code": 3, "group": 4})


def test_slashes_and_dots_in_a_header_do_not_matter():
    _workbook, sheet = _sheet(["Mã / STT.", "Tiêu chí"])
    wanted = {"code": ("Mã/STT",), "title": ("Tiêu chí",)}
    assert excel.find_header(sheet, wanted, ("code", "title")) == (1, {"code": 1, "title": 2})


def test_a_missing_header_names_the_columns_it_needs():
    _workbook, sheet = _sheet(["Cột 1", "Cột 2"])
    assert excel.locate_header(sheet, WANTED, ("code", "title")) is None
    assert _refusal(excel.find_header, sheet, WANTED, ("code", "title")) == (
        'Trang "Danh sách": không thấy dòng tiêu đề có các cột "Mã", "Nội dung" trong 20 dòng đầu.')


def test_a_table_is_looked_for_on_the_active_sheet_first_then_the_others():
    workbook, _first = _sheet(["Ghi chú"], title="Bìa")
    second = workbook.create_sheet("Tiêu chí")
    second.append(["STT", "Nội dung"])
    sheet, row, columns = excel.find_table(workbook, WANTED, ("code", "title"))
    assert (sheet.title, row, columns) == ("Tiêu chí", 1, {"code": 1, "title": 2})
    workbook.active = 1
    assert excel.find_table(workbook, {"note": ("Ghi chú",)}, ("note",))[0].title == "Bìa"
    assert excel.find_table(workbook, {"note": ("Không có",)}, ("note",)) is None


# ---- rows --------------------------------------------------------------------------------------------


def test_rows_skip_empty_lines_and_take_a_merged_group():
    _workbook, sheet = _sheet(["Mã", "Nội dung", "Nhóm"], [1, "Một", "Nhóm A"], [2, "Hai", None], [None, " ", None],
                              [3, "Ba", None])
    sheet.merge_cells("C2:C3")
    columns = {"code": 1, "title": 2, "group": 3}
    assert list(excel.data_rows(sheet, 1, columns, merged=("group",))) == [
        (2, {"code": 1, "title": "Một", "group": "Nhóm A"}),
        (3, {"code": 2, "title": "Hai", "group": "Nhóm A"}),
        (5, {"code": 3, "title": "Ba", "group": None}),
    ]
    assert [values["group"] for _row, values in excel.data_rows(sheet, 1, columns)] == ["Nhóm A", None, None]


def test_a_merged_tail_alone_is_an_empty_row():
    _workbook, sheet = _sheet(["Mã", "Nhóm"], [1, "Nhóm A"], [None, None])
    sheet.merge_cells("B2:B3")
    assert [row for row, _values in excel.data_rows(sheet, 1, {"code": 1, "group": 2}, merged=("group",))] == [2]


def test_text_values():
    assert [excel.text_value(value) for value in (None, 3.0, 2.5, "  a \n b ")] == ["", "3", "2.5", "a b"]
    assert excel.text_value(" dòng một \n\n\n dòng  hai ", paragraphs=True) == "dòng một\n\ndòng hai"


# ---- faults ------------------------------------------------------------------------------------------


def _faults(count: int) -> excel.Faults:
    _workbook, sheet = _sheet(["Mã"])
    faults = excel.Faults()
    for row in range(2, count + 2):
        with faults.collected():
            raise excel.cell_at(sheet, row, {"code": 1})("code").error("thiếu mã.")
    return faults


def test_no_fault_is_no_refusal():
    _faults(0).refuse("ds.xlsx", "chưa nhập gì")


def test_one_fault_is_refused_as_it_is():
    assert _refusal(_faults(1).refuse, "ds.xlsx", "chưa nhập gì") == 'Trang "Danh sách", dòng 2, cột A: thiếu mã.'


def test_several_faults_are_listed_up_to_fifteen():
    assert _refusal(_faults(2).refuse, "ds.xlsx", "chưa nhập gì") == (
        'Tệp "ds.xlsx" có 2 lỗi nên chưa nhập gì:\n'
        '• Trang "Danh sách", dòng 2, cột A: thiếu mã.\n'
        '• Trang "Danh sách", dòng 3, cột A: thiếu mã.\n'
        "Hãy sửa tệp rồi nhập lại.")
    message = _refusal(_faults(17).refuse, "ds.xlsx", "chưa nhập gì")
    assert message.count("\n•") == 15 and "dòng 16," in message and "dòng 17," not in message
    assert message.endswith("\n… và 2 lỗi khác.\nHãy sửa tệp rồi nhập lại.")
