"""The "Phân công nhiệm vụ" tab of the plan: the year's task table (TT, nội dung, chủ trì, phối hợp,
thời gian, ghi chú), the office's follow-up of each task (overdue ones in red), the copy of a year's
table to the next, and the printed annex (with a preview)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.vntext import format_date
from antq_desktop.i18n import tr
from antq_desktop.reports.task_table import render_task_table, table_title
from antq_desktop.services import tasks
from antq_desktop.services.tasks import TaskInput, TaskRow, TaskStatus
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.forms import (
    SavingDialog,
    add_buttons,
    date_edit,
    menu_button,
    save_buttons,
    year_box,
)
from antq_desktop.ui.messages import attempt, attempt_write, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

LATE, DONE = QColor("#b00020"), QColor("#2e7d32")
STATUS_COLUMN, DUE_COLUMN = 5, 4
WIDTHS = (40, 380, 150, 200, 140, 190)
SOON = 7   # days: "còn 3 ngày" is shown this close to the day
SELECT_ROW = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def status_text(row: TaskRow, today: date) -> str:
    """"Đã xong 12/03/2026", "Quá hạn 5 ngày (đang thực hiện)", "Còn 3 ngày (chưa thực hiện)"…"""
    if row.done:
        return tr("Đã xong {day}").format(day=format_date(row.done_on)) if row.done_on else tr("Đã xong")
    left, label = row.days_left(today), _capital(row.status.label)
    if left is None or left > SOON:
        return label
    if left < 0:
        return tr("Quá hạn {n} ngày ({status})").format(n=-left, status=row.status.label)
    if left == 0:
        return tr("Hạn hôm nay ({status})").format(status=row.status.label)
    return tr("Còn {n} ngày ({status})").format(n=left, status=row.status.label)


def due_text(row: TaskRow) -> str:
    """The time as printed, with the countdown's day when both are known: "Quý I (31/03/2026)"."""
    if row.due_text and row.due_date:
        return f"{row.due_text} ({format_date(row.due_date)})"
    return row.due_shown


