"""Awards (khen thưởng) of the movement: to a unit, a model or a person, the candidates of a year, the list.

An award goes to a **unit** of the register (``person_name`` empty, no model), to a **model**
(``model_id``; ``unit_id`` is its host unit, the first in Vietnamese order unless another is
chosen, or none when the model has no host) or to a **person** (``person_name``,
``person_title``, optionally the person's unit and core-force member). A model's award is known
by its ``model_id`` alone: renaming the model or retyping the reason does not lose it.

**Candidates** of a year are drawn from its results: every unit recognised "An toàn về ANTT"
*and* classified at the top level of the movement (Xuất sắc) that year, and every model graded at
the top level of "models.levels". A candidate already awarded that year is left out: a unit with
an award of its own (not a person's, not a model's), a model with an award of its own.

A decision number and date are optional (a proposal has none yet); the printed list is titled
"Danh sách đề nghị khen thưởng" until every award of the year has its decision.

Version checks: ``expected_version`` is the version the user saw; ``None`` skips the check.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import (
    Award,
    ForceMember,
    SecurityModel,
    SecurityModelUnit,
    Unit,
)
from antq_desktop.domain import vntext
from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.domain.models_movement import AwardForm
from antq_desktop.errors import UserError
from antq_desktop.reports import award_list as report
from antq_desktop.services import classification
from antq_desktop.services.antt import check_year, year_overview
from antq_desktop.services.profile import WardProfile, require_profile
from antq_desktop.services.security_models import ModelRow, model_levels, year_models
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

NAME_MAX, TITLE_MAX, FORM_TEXT_MAX, LEVEL_MAX, NUMBER_MAX = 100, 200, 200, 200, 50
MODEL_PREFIX = "Mô hình \u201c"  # how a model is named in the list and in a reason; never matched on
_NOT_FOUND = "Không tìm thấy khen thưởng này; có thể người khác vừa xoá. Hãy tải lại danh sách."


@dataclass(frozen=True)
class AwardInput:
    form: AwardForm
    level: str
    reason: str
    unit_id: int | None = None
    person_name: str = ""  # empty: the unit is awarded
    person_title: str = ""
    member_id: int | None = None
    form_text: str = ""
    decision_number: str = ""
    decision_date: date | None = None
    model_id: int | None = None  # the model awarded (``unit_id`` is then its host unit, if any)

    @property
    def to_person(self) -> bool:
        return bool(vntext.clean(self.person_name))


@dataclass(frozen=True)
class AwardRow(AwardInput):
    id: int = 0
    year: int = 0
    unit_name: str = ""
    model_name: str = ""
    version: int = 0

    @property
    def recipient(self) -> str:
        """The unit's name; the model's, with its host unit; or the person's name and title (and unit
        when the title does not name it)."""
        if self.model_id is not None and not self.to_person:
            return model_shown(self.model_name, self.unit_name)
        if not self.to_person:
            return self.unit_name
        parts = [self.person_name, self.person_title]
        if self.unit_name and vntext.search_key(self.unit_name) not in vntext.search_key(self.person_title):
            parts.append(self.unit_name)
        return ", ".join(part for part in parts if part)

    @property
    def form_shown(self) -> str:
        return self.form.shown(self.form_text)

    @property
    def decision(self) -> str:
        """"125/QĐ-UBND ngày 18/11/2025", or what of it is known."""
        number = self.decision_number
        when = f"ngày {vntext.format_date(self.decision_date)}" if self.decision_date else ""
        return " ".join(part for part in (number, when) if part)

    def as_input(self) -> AwardInput:
        return AwardInput(self.form, self.level, self.reason, self.unit_id, self.person_name, self.person_title,
                          self.member_id, self.form_text, self.decision_number, self.decision_date, self.model_id)


def model_shown(name: str, host: str) -> str:
    """"Mô hình “Camera an ninh” (Tổ dân phố 5)", or without the brackets when no host is known."""
    return f"{MODEL_PREFIX}{name}\u201d" + (f" ({host})" if host else "")


@dataclass(frozen=True)
class Candidate:
    """A unit or a model the year's results propose for an award, with the reason prefilled."""

    key: str  # "unit:12" or "model:3"
    name: str
    unit_id: int | None
    reason: str
    model_id: int | None = None


