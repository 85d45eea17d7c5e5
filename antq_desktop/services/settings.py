"""A ward's settings: rules that differ between provinces, kept as data with safe defaults."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from antq_desktop.db.models import Setting

# key -> default value (and the type a stored value must have)
DEFAULTS: dict[str, object] = {
    # TT 124 Art. 5(4): whether the 70% of recognised units is counted over all kinds or in each kind
    "antt.pooled_70": True,
    # the year's targets of the ward plan (shared/seeds: 100% registered, >= 95% recognised)
    "antt.target_registered_pct": 100,
    "antt.target_recognized_pct": 95,
    # who decides: the chairman ("chu_tich") or the people's committee as a body ("ubnd")
    "antt.decision_form": "chu_tich",
    # the province's extra criteria per unit kind: {"kdc": [{"title", "text", "points": [...]}], ...}
    "antt.extra_criteria": {},
}


def get_setting(session: Session, ward_id: int, key: str):
    stored = session.scalar(select(Setting.value).where(Setting.ward_id == ward_id, Setting.key == key))
    return DEFAULTS[key] if stored is None else json.loads(stored)


def set_setting(session: Session, ward_id: int, key: str, value, actor: str) -> None:
    if key not in DEFAULTS:
        raise KeyError(key)
    row = session.get(Setting, (ward_id, key))
    if row is None:
        row = Setting(ward_id=ward_id, key=key)
        session.add(row)
    row.value = json.dumps(value, ensure_ascii=False)
    row.updated_at = datetime.now().replace(microsecond=0)
    row.updated_by = actor
    session.flush()
