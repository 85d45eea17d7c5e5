"""The chairman's recognition decision: draft, edit, issue, correct, the documents it prints, and the
atomic writing of the printed file, on real databases."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date

import pytest

from antq_desktop.db.engine import open_database
from antq_desktop.domain.antt_stage import Stage
from antq_desktop.errors import UserError
from antq_desktop.reports.frame import document_number
from antq_desktop.services import antt, antt_assessment, antt_decision
from antq_desktop.services import units as unit_service
from antq_desktop.services.output import write_atomically
from tests.services.antt_helpers import (
    ACTOR,
    EXPECTED_LIST,
    FAILED,
    ISSUED_ON,
    PASSED,
    YEAR,
    AnttWard,
    build_template,
    prepare_year,
)

ISSUED_REFERENCE = "số 125/QĐ-UBND ngày 18/11/2026"


@pytest.fixture(scope="module")
def prepared_template(demo_template, tmp_path_factory):
    """The demo ward in 2026: 54 registered, the PASSED units proposed, Tổ dân phố 5 assessed as failing."""
    return build_template(demo_template, tmp_path_factory.mktemp("decision") / "prepared.sqlite", prepare_year)


@pytest.fixture
def ward(prepared_template, tmp_path) -> AnttWard:
    db = open_database(shutil.copy(prepared_template, tmp_path / "ward.sqlite"))
    yield AnttWard(db)
    db.close()


@pytest.fixture
def issued(ward) -> int:
    """Decision 125/QĐ-UBND of 18/11/2026, issued."""
    return ward.draft_and_issue("125", ISSUED_ON)


def _listed(view) -> list[tuple[str, str]]:
    return [(unit.name, unit.kind_label) for unit in view.units]


def _stages(ward: AnttWard) -> dict[str, Stage | None]:
    return {row.name: row.stage for row in ward.overview()}


# ---- drafting --------------------------------------------------------------------------------


def test_draft_is_filled_from_the_profile(ward):
    ward.set_profile("doc_number_year", "2026")
    ward.set_profile("next_ubnd_doc_number", "125")
    view = ward.decision(ward.draft())
    assert (view.number, view.symbol, view.year, view.issued_on, view.issued) == ("125", "QĐ-UBND", YEAR, None, False)
    assert (view.signer_authority, view.signer_title, view.signer_name) == ("", "CHỦ TỊCH", "Hoàng Văn Thắng")
    assert view.replaces == ""
    assert view.recipients[0] == "- Như Điều 3;" and view.recipients[-1] == "- Lưu: VT, CA."
    assert _listed(view) == list(EXPECTED_LIST)


def test_draft_number_follows_the_profile_series_of_a_year_not_set(ward):
    ward.set_profile("next_ubnd_doc_number", "40")  # the demo profile has no series year yet
    assert ward.decision(ward.draft()).number == "40"


def test_draft_number_restarts_at_1_when_the_series_is_of_another_year(ward):
    ward.set_profile("doc_number_year", "2025")
    ward.set_profile("next_ubnd_doc_number", "300")
    assert ward.decision(ward.draft()).number == "1"


def test_default_bases_after_the_2025_reform(ward):
    bases = ward.decision(ward.draft()).bases
    assert any("124/2021/TT-BCA" in line for line in bases)
    assert any("48/2025/TT-BCA" in line for line in bases)
    assert "ngày 16 tháng 6 năm 2025" in bases[0]
    assert bases[-1] == "Xét đề nghị của Trưởng Công an phường Minh Xuân."
    assert all(line.endswith(";") for line in bases[:-1])


def test_default_bases_of_2024_cite_the_2015_law_and_not_the_amendment(ward):
    bases = ward.decision(ward.draft(2024)).bases
    assert "ngày 19 tháng 6 năm 2015" in bases[0]
    assert any("124/2021/TT-BCA" in line for line in bases)
    assert not any("48/2025" in line for line in bases)
    assert not any("16 tháng 6 năm 2025" in line for line in bases)


def test_a_second_draft_for_the_same_year_is_refused(ward):
    first = ward.draft()
    with pytest.raises(UserError, match="Đã có một dự thảo"):
        ward.draft()
    assert ward.scalar("SELECT count(*) FROM decision") == 1
    ward.draft(2025)  # another year has its own draft
    assert [view.id for view in ward.ward_call(antt_decision.year_decisions, YEAR)] == [first]


# ---- editing ---------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["12a", "12/QĐ", "-5", "1 2", "1²"])
def test_a_number_that_is_not_plain_digits_is_refused(ward, number):
    decision_id = ward.draft()
    with pytest.raises(UserError, match="chỉ gồm chữ số"):
        ward.edit_decision(decision_id, number=number)
    assert ward.decision(decision_id).number == "1"


def test_an_issue_date_in_another_year_is_refused(ward):
    decision_id = ward.draft()
    for day in (date(2025, 12, 31), date(2027, 1, 1)):
        with pytest.raises(UserError, match="phải thuộc năm 2026"):
            ward.edit_decision(decision_id, issued_on=day)
    assert ward.decision(decision_id).issued_on is None


def test_edit_cleans_what_is_typed(ward):
    decision_id = ward.draft()
    ward.edit_decision(decision_id, number=" 0125 ", issued_on=ISSUED_ON, signer_authority="kt. chủ tịch",
                       signer_title="phó chủ tịch", signer_name="  Lê   Văn Tám ",
                       bases=("Căn cứ A;", "   ", "Xét đề nghị B."), recipients=("- Lưu: VT.",))
    view = ward.decision(decision_id)
    assert (view.number, view.issued_on) == ("125", ISSUED_ON)
    assert (view.signer_authority, view.signer_title, view.signer_name) == ("KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH",
                                                                            "Lê Văn Tám")
    assert (view.bases, view.recipients) == (("Căn cứ A;", "Xét đề nghị B."), ("- Lưu: VT.",))


def test_a_stale_edit_is_refused(ward):
    decision_id = ward.draft()
    view = ward.decision(decision_id)
    data = antt_decision.DecisionInput(view.number, None, "", "CHỦ TỊCH", "Người khác", view.bases, view.recipients)
    ward.call(antt_decision.update_decision, decision_id, data, ACTOR, expected_version=view.version)
    with pytest.raises(UserError, match="người khác sửa"):
        ward.call(antt_decision.update_decision, decision_id, replace(data, signer_name="Tôi"), ACTOR,
                  expected_version=view.version)
    assert ward.decision(decision_id).signer_name == "Người khác"


# ---- issuing ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "missing"),
    [({"issued_on": None}, "ngày ban hành"), ({"number": ""}, "số quyết định"),
     ({"signer_name": ""}, "họ tên người ký")],
)
def test_issue_needs_number_date_and_signer(ward, changes, missing):
    decision_id = ward.draft()
    ward.edit_decision(decision_id, **{"number": "125", "issued_on": ISSUED_ON, **changes})
    before = _stages(ward)
    with pytest.raises(UserError, match=missing):
        ward.issue(decision_id)
    assert ward.decision(decision_id).issued is False
    assert _stages(ward) == before
    assert ward.scalar("SELECT count(*) FROM decision_unit") == 0


def test_a_fresh_draft_cannot_be_issued_without_its_date(ward):
    decision_id = ward.draft()
    with pytest.raises(UserError, match="ngày ban hành"):
        ward.issue(decision_id)


def test_issue_with_no_proposed_unit_is_refused(demo_db):
    ward = AnttWard(demo_db)
    ward.register_all()
    decision_id = ward.draft()
    ward.edit_decision(decision_id, number="125", issued_on=ISSUED_ON)
    with pytest.raises(UserError, match="Chưa có đơn vị nào được đề nghị"):
        ward.issue(decision_id)
    assert ward.decision(decision_id).issued is False
    assert ward.profile().next_ubnd_doc_number == 1


def test_issue_freezes_the_list_grouped_by_kind_in_vietnamese_order(ward, issued):
    view = ward.decision(issued)
    assert view.issued
    assert _listed(view) == list(EXPECTED_LIST)
    assert ward.raw("SELECT name, position FROM decision_unit WHERE decision_id = :id ORDER BY position",
                    id=issued) == [(name, n) for n, (name, _) in enumerate(EXPECTED_LIST, start=1)]


def test_issue_gives_every_unit_its_final_result(ward, issued):
    stages = _stages(ward)
    for name in PASSED:
        assert stages[name] is Stage.RECOGNIZED, name
    for name in FAILED:
        assert stages[name] is Stage.NOT_RECOGNIZED, name
    assert stages["Tổ dân phố 1"] is Stage.REGISTERED  # never assessed: no result yet
    assert stages["Trường Mầm non Hoa Sen"] is None
    assert {row[0] for row in ward.raw("SELECT decision_id FROM antt_record WHERE stage = 'recognized'")} == {issued}
    assert ward.scalar("SELECT count(*) FROM antt_record WHERE decision_id IS NOT NULL") == len(PASSED)


def test_issue_moves_the_number_series_on(ward, issued):
    profile = ward.profile()
    assert (profile.doc_number_year, profile.next_ubnd_doc_number) == (YEAR, 126)


def test_issue_keeps_a_series_already_further_on(ward):
    ward.set_profile("doc_number_year", "2026")
    ward.set_profile("next_ubnd_doc_number", "140")
    ward.draft_and_issue("125")
    assert ward.profile().next_ubnd_doc_number == 140


def test_issuing_a_decision_of_an_earlier_year_leaves_this_years_series_alone(ward):
    """Recording last year's decision late must not send the current series back to last year."""
    ward.set_profile("doc_number_year", "2026")
    ward.set_profile("next_ubnd_doc_number", "200")
    record_id = ward.register("Tổ dân phố 1", year=2025, registered_on=date(2025, 3, 1))
    ward.assess(record_id, meeting_on=date(2025, 10, 20))
    ward.propose(["Tổ dân phố 1"], year=2025)
    ward.draft_and_issue("300", date(2025, 11, 18), year=2025)
    profile = ward.profile()
    assert (profile.doc_number_year, profile.next_ubnd_doc_number) == (2026, 200)
    assert ward.decision(ward.draft()).number == "200"