# ---- reading -------------------------------------------------------------------------------------

def year_awards(session: Session, ward_id: int, year: int) -> list[AwardRow]:
    """The year's awards: units first, then people, each in Vietnamese order."""
    check_year(year)
    statement = (select(Award, Unit.name, SecurityModel.name).outerjoin(Unit, Unit.id == Award.unit_id)
                 .outerjoin(SecurityModel, SecurityModel.id == Award.model_id)
                 .where(Award.ward_id == ward_id, Award.year == year))
    rows = [_row(award, unit_name, model_name) for award, unit_name, model_name in session.execute(statement)]
    return sorted(rows, key=_order)


def _order(row: AwardRow):
    name = vntext.person_name_key(row.person_name) if row.to_person else vntext.sort_key(row.recipient)
    return row.to_person, name, row.id


def get_award(session: Session, award_id: int) -> AwardRow:
    award = existing_row(session, Award, award_id, _NOT_FOUND)
    unit = session.get(Unit, award.unit_id) if award.unit_id else None
    model = session.get(SecurityModel, award.model_id) if award.model_id else None
    return _row(award, unit.name if unit else "", model.name if model else "")


def _row(award: Award, unit_name: str | None, model_name: str | None = None) -> AwardRow:
    return AwardRow(
        form=AwardForm(award.form), level=award.level, reason=award.reason, unit_id=award.unit_id,
        person_name=award.person_name, person_title=award.person_title, member_id=award.member_id,
        form_text=award.form_text, decision_number=award.decision_number, decision_date=award.decision_date,
        model_id=award.model_id, id=award.id, year=award.year, unit_name=unit_name or "",
        model_name=model_name or "", version=award.version,
    )


def level_suggestions(session: Session, ward_id: int) -> list[str]:
    """Who usually awards, for this ward, then every level typed before."""
    profile = require_profile(session)
    usual = [f"Chủ tịch UBND {profile.ward_title}", f"Trưởng Công an {profile.ward_title}",
             f"Giám đốc Công an {profile.province_title}", f"Chủ tịch UBND {profile.province_title}",
             "Bộ trưởng Bộ Công an"]
    typed = session.scalars(select(Award.level).where(Award.ward_id == ward_id).distinct())
    return list(dict.fromkeys([*usual, *sorted((level for level in typed if level), key=vntext.sort_key)]))


# ---- adding, correcting, removing ----------------------------------------------------------------

def _text(value: str, limit: int, label: str) -> str:
    value = vntext.clean(value)
    if len(value) > limit:
        raise UserError(f"{label} dài quá {limit} ký tự.")
    return value


def _check_decision_date(decided: date | None, year: int) -> None:
    if decided is None:
        return
    first, last = date(year, 1, 1), date(year + 1, 12, 31)
    if not first <= decided <= last:
        raise UserError(f"Ngày quyết định {vntext.format_date(decided)} không hợp lệ: khen thưởng năm {year} "
                        f"có quyết định từ {vntext.format_date(first)} đến {vntext.format_date(last)}.")
    if decided > date.today():
        raise UserError(f"Ngày quyết định {vntext.format_date(decided)} chưa đến. Nếu chưa có quyết định, "
                        "hãy để trống số và ngày quyết định.")


