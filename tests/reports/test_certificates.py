"""Giấy công nhận in batches, rendered for real and read back with poppler."""

from __future__ import annotations

import dataclasses

import pytest

from antq_desktop.errors import UserError
from antq_desktop.reports.certificate import render_certificates
from antq_desktop.reports.data import CertificateLayout, Signer
from tests.reports.report_samples import LONG_NAME, certificate

MM = 72 / 25.4
NAMES = ("Tổ dân phố 7", "Trường THCS Minh Xuân", "Công ty Cổ phần Xi măng Tân Quang", LONG_NAME, "Thôn Ỷ La")


@pytest.fixture(scope="module")
def batch(pdf_dir):
    path = pdf_dir / "certificates.pdf"
    certificates = [certificate(name, register_number=f"{i}/GCN") for i, name in enumerate(NAMES, start=1)]
    assert render_certificates(certificates, path) == len(NAMES)
    return path


def test_one_landscape_page_per_certificate(batch, pdf):
    assert pdf.page_size(batch) == (842, 595)
    assert pdf.page_count(batch) == len(NAMES)
    assert all(emb == "yes" for _, emb in pdf.fonts(batch))


def test_each_page_names_its_unit_in_upper_case(batch, pdf):
    for page, name in enumerate(NAMES, start=1):
        text = pdf.flat(pdf.text(batch, layout=False, first=page, last=page))
        assert name.upper() in text
        assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
        assert "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN" in text and "CÔNG NHẬN" in text
        assert "Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026" in text
        assert "(Quyết định số 125/QĐ-UBND ngày 18 tháng 11 năm 2026" in text
        assert f"Số vào sổ: {page}/GCN" in text
        assert "Minh Xuân, ngày 18 tháng 11 năm 2026" in text and "Hoàng Văn Thắng" in text


def test_a_long_name_shrinks_and_stays_inside_the_border(batch, pdf):
    words = pdf.words(batch, NAMES.index(LONG_NAME) + 1)
    name = pdf.find_words(words, LONG_NAME.upper())
    assert name
    assert len({round(w.y0) for w in name}) == 2          # two lines
    inner = 11.5 * MM
    assert all(inner < w.x0 and w.x1 < 842 - inner for w in words)
    assert all(inner < w.y0 and w.y1 < 595 - inner for w in words)


def test_blank_form_prints_only_the_variable_fields(pdf_dir, pdf):
    path = pdf_dir / "blank-form.pdf"
    render_certificates([certificate("Tổ dân phố 7")], path, CertificateLayout(blank_form=True))
    text = pdf.flat(pdf.text(path, layout=False))
    assert "TỔ DÂN PHỐ 7" in text and "Hoàng Văn Thắng" in text and "Minh Xuân, ngày 18" in text
    assert "CỘNG HÒA" not in text and "Độc lập" not in text and "CÔNG NHẬN" not in text


def test_offsets_move_a_field(pdf_dir, pdf):
    path = pdf_dir / "offsets.pdf"
    layout = CertificateLayout(blank_form=True, offsets_mm={"unit_name": (100.0, 150.0)})
    render_certificates([certificate("Tổ dân phố 7")], path, layout)
    name = pdf.find_words(pdf.words(path, 1), "TỔ DÂN PHỐ 7")
    centre_x = (name[0].x0 + name[-1].x1) / 2
    assert abs(centre_x - 100 * MM) < 1
    # The centre of the cap-height band: between the box's top and its baseline.
    assert 595 - name[0].y1 < 150 * MM < 595 - name[0].y0


def test_deputy_signs_with_two_title_lines(pdf_dir, pdf):
    path = pdf_dir / "deputy.pdf"
    deputy = Signer("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Nguyễn Thị Hồng Nhung")
    render_certificates([dataclasses.replace(certificate("Thôn Ỷ La"), signer=deputy)], path)
    text = pdf.flat(pdf.text(path, layout=False))
    assert "KT. CHỦ TỊCH PHÓ CHỦ TỊCH" in text and "Nguyễn Thị Hồng Nhung" in text


def test_progress_reports_every_page_and_can_stop(pdf_dir, pdf):
    calls = []

    def progress(done, total):
        calls.append((done, total))
        return done < 3

    path = pdf_dir / "cancelled.pdf"
    done = render_certificates([certificate(f"Tổ dân phố {i}") for i in range(1, 11)], path, progress=progress)
    assert done == 3
    assert calls == [(1, 10), (2, 10), (3, 10)]
    assert pdf.page_count(path) == 3


def test_progress_returning_none_does_not_cancel(pdf_dir, pdf):
    path = pdf_dir / "none.pdf"
    assert render_certificates([certificate("A"), certificate("B")], path, progress=lambda d, t: None) == 2


def test_nothing_to_print_and_unknown_fields_are_refused(pdf_dir):
    with pytest.raises(UserError):
        render_certificates([], pdf_dir / "empty.pdf")
    with pytest.raises(ValueError):
        render_certificates([certificate("A")], pdf_dir / "x.pdf", CertificateLayout(offsets_mm={"seal": (1, 1)}))
