"""The "Tuyên truyền, Ngày hội" page: a year's propaganda, the Ngày hội toàn dân bảo vệ ANTQ (19/8)
of every unit, and the commemorative days of the plan as a calendar.

Three tabs under one year chooser; every change is saved at once and every tab shows it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import events as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.events import ActivityKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import events
from antq_desktop.services.events import (
    ActivityRow,
    CalendarEntry,
    EventsStats,
    FestivalInput,
    FestivalRow,
)
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.editable_table import EditableColumn, EditableRowModel
from antq_desktop.ui.event_dialogs import (
    ActivityDialog,
    FestivalDayDialog,
    FestivalDialog,
)
from antq_desktop.ui.forms import year_box
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

ACTIVITY_COLUMNS = (
    Column(tr("Ngày"), lambda r: vntext.format_date(r.held_on), lambda r: (r.held_on, r.id)),
    Column(tr("Hình thức"), lambda r: r.kind.label, lambda r: r.kind.rank),
    Column(tr("Đơn vị tổ chức"), lambda r: r.unit_name),
    Column(tr("Nội dung"), lambda r: r.title),
    Column(tr("Số người"), lambda r: rules.format_count(r.reach), lambda r: -1 if r.reach is None else r.reach),
    Column(tr("Ghi chú"), lambda r: r.note),
)
COUNTED_COLUMN, DATE_COLUMN, PARTICIPANTS_COLUMN, HIGHLIGHTS_COLUMN = 2, 3, 4, 5
FESTIVAL_COLUMNS = (
    Column(tr("Đơn vị"), lambda r: r.name),
    Column(tr("Loại"), lambda r: r.kind.label, lambda r: r.kind.rank),
    Column(tr("Tính vào tỷ lệ"), lambda r: tr("Có") if r.counted else tr("Không: {why}").format(why=r.not_counted),
           lambda r: (not r.counted, r.not_counted or "")),
    EditableColumn(tr("Ngày tổ chức"), lambda r: vntext.format_date(r.held_on) or tr("Chưa tổ chức"),
                   lambda r: (r.held_on is None, r.held_on or date.min), lambda r: vntext.format_date(r.held_on)),
    EditableColumn(tr("Số người tham gia"), lambda r: rules.format_count(r.participants),
                   lambda r: -1 if r.participants is None else r.participants,
                   lambda r: rules.format_count(r.participants)),
    EditableColumn(tr("Nội dung nổi bật"), lambda r: r.highlights, None, lambda r: r.highlights),
)
CALENDAR_COLUMNS = (
    Column(tr("Thời gian"), lambda e: e.day.when, lambda e: (e.start, not e.day.whole_month)),
    Column(tr("Ngày kỷ niệm"), lambda e: e.day.title),
    Column(tr("Ngày"), lambda e: e.dates, lambda e: (e.start, e.end)),
    Column(tr("Số hoạt động"), lambda e: str(len(e.activities)), lambda e: len(e.activities)),
    Column(tr("Lượt người"), lambda e: rules.format_count(e.reach), lambda e: e.reach or 0),
    Column(tr("Còn lại"), lambda e: e.countdown.text,
           lambda e: (e.countdown.passed, e.countdown.days_left)),
)
SHOWN_ALL, SHOWN_HELD, SHOWN_MISSING = "all", "held", "missing"


def _button_row(owner, entries) -> QHBoxLayout:
    """A row of ``(key, text, slot)`` buttons, kept in ``owner.buttons`` by key."""
    row = QHBoxLayout()
    owner.buttons = {}
    for key, text, slot in entries:
        button = QPushButton(text)
        button.clicked.connect(slot)
        row.addWidget(button)
        owner.buttons[key] = button
    return row


def _wrapped_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


class _Tab(QWidget):
    """A tab of the page: it reads and writes through the page (its database, ward, year)."""

    def __init__(self, page: EventsPage):
        super().__init__()
        self.page = page

    def read(self, work: Callable):
        with self.page.db.transaction() as session:
            return work(session)

    def write(self, work: Callable, saved_message: str) -> bool:
        """Run ``work(session)`` in one transaction (a refusal is shown in a box), then refresh the page."""
        done = attempt(self, lambda: self.read(work) or True) is not None
        self.page.refresh()
        if done:
            self.page.status_message.emit(saved_message)
        return done


# ---- Tuyên truyền ---------------------------------------------------------------------------------------------

class ActivitiesTab(_Tab):
    def __init__(self, page: EventsPage):
        super().__init__(page)
        self._rows: list[ActivityRow] = []
        self.kind = QComboBox()
        self.kind.addItem(tr("Tất cả hình thức"), None)
        for kind in ActivityKind:
            self.kind.addItem(kind.label, kind.value)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm theo nội dung, đơn vị, ghi chú…"))
        self.search.setClearButtonEnabled(True)
        self.model = RowTableModel(ACTIVITY_COLUMNS, self)
        self.table = RecordTable(self.model, (95, 160, 250, 400, 80), "events/activities")
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.summary = _wrapped_label()
        filters = QHBoxLayout()
        filters.addWidget(QLabel(tr("Hình thức")))
        filters.addWidget(self.kind)
        filters.addWidget(self.search, 1)
        buttons = _button_row(self, (("add", tr("Thêm hoạt động…"), self.add_activity),
                                     ("edit", tr("Sửa…"), self.edit_selected),
                                     ("delete", tr("Xoá"), self.delete_selected)))
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        self.kind.currentIndexChanged.connect(lambda _n: self.apply_filters())
        self.search.textChanged.connect(lambda _text: self.apply_filters())

    def show_year(self, rows: list[ActivityRow], stats: EventsStats) -> None:
        self._rows = rows
        self.apply_filters()
        kinds = " · ".join(f"{kind.label} {n}" for kind, n in stats.by_kind.items() if n)
        self.summary.setText(stats.activities_summary + (f"\n{kinds}" if kinds else ""))

    def apply_filters(self) -> None:
        kind, pattern = self.kind.currentData(), vntext.search_key(self.search.text())
        shown = [row for row in self._rows if (kind is None or row.kind.value == kind)
                 and (not pattern or pattern in vntext.search_key(f"{row.title} {row.unit_name} {row.note}"))]
        self.model.set_rows(shown)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _selected(self) -> ActivityRow | None:
        numbers = self.table.selected_row_numbers()
        if len(numbers) != 1:
            self.page.status_message.emit(tr("Hãy chọn một hoạt động trong bảng."))
            return None
        return self.model.rows[numbers[0]]

    def _dialog(self, save: Callable, initial: ActivityRow | None) -> bool:
        include = initial.unit_id if initial else None
        units, ward = self.read(lambda s: (events.unit_choices(s, self.page.ward_id, include),
                                           events.ward_name(s, self.page.ward_id)))
        year = self.page.current_year()
        default_day = date.today() if date.today().year == year else date(year, 1, 1)
        return bool(ActivityDialog(save, units, ward, initial, default_day, self).exec())

    def add_activity(self) -> None:
        def save(data) -> None:
            self.read(lambda s: events.add_activity(s, self.page.ward_id, data, current_actor()))

        if self._dialog(save, None):
            self.page.refresh()
            self.page.status_message.emit(tr("Đã thêm hoạt động tuyên truyền."))

    def edit_selected(self) -> None:
        row = self._selected()
        if row is None:
            return

        def save(data) -> None:
            self.read(lambda s: events.update_activity(s, row.id, data, current_actor(), row.version))

        if self._dialog(save, row):
            self.page.refresh()
            self.page.status_message.emit(tr("Đã lưu hoạt động tuyên truyền."))

    def delete_selected(self) -> None:
        row = self._selected()
        if row is not None and confirm(self, tr("Xoá hoạt động"), tr("Xoá hoạt động ngày {day} \u201c{title}\u201d?")
                                       .format(day=vntext.format_date(row.held_on), title=row.title)):
            self.write(lambda s: events.delete_activity(s, row.id, row.version), tr("Đã xoá hoạt động."))


# ---- Ngày hội 19/8 -----------------------------------------------------------------------------------------------

class FestivalTab(_Tab):
    def __init__(self, page: EventsPage):
        super().__init__(page)
        self._rows: list[FestivalRow] = []
        self.shown = QComboBox()
        for text, value in ((tr("Tất cả đơn vị"), SHOWN_ALL), (tr("Đã tổ chức"), SHOWN_HELD),
                            (tr("Chưa tổ chức"), SHOWN_MISSING)):
            self.shown.addItem(text, value)
        self.share_bar = QProgressBar()
        self.share_bar.setTextVisible(False)
        self.share = QLabel()
        self.share.setStyleSheet("font-weight: bold;")
        self.missing = _wrapped_label()
        self.model = EditableRowModel(FESTIVAL_COLUMNS, self._save_edit, lambda row: row.unit_id, self)
        self.table = RecordTable(self.model, (270, 110, 270, 105, 125), "events/festival")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.DoubleClicked
                                   | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.doubleClicked.connect(self._double_clicked)
        top = QHBoxLayout()
        top.addWidget(self.share)
        top.addWidget(self.share_bar, 1)
        buttons = _button_row(self, (("edit", tr("Ghi / sửa Ngày hội…"), self.edit_selected),
                                     ("many", tr("Ghi cho các đơn vị đã chọn…"), self.record_selected),
                                     ("delete", tr("Xoá bản ghi"), self.delete_selected)))
        buttons.addStretch(1)
        buttons.addWidget(QLabel(tr("Hiện")))
        buttons.addWidget(self.shown)
        hint = _wrapped_label()
        hint.setText(tr("Nhấp đúp vào ô ngày, số người hoặc nội dung để sửa ngay trong bảng; xoá trống ô ngày để "
                        "bỏ bản ghi. Tỷ lệ tính trên các đơn vị thuộc diện xét \u201cAn toàn về ANTT\u201d."))
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.missing)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(hint)
        self.shown.currentIndexChanged.connect(lambda _n: self.apply_filter())

    def show_year(self, rows: list[FestivalRow], share: events.FestivalShare) -> None:
        self._rows = rows
        self.apply_filter()
        self._show_share(share)

    def _show_share(self, share: events.FestivalShare) -> None:
        self.share.setText(share.summary)
        self.share_bar.setRange(0, max(share.units, 1))
        self.share_bar.setValue(share.held)
        if share.missing:
            self.missing.setText(tr("Chưa tổ chức ({n}): {names}.").format(n=len(share.missing),
                                                                          names="; ".join(share.missing)))
        else:
            self.missing.setText(tr("Mọi đơn vị thuộc diện đã tổ chức Ngày hội.") if share.units else "")

    def _filtered(self, rows: list[FestivalRow]) -> list[FestivalRow]:
        shown = self.shown.currentData()
        if shown == SHOWN_HELD:
            return [row for row in rows if row.held]
        if shown == SHOWN_MISSING:
            return [row for row in rows if not row.held]
        return list(rows)

    def apply_filter(self) -> None:
        rows = self._filtered(self._rows)
        if self.model.rows and self.model.update_rows(rows):
            return  # the same units: fresh values in place, the selection and the order kept
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def _save_edit(self, row: FestivalRow, column: int, value) -> bool:
        year = self.page.current_year()
        if column == DATE_COLUMN and not vntext.clean(value) and row.held and not self._confirm_remove(row):
            return False
        return self._save(row, year, lambda: _edited(row, column, value),
                          tr("Đã lưu Ngày hội năm {year} của \u201c{name}\u201d.").format(year=year, name=row.name))

    def _confirm_remove(self, row: FestivalRow) -> bool:
        return confirm(self, tr("Bỏ bản ghi Ngày hội"), tr("Bỏ bản ghi Ngày hội năm {year} của \u201c{name}\u201d "
                                                          "(cả số người tham gia và nội dung nổi bật)?").format(
            year=self.page.current_year(), name=row.name))

    def _save(self, row: FestivalRow, year: int, typed: Callable[[], FestivalInput | None], message: str) -> bool:
        def work(session) -> None:
            events.set_festival(session, self.page.ward_id, row.unit_id, year, typed(), current_actor(),
                                row.expected_version)

        return self.write(work, message)

    def _selected(self) -> list[FestivalRow]:
        return [self.model.rows[n] for n in self.table.selected_row_numbers()]

    def _double_clicked(self, index) -> None:
        if not self.model.flags(index) & Qt.ItemFlag.ItemIsEditable:
            self.edit_selected()

    def edit_selected(self) -> None:
        rows = self._selected()
        if len(rows) != 1:
            self.page.status_message.emit(tr("Hãy chọn một đơn vị trong bảng."))
            return
        row, year = rows[0], self.page.current_year()

        def save(data: FestivalInput) -> None:
            self.read(lambda s: events.set_festival(s, self.page.ward_id, row.unit_id, year, data, current_actor(),
                                                    row.expected_version))

        if FestivalDialog(save, row, year, self).exec():
            self.page.refresh()
            self.page.status_message.emit(tr("Đã lưu Ngày hội năm {year} của \u201c{name}\u201d.").format(
                year=year, name=row.name))

    def record_selected(self) -> None:
        rows = [row for row in self._selected() if not row.held]
        if not rows:
            self.page.status_message.emit(tr("Hãy chọn các đơn vị chưa có bản ghi Ngày hội."))
            return
        year, added = self.page.current_year(), []

        def save(held_on: date) -> None:
            added.append(self.read(lambda s: events.record_festivals(
                s, self.page.ward_id, year, [row.unit_id for row in rows], held_on, current_actor())))

        if FestivalDayDialog(save, len(rows), year, self).exec():
            self.page.refresh()
            self.page.status_message.emit(tr("Đã ghi Ngày hội cho {n} đơn vị.").format(n=added[-1]))

    def delete_selected(self) -> None:
        rows = [row for row in self._selected() if row.held]
        if len(rows) != 1:
            self.page.status_message.emit(tr("Hãy chọn một đơn vị đã có bản ghi Ngày hội."))
            return
        if self._confirm_remove(rows[0]):
            self._save(rows[0], self.page.current_year(), lambda: None,
                       tr("Đã bỏ bản ghi Ngày hội của \u201c{name}\u201d.").format(name=rows[0].name))


def _edited(row: FestivalRow, column: int, value: str) -> FestivalInput | None:
    """The Ngày hội as it is after one cell's edit (None: removed); typing mistakes are refused."""
    if column == DATE_COLUMN:
        if not vntext.clean(value):
            return None
        held_on = vntext.parse_date(value)
        return FestivalInput(held_on, row.participants, row.highlights)
    if not row.held:
        raise UserError(tr("\u201c{name}\u201d chưa có bản ghi Ngày hội: hãy nhập ngày tổ chức trước.")
                               .format(name=row.name))
    if column == PARTICIPANTS_COLUMN:
        return FestivalInput(row.held_on, rules.parse_count(value, tr("Số người tham gia")), row.highlights)
    return FestivalInput(row.held_on, row.participants, value)


