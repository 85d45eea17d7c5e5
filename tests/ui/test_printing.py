"""What reaches the printer: every page, each on A4 in its own orientation."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from antq_desktop.reports.certificate import render_certificates
from antq_desktop.reports.data import Certificate, Issuer, Signer
from antq_desktop.ui.pdf_preview import paint_pages, rendered


def test_certificates_reach_the_printer_landscape_one_per_page(qtbot, tmp_path):
    certificate = Certificate(
        issuer=Issuer(None, "ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN", "Minh Xuân"),
        deciding_authority="CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN", unit_name="Tổ dân phố 7",
        achievement="Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026", decision_ref="(Quyết định số 125)",
        issued_on=date(2026, 11, 14), signer=Signer(None, "CHỦ TỊCH", "Hoàng Văn Thắng"),
    )
    pdf = rendered(lambda data, out: render_certificates(data, out), [certificate] * 3)
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)  # a PDF "printer" stands in for paper
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    paint_pages(printer, pdf)
    pages = PdfReader(tmp_path / "printed.pdf").pages
    assert len(pages) == 3
    for page in pages:
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert width > height and abs(width - 842) < 2 and abs(height - 595) < 2
