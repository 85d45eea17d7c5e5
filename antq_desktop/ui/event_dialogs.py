"""The dialogs of the "Tuyên truyền, Ngày hội" page: an activity, a unit's Ngày hội, the Ngày hội
of several units at once. Each hands what was typed to a ``save`` that may refuse it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
)

from antq_desktop.domain import events as rules
from antq_desktop.domain.events import ActivityKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services.events import (
    ActivityInput,
    ActivityRow,
    FestivalInput,
    FestivalRow,
    UnitChoice,
)
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import SavingDialog, date_edit, save_buttons

REACH_HINT = tr("Để trống nếu không rõ; ví dụ 1.200")


def _count_edit(value: int | None) -> QLineEdit:
    edit = QLineEdit(rules.format_count(value))
    edit.setPlaceholderText(REACH_HINT)
    return edit


def _form_layout(dialog: SavingDialog, rows: list[tuple[str, object]], width: int, height: int) -> None:
    form = QFormLayout()
    for label, widget in rows:
        form.addRow(label, widget)
    layout = QVBoxLayout(dialog)
    layout.addLayout(form)
    layout.addWidget(dialog.error)
    layout.addStretch(1)
    layout.addWidget(save_buttons(dialog))
    dialog.resize(width, height)


class ActivityDialog(SavingDialog):
    """Add or correct a propaganda activity; the unit list starts with the ward itself."""

    def __init__(self, save: Callable, units: list[UnitChoice], ward_name: str, initial: ActivityRow | None = None,
                 default_day: date | None = None, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa hoạt động tuyên truyền") if initial else tr("Thêm hoạt động tuyên truyền"))
        self.held_on = date_edit(initial.held_on if initial else default_day)
        self.kind = enum_combo(ActivityKind, tr("— chọn hình thức —"))
        choose(self.kind, initial.kind if initial else None)
        self.unit = QComboBox()
        self.unit.addItem(tr("{ward} (toàn phường tổ chức)").format(ward=ward_name), None)
        for unit in units:
            self.unit.addItem(unit.name if unit.active else tr("{name} (không còn hoạt động)").format(name=unit.name),
                              unit.id)
        self.unit.setCurrentIndex(max(0, self.unit.findData(initial.unit_id)) if initial and initial.unit_id else 0)
        self.title_text = QLineEdit(initial.title if initial else "")
        self.title_text.setMaxLength(rules.TITLE_MAX)
        self.title_text.setPlaceholderText(tr("Ví dụ: Hội nghị tuyên truyền phòng, chống ma túy"))
        self.reach = _count_edit(initial.reach if initial else None)
        self.note = QPlainTextEdit(initial.note if initial else "")
        self.note.setFixedHeight(70)
        _form_layout(self, [(tr("Ngày tổ chức"), self.held_on), (tr("Hình thức"), self.kind),
                            (tr("Đơn vị tổ chức"), self.unit), (tr("Nội dung"), self.title_text),
                            (tr("Số người được tuyên truyền"), self.reach), (tr("Ghi chú"), self.note)], 720, 290)

    def typed(self) -> ActivityInput:
        kind = chosen(self.kind, ActivityKind)
        if kind is None:
            raise UserError(tr("Hãy chọn hình thức tuyên truyền (hội nghị, loa truyền thanh, mạng xã hội…)."))
        return ActivityInput(
            held_on=self.held_on.date().toPython(), kind=kind, title=self.title_text.text(),
            unit_id=self.unit.currentData(), reach=rules.parse_count(self.reach.text(), tr("Số người được tuyên truyền")),
            note=self.note.toPlainText(),
        )


class FestivalDialog(SavingDialog):
    """Record or correct one unit's Ngày hội of a year (a new one is dated 19/8 of the year)."""

    def __init__(self, save: Callable, row: FestivalRow, year: int, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Ngày hội toàn dân bảo vệ ANTQ năm {year}").format(year=year))
        unit = QLabel(f"<b>{row.name}</b>")
        self.held_on = date_edit(row.held_on or date(year, 8, 19))
        self.participants = _count_edit(row.participants)
        self.highlights = QPlainTextEdit(row.highlights)
        self.highlights.setPlaceholderText(tr("Ví dụ: biểu dương tập thể, cá nhân tiêu biểu; ký giao ước thi đua…"))
        self.highlights.setFixedHeight(90)
        _form_layout(self, [(tr("Đơn vị"), unit), (tr("Ngày tổ chức"), self.held_on),
                            (tr("Số người tham gia"), self.participants),
                            (tr("Nội dung nổi bật"), self.highlights)], 560, 250)

    def typed(self) -> FestivalInput:
        return FestivalInput(held_on=self.held_on.date().toPython(),
                             participants=rules.parse_count(self.participants.text(), tr("Số người tham gia")),
                             highlights=self.highlights.toPlainText())


class FestivalDayDialog(SavingDialog):
    """One date for the Ngày hội of several units (those that already have one keep theirs)."""

    def __init__(self, save: Callable, count: int, year: int, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Ghi Ngày hội cho nhiều đơn vị"))
        hint = QLabel(tr("Ghi Ngày hội năm {year} cho {n} đơn vị đã chọn. Đơn vị đã có bản ghi được giữ nguyên; "
                         "số người tham gia và nội dung nổi bật nhập sau trong bảng.").format(year=year, n=count))
        hint.setWordWrap(True)
        self.held_on = date_edit(date(year, 8, 19))
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        form = QFormLayout()
        form.addRow(tr("Ngày tổ chức"), self.held_on)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Ghi"))
        self.resize(480, 180)

    def typed(self) -> date:
        return self.held_on.date().toPython()
