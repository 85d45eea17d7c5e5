"""The home page: the year's targets against the figures, what is due, what needs attention, the
trends. Each line opens the page where it is dealt with (``open_page`` carries that page's key).
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import plan
from antq_desktop.domain.vntext import format_date, format_number
from antq_desktop.i18n import tr
from antq_desktop.services import dashboard as service
from antq_desktop.ui.forms import year_box
from antq_desktop.ui.messages import attempt

STATUS_COLOURS = {  # background, text
    plan.Status.MET: ("#d8f0dc", "#1b5e20"),
    plan.Status.AT_RISK: ("#fff1c7", "#7a5200"),
    plan.Status.MISSED: ("#fbd9d7", "#a31515"),
    plan.Status.NO_DATA: ("#ececec", "#555555"),
}
PAGE_ROLE = Qt.ItemDataRole.UserRole
# the indicators drawn as trends, in this order (those with no figure in any year are left out)
TREND_CODES = ("registered_pct", "recognized_pct", "kha_or_above_pct", "kdc_inspected_pct", "festival_pct",
               "forces_trained_pct", "models_kha_or_above", "propaganda_items")
MAX_CHARTS = 6


class DashboardPage(QWidget):
    status_message = Signal(str)
    open_page = Signal(str, object)  # page key, the record to show there (a task's id) or None

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.data: service.Dashboard | None = None
        self._build()  # filled by refresh(), when the window shows the page

    def _build(self) -> None:
        self.year = year_box()
        self.year.valueChanged.connect(lambda _: self.refresh())
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        top = QHBoxLayout()
        title = QLabel(tr("Tổng quan năm"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold;")
        for widget in (title, self.year, self.summary):
            top.addWidget(widget)
        top.addStretch(1)
        self.today_label = QLabel()
        top.addWidget(self.today_label)

        self.targets = QTableWidget(0, 4)
        self.targets.setHorizontalHeaderLabels([tr("Chỉ tiêu"), tr("Mục tiêu"), tr("Thực hiện"), tr("Đánh giá")])
        self.targets.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.targets.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.targets.verticalHeader().setVisible(False)
        header = self.targets.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.targets.itemActivated.connect(self._open_target)
        self.targets.setToolTip(tr("Bấm đúp vào một chỉ tiêu để mở trang cập nhật số liệu."))

        self.deadlines = self._list(tr("Bấm đúp để mở trang thực hiện."))
        self.attention = self._list(tr("Bấm đúp để mở trang cần xử lý."))
        side = QVBoxLayout()
        for caption, widget in ((tr("Sắp đến hạn"), self.deadlines), (tr("Cần chú ý"), self.attention)):
            side.addWidget(_caption(caption))
            side.addWidget(widget, 1)

        middle = QHBoxLayout()
        left = QVBoxLayout()
        self.targets_caption = _caption("")
        left.addWidget(self.targets_caption)
        left.addWidget(self.targets, 1)
        middle.addLayout(left, 3)
        middle.addLayout(side, 2)

        self.trends_caption = _caption(tr("Xu hướng qua các năm (cột xanh: đạt chỉ tiêu, cột cam: chưa đạt; vạch đứt đỏ: mức chỉ tiêu)"))
        self.charts = QGridLayout()
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 3)
        layout.addWidget(self.trends_caption)
        layout.addLayout(self.charts, 2)

    def _list(self, tip: str) -> QListWidget:
        widget = QListWidget()
        widget.setWordWrap(True)
        widget.setSpacing(2)
        widget.setToolTip(tip)
        widget.itemActivated.connect(self._open_item)
        return widget

    # ---- filling ----------------------------------------------------------------------------------

    def refresh(self, today: date | None = None) -> None:
        def load():
            with self._db.reading() as session:
                return service.dashboard(session, self._ward_id, self.year.value(), today)

        data = attempt(self, load)
        if data is None:
            return
        self.data = data
        self.today_label.setText(tr("Hôm nay: {day}").format(day=format_date(data.today)))
        self._fill_summary(data)
        self._fill_targets(data)
        self._fill_deadlines(data)
        self._fill_attention(data)
        self._fill_trends(data)

    def _fill_summary(self, data: service.Dashboard) -> None:
        parts = [f"<span style='color:{STATUS_COLOURS[status][1]}'><b>{data.count(status)}</b> {status.label}</span>"
                 for status in plan.Status if data.count(status)]
        self.summary.setText("&nbsp;&nbsp;·&nbsp;&nbsp;".join(parts))

    def _fill_targets(self, data: service.Dashboard) -> None:
        self.targets_caption.setText(tr("Chỉ tiêu năm {year}").format(year=data.year))
        self.targets.setRowCount(len(data.targets))
        for row, result in enumerate(data.targets):
            cells = (QTableWidgetItem(result.name), centred_item(result.target_text),
                     centred_item(result.actual_text), status_item(result.status))
            for column, item in enumerate(cells):
                item.setData(PAGE_ROLE, result.page)
                self.targets.setItem(row, column, item)
        if not data.targets:
            self.targets_caption.setText(tr("Năm {year} chưa có chỉ tiêu: lập chỉ tiêu ở trang Kế hoạch, chỉ tiêu.")
                                         .format(year=data.year))

    def _fill_deadlines(self, data: service.Dashboard) -> None:
        self.deadlines.clear()
        for item in data.deadlines:
            entry = QListWidgetItem(f"{service.deadline_text(item)} — {item.title}")
            entry.setData(PAGE_ROLE, (item.page, item.task_id))
            if item.days_left < 0:
                status = plan.Status.MISSED if item.task_id else plan.Status.NO_DATA  # overdue task / day passed
                entry.setForeground(QBrush(QColor(STATUS_COLOURS[status][1])))
            elif item.days_left <= 7:
                entry.setForeground(QBrush(QColor(STATUS_COLOURS[plan.Status.AT_RISK][1])))
            self.deadlines.addItem(entry)
        if not data.deadlines:
            self.deadlines.addItem(tr("Không có mốc nào trong {days} ngày tới.").format(days=service.WITHIN_DAYS))

    def _fill_attention(self, data: service.Dashboard) -> None:
        self.attention.clear()
        for item in data.attention:
            entry = QListWidgetItem(f"• {item.text}")
            entry.setData(PAGE_ROLE, (item.page, None))
            self.attention.addItem(entry)
        if not data.attention:
            self.attention.addItem(tr("Không có việc tồn đọng."))

    def _fill_trends(self, data: service.Dashboard) -> None:
        while self.charts.count():
            chart = self.charts.takeAt(0).widget()
            chart.hide()  # off the screen now: deleteLater() waits for the event loop
            chart.deleteLater()
        names = {result.code: result.name for result in data.targets}
        shown = [code for code in TREND_CODES if code in data.trends
                 and any(point.actual is not None for point in data.trends[code])][:MAX_CHARTS]
        for index, code in enumerate(shown):
            indicator = plan.BY_CODE[code]
            chart = TrendChart(names.get(code, indicator.name), data.trends[code], indicator)
            self.charts.addWidget(chart, index // 3, index % 3)
            chart.show()  # a widget added to a shown page stays hidden until the next event loop pass otherwise
        self.trends_caption.setVisible(bool(shown))

    # ---- opening the page of an item -------------------------------------------------------------

    def _open_target(self, item: QTableWidgetItem) -> None:
        self.open_page.emit(item.data(PAGE_ROLE), None)

    def _open_item(self, item: QListWidgetItem) -> None:
        target = item.data(PAGE_ROLE)
        if target and target[0]:
            self.open_page.emit(target[0], target[1])

    def save_state(self) -> None:
        """Nothing to keep: the page always opens on this year."""


def centred_item(text: str) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
    return item


def status_item(status: plan.Status) -> QTableWidgetItem:
    """A target's judgement, in bold on its colour (green met, amber not yet, red missed)."""
    item = centred_item(status.label)
    background, foreground = STATUS_COLOURS[status]
    item.setBackground(QBrush(QColor(background)))
    item.setForeground(QBrush(QColor(foreground)))
    font = item.font()
    font.setBold(True)
    item.setFont(font)
    return item


