"""Propaganda activities, the Ngày hội toàn dân bảo vệ ANTQ (19/8) and the commemorative days.

* **Activities** (tuyên truyền): date, form (:class:`~antq_desktop.domain.events.ActivityKind`),
  the unit that held it or the ward itself (``unit_id`` None), title, people reached, note.
* **The Ngày hội**: at most one per unit and year (the database refuses a second one), dated
  inside that year, with the participants and the highlights.
* **The calendar**: the commemorative days of the setting "events.commemorative_days", each
  with the activities held on it (in its month, for a day 0) and the days left.

Which units the Ngày hội share counts: the units the year's "An toàn về ANTT" table counts
(:func:`antq_desktop.services.antt.year_overview` rows that are ``eligible``: every active
unit, and every unit with a record that year, less the armed forces, the small enterprises,
the preschools and primary schools). The ANTT and classification shares count the same units,
so the three agree. An ineligible unit may still record its Ngày hội; it is shown, not counted.
:func:`units_without_festival` is that same set less those that held it.

A unit that merged or dissolved keeps its past records; nothing new can be dated on or after
the day it stopped.

Version checks: ``expected_version`` is the version the user saw; for a unit's Ngày hội ``0``
means the user saw none recorded; ``None`` skips the check.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from antq_desktop.db.models import Activity, Festival, Unit, Ward
from antq_desktop.domain import events as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import percent
from antq_desktop.domain.events import ActivityKind, CommemorativeDay, Countdown
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.domain.ward import WardKind
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.services import settings, targets
from antq_desktop.services.antt import check_year, year_overview
from antq_desktop.services.tracking import (
    check_version,
    existing_row,
    stamp_created,
    stamp_updated,
)

NO_FESTIVAL = 0  # the expected version of a Ngày hội the user saw as not recorded
_ACTIVITY_GONE = "Không tìm thấy hoạt động này; có thể người khác vừa xoá. Hãy tải lại danh sách."
_FESTIVAL_GONE = "Không tìm thấy bản ghi Ngày hội này; có thể người khác vừa xoá. Hãy tải lại danh sách."
_UNIT_GONE = "Không tìm thấy đơn vị này; hãy tải lại danh sách."


# ---- plain data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ActivityInput:
    held_on: date
    kind: ActivityKind
    title: str
    unit_id: int | None = None  # None: the ward itself
    reach: int | None = None  # people reached; None: not known
    note: str = ""


@dataclass(frozen=True)
class ActivityRow(ActivityInput):
    id: int = 0
    unit_name: str = ""  # the ward's name when held by the ward itself
    version: int = 0


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    active: bool = True


@dataclass(frozen=True)
class FestivalInput:
    held_on: date
    participants: int | None = None
    highlights: str = ""


@dataclass(frozen=True)
class FestivalRow:
    """A unit in the year's Ngày hội list; ``festival_id`` None: not held (not recorded)."""

    unit_id: int
    name: str
    kind: UnitKind
    not_counted: str | None  # why the share leaves the unit out; None: counted
    festival_id: int | None = None
    held_on: date | None = None
    participants: int | None = None
    highlights: str = ""
    version: int | None = None

    @property
    def held(self) -> bool:
        return self.festival_id is not None

    @property
    def counted(self) -> bool:
        return self.not_counted is None

    @property
    def expected_version(self) -> int:
        return NO_FESTIVAL if self.version is None else self.version


@dataclass(frozen=True)
class FestivalShare:
    """The units the share counts, those that held the Ngày hội, and the year's target."""

    year: int
    units: int
    held: int
    target_pct: float
    missing: tuple[str, ...]  # names, in Vietnamese order

    @property
    def pct(self) -> float | None:
        return percent(self.held, self.units)

    @property
    def summary(self) -> str:
        """"Đã tổ chức Ngày hội: 48/53 đơn vị (90,6%), chỉ tiêu 100%"."""
        if not self.units:
            return "Chưa có đơn vị nào thuộc diện tính tỷ lệ Ngày hội."
        return (f"Đã tổ chức Ngày hội: {self.held}/{self.units} đơn vị ({_pct_text(self.pct)}), "
                f"chỉ tiêu {_pct_text(self.target_pct)}")


