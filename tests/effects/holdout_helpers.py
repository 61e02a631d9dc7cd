"""Builders for effects tests: an onboarding kit with one nudges experiment."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from onboarding.helpers import add_member, days_ago, make_kit

from e20kit import Kit
from e20kit.store import schema

EXPERIMENT = """
[[experiments]]
id = "nudges-1"
checklist = "newcomers"
holdout_share = {share}
outcome = "active_last_week"
horizon_days = 28
planned_size = {planned}
"""

DEPARTMENTS = {"Sales": 20, "Finance": 15, "IT": 7}


def experiment_kit(tmp_path: Path, store_url: str, share: float = 0.2, planned: int = 40) -> Kit:
    return make_kit(tmp_path, store_url, EXPERIMENT.format(share=share, planned=planned))


def populate(kit: Kit) -> list[str]:
    keys = []
    for department, size in DEPARTMENTS.items():
        for i in range(size):
            key = f"{department.lower()}-{i:02d}"
            add_member(kit.engine, key, days_ago(10), department=department)
            keys.append(key)
    return keys


def arms(kit: Kit) -> dict[str, tuple[str, str, int]]:
    with kit.engine.connect() as conn:
        return {
            r.member_key: (r.arm, r.stratum, r.seq)
            for r in conn.execute(sa.select(schema.experiment_assignments))
        }
