"""The year-end workbook: exported, edited as Excel or LibreOffice Calc edit it, imported back.

A round trip changes nothing; typed edits show in the preview exactly and land in the data;
every kind of bad cell is refused with its sheet, row and column, all at once, and a refused
file (or a refused write) leaves every table exactly as it was.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import text

from antq_desktop import identity
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.forces import ForceKind, ForceLevel
from antq_desktop.errors import UserError
from antq_desktop.services import (
    accounts,
    antt_assessment,
    classification,
    core_forces,
    events,
    forces,
    inspections,
    units,
    workbook,
)
from antq_desktop.services.excel import FORMULA_FAULT, FaultsError
from tests.services.antt_helpers import ACTOR, AnttWard
from tests.services.workbook_helpers import (
    OFFICER,
    VIEWER,
    YEAR,
    Book,
    add_accounts,
    build_year,
    day,
    dump,
)

TITLES = ["Đơn vị", "Đăng ký ANTT", "Kết quả tiêu chí", "Điểm phân loại", "Kiểm tra", "Lực lượng",
          "Đánh giá Tổ bảo vệ ANTT", "Hoạt động tuyên truyền"]


@pytest.fixture
def ward(demo_db):
    return build_year(demo_db)


@pytest.fixture
def exported(ward, tmp_path) -> Path:
    return export(ward, tmp_path / "tong-hop-2025.xlsx")


def export(ward, path: Path, year: int = YEAR) -> Path:
    with ward.db.reading() as session:
        workbook.export_year(session, ward.ward_id, year, path)
    return path


def read(ward, path: Path, **options) -> workbook.WorkbookPlan:
    with ward.db.reading() as session:
        return workbook.read_workbook(session, ward.ward_id, path, **options)


def import_file(ward, path: Path) -> workbook.Applied:
    """Read and write in one transaction, as `antq workbook import` does."""
    with ward.db.transaction() as session:
        plan = workbook.read_workbook(session, ward.ward_id, path)
        return workbook.apply(session, plan, ACTOR)


def faults_of(ward, path: Path, **options) -> list:
    with pytest.raises(FaultsError) as refused:
        read(ward, path, **options)
    return refused.value.faults


def refusal(ward, path: Path, **options) -> str:
    with pytest.raises(UserError) as refused:
        read(ward, path, **options)
    return refused.value.message


def only_fault(ward, path: Path):
    (fault,) = faults_of(ward, path)
    return fault


# ---- the file as exported -------------------------------------------------------------------------------

def test_an_exported_year_imports_back_with_nothing_to_change(ward, exported):
    before = dump(ward.db)
    plan = read(ward, exported)
    assert [sheet.title for sheet in plan.sheets] == TITLES
    assert not plan.has_changes and (plan.added, plan.changed) == (0, 0)
    by_title = {sheet.title: sheet for sheet in plan.sheets}
    assert by_title["Kiểm tra"].unchanged == 2 and by_title["Lực lượng"].unchanged == 2
    assert by_title["Đơn vị"].unchanged == 68 and by_title["Hoạt động tuyên truyền"].unchanged == 2
    # every registration's points: 17 for each residential group, 20 for the school
    assert by_title["Kết quả tiêu chí"].unchanged == 17 + 17 + 20
    assert plan.summary_lines()[0].endswith("Không có gì thay đổi so với dữ liệu.")
    assert workbook.DELETED_ROWS_NOTE in plan.summary_lines()
    assert import_file(ward, exported).summary == "Bảng tổng hợp năm 2025: không có gì thay đổi, dữ liệu giữ nguyên."
    assert dump(ward.db) == before


def test_the_sheets_have_headers_frozen_locked_keys_and_dropdowns(exported):
    book = openpyxl.load_workbook(exported)
    assert book.sheetnames == ["Thông tin", *TITLES, "Danh mục"]
    assert book["Danh mục"].sheet_state == "hidden"
    info = {row[0]: row[1] for row in book["Thông tin"].iter_rows(max_row=8, values_only=True) if row[0]}
    assert info["Năm"] == YEAR and info["Xã, phường"] == "Phường Minh Xuân, tỉnh Tuyên Quang"
    units_sheet = book["Đơn vị"]
    headers = [cell.value for cell in units_sheet[1]]
    assert headers[:4] == ["Mã (không sửa)", "Loại đơn vị", "Tên đơn vị", "Phân loại (tổ dân phố, thôn…)"]
    assert units_sheet.freeze_panes == "D2" and units_sheet.protection.sheet and not units_sheet.protection.password
    assert units_sheet["A2"].protection.locked and units_sheet["B2"].protection.locked  # the code, an existing kind
    assert not units_sheet["C2"].protection.locked  # the name is typed
    # below the data, the new rows: cells take their column's style (the key stays locked)
    dimensions = units_sheet.column_dimensions
    assert dimensions["A"].protection.locked and not dimensions["B"].protection.locked
    assert not dimensions["C"].protection.locked
    dropdowns = {str(rule.sqref).split(":")[0]: rule for rule in units_sheet.data_validations.dataValidation}
    assert dropdowns["B2"].type == "list" and dropdowns["B2"].formula1.startswith("'Danh mục'!$")
    assert str(dropdowns["B2"].sqref) == f"B2:B{68 + 1 + workbook.SPARE_ROWS}"
    assert dropdowns["M2"].type == "list"  # Có/Không
    lists = book["Danh mục"]
    column = dropdowns["B2"].formula1.split("!$")[1].split("$")[0]
    assert [lists[f"{column}{n}"].value for n in range(2, 6)] == ["Khu dân cư", "Cơ quan", "Doanh nghiệp",
                                                                  "Cơ sở giáo dục"]
    scores = book["Điểm phân loại"]
    rule = next(rule for rule in scores.data_validations.dataValidation if str(rule.sqref).startswith("G"))
    assert rule.type == "custom" and "$F2" in rule.formula1  # each row's limit is its own item's points
    points = book["Kết quả tiêu chí"]
    assert [cell.value for cell in points[1]][:5] == ["Mã bản đăng ký (không sửa)", "Mã tiêu chí (không sửa)",
                                                       "Đơn vị", "Nội dung tiêu chí", "Kết quả"]
    # every sheet's last column: each row's mark, hidden and locked
    for title in TITLES:
        sheet = book[title]
        letter = openpyxl.utils.get_column_letter(sheet.max_column)
        assert sheet[f"{letter}1"].value == workbook.STAMP_HEADER
        assert sheet.column_dimensions[letter].hidden and sheet.column_dimensions[letter].protection.locked
        assert sheet[f"{letter}2"].protection.locked
    version, digest = units_sheet.cell(2, units_sheet.max_column).value.split(":")
    assert int(version) >= 1 and len(digest) == 12
    point_mark = points.cell(2, points.max_column).value  # a point has no version of its own: its values tell
    assert point_mark.startswith(":") and len(point_mark) == 13
    members = book["Lực lượng"]
    birth = next(rule for rule in members.data_validations.dataValidation if str(rule.sqref).startswith("E"))
    assert birth.error == "Hãy ghi một số nguyên từ 1900 đến 2100."  # a year: no thousands dot


def test_a_decided_registration_is_locked_whole(full_demo_db, tmp_path):
    """The full demo's 2025 is decided: its registrations and points are grey and locked."""
    ward = AnttWard(full_demo_db)
    path = export(ward, tmp_path / "nam-2025.xlsx")
    book = Book(path)
    row = book.row("Đăng ký ANTT", "Tên đơn vị", "Tổ dân phố 1")
    assert book.sheet("Đăng ký ANTT").cell(row, 4).protection.locked
    book.set("Đăng ký ANTT", row, "Ghi chú", "Sửa sau khi có quyết định")
    fault = only_fault(ward, book.save(tmp_path / "sua.xlsx"))
    assert (fault.sheet, fault.row, fault.header) == ("Đăng ký ANTT", row, "Ghi chú")
    assert "đã có quyết định" in fault.message


