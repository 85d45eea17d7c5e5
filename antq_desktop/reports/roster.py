"""The roster of the core forces: "Danh sách thành viên Tổ bảo vệ an ninh, trật tự …" of a year.

Issued by the ward police (ND30 frame, landscape for the wide table, which ND30 allows): the
header, "DANH SÁCH" and its trích yếu, a count of members trained and equipped, then one table
with a sub-heading per team (TT restarts in each team) and the police chief's signature.
Columns: TT | Họ và tên | Năm sinh | Giới tính | Chức danh | Điện thoại | Ngày tham gia |
Huấn luyện năm N | Trang bị. Members come in the order given (leaders first, then by name).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from reportlab.lib.styles import ParagraphStyle

from antq_desktop.domain.vntext import format_date, format_number, format_percent
from antq_desktop.reports import frame
from antq_desktop.reports.data import Issuer, Signer
from antq_desktop.reports.fonts import ITALIC, nfc
from antq_desktop.reports.unit_list import roman

NOTHING = "Chưa"   # no training this year, no equipment held


@dataclass(frozen=True)
class RosterMember:
    full_name: str
    birth_year: int | None
    gender: str                 # "Nam", "Nữ" or ""
    role: str
    phone: str
    joined_on: date | None
    left_on: date | None        # set when the member left during the year
    trainings: int              # trainings attended in the year
    training_hours: int
    equipment: tuple[str, ...]  # items held on the reference day, "Gậy cao su (2)"


@dataclass(frozen=True)
class RosterTeam:
    title: str                  # "Tổ bảo vệ an ninh, trật tự Tổ dân phố 3"
    members: tuple[RosterMember, ...]


@dataclass(frozen=True)
class Roster:
    issuer: Issuer
    signer: Signer
    issued_on: date | None
    year: int
    subject: str                # trích yếu: "Thành viên Tổ bảo vệ an ninh, trật tự Tổ dân phố 3 năm 2026"
    reference_day: date         # equipment is what members hold on this day
    teams: tuple[RosterTeam, ...]
    recipients: tuple[str, ...] = ("- Lưu: VT.",)


def columns(year: int) -> tuple[frame.Column, ...]:
    """Weights in mm of the 252 mm landscape text width."""
    return (
        frame.Column("TT", 10, "CENTER"), frame.Column("Họ và tên", 46), frame.Column("Năm sinh", 16, "CENTER"),
        frame.Column("Giới tính", 16, "CENTER"), frame.Column("Chức danh", 30), frame.Column("Điện thoại", 26),
        frame.Column("Ngày tham gia", 26, "CENTER"), frame.Column(f"Huấn luyện năm {year}", 30),
        frame.Column("Trang bị", 52),
    )


def render_roster(data: Roster, out) -> None:
    """Write the roster to ``out`` (path or binary file)."""
    story = [
        frame.header_block(data.issuer, None, None, data.issued_on, data.year),
        *frame.title_block("DANH SÁCH", data.subject),
        *frame.body_block([summary(data)]),
        _table(data),
        frame.para(_equipment_note(data), ParagraphStyle("note", frame.STYLES["cell"], fontName=ITALIC)),
        frame.signature_block(data.signer, data.recipients, landscape=True),
    ]
    frame.build_pdf(out, story, landscape=True, title=nfc(f"Danh sách {data.subject}"),
                    author=data.issuer.name.replace("\n", " "))


def _members(data: Roster) -> list[RosterMember]:
    return [member for team in data.teams for member in team.members]


def summary(data: Roster) -> str:
    """"Năm 2026 có 95 thành viên trong 29 tổ, đội; đã huấn luyện 80 người (84,2%), …"."""
    members = _members(data)
    total = len(members)
    if not total:
        return f"Năm {data.year} chưa có thành viên nào."
    trained = sum(member.trainings > 0 for member in members)
    equipped = sum(bool(member.equipment) for member in members)
    teams = f" trong {format_number(len(data.teams))} tổ, đội" if len(data.teams) > 1 else ""
    return (f"Năm {data.year} có {format_number(total)} thành viên{teams}; đã được huấn luyện "
            f"{format_number(trained)} người ({_percent(trained, total)}), đã được trang bị {format_number(equipped)} "
            f"người ({_percent(equipped, total)}). Cụ thể như sau:")


def _percent(part: int, whole: int) -> str:
    share = 100 * part / whole
    return format_percent(share, 0 if share.is_integer() else 1)


def _equipment_note(data: Roster) -> str:
    return (f"Cột \u201cTrang bị\u201d: trang bị thành viên đang giữ tại ngày {format_date(data.reference_day)} "
            "(người đã thôi tham gia: tại ngày thôi tham gia).")


def training_text(member: RosterMember) -> str:
    if not member.trainings:
        return NOTHING
    hours = f", {format_number(member.training_hours)} giờ" if member.training_hours else ""
    return f"{member.trainings} buổi{hours}"


def joined_text(member: RosterMember) -> str:
    joined = format_date(member.joined_on)
    return f"{joined}\nThôi: {format_date(member.left_on)}" if member.left_on else joined


def _row(number: int, member: RosterMember) -> tuple[str, ...]:
    return (str(number), member.full_name, str(member.birth_year or ""), member.gender, member.role, member.phone,
            joined_text(member), training_text(member), ", ".join(member.equipment) or NOTHING)


def _table(data: Roster):
    rows: list = []
    for group, team in enumerate(data.teams, start=1):
        number = f"{roman(group)}. " if len(data.teams) > 1 else ""
        rows.append(frame.GroupRow(f"{number}{team.title} ({format_number(len(team.members))} người)"))
        rows += [_row(number, member) for number, member in enumerate(team.members, start=1)]
    return frame.table_block(columns(data.year), rows, landscape=True, size=12)
