"""The chairman's decision recognising the units that met the standard, and their certificates.

The decision's life (draft from the profile, edit, issue, correct) is the shared one of
:mod:`decisions`; here is what recognition adds: its list is the units proposed for
recognition, and issuing it gives every assessed unit its final result.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db import audit
from antq_desktop.db.models import AnttRecord, Decision, DecisionUnit, Unit
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.reports import data as doc
from antq_desktop.services import decisions, settings
from antq_desktop.services.decisions import DecisionInput as DecisionInput
from antq_desktop.services.decisions import DecisionView
from antq_desktop.services.decisions import default_recipients as default_recipients
from antq_desktop.services.decisions import delete_draft as delete_draft
from antq_desktop.services.decisions import update_decision as update_decision
from antq_desktop.services.profile import WardProfile
from antq_desktop.services.tracking import stamp_updated

RECOGNITION = decisions.RECOGNITION


# ---- defaults from the profile --------------------------------------------------------------

def default_bases(profile: WardProfile, year: int) -> tuple[str, ...]:
    """Căn cứ lines (DOCUMENTS.md §2.2, §4: the 2025 local-government law from 1/7/2025)."""
    lines = [
        decisions.local_government_law(year),
        "Căn cứ Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021 của Bộ trưởng Bộ Công an quy định khu dân "
        f"cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn {STANDARD_NAME};",
    ]
    if year >= 2025:
        lines.append("Căn cứ Thông tư số 48/2025/TT-BCA ngày 27 tháng 6 năm 2025 của Bộ trưởng Bộ Công an sửa đổi, "
                     "bổ sung một số điều của Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021;")
    lines.append(decisions.proposal_basis(profile))
    return tuple(lines)


def draft_decision(session: Session, ward_id: int, year: int, actor: str, replaces_id: int | None = None) -> int:
    """A new draft for ``year`` (or a correction of ``replaces_id``), filled from the profile."""
    return decisions.draft(session, KIND, ward_id, year, actor, replaces_id)


def year_decisions(session: Session, ward_id: int, year: int) -> list[DecisionView]:
    return decisions.year_decisions(session, KIND, ward_id, year)


# ---- reading ------------------------------------------------------------------------------

def _proposed_units(session: Session, decision: Decision) -> list[tuple[Unit, AnttRecord]]:
    """The units the draft would recognise: the proposed ones and, for a correction, those of
    the old list it still keeps (its own list rows, from which the officer may drop units)."""
    condition = AnttRecord.stage == Stage.PROPOSED.value
    if decision.replaces_id is not None:
        kept = select(DecisionUnit.unit_id).where(DecisionUnit.decision_id == decision.id)
        condition = condition | ((AnttRecord.decision_id == decision.replaces_id) & AnttRecord.unit_id.in_(kept))
    rows = session.execute(
        select(Unit, AnttRecord).join(AnttRecord, AnttRecord.unit_id == Unit.id)
        .where(AnttRecord.ward_id == decision.ward_id, AnttRecord.year == decision.year, condition)
    ).all()
    return sorted(rows, key=lambda pair: (UnitKind(pair[0].kind).rank, pair[0].name_sort, pair[0].id))


def _listed(session: Session, decision: Decision) -> list[tuple[int, doc.ListedUnit]]:
    """(unit id, line of the list): frozen for an issued decision, as it would be for a draft."""
    if decision.status == "issued":
        frozen = session.scalars(select(DecisionUnit).where(DecisionUnit.decision_id == decision.id)
                                 .order_by(DecisionUnit.position))
        return [(row.unit_id, doc.ListedUnit(row.name, UnitKind(row.kind).label, row.address)) for row in frozen]
    return [(unit.id, doc.ListedUnit(unit.name, UnitKind(unit.kind).label, unit.address))
            for unit, _ in _proposed_units(session, decision)]


def decision_view(session: Session, decision_id: int) -> DecisionView:
    return decisions.decision_view(session, KIND, decision_id)


# ---- issuing ------------------------------------------------------------------------------

def issue_decision(session: Session, decision_id: int, actor: str, expected_version: int | None = None) -> None:
    """Lock the decision: freeze its list, mark results, and move the number series on."""
    decisions.issue(session, KIND, decision_id, actor, expected_version)


def _freeze(session: Session, decision: Decision, actor: str) -> None:
    """The list as proposed becomes the decision's; every assessed unit gets its final result."""
    listed = _proposed_units(session, decision)
    if not listed:
        raise UserError(f"Chưa có đơn vị nào được đề nghị công nhận năm {decision.year}.")
    _release_dropped(session, decision, {unit.id for unit, _ in listed}, actor)
    audit.delete_rows(session, DecisionUnit, DecisionUnit.decision_id == decision.id)  # a correction's draft rows
    for position, (unit, record) in enumerate(listed, start=1):
        session.add(DecisionUnit(decision_id=decision.id, unit_id=unit.id, position=position, name=unit.name,
                                 kind=unit.kind, address=unit.address))
        record.stage, record.decision_id = Stage.RECOGNIZED.value, decision.id
        stamp_updated(record, actor)
    _mark_not_recognized(session, decision, actor)


