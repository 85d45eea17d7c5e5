"""The papers of the ANTT dossier built from a real year on the demo database (services/antt_documents.py).

The year is made through the services only: every eligible unit registered (two registrations
then cancelled), incidents recorded, review meetings held, the passing units proposed.
"""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from antq_desktop.db.engine import open_database
from antq_desktop.domain.antt import CrimeSeverity
from antq_desktop.domain.criteria import catalogue_by_code
from antq_desktop.domain.units import UnitKind
from antq_desktop.errors import UserError
from antq_desktop.reports import data as doc
from antq_desktop.services import antt, antt_assessment
from antq_desktop.services import antt_documents as documents
from tests.services.antt_helpers import (
    ACTOR,
    MEETING_ON,
    YEAR,
    AnttWard,
    build_template,
)

CATALOGUE = catalogue_by_code("tt124-2021-sua-doi-tt48-2025")
KDC_TITLES = tuple(criterion.title for criterion in CATALOGUE.criteria("kdc"))
ELIGIBLE = 54
CANCELLED = ("Tổ dân phố 20", "Trường THCS Phan Thiết")
PROPOSED = ("Tổ dân phố 2", "Tổ dân phố 10", "Trường THPT Tân Trào", "Công ty Cổ phần Xi măng Tân Quang",
            "Ủy ban nhân dân phường Minh Xuân")
PASSED_NOT_PROPOSED = "Siêu thị Co.opmart Tuyên Quang"
FAILING = {"Tổ dân phố 5": ("1c", "4b"), "Tổ dân phố 6": ("1a",)}
ATTENDEES = ("Bí thư chi bộ: Nguyễn Văn Bình", "Trưởng Ban công tác Mặt trận: Lê Thị Lan",
             "Cảnh sát khu vực: Đại úy Trần Quang Hải")
BANK = "Ngân hàng Nông nghiệp và Phát triển Nông thôn - Chi nhánh Minh Xuân"
PARTIAL = "Trường THCS Minh Xuân"


def _answers(ward: AnttWard, record_id: int, failing=(), evidence=None, notes=None, reasons=None):
    evidence, notes, reasons = evidence or {}, notes or {}, reasons or {}
    return [antt_assessment.PointAnswer(point.code, point.code not in failing, evidence.get(point.code, ""),
                                        notes.get(point.code, ""), reasons.get(point.code, ""))
            for point in ward.view(record_id).points]


def _meet(ward: AnttWard, name: str, answers, chair: str = "Tổ trưởng", attendees: str = "",
          meeting_on: date | None = MEETING_ON):
    meeting = antt_assessment.MeetingInput(meeting_on, "Nhà văn hóa tổ dân phố", chair, attendees)
    return ward.call(antt_assessment.save_assessment, ward.record_id(name), meeting, answers, ACTOR)


def _incident(ward: AnttWard, name: str, kind: str, severity: CrimeSeverity | None, summary: str) -> None:
    data = antt.IncidentInput(occurred_on=date(2026, 5, 3), kind_code=kind, severity=severity, summary=summary)
    ward.ward_call(antt.add_incident, ward.unit_id(name), data, ACTOR)


def build_year(ward: AnttWard) -> None:
    assert ward.register_all() == ELIGIBLE
    for name in CANCELLED:
        ward.call(antt.cancel_registration, ward.record_id(name))
    record_id = ward.record_id("Tổ dân phố 3")
    ward.call(antt.update_registration, record_id,
              antt.RegistrationInput(registered_on=date(2026, 2, 20), households_registered=205, households_total=210),
              ACTOR)
    # Tổ dân phố 5: a very serious robbery makes 4b "not met"; 1c fails too.
    _incident(ward, "Tổ dân phố 5", "toi_pham", CrimeSeverity.RAT_NGHIEM_TRONG, "Cướp tài sản tại chợ Tam Cờ")
    record_id = ward.record_id("Tổ dân phố 5")
    outcome = _meet(ward, "Tổ dân phố 5", _answers(ward, record_id, FAILING["Tổ dân phố 5"],
                                                   evidence={"1a": "Nghị quyết số 02-NQ/CB ngày 15/01/2026"},
                                                   notes={"1c": "Còn 12 hộ chưa đăng ký"}),
                    attendees="\n".join(ATTENDEES))
    assert not outcome.passed
    assert not _meet(ward, "Tổ dân phố 6", _answers(ward, ward.record_id("Tổ dân phố 6"), ("1a",))).passed
    # Tổ dân phố 10: a fire proposes 4d "not met"; the meeting finds it met and says why.
    _incident(ward, "Tổ dân phố 10", "chay_no_nghiem_trong", None, "Cháy kho hàng")
    record_id = ward.record_id("Tổ dân phố 10")
    assert _meet(ward, "Tổ dân phố 10", _answers(ward, record_id, reasons={"4d": "Cháy do sét đánh"}),
                 chair="Phạm Quang Vinh").passed
    for name in (*PROPOSED, PASSED_NOT_PROPOSED):
        if name != "Tổ dân phố 10":
            assert _meet(ward, name, _answers(ward, ward.record_id(name)), chair="").passed
    assert ward.propose(PROPOSED) == len(PROPOSED)
    # Half a meeting: some answers, no date: the record stays "registered".
    record_id = ward.record_id(PARTIAL)
    _meet(ward, PARTIAL, _answers(ward, record_id)[:3], meeting_on=None)


