"""The unit register service (and the demo ward it is first filled with) on real databases."""

from __future__ import annotations

import itertools
import unicodedata
from dataclasses import fields, replace
from datetime import date, datetime

import pytest
from sqlalchemy import text

from antq_desktop.db.engine import open_database
from antq_desktop.domain import vntext
from antq_desktop.domain.units import SchoolLevel, UnitKind, UnitStatus
from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.services import demo
from antq_desktop.services import profile as profile_service
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitInput, UnitQuery, UnitSort

ACTOR = "cán bộ A"
DAY = date(2026, 3, 15)


def _nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


class Register:
    """A ward's unit register on one real database: each call is one transaction, as in the program."""

    def __init__(self, db):
        self.db = db
        with db.transaction() as session:
            self.ward_id = profile_service.require_profile(session).id

    def add(self, data: UnitInput | None = None, actor: str = ACTOR, **values) -> int:
        data = data if data is not None else UnitInput(**{"kind": UnitKind.KDC, **values})
        with self.db.transaction() as session:
            return unit_service.add_unit(session, self.ward_id, data, actor)

    def get(self, unit_id: int) -> unit_service.UnitDetails:
        with self.db.transaction() as session:
            return unit_service.get_unit(session, unit_id)

    def list(self, query: UnitQuery = UnitQuery(), offset: int = 0, limit: int | None = None):
        with self.db.transaction() as session:
            return unit_service.list_units(session, self.ward_id, query, offset, limit)

    def count(self, query: UnitQuery = UnitQuery()) -> int:
        with self.db.transaction() as session:
            return unit_service.count_units(session, self.ward_id, query)

    def names(self, query: UnitQuery = UnitQuery()) -> list[str]:
        return [row.name for row in self.list(query)]

    def id_of(self, name: str) -> int:
        (unit_id,) = [row.id for row in self.list() if row.name == name]
        return unit_id

    def call(self, function, *args, **kwargs):
        with self.db.transaction() as session:
            return function(session, *args, **kwargs)

    def raw(self, sql: str, **params):
        with self.db.transaction() as session:
            return session.execute(text(sql), params).all()


@pytest.fixture
def register(empty_db) -> Register:
    """An empty register of a ward whose profile is filled in."""
    with empty_db.transaction() as session:
        profile_service.save_profile(
            session,
            profile_service.ProfileInput(ProvinceKind.TINH, "Tuyên Quang", WardKind.PHUONG, "Minh Xuân"),
            ACTOR,
        )
    return Register(empty_db)


@pytest.fixture
def demo_register(demo_db) -> Register:
    return Register(demo_db)


FULL_INPUTS = [
    UnitInput(
        kind=UnitKind.KDC, category="Tổ dân phố", name="Tổ dân phố Đồng Tâm", address="Số 5, đường Tân Trào",
        head_name="Nguyễn Văn Hùng", head_title="Tổ trưởng", head_phone="0912 345 678", has_party_org=True,
        households=245, staff_count=3, protection_force="Tổ bảo vệ an ninh, trật tự", protection_force_size=5,
        subordinate_units=2, managing_authority="UBND phường Minh Xuân", notes="Ghi chú: khu vực chợ.",
    ),
    UnitInput(
        kind=UnitKind.CO_QUAN, name="Ban Chỉ huy Quân sự phường", address="Số 1, đường Lê Duẩn",
        head_name="Trần Đức Long", head_title="Chỉ huy trưởng", head_phone="+84 912.345.678",
        is_armed_forces=True, has_party_org=True, staff_count=12, protection_force="Tổ trực",
        protection_force_size=4, subordinate_units=1, managing_authority="Bộ Chỉ huy Quân sự tỉnh",
        notes="",
    ),
    UnitInput(
        kind=UnitKind.DOANH_NGHIEP, name="Công ty TNHH Ánh Dương", address="Số 9, đường Quang Trung",
        head_name="Lê Thị Lan", head_title="Giám đốc", head_phone="0209-3822-123", is_small_or_micro=True,
        staff_count=9, managing_authority="Sở Tài chính",
    ),
    UnitInput(
        kind=UnitKind.GIAO_DUC, name="Trường THPT Tân Trào", address="đường 17/8", head_name="Bùi Thu Hương",
        head_title="Hiệu trưởng", head_phone="02073822999", school_level=SchoolLevel.THPT, has_party_org=True,
        staff_count=80, learner_count=1200, protection_force="Tổ bảo vệ nhà trường", protection_force_size=3,
        managing_authority="Sở Giáo dục và Đào tạo",
    ),
]


# ---- adding and reading back ---------------------------------------------------------------------


@pytest.mark.parametrize("data", FULL_INPUTS, ids=lambda data: data.kind.value)
def test_add_and_read_back_every_field(register, data):
    before = datetime.now().replace(microsecond=0)
    unit_id = register.add(data)
    assert isinstance(unit_id, int)
    details = register.get(unit_id)
    assert details.as_input() == data
    for field in fields(UnitInput):
        assert getattr(details, field.name) == getattr(data, field.name), field.name
    assert details.id == unit_id
    assert details.status is UnitStatus.ACTIVE
    assert (details.status_date, details.status_reason, details.merged_into_id) == (None, "", None)
    assert details.created_by == details.updated_by == ACTOR
    assert details.created_at == details.updated_at
    assert before <= details.created_at <= datetime.now()
    assert details.version == 1


