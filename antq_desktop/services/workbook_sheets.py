"""What each sheet of the year-end workbook holds, and how its rows go back through the services.

An :class:`Area` is one sheet: its columns (:class:`Column`: the identifying ones locked, the
ones read back, the ones shown to read by), its rows as the data holds them (:meth:`Area.current`),
how a row typed by the officer becomes what the services store (:meth:`Area.clean`, which calls
the services' own cleaning and checking helpers, so a value compares equal to what saving it
would store), the rules across rows (:meth:`Area.check`), and how the changed rows are written
(:meth:`Area.apply`, through the services: their checks, derived columns and audit entries).

services/workbook.py reads and writes the file; this module knows the data.
"""

from __future__ import annotations

import json
from abc import ABC, abstractmethod
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import (
    AnttPointResult,
    AnttRecord,
    ForceMember,
    ForceRating,
    Incident,
    Inspection,
    InspectionRecommendation,
    Unit,
    Ward,
)
from antq_desktop.domain import antt as antt_rules
from antq_desktop.domain import classification as score_rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt_stage import Stage, stage_label
from antq_desktop.domain.criteria import WARD, Catalogue
from antq_desktop.domain.events import COUNT_MAX, ActivityKind
from antq_desktop.domain.forces import ForceKind, ForceLevel, Gender, unmet_reason
from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.domain.units import SchoolLevel, UnitKind, UnitStatus
from antq_desktop.errors import UserError
from antq_desktop.services import (
    antt,
    antt_assessment,
    classification,
    core_forces,
    events,
    forces,
    inspections,
    settings,
    units,
)
from antq_desktop.services.excel import YES_NO, Cell, Choices

# ---- columns ------------------------------------------------------------------------------------

TEXT, PARAGRAPHS, WHOLE, DECIMAL, DATE, CHOICE, YES_OR_NO, TIME = (
    "text", "paragraphs", "whole", "decimal", "date", "choice", "yes_no", "time")


class Role(StrEnum):
    KEY = "key"            # identifies the row: locked, never changed by an import
    INFO = "info"          # there to read by (a name, a criterion's text): locked, not read back
    EDIT = "edit"          # typed by the officer
    NEW_ONLY = "new_only"  # typed on a new row only (a new unit's kind): locked on the rows exported


@dataclass(frozen=True)
class Column:
    field: str
    header: str
    width: int = 16
    type: str = TEXT
    role: Role = Role.EDIT
    choices: str = ""              # the list a CHOICE column picks from (Context.choices)
    minimum: int | None = None     # a WHOLE column's range
    maximum: int | None = None
    bound: str = ""                # a DECIMAL column's limit: the field holding the item's points
    plain: bool = False            # a WHOLE column that names (a year, a code): no thousands dot in messages

    @property
    def read_back(self) -> bool:
        return self.role is not Role.INFO


@dataclass
class Current:
    """A row as the data holds it: its key, its values (choice codes, dates, Decimals…), how
    the preview names it, its version, and why it cannot be changed here ("" when it can).

    ``version`` is the record's (Tracked.version; 0 for a Tổ rating not made yet, as
    forces.py expects it); None for a row without one of its own (a criterion point, a score
    item, a registration not made yet): the row's values are then what tells a change."""

    key: tuple
    values: dict
    label: str
    version: int | None = None
    closed: str = ""
    exists: bool = True  # False: a row offered to fill (a unit not registered yet): filling it adds a record


@dataclass(frozen=True)
class FieldChange:
    header: str
    old: str
    new: str


@dataclass(frozen=True)
class RowOp:
    """A row to write: ``key`` None for a row typed below the data; ``added`` when it makes a new
    record (such a row, or a unit registered on its offered row); ``values`` as the services will
    store them, ``fields`` those that changed."""

    row: int
    key: tuple | None
    label: str
    values: dict
    changes: tuple[FieldChange, ...]
    fields: frozenset[str]
    version: int | None = None
    added: bool = False
    sheet: str = ""  # the sheet's title, for a refusal while writing


# Runs one write of a row: ``run(op, action)``; a refusal becomes a fault naming the row.
Runner = Callable[[RowOp, Callable[[], object]], object]


# ---- what the areas share -------------------------------------------------------------------------

UNIT_KINDS, SCHOOL_LEVELS, MET, INSPECTION_KINDS = "unit_kinds", "school_levels", "met", "inspection_kinds"
FORCE_KINDS, GENDERS, FORCE_LEVELS, ACTIVITY_KINDS = "force_kinds", "genders", "force_levels", "activity_kinds"
UNITS, ORGANISERS, YES_NO_LIST = "units", "organisers", "yes_no"
THE_WARD = 0  # the "unit" code of the ward itself (its own score sheet, its own activities)
_DECIDED = (Stage.RECOGNIZED.value, Stage.NOT_RECOGNIZED.value)


@dataclass
class Context:
    """One reading, writing or applying of a workbook: the ward, the year, and what the areas
    loaded (once: a row never costs a query of its own)."""

    session: Session
    ward_id: int
    year: int
    today: date = field(default_factory=date.today)
    loaded: dict = field(default_factory=dict)

    def once(self, name: str, load: Callable[[], object]):
        if name not in self.loaded:
            self.loaded[name] = load()
        return self.loaded[name]

    @property
    def ward(self) -> Ward:
        return self.session.get(Ward, self.ward_id)

    @property
    def units(self) -> dict[int, Unit]:
        """Every unit of the ward, read at once (the session then answers ``get`` without a query)."""
        return self.once("units", lambda: {unit.id: unit for unit in self.session.scalars(
            select(Unit).where(Unit.ward_id == self.ward_id))})

    @property
    def ward_name(self) -> str:
        return self.once("ward_name", lambda: events.ward_name(self.session, self.ward_id))

    @property
    def choices(self) -> dict[str, Choices]:
        return self.once("choices", self._choices)

    def _choices(self) -> dict[str, Choices]:
        labels = unit_labels(self.units.values())
        return {
            UNIT_KINDS: Choices((kind.value, kind.label) for kind in UnitKind),
            SCHOOL_LEVELS: Choices((level.value, level.label) for level in SchoolLevel),
            MET: Choices([(True, "Đạt"), (False, "Không đạt")],
                         aliases=[("x", True), ("có", True), ("chưa đạt", False), ("không", False)]),
            INSPECTION_KINDS: Choices((kind.value, kind.label) for kind in InspectionKind),
            FORCE_KINDS: Choices((kind.value, kind.label) for kind in ForceKind),
            GENDERS: Choices((gender.value, gender.label) for gender in Gender),
            FORCE_LEVELS: Choices((level.value, level.label) for level in ForceLevel),
            ACTIVITY_KINDS: Choices((kind.value, kind.label) for kind in ActivityKind),
            UNITS: Choices(labels.items()),
            ORGANISERS: Choices([(THE_WARD, self.ward_name), *labels.items()]),
            YES_NO_LIST: YES_NO,
        }

    def dropdown(self, name: str) -> list[str]:
        """The labels a dropdown offers: the whole list, but only the active units (a new record
        joins an active unit; a record of a dissolved one still reads back by its label)."""
        choices = self.choices[name]
        if name in (UNITS, ORGANISERS):
            return [label for code, label in choices.labels.items()
                    if code == THE_WARD or self.units[code].status == UnitStatus.ACTIVE.value]
        return list(choices.labels.values())