# ---- edits --------------------------------------------------------------------------------------------

def _edit_a_year(exported: Path, target: Path) -> Path:
    """A typical year-end pass over the file, as an officer types it."""
    book = Book(exported)
    row = book.row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3")
    book.set("Đơn vị", row, "Điện thoại", "0912 345 678")
    book.set("Đơn vị", row, "Số hộ gia đình", 250)
    book.add("Đơn vị", {"Loại đơn vị": "Khu dân cư", "Tên đơn vị": "Tổ dân phố 21", "Phân loại (tổ dân phố, thôn…)":
                        "Tổ dân phố", "Số hộ gia đình": 80})
    row = book.row("Đăng ký ANTT", "Tên đơn vị", "Tổ dân phố 5")
    book.set("Đăng ký ANTT", row, "Ngày đăng ký", day(2025, 3, 12))
    book.set("Đăng ký ANTT", row, "Kế hoạch", "Kế hoạch số 07/KH-TDP")
    row = book.row_where("Kết quả tiêu chí", **{"Đơn vị": "Tổ dân phố 1", "Mã tiêu chí (không sửa)": "1a"})
    book.set("Kết quả tiêu chí", row, "Kết quả", "Không đạt")
    book.set("Kết quả tiêu chí", row, "Ghi chú", "Chi bộ chưa ra nghị quyết")
    row = book.row_where("Điểm phân loại", **{"Đơn vị": "Tổ dân phố 1", "Mã mục (không sửa)": "1.1"})
    book.set("Điểm phân loại", row, "Điểm xã chấm", 3.5)
    row = book.row("Kiểm tra", "Số biên bản", "3")
    book.set("Kiểm tra", row, "Kết luận", "Đơn vị thực hiện tốt.")
    row = book.row("Lực lượng", "Họ và tên", "Nguyễn Văn An")
    book.set("Lực lượng", row, "Điện thoại", "0987654321")
    book.add("Lực lượng", {"Lực lượng": "Đội dân phòng", "Họ và tên": "Lê Văn Cường", "Năm sinh": 1985,
                           "Giới tính": "Nam", "Ngày tham gia": day(2025, 4, 1)})
    row = book.row("Đánh giá Tổ bảo vệ ANTT", "Khu dân cư", "Tổ dân phố 2")
    book.set("Đánh giá Tổ bảo vệ ANTT", row, "Mức đánh giá", "Hoàn thành nhiệm vụ")
    book.add("Hoạt động tuyên truyền", {"Ngày": day(2025, 9, 2), "Hình thức": "Báo", "Nội dung": "Bài viết về mô hình "
                                        "camera an ninh", "Đơn vị tổ chức": "Phường Minh Xuân",
                                        "Số lượt người được tuyên truyền": 1000})
    return book.save(target)


def test_typed_edits_show_exactly_in_the_preview(ward, exported, tmp_path):
    plan = read(ward, _edit_a_year(exported, tmp_path / "da-sua.xlsx"))
    counts = {sheet.title: (sheet.added, sheet.changed) for sheet in plan.sheets}
    assert counts == {"Đơn vị": (1, 1), "Đăng ký ANTT": (1, 0), "Kết quả tiêu chí": (0, 1), "Điểm phân loại": (0, 1),
                      "Kiểm tra": (0, 1), "Lực lượng": (1, 1), "Đánh giá Tổ bảo vệ ANTT": (1, 0),
                      "Hoạt động tuyên truyền": (1, 0)}
    lines = plan.change_lines()
    assert len(lines) == 10
    assert 'Đơn vị, dòng 4 (sửa "Tổ dân phố 3"): Điện thoại: ' in lines[0]
    assert lines[0].endswith('→ "0912 345 678"; Số hộ gia đình: 415 → 250')
    assert lines[1] == ('Đơn vị, dòng 70 (thêm "Tổ dân phố 21"): Loại đơn vị: Khu dân cư; Tên đơn vị: "Tổ dân phố 21"; '
                        'Phân loại (tổ dân phố, thôn…): "Tổ dân phố"; Số hộ gia đình: 80')
    assert 'Ngày đăng ký: (trống) → 12/03/2025; Kế hoạch: (trống) → "Kế hoạch số 07/KH-TDP"' in lines[2]
    assert 'Kết quả: (trống) → Không đạt; Ghi chú: (trống) → "Chi bộ chưa ra nghị quyết"' in lines[3]
    assert lines[4].endswith('(sửa "Tổ dân phố 1, mục 1.1"): Điểm xã chấm: (trống) → 3,5')
    assert lines[5].endswith('Kết luận: (trống) → "Đơn vị thực hiện tốt."')
    assert 'Chức danh: "Đội viên"' in lines[7]  # what the register stores when no role is typed
    assert "Năm sinh: 1985;" in lines[7]  # a year as it is written
    assert "Số lượt người được tuyên truyền: 1.000" in lines[9]  # a count with its thousands dot
    assert lines[8].endswith("Mức đánh giá: (trống) → Hoàn thành nhiệm vụ")
    assert "Đơn vị tổ chức" not in lines[9]  # the ward itself is what an empty cell means too


