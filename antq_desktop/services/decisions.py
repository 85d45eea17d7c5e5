"""What every decision of the ward's chairman shares, whatever it decides.

A decision is drafted from the ward profile (the next number of the UBND series, the signer,
default căn cứ), edited while it is a draft, then issued: issuing checks the number is free,
lets the decision's kind freeze its list, moves the number series on and keeps the profile of
the day, so the decision reprints as it was signed. A correction is a new draft that names
the issued decision it replaces.

The kinds add what they decide: :mod:`antt_decision` (recognition "An toàn về ANTT") and
:mod:`classification_decision` (classification of the movement, QĐ 510).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import Decision, Ward
from antq_desktop.domain import vntext
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

# The kinds of decision the ward issues (Decision.kind).
RECOGNITION = "antt_recognition"
CLASSIFICATION = "antq_classification"


@dataclass(frozen=True)
class DecisionKind:
    code: str  # Decision.kind
    name: str  # "quyết định công nhận", as it stands in a message
    default_bases: Callable[[WardProfile, int], tuple[str, ...]]
    # The attached list, (unit id, line) in its order: frozen once issued, live while a draft.
    listed: Callable[[Session, Decision], list[tuple[int, doc.ListedUnit]]]
    # Issuing: write the list's rows (refusing an empty list) and whatever else the kind decides.
    freeze: Callable[[Session, Decision, str], None]
    nothing_listed: str  # why a year has nothing to print yet, with {year}


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
    units: tuple[doc.ListedUnit, ...] = ()  # the attached list, in its order
    unit_ids: tuple[int, ...] = ()  # the units of the list, in its order
    version: int = 0


# ---- wording every decision shares ------------------------------------------------------------

def local_government_law(year: int) -> str:
    """The first căn cứ: the 2025 local-government law from 1/7/2025 (DOCUMENTS.md §4)."""
    if year >= 2025:
        return "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    return ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015; Luật sửa đổi, bổ sung một số "
            "điều của Luật Tổ chức Chính phủ và Luật Tổ chức chính quyền địa phương ngày 22 tháng 11 năm 2019;")


def proposal_basis(profile: WardProfile) -> str:
    """The last căn cứ: whose proposal the chairman decides on."""
    return f"Xét đề nghị của Trưởng {profile.police_unit_name}."


def default_recipients(profile: WardProfile) -> tuple[str, ...]:
    return (
        "- Như Điều 3;",
        f"- Công an {profile.province_title} (để b/c);",
        f"- Đảng ủy, HĐND {profile.ward_title} (để b/c);",
        "- Lưu: VT, CA.",
    )


def kinds_text(units: Iterable[doc.ListedUnit]) -> str:
    """"2 khu dân cư, 1 cơ sở giáo dục": the kinds the list holds, in the usual order."""
    counts = Counter(unit.kind_label for unit in units)
    return ", ".join(f"{counts[kind.label]} {kind.label.lower()}" for kind in UnitKind if counts[kind.label])


def replacement_sentence(view: DecisionView) -> str:
    """" Quyết định này thay thế Quyết định số …" for a correction, "" otherwise."""
    return f" Quyết định này thay thế Quyết định {view.replaces}." if view.replaces else ""


def execution_article(profile: WardProfile) -> str:
    """The last article: who carries the decision out."""
    return (f"Văn phòng HĐND và UBND {profile.kind.label}, Trưởng {profile.police_unit_name}, Trưởng các khu dân "
            "cư, thủ trưởng các cơ quan, doanh nghiệp, cơ sở giáo dục có tên tại Điều 1 và các cá nhân có liên quan "
            "chịu trách nhiệm thi hành Quyết định này./.")


def deciding_authority(profile: WardProfile, form: str) -> str:
    """"CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG …", or the committee itself when it decides as a body."""
    body = f"ỦY BAN NHÂN DÂN {profile.ward_title.upper()}"
    return body if form == "ubnd" else f"CHỦ TỊCH {body}"


def _default_signer(profile: WardProfile, form: str) -> tuple[str, str, str]:
    authority = "TM. ỦY BAN NHÂN DÂN" if form == "ubnd" else ""
    return authority, (profile.chairman_title or "Chủ tịch").upper(), profile.chairman_name


def issuer(profile: WardProfile) -> doc.Issuer:
    return doc.Issuer(parent=None, name=f"ỦY BAN NHÂN DÂN\n{profile.ward_title.upper()}", place=profile.place_name)


def signer(view: DecisionView) -> doc.Signer:
    return doc.Signer(view.signer_authority or None, view.signer_title, view.signer_name)


def cited_number(number: str, symbol: str) -> str:
    """"05/QĐ-UBND" as the decision prints it, or ".../QĐ-UBND" while it has no number."""
    return f"{vntext.document_number(number)}/{symbol}" if number else f".../{symbol}"


def reference(decision: Decision) -> str:
    """"số 05/QĐ-UBND ngày 18/11/2026", to cite the decision."""
    day = vntext.format_date(decision.issued_on) if decision.issued_on else "..."
    return f"số {cited_number(decision.number, decision.symbol)} ngày {day}"


def profile_of(session: Session, decision: Decision) -> WardProfile:
    """The names a decision prints with: those of the day it was issued, or today's for a draft."""
    if decision.profile_snapshot:
        return profile_from_dict(json.loads(decision.profile_snapshot))
    return require_profile(session)


