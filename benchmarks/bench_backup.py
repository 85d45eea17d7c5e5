"""Issue 8 figure: a backup of a database with 100,000 units and five years of records (<= 2 s).

"Five years of records" is, for every unit and each of five years, its "An toàn về ANTT" record
(registered, assessed, the review meeting filled in) and its classification record with the
scores of five items: 500,000 ANTT records, 500,000 classification records and 2,500,000
scores. Built once with bulk Core inserts and kept in the temporary folder between runs
(``ANTQ_BENCH_CACHE`` names another folder); the timed work is ``backup_now`` as the "Sao lưu
ngay" button runs it: the backup API copy, integrity_check of the copy, SHA-256, the
fingerprints of the source, the manifest and the rename. Median of 5 runs, each into an empty
folder.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import insert, select

from antq_desktop.db.engine import open_database
from antq_desktop.db.models import (
    AnttRecord,
    ClassificationRecord,
    ClassificationScore,
    Unit,
)
from antq_desktop.services import backup, classification, profile
from benchmarks.common import large_register, report, timed

UNITS = 100_000
YEARS = range(2021, 2026)
SCORED_ITEMS = 5  # the first five items of each kind's sheet, each given 80% of its maximum
CACHE_NAME = "antq-bench-backup-v2.sqlite"
BATCH = 50_000


def _cache_folder() -> Path:
    folder = Path(os.environ.get("ANTQ_BENCH_CACHE") or tempfile.gettempdir())
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _stamp(year: int) -> dict:
    moment = datetime(year, 12, 15, 9, 30)
    return {"created_at": moment, "created_by": "benchmark", "updated_at": moment, "updated_by": "benchmark",
            "version": 1}


def _insert(session, table, rows: list[dict]) -> None:
    for start in range(0, len(rows), BATCH):
        session.execute(insert(table), rows[start:start + BATCH])


def build(path: Path) -> Path:
    """The demo ward, ``UNITS`` synthetic units, and their five years of records."""
    partial = path.with_name(path.name + ".building")
    partial.unlink(missing_ok=True)
    db = large_register(partial, UNITS)
    try:
        with db.transaction() as session:
            ward_id = profile.require_profile(session).id
            demo_units = set(session.scalars(select(AnttRecord.unit_id))) | set(
                session.scalars(select(ClassificationRecord.unit_id)))
            kinds = {unit_id: kind for unit_id, kind in session.execute(select(Unit.id, Unit.kind).order_by(Unit.id))
                     if unit_id not in demo_units}  # the synthetic ones: the demo's have their own years
            sheets = classification.current_sheet_set(session, ward_id)
        unit_ids = list(kinds)
        scores = {kind: [(item.code, int(item.max_points * 80)) for item in sheets.sheet(kind).leaves()
                         if not item.deduction][:SCORED_ITEMS] for kind in set(kinds.values())}
        for year in YEARS:
            with db.transaction() as session:
                stamp = _stamp(year)
                _insert(session, AnttRecord, [{
                    "ward_id": ward_id, "unit_id": unit_id, "year": year, "registered_on": date(year, 2, 15),
                    "resolution_ref": f"Nghị quyết số {unit_id % 90 + 1}/NQ-HND ngày 10/01/{year}",
                    "plan_ref": "", "registration_ref": "", "households_registered": None, "households_total": None,
                    "note": "", "catalogue_code": "tt124-2021", "extra_criteria": "[]", "stage": "assessed",
                    "meeting_on": date(year, 11, 20), "meeting_place": "Nhà văn hoá tổ dân phố",
                    "meeting_chair": "Nguyễn Văn An", "meeting_attendees": "Đại diện các hộ gia đình",
                    "passed": unit_id % 7 != 0, "proposed_on": None, "decision_id": None, **stamp,
                } for unit_id in unit_ids])
                first = session.scalar(select(ClassificationRecord.id).order_by(ClassificationRecord.id.desc())) or 0
                _insert(session, ClassificationRecord, [{
                    "ward_id": ward_id, "year": year, "unit_id": unit_id, "level_override": None,
                    "override_reason": "", "marked_facts": "[]", "note": "", **stamp,
                } for unit_id in unit_ids])
                _insert(session, ClassificationScore, [{
                    "record_id": record_id, "item_code": code, "self_cents": cents, "ward_cents": None,
                } for record_id, unit_id in enumerate(unit_ids, start=first + 1) for code, cents in scores[kinds[unit_id]]])
    finally:
        db.close()
    os.replace(partial, path)
    return path


def cached_database() -> Path:
    path = _cache_folder() / CACHE_NAME
    if path.exists():
        check = open_database(path)  # also brings an older cache up to the current schema
        check.close()
        print(f"using the cached database {path} ({path.stat().st_size / 1e6:.0f} MB)")
        return path
    start = time.perf_counter()
    build(path)
    print(f"built {path} ({path.stat().st_size / 1e6:.0f} MB) in {time.perf_counter() - start:.0f} s")
    return path


def run() -> None:
    source = cached_database()
    with tempfile.TemporaryDirectory() as folder:
        runs = iter(range(1, 100))

        def one_backup():
            target = Path(folder) / f"run-{next(runs)}"
            target.mkdir()
            backup.backup_now(source, target, kind=backup.MANUAL)
            shutil.rmtree(target)

        one_backup()  # warm-up: the file in the OS cache, as it is in an office PC's after a day's work
        median, best = timed(one_backup, repeat=5)
        report(f"backup of {UNITS:,} units and {len(YEARS)} years of records "
               f"({source.stat().st_size / 1e6:.0f} MB)", median, 2_000, best)
        _parts(source, Path(folder))


def _parts(source: Path, folder: Path) -> None:
    """Where the time goes: each step of backup_now on its own (no target: for reading the figure)."""
    copy = folder / "parts.sqlite"

    def copy_only():
        copy.unlink(missing_ok=True)
        backup._copy_database(source, copy, None)

    for label, step in (("  fingerprint of the source (SHA-256)", lambda: backup.fingerprint(source)),
                        ("  copy with the backup API", copy_only),
                        ("  integrity_check of the copy", lambda: backup._read_contents_and_check(copy)),
                        ("  SHA-256 of the copy", lambda: backup.file_checksum(copy))):
        median, best = timed(step, repeat=3)
        report(label, median, None, best)


if __name__ == "__main__":
    run()
