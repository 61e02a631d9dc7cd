"""Builds the directory (people, reporting tree), the containers and each member's profile.

Everything is drawn from one ``random.Random`` in a fixed order, so a seed always gives the same
organisation. Events are not drawn here: they are replayed lazily per member (see _activity).
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import random
from dataclasses import dataclass, replace

from . import _names
from .knobs import Knobs
from .records import PLATFORMS, Container, Member, Profile

NEWCOMER_DAYS = 90
"""Newcomers joined within this many days before the end of the window."""
BASE_ACTIVE_DAYS = 2.5
"""``Knobs.active_days_per_member`` at which profiles use their base activity."""


@dataclass(frozen=True)
class Directory:
    departments: tuple[str, ...]
    people: tuple[Member, ...]
    containers: tuple[Container, ...]
    profiles: tuple[Profile, ...]
    power_users: tuple[str, ...]


def build_directory(
    rng: random.Random, members: int, departments: int, start: dt.date, end: dt.date, k: Knobs
) -> Directory:
    """Draw the whole organisation except its events."""
    if departments < 1 or members < 1 + 2 * departments:
        raise ValueError(f"need at least 1 + 2 x departments members, got {members}/{departments}")
    table = _names.department_table(departments)
    people = _people(rng, members, table, k.de_share)
    staff: dict[str, list[int]] = {name: [] for name, *_ in table}
    for i, person in enumerate(people):
        if person.role == "staff":
            staff[person.department].append(i)
    power = _pick_power_users(rng, staff, k)
    pool = [i for idx in staff.values() for i in idx if i not in power]
    newcomers = set(rng.sample(pool, min(len(pool), round(k.newcomer_share * members))))
    rest = [i for i in pool if i not in newcomers]
    leavers = set(rng.sample(rest, min(len(rest), round(k.leaver_share * members))))
    days = (end - start).days
    lived = [
        _life(rng, p, i in power, i in newcomers, i in leavers, start, end, k)
        for i, p in enumerate(people)
    ]
    containers = _containers(rng, table, start, days, k)
    profiles = tuple(_profile(rng, p, containers, k) for p in lived)
    return Directory(
        departments=tuple(name for name, *_ in table),
        people=tuple(lived),
        containers=containers,
        profiles=profiles,
        power_users=tuple(lived[i].email for i in sorted(power)),
    )


def _sizes(rng: random.Random, total: int, count: int) -> list[int]:
    weights = [rng.uniform(0.6, 1.6) * (1.6 if i == 0 else 1.0) for i in range(count)]
    scale = sum(weights)
    sizes = [max(2, math.floor(total * w / scale)) for w in weights]
    while sum(sizes) > total:
        sizes[sizes.index(max(sizes))] -= 1
    for i in itertools.cycle(range(count)):
        if sum(sizes) >= total:
            break
        sizes[i] += 1
    return sizes


def _people(
    rng: random.Random, members: int, table: list[tuple[str, str, str]], de_share: float
) -> list[Member]:
    width = max(4, len(str(members - 1)))
    used: dict[str, int] = {}
    people: list[Member] = []

    def add(dept: str, title: str, role: str, manager: int | None) -> int:
        german = rng.random() < de_share
        first = rng.choice(_names.FIRST_DE if german else _names.FIRST_EN)
        last = rng.choice(_names.LAST_DE if german else _names.LAST_EN)
        local = _names.email_local(first, last)
        used[local] = used.get(local, 0) + 1
        suffix = str(used[local]) if used[local] > 1 else ""
        index = len(people)
        people.append(
            Member(
                person_id=f"p{index:0{width}d}",
                email=f"{local}{suffix}@example.org",
                display_name=f"{first} {last}",
                first_name=first,
                last_name=last,
                department=dept,
                title=title,
                manager_id=None if manager is None else people[manager].person_id,
                role=role,
                is_leader=role != "staff",
                joined_on=dt.date.min,
                locale="de" if german else "en",
                archetype="lurker",
                newcomer=False,
            )
        )
        return index

    ceo = add(table[0][0], "Chief Executive Officer", "ceo", None)
    for (name, _key, title), size in zip(table, _sizes(rng, members - 1, len(table)), strict=True):
        head = add(name, f"Head of {name}", "head", ceo)
        reports = size - 1
        leads = [add(name, f"Team Lead, {name}", "lead", head) for _ in range(reports // 9)]
        bosses = leads or [head]
        for n in range(reports - len(leads)):
            senior = "Senior " if rng.random() < 0.3 else ""
            add(name, senior + title, "staff", bosses[n % len(bosses)])
    return people


def _pick_power_users(rng: random.Random, staff: dict[str, list[int]], k: Knobs) -> set[int]:
    """Plant power users round-robin over departments, largest first."""
    count = k.power_users if k.power_users is not None else max(1, len(staff) - 1)
    order = sorted(staff, key=lambda name: -len(staff[name]))
    chosen: set[int] = set()
    for name in itertools.islice(itertools.cycle(order), count * 2):
        if len(chosen) >= count:
            break
        free = [i for i in staff[name] if i not in chosen]
        if free:
            chosen.add(rng.choice(free))
    return chosen


def _archetype(rng: random.Random, leader: bool, k: Knobs) -> str:
    lp = k.leaders_participation if leader else 1.0
    absent = 1.0 - (1.0 - k.absent_share) * min(1.0, lp)
    heavy = k.heavy_share * lp
    contributor = k.creator_share * lp
    draw = rng.random()
    if draw < absent:
        return "absent"
    if draw < absent + heavy:
        return "heavy"
    if draw < absent + heavy + contributor:
        return "contributor"
    return "lurker"


def _life(
    rng: random.Random,
    person: Member,
    power: bool,
    newcomer: bool,
    leaver: bool,
    start: dt.date,
    end: dt.date,
    k: Knobs,
) -> Member:
    """Joined date, leaving date and archetype."""
    days = (end - start).days
    if newcomer:
        joined = end - dt.timedelta(days=rng.randint(2, min(NEWCOMER_DAYS, days)))
        creator = rng.random() < k.newcomer_creator_share
        archetype = "contributor" if creator else "lurker"
    else:
        joined = start - dt.timedelta(days=rng.randint(30, 3650))
        archetype = "power" if power else _archetype(rng, person.is_leader, k)
    left = start + dt.timedelta(days=rng.randint(days // 3, days - 1)) if leaver else None
    picture = rng.random() < (0.5 if newcomer else 0.85)
    return replace(
        person,
        joined_on=joined,
        archetype=archetype,
        newcomer=newcomer,
        left_on=left,
        has_picture=picture,
    )


def _containers(
    rng: random.Random, table: list[tuple[str, str, str]], start: dt.date, days: int, k: Knobs
) -> tuple[Container, ...]:
    """Spaces, channels and sites; the first of each platform is org-wide and never dormant."""
    n = len(table)
    wanted = {
        "confluence": k.spaces if k.spaces is not None else n + 3,
        "mattermost": k.channels if k.channels is not None else 2 * n + 6,
        "sharepoint": k.sites if k.sites is not None else n + 3,
    }
    out: list[Container] = []
    for platform in PLATFORMS:
        specs = list(itertools.islice(_container_specs(platform, table), max(1, wanted[platform])))
        ranks = list(range(1, len(specs)))
        rng.shuffle(ranks)
        quiet = set(rng.sample(ranks, round(k.dormant_share * len(ranks))))
        for position, (cid, name, kind, dept) in enumerate(specs):
            rank = 0 if position == 0 else ranks[position - 1]
            dormant = None
            if rank in quiet:
                dormant = start + dt.timedelta(days=rng.randint(0, max(0, days // 2)))
            out.append(Container(cid, name, platform, kind, dept, 1.0 / (rank + 1) ** 0.8, dormant))
    return tuple(out)


def _container_specs(
    platform: str, table: list[tuple[str, str, str]]
) -> itertools.chain[tuple[str, str, str, str | None]]:
    """Endless ``(id, name, kind, department)`` for one platform: org-wide first, then teams."""
    if platform == "mattermost":
        org = ((c, c.replace("-", " ").title(), "channel", None) for c in _names.ORG_CHANNELS)
        team = (
            (f"{key}-{topic}{_round(r)}", f"{name} {topic}{_round(r)}", "channel", name)
            for r in itertools.count()
            for topic in _names.CHANNEL_TOPICS
            for name, key, _ in table
        )
    elif platform == "confluence":
        org = ((key, title, "space", None) for key, title in _names.ORG_SPACES)
        team = (
            (f"{key.upper()}{_round(r)}", f"{name} {topic}", "space", name)
            for r in itertools.count()
            for name, key, _ in table
            for topic in _names.SPACE_TOPICS[r % len(_names.SPACE_TOPICS) :][:1]
        )
    else:
        org = ((f"sites/{key}", title, "site", None) for key, title in _names.ORG_SITES)
        team = (
            (f"sites/{key}{_round(r)}", f"{name}{' ' + str(r + 1) if r else ''}", "site", name)
            for r in itertools.count()
            for name, key, _ in table
        )
    return itertools.chain(org, team)


def _round(r: int) -> str:
    return f"-{r + 1}" if r else ""


def _profile(
    rng: random.Random, person: Member, containers: tuple[Container, ...], k: Knobs
) -> Profile:
    """Activity and contribution chances, usual platforms and containers of one member."""
    scale = k.active_days_per_member / BASE_ACTIVE_DAYS
    archetype = person.archetype
    lp = k.leaders_participation if person.is_leader else 1.0
    bursty = False
    if archetype == "power":
        activity, contribution, most, replies = 0.9 * min(1.0, max(scale, 0.7)), 0.92, 7, 0.6
    elif archetype == "heavy":
        activity, contribution, most = rng.uniform(0.65, 0.9) * scale, 0.75, 5
        replies, bursty = k.reply_share * 0.6, True
    elif archetype == "contributor":
        activity, contribution, most = rng.uniform(0.35, 0.75) * scale, rng.uniform(0.2, 0.5), 2
        replies = k.reply_share
    elif archetype == "lurker":
        activity, contribution, most, replies = rng.uniform(0.12, 0.5) * scale, 0.0, 0, 0.0
    else:
        activity, contribution, most, replies = 0.0, 0.0, 0, 0.0
    if archetype != "power":
        activity = min(0.95, activity * lp)
        # Busy people contribute when they do find time: keep monthly creator shares comparable.
        contribution = min(0.95, contribution * lp / math.sqrt(min(1.0, max(scale, 0.05))))
    weights = [base * rng.uniform(0.3, 1.7) for base in (1.0, 0.8, 0.7)]
    total = sum(weights)
    cumulative = (weights[0] / total, (weights[0] + weights[1]) / total, 1.0)
    homes = tuple(
        _homes(rng, person, [i for i, c in enumerate(containers) if c.platform == p], containers)
        for p in PLATFORMS
    )
    return Profile(
        activity=activity,
        contribution=contribution,
        max_contributions=most,
        reply_share=replies,
        bursty=bursty,
        platform_cumulative=cumulative,
        homes=(homes[0], homes[1], homes[2]),
        extra_platform=min(1.0, k.feature_spread + 0.2)
        if archetype == "power"
        else k.feature_spread,
        dropout=person.newcomer and rng.random() < k.newcomer_dropout,
    )


def _homes(
    rng: random.Random, person: Member, pool: list[int], containers: tuple[Container, ...]
) -> tuple[int, ...]:
    """The member's usual containers on one platform: own department's first, lively ones."""
    candidates = [i for i in pool if containers[i].department in (None, person.department)]
    wanted = (
        8 if person.archetype == "power" else 2 + sum(rng.random() < q for q in (0.6, 0.4, 0.2))
    )
    chosen: list[int] = []
    weights = [
        containers[i].weight * (3.0 if containers[i].department else 1.0) for i in candidates
    ]
    while candidates and len(chosen) < wanted:
        pick = rng.choices(range(len(candidates)), weights)[0]
        chosen.append(candidates.pop(pick))
        weights.pop(pick)
    return tuple(chosen) or (pool[0],)
