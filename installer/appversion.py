"""The program's version, read from antq_desktop/__init__.py: the one place it is written.

Used by antq.spec (the Windows version resource) and build.py (Inno Setup's /DAppVersion, the
zip's name). Read as text, the way hatchling reads it for the wheel, so nothing is imported.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_VERSION_LINE = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.MULTILINE)


def package_version() -> str:
    text = (ROOT / "antq_desktop" / "__init__.py").read_text(encoding="utf-8")
    match = _VERSION_LINE.search(text)
    if match is None:
        raise SystemExit("antq_desktop/__init__.py has no __version__ line")
    return match.group(1)


def numeric_version(version: str) -> tuple[int, int, int, int]:
    """Four numbers for Windows ("0.4.0" -> (0, 4, 0, 0); "1.2rc1" -> (1, 2, 0, 0))."""
    numbers = [int(part) for part in re.match(r"\d+(?:\.\d+)*", version).group(0).split(".")][:4]
    return tuple(numbers + [0] * (4 - len(numbers)))


if __name__ == "__main__":
    print(package_version())
