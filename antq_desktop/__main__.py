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
    # Qt is imported here, not at module level, so `antq --help` and friends stay light; the
    # database layer only once the window is on screen (it is the slowest part to import).
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QMessageBox

    from antq_desktop.i18n import tr
    from antq_desktop.ui.app import create_application, install_crash_handler
    from antq_desktop.ui.main_window import MainWindow

    app = create_application([sys.argv[0], *argv])
    install_crash_handler()
    if args.quit_after:  # leave every event loop (a dialog's too) without asking anything
        QTimer.singleShot(args.quit_after, lambda: app.exit(0))
    window = MainWindow()
    window.show()
    app.processEvents()

    from antq_desktop.db.engine import open_database
    from antq_desktop.errors import UserError
    from antq_desktop.services.profile import get_profile
    from antq_desktop.ui.profile_form import FirstStartDialog

    try:
        db = open_database(args.db)
    except UserError as error:
        QMessageBox.critical(window, tr("Không mở được dữ liệu"), error.message)
        return 1
    with db.transaction() as session:
        needs_profile = get_profile(session) is None
    if needs_profile and not FirstStartDialog(db, window).exec():
        db.close()
        return 0
    window.open_database(db)
    code = app.exec()
    db.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
