"""Rollups of the facts that the analytics read instead of the facts themselves.

A report reads every fact of its period several ways (by day, week, month, member, platform,
department, feature, cohort); on a row store that means sorting the period's facts again and
again. The rollups keep what those figures need in a fraction of the rows, and are maintained
at write time:

* ``activity_spans``: per member and platform (numbered in ``activity_pairs``) and 32-day span,
  one byte per day: bit ``i`` set when the member used feature ``i`` (:data:`FEATURE_BITS`)
  that day, bit 6 (:data:`CREATOR`) when they contributed (a contribution fact with a positive
  count). Every per-member figure, every active-member count and the cohorts come from these
  bytes.
* ``contribution_days``: contributions per day, pair and container (numbered in
  ``activity_containers``), only where positive: per-member totals for the inequality figures,
  and each container's contributors.
* ``day_totals``: counts per day, platform, feature and container, summed over members and
  the anonymous counts (``schema.ANONYMOUS_KEY``), which appear in no other rollup: they
  name nobody, so they are no member's activity.

Facts of context platforms (:mod:`.participation`) are in none of them: they are no one's
participation.
* ``span_packs``: the spans' rows of ``activity_spans`` and ``contribution_days`` packed into
  one row per span (:mod:`.packs`), which is what reports read.

Every day whose facts change is noted, whoever writes them (collection, corrections, a script
with plain SQL; see :mod:`.changes`), and :func:`refresh` recomputes just those days.
Refreshing is an explicit step (:meth:`e20kit.Kit.refresh`, run by ``report``, ``run``,
``collect --refresh`` and :meth:`e20kit.Kit.metrics`); the analytics only read, and flag their
figures as ``rollups_stale`` when facts changed after the last refresh.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable, Sequence

import sqlalchemy as sa

from ..vocab import CONTRIBUTION_ACTIONS, HELPING_ACTIONS, Feature
from . import schema
from .changes import has_changes, mark_seen, take_changed_days
from .chunks import chunks
from .packs import SPAN_DAYS, repack
from .participation import PARTICIPATION_SQL

log = logging.getLogger(__name__)

EPOCH = dt.date(1970, 1, 1)
FEATURE_BITS: dict[str, int] = {str(f): 1 << i for i, f in enumerate(Feature)}
"""The bit of each feature in a day's byte (the order of :class:`e20kit.vocab.Feature`)."""
CREATOR = 1 << 6
"""The bit of a day with a contribution. Bit 7 stays clear, so every quad is a positive int64."""
if max(FEATURE_BITS.values()) >= CREATOR:  # pragma: no cover - guards the vocabulary's growth
    raise RuntimeError("activity_spans has room for six features per day")

TABLES = (
    schema.activity_pairs,
    schema.activity_spans,
    schema.span_packs,
    schema.activity_containers,
    schema.contribution_days,
    schema.day_totals,
    schema.rollup_state,
    schema.rollup_dirty,
)
"""Every table of the rollups."""

_MAX_RUNS_PER_STATEMENT = 40
_PG_LOCK = 0x6532306B  # "e20k": serialises refreshes on a shared PostgreSQL store


def epoch_day(day: dt.date) -> int:
    return (day - EPOCH).days


def span_of(day: dt.date) -> int:
    return epoch_day(day) // SPAN_DAYS


def _quoted(values: Iterable[object]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(map(str, values)))


_CONTRIB = _quoted(CONTRIBUTION_ACTIONS)
_HELPING = _quoted(HELPING_ACTIONS)


def _epoch_sql(dialect: str) -> str:
    if dialect == "sqlite":
        return "CAST(julianday(day) - 2440587.5 AS INTEGER)"
    return "(day - DATE '1970-01-01')"


def _flags_sql() -> str:
    # the distinct feature bits of a day add up to their OR
    features = " ".join(f"WHEN '{name}' THEN {bit}" for name, bit in FEATURE_BITS.items())
    return (
        f"coalesce(sum(DISTINCT CASE feature {features} END), 0) + "
        f"max(CASE WHEN action IN ({_CONTRIB}) AND count > 0 THEN {CREATOR} ELSE 0 END)"
    )


NEW_SPANS = sa.Table(
    "e20kit_rollup_new_spans",
    sa.MetaData(),
    sa.Column("span", sa.Integer, nullable=False),
    sa.Column("member_key", schema.KEY, nullable=False),
    sa.Column("platform", sa.String(100), nullable=False),
    *(sa.Column(f"q{q}", sa.BigInteger, nullable=False) for q in range(4)),
    prefixes=["TEMPORARY"],
)
"""The recomputed days' bytes per member, platform and span, before they are numbered."""


