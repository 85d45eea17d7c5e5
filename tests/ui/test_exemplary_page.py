"""The "Phường điển hình" page: criteria added, edited, moved, imported; a year's results and progress."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QFileDialog

from antq_desktop.domain.exemplary import CriterionStatus
from antq_desktop.services import exemplary
from antq_desktop.services.exemplary import CriterionInput
from antq_desktop.ui.exemplary_page import (
    EVIDENCE_COLUMN,
    CriterionDialog,
    ExemplaryPage,
)
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, when_modal_opens
from tests.ui.table_pages import YEAR, read_and_close, ward_id


def _open(qtbot, db) -> ExemplaryPage:
    return table_pages.open_page(qtbot, ExemplaryPage, db)


@pytest.fixture
def page(qtbot, demo_db) -> ExemplaryPage:
    return _open(qtbot, demo_db)


def _add_through_dialog(qtbot, page: ExemplaryPage, code: str, title: str, group: str = "") -> None:
    def fill(dialog: CriterionDialog) -> None:
        dialog.code.setText(code)
        dialog.group.setCurrentText(group)
        dialog.title_text.setPlainText(title)
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()


def _add(db, code: str, title: str = "Nội dung", group: str = "") -> int:
    with db.transaction() as session:
        return exemplary.add_criterion(session, ward_id(db), CriterionInput(code, title, group), "cán bộ")


def _row(page: ExemplaryPage, code: str) -> int:
    return table_pages.row_of(page, code=code)


def _combo(page: ExemplaryPage, code: str):
    return table_pages.combo(page, _row(page, code))


def _pick(page: ExemplaryPage, code: str, status: CriterionStatus) -> None:
    table_pages.pick(page, _row(page, code), status.value)


def _codes(page: ExemplaryPage) -> list[str]:
    return [row.code for row in page.model.rows]


def test_an_empty_list_explains_how_to_start(page):
    assert page.empty_hint.isVisible()
    assert "nhập danh sách của tỉnh" in page.empty_hint.text()
    assert page.progress_label.text() == "Chưa có tiêu chí nào"


def test_add_a_criterion_set_its_status_and_see_the_progress(qtbot, page, demo_db):
    _add_through_dialog(qtbot, page, "1.1", "Cấp ủy có nghị quyết chuyên đề", "I. Lãnh đạo")
    _add_through_dialog(qtbot, page, "1.2", "UBND có kế hoạch", "I. Lãnh đạo")
    assert _codes(page) == ["1.1", "1.2"] and not page.empty_hint.isVisible()
    assert page.model.rows[0].group_title == "I. Lãnh đạo"
    assert page.progress_label.text().startswith("Đạt 0/2 tiêu chí (0%)")

    _pick(page, "1.1", CriterionStatus.DAT)
    assert page.progress_label.text().startswith("Đạt 1/2 tiêu chí (50%)")
    assert (page.progress_bar.value(), page.progress_bar.maximum()) == (1, 2)
    _pick(page, "1.2", CriterionStatus.DANG_THUC_HIEN)
    assert "đang thực hiện 1" in page.progress_label.text()
    assert page.model.setData(page.model.index(_row(page, "1.1"), EVIDENCE_COLUMN), "Nghị quyết số 12-NQ/ĐU")

    reopened = _open(qtbot, demo_db)
    assert _combo(reopened, "1.1").currentText() == "Đạt"
    assert _combo(reopened, "1.2").currentText() == "Đang thực hiện"
    assert reopened.model.rows[_row(reopened, "1.1")].evidence == "Nghị quyết số 12-NQ/ĐU"
    assert reopened.progress_label.text().startswith("Đạt 1/2 tiêu chí (50%)")
    reopened.year.setValue(YEAR + 1)
    assert reopened.progress_label.text().startswith("Đạt 0/2 tiêu chí (0%)")


def test_a_wrong_criterion_keeps_the_dialog_open_with_the_message(qtbot, page, demo_db):
    _add(demo_db, "1.1")
    page.refresh()
    seen = []

    def fill(dialog: CriterionDialog) -> None:
        dialog.code.setText("1.1")
        dialog.title_text.setPlainText("Trùng mã")
        dialog.accept()
        seen.append((dialog.isVisible(), dialog.error.text()))
        dialog.reject()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()
    assert seen == [(True, "Đã có tiêu chí mã \u201c1.1\u201d (Nội dung). Hãy dùng mã khác.")]
    assert _codes(page) == ["1.1"]


def test_edit_a_criterion_through_the_dialog(qtbot, page, demo_db):
    _add(demo_db, "1", "Bản cũ", "Nhóm A")
    page.refresh()
    page.table.selectRow(0)

    def fill(dialog: CriterionDialog) -> None:
        assert (dialog.code.text(), dialog.group.currentText(), dialog.title_text.toPlainText()) == (
            "1", "Nhóm A", "Bản cũ")
        dialog.title_text.setPlainText("Bản mới")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["edit"].click()
    assert page.model.rows[0].title == "Bản mới"


def test_move_and_delete(qtbot, page, demo_db):
    for code in ("1", "2", "3"):
        _add(demo_db, code)
    page.refresh()
    page.table.selectRow(_row(page, "3"))
    page.buttons["up"].click()
    assert _codes(page) == ["1", "3", "2"]
    assert [row.code for row in (page.model.rows[n] for n in page.table.selected_row_numbers())] == ["3"]
    page.buttons["down"].click()
    assert _codes(page) == ["1", "2", "3"]

    _pick(page, "2", CriterionStatus.DAT)
    page.table.selectRow(_row(page, "2"))
    messages: list[str] = []
    when_modal_opens(qtbot, lambda box: (answer_yes(box), when_modal_opens(qtbot, read_and_close(messages))))
    page.buttons["delete"].click()
    assert messages and "đã có kết quả năm 2026 nên không xoá được" in messages[0]
    assert _codes(page) == ["1", "2", "3"]

    page.table.selectRow(_row(page, "3"))
    when_modal_opens(qtbot, answer_yes)
    page.buttons["delete"].click()
    assert _codes(page) == ["1", "2"]


def _workbook(path, rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    book.save(path)
    return path


def test_import_from_excel(qtbot, page, tmp_path, monkeypatch):
    path = _workbook(tmp_path / "tinh.xlsx", [["TT", "Nhóm", "Nội dung tiêu chí"],
                                               [1, "Lãnh đạo", "Có nghị quyết"], [2, "Kết quả", "Có mô hình"]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    announced: list[str] = []
    page.status_message.connect(announced.append)
    page.buttons["import"].click()
    assert announced[-1] == "Đã nhập 2 tiêu chí từ tệp."
    assert _codes(page) == ["1", "2"] and page.model.rows[1].group_title == "Kết quả"
    assert page.progress_label.text().startswith("Đạt 0/2 tiêu chí")


def test_a_wrong_excel_file_names_the_row_and_writes_nothing(qtbot, page, demo_db, tmp_path, monkeypatch):
    _add(demo_db, "cũ")
    page.refresh()
    path = _workbook(tmp_path / "sai.xlsx", [["Mã", "Nội dung tiêu chí"], ["1", None]])
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: (str(path), ""))
    messages: list[str] = []
    when_modal_opens(qtbot, lambda box: (answer_yes(box), when_modal_opens(qtbot, read_and_close(messages))))
    page.buttons["import"].click()
    assert messages and messages[0] == 'Trang "Sheet", dòng 2, cột B: thiếu nội dung tiêu chí.'
    assert _codes(page) == ["cũ"]


def test_cancelled_file_choice_does_nothing(page, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kwargs: ("", ""))
    page.buttons["import"].click()
    assert _codes(page) == []
    page.save_state()
