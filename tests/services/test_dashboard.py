"""The home page's content: deadlines, what needs attention, trends."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain import plan
from antq_desktop.errors import UserError
from antq_desktop.services import dashboard, stats

ACTOR = "kiểm thử"
WARD = 1


@pytest.fixture
def full_demo(full_demo_db):
    return full_demo_db


def titles(items) -> list[str]:
    return [item.title for item in items]


def test_the_coming_deadlines_of_the_ward_year(demo_db):
    with demo_db.reading() as session:
        items = dashboard.coming_deadlines(session, WARD, date(2026, 11, 10))
        fixed = [item for item in items if item.task_id is None]
        assert [(item.day, item.days_left) for item in fixed] == [
            (date(2026, 11, 15), 5), (date(2026, 11, 20), 10), (date(2026, 11, 30), 20)]
        assert fixed[0].page == "antt" and fixed[0].when_text == "còn 5 ngày"
        just_passed = dashboard.coming_deadlines(session, WARD, date(2026, 11, 5))
    assert (date(2026, 10, 30), -6, "đã qua 6 ngày") in [(i.day, i.days_left, i.when_text) for i in just_passed]


def test_deadlines_are_data_and_cross_the_new_year(demo_db):
    with demo_db.transaction() as session:
        dashboard.save_deadlines(session, WARD, [
            plan.Deadline(1, 15, "  Báo cáo năm gửi Công an tỉnh ", "reports"),
            plan.Deadline(2, 29, "Ngày nhuận", "")], ACTOR)
        stored = dashboard.deadlines(session, WARD)
        assert stored[0] == plan.Deadline(1, 15, "Báo cáo năm gửi Công an tỉnh", "reports")
        items = dashboard.coming_deadlines(session, WARD, date(2026, 12, 31))
        fixed = [(item.day, item.title) for item in items if item.task_id is None]
    assert fixed == [(date(2027, 1, 15), "Báo cáo năm gửi Công an tỉnh"),
                     (date(2027, 2, 28), "Ngày nhuận")]  # 29/02 of a common year: the day before


@pytest.mark.parametrize(("deadline", "message"), [
    (plan.Deadline(2, 30, "Sai ngày"), "không có trong năm"),
    (plan.Deadline(13, 1, "Sai tháng"), "không có trong năm"),
    (plan.Deadline(3, 1, "   "), "hãy nhập nội dung"),
    (plan.Deadline(3, 1, "Trang lạ", "nowhere"), "không có trong chương trình"),
])
def test_a_wrong_deadline_is_refused_and_the_old_ones_stay(demo_db, deadline, message):
    with demo_db.transaction() as session:
        before = dashboard.deadlines(session, WARD)
        with pytest.raises(UserError, match=message):
            dashboard.save_deadlines(session, WARD, [*before, deadline], ACTOR)
        assert dashboard.deadlines(session, WARD) == before


def test_what_needs_attention_in_the_demo_year(full_demo):
    with full_demo.reading() as session:
        figures = stats.year_stats(session, WARD, 2025, today=date(2025, 12, 31))
    texts = [item.text for item in dashboard.attention(figures, date(2025, 12, 31))]
    pages = {item.text: item.page for item in dashboard.attention(figures, date(2025, 12, 31))}
    assert "3 tổ dân phố chưa được kiểm tra: Tổ dân phố 6, Tổ dân phố 13, Tổ dân phố 19" in texts
    assert "1 kiến nghị sau kiểm tra quá hạn chưa khắc phục" in texts
    assert "5 đơn vị chưa tổ chức Ngày hội toàn dân bảo vệ ANTQ" in texts
    assert "2 thành viên lực lượng nòng cốt chưa được huấn luyện, bồi dưỡng" in texts
    assert "10 thành viên lực lượng nòng cốt chưa được trang bị" in texts
    assert pages["5 đơn vị chưa tổ chức Ngày hội toàn dân bảo vệ ANTQ"] == "events"
    assert not any("chưa chấm điểm" in text for text in texts)  # every unit was scored


def test_the_ngay_hoi_and_scoring_are_not_asked_for_before_their_time(full_demo):
    with full_demo.reading() as session:
        figures = stats.year_stats(session, WARD, 2027, today=date(2027, 3, 1))
    texts = [item.text for item in dashboard.attention(figures, date(2027, 3, 1))]
    assert texts[0] == "54/54 đơn vị chưa đăng ký xây dựng \u201cAn toàn về ANTT\u201d"
    assert not any("Ngày hội" in text or "chấm điểm" in text for text in texts)


def test_units_registered_but_not_assessed_are_asked_for_from_october(full_demo):
    """The demo's 2026: all 54 registered in Quý I, no review meeting yet."""
    with full_demo.reading() as session:
        summer = dashboard.attention(stats.year_stats(session, WARD, 2026, today=date(2026, 7, 1)), date(2026, 7, 1))
        autumn = dashboard.attention(stats.year_stats(session, WARD, 2026, today=date(2026, 10, 5)),
                                     date(2026, 10, 5))
    assert not any("họp xét" in item.text for item in summer)
    assert "54 đơn vị đã đăng ký chưa được họp xét, đánh giá" in [item.text for item in autumn]
    assert not any("chưa đăng ký" in item.text for item in autumn)


def test_trends_span_five_years_while_there_are_no_records(empty_db):
    with empty_db.reading() as session:
        assert dashboard.trend_years(session, WARD, 2026) == range(2022, 2027)


def test_trends_start_with_the_first_year_of_records(full_demo):
    with full_demo.reading() as session:
        assert dashboard.trend_years(session, WARD, 2030) == range(2026, 2031)
        assert dashboard.trend_years(session, WARD, 2024) == range(2024, 2025)


def test_trends_give_one_point_per_year(full_demo):
    with full_demo.reading() as session:
        board = dashboard.dashboard(session, WARD, 2026, today=date(2026, 11, 22))
    series = board.trends["kha_or_above_pct"]
    assert [point.year for point in series] == [2024, 2025, 2026]  # from the demo's first year of records
    assert series[1].actual == pytest.approx(87.04, abs=0.01) and series[1].target == 100  # 2025: the standing target
    assert series[0].actual is None  # 2024 was not classified
    assert series[2].target is None  # the plan sets "Khá or above" only for 2030
    recognized = [point.actual for point in board.trends["recognized_pct"]]
    assert recognized[:2] == [pytest.approx(48 / 54 * 100, abs=0.01), pytest.approx(51 / 54 * 100, abs=0.01)]
    inspected = [point.actual for point in board.trends["kdc_inspected_pct"]]
    # 2024 holds no inspection at all (kept on paper then): left out, not 0%; the year shown keeps its 0%
    assert inspected == [None, pytest.approx(85.0), 0.0]
    assert board.year == 2026 and len(board.targets) == 10
    assert board.count(plan.Status.MET) + board.count(plan.Status.AT_RISK) + board.count(plan.Status.MISSED) \
        + board.count(plan.Status.NO_DATA) == 10
