"""The "Lực lượng" page: the yearly rating of each residential group's Tổ bảo vệ ANTT.

A level chosen in the table is saved at once; a level below "Hoàn thành nhiệm vụ" proposes
"not met" for criterion 5 of the group's "An toàn về ANTT" assessment.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QVBoxLayout

from antq_desktop.domain import vntext
from antq_desktop.domain.forces import ForceLevel, rating_period
from antq_desktop.i18n import tr
from antq_desktop.services import forces
from antq_desktop.services.forces import ForceRatingRow, RatingCounts
from antq_desktop.services.tracking import current_actor
from antq_desktop.ui.editable_table import EditableColumn, YearTablePage
from antq_desktop.ui.messages import confirm
from antq_desktop.ui.row_table import Column

NOT_RATED = ""  # the combo's value for "no rating"
LEVEL_COLUMN, NOTE_COLUMN = 1, 2
COLUMNS = (
    Column(tr("Khu dân cư"), lambda r: r.name),
    EditableColumn(tr("Mức đánh giá Tổ bảo vệ ANTT"), lambda r: r.level.label if r.level else tr("Chưa đánh giá"),
                   lambda r: r.level.rank if r.level else len(ForceLevel), lambda r: r.level.value if r.level else NOT_RATED),
    EditableColumn(tr("Ghi chú"), lambda r: r.note, None, lambda r: r.note),
)


class ForcesPage(YearTablePage):
    def _build(self) -> None:
        choices = [(tr("Chưa đánh giá"), NOT_RATED)] + [(level.label, level.value) for level in ForceLevel]
        self._make_table(COLUMNS, lambda row: row.unit_id, (260, 250, 300), "forces", LEVEL_COLUMN, choices)
        self.table.verticalHeader().setDefaultSectionSize(QComboBox().sizeHint().height() + 4)
        self.period = QLabel()
        self.period.setWordWrap(True)
        self.counts = QLabel()
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(self._year_bar(tr("Năm đánh giá"), self.period))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.counts)

    # ---- data ------------------------------------------------------------------------------------

    def _load(self) -> tuple[list[ForceRatingRow], RatingCounts]:
        with self._db.transaction() as session:
            return (forces.force_ratings(session, self._ward_id, self.current_year()),
                    forces.rating_counts(session, self._ward_id, self.current_year()))

    def _show_summary(self, counts: RatingCounts) -> None:
        self.counts.setText(_counts_text(counts))

    def _refreshed(self, rows: list[ForceRatingRow], counts: RatingCounts) -> None:
        start, end = rating_period(self.current_year())
        self.period.setText(tr("Kỳ đánh giá từ {start} đến {end}. Tổ được đánh giá \u201cKhông hoàn thành nhiệm vụ\u201d "
                               "làm khu dân cư không đạt tiêu chí 5 \u201cAn toàn về ANTT\u201d.").format(
            start=vntext.format_date(start), end=vntext.format_date(end)))
        self.status_message.emit(tr("Năm {year}: {n} khu dân cư, đã đánh giá {rated}").format(
            year=counts.year, n=counts.total, rated=counts.total - counts.unrated))

    # ---- editing ---------------------------------------------------------------------------------

    def _save_edit(self, row: ForceRatingRow, column: int, value) -> bool:
        if column == LEVEL_COLUMN:
            level = ForceLevel(value) if value else None
            note = row.note if level else ""  # the service keeps no note without a level
            if level is None and row.note and not confirm(self, tr("Bỏ đánh giá"), tr(
                    "Bỏ đánh giá năm {year} của \u201c{name}\u201d? Ghi chú cũng bị xoá.").format(
                    year=self.current_year(), name=row.name)):
                self._reload_in_place()  # the combo goes back to the stored level
                return False
        else:
            level, note = row.level, value
        year = self.current_year()
        return self._save_in_place(
            lambda session: forces.set_force_rating(session, self._ward_id, year, row.unit_id, level, note,
                                                    current_actor(), row.expected_version),
            tr("Đã lưu đánh giá năm {year} của \u201c{name}\u201d.").format(year=year, name=row.name))


def _counts_text(counts: RatingCounts) -> str:
    if not counts.total:
        return tr("Chưa có khu dân cư nào: hãy thêm tổ dân phố, thôn… ở trang \u201cĐơn vị trên địa bàn\u201d.")
    parts = [f"{level.label}: {counts.by_level[level]}" for level in ForceLevel]
    parts.append(tr("Chưa đánh giá: {n}").format(n=counts.unrated))
    share = vntext.format_percent(100 * counts.meeting_criterion / counts.total, 0)
    summary = tr("Từ \u201cHoàn thành nhiệm vụ\u201d trở lên: {met}/{total} khu dân cư ({share}).").format(
        met=counts.meeting_criterion, total=counts.total, share=share)
    return " · ".join(parts) + "\n" + summary
