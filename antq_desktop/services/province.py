"""The province view: the wards a database holds, and a year's figures of each ward and of all
of them together.

A database gathers wards by importing their data packages (services/package.py). Each ward's
figures are ``stats.year_stats``, exactly as the ward sees them itself; the total adds up the
counts (units, registered, recognised, units at each level, inspections, members trained…) and
computes every percentage again from the sums: an average of the wards' percentages would weigh
a ward of 10 units like one of 200.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import Date, extract, func, select
from sqlalchemy.orm import Session

from antq_desktop.db.models import AuditEntry, Unit, Ward
from antq_desktop.domain.antt import percent
from antq_desktop.domain.ward import ProvinceKind, WardKind
from antq_desktop.errors import UserError
from antq_desktop.services import excel, package, stats
from antq_desktop.services.antt import check_year

Progress = Callable[[int, int], bool]
TOTAL_TITLE = "Tổng cộng"


# ---- the wards the database holds ---------------------------------------------------------------

@dataclass(frozen=True)
class WardEntry:
    id: int
    name: str  # "Minh Xuân"
    title: str  # "phường Minh Xuân"
    province: str  # "tỉnh Tuyên Quang"
    home: bool  # the ward the pages of the window show (the first one)
    units: int
    years: tuple[int, ...]  # the years it has records of
    last_import: datetime | None  # when a package last brought it (None: typed here)

    @property
    def years_text(self) -> str:
        return package.years_text(self.years) if self.years else "chưa có"


def wards(session: Session) -> list[WardEntry]:
    """Every ward of the database, the home ward first."""
    rows = session.execute(select(Ward.id, Ward.kind, Ward.name, Ward.province_kind, Ward.province_name)
                           .order_by(Ward.id)).all()
    units = dict(session.execute(select(Unit.ward_id, func.count()).group_by(Unit.ward_id)).all())
    years = _years(session)
    imported = dict(session.execute(
        select(AuditEntry.ward_id, func.max(AuditEntry.at))
        .where(AuditEntry.table_name == Ward.__tablename__, AuditEntry.summary.startswith(package.IMPORT_SUMMARY))
        .group_by(AuditEntry.ward_id)).all())
    return [WardEntry(id=row.id, name=row.name, title=f"{WardKind(row.kind).label} {row.name}",
                      province=f"{ProvinceKind(row.province_kind).label} {row.province_name}", home=number == 0,
                      units=units.get(row.id, 0), years=tuple(sorted(years.get(row.id, ()))),
                      last_import=imported.get(row.id))
            for number, row in enumerate(rows)]


def _years(session: Session) -> dict[int, set[int]]:
    """ward id -> the years of its yearly records (those with a ward_id of their own)."""
    found: dict[int, set[int]] = {}
    for spec in package.SPECS.values():
        if spec.year_column is None or spec.owner != "ward_id":
            continue
        column = spec.table.c[spec.year_column]
        year = extract("year", column) if isinstance(column.type, Date) else column
        for ward_id, value in session.execute(select(spec.table.c.ward_id, year).group_by(spec.table.c.ward_id, year)):
            found.setdefault(ward_id, set()).add(int(value))
    return found


# ---- a year's figures, ward by ward and in total ---------------------------------------------------

@dataclass(frozen=True)
class WardFigures:
    """The counts of one ward's year (or of all wards: the sums); percentages come from them."""

    title: str
    ward_id: int | None = None  # None: the total
    units: int = 0
    eligible: int = 0  # units that may register for "An toàn về ANTT"
    registered: int = 0
    recognized: int = 0
    classified: int = 0  # units with a classification level
    by_level: dict[str, int] = field(default_factory=dict)
    kha_or_above: int = 0
    inspections_made: int = 0
    kdc_total: int = 0
    kdc_inspected: int = 0
    members: int = 0
    trained: int = 0
    equipped: int = 0
    models_active: int = 0
    models_kha_or_above: int = 0
    activities: int = 0
    reach: int = 0
    festival_units: int = 0
    festival_expected: int = 0  # the units that should hold the Ngày hội
    awards: int = 0

    @property
    def registered_pct(self) -> float | None:
        return percent(self.registered, self.eligible)

    @property
    def recognized_pct(self) -> float | None:
        return percent(self.recognized, self.eligible)

    @property
    def kha_or_above_pct(self) -> float | None:
        return percent(self.kha_or_above, self.classified)

    @property
    def kdc_inspected_pct(self) -> float | None:
        return percent(self.kdc_inspected, self.kdc_total)

    @property
    def trained_pct(self) -> float | None:
        return percent(self.trained, self.members)

    @property
    def equipped_pct(self) -> float | None:
        return percent(self.equipped, self.members)

    @property
    def festival_pct(self) -> float | None:
        return percent(self.festival_units, self.festival_expected)

    def __add__(self, other: WardFigures) -> WardFigures:
        sums = {item.name: getattr(self, item.name) + getattr(other, item.name) for item in fields(self)
                if item.name not in ("title", "ward_id", "by_level")}
        levels = dict(self.by_level)
        for code, count in other.by_level.items():
            levels[code] = levels.get(code, 0) + count
        return replace(self, by_level=levels, **sums)

    def as_dict(self) -> dict:
        data = {item.name: getattr(self, item.name) for item in fields(self)}
        data["by_level"] = dict(self.by_level)
        for name in _PERCENTAGES:
            value = getattr(self, name)
            data[name] = None if value is None else round(value, 2)
        return data


