"""One listing pass over a Mattermost server: users, teams, channels, memberships, statuses.

``people()`` and ``activity()`` both need it, and the core calls them one after the other on the
same connector, so the connector lists once and keeps the result for the run.
"""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from e20kit import ConnectorAuthError, Person

from .client import MattermostClient
from .counting import CHANNEL_TYPES, day_of
from .settings import PLATFORM, MattermostSettings

log = logging.getLogger("e20kit.mattermost")

Json = dict[str, Any]


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
    channel_counts: Counter[str] = field(default_factory=Counter)
    last_activity: dict[str, int] = field(default_factory=dict)
    days_active: dict[str, int] = field(default_factory=dict)

    def people(self) -> Iterator[Person]:
        for user in self.users:
            uid = str(user["id"])
            attributes: dict[str, str | int | float | bool | None] = {
                "has_picture": int(user.get("last_picture_update") or 0) > 0,
                "teams": len(self.user_teams.get(uid, ())),
                "channels": self.channel_counts.get(uid, 0),
            }
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


def list_directory(client: MattermostClient, settings: MattermostSettings) -> Directory:
    """Run every listing request once (see docs/connectors/mattermost.md for permissions)."""
    me = client.me()
    admin = "system_admin" in str(me.get("roles") or "").split()
    d = Directory(me=me, admin=admin)
    bots: set[str] = set()
    for user in client.users():
        if user.get("is_bot"):
            bots.add(str(user["id"]))
        elif user.get("id"):
            d.users.append(user)
    d.bots = frozenset(bots)
    known = {str(u["id"]) for u in d.users}

    d.teams = [t for t in client.teams(admin=admin) if not int(t.get("delete_at") or 0)]
    for team in d.teams:
        for member in client.team_members(str(team["id"])):
            uid = str(member.get("user_id") or "")
            if uid in known and not int(member.get("delete_at") or 0):
                d.user_teams.setdefault(uid, []).append(str(team["id"]))

    if admin:
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

    if settings.channel_members:
        for channel in d.channels:
            for member in client.channel_members(str(channel["id"])):
                uid = str(member.get("user_id") or "")
                if uid in known:
                    d.channel_counts[uid] += 1

    ids = sorted(known)
    for status in client.statuses(ids):
        at = int(status.get("last_activity_at") or 0)
        if at > 0 and status.get("user_id"):
            d.last_activity[str(status["user_id"])] = at

    if settings.reports:
        d.days_active = _days_active(client, settings, known)
    return d


def _days_active(
    client: MattermostClient, settings: MattermostSettings, known: set[str]
) -> dict[str, int]:
    """Days active in the last 30 days from ``/reports/users``, when the token may read it.

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
        try:
            rows = list(client.user_reports(date_range))
        except ConnectorAuthError as err:
            log.info("%s: no days-active figures: %s", client.connector, err)
            return {}
        values = {
            str(r["id"]): int(r.get("days_active") or 0)
            for r in rows
            if r.get("id") and str(r["id"]) in known
        }
        if all(v <= 30 for v in values.values()):
            return values
        log.info(
            "%s: /reports/users ignored date_range=%s (days_active > 30)",
            client.connector,
            date_range,
        )
    return {}


def active_since(d: Directory, start_ms: int) -> list[str]:
    """Members seen active at or after ``start_ms`` (all members when statuses are unknown)."""
    if not d.last_activity:
        return sorted(str(u["id"]) for u in d.users)
    return sorted(uid for uid, at in d.last_activity.items() if at >= start_ms)


__all__ = ["Directory", "active_since", "list_directory"]
