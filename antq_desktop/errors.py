"""The one error type for mistakes a user can fix.

Every layer raises :class:`UserError` with a plain Vietnamese message when the user (or the
user's file) is at fault; the GUI shows the message in a dialog, the CLI prints it and exits 1.
Anything else is a bug and reaches the crash dialog.
"""


class UserError(Exception):
    """A problem the user can fix, described in Vietnamese."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


def stale_edit_error() -> UserError:
    """Somebody else saved the record after this user opened it: refuse, never overwrite."""
    return UserError(
        "Bản ghi này vừa được người khác sửa và lưu trong lúc bạn đang sửa. "
        "Hãy mở lại để xem bản mới nhất rồi sửa lại; thay đổi của người kia được giữ nguyên."
    )
