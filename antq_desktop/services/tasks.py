"""The plan's task table (biểu phân công nhiệm vụ): what is done, by whom (chủ trì, phối hợp), by when.

A ward's period plan (shared/seeds: Minh Xuân 2026–2030) repeats its tasks every year, so the
table is kept per year: TT 1, 2, 3… in the order the user sets, each line with its content, the
leading body, the partners, the time **as printed** ("Quý I", "Hằng năm", "Trước 30/10") and,
optionally, the day the dashboard counts down to. The status (chưa / đang / đã xong) is the
office's own follow-up and is never printed: the annex goes to other agencies.

Version checks: ``expected_version`` is the version the user saw; ``None`` skips the check.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import PlanTask
from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.reports import task_table as report
from antq_desktop.services.antt import check_year
from antq_desktop.services.decisions import issuer as committee_issuer
from antq_desktop.services.profile import require_profile
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

# lead, partners and due_text: the model's column sizes. Content and notes are Text columns; the
# limits keep one row of the printed table shorter than a landscape page (a row never splits).
CONTENT_MAX, LEAD_MAX, PARTNERS_MAX, DUE_TEXT_MAX, NOTES_MAX = 1000, 300, 500, 200, 300
DUE_WINDOW = 60   # days ahead the dashboard looks
PURPOSE = "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}"
_NOT_FOUND = "Không tìm thấy nhiệm vụ này; có thể người khác vừa xoá. Hãy tải lại biểu phân công."


class TaskStatus(StrEnum):
    CHUA = "chua"
    DANG = "dang"
    XONG = "xong"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {TaskStatus.CHUA: "chưa thực hiện", TaskStatus.DANG: "đang thực hiện",
                  TaskStatus.XONG: "đã hoàn thành"}


@dataclass(frozen=True)
class TaskInput:
    content: str
    lead: str = ""        # cơ quan chủ trì
    partners: str = ""    # cơ quan phối hợp
    due_text: str = ""    # as printed: "Quý I", "Trước 30/10"
    due_date: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class TaskRow(TaskInput):
    id: int = 0
    year: int = 0
    number: int = 0       # TT, 1, 2, 3… in the table's order
    status: TaskStatus = TaskStatus.CHUA
    done_on: date | None = None
    version: int = 0

    @property
    def done(self) -> bool:
        return self.status is TaskStatus.XONG

    @property
    def due_shown(self) -> str:
        """The time as printed; the due day when none was typed."""
        return self.due_text or (vntext.format_date(self.due_date) if self.due_date else "")

    def days_left(self, today: date) -> int | None:
        """Days to the due day (negative once past); None when done or without a day."""
        if self.done or self.due_date is None:
            return None
        return (self.due_date - today).days

    def overdue(self, today: date) -> bool:
        left = self.days_left(today)
        return left is not None and left < 0

    def as_input(self) -> TaskInput:
        return TaskInput(self.content, self.lead, self.partners, self.due_text, self.due_date, self.notes)


@dataclass(frozen=True)
class DueTask:
    """A task not done whose day has passed or comes soon (the dashboard's list)."""

    id: int
    year: int
    number: int
    content: str
    lead: str
    due_text: str
    due_date: date
    status: TaskStatus
    days_left: int        # negative when overdue

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


# ---- reading -------------------------------------------------------------------------------------

def _stored(session: Session, ward_id: int, year: int) -> list[PlanTask]:
    return list(session.scalars(select(PlanTask).where(PlanTask.ward_id == ward_id, PlanTask.year == year)
                                .order_by(PlanTask.position, PlanTask.id)))


def _row(task: PlanTask, number: int) -> TaskRow:
    return TaskRow(content=task.content, lead=task.lead, partners=task.partners, due_text=task.due_text,
                   due_date=task.due_date, notes=task.notes, id=task.id, year=task.year, number=number,
                   status=TaskStatus(task.status), done_on=task.done_on, version=task.version)


def year_tasks(session: Session, ward_id: int, year: int) -> list[TaskRow]:
    """The year's table in TT order."""
    check_year(year)
    return [_row(task, number) for number, task in enumerate(_stored(session, ward_id, year), start=1)]


def get_task(session: Session, task_id: int) -> TaskRow:
    task = existing_row(session, PlanTask, task_id, _NOT_FOUND)
    ordered = _stored(session, task.ward_id, task.year)
    return _row(task, ordered.index(task) + 1)


def due_tasks(session: Session, ward_id: int, today: date, *, within_days: int = DUE_WINDOW) -> list[DueTask]:
    """Every year's tasks not done whose due day is past or at most ``within_days`` away, by day."""
    last = today + timedelta(days=within_days)
    found = session.scalars(select(PlanTask).where(
        PlanTask.ward_id == ward_id, PlanTask.status != TaskStatus.XONG.value,
        PlanTask.due_date.is_not(None), PlanTask.due_date <= last))
    numbers = _numbers(session, ward_id)
    due = [DueTask(task.id, task.year, numbers[task.id], task.content, task.lead, task.due_text, task.due_date,
                   TaskStatus(task.status), (task.due_date - today).days) for task in found]
    return sorted(due, key=lambda task: (task.due_date, task.year, task.number))


def _numbers(session: Session, ward_id: int) -> dict[int, int]:
    """Each task's TT within its year."""
    rows = session.execute(select(PlanTask.id, PlanTask.year).where(PlanTask.ward_id == ward_id)
                           .order_by(PlanTask.year, PlanTask.position, PlanTask.id))
    numbers, counts = {}, {}
    for task_id, year in rows:
        counts[year] = counts.get(year, 0) + 1
        numbers[task_id] = counts[year]
    return numbers


def task_stats(session: Session, ward_id: int, year: int, *, today: date | None = None) -> dict:
    """The year's figures: how many tasks, done, in progress, not started, overdue (not done, day past)."""
    rows = year_tasks(session, ward_id, year)
    today = today or date.today()
    return {
        "year": year,
        "total": len(rows),
        "done": sum(row.status is TaskStatus.XONG for row in rows),
        "in_progress": sum(row.status is TaskStatus.DANG for row in rows),
        "not_started": sum(row.status is TaskStatus.CHUA for row in rows),
        "overdue": sum(row.overdue(today) for row in rows),
    }


# ---- what the dialog offers ---------------------------------------------------------------------

# Times plans print; the dialog offers them, due_from_text turns most into a day.
DUE_SUGGESTIONS = ("Quý I", "Quý II", "Quý III", "Quý IV", "6 tháng đầu năm", "Tháng 12", "Trước 15/9",
                   "Trước 30/10", "Hằng năm", "Thường xuyên")


def agency_suggestions(session: Session, ward_id: int) -> list[str]:
    """The bodies a ward's plan assigns tasks to (shared/seeds, section V), then every one typed before."""
    kind = require_profile(session).kind.label
    usual = [f"Công an {kind}", f"Ban Chỉ huy Quân sự {kind}", f"Ủy ban MTTQ Việt Nam {kind}",
             f"Văn phòng HĐND và UBND {kind}", f"Phòng Văn hóa - Xã hội {kind}",
             f"Phòng Kinh tế, Hạ tầng và Đô thị {kind}", f"Trạm Y tế {kind}", f"Trung tâm Dịch vụ công {kind}",
             "Các tổ dân phố, cơ quan, doanh nghiệp, cơ sở giáo dục"]
    typed = session.scalars(select(PlanTask.lead).where(PlanTask.ward_id == ward_id).distinct())
    return list(dict.fromkeys([*usual, *sorted((lead for lead in typed if lead), key=vntext.sort_key)]))


# ---- what was typed ------------------------------------------------------------------------------

def _text(value: str, limit: int, label: str, paragraphs: bool = False) -> str:
    value = (vntext.clean_paragraphs if paragraphs else vntext.clean)(value)
    if len(value) > limit:
        raise UserError(f"{label} dài quá {limit} ký tự (đang có {len(value)} ký tự). Hãy viết gọn lại.")
    return value


def _check_day(day: date | None, year: int, label: str) -> None:
    """A plan's day lies in its year, or the year before or after (a task started or finished late)."""
    if day is None:
        return
    first, last = date(year - 1, 1, 1), date(year + 1, 12, 31)
    if not first <= day <= last:
        raise UserError(f"{label} {vntext.format_date(day)} không hợp lệ: nhiệm vụ của kế hoạch năm {year} "
                        f"có ngày từ {vntext.format_date(first)} đến {vntext.format_date(last)}.")


def _clean(data: TaskInput, year: int) -> dict:
    values = {
        "content": _text(data.content, CONTENT_MAX, "Nội dung nhiệm vụ", paragraphs=True),
        "lead": _text(data.lead, LEAD_MAX, "Cơ quan chủ trì"),
        "partners": _text(data.partners, PARTNERS_MAX, "Cơ quan phối hợp"),
        "due_text": _text(data.due_text, DUE_TEXT_MAX, "Thời gian hoàn thành"),
        "due_date": data.due_date,
        "notes": _text(data.notes, NOTES_MAX, "Ghi chú", paragraphs=True),
    }
    if not values["content"]:
        raise UserError("Hãy nhập nội dung nhiệm vụ.")
    _check_day(values["due_date"], year, "Hạn hoàn thành")
    return values


def due_from_text(text: str, year: int) -> date | None:
    """The day a printed time points to, to prefill the countdown: "Quý II" → 30/06, "Tháng 8" →
    31/08, "6 tháng đầu năm" → 30/06, "Trước 30/10" → 30/10 (of ``year`` unless it names one);
    None for "Hằng năm", "Thường xuyên" and anything else."""
    key = vntext.search_key(text)
    quarter = re.fullmatch(r"(?:trong |truoc het )?quy (iv|iii|ii|i|[1-4])(?:[/ ]+(\d{4}))?", key)
    if quarter:
        number = {"i": 1, "ii": 2, "iii": 3, "iv": 4}.get(quarter[1]) or int(quarter[1])
        return _month_end(int(quarter[2] or year), 3 * number)
    if re.fullmatch(r"(?:trong )?6 thang dau nam", key):
        return date(year, 6, 30)
    month = re.fullmatch(r"(?:trong )?thang (\d{1,2})(?:[/ ]+(\d{4}))?", key)
    if month and 1 <= int(month[1]) <= 12:
        return _month_end(int(month[2] or year), int(month[1]))
    day = re.fullmatch(r"(?:truoc|trong|den|han|truoc ngay|ngay) ?(?:ngay )?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?", key)
    if day:
        try:
            return date(int(day[3] or year), int(day[2]), int(day[1]))
        except ValueError:
            return None
    return None


def _month_end(year: int, month: int) -> date:
    return date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)


