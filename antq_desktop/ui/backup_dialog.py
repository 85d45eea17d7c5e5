"""Menu Tệp → Sao lưu và khôi phục…, and Kiểm tra dữ liệu….

``BackupDialog`` shows the backup folder (change it, open it), the backups in it (date, kind,
size, checked), takes a backup on the spot off the GUI thread with a progress bar, and for
"Khôi phục…" shows what the chosen backup holds and asks to confirm. It does not restore by
itself: the open database must be closed first, which only the window can do, so it returns the
chosen file (``chosen_backup``) and the window calls :func:`restore_with_callbacks` with its own
close and reopen steps. ``restore_after_open_failure`` offers the same when the file cannot even
be opened (damaged), before there is a window to close anything.

``DataCheckDialog`` runs the data check off the GUI thread and lists what it found.

The automatic backups: ``DailyBackup`` takes the daily one in a background thread without
showing anything unless it fails (the window starts it after opening the database and again
every hour; it backs up at most once a day, and only when the data changed), and
``back_up_on_exit`` takes the exit one once the window has closed its database, behind a
progress bar.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import backup, datacheck
from antq_desktop.services.backup import BackupCancelled, BackupInfo, RestoreResult
from antq_desktop.ui.background import run_with_progress
from antq_desktop.ui.forms import add_buttons, close_buttons, error_label, show_error
from antq_desktop.ui.messages import attempt
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

BACKUP_WIDTHS = (130, 160, 90, 110, 180, 80)
CHECK_WIDTHS = (110, 170, 600)


def _moment(info: BackupInfo) -> str:
    return info.created_text


class BackupsModel(RowTableModel):
    def __init__(self, parent=None):
        columns = (
            Column(tr("Ngày giờ"), _moment, lambda info: info.created),
            Column(tr("Loại"), lambda info: tr(info.kind_label)),
            Column(tr("Dung lượng"), lambda info: info.size_text, lambda info: info.size),
            Column(tr("Kiểm tra"), lambda info: tr("Đã kiểm tra") if info.verified else tr("Chưa kiểm tra")),
            Column(tr("Dữ liệu của"), lambda info: info.ward_name),
            Column(tr("Số đơn vị"), lambda info: "" if info.units is None else vntext.format_number(info.units),
                   lambda info: info.units or 0),
        )
        super().__init__(columns, parent)


class BackupDialog(QDialog):
    """``db``: the open Database (None when it could not be opened: then ``db_file`` names the file)."""

    def __init__(self, db, parent: QWidget | None = None, *, db_file: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Sao lưu và khôi phục dữ liệu"))
        self.db_file = Path(db_file) if db_file is not None else (db.file if db is not None else None)
        self.chosen_backup: Path | None = None
        self.last_backup: BackupInfo | None = None

        self.folder_edit = QLineEdit()
        self.folder_edit.setReadOnly(True)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(tr("Thư mục sao lưu:")))
        folder_row.addWidget(self.folder_edit, 1)
        self.folder_buttons = add_buttons(folder_row, (
            ("change", tr("Đổi thư mục…"), self.change_folder),
            ("open", tr("Mở thư mục"), self.open_folder),
        ))
        self.warning = error_label()
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.model = BackupsModel(self)
        self.table = RecordTable(self.model, BACKUP_WIDTHS, "backup_dialog/table", self)
        self.table.doubleClicked.connect(lambda _index: self.choose_restore())
        note = QLabel(tr("Chương trình tự sao lưu khi đóng và mỗi ngày có thay đổi; giữ bản mới nhất của 7 ngày, "
                         "4 tuần và 12 tháng gần nhất. Có thể chọn thư mục trên ổ USB để cất giữ riêng."))
        note.setWordWrap(True)
        actions = QHBoxLayout()
        self.buttons = add_buttons(actions, (
            ("backup", tr("Sao lưu ngay"), self.back_up_now),
            ("restore", tr("Khôi phục…"), self.choose_restore),
        ))
        actions.addStretch(1)
        close = close_buttons(self)
        actions.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(folder_row)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.status)
        layout.addWidget(note)
        layout.addLayout(actions)
        self.resize(860, 460)
        if self.db_file is None:  # a PostgreSQL server: its own tools back it up
            show_error(self.warning, tr(backup.POSTGRES_MESSAGE))
            for button in (*self.buttons.values(), *self.folder_buttons.values()):
                button.setEnabled(False)
            return
        self.buttons["backup"].setEnabled(db is not None or self.db_file.is_file())
        self.refresh()

    # ---- the folder and its backups -------------------------------------------------------

    def refresh(self) -> None:
        folder = backup.backup_folder()
        self.folder_edit.setText(str(folder))
        rows, problem = [], ""
        if folder.is_dir():
            try:
                rows = backup.list_backups(folder)
            except UserError as error:  # the drive went away while it was read
                problem = error.message
        elif folder != backup.default_backup_folder():  # the default one is made with the first backup
            problem = backup.missing_folder_message(folder)
        show_error(self.warning, problem)
        self.model.set_rows(rows)
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        self.buttons["restore"].setEnabled(bool(rows))
        if rows:
            self.table.selectRow(0)

    def selected(self) -> BackupInfo | None:
        numbers = self.table.selected_row_numbers()
        return self.model.rows[numbers[0]] if numbers else None

    def change_folder(self) -> None:
        start = str(backup.backup_folder()) if backup.backup_folder().is_dir() else str(Path.home())
        chosen = QFileDialog.getExistingDirectory(self, tr("Chọn thư mục chứa các bản sao lưu"), start)
        if not chosen:
            return
        if attempt(self, lambda: backup.set_backup_folder(Path(chosen))) is not None:
            self.status.setText(tr("Từ nay các bản sao lưu được ghi vào {folder}.").format(folder=chosen))
            self.refresh()

    def open_folder(self) -> None:
        folder = backup.backup_folder()
        if not folder.is_dir():
            QMessageBox.warning(self, tr("Không mở được thư mục"), tr(backup.missing_folder_message(folder)))
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))

    # ---- backing up and choosing a backup to restore ------------------------------------------

    def back_up_now(self) -> BackupInfo | None:
        db_file = self.db_file

        def job(progress):
            return backup.backup_into_chosen_folder(db_file, progress=progress)

        try:
            info, _cancelled = run_with_progress(self, tr("Đang sao lưu dữ liệu…"), job)
        except BackupCancelled as cancelled:
            self.status.setText(cancelled.message)
            return None
        except UserError as error:
            QMessageBox.warning(self, tr("Chưa sao lưu được"), error.message)
            self.refresh()
            return None
        self.last_backup = info
        self.refresh()
        self.status.setText(tr("Đã sao lưu lúc {time} vào tệp {file} (đã kiểm tra toàn vẹn).").format(
            time=info.created_text, file=info.file))
        return info

    def choose_restore(self) -> None:
        info = self.selected()
        if info is None:
            return
        if attempt(self, lambda: backup.check_may_restore(self.db_file) or True) is None:
            return  # not an administrator: said now, before the window closes for nothing
        described = attempt(self, lambda: backup.describe(info.file))
        if described is None:
            return
        question = "\n".join([
            tr("Khôi phục dữ liệu từ bản sao lưu này?"), "", *described.summary_lines(), "",
            tr("Dữ liệu hiện tại sẽ được sao lưu trước (loại \u201cTrước khi khôi phục\u201d) rồi mới được thay; "
               "chương trình sẽ đóng dữ liệu đang mở và mở lại sau khi khôi phục."),
        ])
        answer = QMessageBox.question(self, tr("Khôi phục dữ liệu"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.chosen_backup = info.file
            self.accept()


def restore_with_callbacks(parent: QWidget | None, backup_file: Path, db_file: Path,
                           close_db: Callable[[], None], reopen_db: Callable[[], None]) -> RestoreResult | None:
    """Close the database, restore ``backup_file`` over ``db_file`` off the GUI thread (the
    current file backed up first), then reopen: the restored file, or the untouched old one when
    the restore was refused. Returns what was done, None when nothing was."""
    try:
        folder, folder_note = backup.available_folder()  # the chosen one, or the default when the USB drive is out
    except UserError as error:
        QMessageBox.warning(parent, tr("Chưa khôi phục được"), error.message)
        return None
    close_db()
    try:
        result, _cancelled = run_with_progress(
            parent, tr("Đang khôi phục dữ liệu…"),
            lambda progress: backup.restore(Path(backup_file), Path(db_file), folder, progress=progress))
    except UserError as error:
        reopen_db()  # the old file, untouched
        QMessageBox.warning(parent, tr("Chưa khôi phục được"), error.message)
        return None
    except BaseException:
        reopen_db()
        raise
    reopen_db()
    lines = [tr("Đã khôi phục dữ liệu từ bản sao lưu lúc {time}.").format(time=result.restored.created_text)]
    if result.safety_copy is not None:
        lines.append(tr("Dữ liệu trước khi khôi phục được giữ trong tệp {file}.").format(file=result.safety_copy.file))
    if folder_note:
        lines.append(folder_note)
    QMessageBox.information(parent, tr("Đã khôi phục"), "\n\n".join(lines))
    return result


def restore_after_open_failure(parent: QWidget | None, db_file: Path, message: str) -> bool:
    """The file could not be opened (damaged…): say why, and offer to restore a backup in its
    place. True when a backup was restored (open the file again), False otherwise."""
    box = QMessageBox(QMessageBox.Icon.Critical, tr("Không mở được dữ liệu"), message, parent=parent)
    restore_button = box.addButton(tr("Khôi phục từ bản sao lưu…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Đóng"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not restore_button:
        return False
    dialog = BackupDialog(None, parent, db_file=Path(db_file))
    if dialog.exec() != QDialog.DialogCode.Accepted or dialog.chosen_backup is None:
        return False
    return restore_with_callbacks(parent, dialog.chosen_backup, Path(db_file), lambda: None, lambda: None) is not None


# ---- the data check --------------------------------------------------------------------------

class ProblemsModel(RowTableModel):
    def __init__(self, parent=None):
        columns = (
            Column(tr("Mức độ"), lambda problem: tr(problem.severity.label),
                   lambda problem: list(datacheck.Severity).index(problem.severity)),
            Column(tr("Phần"), lambda problem: tr(problem.area)),
            Column(tr("Nội dung"), lambda problem: problem.message),
        )
        super().__init__(columns, parent)


class DataCheckDialog(QDialog):
    """Runs the check when first shown (``auto_start``), and again on "Kiểm tra lại"."""

    def __init__(self, db, parent: QWidget | None = None, *, auto_start: bool = True):
        super().__init__(parent)
        self.setWindowTitle(tr("Kiểm tra dữ liệu"))
        self.db = db
        self.report: datacheck.CheckReport | None = None
        self._auto_start = auto_start
        self.summary = QLabel(tr("Chưa kiểm tra."))
        self.summary.setWordWrap(True)
        font = self.summary.font()
        font.setBold(True)
        self.summary.setFont(font)
        self.model = ProblemsModel(self)
        self.table = RecordTable(self.model, CHECK_WIDTHS, "datacheck_dialog/table", self)
        self.table.setWordWrap(True)
        self.notes = QLabel()
        self.notes.setWordWrap(True)
        actions = QHBoxLayout()
        self.buttons = add_buttons(actions, (
            ("run", tr("Kiểm tra lại"), self.run_check),
            ("copy", tr("Chép kết quả"), self.copy_report),
        ))
        actions.addStretch(1)
        close = close_buttons(self)
        actions.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.notes)
        layout.addLayout(actions)
        self.resize(960, 480)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._auto_start:
            self._auto_start = False
            QTimer.singleShot(0, self.run_check)

    def run_check(self) -> datacheck.CheckReport | None:
        db = self.db
        try:
            report, _cancelled = run_with_progress(self, tr("Đang kiểm tra dữ liệu…"),
                                                   lambda progress: datacheck.run_checks(db, progress))
        except UserError as error:
            self.summary.setText(error.message)
            return None
        self.report = report
        self.model.set_rows(report.problems)
        self.table.resizeRowsToContents()
        self.summary.setText(tr(report.summary()))
        self.summary.setStyleSheet("" if report.ok else "color: #b00020;")
        self.notes.setText("\n".join(report.notes))
        return report

    def copy_report(self) -> None:
        if self.report is None:
            return
        lines = [self.report.summary(), *(problem.line() for problem in self.report.problems), *self.report.notes]
        QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")


# ---- the automatic backups ------------------------------------------------------------------

def back_up_on_exit(db_file: Path | None, parent: QWidget | None = None) -> BackupInfo | None:
    """The exit backup, after the window closed its database (so the file is whole, its WAL
    merged); nothing when the data did not change since the newest backup. A failure is said
    but never stops the program from closing: the data is in the file, untouched."""
    if db_file is None:  # a PostgreSQL server: its own backups
        return None
    try:
        info, _cancelled = run_with_progress(parent, tr("Đang sao lưu dữ liệu trước khi đóng chương trình…"),
                                             lambda progress: backup.backup_on_exit(Path(db_file), progress=progress))
    except BackupCancelled:
        return None
    except UserError as error:
        QMessageBox.warning(parent, tr("Chưa sao lưu được"), error.message + "\n\n" + tr(
            "Dữ liệu vẫn còn nguyên trong tệp dữ liệu; chương trình sẽ sao lưu lại ở lần mở sau."))
        return None
    if info is not None and info.note:
        QMessageBox.information(parent, tr("Đã sao lưu"), info.note)
    return info


class _QuietWorker(QObject):
    ended = Signal(object, object)  # (BackupInfo or None, the exception or None)

    def __init__(self, db_file: Path):
        super().__init__()
        self._db_file = db_file

    @Slot()
    def run(self) -> None:
        try:
            self.ended.emit(backup.daily_backup_if_needed(self._db_file), None)  # one step: no restart under writes
        except Exception as error:  # noqa: BLE001 - handed to the GUI thread: told, or raised there (crash dialog)
            self.ended.emit(None, error)


class DailyBackup(QObject):
    """The daily backup in a background thread, nothing on screen while it runs.

    ``schedule()`` runs it a few seconds after the start and then every hour (it backs up at most
    once a day, and only when the data changed). ``done(info)`` when a backup was taken (None:
    none was needed), ``failed(message)`` with the Vietnamese message of a fault the user can
    fix; any other error is raised in the GUI thread (the crash dialog). ``start()`` does nothing
    while one is still running. ``stop()`` before the database is closed for good (exit);
    ``wait()`` before it is closed for a moment (restore)."""

    done = Signal(object)
    failed = Signal(str)
    FIRST_MS = 5_000  # after the start, once the window has settled
    EVERY_MS = 60 * 60 * 1000  # then every hour: a window left open past midnight backs the new day up

    def __init__(self, db_file: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.db_file = Path(db_file)
        self._thread: QThread | None = None
        self._worker: _QuietWorker | None = None
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)
        self._every_ms = self.EVERY_MS
        self._stopped = False

    def schedule(self, first_ms: int = FIRST_MS, every_ms: int = EVERY_MS) -> None:
        """Run after ``first_ms``, then every ``every_ms``, until stop()."""
        self._every_ms = every_ms
        self._timer.start(first_ms)

    def _tick(self) -> None:
        self._timer.setInterval(self._every_ms)
        self.start()

    def stop(self) -> None:
        """No more runs, and the one running (if any) finished: before the database is closed."""
        self._stopped = True
        self._timer.stop()
        self.wait()

    def is_running(self) -> bool:
        return self._thread is not None

    def start(self) -> bool:
        if self._thread is not None or self._stopped:
            return False
        self._thread = QThread(self)
        self._worker = _QuietWorker(self.db_file)
        self._worker.moveToThread(self._thread)
        self._worker.ended.connect(self._ended, Qt.ConnectionType.QueuedConnection)
        self._thread.started.connect(self._worker.run)
        self._thread.start()
        return True

    def wait(self) -> None:
        """Block until a running backup ends (it is never cut off half-way: its file would be lost)."""
        if self._thread is not None:
            self._thread.quit()
            self._thread.wait()
            QGuiApplication.processEvents()  # deliver its result now

    @Slot(object, object)
    def _ended(self, info, error) -> None:
        thread, self._thread, self._worker = self._thread, None, None
        if thread is not None:
            thread.quit()
            thread.wait()
            thread.deleteLater()
        if error is None:
            self.done.emit(info)
        elif isinstance(error, UserError):
            self.failed.emit(error.message)
        else:
            raise error

