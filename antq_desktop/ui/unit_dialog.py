"""Add or change one unit. The dialog only collects what was typed; the service checks it.

A refused save keeps the dialog open with everything typed, and says what to fix.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.domain.units import (
    KDC_CATEGORIES,
    SchoolLevel,
    UnitKind,
    ineligibility_reason,
)
from antq_desktop.i18n import tr
from antq_desktop.services.units import UnitInput
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import SavingDialog, save_buttons

NO_COUNT = -1  # a spin box at this value shows blank: "not known"


def _count_box() -> QSpinBox:
    box = QSpinBox()
    box.setRange(NO_COUNT, 1_000_000)
    box.setSpecialValueText(" ")
    box.setValue(NO_COUNT)
    return box


def _count_value(box: QSpinBox) -> int | None:
    return None if box.value() == NO_COUNT else box.value()


class UnitDialog(SavingDialog):
    """``save`` receives the typed UnitInput and raises UserError to keep the dialog open."""

    def __init__(self, save: Callable[[UnitInput], object], initial: UnitInput | None = None, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa thông tin đơn vị") if initial else tr("Thêm đơn vị"))
        self._build()
        self._load(initial or UnitInput(kind=UnitKind.KDC, name="", category=KDC_CATEGORIES[0]))
        self.kind.currentIndexChanged.connect(self._kind_changed)
        for signal in (self.armed.toggled, self.small.toggled, self.school_level.currentIndexChanged):
            signal.connect(self._update_eligibility)
        self._kind_changed()
        self.resize(560, 0)

    # ---- layout --------------------------------------------------------------------------

    def _build(self) -> None:
        self.kind = enum_combo(UnitKind)
        self.category = QComboBox()
        self.category.setEditable(True)
        self.category.addItems(KDC_CATEGORIES)
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.head_name = QLineEdit()
        self.head_title = QLineEdit()
        self.head_phone = QLineEdit()
        self.households = _count_box()
        self.armed = QCheckBox(tr("Cơ quan thuộc lực lượng vũ trang"))
        self.small = QCheckBox(tr("Doanh nghiệp nhỏ hoặc siêu nhỏ"))
        self.school_level = enum_combo(SchoolLevel, tr("— chọn cấp học —"))
        self.learners = _count_box()
        self.staff = _count_box()
        self.party = QCheckBox(tr("Có tổ chức Đảng"))
        self.protection_force = QLineEdit()
        self.protection_size = _count_box()
        self.subordinates = _count_box()
        self.authority = QLineEdit()
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        self.notes.setTabChangesFocus(True)
        self.eligibility = QLabel()

        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        rows: list[tuple[str, QWidget]] = [
            (tr("Loại đơn vị"), self.kind), (tr("Phân loại"), self.category), (tr("Tên đơn vị (*)"), self.name),
            (tr("Địa chỉ"), self.address), (tr("Người đứng đầu"), self.head_name), (tr("Chức vụ"), self.head_title),
            (tr("Điện thoại"), self.head_phone), (tr("Số hộ gia đình"), self.households), ("", self.armed),
            ("", self.small), (tr("Cấp học (*)"), self.school_level), (tr("Số người học"), self.learners),
            (tr("Số cán bộ, nhân viên"), self.staff), ("", self.party),
            (tr("Lực lượng bảo vệ"), self.protection_force), (tr("Số người của lực lượng"), self.protection_size),
            (tr("Số đơn vị trực thuộc"), self.subordinates), (tr("Cơ quan quản lý"), self.authority),
            (tr("Ghi chú"), self.notes), (tr("Diện công nhận"), self.eligibility),
        ]
        for label, widget in rows:
            self.form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))

    # ---- behaviour -----------------------------------------------------------------------

    def _load(self, data: UnitInput) -> None:
        choose(self.kind, data.kind)
        self.category.setCurrentText(data.category)
        self.name.setText(data.name)
        self.address.setText(data.address)
        self.head_name.setText(data.head_name)
        self.head_title.setText(data.head_title)
        self.head_phone.setText(data.head_phone)
        self.armed.setChecked(data.is_armed_forces)
        self.small.setChecked(data.is_small_or_micro)
        choose(self.school_level, data.school_level)
        self.party.setChecked(data.has_party_org)
        self.protection_force.setText(data.protection_force)
        self.authority.setText(data.managing_authority)
        self.notes.setPlainText(data.notes)
        for box, value in ((self.households, data.households), (self.learners, data.learner_count),
                           (self.staff, data.staff_count), (self.protection_size, data.protection_force_size),
                           (self.subordinates, data.subordinate_units)):
            box.setValue(NO_COUNT if value is None else value)

    def current_kind(self) -> UnitKind:
        return chosen(self.kind, UnitKind)

    def typed(self) -> UnitInput:
        """What the form holds now, as the service takes it."""
        return UnitInput(
            kind=self.current_kind(), name=self.name.text(), category=self.category.currentText(),
            address=self.address.text(), head_name=self.head_name.text(), head_title=self.head_title.text(),
            head_phone=self.head_phone.text(), is_armed_forces=self.armed.isChecked(),
            is_small_or_micro=self.small.isChecked(), school_level=chosen(self.school_level, SchoolLevel),
            has_party_org=self.party.isChecked(), households=_count_value(self.households),
            staff_count=_count_value(self.staff), learner_count=_count_value(self.learners),
            protection_force=self.protection_force.text(), protection_force_size=_count_value(self.protection_size),
            subordinate_units=_count_value(self.subordinates), managing_authority=self.authority.text(),
            notes=self.notes.toPlainText(),
        )

    def _kind_changed(self) -> None:
        kind = self.current_kind()
        visible = {
            self.category: kind is UnitKind.KDC, self.households: kind is UnitKind.KDC,
            self.armed: kind is UnitKind.CO_QUAN, self.small: kind is UnitKind.DOANH_NGHIEP,
            self.school_level: kind is UnitKind.GIAO_DUC, self.learners: kind is UnitKind.GIAO_DUC,
        }
        for widget, shown in visible.items():
            self.form.setRowVisible(widget, shown)
        self._update_eligibility()
        self.adjustSize()

    def _update_eligibility(self) -> None:
        reason = ineligibility_reason(self.typed().eligibility)
        if reason:
            self.eligibility.setText(tr("Không thuộc diện xét công nhận: ") + reason)
        else:
            self.eligibility.setText(tr("Thuộc diện xét công nhận \u201cAn toàn về ANTT\u201d"))
