"""A second benchmark family: organisations resampled from real participation curves.

The sandbox suite (:mod:`e20kit.sandbox.suite`) draws each member's days as independent coin
flips around knobs the playbook's authors chose. This family shares none of that: it reads the
Stack Exchange export under ``../shared/data/stackexchange-conlang-meta`` (272 real users of a
real site over two and a half years) and resamples from it

- **when** people come: each member's active days follow a renewal process whose gaps are drawn
  from the real gaps between a real user's consecutive active days (bursty, heavy-tailed), only
  rescaled to the member's own pace;
- **how much** contributors contribute: each draws a real contributor's lifetime count (the
  real long tail) and the counts of that user's real active days;
- **how** they contribute: each draws a real contributor's mix of starting threads (questions,
  tag wikis), answering others (answers, comments) and editing.

Its healthy organisations also differ in their assumptions: newcomers contribute *less* often
than established members (0.5 to 1.1 of their rate, as the issue measured in another
independent generator), leaders are a little more active than staff, and activity drifts.

Each reason is planted as an intervention on those curves, at ``mild`` (0.5) or ``clear`` (1.0)
strength, written from how the reason shows in a real organisation:

- **complicated**: newcomers make a first attempt (one edit) and abandon the tools; the ones
  who stay and the established members view more without editing and keep to one platform;
- **no_time**: the same work compressed into fewer days (longer gaps, more per day), with a
  crunch of 5 to 12 days at any date;
- **training**: newcomers stall after their first views: they keep coming but rarely start
  contributing, and come less often;
- **unclear_benefit**: few creators at every tenure, more reading without contributing, and
  contributions declining over the window;
- **closed_culture**: few replies and comments, and leaders silent (many absent, the rest
  hardly contributing).

Sizes 200 to 3,000 members, periods 90 to 180 days (the window is twice that, so trends have a
real previous period), one or two platforms, two noise levels. Nothing here is used by the
product; :func:`available` says why the family cannot run where the export is absent.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import sqlalchemy as sa

EXPORT = Path(__file__).resolve().parents[2] / "shared" / "data" / "stackexchange-conlang-meta"
"""The real participation curves (read-only; never copied into the repository)."""

PLANTED = ("complicated", "no_time", "training", "unclear_benefit", "closed_culture")
STRENGTHS = {"mild": 0.5, "clear": 1.0}
SIZES = (200, 260, 400, 650, 900, 1300, 2000, 3000, 240, 500, 800, 1500)
PERIODS = (90, 120, 150, 180)
SETUPS: tuple[tuple[str, ...], ...] = (
    ("confluence",),
    ("mattermost", "confluence"),
    ("mattermost",),
    ("confluence", "sharepoint"),
)
NOISE = (0.5, 1.0)
END = dt.date(2026, 11, 1)


@dataclass(frozen=True)
class Design:
    """The ranges a family's organisations are drawn from."""

    sizes: tuple[int, ...] = SIZES
    periods: tuple[int, ...] = PERIODS
    noise: tuple[float, ...] = NOISE


SHIFTED = Design(
    sizes=(150, 330, 560, 1100, 2500, 180, 420, 750),
    periods=(60, 100, 200),
    noise=(1.5,),
)
"""A third check no rule was tuned on: sizes, periods and a healthy variety outside the ranges
of both families (150 to 2,500 members, 60 to 200 days, half as much variety again as the
family's wider level), same real curves and plantings."""
NEWCOMER_DAYS = 90

_START, _HELP, _EDIT = "start", "help", "edit"
_ACTIONS = {
    "mattermost": {_START: "post", _HELP: "reply", _EDIT: "post"},
    "confluence": {_START: "create", _HELP: "comment", _EDIT: "edit"},
    "sharepoint": {_START: "create", _HELP: "comment", _EDIT: "edit"},
}
_FEATURES = {
    "mattermost": ("discussion", "site", "visit"),
    "confluence": ("wiki", "wiki", "view"),
    "sharepoint": ("files", "files", "view"),
}
"""Per platform: (feature of contributions, feature of reading, reading action)."""


def available() -> str | None:
    """``None`` when the export can be read, else the reason this family cannot run."""
    if not (EXPORT / "Posts.xml").is_file():
        return f"the Stack Exchange export is not at {EXPORT} (../shared/data is absent)"
    return None


