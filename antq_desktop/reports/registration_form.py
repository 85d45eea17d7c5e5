"""Bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm N (TT 124/2021 Art. 9.2.a).

The unit registers itself in Quarter I: its own name heads the page (a khu dân cư under its
ward), "Kính gửi" the ward's people's committee, the criteria of its kind it commits to, for
a khu dân cư the households that registered (Art. 4.1), and its head's signature. ND30 Mẫu
1.4 (văn bản có tên loại) on the shared frame; no number: a khu dân cư keeps no văn thư.
"""

from __future__ import annotations

from antq_desktop.domain.antt import STANDARD_NAME
from antq_desktop.domain.vntext import format_percent
from antq_desktop.reports import frame
from antq_desktop.reports.data import RegistrationForm
from antq_desktop.reports.fonts import REGULAR, nfc

DOTS = "." * 12   # a blank to fill in by hand inside a sentence


def addressee_block(addressee: str) -> frame.CentredLines:
    """"Kính gửi: …." for one addressee, on one line under the title, centred (ND30 ô 9a, 13-14 pt)."""
    text = nfc(addressee).strip().rstrip(".")
    return frame.CentredLines(f"Kính gửi: {text}.", REGULAR, frame.BODY_SIZE, space_before=10, space_after=10)


def percent_text(part: int, whole: int) -> str:
    """"100%", "85,7%": one decimal only when the rate is not whole."""
    value = 100 * part / whole
    return format_percent(value, 0 if value == int(value) else 1)


def render_registration_form(form: RegistrationForm, out) -> None:
    """Write the unit's registration form to ``out`` (path or binary file)."""
    story = [
        frame.header_block(form.issuer, None, None, form.registered_on, form.year),
        *frame.title_block("BẢN ĐĂNG KÝ", f"Phấn đấu đạt tiêu chuẩn {STANDARD_NAME} năm {form.year}"),
        addressee_block(form.addressee),
        *frame.body_block(_paragraphs(form)),
    ]
    closing, signature = story.pop(), frame.signature_block(form.signer, form.recipients)
    story.append(frame.KeepTogether([closing, signature]))
    frame.build_pdf(out, story, title=f"Bản đăng ký năm {form.year} - {nfc(form.unit_name)}",
                    author=nfc(form.unit_name))


def _paragraphs(form: RegistrationForm) -> list[str]:
    unit = nfc(form.unit_name).strip()
    basis = nfc(form.legal_basis).strip().rstrip(".;,")
    paragraphs = [
        (f"Thực hiện {basis}, {unit} đăng ký phấn đấu đạt tiêu chuẩn {STANDARD_NAME} năm {form.year}, "
         "thực hiện đầy đủ các tiêu chí sau:"),
    ]
    count = len(form.criteria)
    for number, title in enumerate(form.criteria, start=1):
        title = nfc(title).strip().rstrip(".;")
        paragraphs.append(f"Tiêu chí {number}: {title}{'.' if number == count else ';'}")
    if form.is_residential:
        paragraphs.append(f"Số hộ gia đình đang cư trú đăng ký tham gia xây dựng khu dân cư {STANDARD_NAME}: "
                          f"{_households(form)}.")
    paragraphs.append(
        f"{unit} cam kết lãnh đạo, tổ chức thực hiện đầy đủ các tiêu chí trên; đề nghị {nfc(form.addressee)} "
        "theo dõi, hướng dẫn, kiểm tra và xét công nhận theo quy định./."
    )
    return paragraphs


def _households(form: RegistrationForm) -> str:
    registered, total = form.households_registered, form.households_total
    left = DOTS if registered is None else str(registered)
    right = DOTS if total is None else str(total)
    text = f"{left}/{right} hộ"
    if registered is not None and total:
        text += f" (đạt {percent_text(registered, total)})"
    return text
