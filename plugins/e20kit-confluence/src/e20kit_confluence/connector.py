"""The Confluence connector: people, daily create/edit/comment counts per space and, on Cloud,
anonymous page-view counts per space (stream ``views``, see :mod:`.views`).

Incremental by ``lastmodified``. One stream (``content``) whose bookmark is the newest
modification time collected. A later run first asks for the newest modification (one request);
when nothing is newer than the bookmark it stops and writes nothing. Otherwise it re-collects
every day from the bookmark's day on: CQL returns all content modified since that midnight,
which includes every item with a version, comment or creation on those days, so the counts of
those days are complete and replace the stored ones space by space. Edited pages and blog
posts have their version lists read, so every version counts for its own author.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from e20kit import (
    ActivityItem,
    Capability,
    Checkpoint,
    ConnectorType,
    DataSource,
    Person,
    PluginContext,
    Replace,
    Streams,
    Window,
)

from .client import ConfluenceClient, ContentGone, Malformed, cql_for
from .counting import (
    CONTRIBUTIONS,
    FEATURES,
    Tally,
    all_versions,
    day_of,
    facts,
    needs_versions,
    tally_content,
)
from .directory import Directory, list_directory
from .ratelimit import rate_policy
from .settings import ConfluenceSettings
from .views import VIEWS, collect_views

log = logging.getLogger("e20kit.confluence")

CONTENT = "content"


def midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


class ConfluenceConnector:
    """Reads one Confluence site (Cloud or Data Center) through REST v1 and, on Cloud, v2."""

    capabilities = frozenset(
        {
            Capability.PEOPLE,
            Capability.ACTIVITY,
            Capability.INCREMENTAL,
            Capability.VIEW_COUNTS,
        }
    )
    """The type's; an instance on Data Center (no page-view API) drops ``view_counts``."""

    def __init__(self, context: PluginContext[ConfluenceSettings]) -> None:
        settings = context.settings
        self.name = context.name
        self.settings = settings
        if not settings.reads_views:
            self.capabilities = self.capabilities - {Capability.VIEW_COUNTS}
        session = context.http(
            base_url=settings.url,
            rate_limit_per_s=settings.rate_limit_per_s,
            rate_policy=rate_policy(settings.deployment == "cloud"),
        )
        self.client = ConfluenceClient(session, settings, connector=context.name)
        self._directory: Directory | None = None
        self.skipped = 0
        self.streams = Streams(context.name)
        """What could not be read (the space watcher listings without administrator rights)."""

    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = list_directory(self.client, self.settings, self.streams)
        return self._directory

    def people(self) -> Iterator[Person]:
        return self.directory().people(all_spaces=not self.settings.spaces, streams=self.streams)

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        d = self.directory()
        spaces = tuple(self.settings.spaces) and d.space_keys
        if self.settings.spaces and not spaces:
            return
        yield from self._contributions(window, bookmarks, spaces)
        if self.settings.reads_views:
            yield from collect_views(
                self.client,
                name=self.name,
                window=window,
                bookmark=bookmarks.get(VIEWS),
                first_run_days=self.settings.views_days,
                spaces=spaces,
                known_spaces=d.space_keys,
                streams=self.streams,
            )

    def _contributions(
        self, window: Window, bookmarks: Mapping[str, str], spaces: tuple[str, ...]
    ) -> Iterator[ActivityItem]:
        d = self.directory()
        mark = _when(bookmarks.get(CONTENT))
        first = window.start
        if mark is not None:
            newest = self.client.newest_change(mark, spaces)
            if newest is None or newest <= mark:
                return
            first = max(day_of(mark), window.start)
        if first >= window.end:
            return
        scan = self._scan(first, spaces, window)
        tally = scan.tally
        if tally.skipped:
            log.info(
                "%s: %d content items skipped (trashed, draft, or given up)",
                self.name,
                tally.skipped,
            )
        self.skipped += tally.skipped
        replaced = Window(start=first, end=window.end)
        for key in sorted(set(d.space_keys) | tally.spaces):
            yield Replace(window=replaced, container=key, actions=CONTRIBUTIONS)
        yield from facts(tally.counts, window=window)
        # Never past a record skipped for a reason that may pass (records after the window's
        # end or the real clock were left out of scan.newest); never backwards either.
        newest = max(filter(None, (scan.reached, mark)), default=None)
        if newest is not None:
            yield Checkpoint(stream=CONTENT, value=newest.isoformat())

    def _scan(self, first: dt.date, spaces: tuple[str, ...], window: Window) -> Scan:
        scan = Scan(Tally())
        end = self.streams.cap(midnight(window.end))
        for found in self.client.search_records(cql_for(midnight(first), spaces)):
            if isinstance(found, Malformed):
                if found.type is not None and found.type not in FEATURES:
                    continue  # not a kind of content that is counted (an attachment)
                if self.streams.skip(
                    CONTENT, found.record, "malformed", endpoint=found.endpoint, field=found.field
                ):
                    # its time is unknown: hold before the last readable result before it
                    scan.hold(found.after - TICK if found.after else midnight(first) - TICK)
                continue
            content = found
            when = content.version.when
            if when > end:  # after a back-dated window, or from the future: no bookmark
                if self.streams.horizon is not None and when > self.streams.horizon:
                    self.streams.dated_ahead(CONTENT, content.id, when)
            elif scan.newest is None or when > scan.newest:
                scan.newest = when
            if content.space is None and content.type in FEATURES and content.status == "current":
                if self.streams.skip(CONTENT, content.id, "no space in the answer", field="space"):
                    scan.hold(when - TICK)
                continue
            versions = None
            if needs_versions(content) and content.status == "current":
                try:
                    versions = all_versions(self.client.versions(content))
                except ContentGone as err:
                    reason = f"HTTP {err.context.get('status')} on its version listing"
                    endpoint = err.context.get("endpoint")
                    if self.streams.skip(CONTENT, content.id, reason, endpoint=endpoint):
                        scan.hold(when - TICK)
                    else:
                        scan.tally.skipped += 1
                    continue
            tally_content(scan.tally, content, versions, first=first)
        return scan

    def close(self) -> None:
        self.client.session.close()


