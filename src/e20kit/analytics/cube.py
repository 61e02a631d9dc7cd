"""Who was active on which day, per member and platform: the store's span rollup, unpacked.

The store keeps one byte per member, platform and day in ``activity_spans`` (feature bits and a
creator bit, see :mod:`e20kit.store.rollup`). For a computation, the rows of the days it needs
(a few per member and platform, never the facts) come back once and are unpacked into two byte
matrices: one row per (member, platform) pair and one per member (its platforms' bytes OR-ed).
Every count of active members, creators, features, cohorts and departments is then a slice of
those matrices: no query per figure, and no sort of the facts at all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import sqlalchemy as sa

from ..store.rollup import CREATOR, SPAN_DAYS, epoch_day, span_of
from ..store.schema import activity_spans

Bytes = npt.NDArray[np.uint8]
Ints = npt.NDArray[np.int64]

FEATURE_MASK = CREATOR - 1
POPCOUNT: npt.NDArray[np.int64] = np.array([bin(i).count("1") for i in range(256)], dtype=np.int64)


@dataclass(frozen=True)
class Cube:
    """Day bytes of days ``[first, end)``: column 0 is ``first``."""

    first: dt.date
    end: dt.date
    keys: tuple[str, ...]
    """Member keys by member index (never leave the analytics)."""
    index: dict[str, int]
    platforms: tuple[str, ...]
    codes: Ints
    """Sorted pair codes (``member * len(platforms) + platform``), one per pair row."""
    pair_member: Ints
    pair_platform: Ints
    pairs: Bytes
    """(pairs, days): one row per member and platform."""
    members: Bytes
    """(members, days): one row per member, across platforms."""
    by_platform: dict[str, Bytes]
    """(members of the platform, days) for each platform: the pairs, split once."""

    def cols(self, start: dt.date, end: dt.date) -> slice:
        """The columns of days ``[start, end)``, which must lie inside the cube."""
        if start < self.first or end > self.end or start > end:
            raise ValueError(f"days {start}..{end} are outside the cube {self.first}..{self.end}")
        return slice((start - self.first).days, (end - self.first).days)

    def rows(self, platform: str | None) -> Bytes:
        """The member matrix (``None``) or the pairs of one platform."""
        return self.members if platform is None else self.by_platform[platform]

    def pairs_of(self, members: Ints, platforms: Ints) -> Ints:
        """Pair index of each (member, platform), or -1 where the pair never was active."""
        wanted = members * len(self.platforms) + platforms
        found = np.searchsorted(self.codes, wanted)
        inside = found < len(self.codes)
        hit = np.zeros(len(wanted), dtype=bool)
        hit[inside] = self.codes[found[inside]] == wanted[inside]
        return np.where(hit, found, -1).astype(np.int64)


def active_days(rows: Bytes) -> Ints:
    """Per row: days with any activity."""
    counted: Ints = np.count_nonzero(rows, axis=1).astype(np.int64)
    return counted


def features_used(rows: Bytes) -> Ints:
    """Per row: distinct features used on any of the days."""
    if rows.shape[1] == 0:
        return np.zeros(rows.shape[0], dtype=np.int64)
    used: Ints = POPCOUNT[np.bitwise_or.reduce(rows, axis=1) & FEATURE_MASK]
    return used


def has_bits(rows: Bytes, bits: int) -> npt.NDArray[np.bool_]:
    """Per row and day: any of ``bits`` set."""
    found: npt.NDArray[np.bool_] = (rows & np.uint8(bits)) != 0
    return found


def block_activity(rows: Bytes, size: int, count: int, bits: int = 0xFF) -> Ints:
    """Rows active (any of ``bits``) in each of ``count`` blocks of ``size`` days, oldest first;
    ``rows`` holds exactly those ``size * count`` days."""
    flagged = rows != 0 if bits == 0xFF else has_bits(rows, bits)
    if size > 1:
        flagged = np.count_nonzero(flagged.reshape(rows.shape[0], count, size), axis=2) > 0
    active: Ints = np.count_nonzero(flagged, axis=0).astype(np.int64)
    return active


def load_cube(conn: sa.Connection, first: dt.date, end: dt.date) -> Cube:
    """The span rows covering ``[first, end)``, unpacked."""
    width = (end - first).days
    s0, s1 = span_of(first), span_of(end - dt.timedelta(days=1))
    t = activity_spans.c
    stmt = sa.select(t.member_key, t.platform, t.span, t.q0, t.q1, t.q2, t.q3).where(
        t.span >= s0, t.span <= s1
    )
    # plain tuples from the driver: the rows are all integers and strings, and building a
    # Row object for each of them costs as much as reading them
    rows = conn.execute(stmt).cursor.fetchall()
    if not rows:
        empty = np.zeros(0, dtype=np.int64)
        nothing = np.zeros((0, width), dtype=np.uint8)
        return Cube(first, end, (), {}, (), empty, empty, empty, nothing, nothing, {})
    member_keys, platform_names, spans, *quads = zip(*rows, strict=True)
    keys = tuple(dict.fromkeys(member_keys))
    index = {key: i for i, key in enumerate(keys)}
    platforms = tuple(sorted(set(platform_names)))
    platform_index = {name: i for i, name in enumerate(platforms)}
    n = len(rows)
    member_of_row = np.fromiter((index[k] for k in member_keys), dtype=np.int64, count=n)
    platform_of_row = np.fromiter(
        (platform_index[p] for p in platform_names), dtype=np.int64, count=n
    )
    codes, pair_of_row = np.unique(
        member_of_row * len(platforms) + platform_of_row, return_inverse=True
    )
    day_bytes = np.ascontiguousarray(np.array(quads, dtype="<i8").T).view(np.uint8)
    span_count = s1 - s0 + 1
    spread = np.zeros((len(codes), span_count, SPAN_DAYS), dtype=np.uint8)
    spread[pair_of_row, np.array(spans, dtype=np.int64) - s0] = day_bytes.reshape(n, SPAN_DAYS)
    lo = epoch_day(first) - s0 * SPAN_DAYS
    pairs = np.ascontiguousarray(spread.reshape(len(codes), -1)[:, lo : lo + width])
    pair_member = codes // len(platforms)
    pair_platform = codes % len(platforms)
    members = np.zeros((len(keys), width), dtype=np.uint8)
    by_platform = {}
    for number, platform in enumerate(platforms):
        mine = pairs[pair_platform == number]
        members[pair_member[pair_platform == number]] |= mine  # one pair per member, platform
        by_platform[platform] = mine
    return Cube(
        first,
        end,
        keys,
        index,
        platforms,
        codes,
        pair_member,
        pair_platform,
        pairs,
        members,
        by_platform,
    )


__all__ = [
    "Cube",
    "active_days",
    "block_activity",
    "features_used",
    "has_bits",
    "load_cube",
]
