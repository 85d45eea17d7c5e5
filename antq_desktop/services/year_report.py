"""The reports sent upward: "Báo cáo kết quả thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc" of a
year (period "nam") and its six-month sơ kết (period "6thang"), DOCUMENTS.md §2.6.

* **The narrative** follows the usual outline (I. Đặc điểm tình hình; II. Kết quả thực hiện in
  eight sub-sections; III. Đánh giá; IV. Phương hướng; V. Đề xuất). Each section is the officer's
  text, stored in ``YearReport.sections`` (code -> text). A section the officer has not written
  is offered a **draft composed from the records** (the counts of the registers, the targets);
  its figures follow the records until the officer changes the text. A text saved unchanged from
  the draft, or emptied, is not stored: the section keeps following the records. The officer's
  text is never rewritten behind his back: :func:`regenerate_section` composes the draft again
  only when asked ("Soạn lại từ số liệu").
* **The tables** are filled from the records each time they are shown or printed, never stored.
* **The six-month sơ kết** takes the records of the year as they stand on the day it is made,
  and says so ("số liệu tính đến ngày …"); the same goes for a year report made before the
  year is over.

Version checks: ``expected_version`` is the version the user saw, ``NO_REPORT`` (0) when he saw
none saved; ``None`` skips the check.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antq_desktop.db.models import Incident, PlanTask, Unit, YearReport
from antq_desktop.domain import plan, vntext
from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.events import ActivityKind
from antq_desktop.domain.forces import ForceKind, ForceLevel
from antq_desktop.domain.units import UnitKind, UnitStatus
from antq_desktop.errors import UserError, stale_edit_error
from antq_desktop.reports import frame
from antq_desktop.reports import year_report as doc
from antq_desktop.reports.year_report import Percent, ReportTable
from antq_desktop.services import (
    awards,
    core_forces,
    events,
    security_models,
    stats,
    targets,
)
from antq_desktop.services.antt import check_year
from antq_desktop.services.profile import WardProfile, require_profile
from antq_desktop.services.tracking import check_version, stamp_created, stamp_updated

YEAR, HALF = "nam", "6thang"
PERIODS = {YEAR: "Báo cáo năm", HALF: "Sơ kết 6 tháng"}
NO_REPORT = 0  # the expected version of a report the user saw as not saved yet
MOVEMENT = "phong trào toàn dân bảo vệ an ninh Tổ quốc"
GAP = "…"  # what the officer still has to fill in
NUMBER_MAX, RECIPIENT_MAX, REFERENCE_MAX, SECTION_MAX = 20, 300, 1000, 20_000


# ---- the outline ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class SectionSpec:
    code: str
    number: str        # "I", "1" … (the sub-sections of II are numbered 1-8)
    title: str         # sentence case; a part's title prints in upper case
    part: bool         # a Roman part; False: a sub-section of II
    tables: tuple[str, ...] = ()

    @property
    def heading(self) -> str:
        """As the document prints it: "I. ĐẶC ĐIỂM TÌNH HÌNH", "2. Công tác tuyên truyền, vận động"."""
        return f"{self.number}. {self.title.upper() if self.part else self.title}"

    @property
    def label(self) -> str:
        """As the page lists it: "I. Đặc điểm tình hình", "II.2. Công tác tuyên truyền, vận động"."""
        return f"{self.number if self.part else 'II.' + self.number}. {self.title}"


RESULTS_HEADING = "II. KẾT QUẢ THỰC HIỆN"


def outline(year: int, period: str) -> tuple[SectionSpec, ...]:
    """The sections in order; part II is a heading over its eight sub-sections."""
    _check_period(period)
    half = period == HALF
    return (
        SectionSpec("dac_diem", "I", "Đặc điểm tình hình", True),
        SectionSpec("lanh_dao", "1", "Công tác lãnh đạo, chỉ đạo", False),
        SectionSpec("tuyen_truyen", "2", "Công tác tuyên truyền, vận động", False, ("tuyen_truyen",)),
        SectionSpec("mo_hinh", "3", "Xây dựng, củng cố, nhân rộng mô hình, điển hình tiên tiến", False, ("mo_hinh",)),
        SectionSpec("luc_luong", "4", "Xây dựng lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở", False,
                    ("luc_luong", "xep_loai_to")),
        SectionSpec("ngay_hoi", "5", "Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d (19/8)", False),
        SectionSpec("antt", "6", f"Kết quả đăng ký, xét công nhận {STANDARD_NAME}; phân loại phong trào", False,
                    ("antt", "phan_loai")),
        SectionSpec("quan_chung", "7", "Kết quả quần chúng tham gia bảo vệ an ninh, trật tự", False),
        SectionSpec("khen_thuong", "8", "Công tác khen thưởng", False, ("khen_thuong",)),
        SectionSpec("danh_gia", "III", "Đánh giá" if half else "Đánh giá chung", True, ("chi_tieu",)),
        SectionSpec("phuong_huong", "IV", f"Phương hướng, nhiệm vụ 6 tháng cuối năm {year}" if half
                    else f"Phương hướng, nhiệm vụ năm {year + 1}", True),
        SectionSpec("de_xuat", "V", "Đề xuất, kiến nghị", True),
    )


def _check_period(period: str) -> None:
    if period not in PERIODS:
        raise UserError(f"Loại báo cáo \u201c{period}\u201d không có; hãy chọn báo cáo năm hoặc sơ kết 6 tháng.")


def _spec(year: int, period: str, code: str) -> SectionSpec:
    for spec in outline(year, period):
        if spec.code == code:
            return spec
    raise UserError(f"Báo cáo không có mục \u201c{code}\u201d.")


def subject(year: int, period: str) -> str:
    """The trích yếu."""
    if period == HALF:
        return (f"Sơ kết 6 tháng đầu năm {year} công tác xây dựng {MOVEMENT} và phương hướng, nhiệm vụ "
                f"6 tháng cuối năm {year}")
    return f"Kết quả thực hiện công tác xây dựng {MOVEMENT} năm {year} và phương hướng, nhiệm vụ năm {year + 1}"


def title(year: int, period: str) -> str:
    """The preview's and the file's title."""
    return f"Báo cáo sơ kết 6 tháng đầu năm {year}" if period == HALF else f"Báo cáo kết quả năm {year}"


# ---- plain data -----------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReportInput:
    number: str = ""
    report_date: date | None = None
    recipient: str = ""
    reference: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # code -> text


@dataclass(frozen=True)
class SectionText:
    code: str
    label: str         # "II.2. Công tác tuyên truyền, vận động"
    text: str
    written: bool      # the officer's text; False: the draft composed from the records
    tables: tuple[str, ...] = ()


@dataclass(frozen=True)
class ReportDraft:
    year: int
    period: str
    number: str
    report_date: date | None
    recipient: str
    reference: str
    sections: tuple[SectionText, ...]
    figures_on: date   # the day the drafts' figures were taken
    version: int = NO_REPORT
    symbol: str = "BC"  # the ký hiệu after the number: "BC-CAP"

    def text(self, code: str) -> str:
        return next(section.text for section in self.sections if section.code == code)

    def as_input(self) -> ReportInput:
        return ReportInput(self.number, self.report_date, self.recipient, self.reference,
                           {section.code: section.text for section in self.sections})


# ---- reading and saving ---------------------------------------------------------------------------

def _row(session: Session, ward_id: int, year: int, period: str) -> YearReport | None:
    return session.scalar(select(YearReport).where(YearReport.ward_id == ward_id, YearReport.year == year,
                                                   YearReport.period == period))


def _stored_sections(row: YearReport | None) -> dict[str, str]:
    if row is None:
        return {}
    try:
        loaded = json.loads(row.sections or "{}")
    except ValueError:  # not written by this program: the drafts stand in for what cannot be read
        return {}
    if not isinstance(loaded, dict):
        return {}
    return {str(code): str(text) for code, text in loaded.items() if str(text).strip()}


def default_recipient(profile: WardProfile) -> str:
    """The province's people's committee, through the province police (no district since 1/7/2025)."""
    return f"Ủy ban nhân dân {profile.province_title} (qua Công an {profile.province_title})"


def default_reference(profile: WardProfile, year: int) -> str:
    return (f"Thực hiện Kế hoạch số {GAP}/KH-UBND ngày {GAP} của Ủy ban nhân dân {profile.ward_title} về thực hiện "
            f"{MOVEMENT} năm {year}")


def get_report(session: Session, ward_id: int, year: int, period: str, today: date | None = None) -> ReportDraft:
    """The stored report, its unwritten sections drafted from the records as they stand ``today``."""
    return _load(session, ward_id, year, period, today)[0]


def _load(session: Session, ward_id: int, year: int, period: str,
          today: date | None) -> tuple[ReportDraft, _Records]:
    check_year(year)
    _check_period(period)
    records = _records(session, require_profile(session), ward_id, year, period, today)
    return _draft(_row(session, ward_id, year, period), records), records


def _draft(row: YearReport | None, r: _Records) -> ReportDraft:
    stored = _stored_sections(row)
    sections = tuple(
        SectionText(spec.code, spec.label, stored.get(spec.code) or _DRAFTS[spec.code](r), spec.code in stored,
                    spec.tables)
        for spec in outline(r.year, r.period))
    if row is None:
        return ReportDraft(r.year, r.period, "", None, default_recipient(r.profile),
                           default_reference(r.profile, r.year), sections, r.today, NO_REPORT, _symbol(r.profile))
    return ReportDraft(r.year, r.period, row.number, row.report_date, row.recipient, row.reference, sections,
                       r.today, row.version, _symbol(r.profile))


def _symbol(profile: WardProfile) -> str:
    """"BC-CAP" from the police's suffix in the profile (as the police's other documents)."""
    suffix = vntext.clean(profile.police_doc_suffix)
    return f"BC-{suffix}" if suffix else "BC"


def _clean_input(year: int, period: str, data: ReportInput) -> ReportInput:
    number = vntext.clean(data.number)
    if "/" in number or len(number) > NUMBER_MAX:
        raise UserError("Ô \u201cSố\u201d chỉ ghi số của báo cáo (ví dụ 125); ký hiệu \u201c/BC-…\u201d được thêm "
                        "tự động.")
    recipient = vntext.clean(data.recipient)
    if not recipient:
        raise UserError("Hãy ghi nơi nhận báo cáo ở ô \u201cKính gửi\u201d, ví dụ \u201cCông an tỉnh …\u201d.")
    if len(recipient) > RECIPIENT_MAX:
        raise UserError(f"Ô \u201cKính gửi\u201d dài quá {RECIPIENT_MAX} ký tự.")
    reference = vntext.clean(data.reference.replace("\n", " "))
    if len(reference) > REFERENCE_MAX:
        raise UserError(f"Ô \u201cThực hiện\u201d dài quá {REFERENCE_MAX} ký tự.")
    _check_date(data.report_date, year, period)
    sections = {code: vntext.clean_paragraphs(text) for code, text in data.sections.items()}
    for spec in outline(year, period):
        if len(sections.get(spec.code, "")) > SECTION_MAX:
            raise UserError(f"Mục \u201c{spec.label}\u201d dài quá {vntext.format_number(SECTION_MAX)} ký tự.")
    return ReportInput(number, data.report_date, recipient, reference, sections)


def _check_date(day: date | None, year: int, period: str) -> None:
    """A year report is dated in its year or early the next; a sơ kết inside its year."""
    if day is None:
        return
    last = date(year, 12, 31) if period == HALF else date(year + 1, 12, 31)
    if not date(year, 1, 1) <= day <= last:
        raise UserError(f"Ngày báo cáo {vntext.format_date(day)} không hợp lệ: {title(year, period).lower()} "
                        f"ghi ngày từ 01/01/{year} đến {vntext.format_date(last)}.")


def save_report(session: Session, ward_id: int, year: int, period: str, data: ReportInput, actor: str,
                expected_version: int | None = None, today: date | None = None) -> ReportDraft:
    """Store the header and the sections the officer wrote; returns the report as it now reads."""
    check_year(year)
    _check_period(period)
    cleaned = _clean_input(year, period, data)
    row = _row(session, ward_id, year, period)
    _check_expected(row, expected_version)
    records = _records(session, require_profile(session), ward_id, year, period, today)
    written = {code: text for code, text in cleaned.sections.items()
               if code in _DRAFTS and text and text != vntext.clean_paragraphs(_DRAFTS[code](records))}
    values = {"number": cleaned.number, "report_date": cleaned.report_date, "recipient": cleaned.recipient,
              "reference": cleaned.reference, "sections": json.dumps(written, ensure_ascii=False, sort_keys=True)}
    if row is None:
        row = YearReport(ward_id=ward_id, year=year, period=period, **values)
        stamp_created(row, actor)
        session.add(row)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        stamp_updated(row, actor)
    session.flush()
    return _draft(row, records)


def _check_expected(row: YearReport | None, expected_version: int | None) -> None:
    if expected_version is None:
        return
    if row is None:
        if expected_version != NO_REPORT:
            raise stale_edit_error()
        return
    if expected_version == NO_REPORT:  # someone saved the report after this user opened the empty one
        raise stale_edit_error()
    check_version(row, expected_version)


def regenerate_section(session: Session, ward_id: int, year: int, period: str, code: str,
                       today: date | None = None) -> str:
    """The section's draft composed again from the records (nothing is saved)."""
    check_year(year)
    _spec(year, period, code)
    return _DRAFTS[code](_records(session, require_profile(session), ward_id, year, period, today))


