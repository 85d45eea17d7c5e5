"""Biên bản kiểm tra (or hướng dẫn) of a visit to a unit: DOCUMENTS.md §2.5 on the ND30 frame.

ND30 Mẫu 1.9 in the practice layout of inspection minutes: the ward police's header with
"Số: …/BB-…" and the visit's date; "BIÊN BẢN" and its trích yếu; the plan it rests on (căn cứ,
italic); "Hôm nay, vào hồi … giờ … phút, ngày …, tại …"; I. THÀNH PHẦN (the team, the unit's
people); II. NỘI DUNG; III. KẾT QUẢ; IV. KẾT LUẬN, KIẾN NGHỊ with each recommendation and its
deadline; the unit's opinion; the closing sentence with the end time; three signatures side by
side: the unit's representative, the secretary, the head of the team.

Times are always written "08 giờ 30 phút", never "08:30" (§2.5); a time not recorded is left
as dots for the hand, as is anything the officer has not typed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Spacer, Table

from antq_desktop.domain.inspections import InspectionKind, time_words
from antq_desktop.domain.vntext import document_date, format_date
from antq_desktop.reports import frame
from antq_desktop.reports.data import Issuer
from antq_desktop.reports.fonts import ITALIC, REGULAR, nfc

MOVEMENT = "công tác xây dựng phong trào toàn dân bảo vệ an ninh Tổ quốc"
LINE = "." * 90   # a line left to fill in by hand
# ND30 điểm letters: a) b) c) d) đ) e) g) … (no f, j, w, z)
POINT_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()


@dataclass(frozen=True)
class MinutesRecommendation:
    text: str
    deadline: date | None


@dataclass(frozen=True)
class InspectionMinutes:
    issuer: Issuer
    number: str               # the minutes' number; "" leaves a gap for the văn thư
    symbol: str               # "BB-CAP"
    visited_on: date
    year: int
    kind: InspectionKind
    unit_name: str            # "Tổ dân phố 7"
    inspector: str            # who inspects, in a sentence: "Công an phường Minh Xuân"
    started_at: str           # "08:30" or ""
    ended_at: str
    place: str
    bases: tuple[str, ...]    # căn cứ lines as typed
    team: tuple[str, ...]     # "Ông/Bà …, chức vụ …, vai trò" per line
    unit_attendees: tuple[str, ...]
    content: tuple[str, ...]
    findings: tuple[str, ...]
    conclusion: tuple[str, ...]
    recommendations: tuple[MinutesRecommendation, ...]
    unit_opinion: tuple[str, ...]
    unit_signer: str          # names under the three signatures; "" leaves room for the hand
    secretary: str
    team_head: str


@dataclass(frozen=True)
class _Wording:
    """What differs between the minutes of an inspection and of a guidance visit."""

    team: str
    unit: str
    content: str
    result: str
    head: tuple[str, str]   # the head's title on two lines


_WORDING = {
    InspectionKind.KIEM_TRA: _Wording("Đoàn kiểm tra", "đơn vị được kiểm tra", "II. NỘI DUNG KIỂM TRA",
                                      "III. KẾT QUẢ KIỂM TRA", ("TRƯỞNG ĐOÀN", "KIỂM TRA")),
    InspectionKind.HUONG_DAN: _Wording("Đoàn công tác", "đơn vị được hướng dẫn", "II. NỘI DUNG HƯỚNG DẪN",
                                       "III. KẾT QUẢ LÀM VIỆC", ("TRƯỞNG ĐOÀN", "CÔNG TÁC")),
}


def render_inspection_minutes(minutes: InspectionMinutes, out) -> None:
    """Write the minutes to ``out`` (path or binary file)."""
    wording = _WORDING[minutes.kind]
    unit = nfc(minutes.unit_name).strip()
    story = [
        frame.header_block(minutes.issuer, minutes.number, minutes.symbol, minutes.visited_on, minutes.year),
        *frame.title_block("BIÊN BẢN", f"{minutes.kind.label} {MOVEMENT}\ntại {unit}"),
        Spacer(1, 8),
        *frame.bases_block(_bases(minutes.bases)),
        frame.para(_opening(minutes, wording)),
        *_composition(minutes, wording),
        *_section(wording.content, minutes.content),
        *_section(wording.result, minutes.findings),
        *_conclusion(minutes),
        *_opinion(minutes, wording),
    ]
    story.append(frame.KeepTogether([frame.para(_closing(minutes, wording)), _signatures(minutes, wording)]))
    frame.build_pdf(out, story, title=f"Biên bản {minutes.kind.verb} - {unit}", author=nfc(minutes.inspector))


# ---- the parts --------------------------------------------------------------------------------

def _bare(text: str) -> str:
    return nfc(text).strip().lstrip("-–•").strip().rstrip(".;,:")


def _listed(lines, last: str = ".") -> list[str]:
    """'- line;' for each line, the last one ending with ``last``."""
    bare = [_bare(line) for line in lines if _bare(line)]
    return [f"- {line}{last if n == len(bare) else ';'}" for n, line in enumerate(bare, start=1)]


def _bases(lines: tuple[str, ...]) -> list[str]:
    """Each căn cứ on its own line ending ";", the last ".", each starting "Căn cứ"."""
    bare = [_bare(line) for line in lines if _bare(line)]
    bare = [line if line.casefold().startswith("căn cứ") else f"Căn cứ {line}" for line in bare]
    return [f"{line}{'.' if n == len(bare) else ';'}" for n, line in enumerate(bare, start=1)]


def _opening(minutes: InspectionMinutes, wording: _Wording) -> str:
    place = _bare(minutes.place) or LINE[:40]
    return (f"Hôm nay, vào hồi {time_words(minutes.started_at)}, {document_date(minutes.visited_on)}, tại {place}, "
            f"{wording.team} của {nfc(minutes.inspector).strip()} tiến hành {minutes.kind.verb} {MOVEMENT} "
            f"tại {nfc(minutes.unit_name).strip()}.")


def _heading(text: str):
    return frame.para(f"<b>{escape(nfc(text))}</b>", markup=True)


def _composition(minutes: InspectionMinutes, wording: _Wording) -> list:
    team = _listed(minutes.team) or [f"- {LINE}"] * 3
    people = _listed(minutes.unit_attendees) or [f"- {LINE}"] * 2
    return [
        _heading("I. THÀNH PHẦN"),
        frame.para(f"1. {wording.team}:"), *(frame.para(line) for line in team),
        frame.para(f"2. Đại diện {nfc(minutes.unit_name).strip()}:"), *(frame.para(line) for line in people),
    ]


def _section(title: str, lines: tuple[str, ...]) -> list:
    return [_heading(title), *(frame.para(nfc(line)) for line in (lines or (LINE, LINE)))]


def _conclusion(minutes: InspectionMinutes) -> list:
    story = [_heading("IV. KẾT LUẬN, KIẾN NGHỊ"), frame.para("1. Kết luận:")]
    story += [frame.para(nfc(line)) for line in (minutes.conclusion or (LINE, LINE))]
    if not minutes.recommendations:
        return [*story, frame.para("2. Kiến nghị: không.")]
    story.append(frame.para(f"2. Kiến nghị, yêu cầu {nfc(minutes.unit_name).strip()} thực hiện:"))
    count = len(minutes.recommendations)
    for number, item in enumerate(minutes.recommendations, start=1):
        story.append(frame.para(f"{_point(number)} {_recommendation(item, number == count)}"))
    return story


def _point(number: int) -> str:
    return f"{POINT_LETTERS[number - 1]})" if number <= len(POINT_LETTERS) else f"{number})"


def _recommendation(item: MinutesRecommendation, last: bool) -> str:
    text = _bare(item.text)
    deadline = f"; thời hạn hoàn thành trước ngày {format_date(item.deadline)}" if item.deadline else ""
    return f"{text}{deadline}{'.' if last else ';'}"


def _opinion(minutes: InspectionMinutes, wording: _Wording) -> list:
    label = f"Ý kiến của {wording.unit}:"
    lines = [nfc(line) for line in minutes.unit_opinion] or [LINE, LINE]
    return [_heading(label), *(frame.para(line) for line in lines)]


def _closing(minutes: InspectionMinutes, wording: _Wording) -> str:
    return (f"Biên bản kết thúc vào hồi {time_words(minutes.ended_at)} cùng ngày, được lập thành 02 bản có nội dung "
            f"và giá trị như nhau, {wording.unit} giữ 01 bản, {wording.team} giữ 01 bản; biên bản đã được đọc lại "
            "cho những người có tên trên cùng nghe, thống nhất và ký tên./.")


def _signatures(minutes: InspectionMinutes, wording: _Wording) -> Table:
    """Three columns side by side: the unit, the secretary, the head of the team (§2.5).

    Titles, the room to sign and the names are rows of their own, so the three names share a line
    whichever title wraps.
    """
    width = frame.text_width()
    # 13 pt (ND30 allows 13-14): a rank and a name fit one third of the line.
    signer = ParagraphStyle("sign_13", frame.STYLES["signer"], fontSize=13, leading=13 * frame.LEADING)
    note = ParagraphStyle("sign_note", signer, fontName=ITALIC, fontSize=12, leading=14, alignment=TA_CENTER)
    titles = (("ĐẠI DIỆN ĐƠN VỊ", wording.unit.upper().removeprefix("ĐƠN VỊ ")), ("THƯ KÝ",), wording.head)
    names = (minutes.unit_signer, minutes.secretary, minutes.team_head)
    rows = [
        [[frame.para(line, signer) for line in lines] for lines in titles],
        [frame.para("(Ký, ghi rõ họ tên)", note)] * 3,
        [Spacer(1, frame.SIGNATURE_SPACE)] * 3,
        [frame.para(nfc(name).strip() or "\u00a0", signer) for name in names],
    ]
    table = Table(rows, colWidths=[width / 3] * 3, spaceBefore=frame.PARAGRAPH_SPACE * 2)
    table.setStyle([
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("FONT", (0, 0), (-1, -1), REGULAR),   # else the table names Helvetica, unembedded
        ("LEFTPADDING", (0, 0), (-1, -1), 1), ("RIGHTPADDING", (0, 0), (-1, -1), 1),
        ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
    ])
    return table
