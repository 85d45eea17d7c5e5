"""The database layer on real SQLite files: migrations, refusals, backups, pragmas, locks."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import time
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, inspect, select

from antq_desktop import __version__
from antq_desktop.db import engine as engine_module
from antq_desktop.db.engine import (
    _alembic_config,
    backup_sqlite_file,
    current_revision,
    head_revision,
    open_database,
    upgrade_schema,
)
from antq_desktop.db.errors import _ENVIRONMENT_FAULTS
from antq_desktop.db.models import Base, Unit
from antq_desktop.errors import UserError
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
RELEASE_FIXTURES = sorted(FIXTURES.glob("release-*.sqlite"))
NOT_A_DATABASE_MESSAGE = dict(_ENVIRONMENT_FAULTS)["file is not a database"]
LOCKED_MESSAGE = dict(_ENVIRONMENT_FAULTS)["database is locked"]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _raw(path: Path) -> sqlite3.Connection:
    """A plain sqlite3 connection in autocommit mode, outside our engine."""
    return sqlite3.connect(path, isolation_level=None)


def _user_tables(engine) -> set[str]:
    return set(inspect(engine).get_table_names())


# ---- the schema ------------------------------------------------------------------------------


def test_migrated_schema_matches_models(empty_db):
    """A database built by the Alembic revisions is exactly what models.py describes."""
    with empty_db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    assert diff == []


def test_new_database_is_at_head(empty_db):
    assert current_revision(empty_db.engine) == head_revision()
    assert {"ward", "unit", "alembic_version"} <= _user_tables(empty_db.engine)


def test_downgrade_to_base_then_upgrade_to_head(empty_db):
    with empty_db.engine.begin() as connection:
        command.downgrade(_alembic_config(connection), "base")
    assert current_revision(empty_db.engine) is None
    assert not {"ward", "unit"} & _user_tables(empty_db.engine)

    with empty_db.engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    assert current_revision(empty_db.engine) == head_revision()
    assert {"ward", "unit"} <= _user_tables(empty_db.engine)
    with empty_db.engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), Base.metadata) == []


# ---- files saved by earlier releases -----------------------------------------------------------


def test_release_fixture_of_this_release_exists():
    """Each release commits a database of its own (tests/fixtures/README.md says how)."""
    assert FIXTURES / f"release-{__version__}.sqlite" in RELEASE_FIXTURES


@pytest.mark.parametrize("fixture", RELEASE_FIXTURES, ids=lambda path: path.stem)
def test_release_database_opens_in_this_release(fixture, tmp_path):
    """Every database shipped by an earlier release opens (upgraded if need be) and reads back."""
    shipped = _sha256(fixture)
    copy = Path(shutil.copy(fixture, tmp_path / fixture.name))
    db = open_database(copy)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.transaction() as session:
            ward = profile_service.require_profile(session)
            rows = unit_service.list_units(session, ward.id)
            details = unit_service.get_unit(session, rows[0].id)
    finally:
        db.close()
    assert ward.name == "Minh Xuân"
    assert ward.ward_title == "phường Minh Xuân"
    assert ward.province_title == "tỉnh Tuyên Quang"
    assert ward.police_unit_name == "Công an phường Minh Xuân"
    assert len(rows) == 68
    assert details.name == rows[0].name
    assert _sha256(fixture) == shipped, "the fixture itself is only ever copied, never opened in place"


# ---- files the program must refuse, untouched ---------------------------------------------------


@pytest.mark.parametrize("journal_mode", ["wal", "delete"])
def test_database_from_newer_release_is_refused_and_left_unchanged(empty_db_path, journal_mode):
    """A file stamped with a revision this release does not know is refused, byte for byte intact."""
    raw = _raw(empty_db_path)
    raw.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    raw.execute(f"PRAGMA journal_mode = {journal_mode}")
    raw.close()
    before = _sha256(empty_db_path)

    with pytest.raises(UserError, match="phiên bản"):
        open_database(empty_db_path)

    assert _sha256(empty_db_path) == before
    assert not (empty_db_path.parent / "backups").exists()


def _foreign_sqlite_file(path: Path) -> Path:
    raw = _raw(path)
    raw.execute("CREATE TABLE contacts (id INTEGER PRIMARY KEY, name TEXT)")
    raw.execute("INSERT INTO contacts (name) VALUES ('Nguyễn Văn A')")
    raw.close()
    return path


def test_foreign_sqlite_file_is_refused(tmp_path):
    path = _foreign_sqlite_file(tmp_path / "other-program.sqlite")
    with pytest.raises(UserError, match="không phải là tệp dữ liệu của ANTQ Desktop"):
        open_database(path)
    raw = _raw(path)
    try:
        tables = {name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        raw.close()
    assert tables == {"contacts"}, "no alembic_version or other table may be added to a foreign file"


def test_foreign_sqlite_file_is_left_byte_for_byte_unchanged(tmp_path):
    """The refusal message promises "tệp chưa bị thay đổi gì": not even its journal mode may change."""
    path = _foreign_sqlite_file(tmp_path / "other-program.sqlite")
    before = _sha256(path)
    with pytest.raises(UserError):
        open_database(path)
    assert _sha256(path) == before


@pytest.mark.parametrize(
    "content",
    [b"not a database\n" * 200, bytes(range(256)) * 32],
    ids=["text", "random-bytes"],
)
def test_file_that_is_not_a_database_gives_user_error(tmp_path, content):
    path = tmp_path / "notes.sqlite"
    path.write_bytes(content)
    with pytest.raises(UserError) as caught:
        open_database(path)
    assert caught.value.message == NOT_A_DATABASE_MESSAGE
    assert path.read_bytes() == content


def test_missing_folder_gives_user_error(tmp_path):
    with pytest.raises(UserError, match="không tồn tại"):
        open_database(tmp_path / "no-such-folder" / "ward.sqlite")


# ---- backups ---------------------------------------------------------------------------------


def _all_rows(path: Path) -> dict[str, list[tuple]]:
    raw = _raw(path)
    try:
        return {
            table: raw.execute(f"SELECT * FROM {table} ORDER BY id").fetchall() for table in ("ward", "unit")
        }
    finally:
        raw.close()


def test_backup_copies_a_live_database_including_uncheckpointed_changes(demo_db, demo_db_path, tmp_path):
    """SQLite's backup API copies what is still in the -wal file, while the program holds the file open."""
    with demo_db.transaction() as session:
        ward = profile_service.require_profile(session)
        unit_service.add_unit(
            session, ward.id, unit_service.UnitInput(kind=unit_service.UnitKind.KDC, name="Tổ dân phố 21"), "t"
        )
    with demo_db.engine.connect():  # keep a connection open: no checkpoint on close
        destination = tmp_path / "backups" / "copy.sqlite"
        returned = backup_sqlite_file(demo_db_path, destination)
        assert returned == destination
        original = _all_rows(demo_db_path)

    copied = _all_rows(destination)
    assert copied == original
    assert len(copied["unit"]) == 69
    assert any(row[4] == "Tổ dân phố 21" for row in copied["unit"])


