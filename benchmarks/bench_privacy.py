"""``privacy``: what the works-council features cost on a store of 200,000 facts.

2,000 members x 100 days on SQLite (bulk-loaded, rollups refreshed). Timed: the purge every
``collect`` now runs when nothing is old enough (``purge_noop_seconds``), a purge of 40 of the
100 days with its rollup refresh (``purge_40d_seconds``), one erasure request
(``forget_seconds``) and the German data inventory (``inventory_seconds``).
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

MEMBERS, DAYS = 2_000, 100


def run() -> dict[str, dict[str, Any]]:
    from e20kit import Kit
    from e20kit.sandbox.bench import facts_for_bench
    from e20kit.sandbox.org import DEFAULT_END
    from e20kit.store import rollup, schema

    from .stores import load_bench_facts

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = folder / "e20kit.toml"
        config.write_text("[privacy]\npseudonymise = false\nretention_days = 60\n", "utf-8")
        kit = Kit.from_config(config, env={}, store_url=f"sqlite:///{folder / 's.sqlite'}")
        now = dt.datetime.now(dt.UTC)
        with kit.engine.begin() as conn:
            ids = sorted({f.person_id for f in facts_for_bench(MEMBERS, 1)})
            conn.execute(
                schema.members.insert(),
                [{"member_key": i, "active": True, "updated_at": now} for i in ids],
            )
            conn.execute(
                schema.identities.insert(),
                [
                    {
                        "source": "bench",
                        "person_id": i,
                        "platform": "csv",
                        "member_key": i,
                        "attributes": {},
                        "active": True,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            facts = load_bench_facts(conn, MEMBERS, DAYS)
        rollup.refresh_store(kit.engine)
        end = DEFAULT_END
        started = time.perf_counter()
        kit.privacy.purge(today=end - dt.timedelta(days=DAYS - 60))  # nothing is old enough
        noop = time.perf_counter() - started
        started = time.perf_counter()
        purged = kit.privacy.purge(today=end)  # the oldest 40 days go
        purge = time.perf_counter() - started
        started = time.perf_counter()
        kit.privacy.forget(account=ids[0])
        forget = time.perf_counter() - started
        started = time.perf_counter()
        kit.privacy.inventory(lang="de")
        inventory = time.perf_counter() - started
        kit.close()
    return {
        "privacy": {
            "facts": facts,
            "purge_noop_seconds": round(noop, 3),
            "purge_40d_seconds": round(purge, 3),
            "purged_facts": purged.purged.get("facts", 0),
            "rollup_days": purged.rollup_days,
            "forget_seconds": round(forget, 3),
            "inventory_seconds": round(inventory, 3),
        }
    }
