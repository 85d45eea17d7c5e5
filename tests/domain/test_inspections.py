"""The pure rules of inspections: times, dates, recommendations, coverage, names to sign under."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain import inspections as rules
from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.errors import UserError

YEAR = 2026
TODAY = date(2026, 6, 15)
VISIT = date(2026, 3, 10)


def _refused(function, *args) -> str:
    with pytest.raises(UserError) as info:
        function(*args)
    return info.value.message


def test_kinds_have_vietnamese_labels():
    assert [kind.label for kind in InspectionKind] == ["Kiểm tra", "Hướng dẫn"]
    assert InspectionKind.HUONG_DAN.verb == "hướng dẫn"


@pytest.mark.parametrize("typed, kept", [
    ("8:30", "08:30"), ("08:30", "08:30"), ("8h30", "08:30"), ("8h", "08:00"), ("8 giờ 30", "08:30"),
    ("8 giờ 30 phút", "08:30"), ("14.05", "14:05"), ("14", "14:00"), (" ", ""), ("", ""), (None, ""),
])
def test_times_typed_in_the_usual_ways(typed, kept):
    assert rules.parse_time(typed) == kept


@pytest.mark.parametrize("typed", ["25:00", "8:75", "sáng", "8:30:15"])
def test_a_wrong_time_is_named_with_its_field(typed):
    message = _refused(rules.parse_time, typed, "Giờ bắt đầu")
    assert message.startswith(f'Giờ bắt đầu "{typed}" không hợp lệ.') and "08:30" in message


def test_time_in_words():
    assert rules.time_words("08:30") == "08 giờ 30 phút"
    assert rules.time_words("14:00") == "14 giờ 00 phút"
    assert rules.time_words("") == "........ giờ ........ phút"


def test_end_after_start():
    rules.check_times("08:30", "10:00")
    rules.check_times("", "10:00")
    assert _refused(rules.check_times, "10:00", "10:00") == "Giờ kết thúc (10:00) phải sau giờ bắt đầu (10:00)."


def test_planned_date_in_its_year():
    rules.check_planned_date(None, YEAR)
    rules.check_planned_date(date(2026, 12, 31), YEAR)
    assert _refused(rules.check_planned_date, date(2027, 1, 5), YEAR) == (
        "Ngày dự kiến 05/01/2027 không thuộc năm 2026 của kế hoạch.")


def test_visit_date_in_its_year_and_not_in_the_future():
    rules.check_visit_date(TODAY, YEAR, TODAY)
    assert _refused(rules.check_visit_date, date(2025, 12, 30), YEAR, TODAY) == (
        "Ngày kiểm tra 30/12/2025 không thuộc năm 2026 của kế hoạch.")
    assert _refused(rules.check_visit_date, date(2026, 6, 16), YEAR, TODAY).startswith(
        "Ngày kiểm tra 16/06/2026 ở tương lai: chỉ ghi kết quả cuộc kiểm tra đã diễn ra.")


def test_recommendation_rules_in_order():
    check = rules.check_recommendation
    check(1, "Sửa camera", VISIT, None, VISIT, TODAY)
    check(1, "Sửa camera", date(2026, 4, 1), TODAY, VISIT, TODAY)
    assert _refused(check, 2, "", VISIT, None, VISIT, TODAY) == (
        "Kiến nghị 2: hãy nhập nội dung kiến nghị (hoặc xoá dòng trống).")
    assert _refused(check, 1, "Sửa", VISIT, None, None, TODAY) == (
        "Kiến nghị 1: chỉ ghi kiến nghị sau khi đã kiểm tra; hãy nhập ngày kiểm tra trước.")
    assert _refused(check, 1, "Sửa", None, None, VISIT, TODAY) == "Kiến nghị 1: hãy nhập thời hạn thực hiện."
    assert _refused(check, 3, "Sửa", date(2026, 3, 9), None, VISIT, TODAY) == (
        "Kiến nghị 3: thời hạn 09/03/2026 trước ngày kiểm tra 10/03/2026.")
    assert _refused(check, 1, "Sửa", date(2026, 4, 1), date(2026, 3, 1), VISIT, TODAY) == (
        "Kiến nghị 1: ngày hoàn thành 01/03/2026 trước ngày kiểm tra 10/03/2026.")
    assert _refused(check, 1, "Sửa", date(2026, 4, 1), date(2026, 7, 1), VISIT, TODAY) == (
        "Kiến nghị 1: ngày hoàn thành 01/07/2026 ở tương lai.")


def test_overdue_is_a_deadline_before_today_without_a_done_date():
    assert rules.is_overdue(date(2026, 6, 14), None, TODAY)
    assert not rules.is_overdue(TODAY, None, TODAY)             # due today: not late yet
    assert not rules.is_overdue(date(2026, 6, 1), date(2026, 6, 10), TODAY)
    assert not rules.is_overdue(None, None, TODAY)


def test_days_left_to_the_end_of_the_year():
    assert rules.days_left(2026, date(2026, 12, 1)) == 30
    assert rules.days_left(2026, date(2026, 12, 31)) == 0
    assert rules.days_left(2026, date(2027, 2, 1)) == 0
    assert rules.days_left(2026, date(2025, 12, 31)) == 365


def test_covered_by_the_required_number_of_visits():
    assert rules.is_covered(1, 1) and rules.is_covered(3, 2)
    assert not rules.is_covered(0, 1) and not rules.is_covered(1, 2)
    assert not rules.is_covered(0, 0)     # a setting of 0 still asks for one visit


@pytest.mark.parametrize("line, name", [
    ("Ông Nguyễn Văn An, Phó Trưởng Công an phường, Trưởng đoàn", "Nguyễn Văn An"),
    ("- Bà Lê Thị Lan, Cảnh sát khu vực, thư ký;", "Lê Thị Lan"),
    ("Đại úy Trần Quang Hải, Phó Trưởng Công an phường", "Đại úy Trần Quang Hải"),
    ("Trưởng đoàn: Đồng chí Phạm Văn Bình, Trưởng Công an phường", "Phạm Văn Bình"),
    ("Đ/c Hà Minh Tú (thành viên)", "Hà Minh Tú"),
])
def test_name_to_sign_under(line, name):
    assert rules.person_name(line) == name
