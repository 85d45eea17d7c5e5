"""``antq-desktop`` / ``python -m antq_desktop``: start the window."""

from __future__ import annotations

import argparse
import sys

from antq_desktop.logging_setup import setup_logging


def _arguments(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="antq-desktop", description="ANTQ Desktop")
    parser.add_argument("--db", help="đường dẫn tệp dữ liệu hoặc URL SQLAlchemy")
    parser.add_argument("--quit-after", type=int, help=argparse.SUPPRESS)  # ms; installer/smoke_test.py only
    return parser.parse_known_args(argv)[0]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = _arguments(argv)
    setup_logging()
    from antq_desktop import connection

    args.db = connection.target_or_setting(args.db)  # without --db: this PC's setting (Kết nối máy chủ dữ liệu…)
    # Qt is imported here, not at module level, so `antq --help` and friends stay light; the
    # database layer only once the window is on screen (it is the slowest part to import).
    from PySide6.QtCore import QTimer

    from antq_desktop.ui.app import create_application, install_crash_handler
    from antq_desktop.ui.main_window import MainWindow

    app = create_application([sys.argv[0], *argv])
    install_crash_handler()
    from antq_desktop.ui.single_instance import claim

    instance = claim(args.db)  # the file is already open in a window: that window comes forward
    if instance is None:
        return 0
    try:
        if args.quit_after:  # leave every event loop (a dialog's too) without asking anything
            QTimer.singleShot(args.quit_after, lambda: app.exit(0))
        window = MainWindow()
        window.show()
        app.processEvents()
        from antq_desktop.ui.crash_dialog import show_previous_crash

        show_previous_crash(window)  # the last run died: its report, once
        return _run(app, window, args, instance)
    finally:
        instance.release()


def _run(app, window, args, instance) -> int:
    """Open the database, sign the officer in, run the window; "Đăng xuất" starts over with a
    fresh window for the next officer."""
    from antq_desktop import identity
    from antq_desktop.services.profile import get_profile
    from antq_desktop.ui.backup_dialog import back_up_on_exit, restore_with_callbacks
    from antq_desktop.ui.main_window import MainWindow
    from antq_desktop.ui.profile_form import FirstStartDialog
    from antq_desktop.ui.sign_in import ensure_signed_in
    from antq_desktop.ui.single_instance import bring_forward

    # a second start on this file brings forward whichever window is current (late binding)
    instance.activation_requested.connect(lambda: bring_forward(window))
    db = _open_or_restore(window, args)
    if db is None:
        return 1
    try:
        while True:
            # the first start creates the administrator, later starts sign in (writes need an account)
            if not ensure_signed_in(db, window):
                return 0
            with db.transaction() as session:
                needs_profile = get_profile(session) is None
            if needs_profile and not FirstStartDialog(db, window).exec():
                return 0
            window.open_database(db)
            code = app.exec()
            if window.restore_request is not None:  # "Khôi phục…": the file is swapped while nothing holds it
                reopened = []  # the restored file (its accounts now), or the untouched one if refused
                restore_with_callbacks(window, window.restore_request, db.file, db.close,
                                       lambda: reopened.append(_open_or_restore(window, args)))
                if reopened and reopened[0] is None:
                    return 1
                db = reopened[0] if reopened else db  # nothing reopened: the restore never closed it
            elif not window.signing_out:
                return code
            identity.sign_out()
            window.deleteLater()
            window = MainWindow()
            window.show()
            app.processEvents()
    finally:
        db_file = db.file
        db.close()  # first: the WAL is merged into the file, so the exit backup copies one whole file
        back_up_on_exit(db_file)


def _open_or_restore(window, args):
    """The database; a damaged file offers to restore a backup first, a server that cannot be
    reached offers to change the connection; None when it cannot be opened."""
    from PySide6.QtWidgets import QMessageBox

    from antq_desktop.db.engine import open_database
    from antq_desktop.errors import UserError
    from antq_desktop.i18n import tr
    from antq_desktop.services import backup
    from antq_desktop.ui.backup_dialog import restore_after_open_failure

    try:
        return open_database(args.db)
    except UserError as error:
        try:
            db_file = backup.sqlite_file_of(args.db)
        except UserError:  # a PostgreSQL server: nothing to restore on this PC
            changed = _change_connection(window, error.message)
            if changed is None:
                return None
            args.db = changed.saved_target  # the connection just saved (None: the program's own file)
            return _open_or_restore(window, args)
        if not backup.is_damaged(db_file):  # locked, read-only, newer release…
            QMessageBox.critical(window, tr("Không mở được dữ liệu"), error.message)
            return None
        if not restore_after_open_failure(window, db_file, error.message):
            return None
        return open_database(args.db)


def _change_connection(window, message: str):
    """The server named by the setting (or --db) cannot be used: say why, and offer the
    connection dialog; the dialog when another connection was saved, else None."""
    from PySide6.QtWidgets import QMessageBox

    from antq_desktop.i18n import tr
    from antq_desktop.ui.server_dialog import ServerDialog

    box = QMessageBox(QMessageBox.Icon.Critical, tr("Không mở được dữ liệu"), message, parent=window)
    change = box.addButton(tr("Sửa cách kết nối…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(tr("Thoát"), QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is not change:
        return None
    dialog = ServerDialog(window, restart_needed=False)
    return dialog if dialog.exec() else None

if __name__ == "__main__":
    sys.exit(main())
