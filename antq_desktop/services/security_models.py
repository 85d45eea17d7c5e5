"""The movement's models (mô hình): the register, the yearly grade, dissolution, the year's target.

Rules chosen here:

* A model is **dissolved**, never deleted: the date and the reason are kept, and it gets no
  grade for a year after its dissolution year. A model dissolved by mistake is **reactivated**
  (the date and the reason are cleared).
* A model is graded only for a year it takes part in (domain/models_movement.py): from the year
  it started (when the start date is known) to the year it was dissolved.
* Host units come from the register; a new host must be active, a host that merged or
  dissolved since stays on the models that had it. A ward-wide model may have no host.
* Two models in operation may not share a name (case and tones ignored).

Version checks: ``expected_version`` is the version the user saw; for a year's grade ``0`` means
the user saw no grade; ``None`` skips the check.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import (
    SecurityModel,
    SecurityModelGrade,
    SecurityModelUnit,
    Unit,
)
from antq_desktop.domain import vntext
from antq_desktop.domain.models_movement import (
    GradeLevel,
    active_at_year_end,
    at_or_above,
    grade_counts,
    parse_levels,
    rank,
    takes_part_in,
)
from antq_desktop.domain.units import UnitStatus
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.services import settings, targets
from antq_desktop.services.antt import check_year
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

NO_GRADE = 0  # the expected version of a grade the user saw as missing
NAME_MAX, KIND_MAX, COUNT_MAX = 300, 200, 100_000
EARLIEST_START = date(1975, 1, 1)
KIND_SUGGESTIONS = (
    "Tổ tự quản về an ninh, trật tự", "Camera an ninh", "Nhóm Zalo phản ánh an ninh, trật tự",
    "Tổ liên gia tự quản", "Khu dân cư không có tội phạm, tệ nạn xã hội", "Dòng họ tự quản về an ninh, trật tự",
    "Tổ hòa giải ở cơ sở", "Cổng trường an toàn giao thông",
)
_NOT_FOUND = "Không tìm thấy mô hình này; có thể người khác vừa xoá. Hãy tải lại danh sách."


@dataclass(frozen=True)
class ModelInput:
    name: str
    kind: str = ""
    unit_ids: tuple[int, ...] = ()
    started_on: date | None = None
    sites: int | None = None
    teams: int | None = None
    members: int | None = None
    description: str = ""


@dataclass(frozen=True)
class HostUnit:
    unit_id: int
    name: str


@dataclass(frozen=True)
class ModelRow:
    """One model as a year's list shows it; ``grade`` None: not graded that year."""

    id: int
    name: str
    kind: str
    hosts: tuple[HostUnit, ...]
    started_on: date | None
    sites: int | None
    teams: int | None
    members: int | None
    description: str
    dissolved_on: date | None
    dissolved_reason: str
    version: int
    year: int
    grade: str | None = None
    grade_label: str = ""
    grade_note: str = ""
    grade_version: int | None = None

    @property
    def host_names(self) -> str:
        return ", ".join(host.name for host in self.hosts)

    @property
    def dissolved(self) -> bool:
        return self.dissolved_on is not None

    @property
    def gradable(self) -> bool:
        return takes_part_in(self.started_on, self.dissolved_on, self.year)

    @property
    def status(self) -> str:
        """Where the model stands at the end of the row's year."""
        if self.dissolved_on is not None and self.dissolved_on.year <= self.year:
            return f"Giải thể {vntext.format_date(self.dissolved_on)}"
        return "Đang hoạt động"

    @property
    def expected_grade_version(self) -> int:
        return NO_GRADE if self.grade_version is None else self.grade_version

    def as_input(self) -> ModelInput:
        return ModelInput(self.name, self.kind, tuple(host.unit_id for host in self.hosts), self.started_on,
                          self.sites, self.teams, self.members, self.description)


@dataclass(frozen=True)
class ModelTarget:
    """This year's target: at least ``target`` models graded "Khá" or above."""

    year: int
    kha_or_above: int
    target: int

    @property
    def met(self) -> bool:
        return self.kha_or_above >= self.target

    @property
    def summary(self) -> str:
        verdict = "đạt" if self.met else "chưa đạt"
        return f"Mô hình xếp loại Khá trở lên: {self.kha_or_above}/{self.target} — {verdict}"


