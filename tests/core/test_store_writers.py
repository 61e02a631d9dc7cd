"""The store's writers: people, managers, bookmarks and fact deletes (collect only calls them)."""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa

from e20kit.store import create_engine, schema
from e20kit.store.bookmarks import read_bookmarks, write_bookmarks
from e20kit.store.facts import delete_facts, upsert_facts
from e20kit.store.people import link_managers, member_keys, write_identities, write_members

NOW = dt.datetime(2026, 10, 1, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 10, 1)


def _member(key: str, **values: object) -> dict[str, object]:
    row: dict[str, object] = {
        "member_key": key,
        "department": None,
        "title": None,
        "joined_on": None,
        "locale": None,
        "is_leader": False,
        "active": True,
        "updated_at": NOW,
    }
    return row | values


def _identity(source: str, person: str, key: str, manager: str | None = None) -> dict[str, object]:
    return {
        "source": source,
        "person_id": person,
        "platform": source,
        "member_key": key,
        "manager_id": manager,
        "email": None,
        "display_name": None,
        "attributes": {},
        "active": True,
        "updated_at": NOW,
    }


def test_a_platform_never_blanks_what_another_knows(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            write_members(conn, [_member("a", department="Sales", title="Head", is_leader=True)])
            write_members(conn, [_member("a", locale="de", active=False)])  # knows less
            row = conn.execute(sa.select(schema.members)).one()
    finally:
        engine.dispose()
    assert (row.department, row.title, row.locale) == ("Sales", "Head", "de")
    assert row.is_leader and not row.active  # a leader stays one; the latest state wins


def test_managers_are_linked_and_marked_leaders(store_url: str) -> None:
    engine = create_engine(store_url)
    try:
        with engine.begin() as conn:
            write_members(conn, [_member("boss"), _member("clerk")])
            write_identities(
                conn, [_identity("hr", "1", "boss"), _identity("hr", "2", "clerk", manager="1")]
            )
            assert link_managers(conn, "hr") == 1
            assert member_keys(conn, "hr") == {"1": "boss", "2": "clerk"}
            rows = {r.member_key: r for r in conn.execute(sa.select(schema.members))}
    finally:
        engine.dispose()
    assert rows["clerk"].manager_key == "boss" and rows["boss"].is_leader
    assert not rows["clerk"].is_leader


def test_bookmarks_and_fact_deletes(store_url: str) -> None:
    engine = create_engine(store_url)
    facts = [
        (DAY, "m", "chat", "post", "chat", "c1", 2, "src"),
        (DAY, "m", "chat", "react", "chat", "c1", 1, "src"),
        (DAY, "m", "chat", "post", "chat", "c2", 4, "src"),
        (DAY, "n", "chat", "post", "chat", "c1", 9, "other"),
    ]
    try:
        with engine.begin() as conn:
            write_bookmarks(conn, "src", {"posts": "10"}, now=NOW)
            write_bookmarks(conn, "src", {"posts": "11", "users": "u"}, now=NOW)
            assert read_bookmarks(conn, "src") == {"posts": "11", "users": "u"}
            assert read_bookmarks(conn, "other") == {}
            upsert_facts(conn, facts)
            assert delete_facts(conn, "src", DAY, DAY, container="c1") == 0  # empty window
            end = DAY + dt.timedelta(days=1)
            assert delete_facts(conn, "src", DAY, end, container="c1", actions=["post"]) == 1
            assert delete_facts(conn, "src", DAY, end) == 2
            left = conn.execute(sa.select(schema.facts.c.source)).scalars().all()
    finally:
        engine.dispose()
    assert left == ["other"]  # another source's facts of the same days stay
