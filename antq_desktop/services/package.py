"""Data packages: one ward's records in one file, to move the ward to another PC or to gather
many wards in one database (the province view, services/province.py).

A package is a zip (".antq") holding ``manifest.json`` (what it holds: the ward, the years, the
count of rows of every table, the program and schema revision that wrote it, the SHA-256 of the
data) and ``data.json`` (every table's rows, one list of values per row, dates as ISO text).
Rows travel without their local ids: a record is known by its ``uid`` (db/models.py
``Portable``) and every foreign key is written as the uid of the row it names, so the database
that imports the package gives its own ids and finds every reference again. Rows keyed by their
parent (scores, list lines, settings…) have no uid: they travel, and are replaced, with it.

A package holds every year of the ward, or one year: then the ward's standing records (the ward,
its settings, units, incidents, force members and their equipment, models, exemplary criteria)
and that year's records.

Importing checks the whole file first (a zip of ours, the checksum, a schema revision this
program knows) and then writes in the caller's transaction, so a failure anywhere leaves the
database as it was:

- a ward the database does not hold is added (the first ward stays the "home" ward);
- a ward it holds is replaced: standing records are matched by uid and updated in place; the
  year's records (every year's, for an all-years package) are replaced, each record the
  database already had keeping its local id; what the package no longer holds is deleted (of a
  one-year package: that year's records only, other years stay as they are).

Ids are given by the database (PostgreSQL's sequences stay right) and read back by uid; rows go
in with bulk statements, and the trail gets one entry per table ("Đơn vị: thêm 3, sửa 1"), not
one per row: a province imports hundreds of thousands of them.
"""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Integer,
    Table,
    bindparam,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from antq_desktop import __version__, identity
from antq_desktop.db import audit
from antq_desktop.db.engine import head_revision, known_revisions
from antq_desktop.db.models import AppUser, Base, Ward
from antq_desktop.domain import vntext
from antq_desktop.domain.roles import Role
from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.services import accounts
from antq_desktop.services.antt import check_year
from antq_desktop.services.output import write_atomically

log = logging.getLogger(__name__)

Progress = Callable[[int, int], bool]

FORMAT_NAME = "antq-goi-du-lieu"
FORMAT_VERSION = 1
SUFFIX = ".antq"
MANIFEST_NAME = "manifest.json"
DATA_NAME = "data.json"
IMPORT_SUMMARY = "Nhập gói dữ liệu"  # how the trail's entries of an import begin (the province view finds them)

# Never in a package: the office's accounts and its own trail.
NOT_CARRIED = frozenset({"app_user", "audit_entry"})
# Tables without ward_id: the column naming the parent row they belong to (and travel with).
OWNER_COLUMNS = {
    "antt_point_result": "record_id",
    "decision_unit": "decision_id",
    "classification_score": "record_id",
    "exemplary_status": "criterion_id",
    "inspection_recommendation": "inspection_id",
    "security_model_unit": "model_id",
    "security_model_grade": "model_id",
    "training_attendee": "training_id",
    "equipment_issue": "member_id",
    "budget_line": "group_id",
}
# The yearly records and the column that says their year (a date: the year of the date); a
# table neither here nor under a yearly parent is a standing record, in every package.
YEAR_COLUMNS = {
    "antt_record": "year",
    "decision": "year",
    "classification_year": "year",
    "classification_record": "year",
    "force_rating": "year",
    "exemplary_status": "year",
    "inspection": "year",
    "security_model_grade": "year",
    "training": "held_on",
    "activity": "held_on",
    "festival": "year",
    "award": "year",
    "plan_target": "year",
    "plan_task": "year",
    "budget_group": "year",
    "year_report": "year",
}
_UNCOMPARED = frozenset({"id", "version"})  # a record is "unchanged" when everything else is equal
_CHUNK = 500  # ids or uids per IN (...): far under every database's limit of bound parameters
_BATCH = 5_000  # rows per bulk statement

FOREIGN = ("Tệp “{name}” không phải là gói dữ liệu của ANTQ Desktop (gói dữ liệu là tệp đuôi .antq tạo bằng "
           "“Xuất gói dữ liệu”). Hãy chọn đúng tệp. Dữ liệu chưa bị thay đổi.")
DAMAGED = ("Gói dữ liệu “{name}” bị hỏng hoặc chưa được chép hết ({why}). Hãy chép lại tệp, hoặc xuất lại gói ở "
           "máy gửi, rồi nhập lại. Dữ liệu chưa bị thay đổi.")
NEWER = ("Gói dữ liệu “{name}” được tạo bởi ANTQ Desktop {version}, mới hơn phiên bản đang chạy ({ours}). Hãy cài "
         "phiên bản mới hơn rồi nhập lại. Dữ liệu chưa bị thay đổi.")
