"""Buddies: stalled newcomers paired with an active champion, at most ``buddy_cap`` each.

A pair stays as long as its champion is active and the newcomer is still a newcomer, so reruns
never reshuffle people. New pairs prefer the newcomer's own department, then a champion of the
same top-level department, then the least loaded champion anywhere.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..delivery import opted_out
from ..store.schema import champion_buddies, champion_roster, members
from .newcomers import Newcomer
from .roster import RosterState, aware
from .settings import ChampionsSettings

_SEPARATORS = re.compile(r"\s*[/>|\\:]\s*|\s+-\s+")


def top_level(department: str | None) -> str | None:
    """``"Sales / EMEA"`` -> ``"Sales"``: the part that "nearest" department compares."""
    if not department:
        return None
    return _SEPARATORS.split(department, maxsplit=1)[0].strip().casefold() or None


@dataclass(frozen=True)
class BuddyPair:
    newcomer_key: str
    champion_key: str
    newcomer_department: str | None
    champion_department: str | None
    paired_at: dt.datetime
    match: str
    """``department``, ``nearby``, ``anywhere`` or ``existing`` (kept from an earlier run)."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "newcomer": self.newcomer_key,
            "champion": self.champion_key,
            "newcomer_department": self.newcomer_department,
            "champion_department": self.champion_department,
            "paired_at": self.paired_at.isoformat(),
            "match": self.match,
        }


@dataclass(frozen=True)
class PairingResult:
    pairs: tuple[BuddyPair, ...]
    """Every open pair after this run (new and kept)."""
    new: tuple[BuddyPair, ...]
    ended: tuple[str, ...]
    """Newcomers whose pair ended (champion no longer active, or no longer a newcomer)."""
    unpaired: tuple[str, ...]
    """Stalled newcomers left without a buddy: no champion had capacity."""
    dry_run: bool
    waitlisted: tuple[str, ...] = ()
    """Stalled newcomers in a buddies experiment's hold-out arm, still on the wait-list."""

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "pairs": [p.as_dict() for p in self.pairs],
            "new": [p.as_dict() for p in self.new],
            "ended": list(self.ended),
            "unpaired": list(self.unpaired),
            "waitlisted": list(self.waitlisted),
        }


def _champions(conn: sa.Connection, excluded: set[str]) -> dict[str, str | None]:
    """Active champions and their current department."""
    department = sa.func.coalesce(members.c.department, champion_roster.c.department)
    query = (
        sa.select(champion_roster.c.member_key, department)
        .select_from(
            champion_roster.outerjoin(members, members.c.member_key == champion_roster.c.member_key)
        )
        .where(champion_roster.c.state == RosterState.ACTIVE.value)
    )
    return {str(k): d for k, d in conn.execute(query) if str(k) not in excluded}


def private_newcomers(engine: sa.Engine) -> set[str]:
    """Newcomers no champion may be told about: opted out of ``all``, ``champions`` or
    ``onboarding`` (a buddy is onboarding help that a colleague sees)."""
    return opted_out(engine, "champions") | opted_out(engine, "onboarding")


def pair_buddies(
    engine: sa.Engine,
    settings: ChampionsSettings,
    stalled: Sequence[Newcomer],
    newcomers: set[str],
    *,
    now: dt.datetime,
    dry_run: bool = False,
) -> PairingResult:
    """Keep valid pairs, end stale ones and pair every stalled newcomer who has no buddy.

    ``newcomers`` are the keys still in their newcomer period: a pair of anyone else ends.
    """
    excluded = opted_out(engine, "champions")
    private = private_newcomers(engine)
    with engine.begin() as conn:
        champions = _champions(conn, excluded)
        open_rows = list(
            conn.execute(sa.select(champion_buddies).where(champion_buddies.c.ended_at.is_(None)))
        )
        departments = {
            str(k): d
            for k, d in conn.execute(
                sa.select(members.c.member_key, members.c.department).where(
                    members.c.member_key.in_(sorted({r.newcomer_key for r in open_rows}))
                )
            )
        }
        load: dict[str, int] = dict.fromkeys(champions, 0)
        kept: list[BuddyPair] = []
        ended: list[str] = []
        for row in sorted(open_rows, key=lambda r: (aware(r.paired_at), r.newcomer_key)):
            keep = (
                row.champion_key in champions
                and row.newcomer_key in newcomers
                and row.newcomer_key not in private  # an opt-out ends the pair
                and load[row.champion_key] < settings.buddy_cap
            )
            if not keep:
                ended.append(row.newcomer_key)
                continue
            load[row.champion_key] += 1
            kept.append(
                BuddyPair(
                    row.newcomer_key,
                    row.champion_key,
                    departments.get(row.newcomer_key),
                    champions[row.champion_key],
                    aware(row.paired_at),
                    "existing",
                )
            )
        paired = {p.newcomer_key for p in kept}
        new: list[BuddyPair] = []
        unpaired: list[str] = []
        for person in sorted(stalled, key=lambda n: (n.joined_on or dt.date.min, n.member_key)):
            key = person.member_key
            if key in paired or key in private or key in champions:
                continue
            choice = _choose(person.department, champions, load, settings.buddy_cap)
            if choice is None:
                unpaired.append(key)
                continue
            champion, match = choice
            load[champion] += 1
            paired.add(key)
            new.append(BuddyPair(key, champion, person.department, champions[champion], now, match))
        if not dry_run:
            if ended:
                conn.execute(
                    champion_buddies.update()
                    .where(
                        champion_buddies.c.newcomer_key.in_(ended),
                        champion_buddies.c.ended_at.is_(None),
                    )
                    .values(ended_at=now)
                )
            for pair in new:
                conn.execute(
                    champion_buddies.delete().where(
                        champion_buddies.c.newcomer_key == pair.newcomer_key
                    )
                )
                conn.execute(
                    champion_buddies.insert().values(
                        newcomer_key=pair.newcomer_key,
                        champion_key=pair.champion_key,
                        paired_at=now,
                        ended_at=None,
                    )
                )
    return PairingResult(
        tuple(kept + new), tuple(new), tuple(sorted(ended)), tuple(unpaired), dry_run
    )


def _choose(
    department: str | None, champions: dict[str, str | None], load: dict[str, int], cap: int
) -> tuple[str, str] | None:
    """The champion for a newcomer of ``department``: own, nearby, then anywhere."""
    free = [c for c in champions if load[c] < cap]
    if not free:
        return None
    ranked = sorted(free, key=lambda c: (load[c], c))
    if department is not None:
        for champion in ranked:
            if champions[champion] == department:
                return champion, "department"
        prefix = top_level(department)
        for champion in ranked:
            if prefix is not None and top_level(champions[champion]) == prefix:
                return champion, "nearby"
    return ranked[0], "anywhere"


__all__ = ["BuddyPair", "PairingResult", "pair_buddies", "top_level"]
