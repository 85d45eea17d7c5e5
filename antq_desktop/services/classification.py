"""The year's movement classification (QĐ 510): scores per unit and item, levels, KPIs.

Each unit of a kind is scored on its kind's sheet: the unit's own score (điểm tự chấm) and the
ward's (điểm xã chấm) per item. The ward's score is the one that counts; an item the ward left
empty keeps the unit's own score, so the officer types only the items the ward changes.

A year uses the ward's score sheets as they were when its first score was entered: later edits
of the sheets apply to the years that have not started (a year may adopt them while every
score it holds still fits).

The grid saves every cell at once (:func:`save_cells`, one transaction per edit or pasted
block), so nothing waits for a Save button and a crash loses no cell.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import Enum

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from antq_desktop.db import audit
from antq_desktop.db.models import (
    ClassificationRecord,
    ClassificationScore,
    ClassificationYear,
    Decision,
    Festival,
    Incident,
    Unit,
)
from antq_desktop.domain import antt as antt_rules
from antq_desktop.domain import classification as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.criteria import KINDS, WARD
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.services import settings, targets
from antq_desktop.services.antt import check_year, year_overview
from antq_desktop.services.decisions import CLASSIFICATION, RECOGNITION
from antq_desktop.services.profile import require_profile
from antq_desktop.services.tracking import check_version, stamp_created, stamp_updated

SELF = "self"    # the unit's own score
WARD_SCORE = "ward"  # the ward's score
COLUMNS = (SELF, WARD_SCORE)
COLUMN_LABELS = {SELF: "Điểm tự chấm", WARD_SCORE: "Điểm xã chấm"}
# Facts the registers establish; the others are marked by the officer on the unit's row.
DERIVED_FACTS = ("not_recognized_antt", "serious_crime", "no_ngay_hoi")
# The Ngày hội is established from its register only when the ward keeps it that year, so the
# officer may still mark it by hand in a ward that does not.
MARKABLE_FACTS = ("hot_spot", "no_ngay_hoi")


def to_cents(points: Decimal) -> int:
    return int(points * 100)


def from_cents(cents: int | None) -> Decimal | None:
    return None if cents is None else Decimal(cents) / 100


def kind_label(kind: str) -> str:
    return "Xã, phường (tự chấm)" if kind == WARD else UnitKind(kind).label


# ---- the sheets ---------------------------------------------------------------------------

def current_sheet_set(session: Session, ward_id: int) -> rules.SheetSet:
    """The sheets as the administrator left them, or the newest set shipped with the program."""
    stored = settings.get_setting(session, ward_id, "classification.sheet_set")
    if stored is None:
        return rules.builtin_sheet_sets()[-1]
    return rules.parse_sheet_set(stored, "của xã, phường")


def save_sheet_set(session: Session, ward_id: int, raw: dict, actor: str) -> rules.SheetSet:
    """Check and keep the edited sheets; the years already scored keep theirs."""
    sheet_set = rules.parse_sheet_set(raw, "vừa sửa")
    settings.set_setting(session, ward_id, "classification.sheet_set", rules.sheet_set_to_dict(sheet_set), actor)
    return sheet_set


def reset_sheet_set(session: Session, ward_id: int, actor: str) -> rules.SheetSet:
    """Back to the sheets shipped with the program."""
    settings.set_setting(session, ward_id, "classification.sheet_set", None, actor)
    return current_sheet_set(session, ward_id)


def _year_row(session: Session, ward_id: int, year: int) -> ClassificationYear | None:
    return session.scalar(select(ClassificationYear).where(
        ClassificationYear.ward_id == ward_id, ClassificationYear.year == year))


def year_sheet_set(session: Session, ward_id: int, year: int) -> rules.SheetSet:
    """The sheets ``year`` is scored with: its own once scoring began, else the current ones."""
    row = _year_row(session, ward_id, year)
    if row is None:
        return current_sheet_set(session, ward_id)
    return rules.parse_sheet_set(json.loads(row.sheet_set), f"năm {year}")


def year_started(session: Session, ward_id: int, year: int) -> bool:
    return _year_row(session, ward_id, year) is not None


def _freeze_year(session: Session, ward_id: int, year: int, actor: str) -> rules.SheetSet:
    row = _year_row(session, ward_id, year)
    if row is not None:
        return rules.parse_sheet_set(json.loads(row.sheet_set), f"năm {year}")
    sheet_set = current_sheet_set(session, ward_id)
    row = ClassificationYear(ward_id=ward_id, year=year,
                             sheet_set=json.dumps(rules.sheet_set_to_dict(sheet_set), ensure_ascii=False))
    stamp_created(row, actor)
    session.add(row)
    return sheet_set


def adopt_current_sheets(session: Session, ward_id: int, year: int, actor: str) -> None:
    """Score ``year`` with the current sheets, when every score it holds still fits them and
    no classification decision of the year is issued (it prints with the year's levels)."""
    if _issued_decision(session, ward_id, year, CLASSIFICATION):
        raise UserError(f"Năm {year} đã có quyết định phân loại được ban hành, nên giữ nguyên bảng điểm của năm đó.")
    sheet_set = current_sheet_set(session, ward_id)
    records = session.scalars(select(ClassificationRecord).where(
        ClassificationRecord.ward_id == ward_id, ClassificationRecord.year == year))
    for record in records:
        sheet = sheet_set.sheet(_record_kind(session, record))
        for score in _scores(session, record.id):
            for column, cents in ((SELF, score.self_cents), (WARD_SCORE, score.ward_cents)):
                if cents is not None:
                    try:
                        rules.check_score(sheet, score.item_code, from_cents(cents))
                    except UserError as error:
                        raise UserError(f"Chưa áp dụng được bảng điểm mới cho năm {year}: "
                                        f"{_row_name(session, record)}, {COLUMN_LABELS[column].lower()}: "
                                        f"{error} Hãy sửa điểm đó trước.") from None
    row = _year_row(session, ward_id, year)
    if row is None:
        _freeze_year(session, ward_id, year, actor)
        return
    row.sheet_set = json.dumps(rules.sheet_set_to_dict(sheet_set), ensure_ascii=False)
    stamp_updated(row, actor)
    session.flush()


# ---- the year's rows ----------------------------------------------------------------------

@dataclass
class ScoreRow:
    """One unit (``unit_id`` None: the ward itself) of the grid, with what its level needs."""

    unit_id: int | None
    name: str
    kind: str
    record_id: int | None = None
    self_scores: dict[str, Decimal] = field(default_factory=dict)
    ward_scores: dict[str, Decimal] = field(default_factory=dict)
    derived_facts: frozenset[str] = frozenset()
    marked_facts: frozenset[str] = frozenset()
    level_override: str | None = None
    override_reason: str = ""
    note: str = ""
    updated_at: datetime | None = None
    version: int = 0

    def scores(self, column: str) -> dict[str, Decimal]:
        return self.self_scores if column == SELF else self.ward_scores

    @property
    def scored(self) -> bool:
        return bool(self.self_scores or self.ward_scores)

    def final_scores(self) -> dict[str, Decimal]:
        """What counts: the ward's score per item, the unit's own where the ward left it empty."""
        return {**self.self_scores, **self.ward_scores}

    def total(self, sheet: rules.ScoreSheet, column: str | None = None) -> Decimal | None:
        """A column's total (None: the final one); None when the column has no score."""
        scores = self.final_scores() if column is None else self.scores(column)
        return rules.score_total(sheet, scores) if scores else None

    def proposal(self, sheet_set: rules.SheetSet) -> rules.LevelDecision | None:
        total = self.total(sheet_set.sheet(self.kind))
        if total is None:
            return None
        return rules.proposed_level(sheet_set, total, self.derived_facts | self.marked_facts)

    def level(self, sheet_set: rules.SheetSet) -> rules.Level | None:
        """The decided level: the officer's override, else the proposed one (None: not scored)."""
        proposal = self.proposal(sheet_set)
        if proposal is None:
            return None
        return sheet_set.level(self.level_override) if self.level_override else proposal.level


@dataclass(frozen=True)
class Grid:
    year: int
    kind: str
    sheet_set: rules.SheetSet
    rows: list[ScoreRow]
    started: bool  # the year keeps its own sheets (a score was entered)
    decided: bool = False  # a classification decision of the year is issued: its list no longer follows the scores

    @property
    def sheet(self) -> rules.ScoreSheet:
        return self.sheet_set.sheet(self.kind)

    @property
    def columns(self) -> tuple[rules.SheetItem, ...]:
        return self.sheet.leaves()


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}")


