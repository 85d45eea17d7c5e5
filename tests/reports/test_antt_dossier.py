"""The papers of the ANTT dossier, rendered for real and read back with poppler.

Bản đăng ký, Biên bản họp đánh giá, Tờ trình with its list, and the list of units not
registered or not meeting the standard; the data are plain samples of phường Minh Xuân with
the real criteria of the catalogue in force in 2026.
"""

from __future__ import annotations

import dataclasses
import io
import re
import subprocess
import unicodedata
from datetime import date

import pytest

from antq_desktop.domain.criteria import catalogue_by_code
from antq_desktop.reports.data import (
    Issuer,
    ListedUnit,
    MinutesCriterion,
    MinutesPoint,
    OutstandingList,
    OutstandingUnit,
    Proposal,
    RegistrationForm,
    ReviewMinutes,
    Signer,
)
from antq_desktop.reports.frame import QUOC_HIEU, TIEU_NGU
from antq_desktop.reports.proposal import render_proposal
from antq_desktop.reports.registration_form import render_registration_form
from antq_desktop.reports.review_minutes import render_review_minutes
from antq_desktop.reports.unit_list import render_outstanding_list
from tests.reports.report_samples import LONG_NAME, POLICE

MM = 72 / 25.4
STANDARD = "“An toàn về an ninh, trật tự”"
CATALOGUE = catalogue_by_code("tt124-2021-sua-doi-tt48-2025")
KDC = CATALOGUE.criteria("kdc")
TDP = Issuer(parent="PHƯỜNG MINH XUÂN", name="TỔ DÂN PHỐ 7", place="Minh Xuân")
HEAD = Signer(None, "TỔ TRƯỞNG TỔ DÂN PHỐ", "Nguyễn Văn Hùng")
CHIEF = Signer(None, "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy")
ATTENDEES = ("Bí thư chi bộ: Nguyễn Văn Bình", "Trưởng Ban công tác Mặt trận: Lê Thị Lan",
             "Cảnh sát khu vực: Đại úy Trần Quang Hải", "Chi hội trưởng Chi hội Phụ nữ: Phạm Thị Hương")


def registration(**changes) -> RegistrationForm:
    form = RegistrationForm(
        issuer=TDP, registered_on=date(2026, 2, 20), year=2026, unit_name="Tổ dân phố 7", kind_label="Khu dân cư",
        addressee="Ủy ban nhân dân phường Minh Xuân", legal_basis=CATALOGUE.title,
        criteria=tuple(criterion.title for criterion in KDC), signer=HEAD,
        recipients=("- Như trên;", "- Công an phường Minh Xuân;", "- Lưu."),
        is_residential=True, households_registered=205, households_total=210,
    )
    return dataclasses.replace(form, **changes)


def minutes(failing=("1c", "4b"), unanswered=(), **changes) -> ReviewMinutes:
    evidence = {"1a": "Nghị quyết số 02-NQ/CB ngày 15/01/2026 của Chi bộ",
                "4b": "Vụ việc ngày 03/05/2026: Cướp tài sản (rất nghiêm trọng)"}
    criteria = tuple(
        MinutesCriterion(criterion.number, criterion.title, tuple(
            MinutesPoint(point.code, point.text, None if point.code in unanswered else point.code not in failing,
                         evidence.get(point.code, ""), "Còn 12 hộ chưa đăng ký" if point.code == "1c" else "")
            for point in criterion.points))
        for criterion in KDC
    )
    data = ReviewMinutes(
        issuer=TDP, year=2026, unit_name="Tổ dân phố 7", kind_label="Khu dân cư", meeting_on=date(2026, 10, 20),
        place="Nhà văn hóa tổ dân phố 7", chair="Nguyễn Văn Hùng, Tổ trưởng tổ dân phố", chair_name="Nguyễn Văn Hùng",
        secretary="", attendees=ATTENDEES, period=(date(2025, 11, 1), date(2026, 10, 31)),
        legal_basis=CATALOGUE.title, criteria=criteria, addressee="Ủy ban nhân dân phường Minh Xuân",
        recipients=("- Công an phường Minh Xuân;", "- Lưu."),
    )
    return dataclasses.replace(data, **changes)


