"""The "Mô hình" page: the movement's models, their grade of the year, the year's target.

A grade chosen in the table is saved at once (the levels are the setting "models.levels");
models are added and corrected in a dialog, dissolved with a date and a reason (kept, never
deleted), and reactivated when dissolved by mistake.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
)

from antq_desktop.domain import vntext
from antq_desktop.domain.models_movement import GradeLevel
from antq_desktop.domain.units import UnitStatus
from antq_desktop.i18n import tr
from antq_desktop.services import security_models
from antq_desktop.services import units as unit_service
from antq_desktop.services.security_models import ModelInput, ModelRow, ModelTarget
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.editable_table import ChoiceDelegate, EditableColumn, YearTablePage
from antq_desktop.ui.forms import SavingDialog, add_buttons, date_edit, save_buttons
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.row_table import Column

NOT_GRADED = ""  # the combo's value for "no grade"
NO_COUNT = -1    # a count box at its minimum: not recorded
GRADE_COLUMN, NOTE_COLUMN = 6, 7


def _sizes(row: ModelRow) -> str:
    parts = [f"{row.sites} điểm" if row.sites is not None else "", f"{row.teams} tổ" if row.teams is not None else "",
             f"{vntext.format_number(row.members)} thành viên" if row.members is not None else ""]
    return " · ".join(part for part in parts if part)


COLUMNS = (
    Column(tr("Tên mô hình"), lambda r: r.name),
    Column(tr("Loại"), lambda r: r.kind),
    Column(tr("Đơn vị chủ trì"), lambda r: r.host_names or tr("Toàn địa bàn")),
    Column(tr("Bắt đầu"), lambda r: vntext.format_date(r.started_on), lambda r: r.started_on or date.min),
    Column(tr("Quy mô"), _sizes, lambda r: r.members or 0),
    Column(tr("Tình trạng"), lambda r: r.status),
    EditableColumn(tr("Xếp loại năm"), lambda r: r.grade_label or tr("Chưa xếp loại"), lambda r: r.grade_label,
                   lambda r: r.grade or NOT_GRADED),
    EditableColumn(tr("Ghi chú xếp loại"), lambda r: r.grade_note, None, lambda r: r.grade_note),
)


# ---- dialogs -----------------------------------------------------------------------------------

def _count_box(value: int | None) -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_COUNT, security_models.COUNT_MAX)
    box.setSpecialValueText(tr("Không ghi"))
    box.setValue(NO_COUNT if value is None else value)
    return box


def _count(box: QSpinBox) -> int | None:
    return None if box.value() == NO_COUNT else box.value()


class UnitChecklist(QVBoxLayout):
    """The register's units as a checklist, with a search box that hides the others."""

    def __init__(self, units: list[tuple[int, str]], checked: set[int]):
        super().__init__()
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm đơn vị (gõ không dấu cũng được)"))
        self.search.textChanged.connect(self._filter)
        self.list = QListWidget()
        self.list.setMinimumHeight(140)
        self.chosen = QLabel()
        self.chosen.setWordWrap(True)
        # the chosen units first, so an edit shows them without scrolling
        for unit_id, name in sorted(units, key=lambda unit: unit[0] not in checked):
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, unit_id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if unit_id in checked else Qt.CheckState.Unchecked)
            self.list.addItem(item)
        self.list.itemChanged.connect(lambda _item: self._show_chosen())
        self._show_chosen()
        self.addWidget(self.search)
        self.addWidget(self.list)
        self.addWidget(self.chosen)

    def _show_chosen(self) -> None:
        items = (self.list.item(number) for number in range(self.list.count()))
        names = [item.text() for item in items if item.checkState() == Qt.CheckState.Checked]
        self.chosen.setText(tr("Đã chọn {n}: {names}").format(n=len(names), names=", ".join(names)) if names
                            else tr("Chưa chọn đơn vị nào (mô hình của toàn địa bàn)."))

    def _filter(self, text: str) -> None:
        wanted = vntext.search_key(text)
        for number in range(self.list.count()):
            item = self.list.item(number)
            item.setHidden(bool(wanted) and wanted not in vntext.search_key(item.text()))

    def checked_ids(self) -> tuple[int, ...]:
        items = (self.list.item(number) for number in range(self.list.count()))
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in items
                     if item.checkState() == Qt.CheckState.Checked)

    def set_checked(self, unit_ids: set[int]) -> None:
        for number in range(self.list.count()):
            item = self.list.item(number)
            item.setCheckState(Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole) in unit_ids
                               else Qt.CheckState.Unchecked)


