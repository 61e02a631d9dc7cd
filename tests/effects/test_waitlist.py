"""Buddy pairing as a wait-list: stalled hold-outs are paired only after ``waitlist_days``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa
from champions.helpers import NOW, TODAY, add_member, make_kit

from e20kit.champions.roster import RosterState
from e20kit.store import schema

EXPERIMENT = """
[[experiments]]
id = "buddies-1"
programme = "buddies"
holdout_share = 0.5
outcome = "contributed"
horizon_days = 28
planned_size = 10
waitlist_days = 14
"""


def test_holdouts_wait_then_get_a_buddy(tmp_path: Path, sqlite_url: str) -> None:
    kit = make_kit(tmp_path, sqlite_url, "buddy_cap = 20\nstalled_days = 14", EXPERIMENT)
    for key in ("c1", "c2"):
        add_member(kit.engine, key, "Sales", joined_on=TODAY - dt.timedelta(days=900))
        kit.champions.set_state(key, RosterState.ACTIVE, by="hr", now=NOW)
    newcomers = [f"n{i}" for i in range(10)]
    for key in newcomers:
        add_member(kit.engine, key, "Sales", joined_on=TODAY - dt.timedelta(days=30))
    dry = kit.champions.pair_buddies(now=NOW, dry_run=True)
    first = kit.champions.pair_buddies(now=NOW)
    assert dry.waitlisted == first.waitlisted
    with kit.engine.connect() as conn:
        arms = {r.member_key: r.arm for r in conn.execute(sa.select(schema.experiment_assignments))}
    held = {k for k, arm in arms.items() if arm == "hold-out"}
    assert set(arms) == set(newcomers) and len(held) == 5
    assert set(first.waitlisted) == held
    assert {p.newcomer_key for p in first.new} == set(newcomers) - held
    still = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=13))
    assert not still.new and set(still.waitlisted) == held
    later = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=14))
    assert {p.newcomer_key for p in later.new} == held and not later.waitlisted
