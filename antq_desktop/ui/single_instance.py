"""One program window per database file.

The first start on a file takes a lock file in the data folder (QLockFile, named from a hash
of the file's full path) and listens on a local socket of the same name. A second start on
the same file finds the lock taken, connects to the socket and asks the first to bring its
window forward; it then quits without a word. Only if the first does not answer (it hangs)
does the second say so, in a short message. Starts on different files do not meet.

A first instance that crashed leaves its lock file and (on Linux) its socket file behind:
QLockFile sees that the process named in the lock is gone and takes the lock over; should the
lock name a living process that is not listening (its number reused after a crash), the
lock is removed as stale, which the system allows only when no living process holds it.
"""

from __future__ import annotations

import hashlib
import logging
import os
import sys
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QEventLoop, QLockFile, QObject, Qt, QTimer, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from antq_desktop import paths
from antq_desktop.i18n import tr

log = logging.getLogger(__name__)

ANSWER_TIMEOUT_MS = 3000  # how long a second start waits for the first to answer
LISTEN_GRACE_MS = 1500  # a first start takes the lock a moment before it listens
_ASK = b"activate\n"
_ANSWER = b"ok\n"

NOT_ANSWERING = (
    "Tệp dữ liệu này đang được mở trong một cửa sổ ANTQ Desktop khác trên máy, nhưng cửa sổ đó không trả "
    "lời. Hãy tìm cửa sổ đó trên thanh tác vụ; nếu nó bị treo, hãy đóng nó (bấm Ctrl+Shift+Esc để mở Task "
    "Manager, chọn ANTQ Desktop, bấm End task) rồi mở lại chương trình. Dữ liệu đã lưu không bị mất."
)


def database_identity(target: str | Path | None) -> str:
    """What identifies the database the user named, as ``engine.database_url`` reads ``--db``
    (without importing the database layer, which is slow to import and not needed yet): the
    default file, a file's full path (case-folded where the system ignores case), or a URL."""
    if target is None or str(target).strip() == "":
        target = paths.default_db_path()
    text = str(target)
    if "://" in text:
        return text
    return os.path.normcase(str(Path(text).expanduser().resolve()))


def instance_key(target: str | Path | None) -> str:
    """The lock file's and the socket's name: a hash of the database and of this user (two users
    of one PC each have their own data folder and their own windows)."""
    seed = f"{database_identity(target)}\n{Path.home()}"
    return "antq-desktop-" + hashlib.sha256(seed.encode("utf-8")).hexdigest()[:20]


class Reply(Enum):
    ANSWERED = "answered"
    NO_SERVER = "no server"  # nobody listens: the first is starting, or gone
    NO_ANSWER = "no answer"  # it listens but does not answer: it hangs


class SingleInstance(QObject):
    """The claim of the first start on a database; ``activation_requested`` fires when a later
    start on the same database asks for the window. Keep it alive while the program runs."""

    activation_requested = Signal()

    def __init__(self, key: str, lock: QLockFile, parent: QObject | None = None):
        super().__init__(parent)
        self.key = key
        self._lock = lock
        self._server = QLocalServer(self)
        self._server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        QLocalServer.removeServer(key)  # a crashed first start's socket file; we hold the lock
        if not self._server.listen(key):
            log.warning("single instance: cannot listen on %s: %s", key, self._server.errorString())
        self._server.newConnection.connect(self._accept)

    @property
    def listening(self) -> bool:
        return self._server.isListening()

    def _accept(self) -> None:
        while self._server.hasPendingConnections():
            socket = self._server.nextPendingConnection()
            socket.readyRead.connect(lambda socket=socket: self._read(socket))
            socket.disconnected.connect(socket.deleteLater)
            self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if not socket.canReadLine():
            return
        if bytes(socket.readLine().data()) == _ASK:
            socket.write(_ANSWER)
            socket.flush()
            self.activation_requested.emit()
        socket.disconnectFromServer()

    def release(self) -> None:
        """Stop listening and free the lock (closing the program does it too)."""
        self._server.close()
        self._lock.unlock()


