"""Signing in, the administrator of the first start, the accounts dialog and the idle lock,
driven through the real dialogs."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMainWindow, QMessageBox, QPushButton

from antq_desktop import identity
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import UnitStatus
from antq_desktop.errors import UserError
from antq_desktop.services import accounts
from antq_desktop.services import units as unit_service
from antq_desktop.ui.idle_lock import (
    IdleLock,
    IdleSettingsDialog,
    LockCover,
    idle_minutes,
)
from antq_desktop.ui.sign_in import (
    ChangePasswordDialog,
    FirstAdminDialog,
    SignInDialog,
    ensure_signed_in,
)
from antq_desktop.ui.users_dialog import AddUserDialog, UsersDialog
from tests.ui.conftest import answer_yes, type_text, when_modal_opens

ADMIN_PASSWORD = "Quantri@2026"
VIEWER_PASSWORD = "Lanhdao@2026"


@pytest.fixture(autouse=True)
def nobody_signed_in():
    """The officer signed in is the process's: each test starts and ends with nobody."""
    identity.sign_out()
    yield
    identity.sign_out()


def _accounts(db) -> tuple[accounts.UserRow, accounts.UserRow]:
    """An administrator and a viewer, nobody signed in afterwards."""
    with db.transaction() as session:
        admin = accounts.create_first_admin(session, "quantri", "Nguyễn Văn Quản", ADMIN_PASSWORD)
    identity.sign_in_as(identity.SignedIn(admin.id, admin.username, admin.role))
    with db.transaction() as session:
        viewer = accounts.add_user(session, "lanhdao", "Trần Thị Hà", Role.CHI_XEM, VIEWER_PASSWORD,
                                   identity.current_actor())
    identity.sign_out()
    return admin, viewer


def _sign_in_as(db, username: str, password: str) -> identity.SignedIn:
    with db.transaction() as session:
        signed = accounts.sign_in(session, username, password)
    identity.sign_in_as(signed)
    return signed


def _type_password(dialog, box, text: str) -> None:
    box.setFocus()
    box.clear()
    type_text(box, text)


# ---- the first start ---------------------------------------------------------------------------

def test_first_start_creates_the_administrator_and_signs_in(qtbot, empty_db):
    seen = {}

    def fill(dialog):
        assert isinstance(dialog, FirstAdminDialog)
        seen["title"] = dialog.windowTitle()
        assert dialog.password.echoMode() == dialog.password.EchoMode.Password
        assert dialog.password.text() == "" and dialog.username.text() == ""  # no default password anywhere
        type_text(dialog.username, "tuan.nv")
        type_text(dialog.full_name, "Nguyễn Văn Tuấn")
        type_text(dialog.password, "Bảo vệ 2026")
        type_text(dialog.password_again, "Bảo vệ 2025")
        dialog.create_button.click()
        seen["mismatch"] = dialog.error.text()
        assert dialog.isVisible()
        dialog.password_again.clear()
        type_text(dialog.password_again, "Bảo vệ 2026")
        qtbot.keyClick(dialog.password_again, Qt.Key.Key_Return)  # Enter creates

    when_modal_opens(qtbot, fill)
    assert ensure_signed_in(empty_db) is True
    assert seen["title"] == "Tạo tài khoản quản trị"
    assert "không giống nhau" in seen["mismatch"]
    me = identity.signed_in()
    assert (me.username, me.role) == ("tuan.nv", Role.QUAN_TRI)
    with empty_db.transaction() as session:
        assert accounts.has_accounts(session)
        users = accounts.list_users(session)
        assert [(u.username, u.full_name, u.role) for u in users] == [("tuan.nv", "Nguyễn Văn Tuấn", Role.QUAN_TRI)]
        assert accounts.sign_in(session, "tuan.nv", "Bảo vệ 2026").user_id == me.user_id


def test_leaving_the_first_start_creates_nothing(qtbot, empty_db):
    when_modal_opens(qtbot, lambda dialog: dialog.reject())
    assert ensure_signed_in(empty_db) is False
    assert identity.signed_in() is None
    with empty_db.transaction() as session:
        assert not accounts.has_accounts(session)


