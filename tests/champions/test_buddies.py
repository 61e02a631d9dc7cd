"""Buddies: stalled newcomers paired within caps, own department first, stable across reruns."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import sqlalchemy as sa

from e20kit.champions.buddies import top_level
from e20kit.champions.roster import RosterState
from e20kit.delivery import opt_out
from e20kit.store.schema import champion_buddies

from .conftest import OrgKit
from .helpers import NOW, TODAY, add_fact, add_member, make_kit


def _setup(tmp_path: Path, store_url: str):  # type: ignore[no-untyped-def]
    kit = make_kit(tmp_path, store_url, "buddy_cap = 2\nstalled_days = 14\nnewcomer_days = 90")
    for key, dept in (("s1", "Sales"), ("s2", "Sales"), ("e1", "Eng"), ("m1", "Sales / EMEA")):
        add_member(kit.engine, key, dept, joined_on=TODAY - dt.timedelta(days=900))
        kit.champions.set_state(key, RosterState.ACTIVE, by="hr", now=NOW)
    for i in range(5):
        add_member(kit.engine, f"n-sales-{i}", "Sales", joined_on=TODAY - dt.timedelta(days=30 + i))
    add_member(kit.engine, "n-eng", "Eng", joined_on=TODAY - dt.timedelta(days=20))
    add_member(kit.engine, "n-hr", "HR", joined_on=TODAY - dt.timedelta(days=15))
    add_member(kit.engine, "n-busy", "Sales", joined_on=TODAY - dt.timedelta(days=40))
    add_fact(kit.engine, "n-busy", TODAY - dt.timedelta(days=10), "post")
    add_member(kit.engine, "n-fresh", "Sales", joined_on=TODAY - dt.timedelta(days=3))
    add_member(kit.engine, "old-idle", "Sales", joined_on=TODAY - dt.timedelta(days=400))
    return kit


def _open_pairs(kit) -> dict[str, str]:  # type: ignore[no-untyped-def]
    with kit.engine.connect() as conn:
        rows = conn.execute(
            sa.select(champion_buddies.c.newcomer_key, champion_buddies.c.champion_key).where(
                champion_buddies.c.ended_at.is_(None)
            )
        )
        return {str(n): str(c) for n, c in rows}


def test_pairs_respect_department_nearness_and_caps(tmp_path: Path, store_url: str) -> None:
    kit = _setup(tmp_path, store_url)
    result = kit.champions.pair_buddies(now=NOW)
    matches = {p.newcomer_key: (p.champion_key, p.match) for p in result.new}
    assert set(matches) == {f"n-sales-{i}" for i in range(5)} | {"n-eng", "n-hr"}
    # Oldest stalled newcomers first; least loaded champion of the own department first.
    assert matches["n-sales-4"] == ("s1", "department")
    assert matches["n-sales-3"] == ("s2", "department")
    assert {matches[f"n-sales-{i}"][0] for i in (1, 2)} == {"s1", "s2"}
    assert matches["n-sales-0"] == ("m1", "nearby")
    assert matches["n-eng"] == ("e1", "department")
    assert matches["n-hr"][1] == "anywhere"
    load = Counter(_open_pairs(kit).values())
    assert max(load.values()) <= 2
    assert {e.member_key: e.buddies for e in kit.champions.roster()} == dict(load)


def test_pairs_are_stable_and_dry_run_writes_nothing(tmp_path: Path, store_url: str) -> None:
    kit = _setup(tmp_path, store_url)
    dry = kit.champions.pair_buddies(now=NOW, dry_run=True)
    assert dry.new and _open_pairs(kit) == {}
    first = kit.champions.pair_buddies(now=NOW)
    assert [(p.newcomer_key, p.champion_key) for p in dry.new] == [
        (p.newcomer_key, p.champion_key) for p in first.new
    ]
    pairs = _open_pairs(kit)
    second = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=1))
    assert second.new == () and second.ended == ()
    assert _open_pairs(kit) == pairs
    assert {p.match for p in second.pairs} == {"existing"}


def test_retired_champion_buddies_are_repaired_within_caps(tmp_path: Path, store_url: str) -> None:
    kit = _setup(tmp_path, store_url)
    kit.champions.pair_buddies(now=NOW)
    orphans = {n for n, c in _open_pairs(kit).items() if c == "s1"}
    kit.champions.set_state("s1", RosterState.ALUMNI, by="hr", now=NOW)
    assert orphans.isdisjoint(_open_pairs(kit))
    result = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=1))
    assert {p.newcomer_key for p in result.new} | set(result.unpaired) == orphans
    assert len(result.unpaired) == 1, "every other champion is full"
    load = Counter(_open_pairs(kit).values())
    assert "s1" not in load and max(load.values()) <= 2


def test_pairs_end_when_the_newcomer_period_is_over(tmp_path: Path, store_url: str) -> None:
    kit = _setup(tmp_path, store_url)
    kit.champions.pair_buddies(now=NOW)
    result = kit.champions.pair_buddies(now=NOW + dt.timedelta(days=70))
    assert "n-sales-4" in result.ended  # joined 34 days before NOW: now past 90 days


def test_opted_out_newcomers_and_champions_are_left_out(tmp_path: Path, sqlite_url: str) -> None:
    kit = _setup(tmp_path, sqlite_url)
    opt_out(kit.engine, "n-eng", "champions")
    opt_out(kit.engine, "m1", "all")
    pairs = {p.newcomer_key: p.champion_key for p in kit.champions.pair_buddies(now=NOW).pairs}
    assert "n-eng" not in pairs and "m1" not in pairs.values()


def test_caps_on_the_synthetic_org(org_kit: OrgKit) -> None:
    kit = org_kit.kit
    result = kit.champions.nominate(now=org_kit.now)
    for n in result.nominated[:2]:
        kit.champions.set_state(n.member_key, RosterState.ACTIVE, by="t", now=org_kit.now)
    pairing = kit.champions.pair_buddies(now=org_kit.now)
    assert pairing.new, "the synthetic organisation has stalled newcomers"
    assert len(pairing.pairs) == 4  # two champions, buddy_cap = 2
    assert pairing.unpaired
    assert max(Counter(p.champion_key for p in pairing.pairs).values()) == 2


def test_top_level_department() -> None:
    assert top_level("Sales / EMEA") == top_level("sales>DACH") == "sales"
    assert top_level("Research - Lab") == "research"
    assert top_level(None) is None
