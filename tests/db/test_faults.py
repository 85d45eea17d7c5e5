"""Faults of the environment, provoked for real on real files: each gives its plain Vietnamese
message through the real services, never a crash, and leaves the file as it was.

Already covered in test_migrations.py (not repeated here): a file of a newer release, a file of
another program, a file that is not a database at all, a missing folder, a write while another
program holds the write lock.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event

from antq_desktop.db import engine as engine_module
from antq_desktop.db import errors as db_errors
from antq_desktop.db.engine import current_revision, head_revision, open_database
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FAULTS = dict(db_errors._ENVIRONMENT_FAULTS)
LOCKED = FAULTS["database is locked"]
DISK_FULL = FAULTS["disk is full"]
DAMAGED = db_errors.DAMAGED_MESSAGE


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _listing(folder: Path) -> dict[str, str]:
    return {path.name: _sha256(path) for path in folder.iterdir() if path.is_file()}


def _dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, and the schema: what "nothing changed" means for the data."""
    raw = sqlite3.connect(path)
    try:
        tables = [name for (name,) in raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        dump = {table: sorted(raw.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr) for table in tables}
        dump["sqlite_master"] = raw.execute("SELECT type, name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        return dump
    finally:
        raw.close()


def _integrity(path: Path) -> str:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        raw.close()


def _add_unit(db, name: str = "Tổ dân phố 99") -> None:
    with db.transaction() as session:
        ward = profile_service.require_profile(session)
        unit_service.add_unit(session, ward.id, unit_service.UnitInput(kind=UnitKind.KDC, name=name), "thử")


def _open_and_write(path: Path) -> None:
    """What the program does first: open the file, read the ward, save a new unit."""
    db = open_database(path)
    try:
        with db.transaction() as session:
            ward = profile_service.require_profile(session)
            unit_service.list_units(session, ward.id)
        _add_unit(db)
    finally:
        db.close()


def _unit_count(path: Path) -> int:
    raw = sqlite3.connect(path)
    try:
        return raw.execute("SELECT count(*) FROM unit").fetchone()[0]
    finally:
        raw.close()


@contextmanager
def _read_only(path: Path):
    """Make a file or folder read-only as a user meets it: through its permissions for a normal
    user; root writes through permissions, so for root through the immutable attribute."""
    if os.name == "nt":
        if path.is_dir():
            pytest.skip("Windows has no read-only attribute for folders")
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o666)
        return
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(mode & ~0o222)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    try:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        pytest.skip("running as root without chattr: nothing here is read-only for root")
    if done.returncode != 0:
        pytest.skip(f"running as root on a file system without the immutable attribute: {done.stderr}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


# ---- locked by another program ------------------------------------------------------------------


def test_opening_a_file_another_program_holds_exclusively_gives_user_error(demo_db_path, monkeypatch):
    """Another program keeps the file for itself (exclusive locking mode, in a write): the open
    waits the busy timeout, then says the file is busy; the file is untouched and opens later."""
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 150)
    before = _sha256(demo_db_path)
    holder = sqlite3.connect(demo_db_path, isolation_level=None)
    try:
        holder.execute("PRAGMA locking_mode = EXCLUSIVE")
        holder.execute("BEGIN EXCLUSIVE")
        holder.execute("UPDATE ward SET chairman_name = 'Người Khác'")
        started = time.monotonic()
        with pytest.raises(UserError) as caught:
            _open_and_write(demo_db_path)
        assert caught.value.message == LOCKED
        assert time.monotonic() - started < 3, "the open must give up after the busy timeout"
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert _sha256(demo_db_path) == before
    _open_and_write(demo_db_path)
    assert _unit_count(demo_db_path) == 69


def test_upgrade_while_another_program_writes_gives_user_error_and_changes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(engine_module, "BUSY_TIMEOUT_MS", 150)
    path = Path(shutil.copy(FIXTURES / "release-0.3.0.sqlite", tmp_path / "ward.sqlite"))
    before = _dump(path)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # a write under way: the upgrade cannot take the write lock
        with pytest.raises(UserError) as caught:
            open_database(path)
        holder.execute("ROLLBACK")
    finally:
        holder.close()
    assert caught.value.message.startswith("Chưa nâng cấp được tệp dữ liệu lên phiên bản mới. " + LOCKED)
    assert "vẫn giữ nguyên như trước khi nâng cấp" in caught.value.message
    assert _dump(path) == before
    open_database(path).close()  # once the other program is done, the upgrade goes through
    assert _dump(path) != before


# ---- read-only file or folder -------------------------------------------------------------------


def test_read_only_file_is_refused_before_anything_is_written(demo_db_path):
    folder = demo_db_path.parent
    with _read_only(demo_db_path):
        before = _listing(folder)
        with pytest.raises(UserError) as caught:
            _open_and_write(demo_db_path)
        assert caught.value.message == db_errors.read_only_file(demo_db_path).message
        assert "Read-only" in caught.value.message and "chưa bị thay đổi" in caught.value.message
        assert _listing(folder) == before, "not even a -wal or -shm file may appear"
    _open_and_write(demo_db_path)  # writable again: it works as before


def test_read_only_folder_is_refused_with_a_word_on_the_wal_files(demo_db_path, tmp_path):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    path = Path(shutil.move(demo_db_path, folder / "ward.sqlite"))
    with _read_only(folder):
        before = _listing(folder)
        with pytest.raises(UserError) as caught:
            _open_and_write(path)
        assert caught.value.message == db_errors.read_only_folder(folder).message
        assert "-wal" in caught.value.message and "-shm" in caught.value.message
        assert _listing(folder) == before
    _open_and_write(path)
    assert _unit_count(path) == 69


def test_new_database_in_a_read_only_folder_is_refused_and_nothing_is_created(tmp_path):
    folder = tmp_path / "chi-doc"
    folder.mkdir()
    with _read_only(folder):
        with pytest.raises(UserError) as caught:
            open_database(folder / "moi.sqlite")
        assert caught.value.message == db_errors.read_only_folder(folder).message
        assert list(folder.iterdir()) == []


# ---- a full disk --------------------------------------------------------------------------------


def _limit_pages(db, extra_pages: int) -> None:
    """SQLite's own full disk (SQLITE_FULL) on every connection of the engine: the file may grow
    by ``extra_pages`` pages at most."""
    with db.engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    db.engine.dispose()

    @event.listens_for(db.engine, "connect")
    def _limit(dbapi_connection, _record):
        dbapi_connection.execute(f"PRAGMA max_page_count = {pages + extra_pages}")


def test_full_disk_during_a_write_gives_user_error_and_loses_nothing(demo_db_path):
    many = [unit_service.UnitInput(kind=UnitKind.KDC, name=f"Tổ dân phố {n}", address="Đường Minh Xuân " * 20)
            for n in range(100, 2100)]
    db = open_database(demo_db_path)
    try:
        _add_unit(db, "Tổ dân phố đã lưu")
        _limit_pages(db, 3)
        with pytest.raises(UserError) as caught:
            with db.transaction() as session:
                unit_service.insert_units(session, profile_service.require_profile(session).id, many, "thử")
        assert caught.value.message == DISK_FULL
        with db.transaction() as session:  # what was saved before is there; the failed write is not
            names = [row.name for row in unit_service.list_units(session, 1)]
            assert len(names) == 69 and "Tổ dân phố đã lưu" in names
            profile_service.set_profile_field(session, "chairman_name", "Lê Văn Tám", "thử")  # no new page
    finally:
        db.close()
    assert _integrity(demo_db_path) == "ok"
    assert _unit_count(demo_db_path) == 69


def test_almost_full_disk_is_refused_at_open(demo_db_path, monkeypatch):
    """Below 1 MB free, SQLite would fail half-way through creating its -shm file, with a
    misleading "disk I/O error": the open says the disk is full instead, before writing."""
    real = shutil.disk_usage

    def nearly_full(path):
        usage = real(path)
        return usage._replace(free=engine_module.MIN_FREE_BYTES - 1)

    monkeypatch.setattr(engine_module.shutil, "disk_usage", nearly_full)
    before = _listing(demo_db_path.parent)
    with pytest.raises(UserError) as caught:
        _open_and_write(demo_db_path)
    assert caught.value.message == DISK_FULL
    assert _listing(demo_db_path.parent) == before


@pytest.fixture
def small_disk(tmp_path):
    """A real 2 MB disk (tmpfs) where the system lets us mount one (root on Linux)."""
    mount_point = tmp_path / "usb"
    mount_point.mkdir()
    if os.name == "nt" or os.geteuid() != 0:
        pytest.skip("mounting a small disk needs root on Linux")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount_point)],
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"this system does not let us mount a tmpfs: {done.stderr.strip()}")
    yield mount_point
    subprocess.run(["umount", str(mount_point)], check=True)


