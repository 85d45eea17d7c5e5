"""The units table's model: rows fetched page by page, sorted and filtered in the database.

The register may hold 100,000 units (a province gathering its wards), so the model never loads
them all: it counts the matches, fetches the first page, and fetches more as the view scrolls.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt

from antq_desktop.i18n import tr
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitQuery, UnitRow, UnitSort

PAGE_SIZE = unit_service.PAGE_SIZE

# (sort key in the database or None when the column cannot sort, header, value of a row)
COLUMNS: tuple[tuple[UnitSort | None, str, Callable[[UnitRow], str]], ...] = (
    (UnitSort.NAME, tr("Tên đơn vị"), lambda r: r.name),
    (UnitSort.KIND, tr("Loại"), lambda r: r.kind.label),
    (UnitSort.CATEGORY, tr("Phân loại"), lambda r: r.category),
    (UnitSort.ADDRESS, tr("Địa chỉ"), lambda r: r.address),
    (UnitSort.HEAD, tr("Người đứng đầu"), lambda r: r.head_name),
    (UnitSort.PHONE, tr("Điện thoại"), lambda r: r.head_phone),
    (UnitSort.STATUS, tr("Trạng thái"), lambda r: r.status.label),
    (None, tr("Diện công nhận ANTT"), lambda r: tr("Có") if r.eligible else tr("Không")),
)

FetchPage = Callable[[UnitQuery, int, int], list[UnitRow]]
FirstPage = Callable[[UnitQuery, int], tuple[list[UnitRow], int]]


class UnitTableModel(QAbstractTableModel):
    def __init__(self, first_page: FirstPage, fetch_page: FetchPage, parent=None):
        super().__init__(parent)
        self._first_page = first_page
        self._fetch_page = fetch_page
        self._query = UnitQuery()
        self._rows: list[UnitRow] = []
        self._total = 0

    # ---- what is shown --------------------------------------------------------------------

    @property
    def query(self) -> UnitQuery:
        return self._query

    @property
    def total(self) -> int:
        """How many units match the query (not only the rows fetched so far)."""
        return self._total

    def set_query(self, query: UnitQuery) -> None:
        self._query = query
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        self._rows, self._total = self._first_page(self._query, PAGE_SIZE)
        self.endResetModel()

    def row_at(self, row: int) -> UnitRow:
        return self._rows[row]

    def row_of_unit(self, unit_id: int) -> int | None:
        """The row showing ``unit_id``, fetching further pages until it is found (or none are left)."""
        while True:
            for number, row in enumerate(self._rows):
                if row.id == unit_id:
                    return number
            if not self.canFetchMore(QModelIndex()):
                return None
            self.fetchMore(QModelIndex())

    # ---- Qt's model interface -------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        return COLUMNS[index.column()][2](self._rows[index.row()])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section][1]
        return str(section + 1)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent=QModelIndex()) -> None:
        more = self._fetch_page(self._query, len(self._rows), PAGE_SIZE)
        if not more:
            self._total = len(self._rows)  # someone deleted rows meanwhile
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._rows.extend(more)
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMNS[column][0] or UnitSort.NAME
        self.set_query(replace(self._query, sort=key, descending=order == Qt.SortOrder.DescendingOrder))