def test_an_issued_decision_is_locked(ward, issued):
    with pytest.raises(UserError, match="đã ban hành"):
        ward.edit_decision(issued, number="126")
    with pytest.raises(UserError, match="đã được ban hành"):
        ward.issue(issued)
    with pytest.raises(UserError, match="không xoá được"):
        ward.call(antt_decision.delete_draft, issued)
    assert ward.decision(issued).number == "125"


def test_results_under_an_issued_decision_are_locked(ward, issued):
    record_id = ward.record_id("Tổ dân phố 2")
    with pytest.raises(UserError, match="đã có quyết định"):
        ward.assess(record_id, failing=["1a"])
    with pytest.raises(UserError, match="đã có quyết định"):
        ward.call(antt.update_registration, record_id, antt.RegistrationInput(date(2026, 3, 1)), ACTOR)
    with pytest.raises(UserError, match="không huỷ"):
        ward.call(antt.cancel_registration, record_id)
    assert ward.stage("Tổ dân phố 2") is Stage.RECOGNIZED


def test_renaming_a_unit_later_does_not_change_the_issued_list(ward, issued):
    unit_id = ward.unit_id("Tổ dân phố 2")
    data = ward.call(unit_service.get_unit, unit_id).as_input()
    ward.call(unit_service.update_unit, unit_id, replace(data, name="Tổ dân phố Hòa Bình", address="Chỗ mới"), ACTOR)
    view = ward.decision(issued)
    assert _listed(view) == list(EXPECTED_LIST)
    assert view.units[0].address != "Chỗ mới"
    assert [c.unit_name for c in ward.call(antt_decision.certificates, issued)] == [name for name, _ in EXPECTED_LIST]


