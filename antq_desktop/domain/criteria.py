"""The criteria of the "An toàn về an ninh, trật tự" (ANTT) standard, as versioned data.

The criteria live in ``resources/regulations/*.json``, one file per version of the rules
(Thông tư 124/2021/TT-BCA, then as amended by Thông tư 48/2025/TT-BCA, and whatever comes
next), each with the date it takes effect. Regulations change and provinces add criteria
(TT 124 Art. 8.1), so the program never hard-codes a criterion: it loads a catalogue, and a
year's assessment keeps the catalogue code it was made with (DESIGN.md, "Data").

Vocabulary:

* a **kind** is who is assessed: the four ``UnitKind`` values (``kdc``, ``co_quan``,
  ``doanh_nghiep``, ``giao_duc``) and :data:`WARD` (``xa_phuong``, the ward itself);
* a **criterion** (tiêu chí) is numbered as in the law (TT 124 Art. 4-7); each has one or
  more **points** (điểm), the unit of "met / not met" the officer records. Point codes are
  the criterion number plus the law's letter ("3đ"); where the law has no letters the
  catalogue splits the criterion into its distinct requirements itself, and says so;
* an **incident kind** (loại vụ việc) names the point of each kind an incident touches,
  which lets :func:`antq_desktop.domain.antt.proposed_failures` propose "not met";
* the optional ``force_rating_point`` names, per kind, the point the yearly rating of the
  unit's Tổ bảo vệ ANTT feeds (:mod:`antq_desktop.domain.forces`): a rating below
  "Hoàn thành nhiệm vụ" proposes "not met" there. Only residential groups are rated.

A file that cannot be used raises :class:`UserError` naming the file and the fault: the
files are meant to be edited by an administrator with a text editor.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from pathlib import Path
from types import MappingProxyType

from antq_desktop.domain.datafile import DataChecker
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.resources import resource_path

__all__ = [
    "EXTRA_PREFIX",
    "KINDS",
    "WARD",
    "Catalogue",
    "Criterion",
    "IncidentKind",
    "Point",
    "builtin_catalogues",
    "catalogue_by_code",
    "catalogue_in_force",
    "load_catalogue",
]

WARD = "xa_phuong"
# Every catalogue must define all of these, in this (display) order.
KINDS: tuple[str, ...] = (UnitKind.KDC.value, WARD, UnitKind.CO_QUAN.value,
                          UnitKind.DOANH_NGHIEP.value, UnitKind.GIAO_DUC.value)
# Province criteria (TT 124 Art. 8.1) get point codes "T6", "T6a", "T6b"...: the "T" (tỉnh)
# keeps them apart from any national code, now and after a future amendment adds criteria.
EXTRA_PREFIX = "T"
# Vietnamese point letters, in the order the law uses them (no f, j, w, z; đ after d).
_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


@dataclass(frozen=True)
class Point:
    """One requirement of a criterion, recorded as met or not met."""

    code: str
    text: str


@dataclass(frozen=True)
class Criterion:
    number: int
    title: str
    text: str
    points: tuple[Point, ...]


@dataclass(frozen=True)
class IncidentKind:
    """A kind of incident and the point it makes "not met", per kind of unit.

    ``crime``: the TT 124 crime rule applies (Art. 4.4.b, 6.3.đ): only crimes of the
    "nghiêm trọng" level or above count, and not under force majeure or when the crime was
    detected in time, mitigated and reported at once. ``force_majeure_exempt``: force majeure
    excuses it (fires, fatal labour accidents: Art. 4.4.d, 6.3.g). ``points_unconditional``:
    points failed whatever the severity, with no exception (Art. 7.4: any crime by a school's
    staff or learners).
    """

    code: str
    label: str
    crime: bool
    points: Mapping[str, str]
    force_majeure_exempt: bool = False
    points_unconditional: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __hash__(self) -> int:  # the mappings are unhashable; the code identifies the kind
        return hash(self.code)


@dataclass(frozen=True)
class Catalogue:
    code: str
    title: str
    short_title: str
    effective_from: date
    source: str
    note: str
    kinds: Mapping[str, tuple[Criterion, ...]]
    incident_kinds: tuple[IncidentKind, ...]
    # kind -> the point the yearly rating of the unit's Tổ bảo vệ ANTT feeds (criterion 5 of a KDC)
    force_rating_points: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))

    def __hash__(self) -> int:  # kinds is an unhashable mapping; equal catalogues share these two
        return hash((self.code, self.effective_from))

    def criteria(self, kind: str) -> tuple[Criterion, ...]:
        try:
            return self.kinds[kind]
        except KeyError:
            raise ValueError(f"unknown kind {kind!r}; expected one of {KINDS}") from None

    def point_codes(self, kind: str) -> tuple[str, ...]:
        return tuple(p.code for c in self.criteria(kind) for p in c.points)

    def point(self, kind: str, code: str) -> Point:
        for criterion in self.criteria(kind):
            for p in criterion.points:
                if p.code == code:
                    return p
        raise KeyError(f"{self.code}: no point {code!r} for {kind!r}")

    def incident_kind(self, code: str) -> IncidentKind:
        for kind in self.incident_kinds:
            if kind.code == code:
                return kind
        raise KeyError(f"{self.code}: no incident kind {code!r}")

    def with_extra_criteria(self, kind: str, extras: Iterable[Criterion]) -> Catalogue:
        """The catalogue plus a province's extra criteria for ``kind`` (TT 124 Art. 8.1).

        The extras follow the national ones, numbered on from the last number; their given
        numbers and point codes are replaced: a one-point criterion becomes "T6", otherwise
        "T6a", "T6b"... in the order given. The catalogue code stays the same: the extras are
        the province's data, stored beside the assessment.
        """
        criteria = list(self.criteria(kind))
        for extra in extras:
            if not extra.points:
                raise ValueError(f"extra criterion {extra.title!r} has no point")
            if len(extra.points) > len(_LETTERS):
                raise ValueError(f"extra criterion {extra.title!r} has too many points")
            number = criteria[-1].number + 1
            codes = ([f"{EXTRA_PREFIX}{number}"] if len(extra.points) == 1
                     else [f"{EXTRA_PREFIX}{number}{letter}" for letter in _LETTERS])
            points = tuple(Point(code, p.text) for code, p in zip(codes, extra.points))
            criteria.append(replace(extra, number=number, points=points))
        return replace(self, kinds=MappingProxyType({**self.kinds, kind: tuple(criteria)}))


# --------------------------------------------------------------------------------------
# Loading and checking a file
# --------------------------------------------------------------------------------------


def load_catalogue(path: str | Path) -> Catalogue:
    """Read and check one catalogue file (the versioned rules of TT 124 Art. 4-8)."""
    path = Path(path)
    check = DataChecker(f'Tệp tiêu chí "{path}"', "Hãy sửa tệp hoặc chép lại tệp gốc của chương trình.")
    raw = check.read_json(path)
    top = check.obj(raw, "đầu tệp")
    keys = ("code", "title", "short_title", "source", "note")
    texts = {key: check.text(top, key, "đầu tệp") for key in keys}
    effective = check.text(top, "effective_from", "đầu tệp")
    try:
        effective_from = date.fromisoformat(effective)
    except ValueError:
        problem = f'ngày "{effective}" không hợp lệ, cần dạng năm-tháng-ngày'
        raise check.fail("effective_from", problem) from None

    raw_kinds = check.obj(top.get("kinds"), "kinds")
    missing = [k for k in KINDS if k not in raw_kinds]
    if missing:
        raise check.fail("kinds", "thiếu loại đơn vị " + ", ".join(missing))
    unknown = [k for k in raw_kinds if k not in KINDS]
    if unknown:
        raise check.fail("kinds", "loại đơn vị không biết: " + ", ".join(map(str, unknown)))
    kinds = {kind: _criteria(check, kind, raw_kinds[kind]) for kind in KINDS}
    codes = {kind: {p.code for c in criteria for p in c.points} for kind, criteria in kinds.items()}

    incident_kinds: list[IncidentKind] = []
    for i, item in enumerate(check.items(top.get("incident_kinds"), "incident_kinds"), start=1):
        where = f"incident_kinds, mục {i}"
        item = check.obj(item, where)
        code = check.text(item, "code", where)
        if any(k.code == code for k in incident_kinds):
            raise check.fail(where, f'mã loại vụ việc "{code}" bị trùng')
        crime = check.flag(item, "crime", where)
        incident_kinds.append(IncidentKind(
            code=code,
            label=check.text(item, "label", where),
            crime=crime,
            points=_point_map(check, item.get("points", {}), codes, f"{where}, points"),
            force_majeure_exempt=check.flag(item, "force_majeure_exempt", where, default=False),
            points_unconditional=_point_map(check, item.get("points_unconditional", {}), codes,
                                            f"{where}, points_unconditional"),
        ))
    return Catalogue(effective_from=effective_from, kinds=MappingProxyType(kinds),
                     incident_kinds=tuple(incident_kinds),
                     force_rating_points=_force_rating_points(check, top.get("force_rating_point", {}), codes),
                     **texts)


# Kinds whose grassroots force the program rates (services/forces.py): residential groups only.
_RATED_KINDS = (UnitKind.KDC.value,)


def _force_rating_points(check: DataChecker, raw, codes: dict[str, set[str]]) -> Mapping[str, str]:
    """Read the optional {kind: point code} the force rating feeds; only rated kinds may appear."""
    where = "force_rating_point"
    points = _point_map(check, raw, codes, where)
    unrated = [kind for kind in points if kind not in _RATED_KINDS]
    if unrated:
        raise check.fail(where, "chỉ Tổ bảo vệ ANTT của khu dân cư (kdc) được đánh giá theo mức; "
                                "không dùng được cho " + ", ".join(unrated))
    return points


def _criteria(check: DataChecker, kind: str, raw) -> tuple[Criterion, ...]:
    criteria: list[Criterion] = []
    seen: set[str] = set()
    for i, item in enumerate(check.items(raw, f"kinds.{kind}"), start=1):
        where = f"kinds.{kind}, tiêu chí thứ {i}"
        item = check.obj(item, where)
        # The law numbers criteria 1, 2, 3...; a gap or a repeat is a typing mistake.
        if item.get("number") != i or isinstance(item.get("number"), bool):
            raise check.fail(where, f'"number" phải là {i}')
        points: list[Point] = []
        for j, raw_point in enumerate(check.items(item.get("points"), f"{where}, points"), start=1):
            point_where = f"{where}, điểm thứ {j}"
            raw_point = check.obj(raw_point, point_where)
            code = check.text(raw_point, "code", point_where)
            if code in seen:
                raise check.fail(point_where, f'mã điểm "{code}" bị trùng trong kinds.{kind}')
            seen.add(code)
            points.append(Point(code, check.text(raw_point, "text", point_where)))
        criteria.append(Criterion(i, check.text(item, "title", where), check.text(item, "text", where),
                                  tuple(points)))
    return tuple(criteria)


def _point_map(check: DataChecker, raw, codes: dict[str, set[str]], where: str) -> Mapping[str, str]:
    """Read {kind: point code}; a null value means "does not apply", like a missing key."""
    result: dict[str, str] = {}
    for kind, code in check.obj(raw, where).items():
        if code is None:
            continue
        if kind not in codes:
            raise check.fail(where, f'loại đơn vị không biết "{kind}"')
        code = unicodedata.normalize("NFC", code) if isinstance(code, str) else code
        if code not in codes[kind]:
            raise check.fail(where, f'không có điểm "{code}" trong kinds.{kind}')
        result[kind] = code
    return MappingProxyType(result)


# --------------------------------------------------------------------------------------
# The catalogues shipped with the program
# --------------------------------------------------------------------------------------


@cache
def builtin_catalogues() -> tuple[Catalogue, ...]:
    """Every file of resources/regulations/, oldest first (TT 124 Art. 11 and later amendments)."""
    files = sorted(resource_path("regulations").glob("*.json"))
    catalogues = sorted((load_catalogue(f) for f in files), key=lambda c: c.effective_from)
    if not catalogues:
        raise UserError("Thiếu các tệp tiêu chí (thư mục regulations) trong tài nguyên của chương trình.")
    for earlier, later in zip(catalogues, catalogues[1:]):
        if earlier.code == later.code or earlier.effective_from == later.effective_from:
            raise UserError(f'Hai tệp tiêu chí "{earlier.code}" và "{later.code}" '
                            "trùng mã hoặc trùng ngày hiệu lực.")
    return tuple(catalogues)


def catalogue_in_force(on: date) -> Catalogue:
    """The newest catalogue in effect on ``on``; before the first one, the first one."""
    catalogues = builtin_catalogues()
    in_force = [c for c in catalogues if c.effective_from <= on]
    return in_force[-1] if in_force else catalogues[0]


def catalogue_by_code(code: str) -> Catalogue:
    """The shipped catalogue a stored assessment names (DESIGN.md: old years print as decided)."""
    for catalogue in builtin_catalogues():
        if catalogue.code == code:
            return catalogue
    raise UserError(f'Không có bộ tiêu chí mã "{code}" trong chương trình này. Có thể dữ liệu '
                    "được tạo bằng phiên bản mới hơn; hãy cập nhật chương trình.")
