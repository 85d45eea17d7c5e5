"""The exemplary-ward (phường điển hình) checklist, as pure rules: where the ward stands on a criterion."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["CriterionStatus"]


class CriterionStatus(StrEnum):
    """A criterion's result in a year, from the worst (the one nothing recorded means) to met."""

    CHUA_DAT = "chua_dat"
    DANG_THUC_HIEN = "dang_thuc_hien"
    DAT = "dat"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    CriterionStatus.CHUA_DAT: "Chưa đạt",
    CriterionStatus.DANG_THUC_HIEN: "Đang thực hiện",
    CriterionStatus.DAT: "Đạt",
}
