"""Helpers for driving the real widgets."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from antq_desktop.ui.app import create_application, load_fonts


@pytest.fixture(scope="session")
def qapp_cls():
    return type(create_application([]))


@pytest.fixture(autouse=True)
def bundled_fonts(qapp):
    load_fonts()


@pytest.fixture
def demo_window(qtbot, full_demo_db_path):
    """The main window on the full demo ward, shown."""
    from antq_desktop.db.engine import open_database
    from antq_desktop.ui.main_window import MainWindow

    db = open_database(full_demo_db_path)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.close()
    db.close()


def type_text(widget: QWidget, text: str) -> None:
    """Type text one key event at a time: qtbot.keyClicks aborts on non-ASCII characters."""
    for character in text:
        QTest.sendKeyEvent(QTest.KeyAction.Click, widget, Qt.Key.Key_unknown, character,
                           Qt.KeyboardModifier.NoModifier)


def when_modal_opens(qtbot, handle, give_up_after: int = 500) -> None:
    """Run ``handle(dialog)`` once the next modal dialog is shown (exec() blocks the test);
    stop looking after ``give_up_after`` tries of 20 ms, so nothing outlives the test."""

    def check(tries_left=give_up_after):
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            if tries_left:
                QTimer.singleShot(20, lambda: check(tries_left - 1))
            return
        handle(dialog)

    QTimer.singleShot(0, check)


def answer_yes(box) -> None:
    """Click "Yes" in a QMessageBox.question."""
    from PySide6.QtWidgets import QMessageBox

    box.button(QMessageBox.StandardButton.Yes).click()