# ---- the records a report reads ---------------------------------------------------------------------

@dataclass(frozen=True)
class _Records:
    profile: WardProfile
    year: int
    period: str
    today: date                        # the day the figures were taken
    figures: stats.YearStats
    previous: stats.AnttStats | None   # the year before, for "So với năm trước"
    activities: list[events.ActivityRow]
    events: events.EventsStats
    models: list[security_models.ModelRow]
    model_figures: dict
    forces: core_forces.ForcesYear
    teams: dict[ForceKind, int]
    awards: list[awards.AwardRow]
    households: int | None
    incidents: int
    tasks: Counter                     # PlanTask.status -> count
    next_targets: list[targets.TargetRow]

    @property
    def when(self) -> str:
        """"Năm 2025" or "6 tháng đầu năm 2025", to open a sentence."""
        return f"6 tháng đầu năm {self.year}" if self.period == HALF else f"Năm {self.year}"

    @property
    def ward(self) -> str:
        return self.profile.ward_title

    @property
    def police(self) -> str:
        return self.profile.police_unit_name


def _records(session: Session, profile: WardProfile, ward_id: int, year: int, period: str,
             today: date | None) -> _Records:
    today = today or date.today()
    members = core_forces.list_members(session, ward_id, year, today=today)
    return _Records(
        profile=profile, year=year, period=period, today=today,
        figures=stats.year_stats(session, ward_id, year, today),
        previous=stats.antt_stats(session, ward_id, year - 1) if year > 2000 else None,
        activities=events.list_activities(session, ward_id, year),
        events=events.year_events(session, ward_id, year),
        models=security_models.year_models(session, ward_id, year),
        model_figures=security_models.models_stats(session, ward_id, year),
        forces=core_forces.forces_year(session, ward_id, year, today),
        teams={kind: len({m.unit_id for m in members if m.force_kind is kind}) for kind in ForceKind},
        awards=awards.year_awards(session, ward_id, year),
        households=session.scalar(select(func.sum(Unit.households)).where(
            Unit.ward_id == ward_id, Unit.kind == UnitKind.KDC.value, Unit.status == UnitStatus.ACTIVE.value)),
        incidents=session.scalar(select(func.count()).select_from(Incident).where(
            Incident.ward_id == ward_id, Incident.occurred_on.between(date(year, 1, 1), date(year, 12, 31)))),
        tasks=Counter(session.scalars(select(PlanTask.status).where(PlanTask.ward_id == ward_id,
                                                                     PlanTask.year == year))),
        next_targets=targets.year_targets(session, ward_id, year + 1 if period == YEAR else year),
    )


