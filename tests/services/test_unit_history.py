"""One unit's history gathers every register's records under their years, newest first."""

from __future__ import annotations

from datetime import date

import pytest

from antq_desktop.domain.forces import ForceLevel
from antq_desktop.errors import UserError
from antq_desktop.services import forces
from antq_desktop.services import units as unit_service
from antq_desktop.services.unit_history import unit_history
from tests.services.antt_helpers import ACTOR, AnttWard, prepare_year


def _lines(history, year):
    return [(line.area, line.text) for found in history.years if found.year == year for line in found.lines]


def test_a_units_years_newest_first_with_every_area(demo_db):
    ward = AnttWard(demo_db)
    prepare_year(ward)
    ward.draft_and_issue()
    unit_id = ward.unit_id("Tổ dân phố 2")
    ward.call(forces.set_force_rating, 1, 2026, unit_id, ForceLevel.HOAN_THANH_TOT, "", ACTOR)
    history = ward.call(unit_history, unit_id)
    assert history.name == "Tổ dân phố 2" and history.status == "Đang hoạt động"
    assert [found.year for found in history.years][:2] == [2026, 2025]
    lines_2026 = _lines(history, 2026)
    assert ("An toàn về ANTT", "Đăng ký ngày 10/03/2026; tình trạng: Đạt.") in lines_2026
    assert ("Tổ bảo vệ ANTT", "Được đánh giá “Hoàn thành tốt nhiệm vụ”.") in lines_2026
    assert any(area == "Quyết định" and "số 125/QĐ-UBND ngày 18/11/2026" in text for area, text in lines_2026)
    [(area, text)] = _lines(history, 2025)  # the demo's classified year
    assert area == "Phân loại phong trào" and text.startswith("Tổng điểm ") and "xếp loại" in text


def test_a_dissolved_unit_says_so_and_a_missing_one_is_refused(demo_db):
    ward = AnttWard(demo_db)
    unit_id = ward.unit_id("Tổ dân phố 20")
    ward.call(unit_service.dissolve_unit, unit_id, date(2026, 7, 1), "Sáp nhập địa giới", ACTOR)
    assert ward.call(unit_history, unit_id).status == "Đã giải thể ngày 01/07/2026 (Sáp nhập địa giới)"
    with pytest.raises(UserError, match="Không tìm thấy đơn vị"):
        ward.call(unit_history, 99999)
