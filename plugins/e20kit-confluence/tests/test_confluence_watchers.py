"""Who watches which space: the payloads of both deployments, offset paging, the optional stream.

Neither listing is in the OpenAPI subsets the fake is checked against: the mapping is tested on
payloads shaped as Atlassian's references show them (Cloud ``SpaceWatchArray``, DC's paged
users), and end to end against the fake for Cloud and Data Center.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import responses
from confluence_testkit import KitFactory, attributes_by_person, rows
from e20kit_confluence import ConfluenceClient, ConfluenceSettings
from e20kit_confluence.checks import CHECKS, AtLeast
from e20kit_confluence.fake import ConfluenceFake
from e20kit_confluence.payloads import User

from e20kit import ConnectorAuthError, make_session
from e20kit.http import ConnectorPayloadError
from e20kit.sandbox import Org
from e20kit.testing import FakeCheckContext

TOKEN = "pat-secret-123"
CLOUD = "https://example.atlassian.net/wiki"
DC = "https://wiki.example.org/confluence"


def _client(url: str, *, cloud: bool, page_size: int = 200) -> ConfluenceClient:
    table: dict[str, Any]
    if cloud:
        table = {"url": url, "email": "bot@example.org", "api_token": TOKEN, "groups": ["g"]}
        table["deployment"] = "cloud"
    else:
        table = {"deployment": "datacenter", "url": url, "token": TOKEN}
    settings = ConfluenceSettings.model_validate({**table, "member_page_size": page_size})
    session = make_session("wiki", base_url=settings.url, secrets=(TOKEN,))
    return ConfluenceClient(session, settings, connector="wiki")


def _cloud_watch(account: str, name: str) -> dict[str, Any]:
    """One ``SpaceWatch`` as the Cloud v1 reference describes it."""
    return {
        "type": "space",
        "spaceKey": "ENG",
        "watcher": {
            "type": "known",
            "accountId": account,
            "accountType": "atlassian",
            "email": "",
            "publicName": name,
            "displayName": name,
            "profilePicture": {"path": "/x.png", "width": 48, "height": 48, "isDefault": False},
            "isExternalCollaborator": False,
            "operations": None,
        },
    }


def _dc_user(key: str, username: str) -> dict[str, Any]:
    """One user of DC's ``/space/{key}/watchers`` as its reference example shows it."""
    return {
        "profilePicture": {"path": "/x.png", "width": 16, "height": 16, "isDefault": True},
        "displayName": username.title(),
        "username": username,
        "userKey": key,
    }


@responses.activate
def test_cloud_space_watch_entries_map_to_their_watchers() -> None:
    body = {
        "results": [_cloud_watch("557058:a", "Ann"), _cloud_watch("557058:b", "Bo")],
        "start": 0,
        "limit": 200,
        "size": 2,
        "_links": {"base": CLOUD, "context": "/wiki"},
    }
    responses.get(CLOUD + "/rest/api/space/ENG/watch", json=body)
    found = list(_client(CLOUD, cloud=True).space_watchers("ENG"))
    assert [(u.person_id, u.display_name) for u in found] == [
        ("557058:a", "Ann"),
        ("557058:b", "Bo"),
    ]
    assert len(responses.calls) == 1
    assert "start=0" in str(responses.calls[0].request.url)


@responses.activate
def test_dc_watchers_are_users_keyed_by_user_key_and_paged_by_offset() -> None:
    # the server caps the limit asked (200) at 2: a page as full as *its* limit asks for more
    pages = [
        {"results": [_dc_user("k1", "ann"), _dc_user("k2", "bo")], "start": 0, "limit": 2},
        {"results": [_dc_user("k3", "cy"), _dc_user("k4", "di")], "start": 2, "limit": 2},
        {"results": [_dc_user("k5", "ed")], "start": 4, "limit": 2, "size": 1},
    ]
    for page in pages:
        responses.get(DC + "/rest/api/space/ENG/watchers", json=page)
    found = list(_client(DC, cloud=False).space_watchers("ENG"))
    assert [u.person_id for u in found] == ["k1", "k2", "k3", "k4", "k5"]
    starts = [str(call.request.url).split("start=")[1].split("&")[0] for call in responses.calls]
    assert starts == ["0", "2", "4"]
    assert all(str(c.request.url).startswith(DC + "/rest/api/") for c in responses.calls)


@responses.activate
def test_a_full_last_page_costs_one_more_request_and_an_empty_one_ends() -> None:
    responses.get(
        DC + "/rest/api/space/ENG/watchers",
        json={"results": [_dc_user("k1", "ann")], "start": 0, "limit": 1},
    )
    responses.get(DC + "/rest/api/space/ENG/watchers", json={"results": [], "start": 1})
    found = list(_client(DC, cloud=False, page_size=1).space_watchers("ENG"))
    assert [u.person_id for u in found] == ["k1"] and len(responses.calls) == 2


