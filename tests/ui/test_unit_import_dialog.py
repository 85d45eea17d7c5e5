"""The "Nhập danh sách đơn vị từ Excel" dialog, driven as an officer would on the demo ward."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from antq_desktop import identity
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import UnitKind
from antq_desktop.services import accounts, profile
from antq_desktop.services import units as unit_service
from antq_desktop.services.unit_import import RowStatus
from antq_desktop.ui import unit_import_dialog
from antq_desktop.ui.main_window import MainWindow
from antq_desktop.ui.unit_import_dialog import UnitImportDialog
from tests.ui.conftest import when_modal_opens

HEADER = ["STT", "Tên tổ dân phố", "Địa chỉ", "Họ tên tổ trưởng", "Số điện thoại", "Số hộ"]


def write_list(path: Path, rows: list[list], title: str = "DANH SÁCH TỔ DÂN PHỐ") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([title])
    sheet.merge_cells("A1:F1")
    sheet.append([])
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def new_list(tmp_path) -> Path:
    return write_list(tmp_path / "to-dan-pho-moi.xlsx", [
        HEADER,
        [1, "Tổ dân phố 21", "Khu Tân Lập", "Hoàng Văn Thái", "0912 345 678", 210],
        [2, "Tổ dân phố 22", "Khu Tân Lập", "Đặng Thị Mai", 987654321, "1.020"],
        [3, "TỔ DÂN PHỐ 3", "Khu cũ", "", "", ""],  # the demo ward's own Tổ dân phố 3
    ])


@pytest.fixture
def ward_id(demo_db) -> int:
    with demo_db.transaction() as session:
        return profile.require_profile(session).id


@pytest.fixture
def dialog(qtbot, demo_db, ward_id):
    def open_on(path: Path) -> UnitImportDialog:
        shown = UnitImportDialog(demo_db, ward_id, path=path)
        qtbot.addWidget(shown)
        shown.show()
        return shown

    return open_on


def test_import_from_the_units_page(qtbot, demo_db, ward_id, new_list):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    window.show_page("units")
    page = window.units_page
    seen = {}

    def drive(dialog: UnitImportDialog):
        assert dialog.windowTitle() == "Nhập danh sách đơn vị từ Excel"
        assert (dialog.table.header_row, dialog.header_row.value()) == (3, 3)
        dialog.next_button.click()
        seen["mapped"] = {name: box.currentText() for name, box in dialog.field_columns.items()
                          if box.currentIndex() > 0}
        seen["kind"] = (dialog.fixed_kind.isChecked(), dialog.kind.currentText())
        seen["note"] = dialog.mapping_note.text()
        dialog.next_button.click()
        seen["counts"] = dialog.counts.text()
        seen["button"] = dialog.import_button.text()
        dialog.import_button.click()
        seen["done"] = dialog.done_text.text()
        dialog.close_button.click()

    when_modal_opens(qtbot, drive)
    page.import_from_excel(str(new_list))
    assert seen["mapped"] == {"name": "B: Tên tổ dân phố", "address": "C: Địa chỉ", "head_name": "D: Họ tên tổ trưởng",
                              "head_phone": "E: Số điện thoại", "households": "F: Số hộ"}
    assert seen["kind"] == (True, "Khu dân cư")
    assert seen["note"].startswith("Chương trình đã đoán cột")
    assert "Mới: <b>2</b>" in seen["counts"] and "Đã có: <b>1</b>" in seen["counts"]
    assert seen["button"] == "Nhập 2 đơn vị"
    assert seen["done"].startswith("Đã nhập 2 đơn vị mới; bỏ qua 1 đơn vị đã có giữ nguyên.")
    assert page.model.total == 70
    shown = [page.model.row_at(row).name for row in range(page.model.rowCount())]
    assert shown.index("Tổ dân phố 20") + 1 == shown.index("Tổ dân phố 21")
    with demo_db.reading() as session:
        unit_id = next(row.id for row in unit_service.list_units(session, ward_id) if row.name == "Tổ dân phố 22")
        added = unit_service.get_unit(session, unit_id)
    assert (added.head_phone, added.households, added.category) == ("0987654321", 1020, "Tổ dân phố")


def test_the_mapping_is_remembered_for_the_next_list(qtbot, dialog, new_list, tmp_path):
    first = dialog(new_list)
    first.next_button.click()
    first.field_columns["households"].setCurrentIndex(0)  # the officer's own choice: no households
    first.next_button.click()
    first.import_button.click()
    assert first.pages.currentIndex() == 3

    second = dialog(write_list(tmp_path / "dot-2.xlsx", [HEADER, [1, "Tổ dân phố 30", "Khu Mới", "", "", 99]]))
    second.next_button.click()
    assert second.mapping_note.text().startswith("Đã dùng lại cách ghép cột")
    assert second.field_columns["households"].currentIndex() == 0
    assert second.field_columns["name"].currentText() == "B: Tên tổ dân phố"


def test_faulty_rows_block_the_import_until_skipped(qtbot, dialog, tmp_path, demo_db):
    path = write_list(tmp_path / "loi.xlsx", [HEADER, [1, "Tổ dân phố 40", "", "", "12", ""],
                                              [2, "Tổ dân phố 41", "", "", "", "nhiều"], [3, "Tổ dân phố 42"]])
    shown = dialog(path)
    shown.next_button.click()
    shown.next_button.click()
    assert shown.preview.count(RowStatus.FAULT) == 2
    assert not shown.import_button.isEnabled() and shown.fault_hint.isVisible()
    shown.show_status.setCurrentIndex(shown.show_status.findData(RowStatus.FAULT.value))
    assert [row.row for row in shown.preview_model.rows] == [4, 5]
    shown.preview_table.selectRow(1)
    assert shown.row_detail.text() == 'Dòng 5: Cột F (Số hộ): "nhiều" không phải là một số.'
    shown.skip_faulty.setChecked(True)
    assert shown.import_button.isEnabled() and shown.import_button.text() == "Nhập 1 đơn vị"
    shown.import_button.click()
    assert shown.import_result.added == 1 and shown.import_result.faulty == 2


def test_existing_units_can_be_updated_instead(qtbot, dialog, tmp_path, demo_db, ward_id):
    path = write_list(tmp_path / "cap-nhat.xlsx", [HEADER, [1, "Tổ dân phố 4", "Số 8 phố Mới", "", "", ""]])
    shown = dialog(path)
    shown.next_button.click()
    shown.next_button.click()
    assert not shown.import_button.isEnabled()  # nothing new, and "skip existing" is the default
    shown.update_existing.setChecked(True)
    assert shown.import_button.text() == "Cập nhật 1 đơn vị"
    shown.import_button.click()
    assert shown.import_result.updated == 1
    with demo_db.reading() as session:
        unit_id = next(row.id for row in unit_service.list_units(session, ward_id) if row.name == "Tổ dân phố 4")
        assert unit_service.get_unit(session, unit_id).address == "Số 8 phố Mới"


def test_a_mapping_without_a_name_stays_on_the_mapping_step(qtbot, dialog, new_list):
    shown = dialog(new_list)
    shown.next_button.click()
    shown.field_columns["name"].setCurrentIndex(0)
    shown.next_button.click()
    assert shown.pages.currentIndex() == 1
    assert shown.error.isVisible() and "cột chứa tên đơn vị" in shown.error.text()


def test_a_kind_column_shows_its_values_to_confirm(qtbot, dialog, tmp_path):
    path = write_list(tmp_path / "hon-hop.xlsx", [["Tên đơn vị", "Loại"], ["Công ty Sao Mai", "Doanh nghiệp"],
                                                  ["Hội Cựu chiến binh", "Loại khác"]])
    shown = dialog(path)
    shown.next_button.click()
    assert shown.column_kind.isChecked() and shown.kind_column.currentText() == "B: Loại"
    assert shown.kind_values.rowCount() == 2
    assert shown.kind_values.cellWidget(1, 2).currentText() == "— chưa rõ —"
    box = shown.kind_values.cellWidget(1, 2)
    box.setCurrentIndex(box.findData(UnitKind.CO_QUAN.value))
    shown.next_button.click()
    assert shown.preview.count(RowStatus.NEW) == 2
    assert shown.mapping.kind_values == {"doanh nghiep": UnitKind.DOANH_NGHIEP, "loai khac": UnitKind.CO_QUAN}


def test_a_wrong_file_is_refused_plainly(qtbot, demo_db, ward_id, tmp_path):
    old = tmp_path / "danh-sach.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 old excel")
    messages = []

    def read(box: QMessageBox) -> None:
        messages.append(box.text())
        box.accept()

    when_modal_opens(qtbot, read)
    shown = UnitImportDialog(demo_db, ward_id, path=old)
    qtbot.addWidget(shown)
    assert messages and "dạng Excel cũ (.xls)" in messages[0]
    assert shown.table is None and not shown.next_button.isEnabled()


def test_a_large_file_is_read_behind_a_progress_dialog(qtbot, dialog, tmp_path, monkeypatch):
    monkeypatch.setattr(unit_import_dialog, "BACKGROUND_READ_BYTES", 0)
    rows = [HEADER] + [[n, f"Tổ dân phố {100 + n}", "", "", "", n] for n in range(1, 1500)]
    shown = dialog(write_list(tmp_path / "lon.xlsx", rows))
    assert shown.table is not None and shown.table.header_row == 3
    shown.next_button.click()
    shown.next_button.click()
    assert shown.preview.count(RowStatus.NEW) == 1499


def test_a_viewer_is_refused_with_the_plain_message(qtbot, dialog, demo_db, new_list, monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    with demo_db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản trị", "mật khẩu đủ dài")
    identity.sign_in_as(accounts.sign_in_and_remember(demo_db, "quantri", "mật khẩu đủ dài"))
    with demo_db.transaction() as session:
        accounts.add_user(session, "lanhdao", "Lãnh đạo", Role.CHI_XEM, "mật khẩu đủ dài", "quantri")
    identity.sign_in_as(accounts.sign_in_and_remember(demo_db, "lanhdao", "mật khẩu đủ dài"))
    shown = dialog(new_list)
    shown.next_button.click()
    shown.next_button.click()
    messages = []

    def read(box: QMessageBox) -> None:
        messages.append(box.text())
        box.accept()

    when_modal_opens(qtbot, read)
    shown.import_button.click()
    assert messages and "chỉ được xem" in messages[0]
    assert shown.import_result is None and shown.pages.currentIndex() == 2
