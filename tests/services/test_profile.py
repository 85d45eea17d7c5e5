"""The ward profile service on a real database."""

from __future__ import annotations

import unicodedata
from dataclasses import fields, replace

import pytest
from sqlalchemy import text

from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.services import profile as profile_service
from antq_desktop.services.profile import PROFILE_LABELS, ProfileInput

BASIC = ProfileInput(province_kind=ProvinceKind.TINH, province_name="Tuyên Quang", kind=WardKind.PHUONG,
                     name="Minh Xuân")


def _nfd(value: str) -> str:
    return unicodedata.normalize("NFD", value)


def _input_of(profile) -> ProfileInput:
    """What the profile form holds when it is opened on ``profile``."""
    return ProfileInput(**{field.name: getattr(profile, field.name) for field in fields(ProfileInput)})


def _save(db, data: ProfileInput = BASIC, actor: str = "cán bộ A", **kwargs):
    with db.transaction() as session:
        return profile_service.save_profile(session, data, actor, **kwargs)


def _get(db):
    with db.transaction() as session:
        return profile_service.get_profile(session)


def _set(db, key: str, value: str, actor: str = "cán bộ B"):
    with db.transaction() as session:
        return profile_service.set_profile_field(session, key, value, actor)


def test_empty_database_has_no_profile(empty_db):
    assert _get(empty_db) is None
    with pytest.raises(UserError, match="Chưa có thông tin xã, phường"):
        with empty_db.transaction() as session:
            profile_service.require_profile(session)


def test_save_then_get_returns_every_field(empty_db):
    data = ProfileInput(
        province_kind=ProvinceKind.THANH_PHO, province_name="Hà Nội", kind=WardKind.PHUONG, name="Ba Đình",
        police_unit_name="Công an phường Ba Đình", chairman_name="Trần Văn Bình", chairman_title="Phó Chủ tịch",
        police_chief_name="Lê Thị Hoa", police_chief_title="Trưởng Công an phường", place_name="Hà Nội",
        ubnd_doc_suffix="UBND", police_doc_suffix="CAP", doc_number_year=2026, next_ubnd_doc_number=12,
        next_police_doc_number=7,
    )
    saved = _save(empty_db, data)
    read = _get(empty_db)
    assert read == saved
    for field in PROFILE_LABELS:
        assert getattr(read, field) == getattr(data, field), field
    assert read.id > 0
    assert read.version == 1
    assert read.ward_title == "phường Ba Đình"
    assert read.province_title == "thành phố Hà Nội"
    assert read.as_dict()["kind"] == "phuong"
    assert read.as_dict()["province_kind"] == "thanh_pho"


def test_saving_again_replaces_the_one_profile(empty_db):
    first = _save(empty_db)
    second = _save(empty_db, replace(BASIC, name="Hưng Thành"), actor="cán bộ B")
    assert second.id == first.id
    assert second.version == first.version + 1
    with empty_db.transaction() as session:
        assert session.execute(text("SELECT count(*) FROM ward")).scalar() == 1
        row = session.execute(text("SELECT created_by, updated_by FROM ward")).one()
    assert tuple(row) == ("cán bộ A", "cán bộ B")
    assert _get(empty_db).name == "Hưng Thành"


@pytest.mark.parametrize(
    ("kind", "police_unit", "chief_title"),
    [
        (WardKind.PHUONG, "Công an phường Minh Xuân", "Trưởng Công an phường"),
        (WardKind.XA, "Công an xã Minh Xuân", "Trưởng Công an xã"),
        (WardKind.DAC_KHU, "Công an đặc khu Minh Xuân", "Trưởng Công an đặc khu"),
    ],
)
def test_missing_fields_are_derived(empty_db, kind, police_unit, chief_title):
    saved = _save(empty_db, replace(BASIC, kind=kind))
    assert saved.police_unit_name == police_unit
    assert saved.place_name == "Minh Xuân"
    assert saved.police_chief_title == chief_title
    assert saved.chairman_title == "Chủ tịch"
    assert saved.ubnd_doc_suffix == "UBND"
    assert saved.next_ubnd_doc_number == 1
    assert _get(empty_db) == saved


def test_decomposed_input_is_stored_nfc_and_trimmed(empty_db):
    data = replace(
        BASIC, province_name=_nfd("  Tuyên   Quang "), name=_nfd("Minh\u00a0Xuân"),
        chairman_name=_nfd("Hoàng  Văn Thắng\t"),
    )
    saved = _save(empty_db, data)
    assert saved.province_name == "Tuyên Quang"
    assert saved.name == "Minh Xuân"
    assert saved.chairman_name == "Hoàng Văn Thắng"
    assert saved.police_unit_name == "Công an phường Minh Xuân"
    with empty_db.transaction() as session:
        stored = session.execute(text("SELECT name, chairman_name, police_unit_name FROM ward")).one()
    for value in stored:
        assert unicodedata.is_normalized("NFC", value)
    assert tuple(stored) == ("Minh Xuân", "Hoàng Văn Thắng", "Công an phường Minh Xuân")


