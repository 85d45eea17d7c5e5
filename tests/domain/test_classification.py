"""Tests for antq_desktop.domain.classification: score sheets, totals, levels, cap rules, KPIs."""

from __future__ import annotations

import json
import unicodedata
from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_desktop.domain.classification import (
    CONDITIONS,
    LEVEL_CODES,
    TOTAL_MAX,
    Level,
    SheetSet,
    builtin_sheet_sets,
    check_score,
    item_scores,
    level_counts,
    level_for_total,
    load_sheet_set,
    parse_sheet_set,
    proposed_level,
    score_total,
    share_at_least,
    sheet_set_by_code,
    sheet_set_to_dict,
)
from antq_desktop.domain.criteria import KINDS
from antq_desktop.errors import UserError
from antq_desktop.resources import resource_path

SHEET_FILE = resource_path("scoresheets", "qd510-mac-dinh.json")
D = Decimal


@pytest.fixture(scope="module")
def default_set() -> SheetSet:
    return sheet_set_by_code("qd510-mac-dinh")


def rank(code: str) -> int:
    """0 for the highest level; larger is lower."""
    return LEVEL_CODES.index(code)


def with_rules(sheet_set: SheetSet, **enabled: bool) -> SheetSet:
    """The set with the named rules switched on or off."""
    rules = tuple(replace(r, enabled=enabled.get(r.code, r.enabled)) for r in sheet_set.rules)
    return replace(sheet_set, rules=rules)


# --------------------------------------------------------------------------------------
# The shipped file
# --------------------------------------------------------------------------------------


def test_the_builtin_set_loads_and_is_cached(default_set):
    sets = builtin_sheet_sets()
    assert [s.code for s in sets] == ["qd510-mac-dinh"]
    assert builtin_sheet_sets() is sets
    assert sets[0] is default_set and hash(default_set) == hash(sets[0])
    assert tuple(default_set.sheets) == KINDS
    assert default_set.effective_from.isoformat() == "2022-01-20"


def test_the_file_says_plainly_it_is_a_default_in_both_languages(default_set):
    text = SHEET_FILE.read_text(encoding="utf-8")
    assert unicodedata.is_normalized("NFC", text)
    raw = json.loads(text)
    assert raw["is_default"] is True and default_set.is_default
    assert raw["note"].startswith("BẢNG ĐIỂM MẶC ĐỊNH") and "ĐỐI CHIẾU" in raw["note"]
    assert raw["note_en"].startswith("DEFAULT SCORE SHEETS") and "MUST CHECK" in raw["note_en"]
    assert "MẶC ĐỊNH" in default_set.title
    # The thresholds are said to be defaults too.
    assert "Xuất sắc từ 90" in raw["note"] and "Xuất sắc from 90" in raw["note_en"]


def test_every_kind_is_worth_100_points_and_every_parent_adds_up(default_set):
    for kind in KINDS:
        sheet = default_set.sheet(kind)
        assert sheet.kind == kind and sheet.total_max == TOTAL_MAX
        assert sum(i.max_points for i in sheet.items if not i.deduction) == 100
        for item in sheet.all_items():
            if item.children:
                assert sum(c.max_points for c in item.children) == item.max_points
                assert all(c.deduction == item.deduction for c in item.children)
        deductions = [i for i in sheet.items if i.deduction]
        assert len(deductions) == 1 and deductions[0].title == "Điểm trừ"
        assert 15 <= len(sheet.leaves()) <= 25  # a grid of about 20 columns
        codes = [i.code for i in sheet.all_items()]
        assert len(codes) == len(set(codes))
        full = {leaf.code: leaf.max_points for leaf in sheet.leaves() if not leaf.deduction}
        assert score_total(sheet, full) == 100


def test_agencies_enterprises_and_schools_keep_the_known_qd510_items(default_set):
    for kind in ("co_quan", "doanh_nghiep", "giao_duc"):
        sheet = default_set.sheet(kind)
        assert [sheet.item(code).max_points for code in ("1", "2", "3", "4.1")] == [3, 3, 5, 1]
        assert "Ngày hội toàn dân bảo vệ an ninh Tổ quốc" in sheet.item("3").title
        assert "90%" in sheet.item("2").title
    assert "người học" in default_set.sheet("giao_duc").item("2").title