def test_an_applied_import_is_in_the_data_and_a_second_one_changes_nothing(ward, exported, tmp_path):
    edited = _edit_a_year(exported, tmp_path / "da-sua.xlsx")
    applied = import_file(ward, edited)
    assert (applied.added, applied.changed) == (5, 5)
    with ward.db.reading() as session:
        unit = units.get_unit(session, ward.unit_id("Tổ dân phố 3"))
        assert (unit.head_phone, unit.households) == ("0912 345 678", 250)
        new_unit = units.get_unit(session, ward.unit_id("Tổ dân phố 21"))
        assert (new_unit.category, new_unit.households) == ("Tổ dân phố", 80)
        registration = ward.row("Tổ dân phố 5", YEAR)
        assert (registration.registered_on, registration.stage) == (date(2025, 3, 12), Stage.REGISTERED)
        view = antt_assessment.assessment(session, ward.record_id("Tổ dân phố 1", YEAR))
        answer = next(point for point in view.points if point.code == "1a")
        assert (answer.met, answer.note) == (False, "Chi bộ chưa ra nghị quyết")
        grid = classification.year_grid(session, ward.ward_id, YEAR, "kdc", only_unit=ward.unit_id("Tổ dân phố 1"))
        assert grid.rows[0].ward_scores["1.1"] == Decimal("3.5")
        (visited,) = [row for row in inspections.year_inspections(session, ward.ward_id, YEAR) if row.made]
        view = inspections.get_inspection(session, visited.id)
        assert view.conclusion == "Đơn vị thực hiện tốt." and view.findings == "Sổ theo dõi tạm trú chưa cập nhật."
        members = {row.full_name: row for row in core_forces.list_members(session, ward.ward_id, YEAR)}
        assert members["Nguyễn Văn An"].phone == "0987654321"
        assert (members["Lê Văn Cường"].force_kind, members["Lê Văn Cường"].role) == (ForceKind.DAN_PHONG, "Đội viên")
        assert forces.force_rating(session, ward.unit_id("Tổ dân phố 2"), YEAR) is ForceLevel.HOAN_THANH
        titles = {row.title: row for row in events.list_activities(session, ward.ward_id, YEAR)}
        assert titles["Bài viết về mô hình camera an ninh"].reach == 1000
        assert titles["Bài viết về mô hình camera an ninh"].unit_id is None
    before = dump(ward.db)
    again = read(ward, edited)
    assert not again.has_changes and (again.added, again.changed) == (0, 0)
    assert import_file(ward, edited).summary.endswith("không có gì thay đổi, dữ liệu giữ nguyên.")
    assert dump(ward.db) == before


def test_a_meeting_and_every_point_typed_complete_the_assessment(ward, exported, tmp_path):
    book = Book(exported)
    record_id = ward.record_id("Tổ dân phố 1", YEAR)
    row = book.row("Đăng ký ANTT", "Tên đơn vị", "Tổ dân phố 1")
    book.set("Đăng ký ANTT", row, "Ngày họp đánh giá", day(2025, 10, 22))
    book.set("Đăng ký ANTT", row, "Địa điểm họp", "Nhà văn hóa tổ 1")
    sheet = book.sheet("Kết quả tiêu chí")
    for number in range(2, book.last_row("Kết quả tiêu chí") + 1):
        if book.get("Kết quả tiêu chí", number, "Mã bản đăng ký (không sửa)") == record_id:
            sheet.cell(number, book.column("Kết quả tiêu chí", "Kết quả")).value = "Đạt"
    import_file(ward, book.save(tmp_path / "hop.xlsx"))
    assert ward.stage("Tổ dân phố 1", YEAR) is Stage.ASSESSED
    assert ward.row("Tổ dân phố 1", YEAR).passed is True


def test_a_point_the_registers_propose_unmet_needs_a_reason(ward, exported, tmp_path):
    """A Tổ rated "Không hoàn thành" proposes criterion 5 unmet: "Đạt" needs a reason, as in the dialog."""
    ward.ward_call(forces.set_force_rating, YEAR, ward.unit_id("Tổ dân phố 1"), ForceLevel.KHONG_HOAN_THANH, "",
                   ACTOR)
    path = export(ward, exported)
    book = Book(path)
    row = book.row_where("Kết quả tiêu chí", **{"Đơn vị": "Tổ dân phố 1", "Mã tiêu chí (không sửa)": "5a"})
    assert "Không hoàn thành nhiệm vụ" in book.get("Kết quả tiêu chí", row, "Sổ theo dõi đề xuất không đạt vì")
    book.set("Kết quả tiêu chí", row, "Kết quả", "Đạt")
    fault = only_fault(ward, book.save(path))
    assert (fault.sheet, fault.row, fault.header) == ("Kết quả tiêu chí", row, "Lý do vẫn đánh giá đạt")
    assert "hãy ghi rõ lý do" in fault.message
    book.set("Kết quả tiêu chí", row, "Lý do vẫn đánh giá đạt", "Tổ đã kiện toàn, hoạt động tốt từ quý III")
    assert read(ward, book.save(path)).changed == 1


# ---- a copy exported before a change: never a silent overwrite -------------------------------------------

def _copy(exported: Path, target: Path, *edits) -> Path:
    book = Book(exported)
    for edit in edits:
        edit(book)
    return book.save(target)


def _unit_cell(name: str, header: str, value):
    """An edit of a copy: ``header`` of the unit ``name`` set to ``value``."""
    return lambda book: book.set("Đơn vị", book.row("Đơn vị", "Tên đơn vị", name), header, value)


