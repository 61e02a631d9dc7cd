"""atlassian-python-api itself drives the fake, and meets the traps the spec describes."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from atlassian import Confluence
from e20kit_confluence.fake import DC_PASSWORD, DC_TOKEN, DC_USERNAME, ConfluenceFake
from requests import HTTPError

from e20kit.sandbox import Org


@pytest.fixture(params=["", "/confluence"], ids=["root", "context"])
def dc(org: Org, request: pytest.FixtureRequest) -> Iterator[ConfluenceFake]:
    with ConfluenceFake.from_org(org, cloud=False, context=request.param) as fake:
        yield fake


def _edited(fake: ConfluenceFake, versions: int) -> str:
    return next(
        c.id for c in fake.data.content.values() if c.type == "page" and len(c.versions) >= versions
    )


def test_the_library_reads_spaces_groups_and_versions(dc: ConfluenceFake) -> None:
    lib = Confluence(url=dc.url, token=DC_TOKEN)
    assert type(lib._impl).__name__ == "Server"  # a loopback URL gets the Server class
    spaces = lib.get_all_spaces(limit=500)
    assert {s["key"] for s in spaces["results"]} == set(dc.data.spaces)
    assert spaces["limit"] == 200  # capped, as the server does
    members = lib.get_group_members("confluence-users", limit=200)
    active = [u for u in dc.data.users.values() if u.active and u.key != dc.accounts.admin]
    assert {m["userKey"] for m in members["results"]} == {u.key for u in active}
    page = _edited(dc, 2)
    versions = lib.get_all_page_versions(page, limit=200)
    assert [v["number"] for v in versions] == [
        v.number for v in reversed(dc.data.content[page].versions)
    ]


def test_basic_auth_works_and_a_wrong_password_is_401(dc: ConfluenceFake) -> None:
    good = Confluence(url=dc.url, username=DC_USERNAME, password=DC_PASSWORD)
    assert good.get("rest/api/user/current")["username"] == DC_USERNAME
    bad = Confluence(url=dc.url, username=DC_USERNAME, password="nope")
    with pytest.raises(HTTPError) as caught:
        bad.get("rest/api/user/current")
    assert caught.value.response.status_code == 401


def test_the_library_pages_version_lists_only_without_a_context_path(dc: ConfluenceFake) -> None:
    """Its paging joins ``_links.next`` to the host, dropping the context path (spec §5.5)."""
    lib = Confluence(url=dc.url, token=DC_TOKEN)
    page = _edited(dc, 3)
    expected = len(dc.data.content[page].versions)
    if not dc.api.context:
        assert len(list(lib.iter_page_versions(page, limit=1))) == expected
        return
    with pytest.raises(HTTPError) as caught:
        list(lib.iter_page_versions(page, limit=1))
    assert caught.value.response.status_code == 404
    lost = dc.server.requests[-1]
    assert not lost.path.startswith("/confluence") and lost.path.endswith("/version")
