"""The core forces of the ward: members, trainings, equipment, the year's figures and the roster.

Three forces (domain/forces.py, :class:`ForceKind`): the Tổ bảo vệ ANTT of each residential
group, the protection staff of agencies, enterprises and schools, and the ward's đội dân phòng.

Rules kept here (the figures' rules are in domain/forces.py):

* A member of the Tổ bảo vệ ANTT belongs to a khu dân cư, protection staff to an agency,
  enterprise or school, a đội dân phòng member to no unit. New members only join active units.
* A member who has attended a training or received equipment is never deleted: record the day
  they left instead (``leave_member``); a member entered by mistake, with nothing recorded, may go.
* Membership dates must keep every training the member attended inside them; a training's
  attendees must be serving on its day; an item comes back on or after the day it was issued,
  and is issued while its holder serves.

Version checks: ``expected_version`` is the row's version as the user saw it; ``None`` skips it.
"""

from __future__ import annotations

import io
import random
import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified

from antq_desktop.db import audit
from antq_desktop.db.models import (
    EquipmentIssue,
    ForceMember,
    Training,
    TrainingAttendee,
    Unit,
)
from antq_desktop.domain import vntext
from antq_desktop.domain.forces import (
    ForceFigures,
    ForceKind,
    ForceLevel,
    Gender,
    MemberYear,
    birth_year_problem,
    counted,
    holding_on,
    reference_day,
    role_rank,
    serving_on,
    unit_problem,
    year_figures,
)
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.errors import UserError
from antq_desktop.reports.roster import Roster, RosterMember, RosterTeam, render_roster
from antq_desktop.services import forces, targets
from antq_desktop.services.antt import check_year
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

NAME_MAX, ROLE_MAX, PHONE_MAX, TOPIC_MAX, PLACE_MAX, ITEM_MAX = 100, 100, 30, 500, 300, 200
HOURS_MAX, QUANTITY_MAX = 1000, 10_000
_PHONE = re.compile(r"[0-9+().\- ]*")
_MEMBER_MISSING = "Không tìm thấy thành viên này; có thể người khác vừa xoá. Hãy tải lại danh sách."
_TRAINING_MISSING = "Không tìm thấy buổi huấn luyện này; có thể người khác vừa xoá. Hãy tải lại danh sách."
_ISSUE_MISSING = "Không tìm thấy lần cấp trang bị này; có thể người khác vừa xoá. Hãy tải lại danh sách."


# ---- plain data --------------------------------------------------------------------------------

@dataclass(frozen=True)
class MemberInput:
    force_kind: ForceKind
    full_name: str
    unit_id: int | None = None
    birth_year: int | None = None
    gender: Gender | None = None
    role: str = ""
    phone: str = ""
    joined_on: date | None = None
    left_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class MemberRow(MemberInput):
    """A member as lists show it, with what the shown year says of them."""

    id: int = 0
    version: int = 0
    unit_name: str = ""
    unit_sort: str = ""
    name_sort: str = ""
    trainings: int = 0                  # trainings attended in the year
    training_hours: int = 0
    equipment: tuple[str, ...] = ()     # items held on the member's reference day of the year

    @property
    def team(self) -> str:
        """Where the member serves: "Tổ dân phố 3", "Trường THCS Minh Xuân", "Đội dân phòng"."""
        return self.unit_name or self.force_kind.label

    def as_input(self) -> MemberInput:
        return MemberInput(**{name: getattr(self, name) for name in MemberInput.__dataclass_fields__})


@dataclass(frozen=True)
class UnitChoice:
    id: int
    name: str
    kind: UnitKind


@dataclass(frozen=True)
class TrainingInput:
    held_on: date
    topic: str
    hours: int = 0
    place: str = ""
    note: str = ""
    attendee_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class TrainingRow(TrainingInput):
    id: int = 0
    version: int = 0

    @property
    def attendees(self) -> int:
        return len(self.attendee_ids)

    def as_input(self) -> TrainingInput:
        return TrainingInput(**{name: getattr(self, name) for name in TrainingInput.__dataclass_fields__})


@dataclass(frozen=True)
class EquipmentInput:
    member_id: int
    item: str
    issued_on: date
    quantity: int = 1
    returned_on: date | None = None
    note: str = ""


@dataclass(frozen=True)
class EquipmentRow(EquipmentInput):
    id: int = 0
    version: int = 0
    member_name: str = ""
    member_sort: str = ""
    team: str = ""

    def as_input(self) -> EquipmentInput:
        return EquipmentInput(**{name: getattr(self, name) for name in EquipmentInput.__dataclass_fields__})


@dataclass(frozen=True)
class ForcesYear:
    """The year's figures of the core forces against the plan's targets, and the Tổ ratings."""

    year: int
    reference_day: date
    by_kind: dict[ForceKind, ForceFigures]
    target_trained_pct: float
    target_equipped_pct: float
    ratings: forces.RatingCounts

    @property
    def total(self) -> ForceFigures:
        return sum(self.by_kind.values(), ForceFigures())

    def as_dict(self) -> dict:
        return {
            **_figures_dict(self.total), "reference_day": self.reference_day.isoformat(),
            "target_trained_pct": self.target_trained_pct, "target_equipped_pct": self.target_equipped_pct,
            "by_kind": {kind.cli_name: _figures_dict(figures) for kind, figures in self.by_kind.items()},
            "ratings": {level.value: self.ratings.by_level[level] for level in ForceLevel},
            "ratings_unrated": self.ratings.unrated,
        }

    @property
    def summary(self) -> str:
        """"Đã huấn luyện 80/95 (84,2%; chỉ tiêu 100%) · Đã trang bị 90/95 (94,7%; chỉ tiêu 100%)"."""
        total = self.total
        if not total.members:
            return f"Năm {self.year} chưa có thành viên lực lượng nòng cốt nào."
        return " · ".join((
            _share("Đã huấn luyện", total.trained, total.members, self.target_trained_pct),
            _share("Đã trang bị", total.equipped, total.members, self.target_equipped_pct),
        ))


