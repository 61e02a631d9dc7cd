"""Cloud page views per space and day, from the analytics API: counts that name nobody.

``GET /rest/api/analytics/content/{id}/views?fromDate=T`` answers one number: the content's
views since ``T``. The views of a finished day ``D`` are ``views(D) - views(D + 1)`` (both at
midnight UTC), so ``n`` days cost ``n + 1`` requests per page or blog post, and one when it had
no view since the first of them (then every day is 0). Only finished days are collected, each
once: the stream ``views`` remembers the last one, so a rerun on the same day asks nothing and
writes nothing. A page whose views answer 404, or a search result without a space or that does
not parse, is skipped and named (:meth:`e20kit.Streams.skip`); the bookmark then stays where it
was, so the next run asks for those days again (until ``retry_skipped_runs``). The pages asked
about are those touched (modified) in the collection window: the API has no listing of what was
read. ``/viewers`` (distinct viewers) is
not read: distinct counts do not add up across pages or days.

The counts become anonymous facts (``Activity(person_id=None)``, action ``view``, feature
``wiki`` or ``blog``, the space as container): they count in the feature and container totals
and never for a member. A 403 on analytics (the account or site may not have it) is one
warning naming it; the rest of the run is stored.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections import Counter
from collections.abc import Iterable, Iterator

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Checkpoint,
    ConnectorAuthError,
    ConnectorFatalError,
    Feature,
    Replace,
    Streams,
    Window,
)

from .client import ConfluenceClient, Malformed
from .counting import FEATURES
from .settings import PLATFORM

log = logging.getLogger("e20kit.confluence")

VIEWS = "views"
"""The stream whose bookmark is the last finished day whose views were collected."""
VIEWED_TYPES = ("page", "blogpost")


def view_days(window: Window, bookmark: str | None, *, first_run_days: int) -> list[dt.date]:
    """The finished days (before the window's last day) not collected yet."""
    today = window.end - dt.timedelta(days=1)
    start = max(window.start, today - dt.timedelta(days=first_run_days))
    if bookmark:
        with contextlib.suppress(ValueError):  # an unreadable bookmark: as on a first run
            start = max(window.start, dt.date.fromisoformat(bookmark) + dt.timedelta(days=1))
    return [start + dt.timedelta(days=i) for i in range((today - start).days)]


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


class AnalyticsUnavailable(Exception):
    """The site answered 403 on analytics: views are an optional part."""


def _daily(client: ConfluenceClient, content_id: str, days: list[dt.date]) -> list[int] | None:
    """Views of each day of ``days`` (consecutive), or None when the content is gone (404)."""
    edges = [*days, days[-1] + dt.timedelta(days=1)]
    try:
        totals = [client.views_since(content_id, _midnight(edges[0]))]
        if totals[0] == 0:  # no view since the first day: none on any of them
            return [0] * len(days)
        totals += [client.views_since(content_id, _midnight(day)) for day in edges[1:]]
    except (ConnectorAuthError, ConnectorFatalError) as err:
        status = getattr(err, "status", None)
        if status == 403:
            raise AnalyticsUnavailable(err.message) from None
        if status == 404:
            return None
        raise
    # a total since a later midnight never exceeds one since an earlier one; clamp if it does
    return [max(totals[i] - totals[i + 1], 0) for i in range(len(days))]


def collect_views(
    client: ConfluenceClient,
    *,
    name: str,
    window: Window,
    bookmark: str | None,
    first_run_days: int,
    spaces: tuple[str, ...],
    known_spaces: Iterable[str],
    streams: Streams,
) -> Iterator[ActivityItem]:
    """Replace markers, anonymous ``view`` facts and the ``views`` checkpoint of one run."""
    days = view_days(window, bookmark, first_run_days=first_run_days)
    if not days:
        return
    held = False
    counts: Counter[tuple[dt.date, Feature, str]] = Counter()
    seen_spaces = set(known_spaces)
    cql = (
        f"type in ({','.join(VIEWED_TYPES)}) and "
        f'lastmodified >= "{_midnight(window.start):%Y-%m-%d %H:%M}"'
    )
    if spaces:
        cql += " and space in (" + ",".join(f'"{key}"' for key in spaces) + ")"
    try:
        found = client.search_records(cql + " order by lastmodified asc", expand="space,version")
        for content in found:
            if isinstance(content, Malformed):
                if content.type in VIEWED_TYPES or content.type is None:
                    held |= streams.skip(
                        VIEWS,
                        content.record,
                        "malformed",
                        endpoint=content.endpoint,
                        field=content.field,
                    )
                continue
            if content.status != "current" or content.type not in VIEWED_TYPES:
                continue
            if content.space is None:
                held |= streams.skip(VIEWS, content.id, "no space in the answer", field="space")
                continue
            per_day = _daily(client, content.id, days)
            if per_day is None:
                held |= streams.skip(VIEWS, content.id, "HTTP 404 on its views")
                continue
            seen_spaces.add(content.space.key)
            for day, n in zip(days, per_day, strict=True):
                counts[(day, FEATURES[content.type], content.space.key)] += n
    except AnalyticsUnavailable as err:
        log.warning(
            "%s: page views skipped: analytics answered 403 (%s); the rest is stored",
            name,
            err,
        )
        return
    replaced = Window(start=days[0], end=days[-1] + dt.timedelta(days=1))
    for key in sorted(seen_spaces):
        yield Replace(window=replaced, container=key, actions=frozenset({Action.VIEW}))
    for (day, feature, space), count in sorted(counts.items()):
        if count > 0:
            yield Activity(
                day=day,
                platform=PLATFORM,
                person_id=None,
                action=Action.VIEW,
                feature=feature,
                container=space,
                count=count,
            )
    if not held:  # else the next run asks for these days again
        yield Checkpoint(stream=VIEWS, value=days[-1].isoformat())


__all__ = ["VIEWS", "collect_views", "view_days"]
