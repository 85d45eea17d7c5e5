"""Telling the user about a mistake they can fix, the same way everywhere."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtWidgets import QMessageBox, QWidget

from antq_desktop.errors import UserError
from antq_desktop.i18n import tr

T = TypeVar("T")


def attempt(parent: QWidget, action: Callable[[], T]) -> T | None:
    """Run ``action``; a UserError becomes a warning box and None (nothing was written)."""
    try:
        return action()
    except UserError as error:
        QMessageBox.warning(parent, tr("Chưa thực hiện được"), error.message)
        return None


def attempt_write(parent: QWidget, db, work: Callable) -> bool:
    """``work(session)`` in one transaction; a refusal becomes a warning box. True when it was
    written (``attempt`` alone cannot tell a refusal from a service that returns None)."""
    def run() -> bool:
        db.run(work)
        return True

    return attempt(parent, run) is not None


def confirm(parent: QWidget, title: str, question: str) -> bool:
    answer = QMessageBox.question(parent, title, question)
    return answer == QMessageBox.StandardButton.Yes
