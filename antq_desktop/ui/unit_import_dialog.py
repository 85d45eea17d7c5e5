"""Importing units from any Excel list, in three steps: the file (sheet and header row), which
column holds what, and a preview of every row before anything is written.

The work is services/unit_import.py's; this dialog only shows what it returns and sends what
the officer chose. A mapping used for an import is remembered for lists of the same shape.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.units import UnitKind
from antq_desktop.domain.vntext import format_number
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import excel
from antq_desktop.services import unit_import as imports
from antq_desktop.services.tracking import current_actor
from antq_desktop.services.unit_import import KIND, ListMapping, RowStatus
from antq_desktop.ui.background import run_with_progress
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import error_label, open_file_row, show_error
from antq_desktop.ui.messages import attempt
from antq_desktop.ui.row_table import Column, RowTableModel

BACKGROUND_READ_BYTES = 256 * 1024  # a larger file is read behind a progress dialog
RAW_ROWS_SHOWN = 40  # the first rows of a sheet, to see where the header is
KIND_VALUES_SHOWN = 30
NONE = "(không có)"
STATUS_COLOURS = {
    RowStatus.NEW: "#d9f2dd",
    RowStatus.EXISTING: "#dde8f5",
    RowStatus.REPEATED: "#fff1c2",
    RowStatus.FAULT: "#f9d6d5",
    RowStatus.SKIPPED: "#eeeeee",
}
STEPS = ("Bước 1/3: chọn tệp, trang và dòng tiêu đề", "Bước 2/3: ghép cột của danh sách với thông tin đơn vị",
         "Bước 3/3: xem trước rồi nhập", "Đã nhập xong")


class PreviewModel(RowTableModel):
    """The preview's rows, the status cell coloured by what will happen to the row."""

    def __init__(self, parent=None):
        super().__init__((
            Column(tr("Dòng"), lambda row: str(row.row), lambda row: row.row),
            Column(tr("Tình trạng"), lambda row: tr(row.status.label), lambda row: list(RowStatus).index(row.status)),
            Column(tr("Loại"), lambda row: tr(row.kind.label) if row.kind else ""),
            Column(tr("Tên đơn vị"), lambda row: row.name),
            Column(tr("Ghi chú"), lambda row: row.note),
        ), parent)

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and index.column() == 1 and role == Qt.ItemDataRole.BackgroundRole:
            return QBrush(QColor(STATUS_COLOURS[self.rows[index.row()].status]))
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole and \
                self.rows[index.row()].status is RowStatus.SKIPPED:
            return QBrush(QColor("#666666"))
        return super().data(index, role)