def year_grid(session: Session, ward_id: int, year: int, kind: str, only_unit: int | None = None) -> Grid:
    """Every unit of ``kind`` the year classifies (the ward alone for its own sheet), with scores;
    with ``only_unit``, that unit's row alone (a dialog wants its latest version)."""
    check_year(year)
    _check_kind(kind)
    rows = _ward_rows(session, ward_id) if kind == WARD else _unit_rows(session, ward_id, year, UnitKind(kind))
    if only_unit is not None:
        rows = [row for row in rows if row.unit_id == only_unit]
    records = _records(session, ward_id, year, kind)
    for row in rows:
        record = records.get(row.unit_id)
        if record is not None:
            _fill_from_record(row, record)
    _fill_scores(session, [row for row in rows if row.record_id is not None])
    return Grid(year, kind, year_sheet_set(session, ward_id, year), rows, year_started(session, ward_id, year),
                _issued_decision(session, ward_id, year, CLASSIFICATION))


def _ward_rows(session: Session, ward_id: int) -> list[ScoreRow]:
    return [ScoreRow(unit_id=None, name=require_profile(session).ward_title, kind=WARD)]


def _unit_rows(session: Session, ward_id: int, year: int, kind: UnitKind) -> list[ScoreRow]:
    """The units QĐ 510 classifies (those TT 124 may recognise), active or scored that year."""
    scored = set(session.scalars(select(ClassificationRecord.unit_id).where(
        ClassificationRecord.ward_id == ward_id, ClassificationRecord.year == year,
        ClassificationRecord.unit_id.is_not(None))))
    overview = [row for row in year_overview(session, ward_id, year, kind) if row.eligible or row.unit_id in scored]
    not_recognized = _not_recognized(session, ward_id, year, overview)
    crimes = _serious_crime_units(session, ward_id, year, kind)
    no_festival = _units_without_festival(session, ward_id, year, [row.unit_id for row in overview])
    return [
        ScoreRow(unit_id=row.unit_id, name=row.name, kind=kind.value, derived_facts=frozenset(
            fact for fact, holds in (("not_recognized_antt", row.unit_id in not_recognized),
                                     ("serious_crime", row.unit_id in crimes),
                                     ("no_ngay_hoi", row.unit_id in no_festival)) if holds))
        for row in overview
    ]


