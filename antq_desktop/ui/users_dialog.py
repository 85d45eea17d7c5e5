"""Menu Cài đặt → Tài khoản người dùng…: the administrator's list of accounts.

Add an officer, change a role, deactivate or reactivate an account (an account is never deleted:
the audit trail names it), reset a forgotten password. The accounts service decides what is
allowed (only an administrator, never the last active administrator…) and its refusals are
shown as they come; the buttons are only greyed for an officer who is not an administrator.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
)

from antq_desktop import identity
from antq_desktop.db.engine import Database
from antq_desktop.domain.roles import Role
from antq_desktop.i18n import tr
from antq_desktop.services import accounts
from antq_desktop.services.accounts import UserRow
from antq_desktop.ui.choices import choose, chosen, enum_combo
from antq_desktop.ui.forms import SavingDialog, add_buttons, close_buttons, save_buttons
from antq_desktop.ui.messages import attempt, confirm
from antq_desktop.ui.record_table import RecordTable
from antq_desktop.ui.row_table import Column, RowTableModel
from antq_desktop.ui.sign_in import FitsMessages, fit_height, password_box, same_twice

WIDTHS = (140, 200, 150, 110, 130, 140)
GREY = QColor("#777777")


def moment(value: datetime | None) -> str:
    return "" if value is None else f"{value:%H:%M %d/%m/%Y}"


def locked_text(row: UserRow, now: datetime) -> str:
    return moment(row.locked_until) if row.locked_until is not None and row.locked_until > now else ""


class UsersModel(RowTableModel):
    """The accounts; a deactivated one in grey."""

    def __init__(self, parent=None):
        self.now = datetime.now()
        columns = (
            Column(tr("Tên đăng nhập"), lambda r: r.username),
            Column(tr("Họ và tên"), lambda r: r.full_name),
            Column(tr("Vai trò"), lambda r: r.role.label),
            Column(tr("Trạng thái"), lambda r: tr("Đang dùng") if r.active else tr("Ngừng sử dụng")),
            Column(tr("Tạm khoá đến"), lambda r: locked_text(r, self.now),
                   lambda r: r.locked_until or datetime.min),
            Column(tr("Đăng nhập gần nhất"), lambda r: moment(r.last_sign_in),
                   lambda r: r.last_sign_in or datetime.min),
        )
        super().__init__(columns, parent)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if index.isValid() and role == Qt.ItemDataRole.ForegroundRole and not self.rows[index.row()].active:
            return QBrush(GREY)
        return super().data(index, role)


def _role_combo(current: Role = Role.CAN_BO) -> QComboBox:
    box = enum_combo(list(Role))
    choose(box, current)
    return box


ROLE_HELP = tr(
    "Quản trị: thêm tài khoản, sửa danh mục và cài đặt, cùng mọi việc của cán bộ. "
    "Cán bộ: nhập dữ liệu và in. Lãnh đạo / chỉ xem: xem và in, không sửa được gì."
)


def _help(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet("color: #444;")
    return label


class AddUserDialog(FitsMessages, SavingDialog):
    """A new account: name, full name, role, a first password typed twice (the officer changes it
    after signing in: menu Tệp → Đổi mật khẩu)."""

    def __init__(self, save: Callable, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Thêm tài khoản"))
        self.username = QLineEdit()
        self.username.setMaxLength(accounts.USERNAME_MAX)
        self.username.setPlaceholderText(tr("Ví dụ: hoa.lt"))
        self.full_name = QLineEdit()
        self.full_name.setMaxLength(accounts.FULL_NAME_MAX)
        self.role = _role_combo()
        self.password = password_box()
        self.password_again = password_box()
        form = QFormLayout()
        form.addRow(tr("Tên đăng nhập"), self.username)
        form.addRow(tr("Họ và tên"), self.full_name)
        form.addRow(tr("Vai trò"), self.role)
        form.addRow(tr("Mật khẩu ban đầu"), self.password)
        form.addRow(tr("Nhập lại mật khẩu"), self.password_again)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_help(ROLE_HELP))
        layout.addWidget(_help(tr("Mật khẩu dài ít nhất {n} ký tự. Hãy báo mật khẩu ban đầu cho cán bộ và nhắc "
                                  "họ đổi ngay sau lần đăng nhập đầu tiên (menu Tệp \u2192 Đổi mật khẩu).").format(
            n=accounts.MIN_PASSWORD_LENGTH)))
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Thêm"))
        self.resize(540, 0)
        fit_height(self)

    def typed(self) -> tuple[str, str, Role, str, str]:
        return (self.username.text(), self.full_name.text(), chosen(self.role, Role), self.password.text(),
                self.password_again.text())


class RoleDialog(FitsMessages, SavingDialog):
    def __init__(self, save: Callable, user: UserRow, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Đổi vai trò"))
        self.role = _role_combo(user.role)
        form = QFormLayout()
        form.addRow(tr("Tài khoản"), QLabel(f"<b>{user.username}</b> — {user.full_name}"))
        form.addRow(tr("Vai trò mới"), self.role)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_help(ROLE_HELP))
        layout.addWidget(_help(tr("Vai trò mới có hiệu lực từ lần đăng nhập sau của cán bộ đó.")))
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self))
        self.resize(500, 0)
        fit_height(self)

    def typed(self) -> Role:
        return chosen(self.role, Role)


class ResetPasswordDialog(FitsMessages, SavingDialog):
    """A forgotten password: the administrator sets a new one (and unlocks the account)."""

    def __init__(self, save: Callable, user: UserRow, parent=None):
        super().__init__(save, parent)
        self.setWindowTitle(tr("Đặt lại mật khẩu"))
        self.password = password_box()
        self.password_again = password_box()
        form = QFormLayout()
        form.addRow(tr("Tài khoản"), QLabel(f"<b>{user.username}</b> — {user.full_name}"))
        form.addRow(tr("Mật khẩu mới"), self.password)
        form.addRow(tr("Nhập lại mật khẩu mới"), self.password_again)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(_help(tr("Báo mật khẩu mới cho cán bộ và nhắc họ đổi ngay sau khi đăng nhập "
                                  "(menu Tệp \u2192 Đổi mật khẩu).")))
        layout.addWidget(self.error)
        layout.addWidget(save_buttons(self, "Đặt lại"))
        self.resize(480, 0)
        fit_height(self)

    def typed(self) -> tuple[str, str]:
        return self.password.text(), self.password_again.text()


class UsersDialog(QDialog):
    def __init__(self, db: Database, parent=None):
        super().__init__(parent)
        self._db = db
        self.setWindowTitle(tr("Tài khoản người dùng"))
        self.model = UsersModel(self)
        self.table = RecordTable(self.model, WIDTHS, "users")
        self.table.setSelectionMode(RecordTable.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.doubleClicked.connect(lambda _index: self.change_role())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        me = identity.signed_in()
        self._admin = me is not None and me.role.can_administer
        intro = QLabel(tr(
            "Mỗi cán bộ đăng nhập bằng tài khoản của mình; mọi thay đổi dữ liệu đều ghi tên người làm "
            "(xem trang Nhật ký thay đổi). Tài khoản không xoá được, chỉ ngừng sử dụng.") if self._admin else tr(
            "Chỉ quản trị viên được thêm tài khoản, đổi vai trò hay đặt lại mật khẩu."))
        intro.setWordWrap(True)
        row = QHBoxLayout()
        self.buttons = add_buttons(row, (
            ("add", tr("Thêm tài khoản…"), self.add_user),
            ("role", tr("Đổi vai trò…"), self.change_role),
            ("active", tr("Ngừng sử dụng"), self.toggle_active),
            ("password", tr("Đặt lại mật khẩu…"), self.reset_password),
        ))
        row.addStretch(1)
        close = close_buttons(self)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(row)
        layout.addWidget(self.table, 1)
        layout.addWidget(close)
        self.resize(960, 460)
        self.refresh()

    # ---- data ------------------------------------------------------------------------------------

    def refresh(self, select: int | None = None) -> None:
        rows = attempt(self, lambda: self._db.run(accounts.list_users))
        self.model.now = datetime.now()
        self.model.set_rows(rows or [])
        header = self.table.horizontalHeader()
        self.model.sort(header.sortIndicatorSection(), header.sortIndicatorOrder())
        for number, row in enumerate(self.model.rows):
            if row.id == select:
                self.table.selectRow(number)
        self._update_buttons()

    def selected(self) -> UserRow | None:
        numbers = self.table.selected_row_numbers()
        return self.model.rows[numbers[0]] if numbers else None

    def _update_buttons(self) -> None:
        row = self.selected()
        self.buttons["add"].setEnabled(self._admin)
        for key in ("role", "active", "password"):
            self.buttons[key].setEnabled(self._admin and row is not None)
        self.buttons["active"].setText(tr("Dùng lại") if row is not None and not row.active else tr("Ngừng sử dụng"))

    def done(self, result: int) -> None:
        self.table.save_state()
        super().done(result)

    # ---- actions ---------------------------------------------------------------------------------

    def add_user(self) -> None:
        added: list[UserRow] = []

        def save(typed) -> None:
            username, full_name, role, password, again = typed
            same_twice(password, again)
            added.append(self._db.run(lambda session: accounts.add_user(
                session, username, full_name, role, password, identity.current_actor())))

        if AddUserDialog(save, self).exec():
            self.refresh(added[-1].id)

    def change_role(self) -> None:
        row = self.selected()
        if row is None or not self._admin:
            return

        def save(role: Role) -> None:
            self._db.run(lambda session: accounts.set_role(session, row.id, role, identity.current_actor(),
                                                           expected_version=row.version))

        if RoleDialog(save, row, self).exec():
            self.refresh(row.id)

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        if row.active and not confirm(self, tr("Ngừng sử dụng tài khoản"), tr(
                "Ngừng sử dụng tài khoản \u201c{name}\u201d ({full_name})? Người này sẽ không đăng nhập được nữa; "
                "các thay đổi họ đã làm vẫn giữ tên họ trong nhật ký. Có thể cho dùng lại bất cứ lúc nào.").format(
                name=row.username, full_name=row.full_name)):
            return
        attempt(self, lambda: self._db.run(lambda session: accounts.set_active(
            session, row.id, not row.active, identity.current_actor(), expected_version=row.version)))
        self.refresh(row.id)  # refused or not: the list as the file has it now

    def reset_password(self) -> None:
        row = self.selected()
        if row is None:
            return

        def save(typed) -> None:
            password, again = typed
            same_twice(password, again)
            self._db.run(lambda session: accounts.reset_password(session, row.id, password,
                                                                 identity.current_actor()))

        if ResetPasswordDialog(save, row, self).exec():
            self.refresh(row.id)