def unit_labels(all_units) -> dict[int, str]:
    """Each unit's name as the sheets show it, told apart where two share a name: "Tên (Loại)",
    then "Tên (Loại, mã 12)"."""
    ordered = sorted(all_units, key=lambda unit: (UnitKind(unit.kind).rank, unit.name_sort, unit.id))
    names = Counter(vntext.search_key(unit.name) for unit in ordered)
    labels = {unit.id: unit.name if names[vntext.search_key(unit.name)] == 1
              else f"{unit.name} ({UnitKind(unit.kind).label})" for unit in ordered}
    taken = Counter(vntext.search_key(label) for label in labels.values())
    for unit in ordered:
        if taken[vntext.search_key(labels[unit.id])] > 1:
            labels[unit.id] = f"{unit.name} ({UnitKind(unit.kind).label}, mã {unit.id})"
    return labels


class Area(ABC):
    """One sheet of the workbook: each area reads its records, cleans a row and writes its rows."""

    title: str = ""
    columns: tuple[Column, ...] = ()
    can_add = False    # new rows may be typed below the data
    freeze = 1         # columns kept in view when scrolling right
    note = ""          # what the "Thông tin" sheet says of it

    @abstractmethod
    def current(self, ctx: Context) -> list[Current]:
        """The records the sheet shows, as exported."""

    @abstractmethod
    def clean(self, ctx: Context, values: dict, current: Current | None, cell: Callable[[str], Cell]) -> dict:
        """The row's read-back values as the services would store them; a UserError if they refuse."""

    def check(self, ctx: Context, rows: list[tuple[RowOp, Callable[[str], Cell]]], faults) -> None:
        """Rules across the rows (two rows naming the same unit…): faults noted in ``faults``."""

    @abstractmethod
    def apply(self, ctx: Context, ops: dict[str, list[RowOp]], actor: str, run: Runner) -> None:
        """Write the added and changed rows through the services."""

    def natural_key(self, ctx: Context, values: dict) -> tuple | None:
        """What tells a record apart without its code (a unit's kind and folded name): a row typed
        below the data that names an existing record this way is that record, so the file imported
        a second time adds nothing again. None: the row cannot be matched."""
        return None

    def new_label(self, ctx: Context, values: dict) -> str:
        """How the preview names a new row: by its first text (a name, a title)."""
        texts = [values.get(column.field) for column in self.columns
                 if column.role is Role.EDIT and column.type == TEXT]
        return next((text for text in texts if text), "dòng mới")


def _edit_fields(area: Area, new: bool = False) -> list[str]:
    return [column.field for column in area.columns
            if column.role is Role.EDIT or (new and column.role is Role.NEW_ONLY)]


# ---- Đơn vị --------------------------------------------------------------------------------------

_UNIT_TEXTS = ("name", "category", "address", "head_name", "head_title", "head_phone", "protection_force",
               "managing_authority", "notes")
_UNIT_COUNTS = ("households", "staff_count", "learner_count", "protection_force_size", "subordinate_units")
_UNIT_FLAGS = ("is_armed_forces", "is_small_or_micro", "has_party_org")


