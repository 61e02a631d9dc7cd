"""The figures the playbook's rules judge, each a contrast read from Metrics (shared by the
rules and by the neighbours they rule out)."""

from __future__ import annotations

import datetime as dt
import math
import statistics

from ..analytics.closures import closed_dates
from ..analytics.model import Metrics
from ..analytics.period import Period
from .signals import CHANCE_Z, EVIDENCE_Z, share_bound

STRETCH = 7
"""Days in a stretch that :func:`busy_collapse` compares: a week, wherever it starts."""
OPEN_STRETCHES = 2 * STRETCH + 1
"""The fewest open stretches :func:`busy_collapse` judges: as many as three weeks hold."""

DROPOUT_MULTIPLE = 3.0
"""Newcomers must drop out at least this many times as often as established members lapse for
the drop-out to count against the tools: where people have no time, both rise together (about
twice as often for newcomers, whose first week the onboarding fills)."""


def decided(m: Metrics) -> int:
    """The fewest members a group needs before a rule judges it."""
    return max(m.settings.diagnosis.min_newcomers, m.min_group_size)


def dropout_excess(m: Metrics, *, ruling_out: bool = False) -> tuple[float | None, float | None]:
    """(newcomers' week-1 drop-out, at its low end allowing for chance, minus established
    members' lapse; that lapse). ``ruling_out`` takes the high end instead (see
    :mod:`.neighbours`)."""
    c, n = m.contrasts, m.newcomers
    if (
        c is None
        or n.dropout is None
        or c.established_lapse is None
        or n.week1_active is None
        or n.dropped is None
        or n.week1_active < decided(m)
        or (c.established_checked or 0) < m.min_group_size
    ):
        return None, None
    z = CHANCE_Z if ruling_out else EVIDENCE_Z
    low = share_bound(n.dropped, n.week1_active, upper=ruling_out, z=z)
    return low - c.established_lapse, c.established_lapse


def lapses_along(m: Metrics) -> bool:
    """Newcomers' drop-out rises with established members' lapses (less than
    :data:`DROPOUT_MULTIPLE` times them): people come less often, newcomers included."""
    c, n = m.contrasts, m.newcomers
    if c is None or n.dropout is None or c.established_lapse is None:
        return False
    return n.dropout < DROPOUT_MULTIPLE * c.established_lapse


def creator_ratio(m: Metrics, *, ruling_out: bool = False) -> tuple[float | None, float | None]:
    """(stayed newcomers' creator share, at its high end allowing for chance, / established
    members'; the established share). ``ruling_out`` takes the low end instead."""
    c = m.contrasts
    if (
        c is None
        or c.stayed_creator_share is None
        or not c.established_creator_share
        or c.stayed_newcomers is None
        or c.stayed_newcomers < decided(m)
        or (c.established_active or 0) < m.min_group_size
    ):
        return None, None
    creators = round(c.stayed_creator_share * c.stayed_newcomers)
    z = CHANCE_Z if ruling_out else EVIDENCE_Z
    high = share_bound(creators, c.stayed_newcomers, upper=not ruling_out, z=z)
    return high / c.established_creator_share, c.established_creator_share


def _creator_group(m: Metrics) -> tuple[float | None, int]:
    """(the creator share of established members, or of everyone when they are too few; the
    members it is measured on)."""
    c = m.contrasts
    if (
        c is not None
        and c.established_active is not None
        and c.established_active >= m.min_group_size
    ):
        return c.established_creator_share, c.established_active
    return m.headline.creator_share, m.headline.active_members or 0


def established_creators(m: Metrics, *, end: str | None = None) -> float | None:
    """The established members' creator share; ``end="low"`` or ``"high"``: that end of its
    interval at :data:`~.signals.EVIDENCE_Z` (few creators are named only when the high end is
    low; established members count as creating only when the low end is not)."""
    share, whole = _creator_group(m)
    if share is None or end is None:
        return share
    return share_bound(round(share * whole), whole, upper=end == "high", z=EVIDENCE_Z)


def established_create(m: Metrics) -> bool:
    """Established members clearly create: the low end of their creator share is within the
    healthy band. Only then is there a rate to train newcomers towards, and only then are few
    replies a culture (where few create, few answer because little is asked)."""
    low = established_creators(m, end="low")
    return low is not None and low >= m.settings.diagnosis.creator_share.watch


def helping(m: Metrics) -> float | None:
    """The share of contributions that answer others, at its high end: answering is a habit of
    people, not of single contributions, so the sample is the creators, not the contributions."""
    h = m.headline
    if h.helping_share is None or not h.creators:
        return None
    return share_bound(round(h.helping_share * h.creators), h.creators, upper=True, z=EVIDENCE_Z)


def _leaders_against_staff(m: Metrics, part: str, staff_rate: str) -> tuple[int, int, float] | None:
    """(leaders' ``part`` count, leaders, staff's ``staff_rate``) when both groups are shown and
    the figures exist."""
    leaders, staff = m.leader_group("leaders"), m.leader_group("staff")
    if not leaders or not staff or leaders.suppressed or staff.suppressed:
        return None
    count, rate = getattr(leaders, part), getattr(staff, staff_rate)
    if count is None or not leaders.members or not rate:
        return None
    return count, leaders.members, rate