def _figures_dict(figures: ForceFigures) -> dict:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 2)

    return {"members": figures.members, "trained": figures.trained, "trained_pct": rounded(figures.trained_pct),
            "equipped": figures.equipped, "equipped_pct": rounded(figures.equipped_pct)}


def _share(label: str, part: int, whole: int, target: float) -> str:
    share = 100 * part / whole
    decimals = 0 if share.is_integer() else 1
    mark = "đạt" if share >= target else "chưa đạt"
    return (f"{label} {part}/{whole} ({vntext.format_percent(share, decimals)}; chỉ tiêu "
            f"{vntext.format_percent(target, 0)}, {mark})")


# ---- what the year says of each member ---------------------------------------------------------

def _member_years(session: Session, ward_id: int) -> dict[int, MemberYear]:
    """Every member of the ward with the days of the trainings they attended and the items they held."""
    days: dict[int, list[date]] = defaultdict(list)
    for member_id, held_on in session.execute(
            select(TrainingAttendee.member_id, Training.held_on).join(Training)
            .where(Training.ward_id == ward_id)):
        days[member_id].append(held_on)
    holdings: dict[int, list[tuple[date, date | None]]] = defaultdict(list)
    for member_id, issued, returned in session.execute(
            select(EquipmentIssue.member_id, EquipmentIssue.issued_on, EquipmentIssue.returned_on)
            .join(ForceMember).where(ForceMember.ward_id == ward_id)):
        holdings[member_id].append((issued, returned))
    members = session.execute(select(ForceMember.id, ForceMember.force_kind, ForceMember.joined_on,
                                     ForceMember.left_on).where(ForceMember.ward_id == ward_id))
    return {member_id: MemberYear(ForceKind(kind), joined, left, tuple(days[member_id]), tuple(holdings[member_id]))
            for member_id, kind, joined, left in members}


def forces_year(session: Session, ward_id: int, year: int, today: date | None = None) -> ForcesYear:
    check_year(year)
    today = today or date.today()
    by_kind = year_figures(list(_member_years(session, ward_id).values()), year, today)
    return ForcesYear(
        year=year, reference_day=reference_day(year, today), by_kind=by_kind,
        target_trained_pct=float(targets.target_value(session, ward_id, year, "forces_trained_pct")),
        target_equipped_pct=float(targets.target_value(session, ward_id, year, "forces_equipped_pct")),
        ratings=forces.rating_counts(session, ward_id, year),
    )


def forces_stats(session: Session, ward_id: int, year: int) -> dict:
    """The "forces" object of `antq stats --json`: members, trained and equipped (with shares) in
    total and per force, the targets, and the count of Tổ bảo vệ ANTT at each rating level."""
    return forces_year(session, ward_id, year).as_dict()


# ---- members -----------------------------------------------------------------------------------

def _held_items(session: Session, member_ids: list[int], day_of: dict[int, date]) -> dict[int, tuple[str, ...]]:
    """The items each member holds on their own reference day: "Gậy cao su (2)"."""
    held: dict[int, list[str]] = defaultdict(list)
    if not member_ids:
        return {}
    issues = session.scalars(select(EquipmentIssue).where(EquipmentIssue.member_id.in_(member_ids))
                             .order_by(EquipmentIssue.issued_on, EquipmentIssue.id))
    for issue in issues:
        if holding_on(issue.issued_on, issue.returned_on, day_of[issue.member_id]):
            held[issue.member_id].append(issue.item if issue.quantity == 1 else f"{issue.item} ({issue.quantity})")
    return {member_id: tuple(items) for member_id, items in held.items()}


def _training_counts(session: Session, ward_id: int, year: int) -> dict[int, tuple[int, int]]:
    counts: dict[int, tuple[int, int]] = defaultdict(lambda: (0, 0))
    for member_id, hours in session.execute(
            select(TrainingAttendee.member_id, Training.hours).join(Training)
            .where(Training.ward_id == ward_id, Training.held_on.between(date(year, 1, 1), date(year, 12, 31)))):
        number, total = counts[member_id]
        counts[member_id] = (number + 1, total + hours)
    return counts


def _member_day(member: ForceMember, day: date) -> date:
    return member.left_on if member.left_on is not None and member.left_on < day else day


def _to_row(member: ForceMember, unit: Unit | None, trainings: tuple[int, int] = (0, 0),
            equipment: tuple[str, ...] = ()) -> MemberRow:
    return MemberRow(
        force_kind=ForceKind(member.force_kind), full_name=member.full_name, unit_id=member.unit_id,
        birth_year=member.birth_year, gender=Gender(member.gender) if member.gender else None, role=member.role,
        phone=member.phone, joined_on=member.joined_on, left_on=member.left_on, note=member.note, id=member.id,
        version=member.version, unit_name=unit.name if unit else "", unit_sort=unit.name_sort if unit else "",
        name_sort=member.name_sort, trainings=trainings[0], training_hours=trainings[1], equipment=equipment,
    )


