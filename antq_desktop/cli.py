"""``antq``: the headless commands, on the same services as the window.

Exit codes: 0 success; 1 a mistake the user can fix (the Vietnamese message goes to standard
error); 2 wrong usage of the command itself.

A database with accounts is worked on only by an officer signed in: ``--user NAME`` with the
password from the ``ANTQ_PASSWORD`` variable or, at a terminal, typed when asked. The rights of
the account's role are enforced below the services, exactly as in the window. A database
without accounts stays open, as before accounts existed; its first ``users add`` creates the
administrator.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections import Counter
from dataclasses import asdict

from antq_desktop import (
    __version__,
    cli_maintenance,
    cli_package,
    cli_workbook,
    connection,
    identity,
)
from antq_desktop.db.engine import open_database
from antq_desktop.domain import plan, vntext
from antq_desktop.domain.forces import ForceKind
from antq_desktop.domain.roles import Role
from antq_desktop.domain.units import SchoolLevel, UnitKind, UnitStatus
from antq_desktop.errors import UserError
from antq_desktop.logging_setup import setup_logging
from antq_desktop.services import (
    accounts,
    antt_decision,
    classification_decision,
    classification_documents,
    demo,
    inspections,
    profile,
    stats,
    units,
)
from antq_desktop.services.output import write_atomically
from antq_desktop.services.tracking import current_actor

NEW_PASSWORD_ENV = "ANTQ_NEW_PASSWORD"  # the password of the account `antq users add` creates
_KIND_CHOICES = [kind.cli_name for kind in UnitKind]
_STATUS_CHOICES = [status.value for status in UnitStatus] + ["all"]


class _VietnameseHelp(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    """argparse with its own headings in Vietnamese (the officers read the help too)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, formatter_class=_VietnameseHelp, add_help=False, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tuỳ chọn"
        self.add_argument("-h", "--help", action="help", help="in hướng dẫn này rồi thoát")

    def error(self, message: str):  # argparse's own wording is English: say it in Vietnamese too
        self.print_usage(sys.stderr)
        self.exit(2, f"Lỗi cú pháp lệnh: {message}\nXem hướng dẫn: antq --help\n")


