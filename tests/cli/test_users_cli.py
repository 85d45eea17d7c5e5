"""``antq users`` and signing in with ``--user``: real subprocesses on real database files.

Each run gets its passwords through the environment only, and a closed standard input, so a
test run from a terminal never stops at a password prompt.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from antq_desktop import __version__
from tests.cli.runner import Run

ADMIN_PASSWORD, OFFICER_PASSWORD, VIEWER_PASSWORD = "quản trị 2026", "cán bộ 2026!", "lãnh đạo 2026"


def antq(db: Path, *args: str, user: str | None = None, password: str | None = None,
         new_password: str | None = None) -> Run:
    env = {key: value for key, value in os.environ.items()
           if key not in ("ANTQ_PASSWORD", "ANTQ_NEW_PASSWORD", "PYTHONIOENCODING")}
    env["ANTQ_DATA_DIR"] = str(db.parent / "data")
    if password is not None:
        env["ANTQ_PASSWORD"] = password
    if new_password is not None:
        env["ANTQ_NEW_PASSWORD"] = new_password
    command = [sys.executable, "-m", "antq_desktop.cli", "--db", str(db), *(["--user", user] if user else []), *args]
    done = subprocess.run(command, capture_output=True, env=env, cwd=db.parent, stdin=subprocess.DEVNULL, timeout=60)
    return Run(done.returncode, done.stdout.decode("utf-8"), done.stderr.decode("utf-8"))


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as connection:
        return connection.execute(sql).fetchall()


@pytest.fixture(scope="module")
def office_template(demo_template, tmp_path_factory) -> Path:
    """The demo ward with an administrator, a cán bộ and a viewer, all made through the CLI."""
    path = Path(shutil.copy(demo_template, tmp_path_factory.mktemp("office") / "ward.sqlite"))
    first = antq(path, "users", "add", "quantri", "--role", "quan_tri", "--full-name", "Nguyễn Văn Quản",
                 new_password=ADMIN_PASSWORD)
    assert first.code == 0, first.err
    assert "Đã thêm tài khoản “quantri” (Quản trị)" in first.out
    for name, role, password in (("canbo", "can_bo", OFFICER_PASSWORD), ("lanhdao", "chi_xem", VIEWER_PASSWORD)):
        added = antq(path, "users", "add", name, "--role", role, user="quantri", password=ADMIN_PASSWORD,
                     new_password=password)
        assert added.code == 0, added.err
    return path


@pytest.fixture
def office(office_template, tmp_path) -> Path:
    """A private copy of the office (the last command's connection closed: the copy is complete)."""
    return Path(shutil.copy(office_template, tmp_path / "ward.sqlite"))


def test_the_first_account_must_be_an_administrator(demo_db_path):
    refused = antq(demo_db_path, "users", "add", "canbo", "--role", "can_bo", new_password=OFFICER_PASSWORD)
    assert refused.code == 1 and "tài khoản đầu tiên phải là tài khoản quản trị" in refused.err
    assert _rows(demo_db_path, "SELECT * FROM app_user") == []


def test_a_new_password_follows_the_rules(demo_db_path):
    refused = antq(demo_db_path, "users", "add", "quantri", "--role", "quan_tri", new_password="ngắn")
    assert refused.code == 1 and "ít nhất 8 ký tự" in refused.err
    missing = antq(demo_db_path, "users", "add", "quantri", "--role", "quan_tri")
    assert missing.code == 1 and "ANTQ_NEW_PASSWORD" in missing.err
    assert _rows(demo_db_path, "SELECT * FROM app_user") == []


def test_a_file_with_accounts_asks_who_is_there(office):
    anonymous = antq(office, "units", "list")
    assert anonymous.code == 1 and "hãy đăng nhập bằng --user" in anonymous.err and anonymous.out == ""
    no_password = antq(office, "units", "list", user="canbo")
    assert no_password.code == 1 and "ANTQ_PASSWORD" in no_password.err
    signed_in = antq(office, "units", "list", "--search", "to dan pho 3", user="canbo", password=OFFICER_PASSWORD)
    assert signed_in.code == 0, signed_in.err
    assert "Tổ dân phố 3" in signed_in.out
    version = antq(office, "--version")
    assert version.code == 0 and __version__ in version.out


def test_a_wrong_password_exits_1_and_is_counted(office):
    wrong = antq(office, "units", "list", user="canbo", password="không phải mật khẩu")
    assert wrong.code == 1 and wrong.out == ""
    assert "Tên đăng nhập hoặc mật khẩu không đúng" in wrong.err and "5 lần liên tiếp" in wrong.err
    assert _rows(office, "SELECT failed_attempts FROM app_user WHERE username = 'canbo'") == [(1,)]
    unknown = antq(office, "units", "list", user="khongco", password=OFFICER_PASSWORD)
    assert unknown.code == 1 and "Tên đăng nhập hoặc mật khẩu không đúng" in unknown.err


def test_a_viewer_reads_but_cannot_add_a_unit(office):
    units_before = _rows(office, "SELECT count(*) FROM unit")
    listed = antq(office, "units", "list", user="lanhdao", password=VIEWER_PASSWORD)
    assert listed.code == 0, listed.err
    data_entries = "SELECT count(*) FROM audit_entry WHERE table_name <> 'app_user'"  # not the sign-ins
    trail_before = _rows(office, data_entries)
    added = antq(office, "units", "add", "--kind", "kdc", "--name", "Tổ dân phố 99", user="lanhdao",
                 password=VIEWER_PASSWORD)
    assert added.code == 1 and added.out == ""
    assert "chỉ được xem và in, không được thay đổi dữ liệu" in added.err
    assert _rows(office, "SELECT count(*) FROM unit") == units_before
    assert _rows(office, data_entries) == trail_before
    assert _rows(office, "SELECT count(*) FROM unit WHERE name = 'Tổ dân phố 99'") == [(0,)]


def test_a_cán_bộ_adds_units_but_not_accounts(office):
    added = antq(office, "units", "add", "--kind", "kdc", "--name", "Tổ dân phố 99", user="canbo",
                 password=OFFICER_PASSWORD)
    assert added.code == 0, added.err
    assert _rows(office, "SELECT actor, summary FROM audit_entry WHERE table_name = 'unit' ORDER BY id DESC LIMIT 1") \
        == [("canbo", "Thêm đơn vị “Tổ dân phố 99”")]
    refused = antq(office, "users", "add", "nguoimoi", "--role", "can_bo", user="canbo", password=OFFICER_PASSWORD,
                   new_password="mật khẩu mới 1")
    assert refused.code == 1 and "Chỉ tài khoản quản trị" in refused.err
    assert _rows(office, "SELECT count(*) FROM app_user") == [(3,)]


def test_users_list_json(office):
    listed = antq(office, "users", "list", "--json", user="lanhdao", password=VIEWER_PASSWORD)
    assert listed.code == 0, listed.err
    users = listed.json()
    assert [(user["username"], user["role"], user["role_label"]) for user in users] == [
        ("canbo", "can_bo", "Cán bộ"), ("lanhdao", "chi_xem", "Lãnh đạo / chỉ xem"),
        ("quantri", "quan_tri", "Quản trị")]
    assert users[2]["full_name"] == "Nguyễn Văn Quản" and all(user["active"] for user in users)
    assert set(users[0]) == {"id", "username", "full_name", "role", "role_label", "active", "locked_until",
                             "last_sign_in", "version"}
    assert "password" not in listed.out and "scrypt" not in listed.out
    text = antq(office, "users", "list", user="quantri", password=ADMIN_PASSWORD)
    assert text.code == 0 and "quantri\tNguyễn Văn Quản\tQuản trị\tđang dùng" in text.out


def test_a_file_without_accounts_needs_no_user(demo_db_path):
    listed = antq(demo_db_path, "units", "list", "--json")
    assert listed.code == 0 and len(listed.json()) > 60
    ignored = antq(demo_db_path, "units", "list", user="quantri")
    assert ignored.code == 0 and "chưa có tài khoản người dùng nào" in ignored.err
    assert antq(demo_db_path, "users", "list", "--json").json() == []
