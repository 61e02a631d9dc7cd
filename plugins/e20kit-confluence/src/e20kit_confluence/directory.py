"""One listing pass per run: the account itself, the spaces it reads, the groups' members and,
optionally, who watches each space.

``people()`` and ``activity()`` both need it, and the core calls them one after the other on the
same connector, so the connector lists once and keeps the result for the run.

Watching is state, not a dated fact: it becomes the people's ``watched_spaces`` attribute (how
many non-personal spaces read the member watches), rewritten by every run like
``has_picture``. It costs one paged listing per space, never members x spaces requests. The
listings are an optional stream: without administrator rights (403) or on a site without the
endpoint (404) the attribute is left out for everyone (unknown, so the check does not pass) and
the run's warning names the endpoint.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

from e20kit import Person, Stream, Streams, build_or_skip

from .client import ConfluenceClient
from .payloads import Space, User
from .settings import PLATFORM, ConfluenceSettings

log = logging.getLogger("e20kit.confluence")

SPACE_WATCHERS = Stream(
    "space_watchers",
    required=False,
    provides="watching-a-space check (no watched_spaces attribute: confluence.watching_space "
    "cannot pass; the listing needs a Confluence or Space Administrator); set "
    "space_watchers = false if that is intended",
)


@dataclass
class Directory:
    me: User
    spaces: list[Space] = field(default_factory=list)
    members: dict[str, User] = field(default_factory=dict)
    personal: dict[str, str] = field(default_factory=dict)
    """Person id -> key of their personal space (only known when every space is listed)."""
    missing_spaces: tuple[str, ...] = ()
    watched: dict[str, int] | None = None
    """Person id -> how many non-personal spaces they watch; None when not listed."""

    @property
    def space_keys(self) -> tuple[str, ...]:
        return tuple(sorted(s.key for s in self.spaces))

    @property
    def hidden_emails(self) -> int:
        return sum(1 for user in self.members.values() if not user.email)

    def people(self, *, all_spaces: bool, streams: Streams | None = None) -> Iterator[Person]:
        """Every member; one the core's model rejects is skipped and named (``streams``)."""
        for pid, user in sorted(self.members.items()):
            attributes: dict[str, str | int | float | bool | None] = {}
            if user.profile_picture is not None:
                attributes["has_picture"] = not user.profile_picture.is_default
            if all_spaces:
                attributes["personal_space"] = pid in self.personal
            if self.watched is not None:
                attributes["watched_spaces"] = self.watched.get(pid, 0)
            person = build_or_skip(
                Person,
                dict(
                    platform=PLATFORM,
                    person_id=pid,
                    email=user.email or None,
                    display_name=user.display_name or user.public_name or user.username,
                    attributes=attributes,
                ),
                streams,
                "people",
                pid,
                endpoint="group members",
            )
            if person is not None:
                yield person


def _owner(space: Space, cloud: bool) -> str | None:
    """Whose personal space this is: v2 ``authorId`` on Cloud, ``~username`` on DC."""
    if space.type != "personal":
        return None
    if cloud:
        return space.author_id
    return space.key[1:] if space.key.startswith("~") else None


def list_watchers(client: ConfluenceClient, d: Directory) -> dict[str, int]:
    """Members -> number of non-personal spaces of ``d`` they watch (one listing per space).

    Personal spaces are not asked: a listing each would cost a request per member who has one,
    and watching one's own personal space says nothing about following a team's."""
    watched: dict[str, int] = {}
    for space in d.spaces:
        if space.type == "personal":
            continue
        # a set: an offset listing that shifts while it is read may repeat a watcher
        for pid in {user.person_id for user in client.space_watchers(space.key)}:
            if pid is not None and pid in d.members:
                watched[pid] = watched.get(pid, 0) + 1
    return watched


def list_directory(
    client: ConfluenceClient, settings: ConfluenceSettings, streams: Streams
) -> Directory:
    me = client.current_user()  # fails first, and clearly, on a bad token
    d = Directory(me=me)
    keys = tuple(settings.spaces)
    d.spaces = [s for s in client.spaces(keys) if s.status == "current"]
    if keys:
        found = {s.key for s in d.spaces}
        d.missing_spaces = tuple(k for k in keys if k not in found)
        for key in d.missing_spaces:
            log.warning(
                "%s: space %s is not readable with this account (missing or restricted): "
                "skipped, the other spaces are stored",
                client.connector,
                key,
            )
    usernames: dict[str, str] = {}
    for group in settings.member_groups:
        for user in client.group_members(group):
            pid = user.person_id
            if pid and not user.is_app:
                d.members[pid] = user
                if user.username:
                    usernames[user.username] = pid
    for space in d.spaces:
        owner = _owner(space, client.cloud)
        if owner:
            d.personal[usernames.get(owner, owner)] = space.key
    if settings.space_watchers:
        with streams.reading(SPACE_WATCHERS):
            d.watched = list_watchers(client, d)
    hidden = d.hidden_emails
    if hidden:
        log.warning(
            "%s: %d of %d members show no e-mail (their privacy setting): they are kept by "
            "account id and cannot be joined to other platforms",
            client.connector,
            hidden,
            len(d.members),
        )
    return d


__all__ = ["SPACE_WATCHERS", "Directory", "list_directory", "list_watchers"]
