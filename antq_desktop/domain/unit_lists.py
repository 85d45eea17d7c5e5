"""How Vietnamese lists of units word things: the headers of their columns, the kind of a unit
from its name, a school's level, a yes/no cell, the line that closes a table.

Pure rules over folded text (no case, tones, đ or punctuation), so "SĐT", "Số ĐT" and
"so dien thoai" read alike; services/unit_import.py applies them to a workbook.
"""

from __future__ import annotations

import re
from functools import lru_cache

from antq_desktop.domain import vntext
from antq_desktop.domain.units import KDC_CATEGORIES, SchoolLevel, UnitKind

KIND = "kind"  # the unit's kind, which a list may hold in a column like any field


# ---- folding text for comparisons --------------------------------------------------------------


def fold(text) -> str:
    """A header or value as compared: no case, tones, đ or punctuation ("SĐT:" -> "sdt")."""
    return " ".join(re.sub(r"[^a-z0-9]+", " ", vntext.search_key(str(text))).split())


def _has(folded: str, phrase: str) -> bool:
    """``phrase`` occurs in ``folded`` as whole words ("dt" is in "so dt", not in "dia chi")."""
    return f" {phrase} " in f" {folded} "


def _matches(folded: str, pattern: str) -> bool:
    """A header pattern: "=x" the whole header, "a…b" every part, else the phrase anywhere."""
    if pattern.startswith("="):
        return folded == pattern[1:]
    return all(_has(folded, part) for part in pattern.split("…"))


# ---- what a header says: the rules, most particular first ----------------------------------------

_IGNORED = ""  # a known column that no unit field takes (STT, the tax code)
_HEADER_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_IGNORED, ("=stt", "=tt", "=so tt", "=so thu tu", "=thu tu", "ma so thue", "=mst", "=ma", "=ma so",
                "=ma don vi", "=ma dv", "=email", "=e mail")),
    ("head_phone", ("dien thoai", "sdt", "dt", "dtdd", "so dt", "di dong", "phone", "lien lac", "zalo")),
    ("head_title", ("chuc vu", "chuc danh")),
    ("protection_force_size", ("so…bao ve", "so…luc luong", "quan so bao ve")),
    ("households", ("so ho", "ho gia dinh", "ho dan")),
    ("learner_count", ("hoc sinh", "hoc vien", "sinh vien", "so tre", "nguoi hoc", "so chau")),
    ("staff_count", ("so can bo", "so cb", "can bo nhan vien", "can bo cong nhan vien", "cbcnv", "cbnv", "cbcc",
                     "so nhan vien", "nhan vien", "lao dong", "cong nhan", "nhan su", "quan so")),
    ("subordinate_units", ("don vi truc thuoc",)),
    ("school_level", ("cap hoc", "bac hoc", "=cap", "cap truong")),
    ("is_armed_forces", ("vu trang", "llvt")),
    ("is_small_or_micro", ("sieu nho", "=quy mo", "quy mo doanh nghiep", "dn nho", "doanh nghiep nho")),
    ("has_party_org", ("to chuc dang", "chi bo", "dang bo", "=dang", "co dang")),
    ("protection_force", ("bao ve", "luc luong")),
    ("managing_authority", ("co quan quan ly", "don vi quan ly", "cap quan ly", "chu quan", "quan ly nha nuoc")),
    ("notes", ("ghi chu", "luu y", "=khac")),
    (KIND, ("loai don vi", "=loai", "khoi", "thuoc khoi", "loai doi tuong", "loai co so", "=phan loai don vi")),
    ("category", ("loai hinh", "phan loai", "nhom", "hinh thuc")),
    ("address", ("dia chi", "tru so", "dia diem", "vi tri", "dia ban", "noi o", "=khu vuc", "so nha")),
    ("head_name", ("to truong", "truong thon", "truong khu", "truong ban", "truong ap", "truong xom", "thu truong",
                   "giam doc", "hieu truong", "nguoi dung dau", "lanh dao", "ho ten", "ho va ten", "chu doanh nghiep",
                   "chu co so", "dai dien", "chu nhiem", "nguoi quan ly")),
    ("name", ("ten", "don vi", "to dan pho", "tdp", "khu dan cu", "co quan", "doanh nghiep", "cong ty", "truong hoc",
              "co so", "=truong", "thon", "khu pho", "to chuc", "=to", "=ap", "=ban", "=xom", "=lang", "=khu")),
)


