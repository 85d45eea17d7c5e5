"""The papers of the ANTT dossier (TT 124/2021 Art. 9.2), as plain data read from the database.

* :func:`registration_form`: a unit's Bản đăng ký phấn đấu (Quarter I);
* :func:`review_minutes`: the Biên bản of its review meeting, every criterion point;
* :func:`proposal`: the ward police's Tờ trình proposing the units that met the standard;
* :func:`outstanding_list`: the units not registered, or assessed and not meeting it.

The renderers of :mod:`antq_desktop.reports` print these; nothing here draws.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import AnttRecord, Unit
from antq_desktop.domain import vntext
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.reports import data as doc
from antq_desktop.services import settings
from antq_desktop.services.antt import check_year, existing_record, year_overview
from antq_desktop.services.antt_assessment import (
    PointState,
    assessment,
    record_catalogue,
    unmet_reasons,
)
from antq_desktop.services.antt_decision import default_bases
from antq_desktop.services.profile import WardProfile, require_profile
from antq_desktop.services.stats import antt_stats

# ---- who issues, who signs, to whom ------------------------------------------------------------

def unit_issuer(profile: WardProfile, unit: Unit) -> doc.Issuer:
    """The unit heading its own papers: a khu dân cư under its ward ("PHƯỜNG MINH XUÂN" over
    "TỔ DÂN PHỐ 7"), another unit under its managing body when one is recorded."""
    if unit.kind == UnitKind.KDC.value:
        parent = profile.ward_title.upper()
    else:
        parent = vntext.clean(unit.managing_authority).upper() or None
    # "NGÂN HÀNG … NÔNG THÔN - CHI NHÁNH …": a no-break space holds the dash to the word before it,
    # so a wrapped header line never starts with "-".
    name = vntext.clean(unit.name).upper().replace(" - ", "\u00a0- ")
    return doc.Issuer(parent=parent, name=name, place=profile.place_name)


def police_issuer(profile: WardProfile) -> doc.Issuer:
    """"CÔNG AN TỈNH TUYÊN QUANG" over "CÔNG AN PHƯỜNG MINH XUÂN" (DOCUMENTS.md §1.4, §4)."""
    return doc.Issuer(parent=f"CÔNG AN {profile.province_title.upper()}", name=profile.police_unit_name.upper(),
                      place=profile.place_name)


def police_signer(profile: WardProfile) -> doc.Signer:
    title = profile.police_chief_title or f"Trưởng Công an {profile.kind.label}"
    return doc.Signer(authority=None, title=title.upper(), name=profile.police_chief_name)


def _head_signer(unit: Unit) -> doc.Signer:
    default = "Trưởng khu dân cư" if unit.kind == UnitKind.KDC.value else "Thủ trưởng đơn vị"
    return doc.Signer(authority=None, title=(vntext.clean(unit.head_title) or default).upper(),
                      name=vntext.clean(unit.head_name))


def _people_committee(profile: WardProfile) -> str:
    """"Ủy ban nhân dân phường Minh Xuân", as it stands in a sentence."""
    return f"Ủy ban nhân dân {profile.ward_title}"


def _deciding_addressee(session: Session, profile: WardProfile) -> str:
    """Whom the proposal goes to: the chairman, or the committee when it decides as a body (settings)."""
    body = _people_committee(profile)
    return body if settings.get_setting(session, profile.id, "antt.decision_form") == "ubnd" else f"Chủ tịch {body}"


def _unit_of(session: Session, record: AnttRecord) -> Unit:
    return session.get(Unit, record.unit_id)


# ---- Bản đăng ký --------------------------------------------------------------------------------

def registration_form(session: Session, record_id: int) -> doc.RegistrationForm:
    """The unit's registration to strive for the standard in the record's year."""
    profile = require_profile(session)
    record = existing_record(session, record_id)
    unit = _unit_of(session, record)
    catalogue = record_catalogue(session, record)
    residential = unit.kind == UnitKind.KDC.value
    total = record.households_total if record.households_total is not None else unit.households
    return doc.RegistrationForm(
        issuer=unit_issuer(profile, unit), registered_on=record.registered_on, year=record.year,
        unit_name=unit.name, kind_label=UnitKind(unit.kind).label, addressee=_people_committee(profile),
        legal_basis=catalogue.title,
        criteria=tuple(criterion.title for criterion in catalogue.criteria(unit.kind)),
        signer=_head_signer(unit),
        recipients=("- Như trên;", f"- {profile.police_unit_name};", "- Lưu."),
        is_residential=residential,
        households_registered=record.households_registered if residential else None,
        households_total=total if residential else None,
    )


# ---- Biên bản họp đánh giá ----------------------------------------------------------------------

def _looks_like_a_name(text: str) -> bool:
    """"Nguyễn Văn An" (every word capitalised) rather than a post such as "Tổ trưởng"."""
    words = text.split()
    return len(words) >= 2 and all(word[:1].isupper() for word in words)


def _chair(unit: Unit, typed: str) -> tuple[str, str]:
    """The "Chủ trì" line and the name signed under "CHỦ TRÌ".

    TT 124 Art. 9.1: the unit's head chairs. The meeting's chair field holds whatever the
    officer typed, often just the post ("Tổ trưởng"): when it names the head or the head's post,
    the head's name and post are printed; a name is kept as typed; anything else is printed as
    typed with the name left blank for the hand.
    """
    head, post = vntext.clean(unit.head_name), vntext.clean(unit.head_title)
    typed = vntext.clean(typed)
    head_line = ", ".join(part for part in (head, post) if part)
    if not typed:
        return head_line, head
    if head and head.casefold() in typed.casefold():
        return typed, head
    folded = typed.casefold()
    if post and (folded in post.casefold() or post.casefold() in folded):
        return (f"{head}, {post}" if head else typed), head
    if _looks_like_a_name(typed):
        return typed, typed
    return typed, ""


def review_minutes(session: Session, record_id: int) -> doc.ReviewMinutes:
    """The minutes of the unit's review meeting: every criterion point, met or not, with its evidence."""
    profile = require_profile(session)
    record = existing_record(session, record_id)
    unit = _unit_of(session, record)
    view = assessment(session, record_id)
    chair, chair_name = _chair(unit, view.meeting.chair)
    criteria = tuple(
        doc.MinutesCriterion(
            number=criterion.number, title=criterion.title,
            points=tuple(doc.MinutesPoint(code=point.code, text=point.text, met=point.met,
                                          evidence=_evidence(point), note=_point_note(point))
                         for point in criterion.points),
        )
        for criterion in view.criteria
    )
    return doc.ReviewMinutes(
        issuer=unit_issuer(profile, unit), year=record.year, unit_name=unit.name,
        kind_label=UnitKind(unit.kind).label, meeting_on=view.meeting.meeting_on, place=view.meeting.place,
        chair=chair, chair_name=chair_name, secretary="",
        attendees=tuple(line for line in (vntext.clean(text) for text in view.meeting.attendees.split("\n")) if line),
        period=view.period, legal_basis=record_catalogue(session, record).title, criteria=criteria,
        addressee=_people_committee(profile),
        recipients=(f"- {profile.police_unit_name};", "- Lưu."),
    )


