"""The schema, as SQLAlchemy 2 typed models.

The tables are created and changed only by the Alembic revisions in ``db/migrations``; a test
checks that a database built from the revisions matches these models.

Every row records who changed it and when, and carries a version number: SQLAlchemy refuses
an UPDATE whose version no longer matches (another officer saved first), so nobody silently
overwrites anybody.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Constraint names must be stable for Alembic's batch mode on SQLite.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Sort keys are compared code point by code point: SQLite's BINARY collation does that, and on
# PostgreSQL the "C" collation does (the database's own collation would reorder them).
SortKey = String(600).with_variant(String(600, collation="C"), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Tracked:
    """Who created and last changed a row, when, and its version for optimistic locking."""

    created_at: Mapped[datetime] = mapped_column(DateTime)
    created_by: Mapped[str] = mapped_column(String(100))
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)


class Ward(Tracked, Base):
    """The ward profile: what every document's header, date line and signature need."""

    __tablename__ = "ward"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    province_kind: Mapped[str] = mapped_column(String(20))
    province_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(100))
    police_unit_name: Mapped[str] = mapped_column(String(200))
    chairman_name: Mapped[str] = mapped_column(String(100), default="")
    chairman_title: Mapped[str] = mapped_column(String(100), default="")
    police_chief_name: Mapped[str] = mapped_column(String(100), default="")
    police_chief_title: Mapped[str] = mapped_column(String(100), default="")
    place_name: Mapped[str] = mapped_column(String(100))
    ubnd_doc_suffix: Mapped[str] = mapped_column(String(30), default="UBND")
    police_doc_suffix: Mapped[str] = mapped_column(String(30), default="")
    doc_number_year: Mapped[int | None] = mapped_column(Integer)
    next_ubnd_doc_number: Mapped[int] = mapped_column(Integer, default=1)
    next_police_doc_number: Mapped[int] = mapped_column(Integer, default=1)

    __table_args__ = (
        CheckConstraint("kind IN ('xa', 'phuong', 'dac_khu')", name="kind"),
        CheckConstraint("province_kind IN ('tinh', 'thanh_pho')", name="province_kind"),
    )


class Unit(Tracked, Base):
    """A residential group, agency, enterprise or school of the ward.

    ``name_key`` (the name folded: no case, tones or đ) finds duplicates, ``search_text``
    (name, address, head and phone folded) serves search, and the ``*_sort`` keys give the
    Vietnamese order; all are derived from the typed text by the service layer whenever it writes a row.
    """

    __tablename__ = "unit"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    kind: Mapped[str] = mapped_column(String(20))
    category: Mapped[str] = mapped_column(String(100), default="")
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str] = mapped_column(String(500), default="")
    head_name: Mapped[str] = mapped_column(String(100), default="")
    head_title: Mapped[str] = mapped_column(String(100), default="")
    head_phone: Mapped[str] = mapped_column(String(30), default="")
    is_armed_forces: Mapped[bool] = mapped_column(Boolean, default=False)
    is_small_or_micro: Mapped[bool] = mapped_column(Boolean, default=False)
    school_level: Mapped[str | None] = mapped_column(String(20))
    has_party_org: Mapped[bool] = mapped_column(Boolean, default=False)
    households: Mapped[int | None] = mapped_column(Integer)
    staff_count: Mapped[int | None] = mapped_column(Integer)
    learner_count: Mapped[int | None] = mapped_column(Integer)
    protection_force: Mapped[str] = mapped_column(String(200), default="")
    protection_force_size: Mapped[int | None] = mapped_column(Integer)
    subordinate_units: Mapped[int | None] = mapped_column(Integer)
    managing_authority: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(20), default="active")
    status_date: Mapped[date | None] = mapped_column(Date)
    status_reason: Mapped[str] = mapped_column(String(500), default="")
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))

    name_key: Mapped[str] = mapped_column(String(300))
    search_text: Mapped[str] = mapped_column(String(1000))
    name_sort: Mapped[str] = mapped_column(SortKey)
    category_sort: Mapped[str] = mapped_column(SortKey)
    address_sort: Mapped[str] = mapped_column(SortKey)
    head_sort: Mapped[str] = mapped_column(SortKey)

    __table_args__ = (
        CheckConstraint("kind IN ('kdc', 'co_quan', 'doanh_nghiep', 'giao_duc')", name="kind"),
        CheckConstraint("status IN ('active', 'merged', 'dissolved')", name="status"),
        CheckConstraint("status <> 'merged' OR merged_into_id IS NOT NULL", name="merged_has_target"),
        CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
        Index("ix_unit_ward_name_sort", "ward_id", "name_sort"),
        Index("ix_unit_ward_kind_name_sort", "ward_id", "kind", "name_sort"),
        Index("ix_unit_merged_into_id", "merged_into_id"),
        Index("ix_unit_ward_kind_name_key", "ward_id", "kind", "name_key"),
        # Covers every filter of the units page and the name order, so counting and searching
        # read this index alone instead of visiting 100,000 table rows.
        Index("ix_unit_filters", "ward_id", "status", "kind", "search_text", "name_sort"),
    )