def header_field(text) -> str | None:
    """The unit field a header names ("Họ tên tổ trưởng" -> head_name), "" for a known column
    no field takes (STT), None when the header says nothing the program knows."""
    folded = fold(text) if text is not None else ""
    if not folded:
        return None
    for name, patterns in _HEADER_RULES:
        if any(_matches(folded, pattern) for pattern in patterns):
            return name
    return None


# ---- kinds and school levels from words ------------------------------------------------------------

# How a name starts, per kind; the longest phrase that fits wins ("ban chi huy" before "ban").
_NAME_STARTS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.KDC: ("to dan pho", "tdp", "to", "thon", "khu pho", "khu dan cu", "kdc", "xom", "ban", "ap", "lang",
                   "khom", "buon", "soc", "khu"),
    UnitKind.CO_QUAN: ("uy ban", "ubnd", "hdnd", "dang uy", "cong an", "ban chi huy", "ban quan ly", "mat tran",
                       "hoi", "doan", "tram", "chi cuc", "kho bac", "benh vien", "trung tam y te", "phong", "so",
                       "toa an", "vien kiem sat", "buu dien", "bao hiem xa hoi", "doi", "co quan", "cq", "to chuc",
                       "don vi", "nha van hoa", "thu vien", "ban chi dao"),
    UnitKind.DOANH_NGHIEP: ("cong ty", "cty", "tong cong ty", "doanh nghiep", "dn", "dntn", "hop tac xa", "htx",
                            "chi nhanh", "ngan hang", "nha may", "xi nghiep", "cua hang", "khach san", "sieu thi",
                            "co so kinh doanh", "ho kinh doanh"),
    UnitKind.GIAO_DUC: ("truong", "nha tre", "nhom tre", "mam non", "trung tam giao duc", "hoc vien", "dai hoc",
                        "co so giao duc", "csgd", "giao duc", "gd", "truong hoc", "co so dao tao"),
}
_STARTS = sorted(((phrase, kind) for kind, phrases in _NAME_STARTS.items() for phrase in phrases),
                 key=lambda item: -len(item[0]))
# Words naming a kind anywhere in a heading ("II. KHỐI CƠ QUAN, ĐƠN VỊ", "Tên trường").
_KIND_WORDS: dict[UnitKind, tuple[str, ...]] = {
    UnitKind.KDC: ("to dan pho", "tdp", "khu dan cu", "kdc", "thon", "khu pho"),
    UnitKind.CO_QUAN: ("co quan",),
    UnitKind.DOANH_NGHIEP: ("doanh nghiep", "cong ty", "hop tac xa", "htx"),
    UnitKind.GIAO_DUC: ("giao duc", "truong hoc", "nha truong", "ten truong", "cac truong", "mam non", "tieu hoc",
                        "thcs", "thpt"),
}


# The program's own spellings: "kdc", "co_quan", "Cơ sở giáo dục".
_OWN_KINDS = {fold(spelling): kind for kind in UnitKind for spelling in (kind.value, kind.label)}


@lru_cache(maxsize=4096)  # a list repeats its few kind values thousands of times
def kind_of_name(text) -> UnitKind | None:
    """The kind a unit's name, or a kind cell's value, starts with ("Công ty TNHH…" -> doanh nghiệp)."""
    folded = fold(text)
    if folded in _OWN_KINDS:
        return _OWN_KINDS[folded]
    return next((kind for phrase, kind in _STARTS if folded == phrase or folded.startswith(phrase + " ")), None)


@lru_cache(maxsize=4096)
def kind_in_text(text) -> UnitKind | None:
    """The kind a heading names anywhere in it, the first one named."""
    folded = f" {fold(text)} "
    found = [(folded.find(f" {word} "), kind) for kind, words in _KIND_WORDS.items() for word in words
             if f" {word} " in folded]
    return min(found, key=lambda item: item[0])[1] if found else None


