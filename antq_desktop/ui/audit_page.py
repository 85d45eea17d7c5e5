"""The "Nhật ký thay đổi" page: who changed what, when, and the values before and after.

Read-only for everyone. Filters by period, officer, kind of record and free text; the newest
change first; the selected change's fields old → new below; the filtered list to Excel.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import vntext
from antq_desktop.i18n import tr
from antq_desktop.services import audit
from antq_desktop.services.audit import AuditQuery, AuditRow
from antq_desktop.ui.forms import add_buttons, date_edit
from antq_desktop.ui.messages import attempt
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel
from antq_desktop.ui.settings import ui_settings

LIMIT = 1000  # rows shown at once: the newest; the filters reach the older ones
WIDTHS = (150, 110, 100, 170, 80)
TYPING_PAUSE_MS = 300
OLD, NEW = QColor("#8a1c1c"), QColor("#1b5e20")
SETTINGS_KEY = "audit"
# The columns as an officer names them in the detail pane (the stored name in the tooltip);
# a column not listed shows its stored name.
FIELD_LABELS = {
    "id": "Số bản ghi", "ward_id": "Xã, phường (số)", "unit_id": "Đơn vị (số)", "year": "Năm",
    "kind": "Loại", "category": "Nhóm, ngành nghề", "name": "Tên", "address": "Địa chỉ",
    "head_name": "Người đứng đầu", "head_title": "Chức vụ người đứng đầu", "head_phone": "Điện thoại người đứng đầu",
    "is_armed_forces": "Thuộc lực lượng vũ trang", "is_small_or_micro": "Doanh nghiệp nhỏ, siêu nhỏ",
    "school_level": "Cấp học", "has_party_org": "Có tổ chức Đảng", "households": "Số hộ",
    "staff_count": "Số cán bộ, nhân viên", "learner_count": "Số học sinh, học viên",
    "protection_force": "Lực lượng bảo vệ", "protection_force_size": "Số người bảo vệ",
    "subordinate_units": "Số đơn vị trực thuộc", "managing_authority": "Cơ quan quản lý",
    "notes": "Ghi chú", "note": "Ghi chú", "status": "Trạng thái", "status_date": "Ngày chuyển trạng thái",
    "status_reason": "Lý do", "merged_into_id": "Sáp nhập vào đơn vị (số)", "reason": "Lý do",
    "username": "Tên đăng nhập", "full_name": "Họ và tên", "role": "Vai trò", "active": "Đang sử dụng",
    "password": "Mật khẩu", "failed_attempts": "Số lần nhập sai mật khẩu", "locked_until": "Tạm khoá đến",
    "last_sign_in": "Đăng nhập gần nhất",
    "content": "Nội dung", "lead": "Cơ quan chủ trì", "partners": "Cơ quan phối hợp",
    "due_text": "Thời gian hoàn thành", "due_date": "Ngày nhắc hạn", "done_on": "Ngày hoàn thành",
    "number": "Số", "symbol": "Ký hiệu", "title": "Tiêu đề", "description": "Mô tả", "place": "Địa điểm",
    "registered_on": "Ngày đăng ký", "issued_on": "Ngày ban hành", "decision_date": "Ngày quyết định",
    "signer_name": "Người ký", "signer_title": "Chức vụ người ký", "occurred_on": "Ngày xảy ra",
    "held_on": "Ngày tổ chức", "visited_on": "Ngày kiểm tra", "planned_on": "Ngày dự kiến",
    "person_name": "Họ tên", "person_title": "Chức vụ", "position": "Chức vụ", "phone": "Điện thoại",
    "gender": "Giới tính", "birth_year": "Năm sinh", "joined_on": "Ngày tham gia", "left_on": "Ngày thôi",
    "quantity": "Số lượng", "unit_price": "Đơn giá", "amount": "Thành tiền", "target": "Chỉ tiêu",
    "value": "Giá trị", "level": "Mức xếp loại", "override_reason": "Lý do", "met": "Đạt",
    "passed": "Đạt", "province_name": "Tỉnh, thành phố", "chairman_name": "Chủ tịch UBND",
    "chairman_title": "Chức danh Chủ tịch UBND", "police_chief_name": "Trưởng Công an",
    "police_chief_title": "Chức danh Trưởng Công an", "police_unit_name": "Tên Công an xã, phường",
}
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?")


def moment(value: datetime) -> str:
    return f"{value:%d/%m/%Y %H:%M:%S}"


def value_text(value) -> str:
    """A stored value as an officer reads it: empty, Có/Không, numbers with their dots, dates."""
    if value is None or value == "":
        return tr("(trống)")
    if isinstance(value, bool):
        return tr("Có") if value else tr("Không")
    if isinstance(value, int):
        return vntext.format_number(value) if abs(value) >= 10_000 else str(value)
    if isinstance(value, float):
        return vntext.format_number(value, 2).rstrip("0").rstrip(",")
    if isinstance(value, list):
        return ", ".join(map(value_text, value))
    text = str(value)
    try:
        if ISO_DATE.fullmatch(text):
            return vntext.format_date(date.fromisoformat(text))
        if ISO_MOMENT.fullmatch(text):
            return moment(datetime.fromisoformat(text))
    except ValueError:
        pass
    return text


def field_label(field: str) -> str:
    return tr(FIELD_LABELS[field]) if field in FIELD_LABELS else field


def changes(row: AuditRow) -> list[tuple[str, str, str, str, bool]]:
    """(stored name, field, old, new, changed) for every field the entry holds, the changed ones first."""
    lines = []
    for field in dict.fromkeys([*row.before, *row.after]):
        old = value_text(row.before.get(field)) if field in row.before else ""
        new = value_text(row.after.get(field)) if field in row.after else ""
        changed = row.before.get(field) != row.after.get(field)
        lines.append((field, field_label(field), old, new, changed))
    return sorted(lines, key=lambda line: not line[4])


class AuditModel(RowTableModel):
    def __init__(self, parent=None):
        columns = (
            Column(tr("Thời gian"), lambda r: moment(r.at), lambda r: (r.at, r.id)),
            Column(tr("Người thực hiện"), lambda r: r.actor),
            Column(tr("Thao tác"), lambda r: r.action_label),
            Column(tr("Loại bản ghi"), lambda r: r.table_label),
            Column(tr("Số bản ghi"), lambda r: "" if r.record_id is None else str(r.record_id),
                   lambda r: r.record_id or 0),
            Column(tr("Nội dung"), lambda r: r.summary),
        )
        super().__init__(columns, parent)


class AuditPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.rows: list[AuditRow] = []
        self._build_filters()
        self.model = AuditModel(self)
        saved_layout = ui_settings().value(f"{SETTINGS_KEY}/header") is not None
        self.table = RecordTable(self.model, WIDTHS, SETTINGS_KEY)
        if not saved_layout:
            self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.DescendingOrder)  # newest first
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.show_detail())
        self.detail_title = QLabel(tr("Chọn một dòng để xem giá trị trước và sau khi thay đổi."))
        self.detail_title.setWordWrap(True)
        self.detail = QTableWidget(0, 3)
        self.detail.setHorizontalHeaderLabels([tr("Trường"), tr("Giá trị cũ"), tr("Giá trị mới")])
        self.detail.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.detail.setWordWrap(True)
        self.detail.verticalHeader().setVisible(False)
        self.detail.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.detail.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.detail.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.detail.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.detail.setColumnWidth(0, 190)
        detail_box = QWidget()
        detail_layout = QVBoxLayout(detail_box)
        detail_layout.setContentsMargins(0, 4, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.detail, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(detail_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        state = ui_settings().value(f"{SETTINGS_KEY}/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self.summary = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(self.filter_bar)
        layout.addLayout(self.text_bar)
        layout.addWidget(self.summary)
        layout.addWidget(self.splitter, 1)
        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.apply_filters)
        self.refresh()

    def _build_filters(self) -> None:
        self.use_from = QCheckBox(tr("Từ ngày"))
        self.date_from = date_edit(date.today().replace(day=1))
        self.use_to = QCheckBox(tr("đến ngày"))
        self.date_to = date_edit()
        for check, edit in ((self.use_from, self.date_from), (self.use_to, self.date_to)):
            edit.setEnabled(False)
            check.toggled.connect(edit.setEnabled)
            check.toggled.connect(lambda _on: self.apply_filters())
            edit.dateChanged.connect(lambda _day: self.apply_filters())
        self.actor = QComboBox()
        self.actor.setMinimumContentsLength(14)
        self.actor.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.actor.addItem(tr("Mọi người"), "")
        self.actor.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.kind = QComboBox()
        self.kind.addItem(tr("Mọi loại bản ghi"), "")
        for table_name, label in sorted(audit.TABLE_LABELS.items(), key=lambda item: vntext.sort_key(item[1])):
            self.kind.addItem(label, table_name)
        self.kind.currentIndexChanged.connect(lambda _i: self.apply_filters())
        self.filter_bar = QHBoxLayout()
        self.filter_bar.addWidget(self.use_from)
        self.filter_bar.addWidget(self.date_from)
        self.filter_bar.addWidget(self.use_to)
        self.filter_bar.addWidget(self.date_to)
        self.filter_bar.addSpacing(12)
        self.filter_bar.addWidget(QLabel(tr("Người thực hiện")))
        self.filter_bar.addWidget(self.actor)
        self.filter_bar.addSpacing(12)
        self.filter_bar.addWidget(QLabel(tr("Loại bản ghi")))
        self.filter_bar.addWidget(self.kind, 1)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm trong nội dung, tên, giá trị (gõ không dấu cũng được)"))
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self._typing.start())
        self.text_bar = QHBoxLayout()
        self.text_bar.addWidget(QLabel(tr("Tìm")))
        self.text_bar.addWidget(self.search, 1)
        self.buttons = add_buttons(self.text_bar, (
            ("clear", tr("Bỏ lọc"), self.clear_filters),
            ("export", tr("Xuất Excel…"), lambda: self.export_to_excel()),
        ))

    # ---- data ------------------------------------------------------------------------------------

    def current_query(self) -> AuditQuery:
        return AuditQuery(
            date_from=self.date_from.date().toPython() if self.use_from.isChecked() else None,
            date_to=self.date_to.date().toPython() if self.use_to.isChecked() else None,
            actor=self.actor.currentData() or "",
            table_name=self.kind.currentData() or "",
            text=self.search.text().strip(),
        )

    def refresh(self) -> None:
        """The officers' names again (a new one may have signed in), then the entries."""
        names = attempt(self, lambda: self._db.run(audit.actors)) or []
        chosen = self.actor.currentData() or ""
        self.actor.blockSignals(True)
        self.actor.clear()
        self.actor.addItem(tr("Mọi người"), "")
        for name in names:
            self.actor.addItem(name, name)
        self.actor.setCurrentIndex(max(0, self.actor.findData(chosen)))
        self.actor.blockSignals(False)
        self.apply_filters()

    def apply_filters(self) -> None:
        self._typing.stop()
        query = self.current_query()
        selected = self.selected()
        rows = attempt(self, lambda: self._db.run(lambda session: audit.find_entries(session, query, LIMIT)))
        self.rows = rows or []
        self.model.set_rows(self.rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._select(selected.id if selected is not None else None)
        self.summary.setText(self._summary(query))
        self.status_message.emit(self.summary.text())

    def _summary(self, query: AuditQuery) -> str:
        filtered = query != AuditQuery()
        if not self.rows:
            return tr("Không có thay đổi nào khớp bộ lọc.") if filtered else tr("Chưa có thay đổi nào được ghi.")
        if len(self.rows) >= LIMIT:
            return tr("Đang hiện {n} thay đổi gần nhất; hãy lọc theo ngày, người hay loại bản ghi để xem "
                      "các thay đổi cũ hơn.").format(n=vntext.format_number(LIMIT))
        text = tr("{n} thay đổi").format(n=vntext.format_number(len(self.rows)))
        return text + (tr(" khớp bộ lọc.") if filtered else tr(" đã ghi."))

    def clear_filters(self) -> None:
        for widget in (self.use_from, self.use_to, self.actor, self.kind, self.search):
            widget.blockSignals(True)
        self.use_from.setChecked(False)
        self.use_to.setChecked(False)
        self.date_from.setEnabled(False)
        self.date_to.setEnabled(False)
        self.actor.setCurrentIndex(0)
        self.kind.setCurrentIndex(0)
        self.search.clear()
        for widget in (self.use_from, self.use_to, self.actor, self.kind, self.search):
            widget.blockSignals(False)
        self.apply_filters()

    def save_state(self) -> None:
        self.table.save_state()
        ui_settings().setValue(f"{SETTINGS_KEY}/splitter", self.splitter.saveState())

    # ---- the selected entry ----------------------------------------------------------------------

    def selected(self) -> AuditRow | None:
        numbers = self.table.selected_row_numbers()
        return self.model.rows[numbers[0]] if numbers else None

    def _select(self, entry_id: int | None) -> None:
        number = next((n for n, row in enumerate(self.model.rows) if row.id == entry_id), None)
        if number is None:
            self.table.clearSelection()
            self.show_detail()
            return
        self.table.selectRow(number)
        self.table.scrollTo(self.model.index(number, 0))
        self.show_detail()

    def show_detail(self) -> None:
        row = self.selected()
        self.detail.setRowCount(0)
        if row is None:
            self.detail_title.setText(tr("Chọn một dòng để xem giá trị trước và sau khi thay đổi."))
            return
        record = tr(" (bản ghi số {n})").format(n=row.record_id) if row.record_id is not None else ""
        self.detail_title.setText(tr("<b>{summary}</b>{record}<br>{kind} — {actor}, lúc {at}").format(
            summary=escape(row.summary), record=record, kind=escape(row.table_label), actor=escape(row.actor),
            at=moment(row.at)))
        lines = changes(row)
        self.detail.setRowCount(len(lines))
        bold = QFont(self.detail.font())
        bold.setBold(True)
        for number, (stored, label, old, new, changed) in enumerate(lines):
            cells = (QTableWidgetItem(label), QTableWidgetItem(old), QTableWidgetItem(new))
            if changed and row.action == "update":
                cells[0].setFont(bold)
                cells[1].setForeground(QBrush(OLD))
                cells[2].setForeground(QBrush(NEW))
            for column, cell in enumerate(cells):
                cell.setToolTip(stored if column == 0 else cell.text())
                self.detail.setItem(number, column, cell)

    def detail_lines(self) -> list[tuple[str, str, str]]:
        """What the detail pane shows, row by row (field, old, new)."""
        return [tuple(self.detail.item(r, c).text() for c in range(3)) for r in range(self.detail.rowCount())]

    # ---- export ----------------------------------------------------------------------------------

    def export_to_excel(self, path: str | None = None) -> None:
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, tr("Xuất nhật ký thay đổi ra Excel"),
                                                        f"nhat-ky-thay-doi-{date.today():%Y%m%d}.xlsx",
                                                        tr("Tệp Excel (*.xlsx)"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        query = self.current_query()
        count = attempt(self, lambda: self._db.run(lambda session: audit.export_entries(session, query, path)))
        if count is not None:
            self.status_message.emit(tr("Đã xuất {n} thay đổi ra tệp {name}.").format(
                n=vntext.format_number(count), name=Path(path).name))