def test_default_levels_and_rules(default_set):
    assert [(lv.code, lv.label, lv.min_total) for lv in default_set.levels] == [
        ("xuat_sac", "Xuất sắc", 90), ("kha", "Khá", 70), ("trung_binh", "Trung bình", 50), ("yeu", "Yếu", 0)]
    rules = {r.code: r for r in default_set.rules}
    antt = rules["khong_dat_antt"]
    assert (antt.condition, antt.max_level, antt.enabled) == ("not_recognized_antt", "trung_binh", True)
    assert "An toàn về an ninh, trật tự" in antt.text
    assert rules["toi_pham_rat_nghiem_trong"].max_level == "kha"
    assert {r.enabled for r in default_set.rules} == {True, False}  # shows a rule can be off
    assert {r.condition for r in default_set.rules} == set(CONDITIONS)


def test_unknown_set_code_is_a_user_error():
    with pytest.raises(UserError, match="tinh-moi.*cập nhật chương trình"):
        sheet_set_by_code("tinh-moi")


def test_a_set_survives_a_round_trip_through_plain_data(default_set):
    data = sheet_set_to_dict(default_set)
    text = json.dumps(data, ensure_ascii=False)  # storable as it is
    assert parse_sheet_set(json.loads(text), "năm 2026") == default_set


def test_a_round_trip_keeps_decimal_points(default_set, tmp_path):
    data = sheet_set_to_dict(default_set)
    kdc = data["sheets"]["kdc"][0]
    kdc["children"][0]["max_points"] = 3.5
    kdc["children"][1]["max_points"] = 4.5
    again = parse_sheet_set(json.loads(json.dumps(sheet_set_to_dict(parse_sheet_set(data, "x")))), "x")
    assert again.sheet("kdc").item("1.1").max_points == D("3.5")
    path = tmp_path / "tinh.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    assert load_sheet_set(path).sheet("kdc").item("1.2").max_points == D("4.5")


# --------------------------------------------------------------------------------------
# Broken files
# --------------------------------------------------------------------------------------


def _base() -> dict:
    return json.loads(SHEET_FILE.read_text(encoding="utf-8"))


def _item(data: dict, kind: str, code: str) -> dict:
    for top in data["sheets"][kind]:
        for item in [top, *top.get("children", [])]:
            if item["code"] == code:
                return item
    raise KeyError(code)