def test_a_draft_follows_a_renamed_unit(ward):
    decision_id = ward.draft()
    unit_id = ward.unit_id("Tổ dân phố 2")
    data = ward.call(unit_service.get_unit, unit_id).as_input()
    ward.call(unit_service.update_unit, unit_id, replace(data, name="Tổ dân phố Hòa Bình"), ACTOR)
    assert "Tổ dân phố Hòa Bình" in [unit.name for unit in ward.decision(decision_id).units]


def test_delete_a_draft(ward):
    decision_id = ward.draft()
    ward.call(antt_decision.delete_draft, decision_id)
    assert ward.scalar("SELECT count(*) FROM decision") == 0
    ward.draft()  # the year may have a draft again


# ---- corrections ------------------------------------------------------------------------------


def test_the_same_number_cannot_be_issued_twice_in_a_year(ward, issued):
    correction = ward.call(antt_decision.correct_decision, issued, ACTOR)
    ward.edit_decision(correction, number="125", issued_on=date(2026, 11, 20))
    with pytest.raises(UserError, match="125/QĐ-UBND năm 2026 đã được dùng"):
        ward.issue(correction)
    assert ward.decision(correction).issued is False
    assert {row[0] for row in ward.raw("SELECT decision_id FROM antt_record WHERE stage = 'recognized'")} == {issued}
    assert ward.profile().next_ubnd_doc_number == 126


