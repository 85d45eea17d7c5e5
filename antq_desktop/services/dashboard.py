"""What the home page tells the officer: where the ward stands against the year's targets, what
is due soon, what needs attention, and how the figures went over the years.

Every item names the page where it is dealt with (``page``: a key of the main window's pages).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select, union_all
from sqlalchemy.orm import Session

from antq_desktop.db.models import (
    AnttRecord,
    Award,
    ClassificationRecord,
    Festival,
    Inspection,
)
from antq_desktop.domain import plan
from antq_desktop.domain.vntext import clean, format_date
from antq_desktop.errors import UserError
from antq_desktop.services import settings, stats
from antq_desktop.services.targets import TargetResult

DEADLINES_KEY = "plan.deadlines"
WITHIN_DAYS = 60  # how far ahead the coming deadlines look
PAST_DAYS = 7  # a deadline just passed stays on the list for a week, marked as passed
TREND_YEARS = 5
_PAGES = ("", "units", "antt", "classification", "inspections", "forces", "models", "events", "awards", "exemplary",
          "plan", "reports")


@dataclass(frozen=True)
class DueItem:
    day: date
    title: str
    page: str
    days_left: int  # negative: passed
    task_id: int | None = None  # a line of the task table

    @property
    def when_text(self) -> str:
        if self.days_left < 0:  # a task not done is overdue; a fixed day has simply passed
            return f"{'quá hạn' if self.task_id else 'đã qua'} {-self.days_left} ngày"
        return "hôm nay" if self.days_left == 0 else f"còn {self.days_left} ngày"


@dataclass(frozen=True)
class AttentionItem:
    text: str
    page: str


@dataclass(frozen=True)
class TrendPoint:
    year: int
    actual: float | None
    target: int | None


@dataclass(frozen=True)
class Dashboard:
    year: int
    today: date
    targets: tuple[TargetResult, ...]
    deadlines: tuple[DueItem, ...]
    attention: tuple[AttentionItem, ...]
    trends: dict[str, tuple[TrendPoint, ...]]  # indicator code -> the years in order

    def count(self, status: plan.Status) -> int:
        return sum(result.status is status for result in self.targets)


def dashboard(session: Session, ward_id: int, year: int, today: date | None = None) -> Dashboard:
    today = today or date.today()
    figures = stats.year_stats(session, ward_id, year, today)
    return Dashboard(
        year=year, today=today, targets=figures.targets,
        deadlines=tuple(coming_deadlines(session, ward_id, today)),
        attention=tuple(attention(figures, today) + _overdue_tasks(session, ward_id, year, today)),
        trends=trends(session, ward_id, trend_years(session, ward_id, year), figures, today),
    )


# ---- deadlines: the fixed days of the ward's year (a setting) and the task table's own -------------------

def deadlines(session: Session, ward_id: int) -> list[plan.Deadline]:
    stored = settings.get_setting(session, ward_id, DEADLINES_KEY)
    rows = [plan.Deadline(int(entry["month"]), int(entry["day"]), entry["title"], entry.get("page", ""))
            for entry in stored]
    return sorted(rows, key=lambda row: (row.month, row.day))


def save_deadlines(session: Session, ward_id: int, rows: list[plan.Deadline], actor: str) -> None:
    cleaned = []
    for number, row in enumerate(rows, start=1):
        title = clean(row.title)
        if not title:
            raise UserError(f"Mốc thời gian thứ {number}: hãy nhập nội dung.")
        try:
            date(2024, row.month, row.day)  # a leap year: 29/02 is a valid day of some years
        except ValueError:
            raise UserError(f"Mốc \u201c{title}\u201d: ngày {row.day}/{row.month} không có trong năm.") from None
        if row.page not in _PAGES:
            raise UserError(f"Mốc \u201c{title}\u201d: trang \u201c{row.page}\u201d không có trong chương trình.")
        cleaned.append({"month": row.month, "day": row.day, "title": title, "page": row.page})
    settings.set_setting(session, ward_id, DEADLINES_KEY, cleaned, actor)


def _occurrence(deadline: plan.Deadline, year: int) -> date:
    try:
        return deadline.on(year)
    except ValueError:  # 29/02 of a common year: the day before
        return date(year, deadline.month, deadline.day - 1)


def coming_deadlines(session: Session, ward_id: int, today: date, within_days: int = WITHIN_DAYS) -> list[DueItem]:
    """The fixed days from a week ago to ``within_days`` ahead (over the new year too), and the
    task table's lines not done that are overdue or due in that window."""
    items = []
    for deadline in deadlines(session, ward_id):
        for year in (today.year - 1, today.year, today.year + 1):
            day = _occurrence(deadline, year)
            days_left = (day - today).days
            if -PAST_DAYS <= days_left <= within_days:
                items.append(DueItem(day, deadline.title, deadline.page, days_left))
    items += _task_items(session, ward_id, today, within_days)
    return sorted(items, key=lambda item: (item.day, item.title))


def _task_items(session: Session, ward_id: int, today: date, within_days: int) -> list[DueItem]:
    # the task table is read only when the dashboard asks
    from antq_desktop.services import tasks

    return [DueItem(task.due_date, task.content, "tasks", task.days_left, task_id=task.id)
            for task in tasks.due_tasks(session, ward_id, today, within_days=within_days)]


