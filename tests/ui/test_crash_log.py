"""A bug is kept as a crash report the moment it happens; a report nobody saw (the program died
before or while showing it, or Python itself crashed) is shown at the next start, once."""

from __future__ import annotations

import subprocess
import sys
import threading
import time
from datetime import datetime

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication

from antq_desktop import __version__, paths
from antq_desktop.logging_setup import (
    KEEP_CRASH_REPORTS,
    crash_report_text,
    crash_reports,
    fault_log_path,
    mark_seen,
    unseen_crash_reports,
    write_crash_report,
)
from antq_desktop.ui.app import install_crash_handler
from antq_desktop.ui.crash_dialog import (
    CrashDialog,
    PreviousCrashDialog,
    show_previous_crash,
)
from tests.ui.conftest import when_modal_opens

# A run of the program that meets a bug in a slot and dies while the crash dialog is up.
DIES_WITH_THE_DIALOG_UP = r"""
from PySide6.QtCore import QTimer
from antq_desktop.ui.app import create_application, install_crash_handler

app = create_application([])
install_crash_handler()

def save_the_budget():
    raise KeyError("budget_line 17")

QTimer.singleShot(0, save_the_budget)
app.exec()
"""

# A run that dies of a fatal error inside Python (as a fault in Qt's C++ code would end it).
HARD_CRASH = r"""
import faulthandler, sys
from antq_desktop.logging_setup import setup_logging
setup_logging()
if sys.argv[1] == "crash":
    faulthandler._sigsegv()
"""


@pytest.fixture
def crash_handler(monkeypatch):
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_crash_handler()
    return sys.excepthook


def _raise_a_bug():
    try:
        {}["budget_line"]
    except KeyError:
        return sys.exc_info()


def _close(found: list):
    def handle(dialog):
        found.append(dialog)
        dialog.reject()
    return handle


def test_a_bug_is_kept_as_a_crash_report_and_shown(qtbot, crash_handler):
    found = []
    when_modal_opens(qtbot, _close(found))
    sys.excepthook(*_raise_a_bug())
    (dialog,) = found
    assert isinstance(dialog, CrashDialog)
    (report,) = crash_reports()
    assert report.parent == paths.log_dir()
    assert report.name.startswith(f"crash-{datetime.now():%Y%m%d}-")
    text = report.read_text(encoding="utf-8")
    assert text.startswith(f"ANTQ Desktop {__version__}\nThời điểm: ")
    assert "KeyError: 'budget_line'" in text and "Traceback" in text
    assert dialog.report == text
    assert report.stem.endswith("-da-xem"), "the dialog was shown: the report is seen"
    assert show_previous_crash() is False


def test_the_crash_dialog_copies_its_report(qtbot):
    dialog = CrashDialog("Traceback: ZeroDivisionError", saved_to=paths.log_dir() / "crash-x.txt")
    qtbot.addWidget(dialog)
    dialog.copy_button.click()
    assert QGuiApplication.clipboard().text() == dialog.report
    assert "ZeroDivisionError" in QGuiApplication.clipboard().text()


def test_a_bug_in_another_thread_shows_its_dialog_on_the_window_thread(qtbot, crash_handler):
    found = []
    when_modal_opens(qtbot, _close(found))
    info = _raise_a_bug()
    worker = threading.Thread(target=lambda: sys.excepthook(*info))
    worker.start()
    worker.join()
    qtbot.waitUntil(lambda: bool(found), timeout=5000)
    assert len(crash_reports()) == 1


