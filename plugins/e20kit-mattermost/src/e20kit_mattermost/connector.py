"""The Mattermost connector: people, daily post/reply/react counts and visits.

Incremental by design. Every channel is its own stream whose bookmark is the channel's
``last_post_at`` when it was last collected; a channel whose ``last_post_at`` has not moved costs
no request. A channel that moved is collected again from the day of its bookmark: ``since`` that
day's midnight returns every post of those days (deleted ones included) and every older post that
changed since, so the counts of those days are complete and replace the stored ones. When
``since`` hits its 1000-post cap (whose answer need not be consecutive) the channel is paged
instead. Direct and group messages form one ``chat`` stream, because their facts carry no
container and must be complete across all of a member's conversations.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Collection, Iterator, Mapping
from typing import Any

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Capability,
    Checkpoint,
    ConnectorType,
    DataSource,
    Feature,
    Person,
    PluginContext,
    Replace,
    Stream,
    Streams,
    Window,
)

from .client import SINCE_CAP, MattermostClient
from .counting import CHAT_TYPES, day_of, facts, start_ms, tally
from .directory import Directory, active_since, display_name, list_directory
from .payloads import Channel, Post
from .ratelimit import MattermostRatePolicy
from .settings import PLATFORM, MattermostSettings

log = logging.getLogger("e20kit.mattermost")

MESSAGE_ACTIONS = frozenset({Action.POST, Action.REPLY, Action.REACT})
VISITS = "visits"
CHAT = "chat"
CHAT_STREAM = Stream(
    CHAT,
    required=False,
    provides="direct and group messages (chat facts); set direct_messages = false if that is "
    "intended",
)


def channel_stream(channel_id: str) -> str:
    return f"channel:{channel_id}"


class MattermostConnector:
    """Reads one Mattermost server through REST v4 with a bot or personal access token."""

    capabilities = frozenset({Capability.PEOPLE, Capability.ACTIVITY, Capability.INCREMENTAL})

    def __init__(self, context: PluginContext[MattermostSettings]) -> None:
        self.name = context.name
        self.settings = settings = context.settings
        self.zone = context.clock.zone
        """The organisation's time zone: posts and visits count on its days."""
        token = settings.token.get_secret_value()
        # The connector's only POST (/users/status/ids) reads, so it may be retried like a GET.
        session = context.http(
            base_url=settings.url,
            rate_limit_per_s=settings.rate_limit_per_s,
            allowed_methods=frozenset({"GET", "HEAD", "OPTIONS", "POST"}),
            rate_policy=MattermostRatePolicy(),
        )
        self.client = MattermostClient(
            session, token=token, connector=context.name, per_page=settings.page_size
        )
        self._directory: Directory | None = None
        self.streams = Streams(context.name)
        """What could not be read (optional endpoints a server forbids or lacks)."""

    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = list_directory(self.client, self.settings, self.streams)
        return self._directory

    def people(self) -> Iterator[Person]:
        return self.directory().people(self.streams)

    def _cap(self, window: Window) -> int:
        """The latest time (ms) a bookmark may say was read: the window's end (the core never
        lets it pass the real clock's day). A back-dated ``--today`` never moves a bookmark past
        what its window stored. Within the last day the channel is re-read from its bookmark's
        day whenever it moves, so the day, not the instant, is the limit here."""
        return start_ms(window.end, self.zone)

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        d = self.directory()
        yield from self._visits(d, window, bookmarks)
        for channel in d.channels:
            stream = Stream(channel_stream(channel.id), provides="the channel's posts")
            with self.streams.reading(stream):
                yield from self._channel(d, channel, window, bookmarks)
        if self.settings.direct_messages and d.admin:
            with self.streams.reading(CHAT_STREAM):
                yield from self._chat(d, window, bookmarks)
        elif self.settings.direct_messages:
            self.streams.unavailable(
                CHAT_STREAM, "only a system admin may list other members' conversations"
            )

    def display_names(self, person_ids: Collection[str]) -> Mapping[str, str]:
        """Names read live for ``e20kit champions list --names`` (e20kit never stores them)."""
        names: dict[str, str] = {}
        for user in self.client.users_by_ids(sorted(person_ids)):
            name = display_name(user)
            if name and user.id:
                names[user.id] = name
        return names

    def close(self) -> None:
        self.client.session.close()

    # -- visits ----------------------------------------------------------------------------

    def _visits(
        self, d: Directory, window: Window, bookmarks: Mapping[str, str]
    ) -> Iterator[ActivityItem]:
        """One ``visit`` on the day of each member's ``last_activity_at`` newer than last run."""
        seen = _int(bookmarks.get(VISITS))
        newest = seen
        cap = self._cap(window)
        for uid, at in sorted(d.last_activity.items()):
            if at <= cap:
                newest = max(newest, at)
            if seen < at <= cap and day_of(at, self.zone) in window:
                yield Activity(
                    day=day_of(at, self.zone),
                    platform=PLATFORM,
                    person_id=uid,
                    action=Action.VISIT,
                    feature=Feature.SITE,
                    count=1,
                )
        if newest > seen:
            yield Checkpoint(stream=VISITS, value=str(newest))

    # -- channels --------------------------------------------------------------------------

    def _channel(
        self, d: Directory, channel: Channel, window: Window, bookmarks: Mapping[str, str]
    ) -> Iterator[ActivityItem]:
        cid = channel.id
        stream = channel_stream(cid)
        last = channel.last_post_at
        mark = bookmarks.get(stream)
        if mark is not None and last <= _int(mark):
            return
        first = window.start if mark is None else max(day_of(_int(mark), self.zone), window.start)
        if first >= window.end:
            return
        posts, first = self._posts(cid, first, window, fresh=mark is None, admin=d.admin)
        counts = tally(posts, from_ms=start_ms(first, self.zone), bots=d.bots, tz=self.zone)
        yield Replace(
            window=Window(start=first, end=window.end), container=cid, actions=MESSAGE_ACTIONS
        )
        yield from facts(counts, window=window, feature=Feature.DISCUSSION, container=cid)
        if not _after(posts, last, self._cap(window)):  # else the bookmark stays
            yield Checkpoint(stream=stream, value=str(max(last, _int(mark))))

    def _posts(
        self, cid: str, first: dt.date, window: Window, *, fresh: bool, admin: bool
    ) -> tuple[list[Post], dt.date]:
        """Every post of the days from ``first`` on, and the (possibly earlier) first day.

        A deleted post from before ``first`` that ``since`` reports moves ``first`` back to its
        day, so that day's counts are corrected too.
        """
        while True:
            begin = start_ms(first, self.zone)
            if fresh:
                return list(self.client.posts_pages(cid, stop_before_ms=begin)), first
            posts = self.client.posts_since(cid, begin - 1, include_deleted=admin)
            if len(posts) >= SINCE_CAP:
                log.debug("%s: channel %s changed %d+ posts: paging", self.name, cid, SINCE_CAP)
                return list(self.client.posts_pages(cid, stop_before_ms=begin)), first
            older = [
                day_of(p.create_at, self.zone)
                for p in posts
                if p.delete_at > 0 and p.create_at < begin
            ]
            earlier = [day for day in older if day >= window.start]
            if not earlier:
                return posts, first
            first = min(earlier)

    # -- direct and group messages ---------------------------------------------------------

    def _chat(
        self, d: Directory, window: Window, bookmarks: Mapping[str, str]
    ) -> Iterator[ActivityItem]:
        """All direct and group messages as one stream (chat facts have no container)."""
        mark = bookmarks.get(CHAT)
        first = window.start if mark is None else max(day_of(_int(mark), self.zone), window.start)
        if first >= window.end:
            return
        if mark is not None and _nobody_active_since(d, _int(mark)):
            return  # nothing anyone wrote can have changed: no listing at all
        conversations = self._conversations(d, start_ms(first, self.zone))
        newest = max((c.last_post_at for c in conversations.values()), default=0)
        # Everything anyone wrote up to the latest activity seen is collected now, so the
        # next run only needs to list members active since then, conversations or not.
        horizon = max([*d.last_activity.values(), *(d.last_post or {}).values(), newest])
        capped = horizon > self._cap(window)  # activity after the window: the bookmark stays
        if mark is not None and newest <= _int(mark):
            if horizon > _int(mark) and not capped:
                yield Checkpoint(stream=CHAT, value=str(horizon))
            return
        while True:
            begin = start_ms(first, self.zone)
            posts: list[Post] = []
            moved: dt.date | None = None
            for cid, conv in sorted(conversations.items()):
                if conv.last_post_at < begin:
                    continue
                got, day = self._posts(cid, first, window, fresh=mark is None, admin=True)
                posts.extend(got)
                moved = day if day < first and (moved is None or day < moved) else moved
            if moved is None:
                break
            first = moved
            conversations = self._conversations(d, start_ms(first, self.zone))
        counts = tally(posts, from_ms=start_ms(first, self.zone), bots=d.bots, tz=self.zone)
        yield Replace(
            window=Window(start=first, end=window.end), container="", actions=MESSAGE_ACTIONS
        )
        yield from facts(counts, window=window, feature=Feature.CHAT, container=None)
        if not capped:
            yield Checkpoint(stream=CHAT, value=str(max(horizon, _int(mark))))

    def _conversations(self, d: Directory, begin: int) -> dict[str, Channel]:
        """DM and group channels of every member active since ``begin`` (one listing each).

        Mattermost lists direct messages per member only, so only members who may have written
        since ``begin`` are listed (see :func:`~e20kit_mattermost.directory.active_since`).
        """
        found: dict[str, Channel] = {}
        for uid in active_since(d, begin):
            teams = d.user_teams.get(uid)
            if not teams:
                continue
            for channel in self.client.user_channels(uid, teams[0]):
                if channel.type in CHAT_TYPES:
                    found[channel.id] = channel
        return found


