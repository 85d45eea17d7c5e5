"""Giấy công nhận: one landscape A4 page per recognised unit (DOCUMENTS.md §2.4).

No national template exists; this follows practice: a double border, Quốc hiệu and Tiêu
ngữ, the deciding authority, "CÔNG NHẬN", the unit's name large, the achievement, the
decision it rests on, optional "Số vào sổ", then the date line and the signer on the right.

Speed: pages are drawn straight on the canvas, and everything that is the same on every
page (border, Quốc hiệu, authority, heading) is drawn once into a PDF form that each page
reuses, so a batch of 1,000 takes about a second and stays small.

Positions are in mm from the page's bottom-left. A field's position is the centre of its
text block: horizontally the middle of its lines, vertically the middle of the band from
the first line's cap height to the last line's baseline. ``CertificateLayout.offsets_mm``
moves any variable field, e.g. to match pre-printed paper (``blank_form=True``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.colors import Color, black
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from antq_desktop.errors import UserError
from antq_desktop.reports import fonts, frame
from antq_desktop.reports.data import Certificate, CertificateLayout
from antq_desktop.reports.fonts import BOLD, ITALIC, REGULAR, nfc

PAGE = frame.page_size(landscape=True)
WIDTH, HEIGHT = PAGE[0] / mm, PAGE[1] / mm       # 297 x 210 mm
CENTRE = WIDTH / 2
RED = Color(0.70, 0.08, 0.08)
DARK_RED = Color(0.50, 0.07, 0.07)
BLUE = Color(0.08, 0.18, 0.45)
OUTER, INNER = 8, 11.5                            # border insets, mm
TEXT_WIDTH = (WIDTH - 2 * INNER - 24) * mm        # 12 mm of air inside the inner border
SIGNER_X = WIDTH * 0.70                           # centre of the signer's column
SIGNER_WIDTH = 120 * mm
LEADING = 1.22

# Default centres of the variable fields (mm); the full form is laid out around them.
DEFAULTS: dict[str, tuple[float, float]] = {
    "unit_name": (CENTRE, 117),
    "achievement": (CENTRE, 95),
    "decision_ref": (CENTRE, 86),
    "register_number": (WIDTH * 0.22, 30),
    "date_line": (SIGNER_X, 72),
    "signer_title": (SIGNER_X, 63),
    "signer_name": (SIGNER_X, 26),
}
FIELDS = tuple(DEFAULTS)


@dataclass(frozen=True)
class _Style:
    font: str
    size: float
    max_width: float
    max_lines: int = 1
    min_size: float = 10
    color: Color = black


STYLES = {
    "achievement": _Style(BOLD, 18, TEXT_WIDTH, 2, 13),
    "decision_ref": _Style(ITALIC, 14, TEXT_WIDTH, 2, 11),
    "register_number": _Style(REGULAR, 13, 90 * mm),
    "date_line": _Style(ITALIC, 14, SIGNER_WIDTH),
    "signer_title": _Style(BOLD, 14, SIGNER_WIDTH, 3),
    "signer_name": _Style(BOLD, 15, SIGNER_WIDTH),
}


def render_certificates(certificates: list[Certificate], out, layout: CertificateLayout = CertificateLayout(),
                        progress: Callable[[int, int], bool] | None = None) -> int:
    """Write one page per certificate to ``out`` (path or binary file); return the pages written.

    ``progress(done, total)`` runs after every page; when it returns ``False`` the batch
    stops there and the pages so far are saved (the caller may discard the file).
    """
    if not certificates:
        raise UserError("Chưa chọn đơn vị nào để in Giấy công nhận.")
    unknown = set(layout.offsets_mm) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown certificate fields: {', '.join(sorted(unknown))}")
    fonts.register_fonts()
    canvas = Canvas(frame.output_target(out), pagesize=PAGE, initialFontName=REGULAR)
    canvas.setTitle("Giấy công nhận")
    canvas.setCreator("ANTQ Desktop")
    canvas.setSubject("Giấy công nhận")
    forms: dict[tuple[str, str], str] = {}
    done = 0
    for certificate in certificates:
        if not layout.blank_form:
            key = (nfc(certificate.deciding_authority), nfc(certificate.heading))
            if key not in forms:
                forms[key] = f"form{len(forms)}"
                canvas.beginForm(forms[key])
                _draw_fixed(canvas, *key)
                canvas.endForm()
            canvas.doForm(forms[key])
        _draw_fields(canvas, certificate, layout)
        canvas.showPage()
        done += 1
        if progress is not None and progress(done, len(certificates)) is False:
            break
    canvas.save()
    return done


def _draw_fixed(canvas: Canvas, authority: str, heading: str) -> None:
    """The parts of the form that pre-printed paper already has."""
    _border(canvas)
    # Quốc hiệu 13 bold on one line, Tiêu ngữ 14 bold, a rule as long as the Tiêu ngữ (ND30 ô 1).
    # Quốc hiệu on one line, Tiêu ngữ, a rule as long as the Tiêu ngữ (as ND30 ô 1, one size up:
    # the certificate is not an ND30 document and is read from further away).
    _lines(canvas, [frame.QUOC_HIEU], BOLD, 14, CENTRE, 184)
    _lines(canvas, [frame.TIEU_NGU], BOLD, 15, CENTRE, 177)
    rule = fonts.width(frame.TIEU_NGU, BOLD, 15)
    canvas.setLineWidth(frame.RULE_WIDTH)
    canvas.line(CENTRE * mm - rule / 2, 173.2 * mm, CENTRE * mm + rule / 2, 173.2 * mm)
    size, lines = _fit(authority.upper(), BOLD, 16, TEXT_WIDTH, 2, 11)
    _lines(canvas, lines, BOLD, size, CENTRE, 159)
    size, lines = _fit(heading.upper(), BOLD, 38, TEXT_WIDTH, 1, 20)
    _lines(canvas, lines, BOLD, size, CENTRE, 141, RED)
    _ornament(canvas, CENTRE, 130)


def _ornament(canvas: Canvas, x_mm: float, y_mm: float) -> None:
    """A short rule with a diamond in its middle, under the heading."""
    x, y, half = x_mm * mm, y_mm * mm, 1.6 * mm
    canvas.saveState()
    canvas.setStrokeColor(DARK_RED)
    canvas.setFillColor(DARK_RED)
    canvas.setLineWidth(0.8)
    canvas.line(x - 32 * mm, y, x - 2 * half, y)
    canvas.line(x + 2 * half, y, x + 32 * mm, y)
    _diamond(canvas, x, y, half)
    canvas.restoreState()


def _diamond(canvas: Canvas, x: float, y: float, half: float) -> None:
    path = canvas.beginPath()
    path.moveTo(x, y + half)
    path.lineTo(x + half, y)
    path.lineTo(x, y - half)
    path.lineTo(x - half, y)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)


def _border(canvas: Canvas) -> None:
    """A double frame with a diamond at each corner, in dark red."""
    canvas.saveState()
    canvas.setStrokeColor(DARK_RED)
    canvas.setFillColor(DARK_RED)
    canvas.setLineWidth(3)
    canvas.rect(OUTER * mm, OUTER * mm, (WIDTH - 2 * OUTER) * mm, (HEIGHT - 2 * OUTER) * mm)
    canvas.setLineWidth(0.9)
    canvas.rect(INNER * mm, INNER * mm, (WIDTH - 2 * INNER) * mm, (HEIGHT - 2 * INNER) * mm)
    for x in (INNER, WIDTH - INNER):
        for y in (INNER, HEIGHT - INNER):
            _diamond(canvas, x * mm, y * mm, 2.6 * mm)
    canvas.restoreState()


def _draw_fields(canvas: Canvas, certificate: Certificate, layout: CertificateLayout) -> None:
    def at(name: str) -> tuple[float, float]:
        return layout.offsets_mm.get(name, DEFAULTS[name])

    size, lines = _fit(nfc(certificate.unit_name).upper(), BOLD, layout.unit_name_size, TEXT_WIDTH, 2,
                       min(14, layout.unit_name_size))
    _lines(canvas, lines, BOLD, size, *at("unit_name"), BLUE)
    signer = certificate.signer
    texts: dict[str, str] = {
        "achievement": certificate.achievement,
        "decision_ref": certificate.decision_ref,
        "register_number": f"Số vào sổ: {nfc(certificate.register_number)}" if certificate.register_number else "",
        "date_line": frame.date_line(certificate.issuer.place, certificate.issued_on, None),
        # ND30 ô 7a/7b: quyền hạn and chức vụ upper case, bold.
        "signer_title": "\n".join(nfc(t).upper() for t in (signer.authority, signer.title) if t),
        "signer_name": certificate.signer.name,
    }
    for name, text in texts.items():
        if not text:
            continue
        style = STYLES[name]
        size, lines = _fit(nfc(text), style.font, style.size, style.max_width, style.max_lines, style.min_size)
        x, y = at(name)
        if name == "signer_title" and name not in layout.offsets_mm:
            # "KT. CHỦ TỊCH" over "PHÓ CHỦ TỊCH": grow downwards, keep the first line under the date.
            y -= (len(lines) - 1) * size * LEADING / 2 / mm
        _lines(canvas, lines, style.font, size, x, y, style.color)


def _fit(text: str, font: str, size: float, max_width: float, max_lines: int,
         min_size: float) -> tuple[float, list[str]]:
    """The largest size from ``size`` down to ``min_size`` that sets ``text`` in ``max_lines`` lines.

    Below ``min_size`` the text takes more lines instead: it is never wider than ``max_width``.
    """
    while True:
        lines = fonts.balanced_wrap(text, font, size, max_width)
        if len(lines) <= max_lines or size <= min_size:
            return size, lines
        size = max(min_size, size - 0.5)


def _lines(canvas: Canvas, lines: list[str], font: str, size: float, x_mm: float, y_mm: float,
           color: Color = black) -> None:
    """Draw ``lines`` centred on x, with the block's vertical middle on y (see the module notes)."""
    leading = size * LEADING
    cap = size * 0.66                                    # cap height of Liberation Serif
    first = y_mm * mm + ((len(lines) - 1) * leading - cap) / 2
    canvas.setFillColor(color)
    canvas.setFont(font, size)
    for i, line in enumerate(lines):
        canvas.drawCentredString(x_mm * mm, first - i * leading, line)
    if color is not black:
        canvas.setFillColor(black)
