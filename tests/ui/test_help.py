"""The user guide (F1, the Trợ giúp menu), its pictures and links, the About dialog, and the
script that takes the guide's screenshots."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest
import sqlalchemy
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextCursor
from PySide6.QtTest import QTest

from antq_desktop import __version__
from antq_desktop.db.engine import open_database
from antq_desktop.domain.vntext import search_key
from antq_desktop.resources import resource_path
from antq_desktop.ui.about_dialog import AboutDialog
from antq_desktop.ui.help_dialog import (
    PAGE_SECTIONS,
    SECTIONS,
    HelpDialog,
    image_names,
    linked_files,
    section_path,
    section_text,
)
from antq_desktop.ui.main_window import PAGE_KEYS, MainWindow

ROOT = Path(__file__).resolve().parents[2]
HELP = resource_path("help")


@pytest.fixture
def window(demo_window):
    return demo_window


@pytest.fixture
def guide(qtbot):
    dialog = HelpDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def press_f1(window: MainWindow, qtbot) -> HelpDialog:
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.findChild(HelpDialog)
    assert dialog is not None and dialog.isVisible()
    return dialog


def anchors(section: str) -> set[str]:
    return set(re.findall(r'\bid="([^"]+)"', section_path(section).read_text(encoding="utf-8")))


def heading(section: str, anchor: str) -> str:
    """The plain text of the heading with ``id="anchor"`` in ``section``."""
    found = re.search(rf'<h[1-6][^>]*\bid="{re.escape(anchor)}"[^>]*>(.*?)</h[1-6]>',
                      section_path(section).read_text(encoding="utf-8"), re.DOTALL)
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split()) if found else ""


# ---- F1 and the menu --------------------------------------------------------------------------------

def test_f1_opens_the_guide_on_the_section_of_the_page_shown(window, qtbot):
    window.show_page("antt")
    dialog = press_f1(window, qtbot)
    assert (dialog.current_section(), dialog.current_anchor()) == ("antt", "")
    assert dialog.contents.currentItem().text() == "An toàn về ANTT"
    assert not dialog.isModal()  # the officer keeps working beside it

    window.show_page("budget")  # a tab of the plan page has its own part of the section
    assert press_f1(window, qtbot) is dialog  # one guide window, kept
    assert (dialog.current_section(), dialog.current_anchor()) == ("ke-hoach", "du-tru")
    assert "Dự trù kinh phí" in dialog.browser.toPlainText()


def test_the_help_menu_has_the_guide_on_f1_and_the_about_box(window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "Trợ &giúp")
    texts = [action.text() for action in menu.actions() if not action.isSeparator()]
    assert texts == ["Hướng dẫn sử dụng", "Giới thiệu"]
    assert window.help_action.shortcut().toString() == "F1"


def test_show_help_on_a_section_or_a_page_key(window):
    dialog = window.show_help("in-an#phoi")
    assert (dialog.current_section(), dialog.current_anchor()) == ("in-an", "phoi")
    assert window.show_help("tasks").current_anchor() == "phan-cong"
    dialog = window.show_help("audit")  # the audit trail's page: a part of the accounts' section
    assert (dialog.current_section(), dialog.current_anchor()) == ("tai-khoan", "nhat-ky")
    assert dialog.contents.currentItem().text() == "Tài khoản và nhật ký thay đổi"
    window.show_page("units")
    assert window.show_help().current_section() == "don-vi"


# ---- the guide covers the program -------------------------------------------------------------------

def test_every_page_has_its_section(window):
    names = {name for name, _title in SECTIONS}
    assert set(PAGE_SECTIONS) == set(PAGE_KEYS)
    for key, section in PAGE_SECTIONS.items():
        name, _, anchor = section.partition("#")
        assert name in names and section_path(name).is_file(), key
        assert not anchor or anchor in anchors(name), key
    titles = dict(SECTIONS)
    navigation = [window.navigation.item(row).text() for row in range(window.navigation.count())]
    named = set()
    for key, section in PAGE_SECTIONS.items():  # the contents, or the heading F1 opens on, name every area
        window.show_page(key)
        shown = window.navigation.currentItem().text()
        name, _, anchor = section.partition("#")
        assert shown in (titles[name], heading(name, anchor)), key
        named.add(shown)
    assert navigation and set(navigation) <= named
    for name in names:  # the sections every officer asks about
        assert section_path(name).is_file()
    assert {"bat-dau", "in-an", "cai-dat", "phim-tat", "du-lieu", "dong-lenh", "tai-khoan"} <= names


def test_the_guide_names_every_item_of_the_file_and_settings_menus(window):
    text = " ".join(" ".join(section_text(name).split()) for name, _title in SECTIONS)
    for menu_title in ("&Tệp", "&Cài đặt"):
        menu = next(action.menu() for action in window.menuBar().actions() if action.text() == menu_title)
        items = [action.text().replace("&", "") for action in menu.actions() if not action.isSeparator()]
        assert items, menu_title
        for item in items:
            assert item in text, item
    assert "Ctrl+L" in section_text("phim-tat")


def test_every_picture_exists_and_every_page_has_a_screenshot():
    shown = set()
    for name, _title in SECTIONS:
        for image in image_names(name):
            assert (HELP / image).is_file(), f"{name}: {image}"
            shown.add(image)
    for key in PAGE_KEYS:
        picture = HELP / "images" / f"{key}.png"
        assert picture.is_file() and QImage(str(picture)).width() == 1000, key
        assert f"images/{key}.png" in shown, key  # and a section shows it
    assert sum(path.stat().st_size for path in (HELP / "images").iterdir()) < 2_000_000


def test_every_link_points_at_a_section_and_an_anchor_that_exist():
    names = {name for name, _title in SECTIONS}
    for name in names:
        for link in linked_files(name):
            target, _, anchor = link.partition("#")
            assert target.endswith(".html") and target[:-5] in names, f"{name}: {link}"
            assert not anchor or anchor in anchors(target[:-5]), f"{name}: {link}"


def test_clicking_a_link_opens_the_section_and_back_returns(guide, qtbot):
    guide.show_section("mot-nam")
    browser = guide.browser
    cursor = link_cursor(browser, "antt.html")
    browser.setTextCursor(cursor)
    browser.ensureCursorVisible()
    QTest.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     browser.cursorRect(cursor).center())
    qtbot.waitUntil(lambda: guide.current_section() == "antt")
    assert guide.contents.currentItem().text() == "An toàn về ANTT"
    assert guide.back_button.isEnabled()
    guide.back_button.click()
    assert guide.current_section() == "mot-nam"
    assert guide.contents.currentItem().text() == "Việc cần làm trong năm"


def link_cursor(browser, href: str) -> QTextCursor:
    """A cursor inside the first link to ``href`` of the document shown."""
    block = browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            fragment = iterator.fragment()
            if fragment.charFormat().anchorHref() == href:
                cursor = QTextCursor(browser.document())
                cursor.setPosition(fragment.position() + fragment.length() // 2)
                return cursor
            iterator += 1
        block = block.next()
    raise AssertionError(f"no link to {href}")


def test_screenshots_shrink_to_the_width_of_the_window(guide, qtbot):
    guide.resize(700, 600)
    guide.show_section("antt")
    qtbot.waitUntil(lambda: image_widths(guide.browser) and max(image_widths(guide.browser))
                    <= guide.browser.viewport().width())
    guide.resize(1600, 900)  # never wider than the picture itself
    qtbot.waitUntil(lambda: max(image_widths(guide.browser)) == 1000)


def image_widths(browser) -> list[float]:
    widths = []
    block = browser.document().begin()
    while block.isValid():
        iterator = block.begin()
        while not iterator.atEnd():
            image = iterator.fragment().charFormat().toImageFormat()
            if image.isValid():
                widths.append(image.width())
            iterator += 1
        block = block.next()
    return widths


def test_the_table_of_contents_opens_a_section(guide):
    row = next(row for row in range(guide.contents.count()) if guide.contents.item(row).text() == "Phím tắt")
    guide.contents.setCurrentRow(row)
    assert guide.current_section() == "phim-tat"
    assert "Ctrl+H" in guide.browser.toPlainText()


def test_search_ignores_tones_and_selects_the_words(guide):
    guide.search.setText("in len phoi")
    visible = {guide.contents.item(row).data(Qt.ItemDataRole.UserRole) for row in range(guide.contents.count())
               if not guide.contents.item(row).isHidden()}
    assert {"in-an", "antt"} <= visible and "phim-tat" not in visible
    assert guide.find_next()
    assert guide.current_section() in visible
    assert search_key(guide.browser.textCursor().selectedText()) == "in len phoi"
    guide.search.setText("không có chữ này đâu")
    assert guide.not_found.isVisible() and not guide.find_next()


# ---- Giới thiệu --------------------------------------------------------------------------------------

def test_about_shows_the_version_the_data_file_and_the_licences(window, full_demo_db_path, qtbot):
    dialog = window.show_about()
    assert isinstance(dialog, AboutDialog) and dialog.isVisible()
    text = dialog.text.toPlainText()
    assert f"Phiên bản {__version__}" in text
    assert str(full_demo_db_path) in text
    assert "SIL Open Font License 1.1" in text and "Liberation Serif" in text
    for name, licence in (("SQLAlchemy", "MIT"), ("Alembic", "MIT"), ("ReportLab", "BSD"), ("openpyxl", "MIT"),
                          ("platformdirs", "MIT"), ("Qt for Python (PySide6)", "LGPL v3")):
        assert re.search(rf"{re.escape(name)}\s+\S+\s+{re.escape(licence)}", text), name
    assert sqlalchemy.__version__ in text
    fonts = dialog.show_font_licence()
    assert "SIL OPEN FONT LICENSE Version 1.1" in fonts.text.toPlainText()
    fonts.close()
    dialog.close()


# ---- the screenshots are made by a script -----------------------------------------------------------

def test_the_screenshot_script_takes_one_page(full_demo_db_path, tmp_path, data_dir):
    spec = importlib.util.spec_from_file_location("help_screenshots", ROOT / "tools" / "help_screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "anh"
    assert script.main(["--out", str(out), "--pages", "units", "--db", str(full_demo_db_path)]) == 0
    picture = out / "units.png"
    assert picture.stat().st_size > 10_000
    image = QImage(str(picture))
    assert (image.width(), image.height()) == (1000, round(760 * 1000 / 1280))
    assert [path.name for path in out.iterdir()] == ["units.png"]
    assert not (data_dir / "giao-dien.ini").exists()  # the run kept its settings to itself
    assert script.main(["--out", str(out), "--pages", "khong-co"]) == 2


def test_the_screenshot_script_stages_the_audit_trail_on_a_copy(full_demo_db_path, tmp_path, data_dir):
    from antq_desktop import identity
    from antq_desktop.services import accounts

    spec = importlib.util.spec_from_file_location("help_screenshots", ROOT / "tools" / "help_screenshots.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    out = tmp_path / "anh"
    assert script.main(["--out", str(out), "--pages", "audit", "--db", str(full_demo_db_path)]) == 0
    assert [path.name for path in out.iterdir()] == ["audit.png"]
    assert QImage(str(out / "audit.png")).width() == 1000
    assert identity.signed_in() is None  # the example officer signed out again
    db = open_database(full_demo_db_path)
    try:
        with db.reading() as session:
            assert not accounts.has_accounts(session)  # the demo given is left as it was
    finally:
        db.close()
