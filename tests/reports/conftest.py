"""Read rendered PDFs back with poppler's command-line tools (pdftotext, pdfinfo, pdffonts)."""

from __future__ import annotations

import html
import re
import subprocess
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pytest


def _run(*args: str) -> str:
    return subprocess.run(args, capture_output=True, check=True, timeout=60).stdout.decode("utf-8")


def pdftotext(path: Path, *, layout: bool = True, first: int | None = None, last: int | None = None) -> str:
    """The text of ``path`` (NFC): ``layout=True`` keeps columns side by side, ``False`` gives
    content-stream order, where a wrapped table cell's lines follow each other."""
    args = ["pdftotext", "-layout" if layout else "-raw"]
    if first is not None:
        args += ["-f", str(first)]
    if last is not None:
        args += ["-l", str(last)]
    return unicodedata.normalize("NFC", _run(*args, str(path), "-"))


def page_text(path: Path, page: int, *, layout: bool = True) -> str:
    return pdftotext(path, layout=layout, first=page, last=page)


def flat(text: str) -> str:
    """Whitespace (line breaks, NBSP) collapsed to single spaces, for text that may wrap."""
    return " ".join(text.split())


def pdf_info(path: Path) -> dict[str, str]:
    return dict(line.split(":", 1) for line in _run("pdfinfo", str(path)).splitlines() if ":" in line)


def page_count(path: Path) -> int:
    return int(pdf_info(path)["Pages"])


def page_size(path: Path) -> tuple[int, int]:
    """The first page's size in points, rounded: (595, 842) for A4 portrait."""
    match = re.search(r"([\d.]+) x ([\d.]+) pts", pdf_info(path)["Page size"])
    return round(float(match[1])), round(float(match[2]))


def pdf_fonts(path: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font, from pdffonts."""
    rows = _run("pdffonts", str(path)).splitlines()[2:]
    result = []
    for row in rows:
        parts = row.split()
        # name type [type...] encoding emb sub uni id gen: emb is the 5th field from the end
        result.append((parts[0], parts[-5]))
    return result


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float      # from the top of the page, as poppler reports it
    x1: float
    y1: float


def words(path: Path, page: int) -> list[Word]:
    """Every word of one page with its box in points (origin top-left)."""
    out = _run("pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-")
    pattern = r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    return [Word(unicodedata.normalize("NFC", html.unescape(m[5])), float(m[1]), float(m[2]), float(m[3]),
                 float(m[4])) for m in re.finditer(pattern, out)]


def find_words(all_words: list[Word], phrase: str) -> list[Word]:
    """The consecutive words spelling ``phrase`` (first occurrence); [] if absent."""
    wanted = phrase.split()
    texts = [w.text for w in all_words]
    for i in range(len(texts) - len(wanted) + 1):
        if texts[i:i + len(wanted)] == wanted:
            return all_words[i:i + len(wanted)]
    return []


class PdfTools:
    """The helpers above, handed to tests by the ``pdf`` fixture."""

    text = staticmethod(pdftotext)
    page_text = staticmethod(page_text)
    flat = staticmethod(flat)
    info = staticmethod(pdf_info)
    page_count = staticmethod(page_count)
    page_size = staticmethod(page_size)
    fonts = staticmethod(pdf_fonts)
    words = staticmethod(words)
    find_words = staticmethod(find_words)


@pytest.fixture(scope="session")
def pdf() -> PdfTools:
    return PdfTools()


@pytest.fixture(scope="session")
def pdf_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("reports")
