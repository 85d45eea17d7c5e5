"""A decision of the year (recognition or classification): edit the draft, preview, issue,
correct; for recognition also print the certificates."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.classification import points_text
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.reports.certificate import render_certificates
from antq_desktop.reports.classification_decision import render_classification_decision
from antq_desktop.reports.data import ListedUnit
from antq_desktop.reports.recognition_decision import render_recognition_decision
from antq_desktop.services import antt_decision, classification_decision, decisions
from antq_desktop.services.decisions import DecisionInput, DecisionView
from antq_desktop.services.output import write_atomically
from antq_desktop.services.profile import require_profile
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.background import run_with_progress
from antq_desktop.ui.forms import date_edit, error_label, show_error
from antq_desktop.ui.messages import confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered


def _lines(edit: QPlainTextEdit) -> tuple[str, ...]:
    return tuple(line for line in edit.toPlainText().splitlines() if line.strip())


@dataclass(frozen=True)
class _Kind:
    """What the dialog does differently for each kind of decision."""

    title: str      # the window's title, with {year}
    file_name: str  # the suggested PDF name, with {year}
    decides: str    # what issuing does, for the question, with {n} units
    view: Callable      # (session, decision id) -> DecisionView
    issue: Callable     # (session, decision id, actor, expected version)
    correct: Callable   # (session, decision id, actor) -> the correction's id
    document: Callable  # (session, decision id) -> the document's data
    render: Callable    # (data, out)
    line: Callable[[ListedUnit], str]  # a line of the attached list, as the dialog shows it
    certificates: bool = False  # recognition: certificates, and units left out of a correction


_KINDS = {
    antt_decision.RECOGNITION: _Kind(
        title=tr("Quyết định công nhận \u201cAn toàn về ANTT\u201d năm {year}"),
        file_name="quyet-dinh-cong-nhan-antt-{year}.pdf", decides=tr("công nhận {n} đơn vị"),
        view=antt_decision.decision_view, issue=antt_decision.issue_decision,
        correct=antt_decision.correct_decision, document=antt_decision.recognition_document,
        render=render_recognition_decision, line=lambda unit: f"{unit.name} ({unit.kind_label.lower()})",
        certificates=True),
    classification_decision.CLASSIFICATION: _Kind(
        title=tr("Quyết định phân loại phong trào toàn dân bảo vệ ANTQ năm {year}"),
        file_name="quyet-dinh-phan-loai-phong-trao-{year}.pdf", decides=tr("phân loại phong trào của {n} đơn vị"),
        view=classification_decision.decision_view, issue=classification_decision.issue_decision,
        correct=classification_decision.correct_decision, document=classification_decision.classification_document,
        render=render_classification_decision, line=lambda unit: tr("{name} ({kind}): {score} điểm, {level}").format(
            name=unit.name, kind=unit.kind_label.lower(), score=points_text(unit.score), level=unit.level)),
}


class DecisionDialog(QDialog):
    """Works on one decision of any kind; every button is one transaction through the services."""

    def __init__(self, db: Database, decision_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self.decision_id = decision_id
        with db.transaction() as session:
            self.kind = _KINDS[decisions.kind_of(session, decision_id)]
        self._build()
        self.reload()
        self.resize(820, 720)

    # ---- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.number = QLineEdit()
        self.number.setMaximumWidth(100)
        self.symbol = QLabel()
        self.dated = QCheckBox(tr("Ghi ngày ban hành"))
        self.issued_on = date_edit()
        self.signer_authority = QLineEdit()
        self.signer_authority.setPlaceholderText(tr("để trống, hoặc TM. ỦY BAN NHÂN DÂN / KT. CHỦ TỊCH"))
        self.signer_title = QLineEdit()
        self.signer_name = QLineEdit()
        self.bases = QPlainTextEdit()
        self.recipients = QPlainTextEdit()
        self.recipients.setFixedHeight(90)
        self.units_list = QListWidget()
        self.units_list.setFixedHeight(110)
        self.drop_button = QPushButton(tr("Bỏ đơn vị đang chọn khỏi danh sách"))
        self.drop_button.clicked.connect(self.drop_selected_unit)
        list_box = QVBoxLayout()
        list_box.addWidget(self.units_list)
        list_box.addWidget(self.drop_button)
        self.error = error_label()
        number_row = QHBoxLayout()
        number_row.addWidget(self.number)
        number_row.addWidget(self.symbol)
        number_row.addSpacing(20)
        number_row.addWidget(self.dated)
        number_row.addWidget(self.issued_on)
        number_row.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("Số"), number_row)
        form.addRow(tr("Thẩm quyền ký"), self.signer_authority)
        form.addRow(tr("Chức vụ người ký"), self.signer_title)
        form.addRow(tr("Họ tên người ký"), self.signer_name)
        form.addRow(tr("Căn cứ (mỗi dòng một căn cứ)"), self.bases)
        form.addRow(tr("Nơi nhận (mỗi dòng một nơi)"), self.recipients)
        form.addRow(tr("Danh sách kèm theo"), list_box)
        self.save_button = QPushButton(tr("Lưu dự thảo"))
        self.preview_button = QPushButton(tr("Xem trước và in…"))
        self.issue_button = QPushButton(tr("Ban hành"))
        self.correct_button = QPushButton(tr("Lập quyết định đính chính"))
        self.delete_button = QPushButton(tr("Xoá dự thảo"))
        self.certificates_button = QPushButton(tr("In giấy công nhận…"))
        self.blank_form = QCheckBox(tr("In lên phôi in sẵn"))
        close = QPushButton(tr("Đóng"))
        for button, slot in ((self.save_button, self.save), (self.preview_button, self.preview),
                             (self.issue_button, self.issue), (self.correct_button, self.correct), (self.delete_button, self.delete_draft),
                             (self.certificates_button, lambda: self.print_certificates()), (close, self.reject)):
            button.clicked.connect(slot)
        self.dated.toggled.connect(self.issued_on.setEnabled)
        buttons = QHBoxLayout()
        for widget in (self.save_button, self.preview_button, self.issue_button, self.correct_button,
                       self.delete_button, self.certificates_button, self.blank_form):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # ---- state -----------------------------------------------------------------------------

    def reload(self) -> None:
        with self._db.transaction() as session:
            self.view: DecisionView = self.kind.view(session, self.decision_id)
        view = self.view
        self.setWindowTitle(self.kind.title.format(year=view.year))
        status = tr("ĐÃ BAN HÀNH (khoá, không sửa được)") if view.issued else tr("Dự thảo")
        replaces = tr(" — đính chính Quyết định {ref}").format(ref=view.replaces) if view.replaces else ""
        self.state.setText(tr("<b>{status}</b>{replaces}. Danh sách kèm theo: {n} đơn vị.").format(
            status=status, replaces=replaces, n=len(view.units)))
        self.number.setText(view.number)
        self.symbol.setText(f"/{view.symbol}")
        self.dated.setChecked(view.issued_on is not None)
        self.issued_on.setDate(QDate(view.issued_on or min(date.today(), date(view.year, 12, 31))))
        self.issued_on.setEnabled(view.issued_on is not None)
        self.signer_authority.setText(view.signer_authority)
        self.signer_title.setText(view.signer_title)
        self.signer_name.setText(view.signer_name)
        self.bases.setPlainText("\n".join(view.bases))
        self.recipients.setPlainText("\n".join(view.recipients))
        for widget in (self.number, self.dated, self.issued_on, self.signer_authority, self.signer_title,
                       self.signer_name, self.bases, self.recipients, self.save_button, self.issue_button):
            widget.setEnabled(not view.issued and (widget is not self.issued_on or view.issued_on is not None))
        self.units_list.clear()
        for unit in view.units:
            self.units_list.addItem(self.kind.line(unit))
        self.drop_button.setVisible(self.kind.certificates and not view.issued and bool(view.replaces))
        self.correct_button.setVisible(view.issued)
        self.delete_button.setVisible(not view.issued)
        self.certificates_button.setVisible(self.kind.certificates)
        self.blank_form.setVisible(self.kind.certificates)

    def typed(self) -> DecisionInput:
        return DecisionInput(
            number=self.number.text(), issued_on=self.issued_on.date().toPython() if self.dated.isChecked() else None,
            signer_authority=self.signer_authority.text(), signer_title=self.signer_title.text(),
            signer_name=self.signer_name.text(), bases=_lines(self.bases), recipients=_lines(self.recipients),
        )

    def _run(self, change: Callable) -> bool:
        try:
            with self._db.transaction() as session:
                change(session)
        except UserError as error:
            show_error(self.error, error.message)
            return False
        show_error(self.error, "")
        return True

    # ---- actions ---------------------------------------------------------------------------

    def save(self) -> bool:
        if self.view.issued:
            return True
        typed = self.typed()
        saved = self._run(lambda s: decisions.update_decision(
            s, self.decision_id, typed, current_actor(), expected_version=self.view.version))
        if saved:
            self.reload()
        return saved

    def decision_pdf(self) -> bytes:
        with self._db.transaction() as session:
            document = self.kind.document(session, self.decision_id)
        return rendered(self.kind.render, document)

    def preview(self) -> None:
        if not self.save():
            return
        name = self.kind.file_name.format(year=self.view.year)
        PdfPreviewDialog(self.decision_pdf(), self.windowTitle(), name, self).exec()

    def issue(self) -> None:
        if not self.save():
            return
        question = tr("Ban hành Quyết định số {number}/{symbol} {decides}? Sau khi ban hành, quyết định "
                      "được khoá; muốn thay đổi phải lập quyết định đính chính.").format(
            number=self.view.number, symbol=self.view.symbol, decides=self.kind.decides.format(n=len(self.view.units)))
        if confirm(self, tr("Ban hành quyết định"), question) and self._run(
                lambda s: self.kind.issue(s, self.decision_id, current_actor(), self.view.version)):
            self.reload()

    def correct(self) -> None:
        created = []
        if self._run(lambda s: created.append(self.kind.correct(s, self.decision_id, current_actor()))):
            self.decision_id = created[0]
            self.reload()

    def drop_selected_unit(self) -> None:
        """In a correction: leave out a unit the old decision recognised by mistake."""
        row = self.units_list.currentRow()
        if 0 <= row < len(self.view.unit_ids) and self._run(lambda s: antt_decision.drop_from_correction(
                s, self.decision_id, self.view.unit_ids[row], current_actor())):
            self.reload()

    def delete_draft(self) -> None:
        """Throw a draft away (an accidental correction, say); an issued decision cannot be."""
        if confirm(self, tr("Xoá dự thảo"), tr("Xoá dự thảo quyết định này? Các đơn vị vẫn giữ kết quả đánh giá, "
                                               "chấm điểm và đề nghị.")) and self._run(
                lambda s: decisions.delete_draft(s, self.decision_id)):
            self.accept()

    def print_certificates(self, path: str | None = None) -> int | None:
        """All certificates of the decision into one PDF, off the GUI thread, with progress and cancel."""
        if not self.save():
            return None
        with self._db.transaction() as session:
            certificates = antt_decision.certificates(session, self.decision_id)
            layout = antt_decision.certificate_layout(session, require_profile(session).id, self.blank_form.isChecked())
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, tr("Lưu giấy công nhận"),
                                                  f"giay-cong-nhan-antt-{self.view.year}.pdf", tr("Tệp PDF (*.pdf)"))
        if not path:
            return None

        def job(progress):
            return write_atomically(path, lambda out: _rendered_or_cancelled(certificates, out, layout, progress))

        try:
            pages, _ = run_with_progress(self, tr("Đang in giấy công nhận…"), job)
        except _Cancelled:
            show_error(self.error, tr("Đã huỷ; không có tệp nào được ghi."))
            return None
        except UserError as error:
            show_error(self.error, error.message)
            return None
        show_error(self.error, "")
        self.state.setText(self.state.text() + tr(" Đã ghi {n} giấy công nhận vào {path}.").format(n=pages, path=path))
        return pages


class _Cancelled(UserError):
    pass


def _rendered_or_cancelled(certificates, out, layout, progress) -> int:
    """Render; a cancel raises, so write_atomically throws the partial file away."""
    pages = render_certificates(certificates, out, layout, progress)
    if pages < len(certificates):
        raise _Cancelled(tr("Đã huỷ."))
    return pages
