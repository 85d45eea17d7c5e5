"""Build ANTQ Desktop for office PCs, offline: the program folder, the installer, the portable zip.

    py installer\\build.py folder      dist\\ANTQ Desktop\\ (PyInstaller; also on Linux, for the CI)
    py installer\\build.py installer   + dist\\ANTQ-Desktop-<version>-setup.exe (Windows, Inno Setup 6)
    py installer\\build.py portable    + dist\\ANTQ-Desktop-<version>-portable.zip
    py installer\\build.py all         + both

    --smoke     run installer/smoke_test.py on the folder before packaging it
    --no-build  package the folder already in dist\\ instead of building it again

Run it with the Python of the build environment (the one with the `build` extra installed, see
installer/README.md). The version everywhere is antq_desktop.__version__ (installer/appversion.py).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))
import appversion

from antq_desktop.paths import PORTABLE_DATA_DIR, PORTABLE_MARKER

APP_NAME = "ANTQ Desktop"
DIST = ROOT / "dist"
WORK = ROOT / "build" / "pyinstaller"
FOLDER = DIST / APP_NAME
SPEC = HERE / "antq.spec"
ISS = HERE / "antq.iss"

PORTABLE_NOTE = """\
ANTQ Desktop - bản chạy ngay, không cần cài đặt

Tệp này cho chương trình biết đây là bản chạy ngay: mọi dữ liệu (tệp dữ liệu antq.sqlite, bản
sao lưu, nhật ký, thiết lập giao diện) được giữ trong thư mục "data" bên cạnh chương trình,
không ghi vào thư mục người dùng của Windows.

- Đừng xoá hay đổi tên tệp này: thiếu nó, chương trình sẽ dùng thư mục dữ liệu của người dùng.
- Đặt cả thư mục ở nơi được quyền ghi (ổ D:, USB...), không đặt trong "Program Files".
- Sao lưu hoặc chuyển sang máy khác: chép nguyên cả thư mục "ANTQ Desktop".
- Nâng cấp: giải nén bản mới ra chỗ khác rồi chép thư mục "data" cũ sang bên cạnh chương trình mới.
"""


def _step(message: str) -> None:
    print(f"\n== {message}", flush=True)


def _run(command: list[str]) -> None:
    print("$ " + " ".join(f'"{part}"' if " " in part else part for part in command), flush=True)
    subprocess.run(command, check=True)


def build_folder() -> Path:
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        raise SystemExit("PyInstaller is missing: pip install -c constraints.txt -e \".[build,test]\"") from None
    _step(f"PyInstaller: {FOLDER}")
    started = time.monotonic()
    _run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
          "--distpath", str(DIST), "--workpath", str(WORK), str(SPEC)])
    print(f"Built in {time.monotonic() - started:.0f} s", flush=True)
    return FOLDER


def _check_folder() -> None:
    if not (FOLDER / "_internal").is_dir():
        raise SystemExit(f"{FOLDER} is not built yet: run without --no-build")
    leftovers = [name for name in (PORTABLE_MARKER, PORTABLE_DATA_DIR) if (FOLDER / name).exists()]
    if leftovers:
        raise SystemExit(f"{FOLDER} holds {', '.join(leftovers)} (left by a run of the program?): build it again")


def smoke() -> None:
    _step("Smoke test of the folder")
    _run([sys.executable, str(HERE / "smoke_test.py"), str(FOLDER)])


def find_iscc() -> Path:
    """ISCC.exe: the ISCC variable, the PATH, or where Inno Setup 6 installs (for all users or per user)."""
    candidates = [os.environ.get("ISCC"), shutil.which("iscc")]
    for base in (os.environ.get("ProgramFiles(x86)"), os.environ.get("ProgramFiles"),
                 os.path.join(os.environ.get("LOCALAPPDATA", ""), "Programs")):
        if base:
            candidates.append(os.path.join(base, "Inno Setup 6", "ISCC.exe"))
    for candidate in candidates:
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    raise SystemExit("ISCC.exe (Inno Setup 6) not found: install Inno Setup 6, or set ISCC=C:\\path\\to\\ISCC.exe")


def build_installer(version: str) -> Path:
    iscc = find_iscc()
    _step(f"Inno Setup: {iscc}")
    numeric = ".".join(str(number) for number in appversion.numeric_version(version))
    _run([str(iscc), f"/DAppVersion={version}", f"/DAppNumericVersion={numeric}", f"/DBuildDir={FOLDER}",
          f"/O{DIST}", str(ISS)])
    setup = DIST / f"ANTQ-Desktop-{version}-setup.exe"
    if not setup.is_file():
        raise SystemExit(f"Inno Setup did not write {setup}")
    return setup


def build_portable(version: str) -> Path:
    """The folder in a zip under the top folder "ANTQ Desktop/", with the marker beside the programs."""
    target = DIST / f"ANTQ-Desktop-{version}-portable.zip"
    _step(f"Portable zip: {target}")
    partial = target.with_suffix(".zip.part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(FOLDER.rglob("*")):
            if path.is_file():  # a symlink (Linux builds only) is stored as the file it points to
                archive.write(path, f"{APP_NAME}/{path.relative_to(FOLDER).as_posix()}")
        archive.writestr(f"{APP_NAME}/{PORTABLE_MARKER}", PORTABLE_NOTE.replace("\n", "\r\n"))
    partial.replace(target)
    return target


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="build.py", description="Build ANTQ Desktop for office PCs.")
    parser.add_argument("target", choices=["folder", "installer", "portable", "all"])
    parser.add_argument("--smoke", action="store_true", help="run installer/smoke_test.py on the folder first")
    parser.add_argument("--no-build", action="store_true", help="package the folder already in dist/")
    args = parser.parse_args(argv)
    if args.target in ("installer", "all") and sys.platform != "win32":
        raise SystemExit("The Inno Setup installer is built on Windows (the folder and the zip build anywhere).")

    version = appversion.package_version()
    started = time.monotonic()
    print(f"ANTQ Desktop {version}, Python {sys.version.split()[0]} on {sys.platform}", flush=True)
    if not args.no_build:
        build_folder()
    _check_folder()
    if args.smoke:
        smoke()
    made = [FOLDER]
    if args.target in ("installer", "all"):
        made.append(build_installer(version))
    if args.target in ("portable", "all"):
        made.append(build_portable(version))

    _step(f"Done in {time.monotonic() - started:.0f} s")
    for path in made:
        files = [path] if path.is_file() else [p for p in path.rglob("*") if p.is_file() and not p.is_symlink()]
        size = sum(file.lstat().st_size for file in files)
        print(f"  {size / 2**20:6.0f} MiB  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
