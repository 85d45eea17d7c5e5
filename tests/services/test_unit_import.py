"""Units from any Excel list: the columns guessed from messy Vietnamese headers and remembered,
every row previewed (new, already registered, repeated, faulty with row and column), and the
import written whole or not at all, on real databases."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import func, select

from antq_desktop import identity
from antq_desktop.db.models import AuditEntry, Unit
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import SchoolLevel, UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import accounts, profile
from antq_desktop.services import unit_import as imports
from antq_desktop.services import units as unit_service
from antq_desktop.services.unit_import import KIND, ListMapping, RowStatus

ACTOR = "cán bộ nhập"


# ---- helpers -----------------------------------------------------------------------------------


def write_list(path: Path, rows: list[list], title: str = "Danh sách", merged: tuple[str, ...] = (),
               extra_sheets: dict[str, list[list]] | None = None) -> Path:
    """A workbook as an office types it: ``rows`` from A1, some ranges merged (title rows)."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    for cells in merged:
        sheet.merge_cells(cells)
    for name, other in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in other:
            extra.append(row)
    workbook.save(path)
    return path


def table(path: Path, header_row: int | None = None) -> imports.ListTable:
    listing = imports.read_list(path)
    if header_row is None:
        return imports.default_table(listing)
    return imports.table_of(listing.sheets[0], header_row, listing.file_name)


class Ward:
    """The demo ward's register on one database; each call one transaction, as in the program."""

    def __init__(self, db):
        self.db = db
        with db.transaction() as session:
            self.id = profile.require_profile(session).id

    def preview(self, listing: imports.ListTable, mapping: ListMapping | None = None) -> imports.Preview:
        mapping = mapping or imports.propose_mapping(listing).mapping
        with self.db.reading() as session:
            return imports.preview_import(session, self.id, listing, mapping)

    def apply(self, preview: imports.Preview, **options) -> imports.ImportResult:
        with self.db.transaction() as session:
            return imports.apply_import(session, self.id, preview, ACTOR, **options)

    def count(self) -> int:
        with self.db.reading() as session:
            return session.scalar(select(func.count(Unit.id)).where(Unit.ward_id == self.id))

    def unit(self, name: str) -> unit_service.UnitDetails:
        with self.db.reading() as session:
            unit_id = session.scalar(select(Unit.id).where(Unit.name == name))
            return unit_service.get_unit(session, unit_id)

    def snapshot(self) -> list[tuple]:
        with self.db.reading() as session:
            units = session.execute(select(Unit.id, Unit.name, Unit.address, Unit.head_phone, Unit.version)
                                    .order_by(Unit.id)).all()
            audits = session.scalar(select(func.count(AuditEntry.id)))
            return [tuple(row) for row in units] + [("audit", audits)]


@pytest.fixture
def ward(demo_db):
    return Ward(demo_db)


@pytest.fixture
def blank_ward(empty_db):
    with empty_db.transaction() as session:
        from antq_desktop.services.demo import DEMO_PROFILE

        profile.save_profile(session, DEMO_PROFILE, ACTOR)
    return Ward(empty_db)


def by_row(preview: imports.Preview) -> dict[int, imports.PreviewRow]:
    return {row.row: row for row in preview.rows}


# ---- reading headers -------------------------------------------------------------------------------