def _broken_cases():
    def not_100(d):
        _item(d, "kdc", "1.1")["max_points"] = 5
        _item(d, "kdc", "1")["max_points"] = 16

    def children_do_not_add_up(d):
        _item(d, "co_quan", "5.2")["max_points"] = 8

    def duplicate_code(d):
        _item(d, "kdc", "2.2")["code"] = "2.1"

    def duplicate_across_levels(d):
        _item(d, "giao_duc", "4.1")["code"] = "3"

    def unknown_kind(d):
        d["sheets"]["huyen"] = d["sheets"]["kdc"]

    def missing_kind(d):
        del d["sheets"]["giao_duc"]

    def unknown_condition(d):
        d["rules"][0]["condition"] = "mat_trom_tai_san"

    def unknown_max_level(d):
        d["rules"][1]["max_level"] = "tot"

    def levels_not_decreasing(d):
        d["levels"][1]["min_total"] = 95

    def levels_equal(d):
        d["levels"][2]["min_total"] = 70

    def lowest_not_zero(d):
        d["levels"][3]["min_total"] = 10

    def level_code_changed(d):
        d["levels"][1]["code"] = "tot"

    def level_missing(d):
        del d["levels"][3]

    def threshold_above_100(d):
        d["levels"][0]["min_total"] = 120

    def three_decimals(d):
        _item(d, "kdc", "1.1")["max_points"] = 4.125

    def zero_points(d):
        _item(d, "xa_phuong", "4.3")["max_points"] = 0

    def points_as_text(d):
        _item(d, "kdc", "5.4")["max_points"] = "9"

    def points_as_bool(d):
        _item(d, "kdc", "5.4")["max_points"] = True

    def deduction_child_not_deduction(d):
        _item(d, "kdc", "6.2")["deduction"] = False

    def misspelt_key(d):
        _item(d, "doanh_nghiep", "9")["deducton"] = True

    def empty_children(d):
        _item(d, "kdc", "4")["children"] = []

    def missing_sheets(d):
        del d["sheets"]

    def enabled_not_bool(d):
        d["rules"][0]["enabled"] = "có"

    def enabled_missing(d):
        del d["rules"][0]["enabled"]

    def duplicate_rule(d):
        d["rules"][2]["code"] = d["rules"][0]["code"]

    def bad_date(d):
        d["effective_from"] = "20/01/2022"

    def is_default_missing(d):
        del d["is_default"]

    def empty_title(d):
        _item(d, "kdc", "3.2")["title"] = "  "

    return {
        "not_100": (not_100, "101"),
        "children_do_not_add_up": (children_do_not_add_up, "mục 5"),
        "duplicate_code": (duplicate_code, '"2.1" bị trùng'),
        "duplicate_across_levels": (duplicate_across_levels, '"3" bị trùng'),
        "unknown_kind": (unknown_kind, "huyen"),
        "missing_kind": (missing_kind, "giao_duc"),
        "unknown_condition": (unknown_condition, "mat_trom_tai_san"),
        "unknown_max_level": (unknown_max_level, '"tot"'),
        "levels_not_decreasing": (levels_not_decreasing, "95"),
        "levels_equal": (levels_equal, "mức thứ 3"),
        "lowest_not_zero": (lowest_not_zero, "thấp nhất"),
        "level_code_changed": (level_code_changed, '"kha"'),
        "level_missing": (level_missing, "đúng 4 mức"),
        "threshold_above_100": (threshold_above_100, "120"),
        "three_decimals": (three_decimals, "4,125"),
        "zero_points": (zero_points, "mục 4.3"),
        "points_as_text": (points_as_text, "max_points"),
        "points_as_bool": (points_as_bool, "max_points"),
        "deduction_child_not_deduction": (deduction_child_not_deduction, "mục 6.2"),
        "misspelt_key": (misspelt_key, "deducton"),
        "empty_children": (empty_children, "children"),
        "missing_sheets": (missing_sheets, '"sheets"'),
        "enabled_not_bool": (enabled_not_bool, "enabled"),
        "enabled_missing": (enabled_missing, "enabled"),
        "duplicate_rule": (duplicate_rule, "khong_dat_antt"),
        "bad_date": (bad_date, "20/01/2022"),
        "is_default_missing": (is_default_missing, "is_default"),
        "empty_title": (empty_title, "mục 3.2"),
    }


@pytest.mark.parametrize("case", sorted(_broken_cases()))
def test_broken_file_raises_user_error_naming_the_file_and_fault(tmp_path, case):
    mutate, detail = _broken_cases()[case]
    data = _base()
    mutate(data)
    path = tmp_path / f"tinh-{case}.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(UserError) as info:
        load_sheet_set(path)
    assert f"tinh-{case}.json" in info.value.message
    assert detail in info.value.message


def test_broken_data_names_its_source():
    data = _base()
    _item(data, "kdc", "2.1")["max_points"] = 7
    with pytest.raises(UserError, match='Bảng điểm "bảng của tỉnh 2026".*mục 2.*cộng lại được 21'):
        parse_sheet_set(data, "bảng của tỉnh 2026")


def test_bad_json_not_utf8_and_missing_file(tmp_path):
    path = tmp_path / "hong.json"
    path.write_text('{\n  "code": "x",\n  "title": \n}', encoding="utf-8")
    with pytest.raises(UserError, match=r"hong\.json.*JSON.*dòng 4, cột 1"):
        load_sheet_set(path)
    path.write_bytes(b'{"code": "Th\xf4ng"}')
    with pytest.raises(UserError, match="hong.json.*UTF-8"):
        load_sheet_set(path)
    with pytest.raises(UserError, match="khong-co.json.*không đọc được"):
        load_sheet_set(tmp_path / "khong-co.json")


