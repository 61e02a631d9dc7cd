"""Publishing one report to several targets in one run (``report --publish A --publish B``).

Every target is resolved before anything is written (a typo fails the run, not its second
half). The publishers get the Markdown, the report data it was rendered from (through the
disclosure layer, so a card shows exactly what the report shows), the charts as PNG when they
ask for them (drawn once per run) and what the run published before them, so a channel card can
link to the page published a moment earlier. A message publisher (``once_per_period``) goes
through the delivery ledger: at most once per target and report period.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .analytics.model import Metrics
from .config import Config
from .delivery import DeliveryState, deliver
from .errors import ConnectorError, E20KitError, PublishError
from .notifier import Message, Recipient
from .plugins import Plugins
from .publish_target import Resolved, resolve
from .publishing import Chart, Published, PublishRequest
from .report.summary import summarise

LEDGER_KIND = "report.publish"
CHANNEL = "-"
"""The ledger's member key for a report posted to a channel (no member receives it)."""


@dataclass(frozen=True)
class Material:
    """What the publishers of one run share: the report data and the disclosed metrics the
    charts are drawn from."""

    document: str
    report: Mapping[str, Any] | None = None
    metrics: Metrics | None = None
    lang: str = "en"


_DRAWN: collections.OrderedDict[str, tuple[Chart, ...]] = collections.OrderedDict()
_DRAWN_KEPT = 2


def charts_of(metrics: Metrics, lang: str) -> tuple[Chart, ...]:
    """The HTML report's charts as PNG pictures with their captions; the same figures are
    drawn once however often they are published in one process (``make bench``,
    ``sharepoint_publish``, times the first publish, drawing included)."""
    from .report.charts import render_png_charts  # matplotlib: only when a publisher asks
    from .report.labels import labels

    key = hashlib.sha256(f"{lang}\0{metrics!r}".encode()).hexdigest()
    if key in _DRAWN:
        return _DRAWN[key]
    text = labels(lang)
    drawn = tuple(
        Chart(name, text.get(f"caption_{name}", name), png)
        for name, png in render_png_charts(metrics, text).items()
    )
    _DRAWN[key] = drawn
    while len(_DRAWN) > _DRAWN_KEPT:
        _DRAWN.popitem(last=False)
    return drawn


def period_key(period: Any, document: str) -> str:
    """What makes a report period unique in the ledger: its dates, or the document's hash."""
    if period is not None:
        return f"{period.start.isoformat()}..{period.end.isoformat()}"
    return "sha256:" + hashlib.sha256(document.encode()).hexdigest()[:16]


def publish_all(
    config: Config,
    plugins: Plugins,
    engine: sa.Engine,
    targets: Sequence[str],
    material: Material,
    *,
    period: Any = None,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> list[tuple[str, Published]]:
    """Publish ``material`` to each target in order; (target, what was done) per target."""
    resolved = [(target, resolve(config, plugins, target)) for target in targets]
    charts: tuple[Chart, ...] | None = None
    summary = summarise(dict(material.report)) if material.report is not None else None
    done: list[tuple[str, Published]] = []
    for target, one in resolved:
        if one.publisher.charts and charts is None and material.metrics is not None:
            charts = charts_of(material.metrics, material.lang)
        request = PublishRequest(
            one.target,
            material.document,
            dry_run,
            report=material.report,
            summary=summary,
            charts=(charts or ()) if one.publisher.charts else (),
            earlier=tuple(p for _, p in done),
            lang=material.lang,
        )
        if one.publisher.once_per_period:
            key = f"publish:{target}:{period_key(period, material.document)}"
            result = _once(engine, one, request, key, now)
        else:
            result = _guarded(one, request)
        done.append((target, result))
    return done


def _guarded(resolved: Resolved, request: PublishRequest) -> Published:
    """Publish; a platform error becomes one :class:`PublishError` naming the publisher."""
    name = resolved.publisher.name
    try:
        return resolved.publish(request)
    except PublishError:
        raise
    except ConnectorError as err:
        raise PublishError(
            f"could not publish to {name}:{request.target}: {err}",
            connector=f"publish {name}",
            publisher=name,
        ) from None


class _Post:
    """The publisher as the ledger's notifier: ``send`` publishes, and a webhook cannot tell
    whether an earlier post arrived (``was_sent`` is ``None``)."""

    def __init__(self, resolved: Resolved, request: PublishRequest) -> None:
        self.resolved = resolved
        self.request = request
        self.done: Published | None = None
        self.error: E20KitError | None = None

    def send(self, message: Message) -> None:
        try:
            self.done = _guarded(self.resolved, self.request)
        except E20KitError as err:
            self.error = err
            raise

    def was_sent(self, message: Message) -> bool | None:
        return None


def _once(
    engine: sa.Engine,
    resolved: Resolved,
    request: PublishRequest,
    key: str,
    now: dt.datetime | None,
) -> Published:
    message = Message(
        key=key[:300],
        recipient=Recipient(member_key=CHANNEL),
        subject=resolved.target,
        body="",
        kind=LEDGER_KIND,
    )
    name = resolved.publisher.name
    preview = _guarded(resolved, request) if request.dry_run else None
    post = _Post(resolved, request)
    outcome = deliver(engine, name, post, message, dry_run=request.dry_run, now=now)
    where = f"{name}:{resolved.target}"
    if outcome.state == DeliveryState.WOULD_SEND and preview is not None:
        return preview
    if outcome.state == DeliveryState.SENT and post.done is not None:
        return post.done
    if post.error is not None:  # failed (retried next run) or unconfirmed (never re-posted)
        raise post.error
    if outcome.state == DeliveryState.ALREADY_SENT:
        return Published(
            "already posted",
            f"{where} (this period's report went out before)",
            preview.preview if preview else "",
        )
    if outcome.state == DeliveryState.UNKNOWN:
        return Published(
            "unconfirmed",
            f"{where}: an earlier post of this period may have arrived; not posted again "
            f"(ledger key {message.key})",
            preview.preview if preview else "",
        )
    raise PublishError(
        f"could not post: {outcome.error}", connector=f"publish {name}", publisher=name
    )


__all__ = ["Material", "charts_of", "period_key", "publish_all"]
