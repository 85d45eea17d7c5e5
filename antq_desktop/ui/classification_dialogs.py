"""The small dialogs of the classification page: decide a level, mark the facts that cap one."""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
)

from antq_desktop.domain import classification as rules
from antq_desktop.i18n import tr
from antq_desktop.ui.forms import SavingDialog, save_buttons


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _title(unit_name: str) -> QLabel:
    label = QLabel(f"<b>{html.escape(unit_name)}</b>")
    label.setTextFormat(Qt.TextFormat.RichText)
    return label


def _paragraphs(initial: str = "", height: int = 90) -> QPlainTextEdit:
    edit = QPlainTextEdit(initial)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    return edit


class LevelDialog(SavingDialog):
    """Keep the proposed level, or decide another one with its reason.

    ``save((level_code or None, reason))``; ``None`` goes back to the proposed level.
    """

    def __init__(self, unit_name: str, proposal: rules.LevelDecision, levels: Iterable[rules.Level],
                 override: str | None, reason: str, save: Callable, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Xếp loại: {name}").format(name=unit_name))
        self.setMinimumWidth(520)
        self.proposed = QRadioButton(tr("Theo mức đề xuất: {level}").format(level=proposal.level.label))
        self.other = QRadioButton(tr("Xếp loại khác:"))
        group = QButtonGroup(self)
        group.addButton(self.proposed)
        group.addButton(self.other)
        self.level = QComboBox()
        for level in levels:
            self.level.addItem(level.label, level.code)
        self.reason = _paragraphs(reason)
        self.reason.setPlaceholderText(tr("Bắt buộc khi xếp loại khác mức đề xuất, ví dụ: theo kết luận cuộc họp "
                                          "xét duyệt ngày …"))
        if override:
            self.other.setChecked(True)
            self.level.setCurrentIndex(max(0, self.level.findData(override)))
        else:
            self.proposed.setChecked(True)
            self.level.setCurrentIndex(max(0, self.level.findData(proposal.level.code)))
        self.other.toggled.connect(self._enable)
        self._enable(self.other.isChecked())
        other_line = QHBoxLayout()
        other_line.addWidget(self.other)
        other_line.addWidget(self.level, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(_title(unit_name))
        layout.addWidget(_wrapped(proposal.explanation))
        layout.addWidget(self.proposed)
        layout.addLayout(other_line)
        layout.addWidget(QLabel(tr("Lý do:")))
        layout.addWidget(self.reason)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))

    def _enable(self, other: bool) -> None:
        self.level.setEnabled(other)
        self.reason.setEnabled(other)

    def typed(self) -> tuple[str | None, str]:
        if self.proposed.isChecked():
            return None, ""
        return self.level.currentData(), self.reason.toPlainText()


class MarkedFactsDialog(SavingDialog):
    """The cap-rule conditions no register establishes, ticked by the officer, with a note.

    ``save((fact codes, note))``. The facts the registers establish are shown, not editable.
    """

    def __init__(self, unit_name: str, markable: Iterable[str], marked: Iterable[str], derived: Iterable[str],
                 sheet_rules: Iterable[rules.CapRule], note: str, save: Callable, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Điều kiện hạ mức: {name}").format(name=unit_name))
        self.setMinimumWidth(620)
        enabled = {rule.condition for rule in sheet_rules if rule.enabled}
        marked = set(marked)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(_title(unit_name))
        layout.addWidget(_wrapped(tr("Đánh dấu các điều kiện đã xảy ra với đơn vị trong năm. Điều kiện có quy tắc "
                                     "đang bật sẽ hạ mức đề xuất.")))
        for fact in markable:
            box = QCheckBox(_condition_text(fact, enabled))
            box.setChecked(fact in marked)
            self.boxes[fact] = box
            layout.addWidget(box)
        derived = list(derived)
        if derived:
            layout.addWidget(_wrapped(tr("Theo sổ theo dõi (không sửa ở đây): ") + "; ".join(
                _condition_text(fact, enabled) for fact in derived) + "."))
        self.note = _paragraphs(note)
        form = QFormLayout()
        form.addRow(tr("Ghi chú:"), self.note)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))

    def typed(self) -> tuple[list[str], str]:
        return [fact for fact, box in self.boxes.items() if box.isChecked()], self.note.toPlainText()


def _condition_text(fact: str, enabled: set[str]) -> str:
    text = rules.CONDITIONS[fact]
    return text if fact in enabled else text + "\n" + tr("(quy tắc hạ mức này đang tắt: không hạ mức)")
