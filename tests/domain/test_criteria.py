"""Tests for antq_desktop.domain.criteria: the shipped ANTT catalogues and their loader."""

from __future__ import annotations

import json
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest

from antq_desktop.domain.criteria import (
    KINDS,
    WARD,
    Catalogue,
    Criterion,
    Point,
    builtin_catalogues,
    catalogue_by_code,
    catalogue_in_force,
    load_catalogue,
)
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.resources import resource_path

REGULATIONS = resource_path("regulations")
FILES = sorted(REGULATIONS.glob("*.json"))
BASE_FILE = REGULATIONS / "tt124-2021.json"
COUNTS = {"kdc": 5, "xa_phuong": 4, "co_quan": 5, "doanh_nghiep": 5, "giao_duc": 6}


@pytest.fixture(params=[f.name for f in FILES])
def catalogue(request) -> Catalogue:
    return load_catalogue(REGULATIONS / request.param)


def codes_of(cat: Catalogue, kind: str, number: int) -> list[str]:
    return [p.code for p in cat.criteria(kind)[number - 1].points]


# --------------------------------------------------------------------------------------
# The shipped files
# --------------------------------------------------------------------------------------


def test_both_builtin_catalogues_load_oldest_first():
    catalogues = builtin_catalogues()
    assert [c.code for c in catalogues] == ["tt124-2021", "tt124-2021-sua-doi-tt48-2025"]
    assert [c.effective_from for c in catalogues] == [date(2022, 2, 10), date(2025, 7, 1)]
    assert builtin_catalogues() is catalogues  # cached
    assert len(set(catalogues)) == 2  # hashable, e.g. as a cache key
    assert len(FILES) == 2


def test_files_are_utf8_nfc_and_carry_a_note():
    for path in FILES:
        text = path.read_text(encoding="utf-8")
        assert unicodedata.is_normalized("NFC", text), path.name
        raw = json.loads(text)
        keys = {"code", "title", "short_title", "effective_from", "source", "note", "kinds", "incident_kinds"}
        assert keys <= set(raw)
        assert "diễn đạt lại" in raw["note"]


def test_criteria_counts_per_kind(catalogue):
    assert {kind: len(catalogue.criteria(kind)) for kind in KINDS} == COUNTS
    for kind in KINDS:
        assert [c.number for c in catalogue.criteria(kind)] == list(range(1, COUNTS[kind] + 1))
        assert all(c.points and c.title and c.text for c in catalogue.criteria(kind))


def test_kind_keys_are_the_unit_kinds_and_the_ward(catalogue):
    assert set(catalogue.kinds) == {k.value for k in UnitKind} | {WARD}
    assert catalogue.criteria(UnitKind.KDC) == catalogue.criteria("kdc")


def test_point_codes_are_unique_per_kind_in_the_raw_files():
    for path in FILES:
        raw = json.loads(path.read_text(encoding="utf-8"))
        for kind, criteria in raw["kinds"].items():
            codes = [p["code"] for c in criteria for p in c["points"]]
            assert len(codes) == len(set(codes)), (path.name, kind)


def test_lettered_points_follow_the_law(catalogue):
    assert codes_of(catalogue, "kdc", 1) == ["1a", "1b", "1c"]
    assert codes_of(catalogue, "kdc", 3) == ["3a", "3b", "3c", "3d", "3đ", "3e", "3g"]
    assert codes_of(catalogue, "kdc", 4) == ["4a", "4b", "4c", "4d"]
    for kind in ("co_quan", "doanh_nghiep"):
        assert codes_of(catalogue, kind, 3) == ["3a", "3b", "3c", "3d", "3đ", "3e", "3g", "3h"]
    # Art. 7.3 refers to Art. 6.3 points a, b, c, đ, e, g: the school keeps those letters.
    assert codes_of(catalogue, "giao_duc", 3) == ["3a", "3b", "3c", "3đ", "3e", "3g"]
    assert codes_of(catalogue, "giao_duc", 4) == ["4a", "4b", "4c"]
    # Art. 5.2: the ward meets KDC criteria 2, 3, 4 over its whole area.
    kdc = [c for n in (2, 3, 4) for c in codes_of(catalogue, "kdc", n)]
    assert codes_of(catalogue, WARD, 2) == ["2." + c if c[1:] else "2.2" for c in kdc]
    assert catalogue.point(WARD, "2.4b").text == catalogue.point("kdc", "4b").text


def test_split_criteria_say_the_split_is_ours(catalogue):
    assert "chương trình" in catalogue.criteria("kdc")[0].text
    assert "chương trình" in catalogue.criteria("kdc")[4].text


