"""The unit register: list, search, add, change, merge, dissolve.

Rows leave this module as frozen dataclasses, never as live ORM objects. Text is cleaned to NFC
on the way in, and the folded search text and the Vietnamese sort keys are derived here, the
one place that writes a unit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import case, func, insert, literal, select
from sqlalchemy.orm import Session, aliased

from antq_desktop.db import audit
from antq_desktop.db.models import (
    Activity,
    AnttRecord,
    Award,
    ClassificationRecord,
    DecisionUnit,
    Festival,
    ForceMember,
    ForceRating,
    Incident,
    Inspection,
    SecurityModelUnit,
    SortKey,
    Unit,
)
from antq_desktop.domain import vntext
from antq_desktop.domain.units import (
    EligibilityFacts,
    SchoolLevel,
    UnitKind,
    UnitStatus,
    ineligibility_reason,
)
from antq_desktop.errors import UserError
from antq_desktop.services.tracking import (
    check_version,
    existing_row,
    stamp_created,
    stamp_updated,
)

_PHONE_CHARACTERS = re.compile(r"^\+?[0-9 .\-]+$")
_COUNT_LABELS = {
    "households": "Số hộ gia đình",
    "staff_count": "Số cán bộ, nhân viên",
    "learner_count": "Số người học",
    "protection_force_size": "Số người của lực lượng bảo vệ",
    "subordinate_units": "Số đơn vị trực thuộc",
}
# The texts a user types, with the length their column holds: SQLite would keep a longer text,
# PostgreSQL refuses it, so the limit is told here the same way on both.
_TEXT_LABELS = {
    "name": "Tên đơn vị",
    "category": "Phân loại",
    "address": "Địa chỉ",
    "head_name": "Họ tên người đứng đầu",
    "head_title": "Chức vụ người đứng đầu",
    "head_phone": "Số điện thoại",
    "protection_force": "Lực lượng bảo vệ",
    "managing_authority": "Cơ quan quản lý",
}
_TEXT_LIMITS = {name: Unit.__table__.c[name].type.length for name in _TEXT_LABELS}
# A sort key is longer than its text (about 2.5 times for Vietnamese): stored cut to its column,
# it still orders by everything but the tail of a very long text.
_SORT_KEY_LENGTH = SortKey.length


PAGE_SIZE = 200  # rows fetched at a time for a table: a screenful or three


@dataclass(frozen=True)
class UnitInput:
    """What a user types about a unit (in the dialog, on the command line, in a list)."""

    kind: UnitKind
    name: str
    category: str = ""
    address: str = ""
    head_name: str = ""
    head_title: str = ""
    head_phone: str = ""
    is_armed_forces: bool = False
    is_small_or_micro: bool = False
    school_level: SchoolLevel | None = None
    has_party_org: bool = False
    households: int | None = None
    staff_count: int | None = None
    learner_count: int | None = None
    protection_force: str = ""
    protection_force_size: int | None = None
    subordinate_units: int | None = None
    managing_authority: str = ""
    notes: str = ""

    @property
    def eligibility(self) -> EligibilityFacts:
        return EligibilityFacts(self.kind, self.is_armed_forces, self.is_small_or_micro, self.school_level)


@dataclass(frozen=True)
class UnitDetails(UnitInput):
    id: int = 0
    status: UnitStatus = UnitStatus.ACTIVE
    status_date: date | None = None
    status_reason: str = ""
    merged_into_id: int | None = None
    merged_into_name: str = ""
    created_at: datetime | None = None
    created_by: str = ""
    updated_at: datetime | None = None
    updated_by: str = ""
    version: int = 0

    @property
    def ineligibility_reason(self) -> str | None:
        return ineligibility_reason(self.eligibility)

    def as_input(self) -> UnitInput:
        return UnitInput(**{f.name: getattr(self, f.name) for f in fields(UnitInput)})


@dataclass(frozen=True)
class UnitRow:
    """One line of the units table."""

    id: int
    kind: UnitKind
    category: str
    name: str
    address: str
    head_name: str
    head_phone: str
    status: UnitStatus
    eligible: bool
    version: int = 0  # as loaded: an action on the row refuses if someone saved since


class UnitSort(StrEnum):
    NAME = "name"
    KIND = "kind"
    CATEGORY = "category"
    ADDRESS = "address"
    HEAD = "head"
    PHONE = "phone"
    STATUS = "status"


@dataclass(frozen=True)
class UnitQuery:
    kind: UnitKind | None = None
    status: UnitStatus | None = None  # None: every status
    search: str = ""
    sort: UnitSort = UnitSort.NAME
    descending: bool = False


# ---- reading -------------------------------------------------------------------------------

_KIND_ORDER = case({k.value: i for i, k in enumerate(UnitKind)}, value=Unit.kind)
_STATUS_ORDER = case({s.value: i for i, s in enumerate(UnitStatus)}, value=Unit.status)
_SORT_COLUMNS = {
    UnitSort.NAME: Unit.name_sort,
    UnitSort.KIND: _KIND_ORDER,
    UnitSort.CATEGORY: Unit.category_sort,
    UnitSort.ADDRESS: Unit.address_sort,
    UnitSort.HEAD: Unit.head_sort,
    UnitSort.PHONE: Unit.head_phone,
    UnitSort.STATUS: _STATUS_ORDER,
}
_ROW_COLUMNS = (
    Unit.id, Unit.kind, Unit.category, Unit.name, Unit.address, Unit.head_name, Unit.head_phone,
    Unit.status, Unit.is_armed_forces, Unit.is_small_or_micro, Unit.school_level, Unit.version,
)


def _filtered(statement, ward_id: int, query: UnitQuery):
    statement = statement.where(Unit.ward_id == ward_id)
    if query.status is not None:
        statement = statement.where(Unit.status == query.status.value)
    if query.kind is not None:
        statement = statement.where(Unit.kind == query.kind.value)
    pattern = vntext.search_pattern(query.search)
    if pattern:
        statement = statement.where(Unit.search_text.like(f"%{pattern}%", escape="\\"))
    return statement


def _ordered(statement, query: UnitQuery, name_key=Unit.name_sort):
    keys = [name_key if query.sort is UnitSort.NAME else _SORT_COLUMNS[query.sort]]
    if query.sort is not UnitSort.NAME:
        keys.append(name_key)
    keys.append(Unit.id)
    return statement.order_by(*(key.desc() if query.descending else key.asc() for key in keys))


def _matches_by_name(ward_id: int, query: UnitQuery, *columns):
    """The matching ids (and ``columns``) in name order, read from the filter index alone.

    Left to itself the database walks the name index and visits every table row to test the
    search text (100-300 ms on 100,000 units). The filter index holds the search text and the
    name key; ordering by ``name_sort || ''`` keeps the name index out of the plan, so one scan
    of the filter index answers. benchmarks/bench_units.py measures it.
    """
    statement = _filtered(select(Unit.id, *columns), ward_id, query)
    return _ordered(statement, query, name_key=Unit.name_sort + literal(""))


def _searched_page(ward_id: int, query: UnitQuery, offset: int, limit: int | None):
    """Which units one page of a search shows: for the name order decided in the filter index;
    for another order the matches (found in that index) are sorted after."""
    if query.sort is UnitSort.NAME:
        page = _matches_by_name(ward_id, query).offset(offset).limit(limit)
        return _ordered(select(*_ROW_COLUMNS).where(Unit.id.in_(page)), query)
    matches = _filtered(select(Unit.id), ward_id, query)
    return _ordered(select(*_ROW_COLUMNS).where(Unit.id.in_(matches)), query).offset(offset).limit(limit)


def _to_row(values) -> UnitRow:
    (unit_id, kind, category, name, address, head_name, head_phone, status,
     armed, small, school_level, version) = values
    kind = UnitKind(kind)
    facts = EligibilityFacts(kind, armed, small, SchoolLevel(school_level) if school_level else None)
    return UnitRow(unit_id, kind, category, name, address, head_name, head_phone, UnitStatus(status),
                   ineligibility_reason(facts) is None, version)


def list_units(
    session: Session, ward_id: int, query: UnitQuery = UnitQuery(), offset: int = 0, limit: int | None = None
) -> list[UnitRow]:
    """The units matching ``query``, in its order; ``offset``/``limit`` fetch one page."""
    if vntext.search_pattern(query.search):
        statement = _searched_page(ward_id, query, offset, limit)
    else:
        statement = _ordered(_filtered(select(*_ROW_COLUMNS), ward_id, query), query).offset(offset).limit(limit)
    return [_to_row(values) for values in session.execute(statement)]


def first_page(session: Session, ward_id: int, query: UnitQuery, limit: int) -> tuple[list[UnitRow], int]:
    """The first ``limit`` matching units and how many match in all.

    This is what one keystroke of the search box asks for, so it avoids a second pass where it
    can: a page that is not full holds every match, and a search in name order counts its
    matches in the same scan that finds them.
    """
    if vntext.search_pattern(query.search) and query.sort is UnitSort.NAME:
        return _first_searched_page(session, ward_id, query, limit)
    rows = list_units(session, ward_id, query, 0, limit)
    total = len(rows) if len(rows) < limit else count_units(session, ward_id, query)
    return rows, total


def _first_searched_page(session: Session, ward_id: int, query: UnitQuery, limit: int) -> tuple[list[UnitRow], int]:
    """One scan of the filter index gives the page's ids and, by count(*) OVER (), all matches."""
    found = session.execute(_matches_by_name(ward_id, query, func.count().over()).limit(limit)).all()
    if not found:
        return [], 0
    rows = session.execute(_ordered(select(*_ROW_COLUMNS).where(Unit.id.in_([unit_id for unit_id, _ in found])), query))
    return [_to_row(values) for values in rows], found[0][1]


