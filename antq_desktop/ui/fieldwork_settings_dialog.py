"""The field work's targets and the commemorative days of the ward's plan (they differ between
wards and years, so they are settings, not code)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.events import parse_commemorative_days
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import settings
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.forms import SavingDialog, save_buttons

# setting key -> (label, highest value, suffix)
TARGETS = {
    "models.target_kha_or_above": ("Số mô hình xếp loại Khá trở lên mỗi năm, tối thiểu", 100, ""),
    "forces.target_trained_pct": ("Tỷ lệ lực lượng nòng cốt được huấn luyện", 100, " %"),
    "forces.target_equipped_pct": ("Tỷ lệ lực lượng nòng cốt được trang bị", 100, " %"),
    "inspections.per_kdc_per_year": ("Số lần kiểm tra mỗi tổ dân phố trong năm, tối thiểu", 12, ""),
    "events.target_activities": ("Số hoạt động tuyên truyền trong năm, tối thiểu (0: không đặt)", 10000, ""),
    "events.target_festival_pct": ("Tỷ lệ đơn vị tổ chức Ngày hội 19/8", 100, " %"),
}
_DAY_COLUMNS = ("Tháng", "Ngày (0: cả tháng)", "Tên ngày kỷ niệm, sự kiện")


def load_fieldwork_settings(db: Database, ward_id: int) -> dict:
    with db.reading() as session:
        return {key: settings.get_setting(session, ward_id, key) for key in (*TARGETS, "events.commemorative_days")}


def save_fieldwork_settings(db: Database, ward_id: int, values: dict) -> None:
    """Check every value first, then save them all in one transaction."""
    days = [{"month": day.month, "day": day.day, "title": day.title}
            for day in parse_commemorative_days(values["events.commemorative_days"])]
    with db.transaction() as session:
        for key in TARGETS:
            settings.set_setting(session, ward_id, key, int(values[key]), current_actor())
        settings.set_setting(session, ward_id, "events.commemorative_days", days, current_actor())


class FieldworkSettingsDialog(SavingDialog):
    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(lambda values: save_fieldwork_settings(db, ward_id, values), parent)
        self.setWindowTitle(tr("Chỉ tiêu công tác và ngày kỷ niệm"))
        values = load_fieldwork_settings(db, ward_id)
        tabs = QTabWidget()
        tabs.addTab(self._targets_tab(values), tr("Chỉ tiêu"))
        tabs.addTab(self._days_tab(values["events.commemorative_days"]), tr("Ngày kỷ niệm"))
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(720, 480)

    def _targets_tab(self, values: dict) -> QWidget:
        page = QWidget()
        form = QFormLayout(page)
        self.targets: dict[str, QSpinBox] = {}
        for key, (label, highest, suffix) in TARGETS.items():
            box = QSpinBox()
            box.setRange(0, highest)
            box.setSuffix(suffix)
            box.setValue(int(values[key]))
            self.targets[key] = box
            form.addRow(tr(label), box)
        return page

    def _days_tab(self, days: list[dict]) -> QWidget:
        self.days = QTableWidget(0, len(_DAY_COLUMNS))
        self.days.setHorizontalHeaderLabels([tr(name) for name in _DAY_COLUMNS])
        self.days.horizontalHeader().setStretchLastSection(True)
        self.days.setColumnWidth(0, 70)
        self.days.setColumnWidth(1, 140)
        for day in days:
            self.add_day(day)
        add, remove = QPushButton(tr("Thêm ngày")), QPushButton(tr("Xoá ngày đang chọn"))
        add.clicked.connect(lambda: self.add_day({"month": 1, "day": 1, "title": ""}))
        remove.clicked.connect(lambda: self.days.removeRow(self.days.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("Các ngày kỷ niệm, sự kiện mà kế hoạch của xã, phường hưởng ứng bằng hoạt động "
                                   "tuyên truyền; ghi ngày 0 nếu là cả tháng (ví dụ Tháng hành động phòng, chống ma túy).")))
        layout.addWidget(self.days, 1)
        layout.addLayout(buttons)
        return page

    def add_day(self, day: dict) -> None:
        row = self.days.rowCount()
        self.days.insertRow(row)
        for column, value in enumerate((day["month"], day["day"], day["title"])):
            self.days.setItem(row, column, QTableWidgetItem(str(value)))

    def _typed_days(self) -> list[dict]:
        typed = []
        for row in range(self.days.rowCount()):
            month, day, title = (self.days.item(row, column).text().strip() for column in range(3))
            if not (month.isdecimal() and day.isdecimal()):
                raise UserError(tr("Ngày kỷ niệm ở dòng {row}: tháng và ngày phải là số.").format(row=row + 1))
            typed.append({"month": int(month), "day": int(day), "title": title})
        return typed

    def typed(self) -> dict:
        return {**{key: box.value() for key, box in self.targets.items()},
                "events.commemorative_days": self._typed_days()}
