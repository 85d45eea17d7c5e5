"""Backups of the SQLite file: taken, checked, kept in rotation, described and restored.

A backup is a copy made with SQLite's backup API (consistent even while the program writes),
put in rollback-journal mode so that it is one self-contained file, checked with
``PRAGMA integrity_check``, and described by a small JSON manifest beside it
(``antq-2026-12-05-0930.sqlite.json``): when and why it was taken, its size and SHA-256
checksum, the schema revision, the ward, the number of units and of ANTT records per year,
and a fingerprint of the database file it was taken from. The copy and its manifest are
written under temporary names and renamed only once complete, so a failed or interrupted
backup leaves nothing that looks like a backup.

Names are ``<database name>-YYYY-MM-DD-HHMM.sqlite`` (``-2``, ``-3``… when two fall in the same
minute): they sort by date and read plainly on a USB drive. A file is *ours* when its manifest
says so; nothing else in the folder is ever deleted.

Rotation keeps, for each database name, the newest backup of each of the 7 most recent days
that have backups, of each of the 4 most recent ISO weeks, and of each of the 12 most recent
months (the three rules counted independently, their union kept), and always the newest. The
periods are those that *have* backups, not calendar days before today: an office closed for
two weeks at Tết does not lose its last daily backups to the calendar. Backups taken before a
restore, and the copies the engine takes before a schema upgrade, are never rotated away.

**When is a daily backup needed?** When no backup of this database was taken today, and the
database file differs from what it was when the newest backup was taken. "Differs" is judged
by a fingerprint: the SHA-256 of the database file and of its ``-wal`` file (when not empty),
recorded in the manifest when the backup is taken. It is the one test that cannot miss a
change: every committed transaction changes the bytes of one of the two files, whatever code
path wrote it (ORM, bulk Core inserts, another program, a migration); an audit-entry id or an
``updated_at`` would miss bulk inserts, deletions of association rows and writes of older
releases, and SQLite's file change counter is not kept up to date in WAL mode. The
fingerprint is taken *before* the copy starts, so whatever is committed after it changes the
file and makes the next check back up again. Hashing costs a read of the file (about 0.1 s per
100 MB). It can only err towards one backup too many: a WAL checkpoint changes the bytes
without changing the data. The exit backup is taken after the program has closed its
connections (the WAL is then merged and removed), so the next start sees the same bytes and
takes no needless daily backup.

Only SQLite files are backed up here; a PostgreSQL server is backed up by its own tools
(``pg_dump``), see :func:`require_sqlite_file`.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import re
import sqlite3
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from antq_desktop import __version__, identity, paths
from antq_desktop.db.engine import database_url, known_revisions
from antq_desktop.domain import vntext
from antq_desktop.domain.roles import Role
from antq_desktop.errors import UserError

log = logging.getLogger(__name__)

Progress = Callable[[int, int], bool]  # (done, total) -> False to cancel, as ui.background passes it

MANUAL, DAILY, EXIT, BEFORE_RESTORE, BEFORE_UPGRADE, UNKNOWN = (
    "manual", "daily", "exit", "before-restore", "before-upgrade", "unknown")
KIND_LABELS = {
    MANUAL: "Sao lưu ngay",
    DAILY: "Tự động hằng ngày",
    EXIT: "Tự động khi thoát",
    BEFORE_RESTORE: "Trước khi khôi phục",
    BEFORE_UPGRADE: "Trước khi nâng cấp",
    UNKNOWN: "Không rõ",
}
ROTATED_KINDS = frozenset({DAILY, EXIT})  # "Sao lưu ngay" is the officer's checkpoint: kept until deleted
KEEP_DAILY, KEEP_WEEKLY, KEEP_MONTHLY = 7, 4, 12

MANIFEST_FORMAT = "antq-backup"
MANIFEST_SUFFIX = ".json"
SETTINGS_FILE = "backup.json"
DEFAULT_FOLDER_NAME = "backups"
PARTIAL_SUFFIX = ".dang-ghi"  # a backup or restore being written; never a backup
STALE_PARTIAL_AGE = timedelta(hours=6)
BUSY_TIMEOUT_MS = 5000
CHECK_CACHE_KIB = 65536
CHECK_MMAP_BYTES = 1 << 30  # address space only; the system pages in what the check reads
CHECK_PROGRESS_STEP = 1_000_000  # SQLite instructions between two calls of the progress handler (~50 ms)
SQLITE_HEADER = b"SQLite format 3\x00"

_ONE_AT_A_TIME = threading.Lock()  # backups of this process, one after the other
_NAME = re.compile(r"^(?P<stem>.+)-(?P<day>\d{4}-\d{2}-\d{2})-(?P<time>\d{4})(?:-(?P<n>\d{1,3}))?\.sqlite$")
_UPGRADE_NAME = re.compile(r"^(?P<stem>.+)-truoc-nang-cap-(?P<rev>\d{4})-(?P<day>\d{8})-(?P<time>\d{6})\.sqlite$")
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')

POSTGRES_MESSAGE = (
    "Dữ liệu đang nằm trên máy chủ PostgreSQL dùng chung, không phải trong một tệp trên máy này, nên "
    "chương trình không tự sao lưu hay khôi phục được. Việc sao lưu do máy chủ đảm nhiệm bằng công cụ "
    "của PostgreSQL (pg_dump, pg_restore): hãy nhờ người quản trị máy chủ kiểm tra lịch sao lưu."
)


class BackupCancelled(UserError):
    """The user pressed "Huỷ": nothing was written."""

    def __init__(self) -> None:
        super().__init__("Đã huỷ sao lưu. Chưa có bản sao lưu nào được ghi; dữ liệu không bị ảnh hưởng.")


class _SourceDamaged(UserError):
    """The database being backed up cannot be read completely: it is damaged."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup: what the manifest (or, for describe(), the file itself) says about it."""

    file: Path
    created: datetime
    kind: str = UNKNOWN
    size: int = 0
    verified: bool = False  # integrity checked and checksum recorded when taken (describe: and still matching)
    checksum: str | None = None
    schema_revision: str | None = None
    ward_name: str = ""
    units: int | None = None
    records_by_year: dict[int, int] = field(default_factory=dict)  # ANTT records (registrations) per year
    last_change: datetime | None = None
    stem: str = ""
    source_fingerprint: str | None = None
    note: str = ""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, KIND_LABELS[UNKNOWN])

    @property
    def size_text(self) -> str:
        return size_text(self.size)

    @property
    def created_text(self) -> str:
        return f"{vntext.format_date(self.created.date())} {self.created:%H:%M}"

    def summary_lines(self) -> list[str]:
        """What the backup holds, in plain Vietnamese (the restore question, `antq restore`)."""
        lines = [f"Tệp: {self.file}",
                 f"Sao lưu lúc: {self.created_text}",
                 f"Loại: {self.kind_label}",
                 f"Dung lượng: {self.size_text}"]
        if self.ward_name:
            lines.append(f"Dữ liệu của: {self.ward_name}")
        if self.units is not None:
            lines.append(f"Số đơn vị: {vntext.format_number(self.units)}")
        if self.records_by_year:
            years = ", ".join(f"năm {year}: {vntext.format_number(count)}"
                              for year, count in sorted(self.records_by_year.items()))
            lines.append(f"Hồ sơ \u201cAn toàn về ANTT\u201d: {years}")
        if self.last_change is not None:
            lines.append(f"Lần thay đổi dữ liệu cuối: {vntext.format_date(self.last_change.date())} "
                         f"{self.last_change:%H:%M}")
        if self.schema_revision:
            lines.append(f"Phiên bản cấu trúc dữ liệu: {self.schema_revision}")
        lines.append("Đã kiểm tra toàn vẹn khi sao lưu: " + ("có" if self.verified else "không"))
        if self.note:
            lines.append(self.note)
        return lines