def _new_spans(dialect: str, where: str) -> str:
    # per_day follows the facts' primary key (day first), so grouping it needs no sort
    quads = ", ".join(f"sum(CASE quad WHEN {q} THEN v ELSE 0 END)" for q in range(4))
    return (
        f"INSERT INTO {NEW_SPANS.name} (span, member_key, platform, q0, q1, q2, q3) "
        f"SELECT span, member_key, platform, {quads} FROM ("
        f"SELECT member_key, platform, dn / {SPAN_DAYS} AS span, (dn % {SPAN_DAYS}) / 8 AS quad, "
        "CAST(flags AS BIGINT) << (8 * (dn % 8)) AS v FROM ("
        f"SELECT day, member_key, platform, {_epoch_sql(dialect)} AS dn, {_flags_sql()} AS flags "
        f"FROM facts WHERE ({where}) AND member_key != '{schema.ANONYMOUS_KEY}' "
        f"AND {PARTICIPATION_SQL} GROUP BY day, member_key, platform"
        ") AS per_day) AS shifted GROUP BY span, member_key, platform"
    )


def _spans_upsert() -> str:
    merge = ", ".join(f"q{q} = activity_spans.q{q} | excluded.q{q}" for q in range(4))
    return (
        "INSERT INTO activity_spans (span, pair, q0, q1, q2, q3) "
        f"SELECT n.span, p.id, n.q0, n.q1, n.q2, n.q3 FROM {NEW_SPANS.name} AS n "
        "JOIN activity_pairs AS p ON p.member_key = n.member_key AND p.platform = n.platform "
        f"WHERE 1 = 1 ON CONFLICT (span, pair) DO UPDATE SET {merge}"
    )


def _pairs_insert() -> str:
    return (
        "INSERT INTO activity_pairs (member_key, platform) "
        f"SELECT DISTINCT member_key, platform FROM {NEW_SPANS.name} WHERE 1 = 1 "
        "ON CONFLICT (member_key, platform) DO NOTHING"
    )


def _containers_insert(where: str) -> str:
    # from the day totals just written: far fewer rows than the facts behind them
    return (
        "INSERT INTO activity_containers (platform, container) "
        f"SELECT DISTINCT platform, container FROM day_totals WHERE ({where}) "
        "AND con > 0 AND container != '' "
        "ON CONFLICT (platform, container) DO NOTHING"
    )


def _contributions_insert(dialect: str, where: str) -> str:
    return (
        "INSERT INTO contribution_days (day, pair, container, con) "
        f"SELECT per_day.dn, p.id, coalesce(k.id, 0), per_day.con FROM ("
        f"SELECT {_epoch_sql(dialect)} AS dn, member_key, platform, container, sum(count) AS con "
        f"FROM facts WHERE ({where}) AND action IN ({_CONTRIB}) AND count > 0 "
        f"AND member_key != '{schema.ANONYMOUS_KEY}' AND {PARTICIPATION_SQL} "
        "GROUP BY day, member_key, platform, container"
        ") AS per_day JOIN activity_pairs AS p "
        "ON p.member_key = per_day.member_key AND p.platform = per_day.platform "
        "LEFT JOIN activity_containers AS k "
        "ON k.platform = per_day.platform AND k.container = per_day.container"
    )


def _totals_insert() -> str:
    # one day at a time: each sort is a day's facts, which stay in memory (measured 30 % faster
    # than one sort of all the days)
    return (
        "INSERT INTO day_totals (day, platform, feature, container, n, con, hlp) "
        "SELECT day, platform, feature, container, sum(count), "
        f"sum(CASE WHEN action IN ({_CONTRIB}) THEN count ELSE 0 END), "
        f"sum(CASE WHEN action IN ({_HELPING}) THEN count ELSE 0 END) "
        f"FROM facts WHERE day = :day AND {PARTICIPATION_SQL} "
        "GROUP BY day, platform, feature, container"
    )


