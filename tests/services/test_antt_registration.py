"""Registration for the "An toàn về ANTT" standard, the year's table and the incident register, on real databases."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from antq_desktop.domain import vntext
from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.units import SchoolLevel, UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import antt, antt_assessment
from antq_desktop.services import units as unit_service
from antq_desktop.services.antt import IncidentInput, RegistrationInput
from tests.services.antt_helpers import ACTOR, REGISTERED_ON, YEAR, AnttWard

ELIGIBLE_ON_DEMO = 54


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _records(ward: AnttWard, year: int | None = None) -> int:
    if year is None:
        return ward.scalar("SELECT count(*) FROM antt_record")
    return ward.scalar("SELECT count(*) FROM antt_record WHERE year = :year", year=year)


def _dissolve(ward: AnttWard, name: str, on: date = date(2026, 6, 1)) -> None:
    ward.call(unit_service.dissolve_unit, ward.unit_id(name), on, "Giải thể theo nghị quyết", ACTOR)


def _change_unit(ward: AnttWard, name: str, **changes) -> None:
    unit_id = ward.unit_id(name)
    data = ward.call(unit_service.get_unit, unit_id).as_input()
    ward.call(unit_service.update_unit, unit_id, replace(data, **changes), ACTOR)


# ---- register_unit ----------------------------------------------------------------------------


def test_register_unit_stores_the_papers_and_the_catalogue_in_force(ward):
    record_id = ward.register("Tổ dân phố 3", registered_on=date(2026, 2, 20),
                              resolution_ref="  Nghị quyết số 02-NQ/CB ", plan_ref="Kế hoạch số 05/KH",
                              registration_ref="Bản đăng ký ngày 20/02/2026", households_registered=210,
                              households_total=210, note="Ghi chú")
    stored = ward.call(antt.get_registration, record_id)
    assert (stored.registered_on, stored.resolution_ref, stored.plan_ref, stored.registration_ref) == (
        date(2026, 2, 20), "Nghị quyết số 02-NQ/CB", "Kế hoạch số 05/KH", "Bản đăng ký ngày 20/02/2026")
    assert (stored.households_registered, stored.households_total, stored.note) == (210, 210, "Ghi chú")
    assert (stored.unit_id, stored.year, stored.stage, stored.version) == (ward.unit_id("Tổ dân phố 3"), YEAR,
                                                                          Stage.REGISTERED, 1)
    assert ward.scalar("SELECT catalogue_code FROM antt_record WHERE id = :id", id=record_id) == \
        "tt124-2021-sua-doi-tt48-2025"
    row = ward.row("Tổ dân phố 3")
    assert (row.record_id, row.stage, row.registered_on, row.registered_late) == (
        record_id, Stage.REGISTERED, date(2026, 2, 20), False)


def test_a_year_before_the_amendment_keeps_the_original_catalogue(ward):
    record_id = ward.register("Tổ dân phố 3", year=2024, registered_on=date(2024, 3, 1))
    assert ward.scalar("SELECT catalogue_code FROM antt_record WHERE id = :id", id=record_id) == "tt124-2021"


def test_household_counts_are_kept_only_for_a_residential_group(ward):
    record_id = ward.register("Trạm Y tế phường Minh Xuân", households_registered=5, households_total=10)
    stored = ward.call(antt.get_registration, record_id)
    assert (stored.households_registered, stored.households_total) == (None, None)


@pytest.mark.parametrize(
    "name",
    ["Ban Chỉ huy Quân sự phường Minh Xuân", "Công ty TNHH Thương mại Ánh Dương", "Trường Mầm non Hoa Sen",
     "Trường Tiểu học Minh Xuân"],
    ids=["armed-forces", "small-enterprise", "preschool", "primary"],
)
def test_ineligible_units_cannot_register(ward, name):
    with pytest.raises(UserError, match="không thuộc diện"):
        ward.register(name)
    assert _records(ward) == 0


def test_a_nursery_cannot_register(ward):
    _change_unit(ward, "Trường THCS Phan Thiết", school_level=SchoolLevel.NHA_TRE)
    with pytest.raises(UserError, match="không thuộc diện"):
        ward.register("Trường THCS Phan Thiết")
    assert _records(ward) == 0


@pytest.mark.parametrize("retire", ["merge", "dissolve"])
def test_retired_units_cannot_register(ward, retire):
    if retire == "merge":
        ward.call(unit_service.merge_unit, ward.unit_id("Tổ dân phố 4"), ward.unit_id("Tổ dân phố 5"),
                  date(2026, 1, 15), ACTOR)
    else:
        _dissolve(ward, "Tổ dân phố 4", date(2026, 1, 15))
    with pytest.raises(UserError, match="không còn hoạt động"):
        ward.register("Tổ dân phố 4")
    assert _records(ward) == 0


def test_a_unit_registers_once_a_year(ward):
    first = ward.register("Tổ dân phố 3")
    with pytest.raises(UserError, match="đã đăng ký năm 2026"):
        ward.register("Tổ dân phố 3", registered_on=date(2026, 3, 20))
    assert _records(ward) == 1
    assert ward.call(antt.get_registration, first).registered_on == REGISTERED_ON
    ward.register("Tổ dân phố 3", year=2027, registered_on=date(2027, 1, 5))  # another year is fine
    assert _records(ward) == 2


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2027, 1, 1), date(2020, 3, 1)])
def test_registration_date_outside_the_previous_and_the_same_year_is_refused(ward, day):
    with pytest.raises(UserError, match="không thuộc năm 2026"):
        ward.register("Tổ dân phố 3", registered_on=day)
    assert _records(ward) == 0


@pytest.mark.parametrize("day", [date(2025, 1, 1), date(2025, 12, 15), date(2026, 12, 31)])
def test_registration_dates_in_the_previous_or_the_same_year_are_accepted(ward, day):
    ward.register("Tổ dân phố 3", registered_on=day)
    assert ward.row("Tổ dân phố 3").registered_on == day


@pytest.mark.parametrize(("registered", "total"), [(201, 200), (0, 0), (5, 0), (-1, 10)],
                         ids=["more-than-total", "zero-total", "some-of-zero", "negative"])
def test_impossible_household_counts_are_refused(ward, registered, total):
    with pytest.raises(UserError, match="Số hộ đăng ký"):
        ward.register("Tổ dân phố 3", households_registered=registered, households_total=total)
    assert _records(ward) == 0


@pytest.mark.parametrize(("registered", "total"), [(None, 0), (-5, None), (None, -3)],
                         ids=["zero-total-alone", "negative-registered-alone", "negative-total-alone"])
def test_impossible_household_counts_are_refused_when_given_alone(ward, registered, total):
    """A count given without the other is checked all the same (the unit register refuses negative counts too)."""
    with pytest.raises(UserError, match="hộ"):
        ward.register("Tổ dân phố 3", households_registered=registered, households_total=total)
    assert _records(ward) == 0


def test_refused_registration_of_a_unit_not_in_the_ward(ward):
    with pytest.raises(UserError, match="Không tìm thấy đơn vị"):
        ward.ward_call(antt.register_unit, 99999, YEAR, RegistrationInput(REGISTERED_ON), ACTOR)


@pytest.mark.parametrize("year", [1999, 2101])
def test_absurd_years_are_refused(ward, year):
    with pytest.raises(UserError, match=f"Năm {year}"):
        ward.ward_call(antt.register_unit, ward.unit_id("Tổ dân phố 3"), year,
                       RegistrationInput(date(year, 1, 1)), ACTOR)


# ---- registration_warnings ----------------------------------------------------------------------


def test_registration_by_31_march_has_no_warning():
    data = RegistrationInput(date(2026, 3, 31), households_registered=200, households_total=200)
    assert antt.registration_warnings(UnitKind.KDC, data, YEAR) == []


def test_registration_after_quarter_one_is_late():
    (warning,) = antt.registration_warnings(UnitKind.CO_QUAN, RegistrationInput(date(2026, 4, 1)), YEAR)
    assert "Quý I" in warning and "31/03/2026" in warning


def test_not_every_household_registered_is_warned():
    data = RegistrationInput(date(2026, 3, 1), households_registered=190, households_total=200)
    (warning,) = antt.registration_warnings(UnitKind.KDC, data, YEAR)
    assert "190/200" in warning and "100%" in warning


def test_late_and_incomplete_give_two_warnings_and_households_count_only_for_kdc():
    data = RegistrationInput(date(2026, 5, 2), households_registered=10, households_total=200)
    assert len(antt.registration_warnings(UnitKind.KDC, data, YEAR)) == 2
    assert len(antt.registration_warnings(UnitKind.DOANH_NGHIEP, data, YEAR)) == 1


def test_a_late_registration_is_accepted_and_flagged_in_the_table(ward):
    ward.register("Tổ dân phố 3", registered_on=date(2026, 4, 2))
    assert ward.row("Tổ dân phố 3").registered_late is True
    ward.register("Tổ dân phố 4", registered_on=date(2026, 3, 31))
    assert ward.row("Tổ dân phố 4").registered_late is False


# ---- update and cancel --------------------------------------------------------------------------


def test_update_registration_with_the_current_version(ward):
    record_id = ward.register("Tổ dân phố 3")
    version = ward.call(antt.get_registration, record_id).version
    ward.call(antt.update_registration, record_id, RegistrationInput(date(2026, 3, 2), plan_ref="KH 07"), ACTOR,
              expected_version=version)
    stored = ward.call(antt.get_registration, record_id)
    assert (stored.registered_on, stored.plan_ref, stored.version) == (date(2026, 3, 2), "KH 07", version + 1)


def test_update_registration_with_a_stale_version_is_refused(ward):
    record_id = ward.register("Tổ dân phố 3")
    opened = ward.call(antt.get_registration, record_id).version
    ward.call(antt.update_registration, record_id, RegistrationInput(date(2026, 3, 2), plan_ref="người khác"),
              ACTOR, expected_version=opened)
    with pytest.raises(UserError, match="người khác sửa"):
        ward.call(antt.update_registration, record_id, RegistrationInput(date(2026, 3, 3), plan_ref="của tôi"),
                  ACTOR, expected_version=opened)
    stored = ward.call(antt.get_registration, record_id)
    assert (stored.registered_on, stored.plan_ref) == (date(2026, 3, 2), "người khác")


def test_update_registration_checks_like_register(ward):
    record_id = ward.register("Tổ dân phố 3")
    with pytest.raises(UserError, match="Số hộ đăng ký"):
        ward.call(antt.update_registration, record_id,
                  RegistrationInput(REGISTERED_ON, households_registered=300, households_total=200), ACTOR)
    with pytest.raises(UserError, match="không thuộc năm 2026"):
        ward.call(antt.update_registration, record_id, RegistrationInput(date(2027, 1, 2)), ACTOR)
    assert ward.call(antt.get_registration, record_id).version == 1


def test_cancel_a_registration_at_stage_registered(ward):
    record_id = ward.register("Tổ dân phố 3")
    ward.call(antt.cancel_registration, record_id)
    assert _records(ward) == 0
    assert ward.row("Tổ dân phố 3").stage is None


def test_cancel_removes_partial_answers_too(ward):
    record_id = ward.register("Tổ dân phố 3")
    first = ward.answers(record_id)[0]
    ward.call(antt_assessment.save_assessment, record_id, antt_assessment.MeetingInput(), [first], ACTOR)
    assert ward.scalar("SELECT count(*) FROM antt_point_result") == 1
    ward.call(antt.cancel_registration, record_id)
    assert (_records(ward), ward.scalar("SELECT count(*) FROM antt_point_result")) == (0, 0)


def test_cancel_after_the_review_meeting_is_refused(ward):
    record_id = ward.register("Tổ dân phố 3")
    ward.assess(record_id)
    with pytest.raises(UserError, match="không huỷ đăng ký"):
        ward.call(antt.cancel_registration, record_id)
    assert ward.row("Tổ dân phố 3").stage is Stage.ASSESSED


# ---- register_all_eligible --------------------------------------------------------------------------


def test_register_all_eligible_registers_the_54_eligible_units_once(ward):
    assert ward.register_all() == ELIGIBLE_ON_DEMO
    rows = ward.overview()
    assert {row.name for row in rows if row.stage is Stage.REGISTERED} == {row.name for row in rows if row.eligible}
    assert all(row.stage is None for row in rows if not row.eligible)
    assert {row.registered_on for row in rows if row.record_id} == {REGISTERED_ON}
    assert ward.register_all() == 0
    assert _records(ward) == ELIGIBLE_ON_DEMO


def test_register_all_eligible_keeps_registrations_made_before(ward):
    first = ward.register("Tổ dân phố 3", registered_on=date(2026, 1, 20), plan_ref="KH 01")
    _dissolve(ward, "Tổ dân phố 4")
    assert ward.register_all() == ELIGIBLE_ON_DEMO - 2
    assert ward.call(antt.get_registration, first).plan_ref == "KH 01"
    assert ward.row("Tổ dân phố 3").registered_on == date(2026, 1, 20)
    assert "Tổ dân phố 4" not in {row.name for row in ward.overview()}


# ---- carry_over ------------------------------------------------------------------------------


def test_carry_over_copies_last_years_papers(ward):
    ward.register("Tổ dân phố 3", year=2025, registered_on=date(2025, 2, 14), resolution_ref="NQ 01",
                  plan_ref="KH 02", registration_ref="BĐK 03", households_registered=180, households_total=200)
    ward.register("Trường THPT Tân Trào", year=2025, registered_on=date(2025, 3, 5), plan_ref="KH trường")
    assert ward.ward_call(antt.carry_over, YEAR, ACTOR) == 2
    copied = ward.call(antt.get_registration, ward.record_id("Tổ dân phố 3"))
    assert (copied.registered_on, copied.resolution_ref, copied.plan_ref, copied.registration_ref) == (
        date(2026, 2, 14), "NQ 01", "KH 02", "BĐK 03")
    assert (copied.households_registered, copied.households_total, copied.year) == (180, 200, YEAR)
    assert ward.row("Trường THPT Tân Trào").registered_on == date(2026, 3, 5)
    assert _records(ward, YEAR) == 2
    assert _records(ward, 2025) == 2  # last year's records are left as they were


def test_carry_over_skips_units_registered_already_and_ineligible_and_retired_ones(ward):
    for name in ("Tổ dân phố 3", "Tổ dân phố 4", "Tổ dân phố 6", "Công ty Cổ phần Giấy An Hòa", "Trạm Y tế phường Minh Xuân"):
        ward.register(name, year=2025, registered_on=date(2025, 3, 1), plan_ref="KH cũ")
    ward.register("Tổ dân phố 3", registered_on=date(2026, 1, 9), plan_ref="KH mới")
    _change_unit(ward, "Công ty Cổ phần Giấy An Hòa", is_small_or_micro=True)  # now ineligible
    _dissolve(ward, "Tổ dân phố 6", date(2025, 12, 1))
    assert ward.ward_call(antt.carry_over, YEAR, ACTOR) == 2
    assert ward.call(antt.get_registration, ward.record_id("Tổ dân phố 3")).plan_ref == "KH mới"
    registered = {row.name for row in ward.overview() if row.record_id}
    assert registered == {"Tổ dân phố 3", "Tổ dân phố 4", "Trạm Y tế phường Minh Xuân"}
    assert ward.ward_call(antt.carry_over, YEAR, ACTOR) == 0


def test_carry_over_of_29_february_gives_28_february(ward):
    ward.register("Tổ dân phố 3", year=2024, registered_on=date(2024, 2, 29))
    assert ward.ward_call(antt.carry_over, 2025, ACTOR) == 1
    assert ward.row("Tổ dân phố 3", 2025).registered_on == date(2025, 2, 28)


def test_carry_over_of_a_registration_made_the_december_before_stays_in_december_before(ward):
    """A 2025 registration made on 15/12/2024 becomes one made on 15/12/2025 for 2026: the
    same day one year on, before Quarter I, not 15/12/2026 (after the year's evaluation)."""
    ward.register("Tổ dân phố 3", year=2025, registered_on=date(2024, 12, 15))
    assert ward.ward_call(antt.carry_over, YEAR, ACTOR) == 1
    row = ward.row("Tổ dân phố 3")
    assert row.registered_on == date(2025, 12, 15)
    assert row.registered_late is False


def test_carry_over_with_nothing_last_year_adds_nothing(ward):
    assert ward.ward_call(antt.carry_over, YEAR, ACTOR) == 0
    assert _records(ward) == 0


# ---- year_overview ---------------------------------------------------------------------------


def test_year_overview_lists_every_active_unit_in_vietnamese_order(ward):
    rows = ward.overview()
    names = [row.name for row in rows]
    assert len(names) == 68
    assert names == sorted(names, key=vntext.sort_key)
    assert names.index("Tổ dân phố 2") < names.index("Tổ dân phố 10")
    assert names.index("Doanh nghiệp tư nhân Vàng bạc Kim Thành") < names.index("Đảng ủy phường Minh Xuân")
    assert sum(row.eligible for row in rows) == ELIGIBLE_ON_DEMO
    assert all(row.record_id is None and row.stage is None and row.passed is None for row in rows)
    ineligible = {row.name: row.ineligible_reason for row in rows if not row.eligible}
    assert ineligible["Ban Chỉ huy Quân sự phường Minh Xuân"] == "Cơ quan thuộc lực lượng vũ trang"


def test_year_overview_keeps_a_unit_dissolved_after_registering_that_year_only(ward):
    ward.register("Tổ dân phố 3")
    _dissolve(ward, "Tổ dân phố 3")
    _dissolve(ward, "Tổ dân phố 4")
    names = [row.name for row in ward.overview()]
    assert "Tổ dân phố 3" in names and "Tổ dân phố 4" not in names
    assert len(names) == 67
    assert "Tổ dân phố 3" not in [row.name for row in ward.overview(2027)]


def test_year_overview_of_one_kind(ward):
    rows = ward.overview(kind=UnitKind.GIAO_DUC)
    assert [row.name for row in rows] == [
        "Trường Cao đẳng Kỹ thuật Tuyên Quang", "Trường Mầm non Hoa Sen", "Trường Mầm non Minh Xuân",
        "Trường THCS Minh Xuân", "Trường THCS Phan Thiết", "Trường THPT Tân Trào", "Trường Tiểu học Minh Xuân",
        "Trường Tiểu học Phan Thiết",
    ]
    assert {row.kind for row in rows} == {UnitKind.GIAO_DUC}
    assert sum(row.eligible for row in rows) == 4
    assert len(ward.overview(kind=UnitKind.KDC)) == 20


# ---- incidents -------------------------------------------------------------------------------


def _incident(ward: AnttWard, name: str, day: date, kind: str = "toi_pham", **fields) -> int:
    data = IncidentInput(occurred_on=day, kind_code=kind, **fields)
    return ward.ward_call(antt.add_incident, ward.unit_id(name), data, ACTOR)


def test_add_incident_and_read_it_back(ward):
    incident_id = _incident(ward, "Tổ dân phố 3", date(2026, 5, 12), severity=CrimeSeverity.NGHIEM_TRONG,
                            force_majeure=False, reported_in_time=True, summary=" Cố ý gây thương tích ")
    (row,) = ward.call(antt.unit_incidents, ward.unit_id("Tổ dân phố 3"))
    assert row == antt.IncidentRow(occurred_on=date(2026, 5, 12), kind_code="toi_pham",
                                   severity=CrimeSeverity.NGHIEM_TRONG, force_majeure=False, reported_in_time=True,
                                   summary="Cố ý gây thương tích", id=incident_id,
                                   unit_id=ward.unit_id("Tổ dân phố 3"))


@pytest.mark.parametrize("kind", ["", "trom_cap", "TOI_PHAM"])
def test_incident_of_an_unknown_kind_is_refused(ward, kind):
    with pytest.raises(UserError, match="loại vụ việc"):
        _incident(ward, "Tổ dân phố 3", date(2026, 5, 12), kind=kind)
    assert ward.scalar("SELECT count(*) FROM incident") == 0


def test_incident_in_the_future_is_refused(ward):
    with pytest.raises(UserError, match="tương lai"):
        _incident(ward, "Tổ dân phố 3", date.today() + timedelta(days=1))
    assert ward.scalar("SELECT count(*) FROM incident") == 0
    _incident(ward, "Tổ dân phố 3", date.today())  # today is fine


def test_unit_incidents_between_bounds_included_in_date_order(ward):
    days = [date(2025, 10, 31), date(2026, 7, 4), date(2025, 11, 1), date(2026, 10, 31), date(2026, 11, 1)]
    for day in days:
        _incident(ward, "Tổ dân phố 3", day, kind="tranh_chap_keo_dai")
    _incident(ward, "Tổ dân phố 4", date(2026, 1, 1), kind="tranh_chap_keo_dai")
    unit_id = ward.unit_id("Tổ dân phố 3")
    inside = ward.call(antt.unit_incidents, unit_id, date(2025, 11, 1), date(2026, 10, 31))
    assert [row.occurred_on for row in inside] == [date(2025, 11, 1), date(2026, 7, 4), date(2026, 10, 31)]
    assert [row.occurred_on for row in ward.call(antt.unit_incidents, unit_id)] == sorted(days)
    assert len(ward.call(antt.unit_incidents, unit_id, start=date(2026, 10, 31))) == 2
    assert len(ward.call(antt.unit_incidents, unit_id, end=date(2025, 10, 31))) == 1


def test_delete_incidents(ward):
    first = _incident(ward, "Tổ dân phố 3", date(2026, 5, 12))
    second = _incident(ward, "Tổ dân phố 3", date(2026, 6, 1))
    kept = _incident(ward, "Tổ dân phố 3", date(2026, 7, 1))
    ward.call(antt.delete_incidents, [first, second, 999_999])  # an id already gone is skipped
    assert [row.id for row in ward.call(antt.unit_incidents, ward.unit_id("Tổ dân phố 3"))] == [kept]


def test_each_demo_kind_has_eligible_units_in_the_table(ward):
    counts = {kind: sum(1 for row in ward.overview(kind=kind) if row.eligible) for kind in UnitKind}
    assert counts == {UnitKind.KDC: 20, UnitKind.CO_QUAN: 14, UnitKind.DOANH_NGHIEP: 16, UnitKind.GIAO_DUC: 4}
    assert sum(counts.values()) == ELIGIBLE_ON_DEMO