def roster_order(row: MemberRow) -> tuple:
    """Force, team, then leaders first and Vietnamese person-name order."""
    return (row.force_kind.rank, row.unit_sort, row.unit_id or 0, role_rank(row.role), vntext.sort_key(row.role),
            row.name_sort, row.id)


def list_members(session: Session, ward_id: int, year: int, *, kind: ForceKind | None = None,
                 unit_id: int | None = None, search: str = "", everyone: bool = False,
                 today: date | None = None) -> list[MemberRow]:
    """The members of ``year`` (``everyone``: also those who left before it or join after it), with
    the trainings they attended that year and what they hold, in roster order; ``search`` looks in
    names, roles, phones and units, ignoring case and tones."""
    check_year(year)
    day = reference_day(year, today or date.today())
    statement = select(ForceMember, Unit).outerjoin(Unit, ForceMember.unit_id == Unit.id).where(
        ForceMember.ward_id == ward_id)
    if kind is not None:
        statement = statement.where(ForceMember.force_kind == kind.value)
    if unit_id is not None:
        statement = statement.where(ForceMember.unit_id == unit_id)
    pairs = [(member, unit) for member, unit in session.execute(statement)
             if everyone or _counted(member, year, day)]
    wanted = vntext.search_key(search)
    if wanted:
        pairs = [(m, u) for m, u in pairs if wanted in vntext.search_key(
            " ".join((m.full_name, m.role, m.phone, u.name if u else "")))]
    trainings = _training_counts(session, ward_id, year)
    held = _held_items(session, [m.id for m, _u in pairs], {m.id: _member_day(m, day) for m, _u in pairs})
    rows = [_to_row(m, u, trainings[m.id], held.get(m.id, ())) for m, u in pairs]
    return sorted(rows, key=roster_order)


def _counted(member: ForceMember, year: int, day: date) -> bool:
    return counted(MemberYear(ForceKind(member.force_kind), member.joined_on, member.left_on), year, day)


def get_member(session: Session, member_id: int) -> MemberRow:
    member = existing_row(session, ForceMember, member_id, _MEMBER_MISSING)
    return _to_row(member, session.get(Unit, member.unit_id) if member.unit_id else None)


def member_units(session: Session, ward_id: int, kind: ForceKind) -> list[UnitChoice]:
    """The active units a member of ``kind`` may belong to, in Vietnamese order (none for dân phòng)."""
    if not kind.unit_kinds:
        return []
    units = session.scalars(select(Unit).where(
        Unit.ward_id == ward_id, Unit.status == UnitStatus.ACTIVE.value,
        Unit.kind.in_([k.value for k in kind.unit_kinds])).order_by(Unit.kind, Unit.name_sort, Unit.id))
    return sorted((UnitChoice(u.id, u.name, UnitKind(u.kind)) for u in units), key=lambda c: c.kind.rank)


def team_units(session: Session, ward_id: int, kind: ForceKind | None = None) -> list[UnitChoice]:
    """The units that have (or had) members, for the filter and the roster's chooser."""
    statement = select(Unit).where(Unit.id.in_(select(ForceMember.unit_id).where(ForceMember.ward_id == ward_id)))
    if kind is not None:
        statement = statement.where(Unit.kind.in_([k.value for k in kind.unit_kinds]))
    units = session.scalars(statement.order_by(Unit.name_sort, Unit.id))
    return sorted((UnitChoice(u.id, u.name, UnitKind(u.kind)) for u in units), key=lambda c: c.kind.rank)


def _clean_member(data: MemberInput) -> MemberInput:
    kind = ForceKind(data.force_kind)
    return replace(
        data, force_kind=kind, full_name=vntext.clean(data.full_name),
        gender=Gender(data.gender) if data.gender else None,
        role=vntext.clean(data.role) or kind.roles[-1], phone=vntext.clean(data.phone),
        note=vntext.clean_paragraphs(data.note),
    )


def _check_member_text(data: MemberInput) -> None:
    if not data.full_name:
        raise UserError("Chưa nhập họ và tên thành viên.")
    if len(data.full_name) > NAME_MAX:
        raise UserError(f"Họ và tên dài quá {NAME_MAX} ký tự; hãy kiểm tra lại.")
    if len(data.role) > ROLE_MAX:
        raise UserError(f"Chức danh dài quá {ROLE_MAX} ký tự.")
    if len(data.phone) > PHONE_MAX or not _PHONE.fullmatch(data.phone):
        raise UserError(f'Số điện thoại "{data.phone}" không hợp lệ: chỉ gồm chữ số (có thể có dấu cách, '
                        f"dấu chấm, dấu +), tối đa {PHONE_MAX} ký tự.")


def _check_member_dates(data: MemberInput, today: date) -> None:
    if data.joined_on is not None and data.joined_on > today:
        raise UserError(f"Ngày tham gia {vntext.format_date(data.joined_on)} chưa đến: hãy nhập ngày đã tham gia.")
    if data.left_on is not None and data.left_on > today:
        raise UserError(f"Ngày thôi tham gia {vntext.format_date(data.left_on)} chưa đến: hãy ghi khi người này "
                        "đã thôi tham gia.")
    if data.joined_on and data.left_on and data.left_on < data.joined_on:
        raise UserError("Ngày thôi tham gia không được trước ngày tham gia.")
    problem = birth_year_problem(data.birth_year, (data.joined_on or today).year)
    if problem:
        raise UserError(problem)


