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