def _units_without_festival(session: Session, ward_id: int, year: int, unit_ids: list[int]) -> set[int]:
    """Units that did not hold the Ngày hội (19/8), once the ward keeps that register for the year."""
    held = set(session.scalars(select(Festival.unit_id).where(Festival.ward_id == ward_id, Festival.year == year)))
    return set(unit_ids) - held if held else set()


def _not_recognized(session: Session, ward_id: int, year: int, overview) -> set[int]:
    """Units not recognised "An toàn về ANTT" that year: assessed as failing, or left out of
    an issued recognition decision (while none is issued, the others are still in progress)."""
    decided = _issued_decision(session, ward_id, year, RECOGNITION)
    return {row.unit_id for row in overview
            if row.stage is Stage.NOT_RECOGNIZED or row.passed is False or (decided and row.stage is not Stage.RECOGNIZED)}


def _issued_decision(session: Session, ward_id: int, year: int, kind: str) -> bool:
    return session.scalar(select(Decision.id).where(
        Decision.ward_id == ward_id, Decision.year == year, Decision.kind == kind,
        Decision.status == "issued").limit(1)) is not None


def _serious_crime_units(session: Session, ward_id: int, year: int, kind: UnitKind) -> set[int]:
    start, end = antt_rules.evaluation_period(kind.value, year)
    grave = (antt_rules.CrimeSeverity.RAT_NGHIEM_TRONG.value, antt_rules.CrimeSeverity.DAC_BIET_NGHIEM_TRONG.value)
    return set(session.scalars(select(Incident.unit_id).join(Unit, Unit.id == Incident.unit_id).where(
        Incident.ward_id == ward_id, Unit.kind == kind.value, Incident.severity.in_(grave),
        Incident.occurred_on >= start, Incident.occurred_on <= end)))


