"""Cloud hides e-mails: the identity map joins those members, and their earlier facts move."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from confluence_testkit import KitFactory, table
from e20kit_confluence.fake import ConfluenceFake

from e20kit.sandbox import Org

pytestmark = pytest.mark.slow


def _keys(engine: sa.Engine) -> dict[str, str]:
    ident = table(engine, "identities")
    with engine.connect() as conn:
        return dict(conn.execute(sa.select(ident.c.person_id, ident.c.member_key)).all())


def _facts_by_member(engine: sa.Engine) -> dict[str, int]:
    facts = table(engine, "facts")
    query = sa.select(facts.c.member_key, sa.func.sum(facts.c.count)).group_by(facts.c.member_key)
    with engine.connect() as conn:
        return {k: int(n) for k, n in conn.execute(query).all()}


def test_the_map_joins_hidden_members_and_moves_their_facts(
    org: Org,
    make_kit: KitFactory,
    store_url: str,
    today: dt.date,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with ConfluenceFake.from_org(org, cloud=True, hidden_emails=0.5) as fake:
        kit = make_kit(fake, store_url)
        assert kit.collect(today=today).ok
        hidden = [u for u in fake.data.users.values() if not u.email_visible and u.active]
        before_keys = _keys(kit.engine)
        before_facts = _facts_by_member(kit.engine)
        total = sum(before_facts.values())
        kit.close()
        # the same store, now with a map (an Atlassian "export users" file) and one stray row
        rows = "".join(f"confluence,{u.key},{u.email}\n" for u in hidden)
        (tmp_path / "people.csv").write_text(
            "platform,person_id,email\n" + rows + "confluence,557058:nobody,nobody@example.org\n"
        )
        kit2 = make_kit(fake, store_url, tables={"identities": {"map": "people.csv"}})
        result = kit2.collect(today=today)
        assert result.ok, result.as_dict()
        after_keys = _keys(kit2.engine)
        after_facts = _facts_by_member(kit2.engine)
        kit2.close()
    moved = [u for u in hidden if before_keys[u.key] != after_keys[u.key]]
    assert moved and len(moved) == len(hidden)
    assert sum(after_facts.values()) == total  # nothing doubled, nothing lost
    for user in moved:
        assert before_keys[user.key] not in after_facts
        assert after_facts.get(after_keys[user.key], 0) == before_facts.get(
            before_keys[user.key], 0
        )
    assert "1 rows name accounts no connector returned" in caplog.text