def test_decomposed_input_is_stored_nfc(register):
    unit_id = register.add(UnitInput(
        kind=UnitKind.KDC, category=_nfd("Tổ dân phố"), name=_nfd("  Tổ dân phố   Đồng Tâm "),
        address=_nfd("Số 5, đường Tân Trào"), head_name=_nfd("Nguyễn Thị Thủy"), notes=_nfd("Ghi chú\u00a0mới"),
    ))
    details = register.get(unit_id)
    assert details.name == "Tổ dân phố Đồng Tâm"
    assert details.category == "Tổ dân phố"
    assert details.head_name == "Nguyễn Thị Thủy"
    assert details.notes == "Ghi chú mới"
    (stored,) = register.raw("SELECT name, category, address, head_name, notes FROM unit WHERE id = :id", id=unit_id)
    for value in stored:
        assert unicodedata.is_normalized("NFC", value), value
    # and the decomposed spelling finds it again
    assert register.names(UnitQuery(search=_nfd("Đồng Tâm"))) == ["Tổ dân phố Đồng Tâm"]


def test_derived_columns_are_stored(register):
    unit_id = register.add(FULL_INPUTS[0])
    ((name_key, search_text, name_sort, head_sort),) = register.raw(
        "SELECT name_key, search_text, name_sort, head_sort FROM unit WHERE id = :id", id=unit_id
    )
    assert name_key == "to dan pho dong tam"
    assert search_text == vntext.search_key("Tổ dân phố Đồng Tâm Số 5, đường Tân Trào Nguyễn Văn Hùng 0912 345 678")
    assert name_sort == vntext.sort_key("Tổ dân phố Đồng Tâm")
    assert head_sort == vntext.person_name_key("Nguyễn Văn Hùng")


@pytest.mark.parametrize(
    ("kind", "kept"),
    [
        (UnitKind.KDC, {"households": 100}),
        (UnitKind.CO_QUAN, {"is_armed_forces": True}),
        (UnitKind.DOANH_NGHIEP, {"is_small_or_micro": True}),
        (UnitKind.GIAO_DUC, {"school_level": SchoolLevel.THCS, "learner_count": 500}),
    ],
)
def test_facts_of_other_kinds_are_cleared(register, kind, kept):
    """A fact that only means something for another kind of unit is not stored."""
    everything = {"households": 100, "is_armed_forces": True, "is_small_or_micro": True,
                  "school_level": SchoolLevel.THCS, "learner_count": 500}
    details = register.get(register.add(UnitInput(kind=kind, name="Đơn vị thử", staff_count=7, **everything)))
    cleared = {"households": None, "is_armed_forces": False, "is_small_or_micro": False, "school_level": None,
               "learner_count": None}
    expected = cleared | kept
    assert {key: getattr(details, key) for key in expected} == expected
    assert details.staff_count == 7  # shared by every kind


def test_school_level_is_required_for_a_school(register):
    with pytest.raises(UserError, match="cấp học"):
        register.add(kind=UnitKind.GIAO_DUC, name="Trường Tiểu học Kim Đồng")
    assert register.count() == 0


@pytest.mark.parametrize("name", ["", "   ", "\u00a0\t"])
def test_blank_name_is_refused(register, name):
    with pytest.raises(UserError, match="tên đơn vị"):
        register.add(name=name)
    assert register.count() == 0


def test_overlong_name_is_refused(register):
    with pytest.raises(UserError, match="300"):
        register.add(name="Tổ " * 150 + "cuối")
    register.add(name="Đ" * 300)  # exactly at the limit is fine


@pytest.mark.parametrize(("field", "limit", "label"), [
    ("category", 100, "Phân loại"), ("address", 500, "Địa chỉ"), ("head_name", 100, "Họ tên người đứng đầu"),
    ("head_title", 100, "Chức vụ"), ("protection_force", 200, "Lực lượng bảo vệ"),
    ("managing_authority", 300, "Cơ quan quản lý")])
def test_every_typed_text_is_held_to_its_column_on_every_database(register, field, limit, label):
    """SQLite would keep a longer text, PostgreSQL refuses it: the limit is told the same way on both."""
    with pytest.raises(UserError, match=f"{label}.*quá dài \\(tối đa {limit} ký tự\\)"):
        register.add(name="Tổ 1", **{field: "Đ" * (limit + 1)})
    unit_id = register.add(name="Tổ 1", **{field: "Đ" * limit})
    assert getattr(register.get(unit_id), field) == "Đ" * limit
    with pytest.raises(UserError, match="Lý do quá dài"):
        register.call(unit_service.dissolve_unit, unit_id, DAY, "Đ" * 501, ACTOR)


def test_texts_whose_sort_keys_outgrow_their_column_are_kept_and_sorted(register):
    """A sort key is about 2.5 times its text: the stored key is cut to its column, the order holds."""
    long_address = ("Số 12 đường Nguyễn Trãi, phường Thanh Xuân Trung, thành phố Hà Nội " * 8)[:480]
    assert len(vntext.sort_key(long_address)) > 600
    first = register.add(name="Tổ 2", address=long_address + "A")
    second = register.add(name="Tổ 1", address=long_address + "B")
    third = register.add(name="Tổ 3", address="Ấp Đông")
    by_address = register.list(UnitQuery(sort=UnitSort.ADDRESS))
    assert [row.id for row in by_address][0] == third  # the first letters still decide
    assert {row.id for row in by_address[1:]} == {first, second}
    assert register.get(first).address == long_address + "A"


@pytest.mark.parametrize("phone", ["0912345678", "0912 345 678", "0912.345.678", "0912-345-678",
                                   "+84 912 345 678", "02073822999"])
def test_valid_phone_numbers_are_accepted(register, phone):
    assert register.get(register.add(name="Tổ 1", head_phone=phone)).head_phone == phone


@pytest.mark.parametrize("phone", ["abc", "0912", "0912x345678", "091-234-567a", "(0912) 345 678", "84+912345678"])
def test_invalid_phone_numbers_are_refused(register, phone):
    with pytest.raises(UserError, match="Số điện thoại"):
        register.add(name="Tổ 1", head_phone=phone)
    assert register.count() == 0


