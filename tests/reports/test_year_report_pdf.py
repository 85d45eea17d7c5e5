"""The report sent upward, rendered and read back: frame, trích yếu, every heading, the tables, the signature."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.db.engine import open_database
from antq_desktop.reports import frame
from antq_desktop.reports.year_report import (
    Percent,
    ReportPart,
    ReportTable,
    YearReportDocument,
    render_year_report,
)
from antq_desktop.services import year_report as service
from antq_desktop.services.year_report import HALF, YEAR, ReportInput
from tests.reports.report_samples import POLICE
from tests.reports.test_award_list import CHIEF

WARD = 1
TODAY = date(2026, 1, 10)


@pytest.fixture(scope="module")
def demo_pdfs(full_demo_template, tmp_path_factory):
    """The demo's 2025 report and its six-month sơ kết (the template is only read)."""
    folder = tmp_path_factory.mktemp("year-report")
    db = open_database(full_demo_template)
    try:
        with db.reading() as session:
            for period in (YEAR, HALF):
                (folder / f"{period}.pdf").write_bytes(service.report_pdf(session, WARD, 2025, period, TODAY))
            outline = service.outline(2025, YEAR)
    finally:
        db.close()
    return folder, outline


def test_the_year_report_reads_back(demo_pdfs, pdf):
    folder, outline = demo_pdfs
    path = folder / f"{YEAR}.pdf"
    assert pdf.page_size(path) == (595, 842)   # portrait: the tables fit at 11 pt
    assert all(emb == "yes" for _name, emb in pdf.fonts(path))
    first = pdf.page_text(path, 1)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first   # the Quốc hiệu on one line
    text = pdf.flat(pdf.text(path, layout=False))
    for phrase in (
        "CÔNG AN TỈNH TUYÊN QUANG", "CÔNG AN PHƯỜNG MINH XUÂN", "/BC-CAP", "BÁO CÁO",
        ("Kết quả thực hiện công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025 và phương hướng, "
        "nhiệm vụ năm 2026"),
        "Kính gửi: Ủy ban nhân dân tỉnh Tuyên Quang (qua Công an tỉnh Tuyên Quang).",
        "Công an phường Minh Xuân báo cáo kết quả thực hiện năm 2025 như sau:", "II. KẾT QUẢ THỰC HIỆN",
        *(spec.heading for spec in outline),
        "Bảng 1. Kết quả tuyên truyền năm 2025", "Tổng cộng 40 32.583", "Hội nghị 10 953",
        "Tổng cộng 54 54 19 28 7 0 87%", "Tổng cộng 30 101 99 98% 91 90,1%", "Tổng cộng 3 2",
        "Camera an ninh 2021 120 46", "Mô hình xếp loại Khá trở lên ≥ 2 3 Đạt",
        "Trên đây là báo cáo kết quả thực hiện công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025",
        "Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy",
    ):
        assert phrase in text, phrase
    assert "2.021" not in text   # years are never grouped
    assert pdf.info(path)["Title"].strip().startswith("Báo cáo số")
    assert not pdf.page_text(path, 1).lstrip().startswith("1")   # no number on page 1


def test_the_six_month_report_has_its_own_title_and_headings(demo_pdfs, pdf):
    folder, _outline = demo_pdfs
    text = pdf.flat(pdf.text(folder / f"{HALF}.pdf", layout=False))
    for phrase in ("Sơ kết 6 tháng đầu năm 2025 công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc",
                   "6 tháng cuối năm 2025", "(số liệu tính đến ngày 10/01/2026)", "III. ĐÁNH GIÁ",
                   "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2025"):
        assert phrase in text, phrase
    assert "ĐÁNH GIÁ CHUNG" not in text


def test_what_is_typed_prints_before_it_is_saved(full_demo_db_path, pdf, tmp_path):
    db = open_database(full_demo_db_path)
    try:
        with db.reading() as session:
            typed = service.get_report(session, WARD, 2025, YEAR, TODAY).as_input()
            data = ReportInput("7", date(2025, 12, 22), "Công an tỉnh Tuyên Quang", "Thực hiện Kế hoạch số 15/KH-UBND",
                               {**typed.sections, "de_xuat": "Đề nghị cấp thẻ cho Tổ bảo vệ an ninh, trật tự."})
            path = tmp_path / "typed.pdf"
            path.write_bytes(service.report_pdf(session, WARD, 2025, YEAR, TODAY, data))
    finally:
        db.close()
    text = pdf.flat(pdf.text(path, layout=False))
    for phrase in ("Số: 07/BC-CAP", "Minh Xuân, ngày 22 tháng 12 năm 2025", "Kính gửi: Công an tỉnh Tuyên Quang.",
                   "Thực hiện Kế hoạch số 15/KH-UBND, Công an phường Minh Xuân báo cáo",
                   "Đề nghị cấp thẻ cho Tổ bảo vệ an ninh, trật tự."):
        assert phrase in text, phrase


def test_a_long_table_repeats_its_header_on_the_next_page(pdf, tmp_path):
    columns = (frame.Column("Loại đơn vị", 40, "LEFT"), frame.Column("Tổng số", 20, "CENTER"),
               frame.Column("Tỷ lệ %", 20, "CENTER"))
    rows = tuple((f"Tổ dân phố {n}", n, Percent(100 * n / 90)) for n in range(1, 91)) + (("Tổng cộng", 4095, None),)
    report = YearReportDocument(
        issuer=POLICE, number="", symbol="BC-CAP", issued_on=None, year=2025, subject="Kết quả năm 2025",
        recipient="Công an tỉnh Tuyên Quang", opening="Công an phường Minh Xuân báo cáo kết quả như sau:",
        parts=(ReportPart("I. ĐẶC ĐIỂM TÌNH HÌNH", 1, "Đoạn một.\nĐoạn hai.",
                          (ReportTable("dai", "Một bảng dài", "Bảng dài", columns, rows),)),),
        closing="Trên đây là báo cáo./.", signer=CHIEF, recipients=("- Lưu: VT.",))
    path = tmp_path / "long.pdf"
    pages = render_year_report(report, path)
    assert pages >= 3
    second = pdf.page_text(path, 2).split()
    assert second[0] == "2" and " ".join(second[1:9]) == "Loại đơn vị Tổng số Tỷ lệ %"
    assert "Bảng 1. Một bảng dài" in pdf.page_text(path, 1)   # the table starts where the text ends
    text = pdf.flat(pdf.text(path, layout=False))
    assert "Bảng 1. Một bảng dài" in text and "Tổng cộng 4.095 —" in text and "Tổ dân phố 90 90 100%" in text
    assert "Tổ dân phố 3 3 3,3%" in text
