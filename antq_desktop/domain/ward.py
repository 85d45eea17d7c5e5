"""The ward (xã, phường, đặc khu) whose records a database holds."""

from __future__ import annotations

from enum import StrEnum


class WardKind(StrEnum):
    XA = "xa"
    PHUONG = "phuong"
    DAC_KHU = "dac_khu"

    @property
    def label(self) -> str:
        return {WardKind.XA: "xã", WardKind.PHUONG: "phường", WardKind.DAC_KHU: "đặc khu"}[self]


class ProvinceKind(StrEnum):
    TINH = "tinh"
    THANH_PHO = "thanh_pho"

    @property
    def label(self) -> str:
        return {ProvinceKind.TINH: "tỉnh", ProvinceKind.THANH_PHO: "thành phố"}[self]