CANCELLED_IMPORT = "Đã huỷ nhập gói dữ liệu. Dữ liệu chưa bị thay đổi."
CANCELLED_EXPORT = "Đã huỷ xuất gói dữ liệu; chưa ghi tệp nào."
ADMIN_ONLY = ("Chỉ tài khoản quản trị mới được nhập gói dữ liệu, vì việc này thêm hoặc thay toàn bộ dữ liệu của một "
              "xã, phường. Hãy nhờ người quản trị đăng nhập để nhập. Dữ liệu chưa bị thay đổi.")


# ---- the tables a package carries ----------------------------------------------------------------

@dataclass(frozen=True)
class TableSpec:
    """How a table travels: what ties its rows to the ward, whether they are yearly, what they name."""

    name: str
    table: Table
    owner: str  # the column tying a row to the ward: "id" (the ward itself), "ward_id", or the parent's
    parent: str | None  # the table ``owner`` names (None: the ward row itself)
    year_column: str | None
    references: dict[str, str]  # foreign key column -> the table it names

    @property
    def portable(self) -> bool:
        return "uid" in self.table.c

    @property
    def columns(self) -> list[str]:
        """What the package holds of a row: everything but a portable row's local id."""
        return [column.name for column in self.table.columns if not (self.portable and column.name == "id")]

    @property
    def self_references(self) -> list[str]:
        return [column for column, target in self.references.items() if target == self.name]


def _spec(table: Table) -> TableSpec:
    references = {key.parent.name: key.column.table.name for key in table.foreign_keys}
    if table.name == Ward.__tablename__:
        owner, parent = "id", None
    elif table.name in OWNER_COLUMNS:
        owner = OWNER_COLUMNS[table.name]
        parent = references[owner]
    else:
        owner, parent = "ward_id", Ward.__tablename__
    return TableSpec(table.name, table, owner, parent, YEAR_COLUMNS.get(table.name), references)


# Parents before children (sorted_tables): the order rows are written in, reversed to delete them.
SPECS: dict[str, TableSpec] = {table.name: _spec(table) for table in Base.metadata.sorted_tables
                               if table.name not in NOT_CARRIED}


# The tables in the order an officer reads them (the ward, its units, then each area's records).
DISPLAY_ORDER = tuple([name for name in audit.TABLE_LABELS if name in SPECS]
                      + [name for name in SPECS if name not in audit.TABLE_LABELS])


def is_yearly(name: str) -> bool:
    """Whether a table's rows belong to a year (their own year, or their parent's)."""
    spec = SPECS[name]
    return spec.year_column is not None or (spec.parent not in (None, Ward.__tablename__) and is_yearly(spec.parent))


def scope(spec: TableSpec, ward_id: int, year: int | None = None) -> list:
    """The criteria of the ward's rows of a table (of ``year`` only, for a yearly table)."""
    table = spec.table
    if spec.parent is None:
        criteria = [table.c.id == ward_id]
    elif spec.parent == Ward.__tablename__:
        criteria = [table.c.ward_id == ward_id]
    else:
        parent = SPECS[spec.parent]
        criteria = [table.c[spec.owner].in_(select(parent.table.c.id).where(*scope(parent, ward_id, year)))]
    if year is not None and spec.year_column is not None:
        column = table.c[spec.year_column]
        criteria.append(column.between(date(year, 1, 1), date(year, 12, 31)) if isinstance(column.type, Date)
                        else column == year)
    return criteria


def _year_of(value) -> int | None:
    """A yearly record's year: its year column, or the year of its date."""
    return value.year if isinstance(value, date) else value


def _below_ward() -> list[TableSpec]:
    """Every table but the ward's own, parents first."""
    return [spec for spec in SPECS.values() if spec.parent is not None]


# ---- what a package holds --------------------------------------------------------------------------

@dataclass(frozen=True)
class PackageInfo:
    """The manifest of a package, checked: what the dialog and `antq package import` show first."""

    file: Path
    size: int
    program_version: str
    schema_revision: str
    ward_uid: str
    ward_kind: WardKind
    ward_name: str
    province_kind: ProvinceKind
    province_name: str
    year: int | None  # None: every year of the ward
    years: tuple[int, ...]  # the years it holds records of
    created_at: datetime
    created_by: str
    counts: dict[str, int]

    @property
    def ward_title(self) -> str:
        return f"{self.ward_kind.label} {self.ward_name}"

    @property
    def province_title(self) -> str:
        return f"{self.province_kind.label} {self.province_name}"

    @property
    def scope_text(self) -> str:
        if self.year is not None:
            return f"năm {self.year} (cùng danh sách đơn vị, lực lượng, mô hình)"
        if not self.years:
            return "tất cả các năm (chưa có số liệu năm nào)"
        return f"tất cả các năm ({years_text(self.years)})"

    @property
    def total_rows(self) -> int:
        return sum(self.counts.values())

    def count_lines(self) -> list[str]:
        """"68 – Đơn vị", one line per table that has rows, in the order an officer reads them."""
        return [f"{vntext.format_number(self.counts[name])} – {audit.TABLE_LABELS.get(name, name)}"
                for name in DISPLAY_ORDER if self.counts.get(name)]

    def summary_lines(self) -> list[str]:
        return [
            f"Xã, phường: {self.ward_title}, {self.province_title}",
            f"Dữ liệu: {self.scope_text}",
            f"Xuất lúc {self.created_at:%d/%m/%Y %H:%M} bởi {self.created_by}, ANTQ Desktop {self.program_version}",
            f"Gồm {vntext.format_number(self.total_rows)} bản ghi, trong đó "
            f"{vntext.format_number(self.counts.get('unit', 0))} đơn vị",
        ]


