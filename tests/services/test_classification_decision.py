"""The chairman's classification decision and the classification dossier, on real databases:
draft, issue (the list frozen by level), correct, the number series it shares with
recognition, the Tờ trình and the score list as data.

Scores are entered as the grid enters them (services.classification.save_cells).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import text

from antq_desktop.db.engine import Database
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import (
    classification,
    classification_decision,
    classification_documents,
    decisions,
)
from antq_desktop.services.classification import SELF, WARD_SCORE, CellEdit
from antq_desktop.services.profile import require_profile
from tests.services.antt_helpers import AnttWard, prepare_year

ACTOR = "cán bộ A"
YEAR = 2026
ISSUED_ON = date(2026, 11, 25)
# The ward's final score of some demo units, given out of order on purpose.
TOTALS = {
    "Tổ dân phố 2": "87.5",
    "Công ty Cổ phần Bê tông Ánh Sáng": "69.99",
    "Tổ dân phố 10": "92",
    "Đảng ủy phường Minh Xuân": "70",
    "Trường THPT Tân Trào": "90",
    "Tổ dân phố 3": "45",
    "Bảo tàng tỉnh Tuyên Quang": "95.5",
}
# By level (highest first), then kind, then name; thresholds 90 / 70 / 50 of the default sheets.
EXPECTED = [
    ("Tổ dân phố 10", "Xuất sắc", Decimal("92")),
    ("Bảo tàng tỉnh Tuyên Quang", "Xuất sắc", Decimal("95.5")),
    ("Trường THPT Tân Trào", "Xuất sắc", Decimal("90")),
    ("Tổ dân phố 2", "Khá", Decimal("87.5")),
    ("Đảng ủy phường Minh Xuân", "Khá", Decimal("70")),
    ("Công ty Cổ phần Bê tông Ánh Sáng", "Trung bình", Decimal("69.99")),
    ("Tổ dân phố 3", "Yếu", Decimal("45")),
]


def _fill(sheet, unit_id: int, total: Decimal, column: str) -> list[CellEdit]:
    """Cells giving ``total``: the sheet's items at their maximum in order, the last one partly."""
    edits, left = [], total
    for item in sheet.leaves():
        if not item.deduction:
            value = min(item.max_points, left)
            left -= value
            edits.append(CellEdit(unit_id, item.code, column, value))
    return edits


def score(db: Database, totals: dict[str, str], year: int = YEAR, column: str = WARD_SCORE) -> None:
    """Give each named unit ``totals[name]`` points in ``column``, one transaction a kind."""
    for kind in UnitKind:
        with db.transaction() as session:
            grid = classification.year_grid(session, 1, year, kind.value)
            edits = [edit for row in grid.rows if row.name in totals
                     for edit in _fill(grid.sheet, row.unit_id, Decimal(totals[row.name]), column)]
            classification.save_cells(session, 1, year, kind.value, edits, ACTOR)


def call(db: Database, function, *args, **kwargs):
    with db.transaction() as session:
        return function(session, *args, **kwargs)


def draft(db: Database, year: int = YEAR) -> int:
    return call(db, classification_decision.draft_decision, 1, year, ACTOR)


def view(db: Database, decision_id: int) -> decisions.DecisionView:
    return call(db, classification_decision.decision_view, decision_id)


def edit(db: Database, decision_id: int, **changes) -> None:
    current = view(db, decision_id)
    data = decisions.DecisionInput(current.number, current.issued_on, current.signer_authority,
                                   current.signer_title, current.signer_name, current.bases, current.recipients)
    call(db, decisions.update_decision, decision_id, replace(data, **changes), ACTOR)


def draft_and_issue(db: Database, number: str = "125", issued_on: date = ISSUED_ON) -> int:
    decision_id = draft(db)
    edit(db, decision_id, number=number, issued_on=issued_on)
    call(db, classification_decision.issue_decision, decision_id, ACTOR)
    return decision_id


def listed(decision_view: decisions.DecisionView) -> list[tuple[str, str, Decimal]]:
    return [(unit.name, unit.level, unit.score) for unit in decision_view.units]


def next_number(db: Database) -> int:
    return call(db, require_profile).next_ubnd_doc_number


def unit_id(db: Database, name: str) -> int:
    with db.transaction() as session:
        return session.execute(text("SELECT id FROM unit WHERE name = :name"), {"name": name}).scalar_one()


@pytest.fixture
def scored(demo_db) -> Database:
    score(demo_db, TOTALS)
    return demo_db


# ---- drafting ------------------------------------------------------------------------------------


