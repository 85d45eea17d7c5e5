"""Vietnamese text rules: cleaning, search folding, sorting, dates, numbers, amounts in words.

Everything here is a small pure function over the standard library, so the GUI, the
database layer, the reports and the CLI all apply exactly the same rules (DESIGN.md,
"Vietnamese text, everywhere"; DOCUMENTS.md §3 and the ND30 date line of §1.4).

Design in one paragraph per topic:

* **Cleaning.** Every user input goes through :func:`clean` (NFC, trimmed, one space between
  words). Stored text stays as the user typed it otherwise: names are legal identity, so
  "Hòa" and "Hoà" are both kept as written.
* **Searching.** :func:`search_key` folds away case, tones, the vowel marks (ă â ê ô ơ ư)
  and đ/d, giving plain ASCII for Vietnamese text. The folded form is stored in an indexed
  column and searched with ``LIKE``; SQLite's own ``lower``/``LIKE`` only fold ASCII.
* **Sorting.** :func:`sort_key` builds a *string* whose plain code-point order is the
  Vietnamese collation order (CLDR "vi", tones secondary, case tertiary) with natural
  number order. Because UTF-8 byte order equals code-point order, the key can be stored in
  a column and sorted by SQLite's BINARY collation or PostgreSQL's ``COLLATE "C"``; no
  ICU is needed (PyICU has no Windows wheel, QCollator differs by platform).
  :func:`person_name_key` reorders a name as given name, middle names, family name.
* **Dates and numbers** follow the Vietnamese conventions: dd/mm/yyyy, "1.234.567,89", and
  the ND30 words form "ngày 05 tháng 01 năm 2026" for a document's own date line.
* **Amounts in words** implement the table of DOCUMENTS.md §3.1 ("linh", formal "bốn",
  "mốt", "lăm", "không trăm").
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext

from antq_desktop.errors import UserError

__all__ = [
    "amount_in_words",
    "clean",
    "clean_paragraphs",
    "document_date",
    "document_number",
    "format_date",
    "format_number",
    "format_percent",
    "parse_date",
    "person_name_key",
    "search_key",
    "search_pattern",
    "sort_key",
]


# --------------------------------------------------------------------------------------
# Cleaning and search folding
# --------------------------------------------------------------------------------------


def clean(text: str | None) -> str:
    """Return ``text`` in NFC, trimmed, with every run of whitespace made one space.

    Whitespace includes tabs, newlines and the non-breaking space that Word and web pages
    paste in. Other control characters (a stray NUL or bell from a legacy file) are dropped:
    they are invisible and would only make two equal-looking values differ. So are lone
    surrogates (the remains of bytes that were not UTF-8, e.g. on a command line): no file
    or database can store them.
    ``None`` gives ``""`` so that optional form fields need no special case.
    """
    if text is None:
        return ""
    text = "".join(ch for ch in text if ch.isspace() or unicodedata.category(ch) not in ("Cc", "Cs"))
    # str.split() with no argument splits on all Unicode whitespace, NBSP included.
    return " ".join(unicodedata.normalize("NFC", text).split())


def clean_paragraphs(text: str | None) -> str:
    """Like :func:`clean`, but for a multi-line note: each line is cleaned, the line breaks stay.

    Runs of empty lines become one empty line; the whole text is trimmed.
    """
    if text is None:
        return ""
    lines = [clean(line) for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    kept = [line for number, line in enumerate(lines) if line or (number and lines[number - 1])]
    return "\n".join(kept).strip()


def search_key(text: str | None) -> str:
    """Return the folded form used for searching and for spotting duplicates.

    Case, tones, the vowel marks of ă â ê ô ơ ư and the stroke of đ are all removed, so
    "Đồng Tâm" gives "dong tam" and both tone placements "Hòa"/"Hoà" give "hoa". For
    Vietnamese text the result is plain ASCII. This is deliberately the *base* strength
    of DOCUMENTS.md §3.4: good for finding, never for ordering.
    """
    # Lower-case first: a few capitals (e.g. "İ") lower-case into a letter plus a mark,
    # and that mark must be removed with the others.
    text = clean(text).lower()
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    bare = bare.replace("đ", "d")
    # Recompose what remains (e.g. Hangul), then collapse the spaces a removed stray mark
    # may have left side by side.
    return " ".join(unicodedata.normalize("NFC", bare).split())


def search_pattern(query: str | None) -> str:
    r"""Return the folded ``query`` escaped for a SQL ``LIKE`` "contains" search.

    ``%``, ``_`` and the escape character ``\`` are escaped with ``\`` so that a user who
    types "10%" finds "10%" and not everything. The caller **must** declare the escape
    character, e.g. ``folded LIKE '%' || :q || '%' ESCAPE '\'`` or, in SQLAlchemy,
    ``column.like("%" + q + "%", escape="\\")``.
    """
    folded = search_key(query)
    # The escape character itself first, or the escapes added below would be doubled.
    return folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


# --------------------------------------------------------------------------------------
# Sorting
# --------------------------------------------------------------------------------------
#
# A sort key is four levels joined by _LEVEL, like an ICU sort key:
#
#   primary   one token per letter, number, space or other character: which letters,
#             which numbers. Decides first.
#   secondary one weight per letter: its tone (none < huyền < hỏi < ngã < sắc < nặng).
#   tertiary  one weight per letter: lower case before upper case.
#   quaternary one weight per number: how many leading zeros it had ("2" before "02").
#
# Levels 2-4 use the digits "0"-"5" (tones), "0"/"1" (case) and "0"+n (zeros); trailing
# "0"s are dropped because they carry no information. Every character is printable ASCII
# except the raw character copied after the _PUNCT/_OTHER markers and the non-Vietnamese
# combining marks (ü, ç) kept at level 2; no key holds a control character. The primary
# code points are laid out so that comparing two keys character by character compares
# the levels in order:
#
#   "!"  _FIELD   separates the parts of a person_name_key; lower than anything in a key
#   '"'  _LEVEL   ends a level; lower than every token, so a shorter text sorts first
#   "#"  _SPACE   a space between words: below punctuation, digits and letters
#   "$"  _PUNCT   followed by the punctuation/symbol character itself
#   "%".."Z"      a number: one character giving its count of significant digits (1..54),
#                 then the digits "0"-"9". More digits = larger number, so "2" < "10".
#   "[".."{"      the 33 letters a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v
#                 w x y z, in that order (f j w z in their Latin places)
#   "|"  _OTHER   followed by any other character (other scripts, ø, ß, ...) by code point
#
# Reading a primary level from the left, the first character of each token says how long
# the token is, so two keys that agree so far are always at the same kind of position; a
# marker is only ever compared with a marker and a raw character with a raw character.
# Code-point order equals UTF-8 byte order, hence the keys sort the same in SQL.

_FIELD = "!"
_LEVEL = '"'
_SPACE = "#"
_PUNCT = "$"
_NUMBER_BASE = 0x24  # chr(_NUMBER_BASE + n) marks a number of n significant digits
_MAX_DIGITS = 54  # so that the length markers end at "Z", just below the letters
_ALPHABET = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_LETTER_BASE = 0x5B  # "["
_OTHER = "|"
_LETTER_WEIGHT = {letter: chr(_LETTER_BASE + i) for i, letter in enumerate(_ALPHABET)}

# Combining marks as they appear after NFD. The tone order is the CLDR "vi" one.
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
# A vowel mark makes a different letter (ă, â, ...), so it belongs to the primary level.
_VOWEL_MARK = {
    ("a", "\u0306"): "ă",
    ("a", "\u0302"): "â",
    ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô",
    ("o", "\u031b"): "ơ",
    ("u", "\u031b"): "ư",
}
_BASE_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzđ")


def sort_key(text: str | None) -> str:
    """Return a string whose code-point (= UTF-8 byte) order is the Vietnamese order.

    Letters decide first (a < ă < â, d < đ, e < ê, o < ô < ơ, u < ư, with f j w z in their
    Latin places), then tones (none < huyền < hỏi < ngã < sắc < nặng), then case (lower
    first), then leading zeros. Numbers compare by value ("Tổ 2" < "Tổ 10" < "Tổ 10A"),
    spaces and punctuation sort below digits and letters ("Tổ 1" < "Tổ 1A" < "Tổa"), and a
    text sorts before any longer text it starts. "Hòa" and "Hoà" differ only at the tone
    level. NFC and NFD input give the same key.

    Numbers of more than 54 significant digits compare by their first 54 digits first.
    """
    primary: list[str] = []
    tones: list[str] = []
    cases: list[str] = []
    zeros: list[str] = []
    clusters = _clusters(unicodedata.normalize("NFD", clean(text)))
    i = 0
    while i < len(clusters):
        cluster = clusters[i]
        if _is_digit(cluster):
            end = i
            while end < len(clusters) and _is_digit(clusters[end]):
                end += 1
            primary.append(_number_token("".join(clusters[i:end]), zeros))
            i = end
            continue
        if cluster == " ":
            primary.append(_SPACE)
        elif cluster[0].lower() in _BASE_LETTERS:
            weight, tone, case = _letter_weights(cluster)
            primary.append(weight)
            tones.append(tone)
            cases.append(case)
        else:
            primary.append(_raw_tokens(cluster))
        i += 1
    key = "".join(primary) + _LEVEL + _trim("".join(tones)) + _LEVEL + _trim("".join(cases))
    quaternary = _trim("".join(zeros))
    return key + _LEVEL + quaternary if quaternary else key


def _clusters(decomposed: str) -> list[str]:
    """Split NFD text into a base character followed by its combining marks."""
    clusters: list[str] = []
    for ch in decomposed:
        if clusters and unicodedata.combining(ch):
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def _is_digit(cluster: str) -> bool:
    # Only a bare ASCII digit: a digit carrying a mark is sorted as an "other" character.
    return len(cluster) == 1 and "0" <= cluster <= "9"


def _number_token(digits: str, zeros: list[str]) -> str:
    """Encode a run of digits by value, recording its leading zeros for the last level."""
    significant = digits.lstrip("0") or "0"
    # Capped so the weight stays printable ASCII ("0" + 78 = "~"); nobody types 78 zeros.
    zeros.append(chr(ord("0") + min(len(digits) - len(significant), 78)))
    chunks = [significant[s : s + _MAX_DIGITS] for s in range(0, len(significant), _MAX_DIGITS)]
    return "".join(chr(_NUMBER_BASE + len(chunk)) + chunk for chunk in chunks)


def _letter_weights(cluster: str) -> tuple[str, str, str]:
    """Return the (primary, secondary, tertiary) weights of one Latin letter and its marks."""
    letter = cluster[0].lower()
    tone = 0
    foreign = ""
    for mark in cluster[1:]:
        if (letter, mark) in _VOWEL_MARK:
            letter = _VOWEL_MARK[letter, mark]
        elif mark in _TONE and tone == 0:
            tone = _TONE[mark]
        else:
            foreign += mark  # ü, ç, å...: not Vietnamese, but must still sort stably
    if foreign:
        # "6".."B": after every plain tone of the same letter; the marks themselves (in
        # canonical NFD order) and a "." terminator keep different marks apart.
        secondary = chr(ord("6") + tone) + foreign + "."
    else:
        secondary = chr(ord("0") + tone)
    tertiary = "1" if cluster[0].isupper() else "0"
    return _LETTER_WEIGHT[letter], secondary, tertiary


def _raw_tokens(cluster: str) -> str:
    """Encode punctuation, symbols and other scripts as marker + the character itself."""
    marker = _PUNCT if unicodedata.category(cluster[0])[0] in "PSZ" else _OTHER
    # A lone surrogate cannot be written as UTF-8; U+FFFD keeps the key storable.
    composed = unicodedata.normalize("NFC", cluster)
    return "".join(marker + ("\ufffd" if "\ud800" <= ch <= "\udfff" else ch) for ch in composed)


def _trim(weights: str) -> str:
    # Trailing lowest weights carry no information (both sides have the same number of
    # weights when the levels above are equal), so dropping them only shortens the key.
    return weights.rstrip("0")


def person_name_key(full_name: str | None) -> str:
    """Return a sort key ordering Vietnamese names by given name, middle names, family name.

    "Nguyễn Thị An" < "Trần Văn Anh" < "Lê Thị Ánh" < "Phạm Văn Bình". The given name
    (last word) is compared completely, tones and case included, before the middle names,
    and those before the family name (first word). A one-word name is all given name.
    Keep a manual override in the UI for names that do not follow this pattern.
    """
    words = clean(full_name).split(" ")
    given = words[-1]
    middle = " ".join(words[1:-1])
    family = words[0] if len(words) > 1 else ""
    # _FIELD is lower than every character at a position where one sort key can end and
    # a longer one go on, so each part decides completely before the next one.
    return _FIELD.join(sort_key(part) for part in (given, middle, family))


# --------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------

_DMY = re.compile(r"([0-9]{1,2})\s*([/.-])\s*([0-9]{1,2})\s*\2\s*([0-9]{4})")
_ISO = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_DATE_HINT = "Hãy nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026."


def format_date(d: date | None) -> str:
    """Return ``d`` as dd/mm/yyyy ("05/01/2026"), the form for tables, lists and forms."""
    if d is None:
        return ""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"


def parse_date(text: str) -> date:
    """Read a date typed as day/month/year or as ISO year-month-day.

    Accepts "5/1/2026", "05/01/2026", "05-01-2026", "05.01.2026" and "2026-01-05".
    Two-digit years are refused: "05/01/26" could be 1926 or 2026, and birth dates in
    household records span both centuries. Raises :class:`UserError` otherwise.
    """
    cleaned = clean(text)
    if not cleaned:
        raise UserError(f"Chưa nhập ngày. {_DATE_HINT}")
    if match := _DMY.fullmatch(cleaned):
        day, month, year = match.group(1), match.group(3), match.group(4)
    elif match := _ISO.fullmatch(cleaned):
        year, month, day = match.groups()
    else:
        raise UserError(f'Ngày "{cleaned}" không hợp lệ. {_DATE_HINT}')
    try:
        return date(int(year), int(month), int(day))
    except ValueError:  # 31/02, month 13, year 0000
        raise UserError(f'Ngày "{cleaned}" không hợp lệ. {_DATE_HINT}') from None


def document_date(d: date, place: str | None = None) -> str:
    """Return the ND30 date line: "Minh Xuân, ngày 05 tháng 01 năm 2026".

    A day below 10 and the months 1 and 2 take a leading zero, months 3-12 do not
    ("ngày 02 tháng 3", "ngày 28 tháng 02"): the zero stops anyone adding a "1" or "2" in
    front. The year is never grouped. The place name gets a capital first letter.
    """
    month = f"{d.month:02d}" if d.month <= 2 else str(d.month)
    line = f"ngày {d.day:02d} tháng {month} năm {d.year}"
    place = clean(place)
    if place:
        return f"{place[0].upper()}{place[1:]}, {line}"
    return line


# --------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------

# Python formats with "," for thousands and "." for decimals; Vietnamese is the reverse.
_SWAP_SEPARATORS = str.maketrans({",": ".", ".": ","})


def document_number(number: str) -> str:
    """The number of a document as ND30 writes it: below 10 with a leading zero ("05"), else as is."""
    number = clean(number)
    return f"{int(number):02d}" if number.isascii() and number.isdecimal() and int(number) < 10 else number


def format_number(value: int | float | Decimal, decimals: int = 0) -> str:
    """Return ``value`` with "." for thousands and "," for decimals: "1.234.567,89".

    Rounds half away from zero, as taught in Vietnamese schools (2,5 -> 3), not Python's
    banker's rounding. Never use it for years or document numbers: those are not grouped.
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot format {value!r}")
    # str() of a float is its shortest exact-looking form: 0.1 stays 0.1, not 0.1000000000000000055.
    exact = value if isinstance(value, Decimal) else Decimal(str(value))
    if not exact.is_finite():
        raise ValueError(f"cannot format {value!r}")
    with localcontext() as context:  # room for every digit: the default 28 would refuse 10^28 đồng
        context.prec = max(context.prec, exact.adjusted() + decimals + 2)
        rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # no "-0"
    return f"{rounded:,.{decimals}f}".translate(_SWAP_SEPARATORS)


