"""What the pages and dialogs share: a red message line, Save/Cancel, a save that can be refused, the year box."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QSpinBox,
    QToolButton,
)

from antq_desktop.errors import UserError
from antq_desktop.i18n import tr


def date_edit(initial: date | None = None) -> QDateEdit:
    """A date box in the dd/mm/yyyy form officers write, with a calendar to pick from."""
    edit = QDateEdit()
    edit.setDisplayFormat("dd/MM/yyyy")
    edit.setCalendarPopup(True)
    edit.setDate(QDate(initial or date.today()))
    return edit


def year_box() -> QSpinBox:
    """The year a page shows, this year to start with (the years the program accepts: services.antt.check_year)."""
    box = QSpinBox()
    box.setRange(2000, 2100)
    box.setValue(date.today().year)
    return box


def add_buttons(row, entries) -> dict[str, QPushButton]:
    """Push buttons for ``(key, text, slot)`` entries, added to the layout ``row``; the buttons by key."""
    buttons = {}
    for key, text, slot in entries:
        buttons[key] = button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
    return buttons


def menu_button(text: str, entries) -> tuple[QToolButton, dict[str, QAction]]:
    """A button that opens a menu of ``(key, text, slot)`` entries; the actions by key (for tests)."""
    button = QToolButton()
    button.setText(text)
    button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
    menu = QMenu(button)
    actions = {key: menu.addAction(label, slot) for key, label, slot in entries}
    button.setMenu(menu)
    return button, actions


def error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet("color: #b00020; font-weight: bold;")
    label.hide()
    return label


def show_error(label: QLabel, message: str) -> None:
    label.setText(message)
    label.setVisible(bool(message))


def save_buttons(dialog: QDialog, save_text: str = "Lưu") -> QDialogButtonBox:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr(save_text))
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Huỷ"))
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    return buttons


def action_buttons(dialog: QDialog, action_text: str, on_action: Callable) -> tuple[QDialogButtonBox, QPushButton]:
    """"Huỷ" and one action (e.g. "Xuất") that runs ``on_action``; the dialog closes itself when done."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Huỷ"))
    action = buttons.addButton(tr(action_text), QDialogButtonBox.ButtonRole.AcceptRole)
    action.clicked.connect(on_action)
    buttons.rejected.connect(dialog.reject)
    return buttons, action


def file_row(on_choose: Callable, choose_text: str = "Chọn…") -> tuple[QLineEdit, QHBoxLayout, QPushButton]:
    """A file name box with its "Chọn…" button beside it (the button opens the file chooser)."""
    edit = QLineEdit()
    row = QHBoxLayout()
    row.addWidget(edit, 1)
    button = add_buttons(row, (("choose", tr(choose_text), on_choose),))["choose"]
    return edit, row, button


def open_file_row(label: str, on_choose: Callable) -> tuple[QLineEdit, QHBoxLayout, QPushButton]:
    """"label  [the chosen file, read-only]  [Chọn tệp…]": a file to read, picked only with the chooser."""
    edit, row, button = file_row(on_choose, "Chọn tệp…")
    edit.setReadOnly(True)
    edit.setPlaceholderText(tr("Chưa chọn tệp"))
    row.insertWidget(0, QLabel(tr(label)))
    return edit, row, button


def close_buttons(dialog: QDialog) -> QDialogButtonBox:
    """A "Đóng" button that closes ``dialog`` (buttons of the dialog's own can be added to it)."""
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
    buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
    buttons.rejected.connect(dialog.reject)
    return buttons


class SavingDialog(QDialog):
    """Save hands ``self.typed()`` (each subclass defines it) to ``save``; a UserError keeps the
    dialog open, with everything typed, and shows the message in ``self.error``."""

    def __init__(self, save: Callable, parent=None):
        super().__init__(parent)
        self._save = save
        self.error = error_label()

    def accept(self) -> None:
        try:
            self._save(self.typed())
        except UserError as error:
            show_error(self.error, error.message)
            return
        super().accept()