@pytest.mark.parametrize("phone", ["1234567890123456", "12345678901234567890", "........", "- - - - -"])
def test_phone_must_have_8_to_15_digits_as_the_message_says(register, phone):
    """The refusal message says "chỉ gồm chữ số (8 đến 15 số)": count digits, not characters."""
    with pytest.raises(UserError, match="8 đến 15 số"):
        register.add(name="Tổ 1", head_phone=phone)
    assert register.count() == 0


@pytest.mark.parametrize(
    ("kind", "field"),
    [
        (UnitKind.KDC, "households"),
        (UnitKind.CO_QUAN, "staff_count"),
        (UnitKind.GIAO_DUC, "learner_count"),
        (UnitKind.DOANH_NGHIEP, "protection_force_size"),
        (UnitKind.CO_QUAN, "subordinate_units"),
    ],
)
def test_negative_counts_are_refused(register, kind, field):
    level = SchoolLevel.THCS if kind is UnitKind.GIAO_DUC else None
    with pytest.raises(UserError, match="số âm"):
        register.add(UnitInput(kind=kind, name="Đơn vị thử", school_level=level, **{field: -1}))
    assert register.count() == 0
    # zero is a count like any other
    assert getattr(register.get(register.add(UnitInput(kind=kind, name="Đơn vị thử", school_level=level,
                                                       **{field: 0}))), field) == 0


# ---- duplicates ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["Tổ dân phố Đồng Tâm", "tổ dân phố đồng tâm", "TO DAN PHO DONG TAM",
                                  "Tổ dân phố Dồng Tâm", "  Tổ  dân phố Đồng Tầm ", _nfd("Tổ dân phố Đồng Tâm")])
def test_same_name_in_same_kind_is_refused(register, name):
    register.add(name="Tổ dân phố Đồng Tâm")
    with pytest.raises(UserError) as caught:
        register.add(name=name)
    assert '"Tổ dân phố Đồng Tâm"' in caught.value.message
    assert register.count() == 1


def test_same_name_in_another_kind_is_fine(register):
    register.add(kind=UnitKind.KDC, name="Minh Xuân")
    register.add(kind=UnitKind.CO_QUAN, name="Minh Xuân")
    register.add(kind=UnitKind.DOANH_NGHIEP, name="minh xuan")
    assert register.count() == 3


@pytest.mark.parametrize("retire", ["dissolve", "merge"])
def test_name_of_a_retired_unit_may_be_reused(register, retire):
    old = register.add(name="Tổ dân phố 5")
    other = register.add(name="Tổ dân phố 6")
    if retire == "dissolve":
        register.call(unit_service.dissolve_unit, old, DAY, "Giải thể theo nghị quyết", ACTOR)
    else:
        register.call(unit_service.merge_unit, old, other, DAY, ACTOR)
    new = register.add(name="Tổ dân phố 5")
    assert new != old
    assert register.count(UnitQuery(search="to dan pho 5")) == 2


def test_update_to_a_taken_name_is_refused_and_own_name_is_fine(register):
    first = register.add(name="Tổ dân phố 1")
    second = register.add(name="Tổ dân phố 2")
    with pytest.raises(UserError):
        register.call(unit_service.update_unit, second, UnitInput(kind=UnitKind.KDC, name="TỔ DÂN PHỐ 1"), ACTOR)
    assert register.get(second).name == "Tổ dân phố 2"
    register.call(unit_service.update_unit, first, UnitInput(kind=UnitKind.KDC, name="tổ dân phố 1"), ACTOR)
    assert register.get(first).name == "tổ dân phố 1"


# ---- order, search, filters, paging ------------------------------------------------------------------


def test_list_is_in_vietnamese_natural_order(demo_register):
    names = demo_register.names()
    assert len(names) == 68
    assert names == sorted(names, key=vntext.sort_key)
    assert names.index("Tổ dân phố 2") < names.index("Tổ dân phố 10") < names.index("Tổ dân phố 20")
    # "Đ" comes after every "D" and before "E"; "Ủy" after "Trường"
    assert names.index("Doanh nghiệp tư nhân Vàng bạc Kim Thành") < names.index("Đảng ủy phường Minh Xuân")
    assert names.index("Trường THPT Tân Trào") < names.index("Ủy ban nhân dân phường Minh Xuân")


def test_vietnamese_letters_sort_in_alphabet_order(register):
    for name in ["Ông", "Ơn", "Ân Thi", "Ăn Khế", "An Phú", "Bình", "Đào", "Dũng", "Ê Đê", "Em", "Ư", "Uyên"]:
        register.add(name=name)
    assert register.names() == ["An Phú", "Ăn Khế", "Ân Thi", "Bình", "Dũng", "Đào", "Em", "Ê Đê", "Ông", "Ơn",
                                "Uyên", "Ư"]


def _searchable(row) -> str:
    return vntext.search_key(" ".join(part for part in (row.name, row.address, row.head_name, row.head_phone)
                                      if part))


@pytest.mark.parametrize("typed", ["dong", "Đông", "ĐÔNG", "tan trao", "Tân Trào", "nguyen", "hoang", "09"])
def test_search_ignores_case_tones_and_d(demo_register, typed):
    everything = demo_register.list()
    wanted = vntext.search_key(typed)
    expected = [row.name for row in everything if wanted in _searchable(row)]
    assert expected, "the demo holds matches for every query of this test"
    assert demo_register.names(UnitQuery(search=typed)) == expected


