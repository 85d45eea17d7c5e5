"""The rating levels of the Tổ bảo vệ ANTT, its period, and the catalogue point it feeds."""

from __future__ import annotations

import json
from datetime import date

import pytest

from antq_desktop.domain.criteria import builtin_catalogues, load_catalogue
from antq_desktop.domain.forces import (
    ForceLevel,
    rating_period,
    rating_year,
    unmet_reason,
)
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
