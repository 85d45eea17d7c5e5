"""The user guide: a window beside the program with the table of contents and one section.

The guide is plain HTML in ``resources/help/`` (one file per section, Vietnamese, with the
screenshots ``tools/help_screenshots.py`` takes of the demo ward in ``images/``), shown by a
QTextBrowser: links between sections, back and forward work offline. F1 opens the section of
the page on screen (:data:`PAGE_SECTIONS`). The search ignores tones, like the rest of the
program ("dong tam" finds "Đồng Tâm").
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache
from pathlib import Path

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import (
    QImageReader,
    QKeySequence,
    QShortcut,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from antq_desktop.domain.vntext import search_key
from antq_desktop.i18n import tr
from antq_desktop.resources import resource_path

# file name in resources/help (without .html), title in the table of contents; in this order
SECTIONS = (
    ("bat-dau", "Bắt đầu sử dụng"),
    ("mot-nam", "Việc cần làm trong năm"),
    ("tong-quan", "Tổng quan"),
    ("don-vi", "Đơn vị trên địa bàn"),
    ("antt", "An toàn về ANTT"),
    ("phan-loai", "Phân loại phong trào"),
    ("kiem-tra", "Kiểm tra, hướng dẫn"),
    ("luc-luong", "Lực lượng nòng cốt"),
    ("mo-hinh", "Mô hình"),
    ("tuyen-truyen", "Tuyên truyền, Ngày hội"),
    ("khen-thuong", "Khen thưởng"),
    ("dien-hinh", "Xã, phường điển hình"),
    ("ke-hoach", "Kế hoạch, chỉ tiêu"),
    ("bao-cao", "Báo cáo"),
    ("tong-hop", "Tổng hợp các xã, phường"),
    ("thong-tin", "Thông tin xã, phường"),
    ("tai-khoan", "Tài khoản và nhật ký thay đổi"),
    ("in-an", "In và lưu PDF"),
    ("cai-dat", "Cài đặt"),
    ("phim-tat", "Phím tắt"),
    ("du-lieu", "Tệp dữ liệu và sao lưu"),
    ("trao-doi", "Bảng tổng hợp Excel và gói dữ liệu"),
    ("may-chu", "Dùng chung máy chủ dữ liệu"),
    ("dong-lenh", "Dòng lệnh antq"),
)
FIRST_SECTION = SECTIONS[0][0]
# the page keys of the main window (main_window.PAGE_KEYS) -> the section, "#anchor" inside it
PAGE_SECTIONS = {
    "dashboard": "tong-quan", "units": "don-vi", "antt": "antt", "classification": "phan-loai",
    "inspections": "kiem-tra", "forces": "luc-luong", "models": "mo-hinh", "events": "tuyen-truyen",
    "awards": "khen-thuong", "exemplary": "dien-hinh", "plan": "ke-hoach#chi-tieu", "tasks": "ke-hoach#phan-cong",
    "budget": "ke-hoach#du-tru", "reports": "bao-cao", "province": "tong-hop", "audit": "tai-khoan#nhat-ky",
    "profile": "thong-tin",
}
# how the guide looks: the program's own font and size (the "Cỡ chữ" setting), plain headings
STYLE = """
h1 { color: #1f5fa8; }
h2 { color: #1f5fa8; }
h3 { color: #333333; }
th { background-color: #e8eef6; }
"""
IMAGE_MARGIN = 24  # pixels kept free beside a screenshot shrunk to the width of the window


def help_folder() -> Path:
    return resource_path("help")


def section_path(section: str) -> Path:
    """The file of ``section`` (a name of :data:`SECTIONS`, an anchor after "#" is ignored)."""
    return resource_path("help", f"{section.partition('#')[0]}.html")


def section_titles() -> dict[str, str]:
    return {name: tr(title) for name, title in SECTIONS}


@cache
def section_text(section: str) -> str:
    """The plain text of a section (its title included), for the search."""
    document = QTextDocument()
    document.setHtml(section_path(section).read_text(encoding="utf-8"))
    return document.toPlainText()


def image_names(section: str) -> list[str]:
    """The images a section shows, as written in its ``src`` attributes (relative to resources/help)."""
    return re.findall(r'<img[^>]*\bsrc="([^"]+)"', section_path(section).read_text(encoding="utf-8"))


def linked_files(section: str) -> list[str]:
    """The targets of the section's links to other files ("antt.html#quyet-dinh"), anchors within it left out."""
    return [href for href in re.findall(r'<a[^>]*\bhref="([^"]+)"', section_path(section).read_text(encoding="utf-8"))
            if not href.startswith("#")]


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """``text`` folded as search_key folds it, character by character, and for each folded
    character the position of the character it came from (to select the match in the text)."""
    folded, positions = [], []
    for position, character in enumerate(text):
        bare = "".join(c for c in unicodedata.normalize("NFD", character.lower()) if unicodedata.category(c) != "Mn")
        bare = bare.replace("đ", "d")
        if bare.isspace() or character in "\u2029\u2028\ufffc":
            bare = " "
        for piece in bare:
            folded.append(piece)
            positions.append(position)
    return "".join(folded), positions


class HelpBrowser(QTextBrowser):
    """A QTextBrowser that shrinks each screenshot to the width it has, never enlarging it."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setSearchPaths([str(help_folder())])
        self.document().setDefaultStyleSheet(STYLE)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)  # no width change, no re-fit loop
        self.sourceChanged.connect(lambda _url: self.fit_images())

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if event.oldSize().width() != event.size().width():
            self.fit_images()

    def fit_images(self) -> None:
        available = max(120, self.viewport().width() - IMAGE_MARGIN)
        document = self.document()
        block = document.begin()
        while block.isValid():
            iterator = block.begin()
            while not iterator.atEnd():
                fragment = iterator.fragment()
                image = fragment.charFormat().toImageFormat()
                if fragment.isValid() and image.isValid():
                    natural = _image_size(image.name())
                    if natural.width() > 0:
                        width = min(natural.width(), available)
                        if abs(image.width() - width) > 1:
                            image.setWidth(width)
                            image.setHeight(round(natural.height() * width / natural.width()))
                            cursor = QTextCursor(document)
                            cursor.setPosition(fragment.position())
                            cursor.setPosition(fragment.position() + fragment.length(),
                                               QTextCursor.MoveMode.KeepAnchor)
                            cursor.setCharFormat(image)
                iterator += 1
            block = block.next()


@cache
def _image_size(name: str) -> QSize:
    path = help_folder() / name
    return QImageReader(str(path)).size() if path.is_file() else QSize()


class HelpDialog(QDialog):
    """The guide's window; not modal, so the officer can follow it while working in the program."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWindowTitle(tr("Hướng dẫn sử dụng ANTQ Desktop"))
        self.setModal(False)
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.WindowMinMaxButtonsHint)
        self.search = QLineEdit()
        self.search.setPlaceholderText(tr("Tìm trong hướng dẫn…"))
        self.search.setToolTip(tr("Gõ vài chữ rồi bấm Enter; gõ không dấu cũng được (Ctrl+F)"))
        self.search.setClearButtonEnabled(True)
        self.not_found = QLabel()
        self.not_found.setWordWrap(True)
        self.not_found.hide()
        self.contents = QListWidget()
        self.contents.setObjectName("help_contents")
        self.contents.setStyleSheet("QListWidget#help_contents::item { padding: 4px 4px; }")
        for name, title in section_titles().items():
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, name)
            self.contents.addItem(item)
        self.browser = HelpBrowser()
        self.back_button = QPushButton(tr("← Trở lại"))
        self.forward_button = QPushButton(tr("Tới →"))
        self.back_button.setEnabled(False)
        self.forward_button.setEnabled(False)
        close = QPushButton(tr("Đóng"))
        self._lay_out(close)
        self.contents.currentItemChanged.connect(self._content_chosen)
        self.browser.sourceChanged.connect(self._source_shown)
        self.browser.backwardAvailable.connect(self.back_button.setEnabled)
        self.browser.forwardAvailable.connect(self.forward_button.setEnabled)
        self.back_button.clicked.connect(self.browser.backward)
        self.forward_button.clicked.connect(self.browser.forward)
        close.clicked.connect(self.close)
        self.search.textChanged.connect(self.filter_sections)
        self.search.returnPressed.connect(self.find_next)
        find = QShortcut(QKeySequence.StandardKey.Find, self)
        find.activated.connect(self._focus_search)
        self.resize(1120, 760)
        self.show_section(FIRST_SECTION)

    def _lay_out(self, close: QPushButton) -> None:
        side = QWidget()
        column = QVBoxLayout(side)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.search)
        column.addWidget(self.not_found)
        column.addWidget(self.contents, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(side)
        splitter.addWidget(self.browser)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([250, 870])
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.forward_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(buttons)

    # ---- sections -------------------------------------------------------------------------------

    def show_section(self, section: str) -> None:
        """Show ``section`` ("antt", "ke-hoach#du-tru", or a page key of the main window)."""
        section = PAGE_SECTIONS.get(section, section)
        name, _, anchor = section.partition("#")
        if name not in section_titles():
            name, anchor = FIRST_SECTION, ""
        url = QUrl.fromLocalFile(str(section_path(name)))
        if anchor:
            url.setFragment(anchor)
        self.browser.setSource(url)

    def current_section(self) -> str:
        """The name of the section on screen, e.g. "antt"."""
        return Path(self.browser.source().toLocalFile()).stem

    def current_anchor(self) -> str:
        return self.browser.source().fragment()

    def _content_chosen(self, item: QListWidgetItem | None, _previous) -> None:
        if item is not None and item.data(Qt.ItemDataRole.UserRole) != self.current_section():
            self.show_section(item.data(Qt.ItemDataRole.UserRole))

    def _source_shown(self, url: QUrl) -> None:
        """Keep the table of contents on the section shown, however it was reached (a link, back);
        ``url`` is the new source (the browser's ``source()`` may not say so yet)."""
        name = Path(url.toLocalFile()).stem
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == name:
                self.contents.blockSignals(True)
                self.contents.setCurrentItem(item)
                self.contents.blockSignals(False)
                break

    # ---- search ---------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def matching_sections(self, query: str) -> list[str]:
        """The sections whose text holds ``query``, tones and case ignored."""
        wanted = search_key(query)
        return [name for name, title in section_titles().items()
                if not wanted or wanted in search_key(title + " " + section_text(name))]

    def filter_sections(self, query: str) -> None:
        """Only the sections holding the words typed stay in the table of contents."""
        found = set(self.matching_sections(query))
        for row in range(self.contents.count()):
            item = self.contents.item(row)
            item.setHidden(item.data(Qt.ItemDataRole.UserRole) not in found)
        self.not_found.setText(tr("Không tìm thấy \u201c{query}\u201d trong hướng dẫn.").format(query=query.strip()))
        self.not_found.setVisible(not found)

    def find_next(self) -> bool:
        """Select the next place of the words typed in the section shown (from the top again at
        its end), or open the first section that holds them; False when none does."""
        wanted = search_key(self.search.text())
        if not wanted:
            return False
        if self._select_match(wanted, self.browser.textCursor().selectionEnd()) or self._select_match(wanted, 0):
            return True
        found = self.matching_sections(wanted)
        if not found:
            return False
        self.show_section(found[0])
        return self._select_match(wanted, 0)

    def _select_match(self, wanted: str, start: int) -> bool:
        folded, positions = _folded_with_positions(self.browser.document().toRawText())
        index = next((i for i, position in enumerate(positions) if position >= start), len(folded))
        found = folded.find(wanted, index)
        if found < 0:
            return False
        cursor = QTextCursor(self.browser.document())
        cursor.setPosition(positions[found])
        cursor.setPosition(positions[found + len(wanted) - 1] + 1, QTextCursor.MoveMode.KeepAnchor)
        self.browser.setTextCursor(cursor)
        self.browser.ensureCursorVisible()
        return True