def test_every_incident_mapping_names_an_existing_point(catalogue):
    assert catalogue.incident_kinds
    for kind in catalogue.incident_kinds:
        assert kind.points or kind.points_unconditional
        for mapping in (kind.points, kind.points_unconditional):
            for unit_kind, code in mapping.items():
                assert catalogue.point(unit_kind, code).code == code
    assert len({k.code for k in catalogue.incident_kinds}) == len(catalogue.incident_kinds)


def test_incident_mappings_match_the_law(catalogue):
    crime = catalogue.incident_kind("toi_pham")
    assert crime.crime and dict(crime.points) == {
        "kdc": "4b", "xa_phuong": "2.4b", "co_quan": "3đ", "doanh_nghiep": "3đ", "giao_duc": "3đ"}
    school_crime = catalogue.incident_kind("toi_pham_nguoi_cua_csgd")
    assert dict(school_crime.points_unconditional) == {"giao_duc": "4b"}
    assert dict(catalogue.incident_kind("bao_luc_hoc_duong").points) == {"giao_duc": "4a"}
    strike = catalogue.incident_kind("dinh_cong_trai_phap_luat")
    assert dict(strike.points) == {"co_quan": "3d", "doanh_nghiep": "3d"}
    assert dict(catalogue.incident_kind("nguoi_mac_te_nan_moi").points) == {"kdc": "4c", "xa_phuong": "2.4c"}
    fire = catalogue.incident_kind("chay_no_nghiem_trong")
    assert fire.force_majeure_exempt and not fire.crime
    assert not catalogue.incident_kind("chong_dang_chinh_quyen").force_majeure_exempt


def test_amended_catalogue_renames_thi_tran_and_keeps_the_criteria():
    old, new = builtin_catalogues()
    assert "48/2025" in new.title and "CHƯA CHẮC CHẮN" in new.note
    for kind in KINDS:
        assert old.point_codes(kind) == new.point_codes(kind)
    texts = " ".join(c.text + " ".join(p.text for p in c.points) for k in KINDS for c in new.criteria(k))
    assert "thị trấn" not in texts and "xã, phường, đặc khu" in texts
    assert [k.code for k in old.incident_kinds] == [k.code for k in new.incident_kinds]


def test_lookups(catalogue):
    assert catalogue.point_codes("kdc")[:4] == ("1a", "1b", "1c", "2")
    assert catalogue.point("giao_duc", "4a") == Point("4a", "Không để xảy ra bạo lực học đường.")
    with pytest.raises(KeyError):
        catalogue.point("kdc", "3h")
    with pytest.raises(KeyError):
        catalogue.incident_kind("khong_co")
    with pytest.raises(ValueError):
        catalogue.criteria("huyen")


# --------------------------------------------------------------------------------------
# Which catalogue applies
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "code"),
    [
        (date(2012, 4, 27), "tt124-2021"),  # before the first: the first
        (date(2022, 2, 9), "tt124-2021"),
        (date(2022, 2, 10), "tt124-2021"),
        (date(2025, 6, 30), "tt124-2021"),
        (date(2025, 7, 1), "tt124-2021-sua-doi-tt48-2025"),
        (date(2025, 7, 2), "tt124-2021-sua-doi-tt48-2025"),
        (date(2031, 1, 1), "tt124-2021-sua-doi-tt48-2025"),
    ],
)
def test_catalogue_in_force(on, code):
    assert catalogue_in_force(on).code == code


def test_catalogue_in_force_at_each_effective_date():
    catalogues = builtin_catalogues()
    for i, cat in enumerate(catalogues):
        assert catalogue_in_force(cat.effective_from) is cat
        assert catalogue_in_force(cat.effective_from - timedelta(days=1)) is catalogues[max(i - 1, 0)]


def test_catalogue_by_code():
    assert catalogue_by_code("tt124-2021").short_title == "Thông tư 124/2021/TT-BCA"
    with pytest.raises(UserError, match="tt23-2012"):
        catalogue_by_code("tt23-2012")


# --------------------------------------------------------------------------------------
# Province criteria
# --------------------------------------------------------------------------------------