# ---- words ------------------------------------------------------------------------------------------

def _n(value: int) -> str:
    return vntext.format_number(value)


def _pct(part: int, whole: int) -> str:
    return doc.cell_text(Percent(100 * part / whole if whole else None))


def _share(part: int, whole: int) -> str:
    """"49/54 (90,7%)"."""
    return f"{_n(part)}/{_n(whole)} ({_pct(part, whole)})"


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _counts(pairs) -> str:
    """"19 Xuất sắc, 28 Khá, 7 Trung bình, 0 Yếu" from (label, count) pairs."""
    return ", ".join(f"{_n(count)} {label}" for label, count in pairs)


def _target_words(comparison: str, unit: str, target: int) -> str:
    """"từ 95% trở lên", "ít nhất 2", "không có", "không quá 3"."""
    if comparison == plan.AT_MOST:
        return "không có" if target == 0 else f"không quá {_n(target)}{'%' if unit == plan.PERCENT else ''}"
    if unit == plan.PERCENT:
        return "100%" if target >= 100 else f"từ {target}% trở lên"
    return f"ít nhất {_n(target)}"


# ---- the drafts ---------------------------------------------------------------------------------------

def _draft_situation(r: _Records) -> str:
    antt = r.figures.antt
    kinds = ", ".join(f"{_n(antt.by_kind[kind].units)} {_lower_first(kind.label)}" for kind in UnitKind)
    homes = f"; các khu dân cư có {_n(r.households)} hộ gia đình" if r.households else ""
    ward = f"{r.ward[:1].upper()}{r.ward[1:]}"
    units = (f"{ward} có {_n(antt.total.units)} đơn vị tham gia {MOVEMENT}: {kinds}{homes}; trong đó "
             f"{_n(antt.total.eligible)} đơn vị thuộc diện đăng ký, xét công nhận {STANDARD_NAME}.")
    if r.incidents:
        incidents = f"{r.when}, sổ theo dõi ghi nhận {_n(r.incidents)} vụ việc về an ninh, trật tự tại các đơn vị."
    else:
        incidents = f"{r.when}, sổ theo dõi chưa ghi nhận vụ việc về an ninh, trật tự nào tại các đơn vị."
    return "\n".join((units, incidents, f"Tình hình an ninh chính trị, trật tự, an toàn xã hội trên địa bàn: {GAP}"))