# ---- adding, correcting, removing, ordering -------------------------------------------------------

def add_task(session: Session, ward_id: int, year: int, data: TaskInput, actor: str) -> int:
    """Add a task at the end of the year's table; returns its id."""
    check_year(year)
    values = _clean(data, year)
    task = PlanTask(ward_id=ward_id, year=year, position=len(_stored(session, ward_id, year)) + 1,
                    status=TaskStatus.CHUA.value, **values)
    stamp_created(task, actor)
    session.add(task)
    session.flush()
    return task.id


def update_task(session: Session, task_id: int, data: TaskInput, actor: str,
                expected_version: int | None = None) -> None:
    task = existing_row(session, PlanTask, task_id, _NOT_FOUND, expected_version)
    for key, value in _clean(data, task.year).items():
        setattr(task, key, value)
    stamp_updated(task, actor)
    session.flush()


def delete_task(session: Session, task_id: int, actor: str, expected_version: int | None = None) -> None:
    """Remove a task (nothing refers to one); the ones below move up, so TT never skips."""
    task = existing_row(session, PlanTask, task_id, _NOT_FOUND, expected_version)
    ward_id, year = task.ward_id, task.year
    session.delete(task)
    session.flush()
    _renumber(session, _stored(session, ward_id, year), actor)