def test_search_dong_finds_dong_a_and_dong_phuong(demo_register):
    found = demo_register.names(UnitQuery(search="dong"))
    assert "Công ty Cổ phần Khoáng sản Đông Á" in found
    assert "Công ty TNHH Đồ gỗ Đông Phương" in found


def test_search_to_dan_pho_finds_exactly_the_twenty_residential_groups(demo_register):
    found = demo_register.list(UnitQuery(search="to dan pho"))
    assert [row.name for row in found] == [f"Tổ dân phố {n}" for n in range(1, 21)]
    assert {row.kind for row in found} == {UnitKind.KDC}
    assert demo_register.names(UnitQuery(search="TỔ DÂN PHỐ")) == [row.name for row in found]


def test_search_also_looks_at_address_head_and_phone(register):
    register.add(name="Tổ 1", address="Ngõ Hòa Bình", head_name="Phạm Quý", head_phone="0987 654 321")
    register.add(name="Tổ 2")
    for typed in ("hoa binh", "PHAM QUY", "0987 654"):
        assert register.names(UnitQuery(search=typed)) == ["Tổ 1"], typed


def test_percent_and_underscore_in_a_search_are_literal(demo_register):
    assert demo_register.list(UnitQuery(search="%")) == []
    assert demo_register.list(UnitQuery(search="_")) == []
    demo_register.add(name="Cửa hàng 100% Việt", kind=UnitKind.DOANH_NGHIEP)
    demo_register.add(name="Kho_A", kind=UnitKind.DOANH_NGHIEP)
    demo_register.add(name="Kho A", kind=UnitKind.DOANH_NGHIEP)
    demo_register.add(name="Tổ 100 Việt", kind=UnitKind.KDC)
    demo_register.add(name=r"Kho\B", kind=UnitKind.DOANH_NGHIEP)
    assert demo_register.names(UnitQuery(search="100%")) == ["Cửa hàng 100% Việt"]
    assert demo_register.names(UnitQuery(search="0%v")) == []
    assert demo_register.names(UnitQuery(search="o_a")) == ["Kho_A"]
    assert demo_register.names(UnitQuery(search="%")) == ["Cửa hàng 100% Việt"]
    assert demo_register.names(UnitQuery(search="_")) == ["Kho_A"]
    assert demo_register.names(UnitQuery(search="\\")) == [r"Kho\B"]


@pytest.mark.parametrize(("kind", "count"), [(UnitKind.KDC, 20), (UnitKind.CO_QUAN, 15),
                                             (UnitKind.DOANH_NGHIEP, 25), (UnitKind.GIAO_DUC, 8)])
def test_kind_filter(demo_register, kind, count):
    rows = demo_register.list(UnitQuery(kind=kind))
    assert len(rows) == count
    assert {row.kind for row in rows} == {kind}


def test_status_filter(demo_register):
    first, second, third = (demo_register.id_of(f"Tổ dân phố {n}") for n in (1, 2, 3))
    demo_register.call(unit_service.dissolve_unit, first, DAY, "Giải thể", ACTOR)
    demo_register.call(unit_service.merge_unit, second, third, DAY, ACTOR)
    assert [row.id for row in demo_register.list(UnitQuery(status=UnitStatus.DISSOLVED))] == [first]
    assert [row.id for row in demo_register.list(UnitQuery(status=UnitStatus.MERGED))] == [second]
    active = demo_register.list(UnitQuery(status=UnitStatus.ACTIVE))
    assert len(active) == 66 and {row.status for row in active} == {UnitStatus.ACTIVE}
    assert len(demo_register.list(UnitQuery(status=None))) == 68
    assert len(demo_register.list(UnitQuery(kind=UnitKind.KDC, status=UnitStatus.ACTIVE))) == 18
    assert demo_register.list(UnitQuery(kind=UnitKind.CO_QUAN, status=UnitStatus.DISSOLVED)) == []


_KIND_RANK = {kind: rank for rank, kind in enumerate(UnitKind)}
_STATUS_RANK = {status: rank for rank, status in enumerate(UnitStatus)}
_EXPECTED_KEY = {
    UnitSort.NAME: lambda row: (vntext.sort_key(row.name), row.id),
    UnitSort.KIND: lambda row: (_KIND_RANK[row.kind], vntext.sort_key(row.name), row.id),
    UnitSort.CATEGORY: lambda row: (vntext.sort_key(row.category), vntext.sort_key(row.name), row.id),
    UnitSort.ADDRESS: lambda row: (vntext.sort_key(row.address), vntext.sort_key(row.name), row.id),
    UnitSort.HEAD: lambda row: (vntext.person_name_key(row.head_name), vntext.sort_key(row.name), row.id),
    UnitSort.PHONE: lambda row: (row.head_phone, vntext.sort_key(row.name), row.id),
    UnitSort.STATUS: lambda row: (_STATUS_RANK[row.status], vntext.sort_key(row.name), row.id),
}


@pytest.fixture
def mixed_register(demo_register) -> Register:
    """The demo ward with some merged and dissolved units, and ties in every column."""
    ids = {n: demo_register.id_of(f"Tổ dân phố {n}") for n in (1, 2, 3, 4)}
    demo_register.call(unit_service.dissolve_unit, ids[1], DAY, "Giải thể", ACTOR)
    demo_register.call(unit_service.merge_unit, ids[2], ids[3], DAY, ACTOR)
    demo_register.call(unit_service.merge_unit, ids[4], ids[3], DAY, ACTOR)
    demo_register.add(name="Tổ dân phố 21", category="Tổ dân phố")  # no address, head or phone
    return demo_register


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(UnitSort))
def test_every_sort_column_gives_a_consistent_order(mixed_register, sort, descending):
    rows = mixed_register.list(UnitQuery(sort=sort, descending=descending))
    expected = sorted(rows, key=_EXPECTED_KEY[sort], reverse=descending)
    assert [row.id for row in rows] == [row.id for row in expected]


