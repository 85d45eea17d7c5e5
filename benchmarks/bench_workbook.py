"""Issue 7 figures: the year-end workbook of a 10,000-row year (export <= 3 s, import <= 5 s).

The ward: the demo ward (with its year of field work) and enough synthetic units that the year's
workbook holds at least 10,000 rows: every eligible unit registered for 2026, so the workbook
has a row per unit, per registration, per criterion point of every registration and per score
item of every classified unit (and the demo's inspections, members, ratings and activities).

Timed, each the median of 3 runs:

* export: ``export_year`` into a new file;
* import of the file as exported: ``read_workbook`` (nothing to write: 0 added, 0 changed);
* the year-end import: the file filled as the officers fill it (every registration's review
  meeting dated, every criterion point answered "Đạt", every unit's own score typed), read,
  checked and written with ``apply`` in one transaction, on a fresh copy of the database each run.
"""

from __future__ import annotations

import os
import shutil
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from antq_desktop.db.engine import open_database
from antq_desktop.services import antt, profile, workbook
from benchmarks.common import large_register, report

YEAR = 2026
SYNTHETIC_UNITS = 190  # with the demo's 68: about 10,300 rows
CACHE_NAME = "antq-bench-workbook-v1.sqlite"
MEETING_ON = date(2026, 10, 20)


def _cache_folder() -> Path:
    folder = Path(os.environ.get("ANTQ_BENCH_CACHE") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def cached_database() -> Path:
    path = _cache_folder() / CACHE_NAME
    if not path.exists():
        partial = path.with_name(path.name + ".building")
        partial.unlink(missing_ok=True)
        db = large_register(partial, SYNTHETIC_UNITS)
        with db.transaction() as session:
            ward_id = profile.require_profile(session).id
            antt.register_all_eligible(session, ward_id, YEAR, date(YEAR, 2, 20), "benchmark")
        db.close()
        partial.rename(path)
    return path


def _median(action, repeat: int = 3) -> tuple[float, float, object]:
    samples, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), result


def fill_like_the_officers(exported: Path, filled: Path) -> int:
    """The exported file with the year-end figures typed in (values, as Excel or Calc saves them)."""
    import openpyxl

    book = openpyxl.load_workbook(exported)
    typed = 0
    registrations = book["Đăng ký ANTT"]
    for row in registrations.iter_rows(min_row=2, max_row=registrations.max_row):
        if row[0].value is not None:
            row[10].value, row[11].value, row[12].value = MEETING_ON, "Nhà văn hóa", "Trưởng ban"
            typed += 3
    points = book["Kết quả tiêu chí"]
    for row in points.iter_rows(min_row=2, max_row=points.max_row):
        if row[0].value is not None:
            row[4].value = "Đạt"
            if row[8].value:  # the registers propose "not met": the officer writes why it is met all the same
                row[7].value = "Đã khắc phục, tổ dân phố xác nhận"
            typed += 1
    scores = book["Điểm phân loại"]
    for row in scores.iter_rows(min_row=2, max_row=scores.max_row):
        if row[0].value is not None and row[5].value and row[5].value > 0:
            row[6].value = row[5].value
            typed += 1
    book.save(filled)
    return typed


def run() -> None:
    source = cached_database()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        db = open_database(source)
        with db.reading() as session:
            ward_id = profile.require_profile(session).id
        exported = folder / "tong-hop.xlsx"

        def export():
            with db.reading() as session:
                return workbook.export_year(session, ward_id, YEAR, exported)

        median, best, result = _median(export)
        rows = sum(count for _title, count in result.rows)
        report(f"export of the {YEAR} workbook ({rows:,} rows, {exported.stat().st_size / 1e6:.1f} MB)",
               median, 3_000, best)

        def read_unchanged():
            with db.reading() as session:
                return workbook.read_workbook(session, ward_id, exported)

        median, best, plan = _median(read_unchanged)
        assert not plan.has_changes, plan.change_lines()[:5]
        report(f"import of the file as exported ({plan.unchanged:,} rows unchanged)", median, 5_000, best)
        db.close()

        filled = folder / "da-dien.xlsx"
        typed = fill_like_the_officers(exported, filled)
        runs = iter(range(100))

        def year_end_import():
            copy = folder / f"run-{next(runs)}.sqlite"
            shutil.copy(source, copy)
            copied = open_database(copy)
            try:
                start = time.perf_counter()
                with copied.transaction() as session:
                    plan = workbook.read_workbook(session, ward_id, filled)
                    read = time.perf_counter() - start
                    applied = workbook.apply(session, plan, "benchmark")
                return applied, read
            finally:
                copied.close()

        samples, reads = [], []
        for _ in range(3):
            start = time.perf_counter()
            applied, read = year_end_import()
            samples.append((time.perf_counter() - start) * 1000)
            reads.append(read * 1000)
        report(f"year-end import, read + check + write ({typed:,} cells typed: {applied.added} added, "
               f"{applied.changed:,} rows changed)", statistics.median(samples), 5_000, min(samples))
        report("  of which reading and checking", statistics.median(reads), None, min(reads))


if __name__ == "__main__":
    run()