def move_task(session: Session, task_id: int, step: int, actor: str) -> None:
    """Move a task ``step`` places up (negative) or down; at an end it stays."""
    task = existing_row(session, PlanTask, task_id, _NOT_FOUND)
    ordered = _stored(session, task.ward_id, task.year)
    old = ordered.index(task)
    ordered.insert(min(max(old + step, 0), len(ordered) - 1), ordered.pop(old))
    _renumber(session, ordered, actor)


def _renumber(session: Session, ordered: list[PlanTask], actor: str) -> None:
    """Positions 1, 2, 3… in the given order; only the rows whose place changed are stamped."""
    for position, task in enumerate(ordered, start=1):
        if task.position != position:
            task.position = position
            stamp_updated(task, actor)
    session.flush()


def set_status(session: Session, task_id: int, status: str, actor: str, done_on: date | None = None,
               expected_version: int | None = None, *, today: date | None = None) -> None:
    """Mark a task not started, in progress or done; done records the day (today unless given),
    any other status clears it."""
    try:
        status = TaskStatus(status)
    except ValueError:
        raise UserError(f"Trạng thái \u201c{status}\u201d không có; hãy chọn chưa thực hiện, đang thực hiện "
                        "hoặc đã hoàn thành.") from None
    task = existing_row(session, PlanTask, task_id, _NOT_FOUND, expected_version)
    today = today or date.today()
    if status is TaskStatus.XONG:
        done_on = done_on or today
        if done_on > today:
            raise UserError(f"Ngày hoàn thành {vntext.format_date(done_on)} chưa đến: hãy chọn một ngày đã qua.")
        _check_day(done_on, task.year, "Ngày hoàn thành")
    else:
        done_on = None
    task.status, task.done_on = status.value, done_on
    stamp_updated(task, actor)
    session.flush()