def test_sort_by_kind_groups_the_kinds_in_order(demo_register):
    rows = demo_register.list(UnitQuery(sort=UnitSort.KIND))
    groups = [(kind, [row.name for row in group]) for kind, group in itertools.groupby(rows, lambda row: row.kind)]
    assert [kind for kind, _ in groups] == [UnitKind.KDC, UnitKind.CO_QUAN, UnitKind.DOANH_NGHIEP, UnitKind.GIAO_DUC]
    for _, names in groups:
        assert names == sorted(names, key=vntext.sort_key)
    descending = demo_register.list(UnitQuery(sort=UnitSort.KIND, descending=True))
    assert [row.id for row in descending] == [row.id for row in reversed(rows)]


def test_sort_by_category_is_vietnamese_order(register):
    """Categories are Vietnamese words ("Ấp", "Bản", "Thôn", "Xóm"): they sort like names do."""
    for number, category in enumerate(["Xóm", "thôn", "Ấp", "Bản", "Thôn", "Làng", "Đội"], start=1):
        register.add(name=f"Khu {number}", category=category)
    rows = register.list(UnitQuery(sort=UnitSort.CATEGORY))
    assert [row.category for row in rows] == ["Ấp", "Bản", "Đội", "Làng", "thôn", "Thôn", "Xóm"]


def test_sort_by_head_uses_the_given_name(register):
    register.add(name="Tổ 1", head_name="Nguyễn Văn Bình")
    register.add(name="Tổ 2", head_name="Trần Thị An")
    register.add(name="Tổ 3", head_name="Lê Văn Chiến")
    heads = [row.head_name for row in register.list(UnitQuery(sort=UnitSort.HEAD))]
    assert heads == ["Trần Thị An", "Nguyễn Văn Bình", "Lê Văn Chiến"]


@pytest.mark.parametrize(
    "query",
    [UnitQuery(), UnitQuery(sort=UnitSort.HEAD, descending=True), UnitQuery(kind=UnitKind.DOANH_NGHIEP),
     UnitQuery(search="minh xuan", sort=UnitSort.ADDRESS), UnitQuery(sort=UnitSort.KIND)],
    ids=["default", "head-desc", "enterprises", "search", "kind"],
)
def test_pages_add_up_to_the_whole_list(mixed_register, query):
    whole = mixed_register.list(query)
    pages = []
    for offset in range(0, len(whole) + 7, 7):
        page = mixed_register.list(query, offset=offset, limit=7)
        assert len(page) <= 7
        pages.extend(page)
    assert pages == whole
    assert mixed_register.list(query, offset=5) == whole[5:]


@pytest.mark.parametrize(
    "query",
    [UnitQuery(), UnitQuery(kind=UnitKind.GIAO_DUC), UnitQuery(status=UnitStatus.MERGED),
     UnitQuery(status=UnitStatus.ACTIVE, kind=UnitKind.KDC), UnitQuery(search="dong"),
     UnitQuery(search="to dan pho", status=UnitStatus.ACTIVE), UnitQuery(search="không có đâu"),
     UnitQuery(search="%")],
)
def test_count_agrees_with_list(mixed_register, query):
    assert mixed_register.count(query) == len(mixed_register.list(query))


def test_list_only_shows_the_wards_own_units(demo_register):
    assert demo_register.call(unit_service.list_units, demo_register.ward_id + 1) == []
    assert demo_register.call(unit_service.count_units, demo_register.ward_id + 1) == 0


# ---- eligibility ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "eligible"),
    [
        (UnitInput(kind=UnitKind.KDC, name="Thôn 1"), True),
        (UnitInput(kind=UnitKind.CO_QUAN, name="Ban Chỉ huy Quân sự", is_armed_forces=True), False),
        (UnitInput(kind=UnitKind.CO_QUAN, name="Trạm Y tế"), True),
        (UnitInput(kind=UnitKind.DOANH_NGHIEP, name="Cửa hàng nhỏ", is_small_or_micro=True), False),
        (UnitInput(kind=UnitKind.DOANH_NGHIEP, name="Nhà máy lớn"), True),
        (UnitInput(kind=UnitKind.GIAO_DUC, name="Nhà trẻ Hoa Mai", school_level=SchoolLevel.NHA_TRE), False),
        (UnitInput(kind=UnitKind.GIAO_DUC, name="Mầm non Hoa Sen", school_level=SchoolLevel.MAM_NON), False),
        (UnitInput(kind=UnitKind.GIAO_DUC, name="Tiểu học Kim Đồng", school_level=SchoolLevel.TIEU_HOC), False),
        (UnitInput(kind=UnitKind.GIAO_DUC, name="THCS Minh Xuân", school_level=SchoolLevel.THCS), True),
        (UnitInput(kind=UnitKind.GIAO_DUC, name="THPT Tân Trào", school_level=SchoolLevel.THPT), True),
        (UnitInput(kind=UnitKind.GIAO_DUC, name="Cao đẳng Kỹ thuật", school_level=SchoolLevel.GDNN), True),
    ],
    ids=lambda value: value.name if isinstance(value, UnitInput) else str(value),
)
def test_eligibility(register, data, eligible):
    unit_id = register.add(data)
    (row,) = register.list()
    assert row.eligible is eligible
    reason = register.get(unit_id).ineligibility_reason
    assert (reason is None) is eligible
    if not eligible:
        assert reason


def test_flags_of_another_kind_do_not_make_a_unit_ineligible(register):
    register.add(UnitInput(kind=UnitKind.KDC, name="Tổ 1", is_armed_forces=True, is_small_or_micro=True,
                           school_level=SchoolLevel.MAM_NON))
    (row,) = register.list()
    assert row.eligible


