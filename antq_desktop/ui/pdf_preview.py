"""Every document is seen before it is printed: the PDF's pages on screen, then print or save.

Pages are drawn by PDFium (pypdfium2), the same renderer Chrome uses, from the very PDF
that is saved, so what the officer sees is what the printer gets.
"""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2 as pdfium
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QImage, QPageLayout, QPageSize, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.i18n import tr
from antq_desktop.services.output import write_atomically
from antq_desktop.ui.messages import attempt

SCREEN_DPI = 96
PRINT_DPI = 300
MAX_PREVIEW_PAGES = 30  # a preview of 1,000 certificates shows the first ones; printing sends all


def rendered(render, data) -> bytes:
    """The PDF that ``render(data, out)`` writes, as bytes (for a preview before saving)."""
    buffer = io.BytesIO()
    render(data, buffer)
    return buffer.getvalue()


def page_images(pdf: bytes, dpi: int, first: int = 0, count: int | None = None) -> list[QImage]:
    document = pdfium.PdfDocument(pdf)
    try:
        last = len(document) if count is None else min(len(document), first + count)
        return [_image(document[number], dpi) for number in range(first, last)]
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    document = pdfium.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def _image(page, dpi: int) -> QImage:
    picture = page.render(scale=dpi / 72).to_pil().convert("RGBA")
    image = QImage(picture.tobytes("raw", "RGBA"), picture.width, picture.height, QImage.Format.Format_RGBA8888)
    return image.copy()  # own the pixels: the bytes above go away


def print_pdf(parent: QWidget, pdf: bytes) -> bool:
    """Ask for a printer, then print every page."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if QPrintDialog(printer, parent).exec() != QDialog.DialogCode.Accepted:
        return False
    paint_pages(printer, pdf)
    return True


def paint_pages(printer: QPrinter, pdf: bytes) -> None:
    """Each PDF page on an A4 sheet of its own orientation, edge to edge: the PDF already
    holds the ND30 margins, so the printer must not add its own."""
    printer.setFullPage(True)
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    count = page_count(pdf)
    painter = None
    try:
        for number in range(count):
            image = page_images(pdf, PRINT_DPI, number, 1)[0]
            landscape = image.width() > image.height()
            printer.setPageOrientation(QPageLayout.Orientation.Landscape if landscape
                                       else QPageLayout.Orientation.Portrait)
            if painter is None:
                painter = QPainter(printer)
            else:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), size), image)
    finally:
        if painter is not None:
            painter.end()


class PdfPreviewDialog(QDialog):
    def __init__(self, pdf: bytes, title: str, file_name: str, parent=None):
        super().__init__(parent)
        self.pdf = pdf
        self._file_name = file_name
        self.setWindowTitle(title)
        pages = QWidget()
        column = QVBoxLayout(pages)
        total = page_count(pdf)
        self.page_labels = []
        for image in page_images(pdf, SCREEN_DPI, 0, MAX_PREVIEW_PAGES):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setStyleSheet("border: 1px solid #999; background: white;")
            column.addWidget(label, 0, Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setStyleSheet("QScrollArea { background: #6b6b6b; }")
        shown = len(self.page_labels)
        summary = tr("{total} trang").format(total=total) if shown == total else tr(
            "{total} trang (xem trước {shown} trang đầu; khi in hoặc lưu sẽ có đủ)").format(total=total, shown=shown)
        self.print_button = QPushButton(tr("In…"))
        self.save_button = QPushButton(tr("Lưu PDF…"))
        close = QPushButton(tr("Đóng"))
        self.print_button.clicked.connect(lambda: print_pdf(self, self.pdf))
        self.save_button.clicked.connect(self.save)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(QLabel(summary))
        buttons.addStretch(1)
        for button in (self.print_button, self.save_button, close):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        self.resize(900, 760)

    def save(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, tr("Lưu tệp PDF"), self._file_name, tr("Tệp PDF (*.pdf)"))
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> bool:
        return attempt(self, lambda: write_atomically(Path(path), lambda out: out.write(self.pdf))) is not None
