"""Publishing the Markdown report as a Confluence page: created once, then updated in place.

``e20kit report --format md --publish confluence:SPACEKEY/Page title``. The page is looked up by
space and title; a missing page is created, an existing one gets a new version (number + 1)
unless its body is already the same. The body is Confluence *storage format* (XHTML), rendered
from the Markdown with markdown-it-py. Cloud uses v2 (``/api/v2/pages``; v1 content listing
and creation are deprecated there), Data Center v1 (``/rest/api/content``). Creating is never
retried by the core (a retried POST could make a second page); a lost answer is safe to rerun,
because the rerun finds the page by its title.
"""

from __future__ import annotations

from typing import Any

import requests
from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field

from e20kit import ConfigError, DataSource, PluginContext, Published, Publisher, PublishRequest
from e20kit.http import json_or_error

from .client import ConfluenceClient
from .payloads import Page
from .ratelimit import rate_policy
from .settings import ConfluenceSettings


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class _Number(_Model):
    number: int


class _Storage(_Model):
    value: str = ""


class _Body(_Model):
    """v1 ``expand=body.storage`` and v2 ``body-format=storage`` share this shape."""

    storage: _Storage = Field(default_factory=_Storage)


class ExistingPage(_Model):
    id: str
    title: str
    version: _Number
    body: _Body = Field(default_factory=_Body)


def storage_format(markdown: str) -> str:
    """Markdown as Confluence storage format (XHTML; raw HTML in the Markdown is escaped)."""
    renderer = MarkdownIt("commonmark", {"xhtmlOut": True, "html": False}).enable("table")
    return str(renderer.render(markdown))


def parse_target(target: str) -> tuple[str, str]:
    space, sep, title = target.partition("/")
    if not sep or not space.strip() or not title.strip():
        raise ConfigError(f"--publish confluence:SPACEKEY/Page title, not confluence:{target}")
    return space.strip(), title.strip()


class PagePublisher:
    """Finds, creates and updates one page through the connector's client."""

    def __init__(self, client: ConfluenceClient) -> None:
        self.client = client

    def _send(self, method: str, path: str, body: dict[str, Any]) -> Any:
        lib = self.client.lib
        call = lib.post if method == "POST" else lib.put
        response: requests.Response = call(path, data=body, advanced_mode=True)
        return json_or_error(response, connector=self.client.connector)

    def _space_id(self, key: str) -> str:
        for space in self.client.spaces((key,)):
            if space.key == key and space.id is not None:
                return str(space.id)
        raise ConfigError(f"--publish: space {key!r} not found or not readable on this site")

    def find(self, key: str, title: str) -> ExistingPage | None:
        if self.client.cloud:
            params = {"space-id": self._space_id(key), "title": title, "body-format": "storage"}
            data, url = self.client.get("api/v2/pages", params)
        else:
            params = {
                "spaceKey": key,
                "title": title,
                "type": "page",
                "expand": "version,body.storage",
            }
            data, url = self.client.get("rest/api/content", params)
        page = self.client.parse(Page[ExistingPage], data, url)
        return next((p for p in page.results if p.title == title), None)

    def publish(self, request: PublishRequest) -> Published:
        key, title = parse_target(request.target)
        body = storage_format(request.document)
        existing = self.find(key, title)
        where = f"{self.client.base} space {key} page {title!r}"
        if existing is not None and existing.body.storage.value == body:
            return Published(
                "unchanged", f"{where} (id {existing.id})", body if request.dry_run else ""
            )
        if request.dry_run:
            action = "would create" if existing is None else "would update"
            return Published(action, where, body)
        if existing is None:
            created = self._create(key, title, body)
            return Published("created", f"{where} (id {created})")
        self._update(existing, key, body)
        return Published(
            "updated", f"{where} (id {existing.id}, version {existing.version.number + 1})"
        )

    def _create(self, key: str, title: str, body: str) -> str:
        if self.client.cloud:
            sent = {
                "spaceId": self._space_id(key),
                "status": "current",
                "title": title,
                "body": {"representation": "storage", "value": body},
            }
            data = self._send("POST", "api/v2/pages", sent)
        else:
            sent = {
                "type": "page",
                "title": title,
                "space": {"key": key},
                "body": {"storage": {"value": body, "representation": "storage"}},
            }
            data = self._send("POST", "rest/api/content", sent)
        return str(self.client.parse(ExistingPage, data, "POST page").id)

    def _update(self, page: ExistingPage, key: str, body: str) -> None:
        number = page.version.number + 1
        if self.client.cloud:
            sent: dict[str, Any] = {
                "id": page.id,
                "status": "current",
                "title": page.title,
                "body": {"representation": "storage", "value": body},
                "version": {"number": number, "message": "e20kit report"},
            }
            self._send("PUT", f"api/v2/pages/{page.id}", sent)
            return
        sent = {
            "id": page.id,
            "type": "page",
            "title": page.title,
            "space": {"key": key},
            "version": {"number": number, "message": "e20kit report"},
            "body": {"storage": {"value": body, "representation": "storage"}},
        }
        self._send("PUT", f"rest/api/content/{page.id}", sent)


def publish(context: PluginContext[Any], request: PublishRequest) -> Published:
    settings = context.settings
    if not isinstance(settings, ConfluenceSettings):  # the core hands the connector's settings
        raise ConfigError(f"--publish confluence needs a confluence connector, not {context.name}")
    session = context.http(
        base_url=settings.url, rate_policy=rate_policy(settings.deployment == "cloud")
    )
    try:
        client = ConfluenceClient(session, settings, connector=context.name)
        return PagePublisher(client).publish(request)
    finally:
        session.close()


CONFLUENCE_PUBLISHER = Publisher(
    name="confluence",
    connector_type="confluence",
    publish=publish,
    description="The Markdown report as one Confluence page (storage format), updated in place.",
    description_de=(
        "Der Markdown-Bericht als eine Confluence-Seite (Speicherformat), an Ort und Stelle "
        "aktualisiert."
    ),
    data_sources=(
        DataSource(
            "GET/POST/PUT /rest/api/content (v2 /api/v2/pages on Cloud)",
            "the connector's account: Add and Edit page permission in the target space",
            "the report (aggregates only) as a page everyone with access to the space reads",
            "das Konto des Connectors: Seiten anlegen und bearbeiten im Zielbereich",
            "der Bericht (nur Summen) als Seite, die jeder mit Zugriff auf den Bereich liest",
        ),
    ),
)

__all__ = ["CONFLUENCE_PUBLISHER", "PagePublisher", "parse_target", "publish", "storage_format"]