def _households_in_the_program(ward, name: str, households: int) -> None:
    with ward.db.transaction() as session:
        unit_id = ward.unit_id(name)
        current = units.get_unit(session, unit_id)
        data = units.UnitInput(**{field: getattr(current, field) for field in units.UnitInput.__dataclass_fields__})
        units.update_unit(session, unit_id, units.UnitInput(**{**data.__dict__, "households": households}), "cán bộ B")


def _unit(ward, name: str) -> units.UnitDetails:
    with ward.db.reading() as session:
        return units.get_unit(session, ward.unit_id(name))


def test_of_two_copies_edited_on_the_same_cell_the_second_is_refused(ward, exported, tmp_path):
    """Two unit heads fill their own copy of one export: the first imports; the second would put
    back, unseen, what the first changed, so it is refused, and nothing of it is written."""
    first = _copy(exported, tmp_path / "ban-cua-to-1.xlsx", _unit_cell("Tổ dân phố 3", "Điện thoại", "0911 111 111"))
    second = _copy(exported, tmp_path / "ban-cua-to-2.xlsx", _unit_cell("Tổ dân phố 3", "Điện thoại", "0922 222 222"),
                   _unit_cell("Tổ dân phố 4", "Điện thoại", "0944 444 444"))
    assert import_file(ward, first).changed == 1
    before = dump(ward.db)
    with pytest.raises(FaultsError) as refused:
        import_file(ward, second)
    (fault,) = refused.value.faults
    row = Book(second).row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3")
    assert (fault.sheet, fault.row, fault.header) == ("Đơn vị", row, "Điện thoại")
    assert fault.message == workbook.CHANGED_SINCE
    assert fault.message.startswith("bản ghi của dòng này đã được sửa trong chương trình (hoặc bởi lần nhập một bảng "
                                    "tổng hợp khác) sau khi xuất tệp này")
    assert "Hãy xuất bảng tổng hợp mới từ chương trình rồi ghi lại thay đổi của dòng này vào tệp mới." in fault.message
    assert refused.value.message == fault.line
    assert dump(ward.db) == before  # Tổ dân phố 4's good edit is not written either
    assert (_unit(ward, "Tổ dân phố 3").head_phone, _unit(ward, "Tổ dân phố 4").head_phone) != (
        "0922 222 222", "0944 444 444")
    assert _unit(ward, "Tổ dân phố 3").head_phone == "0911 111 111"


def test_a_second_copy_with_the_same_edit_and_the_same_file_again_change_nothing(ward, exported, tmp_path):
    edit = _unit_cell("Tổ dân phố 3", "Điện thoại", "0911 111 111")
    first, same = _copy(exported, tmp_path / "mot.xlsx", edit), _copy(exported, tmp_path / "hai.xlsx", edit)
    assert import_file(ward, first).changed == 1
    before = dump(ward.db)
    for path in (first, same, first):
        plan = read(ward, path)
        assert (plan.added, plan.changed, plan.newer) == (0, 0, 0)
        assert import_file(ward, path).summary == "Bảng tổng hợp năm 2025: không có gì thay đổi, dữ liệu giữ nguyên."
    assert dump(ward.db) == before


def _register_in_the_program(ward):
    ward.register("Tổ dân phố 5", YEAR, date(2025, 3, 20))


def _point_in_the_program(ward):
    ward.call(antt_assessment.save_assessment, ward.record_id("Tổ dân phố 1", YEAR), antt_assessment.MeetingInput(),
              [antt_assessment.PointAnswer("1a", None, note="Ghi trong chương trình")], "cán bộ B")


def _score_in_the_program(ward):
    ward.ward_call(classification.save_cells, YEAR, "kdc", [classification.CellEdit(
        ward.unit_id("Tổ dân phố 1"), "1.1", classification.WARD_SCORE, Decimal("2"))], "cán bộ B")


def _rating_in_the_program(ward):
    ward.ward_call(forces.set_force_rating, YEAR, ward.unit_id("Tổ dân phố 2"), ForceLevel.HOAN_THANH_TOT, "",
                   "cán bộ B")


# What the program changes after the export, and the edit of the same row typed in the file:
# a record with a version (a unit), one made since (a registration, a Tổ rating: none at the
# export), and rows with no version of their own, judged by their values (a point, a score item).
CHANGED_SINCE_CASES = {
    "unit": (lambda ward: _households_in_the_program(ward, "Tổ dân phố 3", 420), "Đơn vị",
             {"Tên đơn vị": "Tổ dân phố 3"}, "Điện thoại", "0912 345 678"),
    "registration made since": (_register_in_the_program, "Đăng ký ANTT", {"Tên đơn vị": "Tổ dân phố 5"},
                                "Ngày đăng ký", day(2025, 3, 12)),
    "criterion point": (_point_in_the_program, "Kết quả tiêu chí",
                        {"Đơn vị": "Tổ dân phố 1", "Mã tiêu chí (không sửa)": "1a"}, "Kết quả", "Đạt"),
    "score item": (_score_in_the_program, "Điểm phân loại", {"Đơn vị": "Tổ dân phố 1", "Mã mục (không sửa)": "1.1"},
                   "Điểm tự chấm", 1),
    "rating made since": (_rating_in_the_program, "Đánh giá Tổ bảo vệ ANTT", {"Khu dân cư": "Tổ dân phố 2"},
                          "Mức đánh giá", "Hoàn thành nhiệm vụ"),
}


@pytest.mark.parametrize("case", list(CHANGED_SINCE_CASES))
def test_an_edit_on_a_row_changed_in_the_program_since_the_export_is_refused(ward, exported, tmp_path, case):
    change, title, where, header, value = CHANGED_SINCE_CASES[case]
    book = Book(exported)
    row = book.row_where(title, **where)
    book.set(title, row, header, value)
    edited = book.save(tmp_path / "sua-sau.xlsx")
    assert read(ward, edited).changed + read(ward, edited).added == 1  # before the program's change: an edit
    change(ward)
    before = dump(ward.db)
    with pytest.raises(FaultsError) as refused:
        import_file(ward, edited)
    (fault,) = refused.value.faults
    assert (fault.sheet, fault.row, fault.header, fault.message) == (title, row, header, workbook.CHANGED_SINCE)
    assert dump(ward.db) == before