def _check_member_unit(session: Session, ward_id: int, data: MemberInput, joining: bool) -> None:
    unit = session.get(Unit, data.unit_id) if data.unit_id is not None else None
    if data.unit_id is not None and (unit is None or unit.ward_id != ward_id):
        raise UserError("Không tìm thấy đơn vị đã chọn; hãy tải lại danh sách.")
    problem = unit_problem(data.force_kind, UnitKind(unit.kind) if unit else None, unit.name if unit else "")
    if problem:
        raise UserError(problem)
    if unit is not None and joining and unit.status != UnitStatus.ACTIVE.value:
        raise UserError(f'"{unit.name}" không còn hoạt động (đã sáp nhập hoặc giải thể) nên không thêm thành viên '
                        "mới vào đó được.")


def _check_not_duplicate(session: Session, ward_id: int, data: MemberInput, member_id: int | None) -> None:
    if data.left_on is not None:
        return
    key = vntext.search_key(data.full_name)
    same_team = session.scalars(select(ForceMember).where(
        ForceMember.ward_id == ward_id, ForceMember.force_kind == data.force_kind.value,
        ForceMember.unit_id.is_(None) if data.unit_id is None else ForceMember.unit_id == data.unit_id,
        ForceMember.left_on.is_(None)))
    for other in same_team:
        if other.id != member_id and vntext.search_key(other.full_name) == key and other.birth_year == data.birth_year:
            raise UserError(f'"{other.full_name}" đã có trong danh sách của tổ, đội này. Nếu là người khác trùng tên, '
                            "hãy ghi thêm năm sinh để phân biệt.")


def _check_attended_inside(session: Session, member_id: int, joined_on: date | None, left_on: date | None) -> None:
    days = session.scalars(select(Training.held_on).join(TrainingAttendee)
                           .where(TrainingAttendee.member_id == member_id).order_by(Training.held_on))
    outside = [day for day in days if not serving_on(joined_on, left_on, day)]
    if outside:
        raise UserError(f"Người này đã dự buổi huấn luyện ngày {vntext.format_date(outside[0])}: ngày tham gia và "
                        "ngày thôi tham gia phải bao gồm ngày đó. Hãy sửa ngày, hoặc bỏ tên khỏi buổi huấn luyện trước.")


def _checked_member(session: Session, ward_id: int, data: MemberInput, member: ForceMember | None) -> MemberInput:
    data = _clean_member(data)
    _check_member_text(data)
    _check_member_dates(data, date.today())
    joining = member is None or member.unit_id != data.unit_id or member.force_kind != data.force_kind.value
    _check_member_unit(session, ward_id, data, joining)
    _check_not_duplicate(session, ward_id, data, member.id if member else None)
    if member is not None:
        _check_attended_inside(session, member.id, data.joined_on, data.left_on)
    return data


def _write_member(member: ForceMember, data: MemberInput) -> None:
    member.force_kind, member.unit_id, member.full_name = data.force_kind.value, data.unit_id, data.full_name
    member.name_sort = vntext.person_name_key(data.full_name)
    member.birth_year, member.gender = data.birth_year, data.gender.value if data.gender else None
    member.role, member.phone, member.note = data.role, data.phone, data.note
    member.joined_on, member.left_on = data.joined_on, data.left_on


def add_member(session: Session, ward_id: int, data: MemberInput, actor: str) -> int:
    data = _checked_member(session, ward_id, data, None)
    member = ForceMember(ward_id=ward_id)
    _write_member(member, data)
    stamp_created(member, actor)
    session.add(member)
    session.flush()
    return member.id


def _ward_member(session: Session, ward_id: int, member_id: int, expected_version: int | None) -> ForceMember:
    member = existing_row(session, ForceMember, member_id, _MEMBER_MISSING, expected_version)
    if member.ward_id != ward_id:
        raise UserError(_MEMBER_MISSING)
    return member


def update_member(session: Session, ward_id: int, member_id: int, data: MemberInput, actor: str,
                  expected_version: int | None = None) -> None:
    member = _ward_member(session, ward_id, member_id, expected_version)
    data = _checked_member(session, ward_id, data, member)
    _write_member(member, data)
    stamp_updated(member, actor)
    session.flush()


def leave_member(session: Session, ward_id: int, member_id: int, left_on: date, actor: str,
                 expected_version: int | None = None) -> int:
    """Record the day a member left; returns how many items they still hold after it (to ask back)."""
    member = _ward_member(session, ward_id, member_id, expected_version)
    update_member(session, ward_id, member_id, replace(get_member(session, member_id).as_input(), left_on=left_on),
                  actor)
    return sum(1 for issued, returned in session.execute(
        select(EquipmentIssue.issued_on, EquipmentIssue.returned_on).where(EquipmentIssue.member_id == member.id))
        if returned is None or returned > left_on)


def delete_member(session: Session, ward_id: int, member_id: int, expected_version: int | None = None) -> None:
    """Remove a member entered by mistake; refused once a training or an item names them."""
    member = _ward_member(session, ward_id, member_id, expected_version)
    attended = session.scalar(select(TrainingAttendee.training_id).where(TrainingAttendee.member_id == member_id)
                              .limit(1))
    issued = session.scalar(select(EquipmentIssue.id).where(EquipmentIssue.member_id == member_id).limit(1))
    if attended is not None or issued is not None:
        raise UserError(f'Không xoá được "{member.full_name}" vì đã có huấn luyện hoặc trang bị ghi tên người này. '
                        "Hãy dùng \u201cThôi tham gia\u201d để giữ lại lịch sử.")
    session.delete(member)
    session.flush()


# ---- trainings ---------------------------------------------------------------------------------

