"""Tờ trình đề nghị phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc (QĐ 510/QĐ-BCA-V05 Art. 11.2).

The ward police submit it to the chairman with the score list: the police header with
"Số: …/TTr-…" (the number left to the văn thư), "TỜ TRÌNH" and its trích yếu, "Kính gửi",
the căn cứ, how many units were scored, a table of the units at each level per kind (total
row in bold), the share at Khá or above, the proposal counted per level "(có Thống kê danh
sách chấm điểm … kèm theo)", and the police chief's signature.
"""

from __future__ import annotations

from antq_desktop.domain.vntext import format_number
from antq_desktop.reports import frame
from antq_desktop.reports.data import ClassificationProposal, LevelTally
from antq_desktop.reports.fonts import BOLD, nfc
from antq_desktop.reports.registration_form import addressee_block, percent_text
from antq_desktop.reports.score_list import MOVEMENT

KINDS_TEXT = "khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục"
SCORE_LIST = "Thống kê danh sách chấm điểm, mức đề xuất đánh giá, phân loại"


def render_classification_proposal(proposal: ClassificationProposal, out) -> None:
    """Write the tờ trình to ``out`` (path or binary file)."""
    before, after = _paragraphs(proposal)
    story = [
        frame.header_block(proposal.issuer, proposal.number, proposal.symbol, proposal.issued_on, proposal.year),
        # The break keeps the movement's name whole on the first line.
        *frame.title_block("TỜ TRÌNH", f"Về việc đề nghị phân loại {MOVEMENT}\nnăm {proposal.year} "
                                      f"đối với {KINDS_TEXT}"),
        addressee_block(proposal.addressee),
        *frame.body_block(before),
        _tally_table(proposal),
        *frame.body_block(after),
    ]
    # The signature never stands alone at the top of a page: it keeps the closing line with it.
    closing = story.pop()
    story.append(frame.KeepTogether([closing, frame.signature_block(proposal.signer, proposal.recipients)]))
    frame.build_pdf(out, story, title=f"Tờ trình số {frame.document_number(proposal.number, proposal.symbol)}",
                    author=proposal.issuer.name.replace("\n", " "))


def _paragraphs(proposal: ClassificationProposal) -> tuple[list[str], list[str]]:
    """The paragraphs before the table and after it."""
    ward = nfc(proposal.ward_title).strip()
    addressee = nfc(proposal.addressee).strip().rstrip(".")
    total = proposal.total
    results = (f"Năm {proposal.year}, trên địa bàn {ward} có {format_number(total.eligible)} {KINDS_TEXT} thuộc "
               f"diện đánh giá, phân loại {MOVEMENT}; đã chấm điểm {format_number(total.scored)}/"
               f"{format_number(total.eligible)} đơn vị. Kết quả chấm điểm, đề xuất phân loại như sau:")
    levels = ", ".join(f"{format_number(count)} đơn vị xếp loại {label}"
                       for label, count in zip(proposal.levels, total.by_level) if count)
    share = ""
    if total.scored:
        share = (f"Số đơn vị xếp loại {proposal.share_label} trở lên: {format_number(proposal.share_count)} đơn vị, "
                 f"đạt {percent_text(proposal.share_count, total.scored)}. ")
    request = (f"{share}{nfc(proposal.proposer).strip()} kính trình {addressee} xem xét, quyết định phân loại "
               f"{MOVEMENT} năm {proposal.year} đối với {format_number(total.scored)} đơn vị, gồm: {levels} "
               f"(có {SCORE_LIST} kèm theo).")
    return [*proposal.bases, results], [request, f"Kính trình {addressee} xem xét, quyết định./."]


def _tally_table(proposal: ClassificationProposal):
    columns = [frame.Column("Loại đơn vị", 38), frame.Column("Thuộc diện", 20, "CENTER"),
               frame.Column("Đã chấm điểm", 22, "CENTER")]
    columns += [frame.Column(label, 85 / len(proposal.levels), "CENTER") for label in proposal.levels]

    def row(tally: LevelTally) -> tuple[str, ...]:
        return (tally.label, format_number(tally.eligible), format_number(tally.scored),
                *(format_number(count) for count in tally.by_level))

    table = frame.table_block(columns, [*(row(tally) for tally in proposal.by_kind), row(proposal.total)])
    table.setStyle([("FONT", (0, -1), (-1, -1), BOLD)])  # the total row
    return table
