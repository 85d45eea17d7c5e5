"""The "Kiểm tra, hướng dẫn" page: plan, record a visit with a recommendation, reopen it, see the coverage."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate

from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.services import inspections
from antq_desktop.services.inspections import InspectionInput, RecommendationInput
from antq_desktop.ui.inspection_dialog import RECOMMENDATIONS_TAB, InspectionDialog
from antq_desktop.ui.inspections_page import InspectionsPage
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import YEAR, read_and_close, ward_id

TODAY = date(2026, 6, 15)
VISIT = date(2026, 3, 10)


@pytest.fixture
def page(qtbot, demo_db, monkeypatch) -> InspectionsPage:
    monkeypatch.setattr(InspectionsPage, "today", lambda self: TODAY)
    return table_pages.open_page(qtbot, InspectionsPage, demo_db)


def _unit_id(db, name: str) -> int:
    with db.transaction() as session:
        return next(u.id for u in inspections.unit_choices(session, ward_id(db)) if u.name == name)


def _add(db, name: str, **fields) -> int:
    with db.transaction() as session:
        data = InspectionInput(unit_id=_unit_id(db, name), **fields)
        return inspections.add_inspection(session, ward_id(db), YEAR, data, "cán bộ", TODAY)


def _select(page: InspectionsPage, name: str) -> None:
    page.table.selectRow(table_pages.row_of(page, unit_name=name))


def test_plan_record_a_visit_reopen_and_see_the_coverage(qtbot, page, demo_db):
    assert page.coverage_label.text() == "Tổ dân phố đã kiểm tra: 0/20 (0%)"
    assert page.pending.count() == 20 and page.pending_label.text() == (
        "Chưa kiểm tra: 20 (còn 199 ngày đến 31/12/2026)")

    def plan(dialog: InspectionDialog) -> None:
        assert not dialog.visited.isChecked() and not dialog.findings.isEnabled()
        dialog.unit.setCurrentIndex(dialog.unit.findData(_unit_id(demo_db, "Tổ dân phố 7")))
        dialog.planned_on.setDate(QDate(2026, 3, 5))
        dialog.planned_by.setFocus()
        type_text(dialog.planned_by, "Đoàn kiểm tra Công an phường")
        dialog.accept()

    when_modal_opens(qtbot, plan)
    page.buttons["plan"].click()
    (row,) = page.model.rows
    assert (row.unit_name, row.planned_on, row.made, row.late, row.team) == (
        "Tổ dân phố 7", date(2026, 3, 5), False, True, "Đoàn kiểm tra Công an phường")
    assert page.pending.item(6).text() == "Tổ dân phố 7 · dự kiến 05/03/2026"
    assert table_pages.row_of(page, unit_name="Tổ dân phố 7") in page.table.selected_row_numbers()

    def record(dialog: InspectionDialog) -> None:
        assert dialog.visited.isChecked() and dialog.visited_on.date().toPython() == date(2026, 3, 5)
        dialog.visited_on.setDate(QDate(2026, 3, 10))
        dialog.started_at.setText("8:30")
        dialog.ended_at.setText("10h")
        dialog.team.setPlainText("Đại úy Trần Quang Hải, Phó Trưởng Công an phường, Trưởng đoàn")
        dialog.findings.setFocus()
        type_text(dialog.findings, "Sổ tạm trú chưa cập nhật")
        row = dialog.add_recommendation()
        dialog.set_recommendation(row, "Cập nhật sổ tạm trú", "30/4/2026")
        dialog.accept()

    when_modal_opens(qtbot, record)
    page.buttons["visit"].click()
    (row,) = page.model.rows
    assert (row.visited_on, row.team, row.open_recommendations) == (VISIT, "Đại úy Trần Quang Hải", 1)
    assert page.coverage_label.text() == "Tổ dân phố đã kiểm tra: 1/20 (5%)"
    assert page.coverage_bar.value() == 1 and page.pending.count() == 19
    assert page.model.index(0, 5).data() == "Còn 1/1 (1 quá hạn)"   # 30/04 passed on 15/06

    seen = {}

    def reopen(dialog: InspectionDialog) -> None:
        seen["tab"] = dialog.tabs.tabText(RECOMMENDATIONS_TAB)
        seen["row"] = [dialog.recommendations.item(0, column).text() for column in range(4)]
        seen["findings"], seen["times"] = dialog.findings.toPlainText(), (dialog.started_at.text(),
                                                                           dialog.ended_at.text())
        dialog.reject()

    when_modal_opens(qtbot, reopen)
    page.table.doubleClicked.emit(page.model.index(0, 0))
    assert seen == {"tab": "Kiến nghị (1)", "row": ["Cập nhật sổ tạm trú", "30/04/2026", "", ""],
                    "findings": "Sổ tạm trú chưa cập nhật", "times": ("08:30", "10:00")}


def test_a_refusal_keeps_the_dialog_open_with_the_message(qtbot, page, demo_db):
    inspection_id = _add(demo_db, "Tổ dân phố 3", planned_on=date(2026, 3, 1))
    page.refresh()
    errors = []

    def record(dialog: InspectionDialog) -> None:
        dialog.visited.setChecked(True)
        row = dialog.add_recommendation()
        dialog.set_recommendation(row, "Sửa camera", "31/02/2026")
        dialog.accept()
        errors.append(dialog.error.text())
        dialog.set_recommendation(row, "Sửa camera", "01/02/2026")
        dialog.accept()
        errors.append(dialog.error.text())
        dialog.reject()

    when_modal_opens(qtbot, record)
    page.open_inspection(inspection_id)
    assert errors[0].startswith('Kiến nghị 1, thời hạn: Ngày "31/02/2026" không hợp lệ.')
    assert errors[1] == "Kiến nghị 1: thời hạn 01/02/2026 trước ngày kiểm tra 01/03/2026."
    assert not page.model.rows[0].made


def test_delete_a_plan_and_refuse_a_made_visit(qtbot, page, demo_db):
    _add(demo_db, "Tổ dân phố 1")
    _add(demo_db, "Tổ dân phố 2", visited_on=VISIT)
    page.refresh()
    when_modal_opens(qtbot, answer_yes)
    _select(page, "Tổ dân phố 1")
    page.buttons["delete"].click()
    assert [row.unit_name for row in page.model.rows] == ["Tổ dân phố 2"]

    messages: list[str] = []
    when_modal_opens(qtbot, lambda box: (answer_yes(box), when_modal_opens(qtbot, read_and_close(messages))))
    _select(page, "Tổ dân phố 2")
    page.buttons["delete"].click()
    assert messages and "đã thực hiện nên không xoá được" in messages[0]
    assert len(page.model.rows) == 1


def test_unticking_a_made_visit_asks_first(qtbot, page, demo_db):
    inspection_id = _add(demo_db, "Tổ dân phố 4", visited_on=VISIT, findings="Tốt", recommendations=(
        RecommendationInput("Sửa camera", date(2026, 4, 1)),))
    page.refresh()

    def untick(dialog: InspectionDialog) -> None:
        dialog.visited.setChecked(False)
        assert not dialog.recommendations.isEnabled()
        when_modal_opens(qtbot, answer_yes)
        dialog.accept()

    when_modal_opens(qtbot, untick)
    page.open_inspection(inspection_id)
    row = page.model.rows[0]
    assert (row.made, row.recommendations) == (False, 0)


def test_lists_open_what_they_name(qtbot, page, demo_db):
    _add(demo_db, "Tổ dân phố 5", visited_on=VISIT, recommendations=(
        RecommendationInput("Sửa camera", date(2026, 4, 1)),))
    page.refresh()
    assert page.overdue_label.text() == "Kiến nghị quá hạn chưa thực hiện: 1"
    assert page.overdue.item(0).text() == "Tổ dân phố 5: Sửa camera (hạn 01/04/2026, quá 75 ngày)"
    tabs = []

    def look(dialog: InspectionDialog) -> None:
        tabs.append(dialog.tabs.currentIndex())
        dialog.reject()

    when_modal_opens(qtbot, look)
    page.overdue.itemDoubleClicked.emit(page.overdue.item(0))
    assert tabs == [RECOMMENDATIONS_TAB]

    units = []

    def plan(dialog: InspectionDialog) -> None:
        units.append(dialog.unit.currentText())
        dialog.kind.setCurrentIndex(dialog.kind.findData(InspectionKind.HUONG_DAN.value))
        dialog.accept()

    when_modal_opens(qtbot, plan)
    page.pending.itemDoubleClicked.emit(page.pending.item(0))
    assert units == ["Tổ dân phố 1 (khu dân cư)"]
    assert {row.unit_name: row.kind for row in page.model.rows}["Tổ dân phố 1"] is InspectionKind.HUONG_DAN


def test_print_the_minutes_in_a_preview(qtbot, page, demo_db, monkeypatch):
    _add(demo_db, "Tổ dân phố 6", visited_on=VISIT, started_at="08:30")
    page.refresh()
    shown = []
    monkeypatch.setattr(PdfPreviewDialog, "exec", lambda dialog: shown.append(len(dialog.page_labels)) or 0)
    page.table.selectRow(0)
    page.buttons["print"].click()
    assert shown == [2]   # the minutes run onto a second page
    assert page.preview.windowTitle() == "Biên bản kiểm tra"


def test_year_change_reloads(page, demo_db):
    _add(demo_db, "Tổ dân phố 1", visited_on=VISIT)
    page.refresh()
    assert len(page.model.rows) == 1
    page.year.setValue(2025)
    assert page.model.rows == [] and page.coverage_label.text() == "Tổ dân phố đã kiểm tra: 0/20 (0%)"
