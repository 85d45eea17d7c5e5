"""``antq workbook export`` and ``antq workbook import``: the year-end workbook (services/workbook.py).

Wired into ``antq_desktop.cli`` like cli_maintenance: ``add_parsers(commands)`` and
``_COMMANDS.update(COMMANDS)``; the handler takes ``(db, args)`` and returns the exit code.

* ``antq workbook export --year N FILE.xlsx`` writes the year's workbook. Like ``antq backup
  --out``, it does not write over a file that exists (an officer's filled copy may have that
  name), unless ``--overwrite`` is given.
* ``antq workbook import FILE.xlsx [--dry-run]`` checks the whole file, prints what it would do
  (per sheet the rows added, changed, unchanged, then every change), and writes it unless
  ``--dry-run``. A file with faults prints every fault (sheet, row, column) on standard error,
  writes nothing and exits 1; so does a row edited in a copy exported before its record was
  changed (never a silent overwrite). An account that may not write ("chỉ xem") is refused
  before the file is read, with one message.
"""

from __future__ import annotations

import sys
from pathlib import Path

from antq_desktop.errors import UserError
from antq_desktop.services import profile, workbook
from antq_desktop.services.excel import FaultsError
from antq_desktop.services.tracking import current_actor


def add_parsers(commands) -> None:
    """Add ``workbook`` (with ``export`` and ``import``) to the ``antq`` subparsers ``commands``."""
    parser = commands.add_parser(
        "workbook", help="bảng tổng hợp cuối năm (Excel): xuất ra để các đơn vị điền, rồi nhập lại")
    actions = parser.add_subparsers(dest="action", required=True, parser_class=type(parser))
    export = actions.add_parser("export", help="xuất bảng tổng hợp của một năm ra tệp .xlsx")
    export.add_argument("--year", type=int, required=True, help="năm")
    export.add_argument("file", metavar="TỆP", help="tệp .xlsx sẽ ghi")
    export.add_argument("--overwrite", action="store_true", help="ghi đè nếu đã có tệp trùng tên")
    imported = actions.add_parser(
        "import", help="nhập lại bảng tổng hợp đã điền: kiểm tra toàn bộ tệp, in các thay đổi rồi ghi")
    imported.add_argument("file", metavar="TỆP", help="tệp .xlsx đã điền")
    imported.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra và in các thay đổi, không ghi gì")


def _cmd_workbook(db, args) -> int:
    return _export(db, args) if args.action == "export" else _import(db, args)


def _export(db, args) -> int:
    target = Path(args.file)
    if target.suffix.lower() != ".xlsx":
        raise UserError(f'Tên tệp "{target.name}" phải có đuôi .xlsx (ví dụ tong-hop-{args.year}.xlsx).')
    if target.exists() and not args.overwrite:
        raise UserError(f"Đã có tệp \u201c{target.name}\u201d: chương trình không ghi đè lên tệp có sẵn (có thể là bản "
                        "đã điền). Hãy chọn tên tệp khác, hoặc thêm --overwrite để ghi đè.")
    with db.reading() as session:
        ward = profile.require_profile(session)
        exported = workbook.export_year(session, ward.id, args.year, target)
    print(exported.summary)
    return 0


def _import(db, args) -> int:
    try:
        if args.dry_run:
            with db.reading() as session:
                plan = workbook.read_workbook(session, profile.require_profile(session).id, args.file)
            _print_plan(plan)
            print("Chưa ghi gì (--dry-run).")
            return 0
        with db.transaction() as session:  # a refusal while writing rolls every row back
            plan = workbook.read_workbook(session, profile.require_profile(session).id, args.file)
            applied = workbook.apply(session, plan, current_actor())
    except FaultsError as refused:
        _print_faults(refused)
        return 1
    _print_plan(plan)
    print(applied.summary)
    return 0


def _print_plan(plan: workbook.WorkbookPlan) -> None:
    head, *sheets, note = plan.summary_lines()
    print(head)
    for line in sheets:
        print(f"  {line}")
    print(note)
    changes = plan.change_lines()
    if changes:
        print("Các thay đổi:")
        for line in changes:
            print(f"  {line}")


def _print_faults(refused: FaultsError) -> None:
    """Every fault, one a line (the message itself lists only the first ones)."""
    faults = refused.faults
    first_line = refused.message.split("\n", 1)[0]
    heading = first_line if len(faults) > 1 else "Tệp có lỗi nên chưa ghi gì vào dữ liệu:"
    print(f"Lỗi: {heading}", file=sys.stderr)
    for fault in faults:
        print(f"  {fault.line}", file=sys.stderr)
    print("Hãy sửa tệp rồi nhập lại.", file=sys.stderr)


COMMANDS = {"workbook": _cmd_workbook}