def _draft_leadership(r: _Records) -> str:
    lines = [(f"{r.police} đã tham mưu Đảng ủy, Ủy ban nhân dân {r.ward} ban hành {GAP} văn bản lãnh đạo, chỉ đạo "
             f"thực hiện {MOVEMENT} {_lower_first(r.when)}; xây dựng kế hoạch, hướng dẫn các khu dân cư, cơ quan, "
             f"doanh nghiệp, cơ sở giáo dục triển khai thực hiện.")]
    total = sum(r.tasks.values())
    if total:
        lines.append(f"Kế hoạch năm {r.year} có {_n(total)} nhiệm vụ: đã hoàn thành {_n(r.tasks['xong'])}, đang "
                     f"thực hiện {_n(r.tasks['dang'])}, chưa thực hiện {_n(r.tasks['chua'])}.")
    return "\n".join(lines)


def _draft_propaganda(r: _Records) -> str:
    figures = r.events
    if not figures.activities:
        return f"{r.when}, sổ theo dõi chưa ghi nhận hoạt động tuyên truyền nào. {GAP}"
    kinds = "; ".join(f"{_lower_first(kind.label)}: {_n(count)}" for kind, count in figures.by_kind.items() if count)
    target = f" (chỉ tiêu {_n(figures.target_activities)})" if figures.target_activities else ""
    return (f"{r.when}, {r.police} đã chủ trì, phối hợp tổ chức {_n(figures.activities)} hoạt động tuyên truyền, "
            f"vận động{target} ({kinds}), với {_n(figures.reach)} lượt người tham gia, theo dõi.")


def _draft_models(r: _Records) -> str:
    figures = r.model_figures
    if not figures["total"]:
        return f"{r.when}, sổ theo dõi chưa có mô hình nào. {GAP}"
    dissolved = figures["dissolved_this_year"]
    state = f"{_n(figures['active'])} mô hình đang hoạt động" + (
        f", {_n(dissolved)} mô hình giải thể trong năm" if dissolved else "")
    labels = figures["level_labels"]
    graded = _counts((labels[code], count) for code, count in figures["by_level"].items() if count)
    ungraded = f"; {_n(figures['ungraded'])} mô hình chưa xếp loại" if figures["ungraded"] else ""
    kha = labels.get("kha", "Khá")
    mark = "đạt" if figures["met"] else "chưa đạt"
    lines = [(f"{r.when}, toàn {r.profile.kind.label} có {_n(figures['total'])} mô hình ({state}). Kết quả xếp loại: "
             f"{graded or 'chưa xếp loại mô hình nào'}{ungraded}; {_n(figures['kha_or_above'])} mô hình xếp loại "
             f"{kha} trở lên (chỉ tiêu {_n(figures['target_kha_or_above'])}, {mark}).")]
    best = [row for row in r.models if row.grade is not None and not row.dissolved]
    if best:
        lines.append("Các mô hình: " + "; ".join(
            f"\u201c{row.name}\u201d ({row.host_names or r.ward}), xếp loại {row.grade_label}" for row in best) + ".")
    return "\n".join(lines)