def _build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="antq", description="ANTQ Desktop: các lệnh không cần cửa sổ.")
    parser.add_argument("--version", action="version", version=f"ANTQ Desktop {__version__}",
                        help="in số phiên bản rồi thoát")
    parser.add_argument("--db", help="đường dẫn tệp dữ liệu hoặc URL SQLAlchemy (mặc định: kết nối đã lưu ở Tệp → "
                                     "Kết nối máy chủ dữ liệu…, chưa lưu thì tệp trong thư mục dữ liệu người dùng)")
    parser.add_argument("--user", metavar="TÊN",
                        help=f"tên đăng nhập, khi tệp dữ liệu có tài khoản người dùng (mật khẩu lấy từ biến môi "
                             f"trường {accounts.PASSWORD_ENV}, hoặc nhập khi được hỏi)")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    commands.add_parser("init", help="tạo hoặc nâng cấp tệp dữ liệu")
    commands.add_parser("demo", help="nạp dữ liệu mẫu (phường Minh Xuân) vào tệp dữ liệu mới")

    profile_parser = commands.add_parser("profile", help="thông tin xã, phường")
    profile_commands = profile_parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
    show = profile_commands.add_parser("show", help="xem thông tin")
    show.add_argument("--json", action="store_true", help="in dạng JSON")
    set_ = profile_commands.add_parser("set", help="đặt một mục thông tin")
    set_.add_argument("key", help="tên mục: " + ", ".join(profile.PROFILE_LABELS))
    set_.add_argument("value", help="giá trị mới")

    units_parser = commands.add_parser("units", help="danh sách đơn vị")
    unit_commands = units_parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
    listing = unit_commands.add_parser("list", help="liệt kê đơn vị theo thứ tự tiếng Việt")
    listing.add_argument("--kind", choices=_KIND_CHOICES, help="loại đơn vị")
    listing.add_argument("--status", choices=_STATUS_CHOICES, default="all", help="trạng thái (mặc định: all)")
    listing.add_argument("--search", default="", help="tìm theo tên, địa chỉ, người đứng đầu (không cần dấu)")
    listing.add_argument("--json", action="store_true", help="in dạng JSON")
    _add_unit_arguments(unit_commands.add_parser("add", help="thêm một đơn vị, in mã của đơn vị mới"))

    users_parser = commands.add_parser("users", help="tài khoản người dùng")
    user_commands = users_parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
    user_add = user_commands.add_parser(
        "add", help=f"thêm tài khoản (tài khoản đầu tiên phải là quản trị); mật khẩu lấy từ biến môi trường "
                    f"{NEW_PASSWORD_ENV}, hoặc nhập hai lần khi được hỏi")
    user_add.add_argument("name", metavar="TÊN", help="tên đăng nhập: chữ cái, chữ số và các dấu . _ -")
    user_add.add_argument("--role", choices=[role.value for role in Role], required=True,
                          help="vai trò: " + ", ".join(f"{role.value} ({role.label.lower()})" for role in Role))
    user_add.add_argument("--full-name", metavar="HỌ_TÊN", default="", help="họ tên")
    user_list = user_commands.add_parser("list", help="liệt kê tài khoản")
    user_list.add_argument("--json", action="store_true", help="in dạng JSON")

    budget_parser = commands.add_parser("budget", help="dự trù kinh phí của một năm")
    budget_commands = budget_parser.add_subparsers(dest="action", required=True, parser_class=_Parser)
    budget_import = budget_commands.add_parser("import", help="nhập dự trù kinh phí từ tệp Excel (thay dự trù cũ)")
    budget_import.add_argument("file", help="tệp .xlsx có các cột nhóm, nội dung, số lượng, đơn giá, thành tiền")
    budget_import.add_argument("--year", type=int, required=True, help="năm")
    budget_show = budget_commands.add_parser("show", help="xem dự trù kinh phí")
    budget_show.add_argument("--year", type=int, required=True, help="năm")
    budget_show.add_argument("--json", action="store_true", help="in dạng JSON")

    stats = commands.add_parser("stats", help="số liệu của một năm")
    stats.add_argument("--year", type=int, required=True, help="năm")
    stats.add_argument("--json", action="store_true", help="in dạng JSON")

    printing = commands.add_parser("print", help="in văn bản ra tệp PDF")
    documents = printing.add_subparsers(dest="document", required=True, parser_class=_Parser)
    for name, text in (("recognition-decision", "quyết định công nhận đạt tiêu chuẩn \"An toàn về ANTT\""),
                       ("certificates", "giấy công nhận của các đơn vị trong quyết định"),
                       ("classification-decision", "quyết định phân loại phong trào toàn dân bảo vệ ANTQ"),
                       ("classification-proposal", "tờ trình đề nghị phân loại phong trào toàn dân bảo vệ ANTQ"),
                       ("score-list", "thống kê danh sách chấm điểm, mức đề xuất đánh giá, phân loại"),
                       ("budget", "dự trù kinh phí (phụ lục kế hoạch)"),
                       ("task-table", "biểu phân công nhiệm vụ (phụ lục kế hoạch)"),
                       ("annual-report", "báo cáo kết quả thực hiện phong trào toàn dân bảo vệ ANTQ")):
        document = documents.add_parser(name, help=text)
        document.add_argument("--year", type=int, required=True, help="năm")
        document.add_argument("--out", required=True, help="tệp PDF sẽ ghi")
        if name == "certificates":
            document.add_argument("--blank-form", action="store_true", help="chỉ in phần nội dung lên phôi in sẵn")
        if name == "annual-report":
            document.add_argument("--six-months", action="store_true", help="báo cáo sơ kết 6 tháng đầu năm")
    roster = documents.add_parser("roster", help="danh sách thành viên lực lượng nòng cốt theo từng tổ, đội")
    roster.add_argument("--year", type=int, required=True, help="năm")
    roster.add_argument("--out", required=True, help="tệp PDF sẽ ghi")
    roster.add_argument("--kind", choices=[kind.cli_name for kind in ForceKind], help="chỉ in một lực lượng")
    minutes = documents.add_parser("inspection-minutes", help="biên bản kiểm tra của một lần kiểm tra")
    minutes.add_argument("--inspection", type=int, required=True, help="số hiệu lần kiểm tra (cột ID)")
    minutes.add_argument("--out", required=True, help="tệp PDF sẽ ghi")
    cli_maintenance.add_parsers(commands)
    cli_package.add_parsers(commands)
    cli_workbook.add_parsers(commands)
    return parser


