"""Tệp → Kết nối máy chủ dữ liệu…: the per-PC choice of database, tried for real, then saved."""

from __future__ import annotations

import json
import socket

import pytest

from antq_desktop import connection, paths
from antq_desktop.connection import Server
from antq_desktop.db import errors as db_errors
from antq_desktop.ui.server_dialog import ServerDialog
from tests.ui.conftest import when_modal_opens


@pytest.fixture
def dialog(qtbot, data_dir):
    def make(**options) -> ServerDialog:
        shown = ServerDialog(**options)
        qtbot.addWidget(shown)
        shown.show()
        return shown

    return make


def _fill(dialog: ServerDialog, host="192.168.1.10", port=5432, database="antq", user="can_bo", password="") -> None:
    dialog.use_server.setChecked(True)
    dialog.host.setText(host)
    dialog.port.setValue(port)
    dialog.database.setText(database)
    dialog.user.setText(user)
    dialog.password.setText(password)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_without_a_setting_it_shows_the_programs_own_file(dialog):
    shown = dialog()
    assert shown.use_file.isChecked() and shown.file_path.text() == ""
    assert shown.file_path.placeholderText() == str(paths.default_db_path())
    assert not shown.host.isEnabled() and not shown.password.isEnabled()
    shown.grab().save("/tmp/server-dialog-file.png")


def test_a_saved_server_is_shown_without_its_password(dialog):
    connection.save_target(Server("may-chu", 5433, "antq_phuong", "tuan").url())
    connection.remember_password(Server("may-chu", 5433, "antq_phuong", "tuan"), "bi-mat")
    shown = dialog()
    assert shown.use_server.isChecked()
    assert (shown.host.text(), shown.port.value(), shown.database.text(), shown.user.text()) == (
        "may-chu", 5433, "antq_phuong", "tuan")
    assert shown.password.text() == "" and shown.host.isEnabled() and not shown.file_path.isEnabled()
    shown.grab().save("/tmp/server-dialog-server.png")


def test_saving_a_server_keeps_the_url_and_the_password_apart_and_asks_to_restart(qtbot, dialog):
    shown = dialog()
    _fill(shown, password="mật khẩu: 2026")
    told = []
    when_modal_opens(qtbot, lambda box: (told.append(box.text()), box.accept()))
    shown.save_button.click()
    assert told, "the information box was shown (exec() returned)"
    assert "đóng chương trình rồi mở lại" in told[0] and "192.168.1.10:5432" in told[0]
    assert json.loads(paths.connection_file().read_text(encoding="utf-8")) == {
        "database": "postgresql+psycopg://can_bo@192.168.1.10:5432/antq"}
    assert paths.pgpass_file().read_text(encoding="utf-8") == "192.168.1.10:5432:antq:can_bo:mật khẩu\\: 2026\n"
    assert shown.saved_target == connection.chosen_target()
    assert not shown.isVisible()


def test_a_password_not_to_remember_is_forgotten(dialog):
    connection.remember_password(Server("192.168.1.10", 5432, "antq", "can_bo"), "cu")
    shown = dialog(restart_needed=False)
    _fill(shown, password="moi")
    shown.remember.setChecked(False)
    shown.save_button.click()
    assert not paths.pgpass_file().exists()
    assert connection.chosen_target() == "postgresql+psycopg://can_bo@192.168.1.10:5432/antq"


def test_going_back_to_the_programs_own_file_removes_the_setting(dialog):
    connection.save_target(Server("may-chu").url())
    shown = dialog(restart_needed=False)
    shown.use_file.setChecked(True)
    shown.save_button.click()
    assert connection.chosen_target() is None and shown.saved_target is None


@pytest.mark.parametrize(("fields", "message"), [
    ({"host": " "}, "Hãy nhập địa chỉ máy chủ"), ({"database": ""}, "Hãy nhập tên cơ sở dữ liệu"),
    ({"user": ""}, "Hãy nhập tên đăng nhập")])
def test_a_server_half_typed_is_refused_in_the_dialog(dialog, fields, message):
    shown = dialog(restart_needed=False)
    _fill(shown, **fields)
    shown.save_button.click()
    assert shown.isVisible() and shown.error.isVisible() and shown.error.text().startswith(message)
    assert not paths.connection_file().exists()


def test_trying_a_server_that_is_down_says_so_in_red(dialog):
    shown = dialog()
    _fill(shown, host="127.0.0.1", port=_free_port(), password="x")
    assert not shown.try_connection()
    assert shown.error.text() == db_errors.UNREACHABLE_MESSAGE and shown.result_label.text() == ""
    shown.grab().save("/tmp/server-dialog-refused.png")
    assert not paths.connection_file().exists(), "trying saves nothing"


def test_trying_a_file_says_whose_data_it_holds(dialog, demo_db_path):
    shown = dialog()
    shown.file_path.setText(str(demo_db_path))
    assert shown.try_connection()
    assert shown.result_label.text().endswith("dữ liệu của phường Minh Xuân.") and not shown.error.isVisible()
    shown.grab().save("/tmp/server-dialog-ok.png")


def _when_shown(qtbot, kind, handle) -> None:
    """Run ``handle(widget)`` once the active modal widget is a ``kind`` (a box closing may still be active)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    def check(tries_left=500):
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            handle(widget)
        elif tries_left:
            QTimer.singleShot(20, lambda: check(tries_left - 1))

    QTimer.singleShot(0, check)


def test_a_server_down_at_the_start_offers_to_change_the_connection(qtbot, data_dir):
    from types import SimpleNamespace

    from PySide6.QtWidgets import QMessageBox, QWidget

    from antq_desktop.__main__ import _open_or_restore

    window = QWidget()
    qtbot.addWidget(window)
    args = SimpleNamespace(db=Server("127.0.0.1", _free_port(), "antq", "can_bo").url())
    told = []

    def in_box(box):
        told.append(box.text())
        _when_shown(qtbot, ServerDialog, in_dialog)
        next(button for button in box.buttons() if button.text() == "Sửa cách kết nối…").click()

    def in_dialog(dialog):
        dialog.use_file.setChecked(True)  # back to the program's own file
        dialog.save_button.click()

    _when_shown(qtbot, QMessageBox, in_box)
    db = _open_or_restore(window, args)
    try:
        assert told == [db_errors.UNREACHABLE_MESSAGE]
        assert args.db is None and db.file == paths.default_db_path()
    finally:
        db.close()
