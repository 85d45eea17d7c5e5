"""The classification papers from a window: the decision dialog opened, previewed and issued with
real clicks, and the previews of the Tờ trình and the score list."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtWidgets import QMessageBox, QWidget

from antq_desktop.services import classification_decision
from antq_desktop.ui import classification_documents as ui
from antq_desktop.ui.decision_dialog import DecisionDialog
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.services.test_classification_decision import EXPECTED, TOTALS, YEAR, score
from tests.ui.conftest import answer_yes, when_modal_opens


def _parent(qtbot) -> QWidget:
    parent = QWidget()
    qtbot.addWidget(parent)
    return parent


def test_open_decision_drafts_previews_and_issues(qtbot, demo_db, tmp_path):
    score(demo_db, TOTALS)
    seen = {}

    def decide(dialog: DecisionDialog):
        seen["title"] = dialog.windowTitle()
        seen["lines"] = [dialog.units_list.item(i).text() for i in range(dialog.units_list.count())]
        seen["certificates"] = dialog.certificates_button.isVisibleTo(dialog)
        dialog.number.setText("125")
        dialog.dated.setChecked(True)
        dialog.issued_on.setDate(date(YEAR, 11, 25))
        when_modal_opens(qtbot, check_preview)
        dialog.preview_button.click()
        when_modal_opens(qtbot, answer_yes)  # "issue the decision?"
        dialog.issue_button.click()
        seen["issued"] = dialog.view.issued and not dialog.number.isEnabled()
        dialog.reject()

    def check_preview(preview: PdfPreviewDialog):
        assert len(preview.page_labels) == 2
        preview.save_to(str(tmp_path / "quyết định phân loại.pdf"))
        preview.reject()

    when_modal_opens(qtbot, decide)
    decision_id = ui.open_decision(_parent(qtbot), demo_db, 1, YEAR)
    assert seen["title"] == "Quyết định phân loại phong trào toàn dân bảo vệ ANTQ năm 2026"
    assert seen["lines"][:2] == ["Tổ dân phố 10 (khu dân cư): 92 điểm, Xuất sắc",
                                 "Bảo tàng tỉnh Tuyên Quang (cơ quan): 95,5 điểm, Xuất sắc"]
    assert len(seen["lines"]) == len(EXPECTED) and seen["certificates"] is False
    assert seen["issued"]
    with demo_db.transaction() as session:
        (issued,) = classification_decision.year_decisions(session, 1, YEAR)
    assert issued.id == decision_id and issued.issued and issued.number == "125"
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(tmp_path / "quyết định phân loại.pdf")
                             .pages).split())
    assert "Số: 125/QĐ-UBND" in text and "87,5" in text

    # Opened again, the dialog shows the issued decision (no second draft).
    when_modal_opens(qtbot, lambda dialog: (seen.update(again=dialog.view.issued), dialog.reject()))
    assert ui.open_decision(_parent(qtbot), demo_db, 1, YEAR) == decision_id and seen["again"]


def test_issuing_with_nothing_scored_shows_the_reason(qtbot, demo_db):
    seen = {}

    def issue(dialog: DecisionDialog):
        dialog.number.setText("125")
        dialog.dated.setChecked(True)
        dialog.issued_on.setDate(date(YEAR, 11, 25))
        when_modal_opens(qtbot, answer_yes)
        dialog.issue_button.click()
        seen["error"] = dialog.error.text()
        seen["issued"] = dialog.view.issued
        dialog.reject()

    when_modal_opens(qtbot, issue)
    ui.open_decision(_parent(qtbot), demo_db, 1, YEAR)
    assert "Chưa có đơn vị nào được chấm điểm" in seen["error"] and not seen["issued"]


def test_the_proposal_and_the_score_list_are_previewed(qtbot, demo_db):
    score(demo_db, TOTALS)
    shown = []

    def look(preview: PdfPreviewDialog):
        shown.append((preview.windowTitle(), len(preview.page_labels)))
        preview.reject()

    when_modal_opens(qtbot, look)
    assert ui.preview_proposal(_parent(qtbot), demo_db, 1, YEAR)
    when_modal_opens(qtbot, look)
    assert ui.preview_score_list(_parent(qtbot), demo_db, 1, YEAR)
    assert [title for title, _ in shown] == ["Tờ trình đề nghị phân loại phong trào năm 2026",
                                            "Thống kê danh sách chấm điểm năm 2026"]
    assert all(pages >= 1 for _, pages in shown)


def test_nothing_to_preview_is_a_warning(qtbot, demo_db):
    warnings = []

    def read(box: QMessageBox):
        warnings.append(box.text())
        box.accept()

    when_modal_opens(qtbot, read)
    assert ui.preview_score_list(_parent(qtbot), demo_db, 1, YEAR) is False
    assert warnings and warnings[0].startswith("Chưa có đơn vị nào được chấm điểm")