class UnitImportDialog(QDialog):
    def __init__(self, db: Database, ward_id: int, parent=None, path: str | Path | None = None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.listing: imports.ListFile | None = None
        self.table: imports.ListTable | None = None
        self.preview: imports.Preview | None = None
        self.import_result: imports.ImportResult | None = None
        self.mapping: ListMapping | None = None  # the mapping the preview was made with
        self._proposed_kind_values: dict[str, UnitKind] = {}
        self._mapped_shape: tuple | None = None  # the table the mapping step was filled for
        self.setWindowTitle(tr("Nhập danh sách đơn vị từ Excel"))
        self._build()
        self._show_step(0)
        self.resize(1080, 700)
        if path is not None:
            self.load(path)

    # ---- layout ------------------------------------------------------------------------------

    def _build(self) -> None:
        self.step_title = QLabel()
        font = self.step_title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.step_title.setFont(font)
        self.pages = QStackedWidget()
        for page in (self._file_page(), self._mapping_page(), self._preview_page(), self._done_page()):
            self.pages.addWidget(page)
        self.error = error_label()
        self.back_button = QPushButton(tr("< Quay lại"))
        self.next_button = QPushButton(tr("Tiếp >"))
        self.import_button = QPushButton(tr("Nhập"))
        self.close_button = QPushButton(tr("Huỷ"))
        self.back_button.clicked.connect(self.go_back)
        self.next_button.clicked.connect(self.go_next)
        self.import_button.clicked.connect(self.run_import)
        self.close_button.clicked.connect(self._close)
        self.next_button.setDefault(True)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.back_button, self.next_button, self.import_button, self.close_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.step_title)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def _file_page(self) -> QWidget:
        self.path, chosen_row, _choose = open_file_row("Tệp:", lambda: self.choose_file())
        self.reread_button = QPushButton(tr("Đọc lại tệp"))
        self.reread_button.setToolTip(tr("Đọc lại sau khi đã sửa tệp trong Excel"))
        self.reread_button.clicked.connect(lambda: self.load(self.path.text()))
        self.sheet = QComboBox()
        self.sheet.setMinimumWidth(220)
        self.header_row = QSpinBox()
        self.header_row.setRange(1, 1_048_576)
        self.raw = QTableWidget()
        self.raw.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.raw.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.raw.setWordWrap(False)
        self.header_note = QLabel()
        self.header_note.setWordWrap(True)
        for widget in (self.sheet, self.header_row, self.reread_button):
            widget.setEnabled(False)  # until a file is read
        self.sheet.currentIndexChanged.connect(self._sheet_chosen)
        self.header_row.valueChanged.connect(self._header_row_chosen)

        intro = QLabel(tr("Chọn tệp Excel (.xlsx) có danh sách đơn vị: mỗi đơn vị một dòng, tên đơn vị ở một cột. "
                          "Chương trình tự tìm dòng tiêu đề của bảng; nếu tìm sai, hãy chọn lại số dòng tiêu đề."))
        intro.setWordWrap(True)
        chosen_row.addWidget(self.reread_button)
        sheet_row = QHBoxLayout()
        sheet_row.addWidget(QLabel(tr("Trang:")))
        sheet_row.addWidget(self.sheet)
        sheet_row.addSpacing(20)
        sheet_row.addWidget(QLabel(tr("Dòng tiêu đề:")))
        sheet_row.addWidget(self.header_row)
        sheet_row.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(intro)
        layout.addLayout(chosen_row)
        layout.addLayout(sheet_row)
        layout.addWidget(self.header_note)
        layout.addWidget(self.raw, 1)
        return page

    def _mapping_page(self) -> QWidget:
        self.mapping_note = QLabel()
        self.mapping_note.setWordWrap(True)
        self.fixed_kind = QRadioButton(tr("Cả danh sách là:"))
        self.column_kind = QRadioButton(tr("Loại ghi ở cột:"))
        kind_choice = QButtonGroup(self)
        kind_choice.addButton(self.fixed_kind)
        kind_choice.addButton(self.column_kind)
        self.kind = enum_combo(UnitKind)
        self.kind_column = QComboBox()
        self.kind_column.setMinimumWidth(260)
        self.kind_hint = QLabel(tr("Dòng tiêu đề nhóm như \u201cII. CƠ QUAN\u201d đổi loại cho các dòng dưới nó."))
        self.kind_hint.setStyleSheet("color: #555555;")
        self.kind_values = QTableWidget(0, 3)
        self.kind_values.setHorizontalHeaderLabels([tr("Giá trị trong tệp"), tr("Số dòng"), tr("Là loại đơn vị")])
        self.kind_values.verticalHeader().hide()
        self.kind_values.setMaximumHeight(170)
        self.kind_values.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)
        self.kind_values.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.kind_values.setColumnWidth(1, 80)
        self.kind_values.setColumnWidth(2, 200)
        self.fixed_kind.toggled.connect(self._kind_source_changed)
        self.kind_column.currentIndexChanged.connect(self._fill_kind_values)

        self.fields = QTableWidget(len(imports.FIELDS), 3)
        self.fields.setHorizontalHeaderLabels([tr("Thông tin đơn vị"), tr("Lấy từ cột"), tr("Ví dụ trong tệp")])
        self.fields.verticalHeader().hide()
        self.fields.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.fields.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.fields.setColumnWidth(1, self.fontMetrics().horizontalAdvance("M") * 26)
        self.fields.horizontalHeader().setStretchLastSection(True)
        self.field_columns: dict[str, QComboBox] = {}
        for row, spec in enumerate(imports.FIELDS):
            label = tr(spec.label) + (" (*)" if spec.name == "name" else "")
            self.fields.setItem(row, 0, _read_only_item(label))
            box = QComboBox()
            box.currentIndexChanged.connect(lambda _index, row=row: self._show_samples(row))
            self.fields.setCellWidget(row, 1, box)
            self.fields.setItem(row, 2, _read_only_item(""))
            self.field_columns[spec.name] = box
        self.fields.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 14)

        kind_grid = QGridLayout()
        kind_grid.addWidget(QLabel(tr("Loại đơn vị:")), 0, 0)
        kind_grid.addWidget(self.fixed_kind, 0, 1)
        kind_grid.addWidget(self.kind, 0, 2)
        kind_grid.addWidget(self.kind_hint, 0, 3)
        kind_grid.addWidget(self.column_kind, 1, 1)
        kind_grid.addWidget(self.kind_column, 1, 2)
        kind_grid.setColumnStretch(3, 1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.mapping_note)
        layout.addLayout(kind_grid)
        layout.addWidget(self.kind_values)
        layout.addWidget(self.fields, 1)
        return page

    def _preview_page(self) -> QWidget:
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        self.skip_existing = QRadioButton(tr("Bỏ qua đơn vị đã có (giữ nguyên như trong chương trình)"))
        self.update_existing = QRadioButton(tr("Cập nhật đơn vị đã có theo danh sách (ô trống trong danh sách "
                                               "không xoá gì; tên đơn vị giữ nguyên)"))
        existing_choice = QButtonGroup(self)
        existing_choice.addButton(self.skip_existing)
        existing_choice.addButton(self.update_existing)
        self.skip_existing.setChecked(True)
        self.skip_faulty = QCheckBox()
        self.fault_hint = QLabel()
        self.fault_hint.setWordWrap(True)
        self.fault_hint.setStyleSheet("color: #b00020;")
        self.show_status = QComboBox()
        self.show_status.addItem(tr("Tất cả các dòng"), None)
        for status in RowStatus:
            self.show_status.addItem(tr(status.label), status.value)
        self.preview_model = PreviewModel(self)
        self.preview_table = QTableView()
        self.preview_table.setModel(self.preview_model)
        self.preview_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.preview_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.preview_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.preview_table.setSortingEnabled(True)
        self.preview_table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.preview_table.verticalHeader().hide()
        self.preview_table.horizontalHeader().setStretchLastSection(True)
        self.preview_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        metrics = self.fontMetrics()
        widest = [[tr("Dòng"), "00000"], [tr(status.label) for status in RowStatus],
                  [tr(kind.label) for kind in UnitKind]]
        for column, texts in enumerate(widest):
            self.preview_table.setColumnWidth(column, max(metrics.horizontalAdvance(text) for text in texts) + 28)
        self.preview_table.setColumnWidth(3, metrics.horizontalAdvance("M") * 24)
        self.row_detail = QLabel()
        self.row_detail.setWordWrap(True)
        self.row_detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.row_detail.setMinimumHeight(self.fontMetrics().height() * 2 + 8)
        for widget in (self.skip_existing, self.update_existing, self.skip_faulty):
            widget.toggled.connect(self._update_import_button)
        self.show_status.currentIndexChanged.connect(self._filter_preview)
        self.preview_table.selectionModel().currentRowChanged.connect(self._show_row_detail)

        filter_row = QHBoxLayout()
        filter_row.addWidget(self.counts, 1)
        filter_row.addWidget(QLabel(tr("Hiện:")))
        filter_row.addWidget(self.show_status)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(filter_row)
        layout.addWidget(self.skip_existing)
        layout.addWidget(self.update_existing)
        layout.addWidget(self.fault_hint)
        layout.addWidget(self.skip_faulty)
        layout.addWidget(self.preview_table, 1)
        layout.addWidget(self.row_detail)
        return page

    def _done_page(self) -> QWidget:
        self.done_text = QLabel()
        self.done_text.setWordWrap(True)
        font = self.done_text.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.done_text.setFont(font)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.done_text)
        layout.addStretch(1)
        return page

    # ---- moving between the steps ------------------------------------------------------------

    def _show_step(self, step: int) -> None:
        self.pages.setCurrentIndex(step)
        self.step_title.setText(tr(STEPS[step]))
        show_error(self.error, "")
        self.back_button.setVisible(step in (1, 2))
        self.next_button.setVisible(step in (0, 1))
        self.next_button.setEnabled(step != 0 or self.table is not None)
        self.import_button.setVisible(step == 2)
        self.close_button.setText(tr("Đóng") if step == 3 else tr("Huỷ"))
        if step == 2:
            self._update_import_button()

    def go_back(self) -> None:
        self._show_step(max(0, self.pages.currentIndex() - 1))

    def go_next(self) -> None:
        step = self.pages.currentIndex()
        if step == 0 and self.table is not None:
            self._fill_mapping()
            self._show_step(1)
        elif step == 1:
            self.make_preview()

    def _close(self) -> None:
        if self.import_result is not None:
            self.accept()
        else:
            self.reject()

    # ---- step 1: the file -----------------------------------------------------------------------

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("Chọn danh sách đơn vị"), "",
                                                    tr("Tệp Excel (*.xlsx *.xlsm);;Mọi tệp (*)"))
        if path:
            self.load(path)

    def load(self, path: str | Path) -> None:
        """Read the whole file (behind a progress dialog when it is large) and show its first sheet."""
        path = Path(path)
        self.path.setText(str(path))

        def read():
            if path.is_file() and path.stat().st_size > BACKGROUND_READ_BYTES:
                listing, _cancelled = run_with_progress(self, tr("Đang đọc danh sách…"),
                                                        lambda progress: imports.read_list(path, progress))
                return listing
            return imports.read_list(path)

        listing = attempt(self, read)
        self.listing = listing
        self.sheet.blockSignals(True)
        self.sheet.clear()
        for sheet in listing.sheets if listing is not None else ():
            self.sheet.addItem(sheet.name)
        self.sheet.blockSignals(False)
        for widget in (self.sheet, self.header_row, self.reread_button):
            widget.setEnabled(listing is not None or widget is self.reread_button)
        if listing is None:  # refused, or the reading was cancelled: nothing of an earlier file stays
            self._set_table(None)
            return
        default = attempt(self, lambda: imports.default_table(listing))
        if default is not None:
            self.sheet.setCurrentText(default.sheet.name)
            self._set_table(default)
        else:
            self._sheet_chosen()

    def _sheet_chosen(self) -> None:
        if self.listing is None or self.sheet.currentIndex() < 0:
            return
        sheet = self.listing.sheet(self.sheet.currentText())
        self._set_table(attempt(self, lambda: imports.table_of(sheet, file_name=self.listing.file_name)),
                        sheet)

    def _header_row_chosen(self) -> None:
        if self.table is not None and self.header_row.value() != self.table.header_row:
            sheet = self.table.sheet
            self._set_table(attempt(self, lambda: imports.table_of(sheet, self.header_row.value(),
                                                                   self.listing.file_name)), sheet)

    def _set_table(self, table: imports.ListTable | None, sheet: imports.SheetData | None = None) -> None:
        self.table = table
        sheet = table.sheet if table is not None else sheet
        if table is not None:
            self.header_row.blockSignals(True)
            self.header_row.setMaximum(sheet.rows[-1][0])  # the header lies above the sheet's last row
            self.header_row.setValue(table.header_row)
            self.header_row.blockSignals(False)
        self._show_raw(sheet)
        if table is None:
            self.header_note.setText("")
        else:
            rows = sum(1 for _ in sheet.rows_from(table.data_start))
            sub = tr(" (tiêu đề hai dòng: dòng {a} và {b})").format(a=table.header_row, b=table.header_row + 1) \
                if table.sub_header else ""
            self.header_note.setText(tr("Dòng tiêu đề: {row}{sub}. Dưới đó có {count} dòng có dữ liệu.").format(
                row=table.header_row, sub=sub, count=format_number(rows)))
        self.next_button.setEnabled(table is not None)

    def _show_raw(self, sheet: imports.SheetData | None) -> None:
        """The first rows of the sheet as they are, the header row in bold on blue."""
        shown = [(number, values) for number, values in (sheet.rows if sheet else ())][:RAW_ROWS_SHOWN]
        width = min(max((len(values) for _, values in shown), default=0), 40)
        self.raw.clear()
        self.raw.setRowCount(len(shown))
        self.raw.setColumnCount(width)
        self.raw.setHorizontalHeaderLabels([excel.column_letter(column) for column in range(1, width + 1)])
        self.raw.setVerticalHeaderLabels([str(number) for number, _ in shown])
        header_rows = set()
        if self.table is not None:
            header_rows = {self.table.header_row} | ({self.table.header_row + 1} if self.table.sub_header else set())
        bold = QFont(self.raw.font())
        bold.setBold(True)
        for row, (number, values) in enumerate(shown):
            for column, value in enumerate(values[:width]):
                item = QTableWidgetItem(imports.excel.text_value(value) if value is not None else "")
                item.setToolTip(item.text())
                if number in header_rows:
                    item.setFont(bold)
                    item.setBackground(QBrush(QColor("#d6e4f5")))
                self.raw.setItem(row, column, item)
        self.raw.resizeColumnsToContents()
        em = self.raw.fontMetrics().horizontalAdvance("M")
        for column in range(width):  # a title typed in one cell over merged ones must not widen its column
            self.raw.setColumnWidth(column, min(max(self.raw.columnWidth(column), 6 * em), 16 * em))

    # ---- step 2: the mapping -----------------------------------------------------------------------

    def _fill_mapping(self) -> None:
        """The mapping step for the chosen table: remembered or guessed, kept while the table is the same."""
        shape = (self.table.sheet.name, self.table.header_row, self.table.signature)
        if shape == self._mapped_shape:
            return
        self._mapped_shape = shape
        proposal = imports.propose_mapping(self.table)
        captions = [NONE] + [column.caption for column in self.table.columns]
        for box in (*self.field_columns.values(), self.kind_column):
            box.blockSignals(True)
            box.clear()
            box.addItems(captions)
            box.blockSignals(False)
        mapping = proposal.mapping
        self._proposed_kind_values = mapping.kind_values
        for name, box in self.field_columns.items():
            box.setCurrentIndex(mapping.column_of(name) or 0)
        for row in range(len(imports.FIELDS)):
            self._show_samples(row)
        self.kind_column.setCurrentIndex(mapping.column_of(KIND) or 0)
        choose(self.kind, mapping.kind or UnitKind.KDC)
        (self.column_kind if mapping.column_of(KIND) else self.fixed_kind).setChecked(True)
        self._kind_source_changed()
        self.mapping_note.setText(tr(
            "Đã dùng lại cách ghép cột của lần nhập trước cho loại danh sách này. Hãy kiểm tra lại rồi bấm Tiếp."
            if proposal.remembered else
            "Chương trình đã đoán cột theo tiêu đề của danh sách. Hãy kiểm tra từng dòng; chỗ nào sai thì chọn lại "
            "cột đúng, thông tin không có trong danh sách thì chọn \u201c(không có)\u201d."))

    def _show_samples(self, row: int) -> None:
        box = self.fields.cellWidget(row, 1)
        column = box.currentIndex() if box is not None else 0
        samples = self.table.column(column).samples if self.table is not None and column > 0 else ()
        self.fields.item(row, 2).setText(" · ".join(samples))

    def _kind_source_changed(self) -> None:
        from_column = self.column_kind.isChecked()
        self.kind.setEnabled(not from_column)
        self.kind_hint.setVisible(not from_column)
        self.kind_column.setEnabled(from_column)
        self._fill_kind_values()

    def _fill_kind_values(self) -> None:
        """The kind column's values, each with the kind it is read as (changeable)."""
        values = []
        if self.table is not None and self.column_kind.isChecked() and self.kind_column.currentIndex() > 0:
            mapping = ListMapping({KIND: self.kind_column.currentIndex()}, None, self._proposed_kind_values)
            values = imports.kind_values(self.table, mapping)
        shown = values[:KIND_VALUES_SHOWN]
        self.kind_values.setRowCount(len(shown))
        for row, value in enumerate(shown):
            self.kind_values.setItem(row, 0, _read_only_item(value.text, value.key))
            self.kind_values.setItem(row, 1, _read_only_item(format_number(value.count)))
            box = enum_combo(UnitKind, tr("— chưa rõ —"))
            choose(box, value.kind)
            self.kind_values.setCellWidget(row, 2, box)
        self.kind_values.setVisible(bool(shown))

    def current_mapping(self) -> ListMapping:
        columns = {name: box.currentIndex() for name, box in self.field_columns.items() if box.currentIndex() > 0}
        if self.column_kind.isChecked():
            if self.kind_column.currentIndex() > 0:
                columns[KIND] = self.kind_column.currentIndex()
            kind_values = {}
            for row in range(self.kind_values.rowCount()):
                kind = chosen(self.kind_values.cellWidget(row, 2), UnitKind)
                if kind is not None:
                    kind_values[self.kind_values.item(row, 0).data(Qt.ItemDataRole.UserRole)] = kind
            return ListMapping(columns, None, kind_values)
        return ListMapping(columns, chosen(self.kind, UnitKind))

    # ---- step 3: the preview ------------------------------------------------------------------------

    def make_preview(self) -> None:
        mapping = self.current_mapping()

        def preview() -> imports.Preview:
            with self._db.reading() as session:
                return imports.preview_import(session, self._ward_id, self.table, mapping)

        try:
            self.preview = preview()
        except UserError as error:
            show_error(self.error, error.message)
            return
        self.mapping = mapping
        self._filter_preview()
        counts = [(status, self.preview.count(status)) for status in RowStatus]
        self.counts.setText("  ·  ".join(f"{tr(status.label)}: <b>{format_number(count)}</b>"
                                         for status, count in counts if count or status is RowStatus.NEW))
        existing = self.preview.count(RowStatus.EXISTING)
        updatable = len(self.preview.updatable)
        self.update_existing.setEnabled(updatable > 0)
        self.skip_existing.setText(tr("Bỏ qua {n} đơn vị đã có (giữ nguyên như trong chương trình)").format(
            n=format_number(existing)))
        self.update_existing.setText(tr("Cập nhật {n} đơn vị đã có mà danh sách ghi khác (ô trống trong danh sách "
                                        "không xoá gì; tên đơn vị giữ nguyên)").format(n=format_number(updatable)))
        for widget in (self.skip_existing, self.update_existing):
            widget.setVisible(existing > 0)
        if not updatable:
            self.skip_existing.setChecked(True)
        faulty = self.preview.count(RowStatus.FAULT)
        self.skip_faulty.setChecked(False)
        self.skip_faulty.setVisible(faulty > 0)
        self.skip_faulty.setText(tr("Bỏ qua {n} dòng lỗi, chỉ nhập các dòng không lỗi").format(
            n=format_number(faulty)))
        self.fault_hint.setVisible(faulty > 0)
        self.fault_hint.setText(tr(
            "Có {n} dòng lỗi (tô đỏ; chọn một dòng để xem lỗi ở dưới bảng). Hãy sửa tệp trong Excel rồi quay lại "
            "bước 1, bấm \u201cĐọc lại tệp\u201d; hoặc đánh dấu bỏ qua các dòng lỗi.").format(n=format_number(faulty)))
        self._show_step(2)

    def _filter_preview(self) -> None:
        if self.preview is None:
            return
        wanted = self.show_status.currentData()
        rows = [row for row in self.preview.rows if wanted is None or row.status.value == wanted]
        self.preview_model.set_rows(rows)
        header = self.preview_table.horizontalHeader()
        self.preview_model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.row_detail.setText("")

    def _show_row_detail(self, current: QModelIndex, _previous=None) -> None:
        if not current.isValid():
            self.row_detail.setText("")
            return
        row = self.preview_model.rows[current.row()]
        detail = row.note
        if row.status is RowStatus.NEW:
            detail = tr("sẽ thêm {kind} “{name}”. {facts}").format(
                kind=tr(row.kind.label).lower(), name=row.name, facts=imports.unit_facts(row.unit))
        self.row_detail.setText(tr("Dòng {row}: {detail}").format(row=row.row, detail=detail))

    def _update_import_button(self) -> None:
        if self.preview is None:
            return
        added = len(self.preview.new_units)
        updated = len(self.preview.updatable) if self.update_existing.isChecked() else 0
        if added and updated:
            text = tr("Nhập {n} đơn vị, cập nhật {m}").format(n=format_number(added), m=format_number(updated))
        elif updated:
            text = tr("Cập nhật {m} đơn vị").format(m=format_number(updated))
        else:
            text = tr("Nhập {n} đơn vị").format(n=format_number(added))
        self.import_button.setText(text)
        blocked = self.preview.count(RowStatus.FAULT) and not self.skip_faulty.isChecked()
        self.import_button.setEnabled(bool(added or updated) and not blocked)

    def run_import(self) -> None:
        preview, update, skip = self.preview, self.update_existing.isChecked(), self.skip_faulty.isChecked()

        def write() -> imports.ImportResult:
            with self._db.transaction() as session:
                return imports.apply_import(session, self._ward_id, preview, current_actor(),
                                            update_existing=update, skip_faulty=skip)

        result = attempt(self, write)
        if result is None:
            return
        self.import_result = result
        imports.remember_mapping(self.table, self.mapping)
        self.done_text.setText(tr("{summary}\n\nDanh sách đơn vị đã được cập nhật. Cách ghép cột vừa dùng được "
                                  "ghi nhớ cho những danh sách cùng mẫu sau này.").format(
            summary=imports.describe(result)))
        self._show_step(3)


def _read_only_item(text: str, data=None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled)
    item.setToolTip(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item