class Setting(Base):
    """A ward's setting: a key and a JSON value (rules that differ between provinces live here)."""

    __tablename__ = "setting"

    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"), primary_key=True)
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(DateTime)
    updated_by: Mapped[str] = mapped_column(String(100))


class AnttRecord(Tracked, Base):
    """One unit's year of the "An toàn về ANTT" standard: registration, review meeting, result.

    The row exists from the registration on ("chưa đăng ký" is its absence). It keeps the
    catalogue it is assessed against (and the province's extra criteria as they were), so an
    old year prints as it was decided.
    """

    __tablename__ = "antt_record"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    registered_on: Mapped[date] = mapped_column(Date)
    resolution_ref: Mapped[str] = mapped_column(String(300), default="")
    plan_ref: Mapped[str] = mapped_column(String(300), default="")
    registration_ref: Mapped[str] = mapped_column(String(300), default="")
    households_registered: Mapped[int | None] = mapped_column(Integer)
    households_total: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    catalogue_code: Mapped[str] = mapped_column(String(100))
    extra_criteria: Mapped[str] = mapped_column(Text, default="[]")
    stage: Mapped[str] = mapped_column(String(20), default="registered")
    meeting_on: Mapped[date | None] = mapped_column(Date)
    meeting_place: Mapped[str] = mapped_column(String(300), default="")
    meeting_chair: Mapped[str] = mapped_column(String(200), default="")
    meeting_attendees: Mapped[str] = mapped_column(Text, default="")
    passed: Mapped[bool | None] = mapped_column(Boolean)
    proposed_on: Mapped[date | None] = mapped_column(Date)
    decision_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))

    __table_args__ = (
        CheckConstraint(
            "stage IN ('registered', 'assessed', 'proposed', 'recognized', 'not_recognized')", name="stage"
        ),
        UniqueConstraint("unit_id", "year", name="uq_antt_record_unit_year"),
        Index("ix_antt_record_ward_year", "ward_id", "year"),
        Index("ix_antt_record_decision_id", "decision_id"),
    )


class AnttPointResult(Base):
    """The review meeting's answer for one criterion point: met or not, with evidence."""

    __tablename__ = "antt_point_result"

    record_id: Mapped[int] = mapped_column(ForeignKey("antt_record.id", ondelete="CASCADE"), primary_key=True)
    point_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    met: Mapped[bool | None] = mapped_column(Boolean)
    evidence: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    override_reason: Mapped[str] = mapped_column(Text, default="")


class Incident(Tracked, Base):
    """A vụ việc in a unit: it can make a criterion point fail (TT 124 criteria 3 and 4)."""

    __tablename__ = "incident"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    occurred_on: Mapped[date] = mapped_column(Date)
    kind_code: Mapped[str] = mapped_column(String(50))
    severity: Mapped[str | None] = mapped_column(String(30))
    force_majeure: Mapped[bool] = mapped_column(Boolean, default=False)
    reported_in_time: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_incident_unit_occurred", "unit_id", "occurred_on"),)