# ---- the levels --------------------------------------------------------------------------------

def model_levels(session: Session, ward_id: int) -> tuple[GradeLevel, ...]:
    """The grades of the setting "models.levels", highest first."""
    return parse_levels(settings.get_setting(session, ward_id, "models.levels"))


def _label(levels: tuple[GradeLevel, ...], code: str) -> str:
    found = rank(levels, code)
    return code if found is None else levels[found].label


# ---- reading -----------------------------------------------------------------------------------

def year_models(session: Session, ward_id: int, year: int, *, with_old_dissolved: bool = False) -> list[ModelRow]:
    """The models taking part in ``year`` (and, if asked, those dissolved before it), by name."""
    check_year(year)
    levels = model_levels(session, ward_id)
    models = session.scalars(select(SecurityModel).where(SecurityModel.ward_id == ward_id)).all()
    shown = [m for m in models if takes_part_in(m.started_on, m.dissolved_on, year)
             or (with_old_dissolved and m.dissolved_on is not None and m.dissolved_on.year < year)]
    hosts = _hosts(session, [m.id for m in shown])
    grades = _grades(session, [m.id for m in shown], year)
    rows = [_row(m, hosts.get(m.id, ()), grades.get(m.id), levels, year) for m in shown]
    return sorted(rows, key=lambda row: (vntext.sort_key(row.name), row.id))


def get_model(session: Session, model_id: int, year: int | None = None) -> ModelRow:
    """One model as stored now (with its grade of ``year``, default this year)."""
    model = existing_row(session, SecurityModel, model_id, _NOT_FOUND)
    year = year or date.today().year
    grade = _grades(session, [model_id], year).get(model_id)
    return _row(model, _hosts(session, [model_id]).get(model_id, ()), grade, model_levels(session, model.ward_id), year)


def _hosts(session: Session, model_ids: list[int]) -> dict[int, tuple[HostUnit, ...]]:
    statement = (select(SecurityModelUnit.model_id, Unit.id, Unit.name).join(Unit, Unit.id == SecurityModelUnit.unit_id)
                 .where(SecurityModelUnit.model_id.in_(model_ids)).order_by(Unit.name_sort, Unit.id))
    found: dict[int, list[HostUnit]] = {}
    for model_id, unit_id, name in session.execute(statement):
        found.setdefault(model_id, []).append(HostUnit(unit_id, name))
    return {model_id: tuple(hosts) for model_id, hosts in found.items()}


def _grades(session: Session, model_ids: list[int], year: int) -> dict[int, SecurityModelGrade]:
    statement = select(SecurityModelGrade).where(SecurityModelGrade.model_id.in_(model_ids),
                                                 SecurityModelGrade.year == year)
    return {grade.model_id: grade for grade in session.scalars(statement)}


def _row(model: SecurityModel, hosts: tuple[HostUnit, ...], grade: SecurityModelGrade | None,
         levels: tuple[GradeLevel, ...], year: int) -> ModelRow:
    return ModelRow(
        id=model.id, name=model.name, kind=model.kind, hosts=hosts, started_on=model.started_on, sites=model.sites,
        teams=model.teams, members=model.members, description=model.description, dissolved_on=model.dissolved_on,
        dissolved_reason=model.dissolved_reason, version=model.version, year=year,
        grade=grade.level if grade else None, grade_label=_label(levels, grade.level) if grade else "",
        grade_note=grade.note if grade else "", grade_version=grade.version if grade else None,
    )


def kind_suggestions(session: Session, ward_id: int) -> list[str]:
    """The usual kinds, then any other kind the ward typed before."""
    typed = session.scalars(select(SecurityModel.kind).where(SecurityModel.ward_id == ward_id).distinct())
    return list(dict.fromkeys([*KIND_SUGGESTIONS, *sorted((k for k in typed if k), key=vntext.sort_key)]))


# ---- adding and correcting -----------------------------------------------------------------------

def _count(value: int | None, label: str) -> int | None:
    if value is not None and not 0 <= value <= COUNT_MAX:
        raise UserError(f"Số {label} phải từ 0 đến {vntext.format_number(COUNT_MAX)}.")
    return value


