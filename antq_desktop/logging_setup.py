"""The log file in the data folder, and the crash reports: what a helper asks for when something
went wrong.

An unexpected error (a bug) is written to a crash report ``logs/crash-YYYYmmdd-HHMMSS.txt``
the moment it happens, before any dialog: the program may not live to show one. A report
nobody has seen yet is shown at the next start, then renamed ``…-da-xem.txt`` (seen). A hard
crash that ends Python itself (a fault in Qt's C++ code) leaves Python's own dump in the
process's ``logs/loi-nghiem-trong-<pid>.txt`` (faulthandler); the next start turns it into a
crash report too. A normal exit removes that file, so only a run that really died leaves one
with something in it.
"""

from __future__ import annotations

import atexit
import faulthandler
import logging
import os
import platform
import re
from datetime import datetime
from logging.handlers import RotatingFileHandler
from pathlib import Path

from antq_desktop import __version__, paths

LOG_FILE_NAME = "antq.log"
CRASH_PREFIX = "crash-"
SEEN_SUFFIX = "-da-xem"
FAULT_FILE_PREFIX = "loi-nghiem-trong-"
STALE_FAULT_FILE_DAYS = 30
KEEP_CRASH_REPORTS = 30
_CRASH_NAME = re.compile(r"^crash-\d{8}-\d{6}(-\d+)?(-da-xem)?\.txt$")
_fault_handle = None
log = logging.getLogger(__name__)


def log_file() -> Path:
    return paths.log_dir() / LOG_FILE_NAME


def setup_logging() -> Path:
    """Log to a rotating file (1 MB x 3), and keep a hard crash's dump; returns the log's path."""
    path = log_file()
    root = logging.getLogger()
    if not any(isinstance(h, RotatingFileHandler) for h in root.handlers):
        handler = RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
        root.setLevel(logging.INFO)
        logging.getLogger("alembic").setLevel(logging.WARNING)  # its plugin list says nothing useful
        install_fault_log()
    return path


# ---- crash reports ------------------------------------------------------------------------------


def crash_report_text(details: str, when: datetime | None = None) -> str:
    """A crash report: version, time, system, then the details (a traceback)."""
    when = when or datetime.now()
    return (
        f"ANTQ Desktop {__version__}\n"
        f"Thời điểm: {when:%d/%m/%Y %H:%M:%S}\n"
        f"Hệ điều hành: {platform.platform()}\nPython: {platform.python_version()}\n\n{details}"
    )


def write_crash_report(report: str, when: datetime | None = None) -> Path | None:
    """Keep ``report`` as an unseen crash report; never raises (it runs while things go wrong)."""
    when = when or datetime.now()
    try:
        folder = paths.log_dir()
        stem = f"{CRASH_PREFIX}{when:%Y%m%d-%H%M%S}"
        for number in range(1, 100):
            path = folder / (f"{stem}.txt" if number == 1 else f"{stem}-{number}.txt")
            try:
                with open(path, "x", encoding="utf-8") as handle:
                    handle.write(report)
            except FileExistsError:
                continue
            _prune(folder)
            return path
    except Exception:
        log.exception("could not write the crash report")
    return None


def crash_reports(folder: Path | None = None) -> list[Path]:
    """Every crash report kept, oldest first."""
    folder = folder or paths.log_dir()
    return sorted((path for path in folder.iterdir() if _CRASH_NAME.match(path.name)), key=_report_order)


def unseen_crash_reports() -> list[Path]:
    """The crash reports nobody has been shown yet, oldest first (a hard crash's dump included)."""
    _collect_fault_logs()
    return [path for path in crash_reports() if not path.stem.endswith(SEEN_SUFFIX)]


def mark_seen(report: Path) -> Path:
    """Rename a report as seen, so the next start does not show it again."""
    seen = report.with_name(f"{report.stem}{SEEN_SUFFIX}{report.suffix}")
    try:
        report.replace(seen)
    except OSError:
        log.warning("could not mark the crash report %s as seen", report, exc_info=True)
        return report
    return seen


def _report_order(path: Path) -> tuple[str, int]:
    match = re.match(r"^crash-(\d{8}-\d{6})(?:-(\d+))?", path.name)
    return match.group(1), int(match.group(2) or 1)


def _prune(folder: Path) -> None:
    """Keep the newest reports; an old report is deleted only once it has been seen."""
    reports = crash_reports(folder)
    for old in reports[:-KEEP_CRASH_REPORTS]:
        if old.stem.endswith(SEEN_SUFFIX):
            try:
                old.unlink()
            except OSError:
                pass


# ---- hard crashes ----------------------------------------------------------------------------


def fault_log_path(pid: int | None = None) -> Path:
    """This process's fault file (one per process: two windows on two databases may run)."""
    return paths.log_dir() / f"{FAULT_FILE_PREFIX}{os.getpid() if pid is None else pid}.txt"


def install_fault_log() -> None:
    """Let Python write a fatal error's stack into this process's fault file, after keeping what
    runs that died left in theirs; a normal exit removes the file again."""
    global _fault_handle
    _collect_fault_logs()
    try:
        _fault_handle = open(fault_log_path(), "w", encoding="utf-8")  # noqa: SIM115 - open while the program runs
    except OSError:
        log.warning("no fault log: %s", fault_log_path(), exc_info=True)
        return
    faulthandler.enable(file=_fault_handle, all_threads=True)
    atexit.register(_normal_exit)


def _normal_exit() -> None:
    global _fault_handle
    if _fault_handle is None:
        return
    faulthandler.disable()
    _fault_handle.close()
    _fault_handle = None
    try:
        fault_log_path().unlink()  # whatever was written, the run did not die of it
    except OSError:
        pass


def _collect_fault_logs() -> None:
    """A fault file with something in it belongs to a run that died hard: keep it as a crash
    report. An empty one is a run still going, or one killed outright (left a while, then swept)."""
    own = fault_log_path()
    try:
        found = [path for path in paths.log_dir().glob(f"{FAULT_FILE_PREFIX}*.txt") if path != own]
    except OSError:
        return
    for path in found:
        try:
            status = path.stat()
            if status.st_size == 0:
                if datetime.now().timestamp() - status.st_mtime > STALE_FAULT_FILE_DAYS * 86400:
                    path.unlink()
                continue
            dump = path.read_text(encoding="utf-8", errors="replace").strip("\0\n ")
            when = datetime.fromtimestamp(status.st_mtime)
            written = write_crash_report(crash_report_text(
                "Chương trình bị dừng đột ngột do một lỗi nghiêm trọng (lỗi trong thư viện giao diện hoặc hệ "
                f"điều hành).\n\n{dump}", when), when)
            if written is not None:
                path.unlink()
        except OSError:
            log.warning("could not collect the fault log %s", path, exc_info=True)
