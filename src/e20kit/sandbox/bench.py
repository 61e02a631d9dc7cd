"""Cheap, exact-size fact streams for ingest and analytics benchmarks.

``build_org`` models behaviour and yields about 0.9 facts per member-day; benchmarks instead need
an exact, quickly produced volume. These streams give exactly ``n_members x n_days`` facts, one
per member and day (so every key is unique), day by day like a daily collection, with a skewed
mix of actions, features and containers. They are fully validated ``Activity`` models: normal
construction measured 2.5-4 µs per fact, and ``model_construct`` was slower still, so there is no
trusted-values shortcut.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from ..models import Activity, Person
from ..vocab import Action, Feature
from .org import DEFAULT_END

__all__ = ["bench_people", "facts_for_bench"]

_KINDS: tuple[tuple[Action, Feature, int], ...] = (
    # (action, feature, weight): readers dominate, as in real platforms
    (Action.VIEW, Feature.WIKI, 30),
    (Action.VIEW, Feature.FILES, 22),
    (Action.VISIT, Feature.SITE, 20),
    (Action.VIEW, Feature.BLOG, 8),
    (Action.REACT, Feature.DISCUSSION, 4),
    (Action.POST, Feature.DISCUSSION, 4),
    (Action.REPLY, Feature.DISCUSSION, 4),
    (Action.EDIT, Feature.WIKI, 2),
    (Action.COMMENT, Feature.WIKI, 2),
    (Action.CREATE, Feature.FILES, 2),
    (Action.POST, Feature.CHAT, 2),
)
_CONTAINERS = 64


def _person_id(index: int) -> str:
    return f"b{index:06d}"


def facts_for_bench(
    n_members: int,
    n_days: int,
    seed: int = 0,
    *,
    platform: str = "csv",
    end: dt.date = DEFAULT_END,
) -> Iterator[Activity]:
    """Exactly ``n_members * n_days`` facts over the ``n_days`` days before ``end``."""
    rng = random.Random(seed)
    table = rng.sample([k for k in _KINDS for _ in range(k[2])], k=sum(k[2] for k in _KINDS))
    containers = [f"c{i:02d}" for i in range(_CONTAINERS)]
    ids = [_person_id(i) for i in range(n_members)]
    getbits, size = rng.getrandbits, len(table)
    start = end - dt.timedelta(days=n_days)
    for d in range(n_days):
        day = start + dt.timedelta(days=d)
        for person_id in ids:
            bits = getbits(24)
            action, feature, _ = table[bits % size]
            chat = feature is Feature.CHAT
            yield Activity(
                day=day,
                platform=platform,
                person_id=person_id,
                action=action,
                feature=feature,
                # squaring a uniform draw skews use towards the first, lively containers
                container=None
                if chat
                else containers[((bits >> 8) & 63) * ((bits >> 8) & 63) >> 6],
                count=1 + ((bits >> 14) & 7) * ((bits >> 17) & 7) // 8,
            )


def bench_people(n_members: int, *, platform: str = "csv") -> Iterator[Person]:
    """The members that :func:`facts_for_bench` refers to (ten departments, no managers)."""
    for i in range(n_members):
        yield Person(
            platform=platform,
            person_id=_person_id(i),
            email=f"bench.{i}@example.org",
            department=f"Department {i % 10}",
        )
