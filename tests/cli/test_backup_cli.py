"""`antq backup`, `antq restore` and `antq check`.

The first tests call the handlers of antq_desktop.cli_maintenance directly; the ones marked
below run the real `antq` command in a subprocess and need the commands wired into
antq_desktop.cli (``cli_maintenance.add_parsers(commands)``, ``_COMMANDS.update(...)``, the exit
code a handler returns, and ``WITHOUT_DATABASE`` for a file that cannot be opened).
"""

from __future__ import annotations

import json
import sqlite3
from argparse import Namespace
from contextlib import closing
from pathlib import Path

import pytest

from antq_desktop import cli_maintenance
from antq_desktop.db.engine import open_database
from antq_desktop.errors import UserError
from antq_desktop.services import backup
from tests.cli.runner import antq


def sha256(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def unit_count(path: Path) -> int:
    with closing(sqlite3.connect(path)) as connection:
        return connection.execute("SELECT count(*) FROM unit").fetchone()[0]


def corrupt_units(path: Path) -> None:
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'unit'").fetchone()[0]
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 16)


# ---- the handlers, called directly ------------------------------------------------------------

def test_backup_handler_writes_a_checked_backup_into_the_backup_folder(demo_db, data_dir, capsys):
    assert cli_maintenance.COMMANDS["backup"](demo_db, Namespace(out=None)) == 0
    (info,) = backup.list_backups(data_dir / "backups")
    assert info.verified and info.units == 68
    out = capsys.readouterr().out
    assert out.startswith(f"Đã sao lưu vào {info.file} (") and "đã kiểm tra toàn vẹn" in out and info.checksum in out


def test_restore_handler_closes_the_database_and_restores(demo_db_path, tmp_path, capsys):
    kept = tmp_path / "ban-sao.sqlite"
    backup.backup_to_file(demo_db_path, kept)
    with closing(sqlite3.connect(demo_db_path)) as connection:
        connection.execute("DELETE FROM unit WHERE id NOT IN (SELECT unit_id FROM antt_record) AND id NOT IN "
                           "(SELECT unit_id FROM classification_record WHERE unit_id IS NOT NULL) AND id > 60")
        connection.commit()
    changed = unit_count(demo_db_path)
    assert changed < 68
    db = open_database(demo_db_path)
    assert cli_maintenance.COMMANDS["restore"](db, Namespace(file=str(kept), db=str(demo_db_path))) == 0
    assert unit_count(demo_db_path) == 68
    out = capsys.readouterr().out
    assert out.startswith("Bản sao lưu sẽ khôi phục:\n") and "  Số đơn vị: 68" in out
    assert "Dữ liệu trước khi khôi phục đã được sao lưu vào" in out and f"Đã khôi phục {demo_db_path}" in out
    (safety,) = [info for info in backup.list_backups(backup.backup_folder()) if info.kind == backup.BEFORE_RESTORE]
    assert safety.units == changed
    db.close()  # what cli.main does after every command: closing twice is harmless


def test_check_handler_returns_1_and_prints_the_problem(demo_db_path, capsys):
    with closing(sqlite3.connect(demo_db_path)) as connection:
        connection.execute("UPDATE unit SET status = 'dissolved', status_date = NULL WHERE id = 4")
        connection.commit()
    db = open_database(demo_db_path)
    try:
        assert cli_maintenance.COMMANDS["check"](db, Namespace(json=False)) == 1
        lines = capsys.readouterr().out.splitlines()
        assert lines == ["[Sai lệch] Đơn vị: Đơn vị \u201cTổ dân phố 4\u201d được ghi là đã giải thể nhưng không có "
                         "ngày giải thể.", "Phát hiện 1 vấn đề."]
        assert cli_maintenance.COMMANDS["check"](db, Namespace(json=True)) == 1
        report = json.loads(capsys.readouterr().out)
        assert report["ok"] is False and report["problems"][0]["check"] == "units.status_date"
    finally:
        db.close()


def test_check_handler_returns_0_on_a_sound_file(demo_db, capsys):
    assert cli_maintenance.COMMANDS["check"](demo_db, Namespace(json=False)) == 0
    assert capsys.readouterr().out == "Không phát hiện lỗi nào.\n"


def test_a_server_database_is_told_to_use_pg_dump():
    class ServerDatabase:
        file = None

    for name, args in (("backup", Namespace(out=None)), ("restore", Namespace(file="x.sqlite", db=None))):
        with pytest.raises(UserError, match="pg_dump"):
            cli_maintenance.COMMANDS[name](ServerDatabase(), args)
    with pytest.raises(UserError, match="pg_dump"):
        backup.sqlite_file_of("postgresql+psycopg://antq@may-chu/antq")
    assert backup.sqlite_file_of(None) == backup.paths.default_db_path()


# ---- the real command (needs the wiring in antq_desktop/cli.py) ----------------------------------

