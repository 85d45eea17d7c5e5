"""The "Lực lượng nòng cốt" page: add a member, a training with attendees, reopen, see the figures."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QDialogButtonBox

from antq_desktop.domain.forces import ForceKind, Gender
from antq_desktop.services import core_forces
from antq_desktop.ui.core_forces_page import (
    EQUIPMENT_TAB,
    MEMBERS_TAB,
    RATINGS_TAB,
    TRAININGS_TAB,
    CoreForcesPage,
)
from antq_desktop.ui.force_dialogs import (
    DayDialog,
    EquipmentDialog,
    MemberDialog,
    TrainingDialog,
)
from antq_desktop.ui.forces_page import ForcesPage
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import YEAR, read_and_close, ward_id

KDC = "Tổ dân phố 3"


def _open(qtbot, db) -> CoreForcesPage:
    page = CoreForcesPage(db, ward_id(db))
    qtbot.addWidget(page)
    page.year.setValue(YEAR)
    page.show()
    return page


@pytest.fixture
def page(qtbot, demo_db) -> CoreForcesPage:
    return _open(qtbot, demo_db)


def _save(dialog) -> None:
    dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save).click()


def _fill_member(name: str, errors: list[str]):
    def fill(dialog: MemberDialog) -> None:
        assert isinstance(dialog, MemberDialog)
        _save(dialog)   # nothing typed: refused, the dialog stays open and says why
        errors.append(dialog.error.text())
        dialog.unit.setCurrentIndex(dialog.unit.findText(KDC))
        type_text(dialog.full_name, name)
        dialog.birth_year.setValue(1985)
        dialog.gender.setCurrentIndex(dialog.gender.findData(Gender.NU.value))
        dialog.role.setCurrentText("Tổ phó")
        dialog.joined_on.setText("05/01/2024")
        _save(dialog)

    return fill


def _fill_training(member_id: int):
    def fill(dialog: TrainingDialog) -> None:
        assert isinstance(dialog, TrainingDialog)
        dialog.held_on.setDate(QDate(2026, 3, 18))
        type_text(dialog.topic, "Tập huấn nghiệp vụ bảo vệ ANTT")
        dialog.hours.setValue(8)
        type_text(dialog.filter, "anh")        # "Ánh", folded
        assert [dialog.people.item(i).isHidden() for i in range(dialog.people.count())] == [False]
        dialog.check_all.click()
        assert dialog.attendee_ids() == (member_id,)
        _save(dialog)

    return fill


def test_a_member_and_a_training_move_the_figures(qtbot, page, demo_db):
    assert [page.tabs.tabText(i) for i in range(page.tabs.count())] == [
        "Thành viên", "Huấn luyện", "Trang bị", "Đánh giá Tổ bảo vệ ANTT"]
    assert isinstance(page.tabs.widget(RATINGS_TAB), ForcesPage) and page.ratings.current_year() == YEAR
    assert "chưa có thành viên" in page.figures.text()
    errors: list[str] = []
    page.tabs.setCurrentIndex(MEMBERS_TAB)
    when_modal_opens(qtbot, _fill_member("Nguyễn Thị Ánh", errors))
    page.members.buttons["add"].click()
    assert errors == ["Chưa nhập họ và tên thành viên."]
    (row,) = page.members.model.rows
    assert (row.full_name, row.unit_name, row.role, row.gender, row.trainings) == (
        "Nguyễn Thị Ánh", KDC, "Tổ phó", Gender.NU, 0)
    assert "Đã huấn luyện 0/1 (0%; chỉ tiêu 100%, chưa đạt)" in page.figures.text()

    page.tabs.setCurrentIndex(TRAININGS_TAB)
    when_modal_opens(qtbot, _fill_training(row.id))
    page.trainings.buttons["add"].click()
    (training,) = page.trainings.model.rows
    assert (training.topic, training.hours, training.attendees) == ("Tập huấn nghiệp vụ bảo vệ ANTT", 8, 1)

    reopened = _open(qtbot, demo_db)     # what was saved is what a new page shows
    assert reopened.members.model.rows[0].trainings == 1
    assert "Đã huấn luyện 1/1 (100%; chỉ tiêu 100%, đạt)" in reopened.figures.text()
    assert "Đã trang bị 0/1" in reopened.figures.text()


def test_equipment_issued_then_returned_and_the_member_leaves(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        unit = core_forces.member_units(session, ward_id(demo_db), ForceKind.TO_BAO_VE)[2]
        member_id = core_forces.add_member(session, ward_id(demo_db), core_forces.MemberInput(
            ForceKind.TO_BAO_VE, "Hà Văn Sơn", unit.id, joined_on=date(2024, 1, 1)), "kiểm thử")
    page.refresh()

    def issue(dialog: EquipmentDialog) -> None:
        dialog.member.setCurrentIndex(dialog.member.findData(member_id))
        dialog.item.setCurrentText("Gậy cao su")
        dialog.issued_on.setDate(QDate(2025, 4, 10))
        _save(dialog)

    page.tabs.setCurrentIndex(EQUIPMENT_TAB)
    when_modal_opens(qtbot, issue)
    page.equipment.buttons["add"].click()
    assert page.members.model.rows[0].equipment == ("Gậy cao su",)
    assert "Đã trang bị 1/1 (100%" in page.figures.text()

    def give_back(dialog: DayDialog) -> None:
        dialog.day.setDate(QDate(2026, 2, 1))
        _save(dialog)

    page.equipment.table.selectRow(0)
    when_modal_opens(qtbot, give_back)
    page.equipment.buttons["return"].click()
    assert page.equipment.model.rows[0].returned_on == date(2026, 2, 1)
    assert "Đã trang bị 0/1 (0%" in page.figures.text()

    messages: list[str] = []

    def yes_then_read(box) -> None:
        when_modal_opens(qtbot, read_and_close(messages))
        answer_yes(box)

    page.members.table.selectRow(0)
    when_modal_opens(qtbot, yes_then_read)
    page.members.buttons["delete"].click()
    assert "Thôi tham gia" in messages[0]   # referenced: refused, with the way out

    def leave(dialog: DayDialog) -> None:
        dialog.day.setDate(QDate(2026, 6, 30))
        _save(dialog)

    page.members.table.selectRow(0)
    said: list[str] = []
    page.status_message.connect(said.append)
    when_modal_opens(qtbot, leave)
    page.members.buttons["leave"].click()
    assert said[-1] == "Đã ghi Hà Văn Sơn thôi tham gia."   # the item came back in February
    assert page.members.model.rows[0].left_on == date(2026, 6, 30)


def test_the_roster_of_the_filtered_team_is_previewed(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        core_forces.add_demo_forces(session, ward_id(demo_db), YEAR, "kiểm thử", date(2026, 11, 22))
    page.refresh()
    page.kind_filter.setCurrentIndex(page.kind_filter.findData(ForceKind.TO_BAO_VE.value))
    page.unit_filter.setCurrentIndex(page.unit_filter.findText(KDC))
    assert {row.unit_name for row in page.members.model.rows} == {KDC}
    type_text(page.search, "xyz khong co")
    assert page.members.model.rows == []
    page.search.clear()
    preview = page.roster_preview()
    qtbot.addWidget(preview)
    assert isinstance(preview, PdfPreviewDialog) and len(preview.page_labels) == 1
    page.save_state()
    assert page.members.model.headerData(0, Qt.Orientation.Horizontal) == "Tổ, đội"