def _caption(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-weight: bold; margin-top: 4px;")
    return label


class TrendChart(QWidget):
    """One indicator over the years: a bar per year, the target as a dashed line, values written."""

    def __init__(self, title: str, points: tuple[service.TrendPoint, ...], indicator: plan.Indicator, parent=None):
        super().__init__(parent)
        self.title, self.points = title, points
        self.percent, self.comparison = indicator.unit == plan.PERCENT, indicator.comparison
        self.setMinimumSize(220, 130)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setToolTip("\n".join(f"{p.year}: {self._value_text(p.actual)}"
                                  + (f" (chỉ tiêu {self._value_text(p.target)})" if p.target is not None else "")
                                  for p in points))

    def _value_text(self, value: float | None) -> str:
        if value is None:
            return "—"
        return f"{format_number(value, 1 if value % 1 else 0)}%" if self.percent else format_number(value)

    def _scale(self) -> float:
        if self.percent:
            return 100.0
        values = [v for p in self.points for v in (p.actual, p.target) if v is not None]
        return max(values + [1]) * 1.15

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        metrics = painter.fontMetrics()
        line = metrics.height()
        painter.setPen(self.palette().windowText().color())
        title_font = QFont(painter.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.drawText(QRectF(0, 0, self.width(), line * 2 + 2),
                         Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap, self.title)
        painter.setFont(self.font())
        top, bottom = line * 2 + 6 + line, self.height() - line - 4
        if bottom - top < 10:
            return
        slot = self.width() / max(len(self.points), 1)
        scale = self._scale()
        for index, point in enumerate(self.points):
            self._draw_year(painter, point, index * slot, slot, top, bottom, scale, line)
        painter.end()

    def _draw_year(self, painter: QPainter, point: service.TrendPoint, left: float, slot: float, top: float,
                   bottom: float, scale: float, line: int) -> None:
        height = bottom - top
        bar_width = min(slot * 0.6, 56.0)
        bar_left = left + (slot - bar_width) / 2
        label_bottom = bottom
        if point.target is not None:
            y = bottom - height * min(point.target, scale) / scale
            painter.setPen(QPen(QColor("#a31515"), 1.5, Qt.PenStyle.DashLine))
            painter.drawLine(int(bar_left - 6), int(y), int(bar_left + bar_width + 6), int(y))
            label_bottom = y
        if point.actual is not None:
            bar_height = height * min(point.actual, scale) / scale
            met = point.target is None or plan.is_met(self.comparison, point.target, point.actual)
            painter.fillRect(QRectF(bar_left, bottom - bar_height, bar_width, bar_height),
                             QColor("#4f8fcf" if met else "#e0914a"))
            painter.setPen(self.palette().windowText().color())
            label_bottom = min(label_bottom, bottom - bar_height)  # above both the bar and the target line
            painter.drawText(QRectF(left, label_bottom - line - 1, slot, line), Qt.AlignmentFlag.AlignCenter,
                             self._value_text(point.actual))
        painter.setPen(self.palette().windowText().color())
        painter.drawLine(int(left), int(bottom), int(left + slot), int(bottom))
        painter.drawText(QRectF(left, bottom + 2, slot, line), Qt.AlignmentFlag.AlignCenter, str(point.year))