def years_text(years: Iterable[int]) -> str:
    """"2024–2030" for a run of years, "2020, 2024–2025" otherwise."""
    runs: list[list[int]] = []
    for year in sorted(years):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(run[0]) if len(run) == 1 else f"{run[0]}–{run[-1]}" for run in runs)


@dataclass(frozen=True)
class Package:
    """A package read and checked: its manifest, and every table's rows as dicts (references as uids)."""

    info: PackageInfo
    rows: dict[str, list[dict[str, Any]]]


def suggested_name(ward_name: str, year: int | None) -> str:
    """"Minh-Xuan-2025.antq": the ward's name without tones (any PC, any USB stick, any mail takes it)."""
    decomposed = unicodedata.normalize("NFD", ward_name.replace("đ", "d").replace("Đ", "D"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    stem = "-".join("".join(ch if ch.isascii() and ch.isalnum() else " " for ch in plain).split()) or "xa-phuong"
    return f"{stem}-{year if year is not None else 'tat-ca-cac-nam'}{SUFFIX}"


# ---- export ------------------------------------------------------------------------------------------

def export_package(session: Session, path: str | Path, actor: str, *, ward_id: int | None = None,
                   year: int | None = None, overwrite: bool = False, progress: Progress | None = None) -> PackageInfo:
    """Write the ward's records (every year, or ``year``'s with the standing ones) to ``path``.

    ``ward_id`` None: the home ward. An existing file is left alone unless ``overwrite`` (the
    window's file chooser has asked); nothing is written if anything fails or is cancelled.
    """
    target = Path(path)
    if target.exists() and not overwrite:
        raise UserError(f"Tệp “{target}” đã có. Hãy chọn tên khác: gói dữ liệu không ghi đè lên tệp đã có.")
    if year is not None:
        check_year(year)
    _one_snapshot(session)
    ward = _ward(session, ward_id)
    tables = _ward_tables(session, ward.id, year, progress)
    data = json.dumps({"tables": tables}, ensure_ascii=False, separators=(",", ":"), default=_json_value).encode()
    manifest = _manifest(ward, year, tables, data, actor)
    write_atomically(target, lambda handle: write_archive(handle, manifest, data))
    return _info(manifest, target, target.stat().st_size)


def _one_snapshot(session: Session) -> None:
    """Read every table as of one moment. On PostgreSQL each statement of READ COMMITTED sees the
    latest commits: a record a colleague adds between two tables' reads would be named before it
    was read. (SQLite's read transaction is one snapshot already.) Only a session that has not
    begun yet can be given its isolation level: the window and `antq` export from a fresh one."""
    if session.get_bind().dialect.name == "postgresql" and not session.in_transaction():
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})


def _ward(session: Session, ward_id: int | None) -> Ward:
    statement = select(Ward).order_by(Ward.id).limit(1) if ward_id is None else select(Ward).where(Ward.id == ward_id)
    ward = session.scalars(statement).first()
    if ward is None:
        raise UserError("Tệp dữ liệu này chưa có thông tin xã, phường nào để xuất." if ward_id is None
                        else "Không tìm thấy xã, phường này trong tệp dữ liệu; có thể nó vừa bị thay. Hãy tải lại.")
    return ward


def _ward_tables(session: Session, ward_id: int, year: int | None, progress: Progress | None) -> dict:
    """Every table's rows of the ward (of ``year`` for the yearly ones), references as uids."""
    uids: dict[str, dict[int, str]] = {}  # every row of the ward, whatever the year: references reach them all
    tables = {}
    for number, spec in enumerate(SPECS.values(), start=1):
        table = spec.table
        if spec.portable:
            uids[spec.name] = dict(session.execute(select(table.c.id, table.c.uid).where(*scope(spec, ward_id))).all())
        columns = spec.columns
        references = [(index, uids[spec.references[name]]) for index, name in enumerate(columns)
                      if name in spec.references]
        rows = []
        for row in session.execute(select(*[table.c[name] for name in columns]).where(*scope(spec, ward_id, year))
                                   .order_by(*table.primary_key.columns)):
            values = list(row)
            for index, known in references:
                if values[index] is not None:
                    values[index] = known[values[index]]
            rows.append(values)
        tables[spec.name] = {"columns": columns, "rows": rows}
        if progress is not None and not progress(number, len(SPECS)):
            raise UserError(CANCELLED_EXPORT)
    return tables


def _json_value(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} cannot go into a package")


