"""The Cloud fake answers what Atlassian's OpenAPI subsets say Confluence Cloud answers."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

import pytest
import requests
from e20kit_confluence.fake import CLOUD_API_TOKEN, CLOUD_EMAIL, ConfluenceFake
from openapi_schema_validator import OAS30Validator

from e20kit.sandbox import Org
from e20kit.testing import shared_path


@lru_cache(maxsize=2)
def _spec(name: str) -> dict[str, Any]:
    import json

    text = shared_path("specs", f"confluence-{name}-openapi-subset.json").read_text("utf-8")
    spec: dict[str, Any] = json.loads(text)
    return spec


def _check(response: requests.Response, spec: str, path: str) -> Any:
    assert response.status_code == 200, response.text
    document = _spec(spec)
    answer = document["paths"][path]["get"]["responses"]["200"]
    schema = answer["content"]["application/json"]["schema"]
    body = response.json()
    OAS30Validator({**schema, "components": document["components"]}).validate(body)
    return body


OUTSIDE_THE_SUBSETS = {
    # Cloud's experimental space watcher listing (getWatchersForSpace): not in the v1 subset of
    # ../shared/specs, so nothing here validates the fake's answer against it. Its shape follows
    # the v1 reference's SpaceWatchArray and is marked [unverified] in the docs; the mapping is
    # tested on its own in test_confluence_watchers.py. (Data Center's /space/{key}/watchers has
    # no public OpenAPI document at all, like every DC endpoint.)
    "/wiki/rest/api/space/{spaceKey}/watch": "v1",
}


@pytest.fixture
def cloud(org: Org) -> Iterator[ConfluenceFake]:
    with ConfluenceFake.from_org(org, cloud=True, hidden_emails=0.3) as fake:
        yield fake


@pytest.fixture
def api(cloud: ConfluenceFake) -> Iterator[requests.Session]:
    with requests.Session() as session:
        pair = base64.b64encode(f"{CLOUD_EMAIL}:{CLOUD_API_TOKEN}".encode()).decode()
        session.headers["Authorization"] = f"Basic {pair}"
        yield session


def test_v1_directory_and_search_match_the_spec(
    api: requests.Session, cloud: ConfluenceFake
) -> None:
    url = cloud.url
    _check(api.get(url + "/rest/api/user/current", timeout=5), "v1", "/wiki/rest/api/user/current")
    group = cloud.accounts.group_id
    members = _check(
        api.get(url + f"/rest/api/group/{group}/membersByGroupId", params={"limit": 5}, timeout=5),
        "v1",
        "/wiki/rest/api/group/{groupId}/membersByGroupId",
    )
    assert len(members["results"]) == 5 and members["_links"]["next"].startswith("/rest/api/")
    params = {
        "cql": 'type in (page,blogpost,comment) and lastmodified >= "2020-01-01 00:00"',
        "expand": "space,history,version,container.history",
        "limit": 25,
    }
    page = _check(
        api.get(url + "/rest/api/content/search", params=params, timeout=5),
        "v1",
        "/wiki/rest/api/content/search",
    )
    assert page["_links"]["base"] == url and "cursor=" in page["_links"]["next"]
    comments = [r for r in page["results"] if r["type"] == "comment"]
    assert all(c["container"]["history"]["createdBy"]["accountId"] for c in comments)
    following = _check(
        api.get(page["_links"]["base"] + page["_links"]["next"], timeout=5),
        "v1",
        "/wiki/rest/api/content/search",
    )
    assert {r["id"] for r in following["results"]}.isdisjoint(r["id"] for r in page["results"])


def test_v2_spaces_and_versions_match_the_spec(
    api: requests.Session, cloud: ConfluenceFake
) -> None:
    v2 = cloud.url + "/api/v2"
    spaces = api.get(v2 + "/spaces", params={"limit": 2}, timeout=5)
    body = _check(spaces, "v2", "/spaces")
    assert spaces.links["next"]["url"] == body["_links"]["next"]
    assert body["_links"]["next"].startswith("/wiki/api/v2/spaces?")
    page = next(c for c in cloud.data.content.values() if c.type == "page" and len(c.versions) > 2)
    versions = api.get(v2 + f"/pages/{page.id}/versions", params={"limit": 1}, timeout=5)
    first = _check(versions, "v2", "/pages/{id}/versions")
    assert first["results"][0]["number"] == len(page.versions)
    second = api.get(cloud.server.url + versions.links["next"]["url"], timeout=5)
    assert (
        _check(second, "v2", "/pages/{id}/versions")["results"][0]["number"]
        == len(page.versions) - 1
    )


def test_analytics_views_and_viewers_match_the_spec(
    api: requests.Session, cloud: ConfluenceFake
) -> None:
    page = max(cloud.data.content.values(), key=lambda c: len(c.views))
    assert page.views
    base = cloud.url + f"/rest/api/analytics/content/{page.id}"
    since = {"fromDate": "2000-01-01T00:00:00.000Z"}
    for tail in ("views", "viewers"):
        path = f"/wiki/rest/api/analytics/content/{{contentId}}/{tail}"
        body = _check(api.get(f"{base}/{tail}", params=since, timeout=5), "v1", path)
        assert body == {"id": int(page.id), "count": len(page.views)}
    later = {"fromDate": "2999-01-01T00:00:00.000Z"}
    assert api.get(base + "/views", params=later, timeout=5).json()["count"] == 0


@pytest.mark.parametrize("path", sorted(OUTSIDE_THE_SUBSETS))
def test_endpoints_outside_the_subsets_are_listed_not_pretended(path: str) -> None:
    # the fake's answer there follows the vendor's prose docs (docs/connectors/confluence.md,
    # [unverified]); once a subset gains the path, this fails: validate the answer against it
    assert path not in _spec(OUTSIDE_THE_SUBSETS[path])["paths"], f"{path} is in the subset now"
