"""Writing a generated file so that a failure never leaves half a file behind."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from antq_desktop.errors import UserError


def write_atomically(path: str | Path, render: Callable[[BinaryIO], object]) -> object:
    """Render into a temporary file beside ``path``, then put it in place in one step."""
    target = Path(path)
    if not target.parent.is_dir():
        raise UserError(f"Thư mục {target.parent} không tồn tại.")
    temporary = target.with_name(f".{target.name}.dang-ghi")
    try:
        with open(temporary, "wb") as handle:
            result = render(handle)
        os.replace(temporary, target)
    except PermissionError:
        raise UserError(
            f"Không ghi được tệp {target}: tệp đang được mở bằng chương trình khác (ví dụ trình đọc PDF) "
            "hoặc thư mục không cho phép ghi. Hãy đóng tệp hoặc chọn nơi lưu khác."
        ) from None
    except OSError as error:  # a full disk, a removed USB stick, a name Windows refuses
        raise UserError(
            f"Không ghi được tệp {target} ({error.strerror or error}). Hãy kiểm tra ổ đĩa còn trống, "
            "USB còn cắm, hoặc chọn tên tệp, nơi lưu khác."
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    return result
