"""The year-end score grid driven from the keyboard and the clipboard, on a real database:
typing, Enter and Tab, paste blocks (all or nothing), copy, delete, undo and redo, reopen."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from antq_desktop.services import classification as service
from antq_desktop.services.classification import SELF, WARD_SCORE, CellEdit
from antq_desktop.ui.classification_page import ClassificationPage
from antq_desktop.ui.score_grid import (
    FIRST_ITEM,
    NAME,
    PROPOSED,
    TOTAL,
    parse_block,
    parse_points,
)

YEAR = 2026
KDC = "kdc"
CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def open_page(qtbot, db, kind: str = KDC) -> ClassificationPage:
    page = ClassificationPage(db, 1)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.year.setValue(YEAR)
    page.kind.setCurrentIndex(page.kind.findData(kind))
    with qtbot.waitActive(page):  # keys go to the focused widget of the active window
        page.show()
        page.activateWindow()
    page.grid.cells.setFocus()
    return page


@pytest.fixture
def page(qtbot, demo_db) -> ClassificationPage:
    return open_page(qtbot, demo_db)


def stored(db, kind: str = KDC):
    """The rows as the database holds them now, by name."""
    with db.transaction() as session:
        return {row.name: row for row in service.year_grid(session, 1, YEAR, kind).rows}


def unit(page, number: int):
    return page.grid.model.rows[number]


def go(page, row: int, code: str) -> None:
    page.grid.cells.go_to(page.grid.model.index(row, page.grid.model.column_of(code)))
    page.grid.cells.setFocus()


def press(qtbot, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    """A key to whatever has the focus: the view, or the cell editor the view opened."""
    target = QApplication.focusWidget()
    assert target is not None
    qtbot.keyClick(target, key, modifier)


def type_keys(qtbot, text: str) -> None:
    for character in text:
        target = QApplication.focusWidget()
        assert target is not None  # keyClicks(None) aborts the whole run
        qtbot.keyClicks(target, character)


def current(page) -> tuple[int, str]:
    index = page.grid.cells.currentIndex()
    return index.row(), page.grid.model.item_at(index.column()).code


def cell_text(page, row: int, code: str, role=Qt.ItemDataRole.DisplayRole) -> str:
    return page.grid.model.index(row, page.grid.model.column_of(code)).data(role)


def test_numbers_are_read_with_a_comma_or_a_dot():
    assert parse_points("2,5") == parse_points("2.5") == Decimal("2.5")
    assert parse_points("  ") is None and parse_points("-1,25") == Decimal("-1.25")
    with pytest.raises(ValueError):
        parse_points("ba")
    assert parse_block("1\t2\r\n\t3\r\n") == [["1", "2"], ["", "3"]]


def test_typing_replaces_the_cell_enter_moves_down_tab_moves_right(qtbot, page, demo_db):
    go(page, 0, "1.1")
    type_keys(qtbot, "3")
    press(qtbot, Qt.Key.Key_Return)
    assert current(page) == (1, "1.1")
    type_keys(qtbot, "2,5")
    press(qtbot, Qt.Key.Key_Enter)
    type_keys(qtbot, "1.5")
    press(qtbot, Qt.Key.Key_Tab)
    assert current(page) == (2, "1.2")
    go(page, 0, "1.1")
    type_keys(qtbot, "4")  # replaces the 3, not "34"
    press(qtbot, Qt.Key.Key_Return)
    rows = stored(demo_db)
    assert rows["Tổ dân phố 1"].self_scores == {"1.1": Decimal(4)}
    assert rows["Tổ dân phố 2"].self_scores == {"1.1": Decimal("2.5")}
    assert rows["Tổ dân phố 3"].self_scores == {"1.1": Decimal("1.5")}
    assert cell_text(page, 1, "1.1") == "2,5"
    assert page.grid.model.index(0, TOTAL).data() == "4"  # live total, no reload


def test_arrows_move_and_enter_on_a_cell_moves_down(qtbot, page):
    go(page, 3, "2.1")
    press(qtbot, Qt.Key.Key_Right)
    press(qtbot, Qt.Key.Key_Down)
    assert current(page) == (4, "2.2")
    press(qtbot, Qt.Key.Key_Return)
    assert current(page) == (5, "2.2")
    press(qtbot, Qt.Key.Key_Up)
    press(qtbot, Qt.Key.Key_Left)
    assert current(page) == (4, "2.1")


def test_a_score_over_the_maximum_is_refused_the_cell_keeps_its_value(qtbot, page, demo_db):
    go(page, 0, "1.1")
    type_keys(qtbot, "2")
    press(qtbot, Qt.Key.Key_Return)
    go(page, 0, "1.1")
    type_keys(qtbot, "5")  # the item's maximum is 4
    press(qtbot, Qt.Key.Key_Return)
    assert current(page) == (0, "1.1")  # stays, so the officer types again at once
    assert cell_text(page, 0, "1.1") == "2"
    assert page.error.isVisible()
    assert "Tổ dân phố 1" in page.error.text() and "1.1" in page.error.text() and "điểm chuẩn 4" in page.error.text()
    assert stored(demo_db)["Tổ dân phố 1"].self_scores == {"1.1": Decimal(2)}
    type_keys(qtbot, "x")
    press(qtbot, Qt.Key.Key_Return)
    assert '"x" không phải là số điểm' in page.error.text()
    type_keys(qtbot, "3,5")
    press(qtbot, Qt.Key.Key_Return)
    assert not page.error.isVisible()
    assert stored(demo_db)["Tổ dân phố 1"].self_scores == {"1.1": Decimal("3.5")}


def test_delete_and_backspace_empty_the_selected_cells(qtbot, page, demo_db):
    page.grid.change([CellEdit(unit(page, r).unit_id, code, SELF, Decimal(1))
                      for r in (0, 1) for code in ("1.1", "1.2", "1.3")], "chuẩn bị", "")
    go(page, 0, "1.1")
    press(qtbot, Qt.Key.Key_Right, SHIFT)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_Delete)
    go(page, 0, "1.3")
    press(qtbot, Qt.Key.Key_Backspace)
    rows = stored(demo_db)
    assert rows["Tổ dân phố 1"].self_scores == {}
    assert rows["Tổ dân phố 2"].self_scores == {"1.3": Decimal(1)}


def test_a_block_pasted_from_excel_is_saved_in_one_call(qtbot, page, demo_db, monkeypatch):
    page.grid.change([CellEdit(unit(page, 2).unit_id, "1.2", SELF, Decimal(1))], "chuẩn bị", "")
    calls = []
    save_cells = service.save_cells
    monkeypatch.setattr(service, "save_cells", lambda *a: calls.append(a) or save_cells(*a))
    QApplication.clipboard().setText("4\t3,5\t\r\n2.5\t\t1\r\n")  # empty cells are empty
    go(page, 1, "1.1")
    press(qtbot, Qt.Key.Key_V, CTRL)
    assert len(calls) == 1
    rows = stored(demo_db)
    assert rows["Tổ dân phố 2"].self_scores == {"1.1": Decimal(4), "1.2": Decimal("3.5")}
    assert rows["Tổ dân phố 3"].self_scores == {"1.1": Decimal("2.5"), "1.3": Decimal(1)}  # 1.2 emptied
    assert cell_text(page, 2, "1.1") == "2,5"


def test_one_value_pasted_on_a_selection_fills_it(qtbot, page, demo_db):
    QApplication.clipboard().setText("2\n")
    go(page, 0, "2.1")
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_V, CTRL)
    rows = stored(demo_db)
    assert [rows[f"Tổ dân phố {n}"].self_scores for n in (1, 2, 3)] == [{"2.1": Decimal(2)}] * 3


@pytest.mark.parametrize(("block", "named"), [
    ("1\t2\r\n1\tba\r\n", 'dòng 2 (Tổ dân phố 2), mục 1.2: "ba" không phải là số điểm'),
    ("1\t2\r\n1\t2\t9\r\n", "Tổ dân phố 2, điểm tự chấm: Điểm mục 1.3 (9) vượt quá điểm chuẩn 4"),
    ("1\t2\r\n1\t2\t-1\r\n", "Tổ dân phố 2, điểm tự chấm: Điểm mục 1.3 (-1) không được âm"),
])
def test_a_bad_pasted_cell_saves_nothing_and_names_its_row_and_item(qtbot, page, demo_db, block, named):
    QApplication.clipboard().setText(block)
    go(page, 0, "1.1")
    press(qtbot, Qt.Key.Key_V, CTRL)
    assert named in page.error.text() and "Chưa dán ô nào" in page.error.text()
    assert all(not row.scored for row in stored(demo_db).values())
    assert all(not row.scored for row in page.grid.model.rows)


def test_a_block_wider_than_the_sheet_is_refused(qtbot, page, demo_db):
    columns = len(page.grid.model.items)
    QApplication.clipboard().setText("\t".join(["1"] * 3) + "\n")
    go(page, 0, page.grid.model.items[columns - 2].code)
    press(qtbot, Qt.Key.Key_V, CTRL)
    assert "khối dán có 3 cột" in page.error.text()
    assert all(not row.scored for row in stored(demo_db).values())


def test_copy_gives_the_selection_as_excel_text(qtbot, page):
    page.grid.change([CellEdit(unit(page, 0).unit_id, "1.1", SELF, Decimal("2.5")),
                      CellEdit(unit(page, 1).unit_id, "1.2", SELF, Decimal(3))], "chuẩn bị", "")
    go(page, 0, "1.1")
    press(qtbot, Qt.Key.Key_Right, SHIFT)
    press(qtbot, Qt.Key.Key_Down, SHIFT)
    press(qtbot, Qt.Key.Key_C, CTRL)
    assert QApplication.clipboard().text() == "2,5\t\r\n\t3\r\n"


def test_undo_and_redo_go_through_the_database_and_a_new_page_finds_every_value(qtbot, page, demo_db):
    go(page, 0, "1.1")
    type_keys(qtbot, "3")
    press(qtbot, Qt.Key.Key_Return)
    QApplication.clipboard().setText("1\t2\r\n3\t4\r\n")
    go(page, 2, "1.1")
    press(qtbot, Qt.Key.Key_V, CTRL)
    go(page, 3, "1.2")
    press(qtbot, Qt.Key.Key_Delete)  # the 4 just pasted
    assert stored(demo_db)["Tổ dân phố 4"].self_scores == {"1.1": Decimal(3)}

    press(qtbot, Qt.Key.Key_Z, CTRL)  # the delete
    assert stored(demo_db)["Tổ dân phố 4"].self_scores == {"1.1": Decimal(3), "1.2": Decimal(4)}
    press(qtbot, Qt.Key.Key_Z, CTRL)  # the paste
    press(qtbot, Qt.Key.Key_Z, CTRL)  # the typed 3
    assert all(not row.scored for row in stored(demo_db).values())
    assert cell_text(page, 0, "1.1") == ""

    press(qtbot, Qt.Key.Key_Y, CTRL)
    press(qtbot, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored(demo_db)["Tổ dân phố 3"].self_scores == {"1.1": Decimal(1), "1.2": Decimal(2)}
    press(qtbot, Qt.Key.Key_Y, CTRL)
    expected = {"Tổ dân phố 1": {"1.1": Decimal(3)}, "Tổ dân phố 3": {"1.1": Decimal(1), "1.2": Decimal(2)},
                "Tổ dân phố 4": {"1.1": Decimal(3)}}
    assert {name: row.self_scores for name, row in stored(demo_db).items() if row.scored} == expected

    reopened = open_page(qtbot, demo_db)
    model = reopened.grid.model
    found = {row.name: {item.code: model.index(n, model.column_of(item.code)).data()
                        for item in model.items if model.index(n, model.column_of(item.code)).data()}
             for n, row in enumerate(model.rows)}
    assert {name: cells for name, cells in found.items() if cells} == {
        "Tổ dân phố 1": {"1.1": "3"}, "Tổ dân phố 3": {"1.1": "1", "1.2": "2"}, "Tổ dân phố 4": {"1.1": "3"}}


def test_undo_shows_the_column_it_changes(qtbot, page, demo_db):
    go(page, 0, "1.1")
    type_keys(qtbot, "3")
    press(qtbot, Qt.Key.Key_Return)
    page.grid.set_column(WARD_SCORE)
    press(qtbot, Qt.Key.Key_Z, CTRL)
    assert page.grid.model.column == SELF
    assert page.column_buttons.checkedButton().text() == "Điểm tự chấm"
    assert not stored(demo_db)["Tổ dân phố 1"].scored


def test_an_empty_ward_cell_shows_the_units_own_score_greyed(qtbot, page, demo_db):
    first = unit(page, 0).unit_id
    page.grid.change([CellEdit(first, "1.1", SELF, Decimal(3)), CellEdit(first, "1.2", SELF, Decimal(4))], "x", "")
    page.column_buttons.buttons()[1].click()  # "Điểm xã chấm"
    assert page.grid.model.column == WARD_SCORE
    assert cell_text(page, 0, "1.1") == "3"  # inherited, shown
    assert cell_text(page, 0, "1.1", Qt.ItemDataRole.EditRole) == ""  # but not the ward's
    assert cell_text(page, 0, "1.1", Qt.ItemDataRole.ForegroundRole) is not None
    go(page, 0, "1.1")
    type_keys(qtbot, "1")
    press(qtbot, Qt.Key.Key_Return)
    assert cell_text(page, 0, "1.1", Qt.ItemDataRole.ForegroundRole) is None
    row = stored(demo_db)["Tổ dân phố 1"]
    assert row.self_scores == {"1.1": Decimal(3), "1.2": Decimal(4)} and row.ward_scores == {"1.1": Decimal(1)}
    model = page.grid.model
    assert (model.index(0, TOTAL - 1).data(), model.index(0, TOTAL).data()) == ("7", "5")


def test_header_shows_code_and_maximum_with_the_full_title_as_tooltip(page):
    model = page.grid.model
    assert model.headerData(FIRST_ITEM, Qt.Orientation.Horizontal) == "1.1\n(4)"
    tip = model.headerData(FIRST_ITEM, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    assert "1.1. Trong Quý I" in tip and "Điểm chuẩn: 4" in tip
    deduction = model.column_of("6.1")
    assert model.headerData(deduction, Qt.Orientation.Horizontal) == "6.1\n(-10)"
    assert model.index(0, NAME).data() == "Tổ dân phố 1" and model.index(0, PROPOSED).data() == ""


def test_the_wards_own_sheet_has_one_row_typed_like_the_others(qtbot, demo_db):
    page = open_page(qtbot, demo_db, "xa_phuong")
    assert [row.name for row in page.grid.model.rows] == ["phường Minh Xuân"]
    go(page, 0, "1.1")
    type_keys(qtbot, "5")
    press(qtbot, Qt.Key.Key_Return)
    assert stored(demo_db, "xa_phuong")["phường Minh Xuân"].self_scores == {"1.1": Decimal(5)}


def test_keys_reach_the_editor_in_the_view(qtbot, page):
    """Guard for the helpers above: typing opens an editor in the view, which then has the focus."""
    go(page, 0, "1.1")
    QTest.keyClicks(page.grid.cells, "2")
    assert page.grid.cells.state() == page.grid.cells.State.EditingState
    press(qtbot, Qt.Key.Key_Escape)
    assert cell_text(page, 0, "1.1") == ""
