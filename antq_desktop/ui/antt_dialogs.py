"""Dialogs of the "An toàn về ANTT" year: registration, incidents, review meeting."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt
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
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from antq_desktop.domain import vntext
from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.criteria import IncidentKind
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services.antt import (
    IncidentInput,
    IncidentRow,
    RegistrationInput,
    registration_warnings,
)
from antq_desktop.services.antt_assessment import (
    AssessmentView,
    MeetingInput,
    PointAnswer,
)
from antq_desktop.ui.choices import chosen, enum_combo
from antq_desktop.ui.forms import (
    SavingDialog,
    close_buttons,
    date_edit,
    error_label,
    save_buttons,
    show_error,
)
from antq_desktop.ui.messages import confirm


class RegistrationDialog(SavingDialog):
    def __init__(self, unit_name: str, kind: UnitKind, year: int, save: Callable[[RegistrationInput], object],
                 initial: RegistrationInput | None = None, parent=None):
        super().__init__(save, parent)
        self._kind, self._year = kind, year
        self.setWindowTitle(tr("Đăng ký phấn đấu đạt tiêu chuẩn \u201cAn toàn về ANTT\u201d năm {year}").format(year=year))
        initial = initial or RegistrationInput(registered_on=min(date.today(), date(year, 12, 31)))
        self.registered_on = date_edit(initial.registered_on)
        self.resolution_ref = QLineEdit(initial.resolution_ref)
        self.plan_ref = QLineEdit(initial.plan_ref)
        self.registration_ref = QLineEdit(initial.registration_ref)
        self.resolution_ref.setPlaceholderText(tr("ví dụ: Nghị quyết số 02-NQ/CB ngày 10/01/{year}").format(year=year))
        self.households_registered = QSpinBox()
        self.households_total = QSpinBox()
        for box, value in ((self.households_registered, initial.households_registered),
                           (self.households_total, initial.households_total)):
            box.setRange(0, 100_000)
            box.setValue(value or 0)
        self.note = QPlainTextEdit(initial.note)
        self.note.setFixedHeight(50)
        self.note.setTabChangesFocus(True)
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet("color: #8a5a00;")
        form = QFormLayout()
        form.addRow(tr("Đơn vị"), QLabel(f"<b>{html.escape(unit_name)}</b>"))
        form.addRow(tr("Ngày đăng ký"), self.registered_on)
        form.addRow(tr("Nghị quyết của chi bộ, cấp ủy"), self.resolution_ref)
        form.addRow(tr("Kế hoạch"), self.plan_ref)
        form.addRow(tr("Bản đăng ký"), self.registration_ref)
        if kind is UnitKind.KDC:
            form.addRow(tr("Số hộ đã đăng ký"), self.households_registered)
            form.addRow(tr("Tổng số hộ đang cư trú"), self.households_total)
        form.addRow(tr("Ghi chú"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warnings)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        for signal in (self.registered_on.dateChanged, self.households_registered.valueChanged,
                       self.households_total.valueChanged):
            signal.connect(self._show_warnings)
        self._show_warnings()
        self.resize(560, 0)

    def typed(self) -> RegistrationInput:
        kdc = self._kind is UnitKind.KDC
        return RegistrationInput(
            registered_on=self.registered_on.date().toPython(), resolution_ref=self.resolution_ref.text(),
            plan_ref=self.plan_ref.text(), registration_ref=self.registration_ref.text(),
            households_registered=self.households_registered.value() if kdc and self.households_total.value() else None,
            households_total=self.households_total.value() if kdc and self.households_total.value() else None,
            note=self.note.toPlainText(),
        )

    def _show_warnings(self) -> None:
        found = registration_warnings(self._kind, self.typed(), self._year)
        self.warnings.setText("\n".join(found))
        self.warnings.setVisible(bool(found))


class IncidentsDialog(QDialog):
    """The unit's incidents in its evaluation period: list, add, remove."""

    def __init__(self, unit_name: str, period: tuple[date, date], kinds: tuple[IncidentKind, ...],
                 load: Callable[[], list[IncidentRow]], add: Callable[[IncidentInput], object],
                 remove: Callable[[list[int]], object], parent=None):
        super().__init__(parent)
        self._load, self._add, self._remove = load, add, remove
        self._labels = {kind.code: kind.label for kind in kinds}
        self._crime = {kind.code for kind in kinds if kind.crime}
        self.setWindowTitle(tr("Vụ việc của {name}").format(name=unit_name))
        period_text = tr("Kỳ đánh giá: {start} - {end}").format(
            start=vntext.format_date(period[0]), end=vntext.format_date(period[1]))
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([tr("Ngày"), tr("Loại vụ việc"), tr("Mức độ"), tr("Ngoại lệ"), tr("Tóm tắt")])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.occurred_on = date_edit(min(date.today(), period[1]))
        self.kind = QComboBox()
        self.kind.addItem(tr("— chọn loại vụ việc —"), None)
        for kind in kinds:
            self.kind.addItem(kind.label, kind.code)
        self.severity = enum_combo(CrimeSeverity, tr("— không phải tội phạm —"))
        self.force_majeure = QCheckBox(tr("Bất khả kháng"))
        self.reported_in_time = QCheckBox(tr("Phát hiện kịp thời, ngăn chặn và báo cáo ngay"))
        self.summary = QLineEdit()
        self.error = error_label()
        add_button = QPushButton(tr("Thêm vụ việc"))
        remove_button = QPushButton(tr("Xoá vụ việc đã chọn"))
        add_button.clicked.connect(self.add_incident)
        remove_button.clicked.connect(self.remove_selected)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        form = QFormLayout()
        form.addRow(tr("Ngày xảy ra"), self.occurred_on)
        form.addRow(tr("Loại vụ việc"), self.kind)
        form.addRow(tr("Mức độ tội phạm"), self.severity)
        form.addRow("", self.force_majeure)
        form.addRow("", self.reported_in_time)
        form.addRow(tr("Tóm tắt"), self.summary)
        buttons = QHBoxLayout()
        buttons.addWidget(add_button)
        buttons.addWidget(remove_button)
        buttons.addStretch(1)
        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(period_text))
        layout.addWidget(self.table, 1)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self._kind_changed()
        self.refresh()
        self.resize(820, 560)

    def _kind_changed(self) -> None:
        self.severity.setEnabled(self.kind.currentData() in self._crime)

    def refresh(self) -> None:
        self.rows = self._load()
        self.table.setRowCount(len(self.rows))
        for number, row in enumerate(self.rows):
            exceptions = [text for flag, text in ((row.force_majeure, tr("bất khả kháng")),
                                                  (row.reported_in_time, tr("báo cáo kịp thời"))) if flag]
            values = (vntext.format_date(row.occurred_on), self._labels.get(row.kind_code, row.kind_code),
                      row.severity.label if row.severity else "", ", ".join(exceptions), row.summary)
            for column, value in enumerate(values):
                self.table.setItem(number, column, QTableWidgetItem(value))
        self.table.resizeColumnsToContents()

    def typed(self) -> IncidentInput:
        return IncidentInput(
            occurred_on=self.occurred_on.date().toPython(), kind_code=self.kind.currentData() or "",
            severity=chosen(self.severity, CrimeSeverity) if self.severity.isEnabled() else None,
            force_majeure=self.force_majeure.isChecked(), reported_in_time=self.reported_in_time.isChecked(),
            summary=self.summary.text(),
        )

    def add_incident(self) -> None:
        try:
            self._add(self.typed())
        except UserError as error:
            show_error(self.error, error.message)
            return
        self.error.hide()
        self.summary.clear()
        self.refresh()

    def remove_selected(self) -> None:
        chosen_ids = [self.rows[row].id for row in sorted({i.row() for i in self.table.selectedIndexes()})]
        if not chosen_ids or not confirm(self, tr("Xoá vụ việc"), tr("Xoá {n} vụ việc đã chọn khỏi sổ theo dõi?").format(
                n=len(chosen_ids))):
            return
        try:
            self._remove(chosen_ids)
        except UserError as error:
            show_error(self.error, error.message)
        self.refresh()


