"""`antq stats` and `antq print` for the "An toàn về ANTT" year, run as real subprocesses.

The year is prepared through the services on a copy of the demo database file, then the
command line reads that file like an office would.
"""

from __future__ import annotations

import shutil
import sqlite3
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from tests.cli.runner import antq
from tests.services.antt_helpers import EXPECTED_LIST, build_template, prepare_year

A4 = (595.28, 841.89)
NAMES = [name for name, _ in EXPECTED_LIST]


def _issued_year(ward) -> None:
    prepare_year(ward)
    ward.draft_and_issue("125")


@pytest.fixture(scope="module")
def issued_file(demo_template, tmp_path_factory) -> Path:
    """2026 on the demo: 54 registered, 7 recognised by decision 125/QĐ-UBND, 1 not recognised.
    The commands below only read it."""
    return build_template(demo_template, tmp_path_factory.mktemp("cli-antt") / "issued.sqlite", _issued_year)


@pytest.fixture(scope="module")
def proposed_template(demo_template, tmp_path_factory) -> Path:
    """2026 on the demo with 7 units proposed and no decision yet."""
    return build_template(demo_template, tmp_path_factory.mktemp("cli-antt") / "proposed.sqlite", prepare_year)


def _flat(text: str) -> str:
    return " ".join(text.split())


def _pages(path: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(path).pages]


def _sizes(path: Path) -> list[tuple[float, float]]:
    return [(round(float(page.mediabox.width), 2), round(float(page.mediabox.height), 2))
            for page in PdfReader(path).pages]


