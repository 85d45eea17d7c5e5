"""Database faults caused by the environment, told in plain Vietnamese.

A locked, read-only, full or damaged file is not a bug of the program: the user (or the
person who helps them) can fix it, so it becomes a :class:`UserError`. Anything else stays
an exception and reaches the crash dialog.

The messages say what happened, that nothing was lost or changed, and what to do next.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from antq_desktop.errors import UserError, stale_edit_error

log = logging.getLogger(__name__)
UNIQUE_VIOLATION = "23505"  # PostgreSQL's SQLSTATE (psycopg's error.sqlstate)

DAMAGED_MESSAGE = (
    "Tệp dữ liệu đã bị hỏng (thường do mất điện, tắt máy đột ngột hoặc ổ đĩa lỗi). Chương trình không "
    "ghi gì vào tệp để khỏi hỏng thêm. Hãy khôi phục từ bản sao lưu gần nhất, hoặc nhờ người hỗ trợ kỹ "
    "thuật kiểm tra tệp."
)

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
    ("disk i/o error",
     "Không đọc, ghi được ổ đĩa chứa tệp dữ liệu (ổ USB vừa bị rút ra, ổ mạng mất kết nối hoặc ổ đĩa "
     "bị lỗi). Hãy cắm lại ổ đĩa hoặc kiểm tra kết nối rồi mở lại chương trình; dữ liệu đã lưu trước "
     "đó không bị mất."),
    ("unable to open database file",
     "Không mở được tệp dữ liệu. Hãy kiểm tra đường dẫn, ổ đĩa USB hoặc quyền truy cập thư mục."),
    ("file is not a database",
     "Tệp này không phải là tệp dữ liệu của ANTQ Desktop, hoặc đã bị hỏng. Hãy chọn tệp khác "
     "hoặc khôi phục từ bản sao lưu."),
    ("malformed", DAMAGED_MESSAGE),
    ("could not decode to utf-8", DAMAGED_MESSAGE),  # a text cell with damaged bytes in it
)

# A PostgreSQL server (psycopg's and the server's own words): the server PC, the office network
# and the login are the environment too. Checked after the SQLite ones, first match wins.
UNREACHABLE_MESSAGE = (
    "Không kết nối được máy chủ dữ liệu. Hãy kiểm tra: máy chủ đã bật và PostgreSQL trên đó đang chạy; máy "
    "này vào được mạng nội bộ; địa chỉ và cổng của máy chủ đúng (mục Tệp → Kết nối máy chủ dữ liệu…). Dữ "
    "liệu trên máy chủ không bị ảnh hưởng."
)
CONNECTION_LOST_MESSAGE = (
    "Mất kết nối với máy chủ dữ liệu giữa chừng (mạng nội bộ chập chờn, hoặc máy chủ vừa tắt, khởi động "
    "lại). Việc vừa làm chưa được lưu; những gì đã lưu trước đó vẫn còn nguyên. Hãy kiểm tra mạng rồi làm lại."
)
NOT_POSTGRES_MESSAGE = (
    "Ở địa chỉ và cổng đã nhập có một chương trình trả lời nhưng không phải máy chủ PostgreSQL. Hãy kiểm "
    "tra lại cổng (PostgreSQL thường dùng cổng 5432) trong mục Tệp → Kết nối máy chủ dữ liệu…"
)
_POSTGRES_FAULTS = (
    ("password authentication failed",
     "Máy chủ dữ liệu từ chối đăng nhập: tên đăng nhập hoặc mật khẩu không đúng. Hãy nhập lại trong mục "
     "Tệp → Kết nối máy chủ dữ liệu…, hoặc hỏi người quản trị máy chủ."),
    ("no password supplied",
     "Máy chủ dữ liệu cần mật khẩu để đăng nhập. Hãy nhập mật khẩu trong mục Tệp → Kết nối máy chủ dữ liệu…"),
    ("no pg_hba.conf entry",
     "Máy chủ dữ liệu chưa cho phép máy tính này kết nối. Hãy nhờ người quản trị máy chủ cho phép mạng "
     "nội bộ của cơ quan trong tệp pg_hba.conf (xem hướng dẫn dùng chung máy chủ PostgreSQL)."),
    ("too many clients", "Máy chủ dữ liệu đang có quá nhiều kết nối. Hãy đóng bớt chương trình trên các máy "
     "khác hoặc chờ một lát rồi thử lại; nếu vẫn vậy, hãy báo người quản trị máy chủ."),
    ("remaining connection slots are reserved", "Máy chủ dữ liệu đang có quá nhiều kết nối. Hãy đóng bớt "
     "chương trình trên các máy khác hoặc chờ một lát rồi thử lại; nếu vẫn vậy, hãy báo người quản trị máy chủ."),
    ("the database system is", "Máy chủ dữ liệu đang khởi động, đang tắt hoặc đang phục hồi. Hãy chờ một "
     "lát rồi thử lại."),
    ("permission denied", "Tài khoản đăng nhập máy chủ dữ liệu không có quyền làm việc này trên cơ sở dữ liệu. "
     "Hãy nhờ người quản trị máy chủ cấp quyền (tài khoản của chương trình phải là chủ của cơ sở dữ liệu, "
     "xem hướng dẫn dùng chung máy chủ PostgreSQL)."),
    ("invalid response to ssl negotiation", NOT_POSTGRES_MESSAGE),
    ("received invalid response", NOT_POSTGRES_MESSAGE),
    ("could not connect to server", UNREACHABLE_MESSAGE),
    ("connection refused", UNREACHABLE_MESSAGE),
    ("failed to resolve host", UNREACHABLE_MESSAGE),
    ("could not translate host name", UNREACHABLE_MESSAGE),
    ("timeout expired", UNREACHABLE_MESSAGE),
    ("no route to host", UNREACHABLE_MESSAGE),
    ("network is unreachable", UNREACHABLE_MESSAGE),
    ("server closed the connection unexpectedly", CONNECTION_LOST_MESSAGE),
    ("terminating connection", CONNECTION_LOST_MESSAGE),
    ("consuming input failed", CONNECTION_LOST_MESSAGE),
    ("the connection is lost", CONNECTION_LOST_MESSAGE),
    ("the connection is closed", CONNECTION_LOST_MESSAGE),
    ("ssl syscall error", CONNECTION_LOST_MESSAGE),
    ("connection reset by peer", CONNECTION_LOST_MESSAGE),
    # Not the environment but a text the service did not hold to its column: SQLite keeps it, the
    # server refuses it; better the user shortens it than the crash dialog.
    ("value too long for type",
     "Một nội dung vừa nhập dài hơn mức cơ sở dữ liệu cho phép nên chưa được lưu. Hãy rút ngắn nội dung vừa "
     "nhập (tên, địa chỉ, ghi chú…) rồi lưu lại; dữ liệu đã lưu trước đó không bị mất."),
)
_NO_DATABASE = re.compile(r'database "(?P<name>[^"]+)" does not exist')
_NO_ROLE = re.compile(r'role "(?P<name>[^"]+)" does not exist')


def environment_fault(exc: BaseException) -> UserError | None:
    """The user-facing error for a database fault of the environment, or None for a bug."""
    if isinstance(exc, StaleDataError):  # another officer's save won the race (version column)
        return stale_edit_error()
    if not isinstance(exc, DBAPIError):
        return None
    if getattr(exc.orig, "sqlstate", None) == UNIQUE_VIOLATION:
        # A server only (SQLite has one writer, whose checks run first): two officers created the
        # same record at the same moment (a year's first score, a unit's first registration…);
        # the second waited for the first and is refused like any later save over it.
        log.warning("a record created twice at once: %s", exc.orig)
        return stale_edit_error()
    original = str(exc.orig)
    text = original.lower()
    for words, message in _ENVIRONMENT_FAULTS + _POSTGRES_FAULTS:
        if words in text:
            return UserError(message)
    if found := _NO_DATABASE.search(original):
        return no_such_database(found["name"])
    if found := _NO_ROLE.search(original):
        return UserError(
            f'Máy chủ dữ liệu không có tài khoản đăng nhập "{found["name"]}". Hãy kiểm tra tên đăng nhập trong '
            "mục Tệp → Kết nối máy chủ dữ liệu…, hoặc nhờ người quản trị máy chủ tạo tài khoản.")
    if text.startswith("connection failed"):  # psycopg could not connect, for a reason not listed above
        return UserError(f"{UNREACHABLE_MESSAGE} (Máy chủ báo: {original.splitlines()[-1].strip()})")
    return None


def no_such_database(name: str) -> UserError:
    return UserError(
        f'Máy chủ dữ liệu không có cơ sở dữ liệu tên "{name}". Hãy kiểm tra tên cơ sở dữ liệu trong mục '
        "Tệp → Kết nối máy chủ dữ liệu…, hoặc nhờ người quản trị máy chủ tạo cơ sở dữ liệu (xem hướng dẫn "
        "dùng chung máy chủ PostgreSQL).")


def no_driver(url_text: str) -> UserError:
    """A URL whose database kind this program has no driver for (only SQLite files and PostgreSQL)."""
    return UserError(
        f'Chương trình không làm việc được với loại cơ sở dữ liệu "{url_text}". ANTQ Desktop dùng một tệp '
        "dữ liệu SQLite trên máy, hoặc một máy chủ PostgreSQL với địa chỉ dạng "
        "postgresql+psycopg://tên_đăng_nhập@máy_chủ:5432/tên_cơ_sở_dữ_liệu."
    )


# ---- what is found before the file is opened ----------------------------------------------------


def damaged_file() -> UserError:
    return UserError(DAMAGED_MESSAGE)


def disk_full() -> UserError:
    return UserError(dict(_ENVIRONMENT_FAULTS)["disk is full"])


def cannot_open() -> UserError:
    return UserError(dict(_ENVIRONMENT_FAULTS)["unable to open database file"])


def empty_file(path: Path) -> UserError:
    return UserError(
        f'Tệp dữ liệu "{path}" trống (0 byte): có thể tệp được chép chưa xong hoặc ổ đĩa bị lỗi. '
        "Chương trình không dùng tệp này để khỏi ghi đè lên nó. Hãy chọn đúng tệp dữ liệu hoặc khôi phục "
        "từ bản sao lưu; nếu muốn bắt đầu dữ liệu mới, hãy xoá tệp trống này rồi mở lại chương trình."
    )


def read_only_file(path: Path) -> UserError:
    return UserError(
        f'Tệp dữ liệu "{path}" chỉ cho phép đọc (tệp có thuộc tính "Read-only", hoặc nằm trên đĩa CD, '
        "ổ USB bị khoá ghi), trong khi chương trình cần ghi vào tệp. Hãy bỏ thuộc tính chỉ đọc (bấm chuột "
        'phải vào tệp → Properties → bỏ chọn "Read-only") hoặc chép tệp sang thư mục khác rồi mở tệp đã '
        "chép. Tệp chưa bị thay đổi gì."
    )


def read_only_folder(folder: Path) -> UserError:
    return UserError(
        f'Thư mục "{folder}" chỉ cho phép đọc, trong khi chương trình cần ghi tệp dữ liệu và các tệp phụ '
        "của nó (tên kết thúc bằng -wal, -shm) vào thư mục này. Hãy chép tệp dữ liệu sang một thư mục có "
        "quyền ghi (ví dụ thư mục Documents) rồi mở tệp đã chép, hoặc nhờ người quản trị máy cấp quyền ghi. "
        "Tệp chưa bị thay đổi gì."
    )


def backup_failed(folder: Path, reason: str) -> UserError:
    return UserError(
        "Chưa nâng cấp tệp dữ liệu lên phiên bản mới vì không tạo được bản sao lưu trước khi nâng cấp "
        f'trong thư mục "{folder}" ({reason}). Hãy giải phóng dung lượng ổ đĩa hoặc kiểm tra quyền ghi của '
        "thư mục rồi mở lại chương trình. Tệp dữ liệu chưa bị thay đổi gì."
    )


def upgrade_failed(cause: UserError | None, backup: Path | None, log_file: Path) -> UserError:
    """A migration failed: the file is as it was before (the transaction was rolled back, or
    the file restored from the backup taken first)."""
    kept = "Tệp dữ liệu vẫn giữ nguyên như trước khi nâng cấp, không mất gì"
    kept += f'; bản sao lưu trước khi nâng cấp nằm ở "{backup}".' if backup is not None else "."
    if cause is not None:  # the environment's fault: the user can fix it and try again
        return UserError(f"Chưa nâng cấp được tệp dữ liệu lên phiên bản mới. {cause.message} {kept}")
    return UserError(
        "Chưa nâng cấp được tệp dữ liệu lên phiên bản mới vì chương trình gặp lỗi trong lúc nâng cấp. "
        f'{kept} Hãy gửi tệp nhật ký "{log_file}" cho người hỗ trợ kỹ thuật; trong lúc chờ, có thể cài '
        "lại phiên bản cũ của chương trình để tiếp tục làm việc với tệp này."
    )


def upgrade_not_undone(backup: Path) -> UserError:
    """A revision committed part of its work, and the copy taken first could not be put back."""
    return UserError(
        "Chưa nâng cấp được tệp dữ liệu lên phiên bản mới và chưa đưa được tệp về như cũ. Đừng dùng tệp này "
        f'nữa: hãy nhờ người hỗ trợ kỹ thuật chép bản sao lưu trước khi nâng cấp "{backup}" đè lên nó '
        "(bản sao lưu còn nguyên vẹn)."
    )