def test_draft_is_filled_from_the_profile_and_lists_the_scored_units_by_level(scored):
    current = view(scored, draft(scored))
    assert (current.number, current.symbol, current.year, current.issued, current.issued_on) == (
        "1", "QĐ-UBND", YEAR, False, None)
    assert (current.signer_title, current.signer_name) == ("CHỦ TỊCH", "Hoàng Văn Thắng")
    assert current.bases[0] == "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;"
    assert "Quyết định số 510/QĐ-BCA-V05 ngày 20 tháng 01 năm 2022 của Bộ trưởng Bộ Công an" in current.bases[1]
    assert "kết quả họp xét" in current.bases[2] and current.bases[2].endswith(";")
    assert current.bases[-1] == "Xét đề nghị của Trưởng Công an phường Minh Xuân."
    assert current.recipients[0] == "- Như Điều 3;" and current.recipients[-1] == "- Lưu: VT, CA."
    assert listed(current) == EXPECTED
    assert [unit.kind_label for unit in current.units][:3] == ["Khu dân cư", "Cơ quan", "Cơ sở giáo dục"]


def test_a_draft_follows_the_scores_and_the_decided_level(scored):
    decision_id = draft(scored)
    score(scored, {"Tổ dân phố 3": "50"})
    call(scored, classification.set_level, 1, YEAR, unit_id(scored, "Tổ dân phố 2"), "trung_binh",
         "Để xảy ra vụ trộm tài sản", ACTOR)
    levels = {name: (level, points) for name, level, points in listed(view(scored, decision_id))}
    assert levels["Tổ dân phố 3"] == ("Trung bình", Decimal(50))
    assert levels["Tổ dân phố 2"] == ("Trung bình", Decimal("87.5"))
    assert [name for name, _, _ in listed(view(scored, decision_id))][3:] == [
        "Đảng ủy phường Minh Xuân", "Tổ dân phố 2", "Tổ dân phố 3", "Công ty Cổ phần Bê tông Ánh Sáng"]


def test_one_open_draft_a_year_beside_the_recognition_draft(scored):
    from antq_desktop.services import antt_decision

    first = draft(scored)
    with pytest.raises(UserError, match="Đã có một dự thảo quyết định phân loại phong trào năm 2026"):
        draft(scored)
    call(scored, antt_decision.draft_decision, 1, YEAR, ACTOR)  # another kind has its own draft
    draft(scored, 2025)
    assert [item.id for item in call(scored, classification_decision.year_decisions, 1, YEAR)] == [first]
    assert len(call(scored, antt_decision.year_decisions, 1, YEAR)) == 1