class Decision(Tracked, Base):
    """A decision of the ward (today: recognition "An toàn về ANTT"); issued ones are locked."""

    __tablename__ = "decision"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    kind: Mapped[str] = mapped_column(String(30))
    year: Mapped[int] = mapped_column(Integer)
    number: Mapped[str] = mapped_column(String(20), default="")
    symbol: Mapped[str] = mapped_column(String(50))
    issued_on: Mapped[date | None] = mapped_column(Date)
    form: Mapped[str] = mapped_column(String(20), default="chu_tich")
    signer_authority: Mapped[str] = mapped_column(String(100), default="")
    signer_title: Mapped[str] = mapped_column(String(100), default="")
    signer_name: Mapped[str] = mapped_column(String(100), default="")
    bases: Mapped[str] = mapped_column(Text, default="[]")
    recipients: Mapped[str] = mapped_column(Text, default="[]")
    status: Mapped[str] = mapped_column(String(20), default="draft")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("decision.id"))
    # The ward profile as it was when issued (JSON): an old decision reprints with the names
    # of its day, even after the ward is renamed or merged.
    profile_snapshot: Mapped[str | None] = mapped_column(Text)

    __table_args__ = (
        CheckConstraint("status IN ('draft', 'issued')", name="status"),
        CheckConstraint("form IN ('chu_tich', 'ubnd')", name="form"),
        Index("ix_decision_ward_year", "ward_id", "year"),
    )


class DecisionUnit(Base):
    """A line of a decision's attached list, frozen as it was printed when issued."""

    __tablename__ = "decision_unit"

    decision_id: Mapped[int] = mapped_column(ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    address: Mapped[str] = mapped_column(String(500), default="")
    # A classification decision's list also prints the score and the level.
    level: Mapped[str | None] = mapped_column(String(20))
    score_cents: Mapped[int | None] = mapped_column(Integer)


# ---- movement classification (QĐ 510) -------------------------------------------------------
# Points are stored as whole hundredths ("cents"): exact on SQLite and PostgreSQL alike, and a
# score sheet never has more than two decimals.


class ClassificationYear(Tracked, Base):
    """The score sheet set a ward's classification year is scored with (JSON), kept from the
    first score on so that later edits of the sheets do not change a finished year."""

    __tablename__ = "classification_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    sheet_set: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("ward_id", "year", name="uq_classification_year_ward_year"),)


class ClassificationRecord(Tracked, Base):
    """One unit's classification in a year; ``unit_id`` NULL is the ward's own sheet."""

    __tablename__ = "classification_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))
    # The level the officer sets instead of the proposed one, with the reason (empty: proposed).
    level_override: Mapped[str | None] = mapped_column(String(20))
    override_reason: Mapped[str] = mapped_column(Text, default="")
    # Cap-rule conditions the officer marks by hand (those no register can establish yet).
    marked_facts: Mapped[str] = mapped_column(Text, default="[]")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("ward_id", "year", "unit_id", name="uq_classification_record_ward_year_unit"),
        Index("ix_classification_record_unit_id", "unit_id"),
    )


class ClassificationScore(Base):
    """One item of a unit's sheet: the unit's own score and the ward's (NULL: not scored)."""

    __tablename__ = "classification_score"

    record_id: Mapped[int] = mapped_column(ForeignKey("classification_record.id", ondelete="CASCADE"),
                                           primary_key=True)
    item_code: Mapped[str] = mapped_column(String(20), primary_key=True)
    self_cents: Mapped[int | None] = mapped_column(Integer)
    ward_cents: Mapped[int | None] = mapped_column(Integer)


class ForceRating(Tracked, Base):
    """The yearly rating of a residential group's Tổ bảo vệ ANTT (it feeds criterion 5 of TT 124)."""

    __tablename__ = "force_rating"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    level: Mapped[str] = mapped_column(String(30))
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_force_rating_unit_year"),
                      Index("ix_force_rating_ward_year", "ward_id", "year"))


class ExemplaryCriterion(Tracked, Base):
    """A criterion of the exemplary-ward (phường điển hình) checklist, typed or imported by the
    administrator from the province's list (the official list is not shipped)."""

    __tablename__ = "exemplary_criterion"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    position: Mapped[int] = mapped_column(Integer)
    code: Mapped[str] = mapped_column(String(20))
    group_title: Mapped[str] = mapped_column(String(300), default="")
    title: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_exemplary_criterion_ward_position", "ward_id", "position"),)


class ExemplaryStatus(Tracked, Base):
    """Where the ward stands on one criterion in one year, and the evidence."""

    __tablename__ = "exemplary_status"
    __mapper_args__ = {"version_id_col": Tracked.version}

    criterion_id: Mapped[int] = mapped_column(ForeignKey("exemplary_criterion.id", ondelete="CASCADE"),
                                              primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="chua_dat")
    evidence: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("status IN ('chua_dat', 'dang_thuc_hien', 'dat')", name="status"),)