def _pct_text(value: float | None) -> str:
    if value is None:
        return "—"
    return vntext.format_percent(value, 0 if float(value).is_integer() else 1)


@dataclass(frozen=True)
class CalendarEntry:
    """A commemorative day in a year: its span, where it stands today, the activities held in it."""

    day: CommemorativeDay
    start: date
    end: date
    countdown: Countdown
    activities: tuple[ActivityRow, ...]

    @property
    def reach(self) -> int | None:
        """People reached by the day's activities (None: none of them counted anybody)."""
        known = [a.reach for a in self.activities if a.reach is not None]
        return sum(known) if known else None

    @property
    def dates(self) -> str:
        if self.start == self.end:
            return vntext.format_date(self.start)
        return f"{vntext.format_date(self.start)} - {vntext.format_date(self.end)}"


@dataclass(frozen=True)
class EventsStats:
    year: int
    by_kind: dict[ActivityKind, int]
    reach: int
    target_activities: int  # 0: no target
    festival: FestivalShare
    festival_participants: int

    @property
    def activities(self) -> int:
        return sum(self.by_kind.values())

    def as_dict(self) -> dict:
        share = self.festival
        return {
            "year": self.year, "activities": self.activities,
            "by_kind": {kind.value: n for kind, n in self.by_kind.items()},
            "reach": self.reach, "target_activities": self.target_activities,
            "festival_units": share.held, "festival_participants": self.festival_participants,
            "units": share.units, "festival_pct": None if share.pct is None else round(share.pct, 2),
            "target_festival_pct": share.target_pct, "no_festival": list(share.missing),
        }

    @property
    def activities_summary(self) -> str:
        """"Năm 2026: 40 hoạt động (chỉ tiêu 50), 12.345 lượt người"."""
        target = f" (chỉ tiêu {self.target_activities})" if self.target_activities else ""
        return (f"Năm {self.year}: {self.activities} hoạt động{target}, "
                f"{vntext.format_number(self.reach)} lượt người được tuyên truyền")


# ---- units -------------------------------------------------------------------------------------------

def ward_name(session: Session, ward_id: int) -> str:
    """"Phường Minh Xuân": who held an activity of the ward itself."""
    ward = session.get(Ward, ward_id)
    label = WardKind(ward.kind).label
    return f"{label[:1].upper()}{label[1:]} {ward.name}"


def unit_choices(session: Session, ward_id: int, include: int | None = None) -> list[UnitChoice]:
    """The active units in Vietnamese order, and ``include`` (a record's own unit) even if it stopped."""
    statement = (select(Unit.id, Unit.name, Unit.status).where(
        Unit.ward_id == ward_id, (Unit.status == UnitStatus.ACTIVE.value) | (Unit.id == (include or -1)))
        .order_by(Unit.name_sort, Unit.id))
    return [UnitChoice(id, name, status == UnitStatus.ACTIVE.value) for id, name, status in session.execute(statement)]


def _unit_on(session: Session, ward_id: int, unit_id: int, day: date) -> Unit:
    """The unit, refused if it is not the ward's or had stopped by ``day``."""
    unit = session.get(Unit, unit_id)
    if unit is None or unit.ward_id != ward_id:
        raise UserError(_UNIT_GONE)
    if unit.status != UnitStatus.ACTIVE.value and (unit.status_date is None or day >= unit.status_date):
        since = f" từ {vntext.format_date(unit.status_date)}" if unit.status_date else ""
        raise UserError(f"\u201c{unit.name}\u201d {UnitStatus(unit.status).label.lower()}{since} nên không ghi "
                        f"hoạt động ngày {vntext.format_date(day)} cho đơn vị này được.")
    return unit


