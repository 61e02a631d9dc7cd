"""One data contract on both stores: the same hostile rows are accepted or rejected alike.

Each case is its own CSV connector in one collect run, so a rejected case fails only its own
connector; the test runs once on SQLite and once on PostgreSQL (``store_url``) with the same
expectations, so the two stores cannot disagree.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa

from e20kit import Kit
from e20kit.models import MAX_COUNT
from e20kit.store import schema
from e20kit.store.rollup import refresh_store

from .helpers import write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "test-secret-of-16-bytes"}
DAY = "2026-10-20"
PERSON = ("csv", "u1", "u1@example.org", "U", "Sales", "Clerk", "", "2024-01-10", "en")


def _fact(**change: str) -> tuple[str, ...]:
    row = {
        "day": DAY,
        "platform": "csv",
        "person_id": "u1",
        "action": "post",
        "feature": "discussion",
        "container": "c1",
        "count": "1",
    }
    row.update(change)
    return tuple(row.values())


def _person(**change: str) -> tuple[str, ...]:
    names = ("platform", "person_id", "email", "display_name", "department", "title")
    row = dict(zip(names, PERSON[:6], strict=True)) | change
    return (*row.values(), *PERSON[6:])


# name -> (people rows, activity rows, accepted?)
CASES: dict[str, tuple[list[tuple[str, ...]], list[tuple[str, ...]], bool]] = {
    "count_max": ([PERSON], [_fact(count=str(MAX_COUNT))], True),
    "count_3e9": ([PERSON], [_fact(count="3000000000")], False),
    "count_int64": ([PERSON], [_fact(count="9223372036854775807")], False),
    "count_negative": ([PERSON], [_fact(count="-1")], False),
    "count_float": ([PERSON], [_fact(count="1e20")], False),
    "nul_container": ([PERSON], [_fact(container="a\x00b")], False),
    "nul_person": ([PERSON], [_fact(person_id="u\x001")], False),
    "container_300": ([PERSON], [_fact(container="c" * 300)], True),
    "container_301": ([PERSON], [_fact(container="c" * 301)], False),
    "person_id_201": ([PERSON], [_fact(person_id="p" * 201)], False),
    "day_9999": ([PERSON], [_fact(day="9999-12-31")], False),
    "day_0026": ([PERSON], [_fact(day="0026-10-20")], False),
    "day_1989": ([PERSON], [_fact(day="1989-12-31")], False),
    "day_1990": ([PERSON], [_fact(day="1990-01-01")], True),
    "long_title": ([_person(title="t" * 100_000)], [_fact()], True),
    "long_department": ([_person(department="d" * 5000)], [_fact()], True),
    "nul_title": ([_person(title="a\x00b")], [_fact()], False),
    "long_email": ([_person(email="e" * 320 + "@x.org")], [_fact()], False),
}


def _kit(tmp_path: Path, store_url: str) -> Kit:
    tables = []
    for name, (people, activity, _) in CASES.items():
        # one member per case: each case's person has its own address
        people = [tuple(v.replace("u1@", f"{name}@") for v in row) for row in people]
        folder = write_exports(tmp_path / name, people=people, activity=activity)
        tables.append(f'[connectors.{name}]\ntype = "csv"\npath = "{folder}"\n')
    config = tmp_path / "e20kit.toml"
    config.write_text(
        # retention_days = 0 keeps everything: the 1990 row tests the stores, not retention
        f'[store]\nurl = "{store_url}"\n[collect]\nlookback_days = 3650\n'
        "[privacy]\nretention_days = 0\n" + "".join(tables),
        encoding="utf-8",
    )
    return Kit.from_config(config, env=ENV)


def test_both_stores_accept_and_reject_the_same_hostile_rows(
    tmp_path: Path, store_url: str
) -> None:
    with _kit(tmp_path, store_url) as kit:
        result = kit.collect(today=dt.date(2026, 10, 25))
        outcome = {run.name: run.ok for run in result.runs}
        assert outcome == {name: case[2] for name, case in CASES.items()}
        for run in result.failed:
            assert run.error_type == "ConnectorFatalError", run.error
            assert "line 2" in (run.error or ""), run.error
            assert "\x00" not in (run.error or "")
        assert all(run.facts_written == 1 for run in result.runs if run.ok)
        with kit.engine.connect() as conn:
            titles = {len(t or "") for (t,) in conn.execute(sa.select(schema.members.c.title))}
            departments = {
                len(d or "") for (d,) in conn.execute(sa.select(schema.members.c.department))
            }
        assert titles == {5, 200}  # "Clerk", or the long title cut to its column
        assert departments == {5, 200}


def test_largest_counts_cannot_overflow_the_rollups(tmp_path: Path, store_url: str) -> None:
    rows = [_fact(count=str(MAX_COUNT)), _fact(person_id="u2", count=str(MAX_COUNT))]
    people = [PERSON, _person(person_id="u2", email="u2@example.org")]
    folder = write_exports(tmp_path / "big", people=people, activity=rows)
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[store]\nurl = "{store_url}"\n[collect]\nlookback_days = 400\n'
        f'[connectors.big]\ntype = "csv"\npath = "{folder}"\n',
        encoding="utf-8",
    )
    with Kit.from_config(config, env=ENV) as kit:
        assert kit.collect(today=dt.date(2026, 10, 25)).ok
        refresh_store(kit.engine)
        with kit.engine.connect() as conn:
            total = conn.execute(sa.select(sa.func.sum(schema.day_totals.c.n))).scalar()
        assert total == 2 * MAX_COUNT
        metrics = kit.metrics(today=dt.date(2026, 10, 25))
        assert metrics is not None


@pytest.mark.parametrize("value", ["yes", "1e20"])
def test_count_must_be_a_plain_integer(value: str, tmp_path: Path, sqlite_url: str) -> None:
    folder = write_exports(tmp_path / "x", people=[PERSON], activity=[_fact(count=value)])
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[store]\nurl = "{sqlite_url}"\n[connectors.x]\ntype = "csv"\npath = "{folder}"\n',
        encoding="utf-8",
    )
    with Kit.from_config(config, env=ENV) as kit:
        run = kit.collect(today=dt.date(2026, 10, 25)).runs[0]
    assert not run.ok and "column 'count'" in (run.error or "")