def test_correction_is_a_draft_replacing_the_issued_decision(ward, issued):
    correction = ward.call(antt_decision.correct_decision, issued, ACTOR)
    view = ward.decision(correction)
    assert (view.issued, view.replaces, view.number) == (False, ISSUED_REFERENCE, "126")
    assert _listed(view) == list(EXPECTED_LIST)
    articles = ward.call(antt_decision.recognition_document, correction).articles
    assert "thay thế Quyết định số 125/QĐ-UBND ngày 18/11/2026" in " ".join(articles)
    assert "thay thế" not in " ".join(ward.call(antt_decision.recognition_document, issued).articles)

    ward.edit_decision(correction, issued_on=date(2026, 11, 25))
    ward.issue(correction)
    assert {row[0] for row in ward.raw("SELECT decision_id FROM antt_record WHERE stage = 'recognized'")} == {
        correction}
    assert _listed(ward.decision(issued)) == list(EXPECTED_LIST)  # the old one stays as it was issued
    assert ward.profile().next_ubnd_doc_number == 127
    printed = ward.ward_call(antt_decision.decision_for_printing, YEAR, ACTOR)
    assert printed == correction


def test_only_an_issued_decision_can_be_corrected(ward):
    decision_id = ward.draft()
    with pytest.raises(UserError, match="đã ban hành"):
        ward.call(antt_decision.correct_decision, decision_id, ACTOR)
    assert ward.scalar("SELECT count(*) FROM decision") == 1


# ---- the documents -----------------------------------------------------------------------------


def test_recognition_document_of_the_chairman(ward, issued):
    document = ward.call(antt_decision.recognition_document, issued)
    assert (document.number, document.symbol, document.issued_on, document.year) == ("125", "QĐ-UBND", ISSUED_ON,
                                                                                      YEAR)
    assert document.deciding_authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    assert (document.signer.authority, document.signer.title, document.signer.name) == (None, "CHỦ TỊCH",
                                                                                        "Hoàng Văn Thắng")
    assert document.issuer.name == "ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN"
    assert "năm 2026" in document.subject
    assert len(document.articles) == 3
    assert document.articles[0].startswith("Công nhận 7 đơn vị trên địa bàn phường Minh Xuân")
    assert "gồm: 2 khu dân cư, 2 cơ quan, 2 doanh nghiệp, 1 cơ sở giáo dục (có danh sách kèm theo)" in \
        document.articles[0]
    assert [(unit.name, unit.kind_label) for unit in document.units] == list(EXPECTED_LIST)