@dataclass(frozen=True)
class RestoreResult:
    restored: BackupInfo  # the backup now in place
    safety_copy: BackupInfo | None  # the database as it was just before (None: there was no file)


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{vntext.format_number(size / (1024 * 1024), 1)} MB"
    return f"{vntext.format_number(max(size, 1) / 1024, 0 if size >= 10 * 1024 else 1)} KB"


# ---- PostgreSQL ------------------------------------------------------------------------------

def require_sqlite_file(db) -> Path:
    """The SQLite file behind an open Database, or the Vietnamese explanation for a server."""
    db_file = db.file
    if db_file is None:
        raise UserError(POSTGRES_MESSAGE)
    return Path(db_file)


def sqlite_file_of(target: str | Path | None) -> Path:
    """The SQLite file ``--db`` names (the default one without it), without opening it; a server
    URL is explained (for a file that open_database refused: `antq restore`, the start)."""
    url = make_url(database_url(target))
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        raise UserError(POSTGRES_MESSAGE)
    return Path(url.database)


def is_damaged(db_file: Path) -> bool:
    """Whether a file that exists is beyond opening: empty, not SQLite, or failing quick_check
    (what makes restoring a backup in its place the way out)."""
    db_file = Path(db_file)
    try:
        if not db_file.is_file():
            return False
        if db_file.stat().st_size == 0:
            return True
        with open(db_file, "rb") as handle:
            if handle.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                return True
        with _open_read_only(db_file) as connection:
            return connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok"
    except sqlite3.DatabaseError:
        return True
    except OSError:
        return False  # unreadable for the environment (permissions, a drive gone): not a damage to restore over


# ---- the backup folder (a per-PC setting) --------------------------------------------------------

def default_backup_folder() -> Path:
    return paths.data_dir() / DEFAULT_FOLDER_NAME


def _settings_file() -> Path:
    return paths.data_dir() / SETTINGS_FILE


def backup_folder() -> Path:
    """The folder the user chose (maybe on a USB drive), else the one in the data folder."""
    try:
        stored = json.loads(_settings_file().read_text(encoding="utf-8")).get("folder")
    except FileNotFoundError:
        stored = None
    except (OSError, ValueError, AttributeError) as error:  # a damaged settings file: the default, and say so in the log
        log.warning("backup settings unreadable (%s); using the default folder", error)
        stored = None
    return Path(stored) if isinstance(stored, str) and stored.strip() else default_backup_folder()


