"""Tests for antq_desktop.domain.vntext: the Vietnamese text rules of DOCUMENTS.md §3."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from antq_desktop.domain.vntext import (
    amount_in_words,
    clean,
    clean_paragraphs,
    document_date,
    format_date,
    format_number,
    format_percent,
    parse_date,
    person_name_key,
    search_key,
    search_pattern,
    sort_key,
)
from antq_desktop.errors import UserError

FAST = settings(max_examples=200, deadline=None)

# --------------------------------------------------------------------------------------
# A reference model of the Vietnamese alphabet, written out by hand (not derived from
# unicodedata) so that the property tests compare sort_key against an independent model.
# --------------------------------------------------------------------------------------

ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
# Each vowel in tone order: none, huyền, hỏi, ngã, sắc, nặng.
TONED = {
    "a": "aàảãáạ",
    "ă": "ăằẳẵắặ",
    "â": "âầẩẫấậ",
    "e": "eèẻẽéẹ",
    "ê": "êềểễếệ",
    "i": "iìỉĩíị",
    "o": "oòỏõóọ",
    "ô": "ôồổỗốộ",
    "ơ": "ơờởỡớợ",
    "u": "uùủũúụ",
    "ư": "ưừửữứự",
    "y": "yỳỷỹýỵ",
}
# character -> (letter rank, tone, is upper case)
LETTER_INFO: dict[str, tuple[int, int, int]] = {}
for _rank, _letter in enumerate(ALPHABET):
    for _tone, _ch in enumerate(TONED.get(_letter, _letter)):
        LETTER_INFO[_ch] = (_rank, _tone, 0)
        LETTER_INFO[_ch.upper()] = (_rank, _tone, 1)
VIETNAMESE_LETTERS = sorted(LETTER_INFO)


def test_reference_alphabet_is_well_formed():
    # 33 letters x (1 or 6 tones) x 2 cases, every one a single NFC code point.
    assert len(LETTER_INFO) == 2 * (21 + 12 * 6)
    assert all(len(ch) == 1 and unicodedata.is_normalized("NFC", ch) for ch in LETTER_INFO)
    tone_marks = ["", "\u0300", "\u0309", "\u0303", "\u0301", "\u0323"]
    for letters in TONED.values():
        for tone, ch in enumerate(letters[1:], start=1):
            assert tone_marks[tone] in unicodedata.normalize("NFD", ch)


def reference_key(text: str):
    """Letters/numbers/spaces, then tones, then case, then leading zeros, as plain tuples."""
    primary, tones, cases, zeros = [], [], [], []
    for token in re.findall(r"[0-9]+| |.", " ".join(text.split())):
        if token.isdigit():
            primary.append((1, int(token)))
            zeros.append(len(token) - len(token.lstrip("0") or "0"))
        elif token == " ":
            primary.append((0, 0))
        else:
            rank, tone, upper = LETTER_INFO[token]
            primary.append((2, rank))
            tones.append(tone)
            cases.append(upper)
    return primary, tones, cases, zeros


def sign(a, b) -> int:
    return (a > b) - (a < b)


def nfd(text: str) -> str:
    return unicodedata.normalize("NFD", text)


vietnamese_text = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + list("0123456789 ")), max_size=12
)
vietnamese_word = st.text(alphabet=st.sampled_from(VIETNAMESE_LETTERS), min_size=1, max_size=6)
any_text = st.text(max_size=20)


# --------------------------------------------------------------------------------------
# clean
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("   ", ""),
        ("  Đồng   Tâm ", "Đồng Tâm"),
        ("Tổ\u00a0dân\tphố\n\r số 5", "Tổ dân phố số 5"),
        (nfd("Nguyễn Văn Ánh"), "Nguyễn Văn Ánh"),
        ("a\x00b\x07c", "abc"),
    ],
)
def test_clean(raw, expected):
    assert clean(raw) == expected


@FAST
@given(any_text)
def test_clean_is_idempotent_nfc_and_single_spaced(text):
    cleaned = clean(text)
    assert clean(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == cleaned.strip() and "  " not in cleaned
    assert not any(ch.isspace() and ch != " " for ch in cleaned)


# --------------------------------------------------------------------------------------
# search_key / search_pattern
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Đồng Tâm", "dong tam"),
        ("Hoà", "hoa"),
        ("Hòa", "hoa"),
        ("Tổ dân phố số 5", "to dan pho so 5"),
        ("  NGUYỄN   Thị\u00a0Ánh ", "nguyen thi anh"),
        ("ĂÂÊÔƠƯĐ ăâêôơưđ", "aaeooud aaeooud"),
        (nfd("Khánh Hòa"), "khanh hoa"),
        (None, ""),
    ],
)
def test_search_key(raw, expected):
    assert search_key(raw) == expected


def test_search_key_finds_dong_tam():
    assert search_key("dong tam") in search_key("Phường Đồng Tâm, Hà Nội")


@FAST
@given(vietnamese_text)
def test_search_key_is_ascii_for_vietnamese(text):
    assert search_key(text).isascii()
    assert search_key(text) == search_key(nfd(text))


@FAST
@given(any_text)
def test_search_key_is_idempotent(text):
    assert search_key(search_key(text)) == search_key(text)
    assert search_key(text) == search_key(nfd(text))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Đồng", "dong"),
        ("10%", "10\\%"),
        ("a_b", "a\\_b"),
        ("c:\\x", "c:\\\\x"),
        ("\\%", "\\\\\\%"),
    ],
)
def test_search_pattern_escapes_like_wildcards(query, expected):
    assert search_pattern(query) == expected


def test_search_pattern_works_in_sqlite():
    import sqlite3

    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (folded TEXT)")
    rows = ["giam 10% phi", "giam 100 phi", "a_b", "axb", "dong tam"]
    con.executemany("INSERT INTO t VALUES (?)", [(r,) for r in rows])

    def find(query):
        sql = "SELECT folded FROM t WHERE folded LIKE '%' || ? || '%' ESCAPE '\\' ORDER BY folded"
        return [r for (r,) in con.execute(sql, (search_pattern(query),))]

    assert find("10%") == ["giam 10% phi"]
    assert find("a_b") == ["a_b"]
    assert find("Đồng") == ["dong tam"]
    con.close()


# --------------------------------------------------------------------------------------
# sort_key
# --------------------------------------------------------------------------------------

# Intl.Collator('vi') with ICU 78 (DOCUMENTS.md §3.4).
ICU_ORDER = (
    "an Anh Ảnh Ánh ăn ân ba bà bả bã bá bạ bác bạc bai di dì đi o ô ơ tha thu u Ư y Ý Yến"
).split()


def test_icu_order():
    for shuffled in (ICU_ORDER[::-1], sorted(ICU_ORDER), ICU_ORDER[1::2] + ICU_ORDER[::2]):
        assert sorted(shuffled, key=sort_key) == ICU_ORDER
    keys = [sort_key(w) for w in ICU_ORDER]
    assert all(a < b for a, b in zip(keys, keys[1:]))


def test_alphabet_order_with_loan_letters_in_latin_place():
    letters = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
    assert sorted(letters[::-1], key=sort_key) == letters


def test_plain_code_point_sort_is_wrong_but_the_key_is_right():
    words = ["z", "Ánh", "ăn", "đi", "ơ", "b"]
    assert sorted(words) == ["b", "z", "Ánh", "ăn", "đi", "ơ"]
    assert sorted(words, key=sort_key) == ["Ánh", "ăn", "b", "đi", "ơ", "z"]


def test_tones_are_secondary_and_case_tertiary():
    words = ["Bà", "ba", "bá", "Ba", "bác", "bạ"]
    assert sorted(words, key=sort_key) == ["ba", "Ba", "Bà", "bá", "bạ", "bác"]


@pytest.mark.parametrize(
    "ordered",
    [
        ["Tổ 1", "Tổ 1A", "Tổ 2", "Tổ 10", "Tổ 10A", "Tổ 10B", "Tổ 11", "Tổ 100", "Tổa"],
        ["Tổ 2", "Tổ 02", "Tổ 002", "Tổ 3"],
        ["Tổ dân phố 9", "Tổ dân phố 10", "Tổ dân phố số 1"],
        ["1", "2", "9", "10", "99", "100", "a"],
        ["0", "00", "1"],
        ["Tổ", "Tổ 1", "Tổ-1", "Tổ1", "Tổa"],
        ["Ấp 3", "Ấp 3 - Khu B", "Ấp 3-A", "Ấp 12"],
        ["", "a", "a a", "aa"],
    ],
)
def test_natural_order_and_word_boundaries(ordered):
    assert sorted(ordered[::-1], key=sort_key) == sorted(ordered, key=sort_key) == ordered


def test_leading_zeros_equal_at_primary_level_only():
    a, b = sort_key("Tổ 02"), sort_key("Tổ 2")
    assert a != b
    assert a.split('"')[0] == b.split('"')[0]
    assert sort_key("Tổ 02 b") > sort_key("Tổ 2 a")  # the letter after decides first


def test_tone_placement_differs_only_at_tone_level():
    old, new = sort_key("Hòa"), sort_key("Hoà")
    assert old != new
    assert old.split('"')[0] == new.split('"')[0]
    # Any primary difference outweighs the placement.
    assert sort_key("Hòa An") < sort_key("Hoà Bình") < sort_key("Hòa Bình")


def test_long_numbers_and_id_numbers():
    ids = ["001099012345", "1099012346", "038200000001", "38200000002"]
    assert sorted(ids, key=sort_key) == ["001099012345", "1099012346", "038200000001", "38200000002"]
    big = [str(10**k) for k in range(0, 70, 7)]  # the last two exceed 54 digits
    assert sorted(big[::-1], key=sort_key) == big


def test_non_vietnamese_characters_sort_stably():
    words = ["zoo", "Ωmega", "ü", "u", "ú", "ư", "ç", "ß", "Жук", "中文", "f", "j", "w"]
    ordered = sorted(words, key=sort_key)
    assert sorted(ordered[::-1], key=sort_key) == ordered
    assert len({sort_key(w) for w in words}) == len(words)
    assert ordered.index("u") < ordered.index("ú") < ordered.index("ü") < ordered.index("ư")
    assert ordered.index("zoo") < ordered.index("Ωmega")
    assert ordered.index("zoo") < ordered.index("ß")


@FAST
@given(vietnamese_text, vietnamese_text)
def test_sort_key_matches_reference_comparator(a, b):
    assert sign(sort_key(a), sort_key(b)) == sign(reference_key(a), reference_key(b))


@FAST
@given(st.lists(vietnamese_text, max_size=15))
def test_sorting_by_key_equals_sorting_by_reference(texts):
    texts = sorted({clean(t) for t in texts})  # reference keys are unique per cleaned text
    assert sorted(texts, key=sort_key) == sorted(texts, key=reference_key)


@FAST
@given(vietnamese_text)
def test_sort_key_is_short_for_vietnamese(text):
    assert len(sort_key(text)) <= 4 * len(clean(text)) + 3


@FAST
@given(any_text)
def test_sort_key_nfc_nfd_and_no_control_characters(text):
    key = sort_key(text)
    assert key == sort_key(nfd(text)) == sort_key(unicodedata.normalize("NFC", text))
    assert key == sort_key(f"  {text}\t")
    assert not any(unicodedata.category(ch) in ("Cc", "Cs") for ch in key)
    key.encode("utf-8")


tricky_text = st.text(
    alphabet=st.sampled_from(
        list("aAoOuUdđĐyY01 -!\"|ßЖ中\u00a0\x00")
        + ["\u0300", "\u0301", "\u0302", "\u0306", "\u031b", "\u0308", "\u0323"]
    ),
    max_size=8,
)


@FAST
@given(tricky_text, tricky_text)
def test_sort_key_ties_only_for_the_same_clean_text(a, b):
    # Leading zeros, foreign marks and stray marks are all kept at some level.
    assert (sort_key(a) == sort_key(b)) == (clean(a) == clean(b))


@FAST
@given(any_text, any_text)
def test_sort_key_code_point_order_equals_utf8_byte_order(a, b):
    ka, kb = sort_key(a), sort_key(b)
    assert sign(ka, kb) == sign(ka.encode("utf-8"), kb.encode("utf-8"))


def test_sort_key_in_sqlite_binary_collation():
    import sqlite3

    con = sqlite3.connect(":memory:")
    con.execute("CREATE TABLE t (name TEXT, k TEXT)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(w, sort_key(w)) for w in reversed(ICU_ORDER)])
    assert [n for (n,) in con.execute("SELECT name FROM t ORDER BY k")] == ICU_ORDER
    con.close()


# --------------------------------------------------------------------------------------
# person_name_key
# --------------------------------------------------------------------------------------


def test_person_names_sort_by_given_name_first():
    names = ["Nguyễn Thị An", "Trần Văn Anh", "Lê Thị Ánh", "Phạm Văn Bình"]
    assert sorted(names[::-1], key=person_name_key) == names
    assert sorted(["Trần Văn Bình", "Lê Văn Bình", "Lê An Bình", "Bình"], key=person_name_key) == [
        "Bình",
        "Lê An Bình",
        "Lê Văn Bình",
        "Trần Văn Bình",
    ]


def test_person_name_key_edge_cases():
    assert person_name_key(None) == person_name_key("  ")
    assert person_name_key(nfd("Nguyễn Thị Ánh")) == person_name_key("Nguyễn  Thị Ánh")
    # The given name decides completely (tones and case included) before the family name.
    assert person_name_key("Vũ An") < person_name_key("An Án")
    assert person_name_key("An An") < person_name_key("Vũ Thị An")  # no middle name first


def name_parts_key(name: str):
    words = clean(name).split(" ")
    family = words[0] if len(words) > 1 else ""
    return sort_key(words[-1]), sort_key(" ".join(words[1:-1])), sort_key(family)


# Digits and punctuation (including the separators "!" and '"') stress the joins.
name_word = st.text(
    alphabet=st.sampled_from(VIETNAMESE_LETTERS + list("0123456789-'.!\"")), min_size=1, max_size=5
)


@FAST
@given(st.lists(name_word, max_size=4), st.lists(name_word, max_size=4))
def test_person_name_key_equals_comparing_parts_in_turn(a, b):
    name_a, name_b = " ".join(a), " ".join(b)
    expected = sign(name_parts_key(name_a), name_parts_key(name_b))
    assert sign(person_name_key(name_a), person_name_key(name_b)) == expected
    assert person_name_key(name_a) == person_name_key(nfd(name_a))


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------


def test_format_date():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    assert format_date(date(2026, 12, 31)) == "31/12/2026"
    assert format_date(None) == ""


@pytest.mark.parametrize(
    "text", ["5/1/2026", "05/01/2026", "05-01-2026", "05.01.2026", "2026-01-05", " 5 / 1 / 2026 "]
)
def test_parse_date_accepts(text):
    assert parse_date(text) == date(2026, 1, 5)


@pytest.mark.parametrize(
    "text",
    [
        "31/02/2026",
        "abc",
        "05/01/26",
        "5/1",
        "00/01/2026",
        "05/13/2026",
        "05/01-2026",
        "2026/01/05",
        "05/01/0000",
    ],
)
def test_parse_date_refuses(text):
    with pytest.raises(UserError) as caught:
        parse_date(text)
    assert f'"{text}"' in caught.value.message
    assert "ví dụ 05/01/2026" in caught.value.message


def test_parse_date_message_text():
    with pytest.raises(UserError) as caught:
        parse_date("31/02/2026")
    assert str(caught.value) == (
        'Ngày "31/02/2026" không hợp lệ. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026.'
    )
    with pytest.raises(UserError, match="Chưa nhập ngày"):
        parse_date("  ")


@FAST
@given(st.dates())
def test_parse_date_round_trips(d):
    assert parse_date(format_date(d)) == d
    assert parse_date(d.isoformat()) == d


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 3, 2), "ngày 02 tháng 3 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2026, 8, 23), "ngày 23 tháng 8 năm 2026"),
        (date(2018, 8, 6), "ngày 06 tháng 8 năm 2018"),
        (date(2026, 12, 10), "ngày 10 tháng 12 năm 2026"),
    ],
)
def test_document_date(d, expected):
    assert document_date(d) == expected


def test_document_date_with_place():
    assert document_date(date(2026, 1, 5), "Minh Xuân") == "Minh Xuân, ngày 05 tháng 01 năm 2026"
    assert document_date(date(2026, 1, 5), "  phường 5 ") == "Phường 5, ngày 05 tháng 01 năm 2026"
    assert document_date(date(2026, 1, 5), "") == "ngày 05 tháng 01 năm 2026"


def test_document_date_rule_for_every_day_and_month():
    for month in range(1, 13):
        for day in range(1, 29):
            text = document_date(date(2024, month, day))
            day_part, month_part = re.fullmatch(r"ngày (\d+) tháng (\d+) năm 2024", text).groups()
            assert day_part == f"{day:02d}"
            assert month_part == (f"0{month}" if month <= 2 else str(month))


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (0, 0, "0"),
        (999, 0, "999"),
        (1000, 0, "1.000"),
        (1234567, 0, "1.234.567"),
        (-1234, 0, "-1.234"),
        (1234567.89, 2, "1.234.567,89"),
        (Decimal("1234567.891"), 2, "1.234.567,89"),
        (2.5, 0, "3"),
        (0.125, 2, "0,13"),
        (-0.4, 0, "0"),
        (120000000, 0, "120.000.000"),
        (12.5, 1, "12,5"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_refuses_nonsense():
    with pytest.raises(ValueError):
        format_number(float("nan"))
    with pytest.raises(ValueError):
        format_number(1, -1)


def test_format_percent():
    assert format_percent(85.714) == "85,7%"
    assert format_percent(100) == "100,0%"
    assert format_percent(Decimal("33.333"), 2) == "33,33%"


# --------------------------------------------------------------------------------------
# Amounts in words: every vector of DOCUMENTS.md §3.1
# --------------------------------------------------------------------------------------

AMOUNT_VECTORS = [
    (5, "Năm đồng"),
    (10, "Mười đồng"),
    (11, "Mười một đồng"),
    (15, "Mười lăm đồng"),
    (21, "Hai mươi mốt đồng"),
    (24, "Hai mươi bốn đồng"),
    (101, "Một trăm linh một đồng"),
    (105, "Một trăm linh năm đồng"),
    (110, "Một trăm mười đồng"),
    (115, "Một trăm mười lăm đồng"),
    (1_001, "Một nghìn không trăm linh một đồng"),
    (1_005, "Một nghìn không trăm linh năm đồng"),
    (1_015, "Một nghìn không trăm mười lăm đồng"),
    (31_000, "Ba mươi mốt nghìn đồng"),
    (1_000_001, "Một triệu không trăm linh một đồng"),
    (1_002_003, "Một triệu không trăm linh hai nghìn không trăm linh ba đồng"),
    (1_500_000, "Một triệu năm trăm nghìn đồng"),
    (12_345_678, "Mười hai triệu ba trăm bốn mươi lăm nghìn sáu trăm bảy mươi tám đồng"),
    (120_000_000, "Một trăm hai mươi triệu đồng"),
    (1_000_000_000, "Một tỷ đồng"),
    (1_000_000_000_000, "Một nghìn tỷ đồng"),
]


@pytest.mark.parametrize(("n", "expected"), AMOUNT_VECTORS)
def test_amount_in_words_vectors(n, expected):
    assert amount_in_words(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (0, "Không đồng"),
        (14, "Mười bốn đồng"),
        (1_010, "Một nghìn không trăm mười đồng"),
        (2_026, "Hai nghìn không trăm hai mươi sáu đồng"),
        (1_000_005, "Một triệu không trăm linh năm đồng"),
        (2_000_000_000_000_000, "Hai triệu tỷ đồng"),
        (1_000_001_000, "Một tỷ không trăm linh một nghìn đồng"),
        (100, "Một trăm đồng"),
    ],
)
def test_amount_in_words_more_rules(n, expected):
    assert amount_in_words(n) == expected


def test_amount_in_words_variants():
    assert amount_in_words(24, four="tư") == "Hai mươi tư đồng"
    assert amount_in_words(14, four="tư") == "Mười bốn đồng"
    assert amount_in_words(1_005, zero_tens="lẻ") == "Một nghìn không trăm lẻ năm đồng"
    assert amount_in_words(120_000_000, currency="") == "Một trăm hai mươi triệu"


def test_amount_in_words_refuses_bad_input():
    with pytest.raises(ValueError):
        amount_in_words(-1)
    with pytest.raises(ValueError):
        amount_in_words(10**18)
    with pytest.raises(TypeError):
        amount_in_words(1.5)  # type: ignore[arg-type]


@FAST
@given(st.integers(min_value=0, max_value=10**15))
def test_amount_in_words_never_fails_and_avoids_colloquial_forms(n):
    words = amount_in_words(n)
    assert words[0].isupper() and words.endswith(" đồng")
    lowered = words.lower()
    for wrong in ("mười mốt", "nhăm", "linh lăm", "lẻ", "tư", "  "):
        assert wrong not in lowered
    assert not re.search(r"(hai|ba|bốn|năm|sáu|bảy|tám|chín) mốt", lowered)  # "mươi" never dropped
    assert not re.search(r"trăm mốt", lowered)


def test_clean_paragraphs_keeps_line_breaks_but_cleans_each_line():
    decomposed = unicodedata.normalize("NFD", "Ghi chú  đầu")
    text = f"  {decomposed}\r\n\r\n\n  dòng\u00a0hai \n"
    assert clean_paragraphs(text) == "Ghi chú đầu\n\ndòng hai"
    assert clean_paragraphs(None) == ""


@pytest.mark.parametrize(("number", "printed"), [("5", "05"), ("09", "09"), ("10", "10"), ("125", "125"), ("", "")])
def test_document_number_pads_below_ten(number, printed):
    from antq_desktop.domain.vntext import document_number

    assert document_number(number) == printed
