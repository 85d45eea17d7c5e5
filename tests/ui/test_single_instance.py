"""One program window per database file: a second start brings the first forward and quits;
a crashed first start does not block the next; a hung one is named in a short message."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow

from antq_desktop.ui import single_instance
from antq_desktop.ui.single_instance import (
    NOT_ANSWERING,
    bring_forward,
    claim,
    instance_key,
    lock_file_path,
    open_in_a_window,
)

# A start of the program in another process, up to the claim: prints what came of it.
SECOND_START = r"""
import sys
from antq_desktop.ui.app import create_application
from antq_desktop.ui.single_instance import claim
app = create_application([])
instance = claim(sys.argv[1], tell=lambda message: print("told", message, flush=True))
print("first" if instance is not None else "handed over", flush=True)
if instance is not None and sys.argv[2] == "crash":
    import os, signal
    os.kill(os.getpid(), getattr(signal, "SIGKILL", signal.SIGTERM))  # TerminateProcess on Windows
if instance is not None and sys.argv[2] == "hang":  # the window's thread stuck: no event is handled
    import time
    time.sleep(60)
"""

# A process that takes the lock file and never listens (its number reused after a crash, say).
LOCK_ONLY = r"""
import sys, time
from PySide6.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
lock.setStaleLockTime(0)
print("locked" if lock.tryLock(0) else "not locked", flush=True)
time.sleep(60)
"""


def _start(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE, text=True)


def _finish(qtbot, process: subprocess.Popen, timeout_ms: int = 20000) -> str:
    """Let our event loop run (the first instance answers from it) until the process ends."""
    qtbot.waitUntil(lambda: process.poll() is not None, timeout=timeout_ms)
    output = process.stdout.read()
    process.stdout.close()
    return output


@pytest.fixture
def database(tmp_path) -> Path:
    return tmp_path / "ward.sqlite"


@pytest.fixture
def claims():
    """Claims made by a test, released at its end."""
    made = []
    yield made
    for instance in made:
        if instance is not None:
            instance.release()


def test_the_first_start_claims_the_database(database, claims):
    first = claim(database)
    claims.append(first)
    assert first is not None and first.listening
    assert lock_file_path(first.key).exists()


def test_a_second_start_on_the_same_file_brings_the_first_forward(qtbot, database, claims):
    first = claim(database)
    claims.append(first)
    told = []
    with qtbot.waitSignal(first.activation_requested, timeout=5000):
        second = claim(database, tell=told.append)
    assert second is None
    assert told == [], "the first answered: nothing to tell"


def test_the_same_file_named_another_way_is_the_same_database(qtbot, database, claims, monkeypatch):
    claims.append(claim(database))
    monkeypatch.chdir(database.parent)
    assert instance_key("ward.sqlite") == instance_key(database)
    assert instance_key(database.parent / "." / "ward.sqlite") == instance_key(database)
    assert claim("ward.sqlite", tell=pytest.fail) is None


def test_starts_on_different_files_both_run(database, claims):
    claims.append(claim(database))
    other = claim(database.with_name("other.sqlite"))
    claims.append(other)
    assert other is not None and other.listening
    assert instance_key(database) != instance_key(database.with_name("other.sqlite"))


def test_default_database_and_its_path_are_one(data_dir):
    from antq_desktop import paths

    assert instance_key(None) == instance_key(paths.default_db_path()) == instance_key("")


def test_a_released_claim_can_be_taken_again(database, claims):
    first = claim(database)
    first.release()
    again = claim(database)
    claims.append(again)
    assert again is not None and again.listening


@pytest.mark.qt_log_ignore("This plugin does not support raise")  # offscreen has no window stack
def test_bring_forward_restores_a_minimised_window(qtbot):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.showMinimized()
    assert window.isMinimized()
    bring_forward(window)
    assert not window.isMinimized()
    assert window.isVisible()


def test_a_second_start_in_another_process_hands_over(qtbot, database, claims):
    first = claim(database)
    claims.append(first)
    asked = []
    first.activation_requested.connect(lambda: asked.append(True))
    output = _finish(qtbot, _start(SECOND_START, database, "stay"))
    assert output.splitlines() == ["handed over"]
    assert asked == [True]


def test_a_crashed_first_start_does_not_block_the_next(qtbot, database, claims):
    crashed = _start(SECOND_START, database, "crash")
    output = _finish(qtbot, crashed)
    assert crashed.returncode != 0
    assert output.splitlines() == ["first"]
    key = instance_key(database)
    assert lock_file_path(key).exists(), "the crash left its lock behind"
    started = time.monotonic()
    next_start = claim(database, tell=pytest.fail)
    claims.append(next_start)
    assert next_start is not None and next_start.listening
    assert time.monotonic() - started < 2
    # and the start after that finds the new first one, as usual
    assert _finish(qtbot, _start(SECOND_START, database, "stay")).splitlines() == ["handed over"]


def test_a_hung_first_start_is_named_in_a_message(qtbot, database):
    hung = _start(SECOND_START, database, "hang")
    try:
        assert hung.stdout.readline().strip() == "first"
        told = []
        assert claim(database, tell=told.append, answer_timeout_ms=500) is None
        assert told == [NOT_ANSWERING]
    finally:
        hung.kill()
        hung.wait()
        hung.stdout.close()


def test_a_living_process_that_holds_the_lock_without_listening_is_not_pushed_aside(qtbot, database,
                                                                                      monkeypatch):
    """The system refuses to remove a lock a living process holds: the claim gives up and says so."""
    monkeypatch.setattr(single_instance, "LISTEN_GRACE_MS", 300)
    holder = _start(LOCK_ONLY, lock_file_path(instance_key(database)))
    try:
        assert holder.stdout.readline().strip() == "locked"
        told = []
        assert claim(database, tell=told.append, answer_timeout_ms=500) is None
        assert told == [NOT_ANSWERING]
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()


def test_a_dead_process_lock_that_nobody_listens_on_is_taken_over(database, claims):
    """A lock file left by a process that no longer exists (its socket gone too)."""
    path = lock_file_path(instance_key(database))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    path.write_text(f"{dead.stdout.strip()}\npython\n{os.uname().nodename if hasattr(os, 'uname') else ''}\n")
    taken = claim(database, tell=pytest.fail)
    claims.append(taken)
    assert taken is not None and taken.listening


def test_a_command_can_ask_whether_a_window_has_the_database_open(database, claims):
    assert open_in_a_window(database) is False
    assert not lock_file_path(instance_key(database)).exists(), "asking leaves no lock behind"
    claims.append(claim(database))
    assert open_in_a_window(database) is True
    claims.pop().release()
    assert open_in_a_window(database) is False