# ---- the next year -------------------------------------------------------------------------------

def copy_tasks(session: Session, ward_id: int, from_year: int, to_year: int, actor: str) -> int:
    """Start ``to_year``'s table from ``from_year``'s: same lines and order, due days moved by the
    years between, every status back to "chưa thực hiện". Refused when ``to_year`` has tasks."""
    check_year(from_year)
    check_year(to_year)
    if from_year == to_year:
        raise UserError("Năm sao chép đến phải khác năm sao chép từ.")
    source = _stored(session, ward_id, from_year)
    if not source:
        raise UserError(f"Năm {from_year} chưa có nhiệm vụ nào để sao chép.")
    existing = len(_stored(session, ward_id, to_year))
    if existing:
        raise UserError(f"Năm {to_year} đã có {existing} nhiệm vụ. Chỉ sao chép được vào một năm chưa có nhiệm vụ "
                        f"nào; hãy thêm từng nhiệm vụ, hoặc xoá các nhiệm vụ năm {to_year} trước.")
    shift = to_year - from_year
    for position, old in enumerate(source, start=1):
        task = PlanTask(ward_id=ward_id, year=to_year, position=position, content=old.content, lead=old.lead,
                        partners=old.partners, due_text=_shift_text(old.due_text, from_year, to_year),
                        due_date=_shift_day(old.due_date, shift), notes=old.notes, status=TaskStatus.CHUA.value)
        stamp_created(task, actor)
        session.add(task)
    session.flush()
    return len(source)


def _shift_day(day: date | None, years: int) -> date | None:
    if day is None:
        return None
    try:
        return day.replace(year=day.year + years)
    except ValueError:   # 29/02 into a common year
        return date(day.year + years, 2, 28)


def _shift_text(text: str, from_year: int, to_year: int) -> str:
    """"Trước 30/10/2026" becomes "Trước 30/10/2027"; the content is left as written (it may cite
    documents of earlier years)."""
    return re.sub(rf"(?<!\d){from_year}(?!\d)", str(to_year), text)


# ---- the printed annex ---------------------------------------------------------------------------

def task_table(session: Session, ward_id: int, year: int) -> report.TaskTable:
    """The year's table as an annex of the ward's plan (the plan's number and date left for the văn thư)."""
    rows = year_tasks(session, ward_id, year)
    profile = require_profile(session)
    gap = "\u00a0" * 7
    reference = (f"(Kèm theo Kế hoạch số{gap}/KH-{profile.ubnd_doc_suffix or 'UBND'} ngày{gap}tháng{gap}năm {year} "
                 f"của Ủy ban nhân dân {profile.ward_title})")
    tasks = tuple(report.TableTask(row.content, row.lead, row.partners, row.due_shown, row.notes) for row in rows)
    return report.TaskTable(issuer=committee_issuer(profile), year=year, subtitle=PURPOSE.format(year=year),
                            reference=reference, tasks=tasks)