def lock_file_path(key: str) -> Path:
    return paths.data_dir() / f"{key}.lock"


def open_in_a_window(target: str | Path | None) -> bool:
    """Whether a program window of this user has the database open now (for a command that
    must not run under it, such as replacing the file by a backup). Needs no QApplication."""
    lock = QLockFile(str(lock_file_path(instance_key(target))))
    lock.setStaleLockTime(0)
    if lock.tryLock(0):
        lock.unlock()
        return False
    return True


def claim(target: str | Path | None, *, parent: QObject | None = None, tell=None,
          answer_timeout_ms: int | None = None) -> SingleInstance | None:
    """Become the one instance for the database ``target`` (as ``--db`` gives it), or hand over
    to the one running: it is asked to come forward and None is returned (quit). When it does
    not answer, ``tell(message)`` says so (by default a message box) before None is returned."""
    key = instance_key(target)
    lock = QLockFile(str(lock_file_path(key)))
    lock.setStaleLockTime(0)  # a running program keeps its lock for hours: stale only if its process is gone
    if lock.tryLock(0):
        return SingleInstance(key, lock, parent)
    timeout = ANSWER_TIMEOUT_MS if answer_timeout_ms is None else answer_timeout_ms
    waited = 0
    while True:
        reply = ask_to_come_forward(key, timeout)
        if reply is Reply.ANSWERED:
            log.info("single instance: the program already open on this database came forward")
            return None
        if reply is Reply.NO_ANSWER:
            break
        if lock.tryLock(0):  # the first has just quit, or its lock went stale
            return SingleInstance(key, lock, parent)
        if waited >= LISTEN_GRACE_MS:
            if lock.removeStaleLockFile() and lock.tryLock(0):
                log.warning("single instance: took over the lock of a start that did not listen")
                return SingleInstance(key, lock, parent)
            break
        _pause(100)
        waited += 100
    log.warning("single instance: the program already open on this database does not answer")
    (tell or _show_not_answering)(tr(NOT_ANSWERING))
    return None


def ask_to_come_forward(key: str, timeout_ms: int) -> Reply:
    """Ask the first start (listening on ``key``) to bring its window forward."""
    socket = QLocalSocket()
    loop = QEventLoop()
    outcome = {"reply": Reply.NO_ANSWER, "done": False}

    def finish(reply: Reply) -> None:
        outcome["reply"], outcome["done"] = reply, True
        loop.quit()

    def connected() -> None:
        if sys.platform == "win32":  # the user started us: let the first start take the foreground
            import ctypes

            ctypes.windll.user32.AllowSetForegroundWindow(-1)  # ASFW_ANY
        socket.write(_ASK)
        socket.flush()

    def read() -> None:
        if socket.canReadLine() and bytes(socket.readLine().data()) == _ANSWER:
            finish(Reply.ANSWERED)

    def failed(error) -> None:
        if error in (QLocalSocket.LocalSocketError.ServerNotFoundError,
                     QLocalSocket.LocalSocketError.ConnectionRefusedError):
            finish(Reply.NO_SERVER)
        elif error == QLocalSocket.LocalSocketError.PeerClosedError and not outcome["done"]:
            finish(Reply.NO_ANSWER)

    socket.connected.connect(connected)
    socket.readyRead.connect(read)
    socket.errorOccurred.connect(failed)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    socket.connectToServer(key)
    if not outcome["done"]:
        loop.exec()
    timer.stop()
    socket.abort()
    return outcome["reply"]


def _pause(ms: int) -> None:
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


def _show_not_answering(message: str) -> None:
    QMessageBox.warning(None, tr("ANTQ Desktop đang mở"), message)


def bring_forward(window: QWidget) -> None:
    """Show the window on top of the others, un-minimised (and the dialog it waits on, if any)."""
    state = window.windowState() & ~Qt.WindowState.WindowMinimized
    window.setWindowState(state | Qt.WindowState.WindowActive)
    window.show()
    window.raise_()
    window.activateWindow()
    modal = QApplication.activeModalWidget()
    if modal is not None and modal is not window:
        modal.raise_()
        modal.activateWindow()
