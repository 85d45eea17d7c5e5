"""`antq workbook export` and `antq workbook import`.

The first tests call the handler of antq_desktop.cli_workbook directly (on SQLite and on
PostgreSQL); the ones below run the real `antq` command in a subprocess, with the command wired
into antq_desktop.cli (``cli_workbook.add_parsers(commands)``, ``_COMMANDS.update(...)``).
"""

from __future__ import annotations

from argparse import Namespace

import pytest

from antq_desktop import cli_workbook, identity
from antq_desktop.db.engine import open_database
from antq_desktop.errors import UserError
from antq_desktop.services import accounts, units
from tests.cli.runner import antq
from tests.services.workbook_helpers import (
    OFFICER,
    VIEWER,
    YEAR,
    Book,
    add_accounts,
    build_year,
    dump,
)

RUN = cli_workbook.COMMANDS["workbook"]


def _export_args(path, overwrite=False):
    return Namespace(action="export", year=YEAR, file=str(path), overwrite=overwrite)


def _import_args(path, dry_run=False):
    return Namespace(action="import", file=str(path), dry_run=dry_run)


def _edited(exported, target, phone="0912 345 678"):
    book = Book(exported)
    book.set("Đơn vị", book.row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3"), "Điện thoại", phone)
    return book.save(target)


# ---- the handler ---------------------------------------------------------------------------------------

def test_export_writes_the_year_and_refuses_to_overwrite_a_file(demo_db, tmp_path, capsys):
    build_year(demo_db)
    path = tmp_path / "tong-hop.xlsx"
    assert RUN(demo_db, _export_args(path)) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Đã xuất bảng tổng hợp năm 2025 vào {path} (Đơn vị 68, Đăng ký ANTT 54,")
    written = path.read_bytes()
    with pytest.raises(UserError, match="không ghi đè lên tệp có sẵn"):
        RUN(demo_db, _export_args(path))
    assert path.read_bytes() == written
    assert RUN(demo_db, _export_args(path, overwrite=True)) == 0
    with pytest.raises(UserError, match="phải có đuôi .xlsx"):
        RUN(demo_db, _export_args(tmp_path / "tong-hop.xls"))


def test_a_dry_run_prints_the_changes_and_writes_nothing(demo_db, tmp_path, capsys):
    build_year(demo_db)
    exported = tmp_path / "tong-hop.xlsx"
    RUN(demo_db, _export_args(exported))
    edited = _edited(exported, tmp_path / "da-sua.xlsx")
    before = dump(demo_db)
    capsys.readouterr()
    assert RUN(demo_db, _import_args(edited, dry_run=True)) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == 'Bảng tổng hợp năm 2025 của Phường Minh Xuân ("da-sua.xlsx"): thêm 0, sửa 1, giữ nguyên 1.321 dòng.'
    assert out[1] == "  Đơn vị: thêm 0, sửa 1, giữ nguyên 67"
    assert "Các dòng đã xoá khỏi bảng tính không bị xoá khỏi dữ liệu của chương trình." in out
    assert out[-3] == "Các thay đổi:"
    assert out[-2].startswith('  Đơn vị, dòng 4 (sửa "Tổ dân phố 3"): Điện thoại: ')
    assert out[-2].endswith('→ "0912 345 678"')
    assert out[-1] == "Chưa ghi gì (--dry-run)."
    assert dump(demo_db) == before


def test_an_import_writes_the_changes_and_a_second_changes_nothing(demo_db, tmp_path, capsys):
    ward = build_year(demo_db)
    exported = tmp_path / "tong-hop.xlsx"
    RUN(demo_db, _export_args(exported))
    edited = _edited(exported, tmp_path / "da-sua.xlsx")
    capsys.readouterr()
    assert RUN(demo_db, _import_args(edited)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "Đã ghi bảng tổng hợp năm 2025: thêm 0 dòng, sửa 1 dòng."
    with demo_db.reading() as session:
        assert units.get_unit(session, ward.unit_id("Tổ dân phố 3")).head_phone == "0912 345 678"
    assert RUN(demo_db, _import_args(edited)) == 0
    assert capsys.readouterr().out.splitlines()[-1] == (
        "Bảng tổng hợp năm 2025: không có gì thay đổi, dữ liệu giữ nguyên.")


def test_faults_are_all_printed_and_nothing_is_written(demo_db, tmp_path, capsys):
    build_year(demo_db)
    exported = tmp_path / "tong-hop.xlsx"
    RUN(demo_db, _export_args(exported))
    book = Book(_edited(exported, tmp_path / "loi.xlsx"))
    for row in range(2, 20):  # more faults than a message lists
        book.set("Đơn vị", row, "Số hộ gia đình", "nhiều")
    path = book.save(tmp_path / "loi.xlsx")
    before = dump(demo_db)
    capsys.readouterr()
    assert RUN(demo_db, _import_args(path)) == 1
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert lines[0] == 'Lỗi: Tệp "loi.xlsx" có 18 lỗi nên chưa ghi gì vào dữ liệu:'
    assert len([line for line in lines if line.startswith('  Trang "Đơn vị", dòng ')]) == 18
    assert lines[1] == ('  Trang "Đơn vị", dòng 2, cột I (Số hộ gia đình): Số hộ gia đình "nhiều" không phải là '
                        "một số.")
    assert lines[-1] == "Hãy sửa tệp rồi nhập lại."
    assert captured.out == ""
    assert dump(demo_db) == before


def test_a_viewer_gets_one_refusal_and_an_officer_imports(demo_db, tmp_path, capsys, monkeypatch):
    build_year(demo_db)
    exported = tmp_path / "tong-hop.xlsx"
    RUN(demo_db, _export_args(exported))
    edited = _edited(exported, tmp_path / "da-sua.xlsx")
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    people = add_accounts(demo_db)
    try:
        identity.sign_in_as(people[VIEWER])
        before = dump(demo_db)
        for dry_run in (True, False):
            with pytest.raises(UserError) as refused:
                RUN(demo_db, _import_args(edited, dry_run))
            assert "\n" not in refused.value.message
            assert refused.value.message.startswith("Tài khoản \u201clanhdao\u201d (Lãnh đạo / chỉ xem) chỉ được xem "
                                                    "và in, không được nhập bảng tổng hợp")
        assert dump(demo_db) == before
        identity.sign_in_as(people[OFFICER])
        capsys.readouterr()
        assert RUN(demo_db, _import_args(edited)) == 0
        assert capsys.readouterr().out.splitlines()[-1] == "Đã ghi bảng tổng hợp năm 2025: thêm 0 dòng, sửa 1 dòng."
    finally:
        identity.sign_out()


# ---- the real command (needs `workbook` wired into antq_desktop.cli) -------------------------------------

def test_antq_workbook_export_and_import(demo_db_path, data_dir, tmp_path):
    db = open_database(demo_db_path)
    try:
        build_year(db)
    finally:
        db.close()
    path = tmp_path / "tong-hop.xlsx"
    exported = antq("--db", str(demo_db_path), "workbook", "export", "--year", str(YEAR), str(path), data_dir=data_dir)
    assert exported.code == 0, exported.err
    assert exported.out.startswith("Đã xuất bảng tổng hợp năm 2025 vào ")
    again = antq("--db", str(demo_db_path), "workbook", "export", "--year", str(YEAR), str(path), data_dir=data_dir)
    assert again.code == 1 and again.err.startswith("Lỗi: Đã có tệp \u201ctong-hop.xlsx\u201d")
    edited = _edited(path, tmp_path / "da-sua.xlsx")
    dry = antq("--db", str(demo_db_path), "workbook", "import", str(edited), "--dry-run", data_dir=data_dir)
    assert dry.code == 0 and dry.out.splitlines()[-1] == "Chưa ghi gì (--dry-run)."
    done = antq("--db", str(demo_db_path), "workbook", "import", str(edited), data_dir=data_dir)
    assert done.code == 0, done.err
    assert done.out.splitlines()[-1] == "Đã ghi bảng tổng hợp năm 2025: thêm 0 dòng, sửa 1 dòng."
    twice = antq("--db", str(demo_db_path), "workbook", "import", str(edited), data_dir=data_dir)
    assert twice.out.splitlines()[-1] == "Bảng tổng hợp năm 2025: không có gì thay đổi, dữ liệu giữ nguyên."


def test_antq_workbook_import_of_a_faulty_file_exits_1(demo_db_path, data_dir, tmp_path):
    path = tmp_path / "tong-hop.xlsx"
    antq("--db", str(demo_db_path), "workbook", "export", "--year", str(YEAR), str(path), data_dir=data_dir)
    book = Book(path)
    book.set("Đơn vị", 2, "Số hộ gia đình", "=1+1")
    book.save(path)
    refused = antq("--db", str(demo_db_path), "workbook", "import", str(path), data_dir=data_dir)
    assert refused.code == 1 and refused.out == ""
    assert refused.err.splitlines()[:2] == [
        "Lỗi: Tệp có lỗi nên chưa ghi gì vào dữ liệu:",
        '  Trang "Đơn vị", dòng 2, cột I (Số hộ gia đình): ô có công thức, hãy dán giá trị (chép ô, rồi '
        '"Dán đặc biệt" → "Chỉ giá trị") thay cho công thức.']
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(path.read_bytes()[:1000])
    damaged = antq("--db", str(demo_db_path), "workbook", "import", str(broken), data_dir=data_dir)
    assert damaged.code == 1
    assert damaged.err.startswith('Lỗi: Không đọc được tệp "hong.xlsx": tệp bị hỏng, chưa chép hết')