def test_backup_opens_as_a_database_of_this_program(demo_db, demo_db_path, tmp_path):
    copy = backup_sqlite_file(demo_db_path, tmp_path / "copy.sqlite")
    db = open_database(copy)
    try:
        with db.transaction() as session:
            assert session.scalar(select(func.count(Unit.id))) == 68
    finally:
        db.close()


def test_up_to_date_database_is_not_backed_up(demo_db, demo_db_path):
    assert upgrade_schema(demo_db.engine, demo_db.url) is None
    assert not (demo_db_path.parent / "backups").exists()


@pytest.mark.parametrize("fixture", [f for f in RELEASE_FIXTURES if f.stem >= "release-0.2.0"],
                         ids=lambda path: path.stem)
def test_release_database_keeps_its_decided_antt_year(fixture, tmp_path):
    """From 0.2.0 the fixtures hold a decided 2026: it must still read and print as decided."""
    from antq_desktop.services import antt_decision, stats

    db = open_database(Path(shutil.copy(fixture, tmp_path / fixture.name)))
    try:
        with db.transaction() as session:
            (decision,) = antt_decision.year_decisions(session, 1, 2026)
            figures = stats.antt_stats(session, 1, 2026)
            document = antt_decision.recognition_document(session, decision.id)
    finally:
        db.close()
    assert decision.issued and decision.number == "125"
    assert figures.total.recognized == len(document.units) == 12
    assert figures.total.registered == 54