def test_a_messy_list_finds_its_header_under_merged_titles_and_maps_itself(tmp_path):
    """A title block (two text cells: the police unit and the national motto), a merged title,
    a header two rows high and a row numbering the columns: the list maps itself."""
    path = write_list(tmp_path / "to-dan-pho.xlsx", [
        ["CÔNG AN PHƯỜNG MINH XUÂN", None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        ["DANH SÁCH TỔ DÂN PHỐ NĂM 2026"],
        [],
        ["STT", "  TEN TO DAN PHO ", "Địa chỉ", "NGƯỜI ĐỨNG ĐẦU", None, "Số hộ", "Ghi chú"],
        [None, None, None, "Họ và tên", "SĐT"],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        [1, "Tổ dân phố 31", "Khu A", "Nguyễn Văn An", "0912 345 678", 320, ""],
    ], merged=("A1:C1", "A3:G3", "D5:E5", "A5:A6", "B5:B6"))
    listing = table(path)
    assert (listing.header_row, listing.sub_header, listing.data_start) == (5, True, 7)
    assert [column.title for column in listing.columns[3:5]] == ["NGƯỜI ĐỨNG ĐẦU / Họ và tên", "NGƯỜI ĐỨNG ĐẦU / SĐT"]
    proposal = imports.propose_mapping(listing)
    assert not proposal.remembered
    assert proposal.mapping.columns == {"name": 2, "address": 3, "head_name": 4, "head_phone": 5, "households": 6,
                                        "notes": 7}
    assert proposal.mapping.kind is UnitKind.KDC
    assert listing.column(2).samples == ("Tổ dân phố 31",)  # the numbering row is not a sample


def test_a_school_without_a_level_column_is_named_by_its_name(ward, tmp_path):
    path = write_list(tmp_path / "truong.xlsx", [["Tên trường"], ["Trường THPT Chu Văn An"], ["Trường Hoa Cúc"]])
    first, second = ward.preview(table(path)).rows
    assert first.unit.school_level is SchoolLevel.THPT
    assert second.status is RowStatus.FAULT and second.faults[0].column == 1
    assert "ghi rõ cấp học trong tên" in second.note


def test_the_kind_of_a_list_without_a_kind_column_comes_from_its_name_header_or_names(tmp_path):
    enterprises = write_list(tmp_path / "dn.xlsx", [["TT", "Tên doanh nghiệp", "Địa chỉ"], [1, "Hưng Thịnh", "x"]])
    assert imports.propose_mapping(table(enterprises)).mapping.kind is UnitKind.DOANH_NGHIEP
    schools = write_list(tmp_path / "truong.xlsx", [["Đơn vị", "Hiệu trưởng"], ["Trường THCS Lê Lợi", "A"],
                                                    ["Trường Mầm non Sơn Ca", "B"], ["Trường TH Kim Đồng", "C"]])
    assert imports.propose_mapping(table(schools)).mapping.kind is UnitKind.GIAO_DUC


def test_the_user_can_choose_another_header_row(tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [["Cột 1", "Cột 2"], ["Tên", "Địa chỉ"], ["Tổ dân phố 40", "Khu C"]])
    assert table(path).header_row == 2
    chosen = table(path, header_row=1)
    assert [column.title for column in chosen.columns] == ["Cột 1", "Cột 2"]
    assert chosen.column(1).samples == ("Tên", "Tổ dân phố 40")


def test_the_sheet_with_the_list_is_chosen_among_several(tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [["Ghi chú chung của tệp"]], title="Hướng dẫn",
                      extra_sheets={"TDP": [["STT", "Tên tổ dân phố", "Tổ trưởng"], [1, "Tổ dân phố 50", "A"]]})
    assert table(path).sheet.name == "TDP"


# ---- remembering ---------------------------------------------------------------------------------------


def test_a_mapping_is_remembered_for_lists_of_the_same_shape(tmp_path, data_dir):
    rows = [["STT", "Tên", "Nơi đóng", "Liên hệ"], [1, "Công ty Hoa Mai", "Khu A", "0912345678"]]
    first = table(write_list(tmp_path / "thang-1.xlsx", rows))
    guessed = imports.propose_mapping(first).mapping
    assert "address" not in guessed.columns  # "Nơi đóng" says nothing the program knows
    chosen = ListMapping({**guessed.columns, "address": 3}, UnitKind.DOANH_NGHIEP)
    imports.remember_mapping(first, chosen)
    assert (data_dir / imports.MAPPINGS_FILE).is_file()

    rows_next = [["  stt", "TÊN", "nơi đóng:", "LIÊN HỆ"], [1, "Công ty Hòa Bình", "Khu B", "0987654321"]]
    again = imports.propose_mapping(table(write_list(tmp_path / "thang-2.xlsx", rows_next)))
    assert again.remembered and again.mapping == chosen
    other = imports.propose_mapping(table(write_list(tmp_path / "khac.xlsx", [["Tên", "Địa chỉ"], ["Tổ 1", "x"]])))
    assert not other.remembered


def test_a_remembered_header_row_is_found_again(tmp_path):
    """Headers the program cannot read: the row the user chose last time is the header next time."""
    rows = [["Báo cáo", "tháng 3", "của", "khu phố"], ["Cột A", "Cột B", "Cột C", "Cột D"], [1, "Tổ dân phố 1", "", ""]]
    chosen = table(write_list(tmp_path / "a.xlsx", rows), header_row=2)
    assert table(write_list(tmp_path / "b.xlsx", rows)).header_row == 1
    imports.remember_mapping(chosen, ListMapping({"name": 2}, UnitKind.KDC))
    assert table(write_list(tmp_path / "c.xlsx", rows)).header_row == 2


def test_a_damaged_memory_file_is_ignored(tmp_path, data_dir):
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / imports.MAPPINGS_FILE).write_text("{không phải json", encoding="utf-8")
    listing = table(write_list(tmp_path / "ds.xlsx", [["Tên", "Địa chỉ"], ["Tổ dân phố 41", "x"]]))
    assert not imports.propose_mapping(listing).remembered
    imports.remember_mapping(listing, ListMapping({"name": 1}, UnitKind.KDC))
    assert imports.propose_mapping(listing).remembered