# --------------------------------------------------------------------------------------
# Scores and totals
# --------------------------------------------------------------------------------------


def test_a_score_at_exactly_the_maximum_is_accepted(default_set):
    sheet = default_set.sheet("co_quan")
    assert check_score(sheet, "8.1", 10) == 10
    assert check_score(sheet, "8.1", 0) == 0
    assert check_score(sheet, "8.1", D("9.75")) == D("9.75")


def test_a_score_above_the_maximum_is_refused_naming_the_item(default_set):
    sheet = default_set.sheet("co_quan")
    with pytest.raises(UserError) as info:
        check_score(sheet, "8.1", 12)
    assert info.value.message == "Điểm mục 8.1 (12) vượt quá điểm chuẩn 10."
    with pytest.raises(UserError, match=r"Điểm mục 4\.1 \(1,5\) vượt quá điểm chuẩn 1\."):
        score_total(sheet, {"1": 3, "4.1": 1.5})
    with pytest.raises(UserError, match=r"10,01"):
        check_score(sheet, "8.1", D("10.01"))


def test_a_negative_score_on_a_normal_item_is_refused(default_set):
    with pytest.raises(UserError, match=r"Điểm mục 2\.1 \(-0,5\) không được âm"):
        check_score(default_set.sheet("kdc"), "2.1", -0.5)


def test_deductions_range_from_minus_their_maximum_to_zero(default_set):
    sheet = default_set.sheet("kdc")
    assert check_score(sheet, "6.1", -10) == -10
    assert check_score(sheet, "6.1", 0) == 0
    with pytest.raises(UserError, match=r"Điểm trừ mục 6\.1 \(-10,01\) vượt quá mức trừ tối đa 10 điểm"):
        check_score(sheet, "6.1", D("-10.01"))
    with pytest.raises(UserError, match=r"Mục 6\.2 là mục điểm trừ.*từ -5 đến 0 \(đã ghi 5\)"):
        check_score(sheet, "6.2", 5)


def test_deductions_lower_the_total_which_never_goes_below_zero(default_set):
    sheet = default_set.sheet("kdc")
    assert score_total(sheet, {"1.1": 4, "5.4": 9, "6.1": -5}) == 8
    assert score_total(sheet, {"1.1": 4, "6.1": -10, "6.2": -5}) == 0
    assert score_total(sheet, {}) == 0


def test_sub_item_scores_roll_up_and_a_parent_cannot_be_scored(default_set):
    sheet = default_set.sheet("kdc")
    scores = item_scores(sheet, {"2.1": 5, "2.2": D("5.5"), "6.3": -1})
    assert scores["2"] == D("10.5") and scores["2.3"] == 0 and scores["6"] == -1
    assert list(scores) == [item.code for item in sheet.all_items()]  # parents before their items
    with pytest.raises(UserError, match="Mục 2 có mục con"):
        score_total(sheet, {"2": 10})
    # An item without sub-items is scored directly.
    assert score_total(default_set.sheet("co_quan"), {"1": 3, "4.2": 3}) == 6


def test_an_unknown_item_is_refused(default_set):
    with pytest.raises(UserError, match='Bảng điểm khu dân cư không có mục "7.1"'):
        score_total(default_set.sheet("kdc"), {"7.1": 1})
    with pytest.raises(UserError, match='Bảng điểm xã, phường không có mục "2,1"'):
        check_score(default_set.sheet("xa_phuong"), "2,1", 1)


@pytest.mark.parametrize("value", ["5", None, True, float("nan"), float("inf"), D("NaN")])
def test_a_score_must_be_a_number(default_set, value):
    with pytest.raises(UserError, match=r"Điểm mục 2\.1 phải là một số"):
        check_score(default_set.sheet("kdc"), "2.1", value)


