"""Signing in: the administrator created at the first start, the sign-in at every start, the
officer's own password change.

The rules (length of a password, five failures lock the account for five minutes, a
deactivated account) are the accounts service's: these dialogs show its messages as they come.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from antq_desktop import identity
from antq_desktop.db.engine import Database
from antq_desktop.errors import UserError
from antq_desktop.i18n import tr
from antq_desktop.services import accounts
from antq_desktop.ui.forms import SavingDialog, error_label, show_error
from antq_desktop.ui.settings import ui_settings

LAST_USER_KEY = "security/last_user"  # per PC: the name the sign-in box proposes next time


UNIKEY_HINT = tr("\nMật khẩu vừa gõ có chữ có dấu: nếu bộ gõ tiếng Việt (Unikey, EVKey…) đang bật, hãy tắt "
                 "nó rồi gõ lại mật khẩu.")


def password_box(placeholder: str = "") -> QLineEdit:
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setPlaceholderText(placeholder)
    box.setMaxLength(accounts.MAX_PASSWORD_LENGTH)
    return box


def same_twice(first: str, second: str) -> None:
    """The new password typed twice must be the same (a typo would lock the officer out)."""
    if first != second:
        raise UserError(tr("Hai lần nhập mật khẩu không giống nhau. Hãy gõ lại mật khẩu ở cả hai ô cho khớp."))


def caps_lock_state() -> bool | None:
    """Whether Caps Lock is on, where the system can tell (Windows); None elsewhere."""
    if sys.platform != "win32":
        return None
    try:
        import ctypes

        return bool(ctypes.windll.user32.GetKeyState(0x14) & 1)
    except (AttributeError, OSError):
        return None


class CapsLockHint(QObject):
    """A line under the password boxes that says when Caps Lock seems to be on: from the system
    where it can tell, else from the letters typed (a capital without Shift, a small one with)."""

    def __init__(self, boxes: list[QLineEdit], parent: QWidget):
        super().__init__(parent)
        self.label = QLabel(tr("Phím Caps Lock đang bật: mật khẩu phân biệt chữ hoa, chữ thường."))
        self.label.setStyleSheet("color: #8a5300;")
        self.label.setWordWrap(True)
        self.label.hide()
        for box in boxes:
            box.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FocusIn:
            state = caps_lock_state()
            if state is not None:
                self.label.setVisible(state)
        elif event.type() == QEvent.Type.KeyPress:
            state = caps_lock_state()
            if state is None:
                state = _caps_from_key(event.text(), event.modifiers())
            if state is not None:
                self.label.setVisible(state)
        return False


def _caps_from_key(text: str, modifiers) -> bool | None:
    if len(text) != 1 or text.upper() == text.lower():
        return None  # not a letter: tells nothing
    shift = bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
    return text.isupper() != shift


def _rules_text() -> str:
    return tr(
        "Mật khẩu do bạn tự đặt, dài ít nhất {length} ký tự; nên có cả chữ và số, không dùng ngày sinh "
        "hay số điện thoại, và nên gõ không dấu (để đăng nhập được dù bộ gõ tiếng Việt bật hay tắt). "
        "Chương trình không lưu mật khẩu mà chỉ lưu dạng mã hoá của nó, nên không ai xem "
        "lại được: hãy ghi nhớ hoặc cất ở nơi an toàn. Nhập sai {attempts} lần liền thì tài khoản bị khoá "
        "{minutes} phút."
    ).format(length=accounts.MIN_PASSWORD_LENGTH, attempts=accounts.MAX_FAILED_ATTEMPTS,
             minutes=accounts.LOCK_DURATION.seconds // 60)


def fit_height(dialog: QDialog) -> None:
    """Grow the dialog to show all its wrapped lines (a message just shown): Qt does not count
    word-wrapped labels in a window's minimum height."""
    layout = dialog.layout()
    layout.activate()
    needed = layout.totalHeightForWidth(dialog.width())
    if needed > dialog.height():
        dialog.resize(dialog.width(), needed)


