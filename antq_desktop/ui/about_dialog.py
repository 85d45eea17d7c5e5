"""Giới thiệu: the program, its version, the data file in use, and the licences of what it ships.

The version is ``antq_desktop.__version__`` (the one place it is written); the libraries'
versions are read at run time, so the dialog never states a version the office PC does not run.
"""

from __future__ import annotations

import html
import platform
from dataclasses import dataclass
from importlib import import_module, metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
)

from antq_desktop import __version__, paths
from antq_desktop.i18n import tr
from antq_desktop.resources import resource_path

PROGRAM_LICENCE = "GPL-3.0-or-later"  # pyproject.toml; read from the installed metadata when there is one
FONT_LICENCE_FILE = ("fonts", "LICENSE-Liberation.txt")


@dataclass(frozen=True)
class Component:
    name: str
    distribution: str  # the package's name on PyPI, for its version
    module: str  # where the version is when the package metadata was not bundled
    attribute: str
    licence: str
    used_for: str

    def version(self) -> str | None:
        """The version installed, "—" when it cannot be told, None when the package is not there
        (an optional one of another platform)."""
        try:
            return metadata.version(self.distribution)
        except metadata.PackageNotFoundError:
            pass
        try:
            return str(getattr(import_module(self.module), self.attribute, "—"))
        except ImportError:
            return None


# What the program runs on and ships with it (not the test tools).
COMPONENTS = (
    Component("Qt for Python (PySide6)", "PySide6-Essentials", "PySide6", "__version__", "LGPL v3",
              "giao diện cửa sổ"),
    Component("Shiboken6", "shiboken6", "shiboken6", "__version__", "LGPL v3", "cầu nối Python – Qt"),
    Component("SQLAlchemy", "SQLAlchemy", "sqlalchemy", "__version__", "MIT", "cơ sở dữ liệu"),
    Component("Alembic", "alembic", "alembic", "__version__", "MIT", "nâng cấp tệp dữ liệu"),
    Component("Mako", "Mako", "mako", "__version__", "MIT", "dùng bởi Alembic"),
    Component("MarkupSafe", "MarkupSafe", "markupsafe", "__version__", "BSD-3-Clause", "dùng bởi Mako"),
    Component("typing_extensions", "typing_extensions", "typing_extensions", "__version__", "PSF",
              "dùng bởi SQLAlchemy"),
    Component("ReportLab", "reportlab", "reportlab", "Version", "BSD", "tạo văn bản PDF"),
    Component("pypdfium2 (PDFium)", "pypdfium2", "pypdfium2.version", "PYPDFIUM_INFO", "Apache 2.0 hoặc BSD-3-Clause",
              "xem trước và in PDF"),
    Component("Pillow", "pillow", "PIL", "__version__", "MIT-CMU", "xử lý ảnh, dùng bởi ReportLab"),
    Component("charset-normalizer", "charset-normalizer", "charset_normalizer", "__version__", "MIT",
              "dùng bởi ReportLab"),
    Component("openpyxl", "openpyxl", "openpyxl", "__version__", "MIT", "đọc, ghi tệp Excel"),
    Component("et-xmlfile", "et-xmlfile", "et_xmlfile", "__version__", "MIT", "dùng bởi openpyxl"),
    Component("platformdirs", "platformdirs", "platformdirs", "__version__", "MIT", "thư mục dữ liệu"),
)


LICENCE_NAMES = {"GPL-3.0-or-later": "GNU GPL phiên bản 3 hoặc mới hơn (GPL-3.0-or-later)"}


def program_licence() -> str:
    try:
        expression = metadata.metadata("antq-desktop").get("License-Expression") or PROGRAM_LICENCE
    except metadata.PackageNotFoundError:
        expression = PROGRAM_LICENCE
    return tr(LICENCE_NAMES.get(expression, expression))


def font_licence_text() -> str:
    return resource_path(*FONT_LICENCE_FILE).read_text(encoding="utf-8")


def about_html(data_location: str | None) -> str:
    """The dialog's text; ``data_location`` is the data file (or server) in use, None before one is open."""
    rows = "".join(
        f"<tr><td>{html.escape(c.name)}</td><td>{html.escape(version)}</td><td>{html.escape(c.licence)}</td>"
        f"<td>{html.escape(tr(c.used_for))}</td></tr>"
        for c, version in ((c, c.version()) for c in COMPONENTS) if version is not None)
    data = html.escape(data_location) if data_location else tr("(chưa mở tệp dữ liệu)")
    return tr("""
<h2>ANTQ Desktop</h2>
<p><b>Phiên bản {version}</b></p>
<p>Quản lý phong trào toàn dân bảo vệ an ninh Tổ quốc cho Công an xã, phường, đặc khu: danh sách đơn vị trên
địa bàn, đăng ký và công nhận tiêu chuẩn “An toàn về an ninh, trật tự”, phân loại phong trào, kiểm tra, lực
lượng nòng cốt, mô hình, tuyên truyền, khen thưởng, kế hoạch và báo cáo; văn bản in đúng thể thức Nghị định
30/2020/NĐ-CP. Chạy trên máy tính của đơn vị, không cần Internet.</p>
<p>Giấy phép của chương trình: {licence}.</p>
<h3>Dữ liệu</h3>
<p>Tệp dữ liệu đang dùng: <b>{data}</b><br>
Thư mục dữ liệu (cài đặt giao diện, nhật ký): {folder}</p>
<h3>Phông chữ đi kèm</h3>
<p><b>Liberation Sans</b> (chữ trên màn hình) và <b>Liberation Serif</b> (văn bản in, cùng kích thước chữ với
Times New Roman): bản quyền © 2010 Google Corporation, © 2012 Red Hat, Inc.; phát hành theo
<b>SIL Open Font License 1.1</b>. Bấm “Giấy phép phông chữ” để đọc toàn văn.</p>
<h3>Thành phần mã nguồn mở</h3>
<table border="1" cellspacing="0" cellpadding="3">
<tr><th>Thành phần</th><th>Phiên bản</th><th>Giấy phép</th><th>Dùng để</th></tr>
<tr><td>Python</td><td>{python}</td><td>PSF</td><td>ngôn ngữ lập trình</td></tr>
<tr><td>Qt</td><td>{qt}</td><td>LGPL v3</td><td>thư viện giao diện</td></tr>
{rows}
</table>
""").format(version=html.escape(__version__), licence=html.escape(program_licence()), data=data,
            folder=html.escape(str(paths.data_dir())), python=html.escape(platform.python_version()),
            qt=html.escape(qVersion()), rows=rows)


class FontLicenceDialog(QDialog):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Giấy phép phông chữ Liberation (SIL Open Font License 1.1)"))
        self.text = QPlainTextEdit(font_licence_text())
        self.text.setReadOnly(True)
        close = QPushButton(tr("Đóng"))
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.resize(720, 640)


class AboutDialog(QDialog):
    def __init__(self, data_location: str | None = None, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Giới thiệu ANTQ Desktop"))
        self.text = QTextBrowser()
        self.text.setOpenLinks(False)
        self.text.setHtml(about_html(data_location))
        self.font_licence_button = QPushButton(tr("Giấy phép phông chữ…"))
        self.font_licence_button.clicked.connect(self.show_font_licence)
        close = QPushButton(tr("Đóng"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addWidget(self.font_licence_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addLayout(buttons)
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse
                                          | Qt.TextInteractionFlag.TextSelectableByKeyboard)
        self.resize(760, 640)

    def show_font_licence(self) -> FontLicenceDialog:
        dialog = FontLicenceDialog(self)
        dialog.open()
        return dialog
