"""Where a unit stands in its "An toàn về ANTT" year (TT 124/2021, Art. 9: register, review, propose, decide)."""

from __future__ import annotations

from enum import StrEnum


class Stage(StrEnum):
    REGISTERED = "registered"
    ASSESSED = "assessed"
    PROPOSED = "proposed"
    RECOGNIZED = "recognized"
    NOT_RECOGNIZED = "not_recognized"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    Stage.REGISTERED: "Đã đăng ký",
    Stage.ASSESSED: "Đã họp đánh giá",
    Stage.PROPOSED: "Đã đề nghị công nhận",
    Stage.RECOGNIZED: "Đạt",
    Stage.NOT_RECOGNIZED: "Chưa đạt",
}
NOT_REGISTERED_LABEL = "Chưa đăng ký"


def stage_label(stage: Stage | None) -> str:
    return NOT_REGISTERED_LABEL if stage is None else stage.label