def _check_count(value: int | None, what: str) -> int | None:
    if value is not None and not 0 <= value <= rules.COUNT_MAX:
        raise UserError(f"{what} phải từ 0 đến {vntext.format_number(rules.COUNT_MAX)}.")
    return value


# ---- activities ----------------------------------------------------------------------------------------

def _clean_activity(session: Session, ward_id: int, data: ActivityInput) -> dict:
    if not 2000 <= data.held_on.year <= 2100:
        raise UserError(f"Ngày {vntext.format_date(data.held_on)} không hợp lệ: năm phải từ 2000 đến 2100.")
    try:
        kind = ActivityKind(data.kind)
    except ValueError:
        raise UserError("Hãy chọn hình thức tuyên truyền.") from None
    title = vntext.clean(data.title)
    if not title:
        raise UserError("Hãy nhập nội dung (tên) hoạt động tuyên truyền.")
    if len(title) > rules.TITLE_MAX:
        raise UserError(f"Nội dung hoạt động dài quá {rules.TITLE_MAX} ký tự; hãy ghi phần chi tiết vào ô ghi chú.")
    if data.unit_id is not None:
        _unit_on(session, ward_id, data.unit_id, data.held_on)
    return {"held_on": data.held_on, "kind": kind.value, "title": title, "unit_id": data.unit_id,
            "reach": _check_count(data.reach, "Số người được tuyên truyền"),
            "note": vntext.clean_paragraphs(data.note)}


def add_activity(session: Session, ward_id: int, data: ActivityInput, actor: str) -> int:
    activity = Activity(ward_id=ward_id, **_clean_activity(session, ward_id, data))
    stamp_created(activity, actor)
    session.add(activity)
    session.flush()
    return activity.id


def update_activity(session: Session, activity_id: int, data: ActivityInput, actor: str,
                    expected_version: int | None = None) -> None:
    activity = existing_row(session, Activity, activity_id, _ACTIVITY_GONE, expected_version)
    values = _clean_activity(session, activity.ward_id, data)
    for key, value in values.items():
        setattr(activity, key, value)
    stamp_updated(activity, actor)
    session.flush()


def delete_activity(session: Session, activity_id: int, expected_version: int | None = None) -> None:
    session.delete(existing_row(session, Activity, activity_id, _ACTIVITY_GONE, expected_version))
    session.flush()


def list_activities(session: Session, ward_id: int, year: int, kind: ActivityKind | None = None) -> list[ActivityRow]:
    """The year's activities by date (then as entered)."""
    check_year(year)
    statement = (select(Activity, Unit.name).outerjoin(Unit, Unit.id == Activity.unit_id)
                 .where(Activity.ward_id == ward_id, Activity.held_on >= date(year, 1, 1),
                        Activity.held_on <= date(year, 12, 31))
                 .order_by(Activity.held_on, Activity.id))
    if kind is not None:
        statement = statement.where(Activity.kind == kind.value)
    ward = ward_name(session, ward_id)
    return [_activity_row(activity, name or ward) for activity, name in session.execute(statement)]


def get_activity(session: Session, activity_id: int) -> ActivityRow:
    activity = existing_row(session, Activity, activity_id, _ACTIVITY_GONE)
    unit = session.get(Unit, activity.unit_id) if activity.unit_id else None
    return _activity_row(activity, unit.name if unit else ward_name(session, activity.ward_id))


def _activity_row(activity: Activity, unit_name: str) -> ActivityRow:
    return ActivityRow(held_on=activity.held_on, kind=ActivityKind(activity.kind), title=activity.title,
                       unit_id=activity.unit_id, reach=activity.reach, note=activity.note, id=activity.id,
                       unit_name=unit_name, version=activity.version)


# ---- the Ngày hội ------------------------------------------------------------------------------------------

