"""The paging helpers against ``responses``: where each stops, and how each refuses a bad server."""

from __future__ import annotations

from typing import Any

import pytest
import responses
from responses import matchers

from e20kit import (
    ConnectorFatalError,
    ConnectorPayloadError,
    HttpSession,
    body_cursor_pages,
    link_header_pages,
    make_session,
    next_link_pages,
    offset_pages,
    page_number_pages,
)
from e20kit.http import HttpSettings
from e20kit.http.paging import join_link

HOST = "https://wiki.example.test"
TOKEN = "tok-paging-8086"


def session(base: str = HOST) -> HttpSession:
    return make_session("wiki", base_url=base, settings=HttpSettings(retries=0), secrets=[TOKEN])


def query(**params: Any) -> list[Any]:
    return [matchers.query_param_matcher({k: str(v) for k, v in params.items()})]


def results(body: Any) -> list[Any]:
    return body["results"]  # type: ignore[no-any-return]


# --- offset ---------------------------------------------------------------------------------


@responses.activate
def test_offset_pages_stop_at_a_short_page() -> None:
    url = f"{HOST}/rest/api/content"
    responses.get(url, json={"results": [1, 2]}, match=query(type="page", start=0, limit=2))
    responses.get(url, json={"results": [3, 4]}, match=query(type="page", start=2, limit=2))
    responses.get(url, json={"results": [5]}, match=query(type="page", start=4, limit=2))
    pages = list(
        offset_pages(
            session(), "/rest/api/content", items=results, limit=2, params={"type": "page"}
        )
    )
    assert [p.items for p in pages] == [[1, 2], [3, 4], [5]]
    assert [p.number for p in pages] == [0, 1, 2]
    assert pages[1].url == f"{url}?type=page&start=2&limit=2"


@responses.activate
def test_offset_pages_follow_a_limit_the_server_capped() -> None:
    url = f"{HOST}/watchers"
    # asked for 5, the server serves 2 a page and says so: a page of 2 is full, not the last
    responses.get(url, json={"results": [1, 2], "limit": 2}, match=query(start=0, limit=5))
    responses.get(url, json={"results": [3, 4], "limit": 2}, match=query(start=2, limit=5))
    responses.get(url, json={"results": [5], "limit": 2}, match=query(start=4, limit=5))
    served = offset_pages(
        session(), "/watchers", items=results, limit=5, served_limit=lambda b: b.get("limit")
    )
    assert [p.items for p in served] == [[1, 2], [3, 4], [5]]
    unread = offset_pages(session(), "/watchers", items=results, limit=5)
    assert [p.items for p in unread] == [[1, 2]]  # without it the cap looks like the end


@responses.activate
def test_offset_pages_stop_at_an_empty_page_with_custom_names() -> None:
    url = f"{HOST}/items"
    responses.get(url, json={"results": [1]}, match=query(offset=0, count=1))
    responses.get(url, json={"results": []}, match=query(offset=1, count=1))
    pages = offset_pages(
        session(), "/items", items=results, limit=1, offset_param="offset", limit_param="count"
    )
    assert [p.items for p in pages] == [[1], []]


@responses.activate
def test_max_pages_caps_a_listing_that_never_ends() -> None:
    responses.get(f"{HOST}/items", json={"results": [1]})
    pages = offset_pages(session(), "/items", items=results, limit=1, max_pages=3)
    with pytest.raises(ConnectorFatalError, match="more than 3 pages") as info:
        list(pages)
    assert len(responses.calls) == 3
    assert str(info.value).startswith(f"[wiki {HOST}/items?start=2&limit=1]")


@responses.activate
def test_a_body_without_the_items_is_a_payload_error() -> None:
    responses.get(f"{HOST}/items", json={"error": "nope"})
    with pytest.raises(ConnectorPayloadError, match=r"no items \(KeyError: 'results'\)"):
        list(offset_pages(session(), "/items", items=results, limit=5))
    responses.replace(responses.GET, f"{HOST}/items", json={"results": "abc"})
    with pytest.raises(ConnectorPayloadError, match="expected a list of items, got str"):
        list(offset_pages(session(), "/items", items=results, limit=5))