def test_a_copy_that_leaves_the_changed_rows_alone_imports_and_they_keep_the_program_s_values(ward, exported,
                                                                                             tmp_path):
    edited = _copy(exported, tmp_path / "to-4.xlsx", _unit_cell("Tổ dân phố 4", "Điện thoại", "0944 444 444"))
    _households_in_the_program(ward, "Tổ dân phố 3", 420)
    _point_in_the_program(ward)
    plan = read(ward, edited)
    # the unit, the point, and the point's registration (its assessment saved: the record's version moved)
    assert (plan.added, plan.changed, plan.newer) == (0, 1, 3)
    by_title = {sheet.title: sheet for sheet in plan.sheets}
    assert by_title["Đơn vị"].summary == ("Đơn vị: thêm 0, sửa 1, giữ nguyên 67 (1 dòng đã được sửa trong chương trình "
                                          "sau khi xuất tệp: giữ như trong chương trình)")
    assert "3 dòng không sửa trong tệp đã được sửa trong chương trình sau khi xuất tệp" in plan.summary_lines()[0]
    assert import_file(ward, edited).changed == 1
    assert (_unit(ward, "Tổ dân phố 3").households, _unit(ward, "Tổ dân phố 4").head_phone) == (420, "0944 444 444")
    with ward.db.reading() as session:
        view = antt_assessment.assessment(session, ward.record_id("Tổ dân phố 1", YEAR))
        assert next(point for point in view.points if point.code == "1a").note == "Ghi trong chương trình"


def _change_every_record(ward) -> dict[str, int]:
    """Every record of the year changed behind the file's back (the versions moved, the points'
    and scores' values changed); how many rows of each sheet that touches."""
    with ward.db.transaction() as session:
        for table in ("unit", "antt_record", "inspection", "force_member", "force_rating", "activity"):
            session.execute(text(f"UPDATE {table} SET version = version + 1 WHERE ward_id = :ward"),
                            {"ward": ward.ward_id})
        session.execute(text("UPDATE antt_point_result SET note = note || ' (sửa)'"))
        session.execute(text("UPDATE classification_score SET ward_cents = coalesce(ward_cents, 0) + 1 WHERE "
                             "record_id IN (SELECT id FROM classification_record WHERE ward_id = :ward AND "
                             "year = :year)"), {"ward": ward.ward_id, "year": YEAR})
    count = ward.scalar
    return {"Đơn vị": 68, "Đăng ký ANTT": 3, "Kiểm tra": 2, "Lực lượng": 2, "Đánh giá Tổ bảo vệ ANTT": 1,
            "Hoạt động tuyên truyền": 2, "Kết quả tiêu chí": count("SELECT count(*) FROM antt_point_result"),
            "Điểm phân loại": count("SELECT count(*) FROM classification_score s JOIN classification_record r ON "
                                    "r.id = s.record_id WHERE r.ward_id = :ward AND r.year = :year",
                                    ward=ward.ward_id, year=YEAR)}


def _newer_by_sheet(plan: workbook.WorkbookPlan) -> dict[str, int]:
    return {sheet.title: sheet.newer for sheet in plan.sheets}


def test_every_row_left_as_exported_is_known_as_such(ward, exported):
    """Each row's mark matches the row read back, whatever its cells hold (dates, times, choices,
    decimals, paragraphs): with every record changed since, the file as exported still writes
    nothing and refuses nothing."""
    touched = _change_every_record(ward)
    assert touched["Kết quả tiêu chí"] == 17 and touched["Điểm phân loại"] > 100
    plan = read(ward, exported)
    assert not plan.has_changes and _newer_by_sheet(plan) == touched


def test_an_edited_row_without_its_mark_is_refused(ward, exported, tmp_path):
    book = Book(exported)
    sheet = book.sheet("Đơn vị")
    row = _units_row(book)
    sheet.cell(row, sheet.max_column).value = None  # the hidden mark erased
    sheet.cell(row + 1, sheet.max_column).value = "sửa bậy"  # or garbled, on a row left as it was: nothing to say
    book.set("Đơn vị", row, "Điện thoại", "0912 345 678")
    fault = only_fault(ward, book.save(tmp_path / "mat-dau.xlsx"))
    assert (fault.sheet, fault.row, fault.header) == ("Đơn vị", row, "Điện thoại")
    assert fault.message == workbook.NO_STAMP
    assert 'thiếu dấu phiên bản (cột ẩn "Phiên bản (không sửa)" ở cuối trang)' in fault.message


def test_a_file_of_the_first_format_without_marks_is_refused(ward, exported, tmp_path):
    book = Book(exported)
    info = book.sheet("Thông tin")
    row = next(row for row in range(1, 10) if info.cell(row, 1).value == "Mẫu số")
    info.cell(row, 2).value = 1
    assert refusal(ward, book.save(tmp_path / "mau-cu.xlsx")) == (
        'Tệp "mau-cu.xlsx" theo mẫu số 1, chương trình này đọc mẫu số 2. Hãy xuất lại bảng tổng hợp từ chương trình '
        "này rồi ghi các thay đổi vào tệp mới.")


# ---- who may import ----------------------------------------------------------------------------------------

@pytest.fixture
def people(ward, monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)  # the hash is not what these tests are about
    yield add_accounts(ward.db)
    identity.sign_out()


VIEWER_REFUSAL = ("Tài khoản \u201clanhdao\u201d (Lãnh đạo / chỉ xem) chỉ được xem và in, không được nhập bảng tổng "
                  "hợp vào dữ liệu. Hãy nhờ cán bộ hoặc người quản trị đăng nhập để nhập. Dữ liệu chưa bị thay đổi.")