def leader_ratio(m: Metrics, *, ruling_out: bool = False) -> float | None:
    """Leaders' participation rate, at its high end allowing for chance, / staff's.
    ``ruling_out`` takes the low end instead."""
    figures = _leaders_against_staff(m, "active", "participation_rate")
    if figures is None:
        return None
    active, members, rate = figures
    z = CHANCE_Z if ruling_out else EVIDENCE_Z
    return share_bound(active, members, upper=not ruling_out, z=z) / rate


def leader_creator_ratio(m: Metrics) -> float | None:
    """Leaders' creator share, at its high end allowing for chance, / staff's: leaders who log
    in but never write are no role models, whatever their participation rate says."""
    figures = _leaders_against_staff(m, "creators", "contribution_rate")
    if figures is None:
        return None
    creators, members, rate = figures
    return share_bound(creators, members, upper=True, z=EVIDENCE_Z) / rate


def covered(m: Metrics) -> tuple[dt.date, dt.date]:
    """The days of the period that every platform with data in it covers: from the newest of
    their first days of history to the day after the oldest of their as-of days. Days before a
    platform's history starts, or after its data stops being complete, are not quiet days."""
    start, end = m.period.start, m.period.end
    for p in m.as_of:
        if p.newest_day is None or p.newest_day < m.period.start:
            continue  # nothing in the period: a data gap (its own finding), not a quiet week
        if p.oldest_day is not None:
            start = max(start, p.oldest_day)
        if p.as_of is not None:
            end = min(end, p.as_of + dt.timedelta(days=1))
    return start, max(start, end)


def busy_collapse(m: Metrics) -> float | None:
    """The quietest stretch of seven days' member-days, at its high end allowing for chance, /
    the median stretch's, over every seven consecutive days of the period that the platforms'
    data covers (:func:`covered`) and that hold no day the organisation is closed
    (:func:`~e20kit.analytics.closures.closed_dates`).

    Member-days (each member's active days, summed) fall with the time people have; distinct
    active members hardly move when everyone still drops in once. A crunch keeps its own
    dates, not the calendar's: read over fixed weekly blocks, a busy week that straddles two
    blocks halves its dip. Every stretch of seven days holds each weekday once, so weekends
    never make a stretch quiet; a stretch holding a holiday or a closure is quiet because
    nobody is at work, so it is left out. The quietest of many stretches is low by chance
    alone where few members are active, so it is judged one standard error (Poisson: at most
    the spread of a sum of independent active days) above its count.

    Not judged below :data:`OPEN_STRETCHES` open stretches: the number three weeks of covered
    days hold, so without closed days the figure is judged exactly where it always was, and a
    closure leaves as much to compare as three open weeks would.
    """
    days = {p.start: p.active or 0 for p in m.daily}
    start, end = covered(m)
    length = (end - start).days
    closed = closed_dates(m.settings, start, end)  # the covered days, not the period's
    series = [days.get(start + dt.timedelta(days=d), 0) for d in range(length)]
    shut = [start + dt.timedelta(days=d) in closed for d in range(length)]
    stretches = [
        sum(series[i : i + STRETCH])
        for i in range(length - STRETCH + 1)
        if not any(shut[i : i + STRETCH])
    ]
    if len(stretches) < OPEN_STRETCHES:
        return None
    median = statistics.median(stretches)
    if median <= 0:
        return None
    quiet = min(stretches)
    return min(1.0, (quiet + CHANCE_Z * math.sqrt(quiet)) / median)


def closed_in(m: Metrics, period: Period) -> frozenset[dt.date]:
    """The days of ``period`` the organisation was closed, as ``m``'s settings name them."""
    return closed_dates(m.settings, period.start, period.end)


def days_a_week_open(m: Metrics) -> tuple[float | None, float | None]:
    """(Active days a week counted over the days the organisation was open, its change against
    the previous period), for the no-time rule's reading.

    The headline figure divides member-days by the weeks each active member was exposed to
    (a member active in a weekly block counts for the block's days). A closed day is one
    nobody can be active on: in a block it partly covers, members had fewer days to come
    (the figure drops without anyone having less time), while a block closed throughout has
    hardly anyone active and weighs nothing. So each block's exposure counts its open days
    only; scaling by the period's open share instead would inflate the figure wherever whole
    weeks are closed, and hide a real lack of time. The previous period's blocks are not at
    hand to count the same way, so with closed days in either period there is no change
    (never "growing" on a comparison that is not like for like). Without closed days in
    either period both are the headline figure and its change, untouched; the published
    figure itself never changes."""
    days = m.headline.active_days_per_week
    trend = m.trend("active_days_per_week")
    closed = closed_in(m, m.period)
    if not closed and not closed_in(m, m.period.previous()):
        return days, trend.change if trend else None
    exposed = opened = 0.0
    for block in m.weekly:
        if block.active is None:  # published and below k: no weight to give it
            continue
        shut = sum(block.start + dt.timedelta(days=d) in closed for d in range(block.days))
        exposed += block.active * block.days
        opened += block.active * (block.days - shut)
    if days is None or opened <= 0:
        return None, None
    return days * exposed / opened, None


__all__ = [
    "DROPOUT_MULTIPLE",
    "OPEN_STRETCHES",
    "STRETCH",
    "busy_collapse",
    "closed_in",
    "covered",
    "creator_ratio",
    "days_a_week_open",
    "decided",
    "dropout_excess",
    "established_create",
    "established_creators",
    "helping",
    "lapses_along",
    "leader_creator_ratio",
    "leader_ratio",
]