def _records(session: Session, ward_id: int, year: int, kind: str) -> dict[int | None, ClassificationRecord]:
    statement = select(ClassificationRecord).where(
        ClassificationRecord.ward_id == ward_id, ClassificationRecord.year == year)
    if kind == WARD:
        statement = statement.where(ClassificationRecord.unit_id.is_(None))
    else:
        statement = statement.join(Unit, Unit.id == ClassificationRecord.unit_id).where(Unit.kind == kind)
    return {record.unit_id: record for record in session.scalars(statement)}


def _fill_from_record(row: ScoreRow, record: ClassificationRecord) -> None:
    row.record_id = record.id
    row.marked_facts = frozenset(json.loads(record.marked_facts))
    row.level_override = record.level_override
    row.override_reason = record.override_reason
    row.note = record.note
    row.updated_at = record.updated_at
    row.version = record.version


def _fill_scores(session: Session, rows: list[ScoreRow]) -> None:
    by_record = {row.record_id: row for row in rows}
    if not by_record:
        return
    statement = select(ClassificationScore.record_id, ClassificationScore.item_code, ClassificationScore.self_cents,
                       ClassificationScore.ward_cents).where(ClassificationScore.record_id.in_(by_record))
    for record_id, code, self_cents, ward_cents in session.execute(statement):
        row = by_record[record_id]
        if self_cents is not None:
            row.self_scores[code] = from_cents(self_cents)
        if ward_cents is not None:
            row.ward_scores[code] = from_cents(ward_cents)


def _scores(session: Session, record_id: int) -> list[ClassificationScore]:
    return list(session.scalars(select(ClassificationScore).where(ClassificationScore.record_id == record_id)))


def _record_kind(session: Session, record: ClassificationRecord) -> str:
    return WARD if record.unit_id is None else session.get(Unit, record.unit_id).kind


def _row_name(session: Session, record: ClassificationRecord) -> str:
    return "xã, phường" if record.unit_id is None else session.get(Unit, record.unit_id).name


# ---- saving cells -------------------------------------------------------------------------

class _Unseen(Enum):
    UNSEEN = "unseen"


UNSEEN = _Unseen.UNSEEN


@dataclass(frozen=True)
class CellEdit:
    unit_id: int | None  # None: the ward's own sheet
    code: str
    column: str  # SELF or WARD_SCORE
    value: Decimal | None  # None empties the cell
    # What the officer saw in the cell (None: empty): a cell that holds something else by now was
    # saved by another officer meanwhile, and the edit is refused rather than written over it.
    # UNSEEN: written whatever the cell holds (the demo, copying scores across, imports).
    was: Decimal | None | _Unseen = UNSEEN


def save_cells(session: Session, ward_id: int, year: int, kind: str, edits: Sequence[CellEdit], actor: str) -> None:
    """Save typed or pasted cells: all are checked first, and one bad cell saves none of them."""
    check_year(year)
    _check_kind(kind)
    sheet = year_sheet_set(session, ward_id, year).sheet(kind)
    names = _unit_names(session, ward_id, kind, {edit.unit_id for edit in edits})
    for edit in edits:
        _check_edit(sheet, names, edit)
    if not edits:
        return
    _freeze_year(session, ward_id, year, actor)
    records = _records_for(session, ward_id, year, {edit.unit_id for edit in edits}, actor)
    before, changed = _write_cells(session, [(records[edit.unit_id].id, edit) for edit in edits])
    _audit_cells(session, ward_id, year, {record.id: names[unit_id] for unit_id, record in records.items()},
                 before, changed)


