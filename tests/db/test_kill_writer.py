"""A process killed in the middle of writing loses no committed work, and the file opens cleanly.

A writer adds units through the real services, each action its own transaction (one unit, or
every fifth action twenty units at once; each also sets the ward's document counter to the
number of units it has written, so a half-applied transaction would show), and says so on
standard output after each commit. It is killed with SIGKILL at random moments: while it
opens the file, between commits, in the middle of one, during SQLite's automatic checkpoints.
After every kill the file must pass SQLite's integrity and quick checks, hold every unit the
writer reported, and its counter must match what is there. Then the next writer starts on the
same file, finding it as the crash left it: every other time the check goes through the
program's own open (which checkpoints the WAL when it closes), the other times through a
read-only connection that leaves the -wal file for the next writer to recover.

Starting a Python that imports the services costs about 0.5 s, too much for hundreds of kills:
where the system can fork, a "zygote" process imports everything once and forks each writer,
so a kill costs a few milliseconds of setup. ``KILLS_WITHOUT_FORK`` writers are started the
ordinary way elsewhere (Windows), which proves the same with fewer kills.

Figures of a run are printed (``pytest -s``) and kept in the report of issue 8.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text

from antq_desktop.db.engine import open_database
from antq_desktop.services import profile as profile_service

KILLS = 220
KILLS_WITHOUT_FORK = 30
NAME_PREFIX = "Tổ kiểm thử "
COUNTER = "next_police_doc_number"  # 1000 + the number of units written, in the same transaction as they are

# The writer: the real services, one transaction per action, a line per unit after each commit.
WRITER = r'''
import os
import sys

from sqlalchemy import func, select

from antq_desktop.db.engine import open_database
from antq_desktop.db.models import Unit
from antq_desktop.domain.units import UnitKind
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service

PREFIX = "Tổ kiểm thử "


def say(line):
    os.write(1, (line + "\n").encode())  # unbuffered: what is said is in the pipe before the next write


def write(path, run):
    db = open_database(path)
    number = 0
    while True:
        number += 1
        names = [f"{PREFIX}{run}-{number}-{k}" for k in range(1 if number % 5 else 20)]
        units = [unit_service.UnitInput(kind=UnitKind.KDC, name=name, address="Phường Minh Xuân") for name in names]
        with db.transaction() as session:
            if len(units) == 1:
                unit_service.add_unit(session, 1, units[0], "kill-test")
            else:
                unit_service.insert_units(session, 1, units, "kill-test")
            written = session.scalar(select(func.count(Unit.id)).where(Unit.name.like(PREFIX + "%")))
            profile_service.set_profile_field(session, "next_police_doc_number", str(1000 + written), "kill-test")
        say("\n".join(names))


def serve():
    """The zygote: imports done, fork a writer for each "go PATH RUN" line, wait for its end."""
    for command in sys.stdin:
        _, path, run = command.split()
        pid = os.fork()
        if pid == 0:
            try:
                write(path, run)
            except BaseException as error:
                say(f"error {type(error).__name__}: {error}")
            finally:
                os._exit(1)
        say(f"pid {pid}")
        os.waitpid(pid, 0)
        say(f"done {pid}")


if sys.argv[1] == "serve":
    serve()
else:
    say(f"pid {os.getpid()}")
    write(sys.argv[1], sys.argv[2])
'''


@dataclass
class Figures:
    kills: int = 0
    killed_before_first_commit: int = 0
    reported_units: int = 0
    checked_units: int = 0
    failed_integrity_checks: int = 0
    lost_units: int = 0
    wal_left_for_next_writer: int = 0


class Writers:
    """Start writers on one file and kill them, through the zygote or by starting each afresh."""

    def __init__(self, forking: bool):
        self.forking = forking
        self.zygote = None
        if forking:
            self.zygote = subprocess.Popen([sys.executable, "-c", WRITER, "serve"], stdin=subprocess.PIPE,
                                           stdout=subprocess.PIPE, bufsize=0)

    def start(self, path: Path, run: int):
        if self.forking:
            self.zygote.stdin.write(f"go {path} {run}\n".encode())
            self.zygote.stdin.flush()
            output, child = self.zygote.stdout, None
        else:
            child = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(run)], stdout=subprocess.PIPE,
                                     bufsize=0)
            output = child.stdout
        first = output.readline().decode()
        assert first.startswith("pid "), first
        return int(first.split()[1]), output, child

    def kill(self, pid: int, output, child) -> list[str]:
        """SIGKILL (TerminateProcess on Windows), then every line it said before dying."""
        if child is not None:
            child.kill()
        else:
            os.kill(pid, signal.SIGKILL)
        lines = []
        while True:
            line = output.readline().decode()
            if not line or line == f"done {pid}\n":
                break
            lines.append(line.rstrip("\n"))
        if child is not None:
            child.wait()
            child.stdout.close()
        return lines

    def close(self) -> None:
        if self.zygote is not None:
            self.zygote.stdin.close()
            self.zygote.wait(timeout=30)
            self.zygote.stdout.close()


def _kill_at_random(writers: Writers, path: Path, run: int, chooser: random.Random) -> list[str]:
    pid, output, child = writers.start(path, run)
    if chooser.random() < 0.25:  # any moment from the start: opening, recovering the WAL, the first writes
        time.sleep(chooser.uniform(0, 0.06))
        said = []
    else:  # after some commits, at a random point of the next transactions
        said = [output.readline().decode().rstrip("\n") for _ in range(chooser.randint(1, 40))]
        time.sleep(chooser.uniform(0, 0.004))
    return said + writers.kill(pid, output, child)


def _check(path: Path, reported: set[str], through_program: bool, figures: Figures) -> None:
    """The file as the next start finds it: intact, with every reported unit, counter in step."""
    if through_program:
        db = open_database(path)
        try:
            with db.reading() as session:
                checks = [session.execute(text(f"PRAGMA {check}")).scalar() for check in ("integrity_check",
                                                                                           "quick_check")]
                names = set(session.execute(text("SELECT name FROM unit WHERE name LIKE :p"),
                                            {"p": NAME_PREFIX + "%"}).scalars())
                counter = session.execute(text(f"SELECT {COUNTER} FROM ward")).scalar()
        finally:
            db.close()
    else:
        figures.wal_left_for_next_writer += Path(f"{path}-wal").exists()
        raw = sqlite3.connect(f"file:{path}?mode=ro", uri=True)  # cannot checkpoint: the WAL stays
        try:
            checks = [raw.execute(f"PRAGMA {check}").fetchone()[0] for check in ("integrity_check", "quick_check")]
            names = {name for (name,) in raw.execute("SELECT name FROM unit WHERE name LIKE ?", (NAME_PREFIX + "%",))}
            counter = raw.execute(f"SELECT {COUNTER} FROM ward").fetchone()[0]
        finally:
            raw.close()
    figures.failed_integrity_checks += checks != ["ok", "ok"]
    figures.lost_units += len(reported - names)
    figures.checked_units += len(reported)
    assert checks == ["ok", "ok"], f"after kill {figures.kills}: {checks}"
    assert reported <= names, f"after kill {figures.kills}: committed units lost: {sorted(reported - names)[:5]}"
    assert counter == 1000 + len(names), f"after kill {figures.kills}: counter {counter} for {len(names)} units"


@pytest.mark.slow
def test_killing_writers_loses_no_committed_unit_and_never_damages_the_file(demo_db_path):
    forking = hasattr(os, "fork")
    kills = KILLS if forking else KILLS_WITHOUT_FORK
    db = open_database(demo_db_path)
    with db.transaction() as session:
        profile_service.set_profile_field(session, COUNTER, "1000", "kill-test")
    db.close()
    chooser = random.Random(8)
    figures = Figures()
    reported: set[str] = set()
    started = time.monotonic()
    writers = Writers(forking)
    try:
        for run in range(kills):
            said = _kill_at_random(writers, demo_db_path, run, chooser)
            errors = [line for line in said if line.startswith("error ")]
            assert not errors, errors
            figures.kills += 1
            figures.killed_before_first_commit += not said
            figures.reported_units += len(said)
            reported.update(said)
            _check(demo_db_path, reported, through_program=run % 2 == 0, figures=figures)
    finally:
        writers.close()
    elapsed = time.monotonic() - started
    print(f"\nkill test: {figures.kills} kills ({figures.killed_before_first_commit} before the first commit) "
          f"in {elapsed:.1f} s; {figures.reported_units} units reported committed, "
          f"{figures.checked_units} unit checks, {figures.lost_units} lost, "
          f"{figures.failed_integrity_checks} failed integrity checks; "
          f"WAL left for the next writer {figures.wal_left_for_next_writer} times")
    assert figures.kills >= (200 if forking else KILLS_WITHOUT_FORK)
    assert figures.lost_units == 0 and figures.failed_integrity_checks == 0
    assert figures.reported_units > 10 * figures.kills / 2, "most writers must have committed work when killed"
    assert figures.wal_left_for_next_writer > figures.kills / 4, "the next writer must often recover a WAL"
