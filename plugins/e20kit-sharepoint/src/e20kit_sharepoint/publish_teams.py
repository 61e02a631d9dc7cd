"""Posting a report card to a Teams channel through a Workflows webhook.

``e20kit report --format md --publish teams:WEBHOOK_ENV``: ``WEBHOOK_ENV`` names the environment
variable holding the URL of a Teams workflow built from the template "Send webhook alerts to a
channel" (trigger "When a Teams webhook request is received", action "Post card in a chat or
channel"). Office 365 connectors (incoming webhooks) take no new registrations, and Graph lets
an app post to a channel on its own only while migrating messages, so the workflow is the way
in. The URL is a credential (its ``sig`` parameter signs the call): the core reads it, masks it
in every log and error, and this module never prints it.

The card is an Adaptive Card (version 1.4) in a message envelope, as the trigger takes it:
the headline figures with their change, the most severe findings with their first remedy and
a button to the full report when this run published it (``--publish sharepoint:… --publish
teams:…``). All text comes from the report's summary, already through the disclosure rules
and in the report's language. Teams refuses messages over 28 KB; a card that would be larger
is shortened (remedies, then findings) or refused before posting. The core posts it at most
once per report period (its delivery ledger); the webhook cannot tell whether an earlier post
arrived, so a post whose answer was lost is not repeated.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlsplit

import requests

from e20kit import (
    ConfigError,
    ConnectorError,
    DataSource,
    DeliveryUnconfirmed,
    PluginContext,
    Published,
    Publisher,
    PublishError,
    PublishRequest,
    ReportSummary,
)
from e20kit.http import describe_endpoint

CARD_VERSION = "1.4"
CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"
MAX_MESSAGE_BYTES = 28 * 1024
"""Teams' limit for one message posted through a webhook."""
ACCEPTED = frozenset({200, 202})
"""The trigger answers 202 Accepted (200 from some tenants' gateways), with no body."""
RATE_LIMIT_TRIES = 3
MAX_WAIT_S = 30.0


_NO_LINKS = str.maketrans(
    {
        "[": "(",
        "]": ")",
        "<": "\N{SINGLE LEFT-POINTING ANGLE QUOTATION MARK}",
        ">": "\N{SINGLE RIGHT-POINTING ANGLE QUOTATION MARK}",
    }
)


def _plain(text: str) -> str:
    """Text for a TextBlock, with no link syntax (a name from the directory must not become a
    link in a card)."""
    return text.translate(_NO_LINKS)


def card(summary: ReportSummary, link: str = "", *, remedies: bool = True) -> dict[str, Any]:
    """The Adaptive Card for ``summary``; ``link`` (the full report) becomes a button."""
    body: list[dict[str, Any]] = [
        {
            "type": "TextBlock",
            "text": _plain(summary.title),
            "weight": "Bolder",
            "size": "Medium",
            "wrap": True,
        },
        {"type": "TextBlock", "text": _plain(summary.period), "isSubtle": True, "wrap": True},
    ]
    if summary.note:
        body.append(
            {"type": "TextBlock", "text": _plain(summary.note), "color": "Attention", "wrap": True}
        )
    facts = [
        {
            "title": _plain(f.label),
            "value": _plain(f"{f.value} ({f.change})" if f.change else f.value),
        }
        for f in summary.figures
    ]
    if facts:
        body.append({"type": "FactSet", "facts": facts})
    body.append(
        {
            "type": "TextBlock",
            "text": _plain(summary.findings_heading),
            "weight": "Bolder",
            "spacing": "Medium",
            "wrap": True,
        }
    )
    if not summary.findings:
        body.append({"type": "TextBlock", "text": _plain(summary.no_findings), "wrap": True})
    for finding in summary.findings:
        body.append(
            {
                "type": "TextBlock",
                "text": _plain(f"{finding.title} ({finding.severity})"),
                "weight": "Bolder",
                "wrap": True,
            }
        )
        if remedies and finding.remedy:
            body.append(
                {
                    "type": "TextBlock",
                    "text": _plain(finding.remedy),
                    "isSubtle": True,
                    "spacing": "None",
                    "wrap": True,
                }
            )
    if summary.more_findings:
        body.append({"type": "TextBlock", "text": _plain(summary.more_findings), "wrap": True})
    content: dict[str, Any] = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": CARD_VERSION,
        "msteams": {"width": "Full"},
        "body": body,
    }
    if link:
        content["actions"] = [{"type": "Action.OpenUrl", "title": summary.open_report, "url": link}]
    return content


def message(content: dict[str, Any]) -> dict[str, Any]:
    """The envelope the Workflows trigger takes: a message with one Adaptive Card attachment."""
    return {
        "type": "message",
        "attachments": [{"contentType": CARD_CONTENT_TYPE, "contentUrl": None, "content": content}],
    }


def encoded(payload: dict[str, Any]) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()


def fitting(summary: ReportSummary, link: str) -> bytes:
    """The smallest honest card under Teams' limit: all of it, then without remedies, then
    with the first finding only; otherwise a :class:`ConfigError` before anything is sent."""
    shorter = ReportSummary(**{**vars(summary), "findings": summary.findings[:1]})
    for candidate in (
        card(summary, link),
        card(summary, link, remedies=False),
        card(shorter, link, remedies=False),
    ):
        body = encoded(message(candidate))
        if len(body) <= MAX_MESSAGE_BYTES:
            return body
    raise ConfigError(
        f"--publish teams: the card is {len(body)} bytes even shortened; Teams takes "
        f"{MAX_MESSAGE_BYTES} bytes at most; nothing was posted"
    )


