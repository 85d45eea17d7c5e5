"""The yearly rating of each residential group's Tổ bảo vệ ANTT (the grassroots ANTT force).

One rating per residential group (KDC) and year, on the four levels of
:class:`~antq_desktop.domain.forces.ForceLevel`. The rating feeds criterion 5 of the group's
"An toàn về ANTT" assessment (services/antt_assessment.py): a level below "Hoàn thành nhiệm
vụ" proposes "not met" for the point the catalogue names.

Version checks: ``expected_version`` is the rating's version as the user saw it; ``0`` means
the user saw no rating (someone adding one meanwhile is then a conflict too); ``None`` skips
the check.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import ForceRating, Unit
from antq_desktop.domain import vntext
from antq_desktop.domain.forces import ForceLevel
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.services.antt import check_year
from antq_desktop.services.tracking import stamp_created, stamp_updated

NO_RATING = 0  # the expected version of a rating the user saw as missing


@dataclass(frozen=True)
class ForceRatingRow:
    """One residential group in the year's list; ``level`` None: not rated yet."""

    unit_id: int
    name: str
    level: ForceLevel | None
    note: str
    version: int | None

    @property
    def expected_version(self) -> int:
        return NO_RATING if self.version is None else self.version


@dataclass(frozen=True)
class RatingCounts:
    """How many groups were rated at each level, and how many are not rated yet."""

    year: int
    by_level: dict[ForceLevel, int]
    unrated: int

    @property
    def total(self) -> int:
        return sum(self.by_level.values()) + self.unrated

    @property
    def meeting_criterion(self) -> int:
        """Groups rated "Hoàn thành nhiệm vụ" or above (what TT 124 criterion 5 asks)."""
        return sum(n for level, n in self.by_level.items() if level.meets_criterion)


def force_ratings(session: Session, ward_id: int, year: int) -> list[ForceRatingRow]:
    """Every active residential group, and every one rated that year, in Vietnamese order."""
    check_year(year)
    statement = (
        select(Unit, ForceRating)
        .outerjoin(ForceRating, (ForceRating.unit_id == Unit.id) & (ForceRating.year == year))
        .where(Unit.ward_id == ward_id, Unit.kind == UnitKind.KDC.value,
               (Unit.status == UnitStatus.ACTIVE.value) | ForceRating.id.is_not(None))
        .order_by(Unit.name_sort, Unit.id)
    )
    return [_row(unit, rating) for unit, rating in session.execute(statement)]


def _row(unit: Unit, rating: ForceRating | None) -> ForceRatingRow:
    return ForceRatingRow(
        unit_id=unit.id, name=unit.name, level=ForceLevel(rating.level) if rating else None,
        note=rating.note if rating else "", version=rating.version if rating else None,
    )


def force_rating(session: Session, unit_id: int, year: int) -> ForceLevel | None:
    """The level a group's force was rated in ``year``, or None when not rated."""
    level = session.scalar(select(ForceRating.level).where(ForceRating.unit_id == unit_id, ForceRating.year == year))
    return ForceLevel(level) if level else None


def rating_counts(session: Session, ward_id: int, year: int) -> RatingCounts:
    rows = force_ratings(session, ward_id, year)
    by_level = {level: sum(row.level is level for row in rows) for level in ForceLevel}
    return RatingCounts(year=year, by_level=by_level, unrated=sum(row.level is None for row in rows))


def set_force_rating(
    session: Session, ward_id: int, year: int, unit_id: int, level: ForceLevel | None, note: str, actor: str,
    expected_version: int | None = None,
) -> None:
    """Rate a group's force for ``year``; ``level`` None removes the rating (and its note)."""
    check_year(year)
    unit = _rated_unit(session, ward_id, unit_id)
    rating = session.scalar(select(ForceRating).where(ForceRating.unit_id == unit_id, ForceRating.year == year))
    _check_expected(rating, expected_version)
    note = vntext.clean_paragraphs(note)
    if level is None:
        _remove(session, rating, note)
        return
    if rating is None:
        _require_active(unit)
        rating = ForceRating(ward_id=ward_id, unit_id=unit_id, year=year, level=level.value, note=note)
        stamp_created(rating, actor)
        session.add(rating)
    else:
        rating.level, rating.note = level.value, note
        stamp_updated(rating, actor)
    session.flush()


def _rated_unit(session: Session, ward_id: int, unit_id: int) -> Unit:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.ward_id != ward_id:
        raise UserError("Không tìm thấy đơn vị này; hãy tải lại danh sách.")
    if unit.kind != UnitKind.KDC.value:
        raise UserError(f'"{unit.name}" không phải khu dân cư: chỉ Tổ bảo vệ ANTT của khu dân cư '
                        "được đánh giá theo mức ở đây.")
    return unit


def _require_active(unit: Unit) -> None:
    if unit.status != UnitStatus.ACTIVE.value:
        raise UserError(f'"{unit.name}" không còn hoạt động nên không thêm đánh giá mới được.')


def _check_expected(rating: ForceRating | None, expected_version: int | None) -> None:
    if expected_version is None:
        return
    if (rating.version if rating else NO_RATING) != expected_version:
        raise stale_edit_error()


def _remove(session: Session, rating: ForceRating | None, note: str) -> None:
    if note:
        raise UserError("Chưa chọn mức đánh giá nên không lưu được ghi chú; hãy chọn mức đánh giá trước.")
    if rating is not None:
        session.delete(rating)
        session.flush()
