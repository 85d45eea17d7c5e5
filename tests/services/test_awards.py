"""Awards: the messages, the records, the candidates drawn from a year's results, the figures."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import delete

from antq_desktop.db.models import (
    Award,
    ForceMember,
    SecurityModel,
    SecurityModelGrade,
    SecurityModelUnit,
)
from antq_desktop.domain import vntext
from antq_desktop.domain.models_movement import AwardForm
from antq_desktop.errors import UserError
from antq_desktop.services import awards, classification
from antq_desktop.services import security_models as sm
from antq_desktop.services.awards import AwardInput
from antq_desktop.services.tracking import stamp_created
from tests.services.antt_helpers import AnttWard

ACTOR = "cán bộ A"
YEAR = 2025
CHAIRMAN = "Chủ tịch UBND phường Minh Xuân"
UNIT_REASON = ("Đạt tiêu chuẩn \u201cAn toàn về an ninh, trật tự\u201d và xếp loại Xuất sắc phong trào toàn dân "
               "bảo vệ ANTQ năm 2025")


def clear_models_and_awards(db) -> None:
    """The demo's finished year may come with models and awards of its own; these tests build theirs."""
    with db.transaction() as session:
        for table in (Award, SecurityModelGrade, SecurityModelUnit, SecurityModel):
            session.execute(delete(table))


@pytest.fixture
def ward(demo_db) -> AnttWard:
    clear_models_and_awards(demo_db)
    return AnttWard(demo_db)


def _model_id(ward: AnttWard, name: str) -> int:
    return ward.scalar("SELECT id FROM security_model WHERE name = :name", name=name)


def _unit_award(ward: AnttWard, name: str = "Tổ dân phố 2", **fields) -> AwardInput:
    values = {"form": AwardForm.GIAY_KHEN, "level": CHAIRMAN, "reason": "Có thành tích xuất sắc",
              "unit_id": ward.unit_id(name), **fields}
    return AwardInput(**values)


def _person_award(**fields) -> AwardInput:
    values = {"form": AwardForm.GIAY_KHEN, "level": CHAIRMAN, "reason": "Tích cực tuần tra",
              "person_name": "Nguyễn Văn Hùng", "person_title": "Tổ trưởng Tổ bảo vệ ANTT", **fields}
    return AwardInput(**values)


def _add(ward: AnttWard, data: AwardInput, year: int = YEAR) -> int:
    return ward.ward_call(awards.add_award, year, data, ACTOR)


def _refused(ward: AnttWard, data: AwardInput, year: int = YEAR) -> str:
    with pytest.raises(UserError) as caught:
        _add(ward, data, year)
    return caught.value.message


def _rows(ward: AnttWard, year: int = YEAR) -> list[awards.AwardRow]:
    return ward.ward_call(awards.year_awards, year)


# ---- messages --------------------------------------------------------------------------------------

@pytest.mark.parametrize("data, message", [
    (_person_award(person_name="  "), "Khen thưởng cá nhân: hãy nhập họ tên người được khen thưởng."),
    (AwardInput(AwardForm.GIAY_KHEN, CHAIRMAN, "x"),
     "Hãy chọn đơn vị được khen thưởng, hoặc nhập họ tên cá nhân được khen thưởng."),
    (_person_award(form=AwardForm.KHAC), "Hình thức \u201cKhác\u201d: hãy ghi rõ tên hình thức khen thưởng."),
    (_person_award(level=" "), "Hãy ghi cấp khen (ai khen thưởng), ví dụ \u201cChủ tịch UBND phường\u201d."),
    (_person_award(reason="\n"), "Hãy ghi thành tích được khen thưởng."),
    (_person_award(person_name="x" * 101), "Họ tên dài quá 100 ký tự."),
    (_person_award(decision_date=date(2024, 12, 31)),
     "Ngày quyết định 31/12/2024 không hợp lệ: khen thưởng năm 2025 có quyết định từ 01/01/2025 đến 31/12/2026."),
    (_person_award(decision_date=date(2027, 1, 1)), "Ngày quyết định 01/01/2027 không hợp lệ"),
    (_person_award(unit_id=999_999), "Không tìm thấy đơn vị đã chọn; hãy tải lại danh sách đơn vị."),
    (_person_award(member_id=999_999), "Không tìm thấy thành viên lực lượng đã chọn; hãy tải lại danh sách."),
])
def test_wrong_awards_are_refused_with_a_message(ward, data, message):
    assert _refused(ward, data).startswith(message)


