"""The recognition decision, rendered for real and read back with poppler."""

from __future__ import annotations

import dataclasses
import io
import re
import unicodedata
from datetime import date

import pytest

from antq_desktop.reports.data import Issuer, ListedUnit
from antq_desktop.reports.recognition_decision import (
    in_running_text,
    render_recognition_decision,
)
from tests.reports.report_samples import BASES, LONG_NAME, decision

MM = 72 / 25.4


@pytest.fixture(scope="module")
def forty(pdf_dir):
    path = pdf_dir / "decision-40.pdf"
    render_recognition_decision(decision(40), path)
    return path


@pytest.fixture(scope="module")
def long_list(pdf_dir):
    path = pdf_dir / "decision-300.pdf"
    render_recognition_decision(decision(300), path)
    return path


def test_fixed_formulas_of_the_header(forty, pdf):
    lines = [line.strip() for line in pdf.page_text(forty, 1).splitlines()]
    # The Quốc hiệu never wraps: the whole formula stands on one line of the page.
    assert any(line.endswith("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM") for line in lines)
    text = pdf.page_text(forty, 1)
    assert "Độc lập - Tự do - Hạnh phúc" in text          # U+002D with spaces
    assert "\u2013" not in text and "\u2014" not in text
    assert "Số: 125/QĐ-UBND" in text
    assert "Minh Xuân, ngày 05 tháng 01 năm 2026" in text   # zeros for a day < 10 and for January


