"""The ND30 frame on its own: fixed lines, landscape pages, numbering, and the layer rule."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

from antq_desktop.reports import frame
from tests.reports.report_samples import CHAIRMAN, ISSUER


def test_number_and_date_lines():
    assert frame.number_line("7", "QĐ-UBND") == "Số: 07/QĐ-UBND"
    assert frame.number_line("1970", "QĐ-UBND") == "Số: 1970/QĐ-UBND"      # never grouped
    assert frame.number_line("", "QĐ-UBND").startswith("Số: \u00a0")
    assert frame.date_line("Minh Xuân", date(2026, 2, 28), 2026) == "Minh Xuân, ngày 28 tháng 02 năm 2026"
    assert frame.date_line("minh Xuân", date(2026, 8, 23), 2026) == "Minh Xuân, ngày 23 tháng 8 năm 2026"
    blank = frame.date_line("Minh Xuân", None, 2026)
    assert blank.startswith("Minh Xuân, ngày\u00a0") and blank.endswith("năm 2026")
    assert frame.TIEU_NGU == "Độc lập - Tự do - Hạnh phúc" and "\u2013" not in frame.TIEU_NGU


def test_landscape_report_with_a_table_and_restarted_numbering(pdf_dir, pdf):
    rows = [(str(i), f"Tổ dân phố {i}", "Khu dân cư") for i in range(1, 120)]
    columns = [frame.Column("TT", 1, "CENTER"), frame.Column("Tên", 5), frame.Column("Loại", 3)]
    story = [frame.header_block(ISSUER, "3", "BC-UBND", date(2026, 12, 1), 2026),
             *frame.title_block("BÁO CÁO", "Kết quả thực hiện phong trào năm 2026"),
             *frame.body_block(["Đoạn văn mở đầu."]),
             frame.table_block(columns, [frame.GroupRow("I. KHU DÂN CƯ"), *rows], landscape=True),
             frame.signature_block(CHAIRMAN, ["- Lưu: VT."], landscape=True),
             frame.PageBreak(), frame.RestartPageNumbers(), *frame.body_block(["Phụ lục."])]
    path = pdf_dir / "landscape.pdf"
    pages = frame.build_pdf(path, story, landscape=True, title="Báo cáo")
    assert pdf.page_size(path) == (842, 595)
    assert pages == pdf.page_count(path) >= 4
    lines = [line.strip() for line in pdf.page_text(path, 2).splitlines() if line.strip()]
    assert lines[0] == "2" and "Tên" in lines[1]
    # The phụ lục after RestartPageNumbers is its own page 1: no number on it.
    last = [line.strip() for line in pdf.page_text(path, pages).splitlines() if line.strip()]
    assert last == ["Phụ lục."]


_CHECK = """
import json, sys, importlib, pkgutil
import antq_desktop.reports as package
for info in pkgutil.walk_packages(package.__path__, prefix="antq_desktop.reports."):
    importlib.import_module(info.name)
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


def test_reports_import_neither_qt_nor_sqlalchemy():
    loaded = json.loads(subprocess.run([sys.executable, "-c", _CHECK], capture_output=True, check=True,
                                       timeout=120).stdout)
    assert "PySide6" not in loaded and "sqlalchemy" not in loaded
