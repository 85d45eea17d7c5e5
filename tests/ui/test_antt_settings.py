"""The province-specific settings of the ANTT year, set in their dialog."""

from __future__ import annotations

from datetime import date

from antq_desktop.services import settings
from antq_desktop.services.antt import RegistrationInput, register_unit, year_overview
from antq_desktop.services.antt_assessment import assessment
from antq_desktop.ui.antt_settings_dialog import AnttSettingsDialog
from tests.ui.conftest import type_text


def test_rules_extra_criteria_and_certificate_wording_are_saved(qtbot, demo_db):
    dialog = AnttSettingsDialog(demo_db, 1)
    qtbot.addWidget(dialog)
    dialog.pooled.setChecked(False)
    dialog.decision_form.setCurrentIndex(dialog.decision_form.findData("ubnd"))
    dialog.target_recognized.setValue(90)
    type_text(dialog.extra_title, "Không có người nghiện ma túy mới")
    dialog.extra_points.setPlainText("Không phát sinh người nghiện mới\nCó mô hình phòng chống ma túy")
    dialog.add_extra()
    dialog.heading.setText("CHỨNG NHẬN")
    dialog.offset_boxes["unit_name"][1].setValue(120)
    dialog.accept()
    assert dialog.result() == AnttSettingsDialog.DialogCode.Accepted
    with demo_db.transaction() as session:
        rules = settings.antt_settings(session, 1)
        assert (rules.pooled_70, rules.decision_form, rules.target_recognized_pct) == (False, "ubnd", 90)
        certificate = settings.certificate_settings(session, 1)
        assert certificate.heading == "CHỨNG NHẬN" and certificate.offsets == {"unit_name": (148.5, 120.0)}
        unit = next(row for row in year_overview(session, 1, 2026) if row.name == "Tổ dân phố 1")
        record_id = register_unit(session, 1, unit.unit_id, 2026, RegistrationInput(registered_on=date(2026, 2, 1)), "t")
        codes = [point.code for point in assessment(session, record_id).points]
    assert codes[-2:] == ["T6a", "T6b"]


def test_a_bad_wording_keeps_the_dialog_open(qtbot, demo_db):
    dialog = AnttSettingsDialog(demo_db, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.achievement.setText("Đạt tiêu chuẩn năm {year}")
    dialog.accept()
    assert dialog.isVisible() and "{nam}" in dialog.error.text()
    with demo_db.transaction() as session:
        assert "{nam}" in settings.certificate_settings(session, 1).achievement
