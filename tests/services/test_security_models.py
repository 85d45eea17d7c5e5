"""The movement's models: the rules, the messages, dissolution, the yearly grade and the target by hand count."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain.models_movement import (
    GradeLevel,
    active_at_year_end,
    at_or_above,
    grade_counts,
    parse_levels,
    takes_part_in,
)
from antq_desktop.errors import UserError
from antq_desktop.services import security_models as sm
from antq_desktop.services import settings
from antq_desktop.services import units as unit_service
from antq_desktop.services.security_models import NO_GRADE, ModelInput
from tests.services.antt_helpers import AnttWard

ACTOR = "cán bộ A"
YEAR = 2025
LEVELS = parse_levels(settings.DEFAULTS["models.levels"])


# ---- pure rules ----------------------------------------------------------------------------------

def test_levels_are_read_from_the_setting_highest_first():
    assert [level.code for level in LEVELS] == ["tot", "kha", "trung_binh", "yeu"]
    assert parse_levels([{"code": "a"}, {"label": "no code"}, {"code": "a", "label": "again"}, "junk"]) == (
        GradeLevel("a", "a"),)


def test_kha_or_above_follows_the_levels_rank():
    assert [at_or_above(LEVELS, code) for code in ("tot", "kha", "trung_binh", "yeu", "gone")] == [
        True, True, False, False, False]
    # Without a "kha" level the second level is the bound.
    other = parse_levels([{"code": "xuat_sac"}, {"code": "dat"}, {"code": "chua_dat"}])
    assert [at_or_above(other, code) for code in ("xuat_sac", "dat", "chua_dat")] == [True, True, False]
    assert at_or_above(parse_levels([{"code": "dat"}]), "dat")


def test_grade_counts_keep_every_level_and_unknown_codes():
    assert grade_counts(LEVELS, ["kha", "tot", "kha", "old"]) == {"tot": 1, "kha": 2, "trung_binh": 0, "yeu": 0,
                                                                 "old": 1}


@pytest.mark.parametrize("started, dissolved, part, active", [
    (None, None, True, True),
    (date(2025, 12, 31), None, True, True),
    (date(2026, 1, 1), None, False, False),
    (date(2020, 1, 1), date(2025, 6, 30), True, False),
    (date(2020, 1, 1), date(2024, 12, 31), False, False),
    (date(2020, 1, 1), date(2026, 1, 2), True, True),
])
def test_a_model_takes_part_from_its_start_year_to_its_dissolution_year(started, dissolved, part, active):
    assert takes_part_in(started, dissolved, 2025) is part
    assert active_at_year_end(started, dissolved, 2025) is active


# ---- on a real database ---------------------------------------------------------------------------

@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _add(ward: AnttWard, name: str = "Camera an ninh", hosts: tuple[str, ...] = (), **fields) -> int:
    data = ModelInput(name, fields.pop("kind", "Camera an ninh"), tuple(ward.unit_id(h) for h in hosts), **fields)
    return ward.ward_call(sm.add_model, data, ACTOR)


def _grade(ward: AnttWard, model_id: int, level: str | None, year: int = YEAR, note: str = "", expected=None):
    ward.call(sm.set_grade, model_id, year, level, note, ACTOR, expected)


def _model(ward: AnttWard, model_id: int, year: int = YEAR) -> sm.ModelRow:
    return ward.call(sm.get_model, model_id, year)


def _refused(ward: AnttWard, function, *args) -> str:
    with pytest.raises(UserError) as caught:
        ward.call(function, *args)
    return caught.value.message


def test_add_a_model_with_its_hosts_in_vietnamese_order(ward):
    model_id = _add(ward, "Camera an ninh", ("Tổ dân phố 10", "Tổ dân phố 2"), started_on=date(2021, 8, 19),
                    sites=46, teams=3, members=120, description="  Camera  ở các ngõ ")
    row = _model(ward, model_id)
    assert (row.host_names, row.sites, row.teams, row.members, row.description) == (
        "Tổ dân phố 2, Tổ dân phố 10", 46, 3, 120, "Camera ở các ngõ")
    assert (row.status, row.gradable, row.grade, row.expected_grade_version) == ("Đang hoạt động", True, None, NO_GRADE)
    assert [r.name for r in ward.ward_call(sm.year_models, YEAR)] == ["Camera an ninh"]


@pytest.mark.parametrize("data, message", [
    (ModelInput("  "), "Hãy nhập tên mô hình"),
    (ModelInput("x" * 301), "Tên mô hình dài quá 300 ký tự."),
    (ModelInput("A", started_on=date(1970, 1, 1)), "Ngày bắt đầu 01/01/1970 không hợp lệ"),
    (ModelInput("A", started_on=date(2999, 1, 1)), "Ngày bắt đầu 01/01/2999 không hợp lệ"),
    (ModelInput("A", members=-3), "Số thành viên phải từ 0 đến 100.000."),
])
def test_wrong_models_are_refused_with_a_message(ward, data, message):
    assert _refused(ward, sm.add_model, ward.ward_id, data, ACTOR).startswith(message)


def test_two_models_in_operation_may_not_share_a_name_but_a_dissolved_one_frees_it(ward):
    first = _add(ward, "Tổ tự quản tổ dân phố 3")
    message = _refused(ward, sm.add_model, ward.ward_id, ModelInput("to tu quan TO DAN PHO 3"), ACTOR)
    assert message.startswith("Đã có mô hình \u201cTổ tự quản tổ dân phố 3\u201d đang hoạt động.")
    ward.call(sm.dissolve_model, first, date(2024, 5, 1), "Không hiệu quả", ACTOR)
    second = _add(ward, "Tổ tự quản tổ dân phố 3")
    # Reactivating the old one would make two of the same name.
    assert _refused(ward, sm.reactivate_model, first, ACTOR).startswith("Đã có mô hình")
    assert second != first


def test_a_new_host_must_be_active_but_an_old_host_stays(ward):
    model_id = _add(ward, hosts=("Tổ dân phố 4",))
    ward.call(unit_service.dissolve_unit, ward.unit_id("Tổ dân phố 4"), date(2025, 7, 1), "Sáp xếp lại", ACTOR)
    row = _model(ward, model_id)
    ward.call(sm.update_model, model_id, row.as_input(), ACTOR, row.version)  # kept as it was
    assert _model(ward, model_id).host_names == "Tổ dân phố 4"
    other = ModelInput("Khác", unit_ids=(ward.unit_id("Tổ dân phố 4"),))
    assert _refused(ward, sm.add_model, ward.ward_id, other, ACTOR) == (
        "\u201cTổ dân phố 4\u201d không còn hoạt động nên không chọn làm đơn vị chủ trì mới được.")


def test_an_edit_of_a_model_someone_saved_meanwhile_is_refused(ward):
    model_id = _add(ward)
    seen = _model(ward, model_id)
    ward.call(sm.update_model, model_id, ModelInput("Camera an ninh phường"), ACTOR, seen.version)
    message = _refused(ward, sm.update_model, model_id, ModelInput("Bản cũ"), ACTOR, seen.version)
    assert message.startswith("Bản ghi này vừa được người khác sửa")
    assert _model(ward, model_id).name == "Camera an ninh phường"


def test_grade_a_model_change_and_remove_the_grade(ward):
    model_id = _add(ward)
    _grade(ward, model_id, "kha", note="Hoạt động đều", expected=NO_GRADE)
    row = _model(ward, model_id)
    assert (row.grade, row.grade_label, row.grade_note) == ("kha", "Khá", "Hoạt động đều")
    # Someone else's grade meanwhile: the user saw none.
    with pytest.raises(UserError):
        _grade(ward, model_id, "tot", expected=NO_GRADE)
    _grade(ward, model_id, "tot", expected=row.grade_version)
    assert _model(ward, model_id).grade == "tot"
    assert _refused(ward, sm.set_grade, model_id, YEAR, None, "ghi chú", ACTOR).startswith("Chưa chọn mức xếp loại")
    _grade(ward, model_id, None)
    assert _model(ward, model_id).grade is None


def test_grades_only_for_known_levels_and_the_years_the_model_takes_part_in(ward):
    model_id = _add(ward, started_on=date(2023, 4, 1))
    assert _refused(ward, sm.set_grade, model_id, YEAR, "xuat_sac", "", ACTOR).startswith(
        "Mức xếp loại \u201cxuat_sac\u201d không có trong danh sách mức (Tốt, Khá, Trung bình, Yếu).")
    assert _refused(ward, sm.set_grade, model_id, 2022, "kha", "", ACTOR) == (
        "Mô hình \u201cCamera an ninh\u201d bắt đầu từ năm 2023 nên không xếp loại năm 2022 được.")
    ward.call(sm.dissolve_model, model_id, date(2024, 9, 30), "Hết kinh phí duy trì", ACTOR)
    _grade(ward, model_id, "trung_binh", year=2024)  # its dissolution year still gets a grade
    assert _refused(ward, sm.set_grade, model_id, YEAR, "kha", "", ACTOR) == (
        "Mô hình \u201cCamera an ninh\u201d đã giải thể ngày 30/09/2024 nên không xếp loại năm 2025 được.")


def test_dissolve_keeps_the_model_and_reactivate_undoes_a_mistake(ward):
    model_id = _add(ward, started_on=date(2020, 1, 1))
    assert _refused(ward, sm.dissolve_model, model_id, date(2025, 3, 1), "  ", ACTOR).startswith(
        "Hãy ghi lý do giải thể")
    assert _refused(ward, sm.dissolve_model, model_id, date(2019, 3, 1), "x", ACTOR).startswith(
        "Ngày giải thể 01/03/2019 không hợp lệ: hãy nhập một ngày từ 01/01/2020 đến hôm nay.")
    assert _refused(ward, sm.dissolve_model, model_id, date(2999, 3, 1), "x", ACTOR).startswith(
        "Ngày giải thể 01/03/2999 không hợp lệ")
    _grade(ward, model_id, "kha", year=YEAR)
    assert _refused(ward, sm.dissolve_model, model_id, date(2024, 3, 1), "x", ACTOR).startswith(
        "Mô hình đã được xếp loại năm 2025, sau năm giải thể 2024.")
    ward.call(sm.dissolve_model, model_id, date(2025, 3, 1), "Không còn thành viên", ACTOR)
    row = _model(ward, model_id)
    assert (row.status, row.dissolved_reason, row.grade) == ("Giải thể 01/03/2025", "Không còn thành viên", "kha")
    assert _model(ward, model_id, 2024).status == "Đang hoạt động"
    assert _refused(ward, sm.dissolve_model, model_id, date(2025, 4, 1), "x", ACTOR).startswith(
        "Mô hình \u201cCamera an ninh\u201d đã giải thể ngày 01/03/2025.")
    # Hidden from the years after, unless asked.
    assert ward.ward_call(sm.year_models, 2026) == []
    assert [r.id for r in ward.ward_call(sm.year_models, 2026, with_old_dissolved=True)] == [model_id]
    assert not ward.ward_call(sm.year_models, 2026, with_old_dissolved=True)[0].gradable
    ward.call(sm.reactivate_model, model_id, ACTOR)
    row = _model(ward, model_id)
    assert (row.dissolved_on, row.dissolved_reason, row.status) == (None, "", "Đang hoạt động")
    assert _refused(ward, sm.reactivate_model, model_id, ACTOR).endswith("đang hoạt động, không cần khôi phục.")


def test_the_years_figures_and_target_by_hand_count(ward):
    graded = {"Tốt 1": "tot", "Khá 1": "kha", "Trung bình 1": "trung_binh", "Yếu 1": "yeu"}
    for name, level in graded.items():
        _grade(ward, _add(ward, name, started_on=date(2022, 1, 1)), level)
    closing = _add(ward, "Giải thể trong năm", started_on=date(2022, 1, 1))
    _grade(ward, closing, "kha")
    ward.call(sm.dissolve_model, closing, date(YEAR, 8, 1), "Không hiệu quả", ACTOR)
    _add(ward, "Chưa xếp loại")
    old = _add(ward, "Giải thể năm trước", started_on=date(2020, 1, 1))
    ward.call(sm.dissolve_model, old, date(YEAR - 1, 8, 1), "Không hiệu quả", ACTOR)
    _add(ward, "Bắt đầu năm sau", started_on=date(YEAR + 1, 2, 1))

    # By hand: 6 models take part (4 graded + the one dissolved this year + the ungraded one);
    # 5 are active at the year's end; Khá or above: Tốt 1, Khá 1 and the dissolved one graded Khá = 3.
    figures = ward.ward_call(sm.models_stats, YEAR)
    assert figures == {
        "year": YEAR, "total": 6, "active": 5, "dissolved_this_year": 1, "graded": 5, "ungraded": 1,
        "by_level": {"tot": 1, "kha": 2, "trung_binh": 1, "yeu": 1},
        "level_labels": {"tot": "Tốt", "kha": "Khá", "trung_binh": "Trung bình", "yeu": "Yếu"},
        "kha_or_above": 3, "target_kha_or_above": 2, "met": True,
    }
    assert ward.ward_call(sm.model_target, YEAR).summary == "Mô hình xếp loại Khá trở lên: 3/2 — đạt"
    ward.set_setting("models.target_kha_or_above", 4)
    assert ward.ward_call(sm.model_target, YEAR).summary == "Mô hình xếp loại Khá trở lên: 3/4 — chưa đạt"


def test_levels_are_data(ward):
    ward.set_setting("models.levels", [{"code": "xuat_sac", "label": "Xuất sắc"}, {"code": "kha", "label": "Khá"},
                                       {"code": "dat", "label": "Đạt"}])
    for name, level in (("A", "xuat_sac"), ("B", "dat")):
        _grade(ward, _add(ward, name), level)
    figures = ward.ward_call(sm.models_stats, YEAR)
    assert (figures["by_level"], figures["kha_or_above"]) == ({"xuat_sac": 1, "kha": 0, "dat": 1}, 1)


def test_the_demo_models(ward):
    assert ward.ward_call(sm.add_demo_models, YEAR, ACTOR) == 5
    figures = ward.ward_call(sm.models_stats, YEAR)
    assert (figures["total"], figures["active"], figures["dissolved_this_year"], figures["graded"]) == (5, 4, 1, 4)
    assert (figures["by_level"], figures["met"]) == ({"tot": 2, "kha": 1, "trung_binh": 1, "yeu": 0}, True)
    names = {row.name: row for row in ward.ward_call(sm.year_models, YEAR)}
    assert names["Camera an ninh"].host_names == "Tổ dân phố 5, Tổ dân phố 6, Tổ dân phố 8"
    assert names["Nhóm Zalo phản ánh an ninh, trật tự"].host_names == ""
    assert "Camera an ninh" in ward.ward_call(sm.kind_suggestions)
