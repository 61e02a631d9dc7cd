"""The client against ``responses`` mocks: recorded Confluence Server pages, v1 links relative
to ``_links.base`` (context path kept), v2 ``Link`` cursors, malformed bodies, a bad token."""

from __future__ import annotations

import json
from typing import Any

import pytest
import responses
from e20kit_confluence import ConfluenceClient, ConfluenceSettings
from pydantic import BaseModel

from e20kit import ConnectorAuthError, ConnectorFatalError, make_session
from e20kit.http import ConnectorPayloadError
from e20kit.testing import shared_path

TOKEN = "pat-secret-123"


class Ref(BaseModel):
    id: str
    type: str


def _recorded(name: str) -> Any:
    path = shared_path("data", "perceval-recorded-payloads", "confluence", name)
    return json.loads(path.read_text(encoding="utf-8"))


def _client(url: str, **extra: Any) -> ConfluenceClient:
    if extra.get("deployment") == "cloud":
        table = {"url": url, "email": "bot@example.org", "api_token": TOKEN, "groups": ["g"]}
    else:
        table = {"deployment": "datacenter", "url": url, "token": TOKEN}
    settings = ConfluenceSettings.model_validate({**table, **extra})
    session = make_session("wiki", base_url=settings.url, secrets=(TOKEN,))
    return ConfluenceClient(session, settings, connector="wiki")


@responses.activate
def test_recorded_search_pages_are_followed_through_links_next() -> None:
    first = _recorded("confluence_contents.json")
    # recorded from http://example.com; the site is configured with https here
    first["_links"]["base"] = "https://example.com"
    responses.get("https://example.com/rest/api/content/search", json=first)
    following = "https://example.com" + first["_links"]["next"]
    responses.get(following.split("?")[0], json=_recorded("confluence_contents_next.json"))
    client = _client("https://example.com")
    items = list(client.pages("rest/api/content/search", Ref, {"cql": "type=page", "limit": 2}))
    assert [(i.id, i.type) for i in items] == [("1", "page"), ("2", "page"), ("att1", "attachment")]
    second = responses.calls[1].request
    assert "start=2" in str(second.url) and second.headers["Authorization"] == f"Bearer {TOKEN}"


@responses.activate
def test_a_next_link_to_another_origin_is_refused() -> None:
    """The recorded base says http://: following it would send the token in clear text."""
    responses.get(
        "https://example.com/rest/api/content/search", json=_recorded("confluence_contents.json")
    )
    with pytest.raises(ConnectorPayloadError, match="another host"):
        list(_client("https://example.com").pages("rest/api/content/search", Ref))
    assert len(responses.calls) == 1


@responses.activate
def test_an_empty_recorded_page_ends_the_listing() -> None:
    responses.get(
        "https://example.com/rest/api/content/search",
        json=_recorded("confluence_contents_empty.json"),
    )
    assert list(_client("https://example.com").pages("rest/api/content/search", Ref)) == []


@responses.activate
def test_v1_next_links_keep_the_context_path() -> None:
    base = "https://wiki.example.org/confluence"
    page = {
        "results": [{"id": "1", "type": "page"}],
        "_links": {"base": base, "context": "/confluence", "next": "/rest/api/space?start=1"},
    }
    responses.get(base + "/rest/api/space", json=page)
    responses.get(base + "/rest/api/space", json={"results": [{"id": "2", "type": "page"}]})
    found = list(_client(base).pages("rest/api/space", Ref))
    assert [i.id for i in found] == ["1", "2"]
    assert responses.calls[1].request.url == base + "/rest/api/space?start=1"


@responses.activate
def test_v2_link_cursors_are_joined_to_the_origin_not_doubling_wiki() -> None:
    base = "https://example.atlassian.net/wiki"
    link = '</wiki/api/v2/pages/7/versions?cursor=abc&limit=250>; rel="next"'
    first = {"results": [{"number": 2, "createdAt": "2026-10-02T10:00:00.000Z", "authorId": "a"}]}
    responses.get(base + "/api/v2/pages/7/versions", json=first, headers={"Link": link})
    last = {"results": [{"number": 1, "createdAt": "2026-10-01T10:00:00.000Z", "authorId": "b"}]}
    responses.get(base + "/api/v2/pages/7/versions", json=last)
    client = _client(base, deployment="cloud")
    from e20kit_confluence.payloads import Content

    page = Content.model_validate(
        {"id": "7", "type": "page", "version": {"number": 2, "when": "2026-10-02T10:00:00Z"}}
    )
    rows = client.versions(page)
    assert [(n, who) for n, who, _ in rows] == [(2, "a"), (1, "b")]
    assert responses.calls[1].request.url == base + "/api/v2/pages/7/versions?cursor=abc&limit=250"


@responses.activate
def test_a_search_without_the_expansions_is_a_clear_payload_error() -> None:
    responses.get(
        "https://example.com/rest/api/content/search", json=_recorded("confluence_contents.json")
    )
    with pytest.raises(ConnectorFatalError) as caught:
        list(_client("https://example.com").search("type=page"))
    message = str(caught.value)
    assert "wiki" in message and "results.0.version" in message and "/content/search" in message


@responses.activate
def test_a_repeated_next_link_is_an_error_not_a_loop() -> None:
    page = {
        "results": [{"id": "1", "type": "page"}],
        "_links": {"base": "https://example.com", "next": "/rest/api/space?start=1"},
    }
    responses.get("https://example.com/rest/api/space", json=page)
    with pytest.raises(ConnectorPayloadError, match="repeated"):
        list(_client("https://example.com").pages("rest/api/space", Ref))


@responses.activate
def test_a_rejected_token_names_connector_and_url_but_not_the_token() -> None:
    responses.get(
        "https://example.com/rest/api/user/current",
        json={"statusCode": 401, "message": "Client must be authenticated"},
        status=401,
    )
    with pytest.raises(ConnectorAuthError) as caught:
        _client("https://example.com").current_user()
    message = str(caught.value)
    assert "wiki" in message and "example.com/rest/api/user/current" in message
    assert TOKEN not in message


@responses.activate
def test_versions_of_content_deleted_since_the_search_are_reported_as_gone() -> None:
    from e20kit_confluence.client import ContentGone
    from e20kit_confluence.payloads import Content

    responses.get("https://example.com/rest/api/content/9/version", status=404, json={})
    page = Content.model_validate(
        {"id": "9", "type": "page", "version": {"number": 3, "when": "2026-10-02T10:00:00Z"}}
    )
    with pytest.raises(ContentGone):
        _client("https://example.com").versions(page)