def _add_unit_arguments(add: argparse.ArgumentParser) -> None:
    add.add_argument("--kind", choices=_KIND_CHOICES, required=True, help="loại đơn vị")
    add.add_argument("--name", required=True, help="tên đơn vị")
    add.add_argument("--category", default="", help="ví dụ: Tổ dân phố, Thôn")
    add.add_argument("--address", default="", help="địa chỉ")
    add.add_argument("--head", default="", help="họ tên người đứng đầu")
    add.add_argument("--head-title", default="", help="chức vụ người đứng đầu")
    add.add_argument("--phone", default="", help="số điện thoại")
    add.add_argument("--households", type=int, help="số hộ (khu dân cư)")
    add.add_argument("--staff", type=int, help="số cán bộ, nhân viên")
    add.add_argument("--learners", type=int, help="số người học (cơ sở giáo dục)")
    add.add_argument("--school-level", choices=[level.value for level in SchoolLevel], help="cấp học")
    add.add_argument("--armed-forces", action="store_true", help="cơ quan thuộc lực lượng vũ trang")
    add.add_argument("--small", action="store_true", help="doanh nghiệp nhỏ hoặc siêu nhỏ")
    add.add_argument("--party", action="store_true", help="có tổ chức Đảng")
    add.add_argument("--notes", default="", help="ghi chú")


def _print_json(data) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def _cmd_init(db, _args) -> None:
    print(f"Tệp dữ liệu đã sẵn sàng: {db.file or db.engine.url.render_as_string(hide_password=True)}")


def _cmd_demo(db, _args) -> None:
    with db.transaction() as session:
        count = demo.load_demo(session, current_actor())
    print(f"Đã nạp dữ liệu mẫu phường Minh Xuân: {count} đơn vị.")


def _cmd_profile(db, args) -> None:
    with db.transaction() as session:
        if args.action == "set":
            current = profile.set_profile_field(session, args.key, args.value, current_actor())
        else:
            current = profile.require_profile(session)
    if args.action == "show" and args.json:
        _print_json(current.as_dict())
        return
    if args.action == "show":
        for key, label in profile.PROFILE_LABELS.items():
            print(f"{label} ({key}): {getattr(current, key)}")
    else:
        print(f"Đã lưu {profile.PROFILE_LABELS[args.key]}: {getattr(current, args.key)}")


def _unit_json(row: units.UnitRow) -> dict:
    data = asdict(row)
    data["kind"], data["kind_label"] = row.kind.cli_name, row.kind.label
    data["status"], data["status_label"] = row.status.value, row.status.label
    return data


def _cmd_units(db, args) -> None:
    with db.transaction() as session:
        ward = profile.require_profile(session)
        if args.action == "add":
            new_id = units.add_unit(session, ward.id, _unit_input(args), current_actor())
        else:
            query = units.UnitQuery(
                kind=UnitKind.from_cli(args.kind) if args.kind else None,
                status=None if args.status == "all" else UnitStatus(args.status),
                search=args.search,
            )
            rows = units.list_units(session, ward.id, query)
    if args.action == "add":
        print(new_id)
    elif args.json:
        _print_json([_unit_json(row) for row in rows])
    else:
        for row in rows:
            print(f"{row.id}\t{row.kind.label}\t{row.name}\t{row.status.label}")
        print(f"Cộng: {len(rows)} đơn vị", file=sys.stderr)