def festival_rows(session: Session, ward_id: int, year: int) -> list[FestivalRow]:
    """The year's units (those of the ANTT table) and any other unit that recorded a Ngày hội."""
    overview = year_overview(session, ward_id, year)
    held = {f.unit_id: f for f in session.scalars(
        select(Festival).where(Festival.ward_id == ward_id, Festival.year == year))}
    rows = [_festival_row(r.unit_id, r.name, r.kind, r.ineligible_reason, held.get(r.unit_id)) for r in overview]
    listed = {r.unit_id for r in overview}
    others = _units(session, set(held) - listed)
    rows += [_festival_row(u.id, u.name, UnitKind(u.kind), f"Đơn vị {UnitStatus(u.status).label.lower()}",
                           held[u.id]) for u in others]
    return rows


def _units(session: Session, ids: set[int]) -> list[Unit]:
    if not ids:
        return []
    return list(session.scalars(select(Unit).where(Unit.id.in_(ids)).order_by(Unit.name_sort, Unit.id)))


def _festival_row(unit_id: int, name: str, kind: UnitKind, not_counted: str | None,
                  festival: Festival | None) -> FestivalRow:
    if festival is None:
        return FestivalRow(unit_id=unit_id, name=name, kind=kind, not_counted=not_counted)
    return FestivalRow(unit_id=unit_id, name=name, kind=kind, not_counted=not_counted, festival_id=festival.id,
                       held_on=festival.held_on, participants=festival.participants,
                       highlights=festival.highlights, version=festival.version)


def _clean_festival(data: FestivalInput, year: int) -> dict:
    if data.held_on.year != year:
        raise UserError(f"Ngày tổ chức {vntext.format_date(data.held_on)} không thuộc năm {year}: "
                        f"Ngày hội năm {year} phải được tổ chức trong năm {year}.")
    return {"held_on": data.held_on, "participants": _check_count(data.participants, "Số người tham gia"),
            "highlights": vntext.clean_paragraphs(data.highlights)}


def _already_held(unit: Unit, year: int, held_on: date) -> UserError:
    return UserError(
        f"\u201c{unit.name}\u201d đã có Ngày hội năm {year} (tổ chức ngày {vntext.format_date(held_on)}). "
        "Mỗi đơn vị chỉ ghi một Ngày hội mỗi năm: hãy sửa bản ghi đã có thay vì thêm mới.")


def add_festival(session: Session, ward_id: int, unit_id: int, year: int, data: FestivalInput, actor: str) -> int:
    """Record a unit's Ngày hội of ``year``; refused if it already has one."""
    check_year(year)
    values = _clean_festival(data, year)
    unit = _unit_on(session, ward_id, unit_id, data.held_on)
    existing = _festival_of(session, unit_id, year)
    if existing is not None:
        raise _already_held(unit, year, existing.held_on)
    festival = Festival(ward_id=ward_id, unit_id=unit_id, year=year, **values)
    stamp_created(festival, actor)
    try:
        with session.begin_nested():  # another officer may have saved the same unit meanwhile
            session.add(festival)
    except IntegrityError:
        raise _already_held(unit, year, _festival_of(session, unit_id, year).held_on) from None
    return festival.id


def _festival_of(session: Session, unit_id: int, year: int) -> Festival | None:
    return session.scalar(select(Festival).where(Festival.unit_id == unit_id, Festival.year == year))


def update_festival(session: Session, festival_id: int, data: FestivalInput, actor: str,
                    expected_version: int | None = None) -> None:
    festival = existing_row(session, Festival, festival_id, _FESTIVAL_GONE, expected_version)
    values = _clean_festival(data, festival.year)
    if values["held_on"] != festival.held_on:
        _unit_on(session, festival.ward_id, festival.unit_id, data.held_on)
    for key, value in values.items():
        setattr(festival, key, value)
    stamp_updated(festival, actor)
    session.flush()


def delete_festival(session: Session, festival_id: int, expected_version: int | None = None) -> None:
    session.delete(existing_row(session, Festival, festival_id, _FESTIVAL_GONE, expected_version))
    session.flush()