def test_articles_count_only_the_kinds_listed(demo_db):
    ward = AnttWard(demo_db)
    prepare_year(ward, passed=["Trường THCS Phan Thiết", "Tổ dân phố 7", "Tổ dân phố 12"], failed=[])
    document = ward.call(antt_decision.recognition_document, ward.draft())
    assert "Công nhận 3 đơn vị" in document.articles[0]
    assert "gồm: 2 khu dân cư, 1 cơ sở giáo dục (có danh sách kèm theo)" in document.articles[0]
    assert [unit.name for unit in document.units] == ["Tổ dân phố 7", "Tổ dân phố 12", "Trường THCS Phan Thiết"]


def test_the_peoples_committee_form(ward):
    ward.set_setting("antt.decision_form", "ubnd")
    decision_id = ward.draft()
    ward.edit_decision(decision_id, number="125", issued_on=ISSUED_ON)
    ward.issue(decision_id)
    document = ward.call(antt_decision.recognition_document, decision_id)
    assert document.deciding_authority == "ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    assert (document.signer.authority, document.signer.title, document.signer.name) == (
        "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Hoàng Văn Thắng")
    certificate = ward.call(antt_decision.certificates, decision_id)[0]
    assert certificate.deciding_authority == "ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    assert certificate.decision_ref.endswith("của UBND phường Minh Xuân)")
    # the form is the decision's own: changing the setting afterwards does not change it
    ward.set_setting("antt.decision_form", "chu_tich")
    assert ward.call(antt_decision.recognition_document, decision_id).deciding_authority == \
        "ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"


def test_certificates_one_per_listed_unit_with_the_decision_reference(ward, issued):
    certificates = ward.call(antt_decision.certificates, issued)
    assert [c.unit_name for c in certificates] == [name for name, _ in EXPECTED_LIST]
    for certificate in certificates:
        assert certificate.decision_ref == ("(Quyết định số 125/QĐ-UBND ngày 18 tháng 11 năm 2026 "
                                            "của Chủ tịch UBND phường Minh Xuân)")
        assert certificate.achievement == "Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026"
        assert certificate.issued_on == ISSUED_ON
        assert certificate.deciding_authority == "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
        assert (certificate.signer.title, certificate.signer.name) == ("CHỦ TỊCH", "Hoàng Văn Thắng")


def test_certificates_of_a_draft_leave_number_and_date_blank(ward):
    decision_id = ward.draft()
    ward.edit_decision(decision_id, number="")
    (first, *_rest) = ward.call(antt_decision.certificates, decision_id)
    assert first.decision_ref.startswith("(Quyết định số .../QĐ-UBND ngày ... tháng ... năm 2026 của")
    assert first.issued_on is None


def test_certificates_cite_a_number_below_10_as_the_decision_prints_it(ward):
    """ND30: a number below 10 takes a leading zero ("Số: 05/QĐ-UBND" on the decision and on
    its list); the certificate cites the same number."""
    decision_id = ward.draft_and_issue("5")
    document = ward.call(antt_decision.recognition_document, decision_id)
    assert document_number(document.number, document.symbol) == "05/QĐ-UBND"
    for certificate in ward.call(antt_decision.certificates, decision_id):
        assert "Quyết định số 05/QĐ-UBND ngày 18 tháng 11 năm 2026" in certificate.decision_ref


# ---- what the print command uses ---------------------------------------------------------------


def test_decision_for_printing_prefers_the_issued_decision(ward, issued):
    assert ward.ward_call(antt_decision.decision_for_printing, YEAR, ACTOR) == issued


def test_decision_for_printing_drafts_one_when_none_exists(ward):
    decision_id = ward.ward_call(antt_decision.decision_for_printing, YEAR, ACTOR)
    view = ward.decision(decision_id)
    assert (view.issued, _listed(view)) == (False, list(EXPECTED_LIST))


def test_decision_for_printing_with_nothing_proposed_is_refused(demo_db):
    ward = AnttWard(demo_db)
    with pytest.raises(UserError, match="Chưa có đơn vị nào được đề nghị công nhận năm 2026"):
        ward.ward_call(antt_decision.decision_for_printing, YEAR, ACTOR)
    assert ward.scalar("SELECT count(*) FROM decision") == 0


