"""A ward's settings: rules that differ between provinces, kept as data with safe defaults."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import Setting
from antq_desktop.domain import vntext
from antq_desktop.errors import UserError

# key -> default value (and the type a stored value must have)
DEFAULTS: dict[str, object] = {
    # TT 124 Art. 5(4): whether the 70% of recognised units is counted over all kinds or in each kind
    "antt.pooled_70": True,
    # the year's targets of the ward plan (shared/seeds: 100% registered, >= 95% recognised)
    "antt.target_registered_pct": 100,
    "antt.target_recognized_pct": 95,
    # who decides: the chairman ("chu_tich") or the people's committee as a body ("ubnd")
    "antt.decision_form": "chu_tich",
    # the province's extra criteria per unit kind: {"kdc": [{"title", "text", "points": [...]}], ...}
    "antt.extra_criteria": {},
    # the certificate's wording (no national template exists: DOCUMENTS.md §2.4) and, for
    # pre-printed paper, where each variable field goes: {field: [x_mm, y_mm]}
    "certificate.heading": "CÔNG NHẬN",
    "certificate.achievement": "Đạt tiêu chuẩn \u201cAn toàn về an ninh, trật tự\u201d năm {nam}",
    "certificate.unit_name_size": 26.0,
    "certificate.offsets": {},
    # the score sheets as the administrator edited them (None: the newest set shipped with the program)
    "classification.sheet_set": None,
    # the year's classification targets (shared/seeds plan: no unit Yếu; 100% Khá or above by 2030)
    "classification.target_kha_or_above_pct": 100,
    "classification.target_no_yeu": True,
    # the yearly grades of the movement's models, highest first ("kha" anchors the "Khá or above" target)
    "models.levels": [{"code": "tot", "label": "Tốt"}, {"code": "kha", "label": "Khá"},
                      {"code": "trung_binh", "label": "Trung bình"}, {"code": "yeu", "label": "Yếu"}],
    "models.target_kha_or_above": 2,
    # the core forces: share trained and equipped this year (shared/seeds plan: 100%)
    "forces.target_trained_pct": 100,
    "forces.target_equipped_pct": 100,
    # inspections: every tổ dân phố at least this many times a year
    "inspections.per_kdc_per_year": 1,
    # the commemorative days the ward's plan (shared/seeds) answers with activities; "day" 0: the whole month
    "events.commemorative_days": [
        {"month": 6, "day": 5, "title": "Ngày Môi trường thế giới"},
        {"month": 6, "day": 0, "title": "Tháng hành động phòng, chống ma túy"},
        {"month": 6, "day": 26, "title": "Ngày toàn dân phòng, chống ma túy"},
        {"month": 7, "day": 30, "title": "Ngày phòng, chống mua bán người"},
        {"month": 8, "day": 19, "title": "Ngày hội toàn dân bảo vệ an ninh Tổ quốc"},
        {"month": 9, "day": 0, "title": "Tháng An toàn giao thông"},
        {"month": 10, "day": 4, "title": "Ngày toàn dân phòng cháy, chữa cháy"},
    ],
    # propaganda targets of the year (another ward's plan: at least 50 broadcast items)
    "events.target_activities": 0,
    "events.target_festival_pct": 100,
    # the fixed days of the ward's year shown on the dashboard (DOMAIN.md; provinces differ):
    # "page" is where the work is done
    "plan.deadlines": [
        {"month": 3, "day": 31, "title": "Đăng ký xây dựng \u201cAn toàn về ANTT\u201d (hết Quý I)", "page": "antt"},
        {"month": 5, "day": 10, "title": "Báo cáo sơ kết 6 tháng gửi cấp trên", "page": "reports"},
        {"month": 8, "day": 19, "title": "Ngày hội toàn dân bảo vệ an ninh Tổ quốc", "page": "events"},
        {"month": 9, "day": 15, "title": "Các đơn vị báo cáo kết quả thực hiện về phường", "page": ""},
        {"month": 10, "day": 30, "title": "Báo cáo kết quả năm gửi UBND tỉnh (qua Công an tỉnh)", "page": "reports"},
        {"month": 11, "day": 15, "title": "Quyết định công nhận khu dân cư \u201cAn toàn về ANTT\u201d", "page": "antt"},
        {"month": 11, "day": 20, "title": "Công nhận cơ quan, doanh nghiệp, cơ sở giáo dục; phân loại khu dân cư",
         "page": "antt"},
        {"month": 11, "day": 30, "title": "Phân loại phong trào cơ quan, doanh nghiệp, cơ sở giáo dục, phường",
         "page": "classification"},
    ],
}


def get_setting(session: Session, ward_id: int, key: str):
    stored = session.scalar(select(Setting.value).where(Setting.ward_id == ward_id, Setting.key == key))
    return DEFAULTS[key] if stored is None else json.loads(stored)


def set_setting(session: Session, ward_id: int, key: str, value, actor: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = session.get(Setting, (ward_id, key))
    if row is None:
        row = Setting(ward_id=ward_id, key=key)
        session.add(row)
    row.value = json.dumps(value, ensure_ascii=False)
    row.updated_at = datetime.now().replace(microsecond=0)
    row.updated_by = actor
    session.flush()


# ---- the settings of the "An toàn về ANTT" page, checked as a whole -----------------------

@dataclass(frozen=True)
class AnttSettings:
    pooled_70: bool
    decision_form: str
    target_registered_pct: int
    target_recognized_pct: int


@dataclass(frozen=True)
class ExtraCriterion:
    title: str
    text: str
    points: tuple[str, ...] = ()


@dataclass(frozen=True)
class CertificateSettings:
    heading: str
    achievement: str
    unit_name_size: float
    offsets: dict[str, tuple[float, float]]


def antt_settings(session: Session, ward_id: int) -> AnttSettings:
    return AnttSettings(**{field: get_setting(session, ward_id, f"antt.{field}") for field in
                           ("pooled_70", "decision_form", "target_registered_pct", "target_recognized_pct")})


def save_antt_settings(session: Session, ward_id: int, data: AnttSettings, actor: str) -> None:
    if data.decision_form not in ("chu_tich", "ubnd"):
        raise UserError("Hình thức quyết định phải là của Chủ tịch UBND hoặc của UBND.")
    for label, value in (("đăng ký", data.target_registered_pct), ("công nhận", data.target_recognized_pct)):
        if not 0 <= value <= 100:
            raise UserError(f"Chỉ tiêu tỷ lệ {label} phải từ 0 đến 100%.")
    for field in ("pooled_70", "decision_form", "target_registered_pct", "target_recognized_pct"):
        set_setting(session, ward_id, f"antt.{field}", getattr(data, field), actor)


def extra_criteria(session: Session, ward_id: int, kind: str) -> list[ExtraCriterion]:
    stored = get_setting(session, ward_id, "antt.extra_criteria").get(kind, [])
    return [ExtraCriterion(entry["title"], entry.get("text", ""), tuple(entry.get("points", ()))) for entry in stored]


def save_extra_criteria(session: Session, ward_id: int, kind: str, extras: list[ExtraCriterion], actor: str) -> None:
    """Replace the province's extra criteria of one unit kind (records already assessed keep theirs)."""
    cleaned = []
    for number, extra in enumerate(extras, start=1):
        title, text = vntext.clean(extra.title), vntext.clean_paragraphs(extra.text)
        points = [vntext.clean(point) for point in extra.points if vntext.clean(point)]
        if not title:
            raise UserError(f"Tiêu chí bổ sung thứ {number}: hãy nhập tên tiêu chí.")
        if len(points) > 20:
            raise UserError(f"Tiêu chí bổ sung thứ {number}: tối đa 20 điểm.")
        cleaned.append({"title": title, "text": text, "points": points or [text or title]})
    everything = dict(get_setting(session, ward_id, "antt.extra_criteria"))
    everything[kind] = cleaned
    set_setting(session, ward_id, "antt.extra_criteria", everything, actor)


