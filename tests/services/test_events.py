"""Propaganda activities, the Ngày hội (19/8) of each unit, the calendar and the year's figures."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import delete, func, select

from antq_desktop.db.engine import open_database
from antq_desktop.db.models import Activity, Festival
from antq_desktop.domain.events import ActivityKind
from antq_desktop.domain.units import SchoolLevel, UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import demo, events, settings
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service
from antq_desktop.services.events import ActivityInput, FestivalInput
from antq_desktop.services.units import UnitInput

ACTOR = "cán bộ A"
YEAR = 2026
STALE = "vừa được người khác sửa"
UNITS = (
    UnitInput(UnitKind.KDC, "Tổ dân phố 10"),
    UnitInput(UnitKind.KDC, "Tổ dân phố 2"),
    UnitInput(UnitKind.KDC, "Tổ dân phố 1"),
    UnitInput(UnitKind.CO_QUAN, "Trạm Y tế phường"),
    UnitInput(UnitKind.CO_QUAN, "Ban Chỉ huy Quân sự phường", is_armed_forces=True),
    UnitInput(UnitKind.DOANH_NGHIEP, "Công ty TNHH Ánh Dương", is_small_or_micro=True),
    UnitInput(UnitKind.GIAO_DUC, "Trường Tiểu học Minh Xuân", school_level=SchoolLevel.TIEU_HOC),
    UnitInput(UnitKind.GIAO_DUC, "Trường THCS Minh Xuân", school_level=SchoolLevel.THCS),
)
# the units the Ngày hội share counts (those of the ANTT table), in Vietnamese order
COUNTED = ("Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10", "Trạm Y tế phường", "Trường THCS Minh Xuân")


class Ward:
    """A small ward on a real database; every call is one transaction, as in the program."""

    def __init__(self, db):
        self.db = db
        with db.transaction() as session:
            self.id = profile_service.save_profile(session, demo.DEMO_PROFILE, ACTOR).id
            unit_service.insert_units(session, self.id, list(UNITS), ACTOR)
            self.units = {u.name: u.id for u in unit_service.list_units(session, self.id)}

    def call(self, function, *args, **kwargs):
        with self.db.transaction() as session:
            return function(session, *args, **kwargs)

    def ward_call(self, function, *args, **kwargs):
        return self.call(function, self.id, *args, **kwargs)

    def refused(self, function, *args, **kwargs) -> str:
        with pytest.raises(UserError) as info:
            self.call(function, *args, **kwargs)
        return info.value.message

    # activities
    def add(self, day: date, kind: ActivityKind = ActivityKind.HOI_NGHI, title: str = "Hội nghị tuyên truyền",
            unit: str | None = None, reach: int | None = None, note: str = "") -> int:
        data = ActivityInput(day, kind, title, self.units[unit] if unit else None, reach, note)
        return self.ward_call(events.add_activity, data, ACTOR)

    def activities(self, year: int = YEAR, kind: ActivityKind | None = None) -> list[events.ActivityRow]:
        return self.ward_call(events.list_activities, year, kind)

    # the Ngày hội
    def hold(self, unit: str, day: date = date(YEAR, 8, 19), participants: int | None = None,
             highlights: str = "", year: int = YEAR) -> int:
        return self.ward_call(events.add_festival, self.units[unit], year,
                              FestivalInput(day, participants, highlights), ACTOR)

    def festival(self, unit: str, year: int = YEAR) -> events.FestivalRow:
        return next(row for row in self.ward_call(events.festival_rows, year) if row.name == unit)

    def stats(self, year: int = YEAR) -> dict:
        return self.ward_call(events.events_stats, year)


@pytest.fixture
def ward(empty_db) -> Ward:
    return Ward(empty_db)


# ---- activities ------------------------------------------------------------------------------------


def test_add_and_list_activities_of_a_year_by_date(ward):
    first = ward.add(date(YEAR, 6, 26), ActivityKind.LOA, "  Phát thanh\u00a0phòng, chống ma túy ", reach=1200,
                     note=" Phát 3 buổi ")
    second = ward.add(date(YEAR, 3, 2), ActivityKind.MANG_XA_HOI, "Cảnh báo lừa đảo qua Zalo", "Tổ dân phố 2")
    ward.add(date(YEAR - 1, 12, 31), title="Năm trước")
    ward.add(date(YEAR + 1, 1, 1), title="Năm sau")
    rows = ward.activities()
    assert [row.id for row in rows] == [second, first]
    loa = rows[1]
    assert (loa.held_on, loa.kind, loa.title, loa.unit_id, loa.unit_name, loa.reach, loa.note, loa.version) == (
        date(YEAR, 6, 26), ActivityKind.LOA, "Phát thanh phòng, chống ma túy", None, "Phường Minh Xuân", 1200,
        "Phát 3 buổi", 1)
    assert rows[0].unit_name == "Tổ dân phố 2" and rows[0].reach is None
    assert [row.id for row in ward.activities(kind=ActivityKind.LOA)] == [first]
    assert ward.call(events.get_activity, second) == rows[0]


@pytest.mark.parametrize(("change", "message"), [
    ({"title": "  "}, "Hãy nhập nội dung (tên) hoạt động tuyên truyền."),
    ({"title": "x" * 501}, "Nội dung hoạt động dài quá 500 ký tự; hãy ghi phần chi tiết vào ô ghi chú."),
    ({"reach": -1}, "Số người được tuyên truyền phải từ 0 đến 10.000.000."),
    ({"kind": "bao_chi"}, "Hãy chọn hình thức tuyên truyền."),
    ({"held_on": date(1999, 12, 31)}, "Ngày 31/12/1999 không hợp lệ: năm phải từ 2000 đến 2100."),
    ({"unit_id": 9999}, "Không tìm thấy đơn vị này; hãy tải lại danh sách."),
])
def test_a_wrong_activity_is_refused_with_what_to_do(ward, change, message):
    data = replace(ActivityInput(date(YEAR, 5, 1), ActivityKind.BAO, "Tin bài"), **change)
    assert ward.refused(events.add_activity, ward.id, data, ACTOR) == message
    assert ward.activities() == []


def test_no_activity_dated_after_a_unit_stopped(ward):
    ward.call(unit_service.dissolve_unit, ward.units["Tổ dân phố 1"], date(YEAR, 7, 1), "Sáp nhập địa giới", ACTOR)
    before = ward.add(date(YEAR, 6, 30), unit="Tổ dân phố 1")
    data = ActivityInput(date(YEAR, 7, 1), ActivityKind.HOI_NGHI, "Hội nghị", ward.units["Tổ dân phố 1"])
    assert ward.refused(events.add_activity, ward.id, data, ACTOR) == (
        "\u201cTổ dân phố 1\u201d đã giải thể từ 01/07/2026 nên không ghi hoạt động ngày 01/07/2026 "
        "cho đơn vị này được.")
    # the record held before still reads and can be corrected
    row = ward.call(events.get_activity, before)
    ward.call(events.update_activity, before, replace(row, title="Hội nghị đã sửa"), ACTOR, row.version)
    assert ward.call(events.get_activity, before).title == "Hội nghị đã sửa"
    assert [c.name for c in ward.ward_call(events.unit_choices)].count("Tổ dân phố 1") == 0
    assert [c for c in ward.ward_call(events.unit_choices, ward.units["Tổ dân phố 1"]) if not c.active] == [
        events.UnitChoice(ward.units["Tổ dân phố 1"], "Tổ dân phố 1", False)]


def test_update_and_delete_check_the_version(ward):
    activity = ward.add(date(YEAR, 4, 1), reach=50)
    row = ward.call(events.get_activity, activity)
    ward.call(events.update_activity, activity, replace(row, kind=ActivityKind.TRUC_QUAN, reach=None), ACTOR,
              row.version)
    fresh = ward.call(events.get_activity, activity)
    assert (fresh.kind, fresh.reach, fresh.version) == (ActivityKind.TRUC_QUAN, None, 2)
    assert STALE in ward.refused(events.update_activity, activity, row, ACTOR, row.version)
    assert STALE in ward.refused(events.delete_activity, activity, row.version)
    ward.call(events.delete_activity, activity, fresh.version)
    assert ward.activities() == []
    assert ward.refused(events.delete_activity, activity) == (
        "Không tìm thấy hoạt động này; có thể người khác vừa xoá. Hãy tải lại danh sách.")


# ---- the Ngày hội ------------------------------------------------------------------------------------


def test_the_list_shows_every_unit_and_which_ones_the_share_counts(ward):
    rows = ward.ward_call(events.festival_rows, YEAR)
    assert len(rows) == len(UNITS)
    assert [row.name for row in rows if row.counted] == list(COUNTED)
    assert {row.name: row.not_counted for row in rows if not row.counted} == {
        "Ban Chỉ huy Quân sự phường": "Cơ quan thuộc lực lượng vũ trang",
        "Công ty TNHH Ánh Dương": "Doanh nghiệp nhỏ hoặc siêu nhỏ",
        "Trường Tiểu học Minh Xuân": "Cơ sở giáo dục cấp tiểu học",
    }
    assert not any(row.held for row in rows)
    assert rows[0].expected_version == events.NO_FESTIVAL


def test_record_a_ngay_hoi_and_correct_it(ward):
    festival = ward.hold("Tổ dân phố 2", date(YEAR, 8, 17), 240, "  Ký giao ước\u00a0thi đua ")
    row = ward.festival("Tổ dân phố 2")
    assert (row.festival_id, row.held_on, row.participants, row.highlights, row.version) == (
        festival, date(YEAR, 8, 17), 240, "Ký giao ước thi đua", 1)
    ward.call(events.update_festival, festival, FestivalInput(date(YEAR, 8, 19), None, "Giao lưu văn nghệ"), ACTOR,
              row.version)
    assert (ward.festival("Tổ dân phố 2").held_on, ward.festival("Tổ dân phố 2").participants) == (
        date(YEAR, 8, 19), None)
    assert STALE in ward.refused(events.update_festival, festival, FestivalInput(date(YEAR, 8, 1)), ACTOR, 1)
    ward.call(events.delete_festival, festival, 2)
    assert not ward.festival("Tổ dân phố 2").held


def test_one_ngay_hoi_per_unit_and_year(ward):
    ward.hold("Tổ dân phố 1", date(YEAR, 8, 19))
    message = ward.refused(events.add_festival, ward.id, ward.units["Tổ dân phố 1"], YEAR,
                           FestivalInput(date(YEAR, 9, 2)), ACTOR)
    assert message == ("\u201cTổ dân phố 1\u201d đã có Ngày hội năm 2026 (tổ chức ngày 19/08/2026). Mỗi đơn vị chỉ "
                       "ghi một Ngày hội mỗi năm: hãy sửa bản ghi đã có thay vì thêm mới.")
    ward.hold("Tổ dân phố 1", date(YEAR + 1, 8, 19), year=YEAR + 1)  # another year is another record


def test_a_second_ngay_hoi_saved_meanwhile_gets_the_same_message(ward, monkeypatch):
    """Two officers recording the same unit at once: the database's unique constraint answers."""
    ward.hold("Tổ dân phố 1", date(YEAR, 8, 19))
    real = events._festival_of
    calls = []

    def not_seen_the_first_time(session, unit_id, year):
        calls.append(unit_id)
        return None if len(calls) == 1 else real(session, unit_id, year)

    monkeypatch.setattr(events, "_festival_of", not_seen_the_first_time)
    message = ward.refused(events.add_festival, ward.id, ward.units["Tổ dân phố 1"], YEAR,
                           FestivalInput(date(YEAR, 8, 20)), ACTOR)
    assert message.startswith("\u201cTổ dân phố 1\u201d đã có Ngày hội năm 2026 (tổ chức ngày 19/08/2026).")
    monkeypatch.undo()
    assert ward.festival("Tổ dân phố 1").held_on == date(YEAR, 8, 19)


