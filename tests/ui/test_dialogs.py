"""First start, the profile page, the crash dialog and the text-size setting."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from antq_desktop.domain.ward import WardKind
from antq_desktop.services import profile as profile_service
from antq_desktop.ui.crash_dialog import CrashDialog, save_report
from antq_desktop.ui.main_window import MainWindow
from antq_desktop.ui.profile_form import FirstStartDialog
from antq_desktop.ui.settings import ui_settings
from tests.ui.conftest import type_text


def test_first_start_offers_the_demo_ward(qtbot, empty_db):
    dialog = FirstStartDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.demo_button.click()
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    with empty_db.transaction() as session:
        assert profile_service.require_profile(session).name == "Minh Xuân"


def test_first_start_saves_a_typed_profile_and_explains_what_is_missing(qtbot, empty_db):
    dialog = FirstStartDialog(empty_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.save_button.click()
    assert dialog.error.isVisible() and "tỉnh" in dialog.error.text()
    type_text(dialog.form.texts["province_name"], "Tuyên Quang")
    type_text(dialog.form.texts["name"], "Mỹ Lâm")
    dialog.form.kind.setCurrentIndex(dialog.form.kind.findData(WardKind.XA.value))
    type_text(dialog.form.texts["chairman_name"], "Đặng Thị Huyền")
    dialog.save_button.click()
    assert dialog.result() == FirstStartDialog.DialogCode.Accepted
    with empty_db.transaction() as session:
        stored = profile_service.require_profile(session)
    assert (stored.kind, stored.name, stored.police_unit_name) == (WardKind.XA, "Mỹ Lâm", "Công an xã Mỹ Lâm")
    assert (stored.chairman_name, stored.chairman_title) == ("Đặng Thị Huyền", "Chủ tịch")


def test_profile_page_saves_and_refuses_a_stale_edit(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    window.navigation.setCurrentRow(window.stack.indexOf(window.profile_page))
    page = window.profile_page
    page.form.texts["chairman_name"].setText("Vũ Ngọc Ánh")
    page.save_button.click()
    assert "Minh Xuân" in window.windowTitle()
    with demo_db.transaction() as session:
        assert profile_service.require_profile(session).chairman_name == "Vũ Ngọc Ánh"
        profile_service.set_profile_field(session, "police_chief_name", "Người Khác", "đồng nghiệp")
    page.form.texts["chairman_name"].setText("Tên Mới")
    page.save_button.click()
    assert page.error.isVisible() and "người khác" in page.error.text()
    with demo_db.transaction() as session:
        stored = profile_service.require_profile(session)
    assert (stored.chairman_name, stored.police_chief_name) == ("Vũ Ngọc Ánh", "Người Khác")


def test_the_window_frame_shows_before_the_database_opens(qtbot, demo_db):
    window = MainWindow()
    qtbot.addWidget(window)
    assert window.navigation.count() == 0  # no empty pages while nothing is loaded
    window.open_database(demo_db)
    assert [window.navigation.item(i).text() for i in range(window.navigation.count())] == [
        "Tổng quan", "Đơn vị trên địa bàn", "An toàn về ANTT", "Phân loại phong trào", "Kiểm tra, hướng dẫn", "Lực lượng nòng cốt",
        "Mô hình", "Tuyên truyền, Ngày hội", "Khen thưởng", "Xã, phường điển hình",
        "Kế hoạch, chỉ tiêu", "Báo cáo", "Tổng hợp các xã, phường", "Nhật ký thay đổi", "Thông tin xã, phường",
    ]
    for row in range(window.navigation.count()):  # every page opens on the demo ward
        window.navigation.setCurrentRow(row)
        assert window.stack.currentIndex() == row


def test_crash_dialog_report_can_be_saved(qtbot, tmp_path):
    dialog = CrashDialog("Traceback: ZeroDivisionError")
    qtbot.addWidget(dialog)
    assert "ZeroDivisionError" in dialog.details.toPlainText()
    target = tmp_path / "báo cáo.txt"
    save_report(dialog.report, str(target))
    text = target.read_text(encoding="utf-8")
    assert text.startswith("ANTQ Desktop") and "ZeroDivisionError" in text


def test_larger_text_is_remembered(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.set_font_size(14)
    assert QApplication.instance().font().pointSize() == 14
    assert int(ui_settings().value("ui/font_size")) == 14
    window.set_font_size(10)