PROPOSED = (
    ListedUnit("Tổ dân phố 2", "Khu dân cư", "Khu vực đường Bình Thuận, phường Minh Xuân, tỉnh Tuyên Quang"),
    ListedUnit("Tổ dân phố 10", "Khu dân cư", "Khu vực đường Tân Trào, phường Minh Xuân, tỉnh Tuyên Quang"),
    ListedUnit("Ủy ban nhân dân phường Minh Xuân", "Cơ quan", "Số 132, đường Bình Thuận, phường Minh Xuân"),
    ListedUnit("Công ty Cổ phần Xi măng Tân Quang", "Doanh nghiệp", "Số 184, đường Nguyễn Trãi, phường Minh Xuân"),
    ListedUnit(LONG_NAME, "Doanh nghiệp", "Số 7, đường Lê Duẩn, phường Minh Xuân"),
    ListedUnit("Trường THPT Tân Trào", "Cơ sở giáo dục", "Số 122, đường 17/8, phường Minh Xuân"),
)


def proposal(**changes) -> Proposal:
    data = Proposal(
        issuer=POLICE, number="", symbol="TTr-CAP", issued_on=None, year=2026, proposer="Công an phường Minh Xuân",
        addressee="Chủ tịch Ủy ban nhân dân phường Minh Xuân", ward_title="phường Minh Xuân",
        bases=(("Căn cứ Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021 của Bộ trưởng Bộ Công an quy định "
                f"khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn {STANDARD};"),
               ("Căn cứ kết quả họp đánh giá, hồ sơ đề nghị công nhận của các khu dân cư, cơ quan, doanh nghiệp, "
                "cơ sở giáo dục trên địa bàn phường Minh Xuân.")),
        eligible=54, registered=52, assessed=9, met_criteria=7, units=PROPOSED, signer=CHIEF,
        recipients=("- Như trên;", "- Lưu: VT."),
    )
    return dataclasses.replace(data, **changes)


def _reasons(*codes: str) -> tuple[str, ...]:
    return tuple(f"{code}: {CATALOGUE.point('kdc', code).text}" for code in codes)


def outstanding(unregistered: int = 6, **changes) -> OutstandingList:
    names = [(f"Tổ dân phố {n}", "Khu dân cư") for n in range(11, 11 + unregistered)]
    names += [("Trường THCS Phan Thiết", "Cơ sở giáo dục"), ("Khách sạn Mường Thanh Tuyên Quang", "Doanh nghiệp")]
    data = OutstandingList(
        issuer=POLICE, issued_on=date(2026, 11, 20), year=2026,
        unregistered=tuple(OutstandingUnit(name, kind) for name, kind in names),
        not_passed=(OutstandingUnit("Tổ dân phố 5", "Khu dân cư", _reasons("1c", "4b", "5a")),
                    OutstandingUnit("Tổ dân phố 6", "Khu dân cư", _reasons("1a"))),
        signer=CHIEF, recipients=("- Chủ tịch UBND phường Minh Xuân (để b/c);", "- Lưu: VT."),
    )
    return dataclasses.replace(data, **changes)


@pytest.fixture(scope="module")
def rendered(pdf_dir):
    """Every document once, rendered from the samples above."""
    paths = {}
    for name, render, data in (
        ("registration", render_registration_form, registration()),
        ("minutes", render_review_minutes, minutes()),
        ("minutes-passed", render_review_minutes, minutes(failing=())),
        ("proposal", render_proposal, proposal()),
        ("outstanding", render_outstanding_list, outstanding()),
    ):
        paths[name] = pdf_dir / f"dossier-{name}.pdf"
        render(data, paths[name])
    return paths


def _text(pdf, path, first=1, last=None) -> str:
    return pdf.flat(pdf.text(path, layout=False, first=first, last=last))


# ---- every document ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["registration", "minutes", "minutes-passed", "proposal", "outstanding"])
def test_page_frame_of_every_document(rendered, pdf, name):
    path = rendered[name]
    assert pdf.page_size(path) == (595, 842)   # A4 portrait
    lines = [line.strip() for line in pdf.page_text(path, 1).splitlines()]
    # The Quốc hiệu never wraps: the whole formula stands on one line of the page.
    assert any(line.endswith(QUOC_HIEU) for line in lines)
    assert TIEU_NGU in pdf.page_text(path, 1)
    text = pdf.text(path)
    assert unicodedata.is_normalized("NFC", text)
    assert "\u2013" not in pdf.page_text(path, 1).split(TIEU_NGU)[0]   # no dash crept into the header
    fonts = pdf.fonts(path)
    assert fonts and all(emb == "yes" for _, emb in fonts), fonts
    assert all(font.split("+")[-1].startswith("LiberationSerif") for font, _ in fonts)