def _manifest(ward: Ward, year: int | None, tables: dict, data: bytes, actor: str) -> dict:
    years = set()
    for name, content in tables.items():
        spec = SPECS[name]
        if spec.year_column is not None:
            index = content["columns"].index(spec.year_column)
            years.update(_year_of(row[index]) for row in content["rows"])
    return {
        "format": FORMAT_NAME, "format_version": FORMAT_VERSION,
        "program_version": __version__, "schema_revision": head_revision(),
        "ward": {"uid": ward.uid, "kind": ward.kind, "name": ward.name, "province_kind": ward.province_kind,
                 "province_name": ward.province_name},
        "year": year, "years": sorted(years),
        "created_at": datetime.now().replace(microsecond=0).isoformat(), "created_by": actor,
        "counts": {name: len(content["rows"]) for name, content in tables.items()},
        "data_file": DATA_NAME, "data_size": len(data), "data_sha256": hashlib.sha256(data).hexdigest(),
    }


def write_archive(handle: BinaryIO, manifest: dict, data: bytes) -> None:
    """The zip: the manifest first (a truncated file still shows whose it is), then the data."""
    with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(MANIFEST_NAME, json.dumps(manifest, ensure_ascii=False, indent=1))
        archive.writestr(DATA_NAME, data)


# ---- reading and checking a package --------------------------------------------------------------

class _Bad(ValueError):
    """Something in the package is not as this program writes it."""


def describe(path: str | Path) -> PackageInfo:
    """What the package holds, after checking all of it (refused with a plain message otherwise)."""
    return read_package(path).info


def read_package(path: str | Path) -> Package:
    """The package at ``path``, checked: ours, whole (checksum), not newer than this program."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"Không tìm thấy tệp “{path}”.")
    try:
        with zipfile.ZipFile(path) as archive:
            if MANIFEST_NAME not in archive.namelist():
                raise UserError(FOREIGN.format(name=path.name))
            manifest = _manifest_of(archive.read(MANIFEST_NAME), path)
            data = archive.read(DATA_NAME)
    # zipfile raises NotImplementedError for a compression method it cannot read (a zip of another program)
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, NotImplementedError, ValueError) as error:
        log.info("package %s refused: %r", path, error)
        if _starts_like_a_package(path):
            raise UserError(DAMAGED.format(name=path.name, why="không đọc được nội dung tệp nén")) from None
        raise UserError(FOREIGN.format(name=path.name)) from None
    except OSError as error:
        raise UserError(f"Không đọc được tệp “{path}” ({error.strerror or error}). Hãy kiểm tra USB còn cắm, "
                        "hoặc chép tệp vào máy rồi thử lại.") from None
    if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
        raise UserError(DAMAGED.format(name=path.name, why="nội dung không khớp mã kiểm tra SHA-256"))
    try:
        info = _info(manifest, path, path.stat().st_size)
        return Package(info, _tables(json.loads(data), info))
    except (_Bad, ValueError, KeyError, TypeError, AttributeError) as error:
        log.warning("package %s does not hold what its manifest says: %r", path, error)
        raise UserError(DAMAGED.format(name=path.name, why="nội dung không đúng cấu trúc")) from None


def _starts_like_a_package(path: Path) -> bool:
    """Whether the file begins as our zips do (a local header naming the manifest): then an
    unreadable rest is damage (a copy cut short), not some other kind of file."""
    with open(path, "rb") as handle:
        head = handle.read(30 + len(MANIFEST_NAME))
    return head[:4] == b"PK\x03\x04" and head[30:] == MANIFEST_NAME.encode()


def _manifest_of(content: bytes, path: Path) -> dict:
    try:
        manifest = json.loads(content)
    except ValueError:
        raise UserError(DAMAGED.format(name=path.name, why="không đọc được phần mô tả của gói")) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT_NAME:
        raise UserError(FOREIGN.format(name=path.name))
    version = str(manifest.get("program_version") or "?")
    format_version, revision = manifest.get("format_version"), manifest.get("schema_revision")
    if not isinstance(format_version, int) or not isinstance(revision, str) or not isinstance(
            manifest.get("data_sha256"), str):
        raise UserError(DAMAGED.format(name=path.name, why="phần mô tả của gói thiếu thông tin"))
    if format_version > FORMAT_VERSION or revision not in known_revisions():
        raise UserError(NEWER.format(name=path.name, version=version, ours=__version__))
    return manifest


def _info(manifest: dict, path: Path, size: int) -> PackageInfo:
    ward = manifest["ward"]
    year = manifest["year"]
    if year is not None and not isinstance(year, int):
        raise _Bad("year")
    return PackageInfo(
        file=path, size=size, program_version=str(manifest["program_version"]),
        schema_revision=manifest["schema_revision"], ward_uid=_text(ward["uid"]), ward_kind=WardKind(ward["kind"]),
        ward_name=_text(ward["name"]), province_kind=ProvinceKind(ward["province_kind"]),
        province_name=_text(ward["province_name"]), year=year, years=tuple(int(y) for y in manifest["years"]),
        created_at=datetime.fromisoformat(manifest["created_at"]), created_by=_text(manifest["created_by"]),
        counts={str(name): int(count) for name, count in manifest["counts"].items()},
    )


def _tables(parsed: dict, info: PackageInfo) -> dict[str, list[dict[str, Any]]]:
    """Every known table's rows as dicts of typed values (columns this schema no longer has are
    left out; columns it has and the package lacks take their defaults)."""
    tables = parsed["tables"]
    if not isinstance(tables, dict):
        raise _Bad("tables")
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, spec in SPECS.items():
        content = tables.get(name, {"columns": spec.columns, "rows": []})
        columns, raw = content["columns"], content["rows"]
        if info.counts.get(name, 0) != len(raw):
            raise _Bad(f"{name}: {len(raw)} rows, the manifest says {info.counts.get(name, 0)}")
        required = {spec.owner} - {"id"} | ({"uid"} if spec.portable else set())
        if not required <= set(columns) or len(set(columns)) != len(columns):
            raise _Bad(f"{name}: columns {columns}")
        kept = [(index, column, _converter(spec, column)) for index, column in enumerate(columns)
                if column in spec.table.c and not (spec.portable and column == "id")]
        width = len(columns)
        table_rows = []
        for values in raw:
            if len(values) != width:
                raise _Bad(f"{name}: a row of {len(values)} values")
            table_rows.append({column: convert(values[index]) for index, column, convert in kept})
        _check_year(spec, table_rows, info.year)
        rows[name] = table_rows
    ward_rows = rows[Ward.__tablename__]
    if len(ward_rows) != 1 or ward_rows[0]["uid"] != info.ward_uid:
        raise _Bad("the ward row")
    return rows


def _check_year(spec: TableSpec, rows: list[dict], year: int | None) -> None:
    """A one-year package holds that year's records only: others would replace nothing and collide."""
    if year is None or spec.year_column is None:
        return
    if any(_year_of(row.get(spec.year_column)) != year for row in rows):
        raise _Bad(f"{spec.name}: a row outside {year}")


