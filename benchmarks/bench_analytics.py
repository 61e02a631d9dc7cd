"""``analytics``: every metric and the diagnosis over 1,000,000 facts (10,000 members x 100 days).

The facts come from :func:`e20kit.sandbox.bench.facts_for_bench` (spread over three platforms by
feature) and are bulk-inserted straight into the store's ``members`` and ``facts`` tables (this
benchmark measures analytics, not ingest). The store notices the new rows (see
``e20kit.store.changes``), and the rollups are then refreshed, as the first report after a
collection does: that refresh is timed on its own as ``rollup_seconds`` (reported by the
``ingest`` benchmark too).
The period is the whole span of data, so every fact is in it. Each size is computed in a fresh
subprocess, so ``peak_rss_mb`` is the analytics process's own peak (charts excluded, as the
issue asks).

The reference is DuckDB, in the same run, over the same rows (loaded from a CSV export of the
facts; the load is timed separately as ``duckdb_load_seconds``): active members per day, per
7-day and per 30-day block, and the Gini coefficient of per-member contributions. ``ratio`` is
the issue's figure (every metric and the diagnosis against DuckDB's core figures);
``core_seconds``/``core_ratio`` time e20kit computing only those same core figures.
``disclosed_seconds`` is every metric and the diagnosis published through the disclosure layer
(``e20kit.disclosure``), in the same process; ``disclosure_ratio`` its cost against ``seconds``
(issue 20 asks for at most 1.2).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.memory import peak_rss_mb

MEMBERS = 10_000
SIZES = {250_000: 25, 500_000: 50, 1_000_000: 100}
"""facts -> days (10,000 members, one fact per member and day)."""
END = dt.date(2026, 11, 1)
CONTRIBUTIONS = ("create", "edit", "comment", "post", "reply")
PLATFORM_OF = {
    "wiki": "confluence",
    "blog": "confluence",
    "discussion": "mattermost",
    "chat": "mattermost",
    "files": "sharepoint",
    "site": "sharepoint",
}
"""Three platforms, as a real deployment has, so per-platform figures cost what they would."""


def _build(folder: Path, days: int) -> tuple[Path, Path, float]:
    """A store, a CSV export of the same facts, and the seconds refreshing the rollups took."""
    from e20kit.sandbox.bench import facts_for_bench
    from e20kit.store import create_engine

    db = folder / f"analytics-{days}.sqlite"
    create_engine(f"sqlite:///{db}").dispose()  # creates and migrates the schema
    now = dt.datetime.now(dt.UTC).isoformat()
    members = [
        (
            f"b{i:06d}",
            f"Department {i % 10}",
            (END - dt.timedelta(days=(i * 7) % 700)).isoformat(),
            i % 12 == 0,
            True,
            now,
        )
        for i in range(MEMBERS)
    ]
    export = folder / f"facts-{days}.csv"
    conn = sqlite3.connect(db)
    with conn, export.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ("day", "member_key", "platform", "action", "feature", "container", "count")
        )
        conn.executemany(
            "INSERT INTO members (member_key, department, joined_on, is_leader, active, "
            "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
            members,
        )
        batch: list[tuple[Any, ...]] = []
        for fact in facts_for_bench(MEMBERS, days, seed=1, end=END):
            row = (
                fact.day.isoformat(),
                fact.person_id,
                PLATFORM_OF[fact.feature],
                str(fact.action),
                str(fact.feature),
                fact.container or "",
                fact.count,
            )
            batch.append(row)
            if len(batch) >= 50_000:
                _flush(conn, writer, batch)
        _flush(conn, writer, batch)
    conn.close()
    from e20kit.store.rollup import refresh_store

    engine = create_engine(f"sqlite:///{db}")
    with engine.begin() as history_conn:  # as a collect leaves it: one history row per member
        from e20kit.store.history import seed

        seed(history_conn)
    started = time.perf_counter()
    refresh_store(engine)
    rollup_seconds = time.perf_counter() - started
    engine.dispose()
    return db, export, rollup_seconds


def _flush(conn: sqlite3.Connection, writer: Any, batch: list[tuple[Any, ...]]) -> None:
    conn.executemany(
        "INSERT INTO facts (day, member_key, platform, action, feature, container, count, "
        "source) VALUES (?, ?, ?, ?, ?, ?, ?, 'bench')",
        batch,
    )
    writer.writerows(batch)
    batch.clear()


def worker(db: str, days: int) -> None:
    """In the subprocess: compute every metric and the diagnosis; print seconds and RSS."""
    from e20kit.analytics import Period, compute_metrics
    from e20kit.config import PrivacySettings
    from e20kit.diagnose import playbook
    from e20kit.disclosure import Disclosure
    from e20kit.store import create_engine

    engine = create_engine(f"sqlite:///{db}")
    period = Period(END - dt.timedelta(days=days), END, f"last-{days}d")
    with engine.begin() as conn:
        layer = Disclosure.of_store(conn, PrivacySettings())
    raw_runs, disclosed_runs = [], []
    for _ in range(3):  # alternately, the best of three each: the layer's cost, not the cache's
        started = time.perf_counter()
        metrics = compute_metrics(engine, period, onboarding=False)
        findings = playbook(metrics)
        raw_runs.append(time.perf_counter() - started)
        started = time.perf_counter()  # as Kit.diagnose: rules decide on raw, print published
        raw = compute_metrics(engine, period, onboarding=False)
        published = layer.metrics(raw)
        decided = playbook(raw)
        shown = playbook(published) if decided else []
        layer.findings(layer.printable(decided, shown), published)
        disclosed_runs.append(time.perf_counter() - started)
    seconds, disclosed = min(raw_runs), min(disclosed_runs)
    peak_kb = int(peak_rss_mb() * 1024)
    # the same core figures as the DuckDB reference, through the same code as above
    from e20kit.analytics.cube import load_cube
    from e20kit.analytics.headline import member_rollup, series, series_start
    from e20kit.analytics.inequality import inequality
    from e20kit.analytics.totals import load_totals

    started = time.perf_counter()
    with engine.connect() as conn:
        first = series_start(period)
        cube = load_cube(conn, first, period.end)
        series(cube, load_totals(conn, first, period.end), period)
        con = cube.contributions_in(period.start, period.end)
        rollup = member_rollup(cube, period.start, period.end, con)
        core_gini = inequality(rollup[None].contributions).gini
    core_seconds = time.perf_counter() - started
    print(
        json.dumps(
            {
                "seconds": seconds,
                "disclosed_seconds": disclosed,
                "core_seconds": core_seconds,
                "core_gini": core_gini,
                "peak_rss_mb": peak_kb / 1024,
                "active_members": metrics.headline.active_members,
                "gini": metrics.inequality.gini,
                "findings": len(findings),
            }
        )
    )


def _run_worker(db: Path, days: int) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_analytics", "--worker", str(db), str(days)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _duckdb(export: Path, days: int) -> tuple[float, float, dict[str, Any]]:
    """(load seconds, compute seconds, figures) of the DuckDB reference."""
    import duckdb

    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        "CREATE TABLE facts AS SELECT * FROM read_csv(?, header = true, "
        "columns = {'day': 'DATE', 'member_key': 'VARCHAR', 'platform': 'VARCHAR', "
        "'action': 'VARCHAR', 'feature': 'VARCHAR', 'container': 'VARCHAR', 'count': 'INTEGER'})",
        [str(export)],
    )
    load = time.perf_counter() - started
    end = END.isoformat()
    contrib = ", ".join(f"'{a}'" for a in CONTRIBUTIONS)
    started = time.perf_counter()
    daily = con.execute("SELECT day, count(DISTINCT member_key) FROM facts GROUP BY day").fetchall()
    blocks = {}
    for size in (7, 30):
        blocks[size] = con.execute(
            f"SELECT (DATE '{end}' - day - 1) // {size} AS blk, count(DISTINCT member_key) "
            f"FROM facts WHERE DATE '{end}' - day <= {size * max(1, days // size)} GROUP BY blk"
        ).fetchall()
    gini = con.execute(
        f"""
        WITH totals AS (
            SELECT sum(CASE WHEN action IN ({contrib}) THEN count ELSE 0 END) AS c
            FROM facts GROUP BY member_key
        ), ranked AS (
            SELECT c, row_number() OVER (ORDER BY c) AS i, count(*) OVER () AS n,
                   sum(c) OVER () AS total
            FROM totals
        )
        SELECT 2.0 * sum(i * c) / (max(n) * max(total)) - (max(n) + 1.0) / max(n) FROM ranked
        """
    ).fetchone()
    seconds = time.perf_counter() - started
    con.close()
    figures = {"days": len(daily), "weeks": len(blocks[7]), "gini": gini[0] if gini else None}
    return load, seconds, figures


def run() -> dict[str, dict[str, Any]]:
    results: dict[int, dict[str, Any]] = {}
    with tempfile.TemporaryDirectory(prefix="e20kit-bench-analytics-") as tmp:
        for facts, days in SIZES.items():
            db, export, rollup_seconds = _build(Path(tmp), days)
            ours = {**_run_worker(db, days), "rollup_seconds": rollup_seconds}
            load, duck, figures = _duckdb(export, days)
            results[facts] = {
                **ours,
                "duckdb_seconds": duck,
                "duckdb_load_seconds": load,
                "duckdb_gini": figures["gini"],
            }
            db.unlink()
            export.unlink()
    top = results[1_000_000]
    return {
        "analytics": {
            "facts": 1_000_000,
            "members": MEMBERS,
            "days": 100,
            "seconds": round(top["seconds"], 3),
            "disclosed_seconds": round(top["disclosed_seconds"], 3),
            "disclosure_ratio": round(top["disclosed_seconds"] / top["seconds"], 3),
            "duckdb_seconds": round(top["duckdb_seconds"], 3),
            "duckdb_load_seconds": round(top["duckdb_load_seconds"], 3),
            "ratio": round(top["seconds"] / top["duckdb_seconds"], 2),
            "core_seconds": round(top["core_seconds"], 3),
            "core_ratio": round(top["core_seconds"] / top["duckdb_seconds"], 2),
            "ratio_with_duckdb_load": round(
                top["seconds"] / (top["duckdb_seconds"] + top["duckdb_load_seconds"]), 2
            ),
            "peak_rss_mb": round(top["peak_rss_mb"], 1),
            "rollup_seconds": round(top["rollup_seconds"], 3),
            "gini": top["gini"],
            "duckdb_gini": top["duckdb_gini"],
            "findings": top["findings"],
            "scaling": {
                str(facts): {
                    "seconds": round(r["seconds"], 3),
                    "duckdb_seconds": round(r["duckdb_seconds"], 3),
                    "peak_rss_mb": round(r["peak_rss_mb"], 1),
                    "rollup_seconds": round(r["rollup_seconds"], 3),
                }
                for facts, r in results.items()
                if facts != 1_000_000
            },
        }
    }


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], int(sys.argv[3]))
    else:
        print(json.dumps(run(), indent=2))