class UnitsArea(Area):
    title = "Đơn vị"
    can_add = True
    freeze = 3
    note = ("Sổ đơn vị của xã, phường. Sửa thông tin trong các ô trắng; thêm đơn vị mới ở các dòng trống cuối "
            "trang (để trống cột Mã). Loại đơn vị của đơn vị đã có không đổi ở đây; sáp nhập, giải thể làm trong "
            "chương trình.")
    columns = (
        Column("id", "Mã (không sửa)", 9, WHOLE, Role.KEY, plain=True),
        Column("kind", "Loại đơn vị", 15, CHOICE, Role.NEW_ONLY, choices=UNIT_KINDS),
        Column("name", "Tên đơn vị", 38),
        Column("category", "Phân loại (tổ dân phố, thôn…)", 16),
        Column("address", "Địa chỉ", 36),
        Column("head_name", "Người đứng đầu", 22),
        Column("head_title", "Chức vụ người đứng đầu", 22),
        Column("head_phone", "Điện thoại", 14),
        Column("households", "Số hộ gia đình", 10, WHOLE, minimum=0),
        Column("staff_count", "Số cán bộ, nhân viên", 11, WHOLE, minimum=0),
        Column("learner_count", "Số người học", 10, WHOLE, minimum=0),
        Column("school_level", "Cấp học (cơ sở giáo dục)", 18, CHOICE, choices=SCHOOL_LEVELS),
        Column("is_armed_forces", "Thuộc lực lượng vũ trang", 11, YES_OR_NO),
        Column("is_small_or_micro", "Doanh nghiệp nhỏ, siêu nhỏ", 11, YES_OR_NO),
        Column("has_party_org", "Có tổ chức Đảng", 10, YES_OR_NO),
        Column("protection_force", "Lực lượng bảo vệ", 24),
        Column("protection_force_size", "Số người lực lượng bảo vệ", 11, WHOLE, minimum=0),
        Column("subordinate_units", "Số đơn vị trực thuộc", 11, WHOLE, minimum=0),
        Column("managing_authority", "Cơ quan quản lý", 24),
        Column("notes", "Ghi chú", 28, PARAGRAPHS),
        Column("status", "Tình trạng", 14, TEXT, Role.INFO),
    )

    def current(self, ctx: Context) -> list[Current]:
        ordered = sorted(ctx.units.values(), key=lambda unit: (UnitKind(unit.kind).rank, unit.name_sort, unit.id))
        return [Current((unit.id,), {**_unit_values(unit), "id": unit.id,
                                     "status": UnitStatus(unit.status).label}, unit.name, unit.version)
                for unit in ordered]

    def natural_key(self, ctx, values):
        if values.get("status", UnitStatus.ACTIVE.label) != UnitStatus.ACTIVE.label or not values["name"]:
            return None  # a merged or dissolved unit's name is free
        return values["kind"], vntext.search_key(values["name"])

    def clean(self, ctx, values, current, cell):
        if values["kind"] is None:
            raise cell("kind").error("hãy chọn loại đơn vị (khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục).")
        return _unit_values(units.prepare(_unit_input(values)))

    def check(self, ctx, rows, faults) -> None:
        """Two active units of a kind may not share a name (folded): the rule of units.py, over the
        register as the file leaves it."""
        final: dict[object, tuple[tuple, str, RowOp | None, Callable | None]] = {}
        for unit in ctx.units.values():
            if unit.status == UnitStatus.ACTIVE.value:
                final[unit.id] = ((unit.kind, vntext.search_key(unit.name)), unit.name, None, None)
        for op, cell in rows:
            key = op.key[0] if op.key else ("new", op.row)
            if op.key and key not in final:
                continue  # a merged or dissolved unit: its name is free
            final[key] = ((op.values["kind"], vntext.search_key(op.values["name"])), op.values["name"], op, cell)
        slots = defaultdict(list)
        for slot, name, op, cell in final.values():
            slots[slot].append((name, op, cell))
        for (kind, _key), entries in slots.items():
            for name, op, cell in entries:
                others = [(other, other_op) for other, other_op, _cell in entries if other_op is not op]
                if op is None or not others:
                    continue
                other, other_op = others[0]
                where = f"ở dòng {other_op.row}" if other_op else "trong danh sách"
                faults.add(cell("name").error(f'trùng tên với {UnitKind(kind).label.lower()} "{other}" đã có {where}.'))

    def apply(self, ctx, ops, actor, run) -> None:
        mine = ops.get(self.title, [])
        for op in mine:
            if op.key is not None:
                run(op, lambda op=op: units.update_unit(ctx.session, op.key[0], _unit_input(op.values), actor,
                                                        op.version))
        new = [op for op in mine if op.key is None]
        if new:  # one statement for them all (audited by insert_units)
            run(new[0], lambda: units.insert_units(ctx.session, ctx.ward_id, [_unit_input(op.values) for op in new],
                                                   actor))


def _unit_values(source) -> dict:
    """A unit's read-back fields, from a Unit row or a (prepared) UnitInput."""
    values = {name: getattr(source, name) for name in ("kind", "school_level", *_UNIT_TEXTS, *_UNIT_COUNTS,
                                                        *_UNIT_FLAGS)}
    values["kind"] = UnitKind(values["kind"]).value
    values["school_level"] = SchoolLevel(values["school_level"]).value if values["school_level"] else None
    return values


def _unit_input(values: dict) -> units.UnitInput:
    return units.UnitInput(
        kind=UnitKind(values["kind"]),
        school_level=SchoolLevel(values["school_level"]) if values["school_level"] else None,
        **{name: values[name] or "" for name in _UNIT_TEXTS},
        **{name: values[name] for name in _UNIT_COUNTS},
        **{name: bool(values[name]) for name in _UNIT_FLAGS},
    )


# ---- Đăng ký ANTT and Kết quả tiêu chí -----------------------------------------------------------

_REGISTRATION = ("registered_on", "resolution_ref", "plan_ref", "registration_ref", "households_registered",
                 "households_total", "note")
_MEETING = ("meeting_on", "meeting_place", "meeting_chair", "meeting_attendees")
_CLOSED = "kết quả năm này đã có quyết định; muốn sửa, hãy ban hành quyết định đính chính trong chương trình."


def _records(ctx: Context) -> dict[int, AnttRecord]:
    """The year's "An toàn về ANTT" records of the ward, by unit."""
    return ctx.once("antt_records", lambda: {record.unit_id: record for record in ctx.session.scalars(
        select(AnttRecord).where(AnttRecord.ward_id == ctx.ward_id, AnttRecord.year == ctx.year))})


