"""The schema, as SQLAlchemy 2 typed models.

The tables are created and changed only by the Alembic revisions in ``db/migrations``; a test
checks that a database built from the revisions matches these models.

Every row records who changed it and when, and carries a version number: SQLAlchemy refuses
an UPDATE whose version no longer matches (another officer saved first), so nobody silently
overwrites anybody.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
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


def new_uid() -> str:
    return uuid.uuid4().hex


class Portable:
    """A record's identity in every database it travels to: a data package (services/package.py)
    matches rows by ``uid``, so a ward imported again replaces its own rows, whatever local ``id``
    each database gave them."""

    uid: Mapped[str] = mapped_column(String(32), default=new_uid, index=True, unique=True)


class Ward(Portable, Tracked, Base):
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


class Unit(Portable, Tracked, Base):
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


class AnttRecord(Portable, Tracked, Base):
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


class Incident(Portable, Tracked, Base):
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


class Decision(Portable, Tracked, Base):
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


class ClassificationYear(Portable, Tracked, Base):
    """The score sheet set a ward's classification year is scored with (JSON), kept from the
    first score on so that later edits of the sheets do not change a finished year."""

    __tablename__ = "classification_year"

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    sheet_set: Mapped[str] = mapped_column(Text)

    __table_args__ = (UniqueConstraint("ward_id", "year", name="uq_classification_year_ward_year"),)


class ClassificationRecord(Portable, Tracked, Base):
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


class ForceRating(Portable, Tracked, Base):
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


class ExemplaryCriterion(Portable, Tracked, Base):
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


# ---- field work through the year (issue 5) ---------------------------------------------------


class Inspection(Portable, Tracked, Base):
    """A planned or made inspection / guidance visit to a unit (planned while ``visited_on`` is NULL)."""

    __tablename__ = "inspection"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(20), default="kiem_tra")  # kiem_tra | huong_dan
    planned_on: Mapped[date | None] = mapped_column(Date)
    planned_by: Mapped[str] = mapped_column(String(300), default="")  # who is to go: the team or its head
    visited_on: Mapped[date | None] = mapped_column(Date)
    started_at: Mapped[str] = mapped_column(String(10), default="")  # "08:30", printed in words
    ended_at: Mapped[str] = mapped_column(String(10), default="")
    place: Mapped[str] = mapped_column(String(300), default="")
    basis: Mapped[str] = mapped_column(Text, default="")  # "Căn cứ Kế hoạch số …"
    team: Mapped[str] = mapped_column(Text, default="")  # one "Ông/Bà …, chức vụ …, vai trò" per line
    unit_attendees: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[str] = mapped_column(Text, default="")
    findings: Mapped[str] = mapped_column(Text, default="")
    conclusion: Mapped[str] = mapped_column(Text, default="")
    unit_opinion: Mapped[str] = mapped_column(Text, default="")
    minutes_number: Mapped[str] = mapped_column(String(20), default="")

    __table_args__ = (
        CheckConstraint("kind IN ('kiem_tra', 'huong_dan')", name="kind"),
        Index("ix_inspection_ward_year", "ward_id", "year"),
        Index("ix_inspection_unit_id", "unit_id"),
    )


class InspectionRecommendation(Portable, Base):
    """A recommendation of an inspection, with its deadline and the follow-up."""

    __tablename__ = "inspection_recommendation"

    id: Mapped[int] = mapped_column(primary_key=True)
    inspection_id: Mapped[int] = mapped_column(ForeignKey("inspection.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    deadline: Mapped[date | None] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)
    follow_up: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_inspection_recommendation_inspection_id", "inspection_id"),)


class SecurityModel(Portable, Tracked, Base):
    """A model of the movement (mô hình: "Tổ tự quản về ANTT", "Camera an ninh"…); dissolved ones are kept."""

    __tablename__ = "security_model"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(200), default="")
    started_on: Mapped[date | None] = mapped_column(Date)
    sites: Mapped[int | None] = mapped_column(Integer)  # điểm
    teams: Mapped[int | None] = mapped_column(Integer)  # tổ
    members: Mapped[int | None] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text, default="")
    dissolved_on: Mapped[date | None] = mapped_column(Date)
    dissolved_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_security_model_ward_id", "ward_id"),)


class SecurityModelUnit(Base):
    """A unit that hosts a model."""

    __tablename__ = "security_model_unit"

    model_id: Mapped[int] = mapped_column(ForeignKey("security_model.id", ondelete="CASCADE"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"), primary_key=True)

    __table_args__ = (Index("ix_security_model_unit_unit_id", "unit_id"),)


class SecurityModelGrade(Tracked, Base):
    """A model's grade for a year (the levels are data: settings "models.levels")."""

    __tablename__ = "security_model_grade"
    __mapper_args__ = {"version_id_col": Tracked.version}

    model_id: Mapped[int] = mapped_column(ForeignKey("security_model.id", ondelete="CASCADE"), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text, default="")


