"""The classification dossier (QĐ 510/QĐ-BCA-V05 Art. 11.2), as plain data read from the database.

* :func:`classification_proposal`: the ward police's Tờ trình proposing the year's classification,
  with the count of units at each level per kind;
* :func:`score_list`: the Thống kê danh sách chấm điểm, mức đề xuất đánh giá, phân loại: every
  scored unit with its own and the ward's score, the proposed and the decided level.

The decision itself is :mod:`classification_decision`. Nothing here draws.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from antq_desktop.domain import vntext
from antq_desktop.errors import UserError
from antq_desktop.reports import data as doc
from antq_desktop.services import classification
from antq_desktop.services.antt import check_year
from antq_desktop.services.antt_documents import (
    _deciding_addressee,
    police_issuer,
    police_signer,
)
from antq_desktop.services.classification_decision import MOVEMENT, default_bases
from antq_desktop.services.profile import require_profile


def _nothing_scored(year: int, paper: str) -> UserError:
    return UserError(f"Chưa có đơn vị nào được chấm điểm phân loại phong trào năm {year}, nên chưa lập được {paper}.")


# ---- Tờ trình đề nghị phân loại -----------------------------------------------------------------

def _tally(label: str, figures: classification.LevelFigures) -> doc.LevelTally:
    return doc.LevelTally(label, figures.eligible, figures.units, tuple(figures.by_level.values()))


def classification_proposal(session: Session, ward_id: int, year: int, *,
                            issued_on: date | None = None) -> doc.ClassificationProposal:
    """The ward police's Tờ trình for ``year``; ``issued_on`` None leaves the date to the văn thư."""
    check_year(year)
    profile = require_profile(session)
    stats = classification.classification_stats(session, ward_id, year)
    if not stats.total.units:
        raise _nothing_scored(year, "tờ trình")
    bases = [line for line in default_bases(profile, year) if "510/QĐ-BCA-V05" in line]
    bases.append(f"Căn cứ kết quả tự chấm điểm của các đơn vị và kết quả chấm điểm, thẩm định của "
                 f"{profile.police_unit_name} đối với {MOVEMENT} năm {year}.")
    suffix = vntext.clean(profile.police_doc_suffix)
    kha = next(rank for rank, level in enumerate(stats.levels) if level.code == "kha")  # "Khá trở lên"
    by_kind = tuple(_tally(kind.label, figures) for kind, figures in stats.by_kind.items() if figures.eligible)
    return doc.ClassificationProposal(
        issuer=police_issuer(profile), number="", symbol=f"TTr-{suffix}" if suffix else "TTr", issued_on=issued_on,
        year=year, proposer=profile.police_unit_name, addressee=_deciding_addressee(session, profile),
        ward_title=profile.ward_title, bases=tuple(bases), levels=tuple(level.label for level in stats.levels),
        by_kind=by_kind, total=_tally("Tổng cộng", stats.total), share_label=stats.levels[kha].label,
        share_count=sum(tuple(stats.total.by_level.values())[:kha + 1]), signer=police_signer(profile),
        recipients=("- Như trên;", "- Lưu: VT."),
    )


# ---- Thống kê danh sách chấm điểm ---------------------------------------------------------------

def _note(result: classification.UnitResult) -> str:
    """Why the level is not simply the one the score earns: the cap rules, the officer's reason."""
    parts = []
    rules = result.proposal.applied_rules
    if rules:
        parts.append("Hạ mức: " + "; ".join(rule.text.rstrip(". ") for rule in rules))
    if result.level.code != result.proposal.level.code:
        reason = result.override_reason.strip().rstrip(".")
        parts.append(f"Xếp loại khác mức đề xuất: {reason}" if reason else "Xếp loại khác mức đề xuất")
    return ". ".join(parts) + ("." if parts else "")


def score_list(session: Session, ward_id: int, year: int, *, today: date | None = None) -> doc.ScoreList:
    """Every scored unit of ``year``, by kind then name, dated ``today``."""
    check_year(year)
    profile = require_profile(session)
    results = classification.year_results(session, ward_id, year)
    if not results:
        raise _nothing_scored(year, "thống kê danh sách chấm điểm")
    stats = classification.classification_stats(session, ward_id, year)
    units = tuple(
        doc.ScoredUnit(result.name, result.kind.label, result.self_total, result.total,
                       result.proposal.level.label, result.level.label, _note(result))
        for result in sorted(results, key=lambda result: result.kind.rank)  # stable: the grid's name order kept
    )
    return doc.ScoreList(
        issuer=police_issuer(profile), issued_on=today or date.today(), year=year, units=units,
        unscored=stats.total.eligible - stats.total.units, signer=police_signer(profile),
        recipients=(f"- Chủ tịch UBND {profile.ward_title} (để b/c);", "- Lưu: VT."),
    )
