"""The "An toàn về ANTT" page: the year's units, where each stands, and the year's actions."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import antt as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.antt_stage import Stage, stage_label
from antq_desktop.domain.units import UnitKind
from antq_desktop.i18n import tr
from antq_desktop.services import (
    antt,
    antt_assessment,
    antt_decision,
    antt_documents,
    stats,
)
from antq_desktop.services.antt import YearRow
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.antt_dialogs import (
    AssessmentDialog,
    IncidentsDialog,
    RegistrationDialog,
)
from antq_desktop.ui.choices import chosen, enum_combo
from antq_desktop.ui.forms import add_buttons, menu_button, year_box
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel

_STAGE_ORDER = {None: 0, **{stage: n for n, stage in enumerate(Stage, start=1)}}
COLUMNS = (
    Column(tr("Tên đơn vị"), lambda r: r.name),
    Column(tr("Loại"), lambda r: r.kind.label, lambda r: list(UnitKind).index(r.kind)),
    Column(tr("Diện công nhận"), lambda r: tr("Có") if r.eligible else tr("Không: ") + r.ineligible_reason.lower()),
    Column(tr("Trạng thái"), lambda r: stage_label(r.stage), lambda r: _STAGE_ORDER[r.stage]),
    Column(tr("Ngày đăng ký"), lambda r: vntext.format_date(r.registered_on) + (tr(" (muộn)") if r.registered_late else ""),
           lambda r: r.registered_on or date.min),
    Column(tr("Kết quả đánh giá"), lambda r: {None: "", True: tr("Đạt đủ tiêu chí"), False: tr("Không đạt")}[r.passed],
           lambda r: {None: 0, True: 1, False: 2}[r.passed]),
)


class AnttPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, ward_title: str, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self.ward_title = ward_title
        self.model = RowTableModel(COLUMNS, self)
        self._build()  # the data is loaded when the page is first shown (MainWindow._show_page)

    def _build(self) -> None:
        self.year = year_box()
        self.kind_filter = enum_combo(UnitKind, tr("Tất cả các loại"))
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.table = RecordTable(self.model, (300, 120, 200, 160, 120), "antt")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Năm")))
        top.addWidget(self.year)
        top.addWidget(self.kind_filter)
        top.addStretch(1)
        # Two rows, in the order of the year (register, then review and decide), so the page
        # fits the 1366-pixel screens of office PCs.
        registration, decision = QHBoxLayout(), QHBoxLayout()
        self.buttons = add_buttons(registration, (
            ("register", tr("Đăng ký…"), self.register_selected),
            ("register_all", tr("Đăng ký tất cả đơn vị thuộc diện"), self.register_all),
            ("carry_over", tr("Chuyển đăng ký năm trước"), self.carry_over),
            ("cancel", tr("Huỷ đăng ký"), self.cancel_selected),
            ("incidents", tr("Vụ việc…"), self.incidents_of_selected),
        ))
        self.buttons |= add_buttons(decision, (
            ("assess", tr("Họp đánh giá…"), self.assess_selected),
            ("propose", tr("Đề nghị công nhận"), self.propose_selected),
            ("decision", tr("Quyết định công nhận…"), self.open_decision),
        ))
        decision.addWidget(self._print_button())
        settings_button = QPushButton(tr("Cài đặt…"))
        settings_button.clicked.connect(self.open_settings)
        self.buttons["settings"] = settings_button
        decision.addWidget(settings_button)
        registration.addStretch(1)
        decision.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addLayout(registration)
        layout.addLayout(decision)
        layout.addWidget(self.table, 1)
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.kind_filter.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table.doubleClicked.connect(self.assess_or_register)

    # ---- data ------------------------------------------------------------------------------

    def current_year(self) -> int:
        return self.year.value()

    def refresh(self, select_unit: int | None = None) -> None:
        with self._db.transaction() as session:
            rows = antt.year_overview(session, self._ward_id, self.current_year(), chosen(self.kind_filter, UnitKind))
            figures = stats.antt_stats(session, self._ward_id, self.current_year())
        self.model.set_rows(rows)
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        self.summary.setText(_summary_html(figures, self.ward_title))
        self.status_message.emit(tr("Năm {year}: {n} đơn vị").format(year=self.current_year(), n=len(rows)))
        if select_unit is not None:
            self.select_unit(select_unit)

    def select_unit(self, unit_id: int) -> None:
        for number, row in enumerate(self.model.rows):
            if row.unit_id == unit_id:
                self.table.selectRow(number)
                return

    def selected(self) -> list[YearRow]:
        return [self.model.rows[row] for row in self.table.selected_row_numbers()]

    def _one_selected(self) -> YearRow | None:
        rows = self.selected()
        if len(rows) != 1:
            self.status_message.emit(tr("Hãy chọn một đơn vị trong bảng."))
            return None
        return rows[0]

    def _write(self, change, select_unit: int | None = None) -> bool:
        def run():
            with self._db.transaction() as session:
                return change(session)

        done = attempt(self, run)
        self.refresh(select_unit)
        return done is not None

    # ---- actions ---------------------------------------------------------------------------

    def register_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        year = self.current_year()
        initial = None
        if row.record_id is not None:
            with self._db.transaction() as session:
                initial = antt.get_registration(session, row.record_id)

        def save(data):
            with self._db.transaction() as session:
                if initial is None:
                    antt.register_unit(session, self._ward_id, row.unit_id, year, data, current_actor())
                else:
                    antt.update_registration(session, row.record_id, data, current_actor(), initial.version)

        if RegistrationDialog(row.name, row.kind, year, save, initial, self).exec():
            self.refresh(row.unit_id)

    def register_all(self) -> None:
        year = self.current_year()
        registered_on = min(date.today(), rules.registration_deadline(year))
        question = tr("Đăng ký năm {year} cho mọi đơn vị thuộc diện chưa đăng ký, ngày đăng ký {day}?").format(
            year=year, day=vntext.format_date(registered_on))
        if confirm(self, tr("Đăng ký hàng loạt"), question):
            self._write(lambda s: antt.register_all_eligible(s, self._ward_id, year, registered_on, current_actor()))

    def carry_over(self) -> None:
        year = self.current_year()
        self._write(lambda s: antt.carry_over(s, self._ward_id, year, current_actor()))

    def cancel_selected(self) -> None:
        row = self._one_selected()
        if row is not None and row.record_id is not None and confirm(
                self, tr("Huỷ đăng ký"), tr('Huỷ đăng ký năm {year} của "{name}"?').format(
                    year=self.current_year(), name=row.name)):
            self._write(lambda s: antt.cancel_registration(s, row.record_id), row.unit_id)

    def incidents_of_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        period = rules.evaluation_period(row.kind.value, self.current_year())
        kinds = antt.incident_kinds(row.kind, self.current_year())

        def load():
            with self._db.transaction() as session:
                return antt.unit_incidents(session, row.unit_id, *period)

        def add(data):
            with self._db.transaction() as session:
                antt.add_incident(session, self._ward_id, row.unit_id, data, current_actor())

        def remove(incident_ids):
            with self._db.transaction() as session:
                antt.delete_incidents(session, incident_ids)

        IncidentsDialog(row.name, period, kinds, load, add, remove, self).exec()
        self.refresh(row.unit_id)

    def assess_selected(self) -> None:
        row = self._one_selected()
        if row is None:
            return
        if row.record_id is None:
            self.status_message.emit(tr("Đơn vị chưa đăng ký năm này; hãy đăng ký trước."))
            return
        with self._db.transaction() as session:
            view = antt_assessment.assessment(session, row.record_id)

        def save(typed):
            meeting, answers = typed
            with self._db.transaction() as session:
                antt_assessment.save_assessment(session, row.record_id, meeting, answers, current_actor(), view.version)

        if AssessmentDialog(view, save, self).exec():
            self.refresh(row.unit_id)

    def assess_or_register(self) -> None:
        row = self._one_selected()
        if row is not None:
            (self.assess_selected if row.record_id is not None else self.register_selected)()

    def propose_selected(self) -> None:
        rows = self.selected() or [row for row in self.model.rows if row.stage is Stage.ASSESSED and row.passed]
        ids = [row.record_id for row in rows if row.record_id is not None]
        today = date.today()
        self._write(lambda s: antt_assessment.propose(s, ids, today, current_actor()))

    def open_decision(self) -> None:
        from antq_desktop.ui.decision_dialog import DecisionDialog

        year = self.current_year()

        def find_or_draft(session):
            decisions = antt_decision.year_decisions(session, self._ward_id, year)
            return decisions[-1].id if decisions else antt_decision.draft_decision(
                session, self._ward_id, year, current_actor())

        decision_id = attempt(self, lambda: self._db.run(find_or_draft))
        if decision_id is not None:
            DecisionDialog(self._db, decision_id, self).exec()
            self.refresh()

    def save_state(self) -> None:
        self.table.save_state()

    # ---- documents of the dossier ---------------------------------------------------------

    def _print_button(self) -> QToolButton:
        button, self.print_actions = menu_button(tr("In văn bản"), (
            ("registration", tr("Bản đăng ký của đơn vị đang chọn"), self.print_registration),
            ("minutes", tr("Biên bản họp đánh giá của đơn vị đang chọn"), self.print_minutes),
            ("proposal", tr("Tờ trình đề nghị công nhận"), self.print_proposal),
            ("outstanding", tr("Danh sách đơn vị chưa đăng ký, chưa đạt"), self.print_outstanding),
        ))
        return button

    def _preview(self, build, render, title: str, file_name: str) -> None:
        """Build the document's data in one transaction, render it, and show it before printing."""
        data = attempt(self, lambda: self._db.run(build))
        if data is None:
            return
        PdfPreviewDialog(rendered(render, data), title, file_name, self).exec()

    def _record_of_selected(self) -> int | None:
        row = self._one_selected()
        if row is not None and row.record_id is None:
            self.status_message.emit(tr("Đơn vị chưa đăng ký năm này."))
        return row.record_id if row is not None else None

    # reportlab is imported by the print actions themselves: it would add ~0.1 s to start-up.

    def print_registration(self) -> None:
        from antq_desktop.reports.registration_form import render_registration_form

        record_id = self._record_of_selected()
        if record_id is not None:
            self._preview(lambda s: antt_documents.registration_form(s, record_id), render_registration_form,
                          tr("Bản đăng ký"), f"ban-dang-ky-{self.current_year()}.pdf")

    def print_minutes(self) -> None:
        from antq_desktop.reports.review_minutes import render_review_minutes

        record_id = self._record_of_selected()
        if record_id is not None:
            self._preview(lambda s: antt_documents.review_minutes(s, record_id), render_review_minutes,
                          tr("Biên bản họp đánh giá"), f"bien-ban-danh-gia-{self.current_year()}.pdf")

    def print_proposal(self) -> None:
        from antq_desktop.reports.proposal import render_proposal

        year = self.current_year()
        self._preview(lambda s: antt_documents.proposal(s, self._ward_id, year), render_proposal,
                      tr("Tờ trình đề nghị công nhận"), f"to-trinh-cong-nhan-antt-{year}.pdf")

    def print_outstanding(self) -> None:
        from antq_desktop.reports.unit_list import render_outstanding_list

        year = self.current_year()
        self._preview(lambda s: antt_documents.outstanding_list(s, self._ward_id, year), render_outstanding_list,
                      tr("Danh sách đơn vị chưa đăng ký, chưa đạt"), f"danh-sach-chua-dat-{year}.pdf")

    def open_settings(self) -> None:
        from antq_desktop.ui.antt_settings_dialog import AnttSettingsDialog

        if AnttSettingsDialog(self._db, self._ward_id, self).exec():
            self.refresh()



def _percent(value: float | None) -> str:
    return "-" if value is None else vntext.format_percent(value)


def _summary_html(figures: stats.AnttStats, ward_title: str) -> str:
    total = figures.total
    parts = [
        tr("<b>Năm {year}</b>: {eligible} đơn vị thuộc diện; đã đăng ký {registered} ({rp}, chỉ tiêu {tr_}%); "
           "được công nhận {recognized} ({cp}, chỉ tiêu {tc}%).").format(
            year=figures.year, eligible=total.eligible, registered=total.registered, rp=_percent(total.registered_pct),
            tr_=int(figures.target_registered_pct), recognized=total.recognized, cp=_percent(total.recognized_pct),
            tc=int(figures.target_recognized_pct)),
        " · ".join(f"{kind.label}: {f.recognized}/{f.eligible}" for kind, f in figures.by_kind.items()),
        "<span style='color:{color}'>{summary}</span> ({ward})".format(
            color="#1b6e20" if figures.criterion_4.met else "#b00020", summary=figures.criterion_4.summary,
            ward=ward_title),
    ]
    return "<br>".join(parts)