class ForceMember(Portable, Tracked, Base):
    """A member of a core force: the Tổ bảo vệ ANTT of a residential group, an agency's or a
    school's protection staff, the đội dân phòng."""

    __tablename__ = "force_member"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # NULL: a ward-wide team (dân phòng)
    force_kind: Mapped[str] = mapped_column(String(20))  # to_bao_ve | bao_ve_co_quan | dan_phong
    full_name: Mapped[str] = mapped_column(String(100))
    name_sort: Mapped[str] = mapped_column(SortKey)  # person_name_key: given name first
    birth_year: Mapped[int | None] = mapped_column(Integer)
    gender: Mapped[str | None] = mapped_column(String(5))  # nam | nu
    role: Mapped[str] = mapped_column(String(100), default="")  # Tổ trưởng, Tổ phó, Tổ viên…
    phone: Mapped[str] = mapped_column(String(30), default="")
    joined_on: Mapped[date | None] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        CheckConstraint("force_kind IN ('to_bao_ve', 'bao_ve_co_quan', 'dan_phong')", name="force_kind"),
        Index("ix_force_member_ward_kind", "ward_id", "force_kind"),
        Index("ix_force_member_unit_id", "unit_id"),
    )


class Training(Portable, Tracked, Base):
    """A training course or session for the core forces."""

    __tablename__ = "training"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    held_on: Mapped[date] = mapped_column(Date)
    topic: Mapped[str] = mapped_column(String(500))
    hours: Mapped[int] = mapped_column(Integer, default=0)
    place: Mapped[str] = mapped_column(String(300), default="")
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_training_ward_held_on", "ward_id", "held_on"),)


class TrainingAttendee(Base):
    __tablename__ = "training_attendee"

    training_id: Mapped[int] = mapped_column(ForeignKey("training.id", ondelete="CASCADE"), primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("force_member.id"), primary_key=True)

    __table_args__ = (Index("ix_training_attendee_member_id", "member_id"),)


class EquipmentIssue(Portable, Tracked, Base):
    """Equipment issued to a member, and when it came back."""

    __tablename__ = "equipment_issue"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(ForeignKey("force_member.id"))
    item: Mapped[str] = mapped_column(String(200))
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    issued_on: Mapped[date] = mapped_column(Date)
    returned_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_equipment_issue_member_id", "member_id"),)


class Activity(Portable, Tracked, Base):
    """A propaganda activity (hội nghị, loa truyền thanh, báo, mạng xã hội/Zalo, tờ rơi…)."""

    __tablename__ = "activity"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # NULL: by the ward itself
    held_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(30))
    title: Mapped[str] = mapped_column(String(500))
    reach: Mapped[int | None] = mapped_column(Integer)  # people reached (lượt người)
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_activity_ward_held_on", "ward_id", "held_on"),
                      Index("ix_activity_unit_id", "unit_id"))


class Festival(Portable, Tracked, Base):
    """The Ngày hội toàn dân bảo vệ an ninh Tổ quốc (19/8) as a unit held it in a year."""

    __tablename__ = "festival"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    unit_id: Mapped[int] = mapped_column(ForeignKey("unit.id"))
    year: Mapped[int] = mapped_column(Integer)
    held_on: Mapped[date] = mapped_column(Date)
    participants: Mapped[int | None] = mapped_column(Integer)
    highlights: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (UniqueConstraint("unit_id", "year", name="uq_festival_unit_year"),
                      Index("ix_festival_ward_year", "ward_id", "year"))


class Award(Portable, Tracked, Base):
    """A commendation to a unit or a person (Giấy khen, Bằng khen, Kỷ niệm chương…)."""

    __tablename__ = "award"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("unit.id"))  # the unit awarded, or the person's unit
    member_id: Mapped[int | None] = mapped_column(ForeignKey("force_member.id"))
    model_id: Mapped[int | None] = mapped_column(ForeignKey("security_model.id"))  # for the model, via its host unit
    person_name: Mapped[str] = mapped_column(String(100), default="")  # empty: the unit is awarded
    person_title: Mapped[str] = mapped_column(String(200), default="")
    form: Mapped[str] = mapped_column(String(30))  # giay_khen | bang_khen | ky_niem_chuong | khac
    form_text: Mapped[str] = mapped_column(String(200), default="")  # what "khac" is, or the exact title
    level: Mapped[str] = mapped_column(String(200), default="")  # who awards: "Chủ tịch UBND phường"…
    decision_number: Mapped[str] = mapped_column(String(50), default="")
    decision_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_award_ward_year", "ward_id", "year"), Index("ix_award_unit_id", "unit_id"))


# ---- the plan: targets, task table, budget estimate, reports sent upward ------------------------

class PlanTarget(Portable, Tracked, Base):
    """One indicator's target in one year of the ward's plan ("chỉ tiêu").

    ``code`` names an indicator the program computes from the records (see ``domain.plan``) or,
    for an indicator the ward adds, one that is typed by hand: ``actual`` holds that figure.
    """

    __tablename__ = "plan_target"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # the order of the plan's text
    code: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str] = mapped_column(String(10))  # pct | count
    comparison: Mapped[str] = mapped_column(String(2))  # ge: at least the target | le: at most
    target: Mapped[int] = mapped_column(Integer)
    actual: Mapped[int | None] = mapped_column(Integer)  # typed by hand where the records hold no figure
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("ward_id", "year", "code", name="uq_plan_target_ward_year_code"),
        CheckConstraint("unit IN ('pct', 'count')", name="unit"),
        CheckConstraint("comparison IN ('ge', 'le')", name="comparison"),
    )


