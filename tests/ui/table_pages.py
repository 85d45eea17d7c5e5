"""Helpers shared by the tests of the pages edited in place (ui/editable_table.py)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QMessageBox

from antq_desktop.services import profile as profile_service

YEAR = 2026


def ward_id(db) -> int:
    with db.transaction() as session:
        return profile_service.require_profile(session).id


def open_page(qtbot, page_class, db):
    """The page of the demo ward, shown, on ``YEAR``."""
    page = page_class(db, ward_id(db))
    qtbot.addWidget(page)
    page.year.setValue(YEAR)
    page.show()
    return page


def row_of(page, **wanted) -> int:
    """The number of the shown row whose fields have the ``wanted`` values (``name="Tổ 3"``)."""
    return next(n for n, row in enumerate(page.model.rows)
                if all(getattr(row, field) == value for field, value in wanted.items()))


def combo(page, row: int) -> QComboBox:
    """The combo box shown in the page's choice column on ``row``."""
    box = page.table.indexWidget(page.model.index(row, page._choice_column))
    assert isinstance(box, QComboBox)
    return box


def pick(page, row: int, value: str) -> None:
    """What a click on a choice of the combo does."""
    box = combo(page, row)
    box.setCurrentIndex(box.findData(value))
    box.activated.emit(box.currentIndex())


def read_and_close(messages: list[str]):
    """A handler for when_modal_opens: note a message box's text, then press OK."""

    def read(box: QMessageBox) -> None:
        messages.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    return read
