"""The fake's SharePoint pages and site libraries: what the page publisher calls.

``GET /sites/{address}`` (``root``, ``host:/sites/path`` or an id), the site pages list
(``GET .../pages`` and ``.../pages/microsoft.graph.sitePage`` with ``$filter=name eq '…'``),
``POST .../pages`` (a sitePage; only the web parts Graph lets a page be created with, a name
already taken is 409), ``PATCH .../pages/{id}/microsoft.graph.sitePage`` (the whole canvas),
``POST .../microsoft.graph.sitePage/publish`` (204), the site's libraries (``GET /drives``,
``/drive``) and simple upload into them (``PUT /drives/{id}/root:/{path}:/content``) with the
folder's children listed with their ``sharepointIds``. :meth:`SitePages.fail_next` scripts
faults (a 429 with ``Retry-After``, a 5xx, an answer of the wrong shape) for the next matching
requests.
"""

from __future__ import annotations

import itertools
import re
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from e20kit.sandbox import Request, Response

from .errors import graph_error

SITE_HOST = "contoso.sharepoint.com"
SITE_PATH = "/sites/intranet"
SUPPORTED_PARTS = frozenset(
    {
        "e377ea37-9047-43b9-8cdb-a761be2f8e09",
        "0f087d7f-520e-42b7-89c0-496aaf979d58",
        "df8e44e7-edd5-46d5-90da-aca1539313b8",
        "2161a1c6-db61-4731-b97c-3cdb303f7cbb",
        "b7dd04e1-19ce-4b24-9132-b60a1c2b910d",
        "d1d91016-032f-456d-98a4-721247c305e8",
        "af8be689-990e-492a-81f7-ba3e4cd3ed9c",
        "6410b3b6-d440-4663-8744-378976dc041e",
        "e84a8ca2-f63c-4fb9-bc0b-d8eef5ccb22b",
        "7f718435-ee4d-431c-bdbf-9c4ff326f46e",
        "c70391ea-0b10-4ee9-b2b4-006d3fcad0cd",
        "8654b779-4886-46d4-8ffb-b5ed960ee986",
        "544dd15b-cf3c-441b-96da-004d5a8cea1d",
        "cbe7b0a9-3504-44dd-a3a3-0e5cacd07788",
    }
)
"""The standard web parts Graph's create/update page documentation lists as supported."""
MAX_SIMPLE_UPLOAD = 250 * 1024 * 1024

_SITE = re.compile(r"/v1\.0/sites/(?P<site>root|[^/,]+,[^/,]+,[^/,]+|[^/:]+:/[^:]*?):?\Z")
"""A site by ``root``, its id (``host,site-guid,web-guid``) or ``host:/path`` (nothing else, so
other ``/sites/…`` calls stay the router's)."""
_PAGES = re.compile(r"/v1\.0/sites/(?P<site>[^/]+)/pages(?P<cast>/microsoft\.graph\.sitePage)?\Z")
_PAGE = re.compile(r"/v1\.0/sites/(?P<site>[^/]+)/pages/(?P<page>[^/]+)/microsoft\.graph\.sitePage")
_PUBLISH = re.compile(_PAGE.pattern + r"/publish\Z")
_PATCH = re.compile(_PAGE.pattern + r"\Z")
_DRIVES = re.compile(r"/v1\.0/sites/(?P<site>[^/]+)/drives?\Z")
_UPLOAD = re.compile(r"/v1\.0/drives/(?P<drive>[^/]+)/root:/(?P<path>.+):/content\Z")
_CHILDREN = re.compile(r"/v1\.0/drives/(?P<drive>[^/]+)/root:/(?P<path>.+):/children\Z")
_NAME_FILTER = re.compile(r"name eq '(?P<name>(?:[^']|'')*)'\Z")


@dataclass
class Library:
    id: str
    name: str
    list_id: str
    folder: str
    files: dict[str, bytes] = field(default_factory=dict)
    item_ids: dict[str, str] = field(default_factory=dict)


@dataclass
class Scripted:
    method: str
    pattern: re.Pattern[str]
    response: Response
    times: int


