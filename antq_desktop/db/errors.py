"""Database faults caused by the environment, told in plain Vietnamese.

A locked, read-only, full or damaged file is not a bug of the program: the user (or the
person who helps them) can fix it, so it becomes a :class:`UserError`. Anything else stays
an exception and reaches the crash dialog.
"""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from antq_desktop.errors import UserError, stale_edit_error

# (words of the driver's message, what we tell the user)
_ENVIRONMENT_FAULTS = (
    ("database is locked",
     "Tệp dữ liệu đang bận: một cửa sổ ANTQ Desktop khác (trên máy này hoặc của đồng nghiệp dùng chung "
     "tệp) đang ghi vào đó. Hãy chờ một lát rồi thử lại; nếu vẫn bận, hãy đóng các cửa sổ khác."),
    ("readonly database",
     "Không ghi được vào tệp dữ liệu vì tệp hoặc thư mục chỉ cho phép đọc. Hãy kiểm tra quyền ghi "
     "của thư mục, hoặc chép tệp sang ổ đĩa khác."),
    ("disk is full",
     "Ổ đĩa đã đầy nên không ghi được dữ liệu. Hãy giải phóng dung lượng ổ đĩa rồi thử lại; "
     "dữ liệu đã lưu trước đó không bị mất."),
    ("unable to open database file",
     "Không mở được tệp dữ liệu. Hãy kiểm tra đường dẫn, ổ đĩa USB hoặc quyền truy cập thư mục."),
    ("file is not a database",
     "Tệp này không phải là tệp dữ liệu của ANTQ Desktop, hoặc đã bị hỏng. Hãy chọn tệp khác "
     "hoặc khôi phục từ bản sao lưu."),
    ("malformed",
     "Tệp dữ liệu đã bị hỏng. Hãy khôi phục từ bản sao lưu gần nhất."),
    ("could not connect to server",
     "Không kết nối được máy chủ cơ sở dữ liệu. Hãy kiểm tra mạng nội bộ và máy chủ."),
    ("connection refused",
     "Không kết nối được máy chủ cơ sở dữ liệu. Hãy kiểm tra mạng nội bộ và máy chủ."),
)


def environment_fault(exc: BaseException) -> UserError | None:
    """The user-facing error for a database fault of the environment, or None for a bug."""
    if isinstance(exc, StaleDataError):  # another officer's save won the race (version column)
        return stale_edit_error()
    if not isinstance(exc, DBAPIError):
        return None
    text = str(exc.orig).lower()
    for words, message in _ENVIRONMENT_FAULTS:
        if words in text:
            return UserError(message)
    return None
