"""The "Khen thưởng" page: the year's awards to units, models and people, the candidates drawn from
the year's results, and the printed list (with a preview)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
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
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.models_movement import AwardForm
from antq_desktop.domain.units import UnitStatus
from antq_desktop.i18n import tr
from antq_desktop.reports.award_list import list_title, render_award_list
from antq_desktop.services import awards, core_forces
from antq_desktop.services import security_models as model_service
from antq_desktop.services import units as unit_service
from antq_desktop.services.awards import AwardInput, AwardRow, Candidate
from antq_desktop.services.core_forces import MemberRow
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import (
    SavingDialog,
    add_buttons,
    date_edit,
    save_buttons,
    year_box,
)
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

COLUMNS = (
    Column(tr("Tên đơn vị, cá nhân"), lambda r: r.recipient),
    Column(tr("Đối tượng"), lambda r: tr("Cá nhân") if r.to_person else tr("Tập thể")),
    Column(tr("Hình thức"), lambda r: r.form_shown),
    Column(tr("Cấp khen"), lambda r: r.level),
    Column(tr("Số, ngày quyết định"), lambda r: r.decision or tr("Chưa có quyết định"),
           lambda r: (r.decision_date or date.max, r.decision_number)),
    Column(tr("Thành tích"), lambda r: r.reason),
)


def _level_box(suggestions: list[str], current: str) -> QComboBox:
    box = QComboBox()
    box.setEditable(True)
    box.addItems(suggestions)
    box.setCurrentText(current or (suggestions[0] if suggestions else ""))
    return box


# ---- dialogs -----------------------------------------------------------------------------------

class AwardDialog(SavingDialog):
    """Add or correct an award: to a unit, to a model (with its host unit if it has one), or to a
    person (with the person's unit if known), picked from the core forces or typed by hand.

    ``models`` are ``(model id, name, first host unit id or None)``; ``members`` the core-force
    members to pick from."""

    def __init__(self, save: Callable, units: list[tuple[int, str]], levels: list[str],
                 initial: AwardInput | None = None, parent=None, *,
                 models: list[tuple[int, str, int | None]] = (), members: list[MemberRow] = ()):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa khen thưởng") if initial else tr("Thêm khen thưởng"))
        initial = initial or AwardInput(AwardForm.GIAY_KHEN, "", "")
        self._member_id = initial.member_id
        self.to_unit, self.to_model = QRadioButton(tr("Tập thể (đơn vị)")), QRadioButton(tr("Mô hình"))
        self.to_person = QRadioButton(tr("Cá nhân"))
        self._kinds = QButtonGroup(self)
        for button in (self.to_unit, self.to_model, self.to_person):
            self._kinds.addButton(button)
        self.unit = QComboBox()
        self.unit.addItem(tr("(Không ghi đơn vị)"), None)
        for unit_id, name in units:
            self.unit.addItem(name, unit_id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(initial.unit_id)))
        self._model_hosts = {model_id: host for model_id, _name, host in models}
        self.model = QComboBox()
        for model_id, name, _host in models:
            self.model.addItem(name, model_id)
        self.model.setCurrentIndex(max(0, self.model.findData(initial.model_id)))
        self.model.currentIndexChanged.connect(lambda _number: self._model_chosen())
        self.to_model.setEnabled(bool(models))
        self.person_name = QLineEdit(initial.person_name)
        self.person_name.textEdited.connect(self._name_typed)
        self.person_title = QLineEdit(initial.person_title)
        self.person_title.setPlaceholderText(tr("Ví dụ: Tổ trưởng Tổ bảo vệ an ninh, trật tự tổ dân phố 3"))
        self._members = {member.id: member for member in members}
        self.member = QComboBox()
        self.member.addItem(tr("(Không chọn: nhập họ tên)"), None)
        for member in members:
            self.member.addItem(_member_label(member), member.id)
        self.member.setCurrentIndex(max(0, self.member.findData(initial.member_id)))
        self.member.currentIndexChanged.connect(lambda _number: self._member_chosen())
        self.form = enum_combo(AwardForm)
        choose(self.form, initial.form)
        self.form_text = QLineEdit(initial.form_text)
        self.form_text.setPlaceholderText(tr("Ghi rõ khi chọn \u201cKhác\u201d (không bắt buộc với hình thức khác)"))
        self.level = _level_box(levels, initial.level)
        self.decision_number = QLineEdit(initial.decision_number)
        self.decision_number.setPlaceholderText(tr("Ví dụ: 125/QĐ-UBND (để trống nếu mới đề nghị)"))
        self.decided = QCheckBox(tr("Đã có quyết định, ngày"))
        self.decision_date = date_edit(initial.decision_date)
        self.decided.toggled.connect(self.decision_date.setEnabled)
        self.decided.setChecked(initial.decision_date is not None)
        self.decision_date.setEnabled(initial.decision_date is not None)
        self.reason = QPlainTextEdit(initial.reason)
        self.reason.setFixedHeight(80)
        self.unit_label = QLabel()
        for button in (self.to_model, self.to_person):
            button.toggled.connect(self._show_kind)
        kind = self.to_person if initial.to_person else self.to_model if initial.model_id else self.to_unit
        kind.setChecked(True)
        self._show_kind()
        self.to_model.toggled.connect(lambda on: on and self._model_chosen())  # after: an edit keeps its unit
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(600, 480)

    def _form(self) -> QFormLayout:
        kind = QHBoxLayout()
        kind.addWidget(self.to_unit)
        kind.addWidget(self.to_model)
        kind.addWidget(self.to_person)
        kind.addStretch(1)
        decision = QHBoxLayout()
        decision.addWidget(self.decision_number, 1)
        decision.addWidget(self.decided)
        decision.addWidget(self.decision_date)
        form = QFormLayout()
        form.addRow(tr("Khen thưởng cho"), kind)
        form.addRow(tr("Mô hình"), self.model)
        form.addRow(tr("Thành viên lực lượng"), self.member)
        form.addRow(tr("Họ tên"), self.person_name)
        form.addRow(tr("Chức vụ, chức danh"), self.person_title)
        form.addRow(self.unit_label, self.unit)
        form.addRow(tr("Hình thức"), self.form)
        form.addRow(tr("Tên hình thức"), self.form_text)
        form.addRow(tr("Cấp khen"), self.level)
        form.addRow(tr("Số quyết định"), decision)
        form.addRow(tr("Thành tích"), self.reason)
        return form

    def _show_kind(self) -> None:
        person, model = self.to_person.isChecked(), self.to_model.isChecked()
        self.person_name.setEnabled(person)
        self.person_title.setEnabled(person)
        self.member.setEnabled(person and self.member.count() > 1)
        self.model.setEnabled(model)
        self.unit_label.setText(tr("Đơn vị công tác") if person else tr("Đơn vị chủ trì") if model
                                else tr("Đơn vị được khen"))

    def _choose_unit(self, unit_id: int | None, name: str = "") -> None:
        if unit_id is not None and self.unit.findData(unit_id) < 0:
            self.unit.addItem(name, unit_id)  # a unit merged or dissolved since
        self.unit.setCurrentIndex(max(0, self.unit.findData(unit_id)))

    def _model_chosen(self) -> None:
        """A model chosen by hand: its first host unit, if it has one."""
        self._choose_unit(self._model_hosts.get(self.model.currentData()))

    def _member_chosen(self) -> None:
        """A member picked: the name, title and unit come from the roster; "none" keeps what is typed."""
        member = self._members.get(self.member.currentData())
        self._member_id = member.id if member else None
        if member is None:
            return
        self.person_name.setText(member.full_name)
        self.person_title.setText(member.role or member.force_kind.label)
        self._choose_unit(member.unit_id, member.unit_name)

    def _name_typed(self, text: str) -> None:
        """Another name typed over a picked member's: the award is no longer that member's."""
        member = self._members.get(self._member_id)
        if member is not None and text.strip() != member.full_name:
            self.member.setCurrentIndex(0)

    def typed(self) -> AwardInput:
        person, model = self.to_person.isChecked(), self.to_model.isChecked()
        decided = self.decision_date.date().toPython() if self.decided.isChecked() else None
        return AwardInput(
            form=chosen(self.form, AwardForm), level=self.level.currentText(), reason=self.reason.toPlainText(),
            unit_id=self.unit.currentData(), person_name=self.person_name.text() if person else "",
            person_title=self.person_title.text() if person else "", member_id=self._member_id if person else None,
            form_text=self.form_text.text(), decision_number=self.decision_number.text(), decision_date=decided,
            model_id=self.model.currentData() if model else None,
        )


def _member_label(member: MemberRow) -> str:
    """"Trần Quang Long — Tổ trưởng, Tổ dân phố 3"."""
    what = ", ".join(part for part in (member.role or member.force_kind.label, member.unit_name) if part)
    return f"{member.full_name} \u2014 {what}"


class CandidatesDialog(SavingDialog):
    """The year's candidates, all ticked; the save hands over ``(keys, form, level)``."""

    def __init__(self, save: Callable, found: list[Candidate], levels: list[str], year: int, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Đề xuất khen thưởng từ kết quả năm {year}").format(year=year))
        explanation = QLabel(tr(
            "Đơn vị vừa đạt tiêu chuẩn \u201cAn toàn về an ninh, trật tự\u201d vừa xếp loại cao nhất phong trào năm "
            "{year}, và mô hình xếp loại cao nhất năm {year}, chưa được khen thưởng trong năm. Khen thưởng của mô "
            "hình ghi tên mô hình, kèm đơn vị chủ trì nếu có.").format(year=year))
        explanation.setWordWrap(True)
        self.list = QListWidget()
        for candidate in found:
            item = QListWidgetItem(f"{candidate.name}\n    {candidate.reason}")
            item.setData(Qt.ItemDataRole.UserRole, candidate.key)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.empty = QLabel(tr("Không có đề xuất nào: chưa có kết quả năm {year} phù hợp, hoặc tất cả đã được "
                               "khen thưởng.").format(year=year))
        self.empty.setVisible(not found)
        self.form = enum_combo([AwardForm.GIAY_KHEN, AwardForm.BANG_KHEN])
        self.level = _level_box(levels, "")
        form = QFormLayout()
        form.addRow(tr("Hình thức"), self.form)
        form.addRow(tr("Cấp khen"), self.level)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addWidget(self.empty)
        layout.addWidget(self.list, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Thêm vào danh sách"))
        self.resize(720, 460)

    def typed(self) -> tuple[list[str], AwardForm, str]:
        items = (self.list.item(number) for number in range(self.list.count()))
        keys = [item.data(Qt.ItemDataRole.UserRole) for item in items if item.checkState() == Qt.CheckState.Checked]
        return keys, chosen(self.form, AwardForm), self.level.currentText()


# ---- the page ----------------------------------------------------------------------------------

class AwardsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.year = year_box()
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.model = RowTableModel(COLUMNS, self)
        self.table = RecordTable(self.model, (260, 80, 170, 190, 190), "awards")
        self.table.setWordWrap(True)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addWidget(self.summary, 1)
        layout.addLayout(bar)
        layout.addLayout(self._buttons())
        layout.addWidget(self.table, 1)
        self.refresh()

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons = add_buttons(row, (("add", tr("Thêm khen thưởng…"), self.add_award),
                                ("edit", tr("Sửa…"), self.edit_selected),
                                ("delete", tr("Xoá"), self.delete_selected),
                                ("candidates", tr("Đề xuất từ kết quả năm…"), self.add_candidates),
                                ("print", tr("In danh sách…"), self.print_list)))
        row.insertStretch(3, 1)
        return row

    def current_year(self) -> int:
        return self.year.value()


    # ---- data ------------------------------------------------------------------------------------

    def refresh(self, select_award: int | None = None) -> None:
        year = self.current_year()
        with self._db.transaction() as session:
            rows = awards.year_awards(session, self._ward_id, year)
            figures = awards.awards_stats(session, self._ward_id, year)
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.summary.setText(_summary(figures))
        if select_award is not None:
            for number, row in enumerate(self.model.rows):
                if row.id == select_award:
                    self.table.selectRow(number)
        self.status_message.emit(tr("Năm {year}: {summary}").format(year=year, summary=_summary(figures)))

    def save_state(self) -> None:
        self.table.save_state()

    def _one_selected(self) -> AwardRow | None:
        numbers = self.table.selected_row_numbers()
        if len(numbers) != 1:
            self.status_message.emit(tr("Hãy chọn một khen thưởng trong bảng."))
            return None
        return self.model.rows[numbers[0]]

    def _units(self, current: AwardRow | None = None) -> list[tuple[int, str]]:
        query = unit_service.UnitQuery(status=UnitStatus.ACTIVE)
        with self._db.transaction() as session:
            found = [(unit.id, unit.name) for unit in unit_service.list_units(session, self._ward_id, query)]
        if current is not None and current.unit_id and current.unit_id not in {unit_id for unit_id, _ in found}:
            found.insert(0, (current.unit_id, current.unit_name))  # a unit merged or dissolved since
        return found

    def _models(self, current: AwardRow | None = None) -> list[tuple[int, str, int | None]]:
        """The year's models, with the one of ``current`` even if dissolved before the year."""
        year = self.current_year()
        with self._db.transaction() as session:
            found = [(row.id, row.name, row.hosts[0].unit_id if row.hosts else None)
                     for row in model_service.year_models(session, self._ward_id, year)]
        if current is not None and current.model_id and current.model_id not in {row[0] for row in found}:
            found.insert(0, (current.model_id, current.model_name, current.unit_id))
        return found

    def _members(self, current: AwardRow | None = None) -> list[MemberRow]:
        """The core-force members of the year, with the one of ``current`` even if gone since."""
        year = self.current_year()
        with self._db.transaction() as session:
            found = core_forces.list_members(session, self._ward_id, year)
            if current is not None and current.member_id and current.member_id not in {row.id for row in found}:
                found.insert(0, core_forces.get_member(session, current.member_id))
        return found

    def _levels(self) -> list[str]:
        return self._db.run(lambda session: awards.level_suggestions(session, self._ward_id))

    # ---- editing ---------------------------------------------------------------------------------

    def add_award(self) -> None:
        added: list[int] = []
        year = self.current_year()

        def save(data: AwardInput) -> None:
            with self._db.transaction() as session:
                added.append(awards.add_award(session, self._ward_id, year, data, current_actor()))

        if AwardDialog(save, self._units(), self._levels(), parent=self, models=self._models(),
                       members=self._members()).exec():
            self.refresh(added[-1])

    def edit_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return

        def save(data: AwardInput) -> None:
            with self._db.transaction() as session:
                awards.update_award(session, row.id, data, current_actor(), row.version)

        if AwardDialog(save, self._units(row), self._levels(), row.as_input(), self, models=self._models(row),
                       members=self._members(row)).exec():
            self.refresh(row.id)

    def delete_selected(self) -> None:
        row = self._one_selected()
        if row is None or not confirm(self, tr("Xoá khen thưởng"), tr(
                "Xoá khen thưởng \u201c{form}\u201d của \u201c{name}\u201d?").format(form=row.form_shown,
                                                                                   name=row.recipient)):
            return

        def work() -> bool:
            self._db.run(lambda session: awards.delete_award(session, row.id, row.version))
            return True

        done = attempt(self, work)
        self.refresh()
        if done:
            self.status_message.emit(tr("Đã xoá khen thưởng của \u201c{name}\u201d.").format(name=row.recipient))

    def add_candidates(self) -> None:
        year = self.current_year()
        found = attempt(self, lambda: self._db.run(
            lambda session: awards.candidates(session, self._ward_id, year)))
        if found is None:
            return
        counted: list[int] = []

        def save(typed: tuple[list[str], AwardForm, str]) -> None:
            keys, form, level = typed
            with self._db.transaction() as session:
                counted.append(awards.add_candidates(session, self._ward_id, year, keys, form, level,
                                                     current_actor()))

        if CandidatesDialog(save, found, self._levels(), year, self).exec():
            self.refresh()
            self.status_message.emit(tr("Đã thêm {n} khen thưởng từ kết quả năm {year}.").format(
                n=counted[-1], year=year))

    def print_list(self) -> None:
        year = self.current_year()
        data = attempt(self, lambda: self._db.run(
            lambda session: awards.award_list(session, self._ward_id, year)))
        if data is not None:
            PdfPreviewDialog(rendered(render_award_list, data), list_title(data),
                             f"danh-sach-khen-thuong-{year}.pdf", self).exec()


def _summary(figures: dict) -> str:
    if not figures["total"]:
        return tr("Chưa có khen thưởng nào.")
    forms = " · ".join(f"{form.label}: {figures['by_form'][form.value]}" for form in AwardForm
                       if figures["by_form"][form.value])
    return tr("{total} khen thưởng: {units} tập thể, {people} cá nhân — {forms}").format(
        total=figures["total"], units=figures["to_units"], people=figures["to_people"], forms=forms)