@pytest.mark.parametrize("fixture", [f for f in RELEASE_FIXTURES if f.stem >= "release-0.3.0"],
                         ids=lambda path: path.stem)
def test_release_database_keeps_its_classified_year(fixture, tmp_path):
    """From 0.3.0 the fixtures hold a classified 2025 with an issued decision, ratings, the
    exemplary checklist and a year of field work: they must still read as stored."""
    from antq_desktop.domain.forces import ForceLevel
    from antq_desktop.services import (
        classification,
        classification_decision,
        exemplary,
        forces,
        stats,
    )

    db = open_database(Path(shutil.copy(fixture, tmp_path / fixture.name)))
    try:
        with db.transaction() as session:
            (decision,) = classification_decision.year_decisions(session, 1, 2025)
            figures = classification.classification_stats(session, 1, 2025)
            first = classification.year_grid(session, 1, 2025, "kdc").rows[0]
            ratings = {row.unit_id: row.level for row in forces.force_ratings(session, 1, 2025)}
            (criterion,) = exemplary.year_checklist(session, 1, 2025)
            field_work = stats.field_work_stats(session, 1, 2025)
    finally:
        db.close()
    assert decision.issued and decision.number == "140" and len(decision.units) == figures.total.units == 54
    assert first.level_override == "trung_binh" and first.override_reason == "Theo kết luận họp xét"
    assert ratings[first.unit_id] is ForceLevel.HOAN_THANH_TOT
    assert criterion.status.value == "dat"
    assert field_work["inspections"]["kdc_inspected"] == 17 and field_work["forces"]["members"] == 101
    assert field_work["activities"]["activities"] == 40 and field_work["awards"]["total"] == 5



@pytest.mark.parametrize("fixture", [f for f in RELEASE_FIXTURES if f.stem >= "release-0.4.0"],
                         ids=lambda path: path.stem)
def test_release_database_keeps_its_plan(fixture, tmp_path):
    """From 0.4.0 the fixtures hold the 2026–2030 plan's targets with a figure typed by hand and a
    target the ward added, the 2026 task table and budget (a line added by hand) and a saved report."""
    from antq_desktop.services import budget, targets, tasks, year_report

    db = open_database(Path(shutil.copy(fixture, tmp_path / fixture.name)))
    try:
        with db.transaction() as session:
            rows = {row.name: row for row in targets.year_targets(session, 1, 2026)}
            estimate = budget.year_budget(session, 1, 2026)
            task_count = len(tasks.year_tasks(session, 1, 2026))
            report = year_report.get_report(session, 1, 2026, year_report.YEAR)
            plan_years = [year for year in range(2026, 2031) if targets.has_plan(session, 1, year)]
    finally:
        db.close()
    assert plan_years == [2026, 2027, 2028, 2029, 2030]
    assert rows["Quần chúng Nhân dân được tuyên truyền, phổ biến"].actual == 92
    assert rows["Hộ gia đình ký cam kết an toàn về an ninh, trật tự"].actual == 97
    assert estimate.total == 51_000_000 and estimate.line_count == 12
    assert task_count == 15
    sections = {section.code: section for section in report.sections}
    assert report.number == "45" and sections["quan_chung"].written
    assert sections["quan_chung"].text == "Quần chúng cung cấp 37 tin báo."



@pytest.mark.parametrize("fixture", [f for f in RELEASE_FIXTURES if f.stem >= "release-0.5.0"],
                         ids=lambda path: path.stem)