class RegistrationsArea(Area):
    title = "Đăng ký ANTT"
    freeze = 2
    note = ('Đăng ký phấn đấu đạt tiêu chuẩn "An toàn về an ninh, trật tự" và cuộc họp đánh giá của mỗi đơn vị '
            "thuộc diện xét. Ghi ngày đăng ký để đăng ký cho đơn vị chưa đăng ký.")
    columns = (
        Column("unit_id", "Mã đơn vị (không sửa)", 10, WHOLE, Role.KEY, plain=True),
        Column("name", "Tên đơn vị", 36, TEXT, Role.INFO),
        Column("kind", "Loại đơn vị", 14, TEXT, Role.INFO),
        Column("registered_on", "Ngày đăng ký", 12, DATE),
        Column("resolution_ref", "Nghị quyết của chi bộ, cấp ủy", 26),
        Column("plan_ref", "Kế hoạch", 22),
        Column("registration_ref", "Bản đăng ký", 22),
        Column("households_registered", "Số hộ đã đăng ký", 10, WHOLE, minimum=0),
        Column("households_total", "Tổng số hộ đang cư trú", 10, WHOLE, minimum=0),
        Column("note", "Ghi chú", 24, PARAGRAPHS),
        Column("meeting_on", "Ngày họp đánh giá", 12, DATE),
        Column("meeting_place", "Địa điểm họp", 22),
        Column("meeting_chair", "Chủ trì cuộc họp", 20),
        Column("meeting_attendees", "Thành phần dự họp", 30, PARAGRAPHS),
        Column("stage", "Tình trạng", 18, TEXT, Role.INFO),
        Column("result", "Kết quả họp", 11, TEXT, Role.INFO),
    )

    def current(self, ctx: Context) -> list[Current]:
        records = _records(ctx)
        rows = []
        for row in antt.year_overview(ctx.session, ctx.ward_id, ctx.year):
            if not row.eligible and row.record_id is None:
                continue
            record = records.get(row.unit_id)
            values = {"unit_id": row.unit_id, "name": row.name, "kind": row.kind.label,
                      "stage": stage_label(row.stage), "result": _passed_text(row.passed),
                      **{name: getattr(record, name) if record else None for name in (*_REGISTRATION, *_MEETING)}}
            for name in ("resolution_ref", "plan_ref", "registration_ref", "note", "meeting_place", "meeting_chair",
                         "meeting_attendees"):
                values[name] = values[name] or ""
            rows.append(Current((row.unit_id,), values, row.name, record.version if record else None,
                                _CLOSED if record and record.stage in _DECIDED else "", exists=record is not None))
        return rows

    def clean(self, ctx, values, current, cell):
        unit = ctx.units[current.key[0]]
        record = _records(ctx).get(unit.id)
        if values["registered_on"] is None:
            if record is not None:
                raise cell("registered_on").error(
                    "không xoá được ngày đăng ký ở đây. Muốn huỷ đăng ký (nhập nhầm), hãy huỷ trong chương trình.")
            filled = [column for column in self.columns if column.role is Role.EDIT and values[column.field]]
            if filled:
                raise cell(filled[0].field).error(f"đơn vị chưa đăng ký năm {ctx.year}: hãy ghi ngày đăng ký trước.")
            return {name: current.values[name] for name in _edit_fields(self)}
        if record is None:
            antt._unit_for_registration(ctx.session, ctx.ward_id, unit.id)  # eligible and active
        data = antt.RegistrationInput(**{name: values[name] for name in _REGISTRATION})
        cleaned = antt._clean_registration(data, unit, ctx.year)
        meeting_on = values["meeting_on"]
        if meeting_on is not None and not ctx.year - 1 <= meeting_on.year <= ctx.year:  # antt_assessment's rule
            raise cell("meeting_on").error(f"ngày họp {vntext.format_date(meeting_on)} không thuộc năm đánh giá "
                                           f"{ctx.year}.")
        return {**cleaned, "meeting_on": meeting_on, "meeting_place": vntext.clean(values["meeting_place"]),
                "meeting_chair": vntext.clean(values["meeting_chair"]),
                "meeting_attendees": vntext.clean_paragraphs(values["meeting_attendees"])}

    def apply(self, ctx, ops, actor, run) -> None:
        """Registrations first, then one save_assessment per record whose meeting or points
        changed (the stage and the result are derived there, from every answer on file)."""
        meetings: dict[int, tuple[RowOp, antt_assessment.MeetingInput]] = {}
        for op in ops.get(self.title, []):
            record_id = run(op, lambda op=op: self._register(ctx, op, actor))
            if record_id is not None and op.fields & set(_MEETING):
                meetings[record_id] = (op, antt_assessment.MeetingInput(
                    op.values["meeting_on"], op.values["meeting_place"], op.values["meeting_chair"],
                    op.values["meeting_attendees"]))
        answers: dict[int, list[RowOp]] = defaultdict(list)
        for op in ops.get(PointsArea.title, []):
            answers[op.key[0]].append(op)
        for record_id in [*meetings, *(record_id for record_id in answers if record_id not in meetings)]:
            points = answers.get(record_id, [])
            op, meeting = meetings.get(record_id) or (points[0], None)
            run(op, lambda record_id=record_id, meeting=meeting, points=points: antt_assessment.save_assessment(
                ctx.session, record_id, meeting or _meeting_of(ctx.session.get(AnttRecord, record_id)),
                [antt_assessment.PointAnswer(point.key[1], point.values["met"], point.values["evidence"],
                                             point.values["note"], point.values["override_reason"])
                 for point in points], actor))

    def _register(self, ctx: Context, op: RowOp, actor: str) -> int:
        unit_id = op.key[0]
        record = _records(ctx).get(unit_id)
        data = antt.RegistrationInput(**{name: op.values[name] for name in _REGISTRATION})
        if record is None:
            return antt.register_unit(ctx.session, ctx.ward_id, unit_id, ctx.year, data, actor)
        if op.fields & set(_REGISTRATION):
            antt.update_registration(ctx.session, record.id, data, actor, op.version)
        return record.id


def _meeting_of(record: AnttRecord) -> antt_assessment.MeetingInput:
    return antt_assessment.MeetingInput(record.meeting_on, record.meeting_place, record.meeting_chair,
                                        record.meeting_attendees)


def _passed_text(passed: bool | None) -> str:
    return "" if passed is None else ("Đạt" if passed else "Không đạt")


class PointsArea(Area):
    title = "Kết quả tiêu chí"
    freeze = 3
    note = ("Kết quả họp đánh giá từng nội dung tiêu chí của mỗi đơn vị đã đăng ký: chọn Đạt hoặc Không đạt. "
            'Nội dung mà sổ theo dõi đề xuất "không đạt" mà vẫn đánh giá đạt thì phải ghi lý do.')
    columns = (
        Column("record_id", "Mã bản đăng ký (không sửa)", 10, WHOLE, Role.KEY, plain=True),
        Column("code", "Mã tiêu chí (không sửa)", 9, TEXT, Role.KEY),
        Column("unit", "Đơn vị", 30, TEXT, Role.INFO),
        Column("text", "Nội dung tiêu chí", 60, TEXT, Role.INFO),
        Column("met", "Kết quả", 11, CHOICE, choices=MET),
        Column("evidence", "Minh chứng", 28, PARAGRAPHS),
        Column("note", "Ghi chú", 22, PARAGRAPHS),
        Column("override_reason", "Lý do vẫn đánh giá đạt", 28, PARAGRAPHS),
        Column("proposed", "Sổ theo dõi đề xuất không đạt vì", 36, TEXT, Role.INFO),
    )

    def current(self, ctx: Context) -> list[Current]:
        records = sorted(_records(ctx).values(), key=lambda record: _unit_order(ctx.units[record.unit_id]))
        stored = {(row.record_id, row.point_code): row for row in ctx.session.scalars(
            select(AnttPointResult).where(AnttPointResult.record_id.in_([record.id for record in records])))}
        proposals = _proposals(ctx, records)
        rows = []
        for record in records:
            unit = ctx.units[record.unit_id]
            closed = _CLOSED if record.stage in _DECIDED else ""
            for criterion in _catalogue(ctx, record).criteria(unit.kind):
                for point in criterion.points:
                    result = stored.get((record.id, point.code))
                    values = {"record_id": record.id, "code": point.code, "unit": unit.name,
                              "text": f"{criterion.number}. {point.text}" if criterion.number else point.text,
                              "met": result.met if result else None,
                              "evidence": result.evidence if result else "", "note": result.note if result else "",
                              "override_reason": result.override_reason if result else "",
                              "proposed": "; ".join(proposals[record.id].get(point.code, []))}
                    rows.append(Current((record.id, point.code), values, f"{unit.name}, tiêu chí {point.code}",
                                        None, closed))
        return rows

    def clean(self, ctx, values, current, cell):
        cleaned = {"met": values["met"], "evidence": vntext.clean_paragraphs(values["evidence"]),
                   "note": vntext.clean_paragraphs(values["note"]),
                   "override_reason": vntext.clean_paragraphs(values["override_reason"])}
        proposed = current.values["proposed"]
        if cleaned["met"] and proposed and not cleaned["override_reason"]:  # antt_assessment's rule
            raise cell("override_reason").error(
                f"sổ theo dõi đề xuất tiêu chí {current.key[1]} không đạt ({proposed}). Nếu vẫn đánh giá là đạt, "
                "hãy ghi rõ lý do.")
        return cleaned

    def apply(self, ctx, ops, actor, run) -> None:
        """Written with the registrations' meetings (RegistrationsArea.apply): one save per record."""


