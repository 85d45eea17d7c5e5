"""The ward's plan: the year's targets, the task table and the budget estimate, one tab each.

The task table and budget tabs are built the first time they are shown.
"""

from __future__ import annotations

from importlib import import_module

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import plan
from antq_desktop.i18n import tr
from antq_desktop.services import targets
from antq_desktop.services.targets import TargetInput, TargetRow
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.dashboard_page import centred_item, status_item
from antq_desktop.ui.forms import SavingDialog, add_buttons, save_buttons, year_box
from antq_desktop.ui.messages import attempt, attempt_write, confirm

# tab key, title, module in antq_desktop.ui, class (None: built here)
TABS = (("targets", "Chỉ tiêu", None, None),
        ("tasks", "Phân công nhiệm vụ", "tasks_page", "TasksPage"),
        ("budget", "Dự trù kinh phí", "budget_page", "BudgetPage"))


class PlanPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.tabs = QTabWidget()
        self.targets_panel = TargetsPanel(db, ward_id)
        self.targets_panel.status_message.connect(self.status_message)
        self.panels: dict[str, QWidget | None] = {"targets": self.targets_panel, "tasks": None, "budget": None}
        for key, title, _, _ in TABS:
            self.tabs.addTab(self.targets_panel if key == "targets" else QLabel(tr("Đang mở…")), tr(title))
        self.tabs.currentChanged.connect(self._tab_shown)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def _tab_shown(self, index: int) -> None:
        key, _, module, class_name = TABS[index]
        if self.panels[key] is None:
            panel = getattr(import_module(f"antq_desktop.ui.{module}"), class_name)(self._db, self._ward_id)
            panel.status_message.connect(self.status_message)
            self.panels[key] = panel
            self.tabs.blockSignals(True)  # replacing the stand-in must not re-enter here
            self.tabs.removeTab(index)
            self.tabs.insertTab(index, panel, tr(TABS[index][1]))
            self.tabs.setCurrentIndex(index)
            self.tabs.blockSignals(False)
        else:
            self.panels[key].refresh()

    def show_tab(self, key: str) -> QWidget:
        """Bring a tab forward (built if needed) and return its panel."""
        index = next(number for number, tab in enumerate(TABS) if tab[0] == key)
        if self.tabs.currentIndex() == index:
            self._tab_shown(index)
        else:
            self.tabs.setCurrentIndex(index)
        return self.panels[key]

    def refresh(self) -> None:
        self._tab_shown(self.tabs.currentIndex())

    def save_state(self) -> None:
        for panel in self.panels.values():
            if panel is not None:
                panel.save_state()