def _converter(spec: TableSpec, name: str) -> Callable[[Any], Any]:
    if name in spec.references or name == "uid":
        return _text
    kind = spec.table.c[name].type
    if isinstance(kind, DateTime):
        return _moment
    if isinstance(kind, Date):
        return _day
    if isinstance(kind, Boolean):
        return _flag
    if isinstance(kind, Integer):
        return _whole
    return _text


def _text(value):
    if value is None or type(value) is str:
        return value
    raise _Bad(f"text expected: {value!r}")


def _whole(value):
    if value is None or type(value) is int:
        return value
    raise _Bad(f"whole number expected: {value!r}")


def _flag(value):
    if value is None or type(value) is bool:
        return value
    raise _Bad(f"true or false expected: {value!r}")


def _day(value):
    return None if value is None else date.fromisoformat(_text(value))


def _moment(value):
    return None if value is None else datetime.fromisoformat(_text(value))


# ---- what importing would do here ------------------------------------------------------------------

@dataclass(frozen=True)
class ImportTarget:
    """What importing a package does to this database, said before it is done."""

    ward_id: int | None  # the ward the package replaces; None: it is added
    current_title: str  # that ward as this database names it now
    becomes_home: bool  # the database holds no ward yet: the package's becomes its ward
    namesake: str  # another ward of the same name, not from the same source (it stays as it is)

    @property
    def replaces(self) -> bool:
        return self.ward_id is not None

    def lines(self, info: PackageInfo) -> list[str]:
        if self.replaces:
            if info.year is None:
                return [f"Tệp dữ liệu này đã có {self.current_title}. Nhập gói sẽ THAY mọi dữ liệu của xã, phường "
                        "này bằng dữ liệu trong gói; bản ghi không còn trong gói sẽ bị xoá."]
            return [f"Tệp dữ liệu này đã có {self.current_title}. Nhập gói sẽ THAY dữ liệu năm {info.year} của xã, "
                    f"phường này bằng dữ liệu trong gói (bản ghi năm {info.year} không còn trong gói sẽ bị xoá) và "
                    "cập nhật danh sách đơn vị, lực lượng, mô hình.",
                    "Dữ liệu các năm khác được giữ nguyên."]
        if self.becomes_home:
            return [f"Tệp dữ liệu này chưa có xã, phường nào: {info.ward_title} sẽ là xã, phường của tệp này."]
        lines = [f"{info.ward_title} ({info.province_title}) sẽ được THÊM vào tệp dữ liệu này, bên cạnh các xã, "
                 "phường đã có; dữ liệu của các xã, phường đã có không thay đổi."]
        if self.namesake:
            lines.append(f"Lưu ý: tệp đã có {self.namesake} nhưng đó là bản nhập tay hoặc từ nguồn khác, không phải "
                         "bản của gói này; hai bản sẽ cùng tồn tại.")
        return lines


