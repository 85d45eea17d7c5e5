"""The rating levels of the Tổ bảo vệ ANTT, its period, and the catalogue point it feeds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from antq_desktop.domain.criteria import builtin_catalogues, load_catalogue
from antq_desktop.domain.forces import (
    ForceFigures,
    ForceKind,
    ForceLevel,
    MemberYear,
    birth_year_problem,
    holding_on,
    rating_period,
    rating_year,
    reference_day,
    role_rank,
    serving_between,
    serving_on,
    unit_problem,
    unmet_reason,
    year_figures,
)
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.resources import resource_path

BASE_FILE = resource_path("regulations") / "tt124-2021.json"


def test_four_levels_best_first_with_their_codes_and_labels():
    assert [(level.value, level.label) for level in ForceLevel] == [
        ("hoan_thanh_xuat_sac", "Hoàn thành xuất sắc nhiệm vụ"),
        ("hoan_thanh_tot", "Hoàn thành tốt nhiệm vụ"),
        ("hoan_thanh", "Hoàn thành nhiệm vụ"),
        ("khong_hoan_thanh", "Không hoàn thành nhiệm vụ"),
    ]
    assert [level.rank for level in ForceLevel] == [0, 1, 2, 3]
    assert ForceLevel("hoan_thanh") is ForceLevel.HOAN_THANH


def test_hoan_thanh_or_above_meets_criterion_5():
    assert [level.meets_criterion for level in ForceLevel] == [True, True, True, False]


def test_rating_period_runs_15_november_to_14_november():
    assert rating_period(2026) == (date(2025, 11, 15), date(2026, 11, 14))


@pytest.mark.parametrize(("day", "year"), [
    (date(2025, 11, 14), 2025), (date(2025, 11, 15), 2026), (date(2026, 1, 1), 2026),
    (date(2026, 11, 14), 2026), (date(2026, 12, 31), 2027),
])
def test_rating_year_of_a_day(day, year):
    assert rating_year(day) == year
    start, end = rating_period(year)
    assert start <= day <= end


def test_unmet_reason_only_below_hoan_thanh():
    assert unmet_reason(ForceLevel.KHONG_HOAN_THANH, 2026) == (
        "Tổ bảo vệ ANTT được đánh giá \u201cKhông hoàn thành nhiệm vụ\u201d năm 2026")
    assert [unmet_reason(level, 2026) for level in list(ForceLevel)[:3]] == [None, None, None]


# ---- the catalogue's "force_rating_point" ----------------------------------------------------------


def test_shipped_catalogues_feed_kdc_point_5a():
    for catalogue in builtin_catalogues():
        assert dict(catalogue.force_rating_points) == {"kdc": "5a"}
        assert "hoàn thành nhiệm vụ" in catalogue.point("kdc", "5a").text
        extended = catalogue.with_extra_criteria("kdc", [])
        assert dict(extended.force_rating_points) == {"kdc": "5a"}


def _write(tmp_path, data: dict, name: str):
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_the_key_is_optional(tmp_path):
    data = json.loads(BASE_FILE.read_text(encoding="utf-8"))
    del data["force_rating_point"]
    assert dict(load_catalogue(_write(tmp_path, data, "khong-co-khoa.json")).force_rating_points) == {}


@pytest.mark.parametrize(("value", "detail"), [
    ({"kdc": "9z"}, 'không có điểm "9z" trong kinds.kdc'),
    ({"huyen": "5a"}, 'loại đơn vị không biết "huyen"'),
    ({"co_quan": "4a"}, "không dùng được cho co_quan"),
    (["kdc", "5a"], "cần một đối tượng"),
])
def test_a_wrong_force_rating_point_names_the_file_and_the_key(tmp_path, value, detail):
    data = json.loads(BASE_FILE.read_text(encoding="utf-8"))
    data["force_rating_point"] = value
    with pytest.raises(UserError) as info:
        load_catalogue(_write(tmp_path, data, "tinh-sai.json"))
    message = info.value.message
    assert "tinh-sai.json" in message and "force_rating_point" in message and detail in message


# ---- the core forces: members, trainings, equipment ---------------------------------------------

TODAY = date(2026, 11, 22)


def test_each_force_belongs_to_its_kind_of_unit_with_a_clear_message():
    assert unit_problem(ForceKind.TO_BAO_VE, UnitKind.KDC) is None
    assert "khu dân cư" in unit_problem(ForceKind.TO_BAO_VE, None)
    assert unit_problem(ForceKind.TO_BAO_VE, UnitKind.CO_QUAN, "Trạm Y tế") == (
        '"Trạm Y tế" không phải khu dân cư: Tổ bảo vệ ANTT chỉ có ở khu dân cư.')
    for kind in (UnitKind.CO_QUAN, UnitKind.DOANH_NGHIEP, UnitKind.GIAO_DUC):
        assert unit_problem(ForceKind.BAO_VE_CO_QUAN, kind) is None
    assert "đổi loại lực lượng" in unit_problem(ForceKind.BAO_VE_CO_QUAN, UnitKind.KDC, "Tổ dân phố 1")
    assert "cơ quan, doanh nghiệp hoặc nhà trường" in unit_problem(ForceKind.BAO_VE_CO_QUAN, None)
    assert unit_problem(ForceKind.DAN_PHONG, None) is None
    assert "không chọn đơn vị" in unit_problem(ForceKind.DAN_PHONG, UnitKind.KDC)


def test_birth_year_between_18_and_100_years_old():
    assert birth_year_problem(None, 2026) is None
    assert birth_year_problem(2008, 2026) is None
    assert birth_year_problem(1926, 2026) is None
    assert "chưa đủ 18 tuổi" in birth_year_problem(2009, 2026)
    assert "hơn 100 tuổi" in birth_year_problem(1925, 2026)


def test_serving_and_holding_include_both_ends():
    joined, left = date(2026, 3, 1), date(2026, 6, 30)
    assert serving_on(joined, left, joined) and serving_on(joined, left, left)
    assert not serving_on(joined, left, date(2026, 2, 28)) and not serving_on(joined, left, date(2026, 7, 1))
    assert serving_on(None, None, date(2000, 1, 1))
    assert serving_between(None, date(2026, 1, 1), date(2026, 1, 1), date(2026, 12, 31))
    assert not serving_between(None, date(2025, 12, 31), date(2026, 1, 1), date(2026, 12, 31))
    assert not serving_between(date(2027, 1, 1), None, date(2026, 1, 1), date(2026, 12, 31))
    assert holding_on(date(2026, 1, 1), date(2026, 5, 1), date(2026, 5, 1))
    assert not holding_on(date(2026, 1, 1), date(2026, 5, 1), date(2026, 5, 2))
    assert not holding_on(date(2026, 1, 2), None, date(2026, 1, 1))


def test_reference_day_is_the_year_end_or_today():
    assert reference_day(2025, TODAY) == date(2025, 12, 31)
    assert reference_day(2026, TODAY) == TODAY
    assert reference_day(2027, TODAY) == date(2027, 1, 1)


def test_leaders_first():
    roles = ["Tổ viên", "Tổ phó", "Tổ trưởng", "Đội viên", "Phó Đội trưởng", "Đội trưởng", "Tổ trưởng bảo vệ"]
    assert sorted(roles, key=role_rank) == ["Tổ trưởng", "Đội trưởng", "Tổ trưởng bảo vệ", "Tổ phó",
                                            "Phó Đội trưởng", "Tổ viên", "Đội viên"]


def test_year_figures_by_hand_count():
    tbv, dp = ForceKind.TO_BAO_VE, ForceKind.DAN_PHONG
    members = [
        # trained in 2026 and holding an item today: counted, trained, equipped
        MemberYear(tbv, date(2020, 1, 1), None, (date(2026, 3, 18),), ((date(2025, 4, 10), None),)),
        # trained only in 2025, item returned in August: counted, neither
        MemberYear(tbv, None, None, (date(2025, 9, 1),), ((date(2025, 4, 10), date(2026, 8, 1)),)),
        # left on 30/06 and returned the item that day: counted, equipped on their last day
        MemberYear(tbv, None, date(2026, 6, 30), (), ((date(2025, 4, 10), date(2026, 6, 30)),)),
        # left in 2025: not a member of 2026
        MemberYear(tbv, None, date(2025, 12, 31), (date(2025, 3, 1),), ((date(2025, 4, 10), None),)),
        # dân phòng, joined in May, trained in September, nothing issued
        MemberYear(dp, date(2026, 5, 10), None, (date(2026, 9, 22),), ()),
        # joins after today: not yet a member
        MemberYear(dp, date(2026, 12, 1), None, (), ()),
    ]
    figures = year_figures(members, 2026, TODAY)
    assert figures[tbv] == ForceFigures(members=3, trained=1, equipped=2)
    assert figures[dp] == ForceFigures(members=1, trained=1, equipped=0)
    assert figures[ForceKind.BAO_VE_CO_QUAN] == ForceFigures()
    total = sum(figures.values(), ForceFigures())
    assert (total.members, total.trained, total.equipped) == (4, 2, 2)
    assert total.trained_pct == 50.0 and total.equipped_pct == 50.0
    assert ForceFigures().trained_pct is None
    # 2025 seen from its year end: the member who left on 31/12/2025 still held the item that day
    assert sum(year_figures(members, 2025, TODAY).values(), ForceFigures()) == ForceFigures(4, 2, 4)