@dataclass(frozen=True)
class Curves:
    """What is resampled from the export."""

    gaps: tuple[int, ...]
    """Days between a real user's consecutive active days (all users pooled)."""
    counts: tuple[int, ...]
    """Per real contributor: contributions over their lifetime."""
    day_counts: tuple[tuple[int, ...], ...]
    """Per real contributor: contributions on each of their active days."""
    mixes: tuple[tuple[float, float], ...]
    """Per real contributor: (share starting threads, share helping); the rest edits."""


def _rows(name: str) -> list[dict[str, str]]:
    return [dict(row.attrib) for row in ET.parse(EXPORT / name).getroot()]


@cache
def curves() -> Curves:
    """Read the export once: per-user events (posts, comments, edits) by day and kind."""
    events: dict[str, list[tuple[dt.date, str]]] = defaultdict(list)
    for row in _rows("Posts.xml"):
        user = row.get("OwnerUserId")
        if user and user != "-1":
            kind = _HELP if row.get("PostTypeId") == "2" else _START
            events[user].append((dt.date.fromisoformat(row["CreationDate"][:10]), kind))
    for row in _rows("Comments.xml"):
        user = row.get("UserId")
        if user and user != "-1":
            events[user].append((dt.date.fromisoformat(row["CreationDate"][:10]), _HELP))
    for row in _rows("PostHistory.xml"):
        user = row.get("UserId")
        if user and user != "-1" and row.get("PostHistoryTypeId") in ("4", "5", "6"):
            events[user].append((dt.date.fromisoformat(row["CreationDate"][:10]), _EDIT))
    gaps: list[int] = []
    counts, day_counts, mixes = [], [], []
    for items in events.values():
        per_day: dict[dt.date, int] = defaultdict(int)
        for day, _ in items:
            per_day[day] += 1
        days = sorted(per_day)
        gaps += [(b - a).days for a, b in itertools.pairwise(days)]
        counts.append(len(items))
        day_counts.append(tuple(per_day[d] for d in days))
        kinds = [k for _, k in items]
        mixes.append((kinds.count(_START) / len(kinds), kinds.count(_HELP) / len(kinds)))
    return Curves(tuple(sorted(gaps)), tuple(counts), tuple(day_counts), tuple(mixes))


@dataclass(frozen=True)
class ResampledOrg:
    """One organisation of the family: what was planted, and the drawn parameters."""

    name: str
    reason: str | None
    strength: str
    seed: int
    members: int
    days: int
    platforms: tuple[str, ...]
    noise: float
    params: tuple[tuple[str, float], ...]

    @property
    def knobs(self) -> dict[str, float]:
        return dict(self.params)


def _healthy(rng: random.Random, noise: float) -> dict[str, float]:
    def around(centre: float, spread: float) -> float:
        return centre + rng.uniform(-spread, spread) * noise

    return {
        "creators": around(0.27, 0.08),
        "absent": around(0.08, 0.05),
        "days_per_week": around(2.3, 0.5),
        "pace_spread": around(0.55, 0.15),
        "contribute": around(0.3, 0.1),
        "newcomers": around(0.1, 0.04),
        "newcomer_creators": around(0.8, 0.3),
        "newcomer_dropout": around(0.06, 0.04),
        "leaders": around(1.15, 0.2),
        "leader_absent": around(0.04, 0.03),
        "helping": around(0.85, 0.2),
        "drift": around(0.1, 0.2),
        "second_platform": around(0.45, 0.15),
        "views": 1.0,
        "stretch": 1.0,
        "per_day": 1.0,
        "crunch": 1.0,
        "stalled_pace": 1.0,
        "decline": 0.0,
    }


def _plant(reason: str, s: float, k: dict[str, float], rng: random.Random) -> dict[str, float]:
    k = dict(k)
    if reason == "complicated":
        k["newcomer_dropout"] += (0.7 - k["newcomer_dropout"]) * s
        k["contribute"] *= 1 - 0.3 * s
        k["views"] = 1 + s
        k["second_platform"] *= 1 - 0.6 * s
    elif reason == "no_time":
        k["stretch"] = 1 + 1.0 * s
        k["per_day"] = 1 + 0.6 * s
        k["crunch"] = 1 - 0.7 * s
        k["crunch_days"] = float(rng.randint(5, 12))
        k["crunch_at"] = rng.random()
    elif reason == "training":
        k["newcomer_creators"] *= 1 - 0.7 * s
        k["stalled_pace"] = 1 - 0.4 * s
    elif reason == "unclear_benefit":
        k["creators"] *= 1 - 0.6 * s
        k["views"] = 1 + 0.5 * s
        k["decline"] = 0.6 * s
    elif reason == "closed_culture":
        k["helping"] *= 1 - 0.6 * s
        k["leaders"] *= 1 - 0.5 * s
        k["leader_absent"] += 0.4 * s
        k["leader_contribute"] = 1 - 0.7 * s
    else:  # pragma: no cover - PLANTED lists every branch
        raise ValueError(reason)
    return k