def test_a_viewer_is_refused_once_before_anything_is_read_or_written(ward, exported, tmp_path, people):
    edited = _edit_a_year(exported, tmp_path / "da-sua.xlsx")
    identity.sign_in_as(people[OFFICER])
    plan = read(ward, edited)  # the preview an officer made; then a viewer presses "Ghi"
    identity.sign_in_as(people[VIEWER])
    before = dump(ward.db)
    for path in (edited, tmp_path / "khong-co.xlsx"):  # asked before the file is even opened
        with pytest.raises(UserError) as refused:
            read(ward, path)
        assert type(refused.value) is UserError and refused.value.message == VIEWER_REFUSAL
    with pytest.raises(UserError) as refused, ward.db.transaction() as session:
        workbook.apply(session, plan, ACTOR)
    assert type(refused.value) is UserError and refused.value.message == VIEWER_REFUSAL  # one message, not 100 rows
    identity.sign_out()
    with pytest.raises(UserError, match="Hãy đăng nhập trước khi nhập bảng tổng hợp"):
        read(ward, edited)
    assert dump(ward.db) == before


def test_an_officer_imports_the_year(ward, exported, tmp_path, people):
    """A cán bộ enters data (not settings): every sheet of the year-end pass is theirs to write."""
    identity.sign_in_as(people[OFFICER])
    applied = import_file(ward, _edit_a_year(exported, tmp_path / "da-sua.xlsx"))
    assert (applied.added, applied.changed) == (5, 5)
    assert _unit(ward, "Tổ dân phố 3").head_phone == "0912 345 678"


# ---- bad cells ------------------------------------------------------------------------------------------

def _units_row(book: Book, name: str = "Tổ dân phố 3") -> int:
    return book.row("Đơn vị", "Tên đơn vị", name)


BAD_CELLS = {
    "wrong type": ("Đơn vị", lambda book: _units_row(book), "Số hộ gia đình", "nhiều",
                   'Số hộ gia đình "nhiều" không phải là một số.'),
    "not a whole number": ("Đơn vị", lambda book: _units_row(book), "Số hộ gia đình", 12.5,
                           'Số hộ gia đình phải là số nguyên, không phải "12.5".'),
    "negative count": ("Hoạt động tuyên truyền", lambda book: 2, "Số lượt người được tuyên truyền", -5,
                       "phải từ 0"),
    "date not on the calendar": ("Đăng ký ANTT", lambda book: book.row("Đăng ký ANTT", "Tên đơn vị", "Tổ dân phố 5"),
                                 "Ngày đăng ký", "31/02/2025", "không có trên lịch"),
    "not a date": ("Lực lượng", lambda book: 2, "Ngày tham gia", "đầu năm", "không phải là một ngày"),
    "registration out of the year": ("Đăng ký ANTT", lambda book: book.row("Đăng ký ANTT", "Tên đơn vị",
                                                                           "Tổ dân phố 1"),
                                     "Ngày đăng ký", day(2020, 3, 1), "không thuộc năm 2025"),
    "score above the item's points": ("Điểm phân loại", lambda book: 2, "Điểm tự chấm", 99,
                                      "vượt quá điểm chuẩn"),
    "deduction typed positive": ("Điểm phân loại", lambda book: book.row_where(
        "Điểm phân loại", **{"Đơn vị": "Tổ dân phố 1", "Mã mục (không sửa)": "6.1"}), "Điểm xã chấm", 2,
        "là mục điểm trừ"),
    "birth year out of range": ("Lực lượng", lambda book: 2, "Năm sinh", 2020, "chưa đủ 18 tuổi"),
    "birth year before 1900": ("Lực lượng", lambda book: 2, "Năm sinh", 1850,
                               "Năm sinh phải từ 1900 đến 2100 (đã ghi 1850)."),  # a year: no thousands dot
    "count above its limit": ("Hoạt động tuyên truyền", lambda book: 2, "Số lượt người được tuyên truyền", 12_000_000,
                              "phải từ 0 đến 10.000.000 (đã ghi 12.000.000)."),  # a count: the dot
    "activity of another year": ("Hoạt động tuyên truyền", lambda book: 2, "Ngày", day(2024, 6, 5),
                                 "không thuộc năm 2025"),
    "unknown unit code": ("Đơn vị", lambda book: _units_row(book), "Mã (không sửa)", 99999,
                          "mã 99999 không có trong dữ liệu năm 2025"),
    "unknown record code": ("Kết quả tiêu chí", lambda book: 2, "Mã bản đăng ký (không sửa)", 99999,
                            "mã 99999, 1a không có trong dữ liệu"),
    "unknown unit name": ("Kiểm tra", lambda book: book.last_row("Kiểm tra") + 1, "Đơn vị", "Tổ dân phố 99",
                          'Đơn vị "Tổ dân phố 99" không có trong danh sách.'),
    "value not in the list": ("Lực lượng", lambda book: 2, "Giới tính", "Khác", "không có trong danh sách"),
    "formula": ("Đơn vị", lambda book: _units_row(book), "Số hộ gia đình", "=100+20", FORMULA_FAULT),
    "duplicate name": ("Đơn vị", lambda book: book.last_row("Đơn vị") + 1, "Tên đơn vị", "tổ dân phố 3",
                       'trùng tên với khu dân cư "Tổ dân phố 3"'),
    "note without a rating": ("Đánh giá Tổ bảo vệ ANTT", lambda book: book.row("Đánh giá Tổ bảo vệ ANTT",
                                                                               "Khu dân cư", "Tổ dân phố 5"),
                              "Ghi chú", "Tổ hoạt động tốt", "chưa chọn mức đánh giá"),
}


@pytest.mark.parametrize("case", list(BAD_CELLS))
def test_a_bad_cell_is_named_by_sheet_row_and_column(ward, exported, tmp_path, case):
    title, row_of, header, value, expected = BAD_CELLS[case]
    book = Book(exported)
    row = row_of(book)
    if case == "duplicate name":
        book.set(title, row, "Loại đơn vị", "Khu dân cư")
    if case == "unknown unit name":
        book.set(title, row, "Ngày dự kiến", day(2025, 12, 20))
    book.set(title, row, header, value)
    fault = only_fault(ward, book.save(tmp_path / "loi.xlsx"))
    assert (fault.sheet, fault.row, fault.header) == (title, row, header)
    assert fault.column == book.column(title, header)
    assert expected in fault.message
    assert fault.line.startswith(f'Trang "{title}", dòng {row}, cột ')


