"""The "Dự trù kinh phí" tab of the plan: the year's groups (I, II, III…) and their lines, the total
in figures and in words, Excel in and out, and the printed estimate (with a preview)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain.vntext import format_number
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.reports.budget import estimate_title, render_budget
from antq_desktop.services import budget
from antq_desktop.services.budget import Budget, GroupRow, LineInput, LineRow
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.forms import SavingDialog, add_buttons, save_buttons, year_box
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.pdf_preview import PdfPreviewDialog, rendered
from antq_desktop.ui.settings import ui_settings

COLUMNS = ("TT", "Nội dung", "Đơn vị tính", "Số lượng", "Đơn giá (đồng)", "Thành tiền (đồng)", "Diễn giải")
NUMBER_COLUMNS = (3, 4, 5)
WIDTHS = (44, 380, 90, 80, 120, 130, 220)
IMPORT_RULE = tr(
    "Tệp Excel cần một dòng tiêu đề có các cột \u201cNhóm\u201d, \u201cNội dung\u201d, \u201cSố lượng\u201d, "
    "\u201cĐơn giá\u201d, \u201cThành tiền\u201d (có thể thêm \u201cĐơn vị tính\u201d, \u201cDiễn giải\u201d). "
    "Các dòng cùng tên nhóm vào một nhóm; dòng khoán gọn để trống số lượng và đơn giá. "
    "Tệp do nút \u201cXuất Excel…\u201d tạo ra là một mẫu đúng."
)


def _amount_text(value: int | None) -> str:
    return "" if value is None else format_number(value)


# ---- dialogs -----------------------------------------------------------------------------------

class GroupDialog(SavingDialog):
    """Add or rename a group (its Roman numeral comes from its place)."""

    def __init__(self, save: Callable, title: str = "", parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa tên nhóm") if title else tr("Thêm nhóm"))
        self.title_text = QLineEdit(title)
        self.title_text.setMaxLength(budget.TITLE_MAX)
        self.title_text.setPlaceholderText(tr("Ví dụ: Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d"))
        form = QFormLayout()
        form.addRow(tr("Tên nhóm"), self.title_text)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(560, 140)

    def typed(self) -> str:
        return self.title_text.text()


class LineDialog(SavingDialog):
    """Add or correct a line: quantity × unit price (the amount is shown as it is computed), or a
    lump sum whose amount is typed. Numbers may be typed with "." between thousands."""

    def __init__(self, save: Callable, groups: list[tuple[int, str]], group_id: int,
                 initial: LineInput | None = None, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Sửa dòng dự trù") if initial else tr("Thêm dòng dự trù"))
        initial = initial or LineInput("")
        self.group = QComboBox()
        for number, label in groups:
            self.group.addItem(label, number)
        self.group.setCurrentIndex(max(0, self.group.findData(group_id)))
        self.content = QPlainTextEdit(initial.content)
        self.content.setFixedHeight(70)
        self.unit_label = QLineEdit(initial.unit_label)
        self.unit_label.setMaxLength(budget.UNIT_MAX)
        self.unit_label.setPlaceholderText(tr("Ví dụ: người, buổi, bộ, tờ"))
        self.by_price = QRadioButton(tr("Số lượng × đơn giá"))
        self.lump_sum = QRadioButton(tr("Khoán gọn (nhập thành tiền)"))
        kinds = QButtonGroup(self)
        kinds.addButton(self.by_price)
        kinds.addButton(self.lump_sum)
        self.quantity = QLineEdit(_amount_text(initial.quantity))
        self.unit_price = QLineEdit(_amount_text(initial.unit_price))
        self.amount = QLineEdit(_amount_text(initial.amount))
        self.detail = QLineEdit(initial.detail)
        self.detail.setPlaceholderText(tr("Cách tính, căn cứ, ghi chú (không bắt buộc)"))
        (self.lump_sum if initial.lump_sum and initial.amount is not None else self.by_price).setChecked(True)
        for edit in (self.quantity, self.unit_price):
            edit.textChanged.connect(lambda _text: self._show_product())
        self.lump_sum.toggled.connect(lambda _on: self._show_kind())
        self._show_kind()
        layout = QVBoxLayout(self)
        layout.addLayout(self._form())
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(600, 380)

    def _form(self) -> QFormLayout:
        kind = QHBoxLayout()
        kind.addWidget(self.by_price)
        kind.addWidget(self.lump_sum)
        kind.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("Nhóm"), self.group)
        form.addRow(tr("Nội dung"), self.content)
        form.addRow(tr("Đơn vị tính"), self.unit_label)
        form.addRow(tr("Cách tính"), kind)
        form.addRow(tr("Số lượng"), self.quantity)
        form.addRow(tr("Đơn giá (đồng)"), self.unit_price)
        form.addRow(tr("Thành tiền (đồng)"), self.amount)
        form.addRow(tr("Diễn giải"), self.detail)
        return form

    def _show_kind(self) -> None:
        lump = self.lump_sum.isChecked()
        self.quantity.setEnabled(not lump)
        self.unit_price.setEnabled(not lump)
        self.amount.setEnabled(lump)  # greyed: computed from quantity × price
        self._show_product()

    def _show_product(self) -> None:
        """The amount as it will be saved, while the officer types the quantity and the price."""
        if self.lump_sum.isChecked():
            return
        try:
            quantity = budget.parse_whole_number(self.quantity.text(), tr("Số lượng"))
            price = budget.parse_whole_number(self.unit_price.text(), tr("Đơn giá"))
        except UserError:
            quantity = price = None
        self.amount.setText(format_number(quantity * price) if quantity is not None and price is not None else "")

    def typed(self) -> tuple[int, LineInput]:
        """(the chosen group, the line); a number that is not one is refused here, in Vietnamese."""
        lump = self.lump_sum.isChecked()
        number = budget.parse_whole_number
        quantity = None if lump else number(self.quantity.text(), tr("Số lượng"))
        price = None if lump else number(self.unit_price.text(), tr("Đơn giá"))
        amount = number(self.amount.text(), tr("Thành tiền")) if lump else None
        return self.group.currentData(), LineInput(self.content.toPlainText(), quantity, price, amount,
                                                   self.unit_label.text(), self.detail.text())


# ---- the page ----------------------------------------------------------------------------------

class BudgetPage(QWidget):
    status_message = Signal(str)
    SETTINGS_KEY = "budget/header"

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db, self._ward_id = db, ward_id
        self.budget: Budget | None = None
        self.year = year_box()
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.tree = self._make_tree()
        self.empty_hint = QLabel(tr("Năm này chưa có dự trù kinh phí. Hãy thêm nhóm (I, II, III… theo căn cứ, nội "
                                    "dung chi) rồi thêm các dòng, hoặc nhập từ tệp Excel. ") + IMPORT_RULE)
        self.empty_hint.setWordWrap(True)
        self.total = QLabel()
        self.total.setStyleSheet("font-weight: bold;")
        self.total.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.in_words = QLabel()
        self.in_words.setStyleSheet("font-style: italic;")
        self.in_words.setWordWrap(True)
        self.in_words.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(tr("Năm")))
        bar.addWidget(self.year)
        bar.addStretch(1)
        layout.addLayout(bar)
        layout.addLayout(self._buttons())
        layout.addWidget(self.empty_hint)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.total)
        layout.addWidget(self.in_words)
        self.refresh()

    def _make_tree(self) -> QTreeWidget:
        tree = QTreeWidget()
        tree.setColumnCount(len(COLUMNS))
        tree.setHeaderLabels([tr(name) for name in COLUMNS])
        tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        tree.setAlternatingRowColors(True)
        # Every group stays open: no arrows, no indent, so "1" stands under "I" as on paper.
        tree.setRootIsDecorated(False)
        tree.setItemsExpandable(False)
        tree.setIndentation(0)
        header = tree.header()
        header.setStretchLastSection(False)
        for column, width in enumerate(WIDTHS):
            tree.setColumnWidth(column, width)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)  # the content takes what is left
        state = ui_settings().value(self.SETTINGS_KEY)
        if state is not None:
            tree.header().restoreState(state)
        tree.itemDoubleClicked.connect(lambda _item, _column: self.edit_selected())
        return tree

    def _buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        self.buttons = add_buttons(row, (
            ("add_group", tr("Thêm nhóm…"), self.add_group),
            ("add_line", tr("Thêm dòng…"), self.add_line),
            ("edit", tr("Sửa…"), self.edit_selected),
            ("delete", tr("Xoá"), self.delete_selected),
            ("up", tr("Lên"), lambda: self.move_selected(-1)),
            ("down", tr("Xuống"), lambda: self.move_selected(1)),
            ("import", tr("Nhập từ Excel…"), lambda: self.import_from_excel()),
            ("export", tr("Xuất Excel…"), lambda: self.export_to_excel()),
            ("print", tr("Xem và in…"), self.print_estimate),
        ))
        self.buttons["import"].setToolTip(IMPORT_RULE)
        row.insertStretch(6, 1)
        return row

    def current_year(self) -> int:
        return self.year.value()


    # ---- data ------------------------------------------------------------------------------------

    def refresh(self, select: tuple[str, int] | None = None) -> None:
        """Reload the year; ``select`` is ("group" or "line", id) to select afterwards."""
        year = self.current_year()
        self.budget = self._db.run(lambda session: budget.year_budget(session, self._ward_id, year))
        self.tree.clear()
        for group in self.budget.groups:
            item = self._group_item(group)
            item.addChildren([self._line_item(line) for line in group.lines])
        self.tree.expandAll()
        if select is not None:
            self._select(select)
        self.empty_hint.setVisible(not self.budget.groups)
        self.total.setText(tr("Tổng cộng: {total} đồng").format(total=format_number(self.budget.total)))
        self.in_words.setText(tr("(Bằng chữ: {words})").format(words=self.budget.total_in_words))
        self.status_message.emit(self._summary())

    def _summary(self) -> str:
        data = self.budget
        if not data.groups:
            return tr("Năm {year}: chưa có dự trù kinh phí.").format(year=data.year)
        return tr("Năm {year}: {groups} nhóm, {lines} dòng, tổng cộng {total} đồng.").format(
            year=data.year, groups=len(data.groups), lines=data.line_count, total=format_number(data.total))

    def _group_item(self, group: GroupRow) -> QTreeWidgetItem:
        item = QTreeWidgetItem(self.tree, [group.code, group.title, "", "", "", format_number(group.subtotal), ""])
        item.setData(0, Qt.ItemDataRole.UserRole, ("group", group.id))
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for column in range(len(COLUMNS)):
            item.setFont(column, bold)
            item.setBackground(column, QBrush(QColor("#e8eef5")))
        self._align(item)
        item.setToolTip(1, group.title)
        return item

    def _line_item(self, line: LineRow) -> QTreeWidgetItem:
        item = QTreeWidgetItem([str(line.number), line.content, line.unit_label, _amount_text(line.quantity),
                                _amount_text(line.unit_price), format_number(line.amount), line.detail])
        item.setData(0, Qt.ItemDataRole.UserRole, ("line", line.id))
        item.setToolTip(1, line.content)
        self._align(item)
        return item

    @staticmethod
    def _align(item: QTreeWidgetItem) -> None:
        for column in NUMBER_COLUMNS:
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        for column in (0, 2):
            item.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)

    def _select(self, key: tuple[str, int]) -> None:
        items = [self.tree.topLevelItem(n) for n in range(self.tree.topLevelItemCount())]
        items += [group.child(n) for group in list(items) for n in range(group.childCount())]
        for item in items:
            if tuple(item.data(0, Qt.ItemDataRole.UserRole)) == tuple(key):
                self.tree.setCurrentItem(item)
                return

    def save_state(self) -> None:
        ui_settings().setValue(self.SETTINGS_KEY, self.tree.header().saveState())

    def _selected(self) -> GroupRow | LineRow | None:
        item = self.tree.currentItem()
        if item is None or not item.isSelected():
            self.status_message.emit(tr("Hãy chọn một nhóm hoặc một dòng trong bảng."))
            return None
        kind, number = item.data(0, Qt.ItemDataRole.UserRole)
        groups = {group.id: group for group in self.budget.groups}
        if kind == "group":
            return groups[number]
        return next(line for group in groups.values() for line in group.lines if line.id == number)

    def _write(self, work: Callable, select: tuple[str, int] | None = None):
        """Run ``work(session)`` (a refusal is shown in a box), then reload the year."""
        done = attempt(self, lambda: self._db.run(work))
        self.refresh(select)
        return done

    # ---- groups and lines ----------------------------------------------------------------------

    def _group_choices(self) -> list[tuple[int, str]]:
        return [(group.id, f"{group.code}. {group.title}") for group in self.budget.groups]

    def add_group(self) -> None:
        added: list[int] = []
        year = self.current_year()

        def save(title: str) -> None:
            added.append(self._db.run(
                lambda session: budget.add_group(session, self._ward_id, year, title, current_actor())))

        if GroupDialog(save, parent=self).exec():
            self.refresh(("group", added[-1]))

    def add_line(self) -> None:
        if not self.budget.groups:
            self.status_message.emit(tr("Hãy thêm nhóm trước (nút \u201cThêm nhóm…\u201d), rồi thêm dòng vào nhóm."))
            return
        item = self.tree.currentItem()
        chosen = self._selected() if item is not None and item.isSelected() else None
        group_id = (chosen.group_id if isinstance(chosen, LineRow) else chosen.id if chosen
                    else self.budget.groups[-1].id)
        added: list[int] = []

        def save(typed: tuple[int, LineInput]) -> None:
            target, data = typed
            added.append(self._db.run(lambda session: budget.add_line(session, target, data,
                                                                              current_actor())))

        if LineDialog(save, self._group_choices(), group_id, parent=self).exec():
            self.refresh(("line", added[-1]))

    def edit_selected(self) -> None:
        chosen = self._selected()
        if isinstance(chosen, GroupRow):
            def save_title(title: str) -> None:
                self._db.run(lambda session: budget.update_group(session, chosen.id, title, current_actor(),
                                                                         chosen.version))

            if GroupDialog(save_title, chosen.title, self).exec():
                self.refresh(("group", chosen.id))
        elif isinstance(chosen, LineRow):
            def save_line(typed: tuple[int, LineInput]) -> None:
                target, data = typed
                self._db.run(lambda session: budget.update_line(session, chosen.id, data, current_actor(),
                                                                        chosen.version, target))

            if LineDialog(save_line, self._group_choices(), chosen.group_id, chosen.as_input(), self).exec():
                self.refresh(("line", chosen.id))

    def delete_selected(self) -> None:
        chosen = self._selected()
        if isinstance(chosen, GroupRow):
            question = tr("Xoá nhóm {code} \u201c{title}\u201d cùng {count} dòng của nhóm?").format(
                code=chosen.code, title=chosen.title, count=len(chosen.lines))
            if confirm(self, tr("Xoá nhóm"), question):
                self._write(lambda session: budget.delete_group(session, chosen.id, current_actor(), chosen.version))
        elif isinstance(chosen, LineRow) and confirm(self, tr("Xoá dòng"), tr("Xoá dòng \u201c{content}\u201d?").format(
                content=chosen.content)):
            self._write(lambda session: budget.delete_line(session, chosen.id, current_actor(), chosen.version))

    def move_selected(self, step: int) -> None:
        chosen = self._selected()
        if isinstance(chosen, GroupRow):
            self._write(lambda session: budget.move_group(session, chosen.id, step, current_actor()),
                        ("group", chosen.id))
        elif isinstance(chosen, LineRow):
            self._write(lambda session: budget.move_line(session, chosen.id, step, current_actor()),
                        ("line", chosen.id))

    # ---- Excel and the printed estimate ---------------------------------------------------------

    def import_from_excel(self, path: str | None = None) -> None:
        """Replace the year's budget by a file's, once the officer has agreed to lose the current one."""
        year = self.current_year()
        if path is None:
            path, _filter = QFileDialog.getOpenFileName(self, tr("Nhập dự trù kinh phí từ Excel"), "",
                                                        tr("Tệp Excel (*.xlsx *.xlsm)"))
        if not path:
            return
        if self.budget.groups and not confirm(self, tr("Nhập từ Excel"), tr(
                "Dự trù kinh phí năm {year} hiện có ({groups} nhóm, {lines} dòng) sẽ được thay toàn bộ bằng nội "
                "dung của tệp \u201c{name}\u201d. Tiếp tục nhập?").format(
                year=year, groups=len(self.budget.groups), lines=self.budget.line_count, name=Path(path).name)):
            return
        result = self._write(lambda session: budget.import_budget(session, self._ward_id, year, path,
                                                                  current_actor()))
        if result is not None:
            self.status_message.emit(result.summary)

    def export_to_excel(self, path: str | None = None) -> None:
        year = self.current_year()
        if path is None:
            path, _filter = QFileDialog.getSaveFileName(self, tr("Xuất dự trù kinh phí ra Excel"),
                                                        f"du-tru-kinh-phi-{year}.xlsx", tr("Tệp Excel (*.xlsx)"))
        if not path:
            return
        if not path.lower().endswith(".xlsx"):
            path += ".xlsx"
        rows = attempt(self, lambda: self._db.run(
            lambda session: budget.export_budget(session, self._ward_id, year, path)))
        if rows is not None:
            self.status_message.emit(tr("Đã xuất dự trù kinh phí năm {year} ({rows} dòng) ra tệp {name}.").format(
                year=year, rows=rows, name=Path(path).name))

    def print_estimate(self) -> None:
        year = self.current_year()
        data = attempt(self, lambda: self._db.run(
            lambda session: budget.budget_document(session, self._ward_id, year)))
        if data is not None:
            PdfPreviewDialog(rendered(render_budget, data), estimate_title(data),
                             f"du-tru-kinh-phi-{year}.pdf", self).exec()