def task_table_pdf(session: Session, ward_id: int, year: int) -> bytes:
    buffer = io.BytesIO()
    report.render_task_table(task_table(session, ward_id, year), buffer)
    return buffer.getvalue()


# ---- the demo ward -------------------------------------------------------------------------------

_CA = "Công an phường"
_MTTQ = "Ủy ban MTTQ Việt Nam phường"
_UNITS = "các tổ dân phố, cơ quan, doanh nghiệp, cơ sở giáo dục"
_UNITS_LEAD = "Các tổ dân phố, cơ quan, doanh nghiệp, cơ sở giáo dục"
_BCD = "thành viên Ban Chỉ đạo phường"

# (content, lead, partners, time as printed, notes, late): the Minh Xuân 2026–2030 plan's tasks
# for a year (shared/seeds, sections III, V and VI). ``late`` tasks are still open past their day
# while the year is under way, so the dashboard has something overdue to show.
_DEMO = (
    ("Tổ chức quán triệt, phổ biến Nghị quyết số 33-NQ/TU ngày 10/12/2025 của Ban Thường vụ Tỉnh ủy, Kế hoạch số "
     "48-KH/ĐU ngày 05/01/2026 của Ban Thường vụ Đảng ủy phường và các văn bản của Bộ Công an về phong trào toàn "
     "dân bảo vệ ANTQ đến cán bộ, đảng viên và Nhân dân", _CA,
     f"Văn phòng HĐND và UBND phường; {_MTTQ} và các tổ chức chính trị - xã hội", "Quý I", "", False),
    ("Tham mưu Ban Chỉ đạo \u201cThực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc\u201d phường xây dựng kế "
     "hoạch đẩy mạnh phong trào toàn dân bảo vệ ANTQ trong năm", _CA, "Thành viên Ban Chỉ đạo phường", "Quý I", "",
     False),
    ("Hướng dẫn 100% tổ dân phố, cơ quan, doanh nghiệp, cơ sở giáo dục đăng ký xây dựng đạt tiêu chuẩn \u201cAn "
     "toàn về an ninh, trật tự\u201d", _CA, _UNITS_LEAD, "Quý I",
     "Thông tư số 124/2021/TT-BCA và Thông tư số 48/2025/TT-BCA", False),
    ("Dự toán kinh phí thực hiện phong trào toàn dân bảo vệ ANTQ trong năm, trình UBND phường phê duyệt", _CA,
     "Phòng Kinh tế, Hạ tầng và Đô thị phường", "Quý I", "", False),
    ("Tuyên truyền phòng, chống tội phạm, ma túy, lừa đảo trên không gian mạng qua hệ thống loa truyền thanh, "
     "trang thông tin điện tử, mạng xã hội (Fanpage, Zalo) của phường và tổ dân phố", "Phòng Văn hóa - Xã hội phường",
     f"{_CA}; Trung tâm Dịch vụ công phường; các tổ dân phố", "Thường xuyên", "", False),
    ("Duy trì, nâng cao chất lượng các mô hình phong trào toàn dân bảo vệ ANTQ; đánh giá, xếp loại mô hình, điển "
     "hình tiên tiến", _CA, f"{_MTTQ}; các đơn vị có mô hình", "Hằng năm", "Ít nhất 02 mô hình xếp loại Khá trở lên",
     False),
    ("Tập huấn, bồi dưỡng kiến thức pháp luật, nghiệp vụ cho lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở và "
     "lực lượng nòng cốt ở tổ dân phố", _CA, "Ban Chỉ huy Quân sự phường; các tổ dân phố", "Quý II",
     "100% lực lượng được huấn luyện", False),
    ("Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d tại 100% tổ dân phố, cơ quan, doanh nghiệp, "
     "cơ sở giáo dục; phân công thành viên Ban Chỉ đạo dự, chỉ đạo tại các đơn vị", _UNITS_LEAD,
     f"{_CA}; {_MTTQ}; {_BCD}", "Trước 19/8", "Quyết định số 521/QĐ-TTg", False),
    ("Các cơ quan, đơn vị, doanh nghiệp, cơ sở giáo dục và tổ dân phố báo cáo kết quả thực hiện Kế hoạch về Ủy ban "
     "nhân dân phường (qua Công an phường)", _UNITS_LEAD, f"{_CA} tổng hợp", "Trước 15/9", "", False),
    ("Kiểm tra, hướng dẫn công tác bảo đảm ANTT và xây dựng phong trào toàn dân bảo vệ ANTQ tại các tổ dân phố, "
     "cơ quan, đơn vị, trường học", _CA, f"{_MTTQ}; {_BCD}", "Quý III",
     "Mỗi tổ dân phố ít nhất 01 lượt/năm", True),
    ("Tổng hợp tình hình, kết quả thực hiện phong trào toàn dân bảo vệ ANTQ trên địa bàn, báo cáo Ủy ban nhân dân "
     "tỉnh (qua Công an tỉnh)", _CA, "Văn phòng HĐND và UBND phường", "Trước 30/10", "", True),
    ("Họp xét, tham mưu Chủ tịch UBND phường ban hành Quyết định công nhận khu dân cư, cơ quan, doanh nghiệp, cơ sở "
     "giáo dục đạt tiêu chuẩn \u201cAn toàn về an ninh, trật tự\u201d; đề nghị UBND tỉnh công nhận phường", _CA,
     f"Văn phòng HĐND và UBND phường; {_UNITS}", "Trước 20/11", "", False),
    ("Chấm điểm, tham mưu Quyết định phân loại phong trào toàn dân bảo vệ ANTQ của các tổ dân phố, cơ quan, doanh "
     "nghiệp, cơ sở giáo dục", _CA, f"{_MTTQ}; {_BCD}", "Trước 30/11",
     "Quyết định số 510/QĐ-BCA-V05", False),
    ("Biểu dương, khen thưởng hoặc đề xuất cấp có thẩm quyền khen thưởng tập thể, cá nhân có thành tích xuất sắc "
     "trong phong trào", "Phòng Văn hóa - Xã hội phường", f"{_CA}; Phòng Kinh tế, Hạ tầng và Đô thị phường",
     "Tháng 12", "", False),
    ("Tổ chức hội nghị tổng kết công tác xây dựng phong trào toàn dân bảo vệ ANTQ, đề ra phương hướng, nhiệm vụ năm "
     "tiếp theo", _CA, f"{_MTTQ}; các cơ quan, đơn vị, tổ dân phố", "Tháng 12", "", False),
)
SOON = 45   # days: a task due this soon is under way in the demo


