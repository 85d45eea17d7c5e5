"""The score-sheet editor: edit items, levels and rules, import and export Excel, and the
sheets' own checks keeping a bad sheet out of the database."""

from __future__ import annotations

from decimal import Decimal

import openpyxl
import pytest
from PySide6.QtCore import Qt

from antq_desktop.services import classification as service
from antq_desktop.services.classification import SELF, CellEdit
from antq_desktop.ui.sheet_editor import POINTS, TITLE, SheetSetDialog
from tests.ui.conftest import answer_yes, when_modal_opens


@pytest.fixture
def dialog(qtbot, demo_db):
    dialog = SheetSetDialog(demo_db, 1, 2026)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _current(db):
    with db.reading() as session:
        return service.current_sheet_set(session, 1)


def test_the_default_sheets_are_shown_marked_as_default(dialog):
    assert "MẶC ĐỊNH" in dialog.default_note.text() and not dialog.checked.isChecked()
    assert dialog.tree.topLevelItem(0).text(TITLE) == "Lãnh đạo, chỉ đạo, tổ chức thực hiện phong trào"
    assert dialog.sum_label.text() == "Tổng các mục (không kể điểm trừ): 100/100"


def test_moving_points_between_sub_items_and_raising_a_threshold_is_saved(dialog, demo_db):
    first = dialog.tree.topLevelItem(0)
    first.child(0).setText(POINTS, "3,5")
    first.child(1).setText(POINTS, "4,5")
    dialog.level_minimums[1].setValue(72.5)
    dialog.checked.setChecked(True)
    dialog.target_kha.setValue(90)
    dialog.accept()
    saved = _current(demo_db)
    kdc = saved.sheet("kdc")
    assert kdc.item("1.1").max_points == Decimal("3.5") and kdc.item("1.2").max_points == Decimal("4.5")
    assert saved.level("kha").min_total == Decimal("72.5") and not saved.is_default
    with demo_db.reading() as session:
        assert service.classification_stats(session, 1, 2026).target_kha_or_above_pct == 90


def test_a_sheet_that_does_not_add_up_is_refused_and_nothing_is_saved(dialog, demo_db):
    dialog.tree.topLevelItem(0).child(0).setText(POINTS, "9")
    assert "color: #b00020" not in dialog.sum_label.styleSheet()  # the parent's sum is checked on save
    dialog.accept()
    assert dialog.isVisible() and "mục con cộng lại" in dialog.error.text()
    assert _current(demo_db).is_default


def test_a_top_item_change_shows_the_sum_in_red(dialog):
    dialog.tree.topLevelItem(0).setText(POINTS, "20")
    assert dialog.sum_label.text() == "Tổng các mục (không kể điểm trừ): 105/100"
    assert "color: #b00020" in dialog.sum_label.styleSheet()


def test_switching_a_rule_off_and_on(dialog, demo_db):
    dialog.rules_table.item(0, 0).setCheckState(Qt.CheckState.Unchecked)
    dialog.rules_table.item(2, 0).setCheckState(Qt.CheckState.Checked)
    dialog.accept()
    enabled = [rule.enabled for rule in _current(demo_db).rules]
    assert enabled[0] is False and enabled[2] is True


def test_excel_round_trip_through_the_dialog(dialog, demo_db, tmp_path):
    path = tmp_path / "bang-diem.xlsx"
    dialog.export_excel(str(path))
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Khu dân cư"]
    assert [cell.value for cell in sheet[1]] == ["Mã mục", "Nội dung chấm điểm", "Điểm chuẩn", "Điểm trừ"]
    sheet["B3"] = "Chi bộ có nghị quyết (theo bảng của tỉnh)"
    workbook.save(path)
    dialog.import_excel(str(path))
    assert dialog.tree.topLevelItem(0).child(0).text(TITLE) == "Chi bộ có nghị quyết (theo bảng của tỉnh)"
    assert dialog.checked.isChecked()  # an imported sheet is the province's, not the default
    dialog.accept()
    assert _current(demo_db).sheet("kdc").item("1.1").title == "Chi bộ có nghị quyết (theo bảng của tỉnh)"


def test_a_broken_workbook_names_the_row_and_column_and_changes_nothing(dialog, tmp_path):
    path = tmp_path / "bang-diem.xlsx"
    dialog.export_excel(str(path))
    workbook = openpyxl.load_workbook(path)
    workbook["Cơ quan"]["C4"] = "bốn"
    workbook.save(path)
    before = dialog.typed()
    dialog.import_excel(str(path))
    assert dialog.error.text() == 'Trang "Cơ quan", dòng 4, cột C: Điểm chuẩn "bốn" không phải là một số.'
    assert dialog.typed() == before


def test_a_year_being_scored_may_adopt_the_new_sheets(qtbot, dialog, demo_db):
    with demo_db.transaction() as session:
        unit_id = service.year_grid(session, 1, 2026, "kdc").rows[0].unit_id
        service.save_cells(session, 1, 2026, "kdc", [CellEdit(unit_id, "1.1", SELF, Decimal(2))], "kiểm thử")
    dialog.level_minimums[0].setValue(95)
    when_modal_opens(qtbot, answer_yes)
    dialog.accept()
    with demo_db.reading() as session:
        assert service.year_sheet_set(session, 1, 2026).level("xuat_sac").min_total == 95