def set_festival(session: Session, ward_id: int, unit_id: int, year: int, data: FestivalInput | None, actor: str,
                 expected_version: int | None = None) -> None:
    """What an edit in the year's list means: record (the user saw none), correct, or remove (``data`` None)."""
    festival = _festival_of(session, unit_id, year)
    if festival is None:
        if expected_version not in (None, NO_FESTIVAL):
            raise stale_edit_error()  # it was removed meanwhile
        if data is not None:
            add_festival(session, ward_id, unit_id, year, data, actor)
        return
    if expected_version == NO_FESTIVAL:
        raise _already_held(session.get(Unit, unit_id), year, festival.held_on)
    check_version(festival, expected_version)
    if data is None:
        delete_festival(session, festival.id)
    else:
        update_festival(session, festival.id, data, actor)


def record_festivals(session: Session, ward_id: int, year: int, unit_ids: Iterable[int], held_on: date,
                     actor: str) -> int:
    """Record the Ngày hội on ``held_on`` for each unit that has none that year; returns how many."""
    added = 0
    for unit_id in unit_ids:
        if _festival_of(session, unit_id, year) is None:
            add_festival(session, ward_id, unit_id, year, FestivalInput(held_on=held_on), actor)
            added += 1
    return added


def festival_share(session: Session, ward_id: int, year: int) -> FestivalShare:
    counted = [row for row in festival_rows(session, ward_id, year) if row.counted]
    return FestivalShare(
        year=year, units=len(counted), held=sum(row.held for row in counted),
        target_pct=float(targets.target_value(session, ward_id, year, "festival_pct")),
        missing=tuple(row.name for row in counted if not row.held),
    )


def units_without_festival(session: Session, ward_id: int, year: int) -> set[int]:
    """The units the share counts that did not hold the Ngày hội in ``year`` (classification's "no_ngay_hoi")."""
    return {row.unit_id for row in festival_rows(session, ward_id, year) if row.counted and not row.held}


# ---- the calendar and the figures ----------------------------------------------------------------------------

def commemorative_days(session: Session, ward_id: int) -> list[CommemorativeDay]:
    return rules.parse_commemorative_days(settings.get_setting(session, ward_id, "events.commemorative_days"))


def year_calendar(session: Session, ward_id: int, year: int, today: date) -> list[CalendarEntry]:
    """The year's commemorative days in calendar order, each with its activities and the days left."""
    activities = list_activities(session, ward_id, year)
    entries = []
    for day in commemorative_days(session, ward_id):
        start, end = rules.occurrence(day, year)
        held = tuple(a for a in activities if start <= a.held_on <= end)
        entries.append(CalendarEntry(day, start, end, rules.countdown(start, end, today), held))
    return entries


def year_events(session: Session, ward_id: int, year: int) -> EventsStats:
    activities = list_activities(session, ward_id, year)
    participants = session.scalars(select(Festival.participants).where(
        Festival.ward_id == ward_id, Festival.year == year))
    return EventsStats(
        year=year, by_kind={kind: sum(a.kind is kind for a in activities) for kind in ActivityKind},
        reach=sum(a.reach or 0 for a in activities),
        target_activities=targets.target_value(session, ward_id, year, "propaganda_items") or 0,
        festival=festival_share(session, ward_id, year),
        festival_participants=sum(n or 0 for n in participants),
    )


def events_stats(session: Session, ward_id: int, year: int) -> dict:
    """The year's figures as `antq stats --json` gives them (under "activities")."""
    return year_events(session, ward_id, year).as_dict()


# ---- the demo ward ------------------------------------------------------------------------------------------