def add_demo_tasks(session: Session, ward_id: int, year: int, actor: str, *, today: date | None = None) -> int:
    """The task table of the Minh Xuân 2026–2030 plan for ``year``; the statuses those of a year
    under way on ``today`` (what is due is done, what comes soon is in progress, two lines are
    late), all done once the year is over. Returns how many it added; nothing in it is random."""
    today = today or date.today()
    for content, lead, partners, due_text, notes, late in _DEMO:
        due = due_from_text(due_text, year)
        task_id = add_task(session, ward_id, year, TaskInput(content, lead, partners, due_text, due, notes), actor)
        status, done_on = _demo_status(year, due, late, today)
        if status is not TaskStatus.CHUA:
            set_status(session, task_id, status, actor, done_on, today=today)
    return len(_DEMO)


def _demo_status(year: int, due: date | None, late: bool, today: date) -> tuple[TaskStatus, date | None]:
    year_end = date(year, 12, 31)
    if today < date(year, 1, 1):
        return TaskStatus.CHUA, None
    if today > year_end:   # a finished year: all done, the late ones after their day
        day = due or year_end
        return TaskStatus.XONG, min(day + timedelta(days=12), year_end) if late else day - timedelta(days=2)
    if due is None:        # "Thường xuyên", "Hằng năm": going on all year
        return TaskStatus.DANG, None
    if due < today:
        return (TaskStatus.DANG, None) if late else (TaskStatus.XONG, max(due - timedelta(days=3), date(year, 1, 1)))
    return (TaskStatus.DANG, None) if (due - today).days <= SOON else (TaskStatus.CHUA, None)
