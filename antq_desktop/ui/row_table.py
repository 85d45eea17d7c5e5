"""A small table model over a list of plain rows, sorted in Vietnamese order by any column.

For lists of a few hundred rows (a year's units, a decision's list). The units register, which
may be huge, has its own paged model (ui/unit_table.py).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from antq_desktop.domain import vntext


@dataclass(frozen=True)
class Column:
    header: str
    text: Callable[[Any], str]
    sort_key: Callable[[Any], Any] | None = None  # default: Vietnamese order of the text


class RowTableModel(QAbstractTableModel):
    def __init__(self, columns: Sequence[Column], parent=None):
        super().__init__(parent)
        self.columns = tuple(columns)
        self.rows: list = []

    def set_rows(self, rows: list) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.columns[index.column()].text(self.rows[index.row()])
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return self.columns[section].header if orientation == Qt.Orientation.Horizontal else str(section + 1)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        spec = self.columns[column]
        key = spec.sort_key or (lambda row: vntext.sort_key(spec.text(row)))
        self.layoutAboutToBeChanged.emit()
        before = list(self.rows)
        self.rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
        # Selections and the current cell follow their rows, not their old positions.
        position = {id(row): number for number, row in enumerate(self.rows)}
        old = self.persistentIndexList()
        self.changePersistentIndexList(old, [self.index(position[id(before[i.row()])], i.column()) for i in old])
        self.layoutChanged.emit()
