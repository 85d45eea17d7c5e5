"""The budget estimate, rendered and read back: header, title, groups with their numerals and
subtotals, lines, the total in figures and words, pages, orientation."""

from __future__ import annotations

from antq_desktop.domain.vntext import amount_in_words
from antq_desktop.reports.budget import (
    BudgetEstimate,
    BudgetItem,
    BudgetSection,
    estimate_title,
    render_budget,
)
from antq_desktop.reports.frame import QUOC_HIEU
from antq_desktop.services import budget
from tests.reports.report_samples import CHAIRMAN, ISSUER
from tests.services.antt_helpers import ACTOR, YEAR, AnttWard

REFERENCE = "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân phường Minh Xuân)"
SECTIONS = (
    BudgetSection("Tuyên truyền, phổ biến", (
        BudgetItem("In tờ rơi tuyên truyền", 3_000_000, "tờ", 2000, 1500, "Cấp cho 12 tổ dân phố"),
        BudgetItem("Pa nô, khẩu hiệu", 5_100_000, "bộ", 6, 850_000)), 8_100_000),
    BudgetSection("Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d", (
        BudgetItem("Trang trí khánh tiết, âm thanh", 4_500_000, "trọn gói", detail="Khoán gọn"),), 4_500_000),
)


def _estimate(sections=SECTIONS, **more) -> BudgetEstimate:
    total = sum(section.subtotal for section in sections)
    return BudgetEstimate(issuer=ISSUER, year=2026,
                          subtitle="Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026",
                          reference=REFERENCE, sections=sections, total=total, total_in_words=amount_in_words(total),
                          **more)


def test_the_estimate_reads_back(pdf_dir, pdf):
    path = pdf_dir / "budget.pdf"
    data = _estimate()
    assert render_budget(data, path) == pdf.page_count(path) == 1
    assert pdf.page_size(path) == (595, 842)   # portrait
    assert all(emb == "yes" for _name, emb in pdf.fonts(path))
    text = pdf.flat(pdf.text(path, layout=False))
    for phrase in ("ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN", QUOC_HIEU, "Độc lập - Tự do - Hạnh phúc",
                   "Minh Xuân, ngày", "năm 2026", "DỰ TRÙ KINH PHÍ",
                   "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026", REFERENCE,
                   "TT Nội dung Đơn vị tính Số lượng Đơn giá (đồng) Thành tiền (đồng) Ghi chú",
                   "(1) (2) (3) (4) (5) (6) = (4) × (5) (7)",
                   "I Tuyên truyền, phổ biến 8.100.000",
                   "1 In tờ rơi tuyên truyền tờ 2.000 1.500 3.000.000 Cấp cho 12 tổ dân phố",
                   "2 Pa nô, khẩu hiệu bộ 6 850.000 5.100.000",
                   "II Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d 4.500.000",
                   "1 Trang trí khánh tiết, âm thanh trọn gói 4.500.000 Khoán gọn",
                   "TỔNG CỘNG 12.600.000", "(Bằng chữ: Mười hai triệu sáu trăm nghìn đồng)"):
        assert phrase in text, phrase
    assert "CHỦ TỊCH" not in text   # an annex is signed with its plan
    assert pdf.info(path)["Title"].strip() == estimate_title(data) == "Dự trù kinh phí năm 2026"


def test_quoc_hieu_on_one_line_and_numbers_right_aligned(pdf_dir, pdf):
    path = pdf_dir / "budget-layout.pdf"
    render_budget(_estimate(), path)
    words = pdf.words(path, 1)
    quoc_hieu = pdf.find_words(words, QUOC_HIEU)
    assert quoc_hieu and len({round(w.y0) for w in quoc_hieu}) == 1
    amounts = [pdf.find_words(words, value)[0] for value in ("3.000.000", "5.100.000", "8.100.000", "12.600.000")]
    assert max(w.x1 for w in amounts) - min(w.x1 for w in amounts) < 1   # one right edge
    in_words = pdf.find_words(words, "(Bằng chữ:")
    assert in_words and in_words[0].y0 > amounts[-1].y1   # under the table


def test_a_signed_estimate_and_an_empty_one(pdf_dir, pdf):
    signed = pdf_dir / "budget-signed.pdf"
    render_budget(_estimate(signer=CHAIRMAN, recipients=("- Lưu: VT.",)), signed)
    text = pdf.flat(pdf.text(signed, layout=False))
    assert "CHỦ TỊCH" in text and "Hoàng Văn Thắng" in text and "Nơi nhận:" in text
    empty = pdf_dir / "budget-empty.pdf"
    render_budget(_estimate(()), empty)
    text = pdf.flat(pdf.text(empty, layout=False))
    assert "Chưa có khoản chi nào." in text and "TỔNG CỘNG 0" in text and "(Bằng chữ: Không đồng)" in text


def test_a_long_estimate_repeats_its_header_and_keeps_the_total_with_a_line(pdf_dir, pdf):
    path = pdf_dir / "budget-long.pdf"
    sections = tuple(BudgetSection(f"Nhóm {n}", tuple(BudgetItem(f"Khoản chi {n}.{k}", 100_000, "lần", 1, 100_000)
                                                      for k in range(1, 9)), 800_000) for n in range(1, 9))
    pages = render_budget(_estimate(sections), path)
    assert pages >= 3
    assert pdf.page_text(path, 2).split()[0] == "2"   # the page number, then the repeated heading rows
    assert pdf.flat(pdf.page_text(path, 2, layout=False)).startswith(
        "TT Nội dung Đơn vị tính Số lượng Đơn giá (đồng) Thành tiền (đồng) Ghi chú (1) (2) (3) (4) (5)")
    last = pdf.flat(pdf.page_text(path, pages, layout=False))
    assert "Khoản chi 8.8" in last and "TỔNG CỘNG 6.400.000" in last and "Sáu triệu bốn trăm nghìn đồng" in last
    assert "VIII Nhóm 8 800.000" in pdf.flat(pdf.text(path, layout=False))


def test_amounts_too_wide_for_portrait_turn_the_page(pdf_dir, pdf):
    path = pdf_dir / "budget-wide.pdf"
    huge = (BudgetSection("Đầu tư", (BudgetItem("Hạ tầng", 900_000_000_000_000, "gói"),), 900_000_000_000_000),)
    render_budget(_estimate(huge), path)
    assert pdf.page_size(path) == (842, 595)
    assert "900.000.000.000.000" in pdf.text(path, layout=False)


def test_the_services_pdf_of_the_demo_year(demo_db, tmp_path, pdf):
    ward = AnttWard(demo_db)
    ward.ward_call(budget.add_demo_budget, YEAR, ACTOR)
    path = tmp_path / "du-tru.pdf"
    path.write_bytes(ward.ward_call(budget.budget_pdf, YEAR))
    text = pdf.flat(pdf.text(path, layout=False))
    for phrase in ("ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN", "DỰ TRÙ KINH PHÍ", "/KH-UBND",
                   "của Ủy ban nhân dân phường Minh Xuân)", "IV Sơ kết, tổng kết, khen thưởng phong trào 13.000.000",
                   "TỔNG CỘNG 48.000.000", "(Bằng chữ: Bốn mươi tám triệu đồng)"):
        assert phrase in text, phrase
