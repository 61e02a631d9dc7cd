"""End to end: collect from the Mattermost fake, nudge through Mattermost DMs, at most once.

Runs the real connector and the real DM notifier of the e20kit-mattermost plugin against its
loopback fake (skipped when the plugin is not installed).
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from e20kit import Kit
from e20kit import delivery as dl
from e20kit.config import load_config
from e20kit.sandbox import build_org

fake_module = pytest.importorskip("e20kit_mattermost.fake")
notifier_module = pytest.importorskip("e20kit_mattermost.notifier")

pytestmark = pytest.mark.slow

ORG = build_org(5, members=40, days=30, newcomer_share=0.4)
NOW = dt.datetime(2026, 11, 3, 9, 0, tzinfo=dt.UTC)  # Tuesday 10:00 in Berlin
TOKEN_ENV, BOT_ENV = "MM_E2E_TOKEN", "MM_E2E_BOT_TOKEN"


@pytest.fixture
def fake() -> Iterator[object]:
    with fake_module.MattermostFake.from_org(ORG) as server:
        yield server


def make(tmp_path: Path, store_url: str, fake: object, bot_token: str | None = None) -> Kit:
    url = fake.url  # type: ignore[attr-defined]
    bot = fake.accounts.bot_id  # type: ignore[attr-defined]
    path = tmp_path / "e20kit.toml"
    path.write_text(
        f"""
[organisation]
timezone = "Europe/Berlin"
[collect]
lookback_days = 60
[http]
backoff_factor = 0.001
backoff_max_s = 0.02
[connectors.chat]
type = "mattermost"
url = "{url}"
token_env = "{TOKEN_ENV}"
[notifiers.dm]
type = "mattermost"
url = "{url}"
token_env = "{BOT_ENV}"
bot_user_id = "{bot}"
[onboarding.nudges]
notifier = "dm"
weekly_cap = 5
[[onboarding.checklists]]
id = "chat"
audience = {{ joined_within_days = 120, platforms = ["mattermost"] }}
[[onboarding.checklists.steps]]
id = "picture"
check = "mattermost.profile_picture"
title = {{ en = "Add a profile picture", de = "Profilbild hinzufügen" }}
help_url = "https://intranet.example.org/chat/picture"
[[onboarding.checklists.steps]]
id = "posted"
check = "mattermost.posted"
params = {{ min = 1 }}
title = {{ en = "Write your first post", de = "Ersten Beitrag schreiben" }}
"""
    )
    env = {
        "E20KIT_PSEUDONYM_SECRET": "e2e-secret-of-16-bytes",
        TOKEN_ENV: fake_module.ADMIN_TOKEN,
        BOT_ENV: bot_token or fake_module.BOT_TOKEN,
    }
    return Kit(load_config(path, env=env), store_url=store_url)


def dm_keys(kit: Kit, fake: object, member: str) -> list[str]:
    uid = dl.recipient(kit.engine, member).platform_ids["mattermost"]
    data = fake.data  # type: ignore[attr-defined]
    channel = data.direct_channel(fake.accounts.bot_id, uid)  # type: ignore[attr-defined]
    return [p.props.get(notifier_module.KEY_PROP) for p in data.posts_in(channel.id)]


def test_nudges_as_direct_messages_at_most_once(
    tmp_path: Path, store_url: str, fake: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = make(tmp_path, store_url, fake)
    assert kit.collect(today=ORG.end - dt.timedelta(days=1)).ok

    dry = kit.onboarding.run(now=NOW, dry_run=True)
    due = [n.member_key for n in dry.nudges]
    assert len(due) >= 2, "the synthetic org should have stuck newcomers"

    # The first real run dies right after the first DM went out, before recording it.
    calls = {"n": 0}
    real_mark = dl._mark_sent

    def crash_once(*args: object) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            raise KeyboardInterrupt("killed between sending and recording")
        real_mark(*args)  # type: ignore[arg-type]

    with monkeypatch.context() as m, contextlib.suppress(KeyboardInterrupt):
        m.setattr(dl, "_mark_sent", crash_once)
        kit.onboarding.run(now=NOW)

    rerun = make(tmp_path, store_url, fake).onboarding.run(now=NOW + dt.timedelta(minutes=10))
    assert sorted(n.member_key for n in rerun.nudges) == sorted(due)
    assert [n.state for n in rerun.nudges].count("already_sent") == 1
    for nudge in rerun.nudges:
        assert dm_keys(kit, fake, nudge.member_key) == [nudge.key]

    third = kit.onboarding.run(now=NOW + dt.timedelta(hours=1))
    assert third.nudges == []
    for member in due:
        assert len(dm_keys(kit, fake, member)) == 1


def test_a_bad_bot_token_stops_delivery_at_once_with_one_message(
    tmp_path: Path, store_url: str, fake: object
) -> None:
    import sqlalchemy as sa

    from e20kit.store import schema

    kit = make(tmp_path, store_url, fake, bot_token="wrong-bot-token")
    assert kit.collect(today=ORG.end - dt.timedelta(days=1)).ok
    assert len(kit.onboarding.run(now=NOW, dry_run=True).nudges) >= 2
    for attempt in range(2):  # the failed entry is asked about first on the rerun: same stop
        result = kit.onboarding.run(now=NOW + dt.timedelta(minutes=attempt))
        [nudge] = result.nudges
        assert nudge.state == "failed" and result.sent == []
        error = nudge.error or ""
        assert "[dm]" in error and fake.url in error  # type: ignore[attr-defined]
        assert "rejected the token (HTTP 401)" in error and "could not tell" not in error
        assert "wrong-bot-token" not in error
    with kit.engine.connect() as conn:
        states = conn.execute(sa.select(schema.ledger.c.state)).scalars().all()
    assert states == ["failed"]
