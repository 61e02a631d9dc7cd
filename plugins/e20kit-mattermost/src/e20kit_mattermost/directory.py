"""One listing pass over a Mattermost server: users, teams, channels, memberships, statuses.

``people()`` and ``activity()`` both need it, and the core calls them one after the other on the
same connector, so the connector lists once and keeps the result for the run.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field

from e20kit import ConnectorPayloadError, Person, Stream, Streams, build_or_skip

from .client import API, MattermostClient
from .counting import CHANNEL_TYPES, day_of
from .payloads import Channel, Team, User
from .settings import PLATFORM, MattermostSettings

log = logging.getLogger("e20kit.mattermost")

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

    me: User
    admin: bool
    users: list[User] = field(default_factory=list)
    bots: frozenset[str] = frozenset()
    teams: list[Team] = field(default_factory=list)
    user_teams: dict[str, list[str]] = field(default_factory=dict)
    channels: list[Channel] = field(default_factory=list)
    channel_counts: Counter[str] | None = field(default_factory=Counter)
    """Channel memberships per member; ``None`` when the server would not list them."""
    last_activity: dict[str, int] = field(default_factory=dict)
    days_active: dict[str, int] = field(default_factory=dict)
    last_post: dict[str, int] | None = None
    """``last_post_date`` per member from ``/reports/users``; ``None`` when not readable."""

    @property
    def known(self) -> frozenset[str]:
        return frozenset(u.id for u in self.users)

    def people(self, streams: Streams | None = None) -> Iterator[Person]:
        """Every listed user; one the core's model rejects is skipped and named (``streams``)."""
        latest = dt.date.today() + dt.timedelta(days=1)
        for user in self.users:
            attributes: dict[str, str | int | float | bool | None] = {
                "has_picture": user.last_picture_update > 0,
                "teams": len(self.user_teams.get(user.id, ())),
            }
            if self.channel_counts is not None:
                attributes["channels"] = self.channel_counts.get(user.id, 0)
            if user.id in self.days_active:
                attributes["days_active_30d"] = self.days_active[user.id]
            joined = day_of(user.create_at) if user.create_at > 0 else None
            person = build_or_skip(
                Person,
                dict(
                    platform=PLATFORM,
                    person_id=user.id,
                    email=user.email or None,
                    display_name=display_name(user),
                    title=user.position or None,
                    joined_on=joined if joined is not None and joined <= latest else None,
                    locale=user.locale or None,
                    active=user.delete_at == 0,
                    attributes=attributes,
                ),
                streams,
                USERS.name,
                user.id,
                endpoint=f"{API}/users",
            )
            if person is not None:
                yield person


def display_name(user: User) -> str | None:
    """First and last name, else nickname, else username."""
    full = " ".join(p for p in (user.first_name, user.last_name) if p)
    return full or user.nickname or user.username or None


def list_directory(
    client: MattermostClient, settings: MattermostSettings, streams: Streams
) -> Directory:
    """Run every listing request once (see docs/connectors/mattermost.md for permissions).

    Channel members, statuses and reports are optional streams: a server that forbids or lacks
    one is a warning in ``streams`` and the rest goes on.

    A directory that does not list the token's own user is not a directory (an empty list, a
    proxy's error page as ``[]``): it fails the run before any activity is read, so no fact is
    ever keyed to a member the directory did not name.
    """
    me = client.me()
    admin = "system_admin" in me.roles.split()
    d = Directory(me=me, admin=admin)
    bots: set[str] = set()
    listed_me = False
    for user in client.users():
        listed_me = listed_me or user.id == me.id
        if user.is_bot:
            bots.add(user.id)
        else:
            d.users.append(user)
    if not listed_me:
        raise ConnectorPayloadError(
            f"malformed response: the user listing ({len(d.users) + len(bots)} users) does not "
            "include the token's own user; refusing to attribute activity without a directory",
            connector=client.connector,
            endpoint=API + "/users",
        )
    d.bots = frozenset(bots)
    known = d.known

    d.teams = [t for t in client.teams(admin=admin) if not t.delete_at]
    for team in d.teams:
        for member in client.team_members(team.id):
            if member.user_id in known and not member.delete_at:
                d.user_teams.setdefault(member.user_id, []).append(team.id)

    if admin:
        listed = client.all_channels()
    else:
        listed = (c for t in d.teams for c in client.team_channels(t.id))
    seen: set[str] = set()
    for channel in listed:
        if channel.id not in seen and channel.type in CHANNEL_TYPES:
            seen.add(channel.id)
            if not channel.delete_at:
                d.channels.append(channel)
    d.channels.sort(key=lambda c: c.id)

    if settings.channel_members:
        d.channel_counts = None
        with streams.reading(CHANNEL_MEMBERS):
            counts: Counter[str] = Counter()
            for channel in d.channels:
                for cm in client.channel_members(channel.id):
                    if cm.user_id in known:
                        counts[cm.user_id] += 1
            d.channel_counts = counts

    with streams.reading(STATUSES):
        for status in client.statuses(sorted(known)):
            if status.last_activity_at > 0:
                d.last_activity[status.user_id] = status.last_activity_at

    if settings.reports:
        with streams.reading(REPORTS):
            _read_reports(client, settings, known, d)
    return d


def _read_reports(
    client: MattermostClient, settings: MattermostSettings, known: frozenset[str], d: Directory
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
        # a 403 (not permitted) or 404 (no reports API) is a gap of the optional stream; a
        # malformed answer (ConnectorPayloadError) is an error, not a missing feature
        rows = [r for r in client.user_reports(date_range) if r.id in known]
        d.last_post = {r.id: r.last_post_date for r in rows}
        values = {r.id: r.days_active for r in rows}
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
    return sorted(u.id for u in d.users)


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