def _decisions(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM decision").fetchone()[0]
    finally:
        connection.close()


# ---- stats -------------------------------------------------------------------------------------


def test_stats_json(issued_file, data_dir):
    run = antq("--db", str(issued_file), "stats", "--year", "2026", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    shown = run.json()
    assert list(shown) == ["year", "antt", "classification", "inspections", "models", "forces", "activities", "awards",
                          "targets"]
    assert shown["year"] == 2026
    antt = shown["antt"]
    assert {"eligible", "registered", "recognized", "registered_pct", "recognized_pct", "ward_criterion_4",
            "by_kind"} <= antt.keys()
    assert (antt["eligible"], antt["registered"], antt["recognized"]) == (54, 54, 7)
    assert (antt["registered_pct"], antt["recognized_pct"], antt["ward_criterion_4"]) == (100.0, 12.96, False)
    assert list(antt["by_kind"]) == ["kdc", "co-quan", "doanh-nghiep", "giao-duc"]
    assert [antt["by_kind"][kind]["recognized"] for kind in antt["by_kind"]] == [2, 2, 2, 1]
    assert [antt["by_kind"][kind]["eligible"] for kind in antt["by_kind"]] == [20, 14, 16, 4]


def test_stats_text(issued_file, data_dir):
    run = antq("--db", str(issued_file), "stats", "--year", "2026", data_dir=data_dir)
    assert run.code == 0, run.err
    lines = run.out.splitlines()
    assert lines[0] == 'Năm 2026: 54 đơn vị thuộc diện, 54 đã đăng ký, 7 được công nhận "An toàn về ANTT".'
    assert lines[1].startswith("Tiêu chí 4: Chưa đạt.")


# ---- print recognition-decision -------------------------------------------------------------------


def test_print_the_issued_decision(issued_file, data_dir, tmp_path):
    out = tmp_path / "pdf" / "quyet-dinh-2026.pdf"
    out.parent.mkdir()
    run = antq("--db", str(issued_file), "print", "recognition-decision", "--year", "2026", "--out", str(out),
               data_dir=data_dir)
    assert run.code == 0, run.err
    assert str(out) in run.out
    assert sorted(path.name for path in out.parent.iterdir()) == ["quyet-dinh-2026.pdf"]
    pages = _pages(out)
    text = "\n".join(pages)
    assert unicodedata.is_normalized("NFC", text)
    assert "Số: 125/QĐ-UBND" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text  # hyphen-minus U+002D, never an en or em dash
    assert "\u2013" not in text and "\u2014" not in text
    assert "ngày 18 tháng 11 năm 2026" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN" in text
    assert "Hoàng Văn Thắng" in text
    flat = _flat(text)
    for name in NAMES:
        assert name in flat, name
    assert "Tổ dân phố 5" not in flat  # assessed, not met: not recognised
    assert all(size == A4 for size in _sizes(out))
    assert len(pages) >= 2  # the list starts on a page of its own


def test_print_a_draft_when_no_decision_is_issued_without_storing_it(proposed_template, data_dir, tmp_path):
    database = Path(shutil.copy(proposed_template, tmp_path / "ward.sqlite"))
    out = tmp_path / "du-thao.pdf"
    run = antq("--db", str(database), "print", "recognition-decision", "--year", "2026", "--out", str(out),
               data_dir=data_dir)
    assert run.code == 0, run.err
    flat = _flat("\n".join(_pages(out)))
    for name in NAMES:
        assert name in flat, name
    assert _decisions(database) == 0


def test_print_with_nothing_proposed_exits_1_and_writes_nothing(demo_db_path, data_dir, tmp_path):
    out = tmp_path / "quyet-dinh.pdf"
    for document in ("recognition-decision", "certificates"):
        run = antq("--db", str(demo_db_path), "print", document, "--year", "2026", "--out", str(out),
                   data_dir=data_dir)
        assert run.code == 1, document
        assert run.out == ""
        assert run.err.startswith("Lỗi: Chưa có đơn vị nào được đề nghị công nhận năm 2026"), run.err
        assert "Traceback" not in run.err
        assert not out.exists()
    assert _decisions(demo_db_path) == 0


def test_print_into_a_missing_folder_exits_1(issued_file, data_dir, tmp_path):
    out = tmp_path / "không có" / "quyet-dinh.pdf"
    run = antq("--db", str(issued_file), "print", "recognition-decision", "--year", "2026", "--out", str(out),
               data_dir=data_dir)
    assert run.code == 1
    assert run.err.startswith("Lỗi: Thư mục"), run.err
    assert "không tồn tại" in run.err
    assert "Traceback" not in run.err
    assert not out.parent.exists()


# ---- print certificates ---------------------------------------------------------------------------


def test_print_certificates_one_landscape_page_per_recognised_unit(issued_file, data_dir, tmp_path):
    out = tmp_path / "giay-cong-nhan.pdf"
    run = antq("--db", str(issued_file), "print", "certificates", "--year", "2026", "--out", str(out),
               data_dir=data_dir)
    assert run.code == 0, run.err
    assert run.out.startswith("Đã ghi 7 giấy công nhận năm 2026")
    pages = _pages(out)
    assert len(pages) == len(NAMES)
    assert all(size == (A4[1], A4[0]) for size in _sizes(out))
    for name, text in zip(NAMES, pages):
        flat = _flat(text)
        assert unicodedata.normalize("NFC", name).upper() in flat, name
        assert "(Quyết định số 125/QĐ-UBND ngày 18 tháng 11 năm 2026 của Chủ tịch UBND phường Minh Xuân)" in flat
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in flat


def test_print_certificates_on_a_blank_form(issued_file, data_dir, tmp_path):
    out = tmp_path / "phoi.pdf"
    run = antq("--db", str(issued_file), "print", "certificates", "--year", "2026", "--out", str(out),
               "--blank-form", data_dir=data_dir)
    assert run.code == 0, run.err
    pages = _pages(out)
    assert len(pages) == len(NAMES)
    assert all(size == (A4[1], A4[0]) for size in _sizes(out))
    for name, text in zip(NAMES, pages):
        flat = _flat(text)
        assert name.upper() in flat, name
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in flat  # the paper has it printed already
        assert "125/QĐ-UBND" in flat