def _unit_order(unit: Unit) -> tuple:
    return UnitKind(unit.kind).rank, unit.name_sort, unit.id


def _catalogue(ctx: Context, record: AnttRecord) -> Catalogue:
    """antt_assessment.record_catalogue, shared by the records that have the same one."""
    kind = ctx.units[record.unit_id].kind
    if record.stage == Stage.REGISTERED.value:
        extras = ctx.once("antt_extras", lambda: settings.get_setting(ctx.session, ctx.ward_id,
                                                                       "antt.extra_criteria"))
        extras_key = json.dumps(extras.get(kind, []), ensure_ascii=False, sort_keys=True)
    else:
        extras_key = record.extra_criteria
    cache = ctx.once("antt_catalogues", dict)
    key = (record.catalogue_code, kind, extras_key)
    if key not in cache:
        cache[key] = antt_assessment.record_catalogue(ctx.session, record)
    return cache[key]


def _proposals(ctx: Context, records: list[AnttRecord]) -> dict[int, dict[str, list[str]]]:
    """What the registers propose "not met" for each record's points: antt_assessment._proposals
    for all the records at once (two queries instead of two per record)."""
    if not records:
        return {}
    periods = {record.id: antt_rules.evaluation_period(ctx.units[record.unit_id].kind, ctx.year) for record in records}
    start, end = min(period[0] for period in periods.values()), max(period[1] for period in periods.values())
    by_unit: dict[int, list] = defaultdict(list)
    for incident in ctx.session.scalars(select(Incident).where(
            Incident.ward_id == ctx.ward_id, Incident.occurred_on >= start, Incident.occurred_on <= end)
            .order_by(Incident.occurred_on, Incident.id)):
        by_unit[incident.unit_id].append(incident)
    ratings = dict(ctx.session.execute(select(ForceRating.unit_id, ForceRating.level).where(
        ForceRating.ward_id == ctx.ward_id, ForceRating.year == ctx.year)).all())
    found = {}
    for record in records:
        kind, (first, last) = ctx.units[record.unit_id].kind, periods[record.id]
        catalogue = _catalogue(ctx, record)
        incidents = [antt.as_rule_incident(antt._incident_row(incident)) for incident in by_unit[record.unit_id]
                     if first <= incident.occurred_on <= last]
        reasons = antt_rules.proposed_failures(catalogue, kind, ctx.year, incidents)
        code, level = catalogue.force_rating_points.get(kind), ratings.get(record.unit_id)
        reason = unmet_reason(ForceLevel(level), ctx.year) if code and level else None
        if reason:
            reasons.setdefault(code, []).append(reason)
        found[record.id] = reasons
    return found


# ---- Điểm phân loại ----------------------------------------------------------------------------------

class ScoresArea(Area):
    title = "Điểm phân loại"
    freeze = 3
    note = ("Điểm phân loại phong trào của từng đơn vị và của xã, phường (mã đơn vị 0), theo bảng điểm của năm: "
            "điểm tự chấm và điểm xã chấm của từng mục. Mục điểm trừ ghi số âm (điểm chuẩn ghi âm là mức trừ tối đa).")
    columns = (
        Column("unit_id", "Mã đơn vị (không sửa)", 10, WHOLE, Role.KEY, plain=True),
        Column("code", "Mã mục (không sửa)", 9, TEXT, Role.KEY),
        Column("unit", "Đơn vị", 30, TEXT, Role.INFO),
        Column("sheet", "Bảng điểm", 15, TEXT, Role.INFO),
        Column("title", "Nội dung chấm điểm", 56, TEXT, Role.INFO),
        Column("max", "Điểm chuẩn", 9, DECIMAL, Role.INFO),
        Column("self", classification.COLUMN_LABELS[classification.SELF], 10, DECIMAL, bound="max"),
        Column("ward", classification.COLUMN_LABELS[classification.WARD_SCORE], 10, DECIMAL, bound="max"),
    )

    def current(self, ctx: Context) -> list[Current]:
        rows = []
        sheets = ctx.once("score_sheets", dict)  # unit code -> (kind, the year's sheet of its kind)
        for kind in (*(kind.value for kind in UnitKind), WARD):
            grid = classification.year_grid(ctx.session, ctx.ward_id, ctx.year, kind)
            for row in grid.rows:
                unit_code = THE_WARD if row.unit_id is None else row.unit_id
                name = ctx.ward_name if row.unit_id is None else row.name
                sheets[unit_code] = (kind, grid.sheet)
                for item in grid.columns:
                    values = {"unit_id": unit_code, "code": item.code, "unit": name,
                              "sheet": classification.kind_label(kind), "title": item.title,
                              "max": -item.max_points if item.deduction else item.max_points,
                              "self": row.self_scores.get(item.code), "ward": row.ward_scores.get(item.code)}
                    rows.append(Current((unit_code, item.code), values, f"{name}, mục {item.code}"))
        return rows

    def clean(self, ctx, values, current, cell):
        _kind, sheet = ctx.once("score_sheets", dict)[current.key[0]]
        cleaned = {}
        for name in ("self", "ward"):
            score = values[name]
            if score is not None:
                try:
                    score = score_rules.check_score(sheet, current.key[1], score)
                except UserError as error:
                    raise cell(name).error(error.message) from None
            cleaned[name] = score
        return cleaned

    def apply(self, ctx, ops, actor, run) -> None:
        """One save_cells per score sheet kind (bulk statements, audited there)."""
        sheets = ctx.once("score_sheets", dict)
        if not sheets and ops.get(self.title):
            self.current(ctx)  # the kinds of the units, as reading found them
        by_kind: dict[str, list[RowOp]] = defaultdict(list)
        for op in ops.get(self.title, []):
            by_kind[sheets[op.key[0]][0]].append(op)
        for kind, kind_ops in by_kind.items():
            edits = [classification.CellEdit(None if op.key[0] == THE_WARD else op.key[0], op.key[1], column,
                                              op.values[name])
                     for op in kind_ops
                     for name, column in (("self", classification.SELF), ("ward", classification.WARD_SCORE))
                     if name in op.fields]
            run(kind_ops[0], lambda kind=kind, edits=edits: classification.save_cells(
                ctx.session, ctx.ward_id, ctx.year, kind, edits, actor))