def test_release_database_keeps_its_accounts_and_trail(fixture, tmp_path):
    """From 0.5.0 the fixtures hold accounts (one viewer locked by failed sign-ins) and the audit
    trail: the passwords still verify, the lock still holds, and a viewer still cannot write."""
    from datetime import datetime

    from antq_desktop import identity
    from antq_desktop.domain.roles import Role
    from antq_desktop.errors import UserError
    from antq_desktop.services import accounts, audit, profile, settings

    db = open_database(Path(shutil.copy(fixture, tmp_path / fixture.name)))
    try:
        with db.transaction() as session:
            roles = {user.username: user.role for user in accounts.list_users(session)}
            changes = audit.find_entries(session, audit.AuditQuery(actor="quantri"))
        assert roles == {"lanhdao": Role.CHI_XEM, "quantri": Role.QUAN_TRI, "tuan.nv": Role.CAN_BO}
        assert any("Hoàng Văn Chủ" in str(entry.after) for entry in changes)
        with pytest.raises(UserError, match="khoá"), db.transaction() as session:
            accounts.sign_in(session, "lanhdao", "lanh-dao-2026", now=datetime(2026, 12, 1, 8, 1))
        accounts.sign_in_and_remember(db, "tuan.nv", "can-bo-2026")
        with pytest.raises(UserError, match="quản trị"), db.transaction() as session:  # settings are the admin's
            settings.set_setting(session, 1, "plan.deadlines", [], "tuan.nv")
        with db.transaction() as session:
            assert profile.require_profile(session).chairman_name == "Hoàng Văn Chủ"
    finally:
        identity.sign_out()
        db.close()


def test_upgrading_an_older_release_backs_it_up_first(tmp_path):
    """Release 0.1.0's file is at revision 0001: opening it upgrades it, and a copy of the file
    as it was (still at 0001, every unit in it) is kept in backups/ beside it."""
    fixture = FIXTURES / "release-0.1.0.sqlite"
    copy = Path(shutil.copy(fixture, tmp_path / fixture.name))
    open_database(copy).close()
    (backup,) = (tmp_path / "backups").glob("release-0.1.0-truoc-nang-cap-0001-*.sqlite")
    raw = _raw(backup)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
        assert raw.execute("SELECT count(*) FROM unit").fetchone() == (68,)
        assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        raw.close()
    open_database(copy).close()  # now at head: no second backup
    assert len(list((tmp_path / "backups").iterdir())) == 1


# ---- connection settings and transactions ------------------------------------------------------


@pytest.mark.sqlite_only
def test_sqlite_pragmas_on_every_connection(empty_db):
    with empty_db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000


def test_foreign_keys_are_enforced(empty_db):
    from sqlalchemy.exc import IntegrityError

    # every other column is filled, so the only fault is ward 999, which does not exist
    with pytest.raises(IntegrityError, match="(?i)foreign key"):
        with empty_db.engine.begin() as connection:
            connection.exec_driver_sql(
                "INSERT INTO unit (ward_id, kind, category, name, address, head_name, head_title, head_phone,"
                " is_armed_forces, is_small_or_micro, has_party_org, protection_force, managing_authority,"
                " notes, status, status_reason, name_key, search_text, name_sort, category_sort, address_sort,"
                " head_sort, uid, created_at, created_by, updated_at, updated_by, version)"
                " VALUES (999, 'kdc', '', 'x', '', '', '', '', FALSE, FALSE, FALSE, '', '', '', 'active', '', 'x', 'x',"
                " 'x', '', '', '', 'f00d', '2026-01-01', 't', '2026-01-01', 't', 1)"
            )


def test_failed_ddl_leaves_no_half_schema(empty_db):
    """CREATE TABLE inside a transaction that fails is rolled back (pysqlite alone would commit it)."""
    with pytest.raises(RuntimeError):
        with empty_db.engine.begin() as connection:
            connection.exec_driver_sql("CREATE TABLE half_done (x INTEGER)")
            connection.exec_driver_sql("ALTER TABLE ward ADD COLUMN half_column TEXT")
            raise RuntimeError("the migration failed half way")
    assert "half_done" not in _user_tables(empty_db.engine)
    assert "half_column" not in {column["name"] for column in inspect(empty_db.engine).get_columns("ward")}


def test_failed_migration_step_rolls_back_its_earlier_ddl(empty_db):
    """The same through Alembic's own machinery: a downgrade that fails half way changes nothing."""
    with pytest.raises(RuntimeError):
        with empty_db.engine.begin() as connection:
            command.downgrade(_alembic_config(connection), "base")
            raise RuntimeError("the step after the downgrade failed")
    assert {"ward", "unit"} <= _user_tables(empty_db.engine)
    assert current_revision(empty_db.engine) == head_revision()


