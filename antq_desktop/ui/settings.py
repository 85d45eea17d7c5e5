"""Window preferences (size, columns, text size), kept in an INI file in the data folder.

An INI file beside the database folder instead of the Windows registry: it moves with a
portable install and tests can point it at a temporary folder.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings

from antq_desktop import paths

FONT_SIZES = {"Vừa": 10, "Lớn": 12, "Rất lớn": 14}
DEFAULT_FONT_SIZE = 10


def ui_settings() -> QSettings:
    return QSettings(str(paths.data_dir() / "giao-dien.ini"), QSettings.Format.IniFormat)