class PlanTask(Portable, Tracked, Base):
    """A line of the plan's task table (biểu phân công nhiệm vụ) for one year."""

    __tablename__ = "plan_task"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # TT
    content: Mapped[str] = mapped_column(Text)
    lead: Mapped[str] = mapped_column(String(300), default="")  # cơ quan chủ trì
    partners: Mapped[str] = mapped_column(String(500), default="")  # cơ quan phối hợp
    due_text: Mapped[str] = mapped_column(String(200), default="")  # as printed: "Quý I", "Hằng năm"…
    due_date: Mapped[date | None] = mapped_column(Date)  # the day the dashboard counts down to
    notes: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(10), default="chua")  # chua | dang | xong
    done_on: Mapped[date | None] = mapped_column(Date)

    __table_args__ = (
        Index("ix_plan_task_ward_year", "ward_id", "year"),
        CheckConstraint("status IN ('chua', 'dang', 'xong')", name="status"),
    )


class BudgetGroup(Portable, Tracked, Base):
    """A numbered group (I, II, III…) of a year's budget estimate, by legal basis."""

    __tablename__ = "budget_group"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)  # printed as a Roman numeral
    title: Mapped[str] = mapped_column(Text)

    __table_args__ = (Index("ix_budget_group_ward_year", "ward_id", "year"),)


class BudgetLine(Portable, Tracked, Base):
    """A line of the budget estimate: quantity × unit price = amount, or a lump sum (no quantity).

    Amounts are whole đồng; BigInteger because a ward's total can pass 2^31 đồng.
    """

    __tablename__ = "budget_line"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(ForeignKey("budget_group.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[str] = mapped_column(Text)
    unit_label: Mapped[str] = mapped_column(String(50), default="")  # đơn vị tính: "buổi", "người"…
    quantity: Mapped[int | None] = mapped_column(Integer)
    unit_price: Mapped[int | None] = mapped_column(BigInteger)
    amount: Mapped[int] = mapped_column(BigInteger)
    detail: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        Index("ix_budget_line_group_id", "group_id"),
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("quantity IS NULL OR quantity >= 0", name="quantity"),
        CheckConstraint("unit_price IS NULL OR unit_price >= 0", name="unit_price"),
    )


class YearReport(Portable, Tracked, Base):
    """The narrative of a report sent upward (the year's or the six-month one); its tables come
    from the records when it is printed. ``sections`` is a JSON object: section code -> text."""

    __tablename__ = "year_report"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    ward_id: Mapped[int] = mapped_column(ForeignKey("ward.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[str] = mapped_column(String(10))  # nam | 6thang
    number: Mapped[str] = mapped_column(String(50), default="")
    report_date: Mapped[date | None] = mapped_column(Date)
    recipient: Mapped[str] = mapped_column(String(300), default="")  # Kính gửi
    reference: Mapped[str] = mapped_column(Text, default="")  # "Thực hiện …"
    sections: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (
        UniqueConstraint("ward_id", "year", "period", name="uq_year_report_ward_year_period"),
        CheckConstraint("period IN ('nam', '6thang')", name="period"),
    )


class AppUser(Tracked, Base):
    """An officer's account. ``role``: quan_tri (users, catalogues, settings), can_bo (enter data,
    print), chi_xem (read and print). The password is kept only as a slow salted hash (scrypt);
    five failed attempts lock the account until ``locked_until``."""

    __tablename__ = "app_user"
    __mapper_args__ = {"version_id_col": Tracked.version}

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(50))
    username_key: Mapped[str] = mapped_column(String(50), unique=True)  # folded: "Tuấn" and "tuan" are one
    full_name: Mapped[str] = mapped_column(String(200), default="")
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(300))
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    last_sign_in: Mapped[datetime | None] = mapped_column(DateTime)

    __table_args__ = (CheckConstraint("role IN ('quan_tri', 'can_bo', 'chi_xem')", name="role"),)


class AuditEntry(Base):
    """One change to one record: who, when, what, and the values before and after (JSON objects
    of the columns that changed; all columns for a record created or deleted). Written by the
    database layer for every flush, never changed afterwards."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(100))
    action: Mapped[str] = mapped_column(String(10))  # create | update | delete
    table_name: Mapped[str] = mapped_column(String(60))
    record_id: Mapped[int | None] = mapped_column(Integer)
    ward_id: Mapped[int | None] = mapped_column(Integer)  # no foreign key: an entry outlives its ward's rows
    summary: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str] = mapped_column(Text, default="{}")
    after: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_record", "table_name", "record_id"),
        CheckConstraint("action IN ('create', 'update', 'delete')", name="action"),
    )
