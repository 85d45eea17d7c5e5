"""The chairman's decision recognising the units that met the standard, and their certificates.

A decision is drafted from the ward profile (number from the series, signer, default căn cứ),
edited, then issued: issuing freezes its list and locks it. A correction is a new decision
that names the one it replaces.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from antq_desktop.db.models import AnttRecord, Decision, DecisionUnit, Unit, Ward
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.reports import data as doc
from antq_desktop.services import settings
from antq_desktop.services.profile import (
    WardProfile,
    profile_from_dict,
    require_profile,
)
from antq_desktop.services.tracking import (
    existing_row,
    stamp_created,
    stamp_updated,
)

RECOGNITION = "antt_recognition"


@dataclass(frozen=True)
class DecisionInput:
    number: str
    issued_on: date | None
    signer_authority: str
    signer_title: str
    signer_name: str
    bases: tuple[str, ...]
    recipients: tuple[str, ...]


@dataclass(frozen=True)
class DecisionView(DecisionInput):
    id: int = 0
    year: int = 0
    symbol: str = ""
    issued: bool = False
    replaces: str = ""  # "số 12/QĐ-UBND ngày 18/11/2026" of the decision this one corrects
    units: tuple[doc.ListedUnit, ...] = ()
    unit_ids: tuple[int, ...] = ()  # the units of the list, in its order
    version: int = 0


# ---- defaults from the profile --------------------------------------------------------------

def default_bases(profile: WardProfile, year: int) -> tuple[str, ...]:
    """Căn cứ lines (DOCUMENTS.md §2.2, §4: the 2025 local-government law from 1/7/2025)."""
    law = ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;" if year >= 2025 else
           "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số "
           "điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;")
    lines = [
        law,
        "Căn cứ Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021 của Bộ trưởng Bộ Công an quy định khu dân "
        f"cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn {STANDARD_NAME};",
    ]
    if year >= 2025:
        lines.append("Căn cứ Thông tư số 48/2025/TT-BCA ngày 27 tháng 6 năm 2025 của Bộ trưởng Bộ Công an sửa đổi, "
                     "bổ sung một số điều của Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021;")
    lines.append(f"Xét đề nghị của Trưởng {profile.police_unit_name}.")
    return tuple(lines)


def default_recipients(profile: WardProfile) -> tuple[str, ...]:
    return (
        "- Như Điều 3;",
        f"- Công an {profile.province_title} (để b/c);",
        f"- Đảng ủy, HĐND {profile.ward_title} (để b/c);",
        "- Lưu: VT, CA.",
    )


def _deciding_authority(profile: WardProfile, form: str) -> str:
    body = f"ỦY BAN NHÂN DÂN {profile.ward_title.upper()}"
    return body if form == "ubnd" else f"CHỦ TỊCH {body}"


def _default_signer(profile: WardProfile, form: str) -> tuple[str, str, str]:
    authority = "TM. ỦY BAN NHÂN DÂN" if form == "ubnd" else ""
    return authority, (profile.chairman_title or "Chủ tịch").upper(), profile.chairman_name


def draft_decision(session: Session, ward_id: int, year: int, actor: str, replaces_id: int | None = None) -> int:
    """A new draft for ``year`` (or a correction of ``replaces_id``), filled from the profile."""
    profile = require_profile(session)
    if replaces_id is None and _open_draft(session, ward_id, year) is not None:
        raise UserError(f"Đã có một dự thảo quyết định công nhận năm {year}; hãy mở dự thảo đó.")
    form = settings.get_setting(session, ward_id, "antt.decision_form")
    authority, title, name = _default_signer(profile, form)
    decision = Decision(
        ward_id=ward_id, kind=RECOGNITION, year=year, number=_suggested_number(profile, year),
        symbol=f"QĐ-{profile.ubnd_doc_suffix}", issued_on=None, form=form, signer_authority=authority,
        signer_title=title, signer_name=name, bases=json.dumps(default_bases(profile, year), ensure_ascii=False),
        recipients=json.dumps(default_recipients(profile), ensure_ascii=False), status="draft", replaces_id=replaces_id,
    )
    stamp_created(decision, actor)
    session.add(decision)
    session.flush()
    return decision.id


def _suggested_number(profile: WardProfile, year: int) -> str:
    if profile.doc_number_year not in (None, year):
        return "1"  # the series restarts every 1 January (ND30)
    return str(profile.next_ubnd_doc_number)


def _open_draft(session: Session, ward_id: int, year: int) -> int | None:
    return session.scalar(select(Decision.id).where(
        Decision.ward_id == ward_id, Decision.year == year, Decision.kind == RECOGNITION, Decision.status == "draft"))


def year_decisions(session: Session, ward_id: int, year: int) -> list[DecisionView]:
    ids = session.scalars(select(Decision.id).where(
        Decision.ward_id == ward_id, Decision.year == year, Decision.kind == RECOGNITION).order_by(Decision.id))
    return [decision_view(session, decision_id) for decision_id in ids]


# ---- reading and editing ------------------------------------------------------------------

def _decision(session: Session, decision_id: int, expected_version: int | None = None) -> Decision:
    return existing_row(session, Decision, decision_id, "Không tìm thấy quyết định này.", expected_version)


def _cited_number(number: str, symbol: str) -> str:
    """"05/QĐ-UBND" as the decision prints it, or ".../QĐ-UBND" while it has no number."""
    return f"{vntext.document_number(number)}/{symbol}" if number else f".../{symbol}"


def _reference(decision: Decision) -> str:
    day = vntext.format_date(decision.issued_on) if decision.issued_on else "..."
    return f"số {_cited_number(decision.number, decision.symbol)} ngày {day}"


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
    decision = _decision(session, decision_id)
    replaced = session.get(Decision, decision.replaces_id) if decision.replaces_id else None
    listed = _listed(session, decision)
    return DecisionView(
        number=decision.number, issued_on=decision.issued_on, signer_authority=decision.signer_authority,
        signer_title=decision.signer_title, signer_name=decision.signer_name,
        bases=tuple(json.loads(decision.bases)), recipients=tuple(json.loads(decision.recipients)),
        id=decision.id, year=decision.year, symbol=decision.symbol, issued=decision.status == "issued",
        replaces=_reference(replaced) if replaced else "", units=tuple(line for _, line in listed),
        unit_ids=tuple(unit_id for unit_id, _ in listed), version=decision.version,
    )


def update_decision(session: Session, decision_id: int, data: DecisionInput, actor: str,
                    expected_version: int | None = None) -> None:
    decision = _decision(session, decision_id, expected_version)
    if decision.status == "issued":
        raise UserError("Quyết định đã ban hành thì không sửa được; hãy lập quyết định đính chính.")
    number = vntext.clean(data.number)
    if number and not (number.isascii() and number.isdecimal()):
        raise UserError(f'Số quyết định "{number}" chỉ gồm chữ số (ví dụ 125); ký hiệu {decision.symbol} được ghi tự động.')
    if data.issued_on is not None and data.issued_on.year != decision.year:
        raise UserError(f"Ngày ban hành {vntext.format_date(data.issued_on)} phải thuộc năm {decision.year}.")
    decision.number = str(int(number)) if number else ""
    decision.issued_on = data.issued_on
    decision.signer_authority = vntext.clean(data.signer_authority).upper()
    decision.signer_title = vntext.clean(data.signer_title).upper()
    decision.signer_name = vntext.clean(data.signer_name)
    decision.bases = json.dumps([vntext.clean(line) for line in data.bases if vntext.clean(line)], ensure_ascii=False)
    decision.recipients = json.dumps([vntext.clean(line) for line in data.recipients if vntext.clean(line)],
                                     ensure_ascii=False)
    stamp_updated(decision, actor)
    session.flush()


def delete_draft(session: Session, decision_id: int) -> None:
    decision = _decision(session, decision_id)
    if decision.status == "issued":
        raise UserError("Quyết định đã ban hành thì không xoá được.")
    session.delete(decision)
    session.flush()


# ---- issuing ------------------------------------------------------------------------------

def issue_decision(session: Session, decision_id: int, actor: str, expected_version: int | None = None) -> None:
    """Lock the decision: freeze its list, mark results, and move the number series on."""
    decision = _decision(session, decision_id, expected_version)
    if decision.status == "issued":
        raise UserError("Quyết định này đã được ban hành.")
    missing = [label for label, value in (("số quyết định", decision.number), ("ngày ban hành", decision.issued_on),
                                          ("họ tên người ký", decision.signer_name)) if not value]
    if missing:
        raise UserError(f"Chưa ban hành được: còn thiếu {', '.join(missing)}.")
    listed = _proposed_units(session, decision)
    if not listed:
        raise UserError(f"Chưa có đơn vị nào được đề nghị công nhận năm {decision.year}.")
    _check_number_free(session, decision)
    _release_dropped(session, decision, {unit.id for unit, _ in listed}, actor)
    session.execute(delete(DecisionUnit).where(DecisionUnit.decision_id == decision.id))  # a correction's draft rows
    for position, (unit, record) in enumerate(listed, start=1):
        session.add(DecisionUnit(decision_id=decision.id, unit_id=unit.id, position=position, name=unit.name,
                                 kind=unit.kind, address=unit.address))
        record.stage, record.decision_id = Stage.RECOGNIZED.value, decision.id
        stamp_updated(record, actor)
    _mark_not_recognized(session, decision, actor)
    _advance_series(session, decision, actor)
    decision.profile_snapshot = json.dumps(require_profile(session).as_dict(), ensure_ascii=False)
    decision.status = "issued"
    stamp_updated(decision, actor)
    session.flush()


def _release_dropped(session: Session, decision: Decision, listed: set[int], actor: str) -> None:
    """A correction that drops a unit of the old list takes its recognition away."""
    if decision.replaces_id is None:
        return
    for record in session.scalars(select(AnttRecord).where(AnttRecord.decision_id == decision.replaces_id)):
        if record.unit_id not in listed:
            record.stage, record.decision_id = Stage.NOT_RECOGNIZED.value, None
            stamp_updated(record, actor)


def _check_number_free(session: Session, decision: Decision) -> None:
    taken = session.scalar(select(Decision.id).where(
        Decision.ward_id == decision.ward_id, Decision.status == "issued", Decision.number == decision.number,
        Decision.symbol == decision.symbol, Decision.year == decision.year, Decision.id != decision.id))
    if taken:
        raise UserError(f"Số {decision.number}/{decision.symbol} năm {decision.year} đã được dùng cho một quyết định khác.")


def _mark_not_recognized(session: Session, decision: Decision, actor: str) -> None:
    """Units assessed as not meeting the standard get their final result with the decision."""
    failed = session.scalars(select(AnttRecord).where(
        AnttRecord.ward_id == decision.ward_id, AnttRecord.year == decision.year,
        AnttRecord.stage == Stage.ASSESSED.value, AnttRecord.passed.is_(False)))
    for record in failed:
        record.stage = Stage.NOT_RECOGNIZED.value
        stamp_updated(record, actor)


def _advance_series(session: Session, decision: Decision, actor: str) -> None:
    ward = session.get(Ward, decision.ward_id)
    if ward.doc_number_year is not None and decision.year < ward.doc_number_year:
        return  # a late decision of an earlier year leaves this year's series alone
    if ward.doc_number_year != decision.year:
        ward.doc_number_year, ward.next_ubnd_doc_number = decision.year, 1
    ward.next_ubnd_doc_number = max(ward.next_ubnd_doc_number, int(decision.number) + 1)
    stamp_updated(ward, actor)


def correct_decision(session: Session, decision_id: int, actor: str) -> int:
    """A draft that will replace an issued decision; its list starts as the old one's."""
    old = _decision(session, decision_id)
    if old.status != "issued":
        raise UserError("Chỉ lập quyết định đính chính cho một quyết định đã ban hành.")
    draft_id = draft_decision(session, old.ward_id, old.year, actor, replaces_id=old.id)
    for row in session.scalars(select(DecisionUnit).where(DecisionUnit.decision_id == old.id)):
        session.add(DecisionUnit(decision_id=draft_id, unit_id=row.unit_id, position=row.position,
                                 name=row.name, kind=row.kind, address=row.address))
    session.flush()
    return draft_id


