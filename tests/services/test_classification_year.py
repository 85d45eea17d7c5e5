"""The classification year on a real database: cells saved at once, all-or-nothing blocks, the
year's own sheets, levels with caps and overrides, and the KPIs counted by hand."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from antq_desktop.db.models import ClassificationRecord, ClassificationScore
from antq_desktop.domain import classification as rules
from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.services import antt
from antq_desktop.services import classification as service
from antq_desktop.services.classification import SELF, WARD_SCORE, CellEdit
from tests.services.antt_helpers import AnttWard, prepare_year

ACTOR = "kiểm thử"
YEAR = 2026
KDC = "kdc"


def _grid(db, kind=KDC, year=YEAR):
    with db.reading() as session:
        return service.year_grid(session, 1, year, kind)


def _save(db, edits, kind=KDC, year=YEAR):
    with db.transaction() as session:
        service.save_cells(session, 1, year, kind, edits, ACTOR)


def _full_marks(grid, unit_id, column=WARD_SCORE, minus: Decimal = Decimal(0)):
    """Every normal item at its maximum, then ``minus`` points taken off from the last items."""
    scores = {item.code: item.max_points for item in grid.columns if not _is_deduction(grid, item)}
    for code in reversed(list(scores)):
        taken = min(minus, scores[code])
        scores[code] -= taken
        minus -= taken
    return [CellEdit(unit_id, code, column, value) for code, value in scores.items()]


def _is_deduction(grid, item):
    return any(top.deduction and item in tuple(top.walk()) for top in grid.sheet.items)


def _row(grid, unit_id):
    return next(row for row in grid.rows if row.unit_id == unit_id)


def test_the_grid_lists_the_kinds_units_and_the_wards_own_sheet(demo_db):
    grid = _grid(demo_db)
    assert len(grid.rows) == 20 and all(row.kind == KDC and not row.scored for row in grid.rows)
    assert grid.rows[0].name == "Tổ dân phố 1"
    assert [item.code for item in grid.columns][:3] == ["1.1", "1.2", "1.3"]
    ward = _grid(demo_db, "xa_phuong")
    assert [(row.unit_id, row.name) for row in ward.rows] == [(None, "phường Minh Xuân")]


def test_a_cell_is_saved_at_once_and_read_back(demo_db):
    unit_id = _grid(demo_db).rows[0].unit_id
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, Decimal("2.5")), CellEdit(unit_id, "1.2", WARD_SCORE, Decimal(3))])
    row = _row(_grid(demo_db), unit_id)
    assert row.self_scores == {"1.1": Decimal("2.5")} and row.ward_scores == {"1.2": Decimal(3)}
    assert row.updated_at.date() == date.today()


def test_the_wards_score_overrides_the_units_own_item_by_item(demo_db):
    grid = _grid(demo_db)
    unit_id = grid.rows[0].unit_id
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, Decimal(4)), CellEdit(unit_id, "1.2", SELF, Decimal(3)),
                    CellEdit(unit_id, "1.1", WARD_SCORE, Decimal(1))])
    row = _row(_grid(demo_db), unit_id)
    assert row.total(grid.sheet, SELF) == 7
    assert row.total(grid.sheet, WARD_SCORE) == 1
    assert row.total(grid.sheet) == 4  # 1.1 from the ward, 1.2 kept from the unit


def test_emptying_a_cell_removes_it(demo_db):
    unit_id = _grid(demo_db).rows[0].unit_id
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, Decimal(2))])
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, None)])
    assert not _row(_grid(demo_db), unit_id).scored
    with demo_db.reading() as session:
        left = select(func.count()).select_from(ClassificationScore).join(ClassificationRecord).where(
            ClassificationRecord.year == YEAR)
        assert session.scalar(left) == 0


def test_one_bad_cell_in_a_block_saves_nothing_and_names_the_unit_and_item(demo_db):
    rows = _grid(demo_db).rows
    edits = [CellEdit(rows[0].unit_id, "1.1", SELF, Decimal(1)), CellEdit(rows[1].unit_id, "1.1", WARD_SCORE, Decimal(9))]
    with pytest.raises(UserError, match=r"Tổ dân phố 2, điểm xã chấm: Điểm mục 1\.1 \(9\) vượt quá điểm chuẩn 4"):
        _save(demo_db, edits)
    assert not any(row.scored for row in _grid(demo_db).rows)
    assert not _grid(demo_db).started


@pytest.mark.parametrize("value, message", [
    (Decimal("-0.5"), "không được âm"),
    (Decimal("1.255"), "tối đa 2 chữ số thập phân"),
])
def test_bad_values_are_refused_in_vietnamese(demo_db, value, message):
    unit_id = _grid(demo_db).rows[0].unit_id
    with pytest.raises(UserError, match=message):
        _save(demo_db, [CellEdit(unit_id, "1.1", SELF, value)])


def test_a_unit_of_another_kind_or_an_unknown_item_is_refused(demo_db):
    other = _grid(demo_db, "co_quan").rows[0].unit_id
    with pytest.raises(UserError, match="không thuộc danh sách khu dân cư"):
        _save(demo_db, [CellEdit(other, "1.1", SELF, Decimal(1))])
    unit_id = _grid(demo_db).rows[0].unit_id
    with pytest.raises(UserError, match='không có mục "9.9"'):
        _save(demo_db, [CellEdit(unit_id, "9.9", SELF, None)])


def test_a_started_year_keeps_its_sheets_when_the_sheets_are_edited(demo_db):
    unit_id = _grid(demo_db).rows[0].unit_id
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, Decimal(4))])
    with demo_db.transaction() as session:
        raw = rules.sheet_set_to_dict(service.current_sheet_set(session, 1))
        raw["levels"][1]["min_total"] = 75
        service.save_sheet_set(session, 1, raw, ACTOR)
    assert _grid(demo_db).sheet_set.level("kha").min_total == 70  # 2026 began with the old sheets
    assert _grid(demo_db, year=2027).sheet_set.level("kha").min_total == 75
    with demo_db.transaction() as session:
        service.adopt_current_sheets(session, 1, YEAR, ACTOR)
    assert _grid(demo_db).sheet_set.level("kha").min_total == 75


def test_adopting_sheets_a_score_no_longer_fits_is_refused(demo_db):
    unit_id = _grid(demo_db).rows[0].unit_id
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, Decimal(4))])
    with demo_db.transaction() as session:
        raw = rules.sheet_set_to_dict(service.current_sheet_set(session, 1))
        kdc_first = raw["sheets"][KDC][0]
        kdc_first["children"][0]["max_points"] -= 1  # 1.1 now worth 3 ...
        kdc_first["children"][1]["max_points"] += 1  # ... and 1.2 one more
        service.save_sheet_set(session, 1, raw, ACTOR)
    with demo_db.transaction() as session, pytest.raises(UserError, match=r"Tổ dân phố 1, điểm tự chấm.*1\.1 \(4\)"):
        service.adopt_current_sheets(session, 1, YEAR, ACTOR)


def test_levels_at_the_thresholds(demo_db):
    grid = _grid(demo_db)
    at_90, below_90, at_70 = (row.unit_id for row in grid.rows[:3])
    _save(demo_db, _full_marks(grid, at_90, minus=Decimal(10)) + _full_marks(grid, below_90, minus=Decimal("10.01"))
          + [CellEdit(at_70, item.code, SELF, item.max_points) for item in grid.columns[:0]])
    grid = _grid(demo_db)
    assert _row(grid, at_90).total(grid.sheet) == 90 and _row(grid, at_90).level(grid.sheet_set).code == "xuat_sac"
    assert _row(grid, below_90).total(grid.sheet) == Decimal("89.99")
    assert _row(grid, below_90).level(grid.sheet_set).code == "kha"
    assert _row(grid, at_70).level(grid.sheet_set) is None  # not scored: no level


def test_a_serious_crime_caps_the_level_and_says_why(demo_db):
    grid = _grid(demo_db)
    unit_id = grid.rows[0].unit_id
    _save(demo_db, _full_marks(grid, unit_id))
    with demo_db.transaction() as session:
        crime = next(kind for kind in antt.incident_kinds(UnitKind.KDC, YEAR) if kind.crime)
        antt.add_incident(session, 1, unit_id, antt.IncidentInput(
            occurred_on=date(2026, 5, 2), kind_code=crime.code, severity=CrimeSeverity.RAT_NGHIEM_TRONG,
            summary="Cướp tài sản"), ACTOR)
    grid = _grid(demo_db)
    row = _row(grid, unit_id)
    assert row.derived_facts == {"serious_crime"}
    proposal = row.proposal(grid.sheet_set)
    assert proposal.uncapped_level.code == "xuat_sac"
    rule = next(rule for rule in grid.sheet_set.rules if rule.condition == "serious_crime")
    assert proposal.level.code == rule.max_level and rule in proposal.applied_rules
    assert "Áp dụng quy tắc hạ mức" in proposal.explanation


def test_a_marked_fact_caps_when_its_rule_is_on_and_an_override_needs_a_reason(demo_db):
    with demo_db.transaction() as session:
        raw = rules.sheet_set_to_dict(service.current_sheet_set(session, 1))
        for rule in raw["rules"]:
            rule["enabled"] = rule["condition"] == "no_ngay_hoi"  # off in the shipped defaults
        service.save_sheet_set(session, 1, raw, ACTOR)
    grid = _grid(demo_db)
    unit_id = grid.rows[0].unit_id
    _save(demo_db, _full_marks(grid, unit_id))
    with demo_db.transaction() as session:
        service.set_marked_facts(session, 1, YEAR, unit_id, ["no_ngay_hoi"], "Không tổ chức Ngày hội", ACTOR)
    grid = _grid(demo_db)
    assert _row(grid, unit_id).level(grid.sheet_set).code == "kha"
    with demo_db.transaction() as session, pytest.raises(UserError, match="lý do"):
        service.set_level(session, 1, YEAR, unit_id, "xuat_sac", "  ", ACTOR)
    with demo_db.transaction() as session:
        service.set_level(session, 1, YEAR, unit_id, "xuat_sac", "Đã tổ chức bù vào tháng 9", ACTOR)
    row = _row(_grid(demo_db), unit_id)
    assert row.level(grid.sheet_set).code == "xuat_sac" and row.override_reason == "Đã tổ chức bù vào tháng 9"
    with demo_db.transaction() as session:
        service.set_level(session, 1, YEAR, unit_id, None, "", ACTOR)
    assert _row(_grid(demo_db), unit_id).level_override is None


def test_a_stale_level_change_is_refused(demo_db):
    grid = _grid(demo_db)
    unit_id = grid.rows[0].unit_id
    _save(demo_db, _full_marks(grid, unit_id))
    version = _row(_grid(demo_db), unit_id).version
    with demo_db.transaction() as session:
        service.set_level(session, 1, YEAR, unit_id, "kha", "Hạ mức theo họp xét", ACTOR, version)
    with demo_db.transaction() as session, pytest.raises(UserError, match="vừa được"):
        service.set_level(session, 1, YEAR, unit_id, "trung_binh", "Hạ nữa", ACTOR, version)


def test_copy_self_to_ward_fills_only_empty_ward_cells(demo_db):
    unit_id = _grid(demo_db).rows[0].unit_id
    _save(demo_db, [CellEdit(unit_id, "1.1", SELF, Decimal(4)), CellEdit(unit_id, "1.2", SELF, Decimal(3)),
                    CellEdit(unit_id, "1.1", WARD_SCORE, Decimal(2))])
    with demo_db.transaction() as session:
        assert service.copy_self_to_ward(session, 1, YEAR, KDC, ACTOR) == 1
    assert _row(_grid(demo_db), unit_id).ward_scores == {"1.1": Decimal(2), "1.2": Decimal(3)}


def test_stats_count_levels_by_hand(demo_db):
    grid = _grid(demo_db)
    rows = grid.rows
    edits = (_full_marks(grid, rows[0].unit_id) + _full_marks(grid, rows[1].unit_id, minus=Decimal(20))
             + _full_marks(grid, rows[2].unit_id, minus=Decimal(55)))
    _save(demo_db, edits)
    schools = _grid(demo_db, "giao_duc")
    _save(demo_db, _full_marks(schools, schools.rows[0].unit_id, minus=Decimal(1)), kind="giao_duc")
    with demo_db.reading() as session:
        stats = service.classification_stats(session, 1, YEAR).as_dict()
    # KDC: 100 (xuất sắc), 80 (khá), 45 (yếu); school: 99 (xuất sắc) -> 3 of 4 at khá or above
    assert stats["by_level"] == {"xuat_sac": 2, "kha": 1, "trung_binh": 0, "yeu": 1}
    assert stats["units"] == 4 and stats["kha_or_above_pct"] == 75.0 and stats["any_yeu"] is True
    assert stats["by_kind"]["kdc"]["by_level"] == {"xuat_sac": 1, "kha": 1, "trung_binh": 0, "yeu": 1}
    assert stats["by_kind"]["kdc"]["eligible"] == 20
    assert stats["by_kind"]["co-quan"] == {"units": 0, "eligible": 14, "by_level": {
        "xuat_sac": 0, "kha": 0, "trung_binh": 0, "yeu": 0}, "kha_or_above_pct": None, "any_yeu": False}


def test_year_results_use_the_final_total_and_the_decided_level(demo_db):
    grid = _grid(demo_db)
    unit_id = grid.rows[0].unit_id
    _save(demo_db, _full_marks(grid, unit_id, column=SELF) + [CellEdit(unit_id, "1.1", WARD_SCORE, Decimal(0))])
    with demo_db.transaction() as session:
        service.set_level(session, 1, YEAR, unit_id, "kha", "Theo kết luận họp xét", ACTOR)
    with demo_db.reading() as session:
        [result] = service.year_results(session, 1, YEAR)
    assert result.total == 96 and result.self_total == 100
    assert result.proposal.level.code == "xuat_sac" and result.level.code == "kha"


def test_not_recognised_antt_is_established_from_the_issued_recognition(demo_db):
    ward = AnttWard(demo_db)
    prepare_year(ward)
    before = {row.name: row.derived_facts for row in _grid(demo_db).rows}
    assert before["Tổ dân phố 5"] == {"not_recognized_antt"}  # found failing at the review meeting
    assert before["Tổ dân phố 1"] == frozenset()  # still in progress: not yet a fact
    ward.draft_and_issue()
    after = {row.name: row.derived_facts for row in _grid(demo_db).rows}
    assert after["Tổ dân phố 1"] == {"not_recognized_antt"}  # left out of the issued decision
    assert after["Tổ dân phố 2"] == frozenset() and after["Tổ dân phố 10"] == frozenset()


def test_the_demo_ward_has_a_finished_year_to_look_at(demo_db):
    with demo_db.reading() as session:
        stats = service.classification_stats(session, 1, 2025)
    assert stats.total.units == stats.total.eligible == 54
    assert stats.total.by_level["kha"] > stats.total.by_level["xuat_sac"] > stats.total.by_level["trung_binh"] > 0


def test_a_block_that_sets_changes_and_empties_cells_in_one_go(demo_db):
    first, second = (row.unit_id for row in _grid(demo_db).rows[:2])
    _save(demo_db, [CellEdit(first, "1.1", SELF, Decimal(1)), CellEdit(first, "1.2", SELF, Decimal(2)),
                    CellEdit(first, "1.2", WARD_SCORE, Decimal(1))])
    _save(demo_db, [CellEdit(first, "1.1", SELF, None), CellEdit(first, "1.2", SELF, None),
                    CellEdit(first, "1.3", WARD_SCORE, Decimal(3)), CellEdit(second, "2.1", SELF, Decimal(5)),
                    CellEdit(second, "2.2", SELF, Decimal(1)), CellEdit(second, "2.2", SELF, None)])
    with demo_db.reading() as session:
        [row] = service.year_grid(session, 1, YEAR, KDC, only_unit=first).rows
        [other] = service.year_grid(session, 1, YEAR, KDC, only_unit=second).rows
    assert row.self_scores == {} and row.ward_scores == {"1.2": Decimal(1), "1.3": Decimal(3)}
    assert other.self_scores == {"2.1": Decimal(5)} and other.ward_scores == {}


def test_a_year_with_an_issued_classification_keeps_its_sheets(demo_db):
    from datetime import date as day

    from antq_desktop.services import classification_decision as decision
    from antq_desktop.services import decisions

    with demo_db.transaction() as session:
        decision_id = decision.draft_decision(session, 1, 2025, ACTOR)
        view = decision.decision_view(session, decision_id)
        decisions.update_decision(session, decision_id, replace(view, number="140", issued_on=day(2025, 11, 28)), ACTOR)
        decision.issue_decision(session, decision_id, ACTOR)
    with demo_db.transaction() as session, pytest.raises(UserError, match="đã có quyết định phân loại"):
        service.adopt_current_sheets(session, 1, 2025, ACTOR)


def test_the_ngay_hoi_register_establishes_who_did_not_hold_it(demo_db):
    from antq_desktop.db.models import Festival
    from antq_desktop.services.tracking import stamp_created

    rows = _grid(demo_db).rows
    assert not any("no_ngay_hoi" in row.derived_facts for row in rows)  # no register kept: nothing derived
    with demo_db.transaction() as session:
        festival = Festival(ward_id=1, unit_id=rows[0].unit_id, year=YEAR, held_on=date(2026, 8, 19), highlights="")
        stamp_created(festival, ACTOR)
        session.add(festival)
    facts = {row.unit_id: row.derived_facts for row in _grid(demo_db).rows}
    assert "no_ngay_hoi" not in facts[rows[0].unit_id]
    assert all("no_ngay_hoi" in facts[row.unit_id] for row in rows[1:])
    assert not any("no_ngay_hoi" in row.derived_facts for row in _grid(demo_db, year=2025).rows)
