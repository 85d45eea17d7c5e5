"""The "Tuyên truyền, Ngày hội" page: each tab walked through as an officer would."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate
from sqlalchemy import delete

from antq_desktop.db.models import Activity, Festival
from antq_desktop.domain.events import ActivityKind
from antq_desktop.services import events
from antq_desktop.services.events import ActivityInput, FestivalInput
from antq_desktop.ui.event_dialogs import (
    ActivityDialog,
    FestivalDayDialog,
    FestivalDialog,
)
from antq_desktop.ui.events_page import (
    DATE_COLUMN,
    HIGHLIGHTS_COLUMN,
    PARTICIPANTS_COLUMN,
    EventsPage,
)
from tests.ui.conftest import answer_yes, type_text, when_modal_opens
from tests.ui.table_pages import YEAR, read_and_close, ward_id

TODAY = date(YEAR, 6, 10)
KDC = "Tổ dân phố 3"


@pytest.fixture
def db(demo_db):
    """The demo ward without events (the demo loader may add a year of them)."""
    with demo_db.transaction() as session:
        session.execute(delete(Activity))
        session.execute(delete(Festival))
    return demo_db


def _open(qtbot, db) -> EventsPage:
    page = EventsPage(db, ward_id(db), today=TODAY)
    qtbot.addWidget(page)
    page.year.setValue(YEAR)
    page.show()
    return page


@pytest.fixture
def page(qtbot, db) -> EventsPage:
    return _open(qtbot, db)


def _unit_id(db, name: str) -> int:
    with db.transaction() as session:
        return next(u.id for u in events.unit_choices(session, ward_id(db)) if u.name == name)


def _add(db, day: date, kind: ActivityKind, title: str = "Hội nghị", reach: int | None = None) -> int:
    with db.transaction() as session:
        return events.add_activity(session, ward_id(db), ActivityInput(day, kind, title, reach=reach), "cán bộ")


def _fill_activity(dialog: ActivityDialog, day: date, kind: ActivityKind, unit: str | None, title: str,
                   reach: str) -> None:
    dialog.held_on.setDate(QDate(day))
    dialog.kind.setCurrentIndex(dialog.kind.findData(kind.value))
    dialog.unit.setCurrentIndex(dialog.unit.findText(unit) if unit else 0)
    dialog.title_text.clear()
    type_text(dialog.title_text, title)
    dialog.reach.setText(reach)


def _festival_row(page: EventsPage, name: str) -> int:
    return next(n for n, row in enumerate(page.festival_tab.model.rows) if row.name == name)


def _said(page: EventsPage, action) -> str:
    """The last status message ``action`` left (a refresh also reports the year)."""
    messages: list[str] = []
    page.status_message.connect(messages.append)
    action()
    page.status_message.disconnect(messages.append)
    return messages[-1]


def _share(db) -> events.FestivalShare:
    with db.transaction() as session:
        return events.festival_share(session, ward_id(db), YEAR)


# ---- Tuyên truyền --------------------------------------------------------------------------------------


def test_add_an_activity_through_the_dialog_and_see_it_everywhere(qtbot, page, db):
    tab = page.activities_tab
    assert tab.model.rows == [] and "Năm 2026: 0 hoạt động" in tab.summary.text()

    def fill(dialog: ActivityDialog) -> None:
        assert dialog.unit.itemText(0) == "Phường Minh Xuân (toàn phường tổ chức)"
        _fill_activity(dialog, date(YEAR, 6, 26), ActivityKind.LOA, KDC, "Phát thanh phòng, chống ma túy", "1.200")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    assert _said(page, tab.buttons["add"].click) == "Đã thêm hoạt động tuyên truyền."
    (row,) = tab.model.rows
    assert (row.held_on, row.kind, row.unit_name, row.title, row.reach) == (
        date(YEAR, 6, 26), ActivityKind.LOA, KDC, "Phát thanh phòng, chống ma túy", 1200)
    assert [tab.model.index(0, c).data() for c in range(5)] == [
        "26/06/2026", "Loa truyền thanh", KDC, "Phát thanh phòng, chống ma túy", "1.200"]
    assert tab.summary.text() == ("Năm 2026: 1 hoạt động, 1.200 lượt người được tuyên truyền\n"
                                  "Loa truyền thanh 1")
    counts = {e.day.when: len(e.activities) for e in page.calendar_tab.model.rows}
    assert (counts["Tháng 6"], counts["26/6"], counts["19/8"]) == (1, 1, 0)

    reopened = _open(qtbot, db)
    assert [r.title for r in reopened.activities_tab.model.rows] == ["Phát thanh phòng, chống ma túy"]


def test_a_wrong_activity_keeps_the_dialog_open_with_the_message(qtbot, page, db):
    seen = []

    def fill(dialog: ActivityDialog) -> None:
        _fill_activity(dialog, date(YEAR, 5, 1), ActivityKind.BAO, None, "Tin bài", "12,5")
        dialog.kind.setCurrentIndex(0)
        dialog.accept()
        seen.append(dialog.error.text())
        dialog.kind.setCurrentIndex(dialog.kind.findData(ActivityKind.BAO.value))
        dialog.accept()
        seen.append(dialog.error.text())
        dialog.reach.setText("")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    page.activities_tab.buttons["add"].click()
    assert seen == ["Hãy chọn hình thức tuyên truyền (hội nghị, loa truyền thanh, mạng xã hội…).",
                    "Số người được tuyên truyền \u201c12,5\u201d không phải là một số; hãy nhập số nguyên, "
                    "ví dụ 1.200."]
    (row,) = page.activities_tab.model.rows
    assert (row.kind, row.unit_name, row.reach) == (ActivityKind.BAO, "Phường Minh Xuân", None)


def test_filter_edit_and_delete_activities(qtbot, page, db):
    _add(db, date(YEAR, 3, 1), ActivityKind.HOI_NGHI, "Hội nghị triển khai phong trào", 120)
    _add(db, date(YEAR, 9, 5), ActivityKind.MANG_XA_HOI, "Cảnh báo lừa đảo qua Zalo", 300)
    _add(db, date(YEAR - 1, 9, 5), ActivityKind.MANG_XA_HOI, "Năm trước")
    page.refresh()
    tab = page.activities_tab
    assert [r.title for r in tab.model.rows] == ["Hội nghị triển khai phong trào", "Cảnh báo lừa đảo qua Zalo"]
    tab.kind.setCurrentIndex(tab.kind.findData(ActivityKind.MANG_XA_HOI.value))
    assert [r.title for r in tab.model.rows] == ["Cảnh báo lừa đảo qua Zalo"]
    tab.kind.setCurrentIndex(0)
    type_text(tab.search, "lua dao")  # no tones: still found
    assert [r.title for r in tab.model.rows] == ["Cảnh báo lừa đảo qua Zalo"]
    tab.search.clear()

    tab.table.selectRow(0)

    def edit(dialog: ActivityDialog) -> None:
        assert dialog.title_text.text() == "Hội nghị triển khai phong trào" and dialog.reach.text() == "120"
        dialog.reach.setText("150")
        dialog.accept()

    when_modal_opens(qtbot, edit)
    tab.buttons["edit"].click()
    assert tab.model.rows[0].reach == 150 and tab.model.rows[0].version == 2

    tab.table.selectRow(1)
    when_modal_opens(qtbot, answer_yes)
    assert _said(page, tab.buttons["delete"].click) == "Đã xoá hoạt động."
    assert [r.title for r in tab.model.rows] == ["Hội nghị triển khai phong trào"]


def test_an_activity_changed_meanwhile_is_not_overwritten(qtbot, page, db):
    activity = _add(db, date(YEAR, 3, 1), ActivityKind.HOI_NGHI, "Hội nghị")
    page.refresh()
    with db.transaction() as session:  # another officer saves first
        row = events.get_activity(session, activity)
        events.update_activity(session, activity, ActivityInput(row.held_on, row.kind, "Hội nghị (đã sửa)"), "B")
    page.activities_tab.table.selectRow(0)
    seen = []

    def edit(dialog: ActivityDialog) -> None:
        dialog.accept()
        seen.append(dialog.error.text())
        dialog.reject()

    when_modal_opens(qtbot, edit)
    page.activities_tab.buttons["edit"].click()
    assert "vừa được người khác sửa" in seen[0]


# ---- Ngày hội 19/8 --------------------------------------------------------------------------------------------


def test_record_a_ngay_hoi_through_the_dialog_reopen_and_see_it(qtbot, page, db):
    tab = page.festival_tab
    share = _share(db)
    assert share.held == 0 and len(tab.model.rows) >= share.units
    assert tab.share.text() == f"Đã tổ chức Ngày hội: 0/{share.units} đơn vị (0%), chỉ tiêu 100%"
    assert tab.missing.text().startswith(f"Chưa tổ chức ({share.units}): ")
    tab.table.selectRow(_festival_row(page, KDC))

    def fill(dialog: FestivalDialog) -> None:
        assert dialog.held_on.date().toPython() == date(YEAR, 8, 19)
        dialog.participants.setText("230")
        type_text(dialog.highlights, "Ký giao ước thi đua")
        dialog.accept()

    when_modal_opens(qtbot, fill)
    tab.buttons["edit"].click()
    row = tab.model.rows[_festival_row(page, KDC)]
    assert (row.held_on, row.participants, row.highlights) == (date(YEAR, 8, 19), 230, "Ký giao ước thi đua")
    assert tab.share.text().startswith(f"Đã tổ chức Ngày hội: 1/{share.units} đơn vị (")
    assert KDC not in tab.missing.text()
    assert tab.share_bar.value() == 1

    reopened = _open(qtbot, db)
    again = reopened.festival_tab.model.rows[_festival_row(reopened, KDC)]
    assert (again.held_on, again.participants) == (date(YEAR, 8, 19), 230)
    cells = [reopened.festival_tab.model.index(_festival_row(reopened, KDC), c).data() for c in range(6)]
    assert cells == [KDC, "Khu dân cư", "Có", "19/08/2026", "230", "Ký giao ước thi đua"]


def test_edit_in_place_create_correct_and_remove(qtbot, page, db):
    tab = page.festival_tab
    model = tab.model
    number = _festival_row(page, KDC)
    assert model.index(number, DATE_COLUMN).data() == "Chưa tổ chức"
    assert model.setData(model.index(number, DATE_COLUMN), "17/8/2026")
    assert model.rows[number].held_on == date(YEAR, 8, 17)
    assert model.setData(model.index(number, PARTICIPANTS_COLUMN), "1.250")
    assert model.setData(model.index(number, HIGHLIGHTS_COLUMN), "Giao lưu văn nghệ")
    row = model.rows[number]
    assert (row.participants, row.highlights, row.version) == (1250, "Giao lưu văn nghệ", 3)
    assert _festival_row(page, KDC) == number  # the order and the rows kept

    messages: list[str] = []
    other = _festival_row(page, "Tổ dân phố 4")
    when_modal_opens(qtbot, read_and_close(messages))
    assert not model.setData(model.index(other, PARTICIPANTS_COLUMN), "40")
    when_modal_opens(qtbot, read_and_close(messages))
    assert not model.setData(model.index(number, DATE_COLUMN), "19/8/2027")
    assert messages == [
        "\u201cTổ dân phố 4\u201d chưa có bản ghi Ngày hội: hãy nhập ngày tổ chức trước.",
        "Ngày tổ chức 19/08/2027 không thuộc năm 2026: Ngày hội năm 2026 phải được tổ chức trong năm 2026."]

    when_modal_opens(qtbot, answer_yes)
    assert model.setData(model.index(number, DATE_COLUMN), "")
    assert not model.rows[_festival_row(page, KDC)].held
    assert _share(db).held == 0


def test_a_ngay_hoi_recorded_meanwhile_gets_a_clear_message(qtbot, page, db):
    with db.transaction() as session:  # another officer records it first
        events.add_festival(session, ward_id(db), _unit_id(db, KDC), YEAR, FestivalInput(date(YEAR, 8, 15)), "B")
    messages: list[str] = []
    when_modal_opens(qtbot, read_and_close(messages))
    model = page.festival_tab.model
    assert not model.setData(model.index(_festival_row(page, KDC), DATE_COLUMN), "19/08/2026")
    assert messages == [f"\u201c{KDC}\u201d đã có Ngày hội năm 2026 (tổ chức ngày 15/08/2026). Mỗi đơn vị chỉ ghi "
                        "một Ngày hội mỗi năm: hãy sửa bản ghi đã có thay vì thêm mới."]
    assert model.rows[_festival_row(page, KDC)].held_on == date(YEAR, 8, 15)  # the page shows the stored one


def test_record_many_units_at_once_and_filter(qtbot, page, db):
    tab = page.festival_tab
    names = ("Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10")
    for name in names:
        tab.table.selectionModel().select(
            tab.model.index(_festival_row(page, name), 0),
            tab.table.selectionModel().SelectionFlag.Select | tab.table.selectionModel().SelectionFlag.Rows)

    def fill(dialog: FestivalDayDialog) -> None:
        dialog.held_on.setDate(QDate(YEAR, 8, 18))
        dialog.accept()

    when_modal_opens(qtbot, fill)
    assert _said(page, tab.buttons["many"].click) == "Đã ghi Ngày hội cho 3 đơn vị."
    assert _share(db).held == 3
    tab.shown.setCurrentIndex(tab.shown.findData("held"))
    assert sorted(row.name for row in tab.model.rows) == sorted(names)
    assert all(row.held_on == date(YEAR, 8, 18) for row in tab.model.rows)
    tab.shown.setCurrentIndex(tab.shown.findData("missing"))
    assert not any(row.held for row in tab.model.rows)

    tab.shown.setCurrentIndex(tab.shown.findData("held"))
    tab.table.selectRow(0)
    removed = tab.model.rows[0].name
    when_modal_opens(qtbot, answer_yes)
    tab.buttons["delete"].click()
    assert removed not in [row.name for row in tab.model.rows] and len(tab.model.rows) == 2


# ---- Lịch ngày kỷ niệm -----------------------------------------------------------------------------------------


def test_the_calendar_shows_counts_days_left_and_the_days_activities(qtbot, page, db):
    _add(db, date(YEAR, 6, 26), ActivityKind.LOA, "Phát thanh ngày 26/6", 2000)
    _add(db, date(YEAR, 6, 3), ActivityKind.AN_PHAM, "Treo pa-nô")
    _add(db, date(YEAR, 8, 19), ActivityKind.BAO, "Tin bài Ngày hội", 500)
    page.refresh()
    tab = page.calendar_tab
    cells = [[tab.model.index(r, c).data() for c in range(6)] for r in range(tab.model.rowCount())]
    assert cells[:3] == [
        ["Tháng 6", "Tháng hành động phòng, chống ma túy", "01/06/2026 - 30/06/2026", "2", "2.000",
         "Đang diễn ra (còn 20 ngày)"],
        ["5/6", "Ngày Môi trường thế giới", "05/06/2026", "0", "", "Đã qua"],
        ["26/6", "Ngày toàn dân phòng, chống ma túy", "26/06/2026", "1", "2.000", "Còn 16 ngày"],
    ]
    assert cells[4][0] == "19/8" and cells[4][3:] == ["1", "500", "Còn 70 ngày"]
    # the first day not passed is chosen, with its activities below
    assert tab.detail.text() == "Tháng hành động phòng, chống ma túy (01/06/2026 - 30/06/2026): 2 hoạt động"
    assert [r.title for r in tab.activities.rows] == ["Treo pa-nô", "Phát thanh ngày 26/6"]
    tab.table.selectRow(4)
    assert [r.title for r in tab.activities.rows] == ["Tin bài Ngày hội"]
    page.refresh()  # the chosen day stays chosen
    assert [r.title for r in tab.activities.rows] == ["Tin bài Ngày hội"]


def test_a_wrong_calendar_setting_is_shown_and_the_other_tabs_work(qtbot, db):
    from antq_desktop.services import settings

    with db.transaction() as session:
        settings.set_setting(session, ward_id(db), "events.commemorative_days", [{"month": 14, "title": "X"}], "A")
    page = _open(qtbot, db)
    assert page.calendar_tab.problem.text() == "Ngày kỷ niệm thứ 1 trong cài đặt: tháng phải từ 1 đến 12."
    assert page.calendar_tab.model.rows == [] and len(page.festival_tab.model.rows) > 0


def test_a_new_year_reloads_every_tab_and_the_state_is_saved(qtbot, page, db):
    _add(db, date(YEAR + 1, 1, 5), ActivityKind.KHAC, "Đầu năm sau")
    with qtbot.waitSignal(page.status_message) as signal:
        page.year.setValue(YEAR + 1)
    assert signal.args[0].startswith("Năm 2027: 1 hoạt động tuyên truyền; Đã tổ chức Ngày hội: 0/")
    assert [r.title for r in page.activities_tab.model.rows] == ["Đầu năm sau"]
    assert page.calendar_tab.model.rows[0].start == date(YEAR + 1, 6, 1)
    page.save_state()
