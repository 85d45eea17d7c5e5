"""The "Mô hình" page: add and edit models, grade them in the table, the target line, dissolve and reactivate."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt

from antq_desktop.services import security_models as sm
from antq_desktop.ui.models_page import (
    GRADE_COLUMN,
    NOTE_COLUMN,
    DissolveDialog,
    ModelDialog,
    ModelsPage,
)
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import YEAR, ward_id


@pytest.fixture
def page(qtbot, demo_db) -> ModelsPage:
    return table_pages.open_page(qtbot, ModelsPage, demo_db)


def _add_through_dialog(qtbot, page: ModelsPage, name: str, hosts: tuple[str, ...] = (), members: int = -1) -> None:
    def fill(dialog: ModelDialog) -> None:
        dialog.name.setFocus()
        type_text(dialog.name, name)
        dialog.kind.setCurrentText("Camera an ninh")
        dialog.members.setValue(members)
        for number in range(dialog.hosts.list.count()):
            item = dialog.hosts.list.item(number)
            if item.text() in hosts:
                item.setCheckState(Qt.CheckState.Checked)
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()


def _row(page: ModelsPage, name: str) -> int:
    return table_pages.row_of(page, name=name)


def _select(page: ModelsPage, name: str) -> None:
    page.table.clearSelection()
    page.table.selectRow(_row(page, name))


def test_add_grade_and_see_the_target(qtbot, page, demo_db):
    assert page.target.text().endswith("Mô hình xếp loại Khá trở lên: 0/2 — chưa đạt</b>")
    _add_through_dialog(qtbot, page, "Camera an ninh tổ 5", ("Tổ dân phố 5", "Tổ dân phố 10"), members=40)
    _add_through_dialog(qtbot, page, "Nhóm Zalo phản ánh")
    row = page.model.rows[_row(page, "Camera an ninh tổ 5")]
    assert (row.host_names, row.members, row.kind) == ("Tổ dân phố 5, Tổ dân phố 10", 40, "Camera an ninh")
    assert page.model.index(_row(page, "Nhóm Zalo phản ánh"), 2).data() == "Toàn địa bàn"

    messages = []
    page.status_message.connect(messages.append)
    table_pages.pick(page, _row(page, "Camera an ninh tổ 5"), "tot")
    assert messages[-1] == f"Đã lưu xếp loại năm {YEAR} của mô hình \u201cCamera an ninh tổ 5\u201d."
    assert "1/2 — chưa đạt" in page.target.text()
    table_pages.pick(page, _row(page, "Nhóm Zalo phản ánh"), "kha")
    assert "2/2 — đạt" in page.target.text()
    assert page.model.setData(page.model.index(_row(page, "Nhóm Zalo phản ánh"), NOTE_COLUMN), "Nhiều tin báo")
    assert "Tốt: 1 · Khá: 1 · Trung bình: 0 · Yếu: 0" in page.counts.text()

    reopened = table_pages.open_page(qtbot, ModelsPage, demo_db)
    assert table_pages.combo(reopened, _row(reopened, "Nhóm Zalo phản ánh")).currentText() == "Khá"
    assert reopened.model.rows[_row(reopened, "Nhóm Zalo phản ánh")].grade_note == "Nhiều tin báo"
    reopened.year.setValue(YEAR + 1)
    assert "0/2 — chưa đạt" in reopened.target.text()


def test_a_wrong_model_keeps_the_dialog_open_with_the_message(qtbot, page):
    seen = []

    def fill(dialog: ModelDialog) -> None:
        dialog.accept()
        seen.append((dialog.isVisible(), dialog.error.text()))
        dialog.reject()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()
    assert seen[0][0] and seen[0][1].startswith("Hãy nhập tên mô hình")
    assert page.model.rows == []


def test_edit_shows_the_chosen_hosts_first(qtbot, page, demo_db):
    _add_through_dialog(qtbot, page, "Camera", ("Tổ dân phố 8",))
    _select(page, "Camera")

    def fill(dialog: ModelDialog) -> None:
        assert dialog.hosts.list.item(0).text() == "Tổ dân phố 8"
        assert dialog.hosts.chosen.text() == "Đã chọn 1: Tổ dân phố 8"
        dialog.hosts.search.setText("to dan pho 9")
        visible = [dialog.hosts.list.item(n).text() for n in range(dialog.hosts.list.count())
                   if not dialog.hosts.list.item(n).isHidden()]
        assert visible == ["Tổ dân phố 9"]
        dialog.hosts.set_checked({dialog.hosts.list.item(n).data(Qt.ItemDataRole.UserRole)
                                  for n in range(dialog.hosts.list.count())
                                  if dialog.hosts.list.item(n).text() == "Tổ dân phố 9"})
        dialog.name.setText("Camera an ninh")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["edit"].click()
    row = page.model.rows[_row(page, "Camera an ninh")]
    assert row.host_names == "Tổ dân phố 9"
    assert page.table.selected_row_numbers() == [_row(page, "Camera an ninh")]


def test_dissolve_then_reactivate(qtbot, page, demo_db):
    _add_through_dialog(qtbot, page, "Tổ liên gia")
    _select(page, "Tổ liên gia")
    on = min(date.today(), date(YEAR, 12, 31))

    def fill(dialog: DissolveDialog) -> None:
        assert dialog.on.date() == QDate(on)
        dialog.accept()  # no reason yet
        assert dialog.error.text().startswith("Hãy ghi lý do giải thể")
        dialog.reason.setPlainText("Các hộ chuyển đi")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["dissolve"].click()
    row = page.model.rows[_row(page, "Tổ liên gia")]
    assert (row.dissolved_on, row.dissolved_reason) == (on, "Các hộ chuyển đi")
    assert page.model.index(_row(page, "Tổ liên gia"), 5).data() == f"Giải thể {on:%d/%m/%Y}"

    # The years after: hidden, unless asked for, and then not gradable.
    page.year.setValue(YEAR + 1)
    assert page.model.rows == []
    page.show_old.setChecked(True)
    assert not table_pages.combo(page, _row(page, "Tổ liên gia")).isEnabled()

    _select(page, "Tổ liên gia")
    when_modal_opens(qtbot, answer_yes)
    page.buttons["reactivate"].click()
    assert page.model.rows[_row(page, "Tổ liên gia")].status == "Đang hoạt động"
    assert table_pages.combo(page, _row(page, "Tổ liên gia")).isEnabled()


def test_removing_a_grade_with_a_note_asks_first(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        model_id = sm.add_model(session, ward_id(demo_db), sm.ModelInput("Camera"), "cán bộ")
        sm.set_grade(session, model_id, YEAR, "kha", "Ghi chú", "cán bộ")
    page.refresh()
    when_modal_opens(qtbot, answer_yes)
    table_pages.pick(page, 0, "")
    assert (page.model.rows[0].grade, page.model.rows[0].grade_note) == (None, "")
    assert page.model.index(0, GRADE_COLUMN).data() == "Chưa xếp loại"


def test_the_page_renders(qtbot, page, demo_db, tmp_path):
    with demo_db.transaction() as session:
        sm.add_demo_models(session, ward_id(demo_db), YEAR, "cán bộ")
    page.refresh()
    page.resize(1300, 500)
    assert len(page.model.rows) == 5 and "3/2 — đạt" in page.target.text()
    assert page.grab().save(str(tmp_path / "models.png"))
    page.save_state()
