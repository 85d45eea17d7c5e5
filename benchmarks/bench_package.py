"""Issue 7 figure: importing the data packages of 50 wards into one database (<= 30 s).

The demo ward with its field work (68 units, about 3,900 records over 2024–2030: registrations
and their criteria, scores, decisions, inspections, forces, trainings, activities, the plan) is
exported once, then copied as 50 different wards: each copy gets its own name and a new uid for
every record (the references follow), as 50 real wards' packages would have. The timed work is
importing the 50 packages one after another into one new SQLite database, each in its own
transaction, as the window and `antq package import` do (reading and checking the file
included). Then, on the 50-ward database: importing one ward again (a replace) and gathering
the year's figures of all 50 wards (the province page).
"""

from __future__ import annotations

import hashlib
import json
import random
import statistics
import tempfile
import time
import uuid
import zipfile
from datetime import date
from pathlib import Path

from antq_desktop.db.engine import open_database
from antq_desktop.services import demo, package, province

WARDS = 50
TARGET_S = 30.0
ACTOR = "benchmark"
_FIRST = ("Tân", "Hưng", "Phúc", "An", "Minh", "Đồng", "Hòa", "Bình", "Kim", "Thịnh")
_SECOND = ("Thành", "Lộc", "Tiến", "Quang", "Xuân", "Trào", "Phú", "Hồng", "Sơn", "Hà")


def ward_name(number: int) -> str:
    """A plausible, distinct name for ward ``number`` (0–99)."""
    return f"{_FIRST[number % 10]} {_SECOND[number // 10 % 10]}"


def another_ward(source: Path, target: Path, number: int) -> Path:
    """The package ``source`` copied as another ward: ward ``number``'s name, a new uid for every
    record (each reference rewritten to the new uid of the row it names), checksum recomputed."""
    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read(package.MANIFEST_NAME))
        data = json.loads(archive.read(package.DATA_NAME))
    draw = random.Random(number)
    fresh: dict[str, str] = {}

    def renamed(uid: str | None) -> str | None:
        if uid is not None and uid not in fresh:
            fresh[uid] = uuid.UUID(int=draw.getrandbits(128), version=4).hex
        return None if uid is None else fresh[uid]

    for table, content in data["tables"].items():
        spec = package.SPECS[table]
        positions = [index for index, column in enumerate(content["columns"])
                     if column == "uid" or column in spec.references]
        for row in content["rows"]:
            for index in positions:
                row[index] = renamed(row[index])
    name = ward_name(number)
    columns = data["tables"]["ward"]["columns"]
    (ward,) = data["tables"]["ward"]["rows"]
    for column, value in (("name", name), ("place_name", name), ("police_unit_name", f"Công an phường {name}")):
        ward[columns.index(column)] = value
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    manifest["ward"].update(uid=ward[columns.index("uid")], name=name)
    manifest.update(data_sha256=hashlib.sha256(encoded).hexdigest(), data_size=len(encoded))
    with open(target, "wb") as handle:
        package.write_archive(handle, manifest, encoded)
    return target


def _source_package(folder: Path) -> Path:
    db = open_database(folder / "nguon.sqlite")
    try:
        with db.transaction() as session:
            demo.load_demo(session, ACTOR, field_work=True)
        path = folder / "Minh-Xuan-tat-ca-cac-nam.antq"
        with db.reading() as session:
            package.export_package(session, path, ACTOR)
        return path
    finally:
        db.close()


def run() -> None:
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        start = time.perf_counter()
        source = _source_package(folder)
        packages = [another_ward(source, folder / f"phuong-{number:02d}.antq", number) for number in range(WARDS)]
        info = package.describe(packages[0])
        print(f"{WARDS} packages of {info.total_rows:,} records each ({source.stat().st_size / 1e3:.0f} KB), "
              f"made in {time.perf_counter() - start:.1f} s")

        target = folder / "tinh.sqlite"
        db = open_database(target)
        try:
            seconds = []
            for path in packages:
                began = time.perf_counter()
                with db.transaction() as session:
                    package.import_package(session, path)
                seconds.append(time.perf_counter() - began)
            total = sum(seconds)
            verdict = "OK" if total <= TARGET_S else "OVER TARGET"
            print(f"import of {WARDS} packages into one database: {total:.2f} s (target <= {TARGET_S:.0f} s)  "
                  f"{verdict}")
            print(f"  per package: median {statistics.median(seconds) * 1000:.0f} ms, first "
                  f"{seconds[0] * 1000:.0f} ms, last {seconds[-1] * 1000:.0f} ms, slowest {max(seconds) * 1000:.0f} ms")
            db.close()  # the WAL checkpointed into the file: its real size
            print(f"  database: {target.stat().st_size / 1e6:.1f} MB, {WARDS * info.total_rows:,} records")
            db = open_database(target)
            began = time.perf_counter()
            with db.transaction() as session:
                package.import_package(session, packages[WARDS // 2])
            print(f"  importing one ward again (replace, nothing changed): {(time.perf_counter() - began) * 1000:.0f} ms")
            began = time.perf_counter()
            with db.reading() as session:
                figures = province.province_stats(session, 2025, date(2026, 6, 1))
            print(f"  the province page's figures of {len(figures.wards)} wards for 2025: "
                  f"{time.perf_counter() - began:.1f} s")
        finally:
            db.close()


if __name__ == "__main__":
    run()