def _after(posts: list[Post], last: int, cap: int) -> bool:
    """Whether anything read happened after ``cap`` (a post or a reaction the window left out):
    then the channel's bookmark must stay, or a back-dated run would skip it for good."""
    if last > cap:
        return True
    return any(
        p.create_at > cap or any(r.create_at > cap for r in p.metadata.reactions) for p in posts
    )


def _nobody_active_since(d: Directory, mark: int) -> bool:
    """Whether statuses or reports show that no member was active after ``mark``.

    Writing, editing or deleting a message is activity, so it moves the writer's
    ``last_activity_at`` (and ``last_post_date``) past the bookmark. Without either source
    nothing can be told, and the conversations are listed as before.
    """
    if not d.last_activity and d.last_post is None:
        return False
    newest = max([*d.last_activity.values(), *(d.last_post or {}).values()], default=0)
    return newest <= mark


def _int(value: Any) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0


MATTERMOST_CONNECTOR = ConnectorType(
    name="mattermost",
    settings=MattermostSettings,
    factory=MattermostConnector,
    description="People, posts, replies, reactions and visits from a Mattermost server (REST v4).",
    description_de=(
        "Personen, Beiträge, Antworten, Reaktionen und Besuche von einem Mattermost-Server (REST "
        "v4)."
    ),
    capabilities=MattermostConnector.capabilities,
    data_sources=(
        DataSource(
            "GET /api/v4/users, POST /api/v4/users/status/ids",
            "a system admin token (a member's token: e-mail and name may be blank)",
            "accounts: id, e-mail, name, position, locale, deactivation, last activity",
            "ein Token eines Systemadministrators (mit einem Mitglieds-Token fehlen ggf. E-Mail "
            "und Name)",
            "Konten: ID, E-Mail, Name, Position, Sprache, Deaktivierung, letzte Aktivität",
        ),
        DataSource(
            "GET /api/v4/reports/users",
            "sysconsole_read_user_management_users (else skipped)",
            "days active and last post date per account",
            "sysconsole_read_user_management_users (sonst übersprungen)",
            "aktive Tage und Datum des letzten Beitrags je Konto",
        ),
        DataSource(
            "GET /api/v4/teams, /teams/{id}/members, /channels, /channels/{id}/members",
            "system admin (manage_system for every channel); else the token user's teams",
            "team and channel names and memberships",
            "Systemadministrator (manage_system für jeden Kanal); sonst die Teams des Token-"
            "Benutzers",
            "Namen und Mitgliedschaften von Teams und Kanälen",
        ),
        DataSource(
            "GET /api/v4/channels/{id}/posts, /users/{id}/teams/{team}/channels",
            "system admin; direct messages only with direct_messages = true",
            "who posted, replied or reacted where and on which day, incl. who wrote to whom "
            "in direct messages (counted; the text is never stored)",
            "Systemadministrator; Direktnachrichten nur mit direct_messages = true",
            "wer wo an welchem Tag geschrieben, geantwortet oder reagiert hat, mit "
            "direct_messages = true auch wer wem direkt geschrieben hat (gezählt; der Text wird "
            "nie gespeichert)",
        ),
        DataSource(
            "POST /api/v4/users/ids",
            "any active session",
            "display names, read live only for champions list --names (never stored)",
            "jede aktive Sitzung",
            "Anzeigenamen, nur für champions list --names live gelesen (nie gespeichert)",
        ),
    ),
)

__all__ = ["MATTERMOST_CONNECTOR", "MattermostConnector", "channel_stream"]