def test_a_too_short_password_is_refused_with_the_rule(qtbot, empty_db):
    def fill(dialog):
        type_text(dialog.username, "admin")
        type_text(dialog.password, "123")
        type_text(dialog.password_again, "123")
        dialog.create_button.click()
        messages.append(dialog.error.text())
        dialog.reject()

    messages: list[str] = []
    when_modal_opens(qtbot, fill)
    assert ensure_signed_in(empty_db) is False
    assert str(accounts.MIN_PASSWORD_LENGTH) in messages[0]
    with empty_db.transaction() as session:
        assert not accounts.has_accounts(session)


# ---- signing in --------------------------------------------------------------------------------

def test_a_wrong_password_shows_the_message_and_the_dialog_stays(qtbot, demo_db):
    _accounts(demo_db)
    seen = {}

    def fill(dialog):
        assert isinstance(dialog, SignInDialog)
        assert dialog.password.echoMode() == dialog.password.EchoMode.Password
        type_text(dialog.username, "lanhdao")
        _type_password(dialog, dialog.password, "sai-mat-khau")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)  # Enter signs in
        seen["error"], seen["visible"] = dialog.error.text(), dialog.isVisible()
        seen["kept"], seen["cleared"] = dialog.username.text(), dialog.password.text()
        type_text(dialog.password, VIEWER_PASSWORD)
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)

    when_modal_opens(qtbot, fill)
    assert ensure_signed_in(demo_db) is True
    assert seen["visible"] and seen["error"] and "mật khẩu" in seen["error"].lower()
    assert (seen["kept"], seen["cleared"]) == ("lanhdao", "")
    assert (identity.signed_in().username, identity.signed_in().role) == ("lanhdao", Role.CHI_XEM)


def test_a_wrong_password_typed_with_tones_suggests_the_vietnamese_keyboard(qtbot, demo_db):
    _accounts(demo_db)
    dialog = SignInDialog(demo_db, username="quantri")
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.password, "Quảntri@2026")  # "Quantri@2026" typed with Telex on
    dialog.sign_in_button.click()
    assert "bộ gõ tiếng Việt" in dialog.error.text()
    type_text(dialog.password, "Quantri@2025")
    dialog.sign_in_button.click()
    assert "bộ gõ" not in dialog.error.text() and dialog.error.text()


def test_the_last_name_is_proposed_next_time(qtbot, demo_db):
    _accounts(demo_db)

    def fill(dialog):
        type_text(dialog.username, "quantri")
        type_text(dialog.password, ADMIN_PASSWORD)
        dialog.sign_in_button.click()

    when_modal_opens(qtbot, fill)
    assert ensure_signed_in(demo_db)
    identity.sign_out()
    proposed = []

    def look(dialog):
        proposed.append((dialog.username.text(), dialog.focusWidget() is dialog.password))
        dialog.reject()

    when_modal_opens(qtbot, look)
    assert ensure_signed_in(demo_db) is False
    assert proposed == [("quantri", True)]
    assert identity.signed_in() is None


def test_five_failures_lock_the_account_and_the_dialog_says_until_when(qtbot, demo_db):
    _accounts(demo_db)
    errors: list[str] = []

    def fill(dialog):
        type_text(dialog.username, "lanhdao")
        for _attempt in range(6):
            _type_password(dialog, dialog.password, "khong-dung")
            dialog.sign_in_button.click()
            errors.append(dialog.error.text())
        _type_password(dialog, dialog.password, VIEWER_PASSWORD)  # even the right one, while locked
        dialog.sign_in_button.click()
        errors.append(dialog.error.text())
        dialog.reject()

    when_modal_opens(qtbot, fill)
    assert ensure_signed_in(demo_db) is False
    with demo_db.transaction() as session:
        locked_until = next(u for u in accounts.list_users(session) if u.username == "lanhdao").locked_until
    assert locked_until is not None
    assert f"{locked_until:%H:%M}" in errors[5] and f"{locked_until:%H:%M}" in errors[6]
    assert "khoá" in errors[5].lower() or "khóa" in errors[5].lower()
    assert f"{locked_until:%H:%M}" not in errors[0]
    assert identity.signed_in() is None


