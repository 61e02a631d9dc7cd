"""``champions``: scoring, nomination and pairing on 10,000 members and 1,000,000 facts (SQLite).

Facts come from :func:`e20kit.sandbox.facts_for_bench` and are written straight into the store
(the ingest benchmark measures collection); what is timed is the champion programme's SQL.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.stores import load_bench_facts
from e20kit.champions.buddies import pair_buddies
from e20kit.champions.newcomers import newcomer_keys, stalled_newcomers
from e20kit.champions.nominate import nominate
from e20kit.champions.scoring import compute_scores
from e20kit.champions.settings import ChampionsSettings
from e20kit.sandbox import DEFAULT_END, bench_people
from e20kit.store import create_engine
from e20kit.store.schema import members

MEMBERS = 10_000
DAYS = 100
NOW = dt.datetime.combine(DEFAULT_END, dt.time(9), tzinfo=dt.UTC)


def _load(engine: sa.Engine) -> None:
    joined = DEFAULT_END - dt.timedelta(days=400)
    with engine.begin() as conn:
        conn.execute(
            members.insert(),
            [
                {
                    "member_key": p.person_id,
                    "department": p.department,
                    "joined_on": joined if i % 50 else DEFAULT_END - dt.timedelta(days=30),
                    "active": True,
                    "updated_at": NOW,
                }
                for i, p in enumerate(bench_people(MEMBERS))
            ],
        )
        load_bench_facts(conn, MEMBERS, DAYS)


def run() -> dict[str, Any]:
    settings = ChampionsSettings(members_per_champion=50)
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_engine(f"sqlite:///{Path(tmp) / 'bench.sqlite'}")
        _load(engine)
        today = NOW.date()
        t0 = time.perf_counter()
        scores = compute_scores(engine, settings, today=today)
        t1 = time.perf_counter()
        result = nominate(engine, settings, scores, now=NOW, by="bench")
        t2 = time.perf_counter()
        with engine.begin() as conn:  # everyone accepts, so pairing has champions
            conn.execute(sa.text("UPDATE champion_roster SET state = 'active'"))
        stalled = stalled_newcomers(engine, settings, today)
        t3 = time.perf_counter()
        pairing = pair_buddies(
            engine, settings, stalled, newcomer_keys(engine, settings, today), now=NOW
        )
        t4 = time.perf_counter()
        engine.dispose()
    return {
        "champions": {
            "members": MEMBERS,
            "facts": MEMBERS * DAYS,
            "score_s": round(t1 - t0, 3),
            "nominate_s": round(t2 - t1, 3),
            "pair_s": round(t4 - t3, 3),
            "nominated": len(result.nominated),
            "pairs": len(pairing.pairs),
        }
    }
