"""Survey waves and anonymous responses in the store (tables in :mod:`e20kit.store.schema`).

A response is stored as one row per answered reason with its role and unit label, nothing
else: the tool's response id only as a keyed hash (:func:`response_hasher`), so that importing
the same export again counts nothing twice. Each import writes the wave's rows again in the
order of that hash, so that not even the row order (or the transaction that wrote a row) tells
which responses came later.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from ..errors import SurveyError
from ..store import schema
from ..store.chunks import chunks
from ..store.history import disclosure_key
from .model import SurveyResponse, SurveyWave
from .questions import REASONS

W, R, INV = schema.survey_waves, schema.survey_responses, schema.survey_invitations
KEY_LABEL = b"e20kit survey response key v1"


@dataclass(frozen=True)
class Stored:
    """What storing a batch of responses did."""

    added: int
    """Responses new to the wave."""
    already: int
    """Responses stored before (same response id): left as they were, counted once."""


@dataclass(frozen=True)
class Tally:
    """The answers to one statement from one role in one unit (``None``: no unit label)."""

    role: str
    unit: str | None
    reason: str
    answered: int
    agree: int
    score_sum: int


def response_hasher(conn: sa.Connection, wave_id: str) -> Callable[[str], str]:
    """The keyed hash a wave's responses are stored under, by response id; the key derives
    from the store's own random key, so the hash of a known id cannot be computed outside it."""
    key = hmac.new(disclosure_key(conn), KEY_LABEL, hashlib.sha256).digest()

    def digest(response_id: str) -> str:
        message = f"{wave_id}\x1f{response_id}".encode()
        return hmac.new(key, message, hashlib.sha256).hexdigest()

    return digest


def wave_of(row: sa.Row[tuple[object, ...]]) -> SurveyWave:
    return SurveyWave(wave_id=row.wave_id, opened=row.opened, closes=row.closes, source=row.source)


def find_wave(conn: sa.Connection, wave_id: str | None) -> tuple[SurveyWave, str | None] | None:
    """Wave ``wave_id`` (the latest opened when ``None``) and its survey reference."""
    stmt = sa.select(W)
    if wave_id is None:
        stmt = stmt.order_by(W.c.opened.desc(), W.c.created_at.desc(), W.c.wave_id.desc())
    else:
        stmt = stmt.where(W.c.wave_id == wave_id)
    row = conn.execute(stmt.limit(1)).first()
    return None if row is None else (wave_of(row), row.survey_ref)


def latest_wave(conn: sa.Connection, *, until: dt.date) -> SurveyWave | None:
    """The latest wave opened before ``until`` (a report period's end, exclusive)."""
    stmt = (
        sa.select(W)
        .where(W.c.opened < until)
        .order_by(W.c.opened.desc(), W.c.created_at.desc(), W.c.wave_id.desc())
        .limit(1)
    )
    row = conn.execute(stmt).first()
    return None if row is None else wave_of(row)


def list_waves(conn: sa.Connection) -> list[SurveyWave]:
    rows = conn.execute(sa.select(W).order_by(W.c.opened, W.c.wave_id))
    return [wave_of(row) for row in rows]


def save_wave(
    conn: sa.Connection, wave: SurveyWave, *, survey_ref: str | None, now: dt.datetime
) -> SurveyWave:
    """Record ``wave`` (or find it recorded with the same source); a wave id already used for
    another source is an error, so two tools' answers never mix in one wave."""
    found = find_wave(conn, wave.wave_id)
    if found is None:
        conn.execute(
            W.insert().values(
                wave_id=wave.wave_id,
                source=wave.source,
                survey_ref=survey_ref,
                opened=wave.opened,
                closes=wave.closes,
                created_at=now,
            )
        )
        return wave
    stored, ref = found
    if stored.source != wave.source:
        raise SurveyError(
            f"wave {wave.wave_id!r} collects its answers in {stored.source!r}, not in "
            f"{wave.source!r}; use another wave id",
            source=wave.source,
            call="wave",
        )
    if survey_ref is not None and ref != survey_ref:
        conn.execute(W.update().where(W.c.wave_id == wave.wave_id).values(survey_ref=survey_ref))
    return stored


