"""The connector against the fake over loopback HTTP, into a real store (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable

import pytest
from e20kit_mattermost.fake import MattermostFake
from e20kit_mattermost.fake.org import DAY_MS, ms

from e20kit import Kit
from e20kit.sandbox import FaultPlan, Org, Request, Response
from e20kit.testing import assert_same_store, bookmarks, fact_totals, people_totals, store_rows

KitFactory = Callable[..., Kit]

pytestmark = pytest.mark.slow


def _totals(kit: Kit) -> Counter[tuple[str, str]]:
    return Counter(fact_totals(kit, by=("action", "feature")))


def _containers(kit: Kit, feature: str) -> set[str]:
    return {r["container"] for r in store_rows(kit, "facts") if r["feature"] == feature}


def _expected(org: Org, since: dt.date) -> Counter[tuple[str, str]]:
    out: Counter[tuple[str, str]] = Counter()
    for _, event in org.iter_events(["mattermost"]):
        if event.day >= since and event.action.value != "visit":
            out[(event.action.value, event.feature.value)] += event.count
    return out


def _after_everything(fake: MattermostFake, today: dt.date) -> int:
    """A moment after everything the first run saw: new content is never created in the past."""
    data = fake.data
    now = 60_000 + max(
        [u.last_activity_at for u in data.users.values()]
        + [ch.last_post_at for ch in data.channels.values()]
    )
    assert now < ms(today + dt.timedelta(days=1))
    return now


def test_collects_the_orgs_posts_replies_and_reactions(
    fake: MattermostFake, org: Org, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(fake.url, store_url)
    result = kit.collect(today=today)
    assert result.ok, result.as_dict()
    totals = _totals(kit)
    expected = _expected(org, today - dt.timedelta(days=25))
    assert {k: v for k, v in totals.items() if k[0] != "visit"} == expected
    assert totals[("visit", "site")] > 0
    assert people_totals(kit) == {"mattermost": len(org.people) + 1}  # + the admin, not the bot


def test_second_run_without_changes_writes_nothing_and_only_lists(
    fake: MattermostFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(fake.url, store_url)
    assert kit.collect(today=today).ok
    fake.server.reset_log()
    result = kit.collect(today=today)
    assert result.ok
    assert result.facts_written == 0
    assert result.runs[0].facts_deleted == 0
    paths = {r.path for r in fake.server.requests}
    assert not [p for p in paths if p.endswith("/posts")], paths
    # nobody was active since the chat bookmark: no member's conversations are listed
    assert not [p for p in paths if p.startswith("/api/v4/users/") and p.endswith("/channels")]


def test_faults_leave_the_store_as_a_fault_free_run(
    org: Org, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    with MattermostFake.from_org(org) as clean:
        expected = make_kit(clean.url)  # a SQLite store of its own
        assert expected.collect(today=today).ok
    faults = FaultPlan(rate=0.1, kinds=("429", "5xx", "reset"), retry_after_s=0.01, seed=3)
    with MattermostFake.from_org(org, faults=faults) as flaky:
        kit = make_kit(flaky.url, store_url)
        result = kit.collect(today=today)
        assert result.ok, result.as_dict()
        statuses = Counter(r.status for r in flaky.server.requests)
        assert statuses[429] + statuses[503] + statuses[0] > 0
    assert_same_store(kit, expected)


def test_new_edited_and_deleted_posts_correct_their_days(
    fake: MattermostFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(fake.url, store_url)
    assert kit.collect(today=today).ok
    before = _totals(kit)
    data = fake.data
    start = ms(today - dt.timedelta(days=24))
    old, replies = next(
        (p, replies)
        for c in data.channels.values()
        if c.type in ("O", "P")
        for p in data.live_posts(c.id)
        if start <= p.create_at < ms(today) - 5 * DAY_MS
        and not p.root_id
        and not p.props.get("from_bot")
        and (replies := [r for r in data.live_posts(c.id) if r.root_id == p.id])
    )
    member = next(u for u in data.channels[old.channel_id].members if not data.users[u].is_bot)
    now = _after_everything(fake, today)
    data.delete_post(old.id, now)
    data.add_post(old.channel_id, member, now + 1)
    lost = sum(len(p.reactions) for p in [old, *replies])
    target = data.channel_posts[old.channel_id][0]  # the channel's oldest post, never deleted
    data.react(target.id, member, now + 2, emoji="tada")
    fake.server.reset_log()
    result = kit.collect(today=today)
    assert result.ok
    after = _totals(kit)
    assert replies
    # One root deleted (with its replies), one new post: posts even, replies fewer.
    assert after[("post", "discussion")] == before[("post", "discussion")]
    assert after[("reply", "discussion")] == before[("reply", "discussion")] - len(replies)
    # Reactions on the deleted posts go with them; the new one on an old post counts today.
    assert after[("react", "discussion")] == before[("react", "discussion")] - lost + 1
    posts_requests = [r for r in fake.server.requests if r.path.endswith("/posts")]
    assert posts_requests and all("since" in r.query for r in posts_requests)


def test_bad_token_gives_one_clear_authentication_error(
    fake: MattermostFake, make_kit: KitFactory, today: dt.date
) -> None:
    token = "wrong-token-4f9a2c"
    kit = make_kit(fake.url, token=token)
    result = kit.collect(today=today)
    assert not result.ok
    run = result.runs[0]
    assert run.error_type == "ConnectorAuthError"
    assert run.error is not None
    assert "chat" in run.error and fake.url in run.error
    assert "session_expired" in run.error or "Invalid or expired" in run.error
    assert token not in run.error
    assert len(fake.server.requests) == 1


def test_direct_and_group_messages_count_as_chat_without_touching_visits(
    fake: MattermostFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(fake.url, store_url)
    assert kit.collect(today=today).ok
    before = _totals(kit)
    data = fake.data
    team = data.teams[fake.accounts.team_id].members
    a, b, c = [u for u in team if not data.users[u].is_bot and not data.users[u].delete_at][:3]
    now = _after_everything(fake, today)
    dm = data.direct_channel(a, b, now)
    root = data.add_post(dm.id, a, now)
    data.add_post(dm.id, b, now + 1, root_id=root.id)
    group = data.group_channel([a, b, c], now)
    data.add_post(group.id, c, now + 2)
    for uid in (a, b, c):
        data.users[uid].last_activity_at = max(data.users[uid].last_activity_at, now + 3)
    result = kit.collect(today=today)
    assert result.ok
    after = _totals(kit)
    assert after[("post", "chat")] == before[("post", "chat")] + 2
    assert after[("reply", "chat")] == before[("reply", "chat")] + 1
    assert after[("visit", "site")] >= before[("visit", "site")]
    assert {k: v for k, v in after.items() if k[1] == "discussion"} == {
        k: v for k, v in before.items() if k[1] == "discussion"
    }
    assert _containers(kit, "chat") == {""}


def test_a_member_token_collects_what_a_member_may_see(
    fake: MattermostFake, make_kit: KitFactory, today: dt.date
) -> None:
    data = fake.data
    member = next(
        u
        for u in data.teams[fake.accounts.team_id].members
        if not data.users[u].is_bot and "admin" not in data.users[u].roles
    )
    data.tokens["member-token"] = member
    kit = make_kit(fake.url, token="member-token")
    result = kit.collect(today=today)
    assert result.ok, result.as_dict()
    paths = [r.path for r in fake.server.requests]
    assert "/api/v4/channels" not in paths  # the all-channels listing needs manage_system
    assert not [p for p in paths if p.endswith("/channels") and "/users/" in p]  # no DM listing
    public = {c.id for c in data.channels.values() if c.type == "O"}
    seen = _containers(kit, "discussion")
    assert seen and seen <= public


def test_a_crash_resumes_from_the_last_checkpoint(
    org: Org, fake: MattermostFake, make_kit: KitFactory, today: dt.date
) -> None:
    channels = sorted(c.id for c in fake.data.channels.values() if c.type in ("O", "P"))
    broken = f"/api/v4/channels/{channels[3]}/posts"
    serve = fake.server.app

    def failing(request: Request) -> Response:
        if request.path == broken:
            return Response.text("Service Unavailable", 503)
        return serve(request)

    fake.server.app = failing
    kit = make_kit(fake.url)
    result = kit.collect(today=today)
    assert not result.ok and result.runs[0].error_type == "ConnectorRetriableError"
    done = {stream for stream in bookmarks(kit, "chat") if stream.startswith("channel:")}
    assert done == {f"channel:{c}" for c in channels[:3]}

    fake.server.app = serve
    fake.server.reset_log()
    assert kit.collect(today=today).ok
    fetched = {r.path.split("/")[4] for r in fake.server.requests if r.path.endswith("/posts")}
    assert fetched.isdisjoint(channels[:3]) and set(channels[3:]) <= fetched
    with MattermostFake.from_org(org) as clean:
        other = make_kit(clean.url)
        assert other.collect(today=today).ok
    assert_same_store(kit, other)


def test_direct_messages_are_not_counted_unless_opted_in(
    fake: MattermostFake,
    make_kit: KitFactory,
    tmp_path_factory: pytest.TempPathFactory,
    today: dt.date,
) -> None:
    """Counting who writes privately how often is a decision of the agreement: off by default."""
    from e20kit_mattermost.fake import ADMIN_TOKEN

    from e20kit.testing import build_kit

    def chat_facts(kit: Kit) -> int:
        assert kit.collect(today=today).ok
        return sum(1 for r in store_rows(kit, "facts") if r["feature"] == "chat")

    assert chat_facts(make_kit(fake.url)) > 0  # opted in (the fixture does, as the demo does)
    kit = build_kit(
        tmp_path_factory.mktemp("default"),
        connectors={"chat": {"type": "mattermost", "url": fake.url, "token_env": "MM_T"}},
        settings={"collect": {"lookback_days": 25}},
        env={"MM_T": ADMIN_TOKEN},
    )
    with kit:
        assert chat_facts(kit) == 0
