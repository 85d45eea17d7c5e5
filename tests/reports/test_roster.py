"""The printed roster of the core forces, read back from the PDF."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from antq_desktop.db.models import Unit
from antq_desktop.errors import UserError
from antq_desktop.reports.data import Signer
from antq_desktop.reports.roster import (
    Roster,
    RosterMember,
    RosterTeam,
    joined_text,
    render_roster,
    training_text,
)
from antq_desktop.services import core_forces
from antq_desktop.services import profile as profile_service
from tests.reports.report_samples import POLICE

SIGNER_TITLE = "TRƯỞNG CÔNG AN PHƯỜNG"


def _member(name: str, role: str, trainings: int = 1, equipment: tuple[str, ...] = ("Trang phục",),
            left_on: date | None = None) -> RosterMember:
    return RosterMember(name, 1980, "Nam", role, "0912345678", date(2024, 1, 5), left_on, trainings, 4 * trainings,
                        equipment)


def _roster() -> Roster:
    first = RosterTeam("Tổ bảo vệ an ninh, trật tự Tổ dân phố 2", (
        _member("Trần Văn Anh", "Tổ trưởng"), _member("Lê Thị Bình", "Tổ phó", equipment=()),
        _member("Nguyễn Thị An", "Tổ viên", trainings=0), _member("Phạm Văn Ánh", "Tổ viên", trainings=2,
                                                                     left_on=date(2026, 6, 30)),
    ))
    second = RosterTeam("Đội dân phòng phường Minh Xuân", (
        _member("Hoàng Văn Long", "Đội trưởng", equipment=("Trang phục", "Bình chữa cháy (2)")),
        _member("Đỗ Thị Mai", "Đội viên"),
    ))
    return Roster(issuer=POLICE, signer=Signer(None, SIGNER_TITLE, "Nguyễn Đức Huy"), issued_on=date(2026, 11, 22),
                  year=2026, subject="Thành viên các lực lượng nòng cốt bảo vệ an ninh, trật tự năm 2026",
                  reference_day=date(2026, 11, 22), teams=(first, second))


@pytest.fixture(scope="module")
def sample(pdf_dir):
    path = pdf_dir / "roster.pdf"
    render_roster(_roster(), path)
    return path


def _order(text: str, *phrases: str) -> list[int]:
    return [text.index(phrase) for phrase in phrases]


def test_the_roster_is_a_landscape_police_list_with_a_section_per_team(pdf, sample):
    text = pdf.flat(pdf.text(sample, layout=False))
    assert pdf.page_size(sample) == (842, 595)
    assert all(emb == "yes" for _name, emb in pdf.fonts(sample))
    assert "CÔNG AN TỈNH TUYÊN QUANG" in text and "CÔNG AN PHƯỜNG MINH XUÂN" in text
    assert "Minh Xuân, ngày 22 tháng 11 năm 2026" in text
    assert "DANH SÁCH Thành viên các lực lượng nòng cốt bảo vệ an ninh, trật tự năm 2026" in text
    assert ("Năm 2026 có 6 thành viên trong 2 tổ, đội; đã được huấn luyện 5 người (83,3%), đã được trang bị 5 "
            "người (83,3%).") in text
    for heading in ("TT", "Họ và tên", "Năm sinh", "Giới tính", "Chức danh", "Điện thoại", "Ngày tham gia",
                    "Huấn luyện năm 2026", "Trang bị"):
        assert heading in text
    positions = _order(text, "I. Tổ bảo vệ an ninh, trật tự Tổ dân phố 2 (4 người)", "Trần Văn Anh", "Lê Thị Bình",
                       "Nguyễn Thị An", "Phạm Văn Ánh", "II. Đội dân phòng phường Minh Xuân (2 người)",
                       "Hoàng Văn Long", "Đỗ Thị Mai", SIGNER_TITLE, "Nguyễn Đức Huy")
    assert positions == sorted(positions)
    assert "1 Hoàng Văn Long 1980 Nam Đội trưởng" in text   # TT starts again in each team
    assert "Trang phục, Bình chữa cháy (2)" in text
    assert "Thôi: 30/06/2026" in text
    assert "tại ngày 22/11/2026" in text


def test_cell_texts():
    assert training_text(_member("A", "Tổ viên", trainings=0)) == "Chưa"
    assert training_text(_member("A", "Tổ viên", trainings=2)) == "2 buổi, 8 giờ"
    assert joined_text(_member("A", "Tổ viên")) == "05/01/2024"
    assert joined_text(_member("A", "Tổ viên", left_on=date(2026, 6, 30))) == "05/01/2024\nThôi: 30/06/2026"


def test_the_demo_roster_lists_each_team_leaders_first_then_by_name(pdf, demo_db, tmp_path):
    with demo_db.transaction() as session:
        ward_id = profile_service.require_profile(session).id
        core_forces.add_demo_forces(session, ward_id, 2026, "kiểm thử", date(2026, 11, 22))
    with demo_db.transaction() as session:
        unit_id = session.scalar(select(Unit.id).where(Unit.name == "Tổ dân phố 3"))
        rows = core_forces.list_members(session, ward_id, 2026, unit_id=unit_id)
        one = tmp_path / "one.pdf"
        one.write_bytes(core_forces.roster_pdf(session, ward_id, 2026, unit_id))
        every = tmp_path / "every.pdf"
        every.write_bytes(core_forces.roster_pdf(session, ward_id, 2026))
    text = pdf.flat(pdf.text(one, layout=False))
    assert "DANH SÁCH Thành viên Tổ bảo vệ an ninh, trật tự Tổ dân phố 3 năm 2026" in text
    assert "Tổ bảo vệ an ninh, trật tự Tổ dân phố 3 (" in text and "I. " not in text
    assert rows[0].role == "Tổ trưởng"
    positions = _order(text, *(row.full_name for row in rows))
    assert positions == sorted(positions)
    whole = pdf.flat(pdf.text(every, layout=False))
    teams = _order(whole, "I. Tổ bảo vệ an ninh, trật tự Tổ dân phố 1 (", "II. Tổ bảo vệ an ninh, trật tự Tổ dân phố 2 (",
                   "X. Tổ bảo vệ an ninh, trật tự Tổ dân phố 10 (", "Lực lượng bảo vệ Trường THCS Minh Xuân",
                   "Đội dân phòng phường Minh Xuân (8 người)")
    assert teams == sorted(teams)
    assert pdf.page_count(every) > 3


def test_nothing_to_print_says_so(demo_db):
    with demo_db.transaction() as session:
        ward_id = profile_service.require_profile(session).id
        with pytest.raises(UserError, match="chưa có thành viên nào"):
            core_forces.roster_pdf(session, ward_id, 2026)
