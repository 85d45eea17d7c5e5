"""Two officers editing the same record at once, each in their own window (two Database objects on
one database: a shared SQLite file, or a PostgreSQL server in the PostgreSQL pass).

The second save is refused with the plain message, never written over the first, and the first
save's values stay. Through the services as the windows call them: ``expected_version`` for a
record opened in a dialog, ``CellEdit.was`` for a score cell.
"""

from __future__ import annotations

import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from antq_desktop.db.engine import open_database
from antq_desktop.db.models import Unit
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.services import antt, classification
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service
from antq_desktop.services.classification import SELF, CellEdit

STALE = stale_edit_error().message
YEAR = 2026


@pytest.fixture
def officers(demo_db):
    """(Anh's window, Bình's window) on the same demo ward."""
    other = open_database(demo_db.url)
    yield demo_db, other
    other.close()


def call(db, function, *args, **kwargs):
    with db.transaction() as session:
        return function(session, *args, **kwargs)


def first_unit_id(db, kind: UnitKind = UnitKind.KDC) -> int:
    with db.reading() as session:
        return session.scalar(select(Unit.id).where(Unit.kind == kind.value, Unit.status == UnitStatus.ACTIVE.value)
                              .order_by(Unit.id).limit(1))


def test_a_unit_opened_by_two_officers_keeps_the_first_save(officers):
    anh, binh = officers
    unit_id = first_unit_id(anh)
    seen_by_anh, seen_by_binh = call(anh, unit_service.get_unit, unit_id), call(binh, unit_service.get_unit, unit_id)
    assert seen_by_anh.version == seen_by_binh.version

    call(anh, unit_service.update_unit, unit_id, replace(seen_by_anh.as_input(), head_phone="0912 000 111"), "anh",
         expected_version=seen_by_anh.version)
    binh_edit = replace(seen_by_binh.as_input(), address="Số 9 phố Mới")
    with pytest.raises(UserError) as refused:
        call(binh, unit_service.update_unit, unit_id, binh_edit, "binh", expected_version=seen_by_binh.version)
    assert refused.value.message == STALE

    now = call(binh, unit_service.get_unit, unit_id)
    assert (now.head_phone, now.address, now.updated_by) == ("0912 000 111", seen_by_anh.address, "anh")
    assert now.version == seen_by_anh.version + 1


def test_a_unit_dissolved_by_one_officer_while_the_other_edits_it(officers):
    anh, binh = officers
    unit_id = first_unit_id(anh)
    seen = call(binh, unit_service.get_unit, unit_id)
    call(anh, unit_service.dissolve_unit, unit_id, date(YEAR, 3, 1), "Sáp xếp lại địa bàn", "anh",
         expected_version=seen.version)
    with pytest.raises(UserError, match="vừa được người khác sửa"):
        call(binh, unit_service.update_unit, unit_id, seen.as_input(), "binh", expected_version=seen.version)
    assert call(binh, unit_service.get_unit, unit_id).status is UnitStatus.DISSOLVED


def test_an_antt_registration_edited_by_two_officers_keeps_the_first_save(officers):
    anh, binh = officers
    with anh.transaction() as session:
        ward_id = profile_service.require_profile(session).id
    record_id = call(anh, antt.register_unit, ward_id, first_unit_id(anh), YEAR,
                     antt.RegistrationInput(registered_on=date(YEAR, 1, 15)), "anh")
    seen_by_anh = call(anh, antt.get_registration, record_id)
    seen_by_binh = call(binh, antt.get_registration, record_id)

    call(anh, antt.update_registration, record_id, antt.RegistrationInput(
        registered_on=date(YEAR, 1, 15), registration_ref="12/ĐK-TDP"), "anh", expected_version=seen_by_anh.version)
    with pytest.raises(UserError) as refused:
        call(binh, antt.update_registration, record_id, antt.RegistrationInput(
            registered_on=date(YEAR, 1, 20), note="Bình sửa"), "binh", expected_version=seen_by_binh.version)
    assert refused.value.message == STALE
    now = call(binh, antt.get_registration, record_id)
    assert (now.registered_on, now.registration_ref, now.note) == (date(YEAR, 1, 15), "12/ĐK-TDP", "")


def _ward_and_unit(db) -> tuple[int, int]:
    with db.reading() as session:
        return profile_service.require_profile(session).id, first_unit_id(db)


def _cell(db, ward_id: int, unit_id: int, code: str = "1.1") -> Decimal | None:
    with db.reading() as session:
        (row,) = classification.year_grid(session, ward_id, YEAR, "kdc", only_unit=unit_id).rows
    return row.self_scores.get(code)


