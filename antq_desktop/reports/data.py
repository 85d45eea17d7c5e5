"""Plain data the documents are printed from: no database, no Qt.

Services fill these from the records; the renderers in this package only read them.
Texts are used as given (already in the official wording); the renderers normalise them
to NFC and set case only where ND30 fixes it (names of bodies, titles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Issuer:
    parent: str | None   # managing body, upper case, regular weight, e.g. "CÔNG AN TỈNH TUYÊN QUANG"; None for a commune UBND
    name: str            # issuing body, upper case, bold; "\n" splits lines, e.g. "ỦY BAN NHÂN DÂN\nPHƯỜNG MINH XUÂN"
    place: str           # địa danh of the date line, e.g. "Minh Xuân"


@dataclass(frozen=True)
class Signer:
    authority: str | None   # "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" or None
    title: str              # "CHỦ TỊCH", "PHÓ CHỦ TỊCH", "TRƯỞNG CÔNG AN PHƯỜNG"
    name: str               # may be "" (left blank for signing by hand)


@dataclass(frozen=True)
class ListedUnit:
    name: str
    kind_label: str         # "Khu dân cư", "Cơ quan", ...
    address: str = ""
    note: str = ""


@dataclass(frozen=True)
class RecognitionDecision:
    issuer: Issuer
    number: str             # "" leaves the number blank for the văn thư: "Số:      /QĐ-UBND"
    symbol: str             # "QĐ-UBND"
    issued_on: date | None  # None leaves day and month blank: "ngày     tháng     năm 2026" (year = year field)
    year: int
    subject: str            # trích yếu
    deciding_authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    bases: tuple[str, ...]  # căn cứ lines in order, each with its final ";" or "." as given
    articles: tuple[str, ...]  # texts of Điều 1, 2, 3... without the "Điều n." prefix
    units: tuple[ListedUnit, ...]  # the attached list, in the order given (already grouped by kind)
    recipients: tuple[str, ...]    # Nơi nhận lines, e.g. "- Như Điều 3;", "- Lưu: VT, CA."
    signer: Signer
    list_title: str = ""    # heading of the attached list; a sensible default is built when empty
    # The "(Kèm theo Quyết định số … của …)" line under the list heading; built from the number,
    # the date and deciding_authority when empty. Set it when the automatic wording of the
    # authority in running text ("Chủ tịch Ủy ban nhân dân phường …") would be wrong.
    list_reference: str = ""


@dataclass(frozen=True)
class Certificate:
    issuer: Issuer
    deciding_authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    unit_name: str           # printed in large upper case
    achievement: str         # 'Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026'
    decision_ref: str        # "(Quyết định số 125/QĐ-UBND ngày 18 tháng 11 năm 2026 của Chủ tịch UBND phường Minh Xuân)"
    issued_on: date | None
    signer: Signer
    register_number: str = ""  # "Số vào sổ: ..." when not empty
    heading: str = "CÔNG NHẬN"


@dataclass(frozen=True)
class CertificateLayout:
    blank_form: bool = False  # True: print only the variable fields, for pre-printed certificate paper
    # field name -> (x, y) of the field's centre from the page's bottom-left, overriding defaults;
    # fields: "unit_name", "achievement", "decision_ref", "register_number", "date_line",
    # "signer_title", "signer_name"
    offsets_mm: dict[str, tuple[float, float]] = field(default_factory=dict)
    unit_name_size: float = 26.0