# ---- Bản đăng ký --------------------------------------------------------------------------------


def test_registration_form(rendered, pdf):
    path = rendered["registration"]
    assert pdf.page_count(path) == 1
    page = pdf.page_text(path, 1)
    assert "Minh Xuân, ngày 20 tháng 02 năm 2026" in page
    assert "Số:" not in page   # a khu dân cư keeps no number series
    text = _text(pdf, path)
    assert "PHƯỜNG MINH XUÂN TỔ DÂN PHỐ 7" in pdf.flat(page.replace(QUOC_HIEU, "").replace(TIEU_NGU, ""))
    assert f"BẢN ĐĂNG KÝ Phấn đấu đạt tiêu chuẩn {STANDARD} năm 2026" in text
    assert "Kính gửi: Ủy ban nhân dân phường Minh Xuân." in text
    assert f"Tổ dân phố 7 đăng ký phấn đấu đạt tiêu chuẩn {STANDARD} năm 2026" in text
    assert pdf.flat(CATALOGUE.title) in text
    for number, criterion in enumerate(KDC, start=1):
        assert f"Tiêu chí {number}: {criterion.title}{'.' if number == len(KDC) else ';'}" in text
    assert "205/210 hộ (đạt 97,6%)." in text
    assert "theo quy định./." in text
    for line in ("Nơi nhận:", "- Như trên;", "- Công an phường Minh Xuân;", "- Lưu.", "TỔ TRƯỞNG TỔ DÂN PHỐ",
                 "Nguyễn Văn Hùng"):
        assert line in text


def test_registration_form_blanks_and_other_kinds(pdf_dir, pdf):
    path = pdf_dir / "dossier-registration-blank.pdf"
    render_registration_form(registration(registered_on=None, households_registered=None), path)
    text = _text(pdf, path)
    assert re.search(r"Minh Xuân, ngày\s+tháng\s+năm 2026", text)
    assert re.search(r"\.{6,}/210 hộ\.", text)
    school = registration(issuer=Issuer("SỞ GIÁO DỤC VÀ ĐÀO TẠO", "TRƯỜNG THPT TÂN TRÀO", "Minh Xuân"),
                          unit_name="Trường THPT Tân Trào", kind_label="Cơ sở giáo dục", is_residential=False,
                          households_registered=None, households_total=None,
                          criteria=tuple(c.title for c in CATALOGUE.criteria("giao_duc")))
    path = pdf_dir / "dossier-registration-school.pdf"
    render_registration_form(school, path)
    text = _text(pdf, path)
    assert "hộ gia đình" not in text and "Tiêu chí 6: Các đầu mối trực thuộc." in text
    assert "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in text and "TRƯỜNG THPT TÂN TRÀO" in text


# ---- Biên bản họp đánh giá ----------------------------------------------------------------------


def test_minutes_opening(rendered, pdf):
    path = rendered["minutes"]
    text = _text(pdf, path)
    assert "BIÊN BẢN" in text
    assert f"Họp đánh giá, đề nghị công nhận đạt tiêu chuẩn {STANDARD} năm 2026" in text
    assert re.search(r"Thời gian bắt đầu: \.+ giờ \.+ phút, ngày 20 tháng 10 năm 2026\.", text)
    assert "Địa điểm: Nhà văn hóa tổ dân phố 7." in text
    assert "Chủ trì: Nguyễn Văn Hùng, Tổ trưởng tổ dân phố." in text
    assert re.search(r"Thư ký: \.{20,}", text)
    for n, attendee in enumerate(ATTENDEES, start=1):
        assert f"- {attendee}{'.' if n == len(ATTENDEES) else ';'}" in text
    assert "trong thời gian từ ngày 01/11/2025 đến ngày 31/10/2026" in text


