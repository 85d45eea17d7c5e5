"""The home page and the plan's targets tab, driven through the real window."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain import plan
from antq_desktop.services import targets
from antq_desktop.ui.dashboard_page import TrendChart
from antq_desktop.ui.plan_page import TargetDialog
from tests.ui.conftest import answer_yes, type_text, when_modal_opens


@pytest.fixture
def window(demo_window):
    return demo_window


def texts(widget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def test_the_program_opens_on_the_dashboard_of_this_year(window):
    page = window.dashboard_page
    assert window.stack.currentWidget() is page
    assert page.year.value() == date.today().year
    assert page.targets.rowCount() == len(page.data.targets) > 0
    assert "Hôm nay" in page.today_label.text()


def test_the_demo_year_shows_targets_attention_and_trends(window):
    page = window.dashboard_page
    page.year.setValue(2025)
    names = [page.targets.item(row, 0).text() for row in range(page.targets.rowCount())]
    statuses = {page.targets.item(row, 0).text(): page.targets.item(row, 3).text()
                for row in range(page.targets.rowCount())}
    assert "Mô hình xếp loại Khá trở lên" in names and statuses["Mô hình xếp loại Khá trở lên"] == "Đạt"
    assert statuses["Lực lượng nòng cốt được huấn luyện, bồi dưỡng"] == "Không đạt"  # 98% < 100%, year over
    assert any("tổ dân phố chưa được kiểm tra" in text for text in texts(page.attention))
    charts = [chart for chart in page.findChildren(TrendChart) if not chart.isHidden()]  # replaced: hidden
    assert 0 < len(charts) <= 6
    assert "2025: 87,0% (chỉ tiêu 100%)" in next(chart for chart in charts if "Khá" in chart.title).toolTip()


def test_a_target_opens_the_page_where_it_is_improved(window, qtbot):
    page = window.dashboard_page
    page.year.setValue(2025)
    row = next(row for row in range(page.targets.rowCount())
               if page.targets.item(row, 0).text() == "Tổ dân phố được kiểm tra, hướng dẫn ít nhất 01 lượt")
    page.targets.itemActivated.emit(page.targets.item(row, 0))
    assert window.stack.currentWidget() is window.inspections_page
    window.show_page("dashboard")
    attention = page.attention.item(0)
    page.attention.itemActivated.emit(attention)
    assert window.stack.currentWidget() is not page


def test_a_year_gets_its_own_targets_and_a_hand_typed_figure(window, qtbot):
    panel = window.show_page("plan")
    assert panel is window.plan_page.targets_panel
    panel.year.setValue(2025)
    assert not panel.buttons["add"].isEnabled() and "chưa đặt chỉ tiêu riêng" in panel.note.text()
    panel.buttons["start"].click()
    assert panel.buttons["add"].isEnabled() and panel.table.rowCount() == 11

    def add_custom(dialog: TargetDialog):
        dialog.indicator.setCurrentIndex(dialog.indicator.findData(TargetDialog.OTHER))
        dialog.name.clear()
        type_text(dialog.name, "Hộ gia đình ký cam kết an toàn")
        assert dialog.unit.isEnabled()
        dialog.unit.setCurrentIndex(dialog.unit.findData(plan.PERCENT))
        dialog.target.setValue(100)
        dialog.has_actual.setChecked(True)
        dialog.actual.setValue(96)
        dialog.accept()

    when_modal_opens(qtbot, add_custom)
    panel.buttons["add"].click()
    row = panel.table.rowCount() - 1
    assert [panel.table.item(row, column).text() for column in range(5)] == [
        "Hộ gia đình ký cam kết an toàn", "Nhập tay", "≥ 100%", "96,0%", "Không đạt"]
    with window._db.reading() as session:
        assert targets.has_plan(session, 1, 2025)
    panel.table.selectRow(row)
    when_modal_opens(qtbot, answer_yes)
    panel.buttons["delete"].click()
    assert panel.table.rowCount() == 11


def test_a_wrong_target_keeps_the_dialog_open_with_the_message(qtbot):
    saved = []
    dialog = TargetDialog(saved.append, None, {"registered_pct"})
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.indicator.findData("registered_pct") == -1  # already in the year
    dialog.indicator.setCurrentIndex(dialog.indicator.findData("models_kha_or_above"))
    assert not dialog.unit.isEnabled() and dialog.target.value() == 2
    assert not dialog.has_actual.isEnabled()  # computed from the records
    dialog.accept()
    assert saved[0].code == "models_kha_or_above" and saved[0].unit == plan.COUNT and saved[0].actual is None
    assert dialog.result() == TargetDialog.DialogCode.Accepted


def test_the_plan_tabs_are_built_when_shown(window):
    window.show_page("plan")
    plan_page = window.plan_page
    assert plan_page.panels["tasks"] is None
    tasks_panel = window.show_page("tasks")
    assert plan_page.panels["tasks"] is tasks_panel and plan_page.tabs.currentWidget() is tasks_panel
    budget_panel = window.show_page("budget")
    assert plan_page.tabs.currentWidget() is budget_panel
    assert plan_page.tabs.tabText(plan_page.tabs.currentIndex()) == "Dự trù kinh phí"
    assert window.navigation.currentItem().text() == "Kế hoạch, chỉ tiêu"