class TargetsPanel(QWidget):
    """The year's targets: computed from the records, or typed by hand; the standing ones when the
    plan does not cover the year."""

    status_message = Signal(str)
    COLUMNS = ("Chỉ tiêu", "Số liệu", "Mục tiêu", "Thực hiện", "Đánh giá", "Ghi chú")

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.rows: list[TargetRow] = []
        self.year = year_box()
        self.year.valueChanged.connect(lambda _: self.refresh())
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([tr(name) for name in self.COLUMNS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, 5):
            self.table.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.table.setColumnWidth(5, 200)
        self.table.itemActivated.connect(lambda _: self.edit_target())
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Năm")))
        top.addWidget(self.year)
        self.buttons = add_buttons(top, (
            ("start", tr("Lập chỉ tiêu cho năm này"), self.start_year),
            ("add", tr("Thêm chỉ tiêu…"), self.add_target),
            ("edit", tr("Sửa…"), self.edit_target),
            ("delete", tr("Xoá"), self.delete_target),
            ("copy", tr("Áp dụng cho các năm…"), self.copy_to_years),
        ))
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        self.refresh()

    def refresh(self) -> None:
        from antq_desktop.services import stats

        def load():
            with self._db.reading() as session:
                year = self.year.value()
                return (targets.has_plan(session, self._ward_id, year), targets.year_targets(session, self._ward_id, year),
                        stats.year_stats(session, self._ward_id, year))

        loaded = attempt(self, load)
        if loaded is None:
            return
        planned, self.rows, figures = loaded
        self._fill(figures.targets)
        self.note.setText((tr("Chỉ tiêu năm {year} theo kế hoạch. Chỉ tiêu \u201cTính từ dữ liệu\u201d do chương trình tính; "
                             "chỉ tiêu \u201cNhập tay\u201d thì nhập số thực hiện bằng nút Sửa.") if planned else
                          tr("Kế hoạch chưa đặt chỉ tiêu riêng cho năm {year}: đang dùng chỉ tiêu mặc định "
                             "(menu Cài đặt). Bấm \u201cLập chỉ tiêu cho năm này\u201d để đặt riêng.")).format(year=self.year.value()))
        self.buttons["start"].setEnabled(not planned)
        for key in ("add", "edit", "delete"):
            self.buttons[key].setEnabled(planned)

    def _fill(self, results) -> None:
        self.table.setRowCount(len(results))
        for row, (target, result) in enumerate(zip(self.rows, results, strict=True)):
            source = tr("Tính từ dữ liệu") if target.computed else tr("Nhập tay")
            cells = (QTableWidgetItem(result.name), QTableWidgetItem(source), centred_item(result.target_text),
                     centred_item(result.actual_text), status_item(result.status), QTableWidgetItem(target.notes))
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)

    def _selected(self) -> TargetRow | None:
        row = self.table.currentRow()
        return self.rows[row] if 0 <= row < len(self.rows) else None

    def _write(self, action, message: str) -> bool:
        if not attempt_write(self, self._db, action):
            return False
        self.refresh()
        self.status_message.emit(message)
        return True

    def start_year(self) -> None:
        year = self.year.value()
        self._write(lambda session: targets.start_year(session, self._ward_id, year, current_actor()),
                    tr("Đã lập chỉ tiêu năm {year} từ chỉ tiêu mặc định.").format(year=year))

    def _save_dialog(self, row: TargetRow | None) -> None:
        year = self.year.value()
        taken = {target.code for target in self.rows}

        def save(data: TargetInput):
            with self._db.transaction() as session:
                if row is None:
                    targets.add_target(session, self._ward_id, year, data, current_actor())
                else:
                    targets.update_target(session, row.id, data, current_actor(), expected_version=row.version)

        if TargetDialog(save, row, taken, self).exec():
            self.refresh()
            self.status_message.emit(tr("Đã lưu chỉ tiêu."))

    def add_target(self) -> None:
        self._save_dialog(None)

    def edit_target(self) -> None:
        row = self._selected()
        if row is None or row.id is None:
            return
        self._save_dialog(row)

    def delete_target(self) -> None:
        row = self._selected()
        if row is None or row.id is None or not confirm(self, tr("Xoá chỉ tiêu"),
                                                         tr("Xoá chỉ tiêu \u201c{name}\u201d khỏi năm {year}?")
                                                         .format(name=row.name, year=self.year.value())):
            return
        self._write(lambda session: targets.delete_target(session, row.id, row.version), tr("Đã xoá chỉ tiêu."))

    def copy_to_years(self) -> None:
        dialog = YearRangeDialog(self.year.value(), self)
        if not dialog.exec():
            return
        years = list(range(dialog.first.value(), dialog.last.value() + 1))
        year = self.year.value()
        if confirm(self, tr("Áp dụng chỉ tiêu"),
                   tr("Chỉ tiêu năm {year} sẽ thay cho chỉ tiêu của các năm {first}–{last} (số nhập tay không "
                      "chép sang). Tiếp tục?").format(year=year, first=years[0], last=years[-1])):
            self._write(lambda session: targets.copy_targets(session, self._ward_id, year, years, current_actor()),
                        tr("Đã áp dụng chỉ tiêu năm {year} cho các năm {first}–{last}.")
                        .format(year=year, first=years[0], last=years[-1]))

    def save_state(self) -> None:
        """Nothing to keep."""


