"""The core forces on the demo ward: members' rules, trainings, equipment, the year's shares, the demo."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from antq_desktop.db.engine import open_database
from antq_desktop.db.models import Unit
from antq_desktop.domain.forces import ForceKind, ForceLevel, Gender
from antq_desktop.errors import UserError
from antq_desktop.services import core_forces, demo, forces, settings, targets, units
from antq_desktop.services import profile as profile_service
from antq_desktop.services.core_forces import EquipmentInput, MemberInput, TrainingInput

ACTOR = "cán bộ A"
YEAR = 2026
TODAY = date(2026, 11, 22)
KDC, OTHER_KDC, SCHOOL = "Tổ dân phố 3", "Tổ dân phố 4", "Trường THCS Minh Xuân"


class Ward:
    """One transaction per call, as in the program."""

    def __init__(self, db):
        self.db = db
        with db.transaction() as session:
            self.id = profile_service.require_profile(session).id

    def call(self, function, *args, **kwargs):
        with self.db.transaction() as session:
            return function(session, self.id, *args, **kwargs)

    def unit_id(self, name: str) -> int:
        with self.db.transaction() as session:
            return session.scalar(select(Unit.id).where(Unit.name == name))

    def member(self, name: str, kind=ForceKind.TO_BAO_VE, unit: str | None = KDC, **fields) -> int:
        data = MemberInput(kind, name, self.unit_id(unit) if unit else None, **fields)
        return self.call(core_forces.add_member, data, ACTOR)

    def refused(self, function, *args, **kwargs) -> str:
        with pytest.raises(UserError) as info:
            self.call(function, *args, **kwargs)
        return info.value.message

    def get(self, member_id: int) -> core_forces.MemberRow:
        with self.db.transaction() as session:
            return core_forces.get_member(session, member_id)


@pytest.fixture
def ward(demo_db) -> Ward:
    return Ward(demo_db)


# ---- members -----------------------------------------------------------------------------------


def test_a_member_is_stored_cleaned_with_a_person_name_sort_key(ward):
    member_id = ward.member("  Nguyễn   Thị\u00a0Ánh ", birth_year=1980, gender=Gender.NU, phone=" 0912 345 678 ",
                            joined_on=date(2024, 1, 5))
    row = ward.get(member_id)
    assert (row.full_name, row.role, row.phone, row.unit_name) == ("Nguyễn Thị Ánh", "Tổ viên", "0912 345 678", KDC)
    assert (row.gender, row.birth_year, row.force_kind) == (Gender.NU, 1980, ForceKind.TO_BAO_VE)
    ward.member("Trần Văn Anh", role="Tổ trưởng")
    ward.member("Lê Văn Bình", role="Tổ phó")
    ward.member("Phạm Thị An")
    rows = ward.call(core_forces.list_members, YEAR, unit_id=ward.unit_id(KDC))
    # leaders first, then by given name: An < Ánh
    assert [r.full_name for r in rows] == ["Trần Văn Anh", "Lê Văn Bình", "Phạm Thị An", "Nguyễn Thị Ánh"]


@pytest.mark.parametrize(("kind", "unit", "message"), [
    (ForceKind.TO_BAO_VE, None, "phải thuộc một khu dân cư"),
    (ForceKind.TO_BAO_VE, SCHOOL, "không phải khu dân cư"),
    (ForceKind.BAO_VE_CO_QUAN, KDC, "đổi loại lực lượng"),
    (ForceKind.BAO_VE_CO_QUAN, None, "cơ quan, doanh nghiệp hoặc nhà trường"),
    (ForceKind.DAN_PHONG, KDC, "không chọn đơn vị"),
])
def test_each_force_has_its_own_kind_of_unit(ward, kind, unit, message):
    data = MemberInput(kind, "Hà Văn Sơn", ward.unit_id(unit) if unit else None)
    assert message in ward.refused(core_forces.add_member, data, ACTOR)


@pytest.mark.parametrize(("fields", "message"), [
    ({"full_name": "  "}, "Chưa nhập họ và tên"),
    ({"birth_year": 2015}, "chưa đủ 18 tuổi"),
    ({"birth_year": 1900}, "hơn 100 tuổi"),
    ({"phone": "09x"}, "Số điện thoại"),
    ({"joined_on": date(2026, 5, 1), "left_on": date(2026, 4, 1)}, "không được trước ngày tham gia"),
    ({"joined_on": date(2099, 1, 1)}, "chưa đến"),
])
def test_member_rules_and_their_messages(ward, fields, message):
    data = replace(MemberInput(ForceKind.TO_BAO_VE, "Hà Văn Sơn", ward.unit_id(KDC)), **fields)
    assert message in ward.refused(core_forces.add_member, data, ACTOR)


def test_no_new_member_in_a_dissolved_unit_and_no_duplicate(ward):
    ward.member("Hà Văn Sơn", birth_year=1980)
    message = ward.refused(core_forces.add_member, MemberInput(ForceKind.TO_BAO_VE, "Hà Văn Sơn", ward.unit_id(KDC),
                                                               1980), ACTOR)
    assert "đã có trong danh sách" in message
    ward.member("Hà Văn Sơn", birth_year=1990)   # a namesake with another birth year
    with ward.db.transaction() as session:
        units.dissolve_unit(session, ward.unit_id(OTHER_KDC), date(2026, 6, 1), "Sáp xếp lại", ACTOR)
    data = MemberInput(ForceKind.TO_BAO_VE, "Lý Văn Tâm", ward.unit_id(OTHER_KDC))
    assert "không còn hoạt động" in ward.refused(core_forces.add_member, data, ACTOR)


def test_a_stale_edit_is_refused(ward):
    member_id = ward.member("Hà Văn Sơn")
    seen = ward.get(member_id)
    ward.call(core_forces.update_member, member_id, replace(seen.as_input(), phone="0912000111"), ACTOR, seen.version)
    message = ward.refused(core_forces.update_member, member_id, replace(seen.as_input(), role="Tổ phó"), ACTOR,
                           seen.version)
    assert "người khác" in message
    assert ward.get(member_id).phone == "0912000111"


def test_a_referenced_member_leaves_instead_of_being_deleted(ward):
    mistake = ward.member("Nhập Nhầm")
    ward.call(core_forces.delete_member, mistake)
    member_id = ward.member("Hà Văn Sơn", joined_on=date(2024, 1, 1))
    ward.call(core_forces.add_equipment, EquipmentInput(member_id, "Gậy cao su", date(2025, 4, 10)), ACTOR)
    assert "Thôi tham gia" in ward.refused(core_forces.delete_member, member_id)
    still_held = ward.call(core_forces.leave_member, member_id, date(2026, 6, 30), ACTOR)
    assert still_held == 1
    assert ward.get(member_id).left_on == date(2026, 6, 30)
    assert "không được trước ngày tham gia" in ward.refused(core_forces.leave_member, member_id, date(2023, 1, 1),
                                                             ACTOR)


# ---- trainings ---------------------------------------------------------------------------------


def test_attendees_serve_on_the_training_day(ward):
    present = ward.member("Hà Văn Sơn", joined_on=date(2024, 1, 1))
    late = ward.member("Lý Thị Mai", joined_on=date(2026, 5, 1))
    training = TrainingInput(date(2026, 3, 18), "Tập huấn nghiệp vụ", 8, attendee_ids=(present, late))
    message = ward.refused(core_forces.add_training, training, ACTOR)
    assert message.startswith("Ngày 18/03/2026 những người sau chưa tham gia") and "Lý Thị Mai" in message
    with ward.db.transaction() as session:
        assert [row.id for row in core_forces.training_candidates(session, ward.id, date(2026, 3, 18))] == [present]
    training_id = ward.call(core_forces.add_training, replace(training, attendee_ids=(present,)), ACTOR)
    # the membership dates must keep the training inside them
    changed = replace(ward.get(present).as_input(), joined_on=date(2026, 4, 1))
    assert "đã dự buổi huấn luyện ngày 18/03/2026" in ward.refused(core_forces.update_member, present, changed, ACTOR)
    assert "chưa diễn ra" in ward.refused(core_forces.add_training, replace(training, held_on=date(2099, 1, 1),
                                                                            attendee_ids=(present,)), ACTOR)
    assert "Chưa nhập nội dung" in ward.refused(core_forces.add_training, replace(training, topic=" "), ACTOR)
    assert ward.call(core_forces.list_trainings, YEAR)[0].attendee_ids == (present,)
    assert training_id


def test_changing_only_the_attendees_takes_a_new_version(ward):
    first = ward.member("Hà Văn Sơn")
    second = ward.member("Lý Thị Mai")
    training_id = ward.call(core_forces.add_training, TrainingInput(date(2026, 3, 18), "Tập huấn", 4,
                                                                    attendee_ids=(first,)), ACTOR)
    with ward.db.transaction() as session:
        seen = core_forces.get_training(session, training_id)
    ward.call(core_forces.update_training, training_id, replace(seen.as_input(), attendee_ids=(first, second)),
              ACTOR, seen.version)
    message = ward.refused(core_forces.update_training, training_id, replace(seen.as_input(), attendee_ids=()),
                           ACTOR, seen.version)
    assert "người khác" in message
    with ward.db.transaction() as session:
        assert core_forces.get_training(session, training_id).attendee_ids == tuple(sorted((first, second)))
    ward.call(core_forces.delete_training, training_id)
    assert ward.call(core_forces.list_trainings, YEAR) == []


# ---- equipment ---------------------------------------------------------------------------------


def test_equipment_comes_back_on_or_after_its_issue(ward):
    member_id = ward.member("Hà Văn Sơn", joined_on=date(2024, 1, 1))
    issue = EquipmentInput(member_id, "Đèn pin", date(2025, 4, 10), 2)
    issue_id = ward.call(core_forces.add_equipment, issue, ACTOR)
    message = ward.refused(core_forces.return_equipment, issue_id, date(2025, 4, 9), ACTOR)
    assert message == "Ngày trả 09/04/2025 không được trước ngày cấp 10/04/2025."
    assert "chưa tham gia" in ward.refused(core_forces.add_equipment, replace(issue, issued_on=date(2023, 1, 1)),
                                           ACTOR)
    assert "Số lượng" in ward.refused(core_forces.add_equipment, replace(issue, quantity=0), ACTOR)
    assert "Chưa nhập tên trang bị" in ward.refused(core_forces.add_equipment, replace(issue, item=""), ACTOR)
    assert [row.item for row in ward.call(core_forces.list_equipment, YEAR, outstanding=True)] == ["Đèn pin"]
    assert ward.call(core_forces.list_members, YEAR)[0].equipment == ("Đèn pin (2)",)
    ward.call(core_forces.return_equipment, issue_id, date(2026, 1, 15), ACTOR)
    assert ward.call(core_forces.list_equipment, YEAR, outstanding=True) == []
    assert ward.call(core_forces.list_equipment, YEAR)[0].returned_on == date(2026, 1, 15)
    assert ward.call(core_forces.list_equipment, 2027) == []


# ---- the year's figures ------------------------------------------------------------------------


def _year(ward, year: int = YEAR) -> core_forces.ForcesYear:
    return ward.call(core_forces.forces_year, year, TODAY)


def test_shares_trained_and_equipped_by_hand_count(ward):
    a = ward.member("Hà Văn An", joined_on=date(2024, 1, 1))                    # trained, equipped
    b = ward.member("Lý Văn Bình", joined_on=date(2024, 1, 1))                  # trained only
    c = ward.member("Vũ Thị Cúc", joined_on=date(2024, 1, 1))                   # equipped, left 30/06
    d = ward.member("Mai Văn Dũng", ForceKind.DAN_PHONG, None, joined_on=date(2024, 1, 1))  # nothing
    e = ward.member("Tô Văn Em", joined_on=date(2024, 1, 1), left_on=date(2025, 12, 31))   # not a 2026 member
    school = ward.member("Đỗ Văn Giang", ForceKind.BAO_VE_CO_QUAN, SCHOOL, joined_on=date(2024, 1, 1))  # trained
    ward.call(core_forces.add_training, TrainingInput(date(2026, 3, 18), "Tập huấn", 8,
                                                      attendee_ids=(a, b, school)), ACTOR)
    ward.call(core_forces.add_training, TrainingInput(date(2025, 9, 1), "Năm trước", 4, attendee_ids=(c, d, e)), ACTOR)
    for member_id in (a, c, e):
        ward.call(core_forces.add_equipment, EquipmentInput(member_id, "Trang phục", date(2025, 4, 10)), ACTOR)
    ward.call(core_forces.leave_member, c, date(2026, 6, 30), ACTOR)
    figures = _year(ward)
    assert (figures.total.members, figures.total.trained, figures.total.equipped) == (5, 3, 2)
    assert figures.by_kind[ForceKind.TO_BAO_VE].members == 3
    stats = figures.as_dict()
    assert stats["trained_pct"] == 60.0 and stats["equipped_pct"] == 40.0
    assert stats["by_kind"]["bao-ve-co-quan"] == {"members": 1, "trained": 1, "trained_pct": 100.0, "equipped": 0,
                                                  "equipped_pct": 0.0}
    assert stats["by_kind"]["dan-phong"]["trained"] == 0
    assert (stats["target_trained_pct"], stats["target_equipped_pct"]) == (100.0, 100.0)
    assert figures.summary == ("Đã huấn luyện 3/5 (60%; chỉ tiêu 100%, chưa đạt) · "
                               "Đã trang bị 2/5 (40%; chỉ tiêu 100%, chưa đạt)")
    last_year = _year(ward, 2025).total
    assert (last_year.members, last_year.trained, last_year.equipped) == (6, 3, 3)


def test_forces_stats_carry_the_targets_and_the_ratings(ward):
    with ward.db.transaction() as session:
        settings.set_setting(session, ward.id, "forces.target_trained_pct", 90, ACTOR)  # the standing target
        assert core_forces.forces_stats(session, ward.id, 2025)["target_trained_pct"] == 90.0
        trained = next(row for row in targets.year_targets(session, ward.id, YEAR) if row.code == "forces_trained_pct")
        targets.update_target(session, trained.id, replace(trained, target=80), ACTOR)  # the plan's, for its year
        forces.set_force_rating(session, ward.id, YEAR, ward.unit_id(KDC), ForceLevel.KHONG_HOAN_THANH, "", ACTOR)
    stats = ward.call(core_forces.forces_stats, YEAR)
    assert stats["members"] == 0 and stats["trained_pct"] is None
    assert stats["target_trained_pct"] == 80.0
    assert stats["ratings"] == {"hoan_thanh_xuat_sac": 0, "hoan_thanh_tot": 0, "hoan_thanh": 0, "khong_hoan_thanh": 1}
    assert stats["ratings_unrated"] == 19
    assert set(stats["by_kind"]) == {"to-bao-ve", "bao-ve-co-quan", "dan-phong"}


# ---- the demo ----------------------------------------------------------------------------------


def test_the_demo_forces_are_realistic_and_repeatable(ward, tmp_path):
    added = ward.call(core_forces.add_demo_forces, YEAR, ACTOR, TODAY)
    rows = ward.call(core_forces.list_members, YEAR, today=TODAY)
    per_group = {}
    for row in rows:
        if row.force_kind is ForceKind.TO_BAO_VE:
            per_group[row.unit_name] = per_group.get(row.unit_name, 0) + 1
    assert len(per_group) == 20 and all(3 <= n <= 5 for n in per_group.values())
    assert sum(row.force_kind is ForceKind.DAN_PHONG for row in rows) == 8
    assert any(row.force_kind is ForceKind.BAO_VE_CO_QUAN for row in rows)
    assert len(rows) == added
    trainings = ward.call(core_forces.list_trainings, YEAR)
    assert len(trainings) == 2
    total = _year(ward).total
    assert 0.8 * total.members < total.trained < total.members
    assert 0.8 * total.members < total.equipped < total.members
    ratings = ward.call(forces.rating_counts, YEAR)
    assert ratings.by_level[ForceLevel.KHONG_HOAN_THANH] == 1 and 0 < ratings.unrated < 5
    assert sum(row.left_on is not None for row in rows) == 2
    # the same on every run
    other_db = open_database(tmp_path / "other.sqlite")
    with other_db.transaction() as session:
        demo.load_demo(session, ACTOR, field_work=False)
        other = profile_service.require_profile(session).id
        core_forces.add_demo_forces(session, other, YEAR, ACTOR, TODAY)
        again = core_forces.list_members(session, other, YEAR, today=TODAY)
    other_db.close()
    assert [(r.full_name, r.phone, r.unit_name) for r in again] == [(r.full_name, r.phone, r.unit_name) for r in rows]