@responses.activate
def test_a_watcher_listing_without_results_is_a_payload_error() -> None:
    responses.get(CLOUD + "/rest/api/space/ENG/watch", json={"watchers": []})
    with pytest.raises(ConnectorPayloadError) as caught:
        list(_client(CLOUD, cloud=True).space_watchers("ENG"))
    assert "/rest/api/space/ENG/watch" in str(caught.value)


@responses.activate
def test_a_forbidden_listing_is_an_auth_error_with_its_status() -> None:
    responses.get(
        CLOUD + "/rest/api/space/ENG/watch",
        json={"statusCode": 403, "message": "not permitted"},
        status=403,
    )
    with pytest.raises(ConnectorAuthError) as caught:
        list(_client(CLOUD, cloud=True).space_watchers("ENG"))
    assert caught.value.context["status"] == 403 and TOKEN not in str(caught.value)


# -- end to end, over loopback ---------------------------------------------------------------


def _watched(fake: ConfluenceFake) -> dict[str, int]:
    """Member -> non-personal spaces they watch, from the fake's data."""
    data = fake.data
    members = set(data.groups[fake.accounts.group_id].members)
    out: dict[str, int] = {}
    for space in data.spaces.values():
        if space.type == "personal" or not space.readable:
            continue
        for key in set(space.watchers) & members:
            if data.users[key].active:
                out[key] = out.get(key, 0) + 1
    return out


@pytest.mark.slow
def test_each_member_gets_the_number_of_spaces_they_watch(
    fake: ConfluenceFake, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    kit = make_kit(fake, store_url, member_page_size=3)
    result = kit.collect(today=today)
    assert result.ok and not result.runs[0].warnings, result.as_dict()
    expected = _watched(fake)
    assert expected and any(n > 1 for n in expected.values())
    stored = attributes_by_person(kit.engine)
    assert {pid: a["watched_spaces"] for pid, a in stored.items()} == {
        pid: expected.get(pid, 0) for pid in stored
    }
    # one offset listing per non-personal space, 3 a page: floor(n / 3) + 1 requests each
    tail = "/watch" if fake.cloud else "/watchers"
    asked = [r for r in fake.server.requests if r.path.endswith(tail)]
    spaces = [s for s in fake.data.spaces.values() if s.type != "personal"]
    assert len(asked) == sum(len(s.watchers) // 3 + 1 for s in spaces)
    assert not [r for r in asked if "/~" in r.path]  # personal spaces are never asked


@pytest.mark.slow
def test_a_forbidden_watcher_listing_is_one_warning_and_the_rest_is_stored(
    org: Org, deployment: dict[str, Any], make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    with ConfluenceFake.from_org(org, **deployment) as fake:
        fake.api.space_admin = False
        kit = make_kit(fake, store_url)
        result = kit.collect(today=today)
        with_gap = rows(kit.engine, "facts")
        attributes = attributes_by_person(kit.engine)
        # everything else was stored: with the rights granted, a rerun adds no fact, only the
        # attribute
        fake.api.space_admin = True
        again = kit.collect(today=today)
        assert again.ok and again.facts_written == 0 and not again.runs[0].warnings
        assert rows(kit.engine, "facts") == with_gap
        assert all("watched_spaces" in a for a in attributes_by_person(kit.engine).values())
    assert result.ok, result.as_dict()
    (warning,) = result.runs[0].warnings
    assert "optional stream space_watchers" in warning and "HTTP 403" in warning
    assert "missing: watching-a-space check" in warning
    assert ("/wiki/rest/api/space/" if fake.cloud else "/rest/api/space/") in warning
    assert TOKEN not in warning and fake.token not in warning
    assert with_gap and attributes
    assert all("watched_spaces" not in a and "has_picture" in a for a in attributes.values())

    check = next(c for c in CHECKS if c.id == "confluence.watching_space")
    some = next(iter(attributes.values()))
    ctx = FakeCheckContext(attributes={"confluence": some})  # type: ignore[dict-item]
    assert check.evaluate(ctx, AtLeast()) is False  # unknown: not passed


@pytest.mark.slow
def test_space_watchers_off_asks_nothing_and_stores_no_attribute(
    org: Org, make_kit: KitFactory, store_url: str, today: dt.date
) -> None:
    with ConfluenceFake.from_org(org, cloud=True) as fake:
        kit = make_kit(fake, store_url, space_watchers=False)
        assert kit.collect(today=today).ok
        assert not [r for r in fake.server.requests if r.path.endswith("/watch")]
        assert all("watched_spaces" not in a for a in attributes_by_person(kit.engine).values())


def test_the_user_model_of_both_payloads_is_the_directorys() -> None:
    """Watchers are matched to members by the same id the group listings give."""
    cloud = User.model_validate(_cloud_watch("557058:a", "Ann")["watcher"])
    dc = User.model_validate(_dc_user("k1", "ann"))
    assert (cloud.person_id, dc.person_id) == ("557058:a", "k1")