def test_edits_are_checked_as_for_every_decision(scored):
    decision_id = draft(scored)
    with pytest.raises(UserError, match="chỉ gồm chữ số"):
        edit(scored, decision_id, number="12a")
    with pytest.raises(UserError, match="phải thuộc năm 2026"):
        edit(scored, decision_id, issued_on=date(2027, 1, 5))
    edit(scored, decision_id, number=" 007 ", signer_title="phó chủ tịch", signer_authority="kt. chủ tịch")
    current = view(scored, decision_id)
    assert (current.number, current.signer_authority, current.signer_title) == ("7", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH")


def test_a_draft_can_be_deleted(scored):
    decision_id = draft(scored)
    call(scored, decisions.delete_draft, decision_id)
    assert call(scored, classification_decision.year_decisions, 1, YEAR) == []
    draft(scored)


# ---- issuing ---------------------------------------------------------------------------------------


def test_issue_is_refused_when_no_unit_is_scored(demo_db):
    decision_id = draft(demo_db)
    edit(demo_db, decision_id, number="125", issued_on=ISSUED_ON)
    with pytest.raises(UserError, match="Chưa có đơn vị nào được chấm điểm phân loại phong trào năm 2026"):
        call(demo_db, classification_decision.issue_decision, decision_id, ACTOR)
    assert not view(demo_db, decision_id).issued
    assert next_number(demo_db) == 1


def test_issue_needs_a_number_a_date_and_a_signer(scored):
    decision_id = draft(scored)
    with pytest.raises(UserError, match="còn thiếu ngày ban hành"):
        call(scored, classification_decision.issue_decision, decision_id, ACTOR)


def test_issue_freezes_the_list_with_scores_and_levels(scored):
    decision_id = draft_and_issue(scored)
    with scored.transaction() as session:
        rows = session.execute(text("SELECT name, position, level, score_cents FROM decision_unit "
                                    "WHERE decision_id = :id ORDER BY position"), {"id": decision_id}).all()
    assert [tuple(row) for row in rows] == [
        ("Tổ dân phố 10", 1, "xuat_sac", 9200), ("Bảo tàng tỉnh Tuyên Quang", 2, "xuat_sac", 9550),
        ("Trường THPT Tân Trào", 3, "xuat_sac", 9000), ("Tổ dân phố 2", 4, "kha", 8750),
        ("Đảng ủy phường Minh Xuân", 5, "kha", 7000), ("Công ty Cổ phần Bê tông Ánh Sáng", 6, "trung_binh", 6999),
        ("Tổ dân phố 3", 7, "yeu", 4500)]
    assert next_number(scored) == 126


def test_after_issuing_a_changed_score_does_not_change_the_printed_list(scored):
    decision_id = draft_and_issue(scored)
    score(scored, {"Tổ dân phố 2": "95", "Trường THCS Minh Xuân": "80"})
    assert listed(view(scored, decision_id)) == EXPECTED
    document = call(scored, classification_decision.classification_document, decision_id)
    assert [(unit.name, unit.level, unit.score) for unit in document.units] == EXPECTED
    assert "gồm: 3 đơn vị xếp loại Xuất sắc, 2 đơn vị xếp loại Khá" in document.articles[0]


def test_an_issued_decision_is_locked(scored):
    decision_id = draft_and_issue(scored)
    with pytest.raises(UserError, match="đã ban hành"):
        edit(scored, decision_id, number="130")
    with pytest.raises(UserError, match="đã được ban hành"):
        call(scored, classification_decision.issue_decision, decision_id, ACTOR)
    with pytest.raises(UserError, match="không xoá được"):
        call(scored, decisions.delete_draft, decision_id)


def test_the_number_series_is_shared_with_the_recognition_decision(demo_db):
    ward = AnttWard(demo_db)
    prepare_year(ward)
    recognition = ward.draft_and_issue("125")
    score(demo_db, TOTALS)
    decision_id = draft(demo_db)
    assert view(demo_db, decision_id).number == "126"
    edit(demo_db, decision_id, number="125", issued_on=ISSUED_ON)
    with pytest.raises(UserError, match="125/QĐ-UBND năm 2026 đã được dùng"):
        call(demo_db, classification_decision.issue_decision, decision_id, ACTOR)
    edit(demo_db, decision_id, number="126")
    call(demo_db, classification_decision.issue_decision, decision_id, ACTOR)
    assert ward.profile().next_ubnd_doc_number == 127
    assert ward.decision(recognition).issued


# ---- corrections -----------------------------------------------------------------------------------


def test_a_correction_replaces_the_issued_decision_with_the_scores_of_its_day(scored):
    issued = draft_and_issue(scored)
    score(scored, {"Tổ dân phố 3": "72"})
    correction = call(scored, classification_decision.correct_decision, issued, ACTOR)
    current = view(scored, correction)
    assert (current.issued, current.replaces, current.number) == (False, "số 125/QĐ-UBND ngày 25/11/2026", "126")
    assert ("Tổ dân phố 3", "Khá", Decimal(72)) in listed(current)
    articles = call(scored, classification_decision.classification_document, correction).articles
    assert "Quyết định này thay thế Quyết định số 125/QĐ-UBND ngày 25/11/2026." in articles[1]
    assert "thay thế" not in call(scored, classification_decision.classification_document, issued).articles[1]

    edit(scored, correction, issued_on=date(2026, 11, 28))
    call(scored, classification_decision.issue_decision, correction, ACTOR)
    assert listed(view(scored, issued)) == EXPECTED  # the old one stays as it was issued
    assert call(scored, classification_decision.decision_for_printing, 1, YEAR, ACTOR) == correction
    assert next_number(scored) == 127


def test_only_an_issued_decision_can_be_corrected(scored):
    with pytest.raises(UserError, match="đã ban hành"):
        call(scored, classification_decision.correct_decision, draft(scored), ACTOR)


# ---- the documents' data ---------------------------------------------------------------------------


def test_the_decision_document(scored):
    decision_id = draft_and_issue(scored, "5")
    document = call(scored, classification_decision.classification_document, decision_id)
    assert document.subject == ("Về việc phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026 đối với "
                                "khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục")
    assert document.deciding_authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    assert document.issuer.name == "ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN"
    assert (document.number, document.symbol, document.issued_on) == ("5", "QĐ-UBND", ISSUED_ON)
    assert document.articles[0] == (
        "Phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026 đối với 7 đơn vị trên địa bàn phường Minh "
        "Xuân (3 khu dân cư, 2 cơ quan, 1 doanh nghiệp, 1 cơ sở giáo dục), gồm: 3 đơn vị xếp loại Xuất sắc, "
        "2 đơn vị xếp loại Khá, 1 đơn vị xếp loại Trung bình, 1 đơn vị xếp loại Yếu (có danh sách kèm theo).")
    assert "thi đua, khen thưởng" in document.articles[1]
    assert document.articles[2].endswith("chịu trách nhiệm thi hành Quyết định này./.")


def test_nothing_to_print_when_nothing_is_scored(demo_db):
    with pytest.raises(UserError, match="nên chưa có gì để in"):
        call(demo_db, classification_decision.decision_for_printing, 1, YEAR, ACTOR)
    with pytest.raises(UserError, match="chưa lập được tờ trình"):
        call(demo_db, classification_documents.classification_proposal, 1, YEAR)
    with pytest.raises(UserError, match="chưa lập được thống kê"):
        call(demo_db, classification_documents.score_list, 1, YEAR)


def test_the_proposal_counts_each_level_per_kind(scored):
    proposal = call(scored, classification_documents.classification_proposal, 1, YEAR)
    assert proposal.levels == ("Xuất sắc", "Khá", "Trung bình", "Yếu")
    assert [(tally.label, tally.eligible, tally.scored, tally.by_level) for tally in proposal.by_kind] == [
        ("Khu dân cư", 20, 3, (1, 1, 0, 1)), ("Cơ quan", 14, 2, (1, 1, 0, 0)),
        ("Doanh nghiệp", 16, 1, (0, 0, 1, 0)), ("Cơ sở giáo dục", 4, 1, (1, 0, 0, 0))]
    assert (proposal.total.eligible, proposal.total.scored, proposal.total.by_level) == (54, 7, (3, 2, 1, 1))
    assert (proposal.share_label, proposal.share_count) == ("Khá", 5)
    assert proposal.addressee == "Chủ tịch Ủy ban nhân dân phường Minh Xuân"
    assert proposal.issuer.name == "CÔNG AN PHƯỜNG MINH XUÂN" and proposal.symbol.startswith("TTr")
    assert any("510/QĐ-BCA-V05" in line for line in proposal.bases)


def test_the_score_list_by_kind_with_both_scores_and_the_reasons(scored):
    score(scored, {"Tổ dân phố 2": "90.5"}, column=SELF)
    call(scored, classification.set_level, 1, YEAR, unit_id(scored, "Tổ dân phố 10"), "kha",
         "Chưa tổ chức Ngày hội", ACTOR)
    data = call(scored, classification_documents.score_list, 1, YEAR, today=date(2026, 11, 20))
    rows = {unit.name: unit for unit in data.units}
    assert [unit.kind_label for unit in data.units] == ["Khu dân cư"] * 3 + ["Cơ quan"] * 2 + [
        "Doanh nghiệp", "Cơ sở giáo dục"]
    assert (rows["Tổ dân phố 2"].self_total, rows["Tổ dân phố 2"].total) == (Decimal("90.5"), Decimal("87.5"))
    assert rows["Tổ dân phố 3"].self_total is None
    assert (rows["Tổ dân phố 10"].proposed, rows["Tổ dân phố 10"].level) == ("Xuất sắc", "Khá")
    assert rows["Tổ dân phố 10"].note == "Xếp loại khác mức đề xuất: Chưa tổ chức Ngày hội."
    assert rows["Tổ dân phố 2"].note == ""
    assert (data.unscored, data.issued_on) == (47, date(2026, 11, 20))


def test_the_score_list_names_the_cap_rule_applied(demo_db):
    """A unit not recognised "An toàn về ANTT" that year is capped at Trung bình (a default rule)."""
    ward = AnttWard(demo_db)
    prepare_year(ward)
    ward.draft_and_issue("125")
    score(demo_db, {"Tổ dân phố 5": "95", "Tổ dân phố 2": "95"})
    rows = {unit.name: unit for unit in call(demo_db, classification_documents.score_list, 1, YEAR).units}
    assert (rows["Tổ dân phố 5"].proposed, rows["Tổ dân phố 5"].level) == ("Trung bình", "Trung bình")
    assert rows["Tổ dân phố 5"].note.startswith("Hạ mức: ")
    assert (rows["Tổ dân phố 2"].proposed, rows["Tổ dân phố 2"].note) == ("Xuất sắc", "")