def test_a_decision_date_not_yet_come_is_refused(ward):
    # The sane range of a 2026 award runs to 31/12/2027, but not past today.
    message = _refused(ward, _person_award(decision_date=date(2027, 12, 31)), 2026)
    assert message == ("Ngày quyết định 31/12/2027 chưa đến. Nếu chưa có quyết định, hãy để trống số và ngày "
                       "quyết định.")


# ---- records -----------------------------------------------------------------------------------------

def test_add_awards_to_a_unit_and_to_a_person_and_list_them(ward):
    _add(ward, _person_award(unit_id=ward.unit_id("Tổ dân phố 3")))
    _add(ward, _unit_award(ward, "Tổ dân phố 10", decision_number="125/QĐ-UBND", decision_date=date(2025, 12, 20)))
    _add(ward, _unit_award(ward, "Tổ dân phố 2"))
    _add(ward, _person_award(person_name="Hoàng Thị Lan", person_title="Trưởng ban công tác Mặt trận tổ dân phố 8",
                             form=AwardForm.KY_NIEM_CHUONG, level="Bộ trưởng Bộ Công an"))
    rows = _rows(ward)
    # Units first in Vietnamese order, then people by given name (Hùng before Lan).
    assert [row.recipient for row in rows] == [
        "Tổ dân phố 2", "Tổ dân phố 10", "Nguyễn Văn Hùng, Tổ trưởng Tổ bảo vệ ANTT, Tổ dân phố 3",
        "Hoàng Thị Lan, Trưởng ban công tác Mặt trận tổ dân phố 8"]
    assert rows[1].decision == "125/QĐ-UBND ngày 20/12/2025"
    assert rows[3].form_shown == "Kỷ niệm chương \u201cBảo vệ an ninh Tổ quốc\u201d"
    assert _rows(ward, 2026) == []


def test_form_khac_prints_its_text_and_a_member_gives_the_name(ward):
    with ward.db.transaction() as session:
        member = ForceMember(ward_id=ward.ward_id, force_kind="dan_phong", full_name="Trần Quang Long",
                             name_sort=vntext.person_name_key("Trần Quang Long"))
        stamp_created(member, ACTOR)
        session.add(member)
        session.flush()
        member_id = member.id
    award_id = _add(ward, _person_award(person_name="", person_title="Đội viên dân phòng", member_id=member_id,
                                        form=AwardForm.KHAC, form_text="Thư khen"))
    row = ward.call(awards.get_award, award_id)
    assert (row.person_name, row.form_shown, row.to_person) == ("Trần Quang Long", "Thư khen", True)


def test_edit_with_a_version_check_and_delete(ward):
    award_id = _add(ward, _unit_award(ward))
    seen = ward.call(awards.get_award, award_id)
    changed = _unit_award(ward, decision_number="180/QĐ-UBND", decision_date=date(2025, 12, 20))
    ward.call(awards.update_award, award_id, changed, ACTOR, seen.version)
    with pytest.raises(UserError) as caught:
        ward.call(awards.update_award, award_id, seen.as_input(), ACTOR, seen.version)
    assert caught.value.message.startswith("Bản ghi này vừa được người khác sửa")
    assert ward.call(awards.get_award, award_id).decision_number == "180/QĐ-UBND"
    with pytest.raises(UserError):
        ward.call(awards.delete_award, award_id, seen.version)
    ward.call(awards.delete_award, award_id, seen.version + 1)
    assert _rows(ward) == []


