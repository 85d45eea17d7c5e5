"""Tests for antq_desktop.domain.antt: periods, deadlines, proposals, results, ward criterion 4."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_desktop.domain.antt import (
    CrimeSeverity,
    Incident,
    KindCounts,
    assessment_result,
    evaluation_period,
    percent,
    proposed_failures,
    registration_deadline,
    registration_is_late,
    required_count,
    ward_criterion_4,
)
from antq_desktop.domain.criteria import KINDS, catalogue_by_code
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError

FAST = settings(max_examples=200, deadline=None)
CAT = catalogue_by_code("tt124-2021-sua-doi-tt48-2025")
S = CrimeSeverity

# --------------------------------------------------------------------------------------
# Periods and deadlines
# --------------------------------------------------------------------------------------


def test_kdc_period():
    assert evaluation_period("kdc", 2026) == (date(2025, 11, 1), date(2026, 10, 31))
    assert evaluation_period(UnitKind.KDC, 2026) == (date(2025, 11, 1), date(2026, 10, 31))


@pytest.mark.parametrize("kind", ["xa_phuong", "co_quan", "doanh_nghiep", "giao_duc", UnitKind.GIAO_DUC])
def test_other_periods(kind):
    assert evaluation_period(kind, 2026) == (date(2025, 11, 16), date(2026, 11, 15))


def test_unknown_kind_has_no_period():
    with pytest.raises(ValueError):
        evaluation_period("huyen", 2026)


@FAST
@given(kind=st.sampled_from(KINDS), day=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_every_day_belongs_to_exactly_one_year(kind, day):
    years = [y for y in (day.year - 1, day.year, day.year + 1)
             if evaluation_period(kind, y)[0] <= day <= evaluation_period(kind, y)[1]]
    assert len(years) == 1
    start, end = evaluation_period(kind, years[0] + 1)
    assert start == evaluation_period(kind, years[0])[1] + timedelta(days=1)


def test_registration_deadline():
    assert registration_deadline(2026) == date(2026, 3, 31)
    assert not registration_is_late(date(2026, 3, 31), 2026)
    assert not registration_is_late(date(2026, 1, 2), 2026)
    assert registration_is_late(date(2026, 4, 1), 2026)
    assert registration_is_late(date(2027, 1, 5), 2026)


def test_crime_severity():
    labels = ["Ít nghiêm trọng", "Nghiêm trọng", "Rất nghiêm trọng", "Đặc biệt nghiêm trọng"]
    assert [s.label for s in S] == labels
    assert [s.serious_or_above for s in S] == [False, True, True, True]
    assert S("nghiem_trong") is S.NGHIEM_TRONG


# --------------------------------------------------------------------------------------
# Proposed failures
# --------------------------------------------------------------------------------------


def crime(day, severity=S.NGHIEM_TRONG, **kw):
    return Incident(day, "toi_pham", severity, summary=kw.pop("summary", "Cố ý gây thương tích"), **kw)


def test_serious_crime_fails_kdc_4b_with_a_vietnamese_reason():
    result = proposed_failures(CAT, "kdc", 2026, [crime(date(2026, 5, 12))])
    assert result == {"4b": ["Vụ việc ngày 12/05/2026: Cố ý gây thương tích (nghiêm trọng)"]}


@pytest.mark.parametrize(
    "incident",
    [
        crime(date(2026, 5, 12), force_majeure=True),
        crime(date(2026, 5, 12), reported_in_time=True),
        crime(date(2026, 5, 12), S.IT_NGHIEM_TRONG),
        crime(date(2026, 5, 12), None),
    ],
    ids=["force_majeure", "reported_in_time", "below_nghiem_trong", "unknown_severity"],
)
def test_crime_exceptions(incident):
    assert proposed_failures(CAT, "kdc", 2026, [incident]) == {}
    assert proposed_failures(CAT, "co_quan", 2026, [incident]) == {}


@pytest.mark.parametrize("severity", [S.NGHIEM_TRONG, S.RAT_NGHIEM_TRONG, S.DAC_BIET_NGHIEM_TRONG])
def test_each_serious_level_counts_for_every_kind(severity):
    incident = crime(date(2026, 5, 12), severity)
    expected = {"kdc": "4b", "xa_phuong": "2.4b", "co_quan": "3đ", "doanh_nghiep": "3đ", "giao_duc": "3đ"}
    for kind, code in expected.items():
        assert list(proposed_failures(CAT, kind, 2026, [incident])) == [code]


@pytest.mark.parametrize(
    ("kind", "day", "counted"),
    [
        ("kdc", date(2025, 10, 31), False),
        ("kdc", date(2025, 11, 1), True),
        ("kdc", date(2026, 10, 31), True),
        ("kdc", date(2026, 11, 1), False),
        ("co_quan", date(2025, 11, 15), False),
        ("co_quan", date(2025, 11, 16), True),
        ("co_quan", date(2026, 11, 15), True),
        ("co_quan", date(2026, 11, 16), False),
        ("xa_phuong", date(2025, 11, 15), False),
        ("xa_phuong", date(2026, 11, 15), True),
        ("giao_duc", date(2026, 11, 16), False),
    ],
)
def test_incidents_outside_the_period_are_ignored(kind, day, counted):
    assert bool(proposed_failures(CAT, kind, 2026, [crime(day)])) is counted


def test_kind_not_applicable_to_the_unit_kind():
    strike = Incident(date(2026, 3, 1), "dinh_cong_trai_phap_luat")
    assert proposed_failures(CAT, "kdc", 2026, [strike]) == {}
    assert proposed_failures(CAT, "giao_duc", 2026, [strike]) == {}
    assert list(proposed_failures(CAT, "doanh_nghiep", 2026, [strike])) == ["3d"]
    separatism = Incident(date(2026, 3, 1), "ly_khai_tu_tri")
    assert proposed_failures(CAT, "co_quan", 2026, [separatism]) == {}
    assert list(proposed_failures(CAT, "kdc", 2026, [separatism])) == ["3đ"]


def test_force_majeure_excuses_fires_but_not_security_incidents():
    fire = Incident(date(2026, 3, 1), "chay_no_nghiem_trong", summary="Cháy kho")
    assert proposed_failures(CAT, "kdc", 2026, [fire]) == {"4d": ["Vụ việc ngày 01/03/2026: Cháy kho"]}
    excused_fire = Incident(date(2026, 3, 1), "chay_no_nghiem_trong", force_majeure=True)
    assert proposed_failures(CAT, "kdc", 2026, [excused_fire]) == {}
    # "reported in time" is the crime exception only (Art. 4.4.d has force majeure alone).
    reported_fire = Incident(date(2026, 3, 1), "chay_no_nghiem_trong", reported_in_time=True)
    assert list(proposed_failures(CAT, "co_quan", 2026, [reported_fire])) == ["3g"]
    against_state = Incident(date(2026, 3, 1), "chong_dang_chinh_quyen", force_majeure=True,
                             reported_in_time=True, summary="Rải truyền đơn")
    assert proposed_failures(CAT, "kdc", 2026, [against_state]) == {
        "3a": ["Vụ việc ngày 01/03/2026: Rải truyền đơn"]}
    unnamed = Incident(date(2026, 3, 1), "ly_khai_tu_tri")
    assert proposed_failures(CAT, "kdc", 2026, [unnamed]) == {
        "3đ": ["Vụ việc ngày 01/03/2026: Hoạt động ly khai, đòi tự trị"]}


def test_school_crime_by_its_people_fails_4b_whatever_the_severity():
    def school_crime(severity, **kw):
        return Incident(date(2026, 4, 2), "toi_pham_nguoi_cua_csgd", severity,
                        summary="Học sinh trộm cắp", **kw)

    assert list(proposed_failures(CAT, "giao_duc", 2026, [school_crime(S.IT_NGHIEM_TRONG)])) == ["4b"]
    assert list(proposed_failures(CAT, "giao_duc", 2026, [school_crime(None)])) == ["4b"]
    assert list(proposed_failures(CAT, "giao_duc", 2026, [school_crime(S.RAT_NGHIEM_TRONG)])) == ["3đ", "4b"]
    excused = school_crime(S.RAT_NGHIEM_TRONG, force_majeure=True, reported_in_time=True)
    assert proposed_failures(CAT, "giao_duc", 2026, [excused]) == {
        "4b": ["Vụ việc ngày 02/04/2026: Học sinh trộm cắp (rất nghiêm trọng)"]}
    # The ward counts it under KDC criterion 4.4.b, with the usual threshold.
    assert proposed_failures(CAT, "xa_phuong", 2026, [school_crime(S.IT_NGHIEM_TRONG)]) == {}
    assert list(proposed_failures(CAT, "xa_phuong", 2026, [school_crime(S.NGHIEM_TRONG)])) == ["2.4b"]


def test_school_violence_and_social_evils():
    incidents = [Incident(date(2026, 9, 20), "bao_luc_hoc_duong"),
                 Incident(date(2026, 2, 1), "ky_luat_te_nan_xa_hoi")]
    assert list(proposed_failures(CAT, "giao_duc", 2026, incidents)) == ["4a", "4c"]
    assert list(proposed_failures(CAT, "co_quan", 2026, incidents)) == ["3h"]


def test_several_incidents_sorted_by_date_keys_in_point_order():
    incidents = [
        crime(date(2026, 6, 1), summary="Cướp tài sản"),
        Incident(date(2026, 1, 5), "nguoi_mac_te_nan_moi", summary="Một người nghiện mới"),
        crime(date(2026, 2, 1), S.DAC_BIET_NGHIEM_TRONG, summary="Giết người"),
        Incident(date(2026, 8, 1), "tranh_chap_keo_dai", summary="Tranh chấp đất"),
    ]
    result = proposed_failures(CAT, UnitKind.KDC, 2026, incidents)
    assert list(result) == ["3e", "4b", "4c"]
    assert result["4b"] == [
        "Vụ việc ngày 01/02/2026: Giết người (đặc biệt nghiêm trọng)",
        "Vụ việc ngày 01/06/2026: Cướp tài sản (nghiêm trọng)",
    ]


def test_unknown_incident_kind_is_a_user_error():
    with pytest.raises(UserError, match="khong_co"):
        proposed_failures(CAT, "kdc", 2026, [Incident(date(2026, 1, 1), "khong_co")])


# --------------------------------------------------------------------------------------
# The result of one unit
# --------------------------------------------------------------------------------------


def test_assessment_result():
    codes = CAT.point_codes("kdc")
    all_met = dict.fromkeys(codes, True)
    assert assessment_result(codes, all_met).passed
    # Answers for codes outside the list are ignored.
    assert assessment_result(codes, all_met) == assessment_result(codes, {**all_met, "T9": False})

    one_unmet = assessment_result(codes, {**all_met, "4b": False})
    assert (one_unmet.passed, one_unmet.unmet, one_unmet.unanswered) == (False, ("4b",), ())

    missing = {c: True for c in codes if c != "1c"}
    outcome = assessment_result(codes, {**missing, "3đ": None, "5b": False})
    assert (outcome.passed, outcome.unmet, outcome.unanswered) == (False, ("5b",), ("1c", "3đ"))

    assert assessment_result(codes, {}).unanswered == codes


# --------------------------------------------------------------------------------------
# Counts and the ward's criterion 4
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("eligible", "needed"), [(25, 18), (10, 7), (1, 1), (3, 3), (0, 0), (100, 70), (7, 5), (2, 2), (4, 3)]
)
def test_required_count(eligible, needed):
    assert required_count(eligible) == needed


def test_required_count_other_shares_and_errors():
    assert required_count(20, 95) == 19
    assert required_count(20, 100) == 20
    assert required_count(20, 0) == 0
    for bad in ((-1, 70), (10, 101), (10, -5)):
        with pytest.raises(ValueError):
            required_count(*bad)


@FAST
@given(n=st.integers(min_value=0, max_value=10**9), share=st.integers(min_value=0, max_value=100))
def test_required_count_is_the_smallest_k_reaching_the_share(n, share):
    k = required_count(n, share)
    assert 100 * k >= share * n
    assert k == 0 or 100 * (k - 1) < share * n


def test_required_count_default_share_property():
    for n in range(0, 1001):
        k = required_count(n)
        assert 100 * k >= 70 * n and (k == 0 or 100 * (k - 1) < 70 * n)


def test_percent():
    assert percent(18, 25) == 72.0
    assert percent(0, 0) is None
    assert percent(1, 3) == pytest.approx(33.333, abs=1e-3)


def test_kind_counts_must_be_consistent():
    with pytest.raises(ValueError):
        KindCounts(eligible=5, registered=6, recognized=0)
    with pytest.raises(ValueError):
        KindCounts(eligible=5, registered=5, recognized=-1)


def test_ward_criterion_4_pooled_passes_where_per_kind_fails():
    counts = {
        "kdc": KindCounts(eligible=20, registered=20, recognized=18),
        "co_quan": KindCounts(eligible=5, registered=5, recognized=2),
    }
    pooled = ward_criterion_4(counts)
    assert pooled.met and pooled.all_registered and pooled.enough_recognized
    assert pooled.total == KindCounts(25, 25, 20) and pooled.required["tong"] == 18
    assert pooled.summary == (
        "Tiêu chí 4: Đạt. Đã đăng ký 25/25 (100,0%); được công nhận 20/25 (80,0%); "
        "cần ít nhất 18 (70%, tính chung các loại đơn vị)."
    )
    assert pooled.kind_lines["co_quan"] == (
        "Cơ quan: 5 đơn vị thuộc diện xét; đã đăng ký 5/5 (100,0%); được công nhận 2/5 (40,0%)."
    )

    per_kind = ward_criterion_4(counts, pooled=False)
    assert not per_kind.met and per_kind.all_registered and not per_kind.enough_recognized
    assert per_kind.required == {"kdc": 14, "co_quan": 4, "tong": 18}
    assert per_kind.kind_lines["kdc"].endswith("cần công nhận ít nhất 14 (70%): đạt.")
    assert per_kind.kind_lines["co_quan"].endswith("cần công nhận ít nhất 4 (70%): chưa đạt.")
    assert "chưa đủ ở: cơ quan" in per_kind.summary
    assert per_kind.lines == (per_kind.kind_lines["kdc"], per_kind.kind_lines["co_quan"], per_kind.summary)


def test_ward_criterion_4_needs_every_unit_registered():
    counts = {"kdc": KindCounts(20, 19, 19), "giao_duc": KindCounts(2, 2, 2)}
    for pooled in (True, False):
        result = ward_criterion_4(counts, pooled=pooled)
        assert not result.met and not result.all_registered and result.enough_recognized
    assert "còn 1 đơn vị chưa đăng ký" in result.kind_lines["kdc"]
    assert "chưa đủ 100%" in result.summary


def test_ward_criterion_4_exact_edge_and_empty_kinds():
    # 25 KDC: 18 recognised is exactly enough, 17 is not.
    assert ward_criterion_4({"kdc": KindCounts(25, 25, 18)}).met
    short = ward_criterion_4({"kdc": KindCounts(25, 25, 17)})
    assert not short.met and "còn thiếu 1" in short.summary
    # A kind with no eligible unit does not block the per-kind rule.
    counts = {"kdc": KindCounts(10, 10, 7), "doanh_nghiep": KindCounts(0, 0, 0)}
    result = ward_criterion_4(counts, pooled=False)
    assert result.met
    assert result.kind_lines["doanh_nghiep"] == "Doanh nghiệp: không có đơn vị thuộc diện xét."
    # Kinds come out in the catalogue order whatever the input order.
    shuffled = {"giao_duc": KindCounts(1, 1, 1), "kdc": KindCounts(1, 1, 1)}
    assert list(ward_criterion_4(shuffled).kind_lines) == ["kdc", "giao_duc"]
    assert ward_criterion_4({}).summary == "Tiêu chí 4: Đạt. Không có đơn vị nào thuộc diện xét."
    with pytest.raises(ValueError):
        ward_criterion_4({"xa_phuong": KindCounts(1, 1, 1)})


def test_ward_criterion_4_other_share():
    counts = {"kdc": KindCounts(20, 20, 18)}
    assert not ward_criterion_4(counts, share_percent=95).met
    assert ward_criterion_4({"kdc": KindCounts(20, 20, 19)}, share_percent=95).met
