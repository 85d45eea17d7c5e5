"""Officers' accounts: the first administrator, adding officers, signing in, passwords, roles.

A password is kept only as a slow salted hash: scrypt (in Python's standard library, so no
native package to install on an office PC) with a random salt, its parameters stored with it
("scrypt$n$r$p$salt$hash") so that stronger ones can be used later without breaking the old
hashes. Five wrong passwords in a row lock the account for five minutes.

Signing in is two steps, because the program's own bookkeeping (a failed attempt counted, the
last sign-in stamped) is written by :func:`sign_in` in the database, while who is signed in is
the process's (:mod:`antq_desktop.identity`): the caller calls ``identity.sign_in_as`` with what
:func:`sign_in` returns once the transaction has committed, or uses
:func:`sign_in_and_remember`, which does both. A refused sign-in commits its count itself
before raising: the caller's transaction rolls back on the error, and the count must stay.

Who may do what is also checked below the services (``db/guard.py``); the checks here give
the clearer message first.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from antq_desktop import identity
from antq_desktop.db import audit
from antq_desktop.db.models import AppUser
from antq_desktop.domain import vntext
from antq_desktop.domain.roles import Role
from antq_desktop.errors import UserError
from antq_desktop.services.tracking import existing_row, stamp_created, stamp_updated

if TYPE_CHECKING:
    from antq_desktop.db.engine import Database

PASSWORD_ENV = "ANTQ_PASSWORD"  # the `antq` command reads the signing-in officer's password here
MAX_FAILED_ATTEMPTS = 5
LOCK_DURATION = timedelta(minutes=5)
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 200
USERNAME_MAX = 50
FULL_NAME_MAX = 200

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1  # about 0.1 s and 16 MB per hash on an office PC
_SALT_BYTES, _KEY_BYTES = 16, 32
_SCRYPT_LIMITS = (2**20, 32, 16)  # a hash read from the file asks no more than this (a damaged file)
_SCRYPT_MAX_MEMORY = 256 * 2**20  # bytes; the stored parameters use 16 MiB
_USERNAME = re.compile(r"^[\w.\-]+$")  # letters (Vietnamese too), digits, . _ -

# The same words for an unknown name and a wrong password, so they do not tell which names exist.
WRONG_CREDENTIALS = (f"Tên đăng nhập hoặc mật khẩu không đúng. Nhập sai mật khẩu {MAX_FAILED_ATTEMPTS} lần liên "
                     f"tiếp thì tài khoản bị tạm khoá {LOCK_DURATION.seconds // 60} phút.")
_NOT_FOUND = "Không tìm thấy tài khoản này; có thể danh sách vừa thay đổi. Hãy mở lại danh sách tài khoản."


@dataclass(frozen=True)
class UserRow:
    id: int
    username: str
    full_name: str
    role: Role
    active: bool
    locked_until: datetime | None
    last_sign_in: datetime | None
    version: int


# ---- hashing -----------------------------------------------------------------------------------

def hash_password(password: str) -> str:
    """"scrypt$n$r$p$salt$hash", a new random salt each time."""
    salt = os.urandom(_SALT_BYTES)
    key = _scrypt(password, salt, SCRYPT_N, SCRYPT_R, SCRYPT_P)
    return "$".join(("scrypt", str(SCRYPT_N), str(SCRYPT_R), str(SCRYPT_P), _b64(salt), _b64(key)))


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` gives ``stored`` (compared in constant time); False for a damaged hash."""
    try:
        scheme, n, r, p, salt, key = stored.split("$")
        n, r, p = int(n), int(r), int(p)
        salt, key = base64.b64decode(salt, validate=True), base64.b64decode(key, validate=True)
    except (ValueError, AttributeError):
        return False
    if scheme != "scrypt" or not all(0 < value <= limit for value, limit in zip((n, r, p), _SCRYPT_LIMITS)):
        return False
    if 128 * n * r * p > _SCRYPT_MAX_MEMORY:  # a tampered hash must not make sign-in ask for gigabytes
        return False
    return hmac.compare_digest(_scrypt(password, salt, n, r, p, len(key)), key)


def _scrypt(password: str, salt: bytes, n: int, r: int, p: int, length: int = _KEY_BYTES) -> bytes:
    # NFC: the same word typed with Unikey's composed or decomposed output is one password
    data = unicodedata.normalize("NFC", password).encode("utf-8")
    return hashlib.scrypt(data, salt=salt, n=n, r=r, p=p, maxmem=256 * n * r * p + 2**20, dklen=length)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


@functools.cache
def _stand_in_hash() -> str:
    """Checked against when the name is unknown, so that a wrong name takes as long as a wrong password."""
    return hash_password(os.urandom(12).hex())


# ---- reading -----------------------------------------------------------------------------------

def has_accounts(session: Session) -> bool:
    """Whether the database has any account (without one, everything stays open)."""
    return session.scalar(select(AppUser.id).limit(1)) is not None


def list_users(session: Session) -> list[UserRow]:
    users = session.scalars(select(AppUser)).all()
    return [_row(user) for user in sorted(users, key=lambda user: vntext.sort_key(user.username))]