@pytest.mark.parametrize(("data", "message"), [
    (FestivalInput(date(YEAR + 1, 1, 5)), "Ngày tổ chức 05/01/2027 không thuộc năm 2026: Ngày hội năm 2026 phải "
                                          "được tổ chức trong năm 2026."),
    (FestivalInput(date(YEAR, 8, 19), -5), "Số người tham gia phải từ 0 đến 10.000.000."),
])
def test_a_wrong_ngay_hoi_is_refused(ward, data, message):
    assert ward.refused(events.add_festival, ward.id, ward.units["Tổ dân phố 1"], YEAR, data, ACTOR) == message
    assert ward.refused(events.add_festival, ward.id, ward.units["Tổ dân phố 1"], 1999, data, ACTOR).startswith(
        "Năm 1999 không hợp lệ")


def test_set_festival_records_corrects_removes_and_checks_what_the_user_saw(ward):
    unit = ward.units["Trạm Y tế phường"]
    seen = ward.festival("Trạm Y tế phường")
    ward.ward_call(events.set_festival, unit, YEAR, FestivalInput(date(YEAR, 8, 12), 40), ACTOR,
                   seen.expected_version)
    # another officer who also saw "not held" and records it too
    assert ward.refused(events.set_festival, ward.id, unit, YEAR, FestivalInput(date(YEAR, 8, 14)), ACTOR,
                        seen.expected_version).startswith("\u201cTrạm Y tế phường\u201d đã có Ngày hội năm 2026")
    now = ward.festival("Trạm Y tế phường")
    ward.ward_call(events.set_festival, unit, YEAR, FestivalInput(date(YEAR, 8, 12), 45), ACTOR, now.version)
    assert STALE in ward.refused(events.set_festival, ward.id, unit, YEAR, None, ACTOR, now.version)
    ward.ward_call(events.set_festival, unit, YEAR, None, ACTOR, now.version + 1)
    assert not ward.festival("Trạm Y tế phường").held
    # removed meanwhile: an edit of the old record is refused, not turned into a new one
    assert STALE in ward.refused(events.set_festival, ward.id, unit, YEAR, FestivalInput(date(YEAR, 8, 12)), ACTOR,
                                 now.version + 1)


