"""Bulk-loading benchmark facts straight into a store (for benchmarks that measure what comes
after collection, not collection itself)."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa

from e20kit.sandbox import facts_for_bench
from e20kit.store.facts import FactRow, upsert_facts

BATCH = 50_000


def load_bench_facts(
    conn: sa.Connection,
    members: int,
    days: int,
    *,
    source: str = "bench",
    keys: Mapping[str, str] | None = None,
) -> int:
    """Write ``members x days`` facts keyed by the bench people's ids (or ``keys[id]``);
    returns how many."""
    batch: list[FactRow] = []
    written = 0
    for f in facts_for_bench(members, days):
        batch.append(
            (
                f.day,
                keys[f.person_id] if keys and f.person_id else f.person_id,
                f.platform,
                f.action.value,
                f.feature.value,
                f.container or "",
                f.count,
                source,
            )
        )
        if len(batch) == BATCH:
            upsert_facts(conn, batch)
            written += len(batch)
            batch = []
    upsert_facts(conn, batch)
    return written + len(batch)
