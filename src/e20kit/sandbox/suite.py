"""A labelled suite of synthetic organisations for measuring the diagnosis playbook.

Each organisation is healthy or has one known reason for low use planted at ``mild`` or
``clear`` strength. The plants describe how the reason shows in a real organisation, in
behaviour, never in the playbook's figures or thresholds:

- **complicated**: newcomers try the tools in their first week and give up; those who stay
  stick to the one thing they figured out (fewer platforms and features per day).
- **no_time**: people show up on fewer days, and project crunches crowd the tools out for a
  week or two.
- **training**: newcomers who stay keep reading but rarely start contributing, while the
  established members carry on as before.
- **unclear_benefit**: few people contribute at any tenure, newcomers and long-standing
  members alike; a few enthusiasts carry the rest.
- **closed_culture**: leaders are hardly seen on the tools, and people post rather than answer
  each other.

Every organisation also gets its own healthy variety (``noise``): the base behaviour knobs are
drawn around the sandbox's defaults, so a rule cannot rely on one exact healthy value. Sizes,
period lengths and platform set-ups vary; the generator's window is twice the period, so the
previous period (for trends) is as real as the current one.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..diagnose.signals import CHANCE_Z, share_bound
from ..store import schema
from ..store.facts import FactRow, upsert_facts
from ..store.rollup import refresh_store
from ..store.upsert import upsert
from .org import Org, build_org

__all__ = [
    "DETECTABLE",
    "PLANTED",
    "LabelledOrg",
    "detection_chance",
    "diagnosis_suite",
    "store_org",
]

PLANTED = ("complicated", "no_time", "training", "unclear_benefit", "closed_culture")
"""The reasons the suite plants (the playbook's reason values)."""

STRENGTHS = {"mild": 0.5, "clear": 1.0}
"""How far a plant moves behaviour from healthy towards the reason's full-blown form."""

SIZES = (200, 300, 450, 700, 1100, 200, 350, 600, 1600, 3000)
PERIODS = (90, 120, 150, 180)
SETUPS: tuple[tuple[str, ...], ...] = (
    ("mattermost", "confluence", "sharepoint"),
    ("confluence",),
    ("mattermost", "confluence"),
    ("sharepoint", "mattermost"),
    ("mattermost",),
    ("confluence", "sharepoint"),
)
NOISE = (0.5, 1.0)
"""Healthy variety: 1.0 draws base knobs over the whole healthy range, 0.5 over half of it."""


@dataclass(frozen=True)
class LabelledOrg:
    """One organisation of the suite: what was planted, and how to build it."""

    name: str
    reason: str | None
    """The planted reason (``None``: healthy)."""
    strength: str
    """``healthy``, ``mild`` or ``clear``."""
    seed: int
    members: int
    days: int
    """Length of the period to diagnose: the last ``days`` days of the window."""
    platforms: tuple[str, ...]
    noise: float
    knobs: Mapping[str, Any] = field(default_factory=dict)

    def build(self) -> Org:
        """The organisation over twice the period (the previous period feeds the trends)."""
        departments = max(3, min(12, self.members // 120))
        return build_org(
            self.seed,
            members=self.members,
            departments=departments,
            days=2 * self.days,
            **self.knobs,
        )

    def period(self, org: Org) -> str:
        """The period spec to diagnose, relative to ``org.end``."""
        return f"last-{self.days}d"

    @property
    def planted_ratio(self) -> float | None:
        """For a training plant: the newcomers' chance of becoming a contributor / the
        established members' (the gap the plant describes; 0.68 mild, 0.18 clear)."""
        if self.reason != "training":
            return None
        return float(self.knobs["newcomer_creator_share"]) / float(self.knobs["creator_share"])


DETECTABLE = 0.5
"""A planted gap counts as detectable when a test that gives a small group the benefit of the
doubt would see it at least this often (see :func:`detection_chance`)."""


def detection_chance(
    stayed: int, established_share: float, ratio: float, edge: float, z: float = CHANCE_Z
) -> float:
    """How often ``stayed`` newcomers, each contributing with ``ratio`` x the established
    members' ``established_share``, show a creator share whose Wilson upper bound at ``z``
    lies below ``edge`` x the established share: the recall a rule with that chance allowance
    can reach on this group, whatever its other details.

    Exact (binomial over the number of creators). The group size is a fact of the
    organisation, not of the rule: with 20 newcomers, contributing at two thirds of the
    established rate is within chance most of the time.
    """
    if stayed <= 0 or established_share <= 0:
        return 0.0
    p = min(1.0, ratio * established_share)
    chance = 0.0
    for k in range(stayed + 1):
        if share_bound(k, stayed, upper=True, z=z) < edge * established_share:
            chance += math.comb(stayed, k) * p**k * (1 - p) ** (stayed - k)
    return chance


def _healthy(rng: random.Random, noise: float) -> dict[str, Any]:
    """Base behaviour of a healthy organisation, drawn around the sandbox defaults."""

    def around(centre: float, spread: float) -> float:
        return centre + rng.uniform(-spread, spread) * noise

    return {
        "creator_share": around(0.22, 0.05),
        "heavy_share": around(0.012, 0.004),
        "absent_share": around(0.1, 0.05),
        "reply_share": around(0.45, 0.08),
        "active_days_per_member": around(2.6, 0.35),
        "adoption_trend": around(0.3, 0.25),
        "weekend_factor": around(0.1, 0.05),
        "feature_spread": around(0.6, 0.1),
        "leaders_participation": around(1.2, 0.2),
        "newcomer_share": around(0.1, 0.03),
        "newcomer_dropout": around(0.05, 0.04),
        "newcomer_creator_share": around(0.42, 0.08),
        "leaver_share": around(0.02, 0.01),
    }


def _plant(
    reason: str, s: float, base: dict[str, Any], rng: random.Random, days: int
) -> dict[str, Any]:
    """``base`` with ``reason`` planted at strength ``s`` (0.5 mild, 1.0 clear)."""
    k = dict(base)

    def towards(name: str, target: float) -> None:
        k[name] = base[name] + (target - base[name]) * s

    if reason == "complicated":
        towards("newcomer_dropout", 0.75)
        towards("feature_spread", 0.1)
        k["newcomer_share"] = max(base["newcomer_share"], 0.12)
    elif reason == "no_time":
        towards("active_days_per_member", 0.8)
        first = days // 7 + 1  # week index of the window inside the period
        count = 1 if s < 1 else 2
        start = rng.randint(first + 1, max(first + 1, 2 * days // 7 - count - 1))
        k["busy_weeks"] = tuple(range(start, start + count))
        k["busy_factor"] = 1.0 - 0.75 * s
    elif reason == "training":
        # newcomers who stay start contributing at a fraction of the established members' rate
        k["newcomer_creator_share"] = base["creator_share"] * (1.0 - 0.85 * s) / 0.85
        k["newcomer_share"] = max(base["newcomer_share"], 0.12)
    elif reason == "unclear_benefit":
        towards("creator_share", 0.03)
        towards("newcomer_creator_share", 0.06)
        towards("heavy_share", 0.006)
    elif reason == "closed_culture":
        towards("leaders_participation", 0.25)
        towards("reply_share", 0.08)
    else:  # pragma: no cover - PLANTED lists every branch
        raise ValueError(reason)
    return k


def diagnosis_suite(
    seed: int = 1, *, per_strength: int = 6, healthy: int = 12, sizes: tuple[int, ...] = SIZES
) -> list[LabelledOrg]:
    """``healthy`` healthy organisations and, per reason, ``per_strength`` mild and as many clear.

    Sizes, periods, platform set-ups and noise levels rotate over the organisations, so every
    reason meets each of them; ``seed`` draws the healthy variety and the organisations' seeds.
    """
    rng = random.Random(seed)
    out: list[LabelledOrg] = []
    cases: list[tuple[str | None, str]] = [(None, "healthy")] * healthy
    for planted in PLANTED:
        cases += [(planted, "mild")] * per_strength + [(planted, "clear")] * per_strength
    for number, (reason, strength) in enumerate(cases):
        slot = number + (seed % 7)
        members = sizes[slot % len(sizes)]
        days = PERIODS[(slot // 2) % len(PERIODS)]
        setup = SETUPS[(slot // 3) % len(SETUPS)]
        noise = NOISE[slot % len(NOISE)]
        base = _healthy(rng, noise)
        knobs = base if reason is None else _plant(reason, STRENGTHS[strength], base, rng, days)
        label = f"{reason or 'healthy'}-{strength}-{number:02d}"
        out.append(
            LabelledOrg(
                name=label,
                reason=reason,
                strength=strength,
                seed=rng.randrange(1, 1_000_000),
                members=members,
                days=days,
                platforms=setup,
                noise=noise,
                knobs=knobs,
            )
        )
    return out


def _fact_rows(org: Org, platforms: tuple[str, ...], keys: dict[str, str]) -> Iterator[FactRow]:
    for member, e in org.iter_events(platforms):
        yield (
            e.day,
            keys[member.person_id],
            e.platform,
            e.action.value,
            e.feature.value,
            e.container or "",
            e.count,
            e.platform,
        )


def store_org(
    engine: sa.Engine, org: Org, *, platforms: tuple[str, ...] | None = None, batch: int = 50_000
) -> int:
    """Write ``org``'s directory and the events of ``platforms`` through the store's bulk paths,
    then bring the rollups up to date.

    Member keys are ``m<index>`` (the analytics never see names). Returns the facts written.
    """
    now = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    keys = {m.person_id: f"m{i:05d}" for i, m in enumerate(org.people)}
    people = [
        {
            "member_key": keys[m.person_id],
            "department": m.department,
            "title": m.title,
            "manager_key": None if m.manager_id is None else keys[m.manager_id],
            "joined_on": m.joined_on,
            "locale": m.locale,
            "is_leader": m.is_leader,
            "active": m.active,
            "updated_at": now,
        }
        for m in org.people
    ]
    written = 0
    with engine.begin() as conn:
        upsert(conn, schema.members, people)
        rows: list[FactRow] = []
        for row in _fact_rows(org, platforms or ("mattermost", "confluence", "sharepoint"), keys):
            rows.append(row)
            if len(rows) >= batch:
                upsert_facts(conn, rows)
                written += len(rows)
                rows = []
        upsert_facts(conn, rows)
    refresh_store(engine)  # the analytics read the rollups, never the facts
    return written + len(rows)