def test_record_many_units_at_once_keeps_those_already_recorded(ward):
    ward.hold("Tổ dân phố 1", date(YEAR, 8, 10), 90)
    names = ("Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 10")
    added = ward.ward_call(events.record_festivals, YEAR, [ward.units[n] for n in names], date(YEAR, 8, 19), ACTOR)
    assert added == 2
    assert [(ward.festival(n).held_on, ward.festival(n).participants) for n in names] == [
        (date(YEAR, 8, 10), 90), (date(YEAR, 8, 19), None), (date(YEAR, 8, 19), None)]


def test_a_unit_that_stopped_keeps_its_ngay_hoi_but_gets_none_after(ward):
    ward.hold("Tổ dân phố 10", date(YEAR, 8, 19), 120)
    ward.call(unit_service.dissolve_unit, ward.units["Tổ dân phố 10"], date(YEAR, 10, 1), "Sáp nhập", ACTOR)
    row = ward.festival("Tổ dân phố 10")
    assert row.held and row.not_counted == "Đơn vị đã giải thể"
    assert "đã giải thể từ 01/10/2026" in ward.refused(
        events.add_festival, ward.id, ward.units["Tổ dân phố 10"], YEAR + 1, FestivalInput(date(YEAR + 1, 8, 19)),
        ACTOR)
    assert ward.stats()["units"] == len(COUNTED) - 1


