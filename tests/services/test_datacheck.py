"""The data check on the full demo ward: clean as loaded, and each fault, written directly with
SQL as a damaged file or another tool would leave it, is found and told in Vietnamese."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from antq_desktop.db.engine import Database, database_url, make_engine, open_database
from antq_desktop.domain import vntext
from antq_desktop.services import datacheck
from antq_desktop.services.datacheck import CheckReport, Severity


def report_after(path: Path, *statements, foreign_keys: bool = False) -> CheckReport:
    """Write ``statements`` (SQL, or (SQL, parameters)) straight into the file, then run every check."""
    with closing(sqlite3.connect(path)) as connection:
        connection.execute(f"PRAGMA foreign_keys = {'ON' if foreign_keys else 'OFF'}")
        for statement in statements:
            sql, parameters = statement if isinstance(statement, tuple) else (statement, ())
            connection.execute(sql, parameters)
        connection.commit()
    db = open_database(path)
    try:
        return datacheck.run_checks(db)
    finally:
        db.close()


def found(report: CheckReport, check: str) -> list[str]:
    return [problem.message for problem in report.problems if problem.check == check]


def only(report: CheckReport, *checks: str) -> None:
    assert {problem.check for problem in report.problems} == set(checks), [p.line() for p in report.problems]
    assert not report.ok and report.complete


def test_the_demo_ward_has_no_problem(full_demo_db_path):
    report = report_after(full_demo_db_path)
    assert report.ok and report.problems == [] and report.notes == []
    assert report.checks_run == report.checks_total == len(datacheck.CHECKS) >= 8
    assert report.summary() == "Không phát hiện lỗi nào."


def test_an_empty_new_file_has_no_problem(empty_db_path):
    assert report_after(empty_db_path).ok


def test_every_database_runs_the_checks_it_can(full_demo_db):
    """On a PostgreSQL server the file checks (integrity, foreign keys: SQLite's pragmas) are the
    server's own business and the report says so; the checks of the data run the same."""
    report = datacheck.run_checks(full_demo_db)
    file_checks = sum(getattr(check, "sqlite_only", False) for _title, check in datacheck.CHECKS)
    if full_demo_db.engine.dialect.name == "sqlite":
        assert report.notes == [] and report.checks_total == len(datacheck.CHECKS)
    else:
        assert report.notes == [datacheck.POSTGRES_NOTE] and file_checks > 0
        assert report.checks_total == len(datacheck.CHECKS) - file_checks
    assert report.ok and report.complete

    with full_demo_db.engine.begin() as connection:  # a dissolved unit without its date, written by hand
        connection.exec_driver_sql("UPDATE unit SET status = 'dissolved', status_date = NULL WHERE id = 4")
    assert found(datacheck.run_checks(full_demo_db), "units.status_date") == [
        "Đơn vị \u201cTổ dân phố 4\u201d được ghi là đã giải thể nhưng không có ngày giải thể."]


# ---- the file --------------------------------------------------------------------------------

def test_a_table_damaged_after_the_file_was_opened_is_reported_and_the_check_goes_on(full_demo_db_path):
    """open_database refuses a damaged file (its quick_check); a page can still go bad while the
    program runs (a failing disk): the check reports it and goes on with the other checks."""
    with closing(sqlite3.connect(full_demo_db_path)) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        root = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = 'festival'").fetchone()[0]
    with open(full_demo_db_path, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 16)
    url = database_url(full_demo_db_path)
    db = Database(make_engine(url), url)  # as it was opened before the page went bad
    try:
        report = datacheck.run_checks(db)
    finally:
        db.close()
    integrity = found(report, "file.integrity")
    assert integrity and all(message.startswith("Tệp dữ liệu bị hỏng cấu trúc (SQLite báo:") for message in integrity)
    assert all("khôi phục từ bản sao lưu gần nhất" in message for message in integrity)
    unreadable = found(report, "file.unreadable")
    assert "Không kiểm tra được mục \u201cNgày hội\u201d vì tệp dữ liệu báo lỗi (database disk image is malformed). " \
           "Hãy khôi phục từ bản sao lưu gần nhất (mục Sao lưu và khôi phục)." in unreadable
    assert not any("Đơn vị trùng tên" in message for message in unreadable)  # the checks that can still answer do
    assert {problem.severity for problem in report.problems} == {Severity.SERIOUS}
    assert report.complete and "nghiêm trọng" in report.summary()


def test_an_index_that_no_longer_matches_its_table(full_demo_db_path):
    # Make the index of unit names describe another column: its stored entries no longer match.
    report = report_after(
        full_demo_db_path,
        "PRAGMA writable_schema = ON",
        "UPDATE sqlite_master SET sql = replace(sql, '(ward_id, name_sort)', '(ward_id, address_sort)') "
        "WHERE name = 'ix_unit_ward_name_sort'",
        "PRAGMA writable_schema = OFF")
    messages = found(report, "file.integrity")
    assert messages and all(message.startswith("Một chỉ mục tìm kiếm không khớp với dữ liệu") for message in messages)
    assert any("ix_unit_ward_name_sort" in message for message in messages)


def test_records_of_a_unit_that_no_longer_exists(full_demo_db_path):
    report = report_after(full_demo_db_path, "DELETE FROM unit WHERE name = 'Tổ dân phố 1'")
    messages = found(report, "file.foreign_key")
    assert any(message.startswith("Bảng hồ sơ An toàn về ANTT (dòng số ") and "cột unit_id = 1 trỏ tới đơn vị không "
               "còn trong dữ liệu" in message for message in messages)
    assert any(message.startswith("Bảng danh sách kèm quyết định") for message in messages)
    assert {problem.severity for problem in report.problems if problem.check == "file.foreign_key"} == {Severity.SERIOUS}


# ---- units ----------------------------------------------------------------------------------

def test_two_active_units_with_one_name(full_demo_db_path):
    with closing(sqlite3.connect(full_demo_db_path)) as connection:
        address, head, phone = connection.execute(
            "SELECT address, head_name, head_phone FROM unit WHERE name = 'Tổ dân phố 2'").fetchone()
    keys = (vntext.search_key("Tổ Dân Phố 1"), vntext.search_key(" ".join(("Tổ Dân Phố 1", address, head, phone))))
    report = report_after(full_demo_db_path, (
        "UPDATE unit SET name = 'Tổ Dân Phố 1', name_key = ?, search_text = ? WHERE name = 'Tổ dân phố 2'", keys))
    only(report, "units.duplicate")
    assert found(report, "units.duplicate") == [
        "2 khu dân cư đang hoạt động trùng tên: \u201cTổ dân phố 1\u201d, \u201cTổ Dân Phố 1\u201d. Hãy sáp nhập hoặc "
        "đổi tên cho khỏi trùng (chương trình coi tên không dấu giống nhau là trùng)."]


def test_search_keys_that_do_not_match_the_name(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE unit SET name = 'Tổ dân phố Hồng Hà' WHERE id = 3")
    only(report, "units.search_keys")
    assert found(report, "units.search_keys")[0].startswith(
        "Khoá tìm kiếm của đơn vị \u201cTổ dân phố Hồng Hà\u201d (mã 3) không khớp với tên, địa chỉ")


def test_a_dissolved_unit_without_its_date(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE unit SET status = 'dissolved', status_date = NULL WHERE id = 4")
    assert found(report, "units.status_date") == [
        "Đơn vị \u201cTổ dân phố 4\u201d được ghi là đã giải thể nhưng không có ngày giải thể."]


# ---- "An toàn về ANTT" and decisions ----------------------------------------------------------

def test_recognised_without_a_decision(full_demo_db_path):
    report = report_after(full_demo_db_path,
                          "UPDATE antt_record SET decision_id = NULL WHERE unit_id = 1 AND year = 2025")
    only(report, "antt.recognized_without_decision")
    assert found(report, "antt.recognized_without_decision") == [
        "\u201cTổ dân phố 1\u201d năm 2025 được ghi là đạt \u201cAn toàn về ANTT\u201d nhưng không gắn với quyết định "
        "công nhận nào."]


def test_recognised_by_a_decision_of_another_year(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE antt_record SET decision_id = 1 WHERE unit_id = 1 AND year = 2025")
    assert found(report, "antt.recognized_without_decision") == [
        "\u201cTổ dân phố 1\u201d năm 2025 được ghi là đạt \u201cAn toàn về ANTT\u201d nhưng quyết định gắn với hồ sơ là "
        "Quyết định số 186/QĐ-UBND năm 2024, của năm khác."]


def test_listed_in_a_decision_without_registration(full_demo_db_path):
    report = report_after(full_demo_db_path, "DELETE FROM antt_record WHERE unit_id = 2 AND year = 2025",
                          foreign_keys=True)  # its criterion results go with it, as a deletion would take them
    only(report, "antt.recognized_without_registration")
    assert found(report, "antt.recognized_without_registration") == [
        "\u201cTổ dân phố 2\u201d có tên trong Quyết định số 203/QĐ-UBND năm 2025 công nhận đạt \u201cAn toàn về "
        "ANTT\u201d nhưng không có đăng ký xây dựng tiêu chuẩn năm 2025."]


def test_recognised_although_the_review_meeting_found_it_not_met(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE antt_record SET passed = 0 WHERE unit_id = 1 AND year = 2025")
    assert found(report, "antt.recognized_without_passing") == [
        "\u201cTổ dân phố 1\u201d năm 2025 được ghi là đạt \u201cAn toàn về ANTT\u201d nhưng họp đánh giá kết luận "
        "chưa đạt."]


def test_more_households_registered_than_exist(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE antt_record SET households_registered = 1200, "
                                             "households_total = 950 WHERE unit_id = 1 AND year = 2026")
    only(report, "antt.households")
    assert found(report, "antt.households") == [
        "\u201cTổ dân phố 1\u201d năm 2026: số hộ đăng ký (1.200) nhiều hơn tổng số hộ (950)."]


def test_an_issued_decision_without_signer_or_number(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE decision SET signer_name = '  ', issued_on = NULL WHERE id = 2")
    only(report, "decisions.incomplete")
    assert found(report, "decisions.incomplete") == [
        "Quyết định số 203/QĐ-UBND năm 2025 đã ban hành nhưng thiếu ngày ban hành, họ tên người ký."]
    report = report_after(full_demo_db_path, "UPDATE decision SET number = '' WHERE id = 1")
    assert found(report, "decisions.incomplete") == [
        "Quyết định (chưa có số) năm 2024 đã ban hành nhưng thiếu số quyết định.",
        "Quyết định số 203/QĐ-UBND năm 2025 đã ban hành nhưng thiếu ngày ban hành, họ tên người ký."]


def test_two_issued_decisions_with_one_number(full_demo_db_path):
    report = report_after(full_demo_db_path, (
        "INSERT INTO decision (ward_id, kind, year, number, symbol, issued_on, form, signer_authority, signer_title, "
        "signer_name, bases, recipients, status, created_at, created_by, updated_at, updated_by, version) "
        "SELECT ward_id, 'antq_classification', year, number, symbol, issued_on, form, signer_authority, "
        "signer_title, signer_name, bases, recipients, status, created_at, created_by, updated_at, updated_by, 1 "
        "FROM decision WHERE id = 2"))
    only(report, "decisions.duplicate_number")
    assert found(report, "decisions.duplicate_number") == [
        "Có 2 quyết định đã ban hành cùng mang số 203/QĐ-UBND năm 2025; mỗi số chỉ được dùng cho một quyết định."]


def test_a_correction_of_a_decision_never_issued(full_demo_db_path):
    report = report_after(
        full_demo_db_path,
        "INSERT INTO decision (id, ward_id, kind, year, number, symbol, form, signer_authority, signer_title, "
        "signer_name, bases, recipients, status, created_at, created_by, updated_at, updated_by, version) "
        "VALUES (50, 1, 'antt_recognition', 2025, '', 'QĐ-UBND', 'chu_tich', '', '', '', '[]', '[]', 'draft', "
        "'2025-11-01 08:00:00', 'x', '2025-11-01 08:00:00', 'x', 1)",
        "UPDATE decision SET replaces_id = 50 WHERE id = 2")
    only(report, "decisions.replaces_draft")
    assert found(report, "decisions.replaces_draft") == [
        "Quyết định số 203/QĐ-UBND năm 2025 đính chính (thay thế) Quyết định (chưa có số) năm 2025, nhưng quyết "
        "định bị thay thế chưa từng được ban hành."]


# ---- classification -------------------------------------------------------------------------

def test_a_score_above_its_item_maximum_and_a_total_above_100(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE classification_score SET self_cents = 9950 "
                                             "WHERE record_id = 1 AND item_code = '1.1'")
    only(report, "classification.score_range", "classification.total")
    (range_message,) = found(report, "classification.score_range")
    assert range_message.startswith("\u201cTổ dân phố 1\u201d năm 2025: điểm tự chấm mục 1.1 là 99,5, ngoài khoảng "
                                    "cho phép (điểm chuẩn là ")
    (total_message,) = found(report, "classification.total")
    assert total_message.startswith("\u201cTổ dân phố 1\u201d năm 2025: tổng điểm ")
    assert total_message.endswith("vượt quá 100 điểm.")


def test_a_score_for_an_item_the_sheet_does_not_have(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE classification_score SET item_code = '9.9' "
                                             "WHERE record_id = 1 AND item_code = '1.1'")
    only(report, "classification.score_item")
    assert found(report, "classification.score_item") == [
        "\u201cTổ dân phố 1\u201d năm 2025: có điểm tự chấm cho mục 9.9, nhưng mục này không có trong bảng điểm của năm."]


def test_another_level_without_a_reason_or_with_an_unknown_level(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE classification_record SET level_override = 'kha', "
                                             "override_reason = '' WHERE unit_id = 1 AND year = 2025")
    only(report, "classification.override_reason")
    assert found(report, "classification.override_reason") == [
        "\u201cTổ dân phố 1\u201d năm 2025 được xếp mức khác mức đề xuất theo điểm nhưng không ghi lý do."]
    report = report_after(full_demo_db_path, "UPDATE classification_record SET level_override = 'hang_nhat', "
                                             "override_reason = 'Thành tích đặc biệt' WHERE unit_id = 1 AND year = 2025")
    assert found(report, "classification.level") == [
        "\u201cTổ dân phố 1\u201d năm 2025 được xếp mức \u201chang_nhat\u201d, không có trong các mức của bảng điểm "
        "năm 2025."]


def test_a_stored_sheet_set_that_cannot_be_read(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE classification_year SET sheet_set = '{\"code\": ' WHERE year = 2025")
    only(report, "classification.sheet_set")
    assert found(report, "classification.sheet_set")[0].startswith("Bảng điểm lưu cho năm 2025 không đọc được (")


# ---- field work and the plan --------------------------------------------------------------------

def test_a_model_graded_outside_its_life(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE security_model SET started_on = '2026-02-01' WHERE id = 2",
                          "UPDATE security_model SET dissolved_on = '2024-12-31' WHERE id = 3")
    only(report, "models.grade_year")
    assert found(report, "models.grade_year") == [
        "Mô hình \u201cCamera an ninh\u201d được xếp loại năm 2025, trước năm bắt đầu (01/02/2026).",
        "Mô hình \u201cNhóm Zalo phản ánh an ninh, trật tự\u201d được xếp loại năm 2025, sau khi đã giải thể "
        "(31/12/2024)."]


def test_a_budget_line_whose_amount_is_not_quantity_times_price(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE budget_line SET amount = 3100000 WHERE id = 1",
                          "UPDATE budget_line SET unit_price = NULL WHERE id = 2")
    only(report, "budget.amount")
    assert found(report, "budget.amount") == [
        "Dự trù kinh phí năm 2026, khoản \u201cIn tờ rơi tuyên truyền phòng, chống tội phạm, ma túy, lừa đảo qua "
        "mạng\u201d: thành tiền 3.100.000 đồng khác số lượng × đơn giá = 2.000 × 1.500 = 3.000.000 đồng.",
        "Dự trù kinh phí năm 2026, khoản \u201cLàm pa nô, băng rôn, khẩu hiệu tuyên truyền\u201d: chỉ có một trong "
        "hai ô số lượng, đơn giá (khoản khoán gọn để trống cả hai)."]


def test_tasks_with_days_outside_their_year(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE plan_task SET due_date = '2030-05-01' WHERE id = 1",
                          "UPDATE plan_task SET done_on = NULL WHERE id = 2")
    only(report, "tasks.days")
    messages = found(report, "tasks.days")
    assert messages[0].startswith("Nhiệm vụ số 1 năm 2026 (\u201c")
    assert messages[0].endswith("hạn hoàn thành 01/05/2030 nằm ngoài kế hoạch năm 2026 (từ 01/01/2025 đến "
                                "31/12/2027).")
    assert messages[1].startswith("Nhiệm vụ số 2 năm 2026")
    assert messages[1].endswith("đã hoàn thành nhưng không có ngày hoàn thành.")


def test_a_festival_held_outside_its_year(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE festival SET held_on = '2024-08-19' WHERE id = 1")
    only(report, "events.festival_year")
    (message,) = found(report, "events.festival_year")
    assert message.startswith("Ngày hội năm 2025 của \u201c")
    assert message.endswith("được ghi tổ chức ngày 19/08/2024, không thuộc năm 2025.")


def test_members_and_equipment_with_impossible_dates(full_demo_db_path):
    report = report_after(full_demo_db_path, "UPDATE force_member SET left_on = '2018-01-01' WHERE id = 1",
                          "UPDATE equipment_issue SET returned_on = '2024-01-01' WHERE id = 2")
    only(report, "forces.member_dates", "forces.equipment_dates")
    assert found(report, "forces.member_dates") == [
        "Thành viên \u201cBùi Bích Hạnh\u201d có ngày thôi tham gia 01/01/2018 trước ngày tham gia 28/04/2019."]
    assert found(report, "forces.equipment_dates") == [
        "Trang bị \u201cGậy cao su\u201d cấp cho \u201cBùi Bích Hạnh\u201d ngày 10/04/2024 được ghi trả ngày "
        "01/01/2024, trước ngày cấp."]


def test_two_ward_profiles_in_one_file(full_demo_db_path):
    report = report_after(full_demo_db_path, (
        "INSERT INTO ward (province_kind, province_name, kind, name, police_unit_name, chairman_name, chairman_title, "
        "police_chief_name, police_chief_title, place_name, ubnd_doc_suffix, police_doc_suffix, "
        "next_ubnd_doc_number, next_police_doc_number, created_at, created_by, updated_at, updated_by, version) "
        "SELECT province_kind, province_name, kind, 'Tân Trào', police_unit_name, chairman_name, chairman_title, "
        "police_chief_name, police_chief_title, place_name, ubnd_doc_suffix, police_doc_suffix, 1, 1, created_at, "
        "created_by, updated_at, updated_by, 1 FROM ward"))
    only(report, "profile.count")
    assert found(report, "profile.count") == [
        "Tệp dữ liệu có 2 bộ thông tin xã, phường; mỗi tệp chỉ dành cho một xã, phường."]


# ---- running --------------------------------------------------------------------------------

def test_progress_and_stopping_half_way(full_demo_db_path):
    db = open_database(full_demo_db_path)
    try:
        steps = []
        full = datacheck.run_checks(db, progress=lambda done, total: steps.append((done, total)) or True)
        assert steps[-1] == (len(datacheck.CHECKS), len(datacheck.CHECKS)) and full.ok
        stopped = datacheck.run_checks(db, progress=lambda done, total: done < 3)
    finally:
        db.close()
    assert stopped.checks_run == 3 and not stopped.complete and not stopped.ok
    assert stopped.summary() == f"Đã dừng kiểm tra sau 3/{len(datacheck.CHECKS)} bước; đã thấy 0 vấn đề."


@pytest.mark.parametrize("severity, label", [(Severity.SERIOUS, "Nghiêm trọng"), (Severity.ERROR, "Sai lệch")])
def test_a_problem_reads_as_one_line(severity, label):
    problem = datacheck.Problem(severity, "Đơn vị", "Nội dung.")
    assert problem.line() == f"[{label}] Đơn vị: Nội dung."
