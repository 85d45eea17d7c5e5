"""A crash in the middle of year-end entry loses no entered score: a writer process saving cell
after cell (as the grid does) is killed at random moments; every cell it reported saved is
in the file afterwards, and the file passes SQLite's integrity check."""

from __future__ import annotations

import random
import subprocess
import sys
from decimal import Decimal

from sqlalchemy import text

from antq_desktop.db.engine import open_database
from antq_desktop.services import classification as service

# Saves cell after cell of the KDC grid, one transaction each, and says so after each commit.
WRITER = """
import sys
from decimal import Decimal
from antq_desktop.db.engine import open_database
from antq_desktop.services import classification as service

db = open_database(sys.argv[1])
with db.reading() as session:
    grid = service.year_grid(session, 1, 2026, "kdc")
cells = [(row.unit_id, item.code) for row in grid.rows for item in grid.columns if not item.deduction]
for number, (unit_id, code) in enumerate(cells):
    value = Decimal(number % 3)
    with db.transaction() as session:
        service.save_cells(session, 1, 2026, "kdc", [service.CellEdit(unit_id, code, service.SELF, value)], "thử")
    print(f"{unit_id} {code} {value}", flush=True)
"""


def _killed_after(db_path, lines_wanted: int) -> list[str]:
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db_path)], stdout=subprocess.PIPE, text=True)
    saved = []
    while len(saved) < lines_wanted:
        line = writer.stdout.readline()
        if not line:
            break
        saved.append(line.split())
    writer.kill()
    writer.wait()
    saved += [line.split() for line in writer.stdout.read().splitlines()]  # reported just before the kill
    writer.stdout.close()
    return saved


def test_killing_the_writer_loses_no_reported_score(demo_db_path):
    chooser = random.Random(4)
    for _ in range(4):
        saved = _killed_after(demo_db_path, chooser.randint(1, 60))
        assert saved, "the writer saved nothing before it was killed"
        db = open_database(demo_db_path)
        try:
            with db.reading() as session:
                assert session.execute(text("PRAGMA integrity_check")).scalar() == "ok"
                rows = {row.unit_id: row for row in service.year_grid(session, 1, 2026, "kdc").rows}
            for unit_id, code, value in saved:
                assert rows[int(unit_id)].self_scores[code] == Decimal(value)
        finally:
            db.close()