# ---- the share and the figures ----------------------------------------------------------------------------


def test_the_share_counts_the_units_of_the_antt_table_by_hand(ward):
    ward.hold("Tổ dân phố 1", participants=150)
    ward.hold("Trạm Y tế phường", participants=30)
    ward.hold("Trường THCS Minh Xuân")
    ward.hold("Ban Chỉ huy Quân sự phường", participants=20)  # shown, not counted
    stats = ward.stats()
    assert (stats["units"], stats["festival_units"], stats["festival_pct"]) == (5, 3, 60.0)
    assert stats["festival_participants"] == 200  # every record, counted or not
    assert stats["target_festival_pct"] == 100.0
    assert stats["no_festival"] == ["Tổ dân phố 2", "Tổ dân phố 10"]
    assert ward.ward_call(events.units_without_festival, YEAR) == {ward.units["Tổ dân phố 2"],
                                                                  ward.units["Tổ dân phố 10"]}
    share = ward.ward_call(events.festival_share, YEAR)
    assert share.summary == "Đã tổ chức Ngày hội: 3/5 đơn vị (60%), chỉ tiêu 100%"
    assert ward.ward_call(events.units_without_festival, YEAR + 1) == {ward.units[n] for n in COUNTED}


def test_the_activity_figures_by_hand(ward):
    ward.add(date(YEAR, 1, 10), ActivityKind.HOI_NGHI, reach=120)
    ward.add(date(YEAR, 6, 26), ActivityKind.LOA, reach=1500)
    ward.add(date(YEAR, 6, 27), ActivityKind.LOA)
    ward.add(date(YEAR, 9, 5), ActivityKind.MANG_XA_HOI, unit="Tổ dân phố 1", reach=380)
    ward.add(date(YEAR + 1, 1, 2), ActivityKind.BAO, reach=10_000)
    ward.call(settings.set_setting, ward.id, "events.target_activities", 50, ACTOR)
    ward.call(settings.set_setting, ward.id, "events.target_festival_pct", 90, ACTOR)
    stats = ward.stats()
    assert stats["activities"] == 4
    assert stats["by_kind"] == {"hoi_nghi": 1, "loa_truyen_thanh": 2, "bao": 0, "trang_tin_dien_tu": 0,
                                "mang_xa_hoi": 1, "an_pham": 0, "truc_quan": 0, "khac": 0}
    assert (stats["reach"], stats["target_activities"], stats["target_festival_pct"]) == (2000, 50, 90.0)
    assert (stats["festival_units"], stats["festival_pct"], stats["year"]) == (0, 0.0, YEAR)
    assert ward.ward_call(events.year_events, YEAR).activities_summary == (
        "Năm 2026: 4 hoạt động (chỉ tiêu 50), 2.000 lượt người được tuyên truyền")


