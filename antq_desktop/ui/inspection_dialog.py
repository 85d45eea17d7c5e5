"""The dialog of one inspection: its plan, the visit, the minutes' text and the recommendations.

One dialog for both steps: planning leaves "Đã kiểm tra" unticked (the results are greyed),
recording the visit ticks it. Unticking it on a made inspection clears its results, after a
question. Dates of recommendations are typed as day/month/year in the table.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.domain import vntext
from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services.inspections import (
    InspectionInput,
    InspectionView,
    RecommendationInput,
    UnitChoice,
)
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import SavingDialog, date_edit, save_buttons
from antq_desktop.ui.messages import confirm

TEXT_COLUMN, DEADLINE_COLUMN, DONE_COLUMN, FOLLOW_UP_COLUMN = range(4)
RECOMMENDATION_HEADERS = ("Nội dung kiến nghị", "Thời hạn", "Ngày hoàn thành", "Kết quả khắc phục")
RESULTS_TAB, RECOMMENDATIONS_TAB = 2, 3


def _text_box(text: str, placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    box = QPlainTextEdit(text)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(height)
    box.setTabChangesFocus(True)
    return box


def _clamped(day: date, year: int) -> date:
    return min(max(day, date(year, 1, 1)), date(year, 12, 31))


class InspectionDialog(SavingDialog):
    """``save(InspectionInput)`` stores what was typed; a UserError keeps the dialog open."""

    def __init__(self, units: list[UnitChoice], year: int, save: Callable[[InspectionInput], object],
                 initial: InspectionView | None = None, *, unit_id: int | None = None, visit: bool = False,
                 today: date | None = None, parent=None):
        super().__init__(save, parent)
        self._initial, self._year = initial, year
        self._today = today or date.today()
        data = initial or InspectionInput(unit_id=unit_id or 0, planned_on=_clamped(self._today, year))
        self.setWindowTitle(self._title(initial, visit))
        self.tabs = QTabWidget()
        self.tabs.addTab(self._plan_tab(units, data, visit), tr("Kế hoạch, thời gian"))
        self.tabs.addTab(self._people_tab(data), tr("Thành phần"))
        self.tabs.addTab(self._results_tab(data), tr("Nội dung, kết quả"))
        self.tabs.addTab(self._recommendations_tab(data), "")
        self._update_recommendations_tab()
        self.visited.toggled.connect(self._visit_toggled)
        self._visit_toggled(self.visited.isChecked())
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(820, 620)

    def _title(self, initial: InspectionView | None, visit: bool) -> str:
        if initial is None:
            return tr("Lên kế hoạch kiểm tra năm {year}").format(year=self._year)
        verb = tr("Ghi kết quả") if visit or initial.visited_on is None else tr("Sửa")
        return tr("{verb}: {kind} {unit}").format(verb=verb, kind=initial.kind.verb, unit=initial.unit_name)

    # ---- the tabs -------------------------------------------------------------------------------

    def _plan_tab(self, units: list[UnitChoice], data: InspectionInput, visit: bool) -> QWidget:
        self.unit = QComboBox()
        for unit in units:
            self.unit.addItem(f"{unit.name} ({unit.kind.label.lower()})", unit.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(data.unit_id)))
        self.kind = enum_combo(InspectionKind)
        choose(self.kind, data.kind)
        self.has_planned_date = QCheckBox(tr("Có ngày dự kiến"))
        self.has_planned_date.setChecked(data.planned_on is not None)
        self.planned_on = date_edit(data.planned_on or _clamped(self._today, self._year))
        self.has_planned_date.toggled.connect(self.planned_on.setEnabled)
        self.planned_on.setEnabled(self.has_planned_date.isChecked())
        self.planned_by = QLineEdit(data.planned_by)
        self.planned_by.setPlaceholderText(tr("ví dụ: Đoàn kiểm tra Công an phường; đồng chí Phó Trưởng Công an"))
        self.visited = QCheckBox(tr("Đã kiểm tra"))
        self.visited.setChecked(data.visited_on is not None or visit)
        self.visited_on = date_edit(data.visited_on or self._visit_default(data))
        self.started_at, self.ended_at = QLineEdit(data.started_at), QLineEdit(data.ended_at)
        self.started_at.setPlaceholderText("08:30")
        self.ended_at.setPlaceholderText("10:30")
        self.place = QLineEdit(data.place)
        self.minutes_number = QLineEdit(data.minutes_number)
        self.minutes_number.setPlaceholderText(tr("để trống nếu văn thư ghi số"))
        self.basis = _text_box(data.basis, tr("Căn cứ Kế hoạch số …/KH-… ngày … của … (mỗi căn cứ một dòng)"), 60)
        form = QFormLayout()
        form.addRow(tr("Đơn vị được kiểm tra"), self.unit)
        form.addRow(tr("Hình thức"), self.kind)
        form.addRow(tr("Ngày dự kiến"), self._row(self.has_planned_date, self.planned_on))
        form.addRow(tr("Người, đoàn thực hiện"), self.planned_by)
        form.addRow(tr("Ngày kiểm tra"), self._row(self.visited, self.visited_on))
        form.addRow(tr("Giờ bắt đầu, kết thúc"), self._row(self.started_at, QLabel("-"), self.ended_at))
        form.addRow(tr("Địa điểm"), self.place)
        form.addRow(tr("Số biên bản"), self.minutes_number)
        form.addRow(tr("Căn cứ"), self.basis)
        return self._page(form)

    def _visit_default(self, data: InspectionInput) -> date:
        planned = data.planned_on
        day = planned if planned is not None and planned <= self._today else self._today
        return _clamped(day, self._year)

    @staticmethod
    def _row(*widgets: QWidget) -> QHBoxLayout:
        row = QHBoxLayout()
        for widget in widgets:
            row.addWidget(widget)
        row.addStretch(1)
        return row

    @staticmethod
    def _page(form: QFormLayout) -> QWidget:
        page = QWidget()
        page.setLayout(form)
        return page

    def _people_tab(self, data: InspectionInput) -> QWidget:
        self.team = _text_box(data.team, tr("Mỗi dòng một người: Ông/Bà …, chức vụ …, vai trò (Trưởng đoàn, "
                                            "thành viên, thư ký)"), 140)
        self.unit_attendees = _text_box(data.unit_attendees, tr("Mỗi dòng một người: Ông/Bà …, chức vụ …"), 110)
        form = QFormLayout()
        form.addRow(tr("Đoàn kiểm tra"), self.team)
        form.addRow(tr("Đại diện đơn vị"), self.unit_attendees)
        return self._page(form)

    def _results_tab(self, data: InspectionInput) -> QWidget:
        self.content = _text_box(data.content, tr("Các nội dung kiểm tra, hướng dẫn"))
        self.findings = _text_box(data.findings, tr("Kết quả: ưu điểm, tồn tại, hạn chế"), 100)
        self.conclusion = _text_box(data.conclusion)
        self.unit_opinion = _text_box(data.unit_opinion, tr("Ý kiến của đơn vị được kiểm tra (nếu có)"), 50)
        form = QFormLayout()
        form.addRow(tr("Nội dung"), self.content)
        form.addRow(tr("Kết quả"), self.findings)
        form.addRow(tr("Kết luận"), self.conclusion)
        form.addRow(tr("Ý kiến của đơn vị"), self.unit_opinion)
        return self._page(form)

    def _recommendations_tab(self, data: InspectionInput) -> QWidget:
        self.recommendations = QTableWidget(0, len(RECOMMENDATION_HEADERS))
        self.recommendations.setHorizontalHeaderLabels([tr(text) for text in RECOMMENDATION_HEADERS])
        self.recommendations.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.recommendations.setWordWrap(True)
        self.recommendations.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.recommendations.horizontalHeader()
        header.setSectionResizeMode(TEXT_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in ((DEADLINE_COLUMN, 110), (DONE_COLUMN, 120), (FOLLOW_UP_COLUMN, 200)):
            self.recommendations.setColumnWidth(column, width)
        for item in data.recommendations:
            self.add_recommendation(item)
        self.add_button = QPushButton(tr("Thêm kiến nghị"))
        self.remove_button = QPushButton(tr("Xoá kiến nghị đã chọn"))
        self.add_button.clicked.connect(lambda: self.add_recommendation())
        self.remove_button.clicked.connect(self.remove_selected_recommendations)
        hint = QLabel(tr("Ngày nhập theo dạng ngày/tháng/năm, ví dụ 30/04/{year}. Kiến nghị quá thời hạn mà chưa có "
                         "ngày hoàn thành được nhắc ở trang Kiểm tra.").format(year=self._year))
        hint.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(self.recommendations, 1)
        layout.addLayout(self._row(self.add_button, self.remove_button))
        layout.addWidget(hint)
        return page

    # ---- recommendations ------------------------------------------------------------------------

    def add_recommendation(self, item: RecommendationInput | None = None) -> int:
        row = self.recommendations.rowCount()
        self.recommendations.insertRow(row)
        values = (item.text, vntext.format_date(item.deadline), vntext.format_date(item.done_on),
                  item.follow_up) if item else ("", "", "", "")
        for column, value in enumerate(values):
            self.recommendations.setItem(row, column, QTableWidgetItem(value))
        self._update_recommendations_tab()
        return row

    def set_recommendation(self, row: int, text: str, deadline: str, done_on: str = "", follow_up: str = "") -> None:
        for column, value in enumerate((text, deadline, done_on, follow_up)):
            self.recommendations.item(row, column).setText(value)

    def remove_selected_recommendations(self) -> None:
        for row in sorted({index.row() for index in self.recommendations.selectedIndexes()}, reverse=True):
            self.recommendations.removeRow(row)
        self._update_recommendations_tab()

    def _update_recommendations_tab(self) -> None:
        if self.tabs.count() <= RECOMMENDATIONS_TAB:
            return   # still building the tabs
        count = self.recommendations.rowCount()
        label = tr("Kiến nghị ({n})").format(n=count) if count else tr("Kiến nghị")
        self.tabs.setTabText(RECOMMENDATIONS_TAB, label)

    def _cell(self, row: int, column: int) -> str:
        item = self.recommendations.item(row, column)
        return item.text() if item else ""

    def _typed_recommendations(self) -> tuple[RecommendationInput, ...]:
        typed = []
        for row in range(self.recommendations.rowCount()):
            cells = [self._cell(row, column) for column in range(len(RECOMMENDATION_HEADERS))]
            if not any(vntext.clean(cell) for cell in cells):
                continue   # an empty line added and left
            number = len(typed) + 1
            typed.append(RecommendationInput(cells[TEXT_COLUMN], self._date(cells[DEADLINE_COLUMN], number, "thời hạn"),
                                             self._date(cells[DONE_COLUMN], number, "ngày hoàn thành"),
                                             cells[FOLLOW_UP_COLUMN]))
        return tuple(typed)

    @staticmethod
    def _date(text: str, number: int, label: str) -> date | None:
        if not vntext.clean(text):
            return None
        try:
            return vntext.parse_date(text)
        except UserError as error:
            raise UserError(tr("Kiến nghị {n}, {label}: {message}").format(n=number, label=label,
                                                                         message=error.message)) from None

    # ---- the visit ------------------------------------------------------------------------------

    def _visit_widgets(self) -> tuple[QWidget, ...]:
        return (self.visited_on, self.started_at, self.ended_at, self.minutes_number, self.findings, self.conclusion,
                self.unit_opinion, self.recommendations, self.add_button, self.remove_button)

    def _visit_toggled(self, visited: bool) -> None:
        for widget in self._visit_widgets():
            widget.setEnabled(visited)

    def _drops_results(self) -> bool:
        """A made inspection unticked while it holds results: they would be cleared."""
        initial = self._initial
        if initial is None or initial.visited_on is None or self.visited.isChecked():
            return False
        return any((initial.findings, initial.conclusion, initial.unit_opinion, initial.minutes_number,
                    initial.recommendations, initial.started_at, initial.ended_at))

    def accept(self) -> None:
        if self._drops_results() and not confirm(self, tr("Bỏ ghi nhận đã kiểm tra"), tr(
                "Bỏ chọn \u201cĐã kiểm tra\u201d sẽ xoá giờ, số biên bản, kết quả, kết luận, ý kiến của đơn vị và các "
                "kiến nghị đã ghi. Tiếp tục?")):
            return
        super().accept()

    def typed(self) -> InspectionInput:
        visited = self.visited.isChecked()

        def result(value):
            return value if visited else type(value)()

        return InspectionInput(
            unit_id=self.unit.currentData() or 0, kind=chosen(self.kind, InspectionKind),
            planned_on=self.planned_on.date().toPython() if self.has_planned_date.isChecked() else None,
            planned_by=self.planned_by.text(), visited_on=self.visited_on.date().toPython() if visited else None,
            started_at=result(self.started_at.text()), ended_at=result(self.ended_at.text()),
            place=self.place.text(), basis=self.basis.toPlainText(), team=self.team.toPlainText(),
            unit_attendees=self.unit_attendees.toPlainText(), content=self.content.toPlainText(),
            findings=result(self.findings.toPlainText()), conclusion=result(self.conclusion.toPlainText()),
            unit_opinion=result(self.unit_opinion.toPlainText()),
            minutes_number=result(self.minutes_number.text()),
            recommendations=self._typed_recommendations() if visited else (),
        )
