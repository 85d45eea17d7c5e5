"""The ``antq`` command line, run as a real subprocess on real database files."""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import pytest

from antq_desktop import __version__
from antq_desktop.domain import vntext
from tests.cli.runner import Run, antq


@dataclass(frozen=True)
class DemoFile:
    path: Path
    data_dir: Path
    init: Run
    demo: Run


@pytest.fixture(scope="module")
def cli_demo(tmp_path_factory) -> DemoFile:
    """A database made by `antq init` then `antq demo`, shared by the tests that only read it."""
    folder = tmp_path_factory.mktemp("cli")
    data_dir = folder / "data"
    path = folder / "ward.sqlite"
    init = antq("--db", str(path), "init", data_dir=data_dir)
    demo = antq("--db", str(path), "demo", data_dir=data_dir)
    return DemoFile(path, data_dir, init, demo)


@pytest.fixture
def demo_copy(cli_demo, tmp_path) -> Path:
    """A private copy of the CLI-made demo database, for tests that change it."""
    return Path(shutil.copy(cli_demo.path, tmp_path / "copy.sqlite"))


def test_init_and_demo(cli_demo):
    assert cli_demo.init.code == 0, cli_demo.init.err
    assert str(cli_demo.path) in cli_demo.init.out
    assert cli_demo.demo.code == 0, cli_demo.demo.err
    assert "68 đơn vị" in cli_demo.demo.out
    assert not list(cli_demo.path.parent.glob("*-wal")), "the file is complete once the command ends"


def test_search_lists_the_twenty_residential_groups_in_natural_order(cli_demo, data_dir):
    run = antq("--db", str(cli_demo.path), "units", "list", "--search", "to dan pho", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    rows = run.json()
    assert [row["name"] for row in rows] == [f"Tổ dân phố {n}" for n in range(1, 21)]
    for row in rows:
        assert {"id", "name", "kind", "status"} <= row.keys()
        assert isinstance(row["id"], int)
        assert (row["kind"], row["status"]) == ("kdc", "active")


def test_list_is_in_vietnamese_order(cli_demo, data_dir):
    run = antq("--db", str(cli_demo.path), "units", "list", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    names = [row["name"] for row in run.json()]
    assert len(names) == 68
    assert names == sorted(names, key=vntext.sort_key)
    assert names != sorted(names), "plain code-point order differs from the Vietnamese one on the demo"


def test_list_by_kind(cli_demo, data_dir):
    run = antq("--db", str(cli_demo.path), "units", "list", "--kind", "co-quan", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    rows = run.json()
    assert len(rows) == 15
    assert {row["kind"] for row in rows} == {"co-quan"}
    assert {row["kind_label"] for row in rows} == {"Cơ quan"}
    assert "Ban Chỉ huy Quân sự phường Minh Xuân" in {row["name"] for row in rows}


def test_profile_show_json(cli_demo, data_dir):
    run = antq("--db", str(cli_demo.path), "profile", "show", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    shown = run.json()
    assert {key: shown[key] for key in ("name", "kind", "province_name", "province_kind", "police_unit_name",
                                        "chairman_name", "police_chief_name", "police_doc_suffix")} == {
        "name": "Minh Xuân", "kind": "phuong", "province_name": "Tuyên Quang", "province_kind": "tinh",
        "police_unit_name": "Công an phường Minh Xuân", "chairman_name": "Hoàng Văn Thắng",
        "police_chief_name": "Nguyễn Đức Huy", "police_doc_suffix": "CAP",
    }


def test_units_add_prints_the_new_id_and_the_unit_is_listed(demo_copy, data_dir):
    added = antq("--db", str(demo_copy), "units", "add", "--kind", "giao-duc", "--name", "Trường THCS Kim Đồng",
                 "--school-level", "thcs", "--learners", "500", "--phone", "0912 345 678", data_dir=data_dir)
    assert added.code == 0, added.err
    new_id = int(added.out.strip())
    assert added.out.strip() == str(new_id)

    listed = antq("--db", str(demo_copy), "units", "list", "--search", "kim dong", data_dir=data_dir)
    assert listed.code == 0, listed.err
    assert listed.out.splitlines() == [f"{new_id}\tCơ sở giáo dục\tTrường THCS Kim Đồng\tĐang hoạt động"]
    assert "Cộng: 1 đơn vị" in listed.err


def test_profile_set_then_show(demo_copy, data_dir):
    changed = antq("--db", str(demo_copy), "profile", "set", "chairman_name", "  Lê   Văn Tám ", data_dir=data_dir)
    assert changed.code == 0, changed.err
    assert changed.out.strip() == "Đã lưu Họ tên Chủ tịch UBND: Lê Văn Tám"
    shown = antq("--db", str(demo_copy), "profile", "show", data_dir=data_dir)
    assert shown.code == 0, shown.err
    assert "Họ tên Chủ tịch UBND (chairman_name): Lê Văn Tám" in shown.out.splitlines()
    assert "Tên xã, phường, đặc khu (name): Minh Xuân" in shown.out.splitlines()


def test_duplicate_unit_exits_1_with_a_vietnamese_message(demo_copy, data_dir):
    run = antq("--db", str(demo_copy), "units", "add", "--kind", "kdc", "--name", "to dan pho 5", data_dir=data_dir)
    assert run.code == 1
    assert run.out == ""
    assert run.err.startswith('Lỗi: Đã có khu dân cư "Tổ dân phố 5"')
    assert "Traceback" not in run.err


def test_units_list_without_a_profile_exits_1(tmp_path, data_dir):
    run = antq("--db", str(tmp_path / "new.sqlite"), "units", "list", data_dir=data_dir)
    assert run.code == 1
    assert run.err.startswith("Lỗi: Chưa có thông tin xã, phường")
    assert "Traceback" not in run.err


def test_demo_twice_exits_1(demo_copy, data_dir):
    run = antq("--db", str(demo_copy), "demo", data_dir=data_dir)
    assert run.code == 1
    assert run.err.startswith("Lỗi: Tệp dữ liệu này đã có thông tin xã, phường")
    connection = sqlite3.connect(demo_copy)
    try:
        assert connection.execute("SELECT count(*) FROM unit").fetchone() == (68,)
    finally:
        connection.close()


@pytest.mark.parametrize(
    "args",
    [
        ["frobnicate"],
        ["units", "add", "--kind", "kdc"],
        ["units", "list", "--kind", "huyen"],
    ],
    ids=["unknown-subcommand", "missing-name", "bad-kind"],
)
def test_wrong_usage_exits_2_before_touching_any_file(tmp_path, data_dir, args):
    target = tmp_path / "never.sqlite"
    run = antq("--db", str(target), *args, data_dir=data_dir)
    assert run.code == 2
    assert "Lỗi cú pháp lệnh" in run.err
    assert "Cách dùng: antq" in run.err
    assert not target.exists()


def test_version(data_dir):
    run = antq("--version", data_dir=data_dir)
    assert run.code == 0
    assert run.out.strip() == f"ANTQ Desktop {__version__}"


def test_default_database_is_in_the_data_folder(tmp_path):
    data_dir = tmp_path / "portable-data"
    run = antq("init", data_dir=data_dir, cwd=tmp_path)
    assert run.code == 0, run.err
    expected = data_dir / "antq.sqlite"
    assert expected.is_file()
    assert str(expected) in run.out
    assert sorted(path.name for path in tmp_path.iterdir()) == ["portable-data"]
    connection = sqlite3.connect(expected)
    try:
        assert connection.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    finally:
        connection.close()
