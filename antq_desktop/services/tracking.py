"""Who is acting, and stamping rows with it.

The acting user is the officer signed in (antq_desktop.identity), else the operating-system
account (a file without accounts).
"""

from __future__ import annotations

from datetime import datetime
from typing import TypeVar

from antq_desktop import identity
from antq_desktop.db.models import Tracked
from antq_desktop.errors import UserError, stale_edit_error

T = TypeVar("T", bound=Tracked)


def current_actor() -> str:
    return identity.current_actor()


def stamp_created(row: Tracked, actor: str) -> None:
    now = datetime.now().replace(microsecond=0)
    row.created_at = row.updated_at = now
    row.created_by = row.updated_by = actor


def stamp_updated(row: Tracked, actor: str) -> None:
    row.updated_at = datetime.now().replace(microsecond=0)
    row.updated_by = actor


def existing_row(session, model: type[T], row_id: int, missing: str, expected_version: int | None = None) -> T:
    """The row, or the Vietnamese ``missing`` message (someone may have removed it meanwhile);
    with ``expected_version``, refused if someone saved it since it was read."""
    row = session.get(model, row_id)
    if row is None:
        raise UserError(missing)
    check_version(row, expected_version)
    return row


def check_version(row: Tracked, expected_version: int | None) -> None:
    """Refuse to change a row someone saved after the user opened it (``None``: no check)."""
    if expected_version is not None and row.version != expected_version:
        raise stale_edit_error()
