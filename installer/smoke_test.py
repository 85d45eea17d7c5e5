"""Smoke test of a frozen build: run the two programs of the folder the way an office would.

    python installer/smoke_test.py ["dist/ANTQ Desktop"]

Needs pypdf (the test extra) in the Python that runs it, nothing else: the programs under test
are the frozen executables, never the source tree. Checks, in a temporary folder:

* ``antq --version`` prints the package version;
* ``antq --db X init`` and ``antq --db X demo`` (the Alembic migrations and resources/ are in the bundle);
* ``antq --db X print classification-decision`` writes a PDF whose text reads back in Vietnamese
  with the bundled Liberation fonts embedded;
* ``antq --db postgresql://…`` on a port nobody listens on says plainly that the server cannot be
  reached (psycopg and its binary implementation with libpq are in the bundle);
* the portable rule: with ``portable.txt`` beside the executable and no ANTQ_DATA_DIR, ``antq init``
  creates ``data/antq.sqlite`` beside the program (marker and data removed afterwards; the folder
  must not hold them before);
* the window starts offscreen on the demo file, loads its dashboard, quits by itself
  (hidden ``--quit-after``) with exit code 0 and logs no error;
* each executable runs its own entry script and carries every module of antq_desktop (read
  from the archives with PyInstaller's reader, when PyInstaller is installed);

then prints the folder's size and what takes the most room. Exit code 0 when all passed.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import appversion

from antq_desktop.paths import DB_FILE_NAME, PORTABLE_DATA_DIR, PORTABLE_MARKER

EXE_SUFFIX = ".exe" if sys.platform == "win32" else ""
TIMEOUT = 180  # seconds for one command; the slowest (the window) takes a few


def _run(command: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess:
    shown = " ".join(f'"{part}"' if " " in part else part for part in command)
    print(f"$ {shown}", flush=True)
    started = time.monotonic()
    result = subprocess.run(command, check=False, env=env, cwd=cwd, capture_output=True, timeout=TIMEOUT,
                            encoding="utf-8", errors="replace")
    print(f"  -> exit {result.returncode} in {time.monotonic() - started:.1f} s", flush=True)
    for stream in (result.stdout, result.stderr):
        for line in stream.strip().splitlines()[:10]:
            print(f"  | {line}")
    return result


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise SystemExit(f"SMOKE TEST FAILED: {message}")
    print(f"  ok: {message}")


def _ok(result: subprocess.CompletedProcess, what: str) -> None:
    _check(result.returncode == 0, f"{what} exits 0")


def _pdf_text(path: Path) -> tuple[str, set[str]]:
    from pypdf import PdfReader

    reader = PdfReader(path)
    text = " ".join(page.extract_text() or "" for page in reader.pages)
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    return " ".join(unicodedata.normalize("NFC", text).split()), fonts


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _check_archives(cli: Path, gui: Path) -> None:
    """Each program runs only its own entry script, and carries every module of antq_desktop (the
    window imports its pages by name, which a run of a few seconds does not all reach)."""
    try:
        from PyInstaller.archive.readers import CArchiveReader
    except ImportError:
        print("  (PyInstaller is not installed here: the archives are not inspected)")
        return
    source = HERE.parent / "antq_desktop"
    expected = {".".join(path.relative_to(source.parent).with_suffix("").parts).removesuffix(".__init__")
                for path in source.rglob("*.py")}
    for program, own, other in ((cli, "launch_cli", "launch_gui"), (gui, "launch_gui", "launch_cli")):
        archive = CArchiveReader(str(program))
        _check(own in archive.toc and other not in archive.toc, f"{program.name} runs {own} only")
        modules = set(archive.open_embedded_archive("PYZ.pyz").toc)
        missing = sorted(expected - modules)
        _check(not missing, f"{program.name} carries all {len(expected)} modules of antq_desktop {missing[:5]}")


def _bundle_size(folder: Path) -> None:
    def size(path: Path) -> int:
        if path.is_symlink() or path.is_file():
            return path.lstat().st_size
        return sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())

    total = size(folder)
    print(f"\nBundle size of {folder}: {total / 2**20:.0f} MiB")
    if shutil.which("du"):
        subprocess.run(["du", "-sh", str(folder)], check=False)
    expanded = {folder / "_internal", folder / "_internal" / "PySide6", folder / "_internal" / "PySide6" / "Qt",
                folder / "_internal" / "PySide6" / "Qt" / "lib"}
    entries, pending = [], [folder]
    while pending:  # files and folders that do not overlap, the big folders opened up
        for entry in pending.pop().iterdir():
            (pending if entry in expanded else entries).append(entry)
    print("Largest parts:")
    for entry in sorted(entries, key=size, reverse=True)[:15]:
        print(f"  {size(entry) / 2**20:7.1f} MiB  {entry.relative_to(folder)}")


def main(argv: list[str]) -> int:
    folder = Path(argv[0] if argv else "dist/ANTQ Desktop").resolve()
    cli = folder / f"antq{EXE_SUFFIX}"
    gui = folder / f"ANTQ Desktop{EXE_SUFFIX}"
    for program in (cli, gui):
        if not program.is_file():
            raise SystemExit(f"SMOKE TEST FAILED: {program} is missing (build it first)")
    version = appversion.package_version()

    with tempfile.TemporaryDirectory(prefix="antq-smoke-") as temporary:
        work = Path(temporary)
        env = {key: value for key, value in os.environ.items() if not key.startswith(("ANTQ_", "PYTHON"))}
        env |= {"ANTQ_DATA_DIR": str(work / "data"), "QT_QPA_PLATFORM": "offscreen"}
        database = str(work / "phuong.sqlite")

        result = _run([str(cli), "--version"], env, work)
        _ok(result, "antq --version")
        _check(version in result.stdout, f"antq --version says {version}")

        _ok(_run([str(cli), "--db", database, "init"], env, work), "antq init (migrations from the bundle)")
        result = _run([str(cli), "--db", database, "demo"], env, work)
        _ok(result, "antq demo")
        _check("Minh Xuân" in result.stdout, "the demo ward is loaded")

        result = _run([str(cli), "--db", database, "units", "list", "--search", "cho tam co"], env, work)
        _ok(result, "antq units list --search")
        _check("Ban Quản lý chợ Tam Cờ" in result.stdout, "a search without tones finds 'chợ Tam Cờ'")

        pdf = work / "phan-loai.pdf"
        _ok(_run([str(cli), "--db", database, "print", "classification-decision", "--year", "2025",
                  "--out", str(pdf)], env, work), "antq print classification-decision")
        text, fonts = _pdf_text(pdf)
        for phrase in ("QUYẾT ĐỊNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "PHƯỜNG MINH XUÂN",
                       "phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2025"):
            _check(phrase in text, f"the PDF reads back '{phrase}'")
        _check(any("LiberationSerif" in font for font in fonts), f"the bundled font is embedded ({sorted(fonts)})")

        # A PostgreSQL server (none here: a port nobody listens on): the bundle carries psycopg and its
        # binary implementation (PSYCOPG_IMPL=binary refuses the pure-Python one, which would need a
        # libpq the office PC does not have), so the refusal is the plain "cannot reach the server".
        server_env = env | {"PSYCOPG_IMPL": "binary"}
        result = _run([str(cli), "--db", f"postgresql://antq@127.0.0.1:{_free_port()}/antq", "init"], server_env, work)
        _check(result.returncode == 1 and "Không kết nối được máy chủ dữ liệu" in result.stderr
               and "Traceback" not in result.stderr, "antq reaches for a PostgreSQL server with the bundled psycopg")

        marker, portable_data = folder / PORTABLE_MARKER, folder / PORTABLE_DATA_DIR
        _check(not marker.exists() and not portable_data.exists(), "the built folder is not portable yet")
        portable_env = {key: value for key, value in env.items() if key != "ANTQ_DATA_DIR"}
        # Should the rule fail, the user data folder of this machine stays untouched all the same.
        portable_env |= {"XDG_DATA_HOME": str(work / "user-data"), "LOCALAPPDATA": str(work / "user-data")}
        try:
            marker.write_text("smoke test\n", encoding="utf-8")
            _ok(_run([str(cli), "init"], portable_env, work), "antq init in a portable folder")
            _check((portable_data / DB_FILE_NAME).is_file(), "the portable copy keeps its data in data/ beside it")
        finally:
            marker.unlink(missing_ok=True)
            shutil.rmtree(portable_data, ignore_errors=True)

        log = work / "data" / "logs" / "antq.log"
        log.unlink(missing_ok=True)
        result = _run([str(gui), "--db", database, "--quit-after", "3000"], env, work)
        _ok(result, "the window starts offscreen and quits by itself")
        logged = log.read_text(encoding="utf-8") if log.exists() else ""
        errors = [line for line in logged.splitlines() if re.search(r" (ERROR|CRITICAL) |Traceback", line)]
        _check(not errors, f"the window logged no error {errors[:3]}")
        _check("Traceback" not in result.stderr, "the window wrote no traceback")
        crashes = sorted((work / "data" / "logs").glob("crash-*.txt"))
        _check(not crashes, f"the window left no crash report {[path.read_text()[-300:] for path in crashes[:1]]}")

    _check_archives(cli, gui)
    _bundle_size(folder)
    print("\nSmoke test of the frozen build passed.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
