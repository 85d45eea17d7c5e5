"""Data packages: a ward moves between databases whole, with identical statistics on both sides;
importing it again replaces it atomically; a damaged, foreign or newer file is refused with a
plain message and nothing written."""

from __future__ import annotations

import hashlib
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select, text, update

from antq_desktop import identity
from antq_desktop.db.engine import Database, known_revisions, open_database
from antq_desktop.db.models import (
    Activity,
    AnttRecord,
    AuditEntry,
    Base,
    Decision,
    Training,
    Unit,
    Ward,
)
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import accounts, events, package, profile, units
from antq_desktop.services.units import UnitInput
from tests.services.package_helpers import (
    audit_count,
    contents,
    figures,
    merged,
)

ACTOR = "cán bộ tỉnh"
PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def source(full_demo_db) -> Database:
    """The demo ward with its field work (every table has rows): a SQLite file, or a PostgreSQL
    database in the PostgreSQL pass."""
    return full_demo_db


@pytest.fixture
def empty_target(empty_template, tmp_path) -> Database:
    """Another PC's database: an empty SQLite file."""
    db = open_database(shutil.copy(empty_template, tmp_path / "tinh.sqlite"))
    yield db
    db.close()


def export(db: Database, path: Path, year: int | None = None, ward_id: int | None = None) -> package.PackageInfo:
    with db.reading() as session:
        return package.export_package(session, path, ACTOR, year=year, ward_id=ward_id)


def import_(db: Database, path: Path, progress=None) -> package.ImportResult:
    with db.transaction() as session:
        return package.import_package(session, path, progress)


def home_id(db: Database) -> int:
    with db.reading() as session:
        return profile.require_profile(session).id


def ward_id_of(db: Database, uid: str) -> int:
    with db.reading() as session:
        return session.scalar(select(Ward.id).where(Ward.uid == uid))


def count(result: package.ImportResult, table: str) -> package.TableCount:
    return next(entry for entry in result.tables if entry.table == table)


# ---- which tables travel, and how -------------------------------------------------------------------

def test_every_table_of_a_ward_travels_and_is_tied_to_the_ward():
    carried = set(Base.metadata.tables) - set(package.NOT_CARRIED)
    assert set(package.SPECS) == carried
    for spec in package.SPECS.values():
        assert spec.parent is None or spec.owner in spec.table.c, spec.name
        assert "ward_id" in spec.table.c or spec.name in package.OWNER_COLUMNS or spec.name == "ward", spec.name
        for column, target in spec.references.items():  # a reference is always to a row that travels by uid
            assert package.SPECS[target].portable and spec.table.c[column].foreign_keys, (spec.name, column)
        if not spec.portable:  # rows without a uid belong to a parent that has one
            assert package.SPECS[spec.parent].portable, spec.name
    assert set(package.YEAR_COLUMNS) <= carried
    for name, column in package.YEAR_COLUMNS.items():
        assert column in package.SPECS[name].table.c


def test_suggested_names_are_plain_ascii():
    assert package.suggested_name("Minh Xuân", 2025) == "Minh-Xuan-2025.antq"
    assert package.suggested_name("Đồng Tâm", None) == "Dong-Tam-tat-ca-cac-nam.antq"
    assert package.years_text([2024, 2025, 2026, 2030]) == "2024–2026, 2030"


# ---- round trips -------------------------------------------------------------------------------------

def test_a_ward_moves_into_an_empty_database_whole_with_identical_statistics(source, empty_target, tmp_path):
    path = tmp_path / "Minh-Xuan.antq"
    info = export(source, path)
    assert info.year is None and info.counts["unit"] == 68 and info.years[:3] == (2024, 2025, 2026)
    before = audit_count(empty_target)
    result = import_(empty_target, path)

    assert result.added_ward and count(result, "unit").added == 68
    assert contents(empty_target) == contents(source)  # every row of every table, modulo local ids
    assert figures(empty_target, result.ward_id) == figures(source, home_id(source))
    assert home_id(empty_target) == result.ward_id  # the first ward of a database is its home ward
    # The trail: one entry for the ward and one per table, not one per row.
    entries = audit_count(empty_target) - before
    assert entries == 1 + sum(entry.touched for entry in result.tables) < len(package.SPECS) + 1
    with empty_target.reading() as session:
        heads = session.scalars(select(AuditEntry.summary).where(AuditEntry.table_name == "unit")).all()
    assert heads == ["Nhập gói dữ liệu “Minh-Xuan.antq”: Đơn vị: thêm 68"]


