"""Open a database, bring its schema up to date, and hand out one transaction per user action.

``--db`` takes a file path or any SQLAlchemy URL; without it the program uses a SQLite file in
the user data folder. A SQLite file is opened with foreign keys on, a WAL journal and a busy
timeout. Before an existing file is migrated, a copy is taken with SQLite's backup API; a
database made by a newer release is refused rather than damaged.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from antq_desktop import paths
from antq_desktop.db.errors import environment_fault
from antq_desktop.errors import UserError

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
BUSY_TIMEOUT_MS = 5000
T = TypeVar("T")


def database_url(target: str | Path | None) -> str:
    """A SQLAlchemy URL from what the user gave: nothing, a file path, or a URL."""
    if target is None or str(target).strip() == "":
        target = paths.default_db_path()
    text = str(target)
    if "://" in text:
        return text
    return f"sqlite:///{Path(text).expanduser().resolve()}"


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


def make_engine(url: str) -> Engine:
    engine = create_engine(url)
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
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = db_file.parent / "backups" / f"{db_file.stem}-truoc-nang-cap-{revision}-{stamp}{db_file.suffix}"
    return backup_sqlite_file(db_file, target)


def upgrade_schema(engine: Engine, url: str) -> Path | None:
    """Run the migrations up to the newest; returns the backup taken first, if any."""
    revision = current_revision(engine)
    _check_known(engine, revision)
    if revision == head_revision():
        return None
    backup = None
    db_file = _sqlite_file(url)
    if revision is not None and db_file is not None:
        backup = _backup_before_upgrade(db_file, revision)
    from alembic import command

    with engine.begin() as connection:
        command.upgrade(_alembic_config(connection), "head")
    return backup


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
        with plain_faults(), self._sessions() as session:
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


def _check_openable(url: str) -> None:
    probe = create_engine(url)
    try:
        _check_known(probe, current_revision(probe))
    finally:
        probe.dispose()
