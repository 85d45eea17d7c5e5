"""Shared pieces of the data package tests (services, CLI, window): a database's contents as
the same in every database, and the statistics to compare."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from antq_desktop.db.engine import Database
from antq_desktop.db.models import Base
from antq_desktop.services import stats

TODAY = date(2026, 6, 1)  # the statistics judge targets and count the current year up to "today"
YEARS = (2024, 2025, 2026)
NOT_CARRIED = ("app_user", "audit_entry")


def contents(db: Database) -> dict[str, dict]:
    """Every row of every table a package carries, keyed by uid (by the parent's uid and the rest
    of the key for rows without one), each local id replaced by the uid of the row it names:
    written without services/package.py, so that a fault there cannot hide itself."""
    with db.reading() as session:
        uids = {table.name: dict(session.execute(select(table.c.id, table.c.uid)).all())
                for table in Base.metadata.sorted_tables if "uid" in table.c}
        found = {}
        for table in Base.metadata.sorted_tables:
            if table.name in NOT_CARRIED:
                continue
            names = {key.parent.name: key.column.table.name for key in table.foreign_keys}
            rows = {}
            for row in session.execute(select(table)).mappings():
                values = {column: uids[names[column]][value] if column in names and value is not None else value
                          for column, value in row.items() if not (column == "id" and "uid" in table.c)}
                key = values["uid"] if "uid" in table.c else tuple(values[c.name] for c in table.primary_key.columns)
                rows[key] = values
            found[table.name] = rows
    return found


def merged(*databases: dict[str, dict]) -> dict[str, dict]:
    return {name: {key: row for content in databases for key, row in content[name].items()}
            for name in databases[0]}


def audit_count(db: Database) -> int:
    with db.reading() as session:
        return len(session.execute(select(Base.metadata.tables["audit_entry"].c.id)).all())


def figures(db: Database, ward_id: int, years=YEARS) -> dict[int, dict]:
    with db.reading() as session:
        return {year: stats.year_stats(session, ward_id, year, TODAY).as_dict() for year in years}
