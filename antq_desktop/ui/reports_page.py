"""The "Báo cáo" page: the report sent upward (the year's, or the six-month sơ kết), written section by
section over drafts composed from the records, with its tables shown as they will print.

Unsaved edits are never lost silently: choosing another year or kind of report, or leaving the
page, asks whether to save them. The main window may also ask first with :meth:`confirm_leave`,
which can cancel; returning to the page keeps what was typed (``refresh`` then updates only the
tables).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QKeySequence, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import vntext
from antq_desktop.i18n import tr
from antq_desktop.reports.year_report import ReportTable, cell_text
from antq_desktop.services import year_report as service
from antq_desktop.services.tracking import current_actor
from antq_desktop.services.year_report import ReportDraft, ReportInput
from antq_desktop.ui.forms import add_buttons, date_edit, year_box
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog

SAVE, DISCARD, CANCEL = "save", "discard", "cancel"


class ReportsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self._draft: ReportDraft | None = None
        self._texts: dict[str, str] = {}   # code -> text as typed, for every section
        self._code: str | None = None      # the section in the editor
        self._asking = False               # a "save?" question is open
        self.year = year_box()
        self.period = QComboBox()
        for code, label in service.PERIODS.items():
            self.period.addItem(tr(label), code)
        self.year.valueChanged.connect(lambda _year: self._choice_changed())
        self.period.currentIndexChanged.connect(lambda _number: self._choice_changed())
        self.tabs = QTabWidget()
        self.tabs.addTab(self._content_tab(), tr("Nội dung báo cáo"))
        self.tabs.addTab(self._tables_tab(), tr("Bảng số liệu"))
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_bar())
        layout.addWidget(self.hint)
        layout.addWidget(self.tabs, 1)
        shortcut = QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.refresh()

    # ---- layout ------------------------------------------------------------------------------------

    def _top_bar(self) -> QHBoxLayout:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addWidget(self.period)
        bar.addStretch(1)
        self.buttons = add_buttons(bar, (("save", tr("Lưu"), self.save),
                                         ("preview", tr("Xem và in…"), self.preview),
                                         ("export", tr("Xuất bảng ra Excel…"), self.export)))
        self.buttons["save"].setToolTip(tr("Lưu báo cáo (Ctrl+S)"))
        return bar

    def _content_tab(self) -> QWidget:
        self.number = QLineEdit()
        self.number.setPlaceholderText(tr("Văn thư ghi"))
        self.number.setMaximumWidth(120)
        self.dated = QCheckBox(tr("Ghi ngày"))
        self.report_date = date_edit()
        self.dated.toggled.connect(self.report_date.setEnabled)
        self.symbol = QLabel()
        self.recipient = QLineEdit()
        self.reference = QPlainTextEdit()
        self.reference.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.reference.textChanged.connect(self._show_hint)
        numbering = QHBoxLayout()
        for widget in (self.number, self.symbol, self.dated, self.report_date):
            numbering.addWidget(widget)
        numbering.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("Số"), numbering)
        form.addRow(tr("Kính gửi"), self.recipient)
        form.addRow(tr("Thực hiện"), self.reference)
        self.sections = QListWidget()
        self.sections.setWordWrap(True)  # long titles wrap rather than hide behind a scroll bar
        self.sections.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.sections.setStyleSheet("QListWidget::item { padding: 3px 2px; }")
        self.sections.currentRowChanged.connect(self._show_section)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.sections)
        splitter.addWidget(self._editor())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([330, 670])
        tab = QWidget()
        column = QVBoxLayout(tab)
        column.addLayout(form)
        column.addWidget(splitter, 1)
        return tab

    def _editor(self) -> QWidget:
        self.section_title = QLabel()
        bold = QFont(self.section_title.font())
        bold.setBold(True)
        self.section_title.setFont(bold)
        self.section_note = QLabel()
        self.section_note.setWordWrap(True)
        self.editor = QPlainTextEdit()
        self.editor.setPlaceholderText(tr("Mỗi đoạn một dòng. Để trống: dùng bản soạn từ số liệu."))
        self.editor.textChanged.connect(self._edited)
        self.regenerate_button = QPushButton(tr("Soạn lại từ số liệu"))
        self.regenerate_button.setToolTip(tr("Soạn lại mục này từ số liệu hiện có (thay nội dung đang soạn)"))
        self.regenerate_button.clicked.connect(self.regenerate)
        under = QHBoxLayout()
        under.addWidget(self.section_note, 1)
        under.addWidget(self.regenerate_button)
        box = QWidget()
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.section_title)
        column.addWidget(self.editor, 1)
        column.addLayout(under)
        return box

    def _tables_tab(self) -> QWidget:
        self.tables_box = QWidget()
        self.tables_layout = QVBoxLayout(self.tables_box)
        self.table_views: list[QTableWidget] = []
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.tables_box)
        return scroll

    # ---- what is shown -----------------------------------------------------------------------------

    def current_choice(self) -> tuple[int, str]:
        return self.year.value(), self.period.currentData()

    def refresh(self) -> None:
        """Read the report again; with unsaved edits, only the tables (the edits stay)."""
        if self.has_unsaved_changes():
            self._load_tables(*self.current_choice())
            self.status_message.emit(tr("Báo cáo còn thay đổi chưa lưu; bảng số liệu đã cập nhật theo số liệu mới."))
            return
        self._load()

    def _load(self) -> None:
        year, period = self.current_choice()
        draft = attempt(self, lambda: self._db.run(
            lambda session: service.get_report(session, self._ward_id, year, period)))
        if draft is None:
            return
        self._fill(draft)
        self._load_tables(year, period)
        written = sum(section.written for section in draft.sections)
        self.status_message.emit(tr("{title}: {written}/{total} mục đã soạn, các mục khác là bản soạn từ số liệu.")
                                 .format(title=service.title(year, period), written=written,
                                         total=len(draft.sections)))

    def _fill(self, draft: ReportDraft) -> None:
        self._draft = draft
        self._texts = {section.code: section.text for section in draft.sections}
        self.number.setText(draft.number)
        self.symbol.setText(f"/{draft.symbol}")
        self.dated.setChecked(draft.report_date is not None)
        self.report_date.setEnabled(draft.report_date is not None)
        self.report_date.setDate(draft.report_date or _usual_day(draft))
        self.recipient.setText(draft.recipient)
        self.reference.setPlainText(draft.reference)
        self._fill_sections(draft)

    def _fill_sections(self, draft: ReportDraft) -> None:
        row = max(0, self.sections.currentRow())
        self._code = None   # the editor's text belongs to the old report: not kept
        self.sections.blockSignals(True)
        self.sections.clear()
        for section in draft.sections:
            self.sections.addItem(section.label)
        self.sections.blockSignals(False)
        self.sections.setCurrentRow(min(row, self.sections.count() - 1))
        self._show_section(self.sections.currentRow())

    def _show_section(self, row: int) -> None:
        if self._draft is None or row < 0:
            return
        self._keep_editor_text()
        section = self._draft.sections[row]
        self._code = section.code
        self.section_title.setText(section.label)
        self.editor.blockSignals(True)
        self.editor.setPlainText(self._texts[section.code])
        self.editor.blockSignals(False)
        self._edited()

    def _keep_editor_text(self) -> None:
        if self._code is not None:
            self._texts[self._code] = self.editor.toPlainText()

    def _edited(self) -> None:
        """The note under the editor, the list's marks and the hint follow the typing."""
        if self._draft is None or self._code is None:
            return
        self._keep_editor_text()
        self.section_note.setText(self._note(self._code))
        for number, section in enumerate(self._draft.sections):
            changed = self._texts[section.code] != section.text
            self.sections.item(number).setText(f"{section.label}{' *' if changed else ''}")
        self._show_hint()

    def _note(self, code: str) -> str:
        section = next(section for section in self._draft.sections if section.code == code)
        if self._texts[code] != section.text:
            return tr("Đã sửa, chưa lưu.")
        if section.written:
            return tr("Nội dung đã soạn và lưu; số liệu trong đoạn văn không tự cập nhật.")
        return tr("Bản soạn từ số liệu ngày {day}: hãy đọc lại, sửa, bổ sung chỗ \u201c…\u201d rồi lưu.").format(
            day=vntext.format_date(self._draft.figures_on))

    def _show_hint(self) -> None:
        """Where "…" still waits for the officer, and a sơ kết made after its year."""
        texts = [self.reference.toPlainText(), *self._texts.values()]
        gaps = sum(text.count(service.GAP) for text in texts)
        notes = []
        if gaps:
            notes.append(tr("Còn {n} chỗ \u201c…\u201d chưa điền.").format(n=gaps))
        year, period = self.current_choice()
        if period == service.HALF and date.today().year > year:
            notes.append(tr("Năm {year} đã qua: số liệu sơ kết là toàn bộ số liệu đang có của năm, không chỉ "
                            "6 tháng đầu năm.").format(year=year))
        self.hint.setText(" ".join(notes))
        self.hint.setVisible(bool(notes))

    def _load_tables(self, year: int, period: str) -> None:
        tables = attempt(self, lambda: self._db.run(
            lambda session: service.report_tables(session, self._ward_id, year, period)))
        if tables is None:
            return
        while self.tables_layout.count():
            widget = self.tables_layout.takeAt(0).widget()
            if widget is not None:  # the stretch at the end has none
                widget.setParent(None)  # gone at once, not when the event loop gets to it
                widget.deleteLater()
        self.table_views = []
        for number, table in enumerate(tables, start=1):
            caption = QLabel(tr("Bảng {n}. {title}").format(n=number, title=table.title))
            caption.setWordWrap(True)
            caption.setFont(self.section_title.font())
            view = _table_view(table)
            self.tables_layout.addWidget(caption)
            self.tables_layout.addWidget(view)
            self.table_views.append(view)
        self.tables_layout.addStretch(1)

    # ---- unsaved edits -----------------------------------------------------------------------------

    def typed(self) -> ReportInput:
        self._keep_editor_text()
        day = self.report_date.date().toPython() if self.dated.isChecked() else None
        return ReportInput(self.number.text(), day, self.recipient.text(), self.reference.toPlainText(),
                           dict(self._texts))

    def has_unsaved_changes(self) -> bool:
        return self._draft is not None and self.typed() != self._draft.as_input()

    def _ask(self, can_cancel: bool) -> str:
        """Save, discard, or (when the move can be undone) stay."""
        box = QMessageBox(QMessageBox.Icon.Question, tr("Báo cáo chưa lưu"), tr(
            "{title} có thay đổi chưa lưu. Lưu lại trước khi chuyển?").format(
            title=service.title(self._draft.year, self._draft.period)), parent=self)
        buttons = QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
        if can_cancel:
            buttons |= QMessageBox.StandardButton.Cancel
        box.setStandardButtons(buttons)
        box.button(QMessageBox.StandardButton.Save).setText(tr("Lưu"))
        box.button(QMessageBox.StandardButton.Discard).setText(tr("Không lưu"))
        if can_cancel:
            box.button(QMessageBox.StandardButton.Cancel).setText(tr("Ở lại"))
        self._asking = True
        try:
            answer = box.exec()
        finally:
            self._asking = False
        return {QMessageBox.StandardButton.Save: SAVE, QMessageBox.StandardButton.Discard: DISCARD}.get(
            QMessageBox.StandardButton(answer), CANCEL)

    def confirm_leave(self) -> bool:
        """For the main window, before it shows another page or closes: False means stay here."""
        if not self.has_unsaved_changes():
            return True
        answer = self._ask(can_cancel=True)
        if answer == SAVE:
            return self.save()
        if answer == DISCARD:
            self._load()
        return answer == DISCARD

    def show_report(self, year: int, period: str) -> None:
        """Open on a year's report (``service.YEAR``) or its sơ kết (``service.HALF``), e.g. from a
        deadline on the dashboard; unsaved edits are asked about once."""
        self._show_choice(year, period)
        self._choice_changed()

    def _choice_changed(self) -> None:
        if self._draft is None or (self._draft.year, self._draft.period) == self.current_choice():
            return
        if self.has_unsaved_changes():
            answer = self._ask(can_cancel=True)
            if answer == CANCEL or (answer == SAVE and not self.save()):
                self._show_choice(self._draft.year, self._draft.period)  # back to the report being edited
                return
        self._load()

    def _show_choice(self, year: int, period: str) -> None:
        for widget in (self.year, self.period):
            widget.blockSignals(True)
        self.year.setValue(year)
        self.period.setCurrentIndex(self.period.findData(period))
        for widget in (self.year, self.period):
            widget.blockSignals(False)

    def hideEvent(self, event) -> None:
        # Leaving the page (another page shown, the window closed) with edits not saved: ask. A
        # minimised window hides its pages "spontaneously": nothing is left then.
        if not event.spontaneous() and not self._asking and self.has_unsaved_changes():
            if self._ask(can_cancel=False) == DISCARD:
                self._load()
            else:  # saved unless the officer chose not to; a refused save keeps the edits on the page
                self.save()
        super().hideEvent(event)

    def save_state(self) -> None:
        """Nothing to remember between sessions: the tables size themselves (the edits are asked about on leaving)."""

    # ---- actions -----------------------------------------------------------------------------------


    def save(self) -> bool:
        if self._draft is None:
            return False
        draft, data = self._draft, self.typed()
        saved = attempt(self, lambda: self._db.run(lambda session: service.save_report(
            session, self._ward_id, draft.year, draft.period, data, current_actor(), draft.version)))
        if saved is None:
            return False
        self._fill(saved)
        self.status_message.emit(tr("Đã lưu {title}.").format(title=service.title(draft.year, draft.period).lower()))
        return True

    def regenerate(self) -> None:
        if self._draft is None or self._code is None:
            return
        draft, code = self._draft, self._code
        text = attempt(self, lambda: self._db.run(lambda session: service.regenerate_section(
            session, self._ward_id, draft.year, draft.period, code)))
        if text is None:
            return
        current = self.editor.toPlainText()
        if current.strip() and current != text and not confirm(self, tr("Soạn lại từ số liệu"), tr(
                "Thay nội dung mục \u201c{label}\u201d bằng bản soạn lại từ số liệu hiện có? Có thể hoàn tác bằng "
                "Ctrl+Z.").format(label=self.section_title.text())):
            return
        cursor = self.editor.textCursor()   # through the cursor, so Ctrl+Z brings the old text back
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.insertText(text)
        self.status_message.emit(tr("Đã soạn lại mục \u201c{label}\u201d từ số liệu.").format(
            label=self.section_title.text()))

    def preview(self) -> None:
        """The report as typed, saved or not, seen before it is printed."""
        if self._draft is None:
            return
        draft, data = self._draft, self.typed()
        pdf = attempt(self, lambda: self._db.run(lambda session: service.report_pdf(
            session, self._ward_id, draft.year, draft.period, data=data)))
        if pdf is not None:
            PdfPreviewDialog(pdf, service.title(draft.year, draft.period), _file_name(draft, "pdf"), self).exec()

    def export(self) -> None:
        if self._draft is None:
            return
        draft = self._draft
        path, _ = QFileDialog.getSaveFileName(self, tr("Xuất bảng số liệu ra Excel"), _file_name(draft, "xlsx"),
                                              tr("Sổ làm việc Excel (*.xlsx)"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        sheets = attempt(self, lambda: self._db.run(lambda session: service.export_tables(
            session, self._ward_id, draft.year, draft.period, path)))
        if sheets is not None:
            self.status_message.emit(tr("Đã xuất {n} bảng số liệu ra tệp {name}.").format(n=sheets,
                                                                                        name=Path(path).name))


def _usual_day(draft: ReportDraft) -> date:
    """The day offered when "Ghi ngày" is ticked: today, or the last day the report may carry."""
    last = date(draft.year, 12, 31) if draft.period == service.HALF else date(draft.year + 1, 12, 31)
    return min(date.today(), last)


def _file_name(draft: ReportDraft, suffix: str) -> str:
    kind = "so-ket-6-thang" if draft.period == service.HALF else "bao-cao-nam"
    return f"{kind}-{draft.year}.{suffix}"


def _table_view(table: ReportTable) -> QTableWidget:
    """A read-only table as printed: totals in bold, figures centred, every row visible (no scrolling)."""
    view = QTableWidget(len(table.rows), len(table.columns))
    view.setHorizontalHeaderLabels([column.heading for column in table.columns])
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(False)
    first_total = len(table.rows) - table.totals
    for row, values in enumerate(table.rows):
        for column, (value, spec) in enumerate(zip(values, table.columns)):
            item = QTableWidgetItem(cell_text(value))
            if spec.align != "LEFT":
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if row >= first_total:
                font = item.font()
                font.setBold(True)
                item.setFont(font)
            view.setItem(row, column, item)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    widest = max(range(len(table.columns)), key=lambda column: table.columns[column].weight)
    header.setSectionResizeMode(widest, QHeaderView.ResizeMode.Stretch)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    rows = view.verticalHeader().defaultSectionSize() * len(table.rows)
    view.setFixedHeight(header.sizeHint().height() + rows + 2 * view.frameWidth() + 2)
    return view
