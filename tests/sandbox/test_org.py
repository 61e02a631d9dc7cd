"""The synthetic organisation: determinism, realistic shape, and knobs that move their figure."""

from __future__ import annotations

import collections
import datetime as dt
import itertools
import os
import re
import subprocess
import sys
import tracemalloc
from dataclasses import dataclass
from functools import cache
from typing import Any

import pytest

from e20kit.models import Activity, Person
from e20kit.sandbox import PLATFORMS, PRESETS, Org, build_org
from e20kit.vocab import CONSUMPTION_ACTIONS, CONTRIBUTION_ACTIONS, HELPING_ACTIONS, Action


@cache
def org_for(preset: str = "healthy", **knobs: Any) -> Org:
    return build_org(preset=preset, **knobs)


@dataclass(frozen=True)
class Figures:
    """The headline figures the diagnosis rules look at, computed naively from events."""

    active_share: dict[bool, float]  # by is_leader: share active in the last 28 days
    creator_share_leaders: float
    creator_share_staff: float
    creators_per_active: float
    active_days_per_week: float
    helping_share: float
    newcomer_week4_retention: float
    newcomer_creator_share: float


def figures(org: Org) -> Figures:
    last = org.end - dt.timedelta(days=28)
    days: dict[str, set[dt.date]] = collections.defaultdict(set)
    recent: dict[str, set[dt.date]] = collections.defaultdict(set)
    creators: set[str] = set()
    ever_created: set[str] = set()
    contributions = helping = 0
    for member, e in org.iter_events():
        days[member.person_id].add(e.day)
        if e.action in CONTRIBUTION_ACTIONS:
            ever_created.add(member.person_id)
            contributions += e.count
            helping += e.count if e.action in HELPING_ACTIONS else 0
        if e.day >= last:
            recent[member.person_id].add(e.day)
            if e.action in CONTRIBUTION_ACTIONS:
                creators.add(member.person_id)
    leaders = {p.person_id for p in org.people if p.is_leader}
    staff = {p.person_id for p in org.people} - leaders
    weekly = [
        n
        for ds in recent.values()
        for n in collections.Counter((d - last).days // 7 for d in ds).values()
    ]
    cohort = [m for m in org.newcomers if (org.end - m.joined_on).days >= 35]
    retained = [
        m for m in cohort if any(21 <= (d - m.joined_on).days < 28 for d in days[m.person_id])
    ]
    return Figures(
        active_share={
            True: len(recent.keys() & leaders) / len(leaders),
            False: len(recent.keys() & staff) / len(staff),
        },
        creator_share_leaders=len(creators & leaders) / len(leaders),
        creator_share_staff=len(creators & staff) / len(staff),
        creators_per_active=len(creators) / len(recent),
        active_days_per_week=sum(weekly) / len(weekly),
        helping_share=helping / contributions,
        newcomer_week4_retention=len(retained) / len(cohort),
        newcomer_creator_share=sum(m.person_id in ever_created for m in org.newcomers)
        / len(org.newcomers),
    )


def contributions_by_member(org: Org) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter({p.person_id: 0 for p in org.people})
    for member, e in org.iter_events():
        if e.action in CONTRIBUTION_ACTIONS:
            counts[member.person_id] += e.count
    return counts


# -- determinism -------------------------------------------------------------------------------


def test_same_seed_gives_the_same_org_and_events() -> None:
    first, second = build_org(seed=3, members=120, days=30), build_org(seed=3, members=120, days=30)
    assert first == second
    assert list(first.iter_events()) == list(second.iter_events())
    other = build_org(seed=4, members=120, days=30)
    assert other.people != first.people
    assert list(other.iter_events()) != list(first.iter_events())


_DIGEST = """
import hashlib
from e20kit.sandbox import build_org
org = build_org(members=80, departments=3, days=30)
print(hashlib.sha256(repr((org.people, list(org.iter_events()))).encode()).hexdigest())
"""


def test_determinism_does_not_depend_on_hash_randomisation() -> None:
    digests = {
        subprocess.run(
            [sys.executable, "-c", _DIGEST],
            env={**os.environ, "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(digests) == 1


def test_events_of_one_member_replay_identically() -> None:
    org = org_for()
    member = org.member(org.power_users[0])
    assert org.events(member.person_id) == org.events(member.email)
    assert org.events(member.person_id) == [e for m, e in org.iter_events() if m is member]


# -- directory ---------------------------------------------------------------------------------


def test_directory_shape() -> None:
    org = org_for()
    assert len(org.people) == 300
    assert len(org.departments) == 8
    ids = [p.person_id for p in org.people]
    emails = [p.email for p in org.people]
    assert len(set(ids)) == len(ids)
    assert len(set(emails)) == len(emails)
    assert all(re.fullmatch(r"[a-z]+\.[a-z]+\d*@example\.org", e) for e in emails)
    assert {p.locale for p in org.people} == {"en", "de"}
    assert {p.department for p in org.people} == set(org.departments)


def test_reporting_tree() -> None:
    org = org_for()
    roots = [p for p in org.people if p.manager_id is None]
    assert [p.role for p in roots] == ["ceo"]
    heads = [p for p in org.people if p.role == "head"]
    assert sorted(h.department for h in heads) == sorted(org.departments)
    assert all(h.manager_id == roots[0].person_id for h in heads)
    for person in org.people:
        if person.manager_id is not None:
            assert org.member(person.manager_id).is_leader
        assert person.is_leader == bool(org.reports_of(person.person_id))
    assert 0.05 < len(org.leaders) / len(org.people) < 0.25


def test_newcomers_join_during_the_last_90_days() -> None:
    org = org_for()
    assert len(org.newcomers) == round(0.08 * 300)
    for m in org.newcomers:
        assert org.end - dt.timedelta(days=90) <= m.joined_on < org.end
        assert not m.is_leader
    veterans = [p for p in org.people if not p.newcomer]
    assert all(p.joined_on < org.start for p in veterans)


def test_people_records_are_valid_persons() -> None:
    org = org_for()
    records = list(org.people_records("mattermost"))
    assert len(records) == len(org.people)
    assert all(isinstance(r, Person) and r.platform == "mattermost" for r in records)
    assert any(not r.active for r in records)  # leavers are deactivated
    assert records[1].manager_id == records[0].person_id


# -- activity shape ----------------------------------------------------------------------------


def test_participation_is_long_tailed() -> None:
    org = org_for()
    counts = contributions_by_member(org)
    ranked = sorted(counts.values(), reverse=True)
    total = sum(ranked)
    assert sum(ranked[: len(ranked) // 10]) > 0.5 * total  # top 10 % make the majority
    assert sum(ranked[: len(ranked) // 100]) > 0.1 * total  # the "1" is visible
    active = {m.person_id for m, _ in org.iter_events()}
    lurkers = [pid for pid in active if counts[pid] == 0]
    assert len(lurkers) > 0.5 * len(active)
    lurker_actions = {e.action for m, e in org.iter_events() if m.person_id in set(lurkers)}
    assert lurker_actions <= CONSUMPTION_ACTIONS | {Action.SYNC}  # reading and syncing only
    assert len(active) < len(org.people)  # some never use the platforms at all


def test_adoption_rises_and_weekends_are_quiet() -> None:
    org = org_for()
    per_day = collections.Counter(e.day for _, e in org.iter_events())
    first = sum(per_day[org.start + dt.timedelta(days=d)] for d in range(28))
    last = sum(per_day[org.end - dt.timedelta(days=d + 1)] for d in range(28))
    assert last > 1.2 * first
    weekend = [n for day, n in per_day.items() if day.weekday() >= 5]
    workday = [n for day, n in per_day.items() if day.weekday() < 5]
    assert sum(weekend) / len(weekend) < 0.3 * sum(workday) / len(workday)


def test_events_respect_joining_leaving_and_the_window() -> None:
    org = org_for()
    for member, e in org.iter_events():
        assert org.start <= e.day < org.end
        assert e.day >= member.joined_on
        assert member.left_on is None or e.day < member.left_on
        assert e.platform in PLATFORMS
        assert e.count >= 1


def test_containers_lively_and_dormant() -> None:
    org = org_for()
    last_use: dict[str, dt.date] = {}
    uses: collections.Counter[str] = collections.Counter()
    for _, e in org.iter_events():
        if e.container is not None:
            last_use[e.container] = max(e.day, last_use.get(e.container, e.day))
            uses[e.container] += e.count
    dormant = [c for c in org.containers if c.dormant_from is not None]
    assert dormant and len(dormant) < len(org.containers) / 2
    for c in dormant:
        assert c.dormant_from is not None
        assert c.container_id not in last_use or last_use[c.container_id] < c.dormant_from
    for platform in PLATFORMS:
        lively = org.containers_of(platform)[0]
        assert lively.dormant_from is None
        assert last_use[lively.container_id] >= org.end - dt.timedelta(days=3)
    assert len({c.container_id for c in org.containers}) == len(org.containers)


def test_fact_keys_stay_unique_when_folded_into_one_platform() -> None:
    org = org_for()
    facts = list(org.iter_activity())
    assert all(isinstance(f, Activity) and f.platform == "csv" for f in facts)
    keys = [(f.day, f.person_id, f.action, f.feature, f.container) for f in facts]
    assert len(keys) == len(set(keys))
    only_mm = list(org.iter_activity("mattermost", platforms=["mattermost"]))
    assert only_mm and len(only_mm) < len(facts)
    assert {f.platform for f in only_mm} == {"mattermost"}


def test_power_users_are_planted_in_most_departments_and_stand_out() -> None:
    org = org_for()
    power = [org.member(email) for email in org.power_users]
    departments = {m.department for m in power}
    assert len(departments) >= len(org.departments) - 1
    counts = contributions_by_member(org)
    top = {pid for pid, _ in counts.most_common(len(power))}
    assert {m.person_id for m in power} == top
    for m in power:
        events = org.events(m.person_id)
        replies = sum(e.count for e in events if e.action in HELPING_ACTIONS)
        made = sum(e.count for e in events if e.action in CONTRIBUTION_ACTIONS)
        assert replies > 0.4 * made
        assert len({e.container for e in events if e.container}) >= 8
        weeks = {(e.day - org.start).days // 7 for e in events}
        assert len(weeks) >= org.days // 7  # active every full week


def test_power_users_can_be_counted() -> None:
    org = build_org(members=200, departments=4, power_users=6)
    assert len(org.power_users) == 6
    assert len({org.member(e).department for e in org.power_users}) == 4


# -- knobs -------------------------------------------------------------------------------------


def test_healthy_preset_is_the_default() -> None:
    assert build_org(members=60, departments=3, days=20) == build_org(
        members=60, departments=3, days=20, preset="healthy"
    )


def test_healthy_figures() -> None:
    f = figures(org_for())
    assert f.active_share[True] >= f.active_share[False]
    assert f.creator_share_leaders >= f.creator_share_staff
    assert f.creators_per_active > 0.2
    assert f.active_days_per_week > 2.0
    assert f.helping_share > 0.35
    assert f.newcomer_week4_retention > 0.6
    assert f.newcomer_creator_share > 0.25


def test_closed_culture_leaders_participate_less_than_staff() -> None:
    f = figures(org_for("closed_culture"))
    assert f.active_share[True] < 0.5 * f.active_share[False]
    assert f.creator_share_leaders < 0.5 * f.creator_share_staff
    assert f.helping_share < figures(org_for()).helping_share - 0.05


def test_unclear_benefit_few_creators() -> None:
    healthy, low = figures(org_for()), figures(org_for("unclear_benefit"))
    assert low.creators_per_active < 0.5 * healthy.creators_per_active


def test_complicated_newcomers_drop_out_after_week_one() -> None:
    healthy, low = figures(org_for()), figures(org_for("complicated"))
    assert low.newcomer_week4_retention < 0.5 * healthy.newcomer_week4_retention


def test_no_time_few_active_days() -> None:
    healthy, low = figures(org_for()), figures(org_for("no_time"))
    assert low.active_days_per_week < 0.7 * healthy.active_days_per_week


def test_too_little_training_newcomers_do_not_create() -> None:
    healthy, low = figures(org_for()), figures(org_for("too_little_training"))
    assert low.newcomer_creator_share < 0.3 * healthy.newcomer_creator_share


@pytest.mark.parametrize(
    ("knob", "low", "high", "figure"),
    [
        ("creator_share", 0.05, 0.4, "creators_per_active"),
        ("active_days_per_member", 1.0, 3.5, "active_days_per_week"),
        ("reply_share", 0.1, 0.7, "helping_share"),
        ("newcomer_creator_share", 0.1, 0.8, "newcomer_creator_share"),
    ],
)
def test_each_knob_moves_its_figure(knob: str, low: float, high: float, figure: str) -> None:
    small = getattr(figures(org_for(**{knob: low})), figure)
    large = getattr(figures(org_for(**{knob: high})), figure)
    assert small < large


def test_feature_spread_widens_daily_use() -> None:
    def platforms_per_active_day(org: Org) -> float:
        days: dict[tuple[str, dt.date], set[str]] = collections.defaultdict(set)
        for member, e in org.iter_events():
            days[(member.person_id, e.day)].add(e.platform)
        return sum(len(p) for p in days.values()) / len(days)

    assert platforms_per_active_day(org_for(feature_spread=0.1)) < platforms_per_active_day(
        org_for(feature_spread=0.9)
    )


def test_busy_weeks_collapse_activity() -> None:
    org = org_for("no_time")
    assert org.knobs.busy_weeks
    per_week = collections.Counter((e.day - org.start).days // 7 for _, e in org.iter_events())
    busy = [per_week[w] for w in org.knobs.busy_weeks]
    ordinary = [n for w, n in per_week.items() if w not in org.knobs.busy_weeks and w < 17]
    assert max(busy) < 0.5 * min(ordinary)


def test_dropout_and_leaders_knobs_move_their_figures() -> None:
    assert (
        figures(org_for(newcomer_dropout=0.9, newcomer_share=0.15)).newcomer_week4_retention
        < figures(org_for(newcomer_dropout=0.0, newcomer_share=0.15)).newcomer_week4_retention
    )
    shy, bold = figures(org_for(leaders_participation=0.4)), figures(org_for())
    assert shy.active_share[True] < bold.active_share[True]


def test_every_preset_builds_and_unknown_names_fail() -> None:
    for preset in PRESETS:
        assert build_org(members=60, departments=3, days=20, preset=preset).people
    with pytest.raises(ValueError, match="unknown preset"):
        build_org(preset="sunny")
    with pytest.raises(TypeError, match="unknown org knobs"):
        build_org(leader_participation=0.5)
    with pytest.raises(ValueError, match=r"within 0\.\.1"):
        build_org(creator_share=1.5)
    with pytest.raises(ValueError):
        build_org(members=10, departments=8)


# -- scale -------------------------------------------------------------------------------------


def test_a_large_org_streams_in_constant_memory() -> None:
    org = build_org(members=10_000, days=100)
    tracemalloc.start()
    try:
        taken = sum(1 for _ in itertools.islice(org.iter_activity(), 60_000))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert taken == 60_000
    assert peak < 20 * 1024 * 1024
