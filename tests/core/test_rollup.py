"""The analytics' rollups follow every write to the facts, and refresh only what changed."""

from __future__ import annotations

import datetime as dt
import random

import sqlalchemy as sa

from e20kit.store import create_engine, schema
from e20kit.store.facts import FactRow, upsert_facts
from e20kit.store.rollup import CREATOR, FEATURE_BITS, SPAN_DAYS, epoch_day, refresh, span_of

START = dt.date(2026, 3, 1)
KINDS = (("view", "wiki"), ("post", "discussion"), ("reply", "discussion"), ("create", "files"))


def _facts(seed: int, days: int = 90) -> list[FactRow]:
    rng = random.Random(seed)
    rows: dict[tuple[object, ...], FactRow] = {}
    for _ in range(600):
        day = START + dt.timedelta(days=rng.randrange(days))
        action, feature = rng.choice(KINDS)
        member, platform = f"m{rng.randrange(12)}", rng.choice(("a", "b"))
        container = rng.choice(("", "c1", "c2"))
        row = (day, member, platform, action, feature, container, rng.randrange(3), "t")
        rows[row[:6]] = row
    return list(rows.values())


Snapshot = tuple[list[tuple[object, ...]], ...]
DERIVED = (
    schema.activity_spans,
    schema.day_totals,
    schema.contribution_days,
    schema.span_packs,
)


def _snapshot(conn: sa.Connection) -> Snapshot:
    return tuple(
        [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in rows]
        for rows in (
            conn.execute(sa.select(table).order_by(*table.primary_key.columns)) for table in DERIVED
        )
    )


def _rebuilt(conn: sa.Connection) -> Snapshot:
    for table in DERIVED:
        conn.execute(table.delete())
    conn.execute(
        schema.rollup_dirty.insert().from_select(["day"], sa.select(schema.facts.c.day).distinct())
    )
    refresh(conn)
    return _snapshot(conn)


def test_incremental_refreshes_equal_a_rebuild(store_url: str) -> None:
    engine = create_engine(store_url)
    with engine.begin() as conn:
        upsert_facts(conn, _facts(1))
        assert refresh(conn) > 0
        assert refresh(conn) == 0  # nothing changed since
    changed = [(*r[:6], r[6] + 1, r[7]) for r in _facts(1)[::3]]
    with engine.begin() as conn:
        upsert_facts(conn, changed + _facts(2, days=20))  # new counts, new facts
        conn.execute(schema.facts.delete().where(schema.facts.c.member_key == "m3"))
        conn.execute(  # a script writing plain SQL is noticed too
            sa.text(
                "UPDATE facts SET count = count + 5 WHERE member_key = 'm4' AND action = 'post'"
            )
        )
        dirty = conn.execute(sa.select(sa.func.count()).select_from(schema.rollup_dirty))
        assert 0 < dirty.scalar_one() <= 90
        refresh(conn)
        incremental = _snapshot(conn)
        assert incremental == _rebuilt(conn)
        pairs, spans = schema.activity_pairs, schema.activity_spans
        keys = set(
            conn.execute(
                sa.select(pairs.c.member_key).join(spans, spans.c.pair == pairs.c.id)
            ).scalars()
        )
        numbered = set(conn.execute(sa.select(pairs.c.member_key)).scalars())
    assert "m3" not in keys and incremental[0]  # the deleted member's bytes are gone
    assert "m3" not in numbered  # and so is their number
    engine.dispose()


def test_plain_sql_inserts_are_noticed_even_where_a_rowid_comes_back(store_url: str) -> None:
    engine = create_engine(store_url)
    first, second = dt.date(2026, 4, 1), dt.date(2026, 4, 9)
    row = "('{day}', 'm', 'p', 'post', 'chat', '', 1, 's')"
    with engine.begin() as conn:
        conn.execute(sa.text(f"INSERT INTO facts VALUES {row.format(day=first)}"))
        refresh(conn)
        # the newest row goes and another takes its place (SQLite may reuse its rowid)
        conn.execute(sa.text("DELETE FROM facts"))
        conn.execute(sa.text(f"INSERT INTO facts VALUES {row.format(day=second)}"))
        noted = set(conn.execute(sa.select(schema.rollup_dirty.c.day)).scalars())
        refresh(conn)
        spans = conn.execute(sa.select(schema.activity_spans.c.span)).scalars().all()
    assert first in noted  # the delete, by trigger
    assert spans == [span_of(second)]  # the insert, by rowid on SQLite (by trigger elsewhere)
    engine.dispose()


def test_a_day_byte_holds_features_and_the_creator_bit(store_url: str) -> None:
    engine = create_engine(store_url)
    day = dt.date(2026, 5, 20)
    with engine.begin() as conn:
        upsert_facts(
            conn,
            [
                (day, "m", "p", "view", "wiki", "s", 4, "t"),
                (day, "m", "p", "post", "chat", "", 1, "t"),
                (day, "m", "p", "edit", "wiki", "s", 0, "t"),  # a zero count creates nothing
                (day + dt.timedelta(days=1), "m", "p", "edit", "wiki", "s", 0, "t"),
            ],
        )
        refresh(conn)
        (row,) = conn.execute(sa.select(schema.activity_spans)).all()
        totals = conn.execute(
            sa.select(schema.day_totals.c.feature, schema.day_totals.c.n, schema.day_totals.c.con)
            .where(schema.day_totals.c.day == day)
            .order_by(schema.day_totals.c.feature)
        ).all()
    offset = epoch_day(day) % SPAN_DAYS
    quads = (row.q0, row.q1, row.q2, row.q3)
    day_bytes = b"".join(int(q).to_bytes(8, "little") for q in quads)
    assert row.span == span_of(day)
    assert day_bytes[offset] == FEATURE_BITS["wiki"] | FEATURE_BITS["chat"] | CREATOR
    assert day_bytes[offset + 1] == FEATURE_BITS["wiki"]  # active, but no contribution
    assert [tuple(t) for t in totals] == [("chat", 1, 1), ("wiki", 4, 0)]
    engine.dispose()


def test_an_older_store_gets_its_rollups_on_upgrade(store_url: str) -> None:
    engine = create_engine(store_url)
    day = dt.date(2026, 2, 2)
    with engine.begin() as conn:  # make it look like a store of schema version 1
        upsert_facts(conn, [(day, "m", "p", "post", "chat", "", 2, "t")])
        conn.execute(schema.rollup_dirty.delete())
        conn.execute(schema.schema_version.delete().where(schema.schema_version.c.version > 1))
    engine.dispose()
    upgraded = create_engine(store_url)
    with upgraded.begin() as conn:
        assert conn.execute(sa.select(schema.rollup_dirty.c.day)).scalars().all() == [day]
        refresh(conn)
        assert conn.execute(sa.select(sa.func.count()).select_from(schema.activity_spans)).scalar()
    upgraded.dispose()