def _unit_names(session: Session, ward_id: int, kind: str, unit_ids: set[int | None]) -> dict[int | None, str]:
    if kind == WARD:
        if unit_ids - {None}:
            raise UserError("Bảng điểm của xã, phường chỉ có một dòng là chính xã, phường.")
        return {None: "xã, phường"}
    found = dict(session.execute(select(Unit.id, Unit.name).where(
        Unit.id.in_([unit_id for unit_id in unit_ids if unit_id is not None]),
        Unit.ward_id == ward_id, Unit.kind == kind)).all())
    if len(found) != len(unit_ids):
        raise UserError(f"Có đơn vị không thuộc danh sách {UnitKind(kind).label.lower()} của xã, phường "
                        "(có thể vừa bị xoá hoặc đổi loại). Hãy mở lại bảng điểm.")
    return found


def _check_edit(sheet: rules.ScoreSheet, names: dict[int | None, str], edit: CellEdit) -> None:
    if edit.column not in COLUMNS:
        raise ValueError(f"unknown column {edit.column!r}")
    if edit.value is None:
        sheet.item(edit.code)  # an unknown item is refused even when emptying
        return
    try:
        rules.check_score(sheet, edit.code, edit.value)
    except UserError as error:
        raise UserError(f"{names[edit.unit_id]}, {COLUMN_LABELS[edit.column].lower()}: {error}") from None


def _records_for(session: Session, ward_id: int, year: int, unit_ids: set[int | None],
                 actor: str) -> dict[int | None, ClassificationRecord]:
    """The records of these units, created for the units scored for the first time."""
    condition = ClassificationRecord.unit_id.in_([u for u in unit_ids if u is not None])
    if None in unit_ids:
        condition = condition | ClassificationRecord.unit_id.is_(None)
    # locked until the transaction ends (a server; SQLite has one writer at a time anyway), so two
    # officers saving the same units at once take turns and the second sees the first one's cells
    records = {record.unit_id: record for record in session.scalars(select(ClassificationRecord).where(
        ClassificationRecord.ward_id == ward_id, ClassificationRecord.year == year, condition).with_for_update())}
    for unit_id in unit_ids:
        record = records.get(unit_id)
        if record is None:
            record = records[unit_id] = ClassificationRecord(ward_id=ward_id, year=year, unit_id=unit_id,
                                                             marked_facts="[]", override_reason="", note="")
            stamp_created(record, actor)
            session.add(record)
        else:
            stamp_updated(record, actor)  # "changed today" in the grid's filter
    session.flush()  # a record another officer is creating at this moment: refused (db/errors.py, 23505)
    return records


def _write_cells(session: Session, edits: list[tuple[int, CellEdit]]) -> tuple[dict, dict]:
    """Write a block in a few statements (a pasted year is ten thousand cells): read the
    cells it touches once, then insert, update and delete in bulk. Returns the cells as they
    were and those that changed: {(record id, item code): (self cents, ward cents)}.

    The records are locked (_records_for): a second officer saving the same unit at the same
    moment waits for the first, then reads the first one's cells."""
    record_ids = {record_id for record_id, _ in edits}
    before = {(record_id, code): (self_cents, ward_cents) for record_id, code, self_cents, ward_cents in session.execute(
        select(ClassificationScore.record_id, ClassificationScore.item_code, ClassificationScore.self_cents,
               ClassificationScore.ward_cents).where(ClassificationScore.record_id.in_(record_ids)))}
    for record_id, edit in edits:
        if edit.was is not UNSEEN:
            seen = None if edit.was is None else to_cents(edit.was)
            if before.get((record_id, edit.code), (None, None))[COLUMNS.index(edit.column)] != seen:
                raise stale_edit_error()
    after = dict(before)
    for record_id, edit in edits:
        self_cents, ward_cents = after.get((record_id, edit.code), (None, None))
        cents = None if edit.value is None else to_cents(edit.value)
        after[(record_id, edit.code)] = (cents, ward_cents) if edit.column == SELF else (self_cents, cents)
    changed = {key: cells for key, cells in after.items() if before.get(key, (None, None)) != cells}
    new, kept, emptied = [], [], defaultdict(list)
    for (record_id, code), (self_cents, ward_cents) in changed.items():
        if self_cents is None and ward_cents is None:
            if (record_id, code) in before:
                emptied[record_id].append(code)
            continue
        row = {"record_id": record_id, "item_code": code, "self_cents": self_cents, "ward_cents": ward_cents}
        (kept if (record_id, code) in before else new).append(row)
    if new:
        session.execute(insert(ClassificationScore), new)
    if kept:
        session.execute(update(ClassificationScore), kept)  # bulk UPDATE by primary key
    for record_id, codes in emptied.items():
        session.execute(delete(ClassificationScore).where(ClassificationScore.record_id == record_id,
                                                          ClassificationScore.item_code.in_(codes)))
    return before, changed


