"""One listing pass over a Mattermost server: users, teams, channels, memberships, statuses.

``people()`` and ``activity()`` both need it, and the core calls them one after the other on the
same connector, so the connector lists once and keeps the result for the run.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from e20kit import Person, Stream, Streams

from .client import MattermostClient
from .counting import CHANNEL_TYPES, day_of
from .settings import PLATFORM, MattermostSettings

log = logging.getLogger("e20kit.mattermost")

Json = dict[str, Any]
REPORT_DAYS = 28
"""Trust ``last_post_date`` of the 30-day report for starts this recent (with a margin)."""

USERS = Stream("users", provides="the people")
TEAMS = Stream("teams", provides="team memberships")
CHANNELS = Stream("channels", provides="the channels whose posts are counted")
CHANNEL_MEMBERS = Stream(
    "channel_members",
    required=False,
    provides="channel memberships (the people's 'channels' attribute, so the onboarding check "
    "mattermost.joined_channels cannot pass)",
)
STATUSES = Stream(
    "statuses",
    required=False,
    provides="visits (last_activity_at), and the narrowing of direct-message listings to "
    "members active since the last run",
)
REPORTS = Stream(
    "reports",
    required=False,
    provides="days active in the last 30 days, and the narrowing of direct-message listings "
    "to members who posted since the last run",
)


@dataclass
class Directory:
    """What the listing requests found; ``admin`` says which listings the token could use."""

    me: Json
    admin: bool
    users: list[Json] = field(default_factory=list)
    bots: frozenset[str] = frozenset()
    teams: list[Json] = field(default_factory=list)
    user_teams: dict[str, list[str]] = field(default_factory=dict)
    channels: list[Json] = field(default_factory=list)
    channel_counts: Counter[str] | None = field(default_factory=Counter)
    """Channel memberships per member; ``None`` when the server would not list them."""
    last_activity: dict[str, int] = field(default_factory=dict)
    days_active: dict[str, int] = field(default_factory=dict)
    last_post: dict[str, int] | None = None
    """``last_post_date`` per member from ``/reports/users``; ``None`` when not readable."""

    def people(self) -> Iterator[Person]:
        for user in self.users:
            uid = str(user["id"])
            attributes: dict[str, str | int | float | bool | None] = {
                "has_picture": int(user.get("last_picture_update") or 0) > 0,
                "teams": len(self.user_teams.get(uid, ())),
            }
            if self.channel_counts is not None:
                attributes["channels"] = self.channel_counts.get(uid, 0)
            if uid in self.days_active:
                attributes["days_active_30d"] = self.days_active[uid]
            created = int(user.get("create_at") or 0)
            yield Person(
                platform=PLATFORM,
                person_id=uid,
                email=user.get("email") or None,
                display_name=_display_name(user),
                title=user.get("position") or None,
                joined_on=day_of(created) if created > 0 else None,
                locale=user.get("locale") or None,
                active=int(user.get("delete_at") or 0) == 0,
                attributes=attributes,
            )


def _display_name(user: Json) -> str | None:
    full = " ".join(p for p in (user.get("first_name"), user.get("last_name")) if p)
    return full or user.get("nickname") or user.get("username") or None


def list_directory(
    client: MattermostClient, settings: MattermostSettings, streams: Streams
) -> Directory:
    """Run every listing request once (see docs/connectors/mattermost.md for permissions).

    Users, teams and channels are required; channel members, statuses and reports are optional:
    a server that forbids or lacks one is a warning in ``streams`` and the rest goes on.
    """
    me = client.me()
    admin = "system_admin" in str(me.get("roles") or "").split()
    d = Directory(me=me, admin=admin)
    with streams.reading(USERS):
        _read_users(client, d)
    known = {str(u["id"]) for u in d.users}
    with streams.reading(TEAMS):
        _read_teams(client, d, known)
    with streams.reading(CHANNELS):
        _read_channels(client, d)
    if settings.channel_members:
        d.channel_counts = None
        with streams.reading(CHANNEL_MEMBERS):
            d.channel_counts = _channel_counts(client, d, known)
    with streams.reading(STATUSES):
        for status in client.statuses(sorted(known)):
            at = int(status.get("last_activity_at") or 0)
            if at > 0 and status.get("user_id"):
                d.last_activity[str(status["user_id"])] = at
    if settings.reports:
        with streams.reading(REPORTS):
            _read_reports(client, settings, known, d)
    return d


def _read_users(client: MattermostClient, d: Directory) -> None:
    bots: set[str] = set()
    for user in client.users():
        if user.get("is_bot"):
            bots.add(str(user["id"]))
        elif user.get("id"):
            d.users.append(user)
    d.bots = frozenset(bots)


def _read_teams(client: MattermostClient, d: Directory, known: set[str]) -> None:
    d.teams = [t for t in client.teams(admin=d.admin) if not int(t.get("delete_at") or 0)]
    for team in d.teams:
        for member in client.team_members(str(team["id"])):
            uid = str(member.get("user_id") or "")
            if uid in known and not int(member.get("delete_at") or 0):
                d.user_teams.setdefault(uid, []).append(str(team["id"]))


def _read_channels(client: MattermostClient, d: Directory) -> None:
    if d.admin:
        listed = client.all_channels()
    else:
        listed = (c for t in d.teams for c in client.team_channels(str(t["id"])))
    seen: set[str] = set()
    for channel in listed:
        cid = str(channel.get("id") or "")
        if cid and cid not in seen and channel.get("type") in CHANNEL_TYPES:
            seen.add(cid)
            if not int(channel.get("delete_at") or 0):
                d.channels.append(channel)
    d.channels.sort(key=lambda c: str(c["id"]))


def _channel_counts(client: MattermostClient, d: Directory, known: set[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for channel in d.channels:
        for member in client.channel_members(str(channel["id"])):
            uid = str(member.get("user_id") or "")
            if uid in known:
                counts[uid] += 1
    return counts


def _read_reports(
    client: MattermostClient, settings: MattermostSettings, known: set[str], d: Directory
) -> None:
    """Days active (last 30 days) and last post dates from ``/reports/users``, when permitted.

    The published spec names the range ``last30days``; the server's Go model ``last_30_days``
    and treats anything else as all time. ``auto`` sends the server's value and, when a member
    shows more than 30 days active (only possible for all time), retries with the spec's.
    """
    ranges = (
        ["last_30_days", "last30days"]
        if settings.reports_date_range == "auto"
        else [settings.reports_date_range]
    )
    for date_range in ranges:
        rows = [r for r in client.user_reports(date_range) if str(r.get("id")) in known]
        d.last_post = {str(r["id"]): int(r.get("last_post_date") or 0) for r in rows}
        values = {str(r["id"]): int(r.get("days_active") or 0) for r in rows}
        if all(v <= 30 for v in values.values()):
            d.days_active = values
            return
        log.info(
            "%s: /reports/users ignored date_range=%s (days_active > 30)",
            client.connector,
            date_range,
        )


def active_since(d: Directory, start_ms: int) -> list[str]:
    """Members who may have written since ``start_ms``.

    The reports' ``last_post_date`` (over the last 30 days) says exactly who posted; for older
    starts, or without it, the status's ``last_activity_at`` says who was active; without
    either, everyone.
    """
    recent = start_ms >= (time.time() - REPORT_DAYS * 86_400) * 1000
    if d.last_post is not None and recent:
        return sorted(uid for uid, at in d.last_post.items() if at >= start_ms)
    if d.last_activity:
        return sorted(uid for uid, at in d.last_activity.items() if at >= start_ms)
    return sorted(str(u["id"]) for u in d.users)


__all__ = [
    "CHANNELS",
    "CHANNEL_MEMBERS",
    "REPORTS",
    "STATUSES",
    "TEAMS",
    "USERS",
    "Directory",
    "active_since",
    "list_directory",
]