def test_minutes_table_has_every_point_grouped_by_criterion(rendered, pdf):
    path = rendered["minutes"]
    assert pdf.page_count(path) >= 2
    text = _text(pdf, path)
    for criterion in KDC:
        verdict = "không đạt" if criterion.number in (1, 4) else "đạt"
        assert f"Tiêu chí {criterion.number}: {criterion.title} ({verdict})" in text
        for point in criterion.points:
            assert pdf.flat(point.text) in text, point.code
    assert "1a Chi bộ có nghị quyết trong Quý I. Đạt Nghị quyết số 02-NQ/CB ngày 15/01/2026 của Chi bộ" in text
    assert "Không đạt Còn 12 hộ chưa đăng ký" in text
    assert "Vụ việc ngày 03/05/2026: Cướp tài sản (rất nghiêm trọng)" in text
    # The table's header row repeats on the next page.
    for page in range(2, pdf.page_count(path) + 1):
        page_text = pdf.page_text(path, page)
        if "Nội dung" in page_text:
            assert re.search(r"TT\s+Nội dung\s+Kết quả\s+Căn cứ, minh chứng", page_text)


def test_minutes_conclusion_lists_the_points_not_met(rendered, pdf):
    text = _text(pdf, rendered["minutes"])
    assert f"Kết luận: Tổ dân phố 7 đạt 3/5 tiêu chí, chưa đạt tiêu chuẩn {STANDARD} năm 2026" in text
    assert f"- 1c: {pdf.flat(CATALOGUE.point('kdc', '1c').text)[:-1]};" in text
    assert f"- 4b: {pdf.flat(CATALOGUE.point('kdc', '4b').text)}" in text
    assert "đề nghị Ủy ban nhân dân phường Minh Xuân xem xét, công nhận" not in text
    assert re.search(r"Cuộc họp kết thúc vào \.+ giờ \.+ phút, ngày 20 tháng 10 năm 2026;", text)


def test_minutes_of_a_unit_meeting_every_criterion(rendered, pdf):
    text = _text(pdf, rendered["minutes-passed"])
    assert "Kết luận: Tổ dân phố 7 đạt đủ 5/5 tiêu chí theo quy định." in text
    assert ("Cuộc họp thống nhất đề nghị Ủy ban nhân dân phường Minh Xuân xem xét, công nhận Tổ dân phố 7 đạt "
            f"tiêu chuẩn {STANDARD} năm 2026.") in text
    assert "Không đạt" not in text


def test_minutes_of_an_unfinished_assessment(pdf_dir, pdf):
    path = pdf_dir / "dossier-minutes-unfinished.pdf"
    render_review_minutes(minutes(failing=(), unanswered=("5a", "5b"), meeting_on=None, place="", chair="",
                                  chair_name="", attendees=()), path)
    text = _text(pdf, path)
    assert "5a" in text and text.count("Chưa đánh giá") == 2
    assert "Tiêu chí 5: Lực lượng tham gia bảo đảm an ninh, trật tự ở cơ sở (chưa đánh giá)" in text
    assert "Kết luận: còn 2 nội dung chưa được đánh giá" in text
    assert re.search(r"ngày \.+ tháng \.+ năm 2026\.", text)
    assert re.search(r"Địa điểm: \.{20,}", text) and re.search(r"Chủ trì: \.{20,}", text)
    assert len(re.findall(r"- \.{20,}", text)) == 4   # lines for the attendees, by hand


def test_minutes_signatures_side_by_side(rendered, pdf):
    path = rendered["minutes"]
    last = pdf.page_count(path)
    words = pdf.words(path, last)
    secretary = pdf.find_words(words, "THƯ KÝ")
    chair = pdf.find_words(words, "CHỦ TRÌ")
    name = pdf.find_words(words, "Nguyễn Văn Hùng")
    label = pdf.find_words(words, "Nơi nhận:")
    closing = pdf.find_words(words, "thống nhất và ký")
    assert secretary and chair and name and label
    middle = 30 * MM + 165 * MM / 2
    assert secretary[-1].x1 < middle < chair[0].x0 and name[0].x0 > middle
    assert abs(secretary[0].y0 - chair[0].y0) < 1                      # one line, side by side
    assert name[0].y0 > chair[0].y1 + 2 * MM                           # room to sign
    assert label[0].y0 > name[0].y1 and label[0].x0 < middle           # Nơi nhận under them, on the left
    # The closing sentence stays on the signatures' page.
    assert closing or "thống nhất và ký tên./." in _text(pdf, path, first=last)