_MET_CHOICES = ((None, "— chưa đánh giá —"), (True, "Đạt"), (False, "Không đạt"))
_POINT_COLUMNS = ("Tiêu chí", "Nội dung", "Kết quả", "Căn cứ, minh chứng", "Ghi chú", "Lý do (khi khác đề xuất)")


class AssessmentDialog(SavingDialog):
    """The review meeting: its date and members, and every criterion point answered."""

    def __init__(self, view: AssessmentView, save: Callable[[tuple[MeetingInput, list[PointAnswer]]], object],
                 parent=None):
        super().__init__(save, parent)
        self.view = view
        self.setWindowTitle(tr("Họp đánh giá: {name} (năm {year})").format(name=view.unit_name, year=view.year))
        meeting = view.meeting
        self.meeting_on = date_edit(meeting.meeting_on or min(date.today(), view.period[1]))
        self.meeting_held = QCheckBox(tr("Đã họp"))
        self.meeting_held.setChecked(meeting.meeting_on is not None)
        self.place = QLineEdit(meeting.place)
        self.chair = QLineEdit(meeting.chair)
        self.attendees = QPlainTextEdit(meeting.attendees)
        self.attendees.setPlaceholderText(tr("Mỗi dòng một người: chức vụ - họ tên (Bí thư chi bộ, Trưởng ban công "
                                             "tác Mặt trận, đại diện các đoàn thể, Công an phường…)"))
        self.attendees.setFixedHeight(70)
        self.attendees.setTabChangesFocus(True)
        self.table = self._points_table()
        self.outcome = QLabel()
        self.outcome.setStyleSheet("font-weight: bold;")
        date_row = QHBoxLayout()
        date_row.addWidget(self.meeting_held)
        date_row.addWidget(self.meeting_on)
        date_row.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("Ngày họp"), date_row)
        form.addRow(tr("Địa điểm"), self.place)
        form.addRow(tr("Chủ trì"), self.chair)
        form.addRow(tr("Thành phần"), self.attendees)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("Bộ tiêu chí: {title}").format(title=view.catalogue_title)))
        layout.addLayout(form)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.outcome)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Lưu kết quả họp"))
        self._update_outcome()
        self.resize(1100, 760)

    def _points_table(self) -> QTableWidget:
        table = QTableWidget(0, len(_POINT_COLUMNS))
        table.setHorizontalHeaderLabels([tr(text) for text in _POINT_COLUMNS])
        table.verticalHeader().hide()
        table.setWordWrap(True)
        self.choices: dict[str, QComboBox] = {}
        self.rows_by_code: dict[str, int] = {}
        for criterion in self.view.criteria:
            row = table.rowCount()
            table.insertRow(row)
            heading = QTableWidgetItem(tr("Tiêu chí {n}. {title}").format(n=criterion.number, title=criterion.title))
            heading.setFlags(Qt.ItemFlag.ItemIsEnabled)
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            table.setItem(row, 0, heading)
            table.setSpan(row, 0, 1, len(_POINT_COLUMNS))
            for point in criterion.points:
                self._add_point_row(table, point)
        header = table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        for column, width in ((0, 70), (2, 130), (3, 200), (4, 140), (5, 180)):
            table.setColumnWidth(column, width)
        # Row heights follow the wrapped text, so they are measured again whenever widths change.
        header.sectionResized.connect(lambda *_: table.resizeRowsToContents())
        return table

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def _add_point_row(self, table: QTableWidget, point) -> None:
        row = table.rowCount()
        table.insertRow(row)
        self.rows_by_code[point.code] = row
        code = QTableWidgetItem(point.code)
        code.setFlags(Qt.ItemFlag.ItemIsEnabled)
        text = point.text
        if point.proposed_unmet:
            text += "\n" + tr("⚠ Sổ theo dõi đề xuất KHÔNG ĐẠT: ") + "; ".join(point.proposed_unmet)
        content = QTableWidgetItem(text)
        content.setFlags(Qt.ItemFlag.ItemIsEnabled)
        if point.proposed_unmet:
            content.setForeground(Qt.GlobalColor.darkRed)
        combo = QComboBox()
        for value, label in _MET_CHOICES:
            combo.addItem(tr(label), value)
        initial = point.met if point.met is not None or not point.proposed_unmet else False
        combo.setCurrentIndex([value for value, _ in _MET_CHOICES].index(initial))
        combo.currentIndexChanged.connect(self._update_outcome)
        self.choices[point.code] = combo
        table.setItem(row, 0, code)
        table.setItem(row, 1, content)
        table.setCellWidget(row, 2, combo)
        for column, value in ((3, point.evidence), (4, point.note), (5, point.override_reason)):
            table.setItem(row, column, QTableWidgetItem(value))

    def set_answer(self, code: str, met: bool | None) -> None:
        self.choices[code].setCurrentIndex([value for value, _ in _MET_CHOICES].index(met))

    def _cell(self, code: str, column: int) -> str:
        item = self.table.item(self.rows_by_code[code], column)
        return item.text() if item else ""

    def answers(self) -> list[PointAnswer]:
        return [
            PointAnswer(code=code, met=combo.currentData(), evidence=self._cell(code, 3), note=self._cell(code, 4),
                        override_reason=self._cell(code, 5))
            for code, combo in self.choices.items()
        ]

    def typed(self) -> tuple[MeetingInput, list[PointAnswer]]:
        meeting = MeetingInput(
            meeting_on=self.meeting_on.date().toPython() if self.meeting_held.isChecked() else None,
            place=self.place.text(), chair=self.chair.text(), attendees=self.attendees.toPlainText(),
        )
        return meeting, self.answers()

    def _update_outcome(self) -> None:
        values = [combo.currentData() for combo in self.choices.values()]
        unanswered = sum(value is None for value in values)
        unmet = [code for code, combo in self.choices.items() if combo.currentData() is False]
        if unanswered:
            self.outcome.setText(tr("Còn {n} nội dung chưa đánh giá.").format(n=unanswered))
        elif unmet:
            self.outcome.setText(tr("Kết quả: CHƯA ĐẠT (không đạt: {codes})").format(codes=", ".join(unmet)))
        else:
            self.outcome.setText(tr("Kết quả: ĐẠT tất cả các tiêu chí."))
