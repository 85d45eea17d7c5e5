"""Pages showing one year's rows in a table the user edits in place, each edit saved at once.

:class:`EditableRowModel` edits the :class:`EditableColumn` of a :class:`RowTableModel`;
:class:`ChoiceDelegate` shows a choice column as combo boxes; :class:`YearTablePage` is the
page around them (the year chooser, the load, the in-place reload after an edit). Used by the
"Lực lượng" and "Phường điển hình" pages.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QStyledItemDelegate,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.ui.forms import year_box
from antq_desktop.ui.messages import attempt
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel


@dataclass(frozen=True)
class EditableColumn(Column):
    """A column the user edits in the table; ``value`` gives the edited value of a row."""

    value: Callable[[Any], Any] | None = None


class EditableRowModel(RowTableModel):
    """Rows edited in place: ``save(row, column, value) -> bool`` stores an edit (False: refused)."""

    def __init__(self, columns: Sequence[Column], save: Callable[[Any, int, Any], bool],
                 key: Callable[[Any], Any], parent=None):
        super().__init__(columns, parent)
        self._save = save
        self._key = key

    def _edited_value(self, index: QModelIndex):
        column = self.columns[index.column()]
        return getattr(column, "value", None)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self._edited_value(index) is not None:
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        value = self._edited_value(index) if index.isValid() else None
        if role == Qt.ItemDataRole.EditRole and value is not None:
            return value(self.rows[index.row()])
        return super().data(index, role)

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        edited = self._edited_value(index) if index.isValid() else None
        if role != Qt.ItemDataRole.EditRole or edited is None:
            return False
        row = self.rows[index.row()]
        if value == edited(row):
            return False
        return self._save(row, index.column(), value)

    def update_rows(self, rows: list) -> bool:
        """Put fresh copies of the shown rows in place, keeping the order, the selection and the
        open editors; False (nothing changed) when the fresh rows are not the same rows."""
        fresh = {self._key(row): row for row in rows}
        if len(fresh) != len(self.rows) or any(self._key(row) not in fresh for row in self.rows):
            return False
        self.rows = [fresh[self._key(row)] for row in self.rows]
        if self.rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self.rows) - 1, len(self.columns) - 1))
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over (label, value) choices that saves as soon as the user picks one."""

    def __init__(self, choices: Sequence[tuple[str, str]], parent=None):
        super().__init__(parent)
        self._choices = tuple(choices)

    def createEditor(self, parent: QWidget, option, index: QModelIndex) -> QComboBox:
        box = QComboBox(parent)
        for label, value in self._choices:
            box.addItem(label, value)
        # activated: only a choice of the user, never the setCurrentIndex of setEditorData
        box.activated.connect(lambda _number, editor=box: self.commitData.emit(editor))
        return box

    def updateEditorGeometry(self, editor: QComboBox, option, index: QModelIndex) -> None:
        """The combo at its own height, centred in a row that wrapped text made taller."""
        rect = option.rect
        height = min(rect.height(), editor.sizeHint().height())
        editor.setGeometry(rect.x(), rect.y() + (rect.height() - height) // 2, rect.width(), height)

    def setEditorData(self, editor: QComboBox, index: QModelIndex) -> None:
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QComboBox, model, index: QModelIndex) -> None:
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class YearTablePage(QWidget):
    """A year's rows (``_load``: rows and a summary of them) with one choice column shown as combos.

    A subclass's ``_build`` makes its table with :meth:`_make_table` and lays it out under
    :meth:`_year_bar`; it gives ``_load``, ``_show_summary`` and ``_save_edit`` (the model's ``save``).
    """

    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.year = year_box()
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self._build()
        self.refresh()

    def _make_table(self, columns: Sequence[Column], key: Callable[[Any], Any], widths: tuple[int, ...],
                    settings_key: str, choice_column: int, choices: Sequence[tuple[str, str]]) -> None:
        self.model = EditableRowModel(columns, self._save_edit, key, self)
        self.table = RecordTable(self.model, widths, settings_key)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setItemDelegateForColumn(choice_column, ChoiceDelegate(choices, self.table))
        self._choice_column = choice_column

    def _year_bar(self, label: str, *widgets: QWidget) -> QHBoxLayout:
        """The year chooser, then ``widgets`` (the first one takes the free width)."""
        bar = QHBoxLayout()
        bar.addWidget(QLabel(label))
        bar.addWidget(self.year)
        for number, widget in enumerate(widgets):
            bar.addWidget(widget, 1 if number == 0 else 0)
        return bar

    def current_year(self) -> int:
        return self.year.value()

    # ---- the subclass's part ---------------------------------------------------------------------
    # Abstract hooks: each page (forces, exemplary, models) defines them. A QWidget cannot take
    # abc.ABCMeta (Shiboken has its own metaclass), so an undefined hook says so when called.

    def _build(self) -> None:
        raise NotImplementedError

    def _load(self) -> tuple[list, Any]:
        raise NotImplementedError

    def _show_summary(self, summary) -> None:
        raise NotImplementedError

    def _refreshed(self, rows: list, summary) -> None:
        """After a full refresh (a new year, a changed list): what the page shows besides the table."""

    def _save_edit(self, row, column: int, value) -> bool:
        raise NotImplementedError

    # ---- loading and saving ----------------------------------------------------------------------

    def refresh(self) -> None:
        rows, summary = self._load()
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        for number in range(self.model.rowCount()):  # every row's combo shown, not only the one clicked
            self.table.openPersistentEditor(self.model.index(number, self._choice_column))
        self._show_summary(summary)
        self._refreshed(rows, summary)

    def _reload_in_place(self) -> None:
        """After an edit: fresh values without closing the combos; a full refresh if the list changed."""
        rows, summary = self._load()
        if not self.model.update_rows(rows):
            self.refresh()
            return
        self._show_summary(summary)


    def _save_in_place(self, save: Callable, saved_message: str) -> bool:
        """Run ``save(session)`` (a refusal is shown in a box), then show the fresh values in place."""
        def work() -> bool:
            self._db.run(save)
            return True

        saved = attempt(self, work) is not None
        self._reload_in_place()
        if saved:
            self.status_message.emit(saved_message)
        return saved

    def save_state(self) -> None:
        self.table.save_state()
