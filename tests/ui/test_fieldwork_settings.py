"""The field work's targets and commemorative days: edited, checked, saved together."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QTableWidgetItem

from antq_desktop.services import settings
from antq_desktop.ui.fieldwork_settings_dialog import FieldworkSettingsDialog


@pytest.fixture
def dialog(qtbot, demo_db):
    dialog = FieldworkSettingsDialog(demo_db, 1)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _stored(db, key):
    with db.reading() as session:
        return settings.get_setting(session, 1, key)


def test_targets_and_a_new_day_are_saved(dialog, demo_db):
    assert dialog.days.rowCount() == 7 and dialog.targets["models.target_kha_or_above"].value() == 2
    dialog.targets["events.target_activities"].setValue(50)
    dialog.days.add_day({"month": 3, "day": 26, "title": "Ngày thành lập Đoàn TNCS Hồ Chí Minh"})
    dialog.accept()
    assert _stored(demo_db, "events.target_activities") == 50
    days = _stored(demo_db, "events.commemorative_days")
    assert days[0] == {"month": 3, "day": 26, "title": "Ngày thành lập Đoàn TNCS Hồ Chí Minh"}  # calendar order
    assert len(days) == 8


@pytest.mark.parametrize("month, day, title, message", [
    ("13", "1", "Ngày X", "tháng phải từ 1 đến 12"),
    ("2", "30", "Ngày X", "tháng 2 không có ngày 30"),
    ("5", "1", "", "hãy nhập tên ngày kỷ niệm"),
    ("năm", "1", "Ngày X", "dòng 8: tháng và ngày phải là số"),
])
def test_a_wrong_day_is_refused_and_nothing_is_saved(dialog, demo_db, month, day, title, message):
    dialog.targets["events.target_activities"].setValue(50)
    dialog.days.add_day({"month": 1, "day": 1, "title": ""})
    for column, value in enumerate((month, day, title)):
        dialog.days.setItem(7, column, QTableWidgetItem(value))
    dialog.accept()
    assert dialog.isVisible() and message in dialog.error.text()
    assert _stored(demo_db, "events.target_activities") == 0
