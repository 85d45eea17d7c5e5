"""The package dialogs as an officer uses them: export a year or everything, choose a package and
see what it holds and what importing does here (adds a ward, or REPLACES one, asked again), the
import off the GUI thread, the refusals said in the dialog."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from antq_desktop import identity
from antq_desktop.db.engine import open_database
from antq_desktop.domain.roles import Role
from antq_desktop.services import accounts, package
from antq_desktop.ui.package_dialog import ExportPackageDialog, ImportPackageDialog
from tests.services.package_helpers import contents
from tests.ui.test_backup_dialog import in_turn, noting, ok, press, yes

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def source(full_demo_db):
    return full_demo_db


@pytest.fixture
def target(empty_template, tmp_path):
    db = open_database(shutil.copy(empty_template, tmp_path / "tinh.sqlite"))
    yield db
    db.close()


@pytest.fixture
def exported(source, tmp_path) -> Path:
    path = tmp_path / "Minh-Xuan.antq"
    with source.reading() as session:
        package.export_package(session, path, "phường")
    return path


def _home_id(db) -> int:
    from antq_desktop.services import profile

    with db.reading() as session:
        return profile.require_profile(session).id


# ---- export ------------------------------------------------------------------------------------------

def test_export_one_year_through_the_dialog(qtbot, source, tmp_path):
    dialog = ExportPackageDialog(source, _home_id(source))
    qtbot.addWidget(dialog)
    assert dialog.file_edit.text().endswith("Minh-Xuan-tat-ca-cac-nam.antq") and not dialog.year.isEnabled()
    dialog.one_year.setChecked(True)
    dialog.year.setValue(2025)
    assert dialog.file_edit.text().endswith("Minh-Xuan-2025.antq") and dialog.year.isEnabled()
    path = tmp_path / "nam-2025.antq"
    dialog.file_edit.setText(str(path))
    seen: list[str] = []
    left = in_turn([(QMessageBox, noting(seen, ok))])
    dialog.export_button.click()
    assert not left and "Đã xuất phường Minh Xuân, năm 2025" in seen[0]
    info = package.describe(path)
    assert dialog.info == info and info.year == 2025 and dialog.result() == dialog.DialogCode.Accepted


def test_export_asks_before_overwriting_a_file(qtbot, source, tmp_path):
    path = tmp_path / "cu.antq"
    path.write_bytes(b"tep cu")
    dialog = ExportPackageDialog(source, _home_id(source))
    qtbot.addWidget(dialog)
    dialog.file_edit.setText(str(path))
    left = in_turn([(QMessageBox, press("&No"))])
    dialog.export_button.click()
    assert not left and path.read_bytes() == b"tep cu"
    left = in_turn([(QMessageBox, yes), (QMessageBox, ok)])
    dialog.export_button.click()
    assert not left and package.describe(path).year is None


def test_an_export_that_fails_is_said_in_the_dialog(qtbot, source, tmp_path):
    dialog = ExportPackageDialog(source, _home_id(source))
    qtbot.addWidget(dialog)
    dialog.file_edit.setText(str(tmp_path / "khong-co-thu-muc" / "goi.antq"))
    dialog.export_button.click()
    assert "không tồn tại" in dialog.error.text() and not dialog.error.isHidden()
    assert dialog.info is None


# ---- import ------------------------------------------------------------------------------------------

def test_import_into_an_empty_database(qtbot, source, target, exported):
    dialog = ImportPackageDialog(target)
    qtbot.addWidget(dialog)
    assert not dialog.import_button.isEnabled()
    dialog.open_file(exported)
    assert "Xã, phường: phường Minh Xuân, tỉnh Tuyên Quang" in dialog.summary.text()
    assert "chưa có xã, phường nào" in dialog.effect.text()
    assert dialog.counts.item(1).text() == "68 – Đơn vị" and dialog.import_button.isEnabled()

    dialog.import_button.click()  # a new ward: nothing to confirm

    assert dialog.imported is not None and dialog.imported.added_ward
    assert dialog.summary.text().startswith("Đã thêm phường Minh Xuân")
    assert dialog.counts.item(1).text() == "Đơn vị: thêm 68" and not dialog.import_button.isEnabled()
    assert contents(target) == contents(source)


def test_replacing_a_ward_is_said_plainly_and_asked_again(qtbot, target, exported):
    with target.transaction() as session:
        package.import_package(session, exported)
    dialog = ImportPackageDialog(target)
    qtbot.addWidget(dialog)
    dialog.open_file(exported)
    assert "Nhập gói sẽ THAY mọi dữ liệu" in dialog.effect.text()
    questions: list[str] = []
    left = in_turn([(QMessageBox, noting(questions, press("&No")))])
    dialog.import_button.click()
    assert not left and "THAY dữ liệu đang có của phường Minh Xuân" in questions[0] and dialog.imported is None

    left = in_turn([(QMessageBox, yes)])
    dialog.import_button.click()
    assert not left and dialog.imported is not None and not dialog.imported.added_ward
    assert dialog.counts.item(0).text() == "Không có bản ghi nào thay đổi: dữ liệu đã giống hệt gói."


def test_a_foreign_file_is_refused_in_the_dialog(qtbot, target, tmp_path):
    text = tmp_path / "ghi-chu.antq"
    text.write_text("không phải gói", encoding="utf-8")
    dialog = ImportPackageDialog(target)
    qtbot.addWidget(dialog)
    dialog.open_file(text)
    assert dialog.error.text() == package.FOREIGN.format(name=text.name)
    assert not dialog.import_button.isEnabled() and dialog.counts.isHidden()


def test_a_non_administrator_is_told_at_once(qtbot, target, exported, monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    with target.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản trị", PASSWORD)
    identity.sign_in_as(accounts.sign_in_and_remember(target, "quantri", PASSWORD))
    with target.transaction() as session:
        accounts.add_user(session, "canbo", "Cán bộ", Role.CAN_BO, PASSWORD, "quantri")
    identity.sign_in_as(accounts.sign_in_and_remember(target, "canbo", PASSWORD))
    dialog = ImportPackageDialog(target)
    qtbot.addWidget(dialog)
    assert dialog.error.text() == package.ADMIN_ONLY
    dialog.open_file(exported)  # what it holds is still shown; importing is not offered
    assert "phường Minh Xuân" in dialog.summary.text() and dialog.error.text() == package.ADMIN_ONLY
    assert not dialog.import_button.isEnabled()
