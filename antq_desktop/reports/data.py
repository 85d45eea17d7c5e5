"""Plain data the documents are printed from: no database, no Qt.

Services fill these from the records; the renderers in this package only read them.
Texts are used as given (already in the official wording); the renderers normalise them
to NFC and set case only where ND30 fixes it (names of bodies, titles).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


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


# ---- the ANTT dossier (TT 124/2021 Art. 9.2): registration, review minutes, proposal, lists ----


@dataclass(frozen=True)
class RegistrationForm:
    """Bản đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”, issued by the unit itself."""

    issuer: Issuer          # the unit: e.g. parent "PHƯỜNG MINH XUÂN", name "TỔ DÂN PHỐ 7"
    registered_on: date | None  # the date line; None leaves day and month blank
    year: int
    unit_name: str          # as in running text: "Tổ dân phố 7"
    kind_label: str         # "Khu dân cư", "Cơ quan", ...
    addressee: str          # "Ủy ban nhân dân phường Minh Xuân" (after "Kính gửi:")
    legal_basis: str        # the catalogue's full title: "Thông tư số 124/2021/TT-BCA ngày ..."
    criteria: tuple[str, ...]  # titles of the criteria of the unit's kind, in order (Tiêu chí 1, 2, ...)
    signer: Signer          # the unit's head: title from its head_title, name (may be "")
    recipients: tuple[str, ...]
    is_residential: bool = False  # a khu dân cư: the households line is printed
    households_registered: int | None = None  # a khu dân cư only; None leaves a blank to fill in
    households_total: int | None = None


@dataclass(frozen=True)
class MinutesPoint:
    code: str               # "4b"
    text: str               # the point's wording in the catalogue
    met: bool | None        # None: not assessed
    evidence: str = ""      # căn cứ, minh chứng
    note: str = ""


@dataclass(frozen=True)
class MinutesCriterion:
    number: int
    title: str
    points: tuple[MinutesPoint, ...]

    @property
    def met(self) -> bool | None:
        """Met when every point is; not met when one is not; None while a point is unanswered."""
        results = [point.met for point in self.points]
        if any(result is False for result in results):
            return False
        return None if any(result is None for result in results) else True


@dataclass(frozen=True)
class ReviewMinutes:
    """Biên bản họp đánh giá, đề nghị công nhận (ND30 Mẫu 1.9; TT 124 Art. 9.1, 9.2.b)."""

    issuer: Issuer          # the unit, as on its registration form
    year: int
    unit_name: str          # as in running text
    kind_label: str
    meeting_on: date | None  # None leaves the day blank
    place: str              # "" leaves a dotted blank
    chair: str              # the "Chủ trì" line: "Nguyễn Văn A, Tổ trưởng tổ dân phố"; "" leaves a blank
    chair_name: str         # under "CHỦ TRÌ"; "" for a name written by hand
    secretary: str          # the "Thư ký" line and the name under "THƯ KÝ"; "" for a blank
    attendees: tuple[str, ...]  # one "chức vụ: họ tên" per line; () leaves blank lines
    period: tuple[date, date]   # the evaluation period (TT 124 Art. 8.2)
    legal_basis: str        # the catalogue's full title
    criteria: tuple[MinutesCriterion, ...]
    addressee: str          # "Ủy ban nhân dân phường Minh Xuân": whom the meeting proposes to
    recipients: tuple[str, ...] = ()

    @property
    def unmet(self) -> tuple[MinutesPoint, ...]:
        return tuple(point for criterion in self.criteria for point in criterion.points if point.met is False)

    @property
    def result(self) -> bool | None:
        """Passed when every criterion is met (TT 124 Art. 4-7), failed when one is not, None while incomplete."""
        results = [criterion.met for criterion in self.criteria]
        if any(result is False for result in results):
            return False
        return None if not results or any(result is None for result in results) else True


@dataclass(frozen=True)
class Proposal:
    """Tờ trình đề nghị công nhận of the ward police, with the list of proposed units."""

    issuer: Issuer          # parent "CÔNG AN TỈNH ...", name "CÔNG AN PHƯỜNG ..."
    number: str             # "" leaves the number for the văn thư
    symbol: str             # "TTr-CAP"
    issued_on: date | None  # None leaves day and month blank
    year: int
    proposer: str           # "Công an phường Minh Xuân", in running text
    addressee: str          # "Chủ tịch Ủy ban nhân dân phường Minh Xuân"
    ward_title: str         # "phường Minh Xuân"
    bases: tuple[str, ...]  # "Căn cứ ..." lines, each with its ";" or "."
    eligible: int           # units that can be recognised this year
    registered: int
    assessed: int
    met_criteria: int       # assessed and meeting every criterion
    units: tuple[ListedUnit, ...]  # the proposed units, grouped by kind in the order given
    signer: Signer
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class OutstandingUnit:
    name: str
    kind_label: str
    reasons: tuple[str, ...] = ()  # "4b: Không xảy ra tội phạm ..."; () for a unit not registered


@dataclass(frozen=True)
class OutstandingList:
    """Danh sách đơn vị chưa đăng ký, chưa đạt tiêu chuẩn “An toàn về an ninh, trật tự”."""

    issuer: Issuer
    issued_on: date | None
    year: int
    unregistered: tuple[OutstandingUnit, ...]  # grouped by kind in the order given
    not_passed: tuple[OutstandingUnit, ...]
    signer: Signer
    recipients: tuple[str, ...] = ()


# ---- the movement classification (QĐ 510/QĐ-BCA-V05 Art. 11.2): decision, Tờ trình, score list ----


@dataclass(frozen=True)
class ClassifiedUnit(ListedUnit):
    """A line of the classification decision's list: the unit, its final score and its level."""

    score: Decimal = Decimal(0)  # points, printed the Vietnamese way ("87,5")
    level: str = ""              # the level's label: "Xuất sắc", "Khá", ...


