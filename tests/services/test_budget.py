"""The budget estimate: groups and lines with their totals, the checks of a line, moving and
removing, and the Excel import (every fault named, nothing half-written) and export."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from antq_desktop.errors import UserError
from antq_desktop.services import budget
from antq_desktop.services.budget import LineInput
from tests.services.antt_helpers import ACTOR, YEAR, AnttWard


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _refused(ward: AnttWard, function, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        ward.call(function, *args, **kwargs)
    return info.value.message


def _group(ward: AnttWard, title: str, year: int = YEAR) -> int:
    return ward.ward_call(budget.add_group, year, title, ACTOR)


def _line(ward: AnttWard, group_id: int, content: str, quantity=None, price=None, amount=None, **more) -> int:
    return ward.call(budget.add_line, group_id, LineInput(content, quantity, price, amount, **more), ACTOR)


def _budget(ward: AnttWard, year: int = YEAR) -> budget.Budget:
    return ward.ward_call(budget.year_budget, year)


def _json(ward: AnttWard, year: int = YEAR) -> dict:
    return budget.budget_json(_budget(ward, year))


def _small_budget(ward: AnttWard) -> tuple[int, int]:
    first = _group(ward, "Tuyên truyền")
    _line(ward, first, "In tờ rơi", 2000, 1500, unit_label="tờ")
    _line(ward, first, "Pa nô, khẩu hiệu", 6, 850_000)
    second = _group(ward, "Ngày hội 19/8")
    _line(ward, second, "Khánh tiết, âm thanh", amount=4_500_000, detail="Khoán gọn")
    return first, second


# ---- totals, numbering and the JSON ----------------------------------------------------------------

def test_a_new_year_is_empty_and_reads_zero_in_words(ward):
    empty = _budget(ward)
    assert (empty.groups, empty.total, empty.total_in_words) == ((), 0, "Không đồng")


def test_subtotals_total_words_and_json(ward):
    _small_budget(ward)
    assert _json(ward) == {
        "year": YEAR,
        "groups": [
            {"code": "I", "title": "Tuyên truyền", "subtotal": 8_100_000, "lines": [
                {"content": "In tờ rơi", "quantity": 2000, "unit_price": 1500, "amount": 3_000_000},
                {"content": "Pa nô, khẩu hiệu", "quantity": 6, "unit_price": 850_000, "amount": 5_100_000}]},
            {"code": "II", "title": "Ngày hội 19/8", "subtotal": 4_500_000, "lines": [
                {"content": "Khánh tiết, âm thanh", "quantity": None, "unit_price": None, "amount": 4_500_000}]},
        ],
        "total": 12_600_000,
        "total_in_words": "Mười hai triệu sáu trăm nghìn đồng",
    }
    data = _budget(ward)
    assert [line.number for line in data.groups[0].lines] == [1, 2]
    assert data.groups[0].lines[0].unit_label == "tờ" and data.groups[1].lines[0].detail == "Khoán gọn"
    assert data.groups[1].lines[0].lump_sum and not data.groups[0].lines[0].lump_sum
    assert _budget(ward, YEAR + 1).groups == ()   # each year has its own budget


def test_an_amount_typed_with_quantity_and_price_must_agree(ward):
    group = _group(ward, "Nhóm")
    line = _line(ward, group, "Đúng", 3, 1000, 3000)
    assert _budget(ward).groups[0].lines[0].id == line and _budget(ward).total == 3000


@pytest.mark.parametrize(("data", "message"), [
    (LineInput("  ", 1, 1), "Hãy nhập nội dung chi."),
    (LineInput("x", 2, None), "Thiếu đơn giá: khoản chi tính theo số lượng × đơn giá cần cả hai; khoản chi khoán "
                              "gọn thì để trống cả hai và nhập thành tiền."),
    (LineInput("x", None, 5), "Thiếu số lượng: khoản chi tính theo"),
    (LineInput("x"), "Hãy nhập thành tiền của khoản chi khoán gọn, hoặc nhập số lượng và đơn giá."),
    (LineInput("x", -1, 5), "Số lượng không được là số âm (-1)."),
    (LineInput("x", 1, -5), "Đơn giá không được là số âm (-5)."),
    (LineInput("x", amount=-5), "Thành tiền không được là số âm (-5)."),
    (LineInput("x", 2, 3, 7), "Thành tiền 7 đồng khác số lượng × đơn giá = 2 × 3 = 6 đồng."),
    (LineInput("x", 2.5, 3), "Số lượng phải là số nguyên, không có phần lẻ."),
    (LineInput("x", 10**9, 1), "Số lượng 1.000.000.000 quá lớn: phải nhỏ hơn 1.000.000.000."),
    (LineInput("x", 10**8, 10**8), "Số lượng × đơn giá = 10.000.000.000.000.000 đồng, quá lớn"),
    (LineInput("x", amount=10**15), "Thành tiền 1.000.000.000.000.000 quá lớn"),
    (LineInput("x" * 1001, amount=1), "Nội dung dài quá 1000 ký tự."),
    (LineInput("x", amount=1, unit_label="y" * 51), "Đơn vị tính dài quá 50 ký tự."),
])
def test_a_line_is_refused_with_a_clear_message(ward, data, message):
    group = _group(ward, "Nhóm")
    assert _refused(ward, budget.add_line, group, data, ACTOR).startswith(message)
    assert _budget(ward).groups[0].lines == ()


def test_the_years_total_stays_below_a_million_billion(ward):
    group = _group(ward, "Nhóm")
    _line(ward, group, "Một", amount=600 * 10**12)
    message = _refused(ward, budget.add_line, group, LineInput("Hai", amount=400 * 10**12), ACTOR)
    assert message.startswith(f"Tổng dự trù năm {YEAR} sẽ là 1.000.000.000.000.000 đồng, quá lớn")
    assert _line(ward, group, "Hai", amount=399 * 10**12)  # just below is fine


@pytest.mark.parametrize(("text", "value"), [
    ("1.500.000", 1_500_000), ("1 500 000", 1_500_000), ("1500000", 1_500_000), ("  ", None), ("0", 0),
    ("-5", -5), ("1.500", 1500),
])
def test_numbers_as_officers_type_them(text, value):
    assert budget.parse_whole_number(text, "Đơn giá") == value


@pytest.mark.parametrize(("text", "message"), [
    ("1,5", 'Đơn giá "1,5" phải là số nguyên, không có phần lẻ.'),
    ("1.5", 'Đơn giá "1.5" phải là số nguyên, không có phần lẻ.'),
    ("năm trăm", 'Đơn giá "năm trăm" không phải là một số.'),
    ("1.50.000", 'Đơn giá "1.50.000" không phải là một số.'),
])
def test_numbers_that_are_not_whole_dong(text, message):
    with pytest.raises(UserError) as info:
        budget.parse_whole_number(text, "Đơn giá")
    assert info.value.message == message


# ---- groups and lines: edit, move, remove ----------------------------------------------------------

def test_group_titles_are_needed_and_unique_in_a_year(ward):
    assert _refused(ward, budget.add_group, ward.ward_id, YEAR, " ", ACTOR).startswith("Hãy nhập tên nhóm")
    first = _group(ward, "Tuyên truyền")
    assert _refused(ward, budget.add_group, ward.ward_id, YEAR, "tuyen TRUYEN", ACTOR) == (
        f"Dự trù năm {YEAR} đã có nhóm \u201cTuyên truyền\u201d. Hãy thêm dòng vào nhóm đó, hoặc đặt tên khác.")
    _group(ward, "Tuyên truyền", YEAR + 1)  # another year may have it
    assert _refused(ward, budget.add_group, ward.ward_id, YEAR, "II. Tuyên truyền", ACTOR).startswith(
        f"Dự trù năm {YEAR} đã có nhóm")   # a numeral typed before a title is not part of it
    assert _refused(ward, budget.add_group, ward.ward_id, YEAR, "x" * 301, ACTOR) == "Nhóm dài quá 300 ký tự."
    ward.call(budget.update_group, first, "Tuyên truyền, phổ biến", ACTOR)
    assert [group.title for group in _budget(ward).groups] == ["Tuyên truyền, phổ biến"]


def test_stale_edits_are_refused(ward):
    group = _group(ward, "Nhóm")
    line = _line(ward, group, "Dòng", amount=1000)
    seen = _budget(ward).groups[0]
    ward.call(budget.update_group, group, "Nhóm mới", ACTOR, seen.version)
    assert "vừa được người khác sửa" in _refused(ward, budget.update_group, group, "Khác", ACTOR, seen.version)
    old = seen.lines[0]
    ward.call(budget.update_line, line, LineInput("Dòng", amount=2000), ACTOR, old.version)
    assert "vừa được người khác sửa" in _refused(ward, budget.delete_line, line, ACTOR, old.version)
    assert _budget(ward).total == 2000


def test_move_groups_and_lines_and_renumber_after_removal(ward):
    first, second = _small_budget(ward)
    third = _group(ward, "Khen thưởng")
    ward.call(budget.move_group, third, -1, ACTOR)
    ward.call(budget.move_group, first, -1, ACTOR)  # already first: stays
    assert [(g.code, g.title) for g in _budget(ward).groups] == [
        ("I", "Tuyên truyền"), ("II", "Khen thưởng"), ("III", "Ngày hội 19/8")]
    lines = _budget(ward).groups[0].lines
    ward.call(budget.move_line, lines[1].id, -1, ACTOR)
    ward.call(budget.move_line, lines[1].id, -5, ACTOR)
    assert [line.content for line in _budget(ward).groups[0].lines] == ["Pa nô, khẩu hiệu", "In tờ rơi"]
    ward.call(budget.delete_line, lines[1].id, ACTOR)
    assert [(line.number, line.content) for line in _budget(ward).groups[0].lines] == [(1, "In tờ rơi")]
    ward.call(budget.delete_group, third, ACTOR)
    assert [(g.code, g.title) for g in _budget(ward).groups] == [("I", "Tuyên truyền"), ("II", "Ngày hội 19/8")]
    ward.call(budget.delete_group, first, ACTOR)
    assert [(g.code, g.title, g.subtotal) for g in _budget(ward).groups] == [("I", "Ngày hội 19/8", 4_500_000)]
    assert "Không tìm thấy nhóm này" in _refused(ward, budget.add_line, first, LineInput("x", amount=1), ACTOR)


def test_a_line_moves_to_another_group_of_the_same_year(ward):
    first, second = _small_budget(ward)
    moved = _budget(ward).groups[0].lines[0]
    ward.call(budget.update_line, moved.id, moved.as_input(), ACTOR, moved.version, second)
    groups = _budget(ward).groups
    assert [line.content for line in groups[0].lines] == ["Pa nô, khẩu hiệu"]
    assert [(line.number, line.content) for line in groups[1].lines] == [(1, "Khánh tiết, âm thanh"),
                                                                         (2, "In tờ rơi")]
    other_year = _group(ward, "Nhóm năm sau", YEAR + 1)
    line = groups[1].lines[1]
    assert _refused(ward, budget.update_line, line.id, line.as_input(), ACTOR, None, other_year) == (
        "Chỉ chuyển được dòng sang một nhóm khác của cùng năm dự trù.")


def test_the_demo_budget(ward):
    assert ward.ward_call(budget.add_demo_budget, YEAR, ACTOR) == 11
    data = _budget(ward)
    assert (data.total, data.total_in_words) == (48_000_000, "Bốn mươi tám triệu đồng")
    assert [group.code for group in data.groups] == ["I", "II", "III", "IV"]
    assert sum(line.lump_sum for group in data.groups for line in group.lines) == 2
    ward.ward_call(budget.add_demo_budget, YEAR, ACTOR)   # again: replaced, not doubled
    assert _budget(ward).total == 48_000_000


# ---- Excel -------------------------------------------------------------------------------------

HEADER = ["Nhóm", "Nội dung", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)", "Diễn giải"]


def _workbook(path: Path, rows: list[list], title: str = "Dự trù") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


def _import(ward: AnttWard, path: Path, year: int = YEAR, **kwargs) -> budget.ImportResult:
    return ward.ward_call(budget.import_budget, year, path, ACTOR, **kwargs)


GOOD = [
    ["DỰ TRÙ KINH PHÍ NĂM 2026"],   # a title above the header
    [],
    HEADER,
    ["I. Tuyên truyền", "In tờ rơi", "tờ", 2000, 1500, 3_000_000, "12 tổ dân phố"],
    [None, "Pa nô", "bộ", "6", "850.000", None, None],          # blank group: the one above; text numbers
    ["II - Ngày hội 19/8", "Khánh tiết", "trọn gói", None, None, 4_500_000.0, "Khoán gọn"],
    ["I. Tuyên truyền", "Tin, bài", "tin", 48, 50_000, 2_400_000, None],   # back to group I
    ["III. Khen thưởng", None, None, None, None, None, None],   # a group with no line yet
    [None, "Cộng", None, None, None, 14_000_000, None],         # a subtotal row: skipped
    [None, "Tổng cộng", None, None, None, 15_000_000, None],    # checked, not imported
]


def test_import_reads_groups_in_order_of_first_appearance(ward, tmp_path):
    result = _import(ward, _workbook(tmp_path / "du-tru.xlsx", GOOD))
    assert result.summary == f"Đã nhập dự trù kinh phí năm {YEAR}: 3 nhóm, 4 dòng, tổng cộng 15.000.000 đồng."
    data = _budget(ward)
    assert [(g.code, g.title, g.subtotal) for g in data.groups] == [
        ("I", "Tuyên truyền", 10_500_000), ("II", "Ngày hội 19/8", 4_500_000), ("III", "Khen thưởng", 0)]
    assert [(line.content, line.quantity, line.unit_price, line.amount, line.unit_label, line.detail)
            for line in data.groups[0].lines] == [
        ("In tờ rơi", 2000, 1500, 3_000_000, "tờ", "12 tổ dân phố"), ("Pa nô", 6, 850_000, 5_100_000, "bộ", ""),
        ("Tin, bài", 48, 50_000, 2_400_000, "tin", "")]
    assert data.groups[1].lines[0].lump_sum and data.total == 15_000_000


def test_import_replaces_the_year_and_twice_is_the_same(ward, tmp_path):
    _small_budget(ward)
    _group(ward, "Năm sau", YEAR + 1)
    path = _workbook(tmp_path / "du-tru.xlsx", GOOD)
    first = _import(ward, path)
    assert (first.replaced_groups, first.replaced_lines) == (2, 3)
    assert first.summary.endswith("(thay cho 2 nhóm, 3 dòng cũ).")
    once = _json(ward)
    again = _import(ward, path)
    assert _json(ward) == once and (again.replaced_groups, again.replaced_lines) == (3, 4)
    assert [g.title for g in _budget(ward, YEAR + 1).groups] == ["Năm sau"]   # other years untouched


def test_a_group_typed_once_in_merged_cells(ward, tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Dự trù"
    for row in [HEADER[:6], ["Tuyên truyền", "A", None, 1, 10, 10], [None, "B", None, None, None, 5],
                ["Hội nghị", "C", None, 2, 2, None]]:
        sheet.append(row)
    sheet.merge_cells("A2:A3")
    workbook.save(tmp_path / "gop.xlsx")
    _import(ward, tmp_path / "gop.xlsx")
    assert [(g.title, [line.content for line in g.lines]) for g in _budget(ward).groups] == [
        ("Tuyên truyền", ["A", "B"]), ("Hội nghị", ["C"])]


def test_export_then_import_gives_the_same_budget(ward, tmp_path):
    ward.ward_call(budget.add_demo_budget, YEAR, ACTOR)
    _group(ward, "Dự phòng")   # an empty group travels too
    first = ward.call(budget.add_line, _budget(ward).groups[0].id,
                      LineInput("Dòng\ncó hai đoạn", 1, 1000, detail="Ghi chú\nhai dòng"), ACTOR)
    assert first
    before = _budget(ward)
    path = tmp_path / "xuat.xlsx"
    assert ward.ward_call(budget.export_budget, YEAR, path) == 13
    sheet = openpyxl.load_workbook(path).active
    assert [cell.value for cell in sheet[1]] == HEADER
    assert [cell.value for cell in sheet[2]][:6] == [f"I. {before.groups[0].title}",
                                                     before.groups[0].lines[0].content, "tờ", 2000, 1500, 3_000_000]
    _import(ward, path)
    after = _budget(ward)

    def shape(data: budget.Budget):
        return [(g.code, g.title, g.subtotal, [(line.number, line.content, line.unit_label, line.quantity,
                                                line.unit_price, line.amount, line.detail) for line in g.lines])
                for g in data.groups], data.total

    assert shape(after) == shape(before)


def test_faulty_rows_are_all_named_and_nothing_changes(ward, tmp_path):
    _small_budget(ward)
    before = _json(ward)
    path = _workbook(tmp_path / "sai.xlsx", [
        HEADER,
        ["Tuyên truyền", "Đúng", None, 2, 1000, 2000, None],
        ["Tuyên truyền", "Âm", None, -2, 1000, None, None],
        ["Tuyên truyền", "Lẻ", None, None, None, 1500.5, None],
        ["Tuyên truyền", "Chữ", None, "hai", "một nghìn", None, None],
        ["Tuyên truyền", "Lệch", None, 3, 1000, 2000, None],
        ["Tuyên truyền", "Thiếu đơn giá", None, 3, None, None, None],
        ["Tuyên truyền", None, None, 1, 1, 1, None],
        ["Tuyên truyền", "Ngày", None, date(2026, 1, 2), 1, None, None],
        ["Tuyên truyền", "Công thức", None, 2, 1000, "=D10*E10", None],
    ])
    message = _refused(ward, budget.import_budget, ward.ward_id, YEAR, path, ACTOR)
    place = 'Trang "Dự trù", dòng'
    assert message == "\n".join([
        'Tệp "sai.xlsx" có 9 lỗi nên chưa nhập dòng nào (dự trù kinh phí hiện có giữ nguyên):',
        f"• {place} 3, cột D (Số lượng): số lượng không được là số âm (-2).",
        f"• {place} 4, cột F (Thành tiền): thành tiền 1.500,50 phải là số nguyên, không có phần lẻ.",
        f'• {place} 5, cột D (Số lượng): số lượng "hai" không phải là một số.',
        f'• {place} 5, cột E (Đơn giá): đơn giá "một nghìn" không phải là một số.',
        f"• {place} 6, cột F (Thành tiền): thành tiền 2.000 đồng khác số lượng × đơn giá = 3 × 1.000 = 3.000 đồng.",
        (f"• {place} 7, cột E (Đơn giá): thiếu đơn giá: khoản chi tính theo số lượng × đơn giá cần cả hai; khoản "
         "chi khoán gọn thì để trống cả hai và nhập thành tiền."),
        f"• {place} 8, cột B (Nội dung): hãy nhập nội dung chi.",
        f"• {place} 9, cột D (Số lượng): ô đang là ngày tháng; hãy định dạng ô là số (Number) rồi gõ lại số lượng.",
        (f"• {place} 10, cột F (Thành tiền): ô có công thức nhưng tệp chưa lưu kết quả tính (tệp do chương trình "
         "khác tạo ra). Hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi nhập lại."),
        "Hãy sửa tệp rồi nhập lại.",
    ])
    assert _json(ward) == before


def test_one_fault_is_named_alone(ward, tmp_path):
    path = _workbook(tmp_path / "mot-loi.xlsx", [HEADER, ["Nhóm", "A", None, 2, 1000, 2000, None],
                                                 [None, "B", None, 1, 10, 11, None]])
    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, path, ACTOR) == (
        'Trang "Dự trù", dòng 3, cột F (Thành tiền): thành tiền 11 đồng khác số lượng × đơn giá = 1 × 10 = 10 đồng.')


def test_a_wrong_grand_total_row_is_named(ward, tmp_path):
    path = _workbook(tmp_path / "tong.xlsx", [HEADER, ["Nhóm", "A", None, 2, 1000, None, None],
                                              [None, "TỔNG CỘNG", None, None, None, 3000, None]])
    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, path, ACTOR) == (
        'Trang "Dự trù", dòng 3, cột F (Thành tiền): dòng Tổng cộng ghi 3.000 đồng nhưng các dòng cộng lại '
        "2.000 đồng.")


def test_the_first_row_needs_a_group(ward, tmp_path):
    path = _workbook(tmp_path / "nhom.xlsx", [HEADER, [None, "A", None, None, None, 5, None]])
    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, path, ACTOR) == (
        'Trang "Dự trù", dòng 2, cột A (Nhóm): thiếu tên nhóm ở dòng đầu của bảng, ví dụ \u201cI. Tuyên truyền\u201d.')


def test_a_missing_column_is_named(ward, tmp_path):
    path = _workbook(tmp_path / "thieu-cot.xlsx", [["Nhóm", "Nội dung", "Số lượng", "Thành tiền"], ["A", "B", 1, 1]])
    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, path, ACTOR) == (
        'Trang "Dự trù", dòng 1: dòng tiêu đề thiếu cột \u201cĐơn giá\u201d. Bảng dự trù cần các cột '
        "\u201cNhóm\u201d, \u201cNội dung\u201d, \u201cSố lượng\u201d, \u201cĐơn giá\u201d, \u201cThành tiền\u201d; "
        "cột \u201cĐơn vị tính\u201d và \u201cDiễn giải\u201d không bắt buộc.")


def test_an_empty_sheet_or_workbook(ward, tmp_path):
    _small_budget(ward)
    before = _json(ward)
    only_header = _workbook(tmp_path / "rong.xlsx", [["Dự trù năm 2026"], HEADER])
    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, only_header, ACTOR) == (
        'Trang "Dự trù": không có dòng dự trù nào dưới dòng tiêu đề (dòng 2).')
    blank = _workbook(tmp_path / "trang.xlsx", [])
    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, blank, ACTOR).startswith(
        'Không tìm thấy bảng dự trù trong tệp "trang.xlsx": cần một dòng tiêu đề có các cột \u201cNhóm\u201d')
    assert _json(ward) == before


@pytest.mark.parametrize(("name", "content", "message"), [
    ("du-tru.xls", b"\xd0\xcf\x11\xe0", 'Tệp "du-tru.xls" không phải tệp Excel .xlsx'),
    ("du-tru.csv", b"Nhom,Noi dung\n", 'Tệp "du-tru.csv" không phải tệp Excel .xlsx'),
    ("hong.xlsx", b"Nhom;Noi dung", 'Không đọc được tệp "hong.xlsx": tệp bị hỏng'),
])
def test_files_that_are_not_workbooks(ward, tmp_path, name, content, message):
    _small_budget(ward)
    path = tmp_path / name
    path.write_bytes(content)
    assert message in _refused(ward, budget.import_budget, ward.ward_id, YEAR, path, ACTOR)
    assert _budget(ward).total == 12_600_000


def test_a_truncated_workbook(ward, tmp_path):
    _small_budget(ward)
    whole = _workbook(tmp_path / "du-tru.xlsx", GOOD).read_bytes()
    cut = tmp_path / "cat-do.xlsx"
    cut.write_bytes(whole[: len(whole) // 2])
    assert 'Không đọc được tệp "cat-do.xlsx": tệp bị hỏng, chưa chép hết' in _refused(
        ward, budget.import_budget, ward.ward_id, YEAR, cut, ACTOR)
    assert _budget(ward).total == 12_600_000


def test_a_cancelled_import_changes_nothing(ward, tmp_path):
    _small_budget(ward)
    before = _json(ward)
    seen = []

    def cancel_after_two(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < 2

    assert _refused(ward, budget.import_budget, ward.ward_id, YEAR, _workbook(tmp_path / "x.xlsx", GOOD), ACTOR,
                    progress=cancel_after_two) == f"Đã huỷ nhập; dự trù kinh phí năm {YEAR} giữ nguyên như trước."
    assert seen == [(1, 4), (2, 4)] and _json(ward) == before


def test_the_pdf_of_the_year(ward):
    ward.ward_call(budget.add_demo_budget, YEAR, ACTOR)
    document = ward.ward_call(budget.budget_document, YEAR)
    assert document.issuer.name == "ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN"
    assert document.subtitle == f"Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {YEAR}"
    assert document.reference.startswith("(Kèm theo Kế hoạch số") and "/KH-UBND" in document.reference
    assert document.total == 48_000_000 and len(document.sections) == 4
    assert ward.ward_call(budget.budget_pdf, YEAR).startswith(b"%PDF")
