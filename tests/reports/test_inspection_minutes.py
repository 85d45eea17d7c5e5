"""The Biên bản kiểm tra, rendered for real and read back with poppler (DOCUMENTS.md §2.5)."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.reports.frame import QUOC_HIEU, TIEU_NGU
from antq_desktop.reports.inspection_minutes import (
    InspectionMinutes,
    MinutesRecommendation,
    render_inspection_minutes,
)
from tests.reports.report_samples import POLICE

MINUTES = InspectionMinutes(
    issuer=POLICE, number="7", symbol="BB-CAP", visited_on=date(2026, 3, 10), year=2026,
    kind=InspectionKind.KIEM_TRA, unit_name="Tổ dân phố 7", inspector="Công an phường Minh Xuân",
    started_at="08:30", ended_at="10:15", place="Nhà văn hóa Tổ dân phố 7",
    bases=("Căn cứ Kế hoạch số 05/KH-CAP ngày 10 tháng 01 năm 2026 của Công an phường Minh Xuân",
           "Thông báo số 12/TB-CAP"),
    team=("Đại úy Trần Quang Hải, Phó Trưởng Công an phường, Trưởng đoàn",
          "Trung úy Phạm Thu Trang, cán bộ Công an phường, thư ký."),
    unit_attendees=("Ông Nguyễn Văn Bình, Tổ trưởng tổ dân phố",),
    content=("Việc xây dựng kế hoạch phong trào toàn dân bảo vệ an ninh Tổ quốc.",),
    findings=("Sổ theo dõi tạm trú chưa cập nhật đầy đủ.",),
    conclusion=("Tổ dân phố thực hiện tốt các nội dung được kiểm tra.",),
    recommendations=(MinutesRecommendation("Cập nhật sổ theo dõi tạm trú, tạm vắng", date(2026, 4, 30)),
                     MinutesRecommendation("Sửa chữa camera an ninh bị hỏng.", date(2026, 5, 15))),
    unit_opinion=("Nhất trí với nội dung biên bản.",),
    unit_signer="Nguyễn Văn Bình", secretary="Trung úy Phạm Thu Trang", team_head="Đại úy Trần Quang Hải",
)


@pytest.fixture(scope="module")
def rendered(pdf_dir):
    path = pdf_dir / "bien-ban-kiem-tra.pdf"
    render_inspection_minutes(MINUTES, path)
    return path


def test_header_and_title(pdf, rendered):
    first = pdf.page_text(rendered, 1)
    lines = [line.strip() for line in first.splitlines()]
    assert any(line.endswith(QUOC_HIEU) for line in lines)        # the Quốc hiệu on one line
    assert any(line.endswith(TIEU_NGU) for line in lines)
    flat = pdf.flat(first)
    assert "Số: 07/BB-CAP" in flat and "Minh Xuân, ngày 10 tháng 3 năm 2026" in flat
    assert "BIÊN BẢN Kiểm tra công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc tại Tổ dân phố 7" in flat
    assert pdf.page_size(rendered) == (595, 842)
    assert all(embedded == "yes" for _name, embedded in pdf.fonts(rendered))


def test_body_in_the_practice_order(pdf, rendered):
    text = pdf.flat(pdf.text(rendered, layout=False))
    order = [
        "Căn cứ Kế hoạch số 05/KH-CAP ngày 10 tháng 01 năm 2026 của Công an phường Minh Xuân;",
        "Căn cứ Thông báo số 12/TB-CAP.",
        "Hôm nay, vào hồi 08 giờ 30 phút, ngày 10 tháng 3 năm 2026, tại Nhà văn hóa Tổ dân phố 7, Đoàn kiểm tra "
        "của Công an phường Minh Xuân tiến hành kiểm tra",
        "I. THÀNH PHẦN", "1. Đoàn kiểm tra:", "- Đại úy Trần Quang Hải, Phó Trưởng Công an phường, Trưởng đoàn;",
        "- Trung úy Phạm Thu Trang, cán bộ Công an phường, thư ký.", "2. Đại diện Tổ dân phố 7:",
        "II. NỘI DUNG KIỂM TRA", "III. KẾT QUẢ KIỂM TRA", "Sổ theo dõi tạm trú chưa cập nhật đầy đủ.",
        "IV. KẾT LUẬN, KIẾN NGHỊ", "1. Kết luận:", "2. Kiến nghị, yêu cầu Tổ dân phố 7 thực hiện:",
        "a) Cập nhật sổ theo dõi tạm trú, tạm vắng; thời hạn hoàn thành trước ngày 30/04/2026;",
        "b) Sửa chữa camera an ninh bị hỏng; thời hạn hoàn thành trước ngày 15/05/2026.",
        "Ý kiến của đơn vị được kiểm tra:", "Nhất trí với nội dung biên bản.",
        "Biên bản kết thúc vào hồi 10 giờ 15 phút cùng ngày, được lập thành 02 bản",
        "thống nhất và ký tên./.",
    ]
    positions = [text.find(part) for part in order]
    assert all(position >= 0 for position in positions), [p for p, at in zip(order, positions) if at < 0]
    assert positions == sorted(positions)
    assert "08:30" not in text and "10:15" not in text


def test_three_signatures_side_by_side(pdf, rendered):
    last = pdf.page_count(rendered)
    words = pdf.words(rendered, last)
    names = [pdf.find_words(words, name) for name in ("Nguyễn Văn Bình", "Trung úy Phạm Thu Trang",
                                                        "Đại úy Trần Quang Hải")]
    assert all(names)
    assert len({round(found[0].y0) for found in names}) == 1               # the names share a line
    assert names[0][0].x0 < names[1][0].x0 < names[2][0].x0
    for title in ("ĐẠI DIỆN ĐƠN VỊ", "THƯ KÝ", "TRƯỞNG ĐOÀN"):
        assert pdf.find_words(words, title)


def test_guidance_wording_and_blanks_for_the_hand(pdf, pdf_dir):
    path = pdf_dir / "bien-ban-huong-dan.pdf"
    blank = dataclasses.replace(MINUTES, kind=InspectionKind.HUONG_DAN, number="", started_at="", ended_at="",
                                recommendations=(), unit_opinion=(), team=(), secretary="")
    render_inspection_minutes(blank, path)
    text = pdf.flat(pdf.text(path, layout=False))
    assert "BIÊN BẢN Hướng dẫn công tác xây dựng" in text
    assert "vào hồi ........ giờ ........ phút" in text
    for part in ("1. Đoàn công tác:", "II. NỘI DUNG HƯỚNG DẪN", "III. KẾT QUẢ LÀM VIỆC", "2. Kiến nghị: không.",
                 "Ý kiến của đơn vị được hướng dẫn:", "TRƯỞNG ĐOÀN CÔNG TÁC"):
        assert part in text
    assert "Số: /BB-CAP" in text   # the gap of no-break spaces, collapsed by flat()