def drop_from_correction(session: Session, decision_id: int, unit_id: int, actor: str) -> None:
    """Leave a unit of the old decision out of its correction (it was recognised by mistake)."""
    decision = _decision(session, decision_id)
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

def _issuer(profile: WardProfile) -> doc.Issuer:
    return doc.Issuer(parent=None, name=f"ỦY BAN NHÂN DÂN\n{profile.ward_title.upper()}", place=profile.place_name)


def _articles(profile: WardProfile, view: DecisionView) -> tuple[str, ...]:
    counts = Counter(unit.kind_label for unit in view.units)
    parts = ", ".join(f"{counts[kind.label]} {kind.label.lower()}" for kind in UnitKind if counts[kind.label])
    first = (f"Công nhận {len(view.units)} đơn vị trên địa bàn {profile.ward_title} đạt tiêu chuẩn {STANDARD_NAME} "
             f"năm {view.year}, gồm: {parts} (có danh sách kèm theo).")
    second = (f"Quyết định này có hiệu lực kể từ ngày ký. Các đơn vị có tên tại Điều 1 được cấp Giấy công nhận "
              f"đạt tiêu chuẩn {STANDARD_NAME} năm {view.year}.")
    if view.replaces:
        second += f" Quyết định này thay thế Quyết định {view.replaces}."
    third = (f"Văn phòng HĐND và UBND {profile.kind.label}, Trưởng {profile.police_unit_name}, Trưởng các khu dân "
             "cư, thủ trưởng các cơ quan, doanh nghiệp, cơ sở giáo dục có tên tại Điều 1 và các cá nhân có liên quan "
             "chịu trách nhiệm thi hành Quyết định này./.")
    return first, second, third


