"""Shared pieces: a large register, timing, and printing a figure against its target."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from antq_desktop.db.engine import Database, open_database
from antq_desktop.domain.units import SchoolLevel, UnitKind
from antq_desktop.services import demo, profile
from antq_desktop.services import units as unit_service
from antq_desktop.services.units import UnitInput

_WORDS = ("Minh", "Xuân", "Tân", "Trào", "Đồng", "Tâm", "Hòa", "Bình", "An", "Phúc", "Hưng", "Thịnh", "Sông",
          "Lô", "Phan", "Thiết", "Ỷ", "La", "Nông", "Tiến", "Hồng", "Quang", "Kim", "Ánh", "Dương", "Hà")
_PREFIX = {
    UnitKind.KDC: ("Tổ dân phố", "Thôn", "Khu phố"),
    UnitKind.CO_QUAN: ("Trạm", "Ban", "Trung tâm"),
    UnitKind.DOANH_NGHIEP: ("Công ty TNHH", "Công ty Cổ phần", "Hợp tác xã"),
    UnitKind.GIAO_DUC: ("Trường THCS", "Trường THPT", "Trường Tiểu học"),
}


def synthetic_units(count: int, seed: int = 100_000) -> list[UnitInput]:
    """``count`` plausible, distinct units of every kind (the name ends in a running number)."""
    rng = random.Random(seed)
    kinds = list(UnitKind)
    units = []
    for number in range(1, count + 1):
        kind = kinds[number % len(kinds)]
        words = " ".join(rng.choice(_WORDS) for _ in range(2))
        units.append(UnitInput(
            kind=kind, name=f"{rng.choice(_PREFIX[kind])} {words} {number}",
            address=f"Số {rng.randint(1, 500)}, đường {rng.choice(_WORDS)} {rng.choice(_WORDS)}",
            head_name=f"{rng.choice(('Nguyễn', 'Trần', 'Lê', 'Đỗ'))} Văn {rng.choice(_WORDS)}",
            school_level=SchoolLevel.THCS if kind is UnitKind.GIAO_DUC else None,
        ))
    return units


def large_register(path: Path, count: int = 100_000) -> Database:
    """The demo ward plus ``count`` synthetic units, in a real SQLite file."""
    db = open_database(path)
    with db.transaction() as session:
        demo.load_demo(session, "benchmark")
    with db.transaction() as session:
        ward_id = profile.require_profile(session).id
        unit_service.insert_units(session, ward_id, synthetic_units(count), "benchmark")
    return db


def timed(action: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    """Median and best wall-clock time of ``action`` in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples)


def report(name: str, median_ms: float, target_ms: float | None = None, best_ms: float | None = None) -> None:
    verdict = "" if target_ms is None else ("  OK" if median_ms <= target_ms else "  OVER TARGET")
    target = "" if target_ms is None else f" (target <= {target_ms:.0f} ms)"
    best = "" if best_ms is None else f", best {best_ms:.1f} ms"
    print(f"{name}: median {median_ms:.1f} ms{best}{target}{verdict}")