class TargetDialog(SavingDialog):
    """One target: an indicator of the catalogue (computed or typed by hand) or one the ward adds."""

    OTHER = ""

    def __init__(self, save, row: TargetRow | None, taken: set[str], parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa chỉ tiêu") if row else tr("Thêm chỉ tiêu"))
        self.indicator = QComboBox()
        choices = [indicator for indicator in plan.INDICATORS if row is None and indicator.code not in taken]
        for indicator in choices:
            self.indicator.addItem(indicator.name, indicator.code)
        self.indicator.addItem(tr("Chỉ tiêu khác (nhập tay)…"), self.OTHER)
        if row is not None:
            self.indicator.clear()
            self.indicator.addItem(row.name, row.code)
            self.indicator.setEnabled(False)
        self.name = QLineEdit()
        self.unit = QComboBox()
        self.unit.addItem(tr("Tỷ lệ %"), plan.PERCENT)
        self.unit.addItem(tr("Số lượng"), plan.COUNT)
        self.comparison = QComboBox()
        self.comparison.addItem(tr("Ít nhất (≥)"), plan.AT_LEAST)
        self.comparison.addItem(tr("Nhiều nhất (≤)"), plan.AT_MOST)
        self.target = QSpinBox()
        self.target.setRange(0, 1_000_000)
        self.has_actual = QCheckBox(tr("Đã có số thực hiện"))
        self.actual = QSpinBox()
        self.actual.setRange(0, 1_000_000)
        self.notes = QPlainTextEdit()
        self.notes.setMaximumHeight(70)
        form = QFormLayout()
        form.addRow(tr("Chỉ tiêu"), self.indicator)
        form.addRow(tr("Tên in ra"), self.name)
        form.addRow(tr("Tính theo"), self.unit)
        form.addRow(tr("Yêu cầu"), self.comparison)
        form.addRow(tr("Mức chỉ tiêu"), self.target)
        actual_row = QHBoxLayout()
        actual_row.addWidget(self.has_actual)
        actual_row.addWidget(self.actual, 1)
        form.addRow(tr("Thực hiện (nhập tay)"), actual_row)
        form.addRow(tr("Ghi chú"), self.notes)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.indicator.currentIndexChanged.connect(lambda _: self._indicator_chosen())
        self.has_actual.toggled.connect(self.actual.setEnabled)
        if row is not None:
            self._show(row)
        self._indicator_chosen(keep_values=row is not None)
        self.resize(560, 0)

    def _show(self, row: TargetRow) -> None:
        self.name.setText(row.name)
        self.unit.setCurrentIndex(self.unit.findData(row.unit))
        self.comparison.setCurrentIndex(self.comparison.findData(row.comparison))
        self.target.setValue(row.target)
        self.has_actual.setChecked(row.actual is not None)
        self.actual.setValue(row.actual or 0)
        self.notes.setPlainText(row.notes)

    def _indicator_chosen(self, keep_values: bool = False) -> None:
        indicator = plan.BY_CODE.get(self.indicator.currentData())
        if indicator is not None and not keep_values:
            self.name.setText(indicator.name)
            self.unit.setCurrentIndex(self.unit.findData(indicator.unit))
            self.comparison.setCurrentIndex(self.comparison.findData(indicator.comparison))
            self.target.setValue(indicator.default_target or 0)
        self.unit.setEnabled(indicator is None)
        self.comparison.setEnabled(indicator is None)
        manual = indicator is None or not indicator.computed
        self.has_actual.setEnabled(manual)
        self.actual.setEnabled(manual and self.has_actual.isChecked())

    def typed(self) -> TargetInput:
        manual = self.has_actual.isEnabled() and self.has_actual.isChecked()
        return TargetInput(name=self.name.text(), unit=self.unit.currentData(),
                           comparison=self.comparison.currentData(), target=self.target.value(),
                           code=self.indicator.currentData() or "",
                           actual=self.actual.value() if manual else None, notes=self.notes.toPlainText())


class YearRangeDialog(QDialog):
    def __init__(self, year: int, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Áp dụng cho các năm"))
        self.first, self.last = year_box(), year_box()
        self.first.setValue(year)
        self.last.setValue(max(year, 2030))
        self.first.valueChanged.connect(lambda value: self.last.setMinimum(value))
        form = QFormLayout(self)
        form.addRow(tr("Từ năm"), self.first)
        form.addRow(tr("Đến năm"), self.last)
        form.addRow(save_buttons(self, "Áp dụng"))
