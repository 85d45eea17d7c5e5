"""Database faults caused by the environment, told in plain Vietnamese.

A locked, read-only, full or damaged file is not a bug of the program: the user (or the
person who helps them) can fix it, so it becomes a :class:`UserError`. Anything else stays
an exception and reaches the crash dialog.

The messages say what happened, that nothing was lost or changed, and what to do next.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from antq_desktop.errors import UserError, stale_edit_error

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
