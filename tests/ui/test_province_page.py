"""The "Tổng hợp các xã, phường" page: the wards of the database, a row of figures per ward and
the total in bold, the year box, Excel, and a package imported from the page."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QDialog

from antq_desktop.db.engine import open_database
from antq_desktop.services import package, province
from antq_desktop.ui import province_page
from antq_desktop.ui.province_page import ProvincePage
from tests.ui.conftest import when_modal_opens


@pytest.fixture
def exported(full_demo_db, tmp_path) -> Path:
    path = tmp_path / "Minh-Xuan.antq"
    with full_demo_db.reading() as session:
        package.export_package(session, path, "phường")
    return path


@pytest.fixture
def office(demo_template, tmp_path):
    """A database with its own ward (the demo without field work)."""
    db = open_database(shutil.copy(demo_template, tmp_path / "tinh.sqlite"))
    yield db
    db.close()


def _page(qtbot, db) -> ProvincePage:
    from antq_desktop.services import profile

    with db.reading() as session:
        page = ProvincePage(db, profile.require_profile(session).id)
    qtbot.addWidget(page)
    page.year.setValue(2025)
    return page


def _texts(table, row: int) -> list[str]:
    return [table.item(row, column).text() for column in range(table.columnCount())]


def test_a_package_imported_from_the_page_adds_a_row_and_the_total(qtbot, office, exported):
    page = _page(qtbot, office)
    assert page.wards_table.rowCount() == 1 and page.table.rowCount() == 2  # the home ward and the total
    imported = []
    page.package_imported.connect(imported.append)

    def import_in(dialog: QDialog) -> None:
        dialog.open_file(exported)
        dialog.import_button.click()
        dialog.reject()  # "Đóng"

    when_modal_opens(qtbot, import_in)
    page.buttons["import"].click()

    assert len(imported) == 1 and page.wards_table.rowCount() == 2
    assert _texts(page.wards_table, 0)[0] == "phường Minh Xuân (xã, phường của tệp)"
    assert _texts(page.wards_table, 1)[3] == "2024–2030" and _texts(page.wards_table, 1)[4] != "–"
    assert page.table.rowCount() == 3
    headers = [page.table.horizontalHeaderItem(column).text() for column in range(page.table.columnCount())]
    total = _texts(page.table, 2)
    assert total[0] == "Tổng cộng" and total[1] == "136" and page.table.item(2, 0).font().bold()
    assert not page.table.item(1, 0).font().bold()
    assert total[headers.index("Được công nhận")] == "51"
    assert total[headers.index("Tỷ lệ công nhận (%)")] == "47,2%"  # 51 of 108, not the average of 0% and 94,4%
    assert _texts(page.table, 0)[headers.index("Được huấn luyện (%)")] == "–"  # no members: no percentage
    assert "2 xã, phường" in page.summary.text()


def test_the_year_box_and_excel(qtbot, office, exported, tmp_path):
    with office.transaction() as session:
        package.import_package(session, exported)
    page = _page(qtbot, office)
    messages = []
    page.status_message.connect(messages.append)
    page.year.setValue(2024)
    assert page.figures.year == 2024 and page.figures_label.text() == "Số liệu năm 2024"
    with office.reading() as session:
        recognized = province.province_stats(session, 2024).total.recognized
    assert recognized > 0 and _texts(page.table, 2)[headers_index(page, "Được công nhận")] == str(recognized)
    path = tmp_path / "tong-hop.xlsx"
    page.export_to_excel(str(path))
    sheet = load_workbook(path).active
    assert sheet.cell(4, 1).value == "Tổng cộng" and sheet.cell(4, 1).font.bold
    assert "tong-hop.xlsx" in messages[-1]


def headers_index(page: ProvincePage, header: str) -> int:
    return [page.table.horizontalHeaderItem(column).text()
            for column in range(page.table.columnCount())].index(header)


def test_many_wards_are_gathered_behind_a_progress_bar(qtbot, office, exported, monkeypatch):
    with office.transaction() as session:
        package.import_package(session, exported)
    monkeypatch.setattr(province_page, "IN_BACKGROUND_FROM", 2)
    labels = []
    run = province_page.run_with_progress
    monkeypatch.setattr(province_page, "run_with_progress",
                        lambda parent, label, job: labels.append(label) or run(parent, label, job))
    page = _page(qtbot, office)
    assert labels == ["Đang tổng hợp số liệu các xã, phường…"] * 2  # built for this year, then for 2025
    assert page.table.rowCount() == 3
    with office.reading() as session:
        assert page.figures == province.province_stats(session, 2025)


def test_export_takes_the_chosen_ward(qtbot, office, exported, tmp_path, monkeypatch):
    with office.transaction() as session:
        package.import_package(session, exported)
    page = _page(qtbot, office)
    chosen = []
    monkeypatch.setattr(province_page.package_dialog, "export_package",
                        lambda parent, db, ward_id: chosen.append(ward_id))
    page.wards_table.selectRow(1)
    page.buttons["export"].click()
    assert chosen == [page.entries[1].id] and not page.entries[1].home
