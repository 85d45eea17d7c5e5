"""The "Tổng hợp các xã, phường" page: the wards this database holds (gathered by importing their
data packages) and a year's figures of each, with the total in bold (services/province.py: the
counts summed, the percentages computed again from the sums). The table goes to Excel; the
buttons import a package and export the chosen ward's.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import province
from antq_desktop.services.province import ProvinceStats, WardEntry
from antq_desktop.ui import package_dialog
from antq_desktop.ui.background import run_with_progress
from antq_desktop.ui.forms import add_buttons, year_box
from antq_desktop.ui.messages import attempt

# Above this many wards the figures are gathered off the GUI thread, behind a progress bar
# (each ward's year takes a few tenths of a second).
IN_BACKGROUND_FROM = 4
WARD_HEADERS = ("Xã, phường", "Tỉnh, thành phố", "Số đơn vị", "Các năm có số liệu", "Nhập gói dữ liệu lần cuối")
TOTAL_BRUSH = QBrush(QColor("#e8eef5"))


def _cell(value, header: str) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    if header in province.PERCENT_HEADERS:
        return vntext.format_percent(value)
    return vntext.format_number(value)


def _item(text: str, number: bool) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if number:
        item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return item


def _table(parent: QWidget) -> QTableWidget:
    table = QTableWidget(parent)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    return table


class ProvincePage(QWidget):
    status_message = Signal(str)
    package_imported = Signal(int)  # the ward a package added or replaced: the window refreshes its pages

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._home_id = ward_id
        self.figures: ProvinceStats | None = None
        self.entries: list[WardEntry] = []
        title = QLabel(tr("Tổng hợp các xã, phường"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        self.year = year_box()
        self.year.valueChanged.connect(lambda _year: self.refresh_figures())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addWidget(self.summary, 1)
        self.buttons = add_buttons(bar, (
            ("import", tr("Nhập gói dữ liệu…"), self.import_package),
            ("export", tr("Xuất gói dữ liệu…"), self.export_package),
            ("excel", tr("Xuất Excel…"), self.export_to_excel),
        ))

        self.wards_table = _table(self)
        self.wards_table.setColumnCount(len(WARD_HEADERS))
        self.wards_table.setHorizontalHeaderLabels([tr(header) for header in WARD_HEADERS])
        for column, width in enumerate((300, 170, 90, 160)):
            self.wards_table.setColumnWidth(column, width)
        self.wards_table.horizontalHeader().setStretchLastSection(True)
        self.table = _table(self)
        header = self.table.horizontalHeader()
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        header.setMinimumHeight(self.fontMetrics().height() * 3 + 12)  # headers of two or three lines
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)

        wards_box = QWidget()
        wards_layout = QVBoxLayout(wards_box)
        wards_layout.setContentsMargins(0, 0, 0, 0)
        wards_layout.addWidget(QLabel(tr("Các xã, phường trong tệp dữ liệu (chọn một dòng để xuất gói của xã, "
                                         "phường đó):")))
        wards_layout.addWidget(self.wards_table)
        figures_box = QWidget()
        figures_layout = QVBoxLayout(figures_box)
        figures_layout.setContentsMargins(0, 0, 0, 0)
        self.figures_label = QLabel()
        figures_layout.addWidget(self.figures_label)
        figures_layout.addWidget(self.table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(wards_box)
        splitter.addWidget(figures_box)
        splitter.setStretchFactor(1, 3)
        note = QLabel(tr("Dòng tổng cộng cộng số liệu của các xã, phường; các tỷ lệ được tính lại từ các số đã cộng "
                         "(không lấy trung bình các tỷ lệ)."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(note)
        self.refresh()

    def save_state(self) -> None:
        """Nothing to keep: the page opens on this year, its columns sized to the figures."""

    # ---- data ------------------------------------------------------------------------------------

    def refresh(self) -> None:
        """The wards, then the year's figures (what an import changed, too)."""
        with self._db.reading() as session:
            self.entries = province.wards(session)
        self._show_wards()
        self.refresh_figures()

    def refresh_figures(self) -> None:
        year = self.year.value()
        db, today = self._db, date.today()

        def job(progress):
            with db.reading() as session:
                return province.province_stats(session, year, today, progress)

        try:
            if len(self.entries) >= IN_BACKGROUND_FROM:
                figures, _cancelled = run_with_progress(self, tr("Đang tổng hợp số liệu các xã, phường…"), job)
            else:
                figures = job(None)
        except UserError as error:
            self.status_message.emit(error.message)
            return
        self.figures = figures
        self._show_figures(figures)

    def _show_wards(self) -> None:
        table = self.wards_table
        table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            name = entry.title + (tr(" (xã, phường của tệp)") if entry.home else "")
            imported = "" if entry.last_import is None else f"{entry.last_import:%d/%m/%Y %H:%M}"
            values = (name, entry.province, vntext.format_number(entry.units), entry.years_text, imported or tr("–"))
            for column, text in enumerate(values):
                table.setItem(row, column, _item(text, column == 2))
        table.resizeRowsToContents()
        if self.entries and not table.selectedItems():
            table.selectRow(0)
        rows = table.rowCount()
        table.setMaximumHeight(table.horizontalHeader().height() + sum(table.rowHeight(r) for r in range(min(rows, 6)))
                               + 2 * table.frameWidth() + 4)

    def _show_figures(self, figures: ProvinceStats) -> None:
        headers, rows = figures.table()
        table = self.table
        table.clear()
        table.setColumnCount(len(headers))
        table.setRowCount(len(rows))
        table.setHorizontalHeaderLabels([tr(header) for header in headers])
        bold = QFont(table.font())
        bold.setBold(True)
        for row, values in enumerate(rows):
            total = row == len(rows) - 1
            for column, value in enumerate(values):
                item = _item(tr(value) if total and column == 0 else _cell(value, headers[column]), column > 0)
                if total:
                    item.setFont(bold)
                    item.setBackground(TOTAL_BRUSH)
                table.setItem(row, column, item)
        table.setColumnWidth(0, 210)
        for column in range(1, len(headers)):
            table.setColumnWidth(column, 92)
        count = len(figures.wards)
        self.figures_label.setText(tr("Số liệu năm {year}").format(year=figures.year))
        self.summary.setText(tr("{n} xã, phường trong tệp dữ liệu.").format(n=count))
        self.status_message.emit(tr("Năm {year}: tổng hợp {n} xã, phường; {units} đơn vị, {recognized} đơn vị được "
                                    "công nhận “An toàn về ANTT”.").format(
            year=figures.year, n=count, units=vntext.format_number(figures.total.units),
            recognized=vntext.format_number(figures.total.recognized)))

    def selected_ward(self) -> WardEntry | None:
        rows = self.wards_table.selectionModel().selectedRows()
        return self.entries[rows[0].row()] if rows else (self.entries[0] if self.entries else None)

    # ---- packages and Excel ------------------------------------------------------------------------

    def import_package(self) -> None:
        result = package_dialog.import_package(self, self._db)
        if result is not None:
            self.refresh()
            self.package_imported.emit(result.ward_id)

    def export_package(self) -> None:
        ward = self.selected_ward()
        if ward is not None:
            package_dialog.export_package(self, self._db, ward.id)

    def export_to_excel(self, path: str | None = None) -> None:
        figures = self.figures
        if figures is None:
            return
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, tr("Xuất bảng tổng hợp ra Excel"),
                                                        f"tong-hop-xa-phuong-{figures.year}.xlsx",
                                                        tr("Tệp Excel (*.xlsx)"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        if attempt(self, lambda: province.export_excel(figures, path) or True):
            self.status_message.emit(tr("Đã xuất bảng tổng hợp năm {year} ra tệp {name}.").format(
                year=figures.year, name=Path(path).name))
