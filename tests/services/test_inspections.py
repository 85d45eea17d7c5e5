"""Inspections on the demo ward: plan, visit, recommendations, version checks, coverage by hand count."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import text

from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.errors import UserError
from antq_desktop.services import inspections, settings
from antq_desktop.services.inspections import InspectionInput, RecommendationInput
from tests.services.antt_helpers import ACTOR, AnttWard

YEAR = 2026
TODAY = date(2026, 6, 15)
VISIT = date(2026, 3, 10)
KDC = "Tổ dân phố 7"


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _add(ward: AnttWard, name: str = KDC, year: int = YEAR, **fields) -> int:
    data = InspectionInput(unit_id=ward.unit_id(name), **fields)
    return ward.ward_call(inspections.add_inspection, year, data, ACTOR, TODAY)


def _visit(ward: AnttWard, name: str = KDC, day: date = VISIT, **fields) -> int:
    return _add(ward, name, visited_on=day, **fields)


def _update(ward: AnttWard, inspection_id: int, **changes) -> None:
    view = _view(ward, inspection_id)
    fields = {f.name: getattr(view, f.name) for f in dataclasses.fields(InspectionInput)}
    fields.update(changes)
    ward.call(inspections.update_inspection, inspection_id, InspectionInput(**fields), ACTOR, view.version, TODAY)


def _view(ward: AnttWard, inspection_id: int) -> inspections.InspectionView:
    return ward.call(inspections.get_inspection, inspection_id)


def _refused(function, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        function(*args, **kwargs)
    return info.value.message


def _dissolve(ward: AnttWard, name: str) -> None:
    with ward.db.transaction() as session:
        session.execute(text("UPDATE unit SET status = 'dissolved', status_date = '2026-07-01' WHERE name = :name"),
                        {"name": name})


def _cover(ward: AnttWard, today: date = TODAY) -> inspections.Coverage:
    return ward.ward_call(inspections.coverage, YEAR, today)


# ---- plan and visit ----------------------------------------------------------------------------


def test_plan_then_record_the_visit_with_recommendations(ward):
    inspection_id = ward.ward_call(inspections.plan_inspection, YEAR, ward.unit_id(KDC), InspectionKind.KIEM_TRA,
                                   date(2026, 3, 5), "  Đoàn kiểm tra\u00a0Công an phường ", ACTOR)
    view = _view(ward, inspection_id)
    assert (view.unit_name, view.year, view.planned_on, view.planned_by, view.visited_on, view.version) == (
        KDC, YEAR, date(2026, 3, 5), "Đoàn kiểm tra Công an phường", None, 1)

    data = dataclasses.replace(
        view, visited_on=VISIT, started_at="8h30", ended_at="10 giờ", place="Nhà văn hóa Tổ dân phố 7",
        team="Ông Nguyễn Văn An, Phó Trưởng Công an phường, Trưởng đoàn\n\nBà Lê Thị Lan, Cảnh sát khu vực, thư ký",
        findings="Sổ tạm trú chưa cập nhật.", minutes_number="12",
        recommendations=(RecommendationInput(" Cập nhật sổ tạm trú ", date(2026, 4, 10)),
                         RecommendationInput("Sửa camera", date(2026, 5, 10), date(2026, 5, 2), "Đã sửa")))
    ward.call(inspections.record_visit, inspection_id, InspectionInput(**{
        f.name: getattr(data, f.name) for f in dataclasses.fields(InspectionInput)}), ACTOR, 1, TODAY)
    view = _view(ward, inspection_id)
    assert (view.visited_on, view.started_at, view.ended_at, view.minutes_number, view.version) == (
        VISIT, "08:30", "10:00", "12", 2)
    assert view.team == "Ông Nguyễn Văn An, Phó Trưởng Công an phường, Trưởng đoàn\n\nBà Lê Thị Lan, Cảnh sát khu vực, thư ký"
    assert view.recommendations == (RecommendationInput("Cập nhật sổ tạm trú", date(2026, 4, 10), None, ""),
                                    RecommendationInput("Sửa camera", date(2026, 5, 10), date(2026, 5, 2), "Đã sửa"))
    (row,) = ward.ward_call(inspections.year_inspections, YEAR, TODAY)
    assert (row.made, row.team, row.recommendations, row.open_recommendations, row.overdue) == (
        True, "Nguyễn Văn An", 2, 1, 1)
    (stamps,) = ward.raw("SELECT created_by, updated_by FROM inspection")
    assert tuple(stamps) == (ACTOR, ACTOR)


def test_record_visit_needs_a_date(ward):
    inspection_id = _add(ward, planned_on=date(2026, 3, 5))
    data = InspectionInput(unit_id=ward.unit_id(KDC))
    assert _refused(ward.call, inspections.record_visit, inspection_id, data, ACTOR) == "Hãy nhập ngày kiểm tra."


def test_a_visit_recorded_without_a_plan(ward):
    inspection_id = _visit(ward, kind=InspectionKind.HUONG_DAN)
    view = _view(ward, inspection_id)
    assert (view.kind, view.planned_on, view.visited_on) == (InspectionKind.HUONG_DAN, None, VISIT)


def test_date_and_time_rules(ward):
    assert _refused(_add, ward, planned_on=date(2027, 1, 5)) == (
        "Ngày dự kiến 05/01/2027 không thuộc năm 2026 của kế hoạch.")
    assert _refused(_visit, ward, day=date(2025, 12, 30)) == (
        "Ngày kiểm tra 30/12/2025 không thuộc năm 2026 của kế hoạch.")
    assert _refused(_visit, ward, day=date(2026, 6, 16)).startswith("Ngày kiểm tra 16/06/2026 ở tương lai")
    assert _refused(_visit, ward, started_at="10:00", ended_at="9:00") == (
        "Giờ kết thúc (09:00) phải sau giờ bắt đầu (10:00).")
    assert _refused(_visit, ward, started_at="25h").startswith('Giờ bắt đầu "25h" không hợp lệ.')
    assert ward.scalar("SELECT count(*) FROM inspection") == 0


def test_results_need_a_visit_date(ward):
    message = _refused(_add, ward, findings="Tốt", minutes_number="3")
    assert message.startswith("Đã nhập kết quả kiểm tra, số biên bản nhưng chưa có ngày kiểm tra")
    # what may be prepared at planning is accepted
    _add(ward, place="Nhà văn hóa", team="Ông A, Trưởng đoàn", content="Kiểm tra sổ sách", basis="Căn cứ Kế hoạch")


def test_recommendation_rules_through_the_service(ward):
    def recommend(*items, day=VISIT):
        return _visit(ward, day=day, recommendations=tuple(items))

    assert _refused(recommend, RecommendationInput("A", date(2026, 4, 1)), RecommendationInput(" ", None)) == (
        "Kiến nghị 2: hãy nhập nội dung kiến nghị (hoặc xoá dòng trống).")
    assert _refused(recommend, RecommendationInput("A")) == "Kiến nghị 1: hãy nhập thời hạn thực hiện."
    assert _refused(recommend, RecommendationInput("A", date(2026, 3, 9))) == (
        "Kiến nghị 1: thời hạn 09/03/2026 trước ngày kiểm tra 10/03/2026.")
    assert _refused(recommend, RecommendationInput("A", date(2026, 4, 1), date(2026, 3, 9))) == (
        "Kiến nghị 1: ngày hoàn thành 09/03/2026 trước ngày kiểm tra 10/03/2026.")
    assert _refused(recommend, RecommendationInput("A", date(2026, 4, 1), date(2026, 6, 16))) == (
        "Kiến nghị 1: ngày hoàn thành 16/06/2026 ở tương lai.")
    assert _refused(_add, ward, recommendations=(RecommendationInput("A", date(2026, 4, 1)),)) == (
        "Kiến nghị 1: chỉ ghi kiến nghị sau khi đã kiểm tra; hãy nhập ngày kiểm tra trước.")
    assert ward.scalar("SELECT count(*) FROM inspection") == 0


def test_texts_too_long_are_refused(ward):
    assert _refused(_visit, ward, minutes_number="1" * 21) == "Số biên bản dài quá 20 ký tự."
    assert _refused(_add, ward, place="x" * 301) == "Địa điểm dài quá 300 ký tự."
    assert _refused(_add, ward, planned_by="x" * 301) == "Người, đoàn thực hiện dài quá 300 ký tự."


def test_units_must_be_of_the_ward_and_active_for_a_new_inspection(ward):
    assert _refused(ward.ward_call, inspections.add_inspection, YEAR, InspectionInput(unit_id=0), ACTOR, TODAY) == (
        "Hãy chọn đơn vị được kiểm tra.")
    inspection_id = _visit(ward)
    _dissolve(ward, KDC)
    assert _refused(_add, ward) == f"\u201c{KDC}\u201d không còn hoạt động nên không lên kế hoạch kiểm tra mới được."
    _update(ward, inspection_id, findings="Sửa lại sau khi tổ giải thể")   # its past record can still be corrected
    assert KDC not in [u.name for u in ward.ward_call(inspections.unit_choices)]
    assert KDC in [u.name for u in ward.ward_call(inspections.unit_choices, ward.unit_id(KDC))]


def test_unit_choices_kdc_first_in_vietnamese_order(ward):
    choices = ward.ward_call(inspections.unit_choices)
    assert [c.name for c in choices[:3]] == ["Tổ dân phố 1", "Tổ dân phố 2", "Tổ dân phố 3"]
    kinds = [c.kind.rank for c in choices]
    assert kinds == sorted(kinds) and len(choices) == 68


# ---- edits, versions, delete -------------------------------------------------------------------


def test_a_stale_edit_is_refused(ward):
    inspection_id = _visit(ward)
    view = _view(ward, inspection_id)
    _update(ward, inspection_id, findings="Người khác sửa")
    data = InspectionInput(unit_id=view.unit_id, visited_on=VISIT, findings="Tôi sửa")
    message = _refused(ward.call, inspections.update_inspection, inspection_id, data, ACTOR, view.version, TODAY)
    assert message.startswith("Bản ghi này vừa được người khác sửa")
    assert _view(ward, inspection_id).findings == "Người khác sửa"


def test_changing_only_the_recommendations_bumps_the_version(ward):
    inspection_id = _visit(ward)
    _update(ward, inspection_id, recommendations=(RecommendationInput("A", date(2026, 4, 1)),))
    _update(ward, inspection_id, recommendations=(RecommendationInput("A", date(2026, 4, 1), date(2026, 4, 1)),))
    view = _view(ward, inspection_id)
    assert view.version == 3 and view.recommendations[0].done_on == date(2026, 4, 1)
    assert ward.scalar("SELECT count(*) FROM inspection_recommendation") == 1


def test_unticking_the_visit_clears_the_results_then_the_plan_can_go(ward):
    inspection_id = _visit(ward, planned_on=date(2026, 3, 1), recommendations=(
        RecommendationInput("A", date(2026, 4, 1)),))
    message = _refused(ward.call, inspections.delete_inspection, inspection_id)
    assert message == (f"Cuộc kiểm tra \u201c{KDC}\u201d ngày 10/03/2026 đã thực hiện nên không xoá được (để giữ hồ sơ "
                       "và biên bản). Nếu ghi sai, hãy mở ra sửa lại; nếu thực ra chưa đi, hãy bỏ chọn "
                       "\u201cĐã kiểm tra\u201d rồi xoá.")
    _update(ward, inspection_id, visited_on=None, recommendations=())
    assert ward.scalar("SELECT count(*) FROM inspection_recommendation") == 0
    ward.call(inspections.delete_inspection, inspection_id, _view(ward, inspection_id).version)
    assert ward.scalar("SELECT count(*) FROM inspection") == 0
    assert _refused(ward.call, inspections.get_inspection, inspection_id).startswith("Không tìm thấy cuộc kiểm tra")


def test_delete_checks_the_version(ward):
    inspection_id = _add(ward)
    _update(ward, inspection_id, planned_by="Đoàn 2")
    assert _refused(ward.call, inspections.delete_inspection, inspection_id, 1).startswith("Bản ghi này vừa")


# ---- coverage and figures, counted by hand -----------------------------------------------------


def test_coverage_counts_both_kinds_and_only_active_groups(ward):
    _visit(ward, "Tổ dân phố 1")
    _visit(ward, "Tổ dân phố 2", kind=InspectionKind.HUONG_DAN)
    _visit(ward, "Tổ dân phố 3", day=date(2026, 2, 1))
    _visit(ward, "Tổ dân phố 3", day=date(2026, 5, 1))
    _add(ward, "Tổ dân phố 4", planned_on=date(2026, 12, 1))
    _add(ward, "Tổ dân phố 4", planned_on=date(2026, 9, 1))
    _visit(ward, "Trường THPT Tân Trào")         # not a residential group
    _dissolve(ward, "Tổ dân phố 20")
    cover = _cover(ward)
    # 19 active groups; 1, 2 and 3 visited: 3/19
    assert (cover.kdc_total, cover.kdc_inspected, cover.required, cover.group_label) == (19, 3, 1, "Tổ dân phố")
    assert cover.summary == "Tổ dân phố đã kiểm tra: 3/19 (15,8%)"
    assert cover.days_left == 199    # 15/06 -> 31/12/2026
    assert [g.name for g in cover.not_inspected] == [f"Tổ dân phố {n}" for n in range(4, 20)]
    four = cover.not_inspected[0]
    assert (four.made, four.next_planned_on) == (0, date(2026, 9, 1)) and four.inspection_id is not None
    assert cover.not_inspected[1].inspection_id is None

    ward.set_setting("inspections.per_kdc_per_year", 2)
    cover = _cover(ward)
    assert (cover.kdc_inspected, cover.required, cover.summary) == (1, 2, "Tổ dân phố đã kiểm tra: 1/19 (5,3%)")
    assert [(g.name, g.made) for g in cover.not_inspected[:2]] == [("Tổ dân phố 1", 1), ("Tổ dân phố 2", 1)]


def test_overdue_follow_ups(ward):
    due = RecommendationInput("Quá hạn", date(2026, 6, 14))
    today_due = RecommendationInput("Hạn hôm nay", TODAY)
    done = RecommendationInput("Đã xong", date(2026, 4, 1), date(2026, 4, 2))
    first = _visit(ward, "Tổ dân phố 2", recommendations=(due, today_due, done))
    _visit(ward, "Tổ dân phố 1", recommendations=(RecommendationInput("Cũ hơn", date(2026, 5, 1)),))
    overdue = _cover(ward).overdue
    assert [(o.unit_name, o.text, o.days_overdue) for o in overdue] == [
        ("Tổ dân phố 1", "Cũ hơn", 45), ("Tổ dân phố 2", "Quá hạn", 1)]
    assert overdue[1].inspection_id == first


def test_inspection_stats_by_hand(ward):
    _visit(ward, "Tổ dân phố 1", recommendations=(RecommendationInput("A", date(2026, 4, 1)),
                                                  RecommendationInput("B", date(2026, 7, 1))))
    _visit(ward, "Tổ dân phố 2", kind=InspectionKind.HUONG_DAN)
    _visit(ward, "Công ty Cổ phần Xi măng Tân Quang")
    _add(ward, "Tổ dân phố 3", planned_on=date(2026, 6, 1))    # late: 01/06 passed on 15/06
    _add(ward, "Tổ dân phố 4", planned_on=date(2026, 9, 1))
    _add(ward, "Tổ dân phố 5", year=2025, planned_on=date(2025, 9, 1))   # another year
    stats = ward.ward_call(inspections.inspection_stats, YEAR, TODAY)
    assert stats == {
        "planned": 5, "made": 3, "not_made": 2, "late": 1, "made_by_kind": {"kiem_tra": 2, "huong_dan": 1},
        "required_per_kdc": 1, "kdc_total": 20, "kdc_inspected": 2, "kdc_inspected_pct": 10.0,
        "not_inspected": [f"Tổ dân phố {n}" for n in range(3, 21)], "days_left": 199,
        "recommendations": 2, "recommendations_open": 2, "overdue_followups": 1,
    }


def test_an_empty_year(ward):
    stats = ward.ward_call(inspections.inspection_stats, 2030, date(2030, 1, 1))
    assert (stats["planned"], stats["kdc_inspected"], stats["kdc_inspected_pct"], stats["days_left"]) == (0, 0, 0.0, 364)
    assert _refused(ward.ward_call, inspections.year_inspections, 1999).startswith("Năm 1999 không hợp lệ")


def test_year_list_is_in_date_order(ward):
    _add(ward, "Tổ dân phố 3")
    _visit(ward, "Tổ dân phố 2", day=date(2026, 5, 1))
    _add(ward, "Tổ dân phố 1", planned_on=date(2026, 4, 1))
    rows = ward.ward_call(inspections.year_inspections, YEAR, TODAY)
    assert [(r.unit_name, r.late) for r in rows] == [("Tổ dân phố 1", True), ("Tổ dân phố 2", False),
                                                    ("Tổ dân phố 3", False)]


# ---- the minutes -------------------------------------------------------------------------------


def test_minutes_data_and_pdf(ward, tmp_path):
    inspection_id = _visit(
        ward, started_at="8:30", ended_at="10:15", minutes_number="7",
        team="Đại úy Trần Quang Hải, Phó Trưởng Công an phường, Trưởng đoàn\nTrung úy Phạm Thu Trang, thư ký",
        unit_attendees="Ông Nguyễn Văn Bình, Tổ trưởng", recommendations=(RecommendationInput("Sửa camera",
                                                                                            date(2026, 4, 30)),))
    minutes = ward.call(inspections.inspection_minutes, inspection_id)
    assert (minutes.symbol, minutes.number, minutes.unit_signer, minutes.secretary, minutes.team_head) == (
        "BB-CAP", "7", "Nguyễn Văn Bình", "Trung úy Phạm Thu Trang", "Đại úy Trần Quang Hải")
    pdf = ward.call(inspections.inspection_minutes_pdf, inspection_id)
    path = tmp_path / "bb.pdf"
    path.write_bytes(pdf)
    text = " ".join("".join(page.extract_text() for page in PdfReader(path).pages).split())
    for expected in ("Số: 07/BB-CAP", "BIÊN BẢN", "vào hồi 08 giờ 30 phút", "kết thúc vào hồi 10 giờ 15 phút",
                     "Sửa camera; thời hạn hoàn thành trước ngày 30/04/2026."):
        assert expected in text


def test_a_plan_has_no_minutes_yet(ward):
    inspection_id = _add(ward)
    assert _refused(ward.call, inspections.inspection_minutes_pdf, inspection_id) == (
        f"\u201c{KDC}\u201d mới có kế hoạch, chưa ghi kết quả kiểm tra nên chưa in được biên bản. Hãy ghi kết quả trước.")


# ---- the demo ----------------------------------------------------------------------------------


def test_demo_year(ward):
    added = ward.ward_call(inspections.add_demo_inspections, YEAR, ACTOR, date(2026, 11, 22))
    stats = ward.ward_call(inspections.inspection_stats, YEAR, date(2026, 11, 22))
    assert added == stats["planned"] == 25
    assert (stats["made"], stats["kdc_inspected"], stats["kdc_total"], stats["overdue_followups"]) == (23, 17, 20, 1)
    assert stats["not_inspected"] == ["Tổ dân phố 6", "Tổ dân phố 13", "Tổ dân phố 19"]
    assert stats["made_by_kind"]["huong_dan"] == 2 and stats["recommendations"] >= 5


def test_demo_early_in_the_year_only_plans(ward):
    added = ward.ward_call(inspections.add_demo_inspections, YEAR, ACTOR, date(2026, 1, 5))
    stats = ward.ward_call(inspections.inspection_stats, YEAR, date(2026, 1, 5))
    assert (added, stats["made"]) == (25, 0)


def test_settings_default_one_visit(ward):
    assert ward.ward_call(settings.get_setting, "inspections.per_kdc_per_year") == 1
