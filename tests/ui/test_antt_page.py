"""The whole "An toàn về ANTT" year in the window: register, assess, propose, decide, print."""

from __future__ import annotations

from datetime import date

import pytest
from pypdf import PdfReader
from PySide6.QtWidgets import QApplication

from antq_desktop.domain.antt_stage import Stage
from antq_desktop.services import antt, antt_assessment, antt_decision
from antq_desktop.ui.antt_dialogs import (
    AssessmentDialog,
    IncidentsDialog,
    RegistrationDialog,
)
from antq_desktop.ui.decision_dialog import DecisionDialog
from antq_desktop.ui.main_window import MainWindow
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.ui.conftest import answer_yes, type_text, when_modal_opens

YEAR = 2026


@pytest.fixture
def page(qtbot, demo_db):
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    window.show_page("antt")
    page = window.antt_page
    page.year.setValue(YEAR)
    return page


def row_of(page, name: str) -> int:
    return next(n for n, row in enumerate(page.model.rows) if row.name == name)


def stage_of(page, name: str) -> Stage | None:
    return page.model.rows[row_of(page, name)].stage


def test_ineligible_units_are_shown_but_not_counted(page):
    names = [row.name for row in page.model.rows]
    assert "Trường Mầm non Hoa Sen" in names
    assert "54 đơn vị thuộc diện" in page.summary.text()


def test_register_one_unit_through_the_dialog(qtbot, page):
    page.table.selectRow(row_of(page, "Tổ dân phố 3"))

    def fill(dialog: RegistrationDialog):
        dialog.registered_on.setDate(date(YEAR, 4, 2))  # after Quarter I: a warning, still accepted
        type_text(dialog.resolution_ref, "Nghị quyết số 02-NQ/CB")
        dialog.households_total.setValue(200)
        dialog.households_registered.setValue(190)
        assert "Quý I" in dialog.warnings.text() and "190/200" in dialog.warnings.text()
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["register"].click()
    assert stage_of(page, "Tổ dân phố 3") is Stage.REGISTERED
    assert "(muộn)" in page.model.data(page.model.index(row_of(page, "Tổ dân phố 3"), 4))


def test_a_year_from_registration_to_printed_certificates(qtbot, page, demo_db, tmp_path):
    when_modal_opens(qtbot, answer_yes)  # "register every eligible unit?"
    page.buttons["register_all"].click()
    assert sum(row.stage is Stage.REGISTERED for row in page.model.rows) == 54

    # an incident in Tổ dân phố 7 proposes "not met" for the crime point
    page.table.selectRow(row_of(page, "Tổ dân phố 7"))

    def record_incident(dialog: IncidentsDialog):
        dialog.occurred_on.setDate(date(YEAR, 5, 12))
        dialog.kind.setCurrentIndex(dialog.kind.findData("toi_pham"))
        dialog.severity.setCurrentIndex(dialog.severity.findData("nghiem_trong"))
        type_text(dialog.summary, "Cố ý gây thương tích")
        dialog.add_incident()
        assert dialog.table.rowCount() == 1
        dialog.reject()

    when_modal_opens(qtbot, record_incident)
    page.buttons["incidents"].click()

    def assess(dialog: AssessmentDialog, expect_proposal: bool):
        proposed = [p.code for p in dialog.view.points if p.proposed_unmet]
        assert bool(proposed) == expect_proposal
        for code in dialog.choices:
            dialog.set_answer(code, code not in proposed)
        dialog.meeting_held.setChecked(True)
        dialog.meeting_on.setDate(date(YEAR, 10, 20))
        type_text(dialog.chair, "Trưởng tổ dân phố")
        dialog.accept()

    for name, expect in (("Tổ dân phố 7", True), ("Tổ dân phố 8", False), ("Trường THCS Minh Xuân", False)):
        page.table.selectRow(row_of(page, name))
        when_modal_opens(qtbot, lambda dialog, expect=expect: assess(dialog, expect))
        page.buttons["assess"].click()
        assert stage_of(page, name) is Stage.ASSESSED
    assert page.model.rows[row_of(page, "Tổ dân phố 7")].passed is False

    page.table.clearSelection()
    page.buttons["propose"].click()  # nothing selected: every assessed unit that passed
    assert stage_of(page, "Tổ dân phố 8") is Stage.PROPOSED and stage_of(page, "Tổ dân phố 7") is Stage.ASSESSED

    certificates_file = tmp_path / "giấy công nhận.pdf"

    def decide(dialog: DecisionDialog):
        dialog.number.setText("125")
        dialog.dated.setChecked(True)
        dialog.issued_on.setDate(date(YEAR, 11, 14))
        when_modal_opens(qtbot, lambda preview: check_preview(preview))
        dialog.preview_button.click()
        when_modal_opens(qtbot, answer_yes)  # "issue the decision?"
        dialog.issue_button.click()
        assert dialog.view.issued and not dialog.signer_name.isEnabled()
        assert dialog.print_certificates(str(certificates_file)) == 2
        dialog.reject()

    def check_preview(preview: PdfPreviewDialog):
        assert len(preview.page_labels) >= 2
        preview.save_to(str(tmp_path / "quyết định.pdf"))
        preview.reject()

    when_modal_opens(qtbot, decide)
    page.buttons["decision"].click()

    assert stage_of(page, "Tổ dân phố 8") is Stage.RECOGNIZED
    assert stage_of(page, "Tổ dân phố 7") is Stage.NOT_RECOGNIZED
    decision_text = "".join(p.extract_text() for p in PdfReader(tmp_path / "quyết định.pdf").pages)
    assert "Số: 125/QĐ-UBND" in decision_text and "Trường THCS Minh Xuân" in decision_text
    assert "Tổ dân phố 7" not in decision_text
    certificates = PdfReader(certificates_file)
    assert len(certificates.pages) == 2
    assert "TỔ DÂN PHỐ 8" in certificates.pages[1].extract_text() + certificates.pages[0].extract_text()
    with demo_db.transaction() as session:
        assert antt_decision.year_decisions(session, 1, YEAR)[0].issued
        assert len(antt.year_overview(session, 1, YEAR)) == 68
    assert QApplication.activeModalWidget() is None


def test_every_dossier_document_opens_in_the_preview(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        antt.register_all_eligible(session, 1, YEAR, date(YEAR, 2, 1), "kiểm thử")
        record_id = next(row.record_id for row in antt.year_overview(session, 1, YEAR) if row.name == "Tổ dân phố 9")
        view = antt_assessment.assessment(session, record_id)
        answers = [antt_assessment.PointAnswer(point.code, True) for point in view.points]
        meeting = antt_assessment.MeetingInput(date(YEAR, 10, 20), "Nhà văn hóa", "Trưởng tổ", "")
        antt_assessment.save_assessment(session, record_id, meeting, answers, "kiểm thử")
        antt_assessment.propose(session, [record_id], date(YEAR, 11, 1), "kiểm thử")
    page.refresh()
    page.table.selectRow(row_of(page, "Tổ dân phố 9"))
    seen = {}

    def look(preview: PdfPreviewDialog, key: str):
        seen[key] = (len(preview.page_labels), preview.windowTitle())
        preview.reject()

    for key in ("registration", "minutes", "proposal", "outstanding"):
        when_modal_opens(qtbot, lambda preview, key=key: look(preview, key))
        page.print_actions[key].trigger()
    assert set(seen) == {"registration", "minutes", "proposal", "outstanding"}
    assert all(pages >= 1 for pages, _ in seen.values())