def test_the_same_award_twice_is_refused(ward):
    _add(ward, _person_award())
    assert _refused(ward, _person_award(person_name="nguyen van hung")).startswith(
        "Khen thưởng này đã có trong năm 2025")
    _add(ward, _person_award(level="Giám đốc Công an tỉnh Tuyên Quang"))  # another level is another award


def test_level_suggestions_name_the_ward_and_what_was_typed(ward):
    _add(ward, _person_award(level="Chủ tịch UBND tỉnh Tuyên Quang"))
    _add(ward, _person_award(level="Ban Chỉ đạo phong trào phường"))
    suggestions = ward.ward_call(awards.level_suggestions)
    assert suggestions[:3] == [CHAIRMAN, "Trưởng Công an phường Minh Xuân", "Giám đốc Công an tỉnh Tuyên Quang"]
    assert suggestions.count("Chủ tịch UBND tỉnh Tuyên Quang") == 1
    assert suggestions[-1] == "Ban Chỉ đạo phong trào phường"


def test_the_years_figures_by_hand_count(ward):
    _add(ward, _unit_award(ward, "Tổ dân phố 2"))
    _add(ward, _unit_award(ward, "Tổ dân phố 3", form=AwardForm.BANG_KHEN, decision_number="12/QĐ-UBND",
                           decision_date=date(2025, 12, 1)))
    _add(ward, _person_award())
    _add(ward, _person_award(person_name="Hoàng Thị Lan", form=AwardForm.KY_NIEM_CHUONG))
    _add(ward, _person_award(), 2024)  # another year
    assert ward.ward_call(awards.awards_stats, YEAR) == {
        "year": YEAR, "total": 4, "to_units": 2, "to_people": 2,
        "by_form": {"giay_khen": 2, "bang_khen": 1, "ky_niem_chuong": 1, "khac": 0}, "with_decision": 1,
    }


# ---- candidates from the year's results ------------------------------------------------------------

XUAT_SAC_RECOGNIZED = ("Tổ dân phố 2", "Tổ dân phố 5", "Tổ dân phố 6")
KHA_RECOGNIZED = ("Tổ dân phố 1", "Tổ dân phố 3")


def _recognize_2025(ward: AnttWard) -> None:
    """The demo has a classified 2025: recognise three units classified Xuất sắc and two classified Khá."""
    ward.register_all(YEAR, date(2025, 3, 10))
    names = XUAT_SAC_RECOGNIZED + KHA_RECOGNIZED
    for name in names:
        assert ward.assess(ward.record_id(name, YEAR), meeting_on=date(2025, 10, 20)).passed
    assert ward.propose(names, YEAR) == len(names)
    ward.draft_and_issue(year=YEAR, issued_on=date(2025, 11, 18))


def test_candidates_are_the_units_recognised_and_xuat_sac_and_the_top_models(ward):
    _recognize_2025(ward)
    levels = {r.name: r.level.code for r in ward.ward_call(classification.year_results, YEAR)}
    assert {name: levels[name] for name in XUAT_SAC_RECOGNIZED + KHA_RECOGNIZED} == {
        "Tổ dân phố 2": "xuat_sac", "Tổ dân phố 5": "xuat_sac", "Tổ dân phố 6": "xuat_sac",
        "Tổ dân phố 1": "kha", "Tổ dân phố 3": "kha"}
    ward.ward_call(sm.add_demo_models, YEAR, ACTOR)  # two models graded Tốt (the top level)
    found = ward.ward_call(awards.candidates, YEAR)
    assert [(c.name, c.reason) for c in found] == [
        ("Tổ dân phố 2", UNIT_REASON), ("Tổ dân phố 5", UNIT_REASON), ("Tổ dân phố 6", UNIT_REASON),
        ("Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)",
         "Mô hình \u201cCamera an ninh\u201d được xếp loại Tốt năm 2025"),
        ("Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d (Tổ dân phố 3)",
         "Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d được xếp loại Tốt năm 2025"),
    ]
    assert [c.unit_id for c in found] == [ward.unit_id(n) for n in ("Tổ dân phố 2", "Tổ dân phố 5", "Tổ dân phố 6",
                                                                    "Tổ dân phố 5", "Tổ dân phố 3")]
    assert ward.ward_call(awards.candidates, 2024) == []