# ---- Tờ trình -----------------------------------------------------------------------------------


def test_proposal_first_page(rendered, pdf):
    path = rendered["proposal"]
    page = pdf.page_text(path, 1)
    assert re.search(r"Số:\s{3,}/TTr-CAP", page)
    assert re.search(r"Minh Xuân, ngày\s{3,}tháng\s{3,}năm 2026", page)
    text = _text(pdf, path, last=1)
    assert "CÔNG AN TỈNH TUYÊN QUANG" in text and "CÔNG AN PHƯỜNG MINH XUÂN" in text
    assert ("TỜ TRÌNH Về việc đề nghị công nhận khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
            f"{STANDARD} năm 2026") in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân phường Minh Xuân." in text
    for line in proposal().bases:
        assert line in text
    assert ("có 54 khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục thuộc diện xét công nhận đạt tiêu chuẩn "
            f"{STANDARD}; đã đăng ký phấn đấu 52/54 đơn vị (đạt 96,3%); đã tổ chức họp đánh giá 9 đơn vị; qua thẩm "
            "định hồ sơ, có 7 đơn vị đạt đủ các tiêu chí theo quy định.") in text
    assert (f"quyết định công nhận 6 đơn vị đạt tiêu chuẩn {STANDARD} năm 2026, gồm: 2 khu dân cư, 1 cơ quan, "
            "2 doanh nghiệp, 1 cơ sở giáo dục (có danh sách kèm theo).") in text
    assert "Kính trình Chủ tịch Ủy ban nhân dân phường Minh Xuân xem xét, quyết định./." in text
    for line in ("Nơi nhận:", "- Như trên;", "- Lưu: VT.", "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy"):
        assert line in text


def test_proposal_attached_list(rendered, pdf):
    path = rendered["proposal"]
    assert pdf.page_count(path) == 2
    text = _text(pdf, path, first=2)
    assert f"DANH SÁCH ĐƠN VỊ ĐỀ NGHỊ CÔNG NHẬN ĐẠT TIÊU CHUẨN {STANDARD.upper()} NĂM 2026" in text
    assert re.search(r"\(Kèm theo Tờ trình số\s+/TTr-CAP ngày\s+tháng\s+năm 2026 của Công an phường Minh Xuân\)",
                     text)
    assert re.search(r"TT\s+Tên đơn vị\s+Loại\s+Địa chỉ", pdf.page_text(path, 2))
    for heading in ("I. KHU DÂN CƯ (2)", "II. CƠ QUAN (1)", "III. DOANH NGHIỆP (2)", "IV. CƠ SỞ GIÁO DỤC (1)"):
        assert heading in text
    for unit in PROPOSED:
        assert unit.name in text and unit.address in text
    assert "6 Trường THPT Tân Trào Cơ sở giáo dục" in text   # TT runs on through the groups


def test_proposal_with_a_number_and_a_date(pdf_dir, pdf):
    path = pdf_dir / "dossier-proposal-dated.pdf"
    render_proposal(proposal(number="7", issued_on=date(2026, 11, 5)), path)
    assert "Số: 07/TTr-CAP" in pdf.page_text(path, 1)
    assert "Minh Xuân, ngày 05 tháng 11 năm 2026" in pdf.page_text(path, 1)
    assert ("(Kèm theo Tờ trình số 07/TTr-CAP ngày 05 tháng 11 năm 2026 của Công an phường Minh Xuân)"
            in _text(pdf, path, first=2))


def test_proposal_signature_never_splits_from_its_closing(pdf_dir, pdf):
    pages_seen = set()
    for extra in range(0, 12, 2):
        bases = proposal().bases[:-1] + ("Căn cứ văn bản hướng dẫn bổ sung của tỉnh. " * 6 + ";",) * extra \
            + proposal().bases[-1:]
        path = pdf_dir / f"dossier-proposal-split-{extra}.pdf"
        render_proposal(proposal(bases=bases), path)
        pages = [_text(pdf, path, first=p, last=p) for p in range(1, pdf.page_count(path) + 1)]
        with_name = [p for p, text in enumerate(pages) if "Nguyễn Đức Huy" in text]
        with_closing = [p for p, text in enumerate(pages) if "xem xét, quyết định./." in text]
        assert with_name == with_closing and len(with_name) == 1
        pages_seen.add(with_name[0])
    assert pages_seen == {0, 1}