def _training_row(training: Training, attendee_ids: tuple[int, ...]) -> TrainingRow:
    return TrainingRow(held_on=training.held_on, topic=training.topic, hours=training.hours, place=training.place,
                       note=training.note, attendee_ids=attendee_ids, id=training.id, version=training.version)


def list_trainings(session: Session, ward_id: int, year: int) -> list[TrainingRow]:
    """The trainings held in ``year``, oldest first, with their attendees."""
    check_year(year)
    trainings = list(session.scalars(select(Training).where(
        Training.ward_id == ward_id, Training.held_on.between(date(year, 1, 1), date(year, 12, 31)))
        .order_by(Training.held_on, Training.id)))
    attendees: dict[int, list[int]] = defaultdict(list)
    for training_id, member_id in session.execute(select(TrainingAttendee.training_id, TrainingAttendee.member_id)
                                                  .where(TrainingAttendee.training_id.in_([t.id for t in trainings]))):
        attendees[training_id].append(member_id)
    return [_training_row(t, tuple(sorted(attendees[t.id]))) for t in trainings]


def get_training(session: Session, training_id: int) -> TrainingRow:
    training = existing_row(session, Training, training_id, _TRAINING_MISSING)
    ids = session.scalars(select(TrainingAttendee.member_id).where(TrainingAttendee.training_id == training_id))
    return _training_row(training, tuple(sorted(ids)))


def training_candidates(session: Session, ward_id: int, day: date) -> list[MemberRow]:
    """The members serving on ``day`` (whom a training that day can list), in roster order."""
    pairs = session.execute(select(ForceMember, Unit).outerjoin(Unit, ForceMember.unit_id == Unit.id)
                            .where(ForceMember.ward_id == ward_id))
    rows = [_to_row(m, u) for m, u in pairs if serving_on(m.joined_on, m.left_on, day)]
    return sorted(rows, key=roster_order)


def _checked_training(session: Session, ward_id: int, data: TrainingInput) -> TrainingInput:
    data = replace(data, topic=vntext.clean(data.topic), place=vntext.clean(data.place),
                   note=vntext.clean_paragraphs(data.note), attendee_ids=tuple(sorted(set(data.attendee_ids))))
    check_year(data.held_on.year)
    if not data.topic:
        raise UserError("Chưa nhập nội dung huấn luyện.")
    if len(data.topic) > TOPIC_MAX or len(data.place) > PLACE_MAX:
        raise UserError(f"Nội dung huấn luyện dài quá {TOPIC_MAX} ký tự, hoặc địa điểm dài quá {PLACE_MAX} ký tự.")
    if not 0 <= data.hours <= HOURS_MAX:
        raise UserError(f"Số giờ huấn luyện phải từ 0 đến {HOURS_MAX}.")
    if data.attendee_ids and data.held_on > date.today():
        raise UserError(f"Buổi huấn luyện ngày {vntext.format_date(data.held_on)} chưa diễn ra: hãy đánh dấu người "
                        "dự sau khi buổi huấn luyện đã tổ chức.")
    _check_attendees(session, ward_id, data)
    return data


def _check_attendees(session: Session, ward_id: int, data: TrainingInput) -> None:
    members = {m.id: m for m in session.scalars(select(ForceMember).where(ForceMember.id.in_(data.attendee_ids)))}
    if any(members.get(i) is None or members[i].ward_id != ward_id for i in data.attendee_ids):
        raise UserError("Có người trong danh sách dự không còn trong danh sách thành viên; hãy tải lại danh sách.")
    away = [m.full_name for m in members.values() if not serving_on(m.joined_on, m.left_on, data.held_on)]
    if away:
        raise UserError(f"Ngày {vntext.format_date(data.held_on)} những người sau chưa tham gia hoặc đã thôi tham gia "
                        f"lực lượng nên không ghi là người dự được: {', '.join(sorted(away, key=vntext.person_name_key))}.")


def _write_training(session: Session, training: Training, data: TrainingInput) -> None:
    training.held_on, training.topic, training.hours = data.held_on, data.topic, data.hours
    training.place, training.note = data.place, data.note
    if training.id is not None:
        audit.delete_rows(session, TrainingAttendee, TrainingAttendee.training_id == training.id)
    session.flush()
    session.add_all(TrainingAttendee(training_id=training.id, member_id=member_id) for member_id in data.attendee_ids)
    session.flush()


def add_training(session: Session, ward_id: int, data: TrainingInput, actor: str) -> int:
    data = _checked_training(session, ward_id, data)
    training = Training(ward_id=ward_id)
    stamp_created(training, actor)
    session.add(training)
    _write_training(session, training, data)
    return training.id


def _ward_training(session: Session, ward_id: int, training_id: int, expected_version: int | None) -> Training:
    training = existing_row(session, Training, training_id, _TRAINING_MISSING, expected_version)
    if training.ward_id != ward_id:
        raise UserError(_TRAINING_MISSING)
    return training


def update_training(session: Session, ward_id: int, training_id: int, data: TrainingInput, actor: str,
                    expected_version: int | None = None) -> None:
    training = _ward_training(session, ward_id, training_id, expected_version)
    data = _checked_training(session, ward_id, data)
    stamp_updated(training, actor)
    flag_modified(training, "updated_at")   # a change of attendees alone still takes a new version
    _write_training(session, training, data)


def delete_training(session: Session, ward_id: int, training_id: int, expected_version: int | None = None) -> None:
    """Remove a training entered by mistake, with its list of attendees."""
    training = _ward_training(session, ward_id, training_id, expected_version)
    audit.delete_rows(session, TrainingAttendee, TrainingAttendee.training_id == training.id)
    session.delete(training)
    session.flush()


