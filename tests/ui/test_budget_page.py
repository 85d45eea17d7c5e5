"""The "Dự trù kinh phí" tab: groups and lines added through their dialogs, the total in words,
edit, move and delete, Excel in and out, and the preview of the printed estimate."""

from __future__ import annotations

import openpyxl
import pytest
from PySide6.QtWidgets import QMessageBox

from antq_desktop.services import budget
from antq_desktop.ui.budget_page import BudgetPage, GroupDialog, LineDialog
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import YEAR, ward_id


@pytest.fixture
def page(qtbot, demo_db) -> BudgetPage:
    return table_pages.open_page(qtbot, BudgetPage, demo_db)


def _rows(page: BudgetPage) -> list[list[str]]:
    """Every shown row's first six cells, groups and their lines in order."""
    rows = []
    for number in range(page.tree.topLevelItemCount()):
        group = page.tree.topLevelItem(number)
        rows.append([group.text(column) for column in range(6)])
        rows += [[group.child(n).text(column) for column in range(6)] for n in range(group.childCount())]
    return rows


def _select(page: BudgetPage, group: int, line: int | None = None) -> None:
    item = page.tree.topLevelItem(group)
    page.tree.setCurrentItem(item if line is None else item.child(line))


def _demo(page: BudgetPage, db) -> None:
    with db.transaction() as session:
        budget.add_demo_budget(session, ward_id(db), YEAR, "cán bộ")
    page.refresh()


def test_a_group_and_a_line_through_their_dialogs(qtbot, page):
    messages = []
    page.status_message.connect(messages.append)
    assert page.empty_hint.isVisible() and page.in_words.text() == "(Bằng chữ: Không đồng)"
    page.buttons["add_line"].click()
    assert messages[-1].startswith("Hãy thêm nhóm trước")
    seen = []

    def name_group(dialog: GroupDialog) -> None:
        dialog.accept()   # no title yet: refused, the dialog stays
        seen.append((dialog.isVisible(), dialog.error.text()))
        dialog.title_text.setFocus()
        type_text(dialog.title_text, "Tuyên truyền")
        dialog.accept()

    when_modal_opens(qtbot, name_group)
    page.buttons["add_group"].click()
    assert seen == [(True, "Hãy nhập tên nhóm, ví dụ \u201cTuyên truyền, phổ biến\u201d.")]
    assert _rows(page) == [["I", "Tuyên truyền", "", "", "", "0"]]

    def fill_line(dialog: LineDialog) -> None:
        assert dialog.by_price.isChecked() and not dialog.amount.isEnabled()
        dialog.content.setFocus()
        type_text(dialog.content, "In tờ rơi")
        dialog.unit_label.setText("tờ")
        dialog.quantity.setText("2.000")
        dialog.unit_price.setText("1.5OO")   # letters O for zeros
        dialog.accept()
        seen.append((dialog.error.text(), dialog.content.toPlainText(), dialog.amount.text()))
        dialog.unit_price.setText("1.500")
        seen.append(dialog.amount.text())
        dialog.accept()

    when_modal_opens(qtbot, fill_line)
    page.buttons["add_line"].click()
    assert seen[1:] == [('Đơn giá "1.5OO" không phải là một số.', "In tờ rơi", ""), "3.000.000"]
    assert _rows(page) == [["I", "Tuyên truyền", "", "", "", "3.000.000"],
                           ["1", "In tờ rơi", "tờ", "2.000", "1.500", "3.000.000"]]
    assert page.total.text() == "Tổng cộng: 3.000.000 đồng"
    assert page.in_words.text() == "(Bằng chữ: Ba triệu đồng)"
    assert not page.empty_hint.isVisible()
    assert messages[-1] == f"Năm {YEAR}: 1 nhóm, 1 dòng, tổng cộng 3.000.000 đồng."
    assert page.tree.currentItem().text(1) == "In tờ rơi"   # the new line is selected


def test_a_lump_sum_line_is_typed_as_an_amount(qtbot, page, demo_db):
    _demo(page, demo_db)
    _select(page, 1)

    def fill(dialog: LineDialog) -> None:
        assert dialog.group.currentText().startswith("II. Tổ chức")
        dialog.lump_sum.setChecked(True)
        assert dialog.amount.isEnabled() and not dialog.quantity.isEnabled()
        dialog.content.setPlainText("Thuê xe")
        dialog.amount.setText("1.200.000")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add_line"].click()
    assert _rows(page)[4] == ["II", page.budget.groups[1].title, "", "", "", "14.700.000"]
    assert _rows(page)[8] == ["4", "Thuê xe", "", "", "", "1.200.000"]
    assert page.in_words.text() == "(Bằng chữ: Bốn mươi chín triệu hai trăm nghìn đồng)"


