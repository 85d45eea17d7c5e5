"""The "Khen thưởng" page: add, edit and delete awards, the candidates of the year, the printed list."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import select

from antq_desktop.db.models import Unit
from antq_desktop.domain.forces import ForceKind
from antq_desktop.domain.models_movement import AwardForm
from antq_desktop.services import awards, core_forces
from antq_desktop.services import security_models as sm
from antq_desktop.ui.awards_page import AwardDialog, AwardsPage, CandidatesDialog
from antq_desktop.ui.choices import choose
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from tests.services.test_awards import clear_models_and_awards
from tests.ui import table_pages
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import YEAR, ward_id


@pytest.fixture
def page(qtbot, demo_db) -> AwardsPage:
    clear_models_and_awards(demo_db)
    return table_pages.open_page(qtbot, AwardsPage, demo_db)


def _recipients(page: AwardsPage) -> list[str]:
    return [row.recipient for row in page.model.rows]


def _add_unit_award(qtbot, page: AwardsPage, unit: str, reason: str) -> None:
    def fill(dialog: AwardDialog) -> None:
        assert dialog.to_unit.isChecked() and not dialog.person_name.isEnabled()
        dialog.unit.setCurrentIndex(dialog.unit.findText(unit))
        dialog.reason.setFocus()
        type_text(dialog.reason, reason)
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()


def test_add_a_unit_award_and_a_person_award(qtbot, page):
    messages = []
    page.status_message.connect(messages.append)
    _add_unit_award(qtbot, page, "Tổ dân phố 7", "Phát hiện, tố giác 03 vụ trộm cắp")
    assert _recipients(page) == ["Tổ dân phố 7"]
    assert page.model.rows[0].level == "Chủ tịch UBND phường Minh Xuân"  # the first suggestion

    seen = []

    def fill(dialog: AwardDialog) -> None:
        dialog.to_person.setChecked(True)
        assert dialog.person_name.isEnabled() and dialog.unit_label.text() == "Đơn vị công tác"
        dialog.person_title.setText("Tổ trưởng")
        dialog.reason.setPlainText("Tích cực tuần tra")
        dialog.accept()  # no name yet
        seen.append(dialog.error.text())
        dialog.person_name.setText("Nguyễn Văn Hùng")
        choose(dialog.form, AwardForm.BANG_KHEN)
        dialog.level.setCurrentText("Chủ tịch UBND tỉnh Tuyên Quang")
        dialog.decision_number.setText("1520/QĐ-UBND")
        dialog.decided.setChecked(True)
        dialog.decision_date.setDate(dialog.decision_date.date().addYears(YEAR - dialog.decision_date.date().year()))
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()
    assert seen == ["Khen thưởng cá nhân: hãy nhập họ tên người được khen thưởng."]
    person = next(row for row in page.model.rows if row.to_person)
    assert (person.recipient, person.form_shown, person.decision_number) == (
        "Nguyễn Văn Hùng, Tổ trưởng", "Bằng khen", "1520/QĐ-UBND")
    assert page.summary.text() == "2 khen thưởng: 1 tập thể, 1 cá nhân — Giấy khen: 1 · Bằng khen: 1"
    assert messages[-1] == f"Năm {YEAR}: {page.summary.text()}"


def test_edit_and_delete(qtbot, page):
    _add_unit_award(qtbot, page, "Tổ dân phố 7", "Thành tích")
    page.table.selectRow(0)

    def fill(dialog: AwardDialog) -> None:
        assert dialog.reason.toPlainText() == "Thành tích"
        choose(dialog.form, AwardForm.KHAC)
        dialog.form_text.setText("Thư khen")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["edit"].click()
    assert page.model.rows[0].form_shown == "Thư khen"
    assert page.table.selected_row_numbers() == [0]

    when_modal_opens(qtbot, answer_yes)
    page.buttons["delete"].click()
    assert page.model.rows == [] and page.summary.text() == "Chưa có khen thưởng nào."


def test_candidates_from_the_years_results(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        sm.add_demo_models(session, ward_id(demo_db), YEAR, "cán bộ")
    shown = []

    def choose_some(dialog: CandidatesDialog) -> None:
        shown.extend(dialog.list.item(n).text().split("\n")[0] for n in range(dialog.list.count()))
        dialog.list.item(0).setCheckState(Qt.CheckState.Unchecked)
        dialog.accept()

    when_modal_opens(qtbot, choose_some)
    page.buttons["candidates"].click()
    assert shown == ["Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)",
                     "Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d (Tổ dân phố 3)"]
    assert _recipients(page) == ["Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d (Tổ dân phố 3)"]
    assert page.model.rows[0].reason == (
        f"Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d được xếp loại Tốt năm {YEAR}")

    left = []

    def read(dialog: CandidatesDialog) -> None:
        left.append(dialog.list.count())
        dialog.reject()

    when_modal_opens(qtbot, read)
    page.buttons["candidates"].click()
    assert left == [1]


def test_an_empty_candidates_list_says_so(qtbot, page):
    seen = []

    def read(dialog: CandidatesDialog) -> None:
        seen.append((dialog.empty.isVisibleTo(dialog), dialog.list.count()))
        dialog.reject()

    when_modal_opens(qtbot, read)
    page.buttons["candidates"].click()
    assert seen == [(True, 0)]


def test_print_the_list_with_a_preview(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        sm.add_demo_models(session, ward_id(demo_db), YEAR, "cán bộ")
        awards.add_demo_awards(session, ward_id(demo_db), YEAR, "cán bộ")
    page.refresh()
    assert len(page.model.rows) == 5
    seen = []

    def read(dialog: PdfPreviewDialog) -> None:
        seen.append((dialog.windowTitle(), len(dialog.page_labels), dialog.pdf[:4]))
        dialog.reject()

    when_modal_opens(qtbot, read)
    page.buttons["print"].click()
    assert seen and seen[0][0] == f"Danh sách khen thưởng năm {YEAR}" and seen[0][2] == b"%PDF"


def test_the_page_renders(qtbot, page, demo_db, tmp_path):
    with demo_db.transaction() as session:
        sm.add_demo_models(session, ward_id(demo_db), YEAR, "cán bộ")
        awards.add_demo_awards(session, ward_id(demo_db), YEAR, "cán bộ")
    page.refresh()
    page.resize(1300, 500)
    assert page.grab().save(str(tmp_path / "awards.png"))
    page.save_state()



# ---- awards to a model, and to a core-force member ---------------------------------------------------

def _unit_id(demo_db, name: str) -> int:
    with demo_db.transaction() as session:
        return session.scalar(select(Unit.id).where(Unit.name == name))


def test_a_model_award_by_hand_and_its_correction(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        sm.add_demo_models(session, ward_id(demo_db), YEAR, "cán bộ")

    def fill(dialog: AwardDialog) -> None:
        assert dialog.to_model.isEnabled() and not dialog.model.isEnabled()
        dialog.model.setCurrentIndex(dialog.model.findText("Camera an ninh"))
        dialog.to_model.setChecked(True)
        assert dialog.model.isEnabled() and not dialog.person_name.isEnabled()
        assert (dialog.unit_label.text(), dialog.unit.currentText()) == ("Đơn vị chủ trì", "Tổ dân phố 5")
        dialog.reason.setPlainText("Camera kết nối về Công an phường")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.buttons["add"].click()
    assert _recipients(page) == ["Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)"]
    camera = page.model.rows[0].model_id
    assert camera is not None
    page.table.selectRow(0)

    def correct(dialog: AwardDialog) -> None:
        assert dialog.to_model.isChecked() and dialog.model.currentText() == "Camera an ninh"
        dialog.unit.setCurrentIndex(dialog.unit.findText("Tổ dân phố 8"))
        dialog.decision_number.setText("181/QĐ-UBND")
        dialog.accept()

    when_modal_opens(qtbot, correct)
    page.buttons["edit"].click()
    row = page.model.rows[0]
    assert (row.recipient, row.model_id, row.decision_number) == (
        "Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 8)", camera, "181/QĐ-UBND")


def test_a_person_picked_from_the_core_forces_or_typed(qtbot, page, demo_db):
    with demo_db.transaction() as session:
        data = core_forces.MemberInput(ForceKind.TO_BAO_VE, "Trần Quang Long", _unit_id(demo_db, "Tổ dân phố 3"),
                                       role="Tổ viên")
        member_id = core_forces.add_member(session, ward_id(demo_db), data, "cán bộ")

    def pick(dialog: AwardDialog) -> None:
        assert not dialog.member.isEnabled()
        dialog.to_person.setChecked(True)
        assert dialog.member.isEnabled()
        dialog.member.setCurrentIndex(dialog.member.findData(member_id))
        assert dialog.member.currentText() == "Trần Quang Long \u2014 Tổ viên, Tổ dân phố 3"
        assert (dialog.person_name.text(), dialog.person_title.text(), dialog.unit.currentText()) == (
            "Trần Quang Long", "Tổ viên", "Tổ dân phố 3")
        dialog.reason.setPlainText("Tích cực tuần tra")
        dialog.accept()

    when_modal_opens(qtbot, pick)
    page.buttons["add"].click()
    (row,) = page.model.rows
    assert (row.recipient, row.member_id) == ("Trần Quang Long, Tổ viên, Tổ dân phố 3", member_id)
    page.table.selectRow(0)

    def retype(dialog: AwardDialog) -> None:
        assert dialog.to_person.isChecked() and dialog.member.currentData() == member_id
        dialog.person_name.selectAll()
        dialog.person_name.setFocus()
        type_text(dialog.person_name, "Lê Văn Tâm")
        assert dialog.member.currentData() is None  # another name: no longer the member's award
        assert dialog.person_title.text() == "Tổ viên"  # what was filled stays
        dialog.accept()

    when_modal_opens(qtbot, retype)
    page.buttons["edit"].click()
    (row,) = page.model.rows
    assert (row.recipient, row.member_id) == ("Lê Văn Tâm, Tổ viên, Tổ dân phố 3", None)