def _evidence(point: PointState) -> str:
    """The evidence recorded; for a point not met without any, the incidents that fail it."""
    evidence = vntext.clean(point.evidence)
    if not evidence and point.met is False and point.proposed_unmet:
        evidence = "; ".join(point.proposed_unmet)
    return evidence


def _point_note(point: PointState) -> str:
    """The note, and why a point is met although the incident register says otherwise."""
    parts = [vntext.clean(point.note)]
    if point.met and vntext.clean(point.override_reason):
        parts.append(f"Đánh giá đạt vì: {vntext.clean(point.override_reason)}")
    return "; ".join(part for part in parts if part)


# ---- Tờ trình đề nghị công nhận -----------------------------------------------------------------

def _proposed(session: Session, ward_id: int, year: int) -> list[Unit]:
    """The year's units proposed for recognition (or already recognised), by kind, in Vietnamese order."""
    units = session.scalars(
        select(Unit).join(AnttRecord, AnttRecord.unit_id == Unit.id)
        .where(AnttRecord.ward_id == ward_id, AnttRecord.year == year,
               AnttRecord.stage.in_([Stage.PROPOSED.value, Stage.RECOGNIZED.value]))
    ).all()
    return sorted(units, key=lambda unit: (UnitKind(unit.kind).rank, unit.name_sort, unit.id))


