"""Take the screenshots of the user guide (resources/help/images/) from the demo ward.

    .venv/bin/python tools/help_screenshots.py                      # every page
    .venv/bin/python tools/help_screenshots.py --pages units,antt   # some pages
    .venv/bin/python tools/help_screenshots.py --out /tmp/shots     # elsewhere

The pictures are made, not drawn by hand, so that they never go stale: run this again after a
page changes. It builds the demo ward in a temporary database (or copies the one given with
--db), opens the real main window offscreen at a fixed size, shows each page by its key
(``MainWindow.show_page``), on the demo's year that has records, and saves the window as a
small PNG named after the key, plus ``first-start.png``: the dialog of the first start.
Three things are staged for the pictures: the demo has no exemplary-ward checklist (each province
types its own), so a short one plainly marked "ví dụ" is added; the demo is loaded without
accounts, so for the audit trail's picture (on a copy of its own, the other pages keep the
demo as it is) three example accounts are made, one officer signs in, records an activity,
corrects two units and changes her password, and the page is filtered on her with a correction
selected; the province page (on a copy of its own too) gathers the demo ward and three
neighbouring wards: the demo's data package copied as other wards (benchmarks/bench_package.py
``another_ward``), each first thinned by its own share of units, activities and inspections so
that the wards' figures differ; and the status bar shows the data file where it usually is on an
office PC instead of the temporary file.

It never touches the user's data or settings: ANTQ_DATA_DIR points at a temporary folder while
it runs.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before Qt is imported: no window on screen

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a plain script from a checkout
    sys.path.insert(0, str(ROOT))

DEFAULT_OUT = ROOT / "resources" / "help" / "images"
WINDOW_SIZE = (1280, 760)  # the window's size when first started (MainWindow._restore)
IMAGE_WIDTH = 1000  # the PNGs are scaled down to this width
FIRST_START = "first-start"  # not a page: the dialog of the first start, on an empty database
PLAN_PAGES = ("plan", "tasks", "budget")  # the demo's plan has its records in its first year
AUDIT = "audit"  # the audit trail's page: staged on a copy of the demo (add_audit_example)
# (user name, full name, role value): the example accounts of the audit trail's picture
AUDIT_ACCOUNTS = (("tuan.nv", "Nguyễn Văn Tuấn", "quan_tri"), ("hoa.lt", "Lê Thị Hoa", "can_bo"),
                  ("thanh.pv", "Phạm Văn Thành", "chi_xem"))
AUDIT_OFFICER = "hoa.lt"  # the officer whose changes the picture shows
PROVINCE = "province"  # the province page: staged on a copy of the demo (add_province_example)
# (number of bench_package.ward_name, share of the units, activities and inspections left out):
# the neighbouring wards of the province page's picture
PROVINCE_WARDS = ((13, 0.15), (27, 0.3), (61, 0.45))
USUAL_DATA_FILE = r"C:\Users\CongAn\AppData\Local\ANTQ Desktop\antq.sqlite"  # Windows, platformdirs
# (code, group, criterion, result, evidence): the checklist of the picture, an example only
EXEMPLARY_EXAMPLE = (
    ("1.1", "1. Lãnh đạo, chỉ đạo (ví dụ)", "Có kế hoạch xây dựng phường điển hình về phong trào toàn dân bảo vệ ANTQ",
     "dat", "Kế hoạch của UBND phường"),
    ("1.2", "1. Lãnh đạo, chỉ đạo (ví dụ)", "Phong trào của phường năm liền kề trước xếp loại Khá trở lên", "dat",
     "Quyết định phân loại phong trào năm trước"),
    ("2.1", "2. Kết quả phong trào (ví dụ)", "100% đơn vị thuộc diện đăng ký xây dựng \u201cAn toàn về ANTT\u201d",
     "dat", "54/54 đơn vị (trang An toàn về ANTT)"),
    ("2.2", "2. Kết quả phong trào (ví dụ)", "Ít nhất 95% đơn vị được công nhận \u201cAn toàn về ANTT\u201d",
     "chua_dat", "51/54 đơn vị (94,4%)"),
    ("2.3", "2. Kết quả phong trào (ví dụ)", "Có ít nhất 02 mô hình xếp loại Khá trở lên", "dat", "3 mô hình"),
    ("2.4", "2. Kết quả phong trào (ví dụ)", "100% lực lượng nòng cốt được huấn luyện, bồi dưỡng",
     "dang_thuc_hien", "99/101 người (98,0%)"),
)


def page_keys() -> list[str]:
    from antq_desktop.ui.main_window import PAGE_KEYS

    return list(PAGE_KEYS)


def shown_year(key: str) -> int:
    """The demo's year with records for the page: its finished year, or the plan's first year."""
    from antq_desktop.services import demo

    return demo.PLAN_YEAR if key in PLAN_PAGES else demo.CLASSIFIED_YEAR


@contextmanager
def private_data_dir() -> Iterator[Path]:
    """ANTQ_DATA_DIR on a temporary folder for the time of the run, then as it was."""
    before = os.environ.get("ANTQ_DATA_DIR")
    with tempfile.TemporaryDirectory(prefix="antq-help-") as folder:
        os.environ["ANTQ_DATA_DIR"] = str(Path(folder) / "data")
        try:
            yield Path(folder)
        finally:
            if before is None:
                os.environ.pop("ANTQ_DATA_DIR", None)
            else:
                os.environ["ANTQ_DATA_DIR"] = before


def build_demo(path: Path) -> Path:
    """The demo ward as ``antq demo`` loads it, with its year of field work."""
    from antq_desktop.db.engine import open_database
    from antq_desktop.services import demo

    db = open_database(path)
    try:
        with db.transaction() as session:
            demo.load_demo(session, "ảnh hướng dẫn")
    finally:
        db.close()
    return path


def add_exemplary_example(db_path: Path, year: int) -> None:
    """The example checklist of the exemplary-ward page, if the ward has none."""
    from antq_desktop.db.engine import open_database
    from antq_desktop.domain.exemplary import CriterionStatus
    from antq_desktop.services import exemplary, profile

    db = open_database(db_path)
    try:
        with db.transaction() as session:
            ward_id = profile.require_profile(session).id
            if exemplary.criteria(session, ward_id):
                return
            for code, group, title, status, evidence in EXEMPLARY_EXAMPLE:
                criterion = exemplary.add_criterion(session, ward_id, exemplary.CriterionInput(code, title, group),
                                                    "ảnh hướng dẫn")
                exemplary.set_status(session, criterion, year, CriterionStatus(status), evidence, "", "ảnh hướng dẫn")
    finally:
        db.close()


def add_audit_example(db_path: Path) -> None:
    """Accounts and a few changes by an officer signed in, for the audit trail's picture (the
    demo itself is loaded by nobody in particular). The passwords are random and forgotten."""
    import secrets
    from dataclasses import replace
    from datetime import date

    from sqlalchemy import select

    from antq_desktop import identity
    from antq_desktop.db.engine import open_database
    from antq_desktop.db.models import Unit
    from antq_desktop.domain.events import ActivityKind
    from antq_desktop.domain.roles import Role
    from antq_desktop.services import accounts, events, profile, units

    db = open_database(db_path)
    try:
        with db.transaction() as session:
            if accounts.has_accounts(session):
                return
        passwords = {name: secrets.token_urlsafe(12) for name, _full_name, _role in AUDIT_ACCOUNTS}
        (admin, admin_name, _role), *others = AUDIT_ACCOUNTS
        with db.transaction() as session:
            accounts.create_first_admin(session, admin, admin_name, passwords[admin])
        accounts.sign_in_and_remember(db, admin, passwords[admin])
        with db.transaction() as session:
            for name, full_name, role in others:
                accounts.add_user(session, name, full_name, Role(role), passwords[name], admin)
        identity.sign_out()
        accounts.sign_in_and_remember(db, AUDIT_OFFICER, passwords[AUDIT_OFFICER])

        def correct(session, name: str, **changes) -> None:
            unit_id = session.scalar(select(Unit.id).where(Unit.name == name))
            unit = units.get_unit(session, unit_id)
            units.update_unit(session, unit_id, replace(unit.as_input(), **changes), AUDIT_OFFICER, unit.version)

        with db.transaction() as session:
            ward_id = profile.require_profile(session).id
            events.add_activity(session, ward_id, events.ActivityInput(
                date.today(), ActivityKind.LOA, "Tuyên truyền phòng, chống lừa đảo qua mạng", reach=1200),
                AUDIT_OFFICER)
        with db.transaction() as session:
            correct(session, "Tổ dân phố 7", head_name="Lương Văn Hải", head_phone="0912345678")
        with db.transaction() as session:
            correct(session, "Tổ dân phố 5", households=152, notes="Số hộ theo danh sách tháng 12")
        new_password = secrets.token_urlsafe(12)
        with db.transaction() as session:
            accounts.change_password(session, identity.signed_in().user_id, passwords[AUDIT_OFFICER], new_password)
    finally:
        identity.sign_out()
        db.close()


def add_province_example(db_path: Path, folder: Path) -> None:
    """Three more wards in the database, for the province page's picture: the demo ward's data
    package, thinned and copied as another ward (PROVINCE_WARDS), imported as each ward would
    send it."""
    from antq_desktop.db.engine import open_database
    from antq_desktop.services import package, province
    from benchmarks.bench_package import another_ward

    db = open_database(db_path)
    try:
        with db.reading() as session:
            if len(province.wards(session)) > 1:
                return
            source = folder / "phuong-mau.antq"
            package.export_package(session, source, "ảnh hướng dẫn")
        for number, share in PROVINCE_WARDS:
            thinner = thinned_package(source, folder / f"bot-{number}.antq", number, share)
            copy = another_ward(thinner, folder / f"phuong-{number}.antq", number)
            with db.transaction() as session:
                package.import_package(session, copy)
    finally:
        db.close()


THINNED_TABLES = ("unit", "activity", "inspection")  # the records a thinned package has fewer of


def thinned_package(source: Path, target: Path, seed: int, share: float) -> Path:
    """``source`` with ``share`` of its units, activities and inspections left out (drawn with
    ``seed``), and every record that names one left out with it, so that the package stays whole."""
    import hashlib
    import json
    import random
    import zipfile

    from antq_desktop.services import package

    with zipfile.ZipFile(source) as archive:
        manifest = json.loads(archive.read(package.MANIFEST_NAME))
        data = json.loads(archive.read(package.DATA_NAME))
    draw = random.Random(seed)
    gone: dict[str, set[str]] = {}  # table -> the uids left out
    for name, spec in package.SPECS.items():  # parents first: a row's references are settled before it
        content = data["tables"].get(name)
        if content is None:
            continue
        columns, rows = content["columns"], content["rows"]
        uid_at = columns.index("uid") if "uid" in columns else None
        names = [(columns.index(column), table) for column, table in spec.references.items() if column in columns]
        left_out = set(draw.sample(range(len(rows)), round(len(rows) * share))) if name in THINNED_TABLES else set()
        removed = gone.setdefault(name, set())
        while True:  # again while a row names one just left out of its own table (a unit merged into another)
            removed.update(rows[index][uid_at] for index in left_out if uid_at is not None)
            more = {index for index, row in enumerate(rows) if index not in left_out
                    and any(row[at] is not None and row[at] in gone.get(table, ()) for at, table in names)}
            if not more:
                break
            left_out |= more
        content["rows"] = [row for index, row in enumerate(rows) if index not in left_out]
        manifest["counts"][name] = len(content["rows"])
    encoded = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode()
    manifest.update(data_sha256=hashlib.sha256(encoded).hexdigest(), data_size=len(encoded))
    with open(target, "wb") as handle:
        package.write_archive(handle, manifest, encoded)
    return target


def stage_audit_page(page) -> None:
    """The audit page on the example officer, with the latest correction of a unit selected."""
    page.actor.setCurrentIndex(max(0, page.actor.findData(AUDIT_OFFICER)))
    for number, row in enumerate(page.model.rows):
        if row.action == "update" and row.table_name == "unit":
            page.table.selectRow(number)
            break


def save_png(image, path: Path, width: int = IMAGE_WIDTH) -> Path:
    """Scale ``image`` (a QImage) to ``width`` and save it as a small PNG: 256 colours are plenty
    for a window of flat colours and text, and a third of the size of the true-colour file."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QColor, QPainter

    scaled = image.scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    painter = QPainter(scaled)  # a thin frame: the picture stands apart from the text of the guide
    painter.setPen(QColor("#8c8c8c"))
    painter.drawRect(0, 0, scaled.width() - 1, scaled.height() - 1)
    painter.end()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not scaled.save(str(path), "PNG"):
        raise OSError(f"could not write {path}")
    try:
        from PIL import Image  # comes with reportlab
    except ImportError:  # pragma: no cover - the true-colour PNG stays
        return path
    with Image.open(path) as picture:
        reduced = picture.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT,
                                                  dither=Image.Dither.NONE)
    reduced.save(path, "PNG", optimize=True)
    return path