_LEVEL_WORDS: tuple[tuple[SchoolLevel, tuple[str, ...]], ...] = (
    (SchoolLevel.NHIEU_CAP, ("nhieu cap", "lien cap", "pho thong nhieu cap")),
    (SchoolLevel.GDNN, ("giao duc nghe nghiep", "gdnn", "day nghe", "nghe", "trung cap")),
    (SchoolLevel.DAI_HOC, ("cao dang", "dai hoc", "hoc vien")),
    (SchoolLevel.THPT, ("thpt", "trung hoc pho thong", "pho thong trung hoc")),
    (SchoolLevel.THCS, ("thcs", "trung hoc co so")),
    (SchoolLevel.TIEU_HOC, ("tieu hoc", "th")),
    (SchoolLevel.MAM_NON, ("mam non", "mau giao")),
    (SchoolLevel.NHA_TRE, ("nha tre", "nhom tre")),
    (SchoolLevel.KHAC, ("khac",)),
)


_OWN_LEVELS = {fold(spelling): level for level in SchoolLevel for spelling in (level.value, level.label)}


@lru_cache(maxsize=4096)
def school_level_in(text) -> SchoolLevel | None:
    """The school level a cell or a school's name names; two of tiểu học/THCS/THPT make "nhiều cấp"."""
    folded = fold(text)
    if folded in _OWN_LEVELS:
        return _OWN_LEVELS[folded]
    found = [level for level, words in _LEVEL_WORDS if any(_has(folded, word) for word in words)]
    if len({SchoolLevel.TIEU_HOC, SchoolLevel.THCS, SchoolLevel.THPT} & set(found)) >= 2:
        return SchoolLevel.NHIEU_CAP
    return found[0] if found else None


def kdc_category_of(text) -> str:
    """"Tổ dân phố", "Thôn"… when a name or a kind cell starts with one of them, else ""."""
    folded = fold(text)
    for category in KDC_CATEGORIES:
        key = fold(category)
        if folded == key or folded.startswith(key + " "):
            return category
    return ""


# ---- yes/no cells ---------------------------------------------------------------------------------

_YES = {"x", "co", "1", "true", "yes", "v", "dung", "ok"}
_NO = {"khong", "0", "false", "no", "k", "ko", "sai", "chua", "chua co"}
_FLAG_WORDS = {  # what a column of one flag says besides yes and no
    "is_small_or_micro": ({"nho", "sieu nho", "nho va sieu nho", "doanh nghiep nho", "dn nho"}, {"vua", "lon"}),
    "has_party_org": ({"chi bo", "dang bo", "co chi bo", "co dang bo"}, set()),
    "is_armed_forces": ({"llvt", "vu trang", "luc luong vu trang", "quan doi", "cong an"}, set()),
}


def flag_in(name: str, text: str) -> bool | None:
    """A yes/no cell of the flag ``name`` ("x", "Có", "Không", "siêu nhỏ" for a small enterprise),
    None when it says neither."""
    folded = fold(text) or text.strip()  # "✓" folds to nothing
    yes, no = _FLAG_WORDS.get(name, (set(), set()))
    if folded in _YES | yes or folded in ("✓", "✔", "☑"):
        return True
    if folded in _NO | no or folded == "-":
        return False
    return None


# ---- the end of a table ---------------------------------------------------------------------------

# How the first cell of the row under the last unit starts: the totals, the signature block, the date line.
_TABLE_END = (
    re.compile(r"^(tong cong(?! ty\b)|tong so\b|(tong|cong)( \d.*)?$)"),
    re.compile(r"^(nguoi lap|nguoi ky|nguoi tong hop|truong cong an|pho truong cong an|chu tich|t m|tm|xac nhan|"
               r"ky ten|ky ghi ro|ghi chu|luu y|noi nhan)( |$)"),
    re.compile(r"\bngay\b.*\bthang\b.*\bnam\b"),  # "Minh Xuân, ngày 05 tháng 01 năm 2026"
)


def ends_table(text: str) -> bool:
    """Whether a row's first cell closes a list: the totals, the signature block, the date line."""
    return any(pattern.search(fold(text)) for pattern in _TABLE_END)

