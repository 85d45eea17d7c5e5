"""What a unit of the ward is: its kinds, statuses and whether it can be recognised.

Thông tư 124/2021/TT-BCA (Art. 1-2) names the four kinds of unit a ward holds and which of
them cannot be recognised "An toàn về an ninh, trật tự". An ineligible unit stays in the
register (it still takes part in the movement) but is left out of the recognition rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class UnitKind(StrEnum):
    KDC = "kdc"
    CO_QUAN = "co_quan"
    DOANH_NGHIEP = "doanh_nghiep"
    GIAO_DUC = "giao_duc"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def cli_name(self) -> str:
        """The spelling used on the command line: ``kdc``, ``co-quan``, ``doanh-nghiep``, ``giao-duc``."""
        return self.value.replace("_", "-")

    @classmethod
    def from_cli(cls, text: str) -> "UnitKind":
        return cls(text.strip().lower().replace("-", "_"))

    @property
    def rank(self) -> int:
        """Lists and decisions group units in this order: KDC, cơ quan, doanh nghiệp, giáo dục."""
        return list(UnitKind).index(self)


_KIND_LABELS = {
    UnitKind.KDC: "Khu dân cư",
    UnitKind.CO_QUAN: "Cơ quan",
    UnitKind.DOANH_NGHIEP: "Doanh nghiệp",
    UnitKind.GIAO_DUC: "Cơ sở giáo dục",
}

# The usual names of a khu dân cư; the register accepts any other as typed.
KDC_CATEGORIES = ("Tổ dân phố", "Thôn", "Khu phố", "Bản", "Làng", "Ấp", "Xóm", "Khu dân cư")


class UnitStatus(StrEnum):
    ACTIVE = "active"
    MERGED = "merged"
    DISSOLVED = "dissolved"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {
    UnitStatus.ACTIVE: "Đang hoạt động",
    UnitStatus.MERGED: "Đã sáp nhập",
    UnitStatus.DISSOLVED: "Đã giải thể",
}


class SchoolLevel(StrEnum):
    NHA_TRE = "nha_tre"
    MAM_NON = "mam_non"
    TIEU_HOC = "tieu_hoc"
    THCS = "thcs"
    THPT = "thpt"
    NHIEU_CAP = "nhieu_cap"
    GDNN = "gdnn"
    DAI_HOC = "dai_hoc"
    KHAC = "khac"

    @property
    def label(self) -> str:
        return _SCHOOL_LEVEL_LABELS[self]


_SCHOOL_LEVEL_LABELS = {
    SchoolLevel.NHA_TRE: "Nhà trẻ",
    SchoolLevel.MAM_NON: "Mầm non, mẫu giáo",
    SchoolLevel.TIEU_HOC: "Tiểu học",
    SchoolLevel.THCS: "Trung học cơ sở",
    SchoolLevel.THPT: "Trung học phổ thông",
    SchoolLevel.NHIEU_CAP: "Nhiều cấp học",
    SchoolLevel.GDNN: "Giáo dục nghề nghiệp",
    SchoolLevel.DAI_HOC: "Cao đẳng, đại học",
    SchoolLevel.KHAC: "Khác",
}

# TT 124/2021 Art. 1: primary schools, preschools and nurseries are not recognised.
INELIGIBLE_SCHOOL_LEVELS = frozenset({SchoolLevel.NHA_TRE, SchoolLevel.MAM_NON, SchoolLevel.TIEU_HOC})


@dataclass(frozen=True)
class EligibilityFacts:
    kind: UnitKind
    is_armed_forces: bool = False
    is_small_or_micro: bool = False
    school_level: SchoolLevel | None = None


def ineligibility_reason(facts: EligibilityFacts) -> str | None:
    """Why the unit cannot be recognised "An toàn về ANTT", or None when it can."""
    if facts.kind is UnitKind.CO_QUAN and facts.is_armed_forces:
        return "Cơ quan thuộc lực lượng vũ trang"
    if facts.kind is UnitKind.DOANH_NGHIEP and facts.is_small_or_micro:
        return "Doanh nghiệp nhỏ hoặc siêu nhỏ"
    if facts.kind is UnitKind.GIAO_DUC and facts.school_level in INELIGIBLE_SCHOOL_LEVELS:
        return f"Cơ sở giáo dục cấp {facts.school_level.label.lower()}"
    return None


