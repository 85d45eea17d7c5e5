"""Score sheets to and from Excel: the round trip, a workbook with some kinds only, and every
kind of bad file refused with its place, leaving the set unchanged."""

from __future__ import annotations

import openpyxl
import pytest

from antq_desktop.domain import classification as rules
from antq_desktop.errors import UserError
from antq_desktop.services.sheet_workbook import export_sheets, import_sheets

DEFAULT = rules.builtin_sheet_sets()[-1]


@pytest.fixture
def exported(tmp_path):
    path = tmp_path / "bang-diem.xlsx"
    export_sheets(DEFAULT, path)
    return path


def _current():
    return rules.sheet_set_to_dict(DEFAULT)


def test_round_trip_gives_the_same_sheets(exported):
    back = rules.parse_sheet_set(import_sheets(_current(), exported), "thử")
    assert back.sheets == DEFAULT.sheets and not back.is_default


def test_a_workbook_with_one_kind_keeps_the_others_and_reads_a_title_row_and_text_numbers(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "co quan"  # without diacritics, another case
    sheet.append(["BẢNG CHẤM ĐIỂM CỦA TỈNH"])
    sheet.append([])
    sheet.append(["TT", "Nội dung", "Điểm chuẩn", "Điểm trừ"])
    sheet.append(["1", "Lãnh đạo, chỉ đạo", 60])
    sheet.append(["1.1", "Có nghị quyết", "30,5"])
    sheet.append(["1.2", "Có kế hoạch", 29.5])
    sheet.append([2, "Kết quả", 40])
    sheet.append([3, "Điểm trừ vi phạm", 10, "x"])
    path = tmp_path / "tinh.xlsx"
    workbook.save(path)
    result = rules.parse_sheet_set(import_sheets(_current(), path), "thử")
    agencies = result.sheet("co_quan")
    assert [item.code for item in agencies.all_items()] == ["1", "1.1", "1.2", "2", "3"]
    assert str(agencies.item("1.1").max_points) == "30.5" and agencies.item("3").deduction
    assert result.sheet("kdc") == DEFAULT.sheet("kdc")


@pytest.mark.parametrize("cell, value, message", [
    ("C3", None, 'Trang "Khu dân cư", dòng 3, cột C: mục 1.1 thiếu điểm chuẩn.'),
    ("C3", "-1", 'Trang "Khu dân cư", dòng 3, cột C: điểm chuẩn mục 1.1 phải lớn hơn 0'),
    ("A4", "1.1", 'Trang "Khu dân cư", dòng 4, cột A: mã mục "1.1" bị trùng.'),
    ("A4", "9.1", 'Trang "Khu dân cư", dòng 4, cột A: mục "9.1" đứng trước mục cha "9"'),
    ("B5", None, 'Trang "Khu dân cư", dòng 5, cột B: mục 1.3 thiếu nội dung chấm điểm.'),
    ("C2", 14, "mục 1 có điểm chuẩn 14 nhưng các mục con cộng lại được 15"),
])
def test_bad_cells_are_refused_with_their_place(exported, cell, value, message):
    workbook = openpyxl.load_workbook(exported)
    workbook["Khu dân cư"][cell] = value
    workbook.save(exported)
    current = _current()
    with pytest.raises(UserError) as refused:
        import_sheets(current, exported)
    assert message in refused.value.message
    assert current == _current()


def test_files_that_are_not_usable_workbooks(tmp_path, exported):
    text_file = tmp_path / "bang-diem.xlsx"
    with pytest.raises(UserError, match="không phải tệp Excel"):
        import_sheets(_current(), _write(tmp_path / "a.xlsx", b"TT;Noi dung;Diem\n"))
    with pytest.raises(UserError, match=r"không phải tệp Excel \.xlsx"):
        import_sheets(_current(), _write(tmp_path / "a.xls", b"\xd0\xcf\x11\xe0"))
    with pytest.raises(UserError, match="chưa chép hết"):
        import_sheets(_current(), _write(tmp_path / "cut.xlsx", exported.read_bytes()[:2000]))
    other = openpyxl.Workbook()
    other.active.title = "Trang tính 1"
    other.save(text_file)
    with pytest.raises(UserError, match="không có trang nào mang tên một loại đơn vị"):
        import_sheets(_current(), text_file)


def test_a_sheet_without_the_header_names_the_columns_it_needs(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Doanh nghiệp"
    workbook.active.append(["Cột 1", "Cột 2"])
    path = tmp_path / "thieu.xlsx"
    workbook.save(path)
    with pytest.raises(UserError, match='Trang "Doanh nghiệp": không thấy dòng tiêu đề có các cột "Mã mục", '
                                        '"Nội dung chấm điểm", "Điểm chuẩn"'):
        import_sheets(_current(), path)


def _write(path, content: bytes):
    path.write_bytes(content)
    return path


def test_every_faulty_row_of_every_sheet_is_named_at_once(exported):
    workbook = openpyxl.load_workbook(exported)
    workbook["Khu dân cư"]["C3"] = None
    workbook["Khu dân cư"]["B5"] = None
    workbook["Cơ quan"]["A4"] = "2"
    workbook.save(exported)
    with pytest.raises(UserError) as refused:
        import_sheets(_current(), exported)
    assert refused.value.message == "\n".join([
        'Tệp "bang-diem.xlsx" có 3 lỗi nên chưa đổi bảng điểm nào:',
        '• Trang "Khu dân cư", dòng 3, cột C: mục 1.1 thiếu điểm chuẩn.',
        '• Trang "Khu dân cư", dòng 5, cột B: mục 1.3 thiếu nội dung chấm điểm.',
        '• Trang "Cơ quan", dòng 4, cột A: mã mục "2" bị trùng.',
        "Hãy sửa tệp rồi nhập lại.",
    ])