def test_more_than_two_decimals_are_refused_and_floats_stay_exact(default_set):
    sheet = default_set.sheet("kdc")
    with pytest.raises(UserError, match=r"\(1,125\) chỉ được có tối đa 2 chữ số thập phân"):
        check_score(sheet, "2.1", 1.125)
    assert check_score(sheet, "2.1", D("1.50")) == D("1.5")  # trailing zeros are not decimals
    assert score_total(sheet, {"1.1": 0.1, "1.2": 0.2}) == D("0.3")


@st.composite
def sheet_and_scores(draw):
    sheet = builtin_sheet_sets()[0].sheet(draw(st.sampled_from(KINDS)))
    scores = {}
    for leaf in sheet.leaves():
        if draw(st.booleans()):
            hundredths = draw(st.integers(0, int(leaf.max_points * 100)))
            scores[leaf.code] = D(hundredths) / 100 * (-1 if leaf.deduction else 1)
    return sheet, scores


@settings(max_examples=200, deadline=None)
@given(sheet_and_scores())
def test_a_total_is_the_clamped_sum_of_its_leaves(case):
    sheet, scores = case
    total = score_total(sheet, scores)
    assert total == max(D(0), sum(scores.values(), D(0)))
    assert 0 <= total <= TOTAL_MAX
    subtotals = item_scores(sheet, scores)
    assert sum(subtotals[i.code] for i in sheet.items) == sum(scores.values(), D(0))


# --------------------------------------------------------------------------------------
# Levels and cap rules
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("total, level", [
    (100, "xuat_sac"), (90, "xuat_sac"), (D("89.99"), "kha"), (89.99, "kha"), (70, "kha"),
    (D("69.99"), "trung_binh"), (50, "trung_binh"), (D("49.99"), "yeu"), (0, "yeu"),
])
def test_thresholds_at_their_exact_edges(default_set, total, level):
    decision = proposed_level(default_set, total, set())
    assert decision.level.code == decision.uncapped_level.code == level
    assert decision.applied_rules == ()


def test_the_explanation_gives_the_total_the_threshold_and_the_level(default_set):
    assert proposed_level(default_set, D("92.5"), set()).explanation == (
        "Tổng điểm 92,5/100, từ 90 điểm trở lên: mức Xuất sắc. Mức đề xuất: Xuất sắc.")
    assert proposed_level(default_set, D("49.99"), set()).explanation == (
        "Tổng điểm 49,99/100, dưới 50 điểm (ngưỡng mức Trung bình): mức Yếu. Mức đề xuất: Yếu.")


def test_a_rule_caps_the_level_when_its_fact_holds(default_set):
    decision = proposed_level(default_set, 95, {"not_recognized_antt"})
    assert (decision.uncapped_level.code, decision.level.code) == ("xuat_sac", "trung_binh")
    assert [r.code for r in decision.applied_rules] == ["khong_dat_antt"]
    assert decision.explanation == (
        "Tổng điểm 95/100, từ 90 điểm trở lên: mức Xuất sắc. Áp dụng quy tắc hạ mức: Không được công nhận "
        "đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm đó thì xếp loại cao nhất là Trung bình. "
        "Mức đề xuất: Trung bình.")


def test_every_lowering_rule_is_listed_and_the_lowest_cap_wins(default_set):
    decision = proposed_level(default_set, 95, ["serious_crime", "not_recognized_antt"])
    assert decision.level.code == "trung_binh"
    assert [r.code for r in decision.applied_rules] == ["khong_dat_antt", "toi_pham_rat_nghiem_trong"]
    assert "Trung bình; Để xảy ra tội phạm" in decision.explanation


def test_a_disabled_rule_does_not_apply_until_switched_on(default_set):
    assert proposed_level(default_set, 95, {"hot_spot"}).level.code == "xuat_sac"
    switched = with_rules(default_set, diem_nong=True, khong_dat_antt=False)
    assert proposed_level(switched, 95, {"hot_spot"}).level.code == "trung_binh"
    assert proposed_level(switched, 95, {"not_recognized_antt"}).level.code == "xuat_sac"


def test_a_rule_without_its_fact_or_above_the_level_changes_nothing(default_set):
    assert proposed_level(default_set, 95, set()).level.code == "xuat_sac"
    low = proposed_level(default_set, 40, {"not_recognized_antt", "serious_crime"})
    assert low.level.code == "yeu" and low.applied_rules == ()
    same = proposed_level(default_set, 75, {"serious_crime"})
    assert same.level.code == "kha" and same.applied_rules == () and "hạ mức" not in same.explanation