def _fill(folder: Path, leave: int) -> None:
    handle = os.open(folder / "filler", os.O_WRONLY | os.O_CREAT)
    try:
        while True:
            os.write(handle, b"\0" * 4096)
    except OSError:
        pass
    finally:
        os.close(handle)
    os.truncate(folder / "filler", max(0, (folder / "filler").stat().st_size - leave))


def test_a_really_full_disk(small_disk, demo_template, monkeypatch):
    """The same on a real disk that fills up while the program writes: the message, the data."""
    monkeypatch.setattr(engine_module, "MIN_FREE_BYTES", 0)  # let it open, to meet the full disk in a write
    path = Path(shutil.copy(demo_template, small_disk / "ward.sqlite"))
    _fill(small_disk, leave=40_000)
    db = open_database(path)
    try:
        with pytest.raises(UserError) as caught:
            for batch in range(50):
                with db.transaction() as session:
                    unit_service.insert_units(session, 1, [
                        unit_service.UnitInput(kind=UnitKind.KDC, name=f"Tổ {batch}-{n}", address="x" * 200)
                        for n in range(200)], "thử")
        assert caught.value.message == DISK_FULL
    finally:
        db.close()
    (small_disk / "filler").unlink()
    assert _integrity(path) == "ok"
    assert _unit_count(path) == 68  # every batch failed whole: the first did not fit


