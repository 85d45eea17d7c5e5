"""The "Lực lượng nòng cốt" page: members, trainings, equipment and the Tổ ratings of a year.

Above the tabs, the year's figures against the plan's targets (100% trained and equipped) and
the roster's print button; the roster prints the team chosen in the members' filter, or every
team of the chosen force.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import vntext
from antq_desktop.domain.forces import ForceKind, role_rank
from antq_desktop.i18n import tr
from antq_desktop.reports.roster import render_roster
from antq_desktop.services import core_forces
from antq_desktop.services.core_forces import (
    EquipmentRow,
    ForcesYear,
    MemberRow,
    TrainingRow,
    roster_order,
)
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.choices import chosen, enum_combo
from antq_desktop.ui.force_dialogs import (
    DayDialog,
    EquipmentDialog,
    MemberDialog,
    TrainingDialog,
)
from antq_desktop.ui.forces_page import ForcesPage
from antq_desktop.ui.forms import add_buttons, year_box
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

MEMBERS_TAB, TRAININGS_TAB, EQUIPMENT_TAB, RATINGS_TAB = range(4)


def _date_key(day: date | None) -> str:
    return day.isoformat() if day else ""


MEMBER_COLUMNS = (   # the first column is the default order: the roster's
    Column(tr("Tổ, đội"), lambda r: r.team, roster_order),
    Column(tr("Họ và tên"), lambda r: r.full_name, lambda r: (r.name_sort, r.id)),
    Column(tr("Chức danh"), lambda r: r.role, lambda r: (role_rank(r.role), vntext.sort_key(r.role), r.name_sort)),
    Column(tr("Năm sinh"), lambda r: str(r.birth_year or ""), lambda r: r.birth_year or 0),
    Column(tr("Giới tính"), lambda r: r.gender.label if r.gender else ""),
    Column(tr("Điện thoại"), lambda r: r.phone),
    Column(tr("Ngày tham gia"), lambda r: vntext.format_date(r.joined_on), lambda r: _date_key(r.joined_on)),
    Column(tr("Ngày thôi"), lambda r: vntext.format_date(r.left_on), lambda r: _date_key(r.left_on)),
    Column(tr("Huấn luyện trong năm"), lambda r: tr("{n} buổi").format(n=r.trainings) if r.trainings else tr("Chưa"),
           lambda r: r.trainings),
    Column(tr("Trang bị đang giữ"), lambda r: ", ".join(r.equipment), lambda r: len(r.equipment)),
)
TRAINING_COLUMNS = (
    Column(tr("Ngày"), lambda r: vntext.format_date(r.held_on), lambda r: (r.held_on, r.id)),
    Column(tr("Nội dung huấn luyện"), lambda r: r.topic),
    Column(tr("Số giờ"), lambda r: str(r.hours), lambda r: r.hours),
    Column(tr("Địa điểm"), lambda r: r.place),
    Column(tr("Số người dự"), lambda r: str(r.attendees), lambda r: r.attendees),
)
EQUIPMENT_COLUMNS = (
    Column(tr("Người nhận"), lambda r: r.member_name, lambda r: (r.member_sort, r.id)),
    Column(tr("Tổ, đội"), lambda r: r.team),
    Column(tr("Trang bị"), lambda r: r.item),
    Column(tr("Số lượng"), lambda r: str(r.quantity), lambda r: r.quantity),
    Column(tr("Ngày cấp"), lambda r: vntext.format_date(r.issued_on), lambda r: (r.issued_on, r.id)),
    Column(tr("Ngày trả"), lambda r: vntext.format_date(r.returned_on) or tr("Đang giữ"),
           lambda r: _date_key(r.returned_on)),
    Column(tr("Ghi chú"), lambda r: r.note),
)


class _Tab(QWidget):
    """A tab: a bar of filters and buttons over one table of plain rows."""

    def __init__(self, columns, widths: tuple[int, ...], settings_key: str, parent=None):
        super().__init__(parent)
        self.model = RowTableModel(columns, self)
        self.table = RecordTable(self.model, widths, settings_key)
        self.bar = QHBoxLayout()
        self.buttons: dict[str, QPushButton] = {}
        layout = QVBoxLayout(self)
        layout.addLayout(self.bar)
        layout.addWidget(self.table, 1)

    def add_button(self, key: str, text: str, slot: Callable) -> None:
        self.buttons |= add_buttons(self.bar, ((key, text, slot),))

    def show_rows(self, rows: list) -> None:
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())

    def selected(self):
        numbers = self.table.selected_row_numbers()
        return self.model.rows[numbers[0]] if len(numbers) == 1 else None

    def select(self, key: Callable, value) -> None:
        for number, row in enumerate(self.model.rows):
            if key(row) == value:
                self.table.selectRow(number)
                return


class CoreForcesPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.year = year_box()
        self.figures = QLabel()
        self.figures.setWordWrap(True)
        self.print_button = QPushButton(tr("In danh sách…"))
        self.print_button.setToolTip(tr("In danh sách thành viên của tổ, đội đang chọn ở bộ lọc "
                                        "(hoặc của mọi tổ, đội) trong năm"))
        self.print_button.clicked.connect(self.print_roster)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._members_tab(), tr("Thành viên"))
        self.tabs.addTab(self._trainings_tab(), tr("Huấn luyện"))
        self.tabs.addTab(self._equipment_tab(), tr("Trang bị"))
        self.ratings = ForcesPage(db, ward_id)
        self.tabs.addTab(self.ratings, tr("Đánh giá Tổ bảo vệ ANTT"))
        self.ratings.status_message.connect(self.status_message)
        self._lay_out()
        self.year.valueChanged.connect(lambda _y: self.refresh())
        self.ratings.year.valueChanged.connect(self.year.setValue)
        self.refresh()

    def _lay_out(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addWidget(self.figures, 1)
        bar.addWidget(self.print_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.tabs, 1)

    # ---- tabs ------------------------------------------------------------------------------------

    def _members_tab(self) -> _Tab:
        tab = self.members = _Tab(MEMBER_COLUMNS, (230, 180, 120, 70, 70, 100, 100, 90, 130), "core_forces/members")
        self.kind_filter = enum_combo(ForceKind, tr("Mọi lực lượng"))
        self.unit_filter = QComboBox()
        self.unit_filter.setMinimumContentsLength(22)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm theo tên, chức danh, điện thoại, đơn vị…"))
        self.search.setClearButtonEnabled(True)
        self.everyone = QCheckBox(tr("Cả người đã thôi"))
        self.everyone.setToolTip(tr("Hiện cả những người đã thôi tham gia trước năm đang xem"))
        for widget in (self.kind_filter, self.unit_filter):
            tab.bar.addWidget(widget)
        tab.bar.addWidget(self.search, 1)
        tab.bar.addWidget(self.everyone)
        for key, text, slot in (("add", tr("Thêm…"), self.add_member), ("edit", tr("Sửa…"), self.edit_member),
                                ("leave", tr("Thôi tham gia…"), self.leave_member),
                                ("delete", tr("Xoá"), self.delete_member)):
            tab.add_button(key, text, slot)
        self.kind_filter.currentIndexChanged.connect(lambda _i: self._kind_filter_changed())
        self.unit_filter.currentIndexChanged.connect(lambda _i: self._load_members())
        self.search.textChanged.connect(lambda _t: self._load_members())
        self.everyone.toggled.connect(lambda _on: self._load_members())
        tab.table.doubleClicked.connect(lambda _index: self.edit_member())
        return tab

    def _trainings_tab(self) -> _Tab:
        tab = self.trainings = _Tab(TRAINING_COLUMNS, (90, 420, 70, 200, 90), "core_forces/trainings")
        for key, text, slot in (("add", tr("Thêm buổi huấn luyện…"), self.add_training),
                                ("edit", tr("Sửa, chọn người dự…"), self.edit_training),
                                ("delete", tr("Xoá"), self.delete_training)):
            tab.add_button(key, text, slot)
        tab.bar.addStretch(1)
        tab.table.doubleClicked.connect(lambda _index: self.edit_training())
        return tab

    def _equipment_tab(self) -> _Tab:
        tab = self.equipment = _Tab(EQUIPMENT_COLUMNS, (180, 260, 150, 70, 90, 90), "core_forces/equipment")
        self.outstanding = QCheckBox(tr("Chỉ hiện trang bị chưa trả"))
        self.outstanding.toggled.connect(lambda _on: self._load_equipment())
        for key, text, slot in (("add", tr("Cấp trang bị…"), self.add_equipment),
                                ("edit", tr("Sửa…"), self.edit_equipment),
                                ("return", tr("Ghi nhận trả…"), self.return_equipment),
                                ("delete", tr("Xoá"), self.delete_equipment)):
            tab.add_button(key, text, slot)
        tab.bar.addStretch(1)
        tab.bar.addWidget(self.outstanding)
        tab.table.doubleClicked.connect(lambda _index: self.edit_equipment())
        return tab

    # ---- loading ---------------------------------------------------------------------------------

    def current_year(self) -> int:
        return self.year.value()

    def _read(self, work: Callable):
        with self._db.transaction() as session:
            return work(session)

    def refresh(self) -> None:
        self._fill_unit_filter()
        self._load_members()
        self._load_trainings()
        self._load_equipment()
        self.ratings.year.setValue(self.current_year())   # the ratings tab refreshes itself on a new year
        self._load_figures()

    def _load_figures(self) -> None:
        year: ForcesYear = self._read(lambda s: core_forces.forces_year(s, self._ward_id, self.current_year()))
        self.figures.setText(figures_text(year))
        self.status_message.emit(tr("Năm {year}: {n} thành viên lực lượng nòng cốt").format(
            year=year.year, n=year.total.members))

    def _fill_unit_filter(self) -> None:
        kind = chosen(self.kind_filter, ForceKind)
        current = self.unit_filter.currentData()
        units = self._read(lambda s: core_forces.team_units(s, self._ward_id, kind))
        self.unit_filter.blockSignals(True)
        self.unit_filter.clear()
        self.unit_filter.addItem(tr("Mọi tổ, đội"), None)
        for unit in units:
            self.unit_filter.addItem(unit.name, unit.id)
        self.unit_filter.setCurrentIndex(max(0, self.unit_filter.findData(current)))
        self.unit_filter.setEnabled(kind is not ForceKind.DAN_PHONG)
        self.unit_filter.blockSignals(False)

    def _kind_filter_changed(self) -> None:
        self._fill_unit_filter()
        self._load_members()

    def _load_members(self) -> None:
        kind, unit_id = chosen(self.kind_filter, ForceKind), self.unit_filter.currentData()
        rows = self._read(lambda s: core_forces.list_members(
            s, self._ward_id, self.current_year(), kind=kind, unit_id=unit_id, search=self.search.text(),
            everyone=self.everyone.isChecked()))
        self.members.show_rows(rows)

    def _load_trainings(self) -> None:
        self.trainings.show_rows(self._read(lambda s: core_forces.list_trainings(s, self._ward_id,
                                                                                 self.current_year())))

    def _load_equipment(self) -> None:
        self.equipment.show_rows(self._read(lambda s: core_forces.list_equipment(
            s, self._ward_id, self.current_year(), outstanding=self.outstanding.isChecked())))

    def _write(self, work: Callable) -> bool:
        """Run ``work(session)`` (a refusal is shown in a box), then reload; True when it was done."""
        done = attempt(self, lambda: self._read(work) or True) is not None
        self.refresh()
        return done

    def _after_change(self, tab: _Tab, key: Callable, value, message: str) -> None:
        self.refresh()
        tab.select(key, value)
        self.status_message.emit(message)

    def _one(self, tab: _Tab, what: str):
        row = tab.selected()
        if row is None:
            self.status_message.emit(tr("Hãy chọn một {what} trong bảng.").format(what=what))
        return row

    # ---- members ---------------------------------------------------------------------------------

    def _units_for(self, kind: ForceKind):
        return self._read(lambda s: core_forces.member_units(s, self._ward_id, kind))

    def add_member(self) -> None:
        added: list[int] = []

        def save(data) -> None:
            added.append(self._read(lambda s: core_forces.add_member(s, self._ward_id, data, current_actor())))

        dialog = MemberDialog(save, self._units_for, self._new_member_defaults(), self)
        dialog.setWindowTitle(tr("Thêm thành viên lực lượng"))
        if dialog.exec():
            self._after_change(self.members, lambda r: r.id, added[-1], tr("Đã thêm thành viên."))

    def _new_member_defaults(self):
        """A new member starts in the force and unit the filter shows."""
        kind = chosen(self.kind_filter, ForceKind) or ForceKind.TO_BAO_VE
        return core_forces.MemberInput(kind, "", self.unit_filter.currentData() if kind.unit_kinds else None,
                                       joined_on=date.today())

    def edit_member(self) -> None:
        row: MemberRow | None = self._one(self.members, tr("thành viên"))
        if row is None:
            return

        def save(data) -> None:
            self._read(lambda s: core_forces.update_member(s, self._ward_id, row.id, data, current_actor(),
                                                           row.version))

        if MemberDialog(save, self._units_for, row.as_input(), self).exec():
            self._after_change(self.members, lambda r: r.id, row.id,
                               tr("Đã lưu thông tin của {name}.").format(name=row.full_name))

    def leave_member(self) -> None:
        row: MemberRow | None = self._one(self.members, tr("thành viên"))
        if row is None:
            return
        held: list[int] = []

        def save(day: date) -> None:
            held.append(self._read(lambda s: core_forces.leave_member(s, self._ward_id, row.id, day, current_actor(),
                                                                      row.version)))

        explanation = tr("{name} thôi tham gia {team}. Người đã thôi vẫn được giữ trong hồ sơ các năm trước.").format(
            name=row.full_name, team=row.team)
        if DayDialog(save, tr("Thôi tham gia lực lượng"), tr("Ngày thôi tham gia"), explanation,
                     row.left_on, self).exec():
            message = tr("Đã ghi {name} thôi tham gia.").format(name=row.full_name)
            if held[-1]:
                message += " " + tr("Người này còn giữ {n} trang bị chưa trả: hãy thu hồi và ghi nhận trả ở thẻ "
                                    "\u201cTrang bị\u201d.").format(n=held[-1])
            self._after_change(self.members, lambda r: r.id, row.id, message)

    def delete_member(self) -> None:
        row: MemberRow | None = self._one(self.members, tr("thành viên"))
        if row is None or not confirm(self, tr("Xoá thành viên"), tr(
                "Xoá {name} khỏi danh sách? Chỉ nên xoá người nhập nhầm; người đã thôi hãy dùng "
                "\u201cThôi tham gia\u201d.").format(name=row.full_name)):
            return
        if self._write(lambda s: core_forces.delete_member(s, self._ward_id, row.id, row.version)):
            self.status_message.emit(tr("Đã xoá {name}.").format(name=row.full_name))

    # ---- trainings -------------------------------------------------------------------------------

    def _candidates(self, day: date):
        return self._read(lambda s: core_forces.training_candidates(s, self._ward_id, day))

    def add_training(self) -> None:
        added: list[int] = []

        def save(data) -> None:
            added.append(self._read(lambda s: core_forces.add_training(s, self._ward_id, data, current_actor())))

        if TrainingDialog(save, self._candidates, parent=self).exec():
            self._after_change(self.trainings, lambda r: r.id, added[-1], tr("Đã thêm buổi huấn luyện."))

    def edit_training(self) -> None:
        row: TrainingRow | None = self._one(self.trainings, tr("buổi huấn luyện"))
        if row is None:
            return

        def save(data) -> None:
            self._read(lambda s: core_forces.update_training(s, self._ward_id, row.id, data, current_actor(),
                                                             row.version))

        if TrainingDialog(save, self._candidates, row.as_input(), self).exec():
            self._after_change(self.trainings, lambda r: r.id, row.id, tr("Đã lưu buổi huấn luyện ngày {day}.").format(
                day=vntext.format_date(row.held_on)))

    def delete_training(self) -> None:
        row: TrainingRow | None = self._one(self.trainings, tr("buổi huấn luyện"))
        if row is None or not confirm(self, tr("Xoá buổi huấn luyện"), tr(
                "Xoá buổi huấn luyện ngày {day} \u201c{topic}\u201d cùng danh sách {n} người dự?").format(
                day=vntext.format_date(row.held_on), topic=row.topic, n=row.attendees)):
            return
        if self._write(lambda s: core_forces.delete_training(s, self._ward_id, row.id, row.version)):
            self.status_message.emit(tr("Đã xoá buổi huấn luyện."))

    # ---- equipment -------------------------------------------------------------------------------

    def _all_members(self) -> list[MemberRow]:
        return self._read(lambda s: core_forces.list_members(s, self._ward_id, self.current_year(), everyone=True))

    def add_equipment(self) -> None:
        added: list[int] = []

        def save(data) -> None:
            added.append(self._read(lambda s: core_forces.add_equipment(s, self._ward_id, data, current_actor())))

        members = [row for row in self._all_members() if row.left_on is None]
        if EquipmentDialog(save, members, parent=self).exec():
            self._after_change(self.equipment, lambda r: r.id, added[-1], tr("Đã ghi cấp trang bị."))

    def edit_equipment(self) -> None:
        row: EquipmentRow | None = self._one(self.equipment, tr("lần cấp trang bị"))
        if row is None:
            return

        def save(data) -> None:
            self._read(lambda s: core_forces.update_equipment(s, self._ward_id, row.id, data, current_actor(),
                                                              row.version))

        if EquipmentDialog(save, self._all_members(), row.as_input(), self).exec():
            self._after_change(self.equipment, lambda r: r.id, row.id, tr("Đã lưu lần cấp trang bị."))

    def return_equipment(self) -> None:
        row: EquipmentRow | None = self._one(self.equipment, tr("lần cấp trang bị"))
        if row is None:
            return

        def save(day: date) -> None:
            self._read(lambda s: core_forces.return_equipment(s, self._ward_id, row.id, day, current_actor(),
                                                              row.version))

        explanation = tr("{name} trả lại {item} (cấp ngày {issued}).").format(
            name=row.member_name, item=row.item, issued=vntext.format_date(row.issued_on))
        if DayDialog(save, tr("Ghi nhận trả trang bị"), tr("Ngày trả"), explanation, row.returned_on, self).exec():
            self._after_change(self.equipment, lambda r: r.id, row.id, tr("Đã ghi nhận trả trang bị."))

    def delete_equipment(self) -> None:
        row: EquipmentRow | None = self._one(self.equipment, tr("lần cấp trang bị"))
        if row is None or not confirm(self, tr("Xoá lần cấp trang bị"), tr(
                "Xoá lần cấp {item} cho {name}? Chỉ nên xoá khi nhập nhầm; trang bị đã thu hồi hãy dùng "
                "\u201cGhi nhận trả\u201d.").format(item=row.item, name=row.member_name)):
            return
        if self._write(lambda s: core_forces.delete_equipment(s, self._ward_id, row.id, row.version)):
            self.status_message.emit(tr("Đã xoá lần cấp trang bị."))

    # ---- the roster ------------------------------------------------------------------------------

    def roster_preview(self) -> PdfPreviewDialog | None:
        """The roster of the team (or force) the members' filter shows, ready to preview; None if empty."""
        kind, unit_id, year = chosen(self.kind_filter, ForceKind), self.unit_filter.currentData(), self.current_year()
        data = attempt(self, lambda: self._read(lambda s: core_forces.roster(s, self._ward_id, year, unit_id,
                                                                            kind=kind)))
        if data is None:
            return None
        return PdfPreviewDialog(rendered(render_roster, data), tr("Danh sách thành viên năm {year}").format(year=year),
                                f"danh-sach-luc-luong-{year}.pdf", self)

    def print_roster(self) -> None:
        dialog = self.roster_preview()
        if dialog is not None:
            dialog.exec()

    def save_state(self) -> None:
        for tab in (self.members, self.trainings, self.equipment):
            tab.table.save_state()
        self.ratings.save_state()


def figures_text(year: ForcesYear) -> str:
    """"Năm 2026 (tính đến 22/11/2026): 101 thành viên. Đã huấn luyện 99/101 (98%; chỉ tiêu 100%, …) · …"."""
    total = year.total
    if not total.members:
        return year.summary
    return tr("Năm {year} (tính đến {day}): {n} thành viên. {summary}").format(
        year=year.year, day=vntext.format_date(year.reference_day), n=total.members, summary=year.summary)