# ---- equipment ---------------------------------------------------------------------------------

def _equipment_row(issue: EquipmentIssue, member: ForceMember, unit: Unit | None) -> EquipmentRow:
    team = unit.name if unit else ForceKind(member.force_kind).label
    return EquipmentRow(member_id=issue.member_id, item=issue.item, issued_on=issue.issued_on,
                        quantity=issue.quantity, returned_on=issue.returned_on, note=issue.note, id=issue.id,
                        version=issue.version, member_name=member.full_name, member_sort=member.name_sort, team=team)


def list_equipment(session: Session, ward_id: int, year: int, *, outstanding: bool = False,
                   member_id: int | None = None) -> list[EquipmentRow]:
    """Items held on some day of ``year`` (``outstanding``: only those not returned), newest issue first."""
    check_year(year)
    statement = (select(EquipmentIssue, ForceMember, Unit).select_from(EquipmentIssue)
                 .join(ForceMember, EquipmentIssue.member_id == ForceMember.id)
                 .outerjoin(Unit, ForceMember.unit_id == Unit.id)
                 .where(ForceMember.ward_id == ward_id, EquipmentIssue.issued_on <= date(year, 12, 31),
                        EquipmentIssue.returned_on.is_(None) | (EquipmentIssue.returned_on >= date(year, 1, 1)))
                 .order_by(EquipmentIssue.issued_on.desc(), EquipmentIssue.id.desc()))
    if outstanding:
        statement = statement.where(EquipmentIssue.returned_on.is_(None))
    if member_id is not None:
        statement = statement.where(EquipmentIssue.member_id == member_id)
    return [_equipment_row(issue, member, unit) for issue, member, unit in session.execute(statement)]


def _checked_issue(session: Session, ward_id: int, data: EquipmentInput) -> EquipmentInput:
    data = replace(data, item=vntext.clean(data.item), note=vntext.clean_paragraphs(data.note))
    member = session.get(ForceMember, data.member_id)
    if member is None or member.ward_id != ward_id:
        raise UserError("Chưa chọn người nhận trang bị, hoặc người đó không còn trong danh sách.")
    if not data.item:
        raise UserError("Chưa nhập tên trang bị.")
    if len(data.item) > ITEM_MAX:
        raise UserError(f"Tên trang bị dài quá {ITEM_MAX} ký tự.")
    if not 1 <= data.quantity <= QUANTITY_MAX:
        raise UserError(f"Số lượng phải từ 1 đến {vntext.format_number(QUANTITY_MAX)}.")
    check_year(data.issued_on.year)
    if data.issued_on > date.today():
        raise UserError(f"Ngày cấp {vntext.format_date(data.issued_on)} chưa đến: hãy ghi khi đã cấp.")
    _check_issue_dates(member, data)
    return data


def _check_issue_dates(member: ForceMember, data: EquipmentInput) -> None:
    if data.returned_on is not None and data.returned_on < data.issued_on:
        raise UserError(f"Ngày trả {vntext.format_date(data.returned_on)} không được trước ngày cấp "
                        f"{vntext.format_date(data.issued_on)}.")
    if data.returned_on is not None and data.returned_on > date.today():
        raise UserError(f"Ngày trả {vntext.format_date(data.returned_on)} chưa đến: hãy ghi khi đã nhận lại.")
    if not serving_on(member.joined_on, member.left_on, data.issued_on):
        raise UserError(f'Ngày {vntext.format_date(data.issued_on)} "{member.full_name}" chưa tham gia hoặc đã thôi '
                        "tham gia lực lượng nên không cấp trang bị được; hãy kiểm tra ngày cấp.")


def _write_issue(issue: EquipmentIssue, data: EquipmentInput) -> None:
    issue.member_id, issue.item, issue.quantity = data.member_id, data.item, data.quantity
    issue.issued_on, issue.returned_on, issue.note = data.issued_on, data.returned_on, data.note


def add_equipment(session: Session, ward_id: int, data: EquipmentInput, actor: str) -> int:
    data = _checked_issue(session, ward_id, data)
    issue = EquipmentIssue()
    _write_issue(issue, data)
    stamp_created(issue, actor)
    session.add(issue)
    session.flush()
    return issue.id


def _ward_issue(session: Session, ward_id: int, issue_id: int, expected_version: int | None) -> EquipmentIssue:
    issue = existing_row(session, EquipmentIssue, issue_id, _ISSUE_MISSING, expected_version)
    if session.get(ForceMember, issue.member_id).ward_id != ward_id:
        raise UserError(_ISSUE_MISSING)
    return issue


def update_equipment(session: Session, ward_id: int, issue_id: int, data: EquipmentInput, actor: str,
                     expected_version: int | None = None) -> None:
    issue = _ward_issue(session, ward_id, issue_id, expected_version)
    data = _checked_issue(session, ward_id, data)
    _write_issue(issue, data)
    stamp_updated(issue, actor)
    session.flush()


def return_equipment(session: Session, ward_id: int, issue_id: int, returned_on: date | None, actor: str,
                     expected_version: int | None = None) -> None:
    """Record the day an item came back (``None``: it did not come back after all)."""
    issue = _ward_issue(session, ward_id, issue_id, expected_version)
    data = EquipmentInput(issue.member_id, issue.item, issue.issued_on, issue.quantity, returned_on, issue.note)
    update_equipment(session, ward_id, issue_id, data, actor)