def _clean(session: Session, ward_id: int, year: int, data: AwardInput) -> dict:
    values = {
        "form": AwardForm(data.form).value, "form_text": _text(data.form_text, FORM_TEXT_MAX, "Tên hình thức"),
        "level": _text(data.level, LEVEL_MAX, "Cấp khen"), "reason": vntext.clean_paragraphs(data.reason),
        "decision_number": _text(data.decision_number, NUMBER_MAX, "Số quyết định"),
        "decision_date": data.decision_date, "unit_id": data.unit_id, "member_id": data.member_id,
        "model_id": data.model_id,
        "person_name": _text(data.person_name, NAME_MAX, "Họ tên"),
        "person_title": _text(data.person_title, TITLE_MAX, "Chức vụ"),
    }
    _check_recipient(session, ward_id, values)
    if values["form"] == AwardForm.KHAC.value and not values["form_text"]:
        raise UserError("Hình thức \u201cKhác\u201d: hãy ghi rõ tên hình thức khen thưởng.")
    if not values["level"]:
        raise UserError("Hãy ghi cấp khen (ai khen thưởng), ví dụ \u201cChủ tịch UBND phường\u201d.")
    if not values["reason"]:
        raise UserError("Hãy ghi thành tích được khen thưởng.")
    _check_decision_date(values["decision_date"], year)
    return values


def _check_recipient(session: Session, ward_id: int, values: dict) -> None:
    member = _member(session, ward_id, values["member_id"])
    if member is not None and not values["person_name"]:
        values["person_name"] = member.full_name
    if values["unit_id"] is not None:
        unit = session.get(Unit, values["unit_id"])
        if unit is None or unit.ward_id != ward_id:
            raise UserError("Không tìm thấy đơn vị đã chọn; hãy tải lại danh sách đơn vị.")
    if values["model_id"] is not None:
        _check_model(session, ward_id, values)
    if not values["person_name"]:
        if values["person_title"]:
            raise UserError("Khen thưởng cá nhân: hãy nhập họ tên người được khen thưởng.")
        if values["unit_id"] is None and values["model_id"] is None:
            raise UserError("Hãy chọn đơn vị được khen thưởng, hoặc nhập họ tên cá nhân được khen thưởng.")


def _check_model(session: Session, ward_id: int, values: dict) -> None:
    """A model's award is a collective one; without a unit chosen it names the model's first host."""
    model = session.get(SecurityModel, values["model_id"])
    if model is None or model.ward_id != ward_id:
        raise UserError("Không tìm thấy mô hình đã chọn; hãy tải lại danh sách mô hình.")
    if values["person_name"] or values["person_title"] or values["member_id"] is not None:
        raise UserError(f"Khen thưởng mô hình \u201c{model.name}\u201d là khen thưởng tập thể: hãy bỏ họ tên, "
                        "chức vụ cá nhân, hoặc chọn khen thưởng cá nhân.")
    if values["unit_id"] is None:
        values["unit_id"] = session.scalars(
            select(Unit.id).join(SecurityModelUnit, SecurityModelUnit.unit_id == Unit.id)
            .where(SecurityModelUnit.model_id == model.id).order_by(Unit.name_sort, Unit.id).limit(1)).first()


def _member(session: Session, ward_id: int, member_id: int | None) -> ForceMember | None:
    if member_id is None:
        return None
    member = session.get(ForceMember, member_id)
    if member is None or member.ward_id != ward_id:
        raise UserError("Không tìm thấy thành viên lực lượng đã chọn; hãy tải lại danh sách.")
    return member


def _check_not_duplicate(session: Session, ward_id: int, year: int, values: dict, own_id: int | None = None) -> None:
    """The same recipient, form, level, decision and achievement twice in a year is a double entry."""
    for other in session.scalars(select(Award).where(Award.ward_id == ward_id, Award.year == year)):
        same = (other.id != own_id and other.unit_id == values["unit_id"]
                and other.model_id == values["model_id"] and other.form == values["form"]
                and vntext.search_key(other.person_name) == vntext.search_key(values["person_name"])
                and vntext.search_key(other.level) == vntext.search_key(values["level"])
                and other.decision_number == values["decision_number"]
                and vntext.search_key(other.reason) == vntext.search_key(values["reason"]))
        if same:
            raise UserError(f"Khen thưởng này đã có trong năm {year} (cùng người hoặc đơn vị, hình thức, cấp khen, "
                            "số quyết định và thành tích). Hãy sửa khen thưởng đã có thay vì thêm mới.")


def add_award(session: Session, ward_id: int, year: int, data: AwardInput, actor: str) -> int:
    check_year(year)
    values = _clean(session, ward_id, year, data)
    _check_not_duplicate(session, ward_id, year, values)
    award = Award(ward_id=ward_id, year=year, **values)
    stamp_created(award, actor)
    session.add(award)
    session.flush()
    return award.id


