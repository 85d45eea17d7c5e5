"""Combo boxes over our enums.

Qt hands a ``str`` subclass back as a plain ``str``, so an enum stored as item data comes
back without its type: these helpers store the value and rebuild the member on the way out.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from PySide6.QtWidgets import QComboBox

E = TypeVar("E", bound=StrEnum)


def enum_combo(members, none_label: str | None = None, none_last: bool = False) -> QComboBox:
    """A combo of ``members`` by their labels, with an optional "none" choice first (or last)."""
    box = QComboBox()
    if none_label is not None and not none_last:
        box.addItem(none_label, None)
    for member in members:
        label = member.label
        box.addItem(label[:1].upper() + label[1:], member.value)
    if none_label is not None and none_last:
        box.addItem(none_label, None)
    return box


def chosen(box: QComboBox, enum_class: type[E]) -> E | None:
    value = box.currentData()
    return None if value is None else enum_class(value)


def choose(box: QComboBox, member: StrEnum | None) -> None:
    box.setCurrentIndex(max(0, box.findData(None if member is None else member.value)))