# ---- the preview ---------------------------------------------------------------------------------------


def test_duplicates_of_the_register_and_inside_the_file_are_named(ward, tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [
        ["STT", "Tên tổ dân phố", "Địa chỉ", "Họ tên tổ trưởng"],
        [1, "TO DAN PHO 1", "Khu mới", ""],          # the demo's "Tổ dân phố 1", typed without tones
        [2, "Tổ dân phố 21", "Khu D", "Phạm Thị Lan"],
        [3, "tổ dân phố  21", "Khu E", ""],          # row 3 again
        [4, "Tổ dân phố 22", "", ""],
    ])
    preview = ward.preview(table(path))
    rows = by_row(preview)
    assert rows[2].status is RowStatus.EXISTING and '"Tổ dân phố 1"' in rows[2].note
    assert rows[2].changes == ("Địa chỉ",)  # an empty cell erases nothing
    assert rows[3].status is RowStatus.NEW and rows[3].unit.head_name == "Phạm Thị Lan"
    assert rows[4].status is RowStatus.REPEATED and "dòng 3" in rows[4].note
    assert rows[5].status is RowStatus.NEW
    assert [preview.count(status) for status in RowStatus] == [2, 1, 1, 0, 0]


def test_the_same_name_of_another_kind_is_not_a_duplicate(ward, tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [["Tên", "Loại đơn vị"], ["Tổ dân phố 1", "Cơ quan"]])
    assert ward.preview(table(path)).rows[0].status is RowStatus.NEW