def _row(user: AppUser) -> UserRow:
    return UserRow(user.id, user.username, user.full_name, Role(user.role), user.active, user.locked_until,
                   user.last_sign_in, user.version)


def _by_username(session: Session, username: str) -> AppUser | None:
    return session.scalar(select(AppUser).where(AppUser.username_key == vntext.search_key(username)))


# ---- creating ----------------------------------------------------------------------------------

def create_first_admin(session: Session, username: str, full_name: str, password: str) -> UserRow:
    """The administrator of a database that has no account yet (its first start)."""
    if has_accounts(session):
        raise UserError("Tệp dữ liệu này đã có tài khoản quản trị. Hãy đăng nhập bằng tài khoản đó; "
                        "quản trị viên thêm các tài khoản khác.")
    return _insert(session, username, full_name, Role.QUAN_TRI, password, vntext.clean(username))


def add_user(session: Session, username: str, full_name: str, role: Role, password: str, actor: str) -> UserRow:
    """A new officer's account (administrator only)."""
    _require_administrator(session, "thêm tài khoản")
    return _insert(session, username, full_name, Role(role), password, actor)


def _insert(session: Session, username: str, full_name: str, role: Role, password: str, actor: str) -> UserRow:
    username, full_name = _checked_username(username), _checked_full_name(full_name)
    check_password(password, username)
    taken = _by_username(session, username)
    if taken is not None:
        raise UserError(f"Tên đăng nhập “{username}” trùng với tài khoản “{taken.username}” đã có "
                        "(không phân biệt chữ hoa, chữ thường và dấu). Hãy chọn tên khác.")
    user = AppUser(username=username, username_key=vntext.search_key(username), full_name=full_name,
                   role=role.value, password_hash=hash_password(password), failed_attempts=0, active=True)
    stamp_created(user, actor)
    session.add(user)
    session.flush()
    return _row(user)


def _checked_username(username: str) -> str:
    username = vntext.clean(username)
    if not username:
        raise UserError("Hãy nhập tên đăng nhập.")
    if len(username) > USERNAME_MAX:
        raise UserError(f"Tên đăng nhập dài quá {USERNAME_MAX} ký tự.")
    if not _USERNAME.match(username):
        raise UserError("Tên đăng nhập chỉ gồm chữ cái, chữ số và các dấu . _ - (không có dấu cách), "
                        "ví dụ: tuan.nv")
    return username


def _checked_full_name(full_name: str) -> str:
    full_name = vntext.clean(full_name)
    if len(full_name) > FULL_NAME_MAX:
        raise UserError(f"Họ tên dài quá {FULL_NAME_MAX} ký tự.")
    return full_name


def check_password(password: str, username: str) -> None:
    """The rules of a new password: long enough, not only spaces, not the user name."""
    password = unicodedata.normalize("NFC", password or "")
    if not password.strip():
        raise UserError("Mật khẩu không được để trống hoặc chỉ gồm dấu cách.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự (mật khẩu vừa nhập có "
                        f"{len(password)} ký tự).")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise UserError(f"Mật khẩu dài quá {MAX_PASSWORD_LENGTH} ký tự.")
    if vntext.search_key(password) == vntext.search_key(username):
        raise UserError("Mật khẩu không được trùng với tên đăng nhập.")


# ---- signing in --------------------------------------------------------------------------------

def sign_in(session: Session, username: str, password: str, now: datetime | None = None) -> identity.SignedIn:
    """Check the password and return who signed in (the caller then calls ``identity.sign_in_as``).

    A wrong password is counted and committed before the refusal is raised; the fifth in a row
    locks the account for five minutes, during which even the right password is refused.
    """
    now = (now or datetime.now()).replace(microsecond=0)
    user = _by_username(session, username)
    if user is None:
        verify_password(password, _stand_in_hash())
        raise UserError(WRONG_CREDENTIALS)
    if user.locked_until is not None and now < user.locked_until:
        raise UserError(f"Tài khoản “{user.username}” đang bị tạm khoá vì nhập sai mật khẩu nhiều lần. "
                        f"Hãy thử lại sau {user.locked_until:%H:%M}, hoặc nhờ quản trị viên đặt lại mật khẩu.")
    if not verify_password(password, user.password_hash):
        _refuse_and_count(session, user, now)
    if not user.active:
        raise UserError(f"Tài khoản “{user.username}” đã ngừng sử dụng. Nếu bạn vẫn cần dùng chương trình, "
                        "hãy nhờ quản trị viên mở lại tài khoản.")
    with identity.as_program():
        user.failed_attempts, user.locked_until, user.last_sign_in = 0, None, now
        audit.describe(user, f"Đăng nhập: tài khoản “{user.username}”")
        session.flush()
    return identity.SignedIn(user.id, user.username, Role(user.role))


