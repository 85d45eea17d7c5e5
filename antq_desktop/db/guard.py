"""Who may write what, checked where every write passes: the session's flush, and the bulk
statements a service sends past the ORM.

The rules hold below the services, so the window, the ``antq`` command and any future page
obey the same ones without each remembering to check:

- a database without any account (a new file before its administrator is created, the tests'
  files, a file from before accounts existed) stays open to whoever runs the program;
- once it has accounts, every write needs someone signed in;
- a "chỉ xem" account writes nothing (it may still change its own password);
- a "cán bộ" enters data but not the administrator's tables: settings, the catalogues, the
  score sheets a year is scored with, other people's accounts;
- the program's own bookkeeping (a failed sign-in counted) is allowed whoever is signed in;
- nobody writes the audit trail through the ORM: it is written by the database layer only.

A session that is always rolled back (``Database.reading()``, for previews such as a decision
drafted only to print it) may write whatever it likes: nothing it writes is kept.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import event, inspect, select, text
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker

from antq_desktop import identity
from antq_desktop.db.audit import DISCARDED, LEFT_OUT
from antq_desktop.db.models import AppUser, AuditEntry
from antq_desktop.domain.roles import Role
from antq_desktop.errors import UserError

SIGN_IN_FIRST = ("Hãy đăng nhập trước khi thay đổi dữ liệu: tệp dữ liệu này có tài khoản người dùng, "
                 "nên mỗi thay đổi phải biết ai đã làm.")
AUDIT_READ_ONLY = "Nhật ký thay đổi chỉ để xem: không ai sửa hay xoá được các dòng nhật ký."

_ALL = frozenset({"create", "update", "delete"})
# Tables only an administrator changes, and the words that name them in the refusal.
ADMIN_ONLY: dict[str, tuple[frozenset[str], str]] = {
    "setting": (_ALL, "cài đặt của chương trình"),
    "exemplary_criterion": (_ALL, "danh mục tiêu chí phường điển hình"),
    # A cán bộ's first score of a year keeps the sheets the year is scored with (a create);
    # giving a year other sheets is the administrator's, like editing the sheets themselves.
    "classification_year": (frozenset({"update", "delete"}), "bảng điểm áp dụng cho một năm"),
    "app_user": (_ALL, "tài khoản người dùng"),
}
# What anyone may change on their own account: the password (and the row's bookkeeping).
SELF_SERVICE = frozenset({"password_hash"}) | LEFT_OUT
_ACCOUNTS_SEEN = "antq.guard.accounts_seen"


_NO_ACCOUNTS_YET = "antq.guard.no_accounts"


class _Accounts:
    """Whether the database has accounts: asked once per transaction until the answer is yes.

    "Yes" is remembered for good only once a transaction that saw it commits: the first
    administrator created in a transaction that then rolls back must not lock the file.
    Accounts are never deleted, so a yes stays true. "No" holds for the rest of the
    transaction until the transaction itself writes an account.
    """

    def __init__(self):
        self.known = False

    def exist(self, session: Session) -> bool:
        if self.known:
            return True
        if session.info.get(_NO_ACCOUNTS_YET):
            return False
        found = session.connection().execute(text("SELECT 1 FROM app_user LIMIT 1")).first() is not None
        session.info[_ACCOUNTS_SEEN if found else _NO_ACCOUNTS_YET] = True
        return found

    @staticmethod
    def forget(session: Session) -> None:
        """This transaction writes an account: ask again at its next write."""
        session.info.pop(_NO_ACCOUNTS_YET, None)

    def transaction_ended(self, session: Session, committed: bool) -> None:
        session.info.pop(_NO_ACCOUNTS_YET, None)
        if session.info.pop(_ACCOUNTS_SEEN, False) and committed:
            self.known = True


def install(sessions: sessionmaker) -> None:
    """Check every flush and every bulk statement of the sessions ``sessions`` makes."""
    accounts = _Accounts()

    def check_flush(session: Session, _flush_context, _instances) -> None:
        _check_flush(session, accounts)

    def check_statement(state: ORMExecuteState) -> None:
        _check_statement(state, accounts)

    event.listen(sessions, "before_flush", check_flush)
    event.listen(sessions, "before_commit", _refuse_discarded_commit)
    event.listen(sessions, "do_orm_execute", check_statement)
    event.listen(sessions, "after_commit", lambda session: accounts.transaction_ended(session, True))
    event.listen(sessions, "after_rollback", lambda session: accounts.transaction_ended(session, False))


def _refuse_discarded_commit(session: Session) -> None:
    """A reading session is not guarded because it is always thrown away: it must never commit."""
    if session.info.get(DISCARDED):
        raise RuntimeError("a reading() session must not commit: use Database.transaction() to write")


def _check_flush(session: Session, accounts: _Accounts) -> None:
    writes = ([(row, "create") for row in session.new] + [(row, "delete") for row in session.deleted]
              + [(row, "update") for row in session.dirty if session.is_modified(row, include_collections=False)])
    if not writes:
        return
    if any(isinstance(row, AuditEntry) for row, _ in writes):
        raise UserError(AUDIT_READ_ONLY)
    unchecked = _unchecked(session) or not accounts.exist(session)
    if any(isinstance(row, AppUser) for row, _ in writes):
        accounts.forget(session)
    if unchecked:
        return
    user = _signed_in_user(session)
    for row, action in writes:
        _check_write(user, row.__table__.name, action, row)


def _check_statement(state: ORMExecuteState, accounts: _Accounts) -> None:
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table_name = state.statement.table.name
    if table_name == AuditEntry.__tablename__:
        raise UserError(AUDIT_READ_ONLY)
    unchecked = _unchecked(state.session) or not accounts.exist(state.session)
    if table_name == AppUser.__tablename__:
        accounts.forget(state.session)
    if unchecked:
        return
    action = "create" if state.is_insert else "update" if state.is_update else "delete"
    _check_write(_signed_in_user(state.session), table_name, action, None)


def _unchecked(session: Session) -> bool:
    return bool(session.info.get(DISCARDED)) or identity.program_is_writing()


def _signed_in_user(session: Session) -> identity.SignedIn:
    """The officer signed in, with the role the file gives them now: an administrator may have
    changed it (or closed the account) from another window since they signed in."""
    user = identity.signed_in()
    if user is None:
        raise UserError(SIGN_IN_FIRST)
    with session.no_autoflush:
        current = session.execute(select(AppUser.role, AppUser.active).where(AppUser.id == user.user_id)).first()
    if current is None or not current.active:
        raise UserError(f"Tài khoản \u201c{user.username}\u201d đã ngừng sử dụng: không thay đổi được dữ liệu. "
                        "Hãy đăng xuất rồi đăng nhập bằng tài khoản khác.")
    return replace(user, role=Role(current.role))


def _check_write(user: identity.SignedIn, table_name: str, action: str, row) -> None:
    """Refuse ``action`` on a row of ``table_name`` (``row`` None: a bulk statement) for ``user``."""
    role = Role(user.role)
    if role.can_administer or _own_password(user, table_name, action, row):
        return
    if not role.can_write:
        raise UserError(f"Tài khoản “{user.username}” ({role.label}) chỉ được xem và in, "
                        "không được thay đổi dữ liệu.")
    actions, what = ADMIN_ONLY.get(table_name, (frozenset(), ""))
    if action in actions:
        raise UserError(f"Tài khoản “{user.username}” ({role.label}) không được thay đổi {what}: "
                        "việc này dành cho tài khoản quản trị.")


def _own_password(user: identity.SignedIn, table_name: str, action: str, row) -> bool:
    """An officer changing their own password (whatever the role), and nothing else of the account."""
    if table_name != AppUser.__tablename__ or action != "update" or row is None or row.id != user.user_id:
        return False
    state = inspect(row)
    changed = {attr.key for attr in state.mapper.column_attrs if state.attrs[attr.key].history.has_changes()}
    return changed <= SELF_SERVICE
