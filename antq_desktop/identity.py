"""Who is using the program in this process: the officer signed in, or nobody yet.

One officer per process (a desktop window, or one `antq` command), so the state is the
module's. The database layer reads it to stamp rows, write the audit trail and refuse writes
the officer's role does not allow; services and pages only ever call :func:`current_actor`.

A database file without any account (a new file before its administrator is created, the
tests' files, a file from before accounts existed) is open to whoever runs the program: the
first start creates the administrator.
"""

from __future__ import annotations

import getpass
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from antq_desktop.domain.roles import Role


@dataclass(frozen=True)
class SignedIn:
    user_id: int
    username: str
    role: Role


_signed_in: SignedIn | None = None
_system_depth = 0  # > 0 while the program itself writes (sign-in bookkeeping), whoever is signed in


def sign_in_as(user: SignedIn) -> None:
    global _signed_in
    _signed_in = user


def sign_out() -> None:
    global _signed_in
    _signed_in = None


def signed_in() -> SignedIn | None:
    return _signed_in


def os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (some service accounts)
        return "không rõ"


def current_actor() -> str:
    """The name stamped on rows and audit entries: the signed-in officer, else the OS account."""
    return _signed_in.username if _signed_in is not None else os_user()


@contextmanager
def as_program() -> Iterator[None]:
    """Writes the program makes on its own (a failed sign-in counted, a last sign-in stamped):
    allowed whatever the signed-in role, still audited."""
    global _system_depth
    _system_depth += 1
    try:
        yield
    finally:
        _system_depth -= 1


def program_is_writing() -> bool:
    return _system_depth > 0
