"""Propaganda kinds, the commemorative-day calendar and counts typed the Vietnamese way."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain.events import (
    ActivityKind,
    CommemorativeDay,
    countdown,
    format_count,
    occurrence,
    parse_commemorative_days,
    parse_count,
)
from antq_desktop.errors import UserError
from antq_desktop.services.settings import DEFAULTS


def test_activity_kinds_in_order_with_vietnamese_labels():
    assert [kind.label for kind in ActivityKind] == [
        "Hội nghị", "Loa truyền thanh", "Báo", "Trang thông tin điện tử", "Mạng xã hội/Zalo",
        "Tờ rơi/pa-nô/áp phích", "Trực quan", "Khác"]
    assert [kind.rank for kind in ActivityKind] == list(range(8))
    assert ActivityKind("mang_xa_hoi") is ActivityKind.MANG_XA_HOI


def test_the_default_days_parse_in_calendar_order_a_month_before_its_days():
    days = parse_commemorative_days(DEFAULTS["events.commemorative_days"])
    assert [day.when for day in days] == ["Tháng 6", "5/6", "26/6", "30/7", "19/8", "Tháng 9", "4/10"]
    assert days[0] == CommemorativeDay(6, 0, "Tháng hành động phòng, chống ma túy")
    assert days[0].whole_month and not days[1].whole_month


def test_a_typed_title_is_cleaned():
    (day,) = parse_commemorative_days([{"month": 3, "day": 26, "title": "  Ngày thành lập\u00a0Đoàn "}])
    assert day.title == "Ngày thành lập Đoàn"


@pytest.mark.parametrize(("entry", "message"), [
    ({"month": 13, "day": 1, "title": "X"}, "Ngày kỷ niệm thứ 2 trong cài đặt: tháng phải từ 1 đến 12."),
    ({"month": 2, "day": 30, "title": "X"}, "Ngày kỷ niệm thứ 2 trong cài đặt: tháng 2 không có ngày 30 "
                                            "(nhập 0 nếu cả tháng)."),
    ({"month": 4, "day": 31, "title": "X"}, "tháng 4 không có ngày 31"),
    ({"month": "6", "day": 1, "title": "X"}, "tháng phải từ 1 đến 12"),
    ({"month": 6, "day": True, "title": "X"}, "tháng 6 không có ngày True"),
    ({"month": 6, "day": 1, "title": " "}, "Ngày kỷ niệm thứ 2 trong cài đặt: hãy nhập tên ngày kỷ niệm."),
    ("19/8", "Ngày kỷ niệm thứ 2 trong cài đặt không đúng dạng (cần tháng, ngày và tên)."),
])
def test_a_wrong_entry_is_named_by_its_place(entry, message):
    with pytest.raises(UserError) as info:
        parse_commemorative_days([{"month": 1, "day": 1, "title": "Tết"}, entry])
    assert message in info.value.message


def test_a_day_missing_means_the_whole_month_and_a_non_list_is_refused():
    assert parse_commemorative_days([{"month": 9, "title": "Tháng An toàn giao thông"}])[0].whole_month
    with pytest.raises(UserError, match="không đúng dạng"):
        parse_commemorative_days({"month": 9})


def test_occurrence_of_a_day_and_of_a_whole_month():
    assert occurrence(CommemorativeDay(8, 19, "Ngày hội"), 2026) == (date(2026, 8, 19), date(2026, 8, 19))
    assert occurrence(CommemorativeDay(6, 0, "Tháng"), 2026) == (date(2026, 6, 1), date(2026, 6, 30))
    assert occurrence(CommemorativeDay(2, 0, "Tháng"), 2028) == (date(2028, 2, 1), date(2028, 2, 29))
    assert occurrence(CommemorativeDay(2, 29, "Nhuận"), 2026) == (date(2026, 2, 28), date(2026, 2, 28))
    assert occurrence(CommemorativeDay(2, 29, "Nhuận"), 2028)[0] == date(2028, 2, 29)


def test_countdown_to_a_single_day():
    day = date(2026, 8, 19)
    assert countdown(day, day, date(2026, 8, 1)).days_left == 18
    assert countdown(day, day, date(2026, 8, 1)).text == "Còn 18 ngày"
    assert countdown(day, day, date(2026, 8, 18)).text == "Ngày mai"
    assert countdown(day, day, date(2026, 8, 19)).text == "Hôm nay"
    assert countdown(day, day, date(2026, 8, 20)).text == "Đã qua"
    assert countdown(day, day, date(2025, 12, 31)).days_left == 231  # across the new year


def test_countdown_through_a_whole_month():
    start, end = date(2026, 6, 1), date(2026, 6, 30)
    before = countdown(start, end, date(2026, 5, 22))
    assert (before.days_left, before.running, before.passed, before.text) == (10, False, False, "Còn 10 ngày")
    during = countdown(start, end, date(2026, 6, 10))
    assert (during.days_left, during.ends_in, during.text) == (0, 20, "Đang diễn ra (còn 20 ngày)")
    assert countdown(start, end, start).text == "Đang diễn ra (còn 29 ngày)"
    assert countdown(start, end, end).text == "Đang diễn ra (ngày cuối)"
    assert countdown(start, end, date(2026, 7, 1)).passed


@pytest.mark.parametrize(("typed", "value"), [
    ("", None), ("  ", None), (None, None), ("0", 0), ("250", 250), ("1.200", 1200), ("1 200", 1200),
    ("2.345.678", 2345678), ("10.000.000", 10_000_000),
])
def test_parse_count(typed, value):
    assert parse_count(typed) == value


@pytest.mark.parametrize("typed", ["12,5", "-3", "abc", "1.20", "12.3456", "\u0661\u0662", "10.000.001"])
def test_a_wrong_count_is_refused_with_its_name(typed):
    with pytest.raises(UserError) as info:
        parse_count(typed, "Số người tham gia")
    assert info.value.message.startswith("Số người tham gia")


def test_format_count():
    assert (format_count(None), format_count(0), format_count(12345)) == ("", "0", "12.345")
