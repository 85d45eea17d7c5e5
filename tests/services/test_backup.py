"""Backups on real database files: faithful and checked copies, rotation with a fake clock, the
daily trigger, restore and its refusals (the current file is never touched when one refuses)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from contextlib import closing
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from antq_desktop.db.engine import head_revision, open_database
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import backup, profile
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitInput

NOW = datetime(2026, 12, 5, 9, 30)
FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


# ---- helpers -------------------------------------------------------------------------------

def add_unit(db, name: str) -> int:
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        return unit_service.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name=name), "kiểm thử")


def unit_names(path: Path) -> list[str]:
    with closing(sqlite3.connect(path)) as connection:
        return [row[0] for row in connection.execute("SELECT name FROM unit ORDER BY id")]


def table_contents(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in rowid order: what "a faithful copy" must reproduce."""
    uri = path.resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(uri, uri=True)) as connection:
        tables = [row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
        return {table: connection.execute(f'SELECT * FROM "{table}" ORDER BY rowid').fetchall() for table in tables}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def corrupt_table(path: Path, table: str = "unit") -> None:
    """Overwrite the header of ``table``'s root page: every read of it then fails as "malformed"."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    with open(path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 16)


def state(path: Path) -> tuple[str, bool, bool]:
    """The current file as the refusals must leave it: its bytes, and no -wal/-shm appearing."""
    return sha256(path), Path(f"{path}-wal").exists(), Path(f"{path}-shm").exists()


@pytest.fixture
def folder(tmp_path) -> Path:
    path = tmp_path / "sao-luu"
    path.mkdir()
    return path


# ---- taking a backup ----------------------------------------------------------------------

def test_a_backup_is_a_faithful_checked_copy_even_while_the_program_writes(demo_db_path, folder):
    db = open_database(demo_db_path)
    try:
        add_unit(db, "Tổ dân phố Mới Thành Lập")  # committed, still in the WAL: the copy must have it
        assert Path(f"{demo_db_path}-wal").stat().st_size > 0
        info = backup.backup_now(demo_db_path, folder, kind=backup.MANUAL, now=NOW)
        expected = table_contents(demo_db_path)
    finally:
        db.close()

    assert info.file == folder / "ward-2026-12-05-0930.sqlite"
    assert table_contents(info.file) == expected
    assert "Tổ dân phố Mới Thành Lập" in unit_names(info.file)
    with closing(sqlite3.connect(info.file)) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    manifest = json.loads((folder / "ward-2026-12-05-0930.sqlite.json").read_text(encoding="utf-8"))
    assert manifest["sha256"] == sha256(info.file) == info.checksum
    assert manifest["integrity"] == "ok" and manifest["kind"] == "manual"
    assert manifest["size"] == info.file.stat().st_size
    assert manifest["schema_revision"] == head_revision()
    assert sorted(os.listdir(folder)) == ["ward-2026-12-05-0930.sqlite", "ward-2026-12-05-0930.sqlite.json"]

    (listed,) = backup.list_backups(folder)
    assert listed.verified and listed.kind == backup.MANUAL and listed.created == NOW
    assert listed.ward_name == "phường Minh Xuân"
    assert listed.units == len(expected["unit"]) == 69
    assert listed.records_by_year == {year: count for year, count in _records_by_year(expected)}
    assert listed.kind_label == "Sao lưu ngay" and listed.size_text.endswith(("KB", "MB"))


def _records_by_year(contents: dict) -> list[tuple[int, int]]:
    with_years = {}
    for row in contents["antt_record"]:
        year = row[3]  # id, ward_id, unit_id, year…
        with_years[year] = with_years.get(year, 0) + 1
    return sorted(with_years.items())


def test_two_backups_in_one_minute_get_their_own_names(empty_db_path, folder):
    first = backup.backup_now(empty_db_path, folder, now=NOW)
    second = backup.backup_now(empty_db_path, folder, now=NOW.replace(second=40))
    assert (first.file.name, second.file.name) == ("ward-2026-12-05-0930.sqlite", "ward-2026-12-05-0930-2.sqlite")
    assert [info.file for info in backup.list_backups(folder)] == [second.file, first.file]


def test_cancelling_a_backup_leaves_nothing_behind(demo_db_path, folder):
    calls = []

    def cancel_at_once(done, total):
        calls.append((done, total))
        return False

    with pytest.raises(backup.BackupCancelled, match="Đã huỷ sao lưu"):
        backup.backup_now(demo_db_path, folder, now=NOW, progress=cancel_at_once)
    assert calls and os.listdir(folder) == []


def test_cancelling_during_the_integrity_check_leaves_nothing_behind(demo_db_path, folder, monkeypatch):
    monkeypatch.setattr(backup, "CHECK_PROGRESS_STEP", 1000)  # the demo ward is checked in fewer steps than that
    halfway = []

    def cancel_once_copied(done, total):
        if done == total // 2:  # the copy is the first half of the bar, its check the second
            halfway.append(done)
        return len(halfway) < 2  # the copy's last report passes; the check's first call says Huỷ

    with pytest.raises(backup.BackupCancelled):
        backup.backup_now(demo_db_path, folder, now=NOW, progress=cancel_once_copied)
    assert len(halfway) == 2 and os.listdir(folder) == []


def test_progress_is_reported_up_to_the_end(demo_db_path, folder):
    seen = []
    backup.backup_now(demo_db_path, folder, now=NOW, progress=lambda done, total: seen.append((done, total)) or True)
    assert seen[-1][0] == seen[-1][1] > 0


def test_a_backup_interrupted_before_its_rename_leaves_no_backup(demo_db_path, folder, monkeypatch):
    real_replace = os.replace
    calls = []

    def failing_replace(source, target):
        calls.append(Path(target).name)
        if str(target).endswith(".sqlite"):  # the copy's own rename: as if the USB drive went away
            raise OSError(5, "Input/output error")
        return real_replace(source, target)

    monkeypatch.setattr(backup.os, "replace", failing_replace)
    with pytest.raises(UserError, match="Không ghi được bản sao lưu"):
        backup.backup_now(demo_db_path, folder, now=NOW)
    assert calls == ["ward-2026-12-05-0930.sqlite.json", "ward-2026-12-05-0930.sqlite"]
    assert os.listdir(folder) == []  # neither the copy, nor its manifest, nor a partial file
    assert backup.list_backups(folder) == []


def test_a_damaged_database_is_not_backed_up_over_good_backups(demo_db_path, folder):
    good = backup.backup_now(demo_db_path, folder, now=NOW)
    corrupt_table(demo_db_path)
    with pytest.raises(UserError, match="hỏng") as refused:
        backup.backup_now(demo_db_path, folder, now=NOW + timedelta(days=1))
    assert "khôi phục từ bản sao lưu gần nhất" in refused.value.message
    assert [info.file for info in backup.list_backups(folder)] == [good.file]
    assert sorted(os.listdir(folder)) == [good.file.name, good.file.name + ".json"]


def test_a_missing_backup_folder_says_to_plug_the_usb_drive_in(demo_db_path, tmp_path):
    gone = tmp_path / "usb" / "SaoLuu"
    for attempt in (lambda: backup.backup_now(demo_db_path, gone, now=NOW),
                    lambda: backup.list_backups(gone),
                    lambda: backup.rotate(gone, NOW),
                    lambda: backup.set_backup_folder(gone)):
        with pytest.raises(UserError, match="Không tìm thấy thư mục sao lưu .*ổ USB"):
            attempt()
    assert not gone.exists()  # a chosen folder is never created: the drive letter may be another device


def test_backup_to_a_named_file_refuses_the_database_itself(demo_db_path, tmp_path):
    with pytest.raises(UserError, match="phải khác tệp dữ liệu"):
        backup.backup_to_file(demo_db_path, demo_db_path)
    info = backup.backup_to_file(demo_db_path, tmp_path / "chep-tay.sqlite", now=NOW)
    assert info.verified and (tmp_path / "chep-tay.sqlite.json").is_file()
    assert backup.verify(info.file).units == 68


def test_backup_to_a_named_file_never_overwrites_a_file(demo_db_path, tmp_path):
    other = tmp_path / "khac.sqlite"
    other.write_bytes(b"something the officer keeps")
    for target in (other, Path(f"{demo_db_path}-wal")):
        with pytest.raises(UserError, match="không ghi đè"):
            backup.backup_to_file(demo_db_path, target)
    assert other.read_bytes() == b"something the officer keeps"


# ---- the backup folder setting ---------------------------------------------------------------

def test_the_backup_folder_is_a_per_pc_setting(data_dir, tmp_path):
    assert backup.backup_folder() == data_dir / "backups"
    usb = tmp_path / "USB"
    usb.mkdir()
    assert backup.set_backup_folder(usb) == usb.resolve()
    assert backup.backup_folder() == usb.resolve()
    assert json.loads((data_dir / "backup.json").read_text(encoding="utf-8")) == {"folder": str(usb.resolve())}
    (data_dir / "backup.json").write_text("{ hỏng", encoding="utf-8")
    assert backup.backup_folder() == data_dir / "backups"  # a damaged setting: the default, never a crash
    backup.set_backup_folder(None)
    assert backup.backup_folder() == data_dir / "backups"


def test_a_file_is_not_a_backup_folder(tmp_path):
    not_a_folder = tmp_path / "ghi-chu.txt"
    not_a_folder.write_text("x", encoding="utf-8")
    with pytest.raises(UserError, match="không phải thư mục"):
        backup.set_backup_folder(not_a_folder)


def test_the_default_folder_is_created_when_first_needed(demo_db_path, data_dir):
    info = backup.backup_into_chosen_folder(demo_db_path, now=NOW)
    assert info.file.parent == data_dir / "backups" and info.file.is_file()


# ---- rotation -------------------------------------------------------------------------------

@pytest.mark.slow
def test_rotation_over_400_days_keeps_7_daily_4_weekly_12_monthly_and_nothing_else_is_touched(
        empty_db_path, folder, monkeypatch):
    for flush in ("_fsync_file", "_fsync_dir"):  # 400 real backups; flushing them to the disk is not the point here
        monkeypatch.setattr(backup, flush, lambda _path: None)
    strangers = {
        "ghi-chu.txt": b"not ours",
        "ward-2020-01-01-0800.sqlite": empty_db_path.read_bytes(),  # named like ours, no manifest: not ours
        "ban-chep-cua-anh-Tuan.sqlite": empty_db_path.read_bytes(),
    }
    for name, content in strangers.items():
        (folder / name).write_bytes(content)
    start = datetime(2025, 11, 1, 9, 30)
    safety = backup.backup_now(empty_db_path, folder, kind=backup.BEFORE_RESTORE, now=start - timedelta(days=30))
    for day in range(400):
        now = start + timedelta(days=day)
        backup.backup_now(empty_db_path, folder, kind=backup.DAILY, now=now)
        backup.rotate(folder, now)
    end = start + timedelta(days=399)

    # Independently of the code: every day had one backup at 09:30, so the newest of a day is
    # that day's, the newest of a week is its Sunday's (or today's for this week), the newest of a
    # month is its last day's (or today's for this month).
    days = {end.date() - timedelta(days=n) for n in range(7)}
    weeks, monday = set(), end.date() - timedelta(days=end.weekday())
    for n in range(4):
        weeks.add(min(end.date(), monday - timedelta(weeks=n) + timedelta(days=6)))
    months, first = set(), end.date().replace(day=1)
    for _ in range(12):
        following = (first.replace(day=28) + timedelta(days=4)).replace(day=1)
        months.add(min(end.date(), following - timedelta(days=1)))
        first = (first - timedelta(days=1)).replace(day=1)
    assert (len(days), len(weeks), len(months)) == (7, 4, 12)

    kept = {info.created.date() for info in backup.list_backups(folder) if info.kind == backup.DAILY}
    assert kept == days | weeks | months
    assert end.date() in kept  # the newest
    survivors = set(os.listdir(folder))
    assert set(strangers) <= survivors
    assert {safety.file.name, safety.file.name + ".json"} <= survivors  # before-restore copies are kept
    ours = [name for name in survivors if name.endswith(".sqlite") and name not in strangers]
    assert len(ours) == len(days | weeks | months) + 1
    assert all((folder / (name + ".json")).is_file() for name in ours)  # no manifest lost its backup or the reverse
    assert not [name for name in survivors if name.endswith(".json") and name[:-5] not in survivors]


def test_the_policy_counts_each_rule_on_its_own_and_keeps_the_newest(empty_db_path, folder):
    """Backups every 10 days: the 7 newest days that have a backup are kept (not just this week's)."""
    start = datetime(2026, 1, 3, 17, 0)
    made = [backup.backup_now(empty_db_path, folder, kind=backup.EXIT, now=start + timedelta(days=10 * n))
            for n in range(20)]
    now = made[-1].created + timedelta(days=200)  # nothing backed up for months: nothing is lost to the calendar
    backup.rotate(folder, now)
    kept = [info.created for info in backup.list_backups(folder)]
    assert kept[:7] == [info.created for info in reversed(made)][:7]
    assert made[-1].created in kept and len(kept) >= 7


def test_a_backup_made_on_purpose_outlives_the_days_rotation(empty_db_path, folder):
    """"Sao lưu ngay" at 09:00 before a risky change, the exit backup at 17:00: both stay."""
    manual = backup.backup_now(empty_db_path, folder, kind=backup.MANUAL, now=NOW.replace(hour=9))
    exit_backup = backup.backup_now(empty_db_path, folder, kind=backup.EXIT, now=NOW.replace(hour=17))
    backup.rotate(folder, NOW.replace(hour=17) + timedelta(days=400))
    assert manual.file.is_file() and exit_backup.file.is_file()


def test_two_wards_with_the_same_file_name_keep_their_own_backups(demo_db_path, folder, tmp_path):
    """Two offices' "antq.sqlite" backed up to one USB drive: the rotation of one never deletes the other's."""
    first, second = tmp_path / "a" / "antq.sqlite", tmp_path / "b" / "antq.sqlite"
    for copy in (first, second):
        copy.parent.mkdir()
        shutil.copy(demo_db_path, copy)
    with closing(sqlite3.connect(second)) as connection, connection:
        connection.execute("UPDATE ward SET name = 'Tân Hà'")
    kept = backup.backup_now(first, folder, kind=backup.DAILY, now=NOW)
    for day in range(1, 9):
        backup.backup_now(second, folder, kind=backup.DAILY, now=NOW + timedelta(days=day))
        backup.rotate(folder, NOW + timedelta(days=day))
    assert kept.file.is_file()


def test_a_backup_dated_in_the_future_is_never_rotated_away(empty_db_path, folder):
    future = backup.backup_now(empty_db_path, folder, kind=backup.DAILY, now=NOW + timedelta(days=3650))
    for day in range(10):
        backup.backup_now(empty_db_path, folder, kind=backup.DAILY, now=NOW + timedelta(days=day))
    backup.rotate(folder, NOW + timedelta(days=9))
    assert future.file.is_file()


def test_leftovers_of_an_interrupted_backup_are_cleared_once_old(empty_db_path, folder):
    partial = folder / ".ward-2026-12-05-0930.sqlite.abc123.dang-ghi"
    partial.write_bytes(b"half a copy")
    orphan = folder / "ward-2026-12-04-0930.sqlite.json"
    orphan.write_text(json.dumps({"format": "antq-backup", "created": "2026-12-04T09:30:00"}), encoding="utf-8")
    recent = folder / ".ward-2026-12-05-0931.sqlite.def456.dang-ghi"
    recent.write_bytes(b"a backup being written right now")
    old = (datetime.now() - timedelta(days=1)).timestamp()
    for path in (partial, orphan):
        os.utime(path, (old, old))
    backup.rotate(folder, NOW)
    assert not partial.exists() and not orphan.exists()
    assert recent.exists()


# ---- the daily and exit backups ----------------------------------------------------------------

def test_a_daily_backup_is_needed_only_when_the_data_changed(demo_db_path, folder):
    assert backup.needs_daily_backup(demo_db_path, folder, NOW)  # never backed up
    backup.backup_now(demo_db_path, folder, kind=backup.EXIT, now=NOW)
    assert not backup.needs_daily_backup(demo_db_path, folder, NOW + timedelta(hours=2))  # today's exists
    tomorrow = NOW + timedelta(days=1)
    db = open_database(demo_db_path)  # opening and reading changes no data
    with db.transaction() as session:
        profile.require_profile(session)
    db.close()
    assert not backup.needs_daily_backup(demo_db_path, folder, tomorrow)
    db = open_database(demo_db_path)
    try:
        add_unit(db, "Tổ dân phố 99")
        assert backup.needs_daily_backup(demo_db_path, folder, tomorrow)  # a change, still in the WAL
    finally:
        db.close()
    assert backup.needs_daily_backup(demo_db_path, folder, tomorrow)  # the same change, checkpointed


def test_daily_and_exit_backups(demo_db_path, data_dir):
    first = backup.daily_backup_if_needed(demo_db_path, now=NOW)
    assert first is not None and first.kind == backup.DAILY and first.file.parent == data_dir / "backups"
    assert backup.daily_backup_if_needed(demo_db_path, now=NOW + timedelta(hours=3)) is None
    assert backup.backup_on_exit(demo_db_path, now=NOW + timedelta(hours=8)) is None  # nothing changed since
    db = open_database(demo_db_path)
    add_unit(db, "Tổ dân phố 99")
    db.close()  # the window closes its database first, then backs up
    on_exit = backup.backup_on_exit(demo_db_path, now=NOW + timedelta(hours=8))
    assert on_exit is not None and on_exit.kind == backup.EXIT and on_exit.units == 69
    assert backup.daily_backup_if_needed(demo_db_path, now=NOW + timedelta(days=1)) is None  # the exit one covers it


def test_automatic_backups_fall_back_to_the_default_folder_when_the_usb_drive_is_out(demo_db_path, tmp_path,
                                                                                       data_dir):
    usb = tmp_path / "usb"
    usb.mkdir()
    backup.set_backup_folder(usb)
    usb.rmdir()  # the drive was pulled out
    info = backup.daily_backup_if_needed(demo_db_path, now=NOW)
    assert info.file.parent == data_dir / "backups"
    assert "ổ USB" in info.note and str(usb.resolve()) in info.note
    with pytest.raises(UserError, match="ổ USB"):  # "Sao lưu ngay" says so instead of writing elsewhere
        backup.backup_into_chosen_folder(demo_db_path, now=NOW)


# ---- describing and restoring -------------------------------------------------------------------

def test_describe_tells_what_a_backup_holds(demo_db_path, folder):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    described = backup.describe(info.file)
    assert described.units == 68 and described.ward_name == "phường Minh Xuân"
    assert described.schema_revision == head_revision() and described.verified
    text = "\n".join(described.summary_lines())
    assert "Số đơn vị: 68" in text and "phường Minh Xuân" in text and "05/12/2026 09:30" in text
    assert sorted(os.listdir(folder)) == [info.file.name, info.file.name + ".json"]  # read-only: no -wal/-shm


def test_restore_round_trip(demo_db_path, folder):
    before = backup.backup_now(demo_db_path, folder, now=NOW)
    original = table_contents(demo_db_path)
    db = open_database(demo_db_path)
    add_unit(db, "Tổ dân phố sẽ mất khi khôi phục")
    with db.transaction() as session:
        profile.set_profile_field(session, "chairman_name", "Người Khác", "kiểm thử")
    db.close()
    changed = table_contents(demo_db_path)

    result = backup.restore(before.file, demo_db_path, folder, now=NOW + timedelta(hours=1))

    assert result.restored.file == before.file and result.restored.verified
    assert table_contents(demo_db_path) == original
    safety = result.safety_copy
    assert safety.kind == backup.BEFORE_RESTORE and safety.verified
    assert table_contents(safety.file) == changed  # the state just replaced is kept, whole
    assert not Path(f"{demo_db_path}-wal").exists() and not Path(f"{demo_db_path}-shm").exists()
    assert [name for name in os.listdir(demo_db_path.parent) if "dang-ghi" in name] == []
    db = open_database(demo_db_path)  # and the program opens it as usual
    try:
        with db.transaction() as session:
            assert profile.require_profile(session).chairman_name != "Người Khác"
    finally:
        db.close()


def test_restore_of_an_older_release_file_is_upgraded_when_opened(demo_db_path, folder):
    old = folder / "tu-ban-0.4.0.sqlite"
    shutil.copy(FIXTURES / "release-0.4.0.sqlite", old)
    assert backup.describe(old).schema_revision == "0006"
    backup.restore(old, demo_db_path, folder, now=NOW)
    db = open_database(demo_db_path)
    try:
        with db.transaction() as session:
            assert profile.require_profile(session).name == "Minh Xuân"
    finally:
        db.close()
    assert backup.describe(demo_db_path).schema_revision == head_revision()


def _refused(backup_file: Path, db_file: Path, folder: Path, pattern: str) -> None:
    before = state(db_file)
    listed = sorted(os.listdir(folder))
    with pytest.raises(UserError, match=pattern):
        backup.restore(backup_file, db_file, folder, now=NOW + timedelta(hours=1))
    assert state(db_file) == before, "the current file must be left exactly as it was"
    assert sorted(os.listdir(folder)) == listed, "nothing is backed up or written when the backup is refused"
    assert not [name for name in os.listdir(db_file.parent) if "dang-ghi" in name]


def test_a_changed_backup_is_refused_by_its_checksum(demo_db_path, folder):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    with open(info.file, "r+b") as handle:
        handle.seek(info.size // 2)
        handle.write(b"\x00\x01\x02\x03")
    _refused(info.file, demo_db_path, folder, "không còn giống lúc sao lưu")


def test_a_truncated_backup_is_refused(demo_db_path, folder):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    with open(info.file, "r+b") as handle:
        handle.truncate(info.size // 3)
    _refused(info.file, demo_db_path, folder, "không còn giống lúc sao lưu")
    info.file.with_name(info.file.name + ".json").unlink()  # without its manifest, SQLite itself refuses it
    _refused(info.file, demo_db_path, folder, "đã bị hỏng|không vượt qua kiểm tra toàn vẹn")


def test_a_corrupt_backup_without_manifest_is_refused_by_the_integrity_check(demo_db_path, folder, tmp_path):
    damaged = tmp_path / "hong.sqlite"
    shutil.copy(demo_db_path, damaged)
    corrupt_table(damaged, "antt_record")
    _refused(damaged, demo_db_path, folder, "đã bị hỏng|không vượt qua kiểm tra toàn vẹn")


def test_files_that_are_not_antq_backups_are_refused(demo_db_path, folder, tmp_path):
    text_file = tmp_path / "bao-cao.sqlite"
    text_file.write_text("Báo cáo năm 2026", encoding="utf-8")
    _refused(text_file, demo_db_path, folder, "không phải tệp SQLite")
    other = tmp_path / "chuong-trinh-khac.sqlite"
    with closing(sqlite3.connect(other)) as connection:
        connection.execute("CREATE TABLE khach_hang (ten TEXT)")
        connection.commit()
    _refused(other, demo_db_path, folder, "không phải dữ liệu của ANTQ Desktop")
    _refused(tmp_path / "khong-co.sqlite", demo_db_path, folder, "Không tìm thấy tệp sao lưu")
    _refused(demo_db_path, demo_db_path, folder, "chính là tệp dữ liệu đang dùng")


def test_a_backup_from_a_newer_release_is_refused(demo_db_path, folder):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    with closing(sqlite3.connect(info.file)) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
    manifest_file = info.file.with_name(info.file.name + ".json")
    manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    manifest.update(sha256=sha256(info.file), size=info.file.stat().st_size)  # a genuine backup of that release
    manifest_file.write_text(json.dumps(manifest), encoding="utf-8")
    _refused(info.file, demo_db_path, folder, "phiên bản ANTQ Desktop mới hơn")


def test_restore_refuses_while_another_window_has_the_file_open(demo_db_path, folder):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    other_window = open_database(demo_db_path)
    try:
        with other_window.transaction() as session:  # its pooled connection keeps the file open, in WAL mode
            profile.require_profile(session)
        with pytest.raises(UserError, match="đang được mở ở một cửa sổ ANTQ Desktop khác"):
            backup.restore(info.file, demo_db_path, folder, now=NOW + timedelta(hours=1))
        with other_window.transaction() as session:
            assert profile.require_profile(session).name == "Minh Xuân"
    finally:
        other_window.close()
    assert [entry.kind for entry in backup.list_backups(folder)] == [backup.MANUAL]


def test_restore_over_a_damaged_file_keeps_the_damaged_file_too(demo_db_path, folder):
    good = backup.backup_now(demo_db_path, folder, now=NOW)
    corrupt_table(demo_db_path)
    damaged_bytes = demo_db_path.read_bytes()
    result = backup.restore(good.file, demo_db_path, folder, now=NOW + timedelta(hours=1))
    assert unit_names(demo_db_path) == unit_names(good.file)
    safety = result.safety_copy
    assert safety.kind == backup.BEFORE_RESTORE and not safety.verified and "bị hỏng" in safety.note
    assert safety.file.read_bytes() == damaged_bytes
    listed = {info.file: info for info in backup.list_backups(folder)}
    assert not listed[safety.file].verified
    with pytest.raises(UserError):  # and it is never offered as a good backup
        backup.restore(safety.file, demo_db_path, folder, now=NOW + timedelta(hours=2))


def test_restore_stops_when_the_current_file_cannot_be_backed_up_first(demo_db_path, folder, tmp_path):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    usb_gone = tmp_path / "usb-da-rut"
    before = state(demo_db_path)
    with pytest.raises(UserError, match="Chưa khôi phục.*ổ USB"):
        backup.restore(info.file, demo_db_path, usb_gone, now=NOW + timedelta(hours=1))
    assert state(demo_db_path)[0] == before[0]


def test_restore_onto_a_new_computer_needs_no_current_file(folder, demo_db_path, tmp_path):
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    new_pc = tmp_path / "may-moi" / "antq.sqlite"
    new_pc.parent.mkdir()
    result = backup.restore(info.file, new_pc, folder, now=NOW)
    assert result.safety_copy is None and unit_names(new_pc) == unit_names(info.file)


def test_postgresql_is_told_to_use_the_servers_own_backup():
    class ServerDatabase:
        file = None

    with pytest.raises(UserError, match="pg_dump"):
        backup.require_sqlite_file(ServerDatabase())


def test_backups_are_for_a_file_and_a_server_is_told_so(demo_db):
    """The same call the backup dialog and `antq backup` make, on each kind of database."""
    if demo_db.engine.dialect.name == "sqlite":
        assert backup.require_sqlite_file(demo_db) == demo_db.file
    else:
        with pytest.raises(UserError) as refused:
            backup.require_sqlite_file(demo_db)
        assert refused.value.message == backup.POSTGRES_MESSAGE
        with pytest.raises(UserError, match="pg_dump"):
            backup.sqlite_file_of(demo_db.url)


def test_engine_upgrade_copies_are_listed_for_restore_but_never_rotated(empty_db_path, folder):
    upgrade_copy = folder / "ward-truoc-nang-cap-0006-20261201-080000.sqlite"
    shutil.copy(FIXTURES / "release-0.4.0.sqlite", upgrade_copy)
    for day in range(30):
        backup.backup_now(empty_db_path, folder, kind=backup.DAILY, now=NOW + timedelta(days=day))
        backup.rotate(folder, NOW + timedelta(days=day))
    listed = {info.file: info for info in backup.list_backups(folder)}
    assert listed[upgrade_copy].kind == backup.BEFORE_UPGRADE
    assert listed[upgrade_copy].created == datetime(2026, 12, 1, 8, 0)
    assert backup.describe(upgrade_copy).units == 68


def test_dates_in_names_sort_as_the_dates_do(empty_db_path, folder):
    for day in (date(2026, 1, 9), date(2026, 12, 1), date(2026, 2, 10)):
        backup.backup_now(empty_db_path, folder, now=datetime.combine(day, datetime.min.time()))
    names = sorted(name for name in os.listdir(folder) if name.endswith(".sqlite"))
    assert names == ["ward-2026-01-09-0000.sqlite", "ward-2026-02-10-0000.sqlite", "ward-2026-12-01-0000.sqlite"]


def test_only_an_administrator_restores_a_file_with_accounts(demo_db_path, folder, monkeypatch):
    from antq_desktop import identity
    from antq_desktop.domain.roles import Role
    from antq_desktop.services import accounts

    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)  # the hash is not what this test is about
    identity.sign_out()
    db = open_database(demo_db_path)
    try:
        with db.transaction() as session:
            admin = accounts.create_first_admin(session, "quantri", "Quản Trị", "mật khẩu đủ dài")
        identity.sign_in_as(identity.SignedIn(admin.id, "quantri", Role.QUAN_TRI))
        with db.transaction() as session:
            viewer = accounts.add_user(session, "lanhdao", "Lãnh Đạo", Role.CHI_XEM, "mật khẩu đủ dài", "quantri")
            officer = accounts.add_user(session, "canbo", "Cán Bộ", Role.CAN_BO, "mật khẩu đủ dài", "quantri")
    finally:
        db.close()
    info = backup.backup_now(demo_db_path, folder, now=NOW)
    try:
        for who in (None, identity.SignedIn(viewer.id, "lanhdao", Role.CHI_XEM),
                    identity.SignedIn(officer.id, "canbo", Role.CAN_BO)):
            identity.sign_out() if who is None else identity.sign_in_as(who)
            _refused(info.file, demo_db_path, folder, "Chỉ tài khoản quản trị mới được khôi phục")
        identity.sign_in_as(identity.SignedIn(admin.id, "quantri", Role.QUAN_TRI))
        assert backup.restore(info.file, demo_db_path, folder, now=NOW + timedelta(hours=1)).safety_copy is not None
        # A file too damaged to open cannot be signed in to: whoever runs the program may restore it.
        identity.sign_out()
        corrupt_table(demo_db_path)
        result = backup.restore(info.file, demo_db_path, folder, now=NOW + timedelta(hours=2))
        assert not result.safety_copy.verified and unit_names(demo_db_path) == unit_names(info.file)
    finally:
        identity.sign_out()


def test_what_counts_as_damaged_beyond_opening(demo_db_path, tmp_path):
    assert not backup.is_damaged(demo_db_path)
    assert not backup.is_damaged(tmp_path / "chua-co.sqlite")  # a new file is not damaged
    empty = tmp_path / "rong.sqlite"
    empty.write_bytes(b"")
    text_file = tmp_path / "van-ban.sqlite"
    text_file.write_text("không phải SQLite", encoding="utf-8")
    assert backup.is_damaged(empty) and backup.is_damaged(text_file)
    corrupt_table(demo_db_path)
    assert backup.is_damaged(demo_db_path)
