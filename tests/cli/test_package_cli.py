"""`antq package export|import` and `antq province`, run as the real command.

The first tests call the handlers of antq_desktop.cli_package directly; the others run `antq`
in a subprocess and need the commands wired into antq_desktop.cli (``add_parsers(commands)``,
``_COMMANDS.update(cli_package.COMMANDS)``).
"""

from __future__ import annotations

import shutil
from argparse import Namespace
from pathlib import Path

import pytest

from antq_desktop import cli_package, identity
from antq_desktop.db.engine import open_database
from antq_desktop.domain.roles import Role
from antq_desktop.errors import UserError
from antq_desktop.services import accounts, package
from tests.cli.runner import antq
from tests.services.package_helpers import contents

PASSWORD = "mật khẩu đủ dài"


@pytest.fixture
def target_path(empty_template, tmp_path) -> Path:
    return Path(shutil.copy(empty_template, tmp_path / "tinh.sqlite"))


# ---- the handlers, called directly ------------------------------------------------------------

def test_export_and_import_handlers(full_demo_db_path, target_path, tmp_path, capsys):
    path = tmp_path / "Minh-Xuan.antq"
    source = open_database(full_demo_db_path)
    target = open_database(target_path)
    try:
        assert cli_package.COMMANDS["package"](source, Namespace(package_action="export", file=str(path),
                                                                 year=None)) == 0
        assert "Đã xuất phường Minh Xuân (tỉnh Tuyên Quang), tất cả các năm (2024–2030)" in capsys.readouterr().out
        assert cli_package.COMMANDS["package"](target, Namespace(package_action="import", file=str(path))) == 0
        out = capsys.readouterr().out
        assert "Xã, phường: phường Minh Xuân, tỉnh Tuyên Quang" in out
        assert "chưa có xã, phường nào" in out and "Đơn vị: thêm 68" in out
        assert contents(target) == contents(source)
    finally:
        source.close()
        target.close()


def test_the_import_handler_refuses_a_non_administrator(full_demo_db_path, target_path, tmp_path, monkeypatch):
    monkeypatch.setattr(accounts, "SCRYPT_N", 2**10)
    path = tmp_path / "goi.antq"
    source = open_database(full_demo_db_path)
    with source.reading() as session:
        package.export_package(session, path, "x")
    source.close()
    target = open_database(target_path)
    try:
        with target.transaction() as session:
            accounts.create_first_admin(session, "quantri", "Quản trị", PASSWORD)
        identity.sign_in_as(accounts.sign_in_and_remember(target, "quantri", PASSWORD))
        with target.transaction() as session:
            accounts.add_user(session, "canbo", "Cán bộ", Role.CAN_BO, PASSWORD, "quantri")
        identity.sign_in_as(accounts.sign_in_and_remember(target, "canbo", PASSWORD))
        with pytest.raises(UserError, match="Chỉ tài khoản quản trị"):
            cli_package.COMMANDS["package"](target, Namespace(package_action="import", file=str(path)))
    finally:
        target.close()


# ---- the real command (once wired into antq_desktop.cli) --------------------------------------

def test_antq_package_export_import_and_province(full_demo_db_path, target_path, data_dir, tmp_path):
    path = tmp_path / "Minh-Xuan-2025.antq"
    run = antq("--db", str(full_demo_db_path), "package", "export", str(path), "--year", "2025", data_dir=data_dir)
    assert run.code == 0, run.err
    assert "năm 2025" in run.out and path.is_file()
    again = antq("--db", str(full_demo_db_path), "package", "export", str(path), data_dir=data_dir)
    assert again.code == 1 and "không ghi đè" in again.err  # an existing file is never overwritten

    run = antq("--db", str(target_path), "package", "import", str(path), data_dir=data_dir)
    assert run.code == 0, run.err
    assert "Dữ liệu: năm 2025" in run.out and "Đã thêm phường Minh Xuân (tỉnh Tuyên Quang)" in run.out
    run = antq("--db", str(target_path), "package", "import", str(path), data_dir=data_dir)
    assert run.code == 0, run.err
    assert "THAY" in run.out and "Không có bản ghi nào thay đổi" in run.out

    run = antq("--db", str(target_path), "province", "--year", "2025", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    figures = run.json()
    assert [ward["title"] for ward in figures["wards"]] == ["phường Minh Xuân"]
    assert figures["total"]["units"] == 68 and figures["total"]["recognized"] == 51
    run = antq("--db", str(target_path), "province", "--year", "2025", data_dir=data_dir)
    assert run.code == 0 and run.out.splitlines()[-1].startswith("Tổng cộng: 68 đơn vị; đăng ký 54/54 (100,0%)")


def test_antq_package_import_refuses_a_foreign_file(target_path, data_dir, tmp_path):
    text = tmp_path / "ghi-chu.antq"
    text.write_text("không phải gói", encoding="utf-8")
    run = antq("--db", str(target_path), "package", "import", str(text), data_dir=data_dir)
    assert run.code == 1
    assert run.err.strip() == f"Lỗi: {package.FOREIGN.format(name=text.name)}"