@pytest.fixture(scope="module")
def year_template(demo_template, tmp_path_factory):
    return build_template(demo_template, tmp_path_factory.mktemp("dossier") / "year.sqlite", build_year)


@pytest.fixture
def ward(year_template, tmp_path) -> AnttWard:
    db = open_database(shutil.copy(year_template, tmp_path / "ward.sqlite"))
    yield AnttWard(db)
    db.close()


def _unit_field(ward: AnttWard, name: str, field: str):
    return ward.scalar(f"SELECT {field} FROM unit WHERE name = :name", name=name)   # field: a fixed column name


# ---- Bản đăng ký --------------------------------------------------------------------------------


def test_registration_form_of_a_residential_group(ward):
    form = ward.call(documents.registration_form, ward.record_id("Tổ dân phố 3"))
    assert form.issuer == doc.Issuer(parent="PHƯỜNG MINH XUÂN", name="TỔ DÂN PHỐ 3", place="Minh Xuân")
    assert (form.registered_on, form.year, form.unit_name, form.kind_label) == (
        date(2026, 2, 20), YEAR, "Tổ dân phố 3", "Khu dân cư")
    assert form.addressee == "Ủy ban nhân dân phường Minh Xuân"
    assert form.criteria == KDC_TITLES and len(form.criteria) == 5
    assert form.legal_basis == CATALOGUE.title
    assert (form.is_residential, form.households_registered, form.households_total) == (True, 205, 210)
    assert form.signer == doc.Signer(None, "TỔ TRƯỞNG TỔ DÂN PHỐ", _unit_field(ward, "Tổ dân phố 3", "head_name"))
    assert form.signer.name
    assert form.recipients == ("- Như trên;", "- Công an phường Minh Xuân;", "- Lưu.")


def test_registration_form_without_household_counts_takes_the_register_total(ward):
    form = ward.call(documents.registration_form, ward.record_id("Tổ dân phố 4"))
    assert form.households_registered is None
    assert form.households_total == _unit_field(ward, "Tổ dân phố 4", "households")
    assert form.registered_on == date(2026, 3, 10)


def test_registration_form_of_a_school_and_of_a_bank_branch(ward):
    school = ward.call(documents.registration_form, ward.record_id("Trường THPT Tân Trào"))
    assert school.issuer.parent == "SỞ GIÁO DỤC VÀ ĐÀO TẠO" and school.issuer.name == "TRƯỜNG THPT TÂN TRÀO"
    assert school.criteria == tuple(c.title for c in CATALOGUE.criteria("giao_duc")) and len(school.criteria) == 6
    assert (school.is_residential, school.households_registered, school.households_total) == (False, None, None)
    assert school.signer.title == "HIỆU TRƯỞNG"
    bank = ward.call(documents.registration_form, ward.record_id(BANK))
    assert bank.issuer.parent is None   # no managing body recorded
    # The dash stays with the word before it when the header wraps.
    assert bank.issuer.name == "NGÂN HÀNG NÔNG NGHIỆP VÀ PHÁT TRIỂN NÔNG THÔN\u00a0- CHI NHÁNH MINH XUÂN"
    assert bank.signer.title == "GIÁM ĐỐC"


def test_registration_form_lists_the_province_extra_criteria(ward):
    ward.set_setting("antt.extra_criteria", {"kdc": [{"title": "Xây dựng camera an ninh", "text": "Có camera",
                                                      "points": ["Có camera"]}]})
    form = ward.call(documents.registration_form, ward.record_id("Tổ dân phố 4"))
    assert form.criteria == (*KDC_TITLES, "Xây dựng camera an ninh")


def test_registration_form_of_an_unknown_record(ward):
    with pytest.raises(UserError):
        ward.call(documents.registration_form, 999_999)


# ---- Biên bản họp đánh giá ----------------------------------------------------------------------