def test_a_unit_proposed_after_the_decision_waits_for_the_next_one(ward, issued):
    record_id = ward.record_id("Tổ dân phố 1")
    ward.assess(record_id)
    ward.propose(["Tổ dân phố 1"])
    assert "Tổ dân phố 1" not in [unit.name for unit in ward.decision(issued).units]
    second = ward.draft()
    assert [unit.name for unit in ward.decision(second).units] == ["Tổ dân phố 1"]
    assert ward.call(antt_assessment.unmet_reasons, record_id) == []


# ---- writing the printed file (services/output.py) ---------------------------------------------------


def _render(data: bytes):
    def render(handle) -> int:
        handle.write(data)
        return len(data)
    return render


def _failing_render(handle) -> None:
    handle.write(b"%PDF-1.4 half a file")
    raise RuntimeError("render failed")


def test_write_atomically_writes_the_file_and_returns_what_render_returns(tmp_path):
    target = tmp_path / "out" / "quyet-dinh.pdf"
    target.parent.mkdir()
    assert write_atomically(target, _render(b"%PDF-1.4 new")) == 12
    assert target.read_bytes() == b"%PDF-1.4 new"
    assert sorted(path.name for path in target.parent.iterdir()) == ["quyet-dinh.pdf"]


def test_write_atomically_leaves_nothing_when_render_raises(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(RuntimeError, match="render failed"):
        write_atomically(folder / "quyet-dinh.pdf", _failing_render)
    assert list(folder.iterdir()) == []


def test_write_atomically_replaces_an_existing_file_only_on_success(tmp_path):
    target = tmp_path / "giay-cong-nhan.pdf"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        write_atomically(target, _failing_render)
    assert target.read_bytes() == b"old"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["giay-cong-nhan.pdf"]
    write_atomically(str(target), _render(b"new"))
    assert target.read_bytes() == b"new"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["giay-cong-nhan.pdf"]


def test_write_atomically_into_a_missing_folder_is_a_user_error(tmp_path):
    target = tmp_path / "không có" / "quyet-dinh.pdf"
    called = []
    with pytest.raises(UserError, match="không tồn tại"):
        write_atomically(target, lambda handle: called.append(handle))
    assert called == []
    assert list(tmp_path.iterdir()) == []


def test_an_issued_decision_reprints_with_the_names_of_its_day(ward, issued):
    """After the ward is renamed (the 2025 mergers renamed many), an issued decision and its
    certificates still carry the names they were issued under; a new draft takes the new ones."""
    from antq_desktop.services import profile as profile_service

    ward.call(profile_service.set_profile_field, "name", "Minh Xuân Mới", "kiểm thử")
    ward.call(profile_service.set_profile_field, "place_name", "Minh Xuân Mới", "kiểm thử")
    document = ward.call(antt_decision.recognition_document, issued)
    assert document.issuer.name == "ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN"
    assert document.issuer.place == "Minh Xuân"
    (certificate, *_rest) = ward.call(antt_decision.certificates, issued)
    assert certificate.decision_ref.endswith("của Chủ tịch UBND phường Minh Xuân)")


def test_only_a_correction_draft_can_drop_a_unit_and_only_one_of_the_old_list(ward, issued):
    any_unit = ward.call(antt_decision.decision_view, issued).unit_ids[0]
    with pytest.raises(UserError, match="đính chính"):
        ward.call(antt_decision.drop_from_correction, issued, any_unit, "kiểm thử")
    correction = ward.call(antt_decision.correct_decision, issued, "kiểm thử")
    outsider = ward.unit_id("Tổ dân phố 5")  # assessed as failing: never on the old list
    with pytest.raises(UserError, match="không thuộc danh sách"):
        ward.call(antt_decision.drop_from_correction, correction, outsider, "kiểm thử")
    ward.call(antt_decision.drop_from_correction, correction, any_unit, "kiểm thử")
    assert any_unit not in ward.call(antt_decision.decision_view, correction).unit_ids
    assert any_unit in ward.call(antt_decision.decision_view, issued).unit_ids  # the old one unchanged