# ---- Kiểm tra -----------------------------------------------------------------------------------------

_INSPECTION_FIELDS = ("kind", "planned_on", "planned_by", "visited_on", "started_at", "ended_at", "place", "basis",
                      "team", "unit_attendees", "content", "findings", "conclusion", "unit_opinion", "minutes_number")


class InspectionsArea(Area):
    title = "Kiểm tra"
    can_add = True
    freeze = 2
    note = ("Các cuộc kiểm tra, hướng dẫn của năm: kế hoạch (chưa có ngày kiểm tra) và kết quả. Thêm cuộc mới ở các "
            "dòng trống cuối trang: chọn đơn vị trong danh sách. Kiến nghị sau kiểm tra sửa trong chương trình.")
    columns = (
        Column("id", "Mã (không sửa)", 9, WHOLE, Role.KEY, plain=True),
        Column("unit", "Đơn vị", 32, CHOICE, Role.NEW_ONLY, choices=UNITS),
        Column("kind", "Hình thức", 11, CHOICE, choices=INSPECTION_KINDS),
        Column("planned_on", "Ngày dự kiến", 12, DATE),
        Column("planned_by", "Người, đoàn thực hiện", 24),
        Column("visited_on", "Ngày kiểm tra", 12, DATE),
        Column("started_at", "Giờ bắt đầu", 9, TIME),
        Column("ended_at", "Giờ kết thúc", 9, TIME),
        Column("place", "Địa điểm", 24),
        Column("basis", "Căn cứ", 28, PARAGRAPHS),
        Column("team", "Thành phần đoàn", 30, PARAGRAPHS),
        Column("unit_attendees", "Đại diện đơn vị", 26, PARAGRAPHS),
        Column("content", "Nội dung", 30, PARAGRAPHS),
        Column("findings", "Kết quả kiểm tra", 34, PARAGRAPHS),
        Column("conclusion", "Kết luận", 30, PARAGRAPHS),
        Column("unit_opinion", "Ý kiến của đơn vị", 26, PARAGRAPHS),
        Column("minutes_number", "Số biên bản", 9),
        Column("recommendations", "Kiến nghị (sửa trong chương trình)", 16, TEXT, Role.INFO),
    )

    def _recommendations(self, ctx: Context) -> dict[int, list[InspectionRecommendation]]:
        def load():
            found = defaultdict(list)
            for item in ctx.session.scalars(
                    select(InspectionRecommendation).join(Inspection)
                    .where(Inspection.ward_id == ctx.ward_id, Inspection.year == ctx.year)
                    .order_by(InspectionRecommendation.position, InspectionRecommendation.id)):
                found[item.inspection_id].append(item)
            return found
        return ctx.once("recommendations", load)

    def current(self, ctx: Context) -> list[Current]:
        found = ctx.session.scalars(select(Inspection).where(Inspection.ward_id == ctx.ward_id,
                                                             Inspection.year == ctx.year))
        ordered = sorted(found, key=lambda visit: (visit.visited_on or visit.planned_on or date.max,
                                                   ctx.units[visit.unit_id].name_sort, visit.id))
        recommendations = self._recommendations(ctx)
        rows = []
        for visit in ordered:
            items = recommendations.get(visit.id, [])
            open_items = sum(item.done_on is None for item in items)
            values = {"id": visit.id, "unit": visit.unit_id, **{name: getattr(visit, name) for name in _INSPECTION_FIELDS},
                      "recommendations": f"{len(items)} ({open_items} chưa xong)" if open_items else
                      (str(len(items)) if items else "")}
            day = visit.visited_on or visit.planned_on
            when = f" ngày {vntext.format_date(day)}" if day else ""
            rows.append(Current((visit.id,), values, f"{ctx.units[visit.unit_id].name}{when}", visit.version))
        return rows

    def clean(self, ctx, values, current, cell):
        unit_id = values["unit"]
        if current is None:
            if unit_id is None:
                raise cell("unit").error("hãy chọn đơn vị được kiểm tra.")
            try:
                inspections._unit(ctx.session, ctx.ward_id, unit_id, new=True)
            except UserError as error:
                raise cell("unit").error(error.message) from None
        typed = {name: values[name] for name in _INSPECTION_FIELDS}
        typed["kind"] = typed["kind"] or InspectionKind.KIEM_TRA.value  # as the dialog starts
        data = inspections.InspectionInput(unit_id=unit_id, **typed)
        cleaned = inspections._clean(data, ctx.year, ctx.today)
        if current is not None:  # the recommendations stay: their dates must still fit the visit
            kept = [inspections.RecommendationInput(item.text, item.deadline, item.done_on, item.follow_up)
                    for item in self._recommendations(ctx).get(current.key[0], [])]
            inspections._clean_recommendations(kept, data.visited_on, ctx.today)
        return {"unit": unit_id, **cleaned}

    def natural_key(self, ctx, values):
        day = values["visited_on"] or values["planned_on"]
        if values["unit"] is None or day is None:
            return None
        return values["unit"], values["kind"] or InspectionKind.KIEM_TRA.value, day

    def new_label(self, ctx, values) -> str:
        return ctx.choices[UNITS].label(values["unit"])

    def apply(self, ctx, ops, actor, run) -> None:
        for op in ops.get(self.title, []):
            run(op, lambda op=op: self._write(ctx, op, actor))

    def _write(self, ctx: Context, op: RowOp, actor: str) -> None:
        typed = {name: op.values[name] for name in _INSPECTION_FIELDS}
        if op.key is None:
            data = inspections.InspectionInput(unit_id=op.values["unit"], **typed)
            inspections.add_inspection(ctx.session, ctx.ward_id, ctx.year, data, actor, ctx.today)
            return
        view = inspections.get_inspection(ctx.session, op.key[0])  # with its recommendations, kept as they are
        kept = {item.name: getattr(view, item.name) for item in fields(inspections.InspectionInput)}
        data = inspections.InspectionInput(**{**kept, **typed})
        inspections.update_inspection(ctx.session, op.key[0], data, actor, op.version, ctx.today)


