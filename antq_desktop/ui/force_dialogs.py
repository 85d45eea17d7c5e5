"""The dialogs of the core forces: a member, a training with its attendees, an item issued, a day.

Each dialog only collects what was typed; the service checks it, and a refused save keeps the
dialog open with everything typed and the reason in red.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from antq_desktop.domain import vntext
from antq_desktop.domain.forces import EQUIPMENT_ITEMS, ForceKind, Gender
from antq_desktop.i18n import tr
from antq_desktop.services.core_forces import (
    EquipmentInput,
    MemberInput,
    MemberRow,
    TrainingInput,
    UnitChoice,
)
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import SavingDialog, date_edit, save_buttons

NO_YEAR = 0   # the birth-year box at this value shows blank: "not known"


def _date_of(edit) -> date:
    return edit.date().toPython()


def _optional_date(text: str) -> date | None:
    """A typed dd/mm/yyyy date, or None when the box is empty (parse errors are the user's)."""
    return vntext.parse_date(text) if vntext.clean(text) else None


def _note_box(text: str = "") -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setFixedHeight(56)
    box.setTabChangesFocus(True)
    return box


def _layout(dialog: SavingDialog, form: QFormLayout, *extra) -> None:
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    for part in extra:
        if isinstance(part, QHBoxLayout):
            layout.addLayout(part)
        else:
            layout.addWidget(part)
    layout.addWidget(dialog.error)
    layout.addWidget(save_buttons(dialog))


class MemberDialog(SavingDialog):
    """Add or correct a member; the unit list follows the chosen force (none for dân phòng)."""

    def __init__(self, save: Callable[[MemberInput], object], units_for: Callable[[ForceKind], list[UnitChoice]],
                 initial: MemberInput | None = None, parent=None):
        super().__init__(save, parent)
        self._units_for = units_for
        self.setWindowTitle(tr("Sửa thông tin thành viên") if initial else tr("Thêm thành viên lực lượng"))
        self._build(initial is not None)
        self._load(initial or MemberInput(ForceKind.TO_BAO_VE, ""))
        self.kind.currentIndexChanged.connect(lambda _i: self._kind_changed())
        self.resize(520, 0)

    def _build(self, editing: bool) -> None:
        self.kind = enum_combo(ForceKind)
        self.unit = QComboBox()
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(100)
        self.birth_year = QSpinBox()
        self.birth_year.setRange(NO_YEAR, 2100)
        self.birth_year.setSpecialValueText(" ")
        self.gender = enum_combo(Gender, tr("— chưa rõ —"))
        self.role = QComboBox()
        self.role.setEditable(True)
        self.phone = QLineEdit()
        self.joined_on = QLineEdit()
        self.left_on = QLineEdit()
        for box in (self.joined_on, self.left_on):
            box.setPlaceholderText(tr("ngày/tháng/năm, ví dụ 05/01/2026"))
        self.note = _note_box()
        self.form = QFormLayout()
        for label, widget in ((tr("Lực lượng"), self.kind), (tr("Đơn vị"), self.unit),
                              (tr("Họ và tên (*)"), self.full_name), (tr("Năm sinh"), self.birth_year),
                              (tr("Giới tính"), self.gender), (tr("Chức danh"), self.role),
                              (tr("Điện thoại"), self.phone), (tr("Ngày tham gia"), self.joined_on)):
            self.form.addRow(label, widget)
        if editing:
            self.form.addRow(tr("Ngày thôi tham gia"), self.left_on)
        self.form.addRow(tr("Ghi chú"), self.note)
        _layout(self, self.form)

    def _load(self, data: MemberInput) -> None:
        choose(self.kind, data.force_kind)
        self._kind_changed()
        self.unit.setCurrentIndex(max(0, self.unit.findData(data.unit_id)))
        self.full_name.setText(data.full_name)
        self.birth_year.setValue(data.birth_year or NO_YEAR)
        choose(self.gender, data.gender)
        self.role.setCurrentText(data.role or ForceKind(data.force_kind).roles[-1])
        self.phone.setText(data.phone)
        self.joined_on.setText(vntext.format_date(data.joined_on))
        self.left_on.setText(vntext.format_date(data.left_on))
        self.note.setPlainText(data.note)

    def _kind_changed(self) -> None:
        kind = chosen(self.kind, ForceKind)
        previous_role, roles_before = self.role.currentText(), [self.role.itemText(i) for i in range(self.role.count())]
        self.unit.clear()
        if kind.unit_kinds:
            self.unit.addItem(tr("— chọn đơn vị —"), None)
            for unit in self._units_for(kind):
                self.unit.addItem(unit.name if len(kind.unit_kinds) == 1 else f"{unit.name} ({unit.kind.label})",
                                  unit.id)
        else:
            self.unit.addItem(tr("Lực lượng chung của xã, phường"), None)
        self.unit.setEnabled(bool(kind.unit_kinds))
        self.role.clear()
        self.role.addItems(kind.roles)
        # A role typed by hand stays; a usual role of the other force becomes this force's.
        self.role.setCurrentText(previous_role if previous_role and previous_role not in roles_before
                                 else kind.roles[-1])

    def typed(self) -> MemberInput:
        return MemberInput(
            force_kind=chosen(self.kind, ForceKind), full_name=self.full_name.text(), unit_id=self.unit.currentData(),
            birth_year=self.birth_year.value() or None, gender=chosen(self.gender, Gender),
            role=self.role.currentText(), phone=self.phone.text(), joined_on=_optional_date(self.joined_on.text()),
            left_on=_optional_date(self.left_on.text()), note=self.note.toPlainText(),
        )


class TrainingDialog(SavingDialog):
    """A training and its attendees, ticked in a list of the members serving on its day."""

    def __init__(self, save: Callable[[TrainingInput], object], candidates: Callable[[date], list[MemberRow]],
                 initial: TrainingInput | None = None, parent=None):
        super().__init__(save, parent)
        self._candidates = candidates
        self._checked: set[int] = set(initial.attendee_ids) if initial else set()
        self.setWindowTitle(tr("Sửa buổi huấn luyện") if initial else tr("Thêm buổi huấn luyện"))
        self._build(initial or TrainingInput(date.today(), ""))
        self._reload_people()
        self.held_on.dateChanged.connect(lambda _d: self._reload_people())
        self.resize(640, 680)

    def _build(self, data: TrainingInput) -> None:
        self.held_on = date_edit(data.held_on)
        self.topic = QLineEdit(data.topic)
        self.hours = QSpinBox()
        self.hours.setRange(0, 1000)
        self.hours.setValue(data.hours)
        self.hours.setSuffix(tr(" giờ"))
        self.place = QLineEdit(data.place)
        self.note = _note_box(data.note)
        form = QFormLayout()
        for label, widget in ((tr("Ngày huấn luyện"), self.held_on), (tr("Nội dung (*)"), self.topic),
                              (tr("Số giờ"), self.hours), (tr("Địa điểm"), self.place), (tr("Ghi chú"), self.note)):
            form.addRow(label, widget)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("Tìm theo tên, tổ, đội…"))
        self.filter.textChanged.connect(lambda _t: self._apply_filter())
        self.people = QListWidget()
        self.people.itemChanged.connect(self._item_changed)
        self.count = QLabel()
        _layout(self, form, QLabel(tr("Người dự (thành viên đang tham gia lực lượng vào ngày huấn luyện):")),
                self.filter, self.people, self._tick_buttons())

    def _tick_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.check_all = QPushButton(tr("Chọn tất cả đang hiện"))
        self.check_none = QPushButton(tr("Bỏ chọn tất cả"))
        self.check_all.clicked.connect(lambda: self._tick_shown(True))
        self.check_none.clicked.connect(lambda: self._tick_shown(False))
        row.addWidget(self.count, 1)
        row.addWidget(self.check_all)
        row.addWidget(self.check_none)
        return row

    def _reload_people(self) -> None:
        self.people.blockSignals(True)
        self.people.clear()
        for row in self._candidates(_date_of(self.held_on)):
            item = QListWidgetItem(f"{row.full_name} \u2014 {row.role}, {row.team}")
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, vntext.search_key(item.text()))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if row.id in self._checked else Qt.CheckState.Unchecked)
            self.people.addItem(item)
        self.people.blockSignals(False)
        self._apply_filter()

    def _items(self) -> list[QListWidgetItem]:
        return [self.people.item(i) for i in range(self.people.count())]

    def _apply_filter(self) -> None:
        wanted = vntext.search_key(self.filter.text())
        for item in self._items():
            item.setHidden(bool(wanted) and wanted not in item.data(Qt.ItemDataRole.UserRole + 1))
        self._show_count()

    def _item_changed(self, item: QListWidgetItem) -> None:
        member_id = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self._checked.add(member_id)
        else:
            self._checked.discard(member_id)
        self._show_count()

    def _tick_shown(self, on: bool) -> None:
        for item in self._items():
            if not item.isHidden():
                item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def set_checked(self, member_ids: Sequence[int]) -> None:
        """Tick exactly these members (for a caller that knows whom)."""
        for item in self._items():
            on = item.data(Qt.ItemDataRole.UserRole) in member_ids
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def attendee_ids(self) -> tuple[int, ...]:
        return tuple(item.data(Qt.ItemDataRole.UserRole) for item in self._items()
                     if item.checkState() == Qt.CheckState.Checked)

    def _show_count(self) -> None:
        self.count.setText(tr("Đã chọn {n}/{total} người").format(n=len(self.attendee_ids()), total=self.people.count()))

    def typed(self) -> TrainingInput:
        return TrainingInput(held_on=_date_of(self.held_on), topic=self.topic.text(), hours=self.hours.value(),
                             place=self.place.text(), note=self.note.toPlainText(), attendee_ids=self.attendee_ids())


