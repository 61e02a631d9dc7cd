"""Retention purges on SQLite and PostgreSQL, and the rollups agree with a rebuild (issue 15)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping
from pathlib import Path

import sqlalchemy as sa
from pydantic import BaseModel

from e20kit import ConnectorType, Kit, Person, Window, hookimpl
from e20kit.analytics import compute_metrics, parse_period
from e20kit.store import rollup, schema

from .fixtures import TODAY, fact, insert, member

ROLLUPS = (
    schema.activity_spans,
    schema.span_packs,
    schema.activity_pairs,
    schema.activity_containers,
    schema.contribution_days,
    schema.day_totals,
    schema.rollup_state,
)


def _kit(tmp_path: Path, url: str, extra: str = "") -> Kit:
    config = tmp_path / "e20kit.toml"
    config.write_text(
        "[privacy]\npseudonymise = false\nretention_days = 30\nledger_retention_days = 10\n"
        f"champion_history_retention_days = 0\n{extra}",
        "utf-8",
    )
    return Kit.from_config(config, env={}, store_url=url)


def _at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(12), tzinfo=dt.UTC)


def _fill(engine: sa.Engine) -> None:
    people = [member(f"m{i}", department="AB"[i % 2]) for i in range(8)]
    people.append({**member("gone", active=False), "updated_at": _at(90)})
    facts = [
        fact(
            TODAY - dt.timedelta(days=d),
            f"m{i}",
            "create" if (i + d) % 3 == 0 else "view",
            container=f"space{d % 4}",
        )
        for i in range(8)
        for d in range(1, 60, 3 + i % 3)
    ]
    facts.append(fact(TODAY - dt.timedelta(days=50), "m7", platform="chat", feature="chat"))
    insert(engine, people, facts)
    rollup.refresh_store(engine)
    ledger = [
        {
            "key": f"k{n}",
            "kind": "nudge",
            "member_key": "m1",
            "notifier": "log",
            "state": state,
            "attempts": 1,
            "error": None,
            "created_at": _at(ago),
            "updated_at": _at(ago),
        }
        for n, (state, ago) in enumerate((("sent", 20), ("sent", 5), ("failed", 20)))
    ]
    progress = [
        {
            "member_key": f"m{i}",
            "checklist": "c",
            "step": "s",
            "position": 0,
            "enrolled_at": _at(ago),
            "completed_at": None,
            "stalled_since": None,
            "in_audience": True,
            "updated_at": _at(ago),
        }
        for i, ago in ((1, 40), (2, 3))
    ]
    history = [
        {
            "member_key": "m1",
            "from_state": None,
            "to_state": "candidate",
            "changed_at": _at(300),
            "changed_by": "t",
            "note": None,
        }
    ]
    with engine.begin() as conn:
        conn.execute(schema.ledger.insert(), ledger)
        conn.execute(schema.onboarding_progress.insert(), progress)
        conn.execute(schema.champion_history.insert(), history)


def _canonical(engine: sa.Engine) -> dict[str, list[tuple[object, ...]]]:
    """The rollups independent of the small numbers the store hands out."""
    s, p, c, cd = (
        schema.activity_spans,
        schema.activity_pairs,
        schema.activity_containers,
        schema.contribution_days,
    )
    with engine.connect() as conn:
        spans = conn.execute(
            sa.select(p.c.member_key, p.c.platform, s.c.span, s.c.q0, s.c.q1, s.c.q2, s.c.q3).join(
                p, p.c.id == s.c.pair
            )
        )
        contributions = conn.execute(
            sa.select(p.c.member_key, p.c.platform, c.c.container, cd.c.day, cd.c.con).select_from(
                cd.join(p, p.c.id == cd.c.pair).outerjoin(c, c.c.id == cd.c.container)
            )
        )
        totals = conn.execute(sa.select(schema.day_totals))
        packs = conn.execute(sa.select(schema.span_packs.c.span))
        return {
            "spans": sorted(map(tuple, spans)),
            "contributions": sorted(tuple(map(str, r)) for r in contributions),
            "totals": sorted(map(tuple, totals)),
            "packs": sorted(map(tuple, packs)),
        }


def _rebuild(engine: sa.Engine) -> None:
    with engine.begin() as conn:
        for table in ROLLUPS:
            conn.execute(table.delete())
        conn.execute(
            schema.rollup_dirty.insert().from_select(
                ["day"], sa.select(schema.facts.c.day).distinct()
            )
        )
        rollup.refresh(conn)


def _count(engine: sa.Engine, table: sa.Table) -> int:
    with engine.connect() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one())


def test_purge_follows_each_rule_and_rollups_equal_a_rebuild(
    tmp_path: Path, store_url: str
) -> None:
    with _kit(tmp_path, store_url) as kit:
        engine = kit.engine
        _fill(engine)
        facts_before = _count(engine, schema.facts)
        result = kit.privacy.purge(today=TODAY)
        cutoff = TODAY - dt.timedelta(days=30)
        assert result.cutoffs["facts"] == cutoff
        assert result.cutoffs["ledger"] == TODAY - dt.timedelta(days=10)
        assert result.cutoffs["champion_history"] is None  # 0: kept forever
        with engine.connect() as conn:
            oldest = conn.execute(sa.select(sa.func.min(schema.facts.c.day))).scalar_one()
            ledger = sorted(conn.execute(sa.select(schema.ledger.c.key)).scalars())
        assert str(oldest) >= cutoff.isoformat()
        assert result.purged["facts"] == facts_before - _count(engine, schema.facts) > 0
        assert ledger == ["k1", "k2"]  # the old sent one went; a failed one waits for a retry
        assert result.purged["ledger"] == 1
        assert result.purged["onboarding_progress"] == 1
        assert result.purged["members"] == 1  # departed long ago, nothing left under the key
        assert _count(engine, schema.champion_history) == 1
        assert result.rollup_days > 0
        period = parse_period("last-60d", today=TODAY)
        purged_metrics = compute_metrics(engine, period, min_group_size=2)
        after_purge = _canonical(engine)
        assert all(after_purge.values())
        _rebuild(engine)
        assert _canonical(engine) == after_purge
        assert compute_metrics(engine, period, min_group_size=2) == purged_metrics
        assert kit.privacy.purge(today=TODAY).total == 0  # nothing more to do


def test_collect_reports_the_purge_and_zero_keeps_everything(
    tmp_path: Path, store_url: str
) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    (exports / "activity.csv").write_text("day,platform,person_id,action,feature,count\n", "utf-8")
    with _kit(
        tmp_path, store_url, f"[connectors.exports]\ntype = 'csv'\npath = '{exports}'\n"
    ) as kit:
        _fill(kit.engine)
        result = kit.collect(today=TODAY)
        assert result.purged is not None and result.purged.total > 0
        assert result.as_dict()["purged"]["purged"]["facts"] == result.purged.purged["facts"]
    forever = tmp_path / "forever"
    forever.mkdir()
    config = forever / "e20kit.toml"
    config.write_text("[privacy]\npseudonymise = false\nretention_days = 0\n", "utf-8")
    with Kit.from_config(config, env={}, store_url=store_url) as kit:
        facts = _count(kit.engine, schema.facts)
        # force: a reference day 13 years ahead is refused by the clock guard on its own
        assert kit.privacy.purge(today=TODAY + dt.timedelta(days=5000), force=True).total == 0
        assert _count(kit.engine, schema.facts) == facts


class _Leavers:
    """A directory listing one active and one deactivated account, run after run."""

    capabilities = frozenset({"people"})

    def __init__(self, context: object) -> None:
        pass

    def people(self) -> Iterator[Person]:
        yield Person(platform="hr", person_id="1", email="stays@example.org")
        yield Person(platform="hr", person_id="2", email="left@example.org", active=False)

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[object]:
        return iter(())

    def close(self) -> None:
        pass


class _NoSettings(BaseModel):
    pass


class _LeaversPlugin:
    @hookimpl
    def e20kit_connectors(self) -> Iterator[ConnectorType]:
        yield ConnectorType(name="hr", settings=_NoSettings, factory=_Leavers)  # type: ignore[arg-type]


def test_a_departed_account_ages_out_although_the_platform_still_lists_it(
    tmp_path: Path, store_url: str
) -> None:
    config = tmp_path / "e20kit.toml"
    config.write_text("[privacy]\npseudonymise = false\n\n[connectors.hr]\n", "utf-8")
    with Kit.from_config(config, env={}, store_url=store_url, plugins=[_LeaversPlugin()]) as kit:
        assert kit.collect().ok
        long_ago = dt.datetime(2020, 1, 1, tzinfo=dt.UTC)
        with kit.engine.begin() as conn:
            for table in (schema.identities, schema.members):
                conn.execute(table.update().values(updated_at=long_ago))
        result = kit.collect()  # lists both again: only the active one counts as seen now
        assert result.purged is not None
        assert result.purged.purged["identities"] == 1
        assert result.purged.purged["members"] == 1
        with kit.engine.connect() as conn:
            left = conn.execute(sa.select(schema.members.c.member_key)).scalars().all()
        assert left == ["stays@example.org"]
