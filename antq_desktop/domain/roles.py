"""The three roles of an account and what each may do."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    QUAN_TRI = "quan_tri"  # administrator: users, catalogues, settings, and everything a cán bộ does
    CAN_BO = "can_bo"      # officer: enters data and prints
    CHI_XEM = "chi_xem"    # leader / viewer: reads and prints, changes nothing

    @property
    def label(self) -> str:
        return {"quan_tri": "Quản trị", "can_bo": "Cán bộ", "chi_xem": "Lãnh đạo / chỉ xem"}[self.value]

    @property
    def can_write(self) -> bool:
        return self is not Role.CHI_XEM

    @property
    def can_administer(self) -> bool:
        return self is Role.QUAN_TRI
