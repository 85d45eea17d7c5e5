"""The demo ward: phường Minh Xuân, tỉnh Tuyên Quang, with a realistic, repeatable register.

The ward and its plan come from shared/seeds (the real 2026-2030 plan); the units, people and
addresses are invented. A fixed random seed makes every demo database the same, so tests and
screenshots can rely on it.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal

from sqlalchemy.orm import Session

from antq_desktop.domain.criteria import KINDS
from antq_desktop.domain.units import SchoolLevel, UnitKind
from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.services import classification, targets
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitInput

DEMO_PROFILE = profile_service.ProfileInput(
    province_kind=ProvinceKind.TINH,
    province_name="Tuyên Quang",
    kind=WardKind.PHUONG,
    name="Minh Xuân",
    police_unit_name="Công an phường Minh Xuân",
    chairman_name="Hoàng Văn Thắng",
    chairman_title="Chủ tịch",
    police_chief_name="Nguyễn Đức Huy",
    police_chief_title="Trưởng Công an phường",
    place_name="Minh Xuân",
    ubnd_doc_suffix="UBND",
    police_doc_suffix="CAP",
)

_PLACE = "phường Minh Xuân, tỉnh Tuyên Quang"
_STREETS = (
    "đường Tân Trào", "đường Bình Thuận", "đường 17/8", "đường Chiến Thắng Sông Lô", "đường Lê Duẩn",
    "đường Trần Hưng Đạo", "đường Phan Thiết", "đường Nguyễn Trãi", "đường Quang Trung", "đường Đinh Tiên Hoàng",
)
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi", "Đỗ", "Ma", "Hà", "Nông", "Lương", "Triệu")
_MIDDLE_MEN = ("Văn", "Đức", "Minh", "Quang", "Hữu", "Xuân", "Thanh")
_MIDDLE_WOMEN = ("Thị", "Thu", "Thanh", "Ngọc", "Bích", "Minh")
_GIVEN_MEN = ("Hùng", "Dũng", "Tuấn", "Thắng", "Long", "Sơn", "Hải", "Bình", "Quý", "Toàn", "Việt", "Khánh", "Ánh")
_GIVEN_WOMEN = ("Lan", "Hương", "Hạnh", "Thủy", "Ánh", "Yến", "Ngân", "Hoà", "Mai", "Loan", "Trang", "Huyền")

_AGENCIES = (
    ("Đảng ủy phường Minh Xuân", False), ("Ủy ban nhân dân phường Minh Xuân", False),
    ("Ủy ban Mặt trận Tổ quốc Việt Nam phường Minh Xuân", False), ("Trạm Y tế phường Minh Xuân", False),
    ("Ban Chỉ huy Quân sự phường Minh Xuân", True), ("Trung tâm Phục vụ hành chính công phường Minh Xuân", False),
    ("Kho bạc Nhà nước khu vực VIII - Phòng Giao dịch số 3", False), ("Thuế cơ sở 1 tỉnh Tuyên Quang", False),
    ("Bảo hiểm xã hội cơ sở Minh Xuân", False), ("Thư viện tỉnh Tuyên Quang", False),
    ("Bảo tàng tỉnh Tuyên Quang", False), ("Trung tâm Văn hóa - Thông tin và Thể thao phường", False),
    ("Đội Quản lý thị trường số 1", False), ("Bưu điện phường Minh Xuân", False),
    ("Ban Quản lý chợ Tam Cờ", False),
)
_ENTERPRISES = (
    ("Công ty Cổ phần Xi măng Tân Quang", False), ("Công ty TNHH MTV Điện lực Tuyên Quang", False),
    ("Ngân hàng TMCP Công Thương - Chi nhánh Tuyên Quang", False),
    ("Ngân hàng Nông nghiệp và Phát triển Nông thôn - Chi nhánh Minh Xuân", False),
    ("Công ty Cổ phần Dược phẩm Tuyên Quang", False), ("Công ty Cổ phần Cấp thoát nước Tuyên Quang", False),
    ("Công ty Cổ phần Môi trường và Dịch vụ đô thị", False), ("Công ty TNHH Giày Hoa Lợi Đạt", False),
    ("Công ty Cổ phần Khoáng sản Đông Á", False), ("Khách sạn Mường Thanh Tuyên Quang", False),
    ("Công ty TNHH Xây dựng Hoàng Hà", False), ("Siêu thị Co.opmart Tuyên Quang", False),
    ("Công ty Cổ phần Giấy An Hòa", False), ("Công ty TNHH Thương mại Ánh Dương", True),
    ("Công ty TNHH In và Quảng cáo Sông Lô", True), ("Doanh nghiệp tư nhân Vàng bạc Kim Thành", True),
    ("Công ty TNHH Dịch vụ Vận tải Minh Khai", True), ("Hợp tác xã Chè Mỹ Bằng", True),
    ("Công ty TNHH Nhà hàng Ẩm thực Đồi Cọ", True), ("Công ty Cổ phần Thiết bị Y tế Tân Trào", True),
    ("Công ty TNHH Điện tử Bảo Anh", True), ("Công ty TNHH Xăng dầu Tuyên Quang", False),
    ("Công ty TNHH Một thành viên Lâm nghiệp Tân Thành", False), ("Công ty TNHH Đồ gỗ Đông Phương", True),
    ("Công ty Cổ phần Bê tông Ánh Sáng", False),
)
_SCHOOLS = (
    ("Trường Mầm non Hoa Sen", SchoolLevel.MAM_NON), ("Trường Mầm non Minh Xuân", SchoolLevel.MAM_NON),
    ("Trường Tiểu học Minh Xuân", SchoolLevel.TIEU_HOC), ("Trường Tiểu học Phan Thiết", SchoolLevel.TIEU_HOC),
    ("Trường THCS Minh Xuân", SchoolLevel.THCS), ("Trường THCS Phan Thiết", SchoolLevel.THCS),
    ("Trường THPT Tân Trào", SchoolLevel.THPT), ("Trường Cao đẳng Kỹ thuật Tuyên Quang", SchoolLevel.GDNN),
)


class _People:
    """Invented but plausible heads and phone numbers, the same on every run."""

    def __init__(self, seed: int = 2026):
        self._random = random.Random(seed)

    def name(self) -> str:
        pick = self._random.choice
        if self._random.random() < 0.6:
            return f"{pick(_FAMILY)} {pick(_MIDDLE_MEN)} {pick(_GIVEN_MEN)}"
        return f"{pick(_FAMILY)} {pick(_MIDDLE_WOMEN)} {pick(_GIVEN_WOMEN)}"

    def phone(self) -> str:
        return "0" + self._random.choice("389") + "".join(self._random.choice("0123456789") for _ in range(8))

    def address(self) -> str:
        return f"Số {self._random.randint(1, 420)}, {self._random.choice(_STREETS)}, {_PLACE}"

    def between(self, low: int, high: int) -> int:
        return self._random.randint(low, high)


def demo_units() -> list[UnitInput]:
    people = _People()
    units = [
        UnitInput(
            kind=UnitKind.KDC, category="Tổ dân phố", name=f"Tổ dân phố {n}",
            address=f"Khu vực {_STREETS[n % len(_STREETS)]}, {_PLACE}", head_name=people.name(),
            head_title="Tổ trưởng tổ dân phố", head_phone=people.phone(), has_party_org=True,
            households=people.between(120, 420), protection_force="Tổ bảo vệ an ninh, trật tự",
            protection_force_size=people.between(3, 7), managing_authority="UBND phường Minh Xuân",
        )
        for n in range(1, 21)
    ]
    units += [
        UnitInput(
            kind=UnitKind.CO_QUAN, name=name, address=people.address(), head_name=people.name(),
            head_title="Thủ trưởng cơ quan", head_phone=people.phone(), is_armed_forces=armed,
            has_party_org=True, staff_count=people.between(8, 60), protection_force="Tổ bảo vệ cơ quan",
            protection_force_size=people.between(1, 4),
        )
        for name, armed in _AGENCIES
    ]
    units += [
        UnitInput(
            kind=UnitKind.DOANH_NGHIEP, name=name, address=people.address(), head_name=people.name(),
            head_title="Giám đốc", head_phone=people.phone(), is_small_or_micro=small,
            has_party_org=not small, staff_count=people.between(5, 40) if small else people.between(60, 900),
            protection_force="" if small else "Đội bảo vệ doanh nghiệp",
            protection_force_size=None if small else people.between(3, 15),
        )
        for name, small in _ENTERPRISES
    ]
    units += [
        UnitInput(
            kind=UnitKind.GIAO_DUC, name=name, address=people.address(), head_name=people.name(),
            head_title="Hiệu trưởng", head_phone=people.phone(), school_level=level, has_party_org=True,
            staff_count=people.between(20, 90), learner_count=people.between(250, 1400),
            protection_force="Tổ bảo vệ nhà trường", protection_force_size=people.between(2, 5),
            managing_authority="UBND phường Minh Xuân" if level in (SchoolLevel.MAM_NON, SchoolLevel.TIEU_HOC,
                                                                   SchoolLevel.THCS) else "Sở Giáo dục và Đào tạo",
        )
        for name, level in _SCHOOLS
    ]
    return units


def load_demo(session: Session, actor: str, *, field_work: bool = True) -> int:
    """Fill an empty database with the demo ward; returns how many units it added. Without
    ``field_work`` the finished year has its scores only (tests that build their own records)."""
    if profile_service.get_profile(session) is not None:
        raise UserError(
            "Tệp dữ liệu này đã có thông tin xã, phường. Dữ liệu mẫu chỉ nạp được vào một tệp dữ liệu mới."
        )
    ward = profile_service.save_profile(session, DEMO_PROFILE, actor)
    added = unit_service.insert_units(session, ward.id, demo_units(), actor)
    targets.add_demo_plan(session, ward.id, actor)  # the 2026–2030 plan's targets (shared/seeds)
    _demo_classification(session, ward.id, CLASSIFIED_YEAR, actor)
    if field_work:
        _demo_field_work(session, ward.id, CLASSIFIED_YEAR, actor)
        _demo_plan_documents(session, ward.id, PLAN_YEAR, actor)
    return added


# The demo's finished year, scored and with its field work: the current one is left for the
# user to fill, and a finished year gives the same figures whatever the day the demo is built.
CLASSIFIED_YEAR = 2025
PLAN_YEAR = 2026  # the first year of the 2026–2030 plan: its task table and budget estimate


def _demo_field_work(session: Session, ward_id: int, year: int, actor: str) -> None:
    """A year of inspections, core forces, propaganda and the Ngày hội, models and awards."""
    from antq_desktop.services import (  # only the demo needs them here
        awards,
        core_forces,
        demo_history,
        events,
        inspections,
        security_models,
    )

    year_end = date(year, 12, 31)
    inspections.add_demo_inspections(session, ward_id, year, actor, today=year_end)
    core_forces.add_demo_forces(session, ward_id, year, actor, today=year_end)
    events.add_demo_events(session, ward_id, year, actor)
    security_models.add_demo_models(session, ward_id, year, actor)
    awards.add_demo_awards(session, ward_id, year, actor)  # after the models: some awards are theirs
    demo_history.add_demo_antt_years(session, ward_id, actor)  # after the forces: their ratings feed criterion 5


def _demo_plan_documents(session: Session, ward_id: int, year: int, actor: str) -> None:
    """The plan's first year under way: every eligible unit registered in Quý I (the review meetings
    are left to do), the task table (its statuses those of the day the demo is made) and the budget."""
    from antq_desktop.services import antt, budget, tasks

    antt.register_all_eligible(session, ward_id, year, date(year, 2, 20), actor)
    tasks.add_demo_tasks(session, ward_id, year, actor)
    budget.add_demo_budget(session, ward_id, year, actor)


def _demo_classification(session: Session, ward_id: int, year: int, actor: str) -> None:
    """Every unit's own scores, and the ward's where it scored lower, for a realistic spread
    of levels (mostly Khá, a few Xuất sắc and Trung bình)."""
    pick = random.Random(year)
    for kind in KINDS:
        grid = classification.year_grid(session, ward_id, year, kind)
        edits = []
        for row in grid.rows:
            quality = pick.choice((0.62, 0.75, 0.8, 0.85, 0.88, 0.95, 0.97))
            for item in grid.columns:
                edits += _demo_cells(pick, row.unit_id, item, quality)
        classification.save_cells(session, ward_id, year, kind, edits, actor)


def _demo_cells(pick: random.Random, unit_id: int | None, item, quality: float) -> list:
    if item.deduction:
        return [] if pick.random() > 0.1 else [classification.CellEdit(unit_id, item.code, classification.SELF, Decimal(-1))]
    own = min(item.max_points, _half_points(item.max_points * Decimal(str(quality + pick.uniform(0, 0.12)))))
    cells = [classification.CellEdit(unit_id, item.code, classification.SELF, own)]
    if pick.random() < 0.25:
        cells.append(classification.CellEdit(unit_id, item.code, classification.WARD_SCORE, max(Decimal(0), own - 1)))
    return cells


def _half_points(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value() / 2