def test_with_extra_criteria_numbers_on_and_prefixes_codes():
    base = catalogue_by_code("tt124-2021")
    extras = [
        Criterion(99, "Camera an ninh", "Có camera ở các ngõ.", (Point("x", "Có camera ở các ngõ chính."),)),
        Criterion(1, "Tuyên truyền", "Tổ chức tuyên truyền.",
                  (Point("a", "Ít nhất 2 buổi."), Point("b", "Có biên bản."))),
    ]
    extended = base.with_extra_criteria("kdc", extras)
    assert [c.number for c in extended.criteria("kdc")] == [1, 2, 3, 4, 5, 6, 7]
    assert extended.point_codes("kdc")[-3:] == ("T6", "T7a", "T7b")
    assert extended.point("kdc", "T7b").text == "Có biên bản."
    assert extended.criteria("kdc")[5].title == "Camera an ninh"
    # Nothing else changes, and the original catalogue is untouched.
    assert extended.criteria("co_quan") == base.criteria("co_quan")
    assert len(base.criteria("kdc")) == 5
    assert extended.code == base.code
    # Extras of a kind whose criteria count differs.
    school = base.with_extra_criteria("giao_duc", extras[:1])
    assert school.point_codes("giao_duc")[-1] == "T7"
    with pytest.raises(ValueError):
        base.with_extra_criteria("kdc", [Criterion(1, "Rỗng", "Không có điểm.", ())])


# --------------------------------------------------------------------------------------
# Broken files
# --------------------------------------------------------------------------------------


def _write(tmp_path: Path, data, name: str = "hong.json") -> Path:
    path = tmp_path / name
    text = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def _base() -> dict:
    return json.loads(BASE_FILE.read_text(encoding="utf-8"))


def _broken_cases():
    def missing_kind(d):
        del d["kinds"]["giao_duc"]

    def duplicate_code(d):
        d["kinds"]["kdc"][2]["points"][1]["code"] = "3a"

    def bad_date(d):
        d["effective_from"] = "2022-02-30"

    def dmy_date(d):
        d["effective_from"] = "10/02/2022"

    def unknown_point(d):
        d["incident_kinds"][0]["points"]["kdc"] = "9z"

    def number_gap(d):
        d["kinds"]["co_quan"][3]["number"] = 5

    def no_points(d):
        d["kinds"]["xa_phuong"][0]["points"] = []

    def unknown_kind(d):
        d["kinds"]["huyen"] = d["kinds"]["kdc"]

    def missing_title(d):
        del d["title"]

    def duplicate_incident(d):
        d["incident_kinds"][1]["code"] = d["incident_kinds"][0]["code"]

    def crime_not_bool(d):
        d["incident_kinds"][0]["crime"] = "có"

    return {
        "missing_kind": (missing_kind, "giao_duc"),
        "duplicate_code": (duplicate_code, "3a"),
        "bad_date": (bad_date, "2022-02-30"),
        "dmy_date": (dmy_date, "10/02/2022"),
        "unknown_point": (unknown_point, "9z"),
        "number_gap": (number_gap, "number"),
        "no_points": (no_points, "points"),
        "unknown_kind": (unknown_kind, "huyen"),
        "missing_title": (missing_title, "title"),
        "duplicate_incident": (duplicate_incident, "trùng"),
        "crime_not_bool": (crime_not_bool, "crime"),
    }


@pytest.mark.parametrize("case", sorted(_broken_cases()))
def test_broken_catalogue_raises_user_error_naming_the_file(tmp_path, case):
    mutate, detail = _broken_cases()[case]
    data = _base()
    mutate(data)
    path = _write(tmp_path, data, f"tinh-{case}.json")
    with pytest.raises(UserError) as info:
        load_catalogue(path)
    assert f"tinh-{case}.json" in info.value.message
    assert detail in info.value.message


def test_bad_json_names_the_file_and_line(tmp_path):
    path = _write(tmp_path, '{\n  "code": "x",\n  "title": \n}')
    with pytest.raises(UserError, match=r"hong\.json.*JSON.*dòng 4, cột 1"):
        load_catalogue(path)


def test_not_utf8_or_missing_file(tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('{"code": "Thông tư"}'.encode("cp1258", errors="replace") + b"\xff")
    with pytest.raises(UserError, match="latin1.json.*UTF-8"):
        load_catalogue(path)
    with pytest.raises(UserError, match="khong-co.json"):
        load_catalogue(tmp_path / "khong-co.json")


def test_a_valid_copy_loads_and_text_is_normalised(tmp_path):
    data = _base()
    decomposed = unicodedata.normalize("NFD", "Thông tư thử")
    data["short_title"] = f"  {decomposed}  "
    data["incident_kinds"][0]["points"]["co_quan"] = None  # null = does not apply
    cat = load_catalogue(_write(tmp_path, data))
    assert cat.short_title == unicodedata.normalize("NFC", "Thông tư thử")
    assert "co_quan" not in cat.incident_kinds[0].points
    assert cat.point_codes("kdc") == catalogue_by_code("tt124-2021").point_codes("kdc")
