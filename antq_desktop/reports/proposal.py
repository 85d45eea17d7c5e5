"""Tờ trình đề nghị công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” (TT 124/2021 Art. 9.2.b).

The ward police submit it to the chairman of the ward's people's committee: the police
header with "Số: …/TTr-…" (the number left to the văn thư), "TỜ TRÌNH" and its trích yếu,
"Kính gửi", the căn cứ, the year's results, the proposal counted per kind "(có danh sách kèm
theo)", the police chief's signature; then, on a new page, the attached list grouped by kind.
"""

from __future__ import annotations

from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.vntext import format_number
from antq_desktop.reports import frame
from antq_desktop.reports.data import Proposal
from antq_desktop.reports.fonts import nfc
from antq_desktop.reports.registration_form import addressee_block, percent_text
from antq_desktop.reports.unit_list import (
    grouped_units_table,
    kinds_in_order,
    list_heading,
)

KINDS_TEXT = "khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục"


def render_proposal(proposal: Proposal, out) -> None:
    """Write the tờ trình, then its list of proposed units on a new page, to ``out`` (path or binary file)."""
    story = [
        frame.header_block(proposal.issuer, proposal.number, proposal.symbol, proposal.issued_on, proposal.year),
        # The break keeps the standard's name and its year together on the second line.
        *frame.title_block("TỜ TRÌNH", f"Về việc đề nghị công nhận khu dân cư, cơ quan, doanh nghiệp,\ncơ sở "
                                      f"giáo dục đạt tiêu chuẩn {STANDARD_NAME} năm {proposal.year}"),
        addressee_block(proposal.addressee),
        *frame.body_block(_paragraphs(proposal)),
    ]
    # The signature never stands alone at the top of a page: it keeps the closing line with it.
    closing = story.pop()
    story.append(frame.KeepTogether([closing, frame.signature_block(proposal.signer, proposal.recipients)]))
    if proposal.units:
        story += [frame.PageBreak(), *list_heading(_list_title(proposal), _list_reference(proposal)),
                  grouped_units_table(proposal.units)]
    frame.build_pdf(out, story, title=f"Tờ trình số {frame.document_number(proposal.number, proposal.symbol)}",
                    author=proposal.issuer.name.replace("\n", " "))


def _paragraphs(proposal: Proposal) -> list[str]:
    ward = nfc(proposal.ward_title).strip()
    addressee = nfc(proposal.addressee).strip().rstrip(".")
    results = (f"Năm {proposal.year}, trên địa bàn {ward} có {format_number(proposal.eligible)} {KINDS_TEXT} "
               f"thuộc diện xét công nhận đạt tiêu chuẩn {STANDARD_NAME}; đã đăng ký phấn đấu "
               f"{format_number(proposal.registered)}/{format_number(proposal.eligible)} đơn vị")
    if proposal.eligible:
        results += f" (đạt {percent_text(proposal.registered, proposal.eligible)})"
    results += (f"; đã tổ chức họp đánh giá {format_number(proposal.assessed)} đơn vị; qua thẩm định hồ sơ, có "
                f"{format_number(proposal.met_criteria)} đơn vị đạt đủ các tiêu chí theo quy định.")
    count = len(proposal.units)
    kinds = ", ".join(f"{format_number(n)} {kind.lower()}" for kind, n in kinds_in_order(proposal.units))
    request = (f"{nfc(proposal.proposer).strip()} kính trình {addressee} xem xét, quyết định công nhận "
               f"{format_number(count)} đơn vị đạt tiêu chuẩn {STANDARD_NAME} năm {proposal.year}"
               f"{', gồm: ' + kinds if kinds else ''} (có danh sách kèm theo).")
    return [*proposal.bases, results, request, f"Kính trình {addressee} xem xét, quyết định./."]


def _list_title(proposal: Proposal) -> str:
    # Breaks keep the standard's name whole on the last line.
    return f"DANH SÁCH\nđơn vị đề nghị công nhận đạt tiêu chuẩn\n{STANDARD_NAME} năm {proposal.year}"


def _list_reference(proposal: Proposal) -> str:
    return (f"(Kèm theo Tờ trình số {frame.document_number(proposal.number, proposal.symbol)} "
            f"{frame.date_words(proposal.issued_on, proposal.year)}\ncủa {nfc(proposal.proposer).strip()})")
