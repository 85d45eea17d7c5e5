"""This PC's connection setting (ket-noi.json) and the password file beside it, and the command
line and the window choosing their database from it when --db is not given."""

from __future__ import annotations

import json
import sys

import pytest

from antq_desktop import connection, paths
from antq_desktop.connection import Server
from antq_desktop.db import engine as engine_module
from antq_desktop.errors import UserError
from tests.cli.runner import antq

SERVER = Server("192.168.1.10", 5432, "antq", "can_bo")


def test_without_a_setting_the_program_uses_its_own_file(data_dir):
    assert connection.chosen_target() is None
    assert connection.target_or_setting(None) is None
    assert connection.target_or_setting("khac.sqlite") == "khac.sqlite"


def test_a_saved_server_is_the_target_and_keeps_no_password(data_dir):
    connection.save_target(SERVER.url())
    saved = json.loads(paths.connection_file().read_text(encoding="utf-8"))
    assert saved == {"database": "postgresql+psycopg://can_bo@192.168.1.10:5432/antq"}
    assert connection.target_or_setting(None) == SERVER.url()
    assert connection.target_or_setting("tep-rieng.sqlite") == "tep-rieng.sqlite"  # --db still wins
    assert Server.from_url(connection.chosen_target()) == SERVER
    with pytest.raises(ValueError, match="password"):
        connection.save_target(SERVER.url("mat-khau"))
    connection.save_target(None)
    assert not paths.connection_file().exists() and connection.chosen_target() is None


def test_a_file_can_be_the_setting_too(data_dir, tmp_path):
    connection.save_target(tmp_path / "Dữ liệu phường.sqlite")
    assert connection.chosen_target() == str(tmp_path / "Dữ liệu phường.sqlite")
    assert Server.from_url(connection.chosen_target()) is None


@pytest.mark.parametrize("content", ["", "không phải JSON", "[1, 2]", '{"database": 5}', '{"database": "  "}'])
def test_a_setting_that_cannot_be_read_is_ignored(data_dir, content):
    paths.connection_file().write_text(content, encoding="utf-8")
    assert connection.chosen_target() is None


def test_the_password_goes_to_a_private_file_libpq_reads(data_dir):
    other = Server("may-chu-cu", 5433, "antq", "quan:tri")
    connection.remember_password(other, r"a:b\c")
    connection.remember_password(SERVER, "mật khẩu 1")
    connection.remember_password(SERVER, "mật khẩu 2")  # replaced, not added
    lines = paths.pgpass_file().read_text(encoding="utf-8").splitlines()
    assert lines == [r"may-chu-cu:5433:antq:quan\:tri:a\:b\\c", "192.168.1.10:5432:antq:can_bo:mật khẩu 2"]
    if sys.platform != "win32":
        assert oct(paths.pgpass_file().stat().st_mode & 0o777) == "0o600"
    # the engine hands it to libpq when the URL has no password
    assert engine_module._connect_args(SERVER.url())["passfile"] == str(paths.pgpass_file())
    assert "passfile" not in engine_module._connect_args(SERVER.url("tu-url"))
    connection.remember_password(other, "")
    connection.remember_password(SERVER, "")
    assert not paths.pgpass_file().exists()


def test_describe_says_what_the_setting_names(data_dir):
    assert connection.describe(None).startswith("tệp dữ liệu trên máy này")
    assert connection.describe(SERVER.url()) == ("máy chủ PostgreSQL can_bo@192.168.1.10:5432, cơ sở dữ liệu antq")


def test_trying_a_file_that_does_not_exist_creates_nothing(tmp_path):
    target = tmp_path / "moi.sqlite"
    assert "chưa có" in connection.try_connection(str(target))
    assert not target.exists()
    with pytest.raises(UserError, match="không tồn tại"):
        connection.try_connection(str(tmp_path / "khong-co" / "moi.sqlite"))


def test_trying_a_file_says_whose_data_it_holds(demo_db_path):
    assert connection.try_connection(str(demo_db_path)).endswith("dữ liệu của phường Minh Xuân.")


def test_trying_a_file_the_start_would_refuse_gives_the_same_refusal(tmp_path):
    empty = tmp_path / "rong.sqlite"
    empty.write_bytes(b"")
    with pytest.raises(UserError, match="trống \\(0 byte\\)"):
        connection.try_connection(str(empty))


def test_the_command_line_works_on_the_setting_without_db(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    chosen = tmp_path / "chung.sqlite"
    (data / paths.CONNECTION_FILE_NAME).write_text(json.dumps({"database": str(chosen)}), encoding="utf-8")
    result = antq("init", data_dir=data)
    assert result.code == 0, result.err
    assert chosen.is_file() and not (data / paths.DB_FILE_NAME).exists()
    assert antq("--db", str(tmp_path / "rieng.sqlite"), "init", data_dir=data).code == 0
    assert (tmp_path / "rieng.sqlite").is_file()


def test_the_command_line_says_plainly_when_the_saved_server_is_down(tmp_path):
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    data = tmp_path / "data"
    data.mkdir()
    (data / paths.CONNECTION_FILE_NAME).write_text(
        json.dumps({"database": Server("127.0.0.1", port, "antq", "can_bo").url()}), encoding="utf-8")
    result = antq("units", "list", data_dir=data)
    assert result.code == 1
    assert result.err.startswith("Lỗi: Không kết nối được máy chủ dữ liệu.") and "Traceback" not in result.err
