"""The config table: deployment always given, URL rules, one way to authenticate."""

from __future__ import annotations

from typing import Any

import pytest
from e20kit_confluence import ConfluenceSettings
from pydantic import ValidationError

CLOUD = {
    "deployment": "cloud",
    "url": "https://example.atlassian.net/wiki/",
    "email": "bot@example.org",
    "api_token": "t",
    "groups": ["g-1"],
}
DC = {"deployment": "datacenter", "url": "https://wiki.example.org/confluence", "token": "pat"}


def _error(table: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as caught:
        ConfluenceSettings.model_validate(table)
    return str(caught.value)


def test_cloud_and_datacenter_tables_validate() -> None:
    cloud = ConfluenceSettings.model_validate(CLOUD)
    assert cloud.url == "https://example.atlassian.net/wiki"
    dc = ConfluenceSettings.model_validate(DC)
    assert dc.member_groups == ("confluence-users",)
    basic = {**DC, "token": None, "username": "svc", "password": "pw"}
    assert ConfluenceSettings.model_validate(basic).username == "svc"
    assert cloud.reads_views and not dc.reads_views  # Data Center has no page-view API
    assert not ConfluenceSettings.model_validate({**CLOUD, "page_views": False}).reads_views


def test_the_deployment_is_required_never_guessed() -> None:
    table = {k: v for k, v in CLOUD.items() if k != "deployment"}
    assert "deployment" in _error(table)
    assert "deployment" in _error({**CLOUD, "deployment": "server"})


def test_plain_http_only_on_loopback() -> None:
    assert "https" in _error({**DC, "url": "http://wiki.example.org"})
    loopback = ConfluenceSettings.model_validate({**DC, "url": "http://127.0.0.1:8090/"})
    assert loopback.url == "http://127.0.0.1:8090"


@pytest.mark.parametrize(
    ("table", "says"),
    [
        ({**CLOUD, "api_token": None}, "api_token_env"),
        ({**CLOUD, "token": "x"}, "not token"),
        ({**CLOUD, "url": "https://example.atlassian.net"}, "/wiki"),
        ({**CLOUD, "groups": []}, "group id"),
        ({**DC, "token": None}, "exactly one"),
        ({**DC, "username": "svc", "password": "pw"}, "exactly one"),
        ({**DC, "token": None, "username": "svc"}, "exactly one"),
        ({**DC, "email": "x@example.org"}, "Data Center takes"),
        ({**DC, "search_page_size": 500}, "search_page_size"),
        ({**DC, "colour": "blue"}, "colour"),
        ({**DC, "page_views": True}, "no page-view REST API"),
        ({**CLOUD, "views_days": 0}, "views_days"),
    ],
)
def test_bad_tables_say_what_is_wrong(table: dict[str, Any], says: str) -> None:
    assert says in _error(table)
