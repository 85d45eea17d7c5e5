"""The plan's task table, rendered and read back: landscape, header and titles, the six columns and
their rows, the status never printed, the header repeated over pages, no row split, the empty table."""

from __future__ import annotations

import re

from antq_desktop.reports.frame import QUOC_HIEU
from antq_desktop.reports.task_table import (
    TableTask,
    TaskTable,
    render_task_table,
    table_title,
)
from tests.reports.report_samples import CHAIRMAN, ISSUER

REFERENCE = "(Kèm theo Kế hoạch số 12/KH-UBND ngày 05 tháng 02 năm 2026 của Ủy ban nhân dân phường Minh Xuân)"
SUBTITLE = "Thực hiện phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026"
TASKS = (
    TableTask("Tổ chức quán triệt, phổ biến Nghị quyết số 33-NQ/TU ngày 10/12/2025 của Ban Thường vụ Tỉnh ủy",
              "Công an phường", "Ủy ban MTTQ Việt Nam phường", "Quý I", "Kế hoạch số 48-KH/ĐU"),
    TableTask("Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d", "Các tổ dân phố",
              "Công an phường; Ban Chỉ huy Quân sự phường", "Trước 19/8"),
    TableTask("Báo cáo kết quả về Ủy ban nhân dân tỉnh (qua Công an tỉnh)", "Công an phường",
              "Văn phòng HĐND và UBND phường", "Trước 30/10"),
)


def _table(tasks=TASKS, **more) -> TaskTable:
    return TaskTable(**{"issuer": ISSUER, "year": 2026, "subtitle": SUBTITLE, "reference": REFERENCE, "tasks": tasks,
                        **more})


def test_the_table_reads_back_in_landscape(pdf_dir, pdf):
    path = pdf_dir / "tasks.pdf"
    data = _table()
    assert render_task_table(data, path) == pdf.page_count(path) == 1
    assert pdf.page_size(path) == (842, 595)   # landscape: wider than tall
    assert all(emb == "yes" for _name, emb in pdf.fonts(path))
    text = pdf.flat(pdf.text(path, layout=False))
    for phrase in ("ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN", QUOC_HIEU, "Độc lập - Tự do - Hạnh phúc", "Minh Xuân, ngày",
                   "BIỂU PHÂN CÔNG NHIỆM VỤ", SUBTITLE, REFERENCE,
                   "TT Nội dung Cơ quan chủ trì Cơ quan phối hợp Thời gian hoàn thành Ghi chú",
                   "1 Tổ chức quán triệt, phổ biến Nghị quyết số 33-NQ/TU", "Kế hoạch số 48-KH/ĐU",
                   "2 Tổ chức \u201cNgày hội toàn dân bảo vệ an ninh Tổ quốc\u201d Các tổ dân phố Công an phường; Ban "
                   "Chỉ huy Quân sự phường Trước 19/8",
                   "3 Báo cáo kết quả về Ủy ban nhân dân tỉnh (qua Công an tỉnh) Công an phường Văn phòng HĐND và "
                   "UBND phường Trước 30/10"):
        assert phrase in text, phrase
    assert "CHỦ TỊCH" not in text and "Nơi nhận" not in text   # an annex is signed with its plan
    assert pdf.info(path)["Title"].strip() == table_title(data) == "Biểu phân công nhiệm vụ năm 2026"


def test_quoc_hieu_on_one_line_and_the_columns_aligned(pdf_dir, pdf):
    path = pdf_dir / "tasks-layout.pdf"
    render_task_table(_table(), path)
    words = pdf.words(path, 1)
    quoc_hieu = pdf.find_words(words, QUOC_HIEU)
    assert quoc_hieu and len({round(w.y0) for w in quoc_hieu}) == 1
    # Each column's cells start at one left edge, and the rows stand in TT order.
    leads = [pdf.find_words(words, "Công an phường")[0], pdf.find_words(words, "Các tổ dân phố")[0]]
    assert abs(leads[0].x0 - leads[1].x0) < 1
    dues = [pdf.find_words(words, due)[0] for due in ("Quý I", "Trước 19/8", "Trước 30/10")]
    assert dues[0].y0 < dues[1].y0 < dues[2].y0
    header = pdf.find_words(words, "Cơ quan chủ trì")[0]
    assert abs(header.y0 - pdf.find_words(words, "Nội dung")[0].y0) < 1 and header.x0 < leads[0].x0 + 40


def test_a_long_table_repeats_its_header_and_never_splits_a_row(pdf_dir, pdf):
    path = pdf_dir / "tasks-long.pdf"
    filler = "tuyên truyền, vận động Nhân dân tham gia bảo vệ an ninh, trật tự ở cơ sở " * 3
    many = tuple(TableTask(f"Nhiệm vụ số {n}: {filler}kết thúc {n}.", "Công an phường", "Các tổ dân phố",
                           "Hằng năm") for n in range(1, 31))
    pages = render_task_table(_table(many), path)
    assert pages >= 3
    texts = [pdf.flat(pdf.page_text(path, page, layout=False)) for page in range(1, pages + 1)]
    for number, text in enumerate(texts[1:], start=2):   # the header row first; the page number (drawn last)
        assert text.startswith("TT Nội dung Cơ quan chủ trì Cơ quan phối hợp Thời gian hoàn thành Ghi chú")
        assert text.endswith(f" {number}")
    for n in range(1, 31):
        start = [page for page, text in enumerate(texts) if re.search(rf"Nhiệm vụ số {n}:", text)]
        end = [page for page, text in enumerate(texts) if re.search(rf"kết thúc {n}\.", text)]
        assert len(start) == 1 and start == end, n


def test_the_empty_table_and_a_signed_one(pdf_dir, pdf):
    empty = pdf_dir / "tasks-empty.pdf"
    render_task_table(_table(()), empty)
    assert "Chưa có nhiệm vụ nào." in pdf.flat(pdf.text(empty, layout=False))
    signed = pdf_dir / "tasks-signed.pdf"
    render_task_table(_table(reference="", signer=CHAIRMAN, recipients=("- Lưu: VT.",)), signed)
    text = pdf.flat(pdf.text(signed, layout=False))
    assert "CHỦ TỊCH" in text and "Hoàng Văn Thắng" in text and "Nơi nhận:" in text and "Kèm theo" not in text