def _draft_forces(r: _Records) -> str:
    by_kind, total = r.forces.by_kind, r.forces.total
    if not total.members:
        return f"{r.when}, sổ theo dõi chưa có thành viên lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở. {GAP}"
    parts = []
    if by_kind[ForceKind.TO_BAO_VE].members:
        parts.append(f"{_n(r.teams[ForceKind.TO_BAO_VE])} Tổ bảo vệ an ninh, trật tự với "
                     f"{_n(by_kind[ForceKind.TO_BAO_VE].members)} thành viên")
    if by_kind[ForceKind.BAO_VE_CO_QUAN].members:
        parts.append(f"{_n(by_kind[ForceKind.BAO_VE_CO_QUAN].members)} người làm công tác bảo vệ tại "
                     f"{_n(r.teams[ForceKind.BAO_VE_CO_QUAN])} cơ quan, doanh nghiệp, cơ sở giáo dục")
    if by_kind[ForceKind.DAN_PHONG].members:
        parts.append(f"đội dân phòng {_n(by_kind[ForceKind.DAN_PHONG].members)} người")
    lines = [(f"Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở của {r.ward} gồm {'; '.join(parts)}; tổng cộng "
             f"{_n(total.members)} người. {r.when}, đã huấn luyện, bồi dưỡng {_share(total.trained, total.members)}"
             f" người, trang bị {_share(total.equipped, total.members)} người.")]
    ratings = r.forces.ratings
    rated = _counts((f"tổ {_lower_first(level.label)}", ratings.by_level[level]) for level in ForceLevel
                    if ratings.by_level[level])
    if rated:
        unrated = f", {_n(ratings.unrated)} tổ chưa xếp loại" if ratings.unrated else ""
        lines.append(f"Kết quả đánh giá, xếp loại Tổ bảo vệ an ninh, trật tự năm {r.year}: {rated}{unrated}.")
    return "\n".join(lines)


def _draft_festival(r: _Records) -> str:
    share = r.events.festival
    if not share.units:
        return f"Chưa có đơn vị nào thuộc diện tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d. {GAP}"
    if not share.held:
        return (f"\u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d được tổ chức vào dịp 19/8; đến ngày "
                f"{vntext.format_date(r.today)}, sổ theo dõi chưa ghi nhận đơn vị nào tổ chức. {GAP}")
    text = (f"{r.when}, {_share(share.held, share.units)} đơn vị đã tổ chức \u201cNgày hội toàn dân bảo vệ an ninh "
            f"Tổ quốc\u201d với {_n(r.events.festival_participants)} lượt người tham gia (chỉ tiêu "
            f"{doc.cell_text(Percent(share.target_pct))}).")
    if share.missing:
        text += f" Còn {_n(len(share.missing))} đơn vị chưa tổ chức: {', '.join(share.missing)}."
    return text


def _draft_antt(r: _Records) -> str:
    antt, scored = r.figures.antt, r.figures.classification
    total = antt.total
    kinds = "; ".join(f"{_lower_first(kind.label)} {_n(f.registered)}/{_n(f.eligible)}"
                      for kind, f in antt.by_kind.items() if f.eligible)
    lines = [(f"{r.when}, toàn {r.profile.kind.label} có {_share(total.registered, total.eligible)} đơn vị đăng ký "
             f"xây dựng {STANDARD_NAME} ({kinds}); đã đánh giá {_n(total.assessed)} đơn vị; "
             f"{_share(total.recognized, total.eligible)} đơn vị được công nhận đạt tiêu chuẩn (chỉ tiêu "
             f"{_target_words(plan.AT_LEAST, plan.PERCENT, round(antt.target_recognized_pct))}).")]
    figures = scored.total
    if figures.units:
        levels = _counts((level.label, figures.by_level[level.code]) for level in scored.levels)
        kha = next((level.label for level in scored.levels if level.code == "kha"), "Khá")
        lines.append(f"Phân loại {MOVEMENT}: đã chấm điểm {_n(figures.units)}/{_n(figures.eligible)} đơn vị; "
                     f"{levels}; xếp loại {kha} trở lên {doc.cell_text(Percent(figures.kha_or_above_pct))} "
                     f"(chỉ tiêu {doc.cell_text(Percent(scored.target_kha_or_above_pct))}).")
    else:
        lines.append(f"Phân loại {MOVEMENT}: chưa chấm điểm đơn vị nào.")
    return "\n".join(lines)


def _draft_people(r: _Records) -> str:
    return (f"{r.when}, quần chúng nhân dân đã cung cấp {GAP} tin báo, tố giác tội phạm ({GAP} tin có giá trị); "
            f"giúp phát hiện, bắt giữ {GAP} vụ, {GAP} đối tượng; vận động {GAP} đối tượng ra đầu thú; thu hồi {GAP} "
            f"vũ khí, vật liệu nổ, công cụ hỗ trợ; hòa giải thành {GAP} vụ việc; quản lý, giáo dục {GAP} người vi phạm "
            f"pháp luật tại cộng đồng.")


def _draft_awards(r: _Records) -> str:
    if not r.awards:
        return f"{r.when}, sổ theo dõi chưa ghi nhận khen thưởng nào. {GAP}"
    people = sum(row.to_person for row in r.awards)
    groups = Counter((row.form_shown, row.level) for row in r.awards)
    given = "; ".join(f"{_n(count)} {form} của {level}" for (form, level), count in groups.items())
    return (f"{r.when}, có {_n(len(r.awards))} tập thể, cá nhân được khen thưởng ({_n(len(r.awards) - people)} tập "
            f"thể, {_n(people)} cá nhân), gồm: {given}.")


def _actual(result: targets.TargetResult) -> doc.Cell:
    """A target's figure, formatted as the tables' figures are."""
    if result.actual is None:
        return None
    return Percent(result.actual) if result.unit == plan.PERCENT else round(result.actual)


def _done(result: targets.TargetResult) -> str:
    """"thực hiện 87%", or "chưa có số liệu"."""
    return "chưa có số liệu" if result.actual is None else f"thực hiện {doc.cell_text(_actual(result))}"


def _result_words(result: targets.TargetResult) -> str:
    return f"{result.name} ({_done(result)}, chỉ tiêu {result.target_text})"