def test_a_crash_nobody_saw_is_shown_at_the_next_start_once(qtbot):
    report = write_crash_report(crash_report_text("Traceback (most recent call last):\nValueError: x"))
    assert unseen_crash_reports() == [report]
    found = []

    def read(dialog):
        found.append((dialog.windowTitle(), dialog.folder_label.text(), dialog.details.toPlainText()))
        dialog.copy_button.click()
        dialog.reject()

    when_modal_opens(qtbot, read)
    assert show_previous_crash() is True
    ((title, folder, text),) = found
    assert title == "Lần trước chương trình gặp lỗi"
    assert folder == str(paths.log_dir())
    assert "ValueError: x" in text
    assert QGuiApplication.clipboard().text() == text
    assert unseen_crash_reports() == []
    assert [path.name for path in crash_reports()] == [report.stem + "-da-xem.txt"]
    assert show_previous_crash() is False


def test_the_previous_crash_dialog_opens_the_folder(qtbot, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = PreviousCrashDialog([write_crash_report("ANTQ Desktop\nIndexError")])
    qtbot.addWidget(dialog)
    dialog.folder_button.click()
    assert opened == [QUrl.fromLocalFile(str(paths.log_dir()))]


def test_a_program_that_died_with_the_crash_dialog_up(qtbot):
    """The real thing: a run meets a bug, writes its report, and is killed while the dialog is
    up (the user switched the PC off); the next start shows that report."""
    dying = subprocess.Popen([sys.executable, "-c", DIES_WITH_THE_DIALOG_UP])
    try:
        qtbot.waitUntil(lambda: any(paths.log_dir().glob("crash-*.txt")), timeout=20000)
        time.sleep(0.2)
    finally:
        dying.kill()
        dying.wait()
    found = []

    def read(dialog):
        found.append(dialog.details.toPlainText())
        dialog.reject()

    when_modal_opens(qtbot, read)
    assert show_previous_crash() is True
    assert "KeyError: 'budget_line 17'" in found[0] and "save_the_budget" in found[0]


def _fault_files() -> list:
    return sorted(paths.log_dir().glob("loi-nghiem-trong-*.txt"))


def test_a_hard_crash_of_python_is_shown_at_the_next_start(qtbot):
    died = subprocess.run([sys.executable, "-c", HARD_CRASH, "crash"], capture_output=True, check=False)
    assert died.returncode != 0
    (fault_file,) = _fault_files()
    assert "Fatal Python error" in fault_file.read_text(encoding="utf-8")
    (report,) = unseen_crash_reports()
    text = report.read_text(encoding="utf-8")
    assert "Chương trình bị dừng đột ngột do một lỗi nghiêm trọng" in text
    assert "Fatal Python error: Segmentation fault" in text
    assert _fault_files() == [], "collected once, not again"
    assert unseen_crash_reports() == [report]


def test_a_normal_exit_leaves_no_crash_behind():
    done = subprocess.run([sys.executable, "-c", HARD_CRASH, "exit"], capture_output=True, check=False)
    assert done.returncode == 0
    assert _fault_files() == []
    assert unseen_crash_reports() == []


def test_the_fault_file_of_a_run_still_going_is_left_alone():
    """Two windows on two databases: one's start must not take the other's (empty) fault file."""
    running = fault_log_path(pid=999_999)
    running.write_text("")
    assert unseen_crash_reports() == []
    assert running.exists()


def test_reports_in_the_same_second_all_kept_and_old_seen_ones_pruned():
    when = datetime(2026, 12, 5, 9, 30, 0)
    first, second = write_crash_report("một", when), write_crash_report("hai", when)
    assert first.name == "crash-20261205-093000.txt" and second.name == "crash-20261205-093000-2.txt"
    assert unseen_crash_reports() == [first, second]
    seen = [mark_seen(path) for path in (first, second)]
    for minute in range(KEEP_CRASH_REPORTS):
        write_crash_report("sau", datetime(2026, 12, 6, 10, minute, 0))
    names = [path.name for path in crash_reports()]
    assert len(names) == KEEP_CRASH_REPORTS
    assert not any(path.exists() for path in seen), "the oldest seen reports make room"
    assert len(unseen_crash_reports()) == KEEP_CRASH_REPORTS, "an unseen report is never deleted"