# ---- merge, dissolve, reactivate, delete ------------------------------------------------------------


def test_merge_records_status_target_and_date(register):
    source = register.add(name="Tổ dân phố 1")
    target = register.add(name="Tổ dân phố 2")
    register.call(unit_service.merge_unit, source, target, DAY, "cán bộ B", reason=_nfd("Theo  Nghị quyết số 12"))
    details = register.get(source)
    assert details.status is UnitStatus.MERGED
    assert details.merged_into_id == target
    assert details.merged_into_name == "Tổ dân phố 2"
    assert details.status_date == DAY
    assert details.status_reason == "Theo Nghị quyết số 12"
    assert details.updated_by == "cán bộ B" and details.created_by == ACTOR
    assert details.version == 2
    assert register.get(target).status is UnitStatus.ACTIVE


def test_merge_targets_are_active_units_of_the_same_kind(register):
    source = register.add(name="Tổ 1")
    same = register.add(name="Tổ 2")
    gone = register.add(name="Tổ 3")
    register.add(kind=UnitKind.CO_QUAN, name="Cơ quan 1")
    register.call(unit_service.dissolve_unit, gone, DAY, "", ACTOR)
    assert [row.id for row in register.call(unit_service.merge_targets, source)] == [same]


def _refused(register, function, *args, **kwargs):
    """Call a service that must refuse: UserError, and no unit changed."""
    before = register.raw("SELECT * FROM unit ORDER BY id")
    with pytest.raises(UserError) as caught:
        register.call(function, *args, **kwargs)
    assert register.raw("SELECT * FROM unit ORDER BY id") == before
    return caught.value.message


def test_merge_into_itself_is_refused(register):
    unit = register.add(name="Tổ 1")
    assert "chính nó" in _refused(register, unit_service.merge_unit, unit, unit, DAY, ACTOR)


def test_merge_into_another_kind_is_refused(register):
    unit = register.add(name="Tổ 1")
    agency = register.add(kind=UnitKind.CO_QUAN, name="Cơ quan 1")
    _refused(register, unit_service.merge_unit, unit, agency, DAY, ACTOR)


def test_merge_into_a_dissolved_unit_is_refused(register):
    unit = register.add(name="Tổ 1")
    gone = register.add(name="Tổ 2")
    register.call(unit_service.dissolve_unit, gone, DAY, "", ACTOR)
    _refused(register, unit_service.merge_unit, unit, gone, DAY, ACTOR)


def test_merge_of_an_already_merged_unit_is_refused(register):
    unit, first, second = (register.add(name=f"Tổ {n}") for n in (1, 2, 3))
    register.call(unit_service.merge_unit, unit, first, DAY, ACTOR)
    assert "đã sáp nhập" in _refused(register, unit_service.merge_unit, unit, second, DAY, ACTOR)
    assert register.get(unit).merged_into_id == first


@pytest.mark.parametrize("on_date", [date(1900, 1, 1), date(date.today().year + 2, 1, 1)])
def test_merge_or_dissolve_on_an_impossible_date_is_refused(register, on_date):
    unit, other = register.add(name="Tổ 1"), register.add(name="Tổ 2")
    _refused(register, unit_service.merge_unit, unit, other, on_date, ACTOR)
    _refused(register, unit_service.dissolve_unit, unit, on_date, "", ACTOR)


def test_dissolve(register):
    unit = register.add(name="Tổ 1")
    register.call(unit_service.dissolve_unit, unit, DAY, " Không còn dân cư ", "cán bộ B")
    details = register.get(unit)
    assert details.status is UnitStatus.DISSOLVED
    assert (details.status_date, details.status_reason, details.merged_into_id) == (DAY, "Không còn dân cư", None)
    assert details.updated_by == "cán bộ B"
    assert "đã giải thể" in _refused(register, unit_service.dissolve_unit, unit, DAY, "", ACTOR)


@pytest.mark.parametrize("retire", ["dissolve", "merge"])
def test_reactivate_undoes_a_merge_or_dissolution(register, retire):
    unit, other = register.add(name="Tổ 1"), register.add(name="Tổ 2")
    if retire == "dissolve":
        register.call(unit_service.dissolve_unit, unit, DAY, "nhầm", ACTOR)
    else:
        register.call(unit_service.merge_unit, unit, other, DAY, ACTOR, reason="nhầm")
    register.call(unit_service.reactivate_unit, unit, "cán bộ B")
    details = register.get(unit)
    assert details.status is UnitStatus.ACTIVE
    assert (details.status_date, details.status_reason, details.merged_into_id, details.merged_into_name) == (
        None, "", None, "")
    assert details.updated_by == "cán bộ B"
    assert details.version == 3


def test_reactivate_is_refused_when_an_active_unit_now_has_the_name(register):
    old = register.add(name="Tổ dân phố 7")
    register.call(unit_service.dissolve_unit, old, DAY, "", ACTOR)
    register.add(name="TỔ DÂN PHỐ 7")
    _refused(register, unit_service.reactivate_unit, old, ACTOR)
    assert register.get(old).status is UnitStatus.DISSOLVED


def test_delete_an_unreferenced_unit(register):
    unit = register.add(name="Tổ nhập nhầm")
    keep = register.add(name="Tổ 1")
    register.call(unit_service.delete_unit, unit)
    assert [row.id for row in register.list()] == [keep]
    with pytest.raises(UserError, match="Không tìm thấy"):
        register.get(unit)