def update_award(session: Session, award_id: int, data: AwardInput, actor: str,
                 expected_version: int | None = None) -> None:
    award = existing_row(session, Award, award_id, _NOT_FOUND, expected_version)
    values = _clean(session, award.ward_id, award.year, data)
    _check_not_duplicate(session, award.ward_id, award.year, values, award.id)
    for key, value in values.items():
        setattr(award, key, value)
    stamp_updated(award, actor)
    session.flush()


def delete_award(session: Session, award_id: int, expected_version: int | None = None) -> None:
    """Remove an award entered by mistake (nothing refers to an award)."""
    session.delete(existing_row(session, Award, award_id, _NOT_FOUND, expected_version))
    session.flush()


# ---- candidates from the year's results ----------------------------------------------------------

def candidates(session: Session, ward_id: int, year: int) -> list[Candidate]:
    """The units and models the year's results propose, less those already awarded that year."""
    check_year(year)
    awards = session.scalars(select(Award).where(Award.ward_id == ward_id, Award.year == year)).all()
    return [c for c in [*_unit_candidates(session, ward_id, year), *_model_candidates(session, ward_id, year)]
            if not _already_awarded(c, awards)]


def _unit_candidates(session: Session, ward_id: int, year: int) -> list[Candidate]:
    recognized = {row.unit_id for row in year_overview(session, ward_id, year) if row.stage is Stage.RECOGNIZED}
    top = classification.year_sheet_set(session, ward_id, year).levels[0]
    return [Candidate(f"unit:{result.unit_id}", result.name, result.unit_id, unit_reason(top.label, year))
            for result in classification.year_results(session, ward_id, year)
            if result.unit_id in recognized and result.level.code == top.code]


def unit_reason(level_label: str, year: int) -> str:
    return (f"Đạt tiêu chuẩn {STANDARD_NAME} và xếp loại {level_label} phong trào toàn dân "
            f"bảo vệ ANTQ năm {year}")


def _model_candidates(session: Session, ward_id: int, year: int) -> list[Candidate]:
    levels = model_levels(session, ward_id)
    if not levels:
        return []
    return [_model_candidate(row, levels[0].label, year) for row in year_models(session, ward_id, year)
            if row.grade == levels[0].code]


def _model_candidate(row: ModelRow, level_label: str, year: int) -> Candidate:
    host = row.hosts[0] if row.hosts else None
    where = host.name if host else "chưa có đơn vị chủ trì"
    return Candidate(f"model:{row.id}", model_shown(row.name, where), host.unit_id if host else None,
                     model_reason(row.name, level_label, year), row.id)


def model_reason(name: str, level_label: str, year: int) -> str:
    return f"{MODEL_PREFIX}{name}\u201d được xếp loại {level_label} năm {year}"


def _already_awarded(candidate: Candidate, awards) -> bool:
    if candidate.model_id is not None:
        return any(a.model_id == candidate.model_id for a in awards)
    return any(a.unit_id == candidate.unit_id and not a.person_name and a.model_id is None for a in awards)


def add_candidates(session: Session, ward_id: int, year: int, keys: list[str], form: AwardForm, level: str,
                   actor: str, form_text: str = "") -> int:
    """Add an award (no decision yet) for each chosen candidate; returns how many were added."""
    if not keys:
        raise UserError("Chưa chọn đề xuất nào; hãy đánh dấu những đơn vị, mô hình cần khen thưởng.")
    chosen = {c.key: c for c in candidates(session, ward_id, year)}
    missing = [key for key in keys if key not in chosen]
    if missing:
        raise UserError("Danh sách đề xuất vừa thay đổi (có thể người khác đã thêm khen thưởng). Hãy mở lại.")
    for key in keys:
        candidate = chosen[key]
        add_award(session, ward_id, year, AwardInput(form, level, candidate.reason, candidate.unit_id,
                                                     form_text=form_text, model_id=candidate.model_id), actor)
    return len(keys)