def test_each_fault_names_its_row_and_column(ward, tmp_path):
    path = write_list(tmp_path / "loi.xlsx", [
        ["STT", "Tên đơn vị", "Loại đơn vị", "Địa chỉ", "Điện thoại", "Số hộ", "Có tổ chức Đảng", "Cấp học"],
        [1, "", "Tổ dân phố", "Khu A", "", "", "", ""],
        [2, "Hội Chữ thập đỏ", "Loại khác", "", "", "", "", ""],
        [3, "Tổ dân phố 60", "Tổ dân phố", "x" * 501, "", "", "", ""],
        [4, "Tổ dân phố 61", "Tổ dân phố", "=A2&\"Khu\"", "", "", "", ""],
        [5, "Tổ dân phố 62", "Tổ dân phố", "#N/A", "", "", "", ""],
        [6, "Tổ dân phố 63", "Tổ dân phố", "", "12", "", "", ""],
        [7, "Tổ dân phố 64", "Tổ dân phố", "", "", "khoảng 300", "", ""],
        [8, "Tổ dân phố 65", "Tổ dân phố", "", "", "", "có lẽ", ""],
        [9, "Trường Hoa Hồng", "Trường học", "", "", "", "", "Bổ túc"],
        [10, "Trường Hoa Cúc", "Trường học", "", "", "", "", ""],
        [11, "Tổ dân phố 66", "Tổ dân phố", "", "", "-5", "", ""],
    ])
    preview = ward.preview(table(path))
    faults = {fault.row: fault for fault in preview.faults}
    expected = {2: ("B", "chưa có tên đơn vị"), 3: ("C", 'không rõ loại đơn vị "Loại khác"'),
                4: ("D", "501 ký tự, quá giới hạn 500"), 5: ("D", "công thức nhưng tệp không lưu kết quả"),
                6: ("D", 'báo lỗi "#N/A"'), 7: ("E", 'điện thoại "12" không hợp lệ'),
                8: ("F", '"khoảng 300" không phải là một số'), 9: ("G", 'không hiểu "có lẽ"'),
                10: ("H", 'không rõ cấp học "Bổ túc"'), 11: ("H", "chưa ghi cấp học của cơ sở giáo dục"),
                12: ("F", 'số nguyên không âm, không phải "-5"')}
    assert set(faults) == set(expected)
    for row, (letter, words) in expected.items():
        fault = faults[row]
        assert fault.column and imports.excel.column_letter(fault.column) == letter, row
        assert words in fault.message, (row, fault.message)
        assert fault.line.startswith(f'Trang "Danh sách", dòng {row}, cột {letter} ('), fault.line
    assert preview.count(RowStatus.FAULT) == 11 and not preview.new_units


def test_every_fault_of_a_row_is_named_at_once(ward, tmp_path):
    path = write_list(tmp_path / "loi.xlsx", [["Tên", "Điện thoại", "Số hộ"], ["Tổ dân phố 60", "123", "abc"]])
    (row,) = ward.preview(table(path)).rows
    assert [imports.excel.column_letter(fault.column) for fault in row.faults] == ["B", "C"]
    assert row.note.startswith('Cột B (Điện thoại): số điện thoại "123" không hợp lệ')
    assert row.note.endswith('Cột C (Số hộ): "abc" không phải là một số.')


def test_a_formula_excel_computed_is_read_as_its_value(ward, tmp_path):
    path = write_list(tmp_path / "cong-thuc.xlsx", [["Tên"], ['="Tổ dân phố "&70']])
    with zipfile.ZipFile(path) as source:  # as Excel saves it: the formula and its last result
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = re.sub(r'<c r="A2"><f>(.*?)</f><v ?/>', r'<c r="A2" t="str"><f>\1</f>'
                                               r"<v>Tổ dân phố 70</v>", sheet).encode()
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    (row,) = ward.preview(table(path)).rows
    assert (row.status, row.name) == (RowStatus.NEW, "Tổ dân phố 70")


def test_a_list_of_formulas_never_computed_shows_its_faults(ward, tmp_path):
    """A list written by a script: every cell a formula, no results saved. Not an empty sheet."""
    path = write_list(tmp_path / "script.xlsx", [["Tên", "Địa chỉ"], ['="Tổ dân phố "&70', '="Khu "&"A"']])
    (row,) = ward.preview(table(path)).rows
    assert row.status is RowStatus.FAULT
    assert [fault.column for fault in row.faults] == [1, 2]
    assert "không lưu kết quả tính" in row.faults[0].message


