"""Issue 7 point 2: a list of 10,000 units from elsewhere, read, previewed and imported (the
issue's figure for a 10,000-row import: <= 5 s in all)."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from antq_desktop.db.engine import open_database
from antq_desktop.services import demo, profile
from antq_desktop.services import unit_import as imports
from benchmarks.common import report, synthetic_units, timed

ROWS = 10_000


def _write_list(path: Path) -> None:
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH ĐƠN VỊ"])
    sheet.append(["STT", "Tên đơn vị", "Loại đơn vị", "Địa chỉ", "Người đứng đầu", "Số điện thoại", "Cấp học"])
    for number, unit in enumerate(synthetic_units(ROWS, seed=7), start=1):
        sheet.append([number, unit.name, unit.kind.label, unit.address, unit.head_name, f"09{number:08d}",
                      unit.school_level.label if unit.school_level else ""])
    workbook.save(path)


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "danh-sach.xlsx"
        _write_list(path)
        db = open_database(Path(folder) / "ward.sqlite")
        with db.transaction() as session:
            demo.load_demo(session, "benchmark", field_work=False)
            ward_id = profile.require_profile(session).id

        def read() -> imports.ListTable:
            return imports.default_table(imports.read_list(path))

        def preview() -> imports.Preview:
            with db.reading() as session:
                return imports.preview_import(session, ward_id, table, imports.propose_mapping(table).mapping)

        median, best = timed(read, repeat=3)
        report(f"read a list of {ROWS:,} rows", median, None, best)
        table = read()
        median, best = timed(preview, repeat=3)
        report(f"preview {ROWS:,} rows", median, None, best)
        start = time.perf_counter()
        table = read()
        shown = preview()
        with db.transaction() as session:
            result = imports.apply_import(session, ward_id, shown, "benchmark")
        assert result.added == ROWS, result
        report(f"read, preview and import {ROWS:,} new units", (time.perf_counter() - start) * 1000, 5000)
        median, best = timed(preview, repeat=3)
        report(f"preview {ROWS:,} rows already imported (all duplicates)", median, None, best)
        db.close()


if __name__ == "__main__":
    run()
