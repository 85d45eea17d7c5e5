"""Find the files of the top-level ``resources/`` folder wherever the program runs from.

Three layouts exist: a source checkout (``resources/`` beside the package, also used by an
editable install), an installed wheel (copied in as ``antq_desktop/_resources``), and a frozen
bundle (PyInstaller unpacks data below ``sys._MEIPASS``). One function decides, so no other
module has to know which one it is in.
"""

from __future__ import annotations

import sys
from functools import cache
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _candidates() -> list[Path]:
    frozen_root = getattr(sys, "_MEIPASS", None)
    found = [Path(frozen_root) / "resources"] if frozen_root else []
    found += [_PACKAGE_DIR / "_resources", _PACKAGE_DIR.parent / "resources"]
    return found


@cache
def resource_root() -> Path:
    """The folder that holds fonts/, regulations/ and the other shipped data."""
    for candidate in _candidates():
        if (candidate / "fonts").is_dir():
            return candidate
    searched = ", ".join(str(c) for c in _candidates())
    raise FileNotFoundError(f"Không tìm thấy thư mục tài nguyên của chương trình (đã tìm: {searched}).")


def resource_path(*parts: str) -> Path:
    """Path of one shipped file, e.g. ``resource_path("fonts", "LiberationSerif-Regular.ttf")``."""
    path = resource_root().joinpath(*parts)
    if not path.exists():
        raise FileNotFoundError(f"Thiếu tệp tài nguyên: {path}")
    return path
