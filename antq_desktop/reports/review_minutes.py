"""Biên bản họp đánh giá, đề nghị công nhận đạt tiêu chuẩn “An toàn về an ninh, trật tự” (TT 124 Art. 9).

ND30 Mẫu 1.9 (DOCUMENTS.md §2.5) on the shared frame: the unit's header, "BIÊN BẢN" and its
trích yếu; start time, place, chair, secretary and attendees; every criterion point of the
unit's kind with its result and evidence, in a table grouped by criterion; the conclusion
(all met: the meeting proposes recognition; otherwise the points not met); the end time left
blank for the hand; then the secretary's signature on the left and the chair's on the right,
side by side, and "Nơi nhận" under them.
"""

from __future__ import annotations

from reportlab.platypus import Spacer, Table

from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.vntext import document_date, format_date
from antq_desktop.reports import frame
from antq_desktop.reports.data import MinutesPoint, ReviewMinutes
from antq_desktop.reports.fonts import REGULAR, nfc

DOTS = "." * 12
SHORT_DOTS = "." * 8
LINE = "." * 90   # a whole line left to fill in by hand
RESULTS = {True: "Đạt", False: "Không đạt", None: "Chưa đánh giá"}
COLUMNS = (   # weights in mm of the 165 mm text width
    frame.Column("TT", 11, "CENTER"),
    frame.Column("Nội dung", 82),
    frame.Column("Kết quả", 20, "CENTER"),
    frame.Column("Căn cứ, minh chứng", 52),
)


def render_review_minutes(minutes: ReviewMinutes, out) -> None:
    """Write the minutes of the unit's review meeting to ``out`` (path or binary file)."""
    story = [
        frame.header_block(minutes.issuer, None, None, minutes.meeting_on, minutes.year),
        # The break keeps the standard's name and its year together on the second line.
        *frame.title_block("BIÊN BẢN", f"Họp đánh giá, đề nghị công nhận\nđạt tiêu chuẩn {STANDARD_NAME} "
                                       f"năm {minutes.year}"),
        Spacer(1, 8),
        *frame.body_block(_opening(minutes)),
        _criteria_table(minutes),
        *frame.body_block(_conclusion(minutes)),
    ]
    closing = frame.para(
        f"Cuộc họp kết thúc vào {DOTS} giờ {DOTS} phút, {_day(minutes)}; biên bản đã được đọc lại cho những "
        "người dự họp cùng nghe, thống nhất và ký tên./."
    )
    # The end of the minutes, the signatures and "Nơi nhận" stay together on one page.
    ending = [closing, _signatures(minutes)]
    if minutes.recipients:
        ending.append(_recipients(minutes.recipients))
    story.append(frame.KeepTogether(ending))
    frame.build_pdf(out, story, title=f"Biên bản họp đánh giá năm {minutes.year} - {nfc(minutes.unit_name)}",
                    author=nfc(minutes.unit_name))


def _day(minutes: ReviewMinutes) -> str:
    if minutes.meeting_on is not None:
        return document_date(minutes.meeting_on)
    # A no-break space keeps "năm" with its year when the line wraps.
    return f"ngày {SHORT_DOTS} tháng {SHORT_DOTS} năm\u00a0{minutes.year}"


def _sentence(text: str) -> str:
    """``text`` ending with a full stop (a line the user typed may or may not have one)."""
    text = nfc(text).strip()
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _opening(minutes: ReviewMinutes) -> list[str]:
    unit = nfc(minutes.unit_name).strip()
    lines = [
        f"Thời gian bắt đầu: {DOTS} giờ {DOTS} phút, {_day(minutes)}.",
        f"Địa điểm: {_sentence(minutes.place) if minutes.place.strip() else LINE}",
        f"Chủ trì: {_sentence(minutes.chair) if minutes.chair.strip() else LINE}",
        f"Thư ký: {_sentence(minutes.secretary) if minutes.secretary.strip() else LINE}",
        "Thành phần tham dự:",
    ]
    attendees = [nfc(line).strip().lstrip("-").strip() for line in minutes.attendees if line.strip()]
    if attendees:
        lines += [f"- {line.rstrip('.;')}{'.' if n == len(attendees) else ';'}"
                  for n, line in enumerate(attendees, start=1)]
    else:
        lines += [f"- {LINE}"] * 4
    start, end = minutes.period
    basis = nfc(minutes.legal_basis).strip().rstrip(".;,")
    lines += [
        "Nội dung:",
        (f"Căn cứ {basis}, cuộc họp đã đánh giá kết quả thực hiện các tiêu chí {STANDARD_NAME} năm {minutes.year} "
         f"của {unit} trong thời gian từ ngày {format_date(start)} đến ngày {format_date(end)}; kết quả đánh giá "
         "từng tiêu chí như sau:"),
    ]
    return lines


