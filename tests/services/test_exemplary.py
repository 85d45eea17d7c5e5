"""The exemplary-ward checklist: criteria typed or imported from Excel, and each year's results."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest

from antq_desktop.domain.exemplary import CriterionStatus
from antq_desktop.errors import UserError
from antq_desktop.services import exemplary
from antq_desktop.services.exemplary import CriterionInput
from tests.services.antt_helpers import ACTOR, YEAR, AnttWard

DAT, DANG, CHUA = CriterionStatus.DAT, CriterionStatus.DANG_THUC_HIEN, CriterionStatus.CHUA_DAT


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _add(ward: AnttWard, code: str, title: str = "Nội dung", group: str = "") -> int:
    return ward.ward_call(exemplary.add_criterion, CriterionInput(code, title, group), ACTOR)


def _codes(ward: AnttWard) -> list[str]:
    return [row.code for row in ward.ward_call(exemplary.criteria)]


def _refused(ward: AnttWard, function, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        ward.call(function, *args, **kwargs)
    return info.value.message


def _set(ward: AnttWard, criterion_id: int, status: CriterionStatus, evidence: str = "", note: str = "",
         year: int = YEAR, **kwargs) -> None:
    ward.call(exemplary.set_status, criterion_id, year, status, evidence, note, ACTOR, **kwargs)


def _checklist(ward: AnttWard, year: int = YEAR) -> list[exemplary.ChecklistRow]:
    return ward.ward_call(exemplary.year_checklist, year)


# ---- the list of criteria ------------------------------------------------------------------------


def test_add_update_and_list_in_order(ward):
    first = _add(ward, " 1.1 ", "  Có  nghị quyết chuyên đề\u00a0về ANTT ", "I. Tổ chức")
    _add(ward, "1.2", "Có mô hình tự quản", "I. Tổ chức")
    (row, _second) = ward.ward_call(exemplary.criteria)
    assert (row.id, row.code, row.title, row.group_title, row.position, row.version) == (
        first, "1.1", "Có nghị quyết chuyên đề về ANTT", "I. Tổ chức", 1, 1)
    ward.call(exemplary.update_criterion, first, CriterionInput("1.1", "Nội dung mới", ""), ACTOR, expected_version=1)
    row = ward.ward_call(exemplary.criteria)[0]
    assert (row.title, row.group_title, row.version) == ("Nội dung mới", "", 2)
    assert _codes(ward) == ["1.1", "1.2"]


@pytest.mark.parametrize(("data", "message"), [
    (CriterionInput("", "Nội dung"), "Hãy nhập mã tiêu chí"),
    (CriterionInput("1", " \n "), "Hãy nhập nội dung tiêu chí."),
    (CriterionInput("x" * 21, "Nội dung"), "Mã tiêu chí dài quá 20 ký tự."),
    (CriterionInput("1", "Nội dung", "n" * 301), "Tên nhóm dài quá 300 ký tự."),
])
def test_a_criterion_needs_a_short_code_and_a_text(ward, data, message):
    assert message in _refused(ward, exemplary.add_criterion, ward.ward_id, data, ACTOR)
    assert _codes(ward) == []


def test_codes_are_unique_ignoring_case_and_tones(ward):
    _add(ward, "Đ.1", "Có tổ tự quản")
    message = _refused(ward, exemplary.add_criterion, ward.ward_id, CriterionInput("d.1", "Khác"), ACTOR)
    assert message == "Đã có tiêu chí mã \u201cĐ.1\u201d (Có tổ tự quản). Hãy dùng mã khác."
    other = _add(ward, "2")
    assert "Đ.1" in _refused(ward, exemplary.update_criterion, other, CriterionInput("đ.1", "Khác"), ACTOR)


def test_an_edit_on_a_stale_criterion_is_refused(ward):
    criterion = _add(ward, "1")
    ward.call(exemplary.update_criterion, criterion, CriterionInput("1", "Sửa lần một"), ACTOR, expected_version=1)
    message = _refused(ward, exemplary.update_criterion, criterion, CriterionInput("1", "Sửa"), ACTOR,
                       expected_version=1)
    assert "người khác sửa" in message


def test_move_up_and_down_and_stay_at_the_ends(ward):
    ids = [_add(ward, code) for code in ("1", "2", "3")]
    ward.call(exemplary.move_criterion, ids[2], -1, ACTOR)
    assert _codes(ward) == ["1", "3", "2"]
    ward.call(exemplary.move_criterion, ids[0], 1, ACTOR)
    assert _codes(ward) == ["3", "1", "2"]
    ward.call(exemplary.move_criterion, ids[2], -5, ACTOR)
    ward.call(exemplary.move_criterion, ids[1], 1, ACTOR)
    assert _codes(ward) == ["3", "1", "2"]
    assert [row.position for row in ward.ward_call(exemplary.criteria)] == [1, 2, 3]


def test_delete_a_criterion_without_results(ward):
    keep, remove = _add(ward, "1"), _add(ward, "2")
    ward.call(exemplary.delete_criterion, remove, expected_version=1)
    assert [row.id for row in ward.ward_call(exemplary.criteria)] == [keep]
    assert "Không tìm thấy tiêu chí này" in _refused(ward, exemplary.delete_criterion, remove)


def test_delete_is_refused_once_a_year_has_a_result_until_it_is_cleared(ward):
    criterion = _add(ward, "1.2")
    _set(ward, criterion, DANG, year=2025)
    _set(ward, criterion, DAT, "Kế hoạch số 12", year=2026)
    message = _refused(ward, exemplary.delete_criterion, criterion)
    assert message.startswith("Tiêu chí \u201c1.2\u201d đã có kết quả năm 2025, 2026 nên không xoá được")
    assert "sửa tiêu chí" in message
    for year in (2025, 2026):
        _set(ward, criterion, CHUA, year=year)
    ward.call(exemplary.delete_criterion, criterion)
    assert _codes(ward) == []


# ---- a year's checklist and progress --------------------------------------------------------------


def test_a_new_year_starts_with_nothing_recorded(ward):
    _add(ward, "1", "Tiêu chí một", "Nhóm A")
    (row,) = _checklist(ward)
    assert (row.code, row.title, row.group_title, row.status, row.evidence, row.note, row.version) == (
        "1", "Tiêu chí một", "Nhóm A", CHUA, "", "", None)
    assert row.expected_version == exemplary.NOT_RECORDED


def test_set_status_with_evidence_per_year(ward):
    criterion = _add(ward, "1")
    _set(ward, criterion, DAT, " Nghị quyết  số 05 ", "Đã kiểm tra\r\n\r\n\r\nngày 12/5", expected_version=0)
    (row,) = _checklist(ward)
    assert (row.status, row.evidence, row.note, row.version) == (DAT, "Nghị quyết số 05", "Đã kiểm tra\n\nngày 12/5", 1)
    assert _checklist(ward, YEAR + 1)[0].status is CHUA
    _set(ward, criterion, DANG, "Nghị quyết số 05", expected_version=1)
    assert (_checklist(ward)[0].status, _checklist(ward)[0].version) == (DANG, 2)
    (stamps,) = ward.raw("SELECT created_by, updated_by FROM exemplary_status")
    assert tuple(stamps) == (ACTOR, ACTOR)


def test_chua_dat_with_nothing_written_is_no_record(ward):
    criterion = _add(ward, "1")
    _set(ward, criterion, CHUA)
    assert ward.scalar("SELECT count(*) FROM exemplary_status") == 0
    _set(ward, criterion, CHUA, note="Chưa có kinh phí")
    assert _checklist(ward)[0].version == 1
    _set(ward, criterion, CHUA)
    assert ward.scalar("SELECT count(*) FROM exemplary_status") == 0


def test_stale_results_are_refused(ward):
    criterion = _add(ward, "1")
    _set(ward, criterion, DANG, expected_version=exemplary.NOT_RECORDED)
    stale = "người khác sửa"
    assert stale in _refused(ward, exemplary.set_status, criterion, YEAR, DAT, "", "", ACTOR, expected_version=0)
    _set(ward, criterion, DAT, expected_version=1)
    assert stale in _refused(ward, exemplary.set_status, criterion, YEAR, CHUA, "", "", ACTOR, expected_version=1)
    assert _checklist(ward)[0].status is DAT


def test_set_status_on_a_removed_criterion_or_a_bad_year(ward):
    criterion = _add(ward, "1")
    assert "Năm 3000 không hợp lệ" in _refused(ward, exemplary.set_status, criterion, 3000, DAT, "", "", ACTOR)
    ward.call(exemplary.delete_criterion, criterion)
    assert "Không tìm thấy tiêu chí" in _refused(ward, exemplary.set_status, criterion, YEAR, DAT, "", "", ACTOR)


def test_progress_counts_and_percent(ward):
    assert ward.ward_call(exemplary.progress, YEAR).summary == "Chưa có tiêu chí nào"
    ids = [_add(ward, str(n)) for n in range(1, 4)]
    _set(ward, ids[0], DAT)
    _set(ward, ids[1], DANG)
    progress = ward.ward_call(exemplary.progress, YEAR)
    assert (progress.total, progress.met, progress.by_status) == (3, 1, {CHUA: 1, DANG: 1, DAT: 1})
    assert progress.summary == "Đạt 1/3 tiêu chí (33,3%)"
    _set(ward, ids[1], DAT)
    _add(ward, "4")
    assert ward.ward_call(exemplary.progress, YEAR).summary == "Đạt 2/4 tiêu chí (50%)"
    assert ward.ward_call(exemplary.progress, YEAR - 1).summary == "Đạt 0/4 tiêu chí (0%)"


# ---- import from Excel ---------------------------------------------------------------------------------


def _workbook(path: Path, rows: list[list], merge: str | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Tiêu chí"
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


PROVINCE_LIST = [
    ["BỘ TIÊU CHÍ PHƯỜNG ĐIỂN HÌNH VỀ PHONG TRÀO TOÀN DÂN BẢO VỆ ANTQ"],
    [],
    ["NỘI DUNG TIÊU CHÍ", "stt", "Nhom tieu chi", "Ghi chú"],
    ["Cấp ủy có nghị quyết chuyên đề", 1, "Lãnh đạo, chỉ đạo", "bỏ qua"],
    ["UBND có kế hoạch thực hiện", 2.0, None],
    [None, None, None],
    ["Có ít nhất 2 mô hình hiệu quả", "3.1", "Mô hình"],
]


def test_import_a_province_list(ward, tmp_path):
    path = _workbook(tmp_path / "tieu-chi-tinh.xlsx", PROVINCE_LIST, merge="C4:C5")
    result = ward.ward_call(exemplary.import_criteria, path, ACTOR)
    assert (result.replaced, result.added, result.removed) == (True, 3, 0)
    assert result.summary == "Đã nhập 3 tiêu chí từ tệp."
    rows = ward.ward_call(exemplary.criteria)
    assert [(r.code, r.group_title, r.title, r.position) for r in rows] == [
        ("1", "Lãnh đạo, chỉ đạo", "Cấp ủy có nghị quyết chuyên đề", 1),
        ("2", "Lãnh đạo, chỉ đạo", "UBND có kế hoạch thực hiện", 2),
        ("3.1", "Mô hình", "Có ít nhất 2 mô hình hiệu quả", 3),
    ]


def test_without_a_group_column_roman_rows_are_headings(ward, tmp_path):
    path = _workbook(tmp_path / "ds.xlsx", [
        ["TT", "Nội dung"],
        ["I", "Về tổ chức"],
        ["1", "Có ban chỉ đạo"],
        ["II.", "Về kết quả"],
        ["2", "Không có tội phạm nghiêm trọng"],
    ])
    ward.ward_call(exemplary.import_criteria, path, ACTOR)
    assert [(r.code, r.group_title) for r in ward.ward_call(exemplary.criteria)] == [
        ("1", "Về tổ chức"), ("2", "Về kết quả")]


def test_the_list_may_be_on_another_sheet_under_any_spelling_of_the_headers(ward, tmp_path):
    book = openpyxl.Workbook()
    book.active.append(["Ghi chú của tỉnh"])
    sheet = book.create_sheet("Bộ tiêu chí")
    sheet.append(["Mã / TT.", "Nội dung:", "Lĩnh vực"])
    sheet.append(["1", "Có ban chỉ đạo", "Tổ chức"])
    book.save(tmp_path / "ds.xlsx")
    ward.ward_call(exemplary.import_criteria, tmp_path / "ds.xlsx", ACTOR)
    assert [(r.code, r.title, r.group_title) for r in ward.ward_call(exemplary.criteria)] == [
        ("1", "Có ban chỉ đạo", "Tổ chức")]


def test_a_group_too_long_is_named_where_it_was_typed(ward, tmp_path):
    long = "n" * 301
    with_column = _workbook(tmp_path / "nhom.xlsx", [["TT", "Nội dung", "Nhóm"], ["1", "Một", long]])
    message = _refused(ward, exemplary.import_criteria, ward.ward_id, with_column, ACTOR)
    assert message == 'Trang "Tiêu chí", dòng 2, cột C: tên nhóm dài quá 300 ký tự.'
    as_heading = _workbook(tmp_path / "muc.xlsx", [["TT", "Nội dung"], ["I", long], ["1", "Một"]])
    message = _refused(ward, exemplary.import_criteria, ward.ward_id, as_heading, ACTOR)
    assert message == 'Trang "Tiêu chí", dòng 2, cột B: tên nhóm dài quá 300 ký tự.'
    assert _codes(ward) == []


def test_import_replaces_a_list_without_results(ward, tmp_path):
    _add(ward, "cũ", "Tiêu chí gõ tay")
    result = ward.ward_call(exemplary.import_criteria, _workbook(tmp_path / "ds.xlsx", PROVINCE_LIST), ACTOR)
    assert (result.replaced, result.added, result.removed) == (True, 3, 1)
    assert "thay cho 1 tiêu chí cũ" in result.summary
    assert _codes(ward) == ["1", "2", "3.1"]


def test_import_merges_by_code_once_results_exist(ward, tmp_path):
    old = _add(ward, "2", "Kế hoạch (bản cũ)")
    kept = _add(ward, "9", "Tiêu chí riêng của phường")
    _set(ward, old, DAT, "Kế hoạch số 7")
    result = ward.ward_call(exemplary.import_criteria, _workbook(tmp_path / "ds.xlsx", PROVINCE_LIST), ACTOR)
    assert (result.replaced, result.added, result.updated, result.unchanged) == (False, 2, 1, 0)
    assert result.summary.startswith("Đã thêm 2 tiêu chí mới, cập nhật 1 tiêu chí trùng mã")
    rows = {row.code: row for row in ward.ward_call(exemplary.criteria)}
    assert [row.code for row in ward.ward_call(exemplary.criteria)] == ["2", "9", "1", "3.1"]
    assert (rows["2"].id, rows["2"].title, rows["9"].id) == (old, "UBND có kế hoạch thực hiện", kept)
    assert _checklist(ward)[0].evidence == "Kế hoạch số 7"
    again = ward.ward_call(exemplary.import_criteria, _workbook(tmp_path / "ds.xlsx", PROVINCE_LIST), ACTOR)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)


def test_bad_rows_are_named_by_row_and_column_and_nothing_is_written(ward, tmp_path):
    _add(ward, "cũ", "Tiêu chí gõ tay")
    path = _workbook(tmp_path / "sai.xlsx", [
        ["Mã/TT", "Nhóm", "Nội dung tiêu chí"],
        ["1", "A", "Đúng"],
        [None, "A", "Thiếu mã"],
        ["3", "A", None],
        ["1", "A", "Trùng mã"],
        [date(2026, 1, 2), "A", "Mã bị Excel đổi thành ngày"],
        ["x" * 21, "A", "Mã dài"],
    ])
    with pytest.raises(UserError) as info:
        ward.ward_call(exemplary.import_criteria, path, ACTOR)
    message = info.value.message
    assert message == "\n".join([
        'Tệp "sai.xlsx" có 5 lỗi nên chưa nhập tiêu chí nào:',
        '• Trang "Tiêu chí", dòng 3, cột A: thiếu mã tiêu chí.',
        '• Trang "Tiêu chí", dòng 4, cột C: thiếu nội dung tiêu chí.',
        '• Trang "Tiêu chí", dòng 5, cột A: mã "1" trùng với dòng 2.',
        ('• Trang "Tiêu chí", dòng 6, cột A: ô mã đang là ngày tháng; hãy định dạng cột là "Văn bản" (Text) '
         "rồi gõ lại mã."),
        f'• Trang "Tiêu chí", dòng 7, cột A: mã "{"x" * 21}" dài quá 20 ký tự.',
        "Hãy sửa tệp rồi nhập lại.",
    ])
    assert _codes(ward) == ["cũ"]


def test_many_errors_are_cut_short(ward, tmp_path):
    path = _workbook(tmp_path / "sai.xlsx", [["STT", "Nội dung"]] + [[None, f"Dòng {n}"] for n in range(20)])
    message = _refused(ward, exemplary.import_criteria, ward.ward_id, path, ACTOR)
    assert "có 20 lỗi" in message and "\n… và 5 lỗi khác.\n" in message
    assert 'Trang "Tiêu chí", dòng 16, cột A: thiếu mã tiêu chí.' in message and "dòng 17," not in message


@pytest.mark.parametrize(("name", "content", "message"), [
    ("ds.xls", b"\xd0\xcf\x11\xe0", 'Tệp "ds.xls" không phải tệp Excel .xlsx'),
    ("ds.csv", b"TT,Noi dung\n1,A\n", 'Tệp "ds.csv" không phải tệp Excel .xlsx'),
    ("hong.xlsx", b"TT;Noi dung", 'Không đọc được tệp "hong.xlsx": tệp bị hỏng'),
])
def test_wrong_file_types(ward, tmp_path, name, content, message):
    path = tmp_path / name
    path.write_bytes(content)
    assert message in _refused(ward, exemplary.import_criteria, ward.ward_id, path, ACTOR)


def test_missing_file_header_or_rows(ward, tmp_path):
    message = _refused(ward, exemplary.import_criteria, ward.ward_id, tmp_path / "khong-co.xlsx", ACTOR)
    assert "Không tìm thấy tệp" in message
    no_header = _workbook(tmp_path / "khong-tieu-de.xlsx", [["1", "Có nghị quyết"], ["2", "Có kế hoạch"]])
    message = _refused(ward, exemplary.import_criteria, ward.ward_id, no_header, ACTOR)
    assert "Không tìm thấy dòng tiêu đề" in message and "Nội dung tiêu chí" in message
    only_header = _workbook(tmp_path / "rong.xlsx", [["Tiêu đề"], ["Mã", "Nội dung tiêu chí"]])
    message = _refused(ward, exemplary.import_criteria, ward.ward_id, only_header, ACTOR)
    assert message == 'Trang "Tiêu chí": không có tiêu chí nào dưới dòng tiêu đề (dòng 2).'
