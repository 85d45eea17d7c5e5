"""The yearly rating of each residential group's Tổ bảo vệ ANTT, and how it feeds criterion 5."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from types import MappingProxyType

import pytest

from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.criteria import catalogue_by_code
from antq_desktop.domain.forces import ForceLevel
from antq_desktop.errors import UserError
from antq_desktop.services import antt, antt_assessment, forces, units
from tests.services.antt_helpers import ACTOR, YEAR, AnttWard

KDC = "Tổ dân phố 3"
REASON = "Tổ bảo vệ ANTT được đánh giá \u201cKhông hoàn thành nhiệm vụ\u201d năm 2026"


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _rate(ward: AnttWard, name: str, level: ForceLevel | None, note: str = "", year: int = YEAR, **kwargs) -> None:
    ward.ward_call(forces.set_force_rating, year, ward.unit_id(name), level, note, ACTOR, **kwargs)


def _rows(ward: AnttWard, year: int = YEAR) -> list[forces.ForceRatingRow]:
    return ward.ward_call(forces.force_ratings, year)


def _row(ward: AnttWard, name: str, year: int = YEAR) -> forces.ForceRatingRow:
    (found,) = [row for row in _rows(ward, year) if row.name == name]
    return found


def _refused(ward: AnttWard, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        _rate(ward, *args, **kwargs)
    return info.value.message


# ---- the year's list ---------------------------------------------------------------------------


def test_lists_every_residential_group_in_vietnamese_order_unrated(ward):
    rows = _rows(ward)
    assert [row.name for row in rows] == [f"Tổ dân phố {n}" for n in range(1, 21)]
    assert all((row.level, row.note, row.version) == (None, "", None) for row in rows)
    assert rows[0].expected_version == forces.NO_RATING


def test_rate_change_and_remove(ward):
    _rate(ward, KDC, ForceLevel.HOAN_THANH_TOT, "  Tổ có 5 thành viên,\u00a0đủ trang bị ")
    row = _row(ward, KDC)
    assert (row.level, row.note, row.version) == (ForceLevel.HOAN_THANH_TOT, "Tổ có 5 thành viên, đủ trang bị", 1)
    assert ward.call(forces.force_rating, row.unit_id, YEAR) is ForceLevel.HOAN_THANH_TOT
    (stamps,) = ward.raw("SELECT created_by, updated_by, level FROM force_rating")
    assert tuple(stamps) == (ACTOR, ACTOR, "hoan_thanh_tot")

    _rate(ward, KDC, ForceLevel.HOAN_THANH, "", expected_version=1)
    row = _row(ward, KDC)
    assert (row.level, row.note, row.version) == (ForceLevel.HOAN_THANH, "", 2)

    _rate(ward, KDC, None, expected_version=2)
    assert _row(ward, KDC).level is None
    assert ward.call(forces.force_rating, row.unit_id, YEAR) is None
    assert ward.scalar("SELECT count(*) FROM force_rating") == 0


def test_ratings_are_kept_per_year(ward):
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH, year=2025)
    _rate(ward, KDC, ForceLevel.HOAN_THANH_XUAT_SAC, year=2026)
    assert _row(ward, KDC, 2025).level is ForceLevel.KHONG_HOAN_THANH
    assert _row(ward, KDC, 2026).level is ForceLevel.HOAN_THANH_XUAT_SAC
    assert _row(ward, KDC, 2027).level is None


def test_removing_a_missing_rating_does_nothing(ward):
    _rate(ward, KDC, None)
    assert ward.scalar("SELECT count(*) FROM force_rating") == 0


def test_counts_per_level(ward):
    for name, level in (("Tổ dân phố 1", ForceLevel.HOAN_THANH_XUAT_SAC), ("Tổ dân phố 2", ForceLevel.HOAN_THANH),
                        ("Tổ dân phố 4", ForceLevel.HOAN_THANH), ("Tổ dân phố 5", ForceLevel.KHONG_HOAN_THANH)):
        _rate(ward, name, level)
    counts = ward.ward_call(forces.rating_counts, YEAR)
    assert counts.by_level == {ForceLevel.HOAN_THANH_XUAT_SAC: 1, ForceLevel.HOAN_THANH_TOT: 0,
                               ForceLevel.HOAN_THANH: 2, ForceLevel.KHONG_HOAN_THANH: 1}
    assert (counts.unrated, counts.total, counts.meeting_criterion) == (16, 20, 3)


# ---- what is refused ------------------------------------------------------------------------------


def test_only_residential_groups_are_rated(ward):
    message = _refused(ward, "Trường THCS Minh Xuân", ForceLevel.HOAN_THANH)
    assert message == ('"Trường THCS Minh Xuân" không phải khu dân cư: chỉ Tổ bảo vệ ANTT của khu dân cư '
                       "được đánh giá theo mức ở đây.")
    assert ward.scalar("SELECT count(*) FROM force_rating") == 0


def test_unknown_unit_or_year(ward):
    with pytest.raises(UserError, match="Không tìm thấy đơn vị này"):
        ward.ward_call(forces.set_force_rating, YEAR, 99999, ForceLevel.HOAN_THANH, "", ACTOR)
    with pytest.raises(UserError, match="Không tìm thấy đơn vị này"):
        ward.call(forces.set_force_rating, ward.ward_id + 1, YEAR, ward.unit_id(KDC), ForceLevel.HOAN_THANH, "", ACTOR)
    assert "Năm 1999 không hợp lệ" in _refused(ward, KDC, ForceLevel.HOAN_THANH, year=1999)
    with pytest.raises(UserError, match="Năm 2101 không hợp lệ"):
        ward.ward_call(forces.force_ratings, 2101)


def test_a_note_needs_a_level(ward):
    assert "hãy chọn mức đánh giá trước" in _refused(ward, KDC, None, "Chưa họp đánh giá")


def test_version_conflicts_are_refused(ward):
    _rate(ward, KDC, ForceLevel.HOAN_THANH, expected_version=forces.NO_RATING)
    # someone rated it after this user saw it unrated
    assert "người khác sửa" in _refused(ward, KDC, ForceLevel.HOAN_THANH_TOT, expected_version=forces.NO_RATING)
    _rate(ward, KDC, ForceLevel.HOAN_THANH_TOT, expected_version=1)
    # this user still holds version 1
    assert "người khác sửa" in _refused(ward, KDC, ForceLevel.KHONG_HOAN_THANH, expected_version=1)
    _rate(ward, KDC, None, expected_version=2)
    # someone removed it meanwhile
    assert "người khác sửa" in _refused(ward, KDC, ForceLevel.HOAN_THANH, expected_version=2)
    assert _row(ward, KDC).level is None


def test_an_inactive_group_keeps_its_rating_but_gets_no_new_one(ward):
    _rate(ward, "Tổ dân phố 1", ForceLevel.HOAN_THANH)
    for name in ("Tổ dân phố 1", "Tổ dân phố 2"):
        ward.call(units.dissolve_unit, ward.unit_id(name), date(2026, 7, 1), "Sáp nhập địa giới", ACTOR)
    names = [row.name for row in _rows(ward)]
    assert "Tổ dân phố 1" in names and "Tổ dân phố 2" not in names
    _rate(ward, "Tổ dân phố 1", ForceLevel.HOAN_THANH_TOT)  # a correction is still possible
    assert _row(ward, "Tổ dân phố 1").level is ForceLevel.HOAN_THANH_TOT
    assert "không còn hoạt động" in _refused(ward, "Tổ dân phố 2", ForceLevel.HOAN_THANH)


# ---- the rating feeds criterion 5 of the assessment ------------------------------------------------


def _proposed(ward: AnttWard, record_id: int) -> dict[str, tuple[str, ...]]:
    return {point.code: point.proposed_unmet for point in ward.view(record_id).points if point.proposed_unmet}


def test_a_group_rated_khong_hoan_thanh_gets_the_proposal_on_5a(ward):
    record_id = ward.register(KDC)
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH)
    assert _proposed(ward, record_id) == {"5a": (REASON,)}


@pytest.mark.parametrize("level", [ForceLevel.HOAN_THANH_XUAT_SAC, ForceLevel.HOAN_THANH_TOT, ForceLevel.HOAN_THANH])
def test_a_group_rated_hoan_thanh_or_above_gets_no_proposal(ward, level):
    record_id = ward.register(KDC)
    _rate(ward, KDC, level)
    assert _proposed(ward, record_id) == {}


def test_only_the_rating_of_the_records_year_and_unit_counts(ward):
    record_id = ward.register(KDC)
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH, year=YEAR - 1)
    _rate(ward, "Tổ dân phố 4", ForceLevel.KHONG_HOAN_THANH)
    assert _proposed(ward, record_id) == {}


def test_the_proposals_keep_the_point_order(ward):
    record_id = ward.register(KDC)
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH)
    data = antt.IncidentInput(occurred_on=date(2026, 5, 12), kind_code="toi_pham",
                              severity=CrimeSeverity.NGHIEM_TRONG, summary="Cố ý gây thương tích")
    ward.ward_call(antt.add_incident, ward.unit_id(KDC), data, ACTOR)
    assert list(_proposed(ward, record_id)) == ["4b", "5a"]


def test_the_older_catalogue_feeds_5a_too(ward):
    record_id = ward.register(KDC, year=2024, registered_on=date(2024, 3, 10))
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH, year=2024)
    assert ward.view(record_id).catalogue_title == "Thông tư 124/2021/TT-BCA"
    assert _proposed(ward, record_id) == {"5a": (REASON.replace("2026", "2024"),)}


def test_the_point_is_catalogue_data(ward, monkeypatch):
    record_id = ward.register(KDC)
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH)

    def without_the_key(code):
        return replace(catalogue_by_code(code), force_rating_points=MappingProxyType({}))

    monkeypatch.setattr(antt_assessment, "catalogue_by_code", without_the_key)
    assert _proposed(ward, record_id) == {}


def test_marking_5a_met_against_the_rating_needs_a_reason(ward):
    record_id = ward.register(KDC)
    _rate(ward, KDC, ForceLevel.KHONG_HOAN_THANH)
    with pytest.raises(UserError) as info:
        ward.assess(record_id)
    assert "5a" in info.value.message and REASON in info.value.message and "lý do" in info.value.message
    assert ward.assess(record_id, reasons={"5a": "Tổ đã được kiện toàn, đánh giá lại"}).passed
    assert not ward.assess(record_id, failing=["5a"]).passed
