"""Menu Tệp → Xuất bảng tổng hợp cuối năm… and Nhập bảng tổng hợp cuối năm… (services/workbook.py).

``ExportWorkbookDialog``: the year and the file; the export runs off the GUI thread with a
progress bar.

``ImportWorkbookDialog``: choose the filled file; it is read and checked off the GUI thread. A
file with faults shows them all in a table (sheet, row, column, what is wrong) that can be copied
and sent back to whoever filled it; nothing is written. Otherwise the preview: per sheet the rows
added, changed and unchanged, and every change (old → new). "Ghi vào dữ liệu" writes it in one
transaction (progress bar again) and says what was written; ``applied`` holds the result, so the
window can refresh its pages. An account that may not import (a "chỉ xem" one) is told so as
the dialog opens, in one sentence, and cannot choose a file.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.vntext import format_number
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import workbook
from antq_desktop.services.excel import Fault, FaultsError
from antq_desktop.services.tracking import current_actor
from antq_desktop.services.workbook import Applied, Exported, WorkbookPlan
from antq_desktop.ui.background import run_with_progress
from antq_desktop.ui.forms import (
    action_buttons,
    error_label,
    file_row,
    open_file_row,
    show_error,
    year_box,
)
from antq_desktop.ui.messages import confirm
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

FILTER = "Sổ làm việc Excel (*.xlsx)"
FAULT_WIDTHS = (150, 60, 170, 600)
SHEET_WIDTHS = (190, 60, 60, 90, 200)
CHANGE_WIDTHS = (150, 55, 60, 220, 600)


def suggested_name(year: int) -> str:
    return f"tong-hop-cuoi-nam-{year}.xlsx"


# ---- export ----------------------------------------------------------------------------------------

class ExportWorkbookDialog(QDialog):
    """Export a year of ``ward_id`` to a workbook for the officers to fill."""

    def __init__(self, db: Database, ward_id: int, year: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.exported: Exported | None = None  # what was written, once done
        self.setWindowTitle(tr("Xuất bảng tổng hợp cuối năm"))
        intro = QLabel(tr("Bảng tổng hợp là một tệp Excel có một trang cho mỗi phần việc của năm (đơn vị, đăng ký "
                          "và kết quả tiêu chí \u201cAn toàn về ANTT\u201d, điểm phân loại, kiểm tra, lực lượng, "
                          "tuyên truyền) để điền trong Excel hoặc LibreOffice rồi nhập lại. Các ô mã bị khoá; "
                          "chỉ sửa các ô nền trắng."))
        intro.setWordWrap(True)
        self.year = year_box()
        self.year.setValue(year or date.today().year)
        self.year.valueChanged.connect(lambda _year: self._suggest_file())
        self.file_edit, chooser, _button = file_row(self.choose_file)
        self._suggest_file()
        self.error = error_label()
        buttons, self.export_button = action_buttons(self, "Xuất", self.export)
        form = QFormLayout()
        form.addRow(tr("Năm:"), self.year)
        form.addRow(tr("Lưu vào tệp:"), chooser)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 0)

    def _suggest_file(self) -> None:
        folder = Path(self.file_edit.text()).parent if self.file_edit.text() else Path.home()
        self.file_edit.setText(str(folder / suggested_name(self.year.value())))

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, tr("Lưu bảng tổng hợp"), self.file_edit.text(), tr(FILTER))
        if path:
            self.file_edit.setText(path if path.lower().endswith(".xlsx") else path + ".xlsx")

    def export(self) -> Exported | None:
        text = self.file_edit.text().strip()
        if not text:
            show_error(self.error, tr("Hãy chọn nơi lưu bảng tổng hợp."))
            return None
        path = Path(text)
        if path.suffix.lower() != ".xlsx":
            show_error(self.error, tr("Tên tệp phải có đuôi .xlsx."))
            return None
        if path.exists() and not confirm(self, tr("Ghi đè tệp?"), tr(
                "Tệp {name} đã có (có thể là bản đã điền). Ghi đè lên tệp này?").format(name=path.name)):
            return None
        db, ward_id, year = self._db, self._ward_id, self.year.value()

        def job(progress):
            with db.reading() as session:
                return workbook.export_year(session, ward_id, year, path, progress)

        try:
            exported, _cancelled = run_with_progress(self, tr("Đang xuất bảng tổng hợp…"), job)
        except workbook.Cancelled:
            show_error(self.error, tr("Đã huỷ; chưa ghi tệp nào."))
            return None
        except UserError as error:
            show_error(self.error, error.message)
            return None
        self.exported = exported
        QMessageBox.information(self, tr("Đã xuất bảng tổng hợp"), exported.summary)
        self.accept()
        return exported


# ---- import ----------------------------------------------------------------------------------------

def _fault_model(parent) -> RowTableModel:
    return RowTableModel((
        Column(tr("Trang"), lambda fault: fault.sheet or tr("(cả tệp)")),
        Column(tr("Dòng"), lambda fault: str(fault.row) if fault.row else "", lambda fault: (fault.sheet, fault.row)),
        Column(tr("Cột"), lambda fault: fault.column_name),
        Column(tr("Lỗi"), lambda fault: fault.message),
    ), parent)


def _sheet_model(parent) -> RowTableModel:
    return RowTableModel((
        Column(tr("Trang"), lambda sheet: sheet.title),
        Column(tr("Thêm"), lambda sheet: format_number(sheet.added), lambda sheet: sheet.added),
        Column(tr("Sửa"), lambda sheet: format_number(sheet.changed), lambda sheet: sheet.changed),
        Column(tr("Giữ nguyên"), lambda sheet: format_number(sheet.unchanged), lambda sheet: sheet.unchanged),
        Column(tr("Không có trong tệp (giữ nguyên)"), lambda sheet: format_number(sheet.not_in_file),
               lambda sheet: sheet.not_in_file),
    ), parent)


def _change_model(parent) -> RowTableModel:
    return RowTableModel((
        Column(tr("Trang"), lambda entry: entry[0]),
        Column(tr("Dòng"), lambda entry: str(entry[1].row), lambda entry: (entry[0], entry[1].row)),
        Column(tr("Việc"), lambda entry: tr("Thêm") if entry[1].added else tr("Sửa")),
        Column(tr("Bản ghi"), lambda entry: entry[1].label),
        Column(tr("Thay đổi"), lambda entry: "; ".join(
            f"{change.header}: {change.new}" if entry[1].key is None
            else f"{change.header}: {change.old} → {change.new}" for change in entry[1].changes)),
    ), parent)


class ImportWorkbookDialog(QDialog):
    """Choose a filled workbook, see its faults or what it changes, write it."""

    def __init__(self, db: Database, ward_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.plan: WorkbookPlan | None = None
        self.faults: list[Fault] = []
        self.applied: Applied | None = None  # once written
        self.setWindowTitle(tr("Nhập bảng tổng hợp cuối năm"))

        self.file_edit, chosen_row, self.choose_button = open_file_row("Tệp đã điền:", self.choose_file)
        self.summary = QLabel(tr("Hãy chọn tệp bảng tổng hợp (.xlsx) đã xuất từ chương trình và điền xong. "
                                 "Chương trình kiểm tra toàn bộ tệp và cho xem trước các thay đổi; chưa ghi gì "
                                 "cho đến khi bấm \u201cGhi vào dữ liệu\u201d."))
        self.summary.setWordWrap(True)
        self.error = error_label()

        self.fault_model = _fault_model(self)
        self.fault_table = RecordTable(self.fault_model, FAULT_WIDTHS, "workbook_dialog/faults", self)
        self.copy_button = QPushButton(tr("Chép danh sách lỗi"))
        self.copy_button.clicked.connect(self.copy_faults)
        self.sheet_model = _sheet_model(self)
        self.sheet_table = RecordTable(self.sheet_model, SHEET_WIDTHS, "workbook_dialog/sheets", self)
        self.change_model = _change_model(self)
        self.change_table = RecordTable(self.change_model, CHANGE_WIDTHS, "workbook_dialog/changes", self)
        self.note = QLabel(tr(workbook.DELETED_ROWS_NOTE))
        self.note.setWordWrap(True)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(tr("Đóng"))
        self.apply_button: QPushButton = buttons.addButton(tr("Ghi vào dữ liệu"), QDialogButtonBox.ButtonRole.ActionRole)
        self.apply_button.clicked.connect(self.apply)
        buttons.rejected.connect(self.reject)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)

        layout = QVBoxLayout(self)
        layout.addLayout(chosen_row)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(self.fault_table, 1)
        layout.addWidget(self.sheet_table)
        layout.addWidget(self.change_table, 1)
        layout.addWidget(self.note)
        layout.addStretch(0)  # takes the room of the tables while none is shown (the text stays at the top)
        layout.addWidget(buttons)
        self._show(faults=False, preview=False)
        self.resize(1000, 620)
        self.refusal = self._refusal()
        if self.refusal:
            show_error(self.error, self.refusal)
            self.summary.hide()  # "choose a file…" is not for this account
            self.choose_button.setEnabled(False)

    def _refusal(self) -> str:
        """Why this account may not import ("chỉ xem"): said as the dialog opens, not after choosing."""
        try:
            with self._db.reading() as session:
                workbook.check_may_import(session)
        except UserError as error:
            return error.message
        return ""

    def _show(self, faults: bool, preview: bool) -> None:
        self.fault_table.setVisible(faults)
        self.copy_button.setVisible(faults)
        for widget in (self.sheet_table, self.change_table, self.note):
            widget.setVisible(preview)
        self.apply_button.setEnabled(preview and self.plan is not None and self.plan.has_changes
                                     and self.applied is None)

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("Chọn bảng tổng hợp đã điền"), str(Path.home()),
                                                    tr(FILTER))
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> WorkbookPlan | None:
        """Read and check the file off the GUI thread; show its faults, or what it would change."""
        self.file_edit.setText(str(path))
        self.plan, self.faults, self.applied = None, [], None
        show_error(self.error, "")
        self._show(faults=False, preview=False)
        db, ward_id = self._db, self._ward_id

        def job(progress):
            with db.reading() as session:
                return workbook.read_workbook(session, ward_id, path, progress)

        try:
            plan, _cancelled = run_with_progress(self, tr("Đang đọc và kiểm tra bảng tổng hợp…"), job)
        except FaultsError as refused:
            self._show_faults(refused.faults, tr("Tệp có {n} lỗi nên chưa ghi gì vào dữ liệu. Hãy sửa các ô dưới "
                                                 "đây trong tệp rồi nhập lại.").format(
                n=format_number(len(refused.faults))))
            return None
        except workbook.Cancelled:
            self.summary.setText(tr("Đã huỷ việc đọc tệp; chưa ghi gì."))
            return None
        except UserError as error:
            show_error(self.error, error.message)
            return None
        self.plan = plan
        self._show_plan(plan)
        return plan

    def _show_faults(self, faults: list[Fault], heading: str) -> None:
        self.faults = list(faults)
        self.fault_model.set_rows(self.faults)
        self.fault_table.resizeRowsToContents()
        self.summary.setText(heading)
        self.summary.setStyleSheet("color: #b00020; font-weight: bold;")
        self._show(faults=True, preview=False)

    def _show_plan(self, plan: WorkbookPlan) -> None:
        self.sheet_model.set_rows(list(plan.sheets))
        table = self.sheet_table  # every sheet's line in view, the changes below take the rest
        table.setFixedHeight(table.horizontalHeader().sizeHint().height() + 2 * table.frameWidth()
                             + len(plan.sheets) * table.verticalHeader().defaultSectionSize())
        self.change_model.set_rows([(sheet.title, op) for sheet in plan.sheets for op in sheet.ops])
        self.summary.setText(plan.summary_lines()[0])
        self.summary.setStyleSheet("font-weight: bold;")
        self._show(faults=False, preview=True)

    def copy_faults(self) -> None:
        """Every fault, one a line, for the person who filled the file."""
        lines = [self.summary.text(), *(fault.line for fault in self.faults)]
        QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")

    def apply(self) -> Applied | None:
        plan = self.plan
        if plan is None or not plan.has_changes:
            return None
        db, actor = self._db, current_actor()

        def job(progress):
            with db.transaction() as session:  # one transaction: a refused row leaves nothing written
                return workbook.apply(session, plan, actor, progress)

        try:
            applied, _cancelled = run_with_progress(self, tr("Đang ghi vào dữ liệu…"), job)
        except FaultsError as refused:
            self._show_faults(refused.faults, tr("Không ghi được: {n} dòng bị từ chối nên chưa ghi gì vào dữ liệu "
                                                 "(có thể ai đó vừa sửa các bản ghi này). Hãy xuất lại bảng tổng "
                                                 "hợp.").format(n=format_number(len(refused.faults))))
            return None
        except workbook.Cancelled:
            self.summary.setText(tr("Đã huỷ; chưa ghi gì vào dữ liệu."))
            return None
        except UserError as error:
            show_error(self.error, error.message)
            return None
        self.applied = applied
        self.apply_button.setEnabled(False)
        self.summary.setText(applied.summary)
        self.summary.setStyleSheet("font-weight: bold; color: #1b5e20;")
        QMessageBox.information(self, tr("Đã ghi bảng tổng hợp"), applied.summary)
        return applied


# ---- the entry points of the window's menu -----------------------------------------------------------

def export_workbook(parent: QWidget, db: Database, ward_id: int, year: int | None = None) -> Exported | None:
    """Tệp → Xuất bảng tổng hợp cuối năm…: what was written, or None."""
    dialog = ExportWorkbookDialog(db, ward_id, year, parent)
    dialog.exec()
    return dialog.exported


def import_workbook(parent: QWidget, db: Database, ward_id: int) -> Applied | None:
    """Tệp → Nhập bảng tổng hợp cuối năm…: what was written (refresh the pages), or None."""
    dialog = ImportWorkbookDialog(db, ward_id, parent)
    dialog.exec()
    return dialog.applied
