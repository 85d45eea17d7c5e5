"""The "Nhật ký thay đổi" page: entries made by the services, filters, old → new, export."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QFileDialog

from antq_desktop import identity
from antq_desktop.domain import vntext
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import UnitKind
from antq_desktop.services import accounts, profile
from antq_desktop.services import units as unit_service
from antq_desktop.ui.audit_page import AuditPage
from tests.ui.conftest import type_text

PASSWORD = "Baove@2026"


@pytest.fixture(autouse=True)
def nobody_signed_in():
    identity.sign_out()
    yield
    identity.sign_out()


@pytest.fixture
def ward_id(demo_db) -> int:
    with demo_db.transaction() as session:
        return profile.require_profile(session).id


@pytest.fixture
def officer(demo_db):
    """An administrator signed in, and a viewer account."""
    with demo_db.transaction() as session:
        accounts.create_first_admin(session, "tuan.nv", "Nguyễn Văn Tuấn", PASSWORD)
    accounts.sign_in_and_remember(demo_db, "tuan.nv", PASSWORD)
    with demo_db.transaction() as session:
        accounts.add_user(session, "lanhdao", "Trần Thị Hà", Role.CHI_XEM, PASSWORD, identity.current_actor())
    return identity.signed_in()


def _edit_unit(db, ward_id: int, name: str, **changes) -> unit_service.UnitDetails:
    """Change a unit through the service; the unit as it was before."""
    with db.transaction() as session:
        found, _total = unit_service.first_page(session, ward_id, unit_service.UnitQuery(search=name), 50)
        unit = next(row for row in found if row.name == name)
        before = unit_service.get_unit(session, unit.id)
        unit_service.update_unit(session, unit.id, dataclasses.replace(before.as_input(), **changes),
                                 identity.current_actor(), expected_version=before.version)
    return before


@pytest.fixture
def page(qtbot, demo_db, ward_id):
    page = AuditPage(demo_db, ward_id)
    qtbot.addWidget(page)
    page.resize(1100, 700)
    page.show()
    return page


def _shown(page) -> list:
    return list(page.model.rows)


def test_a_change_made_through_a_service_appears_first_with_old_and_new(qtbot, demo_db, ward_id, officer, page):
    before = _edit_unit(demo_db, ward_id, "Tổ dân phố 5", head_name="Lương Văn Bình", households=230)
    messages = []
    page.status_message.connect(messages.append)
    page.refresh()
    newest = page.model.rows[0]
    assert (newest.actor, newest.action_label, newest.table_label) == ("tuan.nv", "Sửa", "Đơn vị")
    assert newest.record_id == before.id and "Tổ dân phố 5" in newest.summary
    assert [page.model.index(0, c).data() for c in range(1, 5)] == ["tuan.nv", "Sửa", "Đơn vị", str(before.id)]
    assert messages and messages[-1] == page.summary.text()

    page.table.selectRow(0)
    assert "Tổ dân phố 5" in page.detail_title.text() and "tuan.nv" in page.detail_title.text()
    assert sorted(page.detail_lines()) == sorted([
        ("Người đứng đầu", before.head_name, "Lương Văn Bình"),
        ("Số hộ", str(before.households), "230"),
    ])
    page.table.clearSelection()
    assert page.detail_lines() == []


def test_a_created_record_shows_its_values_as_new(qtbot, demo_db, ward_id, officer, page):
    with demo_db.transaction() as session:
        unit_service.add_unit(session, ward_id, unit_service.UnitInput(
            kind=UnitKind.KDC, name="Tổ dân phố 21", households=180), identity.current_actor())
    page.refresh()
    page.table.selectRow(0)
    lines = dict((field, (old, new)) for field, old, new in page.detail_lines())
    assert lines["Tên"] == ("", "Tổ dân phố 21")
    assert lines["Số hộ"] == ("", "180")
    assert lines["Địa chỉ"] == ("", "(trống)")
    assert lines["Thuộc lực lượng vũ trang"] == ("", "Không")


def test_filters_narrow_the_list(qtbot, demo_db, ward_id, officer, page):
    _edit_unit(demo_db, ward_id, "Tổ dân phố 5", head_name="Lương Văn Bình")
    _edit_unit(demo_db, ward_id, "Tổ dân phố 7", households=321)
    page.refresh()
    everything = len(_shown(page))
    assert everything > 10

    page.actor.setCurrentIndex(page.actor.findData("tuan.nv"))  # the officer's name is offered once he acted
    shown = _shown(page)
    assert {row.actor for row in shown} == {"tuan.nv"} and len(shown) < everything
    assert sum(row.table_name == "unit" for row in shown) == 2

    page.kind.setCurrentIndex(page.kind.findData("unit"))
    assert [row.summary for row in _shown(page)] == ["Sửa đơn vị “Tổ dân phố 7”", "Sửa đơn vị “Tổ dân phố 5”"]

    page.search.setFocus()
    type_text(page.search, "Bình")  # a value typed by the officer
    qtbot.waitUntil(lambda: len(_shown(page)) == 1)
    assert _shown(page)[0].summary == "Sửa đơn vị “Tổ dân phố 5”"

    page.clear_filters()
    assert len(_shown(page)) == everything and page.search.text() == ""
    page.search.setFocus()
    type_text(page.search, "to dan pho 7")  # without tones
    qtbot.waitUntil(lambda: 0 < len(_shown(page)) < everything)
    assert all("to dan pho 7" in vntext.search_key(row.summary) for row in _shown(page))

    page.clear_filters()
    page.use_from.setChecked(True)
    page.date_from.setDate(date.today() + timedelta(days=1))
    assert _shown(page) == [] and page.summary.text() == "Không có thay đổi nào khớp bộ lọc."
    page.date_from.setDate(date.today())
    page.use_to.setChecked(True)
    page.date_to.setDate(date.today())
    assert len(_shown(page)) == everything


def test_export_writes_the_filtered_entries_to_excel(qtbot, demo_db, ward_id, officer, page, tmp_path, monkeypatch):
    _edit_unit(demo_db, ward_id, "Tổ dân phố 5", head_name="Lương Văn Bình")
    page.refresh()
    page.actor.setCurrentIndex(page.actor.findData("tuan.nv"))
    expected = _shown(page)
    target = tmp_path / "nhat-ky"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    messages = []
    page.status_message.connect(messages.append)
    page.buttons["export"].click()
    written = tmp_path / "nhat-ky.xlsx"
    assert written.exists()
    sheet = load_workbook(written).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Thời điểm", "Người thực hiện", "Thao tác")
    assert len(rows) - 1 == len(expected)
    assert [row[1] for row in rows[1:]] == ["tuan.nv"] * len(expected)
    assert rows[1][5] == "Sửa đơn vị “Tổ dân phố 5”" and "Lương Văn Bình" in rows[1][7]
    assert messages[-1] == f"Đã xuất {len(expected)} thay đổi ra tệp nhat-ky.xlsx."


def test_a_viewer_reads_and_exports_the_trail(qtbot, demo_db, ward_id, officer, page, tmp_path, monkeypatch):
    _edit_unit(demo_db, ward_id, "Tổ dân phố 5", head_name="Lương Văn Bình")
    identity.sign_out()
    accounts.sign_in_and_remember(demo_db, "lanhdao", PASSWORD)
    page.refresh()
    assert page.model.rows[0].summary == "Đăng nhập: tài khoản “lanhdao”"
    page.table.selectRow(0)
    assert page.detail_lines()
    target = tmp_path / "xem.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), ""))
    page.export_to_excel()
    assert target.exists()
    assert page.table.editTriggers() == page.table.EditTrigger.NoEditTriggers
    assert page.detail.editTriggers() == page.detail.EditTrigger.NoEditTriggers


def test_cancelling_the_export_writes_nothing(qtbot, page, tmp_path, monkeypatch):
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: ("", ""))
    page.export_to_excel()
    assert not list(tmp_path.glob("*.xlsx"))
