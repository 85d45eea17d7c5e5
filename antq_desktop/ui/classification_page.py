"""The movement classification page (QĐ 510): the year's score grid of one kind, its levels
and counts, the per-unit decisions, and the year's documents.

Nothing here waits for a Save button: the grid saves every change at once (ui/score_grid.py).
"""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.db.engine import Database
from antq_desktop.domain import classification as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.classification import points_text
from antq_desktop.domain.criteria import WARD
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import classification as service
from antq_desktop.services.classification import (
    MARKABLE_FACTS,
    SELF,
    WARD_SCORE,
    CellEdit,
    ScoreRow,
)
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.classification_dialogs import LevelDialog, MarkedFactsDialog
from antq_desktop.ui.forms import (
    add_buttons,
    error_label,
    menu_button,
    show_error,
    year_box,
)
from antq_desktop.ui.messages import confirm
from antq_desktop.ui.score_grid import ScoreGrid, row_figures
from antq_desktop.ui.settings import ui_settings

KIND_CHOICES = (*(kind.value for kind in UnitKind), WARD)
ALL, UNSCORED, CHANGED_TODAY = "all", "unscored", "today"
SHOW_CHOICES = ((ALL, tr("Tất cả đơn vị")), (UNSCORED, tr("Chưa chấm")), (CHANGED_TODAY, tr("Sửa hôm nay")))