def _clean(data: ModelInput) -> dict:
    name, kind = vntext.clean(data.name), vntext.clean(data.kind)
    if not name:
        raise UserError("Hãy nhập tên mô hình, ví dụ \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d.")
    if len(name) > NAME_MAX:
        raise UserError(f"Tên mô hình dài quá {NAME_MAX} ký tự.")
    if len(kind) > KIND_MAX:
        raise UserError(f"Loại mô hình dài quá {KIND_MAX} ký tự.")
    if data.started_on is not None and not EARLIEST_START <= data.started_on <= date.today():
        raise UserError(f"Ngày bắt đầu {vntext.format_date(data.started_on)} không hợp lệ: hãy nhập một ngày từ "
                        f"{vntext.format_date(EARLIEST_START)} đến hôm nay.")
    return {"name": name, "kind": kind, "started_on": data.started_on, "sites": _count(data.sites, "điểm"),
            "teams": _count(data.teams, "tổ"), "members": _count(data.members, "thành viên"),
            "description": vntext.clean_paragraphs(data.description)}


def _check_unique_name(session: Session, ward_id: int, name: str, own_id: int | None = None) -> None:
    key = vntext.search_key(name)
    for other in session.scalars(select(SecurityModel).where(SecurityModel.ward_id == ward_id,
                                                             SecurityModel.dissolved_on.is_(None))):
        if other.id != own_id and vntext.search_key(other.name) == key:
            raise UserError(f"Đã có mô hình \u201c{other.name}\u201d đang hoạt động. Hãy đặt tên khác "
                            "(ví dụ thêm tên tổ dân phố) hoặc sửa mô hình đã có.")


def _set_hosts(session: Session, model: SecurityModel, unit_ids: tuple[int, ...]) -> None:
    wanted = list(dict.fromkeys(unit_ids))
    current = {link.unit_id: link for link in session.scalars(
        select(SecurityModelUnit).where(SecurityModelUnit.model_id == model.id))}
    for unit_id in wanted:
        if unit_id not in current:
            _check_new_host(session, model.ward_id, unit_id)
            session.add(SecurityModelUnit(model_id=model.id, unit_id=unit_id))
    for unit_id, link in current.items():
        if unit_id not in wanted:
            session.delete(link)


def _check_new_host(session: Session, ward_id: int, unit_id: int) -> None:
    unit = session.get(Unit, unit_id)
    if unit is None or unit.ward_id != ward_id:
        raise UserError("Không tìm thấy đơn vị chủ trì đã chọn; hãy tải lại danh sách đơn vị.")
    if unit.status != UnitStatus.ACTIVE.value:
        raise UserError(f"\u201c{unit.name}\u201d không còn hoạt động nên không chọn làm đơn vị chủ trì mới được.")


def add_model(session: Session, ward_id: int, data: ModelInput, actor: str) -> int:
    values = _clean(data)
    _check_unique_name(session, ward_id, values["name"])
    model = SecurityModel(ward_id=ward_id, **values)
    stamp_created(model, actor)
    session.add(model)
    session.flush()
    _set_hosts(session, model, data.unit_ids)
    session.flush()
    return model.id


def update_model(session: Session, model_id: int, data: ModelInput, actor: str,
                 expected_version: int | None = None) -> None:
    model = existing_row(session, SecurityModel, model_id, _NOT_FOUND, expected_version)
    values = _clean(data)
    if model.dissolved_on is None:
        _check_unique_name(session, model.ward_id, values["name"], model.id)
    _check_start_against_records(session, model, values["started_on"])
    for key, value in values.items():
        setattr(model, key, value)
    _set_hosts(session, model, data.unit_ids)
    stamp_updated(model, actor)
    session.flush()


def _check_start_against_records(session: Session, model: SecurityModel, started_on: date | None) -> None:
    if started_on is None:
        return
    if model.dissolved_on is not None and started_on > model.dissolved_on:
        raise UserError(f"Ngày bắt đầu phải trước ngày giải thể ({vntext.format_date(model.dissolved_on)}).")
    earlier = [year for year in _graded_years(session, model.id) if year < started_on.year]
    if earlier:
        raise UserError(f"Mô hình đã được xếp loại năm {', '.join(map(str, earlier))}, trước ngày bắt đầu "
                        f"{vntext.format_date(started_on)}. Hãy kiểm tra lại ngày bắt đầu.")


