"""Long work runs off the GUI thread: the window keeps painting, and Huỷ stops the job."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QPushButton

from antq_desktop.errors import UserError
from antq_desktop.ui.background import run_with_progress
from tests.ui.conftest import when_modal_opens


def slow_job(progress, steps: int = 400):
    for step in range(1, steps + 1):
        time.sleep(0.005)
        if not progress(step, steps):
            return step
    return steps


def test_the_gui_thread_keeps_running_during_the_job(qtbot):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(20)
    result, cancelled = run_with_progress(None, "Đang làm", lambda progress: slow_job(progress, 100))
    timer.stop()
    assert (result, cancelled) == (100, False)
    assert len(ticks) >= 5  # the event loop ran while the job slept in its thread


def test_cancel_stops_the_job(qtbot):
    when_modal_opens(qtbot, lambda dialog: dialog.findChild(QPushButton).click())  # "Huỷ"
    result, cancelled = run_with_progress(None, "Đang làm", slow_job)
    assert cancelled and result < 400


def test_an_error_in_the_job_reaches_the_caller(qtbot):
    def failing(progress):
        raise UserError("Ổ đĩa đầy")

    with pytest.raises(UserError, match="Ổ đĩa đầy"):
        run_with_progress(None, "Đang làm", failing)


def test_the_qt_binding_survives_many_signal_emissions():
    """PySide6 6.12.0 dropped a reference to a bool on every Signal.emit() and crashed after a
    few hundred; progress reporting emits that often. Guard against any such binding."""
    import subprocess
    import sys

    script = (
        "from PySide6.QtCore import QCoreApplication, QObject, Signal\n"
        "app = QCoreApplication([])\n"
        "class Source(QObject):\n"
        "    advanced = Signal(int, int)\n"
        "source = Source()\n"
        "for step in range(3000):\n"
        "    source.advanced.emit(step, 3000)\n"
        "print('ok')\n"
    )
    finished = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert finished.returncode == 0 and finished.stdout.strip() == "ok", finished.stderr[-500:]
