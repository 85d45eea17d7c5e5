"""Issue 2 figures on 100,000 units: a search query (<= 50 ms) and opening the units page (<= 300 ms).

A "search query" is what the page does for one keystroke pause: count the matches and fetch
the first page of them in Vietnamese order.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from antq_desktop.domain.units import UnitStatus
from antq_desktop.services import profile
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitQuery
from benchmarks.common import large_register, report, timed

UNITS = 100_000
QUERIES = ("to dan pho", "Đồng Tâm", "nguyen van hung", "truong thcs", "xyz khong co", "12345", "hòa bình")


def run() -> None:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        db = large_register(Path(folder) / "large.sqlite", UNITS)
        print(f"built a register of {UNITS:,} units in {time.perf_counter() - start:.1f} s")
        with db.transaction() as session:
            ward_id = profile.require_profile(session).id

        def search(text: str):
            query = UnitQuery(search=text, status=UnitStatus.ACTIVE)  # the page's default filter
            with db.transaction() as session:
                unit_service.first_page(session, ward_id, query, unit_service.PAGE_SIZE)

        for text in QUERIES:
            median, best = timed(lambda: search(text))
            report(f"search {text!r} over {UNITS:,} units", median, 50, best)
        _open_page(db, ward_id)
        db.close()


def _open_page(db, ward_id: int) -> None:
    from PySide6.QtWidgets import QApplication

    from antq_desktop.ui.app import create_application
    from antq_desktop.ui.units_page import UnitsPage

    app = create_application([])

    def open_page():
        page = UnitsPage(db, ward_id)
        page.show()
        QApplication.processEvents()
        page.close()
        page.deleteLater()

    median, best = timed(open_page)
    report(f"open the units page on {UNITS:,} units", median, 300, best)
    app.processEvents()


if __name__ == "__main__":
    run()