class SitePages:
    """One site with its pages list and two libraries (Documents, Site Assets)."""

    def __init__(self, host: str = SITE_HOST, path: str = SITE_PATH) -> None:
        self.host = host
        self.path = path
        self.site_id = f"{host},{uuid.uuid4()},{uuid.uuid4()}"
        self.web_id = self.site_id.split(",")[2]
        self.base = ""
        self.web_url = f"https://{host}{path}"
        self.pages: dict[str, dict[str, Any]] = {}
        self.published: list[tuple[str, int]] = []
        """(page id, its version) at each publish call."""
        self.requests: list[tuple[str, str]] = []
        self.libraries = {
            lib.id: lib
            for lib in (
                Library(
                    f"b!{uuid.uuid4().hex}", "Documents", str(uuid.uuid4()), "Shared Documents"
                ),
                Library(f"b!{uuid.uuid4().hex}", "Site Assets", str(uuid.uuid4()), "SiteAssets"),
            )
        }
        self._ids = itertools.count(1)
        self._script: list[Scripted] = []
        self.lock = threading.Lock()

    # -- faults ----------------------------------------------------------------------------

    def fail_next(self, method: str, path: str, response: Response, times: int = 1) -> None:
        """Answer the next ``times`` requests of ``method`` whose path matches the regular
        expression ``path`` with ``response`` instead."""
        with self.lock:
            self._script.append(Scripted(method.upper(), re.compile(path), response, times))

    def _scripted(self, request: Request) -> Response | None:
        with self.lock:
            for entry in self._script:
                if entry.method == request.method.upper() and entry.pattern.search(request.path):
                    entry.times -= 1
                    if entry.times <= 0:
                        self._script.remove(entry)
                    return entry.response
        return None

    # -- dispatch --------------------------------------------------------------------------

    def handles(self, request: Request) -> bool:
        """Whether the path is one of these endpoints (the rest of Graph is the router's)."""
        patterns = (_PUBLISH, _PATCH, _PAGES, _DRIVES, _UPLOAD, _CHILDREN, _SITE)
        return any(p.match(request.path) for p in patterns)

    def __call__(self, request: Request) -> Response:
        with self.lock:
            self.requests.append((request.method, request.path))
        scripted = self._scripted(request)
        if scripted is not None:
            return scripted
        routes: list[tuple[str, re.Pattern[str], Callable[..., Response]]] = [
            ("POST", _PUBLISH, self._publish),
            ("PATCH", _PATCH, self._update),
            ("GET", _PAGES, self._list),
            ("POST", _PAGES, self._create),
            ("GET", _DRIVES, self._drives),
            ("PUT", _UPLOAD, self._upload),
            ("GET", _CHILDREN, self._children),
            ("GET", _SITE, self._site),
        ]
        for method, pattern, handler in routes:
            match = pattern.match(request.path)
            if match is not None and request.method.upper() == method:
                return handler(request, **match.groupdict())
        return graph_error(
            400, "BadRequest", f"Resource not found for the segment {request.path!r}."
        )

    def _known(self, site: str) -> bool:
        """The site's id, ``root``, or host and path (SharePoint ignores their case)."""
        return site in (self.site_id, "root") or site.lower() == f"{self.host}:{self.path}".lower()

    def _site(self, request: Request, site: str) -> Response:
        if not self._known(site.rstrip(":")):
            return graph_error(404, "itemNotFound", "Requested site could not be found")
        body = {"id": self.site_id, "webUrl": self.web_url, "name": self.path.rsplit("/", 1)[-1]}
        return Response.json(body)

    # -- pages -----------------------------------------------------------------------------

    def _resource(self, page: dict[str, Any]) -> dict[str, Any]:
        out = {k: v for k, v in page.items() if k != "canvasLayout" and not k.startswith("_")}
        return {"@odata.type": "#microsoft.graph.sitePage", **out}

    def _list(self, request: Request, site: str, cast: str | None) -> Response:
        if not self._known(site):
            return graph_error(404, "itemNotFound", "Requested site could not be found")
        with self.lock:
            pages = sorted(self.pages.values(), key=lambda p: str(p["name"]))
        wanted = request.arg("$filter")
        if wanted:
            match = _NAME_FILTER.match(wanted.strip())
            if match is None:
                return graph_error(400, "BadRequest", "the fake filters on name eq '...' only")
            name = match["name"].replace("''", "'").lower()
            pages = [p for p in pages if str(p["name"]).lower() == name]
        return Response.json({"value": [self._resource(p) for p in pages]})

    def _check(self, body: Any) -> str | None:
        """Why Graph would refuse this sitePage body, or ``None``."""
        if not isinstance(body, dict) or body.get("@odata.type") != "#microsoft.graph.sitePage":
            return "The request body must include @odata.type #microsoft.graph.sitePage"
        layout = body.get("canvasLayout")
        if layout is None:
            return None
        sections = layout.get("horizontalSections") if isinstance(layout, dict) else None
        if not isinstance(sections, list):
            return "canvasLayout.horizontalSections must be a list"
        for section in sections:
            for column in section.get("columns", []) if isinstance(section, dict) else [None]:
                if not isinstance(column, dict):
                    return "a section's columns must be objects"
                for part in column.get("webparts", []):
                    if not isinstance(part, dict) or not part.get("id"):
                        return "every web part needs an id"
                    kind = part.get("webPartType")
                    if kind is None and not isinstance(part.get("innerHtml"), str):
                        return "a text web part needs innerHtml"
                    if kind is not None and kind not in SUPPORTED_PARTS:
                        return f"web part type {kind} is not supported"
        return None

    def _create(self, request: Request, site: str, cast: str | None) -> Response:
        if not self._known(site):
            return graph_error(404, "itemNotFound", "Requested site could not be found")
        body = request.json()
        problem = self._check(body)
        if problem or not body.get("name") or not body.get("title"):
            return graph_error(400, "invalidRequest", problem or "name and title are required")
        name = str(body["name"])
        with self.lock:
            if any(str(p["name"]).lower() == name.lower() for p in self.pages.values()):
                return graph_error(409, "nameAlreadyExists", f"A page named {name} already exists")
            page_id = str(uuid.uuid4())
            page = {
                **{k: v for k, v in body.items() if k != "@odata.type"},
                "id": page_id,
                "webUrl": f"{self.web_url}/SitePages/{name}",
                "publishingState": {"level": "checkout", "versionId": "0.1"},
                "_version": 1,
            }
            self.pages[page_id] = page
        return Response.json(self._resource(page), 201)

    def _update(self, request: Request, site: str, page: str) -> Response:
        body = request.json()
        problem = self._check(body)
        if problem:
            return graph_error(400, "invalidRequest", problem)
        with self.lock:
            current = self.pages.get(page)
            if current is None or not self._known(site):
                return graph_error(404, "itemNotFound", "The page could not be found")
            for key in ("title", "description", "canvasLayout", "titleArea", "showComments"):
                if key in body:
                    current[key] = body[key]
            current["_version"] += 1
            current["publishingState"] = {"level": "checkout", "versionId": "0.1"}
            answer = self._resource(current)
        return Response.json(answer)

    def _publish(self, request: Request, site: str, page: str) -> Response:
        with self.lock:
            current = self.pages.get(page)
            if current is None or not self._known(site):
                return graph_error(404, "itemNotFound", "The page could not be found")
            current["publishingState"] = {"level": "published", "versionId": "1.0"}
            self.published.append((page, int(current["_version"])))
        return Response(204, b"")

    def page(self, name: str) -> dict[str, Any] | None:
        """The stored page named ``name`` (canvas included), for tests."""
        with self.lock:
            return next((p for p in self.pages.values() if p["name"] == name), None)

    # -- libraries -------------------------------------------------------------------------

    def _drive(self, lib: Library) -> dict[str, Any]:
        return {"id": lib.id, "name": lib.name, "webUrl": f"{self.web_url}/{lib.folder}"}

    def _drives(self, request: Request, site: str) -> Response:
        if not self._known(site):
            return graph_error(404, "itemNotFound", "Requested site could not be found")
        if request.path.endswith("/drive"):
            return Response.json(self._drive(next(iter(self.libraries.values()))))
        return Response.json({"value": [self._drive(lib) for lib in self.libraries.values()]})

    def _item(self, lib: Library, path: str) -> dict[str, Any]:
        name = path.rsplit("/", 1)[-1]
        return {
            "id": lib.item_ids[path],
            "name": name,
            "size": len(lib.files[path]),
            "webUrl": f"{self.web_url}/{lib.folder}/{path}",
            "file": {"mimeType": "image/png" if name.endswith(".png") else "application/octet"},
            "sharepointIds": {
                "siteId": self.site_id.split(",")[1],
                "webId": self.web_id,
                "listId": lib.list_id,
                "listItemUniqueId": lib.item_ids[path],
            },
        }

    def _upload(self, request: Request, drive: str, path: str) -> Response:
        lib = self.libraries.get(drive)
        if lib is None:
            return graph_error(404, "itemNotFound", "The drive could not be found")
        if len(request.body) > MAX_SIMPLE_UPLOAD:
            return graph_error(413, "requestTooLarge", "Use an upload session for files this large")
        with self.lock:
            created = path not in lib.files
            lib.files[path] = request.body
            lib.item_ids.setdefault(path, str(uuid.uuid4()))
            item = self._item(lib, path)
        return Response.json(item, 201 if created else 200)

    def _children(self, request: Request, drive: str, path: str) -> Response:
        lib = self.libraries.get(drive)
        if lib is None:
            return graph_error(404, "itemNotFound", "The drive could not be found")
        folder = path.strip("/") + "/"
        with self.lock:
            found = [
                self._item(lib, p)
                for p in sorted(lib.files)
                if p.startswith(folder) and "/" not in p[len(folder) :]
            ]
        if not found:
            return graph_error(404, "itemNotFound", "The resource could not be found")
        return Response.json({"value": found})

    def assets(self) -> dict[str, bytes]:
        """Every file in Site Assets by path, for tests."""
        lib = next(lib for lib in self.libraries.values() if lib.name == "Site Assets")
        with self.lock:
            return dict(lib.files)


__all__ = ["SITE_HOST", "SITE_PATH", "SUPPORTED_PARTS", "SitePages"]