def format_percent(value: int | float | Decimal, decimals: int = 1) -> str:
    """Return a percentage given in percent points: ``format_percent(85.71)`` -> "85,7%".

    ``value`` is already multiplied by 100 (unlike Python's "%" format), because reports
    compute rates as ``100 * part / whole``.
    """
    return format_number(value, decimals) + "%"


# --------------------------------------------------------------------------------------
# Amounts in words (DOCUMENTS.md §3.1)
# --------------------------------------------------------------------------------------

_DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
# Scale word of each group of three digits, counted from the right.
_SCALES = ("", "nghìn", "triệu", "tỷ", "nghìn tỷ", "triệu tỷ")
_LIMIT = 1000 ** len(_SCALES)  # 10**18: "tỷ tỷ" is not an amount any office writes


def amount_in_words(
    n: int, *, currency: str = "đồng", zero_tens: str = "linh", four: str = "bốn"
) -> str:
    """Return ``n`` read in words for "(Bằng chữ: ...)": 1005 -> "Một nghìn không trăm linh năm đồng".

    ``zero_tens`` is "linh" (North, bank and official usage) or "lẻ" (South); ``four`` is
    the formal "bốn" or "tư" for a 4 after "mươi". ``currency=""`` leaves out the unit.
    Negative amounts raise ``ValueError``: a form must refuse them before this point, so a
    negative here is a programming error, not something the user can fix.
    """
    if isinstance(n, bool) or not isinstance(n, int):
        raise TypeError(f"amount_in_words needs an int, not {type(n).__name__}")
    if not 0 <= n < _LIMIT:
        raise ValueError(f"amount out of range: {n}")
    words = _number_words(n, zero_tens, four) if n else ["không"]
    if currency:
        words.append(currency)
    text = " ".join(words)
    return text[0].upper() + text[1:]


