"""What differs between provinces: the 70% rule, who signs, targets, extra criteria, the certificate."""

from __future__ import annotations

import io
from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.reports import data as doc
from antq_desktop.reports.certificate import DEFAULTS as CERTIFICATE_FIELDS
from antq_desktop.reports.certificate import render_certificates
from antq_desktop.services import settings
from antq_desktop.services.settings import (
    AnttSettings,
    CertificateSettings,
    ExtraCriterion,
)
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.choices import chosen, enum_combo
from antq_desktop.ui.forms import error_label, save_buttons, show_error
from antq_desktop.ui.pdf_preview import PdfPreviewDialog

_FIELD_LABELS = {
    "unit_name": "Tên đơn vị", "achievement": "Dòng công nhận", "decision_ref": "Số, ngày quyết định",
    "register_number": "Số vào sổ", "date_line": "Địa danh, ngày tháng", "signer_title": "Chức vụ người ký",
    "signer_name": "Họ tên người ký",
}


def _millimetres(value: float) -> QDoubleSpinBox:
    box = QDoubleSpinBox()
    box.setRange(0, 300)
    box.setDecimals(1)
    box.setSuffix(" mm")
    box.setValue(value)
    return box


class AnttSettingsDialog(QDialog):
    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.setWindowTitle(tr("Cài đặt \u201cAn toàn về ANTT\u201d"))
        with db.transaction() as session:
            rules = settings.antt_settings(session, ward_id)
            self._extras = {kind: settings.extra_criteria(session, ward_id, kind.value) for kind in UnitKind}
            certificate = settings.certificate_settings(session, ward_id)
        tabs = QTabWidget()
        tabs.addTab(self._rules_tab(rules), tr("Quy định"))
        tabs.addTab(self._extras_tab(), tr("Tiêu chí bổ sung của tỉnh"))
        tabs.addTab(self._certificate_tab(certificate), tr("Giấy công nhận"))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(tabs)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(760, 560)

    # ---- rules -----------------------------------------------------------------------------

    def _rules_tab(self, rules: AnttSettings) -> QWidget:
        self.pooled = QCheckBox(tr("Tính tỷ lệ 70% được công nhận chung cho mọi loại đơn vị (bỏ chọn: tính riêng từng loại)"))
        self.pooled.setChecked(rules.pooled_70)
        self.decision_form = QComboBox()
        self.decision_form.addItem(tr("Quyết định của Chủ tịch UBND"), "chu_tich")
        self.decision_form.addItem(tr("Quyết định của UBND (TM. ỦY BAN NHÂN DÂN)"), "ubnd")
        self.decision_form.setCurrentIndex(max(0, self.decision_form.findData(rules.decision_form)))
        self.target_registered = QSpinBox()
        self.target_recognized = QSpinBox()
        for box, value in ((self.target_registered, rules.target_registered_pct),
                           (self.target_recognized, rules.target_recognized_pct)):
            box.setRange(0, 100)
            box.setSuffix(" %")
            box.setValue(int(value))
        page = QWidget()
        form = QFormLayout(page)
        form.addRow("", self.pooled)
        form.addRow(tr("Hình thức quyết định công nhận"), self.decision_form)
        form.addRow(tr("Chỉ tiêu tỷ lệ đăng ký"), self.target_registered)
        form.addRow(tr("Chỉ tiêu tỷ lệ được công nhận"), self.target_recognized)
        return page

    # ---- extra criteria --------------------------------------------------------------------

    def _extras_tab(self) -> QWidget:
        self.extra_kind = enum_combo(UnitKind)
        self.extra_list = QListWidget()
        self.extra_title = QLineEdit()
        self.extra_text = QPlainTextEdit()
        self.extra_text.setFixedHeight(60)
        self.extra_points = QPlainTextEdit()
        self.extra_points.setPlaceholderText(tr("Mỗi dòng một điểm cần đánh giá (để trống: cả tiêu chí là một điểm)"))
        add, remove, apply = QPushButton(tr("Thêm")), QPushButton(tr("Xoá")), QPushButton(tr("Cập nhật tiêu chí đang chọn"))
        add.clicked.connect(self.add_extra)
        remove.clicked.connect(self.remove_extra)
        apply.clicked.connect(self.apply_extra)
        self.extra_kind.currentIndexChanged.connect(self._show_extras)
        self.extra_list.currentRowChanged.connect(self._show_extra)
        buttons = QHBoxLayout()
        for button in (add, apply, remove):
            buttons.addWidget(button)
        buttons.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("Tên tiêu chí"), self.extra_title)
        form.addRow(tr("Nội dung"), self.extra_text)
        form.addRow(tr("Các điểm"), self.extra_points)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("Tiêu chí do tỉnh quy định thêm, đánh giá sau các tiêu chí của Bộ Công an. "
                                   "Đơn vị đã họp đánh giá giữ nguyên bộ tiêu chí lúc đánh giá.")))
        layout.addWidget(self.extra_kind)
        layout.addWidget(self.extra_list)
        layout.addLayout(form)
        layout.addLayout(buttons)
        self._show_extras()
        return page

    def _current_extras(self) -> list[ExtraCriterion]:
        return self._extras[chosen(self.extra_kind, UnitKind)]

    def _show_extras(self) -> None:
        self.extra_list.clear()
        for extra in self._current_extras():
            self.extra_list.addItem(extra.title)

    def _show_extra(self, row: int) -> None:
        extra = self._current_extras()[row] if 0 <= row < len(self._current_extras()) else ExtraCriterion("", "")
        self.extra_title.setText(extra.title)
        self.extra_text.setPlainText(extra.text)
        self.extra_points.setPlainText("\n".join(extra.points))

    def _typed_extra(self) -> ExtraCriterion:
        return ExtraCriterion(self.extra_title.text(), self.extra_text.toPlainText(),
                              tuple(self.extra_points.toPlainText().splitlines()))

    def add_extra(self) -> None:
        self._current_extras().append(self._typed_extra())
        self._show_extras()
        self.extra_list.setCurrentRow(self.extra_list.count() - 1)

    def apply_extra(self) -> None:
        row = self.extra_list.currentRow()
        if 0 <= row < len(self._current_extras()):
            self._current_extras()[row] = self._typed_extra()
            self._show_extras()
            self.extra_list.setCurrentRow(row)

    def remove_extra(self) -> None:
        row = self.extra_list.currentRow()
        if 0 <= row < len(self._current_extras()):
            del self._current_extras()[row]
            self._show_extras()

    # ---- certificate -----------------------------------------------------------------------

    def _certificate_tab(self, certificate: CertificateSettings) -> QWidget:
        self.heading = QLineEdit(certificate.heading)
        self.achievement = QLineEdit(certificate.achievement)
        self.unit_name_size = QDoubleSpinBox()
        self.unit_name_size.setRange(10, 48)
        self.unit_name_size.setValue(certificate.unit_name_size)
        self.offsets = QTableWidget(len(CERTIFICATE_FIELDS), 2)
        self.offsets.setHorizontalHeaderLabels([tr("Ngang (từ mép trái)"), tr("Dọc (từ mép dưới)")])
        self.offsets.setVerticalHeaderLabels([tr(_FIELD_LABELS[name]) for name in CERTIFICATE_FIELDS])
        self.offset_boxes = {}
        for row, (name, default) in enumerate(CERTIFICATE_FIELDS.items()):
            x, y = certificate.offsets.get(name, default)
            self.offset_boxes[name] = (_millimetres(x), _millimetres(y))
            self.offsets.setCellWidget(row, 0, self.offset_boxes[name][0])
            self.offsets.setCellWidget(row, 1, self.offset_boxes[name][1])
        self.offsets.resizeColumnsToContents()
        preview_full, preview_blank = QPushButton(tr("Xem thử")), QPushButton(tr("Xem thử bản in lên phôi"))
        preview_full.clicked.connect(lambda: self.preview_certificate(blank_form=False))
        preview_blank.clicked.connect(lambda: self.preview_certificate(blank_form=True))
        buttons = QHBoxLayout()
        buttons.addWidget(preview_full)
        buttons.addWidget(preview_blank)
        buttons.addStretch(1)
        page = QWidget()
        form = QFormLayout(page)
        form.addRow(tr("Dòng tiêu đề"), self.heading)
        form.addRow(tr("Dòng công nhận ({nam} là năm)"), self.achievement)
        form.addRow(tr("Cỡ chữ tên đơn vị"), self.unit_name_size)
        form.addRow(tr("Vị trí các phần (in lên phôi)"), self.offsets)
        form.addRow("", buttons)
        return page

    def typed_certificate(self) -> CertificateSettings:
        offsets = {}
        for name, (x, y) in self.offset_boxes.items():
            if (x.value(), y.value()) != tuple(round(value, 1) for value in CERTIFICATE_FIELDS[name]):
                offsets[name] = (x.value(), y.value())
        return CertificateSettings(self.heading.text(), self.achievement.text(), self.unit_name_size.value(), offsets)

    def preview_certificate(self, blank_form: bool) -> None:
        typed = self.typed_certificate()
        try:
            achievement = settings.achievement_line(typed.achievement, date.today().year)
        except UserError as error:
            show_error(self.error, error.message)
            return
        sample = doc.Certificate(
            issuer=doc.Issuer(None, "ỦY BAN NHÂN DÂN", ""), deciding_authority="CHỦ TỊCH ỦY BAN NHÂN DÂN",
            unit_name="Tổ dân phố 7", achievement=achievement, decision_ref="(Quyết định số .../QĐ-UBND ngày ...)",
            issued_on=date.today(), signer=doc.Signer(None, "CHỦ TỊCH", "Nguyễn Văn A"), heading=typed.heading,
        )
        buffer = io.BytesIO()
        render_certificates([sample], buffer, doc.CertificateLayout(blank_form, dict(typed.offsets), typed.unit_name_size))
        PdfPreviewDialog(buffer.getvalue(), tr("Xem thử giấy công nhận"), "giay-cong-nhan-mau.pdf", self).exec()

    # ---- saving ----------------------------------------------------------------------------

    def accept(self) -> None:
        rules = AnttSettings(self.pooled.isChecked(), self.decision_form.currentData(),
                             self.target_registered.value(), self.target_recognized.value())
        try:
            with self._db.transaction() as session:
                settings.save_antt_settings(session, self._ward_id, rules, current_actor())
                for kind, extras in self._extras.items():
                    settings.save_extra_criteria(session, self._ward_id, kind.value, extras, current_actor())
                settings.save_certificate_settings(session, self._ward_id, self.typed_certificate(), current_actor())
        except UserError as error:
            show_error(self.error, error.message)
            return
        super().accept()
