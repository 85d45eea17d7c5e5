"""The table every page uses: rows selected whole, sorted by any column, copied as Excel
pastes it, and its column layout remembered between sessions."""

from __future__ import annotations

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from antq_desktop.ui.settings import ui_settings


class RecordTable(QTableView):
    def __init__(self, model: QAbstractItemModel, widths: tuple[int, ...], settings_key: str, parent=None):
        super().__init__(parent)
        self._settings_key = f"{settings_key}/header"
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSortIndicator(0, Qt.SortOrder.AscendingOrder)  # before sorting is on: no reverse flash
        self.setSortingEnabled(True)
        header.setSectionsMovable(True)
        header.setStretchLastSection(True)
        self.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        for column, width in enumerate(widths):
            self.setColumnWidth(column, width)
        state = ui_settings().value(self._settings_key)
        if state is not None:
            header.restoreState(state)

    def save_state(self) -> None:
        ui_settings().setValue(self._settings_key, self.horizontalHeader().saveState())

    def selected_row_numbers(self) -> list[int]:
        return sorted(index.row() for index in self.selectionModel().selectedRows())

    def copy_rows(self) -> None:
        """Selected rows (or every loaded row) with the headers, tab-separated, as Excel pastes it."""
        model = self.model()
        rows = self.selected_row_numbers() or range(model.rowCount())
        columns = range(model.columnCount())

        def line(values) -> str:
            return "\t".join(str(value or "").replace("\t", " ").replace("\n", " ") for value in values)

        lines = [line(model.headerData(c, Qt.Orientation.Horizontal) for c in columns)]
        lines += [line(model.index(r, c).data() for c in columns) for r in rows]
        QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")
