"""Shared fixtures: real SQLite files built once from the migrations and copied for each test."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from antq_desktop.db.engine import Database, open_database  # noqa: E402
from antq_desktop.services import demo  # noqa: E402


def _build(path: Path, with_demo: bool, field_work: bool = False) -> Path:
    """An empty database, or the demo ward (by default without its year of field work, so the
    tests of each register start from an empty register)."""
    db = open_database(path)
    if with_demo:
        with db.transaction() as session:
            demo.load_demo(session, "kiểm thử", field_work=field_work)
    db.close()  # the last connection checkpoints the WAL into the file, so a plain copy is complete
    return path


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


@pytest.fixture
def empty_db(empty_db_path) -> Database:
    db = open_database(empty_db_path)
    yield db
    db.close()


@pytest.fixture
def demo_db(demo_db_path) -> Database:
    db = open_database(demo_db_path)
    yield db
    db.close()
