"""The report sent upward (services/year_report.py) on the demo ward's 2025, as `antq demo` loads it."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from antq_desktop.domain.events import ActivityKind
from antq_desktop.errors import UserError
from antq_desktop.reports.year_report import Percent, cell_text
from antq_desktop.services import antt, events, stats
from antq_desktop.services import year_report as service
from antq_desktop.services.year_report import HALF, NO_REPORT, YEAR, ReportInput

ACTOR = "kiểm thử"
WARD = 1
TODAY = date(2026, 1, 10)  # the year 2025 is over: its targets are judged for good


@pytest.fixture
def full_demo(full_demo_db):
    return full_demo_db


def call(db, function, *args, **kwargs):
    with db.transaction() as session:
        return function(session, WARD, *args, **kwargs)


def report(db, year: int = 2025, period: str = YEAR) -> service.ReportDraft:
    return call(db, service.get_report, year, period, TODAY)


def tables(db, year: int = 2025, period: str = YEAR) -> dict[str, service.ReportTable]:
    return {table.code: table for table in call(db, service.report_tables, year, period, TODAY)}


# ---- the drafts from the records ------------------------------------------------------------------

def test_the_drafts_count_the_demo_year_as_by_hand(full_demo):
    draft = report(full_demo)
    assert draft.version == NO_REPORT and draft.number == "" and draft.report_date is None
    assert draft.recipient == "Ủy ban nhân dân tỉnh Tuyên Quang (qua Công an tỉnh Tuyên Quang)"
    assert draft.reference.startswith("Thực hiện Kế hoạch số …/KH-UBND")
    assert draft.symbol == "BC-CAP" and draft.figures_on == TODAY
    assert not any(section.written for section in draft.sections)
    assert "40 hoạt động tuyên truyền" in draft.text("tuyen_truyen")
    assert "32.583 lượt người" in draft.text("tuyen_truyen")
    assert "hội nghị: 10; loa truyền thanh: 10" in draft.text("tuyen_truyen")
    assert "49/54 (90,7%) đơn vị đã tổ chức" in draft.text("ngay_hoi")
    assert "7.635 lượt người" in draft.text("ngay_hoi") and "Tổ dân phố 5" in draft.text("ngay_hoi")
    forces = draft.text("luc_luong")
    assert "tổng cộng 101 người" in forces and "99/101 (98%)" in forces and "91/101 (90,1%)" in forces
    assert "20 Tổ bảo vệ an ninh, trật tự với 77 thành viên" in forces
    assert "19 Xuất sắc, 28 Khá, 7 Trung bình, 0 Yếu" in draft.text("antt")
    assert "đã chấm điểm 54/54 đơn vị" in draft.text("antt")
    antt_figures = call(full_demo, stats.antt_stats, 2025).total
    assert f"toàn phường có {antt_figures.registered}/{antt_figures.eligible} (" in draft.text("antt")
    assert "có 5 tập thể, cá nhân được khen thưởng (3 tập thể, 2 cá nhân)" in draft.text("khen_thuong")
    assert "5 mô hình (4 mô hình đang hoạt động, 1 mô hình giải thể trong năm)" in draft.text("mo_hinh")
    assert "3 mô hình xếp loại Khá trở lên (chỉ tiêu 2, đạt)" in draft.text("mo_hinh")
    assert "68 đơn vị" in draft.text("dac_diem") and "54 đơn vị thuộc diện" in draft.text("dac_diem")


def test_the_registration_sentence_follows_the_antt_records(demo_db):
    """"Năm 2026, toàn phường có 54/54 đơn vị đăng ký …" once every eligible unit has registered."""
    call(demo_db, antt.register_all_eligible, 2026, date(2026, 3, 10), ACTOR)
    text = call(demo_db, service.get_report, 2026, YEAR, date(2026, 6, 1)).text("antt")
    assert text.startswith("Năm 2026, toàn phường có 54/54 (100%) đơn vị đăng ký xây dựng")
    row = tables(demo_db, 2026)["antt"].rows[-1]
    assert row[:4] == ("Tổng cộng", 54, 54, 0)


def test_an_empty_year_says_what_the_registers_lack(demo_db):
    draft = call(demo_db, service.get_report, 2026, YEAR, date(2026, 6, 1))
    assert "chưa ghi nhận hoạt động tuyên truyền nào" in draft.text("tuyen_truyen")
    assert "chưa ghi nhận khen thưởng nào" in draft.text("khen_thuong")
    assert "chưa chấm điểm đơn vị nào" in draft.text("antt")


def test_the_outline_of_the_year_and_of_the_six_months():
    year = [spec.heading for spec in service.outline(2025, YEAR)]
    assert year[0] == "I. ĐẶC ĐIỂM TÌNH HÌNH" and len(year) == 12
    assert "III. ĐÁNH GIÁ CHUNG" in year and "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2026" in year
    half = [spec.heading for spec in service.outline(2025, HALF)]
    assert "III. ĐÁNH GIÁ" in half and "IV. PHƯƠNG HƯỚNG, NHIỆM VỤ 6 THÁNG CUỐI NĂM 2025" in half
    assert service.subject(2025, HALF).startswith("Sơ kết 6 tháng đầu năm 2025")
    with pytest.raises(UserError, match="Loại báo cáo"):
        service.outline(2025, "quy")


# ---- the tables -----------------------------------------------------------------------------------

def test_the_tables_hold_the_demo_figures(full_demo):
    found = tables(full_demo)
    assert list(found) == ["tuyen_truyen", "mo_hinh", "luc_luong", "xep_loai_to", "antt", "phan_loai",
                           "khen_thuong", "chi_tieu"]
    assert found["tuyen_truyen"].rows[-1] == ("Tổng cộng", 40, 32583)
    assert found["tuyen_truyen"].rows[0] == ("Hội nghị", 10, 953)
    assert found["phan_loai"].rows[-1][:7] == ("Tổng cộng", 54, 54, 19, 28, 7, 0)
    assert cell_text(found["phan_loai"].rows[-1][7]) == "87%"
    forces = found["luc_luong"].rows[-1]
    assert forces[2:4] == (101, 99) and forces[5] == 91 and cell_text(forces[6]) == "90,1%"
    assert found["xep_loai_to"].rows == ((20, 3, 9, 5, 1, 2),)
    assert found["khen_thuong"].rows[-1] == ("Tổng cộng", "", 3, 2)
    assert ("Giấy khen", "Chủ tịch UBND phường Minh Xuân", 3, 0) in found["khen_thuong"].rows
    models = found["mo_hinh"].rows
    assert len(models) == 6 and ("1", "Camera an ninh", "2021") == models[0][:3]   # years are never grouped
    assert models[-1][1] == "Tổng cộng: 5 mô hình"
    targets = {row[1]: row[2:] for row in found["chi_tieu"].rows}
    assert targets["Mô hình xếp loại Khá trở lên"] == ("≥ 2", 3, "Đạt")
    assert targets["Lực lượng nòng cốt được trang bị"][2] == "Không đạt"
    figures, before = (call(full_demo, stats.antt_stats, year).total for year in (2025, 2024))
    total = found["antt"].rows[-1]
    assert total[:4] == ("Tổng cộng", figures.eligible, figures.registered, figures.recognized)
    change = round(figures.recognized_pct - before.recognized_pct, 1)
    assert total[5] == f"{'tăng' if change > 0 else 'giảm'} {cell_text(Percent(abs(change)))}"


def test_a_year_not_assessed_yet_is_not_compared_with_the_year_before(full_demo):
    assert {row[5] for row in tables(full_demo, 2026, HALF)["antt"].rows} == {"—"}


def test_numbers_and_rates_are_written_the_vietnamese_way():
    assert cell_text(1234) == "1.234" and cell_text(Percent(85.714)) == "85,7%"
    assert cell_text(Percent(100.0)) == "100%" and cell_text(Percent(87.04)) == "87%"
    assert cell_text(None) == "—" and cell_text(Percent(None)) == "—"


# ---- saving ---------------------------------------------------------------------------------------

def _typed(draft: service.ReportDraft, **sections: str) -> ReportInput:
    data = draft.as_input()
    return ReportInput("12", date(2025, 12, 20), "Công an tỉnh Tuyên Quang",
                       "Thực hiện Kế hoạch số 15/KH-UBND ngày 20/02/2025 của Ủy ban nhân dân phường Minh Xuân",
                       {**data.sections, **sections})


def test_a_saved_report_reads_back_and_an_unchanged_draft_keeps_following_the_records(full_demo):
    draft = report(full_demo)
    edited = "Công an phường đã tham mưu ban hành 05 văn bản chỉ đạo.\nĐoạn thứ hai."
    saved = call(full_demo, service.save_report, 2025, YEAR, _typed(draft, lanh_dao=edited), ACTOR, NO_REPORT,
                 TODAY)
    assert saved.version == 1
    again = report(full_demo)
    assert (again.number, again.report_date, again.recipient) == ("12", date(2025, 12, 20), "Công an tỉnh Tuyên Quang")
    assert again.reference.startswith("Thực hiện Kế hoạch số 15/KH-UBND")
    assert again.text("lanh_dao") == edited and next(s for s in again.sections if s.code == "lanh_dao").written
    assert [s.code for s in again.sections if s.written] == ["lanh_dao"]   # the untouched drafts are not stored
    # A new activity: the officer's text stays as written, the untouched draft follows the records.
    call(full_demo, events.add_activity, events.ActivityInput(date(2025, 12, 1), ActivityKind.HOI_NGHI,
                                                              "Hội nghị tổng kết", reach=100), ACTOR)
    after = report(full_demo)
    assert after.text("lanh_dao") == edited
    assert "41 hoạt động" in after.text("tuyen_truyen") and "32.683 lượt người" in after.text("tuyen_truyen")


def test_the_statistic_sentences_are_composed_again_only_on_request(full_demo):
    draft = report(full_demo)
    mine = "Năm 2025 tổ chức 40 hoạt động tuyên truyền (số liệu do cán bộ kiểm tra lại)."
    call(full_demo, service.save_report, 2025, YEAR, _typed(draft, tuyen_truyen=mine), ACTOR, NO_REPORT, TODAY)
    call(full_demo, events.add_activity, events.ActivityInput(date(2025, 12, 2), ActivityKind.LOA, "Phát thanh",
                                                              reach=500), ACTOR)
    assert report(full_demo).text("tuyen_truyen") == mine
    fresh = call(full_demo, service.regenerate_section, 2025, YEAR, "tuyen_truyen", TODAY)
    assert "41 hoạt động" in fresh and "33.083 lượt người" in fresh
    assert report(full_demo).text("tuyen_truyen") == mine   # nothing saved by composing
    with pytest.raises(UserError, match="không có mục"):
        call(full_demo, service.regenerate_section, 2025, YEAR, "khong_co", TODAY)


def test_a_stale_version_is_refused(full_demo):
    draft = report(full_demo)
    call(full_demo, service.save_report, 2025, YEAR, _typed(draft), ACTOR, NO_REPORT, TODAY)
    with pytest.raises(UserError, match="người khác sửa"):  # someone saved it after this user opened it empty
        call(full_demo, service.save_report, 2025, YEAR, _typed(draft), ACTOR, NO_REPORT, TODAY)
    saved = call(full_demo, service.save_report, 2025, YEAR, _typed(draft, de_xuat="Không có."), ACTOR, 1, TODAY)
    assert saved.version == 2 and saved.text("de_xuat") == "Không có."
    with pytest.raises(UserError, match="người khác sửa"):
        call(full_demo, service.save_report, 2025, YEAR, _typed(draft), ACTOR, 1, TODAY)
    assert report(full_demo).text("de_xuat") == "Không có."


def test_the_six_month_report_is_kept_apart_from_the_year_report(full_demo):
    draft = report(full_demo, period=HALF)
    call(full_demo, service.save_report, 2025, HALF, _typed(draft, de_xuat="Sơ kết."), ACTOR, NO_REPORT, TODAY)
    assert report(full_demo, period=HALF).text("de_xuat") == "Sơ kết."
    assert report(full_demo).version == NO_REPORT


@pytest.mark.parametrize(("change", "message"), [
    ({"number": "12/BC-CAP"}, "chỉ ghi số"),
    ({"recipient": "  "}, "Kính gửi"),
    ({"report_date": date(2027, 1, 5)}, "Ngày báo cáo 05/01/2027 không hợp lệ"),
])
def test_what_cannot_be_saved(full_demo, change, message):
    data = _typed(report(full_demo))
    data = ReportInput(**{**data.__dict__, **change})
    with pytest.raises(UserError, match=message):
        call(full_demo, service.save_report, 2025, YEAR, data, ACTOR, NO_REPORT, TODAY)


def test_a_six_month_report_is_dated_inside_its_year(full_demo):
    data = ReportInput(**{**_typed(report(full_demo, period=HALF)).__dict__, "report_date": date(2026, 1, 5)})
    with pytest.raises(UserError, match="không hợp lệ"):
        call(full_demo, service.save_report, 2025, HALF, data, ACTOR, NO_REPORT, TODAY)


# ---- the document and the Excel file ----------------------------------------------------------------

def test_the_document_says_when_a_six_month_report_took_its_figures(full_demo):
    document = call(full_demo, service.report_document, 2025, HALF, date(2025, 6, 5))
    assert document.opening.endswith("báo cáo sơ kết 6 tháng đầu năm 2025 (số liệu tính đến ngày 05/06/2025) "
                                     "như sau:")
    year = call(full_demo, service.report_document, 2025, YEAR, TODAY)
    assert year.opening.endswith("Công an phường Minh Xuân báo cáo kết quả thực hiện năm 2025 như sau:")
    assert year.symbol == "BC-CAP" and year.closing.endswith("của Công an phường Minh Xuân./.")
    assert [part.heading for part in year.parts][1:3] == ["II. KẾT QUẢ THỰC HIỆN", "1. Công tác lãnh đạo, chỉ đạo"]


def test_the_tables_go_to_one_workbook_a_sheet_each(full_demo, tmp_path):
    path = tmp_path / "bang.xlsx"
    count = call(full_demo, service.export_tables, 2025, YEAR, path, TODAY)
    found = tables(full_demo)
    workbook = load_workbook(path)
    assert count == len(found) == len(workbook.sheetnames) == 8
    assert workbook.sheetnames[0] == "1. Tuyên truyền"
    for sheet, table in zip(workbook.worksheets, found.values()):
        assert [cell.value for cell in sheet[1]] == [column.heading for column in table.columns]
        assert sheet.max_row == len(table.rows) + 1
    propaganda = workbook.worksheets[0]
    assert [cell.value for cell in propaganda[propaganda.max_row]] == ["Tổng cộng", 40, 32583]
    assert propaganda[propaganda.max_row][0].font.bold
    classification = workbook["6. Phân loại phong trào"]
    total = [cell.value for cell in classification[classification.max_row]]
    assert total[:7] == ["Tổng cộng", 54, 54, 19, 28, 7, 0]
    assert total[7] == pytest.approx(47 / 54) and classification.cell(classification.max_row, 8).number_format == "0.0%"
