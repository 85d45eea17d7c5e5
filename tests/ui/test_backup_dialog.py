"""The backup dialog and the data check dialog, driven as a user drives them: backups taken off
the GUI thread, the list, the restore question and the restore itself, the check's findings."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
)

from antq_desktop.db.engine import open_database
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import backup, profile
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitInput
from antq_desktop.ui.backup_dialog import (
    BackupDialog,
    DataCheckDialog,
    restore_after_open_failure,
    restore_with_callbacks,
)


def in_turn(steps: list[tuple[type, Callable]], tries: int = 1500) -> list:
    """Answer the modal windows that open next, in order: each step waits for a modal window of
    its type (a progress dialog in between is left alone), then acts on it. Returns the steps
    not reached, so that a test can assert it reached them all."""
    remaining = list(steps)
    handled: set[int] = set()

    def check(tries_left: int = tries) -> None:
        if not remaining:
            return
        if tries_left:  # before acting: an action may open the next modal window and wait in it
            QTimer.singleShot(20, lambda: check(tries_left - 1))
        widget = QApplication.activeModalWidget()
        kind, act = remaining[0]
        if widget is not None and isinstance(widget, kind) and not isinstance(widget, QProgressDialog) \
                and id(widget) not in handled:
            handled.add(id(widget))
            remaining.pop(0)
            act(widget)

    QTimer.singleShot(0, check)
    return remaining


def press(text: str) -> Callable:
    def act(box: QMessageBox) -> None:
        (button,) = [button for button in box.findChildren(QPushButton) if button.text() == text]
        button.click()
    return act


def noting(seen: list[str], then: Callable) -> Callable:
    def act(box: QMessageBox) -> None:
        seen.append(box.text())
        then(box)
    return act


def ok(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Ok).click()


def yes(box: QMessageBox) -> None:
    box.button(QMessageBox.StandardButton.Yes).click()


def add_unit(db, name: str) -> None:
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        unit_service.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name=name), "kiểm thử")


def unit_count(db) -> int:
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        return unit_service.count_units(session, ward_id, unit_service.UnitQuery())


# ---- backing up -----------------------------------------------------------------------------

def test_back_up_now_through_the_dialog_and_the_list_shows_it(qtbot, demo_db, data_dir):
    dialog = BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.folder_edit.text() == str(data_dir / "backups")
    assert dialog.model.rowCount() == 0 and not dialog.buttons["restore"].isEnabled()
    assert not dialog.warning.isVisible()  # the default folder is simply made with the first backup

    dialog.buttons["backup"].click()

    assert dialog.model.rowCount() == 1
    (info,) = dialog.model.rows
    row = [dialog.model.index(0, column).data() for column in range(dialog.model.columnCount())]
    assert row[0] == info.created_text and row[1] == "Sao lưu ngay"
    assert row[2].endswith(("KB", "MB")) and row[3] == "Đã kiểm tra"
    assert row[4:] == ["phường Minh Xuân", "68"]
    assert info.file.parent == data_dir / "backups" and info.file.is_file()
    assert "Đã sao lưu lúc" in dialog.status.text() and "đã kiểm tra toàn vẹn" in dialog.status.text()
    assert dialog.buttons["restore"].isEnabled()


def test_a_chosen_folder_that_is_gone_is_said_plainly(qtbot, demo_db, tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    backup.set_backup_folder(usb)
    usb.rmdir()  # the drive was pulled out
    dialog = BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.warning.isVisible() and "ổ USB" in dialog.warning.text()
    seen: list[str] = []
    pending = in_turn([(QMessageBox, noting(seen, ok))])
    dialog.buttons["backup"].click()
    qtbot.waitUntil(lambda: not pending)
    assert len(seen) == 1 and "Không tìm thấy thư mục sao lưu" in seen[0] and "ổ USB" in seen[0]
    assert dialog.model.rowCount() == 0 and not usb.exists()


def test_the_folder_is_changed_with_a_folder_picker(qtbot, demo_db, tmp_path, monkeypatch):
    usb = tmp_path / "USB" / "SaoLuu"
    usb.mkdir(parents=True)
    monkeypatch.setattr("antq_desktop.ui.backup_dialog.QFileDialog.getExistingDirectory",
                        lambda *args: str(usb))
    opened = []
    monkeypatch.setattr("antq_desktop.ui.backup_dialog.QDesktopServices.openUrl", lambda url: opened.append(url))
    dialog = BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.folder_buttons["change"].click()
    assert dialog.folder_edit.text() == str(usb.resolve()) and backup.backup_folder() == usb.resolve()
    dialog.folder_buttons["open"].click()
    assert [url.toLocalFile() for url in opened] == [str(usb.resolve())]
    dialog.buttons["backup"].click()
    assert dialog.model.rows[0].file.parent == usb.resolve()


def test_postgresql_gets_the_explanation_instead_of_buttons(qtbot):
    class ServerDatabase:
        file = None

    dialog = BackupDialog(ServerDatabase())
    qtbot.addWidget(dialog)
    dialog.show()
    assert "pg_dump" in dialog.warning.text()
    assert not dialog.buttons["backup"].isEnabled() and not dialog.buttons["restore"].isEnabled()


# ---- restoring ------------------------------------------------------------------------------

def test_restore_shows_what_the_backup_holds_and_returns_the_choice(qtbot, demo_db):
    dialog = BackupDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.buttons["backup"].click()
    chosen = dialog.model.rows[0].file
    seen: list[str] = []
    pending = in_turn([(QMessageBox, noting(seen, yes))])
    dialog.buttons["restore"].click()
    qtbot.waitUntil(lambda: not pending)
    assert "Khôi phục dữ liệu từ bản sao lưu này?" in seen[0]
    assert "Số đơn vị: 68" in seen[0] and "phường Minh Xuân" in seen[0] and "Trước khi khôi phục" in seen[0]
    assert dialog.result() == QDialog.DialogCode.Accepted and dialog.chosen_backup == chosen


def test_restore_with_callbacks_closes_restores_and_reopens(qtbot, demo_db_path):
    db = open_database(demo_db_path)
    info = backup.backup_into_chosen_folder(demo_db_path)
    add_unit(db, "Tổ dân phố sau lần sao lưu")
    assert unit_count(db) == 69
    opened = {"db": db}
    events = []

    def close_db():
        events.append("close")
        opened["db"].close()

    def reopen_db():
        events.append("reopen")
        opened["db"] = open_database(demo_db_path)

    seen: list[str] = []
    pending = in_turn([(QMessageBox, noting(seen, ok))])
    result = restore_with_callbacks(None, info.file, demo_db_path, close_db, reopen_db)
    qtbot.waitUntil(lambda: not pending)
    try:
        assert events == ["close", "reopen"]
        assert unit_count(opened["db"]) == 68
        assert result.safety_copy is not None and result.safety_copy.units == 69
        assert "Đã khôi phục dữ liệu từ bản sao lưu lúc" in seen[0] and str(result.safety_copy.file) in seen[0]
    finally:
        opened["db"].close()


def test_a_refused_restore_reopens_the_untouched_file(qtbot, demo_db_path, tmp_path):
    db = open_database(demo_db_path)
    add_unit(db, "Tổ dân phố vẫn còn")
    not_a_backup = tmp_path / "bao-cao.sqlite"
    not_a_backup.write_text("không phải dữ liệu", encoding="utf-8")
    opened = {"db": db}
    seen: list[str] = []
    pending = in_turn([(QMessageBox, noting(seen, ok))])
    result = restore_with_callbacks(None, not_a_backup, demo_db_path, lambda: opened["db"].close(),
                                    lambda: opened.update(db=open_database(demo_db_path)))
    qtbot.waitUntil(lambda: not pending)
    try:
        assert result is None and "không phải tệp SQLite" in seen[0]
        assert unit_count(opened["db"]) == 69
    finally:
        opened["db"].close()


def test_a_file_that_cannot_be_opened_is_restored_from_the_start_message(qtbot, demo_db_path):
    info = backup.backup_into_chosen_folder(demo_db_path)
    with closing(sqlite3.connect(demo_db_path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'unit'").fetchone()[0]
    with open(demo_db_path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 16)

    def pick_and_restore(dialog: BackupDialog) -> None:
        assert [row.file for row in dialog.model.rows] == [info.file]
        dialog.buttons["restore"].click()

    seen: list[str] = []
    pending = in_turn([
        (QMessageBox, noting(seen, press("Khôi phục từ bản sao lưu…"))),
        (BackupDialog, pick_and_restore),
        (QMessageBox, noting(seen, yes)),
        (QMessageBox, noting(seen, ok)),
    ])
    assert restore_after_open_failure(None, demo_db_path, "Tệp dữ liệu đã bị hỏng.")
    qtbot.waitUntil(lambda: not pending)
    assert seen[0] == "Tệp dữ liệu đã bị hỏng." and "Đã khôi phục" in seen[-1]
    db = open_database(demo_db_path)
    try:
        assert unit_count(db) == 68
    finally:
        db.close()
    kinds = sorted(entry.kind for entry in backup.list_backups(backup.backup_folder()))
    assert kinds == [backup.BEFORE_RESTORE, backup.MANUAL]  # the damaged file is kept, raw


def test_the_start_message_can_simply_be_closed(qtbot, tmp_path):
    pending = in_turn([(QMessageBox, press("Đóng"))])
    assert not restore_after_open_failure(None, tmp_path / "ward.sqlite", "Tệp dữ liệu đã bị hỏng.")
    qtbot.waitUntil(lambda: not pending)


# ---- the data check -------------------------------------------------------------------------

def test_the_check_dialog_lists_a_provoked_problem(qtbot, demo_db_path):
    with closing(sqlite3.connect(demo_db_path)) as connection:
        connection.execute("UPDATE unit SET status = 'dissolved', status_date = NULL WHERE id = 4")
        connection.commit()
    db = open_database(demo_db_path)
    try:
        dialog = DataCheckDialog(db, auto_start=False)
        qtbot.addWidget(dialog)
        dialog.show()
        report = dialog.run_check()
        assert not report.ok and dialog.model.rowCount() == 1
        row = [dialog.model.index(0, column).data() for column in range(3)]
        assert row == ["Sai lệch", "Đơn vị",
                       "Đơn vị \u201cTổ dân phố 4\u201d được ghi là đã giải thể nhưng không có ngày giải thể."]
        assert dialog.summary.text() == "Phát hiện 1 vấn đề."
        dialog.buttons["copy"].click()
        assert "[Sai lệch] Đơn vị: Đơn vị \u201cTổ dân phố 4\u201d" in QApplication.clipboard().text()
    finally:
        db.close()


def test_the_check_dialog_runs_when_shown_and_says_when_all_is_well(qtbot, demo_db):
    dialog = DataCheckDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.report is not None, timeout=10_000)
    assert dialog.summary.text() == "Không phát hiện lỗi nào." and dialog.model.rowCount() == 0


# ---- the automatic backups ------------------------------------------------------------------

def test_the_daily_backup_runs_in_the_background_once_a_day(qtbot, demo_db, data_dir):
    from antq_desktop.ui.backup_dialog import DailyBackup

    daily = DailyBackup(demo_db.file)
    with qtbot.waitSignal(daily.done, timeout=20_000) as first:
        assert daily.start() and not daily.start()  # a second start while one runs does nothing
    info = first.args[0]
    assert info is not None and info.kind == backup.DAILY and info.file.parent == data_dir / "backups"
    assert not daily.is_running()
    with qtbot.waitSignal(daily.done, timeout=20_000) as second:
        daily.start()
    assert second.args == [None]  # already backed up today


def test_the_daily_backup_is_scheduled_and_stops_for_good(qtbot, demo_db_path, data_dir):
    from antq_desktop.ui.backup_dialog import DailyBackup

    daily = DailyBackup(demo_db_path)
    runs = []
    daily.done.connect(runs.append)
    daily.schedule(first_ms=10, every_ms=30)
    qtbot.waitUntil(lambda: len(runs) >= 2, timeout=20_000)  # the first run backs up, the next ones find it done
    assert runs[0].kind == backup.DAILY and runs[1] is None
    daily.stop()
    assert not daily.start() and not daily.is_running()
    seen = len(runs)
    qtbot.wait(150)
    assert len(runs) == seen  # stopped: the timer no longer runs it
    assert len(backup.list_backups(data_dir / "backups")) == 1


def test_the_daily_backup_says_why_it_failed(qtbot, demo_db_path, monkeypatch):
    from antq_desktop.ui.backup_dialog import DailyBackup

    def disk_full(folder):  # what check_folder says when its probe file cannot be written
        raise UserError(f"Không ghi được tệp vào thư mục {folder} (No space left on device): ổ đĩa đã đầy.")

    monkeypatch.setattr(backup, "check_folder", disk_full)
    daily = DailyBackup(demo_db_path)
    with qtbot.waitSignal(daily.failed, timeout=20_000) as failed:
        daily.start()
    assert "ổ đĩa đã đầy" in failed.args[0]


def test_the_exit_backup_after_the_database_is_closed(qtbot, demo_db_path, data_dir):
    from antq_desktop.ui.backup_dialog import back_up_on_exit

    db = open_database(demo_db_path)
    add_unit(db, "Tổ dân phố mới trong ngày")
    db.close()
    info = back_up_on_exit(demo_db_path)
    assert info.kind == backup.EXIT and info.units == 69 and info.file.parent == data_dir / "backups"
    assert back_up_on_exit(demo_db_path) is None  # nothing changed since
    assert back_up_on_exit(None) is None  # PostgreSQL


def test_the_exit_backup_says_where_it_went_when_the_usb_drive_is_out(qtbot, demo_db_path, tmp_path, data_dir):
    from antq_desktop.ui.backup_dialog import back_up_on_exit

    usb = tmp_path / "usb"
    usb.mkdir()
    backup.set_backup_folder(usb)
    usb.rmdir()
    seen: list[str] = []
    pending = in_turn([(QMessageBox, noting(seen, ok))])
    info = back_up_on_exit(demo_db_path)
    qtbot.waitUntil(lambda: not pending)
    assert info.file.parent == data_dir / "backups"
    assert "ổ USB" in seen[0] and str(data_dir / "backups") in seen[0]