def test_kind_values_read_by_their_words_or_as_the_user_says(ward, tmp_path):
    path = write_list(tmp_path / "hon-hop.xlsx", [
        ["Tên", "Khối"],
        ["Tổ dân phố 80", "Thôn"], ["Công ty Sao Mai", "DN"], ["Trường THCS Nguyễn Du", "Trường học"],
        ["Bưu điện phường", "Khối đoàn thể"], ["Hội Người cao tuổi", "Khối đoàn thể"], ["Tổ dân phố 81", ""],
    ])
    listing = table(path)
    mapping = imports.propose_mapping(listing).mapping
    assert mapping.column_of(KIND) == 2
    values = {value.text: (value.count, value.kind) for value in imports.kind_values(listing, mapping)}
    assert values == {"Thôn": (1, UnitKind.KDC), "DN": (1, UnitKind.DOANH_NGHIEP),
                      "Trường học": (1, UnitKind.GIAO_DUC), "Khối đoàn thể": (2, None)}
    rows = by_row(ward.preview(listing, mapping))
    assert rows[5].status is RowStatus.FAULT and rows[7].status is RowStatus.FAULT  # unknown; empty
    assert rows[2].unit.category == "Thôn"
    assert rows[4].unit.school_level is SchoolLevel.THCS  # from the school's name
    said = ListMapping(mapping.columns, UnitKind.KDC, {"khoi doan the": UnitKind.CO_QUAN})
    rows = by_row(ward.preview(listing, said))
    assert {rows[number].kind for number in (5, 6)} == {UnitKind.CO_QUAN}
    assert rows[7].kind is UnitKind.KDC  # an empty kind cell takes the list's own kind


def test_group_headings_set_the_kind_and_the_totals_row_ends_the_table(ward, tmp_path):
    path = write_list(tmp_path / "nhom.xlsx", [
        ["STT", "Tên đơn vị", "Người đứng đầu", "Chức vụ"],
        ["I", "Khu dân cư"],
        [1, "Tổ dân phố 90", "Lê Văn Tám", "Chủ tịch"],  # "Chủ tịch" is a title here, not the signature
        [None, "II. CƠ QUAN, ĐƠN VỊ"],
        [2, "Trạm Y tế phường", "Đỗ Thị Hà", "Trạm trưởng"],
        ["Tổng cộng: 2 đơn vị"],
        [None, "NGƯỜI LẬP BIỂU", None, "TRƯỞNG CÔNG AN PHƯỜNG"],
        [None, "Nguyễn Văn Ký", None, "Trần Văn Trưởng"],
    ])
    preview = ward.preview(table(path))
    rows = by_row(preview)
    assert (rows[3].kind, rows[5].kind) == (UnitKind.KDC, UnitKind.CO_QUAN)
    assert [rows[number].status for number in (2, 4, 6)] == [RowStatus.SKIPPED] * 3
    assert "Hết bảng" in rows[6].note and max(rows) == 6  # the signer is not a unit


def test_a_mapping_without_name_or_kind_or_with_a_column_twice_is_refused(ward, tmp_path):
    listing = table(write_list(tmp_path / "ds.xlsx", [["Tên", "Địa chỉ"], ["Tổ dân phố 1", "x"]]))
    for mapping, words in ((ListMapping({"address": 2}, UnitKind.KDC), "cột chứa tên"),
                           (ListMapping({"name": 1}), "loại đơn vị"),
                           (ListMapping({"name": 1, "address": 1}, UnitKind.KDC), "Cột A")):
        with pytest.raises(UserError, match=words):
            ward.preview(listing, mapping)


# ---- applying ---------------------------------------------------------------------------------------------


