"""``antq package export|import`` and ``antq province``: data packages and the province view.

Wired into ``antq_desktop.cli`` with ``add_parsers(commands)`` and ``_COMMANDS.update(COMMANDS)``;
each handler takes ``(db, args)`` like the others there and returns the exit code. A refusal
(a damaged or foreign file, an existing file to export to, a non-administrator importing) is the
service's UserError: `antq` prints the same Vietnamese message as the window and exits 1.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from antq_desktop.domain import vntext
from antq_desktop.services import package, province
from antq_desktop.services.tracking import current_actor


def add_parsers(commands) -> None:
    """Add ``package`` (with ``export`` and ``import``) and ``province`` to the ``antq`` subparsers."""
    parser = commands.add_parser(
        "package", help="gói dữ liệu: chép dữ liệu của xã, phường sang máy khác hoặc gửi lên tỉnh")
    actions = parser.add_subparsers(dest="package_action", required=True, parser_class=type(parser))
    export = actions.add_parser("export", help="xuất dữ liệu của xã, phường ra một tệp gói (.antq); "
                                               "không ghi đè lên tệp đã có")
    export.add_argument("file", metavar="TỆP", help="tệp gói sẽ tạo, ví dụ Minh-Xuan-2025.antq")
    export.add_argument("--year", type=int, help="chỉ xuất số liệu của năm này (kèm danh sách đơn vị, lực lượng, "
                                                 "mô hình); mặc định: tất cả các năm")
    imported = actions.add_parser("import", help="nhập một tệp gói: thêm xã, phường mới, hoặc thay dữ liệu của "
                                                 "xã, phường đã có (chỉ tài khoản quản trị)")
    imported.add_argument("file", metavar="TỆP", help="tệp gói (.antq)")
    summary = commands.add_parser("province", help="tổng hợp số liệu một năm của các xã, phường trong tệp dữ liệu")
    summary.add_argument("--year", type=int, required=True, help="năm")
    summary.add_argument("--json", action="store_true", help="in dạng JSON")


def _cmd_package(db, args) -> int:
    if args.package_action == "export":
        with db.reading() as session:
            info = package.export_package(session, Path(args.file), current_actor(), year=args.year)
        print(f"Đã xuất {info.ward_title} ({info.province_title}), {info.scope_text}: "
              f"{vntext.format_number(info.total_rows)} bản ghi, vào tệp {info.file}.")
        return 0
    info = package.describe(Path(args.file))  # checked whole, and said, before anything is written
    with db.reading() as session:
        target = package.import_target(session, info)
    print(f"Gói dữ liệu {info.file.name}:")
    for line in (*info.summary_lines(), *target.lines(info)):
        print(f"  {line}")
    with db.transaction() as session:
        result = package.import_package(session, Path(args.file))
    for line in result.summary_lines():
        print(line)
    return 0


def _cmd_province(db, args) -> int:
    with db.reading() as session:
        figures = province.province_stats(session, args.year, date.today())
    if args.json:
        print(json.dumps(figures.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(f"Năm {figures.year}: {len(figures.wards)} xã, phường trong tệp dữ liệu.")
    for ward in figures.wards:
        print(f"{ward.title}: {_line(ward)}")
    print(f"{figures.total.title}: {_line(figures.total)}")
    return 0


def _line(figures: province.WardFigures) -> str:
    def share(part: int, whole: int, pct: float | None) -> str:
        return f"{vntext.format_number(part)}/{vntext.format_number(whole)}" + (
            "" if pct is None else f" ({vntext.format_percent(pct)})")

    number = vntext.format_number
    return "; ".join([
        f"{number(figures.units)} đơn vị",
        f"đăng ký {share(figures.registered, figures.eligible, figures.registered_pct)}",
        f"công nhận {share(figures.recognized, figures.eligible, figures.recognized_pct)}",
        f"Khá trở lên {share(figures.kha_or_above, figures.classified, figures.kha_or_above_pct)}",
        f"{number(figures.inspections_made)} lượt kiểm tra",
        f"lực lượng {number(figures.members)} người, huấn luyện "
        f"{share(figures.trained, figures.members, figures.trained_pct)}",
        f"{number(figures.activities)} hoạt động tuyên truyền",
        f"{number(figures.awards)} khen thưởng",
    ]) + "."


COMMANDS = {"package": _cmd_package, "province": _cmd_province}