def import_target(session: Session, info: PackageInfo) -> ImportTarget:
    wards = session.execute(select(Ward.id, Ward.uid, Ward.kind, Ward.name, Ward.province_kind,
                                   Ward.province_name).order_by(Ward.id)).all()
    for ward in wards:
        if ward.uid == info.ward_uid:
            return ImportTarget(ward.id, _title(ward), False, "")
    same = [ward for ward in wards if vntext.search_key(ward.name) == vntext.search_key(info.ward_name)
            and ward.kind == info.ward_kind.value
            and vntext.search_key(ward.province_name) == vntext.search_key(info.province_name)]
    return ImportTarget(None, "", not wards, _title(same[0]) if same else "")


def _title(ward) -> str:
    return f"{WardKind(ward.kind).label} {ward.name} ({ProvinceKind(ward.province_kind).label} {ward.province_name})"


def check_may_import(session: Session) -> None:
    """Importing adds or replaces a whole ward, past every service's own checks: once the file
    has accounts, only an active administrator signed in may do it."""
    if not accounts.has_accounts(session):
        return
    user = identity.signed_in()
    row = session.get(AppUser, user.user_id) if user is not None else None
    if row is None or row.username != user.username or not row.active or row.role != Role.QUAN_TRI.value:
        raise UserError(ADMIN_ONLY)


# ---- import ------------------------------------------------------------------------------------------