def _profile_of(session: Session, decision: Decision) -> WardProfile:
    """The names a decision prints with: those of the day it was issued, or today's for a draft."""
    if decision.profile_snapshot:
        return profile_from_dict(json.loads(decision.profile_snapshot))
    return require_profile(session)


def recognition_document(session: Session, decision_id: int) -> doc.RecognitionDecision:
    decision = _decision(session, decision_id)
    profile = _profile_of(session, decision)
    view = decision_view(session, decision_id)
    return doc.RecognitionDecision(
        issuer=_issuer(profile), number=view.number, symbol=view.symbol, issued_on=view.issued_on, year=view.year,
        subject=("Về việc công nhận khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
                 f"{STANDARD_NAME} năm {view.year}"),
        deciding_authority=_deciding_authority(profile, decision.form), bases=view.bases,
        articles=_articles(profile, view), units=view.units, recipients=view.recipients,
        signer=doc.Signer(view.signer_authority or None, view.signer_title, view.signer_name),
    )


def certificates(session: Session, decision_id: int) -> list[doc.Certificate]:
    """One Giấy công nhận per unit of the decision's list."""
    decision = _decision(session, decision_id)
    profile = _profile_of(session, decision)
    view = decision_view(session, decision_id)
    issued = vntext.document_date(view.issued_on) if view.issued_on else f"ngày ... tháng ... năm {view.year}"
    reference = (f"(Quyết định số {_cited_number(view.number, view.symbol)} {issued} của "
                 f"{'Chủ tịch ' if decision.form != 'ubnd' else ''}UBND {profile.ward_title})")
    signer = doc.Signer(view.signer_authority or None, view.signer_title, view.signer_name)
    wording = settings.certificate_settings(session, decision.ward_id)
    return [
        doc.Certificate(
            issuer=_issuer(profile), deciding_authority=_deciding_authority(profile, decision.form),
            unit_name=unit.name, achievement=settings.achievement_line(wording.achievement, view.year),
            decision_ref=reference, issued_on=view.issued_on, signer=signer, heading=wording.heading,
        )
        for unit in view.units
    ]


def certificate_layout(session: Session, ward_id: int, blank_form: bool) -> doc.CertificateLayout:
    """Where the certificate's fields go (settings), on plain paper or on pre-printed forms."""
    wording = settings.certificate_settings(session, ward_id)
    return doc.CertificateLayout(blank_form=blank_form, offsets_mm=dict(wording.offsets),
                                 unit_name_size=wording.unit_name_size)


def decision_for_printing(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The year's newest issued decision, else its draft, else a new draft (the caller decides
    whether to keep it: the CLI prints from a session it throws away)."""
    decisions = year_decisions(session, ward_id, year)
    issued = [view for view in decisions if view.issued]
    chosen = issued[-1] if issued else (decisions[-1] if decisions else None)
    decision_id = chosen.id if chosen else draft_decision(session, ward_id, year, actor)
    if not decision_view(session, decision_id).units:
        raise UserError(f"Chưa có đơn vị nào được đề nghị công nhận năm {year}, nên chưa có gì để in.")
    return decision_id