def test_write_to_a_locked_database_gives_user_error_and_changes_nothing(demo_db_path, monkeypatch):
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 100)
    db = open_database(demo_db_path)
    holder = _raw(demo_db_path)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another program holds the write lock
        started = time.monotonic()
        with pytest.raises(UserError) as caught:
            with db.transaction() as session:
                profile_service.set_profile_field(session, "chairman_name", "Người Khác", "tester")
        waited = time.monotonic() - started
        assert "đang bận" in caught.value.message
        assert caught.value.message == LOCKED_MESSAGE
        assert waited < 3, "the busy timeout set on the engine must apply"
        holder.execute("ROLLBACK")

        with db.transaction() as session:
            assert profile_service.require_profile(session).chairman_name == "Hoàng Văn Thắng"
        # and once the lock is gone, the same write goes through
        with db.transaction() as session:
            profile_service.set_profile_field(session, "chairman_name", "Người Khác", "tester")
        with db.transaction() as session:
            assert profile_service.require_profile(session).chairman_name == "Người Khác"
    finally:
        holder.close()
        db.close()


def test_closing_the_database_leaves_one_self_contained_file(demo_db_path):
    db = open_database(demo_db_path)
    with db.transaction() as session:
        profile_service.set_profile_field(session, "chairman_name", "Lê Văn Tám", "tester")
    db.close()
    assert not os.path.exists(f"{demo_db_path}-wal") or os.path.getsize(f"{demo_db_path}-wal") == 0


def test_revision_files_form_the_straight_line_the_engine_reads_without_alembic():
    """engine.known_revisions() reads file names (to keep Alembic out of start-up): Alembic must agree."""
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from antq_desktop.db.engine import MIGRATIONS_DIR, known_revisions

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    script = ScriptDirectory.from_config(config)
    in_order = [revision.revision for revision in reversed(list(script.walk_revisions()))]
    assert in_order == known_revisions()
    assert script.get_heads() == [head_revision()]
    for older, newer in zip(in_order, in_order[1:]):
        assert script.get_revision(newer).down_revision == older


@pytest.mark.parametrize("fixture", RELEASE_FIXTURES, ids=lambda path: path.stem)
def test_upgraded_records_each_get_a_uid_of_their_own(fixture, tmp_path):
    """Revision 0008 gives every portable record a uid (a data package matches rows by it): after
    the upgrade of any release's file, no row is left without one and no two rows share one."""
    db = open_database(Path(shutil.copy(fixture, tmp_path / fixture.name)))
    try:
        with db.reading() as session:
            for table in Base.metadata.sorted_tables:
                if "uid" not in table.c:
                    continue
                uids = session.scalars(select(table.c.uid)).all()
                assert all(len(uid) == 32 and int(uid, 16) >= 0 for uid in uids), table.name
                assert len(set(uids)) == len(uids), table.name
        if fixture.stem >= "release-0.5.0":  # files with accounts: written by the fixture's administrator
            from antq_desktop.services import accounts

            accounts.sign_in_and_remember(db, "quantri", "quan-tri-2026")
        with db.transaction() as session:  # a record made after the upgrade gets its uid from the model
            typed = unit_service.UnitInput(kind=unit_service.UnitKind.KDC, name="Tổ dân phố mới")
            unit_id = unit_service.add_unit(session, 1, typed, "kiểm thử")
            assert len(session.get(Unit, unit_id).uid) == 32
    finally:
        db.close()


@pytest.mark.parametrize("fixture", [f for f in RELEASE_FIXTURES if f.stem >= "release-0.6.0"],
                         ids=lambda path: path.stem)
def test_release_database_keeps_its_second_ward(fixture, tmp_path):
    """From 0.6.0 the fixtures hold a second ward imported from a package (a province's file):
    the home ward is still the first, and the copy's figures are the original's."""
    from datetime import date

    from antq_desktop.services import province, stats

    db = open_database(Path(shutil.copy(fixture, tmp_path / fixture.name)))
    try:
        with db.reading() as session:
            assert profile_service.require_profile(session).name == "Minh Xuân"
            wards = province.wards(session)
            assert [ward.name for ward in wards][:1] == ["Minh Xuân"] and len(wards) == 2
            home, copy = (stats.year_stats(session, ward.id, 2025, date(2026, 12, 1)).as_dict() for ward in wards)
        assert home == copy
    finally:
        db.close()