def family(
    seed: int, *, per_strength: int = 6, healthy: int = 12, design: Design = Design()
) -> list[ResampledOrg]:
    """``healthy`` healthy organisations and, per reason, ``per_strength`` mild and clear."""
    rng = random.Random(f"resampled-{seed}" if design == Design() else f"{design}-{seed}")
    cases: list[tuple[str | None, str]] = [(None, "healthy")] * healthy
    for planted in PLANTED:
        cases += [(planted, "mild")] * per_strength + [(planted, "clear")] * per_strength
    out = []
    for number, (reason, strength) in enumerate(cases):
        slot = number + seed
        noise = design.noise[(slot // 5) % len(design.noise)]
        base = _healthy(rng, noise)
        k = base if reason is None else _plant(reason, STRENGTHS[strength], base, rng)
        out.append(
            ResampledOrg(
                name=f"{reason or 'healthy'}-{strength}-{number:02d}",
                reason=reason,
                strength=strength,
                seed=rng.randrange(1, 1_000_000),
                members=design.sizes[slot % len(design.sizes)],
                days=design.periods[(slot // 3) % len(design.periods)],
                platforms=SETUPS[(slot // 2) % len(SETUPS)],
                noise=noise,
                params=tuple(sorted(k.items())),
            )
        )
    return out


def _gap(rng: random.Random, gaps: tuple[int, ...], scale: float) -> int:
    """One real gap, rescaled to the member's pace (at least a day)."""
    return max(1, round(gaps[int(rng.random() * len(gaps))] * scale))


def _people(spec: ResampledOrg, rng: random.Random, start: dt.date) -> list[dict[str, Any]]:
    """The directory: departments, one head each, a team lead per eight, newcomers."""
    k = spec.knobs
    departments = max(3, min(12, spec.members // 120))
    people: list[dict[str, Any]] = []
    for i in range(spec.members):
        dept = i % departments
        head = i < departments
        lead = not head and i % 8 == departments % 8
        newcomer = rng.random() < k["newcomers"] and not head
        if newcomer:
            joined = END - dt.timedelta(days=rng.randint(1, NEWCOMER_DAYS))
        else:
            joined = start - dt.timedelta(days=rng.randint(30, 3000))
        people.append(
            {
                "member_key": f"r{i:05d}",
                "department": f"Dept {dept:02d}",
                "title": "Head" if head else "Team lead" if lead else "Staff",
                "manager_key": None if head else f"r{dept:05d}",
                "joined_on": joined,
                "locale": "de" if rng.random() < 0.3 else "en",
                "is_leader": head or lead,
                "active": True,
                "updated_at": dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
            }
        )
    return people


def _member_facts(
    person: dict[str, Any],
    spec: ResampledOrg,
    c: Curves,
    rng: random.Random,
    start: dt.date,
    window: int,
) -> list[tuple[dt.date, str, str, str, str, str, int, str]]:
    k = spec.knobs
    leader = bool(person["is_leader"])
    if rng.random() < (k["leader_absent"] if leader else k["absent"]):
        return []
    joined: dt.date = person["joined_on"]
    newcomer = joined >= start
    first = max(0, (joined - start).days)
    pace = k["days_per_week"] * (k["leaders"] if leader else 1.0)
    pace *= rng.lognormvariate(0.0, k["pace_spread"])
    share = k["creators"] * (k["newcomer_creators"] if newcomer else 1.0)
    if leader:
        share = min(1.0, share * k["leaders"] * k.get("leader_contribute", 1.0))
    creator = rng.random() < min(1.0, share)
    pick = int(rng.random() * len(c.counts))
    intensity = min(3.0, c.counts[pick] / 6.0)
    q = min(0.9, k["contribute"] * (0.3 + intensity)) * (
        k.get("leader_contribute", 1.0) if leader else 1.0
    )
    mix, day_counts = c.mixes[pick], c.day_counts[pick]
    start_share, help_share = mix[0], min(1.0, mix[1] * k["helping"])
    mean_gap = sum(c.gaps) / len(c.gaps)
    scale = 7.0 / max(0.2, pace) / mean_gap * k["stretch"]
    platforms = spec.platforms
    home = platforms[int(rng.random() * len(platforms))]
    dept = person["department"].split()[-1]
    facts = []
    stop = window
    dropped = newcomer and rng.random() < k["newcomer_dropout"]
    crunch_from = int(k.get("crunch_at", 0.0) * (window - 14))
    crunch_to = crunch_from + int(k.get("crunch_days", 0.0))
    day = first
    onboarding = set()
    if newcomer:  # the first week: looking around on a few workdays
        onboarding = {first + d for d in range(7) if rng.random() < 0.6}
        onboarding.add(first)
    days: list[int] = sorted(onboarding)
    if not dropped:
        day = first + 7 if newcomer else _gap(rng, c.gaps, scale * rng.random())
        slow = k["stalled_pace"] if newcomer else 1.0
        while day < stop:
            days.append(day)
            day += _gap(rng, c.gaps, scale / slow)
    for d in sorted(set(days)):
        if d >= stop:
            break
        when = start + dt.timedelta(days=d)
        if when.weekday() >= 5 and rng.random() < 0.85:
            d += 7 - when.weekday()
            when = start + dt.timedelta(days=d)
            if d >= stop:
                break
        drift = 1.0 + k["drift"] * (d / window - 0.5)
        if crunch_from <= d < crunch_to and rng.random() > k["crunch"]:
            continue
        if rng.random() > min(1.0, drift):
            continue
        used = [home] + [p for p in platforms if p != home and rng.random() < k["second_platform"]]
        for p in used:
            feature, read_feature, read_action = _FEATURES[p]
            views = 1 + int(rng.random() * 4 * k["views"])
            container = f"{p[:2]}-{dept}" if p != "mattermost" or rng.random() < 0.5 else ""
            key = person["member_key"]
            facts.append((when, key, p, read_action, read_feature, container, views, p))
        attempt = dropped and d == first and rng.random() < 0.5
        decline = 1.0 - k["decline"] * d / window
        in_week_one = newcomer and d < first + 7
        chance = q * decline * k["per_day"] * (0.5 if in_week_one else 1.0)
        if not attempt and not (creator and rng.random() < chance):
            continue
        p = used[int(rng.random() * len(used))]
        feature = _FEATURES[p][0]
        count = 1 if attempt else day_counts[int(rng.random() * len(day_counts))]
        for _ in range(min(count, 6)):
            draw = rng.random()
            kind = _EDIT
            if not attempt and draw < start_share:
                kind = _START
            elif not attempt and draw < start_share + help_share:
                kind = _HELP
            action = _ACTIONS[p][kind]
            where = f"{p[:2]}-{dept}" if p != "mattermost" or kind != _HELP else f"mm-{dept}"
            facts.append((when, person["member_key"], p, action, feature, where, 1, p))
    return facts


def store(engine: sa.Engine, spec: ResampledOrg) -> int:
    """Write the organisation (directory, facts of both periods) and its rollups."""
    from e20kit.store import schema
    from e20kit.store.facts import upsert_facts
    from e20kit.store.rollup import refresh_store
    from e20kit.store.upsert import upsert

    c = curves()
    rng = random.Random(spec.seed)
    window = 2 * spec.days
    start = END - dt.timedelta(days=window)
    people = _people(spec, rng, start)
    merged: dict[tuple[Any, ...], int] = {}
    for person in people:
        for row in _member_facts(person, spec, c, rng, start, window):
            key = row[:6] + row[7:]
            merged[key] = merged.get(key, 0) + row[6]
    rows = [(*key[:6], count, key[6]) for key, count in merged.items()]
    with engine.begin() as conn:
        upsert(conn, schema.members, people)
        for i in range(0, len(rows), 50_000):
            upsert_facts(conn, rows[i : i + 50_000])
    refresh_store(engine)
    return len(rows)


def gap_quantiles() -> dict[str, float]:
    """The real gaps' shape (for the docs): median, 90th percentile, share of one-day gaps."""
    g = curves().gaps
    return {
        "median": float(g[len(g) // 2]),
        "p90": float(g[int(len(g) * 0.9)]),
        "one_day": round(bisect.bisect_right(g, 1) / len(g), 3),
    }


__all__ = [
    "EXPORT",
    "PLANTED",
    "SHIFTED",
    "Design",
    "ResampledOrg",
    "available",
    "curves",
    "family",
    "store",
]
