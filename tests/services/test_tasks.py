"""The plan's task table: lines in TT order, their checks, renumbering and moving, the follow-up
(status and the day done), the copy to another year, what the dashboard counts down to, the
year's figures, the demo year from the real plan, and the printed annex."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from antq_desktop.errors import UserError
from antq_desktop.services import tasks
from antq_desktop.services.tasks import TaskInput, TaskStatus
from tests.services.antt_helpers import ACTOR, YEAR, AnttWard


@pytest.fixture
def ward(demo_db) -> AnttWard:
    return AnttWard(demo_db)


def _add(ward: AnttWard, content: str, year: int = YEAR, **more) -> int:
    return ward.ward_call(tasks.add_task, year, TaskInput(content, **more), ACTOR)


def _rows(ward: AnttWard, year: int = YEAR) -> list[tasks.TaskRow]:
    return ward.ward_call(tasks.year_tasks, year)


def _refused(ward: AnttWard, function, *args, **kwargs) -> str:
    with pytest.raises(UserError) as info:
        ward.call(function, *args, **kwargs)
    return info.value.message


def _three(ward: AnttWard) -> list[int]:
    return [_add(ward, "Quán triệt", lead="Công an phường", due_text="Quý I", due_date=date(YEAR, 3, 31)),
            _add(ward, "Ngày hội 19/8", due_text="Trước 19/8", due_date=date(YEAR, 8, 19)),
            _add(ward, "Tổng kết", due_text="Tháng 12")]


# ---- adding, reading, correcting ------------------------------------------------------------------

def test_the_demo_ward_starts_with_an_empty_table(ward):
    assert _rows(ward) == []
    assert ward.ward_call(tasks.task_stats, YEAR)["total"] == 0


def test_tasks_are_added_at_the_end_cleaned_and_stamped(ward):
    first = _add(ward, "  Tổ chức   quán triệt\u00a0Nghị quyết 33  ", lead=" Công an  phường ",
                 partners="Ủy ban MTTQ Việt Nam phường;  Ban Chỉ huy Quân sự phường",
                 due_text=" Quý I ", due_date=date(YEAR, 3, 31), notes="dòng 1\n\n\n dòng 2 ")
    second = _add(ward, "Tổng kết")
    rows = _rows(ward)
    assert [(row.id, row.number) for row in rows] == [(first, 1), (second, 2)]
    row = rows[0]
    assert (row.content, row.lead, row.partners, row.due_text, row.notes) == (
        "Tổ chức quán triệt Nghị quyết 33", "Công an phường",
        "Ủy ban MTTQ Việt Nam phường; Ban Chỉ huy Quân sự phường", "Quý I", "dòng 1\n\ndòng 2")
    assert (row.status, row.done_on, row.year, row.version) == (TaskStatus.CHUA, None, YEAR, 1)
    assert row.due_shown == "Quý I" and rows[1].due_shown == ""
    stamped = ward.raw("SELECT created_by, updated_by, created_at IS NOT NULL, updated_at IS NOT NULL "
                       "FROM plan_task WHERE id = :id", id=first)
    assert stamped == [(ACTOR, ACTOR, 1, 1)]
    assert ward.call(tasks.get_task, second).number == 2


def test_a_due_day_alone_is_shown_as_a_date(ward):
    _add(ward, "Báo cáo", due_date=date(YEAR, 10, 30))
    assert _rows(ward)[0].due_shown == "30/10/2026"


def test_an_update_is_checked_stamped_and_refused_when_stale(ward):
    task_id = _add(ward, "Quán triệt")
    seen = _rows(ward)[0]
    ward.call(tasks.update_task, task_id, TaskInput("Quán triệt Nghị quyết 33", "Công an phường", due_text="Quý I"),
              "cán bộ B", seen.version)
    row = _rows(ward)[0]
    assert (row.content, row.lead, row.due_text, row.version) == ("Quán triệt Nghị quyết 33", "Công an phường",
                                                                 "Quý I", 2)
    assert ward.scalar("SELECT updated_by FROM plan_task WHERE id = :id", id=task_id) == "cán bộ B"
    # A second officer still holding version 1 is refused, and nothing of his is written.
    message = _refused(ward, tasks.update_task, task_id, TaskInput("Khác"), ACTOR, seen.version)
    assert message.startswith("Bản ghi này vừa được người khác sửa")
    assert _rows(ward)[0].content == "Quán triệt Nghị quyết 33"
    assert _refused(ward, tasks.delete_task, task_id, ACTOR, seen.version).startswith("Bản ghi này vừa")
    assert _refused(ward, tasks.set_status, task_id, "xong", ACTOR, None, seen.version).startswith("Bản ghi này")


@pytest.mark.parametrize(("data", "message"), [
    (TaskInput("   "), "Hãy nhập nội dung nhiệm vụ."),
    (TaskInput("x" * 1001), "Nội dung nhiệm vụ dài quá 1000 ký tự (đang có 1001 ký tự). Hãy viết gọn lại."),
    (TaskInput("Quán triệt", lead="x" * 301), "Cơ quan chủ trì dài quá 300 ký tự"),
    (TaskInput("Quán triệt", partners="x" * 501), "Cơ quan phối hợp dài quá 500 ký tự"),
    (TaskInput("Quán triệt", due_text="x" * 201), "Thời gian hoàn thành dài quá 200 ký tự"),
    (TaskInput("Quán triệt", notes="x" * 301), "Ghi chú dài quá 300 ký tự"),
    (TaskInput("Quán triệt", due_date=date(YEAR + 2, 1, 1)),
     "Hạn hoàn thành 01/01/2028 không hợp lệ: nhiệm vụ của kế hoạch năm 2026 có ngày từ 01/01/2025 đến 31/12/2027."),
    (TaskInput("Quán triệt", due_date=date(YEAR - 2, 12, 31)), "Hạn hoàn thành 31/12/2024 không hợp lệ"),
])
def test_what_is_refused(ward, data, message):
    with pytest.raises(UserError) as info:
        ward.ward_call(tasks.add_task, YEAR, data, ACTOR)
    assert info.value.message.startswith(message)
    assert _rows(ward) == []


def test_a_due_day_in_the_year_around_is_accepted(ward):
    _add(ward, "Bắt đầu sớm", due_date=date(YEAR - 1, 1, 1))
    _add(ward, "Kết thúc muộn", due_date=date(YEAR + 1, 12, 31))
    assert [row.due_date for row in _rows(ward)] == [date(YEAR - 1, 1, 1), date(YEAR + 1, 12, 31)]
    assert _refused(ward, tasks.add_task, ward.ward_id, 1999, TaskInput("x"), ACTOR).startswith("Năm 1999")


def test_a_task_removed_meanwhile_is_named(ward):
    missing = "Không tìm thấy nhiệm vụ này; có thể người khác vừa xoá. Hãy tải lại biểu phân công."
    assert _refused(ward, tasks.update_task, 999, TaskInput("x"), ACTOR) == missing
    assert _refused(ward, tasks.get_task, 999) == missing


# ---- order ------------------------------------------------------------------------------------------

def test_delete_renumbers_the_rest(ward):
    first, second, third = _three(ward)
    ward.call(tasks.delete_task, second, ACTOR)
    assert [(row.id, row.number) for row in _rows(ward)] == [(first, 1), (third, 2)]
    assert ward.raw("SELECT position FROM plan_task ORDER BY position") == [(1,), (2,)]


def test_move_up_and_down_and_stay_at_the_ends(ward):
    first, second, third = _three(ward)
    ward.call(tasks.move_task, third, -1, ACTOR)
    assert [row.id for row in _rows(ward)] == [first, third, second]
    ward.call(tasks.move_task, first, -1, ACTOR)   # already first
    ward.call(tasks.move_task, second, 1, ACTOR)   # already last
    assert [row.id for row in _rows(ward)] == [first, third, second]
    ward.call(tasks.move_task, first, 5, ACTOR)
    assert [row.id for row in _rows(ward)] == [third, second, first]
    assert [row.number for row in _rows(ward)] == [1, 2, 3]


# ---- the follow-up --------------------------------------------------------------------------------

def test_done_records_the_day_and_leaving_done_clears_it(ward):
    task_id = _add(ward, "Quán triệt", due_date=date(YEAR, 3, 31))
    today = date(YEAR, 4, 2)
    ward.call(tasks.set_status, task_id, "dang", ACTOR, today=today)
    assert (_rows(ward)[0].status, _rows(ward)[0].done_on) == (TaskStatus.DANG, None)
    ward.call(tasks.set_status, task_id, TaskStatus.XONG, ACTOR, today=today)
    assert (_rows(ward)[0].status, _rows(ward)[0].done_on) == (TaskStatus.XONG, today)
    ward.call(tasks.set_status, task_id, "xong", ACTOR, date(YEAR, 3, 28), today=today)
    assert _rows(ward)[0].done_on == date(YEAR, 3, 28)
    assert _rows(ward)[0].days_left(today) is None   # done: nothing to count down
    ward.call(tasks.set_status, task_id, "chua", ACTOR, date(YEAR, 3, 28), today=today)
    assert (_rows(ward)[0].status, _rows(ward)[0].done_on) == (TaskStatus.CHUA, None)
    assert ward.scalar("SELECT updated_by FROM plan_task") == ACTOR


def test_done_today_by_default_and_no_day_to_come(ward):
    task_id = _add(ward, "Quán triệt")
    ward.call(tasks.set_status, task_id, "xong", ACTOR)
    assert _rows(ward)[0].done_on == date.today()
    assert _refused(ward, tasks.set_status, task_id, "xong", ACTOR, date(YEAR, 5, 2), today=date(YEAR, 5, 1)) == (
        "Ngày hoàn thành 02/05/2026 chưa đến: hãy chọn một ngày đã qua.")
    assert _refused(ward, tasks.set_status, task_id, "xong", ACTOR, date(YEAR - 2, 5, 2)).startswith(
        "Ngày hoàn thành 02/05/2024 không hợp lệ")
    assert _refused(ward, tasks.set_status, task_id, "roi", ACTOR).startswith("Trạng thái \u201croi\u201d không có")


# ---- the next year --------------------------------------------------------------------------------

def test_copy_to_the_next_year_shifts_the_days_and_resets_the_statuses(ward):
    first, second, third = _three(ward)
    _add(ward, "Tham mưu báo cáo năm 2026", due_text="Trước 30/10/2026", due_date=date(YEAR, 10, 30),
         notes="Kế hoạch 48-KH/ĐU")
    ward.call(tasks.set_status, first, "xong", ACTOR, date(YEAR, 3, 20), today=date(YEAR, 4, 1))
    ward.call(tasks.set_status, second, "dang", ACTOR)
    assert ward.ward_call(tasks.copy_tasks, YEAR, YEAR + 1, "cán bộ B") == 4
    copied = _rows(ward, YEAR + 1)
    assert [(row.number, row.content, row.due_text, row.due_date) for row in copied] == [
        (1, "Quán triệt", "Quý I", date(YEAR + 1, 3, 31)),
        (2, "Ngày hội 19/8", "Trước 19/8", date(YEAR + 1, 8, 19)),
        (3, "Tổng kết", "Tháng 12", None),
        (4, "Tham mưu báo cáo năm 2026", "Trước 30/10/2027", date(YEAR + 1, 10, 30)),  # the content as written
    ]
    assert copied[0].lead == "Công an phường" and copied[3].notes == "Kế hoạch 48-KH/ĐU"
    assert {(row.status, row.done_on) for row in copied} == {(TaskStatus.CHUA, None)}
    assert ward.scalar("SELECT count(*) FROM plan_task WHERE year = 2027 AND created_by = 'cán bộ B'") == 4
    assert [row.status for row in _rows(ward)][:2] == [TaskStatus.XONG, TaskStatus.DANG]   # the source is kept


def test_copy_over_a_leap_day_and_the_refusals(ward):
    _add(ward, "Sơ kết", year=2028, due_date=date(2028, 2, 29))
    assert ward.ward_call(tasks.copy_tasks, 2028, 2029, ACTOR) == 1
    assert _rows(ward, 2029)[0].due_date == date(2029, 2, 28)
    assert _refused(ward, tasks.copy_tasks, ward.ward_id, 2028, 2029, ACTOR) == (
        "Năm 2029 đã có 1 nhiệm vụ. Chỉ sao chép được vào một năm chưa có nhiệm vụ nào; hãy thêm từng nhiệm vụ, "
        "hoặc xoá các nhiệm vụ năm 2029 trước.")
    assert _refused(ward, tasks.copy_tasks, ward.ward_id, 2030, 2031, ACTOR) == (
        "Năm 2030 chưa có nhiệm vụ nào để sao chép.")
    assert _refused(ward, tasks.copy_tasks, ward.ward_id, 2028, 2028, ACTOR).startswith("Năm sao chép đến")
    assert len(_rows(ward, 2029)) == 1


# ---- what the dashboard counts down to, and the figures -------------------------------------------

def test_due_tasks_are_the_overdue_and_the_coming_ones_not_done(ward):
    today = date(YEAR, 9, 20)
    late = _add(ward, "Báo cáo về phường", due_date=date(YEAR, 9, 15))
    soon = _add(ward, "Báo cáo lên tỉnh", due_date=date(YEAR, 10, 30))
    _add(ward, "Tổng kết", due_date=date(YEAR, 12, 31))            # 102 days away: not yet
    done = _add(ward, "Ngày hội", due_date=date(YEAR, 8, 19))
    ward.call(tasks.set_status, done, "xong", ACTOR, date(YEAR, 8, 19), today=today)
    _add(ward, "Tuyên truyền", due_text="Thường xuyên")           # no day: never due
    old = _add(ward, "Báo cáo năm trước", year=YEAR - 1, due_date=date(YEAR - 1, 10, 30))
    due = ward.ward_call(tasks.due_tasks, today)
    assert [(task.id, task.days_left, task.overdue) for task in due] == [
        (old, -325, True), (late, -5, True), (soon, 40, False)]
    assert (due[1].content, due[1].year, due[1].number, due[1].status) == ("Báo cáo về phường", YEAR, 1,
                                                                          TaskStatus.CHUA)
    assert [task.id for task in ward.ward_call(tasks.due_tasks, today, within_days=0)] == [old, late]
    assert len(ward.ward_call(tasks.due_tasks, today, within_days=102)) == 4


def test_the_years_figures(ward):
    first, second, third = _three(ward)
    _add(ward, "Kiểm tra", due_date=date(YEAR, 9, 30))
    today = date(YEAR, 10, 1)
    ward.call(tasks.set_status, first, "xong", ACTOR, date(YEAR, 3, 30), today=today)
    ward.call(tasks.set_status, second, "dang", ACTOR)
    assert ward.ward_call(tasks.task_stats, YEAR, today=today) == {
        "year": YEAR, "total": 4, "done": 1, "in_progress": 1, "not_started": 2, "overdue": 2}
    rows = _rows(ward)
    assert [row.overdue(today) for row in rows] == [False, True, False, True]
    assert rows[3].days_left(today) == -1 and rows[2].days_left(today) is None


@pytest.mark.parametrize(("text", "day"), [
    ("Quý I", date(YEAR, 3, 31)), ("quý iv", date(YEAR, 12, 31)), ("Quý II/2027", date(2027, 6, 30)),
    ("6 tháng đầu năm", date(YEAR, 6, 30)), ("Tháng 2", date(YEAR, 2, 28)), ("Trong tháng 11", date(YEAR, 11, 30)),
    ("Trước 30/10", date(YEAR, 10, 30)), ("Trước ngày 15/9/2027", date(2027, 9, 15)), ("Hằng năm", None),
    ("Thường xuyên", None), ("Trước 31/02", None), ("Tháng 13", None), ("", None),
])
def test_the_day_a_printed_time_points_to(text, day):
    assert tasks.due_from_text(text, YEAR) == day


def test_the_agencies_offered(ward):
    _add(ward, "Tuyên truyền", lead="Đoàn Thanh niên phường")
    offered = ward.ward_call(tasks.agency_suggestions)
    assert offered[:3] == ["Công an phường", "Ban Chỉ huy Quân sự phường", "Ủy ban MTTQ Việt Nam phường"]
    assert "Phòng Kinh tế, Hạ tầng và Đô thị phường" in offered and offered[-1] == "Đoàn Thanh niên phường"


# ---- the demo year, and the printed annex ------------------------------------------------------------

def test_the_demo_year_is_the_real_plans_table_under_way(ward):
    today = date(YEAR, 11, 22)
    added = ward.ward_call(tasks.add_demo_tasks, YEAR, ACTOR, today=today)
    rows = _rows(ward)
    assert 10 <= added == len(rows) <= 16
    leads = {row.lead for row in rows}
    assert {"Công an phường", "Phòng Văn hóa - Xã hội phường"} <= leads
    partners = " ".join(row.partners for row in rows)
    for body in ("Ban Chỉ huy Quân sự phường", "Ủy ban MTTQ Việt Nam phường", "Phòng Kinh tế, Hạ tầng và Đô thị phường",
                 "tổ dân phố"):
        assert body in partners, body
    by_text = {row.due_text: row for row in rows}
    assert by_text["Trước 15/9"].due_date == date(YEAR, 9, 15) and by_text["Trước 30/10"].due_date == date(YEAR, 10, 30)
    assert by_text["Trước 19/8"].content.startswith("Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d")
    figures = ward.ward_call(tasks.task_stats, YEAR, today=today)
    assert figures["done"] and figures["in_progress"] and figures["overdue"] == 2
    assert all(row.done_on is not None and row.done_on <= today for row in rows if row.done)
    assert any("Quý I" == row.due_text and row.done for row in rows)


def test_the_demo_before_and_after_its_year(demo_db):
    ward = AnttWard(demo_db)
    ward.ward_call(tasks.add_demo_tasks, YEAR, ACTOR, today=date(YEAR - 1, 12, 1))
    assert {row.status for row in _rows(ward)} == {TaskStatus.CHUA}
    ward.ward_call(tasks.add_demo_tasks, YEAR + 1, ACTOR, today=date(YEAR + 2, 1, 5))
    finished = _rows(ward, YEAR + 1)
    assert {row.status for row in finished} == {TaskStatus.XONG}
    assert all(date(YEAR + 1, 1, 1) <= row.done_on <= date(YEAR + 1, 12, 31) for row in finished)


def test_the_services_pdf_is_a_landscape_annex(ward):
    ward.ward_call(tasks.add_demo_tasks, YEAR, ACTOR, today=date(YEAR, 11, 22))
    pdf = ward.ward_call(tasks.task_table_pdf, YEAR)
    reader = PdfReader(io.BytesIO(pdf))
    box = reader.pages[0].mediabox
    assert float(box.width) > float(box.height)
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for phrase in ("BIỂU PHÂN CÔNG NHIỆM VỤ", "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
                   "/KH-UBND", "của Ủy ban nhân dân phường Minh Xuân", "Trước 30/10", "Phòng Văn hóa - Xã hội phường"):
        assert phrase in text, phrase
    data = ward.ward_call(tasks.task_table, YEAR)
    assert len(data.tasks) == len(_rows(ward)) and data.issuer.name.startswith("ỦY BAN NHÂN DÂN")
