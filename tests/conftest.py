"""Shared fixtures: real databases built once from the migrations and copied for each test.

By default every database is a SQLite file: a template built once per session, copied per test.
With ``ANTQ_TEST_POSTGRES_URL`` set to an administrator's URL of a PostgreSQL server
(``postgresql+psycopg://postgres@127.0.0.1:5433/postgres``; ``make test-postgres``) the
``empty_db``, ``demo_db`` and ``full_demo_db`` fixtures give a fresh PostgreSQL database instead:
the templates are databases on the server, and each test gets ``CREATE DATABASE … TEMPLATE``.
That pass runs only the tests that work through those fixtures (or ``postgres_admin_url``):
a test that needs a SQLite file (a ``*_db_path`` fixture) or is marked ``sqlite_only`` is
left to the SQLite pass, and so is a test that opens no database at all (nothing differs).
The SQLite pass leaves out the tests of a server (``postgres_admin_url``).
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from antq_desktop.db.engine import Database, open_database  # noqa: E402
from antq_desktop.services import demo  # noqa: E402

POSTGRES_URL = os.environ.get("ANTQ_TEST_POSTGRES_URL", "").strip()
DROP_BATCH = 20  # test databases dropped together (see _Server.drop)
SQLITE_FILE_FIXTURES = {"empty_db_path", "demo_db_path", "full_demo_db_path"}
# What the PostgreSQL pass runs: tests that reach the database through one of these.
BACKEND_FIXTURES = {"empty_db", "demo_db", "full_demo_db", "postgres_admin_url"}


def on_postgres() -> bool:
    """True in the PostgreSQL pass (tests that check something only one backend does)."""
    return bool(POSTGRES_URL)


def _runs_in_this_pass(item) -> bool:
    names = set(getattr(item, "fixturenames", ()))
    if not on_postgres():
        return "postgres_admin_url" not in names
    return bool(names & BACKEND_FIXTURES and not names & SQLITE_FILE_FIXTURES
                and item.get_closest_marker("sqlite_only") is None)


def pytest_collection_modifyitems(config, items):
    kept, left = [], []
    for item in items:
        (kept if _runs_in_this_pass(item) else left).append(item)
    if left:
        config.hook.pytest_deselected(items=left)
        items[:] = kept


def pytest_report_header(config):
    if on_postgres():
        return [f"database: PostgreSQL ({_server().admin_url_shown}); tests that need a SQLite file, "
                "or no database, are left to the SQLite pass (deselected)"]
    return ["database: SQLite files; tests of a PostgreSQL server are left to `make test-postgres` (deselected)"]


def _build(target, with_demo: bool, field_work: bool = False):
    """An empty database, or the demo ward (by default without its year of field work, so the
    tests of each register start from an empty register)."""
    db = open_database(target)
    if with_demo:
        with db.transaction() as session:
            demo.load_demo(session, "kiểm thử", field_work=field_work)
    db.close()  # SQLite: the last connection checkpoints the WAL into the file, so a plain copy is complete
    return target


# ---- PostgreSQL: template databases on the server, one copy per test ------------------------------


class _Server:
    """Databases of this test session on the server named by ANTQ_TEST_POSTGRES_URL.

    Every name carries the process id, so two sessions (two helpers, CI and a developer) on one
    server never meet. Creating from a template needs the template to have no connection open:
    the templates are built and closed before the first copy."""

    def __init__(self, admin_url: str):
        from sqlalchemy.engine import make_url

        self.admin_url = make_url(admin_url)
        self.admin_url_shown = self.admin_url.render_as_string(hide_password=True)
        self.prefix = f"antq_test_{os.getpid()}"
        self._numbers = itertools.count(1)
        self._templates: dict[str, str] = {}
        self._dropping: list[str] = []
        self._admin = None  # the administrator's connection, kept for the session

    def _execute(self, statement: str) -> None:
        import psycopg

        if self._admin is None or self._admin.closed:
            conninfo = self.admin_url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._admin = psycopg.connect(conninfo, autocommit=True)
        self._admin.execute(statement)

    def url_of(self, name: str) -> str:
        return self.admin_url.set(database=name).render_as_string(hide_password=False)

    def template(self, kind: str, with_demo: bool, field_work: bool = False) -> str:
        if kind not in self._templates:
            name = f"{self.prefix}_tpl_{kind}"
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            self._execute(f'CREATE DATABASE "{name}"')
            _build(self.url_of(name), with_demo, field_work)
            self._settle(name)
            self._templates[kind] = name
        return self._templates[kind]

    def _settle(self, name: str) -> None:
        """Leave the new template nothing for the server to do: CREATE DATABASE stops (and waits
        for) an autovacuum worker analysing it, and copying pages not yet checkpointed was slow
        too (0.3–0.5 s a copy before this, about 0.1 s after, on a quiet server)."""
        import psycopg

        conninfo = self.admin_url.set(drivername="postgresql", database=name).render_as_string(hide_password=False)
        with psycopg.connect(conninfo, autocommit=True) as connection:
            connection.execute("VACUUM (FREEZE, ANALYZE)")
        try:
            self._execute("CHECKPOINT")
        except psycopg.errors.InsufficientPrivilege:  # an administrator without pg_checkpoint: only slower
            pass

    def copy(self, template: str) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY WAL_LOG')
        return name

    def create_empty(self) -> str:
        name = f"{self.prefix}_{next(self._numbers)}"
        self._execute(f'CREATE DATABASE "{name}"')
        return name

    def drop(self, name: str) -> None:
        """Dropped with the next ones, DROP_BATCH at a time: a copy made right after a DROP
        DATABASE measured 0.25–0.4 s (on a server of its own, tests/services/test_units.py),
        0.04–0.06 s between batches (STRATEGY FILE_COPY was as fast as WAL_LOG then; each copy
        holds about 13 MB of disk until its batch goes)."""
        self._dropping.append(name)
        if len(self._dropping) >= DROP_BATCH:
            self.drop_pending()

    def drop_pending(self) -> None:
        for name in self._dropping:
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._dropping.clear()

    def drop_all(self) -> None:
        self.drop_pending()
        for name in self._templates.values():
            self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if self._admin is not None:
            self._admin.close()


_SERVER: _Server | None = None


def _server() -> _Server:
    global _SERVER
    if _SERVER is None:
        _SERVER = _Server(POSTGRES_URL)
    return _SERVER


def pytest_sessionfinish(session, exitstatus):
    if _SERVER is not None:
        _SERVER.drop_all()


@pytest.fixture
def postgres_admin_url() -> str:
    """The administrator's URL of the test server: for tests about PostgreSQL itself (the
    PostgreSQL pass only: the SQLite pass leaves them out)."""
    assert on_postgres(), "deselected without ANTQ_TEST_POSTGRES_URL (pytest_collection_modifyitems)"
    return POSTGRES_URL


@pytest.fixture
def fresh_postgres_database(postgres_admin_url) -> Iterator[str]:
    """The URL of a new, empty PostgreSQL database (no schema yet), dropped afterwards."""
    server = _server()
    name = server.create_empty()
    try:
        yield server.url_of(name)
    finally:
        server.drop(name)


def _postgres_db(kind: str, with_demo: bool, field_work: bool = False) -> Iterator[Database]:
    server = _server()
    name = server.copy(server.template(kind, with_demo, field_work))
    db = open_database(server.url_of(name))
    try:
        yield db
    finally:
        db.close()
        server.drop(name)


# ---- SQLite: template files, one copy per test ------------------------------------------------------


@pytest.fixture(scope="session")
def empty_template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("templates") / "empty.sqlite", with_demo=False)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("templates") / "demo.sqlite", with_demo=True)


@pytest.fixture(scope="session")
def full_demo_template(tmp_path_factory) -> Path:
    return _build(tmp_path_factory.mktemp("templates") / "full-demo.sqlite", with_demo=True, field_work=True)


@pytest.fixture(autouse=True)
def nobody_signed_in():
    """Who is signed in is the process's: a test that signs in (and fails half-way) must not
    leave its officer to the next test."""
    from antq_desktop import identity

    identity.sign_out()
    yield
    identity.sign_out()


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch) -> Path:
    """Each test gets its own data folder (settings, logs, default database)."""
    folder = tmp_path / "data"
    monkeypatch.setenv("ANTQ_DATA_DIR", str(folder))
    return folder


@pytest.fixture
def empty_db_path(empty_template, tmp_path) -> Path:
    return Path(shutil.copy(empty_template, tmp_path / "ward.sqlite"))


@pytest.fixture
def demo_db_path(demo_template, tmp_path) -> Path:
    return Path(shutil.copy(demo_template, tmp_path / "ward.sqlite"))


@pytest.fixture
def full_demo_db_path(full_demo_template, tmp_path) -> Path:
    """The demo ward as `antq demo` loads it, with its year of field work."""
    return Path(shutil.copy(full_demo_template, tmp_path / "ward.sqlite"))


def _sqlite_db(request, path_fixture: str) -> Iterator[Database]:
    db = open_database(request.getfixturevalue(path_fixture))
    try:
        yield db
    finally:
        db.close()


@pytest.fixture
def empty_db(request) -> Iterator[Database]:
    if on_postgres():
        yield from _postgres_db("empty", with_demo=False)
    else:
        yield from _sqlite_db(request, "empty_db_path")


@pytest.fixture
def demo_db(request) -> Iterator[Database]:
    if on_postgres():
        yield from _postgres_db("demo", with_demo=True)
    else:
        yield from _sqlite_db(request, "demo_db_path")


@pytest.fixture
def full_demo_db(request) -> Iterator[Database]:
    """The demo ward with its year of field work (as `antq demo` loads it)."""
    if on_postgres():
        yield from _postgres_db("full_demo", with_demo=True, field_work=True)
    else:
        yield from _sqlite_db(request, "full_demo_db_path")
