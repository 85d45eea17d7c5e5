"""The "Phường điển hình" page: the exemplary-ward checklist of a year, toward the 2030 goal.

The criteria are the administrator's (typed, or imported from the province's Excel list); each
year the result of every criterion is chosen in the table and saved at once, with its evidence.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QVBoxLayout,
)

from antq_desktop.domain.exemplary import CriterionStatus
from antq_desktop.i18n import tr
from antq_desktop.services import exemplary
from antq_desktop.services.exemplary import ChecklistRow, CriterionInput, Progress
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.editable_table import EditableColumn, YearTablePage
from antq_desktop.ui.forms import SavingDialog, add_buttons, save_buttons
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.row_table import Column

STATUS_COLUMN, EVIDENCE_COLUMN, NOTE_COLUMN = 3, 4, 5
COLUMNS = (
    Column(tr("Mã"), lambda r: r.code, lambda r: r.position),  # sorted by the list's own order
    Column(tr("Nhóm"), lambda r: r.group_title),
    Column(tr("Tiêu chí"), lambda r: r.title),
    EditableColumn(tr("Kết quả"), lambda r: r.status.label, lambda r: list(CriterionStatus).index(r.status),
                   lambda r: r.status.value),
    EditableColumn(tr("Minh chứng"), lambda r: r.evidence, None, lambda r: r.evidence),
    EditableColumn(tr("Ghi chú"), lambda r: r.note, None, lambda r: r.note),
)
IMPORT_RULE = tr(
    "Tệp Excel cần một dòng tiêu đề có cột \u201cMã\u201d (hoặc \u201cTT\u201d), cột \u201cNội dung tiêu chí\u201d "
    "và có thể có cột \u201cNhóm\u201d. Nếu chưa năm nào ghi kết quả, danh sách hiện có được thay bằng danh sách "
    "trong tệp; nếu đã có kết quả, tiêu chí trùng mã được cập nhật nội dung (giữ kết quả), tiêu chí mới được "
    "thêm vào cuối và không tiêu chí nào bị xoá."
)


class CriterionDialog(SavingDialog):
    """Add or correct one criterion: code, group (an existing one or a new one) and text."""

    def __init__(self, save: Callable, groups: list[str], initial: CriterionInput | None = None, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa tiêu chí") if initial else tr("Thêm tiêu chí"))
        self.code = QLineEdit(initial.code if initial else "")
        self.code.setMaxLength(exemplary.CODE_MAX)
        self.code.setPlaceholderText(tr("Ví dụ: 1.2"))
        self.group = QComboBox()
        self.group.setEditable(True)
        self.group.addItems([""] + groups)
        self.group.setCurrentText(initial.group_title if initial else "")
        self.title_text = QPlainTextEdit(initial.title if initial else "")
        self.title_text.setMinimumHeight(90)
        form = QFormLayout()
        form.addRow(tr("Mã tiêu chí"), self.code)
        form.addRow(tr("Nhóm (không bắt buộc)"), self.group)
        form.addRow(tr("Nội dung tiêu chí"), self.title_text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(560, 300)

    def typed(self) -> CriterionInput:
        return CriterionInput(self.code.text(), self.title_text.toPlainText(), self.group.currentText())


class ExemplaryPage(YearTablePage):
    def _build(self) -> None:
        choices = [(status.label, status.value) for status in CriterionStatus]
        self._make_table(COLUMNS, lambda row: row.criterion_id, (50, 150, 360, 140, 190), "exemplary", STATUS_COLUMN,
                         choices)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.empty_hint = QLabel(tr("Chưa có tiêu chí nào. Hãy thêm từng tiêu chí, hoặc nhập danh sách của tỉnh "
                                    "từ tệp Excel. ") + IMPORT_RULE)
        self.empty_hint.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.setTextVisible(False)
        self.progress_label = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(self._year_bar(tr("Năm"), self.progress_bar, self.progress_label))
        layout.addLayout(self._buttons())
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.table, 1)
        self.table.doubleClicked.connect(self._edit_on_double_click)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons = add_buttons(row, (
            ("add", tr("Thêm tiêu chí…"), self.add_criterion),
            ("edit", tr("Sửa tiêu chí…"), self.edit_selected),
            ("delete", tr("Xoá tiêu chí"), self.delete_selected),
            ("up", tr("Lên"), lambda: self.move_selected(-1)),
            ("down", tr("Xuống"), lambda: self.move_selected(1)),
            ("import", tr("Nhập từ Excel…"), self.import_from_excel),
        ))
        self.buttons["import"].setToolTip(IMPORT_RULE)
        row.addStretch(1)
        return row

    # ---- data ------------------------------------------------------------------------------------

    def _load(self) -> tuple[list[ChecklistRow], Progress]:
        with self._db.transaction() as session:
            rows = exemplary.year_checklist(session, self._ward_id, self.current_year())
        return rows, Progress.of(self.current_year(), rows)

    def refresh(self, select_criterion: int | None = None) -> None:
        super().refresh()
        if select_criterion is not None:
            self._select(select_criterion)

    def _refreshed(self, rows: list[ChecklistRow], progress: Progress) -> None:
        self.empty_hint.setVisible(not rows)
        self.status_message.emit(tr("Năm {year}: {summary}").format(year=progress.year, summary=progress.summary))

    def _show_summary(self, progress: Progress) -> None:
        self.progress_bar.setRange(0, max(progress.total, 1))
        self.progress_bar.setValue(progress.met)
        counts = progress.by_status
        self.progress_label.setText(tr("{summary} · đang thực hiện {doing} · chưa đạt {not_yet}").format(
            summary=progress.summary, doing=counts[CriterionStatus.DANG_THUC_HIEN],
            not_yet=counts[CriterionStatus.CHUA_DAT]) if progress.total else progress.summary)

    def _select(self, criterion_id: int) -> None:
        for number, row in enumerate(self.model.rows):
            if row.criterion_id == criterion_id:
                self.table.selectRow(number)
                return

    def _one_selected(self) -> ChecklistRow | None:
        numbers = self.table.selected_row_numbers()
        if len(numbers) != 1:
            self.status_message.emit(tr("Hãy chọn một tiêu chí trong bảng."))
            return None
        return self.model.rows[numbers[0]]

    def _write(self, work, select_criterion: int | None = None):
        """Run ``work(session)`` (a refusal is shown in a box), then reload the whole list."""
        done = attempt(self, lambda: self._db.run(work))
        self.refresh(select_criterion)
        return done

    # ---- the year's results ----------------------------------------------------------------------

    def _save_edit(self, row: ChecklistRow, column: int, value) -> bool:
        status, evidence, note = row.status, row.evidence, row.note
        if column == STATUS_COLUMN:
            status = CriterionStatus(value)
        elif column == EVIDENCE_COLUMN:
            evidence = value
        else:
            note = value
        year = self.current_year()
        return self._save_in_place(
            lambda session: exemplary.set_status(session, row.criterion_id, year, status, evidence, note,
                                                 current_actor(), row.expected_version),
            tr("Đã lưu kết quả năm {year} của tiêu chí {code}.").format(year=year, code=row.code))

    # ---- the list of criteria --------------------------------------------------------------------

    def _groups(self) -> list[str]:
        return list(dict.fromkeys(row.group_title for row in self.model.rows if row.group_title))

    def add_criterion(self) -> None:
        added: list[int] = []

        def save(data: CriterionInput) -> None:
            with self._db.transaction() as session:
                added.append(exemplary.add_criterion(session, self._ward_id, data, current_actor()))

        if CriterionDialog(save, self._groups(), parent=self).exec():
            self.refresh(added[-1])

    def edit_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        with self._db.transaction() as session:
            current = next((c for c in exemplary.criteria(session, self._ward_id) if c.id == row.criterion_id), None)
        if current is None:
            self.refresh()
            return

        def save(data: CriterionInput) -> None:
            with self._db.transaction() as session:
                exemplary.update_criterion(session, current.id, data, current_actor(), current.version)

        if CriterionDialog(save, self._groups(), current, self).exec():
            self.refresh(current.id)

    def _edit_on_double_click(self, index) -> None:
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.edit_selected()

    def delete_selected(self) -> None:
        row = self._one_selected()
        if row is not None and confirm(self, tr("Xoá tiêu chí"), tr("Xoá tiêu chí {code} \u201c{title}\u201d?").format(
                code=row.code, title=row.title)):
            self._write(lambda session: exemplary.delete_criterion(session, row.criterion_id))

    def move_selected(self, step: int) -> None:
        row = self._one_selected()
        if row is not None:
            self._write(lambda session: exemplary.move_criterion(session, row.criterion_id, step, current_actor()),
                        row.criterion_id)

    def import_from_excel(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("Nhập danh sách tiêu chí từ Excel"), "",
                                                    tr("Tệp Excel (*.xlsx *.xlsm)"))
        if not path:
            return
        if self.model.rows and not confirm(self, tr("Nhập từ Excel"), IMPORT_RULE + "\n\n" + tr("Tiếp tục nhập?")):
            return
        result = self._write(lambda session: exemplary.import_criteria(session, self._ward_id, path, current_actor()))
        if result is not None:
            self.status_message.emit(result.summary)
