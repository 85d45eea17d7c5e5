"""``antq backup``, ``antq restore`` and ``antq check``: the maintenance commands.

Wired into ``antq_desktop.cli`` with ``add_parsers(commands)`` and ``_COMMANDS.update(COMMANDS)``;
each handler takes ``(db, args)`` like the others there and returns the exit code (``check``
returns 1 when it finds a problem). ``restore`` must also work when the database cannot be
opened at all (that is when it is needed most): ``WITHOUT_DATABASE`` holds its handler for
that case, called with ``args`` only, after ``open_database`` refused the file.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from antq_desktop.services import backup, datacheck


def add_parsers(commands) -> None:
    """Add the three commands to the ``antq`` subparsers ``commands``."""
    backup_parser = commands.add_parser(
        "backup", help="sao lưu tệp dữ liệu vào thư mục sao lưu (kiểm tra toàn vẹn, giữ bản của 7 ngày, 4 tuần, "
                       "12 tháng gần nhất)")
    backup_parser.add_argument("--out", metavar="TỆP", help="ghi bản sao lưu vào tệp này thay vì thư mục sao lưu")
    restore_parser = commands.add_parser(
        "restore", help="khôi phục dữ liệu từ một bản sao lưu (dữ liệu hiện tại được sao lưu trước)")
    restore_parser.add_argument("file", metavar="TỆP", help="tệp sao lưu (.sqlite)")
    check_parser = commands.add_parser(
        "check", help="kiểm tra tính toàn vẹn của tệp và số liệu theo các quy tắc nghiệp vụ "
                      "(mã thoát 1 khi phát hiện lỗi)")
    check_parser.add_argument("--json", action="store_true", help="in dạng JSON")


def _cmd_backup(db, args) -> int:
    db_file = backup.require_sqlite_file(db)
    if args.out:
        info = backup.backup_to_file(db_file, Path(args.out))
    else:
        info = backup.backup_into_chosen_folder(db_file)
    print(f"Đã sao lưu vào {info.file} ({info.size_text}, đã kiểm tra toàn vẹn, mã SHA-256 {info.checksum}).")
    return 0


def _cmd_restore(db, args) -> int:
    """``db``: the open database, closed here before its file is replaced (None: it could not be opened)."""
    db_file = backup.require_sqlite_file(db) if db is not None else backup.sqlite_file_of(args.db)
    backup_file = Path(args.file)
    held = backup.describe(backup_file)  # what is about to come back, said before anything changes
    print("Bản sao lưu sẽ khôi phục:")
    for line in held.summary_lines():
        print(f"  {line}")
    folder, note = backup.available_folder()
    if db is not None:
        db.close()  # every connection of this process released: the file is about to be replaced
    result = backup.restore(backup_file, db_file, folder)
    if note:
        print(note, file=sys.stderr)
    if result.safety_copy is not None:
        print(f"Dữ liệu trước khi khôi phục đã được sao lưu vào {result.safety_copy.file}.")
    print(f"Đã khôi phục {db_file} từ bản sao lưu lúc {result.restored.created_text}.")
    return 0


def restore_without_database(args) -> int:
    """`antq restore` over a file that open_database refused (damaged, for instance)."""
    return _cmd_restore(None, args)


def _cmd_check(db, args) -> int:
    report = datacheck.run_checks(db)
    if args.json:
        print(json.dumps({
            "ok": report.ok, "summary": report.summary(), "notes": report.notes,
            "problems": [{"severity": problem.severity.value, "severity_label": problem.severity.label,
                          "area": problem.area, "check": problem.check, "message": problem.message}
                         for problem in report.problems],
        }, ensure_ascii=False, indent=2))
    else:
        for problem in report.problems:
            print(problem.line())
        for note in report.notes:
            print(note)
        print(report.summary())
    return 0 if report.ok else 1


COMMANDS = {"backup": _cmd_backup, "restore": _cmd_restore, "check": _cmd_check}
WITHOUT_DATABASE = {"restore": restore_without_database}