class EquipmentDialog(SavingDialog):
    """An item issued to a member, and the day it came back if it did."""

    def __init__(self, save: Callable[[EquipmentInput], object], members: Sequence[MemberRow],
                 initial: EquipmentInput | None = None, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa lần cấp trang bị") if initial else tr("Cấp trang bị"))
        self.member = QComboBox()
        self.member.addItem(tr("— chọn người nhận —"), None)
        for row in members:
            self.member.addItem(f"{row.full_name} \u2014 {row.team}", row.id)
        self.item = QComboBox()
        self.item.setEditable(True)
        self.item.addItems(EQUIPMENT_ITEMS)
        self.quantity = QSpinBox()
        self.quantity.setRange(1, 10_000)
        self.issued_on = date_edit()
        self.returned = QCheckBox(tr("Đã trả lại"))
        self.returned_on = date_edit()
        self.returned.toggled.connect(self.returned_on.setEnabled)
        self.note = _note_box()
        form = QFormLayout()
        for label, widget in ((tr("Người nhận (*)"), self.member), (tr("Trang bị (*)"), self.item),
                              (tr("Số lượng"), self.quantity), (tr("Ngày cấp"), self.issued_on),
                              ("", self.returned), (tr("Ngày trả"), self.returned_on), (tr("Ghi chú"), self.note)):
            form.addRow(label, widget)
        _layout(self, form)
        self._load(initial)
        self.resize(520, 0)

    def _load(self, data: EquipmentInput | None) -> None:
        self.returned_on.setEnabled(False)
        if data is None:
            self.item.setCurrentText("")
            return
        self.member.setCurrentIndex(max(0, self.member.findData(data.member_id)))
        self.item.setCurrentText(data.item)
        self.quantity.setValue(data.quantity)
        self.issued_on.setDate(QDate(data.issued_on))
        self.returned.setChecked(data.returned_on is not None)
        if data.returned_on is not None:
            self.returned_on.setDate(QDate(data.returned_on))
        self.note.setPlainText(data.note)

    def typed(self) -> EquipmentInput:
        return EquipmentInput(
            member_id=self.member.currentData() or 0, item=self.item.currentText(), issued_on=_date_of(self.issued_on),
            quantity=self.quantity.value(), returned_on=_date_of(self.returned_on) if self.returned.isChecked() else None,
            note=self.note.toPlainText(),
        )


class DayDialog(SavingDialog):
    """One day to record: when a member left, when an item came back."""

    def __init__(self, save: Callable[[date], object], title: str, label: str, explanation: str = "",
                 initial: date | None = None, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(title)
        self.day = date_edit(initial)
        form = QFormLayout()
        if explanation:
            text = QLabel(explanation)
            text.setWordWrap(True)
            form.addRow(text)
        form.addRow(label, self.day)
        _layout(self, form)
        self.resize(440, 0)

    def typed(self) -> date:
        return _date_of(self.day)