def _settle(app, rounds: int = 3) -> None:
    for _ in range(rounds):
        app.processEvents()


def take_pages(db_path: Path, out: Path, keys: Sequence[str], width: int = IMAGE_WIDTH) -> list[Path]:
    from antq_desktop.db.engine import open_database
    from antq_desktop.ui.app import create_application
    from antq_desktop.ui.main_window import MainWindow

    app = create_application([])
    db = open_database(db_path)
    window = MainWindow(db)
    written = []
    try:
        window.db_label.setText(USUAL_DATA_FILE)
        window.resize(*WINDOW_SIZE)
        window.show()
        _settle(app)
        for key in keys:
            page = window.show_page(key)
            year = getattr(page, "year", None)
            if year is not None and year.value() != shown_year(key):
                year.setValue(shown_year(key))  # the page reloads on its year
            if key == AUDIT:
                stage_audit_page(page)
            _settle(app)
            window.statusBar().clearMessage()  # a message of the moment ("Đã lưu…") is no part of the page
            written.append(save_png(window.grab().toImage(), out / f"{key}.png", width))
    finally:
        window.close()
        window.deleteLater()
        db.close()
        _settle(app)
    return written


def take_first_start(db_path: Path, out: Path, width: int = IMAGE_WIDTH) -> Path:
    """The first start's dialog, on a new empty database; its natural size, scaled no wider than ``width``."""
    from antq_desktop.db.engine import open_database
    from antq_desktop.ui.app import create_application
    from antq_desktop.ui.profile_form import FirstStartDialog

    app = create_application([])
    db = open_database(db_path)
    dialog = FirstStartDialog(db)
    try:
        dialog.show()
        _settle(app)
        image = dialog.grab().toImage()
        return save_png(image, out / f"{FIRST_START}.png", min(width, image.width()))
    finally:
        dialog.close()
        dialog.deleteLater()
        db.close()
        _settle(app)