class ModelDialog(SavingDialog):
    """Add or correct a model: name, kind, host units, start, size, description."""

    def __init__(self, save: Callable, kinds: list[str], units: list[tuple[int, str]],
                 initial: ModelInput | None = None, parent=None):
        super().__init__(save, parent)
        initial = initial or ModelInput("")
        self.setWindowTitle(tr("Sửa mô hình") if initial.name else tr("Thêm mô hình"))
        self.name = QLineEdit(initial.name)
        self.name.setMaxLength(security_models.NAME_MAX)
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems([""] + kinds)
        self.kind.setCurrentText(initial.kind)
        self.has_start = QCheckBox(tr("Có ngày bắt đầu"))
        self.started_on = date_edit(initial.started_on)
        self.has_start.toggled.connect(self.started_on.setEnabled)
        self.has_start.setChecked(initial.started_on is not None)
        self.started_on.setEnabled(initial.started_on is not None)
        self.sites, self.teams, self.members = (_count_box(v) for v in (initial.sites, initial.teams, initial.members))
        self.hosts = UnitChecklist(units, set(initial.unit_ids))
        self.description = QPlainTextEdit(initial.description)
        self.description.setFixedHeight(70)
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(620, 640)

    def _form(self) -> QFormLayout:
        start = QHBoxLayout()
        start.addWidget(self.has_start)
        start.addWidget(self.started_on)
        start.addStretch(1)
        sizes = QHBoxLayout()
        for label, box in ((tr("Số điểm"), self.sites), (tr("Số tổ"), self.teams), (tr("Thành viên"), self.members)):
            sizes.addWidget(QLabel(label))
            sizes.addWidget(box)
        form = QFormLayout()
        form.addRow(tr("Tên mô hình"), self.name)
        form.addRow(tr("Loại mô hình"), self.kind)
        form.addRow(tr("Bắt đầu"), start)
        form.addRow(tr("Quy mô"), sizes)
        form.addRow(tr("Đơn vị chủ trì\n(bỏ trống: toàn địa bàn)"), self.hosts)
        form.addRow(tr("Mô tả, hiệu quả"), self.description)
        return form

    def typed(self) -> ModelInput:
        started = self.started_on.date().toPython() if self.has_start.isChecked() else None
        return ModelInput(self.name.text(), self.kind.currentText(), self.hosts.checked_ids(), started,
                          _count(self.sites), _count(self.teams), _count(self.members),
                          self.description.toPlainText())