class ClassificationPage(QWidget):
    status_message = Signal(str)

    def __init__(self, db: Database, ward_id: int, parent=None):
        super().__init__(parent)
        self._db = db
        self._ward_id = ward_id
        self._name_keys: dict[int | None, str] = {}
        self._loaded = False
        self.grid = ScoreGrid(self._store, self)
        self._build()
        self._connect()
        self._restore()  # the data is loaded when the page is first shown

    # ---- layout ----------------------------------------------------------------------------

    def _build(self) -> None:
        self.year = year_box()
        self.kind = QComboBox()
        for kind in KIND_CHOICES:
            self.kind.addItem(service.kind_label(kind), kind)
        self.show_filter = QComboBox()
        for key, label in SHOW_CHOICES:
            self.show_filter.addItem(label, key)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm theo tên đơn vị (gõ không dấu cũng được)"))
        self.search.setClearButtonEnabled(True)
        self.undo_button = QPushButton(tr("Hoàn tác"))
        self.redo_button = QPushButton(tr("Làm lại"))
        self.error = error_label()
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextFormat(Qt.TextFormat.RichText)
        self.explanation.setMinimumHeight(self.fontMetrics().lineSpacing() * 3)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addLayout(self._top_line())
        layout.addLayout(self._action_line())
        layout.addWidget(self.error)
        layout.addWidget(self.grid, 1)
        layout.addWidget(self.explanation)
        layout.addWidget(self.summary)

    def _top_line(self) -> QHBoxLayout:
        line = QHBoxLayout()
        for label, widget in ((tr("Năm"), self.year), (tr("Loại"), self.kind), (tr("Hiển thị"), self.show_filter)):
            line.addWidget(QLabel(label))
            line.addWidget(widget)
        line.addWidget(self.search, 1)
        line.addWidget(self.undo_button)
        line.addWidget(self.redo_button)
        return line

    def _action_line(self) -> QHBoxLayout:
        line = QHBoxLayout()
        self.column_buttons = QButtonGroup(self)
        for column, text, tip in (
            (SELF, tr("Điểm tự chấm"), tr("Nhập điểm đơn vị tự chấm (Alt+T)")),
            (WARD_SCORE, tr("Điểm xã chấm"), tr("Nhập điểm xã chấm; ô để trống giữ điểm tự chấm, hiện chữ xám (Alt+X)")),
        ):
            button = QPushButton(text)
            button.setCheckable(True)
            button.setToolTip(tip)
            button.setShortcut("Alt+T" if column == SELF else "Alt+X")
            self.column_buttons.addButton(button)
            button.setProperty("column", column)
            line.addWidget(button)
        self.column_buttons.buttons()[0].setChecked(True)
        for button in self.column_buttons.buttons():  # which column the cells show must be plain to see
            button.setStyleSheet("QPushButton:checked { background: #1f5fa8; color: white; font-weight: bold; }")
        line.addSpacing(12)
        self.buttons = add_buttons(line, (
            ("level", tr("Xếp loại…"), self.decide_level),
            ("facts", tr("Điều kiện hạ mức…"), self.mark_facts),
            ("copy", tr("Lấy điểm tự chấm cho ô xã để trống"), self.copy_self_to_ward),
        ))
        line.addWidget(self._documents_button())
        line.addStretch(1)
        self.buttons["sheets"] = QPushButton(tr("Bảng điểm, mức xếp loại…"))
        self.buttons["sheets"].setToolTip(tr("Sửa nội dung, điểm chuẩn, ngưỡng xếp loại, quy tắc hạ mức và chỉ tiêu"))
        self.buttons["sheets"].clicked.connect(self.edit_sheets)
        line.addWidget(self.buttons["sheets"])
        return line

    def edit_sheets(self) -> None:
        from antq_desktop.ui.sheet_editor import SheetSetDialog

        if SheetSetDialog(self._db, self._ward_id, self.current_year(), self).exec():
            self.refresh()  # the year may have moved to the new sheets, and the targets changed

    def _documents_button(self) -> QToolButton:
        button, self.document_actions = menu_button(tr("Văn bản"), (
            ("decision", tr("Quyết định phân loại phong trào…"), self.open_decision),
            ("proposal", tr("Tờ trình đề nghị phân loại"), self.preview_proposal),
            ("score_list", tr("Thống kê danh sách chấm điểm"), self.preview_score_list),
        ))
        return button

    def _connect(self) -> None:
        self.year.valueChanged.connect(lambda _year: self.refresh())
        self.kind.currentIndexChanged.connect(lambda _index: self.refresh())
        self.show_filter.currentIndexChanged.connect(lambda _index: self.apply_filter())
        self.search.textChanged.connect(lambda _text: self.apply_filter())
        self.column_buttons.buttonClicked.connect(lambda button: self.grid.set_column(button.property("column")))
        self.grid.column_changed.connect(self._show_column)
        self.grid.error.connect(self._show_error)
        self.grid.status.connect(self.status_message)
        self.grid.changed.connect(self._update_texts)
        self.grid.current_row_changed.connect(self._update_explanation)
        self.grid.name_activated.connect(self.decide_level)
        stack = self.grid.undo_stack
        self.undo_button.clicked.connect(stack.undo)
        self.redo_button.clicked.connect(stack.redo)
        stack.canUndoChanged.connect(self.undo_button.setEnabled)
        stack.canRedoChanged.connect(self.redo_button.setEnabled)
        stack.undoTextChanged.connect(lambda text: self.undo_button.setToolTip(tr("Hoàn tác: {what} (Ctrl+Z)").format(
            what=text) if text else tr("Hoàn tác (Ctrl+Z)")))
        stack.redoTextChanged.connect(lambda text: self.redo_button.setToolTip(tr("Làm lại: {what} (Ctrl+Y)").format(
            what=text) if text else tr("Làm lại (Ctrl+Y)")))
        self.undo_button.setEnabled(False)
        self.redo_button.setEnabled(False)

    def _restore(self) -> None:
        settings = ui_settings()
        kind = settings.value("classification/kind")
        if kind in KIND_CHOICES:
            self.kind.blockSignals(True)
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.kind.blockSignals(False)
        if settings.value("classification/column") == WARD_SCORE:
            self.grid.set_column(WARD_SCORE)

    def save_state(self) -> None:
        settings = ui_settings()
        settings.setValue("classification/kind", self.current_kind())
        settings.setValue("classification/column", self.grid.model.column)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._loaded:
            self.refresh()

    # ---- data ------------------------------------------------------------------------------

    def current_year(self) -> int:
        return self.year.value()

    def current_kind(self) -> str:
        return self.kind.currentData()

    def refresh(self) -> None:
        """Read the year's grid of the chosen kind again (the current cell and undo history stay)."""
        year, kind = self.current_year(), self.current_kind()
        loaded = self._attempt(lambda: self._read(lambda s: (service.year_grid(s, self._ward_id, year, kind),
                                                             service.classification_stats(s, self._ward_id, year))))
        if loaded is None:
            return
        grid, self._year_stats = loaded
        self._loaded = True
        self._name_keys = {row.unit_id: vntext.search_key(row.name) for row in grid.rows}
        self.grid.load(grid)
        if self.grid.model.rowCount() and not self.grid.cells.currentIndex().isValid():
            self.grid.select_cell(self.grid.model.rows[0].unit_id)
        self.status_message.emit(tr("{kind} năm {year}: {n} đơn vị").format(
            kind=service.kind_label(kind), year=year, n=len(grid.rows)))

    def apply_filter(self) -> None:
        self.grid.set_filter(self._accept())
        self._update_explanation()

    def _accept(self):
        """The shown rows' test, from the filter bar; None shows every row."""
        mode, key = self.show_filter.currentData(), vntext.search_key(self.search.text())
        today = date.today()
        tests = []
        if mode == UNSCORED:
            tests.append(lambda row: not row.scored)
        elif mode == CHANGED_TODAY:
            tests.append(lambda row: row.updated_at is not None and row.updated_at.date() == today)
        if key:
            tests.append(lambda row: key in self._name_keys.get(row.unit_id, ""))
        return (lambda row: all(test(row) for test in tests)) if tests else None

    def _store(self, edits: list[CellEdit]) -> None:
        """The grid's changes: one transaction each, for the year and kind it shows."""
        grid = self.grid.model.grid
        with self._db.transaction() as session:
            service.save_cells(session, self._ward_id, grid.year, grid.kind, edits, current_actor())

    def _read(self, work):
        with self._db.transaction() as session:
            return work(session)

    def _attempt(self, action):
        """Run ``action``; a UserError is shown above the grid (not in a box) and gives None."""
        try:
            return action()
        except UserError as error:
            self._show_error(error.message)
            return None

    def _show_error(self, message: str) -> None:
        show_error(self.error, message)
        if message:
            self.status_message.emit(message)

    def _show_column(self, column: str) -> None:
        for button in self.column_buttons.buttons():
            button.setChecked(button.property("column") == column)

    # ---- texts under the grid ---------------------------------------------------------------

    def _update_texts(self) -> None:
        self._update_summary()
        self._update_explanation()

    def _update_summary(self) -> None:
        model = self.grid.model
        if model.grid is None:
            return
        levels = model.grid.sheet_set.levels
        decided = model.decided_levels()
        counts = rules.level_counts(levels, decided)
        share = rules.share_at_least(levels, decided, "kha")
        parts = [tr("Đã chấm <b>{n}/{all}</b> đơn vị").format(n=len(decided), all=len(model.all_rows))]
        parts += [f"{html.escape(level.label)}: <b>{counts[level.code]}</b>" for level in levels]
        parts.append(tr("Khá trở lên: <b>{pct}</b>").format(
            pct="—" if share is None else vntext.format_percent(share)))
        parts.append(tr("<span style='color:#b00020'><b>Có đơn vị Yếu</b></span>") if counts.get("yeu")
                     else tr("<span style='color:#1b6e20'>Không có đơn vị Yếu</span>"))
        sheet_note = html.escape(model.grid.sheet_set.title)
        if model.grid.sheet_set.is_default:
            sheet_note += tr(". Hãy đối chiếu với bảng điểm của tỉnh.")
        decided = tr("<span style='color:#b00020'><b>Năm {year} đã có quyết định phân loại được ban hành</b>: "
                     "sửa điểm không làm đổi danh sách đã ban hành; nếu cần, hãy lập quyết định đính chính.</span><br>"
                     ).format(year=model.grid.year) if model.grid.decided else ""
        self.summary.setText(decided + " · ".join(parts) + "<br>" + self._ward_targets(counts)
                             + f"<br><span style='color:#555'>{sheet_note}</span>")

    def _ward_targets(self, shown_counts: dict[str, int]) -> str:
        """All kinds of the year against its targets: the other kinds as read, this one live."""
        stats, kind = self._year_stats, self.grid.model.grid.kind
        counts = {code: shown_counts[code] if kind != WARD else 0 for code in shown_counts}
        for other, figures in stats.by_kind.items():
            if other.value != kind:
                for code, count in figures.by_level.items():
                    counts[code] += count
        classified = sum(counts.values())
        if not classified:
            return tr("Toàn {ward}: chưa chấm đơn vị nào.").format(ward=tr("xã, phường"))
        share = 100 * (counts["xuat_sac"] + counts["kha"]) / classified
        met_share = share >= stats.target_kha_or_above_pct
        met_no_yeu = not stats.target_no_yeu or counts["yeu"] == 0
        text = tr("Toàn xã, phường: {n} đơn vị đã xếp loại, Khá trở lên {pct} (chỉ tiêu từ {target}%: {share_ok})").format(
            n=classified, pct=vntext.format_percent(share), target=vntext.format_number(stats.target_kha_or_above_pct),
            share_ok=_verdict(met_share))
        if stats.target_no_yeu:
            text += tr(" · không có đơn vị Yếu: {ok}").format(ok=_verdict(met_no_yeu))
        return text

    def _update_explanation(self) -> None:
        row = self.grid.current_row()
        self.explanation.setText("" if row is None else self._explain(row))

    def _explain(self, row: ScoreRow) -> str:
        model = self.grid.model
        figures = model.figures(row)
        name = f"<b>{html.escape(row.name)}</b>"
        if figures.proposal is None:
            return name + tr(": chưa chấm điểm.")
        text = name + tr(" — tổng tự chấm {own}. {why}").format(
            own=points_text(figures.self_total) or "—", why=html.escape(figures.proposal.explanation))
        if row.level_override:
            text += tr("<br><b>Xếp loại: {level}</b> (khác mức đề xuất). Lý do: {reason}").format(
                level=html.escape(figures.level.label), reason=html.escape(row.override_reason))
        facts = sorted(row.derived_facts | row.marked_facts)
        if facts:
            text += tr("<br>Điều kiện hạ mức đã ghi nhận: {facts}.").format(
                facts=html.escape("; ".join(rules.CONDITIONS[fact] for fact in facts)))
        if row.note:
            text += tr("<br>Ghi chú: {note}").format(note=html.escape(row.note))
        return text

    # ---- per unit: the level, the marked facts ------------------------------------------------

    def _scored_current_row(self) -> ScoreRow | None:
        row = self.grid.current_row()
        if row is None:
            self._show_error(tr("Hãy chọn một đơn vị trong bảng."))
            return None
        if not row.scored:
            self._show_error(tr('"{name}" chưa có điểm: hãy nhập điểm trước.').format(name=row.name))
            return None
        return row

    def _fresh(self, unit_id: int | None):
        """The unit's row read again now, with its year's sheets (a dialog edits what is stored)."""
        year, kind = self.grid.model.grid.year, self.grid.model.grid.kind
        grid = self._read(lambda s: service.year_grid(s, self._ward_id, year, kind, only_unit=unit_id))
        if not grid.rows:
            raise UserError(tr("Đơn vị này không còn trong danh sách chấm điểm năm {year}. Hãy mở lại.").format(
                year=year))
        return grid, grid.rows[0]

    def decide_level(self) -> None:
        current = self._scored_current_row()
        fresh = current and self._attempt(lambda: self._fresh(current.unit_id))
        if not fresh:
            return
        grid, row = fresh
        proposal = row_figures(row, grid.sheet_set, grid.sheet).proposal

        def save(typed) -> None:
            level, reason = typed
            with self._db.transaction() as session:
                service.set_level(session, self._ward_id, grid.year, row.unit_id, level, reason, current_actor(),
                                  row.version)

        dialog = LevelDialog(row.name, proposal, grid.sheet_set.levels, row.level_override, row.override_reason,
                             save, self)
        if dialog.exec():
            self._reload_row(row.unit_id)
            self.status_message.emit(tr("Đã lưu xếp loại của {name}.").format(name=row.name))

    def mark_facts(self) -> None:
        current = self._scored_current_row()
        fresh = current and self._attempt(lambda: self._fresh(current.unit_id))
        if not fresh:
            return
        grid, row = fresh

        def save(typed) -> None:
            facts, note = typed
            with self._db.transaction() as session:
                service.set_marked_facts(session, self._ward_id, grid.year, row.unit_id, facts, note,
                                         current_actor(), row.version)

        dialog = MarkedFactsDialog(row.name, MARKABLE_FACTS, row.marked_facts, sorted(row.derived_facts),
                                   grid.sheet_set.rules, row.note, save, self)
        if dialog.exec():
            self._reload_row(row.unit_id)
            self.status_message.emit(tr("Đã lưu điều kiện hạ mức của {name}.").format(name=row.name))

    def _reload_row(self, unit_id: int | None) -> None:
        fresh = self._attempt(lambda: self._fresh(unit_id))
        if fresh:
            self.grid.model.replace_row(fresh[1])
            self._update_texts()

    # ---- the whole kind ----------------------------------------------------------------------

    def copy_self_to_ward(self) -> None:
        model = self.grid.model
        if model.grid is None:
            return
        edits = [CellEdit(row.unit_id, code, WARD_SCORE, value) for row in model.all_rows
                 for code, value in row.self_scores.items() if code not in row.ward_scores]
        if not edits:
            self.status_message.emit(tr("Không có ô xã chấm nào để trống mà đơn vị đã tự chấm."))
            return
        year, kind = model.grid.year, model.grid.kind
        question = tr("Ghi điểm tự chấm vào {n} ô xã chấm còn để trống ({kind}, năm {year})? "
                      "Có thể hoàn tác bằng Ctrl+Z.").format(n=vntext.format_number(len(edits)),
                                                             kind=service.kind_label(kind).lower(), year=year)
        if not confirm(self, tr("Lấy điểm tự chấm"), question):
            return
        old = self.grid.previous_values(edits)
        copied = self._attempt(lambda: self._read(
            lambda s: service.copy_self_to_ward(s, self._ward_id, year, kind, current_actor())))
        if copied is None:
            return
        if copied != len(edits):  # someone else changed the year meanwhile: show what is stored
            self.refresh()
            return
        self.grid.apply_saved(edits)
        self.grid.set_column(WARD_SCORE)
        self.grid.record_done(edits, old, tr("lấy điểm tự chấm cho {n} ô xã để trống").format(
            n=vntext.format_number(len(edits))))

    # ---- documents (ui/classification_documents.py; imported when asked: reportlab is slow) ----

    def open_decision(self) -> None:
        from antq_desktop.ui import classification_documents as documents

        documents.open_decision(self, self._db, self._ward_id, self.current_year())
        self.refresh()  # a decision issued or corrected may change what the year shows

    def preview_proposal(self) -> None:
        from antq_desktop.ui import classification_documents as documents

        documents.preview_proposal(self, self._db, self._ward_id, self.current_year())

    def preview_score_list(self) -> None:
        from antq_desktop.ui import classification_documents as documents

        documents.preview_score_list(self, self._db, self._ward_id, self.current_year())


def _verdict(met: bool) -> str:
    return (tr("<span style='color:#1b6e20'>đạt</span>") if met
            else tr("<span style='color:#b00020'><b>chưa đạt</b></span>"))
