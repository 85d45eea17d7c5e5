"""The standing targets of the field work, the commemorative days of the ward's plan and the
fixed days of its year shown on the dashboard (they differ between wards and years, so they are
settings, not code)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
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
from antq_desktop.domain.plan import Deadline
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import dashboard, settings
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
# where a deadline's work is done: the page keys of the main window
PAGES = {"": "—", "antt": "An toàn về ANTT", "classification": "Phân loại phong trào",
         "inspections": "Kiểm tra, hướng dẫn", "forces": "Lực lượng nòng cốt", "models": "Mô hình",
         "events": "Tuyên truyền, Ngày hội", "awards": "Khen thưởng", "plan": "Kế hoạch, chỉ tiêu",
         "reports": "Báo cáo"}


def load_fieldwork_settings(db: Database, ward_id: int) -> dict:
    with db.reading() as session:
        return {key: settings.get_setting(session, ward_id, key)
                for key in (*TARGETS, "events.commemorative_days", dashboard.DEADLINES_KEY)}


def save_fieldwork_settings(db: Database, ward_id: int, values: dict) -> None:
    """Check every value first, then save them all in one transaction."""
    days = [{"month": day.month, "day": day.day, "title": day.title}
            for day in parse_commemorative_days(values["events.commemorative_days"])]
    with db.transaction() as session:
        for key in TARGETS:
            settings.set_setting(session, ward_id, key, int(values[key]), current_actor())
        settings.set_setting(session, ward_id, "events.commemorative_days", days, current_actor())
        dashboard.save_deadlines(session, ward_id, [Deadline(row["month"], row["day"], row["title"], row["page"])
                                                    for row in values[dashboard.DEADLINES_KEY]], current_actor())


class FieldworkSettingsDialog(SavingDialog):
    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(lambda values: save_fieldwork_settings(db, ward_id, values), parent)
        self.setWindowTitle(tr("Chỉ tiêu mặc định, ngày kỷ niệm, mốc thời gian"))
        values = load_fieldwork_settings(db, ward_id)
        tabs = QTabWidget()
        tabs.addTab(self._targets_tab(values), tr("Chỉ tiêu"))
        tabs.addTab(self._days_tab(values["events.commemorative_days"]), tr("Ngày kỷ niệm"))
        tabs.addTab(self._deadlines_tab(values[dashboard.DEADLINES_KEY]), tr("Mốc thời gian"))
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
        self.days = DayTable(("Tháng", "Ngày (0: cả tháng)", "Tên ngày kỷ niệm, sự kiện"), "Ngày kỷ niệm")
        for day in days:
            self.days.add_day(day)
        return self.days.page(tr("Các ngày kỷ niệm, sự kiện mà kế hoạch của xã, phường hưởng ứng bằng hoạt động "
                                 "tuyên truyền; ghi ngày 0 nếu là cả tháng (ví dụ Tháng hành động phòng, chống ma túy)."),
                              tr("Thêm ngày"), {"month": 1, "day": 1, "title": ""})

    def _deadlines_tab(self, deadlines: list[dict]) -> QWidget:
        self.deadlines = DayTable(("Tháng", "Ngày", "Việc phải xong", "Trang thực hiện"), "Mốc thời gian", PAGES)
        for deadline in deadlines:
            self.deadlines.add_day(deadline)
        return self.deadlines.page(tr("Các mốc trong năm mà trang Tổng quan nhắc trước {days} ngày (báo cáo, đăng ký, "
                                      "quyết định…). Mỗi tỉnh quy định khác nhau: sửa cho đúng với địa phương.")
                                   .format(days=dashboard.WITHIN_DAYS),
                                   tr("Thêm mốc"), {"month": 1, "day": 1, "title": "", "page": ""})

    def typed(self) -> dict:
        return {**{key: box.value() for key, box in self.targets.items()},
                "events.commemorative_days": self.days.typed(),
                dashboard.DEADLINES_KEY: self.deadlines.typed()}


class DayTable(QTableWidget):
    """Days of the year typed as month, day and title (and the page where the work is done)."""

    def __init__(self, columns: tuple[str, ...], name: str, pages: dict[str, str] | None = None):
        super().__init__(0, len(columns))
        self.name, self.pages = name, pages
        self.setHorizontalHeaderLabels([tr(column) for column in columns])
        self.horizontalHeader().setStretchLastSection(True)
        self.setColumnWidth(0, 70)
        self.setColumnWidth(1, 140 if pages is None else 70)
        if pages is not None:
            self.setColumnWidth(2, 420)

    def page(self, explanation: str, add_text: str, blank: dict) -> QWidget:
        add, remove = QPushButton(add_text), QPushButton(tr("Xoá dòng đang chọn"))
        add.clicked.connect(lambda: self.add_day(blank))
        remove.clicked.connect(lambda: self.removeRow(self.currentRow()))
        buttons = QHBoxLayout()
        buttons.addWidget(add)
        buttons.addWidget(remove)
        buttons.addStretch(1)
        page = QWidget()
        layout = QVBoxLayout(page)
        label = QLabel(explanation)
        label.setWordWrap(True)
        layout.addWidget(label)
        layout.addWidget(self, 1)
        layout.addLayout(buttons)
        return page

    def add_day(self, day: dict) -> None:
        row = self.rowCount()
        self.insertRow(row)
        for column, value in enumerate((day["month"], day["day"], day["title"])):
            self.setItem(row, column, QTableWidgetItem(str(value)))
        if self.pages is not None:
            choice = QComboBox()
            for key, label in self.pages.items():
                choice.addItem(tr(label), key)
            choice.setCurrentIndex(max(choice.findData(day.get("page", "")), 0))
            self.setCellWidget(row, 3, choice)

    def typed(self) -> list[dict]:
        typed = []
        for row in range(self.rowCount()):
            month, day, title = (self.item(row, column).text().strip() for column in range(3))
            if not (month.isdecimal() and day.isdecimal()):
                raise UserError(tr("{name} ở dòng {row}: tháng và ngày phải là số.").format(name=self.name, row=row + 1))
            entry = {"month": int(month), "day": int(day), "title": title}
            if self.pages is not None:
                entry["page"] = self.cellWidget(row, 3).currentData()
            typed.append(entry)
        return typed