def test_candidates_already_awarded_are_left_out(ward):
    _recognize_2025(ward)
    ward.ward_call(sm.add_demo_models, YEAR, ACTOR)
    keys = [c.key for c in ward.ward_call(awards.candidates, YEAR)]
    # Tổ dân phố 5's own award and the Camera model's award (hosted by Tổ dân phố 5) are told apart.
    assert ward.ward_call(awards.add_candidates, YEAR, [keys[1], keys[3]], AwardForm.GIAY_KHEN, CHAIRMAN, ACTOR) == 2
    left = ward.ward_call(awards.candidates, YEAR)
    assert [c.key for c in left] == [keys[0], keys[2], keys[4]]
    assert {(row.recipient, row.model_id) for row in _rows(ward)} == {
        ("Tổ dân phố 5", None), ("Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)", _model_id(ward, "Camera an ninh"))}
    # A person of the unit does not count as the unit's award.
    _add(ward, _person_award(unit_id=ward.unit_id("Tổ dân phố 2")))
    assert len(ward.ward_call(awards.candidates, YEAR)) == 3
    rows = {row.reason for row in _rows(ward)}
    assert UNIT_REASON in rows and "Mô hình \u201cCamera an ninh\u201d được xếp loại Tốt năm 2025" in rows
    with pytest.raises(UserError) as caught:
        ward.ward_call(awards.add_candidates, YEAR, [keys[1]], AwardForm.GIAY_KHEN, CHAIRMAN, ACTOR)
    assert caught.value.message.startswith("Danh sách đề xuất vừa thay đổi")


def test_a_top_model_without_host_is_awarded_naming_the_model(ward):
    model_id = ward.ward_call(sm.add_model, sm.ModelInput("Nhóm Zalo phường"), ACTOR)
    ward.call(sm.set_grade, model_id, YEAR, "tot", "", ACTOR)
    (candidate,) = ward.ward_call(awards.candidates, YEAR)
    assert (candidate.name, candidate.unit_id, candidate.model_id) == (
        "Mô hình \u201cNhóm Zalo phường\u201d (chưa có đơn vị chủ trì)", None, model_id)
    assert ward.ward_call(awards.add_candidates, YEAR, [candidate.key], AwardForm.GIAY_KHEN, CHAIRMAN, ACTOR) == 1
    (row,) = _rows(ward)
    assert (row.recipient, row.unit_id, row.model_id, row.to_person) == (
        "Mô hình \u201cNhóm Zalo phường\u201d", None, model_id, False)
    assert ward.ward_call(awards.candidates, YEAR) == []
    figures = ward.ward_call(awards.awards_stats, YEAR)
    assert (figures["to_units"], figures["to_people"]) == (1, 0)
    with pytest.raises(UserError) as caught:
        ward.ward_call(awards.add_candidates, YEAR, [], AwardForm.GIAY_KHEN, CHAIRMAN, ACTOR)
    assert caught.value.message.startswith("Chưa chọn đề xuất nào")


def test_the_demo_awards(ward):
    ward.ward_call(sm.add_demo_models, YEAR, ACTOR)
    assert ward.ward_call(awards.add_demo_awards, YEAR, ACTOR) == 5
    figures = ward.ward_call(awards.awards_stats, YEAR)
    assert (figures["to_units"], figures["to_people"], figures["with_decision"]) == (3, 2, 5)
    assert ward.ward_call(awards.candidates, YEAR) == []
    assert not ward.ward_call(awards.award_list, YEAR).proposal


# ---- awards to a model ---------------------------------------------------------------------------------

def _model_award(model_id: int, **fields) -> AwardInput:
    values = {"form": AwardForm.GIAY_KHEN, "level": CHAIRMAN, "reason": "Mô hình hoạt động hiệu quả",
              "model_id": model_id, **fields}
    return AwardInput(**values)