# ---- damaged files ------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(6))
def test_random_bytes_in_the_middle_are_refused_untouched(demo_db_path, seed):
    """A block of 4 KB of random bytes somewhere in the middle (a bad sector, a torn copy):
    SQLite's quick_check at open finds it; nothing is written."""
    chooser = random.Random(seed)
    data = bytearray(demo_db_path.read_bytes())
    start = chooser.randrange(len(data) // 4, 3 * len(data) // 4)
    data[start:start + 4096] = chooser.randbytes(4096)
    demo_db_path.write_bytes(bytes(data))
    before = _listing(demo_db_path.parent)
    with pytest.raises(UserError) as caught:
        _open_and_write(demo_db_path)
    assert caught.value.message == DAMAGED
    assert _listing(demo_db_path.parent) == before


def test_damaged_text_inside_a_record_gives_the_damaged_message(demo_db_path):
    """Damage quick_check cannot see (a letter of a unit's name no longer UTF-8) still says
    "damaged" when the page reads it, not the crash dialog."""
    data = demo_db_path.read_bytes()
    name = "Trường THCS Minh Xuân".encode()
    at = data.index(name)
    letter = at + len("Trường THCS Minh Xu".encode())  # the "â"
    demo_db_path.write_bytes(data[:letter] + b"\xff\xfe" + data[letter + 2:])
    db = open_database(demo_db_path)
    try:
        with pytest.raises(UserError) as caught:
            with db.transaction() as session:
                unit_service.list_units(session, 1)
        assert caught.value.message == DAMAGED
    finally:
        db.close()


@pytest.mark.parametrize("keep", [50, 4096 + 100, 0.5, 0.9], ids=["header", "first-page", "half", "most"])
def test_truncated_file_is_refused_untouched(demo_db_path, keep):
    data = demo_db_path.read_bytes()
    size = keep if isinstance(keep, int) else int(len(data) * keep)
    demo_db_path.write_bytes(data[:size])
    before = _listing(demo_db_path.parent)
    with pytest.raises(UserError) as caught:
        _open_and_write(demo_db_path)
    assert caught.value.message in (DAMAGED, FAULTS["file is not a database"])
    assert _listing(demo_db_path.parent) == before


def test_empty_file_is_refused_not_filled(tmp_path):
    """A 0-byte file (a copy that never finished) is not taken for a new database: the user
    would see an empty ward and think the records lost."""
    path = tmp_path / "ward.sqlite"
    path.write_bytes(b"")
    with pytest.raises(UserError) as caught:
        _open_and_write(path)
    assert caught.value.message == db_errors.empty_file(path).message
    assert path.read_bytes() == b""
    assert [p.name for p in tmp_path.iterdir() if p.name != "data"] == ["ward.sqlite"]


def test_new_database_is_created_where_none_was(tmp_path):
    path = tmp_path / "moi.sqlite"
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
    finally:
        db.close()
    assert not any(p.name.startswith(".antq-") for p in tmp_path.iterdir()), "the folder probe is removed"


# ---- a failed migration -------------------------------------------------------------------------


@pytest.fixture
def broken_migrations(tmp_path, monkeypatch):
    """The program's migrations with the last revision made to fail after it created its tables
    (``then`` is Python run between the two, inside the revision's upgrade())."""

    def install(then: str = "") -> None:
        folder = tmp_path / "migrations"
        shutil.copytree(engine_module.MIGRATIONS_DIR, folder, ignore=shutil.ignore_patterns("__pycache__"))
        last = max((folder / "versions").glob("[0-9][0-9][0-9][0-9]_*.py"))
        last.write_text(last.read_text() + (
            "\n\n_real_upgrade = upgrade\n\n\ndef upgrade() -> None:\n    _real_upgrade()\n"
            f"    {then or 'pass'}\n    raise RuntimeError('the revision failed half way')\n"))
        monkeypatch.setattr(engine_module, "MIGRATIONS_DIR", folder)
        monkeypatch.setattr(engine_module, "VERSIONS_DIR", folder / "versions")

    return install


def _release_copy(tmp_path: Path, journal_mode: str | None = None) -> Path:
    path = Path(shutil.copy(FIXTURES / "release-0.3.0.sqlite", tmp_path / "ward.sqlite"))
    if journal_mode:  # the fixture is stored in DELETE mode; the program's own files are in WAL mode
        raw = sqlite3.connect(path)
        raw.execute(f"PRAGMA journal_mode = {journal_mode}")
        raw.close()
    return path


def _backups(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "backups").glob("ward-truoc-nang-cap-0005-*.sqlite"))


