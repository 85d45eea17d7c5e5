"""Who is acting, and stamping rows with it.

Until accounts exist (sign-in comes later), the acting user is the operating-system account.
"""

from __future__ import annotations

import getpass
from datetime import datetime

from antq_desktop.db.models import Tracked
from antq_desktop.errors import UserError


def current_actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some service accounts)
        return "không rõ"


def stamp_created(row: Tracked, actor: str) -> None:
    now = datetime.now().replace(microsecond=0)
    row.created_at = row.updated_at = now
    row.created_by = row.updated_by = actor


def stamp_updated(row: Tracked, actor: str) -> None:
    row.updated_at = datetime.now().replace(microsecond=0)
    row.updated_by = actor


def stale_edit_error() -> UserError:
    """Somebody else saved the record after this user opened it: refuse, never overwrite."""
    return UserError(
        "Bản ghi này vừa được người khác sửa và lưu trong lúc bạn đang sửa. "
        "Hãy mở lại để xem bản mới nhất rồi sửa lại; thay đổi của người kia được giữ nguyên."
    )
