"""The shared Excel helpers: refusals of unusable files, headers found by their Vietnamese
names, rows read with merged cells, and faults gathered into one message."""

from __future__ import annotations

import warnings
from datetime import date, datetime, time

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
    # counts with their thousands dot, row numbers without
    message = _refusal(_faults(1250).refuse, "ds.xlsx", "chưa nhập gì")
    assert message.startswith('Tệp "ds.xlsx" có 1.250 lỗi nên chưa nhập gì:\n')
    assert message.endswith("\n… và 1.235 lỗi khác.\nHãy sửa tệp rồi nhập lại.")
    assert excel.Cell("Danh sách", 1234, 2, "Ngày").place == 'Trang "Danh sách", dòng 1234, cột B (Ngày)'


def test_one_fault_keeps_its_place_apart_for_a_table_of_faults():
    faults = _faults(2)
    with pytest.raises(excel.FaultsError) as refused:
        faults.refuse("ds.xlsx", "chưa nhập gì")
    first = refused.value.faults[0]
    assert (first.sheet, first.row, first.column, first.message) == ("Danh sách", 2, 1, "thiếu mã.")
    assert first.line == 'Trang "Danh sách", dòng 2, cột A: thiếu mã.'
    named = excel.Cell("Đơn vị", 7, 3, "Tên đơn vị")
    assert named.error("trống.").message == 'Trang "Đơn vị", dòng 7, cột C (Tên đơn vị): trống.'
    assert excel.Cell("Đơn vị", 7, 0).place == 'Trang "Đơn vị", dòng 7'
    assert excel.Cell("Đơn vị", 0, 0).place == 'Trang "Đơn vị"'


# ---- typed values --------------------------------------------------------------------------------------

CELL = excel.Cell("Danh sách", 3, 2, "Ngày")


@pytest.mark.parametrize("value, day", [
    (datetime(2026, 3, 5, 0, 0), date(2026, 3, 5)), (date(2026, 3, 5), date(2026, 3, 5)),
    ("05/03/2026", date(2026, 3, 5)), ("5-3-2026", date(2026, 3, 5)), ("2026-03-05", date(2026, 3, 5)),
    (46086, date(2026, 3, 5)), (None, None), ("  ", None)])
def test_a_day_is_read_however_the_cell_holds_it(value, day):
    assert excel.date_value(CELL, value, "Ngày") == day


def test_a_day_that_is_not_one_is_refused_in_words():
    assert _refusal(excel.date_value, CELL, "đầu năm", "Ngày") == (
        'Trang "Danh sách", dòng 3, cột B (Ngày): Ngày "đầu năm" không phải là một ngày: hãy ghi theo dạng '
        "ngày/tháng/năm, ví dụ 05/03/2026.")
    assert "không có trên lịch" in _refusal(excel.date_value, CELL, "31/02/2026", "Ngày")


def test_whole_numbers_and_their_range():
    assert [excel.whole_value(CELL, value, "Số hộ", 0) for value in (None, 12, 12.0, "1.200")] == [None, 12, 12, 1200]
    assert _refusal(excel.whole_value, CELL, 12.5, "Số hộ").endswith('Số hộ phải là số nguyên, không phải "12.5".')
    assert _refusal(excel.whole_value, CELL, -3, "Số hộ", 0).endswith("Số hộ phải từ 0 (đã ghi -3).")
    assert _refusal(excel.whole_value, CELL, 12_000, "Số hộ", 0, 10_000).endswith(
        "Số hộ phải từ 0 đến 10.000 (đã ghi 12.000).")  # a quantity: the thousands dot
    assert _refusal(excel.whole_value, CELL, 2200, "Năm", 1900, 2100, False).endswith(
        "Năm phải từ 1900 đến 2100 (đã ghi 2200).")  # a year: none


def test_times_and_choices():
    assert [excel.time_text(value) for value in (time(8, 30), datetime(2026, 1, 1, 14, 0), 0.375, "8h30", None)] == [
        "08:30", "14:00", "09:00", "8h30", ""]
    kinds = excel.Choices([("kdc", "Khu dân cư"), ("co_quan", "Cơ quan")], aliases=[("KDC", "kdc")])
    assert [kinds.code(CELL, text, "Loại") for text in ("Khu dân cư", "khu dan cu", "kdc", "CƠ QUAN", None)] == [
        "kdc", "kdc", "kdc", "co_quan", None]
    assert _refusal(kinds.code, CELL, "Trường", "Loại").endswith(
        'Loại "Trường" không có trong danh sách. Hãy chọn trong danh sách thả xuống ("Khu dân cư", "Cơ quan").')
    assert [excel.YES_NO.code(CELL, value, "Có") for value in ("Có", "không", "x", True, 0)] == [
        True, False, True, True, False]


def test_formulas_are_faults_and_their_rows_are_left_out(tmp_path):
    workbook, sheet = _sheet(["Mã", "Số"], [1, 5], [2, "=B2*2"], [None, None], [3, 7])
    path = tmp_path / "cong-thuc.xlsx"
    workbook.save(path)
    faults = excel.Faults()
    with excel.reading(path, formulas=True) as book:
        rows = list(excel.cell_rows(book["Danh sách"], 1, {"code": 1, "number": 2}, faults, {"number": "Số"}))
    assert rows == [(2, {"code": 1, "number": 5}), (5, {"code": 3, "number": 7})]
    assert faults.messages == [f'Trang "Danh sách", dòng 3, cột B (Số): {excel.FORMULA_FAULT}']


def test_a_sheet_cut_short_inside_a_sound_file_is_refused_as_damaged(tmp_path):
    import zipfile

    workbook, sheet = _sheet(["Mã", "Tên"], *([n, f"Đơn vị {n}"] for n in range(1, 200)))
    whole, cut = tmp_path / "du.xlsx", tmp_path / "thieu.xlsx"
    workbook.save(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] if item.filename.startswith("xl/worksheets/") else data)
    with pytest.raises(UserError, match='Không đọc được tệp "thieu.xlsx": tệp bị hỏng'):  # noqa: PT012
        with excel.reading(cut) as book:
            list(excel.sheet_rows(book["Danh sách"], values_only=True))