def test_a_ward_joins_a_database_that_holds_another_and_both_stay_intact(source, demo_template, tmp_path):
    target = open_database(shutil.copy(demo_template, tmp_path / "tinh.sqlite"))
    try:
        home = home_id(target)
        own_figures, own_rows = figures(target, home), contents(target)
        path = tmp_path / "goi.antq"
        info = export(source, path)
        with target.reading() as session:
            plan = package.import_target(session, info)
        # The other database's demo ward has the same name but is another ward (its own uids).
        assert not plan.replaces and not plan.becomes_home and "phường Minh Xuân" in plan.namesake
        assert "THÊM" in " ".join(plan.lines(info))

        result = import_(target, path)

        assert result.added_ward and result.ward_id != home
        assert home_id(target) == home  # the home ward stays the first one
        assert contents(target) == merged(own_rows, contents(source))
        assert figures(target, home) == own_figures
        assert figures(target, result.ward_id) == figures(source, home_id(source))
    finally:
        target.close()


def test_a_ward_moves_from_sqlite_to_postgresql_with_identical_statistics(full_demo_template, fresh_postgres_database,
                                                                        tmp_path):
    source = open_database(shutil.copy(full_demo_template, tmp_path / "phuong.sqlite"))
    server = open_database(fresh_postgres_database)
    try:
        path = tmp_path / "goi.antq"
        export(source, path)
        result = import_(server, path)
        assert contents(server) == contents(source)
        assert figures(server, result.ward_id) == figures(source, home_id(source))
        _edit_source(source)
        export(source, path.with_name("lan-2.antq"))
        again = import_(server, path.with_name("lan-2.antq"))  # replacing on the server: deletes, updates, ids kept
        assert again.ward_id == result.ward_id and contents(server) == contents(source)
        assert figures(server, result.ward_id) == figures(source, home_id(source))
        with server.transaction() as session:  # the sequences stay right: a new record after the import
            unit_id = units.add_unit(session, result.ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 99"), ACTOR)
            assert unit_id > session.scalar(select(func.max(Unit.id)).where(Unit.id != unit_id))
    finally:
        server.close()
        source.close()


# ---- importing again replaces the ward --------------------------------------------------------------

def _edit_source(db: Database) -> dict:
    """A unit renamed in its notes, a unit added, an activity deleted, a training moved into 2026."""
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        unit = session.scalars(select(Unit).where(Unit.name == "Tổ dân phố 3")).one()
        unit.notes = "Đã đổi trưởng tổ"
        added = units.add_unit(session, ward_id, UnitInput(kind=UnitKind.KDC, name="Tổ dân phố 21"), ACTOR)
        activity = session.scalars(select(Activity).order_by(Activity.id)).first()
        events.delete_activity(session, activity.id)
        training = session.scalars(select(Training).order_by(Training.id)).first()
        training.held_on = date(2026, 1, 15)
        session.flush()
        return {"unit": unit.uid, "added": session.get(Unit, added).uid, "activity": activity.uid,
                "training": training.uid}


def test_importing_again_replaces_the_ward_keeping_local_ids(source, empty_target, tmp_path):
    first = tmp_path / "lan-1.antq"
    export(source, first)
    ward_id = import_(empty_target, first).ward_id
    with empty_target.reading() as session:
        ids_before = dict(session.execute(select(Unit.uid, Unit.id)).all())
        versions = dict(session.execute(select(Unit.uid, Unit.version)).all())
    edited = _edit_source(source)
    second = tmp_path / "lan-2.antq"
    export(source, second)

    result = import_(empty_target, second)

    assert not result.added_ward and result.ward_id == ward_id
    assert (count(result, "unit").added, count(result, "unit").changed, count(result, "unit").removed) == (1, 1, 0)
    assert count(result, "activity").removed == 1 and count(result, "training").changed == 1
    assert count(result, "antt_point_result").touched is False  # replaced by the same rows: not a change
    with empty_target.reading() as session:
        trail = session.scalars(select(AuditEntry.summary).where(AuditEntry.table_name == "unit")
                                .order_by(AuditEntry.id.desc())).first()
    assert trail == "Nhập gói dữ liệu “lan-2.antq”: Đơn vị: thêm 1, sửa 1"
    assert contents(empty_target) == contents(source)
    with empty_target.reading() as session:
        ids_after = dict(session.execute(select(Unit.uid, Unit.id)).all())
        assert session.scalar(select(Activity.id).where(Activity.uid == edited["activity"])) is None
        assert session.scalar(select(Training.held_on).where(Training.uid == edited["training"])) == date(2026, 1, 15)
    assert {uid: ids_after[uid] for uid in ids_before} == ids_before  # every unit kept its local id
    with empty_target.reading() as session:  # a changed record has a new version: an open editor's save is refused
        assert session.scalar(select(Unit.version).where(Unit.uid == edited["unit"])) == versions[edited["unit"]] + 1
    assert figures(empty_target, ward_id) == figures(source, home_id(source))


def test_a_record_deleted_at_the_source_disappears_with_its_rows(source, empty_target, tmp_path):
    path = tmp_path / "goi.antq"
    export(source, path)
    import_(empty_target, path)
    with source.transaction() as session:
        decision = session.scalars(select(Decision).where(Decision.year == 2024)).one()
        records = session.scalars(select(AnttRecord).where(AnttRecord.decision_id == decision.id)).all()
        for record in records:
            record.decision_id, record.stage = None, "proposed"
        session.flush()
        session.delete(decision)
        uid = decision.uid
    export(source, path.with_name("lan-2.antq"))
    result = import_(empty_target, path.with_name("lan-2.antq"))
    assert count(result, "decision").removed == 1 and count(result, "decision_unit").removed > 0
    assert contents(empty_target) == contents(source)
    with empty_target.reading() as session:
        assert session.scalar(select(Decision.id).where(Decision.uid == uid)) is None


def test_a_failure_half_way_leaves_the_database_exactly_as_it_was(source, empty_target, tmp_path, monkeypatch):
    path = tmp_path / "goi.antq"
    export(source, path)
    import_(empty_target, path)
    _edit_source(source)
    export(source, path.with_name("lan-2.antq"))
    before, entries = contents(empty_target), audit_count(empty_target)
    last = list(package.SPECS)[-1]
    write = package._Import._write

    def failing(self, spec):
        if spec.name == last:
            raise RuntimeError("mất điện giữa chừng")
        return write(self, spec)

    monkeypatch.setattr(package._Import, "_write", failing)
    with pytest.raises(RuntimeError, match="mất điện"):
        import_(empty_target, path.with_name("lan-2.antq"))
    assert contents(empty_target) == before and audit_count(empty_target) == entries


def test_cancelling_an_import_writes_nothing(source, empty_target, tmp_path):
    path = tmp_path / "goi.antq"
    export(source, path)
    before = contents(empty_target)
    seen = []

    def progress(done: int, total: int) -> bool:
        seen.append((done, total))
        return done < total // 2

    with pytest.raises(UserError, match="Đã huỷ nhập gói dữ liệu"):
        import_(empty_target, path, progress)
    assert contents(empty_target) == before and seen[0][1] == sum(package.describe(path).counts.values())


# ---- one year -----------------------------------------------------------------------------------------

def test_a_one_year_package_replaces_that_year_only(source, empty_target, tmp_path):
    everything = tmp_path / "tat-ca.antq"
    export(source, everything)
    ward_id = import_(empty_target, everything).ward_id
    with source.transaction() as session:  # at the source: a 2024 record and a 2025 record change
        for year in (2024, 2025):
            record = session.scalars(select(AnttRecord).where(AnttRecord.year == year).order_by(AnttRecord.id)).first()
            record.note = f"Sửa năm {year}"
    before = contents(empty_target)
    one_year = tmp_path / "2025.antq"
    info = export(source, one_year, year=2025)
    assert info.year == 2025 and info.years == (2025,) and info.counts["unit"] == 68
    with empty_target.reading() as session:
        assert package.import_target(session, info).replaces

    result = import_(empty_target, one_year)

    assert count(result, "antt_record").changed == 1 and not count(result, "antt_record").removed
    with empty_target.reading() as session:
        notes = dict(session.execute(select(AnttRecord.year, AnttRecord.note).where(AnttRecord.note.like("Sửa%"))).all())
    assert notes == {2025: "Sửa năm 2025"}  # 2024 as it was
    after = contents(empty_target)
    for name, rows in after.items():
        if not package.is_yearly(name):
            assert rows == before[name], name
    assert figures(empty_target, ward_id, (2025,)) == figures(source, home_id(source), (2025,))


def test_a_one_year_package_alone_gives_that_year_s_statistics(source, empty_target, tmp_path):
    path = tmp_path / "2025.antq"
    export(source, path, year=2025)
    result = import_(empty_target, path)
    assert figures(empty_target, result.ward_id, (2025,)) == figures(source, home_id(source), (2025,))
    with empty_target.reading() as session:
        assert set(session.scalars(select(AnttRecord.year).distinct())) == {2025}


# ---- files that are refused -------------------------------------------------------------------------

@pytest.fixture
def exported(source, tmp_path) -> Path:
    path = tmp_path / "goi.antq"
    export(source, path)
    return path


def _rezip(path: Path, target: Path, manifest_change=None, data_change=None) -> Path:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read(package.MANIFEST_NAME))
        data = archive.read(package.DATA_NAME)
    if manifest_change:
        manifest_change(manifest)
    if data_change:
        data = data_change(data)
    with open(target, "wb") as handle:
        package.write_archive(handle, manifest, data)
    return target


