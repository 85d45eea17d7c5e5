"""What the user sees when the program meets a bug: an apology, and a report they can copy or
save; and at the next start, the report of a run that ended in a crash nobody saw."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.i18n import tr
from antq_desktop.logging_setup import (
    crash_report_text,
    log_file,
    mark_seen,
    unseen_crash_reports,
)


def build_report(details: str) -> str:
    return crash_report_text(details)


class CrashDialog(QDialog):
    def __init__(self, details: str, parent=None, *, report: str | None = None, saved_to: Path | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Chương trình gặp lỗi"))
        self.report = report if report is not None else build_report(details)
        kept = (tr(f"Báo cáo lỗi đã được lưu vào tệp: {saved_to}\n") if saved_to is not None else "")
        message = QLabel(tr(
            "Rất tiếc, chương trình vừa gặp một lỗi ngoài dự kiến. Dữ liệu đã lưu trước đó không bị mất.\n"
            f"{kept}"
            "Hãy bấm «Sao chép» rồi dán vào tin nhắn hoặc thư gửi người hỗ trợ kỹ thuật (hoặc bấm «Lưu báo "
            f"cáo…» và gửi tệp), kèm tệp nhật ký: {log_file()}"
        ))
        message.setWordWrap(True)
        message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(tr("Sao chép"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.report))
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


class PreviousCrashDialog(QDialog):
    """At start: the last run ended in a crash; here is its report, to copy and send."""

    def __init__(self, reports: list[Path], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle(tr("Lần trước chương trình gặp lỗi"))
        self.reports = reports
        self.folder = reports[-1].parent
        self.report = "\n\n".join(_read(path) for path in reversed(reports))  # the latest first
        times = tr(f" ({len(reports)} lần)") if len(reports) > 1 else ""
        message = QLabel(tr(
            f"Lần trước chương trình gặp lỗi ngoài dự kiến{times} và đã phải dừng lại. Dữ liệu đã lưu trước "
            "lúc đó không bị mất.\nĐể người hỗ trợ kỹ thuật tìm ra nguyên nhân, hãy bấm «Sao chép» rồi dán vào "
            "tin nhắn hoặc thư gửi họ, hoặc gửi các tệp báo cáo lỗi trong thư mục:"
        ))
        message.setWordWrap(True)
        self.folder_label = QLabel(str(self.folder))
        self.folder_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(self.report)
        self.details.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = QPushButton(tr("Sao chép"))
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy)
        self.folder_button = QPushButton(tr("Mở thư mục"))
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder))))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(message)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.details)
        layout.addWidget(buttons)
        self.resize(680, 460)

    def copy(self) -> None:
        QGuiApplication.clipboard().setText(self.report)
        self.copy_button.setText(tr("Đã sao chép"))


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as error:
        return tr(f"(Không đọc được tệp {path.name}: {error.strerror or error})")


def show_previous_crash(parent: QWidget | None = None) -> bool:
    """If a crash report nobody has seen is waiting (the last run died), show it and mark it
    seen; True when something was shown. Call once at start, after the main window shows."""
    reports = unseen_crash_reports()
    if not reports:
        return False
    PreviousCrashDialog(reports, parent).exec()
    for path in reports:
        mark_seen(path)
    return True
