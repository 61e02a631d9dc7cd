"""Publishing the report as a modern SharePoint page through Microsoft Graph.

``e20kit report --format md --publish sharepoint:SITE/Page title``. ``SITE`` is a Graph site
address: ``contoso.sharepoint.com:/sites/Intranet`` (host name and server-relative path), a
site id (``contoso.sharepoint.com,<guid>,<guid>``) or ``root``; the title is what follows the
last ``/``. The page is a ``sitePage`` named after the title (``Adoption-report.aspx``): looked
up by that name, created with ``POST /sites/{id}/pages`` when missing, otherwise replaced with
``PATCH .../pages/{id}/microsoft.graph.sitePage`` (a canvas is always sent whole), then
published (``POST .../microsoft.graph.sitePage/publish``). The Markdown becomes one text web
part (HTML rendered with markdown-it-py, raw HTML escaped); the charts are PNG files uploaded to
the site's *Site Assets* library (the default library when there is none) under
``e20kit/<page name>/`` and shown in Image web parts. The page's description carries a hash of
what it shows (the generation time aside), so an unchanged report is not written again.
Creating is never retried by the core (a retried POST could make a second page); a rerun finds
the page by its name.
Application permission: ``Sites.ReadWrite.All``, or ``Sites.Selected`` with *write* granted on
the one site.
"""

from __future__ import annotations

import hashlib
import re
import struct
import uuid
from collections.abc import Sequence
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from pydantic import BaseModel, ConfigDict, Field

from e20kit import (
    Chart,
    ConfigError,
    ConnectorAuthError,
    DataSource,
    PluginContext,
    Published,
    Publisher,
    PublishError,
    PublishRequest,
)
from e20kit.http import describe_endpoint, json_or_error, parse_payload

from .auth import GraphAuth
from .client import GraphClient
from .policy import GraphRatePolicy
from .settings import SharePointSettings

IMAGE_WEB_PART = "d1d91016-032f-456d-98a4-721247c305e8"
"""The Image web part's type id (Graph's list of web parts a page created through it may hold)."""
ASSETS_LIBRARY = "Site Assets"
ASSETS_FOLDER = "e20kit"
RETRIED = ("GET", "HEAD", "OPTIONS", "PUT", "PATCH")
"""Methods safe to repeat: uploads and whole-canvas updates replace what they wrote. POST
(create, publish) is not retried; a rerun finds the page by its name."""
M = TypeVar("M", bound=BaseModel)
_NAMESPACE = uuid.UUID("9c1f3a52-5d7e-4f0b-8a61-2e4b7c9d0f13")


class _Model(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=True)


class Site(_Model):
    id: str
    webUrl: str = ""


class PageItem(_Model):
    id: str
    name: str = ""
    title: str | None = None
    webUrl: str = ""
    description: str | None = None


class PageList(_Model):
    value: list[PageItem]
    next_link: str | None = Field(default=None, alias="@odata.nextLink")


class Drive(_Model):
    id: str
    name: str = ""


class DriveList(_Model):
    value: list[Drive]


class SharePointIds(_Model):
    siteId: str = ""
    webId: str = ""
    listId: str = ""
    listItemUniqueId: str = ""


class DriveItem(_Model):
    id: str
    name: str
    webUrl: str = ""
    sharepointIds: SharePointIds = Field(default_factory=SharePointIds)


class DriveItems(_Model):
    value: list[DriveItem]


def parse_target(target: str) -> tuple[str, str]:
    """``SITE/Title`` -> (site address, title); the title is what follows the last ``/``."""
    site, sep, title = target.rpartition("/")
    site = site.strip().rstrip("/")
    if not sep or not site or not title.strip():
        raise ConfigError(
            "--publish sharepoint:SITE/Page title, SITE as host:/sites/path, a site id or "
            f"root (e.g. contoso.sharepoint.com:/sites/Intranet/Adoption report), not "
            f"sharepoint:{target}"
        )
    return site, title.strip()


def page_name(title: str) -> str:
    """The page's file name: the title's letters and digits joined by ``-``, plus ``.aspx``."""
    slug = "-".join(re.findall(r"\w+", title, flags=re.UNICODE))[:120]
    return f"{slug or 'report'}.aspx"


def page_html(markdown: str) -> str:
    """The report as the HTML a text web part holds (raw HTML in the Markdown is escaped)."""
    renderer = MarkdownIt("commonmark", {"html": False}).enable("table")
    return str(renderer.render(markdown))


