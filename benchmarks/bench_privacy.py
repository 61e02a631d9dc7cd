"""``privacy``: what the works-council features cost on a store of 200,000 facts.

2,000 members x 100 days on SQLite (bulk-loaded, rollups refreshed). Timed: the purge every
``collect`` now runs when nothing is old enough (``purge_noop_seconds``), a purge of 40 of the
100 days with its rollup refresh (``purge_40d_seconds``), one erasure request without and with
the database step (``forget_seconds``: the transaction, tombstones and file sweep;
``forget_database_step_seconds``: the following ``VACUUM`` and WAL checkpoint; the sum is
``forget_with_database_step_seconds``), the German data inventory (``inventory_seconds``) and
a rotation of the pseudonym secret over every member and fact (``rotate_secret_dry_run_seconds``
for the check alone, ``rotate_secret_seconds`` for check and re-keying in one transaction).
Members are pseudonymised by platform id, so the rotation recomputes every key from the store.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path
from typing import Any

MEMBERS, DAYS = 2_000, 100
OLD, NEW = "bench-secret-old-0123456789", "bench-secret-new-9876543210"


def run() -> dict[str, dict[str, Any]]:
    from e20kit import Kit
    from e20kit.sandbox.bench import facts_for_bench
    from e20kit.sandbox.org import DEFAULT_END
    from e20kit.store import rollup, schema

    from .stores import load_bench_facts

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        config = folder / "e20kit.toml"
        config.write_text("[privacy]\nretention_days = 60\n", "utf-8")
        env = {
            "E20KIT_PSEUDONYM_SECRET": OLD,
            "E20KIT_PSEUDONYM_SECRET_OLD": OLD,
            "E20KIT_PSEUDONYM_SECRET_NEW": NEW,
        }
        kit = Kit.from_config(config, env=env, store_url=f"sqlite:///{folder / 's.sqlite'}")
        now = dt.datetime.now(dt.UTC)
        with kit.engine.begin() as conn:
            ids = sorted({str(f.person_id) for f in facts_for_bench(MEMBERS, 1)})
            keys = {
                i: kit.pseudonymiser.member_key(email=None, platform="csv", person_id=i)
                for i in ids
            }
            conn.execute(
                schema.members.insert(),
                [{"member_key": keys[i], "active": True, "updated_at": now} for i in ids],
            )
            conn.execute(
                schema.identities.insert(),
                [
                    {
                        "source": "bench",
                        "person_id": i,
                        "platform": "csv",
                        "member_key": keys[i],
                        "attributes": {},
                        "active": True,
                        "updated_at": now,
                    }
                    for i in ids
                ],
            )
            facts = load_bench_facts(conn, MEMBERS, DAYS, keys=keys)
        rollup.refresh_store(kit.engine)
        end = DEFAULT_END
        started = time.perf_counter()
        kit.privacy.purge(today=end - dt.timedelta(days=DAYS - 60))  # nothing is old enough
        noop = time.perf_counter() - started
        started = time.perf_counter()
        purged = kit.privacy.purge(today=end)  # the oldest 40 days go
        purge = time.perf_counter() - started
        started = time.perf_counter()
        erased = kit.privacy.forget(account=ids[0], platform="csv", database_step=False)
        forget = time.perf_counter() - started
        started = time.perf_counter()
        kit.privacy.scrub()
        scrub = time.perf_counter() - started
        started = time.perf_counter()
        kit.privacy.inventory(lang="de")
        inventory = time.perf_counter() - started
        started = time.perf_counter()
        plan = kit.privacy.rotate_secret(dry_run=True)
        rotate_check = time.perf_counter() - started
        started = time.perf_counter()
        kit.privacy.rotate_secret()
        rotate = time.perf_counter() - started
        kit.close()
    return {
        "privacy": {
            "facts": facts,
            "purge_noop_seconds": round(noop, 3),
            "purge_40d_seconds": round(purge, 3),
            "purged_facts": purged.purged.get("facts", 0),
            "rollup_days": purged.rollup_days,
            "forget_seconds": round(forget, 3),
            "forget_facts": erased.deleted.get("facts", 0),
            "forget_database_step_seconds": round(scrub, 3),
            "forget_with_database_step_seconds": round(forget + scrub, 3),
            "inventory_seconds": round(inventory, 3),
            "rotate_secret_dry_run_seconds": round(rotate_check, 3),
            "rotate_secret_seconds": round(rotate, 3),
            "rotated_members": len(plan.keys),
            "rotated_facts": plan.rows.get("facts.member_key", 0),
        }
    }
