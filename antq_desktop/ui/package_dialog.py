"""Menu Tệp → Xuất gói dữ liệu… and Nhập gói dữ liệu… (services/package.py).

``ExportPackageDialog``: which ward (the page's, or the one chosen in the province view), every
year or one, the file; the export runs off the GUI thread with a progress bar.

``ImportPackageDialog``: choose the file; the dialog shows what the package holds (ward, years,
counts, exported when and by which version) and what importing does here: adds a ward, or
REPLACES the ward's data (said plainly, asked again before anything is written); then the import
runs off the GUI thread in one transaction, and the dialog says what changed. ``imported`` holds
the :class:`~antq_desktop.services.package.ImportResult` once done, so the window can refresh
(the home ward's pages, when it was the one replaced).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import package, province
from antq_desktop.services.package import ImportResult, ImportTarget, PackageInfo
from antq_desktop.services.tracking import current_actor
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

FILTER = "Gói dữ liệu ANTQ (*.antq);;Mọi tệp (*)"
CHOOSE = "Hãy chọn tệp gói dữ liệu (đuôi .antq) được xuất từ ANTQ Desktop ở máy khác."


def _size_text(size: int) -> str:
    return (f"{vntext.format_number(size / 1024, 0)} KB" if size < 1 << 20
            else f"{vntext.format_number(size / (1 << 20), 1)} MB")


# ---- export ----------------------------------------------------------------------------------------

class ExportPackageDialog(QDialog):
    """Export one ward of ``db`` (``ward_id``) to a package file."""

    def __init__(self, db: Database, ward_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.info: PackageInfo | None = None  # what was written, once done
        with db.reading() as session:
            wards = {entry.id: entry for entry in province.wards(session)}
        ward = wards[ward_id]
        self._ward_name = ward.name
        self.setWindowTitle(tr("Xuất gói dữ liệu"))

        intro = QLabel(tr("Gói dữ liệu là một tệp chứa toàn bộ dữ liệu của {ward} ({province}) để chép sang máy "
                          "khác hoặc gửi lên tỉnh. Tài khoản người dùng và nhật ký thay đổi không nằm trong gói.")
                       .format(ward=ward.title, province=ward.province))
        intro.setWordWrap(True)
        self.all_years = QRadioButton(tr("Tất cả các năm"))
        self.one_year = QRadioButton(tr("Một năm:"))
        self.all_years.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.all_years)
        group.addButton(self.one_year)
        self.year = year_box()
        self.year.setEnabled(False)
        self.one_year.toggled.connect(self.year.setEnabled)
        self.one_year.toggled.connect(lambda _on: self._suggest_file())
        self.year.valueChanged.connect(lambda _year: self._suggest_file())
        note = QLabel(tr("Gói một năm gồm số liệu của năm đó cùng danh sách đơn vị, lực lượng, mô hình."))
        note.setWordWrap(True)
        years = QHBoxLayout()
        years.addWidget(self.all_years)
        years.addWidget(self.one_year)
        years.addWidget(self.year)
        years.addStretch(1)

        self.file_edit, chooser, _button = file_row(self.choose_file)
        self._suggest_file()

        self.error = error_label()
        buttons, self.export_button = action_buttons(self, "Xuất gói", self.export)

        form = QFormLayout()
        form.addRow(tr("Dữ liệu:"), years)
        form.addRow("", note)
        form.addRow(tr("Lưu vào tệp:"), chooser)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 0)

    def chosen_year(self) -> int | None:
        return self.year.value() if self.one_year.isChecked() else None

    def _suggest_file(self) -> None:
        current = Path(self.file_edit.text()) if self.file_edit.text() else Path.home()
        folder = current.parent if self.file_edit.text() else current
        self.file_edit.setText(str(folder / package.suggested_name(self._ward_name, self.chosen_year())))

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(self, tr("Lưu gói dữ liệu"), self.file_edit.text(), tr(FILTER))
        if path:
            self.file_edit.setText(path if path.lower().endswith(package.SUFFIX) else path + package.SUFFIX)

    def export(self) -> None:
        text = self.file_edit.text().strip()
        if not text:
            show_error(self.error, tr("Hãy chọn nơi lưu gói dữ liệu."))
            return
        path = Path(text)
        overwrite = path.exists()
        if overwrite and not confirm(self, tr("Ghi đè tệp?"), tr("Tệp {name} đã có. Ghi đè lên tệp này?")
                                     .format(name=path.name)):
            return
        db, ward_id, year, actor = self._db, self._ward_id, self.chosen_year(), current_actor()

        def job(progress):
            with db.reading() as session:
                return package.export_package(session, path, actor, ward_id=ward_id, year=year,
                                              overwrite=overwrite, progress=progress)

        try:
            self.info, _cancelled = run_with_progress(self, tr("Đang xuất gói dữ liệu…"), job)
        except UserError as error:
            show_error(self.error, error.message)
            return
        QMessageBox.information(self, tr("Đã xuất gói dữ liệu"), tr(
            "Đã xuất {ward}, {scope}: {rows} bản ghi, {size}, vào tệp\n{file}").format(
            ward=self.info.ward_title, scope=self.info.scope_text, rows=vntext.format_number(self.info.total_rows),
            size=_size_text(self.info.size), file=path))
        self.accept()


# ---- import ----------------------------------------------------------------------------------------

class ImportPackageDialog(QDialog):
    """Choose a package, see what it holds and what importing does here, import it."""

    def __init__(self, db: Database, parent: QWidget | None = None):
        super().__init__(parent)
        self._db = db
        self.info: PackageInfo | None = None
        self.target: ImportTarget | None = None
        self.imported: ImportResult | None = None  # once done
        self.setWindowTitle(tr("Nhập gói dữ liệu"))

        self.file_edit, chosen_row, _button = open_file_row("Tệp gói dữ liệu:", self.choose_file)
        self.summary = QLabel(tr(CHOOSE))
        self.summary.setWordWrap(True)
        self.effect = QLabel()
        self.effect.setWordWrap(True)
        self.effect.hide()
        self.counts_label = QLabel(tr("Số bản ghi trong gói:"))
        self.counts = QListWidget()
        self.filler = QWidget()  # takes the room of the list while no package is shown
        self.filler.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Expanding)
        self._show_counts(False)
        self.error = error_label()

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(tr("Đóng"))
        self.import_button: QPushButton = buttons.addButton(tr("Nhập gói"), QDialogButtonBox.ButtonRole.ActionRole)
        self.import_button.setEnabled(False)
        self.import_button.clicked.connect(self.import_package)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(chosen_row)
        layout.addWidget(self.error)
        layout.addWidget(self.summary)
        layout.addWidget(self.effect)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.counts, 1)
        layout.addWidget(self.filler, 1)
        layout.addWidget(buttons)
        self.resize(680, 540)
        self.refusal = self._refusal()
        show_error(self.error, self.refusal)

    def _refusal(self) -> str:
        """Why this officer may not import (a cán bộ or a viewer is told at once, not after choosing)."""
        try:
            with self._db.reading() as session:
                package.check_may_import(session)
        except UserError as error:
            return error.message
        return ""

    def choose_file(self) -> None:
        path, _filter = QFileDialog.getOpenFileName(self, tr("Chọn gói dữ liệu"), str(Path.home()), tr(FILTER))
        if path:
            self.open_file(path)

    def open_file(self, path: str | Path) -> None:
        """Read and check the package; show what it holds and what importing would do."""
        self.file_edit.setText(str(path))
        self.info = self.target = None
        self.import_button.setEnabled(False)
        self.counts.clear()
        self._show_counts(False)
        self.effect.hide()
        try:
            info = package.describe(path)
            with self._db.reading() as session:
                target = package.import_target(session, info)
        except UserError as error:
            self.summary.setText(tr(CHOOSE))
            show_error(self.error, error.message)
            return
        self.info, self.target = info, target
        self.summary.setText("\n".join([tr("Gói dữ liệu này gồm:"), *info.summary_lines()]))
        self.counts.addItems(info.count_lines())
        self._show_counts(True)
        self.effect.setText("\n".join(target.lines(info)))
        self.effect.setStyleSheet("font-weight: bold; color: #8a1c1c;" if target.replaces else "font-weight: bold;")
        self.effect.show()
        show_error(self.error, self.refusal)
        self.import_button.setEnabled(not self.refusal)

    def _show_counts(self, shown: bool) -> None:
        self.counts_label.setVisible(shown)
        self.counts.setVisible(shown)
        self.filler.setVisible(not shown)

    def import_package(self) -> None:
        info, target = self.info, self.target
        if info is None or target is None:
            return
        if target.replaces and not confirm(self, tr("Thay dữ liệu?"), "\n\n".join([
                tr("Nhập gói này sẽ THAY dữ liệu đang có của {ward}.").format(ward=target.current_title),
                *target.lines(info)[1:], tr("Tiếp tục nhập?")])):
            return
        db, path = self._db, info.file

        def job(progress):
            with db.transaction() as session:
                return package.import_package(session, path, progress)

        try:
            self.imported, _cancelled = run_with_progress(self, tr("Đang nhập gói dữ liệu…"), job)
        except UserError as error:
            show_error(self.error, error.message)
            return
        self.import_button.setEnabled(False)
        self.counts_label.setText(tr("Các thay đổi:"))
        self.counts.clear()
        self.counts.addItems(self.imported.summary_lines()[1:])
        self.summary.setText(self.imported.summary_lines()[0])
        self.effect.setText(tr("Đã nhập xong. Dữ liệu đã được ghi vào tệp dữ liệu."))
        self.effect.setStyleSheet("font-weight: bold; color: #1b5e20;")
        show_error(self.error, "")


# ---- the entry points of the window's menu and the province page -------------------------------------

def export_package(parent: QWidget, db: Database, ward_id: int) -> PackageInfo | None:
    """Tệp → Xuất gói dữ liệu…: the package written, or None."""
    dialog = ExportPackageDialog(db, ward_id, parent)
    dialog.exec()
    return dialog.info


def import_package(parent: QWidget, db: Database) -> ImportResult | None:
    """Tệp → Nhập gói dữ liệu…: what was imported (refresh the pages), or None."""
    dialog = ImportPackageDialog(db, parent)
    dialog.exec()
    return dialog.imported