# (month, day, kind, title, who held it: "ward", "kdc", "school" or "any" unit); "{ward}" is the ward's name
_DEMO_DATED = (
    (1, 15, ActivityKind.HOI_NGHI, "Hội nghị triển khai phong trào toàn dân bảo vệ an ninh Tổ quốc năm {year}", "ward"),
    (3, 20, ActivityKind.HOI_NGHI, "Hội nghị hướng dẫn đăng ký phấn đấu đạt tiêu chuẩn \u201cAn toàn về an ninh, "
                                   "trật tự\u201d", "ward"),
    (6, 2, ActivityKind.AN_PHAM, "Treo pa-nô, áp phích hưởng ứng Tháng hành động phòng, chống ma túy", "ward"),
    (6, 5, ActivityKind.TRUC_QUAN, "Căng khẩu hiệu, ra quân vệ sinh môi trường hưởng ứng Ngày Môi trường thế giới",
     "kdc"),
    (6, 10, ActivityKind.HOI_NGHI, "Hội nghị tuyên truyền pháp luật về phòng, chống ma túy", "kdc"),
    (6, 15, ActivityKind.MANG_XA_HOI, "Đăng video tuyên truyền phòng, chống ma túy trên trang Facebook Công an phường",
     "ward"),
    (6, 26, ActivityKind.LOA, "Phát thanh hưởng ứng Ngày toàn dân phòng, chống ma túy 26/6", "ward"),
    (6, 26, ActivityKind.AN_PHAM, "Phát tờ rơi phòng, chống ma túy đến các hộ gia đình", "kdc"),
    (7, 30, ActivityKind.TRUC_QUAN, "Trưng bày tranh cổ động phòng, chống mua bán người", "school"),
    (7, 30, ActivityKind.LOA, "Phát thanh về phòng, chống mua bán người", "ward"),
    (8, 12, ActivityKind.LOA, "Phát thanh hưởng ứng Ngày hội toàn dân bảo vệ an ninh Tổ quốc", "ward"),
    (8, 19, ActivityKind.BAO, "Tin bài về Ngày hội toàn dân bảo vệ an ninh Tổ quốc tại {ward}", "ward"),
    (8, 19, ActivityKind.TRANG_TIN, "Tin ảnh Ngày hội toàn dân bảo vệ an ninh Tổ quốc trên trang thông tin điện tử",
     "ward"),
    (9, 5, ActivityKind.TRUC_QUAN, "Căng băng rôn, khẩu hiệu hưởng ứng Tháng An toàn giao thông", "ward"),
    (9, 12, ActivityKind.HOI_NGHI, "Hội nghị tuyên truyền bảo đảm trật tự, an toàn giao thông cho học sinh", "school"),
    (9, 20, ActivityKind.KHAC, "Tuyên truyền lưu động bằng xe loa về an toàn giao thông", "ward"),
    (10, 4, ActivityKind.HOI_NGHI, "Hội nghị tuyên truyền Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ", "kdc"),
    (10, 4, ActivityKind.MANG_XA_HOI, "Nhắn tin qua nhóm Zalo về phòng cháy, chữa cháy trong khu dân cư", "kdc"),
    (11, 10, ActivityKind.BAO, "Bài viết trên Báo Tuyên Quang về mô hình \u201cCamera an ninh\u201d của phường", "ward"),
)
_DEMO_ANY_DAY = (
    (ActivityKind.LOA, "Phát thanh cảnh báo thủ đoạn lừa đảo qua điện thoại, mạng xã hội", "ward"),
    (ActivityKind.LOA, "Phát thanh tuyên truyền bảo đảm trật tự, an toàn giao thông", "ward"),
    (ActivityKind.MANG_XA_HOI, "Chia sẻ cảnh báo lừa đảo qua nhóm Zalo tổ dân phố", "kdc"),
    (ActivityKind.HOI_NGHI, "Hội nghị tuyên truyền phòng, chống lừa đảo chiếm đoạt tài sản qua mạng", "any"),
    (ActivityKind.TRANG_TIN, "Đăng tải hướng dẫn đăng ký tài khoản định danh điện tử VNeID", "ward"),
    (ActivityKind.AN_PHAM, "Phát tờ rơi hướng dẫn phòng cháy, chữa cháy cho hộ kinh doanh", "kdc"),
    (ActivityKind.KHAC, "Cuộc thi tìm hiểu pháp luật về an ninh, trật tự cho đoàn viên thanh niên", "ward"),
    (ActivityKind.HOI_NGHI, "Buổi nói chuyện chuyên đề phòng, chống bạo lực học đường", "school"),
)
_DEMO_REACH = {ActivityKind.HOI_NGHI: (60, 250), ActivityKind.LOA: (800, 3500), ActivityKind.BAO: None,
               ActivityKind.TRANG_TIN: (300, 2000), ActivityKind.MANG_XA_HOI: (150, 1500),
               ActivityKind.AN_PHAM: (200, 900), ActivityKind.TRUC_QUAN: None, ActivityKind.KHAC: (80, 600)}
