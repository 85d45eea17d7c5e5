"""The classification papers rendered for real from a scored demo ward and read back with poppler:
the Quyết định phân loại with its list by level, the Tờ trình, the Thống kê danh sách chấm điểm."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from antq_desktop.domain.classification import points_text
from antq_desktop.domain.units import UnitKind
from antq_desktop.reports.classification_decision import render_classification_decision
from antq_desktop.reports.classification_proposal import render_classification_proposal
from antq_desktop.reports.frame import QUOC_HIEU, TIEU_NGU
from antq_desktop.reports.score_list import render_score_list
from antq_desktop.services import (
    classification,
    classification_decision,
    classification_documents,
)
from tests.services.test_classification_decision import (
    ACTOR,
    EXPECTED,
    TOTALS,
    YEAR,
    call,
    draft_and_issue,
    score,
)

A4_PORTRAIT, A4_LANDSCAPE = (595, 842), (842, 595)


def _one_line(pdf, path: Path, page: int, phrase: str) -> bool:
    """``phrase`` stands on one line of ``page``: its words found in a row, on one baseline."""
    found = pdf.find_words(pdf.words(path, page), phrase)
    return bool(found) and len({round(word.y1) for word in found}) == 1


def _common_checks(pdf, path: Path, size: tuple[int, int]) -> None:
    assert _one_line(pdf, path, 1, QUOC_HIEU)
    assert _one_line(pdf, path, 1, TIEU_NGU)
    assert all(embedded == "yes" for _, embedded in pdf.fonts(path))
    assert pdf.page_size(path) == size


@pytest.fixture
def scored(demo_db):
    score(demo_db, TOTALS)
    return demo_db


def test_points_are_printed_the_vietnamese_way():
    from decimal import Decimal

    assert [points_text(Decimal(value)) for value in ("87.5", "90", "90.00", "69.99", "0")] == [
        "87,5", "90", "90", "69,99", "0"]
    assert points_text(None) == ""


def test_the_decision_and_its_list_by_level(scored, pdf, tmp_path):
    decision_id = draft_and_issue(scored)
    path = tmp_path / "quyet-dinh.pdf"
    render_classification_decision(call(scored, classification_decision.classification_document, decision_id), path)
    _common_checks(pdf, path, A4_PORTRAIT)
    first = pdf.flat(pdf.page_text(path, 1))
    assert "Số: 125/QĐ-UBND" in first and "Minh Xuân, ngày 25 tháng 11 năm 2026" in first
    assert ("Về việc phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026 đối với khu dân cư, cơ quan, "
            "doanh nghiệp, cơ sở giáo dục") in first
    assert "Căn cứ Quyết định số 510/QĐ-BCA-V05 ngày 20 tháng 01 năm 2022" in first
    text = pdf.flat(pdf.text(path))
    assert ("gồm: 3 đơn vị xếp loại Xuất sắc, 2 đơn vị xếp loại Khá, 1 đơn vị xếp loại Trung bình, 1 đơn vị xếp "
            "loại Yếu (có danh sách kèm theo)") in text
    assert "Hoàng Văn Thắng" in text
    listing = pdf.flat(pdf.text(path, first=2, layout=False))
    assert "(Kèm theo Quyết định số 125/QĐ-UBND ngày 25 tháng 11 năm 2026 của Chủ tịch Ủy ban nhân dân phường " \
           "Minh Xuân)" in listing
    expected_rows = [f"{number} {name} {points_text(points)} {level}"
                     for number, (name, level, points) in enumerate(EXPECTED, start=1)]
    headings = ["I. XẾP LOẠI XUẤT SẮC (3)", "II. XẾP LOẠI KHÁ (2)", "III. XẾP LOẠI TRUNG BÌNH (1)",
                "IV. XẾP LOẠI YẾU (1)"]
    order = [listing.index(part) for part in [headings[0], *expected_rows[:3], headings[1], *expected_rows[3:5],
                                              headings[2], expected_rows[5], headings[3], expected_rows[6]]]
    assert order == sorted(order)
    assert "4 Tổ dân phố 2 87,5 Khá" in listing


def test_a_long_list_repeats_its_header_and_numbers_every_unit(demo_db, pdf, tmp_path):
    with demo_db.reading() as session:
        names = [row.name for kind in UnitKind
                 for row in classification.year_grid(session, 1, YEAR, kind.value).rows]
    score(demo_db, {name: str(40 + (7 * number) % 60) for number, name in enumerate(names)})
    path = tmp_path / "quyet-dinh.pdf"
    with demo_db.reading() as session:
        decision_id = classification_decision.draft_decision(session, 1, YEAR, ACTOR)
        render_classification_decision(classification_decision.classification_document(session, decision_id), path)
    pages = pdf.page_count(path)
    assert pages >= 3
    for page in range(2, pages + 1):
        assert pdf.find_words(pdf.words(path, page), "TT Đơn vị Điểm Xếp loại"), page
    with demo_db.reading() as session:
        results = classification_decision.ordered_results(session, 1, YEAR)
    assert len(results) == len(names) == 54
    listing = pdf.flat(pdf.text(path, first=2, layout=False))
    positions = [listing.index(f"{number} {result.name} {points_text(result.total)} {result.level.label}")
                 for number, result in enumerate(results, start=1)]
    assert positions == sorted(positions)
    assert "Số: 01/QĐ-UBND" in pdf.flat(pdf.page_text(path, 1))  # the draft's suggested number


def test_the_proposal_with_the_counts_per_level_and_kind(scored, pdf, tmp_path):
    path = tmp_path / "to-trinh.pdf"
    render_classification_proposal(call(scored, classification_documents.classification_proposal, 1, YEAR), path)
    _common_checks(pdf, path, A4_PORTRAIT)
    text = pdf.flat(pdf.text(path))
    assert "TỜ TRÌNH" in text and "CÔNG AN PHƯỜNG MINH XUÂN" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Minh Xuân." in text
    assert "đã chấm điểm 7/54 đơn vị" in text
    table = pdf.flat(pdf.text(path, layout=False))
    for row in ("Khu dân cư 20 3 1 1 0 1", "Cơ quan 14 2 1 1 0 0", "Doanh nghiệp 16 1 0 0 1 0",
                "Cơ sở giáo dục 4 1 1 0 0 0", "Tổng cộng 54 7 3 2 1 1"):
        assert row in table, row
    assert "Số đơn vị xếp loại Khá trở lên: 5 đơn vị, đạt 71,4%." in text
    assert ("gồm: 3 đơn vị xếp loại Xuất sắc, 2 đơn vị xếp loại Khá, 1 đơn vị xếp loại Trung bình, 1 đơn vị xếp "
            "loại Yếu (có Thống kê danh sách chấm điểm, mức đề xuất đánh giá, phân loại kèm theo)") in text
    assert "TRƯỞNG CÔNG AN PHƯỜNG" in text and "Nguyễn Đức Huy" in text


def test_the_score_list_is_landscape_by_kind_with_both_scores(scored, pdf, tmp_path):
    score(scored, {"Tổ dân phố 2": "90.5"}, column="self")
    path = tmp_path / "thong-ke.pdf"
    render_score_list(call(scored, classification_documents.score_list, 1, YEAR, today=date(2026, 11, 20)), path)
    _common_checks(pdf, path, A4_LANDSCAPE)
    text = pdf.flat(pdf.text(path, layout=False))
    assert "THỐNG KÊ" in text and "Minh Xuân, ngày 20 tháng 11 năm 2026" in text
    assert "Danh sách chấm điểm, mức đề xuất đánh giá, phân loại" in text
    assert "còn 47 đơn vị thuộc diện đánh giá chưa được chấm điểm" in text
    for heading in ("I. KHU DÂN CƯ (3)", "II. CƠ QUAN (2)", "III. DOANH NGHIỆP (1)", "IV. CƠ SỞ GIÁO DỤC (1)"):
        assert heading in text, heading
    assert "Tổ dân phố 2 90,5 87,5 Khá Khá" in text
    assert "Công ty Cổ phần Bê tông Ánh Sáng 69,99 Trung bình Trung bình" in text
