"""The tenant's users as members, and the lookups that join report rows to them."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from e20kit import Person, Streams, build_or_skip

from .client import GraphClient, GraphUser
from .settings import PLATFORM, SharePointSettings

log = logging.getLogger("e20kit.sharepoint")


@dataclass
class Directory:
    """Members (guests and disabled accounts only when configured) and their report keys."""

    members: list[GraphUser] = field(default_factory=list)
    by_name: dict[str, str] = field(default_factory=dict)
    """Lower-cased user principal name and mail -> user id, members only."""
    ids: set[str] = field(default_factory=set)
    skipped: int = 0

    def people(self, streams: Streams | None = None) -> Iterator[Person]:
        """Every member; one the core's model rejects is skipped and named (``streams``)."""
        for user in self.members:
            person = build_or_skip(
                Person,
                dict(
                    platform=PLATFORM,
                    person_id=user.id,
                    email=user.mail or user.userPrincipalName,
                    display_name=user.displayName,
                    department=user.department,
                    title=user.jobTitle,
                    manager_id=user.manager.id if user.manager else None,
                    joined_on=user.createdDateTime.date() if user.createdDateTime else None,
                    locale=user.preferredLanguage,
                    active=user.accountEnabled is not False,
                    attributes={"guest": (user.userType or "").lower() == "guest"},
                ),
                streams,
                "users",
                user.id,
                endpoint="/users",
            )
            if person is not None:
                yield person

    def person_id(self, user: str, user_id: str | None) -> str | None:
        """The member a report row belongs to; ``None`` for someone who is not a member."""
        if user_id and user_id in self.ids:
            return user_id
        return self.by_name.get(user)


def is_member(user: GraphUser, settings: SharePointSettings) -> bool:
    if (user.userType or "").lower() == "guest" and not settings.include_guests:
        return False
    return user.accountEnabled is not False or settings.include_disabled


def list_directory(client: GraphClient, settings: SharePointSettings) -> Directory:
    d = Directory()
    for user in client.users(managers=settings.managers):
        if not is_member(user, settings):
            d.skipped += 1
            continue
        d.members.append(user)
        d.ids.add(user.id)
        for name in (user.userPrincipalName, user.mail):
            if name:
                d.by_name[name.lower()] = user.id
    log.debug(
        "%s: %d members, %d guests or disabled accounts left out",
        client.connector,
        len(d.members),
        d.skipped,
    )
    return d


__all__ = ["Directory", "is_member", "list_directory"]
