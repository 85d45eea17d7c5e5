"""The year-end workbook dialogs, driven as an officer drives them: export a year, choose a filled
file, read its faults (and copy them), or read the preview and write it."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from antq_desktop import identity
from antq_desktop.services import accounts, units, workbook
from antq_desktop.ui.workbook_dialog import ExportWorkbookDialog, ImportWorkbookDialog
from tests.services.workbook_helpers import (
    OFFICER,
    VIEWER,
    YEAR,
    Book,
    add_accounts,
    build_year,
    dump,
)


def answer_message(seen: list[str], tries: int = 1500) -> None:
    """Press OK in the next message box (the progress dialog before it is left alone), noting its text."""

    def check(tries_left: int = tries) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, QMessageBox) and not isinstance(widget, QProgressDialog):
            seen.append(widget.text())
            widget.button(QMessageBox.StandardButton.Ok).click()
            return
        if tries_left:
            QTimer.singleShot(20, lambda: check(tries_left - 1))

    QTimer.singleShot(0, check)


def _export(ward, path):
    with ward.db.reading() as session:
        workbook.export_year(session, ward.ward_id, YEAR, path)
    return path


def test_the_export_dialog_writes_the_chosen_year(qtbot, demo_db, tmp_path):
    ward = build_year(demo_db)
    dialog = ExportWorkbookDialog(demo_db, ward.ward_id, 2026)
    qtbot.addWidget(dialog)
    assert dialog.file_edit.text().endswith("tong-hop-cuoi-nam-2026.xlsx")
    dialog.year.setValue(YEAR)
    assert dialog.file_edit.text().endswith("tong-hop-cuoi-nam-2025.xlsx")
    target = tmp_path / "nam-2025.xlsx"
    dialog.file_edit.setText(str(target))
    seen: list[str] = []
    answer_message(seen)
    exported = dialog.export()
    assert exported is not None and target.is_file()
    assert seen == [exported.summary] and seen[0].startswith("Đã xuất bảng tổng hợp năm 2025 vào ")
    dialog.file_edit.setText(str(tmp_path / "nam-2025.xls"))
    assert dialog.export() is None and dialog.error.text() == "Tên tệp phải có đuôi .xlsx."


def test_a_faulty_file_shows_every_fault_by_sheet_row_and_column(qtbot, demo_db, tmp_path):
    ward = build_year(demo_db)
    book = Book(_export(ward, tmp_path / "tong-hop.xlsx"))
    row = book.row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3")
    book.set("Đơn vị", row, "Số hộ gia đình", "nhiều")
    book.set("Lực lượng", 2, "Năm sinh", "=1980")
    path = book.save(tmp_path / "loi.xlsx")
    before = dump(demo_db)
    dialog = ImportWorkbookDialog(demo_db, ward.ward_id)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.open_file(path) is None
    assert dialog.fault_table.isVisible() and not dialog.change_table.isVisible()
    assert not dialog.apply_button.isEnabled()
    assert dialog.summary.text().startswith("Tệp có 2 lỗi nên chưa ghi gì vào dữ liệu.")
    shown = [[dialog.fault_model.index(number, column).data() for column in range(4)] for number in range(2)]
    assert shown[0] == ["Đơn vị", str(row), "I (Số hộ gia đình)", 'Số hộ gia đình "nhiều" không phải là một số.']
    assert shown[1][:3] == ["Lực lượng", "2", "E (Năm sinh)"] and "ô có công thức" in shown[1][3]
    dialog.copy_faults()
    copied = QGuiApplication.clipboard().text().splitlines()
    assert copied[1] == (f'Trang "Đơn vị", dòng {row}, cột I (Số hộ gia đình): Số hộ gia đình "nhiều" không phải '
                         "là một số.")
    dialog.grab().save(str(tmp_path / "loi.png"))
    assert dump(demo_db) == before


def test_the_preview_lists_the_changes_and_writing_stores_them(qtbot, demo_db, tmp_path):
    ward = build_year(demo_db)
    book = Book(_export(ward, tmp_path / "tong-hop.xlsx"))
    book.set("Đơn vị", book.row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3"), "Điện thoại", "0912 345 678")
    book.add("Hoạt động tuyên truyền", {"Ngày": book.get("Hoạt động tuyên truyền", 2, "Ngày"), "Hình thức": "Báo",
                                        "Nội dung": "Bài viết về Ngày hội"})
    path = book.save(tmp_path / "da-sua.xlsx")
    dialog = ImportWorkbookDialog(demo_db, ward.ward_id)
    qtbot.addWidget(dialog)
    dialog.show()
    plan = dialog.open_file(path)
    assert plan is not None and (plan.added, plan.changed) == (1, 1)
    assert dialog.change_table.isVisible() and not dialog.fault_table.isVisible()
    assert dialog.apply_button.isEnabled()
    assert dialog.summary.text() == plan.summary_lines()[0]
    sheets = {dialog.sheet_model.index(n, 0).data(): [dialog.sheet_model.index(n, c).data() for c in (1, 2, 3)]
              for n in range(dialog.sheet_model.rowCount())}
    assert sheets["Đơn vị"] == ["0", "1", "67"] and sheets["Hoạt động tuyên truyền"] == ["1", "0", "2"]
    changes = [[dialog.change_model.index(n, c).data() for c in range(5)] for n in range(2)]
    assert changes[0][:4] == ["Đơn vị", "4", "Sửa", "Tổ dân phố 3"] and changes[0][4].endswith('→ "0912 345 678"')
    assert changes[1][:4] == ["Hoạt động tuyên truyền", "4", "Thêm", "Bài viết về Ngày hội"]
    dialog.grab().save(str(tmp_path / "xem-truoc.png"))
    seen: list[str] = []
    answer_message(seen)
    qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
    assert seen == ["Đã ghi bảng tổng hợp năm 2025: thêm 1 dòng, sửa 1 dòng."]
    assert dialog.applied is not None and not dialog.apply_button.isEnabled()
    with demo_db.reading() as session:
        assert units.get_unit(session, ward.unit_id("Tổ dân phố 3")).head_phone == "0912 345 678"
    again = dialog.open_file(path)
    assert again is not None and not again.has_changes and not dialog.apply_button.isEnabled()


def test_a_viewer_is_told_at_once_and_an_officer_may_import(qtbot, demo_db, tmp_path, monkeypatch):
    ward = build_year(demo_db)
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    people = add_accounts(demo_db)
    try:
        identity.sign_in_as(people[VIEWER])
        dialog = ImportWorkbookDialog(demo_db, ward.ward_id)
        qtbot.addWidget(dialog)
        dialog.show()
        assert dialog.error.isVisible() and dialog.error.text() == dialog.refusal
        assert dialog.refusal.startswith("Tài khoản \u201clanhdao\u201d (Lãnh đạo / chỉ xem) chỉ được xem và in, không "
                                         "được nhập bảng tổng hợp vào dữ liệu.")
        assert not dialog.choose_button.isEnabled() and not dialog.apply_button.isEnabled()
        dialog.grab().save(str(tmp_path / "chi-xem.png"))
        identity.sign_in_as(people[OFFICER])
        dialog = ImportWorkbookDialog(demo_db, ward.ward_id)
        qtbot.addWidget(dialog)
        assert dialog.refusal == "" and dialog.choose_button.isEnabled()
        book = Book(_export(ward, tmp_path / "tong-hop.xlsx"))
        book.set("Đơn vị", book.row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3"), "Điện thoại", "0912 345 678")
        assert dialog.open_file(book.save(tmp_path / "da-sua.xlsx")).changed == 1
        seen: list[str] = []
        answer_message(seen)
        qtbot.mouseClick(dialog.apply_button, Qt.MouseButton.LeftButton)
        assert seen == ["Đã ghi bảng tổng hợp năm 2025: thêm 0 dòng, sửa 1 dòng."]
    finally:
        identity.sign_out()
