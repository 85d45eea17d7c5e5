"""The issue's "done when": a year exported, edited in LibreOffice Calc and imported back shows
exactly the edits. Calc itself types the values (tools/calc_edit.py drives it headless through
its UNO bridge) and saves the file as .xlsx, as an officer's Ctrl+S does; .ci/run installs it."""

from __future__ import annotations

import json
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest

from antq_desktop.services import antt_assessment, classification, units, workbook
from tests.services.antt_helpers import ACTOR
from tests.services.workbook_helpers import YEAR, Book, build_year

ROOT = Path(__file__).resolve().parents[2]
SYSTEM_PYTHON = "/usr/bin/python3"  # the Python LibreOffice's uno module is installed for


def _calc_available() -> bool:
    if shutil.which("soffice") is None or not Path(SYSTEM_PYTHON).exists():
        return False
    return subprocess.run([SYSTEM_PYTHON, "-c", "import uno"], capture_output=True).returncode == 0


pytestmark = pytest.mark.skipif(not _calc_available(), reason="LibreOffice Calc with python3-uno is not installed")


def _typed_in_calc(source: Path, target: Path, edits: list[dict], tmp_path: Path) -> Path:
    edits_file = tmp_path / "edits.json"
    edits_file.write_text(json.dumps(edits, ensure_ascii=False), encoding="utf-8")
    subprocess.run([SYSTEM_PYTHON, str(ROOT / "tools" / "calc_edit.py"), str(source), str(target), str(edits_file),
                    str(tmp_path / "lo-profile")], check=True, capture_output=True, timeout=300)
    return target


def _edits(book: Book) -> list[dict]:
    """A unit's phone (text) and households (number), a unit typed below the data, a criterion
    answered "Không đạt" from its dropdown with a note, a score with a decimal."""
    def cell(sheet: str, row: int, header: str, value) -> dict:
        return {"sheet": sheet, "row": row, "column": book.column(sheet, header), "value": value}

    unit_row = book.row("Đơn vị", "Tên đơn vị", "Tổ dân phố 3")
    new_row = book.last_row("Đơn vị") + 1
    point_row = book.row_where("Kết quả tiêu chí", **{"Đơn vị": "Tổ dân phố 1", "Mã tiêu chí (không sửa)": "1a"})
    score_row = book.row_where("Điểm phân loại", **{"Đơn vị": "Tổ dân phố 1", "Mã mục (không sửa)": "1.1"})
    return [
        cell("Đơn vị", unit_row, "Điện thoại", "0912 345 678"),
        cell("Đơn vị", unit_row, "Số hộ gia đình", 250),
        cell("Đơn vị", new_row, "Loại đơn vị", "Khu dân cư"),
        cell("Đơn vị", new_row, "Tên đơn vị", "Tổ dân phố 21"),
        cell("Đơn vị", new_row, "Số hộ gia đình", 80),
        cell("Kết quả tiêu chí", point_row, "Kết quả", "Không đạt"),
        cell("Kết quả tiêu chí", point_row, "Ghi chú", "Chi bộ chưa ra nghị quyết"),
        cell("Điểm phân loại", score_row, "Điểm xã chấm", 3.5),
    ]


def test_edits_typed_in_calc_come_back_exactly(demo_db, tmp_path):
    ward = build_year(demo_db)
    exported = tmp_path / "tong-hop-2025.xlsx"
    with ward.db.reading() as session:
        workbook.export_year(session, ward.ward_id, YEAR, exported)
    edited = _typed_in_calc(exported, tmp_path / "da-sua-bang-calc.xlsx", _edits(Book(exported)), tmp_path)

    with ward.db.transaction() as session:
        plan = workbook.read_workbook(session, ward.ward_id, edited)
        counts = {sheet.title: (sheet.added, sheet.changed) for sheet in plan.sheets if sheet.added or sheet.changed}
        assert counts == {"Đơn vị": (1, 1), "Kết quả tiêu chí": (0, 1), "Điểm phân loại": (0, 1)}
        assert plan.unchanged > 1000  # everything Calc saved again untouched reads as it was
        workbook.apply(session, plan, ACTOR)

    with ward.db.reading() as session:
        unit = units.get_unit(session, ward.unit_id("Tổ dân phố 3"))
        assert (unit.head_phone, unit.households) == ("0912 345 678", 250)
        assert units.get_unit(session, ward.unit_id("Tổ dân phố 21")).households == 80
        view = antt_assessment.assessment(session, ward.record_id("Tổ dân phố 1", YEAR))
        answer = next(point for point in view.points if point.code == "1a")
        assert (answer.met, answer.note) == (False, "Chi bộ chưa ra nghị quyết")
        grid = classification.year_grid(session, ward.ward_id, YEAR, "kdc", only_unit=ward.unit_id("Tổ dân phố 1"))
        assert grid.rows[0].ward_scores["1.1"] == Decimal("3.5")
        again = workbook.read_workbook(session, ward.ward_id, edited)
    assert not again.has_changes  # the same file twice: nothing more to do
