"""Nomination: planted power users found, coverage met, stable, opt-outs honoured, events once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from e20kit import ChampionNominated, hookimpl
from e20kit.champions.roster import RosterState
from e20kit.delivery import opt_out
from e20kit.store.schema import champion_history, champion_roster

from .conftest import OrgKit
from .helpers import NOW, department, make_kit


def test_nominees_are_the_planted_power_users_and_coverage_is_met(org_kit: OrgKit) -> None:
    result = org_kit.kit.champions.nominate(now=org_kit.now, by="tester")
    assert {n.member_key for n in result.nominated} == org_kit.power_keys
    assert len(org_kit.org.departments) == len(result.departments)
    assert all(d.met for d in result.departments)
    roster = org_kit.kit.champions.roster()
    assert {e.member_key for e in roster} == org_kit.power_keys
    assert {e.state for e in roster} == {RosterState.CANDIDATE}
    assert {e.updated_by for e in roster} == {"tester"}


def test_rerun_on_unchanged_data_nominates_nobody(org_kit: OrgKit) -> None:
    first = org_kit.kit.champions.nominate(now=org_kit.now)
    later = org_kit.now + dt.timedelta(hours=1)
    second = org_kit.kit.champions.nominate(now=later)
    assert first.nominated and not second.nominated
    # Still stable once candidates became champions.
    for n in first.nominated:
        org_kit.kit.champions.set_state(n.member_key, RosterState.ACTIVE, by="t", now=later)
    assert not org_kit.kit.champions.nominate(now=later).nominated


def test_dry_run_writes_nothing_and_fires_nothing(tmp_path: Path, store_url: str) -> None:
    events: list[ChampionNominated] = []

    class Listener:
        @hookimpl
        def e20kit_champion_nominated(self, event: ChampionNominated) -> None:
            events.append(event)

    kit = make_kit(tmp_path, store_url, plugins=[Listener()])
    department(kit.engine, "Sales", 6, active_top=3)
    dry = kit.champions.nominate(now=NOW, dry_run=True)
    assert [n.member_key for n in dry.nominated] == ["sales-00"]
    assert kit.champions.roster() == [] and events == []
    real = kit.champions.nominate(now=NOW)
    assert real.nominated == dry.nominated
    assert [(e.member_key, e.department) for e in events] == [("sales-00", "Sales")]
    kit.champions.nominate(now=NOW)
    assert len(events) == 1, "the event fires once per nomination"


def test_opted_out_members_are_never_nominated(org_kit: OrgKit) -> None:
    engine = org_kit.kit.engine
    opted = sorted(org_kit.power_keys)
    opt_out(engine, opted[0], "champions")
    opt_out(engine, opted[1], "all")
    opt_out(engine, opted[2], "onboarding")  # another programme: still eligible here
    result = org_kit.kit.champions.nominate(now=org_kit.now)
    nominated = {n.member_key for n in result.nominated}
    assert opted[0] not in nominated and opted[1] not in nominated
    assert opted[2] in nominated
    # Their departments are still covered, by someone else.
    assert all(d.met for d in result.departments)
    assert len(nominated) == len(org_kit.power_keys)


def test_target_per_department_size_and_minimum(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, "members_per_champion = 4\nmin_department_size = 3")
    department(kit.engine, "Big", 9, active_top=5)  # ceil(9/4) = 3
    department(kit.engine, "Tiny", 2, active_top=2)  # below the minimum: none
    department(kit.engine, "Idle", 4)  # nobody active: target 1, unmet
    result = kit.champions.nominate(now=NOW)
    assert [n.member_key for n in result.nominated] == ["big-00", "big-01", "big-02"]
    coverage = {d.department: d for d in result.departments}
    assert (coverage["Big"].target, coverage["Tiny"].target, coverage["Idle"].target) == (3, 0, 1)
    assert not coverage["Idle"].met


def test_covered_departments_are_skipped_by_default(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, "members_per_champion = 100")
    department(kit.engine, "Sales", 6, active_top=3)
    kit.champions.set_state("sales-02", RosterState.ACTIVE, by="hr", now=NOW)  # appointed
    assert kit.champions.nominate(now=NOW).nominated == ()
    # Declined and alumni members never count and are never nominated again.
    kit.champions.set_state("sales-02", RosterState.ALUMNI, by="hr", now=NOW)
    assert [n.member_key for n in kit.champions.nominate(now=NOW).nominated] == ["sales-00"]


def test_without_skipping_active_champions_do_not_count(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(
        tmp_path, store_url, "members_per_champion = 100\nskip_covered_departments = false"
    )
    department(kit.engine, "Sales", 6, active_top=3)
    kit.champions.set_state("sales-02", RosterState.ACTIVE, by="hr", now=NOW)
    assert [n.member_key for n in kit.champions.nominate(now=NOW).nominated] == ["sales-00"]
    assert kit.champions.nominate(now=NOW).nominated == ()


def test_nomination_history_records_who_and_when(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url)
    department(kit.engine, "Sales", 6, active_top=3)
    kit.champions.nominate(now=NOW, by="cron")
    with kit.engine.connect() as conn:
        rows = list(conn.execute(sa.select(champion_history)))
        roster = list(conn.execute(sa.select(champion_roster)))
    assert [(r.member_key, r.from_state, r.to_state, r.changed_by) for r in rows] == [
        ("sales-00", None, "candidate", "cron")
    ]
    assert roster[0].score > 0