def test_a_deactivated_account_is_told_so(qtbot, demo_db):
    admin, viewer = _accounts(demo_db)
    _sign_in_as(demo_db, "quantri", ADMIN_PASSWORD)
    with demo_db.transaction() as session:
        accounts.set_active(session, viewer.id, False, identity.current_actor())
    identity.sign_out()
    errors = []

    def fill(dialog):
        type_text(dialog.username, "lanhdao")
        type_text(dialog.password, VIEWER_PASSWORD)
        dialog.sign_in_button.click()
        errors.append(dialog.error.text())
        dialog.reject()

    when_modal_opens(qtbot, fill)
    assert ensure_signed_in(demo_db) is False
    assert "ngừng" in errors[0].lower() or "vô hiệu" in errors[0].lower()


def test_caps_lock_hint_from_a_capital_typed_without_shift(qtbot, demo_db):
    dialog = SignInDialog(demo_db, username="quantri")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.password.setFocus()
    QTest.sendKeyEvent(QTest.KeyAction.Click, dialog.password, Qt.Key.Key_A, "A", Qt.KeyboardModifier.NoModifier)
    assert dialog.caps.label.isVisibleTo(dialog)
    QTest.sendKeyEvent(QTest.KeyAction.Click, dialog.password, Qt.Key.Key_B, "b", Qt.KeyboardModifier.NoModifier)
    assert not dialog.caps.label.isVisibleTo(dialog)
    QTest.sendKeyEvent(QTest.KeyAction.Click, dialog.password, Qt.Key.Key_C, "C", Qt.KeyboardModifier.ShiftModifier)
    assert not dialog.caps.label.isVisibleTo(dialog)


# ---- a viewer through the real window ----------------------------------------------------------

def test_a_viewer_cannot_save_a_unit_through_the_units_page(qtbot, demo_db):
    from antq_desktop.ui.main_window import MainWindow
    from antq_desktop.ui.unit_dialog import UnitDialog

    _accounts(demo_db)
    _sign_in_as(demo_db, "lanhdao", VIEWER_PASSWORD)
    window = MainWindow(demo_db)
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("units")
    before = page.model.total
    refused = []

    def fill(dialog):
        assert isinstance(dialog, UnitDialog)
        type_text(dialog.name, "Tổ dân phố 99")
        dialog.accept()
        refused.append((dialog.error.text(), dialog.isVisible()))
        dialog.reject()

    when_modal_opens(qtbot, fill)
    page.add_unit()
    assert refused and refused[0][1]  # the dialog kept open, with the refusal
    assert "chỉ được xem và in" in refused[0][0]
    assert page.model.total == before
    with demo_db.transaction() as session:
        assert unit_service.count_units(session, page._ward_id, unit_service.UnitQuery(search="Tổ dân phố 99")) == 0

    # A change written after its dialog: the refusal comes in a box; the unit stays as it was.
    number = next(n for n in range(page.model.rowCount()) if page.model.row_at(n).name == "Ban Quản lý chợ Tam Cờ")
    page.table.selectRow(number)
    unit_id = page.selected_rows()[0].id
    boxes = []

    def refusal(box):
        boxes.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    def dissolve(dialog):
        type_text(dialog.reason, "Giải thể theo quyết định của UBND")
        when_modal_opens(qtbot, refusal)
        dialog.accept()

    when_modal_opens(qtbot, dissolve)
    page.dissolve_action.trigger()
    qtbot.waitUntil(lambda: bool(boxes))
    assert "chỉ được xem và in" in boxes[0]
    with demo_db.transaction() as session:
        unit = unit_service.get_unit(session, unit_id)
    assert unit.status is UnitStatus.ACTIVE and unit.status_reason == "" and unit.version == 1
    assert page.model.total == before
    window.close()


# ---- the officer's own password ----------------------------------------------------------------