def delete_equipment(session: Session, ward_id: int, issue_id: int, expected_version: int | None = None) -> None:
    """Remove an issue entered by mistake (an item that came back is recorded as returned instead)."""
    issue = _ward_issue(session, ward_id, issue_id, expected_version)
    session.delete(issue)
    session.flush()


# ---- the printed roster ------------------------------------------------------------------------

def _team_title(kind: ForceKind, unit_name: str, ward_title: str) -> str:
    if kind is ForceKind.TO_BAO_VE:
        return f"Tổ bảo vệ an ninh, trật tự {unit_name}"
    if kind is ForceKind.BAO_VE_CO_QUAN:
        return f"Lực lượng bảo vệ {unit_name}"
    return f"Đội dân phòng {ward_title}"


def _roster_member(row: MemberRow, year: int) -> RosterMember:
    return RosterMember(
        full_name=row.full_name, birth_year=row.birth_year, gender=row.gender.label if row.gender else "",
        role=row.role, phone=row.phone, joined_on=row.joined_on,
        left_on=row.left_on if row.left_on and row.left_on.year <= year else None,
        trainings=row.trainings, training_hours=row.training_hours, equipment=row.equipment,
    )


def roster(session: Session, ward_id: int, year: int, unit_id: int | None = None, *,
           kind: ForceKind | None = None, today: date | None = None) -> Roster:
    """The roster of ``year``: every team (``unit_id``: that unit's team; ``kind``: that force's
    teams), the members of the year in roster order, issued today by the ward police."""
    from antq_desktop.services.antt_documents import (  # it imports stats, which imports us
        police_issuer,
        police_signer,
    )
    from antq_desktop.services.profile import require_profile

    profile = require_profile(session)
    today = today or date.today()
    rows = list_members(session, ward_id, year, kind=kind, unit_id=unit_id, today=today)
    if not rows:
        raise UserError(f"Năm {year} chưa có thành viên nào trong lựa chọn này để in danh sách.")
    teams: dict[tuple, list[MemberRow]] = {}
    for row in rows:
        teams.setdefault((row.force_kind, row.unit_id), []).append(row)
    printed = tuple(RosterTeam(_team_title(kind_, members[0].unit_name, profile.ward_title),
                               tuple(_roster_member(m, year) for m in members))
                    for (kind_, _unit), members in teams.items())
    return Roster(
        issuer=police_issuer(profile), signer=police_signer(profile), issued_on=today, year=year,
        subject=_roster_subject(printed, kind, year), reference_day=reference_day(year, today), teams=printed,
        recipients=(f"- Chủ tịch UBND {profile.ward_title} (để b/c);", "- Lưu: VT."),
    )


def _roster_subject(teams: tuple[RosterTeam, ...], kind: ForceKind | None, year: int) -> str:
    if len(teams) == 1:
        return f"Thành viên {teams[0].title} năm {year}"
    if kind is ForceKind.TO_BAO_VE:
        return f"Thành viên Tổ bảo vệ an ninh, trật tự ở cơ sở năm {year}"
    if kind is ForceKind.BAO_VE_CO_QUAN:
        return f"Lực lượng bảo vệ cơ quan, doanh nghiệp, nhà trường năm {year}"
    return f"Thành viên các lực lượng nòng cốt bảo vệ an ninh, trật tự năm {year}"


def roster_pdf(session: Session, ward_id: int, year: int, unit_id: int | None = None, *,
               kind: ForceKind | None = None) -> bytes:
    """The printed roster as PDF bytes (``unit_id`` None: every team), for `antq print roster`."""
    out = io.BytesIO()
    render_roster(roster(session, ward_id, year, unit_id, kind=kind), out)
    return out.getvalue()


# ---- the demo ward -----------------------------------------------------------------------------

_DEMO_SEED = 1908   # 19/8, the Ngày hội: the demo's forces are the same on every run
_DEMO_TRAININGS = (
    ((3, 18), "Tập huấn kiến thức pháp luật và nghiệp vụ bảo vệ an ninh, trật tự ở cơ sở", 8,
     "Hội trường Công an phường", 0.85),
    ((9, 22), "Huấn luyện kỹ năng phòng cháy, chữa cháy, cứu nạn, cứu hộ và sử dụng công cụ hỗ trợ", 4,
     "Sân Nhà văn hóa Tổ dân phố 5", 0.75),
)
_DEMO_RATINGS = ((ForceLevel.HOAN_THANH_XUAT_SAC, 3), (ForceLevel.HOAN_THANH_TOT, 9), (ForceLevel.HOAN_THANH, 5),
                 (ForceLevel.KHONG_HOAN_THANH, 1))   # 18 of the 20 groups; 2 left unrated


class _DemoPeople:
    """Names (with their gender) from the demo register's name lists, and phones."""

    def __init__(self, pick: random.Random):
        from antq_desktop.services import demo  # demo imports this module

        self._pick, self._demo = pick, demo

    def person(self) -> tuple[str, Gender]:
        d, choice = self._demo, self._pick.choice
        if self._pick.random() < 0.75:
            return f"{choice(d._FAMILY)} {choice(d._MIDDLE_MEN)} {choice(d._GIVEN_MEN)}", Gender.NAM
        return f"{choice(d._FAMILY)} {choice(d._MIDDLE_WOMEN)} {choice(d._GIVEN_WOMEN)}", Gender.NU

    def phone(self) -> str:
        return "0" + self._pick.choice("389") + "".join(self._pick.choice("0123456789") for _ in range(8))


