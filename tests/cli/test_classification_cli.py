"""`antq print` of the classification papers and `antq stats` with the classification, run as real
subprocesses on a copy of the demo database scored through the services."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from pypdf import PdfReader

from antq_desktop.db.engine import open_database
from tests.cli.runner import antq
from tests.services.test_classification_decision import TOTALS, score

DOCUMENTS = {
    "classification-decision": "Đã ghi quyết định phân loại phong trào năm 2026: ",
    "classification-proposal": "Đã ghi tờ trình đề nghị phân loại phong trào năm 2026: ",
    "score-list": "Đã ghi thống kê danh sách chấm điểm năm 2026: ",
}


@pytest.fixture(scope="module")
def scored_template(demo_template, tmp_path_factory) -> Path:
    path = Path(shutil.copy(demo_template, tmp_path_factory.mktemp("cli-classification") / "scored.sqlite"))
    db = open_database(path)
    try:
        score(db, TOTALS)
    finally:
        db.close()
    return path


@pytest.fixture
def scored_file(scored_template, tmp_path) -> Path:
    return Path(shutil.copy(scored_template, tmp_path / "ward.sqlite"))


def _text(path: Path) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(path).pages).split())


def _decisions(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        return connection.execute("SELECT count(*) FROM decision").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_print_writes_the_pdf(scored_file, data_dir, tmp_path, document):
    out = tmp_path / "pdf" / f"{document}.pdf"
    out.parent.mkdir()
    run = antq("--db", str(scored_file), "print", document, "--year", "2026", "--out", str(out), data_dir=data_dir)
    assert run.code == 0, run.err
    assert run.out == f"{DOCUMENTS[document]}{out}\n"
    assert sorted(path.name for path in out.parent.iterdir()) == [out.name]
    text = _text(out)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "87,5" in text or document == "classification-proposal"
    assert _decisions(scored_file) == 0  # a decision drafted only for printing is not kept


def test_the_printed_decision_lists_the_units_by_level(scored_file, data_dir, tmp_path):
    out = tmp_path / "quyet-dinh.pdf"
    run = antq("--db", str(scored_file), "print", "classification-decision", "--year", "2026", "--out", str(out),
               data_dir=data_dir)
    assert run.code == 0, run.err
    text = _text(out)
    assert "QUYẾT ĐỊNH" in text and "gồm: 3 đơn vị xếp loại Xuất sắc, 2 đơn vị xếp loại Khá" in text
    assert text.index("XẾP LOẠI XUẤT SẮC (3)") < text.index("XẾP LOẠI KHÁ (2)") < text.index("XẾP LOẠI YẾU (1)")


def test_print_with_nothing_scored_exits_1_and_writes_nothing(demo_db_path, data_dir, tmp_path):
    out = tmp_path / "giay.pdf"
    for document in DOCUMENTS:
        run = antq("--db", str(demo_db_path), "print", document, "--year", "2026", "--out", str(out),
                   data_dir=data_dir)
        assert run.code == 1, document
        assert run.out == ""
        assert run.err.startswith("Lỗi: Chưa có đơn vị nào được chấm điểm phân loại phong trào năm 2026"), run.err
        assert "Traceback" not in run.err
        assert not out.exists()


@pytest.mark.parametrize("arguments", [("--year", "2026"), ("--out", "x.pdf"), ("--year", "năm", "--out", "x.pdf")])
def test_print_with_wrong_arguments_exits_2(scored_file, data_dir, arguments):
    run = antq("--db", str(scored_file), "print", "score-list", *arguments, data_dir=data_dir)
    assert run.code == 2
    assert "Lỗi cú pháp lệnh" in run.err


def test_stats_json_adds_the_classification(scored_file, data_dir):
    run = antq("--db", str(scored_file), "stats", "--year", "2026", "--json", data_dir=data_dir)
    assert run.code == 0, run.err
    shown = run.json()
    assert list(shown) == ["year", "antt", "classification", "inspections", "models", "forces", "activities", "awards",
                          "targets"]
    assert {"eligible", "registered", "recognized", "by_kind"} <= shown["antt"].keys()
    figures = shown["classification"]
    assert figures["by_level"] == {"xuat_sac": 3, "kha": 2, "trung_binh": 1, "yeu": 1}
    assert (figures["units"], figures["eligible"], figures["kha_or_above_pct"], figures["any_yeu"]) == (
        7, 54, 71.43, True)
    assert list(figures["by_kind"]) == ["kdc", "co-quan", "doanh-nghiep", "giao-duc"]
    assert figures["by_kind"]["kdc"]["by_level"] == {"xuat_sac": 1, "kha": 1, "trung_binh": 0, "yeu": 1}
    assert figures["by_kind"]["giao-duc"]["kha_or_above_pct"] == 100.0


def test_stats_text_adds_a_classification_line(scored_file, data_dir):
    run = antq("--db", str(scored_file), "stats", "--year", "2026", data_dir=data_dir)
    assert run.code == 0, run.err
    assert run.out.splitlines()[2] == ("Phân loại phong trào năm 2026: đã chấm điểm 7/54 đơn vị; Xuất sắc 3, Khá 2, "
                                       "Trung bình 1, Yếu 1; Khá trở lên 71,4% (chỉ tiêu 100%).")


def test_print_inspection_minutes_by_its_number(tmp_path, demo_db_path, data_dir):
    from datetime import date

    from antq_desktop.services import inspections

    db = open_database(demo_db_path)
    with db.transaction() as session:
        inspections.add_demo_inspections(session, 1, 2026, "thử", today=date(2026, 11, 22))
        made = next(row for row in inspections.year_inspections(session, 1, 2026) if row.visited_on)
    db.close()
    out = tmp_path / "bien-ban.pdf"
    done = antq("--db", str(demo_db_path), "print", "inspection-minutes", "--inspection", str(made.id),
                "--out", str(out), data_dir=data_dir)
    assert done.code == 0 and out.read_bytes().startswith(b"%PDF")
    assert done.out.strip() == f"Đã ghi biên bản kiểm tra số hiệu {made.id}: {out}"
    missing = antq("--db", str(demo_db_path), "print", "inspection-minutes", "--inspection", "99999",
                   "--out", str(tmp_path / "khong.pdf"), data_dir=data_dir)
    assert missing.code == 1 and "Không tìm thấy cuộc kiểm tra" in missing.err
    assert not (tmp_path / "khong.pdf").exists()


def test_stats_json_gives_the_field_work_of_the_demo_year(full_demo_db_path, data_dir):
    """The demo's 2025 counted by hand from what the demo loader records."""
    shown = antq("--db", str(full_demo_db_path), "stats", "--year", "2025", "--json", data_dir=data_dir).json()
    assert shown["models"]["kha_or_above"] == 3 and shown["models"]["met"] is True
    assert (shown["awards"]["total"], shown["awards"]["to_units"], shown["awards"]["to_people"]) == (5, 3, 2)
    assert shown["forces"]["members"] == 101 and shown["forces"]["trained"] == 99
    assert shown["activities"]["activities"] == 40 and shown["activities"]["festival_units"] == 49
    assert shown["inspections"]["kdc_total"] == 20 and shown["inspections"]["kdc_inspected"] == 17


def test_print_the_roster_of_one_force(tmp_path, full_demo_db_path, data_dir):
    out = tmp_path / "danh-sach.pdf"
    done = antq("--db", str(full_demo_db_path), "print", "roster", "--year", "2025", "--kind", "dan-phong",
                "--out", str(out), data_dir=data_dir)
    assert done.code == 0 and done.out.strip() == f"Đã ghi danh sách lực lượng nòng cốt năm 2025: {out}"
    text = "".join(page.extract_text() for page in PdfReader(out).pages)
    assert "ĐỘI DÂN PHÒNG" in text.upper() and "Tổ bảo vệ an ninh" not in text