def _unit_input(args) -> units.UnitInput:
    return units.UnitInput(
        kind=UnitKind.from_cli(args.kind), name=args.name, category=args.category, address=args.address,
        head_name=args.head, head_title=args.head_title, head_phone=args.phone, households=args.households,
        staff_count=args.staff, learner_count=args.learners,
        school_level=SchoolLevel(args.school_level) if args.school_level else None,
        is_armed_forces=args.armed_forces, is_small_or_micro=args.small, has_party_org=args.party, notes=args.notes,
    )


def _cmd_stats(db, args) -> None:
    with db.transaction() as session:
        ward = profile.require_profile(session)
        figures = stats.year_stats(session, ward.id, args.year)
    if args.json:
        _print_json(figures.as_dict())
        return
    total = figures.antt.total
    print(f"Năm {args.year}: {total.eligible} đơn vị thuộc diện, {total.registered} đã đăng ký, "
          f"{total.recognized} được công nhận \"An toàn về ANTT\".")
    print(figures.antt.criterion_4.summary)
    print(stats.classification_summary(figures.classification))
    if figures.targets:
        counts = Counter(result.status for result in figures.targets)
        print(f"Chỉ tiêu năm {args.year}: " + ", ".join(f"{counts[status]} {status.label.lower()}"
                                                      for status in plan.Status if counts[status]) + ".")


def _cmd_budget(db, args) -> None:
    from antq_desktop.services import budget

    if args.action == "import":
        with db.transaction() as session:  # a faulty file raises before anything is replaced
            ward = profile.require_profile(session)
            result = budget.import_budget(session, ward.id, args.year, args.file, current_actor())
        print(result.summary)
        return
    with db.reading() as session:
        ward = profile.require_profile(session)
        estimate = budget.year_budget(session, ward.id, args.year)
    if args.json:
        _print_json(budget.budget_json(estimate))
        return
    for group in estimate.groups:
        print(f"{group.code}. {group.title}: {vntext.format_number(group.subtotal)} đồng")
        for line in group.lines:
            print(f"  {line.number}. {line.content}: {vntext.format_number(line.amount)} đồng")
    print(f"Tổng cộng năm {estimate.year}: {vntext.format_number(estimate.total)} đồng "
          f"({estimate.total_in_words}).")


# Each printable document: how to build it from a session (reportlab is imported only when
# printing), returning the writer and what to say once it is written.

def _recognition_decision(session, ward_id: int, args):
    from antq_desktop.reports.recognition_decision import render_recognition_decision

    decision_id = antt_decision.decision_for_printing(session, ward_id, args.year, current_actor())
    document = antt_decision.recognition_document(session, decision_id)
    return (lambda out: render_recognition_decision(document, out),
            lambda _: f"quyết định công nhận năm {args.year}")


def _certificates(session, ward_id: int, args):
    from antq_desktop.reports.certificate import render_certificates

    decision_id = antt_decision.decision_for_printing(session, ward_id, args.year, current_actor())
    certificates = antt_decision.certificates(session, decision_id)
    layout = antt_decision.certificate_layout(session, ward_id, args.blank_form)
    return (lambda out: render_certificates(certificates, out, layout),
            lambda pages: f"{pages} giấy công nhận năm {args.year}")


def _classification_decision(session, ward_id: int, args):
    from antq_desktop.reports.classification_decision import (
        render_classification_decision,
    )

    decision_id = classification_decision.decision_for_printing(session, ward_id, args.year, current_actor())
    document = classification_decision.classification_document(session, decision_id)
    return (lambda out: render_classification_decision(document, out),
            lambda _: f"quyết định phân loại phong trào năm {args.year}")