def test_change_password_dialog(qtbot, demo_db):
    _accounts(demo_db)
    _sign_in_as(demo_db, "lanhdao", VIEWER_PASSWORD)
    dialog = ChangePasswordDialog(demo_db)
    qtbot.addWidget(dialog)
    dialog.show()
    type_text(dialog.old, "sai-roi")
    type_text(dialog.new, "Mới@2026xyz")
    type_text(dialog.new_again, "Mới@2026xyz")
    dialog.accept()
    assert dialog.isVisible() and dialog.error.text()  # the old password is wrong: nothing changed
    dialog.old.clear()
    type_text(dialog.old, VIEWER_PASSWORD)
    dialog.new_again.clear()
    type_text(dialog.new_again, "Mới@2026xy")
    dialog.accept()
    assert dialog.isVisible() and "không giống nhau" in dialog.error.text()
    dialog.new_again.clear()
    type_text(dialog.new_again, "Mới@2026xyz")
    dialog.accept()
    assert not dialog.isVisible() and dialog.result() == dialog.DialogCode.Accepted
    with demo_db.transaction() as session:
        assert accounts.sign_in(session, "lanhdao", "Mới@2026xyz").username == "lanhdao"
    with pytest.raises(UserError), demo_db.transaction() as session:
        accounts.sign_in(session, "lanhdao", VIEWER_PASSWORD)


# ---- the administrator's list ------------------------------------------------------------------

def _users_dialog(qtbot, db) -> UsersDialog:
    dialog = UsersDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _row_of(dialog: UsersDialog, username: str) -> int:
    return next(n for n, row in enumerate(dialog.model.rows) if row.username == username)


def test_users_dialog_adds_a_viewer_and_deactivates_it(qtbot, demo_db):
    _accounts(demo_db)
    _sign_in_as(demo_db, "quantri", ADMIN_PASSWORD)
    dialog = _users_dialog(qtbot, demo_db)
    assert [row.username for row in dialog.model.rows] == ["lanhdao", "quantri"]
    assert not dialog.buttons["role"].isEnabled()  # nothing selected yet

    def fill(add: AddUserDialog):
        type_text(add.username, "hoa.lt")
        type_text(add.full_name, "Lê Thị Hoà")
        add.role.setCurrentIndex(add.role.findData(Role.CHI_XEM.value))
        type_text(add.password, "Hoa@2026abc")
        type_text(add.password_again, "Hoa@2026abc")
        add.accept()

    when_modal_opens(qtbot, fill)
    dialog.buttons["add"].click()
    number = _row_of(dialog, "hoa.lt")
    assert dialog.table.selected_row_numbers() == [number]
    assert [dialog.model.index(number, c).data() for c in range(4)] == [
        "hoa.lt", "Lê Thị Hoà", "Lãnh đạo / chỉ xem", "Đang dùng"]

    when_modal_opens(qtbot, answer_yes)
    dialog.buttons["active"].click()
    number = _row_of(dialog, "hoa.lt")
    assert dialog.model.index(number, 3).data() == "Ngừng sử dụng"
    assert dialog.buttons["active"].text() == "Dùng lại"
    with demo_db.transaction() as session:
        assert not next(u for u in accounts.list_users(session) if u.username == "hoa.lt").active
    with pytest.raises(UserError), demo_db.transaction() as session:
        accounts.sign_in(session, "hoa.lt", "Hoa@2026abc")

    dialog.buttons["active"].click()  # reactivating asks nothing
    assert dialog.model.index(_row_of(dialog, "hoa.lt"), 3).data() == "Đang dùng"


def test_users_dialog_changes_a_role_and_resets_a_password(qtbot, demo_db):
    _accounts(demo_db)
    _sign_in_as(demo_db, "quantri", ADMIN_PASSWORD)
    dialog = _users_dialog(qtbot, demo_db)
    dialog.table.selectRow(_row_of(dialog, "lanhdao"))

    def choose_officer(role_dialog):
        role_dialog.role.setCurrentIndex(role_dialog.role.findData(Role.CAN_BO.value))
        role_dialog.accept()

    when_modal_opens(qtbot, choose_officer)
    dialog.buttons["role"].click()
    assert dialog.model.index(_row_of(dialog, "lanhdao"), 2).data() == "Cán bộ"

    def reset(password_dialog):
        type_text(password_dialog.password, "Datlai@2026")
        type_text(password_dialog.password_again, "Datlai@2026")
        password_dialog.accept()

    when_modal_opens(qtbot, reset)
    dialog.buttons["password"].click()
    with demo_db.transaction() as session:
        signed = accounts.sign_in(session, "lanhdao", "Datlai@2026")
    assert signed.role is Role.CAN_BO


