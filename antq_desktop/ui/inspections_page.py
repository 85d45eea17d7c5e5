"""The "Kiểm tra, hướng dẫn" page: the year's plan of visits, each visit's record and minutes,
and how far the year has covered the residential groups.

Left, the year's inspections; right, the coverage: the groups visited against the setting
``inspections.per_kdc_per_year``, those not yet visited with the days left to 31/12, and the
recommendations past their deadline. A double-click opens what it names.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import vntext
from antq_desktop.i18n import tr
from antq_desktop.services import inspections
from antq_desktop.services.inspections import Coverage, InspectionRow
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.forms import add_buttons, year_box
from antq_desktop.ui.inspection_dialog import RECOMMENDATIONS_TAB, InspectionDialog
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

ITEM_ID = Qt.ItemDataRole.UserRole   # list items carry (inspection id, unit id)


def _visit_text(row: InspectionRow) -> str:
    if row.made:
        return vntext.format_date(row.visited_on)
    return tr("Quá ngày dự kiến") if row.late else tr("Chưa kiểm tra")


def _open_text(row: InspectionRow) -> str:
    """"Còn 1/2 (1 quá hạn)", "Đã xong 2/2", or nothing when the visit left none."""
    if not row.recommendations:
        return ""
    if not row.open_recommendations:
        return tr("Đã xong {n}/{n}").format(n=row.recommendations)
    text = tr("Còn {open}/{total}").format(open=row.open_recommendations, total=row.recommendations)
    return text + (tr(" ({n} quá hạn)").format(n=row.overdue) if row.overdue else "")


COLUMNS = (
    Column(tr("Đơn vị"), lambda r: r.unit_name),
    Column(tr("Hình thức"), lambda r: r.kind.label),
    Column(tr("Ngày dự kiến"), lambda r: vntext.format_date(r.planned_on), lambda r: r.planned_on or date.max),
    Column(tr("Ngày kiểm tra"), _visit_text, lambda r: (r.visited_on or date.max, not r.late)),
    Column(tr("Trưởng đoàn, người thực hiện"), lambda r: r.team),
    Column(tr("Kiến nghị"), _open_text, lambda r: (r.overdue, r.open_recommendations, r.recommendations)),
    # What `antq print inspection-minutes --inspection N` takes.
    Column(tr("Số hiệu"), lambda r: str(r.id), lambda r: r.id),
)


class InspectionsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.model = RowTableModel(COLUMNS, self)
        self.coverage: Coverage | None = None
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.year = year_box()
        self.table = RecordTable(self.model, (250, 90, 100, 120, 200, 130, 70), "inspections")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Năm")))
        top.addWidget(self.year)
        top.addSpacing(12)
        self.buttons = add_buttons(top, (
            ("plan", tr("Lên kế hoạch…"), self.plan),
            ("visit", tr("Ghi kết quả, sửa…"), self.edit_selected),
            ("delete", tr("Xoá"), self.delete_selected),
            ("print", tr("In biên bản…"), self.print_minutes),
        ))
        top.addStretch(1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self._coverage_panel())
        splitter.setStretchFactor(0, 1)
        splitter.setSizes([760, 340])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())

    def _coverage_panel(self) -> QGroupBox:
        panel = QGroupBox(tr("Độ phủ kiểm tra trong năm"))
        self.coverage_label = QLabel()
        self.coverage_label.setStyleSheet("font-weight: bold;")
        self.coverage_bar = QProgressBar()
        self.coverage_bar.setTextVisible(False)
        self.pending_label = QLabel()
        self.pending_label.setWordWrap(True)
        self.pending = QListWidget()
        self.overdue_label = QLabel()
        self.overdue_label.setWordWrap(True)
        self.overdue = QListWidget()
        self.overdue.setWordWrap(True)
        self.pending.itemDoubleClicked.connect(self._open_pending)
        self.overdue.itemDoubleClicked.connect(self._open_overdue)
        layout = QVBoxLayout(panel)
        for widget, stretch in ((self.coverage_label, 0), (self.coverage_bar, 0), (self.pending_label, 0),
                                (self.pending, 1), (self.overdue_label, 0), (self.overdue, 1)):
            layout.addWidget(widget, stretch)
        return panel

    # ---- data -----------------------------------------------------------------------------------

    def current_year(self) -> int:
        return self.year.value()

    def today(self) -> date:
        return date.today()

    def refresh(self, select_id: int | None = None) -> None:
        year, today = self.current_year(), self.today()
        with self._db.transaction() as session:
            rows = inspections.year_inspections(session, self._ward_id, year, today)
            self.coverage = inspections.coverage(session, self._ward_id, year, today)
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._show_coverage(self.coverage)
        made = sum(row.made for row in rows)
        self.status_message.emit(tr("Năm {year}: {n} cuộc kiểm tra, hướng dẫn; đã thực hiện {made}").format(
            year=year, n=len(rows), made=made))
        if select_id is not None:
            self.select_inspection(select_id)

    def _show_coverage(self, cover: Coverage) -> None:
        required = tr(" (mỗi tổ ít nhất {n} lần)").format(n=cover.required) if cover.required > 1 else ""
        self.coverage_label.setText(cover.summary + required)
        self.coverage_bar.setRange(0, max(cover.kdc_total, 1))
        self.coverage_bar.setValue(cover.kdc_inspected)
        self.pending_label.setText(tr("Chưa kiểm tra: {n} (còn {days} ngày đến 31/12/{year})").format(
            n=len(cover.not_inspected), days=cover.days_left, year=cover.year))
        self.pending.clear()
        for group in cover.not_inspected:
            self.pending.addItem(self._item(self._pending_text(group, cover), group.inspection_id, group.unit_id))
        self.overdue_label.setText(tr("Kiến nghị quá hạn chưa thực hiện: {n}").format(n=len(cover.overdue)))
        self.overdue.clear()
        for late in cover.overdue:
            text = tr("{unit}: {text} (hạn {deadline}, quá {days} ngày)").format(
                unit=late.unit_name, text=late.text, deadline=vntext.format_date(late.deadline), days=late.days_overdue)
            self.overdue.addItem(self._item(text, late.inspection_id, None))

    @staticmethod
    def _pending_text(group, cover: Coverage) -> str:
        parts = [group.name]
        if cover.required > 1:
            parts.append(tr("đã {made}/{required} lần").format(made=group.made, required=cover.required))
        parts.append(tr("dự kiến {day}").format(day=vntext.format_date(group.next_planned_on))
                     if group.next_planned_on else tr("chưa có ngày dự kiến") if group.inspection_id
                     else tr("chưa lên kế hoạch"))
        return " · ".join(parts)

    @staticmethod
    def _item(text: str, inspection_id: int | None, unit_id: int | None) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(ITEM_ID, (inspection_id, unit_id))
        return item

    def select_inspection(self, inspection_id: int) -> None:
        for number, row in enumerate(self.model.rows):
            if row.id == inspection_id:
                self.table.selectRow(number)
                return

    def _one_selected(self) -> InspectionRow | None:
        numbers = self.table.selected_row_numbers()
        if len(numbers) != 1:
            self.status_message.emit(tr("Hãy chọn một cuộc kiểm tra trong bảng."))
            return None
        return self.model.rows[numbers[0]]


    # ---- actions --------------------------------------------------------------------------------

    def _units(self, include: int | None = None):
        return self._db.run(lambda s: inspections.unit_choices(s, self._ward_id, include))

    def plan(self, unit_id: int | None = None) -> None:
        year, added = self.current_year(), []

        def save(data) -> None:
            added.append(self._db.run(
                lambda s: inspections.add_inspection(s, self._ward_id, year, data, current_actor(), self.today())))

        dialog = InspectionDialog(self._units(), year, save, unit_id=unit_id, today=self.today(), parent=self)
        if dialog.exec():
            self.refresh(added[-1])
            self.status_message.emit(tr("Đã lưu kế hoạch kiểm tra."))

    def edit_selected(self) -> None:
        row = self._one_selected()
        if row is not None:
            self.open_inspection(row.id)

    def open_inspection(self, inspection_id: int, tab: int | None = None) -> None:
        """The dialog of one inspection; a planned one opens ready to record its visit."""
        view = attempt(self, lambda: self._db.run(lambda s: inspections.get_inspection(s, inspection_id)))
        if view is None:
            self.refresh()
            return

        def save(data) -> None:
            self._db.run(lambda s: inspections.update_inspection(
                s, inspection_id, data, current_actor(), view.version, self.today()))

        dialog = InspectionDialog(self._units(view.unit_id), view.year, save, view, visit=view.visited_on is None,
                                  today=self.today(), parent=self)
        if tab is not None:
            dialog.tabs.setCurrentIndex(tab)
        if dialog.exec():
            self.refresh(inspection_id)
            self.status_message.emit(tr("Đã lưu cuộc {kind} {unit}.").format(kind=view.kind.verb, unit=view.unit_name))

    def delete_selected(self) -> None:
        row = self._one_selected()
        if row is None or not confirm(self, tr("Xoá kế hoạch kiểm tra"), tr(
                "Xoá cuộc {kind} \u201c{unit}\u201d khỏi kế hoạch năm {year}?").format(
                kind=row.kind.verb, unit=row.unit_name, year=self.current_year())):
            return

        def delete(session) -> bool:
            inspections.delete_inspection(session, row.id, row.version)
            return True

        if attempt(self, lambda: self._db.run(delete)):
            self.status_message.emit(tr("Đã xoá khỏi kế hoạch: {unit}.").format(unit=row.unit_name))
        self.refresh()

    def print_minutes(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        pdf = attempt(self, lambda: self._db.run(lambda s: inspections.inspection_minutes_pdf(s, row.id)))
        if pdf is not None:
            self.preview = PdfPreviewDialog(pdf, tr("Biên bản {kind}").format(kind=row.kind.verb),
                                            f"bien-ban-kiem-tra-{vntext.format_date(row.visited_on).replace('/', '-')}"
                                            f"-{vntext.search_key(row.unit_name).replace(' ', '-')}.pdf", self)
            self.preview.exec()

    def _open_pending(self, item: QListWidgetItem) -> None:
        inspection_id, unit_id = item.data(ITEM_ID)
        if inspection_id is not None:
            self.open_inspection(inspection_id)
        else:
            self.plan(unit_id)

    def _open_overdue(self, item: QListWidgetItem) -> None:
        inspection_id, _unit_id = item.data(ITEM_ID)
        self.open_inspection(inspection_id, RECOMMENDATIONS_TAB)

    def save_state(self) -> None:
        self.table.save_state()