def test_delete_a_unit_others_were_merged_into_is_refused(register):
    source, target = register.add(name="Tổ 1"), register.add(name="Tổ 2")
    register.call(unit_service.merge_unit, source, target, DAY, ACTOR)
    assert register.call(unit_service.references, target) == ["1 đơn vị đã sáp nhập vào đơn vị này"]
    message = _refused(register, unit_service.delete_unit, target)
    assert "Tổ 2" in message and "Giải thể" in message
    assert register.count() == 2


def test_unknown_unit_id_gives_user_error(register):
    for function, args in [(unit_service.get_unit, ()), (unit_service.delete_unit, ()),
                           (unit_service.dissolve_unit, (DAY, "", ACTOR)), (unit_service.reactivate_unit, (ACTOR,)),
                           (unit_service.merge_targets, ())]:
        with pytest.raises(UserError, match="Không tìm thấy"):
            register.call(function, 12345, *args)


# ---- updates: versions and stamps ----------------------------------------------------------------


def test_update_changes_fields_stamps_and_bumps_the_version(register):
    unit = register.add(FULL_INPUTS[0])
    created = register.get(unit)
    changed = replace(FULL_INPUTS[0], name="Tổ dân phố Đồng Tâm 2", households=300, head_phone="")
    register.call(unit_service.update_unit, unit, changed, "cán bộ B", expected_version=1)
    details = register.get(unit)
    assert details.as_input() == changed
    assert details.version == 2
    assert details.created_by == ACTOR and details.created_at == created.created_at
    assert details.updated_by == "cán bộ B" and details.updated_at >= created.updated_at
    register.call(unit_service.update_unit, unit, changed, "cán bộ C")
    assert register.get(unit).version == 3
    assert register.names(UnitQuery(search="dong tam 2")) == ["Tổ dân phố Đồng Tâm 2"]


def test_update_from_a_stale_version_is_refused_and_changes_nothing(register):
    unit = register.add(name="Tổ 1", households=10)
    register.call(unit_service.update_unit, unit, UnitInput(kind=UnitKind.KDC, name="Tổ 1", households=20), "B",
                  expected_version=1)
    message = _refused(register, unit_service.update_unit, unit,
                       UnitInput(kind=UnitKind.KDC, name="Tổ 1", households=30), "C", expected_version=1)
    assert "người khác" in message
    details = register.get(unit)
    assert (details.households, details.updated_by, details.version) == (20, "B", 2)


def test_stale_version_also_guards_merge_dissolve_and_reactivate(register):
    unit, other = register.add(name="Tổ 1"), register.add(name="Tổ 2")
    register.call(unit_service.update_unit, unit, UnitInput(kind=UnitKind.KDC, name="Tổ 1", notes="x"), ACTOR)
    _refused(register, unit_service.merge_unit, unit, other, DAY, ACTOR, expected_version=1)
    _refused(register, unit_service.dissolve_unit, unit, DAY, "", ACTOR, expected_version=1)
    register.call(unit_service.dissolve_unit, unit, DAY, "", ACTOR, expected_version=2)
    _refused(register, unit_service.reactivate_unit, unit, ACTOR, expected_version=2)


def test_invalid_update_changes_nothing(register):
    unit = register.add(name="Tổ 1", head_phone="0912345678")
    _refused(register, unit_service.update_unit, unit,
             UnitInput(kind=UnitKind.KDC, name="Tổ 1", head_phone="không có"), ACTOR)
    assert register.get(unit).version == 1


# ---- many at once ----------------------------------------------------------------------------------


def test_insert_units_adds_all_with_stamps(register):
    inputs = [UnitInput(kind=UnitKind.KDC, name=f"Thôn {n}", households=n) for n in range(1, 6)]
    assert register.call(unit_service.insert_units, register.ward_id, inputs, "nhập khẩu") == 5
    rows = register.list()
    assert [row.name for row in rows] == [f"Thôn {n}" for n in range(1, 6)]
    details = register.get(rows[0].id)
    assert (details.created_by, details.updated_by, details.version, details.status) == (
        "nhập khẩu", "nhập khẩu", 1, UnitStatus.ACTIVE)
    assert details.created_at is not None
    assert register.names(UnitQuery(search="thon 3")) == ["Thôn 3"]


@pytest.mark.parametrize(
    "bad",
    [
        UnitInput(kind=UnitKind.KDC, name="Thôn xấu", households=-5),
        UnitInput(kind=UnitKind.KDC, name=""),
        UnitInput(kind=UnitKind.KDC, name="Thôn xấu", head_phone="gọi tôi"),
        UnitInput(kind=UnitKind.GIAO_DUC, name="Trường không có cấp học"),
    ],
    ids=["negative", "no-name", "phone", "no-school-level"],
)
def test_insert_units_checks_everything_before_writing_anything(register, bad):
    good = [UnitInput(kind=UnitKind.KDC, name=f"Thôn {n}") for n in range(1, 4)]
    with pytest.raises(UserError):
        register.call(unit_service.insert_units, register.ward_id, [*good, bad], ACTOR)
    assert register.count() == 0


def test_insert_units_refuses_a_name_already_in_the_register(register):
    """insert_units is "all checked first" like add_unit: the duplicate rule holds for imports too."""
    register.add(name="Thôn 1")
    with pytest.raises(UserError):
        register.call(unit_service.insert_units, register.ward_id,
                      [UnitInput(kind=UnitKind.KDC, name="Thôn 2"), UnitInput(kind=UnitKind.KDC, name="THÔN 1")],
                      ACTOR)
    assert register.names() == ["Thôn 1"]


def test_insert_units_refuses_duplicates_within_the_batch(register):
    with pytest.raises(UserError):
        register.call(unit_service.insert_units, register.ward_id,
                      [UnitInput(kind=UnitKind.KDC, name="Thôn 2"), UnitInput(kind=UnitKind.KDC, name="thon 2")],
                      ACTOR)
    assert register.count() == 0


