"""Filling the fake from e20kit's synthetic organisation (or from plain numbers, for benchmarks).

Every Mattermost event of the org becomes server content: posts and replies at plausible times
of their day, reactions on earlier posts of the channel, direct messages with a colleague, and a
``last_activity_at`` on the member's latest active day. Channels of a department are private and
hold its members; organisation-wide channels are public and hold everyone on the team.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from e20kit import Action, Feature

from .state import FakeData, Post, make_id

ADMIN_TOKEN = "fake-admin-token"
"""Token of the fake's system admin (what the connector uses)."""
BOT_TOKEN = "fake-bot-token"
"""Token of the fake's bot account (what the notifier uses)."""
HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS


@dataclass(frozen=True)
class Accounts:
    admin_id: str
    bot_id: str
    team_id: str


def ms(day: dt.date, hour_ms: int = 0) -> int:
    midnight = dt.datetime.combine(day, dt.time(), dt.UTC)
    return int(midnight.timestamp() * 1000) + hour_ms


def _offset(*parts: object, span_ms: int) -> int:
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % span_ms


def add_service_accounts(data: FakeData, created: int) -> Accounts:
    """A system admin and a bot, both with tokens, on one team named ``org``."""
    admin = data.add_user(
        "e20kit-admin",
        token=ADMIN_TOKEN,
        email="e20kit-admin@example.org",
        roles="system_admin system_user",
        create_at=created,
    )
    bot = data.add_user(
        "e20kit-bot", token=BOT_TOKEN, is_bot=True, roles="system_user", create_at=created
    )
    team = data.add_team("org", "Our organisation", created)
    data.join_team(team.id, bot.id)
    return Accounts(admin.id, bot.id, team.id)


def load_org(org: Any, data: FakeData | None = None) -> tuple[FakeData, Accounts]:
    """The fake's content for a :func:`e20kit.sandbox.build_org` organisation."""
    data = data or FakeData()
    created = ms(org.start - dt.timedelta(days=60))
    accounts = add_service_accounts(data, created)
    ids: dict[str, str] = {}
    for member in org.people:
        uid = make_id("user", member.person_id)
        ids[member.person_id] = uid
        joined = ms(member.joined_on, 9 * HOUR_MS)
        data.add_user(
            member.email.split("@")[0],
            id=uid,
            email=member.email,
            first_name=member.first_name,
            last_name=member.last_name,
            position=member.title,
            locale=member.locale,
            create_at=joined,
            delete_at=ms(member.left_on) if member.left_on else 0,
            last_picture_update=joined + 1 if member.has_picture else 0,
        )
        if member.archetype != "absent":
            data.join_team(accounts.team_id, uid)
    on_team = set(data.teams[accounts.team_id].members)

    channels: dict[str, str] = {}
    for container in org.containers_of("mattermost"):
        kind = "P" if container.department else "O"
        channel = data.add_channel(
            accounts.team_id,
            container.container_id,
            type=kind,
            creator_id=accounts.admin_id,
            create_at=created,
        )
        channels[container.container_id] = channel.id
        for member in org.people:
            uid = ids[member.person_id]
            if uid in on_team and container.department in (None, member.department):
                data.join_channel(channel.id, uid)
        data.add_post(
            channel.id, accounts.bot_id, created, message="Welcome!", props={"from_bot": "true"}
        )

    by_channel: dict[str, list[tuple[dt.date, str, Action, int]]] = defaultdict(list)
    chats: list[tuple[dt.date, str, Action, int]] = []
    for member, event in org.iter_events(["mattermost"]):
        uid = ids[member.person_id]
        user = data.users[uid]
        if event.action is Action.VISIT:
            at = ms(event.day, 8 * HOUR_MS + _offset(uid, event.day, span_ms=10 * HOUR_MS))
            user.last_activity_at = max(user.last_activity_at, at)
        elif event.feature is Feature.CHAT:
            chats.append((event.day, uid, event.action, event.count))
        elif event.container in channels:
            cid = channels[event.container]
            data.join_channel(cid, uid)
            data.join_team(accounts.team_id, uid)
            by_channel[cid].append((event.day, uid, event.action, event.count))
    for cid, events in by_channel.items():
        _replay(data, cid, events)
    partners = _partners(org, ids)
    for day, uid, action, count in sorted(chats):
        partner = partners[uid]
        channel = data.direct_channel(uid, partner, created)
        if not data.channel_posts[channel.id]:
            data.add_post(channel.id, partner, created - DAY_MS, message="Hi!")
        _replay(data, channel.id, [(day, uid, action, count)])
    return data, accounts


