"""The chairman's decision classifying the year's movement in each unit (QĐ 510/QĐ-BCA-V05).

The decision's life (draft from the profile, edit, issue, correct) is the shared one of
:mod:`decisions`. Its list is every unit scored that year with its final score and decided
level, by level (highest first), then kind, then name. While a draft, the list follows the
scores; issuing freezes it (score and level per unit), so later edits of the grid do not
change what was signed. A correction re-freezes the scores of its own day.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db import audit
from antq_desktop.db.models import Decision, DecisionUnit, Unit
from antq_desktop.domain import classification as rules
from antq_desktop.domain import vntext
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.reports import data as doc
from antq_desktop.services import classification, decisions
from antq_desktop.services.decisions import DecisionView
from antq_desktop.services.profile import WardProfile

CLASSIFICATION = decisions.CLASSIFICATION
MOVEMENT = "phong trào toàn dân bảo vệ an ninh Tổ quốc"
KINDS_TEXT = "khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục"


def default_bases(profile: WardProfile, year: int) -> tuple[str, ...]:
    """Căn cứ lines (DOCUMENTS.md §2.3); the province's own rule, if any, is added by the officer."""
    return (
        decisions.local_government_law(year),
        "Căn cứ Quyết định số 510/QĐ-BCA-V05 ngày 20 tháng 01 năm 2022 của Bộ trưởng Bộ Công an ban hành Quy định "
        f"tiêu chí đánh giá, phân loại {MOVEMENT};",
        f"Căn cứ kết quả họp xét, đánh giá, phân loại {MOVEMENT} năm {year} trên địa bàn {profile.ward_title};",
        decisions.proposal_basis(profile),
    )


def draft_decision(session: Session, ward_id: int, year: int, actor: str, replaces_id: int | None = None) -> int:
    """A new draft for ``year`` (one open draft a year), filled from the profile."""
    return decisions.draft(session, KIND, ward_id, year, actor, replaces_id)


def year_decisions(session: Session, ward_id: int, year: int) -> list[DecisionView]:
    return decisions.year_decisions(session, KIND, ward_id, year)


# ---- the list -----------------------------------------------------------------------------

def ordered_results(session: Session, ward_id: int, year: int) -> list[classification.UnitResult]:
    """Every scored unit of the year, by decided level (highest first), then kind, then name."""
    rank = {level.code: number for number, level in enumerate(_levels(session, ward_id, year))}
    return sorted(classification.year_results(session, ward_id, year),
                  key=lambda r: (rank[r.level.code], r.kind.rank, vntext.sort_key(r.name), r.unit_id))


def _levels(session: Session, ward_id: int, year: int) -> tuple[rules.Level, ...]:
    return classification.year_sheet_set(session, ward_id, year).levels


def _live(session: Session, decision: Decision) -> list[tuple[classification.UnitResult, str]]:
    """(result, address) of every unit the draft would classify, in the list's order."""
    results = ordered_results(session, decision.ward_id, decision.year)
    addresses = dict(session.execute(select(Unit.id, Unit.address).where(
        Unit.id.in_([result.unit_id for result in results]))).all())
    return [(result, addresses.get(result.unit_id, "")) for result in results]


def _listed(session: Session, decision: Decision) -> list[tuple[int, doc.ClassifiedUnit]]:
    """(unit id, line of the list): frozen for an issued decision, as it would be for a draft."""
    if decision.status == "issued":
        levels = {level.code: level.label for level in _levels(session, decision.ward_id, decision.year)}
        frozen = session.scalars(select(DecisionUnit).where(DecisionUnit.decision_id == decision.id)
                                 .order_by(DecisionUnit.position))
        return [(row.unit_id, doc.ClassifiedUnit(row.name, UnitKind(row.kind).label, row.address,
                                                 score=classification.from_cents(row.score_cents),
                                                 level=levels[row.level]))
                for row in frozen]
    return [(result.unit_id, doc.ClassifiedUnit(result.name, result.kind.label, address, score=result.total,
                                                level=result.level.label))
            for result, address in _live(session, decision)]


