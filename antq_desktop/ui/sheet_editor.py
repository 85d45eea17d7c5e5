"""The administrator's editor of the score sheets, the levels and the cap rules (issue 4 §1-2).

The dialog works on the set as data (the dict of domain.classification.sheet_set_to_dict):
nothing is written until Save, and Save goes through the domain's checks, so a sheet that
does not add up to 100 is refused with the place of the fault and the dialog keeps the edits.
"""

from __future__ import annotations

import copy
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import classification as rules
from antq_desktop.domain.criteria import KINDS
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import classification as service
from antq_desktop.services import settings, sheet_workbook
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.forms import error_label, save_buttons, show_error
from antq_desktop.ui.messages import attempt, confirm

CODE, TITLE, POINTS, DEDUCTION = range(4)


def _points_text(value) -> str:
    return rules.points_text(Decimal(str(value)))


def _parse_points(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


class SheetSetDialog(QDialog):
    """Edit the ward's score sheets; ``year`` is the year on screen (it may adopt the new sheets)."""

    def __init__(self, db: Database, ward_id: int, year: int | None = None, parent=None):
        super().__init__(parent)
        self._db, self._ward_id, self._year = db, ward_id, year
        self.setWindowTitle(tr("Bảng điểm phân loại phong trào"))
        with db.reading() as session:
            self._raw = rules.sheet_set_to_dict(service.current_sheet_set(session, ward_id))
        self._kind = KINDS[0]
        self.default_note = QLabel()
        self.default_note.setWordWrap(True)
        self.default_note.setStyleSheet("background: #fff4d6; padding: 6px; border: 1px solid #e0b040;")
        self.checked = QCheckBox(tr("Đã đối chiếu với bảng điểm của tỉnh (bỏ dấu MẶC ĐỊNH)"))
        tabs = QTabWidget()
        tabs.addTab(self._sheet_tab(), tr("Bảng điểm"))
        tabs.addTab(self._levels_tab(), tr("Mức xếp loại"))
        tabs.addTab(self._rules_tab(), tr("Quy tắc hạ mức"))
        self.error = error_label()
        layout = QVBoxLayout(self)
        layout.addWidget(self.default_note)
        layout.addWidget(self.checked)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.error)
        layout.addLayout(self._file_buttons())
        layout.addWidget(save_buttons(self))
        self._load_all()
        self.resize(980, 640)

    # ---- the sheet of one kind --------------------------------------------------------------

    def _sheet_tab(self) -> QWidget:
        self.kind_box = QComboBox()
        for kind in KINDS:
            self.kind_box.addItem(service.kind_label(kind), kind)
        self.kind_box.currentIndexChanged.connect(self._switch_kind)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([tr("Mã mục"), tr("Nội dung chấm điểm"), tr("Điểm chuẩn"), tr("Điểm trừ")])
        self.tree.setColumnWidth(CODE, 80)
        self.tree.setColumnWidth(TITLE, 620)
        self.tree.setColumnWidth(POINTS, 90)
        self.tree.setWordWrap(True)
        self.tree.itemChanged.connect(lambda *_: self._update_sum())
        self.sum_label = QLabel()
        buttons = QHBoxLayout()
        for text, slot in ((tr("Thêm mục"), self.add_item), (tr("Thêm mục con"), self.add_child),
                           (tr("Xoá mục"), self.remove_item), (tr("Lên"), lambda: self.move_item(-1)),
                           (tr("Xuống"), lambda: self.move_item(1))):
            button = QPushButton(text)
            button.clicked.connect(slot)
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.sum_label)
        page = QWidget()
        layout = QVBoxLayout(page)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Loại đơn vị")))
        row.addWidget(self.kind_box)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)
        return page

    def _new_tree_item(self, item: dict, top: bool) -> QTreeWidgetItem:
        node = QTreeWidgetItem([item["code"], item["title"], _points_text(item["max_points"]), ""])
        node.setFlags(node.flags() | Qt.ItemFlag.ItemIsEditable)
        node.setToolTip(TITLE, item["title"])  # long titles are elided in the column
        if top:
            node.setCheckState(DEDUCTION, Qt.CheckState.Checked if item.get("deduction") else Qt.CheckState.Unchecked)
        for child in item.get("children", ()):
            node.addChild(self._new_tree_item(child, False))
        return node

    def _show_sheet(self) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for item in self._raw["sheets"][self._kind]:
            self.tree.addTopLevelItem(self._new_tree_item(item, True))
        self.tree.expandAll()
        self.tree.blockSignals(False)
        self._update_sum()

    def _tree_items(self) -> list[dict]:
        """The tree as sheet data; a points cell that is not a number is refused with its code."""
        def read(node: QTreeWidgetItem, top: bool) -> dict:
            code, title = node.text(CODE).strip(), node.text(TITLE).strip()
            points = _parse_points(node.text(POINTS))
            if points is None:
                raise UserError(f'Mục "{code or title}": điểm chuẩn "{node.text(POINTS)}" không phải là một số.')
            item: dict = {"code": code, "title": title, "max_points": float(points)}
            if top and node.checkState(DEDUCTION) == Qt.CheckState.Checked:
                item["deduction"] = True
            if node.childCount():
                item["children"] = [read(node.child(i), False) for i in range(node.childCount())]
            return item

        return [read(self.tree.topLevelItem(i), True) for i in range(self.tree.topLevelItemCount())]

    def _keep_sheet(self) -> None:
        self._raw["sheets"][self._kind] = self._tree_items()

    def _switch_kind(self) -> None:
        try:
            self._keep_sheet()
        except UserError as error:
            show_error(self.error, error.message)
        self._kind = self.kind_box.currentData()
        self._show_sheet()

    def _update_sum(self) -> None:
        total = Decimal(0)
        for i in range(self.tree.topLevelItemCount()):
            node = self.tree.topLevelItem(i)
            points = _parse_points(node.text(POINTS))
            if points is not None and node.checkState(DEDUCTION) != Qt.CheckState.Checked:
                total += points
        ok = total == rules.TOTAL_MAX
        self.sum_label.setText(tr("Tổng các mục (không kể điểm trừ): {total}/100").format(total=_points_text(total)))
        self.sum_label.setStyleSheet("" if ok else "color: #b00020; font-weight: bold;")

    def _selected(self) -> QTreeWidgetItem | None:
        return self.tree.currentItem()

    def add_item(self) -> None:
        code = str(self.tree.topLevelItemCount() + 1)
        node = self._new_tree_item({"code": code, "title": tr("Nội dung mới"), "max_points": 1}, True)
        self.tree.addTopLevelItem(node)
        self._start_editing(node)

    def add_child(self) -> None:
        parent = self._selected()
        if parent is None:
            return
        code = f"{parent.text(CODE)}.{parent.childCount() + 1}"
        node = self._new_tree_item({"code": code, "title": tr("Nội dung mới"), "max_points": 1}, False)
        parent.addChild(node)
        parent.setExpanded(True)
        self._start_editing(node)

    def _start_editing(self, node: QTreeWidgetItem) -> None:
        self.tree.setCurrentItem(node)
        self.tree.editItem(node, TITLE)
        self._update_sum()

    def remove_item(self) -> None:
        node = self._selected()
        if node is None:
            return
        parent = node.parent()
        if parent is None:
            self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(node))
        else:
            parent.removeChild(node)
        self._update_sum()

    def move_item(self, step: int) -> None:
        node = self._selected()
        if node is None:
            return
        parent = node.parent()
        siblings = parent.childCount() if parent else self.tree.topLevelItemCount()
        index = parent.indexOfChild(node) if parent else self.tree.indexOfTopLevelItem(node)
        target = index + step
        if not 0 <= target < siblings:
            return
        if parent:
            parent.insertChild(target, parent.takeChild(index))
        else:
            self.tree.insertTopLevelItem(target, self.tree.takeTopLevelItem(index))
        node.setExpanded(True)
        self.tree.setCurrentItem(node)

    # ---- levels and rules ---------------------------------------------------------------------

    def _levels_tab(self) -> QWidget:
        page = QWidget()
        grid = QGridLayout(page)
        grid.addWidget(QLabel(tr("<b>Mức</b>")), 0, 0)
        grid.addWidget(QLabel(tr("<b>Từ (điểm)</b>")), 0, 1)
        self.level_labels: list[QLineEdit] = []
        self.level_minimums: list[QDoubleSpinBox] = []
        for row in range(len(rules.LEVEL_CODES)):
            label, minimum = QLineEdit(), QDoubleSpinBox()
            minimum.setRange(0, 100)
            minimum.setDecimals(2)
            self.level_labels.append(label)
            self.level_minimums.append(minimum)
            grid.addWidget(label, row + 1, 0)
            grid.addWidget(minimum, row + 1, 1)
        self.level_minimums[-1].setEnabled(False)  # the lowest level starts at 0: every total has a level
        grid.addWidget(QLabel(tr("Tổng điểm từ ngưỡng của một mức trở lên (và dưới ngưỡng của mức trên) "
                                 "thì được xếp mức đó. Mức thấp nhất bắt đầu từ 0 điểm.")), 5, 0, 1, 2)
        self.target_kha = QSpinBox()
        self.target_kha.setRange(0, 100)
        self.target_kha.setSuffix(" %")
        self.target_no_yeu = QCheckBox(tr("Chỉ tiêu: không có đơn vị xếp loại Yếu"))
        grid.addWidget(QLabel(tr("<b>Chỉ tiêu của năm</b>")), 6, 0)
        grid.addWidget(QLabel(tr("Tỷ lệ đơn vị xếp loại Khá trở lên, tối thiểu")), 7, 0)
        grid.addWidget(self.target_kha, 7, 1)
        grid.addWidget(self.target_no_yeu, 8, 0, 1, 2)
        with self._db.reading() as session:
            self.target_kha.setValue(int(settings.get_setting(session, self._ward_id,
                                                              "classification.target_kha_or_above_pct")))
            self.target_no_yeu.setChecked(bool(settings.get_setting(session, self._ward_id,
                                                                    "classification.target_no_yeu")))
        grid.setRowStretch(9, 1)
        grid.setColumnStretch(0, 1)
        return page

    def _rules_tab(self) -> QWidget:
        self.rules_table = QTableWidget(0, 3)
        self.rules_table.setHorizontalHeaderLabels([tr("Áp dụng / quy tắc"), tr("Điều kiện"), tr("Xếp loại cao nhất")])
        self.rules_table.setColumnWidth(0, 430)
        self.rules_table.setColumnWidth(1, 300)
        self.rules_table.horizontalHeader().setStretchLastSection(True)
        self.rules_table.setWordWrap(True)
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel(tr("Khi điều kiện xảy ra, đơn vị không được xếp cao hơn mức đã chọn. "
                                   "Bỏ dấu để tắt quy tắc; lý do hạ mức được ghi trong phần giải thích.")))
        layout.addWidget(self.rules_table, 1)
        return page

    def _show_levels_and_rules(self) -> None:
        for level, label, minimum in zip(self._raw["levels"], self.level_labels, self.level_minimums):
            label.setText(level["label"])
            minimum.setValue(float(level["min_total"]))
        self.rules_table.setRowCount(len(self._raw["rules"]))
        self._rule_levels: list[QComboBox] = []
        for row, rule in enumerate(self._raw["rules"]):
            switch = QTableWidgetItem(rule["text"])
            switch.setFlags(switch.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            switch.setCheckState(Qt.CheckState.Checked if rule["enabled"] else Qt.CheckState.Unchecked)
            condition = QTableWidgetItem(rules.CONDITIONS[rule["condition"]])
            condition.setFlags(condition.flags() & ~Qt.ItemFlag.ItemIsEditable)
            box = QComboBox()
            for level in self._raw["levels"]:
                box.addItem(level["label"], level["code"])
            box.setCurrentIndex(max(0, box.findData(rule["max_level"])))
            self._rule_levels.append(box)
            self.rules_table.setItem(row, 0, switch)
            self.rules_table.setItem(row, 1, condition)
            self.rules_table.setCellWidget(row, 2, box)
        self.rules_table.resizeRowsToContents()

    def _keep_levels_and_rules(self) -> None:
        for level, label, minimum in zip(self._raw["levels"], self.level_labels, self.level_minimums):
            level["label"] = label.text().strip()
            level["min_total"] = minimum.value()
        for row, rule in enumerate(self._raw["rules"]):
            switch = self.rules_table.item(row, 0)
            rule["text"] = switch.text().strip()
            rule["enabled"] = switch.checkState() == Qt.CheckState.Checked
            rule["max_level"] = self._rule_levels[row].currentData()

    # ---- the whole set --------------------------------------------------------------------------

    def _load_all(self) -> None:
        default = self._raw["is_default"]
        self.default_note.setText(self._raw["note"] if default else tr(
            "Bảng điểm của xã, phường (đã đối chiếu với bảng điểm của tỉnh). Năm đã bắt đầu chấm giữ bảng điểm "
            "lúc bắt đầu; bảng sửa ở đây dùng cho các năm chưa chấm."))
        self.checked.setChecked(not default)
        self._show_sheet()
        self._show_levels_and_rules()

    def typed(self) -> dict:
        self._keep_sheet()
        self._keep_levels_and_rules()
        raw = copy.deepcopy(self._raw)
        raw["is_default"] = not self.checked.isChecked()
        return raw

    def _file_buttons(self) -> QHBoxLayout:
        row = QHBoxLayout()
        for text, slot in ((tr("Nhập từ Excel…"), self.import_excel), (tr("Xuất ra Excel…"), self.export_excel),
                           (tr("Khôi phục bảng điểm mặc định"), self.restore_default)):
            button = QPushButton(text)
            button.clicked.connect(slot)
            row.addWidget(button)
        row.addStretch(1)
        return row

    def import_excel(self, path: str | None = None) -> None:
        path = path or QFileDialog.getOpenFileName(self, tr("Nhập bảng điểm từ Excel"), "", "Excel (*.xlsx)")[0]
        if not path:
            return
        try:
            self._raw = sheet_workbook.import_sheets(self.typed(), path)
        except UserError as error:
            show_error(self.error, error.message)
            return
        show_error(self.error, "")
        self._load_all()

    def export_excel(self, path: str | None = None) -> None:
        path = path or QFileDialog.getSaveFileName(self, tr("Xuất bảng điểm ra Excel"), "bang-diem.xlsx",
                                                   "Excel (*.xlsx)")[0]
        if not path:
            return
        try:
            sheet_workbook.export_sheets(rules.parse_sheet_set(self.typed(), "đang sửa"), path)
        except UserError as error:
            show_error(self.error, error.message)

    def restore_default(self) -> None:
        if confirm(self, tr("Khôi phục bảng điểm mặc định"),
                   tr("Thay toàn bộ bảng điểm, mức và quy tắc đang sửa bằng bảng mặc định của chương trình?")):
            self._raw = rules.sheet_set_to_dict(rules.builtin_sheet_sets()[-1])
            self._load_all()

    def accept(self) -> None:
        try:
            raw = self.typed()
            with self._db.transaction() as session:
                service.save_sheet_set(session, self._ward_id, raw, current_actor())
                settings.set_setting(session, self._ward_id, "classification.target_kha_or_above_pct",
                                     self.target_kha.value(), current_actor())
                settings.set_setting(session, self._ward_id, "classification.target_no_yeu",
                                     self.target_no_yeu.isChecked(), current_actor())
        except UserError as error:
            show_error(self.error, error.message)
            return
        self._offer_adoption()
        super().accept()

    def _offer_adoption(self) -> None:
        """A year already being scored keeps its sheets unless the officer moves it to the new ones."""
        if self._year is None:
            return
        with self._db.reading() as session:
            started = service.year_started(session, self._ward_id, self._year)
        if started and confirm(self, tr("Áp dụng cho năm đang chấm"), tr(
                "Năm {year} đã bắt đầu chấm theo bảng điểm cũ. Áp dụng bảng điểm vừa lưu cho năm {year}?"
                ).format(year=self._year)):
            attempt(self, self._adopt)

    def _adopt(self) -> None:
        with self._db.transaction() as session:
            service.adopt_current_sheets(session, self._ward_id, self._year, current_actor())
