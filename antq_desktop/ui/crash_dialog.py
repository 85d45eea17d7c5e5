"""What the user sees when the program meets a bug: an apology, and a report they can save."""

from __future__ import annotations

import platform
from datetime import datetime

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from antq_desktop import __version__
from antq_desktop.i18n import tr
from antq_desktop.logging_setup import log_file


def build_report(details: str) -> str:
    return (
        f"ANTQ Desktop {__version__}\n"
        f"Thời điểm: {datetime.now():%d/%m/%Y %H:%M:%S}\n"
        f"Hệ điều hành: {platform.platform()}\nPython: {platform.python_version()}\n\n{details}"
    )


class CrashDialog(QDialog):
    def __init__(self, details: str, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Chương trình gặp lỗi"))
        self.report = build_report(details)
        message = QLabel(tr(
            "Rất tiếc, chương trình vừa gặp một lỗi ngoài dự kiến. Dữ liệu đã lưu trước đó không bị mất.\n"
            "Hãy bấm «Lưu báo cáo…» và gửi tệp báo cáo cho người hỗ trợ kỹ thuật, "
            f"kèm tệp nhật ký: {log_file()}"
        ))
        message.setWordWrap(True)
        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        save = QPushButton(tr("Lưu báo cáo…"))
        buttons.addButton(save, QDialogButtonBox.ButtonRole.ActionRole)
        save.clicked.connect(self._save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def _save(self) -> None:
        name = f"bao-cao-loi-{datetime.now():%Y%m%d-%H%M%S}.txt"
        path, _ = QFileDialog.getSaveFileName(self, tr("Lưu báo cáo lỗi"), name, tr("Tệp văn bản (*.txt)"))
        if path:
            save_report(self.report, path)


def save_report(report: str, path: str) -> None:
    with open(path, "w", encoding="utf-8") as handle:
        handle.write(report)