def test_a_row_repeated_is_refused_at_its_second_copy(ward, exported, tmp_path):
    book = Book(exported)
    first = book.row("Đánh giá Tổ bảo vệ ANTT", "Khu dân cư", "Tổ dân phố 1")
    second = book.row("Đánh giá Tổ bảo vệ ANTT", "Khu dân cư", "Tổ dân phố 2")
    book.set("Đánh giá Tổ bảo vệ ANTT", second, "Mã đơn vị (không sửa)", ward.unit_id("Tổ dân phố 1"))
    fault = only_fault(ward, book.save(tmp_path / "trung.xlsx"))
    assert (fault.sheet, fault.row, fault.header) == ("Đánh giá Tổ bảo vệ ANTT", second, "Mã đơn vị (không sửa)")
    assert f"trùng với dòng {first} (cùng mã)" in fault.message


def test_a_row_without_its_code_is_refused_where_rows_cannot_be_added(ward, exported, tmp_path):
    book = Book(exported)
    row = book.row("Đánh giá Tổ bảo vệ ANTT", "Khu dân cư", "Tổ dân phố 4")
    book.set("Đánh giá Tổ bảo vệ ANTT", row, "Mã đơn vị (không sửa)", None)
    book.set("Đánh giá Tổ bảo vệ ANTT", row, "Mức đánh giá", "Hoàn thành nhiệm vụ")
    fault = only_fault(ward, book.save(tmp_path / "thieu-ma.xlsx"))
    assert (fault.sheet, fault.row) == ("Đánh giá Tổ bảo vệ ANTT", row)
    assert "không thêm dòng mới" in fault.message


def test_every_fault_of_a_file_is_listed_at_once_and_nothing_is_written(ward, exported, tmp_path):
    book = Book(exported)
    book.set("Đơn vị", _units_row(book), "Số hộ gia đình", "nhiều")
    book.set("Lực lượng", 2, "Giới tính", "Khác")
    book.set("Hoạt động tuyên truyền", 3, "Ngày", day(2024, 1, 1))
    book.set("Đơn vị", _units_row(book, "Tổ dân phố 4"), "Điện thoại", "0912 000 999")  # a good edit among them
    before = dump(ward.db)
    with pytest.raises(FaultsError) as refused:
        import_file(ward, book.save(tmp_path / "ba-loi.xlsx"))
    assert [(fault.sheet, fault.header) for fault in refused.value.faults] == [
        ("Đơn vị", "Số hộ gia đình"), ("Lực lượng", "Giới tính"), ("Hoạt động tuyên truyền", "Ngày")]
    assert refused.value.message.startswith('Tệp "ba-loi.xlsx" có 3 lỗi nên chưa ghi gì vào dữ liệu:\n• Trang "Đơn vị"')
    assert dump(ward.db) == before


def test_a_fault_in_the_last_row_leaves_the_database_as_it_was(ward, exported, tmp_path):
    edited = Book(_edit_a_year(exported, tmp_path / "da-sua.xlsx"))
    last = edited.last_row("Hoạt động tuyên truyền")
    edited.set("Hoạt động tuyên truyền", last, "Số lượt người được tuyên truyền", -1)
    before = dump(ward.db)
    with pytest.raises(FaultsError) as refused:
        import_file(ward, edited.save(tmp_path / "loi-cuoi.xlsx"))
    (fault,) = refused.value.faults
    assert (fault.sheet, fault.row) == ("Hoạt động tuyên truyền", last)
    assert dump(ward.db) == before


def test_a_write_refused_half_way_rolls_everything_back(ward, exported, tmp_path):
    """Someone saves the last row's record between the preview and "Ghi": its write is refused
    (someone else saved first), and every row written before it is rolled back."""
    edited = _edit_a_year(exported, tmp_path / "da-sua.xlsx")
    book = Book(edited)
    book.set("Hoạt động tuyên truyền", 2, "Ghi chú", "Có ảnh kèm theo")
    edited = book.save(edited)
    with ward.db.reading() as session:
        plan = workbook.read_workbook(session, ward.ward_id, edited)
        first = events.list_activities(session, ward.ward_id, YEAR)[0]
    ward.call(events.update_activity, first.id, events.ActivityInput(
        first.held_on, first.kind, first.title, first.unit_id, 150, first.note), "cán bộ B")
    before = dump(ward.db)
    with pytest.raises(FaultsError) as refused, ward.db.transaction() as session:
        workbook.apply(session, plan, ACTOR)
    (fault,) = refused.value.faults
    assert (fault.sheet, fault.row) == ("Hoạt động tuyên truyền", 2)
    assert "người khác sửa và lưu" in fault.message
    assert dump(ward.db) == before


def test_a_point_refused_while_writing_is_named_on_its_own_sheet(ward, exported, tmp_path):
    """The Tổ is rated "Không hoàn thành" after the preview: criterion 5a typed "Đạt" without a
    reason is refused by the assessment itself, on the criteria sheet's row."""
    book = Book(exported)
    row = book.row_where("Kết quả tiêu chí", **{"Đơn vị": "Tổ dân phố 1", "Mã tiêu chí (không sửa)": "5a"})
    book.set("Kết quả tiêu chí", row, "Kết quả", "Đạt")
    edited = book.save(tmp_path / "dat.xlsx")
    plan = read(ward, edited)
    ward.ward_call(forces.set_force_rating, YEAR, ward.unit_id("Tổ dân phố 1"), ForceLevel.KHONG_HOAN_THANH, "",
                   ACTOR)
    before = dump(ward.db)
    with pytest.raises(FaultsError) as refused, ward.db.transaction() as session:
        workbook.apply(session, plan, ACTOR)
    (fault,) = refused.value.faults
    assert (fault.sheet, fault.row) == ("Kết quả tiêu chí", row)
    assert "Nếu vẫn đánh giá là đạt, hãy ghi rõ lý do." in fault.message
    assert dump(ward.db) == before


def test_a_cancelled_import_writes_nothing(ward, exported, tmp_path):
    edited = _edit_a_year(exported, tmp_path / "da-sua.xlsx")
    before = dump(ward.db)
    seen = []

    def progress(done, total):
        seen.append((done, total))
        return False

    with pytest.raises(workbook.Cancelled), ward.db.transaction() as session:
        plan = workbook.read_workbook(session, ward.ward_id, edited)
        workbook.apply(session, plan, ACTOR, progress)
    assert seen and dump(ward.db) == before