# ---- Danh sách chưa đăng ký, chưa đạt -----------------------------------------------------------


def test_outstanding_list(rendered, pdf):
    path = rendered["outstanding"]
    data = outstanding()
    text = _text(pdf, path)
    assert "Minh Xuân, ngày 20 tháng 11 năm 2026" in pdf.page_text(path, 1)
    assert f"DANH SÁCH Đơn vị chưa đăng ký, chưa đạt tiêu chuẩn {STANDARD} năm 2026" in text
    assert (f"Năm 2026, 8 đơn vị thuộc diện xét chưa đăng ký phấn đấu; 2 đơn vị đã họp đánh giá nhưng chưa đạt "
            f"tiêu chuẩn {STANDARD}.") in text
    assert re.search(r"TT\s+Tên đơn vị\s+Loại\s+Lý do", pdf.page_text(path, 1))
    assert "I. ĐƠN VỊ CHƯA ĐĂNG KÝ (8)" in text and "II. ĐƠN VỊ CHƯA ĐẠT TIÊU CHUẨN (2)" in text
    assert text.index("I. ĐƠN VỊ CHƯA ĐĂNG KÝ") < text.index("II. ĐƠN VỊ CHƯA ĐẠT TIÊU CHUẨN")
    for unit in data.unregistered:
        assert f"{unit.name} {unit.kind_label} Chưa đăng ký phấn đấu" in text
    for unit in data.not_passed:
        assert unit.name in text
        for reason in unit.reasons:
            assert f"Không đạt {pdf.flat(reason)}" in text
    assert "1 Tổ dân phố 5 Khu dân cư Không đạt 1c:" in text   # TT starts again in group II
    for line in ("Nơi nhận:", "- Lưu: VT.", "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy"):
        assert line in text


def test_long_outstanding_list_flows_over_pages(pdf_dir, pdf):
    path = pdf_dir / "dossier-outstanding-long.pdf"
    data = outstanding(unregistered=70)
    render_outstanding_list(data, path)
    pages = pdf.page_count(path)
    assert pages >= 3
    for page in range(2, pages + 1):
        lines = [line.strip() for line in pdf.page_text(path, page).splitlines() if line.strip()]
        assert lines[0] == str(page)
        if page < pages:
            assert re.search(r"TT\s+Tên đơn vị\s+Loại\s+Lý do", lines[1]), page
    text = _text(pdf, path)
    for unit in data.unregistered + data.not_passed:
        assert unit.name in text
    # The three reasons of Tổ dân phố 5 share its row: its name appears once, on one page.
    assert text.count("Tổ dân phố 5 ") == 1


def test_outstanding_list_with_empty_groups(pdf_dir, pdf):
    path = pdf_dir / "dossier-outstanding-empty.pdf"
    render_outstanding_list(outstanding(unregistered=0, not_passed=()), path)
    text = _text(pdf, path)
    assert "II. ĐƠN VỊ CHƯA ĐẠT TIÊU CHUẨN (0)" in text and "Không có" in text
    assert "không có đơn vị nào đã họp đánh giá nhưng chưa đạt" in text


def test_documents_write_to_binary_files():
    for render, data in ((render_registration_form, registration()), (render_review_minutes, minutes()),
                         (render_proposal, proposal()), (render_outstanding_list, outstanding())):
        buffer = io.BytesIO()
        render(data, buffer)
        assert buffer.getvalue().startswith(b"%PDF")


def test_decomposed_input_is_printed_composed(pdf_dir, pdf):
    """A name typed in NFD (macOS, old files) prints as the precomposed letters of the font."""
    name = unicodedata.normalize("NFD", "Tổ dân phố Đồng Tâm")
    path = pdf_dir / "dossier-registration-nfd.pdf"
    render_registration_form(registration(unit_name=name), path)
    # Read without the helper's normalisation: the PDF itself holds the composed letters.
    raw = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, check=True,
                         timeout=60).stdout.decode("utf-8")
    assert "Tổ dân phố Đồng Tâm đăng ký phấn đấu" in " ".join(raw.split())