def test_antq_backup_and_backup_out(demo_db_path, data_dir, tmp_path):
    run = antq("--db", str(demo_db_path), "backup", data_dir=data_dir)
    assert run.code == 0, run.err
    (info,) = backup.list_backups(data_dir / "backups")
    assert run.out.startswith(f"Đã sao lưu vào {info.file}") and info.verified and info.kind == backup.MANUAL
    out = tmp_path / "chep" / "ban-sao.sqlite"
    out.parent.mkdir()
    run = antq("--db", str(demo_db_path), "backup", "--out", str(out), data_dir=data_dir)
    assert run.code == 0, run.err
    assert backup.verify(out).units == 68 and (out.parent / "ban-sao.sqlite.json").is_file()


def test_antq_backup_into_a_missing_usb_folder_exits_1(demo_db_path, data_dir, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    backup.set_backup_folder(usb)  # the test's data folder is the command's too
    usb.rmdir()
    run = antq("--db", str(demo_db_path), "backup", data_dir=data_dir)
    assert run.code == 1 and run.out == ""
    assert run.err.startswith("Lỗi: Không tìm thấy thư mục sao lưu") and "ổ USB" in run.err


def test_antq_restore_round_trip(demo_db_path, data_dir, tmp_path):
    kept = tmp_path / "ban-sao.sqlite"
    assert antq("--db", str(demo_db_path), "backup", "--out", str(kept), data_dir=data_dir).code == 0
    added = antq("--db", str(demo_db_path), "units", "add", "--kind", "kdc", "--name", "Tổ dân phố 99",
                 data_dir=data_dir)
    assert added.code == 0, added.err and unit_count(demo_db_path) == 69
    run = antq("--db", str(demo_db_path), "restore", str(kept), data_dir=data_dir)
    assert run.code == 0, run.err
    assert "Bản sao lưu sẽ khôi phục:" in run.out and "Số đơn vị: 68" in run.out and "Đã khôi phục" in run.out
    assert unit_count(demo_db_path) == 68
    (safety,) = [info for info in backup.list_backups(data_dir / "backups") if info.kind == backup.BEFORE_RESTORE]
    assert safety.units == 69
    listed = antq("--db", str(demo_db_path), "units", "list", "--json", data_dir=data_dir)
    assert listed.code == 0 and len(listed.json()) == 68  # and the program opens it as usual


def test_antq_restore_refuses_a_damaged_backup_and_changes_nothing(demo_db_path, data_dir, tmp_path):
    kept = tmp_path / "ban-sao.sqlite"
    assert antq("--db", str(demo_db_path), "backup", "--out", str(kept), data_dir=data_dir).code == 0
    with open(kept, "r+b") as handle:
        handle.seek(kept.stat().st_size // 2)
        handle.write(b"\x00" * 64)
    before = sha256(demo_db_path)
    run = antq("--db", str(demo_db_path), "restore", str(kept), data_dir=data_dir)
    assert run.code == 1
    assert "Lỗi: Bản sao lưu ban-sao.sqlite không còn giống lúc sao lưu" in run.err
    assert sha256(demo_db_path) == before
    assert not (data_dir / "backups").exists() or backup.list_backups(data_dir / "backups") == []


def test_antq_restore_over_a_file_that_cannot_be_opened(demo_db_path, data_dir, tmp_path):
    kept = tmp_path / "ban-sao.sqlite"
    assert antq("--db", str(demo_db_path), "backup", "--out", str(kept), data_dir=data_dir).code == 0
    corrupt_units(demo_db_path)
    refused = antq("--db", str(demo_db_path), "units", "list", data_dir=data_dir)
    assert refused.code == 1 and "hỏng" in refused.err
    run = antq("--db", str(demo_db_path), "restore", str(kept), data_dir=data_dir)
    assert run.code == 0, run.err
    assert unit_count(demo_db_path) == 68
    (damaged,) = [info for info in backup.list_backups(data_dir / "backups") if info.kind == backup.BEFORE_RESTORE]
    assert not damaged.verified  # the damaged file kept as it was


def test_antq_check_exit_codes(demo_db_path, data_dir):
    run = antq("--db", str(demo_db_path), "check", data_dir=data_dir)
    assert (run.code, run.out) == (0, "Không phát hiện lỗi nào.\n"), run.err
    with closing(sqlite3.connect(demo_db_path)) as connection:
        connection.execute("UPDATE unit SET status = 'dissolved', status_date = NULL WHERE id = 4")
        connection.commit()
    run = antq("--db", str(demo_db_path), "check", data_dir=data_dir)
    assert run.code == 1
    assert run.out.splitlines() == ["[Sai lệch] Đơn vị: Đơn vị \u201cTổ dân phố 4\u201d được ghi là đã giải thể nhưng "
                                    "không có ngày giải thể.", "Phát hiện 1 vấn đề."]
    run = antq("--db", str(demo_db_path), "check", "--json", data_dir=data_dir)
    assert run.code == 1 and run.json()["problems"][0]["severity_label"] == "Sai lệch"


def test_antq_help_lists_the_maintenance_commands(data_dir):
    run = antq("--help", data_dir=data_dir)
    assert run.code == 0
    for command in ("backup", "restore", "check"):
        assert command in run.out