def test_progress_is_reported_up_to_the_end(ward, exported):
    seen = []
    with ward.db.reading() as session:
        workbook.read_workbook(session, ward.ward_id, exported, lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] > 1000 and all(done <= total for done, total in seen)


# ---- sheets, files and workbooks that are not right ------------------------------------------------------

def test_a_missing_sheet_an_empty_sheet_and_a_missing_column_are_named(ward, exported, tmp_path):
    book = Book(exported)
    del book.book["Hoạt động tuyên truyền"]
    members = book.sheet("Lực lượng")
    members.delete_rows(1, members.max_row)
    book.sheet("Đơn vị").delete_cols(book.column("Đơn vị", "Ghi chú"))
    faults = faults_of(ward, book.save(tmp_path / "thieu.xlsx"))
    assert [(fault.sheet, fault.row) for fault in faults] == [("Đơn vị", 1), ("Lực lượng", 0),
                                                               ("Hoạt động tuyên truyền", 0)]
    assert 'thiếu cột "Ghi chú" ở dòng tiêu đề' in faults[0].message
    assert faults[1].line.startswith('Trang "Lực lượng": trang trống')
    assert "tệp thiếu trang này" in faults[2].message


def test_files_that_are_not_a_workbook_of_this_program_are_refused(ward, exported, tmp_path):
    csv = tmp_path / "danh-sach.csv"
    csv.write_text("Mã;Tên\n1;Tổ dân phố 1\n", encoding="utf-8")
    assert refusal(ward, csv).startswith('Tệp "danh-sach.csv" không phải tệp Excel .xlsx.')
    renamed = tmp_path / "gia.xlsx"
    renamed.write_text("không phải Excel", encoding="utf-8")
    assert refusal(ward, renamed).startswith('Không đọc được tệp "gia.xlsx": tệp bị hỏng, chưa chép hết')
    truncated = tmp_path / "cat-ngang.xlsx"
    truncated.write_bytes(exported.read_bytes()[: exported.stat().st_size // 2])
    assert refusal(ward, truncated).startswith('Không đọc được tệp "cat-ngang.xlsx": tệp bị hỏng, chưa chép hết')
    other = openpyxl.Workbook()
    other.active.append(["Mã", "Tên đơn vị"])
    other.save(tmp_path / "khac.xlsx")
    assert "không phải bảng tổng hợp cuối năm do chương trình xuất ra" in refusal(ward, tmp_path / "khac.xlsx")


def test_a_damaged_sheet_inside_a_sound_file_is_refused_as_damaged(ward, exported, tmp_path):
    damaged = tmp_path / "hong-trang.xlsx"
    with zipfile.ZipFile(exported) as source, zipfile.ZipFile(damaged, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet3.xml":
                data = data[: len(data) // 2]  # the "Đăng ký ANTT" sheet cut in the middle of a row
            target.writestr(item, data)
    assert refusal(ward, damaged).startswith('Không đọc được tệp "hong-trang.xlsx": tệp bị hỏng')


def test_a_workbook_of_another_ward_or_year_is_refused(ward, exported, tmp_path):
    assert refusal(ward, exported, year=2026) == (
        'Tệp "tong-hop-2025.xlsx" là bảng tổng hợp năm 2025, không phải năm 2026. Hãy chọn tệp của năm 2026, '
        "hoặc chọn năm 2025 rồi nhập lại.")
    book = Book(exported)
    info = book.sheet("Thông tin")
    uid_row = next(row for row in range(1, 10) if info.cell(row, 1).value == "Mã dữ liệu (không sửa)")
    info.cell(uid_row, 2).value = "0" * 32
    info.cell(uid_row - 2, 2).value = "Phường Tân Hà, tỉnh Tuyên Quang"
    assert refusal(ward, book.save(tmp_path / "phuong-khac.xlsx")).startswith(
        'Tệp "phuong-khac.xlsx" là bảng tổng hợp của Phường Tân Hà, tỉnh Tuyên Quang, không phải của xã, phường '
        "đang mở")
    book = Book(exported)
    year_row = next(row for row in range(1, 10) if book.sheet("Thông tin").cell(row, 1).value == "Năm")
    book.sheet("Thông tin").cell(year_row, 2).value = 2024  # the ids are 2025's
    faults = faults_of(ward, book.save(tmp_path / "nam-khac.xlsx"))
    # (the registrations are keyed by unit: rows left as exported say nothing, whatever year they land in)
    assert {fault.sheet for fault in faults} >= {"Kết quả tiêu chí", "Kiểm tra"}
    assert all("không có trong dữ liệu năm 2024" in fault.message or fault.sheet != "Kiểm tra" for fault in faults)


def test_an_export_refuses_a_year_outside_the_calendar(ward, tmp_path):
    with pytest.raises(UserError, match="Năm 1999 không hợp lệ"), ward.db.reading() as session:
        workbook.export_year(session, ward.ward_id, 1999, tmp_path / "x.xlsx")
    assert not (tmp_path / "x.xlsx").exists()


# ---- LibreOffice ----------------------------------------------------------------------------------------

@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_a_file_saved_again_by_libreoffice_calc_imports_with_nothing_to_change(ward, exported, tmp_path):
    """Calc opens the file and saves it as .xlsx again (what an officer's Ctrl+S does): every
    sheet, the hidden lists and the values come back as they were."""
    folder = tmp_path / "calc"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo-profile'}", "--headless",
                    "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(folder), str(exported)],
                   check=True, capture_output=True, timeout=180)
    resaved = folder / exported.name
    assert resaved.read_bytes() != exported.read_bytes()
    plan = read(ward, resaved)
    assert not plan.has_changes, plan.change_lines()[:5]
    assert sum(sheet.unchanged for sheet in plan.sheets) == plan.unchanged > 1000
    touched = _change_every_record(ward)  # the marks came through Calc too: every row still known as left alone
    plan = read(ward, resaved)
    assert not plan.has_changes and _newer_by_sheet(plan) == touched