def test_a_ward_without_units_has_no_share(empty_db):
    with empty_db.transaction() as session:
        ward_id = profile_service.save_profile(session, demo.DEMO_PROFILE, ACTOR).id
        stats = events.events_stats(session, ward_id, YEAR)
        share = events.festival_share(session, ward_id, YEAR)
    assert (stats["units"], stats["festival_pct"], stats["no_festival"], stats["activities"]) == (0, None, [], 0)
    assert share.summary == "Chưa có đơn vị nào thuộc diện tính tỷ lệ Ngày hội."


# ---- the calendar ------------------------------------------------------------------------------------------


def test_the_calendar_counts_the_activities_of_each_day_and_month(ward):
    on_26 = ward.add(date(YEAR, 6, 26), ActivityKind.LOA, reach=1000)
    early_june = ward.add(date(YEAR, 6, 1), ActivityKind.AN_PHAM)
    ward.add(date(YEAR, 7, 1), ActivityKind.HOI_NGHI, reach=80)  # after the month
    on_19_8 = ward.add(date(YEAR, 8, 19), ActivityKind.BAO, reach=3000)
    entries = ward.ward_call(events.year_calendar, YEAR, date(YEAR, 6, 10))
    by_when = {entry.day.when: entry for entry in entries}
    assert list(by_when) == ["Tháng 6", "5/6", "26/6", "30/7", "19/8", "Tháng 9", "4/10"]
    assert [a.id for a in by_when["Tháng 6"].activities] == [early_june, on_26]
    assert by_when["Tháng 6"].reach == 1000 and by_when["Tháng 6"].dates == "01/06/2026 - 30/06/2026"
    assert [a.id for a in by_when["26/6"].activities] == [on_26]
    assert [a.id for a in by_when["19/8"].activities] == [on_19_8]
    assert (by_when["30/7"].activities, by_when["30/7"].reach, by_when["30/7"].dates) == ((), None, "30/07/2026")
    texts = {when: entry.countdown.text for when, entry in by_when.items()}
    assert texts == {"Tháng 6": "Đang diễn ra (còn 20 ngày)", "5/6": "Đã qua", "26/6": "Còn 16 ngày",
                     "30/7": "Còn 50 ngày", "19/8": "Còn 70 ngày", "Tháng 9": "Còn 83 ngày", "4/10": "Còn 116 ngày"}
    later_year = ward.ward_call(events.year_calendar, YEAR + 1, date(YEAR, 6, 10))
    assert later_year[4].countdown.days_left == 435 and later_year[4].activities == ()