class DissolveDialog(SavingDialog):
    """The date and the reason of a dissolution; the save hands over ``(date, reason)``."""

    def __init__(self, save: Callable, name: str, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Giải thể mô hình"))
        self.on = date_edit()
        self.reason = QPlainTextEdit()
        self.reason.setPlaceholderText(tr("Ví dụ: hoạt động không hiệu quả, không còn thành viên tham gia."))
        note = QLabel(tr("Mô hình \u201c{name}\u201d được giữ lại cùng các lần xếp loại; từ năm sau năm giải thể "
                         "sẽ không xếp loại được nữa.").format(name=name))
        note.setWordWrap(True)
        form = QFormLayout()
        form.addRow(tr("Ngày giải thể"), self.on)
        form.addRow(tr("Lý do"), self.reason)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Giải thể"))
        self.resize(480, 260)

    def typed(self) -> tuple[date, str]:
        return self.on.date().toPython(), self.reason.toPlainText()


# ---- the page ----------------------------------------------------------------------------------

class ModelsPage(YearTablePage):
    def _build(self) -> None:
        self._levels = self._read_levels()
        self._make_table(COLUMNS, lambda row: row.id, (230, 170, 190, 90, 170, 160, 130), "models", GRADE_COLUMN,
                         self._choices())
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.show_old = QCheckBox(tr("Hiện cả mô hình đã giải thể những năm trước"))
        self.show_old.toggled.connect(lambda _on: self.refresh())
        self.target = QLabel()
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._year_bar(tr("Năm"), self.target))
        layout.addLayout(self._buttons())
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)
        self.table.doubleClicked.connect(self._edit_on_double_click)

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons = add_buttons(row, (("add", tr("Thêm mô hình…"), self.add_model),
                                ("edit", tr("Sửa…"), self.edit_selected),
                                ("dissolve", tr("Giải thể…"), self.dissolve_selected),
                                ("reactivate", tr("Khôi phục hoạt động"), self.reactivate_selected)))
        row.addStretch(1)
        row.addWidget(self.show_old)
        return row

    def _read_levels(self) -> tuple[GradeLevel, ...]:
        return self._db.run(lambda session: security_models.model_levels(session, self._ward_id))

    def _choices(self) -> list[tuple[str, str]]:
        return [(tr("Chưa xếp loại"), NOT_GRADED)] + [(level.label, level.code) for level in self._levels]

    # ---- data ------------------------------------------------------------------------------------

    def _load(self) -> tuple[list[ModelRow], tuple[ModelTarget, dict]]:
        year = self.current_year()
        with self._db.transaction() as session:
            rows = security_models.year_models(session, self._ward_id, year,
                                               with_old_dissolved=self.show_old.isChecked())
            figures = security_models.models_stats(session, self._ward_id, year)
        return rows, (ModelTarget(year, figures["kha_or_above"], figures["target_kha_or_above"]), figures)

    def refresh(self, select_model: int | None = None) -> None:
        levels = self._read_levels()
        if levels != self._levels:  # the administrator changed the levels meanwhile
            self._levels = levels
            self.table.setItemDelegateForColumn(GRADE_COLUMN, ChoiceDelegate(self._choices(), self.table))
        super().refresh()
        for number, row in enumerate(self.model.rows):
            editor = self.table.indexWidget(self.model.index(number, GRADE_COLUMN))
            if editor is not None:
                editor.setEnabled(row.gradable)
        if select_model is not None:
            self._select(select_model)

    def _show_summary(self, summary: tuple[ModelTarget, dict]) -> None:
        target, figures = summary
        colour = "#1b5e20" if target.met else "#b00020"
        self.target.setText(f"<b style='color:{colour}'>{target.summary}</b>")
        by_level = " · ".join(f"{figures['level_labels'].get(code, code)}: {n}" for code, n in figures["by_level"].items())
        self.counts.setText(tr("Năm {year}: {total} mô hình tham gia ({active} còn hoạt động cuối năm, {dissolved} "
                               "giải thể trong năm) · đã xếp loại {graded}, chưa xếp loại {ungraded}\n{by_level}").format(
            year=figures["year"], total=figures["total"], active=figures["active"],
            dissolved=figures["dissolved_this_year"], graded=figures["graded"], ungraded=figures["ungraded"],
            by_level=by_level))

    def _refreshed(self, rows: list[ModelRow], summary: tuple[ModelTarget, dict]) -> None:
        self.status_message.emit(tr("Năm {year}: {summary}").format(year=self.current_year(),
                                                                      summary=summary[0].summary))

    def _select(self, model_id: int) -> None:
        for number, row in enumerate(self.model.rows):
            if row.id == model_id:
                self.table.selectRow(number)
                return

    def _one_selected(self) -> ModelRow | None:
        numbers = self.table.selected_row_numbers()
        if len(numbers) != 1:
            self.status_message.emit(tr("Hãy chọn một mô hình trong bảng."))
            return None
        return self.model.rows[numbers[0]]

    # ---- the year's grade ------------------------------------------------------------------------

    def _save_edit(self, row: ModelRow, column: int, value) -> bool:
        if column == GRADE_COLUMN:
            level = value or None
            note = row.grade_note if level else ""  # the service keeps no note without a grade
            if level is None and row.grade_note and not confirm(self, tr("Bỏ xếp loại"), tr(
                    "Bỏ xếp loại năm {year} của mô hình \u201c{name}\u201d? Ghi chú cũng bị xoá.").format(
                    year=self.current_year(), name=row.name)):
                self._reload_in_place()
                return False
        else:
            level, note = row.grade, value
        year = self.current_year()
        return self._save_in_place(
            lambda session: security_models.set_grade(session, row.id, year, level, note, current_actor(),
                                                      row.expected_grade_version),
            tr("Đã lưu xếp loại năm {year} của mô hình \u201c{name}\u201d.").format(year=year, name=row.name))

    # ---- the register of models ------------------------------------------------------------------

    def _units(self, extra: tuple = ()) -> list[tuple[int, str]]:
        """The active units of the register, and ``extra`` hosts (a unit merged since stays chosen)."""
        query = unit_service.UnitQuery(status=UnitStatus.ACTIVE)
        with self._db.transaction() as session:
            active = [(unit.id, unit.name) for unit in unit_service.list_units(session, self._ward_id, query)]
        known = {unit_id for unit_id, _name in active}
        return [(host.unit_id, host.name) for host in extra if host.unit_id not in known] + active

    def _kinds(self) -> list[str]:
        return self._db.run(lambda session: security_models.kind_suggestions(session, self._ward_id))

    def add_model(self) -> None:
        added: list[int] = []

        def save(data: ModelInput) -> None:
            with self._db.transaction() as session:
                added.append(security_models.add_model(session, self._ward_id, data, current_actor()))

        if ModelDialog(save, self._kinds(), self._units(), parent=self).exec():
            self.refresh(added[-1])
            self.status_message.emit(tr("Đã thêm mô hình."))

    def edit_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        current = attempt(self, lambda: self._db.run(
            lambda session: security_models.get_model(session, row.id, self.current_year())))
        if current is None:
            self.refresh()
            return

        def save(data: ModelInput) -> None:
            with self._db.transaction() as session:
                security_models.update_model(session, current.id, data, current_actor(), current.version)

        if ModelDialog(save, self._kinds(), self._units(current.hosts), current.as_input(), self).exec():
            self.refresh(current.id)
            self.status_message.emit(tr("Đã lưu mô hình \u201c{name}\u201d.").format(name=current.name))

    def _edit_on_double_click(self, index) -> None:
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.edit_selected()

    def dissolve_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        if row.dissolved:
            self.status_message.emit(tr("Mô hình \u201c{name}\u201d đã giải thể.").format(name=row.name))
            return

        def save(typed: tuple[date, str]) -> None:
            with self._db.transaction() as session:
                security_models.dissolve_model(session, row.id, typed[0], typed[1], current_actor(), row.version)

        dialog = DissolveDialog(save, row.name, self)
        dialog.on.setDate(QDate(min(date.today(), date(self.current_year(), 12, 31))))
        if dialog.exec():
            self.refresh(row.id)
            self.status_message.emit(tr("Đã ghi giải thể mô hình \u201c{name}\u201d.").format(name=row.name))

    def reactivate_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        question = tr("Khôi phục mô hình \u201c{name}\u201d (bỏ ngày và lý do giải thể đã ghi nhầm)?").format(
            name=row.name)
        if row.dissolved and not confirm(self, tr("Khôi phục hoạt động"), question):
            return

        def work() -> bool:
            self._db.run(
                lambda session: security_models.reactivate_model(session, row.id, current_actor(), row.version))
            return True

        done = attempt(self, work)
        self.refresh(row.id)
        if done:
            self.status_message.emit(tr("Đã khôi phục mô hình \u201c{name}\u201d.").format(name=row.name))
