"""The plan's targets per year: stored, standing (settings), judged against the records."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain import plan
from antq_desktop.errors import UserError
from antq_desktop.services import classification, settings, stats, targets
from antq_desktop.services.targets import TargetInput

ACTOR = "kiểm thử"
WARD = 1


def codes(rows) -> list[str]:
    return [row.code for row in rows]


@pytest.fixture
def full_demo(full_demo_db):
    return full_demo_db


def test_a_year_the_plan_does_not_cover_uses_the_standing_targets(empty_db, demo_db):
    with demo_db.transaction() as session:
        rows = targets.year_targets(session, WARD, 2024)
        assert not targets.has_plan(session, WARD, 2024)
        assert all(row.id is None and row.computed for row in rows)
        by_code = {row.code: row.target for row in rows}
        assert by_code["recognized_pct"] == 95 and by_code["yeu_units"] == 0 and by_code["kha_or_above_pct"] == 100
        assert "propaganda_items" not in by_code  # the setting's 0 means "no target"
        settings.set_setting(session, WARD, "antt.target_recognized_pct", 90, ACTOR)
        settings.set_setting(session, WARD, "classification.target_no_yeu", False, ACTOR)
        settings.set_setting(session, WARD, "events.target_activities", 50, ACTOR)
        by_code = {row.code: row.target for row in targets.year_targets(session, WARD, 2024)}
    assert by_code["recognized_pct"] == 90 and "yeu_units" not in by_code and by_code["propaganda_items"] == 50


def test_the_demo_ships_the_targets_of_the_2026_2030_plan(demo_db):
    with demo_db.reading() as session:
        year_2026 = targets.year_targets(session, WARD, 2026)
        year_2030 = targets.year_targets(session, WARD, 2030)
    assert len(year_2026) == 10 and len(year_2030) == 12
    assert "kha_or_above_pct" not in codes(year_2026)  # "đến năm 2030: 100% Khá trở lên"
    assert {row.code: row.target for row in year_2030}["kha_or_above_pct"] == 100
    custom = year_2030[-1]
    assert custom.code == "khac_1" and not custom.computed and custom.target == 1
    reached = {row.code: row for row in year_2026}["residents_reached_pct"]
    assert (reached.target, reached.comparison, reached.computed) == (90, plan.AT_LEAST, False)


def test_a_register_follows_the_plan_of_the_year(demo_db):
    with demo_db.transaction() as session:
        assert classification.classification_stats(session, WARD, 2026).target_kha_or_above_pct == 100  # standing
        targets.add_target(session, WARD, 2026, TargetInput("Khá trở lên", plan.PERCENT, plan.AT_LEAST, 90,
                                                            code="kha_or_above_pct"), ACTOR)
        assert classification.classification_stats(session, WARD, 2026).target_kha_or_above_pct == 90
        assert classification.classification_stats(session, WARD, 2027).target_kha_or_above_pct == 100
        assert stats.antt_stats(session, WARD, 2026).target_recognized_pct == 95


def test_adding_editing_and_deleting_a_target_typed_by_hand(demo_db):
    with demo_db.transaction() as session:
        new_id = targets.add_target(session, WARD, 2026, TargetInput(
            "  Hộ gia đình ký cam kết  ", plan.PERCENT, plan.AT_LEAST, 100, actual=97, notes="theo tổ dân phố"), ACTOR)
        row = next(row for row in targets.year_targets(session, WARD, 2026) if row.id == new_id)
        assert (row.code, row.name, row.actual) == ("khac_1", "Hộ gia đình ký cam kết", 97)  # the demo's is 2030's
        targets.update_target(session, new_id, TargetInput(row.name, plan.PERCENT, plan.AT_LEAST, 95, actual=97),
                              ACTOR, expected_version=row.version)
        with pytest.raises(UserError, match="người khác sửa"):
            targets.update_target(session, new_id, TargetInput(row.name, plan.PERCENT, plan.AT_LEAST, 90),
                                  ACTOR, expected_version=row.version)
        figures = stats.year_stats(session, WARD, 2026, today=date(2026, 6, 1))
        result = next(result for result in figures.targets if result.target_id == new_id)
        assert (result.target, result.actual, result.met, result.status) == (95, 97, True, plan.Status.MET)
        targets.delete_target(session, new_id)
        assert new_id not in [row.id for row in targets.year_targets(session, WARD, 2026)]


@pytest.mark.parametrize(("data", "message"), [
    (TargetInput("", plan.PERCENT, plan.AT_LEAST, 50), "tên chỉ tiêu"),
    (TargetInput("Tỷ lệ", plan.PERCENT, plan.AT_LEAST, 101), "từ 0 đến 100%"),
    (TargetInput("Số tin bài", plan.COUNT, plan.AT_LEAST, -1), "từ 0 đến 1.000.000"),
    (TargetInput("Tỷ lệ", plan.PERCENT, plan.AT_LEAST, 90, actual=120), "Số thực hiện"),
    (TargetInput("Tỷ lệ", "km", plan.AT_LEAST, 90), "tỷ lệ % hoặc theo số lượng"),
    (TargetInput("Đăng ký", plan.PERCENT, plan.AT_LEAST, 100, code="registered_pct"), "đã có chỉ tiêu"),
])
def test_a_wrong_target_is_refused_and_nothing_is_written(demo_db, data, message):
    with demo_db.transaction() as session:
        before = targets.year_targets(session, WARD, 2026)
        with pytest.raises(UserError, match=message):
            targets.add_target(session, WARD, 2026, data, ACTOR)
        assert targets.year_targets(session, WARD, 2026) == before


def test_a_catalogue_indicator_keeps_how_it_is_measured(demo_db):
    with demo_db.transaction() as session:
        row = next(row for row in targets.year_targets(session, WARD, 2026) if row.code == "yeu_units")
        targets.update_target(session, row.id, TargetInput("Không có đơn vị Yếu", plan.PERCENT, plan.AT_LEAST, 0,
                                                           actual=5), ACTOR)
        row = next(row for row in targets.year_targets(session, WARD, 2026) if row.code == "yeu_units")
    assert (row.name, row.unit, row.comparison, row.actual) == ("Không có đơn vị Yếu", plan.COUNT, plan.AT_MOST, None)


def test_starting_a_year_and_applying_it_to_the_period(demo_db):
    with demo_db.transaction() as session:
        assert targets.start_year(session, WARD, 2025, ACTOR) == 11  # the standing computed ones and the two typed
        with pytest.raises(UserError, match="đã có chỉ tiêu"):
            targets.start_year(session, WARD, 2025, ACTOR)
        reached = next(row for row in targets.year_targets(session, WARD, 2025) if row.code == "residents_reached_pct")
        targets.update_target(session, reached.id, TargetInput(reached.name, plan.PERCENT, plan.AT_LEAST, 85,
                                                               code=reached.code, actual=88), ACTOR)
        assert targets.copy_targets(session, WARD, 2025, [2025, 2026, 2027], ACTOR) == 11
        copied = {row.code: row for row in targets.year_targets(session, WARD, 2027)}
    assert len(copied) == 11 and copied["residents_reached_pct"].target == 85
    assert copied["residents_reached_pct"].actual is None  # a year's figure stays with its year


def test_the_demo_year_judged_against_hand_counts(full_demo):
    with full_demo.reading() as session:
        figures = stats.year_stats(session, WARD, 2025, today=date(2026, 1, 5))
    results = {result.code: result for result in figures.targets}
    # hand counts of the demo's 2025 (tests/services/test_stats.py and the registers' own tests)
    assert results["kha_or_above_pct"].actual == pytest.approx(47 / 54 * 100, abs=0.01)
    assert results["yeu_units"].actual == 0 and results["yeu_units"].met
    assert results["models_kha_or_above"].actual == 3 and results["models_kha_or_above"].met
    assert results["forces_trained_pct"].actual == pytest.approx(99 / 101 * 100, abs=0.01)
    assert results["forces_equipped_pct"].actual == pytest.approx(91 / 101 * 100, abs=0.01)
    assert results["kdc_inspected_pct"].actual == pytest.approx(85.0)
    assert results["festival_pct"].actual == pytest.approx(49 / 54 * 100, abs=0.01)
    assert results["kdc_inspected_pct"].status is plan.Status.MISSED  # the year is over
    assert results["models_kha_or_above"].status is plan.Status.MET
    assert [entry["code"] for entry in figures.as_dict()["targets"]] == [result.code for result in figures.targets]
    assert set(figures.as_dict()["targets"][0]) >= {"code", "name", "target", "actual", "met"}


@pytest.mark.parametrize(("today", "status"), [
    (date(2025, 6, 1), plan.Status.AT_RISK),  # not met yet, and the year goes on
    (date(2026, 1, 1), plan.Status.MISSED),
])
def test_not_met_is_at_risk_during_the_year_and_missed_after(full_demo, today, status):
    with full_demo.reading() as session:
        figures = stats.year_stats(session, WARD, 2025, today=today)
    assert {result.code: result.status for result in figures.targets}["forces_trained_pct"] is status


def test_an_indicator_without_figures_has_no_data_until_its_day(demo_db):
    with demo_db.reading() as session:
        early = {r.code: r for r in stats.year_stats(session, WARD, 2026, today=date(2026, 2, 1)).targets}
        late = {r.code: r for r in stats.year_stats(session, WARD, 2026, today=date(2026, 4, 1)).targets}
    assert early["residents_reached_pct"].status is plan.Status.NO_DATA and early["residents_reached_pct"].met is None
    assert early["registered_pct"].status is plan.Status.AT_RISK  # 0% registered, Quarter I not over
    assert late["registered_pct"].status is plan.Status.MISSED  # registration closes on 31/03
    assert early["registered_pct"].actual_text == "0,0%" and early["registered_pct"].target_text == "≥ 100%"
