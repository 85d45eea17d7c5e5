"""The list of awards, rendered and read back: title, table, groups, pages, the service's bytes."""

from __future__ import annotations

import io
import unicodedata
from datetime import date

from pypdf import PdfReader

from antq_desktop.reports.award_list import (
    AwardList,
    ListedAward,
    list_title,
    render_award_list,
)
from antq_desktop.reports.data import Signer
from antq_desktop.services import awards
from antq_desktop.services import security_models as sm
from tests.reports.report_samples import POLICE
from tests.services.antt_helpers import AnttWard
from tests.services.test_awards import clear_models_and_awards

CHIEF = Signer(authority=None, title="TRƯỞNG CÔNG AN PHƯỜNG", name="Nguyễn Đức Huy")
UNIT = ListedAward("Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)", "Giấy khen", "Chủ tịch UBND phường Minh Xuân", "180/QĐ-UBND ngày 20/12/2025",
                   "Mô hình \u201cCamera an ninh\u201d được xếp loại Tốt năm 2025")
PERSON = ListedAward("Hoàng Thị Lan, Nguyên Trưởng ban Công tác Mặt trận tổ dân phố 8",
                     "Kỷ niệm chương \u201cBảo vệ an ninh Tổ quốc\u201d", "Bộ trưởng Bộ Công an",
                     "8765/QĐ-BCA ngày 19/08/2025", "Có nhiều đóng góp cho sự nghiệp bảo vệ an ninh Tổ quốc",
                     to_person=True)


def _list(awards_: tuple[ListedAward, ...], proposal: bool = False) -> AwardList:
    return AwardList(issuer=POLICE, year=2025, proposal=proposal, issued_on=date(2025, 12, 22), awards=awards_,
                     signer=CHIEF, recipients=("- Lưu: VT.",))


def test_the_list_of_awards_reads_back(pdf_dir, pdf):
    path = pdf_dir / "awards.pdf"
    data = _list((UNIT, PERSON))
    assert render_award_list(data, path) == pdf.page_count(path)
    assert pdf.page_size(path) == (842, 595)   # six columns: landscape
    assert all(emb == "yes" for _name, emb in pdf.fonts(path))
    text = pdf.flat(pdf.text(path, layout=False))
    for phrase in ("CÔNG AN PHƯỜNG MINH XUÂN", "Minh Xuân, ngày 22 tháng 12 năm 2025", "DANH SÁCH",
                   "Khen thưởng trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025",
                   "Tổng số: 1 tập thể và 1 cá nhân, cụ thể như sau:",
                   "TT Tên đơn vị, cá nhân Hình thức Cấp khen Số, ngày quyết định Thành tích",
                   "I. TẬP THỂ (1)", "II. CÁ NHÂN (1)", "Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)", "180/QĐ-UBND ngày 20/12/2025",
                   "Kỷ niệm chương \u201cBảo vệ an ninh Tổ quốc\u201d", "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy"):
        assert phrase in text, phrase
    assert "Đề nghị" not in text
    assert list_title(data) == "Danh sách khen thưởng năm 2025"
    assert pdf.info(path)["Title"].strip() == "Danh sách khen thưởng năm 2025"


def test_a_proposal_and_an_empty_list(pdf_dir, pdf):
    path = pdf_dir / "proposal.pdf"
    render_award_list(_list((PERSON,), proposal=True), path)
    text = pdf.flat(pdf.text(path, layout=False))
    assert "Đề nghị khen thưởng trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025" in text
    assert "Tổng số: 1 cá nhân" in text and "I. CÁ NHÂN (1)" in text and "TẬP THỂ" not in text
    empty = pdf_dir / "empty.pdf"
    render_award_list(_list((), proposal=True), empty)
    assert "Năm 2025 chưa có khen thưởng nào." in pdf.flat(pdf.text(empty, layout=False))


def test_a_long_list_runs_over_pages_with_the_header_repeated(pdf_dir, pdf):
    path = pdf_dir / "long.pdf"
    many = tuple(ListedAward(f"Tổ dân phố {n}", "Giấy khen", "Chủ tịch UBND phường Minh Xuân", "", "Xuất sắc")
                 for n in range(1, 61))
    pages = render_award_list(_list(many), path)
    assert pages >= 3
    second = [line.strip() for line in pdf.page_text(path, 2).splitlines() if line.strip()]
    assert second[0] == "2" and second[1].startswith("TT")
    assert "I. TẬP THỂ (60)" in pdf.page_text(path, 1)


def test_the_services_pdf_of_the_demo_year(demo_db):
    clear_models_and_awards(demo_db)
    ward = AnttWard(demo_db)
    ward.ward_call(sm.add_demo_models, 2025, "kiểm thử")
    ward.ward_call(awards.add_demo_awards, 2025, "kiểm thử")
    listed = [award.recipient for award in ward.ward_call(awards.award_list, 2025).awards if not award.to_person]
    assert listed == ["Mô hình \u201cCamera an ninh\u201d (Tổ dân phố 5)",
                      "Mô hình \u201cTổ tự quản về an ninh, trật tự tổ dân phố 3\u201d (Tổ dân phố 3)", "Tổ dân phố 7"]
    data = ward.ward_call(awards.award_list_pdf, 2025)
    text = unicodedata.normalize("NFC", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages))
    flat = " ".join(text.split())
    assert "Khen thưởng trong phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025" in flat
    assert "I. TẬP THỂ (3)" in flat and "II. CÁ NHÂN (2)" in flat
    assert "Camera an ninh" in flat and "Nguyễn Văn Hùng" in flat and "1526/QĐ-CAT" in flat
