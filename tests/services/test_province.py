"""The province view: the wards a database holds, each ward's year exactly as the ward sees it,
and a total that sums the counts and computes the percentages from the sums."""

from __future__ import annotations

import shutil

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from antq_desktop.db.engine import Database, open_database
from antq_desktop.db.models import Ward
from antq_desktop.services import package, province, stats
from antq_desktop.services.province import WardFigures
from tests.services.package_helpers import TODAY

YEAR = 2025


@pytest.fixture
def two_wards(full_demo_db, demo_template, tmp_path) -> tuple[Database, Database]:
    """A database with its own ward (the demo without field work) and the full demo ward
    imported from its package; and the full demo's own database."""
    path = tmp_path / "goi.antq"
    with full_demo_db.reading() as session:
        package.export_package(session, path, "tỉnh")
    db = open_database(shutil.copy(demo_template, tmp_path / "tinh.sqlite"))
    with db.transaction() as session:
        package.import_package(session, path)
    yield db, full_demo_db
    db.close()


def test_the_wards_of_the_database_home_first(two_wards):
    db, _source = two_wards
    with db.reading() as session:
        home, imported = province.wards(session)
    assert (home.home, imported.home) == (True, False)
    assert home.title == imported.title == "phường Minh Xuân" and home.province == "tỉnh Tuyên Quang"
    assert (home.units, imported.units) == (68, 68)
    assert home.last_import is None and imported.last_import is not None  # typed here / brought by a package
    assert home.years == (2025, 2026, 2027, 2028, 2029, 2030)  # the scores of 2025 and the plan's targets
    assert imported.years == (2024, 2025, 2026, 2027, 2028, 2029, 2030) and imported.years_text == "2024–2030"


def test_each_ward_s_figures_are_its_own_and_the_total_is_their_sum(two_wards):
    db, source = two_wards
    with db.reading() as session:
        figures = province.province_stats(session, YEAR, TODAY)
        home_id, imported_id = session.scalars(select(Ward.id).order_by(Ward.id)).all()
        home_figures = province.ward_figures("phường Minh Xuân", home_id, stats.year_stats(session, home_id, YEAR, TODAY))
    with source.reading() as session:
        source_id = session.scalar(select(Ward.id))
        own = province.ward_figures("phường Minh Xuân", imported_id, stats.year_stats(session, source_id, YEAR, TODAY))
    assert figures.wards == (home_figures, own)  # the imported ward as its own database sees it
    assert (own.recognized, own.eligible, own.members, own.trained) == (51, 54, 101, 99)
    total = figures.total
    for name in ("units", "eligible", "registered", "recognized", "classified", "kha_or_above", "inspections_made",
                 "kdc_total", "kdc_inspected", "members", "trained", "equipped", "models_active", "activities",
                 "reach", "festival_units", "festival_expected", "awards"):
        assert getattr(total, name) == getattr(home_figures, name) + getattr(own, name), name
    assert total.by_level == {code: home_figures.by_level[code] + own.by_level[code] for code in own.by_level}
    assert total.recognized_pct == 100 * total.recognized / total.eligible
    # The home ward has no field work: its members are none, so the total's share is the imported ward's.
    assert total.trained_pct == own.trained_pct and home_figures.trained_pct is None
    assert list(figures.level_labels.values()) == ["Xuất sắc", "Khá", "Trung bình", "Yếu"]


def test_percentages_come_from_the_sums_never_from_averaging_percentages():
    small = WardFigures("xã A", 1, eligible=10, registered=10, recognized=10, members=4, trained=4)
    large = WardFigures("xã B", 2, eligible=190, registered=95, recognized=19, members=96, trained=48)
    total = sum((small, large), WardFigures(province.TOTAL_TITLE))
    assert (small.registered_pct, large.registered_pct) == (100.0, 50.0)
    assert total.registered_pct == 52.5  # 105 of 200, where the average of the two would say 75
    assert total.recognized_pct == 14.5 and total.trained_pct == 52.0
    assert total.title == province.TOTAL_TITLE and total.ward_id is None
    assert WardFigures("trống").registered_pct is None  # no unit: no percentage, not 0%


def test_the_table_and_its_excel_copy(two_wards, tmp_path):
    db, _source = two_wards
    with db.reading() as session:
        figures = province.province_stats(session, YEAR, TODAY)
    headers, rows = figures.table()
    assert headers[:2] == ["Xã, phường", "Số đơn vị"] and "Khá" in headers and "Tỷ lệ công nhận (%)" in headers
    assert [row[0] for row in rows] == ["phường Minh Xuân", "phường Minh Xuân", "Tổng cộng"]
    assert rows[-1][1] == 136 and rows[-1][headers.index("Tỷ lệ công nhận (%)")] == round(
        figures.total.recognized_pct, 2)
    path = tmp_path / "tong-hop.xlsx"
    province.export_excel(figures, path)
    sheet = load_workbook(path).active
    assert [cell.value for cell in sheet[1]] == headers
    assert [cell.value for cell in sheet[4]] == rows[-1] and sheet.cell(4, 1).font.bold
    assert not sheet.cell(3, 1).font.bold
    assert figures.as_dict()["total"]["units"] == 136


def test_a_year_out_of_range_is_refused(two_wards):
    from antq_desktop.errors import UserError

    db, _source = two_wards
    with db.reading() as session, pytest.raises(UserError, match="không hợp lệ"):
        province.province_stats(session, 1990)
