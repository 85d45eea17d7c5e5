"""The QApplication: style, bundled fonts, and what happens to an unexpected error."""

from __future__ import annotations

import logging
import sys
import threading
import traceback

from PySide6.QtCore import QLocale, QTimer
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication, QMessageBox

from antq_desktop import __version__
from antq_desktop.errors import UserError
from antq_desktop.resources import resource_path
from antq_desktop.ui.settings import DEFAULT_FONT_SIZE, ui_settings

UI_FONT_FAMILY = "Liberation Sans"
_FONT_FILES = ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf")  # documents embed their own (reports/)
log = logging.getLogger(__name__)


def load_fonts() -> None:
    """Office PCs (and offscreen test runs) may lack a font with every Vietnamese letter: ship one."""
    for name in _FONT_FILES:
        if QFontDatabase.addApplicationFont(str(resource_path("fonts", name))) < 0:
            log.warning("could not load font %s", name)


def apply_font_size(app: QApplication, point_size: int) -> None:
    font = QFont(UI_FONT_FAMILY, point_size)
    app.setFont(font)


def saved_font_size() -> int:
    value = ui_settings().value("ui/font_size", DEFAULT_FONT_SIZE)
    try:
        return int(value)
    except (TypeError, ValueError):
        return DEFAULT_FONT_SIZE


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    app.setApplicationName("ANTQ Desktop")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("ANTQ")
    app.setStyle("Fusion")
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam))  # "148,5" in number boxes
    load_fonts()
    apply_font_size(app, saved_font_size())
    return app


def install_crash_handler() -> None:
    """An unexpected error is logged, kept as a crash report and shown in the crash dialog
    instead of closing the program; a fault the user can fix is a plain message."""
    # here, not at the top: the window frame (and the start-up benchmark) does not wait for it
    from antq_desktop.logging_setup import crash_report_text, write_crash_report


    def handle(exc_type, exc, tb):
        if issubclass(exc_type, UserError):  # a fault the user can fix (a locked file, a stale row…)
            log.info("user error reached the event loop: %s", exc)
            _on_gui_thread(lambda: QMessageBox.warning(QApplication.activeWindow(), "Chưa thực hiện được",
                                                       exc.message))
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", details)
        report = crash_report_text(details)
        saved_to = write_crash_report(report)  # first: the program may not live to show the dialog
        _on_gui_thread(lambda: _show_crash(details, report, saved_to))

    sys.excepthook = handle


def _on_gui_thread(show) -> None:
    """Dialogs only on the GUI thread: from a worker thread (an error in a slot run there),
    queue ``show`` to it."""
    app = QApplication.instance()
    if app is None:
        return
    if threading.current_thread() is threading.main_thread():
        show()
    else:
        QTimer.singleShot(0, app, show)


def _show_crash(details: str, report: str, saved_to) -> None:
    from antq_desktop.ui.crash_dialog import CrashDialog

    CrashDialog(details, report=report, saved_to=saved_to).exec()
    if saved_to is not None:  # seen now: the next start need not show it again
        from antq_desktop.logging_setup import mark_seen

        mark_seen(saved_to)