def _number_words(n: int, zero_tens: str, four: str) -> list[str]:
    groups: list[int] = []  # groups of three digits, least significant first
    while n:
        n, group = divmod(n, 1000)
        groups.append(group)
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        group = groups[index]
        if group == 0:
            continue  # an all-zero group is skipped together with its scale word
        leading = index == len(groups) - 1
        words += _group_words(group, leading, zero_tens, four)
        if _SCALES[index]:
            words.append(_SCALES[index])
    return words


def _group_words(group: int, leading: bool, zero_tens: str, four: str) -> list[str]:
    """Read one group of three digits; only the leading group may omit "không trăm"."""
    hundreds, tens, units = group // 100, group // 10 % 10, group % 10
    words: list[str] = []
    hundreds_spoken = hundreds > 0 or not leading
    if hundreds_spoken:
        words += [_DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and hundreds_spoken:
            words += [zero_tens, _DIGITS[units]]  # "linh năm", never "linh lăm"
        elif units:
            words.append(_DIGITS[units])
    elif tens == 1:
        words.append("mười")  # falling tone; 11 is "mười một", never "mười mốt"
        if units:
            words.append("lăm" if units == 5 else _DIGITS[units])
    else:
        words += [_DIGITS[tens], "mươi"]  # level tone
        if units:
            words.append({1: "mốt", 4: four, 5: "lăm"}.get(units, _DIGITS[units]))
    return words