# ---- what needs attention -----------------------------------------------------------------------------

def attention(figures: stats.YearStats, today: date) -> list[AttentionItem]:
    """The gaps the records show, each with the page that closes it; only what can still be done
    this year, or what is still missing once the year is over."""
    year = figures.antt.year
    antt, scored = figures.antt.total, figures.classification.total
    inspections, activities, forces = (figures.field_work[key] for key in ("inspections", "activities", "forces"))
    items = []
    if antt.eligible > antt.registered:
        items.append(AttentionItem(f"{antt.eligible - antt.registered}/{antt.eligible} đơn vị chưa đăng ký xây dựng "
                                   "\u201cAn toàn về ANTT\u201d", "antt"))
    if antt.registered > antt.assessed and today >= date(year, 10, 1):
        items.append(AttentionItem(f"{antt.registered - antt.assessed} đơn vị đã đăng ký chưa được họp xét, đánh giá",
                                   "antt"))
    if inspections["not_inspected"]:
        names = ", ".join(inspections["not_inspected"][:5]) + ("…" if len(inspections["not_inspected"]) > 5 else "")
        items.append(AttentionItem(f"{len(inspections['not_inspected'])} tổ dân phố chưa được kiểm tra: {names}",
                                   "inspections"))
    if inspections["overdue_followups"]:
        items.append(AttentionItem(f"{inspections['overdue_followups']} kiến nghị sau kiểm tra quá hạn chưa khắc phục",
                                   "inspections"))
    if scored.eligible > scored.units and today >= date(year, 10, 1):
        items.append(AttentionItem(f"{scored.eligible - scored.units}/{scored.eligible} đơn vị chưa chấm điểm "
                                   "phân loại phong trào", "classification"))
    if today > date(year, 8, 19) and activities["no_festival"]:
        items.append(AttentionItem(f"{len(activities['no_festival'])} đơn vị chưa tổ chức Ngày hội toàn dân "
                                   "bảo vệ ANTQ", "events"))
    for key, label in (("trained", "huấn luyện, bồi dưỡng"), ("equipped", "trang bị")):
        missing = forces["members"] - forces[key]
        if missing > 0:
            items.append(AttentionItem(f"{missing} thành viên lực lượng nòng cốt chưa được {label}", "forces"))
    return items


def _overdue_tasks(session: Session, ward_id: int, year: int, today: date) -> list[AttentionItem]:
    from antq_desktop.services import tasks

    late = [task for task in tasks.due_tasks(session, ward_id, today, within_days=0)
            if task.days_left < 0 and task.due_date.year == year]
    if not late:
        return []
    first = min(late, key=lambda task: task.due_date)
    return [AttentionItem(f"{len(late)} nhiệm vụ trong biểu phân công quá hạn (sớm nhất: "
                          f"{format_date(first.due_date)})", "tasks")]


# ---- the years before ------------------------------------------------------------------------------

def trend_years(session: Session, ward_id: int, year: int) -> range:
    """Up to five years ending with ``year``, from the first year the ward has records of (a year
    before the program was used would read as 0% everywhere)."""
    per_register = [select(func.min(table.year)).where(table.ward_id == ward_id)
                    for table in (AnttRecord, ClassificationRecord, Inspection, Festival, Award)]
    first = session.scalar(select(func.min(union_all(*per_register).subquery().c[0])))
    start = year - TREND_YEARS + 1 if first is None else max(first, year - TREND_YEARS + 1)
    return range(min(start, year), year + 1)


def trends(session: Session, ward_id: int, years: range, last: stats.YearStats,
           today: date) -> dict[str, tuple[TrendPoint, ...]]:
    """Each indicator's figure and target over ``years`` (the last one's figures already known)."""
    by_year = {year: stats.year_stats(session, ward_id, year, today) for year in years if year != last.antt.year}
    by_year[last.antt.year] = last
    points: dict[str, list[TrendPoint]] = {}
    for year in years:
        figures = by_year[year]
        for result in figures.targets:
            actual = result.actual
            if year != last.antt.year and not _recorded(figures, result.code):
                actual = None
            points.setdefault(result.code, []).append(TrendPoint(year, actual, result.target))
    return {code: _aligned(series, years) for code, series in points.items()}


# A register with nothing at all in a year before the one shown was most likely not kept in the
# program yet (the ward started using it later): its 0% would read as a failure, so it is left out.
_RECORDS_OF = {
    "kdc_inspected_pct": lambda field: field["inspections"]["planned"] + field["inspections"]["made"],
    "festival_pct": lambda field: field["activities"]["festival_units"],
    "propaganda_items": lambda field: field["activities"]["activities"],
    "forces_trained_pct": lambda field: field["forces"]["trained"],
}


def _recorded(figures: stats.YearStats, code: str) -> bool:
    count = _RECORDS_OF.get(code)
    return count is None or count(figures.field_work) > 0


def _aligned(series: list[TrendPoint], years: range) -> tuple[TrendPoint, ...]:
    """One point per year, in order: a year without the indicator has neither figure nor target."""
    by_year = {point.year: point for point in series}
    return tuple(by_year.get(year, TrendPoint(year, None, None)) for year in years)


def deadline_text(item: DueItem) -> str:
    return f"{format_date(item.day)} · {item.when_text}"
