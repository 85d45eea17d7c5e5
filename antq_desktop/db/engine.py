"""Open a database, bring its schema up to date, and hand out one transaction per user action.

``--db`` takes a file path or any SQLAlchemy URL; without it the program uses a SQLite file in
the user data folder. A SQLite file is opened with foreign keys on, a WAL journal and a busy
timeout. Before an existing file is migrated, a copy is taken with SQLite's backup API; a
database made by a newer release is refused rather than damaged.
"""

from __future__ import annotations

import errno
import logging
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from antq_desktop import paths
from antq_desktop.db import audit, guard
from antq_desktop.db import errors as db_errors
from antq_desktop.db.errors import environment_fault
from antq_desktop.errors import UserError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
BUSY_TIMEOUT_MS = 5000
CONNECT_TIMEOUT_S = 10  # a PostgreSQL server
MIN_FREE_BYTES = 1 << 20  # below this a SQLite file is not opened: "the disk is full"
T = TypeVar("T")
log = logging.getLogger(__name__)


def database_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL from what the user gave: nothing, a file path, or a URL."""
    if target is None or str(target).strip() == "":
        target = paths.default_db_path()
    text = str(target).strip()
    if "://" in text:
        return _with_our_driver(text)
    return f"sqlite:///{Path(text).expanduser().resolve()}"


def _with_our_driver(text: str) -> str:
    """``postgresql://`` and ``postgres://`` (what PostgreSQL's own tools write) mean psycopg 3,
    the driver the program ships; SQLAlchemy would look for psycopg2."""
    scheme, rest = text.split("://", 1)
    if scheme.lower() in ("postgres", "postgresql"):
        return f"postgresql+psycopg://{rest}"
    return text


def _check_driver(url: str) -> None:
    """A URL the program cannot work with is refused plainly before anything else: one it cannot
    read, a kind of database it has no driver for (MySQL, psycopg2…)."""
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    try:
        make_url(url).get_dialect().import_dbapi()
    except (ArgumentError, NoSuchModuleError, ImportError, ValueError) as error:
        log.warning("no driver for %s: %s", url.split("://", 1)[0], error)
        raise db_errors.no_driver(url.split("://", 1)[0]) from None


def _sqlite_file(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def _configure_sqlite(engine: Engine) -> None:
    """Pragmas on every new connection, and real transactions around DDL too.

    Python's sqlite3 module opens transactions itself only before DML, so a failed migration
    would leave half a schema behind. SQLAlchemy's documented recipe takes that job over.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN")


def _connect_args(url: str) -> dict:
    """For a PostgreSQL server: one that does not answer (a PC switched off, a wrong address on
    the LAN) is given up after CONNECT_TIMEOUT_S seconds, not the minutes the network would
    take; the password comes from the program's password file when the URL has none
    (antq_desktop/connection.py). A URL may say otherwise for both."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "postgresql":
        return {}
    arguments = {}
    if "connect_timeout" not in parsed.query:
        arguments["connect_timeout"] = CONNECT_TIMEOUT_S
    passfile = paths.pgpass_file()
    if parsed.password is None and "passfile" not in parsed.query and passfile.is_file():
        arguments["passfile"] = str(passfile)
    return arguments


def make_engine(url: str) -> Engine:
    # A server restarted overnight leaves the pool's connections dead: each is tried before use,
    # so the morning's first action does not fail with "connection lost".
    server = make_url(url).get_backend_name() == "postgresql"
    engine = create_engine(url, connect_args=_connect_args(url), pool_pre_ping=server)
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    return engine


def _alembic_config(connection):
    from alembic.config import (
        Config,  # Alembic costs ~0.3 s to import: only when migrating
    )

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    return config


def known_revisions() -> list[str]:
    """Revision ids in order. House rule: revision "NNNN" lives in "NNNN_<message>.py" and
    revises the one before it, so the history is a line and reading it needs no Alembic
    (a test checks that Alembic sees the same)."""
    return sorted(path.name.split("_", 1)[0] for path in VERSIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py"))


def head_revision() -> str:
    return known_revisions()[-1]


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def _check_known(engine: Engine, revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise UserError(
            "Tệp dữ liệu này được tạo bởi một phiên bản ANTQ Desktop mới hơn phiên bản đang chạy. "
            "Hãy cài phiên bản mới hơn để mở tệp; tệp chưa bị thay đổi gì."
        )
    if revision is None and inspect(engine).get_table_names():
        raise UserError(
            "Tệp này đã có dữ liệu nhưng không phải là tệp dữ liệu của ANTQ Desktop. "
            "Hãy chọn tệp khác; tệp chưa bị thay đổi gì."
        )


def backup_sqlite_file(source: Path, destination: Path) -> Path:
    """A consistent copy of a live SQLite file, taken with SQLite's own backup API."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(destination) as dst:
        src.backup(dst)
    dst.close()
    src.close()
    return destination