def test_the_last_administrator_cannot_be_deactivated_the_refusal_is_shown(qtbot, demo_db):
    _accounts(demo_db)
    _sign_in_as(demo_db, "quantri", ADMIN_PASSWORD)
    dialog = _users_dialog(qtbot, demo_db)
    dialog.table.selectRow(_row_of(dialog, "quantri"))
    boxes = []

    def refusal(box):
        boxes.append(box.text())
        box.button(QMessageBox.StandardButton.Ok).click()

    when_modal_opens(qtbot, lambda box: (answer_yes(box), when_modal_opens(qtbot, refusal)))
    dialog.buttons["active"].click()
    qtbot.waitUntil(lambda: bool(boxes))
    assert boxes[0]
    assert dialog.model.index(_row_of(dialog, "quantri"), 3).data() == "Đang dùng"


def test_a_viewer_sees_the_list_with_every_change_greyed(qtbot, demo_db):
    _accounts(demo_db)
    _sign_in_as(demo_db, "lanhdao", VIEWER_PASSWORD)
    dialog = _users_dialog(qtbot, demo_db)
    dialog.table.selectRow(0)
    assert not any(button.isEnabled() for button in dialog.buttons.values())


# ---- the idle lock -----------------------------------------------------------------------------

@pytest.fixture
def locked_window(qtbot, demo_db):
    _accounts(demo_db)
    _sign_in_as(demo_db, "quantri", ADMIN_PASSWORD)
    window = QMainWindow()
    window.setCentralWidget(QPushButton("Dữ liệu đang mở"))
    window.resize(800, 500)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _cover_of(window) -> LockCover | None:
    return next((child for child in window.findChildren(LockCover) if child.isVisible()), None)


def test_idle_lock_covers_the_window_and_only_the_password_opens_it(qtbot, demo_db, locked_window):
    lock = IdleLock(demo_db, locked_window, interval_ms=50)
    changes = []
    lock.locked_changed.connect(changes.append)
    qtbot.waitUntil(lock.is_locked, timeout=2000)
    assert changes == [True]
    cover = _cover_of(locked_window)
    assert cover is not None and cover.geometry() == locked_window.rect()
    qtbot.waitUntil(lambda: lock.prompt is not None and lock.prompt.isVisible())
    prompt = lock.prompt
    assert prompt.username.text() == "quantri" and prompt.username.isReadOnly()

    clicked = []
    locked_window.centralWidget().clicked.connect(lambda: clicked.append(True))
    qtbot.mouseClick(locked_window.centralWidget(), Qt.MouseButton.LeftButton)  # refused while locked
    assert clicked == []

    _type_password(prompt, prompt.password, "sai")
    prompt.sign_in_button.click()
    assert lock.is_locked() and prompt.isVisible() and prompt.error.text()
    _type_password(prompt, prompt.password, ADMIN_PASSWORD)
    qtbot.keyClick(prompt.password, Qt.Key.Key_Return)
    assert not lock.is_locked() and changes == [True, False]
    assert _cover_of(locked_window) is None
    assert identity.signed_in().username == "quantri"
    qtbot.mouseClick(locked_window.centralWidget(), Qt.MouseButton.LeftButton)
    assert clicked == [True]
    lock.stop()


def test_activity_restarts_the_count_and_put_aside_prompt_can_come_back(qtbot, demo_db, locked_window):
    lock = IdleLock(demo_db, locked_window, interval_ms=1000)
    qtbot.wait(500)
    QTest.mouseMove(locked_window.centralWidget())
    qtbot.mouseClick(locked_window.centralWidget(), Qt.MouseButton.LeftButton)
    assert lock.remaining_ms() > 800  # counted again from the click
    assert not lock.is_locked()
    qtbot.waitUntil(lock.is_locked, timeout=3000)
    qtbot.waitUntil(lambda: lock.prompt is not None and lock.prompt.isVisible())
    lock.prompt.cancel_button.click()  # "Để sau": the window stays covered
    assert lock.is_locked() and _cover_of(locked_window) is not None
    _cover_of(locked_window).unlock_button.click()
    prompt = lock.prompt
    assert prompt is not None and prompt.isVisible()
    type_text(prompt.password, ADMIN_PASSWORD)
    prompt.sign_in_button.click()
    assert not lock.is_locked()
    assert lock.remaining_ms() > 0  # counting again
    lock.stop()


