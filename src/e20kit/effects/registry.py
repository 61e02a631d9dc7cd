"""Experiments' frozen questions and the once-only assignment of members to arms.

The first run that sees an experiment stores its definition (programme, outcome, horizon,
planned size...) and records it in the audit trail; every later run compares the config with
it and refuses a changed question (:class:`~e20kit.errors.ConfigError`: a new question needs a
new id). Assignments are inserted in the caller's transaction, so a crash before the commit
leaves nothing and the rerun draws the same; a member once assigned is never drawn again.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import sqlalchemy as sa

from ..clock import utc
from ..delivery import opted_out_of_all
from ..errors import ConfigError
from ..privacy import audit
from ..store import schema
from ..store.chunks import chunks
from .draw import arm_at, member_order
from .settings import Experiment

E, A = schema.experiments, schema.experiment_assignments
STARTED = "experiment_started"


@dataclass(frozen=True)
class Assignment:
    member_key: str
    arm: str
    stratum: str
    seq: int
    assigned_at: dt.datetime
    assigned_on: dt.date


def fingerprint(experiment: Experiment) -> str:
    text = json.dumps(experiment.definition(), sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


def started_at(conn: sa.Connection, experiment: Experiment) -> dt.datetime | None:
    """When the experiment was registered (None: not yet); fails when its question changed."""
    row = conn.execute(
        sa.select(E.c.definition, E.c.fingerprint, E.c.started_at).where(E.c.id == experiment.id)
    ).first()
    if row is None:
        return None
    if row.fingerprint != fingerprint(experiment):
        changed = sorted(
            k for k, v in experiment.definition().items() if row.definition.get(k) != v
        )
        raise ConfigError(
            f"experiment {experiment.id!r} started on {utc(row.started_at):%Y-%m-%d} with a "
            f"fixed question; its {', '.join(changed)} changed since. Changing the question "
            "after the first assignment would let the answer choose it: restore the values "
            "or give the experiment a new id",
            key="experiments",
        )
    at: dt.datetime = utc(row.started_at)
    return at


def register(conn: sa.Connection, experiment: Experiment, now: dt.datetime) -> dt.datetime:
    """Store and audit the experiment's question the first time; returns its start."""
    found = started_at(conn, experiment)
    if found is not None:
        return found
    definition = experiment.definition()
    conn.execute(
        E.insert().values(
            id=experiment.id,
            definition=definition,
            fingerprint=fingerprint(experiment),
            started_at=now,
        )
    )
    audit.record(conn, STARTED, target=experiment.id, detail=definition, now=now)
    return now


def load(conn: sa.Connection, experiment_id: str) -> dict[str, Assignment]:
    """Every stored assignment of one experiment by member key."""
    out: dict[str, Assignment] = {}
    for row in conn.execute(sa.select(A).where(A.c.experiment == experiment_id)):
        at = utc(row.assigned_at)
        assert at is not None
        out[row.member_key] = Assignment(
            row.member_key, row.arm, row.stratum, int(row.seq), at, row.assigned_on
        )
    return out


def draw(
    conn: sa.Connection,
    experiment: Experiment,
    candidates: Mapping[str, str | None],
    *,
    now: dt.datetime,
    today: dt.date,
) -> list[Assignment]:
    """Arms for ``candidates`` (member -> department) not yet assigned; nothing is stored.

    Members opted out of ``all`` are never drawn: they asked to be left alone, and the
    comparison stays fair because the draw happens among everyone else.
    """
    stored = load(conn, experiment.id)
    stopped = opted_out_of_all(conn)
    taken: dict[str, int] = {}
    for item in stored.values():
        taken[item.stratum] = max(taken.get(item.stratum, 0), item.seq + 1)
    fresh: dict[str, list[str]] = {}
    for member, department in candidates.items():
        if member not in stored and member not in stopped:
            fresh.setdefault(department or "", []).append(member)
    out: list[Assignment] = []
    for stratum in sorted(fresh):
        seq = taken.get(stratum, 0)
        for member in member_order(experiment, fresh[stratum]):
            out.append(
                Assignment(member, arm_at(experiment, stratum, seq), stratum, seq, now, today)
            )
            seq += 1
    return out


def store(conn: sa.Connection, experiment: Experiment, drawn: Sequence[Assignment]) -> None:
    """Insert drawn assignments (in the caller's transaction)."""
    if not drawn:
        return
    conn.execute(
        A.insert(),
        [
            {
                "experiment": experiment.id,
                "member_key": a.member_key,
                "arm": a.arm,
                "stratum": a.stratum,
                "seq": a.seq,
                "assigned_at": a.assigned_at,
                "assigned_on": a.assigned_on,
            }
            for a in drawn
        ],
    )


def departments(conn: sa.Connection, keys: Sequence[str]) -> dict[str, str | None]:
    """Member -> current department, for the members given."""
    m = schema.members
    out: dict[str, str | None] = dict.fromkeys(keys)
    for chunk in chunks(sorted(keys), 500):
        for key, department in conn.execute(
            sa.select(m.c.member_key, m.c.department).where(m.c.member_key.in_(chunk))
        ):
            out[key] = department
    return out


def verify(conn: sa.Connection, experiment: Experiment) -> list[str]:
    """Members whose stored arm differs from the re-derived draw (empty: the audit holds)."""
    return sorted(
        a.member_key
        for a in load(conn, experiment.id).values()
        if arm_at(experiment, a.stratum, a.seq) != a.arm
    )


__all__ = [
    "STARTED",
    "Assignment",
    "departments",
    "draw",
    "fingerprint",
    "load",
    "register",
    "started_at",
    "store",
    "verify",
]