def set_backup_folder(folder: str | Path | None) -> Path:
    """Remember ``folder`` (None: back to the default) after checking it exists and takes files."""
    if folder is None or str(folder).strip() == "":
        chosen = default_backup_folder()
        value = None
    else:
        chosen = Path(folder).expanduser()
        check_folder(chosen)
        chosen = chosen.resolve()
        value = str(chosen)
    target = _settings_file()
    temporary = target.with_name(target.name + PARTIAL_SUFFIX)
    try:
        temporary.write_text(json.dumps({"folder": value}, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, target)
    except OSError as error:
        temporary.unlink(missing_ok=True)
        raise UserError(f"Không lưu được lựa chọn thư mục sao lưu vào {target} ({error.strerror or error}).") from None
    return chosen


def check_folder(folder: Path) -> None:
    """The folder exists and a file can be written in it, else a plain UserError."""
    if not folder.exists():
        raise UserError(missing_folder_message(folder))
    if not folder.is_dir():
        raise UserError(f"{folder} là một tệp, không phải thư mục. Hãy chọn một thư mục để chứa các bản sao lưu.")
    try:
        handle, probe = tempfile.mkstemp(prefix=".antq-thu-ghi-", suffix=PARTIAL_SUFFIX, dir=folder)
        os.close(handle)
        os.unlink(probe)
    except OSError as error:
        raise UserError(
            f"Không ghi được tệp vào thư mục {folder} ({error.strerror or error}). Thư mục có thể chỉ cho phép "
            "đọc, hoặc ổ đĩa đã đầy, hoặc ổ USB đang khoá chống ghi. Hãy chọn thư mục khác."
        ) from None


def missing_folder_message(folder: Path) -> str:
    return (f"Không tìm thấy thư mục sao lưu {folder}. Nếu thư mục nằm trên ổ USB hoặc ổ mạng, hãy cắm ổ USB "
            "(hoặc kết nối mạng) rồi thử lại; hoặc chọn thư mục sao lưu khác trong mục Sao lưu và khôi phục.")


def _prepare_folder(folder: Path) -> None:
    """The default folder is ours to create; a chosen one (a USB drive) must already be there."""
    if not folder.exists() and _same_path(folder, default_backup_folder()):
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise _write_error(folder, error) from None
    check_folder(folder)


def _same_path(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve()
    except OSError:
        return False


# ---- taking a backup ----------------------------------------------------------------------

def backup_now(db_file: Path, folder: Path, *, kind: str = MANUAL, now: datetime | None = None,
               progress: Progress | None = None, source_fingerprint: str | None = None) -> BackupInfo:
    """Copy ``db_file`` into ``folder`` as a new, checked backup; returns what it holds.

    Raises UserError (nothing written) when the folder is missing or full, the database cannot
    be read completely, or the copy fails its integrity check; BackupCancelled when
    ``progress`` returned False. ``source_fingerprint``: the file's fingerprint when the caller
    has just taken it (the automatic backups), so that the file is not read twice.
    """
    if kind not in KIND_LABELS or kind in (UNKNOWN, BEFORE_UPGRADE):
        raise ValueError(f"unknown backup kind {kind!r}")
    db_file, folder = Path(db_file), Path(folder)
    now = (now or datetime.now()).replace(microsecond=0)
    _check_source(db_file)
    _prepare_folder(folder)
    stem = safe_stem(db_file)
    with _ONE_AT_A_TIME:  # the daily backup's thread and "Sao lưu ngay" must not pick the same free name
        target = _free_name(folder, stem, now)
        return _backup_into(db_file, target, kind=kind, now=now, stem=stem, progress=progress,
                            source_fingerprint=source_fingerprint)


def backup_to_file(db_file: Path, target: Path, *, kind: str = MANUAL, now: datetime | None = None,
                   progress: Progress | None = None) -> BackupInfo:
    """A backup written to the file the user named (`antq backup --out FILE`), manifest beside it."""
    db_file, target = Path(db_file), Path(target).expanduser()
    _check_source(db_file)
    if _same_path(target, db_file):
        raise UserError("Tệp sao lưu phải khác tệp dữ liệu đang dùng. Hãy chọn tên tệp khác.")
    if target.exists() or target.name.lower().endswith(("-wal", "-shm", "-journal")):
        raise UserError(f"Đã có tệp \u201c{target.name}\u201d: chương trình không ghi đè lên tệp có sẵn. "
                        "Hãy chọn tên tệp khác.")
    if not target.parent.is_dir():
        raise UserError(missing_folder_message(target.parent))
    check_folder(target.parent)
    now = (now or datetime.now()).replace(microsecond=0)
    with _ONE_AT_A_TIME:
        return _backup_into(db_file, target, kind=kind, now=now, stem=safe_stem(db_file), progress=progress)


def safe_stem(db_file: Path) -> str:
    """The database's name as the first part of its backups' names (characters Windows refuses replaced)."""
    stem = _UNSAFE.sub("_", Path(db_file).stem).strip(" .")
    return stem or "antq"


def _free_name(folder: Path, stem: str, now: datetime) -> Path:
    base = f"{stem}-{now:%Y-%m-%d-%H%M}"
    for number in range(1, 1000):
        name = f"{base}.sqlite" if number == 1 else f"{base}-{number}.sqlite"
        candidate = folder / name
        if not candidate.exists() and not _manifest_path(candidate).exists():
            return candidate
    raise UserError(f"Đã có quá nhiều bản sao lưu trong cùng một phút trong thư mục {folder}.")


def _check_source(db_file: Path) -> None:
    if not db_file.is_file():
        raise UserError(f"Không tìm thấy tệp dữ liệu {db_file} để sao lưu.")


def _backup_into(db_file: Path, target: Path, *, kind: str, now: datetime, stem: str,
                 progress: Progress | None, source_fingerprint: str | None = None) -> BackupInfo:
    folder = target.parent
    handle, partial_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=PARTIAL_SUFFIX, dir=folder)
    os.close(handle)
    partial = Path(partial_name)
    manifest_partial = partial.with_name(partial.name[: -len(PARTIAL_SUFFIX)] + MANIFEST_SUFFIX + PARTIAL_SUFFIX)
    manifest = _manifest_path(target)
    manifest_placed = False
    try:
        source_fingerprint = source_fingerprint or fingerprint(db_file)  # before the copy: see the module's note
        pages = _copy_database(db_file, partial, progress)
        contents = _read_contents_and_check(partial, progress, pages)
        _fsync_file(partial)
        checksum = file_checksum(partial)
        info = BackupInfo(
            file=target, created=now, kind=kind, size=partial.stat().st_size, verified=True, checksum=checksum,
            stem=stem, source_fingerprint=source_fingerprint, **contents,
        )
        _write_json(manifest_partial, _manifest(info, db_file))
        # The manifest first: a backup file in place always has its manifest; a manifest
        # alone (killed between the two renames) is not a backup and is cleared by rotate().
        os.replace(manifest_partial, manifest)
        manifest_placed = True
        os.replace(partial, target)
        manifest_placed = False
        _fsync_dir(folder)
        if progress is not None:
            progress(2 * pages, 2 * pages)
        return info
    except UserError:
        raise
    except sqlite3.Error as error:
        raise _sqlite_backup_error(db_file, folder, error) from None
    except OSError as error:
        raise _write_error(folder, error) from None
    finally:
        if manifest_placed:  # the copy never reached its name: its manifest must not stay
            _remove_quietly(manifest)
        for leftover in (partial, manifest_partial, *_sidecars(partial)):
            _remove_quietly(leftover)


class _Stop(Exception):
    """Raised inside sqlite3's progress callback: SQLite abandons the backup."""


def _copy_database(db_file: Path, partial: Path, progress: Progress | None) -> int:
    """SQLite's backup API, some pages at a time so that progress shows and Huỷ is heard; the
    number of pages. The copy is the first half of the progress bar, its check the second."""
    with contextlib.closing(_connect_source(db_file)) as source, \
            contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as copy:
        try:
            total = source.execute("PRAGMA page_count").fetchone()[0]
        except sqlite3.DatabaseError as error:
            raise _damaged(db_file, error) from None
        step = max(1024, total // 40) if progress is not None else -1

        def report(_status: int, remaining: int, pages: int) -> None:
            if progress is not None and not progress(max(pages - remaining, 0), 2 * max(pages, 1)):
                raise _Stop

        try:
            source.backup(copy, pages=step, progress=report if progress is not None else None)
        except _Stop:
            raise BackupCancelled() from None
        except sqlite3.DatabaseError as error:
            if _is_source_fault(error):
                raise _damaged(db_file, error) from None
            raise
        # One self-contained file: the copy carries the source's WAL flag until told otherwise.
        copy.execute("PRAGMA journal_mode = DELETE")
        return max(copy.execute("PRAGMA page_count").fetchone()[0], 1)


def _connect_source(db_file: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db_file, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    return connection


def _is_source_fault(error: sqlite3.Error) -> bool:
    text = str(error).lower()
    return "malformed" in text or "not a database" in text or "corrupt" in text


def _damaged(db_file: Path, error: BaseException) -> _SourceDamaged:
    return _SourceDamaged(
        f"Không sao lưu được vì tệp dữ liệu {db_file.name} đã bị hỏng ({error}). Các bản sao lưu cũ vẫn còn "
        "nguyên: hãy khôi phục từ bản sao lưu gần nhất (mục Sao lưu và khôi phục)."
    )


def _tolerant_text(raw: bytes) -> str:
    """Text as SQLite hands it over: a damaged page can put invalid UTF-8 even into its own reports."""
    return raw.decode("utf-8", "replace")


def _read_contents_and_check(copy_file: Path, progress: Progress | None = None, pages: int = 1) -> dict:
    """Integrity of the copy, then what it holds (for the manifest). The check gives no measure
    of its own progress: the bar stays at half way, but Huỷ is still heard every few dozen ms."""
    with contextlib.closing(sqlite3.connect(copy_file, isolation_level=None)) as copy:
        copy.text_factory = _tolerant_text
        copy.execute(f"PRAGMA cache_size = -{CHECK_CACHE_KIB}")  # the index lookups of the check hit the cache
        # Reading the pages through a memory map instead of read() calls: the check of a 476 MB copy
        # takes 2.9 s instead of 4.2 s (benchmarks/bench_backup.py).
        copy.execute(f"PRAGMA mmap_size = {CHECK_MMAP_BYTES}")
        if progress is not None:
            copy.set_progress_handler(lambda: 0 if progress(pages, 2 * pages) else 1, CHECK_PROGRESS_STEP)
        try:
            problems = [row[0] for row in copy.execute("PRAGMA integrity_check")]
        except sqlite3.OperationalError as error:
            if progress is not None and "interrupt" in str(error).lower():
                raise BackupCancelled() from None
            raise
        copy.set_progress_handler(None, 0)
        if problems != ["ok"]:
            raise _SourceDamaged(
                "Bản sao vừa tạo không vượt qua kiểm tra toàn vẹn, nên chưa được lưu: tệp dữ liệu có thể đã bị "
                f"hỏng ({'; '.join(problems[:3])}). Hãy chạy Kiểm tra dữ liệu, hoặc khôi phục từ bản sao lưu gần nhất."
            )
        return _contents(copy)


def _contents(connection: sqlite3.Connection) -> dict:
    """Schema revision, ward, counts: read defensively, a file of an older release lacks tables."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    result: dict = {"schema_revision": None, "ward_name": "", "units": None, "records_by_year": {},
                    "last_change": None}
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        result["schema_revision"] = row[0] if row else None
    if "ward" in tables:
        row = connection.execute("SELECT kind, name FROM ward ORDER BY id LIMIT 1").fetchone()
        if row:
            labels = {"xa": "xã", "phuong": "phường", "dac_khu": "đặc khu"}
            result["ward_name"] = f"{labels.get(row[0], row[0])} {row[1]}".strip()
    if "unit" in tables:
        result["units"] = connection.execute("SELECT count(*) FROM unit").fetchone()[0]
    if "antt_record" in tables:
        result["records_by_year"] = {int(year): count for year, count in connection.execute(
            "SELECT year, count(*) FROM antt_record GROUP BY year ORDER BY year")}
    changes = [connection.execute(f"SELECT max(updated_at) FROM {table}").fetchone()[0]
               for table in ("unit", "antt_record", "ward") if table in tables]
    if "audit_entry" in tables:
        changes.append(connection.execute("SELECT max(at) FROM audit_entry").fetchone()[0])
    stamps = [_parse_time(value) for value in changes if value]
    stamps = [stamp for stamp in stamps if stamp is not None]
    result["last_change"] = max(stamps) if stamps else None
    return result


def _parse_time(value) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).replace(microsecond=0)
    except ValueError:
        return None


def _manifest(info: BackupInfo, db_file: Path) -> dict:
    return {
        "format": MANIFEST_FORMAT, "format_version": 1, "program_version": __version__,
        "file": info.file.name, "stem": info.stem, "created": info.created.isoformat(), "kind": info.kind,
        "size": info.size, "sha256": info.checksum, "integrity": "ok" if info.verified else "failed",
        "schema_revision": info.schema_revision, "ward": info.ward_name, "units": info.units,
        "records_by_year": {str(year): count for year, count in info.records_by_year.items()},
        "last_change": info.last_change.isoformat() if info.last_change else None,
        "source": str(db_file), "source_fingerprint": info.source_fingerprint, "note": info.note,
    }


def _manifest_path(backup_file: Path) -> Path:
    return backup_file.with_name(backup_file.name + MANIFEST_SUFFIX)


def _write_json(path: Path, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(data, handle, ensure_ascii=False, indent=1)
        handle.flush()
        os.fsync(handle.fileno())


def _sqlite_backup_error(db_file: Path, folder: Path, error: sqlite3.Error) -> UserError:
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return UserError("Tệp dữ liệu đang bận vì một cửa sổ khác đang ghi. Hãy chờ một lát rồi sao lưu lại.")
    if _is_source_fault(error):
        return _damaged(db_file, error)
    if "full" in text:
        return UserError(f"Ổ đĩa chứa thư mục sao lưu {folder} đã đầy nên chưa sao lưu được. Hãy xoá bớt tệp "
                         "không cần trên ổ đó, hoặc chọn thư mục sao lưu khác. Dữ liệu không bị ảnh hưởng.")
    return UserError(f"Không ghi được bản sao lưu vào thư mục {folder} ({error}). Nếu thư mục nằm trên ổ USB, "
                     "hãy kiểm tra ổ USB còn cắm và không bị khoá chống ghi, rồi thử lại. Dữ liệu không bị ảnh hưởng.")


def _write_error(folder: Path, error: OSError) -> UserError:
    import errno

    if error.errno == errno.ENOSPC:
        return UserError(f"Ổ đĩa chứa thư mục sao lưu {folder} đã đầy nên chưa sao lưu được. Hãy xoá bớt tệp "
                         "không cần trên ổ đó, hoặc chọn thư mục sao lưu khác. Dữ liệu không bị ảnh hưởng.")
    if not folder.exists():
        return UserError(missing_folder_message(folder))
    return UserError(f"Không ghi được bản sao lưu vào thư mục {folder} ({error.strerror or error}). Nếu thư mục nằm "
                     "trên ổ USB, hãy kiểm tra ổ USB còn cắm và không bị khoá chống ghi. Dữ liệu không bị ảnh hưởng.")


def _fsync_file(path: Path) -> None:
    with open(path, "rb+") as handle:
        os.fsync(handle.fileno())


def _fsync_dir(folder: Path) -> None:
    """Make the renames durable (POSIX; Windows has no directory handles to flush)."""
    if os.name == "nt":
        return
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _sidecars(path: Path) -> tuple[Path, ...]:
    return tuple(path.with_name(path.name + suffix) for suffix in ("-journal", "-wal", "-shm"))


def _remove_quietly(path: Path | None) -> None:
    if path is None:
        return
    with contextlib.suppress(OSError):
        path.unlink(missing_ok=True)


# ---- checksums and the fingerprint ----------------------------------------------------------

def file_checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def fingerprint(db_file: Path) -> str:
    """SHA-256 over the database file and its non-empty -wal: changes with every commit."""
    digest = hashlib.sha256()
    for path, label in ((Path(db_file), b"db"), (Path(f"{db_file}-wal"), b"wal")):
        try:
            with open(path, "rb") as handle:
                first = handle.read(1 << 20)
                if not first and label == b"wal":
                    continue  # an empty WAL is no WAL
                digest.update(label)
                digest.update(first)
                while chunk := handle.read(1 << 20):
                    digest.update(chunk)
        except FileNotFoundError:
            continue
    return digest.hexdigest()


# ---- listing and describing ---------------------------------------------------------------

def list_backups(folder: Path) -> list[BackupInfo]:
    """The backups in ``folder``, newest first: ours (with a manifest), the engine's copies taken
    before an upgrade, and files named like ours whose manifest was lost (not verified)."""
    folder = Path(folder)
    if not folder.is_dir():
        raise UserError(missing_folder_message(folder))
    found = []
    try:
        names = sorted(os.listdir(folder))
    except OSError as error:
        raise UserError(f"Không đọc được thư mục sao lưu {folder} ({error.strerror or error}). "
                        "Hãy kiểm tra ổ USB còn cắm.") from None
    for name in names:
        if not name.endswith(".sqlite") or name.startswith("."):
            continue
        info = _listed(folder / name)
        if info is not None:
            found.append(info)
    return sorted(found, key=lambda info: (info.created, info.file.name), reverse=True)


def _listed(path: Path) -> BackupInfo | None:
    manifest = _read_manifest(path)
    try:
        size = path.stat().st_size
    except OSError:
        return None
    if manifest is not None:
        return _from_manifest(path, manifest, size)
    if match := _NAME.match(path.name):
        created = _name_time(match["day"], match["time"])
        if created is None:
            return None
        return BackupInfo(file=path, created=created, kind=UNKNOWN, size=size, stem=match["stem"],
                          note="Không có tệp mô tả đi kèm nên không biết bản này đã được kiểm tra hay chưa.")
    if match := _UPGRADE_NAME.match(path.name):
        try:
            created = datetime.strptime(match["day"] + match["time"], "%Y%m%d%H%M%S")
        except ValueError:
            return None
        return BackupInfo(file=path, created=created, kind=BEFORE_UPGRADE, size=size, stem=match["stem"],
                          schema_revision=match["rev"],
                          note=f"Bản chương trình tự chép trước khi nâng cấp cấu trúc dữ liệu từ phiên bản {match['rev']}.")
    return None


def _name_time(day: str, hhmm: str) -> datetime | None:
    try:
        return datetime.strptime(f"{day} {hhmm}", "%Y-%m-%d %H%M")
    except ValueError:
        return None


def _read_manifest(backup_file: Path) -> dict | None:
    try:
        data = json.loads(_manifest_path(backup_file).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != MANIFEST_FORMAT:
        return None
    return data


def _from_manifest(path: Path, data: dict, size: int) -> BackupInfo | None:
    created = _parse_time(data.get("created"))
    if created is None:
        return None
    records = data.get("records_by_year") or {}
    try:
        by_year = {int(year): int(count) for year, count in records.items()}
    except (TypeError, ValueError, AttributeError):
        by_year = {}
    kind = data.get("kind") if data.get("kind") in KIND_LABELS else UNKNOWN
    recorded_size = data.get("size")
    verified = data.get("integrity") == "ok" and bool(data.get("sha256")) and recorded_size == size
    note = data.get("note") or ""
    if recorded_size != size:
        note = (f"Dung lượng tệp ({size_text(size)}) khác lúc sao lưu ({size_text(int(recorded_size or 0))}): "
                "tệp có thể đã bị chép dở hoặc bị sửa.")
    units = data.get("units")
    return BackupInfo(
        file=path, created=created, kind=kind, size=size, verified=verified, checksum=data.get("sha256"),
        schema_revision=data.get("schema_revision"), ward_name=str(data.get("ward") or ""),
        units=units if isinstance(units, int) else None, records_by_year=by_year,
        last_change=_parse_time(data.get("last_change")) if data.get("last_change") else None,
        stem=str(data.get("stem") or ""), source_fingerprint=data.get("source_fingerprint"), note=note,
    )


def _sqlite_uri(path: Path, **parameters: str) -> str:
    """A file: URI SQLite accepts for ``path`` (Windows drives, UNC shares, Vietnamese letters)."""
    posix = path.resolve().as_posix()
    if posix.startswith("//"):
        prefix = "file://"  # UNC: file:////server/share/..., an empty authority
    elif re.match(r"^[A-Za-z]:/", posix):
        prefix = "file:///"
    else:
        prefix = "file://"
    query = "&".join(f"{key}={value}" for key, value in parameters.items())
    return f"{prefix}{quote(posix, safe='/:')}" + (f"?{query}" if query else "")


@contextlib.contextmanager
def _open_read_only(backup_file: Path) -> Iterator[sqlite3.Connection]:
    """A backup opened without changing it or leaving -wal/-shm files beside it. A file with a
    non-empty -wal beside it (a live database's copy) is read with that WAL, as SQLite would."""
    wal = Path(f"{backup_file}-wal")
    with_wal = wal.exists() and wal.stat().st_size > 0
    uri = _sqlite_uri(backup_file, mode="ro") if with_wal else _sqlite_uri(backup_file, mode="ro", immutable="1")
    connection = sqlite3.connect(uri, uri=True, isolation_level=None)
    connection.text_factory = _tolerant_text
    try:
        yield connection
    finally:
        connection.close()


def describe(backup_file: Path) -> BackupInfo:
    """What a backup holds, read from the file itself (read-only), with its manifest's facts.

    Raises UserError when the file is missing, is not a SQLite file, or is not an ANTQ database.
    """
    backup_file = Path(backup_file)
    size = _readable_size(backup_file)
    _check_header(backup_file)
    try:
        with _open_read_only(backup_file) as connection:
            contents = _contents(connection)
    except sqlite3.DatabaseError as error:
        _check_checksum(backup_file)  # "changed since it was taken" says more than SQLite's word
        raise _unreadable_backup(backup_file, error) from None
    if contents["schema_revision"] is None:
        raise UserError(f"Tệp {backup_file.name} là tệp SQLite nhưng không phải dữ liệu của ANTQ Desktop, nên "
                        "không dùng để khôi phục được. Hãy chọn một bản sao lưu khác.")
    listed = _listed(backup_file)
    manifest = _read_manifest(backup_file)
    base = listed if listed is not None else BackupInfo(
        file=backup_file, created=datetime.fromtimestamp(backup_file.stat().st_mtime).replace(microsecond=0),
        size=size, note="Tệp này không có tệp mô tả đi kèm (không phải bản do chương trình sao lưu).")
    return replace(base, size=size, verified=bool(manifest) and base.verified, **contents)


def _readable_size(backup_file: Path) -> int:
    try:
        if not backup_file.is_file():
            raise FileNotFoundError
        return backup_file.stat().st_size
    except FileNotFoundError:
        raise UserError(f"Không tìm thấy tệp sao lưu {backup_file}. Nếu tệp nằm trên ổ USB, hãy cắm ổ USB rồi "
                        "thử lại.") from None
    except OSError as error:
        raise UserError(f"Không đọc được tệp sao lưu {backup_file} ({error.strerror or error}).") from None


def _check_header(backup_file: Path) -> None:
    try:
        with open(backup_file, "rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise UserError(f"Không đọc được tệp sao lưu {backup_file} ({error.strerror or error}).") from None
    if header != SQLITE_HEADER:
        raise UserError(f"Tệp {backup_file.name} không phải là bản sao lưu dữ liệu của ANTQ Desktop (không phải "
                        "tệp SQLite), hoặc đã bị hỏng. Hãy chọn một bản sao lưu khác.")


def _unreadable_backup(backup_file: Path, error: BaseException) -> UserError:
    return UserError(f"Bản sao lưu {backup_file.name} đã bị hỏng nên không dùng được ({error}). Hãy chọn một "
                     "bản sao lưu khác (thường là bản ngay trước đó).")


def _check_checksum(backup_file: Path) -> None:
    manifest = _read_manifest(backup_file)
    if manifest is not None and manifest.get("sha256") and file_checksum(backup_file) != manifest["sha256"]:
        raise UserError(f"Bản sao lưu {backup_file.name} không còn giống lúc sao lưu (mã kiểm tra SHA-256 không "
                        "khớp): tệp đã bị hỏng hoặc bị sửa. Hãy chọn một bản sao lưu khác.")


def verify(backup_file: Path) -> BackupInfo:
    """Everything restore requires: checksum (when a manifest exists), integrity, an ANTQ database
    of a schema this program knows. Returns describe()'s answer; raises UserError otherwise."""
    backup_file = Path(backup_file)
    _readable_size(backup_file)
    _check_checksum(backup_file)  # first: it tells "changed since it was taken" before SQLite reads it
    info = describe(backup_file)
    try:
        with _open_read_only(backup_file) as connection:
            problems = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as error:
        raise _unreadable_backup(backup_file, error) from None
    if problems != ["ok"]:
        raise UserError(f"Bản sao lưu {backup_file.name} không vượt qua kiểm tra toàn vẹn ({'; '.join(problems[:3])}), "
                        "nên không dùng để khôi phục được. Hãy chọn một bản sao lưu khác.")
    if info.schema_revision not in known_revisions():
        raise UserError(f"Bản sao lưu {backup_file.name} được tạo bởi một phiên bản ANTQ Desktop mới hơn phiên bản "
                        "đang chạy. Hãy cài phiên bản mới hơn rồi khôi phục; dữ liệu hiện tại chưa bị thay đổi gì.")
    return replace(info, verified=True)


# ---- rotation ---------------------------------------------------------------------------

def rotate(folder: Path, now: datetime | None = None) -> list[Path]:
    """Delete the backups the policy no longer keeps (7 daily, 4 weekly, 12 monthly, the newest;
    each database, by file name and ward, on its own); returns the files deleted. Only our rotated kinds are ever
    deleted, with their manifests; partial files of an interrupted backup are cleared too."""
    folder = Path(folder)
    now = now or datetime.now()
    if not folder.is_dir():
        raise UserError(missing_folder_message(folder))
    backups = [info for info in list_backups(folder) if info.kind in ROTATED_KINDS and _read_manifest(info.file)]
    deleted = []
    # one group per database: its file name and its ward (two offices' "antq.sqlite" on one USB
    # drive are two databases, and neither may rotate the other's backups away)
    for owner in {(info.stem, info.ward_name) for info in backups}:
        group = [info for info in backups if (info.stem, info.ward_name) == owner]
        kept = kept_by_policy(group, now)
        for info in group:
            if info.file not in kept:
                try:
                    info.file.unlink()
                except FileNotFoundError:
                    pass
                except OSError as error:
                    log.warning("could not delete old backup %s: %s", info.file, error)
                    continue
                _remove_quietly(_manifest_path(info.file))
                deleted.append(info.file)
    _clear_leftovers(folder, now)
    return sorted(deleted)


def kept_by_policy(backups: list[BackupInfo], now: datetime) -> set[Path]:
    """The files the policy keeps among one database's backups."""
    future = {info.file for info in backups if info.created > now}  # a wrong clock: never ours to judge
    dated = sorted((info for info in backups if info.created <= now), key=lambda info: info.created, reverse=True)
    kept = set(future)
    if dated:
        kept.add(dated[0].file)
    for period, count in ((_day, KEEP_DAILY), (_iso_week, KEEP_WEEKLY), (_month, KEEP_MONTHLY)):
        kept |= _newest_per_period(dated, period, count)
    return kept


def _newest_per_period(newest_first: list[BackupInfo], period: Callable[[datetime], tuple], count: int) -> set[Path]:
    seen: list[tuple] = []
    kept = set()
    for info in newest_first:
        key = period(info.created)
        if key in seen:
            continue
        if len(seen) == count:
            break
        seen.append(key)
        kept.add(info.file)
    return kept


def _day(moment: datetime) -> tuple:
    return (moment.date(),)


def _iso_week(moment: datetime) -> tuple:
    iso = moment.isocalendar()
    return (iso.year, iso.week)


def _month(moment: datetime) -> tuple:
    return (moment.year, moment.month)


def _clear_leftovers(folder: Path, now: datetime) -> None:
    """Partial files of a backup killed half-way, and manifests whose backup is gone."""
    limit = time.time() - STALE_PARTIAL_AGE.total_seconds()
    for path in folder.iterdir():
        name = path.name
        try:
            old = path.stat().st_mtime < limit
        except OSError:
            continue
        partial = name.startswith(".") and (name.endswith(PARTIAL_SUFFIX) or
                                            any(name.endswith(PARTIAL_SUFFIX + s) for s in ("-journal", "-wal", "-shm")))
        if partial and old:
            _remove_quietly(path)
        elif name.endswith(".sqlite" + MANIFEST_SUFFIX) and old:
            backup_file = path.with_name(name[: -len(MANIFEST_SUFFIX)])
            if not backup_file.exists() and _read_manifest(backup_file) is not None:
                _remove_quietly(path)


# ---- automatic backups --------------------------------------------------------------------

def newest_backup(folder: Path, db_file: Path) -> BackupInfo | None:
    """The newest verified backup of this database (by its name) in ``folder``."""
    stem = safe_stem(db_file)
    ours = [info for info in list_backups(folder) if info.stem == stem and info.source_fingerprint]
    return ours[0] if ours else None


def needs_daily_backup(db_file: Path, folder: Path, now: datetime | None = None) -> bool:
    """No backup of this database was taken today, and the file changed since the newest one."""
    return _daily_due(Path(db_file), Path(folder), now or datetime.now()) is not None


def _daily_due(db_file: Path, folder: Path, now: datetime) -> str | None:
    """The file's fingerprint when a daily backup is due, else None."""
    if not db_file.is_file():
        return None
    latest = newest_backup(folder, db_file) if folder.is_dir() else None
    if latest is not None and latest.created.date() == now.date():
        return None
    current = fingerprint(db_file)
    return None if latest is not None and latest.source_fingerprint == current else current


def available_folder() -> tuple[Path, str]:
    """The chosen folder, or the default one when the chosen one is gone (a USB drive pulled out)."""
    chosen = backup_folder()
    try:
        _prepare_folder(chosen)
        return chosen, ""
    except UserError:
        fallback = default_backup_folder()
        _prepare_folder(fallback)
        return fallback, (f"Không tìm thấy (hoặc không ghi được) thư mục sao lưu {chosen}, có thể ổ USB chưa được "
                          f"cắm; bản sao lưu tự động đã được ghi vào thư mục mặc định {fallback}.")


def daily_backup_if_needed(db_file: Path, *, now: datetime | None = None,
                           progress: Progress | None = None) -> BackupInfo | None:
    """The daily backup, when needed (see the module's note); rotation after it. None: not needed."""
    now = now or datetime.now()
    folder, note = available_folder()
    current = _daily_due(Path(db_file), folder, now)
    if current is None:
        return None
    info = backup_now(db_file, folder, kind=DAILY, now=now, progress=progress, source_fingerprint=current)
    rotate(folder, now)
    return replace(info, note=note) if note else info


def backup_on_exit(db_file: Path, *, now: datetime | None = None,
                   progress: Progress | None = None) -> BackupInfo | None:
    """The backup when the program closes (call it after the Database is closed); skipped when
    the file is the same as at the newest backup. None: nothing to back up."""
    now = now or datetime.now()
    db_file = Path(db_file)
    if not db_file.is_file():
        return None
    folder, note = available_folder()
    latest = newest_backup(folder, db_file)
    current = fingerprint(db_file)
    if latest is not None and latest.source_fingerprint == current:
        return None
    info = backup_now(db_file, folder, kind=EXIT, now=now, progress=progress, source_fingerprint=current)
    rotate(folder, now)
    return replace(info, note=note) if note else info


def backup_into_chosen_folder(db_file: Path, *, now: datetime | None = None,
                              progress: Progress | None = None) -> BackupInfo:
    """"Sao lưu ngay" and `antq backup`: into the chosen folder (its absence is an error the user
    must see), then the rotation."""
    folder = backup_folder()
    info = backup_now(db_file, folder, kind=MANUAL, now=now, progress=progress)
    rotate(folder, now)
    return info


# ---- restoring ---------------------------------------------------------------------------

def restore(backup_file: Path, db_file: Path, folder: Path, now: datetime | None = None,
            progress: Progress | None = None) -> RestoreResult:
    """Put ``backup_file`` in place of ``db_file``, after checking it and backing up the current file.

    The caller must have closed every connection to ``db_file`` first (``Database.close()``);
    another program still using it makes the restore stop with a message. Order of work, so
    that a failure at any step leaves the current file as it was:

    1. verify the backup (checksum, integrity, an ANTQ database, a schema this program knows);
    2. copy it beside the database file under a temporary name, and flush it to disk;
    3. make sure no one else has the database open (switching it out of WAL mode needs that);
    4. back up the current file into ``folder`` (kind "before-restore"); a damaged current file
       is kept as a raw copy instead, since it can no longer be read through SQLite;
    5. remove the old file's -wal/-shm (their content is in the copy of step 4; left there, the
       old WAL would be replayed onto the restored file) and rename the new file into place.
    """
    backup_file, db_file, folder = Path(backup_file), Path(db_file), Path(folder)
    now = (now or datetime.now()).replace(microsecond=0)
    if _same_path(backup_file, db_file):
        raise UserError("Tệp được chọn chính là tệp dữ liệu đang dùng. Hãy chọn một bản sao lưu.")
    check_may_restore(db_file)
    info = verify(backup_file)
    if not db_file.parent.is_dir():
        raise UserError(f"Thư mục chứa tệp dữ liệu không tồn tại: {db_file.parent}")
    if db_file.exists():
        try:
            _prepare_folder(folder)  # before anything is touched: the copy of the current file must have a place
        except UserError as error:
            raise UserError("Chưa khôi phục, vì chưa sao lưu được dữ liệu hiện tại để giữ lại: "
                            f"{error.message}") from None
    handle, partial_name = tempfile.mkstemp(prefix=f".{db_file.name}.khoi-phuc.", suffix=PARTIAL_SUFFIX,
                                            dir=db_file.parent)
    os.close(handle)
    partial = Path(partial_name)
    try:
        _copy_backup(backup_file, partial, progress)
        safety = None
        if db_file.exists():
            damaged = _take_over(db_file)
            try:
                safety = _safety_copy(db_file, folder, now, damaged)
            except UserError as error:
                raise UserError("Chưa khôi phục, vì chưa sao lưu được dữ liệu hiện tại để giữ lại: "
                                f"{error.message}") from None
        for sidecar in (Path(f"{db_file}-wal"), Path(f"{db_file}-shm"), Path(f"{db_file}-journal")):
            sidecar.unlink(missing_ok=True)
        os.replace(partial, db_file)
        _fsync_dir(db_file.parent)
    except PermissionError:
        raise UserError(f"Không thay được tệp dữ liệu {db_file}: tệp đang được một chương trình khác mở (một cửa sổ "
                        "ANTQ Desktop khác, phần mềm diệt virus hoặc đồng bộ đám mây). Hãy đóng chương trình đó rồi "
                        "thử lại. Dữ liệu hiện tại chưa bị thay đổi.") from None
    except sqlite3.Error as error:
        raise UserError(f"Không khôi phục được ({error}). Dữ liệu hiện tại chưa bị thay đổi.") from None
    except OSError as error:
        raise UserError(f"Không ghi được tệp dữ liệu mới vào {db_file.parent} ({error.strerror or error}). Hãy kiểm "
                        "tra ổ đĩa còn chỗ trống. Dữ liệu hiện tại chưa bị thay đổi.") from None
    finally:
        for leftover in (partial, *_sidecars(partial)):
            _remove_quietly(leftover)
    return RestoreResult(restored=info, safety_copy=safety)


def check_may_restore(db_file: Path) -> None:
    """Restoring replaces every record at once, past the checks each service makes: once a sound
    file has accounts, only an administrator signed in may do it. A damaged file (it fails
    SQLite's quick_check, so the program cannot open it for anyone to sign in) may be restored
    by whoever runs the program: it is kept, byte for byte, beside the backups."""
    if not Path(db_file).is_file():
        return
    try:
        with _open_read_only(Path(db_file)) as connection:
            if connection.execute("PRAGMA quick_check(1)").fetchone()[0] != "ok":
                return
            has_table = connection.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'app_user'").fetchone()
            has_accounts = bool(has_table) and connection.execute("SELECT 1 FROM app_user LIMIT 1").fetchone()
    except sqlite3.DatabaseError:
        return
    if not has_accounts:
        return
    user = identity.signed_in()
    if user is None or user.role is not Role.QUAN_TRI:
        raise UserError("Chỉ tài khoản quản trị mới được khôi phục dữ liệu từ bản sao lưu, vì việc này thay toàn bộ "
                        "dữ liệu hiện tại. Hãy nhờ người quản trị đăng nhập để khôi phục. Dữ liệu chưa bị thay đổi.")


def _copy_backup(backup_file: Path, partial: Path, progress: Progress | None) -> None:
    with _open_read_only(backup_file) as source, contextlib.closing(sqlite3.connect(partial, isolation_level=None)) as copy:
        copy.text_factory = _tolerant_text
        def report(_status: int, remaining: int, pages: int) -> None:
            if progress is not None and not progress(max(pages - remaining, 0), max(pages, 1)):
                raise _Stop

        try:
            source.backup(copy, pages=-1 if progress is None else 4096, progress=report if progress else None)
        except _Stop:
            raise UserError("Đã huỷ khôi phục. Dữ liệu hiện tại chưa bị thay đổi.") from None
        copy.execute("PRAGMA journal_mode = DELETE")
        problems = [row[0] for row in copy.execute("PRAGMA quick_check")]
        if problems != ["ok"]:
            raise UserError(f"Bản chép từ bản sao lưu bị lỗi khi ghi ({'; '.join(problems[:3])}). Hãy kiểm tra ổ đĩa "
                            "rồi thử lại. Dữ liệu hiện tại chưa bị thay đổi.")
    _fsync_file(partial)


def _take_over(db_file: Path) -> bool:
    """Leave WAL mode (merging the WAL into the file): SQLite allows it only when no other
    connection has the file open. Returns True when the file is too damaged to tell."""
    try:
        with contextlib.closing(sqlite3.connect(db_file, isolation_level=None, timeout=1)) as connection:
            connection.execute("PRAGMA busy_timeout = 1000")
            mode = connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if _is_source_fault(error):
            return True
        if "locked" in str(error).lower() or "busy" in str(error).lower():
            raise _in_use(db_file) from None
        raise
    if str(mode).lower() != "delete":
        raise _in_use(db_file)
    return False


def _in_use(db_file: Path) -> UserError:
    return UserError(f"Tệp dữ liệu {db_file.name} đang được mở ở một cửa sổ ANTQ Desktop khác (trên máy này hoặc "
                     "máy khác dùng chung tệp). Hãy đóng các cửa sổ đó rồi khôi phục lại. Dữ liệu chưa bị thay đổi.")


def _safety_copy(db_file: Path, folder: Path, now: datetime, damaged: bool) -> BackupInfo:
    if not damaged:
        try:
            return backup_now(db_file, folder, kind=BEFORE_RESTORE, now=now)
        except _SourceDamaged:
            pass
    return _raw_copy(db_file, folder, now)


def _raw_copy(db_file: Path, folder: Path, now: datetime) -> BackupInfo:
    """A damaged file, byte for byte (with its WAL), so that nothing of it is lost."""
    import shutil

    _prepare_folder(folder)
    stem = safe_stem(db_file)
    target = _free_name(folder, stem, now)
    note = ("Bản chép nguyên trạng tệp dữ liệu bị hỏng trước khi khôi phục (không qua kiểm tra toàn vẹn); "
            "giữ lại để người có chuyên môn cứu dữ liệu nếu cần.")
    partial = target.with_name(f".{target.name}{PARTIAL_SUFFIX}")
    wal = Path(f"{db_file}-wal")
    try:
        shutil.copyfile(db_file, partial)
        _fsync_file(partial)
        if wal.exists() and wal.stat().st_size > 0:
            shutil.copyfile(wal, Path(f"{target}-wal"))
        info = BackupInfo(file=target, created=now, kind=BEFORE_RESTORE, size=partial.stat().st_size,
                          verified=False, checksum=file_checksum(partial), stem=stem, note=note)
        _write_json(_manifest_path(target), {**_manifest(info, db_file), "integrity": "failed"})
        os.replace(partial, target)
        _fsync_dir(folder)
    except OSError as error:
        _remove_quietly(partial)
        raise _write_error(folder, error) from None
    return info
