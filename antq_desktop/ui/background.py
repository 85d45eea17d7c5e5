"""Long work off the GUI thread, with a progress dialog that can cancel.

The job receives ``progress(done, total) -> bool``; it returns False once the user pressed
"Huỷ", and the job should stop. The window keeps repainting meanwhile. Only plain data goes
to the job: no database session crosses threads.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEventLoop, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QProgressDialog, QWidget

from antq_desktop.i18n import tr

Progress = Callable[[int, int], bool]


class _Worker(QObject):
    advanced = Signal(int, int)
    finished = Signal()

    def __init__(self, job: Callable[[Progress], object]):
        super().__init__()
        self._job = job
        self.cancelled = False
        self.result = None
        self.error: BaseException | None = None

    def _progress(self, done: int, total: int) -> bool:
        self.advanced.emit(done, total)
        return not self.cancelled

    def run(self) -> None:
        try:
            self.result = self._job(self._progress)
        except BaseException as error:  # handed back to the GUI thread, raised there
            self.error = error
        self.finished.emit()


class _ProgressRelay(QObject):
    """Lives in the GUI thread, so the worker's signals reach the dialog queued, never directly."""

    def __init__(self, dialog: QProgressDialog):
        super().__init__(dialog)
        self._dialog = dialog

    @Slot(int, int)
    def show(self, done: int, total: int) -> None:
        self._dialog.setMaximum(total)
        self._dialog.setValue(done)


def run_with_progress(parent: QWidget, label: str, job: Callable[[Progress], object]):
    """Run ``job`` in a worker thread behind a modal progress dialog; returns (result, cancelled)."""
    dialog = QProgressDialog(label, tr("Huỷ"), 0, 0, parent)
    dialog.setWindowTitle(tr("Đang thực hiện"))
    dialog.setMinimumDuration(0)  # modal at once: no second action can start meanwhile
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)  # no second action while this one runs
    worker = _Worker(job)
    thread = QThread(parent)
    worker.moveToThread(thread)
    loop = QEventLoop()
    worker.advanced.connect(_ProgressRelay(dialog).show)
    worker.finished.connect(loop.quit)
    dialog.canceled.connect(lambda: setattr(worker, "cancelled", True))
    thread.started.connect(worker.run)
    thread.start()
    loop.exec()
    thread.quit()
    thread.wait()
    thread.deleteLater()
    dialog.reset()
    dialog.deleteLater()
    if worker.error is not None:
        raise worker.error
    return worker.result, worker.cancelled