def proposal(session: Session, ward_id: int, year: int, *, issued_on: date | None = None) -> doc.Proposal:
    """The ward police's Tờ trình for ``year``; ``issued_on`` None leaves the date to the văn thư."""
    check_year(year)
    profile = require_profile(session)
    units = _proposed(session, ward_id, year)
    if not units:
        raise UserError(f"Chưa có đơn vị nào được đề nghị công nhận năm {year}, nên chưa lập được tờ trình.")
    stats = antt_stats(session, ward_id, year)
    met = sum(1 for row in year_overview(session, ward_id, year) if row.eligible and row.passed)
    bases = [line for line in default_bases(profile, year) if "Thông tư" in line]
    bases.append("Căn cứ kết quả họp đánh giá, hồ sơ đề nghị công nhận của các khu dân cư, cơ quan, doanh nghiệp, "
                 f"cơ sở giáo dục trên địa bàn {profile.ward_title}.")
    suffix = vntext.clean(profile.police_doc_suffix)
    return doc.Proposal(
        issuer=police_issuer(profile), number="", symbol=f"TTr-{suffix}" if suffix else "TTr",
        issued_on=issued_on, year=year, proposer=profile.police_unit_name,
        addressee=_deciding_addressee(session, profile), ward_title=profile.ward_title, bases=tuple(bases),
        eligible=stats.total.eligible, registered=stats.total.registered, assessed=stats.total.assessed,
        met_criteria=met,
        units=tuple(doc.ListedUnit(unit.name, UnitKind(unit.kind).label, unit.address) for unit in units),
        signer=police_signer(profile), recipients=("- Như trên;", "- Lưu: VT."),
    )


# ---- Danh sách đơn vị chưa đăng ký, chưa đạt ----------------------------------------------------

def outstanding_list(session: Session, ward_id: int, year: int, *, today: date | None = None) -> doc.OutstandingList:
    """Eligible active units without a record for ``year``, and records assessed as not meeting the
    standard (or not recognised), each with the points it did not meet; dated ``today``."""
    check_year(year)
    profile = require_profile(session)
    rows = year_overview(session, ward_id, year)
    by_kind = sorted(rows, key=lambda row: row.kind.rank)   # stable: name order kept in a kind
    unregistered = tuple(doc.OutstandingUnit(row.name, row.kind.label)
                         for row in by_kind if row.record_id is None and row.eligible)
    failed = [row for row in by_kind if row.record_id is not None and (
        row.stage is Stage.NOT_RECOGNIZED or (row.stage is Stage.ASSESSED and row.passed is False))]
    not_passed = tuple(doc.OutstandingUnit(row.name, row.kind.label, tuple(unmet_reasons(session, row.record_id)))
                       for row in failed)
    return doc.OutstandingList(
        issuer=police_issuer(profile), issued_on=today or date.today(), year=year, unregistered=unregistered,
        not_passed=not_passed, signer=police_signer(profile),
        recipients=(f"- Chủ tịch UBND {profile.ward_title} (để b/c);", "- Lưu: VT."),
    )