def _graded_years(session: Session, model_id: int) -> list[int]:
    return list(session.scalars(select(SecurityModelGrade.year).where(SecurityModelGrade.model_id == model_id)
                                .order_by(SecurityModelGrade.year)))


# ---- dissolution ---------------------------------------------------------------------------------

def dissolve_model(session: Session, model_id: int, on: date, reason: str, actor: str,
                   expected_version: int | None = None) -> None:
    """Record that the model was dissolved on ``on`` and why; the model and its grades are kept."""
    model = existing_row(session, SecurityModel, model_id, _NOT_FOUND, expected_version)
    reason = vntext.clean_paragraphs(reason)
    if model.dissolved_on is not None:
        raise UserError(f"Mô hình \u201c{model.name}\u201d đã giải thể ngày {vntext.format_date(model.dissolved_on)}.")
    if not reason:
        raise UserError("Hãy ghi lý do giải thể (ví dụ: hoạt động không hiệu quả, không còn thành viên).")
    start = model.started_on or EARLIEST_START
    if not start <= on <= date.today():
        raise UserError(f"Ngày giải thể {vntext.format_date(on)} không hợp lệ: hãy nhập một ngày từ "
                        f"{vntext.format_date(start)} đến hôm nay.")
    later = [year for year in _graded_years(session, model_id) if year > on.year]
    if later:
        raise UserError(f"Mô hình đã được xếp loại năm {', '.join(map(str, later))}, sau năm giải thể {on.year}. "
                        "Hãy bỏ xếp loại các năm đó trước, hoặc kiểm tra lại ngày giải thể.")
    model.dissolved_on, model.dissolved_reason = on, reason
    stamp_updated(model, actor)
    session.flush()


def reactivate_model(session: Session, model_id: int, actor: str, expected_version: int | None = None) -> None:
    """Undo a dissolution recorded by mistake."""
    model = existing_row(session, SecurityModel, model_id, _NOT_FOUND, expected_version)
    if model.dissolved_on is None:
        raise UserError(f"Mô hình \u201c{model.name}\u201d đang hoạt động, không cần khôi phục.")
    _check_unique_name(session, model.ward_id, model.name, model.id)
    model.dissolved_on, model.dissolved_reason = None, ""
    stamp_updated(model, actor)
    session.flush()


# ---- the yearly grade ----------------------------------------------------------------------------

def set_grade(session: Session, model_id: int, year: int, level: str | None, note: str, actor: str,
              expected_version: int | None = None) -> None:
    """Grade a model for ``year``; ``level`` None removes the grade (and its note)."""
    check_year(year)
    model = existing_row(session, SecurityModel, model_id, _NOT_FOUND)
    grade = session.get(SecurityModelGrade, (model_id, year))
    if expected_version is not None and (grade.version if grade else NO_GRADE) != expected_version:
        raise stale_edit_error()
    note = vntext.clean_paragraphs(note)
    if level is None:
        if note:
            raise UserError("Chưa chọn mức xếp loại nên không lưu được ghi chú; hãy chọn mức xếp loại trước.")
        if grade is not None:
            session.delete(grade)
            session.flush()
        return
    _check_gradable(session, model, year, level)
    if grade is None:
        grade = SecurityModelGrade(model_id=model_id, year=year, level=level, note=note)
        stamp_created(grade, actor)
        session.add(grade)
    else:
        grade.level, grade.note = level, note
        stamp_updated(grade, actor)
    session.flush()


def _check_gradable(session: Session, model: SecurityModel, year: int, level: str) -> None:
    levels = model_levels(session, model.ward_id)
    if rank(levels, level) is None:
        known = ", ".join(item.label for item in levels)
        raise UserError(f"Mức xếp loại \u201c{level}\u201d không có trong danh sách mức ({known}).")
    if model.started_on is not None and model.started_on.year > year:
        raise UserError(f"Mô hình \u201c{model.name}\u201d bắt đầu từ năm {model.started_on.year} "
                        f"nên không xếp loại năm {year} được.")
    if model.dissolved_on is not None and model.dissolved_on.year < year:
        raise UserError(f"Mô hình \u201c{model.name}\u201d đã giải thể ngày {vntext.format_date(model.dissolved_on)} "
                        f"nên không xếp loại năm {year} được.")


