"""Printing figures: a decision with a 1,000-unit list (<= 1 s) and 1,000 certificates (<= 10 s).

Each is written to a real file, as the program does, and timed as the median of 3 runs.
"""

from __future__ import annotations

import tempfile
from datetime import date
from pathlib import Path

from antq_desktop.domain.units import UnitKind
from antq_desktop.reports.certificate import render_certificates
from antq_desktop.reports.data import (
    Certificate,
    Issuer,
    ListedUnit,
    RecognitionDecision,
    Signer,
)
from antq_desktop.reports.recognition_decision import render_recognition_decision
from benchmarks.common import report, synthetic_units, timed

UNITS = 1_000
ISSUER = Issuer(parent=None, name="ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN", place="Minh Xuân")
SIGNER = Signer(authority=None, title="CHỦ TỊCH", name="Hoàng Văn Thắng")
AUTHORITY = "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
STANDARD = "“An toàn về an ninh, trật tự”"


def _units() -> list[ListedUnit]:
    order = list(UnitKind)
    units = sorted(synthetic_units(UNITS), key=lambda unit: order.index(unit.kind))  # grouped by kind
    return [ListedUnit(unit.name, unit.kind.label, unit.address) for unit in units]


def _decision(units: list[ListedUnit]) -> RecognitionDecision:
    return RecognitionDecision(
        issuer=ISSUER, number="125", symbol="QĐ-UBND", issued_on=date(2026, 11, 18), year=2026,
        subject=("Về việc công nhận khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
                 f"{STANDARD} năm 2026"),
        deciding_authority=AUTHORITY,
        bases=("Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;",
               "Căn cứ Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021 của Bộ trưởng Bộ Công an;",
               "Xét đề nghị của Trưởng Công an phường Minh Xuân."),
        articles=(f"Công nhận {len(units)} đơn vị đạt tiêu chuẩn {STANDARD} năm 2026 (có danh sách kèm theo).",
                  "Quyết định này có hiệu lực kể từ ngày ký.",
                  "Các cơ quan, đơn vị có tên tại Điều 1 chịu trách nhiệm thi hành Quyết định này./."),
        units=tuple(units), recipients=("- Như Điều 3;", "- Lưu: VT, CA."), signer=SIGNER,
    )


def _certificates(units: list[ListedUnit]) -> list[Certificate]:
    return [Certificate(
        issuer=ISSUER, deciding_authority=AUTHORITY, unit_name=unit.name,
        achievement=f"Đạt tiêu chuẩn {STANDARD} năm 2026",
        decision_ref="(Quyết định số 125/QĐ-UBND ngày 18 tháng 11 năm 2026 của Chủ tịch UBND phường Minh Xuân)",
        issued_on=date(2026, 11, 18), signer=SIGNER, register_number=f"{number}/GCN",
    ) for number, unit in enumerate(units, start=1)]


def run() -> None:
    units = _units()
    decision, certificates = _decision(units), _certificates(units)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "out.pdf"
        render_recognition_decision(decision, path)   # warm-up: font files parsed once per process
        median, best = timed(lambda: render_recognition_decision(decision, path), repeat=3)
        report(f"decision with a {UNITS:,}-unit list to PDF", median, 1_000, best)
        median, best = timed(lambda: render_certificates(certificates, path), repeat=3)
        report(f"{UNITS:,} certificates to PDF", median, 10_000, best)


if __name__ == "__main__":
    run()