# ---- Lịch ngày kỷ niệm -------------------------------------------------------------------------------------------

class CalendarTab(_Tab):
    def __init__(self, page: EventsPage):
        super().__init__(page)
        self.model = RowTableModel(CALENDAR_COLUMNS, self)
        self.table = RecordTable(self.model, (95, 330, 190, 105, 100), "events/calendar")
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.activities = RowTableModel(ACTIVITY_COLUMNS[:5], self)
        self.activity_table = RecordTable(self.activities, (95, 160, 220, 380), "events/calendar_activities")
        self.detail = QLabel()
        self.problem = _wrapped_label()
        self.problem.setStyleSheet("color: #b00020; font-weight: bold;")
        hint = _wrapped_label()
        hint.setText(tr("Các ngày kỷ niệm lấy từ kế hoạch của phường (cài đặt \u201cNgày kỷ niệm\u201d); "
                        "chọn một ngày để xem các hoạt động đã tổ chức trong ngày (hoặc trong tháng) đó."))
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.detail)
        lower_layout.addWidget(self.activity_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.problem)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_args: self._show_selected())
        self.problem.hide()

    def show_year(self, entries: list[CalendarEntry], problem: str = "") -> None:
        self.problem.setText(problem)
        self.problem.setVisible(bool(problem))
        numbers = self.table.selected_row_numbers()
        chosen = self.model.rows[numbers[0]].day if numbers else None
        self.model.set_rows(entries)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        days = [entry.day for entry in self.model.rows]
        upcoming = next((n for n, e in enumerate(self.model.rows) if not e.countdown.passed), 0)
        if self.model.rows:
            self.table.selectRow(days.index(chosen) if chosen in days else upcoming)
        self._show_selected()

    def _show_selected(self) -> None:
        numbers = self.table.selected_row_numbers()
        entry = self.model.rows[numbers[0]] if numbers else None
        self.activities.set_rows(list(entry.activities) if entry else [])
        if entry is None:
            self.detail.setText(tr("Chưa chọn ngày kỷ niệm."))
        else:
            self.detail.setText(tr("{title} ({dates}): {n} hoạt động").format(
                title=entry.day.title, dates=entry.dates, n=len(entry.activities)))