def test_the_calendar_follows_the_setting_and_names_a_wrong_entry(ward):
    ward.call(settings.set_setting, ward.id, "events.commemorative_days",
              [{"month": 2, "day": 29, "title": "Ngày nhuận"}, {"month": 3, "day": 26, "title": "Thành lập Đoàn"}],
              ACTOR)
    entries = ward.ward_call(events.year_calendar, YEAR, date(YEAR, 1, 1))
    assert [(e.day.title, e.start) for e in entries] == [("Ngày nhuận", date(YEAR, 2, 28)),
                                                        ("Thành lập Đoàn", date(YEAR, 3, 26))]
    ward.call(settings.set_setting, ward.id, "events.commemorative_days", [{"month": 6, "day": 31, "title": "X"}],
              ACTOR)
    assert ward.refused(events.year_calendar, ward.id, YEAR, date(YEAR, 1, 1)) == (
        "Ngày kỷ niệm thứ 1 trong cài đặt: tháng 6 không có ngày 31 (nhập 0 nếu cả tháng).")


# ---- the demo ward ---------------------------------------------------------------------------------------------


def _clear_events(db) -> None:
    """The demo loader may already add the demo's events: start from none."""
    with db.transaction() as session:
        session.execute(delete(Activity))
        session.execute(delete(Festival))


def _demo_events(db) -> tuple:
    _clear_events(db)
    with db.transaction() as session:
        ward_id = profile_service.require_profile(session).id
        added = events.add_demo_events(session, ward_id, YEAR, "dữ liệu mẫu")
    with db.transaction() as session:
        rows = [(a.held_on, a.kind, a.title, a.unit_name, a.reach) for a in events.list_activities(session, ward_id, YEAR)]
        festivals = [(f.name, f.held_on, f.participants) for f in events.festival_rows(session, ward_id, YEAR)]
        return added, rows, festivals, events.events_stats(session, ward_id, YEAR)


def test_the_demo_year_of_events(demo_db, demo_template, tmp_path):
    added, rows, festivals, stats = _demo_events(demo_db)
    assert added[0] == 40 == len(rows) == stats["activities"]
    assert all(n > 0 for n in stats["by_kind"].values())
    assert len({day.month for day, *_rest in rows}) >= 10  # across the year
    held_by = {unit for *_rest, unit, _reach in rows}
    assert "Phường Minh Xuân" in held_by and len(held_by) > 10
    assert len(stats["no_festival"]) == 5 and stats["festival_units"] == stats["units"] - 5
    assert stats["units"] > 40 and stats["festival_pct"] > 85
    assert all(day.month == 8 for _name, day, _n in festivals if day)
    with demo_db.transaction() as session:
        assert session.scalar(select(func.count()).select_from(Festival)) == added[1]
    other = open_database(shutil.copy(demo_template, tmp_path / "other.sqlite"))
    try:
        assert _demo_events(other) == (added, rows, festivals, stats)  # the same on every run
    finally:
        other.close()
