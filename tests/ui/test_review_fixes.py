"""Wiring that only a click or a signal exercises (each of these was a real bug once)."""

from __future__ import annotations

import sys
from datetime import date

from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox

from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import antt, antt_assessment, antt_decision
from antq_desktop.ui.app import install_crash_handler
from antq_desktop.ui.decision_dialog import DecisionDialog
from antq_desktop.ui.main_window import MainWindow
from tests.ui.conftest import when_modal_opens

YEAR = 2026


def _issued_year(db) -> int:
    """Two units recognised by an issued decision; returns the decision's id."""
    with db.transaction() as session:
        antt.register_all_eligible(session, 1, YEAR, date(YEAR, 2, 1), "kiểm thử")
        rows = [row for row in antt.year_overview(session, 1, YEAR) if row.name in ("Tổ dân phố 4", "Tổ dân phố 5")]
        for row in rows:
            view = antt_assessment.assessment(session, row.record_id)
            antt_assessment.save_assessment(
                session, row.record_id, antt_assessment.MeetingInput(date(YEAR, 10, 1)),
                [antt_assessment.PointAnswer(point.code, True) for point in view.points], "kiểm thử")
        antt_assessment.propose(session, [row.record_id for row in rows], date(YEAR, 11, 1), "kiểm thử")
        decision_id = antt_decision.draft_decision(session, 1, YEAR, "kiểm thử")
        view = antt_decision.decision_view(session, decision_id)
        antt_decision.update_decision(session, decision_id, antt_decision.DecisionInput(
            "7", date(YEAR, 11, 14), view.signer_authority, view.signer_title, view.signer_name, view.bases,
            view.recipients), "kiểm thử")
        antt_decision.issue_decision(session, decision_id, "kiểm thử")
    return decision_id


def test_the_certificates_button_asks_for_a_file_and_prints(qtbot, demo_db, tmp_path, monkeypatch):
    target = tmp_path / "giay.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    dialog = DecisionDialog(demo_db, _issued_year(demo_db))
    qtbot.addWidget(dialog)
    dialog.certificates_button.click()
    assert len(PdfReader(target).pages) == 2


def test_changing_year_or_kind_selects_nothing(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show_page("antt")
    page = window.antt_page
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(UnitKind.KDC.value))
    page.year.setValue(2027)
    assert page.selected() == []


def test_sorting_the_year_table_keeps_the_selected_unit(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show_page("antt")
    page = window.antt_page
    page.select_unit(next(row.unit_id for row in page.model.rows if row.name == "Bảo tàng tỉnh Tuyên Quang"))
    page.table.sortByColumn(2, Qt.SortOrder.DescendingOrder)
    assert [row.name for row in page.selected()] == ["Bảo tàng tỉnh Tuyên Quang"]


def test_a_user_error_escaping_a_slot_is_a_message_not_a_crash(qtbot, monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler()
    shown = []

    def read(box: QMessageBox):
        shown.append((box.icon(), box.text()))
        box.accept()

    when_modal_opens(qtbot, read)
    try:
        raise UserError("Tệp dữ liệu đang bị khoá.")
    except UserError:
        sys.excepthook(*sys.exc_info())
    assert shown == [(QMessageBox.Icon.Warning, "Tệp dữ liệu đang bị khoá.")]


def test_an_accidental_correction_draft_can_be_thrown_away(qtbot, demo_db):
    original = _issued_year(demo_db)
    dialog = DecisionDialog(demo_db, original)
    qtbot.addWidget(dialog)
    dialog.correct_button.click()
    assert dialog.decision_id != original and dialog.delete_button.isVisibleTo(dialog)
    when_modal_opens(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    dialog.delete_button.click()
    with demo_db.transaction() as session:
        assert [view.id for view in antt_decision.year_decisions(session, 1, YEAR)] == [original]


def test_a_correction_can_leave_out_a_unit_recognised_by_mistake(qtbot, demo_db):
    from antq_desktop.domain.antt_stage import Stage

    original = _issued_year(demo_db)
    dialog = DecisionDialog(demo_db, original)
    qtbot.addWidget(dialog)
    dialog.correct_button.click()
    assert dialog.units_list.count() == 2 and dialog.drop_button.isVisibleTo(dialog)
    dialog.units_list.setCurrentRow([dialog.units_list.item(i).text() for i in range(2)].index(
        "Tổ dân phố 5 (khu dân cư)"))
    dialog.drop_button.click()
    assert [dialog.units_list.item(i).text() for i in range(dialog.units_list.count())] == [
        "Tổ dân phố 4 (khu dân cư)"]
    dialog.number.setText("8")
    dialog.dated.setChecked(True)
    dialog.issued_on.setDate(date(YEAR, 11, 20))
    when_modal_opens(qtbot, lambda box: box.button(QMessageBox.StandardButton.Yes).click())
    dialog.issue_button.click()
    assert dialog.view.issued
    with demo_db.transaction() as session:
        stages = {row.name: row.stage for row in antt.year_overview(session, 1, YEAR)
                  if row.name in ("Tổ dân phố 4", "Tổ dân phố 5")}
        document = antt_decision.recognition_document(session, dialog.decision_id)
    assert stages == {"Tổ dân phố 4": Stage.RECOGNIZED, "Tổ dân phố 5": Stage.NOT_RECOGNIZED}
    assert "thay thế Quyết định số 07/QĐ-UBND" in document.articles[1]
    assert [unit.name for unit in document.units] == ["Tổ dân phố 4"]
