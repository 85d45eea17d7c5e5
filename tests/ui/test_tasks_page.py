"""The "Phân công nhiệm vụ" tab: tasks added and corrected through their dialog (a refusal keeps the
dialog and what was typed), marked done or in progress, overdue ones in red, moved, removed,
copied from the year before, opened on one task, and the preview of the printed annex."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from antq_desktop.domain.vntext import format_date
from antq_desktop.services import tasks
from antq_desktop.services.tasks import TaskInput, TaskStatus
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from antq_desktop.ui.tasks_page import (
    STATUS_COLUMN,
    CopyDialog,
    DoneOnDialog,
    TaskDialog,
    TasksPage,
)
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import ward_id

TODAY = date.today()
YEAR = TODAY.year   # statuses are judged against today: the page shows this year


@pytest.fixture
def page(qtbot, demo_db) -> TasksPage:
    page = table_pages.open_page(qtbot, TasksPage, demo_db)
    page.year.setValue(YEAR)
    return page


def _add(db, content: str, year: int = YEAR, **more) -> int:
    with db.transaction() as session:
        return tasks.add_task(session, ward_id(db), year, TaskInput(content, **more), "cán bộ")


def _cells(page: TasksPage, column: int) -> list[str]:
    return [page.model.index(row, column).data() for row in range(page.model.rowCount())]


def test_a_task_through_the_dialog(qtbot, page):
    messages = []
    page.status_message.connect(messages.append)
    assert page.empty_hint.isVisible() and page.summary.text() == "Chưa có nhiệm vụ nào."
    seen = []

    def fill(dialog: TaskDialog) -> None:
        dialog.lead.setCurrentText("Công an phường")
        dialog.due_text.setCurrentText("Quý II")   # proposes the quarter's last day to count down to
        seen.append((dialog.has_date.isChecked(), dialog.due_date.date().toPython()))
        dialog.accept()   # no content yet: refused, the dialog and what was typed stay
        seen.append((dialog.isVisible(), dialog.error.text(), dialog.lead.currentText()))
        dialog.content.setFocus()
        type_text(dialog.content, "Tập huấn lực lượng nòng cốt")
        dialog.partners.setPlainText("Ban Chỉ huy Quân sự phường")
        dialog.notes.setText("02 lớp")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()
    assert seen == [(True, date(YEAR, 6, 30)), (True, "Hãy nhập nội dung nhiệm vụ.", "Công an phường")]
    assert [_cells(page, column)[0] for column in range(7)] == [
        "1", "Tập huấn lực lượng nòng cốt", "Công an phường", "Ban Chỉ huy Quân sự phường",
        f"Quý II (30/06/{YEAR})", _cells(page, STATUS_COLUMN)[0], "02 lớp"]
    assert page.model.rows[0].due_date == date(YEAR, 6, 30) and not page.empty_hint.isVisible()
    assert page.table.selected_row_numbers() == [0]   # the new task is selected
    assert messages[-1] == "Đã thêm nhiệm vụ 1."


def test_edit_on_double_click_and_a_stale_edit_is_refused(qtbot, page, demo_db):
    task_id = _add(demo_db, "Quán triệt", due_text="Quý I", due_date=date(YEAR, 3, 31))
    page.refresh()
    seen = []

    def edit(dialog: TaskDialog) -> None:
        seen.append((dialog.content.toPlainText(), dialog.due_text.currentText(), dialog.has_date.isChecked()))
        dialog.has_date.setChecked(False)   # no day to count down to
        dialog.notes.setText("Nghị quyết 33")
        dialog.accept()

    when_modal_opens(qtbot, edit)
    where = page.table.visualRect(page.model.index(0, 1)).center()
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)   # Qt 6 needs the press first
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert seen == [("Quán triệt", "Quý I", True)]
    row = page.model.rows[0]
    assert (row.notes, row.due_date, row.due_text, _cells(page, 4)[0]) == ("Nghị quyết 33", None, "Quý I", "Quý I")
    # Somebody else saves the task while this page still shows the old version.
    with demo_db.transaction() as session:
        tasks.update_task(session, task_id, TaskInput("Quán triệt Nghị quyết 33"), "cán bộ B")
    page.table.selectRow(0)

    def stale(dialog: TaskDialog) -> None:
        dialog.accept()
        seen.append((dialog.isVisible(), dialog.error.text()[:31]))
        dialog.reject()

    when_modal_opens(qtbot, stale)
    page.buttons["edit"].click()
    assert seen[-1] == (True, "Bản ghi này vừa được người khác")


def test_mark_done_in_progress_and_done_on_a_day(qtbot, page, demo_db):
    _add(demo_db, "Quán triệt")
    _add(demo_db, "Tuyên truyền")
    page.refresh()
    page.table.selectAll()
    page.buttons["done"].click()
    assert [(row.status, row.done_on) for row in page.model.rows] == [(TaskStatus.XONG, TODAY)] * 2
    assert _cells(page, STATUS_COLUMN) == [f"Đã xong {format_date(TODAY)}"] * 2
    assert page.model.index(0, STATUS_COLUMN).data(Qt.ItemDataRole.ForegroundRole).color() == QColor("#2e7d32")
    assert page.summary.text().startswith("2 nhiệm vụ: 2 đã hoàn thành")
    page.table.selectRow(1)
    page.status_actions["dang"].trigger()
    assert _cells(page, STATUS_COLUMN)[1] == "Đang thực hiện" and page.model.rows[1].done_on is None
    day = TODAY - timedelta(days=3)

    def pick_day(dialog: DoneOnDialog) -> None:
        dialog.day.setDate(TODAY + timedelta(days=3))   # a day to come is refused
        dialog.accept()
        seen.append(dialog.error.text())
        dialog.day.setDate(day)
        dialog.accept()

    seen = []
    when_modal_opens(qtbot, pick_day)
    page.status_actions["xong_on"].trigger()
    assert seen[0].endswith("chưa đến: hãy chọn một ngày đã qua.")
    assert page.model.rows[1].done_on == day and page.table.selected_row_numbers() == [1]


def test_overdue_tasks_are_shown_in_red(qtbot, page, demo_db):
    late = _add(demo_db, "Báo cáo về phường", due_text="Trước 15/9", due_date=TODAY - timedelta(days=5))
    _add(demo_db, "Báo cáo lên tỉnh", due_date=TODAY + timedelta(days=3))
    _add(demo_db, "Tổng kết", due_date=TODAY + timedelta(days=30))
    page.refresh()
    assert _cells(page, STATUS_COLUMN) == ["Quá hạn 5 ngày (chưa thực hiện)", "Còn 3 ngày (chưa thực hiện)",
                                           "Chưa thực hiện"]
    red = page.model.index(0, STATUS_COLUMN).data(Qt.ItemDataRole.ForegroundRole)
    assert red.color() == QColor("#b00020") and page.model.index(0, 4).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert page.model.index(0, STATUS_COLUMN).data(Qt.ItemDataRole.FontRole).bold()
    assert page.model.index(1, STATUS_COLUMN).data(Qt.ItemDataRole.ForegroundRole) is None
    assert page.summary.text().endswith("— 1 quá hạn.")
    page.table.sortByColumn(STATUS_COLUMN, Qt.SortOrder.AscendingOrder)   # most urgent first
    assert page.model.rows[0].id == late


def test_move_and_delete_renumber(qtbot, page, demo_db):
    first, second, third = (_add(demo_db, text) for text in ("Một", "Hai", "Ba"))
    page.refresh()
    page.table.selectRow(2)
    page.buttons["up"].click()
    assert [row.id for row in page.model.rows] == [first, third, second] and _cells(page, 0) == ["1", "2", "3"]
    assert page.table.selected_row_numbers() == [1]   # the moved task stays selected
    page.buttons["down"].click()
    page.buttons["down"].click()   # already last: stays
    assert [row.id for row in page.model.rows] == [first, second, third]
    page.table.selectRow(0)
    when_modal_opens(qtbot, answer_yes)
    page.buttons["delete"].click()
    assert [(row.id, row.number) for row in page.model.rows] == [(second, 1), (third, 2)]


def test_copy_from_the_year_before(qtbot, page, demo_db):
    _add(demo_db, "Quán triệt", year=YEAR - 1, due_text="Quý I", due_date=date(YEAR - 1, 3, 31))
    _add(demo_db, "Tổng kết", year=YEAR - 1, due_text="Tháng 12")
    messages = []
    page.status_message.connect(messages.append)

    def copy(dialog: CopyDialog) -> None:
        assert dialog.source.value() == YEAR - 1
        dialog.accept()

    when_modal_opens(qtbot, copy)
    page.buttons["copy"].click()
    assert [(row.content, row.due_date, row.status) for row in page.model.rows] == [
        ("Quán triệt", date(YEAR, 3, 31), TaskStatus.CHUA), ("Tổng kết", None, TaskStatus.CHUA)]
    assert messages[-1] == f"Đã sao chép 2 nhiệm vụ từ năm {YEAR - 1} sang năm {YEAR}."
    seen = []

    def again(dialog: CopyDialog) -> None:
        dialog.accept()   # the year has tasks now: refused inside the dialog
        seen.append((dialog.isVisible(), dialog.error.text()))
        dialog.reject()

    when_modal_opens(qtbot, again)
    page.buttons["copy"].click()
    assert seen == [(True, f"Năm {YEAR} đã có 2 nhiệm vụ. Chỉ sao chép được vào một năm chưa có nhiệm vụ nào; hãy "
                           f"thêm từng nhiệm vụ, hoặc xoá các nhiệm vụ năm {YEAR} trước.")]
    assert len(page.model.rows) == 2


def test_the_dashboard_opens_the_page_on_one_task(qtbot, page, demo_db):
    _add(demo_db, "Quán triệt", year=YEAR + 1)
    wanted = _add(demo_db, "Tổng kết", year=YEAR + 1)
    page.select_task(wanted)
    assert page.current_year() == YEAR + 1
    assert [page.model.rows[n].id for n in page.table.selected_row_numbers()] == [wanted]


def test_the_preview_of_the_printed_annex(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        tasks.add_demo_tasks(session, ward_id(demo_db), YEAR, "cán bộ")
    page.refresh()
    assert 10 <= len(page.model.rows) <= 16
    seen = []

    def read(dialog: PdfPreviewDialog) -> None:
        first = dialog.page_labels[0].pixmap()
        seen.append((dialog.windowTitle(), dialog.pdf[:4], first.width() > first.height()))
        dialog.reject()

    when_modal_opens(qtbot, read)
    page.buttons["print"].click()
    assert seen == [(f"Biểu phân công nhiệm vụ năm {YEAR}", b"%PDF", True)]