# ---- Lực lượng and Đánh giá Tổ bảo vệ ANTT -----------------------------------------------------------

_MEMBER_FIELDS = ("full_name", "birth_year", "role", "phone", "joined_on", "left_on", "note")


class MembersArea(Area):
    title = "Lực lượng"
    can_add = True
    freeze = 4
    note = ("Thành viên lực lượng nòng cốt của năm (Tổ bảo vệ ANTT, bảo vệ cơ quan, doanh nghiệp, nhà trường, "
            "dân phòng). Người thôi tham gia: ghi ngày thôi tham gia, không xoá dòng. Thêm người mới ở các dòng "
            "trống cuối trang.")
    columns = (
        Column("id", "Mã (không sửa)", 9, WHOLE, Role.KEY, plain=True),
        Column("force_kind", "Lực lượng", 22, CHOICE, choices=FORCE_KINDS),
        Column("unit", "Đơn vị (để trống với dân phòng)", 28, CHOICE, choices=UNITS),
        Column("full_name", "Họ và tên", 24),
        Column("birth_year", "Năm sinh", 8, WHOLE, minimum=1900, maximum=2100, plain=True),
        Column("gender", "Giới tính", 8, CHOICE, choices=GENDERS),
        Column("role", "Chức danh", 16),
        Column("phone", "Điện thoại", 13),
        Column("joined_on", "Ngày tham gia", 12, DATE),
        Column("left_on", "Ngày thôi tham gia", 12, DATE),
        Column("note", "Ghi chú", 24, PARAGRAPHS),
        Column("trainings", "Buổi huấn luyện trong năm", 10, TEXT, Role.INFO),
        Column("equipment", "Trang bị đang giữ", 24, TEXT, Role.INFO),
    )

    def current(self, ctx: Context) -> list[Current]:
        rows = []
        for member in core_forces.list_members(ctx.session, ctx.ward_id, ctx.year, today=ctx.today):
            values = {"id": member.id, "force_kind": member.force_kind.value, "unit": member.unit_id,
                      "gender": member.gender.value if member.gender else None,
                      **{name: getattr(member, name) for name in _MEMBER_FIELDS},
                      "trainings": str(member.trainings) if member.trainings else "",
                      "equipment": ", ".join(member.equipment)}
            rows.append(Current((member.id,), values, f"{member.full_name} ({member.team})", member.version))
        return rows

    def natural_key(self, ctx, values):
        if values["force_kind"] is None or not values["full_name"]:
            return None
        return _member_slot(values["force_kind"], values["unit"], values["full_name"], values["birth_year"])

    def clean(self, ctx, values, current, cell):
        if values["force_kind"] is None:
            raise cell("force_kind").error("hãy chọn lực lượng.")
        data = core_forces._clean_member(_member_input(values))
        core_forces._check_member_text(data)
        core_forces._check_member_dates(data, ctx.today)
        joining = current is None or current.values["unit"] != data.unit_id or \
            current.values["force_kind"] != data.force_kind.value
        try:
            core_forces._check_member_unit(ctx.session, ctx.ward_id, data, joining)
        except UserError as error:
            raise cell("unit").error(error.message) from None
        return _member_values(data)

    def check(self, ctx, rows, faults) -> None:
        """No two serving members of a team with the same name and birth year (core_forces's rule),
        over the members as the file leaves them."""
        final: dict[object, tuple[tuple, str, RowOp | None, Callable | None]] = {}
        for member in ctx.once("members", lambda: list(ctx.session.scalars(
                select(ForceMember).where(ForceMember.ward_id == ctx.ward_id)))):
            final[member.id] = (_member_slot(member.force_kind, member.unit_id, member.full_name, member.birth_year),
                                member.left_on, None, None)
        for op, cell in rows:
            values = op.values
            final[op.key[0] if op.key else ("new", op.row)] = (
                _member_slot(values["force_kind"], values["unit"], values["full_name"], values["birth_year"]),
                values["left_on"], op, cell)
        slots = defaultdict(list)
        for slot, left_on, op, cell in final.values():
            if left_on is None:
                slots[slot].append((op, cell))
        for entries in slots.values():
            for op, cell in entries:
                others = [other for other, _cell in entries if other is not op]
                if op is not None and others:
                    where = f"ở dòng {others[0].row}" if others[0] else "trong danh sách của tổ, đội này"
                    faults.add(cell("full_name").error(
                        f'"{op.values["full_name"]}" đã có {where}. Nếu là người khác trùng tên, hãy ghi thêm năm sinh '
                        "để phân biệt."))

    def apply(self, ctx, ops, actor, run) -> None:
        for op in ops.get(self.title, []):
            if op.key is None:
                run(op, lambda op=op: core_forces.add_member(ctx.session, ctx.ward_id, _member_input(op.values), actor))
            else:
                run(op, lambda op=op: core_forces.update_member(ctx.session, ctx.ward_id, op.key[0],
                                                                _member_input(op.values), actor, op.version))


def _member_slot(kind: str, unit_id: int | None, name: str, birth_year: int | None) -> tuple:
    return kind, unit_id, vntext.search_key(name), birth_year