def _quoted(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height from a PNG's header (``IHDR``)."""
    if png[:8] != b"\x89PNG\r\n\x1a\n" or len(png) < 24:
        return 0, 0
    width, height = struct.unpack(">II", png[16:24])
    return int(width), int(height)


def _part_id(name: str, part: str) -> str:
    """Stable web part ids, so an update replaces the same parts."""
    return str(uuid.uuid5(_NAMESPACE, f"{name}/{part}"))


_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?")
"""A time of day (the report's generation time): not part of what the page says."""


def fingerprint(title: str, html: str, charts: Sequence[Chart]) -> str:
    """What the page shows, so a rerun with the same figures writes nothing (the time the
    report was generated does not count)."""
    digest = hashlib.sha256(title.encode())
    digest.update(_MOMENT.sub("", html).encode())
    for chart in charts:
        digest.update(chart.id.encode() + hashlib.sha256(chart.png).digest())
    return digest.hexdigest()[:16]


def description(content: str) -> str:
    return f"Adoption report written by e20kit (content {content})"


def image_part(name: str, chart: Chart, item: DriveItem, path: str) -> dict[str, Any]:
    """An Image web part showing an uploaded chart, as Graph's create-page example has it."""
    width, height = png_size(chart.png)
    ids = item.sharepointIds
    where = {
        "siteid": ids.siteId,
        "webid": ids.webId,
        "listid": ids.listId,
        "uniqueid": ids.listItemUniqueId,
    }
    return {
        "@odata.type": "#microsoft.graph.standardWebPart",
        "id": _part_id(name, f"chart-{chart.id}"),
        "webPartType": IMAGE_WEB_PART,
        "data": {
            "dataVersion": "1.9",
            "description": "Show an image on your page",
            "title": "Image",
            "properties": {
                "imageSourceType": 2,
                "altText": chart.caption,
                "overlayText": "",
                **where,
                "imgWidth": width,
                "imgHeight": height,
                "fixAspectRatio": False,
                "captionText": chart.caption,
                "alignment": "Center",
            },
            "serverProcessedContent": {
                "imageSources": [{"key": "imageSource", "value": path}],
                "customMetadata": [
                    {
                        "key": "imageSource",
                        "value": {**where, "width": str(width), "height": str(height)},
                    }
                ],
            },
        },
    }


def canvas(name: str, html: str, images: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """One full-width section with the report's text, then the charts two by two."""
    sections: list[dict[str, Any]] = [
        {
            "layout": "oneColumn",
            "id": "1",
            "emphasis": "none",
            "columns": [
                {
                    "id": "1",
                    "width": 12,
                    "webparts": [
                        {
                            "@odata.type": "#microsoft.graph.textWebPart",
                            "id": _part_id(name, "text"),
                            "innerHtml": html,
                        }
                    ],
                }
            ],
        }
    ]
    for row, start in enumerate(range(0, len(images), 2), start=2):
        pair = images[start : start + 2]
        sections.append(
            {
                "layout": "twoColumns" if len(pair) == 2 else "oneColumn",
                "id": str(row),
                "emphasis": "none",
                "columns": [
                    {"id": str(i), "width": 12 // len(pair), "webparts": [part]}
                    for i, part in enumerate(pair, start=1)
                ],
            }
        )
    return {"horizontalSections": sections}


class SitePagePublisher:
    """Finds, creates or replaces, and publishes one page through the Graph client."""

    def __init__(self, client: GraphClient) -> None:
        self.client = client
        self.session = client.session

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        self.client.authorise()
        response = self.session.request(method, path, **kwargs)
        return json_or_error(
            response, connector=self.client.connector, secrets=self.session.secrets
        )

    def _parse(self, model: type[M], data: Any, path: str) -> M:
        endpoint = describe_endpoint(self.session.url(path), self.session.secrets)
        return parse_payload(
            model,
            data,
            connector=self.client.connector,
            endpoint=endpoint,
            secrets=self.session.secrets,
        )

    def site(self, address: str) -> Site:
        path = f"/sites/{address}"
        return self._parse(Site, self._json("GET", path, params={"$select": "id,webUrl"}), path)

    def find(self, site: Site, name: str) -> PageItem | None:
        path = f"/sites/{site.id}/pages/microsoft.graph.sitePage"
        params: dict[str, str] | None = {
            "$filter": f"name eq {_quoted(name)}",
            "$select": "id,name,title,webUrl,description",
        }
        url = path
        while True:
            page = self._parse(PageList, self._json("GET", url, params=params), path)
            found = next((p for p in page.value if p.name.lower() == name.lower()), None)
            if found is not None or not page.next_link:
                return found
            url, params = page.next_link, None

    def _assets_drive(self, site: Site) -> str:
        path = f"/sites/{site.id}/drives"
        drives = self._parse(
            DriveList, self._json("GET", path, params={"$select": "id,name"}), path
        )
        chosen = next((d for d in drives.value if d.name == ASSETS_LIBRARY), None)
        if chosen is None:  # no Site Assets library: the site's default one
            return str(self._parse(Drive, self._json("GET", f"/sites/{site.id}/drive"), path).id)
        return chosen.id

    def upload(self, site: Site, name: str, charts: Sequence[Chart]) -> list[dict[str, Any]]:
        """Upload the charts (replacing earlier ones) and return their Image web parts."""
        if not charts:
            return []
        drive = self._assets_drive(site)
        folder = f"{ASSETS_FOLDER}/{name.removesuffix('.aspx')}"
        for chart in charts:
            path = f"/drives/{drive}/root:/{folder}/{chart.id}.png:/content"
            self._parse(
                DriveItem,
                self._json("PUT", path, data=chart.png, headers={"Content-Type": "image/png"}),
                path,
            )
        path = f"/drives/{drive}/root:/{folder}:/children"
        items = self._parse(
            DriveItems,
            self._json("GET", path, params={"$select": "id,name,webUrl,sharepointIds"}),
            path,
        )
        by_name = {item.name: item for item in items.value}
        parts = []
        for chart in charts:
            item = by_name.get(f"{chart.id}.png")
            if item is not None:
                server_path = re.sub(r"^https?://[^/]+", "", item.webUrl)
                parts.append(image_part(name, chart, item, server_path))
        return parts

    def publish(self, request: PublishRequest) -> Published:
        address, title = parse_target(request.target)
        name = page_name(title)
        html = page_html(request.document)
        charts = request.charts
        mark = description(fingerprint(title, html, charts))
        site = self.site(address)
        existing = self.find(site, name)
        where = f"site {site.webUrl or site.id} page {name}"
        if existing is not None and existing.description == mark:
            return Published(
                "unchanged",
                f"{existing.webUrl or where} (id {existing.id})",
                html if request.dry_run else "",
                url=existing.webUrl,
            )
        if request.dry_run:
            action = "would create" if existing is None else "would update"
            shown = f"{where} with {len(charts)} chart(s)"
            return Published(action, shown, html, url=existing.webUrl if existing else "")
        images = self.upload(site, name, charts)
        body = {
            "@odata.type": "#microsoft.graph.sitePage",
            "title": title,
            "description": mark,
            "canvasLayout": canvas(name, html, images),
        }
        if existing is None:
            path = f"/sites/{site.id}/pages"
            created = {
                **body,
                "name": name,
                "pageLayout": "article",
                "showComments": False,
                "showRecommendedPages": False,
            }
            page = self._parse(PageItem, self._json("POST", path, json=created), path)
            action = "created"
        else:
            path = f"/sites/{site.id}/pages/{existing.id}/microsoft.graph.sitePage"
            answer = self._json("PATCH", path, json=body)
            page = existing if answer is None else self._parse(PageItem, answer, path)
            action = "updated"
        self._json("POST", f"/sites/{site.id}/pages/{page.id}/microsoft.graph.sitePage/publish")
        url = page.webUrl or (existing.webUrl if existing else "")
        return Published(action, f"{url or where} (id {page.id})", url=url)


def publish(context: PluginContext[Any], request: PublishRequest) -> Published:
    settings = context.settings
    if not isinstance(settings, SharePointSettings):  # the core hands the connector's settings
        raise ConfigError(f"--publish sharepoint needs a sharepoint connector, not {context.name}")
    graph = context.http(
        base_url=settings.graph_url, rate_policy=GraphRatePolicy(), allowed_methods=RETRIED
    )
    login = context.http()
    try:
        auth = GraphAuth(settings, login=login, graph=graph, name=context.name)
        return SitePagePublisher(GraphClient(graph, auth)).publish(request)
    except ConnectorAuthError as err:
        if err.context.get("status") != 403:
            raise
        raise PublishError(
            f"{err} - the app needs Sites.ReadWrite.All, or Sites.Selected with write granted "
            "on this site (docs/connectors/sharepoint.md)",
            connector="publish sharepoint",
            publisher="sharepoint",
        ) from None
    finally:
        graph.close()
        login.close()


SHAREPOINT_PAGE_PUBLISHER = Publisher(
    name="sharepoint",
    connector_type="sharepoint",
    publish=publish,
    charts=True,
    description=(
        "The Markdown report as a modern SharePoint page (text and chart images), updated in "
        "place and published."
    ),
    description_de=(
        "Der Markdown-Bericht als moderne SharePoint-Seite (Text und Diagramme als Bilder), an "
        "Ort und Stelle aktualisiert und veröffentlicht."
    ),
    data_sources=(
        DataSource(
            "POST/PATCH /sites/{site}/pages, POST .../microsoft.graph.sitePage/publish",
            "application permission Sites.ReadWrite.All, or Sites.Selected with write on the "
            "one site",
            "the report (aggregates only, through the disclosure rules) as a page everyone "
            "who can read the site reads",
            "Anwendungsberechtigung Sites.ReadWrite.All, oder Sites.Selected mit Schreibrecht "
            "auf der einen Website",
            "der Bericht (nur Summen, nach den Offenlegungsregeln) als Seite, die jeder mit "
            "Lesezugriff auf die Website liest",
        ),
        DataSource(
            "PUT /drives/{Site Assets}/root:/e20kit/{page}/{chart}.png:/content",
            "the same permission",
            "the report's charts (aggregates only) as PNG files in the site's Site Assets",
            "dieselbe Berechtigung",
            "die Diagramme des Berichts (nur Summen) als PNG-Dateien in den Websiteobjekten",
        ),
    ),
)

__all__ = [
    "SHAREPOINT_PAGE_PUBLISHER",
    "SitePagePublisher",
    "canvas",
    "page_html",
    "page_name",
    "parse_target",
    "publish",
]
