"""The classification page around the grid: filters, live totals and levels at their thresholds,
the level decided with a reason, the marked facts, the copy of the units' own scores."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import update

from antq_desktop.db.models import ClassificationRecord
from antq_desktop.services.classification import SELF, WARD_SCORE, CellEdit
from antq_desktop.ui.classification_dialogs import LevelDialog, MarkedFactsDialog
from antq_desktop.ui.score_grid import DECIDED, PROPOSED, SELF_TOTAL, TOTAL
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.test_score_grid import go, open_page, press, stored, type_keys

YEAR = 2026


def scores_for(page, row: int, total: Decimal, column: str = SELF) -> list[CellEdit]:
    """Normal items filled in sheet order until they add up to ``total``."""
    edits, left = [], total
    for item in page.grid.model.items:
        if item.deduction or not left:
            continue
        value = min(item.max_points, left)
        edits.append(CellEdit(page.grid.model.rows[row].unit_id, item.code, column, value))
        left -= value
    return edits


def shown(page, row: int, column: int) -> str:
    return page.grid.model.index(row, column).data()


def names(page) -> list[str]:
    return [row.name for row in page.grid.model.rows]


def test_totals_and_levels_follow_each_edit_at_the_thresholds(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    assert page.grid.change(scores_for(page, 0, Decimal(70)), "x", "")
    assert (shown(page, 0, SELF_TOTAL), shown(page, 0, TOTAL), shown(page, 0, PROPOSED)) == ("70", "70", "Khá")
    assert "Khá: <b>1</b>" in page.summary.text() and "Khá trở lên: <b>100,0%</b>" in page.summary.text()
    go(page, 0, "1.1")  # 4 -> 3,75: 69,75 is below Khá
    type_keys(qtbot, "3,75")
    press(qtbot, Qt.Key.Key_Return)
    assert (shown(page, 0, TOTAL), shown(page, 0, PROPOSED), shown(page, 0, DECIDED)) == ("69,75", "Trung bình",
                                                                                          "Trung bình")
    assert "Khá trở lên: <b>0,0%</b>" in page.summary.text()
    assert "Trung bình: <b>1</b>" in page.summary.text()
    assert page.grid.change(scores_for(page, 1, Decimal(90)), "x", "") and shown(page, 1, PROPOSED) == "Xuất sắc"
    assert page.grid.change(scores_for(page, 2, Decimal("49.5")), "x", "") and shown(page, 2, PROPOSED) == "Yếu"
    assert "Có đơn vị Yếu" in page.summary.text() and "Đã chấm <b>3/20</b>" in page.summary.text()
    go(page, 2, "1.1")
    assert "dưới 50 điểm" in page.explanation.text()


def test_the_ward_score_replaces_the_units_own_in_the_final_total(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    page.grid.change(scores_for(page, 0, Decimal(90)), "x", "")
    page.column_buttons.buttons()[1].click()
    go(page, 0, "1.1")
    type_keys(qtbot, "2")  # the ward gives 2 where the unit gave itself 4
    press(qtbot, Qt.Key.Key_Return)
    assert (shown(page, 0, SELF_TOTAL), shown(page, 0, TOTAL), shown(page, 0, PROPOSED)) == ("90", "88", "Khá")


def test_filters_not_scored_changed_today_and_search_without_tones(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    rows = page.grid.model.rows
    page.grid.change([CellEdit(rows[0].unit_id, "1.1", SELF, Decimal(1)),
                      CellEdit(rows[1].unit_id, "1.1", SELF, Decimal(1))], "x", "")
    with demo_db.transaction() as session:  # Tổ dân phố 2 was last changed yesterday
        session.execute(update(ClassificationRecord).where(ClassificationRecord.unit_id == rows[1].unit_id)
                        .values(updated_at=datetime.now() - timedelta(days=1)))
    page.refresh()
    page.show_filter.setCurrentIndex(page.show_filter.findData("unscored"))
    assert len(names(page)) == 18 and "Tổ dân phố 1" not in names(page) and "Tổ dân phố 2" not in names(page)
    page.show_filter.setCurrentIndex(page.show_filter.findData("today"))
    assert names(page) == ["Tổ dân phố 1"]
    page.show_filter.setCurrentIndex(page.show_filter.findData("all"))
    type_text(page.search, "tổ dân phố 1")
    assert names(page) == ["Tổ dân phố 1", *(f"Tổ dân phố {n}" for n in range(10, 20))]
    page.search.setText("TO DAN PHO 20")
    assert names(page) == ["Tổ dân phố 20"]
    page.search.clear()
    assert len(names(page)) == 20


def test_typing_in_a_filtered_grid_writes_the_shown_unit(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    page.search.setText("pho 7")
    go(page, 0, "2.1")
    type_keys(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return)
    assert stored(demo_db)["Tổ dân phố 7"].self_scores == {"2.1": Decimal(5)}


def test_another_level_needs_a_reason_and_can_go_back_to_the_proposed(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    page.grid.change(scores_for(page, 0, Decimal(80)), "x", "")
    go(page, 0, "1.1")
    seen = {}

    def decide(dialog: LevelDialog):
        dialog.other.setChecked(True)
        dialog.level.setCurrentIndex(dialog.level.findData("xuat_sac"))
        dialog.accept()  # no reason yet: refused, the dialog stays open
        seen["refused"] = dialog.isVisible() and "lý do" in dialog.error.text()
        dialog.reason.setPlainText("Theo kết luận họp xét duyệt ngày 20/11/2026")
        dialog.accept()

    when_modal_opens(qtbot, decide)
    page.buttons["level"].click()
    assert seen == {"refused": True}
    assert (shown(page, 0, PROPOSED), shown(page, 0, DECIDED)) == ("Khá", "Xuất sắc *")
    assert "Lý do: Theo kết luận họp xét duyệt" in page.explanation.text()
    assert "Xuất sắc: <b>1</b>" in page.summary.text()
    assert stored(demo_db)["Tổ dân phố 1"].level_override == "xuat_sac"

    def back(dialog: LevelDialog):
        assert dialog.other.isChecked() and dialog.level.currentData() == "xuat_sac"
        dialog.proposed.setChecked(True)
        dialog.accept()

    when_modal_opens(qtbot, back)
    page.buttons["level"].click()
    assert shown(page, 0, DECIDED) == "Khá"
    assert stored(demo_db)["Tổ dân phố 1"].level_override is None


def test_a_unit_not_yet_scored_cannot_be_given_a_level(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    go(page, 4, "1.1")
    page.buttons["level"].click()  # no dialog opens: the message says what to do
    assert "chưa có điểm" in page.error.text() and "Tổ dân phố 5" in page.error.text()


def test_marked_facts_and_note_are_kept_and_explained(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    page.grid.change(scores_for(page, 0, Decimal(95)), "x", "")
    go(page, 0, "1.1")

    def mark(dialog: MarkedFactsDialog):
        assert "đang tắt" in dialog.boxes["hot_spot"].text()  # the shipped rule is off
        dialog.boxes["hot_spot"].setChecked(True)
        dialog.note.setPlainText("Tụ tập đông người ngày 02/9")
        dialog.accept()

    when_modal_opens(qtbot, mark)
    page.buttons["facts"].click()
    row = stored(demo_db)["Tổ dân phố 1"]
    assert row.marked_facts == {"hot_spot"} and row.note == "Tụ tập đông người ngày 02/9"
    assert "điểm nóng" in page.explanation.text() and "Ghi chú: Tụ tập đông người" in page.explanation.text()
    assert shown(page, 0, PROPOSED) == "Xuất sắc"  # a rule that is off lowers nothing


def test_copy_the_units_own_scores_into_the_empty_ward_cells_and_undo_it(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    rows = page.grid.model.rows
    page.grid.change([CellEdit(rows[0].unit_id, "1.1", SELF, Decimal(3)),
                      CellEdit(rows[0].unit_id, "1.2", SELF, Decimal(4)),
                      CellEdit(rows[0].unit_id, "1.2", WARD_SCORE, Decimal(1)),
                      CellEdit(rows[3].unit_id, "2.1", SELF, Decimal(5))], "x", "")
    when_modal_opens(qtbot, answer_yes)
    page.buttons["copy"].click()
    assert stored(demo_db)["Tổ dân phố 1"].ward_scores == {"1.1": Decimal(3), "1.2": Decimal(1)}
    assert stored(demo_db)["Tổ dân phố 4"].ward_scores == {"2.1": Decimal(5)}
    assert page.grid.model.column == WARD_SCORE
    page.undo_button.click()
    assert stored(demo_db)["Tổ dân phố 1"].ward_scores == {"1.2": Decimal(1)}
    assert stored(demo_db)["Tổ dân phố 4"].ward_scores == {}


def test_changing_the_year_shows_that_years_scores(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    page.grid.change(scores_for(page, 0, Decimal(10)), "x", "")
    page.year.setValue(YEAR + 1)
    assert all(not row.scored for row in page.grid.model.rows)
    assert not page.undo_button.isEnabled()  # another year: its own history
    page.year.setValue(YEAR)
    assert shown(page, 0, TOTAL) == "10"


@pytest.mark.parametrize(("action", "title"), [
    ("proposal", "Tờ trình đề nghị phân loại phong trào năm 2025"),
    ("score_list", "Thống kê danh sách chấm điểm năm 2025"),
    ("decision", None),
])
def test_the_documents_menu_opens_the_years_papers(qtbot, demo_db, action, title):
    page = open_page(qtbot, demo_db)
    page.year.setValue(2025)  # the demo's scored year
    seen = {}

    def look(dialog):
        seen["kind"], seen["title"] = type(dialog).__name__, dialog.windowTitle()
        dialog.reject()

    when_modal_opens(qtbot, look)
    page.document_actions[action].trigger()
    expected = "DecisionDialog" if action == "decision" else "PdfPreviewDialog"
    assert seen["kind"] == expected
    assert title is None or seen["title"] == title


def test_the_ward_line_counts_every_kind_against_the_targets_live(qtbot, demo_db):
    page = open_page(qtbot, demo_db)
    page.year.setValue(2025)  # the demo's finished year: 47 of 54 at Khá or above, none Yếu
    assert "Toàn xã, phường: 54 đơn vị đã xếp loại, Khá trở lên 87,0%" in page.summary.text()
    assert "chỉ tiêu từ 100%: <span style='color:#b00020'><b>chưa đạt</b>" in page.summary.text()
    assert "không có đơn vị Yếu: <span style='color:#1b6e20'>đạt" in page.summary.text()
    page.grid.change([CellEdit(page.grid.model.rows[0].unit_id, item.code, SELF, Decimal(0))
                      for item in page.grid.model.items if not item.deduction], "x", "")
    if page.grid.model.rows[0].ward_scores:  # the demo's ward scores would keep points
        page.grid.change([CellEdit(page.grid.model.rows[0].unit_id, code, WARD_SCORE, None)
                          for code in page.grid.model.rows[0].ward_scores], "x", "")
    assert "không có đơn vị Yếu: <span style='color:#b00020'><b>chưa đạt" in page.summary.text()


def test_a_decided_year_warns_that_score_edits_do_not_change_the_issued_list(qtbot, demo_db):
    from datetime import date

    from antq_desktop.services import classification_decision, decisions

    with demo_db.transaction() as session:
        decision_id = classification_decision.draft_decision(session, 1, 2025, "thử")
        view = classification_decision.decision_view(session, decision_id)
        decisions.update_decision(session, decision_id, decisions.DecisionInput(
            "140", date(2025, 11, 28), view.signer_authority, view.signer_title, view.signer_name,
            view.bases, view.recipients), "thử")
        classification_decision.issue_decision(session, decision_id, "thử")
    page = open_page(qtbot, demo_db)
    assert "đã có quyết định phân loại" not in page.summary.text()  # 2026 is not decided
    page.year.setValue(2025)
    assert "Năm 2025 đã có quyết định phân loại được ban hành" in page.summary.text()