def test_number_and_date_share_one_baseline_in_their_columns(forty, pdf):
    words = pdf.words(forty, 1)
    number = pdf.find_words(words, "Số: 125/QĐ-UBND")
    date_line = pdf.find_words(words, "Minh Xuân, ngày 05 tháng 01 năm 2026")
    quoc_hieu = pdf.find_words(words, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    issuer = pdf.find_words(words, "ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN")
    assert number and date_line and quoc_hieu and issuer
    # Baseline = box bottom minus the descender (0.216 em): 13 pt for "Số", 14 pt for the date.
    assert abs((number[0].y1 - 0.216 * 13) - (date_line[0].y1 - 0.216 * 14)) < 1
    assert len({round(w.y0) for w in quoc_hieu}) == 1
    # Left column left of the right one; the date centred under the Quốc hiệu.
    assert max(w.x1 for w in issuer + number) < min(w.x0 for w in quoc_hieu + date_line)
    centre = lambda ws: (ws[0].x0 + ws[-1].x1) / 2  # noqa: E731
    assert abs(centre(quoc_hieu) - centre(date_line)) < 1.5


def test_blank_number_and_date_for_the_clerk(pdf_dir, pdf):
    path = pdf_dir / "decision-blank.pdf"
    render_recognition_decision(decision(5, number="", issued_on=None), path)
    text = pdf.page_text(path, 1)
    assert re.search(r"Số:\s{3,}/QĐ-UBND", text)
    assert re.search(r"Minh Xuân, ngày\s{3,}tháng\s{3,}năm 2026", text)
    assert "(Kèm theo Quyết định số" in pdf.flat(pdf.page_text(path, 2))


def test_a_single_digit_number_gets_its_zero(pdf_dir, pdf):
    path = pdf_dir / "decision-5.pdf"
    render_recognition_decision(decision(3, number="5", issued_on=date(2026, 3, 2)), path)
    text = pdf.page_text(path, 1)
    assert "Số: 05/QĐ-UBND" in text
    assert "Minh Xuân, ngày 02 tháng 3 năm 2026" in text   # no zero for March


def test_body_of_the_decision(forty, pdf):
    text = pdf.flat(pdf.text(forty, layout=False, first=1, last=1))
    assert "QUYẾT ĐỊNH" in text
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN" in text
    for line in BASES:
        assert line in text
    assert "QUYẾT ĐỊNH:" in text
    for number in (1, 2, 3):
        assert f"Điều {number}." in text
    assert "chịu trách nhiệm thi hành Quyết định này./." in text
    for recipient in ("Nơi nhận:", "- Như Điều 3;", "- Công an tỉnh Tuyên Quang (để b/c);", "- Lưu: VT, CA."):
        assert recipient in text
    assert "Hoàng Văn Thắng" in text


def test_signature_right_recipients_left_at_the_same_height(forty, pdf):
    words = pdf.words(forty, 1)
    label = pdf.find_words(words, "Nơi nhận:")
    title = pdf.find_words([w for w in words if w.y0 > label[0].y0 - 10], "CHỦ TỊCH")
    name = pdf.find_words(words, "Hoàng Văn Thắng")
    middle = 30 * MM + 165 * MM * 0.42
    assert label[-1].x1 < middle < title[0].x0 and name[0].x0 > middle
    assert abs(label[0].y1 - title[0].y1) < 3
    assert name[0].y0 > title[0].y1 + 2 * MM   # room for the signature and the seal


def test_every_unit_of_the_list_with_its_diacritics(forty, pdf):
    data = decision(40)
    text = pdf.flat(pdf.text(forty, layout=False, first=2))
    assert "DANH SÁCH" in text
    assert "(Kèm theo Quyết định số 125/QĐ-UBND ngày 05 tháng 01 năm 2026 của Chủ tịch Ủy ban nhân dân " \
           "phường Minh Xuân)" in text
    for unit in data.units:
        assert unicodedata.normalize("NFC", unit.name) in text
    assert LONG_NAME in text
    # Grouped by kind with a counted sub-heading; TT runs on through the groups.
    assert "I. KHU DÂN CƯ (22)" in text and "IV. CƠ SỞ GIÁO DỤC (6)" in text
    assert "40 Trường Mầm non Hoa Hồng 40" in text
    for page in range(2, pdf.page_count(forty) + 1):
        lines = [line.strip() for line in pdf.page_text(forty, page).splitlines() if line.strip()]
        assert not re.match(r"[IVX]+\. ", lines[-1]), (page, lines[-1])


def test_decomposed_input_is_printed_composed(pdf_dir, pdf):
    nfd = unicodedata.normalize("NFD", "Tổ dân phố Hưng Thành")
    data = dataclasses.replace(decision(1), units=(ListedUnit(nfd, "Khu dân cư"),))
    path = pdf_dir / "decision-nfd.pdf"
    render_recognition_decision(data, path)
    assert "Tổ dân phố Hưng Thành" in pdf.flat(pdf.text(path, layout=False))


def test_a4_portrait_with_embedded_fonts_only(forty, pdf):
    assert pdf.page_size(forty) == (595, 842)
    fonts = pdf.fonts(forty)
    assert any("LiberationSerif" in name for name, _ in fonts)
    assert all(emb == "yes" for _, emb in fonts), fonts


def test_page_numbers_from_page_two(forty, pdf):
    first = [line.strip() for line in pdf.page_text(forty, 1).splitlines() if line.strip()]
    assert not any(line.isdigit() for line in first)
    second = [line.strip() for line in pdf.page_text(forty, 2).splitlines() if line.strip()]
    assert second[0] == "2"


def test_long_list_flows_over_pages_and_repeats_its_header(long_list, pdf):
    pages = pdf.page_count(long_list)
    assert pages >= 5
    for page in range(2, pages + 1):
        lines = [line.strip() for line in pdf.page_text(long_list, page).splitlines() if line.strip()]
        assert lines[0] == str(page)
        assert any(re.match(r"TT\s+Tên đơn vị\s+Loại\s+Địa chỉ\s+Ghi chú", line) for line in lines), page
        # A kind's sub-heading never ends a page: it stays with the first row under it.
        assert not re.match(r"[IVX]+\. ", lines[-1]), (page, lines[-1])
    text = pdf.flat(pdf.text(long_list, layout=False, first=2))
    for unit in decision(300).units:
        assert unit.name in text
    assert "I. KHU DÂN CƯ (150)" in text


def test_writes_to_a_binary_file_object(pdf):
    buffer = io.BytesIO()
    render_recognition_decision(decision(2), buffer)
    assert buffer.getvalue().startswith(b"%PDF")


def test_the_signature_block_never_splits(pdf_dir, pdf):
    """More and more articles push the signature down: it moves whole, with the last article."""
    pages_seen = set()
    for extra in range(0, 14):
        articles = decision(1).articles
        more = ("Nội dung bổ sung. " * 12,) * extra
        data = dataclasses.replace(decision(1), articles=articles[:-1] + more + articles[-1:])
        path = pdf_dir / f"decision-split-{extra}.pdf"
        render_recognition_decision(data, path)
        pages = [pdf.flat(pdf.text(path, layout=False, first=p, last=p)) for p in range(1, pdf.page_count(path) + 1)]
        with_label = [p for p, text in enumerate(pages) if "Nơi nhận:" in text]
        with_name = [p for p, text in enumerate(pages) if "Hoàng Văn Thắng" in text]
        with_last_article = [p for p, text in enumerate(pages) if "thi hành Quyết định này./." in text]
        assert with_label == with_name == with_last_article and len(with_label) == 1
        pages_seen.add(with_label[0])
    assert pages_seen == {0, 1}   # the loop did push the block over a page break


def test_long_issuer_names_wrap_inside_the_left_column(pdf_dir, pdf):
    issuer = Issuer(parent="CÔNG AN TỈNH TUYÊN QUANG",
                    name="CÔNG AN PHƯỜNG MINH XUÂN THUỘC KHU VỰC BIÊN GIỚI PHÍA BẮC TỈNH TUYÊN QUANG",
                    place="Minh Xuân")
    path = pdf_dir / "decision-police.pdf"
    render_recognition_decision(dataclasses.replace(decision(1), issuer=issuer), path)
    words = pdf.words(path, 1)
    quoc_hieu = pdf.find_words(words, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    left = [w for w in words if w.y1 < quoc_hieu[0].y0 + 90 and w.x1 < quoc_hieu[0].x0]
    assert {"CÔNG", "TUYÊN", "BIÊN", "GIỚI"} <= {w.text for w in left}
    assert len({round(w.y0) for w in quoc_hieu}) == 1
    assert all(w.x0 >= 30 * MM - 0.5 for w in words)   # nothing in the left margin


def test_authority_in_running_text():
    assert in_running_text("CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN", "Minh Xuân") == \
        "Chủ tịch Ủy ban nhân dân phường Minh Xuân"
    assert in_running_text("ỦY BAN NHÂN DÂN PHƯỜNG 5", "Phường 5") == "Ủy ban nhân dân Phường 5"
    assert in_running_text("TRƯỞNG CÔNG AN XÃ ĐỒNG TÂM", "Đồng Tâm") == "Trưởng Công an xã Đồng Tâm"
