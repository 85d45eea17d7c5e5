"""Quyết định phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc and its attached list.

The same frame as the recognition decision (ND30 Mẫu 1.2, DOCUMENTS.md §2.3). The list starts
on a new page: its heading, the "(Kèm theo Quyết định số …)" line, then one table grouped by
level, highest first (TT | Đơn vị | Điểm | Xếp loại). TT runs on through the whole list.
"""

from __future__ import annotations

from antq_desktop.domain.classification import points_text
from antq_desktop.reports import frame
from antq_desktop.reports.data import ClassificationDecision
from antq_desktop.reports.recognition_decision import in_running_text
from antq_desktop.reports.score_list import MOVEMENT, grouped_rows
from antq_desktop.reports.unit_list import list_heading

COLUMNS = (   # weights in mm of the 165 mm text width
    frame.Column("TT", 12, "CENTER"),
    frame.Column("Đơn vị", 103),
    frame.Column("Điểm", 20, "CENTER"),
    frame.Column("Xếp loại", 30, "CENTER"),
)


def render_classification_decision(decision: ClassificationDecision, out) -> None:
    """Write the decision, then its list by level on a new page, to ``out`` (path or binary file)."""
    story = [
        frame.header_block(decision.issuer, decision.number, decision.symbol, decision.issued_on, decision.year),
        # The break keeps "năm N" with the movement's name and puts the kinds on the second line.
        *frame.title_block("QUYẾT ĐỊNH", decision.subject.replace(" đối với ", "\nđối với ", 1),
                           decision.deciding_authority),
        *frame.bases_block(decision.bases),
    ]
    articles = frame.articles_block(decision.articles)
    # The signature never stands alone at the top of a page: it keeps the last article with it.
    signature = frame.signature_block(decision.signer, decision.recipients)
    story += [*articles[:-1], frame.KeepTogether([articles[-1], signature])]
    if decision.units:
        rows = grouped_rows(decision.units, lambda unit: f"Xếp loại {unit.level}",
                            lambda unit: (unit.name, points_text(unit.score), unit.level))
        story += [frame.PageBreak(), *_list_heading(decision), frame.table_block(COLUMNS, rows)]
    frame.build_pdf(out, story, title=f"Quyết định số {frame.document_number(decision.number, decision.symbol)}",
                    author=decision.issuer.name.replace("\n", " "))


def _list_heading(decision: ClassificationDecision) -> list:
    # Breaks keep "năm N" with the movement's name and the kinds on a line of their own.
    title = (f"DANH SÁCH\nphân loại {MOVEMENT} năm {decision.year}\n"
             "đối với khu dân cư, cơ quan, doanh nghiệp, cơ sở giáo dục")
    authority = in_running_text(decision.deciding_authority, decision.issuer.place)
    reference = (f"(Kèm theo Quyết định số {frame.document_number(decision.number, decision.symbol)} "
                 f"{frame.date_words(decision.issued_on, decision.year)} của {authority})")
    return list_heading(title, reference)