def runs(days: Iterable[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted days as ``[start, end)`` runs of consecutive days."""
    out: list[tuple[dt.date, dt.date]] = []
    for day in sorted(set(days)):
        if out and out[-1][1] == day:
            out[-1] = (out[-1][0], day + dt.timedelta(days=1))
        else:
            out.append((day, day + dt.timedelta(days=1)))
    return out


def _keep_masks(days: Iterable[dt.date]) -> dict[int, tuple[int, int, int, int]]:
    """Per span, the AND masks that clear the given days' bytes in q0..q3."""
    full = int.from_bytes(b"\x7f" * 8, "little")
    masks: dict[int, list[int]] = {}
    for day in days:
        offset = epoch_day(day) % SPAN_DAYS
        quads = masks.setdefault(span_of(day), [full] * 4)
        quads[offset // 8] &= ~(0xFF << (8 * (offset % 8)))
    return {span: (q[0], q[1], q[2], q[3]) for span, q in masks.items()}


def _where(
    conn: sa.Connection, batch: Sequence[tuple[dt.date, dt.date]]
) -> tuple[str, dict[str, object]]:
    sqlite = conn.dialect.name == "sqlite"
    params: dict[str, object] = {}
    terms = []
    for i, (start, end) in enumerate(batch):
        params[f"a{i}"] = start.isoformat() if sqlite else start
        params[f"b{i}"] = end.isoformat() if sqlite else end
        terms.append(f"(day >= :a{i} AND day < :b{i})")
    return " OR ".join(terms), params


def refresh(conn: sa.Connection) -> int:
    """Bring the rollups up to date with the facts; returns how many days were recomputed."""
    return len(refresh_days(conn))


def refresh_days(conn: sa.Connection) -> list[dt.date]:
    """Bring the rollups up to date with the facts; returns the days recomputed, in order.

    Runs inside the caller's transaction: the dirty days are taken and recomputed atomically, so
    a crash leaves them dirty for the next refresh.
    """
    dialect = conn.dialect.name
    if dialect == "postgresql":
        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK})
    taken = take_changed_days(conn)
    if not taken:
        return []
    spans = schema.activity_spans
    masks = _keep_masks(taken)
    for span, keep in masks.items():
        conn.execute(
            spans.update()
            .where(spans.c.span == span)
            .values(
                q0=spans.c.q0.op("&")(keep[0]),
                q1=spans.c.q1.op("&")(keep[1]),
                q2=spans.c.q2.op("&")(keep[2]),
                q3=spans.c.q3.op("&")(keep[3]),
            )
        )
    totals, contributions = schema.day_totals, schema.contribution_days
    day_runs = runs(taken)
    for batch in chunks(day_runs, _MAX_RUNS_PER_STATEMENT):
        where, params = _where(conn, batch)
        conn.execute(
            totals.delete().where(
                sa.or_(*(sa.and_(totals.c.day >= a, totals.c.day < b) for a, b in batch))
            )
        )
        sqlite = dialect == "sqlite"
        for start, end in batch:
            for offset in range((end - start).days):
                day = start + dt.timedelta(days=offset)
                conn.execute(sa.text(_totals_insert()), {"day": day.isoformat() if sqlite else day})
        NEW_SPANS.drop(conn, checkfirst=True)
        NEW_SPANS.create(conn)
        conn.execute(sa.text(_new_spans(dialect, where)), params)
        conn.execute(sa.text(_pairs_insert()))
        conn.execute(sa.text(_spans_upsert()))
        NEW_SPANS.drop(conn)
        conn.execute(
            contributions.delete().where(
                sa.or_(
                    *(
                        sa.and_(
                            contributions.c.day >= epoch_day(a), contributions.c.day < epoch_day(b)
                        )
                        for a, b in batch
                    )
                )
            )
        )
        conn.execute(sa.text(_containers_insert(where)), params)
        conn.execute(sa.text(_contributions_insert(dialect, where)), params)
    touched = sorted(masks)
    emptied = conn.execute(
        spans.delete().where(
            spans.c.span.in_(touched),
            spans.c.q0 == 0,
            spans.c.q1 == 0,
            spans.c.q2 == 0,
            spans.c.q3 == 0,
        )
    )
    if emptied.rowcount:  # a member's last facts on a platform went: so does their number
        pairs = schema.activity_pairs
        conn.execute(pairs.delete().where(~sa.exists().where(spans.c.pair == pairs.c.id)))
    _prune_containers(conn)
    repack(conn, touched)
    mark_seen(conn)
    log.debug("rollups: recomputed %d days in %d runs", len(taken), len(day_runs))
    return sorted(taken)


def _prune_containers(conn: sa.Connection) -> None:
    """Drop the numbers of containers no contribution is left in (deleted facts: an erased
    person's, a purge): a rebuild from the facts would not number them either."""
    containers, totals = schema.activity_containers, schema.day_totals
    used = sa.select(schema.contribution_days.c.container).distinct()
    contributed = sa.select(totals.c.platform, totals.c.container).where(totals.c.con > 0)
    conn.execute(
        containers.delete().where(
            containers.c.id.not_in(used),
            sa.tuple_(containers.c.platform, containers.c.container).not_in(contributed),
        )
    )


def rebuild(conn: sa.Connection) -> list[dt.date]:
    """Recompute every rollup from the facts alone (what :func:`refresh_days` must equal)."""
    for table in (
        schema.span_packs,
        schema.contribution_days,
        schema.activity_spans,
        schema.activity_containers,
        schema.activity_pairs,
        schema.day_totals,
        schema.rollup_dirty,
    ):
        conn.execute(table.delete())
    conn.execute(
        schema.rollup_dirty.insert().from_select(["day"], sa.select(schema.facts.c.day).distinct())
    )
    return refresh_days(conn)


def refresh_store(engine: sa.Engine) -> list[dt.date]:
    """:func:`refresh_days` in a transaction of its own."""
    with engine.begin() as conn:
        return refresh_days(conn)


def is_stale(engine: sa.Engine) -> bool:
    """True when facts changed since the last refresh (a read: writes nothing)."""
    with engine.connect() as conn:
        return has_changes(conn)


__all__ = [
    "CREATOR",
    "FEATURE_BITS",
    "SPAN_DAYS",
    "TABLES",
    "epoch_day",
    "is_stale",
    "rebuild",
    "refresh",
    "refresh_days",
    "refresh_store",
    "runs",
    "span_of",
]