def _assert_failed_upgrade_message(message: str, backup: Path) -> None:
    assert message.startswith("Chưa nâng cấp được tệp dữ liệu lên phiên bản mới vì chương trình gặp lỗi")
    assert "vẫn giữ nguyên như trước khi nâng cấp, không mất gì" in message
    assert str(backup) in message and "antq.log" in message


def test_failed_migration_leaves_a_program_file_byte_for_byte_as_it_was(tmp_path, broken_migrations):
    """The upgrade runs in one transaction: the tables the failing revision created, the
    revisions before it, the version stamp are all rolled back; the WAL file is never
    checkpointed into the file, so it is the same file, byte for byte; the backup is kept."""
    broken_migrations()
    path = _release_copy(tmp_path, "wal")
    before, dump = _sha256(path), _dump(path)
    with pytest.raises(UserError) as caught:
        open_database(path)
    (backup,) = _backups(tmp_path)
    _assert_failed_upgrade_message(caught.value.message, backup)
    assert _sha256(path) == before
    assert _dump(backup) == dump and _integrity(backup) == "ok"


def test_failed_migration_of_a_release_fixture_keeps_every_row(tmp_path, broken_migrations):
    """The shipped file (DELETE journal): only the journal-mode byte of its header may differ."""
    broken_migrations()
    path = _release_copy(tmp_path)
    original, dump = path.read_bytes(), _dump(path)
    with pytest.raises(UserError):
        open_database(path)
    assert _dump(path) == dump and _integrity(path) == "ok"
    changed = [i for i, (a, b) in enumerate(zip(original, path.read_bytes(), strict=True)) if a != b]
    assert set(changed) <= {18, 19, 24, 25, 26, 27, 92, 93, 94, 95}, "journal mode and change counters only"


def test_revision_that_committed_half_its_work_is_undone_from_the_backup(tmp_path, broken_migrations):
    """A revision that commits on its own (here: an explicit COMMIT) defeats the transaction:
    the schema after the failure differs from before, so the file is restored from the backup."""
    broken_migrations("op.get_bind().exec_driver_sql('COMMIT')")
    path = _release_copy(tmp_path, "wal")
    dump = _dump(path)
    with pytest.raises(UserError) as caught:
        open_database(path)
    (backup,) = _backups(tmp_path)
    _assert_failed_upgrade_message(caught.value.message, backup)
    assert _dump(path) == dump and _integrity(path) == "ok"
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("SELECT version_num FROM alembic_version").fetchall() == [("0005",)]
    finally:
        raw.close()


def test_failed_migration_then_a_fixed_release_upgrades_the_file(tmp_path, broken_migrations, monkeypatch):
    broken_migrations()
    path = _release_copy(tmp_path, "wal")
    with pytest.raises(UserError):
        open_database(path)
    monkeypatch.undo()  # the fixed release
    db = open_database(path)
    try:
        assert current_revision(db.engine) == head_revision()
        with db.transaction() as session:
            assert len(unit_service.list_units(session, 1)) == 68
    finally:
        db.close()


def test_no_room_for_the_backup_means_no_upgrade(tmp_path):
    """The copy before the upgrade cannot be made (here "backups" is a file, not a folder):
    the upgrade does not start, the file is untouched, nothing half-written is left."""
    path = _release_copy(tmp_path, "wal")
    (tmp_path / "backups").write_text("not a folder")
    before = _sha256(path)
    with pytest.raises(UserError) as caught:
        open_database(path)
    assert caught.value.message.startswith("Chưa nâng cấp tệp dữ liệu lên phiên bản mới vì không tạo được bản sao lưu")
    assert "Tệp dữ liệu chưa bị thay đổi gì." in caught.value.message
    assert _sha256(path) == before


def test_full_disk_during_the_upgrade_says_so_and_changes_nothing(tmp_path, monkeypatch):
    path = _release_copy(tmp_path, "wal")
    before = _sha256(path)
    real_make_engine = engine_module.make_engine

    def cramped_engine(url):
        engine = real_make_engine(url)
        pages = os.path.getsize(path) // 4096

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection, _record):
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 2}")

        return engine

    monkeypatch.setattr(engine_module, "make_engine", cramped_engine)
    with pytest.raises(UserError) as caught:
        open_database(path)
    assert caught.value.message.startswith("Chưa nâng cấp được tệp dữ liệu lên phiên bản mới. " + DISK_FULL)
    assert _sha256(path) == before