def _refuse_and_count(session: Session, user: AppUser, now: datetime) -> None:
    with identity.as_program():
        user.failed_attempts += 1
        if user.failed_attempts >= MAX_FAILED_ATTEMPTS:
            user.failed_attempts, user.locked_until = 0, now + LOCK_DURATION
            message = (f"Đã nhập sai mật khẩu {MAX_FAILED_ATTEMPTS} lần liên tiếp: tài khoản “{user.username}” "
                       f"bị tạm khoá đến {user.locked_until:%H:%M}. Hãy thử lại sau thời điểm đó, "
                       "hoặc nhờ quản trị viên đặt lại mật khẩu.")
            audit.describe(user, f"Tạm khoá tài khoản “{user.username}” vì nhập sai mật khẩu "
                                 f"{MAX_FAILED_ATTEMPTS} lần")
        else:
            message = WRONG_CREDENTIALS
            audit.describe(user, f"Đăng nhập sai mật khẩu: tài khoản “{user.username}” "
                                 f"(lần {user.failed_attempts})")
        session.flush()
        session.commit()  # the count outlives the refusal (the caller's transaction rolls back on it)
    raise UserError(message)


def sign_in_and_remember(db: Database, username: str, password: str,
                         now: datetime | None = None) -> identity.SignedIn:
    """:func:`sign_in` in its own transaction, then the officer is the one signed in for this process."""
    with db.transaction() as session:
        user = sign_in(session, username, password, now)
    identity.sign_in_as(user)
    return user


# ---- changing accounts -------------------------------------------------------------------------

def change_password(session: Session, user_id: int, old_password: str, new_password: str) -> None:
    """An officer changes their own password (the old one must be given)."""
    signed_in = identity.signed_in()
    if signed_in is None or signed_in.user_id != user_id:
        raise UserError("Chỉ tự đổi được mật khẩu của chính mình. Quản trị viên dùng “Đặt lại mật khẩu” "
                        "cho tài khoản của người khác.")
    user = existing_row(session, AppUser, user_id, _NOT_FOUND)
    if not verify_password(old_password, user.password_hash):
        raise UserError("Mật khẩu hiện tại không đúng.")
    check_password(new_password, user.username)
    if verify_password(new_password, user.password_hash):
        raise UserError("Mật khẩu mới phải khác mật khẩu đang dùng.")
    user.password_hash = hash_password(new_password)
    stamp_updated(user, user.username)
    audit.describe(user, f"Đổi mật khẩu: tài khoản “{user.username}”")
    session.flush()


def reset_password(session: Session, user_id: int, new_password: str, actor: str) -> None:
    """The administrator gives an officer a new password (and lifts a lock)."""
    _require_administrator(session, "đặt lại mật khẩu")
    user = existing_row(session, AppUser, user_id, _NOT_FOUND)
    check_password(new_password, user.username)
    user.password_hash = hash_password(new_password)
    user.failed_attempts, user.locked_until = 0, None
    stamp_updated(user, actor)
    audit.describe(user, f"Đặt lại mật khẩu: tài khoản “{user.username}”")
    session.flush()


def set_role(session: Session, user_id: int, role: Role, actor: str, expected_version: int | None = None) -> UserRow:
    _require_administrator(session, "đổi vai trò của tài khoản")
    user = existing_row(session, AppUser, user_id, _NOT_FOUND, expected_version)
    role = Role(role)
    if role is not Role.QUAN_TRI:
        _keep_an_administrator(session, user, f"đổi vai trò của “{user.username}” thành {role.label}")
    user.role = role.value
    stamp_updated(user, actor)
    session.flush()
    return _row(user)


def set_active(session: Session, user_id: int, active: bool, actor: str,
               expected_version: int | None = None) -> UserRow:
    """Stop (or resume) an account: a stopped account cannot sign in; its history stays."""
    _require_administrator(session, "ngừng hoặc mở lại tài khoản")
    user = existing_row(session, AppUser, user_id, _NOT_FOUND, expected_version)
    if not active:
        _keep_an_administrator(session, user, f"ngừng sử dụng tài khoản “{user.username}”")
    user.active = bool(active)
    stamp_updated(user, actor)
    session.flush()
    return _row(user)


def _keep_an_administrator(session: Session, user: AppUser, what: str) -> None:
    """Refuse to leave the database without an active administrator (nobody could manage it)."""
    if user.role != Role.QUAN_TRI.value or not user.active:
        return
    others = session.scalar(select(func.count()).select_from(AppUser).where(
        AppUser.role == Role.QUAN_TRI.value, AppUser.active.is_(True), AppUser.id != user.id))
    if not others:
        raise UserError(f"Không thể {what}: đây là tài khoản quản trị duy nhất còn dùng, và tệp dữ liệu "
                        "phải luôn có người quản trị. Hãy cho một tài khoản khác làm quản trị trước.")


def _require_administrator(session: Session, what: str) -> None:
    """The signed-in officer must be an active administrator, as the file says now (not as at sign-in)."""
    if not has_accounts(session):
        raise UserError("Tệp dữ liệu này chưa có tài khoản nào: hãy tạo tài khoản quản trị đầu tiên trước.")
    signed_in = identity.signed_in()
    user = session.get(AppUser, signed_in.user_id) if signed_in is not None else None
    if user is None or user.username != signed_in.username or not user.active or user.role != Role.QUAN_TRI.value:
        raise UserError(f"Chỉ tài khoản quản trị mới được {what}.")
