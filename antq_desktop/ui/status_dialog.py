"""Merge a unit into another, or dissolve it: the date, the reason, and for a merge the target."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from antq_desktop.i18n import tr
from antq_desktop.services.units import UnitRow
from antq_desktop.ui.forms import date_edit


class StatusChangeDialog(QDialog):
    """With ``targets`` it asks where the unit merges into; without, it records a dissolution."""

    def __init__(self, unit_name: str, targets: list[UnitRow] | None = None, parent=None):
        super().__init__(parent)
        merging = targets is not None
        self.setWindowTitle(tr("Sáp nhập đơn vị") if merging else tr("Giải thể đơn vị"))
        self.target = QComboBox()
        for row in targets or []:
            self.target.addItem(row.name, row.id)
        self.on_date = date_edit()
        self.reason = QLineEdit()
        form = QFormLayout()
        form.addRow(tr("Đơn vị"), QLabel(unit_name))
        if merging:
            form.addRow(tr("Sáp nhập vào"), self.target)
        form.addRow(tr("Ngày"), self.on_date)
        form.addRow(tr("Căn cứ, lý do"), self.reason)
        note = QLabel(tr("Đơn vị vẫn được giữ trong danh sách cùng toàn bộ lịch sử."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Ghi nhận"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Huỷ"))
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not merging or self.target.count() > 0)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(480, 0)

    def chosen_date(self) -> date:
        return self.on_date.date().toPython()

    def chosen_target(self) -> int | None:
        return self.target.currentData()
