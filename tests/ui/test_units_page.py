"""The main window and the units page, driven as an officer would."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.services import units as unit_service
from antq_desktop.ui.main_window import MainWindow
from antq_desktop.ui.status_dialog import StatusChangeDialog
from antq_desktop.ui.unit_dialog import UnitDialog
from tests.ui.conftest import type_text, when_modal_opens


@pytest.fixture
def window(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.show_page("units")  # the program opens on the dashboard
    return window


def names(page) -> list[str]:
    return [page.model.row_at(row).name for row in range(page.model.rowCount())]


def test_lists_the_units_in_vietnamese_order(window):
    page = window.units_page
    assert window.stack.currentWidget() is page
    assert page.model.total == 68
    shown = names(page)
    assert shown[0] == "Ban Chỉ huy Quân sự phường Minh Xuân"
    assert shown.index("Tổ dân phố 2") < shown.index("Tổ dân phố 10")
    assert shown.index("Doanh nghiệp tư nhân Vàng bạc Kim Thành") < shown.index("Đảng ủy phường Minh Xuân")
    assert "68" in window.statusBar().currentMessage()
    assert "Minh Xuân" in window.windowTitle()


def test_search_as_you_type_ignores_tones(qtbot, window):
    page = window.units_page
    page.search.setFocus()
    type_text(page.search, "to dan pho")
    qtbot.waitUntil(lambda: page.model.total == 20)
    assert all(name.startswith("Tổ dân phố") for name in names(page))
    page.search.clear()
    type_text(page.search, "Đông")  # typed with its tone and đ
    qtbot.waitUntil(lambda: page.model.total == 2)
    assert names(page) == ["Công ty Cổ phần Khoáng sản Đông Á", "Công ty TNHH Đồ gỗ Đông Phương"]


def test_ctrl_f_focuses_search_and_escape_clears_it(qtbot, window):
    page = window.units_page
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert page.search.hasFocus()
    type_text(page.search, "mam non")
    qtbot.waitUntil(lambda: page.model.total == 2)
    qtbot.keyClick(page.search, Qt.Key.Key_Escape)
    assert page.search.text() == ""
    assert page.model.total == 68


def test_kind_filter_and_sorting_by_a_column(qtbot, window):
    page = window.units_page
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(UnitKind.GIAO_DUC.value))
    assert page.model.total == 8
    page.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
    shown = names(page)
    assert shown[0] == "Trường Tiểu học Phan Thiết" and shown[-1] == "Trường Cao đẳng Kỹ thuật Tuyên Quang"
    eligible = {page.model.row_at(r).name: page.model.row_at(r).eligible for r in range(8)}
    assert eligible["Trường Mầm non Hoa Sen"] is False and eligible["Trường THPT Tân Trào"] is True


def test_add_a_unit_through_the_dialog(qtbot, window, demo_db):
    page = window.units_page
    seen_errors = []

    def fill(dialog: UnitDialog):
        dialog.kind.setCurrentIndex(dialog.kind.findData(UnitKind.KDC.value))
        dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()
        seen_errors.append(dialog.error.text())  # no name yet: refused, dialog stays open
        assert dialog.isVisible()
        dialog.name.setFocus()
        type_text(dialog.name, "Tổ dân phố 21")
        type_text(dialog.head_name, "Lương Thị Hoà")
        dialog.households.setValue(215)
        qtbot.keyClick(dialog.name, Qt.Key.Key_Return)  # Enter saves

    when_modal_opens(qtbot, fill)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert seen_errors == ["Hãy nhập tên đơn vị."]
    assert page.model.total == 69
    selected = page.selected_rows()
    assert [row.name for row in selected] == ["Tổ dân phố 21"]
    with demo_db.transaction() as session:
        stored = unit_service.get_unit(session, selected[0].id)
    assert (stored.head_name, stored.households, stored.kind) == ("Lương Thị Hoà", 215, UnitKind.KDC)
    assert names(page).index("Tổ dân phố 20") + 1 == names(page).index("Tổ dân phố 21")


def test_a_duplicate_name_is_refused_and_nothing_is_lost(qtbot, window):
    page = window.units_page
    messages = []

    def fill(dialog: UnitDialog):
        type_text(dialog.name, "tổ dân phố 5")
        dialog.accept()
        messages.append(dialog.error.text())
        assert dialog.isVisible() and dialog.name.text() == "tổ dân phố 5"
        dialog.reject()

    when_modal_opens(qtbot, fill)
    page.add_unit()
    assert "Tổ dân phố 5" in messages[0]
    assert page.model.total == 68


def test_edit_with_enter_keeps_the_selection(qtbot, window, demo_db):
    page = window.units_page
    row = names(page).index("Trạm Y tế phường Minh Xuân")
    page.table.selectRow(row)

    def fill(dialog: UnitDialog):
        assert dialog.name.text() == "Trạm Y tế phường Minh Xuân"
        dialog.head_phone.setText("0207 3822 115")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    unit_id = page.selected_rows()[0].id
    assert page.selected_rows()[0].head_phone == "0207 3822 115"
    with demo_db.transaction() as session:
        assert unit_service.get_unit(session, unit_id).version == 2


def test_merge_then_reactivate(qtbot, window, demo_db):
    page = window.units_page
    page.table.selectRow(names(page).index("Tổ dân phố 20"))

    def merge(dialog: StatusChangeDialog):
        dialog.target.setCurrentIndex(dialog.target.findText("Tổ dân phố 19"))
        type_text(dialog.reason, "Nghị quyết sáp nhập tổ dân phố")
        dialog.accept()

    when_modal_opens(qtbot, merge)
    page.merge_action.trigger()
    assert page.model.total == 67  # only active units are shown by default
    page.status_filter.setCurrentIndex(page.status_filter.findData(UnitStatus.MERGED.value))
    assert names(page) == ["Tổ dân phố 20"]
    page.table.selectRow(0)
    page.reactivate_action.trigger()
    assert page.model.total == 0
    page.status_filter.setCurrentIndex(page.status_filter.findData(UnitStatus.ACTIVE.value))
    assert page.model.total == 68


def test_dissolve_records_date_and_reason(qtbot, window, demo_db):
    page = window.units_page
    page.table.selectRow(names(page).index("Ban Quản lý chợ Tam Cờ"))
    unit_id = page.selected_rows()[0].id

    def dissolve(dialog: StatusChangeDialog):
        type_text(dialog.reason, "Giải thể theo quyết định của UBND")
        dialog.accept()

    when_modal_opens(qtbot, dissolve)
    page.dissolve_action.trigger()
    with demo_db.transaction() as session:
        unit = unit_service.get_unit(session, unit_id)
    assert unit.status is UnitStatus.DISSOLVED and unit.status_reason == "Giải thể theo quyết định của UBND"
    assert unit.status_date is not None


def test_copy_puts_tab_separated_rows_on_the_clipboard(window):
    page = window.units_page
    page.table.selectRow(0)
    page.copy_action.trigger()
    text = QApplication.clipboard().text()
    lines = text.split("\r\n")
    assert lines[0].split("\t")[0] == "Tên đơn vị"
    assert lines[1].split("\t")[:2] == ["Ban Chỉ huy Quân sự phường Minh Xuân", "Cơ quan"]


def test_column_layout_is_remembered(qtbot, demo_db):
    first = MainWindow(demo_db)
    qtbot.addWidget(first)
    first.units_page.table.setColumnWidth(3, 111)
    first.close()
    second = MainWindow(demo_db)
    qtbot.addWidget(second)
    assert second.units_page.table.columnWidth(3) == 111


def test_ctrl_h_shows_the_units_history(qtbot, window):
    page = window.units_page
    page.table.selectRow(names(page).index("Tổ dân phố 3"))
    shown = {}

    def read(dialog):  # whatever opens is closed, so a warning instead of the history fails, not hangs
        from antq_desktop.ui.unit_history import UnitHistoryDialog

        shown["text"] = dialog.text.toPlainText() if isinstance(dialog, UnitHistoryDialog) else dialog.text()
        dialog.reject()

    when_modal_opens(qtbot, read)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier)
    assert shown["text"].startswith("Tổ dân phố 3\nKhu dân cư · Đang hoạt động\nNăm 2025\nPhân loại phong trào")