def decision_view(session: Session, decision_id: int) -> DecisionView:
    return decisions.decision_view(session, KIND, decision_id)


# ---- issuing ------------------------------------------------------------------------------

def issue_decision(session: Session, decision_id: int, actor: str, expected_version: int | None = None) -> None:
    """Lock the decision: freeze every unit's score and level, and move the number series on."""
    decisions.issue(session, KIND, decision_id, actor, expected_version)


def _freeze(session: Session, decision: Decision, actor: str) -> None:
    listed = _live(session, decision)
    if not listed:
        raise UserError(f"Chưa có đơn vị nào được chấm điểm phân loại phong trào năm {decision.year}: hãy nhập "
                        "điểm trước khi ban hành quyết định.")
    audit.delete_rows(session, DecisionUnit, DecisionUnit.decision_id == decision.id)
    for position, (result, address) in enumerate(listed, start=1):
        session.add(DecisionUnit(decision_id=decision.id, unit_id=result.unit_id, position=position,
                                 name=result.name, kind=result.kind.value, address=address,
                                 level=result.level.code, score_cents=classification.to_cents(result.total)))


KIND = decisions.DecisionKind(
    CLASSIFICATION, "quyết định phân loại phong trào", default_bases, _listed, _freeze,
    "Chưa có đơn vị nào được chấm điểm phân loại phong trào năm {year}, nên chưa có gì để in.")


def correct_decision(session: Session, decision_id: int, actor: str) -> int:
    """A draft that will replace an issued decision; its list is the year's scores as they are now."""
    return decisions.correction_draft(session, KIND, decision_id, actor).id


# ---- documents ----------------------------------------------------------------------------

def subject(year: int) -> str:
    return f"Về việc phân loại {MOVEMENT} năm {year} đối với {KINDS_TEXT}"


def levels_text(units: tuple[doc.ClassifiedUnit, ...], levels: tuple[str, ...]) -> str:
    """"3 đơn vị xếp loại Xuất sắc, 10 đơn vị xếp loại Khá": the levels the list holds, highest first."""
    counts = {label: sum(unit.level == label for unit in units) for label in levels}
    return ", ".join(f"{count} đơn vị xếp loại {label}" for label, count in counts.items() if count)


def _articles(profile: WardProfile, view: DecisionView, levels: tuple[str, ...]) -> tuple[str, ...]:
    first = (f"Phân loại {MOVEMENT} năm {view.year} đối với {len(view.units)} đơn vị trên địa bàn "
             f"{profile.ward_title} ({decisions.kinds_text(view.units)}), gồm: {levels_text(view.units, levels)} "
             "(có danh sách kèm theo).")
    second = (f"Quyết định này có hiệu lực kể từ ngày ký. Kết quả phân loại tại Điều 1 là căn cứ để đánh giá, "
              f"bình xét thi đua, khen thưởng trong {MOVEMENT} năm {view.year} đối với các đơn vị."
              f"{decisions.replacement_sentence(view)}")
    return first, second, decisions.execution_article(profile)


def classification_document(session: Session, decision_id: int) -> doc.ClassificationDecision:
    decision = decisions.existing(session, decision_id)
    profile = decisions.profile_of(session, decision)
    view = decision_view(session, decision_id)
    levels = tuple(level.label for level in _levels(session, decision.ward_id, decision.year))
    return doc.ClassificationDecision(
        issuer=decisions.issuer(profile), number=view.number, symbol=view.symbol, issued_on=view.issued_on,
        year=view.year, subject=subject(view.year),
        deciding_authority=decisions.deciding_authority(profile, decision.form), bases=view.bases,
        articles=_articles(profile, view, levels), units=view.units, recipients=view.recipients,
        signer=decisions.signer(view),
    )


def decision_for_printing(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The year's newest issued decision, else its draft, else a new draft (not kept by a reading session)."""
    return decisions.for_printing(session, KIND, ward_id, year, actor)
