"""The "Báo cáo" page: drafts from the records, editing and saving a section, the questions before
unsaved edits could be lost, the preview and the Excel export."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QMessageBox

from antq_desktop.db.engine import open_database
from antq_desktop.services import year_report as service
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from antq_desktop.ui.reports_page import ReportsPage
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import read_and_close

WARD = 1


@pytest.fixture
def db(full_demo_db_path):
    database = open_database(full_demo_db_path)
    yield database
    database.close()


@pytest.fixture
def page(qtbot, db) -> ReportsPage:
    shown = ReportsPage(db, WARD)
    shown.year.setValue(2025)
    shown.resize(1100, 760)
    shown.show()
    yield shown
    # Closed here rather than by qtbot, whose closing comes first: edits a test leaves would ask to be saved.
    if shown.has_unsaved_changes():
        shown._load()
    shown.close()
    shown.deleteLater()


def stored(db, code: str, period: str = service.YEAR) -> service.SectionText:
    with db.reading() as session:
        draft = service.get_report(session, WARD, 2025, period)
    return next(section for section in draft.sections if section.code == code)


def choose_section(page: ReportsPage, code: str) -> None:
    row = next(n for n, section in enumerate(page._draft.sections) if section.code == code)
    page.sections.setCurrentRow(row)


def type_in_editor(page: ReportsPage, text: str) -> None:
    page.editor.setFocus()
    page.editor.moveCursor(page.editor.textCursor().MoveOperation.End)
    type_text(page.editor, text)


def press(button: QMessageBox.StandardButton):
    return lambda box: box.button(button).click()


def test_the_page_shows_the_drafts_and_the_tables(page):
    assert page.sections.count() == 12 and page.symbol.text() == "/BC-CAP"
    assert page.recipient.text() == "Ủy ban nhân dân tỉnh Tuyên Quang (qua Công an tỉnh Tuyên Quang)"
    choose_section(page, "tuyen_truyen")
    assert page.section_title.text() == "II.2. Công tác tuyên truyền, vận động"
    assert "40 hoạt động tuyên truyền" in page.editor.toPlainText()
    assert "Bản soạn từ số liệu" in page.section_note.text()
    assert len(page.table_views) == 8
    propaganda = page.table_views[0]
    last = propaganda.rowCount() - 1
    assert [propaganda.item(last, c).text() for c in range(3)] == ["Tổng cộng", "40", "32.583"]
    assert propaganda.item(last, 0).font().bold()
    assert "chưa điền" in page.hint.text()
    assert not page.has_unsaved_changes()


def test_edit_a_section_save_and_read_it_back(qtbot, page, db):
    choose_section(page, "lanh_dao")
    type_in_editor(page, " Đã ban hành 05 văn bản.")
    assert page.has_unsaved_changes() and page.sections.currentItem().text().endswith(" *")
    assert page.section_note.text() == "Đã sửa, chưa lưu."
    page.number.setText("15")
    messages = []
    page.status_message.connect(messages.append)
    page.buttons["save"].click()
    assert messages[-1] == "Đã lưu báo cáo kết quả năm 2025."
    assert not page.has_unsaved_changes()
    section = stored(db, "lanh_dao")
    assert section.written and section.text.endswith("Đã ban hành 05 văn bản.")
    again = ReportsPage(db, WARD)
    qtbot.addWidget(again)
    again.year.setValue(2025)
    choose_section(again, "lanh_dao")
    assert again.editor.toPlainText() == section.text and again.number.text() == "15"
    assert "đã soạn và lưu" in again.section_note.text()


def test_ctrl_s_saves(qtbot, page, db):
    (shortcut,) = page.findChildren(QShortcut)
    assert shortcut.key() == QKeySequence(QKeySequence.StandardKey.Save)
    choose_section(page, "de_xuat")
    page.editor.setPlainText("Đề nghị cấp kinh phí.")
    shortcut.activated.emit()
    assert stored(db, "de_xuat").text == "Đề nghị cấp kinh phí."


def test_another_year_with_unsaved_edits_asks_first(qtbot, page, db):
    choose_section(page, "de_xuat")
    page.editor.setPlainText("Chưa lưu.")
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Cancel))
    page.year.setValue(2026)
    assert page.year.value() == 2025 and page.editor.toPlainText() == "Chưa lưu."   # stayed

    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Discard))
    page.year.setValue(2026)
    assert page._draft.year == 2026 and not page.has_unsaved_changes()
    assert not stored(db, "de_xuat").written

    page.year.setValue(2025)
    choose_section(page, "de_xuat")
    page.editor.setPlainText("Lưu khi chuyển.")
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Save))
    page.period.setCurrentIndex(page.period.findData(service.HALF))
    assert page._draft.period == service.HALF
    assert stored(db, "de_xuat").text == "Lưu khi chuyển."
    assert not stored(db, "de_xuat", service.HALF).written


def test_open_on_a_report_chosen_elsewhere(page):
    page.show_report(2024, service.HALF)
    assert (page._draft.year, page._draft.period) == (2024, service.HALF)
    assert page.current_choice() == (2024, service.HALF)
    assert page.section_title.text() == "I. Đặc điểm tình hình"


def test_leaving_the_page_with_unsaved_edits_asks_to_save(qtbot, page, db):
    choose_section(page, "quan_chung")
    page.editor.setPlainText("Quần chúng cung cấp 12 tin báo.")
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Save))
    page.hide()
    assert stored(db, "quan_chung").text == "Quần chúng cung cấp 12 tin báo."


def test_the_main_window_can_ask_before_leaving(qtbot, page, db):
    page.reference.setPlainText("Thực hiện Kế hoạch số 15/KH-UBND")
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Cancel))
    assert not page.confirm_leave() and page.has_unsaved_changes()
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Discard))
    assert page.confirm_leave() and not page.has_unsaved_changes()
    assert page.confirm_leave()   # nothing to ask


def test_a_refresh_keeps_what_is_typed(page):
    choose_section(page, "de_xuat")
    page.editor.setPlainText("Đang soạn.")
    page.refresh()
    assert page.editor.toPlainText() == "Đang soạn." and page.has_unsaved_changes()


def test_compose_a_section_again_from_the_records(qtbot, page):
    choose_section(page, "tuyen_truyen")
    draft = page.editor.toPlainText()
    page.editor.setPlainText("Văn bản cũ.")
    when_modal_opens(qtbot, answer_yes)
    page.regenerate_button.click()
    assert page.editor.toPlainText() == draft
    page.editor.undo()
    assert page.editor.toPlainText() == "Văn bản cũ."   # the old text comes back with Ctrl+Z


def test_a_refused_save_says_why_and_keeps_the_edits(qtbot, page):
    page.number.setText("15/BC-CAP")
    messages = []
    when_modal_opens(qtbot, read_and_close(messages))
    page.buttons["save"].click()
    assert "chỉ ghi số" in messages[0] and page.has_unsaved_changes()
    page.number.setText("")


def test_preview_shows_the_report_as_typed(qtbot, page):
    choose_section(page, "de_xuat")
    page.editor.setPlainText("Đề nghị in thử.")
    seen = []

    def look(dialog) -> None:
        seen.append((type(dialog), dialog.windowTitle(), len(dialog.page_labels)))
        dialog.reject()

    when_modal_opens(qtbot, look)
    page.buttons["preview"].click()
    assert seen[0][:2] == (PdfPreviewDialog, "Báo cáo kết quả năm 2025") and seen[0][2] >= 4
    page._load()   # the edit is not wanted


def test_export_the_tables_to_excel(page, monkeypatch, tmp_path):
    target = tmp_path / "bang-so-lieu"
    monkeypatch.setattr("antq_desktop.ui.reports_page.QFileDialog.getSaveFileName",
                        lambda *args, **kwargs: (str(target), ""))
    messages = []
    page.status_message.connect(messages.append)
    page.buttons["export"].click()
    workbook = load_workbook(tmp_path / "bang-so-lieu.xlsx")
    assert len(workbook.sheetnames) == 8
    assert messages[-1] == "Đã xuất 8 bảng số liệu ra tệp bang-so-lieu.xlsx."


def test_closing_the_window_with_unsaved_report_text_asks_first(qtbot, db):
    from antq_desktop.ui.main_window import MainWindow

    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("reports")
    assert page is window.reports_page
    page.reference.setPlainText("Thực hiện Kế hoạch số 15/KH-UBND")
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Cancel))
    window.close()
    assert window.isVisible() and page.has_unsaved_changes()
    when_modal_opens(qtbot, press(QMessageBox.StandardButton.Discard))
    window.close()
    assert not window.isVisible() and not page.has_unsaved_changes()