def _classification_proposal(session, ward_id: int, args):
    from antq_desktop.reports.classification_proposal import (
        render_classification_proposal,
    )

    document = classification_documents.classification_proposal(session, ward_id, args.year)
    return (lambda out: render_classification_proposal(document, out),
            lambda _: f"tờ trình đề nghị phân loại phong trào năm {args.year}")


def _score_list(session, ward_id: int, args):
    from antq_desktop.reports.score_list import render_score_list

    document = classification_documents.score_list(session, ward_id, args.year)
    return (lambda out: render_score_list(document, out),
            lambda _: f"thống kê danh sách chấm điểm năm {args.year}")


def _inspection_minutes(session, _ward_id: int, args):
    pdf = inspections.inspection_minutes_pdf(session, args.inspection)
    return (lambda out: out.write(pdf), lambda _: f"biên bản kiểm tra số hiệu {args.inspection}")


def _roster(session, ward_id: int, args):
    from antq_desktop.services import core_forces

    kind = next((kind for kind in ForceKind if kind.cli_name == args.kind), None)
    pdf = core_forces.roster_pdf(session, ward_id, args.year, kind=kind)
    return (lambda out: out.write(pdf), lambda _: f"danh sách lực lượng nòng cốt năm {args.year}")


def _budget(session, ward_id: int, args):
    from antq_desktop.services import budget

    pdf = budget.budget_pdf(session, ward_id, args.year)
    return (lambda out: out.write(pdf), lambda _: f"dự trù kinh phí năm {args.year}")


def _task_table(session, ward_id: int, args):
    from antq_desktop.services import tasks

    pdf = tasks.task_table_pdf(session, ward_id, args.year)
    return (lambda out: out.write(pdf), lambda _: f"biểu phân công nhiệm vụ năm {args.year}")


def _annual_report(session, ward_id: int, args):
    from antq_desktop.services import year_report

    period = year_report.HALF if args.six_months else year_report.YEAR
    pdf = year_report.report_pdf(session, ward_id, args.year, period)
    return (lambda out: out.write(pdf), lambda _: year_report.title(args.year, period).lower())


_DOCUMENTS = {"recognition-decision": _recognition_decision, "certificates": _certificates,
              "classification-decision": _classification_decision,
              "classification-proposal": _classification_proposal, "score-list": _score_list,
              "inspection-minutes": _inspection_minutes, "roster": _roster, "budget": _budget,
              "task-table": _task_table, "annual-report": _annual_report}


def _cmd_print(db, args) -> None:
    with db.reading() as session:  # a decision drafted only for this print is not kept
        ward = profile.require_profile(session)
        write, written = _DOCUMENTS[args.document](session, ward.id, args)
    result = write_atomically(args.out, write)
    print(f"Đã ghi {written(result)}: {args.out}")


# ---- accounts ----------------------------------------------------------------------------------

def _sign_in(db, args) -> None:
    """On a database with accounts, sign ``--user`` in before any command runs."""
    with db.reading() as session:
        has_accounts = accounts.has_accounts(session)
    if not has_accounts:
        if args.user:
            print("Tệp dữ liệu này chưa có tài khoản người dùng nào: không cần --user.", file=sys.stderr)
        return
    if not args.user:
        raise UserError(f"Tệp dữ liệu này có tài khoản người dùng: hãy đăng nhập bằng --user TÊN, với mật khẩu "
                        f"đặt trong biến môi trường {accounts.PASSWORD_ENV} (hoặc nhập khi được hỏi).")
    password = _password(accounts.PASSWORD_ENV, "Mật khẩu: ",
                         f"Chưa có mật khẩu: hãy đặt biến môi trường {accounts.PASSWORD_ENV}, hoặc chạy lệnh "
                         "trong cửa sổ dòng lệnh để nhập mật khẩu khi được hỏi.")
    accounts.sign_in_and_remember(db, args.user, password)


