"""A year of the demo ward to put in a year-end workbook, and a workbook edited the way an officer
edits it in Excel or LibreOffice Calc (values typed in cells, rows added below the data), for the
service, CLI and window tests of the workbook."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import openpyxl
from sqlalchemy import select

from antq_desktop import identity
from antq_desktop.db.models import Base
from antq_desktop.domain.events import ActivityKind
from antq_desktop.domain.forces import ForceKind, ForceLevel, Gender
from antq_desktop.domain.inspections import InspectionKind
from antq_desktop.domain.roles import Role
from antq_desktop.services import accounts, core_forces, events, forces, inspections
from tests.services.antt_helpers import ACTOR, AnttWard

YEAR = 2025


def build_year(db) -> AnttWard:
    """The demo ward's 2025 (its classification scores are there already): three registrations,
    one of them assessed, an inspection made and one planned, two members, a rating, two activities."""
    ward = AnttWard(db)
    for name, day in (("Tổ dân phố 1", date(2025, 3, 10)), ("Tổ dân phố 2", date(2025, 3, 10)),
                      ("Trường THCS Minh Xuân", date(2025, 2, 1))):
        ward.register(name, YEAR, day)
    ward.assess(ward.record_id("Tổ dân phố 2", YEAR), meeting_on=date(2025, 10, 20))
    visited = inspections.InspectionInput(
        unit_id=ward.unit_id("Tổ dân phố 3"), kind=InspectionKind.KIEM_TRA, planned_on=date(2025, 5, 5),
        planned_by="Đoàn kiểm tra Công an phường", visited_on=date(2025, 5, 5), started_at="08:00", ended_at="10:00",
        findings="Sổ theo dõi tạm trú chưa cập nhật.", minutes_number="3")
    ward.ward_call(inspections.add_inspection, YEAR, visited, ACTOR, date(2025, 12, 31))
    ward.ward_call(inspections.plan_inspection, YEAR, ward.unit_id("Tổ dân phố 4"), InspectionKind.HUONG_DAN,
                   date(2025, 12, 10), "Cảnh sát khu vực", ACTOR)
    ward.ward_call(core_forces.add_member, core_forces.MemberInput(
        ForceKind.TO_BAO_VE, "Nguyễn Văn An", ward.unit_id("Tổ dân phố 1"), 1980, Gender.NAM, "Tổ trưởng",
        "0912000111", date(2020, 1, 1)), ACTOR)
    ward.ward_call(core_forces.add_member, core_forces.MemberInput(
        ForceKind.DAN_PHONG, "Trần Thị Bình", None, 1990, Gender.NU, "Đội viên", "", date(2021, 6, 1)), ACTOR)
    ward.ward_call(forces.set_force_rating, YEAR, ward.unit_id("Tổ dân phố 1"), ForceLevel.HOAN_THANH_TOT, "", ACTOR)
    ward.ward_call(events.add_activity, events.ActivityInput(
        date(2025, 6, 5), ActivityKind.HOI_NGHI, "Hội nghị tuyên truyền phòng, chống tội phạm", None, 120), ACTOR)
    ward.ward_call(events.add_activity, events.ActivityInput(
        date(2025, 8, 19), ActivityKind.LOA, "Phát thanh về Ngày hội toàn dân bảo vệ ANTQ",
        ward.unit_id("Tổ dân phố 2"), 500), ACTOR)
    return ward


VIEWER, OFFICER, PASSWORD = "lanhdao", "canbo", "mật khẩu đủ dài"


def add_accounts(db) -> dict[str, identity.SignedIn]:
    """Accounts on the file (an administrator, a viewer "chỉ xem" and a cán bộ), everyone signed
    out after: ``identity.sign_in_as(people[VIEWER])`` acts as the viewer. (Patch
    accounts.SCRYPT_N down first: the hash is slow on purpose.)"""
    with db.transaction() as session:
        accounts.create_first_admin(session, "quantri", "Quản trị viên", PASSWORD)
    people = {"quantri": accounts.sign_in_and_remember(db, "quantri", PASSWORD)}
    with db.transaction() as session:
        accounts.add_user(session, VIEWER, "Lãnh đạo", Role.CHI_XEM, PASSWORD, "quantri")
        accounts.add_user(session, OFFICER, "Cán bộ", Role.CAN_BO, PASSWORD, "quantri")
    for name in (VIEWER, OFFICER):
        people[name] = accounts.sign_in_and_remember(db, name, PASSWORD)
    identity.sign_out()
    return people


def dump(db) -> dict[str, list[tuple]]:
    """Every row of every table (the audit trail too): equal dumps, untouched database."""
    with db.reading() as session:
        return {table.name: sorted((tuple(row) for row in session.execute(select(table))), key=repr)
                for table in Base.metadata.sorted_tables}


class Book:
    """An exported workbook opened as Excel opens it: cells found by the sheet's headers."""

    def __init__(self, path: Path):
        self.book = openpyxl.load_workbook(path)

    def sheet(self, title: str):
        return self.book[title]

    def column(self, title: str, header: str) -> int:
        headers = [cell.value for cell in self.sheet(title)[1]]
        return headers.index(header) + 1

    def row(self, title: str, header: str, value, start: int = 2) -> int:
        """The first row from ``start`` whose ``header`` column holds ``value``."""
        sheet, column = self.sheet(title), self.column(title, header)
        for number in range(start, sheet.max_row + 1):
            if sheet.cell(number, column).value == value:
                return number
        raise LookupError(f"{title}: no row with {header} = {value!r}")

    def row_where(self, title: str, **wanted) -> int:
        """The row whose columns (by header, spaces for underscores not needed: pass a dict) hold
        every value of ``wanted`` ({header: value})."""
        sheet = self.sheet(title)
        columns = {header: self.column(title, header) for header in wanted}
        for number in range(2, sheet.max_row + 1):
            if all(sheet.cell(number, columns[header]).value == value for header, value in wanted.items()):
                return number
        raise LookupError(f"{title}: no row with {wanted!r}")

    def get(self, title: str, row: int, header: str):
        return self.sheet(title).cell(row, self.column(title, header)).value

    def set(self, title: str, row: int, header: str, value) -> None:
        self.sheet(title).cell(row, self.column(title, header)).value = value

    def last_row(self, title: str) -> int:
        """The last row with a value (the empty rows below the data have none)."""
        sheet = self.sheet(title)
        return max(number for number in range(1, sheet.max_row + 1)
                   if any(cell.value is not None for cell in sheet[number]))

    def add(self, title: str, values: dict) -> int:
        """Type a new row below the data; returns its number."""
        number = self.last_row(title) + 1
        for header, value in values.items():
            self.set(title, number, header, value)
        return number

    def save(self, path: Path) -> Path:
        self.book.save(path)
        return path


def day(year: int, month: int, day_: int) -> datetime:
    """A date as Excel hands it over (a datetime at midnight)."""
    return datetime(year, month, day_)
