"""Quyết định công nhận đạt tiêu chuẩn "An toàn về an ninh, trật tự" and its attached list.

The decision follows ND30 Mẫu 1.2 (DOCUMENTS.md §2.2) on the shared frame. The list starts
on a new page: its heading, the "(Kèm theo Quyết định số …)" line, a short rule, then a
table grouped by kind. Row numbers (TT) run on through the whole list, so the last TT is
the total the decision recognises and every unit has a number no other unit shares.
"""

from __future__ import annotations

from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.reports import frame
from antq_desktop.reports.data import RecognitionDecision
from antq_desktop.reports.fonts import nfc
from antq_desktop.reports.unit_list import grouped_units_table, list_heading

COLUMNS = (   # weights in mm of the 165 mm text width; "Cơ sở giáo dục" fits its column at 12 pt
    frame.Column("TT", 10, "CENTER"),
    frame.Column("Tên đơn vị", 58),
    frame.Column("Loại", 28),
    frame.Column("Địa chỉ", 47),
    frame.Column("Ghi chú", 22),
)
# Words that start the name of a body inside running text (ND30 Phụ lục II: "Ủy ban nhân dân
# phường Minh Xuân", "Chủ tịch Ủy ban nhân dân …").
_BODIES = ("ủy ban nhân dân", "hội đồng nhân dân", "công an")


def render_recognition_decision(decision: RecognitionDecision, out) -> None:
    """Write the decision, then its list of units on a new page, to ``out`` (path or binary file)."""
    story = [
        frame.header_block(decision.issuer, decision.number, decision.symbol, decision.issued_on, decision.year),
        *frame.title_block("QUYẾT ĐỊNH", decision.subject, decision.deciding_authority),
        *frame.bases_block(decision.bases),
    ]
    articles = frame.articles_block(decision.articles)
    # The signature never stands alone at the top of a page: it keeps the last article with it.
    signature = frame.signature_block(decision.signer, decision.recipients)
    story += [*articles[:-1], frame.KeepTogether([articles[-1], signature])]
    if decision.units:
        story += [frame.PageBreak(), *_list_heading(decision), grouped_units_table(decision.units, COLUMNS, True)]
    frame.build_pdf(out, story, title=_document_name(decision), author=decision.issuer.name.replace("\n", " "))


def _document_name(decision: RecognitionDecision) -> str:
    return f"Quyết định số {frame.document_number(decision.number, decision.symbol)}"


def _list_heading(decision: RecognitionDecision) -> list:
    # The default breaks before "đạt tiêu chuẩn" so that the standard's name stays on one line.
    title = decision.list_title or f"DANH SÁCH\n{_kinds(decision)}\nđạt tiêu chuẩn {STANDARD_NAME} năm {decision.year}"
    authority = in_running_text(decision.deciding_authority, decision.issuer.place)
    reference = decision.list_reference or (
        f"(Kèm theo Quyết định số {frame.document_number(decision.number, decision.symbol)} "
        f"{frame.date_words(decision.issued_on, decision.year)} của {authority})"
    )
    return list_heading(title, reference)


def _kinds(decision: RecognitionDecision) -> str:
    """"khu dân cư, cơ quan, …" in the order the list gives them."""
    kinds = dict.fromkeys(nfc(unit.kind_label).strip().lower() for unit in decision.units)
    return ", ".join(kind for kind in kinds if kind)


def in_running_text(authority: str, place: str) -> str:
    """"CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN" -> "Chủ tịch Ủy ban nhân dân phường Minh Xuân".

    ND30 Phụ lục II: titles and the names of bodies take a capital first letter, the
    administrative word before a proper name stays lower case, the place name keeps its own
    capitals (taken from ``place``).
    """
    text = " ".join(nfc(authority).split())
    place = " ".join(nfc(place).split())
    tail = ""
    if place and text.upper().endswith(place.upper()):
        text, tail = text[: len(text) - len(place)], place
    text = text.lower()
    for body in _BODIES:
        text = text.replace(body, body[:1].upper() + body[1:])
    text = text[:1].upper() + text[1:]
    return f"{text}{tail}".strip()