def test_a_score_cell_typed_by_two_officers_keeps_the_first_value(officers):
    anh, binh = officers
    ward_id, unit_id = _ward_and_unit(anh)
    seen = _cell(binh, ward_id, unit_id)  # both grids show the cell empty
    assert seen is None and _cell(anh, ward_id, unit_id) is None
    call(anh, classification.save_cells, ward_id, YEAR, "kdc",
         [CellEdit(unit_id, "1.1", SELF, Decimal(3), was=seen)], "anh")
    with pytest.raises(UserError) as refused:
        call(binh, classification.save_cells, ward_id, YEAR, "kdc",
             [CellEdit(unit_id, "1.1", SELF, Decimal(2), was=seen), CellEdit(unit_id, "1.2", SELF, Decimal(1))],
             "binh")
    assert refused.value.message == STALE
    assert (_cell(binh, ward_id, unit_id), _cell(binh, ward_id, unit_id, "1.2")) == (Decimal(3), None)
    # Bình's grid, reloaded, shows 3: from there the edit goes through
    call(binh, classification.save_cells, ward_id, YEAR, "kdc",
         [CellEdit(unit_id, "1.1", SELF, Decimal(2), was=Decimal(3))], "binh")
    assert _cell(anh, ward_id, unit_id) == Decimal(2)


@pytest.mark.parametrize("scored_before", [False, True], ids=["first-scores-of-the-year", "unit-already-scored"])
def test_saves_at_the_same_moment_take_turns_and_the_second_is_refused(officers, scored_before):
    """Bình's save is under way (its transaction not yet committed) when Anh saves the same cell:
    on a server Anh's save waits for Bình's (the unit's record is locked, or being created), then
    finds the cell changed and is refused with the stale-edit message; a SQLite file has one
    writer, and refuses Anh's at once with the busy message (its reader cannot write past a
    write it did not see)."""
    anh, binh = officers
    ward_id, unit_id = _ward_and_unit(anh)
    on_server = anh.engine.dialect.name == "postgresql"
    if scored_before:  # the year and the unit's record exist: the record's lock makes the turns
        call(anh, classification.save_cells, ward_id, YEAR, "kdc", [CellEdit(unit_id, "1.2", SELF, Decimal(1))], "anh")
    outcome: list[object] = []

    def anh_saves():
        try:
            call(anh, classification.save_cells, ward_id, YEAR, "kdc",
                 [CellEdit(unit_id, "1.1", SELF, Decimal(4), was=None)], "anh")
            outcome.append("saved")
        except UserError as error:
            outcome.append(error.message)

    with binh.transaction() as session:
        classification.save_cells(session, ward_id, YEAR, "kdc", [CellEdit(unit_id, "1.1", SELF, Decimal(3), was=None)],
                                  "binh")
        other = threading.Thread(target=anh_saves)
        other.start()
        other.join(0.5)
        if on_server:
            assert other.is_alive(), "Anh's save must wait while Bình's is under way"
    other.join(10)
    (message,) = outcome
    assert message == (STALE if on_server else
                       "Tệp dữ liệu đang bận: một cửa sổ ANTQ Desktop khác (trên máy này hoặc của đồng nghiệp dùng "
                       "chung tệp) đang ghi vào đó. Hãy chờ một lát rồi thử lại; nếu vẫn bận, hãy đóng các cửa sổ khác.")
    assert _cell(anh, ward_id, unit_id) == Decimal(3)


def test_a_unit_changed_inside_an_open_transaction_is_never_overwritten(officers):
    """Without expected_version (a service that loads and saves in one go), the version column
    still refuses a write over a save made after the row was read."""
    anh, binh = officers
    unit_id = first_unit_id(anh)
    with pytest.raises(UserError) as refused:
        with binh.transaction() as session:
            unit = session.get(Unit, unit_id)  # Bình's transaction has read the unit…
            seen_by_anh = call(anh, unit_service.get_unit, unit_id).as_input()
            call(anh, unit_service.update_unit, unit_id, replace(seen_by_anh, notes="Anh ghi"), "anh")  # …Anh saves…
            unit.notes = "Bình ghi"
            session.flush()  # …and Bình's write finds a newer version than the one it read
    expected = STALE if binh.engine.dialect.name == "postgresql" else "Tệp dữ liệu đang bận"
    assert refused.value.message.startswith(expected)
    assert call(binh, unit_service.get_unit, unit_id).notes == "Anh ghi"