def test_edit_move_and_delete(qtbot, page, demo_db):
    _demo(page, demo_db)
    _select(page, 0, 1)

    def edit(dialog: LineDialog) -> None:
        assert (dialog.quantity.text(), dialog.unit_price.text(), dialog.amount.text()) == ("6", "850.000",
                                                                                            "5.100.000")
        dialog.quantity.setText("8")
        dialog.accept()

    when_modal_opens(qtbot, edit)
    page.buttons["edit"].click()
    assert _rows(page)[2][3:] == ["8", "850.000", "6.800.000"] and page.total.text() == "Tổng cộng: 49.700.000 đồng"

    page.buttons["up"].click()   # the edited line stays selected and goes up
    assert [row[1] for row in _rows(page)[1:3]] == ["Làm pa nô, băng rôn, khẩu hiệu tuyên truyền",
                                                    "In tờ rơi tuyên truyền phòng, chống tội phạm, ma túy, lừa đảo qua mạng"]
    _select(page, 3)
    page.buttons["up"].click()
    assert [row[0] for row in _rows(page) if not row[0].isdigit()] == ["I", "II", "III", "IV"]
    assert page.tree.currentItem().text(1) == "Sơ kết, tổng kết, khen thưởng phong trào"
    assert page.tree.topLevelItem(2).text(1) == "Sơ kết, tổng kết, khen thưởng phong trào"

    questions = []

    def yes(box: QMessageBox) -> None:
        questions.append(box.text())
        answer_yes(box)

    when_modal_opens(qtbot, yes)
    page.buttons["delete"].click()
    assert questions == ["Xoá nhóm III \u201cSơ kết, tổng kết, khen thưởng phong trào\u201d cùng 3 dòng của nhóm?"]
    assert page.tree.topLevelItemCount() == 3 and page.total.text() == "Tổng cộng: 36.700.000 đồng"


def test_import_asks_first_then_replaces_or_lists_the_faults(qtbot, page, demo_db, tmp_path):
    _demo(page, demo_db)
    messages = []
    page.status_message.connect(messages.append)
    workbook = openpyxl.Workbook()
    for row in (["Nhóm", "Nội dung", "Số lượng", "Đơn giá", "Thành tiền"], ["I. Hội nghị", "Hội trường", 1, 500_000, None]):
        workbook.active.append(row)
    good = tmp_path / "du-tru.xlsx"
    workbook.save(good)
    questions = []

    def yes(box: QMessageBox) -> None:
        questions.append(box.text())
        answer_yes(box)

    when_modal_opens(qtbot, yes)
    page.import_from_excel(str(good))
    assert questions == [f"Dự trù kinh phí năm {YEAR} hiện có (4 nhóm, 11 dòng) sẽ được thay toàn bộ bằng nội dung "
                         "của tệp \u201cdu-tru.xlsx\u201d. Tiếp tục nhập?"]
    assert _rows(page) == [["I", "Hội nghị", "", "", "", "500.000"], ["1", "Hội trường", "", "1", "500.000", "500.000"]]
    assert messages[-1] == (f"Đã nhập dự trù kinh phí năm {YEAR}: 1 nhóm, 1 dòng, tổng cộng 500.000 đồng "
                            "(thay cho 4 nhóm, 11 dòng cũ).")

    workbook.active.append(["I. Hội nghị", "Nước uống", -3, 20_000, None])
    workbook.active.append(["I. Hội nghị", "Hoa", 2, "nhiều", None])
    bad = tmp_path / "sai.xlsx"
    workbook.save(bad)
    shown = []

    def yes_then_read(box: QMessageBox) -> None:
        when_modal_opens(qtbot, lambda warning: (shown.append(warning.text()),
                                                 warning.button(QMessageBox.StandardButton.Ok).click()))
        answer_yes(box)

    when_modal_opens(qtbot, yes_then_read)
    page.import_from_excel(str(bad))
    qtbot.waitUntil(lambda: bool(shown))
    assert shown[0].startswith('Tệp "sai.xlsx" có 2 lỗi nên chưa nhập dòng nào')
    assert '• Trang "Sheet", dòng 3, cột C (Số lượng): số lượng không được là số âm (-3).' in shown[0]
    assert '• Trang "Sheet", dòng 4, cột D (Đơn giá): đơn giá "nhiều" không phải là một số.' in shown[0]
    assert page.total.text() == "Tổng cộng: 500.000 đồng"   # unchanged


def test_export_then_print_preview(qtbot, page, demo_db, tmp_path):
    _demo(page, demo_db)
    messages = []
    page.status_message.connect(messages.append)
    page.export_to_excel(str(tmp_path / "xuat"))
    assert messages[-1] == f"Đã xuất dự trù kinh phí năm {YEAR} (11 dòng) ra tệp xuat.xlsx."
    assert openpyxl.load_workbook(tmp_path / "xuat.xlsx").active["B2"].value.startswith("In tờ rơi")
    previews = []

    def close(dialog) -> None:
        previews.append((type(dialog), dialog.windowTitle(), len(dialog.page_labels)))
        dialog.reject()

    when_modal_opens(qtbot, close)
    page.buttons["print"].click()
    assert previews == [(PdfPreviewDialog, "Dự trù kinh phí năm 2026", 2)]
