"""Filling the fake from e20kit's synthetic organisation (or from plain numbers, for benchmarks).

Every Confluence event of the org becomes site content at a plausible time of its day: pages and
blog posts created in the morning, edits (new versions of an earlier page of the space) around
midday, comments on an earlier page or blog post in the afternoon. Each space starts with a few
pages written before the window, so the first edits and comments have something to work on.
Every active member is in the ``confluence-users`` group; members who contribute have a
personal space. Who watches a space follows what members did there: a member watches each space
they contributed to or read on at least :data:`WATCH_AFTER_DAYS` different days, and the owner of
a personal space watches it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from e20kit import Action, Feature

from .state import FakeData, make_account_id, make_user_key

HOUR_MS = 3_600_000
DAY_MS = 24 * HOUR_MS
CLOUD_EMAIL = "e20kit-admin@example.org"
CLOUD_API_TOKEN = "fake-cloud-api-token"
DC_TOKEN = "fake-dc-personal-access-token"
DC_USERNAME = "e20kit-admin"
DC_PASSWORD = "fake-dc-password"
GROUP_NAME = "confluence-users"
SEED_PAGES = 3
WATCH_AFTER_DAYS = 2
"""A member who read a space on this many different days watches it."""


@dataclass(frozen=True)
class Accounts:
    admin: str
    group_id: str
    group_name: str


def ms(day: dt.date, offset_ms: int = 0) -> int:
    return int(dt.datetime.combine(day, dt.time(), dt.UTC).timestamp() * 1000) + offset_ms


def _offset(*parts: object, span_ms: int) -> int:
    digest = hashlib.blake2b("\0".join(map(str, parts)).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % span_ms


def user_key(person_id: str, cloud: bool) -> str:
    return make_account_id("user", person_id) if cloud else make_user_key("user", person_id)


def add_service_account(data: FakeData, cloud: bool) -> Accounts:
    admin = data.add_user(
        user_key("e20kit-admin", cloud), DC_USERNAME, "e20kit admin", email=CLOUD_EMAIL
    )
    if cloud:
        data.credentials[f"basic:{CLOUD_EMAIL}:{CLOUD_API_TOKEN}"] = admin.key
    else:
        data.credentials[f"bearer:{DC_TOKEN}"] = admin.key
        data.credentials[f"basic:{DC_USERNAME}:{DC_PASSWORD}"] = admin.key
    group = data.add_group(make_user_key("group", GROUP_NAME), GROUP_NAME)
    return Accounts(admin.key, group.id, group.name)


def _personal_key(username: str, key: str, cloud: bool) -> str:
    return "~" + (key.split(":")[-1].replace("-", "")[:24] if cloud else username)


def load_org(
    org: Any, *, cloud: bool, hidden_emails: float = 0.0, data: FakeData | None = None
) -> tuple[FakeData, Accounts]:
    """The fake's content for a :func:`e20kit.sandbox.build_org` organisation.

    ``hidden_emails`` is the share of members (chosen deterministically) whose Cloud privacy
    setting hides their e-mail address.
    """
    data = data or FakeData()
    accounts = add_service_account(data, cloud)
    before = ms(org.start - dt.timedelta(days=30), 9 * HOUR_MS)
    keys: dict[str, str] = {}
    for member in org.people:
        key = user_key(member.person_id, cloud)
        keys[member.person_id] = key
        hidden = cloud and _offset("hide", member.person_id, span_ms=1000) < hidden_emails * 1000
        user = data.add_user(
            key,
            member.email.split("@")[0],
            member.display_name,
            email=member.email,
            email_visible=not hidden,
            has_picture=member.has_picture,
            active=member.active,
        )
        data.join(accounts.group_id, key)
        if member.archetype in ("power", "heavy", "contributor"):
            pkey = _personal_key(user.username, key, cloud)
            data.add_space(pkey, member.display_name, type="personal", owner=key, created_at=before)
            data.watch(pkey, key)

    pages: dict[str, list[str]] = defaultdict(list)
    blogs: dict[str, list[str]] = defaultdict(list)
    for container in org.containers_of("confluence"):
        data.add_space(
            container.container_id, container.name, owner=accounts.admin, created_at=before
        )
        for n in range(SEED_PAGES):
            page = data.add_content("page", container.container_id, accounts.admin, before + n)
            pages[container.container_id].append(page.id)

    timeline: list[tuple[int, int, str, Action, Feature, str]] = []
    viewed: list[tuple[int, str, Feature, str, int]] = []
    read_on: dict[tuple[str, str], set[dt.date]] = defaultdict(set)
    contributed: set[tuple[str, str]] = set()
    for member, event in org.iter_events(["confluence"]):
        if event.container is None:
            continue
        if event.action is Action.VIEW:
            read_on[(member.person_id, event.container)].add(event.day)
        else:
            contributed.add((member.person_id, event.container))
        if event.action is Action.VIEW:  # the analytics count views; nobody is named
            at = ms(event.day, 10 * HOUR_MS + _offset(member.person_id, event.day, span_ms=HOUR_MS))
            viewed.append((at, member.person_id, event.feature, event.container, event.count))
            continue
        key = keys[member.person_id]
        start, span = {
            Action.CREATE: (8, 4),
            Action.EDIT: (12, 4),
            Action.COMMENT: (16, 3),
        }[event.action]
        for k in range(event.count):
            at = ms(
                event.day,
                start * HOUR_MS + _offset(key, event.day, event.action, k, span_ms=span * HOUR_MS),
            )
            timeline.append((at, k, key, event.action, event.feature, event.container))
    timeline.sort(key=lambda e: (e[0], e[2], e[1]))
    for at, k, key, action, feature, space in timeline:
        if action is Action.CREATE:
            kind = "blogpost" if feature is Feature.BLOG else "page"
            item = data.add_content(kind, space, key, at)
            (blogs if kind == "blogpost" else pages)[space].append(item.id)
        elif action is Action.EDIT:
            target = _pick(pages[space], key, at, k)
            data.edit(target, key, at)
        else:
            pool = blogs[space] if feature is Feature.BLOG and blogs[space] else pages[space]
            data.comment(
                _pick(pool, key, at, k), key, at, location="inline" if k % 3 == 2 else "footer"
            )
    for at, who, feature, space, count in viewed:
        pool = blogs[space] if feature is Feature.BLOG and blogs[space] else pages[space]
        data.view(_pick(pool, who, at, 0), at, count)
    readers = {pair for pair, days in read_on.items() if len(days) >= WATCH_AFTER_DAYS}
    for person_id, space in sorted(contributed | readers):
        if space in data.spaces:
            data.watch(space, keys[person_id])
    return data, accounts


def _pick(pool: list[str], key: str, at: int, k: int) -> str:
    """A deterministic earlier item of the space (the pool only holds earlier items)."""
    return pool[_offset(key, at, k, span_ms=len(pool))]


def load_synthetic(
    *,
    cloud: bool,
    members: int,
    spaces: int,
    pages: int,
    versions_and_comments: int,
    days: int = 30,
    end: dt.date,
    seed: int = 7,
    data: FakeData | None = None,
) -> tuple[FakeData, Accounts]:
    """Plain numbers for benchmarks: ``pages`` pages (a tenth of them blog posts) spread over
    ``spaces`` and ``days``, then ``versions_and_comments`` edits and comments on them; three
    members in four watch one space, one in three another."""
    rng = random.Random(seed)
    data = data or FakeData()
    accounts = add_service_account(data, cloud)
    start = ms(end - dt.timedelta(days=days))
    span = days * DAY_MS
    keys = []
    for i in range(members):
        user = data.add_user(
            user_key(f"user{i:05d}", cloud),
            f"user{i:05d}",
            f"User {i:05d}",
            email=f"user{i:05d}@example.org",
            has_picture=i % 3 != 0,
        )
        data.join(accounts.group_id, user.key)
        keys.append(user.key)
    space_keys = [f"SP{j:03d}" for j in range(spaces)]
    for key in space_keys:
        data.add_space(key, f"Space {key}", owner=accounts.admin, created_at=start - DAY_MS)
    for i, key in enumerate(keys):
        if i % 4 != 3:
            data.watch(space_keys[i % spaces], key)
        if i % 3 == 0:
            data.watch(space_keys[(7 * i + 3) % spaces], key)
    created = sorted(start + rng.randrange(span // 2) for _ in range(pages))
    items = []
    for at in created:
        kind = "blogpost" if rng.random() < 0.1 else "page"
        items.append(data.add_content(kind, rng.choice(space_keys), rng.choice(keys), at))
    later = sorted(
        start + span // 2 + rng.randrange(span // 2 - 1) for _ in range(versions_and_comments)
    )
    for at in later:
        target = rng.choice(items)
        if rng.random() < 0.6:
            data.edit(target.id, rng.choice(keys), at)
        else:
            data.comment(target.id, rng.choice(keys), at)
    return data, accounts


__all__ = [
    "CLOUD_API_TOKEN",
    "CLOUD_EMAIL",
    "DAY_MS",
    "DC_PASSWORD",
    "DC_TOKEN",
    "DC_USERNAME",
    "GROUP_NAME",
    "HOUR_MS",
    "WATCH_AFTER_DAYS",
    "Accounts",
    "load_org",
    "load_synthetic",
    "ms",
]