def _release_dropped(session: Session, decision: Decision, listed: set[int], actor: str) -> None:
    """A correction that drops a unit of the old list takes its recognition away."""
    if decision.replaces_id is None:
        return
    for record in session.scalars(select(AnttRecord).where(AnttRecord.decision_id == decision.replaces_id)):
        if record.unit_id not in listed:
            record.stage, record.decision_id = Stage.NOT_RECOGNIZED.value, None
            stamp_updated(record, actor)


def _mark_not_recognized(session: Session, decision: Decision, actor: str) -> None:
    """Units assessed as not meeting the standard get their final result with the decision."""
    failed = session.scalars(select(AnttRecord).where(
        AnttRecord.ward_id == decision.ward_id, AnttRecord.year == decision.year,
        AnttRecord.stage == Stage.ASSESSED.value, AnttRecord.passed.is_(False)))
    for record in failed:
        record.stage = Stage.NOT_RECOGNIZED.value
        stamp_updated(record, actor)


KIND = decisions.DecisionKind(
    RECOGNITION, "quyết định công nhận", default_bases, _listed, _freeze,
    "Chưa có đơn vị nào được đề nghị công nhận năm {year}, nên chưa có gì để in.")


def correct_decision(session: Session, decision_id: int, actor: str) -> int:
    """A draft that will replace an issued decision; its list starts as the old one's."""
    draft = decisions.correction_draft(session, KIND, decision_id, actor)
    for row in session.scalars(select(DecisionUnit).where(DecisionUnit.decision_id == decision_id)):
        session.add(DecisionUnit(decision_id=draft.id, unit_id=row.unit_id, position=row.position,
                                 name=row.name, kind=row.kind, address=row.address))
    session.flush()
    return draft.id


def drop_from_correction(session: Session, decision_id: int, unit_id: int, actor: str) -> None:
    """Leave a unit of the old decision out of its correction (it was recognised by mistake)."""
    decision = decisions.existing(session, decision_id)
    if decision.status == "issued" or decision.replaces_id is None:
        raise UserError("Chỉ bỏ đơn vị khỏi danh sách trong dự thảo quyết định đính chính.")
    row = session.get(DecisionUnit, (decision_id, unit_id))
    if row is None:
        raise UserError("Đơn vị này không thuộc danh sách của quyết định cũ; đơn vị mới được đề nghị thì "
                        "không bỏ ở đây được.")
    session.delete(row)
    stamp_updated(decision, actor)
    session.flush()


# ---- documents ----------------------------------------------------------------------------

def _articles(profile: WardProfile, view: DecisionView) -> tuple[str, ...]:
    first = (f"Công nhận {len(view.units)} đơn vị trên địa bàn {profile.ward_title} đạt tiêu chuẩn {STANDARD_NAME} "
             f"năm {view.year}, gồm: {decisions.kinds_text(view.units)} (có danh sách kèm theo).")
    second = (f"Quyết định này có hiệu lực kể từ ngày ký. Các đơn vị có tên tại Điều 1 được cấp Giấy công nhận "
              f"đạt tiêu chuẩn {STANDARD_NAME} năm {view.year}.{decisions.replacement_sentence(view)}")
    return first, second, decisions.execution_article(profile)


def recognition_document(session: Session, decision_id: int) -> doc.RecognitionDecision:
    decision = decisions.existing(session, decision_id)
    profile = decisions.profile_of(session, decision)
    view = decision_view(session, decision_id)
    return doc.RecognitionDecision(
        issuer=decisions.issuer(profile), number=view.number, symbol=view.symbol, issued_on=view.issued_on,
        year=view.year,
        subject=("Về việc công nhận khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
                 f"{STANDARD_NAME} năm {view.year}"),
        deciding_authority=decisions.deciding_authority(profile, decision.form), bases=view.bases,
        articles=_articles(profile, view), units=view.units, recipients=view.recipients,
        signer=decisions.signer(view),
    )


def certificates(session: Session, decision_id: int) -> list[doc.Certificate]:
    """One Giấy công nhận per unit of the decision's list."""
    decision = decisions.existing(session, decision_id)
    profile = decisions.profile_of(session, decision)
    view = decision_view(session, decision_id)
    issued = vntext.document_date(view.issued_on) if view.issued_on else f"ngày ... tháng ... năm {view.year}"
    reference = (f"(Quyết định số {decisions.cited_number(view.number, view.symbol)} {issued} của "
                 f"{'Chủ tịch ' if decision.form != 'ubnd' else ''}UBND {profile.ward_title})")
    wording = settings.certificate_settings(session, decision.ward_id)
    return [
        doc.Certificate(
            issuer=decisions.issuer(profile), deciding_authority=decisions.deciding_authority(profile, decision.form),
            unit_name=unit.name, achievement=settings.achievement_line(wording.achievement, view.year),
            decision_ref=reference, issued_on=view.issued_on, signer=decisions.signer(view), heading=wording.heading,
        )
        for unit in view.units
    ]


def certificate_layout(session: Session, ward_id: int, blank_form: bool) -> doc.CertificateLayout:
    """Where the certificate's fields go (settings), on plain paper or on pre-printed forms."""
    wording = settings.certificate_settings(session, ward_id)
    return doc.CertificateLayout(blank_form=blank_form, offsets_mm=dict(wording.offsets),
                                 unit_name_size=wording.unit_name_size)


def decision_for_printing(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The year's newest issued decision, else its draft, else a new draft (not kept by a reading session)."""
    return decisions.for_printing(session, KIND, ward_id, year, actor)