def _draft_assessment(r: _Records) -> str:
    results = r.figures.targets
    met = [result for result in results if result.status is plan.Status.MET]
    unmet = [result for result in results if result.status in (plan.Status.AT_RISK, plan.Status.MISSED)]
    unknown = [result for result in results if result.status is plan.Status.NO_DATA]
    good = "1. Ưu điểm:"
    if results:
        listed = ": " + "; ".join(_result_words(result) for result in met) if met else ""
        good += f" Đạt {_n(len(met))}/{_n(len(results))} chỉ tiêu của kế hoạch{listed}."
    weak = "2. Hạn chế, nguyên nhân:"
    if unmet:
        weak += " Chưa đạt: " + "; ".join(_result_words(result) for result in unmet) + "."
    if unknown:
        weak += " Chưa có số liệu: " + "; ".join(result.name for result in unknown) + "."
    return "\n".join((f"{good} {GAP}", f"{weak} Nguyên nhân: {GAP}", f"3. Bài học kinh nghiệm: {GAP}"))


def _draft_direction(r: _Records) -> str:
    if r.period == HALF:
        return _draft_second_half(r)
    lines = [(f"Năm {r.year + 1}, {r.police} tiếp tục tham mưu Đảng ủy, Ủy ban nhân dân {r.ward} lãnh đạo, chỉ đạo "
             f"thực hiện {MOVEMENT}, phấn đấu đạt các chỉ tiêu:")]
    lines += [f"- {row.name}: {_target_words(row.comparison, row.unit, row.target)};" for row in r.next_targets]
    lines.append(f"- {GAP}")
    return "\n".join(lines)


def _draft_second_half(r: _Records) -> str:
    lines = [f"6 tháng cuối năm {r.year}, {r.police} tập trung thực hiện:"]
    lines += [f"- {result.name}: phấn đấu đạt chỉ tiêu {result.target_text} (đến ngày "
              f"{vntext.format_date(r.today)} {_done(result)});"
              for result in r.figures.targets if result.status is not plan.Status.MET]
    if r.today < date(r.year, 8, 19):
        lines.append(f"- Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d (19/8/{r.year}) ở các đơn vị;")
    lines.append(f"- Đánh giá, xét công nhận {STANDARD_NAME} và phân loại {MOVEMENT} năm {r.year};")
    lines.append(f"- {GAP}")
    return "\n".join(lines)


def _draft_proposals(r: _Records) -> str:
    total = r.forces.total
    asks = []
    whom = f"Công an {r.profile.province_title}"
    if total.members and total.trained < total.members:
        asks.append(f"Đề nghị {whom} mở lớp huấn luyện, bồi dưỡng nghiệp vụ cho lực lượng tham gia bảo vệ an ninh, "
                    f"trật tự ở cơ sở ({_n(total.members - total.trained)} người chưa được huấn luyện).")
    if total.members and total.equipped < total.members:
        asks.append(f"Đề nghị {whom} quan tâm bố trí kinh phí, trang bị cho lực lượng tham gia bảo vệ an ninh, "
                    f"trật tự ở cơ sở ({_n(total.members - total.equipped)} người chưa được trang bị).")
    asks.append(GAP)
    return "\n".join(asks)


_DRAFTS = {
    "dac_diem": _draft_situation, "lanh_dao": _draft_leadership, "tuyen_truyen": _draft_propaganda,
    "mo_hinh": _draft_models, "luc_luong": _draft_forces, "ngay_hoi": _draft_festival, "antt": _draft_antt,
    "quan_chung": _draft_people, "khen_thuong": _draft_awards, "danh_gia": _draft_assessment,
    "phuong_huong": _draft_direction, "de_xuat": _draft_proposals,
}


# ---- the tables -------------------------------------------------------------------------------------

def _column(heading: str, weight: float, align: str = "CENTER") -> frame.Column:
    return frame.Column(heading, weight, align)


def _compared(now: float | None, before: float | None) -> str:
    """"tăng 3,7%", "giảm 1,9%", "không đổi"; "—" when either year has no figure."""
    if now is None or before is None:
        return "—"
    change = round(now - before, 1)
    if change == 0:
        return "không đổi"
    return f"{'tăng' if change > 0 else 'giảm'} {doc.cell_text(Percent(abs(change)))}"


def _table_antt(r: _Records) -> ReportTable:
    antt = r.figures.antt

    def row(label: str, now: stats.AnttFigures, before: stats.AnttFigures | None) -> tuple:
        before_pct = before.recognized_pct if before is not None and before.assessed else None
        now_pct = now.recognized_pct if now.eligible else None
        # A year not assessed yet (a sơ kết) is not "down 94%" on the year before.
        compared = _compared(now_pct if now.assessed else None, before_pct)
        return (label, now.eligible, now.registered, now.recognized, Percent(now_pct), compared)

    def previous(kind: UnitKind | None) -> stats.AnttFigures | None:
        if r.previous is None:
            return None
        return r.previous.total if kind is None else r.previous.by_kind[kind]

    rows = [row(kind.label, antt.by_kind[kind], previous(kind)) for kind in UnitKind]
    rows.append(row("Tổng cộng", antt.total, previous(None)))
    columns = (_column("Loại đơn vị", 30, "LEFT"), _column("Tổng số", 14), _column("Số đăng ký", 16),
               _column("Số được công nhận", 18), _column("Tỷ lệ %", 14), _column("So với năm trước", 20))
    return ReportTable("antt", f"Kết quả đăng ký, công nhận {STANDARD_NAME} {_lower_first(r.when)}",
                       "Đăng ký, công nhận ANTT", columns, tuple(rows))


