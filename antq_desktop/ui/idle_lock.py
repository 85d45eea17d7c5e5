"""Locking the screen when the officer leaves the PC (or asks for it: menu Tệp → Khoá màn hình).

A shared office PC: after N minutes without a key or a click (a setting of this PC, off by
default) every window of the program is covered by a lock screen and the password of the
officer signed in is asked again. Nothing typed is lost: open dialogs stay open under their
cover and come back as they were.

Only the same officer unlocks. Another officer uses "Đăng xuất": the window closes (it asks about
unsaved work first) and the program signs in again from the start, so that every page is built
anew for the new officer's role; the window's ``sign_out`` does that (``on_sign_out``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from antq_desktop import identity
from antq_desktop.db.engine import Database
from antq_desktop.i18n import tr
from antq_desktop.ui.messages import confirm
from antq_desktop.ui.settings import ui_settings
from antq_desktop.ui.sign_in import SignInDialog, fit_height

IDLE_KEY = "security/idle_minutes"  # per PC; 0 = never lock by itself
MAX_IDLE_MINUTES = 240
DEFAULT_SUGGESTED_MINUTES = 10

# What counts as the officer being at the PC.
ACTIVITY = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.TouchBegin, QEvent.Type.TabletPress,
})
# What is refused to a covered window while the program is locked.
INPUT = frozenset({
    QEvent.Type.KeyPress, QEvent.Type.KeyRelease, QEvent.Type.ShortcutOverride, QEvent.Type.Shortcut,
    QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease, QEvent.Type.MouseButtonDblClick,
    QEvent.Type.MouseMove, QEvent.Type.Wheel, QEvent.Type.ContextMenu, QEvent.Type.TouchBegin,
    QEvent.Type.TouchUpdate, QEvent.Type.TouchEnd, QEvent.Type.TabletPress, QEvent.Type.DragEnter,
    QEvent.Type.Drop,
})


def idle_minutes() -> int:
    """Minutes without a key or a click before the program locks itself on this PC; 0: never."""
    try:
        minutes = int(ui_settings().value(IDLE_KEY, 0))
    except (TypeError, ValueError):
        return 0
    return min(max(minutes, 0), MAX_IDLE_MINUTES)


def set_idle_minutes(minutes: int) -> None:
    ui_settings().setValue(IDLE_KEY, min(max(int(minutes), 0), MAX_IDLE_MINUTES))


class LockCover(QWidget):
    """What a locked window shows instead of its content: who locked it, when, and the way back."""

    def __init__(self, window: QWidget, user: identity.SignedIn, since: datetime, unlock: Callable,
                 sign_out: Callable | None):
        super().__init__(window)
        self.setObjectName("lockCover")
        self.setAutoFillBackground(True)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet("QWidget#lockCover { background: #eef1f5; }")
        title = QLabel(tr("ANTQ Desktop đang khoá"))
        title.setStyleSheet("font-size: 15pt; font-weight: bold; color: #1f3b63;")
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        text = QLabel(tr(
            "Tài khoản \u201c{name}\u201d ({role}) đã khoá màn hình lúc {time}. Dữ liệu đang mở được che đi, "
            "không mất gì; nhập lại mật khẩu để làm việc tiếp.").format(
            name=user.username, role=user.role.label, time=f"{since:%H:%M}"))
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton(tr("Mở khoá…"))
        self.unlock_button.clicked.connect(unlock)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.unlock_button)
        self.sign_out_button = None
        if sign_out is not None:
            self.sign_out_button = QPushButton(tr("Đăng xuất (người khác đăng nhập)"))
            self.sign_out_button.clicked.connect(sign_out)
            buttons.addWidget(self.sign_out_button)
        buttons.addStretch(1)
        panel = QVBoxLayout()
        panel.addStretch(1)
        panel.addWidget(title)
        panel.addWidget(text)
        panel.addSpacing(8)
        panel.addLayout(buttons)
        panel.addStretch(1)
        outer = QHBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(panel, 4)
        outer.addStretch(1)
        window.installEventFilter(self)
        self.setGeometry(window.rect())
        self.show()
        self.raise_()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parent() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
            self.raise_()
        return False

    def remove(self) -> None:
        self.parentWidget().removeEventFilter(self)
        self.hide()
        self.deleteLater()


class IdleLock(QObject):
    """The lock of one main window. ``lock()`` locks now (the menu item); the setting's timer
    locks by itself. ``interval_ms`` replaces the setting (tests use a few milliseconds).

    ``on_sign_out()`` closes the window for another officer and returns True, or False when the
    officer chose to stay (unsaved work): the program then stays locked."""

    locked_changed = Signal(bool)

    def __init__(self, db: Database, window: QMainWindow, on_sign_out: Callable[[], bool] | None = None,
                 interval_ms: int | None = None):
        super().__init__(window)
        self._db, self._window, self._on_sign_out = db, window, on_sign_out
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._idle)
        self._filtering = False
        self._locked_as: identity.SignedIn | None = None
        self._since = datetime.now()
        self._covers: dict[QWidget, LockCover] = {}
        self.prompt: SignInDialog | None = None
        self._asking = False  # the sign-out question is on screen: not a window to cover
        self._interval_override = interval_ms
        self.apply_settings()

    # ---- the timer ------------------------------------------------------------------------------

    def apply_settings(self) -> None:
        """Read the PC's setting again (after the settings dialog)."""
        interval = self._interval_override if self._interval_override is not None else idle_minutes() * 60_000
        if interval > 0:
            self._timer.setInterval(interval)
            if not self.is_locked():
                self._timer.start()
        else:
            self._timer.stop()
        self._filter(interval > 0 or self.is_locked())

    def remaining_ms(self) -> int:
        """Time left before the lock (-1: the timer is not running)."""
        return self._timer.remainingTime()

    def stop(self) -> None:
        """The window is going away: no timer, no filter, no cover left behind."""
        self._timer.stop()
        self._remove_covers()
        self._close_prompt()
        self._locked_as = None
        self._filter(False)

    def _filter(self, on: bool) -> None:
        app = QApplication.instance()
        if on and not self._filtering:
            app.installEventFilter(self)
        elif not on and self._filtering:
            app.removeEventFilter(self)
        self._filtering = on

    def _idle(self) -> None:
        if self._window.isVisible():
            self.lock()

    # ---- locking --------------------------------------------------------------------------------

    def is_locked(self) -> bool:
        return self._locked_as is not None

    def lock(self) -> bool:
        """Cover every window and ask for the password; False when nobody is signed in (nothing
        to lock with) or the program is already locked."""
        user = identity.signed_in()
        if user is None or self.is_locked():
            return False
        self._locked_as, self._since = user, datetime.now()
        self._timer.stop()
        self._filter(True)
        for _popup in range(10):  # an open menu or drop-down list (menus open inside menus)
            popup = QApplication.activePopupWidget()
            if popup is None:
                break
            popup.close()
        self._covers = {window: cover for window, cover in self._covers.items() if isValid(cover)}
        for window in QApplication.topLevelWidgets():
            if self._coverable(window):
                self._cover(window)
        self.locked_changed.emit(True)
        QTimer.singleShot(0, self.ask_password)
        return True

    def _coverable(self, window: QWidget) -> bool:
        return (window.isVisible() and isinstance(window, (QMainWindow, QDialog)) and window not in self._covers
                and window is not self.prompt and not self._asking)

    def _cover(self, window: QWidget) -> None:
        self._covers[window] = LockCover(window, self._locked_as, self._since, self.ask_password,
                                         self.sign_out if self._on_sign_out is not None else None)

    def ask_password(self) -> None:
        """The password of the officer who locked (again, if the box was put aside)."""
        if not self.is_locked() or self._asking:
            return
        if self.prompt is not None and self.prompt.isVisible():
            self.prompt.activateWindow()
            return
        parent = QApplication.activeModalWidget() or self._window
        self.prompt = SignInDialog(self._db, parent, self._locked_as.username, fixed_user=True)
        self.prompt.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.prompt.finished.connect(self._prompt_finished)
        self.prompt.show()
        self.prompt.password.setFocus()

    def _prompt_finished(self, result: int) -> None:
        prompt = self.prompt
        if prompt is None:
            return
        self.prompt = None
        prompt.deleteLater()
        if result == QDialog.DialogCode.Accepted and prompt.signed is not None:
            identity.sign_in_as(prompt.signed)  # the same officer; the role as the file has it now
            self.unlock()

    def unlock(self) -> None:
        self._remove_covers()
        self._locked_as = None
        self.locked_changed.emit(False)
        self.apply_settings()  # count again from now (or stop watching when the setting is off)

    def sign_out(self) -> None:
        """Another officer wants the PC: close what is open and hand over to the window's sign-out."""
        question = tr("Đăng xuất tài khoản \u201c{name}\u201d? Các cửa sổ đang mở sẽ đóng lại; những gì đang nhập "
                      "dở mà chưa lưu sẽ không được giữ.").format(name=self._locked_as.username)
        self._close_prompt()
        box_parent = QApplication.activeModalWidget() or self._window
        if not self._ask(box_parent, question):
            return
        for window in list(self._covers):
            if isValid(window) and isinstance(window, QDialog) and window is not self._window:
                window.reject()  # ends its exec(): nothing of it is saved
        QTimer.singleShot(0, self._hand_over)

    def _ask(self, parent: QWidget, question: str) -> bool:
        self._asking = True  # the question's box appears over the cover: not covered, its clicks let through
        try:
            return confirm(parent, tr("Đăng xuất"), question)
        finally:
            self._asking = False

    def _hand_over(self) -> None:
        if self._on_sign_out is None or not self._on_sign_out():
            return  # the window stayed open: it stays locked
        self.stop()

    # ---- the covers and the input they refuse ---------------------------------------------------

    def _remove_covers(self) -> None:
        for cover in self._covers.values():
            if isValid(cover):  # a dialog closed and deleted meanwhile took its cover with it
                cover.remove()
        self._covers.clear()

    def _close_prompt(self) -> None:
        if self.prompt is not None:
            prompt, self.prompt = self.prompt, None
            prompt.finished.disconnect(self._prompt_finished)
            prompt.reject()
            prompt.deleteLater()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if not self.is_locked():
            if kind in ACTIVITY and self._timer.interval() > 0 and self._timer.isActive():
                self._timer.start()  # the officer is here: count from now
            return False
        if kind == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            if self._coverable(watched):
                self._cover(watched)  # a box that appeared meanwhile (a print job done…)
            return False
        if kind not in INPUT:
            return False
        if isinstance(watched, QAction):
            return True  # the window's shortcuts (Ctrl+1…, Ctrl+N…) do nothing while locked
        if isinstance(watched, QWidget):
            return self._refused(watched)
        return False

    def _refused(self, widget: QWidget) -> bool:
        window = widget.window()
        cover = self._covers.get(window)
        if cover is None or not isValid(cover):
            return False  # the password box, the question, a window of its own
        return not (widget is cover or cover.isAncestorOf(widget))