# ---- the page ----------------------------------------------------------------------------------------------------

class EventsPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None, today: date | None = None):
        super().__init__(parent)
        self.db = db
        self.ward_id = ward_id
        self._today = today
        self.year = year_box()
        self.tabs = QTabWidget()
        self.activities_tab = ActivitiesTab(self)
        self.festival_tab = FestivalTab(self)
        self.calendar_tab = CalendarTab(self)
        self.tabs.addTab(self.activities_tab, tr("Tuyên truyền"))
        self.tabs.addTab(self.festival_tab, tr("Ngày hội 19/8"))
        self.tabs.addTab(self.calendar_tab, tr("Lịch ngày kỷ niệm"))
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.refresh()

    def current_year(self) -> int:
        return self.year.value()

    def today(self) -> date:
        return self._today or date.today()

    def refresh(self) -> None:
        year = self.current_year()
        with self.db.transaction() as session:
            rows = events.list_activities(session, self.ward_id, year)
            stats = events.year_events(session, self.ward_id, year)
            festivals = events.festival_rows(session, self.ward_id, year)
            entries, problem = self._calendar(session, year)
        self.activities_tab.show_year(rows, stats)
        self.festival_tab.show_year(festivals, stats.festival)
        self.calendar_tab.show_year(entries, problem)
        self.status_message.emit(tr("Năm {year}: {n} hoạt động tuyên truyền; {share}").format(
            year=year, n=stats.activities, share=stats.festival.summary))

    def _calendar(self, session, year: int) -> tuple[list[CalendarEntry], str]:
        try:
            return events.year_calendar(session, self.ward_id, year, self.today()), ""
        except UserError as error:  # a wrong setting: the other tabs still work
            return [], error.message

    def save_state(self) -> None:
        for table in (self.activities_tab.table, self.festival_tab.table, self.calendar_tab.table,
                      self.calendar_tab.activity_table):
            table.save_state()