# ---- the year's figures and the printed list -------------------------------------------------------

def awards_stats(session: Session, ward_id: int, year: int) -> dict:
    """The year's figures (``antq stats`` shows them under "awards")."""
    rows = year_awards(session, ward_id, year)
    return {
        "year": year,
        "total": len(rows),
        "to_units": sum(not row.to_person for row in rows),
        "to_people": sum(row.to_person for row in rows),
        "by_form": {form.value: sum(row.form is form for row in rows) for form in AwardForm},
        "with_decision": sum(bool(row.decision_number and row.decision_date) for row in rows),
    }


def award_list(session: Session, ward_id: int, year: int, *, today: date | None = None) -> report.AwardList:
    """The year's list as plain data: a proposal until every award has its decision."""
    # Imported here: antt_documents imports services.stats, which imports this module.
    from antq_desktop.services.antt_documents import police_issuer, police_signer

    rows = year_awards(session, ward_id, year)
    profile: WardProfile = require_profile(session)
    listed = tuple(report.ListedAward(row.recipient, row.form_shown, row.level, row.decision, row.reason,
                                      row.to_person) for row in rows)
    proposal = not rows or any(not (row.decision_number and row.decision_date) for row in rows)
    return report.AwardList(issuer=police_issuer(profile), year=year, proposal=proposal, issued_on=today or date.today(),
                            awards=listed, signer=police_signer(profile), recipients=("- Lưu: VT.",))


def award_list_pdf(session: Session, ward_id: int, year: int) -> bytes:
    buffer = io.BytesIO()
    report.render_award_list(award_list(session, ward_id, year), buffer)
    return buffer.getvalue()


# ---- the demo ward -------------------------------------------------------------------------------

def add_demo_awards(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The demo ward's awards of ``year``, every one decided: the year's candidates (the top models,
    once add_demo_models has graded them), two people and one unit. Returns how many it added;
    nothing in it is random."""
    profile = require_profile(session)
    decided = min(date(year, 12, 20), date.today())
    inputs = [AwardInput(AwardForm.GIAY_KHEN, f"Chủ tịch UBND {profile.ward_title}", candidate.reason,
                         candidate.unit_id, decision_number=f"{180 + number}/QĐ-UBND", decision_date=decided,
                         model_id=candidate.model_id)
              for number, candidate in enumerate(candidates(session, ward_id, year))]
    units = dict(session.execute(select(Unit.name, Unit.id).where(Unit.ward_id == ward_id)).all())
    inputs += _demo_others(units, year, profile, decided)
    for data in inputs:
        add_award(session, ward_id, year, data, actor)
    return len(inputs)


def _demo_others(units: dict[str, int], year: int, profile: WardProfile, decided: date) -> list[AwardInput]:
    return [
        AwardInput(AwardForm.GIAY_KHEN, f"Giám đốc Công an {profile.province_title}",
                   f"Có thành tích xuất sắc trong phong trào toàn dân bảo vệ ANTQ năm {year}",
                   units.get("Tổ dân phố 3"), "Nguyễn Văn Hùng", "Tổ trưởng Tổ bảo vệ an ninh, trật tự tổ dân phố 3",
                   decision_number="1526/QĐ-CAT", decision_date=decided),
        AwardInput(AwardForm.KY_NIEM_CHUONG, "Bộ trưởng Bộ Công an",
                   "Có nhiều đóng góp cho sự nghiệp xây dựng và bảo vệ an ninh Tổ quốc", None, "Hoàng Thị Lan",
                   "Nguyên Trưởng ban Công tác Mặt trận tổ dân phố 8", decision_number="8765/QĐ-BCA",
                   decision_date=min(date(year, 8, 19), decided)),
        AwardInput(AwardForm.GIAY_KHEN, f"Chủ tịch UBND {profile.ward_title}",
                   f"Phát hiện, tố giác 03 vụ trộm cắp tài sản, góp phần giữ vững ANTT năm {year}",
                   units.get("Tổ dân phố 7"), decision_number="175/QĐ-UBND", decision_date=decided),
    ]