_DEMO_HIGHLIGHTS = (
    "Biểu dương tập thể, cá nhân tiêu biểu trong phong trào; ký giao ước thi đua giữa các hộ gia đình",
    "Giao lưu văn nghệ, thể thao; ra mắt mô hình \u201cCamera an ninh\u201d",
    "Tuyên truyền phòng, chống lừa đảo qua mạng; tặng quà gia đình chính sách",
    "Trao giấy khen cho Tổ bảo vệ an ninh, trật tự; trò chơi dân gian cho thiếu nhi",
)
_DEMO_ACTIVITIES = 40
_DEMO_SKIPPED = 5  # counted units that do not hold the Ngày hội in the demo


def add_demo_events(session: Session, ward_id: int, year: int, actor: str) -> tuple[int, int]:
    """A year of propaganda (40 activities) and the Ngày hội (held by all counted units but five)
    for the demo ward, the same on every run; returns how many activities and Ngày hội it added."""
    check_year(year)
    pick = random.Random(year * 1000 + 819)
    pools = _demo_pools(session, ward_id)
    plan = [(date(year, month, day), kind, title, who) for month, day, kind, title, who in _DEMO_DATED]
    while len(plan) < _DEMO_ACTIVITIES:
        kind, title, who = pick.choice(_DEMO_ANY_DAY)
        plan.append((date(year, 1, 1) + timedelta(days=pick.randint(0, 364)), kind, title, who))
    ward = ward_name(session, ward_id)
    names = {"year": year, "ward": ward[:1].lower() + ward[1:]}  # "phường Minh Xuân" inside a sentence
    for held_on, kind, title, who in sorted(plan, key=lambda entry: entry[0]):
        unit = pick.choice(pools[who]) if pools[who] else None
        reach = _DEMO_REACH[kind]
        add_activity(session, ward_id, ActivityInput(
            held_on=held_on, kind=kind, title=title.format(**names), unit_id=unit,
            reach=pick.randint(*reach) if reach and pick.random() < 0.9 else None), actor)
    return len(plan), _demo_festivals(session, ward_id, year, pick, actor)


def _demo_pools(session: Session, ward_id: int) -> dict[str, list[int | None]]:
    """The units each kind of demo activity is held by (the ward itself: None)."""
    units = session.execute(select(Unit.id, Unit.kind).where(Unit.ward_id == ward_id,
                                                             Unit.status == UnitStatus.ACTIVE.value)
                            .order_by(Unit.name_sort, Unit.id)).all()
    return {"ward": [None], "any": [id for id, _kind in units],
            "kdc": [id for id, kind in units if kind == UnitKind.KDC.value],
            "school": [id for id, kind in units if kind == UnitKind.GIAO_DUC.value]}


def _demo_festivals(session: Session, ward_id: int, year: int, pick: random.Random, actor: str) -> int:
    rows = [row for row in festival_rows(session, ward_id, year) if not row.held]
    counted = [row for row in rows if row.counted]
    skipped = {row.unit_id for row in pick.sample(counted, min(_DEMO_SKIPPED, len(counted)))}
    added = 0
    for row in rows:
        if row.unit_id in skipped or (not row.counted and pick.random() < 0.5):
            continue
        data = FestivalInput(held_on=date(year, 8, pick.randint(5, 25)),
                             participants=pick.randint(80, 350) if row.kind is UnitKind.KDC else pick.randint(20, 150),
                             highlights=pick.choice(_DEMO_HIGHLIGHTS))
        add_festival(session, ward_id, row.unit_id, year, data, actor)
        added += 1
    return added
