"""The units page: the register as a table, filtered as the user types, and its actions."""

from __future__ import annotations

from PySide6.QtCore import QItemSelectionModel, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLineEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.domain.vntext import format_number
from antq_desktop.i18n import tr
from antq_desktop.services import units as unit_service
from antq_desktop.services.tracking import current_actor
from antq_desktop.services.units import UnitQuery, UnitRow, UnitSort
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.status_dialog import StatusChangeDialog
from antq_desktop.ui.unit_dialog import UnitDialog
from antq_desktop.ui.unit_table import COLUMNS, UnitTableModel

SEARCH_DELAY_MS = 150  # wait for a pause in typing before asking the database


class UnitsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.model = UnitTableModel(self._first_page, self._fetch_page, self)
        self._build()
        self._connect()
        self.refresh()

    # ---- data from the services ------------------------------------------------------------

    def _fetch_page(self, query: UnitQuery, offset: int, limit: int) -> list[UnitRow]:
        with self._db.transaction() as session:
            return unit_service.list_units(session, self._ward_id, query, offset, limit)

    def _first_page(self, query: UnitQuery, limit: int) -> tuple[list[UnitRow], int]:
        with self._db.transaction() as session:
            return unit_service.first_page(session, self._ward_id, query, limit)

    def _count(self, query: UnitQuery) -> int:
        with self._db.transaction() as session:
            return unit_service.count_units(session, self._ward_id, query)

    # ---- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm theo tên, địa chỉ, người đứng đầu, điện thoại (gõ không dấu cũng được)"))
        self.search.setClearButtonEnabled(True)
        self.kind_filter = enum_combo(UnitKind, tr("Tất cả các loại"))
        self.status_filter = enum_combo(UnitStatus, tr("Mọi trạng thái"), none_last=True)

        self.add_action = self._action(tr("Thêm đơn vị"), QKeySequence.StandardKey.New, self.add_unit)
        self.import_action = self._action(tr("Nhập từ Excel…"), None, lambda: self.import_from_excel())
        self.edit_action = self._action(tr("Sửa"), QKeySequence(Qt.Key.Key_Return), self.edit_selected)
        self.history_action = self._action(tr("Quá trình…"), QKeySequence("Ctrl+H"), self.show_history)
        self.merge_action = self._action(tr("Sáp nhập…"), None, self.merge_selected)
        self.dissolve_action = self._action(tr("Giải thể…"), None, self.dissolve_selected)
        self.reactivate_action = self._action(tr("Khôi phục hoạt động"), None, self.reactivate_selected)
        self.delete_action = self._action(tr("Xoá"), QKeySequence.StandardKey.Delete, self.delete_selected)
        self.copy_action = self._action(tr("Chép bảng"), QKeySequence.StandardKey.Copy, self.copy_rows)
        self.find_action = self._action(tr("Tìm"), QKeySequence.StandardKey.Find, self.focus_search)
        self.edit_action.setShortcuts([QKeySequence(Qt.Key.Key_Return), QKeySequence(Qt.Key.Key_Enter)])

        filters = QHBoxLayout()
        filters.addWidget(self.search, 1)
        filters.addWidget(self.kind_filter)
        filters.addWidget(self.status_filter)
        buttons = QHBoxLayout()
        for action in (self.add_action, self.import_action, self.edit_action, self.history_action, self.merge_action,
                       self.dissolve_action, self.reactivate_action, self.delete_action, self.copy_action):
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            buttons.addWidget(button)
        buttons.addStretch(1)

        self.table = RecordTable(self.model, (260, 120, 110, 330, 170, 110, 120, 140), "units")

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)

    def _action(self, text: str, shortcut, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    def _connect(self) -> None:
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self.apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.kind_filter.currentIndexChanged.connect(self.apply_filters)
        self.status_filter.currentIndexChanged.connect(self.apply_filters)
        self.table.doubleClicked.connect(self.edit_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)

    # ---- filters and counts ----------------------------------------------------------------

    def current_query(self) -> UnitQuery:
        header = self.table.horizontalHeader()
        return UnitQuery(
            sort=COLUMNS[header.sortIndicatorSection()][0] or UnitSort.NAME,
            descending=header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder,
            kind=chosen(self.kind_filter, UnitKind),
            status=chosen(self.status_filter, UnitStatus),
            search=self.search.text(),
        )

    def apply_filters(self) -> None:
        """A new filter or search: the register itself did not change, so its size is not recounted."""
        self._search_timer.stop()
        self.model.set_query(self.current_query())
        self.announce_counts()

    def refresh(self, select_unit: int | None = None) -> None:
        """After a change to the register (or on opening): reload and recount."""
        self._register_size = self._count(UnitQuery())
        self.model.set_query(self.current_query())
        self.announce_counts()
        if select_unit is not None:
            self.select_unit(select_unit)

    def announce_counts(self) -> None:
        self.status_message.emit(
            tr("Đang hiển thị {shown} trong tổng số {all} đơn vị").format(
                shown=format_number(self.model.total), all=format_number(self._register_size)
            )
        )

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def keyPressEvent(self, event) -> None:
        if event.key() == Qt.Key.Key_Escape and self.search.text():
            self.search.clear()
            self.apply_filters()
            self.table.setFocus()
            return
        super().keyPressEvent(event)

    # ---- selection -------------------------------------------------------------------------

    def selected_rows(self) -> list[UnitRow]:
        return [self.model.row_at(row) for row in self.table.selected_row_numbers()]

    def _single_selected(self) -> UnitRow | None:
        rows = self.selected_rows()
        return rows[0] if len(rows) == 1 else None

    def select_unit(self, unit_id: int) -> None:
        row = self.model.row_of_unit(unit_id)
        if row is None:
            return
        index = self.model.index(row, 0)
        self.table.selectionModel().select(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.setCurrentIndex(index)
        self.table.scrollTo(index)

    def _update_actions(self) -> None:
        row = self._single_selected()
        active = row is not None and row.status is UnitStatus.ACTIVE
        self.edit_action.setEnabled(row is not None)
        self.history_action.setEnabled(row is not None)
        self.merge_action.setEnabled(active)
        self.dissolve_action.setEnabled(active)
        self.reactivate_action.setEnabled(row is not None and not active)
        self.delete_action.setEnabled(row is not None)
        self.copy_action.setEnabled(self.model.rowCount() > 0)

    # ---- actions ---------------------------------------------------------------------------

    def add_unit(self) -> None:
        created: list[int] = []

        def save(data) -> None:
            with self._db.transaction() as session:
                created.append(unit_service.add_unit(session, self._ward_id, data, current_actor()))

        dialog = UnitDialog(save, parent=self)
        kind = chosen(self.kind_filter, UnitKind)
        if kind is not None:
            choose(dialog.kind, kind)
        if dialog.exec():
            self.refresh(select_unit=created[0])

    def import_from_excel(self, path: str | None = None) -> None:
        """Units from any Excel list (``path`` given: that file, already chosen)."""
        from antq_desktop.ui.unit_import_dialog import UnitImportDialog

        dialog = UnitImportDialog(self._db, self._ward_id, self, path=path)
        dialog.exec()
        if dialog.import_result is not None:
            self.refresh()

    def edit_selected(self) -> None:
        row = self._single_selected()
        if row is None:
            return
        details = attempt(self, lambda: self._details(row.id))
        if details is None:
            return

        def save(data) -> None:
            with self._db.transaction() as session:
                unit_service.update_unit(session, row.id, data, current_actor(), expected_version=details.version)

        if UnitDialog(save, details.as_input(), parent=self).exec():
            self.refresh(select_unit=row.id)

    def _read(self, query):
        with self._db.transaction() as session:
            return query(session)

    def _details(self, unit_id: int) -> unit_service.UnitDetails:
        with self._db.transaction() as session:
            return unit_service.get_unit(session, unit_id)

    def show_history(self) -> None:
        """Everything the registers hold about the unit, year by year."""
        from antq_desktop.ui.unit_history import UnitHistoryDialog

        row = self._single_selected()
        if row is not None:
            dialog = attempt(self, lambda: UnitHistoryDialog(self._db, row.id, self))
            if dialog is not None:
                dialog.exec()

    def merge_selected(self) -> None:
        row = self._single_selected()
        if row is None:
            return
        targets = attempt(self, lambda: self._read(lambda s: unit_service.merge_targets(s, row.id)))
        if targets is None:
            return
        dialog = StatusChangeDialog(row.name, targets, self)
        if dialog.exec():
            self._write(row.id, lambda s: unit_service.merge_unit(
                s, row.id, dialog.chosen_target(), dialog.chosen_date(), current_actor(), dialog.reason.text(),
                expected_version=row.version))

    def dissolve_selected(self) -> None:
        row = self._single_selected()
        if row is None:
            return
        dialog = StatusChangeDialog(row.name, None, self)
        if dialog.exec():
            self._write(row.id, lambda s: unit_service.dissolve_unit(
                s, row.id, dialog.chosen_date(), dialog.reason.text(), current_actor(), expected_version=row.version))

    def reactivate_selected(self) -> None:
        row = self._single_selected()
        if row is not None:
            self._write(row.id, lambda s: unit_service.reactivate_unit(s, row.id, current_actor(), row.version))

    def delete_selected(self) -> None:
        row = self._single_selected()
        question = tr('Xoá hẳn "{name}" khỏi danh sách? Chỉ nên xoá một đơn vị nhập nhầm; '
                      "đơn vị đã có dữ liệu liên quan sẽ không xoá được.").format(name=row.name) if row else ""
        if row is not None and confirm(self, tr("Xoá đơn vị"), question):
            self._write(None, lambda s: unit_service.delete_unit(s, row.id, row.version))

    def _write(self, select_unit: int | None, change) -> None:
        def run() -> bool:
            with self._db.transaction() as session:
                change(session)
            return True

        if attempt(self, run):
            self.refresh(select_unit=select_unit)

    def copy_rows(self) -> None:
        self.table.copy_rows()

    def save_state(self) -> None:
        self.table.save_state()