def count_units(session: Session, ward_id: int, query: UnitQuery = UnitQuery()) -> int:
    return session.scalar(_filtered(select(func.count(Unit.id)), ward_id, query))


def get_unit(session: Session, unit_id: int) -> UnitDetails:
    unit = session.get(Unit, unit_id)
    if unit is None:
        raise UserError("Không tìm thấy đơn vị này; có thể nó vừa bị xoá. Hãy tải lại danh sách.")
    values = {f.name: getattr(unit, f.name) for f in fields(UnitDetails) if f.name != "merged_into_name"}
    values["kind"] = UnitKind(unit.kind)
    values["status"] = UnitStatus(unit.status)
    values["school_level"] = SchoolLevel(unit.school_level) if unit.school_level else None
    target = session.get(Unit, unit.merged_into_id) if unit.merged_into_id else None
    return UnitDetails(**values, merged_into_name=target.name if target else "")


def merge_targets(session: Session, unit_id: int) -> list[UnitRow]:
    """Active units of the same ward and kind that ``unit_id`` can be merged into."""
    unit = _existing(session, unit_id)
    query = UnitQuery(kind=UnitKind(unit.kind), status=UnitStatus.ACTIVE)
    return [row for row in list_units(session, unit.ward_id, query) if row.id != unit_id]


