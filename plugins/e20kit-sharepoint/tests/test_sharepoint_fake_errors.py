"""The fake answers errors in Graph's documented shape on every endpoint: the users and reports
endpoints and the SharePoint pages and libraries alike (they once built two different bodies)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from e20kit_sharepoint.fake.graph import DownloadHost
from e20kit_sharepoint.fake.pages import SitePages

from e20kit.sandbox import Request, Response


def _error(response: Response) -> dict[str, Any]:
    body = json.loads(response.body)
    assert set(body) == {"error"}
    error: dict[str, Any] = body["error"]
    return error


def test_pages_and_graph_errors_share_graphs_error_shape() -> None:
    page = SitePages()(Request("GET", "/v1.0/sites/elsewhere.example:/sites/none"))
    download = DownloadHost()(Request("GET", "/data/download/expired"))
    assert (page.status, download.status) == (404, 404)
    for error in (_error(page), _error(download)):
        assert set(error) == {"code", "message", "innerError"}
        assert set(error["innerError"]) == {"date", "request-id"}
        dt.datetime.strptime(error["innerError"]["date"], "%Y-%m-%dT%H:%M:%S")
    assert _error(page)["code"] == "itemNotFound"
    assert _error(page)["message"] == "Requested site could not be found"
    assert _error(download)["code"] == "NotFound"