def _table_classification(r: _Records) -> ReportTable:
    scored = r.figures.classification
    kha = next((level.label for level in scored.levels if level.code == "kha"), "Khá")

    def row(label: str, figures) -> tuple:
        return (label, figures.eligible, figures.units, *(figures.by_level[level.code] for level in scored.levels),
                Percent(figures.kha_or_above_pct))

    rows = [row(kind.label, scored.by_kind[kind]) for kind in UnitKind if kind in scored.by_kind]
    rows.append(row("Tổng cộng", scored.total))
    columns = (_column("Loại đơn vị", 26, "LEFT"), _column("Thuộc diện", 12), _column("Đã chấm điểm", 13),
               *(_column(level.label, 12) for level in scored.levels), _column(f"{kha} trở lên", 13))
    return ReportTable("phan_loai", f"Kết quả phân loại {MOVEMENT} năm {r.year}", "Phân loại phong trào",
                       columns, tuple(rows))


def _table_models(r: _Records) -> ReportTable:
    def grade(row: security_models.ModelRow) -> str:
        if row.dissolved and row.dissolved_on.year <= r.year:
            return f"Giải thể {vntext.format_date(row.dissolved_on)}"
        return row.grade_label or "Chưa xếp loại"

    # A year is text: never grouped as "2.021".
    rows = [(str(number), row.name, str(row.started_on.year) if row.started_on else None, row.members, row.sites,
             row.host_names or r.profile.ward_title, grade(row)) for number, row in enumerate(r.models, start=1)]
    rows.append(("", f"Tổng cộng: {_n(len(r.models))} mô hình", "", sum(row.members or 0 for row in r.models),
                 sum(row.sites or 0 for row in r.models), "", ""))
    columns = (_column("TT", 6), _column("Tên mô hình", 34, "LEFT"), _column("Năm thành lập", 12),
               _column("Số thành viên", 12), _column("Số điểm", 10), _column("Địa bàn", 26, "LEFT"),
               _column("Xếp loại", 16))
    return ReportTable("mo_hinh", f"Các mô hình {MOVEMENT} năm {r.year}", "Mô hình", columns, tuple(rows))


def _table_propaganda(r: _Records) -> ReportTable:
    def reach(kind: ActivityKind) -> int | None:
        known = [a.reach for a in r.activities if a.kind is kind and a.reach is not None]
        return sum(known) if known else None

    rows = [(kind.label, r.events.by_kind[kind], reach(kind)) for kind in ActivityKind]
    rows.append(("Tổng cộng", r.events.activities, r.events.reach))
    columns = (_column("Hình thức", 44, "LEFT"), _column("Số buổi, tin, bài", 28), _column("Số lượt người", 28))
    return ReportTable("tuyen_truyen", f"Kết quả tuyên truyền {_lower_first(r.when)}", "Tuyên truyền", columns,
                       tuple(rows))


def _table_forces(r: _Records) -> ReportTable:
    def row(label: str, teams: int | str, figures) -> tuple:
        return (label, teams, figures.members, figures.trained, Percent(figures.trained_pct), figures.equipped,
                Percent(figures.equipped_pct))

    rows = [row(kind.label, r.teams[kind], r.forces.by_kind[kind]) for kind in ForceKind]
    rows.append(row("Tổng cộng", sum(r.teams.values()), r.forces.total))
    columns = (_column("Lực lượng", 30, "LEFT"), _column("Số tổ, đội, đơn vị", 14), _column("Số thành viên", 12),
               _column("Đã huấn luyện", 12), _column("Tỷ lệ", 10), _column("Đã trang bị", 12), _column("Tỷ lệ", 10))
    return ReportTable("luc_luong", f"Lực lượng tham gia bảo vệ an ninh, trật tự ở cơ sở năm {r.year}",
                       "Lực lượng cơ sở", columns, tuple(rows))


def _table_ratings(r: _Records) -> ReportTable:
    ratings = r.forces.ratings
    row = (ratings.total, *(ratings.by_level[level] for level in ForceLevel), ratings.unrated)
    columns = (_column("Số tổ", 12), *(_column(level.label, 19) for level in ForceLevel),
               _column("Chưa xếp loại", 12))
    return ReportTable("xep_loai_to", f"Kết quả xếp loại Tổ bảo vệ an ninh, trật tự năm {r.year}",
                       "Xếp loại Tổ bảo vệ ANTT", columns, (row,), totals=0)


def _table_awards(r: _Records) -> ReportTable:
    groups: dict[tuple[str, str], list[int]] = {}
    for award in r.awards:
        counts = groups.setdefault((award.form_shown, award.level), [0, 0])
        counts[award.to_person] += 1
    rows = [(form, level, groups_, people) for (form, level), (groups_, people) in groups.items()]
    people = sum(award.to_person for award in r.awards)
    rows.append(("Tổng cộng", "", len(r.awards) - people, people))
    columns = (_column("Hình thức", 34, "LEFT"), _column("Cấp khen", 36, "LEFT"), _column("Tập thể", 15),
               _column("Cá nhân", 15))
    return ReportTable("khen_thuong", f"Kết quả khen thưởng {_lower_first(r.when)}", "Khen thưởng", columns,
                       tuple(rows))


