"""``ingest``: 1,000,000 synthetic facts into SQLite through the real collect path.

Each size runs in a fresh subprocess so its peak RSS is its own. The baseline is plain
``sqlite3.executemany`` of the same rows into the same table shape, in one transaction.

Collection stores facts; the analytics' rollups of the new days are brought up to date by the
first report after it (``e20kit.store.rollup``). That refresh is timed too, right after the
collection, as ``rollup_seconds``, and ``facts_per_s_with_rollups`` counts both.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from benchmarks.memory import peak_rss_mb
from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Checkpoint,
    ConnectorType,
    Feature,
    Kit,
    Person,
    PluginContext,
    Window,
    hookimpl,
    load_config,
)
from e20kit.privacy import Pseudonymiser
from e20kit.store import create_engine
from e20kit.store.rollup import refresh_store

SIZES = (250_000, 500_000, 1_000_000)
DAYS = 100
START = dt.date(2026, 1, 1)
ACTIONS = (Action.VIEW, Action.POST, Action.REPLY, Action.EDIT)
FEATURES = (Feature.WIKI, Feature.DISCUSSION, Feature.DISCUSSION, Feature.WIKI)


def _plan(facts: int) -> tuple[int, int]:
    """Members and facts per member-day so that members x DAYS x per_day == facts."""
    per_day = 1
    return facts // (DAYS * per_day), per_day


def synthetic_rows(facts: int) -> Iterator[tuple[dt.date, str, int, int]]:
    members, _ = _plan(facts)
    for day in range(DAYS):
        date = START + dt.timedelta(days=day)
        for member in range(members):
            kind = (member + day) % 4
            yield date, f"p{member}", kind, 1 + (member * 7 + day) % 9


class BenchSettings(BaseModel):
    facts: int


class BenchConnector:
    capabilities = frozenset({"people", "activity"})

    def __init__(self, context: PluginContext[BenchSettings]) -> None:
        self.facts = context.settings.facts

    def people(self) -> Iterator[Person]:
        members, _ = _plan(self.facts)
        for i in range(members):
            yield Person(platform="bench", person_id=f"p{i}", email=f"p{i}@example.org")

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        for day, person, kind, count in synthetic_rows(self.facts):
            yield Activity(
                day=day,
                platform="bench",
                person_id=person,
                action=ACTIONS[kind],
                feature=FEATURES[kind],
                container=f"c{kind}",
                count=count,
            )
        yield Checkpoint(stream="all", value="done")

    def close(self) -> None:
        pass


class BenchPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="bench", settings=BenchSettings, factory=BenchConnector)]


def _collect(facts: int, folder: Path) -> dict[str, Any]:
    config = folder / "bench.toml"
    config.write_text(
        f'[store]\nurl = "sqlite:///{folder / "bench.sqlite"}"\n'
        f"[collect]\nlookback_days = 400\nbatch_size = 50000\n"
        f'[connectors.bench]\ntype = "bench"\nfacts = {facts}\n',
        encoding="utf-8",
    )
    load_config(config, env={"E20KIT_PSEUDONYM_SECRET": "bench-secret-16-bytes"})
    kit = Kit.from_config(
        config, env={"E20KIT_PSEUDONYM_SECRET": "bench-secret-16-bytes"}, plugins=[BenchPlugin()]
    )
    kit.engine  # noqa: B018 - create the schema outside the timed part
    started = time.perf_counter()
    result = kit.collect(today=START + dt.timedelta(days=DAYS))
    seconds = time.perf_counter() - started
    assert result.ok and result.facts_written == facts, result.as_dict()
    started = time.perf_counter()
    refresh_store(kit.engine)
    rollup_seconds = time.perf_counter() - started
    kit.close()
    return {"seconds": seconds, "rollup_seconds": rollup_seconds}


def _baseline(facts: int, folder: Path) -> dict[str, Any]:
    path = folder / "baseline.sqlite"
    create_engine(f"sqlite:///{path}").dispose()  # the same table and indexes as the store
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    keys = Pseudonymiser(b"bench")
    member = {
        f"p{i}": keys.member_key(email=f"p{i}@example.org", platform="bench", person_id=f"p{i}")
        for i in range(_plan(facts)[0])
    }
    rows = [
        (
            d.isoformat(),
            member[p],
            "bench",
            ACTIONS[k].value,
            FEATURES[k].value,
            f"c{k}",
            c,
            "bench",
        )
        for d, p, k, c in synthetic_rows(facts)
    ]
    started = time.perf_counter()
    with conn:
        conn.executemany("INSERT INTO facts VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    seconds = time.perf_counter() - started
    conn.close()
    return {"seconds": seconds}


def _child(mode: str, facts: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        out = (_collect if mode == "collect" else _baseline)(facts, Path(tmp))
    out["peak_rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def _measure(mode: str, facts: int) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_ingest", mode, str(facts)],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run() -> dict[str, Any]:
    scaling: dict[str, Any] = {}
    for facts in SIZES:
        collect = _measure("collect", facts)
        scaling[str(facts)] = {
            "seconds": round(collect["seconds"], 2),
            "facts_per_s": round(facts / collect["seconds"]),
            "rollup_seconds": round(collect["rollup_seconds"], 2),
            "facts_per_s_with_rollups": round(
                facts / (collect["seconds"] + collect["rollup_seconds"])
            ),
            "peak_rss_mb": round(collect["peak_rss_mb"], 1),
        }
    facts = SIZES[-1]
    baseline = _measure("baseline", facts)
    top = scaling[str(facts)]
    baseline_rate = facts / baseline["seconds"]
    return {
        "ingest": {
            "facts": facts,
            "facts_per_s": top["facts_per_s"],
            "baseline_facts_per_s": round(baseline_rate),
            "ratio": round(top["facts_per_s"] / baseline_rate, 3),
            "rollup_seconds": top["rollup_seconds"],
            "facts_per_s_with_rollups": top["facts_per_s_with_rollups"],
            "ratio_with_rollups": round(top["facts_per_s_with_rollups"] / baseline_rate, 3),
            "peak_rss_mb": top["peak_rss_mb"],
            "scaling": {k: v for k, v in scaling.items() if k != str(facts)},
        }
    }


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]))