# ---- writing -------------------------------------------------------------------------------

def _clean_input(data: UnitInput) -> UnitInput:
    """NFC text, and only the facts that belong to the unit's kind."""
    texts = {f.name: vntext.clean(getattr(data, f.name)) for f in fields(UnitInput)
             if f.type == "str"}
    texts["notes"] = vntext.clean_paragraphs(data.notes)
    kind = UnitKind(data.kind)
    return replace(
        data,
        **texts,
        kind=kind,
        is_armed_forces=data.is_armed_forces and kind is UnitKind.CO_QUAN,
        is_small_or_micro=data.is_small_or_micro and kind is UnitKind.DOANH_NGHIEP,
        school_level=SchoolLevel(data.school_level) if data.school_level and kind is UnitKind.GIAO_DUC else None,
        households=data.households if kind is UnitKind.KDC else None,
        learner_count=data.learner_count if kind is UnitKind.GIAO_DUC else None,
    )


def _validate(data: UnitInput) -> None:
    if not data.name:
        raise UserError("Hãy nhập tên đơn vị.")
    for name, label in _TEXT_LABELS.items():
        if len(getattr(data, name)) > _TEXT_LIMITS[name]:
            raise UserError(f"{label} quá dài (tối đa {_TEXT_LIMITS[name]} ký tự).")
    digits = sum(character.isdigit() for character in data.head_phone)
    if data.head_phone and not (_PHONE_CHARACTERS.match(data.head_phone) and 8 <= digits <= 15):
        raise UserError(
            f'Số điện thoại "{data.head_phone}" không hợp lệ: chỉ gồm chữ số (8 đến 15 số), '
            "có thể có dấu cách, dấu chấm hoặc dấu gạch ngang."
        )
    for key, label in _COUNT_LABELS.items():
        value = getattr(data, key)
        if value is not None and value < 0:
            raise UserError(f"{label} không được là số âm.")
    if data.kind is UnitKind.GIAO_DUC and data.school_level is None:
        raise UserError("Hãy chọn cấp học của cơ sở giáo dục (cần để biết trường có thuộc diện công nhận không).")


def _derived_columns(data: UnitInput) -> dict:
    searchable = " ".join(part for part in (data.name, data.address, data.head_name, data.head_phone) if part)
    return {
        "name_key": vntext.search_key(data.name),
        "search_text": vntext.search_key(searchable),
        "name_sort": vntext.sort_key(data.name)[:_SORT_KEY_LENGTH],
        "category_sort": vntext.sort_key(data.category)[:_SORT_KEY_LENGTH],
        "address_sort": vntext.sort_key(data.address)[:_SORT_KEY_LENGTH],
        "head_sort": vntext.person_name_key(data.head_name)[:_SORT_KEY_LENGTH],
    }