def _partners(org: Any, ids: dict[str, str]) -> dict[str, str]:
    """Whom each member writes to: their manager, or the next colleague for the CEO."""
    people = list(org.people)
    out: dict[str, str] = {}
    for i, member in enumerate(people):
        other = member.manager_id or people[(i + 1) % len(people)].person_id
        out[ids[member.person_id]] = ids[other]
    return out


_ORDER = {Action.POST: 0, Action.REPLY: 1, Action.REACT: 2}


def _replay(data: FakeData, cid: str, events: Iterable[tuple[dt.date, str, Action, int]]) -> None:
    """Posts in the morning, replies at midday, reactions in the evening of their day."""
    roots: list[Post] = [p for p in data.channel_posts[cid] if not p.root_id]
    posts: list[Post] = list(data.channel_posts[cid])
    for day, uid, action, count in sorted(events, key=lambda e: (e[0], _ORDER[e[2]], e[1])):
        for k in range(count):
            if action is Action.POST:
                at = ms(day, 8 * HOUR_MS + _offset(cid, uid, day, k, span_ms=4 * HOUR_MS))
                post = data.add_post(cid, uid, at)
                roots.append(post)
                posts.append(post)
            elif action is Action.REPLY:
                at = ms(day, 12 * HOUR_MS + _offset(cid, uid, day, k, span_ms=4 * HOUR_MS))
                root = _pick(roots, uid, at)
                posts.append(data.add_post(cid, uid, at, root_id=root.id))
            elif action is Action.REACT:
                at = ms(day, 17 * HOUR_MS + _offset(cid, uid, day, k, span_ms=3 * HOUR_MS))
                data.react(_pick(posts, uid, at).id, uid, at, emoji=f"emoji{k}")
            user = data.users[uid]
            user.last_activity_at = max(user.last_activity_at, at)


def _pick(candidates: list[Post], uid: str, before: int) -> Post:
    """The latest earlier post by someone else, else the latest own one, else the first."""
    own: Post | None = None
    for post in reversed(candidates):
        if post.create_at < before:
            if post.user_id != uid:
                return post
            own = own or post
    return own or candidates[0]


def load_synthetic(
    *,
    members: int,
    channels: int,
    posts: int,
    days: int = 30,
    end: dt.date = dt.date(2026, 11, 1),
    seed: int = 7,
    data: FakeData | None = None,
) -> tuple[FakeData, Accounts]:
    """Plain numbers for benchmarks: ``posts`` posts spread over ``channels`` and ``days``."""
    rng = random.Random(seed)
    data = data or FakeData()
    start = end - dt.timedelta(days=days)
    created = ms(start - dt.timedelta(days=60))
    accounts = add_service_accounts(data, created)
    uids = []
    for i in range(members):
        user = data.add_user(
            f"user{i:05d}",
            email=f"user{i:05d}@example.org",
            create_at=created,
            last_picture_update=created if i % 3 else 0,
        )
        data.join_team(accounts.team_id, user.id)
        uids.append(user.id)
    cids = []
    for j in range(channels):
        channel = data.add_channel(
            accounts.team_id, f"channel-{j:04d}", type="P" if j % 4 == 3 else "O", create_at=created
        )
        for uid in rng.sample(uids, min(len(uids), rng.randint(5, 60))):
            data.join_channel(channel.id, uid)
        cids.append(channel.id)
    stamps = sorted(ms(start) + rng.randrange(days * DAY_MS) for _ in range(posts))
    roots: dict[str, list[str]] = defaultdict(list)
    for at in stamps:
        cid = cids[rng.randrange(len(cids))]
        members_of = data.channels[cid].members
        uid = members_of[rng.randrange(len(members_of))]
        reply_to = roots[cid][-1] if roots[cid] and rng.random() < 0.4 else ""
        post = data.add_post(cid, uid, at, root_id=reply_to)
        if not reply_to:
            roots[cid].append(post.id)
        if rng.random() < 0.2:
            data.react(post.id, members_of[rng.randrange(len(members_of))], at + 60_000)
        user = data.users[uid]
        user.last_activity_at = max(user.last_activity_at, at)
    return data, accounts


__all__ = [
    "ADMIN_TOKEN",
    "BOT_TOKEN",
    "Accounts",
    "add_service_accounts",
    "load_org",
    "load_synthetic",
    "ms",
]
