"""Load a synthetic organisation straight into a store (fast; tests of the collect path are
separate): one member per person, one fact per event."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import sqlalchemy as sa

from e20kit.analytics import Metrics, compute_metrics, parse_period
from e20kit.sandbox import build_org
from e20kit.store import create_engine, schema
from e20kit.store.rollup import refresh_store

NOW = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def load_org(engine: sa.Engine, org: object, *, leavers: bool = True) -> None:
    """``leavers=False`` keeps leavers' accounts active, as the CSV export does."""
    people = [
        {
            "member_key": f"k{index:05d}",
            "department": m.department,
            "title": m.title,
            "manager_key": None,
            "joined_on": m.joined_on,
            "locale": m.locale,
            "is_leader": m.is_leader,
            "active": m.active or not leavers,
            "updated_at": NOW,
        }
        for index, m in enumerate(org.people)  # type: ignore[attr-defined]
    ]
    key_of = {m.person_id: f"k{i:05d}" for i, m in enumerate(org.people)}  # type: ignore[attr-defined]
    rows = [
        {
            "day": e.day,
            "member_key": key_of[m.person_id],
            "platform": e.platform,
            "action": str(e.action),
            "feature": str(e.feature),
            "container": e.container or "",
            "count": e.count,
            "source": e.platform,
        }
        for m, e in org.iter_events()  # type: ignore[attr-defined]
    ]
    with engine.begin() as conn:
        conn.execute(schema.members.insert(), people)
        for start in range(0, len(rows), 20000):
            conn.execute(schema.facts.insert(), rows[start : start + 20000])


def org_metrics(
    url: str, preset: str | None = None, period: str = "last-30d", **knobs: object
) -> Metrics:
    org = build_org(seed=7, preset=preset, **knobs)
    engine = create_engine(url)
    try:
        load_org(engine, org)
        refresh_store(engine)
        return compute_metrics(engine, parse_period(period, today=org.end))
    finally:
        engine.dispose()


class Stores(dict[str, tuple[str, object]]):
    """One SQLite store per preset, built on first use (each xdist worker builds only its own)."""

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder

    def __missing__(self, preset: str) -> tuple[str, object]:
        path = self.folder / f"{preset}.sqlite"
        org = build_org(seed=7, preset=preset)
        engine = create_engine(f"sqlite:///{path}")
        load_org(engine, org)
        engine.dispose()
        self[preset] = (f"sqlite:///{path}", org)
        return self[preset]


def preset_metrics(stores: Stores, preset: str, period: str) -> Metrics:
    """The preset's metrics over ``period``, read from its (already loaded) store."""
    url, org = stores[preset]
    engine = create_engine(url)
    try:
        refresh_store(engine)
        return compute_metrics(engine, parse_period(period, today=org.end))  # type: ignore[attr-defined]
    finally:
        engine.dispose()