def _column_values(data: UnitInput) -> dict:
    values = {f.name: getattr(data, f.name) for f in fields(UnitInput)}
    values["kind"] = data.kind.value
    values["school_level"] = data.school_level.value if data.school_level else None
    return values | _derived_columns(data)


def _check_not_duplicate(session: Session, ward_id: int, data: UnitInput, unit_id: int | None = None) -> None:
    """Two active units of one kind may not share a name (compared without case, tones or đ)."""
    statement = select(Unit.name).where(
        Unit.ward_id == ward_id,
        Unit.kind == data.kind.value,
        Unit.status == UnitStatus.ACTIVE.value,
        Unit.name_key == vntext.search_key(data.name),
    )
    if unit_id is not None:
        statement = statement.where(Unit.id != unit_id)
    existing = session.scalars(statement.limit(1)).first()
    if existing is not None:
        raise UserError(f'Đã có {data.kind.label.lower()} "{existing}" trong danh sách. Hãy kiểm tra lại tên.')


def prepare(data: UnitInput) -> UnitInput:
    """Clean and validate one unit's input; raises UserError naming what is wrong."""
    data = _clean_input(data)
    _validate(data)
    return data


def add_unit(session: Session, ward_id: int, data: UnitInput, actor: str) -> int:
    data = prepare(data)
    _check_not_duplicate(session, ward_id, data)
    unit = Unit(ward_id=ward_id, status=UnitStatus.ACTIVE.value, status_reason="", **_column_values(data))
    stamp_created(unit, actor)
    session.add(unit)
    session.flush()
    return unit.id


def _check_batch_not_duplicate(session: Session, ward_id: int, batch: list[UnitInput]) -> None:
    """No unit of the batch may repeat another one, or an active unit of the register."""
    taken = {
        (kind, key): name
        for kind, key, name in session.execute(
            select(Unit.kind, Unit.name_key, Unit.name).where(
                Unit.ward_id == ward_id, Unit.status == UnitStatus.ACTIVE.value
            )
        )
    }
    for number, data in enumerate(batch, start=1):
        slot = (data.kind.value, vntext.search_key(data.name))
        if slot in taken:
            raise UserError(
                f'Đơn vị thứ {number} "{data.name}" trùng tên với {data.kind.label.lower()} "{taken[slot]}" '
                "đã có. Hãy kiểm tra lại tên."
            )
        taken[slot] = data.name


def insert_units(session: Session, ward_id: int, inputs: list[UnitInput], actor: str) -> int:
    """Many new units in one statement (demo data, imports, benchmarks); all checked first."""
    prepared = [prepare(data) for data in inputs]
    _check_batch_not_duplicate(session, ward_id, prepared)
    now = datetime.now().replace(microsecond=0)
    stamp = {"created_at": now, "created_by": actor, "updated_at": now, "updated_by": actor, "version": 1}
    rows = [
        {"ward_id": ward_id, "status": UnitStatus.ACTIVE.value, "status_reason": "", **_column_values(d), **stamp}
        for d in prepared
    ]
    if rows:
        session.execute(insert(Unit), rows)
        audit.insert_rows(session, Unit, rows, _new_ids(session, ward_id, rows))
    return len(rows)


def _new_ids(session: Session, ward_id: int, rows: list[dict]) -> list[int]:
    """The ids of units just inserted, found by kind and folded name (unique among active units,
    checked above): SQLite's RETURNING over many rows is hundreds of times slower."""
    ids = {(kind, key): unit_id for unit_id, kind, key in session.execute(
        select(Unit.id, Unit.kind, Unit.name_key).where(Unit.ward_id == ward_id,
                                                        Unit.status == UnitStatus.ACTIVE.value))}
    return [ids[(row["kind"], row["name_key"])] for row in rows]


def _existing(session: Session, unit_id: int) -> Unit:
    return existing_row(session, Unit, unit_id, "Không tìm thấy đơn vị này; có thể nó vừa bị xoá. Hãy tải lại danh sách.")


def update_unit(session: Session, unit_id: int, data: UnitInput, actor: str, expected_version: int | None = None) -> None:
    unit = _existing(session, unit_id)
    check_version(unit, expected_version)
    data = prepare(data)
    if unit.status == UnitStatus.ACTIVE.value:
        _check_not_duplicate(session, unit.ward_id, data, unit_id)
    for key, value in _column_values(data).items():
        setattr(unit, key, value)
    stamp_updated(unit, actor)
    session.flush()