def test_the_new_units_are_added_with_their_facts(ward, tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [
        ["STT", "Tên tổ dân phố", "Địa chỉ", "Họ tên tổ trưởng", "SĐT", "Số hộ"],
        [1, "Tổ dân phố 31", "Khu A", "Nguyễn Văn An", 912345678, "1.250"],
        [2, "Thôn Đông", "Khu B", "Trần Thị Bình", "0987 654 321", 95],
        [3, "TỔ DÂN PHỐ 1", "Khu C", "", "", ""],
    ])
    before = ward.count()
    result = ward.apply(ward.preview(table(path)))
    assert (result.added, result.updated, result.existing_left) == (2, 0, 1)
    assert imports.describe(result) == "Đã nhập 2 đơn vị mới; bỏ qua 1 đơn vị đã có giữ nguyên."
    assert ward.count() == before + 2
    added = ward.unit("Tổ dân phố 31")
    assert (added.kind, added.category, added.head_phone, added.households) == (
        UnitKind.KDC, "Tổ dân phố", "0912345678", 1250)
    assert ward.unit("Thôn Đông").category == "Thôn"
    assert ward.unit("Tổ dân phố 1").address != "Khu C"  # left as it was


def test_existing_units_can_take_the_list_s_values(ward, tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [["Tên", "Địa chỉ", "Điện thoại", "Tổ trưởng"],
                                             ["to dan pho 2", "Số 5 đường Mới", "0911 222 333", ""]])
    old = ward.unit("Tổ dân phố 2")
    preview = ward.preview(table(path))
    assert preview.rows[0].changes == ("Địa chỉ", "Điện thoại")
    result = ward.apply(preview, update_existing=True)
    assert (result.added, result.updated) == (0, 1)
    new = ward.unit("Tổ dân phố 2")
    assert (new.name, new.address, new.head_phone, new.head_name) == (
        "Tổ dân phố 2", "Số 5 đường Mới", "0911 222 333", old.head_name)
    assert new.version == old.version + 1


def test_a_faulty_row_refuses_the_whole_import_unless_skipped(ward, tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [["Tên", "Số hộ"], ["Tổ dân phố 31", 10], ["Tổ dân phố 32", "nhiều"],
                                             ["", 5]])
    preview = ward.preview(table(path))
    before = ward.snapshot()
    with pytest.raises(UserError) as refusal:
        ward.apply(preview)
    assert refusal.value.message.startswith('Tệp "ds.xlsx" có 2 lỗi nên chưa nhập đơn vị nào:')
    assert 'Trang "Danh sách", dòng 3, cột B (Số hộ): "nhiều" không phải là một số.' in refusal.value.message
    assert ward.snapshot() == before
    result = ward.apply(preview, skip_faulty=True)
    assert (result.added, result.faulty) == (1, 2)


def test_a_failure_after_the_units_were_added_leaves_nothing(ward, tmp_path):
    """The new units are inserted first, then an update is refused (someone saved the unit
    meanwhile): the whole import rolls back."""
    path = write_list(tmp_path / "ds.xlsx", [["Tên", "Địa chỉ"], ["Tổ dân phố 31", "x"], ["Tổ dân phố 3", "y"]])
    preview = ward.preview(table(path))
    unit = ward.unit("Tổ dân phố 3")
    with ward.db.transaction() as session:
        unit_service.update_unit(session, unit.id, unit.as_input(), "người khác", expected_version=unit.version)
    before = ward.snapshot()
    with pytest.raises(UserError, match="người khác sửa"):
        ward.apply(preview, update_existing=True)
    assert ward.snapshot() == before


