"""`antq budget`, `antq print budget|task-table|annual-report` and the targets in `antq stats`,
run as real subprocesses on a copy of the full demo ward (its 2026 plan: task table, budget)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from pypdf import PdfReader

from tests.cli.runner import antq

HEADER = ["Nhóm", "Nội dung", "Số lượng", "Đơn giá", "Thành tiền"]


def _workbook(path: Path, rows: list[list]) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.title = "Dự trù"
    for row in [HEADER, *rows]:
        workbook.active.append(row)
    workbook.save(path)
    return path


def _text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def test_budget_show_json_is_the_demo_estimate(full_demo_db_path, data_dir):
    shown = antq("--db", str(full_demo_db_path), "budget", "show", "--year", "2026", "--json",
                 data_dir=data_dir).json()
    assert list(shown) == ["year", "groups", "total", "total_in_words"]
    assert [group["code"] for group in shown["groups"]] == ["I", "II", "III", "IV"]
    assert list(shown["groups"][0]["lines"][0]) == ["content", "quantity", "unit_price", "amount"]
    for group in shown["groups"]:
        assert group["subtotal"] == sum(line["amount"] for line in group["lines"])
    assert shown["total"] == 48_000_000 == sum(group["subtotal"] for group in shown["groups"])
    assert shown["total_in_words"] == "Bốn mươi tám triệu đồng"


def test_budget_import_replaces_the_year(full_demo_db_path, data_dir, tmp_path):
    sheet = _workbook(tmp_path / "du-tru.xlsx", [
        ["I. Tuyên truyền", "In tờ rơi", 1000, 1500, 1_500_000],
        [None, "Loa truyền thanh", None, None, 2_000_000],
        ["II. Ngày hội", "Khánh tiết", 1, 4_500_000, None],
    ])
    done = antq("--db", str(full_demo_db_path), "budget", "import", str(sheet), "--year", "2026", data_dir=data_dir)
    assert done.code == 0, done.err
    assert done.out.strip() == ("Đã nhập dự trù kinh phí năm 2026: 2 nhóm, 3 dòng, tổng cộng 8.000.000 đồng "
                                "(thay cho 4 nhóm, 11 dòng cũ).")
    shown = antq("--db", str(full_demo_db_path), "budget", "show", "--year", "2026", data_dir=data_dir)
    assert "Tổng cộng năm 2026: 8.000.000 đồng (Tám triệu đồng)." in shown.out
    assert shown.out.splitlines()[0] == "I. Tuyên truyền: 3.500.000 đồng"


def test_a_faulty_budget_sheet_exits_1_names_the_cells_and_changes_nothing(full_demo_db_path, data_dir, tmp_path):
    before = antq("--db", str(full_demo_db_path), "budget", "show", "--year", "2026", "--json", data_dir=data_dir)
    sheet = _workbook(tmp_path / "sai.xlsx", [
        ["I. Tuyên truyền", "In tờ rơi", 1000, 1500, 1_600_000],
        [None, "Pa nô", "sáu", 850_000, None],
    ])
    done = antq("--db", str(full_demo_db_path), "budget", "import", str(sheet), "--year", "2026", data_dir=data_dir)
    assert done.code == 1 and done.out == ""
    assert 'Trang "Dự trù", dòng 2, cột E (Thành tiền)' in done.err
    assert 'Trang "Dự trù", dòng 3, cột C (Số lượng): số lượng "sáu" không phải là một số.' in done.err
    after = antq("--db", str(full_demo_db_path), "budget", "show", "--year", "2026", "--json", data_dir=data_dir)
    assert after.out == before.out


@pytest.mark.parametrize(("document", "extra", "said", "expected"), [
    ("budget", (), "dự trù kinh phí năm 2026", ["DỰ TRÙ KINH PHÍ", "48.000.000", "Bốn mươi tám triệu đồng"]),
    ("task-table", (), "biểu phân công nhiệm vụ năm 2026", ["BIỂU PHÂN CÔNG NHIỆM VỤ", "Công an phường"]),
    ("annual-report", (), "báo cáo kết quả năm 2026", ["BÁO CÁO", "phương hướng, nhiệm vụ năm 2027"]),
    ("annual-report", ("--six-months",), "báo cáo sơ kết 6 tháng đầu năm 2026",
     ["Sơ kết 6 tháng đầu năm 2026"]),
])
def test_print_the_plan_documents(full_demo_db_path, data_dir, tmp_path, document, extra, said, expected):
    out = tmp_path / f"{document}.pdf"
    done = antq("--db", str(full_demo_db_path), "print", document, "--year", "2026", *extra, "--out", str(out),
                data_dir=data_dir)
    assert done.code == 0, done.err
    assert done.out.strip() == f"Đã ghi {said}: {out}"
    text = " ".join(_text(out).split())
    for words in expected:
        assert words in text


def test_the_task_table_is_a_landscape_annex(full_demo_db_path, data_dir, tmp_path):
    out = tmp_path / "bieu.pdf"
    antq("--db", str(full_demo_db_path), "print", "task-table", "--year", "2026", "--out", str(out),
         data_dir=data_dir)
    box = PdfReader(out).pages[0].mediabox
    assert box.width > box.height


def test_stats_json_gives_the_targets_against_the_records(full_demo_db_path, data_dir):
    shown = antq("--db", str(full_demo_db_path), "stats", "--year", "2025", "--json", data_dir=data_dir).json()
    by_code = {target["code"]: target for target in shown["targets"]}
    assert set(shown["targets"][0]) >= {"code", "name", "target", "actual", "met"}
    # the demo's 2025, counted by hand: 51/54 recognised, 47/54 Khá or above, 3 models Khá or above
    assert by_code["recognized_pct"]["actual"] == round(100 * 51 / 54, 2)
    assert by_code["kha_or_above_pct"]["actual"] == round(100 * 47 / 54, 2)
    assert by_code["models_kha_or_above"] == {**by_code["models_kha_or_above"], "actual": 3, "met": True}
    text = antq("--db", str(full_demo_db_path), "stats", "--year", "2025", data_dir=data_dir).out
    assert text.splitlines()[-1].startswith("Chỉ tiêu năm 2025: ")


def test_budget_without_a_year_is_a_usage_error(full_demo_db_path, data_dir):
    done = antq("--db", str(full_demo_db_path), "budget", "show", data_dir=data_dir)
    assert done.code == 2 and "--year" in done.err