# ---- the demo ward -------------------------------------------------------------------------------


def test_demo_has_68_units_of_four_kinds(demo_register):
    counts = {kind: demo_register.count(UnitQuery(kind=kind)) for kind in UnitKind}
    assert counts == {UnitKind.KDC: 20, UnitKind.CO_QUAN: 15, UnitKind.DOANH_NGHIEP: 25, UnitKind.GIAO_DUC: 8}
    assert demo_register.count() == 68
    assert demo_register.count(UnitQuery(status=UnitStatus.ACTIVE)) == 68


def test_demo_profile(demo_db):
    with demo_db.transaction() as session:
        ward = profile_service.require_profile(session)
    assert (ward.name, ward.kind, ward.province_name, ward.province_kind) == (
        "Minh Xuân", WardKind.PHUONG, "Tuyên Quang", ProvinceKind.TINH)
    assert ward.police_unit_name == "Công an phường Minh Xuân"
    assert ward.chairman_name == "Hoàng Văn Thắng"
    assert ward.police_doc_suffix == "CAP"


def test_demo_has_eligible_and_ineligible_units_of_each_relevant_kind(demo_register):
    rows = demo_register.list()
    by_kind = {kind: {row.eligible for row in rows if row.kind is kind} for kind in UnitKind}
    assert by_kind[UnitKind.KDC] == {True}
    for kind in (UnitKind.CO_QUAN, UnitKind.DOANH_NGHIEP, UnitKind.GIAO_DUC):
        assert by_kind[kind] == {True, False}, kind
    ineligible_schools = {row.name for row in rows if row.kind is UnitKind.GIAO_DUC and not row.eligible}
    assert ineligible_schools == {"Trường Mầm non Hoa Sen", "Trường Mầm non Minh Xuân",
                                  "Trường Tiểu học Minh Xuân", "Trường Tiểu học Phan Thiết"}
    assert [row.name for row in rows if row.kind is UnitKind.CO_QUAN and not row.eligible] == [
        "Ban Chỉ huy Quân sự phường Minh Xuân"]


def test_demo_text_is_nfc_and_valid(demo_register):
    for row in demo_register.list():
        details = demo_register.get(row.id)
        for field in fields(UnitInput):
            value = getattr(details, field.name)
            if isinstance(value, str):
                assert unicodedata.is_normalized("NFC", value), (row.name, field.name)
        assert unit_service.prepare(details.as_input()) == details.as_input()


def _without_times(details: unit_service.UnitDetails) -> unit_service.UnitDetails:
    return replace(details, created_at=None, updated_at=None)


def test_demo_is_the_same_every_time(demo_register, tmp_path):
    fresh = open_database(tmp_path / "second.sqlite")
    try:
        with fresh.transaction() as session:
            assert demo.load_demo(session, "kiểm thử") == 68
        second = Register(fresh)
        assert second.list() == demo_register.list()
        assert [_without_times(second.get(row.id)) for row in second.list()] == [
            _without_times(demo_register.get(row.id)) for row in demo_register.list()]
    finally:
        fresh.close()


def test_demo_refused_twice(demo_register):
    with pytest.raises(UserError, match="Dữ liệu mẫu"):
        demo_register.call(demo.load_demo, ACTOR)
    assert demo_register.count() == 68


def test_demo_refused_on_a_ward_of_its_own(register):
    """A profile typed in by the office is never overwritten by the demo ward, even with no units."""
    with pytest.raises(UserError, match="Dữ liệu mẫu"):
        register.call(demo.load_demo, ACTOR)
    assert register.count() == 0
    with register.db.transaction() as session:
        assert profile_service.require_profile(session).chairman_name == ""


@pytest.mark.parametrize("search", ["", "to dan pho", "Đông", "cong ty", "khong co gi", "1"])
@pytest.mark.parametrize("sort", [UnitSort.NAME, UnitSort.ADDRESS])
@pytest.mark.parametrize("limit", [5, 200])
def test_first_page_agrees_with_listing_and_counting(demo_db, search, sort, limit):
    """first_page takes shortcuts (no count for a short page, a windowed count in the search
    scan); its answer must be exactly the plain listing's first page and the plain count."""
    query = UnitQuery(search=search, sort=sort, descending=sort is UnitSort.ADDRESS)
    with demo_db.transaction() as session:
        rows, total = unit_service.first_page(session, 1, query, limit)
        assert rows == unit_service.list_units(session, 1, query, 0, limit)
        assert total == unit_service.count_units(session, 1, query)


def test_a_unit_with_antt_records_or_incidents_is_never_deleted(demo_db):
    from antq_desktop.services import antt

    with demo_db.transaction() as session:
        unit_id = next(r.id for r in unit_service.list_units(session, 1) if r.name == "Tổ dân phố 6")
        antt.register_unit(session, 1, unit_id, 2026, antt.RegistrationInput(registered_on=date(2026, 2, 1)), "t")
        with pytest.raises(UserError, match="năm đăng ký"):
            unit_service.delete_unit(session, unit_id)


def test_references_counts_every_table_that_points_at_a_unit():
    """A new table with a foreign key to unit must be added to references(), or deleting
    a unit would crash on the database's foreign key instead of explaining."""
    import inspect

    from antq_desktop.db.models import Base

    pointing = {fk.parent.table.name for table in Base.metadata.tables.values()
                for fk in table.foreign_keys if fk.column.table.name == "unit"}
    source = inspect.getsource(unit_service.references)
    missing = [name for name in pointing if name != "unit" and name.replace("_", "") not in source.lower()]
    assert pointing >= {"unit", "antt_record", "incident", "decision_unit"} and missing == []