# ---- the year's figures --------------------------------------------------------------------------

def model_target(session: Session, ward_id: int, year: int) -> ModelTarget:
    figures = models_stats(session, ward_id, year)
    return ModelTarget(year, figures["kha_or_above"], figures["target_kha_or_above"])


def models_stats(session: Session, ward_id: int, year: int) -> dict:
    """The year's figures (``antq stats`` shows them under "models")."""
    rows = year_models(session, ward_id, year)
    levels = model_levels(session, ward_id)
    graded = [row.grade for row in rows if row.grade is not None]
    kha_or_above = sum(at_or_above(levels, code) for code in graded)
    target = targets.target_value(session, ward_id, year, "models_kha_or_above") or 0
    return {
        "year": year,
        "total": len(rows),
        "active": sum(active_at_year_end(row.started_on, row.dissolved_on, year) for row in rows),
        "dissolved_this_year": sum(row.dissolved_on is not None and row.dissolved_on.year == year for row in rows),
        "graded": len(graded),
        "ungraded": len(rows) - len(graded),
        "by_level": grade_counts(levels, graded),
        "level_labels": {level.code: level.label for level in levels},
        "kha_or_above": kha_or_above,
        "target_kha_or_above": target,
        "met": kha_or_above >= target,
    }


# ---- the demo ward -------------------------------------------------------------------------------

_DEMO_MODELS = (
    # name, kind, host unit names, start, sites, teams, members, grade, description
    ("Tổ tự quản về an ninh, trật tự tổ dân phố 3", "Tổ tự quản về an ninh, trật tự", ("Tổ dân phố 3",),
     date(2019, 3, 15), 1, 4, 32, "tot", "Các hộ gia đình tự quản, tuần tra vào ban đêm, nắm tình hình người lạ."),
    ("Camera an ninh", "Camera an ninh", ("Tổ dân phố 5", "Tổ dân phố 6", "Tổ dân phố 8"),
     date(2021, 8, 19), 46, 3, 120, "tot", "Camera lắp tại các ngõ, nút giao, kết nối về Công an phường."),
    ("Nhóm Zalo phản ánh an ninh, trật tự", "Nhóm Zalo phản ánh an ninh, trật tự", (),
     date(2022, 5, 2), None, None, 860, "kha", "Nhóm Zalo của Công an phường tiếp nhận tin báo của người dân."),
    ("Cổng trường an toàn giao thông, an ninh trật tự", "Cổng trường an toàn giao thông", ("Trường THPT Tân Trào",),
     date(2020, 9, 5), 1, 1, 12, "trung_binh", "Phụ huynh, đoàn viên điều tiết giao thông giờ tan trường."),
    ("Tổ liên gia tự quản tổ dân phố 12", "Tổ liên gia tự quản", ("Tổ dân phố 12",),
     date(2018, 6, 1), 1, 2, 18, None, "Tổ liên gia của các hộ dọc đường Quang Trung."),
)


def add_demo_models(session: Session, ward_id: int, year: int, actor: str) -> int:
    """The demo ward's models and their grades for ``year``; the last one dissolved in ``year``.
    Returns how many models it added."""
    pick = random.Random(year * 7)
    unit_ids = dict(session.execute(select(Unit.name, Unit.id).where(Unit.ward_id == ward_id)).all())
    for number, (name, kind, hosts, started, sites, teams, members, level, text) in enumerate(_DEMO_MODELS):
        data = ModelInput(name, kind, tuple(unit_ids[host] for host in hosts if host in unit_ids), started,
                          sites, teams, members, text)
        model_id = add_model(session, ward_id, data, actor)
        if level is not None:
            note = pick.choice(("Hoạt động đều, hiệu quả.", "Duy trì tốt.", "Cần củng cố thêm."))
            set_grade(session, model_id, year, level, note, actor)
        if number == len(_DEMO_MODELS) - 1:
            dissolve_model(session, model_id, min(date(year, 6, 30), date.today()), "Các hộ chuyển đi do giải phóng mặt bằng, "
                           "tổ liên gia không còn hoạt động.", actor)
    return len(_DEMO_MODELS)