def _password(variable: str, prompt: str, missing: str) -> str:
    """The password from ``variable``, else typed at the terminal (never echoed)."""
    if variable in os.environ:
        return os.environ[variable]
    if not sys.stdin or not sys.stdin.isatty():
        raise UserError(missing)
    try:
        return getpass.getpass(prompt)
    except (EOFError, KeyboardInterrupt):
        raise UserError("Đã huỷ việc nhập mật khẩu.") from None


def _new_password(username: str) -> str:
    missing = (f"Chưa có mật khẩu cho tài khoản mới: hãy đặt biến môi trường {NEW_PASSWORD_ENV}, hoặc chạy lệnh "
               "trong cửa sổ dòng lệnh để nhập mật khẩu khi được hỏi.")
    if NEW_PASSWORD_ENV in os.environ:
        return os.environ[NEW_PASSWORD_ENV]
    password = _password(NEW_PASSWORD_ENV, "Mật khẩu của tài khoản mới: ", missing)
    accounts.check_password(password, username)  # say it now, not after the second typing
    if _password(NEW_PASSWORD_ENV, "Nhập lại mật khẩu: ", missing) != password:
        raise UserError("Hai lần nhập mật khẩu không giống nhau; tài khoản chưa được tạo.")
    return password


def _cmd_users(db, args) -> None:
    if args.action == "add":
        _add_user(db, args)
        return
    with db.reading() as session:
        rows = accounts.list_users(session)
    if args.json:
        _print_json([{**asdict(row), "role": row.role.value, "role_label": row.role.label} for row in rows])
        return
    for row in rows:
        state = "đang dùng" if row.active else "ngừng sử dụng"
        print(f"{row.id}\t{row.username}\t{row.full_name}\t{row.role.label}\t{state}")
    print(f"Cộng: {len(rows)} tài khoản", file=sys.stderr)


def _add_user(db, args) -> None:
    role = Role(args.role)
    with db.reading() as session:
        first = not accounts.has_accounts(session)
    if first and role is not Role.QUAN_TRI:
        raise UserError("Tệp dữ liệu này chưa có tài khoản nào: tài khoản đầu tiên phải là tài khoản quản trị "
                        "(--role quan_tri).")
    password = _new_password(args.name)
    with db.transaction() as session:
        if first:
            row = accounts.create_first_admin(session, args.name, args.full_name, password)
        else:
            row = accounts.add_user(session, args.name, args.full_name, role, password, current_actor())
    print(f"Đã thêm tài khoản “{row.username}” ({row.role.label}).")


_COMMANDS = {"init": _cmd_init, "demo": _cmd_demo, "profile": _cmd_profile, "units": _cmd_units,
             "budget": _cmd_budget, "stats": _cmd_stats, "print": _cmd_print, "users": _cmd_users}
_COMMANDS.update(cli_maintenance.COMMANDS)
_COMMANDS.update(cli_package.COMMANDS)
_COMMANDS.update(cli_workbook.COMMANDS)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # a Windows console may not default to UTF-8
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    args = _build_parser().parse_args(argv)
    setup_logging()  # a failed upgrade's message points to antq.log: it must be written there
    args.db = connection.target_or_setting(args.db)  # without --db: this PC's setting (Kết nối máy chủ dữ liệu…)
    code = 0
    try:
        try:
            db = open_database(args.db)
        except UserError:
            if args.command not in cli_maintenance.WITHOUT_DATABASE:
                raise
            # `antq restore` is needed most when the file cannot be opened (damaged): it works on the file itself
            return cli_maintenance.WITHOUT_DATABASE[args.command](args) or 0
        try:
            _sign_in(db, args)
            code = _COMMANDS[args.command](db, args) or 0
        finally:
            identity.sign_out()
            db.close()
    except UserError as error:
        print(f"Lỗi: {error.message}", file=sys.stderr)
        return 1
    except BrokenPipeError:  # the reader (e.g. `| head`) stopped early: not an error
        sys.stderr.close()
    return code


if __name__ == "__main__":
    sys.exit(main())