def _evidence(point: MinutesPoint) -> str:
    parts = [nfc(text).strip() for text in (point.evidence, point.note) if text and text.strip()]
    return " ".join(_sentence(part) for part in parts) if len(parts) > 1 else "".join(parts)


def _criteria_table(minutes: ReviewMinutes):
    rows: list = []
    for criterion in minutes.criteria:
        title = nfc(criterion.title).strip().rstrip(".")
        rows.append(frame.GroupRow(f"Tiêu chí {criterion.number}: {title} ({RESULTS[criterion.met].lower()})"))
        for point in criterion.points:
            rows.append((point.code, point.text, RESULTS[point.met], _evidence(point)))
    return frame.table_block(COLUMNS, rows)


def _conclusion(minutes: ReviewMinutes) -> list[str]:
    unit = nfc(minutes.unit_name).strip()
    total = len(minutes.criteria)
    met = sum(criterion.met is True for criterion in minutes.criteria)
    standard = f"tiêu chuẩn {STANDARD_NAME} năm {minutes.year}"
    unmet = minutes.unmet
    if unmet:
        lines = [f"Kết luận: {unit} đạt {met}/{total} tiêu chí, chưa đạt {standard}, do không đạt các nội dung sau:"]
        lines += [f"- {point.code}: {nfc(point.text).strip().rstrip('.;')}{'.' if n == len(unmet) else ';'}"
                  for n, point in enumerate(unmet, start=1)]
        return lines
    if minutes.result is True:
        return [(f"Kết luận: {unit} đạt đủ {total}/{total} tiêu chí theo quy định. Cuộc họp thống nhất đề nghị "
                 f"{nfc(minutes.addressee).strip()} xem xét, công nhận {unit} đạt {standard}.")]
    waiting = sum(point.met is None for criterion in minutes.criteria for point in criterion.points)
    return [(f"Kết luận: còn {waiting} nội dung chưa được đánh giá; cuộc họp chưa kết luận việc đề nghị công "
             f"nhận {unit} đạt {standard}.")]


def _signatures(minutes: ReviewMinutes) -> Table:
    """Secretary on the left and chair on the right (Mẫu 1.9), each title over room to sign over the name."""
    width = frame.text_width()

    def column(title: str, name: str) -> list:
        return [frame.para(title, "signer"), Spacer(1, frame.SIGNATURE_SPACE),
                frame.para(nfc(name).strip() or "\u00a0", "signer")]

    table = Table([[column("THƯ KÝ", minutes.secretary), column("CHỦ TRÌ", minutes.chair_name)]],
                  colWidths=[width / 2, width / 2], spaceBefore=frame.PARAGRAPH_SPACE * 2)
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR),   # else the table names Helvetica, unembedded
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
    return table


def _recipients(recipients) -> Table:
    """"Nơi nhận" under the signatures, on the left (Mẫu 1.9)."""
    width = frame.text_width()
    cell = [frame.para("Nơi nhận:", "recipients_label"), *(frame.para(line, "recipient") for line in recipients)]
    table = Table([[cell, ""]], colWidths=[0.42 * width, 0.58 * width], spaceBefore=frame.PARAGRAPH_SPACE * 2)
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONT", (0, 0), (-1, -1), REGULAR),
        ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
    return table
