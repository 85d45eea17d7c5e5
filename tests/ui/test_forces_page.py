"""The "Lực lượng" page: a level chosen in the table is saved at once, and counted."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from antq_desktop.domain.forces import ForceLevel
from antq_desktop.services import forces
from antq_desktop.ui.forces_page import LEVEL_COLUMN, NOTE_COLUMN, ForcesPage
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, when_modal_opens
from tests.ui.table_pages import YEAR, read_and_close, ward_id

KDC = "Tổ dân phố 3"


def _open(qtbot, db) -> ForcesPage:
    return table_pages.open_page(qtbot, ForcesPage, db)


@pytest.fixture
def page(qtbot, demo_db) -> ForcesPage:
    return _open(qtbot, demo_db)


def _row(page: ForcesPage, name: str) -> int:
    return table_pages.row_of(page, name=name)


def _combo(page: ForcesPage, name: str):
    return table_pages.combo(page, _row(page, name))


def _pick(page: ForcesPage, name: str, level: ForceLevel | None) -> None:
    table_pages.pick(page, _row(page, name), level.value if level else "")


def _stored(db, name: str, year: int = YEAR) -> ForceLevel | None:
    with db.transaction() as session:
        rows = forces.force_ratings(session, ward_id(db), year)
    return next(row.level for row in rows if row.name == name)


def test_every_residential_group_has_a_level_choice(page):
    assert [row.name for row in page.model.rows][:3] == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"]
    assert len(page.model.rows) == 20
    combo = _combo(page, KDC)
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Chưa đánh giá", "Hoàn thành xuất sắc nhiệm vụ", "Hoàn thành tốt nhiệm vụ", "Hoàn thành nhiệm vụ",
        "Không hoàn thành nhiệm vụ"]
    assert "15/11/2025" in page.period.text() and "14/11/2026" in page.period.text()
    assert "Chưa đánh giá: 20" in page.counts.text()


def test_a_chosen_level_is_saved_at_once_and_counted(qtbot, page, demo_db):
    with qtbot.waitSignal(page.status_message) as signal:
        _pick(page, KDC, ForceLevel.KHONG_HOAN_THANH)
    assert signal.args == [f"Đã lưu đánh giá năm {YEAR} của \u201c{KDC}\u201d."]
    assert _stored(demo_db, KDC) is ForceLevel.KHONG_HOAN_THANH
    assert "Không hoàn thành nhiệm vụ: 1" in page.counts.text()
    assert "Chưa đánh giá: 19" in page.counts.text()
    assert "0/20 khu dân cư" in page.counts.text()
    _pick(page, "Tổ dân phố 4", ForceLevel.HOAN_THANH_TOT)
    assert "1/20 khu dân cư (5%)" in page.counts.text()

    reopened = _open(qtbot, demo_db)
    assert _combo(reopened, KDC).currentText() == "Không hoàn thành nhiệm vụ"
    assert _combo(reopened, "Tổ dân phố 4").currentText() == "Hoàn thành tốt nhiệm vụ"
    reopened.year.setValue(YEAR - 1)
    assert _combo(reopened, KDC).currentText() == "Chưa đánh giá"


def test_a_note_is_edited_in_the_table(page, demo_db):
    _pick(page, KDC, ForceLevel.HOAN_THANH)
    index = page.model.index(_row(page, KDC), NOTE_COLUMN)
    assert page.model.flags(index) & Qt.ItemFlag.ItemIsEditable
    assert page.model.setData(index, "Tổ có 5 thành viên")
    assert page.model.rows[_row(page, KDC)].note == "Tổ có 5 thành viên"
    # the combo is still the one that was open: nothing was rebuilt
    assert _combo(page, KDC).currentText() == "Hoàn thành nhiệm vụ"
    with demo_db.transaction() as session:
        (row,) = [r for r in forces.force_ratings(session, ward_id(demo_db), YEAR) if r.name == KDC]
    assert (row.level, row.note, row.version) == (ForceLevel.HOAN_THANH, "Tổ có 5 thành viên", 2)


def test_a_note_without_a_level_is_refused_with_a_message(qtbot, page, demo_db):
    messages: list[str] = []
    when_modal_opens(qtbot, read_and_close(messages))
    assert not page.model.setData(page.model.index(_row(page, KDC), NOTE_COLUMN), "Chưa họp")
    assert messages and "hãy chọn mức đánh giá trước" in messages[0]
    assert page.model.rows[_row(page, KDC)].note == ""


def test_clearing_a_level_with_a_note_asks_first(qtbot, page, demo_db):
    _pick(page, KDC, ForceLevel.HOAN_THANH)
    page.model.setData(page.model.index(_row(page, KDC), NOTE_COLUMN), "Đủ trang bị")
    when_modal_opens(qtbot, answer_yes)
    _pick(page, KDC, None)
    assert _stored(demo_db, KDC) is None
    assert page.model.rows[_row(page, KDC)].note == ""


def test_a_level_someone_else_changed_meanwhile_is_refused_and_shown(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        unit_id = page.model.rows[_row(page, KDC)].unit_id
        forces.set_force_rating(session, ward_id(demo_db), YEAR, unit_id, ForceLevel.HOAN_THANH_TOT, "", "đồng nghiệp")
    messages: list[str] = []
    when_modal_opens(qtbot, read_and_close(messages))
    _pick(page, KDC, ForceLevel.KHONG_HOAN_THANH)
    assert messages and "người khác sửa" in messages[0]
    assert _stored(demo_db, KDC) is ForceLevel.HOAN_THANH_TOT
    assert _combo(page, KDC).currentText() == "Hoàn thành tốt nhiệm vụ"


def test_sorting_keeps_each_combo_on_its_row(page):
    _pick(page, KDC, ForceLevel.HOAN_THANH_XUAT_SAC)
    page.table.sortByColumn(LEVEL_COLUMN, Qt.SortOrder.AscendingOrder)
    assert page.model.rows[0].name == KDC
    assert _combo(page, KDC).currentText() == "Hoàn thành xuất sắc nhiệm vụ"
    assert _combo(page, "Tổ dân phố 4").currentText() == "Chưa đánh giá"
    page.save_state()