@dataclass
class TableCount:
    table: str
    added: int = 0
    changed: int = 0
    removed: int = 0
    unchanged: int = 0

    @property
    def label(self) -> str:
        return audit.TABLE_LABELS.get(self.table, self.table)

    @property
    def touched(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def text(self) -> str:
        parts = [f"{word} {vntext.format_number(count)}" for word, count in
                 (("thêm", self.added), ("sửa", self.changed), ("xoá", self.removed)) if count]
        return f"{self.label}: {', '.join(parts) or 'không thay đổi'}"


@dataclass(frozen=True)
class ImportResult:
    info: PackageInfo
    ward_id: int
    added_ward: bool
    tables: tuple[TableCount, ...]

    def summary_lines(self) -> list[str]:
        info = self.info
        if self.added_ward:
            head = f"Đã thêm {info.ward_title} ({info.province_title}) vào tệp dữ liệu."
        else:
            head = f"Đã cập nhật {info.ward_title} ({info.province_title}) theo gói dữ liệu ({info.scope_text})."
        touched = [count.text() for count in self.tables if count.touched]
        return [head, *(touched or ["Không có bản ghi nào thay đổi: dữ liệu đã giống hệt gói."])]


def import_package(session: Session, path: str | Path, progress: Progress | None = None) -> ImportResult:
    """Add or replace the package's ward in one go (the caller's transaction: all or nothing).

    The records keep who created and changed them at the source; the trail says who imported."""
    check_may_import(session)
    package = read_package(path)
    try:
        return _Import(session, package, progress).run()
    except _Bad as error:
        log.warning("the package %s does not hold what it should: %r", path, error)
        raise UserError(DAMAGED.format(name=Path(path).name, why="nội dung không đúng cấu trúc")) from None
    except IntegrityError as error:  # the package contradicts itself, or what this database holds
        log.error("the package %s could not be written", path, exc_info=error)
        raise UserError(f"Không nhập được gói dữ liệu “{Path(path).name}”: dữ liệu trong gói không khớp với dữ liệu "
                        "đang có trong tệp này. Dữ liệu chưa bị thay đổi. Chi tiết đã được ghi vào nhật ký của "
                        "chương trình.") from None


@dataclass
class _Import:
    """One package written into the database; every step is a few bulk statements per table."""

    session: Session
    package: Package
    progress: Progress | None
    ids: dict[str, dict[str, int]] = field(default_factory=dict)  # table -> uid -> local id
    old: dict[str, dict[Any, dict]] = field(default_factory=dict)  # table -> key -> the row as it was
    counts: dict[str, TableCount] = field(default_factory=dict)
    done: int = 0

    @property
    def year(self) -> int | None:
        return self.package.info.year

    def run(self) -> ImportResult:
        info = self.package.info
        ward_id = self.session.scalar(select(Ward.id).where(Ward.uid == info.ward_uid))
        added_ward = ward_id is None
        self.counts = {name: TableCount(name) for name in DISPLAY_ORDER}
        if not added_ward:
            self._remember_rows(ward_id)
        self._check_uids_are_free()
        ward_id = self._write_ward(ward_id)
        if not added_ward:
            self._delete_replaced(ward_id)
        for spec in _below_ward():
            self._write(spec)
        if not added_ward and self.year is None:
            self._delete_left_over()
        self._audit(ward_id, added_ward)
        return ImportResult(info, ward_id, added_ward, tuple(self.counts.values()))

    # -- before: the ward's rows as they are, and no uid of the package used elsewhere ---------

    def _remember_rows(self, ward_id: int) -> None:
        for spec in SPECS.values():
            if spec.portable:
                rows = self.session.execute(select(spec.table).where(*scope(spec, ward_id))).mappings()
                self.old[spec.name] = {row["uid"]: dict(row) for row in rows}
                self.ids[spec.name] = {uid: row["id"] for uid, row in self.old[spec.name].items()}

    def _check_uids_are_free(self) -> None:
        """A uid of the package held by a row that is not this ward's: two databases copied from
        one file, both imported. Refused: which of the two is right cannot be told."""
        for spec in SPECS.values():
            if not spec.portable:
                continue
            known = self.old.get(spec.name, {})
            fresh = [row["uid"] for row in self.package.rows[spec.name] if row["uid"] not in known]
            for chunk in _chunks(fresh):
                if self.session.scalars(select(spec.table.c.uid).where(spec.table.c.uid.in_(chunk)).limit(1)).first():
                    raise UserError(
                        f"Không nhập được gói dữ liệu “{self.package.info.file.name}”: một số bản ghi trong gói "
                        f"({audit.TABLE_LABELS.get(spec.name, spec.name).lower()}) trùng với bản ghi của một xã, "
                        "phường khác trong tệp dữ liệu này (thường do hai tệp dữ liệu được chép từ cùng một tệp). "
                        "Dữ liệu chưa bị thay đổi.")

    # -- the ward row ---------------------------------------------------------------------------

    def _write_ward(self, ward_id: int | None) -> int:
        table = Ward.__table__
        (row,) = self.package.rows[Ward.__tablename__]
        count = self.counts[Ward.__tablename__]
        if ward_id is None:
            self._insert(table, [row])
            ward_id = self.session.scalar(select(table.c.id).where(table.c.uid == row["uid"]))
            count.added = 1
        else:
            before = self.old[Ward.__tablename__][row["uid"]]
            if _changed(before, row):
                self._update(table, [{**row, "id": ward_id, "version": before["version"] + 1}])
                count.changed = 1
            else:
                count.unchanged = 1
        self.ids[Ward.__tablename__] = {row["uid"]: ward_id}
        self._advance(1)
        return ward_id

    # -- what the package replaces goes first, so nothing it brings collides with it -----------------

    def _delete_replaced(self, ward_id: int) -> None:
        """The yearly records in the package's years, and the rows kept by their parents; a
        standing record stays (updated in place later), other years too."""
        for spec in reversed(_below_ward()):
            if spec.portable and not is_yearly(spec.name):
                continue
            criteria = scope(spec, ward_id, self.year)
            if not spec.portable and not is_yearly(spec.name) and self.year is not None:
                # A one-year package brings all the standing parents: replace the rows of those only.
                brought = [self.ids[spec.parent][row["uid"]] for row in self.package.rows[spec.parent]
                           if row["uid"] in self.ids[spec.parent]]
                for chunk in _chunks(brought):
                    self._delete_rows(spec, [*criteria, spec.table.c[spec.owner].in_(chunk)])
            else:
                self._delete_rows(spec, criteria)

    def _delete_rows(self, spec: TableSpec, criteria: list) -> None:
        table = spec.table
        if not spec.portable:
            key = table.primary_key.columns
            for row in self.session.execute(select(table).where(*criteria)).mappings():
                self.old.setdefault(spec.name, {})[tuple(row[column.name] for column in key)] = dict(row)
            self._delete(table, criteria)
            return
        in_scope = dict(self.session.execute(select(table.c.uid, table.c.id).where(*criteria)).all())
        brought = {row["uid"] for row in self.package.rows[spec.name]}
        known = self.ids.get(spec.name, {})
        # A record the package brings that is here in another year (its date moved): it goes too,
        # and comes back with its id (its own rows with it: ON DELETE CASCADE).
        moved = [known[uid] for uid in brought if uid in known and uid not in in_scope]
        self._delete(table, criteria)
        for chunk in _chunks(moved):
            self._delete(table, [table.c.id.in_(chunk)])
        gone = [uid for uid in in_scope if uid not in brought]
        self.counts[spec.name].removed += len(gone)
        for uid in gone:  # a reference to it from the package is a reference to nothing
            known.pop(uid, None)

    def _delete_left_over(self) -> None:
        """Of an all-years package: the standing records the package no longer holds, children first."""
        for spec in reversed(_below_ward()):
            if not spec.portable or is_yearly(spec.name):
                continue
            brought = {row["uid"] for row in self.package.rows[spec.name]}
            gone = [row["id"] for uid, row in self.old.get(spec.name, {}).items() if uid not in brought]
            for chunk in _chunks(gone):
                self._delete(spec.table, [spec.table.c.id.in_(chunk)])
            self.counts[spec.name].removed += len(gone)

    # -- writing the package's rows, parents first -----------------------------------------------------

    def _write(self, spec: TableSpec) -> None:
        for level in _levels(spec, self.package.rows[spec.name]):
            rows = [self._resolved(spec, row) for row in level]
            if spec.portable:
                self._write_records(spec, rows)
            else:
                self._write_children(spec, rows)
            self._advance(len(rows))

    def _resolved(self, spec: TableSpec, row: dict) -> dict:
        """The row with local ids in place of the uids it names."""
        row = dict(row)
        for column, target in spec.references.items():
            uid = row.get(column)
            if uid is not None:
                local = self.ids.get(target, {}).get(uid)
                if local is None:
                    raise UserError(DAMAGED.format(
                        name=self.package.info.file.name,
                        why=f"{audit.TABLE_LABELS.get(spec.name, spec.name).lower()} nhắc tới một bản ghi không có "
                            "trong gói"))
                row[column] = local
        return row

    def _write_records(self, spec: TableSpec, rows: list[dict]) -> None:
        """Rows with a uid: a yearly one comes back with its old id (deleted above), a standing one
        is updated in place; a new one is inserted and its id read back."""
        old, count, yearly = self.old.get(spec.name, {}), self.counts[spec.name], is_yearly(spec.name)
        kept, updated, fresh = [], [], []
        for row in rows:
            before = old.get(row["uid"])
            if before is None:
                fresh.append(row)
                count.added += 1
                continue
            changed = _changed(before, row)
            count.changed += changed
            count.unchanged += not changed
            row = {**row, "id": before["id"]}
            if "version" in before:
                row["version"] = before["version"] + 1 if changed else before["version"]
            if yearly:
                kept.append(row)
            elif changed:
                updated.append(row)
        self._insert(spec.table, kept)
        self._update(spec.table, updated)
        self._insert(spec.table, fresh)
        table, known = spec.table, self.ids.setdefault(spec.name, {})
        for chunk in _chunks([row["uid"] for row in fresh]):
            known.update(self.session.execute(select(table.c.uid, table.c.id).where(table.c.uid.in_(chunk))).all())

    def _write_children(self, spec: TableSpec, rows: list[dict]) -> None:
        """Rows keyed by their parent: inserted afresh (the old ones are gone), counted against them."""
        old, count = self.old.get(spec.name, {}), self.counts[spec.name]
        key = [column.name for column in spec.table.primary_key.columns]
        for index, row in enumerate(rows):
            before = old.pop(tuple(row.get(name) for name in key), None)
            if before is None:
                count.added += 1
                continue
            changed = _changed(before, row)
            count.changed += changed
            count.unchanged += not changed
            if "version" in before:
                rows[index] = {**row, "version": before["version"] + 1 if changed else before["version"]}
        self._insert(spec.table, rows)

    # The three bulk statements of an import: each table's counts go to the trail (_audit).

    def _delete(self, table: Table, criteria: list) -> None:
        self.session.execute(delete(table).where(*criteria))

    def _insert(self, table: Table, rows: list[dict]) -> None:
        for start in range(0, len(rows), _BATCH):
            self.session.execute(insert(table), rows[start:start + _BATCH])

    def _update(self, table: Table, rows: list[dict]) -> None:
        """Rows updated in place by id, all their columns (the statement names the id ``row_id``:
        a parameter may not share a column's name)."""
        if rows:
            changes = [{**{name: value for name, value in row.items() if name != "id"}, "row_id": row["id"]}
                       for row in rows]
            self.session.execute(update(table).where(table.c.id == bindparam("row_id")), changes)

    def _advance(self, rows: int) -> None:
        self.done += rows
        if self.progress is not None and not self.progress(self.done, self.package.info.total_rows):
            raise UserError(CANCELLED_IMPORT)

    # -- the trail: a few entries, not one per row ------------------------------------------------------

    def _audit(self, ward_id: int, added_ward: bool) -> None:
        for spec in SPECS.values():  # the rows keyed by parents the package did not bring back
            if not spec.portable:
                self.counts[spec.name].removed += len(self.old.get(spec.name, {}))
        info = self.package.info
        action = "create" if added_ward else "update"
        head = f"{IMPORT_SUMMARY} “{info.file.name}” của {info.ward_title}, {info.scope_text}"
        changes = [audit.Change(action, Ward.__tablename__, ward_id, ward_id, summary=head, after={
            "package": info.file.name, "exported_at": info.created_at.isoformat(), "exported_by": info.created_by,
            "program_version": info.program_version, "year": info.year, "years": list(info.years)})]
        for count in self.counts.values():
            if count.touched:
                changes.append(audit.Change(action, count.table, None, ward_id, summary=f"{IMPORT_SUMMARY} "
                                            f"“{info.file.name}”: {count.text()}", after={
                                                "added": count.added, "changed": count.changed,
                                                "removed": count.removed, "unchanged": count.unchanged}))
        audit.record(self.session, changes)


def _changed(before: dict, row: dict) -> bool:
    return any(before.get(name) != value for name, value in row.items() if name not in _UNCOMPARED)


def _levels(spec: TableSpec, rows: list[dict]) -> list[list[dict]]:
    """The rows in the order their references to rows of the same table allow (a unit merged
    into another comes after it): those naming no row of the package first, then the next."""
    columns = spec.self_references
    if not columns or not rows:
        return [rows]
    waiting = {row["uid"]: row for row in rows}
    levels = []
    while waiting:
        ready = [row for row in waiting.values() if all(row.get(column) not in waiting for column in columns)]
        if not ready:
            raise _Bad(f"{spec.name}: rows that name each other in a circle")
        levels.append(ready)
        for row in ready:
            del waiting[row["uid"]]
    return levels


def _chunks(values: list) -> Iterable[list]:
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]