# --- page number ----------------------------------------------------------------------------


@responses.activate
def test_page_number_pages_count_from_first_and_stop_short() -> None:
    url = f"{HOST}/api/v4/users"
    responses.get(url, json=[{"id": 1}, {"id": 2}], match=query(active="true", page=1, per_page=2))
    responses.get(url, json=[{"id": 3}], match=query(active="true", page=2, per_page=2))
    pages = page_number_pages(
        session(), "/api/v4/users", items=lambda b: b, size=2, params={"active": "true"}, first=1
    )
    assert [[u["id"] for u in p.items] for p in pages] == [[1, 2], [3]]


@responses.activate
def test_page_number_pages_respect_max_pages() -> None:
    responses.get(f"{HOST}/api/v4/users", json=[{}, {}])
    pages = page_number_pages(
        session(), "/api/v4/users", items=lambda b: b, size=2, page_param="p", max_pages=2
    )
    with pytest.raises(ConnectorFatalError, match="more than 2 pages"):
        list(pages)


# --- cursor in the body ---------------------------------------------------------------------


def after_last(body: Any) -> dict[str, str] | None:
    if len(body) < 2:
        return None
    return {"from_id": body[-1]["id"]}


@responses.activate
def test_body_cursor_pages_merge_the_cursor_over_the_params() -> None:
    url = f"{HOST}/reports/users"
    responses.get(url, json=[{"id": "a"}, {"id": "b"}], match=query(size=2))
    responses.get(url, json=[{"id": "c"}, {"id": "d"}], match=query(size=2, from_id="b"))
    responses.get(url, json=[], match=query(size=2, from_id="d"))
    pages = body_cursor_pages(
        session(), "/reports/users", next_params=after_last, items=lambda b: b, params={"size": 2}
    )
    assert [len(p.items) for p in pages] == [2, 2, 0]


@responses.activate
def test_a_repeated_cursor_is_a_payload_error() -> None:
    responses.get(f"{HOST}/reports/users", json=[{"id": "a"}, {"id": "b"}])
    pages = body_cursor_pages(session(), "/reports/users", next_params=after_last)
    with pytest.raises(ConnectorPayloadError, match="repeated a cursor") as info:
        list(pages)
    assert len(responses.calls) == 2
    assert str(info.value).startswith(f"[wiki {HOST}/reports/users?from_id=b]")


@responses.activate
def test_a_cursor_the_reader_cannot_find_is_a_payload_error() -> None:
    responses.get(f"{HOST}/r", json={"next": None, "items": [1]})
    with pytest.raises(ConnectorPayloadError, match="no next cursor"):
        list(body_cursor_pages(session(), "/r", next_params=lambda b: {"c": b["cursor"]}))


# --- Link header ----------------------------------------------------------------------------


@responses.activate
def test_link_header_pages_follow_relative_and_absolute_links() -> None:
    base = f"{HOST}/wiki"
    first = f"{HOST}/wiki/api/v2/pages"
    responses.get(
        first,
        json={"results": [1]},
        headers={"Link": '</wiki/api/v2/pages?cursor=A>; rel="next"'},
        match=query(limit=1),
    )
    responses.get(
        first,
        json={"results": [2]},
        headers={"Link": f'<{HOST}/wiki/api/v2/pages?cursor=B>; rel="prev next"'},
        match=query(cursor="A"),
    )
    responses.get(first, json={"results": [3]}, match=query(cursor="B"))
    pages = list(
        link_header_pages(session(base), "/api/v2/pages", items=results, params={"limit": 1})
    )
    assert [p.items for p in pages] == [[1], [2], [3]]
    assert pages[1].url == f"{HOST}/wiki/api/v2/pages?cursor=A"  # no /wiki/wiki