def test_bad_totals_and_unknown_facts_are_programming_errors(default_set):
    for total in (-1, D("100.01"), float("nan"), "90", None):
        with pytest.raises(ValueError):
            proposed_level(default_set, total, set())
    with pytest.raises(ValueError, match="unknown facts"):
        proposed_level(default_set, 90, {"not_recognised_antt"})
    with pytest.raises(ValueError, match="unknown facts"):
        proposed_level(default_set, 90, "not_recognized_antt")  # a string, not a set of names


totals = st.integers(0, 10000).map(lambda n: D(n) / 100)


@st.composite
def thresholds(draw):
    """Strictly decreasing minimums for the four levels, the last one 0."""
    cuts = draw(st.lists(st.integers(1, 10000), min_size=3, max_size=3, unique=True))
    return [D(n) / 100 for n in sorted(cuts, reverse=True)] + [D(0)]


@settings(max_examples=300, deadline=None)
@given(totals, totals, thresholds())
def test_proposed_level_is_monotone_in_the_total_without_facts(a, b, minimums):
    base = builtin_sheet_sets()[0]
    sheet_set = replace(base, levels=tuple(replace(lv, min_total=m) for lv, m in zip(base.levels, minimums)))
    low, high = sorted((a, b))
    assert rank(proposed_level(sheet_set, low, set()).level.code) >= \
        rank(proposed_level(sheet_set, high, set()).level.code)


@settings(max_examples=300, deadline=None)
@given(totals, st.sets(st.sampled_from(sorted(CONDITIONS))), st.lists(st.booleans(), min_size=4, max_size=4))
def test_a_cap_never_raises_a_level(total, facts, switches):
    base = builtin_sheet_sets()[0]
    sheet_set = replace(base, rules=tuple(replace(r, enabled=on) for r, on in zip(base.rules, switches)))
    decision = proposed_level(sheet_set, total, facts)
    assert decision.uncapped_level == level_for_total(sheet_set.levels, total)
    assert rank(decision.level.code) >= rank(decision.uncapped_level.code)
    assert all(r.enabled and r.condition in facts for r in decision.applied_rules)
    if not decision.applied_rules:
        assert decision.level == decision.uncapped_level
    else:
        assert decision.level.code == max((r.max_level for r in decision.applied_rules), key=LEVEL_CODES.index)


# --------------------------------------------------------------------------------------
# KPIs
# --------------------------------------------------------------------------------------


def test_level_counts_include_every_level_highest_first(default_set):
    counts = level_counts(default_set.levels, ["kha", "kha", "xuat_sac", "trung_binh"])
    assert list(counts.items()) == [("xuat_sac", 1), ("kha", 2), ("trung_binh", 1), ("yeu", 0)]
    assert level_counts(default_set.levels, []) == dict.fromkeys(LEVEL_CODES, 0)
    with pytest.raises(ValueError):
        level_counts(default_set.levels, ["tot"])


def test_share_at_or_above_a_level(default_set):
    levels = default_set.levels
    decided = ["xuat_sac", "kha", "kha", "trung_binh", "yeu"]
    assert share_at_least(levels, decided, "kha") == 60.0
    assert share_at_least(levels, decided, "xuat_sac") == 20.0
    assert share_at_least(levels, decided, "yeu") == 100.0
    assert share_at_least(levels, [], "kha") is None
    assert share_at_least(levels, iter(["kha"]), "kha") == 100.0  # any iterable, read once
    with pytest.raises(ValueError):
        share_at_least(levels, decided, "tot")
    with pytest.raises(ValueError):
        share_at_least(levels, ["tot"], "kha")


def test_levels_are_plain_values(default_set):
    assert default_set.level("kha") == Level("kha", "Khá", D(70))
    with pytest.raises(ValueError):
        default_set.level("tot")
    with pytest.raises(ValueError):
        default_set.sheet("huyen")