def _check_status_date(on_date: date) -> None:
    if not 1945 <= on_date.year <= date.today().year + 1:
        raise UserError(f"Ngày {vntext.format_date(on_date)} không hợp lệ cho việc sáp nhập, giải thể.")


def _status_reason(reason: str) -> str:
    cleaned, limit = vntext.clean(reason), Unit.__table__.c.status_reason.type.length
    if len(cleaned) > limit:
        raise UserError(f"Lý do quá dài (tối đa {limit} ký tự).")
    return cleaned


def _require_active(unit: Unit) -> None:
    if unit.status != UnitStatus.ACTIVE.value:
        raise UserError(f'Đơn vị "{unit.name}" đã {UnitStatus(unit.status).label.lower()}, không thể thực hiện.')


def merge_unit(
    session: Session, unit_id: int, into_id: int, on_date: date, actor: str, reason: str = "",
    expected_version: int | None = None,
) -> None:
    """Record that a unit was merged into another one (kept in the register, no longer active)."""
    unit, target = _existing(session, unit_id), _existing(session, into_id)
    check_version(unit, expected_version)
    _require_active(unit)
    if unit.id == target.id:
        raise UserError("Không thể sáp nhập một đơn vị vào chính nó.")
    if target.status != UnitStatus.ACTIVE.value or target.ward_id != unit.ward_id or target.kind != unit.kind:
        raise UserError(f'Chỉ sáp nhập được vào một {UnitKind(unit.kind).label.lower()} đang hoạt động cùng địa bàn.')
    _check_status_date(on_date)
    unit.status, unit.merged_into_id = UnitStatus.MERGED.value, target.id
    unit.status_date, unit.status_reason = on_date, _status_reason(reason)
    stamp_updated(unit, actor)
    session.flush()


def dissolve_unit(
    session: Session, unit_id: int, on_date: date, reason: str, actor: str, expected_version: int | None = None
) -> None:
    unit = _existing(session, unit_id)
    check_version(unit, expected_version)
    _require_active(unit)
    _check_status_date(on_date)
    unit.status, unit.status_date, unit.status_reason = UnitStatus.DISSOLVED.value, on_date, _status_reason(reason)
    stamp_updated(unit, actor)
    session.flush()


def reactivate_unit(session: Session, unit_id: int, actor: str, expected_version: int | None = None) -> None:
    """Undo a merge or dissolution recorded by mistake."""
    unit = _existing(session, unit_id)
    check_version(unit, expected_version)
    data = get_unit(session, unit_id).as_input()
    _check_not_duplicate(session, unit.ward_id, data, unit_id)
    unit.status, unit.status_date, unit.status_reason, unit.merged_into_id = UnitStatus.ACTIVE.value, None, "", None
    stamp_updated(unit, actor)
    session.flush()


def references(session: Session, unit_id: int) -> list[str]:
    """What refers to the unit, in words; a unit with any reference is never deleted.

    Every table with a foreign key to unit must be counted here (a test checks that).
    """
    merged_in = aliased(Unit)
    counts = (
        (merged_in.merged_into_id, "đơn vị đã sáp nhập vào đơn vị này"),
        (AnttRecord.unit_id, "năm đăng ký \u201cAn toàn về ANTT\u201d"),
        (Incident.unit_id, "vụ việc"),
        (DecisionUnit.unit_id, "lần có tên trong quyết định"),
        (ClassificationRecord.unit_id, "năm chấm điểm phân loại phong trào"),
        (ForceRating.unit_id, "năm đánh giá Tổ bảo vệ ANTT"),
        (Inspection.unit_id, "lần kiểm tra, hướng dẫn"),
        (SecurityModelUnit.unit_id, "mô hình"),
        (ForceMember.unit_id, "thành viên lực lượng nòng cốt"),
        (Activity.unit_id, "hoạt động tuyên truyền"),
        (Festival.unit_id, "lần tổ chức Ngày hội"),
        (Award.unit_id, "khen thưởng"),
    )
    found = []
    for column, words in counts:
        count = session.scalar(select(func.count()).where(column == unit_id))
        if count:
            found.append(f"{count} {words}")
    return found


def delete_unit(session: Session, unit_id: int, expected_version: int | None = None) -> None:
    """Remove a unit entered by mistake; refused once anything refers to it."""
    unit = _existing(session, unit_id)
    check_version(unit, expected_version)
    found = references(session, unit_id)
    if found:
        raise UserError(
            f'Không xoá được "{unit.name}" vì đã có dữ liệu liên quan ({"; ".join(found)}). '
            "Hãy dùng Giải thể hoặc Sáp nhập để giữ lại lịch sử."
        )
    session.delete(unit)
    session.flush()