@responses.activate
def test_a_repeated_link_is_a_payload_error() -> None:
    responses.get(
        f"{HOST}/api/v2/pages", json={}, headers={"Link": '</api/v2/pages?cursor=A>; rel="next"'}
    )
    with pytest.raises(ConnectorPayloadError, match="repeated a next link"):
        list(link_header_pages(session(), "/api/v2/pages"))
    assert len(responses.calls) == 2


@responses.activate
def test_a_link_to_another_host_is_refused() -> None:
    responses.get(
        f"{HOST}/api/v2/pages",
        json={},
        headers={"Link": f'<https://evil.test/steal?access_token={TOKEN}>; rel="next"'},
    )
    with pytest.raises(ConnectorPayloadError, match="another host") as info:
        list(link_header_pages(session(), "/api/v2/pages"))
    assert TOKEN not in str(info.value)
    assert len(responses.calls) == 1


# --- next link in the body ------------------------------------------------------------------


def links(next_path: str | None) -> dict[str, Any]:
    return {"_links": {"base": f"{HOST}/confluence", "context": "/confluence", "next": next_path}}


@responses.activate
def test_relative_next_links_keep_the_confluence_context_path() -> None:
    url = f"{HOST}/confluence/rest/api/space/ds/content/page"
    responses.get(
        url,
        json={"results": [1], **links("/rest/api/space/ds/content/page?limit=1&start=1")},
        match=query(limit=1),
    )
    responses.get(url, json={"results": [2], **links(None)}, match=query(limit=1, start=1))
    pages = list(
        next_link_pages(
            session(f"{HOST}/confluence"),
            "/rest/api/space/ds/content/page",
            next_link=lambda b: b["_links"].get("next"),
            base=lambda b: b["_links"]["base"],
            items=results,
            params={"limit": 1},
        )
    )
    assert [p.items for p in pages] == [[1], [2]]
    assert pages[1].url == f"{url}?limit=1&start=1"


@responses.activate
def test_graph_odata_next_link_is_followed_as_it_is() -> None:
    graph = "https://graph.example.test/v1.0"
    next_url = f"{graph}/users?$top=1&$skiptoken=X%27445%27"
    responses.get(f"{graph}/users", json={"value": [1], "@odata.nextLink": next_url})
    responses.get(next_url, json={"value": [2]}, match=query(**{"$top": 1, "$skiptoken": "X'445'"}))
    pages = list(
        next_link_pages(
            session(graph),
            "/users",
            next_link=lambda b: b.get("@odata.nextLink"),
            items=lambda b: b["value"],
        )
    )
    assert [p.items for p in pages] == [[1], [2]]


@responses.activate
def test_a_repeated_next_link_or_a_non_string_is_a_payload_error() -> None:
    responses.get(f"{HOST}/list", json={"next": "/list"})
    with pytest.raises(ConnectorPayloadError, match="repeated a next link"):
        list(next_link_pages(session(), "/list", next_link=lambda b: b["next"]))
    responses.replace(responses.GET, f"{HOST}/list", json={"next": {"href": "/x"}})
    with pytest.raises(ConnectorPayloadError, match="not a string"):
        list(next_link_pages(session(), "/list", next_link=lambda b: b["next"]))


@pytest.mark.parametrize(
    ("link", "base", "expected"),
    [
        ("/rest/api/x?start=5", f"{HOST}/confluence", f"{HOST}/confluence/rest/api/x?start=5"),
        ("/rest/api/x", f"{HOST}/confluence/", f"{HOST}/confluence/rest/api/x"),
        ("/wiki/api/v2/pages?cursor=A", f"{HOST}/wiki", f"{HOST}/wiki/api/v2/pages?cursor=A"),
        ("/rest/api/x", HOST, f"{HOST}/rest/api/x"),
        ("/rest/api/x", None, f"{HOST}/rest/api/x"),
        ("content?start=5", None, f"{HOST}/confluence/rest/api/content?start=5"),
        ("https://other.test/a", f"{HOST}/confluence", "https://other.test/a"),
    ],
)
def test_join_link(link: str, base: str | None, expected: str) -> None:
    current = f"{HOST}/confluence/rest/api/space?limit=1"
    assert join_link(link, base=base, current=current) == expected
