"""Replays one member's daily events from their profile (the hot loop of the generator).

Each member has their own random stream, seeded from the organisation's seed and the member's
position, so events can be produced for one member, for everyone in a stream, or again later,
always identically, without holding the whole organisation's facts in memory.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from ..vocab import Action, Feature
from .records import PLATFORMS, Event, Member, Profile

_MM, _CONF, _SP = 0, 1, 2
_ALL = (_MM, _CONF, _SP)
_NONE = -1
VIEWED_CONTAINERS = 8
"""Upper bound (exclusive) of extra containers a reader opens on one platform in a day."""
WEEK_ONE_ACTIVITY = 0.75
"""A newcomer's chance of being active on a workday of their first week (onboarding)."""

Draw = Callable[[], float]
Cell = tuple[int, Action, Feature, int]
"""(platform index, action, feature, container index or -1) within one day."""


@dataclass(frozen=True)
class Calendar:
    """Per-day facts shared by all members: dates, weekend flags, trend and rhythm factors."""

    start: dt.date
    dates: tuple[dt.date, ...]
    weekend: tuple[bool, ...]
    factor: tuple[float, ...]
    container_ids: tuple[str, ...]
    dormant_index: tuple[int, ...]
    """Per container, the first day index without activity (``len(dates)``: never dormant)."""
    primary: tuple[int, int, int]
    """Per platform, the org-wide container used when a usual one has gone dormant."""


def member_seed(seed: int, index: int) -> int:
    return seed * 1_000_003 + index


def member_events(
    seed: int,
    index: int,
    member: Member,
    profile: Profile,
    cal: Calendar,
    boost: Callable[[int], float] | None = None,
) -> list[Event]:
    """All events of one member, day by day; ``boost`` adds to the day's chance of activity
    (a programme's planted effect, :mod:`.programmes`), drawing the same random numbers."""
    days = len(cal.dates)
    first = max(0, (member.joined_on - cal.start).days)
    stop = days if member.left_on is None else max(0, min(days, (member.left_on - cal.start).days))
    week_one_end = first + 7 if member.newcomer else first
    if profile.activity <= 0.0 and week_one_end <= first:
        return []
    rnd = random.Random(member_seed(seed, index)).random
    creator = profile.contribution > 0.0
    most = max(1, profile.max_contributions)
    out: list[Event] = []
    week, on = -1, True
    for d in range(first, stop):
        if d < week_one_end:
            p = 0.15 if cal.weekend[d] else WEEK_ONE_ACTIVITY
            c = 0.5 if creator else 0.0
        else:
            if profile.dropout:
                break
            p, c = profile.activity * cal.factor[d], profile.contribution
            if profile.bursty:
                if d // 7 != week:
                    week, on = d // 7, rnd() < 0.6
                if not on:
                    p *= 0.25
        if boost is not None:
            p = min(1.0, p + boost(d))
        if rnd() >= p:
            continue
        cells: dict[Cell, int] = {}
        main = _platform(profile, rnd())
        for pi in _ALL:
            if pi == main or rnd() < profile.extra_platform:
                _consume(cells, pi, profile, cal, d, rnd, creator)
        if c > 0.0 and rnd() < c:
            for _ in range(1 + int(rnd() * most)):
                _contribute(cells, _platform(profile, rnd()), profile, cal, d, rnd)
        day = cal.dates[d]
        ids = cal.container_ids
        for (pi, action, feature, ci), count in cells.items():
            out.append(
                Event(day, PLATFORMS[pi], action, feature, ids[ci] if ci >= 0 else None, count)
            )
    return out


def _platform(profile: Profile, draw: float) -> int:
    cumulative = profile.platform_cumulative
    return _MM if draw < cumulative[0] else _CONF if draw < cumulative[1] else _SP


def _container(profile: Profile, cal: Calendar, pi: int, d: int, draw: float) -> int:
    homes = profile.homes[pi]
    ci = homes[int(draw * len(homes))]
    return ci if cal.dormant_index[ci] > d else cal.primary[pi]


def _add(cells: dict[Cell, int], key: Cell, count: int) -> None:
    cells[key] = cells.get(key, 0) + count


def _consume(
    cells: dict[Cell, int],
    pi: int,
    profile: Profile,
    cal: Calendar,
    d: int,
    rnd: Draw,
    creator: bool,
) -> None:
    """Reading and presence: visits, views, syncs; reactions only from people who contribute."""
    ci = _container(profile, cal, pi, d, rnd())
    if pi == _MM:
        _add(cells, (_MM, Action.VISIT, Feature.SITE, _NONE), 1)
        if creator and rnd() < 0.35:
            _add(cells, (_MM, Action.REACT, Feature.DISCUSSION, ci), 1 + int(rnd() * 3))
        return
    for _ in range(1 + int(rnd() * rnd() * VIEWED_CONTAINERS)):
        if pi == _CONF:
            feature = Feature.WIKI if rnd() < 0.8 else Feature.BLOG
            _add(cells, (_CONF, Action.VIEW, feature, ci), 1 + int(rnd() * rnd() * 8))
        else:
            draw = rnd()
            if draw < 0.7:
                _add(cells, (_SP, Action.VIEW, Feature.FILES, ci), 1 + int(rnd() * rnd() * 6))
            elif draw < 0.95:
                _add(cells, (_SP, Action.VISIT, Feature.SITE, ci), 1)
            else:
                _add(cells, (_SP, Action.SYNC, Feature.FILES, ci), 1 + int(rnd() * 3))
        ci = _container(profile, cal, pi, d, rnd())


def _contribute(
    cells: dict[Cell, int], pi: int, profile: Profile, cal: Calendar, d: int, rnd: Draw
) -> None:
    """One contribution; a share of them answer other people (replies, comments)."""
    ci = _container(profile, cal, pi, d, rnd())
    helping = rnd() < profile.reply_share
    draw = rnd()
    if pi == _MM:
        action = Action.REPLY if helping else Action.POST
        if draw < 0.25:
            _add(cells, (_MM, action, Feature.CHAT, _NONE), 1 + int(rnd() * 3))
        else:
            _add(cells, (_MM, action, Feature.DISCUSSION, ci), 1 + int(rnd() * 3))
    elif pi == _CONF:
        if helping:
            feature = Feature.WIKI if draw < 0.8 else Feature.BLOG
            _add(cells, (_CONF, Action.COMMENT, feature, ci), 1 + int(rnd() * 2))
        elif draw < 0.45:
            _add(cells, (_CONF, Action.CREATE, Feature.WIKI, ci), 1)
        elif draw < 0.6:
            _add(cells, (_CONF, Action.CREATE, Feature.BLOG, ci), 1)
        else:
            _add(cells, (_CONF, Action.EDIT, Feature.WIKI, ci), 1 + int(rnd() * 3))
    elif helping:
        _add(cells, (_SP, Action.COMMENT, Feature.FILES, ci), 1)
    elif draw < 0.5:
        _add(cells, (_SP, Action.CREATE, Feature.FILES, ci), 1 + int(rnd() * 2))
    elif draw < 0.85:
        _add(cells, (_SP, Action.EDIT, Feature.FILES, ci), 1 + int(rnd() * 3))
    else:
        _add(cells, (_SP, Action.SHARE, Feature.FILES, ci), 1)