def _audit_cells(session: Session, ward_id: int, year: int, names: dict[int, str], before: dict,
                 changed: dict) -> None:
    """The bulk statements above pass no flush: one audit entry per unit whose cells changed
    (a pasted year is five hundred entries, not ten thousand), with each cell before and after."""
    cells: dict[int, tuple[dict, dict]] = defaultdict(lambda: ({}, {}))
    for (record_id, code), now in changed.items():
        old_cells, new_cells = cells[record_id]
        for column, was, is_now in zip(COLUMNS, before.get((record_id, code), (None, None)), now):
            if was != is_now:
                key = f"{code} ({COLUMN_LABELS[column].lower()})"
                old_cells[key], new_cells[key] = _points(was), _points(is_now)
    audit.record(session, [
        audit.Change("update", ClassificationScore.__tablename__, record_id, ward_id, old_cells, new_cells,
                     f"Sửa điểm phân loại của “{names[record_id]}” năm {year} ({len(new_cells)} ô)")
        for record_id, (old_cells, new_cells) in cells.items()])


def _points(cents: int | None) -> float | None:
    return None if cents is None else cents / 100


def copy_self_to_ward(session: Session, ward_id: int, year: int, kind: str, actor: str) -> int:
    """Fill the ward's empty cells with the unit's own scores (the ward agrees with them)."""
    grid = year_grid(session, ward_id, year, kind)
    edits = [CellEdit(row.unit_id, code, WARD_SCORE, value) for row in grid.rows
             for code, value in row.self_scores.items() if code not in row.ward_scores]
    save_cells(session, ward_id, year, kind, edits, actor)
    return len(edits)


# ---- per unit: the level, the marked facts ---------------------------------------------------

def _existing_record(session: Session, ward_id: int, year: int, unit_id: int | None) -> ClassificationRecord:
    record = session.scalar(select(ClassificationRecord).where(
        ClassificationRecord.ward_id == ward_id, ClassificationRecord.year == year,
        ClassificationRecord.unit_id.is_(None) if unit_id is None else ClassificationRecord.unit_id == unit_id))
    if record is None:
        raise UserError("Đơn vị này chưa được chấm điểm năm này: hãy nhập điểm trước.")
    return record


def set_level(session: Session, ward_id: int, year: int, unit_id: int | None, level_code: str | None,
              reason: str, actor: str, expected_version: int | None = None) -> None:
    """Decide a level other than the proposed one (``None``: go back to the proposed level)."""
    record = _existing_record(session, ward_id, year, unit_id)
    check_version(record, expected_version)
    reason = vntext.clean_paragraphs(reason)
    if level_code is not None:
        year_sheet_set(session, ward_id, year).level(level_code)  # an unknown level is a bug
        if not reason:
            raise UserError("Hãy ghi lý do khi xếp loại khác với mức đề xuất theo điểm.")
    record.level_override = level_code
    record.override_reason = reason if level_code is not None else ""
    _bump(record, actor)


def set_marked_facts(session: Session, ward_id: int, year: int, unit_id: int | None, facts: Iterable[str],
                     note: str, actor: str, expected_version: int | None = None) -> None:
    """The cap-rule conditions the officer marks for the unit (no register establishes them yet)."""
    facts = sorted(set(facts))
    unknown = [fact for fact in facts if fact not in MARKABLE_FACTS]
    if unknown:
        raise ValueError(f"facts {unknown} are not marked by hand; expected some of {MARKABLE_FACTS}")
    record = _existing_record(session, ward_id, year, unit_id)
    check_version(record, expected_version)
    record.marked_facts = json.dumps(facts)
    record.note = vntext.clean_paragraphs(note)
    _bump(record, actor)