class FitsMessages:
    """For a SavingDialog: after a refused save, grow so that the red message is not squeezed in."""

    def accept(self) -> None:
        super().accept()
        if self.isVisible():
            fit_height(self)


def _heading(text: str) -> QLabel:
    label = QLabel(text)
    label.setStyleSheet("font-size: 13pt; font-weight: bold;")
    return label


def _intro(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _signed_in(user: accounts.UserRow) -> identity.SignedIn:
    return identity.SignedIn(user.id, user.username, user.role)


class FirstAdminDialog(FitsMessages, SavingDialog):
    """The first start on a file without accounts: the administrator's account, with a password
    the officer chooses. ``signed`` is the new administrator once saved."""

    def __init__(self, db: Database, parent=None):
        super().__init__(self._create, parent)
        self._db = db
        self.signed: identity.SignedIn | None = None
        self.setWindowTitle(tr("Tạo tài khoản quản trị"))
        heading = _heading(tr("Tạo tài khoản quản trị"))
        intro = _intro(tr(
            "Tệp dữ liệu này chưa có tài khoản nào. Người dùng đầu tiên là quản trị viên: được thêm tài khoản "
            "cho các cán bộ khác, phân vai trò (quản trị, cán bộ, lãnh đạo / chỉ xem) và sửa các cài đặt. "
            "Từ nay mỗi lần mở chương trình đều phải đăng nhập."))
        rules = _intro(_rules_text())
        rules.setStyleSheet("color: #444;")
        self.username = QLineEdit()
        self.username.setMaxLength(accounts.USERNAME_MAX)
        self.username.setPlaceholderText(tr("Ví dụ: tuan.nv"))
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(accounts.FULL_NAME_MAX)
        self.full_name.setPlaceholderText(tr("Ví dụ: Nguyễn Văn Tuấn"))
        self.password = password_box()
        self.password_again = password_box()
        self.caps = CapsLockHint([self.password, self.password_again], self)
        form = QFormLayout()
        form.addRow(tr("Tên đăng nhập"), self.username)
        form.addRow(tr("Họ và tên"), self.full_name)
        form.addRow(tr("Mật khẩu"), self.password)
        form.addRow(tr("Nhập lại mật khẩu"), self.password_again)
        buttons = QDialogButtonBox()
        self.create_button = buttons.addButton(tr("Tạo tài khoản và đăng nhập"),
                                               QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        buttons.addButton(tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.caps.label)
        layout.addSpacing(6)
        layout.addWidget(rules)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(580, 0)
        fit_height(self)

    def typed(self) -> tuple[str, str, str, str]:
        return self.username.text(), self.full_name.text(), self.password.text(), self.password_again.text()

    def _create(self, typed: tuple[str, str, str, str]) -> None:
        username, full_name, password, again = typed
        same_twice(password, again)
        user = self._db.run(lambda session: accounts.create_first_admin(session, username, full_name, password))
        self.signed = _signed_in(user)


class SignInDialog(QDialog):
    """Name and password; a refusal (wrong password, locked until HH:MM, deactivated) is shown in
    the dialog, which stays open with the name kept. ``signed`` is the officer once accepted.

    With ``fixed_user`` (the idle lock) only that account's password is asked."""

    def __init__(self, db: Database, parent=None, username: str = "", fixed_user: bool = False):
        super().__init__(parent)
        self._db = db
        self.signed: identity.SignedIn | None = None
        self.setWindowTitle(tr("Mở khoá màn hình") if fixed_user else tr("Đăng nhập ANTQ Desktop"))
        intro = (tr("Màn hình đã khoá. Hãy nhập mật khẩu của tài khoản \u201c{name}\u201d để làm việc tiếp.")
                 .format(name=username) if fixed_user else
                 tr("Hãy nhập tên đăng nhập và mật khẩu của bạn. Quên mật khẩu: nhờ quản trị viên của đơn vị "
                    "đặt lại."))
        self.username = QLineEdit(username)
        self.username.setMaxLength(accounts.USERNAME_MAX)
        self.username.setReadOnly(fixed_user)
        self.password = password_box()
        self.caps = CapsLockHint([self.password], self)
        self.error = error_label()
        form = QFormLayout()
        form.addRow(tr("Tên đăng nhập"), self.username)
        form.addRow(tr("Mật khẩu"), self.password)
        buttons = QDialogButtonBox()
        self.sign_in_button = buttons.addButton(tr("Mở khoá") if fixed_user else tr("Đăng nhập"),
                                                QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_in_button.setDefault(True)  # Enter in either box signs in
        self.cancel_button = buttons.addButton(tr("Để sau") if fixed_user else tr("Thoát"),
                                               QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(_heading(tr("Mở khoá màn hình") if fixed_user else tr("Đăng nhập")))
        layout.addWidget(_intro(intro))
        layout.addSpacing(4)
        layout.addLayout(form)
        layout.addWidget(self.caps.label)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(480, 0)
        fit_height(self)
        (self.password if username else self.username).setFocus()

    def accept(self) -> None:
        username, password = self.username.text(), self.password.text()
        try:
            self.signed = self._db.run(lambda session: accounts.sign_in(session, username, password))
        except UserError as error:
            show_error(self.error, error.message + (UNIKEY_HINT if not password.isascii() else ""))
            fit_height(self)
            self.password.clear()
            (self.password if username.strip() else self.username).setFocus()
            return
        super().accept()


class ChangePasswordDialog(FitsMessages, SavingDialog):
    """The signed-in officer's own password: the current one, then the new one twice."""

    def __init__(self, db: Database, parent=None):
        super().__init__(self._change, parent)
        self._db = db
        me = identity.signed_in()
        self.setWindowTitle(tr("Đổi mật khẩu"))
        who = me.username if me is not None else ""
        self.old = password_box()
        self.new = password_box()
        self.new_again = password_box()
        self.caps = CapsLockHint([self.old, self.new, self.new_again], self)
        form = QFormLayout()
        form.addRow(tr("Tài khoản"), QLabel(f"<b>{who}</b>"))
        form.addRow(tr("Mật khẩu đang dùng"), self.old)
        form.addRow(tr("Mật khẩu mới"), self.new)
        form.addRow(tr("Nhập lại mật khẩu mới"), self.new_again)
        rules = _intro(tr("Mật khẩu mới dài ít nhất {length} ký tự; nên có cả chữ và số.").format(
            length=accounts.MIN_PASSWORD_LENGTH))
        rules.setStyleSheet("color: #444;")
        buttons = QDialogButtonBox()
        save = buttons.addButton(tr("Đổi mật khẩu"), QDialogButtonBox.ButtonRole.AcceptRole)
        save.setDefault(True)
        buttons.addButton(tr("Huỷ"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.caps.label)
        layout.addWidget(rules)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(500, 0)
        fit_height(self)

    def typed(self) -> tuple[str, str, str]:
        return self.old.text(), self.new.text(), self.new_again.text()

    def _change(self, typed: tuple[str, str, str]) -> None:
        old, new, again = typed
        me = identity.signed_in()
        if me is None:
            raise UserError(tr("Chưa đăng nhập: không có mật khẩu nào để đổi."))
        same_twice(new, again)
        self._db.run(lambda session: accounts.change_password(session, me.user_id, old, new))


def ensure_signed_in(db: Database, parent=None) -> bool:
    """Before the window fills: the first administrator on a file without accounts, else the
    sign-in; True once an officer is signed in, False if the officer chose to leave."""
    if not db.run(accounts.has_accounts):
        dialog: FirstAdminDialog | SignInDialog = FirstAdminDialog(db, parent)
    else:
        dialog = SignInDialog(db, parent, username=str(ui_settings().value(LAST_USER_KEY, "") or ""))
    if not dialog.exec() or dialog.signed is None:
        return False
    identity.sign_in_as(dialog.signed)
    ui_settings().setValue(LAST_USER_KEY, dialog.signed.username)
    return True


def window_title_user() -> str:
    """Who is signed in, for the window title: "tuan.nv (Quản trị)"; empty when nobody is."""
    me = identity.signed_in()
    return "" if me is None else f"{me.username} ({me.role.label})"