class IdleSettingsDialog(QDialog):
    """Menu Cài đặt → Tự khoá màn hình…: on or off and after how many minutes, for this PC."""

    def __init__(self, lock: IdleLock | None = None, parent=None):
        super().__init__(parent)
        self._lock = lock
        self.setWindowTitle(tr("Tự khoá màn hình"))
        minutes = idle_minutes()
        self.enabled = QCheckBox(tr("Tự khoá màn hình khi không dùng máy"))
        self.enabled.setChecked(minutes > 0)
        self.minutes = QSpinBox()
        self.minutes.setRange(1, MAX_IDLE_MINUTES)
        self.minutes.setSuffix(tr(" phút"))
        self.minutes.setValue(minutes or DEFAULT_SUGGESTED_MINUTES)
        self.minutes.setEnabled(minutes > 0)
        self.enabled.toggled.connect(self.minutes.setEnabled)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("Khoá sau")))
        row.addWidget(self.minutes)
        row.addWidget(QLabel(tr("không bấm phím, không bấm chuột")))
        row.addStretch(1)
        note = QLabel(tr(
            "Khi khoá, mọi cửa sổ của chương trình được che lại và phải nhập lại mật khẩu mới làm việc tiếp; "
            "những gì đang nhập dở vẫn giữ nguyên. Cài đặt này chỉ áp dụng trên máy tính này."))
        note.setWordWrap(True)
        note.setStyleSheet("color: #444;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Lưu"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(tr("Huỷ"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.enabled)
        layout.addLayout(row)
        layout.addWidget(note)
        layout.addWidget(buttons)
        self.resize(520, 0)
        fit_height(self)

    def accept(self) -> None:
        set_idle_minutes(self.minutes.value() if self.enabled.isChecked() else 0)
        if self._lock is not None:
            self._lock.apply_settings()
        super().accept()