def test_minutes_of_a_failed_meeting(ward):
    minutes = ward.call(documents.review_minutes, ward.record_id("Tổ dân phố 5"))
    head = _unit_field(ward, "Tổ dân phố 5", "head_name")
    assert minutes.issuer == doc.Issuer(parent="PHƯỜNG MINH XUÂN", name="TỔ DÂN PHỐ 5", place="Minh Xuân")
    assert (minutes.meeting_on, minutes.place, minutes.year) == (MEETING_ON, "Nhà văn hóa tổ dân phố", YEAR)
    # The chair typed as a post ("Tổ trưởng") becomes the head's name and post.
    assert minutes.chair == f"{head}, Tổ trưởng tổ dân phố" and minutes.chair_name == head
    assert minutes.secretary == ""
    assert minutes.attendees == ATTENDEES
    assert minutes.period == (date(2025, 11, 1), date(2026, 10, 31))
    assert [c.number for c in minutes.criteria] == [1, 2, 3, 4, 5]
    points = {p.code: p for c in minutes.criteria for p in c.points}
    assert list(points) == list(CATALOGUE.point_codes("kdc"))
    assert all(points[code].text == CATALOGUE.point("kdc", code).text for code in points)
    assert [p.code for p in minutes.unmet] == ["1c", "4b"]
    assert minutes.result is False
    assert [c.met for c in minutes.criteria] == [False, True, True, False, True]
    assert points["1a"].evidence == "Nghị quyết số 02-NQ/CB ngày 15/01/2026" and points["1a"].met is True
    assert points["1c"].note == "Còn 12 hộ chưa đăng ký"
    # Not met and no evidence typed: the incident that fails it stands as the evidence.
    assert "Cướp tài sản tại chợ Tam Cờ" in points["4b"].evidence
    assert minutes.addressee == "Ủy ban nhân dân phường Minh Xuân"


def test_minutes_of_a_passed_meeting_keep_the_override_reason(ward):
    minutes = ward.call(documents.review_minutes, ward.record_id("Tổ dân phố 10"))
    assert minutes.result is True and minutes.unmet == ()
    assert (minutes.chair, minutes.chair_name) == ("Phạm Quang Vinh", "Phạm Quang Vinh")   # a name, kept
    point = next(p for c in minutes.criteria for p in c.points if p.code == "4d")
    assert point.met is True and point.note == "Đánh giá đạt vì: Cháy do sét đánh"


def test_minutes_without_a_chair_name_the_head(ward):
    minutes = ward.call(documents.review_minutes, ward.record_id("Trường THPT Tân Trào"))
    head = _unit_field(ward, "Trường THPT Tân Trào", "head_name")
    assert minutes.chair == f"{head}, Hiệu trưởng" and minutes.chair_name == head
    assert minutes.issuer.name == "TRƯỜNG THPT TÂN TRÀO"
    assert minutes.period == (date(2025, 11, 16), date(2026, 11, 15))
    assert len(minutes.criteria) == 6 and minutes.result is True


def test_minutes_of_an_unfinished_assessment(ward):
    minutes = ward.call(documents.review_minutes, ward.record_id(PARTIAL))
    results = [p.met for c in minutes.criteria for p in c.points]
    assert results[:3] == [True, True, True] and set(results[3:]) == {None}
    assert minutes.meeting_on is None and minutes.result is None and minutes.attendees == ()


# ---- Tờ trình -----------------------------------------------------------------------------------


def test_proposal_counts_and_lists_the_proposed_units(ward):
    proposal = ward.ward_call(documents.proposal, YEAR)
    assert proposal.issuer == doc.Issuer(parent="CÔNG AN TỈNH TUYÊN QUANG", name="CÔNG AN PHƯỜNG MINH XUÂN",
                                         place="Minh Xuân")
    assert (proposal.number, proposal.symbol, proposal.issued_on, proposal.year) == ("", "TTr-CAP", None, YEAR)
    assert proposal.addressee == "Chủ tịch Ủy ban nhân dân phường Minh Xuân"
    assert proposal.proposer == "Công an phường Minh Xuân" and proposal.ward_title == "phường Minh Xuân"
    assert (proposal.eligible, proposal.registered) == (ELIGIBLE, ELIGIBLE - len(CANCELLED))
    assert proposal.assessed == len(PROPOSED) + 1 + len(FAILING)
    assert proposal.met_criteria == len(PROPOSED) + 1   # the passed unit not (yet) proposed counts here only
    assert [(u.name, u.kind_label) for u in proposal.units] == [
        ("Tổ dân phố 2", "Khu dân cư"), ("Tổ dân phố 10", "Khu dân cư"),
        ("Ủy ban nhân dân phường Minh Xuân", "Cơ quan"),
        ("Công ty Cổ phần Xi măng Tân Quang", "Doanh nghiệp"),
        ("Trường THPT Tân Trào", "Cơ sở giáo dục"),
    ]
    assert all(unit.address for unit in proposal.units)
    assert proposal.signer == doc.Signer(None, "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy")
    assert proposal.bases[0].startswith("Căn cứ Thông tư số 124/2021/TT-BCA ngày 28 tháng 12 năm 2021")
    assert proposal.bases[1].startswith("Căn cứ Thông tư số 48/2025/TT-BCA")
    assert proposal.bases[-1].endswith("trên địa bàn phường Minh Xuân.")
    assert all(line.endswith(";") for line in proposal.bases[:-1])