def store_responses(
    conn: sa.Connection, wave: SurveyWave, responses: Iterable[SurveyResponse]
) -> Stored:
    """Add the responses not stored before, in the caller's transaction (all or nothing)."""
    keyed: dict[str, SurveyResponse] = {}
    response_hash = response_hasher(conn, wave.wave_id)
    for response in responses:
        key = response_hash(response.response_id)
        if key in keyed:
            raise SurveyError(
                f"response id {response.response_id!r} occurs twice in one batch",
                source=wave.source,
                call="responses",
            )
        keyed[key] = response
    existing: set[str] = set()
    for chunk in chunks(sorted(keyed), 500):
        stmt = sa.select(R.c.response_hash).where(
            R.c.wave_id == wave.wave_id, R.c.response_hash.in_(chunk)
        )
        existing |= set(conn.execute(stmt.distinct()).scalars())
    new = [
        {
            "wave_id": wave.wave_id,
            "response_hash": key,
            "reason": reason.value,
            "role": keyed[key].role,
            "unit": keyed[key].unit,
            "score": keyed[key].answers.get(reason),
        }
        for key in set(keyed) - existing
        for reason in REASONS
    ]
    if new:
        _rewrite(conn, wave.wave_id, new)
    return Stored(added=len(keyed) - len(existing), already=len(existing))


def _rewrite(conn: sa.Connection, wave_id: str, new: list[dict[str, Any]]) -> None:
    """Write the wave's rows again, old and new together in the order of their hash: which
    rows came with which import (row order, SQLite's rowid, PostgreSQL's inserting
    transaction) must not tell when a response arrived, e.g. after which reminder."""
    old = [dict(r._mapping) for r in conn.execute(sa.select(R).where(R.c.wave_id == wave_id))]
    rows = sorted(old + new, key=lambda r: (str(r["response_hash"]), str(r["reason"])))
    conn.execute(R.delete().where(R.c.wave_id == wave_id))
    for batch in chunks(rows, 1000):
        conn.execute(R.insert(), list(batch))


def tallies(conn: sa.Connection, wave_id: str) -> list[Tally]:
    """Per role, unit and reason: how many answered, how many agreed (4-5), the sum of scores."""
    agree = sa.func.sum(sa.case((R.c.score >= 4, 1), else_=0))
    stmt = (
        sa.select(
            R.c.role,
            R.c.unit,
            R.c.reason,
            sa.func.count(R.c.score),
            agree,
            sa.func.coalesce(sa.func.sum(R.c.score), 0),
        )
        .where(R.c.wave_id == wave_id)
        .group_by(R.c.role, R.c.unit, R.c.reason)
    )
    return [
        Tally(role, unit, reason, int(n), int(a or 0), int(total))
        for role, unit, reason, n, a, total in conn.execute(stmt)
    ]


def respondents(conn: sa.Connection, wave_id: str) -> dict[tuple[str | None, str], int]:
    """Distinct responses per (unit, role)."""
    stmt = (
        sa.select(R.c.unit, R.c.role, sa.func.count(sa.distinct(R.c.response_hash)))
        .where(R.c.wave_id == wave_id)
        .group_by(R.c.unit, R.c.role)
    )
    return {(unit, role): int(n) for unit, role, n in conn.execute(stmt)}


def invited(conn: sa.Connection, wave_id: str) -> dict[tuple[str | None, str], int]:
    """Invited members per (department, role), as the members are filed now."""
    m = schema.members
    role = sa.case((m.c.is_leader, "leader"), else_="staff")
    stmt = (
        sa.select(m.c.department, role, sa.func.count())
        .select_from(INV.join(m, m.c.member_key == INV.c.member_key))
        .where(INV.c.wave_id == wave_id)
        .group_by(m.c.department, role)
    )
    return {(unit, str(r)): int(n) for unit, r, n in conn.execute(stmt)}


__all__ = [
    "Stored",
    "Tally",
    "find_wave",
    "invited",
    "latest_wave",
    "list_waves",
    "respondents",
    "response_hasher",
    "save_wave",
    "store_responses",
    "tallies",
]