def test_a_viewer_cannot_import(demo_db, tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    ward = Ward(demo_db)
    with demo_db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản trị", "mật khẩu đủ dài")
    identity.sign_in_as(accounts.sign_in_and_remember(demo_db, "quantri", "mật khẩu đủ dài"))
    with demo_db.transaction() as session:
        accounts.add_user(session, "lanhdao", "Lãnh đạo", Role.CHI_XEM, "mật khẩu đủ dài", "quantri")
    identity.sign_in_as(accounts.sign_in_and_remember(demo_db, "lanhdao", "mật khẩu đủ dài"))
    preview = ward.preview(table(write_list(tmp_path / "ds.xlsx", [["Tên"], ["Tổ dân phố 31"]])))
    before = ward.snapshot()
    with pytest.raises(UserError, match="chỉ được xem"):
        ward.apply(preview)
    assert ward.snapshot() == before


def test_a_list_with_nothing_new_is_refused(ward, tmp_path):
    listing = table(write_list(tmp_path / "ds.xlsx", [["Tên tổ dân phố"], ["Tổ dân phố 1"]]))
    with pytest.raises(UserError, match="không có đơn vị mới"):
        ward.apply(ward.preview(listing))
    header_only = table(write_list(tmp_path / "trong.xlsx", [["STT", "Tên tổ dân phố", "Địa chỉ"]]))
    assert ward.preview(header_only).rows == ()


def test_two_thousand_rows_in_one_go(blank_ward, tmp_path):
    kinds = ["Tổ dân phố", "Cơ quan", "Doanh nghiệp"]
    rows = [["STT", "Tên đơn vị", "Loại đơn vị", "Địa chỉ", "Người đứng đầu", "Điện thoại", "Số CB, CNV"]]
    rows += [[n, f"Đơn vị số {n}", kinds[n % 3], f"Số {n} đường Láng", f"Nguyễn Văn {n}", f"09{n:08d}", n % 50]
             for n in range(1, 2001)]
    path = write_list(tmp_path / "lon.xlsx", rows)
    listing = table(path)
    preview = blank_ward.preview(listing)
    assert preview.count(RowStatus.NEW) == 2000
    assert blank_ward.apply(preview).added == 2000
    assert blank_ward.count() == 2000
    again = blank_ward.preview(listing)
    assert again.count(RowStatus.EXISTING) == 2000 and not again.updatable


def test_reading_reports_progress_and_can_stop(tmp_path):
    path = write_list(tmp_path / "ds.xlsx", [["Tên"]] + [[f"Tổ {n}"] for n in range(1200)])
    seen = []
    assert imports.read_list(path, lambda done, total: seen.append((done, total)) or True) is not None
    assert seen and seen[-1][0] <= seen[-1][1]
    assert imports.read_list(path, lambda done, total: False) is None


# ---- files that are not lists --------------------------------------------------------------------------


@pytest.mark.parametrize("name, content, words", [
    ("cu.xls", b"\xd0\xcf\x11\xe0 old excel", "dạng Excel cũ (.xls)"),
    ("ds.csv", "Tên;Địa chỉ\nTổ 1;x\n".encode(), "tệp văn bản CSV"),
    ("ds.ods", b"PK\x03\x04 ods", "bảng tính LibreOffice (.ods)"),
    ("ds.docx", b"PK\x03\x04 word", "không phải tệp Excel"),
    ("hong.xlsx", b"PK\x03\x04 not a real zip", "tệp bị hỏng"),
])
def test_a_file_that_is_not_an_excel_list_is_refused_plainly(tmp_path, name, content, words):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UserError, match=re.escape(words)):
        imports.read_list(path)


def test_a_truncated_workbook_and_a_missing_file_are_refused(tmp_path):
    whole = write_list(tmp_path / "du.xlsx", [["Tên"]] + [[f"Tổ {n}"] for n in range(500)])
    cut = tmp_path / "thieu.xlsx"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(UserError, match="hỏng"):
        imports.read_list(cut)
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        imports.read_list(tmp_path / "khong-co.xlsx")


def test_an_empty_workbook_and_an_empty_sheet_are_refused(tmp_path):
    with pytest.raises(UserError, match="mọi trang đều trống"):
        imports.read_list(write_list(tmp_path / "trong.xlsx", []))
    listing = imports.read_list(write_list(tmp_path / "mot.xlsx", [["Tên"], ["Tổ 1"]], extra_sheets={"Trống": []}))
    with pytest.raises(UserError, match='Trang "Trống" không có dữ liệu'):
        imports.table_of(listing.sheet("Trống"))