def achievement_line(template: str, year: int) -> str:
    """The certificate's "Đạt tiêu chuẩn … năm 2026" line from its template ({nam} is the year)."""
    try:
        return template.format(nam=year)
    except (KeyError, IndexError, ValueError, TypeError, AttributeError):
        raise UserError("Dòng công nhận chỉ được dùng {nam} để chèn năm; hãy bỏ các dấu ngoặc nhọn khác.") from None


def certificate_settings(session: Session, ward_id: int) -> CertificateSettings:
    offsets = {name: tuple(xy) for name, xy in get_setting(session, ward_id, "certificate.offsets").items()}
    return CertificateSettings(
        heading=get_setting(session, ward_id, "certificate.heading"),
        achievement=get_setting(session, ward_id, "certificate.achievement"),
        unit_name_size=float(get_setting(session, ward_id, "certificate.unit_name_size")), offsets=offsets,
    )


def save_certificate_settings(session: Session, ward_id: int, data: CertificateSettings, actor: str) -> None:
    heading, achievement = vntext.clean(data.heading), vntext.clean(data.achievement)
    if not heading or not achievement:
        raise UserError("Hãy nhập dòng tiêu đề và dòng nội dung công nhận của giấy công nhận.")
    achievement_line(achievement, 2026)
    if not 10 <= data.unit_name_size <= 48:
        raise UserError("Cỡ chữ tên đơn vị phải từ 10 đến 48.")
    set_setting(session, ward_id, "certificate.heading", heading, actor)
    set_setting(session, ward_id, "certificate.achievement", achievement, actor)
    set_setting(session, ward_id, "certificate.unit_name_size", data.unit_name_size, actor)
    set_setting(session, ward_id, "certificate.offsets", {k: list(v) for k, v in data.offsets.items()}, actor)