def _backup_before_upgrade(db_file: Path, revision: str) -> Path:
    """A copy of the file as it is, in ``backups/`` beside it; a plain refusal (nothing changed,
    no half-written copy left) when the copy cannot be made: a full disk, a read-only folder."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    folder = db_file.parent / "backups"
    target = folder / f"{db_file.stem}-truoc-nang-cap-{revision}-{stamp}{db_file.suffix}"
    try:
        return backup_sqlite_file(db_file, target)
    except (OSError, sqlite3.Error) as error:
        log.warning("no backup before the upgrade of %s: %s", db_file, error)
        try:
            target.unlink(missing_ok=True)
        except OSError:
            pass
        raise db_errors.backup_failed(folder, _why_not_written(error)) from error


def _why_not_written(error: OSError | sqlite3.Error) -> str:
    words = str(error).lower()
    if getattr(error, "errno", None) == errno.ENOSPC or "full" in words:
        return "ổ đĩa đã đầy"
    if "locked" in words:
        return "tệp dữ liệu đang bận"
    if (isinstance(error, PermissionError) or getattr(error, "errno", None) == errno.EROFS
            or "readonly" in words or "unable to open" in words):
        return "thư mục không cho phép ghi"
    return str(error)


def _schema(engine: Engine) -> list[tuple]:
    """Every table, index and trigger of a SQLite database with its SQL: what an upgrade changes."""
    with engine.connect() as connection:
        return [tuple(row) for row in connection.exec_driver_sql(
            "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name")]


def _migrate(engine: Engine) -> None:
    """Every pending revision in one transaction (DDL included, see _configure_sqlite)."""
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")


def upgrade_schema(engine: Engine, url: str) -> Path | None:
    """Run the migrations up to the newest; returns the backup taken first, if any.

    A SQLite file is looked at and backed up through plain connections before ``engine``
    touches it. The revisions run in one transaction, so a failure rolls the whole upgrade
    back; the schema is then compared with what it was before and, should anything of the
    upgrade have stayed (a revision that committed on its own), the file is restored from
    the backup. Either way the open fails with a plain message and the file holds what it
    held before.
    """
    db_file = _sqlite_file(url)
    revision, schema = None, []
    if db_file is None or db_file.exists():
        probe = engine if db_file is None else _probe(url)
        try:
            revision = current_revision(probe)
            _check_known(probe, revision)
            if db_file is not None:
                schema = _schema(probe)
        finally:
            if probe is not engine:
                probe.dispose()
    if revision == head_revision():
        return None
    backup = None
    if revision is not None and db_file is not None:
        backup = _backup_before_upgrade(db_file, revision)
    try:
        _migrate(engine)
    except Exception as exc:
        raise _upgrade_failed(exc, engine, url, revision, schema, backup) from exc
    return backup


def _upgrade_failed(exc: Exception, engine: Engine, url: str, revision: str | None, schema: list[tuple],
                    backup: Path | None) -> UserError:
    """The plain message for a failed upgrade, once the file is known to be as it was."""
    from antq_desktop.logging_setup import log_file

    cause = environment_fault(exc)
    if cause is None:  # a bug of the revision: the log keeps the traceback for the helper
        log.error("the schema upgrade from revision %s failed", revision, exc_info=exc)
    else:
        log.warning("the schema upgrade from revision %s failed: %s", revision, exc)
    engine.dispose()  # let go of the file: it is checked, and restored if need be, through plain connections
    db_file = _sqlite_file(url)
    if db_file is not None and backup is not None:
        probe = _probe(url)
        try:
            unchanged = current_revision(probe) == revision and _schema(probe) == schema
        except Exception:
            log.warning("could not look at %s after the failed upgrade", db_file, exc_info=True)
            unchanged = False
        finally:
            probe.dispose()
        if not unchanged:
            log.error("the failed upgrade left changes in %s: restoring it from %s", db_file, backup)
            try:
                backup_sqlite_file(backup, db_file)
            except (OSError, sqlite3.Error):
                log.exception("could not restore %s from %s", db_file, backup)
                return db_errors.upgrade_not_undone(backup)
    return db_errors.upgrade_failed(cause, backup, log_file())


@contextmanager
def plain_faults() -> Iterator[None]:
    """Turn a database fault of the environment (locked, read-only, full, damaged) into its
    plain Vietnamese UserError; anything else goes on as the bug it is."""
    try:
        yield
    except Exception as exc:
        fault = environment_fault(exc)
        if fault is not None:
            raise fault from exc
        raise


class Database:
    """An open database: ``with db.transaction() as session:`` is one user action."""

    def __init__(self, engine: Engine, url: str):
        self.engine = engine
        self.url = url
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        # The guard first: a write it refuses never reaches the audit trail.
        guard.install(self._sessions)
        audit.install(self._sessions)

    @property
    def file(self) -> Path | None:
        return _sqlite_file(self.url)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """Commit when the block ends, roll everything back if it raises."""
        with plain_faults(), self._sessions.begin() as session:
            yield session

    def run(self, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one transaction; returns what it returns (the pages' one-liners)."""
        with self.transaction() as session:
            return work(session)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A session whose changes are always thrown away: for previews built from unsaved drafts."""
        with plain_faults(), self._sessions(info={audit.DISCARDED: True}) as session:  # never kept: not guarded
            try:
                yield session
            finally:
                session.rollback()

    def close(self) -> None:
        self.engine.dispose()


def open_database(target: str | Path | None = None, *, upgrade: bool = True) -> Database:
    """Open (and create or upgrade) the database the user named; environment faults become UserError.

    The file is first looked at through a plain connection: a file that is refused (made by
    a newer release, or by another program) must stay exactly as it was, and the working
    connection's pragmas (WAL) would already change its header.
    """
    url = database_url(target)
    _check_driver(url)
    db_file = _sqlite_file(url)
    if db_file is not None and not db_file.parent.is_dir():
        raise UserError(f"Thư mục chứa tệp dữ liệu không tồn tại: {db_file.parent}")
    with plain_faults():
        _check_openable(url)
    engine = make_engine(url)
    try:
        with plain_faults():
            if upgrade:
                upgrade_schema(engine, url)
    except Exception:
        engine.dispose()
        raise
    return Database(engine, url)


def _probe(url: str) -> Engine:
    """A plain connection to look at a database without changing it (no pragmas: the working
    connection's WAL switch would rewrite a SQLite file's header), waiting as long as it does."""
    if _sqlite_file(url) is not None:
        return create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
    return create_engine(url, connect_args=_connect_args(url))


def _check_openable(url: str) -> None:
    """Refuse, with a plain message and before anything is written, a database that cannot be
    worked on: made by a newer release or by another program; and for a SQLite file, an empty
    (0 byte) one, a read-only file or folder (WAL writes ``-wal`` and ``-shm`` files beside
    it), a disk with less than MIN_FREE_BYTES free, a file another program keeps locked past
    the busy timeout, a damaged file (SQLite's quick_check: about 2.5 ms a megabyte). A file
    that does not exist yet is left to the working engine to create, so this look never
    leaves an empty file behind."""
    db_file = _sqlite_file(url)
    if db_file is not None:
        if not db_file.exists():
            _check_folder_writable(db_file.parent)
            return
        _check_file(db_file)
    probe = _probe(url)
    try:
        _check_known(probe, current_revision(probe))
        if db_file is not None:
            _check_intact(probe)
    finally:
        probe.dispose()


def _check_file(db_file: Path) -> None:
    if not db_file.is_file():
        return  # a folder given for a file: SQLite's own refusal says it
    if db_file.stat().st_size == 0:
        raise db_errors.empty_file(db_file)
    # Asked, not tried: closing a descriptor of our own on the file would drop the POSIX locks
    # SQLite holds on it for another connection of this process.
    if not os.access(db_file, os.W_OK):
        raise db_errors.read_only_file(db_file)
    _check_folder_writable(db_file.parent)


def _check_folder_writable(folder: Path) -> None:
    """SQLite writes its ``-wal`` and ``-shm`` files (and a new database) in the file's folder:
    try a file of our own there, the only test that sees every kind of read-only (permissions,
    ACLs, a locked USB stick, a CD); and leave SQLite some room to write them."""
    try:
        handle, name = tempfile.mkstemp(prefix=".antq-thu-ghi-", suffix=".tmp", dir=folder)
    except OSError as error:
        if error.errno == errno.ENOSPC:
            raise db_errors.disk_full() from None
        if isinstance(error, PermissionError) or error.errno == errno.EROFS:
            raise db_errors.read_only_folder(folder) from None
        log.warning("cannot write in %s: %s", folder, error)
        raise db_errors.cannot_open() from None  # a USB stick pulled out, a network drive gone…
    os.close(handle)
    try:
        os.unlink(name)
    except OSError:
        log.warning("could not remove the probe file %s", name)
    try:
        free = shutil.disk_usage(folder).free
    except OSError:  # some network drives do not say
        return
    if free < MIN_FREE_BYTES:  # SQLite would fail half-way, as "disk I/O error"
        raise db_errors.disk_full()


def _check_intact(probe: Engine) -> None:
    with probe.connect() as connection:
        try:
            verdict = connection.exec_driver_sql("PRAGMA quick_check(1)").scalar()
        except UnicodeDecodeError:  # the damage reaches into SQLite's own report of it
            verdict = None
    if verdict != "ok":
        log.warning("quick_check refused the file: %r", verdict)
        raise db_errors.damaged_file()
