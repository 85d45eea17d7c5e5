"""How Vietnamese lists word a unit's columns, kinds, school levels and yes/no cells."""

from __future__ import annotations

import pytest

from antq_desktop.domain.unit_lists import (
    KIND,
    ends_table,
    flag_in,
    fold,
    header_field,
    kdc_category_of,
    kind_in_text,
    kind_of_name,
    school_level_in,
)
from antq_desktop.domain.units import SchoolLevel, UnitKind


def test_folding_ignores_case_tones_and_punctuation():
    assert fold("  Số ĐT / DĐ: ") == "so dt dd"
    assert fold("Hoà") == fold("HÒA") == "hoa"


@pytest.mark.parametrize("header, field", [
    ("Tên tổ dân phố", "name"), ("TÊN TỔ DÂN PHỐ", "name"), ("  ten   to dan pho ", "name"),
    ("Tên đơn vị", "name"), ("Tên doanh nghiệp", "name"), ("Tên trường", "name"), ("Tên cơ quan, đơn vị", "name"),
    ("Họ tên tổ trưởng", "head_name"), ("HỌ VÀ TÊN TỔ TRƯỞNG", "head_name"), ("Tên người đứng đầu", "head_name"),
    ("Giám đốc", "head_name"), ("Hiệu trưởng", "head_name"), ("Người đại diện theo pháp luật", "head_name"),
    ("Số điện thoại", "head_phone"), ("SĐT", "head_phone"), ("So DT", "head_phone"),
    ("Điện thoại tổ trưởng", "head_phone"), ("Số điện thoại tổ trưởng", "head_phone"),
    ("Chức vụ", "head_title"), ("Địa chỉ", "address"), ("Dia chi tru so:", "address"),
    ("Số hộ gia đình", "households"), ("Tổng số hộ", "households"), ("Số CB, CNV", "staff_count"),
    ("Số lao động", "staff_count"), ("Số học sinh", "learner_count"), ("Cấp học", "school_level"),
    ("Loại đơn vị", KIND), ("Phân loại", "category"), ("Có tổ chức Đảng", "has_party_org"),
    ("Lực lượng bảo vệ", "protection_force"), ("Số người tổ bảo vệ", "protection_force_size"),
    ("Cơ quan chủ quản", "managing_authority"), ("Ghi chú", "notes"), ("Doanh nghiệp nhỏ, siêu nhỏ",
                                                                        "is_small_or_micro"),
    ("STT", ""), ("TT", ""), ("Mã số thuế", ""), ("Ngày thành lập", None), ("", None),
])
def test_a_header_names_its_field_whatever_the_spelling(header, field):
    assert header_field(header) == field


@pytest.mark.parametrize("name, kind", [
    ("Tổ dân phố 5", UnitKind.KDC), ("TDP số 3", UnitKind.KDC), ("Thôn Đông", UnitKind.KDC),
    ("Bản Nà Lầu", UnitKind.KDC), ("Ban Chỉ huy Quân sự phường", UnitKind.CO_QUAN),
    ("UBND phường Minh Xuân", UnitKind.CO_QUAN), ("Trạm Y tế", UnitKind.CO_QUAN),
    ("Công ty TNHH Hoa Mai", UnitKind.DOANH_NGHIEP), ("Tổng công ty Điện lực", UnitKind.DOANH_NGHIEP),
    ("HTX Rau sạch", UnitKind.DOANH_NGHIEP), ("Trường THCS Lê Lợi", UnitKind.GIAO_DUC),
    ("Nhà trẻ Hoa Sen", UnitKind.GIAO_DUC), ("co_quan", UnitKind.CO_QUAN), ("Cơ sở giáo dục", UnitKind.GIAO_DUC),
    ("Nguyễn Văn An", None), ("", None),
])
def test_the_kind_a_name_starts_with(name, kind):
    assert kind_of_name(name) is kind


def test_the_kind_a_heading_names_anywhere():
    assert kind_in_text("II. KHỐI CƠ QUAN, ĐƠN VỊ") is UnitKind.CO_QUAN
    assert kind_in_text("Các doanh nghiệp, hợp tác xã") is UnitKind.DOANH_NGHIEP
    assert kind_in_text("III. Trường học") is UnitKind.GIAO_DUC
    assert kind_in_text("Tên tổ dân phố") is UnitKind.KDC
    assert kind_in_text("Khu vực A") is None


@pytest.mark.parametrize("text, level", [
    ("Trường THPT Chu Văn An", SchoolLevel.THPT), ("Trường Trung học cơ sở Lê Lợi", SchoolLevel.THCS),
    ("Trường TH Kim Đồng", SchoolLevel.TIEU_HOC), ("Trường Mầm non Sơn Ca", SchoolLevel.MAM_NON),
    ("Trường TH&THCS Hoà Bình", SchoolLevel.NHIEU_CAP), ("Trường Cao đẳng Y tế", SchoolLevel.DAI_HOC),
    ("Trung tâm Giáo dục nghề nghiệp", SchoolLevel.GDNN), ("mam_non", SchoolLevel.MAM_NON),
    ("Trường Hoa Cúc", None),
])
def test_a_school_level_from_a_cell_or_a_name(text, level):
    assert school_level_in(text) is level


def test_a_kdc_category_from_a_name():
    assert kdc_category_of("Thôn Đông") == "Thôn"
    assert kdc_category_of("TỔ DÂN PHỐ 12") == "Tổ dân phố"
    assert kdc_category_of("Công ty A") == ""


@pytest.mark.parametrize("name, text, value", [
    ("has_party_org", "x", True), ("has_party_org", "Có", True), ("has_party_org", "✓", True),
    ("has_party_org", "Chi bộ", True), ("has_party_org", "không", False), ("has_party_org", "-", False),
    ("is_small_or_micro", "Siêu nhỏ", True), ("is_small_or_micro", "Vừa", False),
    ("has_party_org", "có lẽ", None), ("has_party_org", "Vừa", None),
])
def test_a_yes_no_cell(name, text, value):
    assert flag_in(name, text) is value


@pytest.mark.parametrize("text, ends", [
    ("Tổng cộng", True), ("Tổng cộng: 20 tổ", True), ("Cộng", True), ("Tổng số: 15", True),
    ("NGƯỜI LẬP BIỂU", True), ("TM. ỦY BAN NHÂN DÂN", True), ("Minh Xuân, ngày 05 tháng 01 năm 2026", True),
    ("Ghi chú: số liệu đến 31/12", True), ("Tổng công ty Điện lực", False), ("Công ty Hoa Mai", False),
    ("Công an phường", False), ("Tổ dân phố 1", False),
])
def test_the_lines_that_close_a_table(text, ends):
    assert ends_table(text) is ends


def test_the_kind_column_is_a_field_of_its_own():
    assert header_field("Loại đơn vị") == KIND