class TaskTableModel(RowTableModel):
    """The rows, with the overdue ones' time and status in red and the done ones' status in green."""

    def __init__(self, parent=None):
        self.today = date.today()
        columns = (
            Column(tr("TT"), lambda r: str(r.number), lambda r: r.number),
            Column(tr("Nội dung"), lambda r: r.content),
            Column(tr("Chủ trì"), lambda r: r.lead),
            Column(tr("Phối hợp"), lambda r: r.partners),
            Column(tr("Thời gian"), due_text, lambda r: (r.due_date or date.max, r.number)),
            Column(tr("Trạng thái"), lambda r: status_text(r, self.today), self._urgency),
            Column(tr("Ghi chú"), lambda r: r.notes),
        )
        super().__init__(columns, parent)

    def _urgency(self, row: TaskRow):
        """Most urgent first: overdue, then by the days left, then those without a day, done last."""
        left = row.days_left(self.today)
        return row.done, left is None, left if left is not None else 0, row.number

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row, column = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._colour(row, column)
        if role == Qt.ItemDataRole.FontRole and column == STATUS_COLUMN and row.overdue(self.today):
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole and column == 0:
            return int(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        return super().data(index, role)

    def _colour(self, row: TaskRow, column: int) -> QBrush | None:
        if column in (DUE_COLUMN, STATUS_COLUMN) and row.overdue(self.today):
            return QBrush(LATE)
        if column == STATUS_COLUMN and row.done:
            return QBrush(DONE)
        return None


# ---- dialogs -----------------------------------------------------------------------------------

def _editable_combo(choices, current: str) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(list(choices))
    box.setCurrentText(current)
    return box


class TaskDialog(SavingDialog):
    """Add or correct a task. The time is typed as the plan prints it; a day to count down to is
    proposed from it ("Quý I" → 31/03) and can be changed or left out."""

    def __init__(self, save: Callable, year: int, agencies: list[str], initial: TaskInput | None = None,
                 parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa nhiệm vụ") if initial else tr("Thêm nhiệm vụ"))
        initial = initial or TaskInput("")
        self._year = year
        self.content = QPlainTextEdit(initial.content)
        self.content.setFixedHeight(90)
        self.lead = _editable_combo(agencies, initial.lead)
        self.partners = QPlainTextEdit(initial.partners)
        self.partners.setFixedHeight(54)
        self.partners.setPlaceholderText(tr("Các cơ quan, đơn vị phối hợp, cách nhau bằng dấu \u201c;\u201d"))
        self.due_text = _editable_combo(tasks.DUE_SUGGESTIONS, initial.due_text)
        self.due_text.lineEdit().setPlaceholderText(tr("Như in trong kế hoạch: Quý I, Trước 30/10, Hằng năm…"))
        self.has_date = QCheckBox(tr("Nhắc hạn vào ngày"))
        self.due_date = date_edit(initial.due_date or tasks.due_from_text(initial.due_text, year) or date(year, 12, 31))
        self.has_date.toggled.connect(self.due_date.setEnabled)
        self.has_date.setChecked(initial.due_date is not None)
        self.due_date.setEnabled(initial.due_date is not None)
        self._proposed = initial.due_date
        self.due_text.currentTextChanged.connect(self._propose_day)
        self.notes = QLineEdit(initial.notes)
        self.notes.setMaxLength(tasks.NOTES_MAX)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(680, self.sizeHint().height())

    def _form(self) -> QFormLayout:
        due = QHBoxLayout()
        due.addWidget(self.due_text, 1)
        due.addWidget(self.has_date)
        due.addWidget(self.due_date)
        form = QFormLayout()
        form.addRow(tr("Nội dung"), self.content)
        form.addRow(tr("Cơ quan chủ trì"), self.lead)
        form.addRow(tr("Cơ quan phối hợp"), self.partners)
        form.addRow(tr("Thời gian hoàn thành"), due)
        form.addRow(tr("Ghi chú"), self.notes)
        return form

    def _propose_day(self, text: str) -> None:
        """A time that names a day proposes it, unless the officer chose another day by hand."""
        day = tasks.due_from_text(text, self._year)
        chosen_by_hand = self.has_date.isChecked() and self.due_date.date().toPython() != self._proposed
        if day is None or chosen_by_hand:
            return
        self._proposed = day
        self.due_date.setDate(day)
        self.has_date.setChecked(True)

    def typed(self) -> TaskInput:
        day = self.due_date.date().toPython() if self.has_date.isChecked() else None
        return TaskInput(self.content.toPlainText(), self.lead.currentText(), self.partners.toPlainText(),
                         self.due_text.currentText(), day, self.notes.text())


class DoneOnDialog(SavingDialog):
    """The day the chosen tasks were finished."""

    def __init__(self, save: Callable, count: int, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Đánh dấu đã xong"))
        self.day = date_edit()
        form = QFormLayout()
        form.addRow(tr("{n} nhiệm vụ hoàn thành ngày").format(n=count), self.day)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))

    def typed(self) -> date:
        return self.day.date().toPython()


class CopyDialog(SavingDialog):
    """Start a year's table from another year's (a period plan repeats its tasks every year)."""

    def __init__(self, save: Callable, year: int, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sao chép biểu phân công sang năm {year}").format(year=year))
        explanation = QLabel(tr(
            "Các nhiệm vụ của năm đã chọn được chép sang năm {year} theo đúng thứ tự: nội dung, cơ quan chủ trì, "
            "phối hợp, thời gian, ghi chú; ngày nhắc hạn lùi theo số năm; trạng thái về \u201cChưa thực hiện\u201d. "
            "Chỉ chép được khi năm {year} chưa có nhiệm vụ nào.").format(year=year))
        explanation.setWordWrap(True)
        self.source = QSpinBox()
        self.source.setRange(2000, 2100)
        self.source.setValue(year - 1)
        form = QFormLayout()
        form.addRow(tr("Sao chép từ năm"), self.source)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Sao chép"))
        self.resize(520, 200)

    def typed(self) -> int:
        return self.source.value()


# ---- the page ----------------------------------------------------------------------------------

class TasksPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.year = year_box()
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.model = TaskTableModel(self)
        self.table = RecordTable(self.model, WIDTHS, "tasks")
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)   # TT is a column of its own
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # Rows of several lines: a little air so one task's last line does not touch the next.
        self.table.setStyleSheet("QTableView::item { padding-top: 2px; padding-bottom: 3px; }")
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.empty_hint = QLabel(tr("Năm này chưa có nhiệm vụ. Hãy thêm từng nhiệm vụ theo biểu phân công của kế "
                                    "hoạch, hoặc sao chép từ năm trước."))
        self.empty_hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)
        layout.addLayout(self._buttons())
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        self.refresh()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons = add_buttons(row, (
            ("add", tr("Thêm…"), self.add_task),
            ("edit", tr("Sửa…"), self.edit_selected),
            ("delete", tr("Xoá"), self.delete_selected),
            ("up", tr("Lên"), lambda: self.move_selected(-1)),
            ("down", tr("Xuống"), lambda: self.move_selected(1)),
            ("done", tr("Đánh dấu đã xong"), lambda: self.set_status(TaskStatus.XONG)),
        ))
        self.status_button, self.status_actions = menu_button(tr("Trạng thái"), (
            ("chua", tr("Chưa thực hiện"), lambda: self.set_status(TaskStatus.CHUA)),
            ("dang", tr("Đang thực hiện"), lambda: self.set_status(TaskStatus.DANG)),
            ("xong", tr("Đã xong hôm nay"), lambda: self.set_status(TaskStatus.XONG)),
            ("xong_on", tr("Đã xong vào ngày…"), self.mark_done_on),
        ))
        row.addWidget(self.status_button)
        row.addStretch(1)
        self.buttons.update(add_buttons(row, (
            ("copy", tr("Sao chép từ năm trước…"), self.copy_from_year),
            ("print", tr("Xem và in…"), self.print_table),
        )))
        return row

    def current_year(self) -> int:
        return self.year.value()


    # ---- data ------------------------------------------------------------------------------------

    def refresh(self, select: list[int] | int | None = None) -> None:
        """Reload the year; ``select`` is the task (or tasks) to select afterwards."""
        year = self.current_year()
        rows, figures = self._db.run(lambda session: (
            tasks.year_tasks(session, self._ward_id, year), tasks.task_stats(session, self._ward_id, year)))
        self.model.today = date.today()
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._select([select] if isinstance(select, int) else select or [])
        self.empty_hint.setVisible(not rows)
        self.summary.setText(_summary(figures))
        self.status_message.emit(tr("Năm {year}: {summary}").format(year=year, summary=_summary(figures)))

    def _select(self, task_ids: list[int]) -> None:
        self.table.clearSelection()
        for number, row in enumerate(self.model.rows):
            if row.id in task_ids:
                self.table.selectionModel().select(self.model.index(number, 0), SELECT_ROW)
                self.table.scrollTo(self.model.index(number, 0))

    def select_task(self, task_id: int) -> None:
        """Show the task's year with the task selected (the dashboard opens the page on one)."""
        found = attempt(self, lambda: self._db.run(lambda session: tasks.get_task(session, task_id)))
        if found is None:
            return
        if self.current_year() != found.year:
            self.year.blockSignals(True)   # one reload, below, not two
            self.year.setValue(found.year)
            self.year.blockSignals(False)
        self.refresh(found.id)

    def save_state(self) -> None:
        self.table.save_state()

    def _selected(self) -> list[TaskRow]:
        rows = [self.model.rows[number] for number in self.table.selected_row_numbers()]
        if not rows:
            self.status_message.emit(tr("Hãy chọn một nhiệm vụ trong bảng."))
        return rows

    def _one_selected(self) -> TaskRow | None:
        rows = self._selected()
        if len(rows) > 1:
            self.status_message.emit(tr("Hãy chọn một nhiệm vụ (đang chọn {n}).").format(n=len(rows)))
        return rows[0] if len(rows) == 1 else None

    def _write(self, work: Callable, select: list[int] | int | None = None) -> bool:
        """Run ``work(session)`` in one transaction (a refusal is shown in a box), then reload the
        year; True when it was written."""
        done = attempt_write(self, self._db, work)
        self.refresh(select)
        return done

    def _agencies(self) -> list[str]:
        return self._db.run(lambda session: tasks.agency_suggestions(session, self._ward_id))

    # ---- editing ---------------------------------------------------------------------------------

    def add_task(self) -> None:
        added: list[int] = []
        year = self.current_year()

        def save(data: TaskInput) -> None:
            added.append(self._db.run(
                lambda session: tasks.add_task(session, self._ward_id, year, data, current_actor())))

        if TaskDialog(save, year, self._agencies(), parent=self).exec():
            self.refresh(added[-1])
            self.status_message.emit(tr("Đã thêm nhiệm vụ {n}.").format(
                n=next(row.number for row in self.model.rows if row.id == added[-1])))

    def edit_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return

        def save(data: TaskInput) -> None:
            self._db.run(lambda session: tasks.update_task(session, row.id, data, current_actor(),
                                                                   row.version))

        if TaskDialog(save, row.year, self._agencies(), row.as_input(), self).exec():
            self.refresh(row.id)

    def delete_selected(self) -> None:
        row = self._one_selected()
        if row is None or not confirm(self, tr("Xoá nhiệm vụ"), tr(
                "Xoá nhiệm vụ {n} \u201c{content}\u201d? Các nhiệm vụ sau được đánh số lại.").format(
                n=row.number, content=_short(row.content))):
            return
        if self._write(lambda session: tasks.delete_task(session, row.id, current_actor(), row.version)):
            self.status_message.emit(tr("Đã xoá nhiệm vụ \u201c{content}\u201d.").format(content=_short(row.content)))

    def move_selected(self, step: int) -> None:
        row = self._one_selected()
        if row is None:
            return
        # The move changes TT: show the table in TT order, or the row would seem to stay.
        self.table.horizontalHeader().setSortIndicator(0, Qt.SortOrder.AscendingOrder)
        self._write(lambda session: tasks.move_task(session, row.id, step, current_actor()), row.id)

    def set_status(self, status: TaskStatus) -> None:
        """Give every selected task ``status`` (done: today), all or none."""
        rows = self._selected()
        if rows and self._write(_status_work(rows, status), [row.id for row in rows]):
            self.status_message.emit(tr("Đã chuyển {n} nhiệm vụ sang “{status}”.").format(
                n=len(rows), status=status.label))

    def mark_done_on(self) -> None:
        rows = self._selected()
        if not rows:
            return

        def save(day: date) -> None:
            self._db.run(_status_work(rows, TaskStatus.XONG, day))

        if DoneOnDialog(save, len(rows), self).exec():
            self.refresh([row.id for row in rows])

    def copy_from_year(self) -> None:
        year = self.current_year()
        copied: list[int] = []

        def save(source: int) -> None:
            copied.append(self._db.run(
                lambda session: tasks.copy_tasks(session, self._ward_id, source, year, current_actor())))

        dialog = CopyDialog(save, year, self)
        if dialog.exec():
            self.refresh()
            self.status_message.emit(tr("Đã sao chép {n} nhiệm vụ từ năm {source} sang năm {year}.").format(
                n=copied[-1], source=dialog.source.value(), year=year))

    def print_table(self) -> None:
        year = self.current_year()
        data = attempt(self, lambda: self._db.run(
            lambda session: tasks.task_table(session, self._ward_id, year)))
        if data is not None:
            PdfPreviewDialog(rendered(render_task_table, data), table_title(data),
                             f"bieu-phan-cong-nhiem-vu-{year}.pdf", self).exec()


def _status_work(rows: list[TaskRow], status: TaskStatus, done_on: date | None = None) -> Callable:
    """One transaction: each task as the officer saw it (a task changed meanwhile refuses all)."""
    def work(session) -> None:
        for row in rows:
            tasks.set_status(session, row.id, status, current_actor(), done_on, row.version)

    return work


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[:limit].rstrip() + "…"


def _summary(figures: dict) -> str:
    if not figures["total"]:
        return tr("Chưa có nhiệm vụ nào.")
    text = tr("{total} nhiệm vụ: {done} đã hoàn thành, {doing} đang thực hiện, {todo} chưa thực hiện").format(
        total=figures["total"], done=figures["done"], doing=figures["in_progress"], todo=figures["not_started"])
    if figures["overdue"]:
        text += tr(" — {n} quá hạn").format(n=figures["overdue"])
    return text + "."