_PERCENTAGES = ("registered_pct", "recognized_pct", "kha_or_above_pct", "kdc_inspected_pct", "trained_pct",
                "equipped_pct", "festival_pct")


def ward_figures(title: str, ward_id: int | None, figures: stats.YearStats) -> WardFigures:
    """The counts of ``stats.year_stats`` that add up over wards."""
    antt, classification = figures.antt.total, figures.classification
    codes = [level.code for level in classification.levels]
    at_or_above_kha = codes[:codes.index("kha") + 1] if "kha" in codes else []
    work = figures.field_work
    inspections, models, forces = work["inspections"], work["models"], work["forces"]
    activities = work["activities"]
    return WardFigures(
        title=title, ward_id=ward_id, units=antt.units, eligible=antt.eligible, registered=antt.registered,
        recognized=antt.recognized, classified=classification.total.units,
        by_level=dict(classification.total.by_level),
        kha_or_above=sum(classification.total.by_level.get(code, 0) for code in at_or_above_kha),
        inspections_made=inspections["made"], kdc_total=inspections["kdc_total"],
        kdc_inspected=inspections["kdc_inspected"], members=forces["members"], trained=forces["trained"],
        equipped=forces["equipped"], models_active=models["active"], models_kha_or_above=models["kha_or_above"],
        activities=activities["activities"], reach=activities["reach"] or 0,
        festival_units=activities["festival_units"], festival_expected=activities["units"],
        awards=work["awards"]["total"],
    )


@dataclass(frozen=True)
class ProvinceStats:
    year: int
    wards: tuple[WardFigures, ...]
    total: WardFigures
    level_labels: dict[str, str]  # classification level code -> label, highest first

    def table(self) -> tuple[list[str], list[list]]:
        """Headers and one row per ward, then the total: what the page shows and Excel gets
        (counts as numbers, percentages as numbers with two decimals, None when there is no base)."""
        headers = [header for header, _ in _COLUMNS_BEFORE_LEVELS] + list(self.level_labels.values()) + [
            header for header, _ in _COLUMNS_AFTER_LEVELS]
        return headers, [self._row(figures) for figures in (*self.wards, self.total)]

    def _row(self, figures: WardFigures) -> list:
        def value(name: str):
            found = getattr(figures, name)
            return round(found, 2) if isinstance(found, float) else found

        return ([value(name) for _, name in _COLUMNS_BEFORE_LEVELS]
                + [figures.by_level.get(code, 0) for code in self.level_labels]
                + [value(name) for _, name in _COLUMNS_AFTER_LEVELS])

    def as_dict(self) -> dict:
        return {"year": self.year, "level_labels": dict(self.level_labels),
                "wards": [figures.as_dict() for figures in self.wards], "total": self.total.as_dict()}


_COLUMNS_BEFORE_LEVELS = (
    ("Xã, phường", "title"),
    ("Số đơn vị", "units"),
    ("Thuộc diện xây dựng ANTT", "eligible"),
    ("Đã đăng ký", "registered"),
    ("Tỷ lệ đăng ký (%)", "registered_pct"),
    ("Được công nhận", "recognized"),
    ("Tỷ lệ công nhận (%)", "recognized_pct"),
    ("Đã phân loại", "classified"),
)
_COLUMNS_AFTER_LEVELS = (
    ("Khá trở lên (%)", "kha_or_above_pct"),
    ("Lượt kiểm tra đã thực hiện", "inspections_made"),
    ("Tổ dân phố được kiểm tra (%)", "kdc_inspected_pct"),
    ("Lực lượng nòng cốt", "members"),
    ("Được huấn luyện (%)", "trained_pct"),
    ("Được trang bị (%)", "equipped_pct"),
    ("Mô hình đang hoạt động", "models_active"),
    ("Hoạt động tuyên truyền", "activities"),
    ("Lượt người được tuyên truyền", "reach"),
    ("Tổ chức Ngày hội (%)", "festival_pct"),
    ("Khen thưởng", "awards"),
)
PERCENT_HEADERS = frozenset(header for header, name in (*_COLUMNS_BEFORE_LEVELS, *_COLUMNS_AFTER_LEVELS)
                            if name.endswith("_pct"))


def province_stats(session: Session, year: int, today: date | None = None,
                   progress: Progress | None = None) -> ProvinceStats:
    """``year``'s figures of every ward of the database, and their total."""
    check_year(year)
    entries = wards(session)
    rows, labels = [], {}
    for number, entry in enumerate(entries, start=1):
        figures = stats.year_stats(session, entry.id, year, today)
        for level in figures.classification.levels:
            labels.setdefault(level.code, level.label)
        rows.append(ward_figures(entry.title, entry.id, figures))
        if progress is not None and not progress(number, len(entries)):
            raise UserError("Đã huỷ việc tổng hợp số liệu.")
    total = sum(rows, WardFigures(TOTAL_TITLE))
    return ProvinceStats(year, tuple(rows), total, labels)


def export_excel(figures: ProvinceStats, path: str | Path) -> None:
    """The table to an .xlsx: a row per ward, the total in bold."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Tổng hợp năm {figures.year}"
    headers, rows = figures.table()
    excel.write_table(sheet, headers, rows, [34] + [14] * (len(headers) - 1))
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    excel.save_workbook(workbook, path)