def test_a_model_award_round_trip(ward):
    ward.ward_call(sm.add_demo_models, YEAR, ACTOR)
    camera = _model_id(ward, "Camera an ninh")
    # No unit chosen: the award names the model's first host unit (Tổ dân phố 5, 6 and 8 host it).
    award_id = _add(ward, _model_award(camera))
    row = ward.call(awards.get_award, award_id)
    assert (row.model_id, row.unit_id, row.model_name, row.to_person) == (
        camera, ward.unit_id("Tổ dân phố 5"), "Camera an ninh", False)
    assert row.recipient == "Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)"
    assert row.as_input().model_id == camera
    # Another host chosen is kept; a correction keeps the model.
    changed = _model_award(camera, unit_id=ward.unit_id("Tổ dân phố 8"), decision_number="181/QĐ-UBND",
                           decision_date=date(2025, 12, 20))
    ward.call(awards.update_award, award_id, changed, ACTOR, row.version)
    (listed,) = _rows(ward)
    assert (listed.id, listed.recipient, listed.decision) == (
        award_id, "Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 8)", "181/QĐ-UBND ngày 20/12/2025")
    assert ward.ward_call(awards.award_list, YEAR).awards[0].recipient == listed.recipient
    # The same award twice is a double entry; the host unit's own award with the same words is not.
    assert _refused(ward, changed).startswith("Khen thưởng này đã có trong năm 2025")
    _add(ward, _unit_award(ward, "Tổ dân phố 8", reason=changed.reason, decision_number="181/QĐ-UBND",
                           decision_date=date(2025, 12, 20)))
    assert [row.recipient for row in _rows(ward)] == ["Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 8)",
                                                      "Tổ dân phố 8"]


def test_a_renamed_model_or_a_retyped_reason_is_still_awarded(ward):
    ward.ward_call(sm.add_demo_models, YEAR, ACTOR)
    camera = _model_id(ward, "Camera an ninh")
    key = f"model:{camera}"
    assert ward.ward_call(awards.add_candidates, YEAR, [key], AwardForm.GIAY_KHEN, CHAIRMAN, ACTOR) == 1
    (award,) = _rows(ward)
    ward.call(awards.update_award, award.id, _model_award(camera, reason="Lắp 46 điểm camera"), ACTOR)
    seen = ward.call(sm.get_model, camera, YEAR)
    ward.call(sm.update_model, camera, sm.ModelInput("Camera giám sát an ninh", seen.kind,
                                                     tuple(h.unit_id for h in seen.hosts)), ACTOR)
    assert key not in [c.key for c in ward.ward_call(awards.candidates, YEAR)]
    (award,) = _rows(ward)
    assert (award.recipient, award.reason) == ("Mô hình \u201cCamera giám sát an ninh\u201d (Tổ dân phố 5)",
                                               "Lắp 46 điểm camera")
    # A unit award whose reason happens to start like a model's is the unit's, not the model's.
    tu_quan = _model_id(ward, "Tổ tự quản về an ninh, trật tự tổ dân phố 3")
    _add(ward, _unit_award(ward, "Tổ dân phố 3",
                           reason="Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d hoạt động tốt"))
    assert f"model:{tu_quan}" in [c.key for c in ward.ward_call(awards.candidates, YEAR)]


@pytest.mark.parametrize("fields, message", [
    ({"model_id": 999_999}, "Không tìm thấy mô hình đã chọn; hãy tải lại danh sách mô hình."),
    ({"person_name": "Nguyễn Văn Hùng"}, "Khen thưởng mô hình \u201cCamera an ninh\u201d là khen thưởng tập thể"),
])
def test_wrong_model_awards_are_refused(ward, fields, message):
    ward.ward_call(sm.add_demo_models, YEAR, ACTOR)
    data = _model_award(**{"model_id": _model_id(ward, "Camera an ninh"), **fields})
    assert _refused(ward, data).startswith(message)
