"""``onboarding``: a run over 1,000 newcomers in an organisation of 10,000 with 1,000,000 facts.

Facts come from :func:`e20kit.sandbox.facts_for_bench` and are written straight into the store
(SQLite). Timed: the first run (enrolment, every check, progress writes, nudges through the log
notifier into a JSON-lines file, each through the at-most-once ledger), a second run at the same
moment (nothing to do: the idempotent path) and the funnel query.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from benchmarks.stores import load_bench_facts
from e20kit import Kit, load_config
from e20kit.onboarding.funnel import funnel
from e20kit.sandbox import DEFAULT_END, bench_people
from e20kit.store.schema import identities, members

MEMBERS = 10_000
DAYS = 100
NEWCOMER_EVERY = 10
NOW = dt.datetime.combine(DEFAULT_END + dt.timedelta(days=1), dt.time(9), tzinfo=dt.UTC)

CONFIG = """
[store]
url = "sqlite:///{store}"
[privacy]
pseudonymise = false
[notifiers.out]
type = "log"
path = "{messages}"
[onboarding.nudges]
notifier = "out"
weekly_cap = 3
send_on_weekends = true
quiet_start = "00:00"
quiet_end = "00:00"
[[onboarding.checklists]]
id = "start"
audience = {{ joined_within_days = 60 }}
[[onboarding.checklists.steps]]
id = "contribute"
check = "activity"
params = {{ actions = ["create", "post", "reply", "comment"] }}
title = "Contribute"
[[onboarding.checklists.steps]]
id = "regular"
check = "activity"
params = {{ min_count = 40 }}
title = "Use it regularly"
[[onboarding.checklists.steps]]
id = "intro"
check = "manual"
title = "Attend the intro"
"""


def _load(engine: sa.Engine) -> int:
    old = DEFAULT_END - dt.timedelta(days=400)
    rows = []
    for i, p in enumerate(bench_people(MEMBERS)):
        joined = DEFAULT_END - dt.timedelta(days=5 + i % 50) if i % NEWCOMER_EVERY == 0 else old
        rows.append((p.person_id, p.department, joined))
    with engine.begin() as conn:
        conn.execute(
            members.insert(),
            [
                {
                    "member_key": k,
                    "department": d,
                    "joined_on": j,
                    "active": True,
                    "updated_at": NOW,
                }
                for k, d, j in rows
            ],
        )
        conn.execute(
            identities.insert(),
            [
                {
                    "source": "bench",
                    "person_id": k,
                    "platform": "bench",
                    "member_key": k,
                    "email": None,
                    "attributes": {},
                    "updated_at": NOW,
                }
                for k, _, _ in rows
            ],
        )
        load_bench_facts(conn, MEMBERS, DAYS)
    return sum(1 for i in range(MEMBERS) if i % NEWCOMER_EVERY == 0)


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config_file = folder / "e20kit.toml"
        config_file.write_text(
            CONFIG.format(store=folder / "bench.sqlite", messages=folder / "messages.jsonl")
        )
        with Kit(load_config(config_file, env={})) as kit:
            newcomers = _load(kit.engine)
            t0 = time.perf_counter()
            first = kit.onboarding.run(now=NOW)
            t1 = time.perf_counter()
            second = kit.onboarding.run(now=NOW)
            t2 = time.perf_counter()
            steps = funnel(kit.engine)
            t3 = time.perf_counter()
        assert first.ok and not second.nudges and not second.completed
        return {
            "onboarding": {
                "members": MEMBERS,
                "newcomers": newcomers,
                "enrolled": sum(first.enrolled.values()),
                "steps_completed": len(first.completed),
                "nudges_sent": len(first.sent),
                "first_run_s": round(t1 - t0, 3),
                "second_run_s": round(t2 - t1, 3),
                "funnel_s": round(t3 - t2, 4),
                "funnel": [
                    {"step": s.step, "eligible": s.eligible, "completed": s.completed}
                    for s in steps
                ],
            }
        }


if __name__ == "__main__":
    import json

    print(json.dumps(run(), indent=2))