def _arguments(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Chụp lại ảnh màn hình của hướng dẫn sử dụng từ phường mẫu.")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help=f"thư mục ghi ảnh (mặc định {DEFAULT_OUT})")
    parser.add_argument("--pages", help="các trang cần chụp, cách nhau bằng dấu phẩy (mặc định: mọi trang và "
                                        f"{FIRST_START}), ví dụ units,antt")
    parser.add_argument("--db", type=Path, help="dùng bản sao của tệp dữ liệu mẫu này thay vì tạo mới")
    parser.add_argument("--width", type=int, default=IMAGE_WIDTH, help="chiều rộng ảnh (điểm ảnh)")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = _arguments(argv)
    known = [*page_keys(), FIRST_START]
    wanted = [key.strip() for key in arguments.pages.split(",") if key.strip()] if arguments.pages else known
    unknown = [key for key in wanted if key not in known]
    if unknown:
        print(f"Không có trang: {', '.join(unknown)}. Các trang: {', '.join(known)}", file=sys.stderr)
        return 2
    with private_data_dir() as folder:
        written = []
        pages = [key for key in wanted if key not in (FIRST_START, AUDIT, PROVINCE)]
        if pages or AUDIT in wanted or PROVINCE in wanted:
            demo_path = folder / "phuong-mau.sqlite"
            if arguments.db is not None:
                shutil.copy(arguments.db, demo_path)
            else:
                build_demo(demo_path)
            if AUDIT in wanted:  # its accounts and changes stay out of the other pictures
                audit_path = folder / "phuong-mau-nhat-ky.sqlite"
                shutil.copy(demo_path, audit_path)
                add_audit_example(audit_path)
                written += take_pages(audit_path, arguments.out, [AUDIT], arguments.width)
            if PROVINCE in wanted:  # its other wards stay out of the other pictures too
                province_path = folder / "phuong-mau-tong-hop.sqlite"
                shutil.copy(demo_path, province_path)
                add_province_example(province_path, folder)
                written += take_pages(province_path, arguments.out, [PROVINCE], arguments.width)
            if "exemplary" in pages:
                add_exemplary_example(demo_path, shown_year("exemplary"))
            if pages:
                written += take_pages(demo_path, arguments.out, pages, arguments.width)
        if FIRST_START in wanted:
            written.append(take_first_start(folder / "moi.sqlite", arguments.out, arguments.width))
    total = sum(path.stat().st_size for path in written)
    for path in written:
        print(f"{path} ({path.stat().st_size // 1024} KB)")
    print(f"{len(written)} ảnh, {total / 1024:.0f} KB")
    return 0


def _quiet_offscreen() -> None:
    """The offscreen platform says, for every window, that it has no window manager to give size
    hints to; that says nothing about the pictures (pytest's run keeps its own handler)."""
    from PySide6.QtCore import qInstallMessageHandler

    def handle(_mode, _context, message: str) -> None:
        if "propagateSizeHints" not in message:
            print(message, file=sys.stderr)

    qInstallMessageHandler(handle)


if __name__ == "__main__":
    _quiet_offscreen()
    sys.exit(main())