def _flip_a_byte_of_the_data(path: Path) -> None:
    with zipfile.ZipFile(path) as archive:
        entry = archive.getinfo(package.DATA_NAME)
    raw = bytearray(path.read_bytes())
    start = entry.header_offset + 30 + len(entry.filename.encode()) + len(entry.extra)
    raw[start + entry.compress_size // 2] ^= 0x5A
    path.write_bytes(bytes(raw))


def _refused(db: Database, path: Path, message: str, *, by_the_file: bool = True) -> None:
    """Import refused, nothing written; ``by_the_file``: the file alone is refused (the preview says so)."""
    before, entries = contents(db), audit_count(db)
    if by_the_file:
        with pytest.raises(UserError, match=message):
            package.describe(path)
    with pytest.raises(UserError, match=message):
        import_(db, path)
    assert contents(db) == before and audit_count(db) == entries


DAMAGED = "bị hỏng hoặc chưa được chép hết"
FOREIGN = "không phải là gói dữ liệu của ANTQ Desktop"
NEWER = "mới hơn phiên bản đang chạy"


def test_a_damaged_package_is_refused(exported, empty_target, tmp_path):
    flipped = Path(shutil.copy(exported, tmp_path / "lat-byte.antq"))
    _flip_a_byte_of_the_data(flipped)
    _refused(empty_target, flipped, DAMAGED)
    cut = tmp_path / "chep-do.antq"
    cut.write_bytes(exported.read_bytes()[:exported.stat().st_size * 2 // 3])
    _refused(empty_target, cut, DAMAGED)
    changed = _rezip(exported, tmp_path / "sua-tay.antq", data_change=lambda data: data.replace(b"Minh", b"Minx"))
    _refused(empty_target, changed, "không khớp mã kiểm tra")


def test_a_package_whose_rows_do_not_match_its_manifest_is_refused(exported, empty_target, tmp_path):
    with zipfile.ZipFile(exported) as archive:
        manifest = json.loads(archive.read(package.MANIFEST_NAME))
        parsed = json.loads(archive.read(package.DATA_NAME))
    parsed["tables"]["unit"]["rows"].pop()  # one unit fewer than the manifest counts, checksum made to match
    data = json.dumps(parsed).encode()
    manifest["data_sha256"] = hashlib.sha256(data).hexdigest()
    bad = tmp_path / "thieu.antq"
    with open(bad, "wb") as handle:
        package.write_archive(handle, manifest, data)
    _refused(empty_target, bad, "không đúng cấu trúc")


def test_a_foreign_file_is_refused(empty_target, tmp_path):
    some_zip = tmp_path / "anh.zip"
    with zipfile.ZipFile(some_zip, "w") as archive:
        archive.writestr("anh.txt", "không phải gói")
    _refused(empty_target, some_zip, FOREIGN)
    text_file = tmp_path / "ghi-chu.antq"
    text_file.write_text("Danh sách đơn vị\n", encoding="utf-8")
    _refused(empty_target, text_file, FOREIGN)
    from openpyxl import Workbook

    workbook = tmp_path / "bang-tinh.xlsx"
    Workbook().save(workbook)
    _refused(empty_target, workbook, FOREIGN)
    other_json = tmp_path / "json-khac.antq"
    with zipfile.ZipFile(other_json, "w") as archive:
        archive.writestr(package.MANIFEST_NAME, json.dumps({"name": "khác"}))
    _refused(empty_target, other_json, FOREIGN)
    with pytest.raises(UserError, match="Không tìm thấy tệp"):
        package.describe(tmp_path / "khong-co.antq")


def test_a_package_from_a_newer_program_is_refused(exported, empty_target, tmp_path):
    newer_schema = _rezip(exported, tmp_path / "moi.antq", manifest_change=lambda manifest: manifest.update(
        schema_revision=f"{int(known_revisions()[-1]) + 1:04d}", program_version="9.0.0"))
    _refused(empty_target, newer_schema, NEWER)
    newer_format = _rezip(exported, tmp_path / "moi-2.antq", manifest_change=lambda manifest: manifest.update(
        format_version=package.FORMAT_VERSION + 1))
    _refused(empty_target, newer_format, NEWER)


def test_a_package_from_an_older_schema_is_accepted(exported, empty_target, tmp_path):
    older = _rezip(exported, tmp_path / "cu.antq", manifest_change=lambda manifest: manifest.update(
        schema_revision=known_revisions()[-2], program_version="0.4.0"))
    assert import_(empty_target, older).added_ward


def test_records_already_held_by_another_ward_are_refused(source, exported):
    """A copy of one file made into another ward (here: the ward's uid changed): the package's
    units are that other ward's; which of the two is right cannot be told."""
    with source.transaction() as session:
        session.execute(update(Ward).values(uid="0" * 32))
    _refused(source, exported, "trùng với bản ghi của một xã, phường khác", by_the_file=False)


def test_export_never_overwrites_a_file(source, tmp_path):
    path = tmp_path / "goi.antq"
    path.write_bytes(b"tep cu")
    with pytest.raises(UserError, match="đã có"):
        export(source, path)
    assert path.read_bytes() == b"tep cu"


def test_the_manifest_says_what_the_package_holds(source, exported):
    info = package.describe(exported)
    lines = info.summary_lines()
    assert lines[0] == "Xã, phường: phường Minh Xuân, tỉnh Tuyên Quang"
    assert lines[1] == "Dữ liệu: tất cả các năm (2024–2030)"
    assert f"bởi {ACTOR}, ANTQ Desktop" in lines[2]
    assert info.count_lines()[:2] == ["1 – Thông tin xã, phường", "68 – Đơn vị"]
    with zipfile.ZipFile(exported) as archive:
        assert archive.namelist() == [package.MANIFEST_NAME, package.DATA_NAME]
        manifest = json.loads(archive.read(package.MANIFEST_NAME))
    assert manifest["schema_revision"] == known_revisions()[-1] and manifest["ward"]["name"] == "Minh Xuân"
    with source.reading() as session:
        assert manifest["counts"]["unit"] == session.scalar(text("SELECT count(*) FROM unit"))


# ---- who may import --------------------------------------------------------------------------------

def test_only_an_administrator_imports_once_the_database_has_accounts(exported, empty_target, monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    with empty_target.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản trị", PASSWORD)
    identity.sign_in_as(accounts.sign_in_and_remember(empty_target, "quantri", PASSWORD))
    with empty_target.transaction() as session:
        accounts.add_user(session, "canbo", "Cán bộ", Role.CAN_BO, PASSWORD, "quantri")
        accounts.add_user(session, "lanhdao", "Lãnh đạo", Role.CHI_XEM, PASSWORD, "quantri")
    for name in ("canbo", "lanhdao"):
        identity.sign_in_as(accounts.sign_in_and_remember(empty_target, name, PASSWORD))
        _refused(empty_target, exported, "Chỉ tài khoản quản trị mới được nhập gói dữ liệu", by_the_file=False)
    identity.sign_out()
    with pytest.raises(UserError, match="Chỉ tài khoản quản trị"):
        import_(empty_target, exported)
    identity.sign_in_as(accounts.sign_in_and_remember(empty_target, "quantri", PASSWORD))
    assert import_(empty_target, exported).added_ward
    with empty_target.reading() as session:
        assert session.scalars(select(AuditEntry.actor).where(AuditEntry.table_name == "unit")).all() == ["quantri"]