def _table_targets(r: _Records) -> ReportTable:
    rows = [(str(number), result.name, result.target_text, _actual(result), result.status.label)
            for number, result in enumerate(r.figures.targets, start=1)]
    columns = (_column("TT", 6), _column("Chỉ tiêu", 50, "LEFT"), _column("Mục tiêu", 14),
               _column("Thực hiện", 14), _column("Đánh giá", 16))
    return ReportTable("chi_tieu", f"Kết quả thực hiện các chỉ tiêu của kế hoạch năm {r.year}", "Chỉ tiêu",
                       columns, tuple(rows), totals=0)


_TABLES = {
    "tuyen_truyen": _table_propaganda, "mo_hinh": _table_models, "luc_luong": _table_forces,
    "xep_loai_to": _table_ratings, "antt": _table_antt, "phan_loai": _table_classification,
    "khen_thuong": _table_awards, "chi_tieu": _table_targets,
}


def report_tables(session: Session, ward_id: int, year: int, period: str,
                  today: date | None = None) -> tuple[ReportTable, ...]:
    """Every table, in the order the document prints them, filled from the records as they stand."""
    check_year(year)
    records = _records(session, require_profile(session), ward_id, year, period, today)
    return _tables(records)


def _tables(records: _Records) -> tuple[ReportTable, ...]:
    return tuple(_TABLES[code](records) for spec in outline(records.year, records.period) for code in spec.tables)


# ---- the document ---------------------------------------------------------------------------------------

def report_document(session: Session, ward_id: int, year: int, period: str, today: date | None = None,
                    data: ReportInput | None = None) -> doc.YearReportDocument:
    """The report as plain data for the PDF: the stored one, or ``data`` as typed (not saved)."""
    # Imported here: antt_documents imports the stats that import the registers.
    from antq_desktop.services.antt_documents import police_issuer, police_signer

    draft, records = _load(session, ward_id, year, period, today)
    typed = _clean_input(year, period, data) if data is not None else draft.as_input()
    tables = {table.code: table for table in _tables(records)}
    profile = records.profile
    return doc.YearReportDocument(
        issuer=police_issuer(profile), number=typed.number, symbol=draft.symbol,
        issued_on=typed.report_date, year=typed.report_date.year if typed.report_date else year,
        subject=subject(year, period), recipient=typed.recipient, opening=_opening(records, typed.reference),
        parts=_parts(records, typed, draft, tables), closing=_closing(records), signer=police_signer(profile),
        recipients=("- Như trên;", f"- Đảng ủy, UBND {profile.kind.label} (để b/c);", "- Lưu: VT."),
    )


def _opening(r: _Records, reference: str) -> str:
    reference = reference.strip().rstrip(".,;: ")
    scope = "sơ kết 6 tháng đầu năm" if r.period == HALF else "kết quả thực hiện năm"
    # A report made while its year runs says when its figures were taken.
    taken = f" (số liệu tính đến ngày {vntext.format_date(r.today)})" if (
        r.period == HALF or r.today <= date(r.year, 12, 31)) else ""
    lead = f"{reference}, {r.police}" if reference else r.police
    return f"{lead} báo cáo {scope} {r.year}{taken} như sau:"


def _closing(r: _Records) -> str:
    return f"Trên đây là báo cáo {_lower_first(subject(r.year, r.period))} của {r.police}./."


def _parts(r: _Records, typed: ReportInput, draft: ReportDraft, tables: dict[str, ReportTable]
           ) -> tuple[doc.ReportPart, ...]:
    parts = []
    for spec in outline(r.year, r.period):
        if spec.code == "lanh_dao":
            parts.append(doc.ReportPart(RESULTS_HEADING, 1))
        text = typed.sections.get(spec.code) or draft.text(spec.code)
        parts.append(doc.ReportPart(spec.heading, 1 if spec.part else 2, text,
                                    tuple(tables[code] for code in spec.tables)))
    return tuple(parts)


def report_pdf(session: Session, ward_id: int, year: int, period: str, today: date | None = None,
               data: ReportInput | None = None) -> bytes:
    buffer = io.BytesIO()
    doc.render_year_report(report_document(session, ward_id, year, period, today, data), buffer)
    return buffer.getvalue()


# ---- the tables in Excel ------------------------------------------------------------------------------

def export_tables(session: Session, ward_id: int, year: int, period: str, path: str | Path,
                  today: date | None = None) -> int:
    """Every table to one .xlsx, a sheet each with Vietnamese headers; returns the number of sheets."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from antq_desktop.services.excel import save_workbook, write_table

    tables = report_tables(session, ward_id, year, period, today)
    workbook = Workbook()
    workbook.remove(workbook.active)
    for number, table in enumerate(tables, start=1):
        sheet = workbook.create_sheet(f"{number}. {table.sheet}"[:31])
        rows = [[_excel_value(value) for value in row] for row in table.rows]
        write_table(sheet, [column.heading for column in table.columns], rows,
                    [max(10, round(column.weight * 1.6)) for column in table.columns])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, float):
                    cell.number_format = "0.0%"
        for row in sheet.iter_rows(min_row=sheet.max_row - table.totals + 1) if table.totals else ():
            for cell in row:
                cell.font = Font(bold=True)
    save_workbook(workbook, path)
    return len(tables)


def _excel_value(value: doc.Cell):
    """Numbers stay numbers (a rate as a fraction shown "85.7%"), so the sheet can be summed."""
    if isinstance(value, Percent):
        return None if value.value is None else value.value / 100
    return value


__all__ = [
    "HALF", "NO_REPORT", "PERIODS", "YEAR", "ReportDraft", "ReportInput", "SectionSpec", "SectionText",
    "default_recipient", "default_reference", "export_tables", "get_report", "outline", "regenerate_section",
    "report_document", "report_pdf", "report_tables", "save_report", "subject", "title",
]
