"""A deterministic synthetic organisation that feeds the demo, the fakes and the tests.

``build_org`` draws the directory, containers and hidden behaviour profiles (cheap, even for
10,000 members); events are replayed lazily per member, so streaming a million facts never holds
them all in memory. The same seed and arguments always give the same organisation and events.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..models import Activity, Person, Window
from ._activity import Calendar, member_events
from ._directory import build_directory
from .knobs import Knobs, resolve_knobs
from .programmes import NO_PROGRAMME, Programme
from .records import PLATFORMS, Container, Event, Member, Profile

__all__ = ["DEFAULT_END", "Org", "build_org"]

DEFAULT_END = dt.date(2026, 11, 1)
"""Default end of the window (exclusive): fixed, so builds never depend on today's date."""


@dataclass(frozen=True)
class Org:
    """The organisation over the half-open window ``[start, end)``.

    ``people`` are ordered CEO first, then each department's head, team leads and staff.
    ``power_users`` are the e-mails of the planted power users (what champion scoring must find).
    """

    seed: int
    start: dt.date
    end: dt.date
    knobs: Knobs
    departments: tuple[str, ...]
    people: tuple[Member, ...]
    containers: tuple[Container, ...]
    power_users: tuple[str, ...]
    profiles: tuple[Profile, ...] = field(repr=False)
    programme: Programme = field(default=NO_PROGRAMME, repr=False)
    """What the members react to (:meth:`with_programme`); nothing by default."""
    _index: dict[str, int] = field(init=False, repr=False, compare=False)
    _calendar: Calendar = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        index = {p.person_id: i for i, p in enumerate(self.people)}
        index.update({p.email: i for i, p in enumerate(self.people)})
        object.__setattr__(self, "_index", index)
        object.__setattr__(self, "_calendar", _calendar(self))

    # -- directory -------------------------------------------------------------------------

    @property
    def window(self) -> Window:
        return Window(start=self.start, end=self.end)

    @property
    def days(self) -> int:
        return (self.end - self.start).days

    @property
    def leaders(self) -> tuple[Member, ...]:
        """Everyone with direct reports."""
        return tuple(p for p in self.people if p.is_leader)

    @property
    def newcomers(self) -> tuple[Member, ...]:
        """Members who joined in the last ~90 days of the window."""
        return tuple(p for p in self.people if p.newcomer)

    def member(self, key: str) -> Member:
        """A member by person id or e-mail (``KeyError`` if unknown)."""
        return self.people[self._index[key]]

    def reports_of(self, person_id: str) -> tuple[Member, ...]:
        """Direct reports of ``person_id``."""
        return tuple(p for p in self.people if p.manager_id == person_id)

    def containers_of(self, platform: str) -> tuple[Container, ...]:
        """Spaces (confluence), channels (mattermost) or sites (sharepoint)."""
        return tuple(c for c in self.containers if c.platform == platform)

    def people_records(self, platform: str = "csv") -> Iterator[Person]:
        """The directory as e20kit ``Person`` records (leavers inactive)."""
        for p in self.people:
            yield Person(
                platform=platform,
                person_id=p.person_id,
                email=p.email,
                display_name=p.display_name,
                department=p.department,
                title=p.title,
                manager_id=p.manager_id,
                joined_on=p.joined_on,
                locale=p.locale,
                active=p.active,
                attributes={"has_picture": p.has_picture},
            )

    # -- events ----------------------------------------------------------------------------

    def with_programme(self, programme: Programme) -> Org:
        """The same organisation reacting to ``programme`` (a planted effect)."""
        return dataclasses.replace(self, programme=programme)

    def _boost(self, member: Member) -> Callable[[int], float] | None:
        joined = max(0, (member.joined_on - self.start).days)
        return self.programme.boost(
            member.email, member.person_id, member.department, joined, self.start
        )

    def events(self, key: str) -> list[Event]:
        """One member's events in day order (recomputed on each call, always identical)."""
        i = self._index[key]
        member = self.people[i]
        return member_events(
            self.seed, i, member, self.profiles[i], self._calendar, self._boost(member)
        )

    def iter_events(self, platforms: Iterable[str] | None = None) -> Iterator[tuple[Member, Event]]:
        """Every member's events, member by member; ``platforms`` keeps only those hints."""
        keep = frozenset(PLATFORMS if platforms is None else platforms)
        cal = self._calendar
        for i, (member, profile) in enumerate(zip(self.people, self.profiles, strict=True)):
            for event in member_events(self.seed, i, member, profile, cal, self._boost(member)):
                if event.platform in keep:
                    yield member, event

    def iter_activity(
        self, platform: str = "csv", *, platforms: Iterable[str] | None = None
    ) -> Iterator[Activity]:
        """Every event as an ``Activity`` fact labelled ``platform``, streamed member by member.

        Containers are unique across platform hints, so folding all hints into one platform
        keeps the fact keys unique. ``platforms`` filters the hints first.
        """
        for member, e in self.iter_events(platforms):
            yield Activity(
                day=e.day,
                platform=platform,
                person_id=member.person_id,
                action=e.action,
                feature=e.feature,
                container=e.container,
                count=e.count,
            )


def _calendar(org: Org) -> Calendar:
    k = org.knobs
    dates = tuple(org.start + dt.timedelta(days=d) for d in range(org.days))
    weekend = tuple(day.weekday() >= 5 for day in dates)
    span = max(1, len(dates) - 1)
    mean = 1.0 + k.adoption_trend / 2.0
    busy = frozenset(k.busy_weeks)
    factor = tuple(
        (1.0 + k.adoption_trend * d / span)
        / mean
        * (k.weekend_factor if weekend[d] else 1.0)
        * (k.busy_factor if d // 7 in busy else 1.0)
        for d in range(len(dates))
    )
    ids = tuple(c.container_id for c in org.containers)
    dormant = tuple(
        len(dates) if c.dormant_from is None else max(0, (c.dormant_from - org.start).days)
        for c in org.containers
    )
    first = {c.platform: i for i, c in reversed(list(enumerate(org.containers)))}
    primary = (first[PLATFORMS[0]], first[PLATFORMS[1]], first[PLATFORMS[2]])
    return Calendar(org.start, dates, weekend, factor, ids, dormant, primary)


def build_org(
    seed: int = 7,
    *,
    members: int = 300,
    departments: int = 8,
    days: int = 120,
    end: dt.date = DEFAULT_END,
    preset: str | None = None,
    **knobs: Any,
) -> Org:
    """Build the organisation; ``preset`` names a reason for low use (see ``knobs.PRESETS``).

    Knob keyword arguments override the preset (defaults are the ``healthy`` preset).
    """
    if days < 14:
        raise ValueError(f"the window needs at least 14 days, got {days}")
    resolved = resolve_knobs(preset, knobs)
    start = end - dt.timedelta(days=days)
    rng = random.Random(seed)
    directory = build_directory(rng, members, departments, start, end, resolved)
    return Org(
        seed=seed,
        start=start,
        end=end,
        knobs=resolved,
        departments=directory.departments,
        people=directory.people,
        containers=directory.containers,
        power_users=directory.power_users,
        profiles=directory.profiles,
    )