@dataclass(frozen=True)
class ClassificationDecision:
    """Quyết định phân loại phong trào toàn dân bảo vệ an ninh Tổ quốc (DOCUMENTS.md §2.3)."""

    issuer: Issuer
    number: str             # "" leaves the number blank for the văn thư
    symbol: str             # "QĐ-UBND"
    issued_on: date | None  # None leaves day and month blank
    year: int
    subject: str            # trích yếu
    deciding_authority: str  # "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG MINH XUÂN"
    bases: tuple[str, ...]
    articles: tuple[str, ...]  # texts of Điều 1, 2, 3 without the "Điều n." prefix
    units: tuple[ClassifiedUnit, ...]  # the attached list: by level (highest first), then kind, then name
    recipients: tuple[str, ...]
    signer: Signer


@dataclass(frozen=True)
class LevelTally:
    """A row of the counts table: a kind (or the total) and its units at each level."""

    label: str                 # "Khu dân cư", "Tổng cộng"
    eligible: int              # units the year classifies
    scored: int
    by_level: tuple[int, ...]  # in the order of the levels given with it


@dataclass(frozen=True)
class ClassificationProposal:
    """Tờ trình of the ward police proposing the year's classification (QĐ 510 Art. 11.2)."""

    issuer: Issuer          # parent "CÔNG AN TỈNH ...", name "CÔNG AN PHƯỜNG ..."
    number: str             # "" leaves the number for the văn thư
    symbol: str             # "TTr-CAP"
    issued_on: date | None
    year: int
    proposer: str           # "Công an phường Minh Xuân", in running text
    addressee: str          # "Chủ tịch Ủy ban nhân dân phường Minh Xuân"
    ward_title: str         # "phường Minh Xuân"
    bases: tuple[str, ...]
    levels: tuple[str, ...]  # level labels, highest first
    by_kind: tuple[LevelTally, ...]  # the kinds the year classifies, in the usual order
    total: LevelTally
    share_label: str        # "Khá": the level the share of scored units counts from
    share_count: int        # scored units at share_label or above
    signer: Signer
    recipients: tuple[str, ...] = ()


@dataclass(frozen=True)
class ScoredUnit:
    """A row of the score list."""

    name: str
    kind_label: str
    self_total: Decimal | None  # điểm tự chấm; None when the unit gave none
    total: Decimal          # điểm xã chấm, the final score
    proposed: str           # the level the score proposes, after the cap rules
    level: str              # the level decided
    note: str = ""          # cap rules applied, the reason for another level


@dataclass(frozen=True)
class ScoreList:
    """Thống kê danh sách chấm điểm, mức đề xuất đánh giá, phân loại (QĐ 510 Art. 11.2)."""

    issuer: Issuer
    issued_on: date | None
    year: int
    units: tuple[ScoredUnit, ...]  # grouped by kind in the order given
    unscored: int           # units the year classifies that have no score yet
    signer: Signer
    recipients: tuple[str, ...] = ()