TICK = dt.timedelta(microseconds=1)


@dataclass
class Scan:
    """One content scan: its counts, the newest modification seen, and the earliest point a
    skipped record holds the bookmark before."""

    tally: Tally
    newest: dt.datetime | None = None
    held: dt.datetime | None = None

    def hold(self, before: dt.datetime) -> None:
        self.held = before if self.held is None or before < self.held else self.held

    @property
    def reached(self) -> dt.datetime | None:
        """The newest modification seen, but never past the point held (nothing seen: None)."""
        if self.newest is None or self.held is None:
            return self.newest
        return min(self.newest, self.held)


def _when(value: str | None) -> dt.datetime | None:
    if not value:
        return None
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


CONFLUENCE_CONNECTOR = ConnectorType[ConfluenceSettings](
    name="confluence",
    settings=ConfluenceSettings,
    factory=ConfluenceConnector,
    description=(
        "People, and pages, blog posts, edits and comments per space from Confluence Cloud or "
        "Data Center (REST v1 CQL search, v2 on Cloud); anonymous page-view counts per space "
        "and day on Cloud (analytics), none on Data Center (no such API)."
    ),
    description_de=(
        "Personen sowie Seiten, Blogbeiträge, Bearbeitungen und Kommentare je Bereich aus "
        "Confluence Cloud oder Data Center; anonyme Seitenaufrufe je Bereich und Tag in der Cloud "
        "(Analytics), keine in Data Center (keine solche Schnittstelle)."
    ),
    capabilities=ConfluenceConnector.capabilities,
    data_sources=(
        DataSource(
            "GET /rest/api/user/current, /rest/api/group/{group}/member(sByGroupId)",
            "an account with Can use and permission to view users (DC) / list group members",
            "accounts of the configured groups: account id, e-mail (if visible), display name, "
            "profile picture set or not",
            "ein Konto mit „Can use“ und dem Recht, Benutzer bzw. Gruppenmitglieder zu sehen",
            "Konten der konfigurierten Gruppen: Konto-ID, E-Mail (falls sichtbar), Anzeigename, "
            "ob ein Profilbild gesetzt ist",
        ),
        DataSource(
            "GET /api/v2/spaces (Cloud), /rest/api/space (DC)",
            "View permission on every measured space",
            "space keys and names, including personal spaces (~user)",
            "Leserecht („View“) auf jedem gemessenen Bereich",
            "Schlüssel und Namen der Bereiche, auch persönlicher Bereiche (~Benutzer)",
        ),
        DataSource(
            "GET /rest/api/content/search (CQL), /api/v2/{pages,blogposts}/{id}/versions, "
            "/rest/api/content/{id}/version",
            "View permission on every measured space",
            "who created, edited or commented which page or blog post in which space on which "
            "day (counted; no content is stored)",
            "Leserecht („View“) auf jedem gemessenen Bereich",
            "wer an welchem Tag in welchem Bereich eine Seite oder einen Blogbeitrag erstellt, "
            "bearbeitet oder kommentiert hat (gezählt; kein Inhalt wird gespeichert)",
        ),
        DataSource(
            "GET /rest/api/space/{key}/watch (Cloud), /rest/api/space/{key}/watchers (DC)",
            "Confluence or Space Administrator (only with space_watchers = true)",
            "who watches which non-personal space",
            "Confluence- oder Bereichsadministrator (nur mit space_watchers = true)",
            "wer welchen nicht persönlichen Bereich beobachtet",
        ),
        DataSource(
            "GET /rest/api/analytics/content/{id}/views (Cloud only)",
            "View permission on the content",
            "page views per space and day as anonymous counts (nobody named)",
            "Leserecht auf den Inhalt",
            "Seitenaufrufe je Bereich und Tag als anonyme Zahlen (niemand benannt)",
        ),
    ),
)

__all__ = ["CONFLUENCE_CONNECTOR", "CONTENT", "ConfluenceConnector"]
