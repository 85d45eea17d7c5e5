"""Issue 4 figures on a grid of 500 units: opening it (<= 500 ms), one typed cell committed
(<= 20 ms), and a pasted block of every unit × every item (<= 2 s).

Everything goes through the page and its grid model, as the user's keys do: a cell is
``model.setData`` (what the cell editor calls on Enter), a block is ``grid.paste()`` from the
clipboard; each saves through ``save_cells`` in its own transaction.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from antq_desktop.db.engine import open_database
from antq_desktop.domain.units import UnitKind
from antq_desktop.services import demo, profile
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitInput
from benchmarks.common import report, timed

UNITS = 500
YEAR = 2026
KIND = UnitKind.KDC


def _database(path: Path):
    """The demo ward plus ``UNITS`` residential areas (the grid's rows)."""
    db = open_database(path)
    with db.transaction() as session:
        demo.load_demo(session, "benchmark")
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        units = [UnitInput(kind=KIND, name=f"Khu phố Đồng Tâm {n}", category="Khu phố") for n in range(1, UNITS + 1)]
        unit_service.insert_units(session, ward_id, units, "benchmark")
    return db, ward_id


def _block(items, rows: int, step: int) -> str:
    """A pasted block: every item a valid score, different from the last paste (``step``)."""

    def value(item) -> str:
        if item.deduction:
            return "-1" if step % 2 else "0"
        return str(item.max_points - Decimal(step % 2) / 2).replace(".", ",")

    line = "\t".join(value(item) for item in items)
    return "\r\n".join([line] * rows) + "\r\n"


def run() -> None:
    from PySide6.QtWidgets import QApplication

    from antq_desktop.ui.app import create_application
    from antq_desktop.ui.classification_page import ClassificationPage
    from antq_desktop.ui.score_grid import FIRST_ITEM

    app = create_application([])
    with tempfile.TemporaryDirectory() as folder:
        db, ward_id = _database(Path(folder) / "grid.sqlite")
        pages = []

        def open_page():
            page = ClassificationPage(db, ward_id)
            page.resize(1060, 760)
            page.year.setValue(YEAR)
            page.kind.setCurrentIndex(page.kind.findData(KIND.value))
            page.show()
            QApplication.processEvents()
            pages.append(page)

        median, best = timed(open_page)
        page = pages[-1]
        model = page.grid.model
        rows, items = model.rowCount(), model.items
        report(f"open the grid of {rows} units x {len(items)} items", median, 500, best)

        edits = iter(range(1000))

        def edit_cell():
            n = next(edits)
            index = model.index(n % rows, FIRST_ITEM + (n // rows) % len(items))
            model.setData(index, "1" if n % 2 else "0,5")
            QApplication.processEvents()

        median, best = timed(edit_cell, repeat=41)
        report("one typed cell committed (saved, totals and level recomputed)", median, 20, best)

        steps = iter(range(1, 100))
        saving = []
        store = page.grid._store

        def timed_store(edits):  # how much of a paste is the service's save_cells
            start = time.perf_counter()
            try:
                store(edits)
            finally:
                saving.append((time.perf_counter() - start) * 1000)

        page.grid._store = timed_store

        def paste_all():
            QApplication.clipboard().setText(_block(items, rows, next(steps)))
            page.grid.cells.go_to(model.index(0, FIRST_ITEM))
            start = time.perf_counter()
            page.grid.paste()
            QApplication.processEvents()
            assert not page.error.text(), page.error.text()
            return time.perf_counter() - start

        median, best = timed(paste_all, repeat=3)
        report(f"paste {rows} x {len(items)} cells (one save_cells, all or nothing)", median, 2000, best)
        print(f"  of which save_cells: median {statistics.median(saving):.1f} ms; the grid itself: "
              f"{median - statistics.median(saving):.1f} ms")

        median, best = timed(page.grid.undo_stack.undo, repeat=1)
        report(f"undo that paste ({rows * len(items)} cells)", median, 2000, best)
        page.grid.undo_stack.redo()
        median, best = timed(open_page, repeat=5)
        report(f"open the grid again, every cell scored ({rows} x {len(items)})", median, 500, best)
        for page in pages:
            page.close()
            page.deleteLater()
        app.processEvents()
        db.close()


if __name__ == "__main__":
    run()