def _demo_day(year: int, month: int, day: int, today: date) -> date:
    return min(date(year, month, day), today)


def _demo_team(session, ward_id, people, pick, kind, unit_id, size, year, today, actor) -> list[int]:
    roles = kind.roles
    ids = []
    for number in range(size):
        name, gender = people.person()
        joined = _demo_day(year - pick.randint(1, 6), pick.randint(1, 12), pick.randint(1, 28), today)
        role = roles[min(number, len(roles) - 1)]
        data = MemberInput(kind, name, unit_id, year - pick.randint(24, 62), gender, role, people.phone(), joined)
        try:
            ids.append(add_member(session, ward_id, data, actor))
        except UserError:   # the same name twice in a team: that person is left out
            continue
    return ids


def _demo_units(session: Session, ward_id: int) -> list[tuple[ForceKind, int | None, int]]:
    """(force, unit, size) of each demo team: every tổ dân phố, some agencies, schools and
    enterprises, and the ward's đội dân phòng."""
    units = {u.name: u for u in session.scalars(select(Unit).where(Unit.ward_id == ward_id))}
    teams = [(ForceKind.TO_BAO_VE, u.id, 0) for u in sorted(units.values(), key=lambda u: u.name_sort)
             if u.kind == UnitKind.KDC.value]
    for name in ("Ủy ban nhân dân phường Minh Xuân", "Trạm Y tế phường Minh Xuân", "Kho bạc Nhà nước khu vực VIII - "
                 "Phòng Giao dịch số 3", "Bưu điện phường Minh Xuân", "Trường THCS Minh Xuân", "Trường THPT Tân Trào",
                 "Trường Cao đẳng Kỹ thuật Tuyên Quang", "Công ty Cổ phần Xi măng Tân Quang",
                 "Ngân hàng TMCP Công Thương - Chi nhánh Tuyên Quang"):
        if name in units:
            teams.append((ForceKind.BAO_VE_CO_QUAN, units[name].id, 0))
    return teams + [(ForceKind.DAN_PHONG, None, 8)]


def add_demo_forces(session: Session, ward_id: int, year: int, actor: str, today: date | None = None) -> int:
    """The demo ward's core forces in ``year``: 3-5 members in each Tổ bảo vệ ANTT, protection staff
    of some agencies, schools and enterprises, a đội dân phòng of 8; two trainings most attended;
    equipment for most; a few who left during the year; the Tổ ratings (one "Không hoàn thành").
    Returns how many members it added. Dates after ``today`` are moved back to it."""
    today = today or date.today()
    pick = random.Random(_DEMO_SEED)
    people = _DemoPeople(pick)
    members: list[int] = []
    for kind, unit_id, size in _demo_units(session, ward_id):
        size = size or (pick.randint(3, 5) if kind is ForceKind.TO_BAO_VE else pick.randint(1, 3))
        members += _demo_team(session, ward_id, people, pick, kind, unit_id, size, year, today, actor)
    _demo_leavers(session, ward_id, members, pick, year, today, actor)
    _demo_trainings(session, ward_id, members, pick, year, today, actor)
    _demo_equipment(session, ward_id, members, pick, year, today, actor)
    _demo_ratings(session, ward_id, pick, year, actor)
    return len(members)


def _demo_leavers(session, ward_id, members, pick, year, today, actor) -> None:
    """Two ordinary members leave at the end of June; one joins in May."""
    plain = [m for m in members if role_rank(session.get(ForceMember, m).role) == 2]
    for member_id in pick.sample(plain, 2):
        leave_member(session, ward_id, member_id, _demo_day(year, 6, 30, today), actor)
    newcomer = session.get(ForceMember, pick.choice(plain))
    if newcomer.left_on is None:
        newcomer.joined_on = _demo_day(year, 5, 10, today)
        session.flush()


def _demo_trainings(session, ward_id, members, pick, year, today, actor) -> None:
    for (month, day), topic, hours, place, share in _DEMO_TRAININGS:
        held_on = _demo_day(year, month, day, today)
        present = [row.id for row in training_candidates(session, ward_id, held_on) if pick.random() < share]
        add_training(session, ward_id, TrainingInput(held_on, topic, hours, place, attendee_ids=tuple(present)), actor)


def _demo_equipment(session, ward_id, members, pick, year, today, actor) -> None:
    extra = {ForceKind.TO_BAO_VE: "Gậy cao su", ForceKind.BAO_VE_CO_QUAN: "Đèn pin",
             ForceKind.DAN_PHONG: "Bình chữa cháy"}
    for member_id in members:
        member = session.get(ForceMember, member_id)
        if pick.random() < 0.1:
            continue   # not equipped yet
        issued = max(member.joined_on, _demo_day(year - 1, 4, 10, today))
        back = member.left_on
        add_equipment(session, ward_id, EquipmentInput(member_id, "Trang phục", issued, 1, back), actor)
        if pick.random() < 0.6:
            returned = back or (_demo_day(year, 8, 1, today) if pick.random() < 0.1 else None)
            item = EquipmentInput(member_id, extra[ForceKind(member.force_kind)], issued, 1, returned)
            add_equipment(session, ward_id, item, actor)


def _demo_ratings(session, ward_id, pick, year, actor) -> None:
    groups = [row.unit_id for row in forces.force_ratings(session, ward_id, year)]
    pick.shuffle(groups)
    levels = [level for level, count in _DEMO_RATINGS for _ in range(count)]
    for unit_id, level in zip(groups, levels):
        forces.set_force_rating(session, ward_id, year, unit_id, level, "", actor)
