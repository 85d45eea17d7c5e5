"""The year-end score grid: the units of a kind as rows, the score items as columns, typed
like a spreadsheet.

Keyboard first: typing on a cell replaces it, Enter commits and moves down, Tab moves right,
the arrows move, Delete empties the selection, Ctrl+C / Ctrl+V copy and paste blocks with
Excel and LibreOffice, Ctrl+Z / Ctrl+Y undo and redo. Every change (a typed cell, a pasted
block, a delete, an undo) is handed to ``store`` at once, which saves it in its own
transaction; a change the service refuses leaves the grid as it was and is reported through
the ``error`` signal. Totals and levels are recomputed for the changed rows only.

The grid shows one score column at a time (the unit's own score or the ward's): the ward's
score counts, and an item the ward left empty keeps the unit's own score, shown greyed.
The names, totals and levels sit in a second view on the left that does not scroll sideways.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal, InvalidOperation

from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QUndoCommand,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QStyledItemDelegate,
    QTableView,
    QWidget,
)

from antq_desktop.domain import classification as rules
from antq_desktop.domain.classification import points_text
from antq_desktop.domain.vntext import format_number
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services.classification import (
    COLUMN_LABELS,
    SELF,
    WARD_SCORE,
    CellEdit,
    Grid,
    ScoreRow,
)

SUMMARY_HEADERS = (tr("Tên đơn vị"), tr("Tổng\ntự chấm"), tr("Tổng\nđiểm"), tr("Mức\nđề xuất"), tr("Xếp\nloại"))
SUMMARY_TIPS = (
    "",
    tr("Tổng điểm đơn vị tự chấm"),
    tr("Tổng điểm được tính: điểm xã chấm; mục xã để trống lấy điểm đơn vị tự chấm"),
    tr("Mức theo tổng điểm, sau các quy tắc hạ mức"),
    tr("Mức xếp loại: mức đề xuất, hoặc mức khác có ghi lý do (dấu *)"),
)
NAME, SELF_TOTAL, TOTAL, PROPOSED, DECIDED = range(5)
FIRST_ITEM = len(SUMMARY_HEADERS)
_INHERITED = QBrush(QColor("#8a8a8a"))
_OVERRIDDEN = QBrush(QColor("#fff1c7"))  # own score the ward changed
_YEU = QBrush(QColor("#b00020"))


# ---- numbers -----------------------------------------------------------------------------

def parse_points(text: str) -> Decimal | None:
    """A typed or pasted score: "2,5" and "2.5" alike, "" for an empty cell; ValueError otherwise."""
    text = text.strip().replace(" ", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    if not value.is_finite():
        raise ValueError(text)
    return value


def parse_block(text: str) -> list[list[str]]:
    """Tab-separated lines as Excel and LibreOffice copy them (\\r\\n, a trailing newline)."""
    if not text:
        return []
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if text.endswith("\n"):
        text = text[:-1]
    return [line.split("\t") for line in text.split("\n")]


# ---- the model ---------------------------------------------------------------------------

@dataclass(frozen=True)
class RowFigures:
    """What a row shows beside its cells, recomputed when its scores change."""

    self_total: Decimal | None
    total: Decimal | None
    proposal: rules.LevelDecision | None
    level: rules.Level | None


def row_figures(row: ScoreRow, sheet_set: rules.SheetSet, sheet: rules.ScoreSheet) -> RowFigures:
    total = row.total(sheet)
    proposal = None if total is None else rules.proposed_level(sheet_set, total,
                                                               row.derived_facts | row.marked_facts)
    level = None
    if proposal is not None:
        level = sheet_set.level(row.level_override) if row.level_override else proposal.level
    self_total = total if not row.ward_scores else row.total(sheet, SELF)  # a sheet's sum costs: reuse it
    return RowFigures(self_total, total, proposal, level)


class ScoreGridModel(QAbstractTableModel):
    """The grid's rows (those the filter shows) and cells; knows no database.

    ``on_edit(index, text) -> bool`` receives what the user typed in a cell; the grid widget
    saves it and calls :meth:`apply` when the save went through.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.grid: Grid | None = None
        self.column = SELF
        self.rows: list[ScoreRow] = []  # shown, in order
        self.on_edit: Callable[[QModelIndex, str], bool] | None = None
        self._all: list[ScoreRow] = []
        self._by_unit: dict[int | None, ScoreRow] = {}
        self._position: dict[int | None, int] = {}
        self._figures: dict[int | None, RowFigures] = {}
        self._items: tuple[rules.SheetItem, ...] = ()
        self._item_column: dict[str, int] = {}
        self._parents: dict[str, rules.SheetItem] = {}
        self._accept: Callable[[ScoreRow], bool] | None = None
        self._italic = QFont()
        self._italic.setItalic(True)

    # ---- content --------------------------------------------------------------------------

    def load(self, grid: Grid) -> None:
        self.beginResetModel()
        self.grid = grid
        self._all = list(grid.rows)
        self._by_unit = {row.unit_id: row for row in self._all}
        self._items = grid.columns
        self._item_column = {item.code: FIRST_ITEM + n for n, item in enumerate(self._items)}
        self._parents = {child.code: top for top in grid.sheet.items for child in top.walk() if child is not top}
        sheet_set, sheet = grid.sheet_set, grid.sheet
        self._figures = {row.unit_id: row_figures(row, sheet_set, sheet) for row in self._all}
        self._filter_rows()
        self.endResetModel()

    def set_filter(self, accept: Callable[[ScoreRow], bool] | None) -> None:
        self.beginResetModel()
        self._accept = accept
        self._filter_rows()
        self.endResetModel()

    def _filter_rows(self) -> None:
        self.rows = [row for row in self._all if self._accept is None or self._accept(row)]
        self._position = {row.unit_id: number for number, row in enumerate(self.rows)}

    def set_column(self, column: str) -> None:
        if column not in (SELF, WARD_SCORE):
            raise ValueError(f"unknown column {column!r}")
        self.column = column
        if self.rows and self._items:
            self.dataChanged.emit(self.index(0, FIRST_ITEM), self.index(len(self.rows) - 1, self.columnCount() - 1))

    def apply(self, edits: Sequence[CellEdit]) -> None:
        """Show saved edits: the cells, then the totals and levels of the rows they touch."""
        touched: set[int | None] = set()
        for edit in edits:
            scores = self._by_unit[edit.unit_id].scores(edit.column)
            if edit.value is None:
                scores.pop(edit.code, None)
            else:
                scores[edit.code] = edit.value
            touched.add(edit.unit_id)
        self._refigure(touched, datetime.now().replace(microsecond=0))

    def replace_row(self, fresh: ScoreRow) -> None:
        """A row read again after a dialog changed it (level, marked facts)."""
        row = self._by_unit.get(fresh.unit_id)
        if row is None:
            return
        row.__dict__.update(fresh.__dict__)
        self._refigure({row.unit_id}, None)

    def _refigure(self, unit_ids: set[int | None], changed_at: datetime | None) -> None:
        for unit_id in unit_ids:
            row = self._by_unit[unit_id]
            if changed_at is not None:
                row.updated_at = changed_at
            self._figures[unit_id] = row_figures(row, self.grid.sheet_set, self.grid.sheet)
        shown = [self._position[u] for u in unit_ids if u in self._position]
        if shown:
            self.dataChanged.emit(self.index(min(shown), 0), self.index(max(shown), self.columnCount() - 1))

    # ---- lookups --------------------------------------------------------------------------

    @property
    def all_rows(self) -> list[ScoreRow]:
        return self._all

    @property
    def items(self) -> tuple[rules.SheetItem, ...]:
        return self._items

    def item_at(self, column: int) -> rules.SheetItem | None:
        number = column - FIRST_ITEM
        return self._items[number] if 0 <= number < len(self._items) else None

    def has_item(self, code: str) -> bool:
        return code in self._item_column

    def column_of(self, code: str) -> int:
        return self._item_column[code]

    def row_number(self, unit_id: int | None) -> int | None:
        return self._position.get(unit_id)

    def row_of_unit(self, unit_id: int | None) -> ScoreRow | None:
        return self._by_unit.get(unit_id)

    def figures(self, row: ScoreRow) -> RowFigures:
        return self._figures[row.unit_id]

    def value(self, row: ScoreRow, code: str, column: str | None = None) -> Decimal | None:
        return row.scores(column or self.column).get(code)

    def decided_levels(self) -> list[str]:
        return [figures.level.code for figures in self._figures.values() if figures.level is not None]

    # ---- Qt -------------------------------------------------------------------------------

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() or self.grid is None else FIRST_ITEM + len(self._items)

    def flags(self, index: QModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return flags | Qt.ItemFlag.ItemIsEditable if index.column() >= FIRST_ITEM else flags

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        row = self.rows[index.row()]
        if index.column() < FIRST_ITEM:
            return self._summary_data(row, index.column(), role)
        return self._cell_data(row, self._items[index.column() - FIRST_ITEM], role)

    def _cell_data(self, row: ScoreRow, item: rules.SheetItem, role: int):
        own = row.scores(self.column).get(item.code)
        inherited = own is None and self.column == WARD_SCORE and item.code in row.self_scores
        if role == Qt.ItemDataRole.DisplayRole:
            return points_text(row.self_scores[item.code] if inherited else own)
        if role == Qt.ItemDataRole.EditRole:
            return points_text(own)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and inherited:
            return _INHERITED
        if role == Qt.ItemDataRole.FontRole and inherited:
            return self._italic
        if role == Qt.ItemDataRole.BackgroundRole and self.column == SELF and self._ward_differs(row, item.code):
            return _OVERRIDDEN
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._cell_tip(row, item)
        return None

    @staticmethod
    def _ward_differs(row: ScoreRow, code: str) -> bool:
        ward = row.ward_scores.get(code)
        return ward is not None and ward != row.self_scores.get(code)

    def _cell_tip(self, row: ScoreRow, item: rules.SheetItem) -> str:
        own, ward = row.self_scores.get(item.code), row.ward_scores.get(item.code)
        lines = [self.item_title(item)]
        lines.append(tr("Tự chấm: {own} · Xã chấm: {ward}").format(
            own=points_text(own) or "—", ward=points_text(ward) or "—"))
        if ward is None and own is not None:
            lines.append(tr("Xã để trống: giữ điểm đơn vị tự chấm."))
        return "\n".join(lines)

    def _summary_data(self, row: ScoreRow, column: int, role: int):
        figures = self._figures[row.unit_id]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._summary_text(row, figures, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (SELF_TOTAL, TOTAL):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and column == DECIDED and figures.level is not None \
                and figures.level.code == "yeu":
            return _YEU
        if role == Qt.ItemDataRole.ToolTipRole:
            if column == NAME:
                return row.name
            if column == PROPOSED and figures.proposal is not None:
                return figures.proposal.explanation
            if column == DECIDED and row.level_override:
                return tr("Xếp loại khác mức đề xuất. Lý do: {reason}").format(reason=row.override_reason)
        return None

    @staticmethod
    def _summary_text(row: ScoreRow, figures: RowFigures, column: int) -> str:
        if column == NAME:
            return row.name
        if column == SELF_TOTAL:
            return points_text(figures.self_total)
        if column == TOTAL:
            return points_text(figures.total)
        if column == PROPOSED:
            return figures.proposal.level.label if figures.proposal else ""
        if figures.level is None:
            return ""
        return figures.level.label + (" *" if row.level_override else "")

    def item_title(self, item: rules.SheetItem) -> str:
        parent = self._parents.get(item.code)
        title = f"{item.code}. {item.title}"
        if parent is not None:
            title = f"{parent.code}. {parent.title}\n{title}"
        if item.deduction:
            return title + "\n" + tr("Mục điểm trừ: ghi số âm, từ -{max} đến 0.").format(max=points_text(item.max_points))
        return title + "\n" + tr("Điểm chuẩn: {max}").format(max=points_text(item.max_points))

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1) if role == Qt.ItemDataRole.DisplayRole else None
        item = self.item_at(section)
        if role == Qt.ItemDataRole.DisplayRole:
            if item is None:
                return SUMMARY_HEADERS[section] if 0 <= section < FIRST_ITEM else None
            sign = "-" if item.deduction else ""
            return f"{item.code}\n({sign}{points_text(item.max_points)})"
        if role == Qt.ItemDataRole.ToolTipRole:
            if item is None:
                return SUMMARY_TIPS[section] if 0 <= section < FIRST_ITEM else None
            return self.item_title(item)
        return None

    def setData(self, index: QModelIndex, value, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.item_at(index.column()) is None or self.on_edit is None:
            return False
        return self.on_edit(index, "" if value is None else str(value))


# ---- the views ---------------------------------------------------------------------------

class _CellDelegate(QStyledItemDelegate):
    """Enter, Tab and the up/down arrows commit the editor and move, as in a spreadsheet."""

    move_requested = Signal(int, int)
    _MOVES = {Qt.Key.Key_Return: (1, 0), Qt.Key.Key_Enter: (1, 0), Qt.Key.Key_Tab: (0, 1),
              Qt.Key.Key_Backtab: (0, -1), Qt.Key.Key_Up: (-1, 0), Qt.Key.Key_Down: (1, 0)}

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.key() in self._MOVES:
            self.commitData.emit(editor)
            self.closeEditor.emit(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self.move_requested.emit(*self._MOVES[event.key()])
            return True
        return super().eventFilter(editor, event)


class ScoreTableView(QTableView):
    """The cells: the keys of a spreadsheet; what they do is the grid's (``actions``)."""

    def __init__(self, grid: ScoreGrid):
        super().__init__(grid)
        self._grid = grid
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.AnyKeyPressed
                             | QAbstractItemView.EditTrigger.DoubleClicked
                             | QAbstractItemView.EditTrigger.EditKeyPressed)
        self.delegate = _CellDelegate(self)
        self.setItemDelegate(self.delegate)
        self.delegate.move_requested.connect(self._after_editor_move)

    def keyPressEvent(self, event) -> None:
        action = self._key_action(event)
        if action is not None:
            action()
            event.accept()
            return
        super().keyPressEvent(event)

    def _key_action(self, event) -> Callable[[], object] | None:
        grid = self._grid
        if event.matches(QKeySequence.StandardKey.Copy):
            return grid.copy_selection
        if event.matches(QKeySequence.StandardKey.Paste):
            return grid.paste
        if event.matches(QKeySequence.StandardKey.Undo):
            return grid.undo_stack.undo
        if event.matches(QKeySequence.StandardKey.Redo) or _is_redo(event):
            return grid.undo_stack.redo
        if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and not event.modifiers():
            return grid.clear_selection
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            return lambda: self.move_by(1, 0)
        return None

    def _after_editor_move(self, rows: int, columns: int) -> None:
        if self._grid.last_edit_ok:
            self.move_by(rows, columns)

    def move_by(self, rows: int, columns: int) -> None:
        model = self.model()
        current = self.currentIndex()
        if not current.isValid() or model.rowCount() == 0:
            return
        row, column = current.row() + rows, current.column() + columns
        last = model.columnCount() - 1
        if column > last:  # Tab at the end of a row: the next row's first item
            row, column = row + 1, FIRST_ITEM
        elif column < FIRST_ITEM:
            row, column = row - 1, last
        row = min(max(row, 0), model.rowCount() - 1)
        self.go_to(model.index(row, column))

    def go_to(self, index: QModelIndex) -> None:
        self.selectionModel().setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        self.scrollTo(index)


def _is_redo(event) -> bool:
    control = Qt.KeyboardModifier.ControlModifier
    shift = Qt.KeyboardModifier.ShiftModifier
    modifiers = event.modifiers() & (control | shift | Qt.KeyboardModifier.AltModifier)
    return (event.key() == Qt.Key.Key_Y and modifiers == control) or \
        (event.key() == Qt.Key.Key_Z and modifiers == control | shift)


class _CellsCommand(QUndoCommand):
    """One typed cell, pasted block or delete; its undo and redo are saved like a new edit."""

    def __init__(self, grid: ScoreGrid, text: str, new: list[CellEdit], old: list[CellEdit]):
        super().__init__(text)
        self._grid, self._new, self._old = grid, new, old
        self._done = True  # pushed after its first save

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        if not self._grid.save_and_show(self._new, tr("Không làm lại được: ")):
            self.setObsolete(True)

    def undo(self) -> None:
        if not self._grid.save_and_show(self._old, tr("Không hoàn tác được: ")):
            self.setObsolete(True)


class ScoreGrid(QWidget):
    """Names, totals and levels on the left; the score cells on the right, sharing the rows.

    ``store(edits)`` saves a list of :class:`CellEdit` in one transaction or raises UserError.
    """

    status = Signal(str)
    error = Signal(str)  # "" when the last change went through
    changed = Signal()  # scores changed: totals, levels, counts
    current_row_changed = Signal()
    name_activated = Signal()
    column_changed = Signal(str)

    def __init__(self, store: Callable[[list[CellEdit]], None], parent=None):
        super().__init__(parent)
        self._store = store
        self.last_edit_ok = True
        self._loaded_for: tuple[int, str] | None = None
        self.model = ScoreGridModel(self)
        self.model.on_edit = self._typed
        self.undo_stack = QUndoStack(self)
        self.names = QTableView(self)
        self.cells = ScoreTableView(self)
        self._build()

    def _build(self) -> None:
        for view in (self.names, self.cells):
            view.setModel(self.model)
            view.setAlternatingRowColors(True)
            view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # equal heights
            vertical = view.verticalHeader()
            vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
            vertical.setDefaultSectionSize(view.fontMetrics().height() + 10)
            view.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        self.names.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.names.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.names.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.names.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.names.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cells.verticalHeader().hide()
        self.cells.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.names)
        layout.addWidget(self.cells, 1)
        self.cells.verticalScrollBar().valueChanged.connect(self.names.verticalScrollBar().setValue)
        self.names.verticalScrollBar().valueChanged.connect(self.cells.verticalScrollBar().setValue)
        self.cells.selectionModel().currentRowChanged.connect(self._follow_current_row)
        self.names.clicked.connect(self._name_clicked)
        self.names.doubleClicked.connect(lambda _index: self.name_activated.emit())
        self.model.modelReset.connect(self._after_reset)
        self.names.horizontalHeader().sectionResized.connect(lambda *_sizes: self._fit_names())

    # ---- loading --------------------------------------------------------------------------

    def load(self, grid: Grid) -> None:
        """Show ``grid``, keeping the current cell; undo history survives a reload of the same year and kind."""
        unit_id, code = self._current_place()
        if self._loaded_for != (grid.year, grid.kind):
            self.undo_stack.clear()
            self._loaded_for = (grid.year, grid.kind)
        self.model.load(grid)
        self.select_cell(unit_id, code)
        self.changed.emit()

    def set_filter(self, accept: Callable[[ScoreRow], bool] | None) -> None:
        unit_id, code = self._current_place()
        self.model.set_filter(accept)
        self.select_cell(unit_id, code)

    def set_column(self, column: str) -> None:
        if column != self.model.column:
            self.model.set_column(column)
            self.column_changed.emit(column)

    def _after_reset(self) -> None:
        model = self.model
        for column in range(model.columnCount()):
            self.names.setColumnHidden(column, column >= FIRST_ITEM)
            self.cells.setColumnHidden(column, column < FIRST_ITEM)
        self._size_columns()
        self.current_row_changed.emit()

    def _size_columns(self) -> None:
        metrics = self.cells.fontMetrics()
        cell = max(metrics.horizontalAdvance(text) for text in ("-10,25", "5.4.1", "(100)")) + 18
        for column in range(FIRST_ITEM, self.model.columnCount()):
            self.cells.setColumnWidth(column, cell)
        widths = (max(240, metrics.horizontalAdvance("Trường Trung học cơ sở Nguyễn Du") + 12),
                  *(max(metrics.horizontalAdvance(word) for word in SUMMARY_HEADERS[c].split("\n")) + 22
                    for c in range(1, FIRST_ITEM)))
        widths = (widths[0], widths[1], widths[2], max(widths[3], metrics.horizontalAdvance("Trung bình") + 16),
                  max(widths[4], metrics.horizontalAdvance("Trung bình *") + 16))
        for column, width in enumerate(widths):
            self.names.setColumnWidth(column, width)
        header_height = metrics.lineSpacing() * 2 + 14
        for view in (self.names, self.cells):
            view.horizontalHeader().setFixedHeight(header_height)
        self._fit_names()

    def _fit_names(self) -> None:
        """The left part is as wide as its columns (the user may widen the names)."""
        widths = sum(self.names.columnWidth(column) for column in range(FIRST_ITEM))
        frame = 2 * self.names.frameWidth()
        self.names.setFixedWidth(widths + self.names.verticalHeader().sizeHint().width() + frame)

    # ---- the current cell ------------------------------------------------------------------

    def current_row(self) -> ScoreRow | None:
        index = self.cells.currentIndex()
        return self.model.rows[index.row()] if index.isValid() and index.row() < len(self.model.rows) else None

    def _current_place(self) -> tuple[int | None, str | None]:
        row = self.current_row()
        item = self.model.item_at(self.cells.currentIndex().column())
        return (row.unit_id if row else None), (item.code if item else None)

    def select_cell(self, unit_id: int | None, code: str | None = None) -> None:
        """Make a unit's cell current (its first item by default; the first row when the unit is not shown)."""
        if not self.model.rows or not self.model.items:
            return
        number = self.model.row_number(unit_id)
        column = self.model.column_of(code) if code is not None and self.model.has_item(code) else FIRST_ITEM
        self.cells.go_to(self.model.index(0 if number is None else number, column))

    def _follow_current_row(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid():
            self.names.selectRow(current.row())
        self.current_row_changed.emit()

    def _name_clicked(self, index: QModelIndex) -> None:
        column = self.cells.currentIndex().column()
        self.cells.go_to(self.model.index(index.row(), column if column >= FIRST_ITEM else FIRST_ITEM))
        self.cells.setFocus()

    # ---- changes ---------------------------------------------------------------------------

    def save_and_show(self, edits: list[CellEdit], refusal: str) -> bool:
        """Save through ``store``; on success show the edits, otherwise report and change nothing.
        Each cell goes with what it shows: one another officer saved meanwhile is refused."""
        edits = [replace(edit, was=self.model.value(self._row(edit), edit.code, edit.column)) for edit in edits]
        try:
            self._store(edits)
        except UserError as error:
            self.error.emit(refusal + error.message)
            return False
        self.apply_saved(edits)
        self._reveal(edits)
        return True

    def apply_saved(self, edits: list[CellEdit]) -> None:
        """Show edits the database already holds."""
        self.model.apply(edits)
        self.error.emit("")
        self.changed.emit()

    def _reveal(self, edits: list[CellEdit]) -> None:
        """After undo or redo, the changed cells are in the column shown."""
        if edits and all(edit.column != self.model.column for edit in edits):
            self.set_column(edits[0].column)
            self.status.emit(tr("Đang hiện: {column}").format(column=COLUMN_LABELS[edits[0].column]))

    def change(self, edits: list[CellEdit], text: str, refusal: str) -> bool:
        """A new change: saved at once, then undoable. Cells that would not change are left out."""
        edits = [edit for edit in edits if self.model.value(self._row(edit), edit.code, edit.column) != edit.value]
        if not edits:
            return True
        old = self.previous_values(edits)
        if not self.save_and_show(edits, refusal):
            return False
        self.record_done(edits, old, text)
        return True

    def record_done(self, edits: list[CellEdit], old: list[CellEdit], text: str) -> None:
        """Put a change already saved and shown on the undo stack."""
        self.undo_stack.push(_CellsCommand(self, text, edits, old))
        self.status.emit(tr("Đã lưu: {what}.").format(what=text))

    def previous_values(self, edits: list[CellEdit]) -> list[CellEdit]:
        return [CellEdit(e.unit_id, e.code, e.column, self.model.value(self._row(e), e.code, e.column)) for e in edits]

    def _row(self, edit: CellEdit) -> ScoreRow:
        return self.model.row_of_unit(edit.unit_id)

    def _typed(self, index: QModelIndex, text: str) -> bool:
        row, item = self.model.rows[index.row()], self.model.item_at(index.column())
        refusal = tr("Chưa lưu ô vừa nhập: ")
        try:
            value = parse_points(text)
        except ValueError:
            self.error.emit(refusal + _not_a_number(row, item, text))
            self.last_edit_ok = False
            return False
        what = tr("mục {code} của {name}").format(code=item.code, name=row.name)
        self.last_edit_ok = self.change([CellEdit(row.unit_id, item.code, self.model.column, value)], what, refusal)
        return self.last_edit_ok

    def clear_selection(self) -> None:
        cells = self._selected_cells()
        edits = [CellEdit(row.unit_id, item.code, self.model.column, None) for row, item in cells]
        self.change(edits, tr("xoá {n} ô").format(n=format_number(len(edits))), tr("Chưa xoá ô nào: "))

    def _selected_cells(self) -> list[tuple[ScoreRow, rules.SheetItem]]:
        indexes = self.cells.selectionModel().selectedIndexes() or [self.cells.currentIndex()]
        return [(self.model.rows[i.row()], self.model.item_at(i.column()))
                for i in sorted(indexes, key=lambda i: (i.row(), i.column()))
                if i.isValid() and self.model.item_at(i.column()) is not None]

    # ---- clipboard -------------------------------------------------------------------------

    def copy_selection(self) -> None:
        """The selected cells as Excel copies them: tab-separated, one line per row."""
        cells = [i for i in self.cells.selectionModel().selectedIndexes() if i.column() >= FIRST_ITEM]
        if not cells:
            return
        rows = range(min(i.row() for i in cells), max(i.row() for i in cells) + 1)
        columns = range(min(i.column() for i in cells), max(i.column() for i in cells) + 1)
        chosen = {(i.row(), i.column()) for i in cells}

        def text(r: int, c: int) -> str:
            return self.model.index(r, c).data(Qt.ItemDataRole.EditRole) if (r, c) in chosen else ""

        lines = ["\t".join(text(r, c) for c in columns) for r in rows]
        QGuiApplication.clipboard().setText("\r\n".join(lines) + "\r\n")
        self.status.emit(tr("Đã chép {n} ô.").format(n=format_number(len(cells))))

    def paste(self) -> None:
        """A block from the clipboard, from the selected cell: all of it saved, or nothing."""
        block = parse_block(QGuiApplication.clipboard().text())
        start = self.cells.currentIndex()
        if not block or not start.isValid() or self.model.item_at(start.column()) is None:
            return
        refusal = tr("Chưa dán ô nào: ")
        try:
            places = self._paste_places(block, start)
            edits = [self._pasted_edit(r, c, text) for r, c, text in places]
        except ValueError as error:
            self.error.emit(refusal + str(error))
            return
        if self.change(edits, tr("dán {n} ô").format(n=format_number(len(edits))), refusal) and len(block) * len(
                block[0]) > 1:
            self._select_block(places)

    def _paste_places(self, block: list[list[str]], start: QModelIndex) -> list[tuple[int, int, str]]:
        """(row, column, text) of every pasted cell; one value fills a selection of several cells."""
        selected = [i for i in self.cells.selectionModel().selectedIndexes() if i.column() >= FIRST_ITEM]
        if len(block) == 1 and len(block[0]) == 1 and len(selected) > 1:
            return [(i.row(), i.column(), block[0][0]) for i in selected]
        top = min((i.row() for i in selected), default=start.row())
        left = min((i.column() for i in selected), default=start.column())
        width = max(len(line) for line in block)
        rows_left, columns_left = self.model.rowCount() - top, self.model.columnCount() - left
        if len(block) > rows_left:
            raise ValueError(tr("khối dán có {n} dòng nhưng từ ô đang chọn xuống chỉ còn {m} dòng.").format(
                n=len(block), m=rows_left))
        if width > columns_left:
            raise ValueError(tr("khối dán có {n} cột nhưng từ ô đang chọn sang phải chỉ còn {m} mục điểm.").format(
                n=width, m=columns_left))
        return [(top + r, left + c, text) for r, line in enumerate(block) for c, text in enumerate(line)]

    def _pasted_edit(self, row_number: int, column: int, text: str) -> CellEdit:
        row, item = self.model.rows[row_number], self.model.item_at(column)
        try:
            value = parse_points(text)
        except ValueError:
            raise ValueError(_not_a_number(row, item, text, row_number)) from None
        return CellEdit(row.unit_id, item.code, self.model.column, value)

    def _select_block(self, places: list[tuple[int, int, str]]) -> None:
        rows, columns = [r for r, _c, _t in places], [c for _r, c, _t in places]
        selection = QItemSelection(self.model.index(min(rows), min(columns)), self.model.index(max(rows), max(columns)))
        self.cells.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def _not_a_number(row: ScoreRow, item: rules.SheetItem, text: str, row_number: int | None = None) -> str:
    place = tr("dòng {n} ({name})").format(n=row_number + 1, name=row.name) if row_number is not None else row.name
    return tr('{place}, mục {code}: "{text}" không phải là số điểm. Hãy ghi số, ví dụ 2,5.').format(
        place=place, code=item.code, text=text.strip())