def _member_input(values: dict) -> core_forces.MemberInput:
    return core_forces.MemberInput(
        force_kind=ForceKind(values["force_kind"]), unit_id=values["unit"],
        gender=Gender(values["gender"]) if values["gender"] else None,
        **{name: values[name] for name in _MEMBER_FIELDS})


def _member_values(data: core_forces.MemberInput) -> dict:
    return {"force_kind": data.force_kind.value, "unit": data.unit_id,
            "gender": data.gender.value if data.gender else None,
            **{name: getattr(data, name) for name in _MEMBER_FIELDS}}


class RatingsArea(Area):
    title = "Đánh giá Tổ bảo vệ ANTT"
    freeze = 2
    note = ("Mức đánh giá năm của Tổ bảo vệ an ninh, trật tự mỗi khu dân cư (dùng cho tiêu chí 5 của khu dân cư). "
            "Để trống mức đánh giá là chưa đánh giá.")
    columns = (
        Column("unit_id", "Mã đơn vị (không sửa)", 10, WHOLE, Role.KEY, plain=True),
        Column("name", "Khu dân cư", 30, TEXT, Role.INFO),
        Column("level", "Mức đánh giá", 28, CHOICE, choices=FORCE_LEVELS),
        Column("note", "Ghi chú", 36, PARAGRAPHS),
    )

    def current(self, ctx: Context) -> list[Current]:
        return [Current((row.unit_id,), {"unit_id": row.unit_id, "name": row.name,
                                         "level": row.level.value if row.level else None, "note": row.note},
                        row.name, row.expected_version, exists=row.level is not None)
                for row in forces.force_ratings(ctx.session, ctx.ward_id, ctx.year)]

    def clean(self, ctx, values, current, cell):
        note = vntext.clean_paragraphs(values["note"])
        if values["level"] is None and note:  # forces.set_force_rating's rule
            raise cell("note").error("chưa chọn mức đánh giá nên không lưu được ghi chú; hãy chọn mức đánh giá trước.")
        if values["level"] is not None and current.values["level"] is None:
            unit = ctx.units[current.key[0]]
            if unit.status != UnitStatus.ACTIVE.value:
                raise cell("level").error(f'"{unit.name}" không còn hoạt động nên không thêm đánh giá mới được.')
        return {"level": values["level"], "note": note}

    def apply(self, ctx, ops, actor, run) -> None:
        for op in ops.get(self.title, []):
            level = ForceLevel(op.values["level"]) if op.values["level"] else None
            run(op, lambda op=op, level=level: forces.set_force_rating(
                ctx.session, ctx.ward_id, ctx.year, op.key[0], level, op.values["note"], actor, op.version))


# ---- Hoạt động tuyên truyền --------------------------------------------------------------------------

class ActivitiesArea(Area):
    title = "Hoạt động tuyên truyền"
    can_add = True
    freeze = 2
    note = ("Các hoạt động tuyên truyền của năm. Đơn vị tổ chức là xã, phường thì chọn tên xã, phường. Thêm hoạt "
            "động mới ở các dòng trống cuối trang.")
    columns = (
        Column("id", "Mã (không sửa)", 9, WHOLE, Role.KEY, plain=True),
        Column("held_on", "Ngày", 12, DATE),
        Column("kind", "Hình thức", 22, CHOICE, choices=ACTIVITY_KINDS),
        Column("title", "Nội dung", 48),
        Column("unit", "Đơn vị tổ chức", 30, CHOICE, choices=ORGANISERS),
        Column("reach", "Số lượt người được tuyên truyền", 12, WHOLE, minimum=0, maximum=COUNT_MAX),
        Column("note", "Ghi chú", 30, PARAGRAPHS),
    )

    def current(self, ctx: Context) -> list[Current]:
        return [Current((row.id,), {"id": row.id, "held_on": row.held_on, "kind": row.kind.value, "title": row.title,
                                    "unit": THE_WARD if row.unit_id is None else row.unit_id, "reach": row.reach,
                                    "note": row.note},
                        f"{row.title} ({vntext.format_date(row.held_on)})", row.version)
                for row in events.list_activities(ctx.session, ctx.ward_id, ctx.year)]

    def natural_key(self, ctx, values):
        if values["held_on"] is None or not values["title"]:
            return None
        return (values["held_on"], values["kind"], vntext.search_key(values["title"]),
                THE_WARD if values["unit"] is None else values["unit"])

    def clean(self, ctx, values, current, cell):
        held_on = values["held_on"]
        if held_on is None:
            raise cell("held_on").error("hãy ghi ngày tổ chức hoạt động.")
        if held_on.year != ctx.year:
            raise cell("held_on").error(f"ngày {vntext.format_date(held_on)} không thuộc năm {ctx.year} của bảng "
                                        "tổng hợp này.")
        data = events.ActivityInput(held_on=held_on, kind=values["kind"], title=values["title"],
                                    unit_id=None if values["unit"] in (None, THE_WARD) else values["unit"],
                                    reach=values["reach"], note=values["note"])
        cleaned = events._clean_activity(ctx.session, ctx.ward_id, data)
        unit_id = cleaned.pop("unit_id")
        return {**cleaned, "unit": THE_WARD if unit_id is None else unit_id}

    def apply(self, ctx, ops, actor, run) -> None:
        for op in ops.get(self.title, []):
            values = op.values
            data = events.ActivityInput(held_on=values["held_on"], kind=ActivityKind(values["kind"]),
                                        title=values["title"], reach=values["reach"], note=values["note"],
                                        unit_id=None if values["unit"] == THE_WARD else values["unit"])
            if op.key is None:
                run(op, lambda data=data: events.add_activity(ctx.session, ctx.ward_id, data, actor))
            else:
                run(op, lambda op=op, data=data: events.update_activity(ctx.session, op.key[0], data, actor,
                                                                        op.version))


# The sheets in the workbook's order; they are written back in this order too, except that the Tổ
# ratings come before the ANTT assessments they feed (criterion 5).
AREAS: tuple[Area, ...] = (UnitsArea(), RegistrationsArea(), PointsArea(), ScoresArea(), InspectionsArea(),
                           MembersArea(), RatingsArea(), ActivitiesArea())
APPLY_ORDER: tuple[Area, ...] = (AREAS[0], AREAS[6], AREAS[1], AREAS[2], AREAS[3], AREAS[4], AREAS[5], AREAS[7])