def _link(request: PublishRequest) -> str:
    return next((p.url for p in request.earlier if p.url.startswith("https://")), "") or next(
        (p.url for p in request.earlier if p.url), ""
    )


def _code(response: requests.Response) -> str:
    """``: <error code>`` from a JSON error body (``{"error": {"code": …}}``), if any."""
    try:
        error = response.json().get("error")
    except (ValueError, AttributeError):
        return ""
    code = error.get("code") if isinstance(error, dict) else None
    return f": {str(code)[:80]}" if isinstance(code, str) else ""


def _retry_after(value: str | None) -> float:
    try:
        return max(0.0, float(value or 1))
    except ValueError:
        return 1.0


class WebhookPoster:
    """Posts one message to the webhook: 429 waits as ``Retry-After`` says (a refused request
    was not taken, so sending it again is safe); nothing else is repeated."""

    def __init__(self, context: PluginContext[Any]) -> None:
        secret = context.settings.value.get_secret_value()
        self.env = str(context.settings.env)
        self.url = secret
        parts = urlsplit(secret)
        signed = [v for values in parse_qs(parts.query).values() for v in values if len(v) >= 8]
        self.session = context.http(secrets=(secret, parts.query, *signed))
        self.name = context.name
        # where it posts, without the query that signs the call
        bare = f"{parts.scheme}://{parts.netloc}{parts.path}"
        self.endpoint = describe_endpoint(bare, self.session.secrets)

    def _error(self, text: str, status: int | None = None) -> PublishError:
        return PublishError(
            text,
            connector=f"publish {self.name}",
            endpoint=self.endpoint,
            status=status,
            publisher=self.name,
        )

    def post(self, body: bytes) -> None:
        headers = {"Content-Type": "application/json; charset=utf-8"}
        for attempt in range(RATE_LIMIT_TRIES):
            try:
                response = self.session.post(self.url, data=body, headers=headers)
            except ConnectorError as err:  # the session's text names the URL only as ***
                raise self._error(f"could not reach the webhook: {type(err).__name__}") from None
            status = response.status_code
            if status == 429 and attempt + 1 < RATE_LIMIT_TRIES:
                wait = _retry_after(response.headers.get("Retry-After"))
                if wait > MAX_WAIT_S:
                    raise self._error(f"the webhook asks for a {wait:.0f} s wait; rerun later", 429)
                time.sleep(wait)
                continue
            break
        if status == 413:
            raise self._error(
                f"Teams refused the card as too large ({len(body)} bytes; at most "
                f"{MAX_MESSAGE_BYTES})",
                413,
            )
        if status >= 400:
            raise self._error(f"the webhook refused the card{_code(response)}", status)
        kind = response.headers.get("Content-Type", "")
        if status not in ACCEPTED or "html" in kind.lower():
            raise DeliveryUnconfirmed(
                f"[publish {self.name} {self.endpoint}] the webhook answered HTTP {status} "
                f"({kind or 'no content type'}), not 202 Accepted: the card may or may not have "
                "reached the channel; it is not posted again for this period",
                notifier=self.name,
                publisher=self.name,
            )

    def close(self) -> None:
        self.session.close()


def publish(context: PluginContext[Any], request: PublishRequest) -> Published:
    if request.summary is None:
        raise ConfigError(
            "--publish teams needs the report's figures: publish through `e20kit report` or "
            "Kit.publish(..., metrics=...)"
        )
    link = _link(request)
    body = fitting(request.summary, link)
    where = f"Teams channel (workflow webhook in ${context.settings.env})"
    if request.dry_run:
        preview = json.dumps(json.loads(body), indent=2, ensure_ascii=False)
        return Published("would post", where, preview)
    poster = WebhookPoster(context)
    try:
        poster.post(body)
    finally:
        poster.close()
    return Published("posted", where + (f", linking {link}" if link else ""))


TEAMS_PUBLISHER = Publisher(
    name="teams",
    connector_type=None,
    publish=publish,
    target_secret_env=True,
    once_per_period=True,
    description=(
        "A card with the headline figures and top findings in a Teams channel, through a "
        "Workflows webhook, at most once per report period."
    ),
    description_de=(
        "Eine Karte mit den Kennzahlen und wichtigsten Befunden in einem Teams-Kanal, über "
        "einen Workflows-Webhook, höchstens einmal je Berichtszeitraum."
    ),
    data_sources=(
        DataSource(
            "POST {workflow webhook URL} (Workflows: when a Teams webhook request is received)",
            "the webhook URL (a secret, in the environment variable the target names); the "
            "workflow posts as its owner or the Flow bot into the channel it was built for",
            "a card with the report's headline figures and top findings (aggregates only, "
            "through the disclosure rules) that every member of the channel reads",
            "die Webhook-URL (ein Geheimnis, in der Umgebungsvariable aus dem Ziel); der "
            "Workflow postet als sein Besitzer oder als Flow-Bot in den Kanal, für den er "
            "angelegt wurde",
            "eine Karte mit den Kennzahlen und wichtigsten Befunden des Berichts (nur Summen, "
            "nach den Offenlegungsregeln), die jedes Mitglied des Kanals liest",
        ),
    ),
)

__all__ = ["MAX_MESSAGE_BYTES", "TEAMS_PUBLISHER", "card", "fitting", "message", "publish"]