def test_proposal_follows_settings_date_and_recognised_units(ward):
    ward.set_setting("antt.decision_form", "ubnd")
    ward.set_profile("police_doc_suffix", "CAP-TH")
    ward.draft_and_issue("125", date(2026, 11, 18))   # the proposed units become recognised
    proposal = ward.ward_call(documents.proposal, YEAR, issued_on=date(2026, 11, 5))
    assert proposal.addressee == "Ủy ban nhân dân phường Minh Xuân"
    assert proposal.symbol == "TTr-CAP-TH" and proposal.issued_on == date(2026, 11, 5)
    assert [u.name for u in proposal.units] == ["Tổ dân phố 2", "Tổ dân phố 10", "Ủy ban nhân dân phường Minh Xuân",
                                                "Công ty Cổ phần Xi măng Tân Quang", "Trường THPT Tân Trào"]


def test_proposal_before_2025_cites_no_amendment(ward):
    ward.register("Tổ dân phố 3", year=2024, registered_on=date(2024, 3, 1))
    record_id = ward.record_id("Tổ dân phố 3", 2024)
    meeting = antt_assessment.MeetingInput(date(2024, 10, 20), "Nhà văn hóa", "", "")
    ward.call(antt_assessment.save_assessment, record_id, meeting, _answers(ward, record_id), ACTOR)
    ward.call(antt_assessment.propose, [record_id], date(2024, 11, 1), ACTOR)
    proposal = ward.ward_call(documents.proposal, 2024)
    assert not any("48/2025" in line for line in proposal.bases)
    assert [u.name for u in proposal.units] == ["Tổ dân phố 3"]
    assert (proposal.registered, proposal.assessed, proposal.met_criteria) == (1, 1, 1)


def test_proposal_with_nothing_proposed_is_refused(ward):
    with pytest.raises(UserError, match="2027"):
        ward.ward_call(documents.proposal, 2027)


# ---- Danh sách chưa đăng ký, chưa đạt -----------------------------------------------------------


def test_outstanding_list(ward):
    outstanding = ward.ward_call(documents.outstanding_list, YEAR, today=date(2026, 11, 20))
    assert outstanding.issuer.name == "CÔNG AN PHƯỜNG MINH XUÂN" and outstanding.issued_on == date(2026, 11, 20)
    assert [(u.name, u.kind_label, u.reasons) for u in outstanding.unregistered] == [
        ("Tổ dân phố 20", "Khu dân cư", ()), ("Trường THCS Phan Thiết", "Cơ sở giáo dục", ())]
    assert [u.name for u in outstanding.not_passed] == ["Tổ dân phố 5", "Tổ dân phố 6"]
    five = outstanding.not_passed[0]
    assert five.reasons == tuple(f"{code}: {CATALOGUE.point('kdc', code).text}" for code in ("1c", "4b"))
    assert five.reasons[1].startswith("4b: Không xảy ra tội phạm từ mức nghiêm trọng trở lên")
    assert outstanding.not_passed[1].reasons == (f"1a: {CATALOGUE.point('kdc', '1a').text}",)
    assert outstanding.signer == doc.Signer(None, "TRƯỞNG CÔNG AN PHƯỜNG", "Nguyễn Đức Huy")


def test_outstanding_list_after_the_decision_and_for_a_year_without_records(ward):
    ward.draft_and_issue("125", date(2026, 11, 18))   # the failed units become "not recognised"
    outstanding = ward.ward_call(documents.outstanding_list, YEAR)
    assert [u.name for u in outstanding.not_passed] == ["Tổ dân phố 5", "Tổ dân phố 6"]
    assert outstanding.issued_on == date.today()
    empty_year = ward.ward_call(documents.outstanding_list, 2027)
    assert len(empty_year.unregistered) == ELIGIBLE and empty_year.not_passed == ()
    kinds = [u.kind_label for u in empty_year.unregistered]
    assert kinds == sorted(kinds, key=[k.label for k in UnitKind].index)   # grouped by kind, in kind order