def _bump(record: ClassificationRecord, actor: str) -> None:
    record.version += 1
    stamp_updated(record, actor)
    session = Session.object_session(record)
    session.flush()


def clear_unit(session: Session, ward_id: int, year: int, unit_id: int | None) -> None:
    """Remove a unit's whole sheet for the year (entered for the wrong unit)."""
    record = _existing_record(session, ward_id, year, unit_id)
    audit.delete_rows(session, ClassificationScore, ClassificationScore.record_id == record.id)
    session.delete(record)
    session.flush()


# ---- the year's results and KPIs ------------------------------------------------------------

@dataclass(frozen=True)
class UnitResult:
    unit_id: int
    name: str
    kind: UnitKind
    total: Decimal
    self_total: Decimal | None
    proposal: rules.LevelDecision
    level: rules.Level
    override_reason: str


def year_results(session: Session, ward_id: int, year: int) -> list[UnitResult]:
    """Every scored unit with its total and levels, by kind then name (the decision's list)."""
    results = []
    for kind in UnitKind:
        grid = year_grid(session, ward_id, year, kind.value)
        for row in grid.rows:
            proposal = row.proposal(grid.sheet_set)
            if proposal is not None:
                results.append(UnitResult(row.unit_id, row.name, kind, row.total(grid.sheet), row.total(grid.sheet, SELF),
                                          proposal, row.level(grid.sheet_set), row.override_reason))
    return results


@dataclass(frozen=True)
class LevelFigures:
    units: int  # classified (scored) units
    eligible: int  # units the year classifies
    by_level: dict[str, int]  # level code -> count, highest first
    kha_or_above_pct: float | None

    @property
    def any_yeu(self) -> bool:
        return self.by_level.get("yeu", 0) > 0

    def as_dict(self) -> dict:
        return {"units": self.units, "eligible": self.eligible, "by_level": dict(self.by_level),
                "kha_or_above_pct": None if self.kha_or_above_pct is None else round(self.kha_or_above_pct, 2),
                "any_yeu": self.any_yeu}


@dataclass(frozen=True)
class ClassificationStats:
    year: int
    levels: tuple[rules.Level, ...]
    total: LevelFigures
    by_kind: dict[UnitKind, LevelFigures]
    target_kha_or_above_pct: float
    target_no_yeu: bool

    @property
    def kha_target_met(self) -> bool | None:
        pct = self.total.kha_or_above_pct
        return None if pct is None else pct >= self.target_kha_or_above_pct

    @property
    def no_yeu_target_met(self) -> bool | None:
        return None if not self.total.units else (not self.target_no_yeu or not self.total.any_yeu)

    def as_dict(self) -> dict:
        return {
            **self.total.as_dict(),
            "level_labels": {level.code: level.label for level in self.levels},
            "target_kha_or_above_pct": self.target_kha_or_above_pct,
            "target_no_yeu": self.target_no_yeu,
            "by_kind": {kind.cli_name: figures.as_dict() for kind, figures in self.by_kind.items()},
        }


def _figures(levels: tuple[rules.Level, ...], decided: list[str], eligible: int) -> LevelFigures:
    return LevelFigures(len(decided), eligible, rules.level_counts(levels, decided),
                        rules.share_at_least(levels, decided, "kha"))


def classification_stats(session: Session, ward_id: int, year: int) -> ClassificationStats:
    levels = year_sheet_set(session, ward_id, year).levels
    by_kind: dict[UnitKind, LevelFigures] = {}
    every: list[str] = []
    eligible_total = 0
    for kind in UnitKind:
        grid = year_grid(session, ward_id, year, kind.value)
        decided = [level.code for row in grid.rows if (level := row.level(grid.sheet_set)) is not None]
        by_kind[kind] = _figures(levels, decided, len(grid.rows))
        every += decided
        eligible_total += len(grid.rows)
    return ClassificationStats(
        year=year, levels=levels, total=_figures(levels, every, eligible_total), by_kind=by_kind,
        target_kha_or_above_pct=float(targets.target_value(session, ward_id, year, "kha_or_above_pct") or 0),
        target_no_yeu=targets.target_value(session, ward_id, year, "yeu_units") == 0,
    )
