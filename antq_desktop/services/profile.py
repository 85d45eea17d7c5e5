"""The ward profile: read it, create it, change one field of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import Ward
from antq_desktop.domain import vntext
from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.services.tracking import (
    check_version,
    stamp_created,
    stamp_updated,
)


@dataclass(frozen=True)
class ProfileInput:
    province_kind: ProvinceKind
    province_name: str
    kind: WardKind
    name: str
    police_unit_name: str = ""
    chairman_name: str = ""
    chairman_title: str = "Chủ tịch"
    police_chief_name: str = ""
    police_chief_title: str = ""
    place_name: str = ""
    ubnd_doc_suffix: str = "UBND"
    police_doc_suffix: str = ""
    doc_number_year: int | None = None
    next_ubnd_doc_number: int = 1
    next_police_doc_number: int = 1


@dataclass(frozen=True)
class WardProfile(ProfileInput):
    id: int = 0
    version: int = 0

    @property
    def ward_title(self) -> str:
        """"phường Minh Xuân", as it stands inside a sentence."""
        return f"{self.kind.label} {self.name}"

    @property
    def province_title(self) -> str:
        return f"{self.province_kind.label} {self.province_name}"

    def as_dict(self) -> dict:
        data = asdict(self)
        data["kind"] = self.kind.value
        data["province_kind"] = self.province_kind.value
        return data


# What `antq profile set KEY VALUE` and the profile dialog may change, with a Vietnamese label.
PROFILE_LABELS = {
    "province_kind": "Loại đơn vị cấp tỉnh (tinh / thanh_pho)",
    "province_name": "Tên tỉnh, thành phố",
    "kind": "Loại đơn vị cấp xã (xa / phuong / dac_khu)",
    "name": "Tên xã, phường, đặc khu",
    "police_unit_name": "Tên Công an xã, phường",
    "chairman_name": "Họ tên Chủ tịch UBND",
    "chairman_title": "Chức vụ người ký của UBND",
    "police_chief_name": "Họ tên Trưởng Công an",
    "police_chief_title": "Chức vụ Trưởng Công an",
    "place_name": "Địa danh ghi ở dòng ngày tháng",
    "ubnd_doc_suffix": "Ký hiệu văn bản của UBND (ví dụ UBND)",
    "police_doc_suffix": "Ký hiệu văn bản của Công an (ví dụ CAP)",
    "doc_number_year": "Năm của dãy số văn bản",
    "next_ubnd_doc_number": "Số văn bản tiếp theo của UBND",
    "next_police_doc_number": "Số văn bản tiếp theo của Công an",
}
_INT_FIELDS = {"doc_number_year", "next_ubnd_doc_number", "next_police_doc_number"}


def _to_profile(ward: Ward) -> WardProfile:
    values = {f.name: getattr(ward, f.name) for f in fields(WardProfile)}
    values["kind"] = WardKind(ward.kind)
    values["province_kind"] = ProvinceKind(ward.province_kind)
    return WardProfile(**values)


def profile_from_dict(data: dict) -> WardProfile:
    """A profile saved with ``WardProfile.as_dict`` (e.g. in an issued decision), read back."""
    known = {f.name for f in fields(WardProfile)}
    values = {key: value for key, value in data.items() if key in known}
    values["kind"] = WardKind(values["kind"])
    values["province_kind"] = ProvinceKind(values["province_kind"])
    return WardProfile(**values)


def _ward_row(session: Session) -> Ward | None:
    return session.scalars(select(Ward).order_by(Ward.id).limit(1)).first()


def get_profile(session: Session) -> WardProfile | None:
    ward = _ward_row(session)
    return _to_profile(ward) if ward else None


def require_profile(session: Session) -> WardProfile:
    profile = get_profile(session)
    if profile is None:
        raise UserError(
            "Chưa có thông tin xã, phường. Hãy nhập thông tin đơn vị (hoặc nạp dữ liệu mẫu) trước."
        )
    return profile


def _cleaned(data: ProfileInput) -> dict:
    values = {f.name: getattr(data, f.name) for f in fields(ProfileInput)}
    for key, value in values.items():
        if isinstance(value, str):
            values[key] = vntext.clean(value)
    values["kind"] = WardKind(data.kind).value
    values["province_kind"] = ProvinceKind(data.province_kind).value
    if not values["province_name"]:
        raise UserError("Hãy nhập tên tỉnh, thành phố.")
    if not values["name"]:
        raise UserError("Hãy nhập tên xã, phường, đặc khu.")
    ward_title = f"{WardKind(data.kind).label} {values['name']}"
    values["police_unit_name"] = values["police_unit_name"] or f"Công an {ward_title}"
    values["place_name"] = values["place_name"] or values["name"]
    values["police_chief_title"] = values["police_chief_title"] or f"Trưởng Công an {WardKind(data.kind).label}"
    for key in ("next_ubnd_doc_number", "next_police_doc_number"):
        if values[key] < 1:
            raise UserError(f"{PROFILE_LABELS[key]} phải từ 1 trở lên.")
    return values


def save_profile(
    session: Session, data: ProfileInput, actor: str, expected_version: int | None = None
) -> WardProfile:
    """Create the ward's profile, or replace it; returns what was stored.

    ``expected_version`` is the version the user started editing from: if someone saved in
    between, the save is refused instead of overwriting their change.
    """
    values = _cleaned(data)
    ward = _ward_row(session)
    if ward is not None:
        check_version(ward, expected_version)
    if ward is None:
        ward = Ward(**values)
        stamp_created(ward, actor)
        session.add(ward)
    else:
        for key, value in values.items():
            setattr(ward, key, value)
        stamp_updated(ward, actor)
    session.flush()
    return _to_profile(ward)


def _parse_field(key: str, text: str):
    if key not in PROFILE_LABELS:
        known = ", ".join(PROFILE_LABELS)
        raise UserError(f'Không có mục thông tin "{key}". Các mục có thể đặt: {known}.')
    if key in _INT_FIELDS:
        try:
            return int(text.strip())
        except ValueError:
            raise UserError(f'{PROFILE_LABELS[key]} phải là một số nguyên, không phải "{text}".') from None
    if key == "kind":
        return _parse_choice(WardKind, key, text)
    if key == "province_kind":
        return _parse_choice(ProvinceKind, key, text)
    return text


def _parse_choice(choices, key: str, text: str):
    folded = vntext.search_key(text).replace(" ", "_")
    for choice in choices:
        if folded in (choice.value, vntext.search_key(choice.label).replace(" ", "_")):
            return choice
    allowed = ", ".join(c.value for c in choices)
    raise UserError(f'{PROFILE_LABELS[key]}: giá trị "{text}" không hợp lệ; hãy dùng một trong: {allowed}.')


def set_profile_field(session: Session, key: str, text: str, actor: str) -> WardProfile:
    current = require_profile(session)
    values = {f.name: getattr(current, f.name) for f in fields(ProfileInput)}
    values[key] = _parse_field(key, text)
    return save_profile(session, ProfileInput(**values), actor)