# ---- drafting and reading ---------------------------------------------------------------------

def existing(session: Session, decision_id: int, expected_version: int | None = None) -> Decision:
    return existing_row(session, Decision, decision_id, "Không tìm thấy quyết định này.", expected_version)


def kind_of(session: Session, decision_id: int) -> str:
    """The decision's kind code (what a window opened on a decision needs first)."""
    return existing(session, decision_id).kind


def draft(session: Session, kind: DecisionKind, ward_id: int, year: int, actor: str,
          replaces_id: int | None = None) -> int:
    """A new draft of ``kind`` for ``year`` (or a correction of ``replaces_id``), filled from the profile."""
    profile = require_profile(session)
    if replaces_id is None and _open_draft(session, kind.code, ward_id, year) is not None:
        raise UserError(f"Đã có một dự thảo {kind.name} năm {year}; hãy mở dự thảo đó.")
    form = settings.get_setting(session, ward_id, "antt.decision_form")
    authority, title, name = _default_signer(profile, form)
    decision = Decision(
        ward_id=ward_id, kind=kind.code, year=year, number=_suggested_number(profile, year),
        symbol=f"QĐ-{profile.ubnd_doc_suffix}", issued_on=None, form=form, signer_authority=authority,
        signer_title=title, signer_name=name,
        bases=json.dumps(kind.default_bases(profile, year), ensure_ascii=False),
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


def _open_draft(session: Session, kind_code: str, ward_id: int, year: int) -> int | None:
    return session.scalar(select(Decision.id).where(
        Decision.ward_id == ward_id, Decision.year == year, Decision.kind == kind_code, Decision.status == "draft"))


def decision_view(session: Session, kind: DecisionKind, decision_id: int) -> DecisionView:
    """The decision as the dialog shows it, with its list."""
    decision = existing(session, decision_id)
    listed = kind.listed(session, decision)
    replaced = session.get(Decision, decision.replaces_id) if decision.replaces_id else None
    return DecisionView(
        number=decision.number, issued_on=decision.issued_on, signer_authority=decision.signer_authority,
        signer_title=decision.signer_title, signer_name=decision.signer_name,
        bases=tuple(json.loads(decision.bases)), recipients=tuple(json.loads(decision.recipients)),
        id=decision.id, year=decision.year, symbol=decision.symbol, issued=decision.status == "issued",
        replaces=reference(replaced) if replaced else "", units=tuple(line for _, line in listed),
        unit_ids=tuple(unit_id for unit_id, _ in listed), version=decision.version,
    )


def year_decisions(session: Session, kind: DecisionKind, ward_id: int, year: int) -> list[DecisionView]:
    """The year's decisions of ``kind``, oldest first."""
    ids = session.scalars(select(Decision.id).where(
        Decision.ward_id == ward_id, Decision.year == year, Decision.kind == kind.code).order_by(Decision.id))
    return [decision_view(session, kind, decision_id) for decision_id in ids]


def for_printing(session: Session, kind: DecisionKind, ward_id: int, year: int, actor: str) -> int:
    """The year's newest issued decision of ``kind``, else its newest draft, else a new draft
    (the caller decides whether to keep it: the CLI prints from a session it throws away)."""
    found = year_decisions(session, kind, ward_id, year)
    issued = [decision for decision in found if decision.issued]
    chosen = issued[-1] if issued else (found[-1] if found else None)
    decision_id = chosen.id if chosen else draft(session, kind, ward_id, year, actor)
    if not kind.listed(session, existing(session, decision_id)):
        raise UserError(kind.nothing_listed.format(year=year))
    return decision_id


# ---- editing ----------------------------------------------------------------------------------

def update_decision(session: Session, decision_id: int, data: DecisionInput, actor: str,
                    expected_version: int | None = None) -> None:
    decision = existing(session, decision_id, expected_version)
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
    decision = existing(session, decision_id)
    if decision.status == "issued":
        raise UserError("Quyết định đã ban hành thì không xoá được.")
    session.delete(decision)
    session.flush()


# ---- issuing and correcting -------------------------------------------------------------------

def issue(session: Session, kind: DecisionKind, decision_id: int, actor: str,
          expected_version: int | None = None) -> None:
    """Lock the decision: the kind freezes its list (and refuses an empty one), then the
    number series moves on and the profile of the day is kept with it."""
    decision = existing(session, decision_id, expected_version)
    if decision.status == "issued":
        raise UserError("Quyết định này đã được ban hành.")
    missing = [label for label, value in (("số quyết định", decision.number), ("ngày ban hành", decision.issued_on),
                                          ("họ tên người ký", decision.signer_name)) if not value]
    if missing:
        raise UserError(f"Chưa ban hành được: còn thiếu {', '.join(missing)}.")
    _check_number_free(session, decision)
    kind.freeze(session, decision, actor)
    _advance_series(session, decision, actor)
    decision.profile_snapshot = json.dumps(require_profile(session).as_dict(), ensure_ascii=False)
    decision.status = "issued"
    stamp_updated(decision, actor)
    session.flush()


def _check_number_free(session: Session, decision: Decision) -> None:
    """Every decision of the ward shares the UBND series, whatever it decides."""
    taken = session.scalar(select(Decision.id).where(
        Decision.ward_id == decision.ward_id, Decision.status == "issued", Decision.number == decision.number,
        Decision.symbol == decision.symbol, Decision.year == decision.year, Decision.id != decision.id))
    if taken:
        raise UserError(f"Số {decision.number}/{decision.symbol} năm {decision.year} đã được dùng cho một quyết định khác.")


def _advance_series(session: Session, decision: Decision, actor: str) -> None:
    ward = session.get(Ward, decision.ward_id)
    if ward.doc_number_year is not None and decision.year < ward.doc_number_year:
        return  # a late decision of an earlier year leaves this year's series alone
    if ward.doc_number_year != decision.year:
        ward.doc_number_year, ward.next_ubnd_doc_number = decision.year, 1
    ward.next_ubnd_doc_number = max(ward.next_ubnd_doc_number, int(decision.number) + 1)
    stamp_updated(ward, actor)


def correction_draft(session: Session, kind: DecisionKind, decision_id: int, actor: str) -> Decision:
    """A new draft that will replace the issued decision ``decision_id``."""
    old = existing(session, decision_id)
    if old.status != "issued":
        raise UserError("Chỉ lập quyết định đính chính cho một quyết định đã ban hành.")
    return existing(session, draft(session, kind, old.ward_id, old.year, actor, replaces_id=old.id))