def test_a_dialog_open_when_the_lock_comes_is_covered_and_comes_back_as_it_was(qtbot, demo_db, locked_window):
    from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout

    lock = IdleLock(demo_db, locked_window, interval_ms=150)
    dialog = QDialog(locked_window)
    edit = QLineEdit()
    QVBoxLayout(dialog).addWidget(edit)
    seen = {}

    def while_open(opened):
        assert opened is dialog
        type_text(edit, "Đang nhập dở")
        qtbot.waitUntil(lock.is_locked, timeout=3000)
        qtbot.waitUntil(lambda: lock.prompt is not None and lock.prompt.isVisible())
        seen["covered"] = _cover_of(dialog) is not None and _cover_of(locked_window) is not None
        type_text(edit, "!")  # refused: the dialog is covered
        prompt = lock.prompt
        type_text(prompt.password, ADMIN_PASSWORD)
        prompt.sign_in_button.click()
        seen["after"] = (dialog.isVisible(), edit.text(), _cover_of(dialog))
        dialog.accept()

    when_modal_opens(qtbot, while_open)
    assert dialog.exec() == QDialog.DialogCode.Accepted
    assert seen["covered"]
    assert seen["after"] == (True, "Đang nhập dở", None)
    lock.stop()


def test_the_lock_refuses_the_windows_shortcuts(qtbot, demo_db, locked_window):
    from PySide6.QtGui import QAction, QKeySequence

    fired = []
    action = QAction("Trang 2", locked_window)
    action.setShortcut(QKeySequence("Ctrl+2"))
    action.triggered.connect(lambda: fired.append(True))
    locked_window.addAction(action)

    def press_ctrl_2() -> None:
        locked_window.activateWindow()
        qtbot.waitUntil(locked_window.isActiveWindow)
        qtbot.keyClick(locked_window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)

    press_ctrl_2()
    assert fired == [True]
    lock = IdleLock(demo_db, locked_window)  # the setting is off: only the menu item locks
    assert idle_minutes() == 0 and lock.remaining_ms() == -1
    assert lock.lock()
    qtbot.waitUntil(lambda: lock.prompt is not None and lock.prompt.isVisible())
    lock.prompt.cancel_button.click()
    press_ctrl_2()
    assert fired == [True]  # not twice
    lock.unlock()
    press_ctrl_2()
    assert fired == [True, True]
    lock.stop()


def test_nobody_signed_in_nothing_to_lock(qtbot, demo_db):
    window = QMainWindow()
    qtbot.addWidget(window)
    window.show()
    lock = IdleLock(demo_db, window)
    assert lock.lock() is False and not lock.is_locked()
    lock.stop()


def test_sign_out_from_the_lock_hands_over_to_the_window(qtbot, demo_db, locked_window):
    handed: list[bool] = []

    def sign_out() -> bool:
        handed.append(True)
        identity.sign_out()
        locked_window.close()
        return True

    lock = IdleLock(demo_db, locked_window, on_sign_out=sign_out)
    lock.lock()
    qtbot.waitUntil(lambda: lock.prompt is not None and lock.prompt.isVisible())
    lock.prompt.cancel_button.click()
    cover = _cover_of(locked_window)
    when_modal_opens(qtbot, answer_yes)
    cover.sign_out_button.click()
    qtbot.waitUntil(lambda: bool(handed))
    assert identity.signed_in() is None
    assert not lock.is_locked() and lock.prompt is None


def test_idle_settings_dialog_stores_the_minutes_for_this_pc(qtbot, demo_db, locked_window):
    lock = IdleLock(demo_db, locked_window)
    dialog = IdleSettingsDialog(lock)
    qtbot.addWidget(dialog)
    assert not dialog.enabled.isChecked() and not dialog.minutes.isEnabled()
    dialog.enabled.setChecked(True)
    dialog.minutes.setValue(15)
    dialog.accept()
    assert idle_minutes() == 15
    assert 14 * 60_000 < lock.remaining_ms() <= 16 * 60_000  # a coarse timer: a few seconds of slack
    dialog = IdleSettingsDialog(lock)
    qtbot.addWidget(dialog)
    assert dialog.enabled.isChecked() and dialog.minutes.value() == 15
    dialog.enabled.setChecked(False)
    dialog.accept()
    assert idle_minutes() == 0 and lock.remaining_ms() == -1
    lock.stop()
