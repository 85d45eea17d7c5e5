"""The review meeting of a unit (every criterion point met or not) and the proposal, on real databases."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.criteria import catalogue_by_code
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import antt, antt_assessment
from antq_desktop.services.antt_assessment import MeetingInput, PointAnswer
from tests.services.antt_helpers import ACTOR, MEETING_ON, PROPOSED_ON, AnttWard

CATALOGUE = catalogue_by_code("tt124-2021-sua-doi-tt48-2025")
KDC, AGENCY, ENTERPRISE, SCHOOL = ("Tổ dân phố 3", "Trạm Y tế phường Minh Xuân", "Công ty Cổ phần Giấy An Hòa",
                                   "Trường THCS Minh Xuân")
EXTRAS = {"kdc": [{"title": "Tiêu chí của tỉnh", "text": "Giữ gìn vệ sinh môi trường",
                   "points": ["Không có điểm tập kết rác tự phát", "100% hộ ký cam kết"]}]}


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _incident(ward: AnttWard, name: str, day: date, kind: str = "toi_pham",
              severity: CrimeSeverity | None = CrimeSeverity.NGHIEM_TRONG, **fields) -> None:
    data = antt.IncidentInput(occurred_on=day, kind_code=kind, severity=severity, **fields)
    ward.ward_call(antt.add_incident, ward.unit_id(name), data, ACTOR)


def _proposed(ward: AnttWard, record_id: int) -> dict[str, tuple[str, ...]]:
    return {point.code: point.proposed_unmet for point in ward.view(record_id).points if point.proposed_unmet}


def _stored(ward: AnttWard, record_id: int) -> dict:
    rows = ward.raw("SELECT point_code, met, override_reason FROM antt_point_result WHERE record_id = :id",
                    id=record_id)
    return {code: (None if met is None else bool(met), reason) for code, met, reason in rows}


def _record_row(ward: AnttWard, record_id: int):
    (row,) = ward.raw("SELECT stage, passed, meeting_on, version, extra_criteria FROM antt_record WHERE id = :id",
                      id=record_id)
    return row


def _save(ward: AnttWard, record_id: int, answers, meeting_on: date | None = MEETING_ON, **kwargs):
    return ward.call(antt_assessment.save_assessment, record_id, MeetingInput(meeting_on, "Nhà văn hóa"), answers,
                     ACTOR, **kwargs)


# ---- the points of a unit ------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), [(KDC, UnitKind.KDC), (AGENCY, UnitKind.CO_QUAN),
                                            (ENTERPRISE, UnitKind.DOANH_NGHIEP), (SCHOOL, UnitKind.GIAO_DUC)])
def test_assessment_lists_every_point_of_the_kind_in_catalogue_order(ward, name, kind):
    view = ward.view(ward.register(name))
    assert (view.unit_name, view.kind, view.year, view.stage, view.passed) == (name, kind, 2026, Stage.REGISTERED,
                                                                               None)
    assert view.catalogue_title == CATALOGUE.short_title
    assert [point.code for point in view.points] == list(CATALOGUE.point_codes(kind.value))
    assert [criterion.number for criterion in view.criteria] == [c.number for c in CATALOGUE.criteria(kind.value)]
    assert [point.text for point in view.points] == [p.text for c in CATALOGUE.criteria(kind.value) for p in c.points]
    assert all(point.met is None and point.proposed_unmet == () for point in view.points)


def test_assessment_period_follows_the_kind(ward):
    assert ward.view(ward.register(KDC)).period == (date(2025, 11, 1), date(2026, 10, 31))
    assert ward.view(ward.register(SCHOOL)).period == (date(2025, 11, 16), date(2026, 11, 15))


# ---- "not met" proposed from the incident register --------------------------------------------------


def test_a_serious_crime_in_a_residential_group_proposes_4b(ward):
    record_id = ward.register(KDC)
    _incident(ward, KDC, date(2026, 5, 12), summary="Cố ý gây thương tích")
    proposed = _proposed(ward, record_id)
    assert list(proposed) == ["4b"]
    (reason,) = proposed["4b"]
    assert "12/05/2026" in reason and "Cố ý gây thương tích" in reason


def test_a_serious_crime_in_a_school_proposes_its_point_3d(ward):
    record_id = ward.register(SCHOOL)
    _incident(ward, SCHOOL, date(2026, 5, 12), severity=CrimeSeverity.RAT_NGHIEM_TRONG)
    assert list(_proposed(ward, record_id)) == ["3đ"]


def test_an_incident_of_another_unit_proposes_nothing(ward):
    record_id = ward.register(KDC)
    _incident(ward, "Tổ dân phố 4", date(2026, 5, 12))
    assert _proposed(ward, record_id) == {}


@pytest.mark.parametrize(
    ("name", "day", "counts"),
    [
        (KDC, date(2025, 10, 31), False), (KDC, date(2025, 11, 1), True), (KDC, date(2026, 10, 31), True),
        (KDC, date(2026, 11, 1), False),
        (SCHOOL, date(2025, 11, 15), False), (SCHOOL, date(2025, 11, 16), True), (SCHOOL, date(2026, 11, 1), True),
        (SCHOOL, date(2026, 11, 15), True), (SCHOOL, date(2026, 11, 16), False),
    ],
)
def test_only_incidents_inside_the_evaluation_period_count(ward, name, day, counts):
    record_id = ward.register(name)
    _incident(ward, name, day)
    assert bool(_proposed(ward, record_id)) is counts


@pytest.mark.parametrize(
    "fields",
    [{"force_majeure": True}, {"reported_in_time": True}, {"severity": CrimeSeverity.IT_NGHIEM_TRONG},
     {"severity": None}],
    ids=["force-majeure", "reported-in-time", "it-nghiem-trong", "unknown-severity"],
)
@pytest.mark.parametrize("name", [KDC, SCHOOL])
def test_excused_or_minor_crimes_propose_nothing(ward, name, fields):
    record_id = ward.register(name)
    _incident(ward, name, date(2026, 5, 12), **fields)
    assert _proposed(ward, record_id) == {}


# ---- saving the meeting -----------------------------------------------------------------------


def test_marking_a_proposed_point_met_needs_a_reason_and_nothing_is_stored_without(ward):
    record_id = ward.register(KDC)
    _incident(ward, KDC, date(2026, 5, 12))
    with pytest.raises(UserError, match="4b"):
        _save(ward, record_id, ward.answers(record_id))
    assert _stored(ward, record_id) == {}
    stage, passed, meeting_on, version, _extras = _record_row(ward, record_id)
    assert (stage, passed, meeting_on, version) == ("registered", None, None, 1)

    outcome = _save(ward, record_id, ward.answers(record_id, reasons={"4b": "Vụ việc do người nơi khác gây ra"}))
    assert outcome.passed
    assert _stored(ward, record_id)["4b"] == (True, "Vụ việc do người nơi khác gây ra")
    assert ward.stage(KDC) is Stage.ASSESSED


def test_a_blank_reason_is_no_reason(ward):
    record_id = ward.register(KDC)
    _incident(ward, KDC, date(2026, 5, 12))
    with pytest.raises(UserError, match="lý do"):
        _save(ward, record_id, ward.answers(record_id, reasons={"4b": " \u00a0 "}))
    assert _stored(ward, record_id) == {}


def test_a_proposed_point_confirmed_not_met_needs_no_reason(ward):
    record_id = ward.register(KDC)
    _incident(ward, KDC, date(2026, 5, 12))
    outcome = _save(ward, record_id, ward.answers(record_id, failing=["4b"]))
    assert (outcome.passed, outcome.unmet) == (False, ("4b",))
    assert ward.view(record_id).passed is False


def test_partial_answers_are_stored_and_the_stage_stays_registered(ward):
    record_id = ward.register(KDC)
    answers = [PointAnswer("1a", True, evidence="Nghị quyết chi bộ"), PointAnswer("3a", False, note="Có vụ việc")]
    outcome = _save(ward, record_id, answers)
    assert outcome.passed is False and "1b" in outcome.unanswered
    assert _stored(ward, record_id) == {"1a": (True, ""), "3a": (False, "")}
    view = ward.view(record_id)
    assert (view.stage, view.passed) == (Stage.REGISTERED, None)
    met = {point.code: point.met for point in view.points}
    assert (met["1a"], met["3a"], met["1b"]) == (True, False, None)
    assert {point.code: point.evidence for point in view.points}["1a"] == "Nghị quyết chi bộ"
    assert view.meeting.meeting_on == MEETING_ON


def test_complete_answers_without_a_meeting_date_stay_registered(ward):
    record_id = ward.register(KDC)
    _save(ward, record_id, ward.answers(record_id), meeting_on=None)
    stage, passed, *_ = _record_row(ward, record_id)
    assert (stage, passed) == ("registered", None)
    assert len(_stored(ward, record_id)) == len(CATALOGUE.point_codes("kdc"))


@pytest.mark.parametrize(("failing", "passed"), [((), True), (("3a",), False), (("1a", "5b"), False)])
def test_complete_answers_with_a_meeting_date_assess_the_unit(ward, failing, passed):
    record_id = ward.register(AGENCY)
    outcome = ward.assess(record_id, failing=failing)
    assert (outcome.passed, outcome.unmet, outcome.unanswered) == (passed, tuple(failing), ())
    stage, stored_passed, meeting_on, *_ = _record_row(ward, record_id)
    assert (stage, bool(stored_passed), str(meeting_on)) == ("assessed", passed, MEETING_ON.isoformat())
    row = ward.row(AGENCY)
    assert (row.stage, row.passed) == (Stage.ASSESSED, passed)
    reasons = ward.call(antt_assessment.unmet_reasons, record_id)
    assert [reason.split(":")[0] for reason in reasons] == list(failing)


def test_a_new_answer_reopens_a_complete_assessment(ward):
    record_id = ward.register(AGENCY)
    ward.assess(record_id)
    _save(ward, record_id, [PointAnswer("2", None)])
    assert ward.view(record_id).stage is Stage.REGISTERED
    assert ward.view(record_id).passed is None


@pytest.mark.parametrize("code", ["9z", "4b ", "T6", "2a"])
def test_an_unknown_point_code_is_refused(ward, code):
    record_id = ward.register(KDC)  # "2a" is a school's point, not a residential group's
    with pytest.raises(UserError, match="Không có tiêu chí"):
        _save(ward, record_id, [PointAnswer("1a", True), PointAnswer(code, True)])
    assert _stored(ward, record_id) == {}


@pytest.mark.parametrize("day", [date(2024, 12, 31), date(2027, 1, 1)])
def test_a_meeting_outside_the_year_and_the_year_before_is_refused(ward, day):
    record_id = ward.register(KDC)
    with pytest.raises(UserError, match="Ngày họp"):
        _save(ward, record_id, ward.answers(record_id), meeting_on=day)
    assert _stored(ward, record_id) == {}
    assert _record_row(ward, record_id)[:3] == ("registered", None, None)


def test_a_meeting_in_december_of_the_year_before_is_accepted(ward):
    record_id = ward.register(KDC)
    assert _save(ward, record_id, ward.answers(record_id), meeting_on=date(2025, 12, 20)).passed
    assert ward.view(record_id).meeting.meeting_on == date(2025, 12, 20)


def test_a_stale_save_is_refused(ward):
    record_id = ward.register(KDC)
    opened = ward.view(record_id).version
    _save(ward, record_id, [PointAnswer("1a", True)], expected_version=opened)
    with pytest.raises(UserError, match="người khác sửa"):
        _save(ward, record_id, [PointAnswer("1a", False)], expected_version=opened)
    assert _stored(ward, record_id) == {"1a": (True, "")}


# ---- the province's extra criteria --------------------------------------------------------------------


def test_extra_criteria_appear_as_t_points_after_the_national_ones(ward):
    ward.set_setting("antt.extra_criteria", EXTRAS)
    view = ward.view(ward.register(KDC))
    codes = [point.code for point in view.points]
    assert codes == [*CATALOGUE.point_codes("kdc"), "T6a", "T6b"]
    last = view.criteria[-1]
    assert (last.number, last.title, last.text) == (6, "Tiêu chí của tỉnh", "Giữ gìn vệ sinh môi trường")
    assert [point.text for point in last.points] == ["Không có điểm tập kết rác tự phát", "100% hộ ký cam kết"]
    # only for the kind they are given for
    assert "T6a" not in [point.code for point in ward.view(ward.register(AGENCY)).points]


def test_extra_points_must_be_answered_to_complete_the_assessment(ward):
    ward.set_setting("antt.extra_criteria", EXTRAS)
    record_id = ward.register(KDC)
    national = [PointAnswer(code, True) for code in CATALOGUE.point_codes("kdc")]
    outcome = _save(ward, record_id, national)
    assert outcome.unanswered == ("T6a", "T6b")
    assert ward.view(record_id).stage is Stage.REGISTERED
    assert ward.assess(record_id, failing=["T6b"]).unmet == ("T6b",)
    assert ward.view(record_id).passed is False


def test_an_assessed_record_keeps_the_extra_criteria_it_was_assessed_with(ward):
    ward.set_setting("antt.extra_criteria", EXTRAS)
    assessed = ward.register(KDC)
    ward.assess(assessed)
    waiting = ward.register("Tổ dân phố 4")
    ward.set_setting("antt.extra_criteria", {"kdc": [{"title": "Mới", "text": "Tiêu chí mới của tỉnh"}]})

    kept = ward.view(assessed)
    assert [point.code for point in kept.points][-2:] == ["T6a", "T6b"]
    assert kept.criteria[-1].title == "Tiêu chí của tỉnh"
    assert (kept.stage, kept.passed) == (Stage.ASSESSED, True)
    # a record not assessed yet follows the setting as it is now
    assert [point.code for point in ward.view(waiting).points][-1] == "T6"
    assert ward.view(waiting).criteria[-1].text == "Tiêu chí mới của tỉnh"

    ward.set_setting("antt.extra_criteria", {})
    assert [point.code for point in ward.view(assessed).points][-2:] == ["T6a", "T6b"]
    assert ward.view(waiting).points[-1].code == "5b"


# ---- propose -----------------------------------------------------------------------------------


def test_only_assessed_units_that_passed_are_proposed(ward):
    passed, failed, waiting = ward.register(KDC), ward.register("Tổ dân phố 4"), ward.register("Tổ dân phố 6")
    ward.assess(passed)
    ward.assess(failed, failing=["2"])
    assert ward.call(antt_assessment.propose, [passed, failed, waiting], PROPOSED_ON, ACTOR) == 1
    assert [ward.stage(name) for name in (KDC, "Tổ dân phố 4", "Tổ dân phố 6")] == [
        Stage.PROPOSED, Stage.ASSESSED, Stage.REGISTERED]
    assert str(ward.scalar("SELECT proposed_on FROM antt_record WHERE id = :id", id=passed)) == PROPOSED_ON.isoformat()
    assert ward.scalar("SELECT count(*) FROM antt_record WHERE proposed_on IS NOT NULL") == 1


def test_propose_with_no_eligible_record_is_refused_and_changes_nothing(ward):
    failed, waiting = ward.register(KDC), ward.register("Tổ dân phố 4")
    ward.assess(failed, failing=["1a"])
    with pytest.raises(UserError, match="Chỉ đề nghị công nhận"):
        ward.call(antt_assessment.propose, [failed, waiting], PROPOSED_ON, ACTOR)
    assert [ward.stage(name) for name in (KDC, "Tổ dân phố 4")] == [Stage.ASSESSED, Stage.REGISTERED]
    assert ward.call(antt_assessment.propose, [], PROPOSED_ON, ACTOR) == 0


def test_a_proposed_unit_found_failing_at_a_new_save_goes_back_to_assessed(ward):
    record_id = ward.register(KDC)
    ward.assess(record_id)
    ward.propose([KDC])
    ward.assess(record_id)  # the same answers again: still proposed
    assert ward.stage(KDC) is Stage.PROPOSED
    ward.assess(record_id, failing=["5a"])
    assert (ward.stage(KDC), ward.row(KDC).passed) == (Stage.ASSESSED, False)


def test_any_crime_by_a_schools_own_people_proposes_4b_whatever_its_severity(ward):
    record_id = ward.register(SCHOOL)
    _incident(ward, SCHOOL, date(2026, 3, 3), kind="toi_pham_nguoi_cua_csgd", severity=CrimeSeverity.IT_NGHIEM_TRONG,
              reported_in_time=True)
    assert list(_proposed(ward, record_id)) == ["4b"]
    _incident(ward, SCHOOL, date(2026, 4, 4), kind="toi_pham_nguoi_cua_csgd")
    assert list(_proposed(ward, record_id)) == ["3đ", "4b"]


def test_resaving_one_answer_keeps_the_outcome_of_all_stored_answers(demo_db):
    """The outcome is judged on every stored answer, not only on those one save sends."""
    with demo_db.transaction() as session:
        antt.register_all_eligible(session, 1, 2026, date(2026, 2, 1), "kiểm thử")
        record_id = next(r.record_id for r in antt.year_overview(session, 1, 2026) if r.name == "Tổ dân phố 2")
        view = antt_assessment.assessment(session, record_id)
        meeting = antt_assessment.MeetingInput(date(2026, 10, 1))
        answers = [antt_assessment.PointAnswer(point.code, True) for point in view.points]
        antt_assessment.save_assessment(session, record_id, meeting, answers, "kiểm thử")
        antt_assessment.propose(session, [record_id], date(2026, 11, 1), "kiểm thử")
        antt_assessment.save_assessment(session, record_id, meeting, answers[:1], "kiểm thử")
        assert antt.get_registration(session, record_id).stage is Stage.PROPOSED
        failing = [antt_assessment.PointAnswer(answers[-1].code, False)]
        outcome = antt_assessment.save_assessment(session, record_id, meeting, failing, "kiểm thử")
        record = antt.existing_record(session, record_id)
        assert not outcome.passed and record.stage == Stage.ASSESSED.value and record.proposed_on is None