@pytest.mark.parametrize("field", ["name", "province_name"])
def test_blank_required_name_is_refused(empty_db, field):
    with pytest.raises(UserError):
        _save(empty_db, replace(BASIC, **{field: "   "}))
    assert _get(empty_db) is None


def test_document_number_below_one_is_refused(empty_db):
    with pytest.raises(UserError, match="từ 1 trở lên"):
        _save(empty_db, replace(BASIC, next_police_doc_number=0))
    assert _get(empty_db) is None


# ---- set one field -----------------------------------------------------------------------------


def test_set_text_field_cleans_and_stamps(demo_db):
    before = _get(demo_db)
    after = _set(demo_db, "chairman_name", _nfd("  Lê   Văn Tám "), actor="cán bộ B")
    assert after.chairman_name == "Lê Văn Tám"
    assert after.version == before.version + 1
    assert _get(demo_db) == after
    with demo_db.transaction() as session:
        updated_by, created_by = session.execute(text("SELECT updated_by, created_by FROM ward")).one()
    assert (updated_by, created_by) == ("cán bộ B", "kiểm thử")
    # the other fields are untouched
    assert replace(after, chairman_name=before.chairman_name, version=before.version) == before


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("doc_number_year", "2026", 2026),
        ("next_ubnd_doc_number", " 15 ", 15),
        ("next_police_doc_number", "3", 3),
    ],
)
def test_set_integer_field(demo_db, key, typed, stored):
    assert getattr(_set(demo_db, key, typed), key) == stored
    assert getattr(_get(demo_db), key) == stored


@pytest.mark.parametrize(
    ("key", "typed", "stored"),
    [
        ("kind", "xa", WardKind.XA),
        ("kind", "xã", WardKind.XA),
        ("kind", "Xã", WardKind.XA),
        ("kind", "phường", WardKind.PHUONG),
        ("kind", "đặc khu", WardKind.DAC_KHU),
        ("kind", "dac_khu", WardKind.DAC_KHU),
        ("province_kind", "thành phố", ProvinceKind.THANH_PHO),
        ("province_kind", "thanh_pho", ProvinceKind.THANH_PHO),
        ("province_kind", "Tỉnh", ProvinceKind.TINH),
    ],
)
def test_set_choice_field_accepts_value_or_vietnamese_label(demo_db, key, typed, stored):
    if key == "kind":  # start from something else, so the change is visible
        _set(demo_db, "kind", "dac_khu" if stored is not WardKind.DAC_KHU else "xa")
    else:
        _set(demo_db, "province_kind", "tinh" if stored is not ProvinceKind.TINH else "thanh_pho")
    assert getattr(_set(demo_db, key, typed), key) is stored
    assert getattr(_get(demo_db), key) is stored


def test_set_choice_field_refuses_unknown_value(demo_db):
    before = _get(demo_db)
    with pytest.raises(UserError) as caught:
        _set(demo_db, "kind", "huyện")
    assert "xa, phuong, dac_khu" in caught.value.message
    assert _get(demo_db) == before


def test_set_unknown_key_lists_the_known_keys(demo_db):
    before = _get(demo_db)
    with pytest.raises(UserError) as caught:
        _set(demo_db, "mayor", "Ai đó")
    assert '"mayor"' in caught.value.message
    for key in PROFILE_LABELS:
        assert key in caught.value.message
    assert _get(demo_db) == before


@pytest.mark.parametrize("typed", ["abc", "12.5", "", "mười"])
def test_set_integer_field_refuses_non_integer(demo_db, typed):
    before = _get(demo_db)
    with pytest.raises(UserError, match="số nguyên"):
        _set(demo_db, "next_ubnd_doc_number", typed)
    assert _get(demo_db) == before


def test_set_field_without_profile_is_refused(empty_db):
    with pytest.raises(UserError, match="Chưa có thông tin"):
        _set(empty_db, "chairman_name", "Ai đó")


def test_save_from_a_stale_version_is_refused_and_changes_nothing(demo_db):
    opened = _get(demo_db)  # officer 1 opens the form
    _set(demo_db, "chairman_name", "Người Sửa Trước")  # officer 2 saves first
    current = _get(demo_db)
    with pytest.raises(UserError, match="người khác sửa"):
        _save(demo_db, replace(_input_of(opened), police_chief_name="Người Sửa Sau"),
              expected_version=opened.version)
    assert _get(demo_db) == current
    assert current.chairman_name == "Người Sửa Trước"


def test_save_with_the_current_version_goes_through(demo_db):
    opened = _get(demo_db)
    saved = _save(demo_db, replace(_input_of(opened), chairman_name="Đỗ Minh Quang"), expected_version=opened.version)
    assert saved.chairman_name == "Đỗ Minh Quang"
    assert saved.version == opened.version + 1
