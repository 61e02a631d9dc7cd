"""The Graph client against ``responses`` mocks of Microsoft's documented answers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import responses
from e20kit_sharepoint.auth import GraphAuth
from e20kit_sharepoint.client import GraphClient
from e20kit_sharepoint.reports import SHAREPOINT_ACTIVITY
from e20kit_sharepoint.settings import SharePointSettings
from test_sharepoint_reports import DOCUMENTED

from e20kit import ConnectorAuthError, ConnectorFatalError, make_session

TENANT = "contoso.onmicrosoft.com"
LOGIN = f"https://login.microsoftonline.com/{TENANT}"
GRAPH = "https://graph.microsoft.com/v1.0"
DOWNLOAD = "https://reports.office.com/data/download/JDFKdf2_eJXKS034dbc7e0t__XDe"
DAY = dt.date(2026, 10, 20)
CSV = (
    "\ufeff"
    + DOCUMENTED[SHAREPOINT_ACTIVITY.function]
    + "\r\n2026-10-22,adams@contoso.com,False,,2026-10-20,4,0,1,0,2,MICROSOFT 365 E5,1\r\n"
).encode()


@pytest.fixture
def mocked() -> Iterator[responses.RequestsMock]:
    with responses.RequestsMock(assert_all_requests_are_fired=False) as rsps:
        rsps.get(
            f"{LOGIN}/v2.0/.well-known/openid-configuration",
            json={
                "issuer": f"https://login.microsoftonline.com/{TENANT}/v2.0",
                "authorization_endpoint": f"{LOGIN}/oauth2/v2.0/authorize",
                "token_endpoint": f"{LOGIN}/oauth2/v2.0/token",
            },
        )
        rsps.post(
            f"{LOGIN}/oauth2/v2.0/token",
            json={"token_type": "Bearer", "expires_in": 3599, "access_token": "eyJ0eXAi.tok"},
        )
        yield rsps


def _client() -> GraphClient:
    settings = SharePointSettings(tenant_id=TENANT, client_id="535fb089", client_secret="s3cr3t!")
    graph = make_session("m365", base_url=GRAPH, secrets=("s3cr3t!",))
    login = make_session("m365", secrets=("s3cr3t!",))
    return GraphClient(graph, GraphAuth(settings, login=login, graph=graph, name="m365"))


def test_the_report_redirect_is_followed_without_the_token(mocked: responses.RequestsMock) -> None:
    mocked.get(
        f"{GRAPH}/reports/getSharePointActivityUserDetail(date=2026-10-20)",
        status=302,
        headers={"Location": DOWNLOAD, "Content-Type": "text/plain"},
    )
    mocked.get(DOWNLOAD, body=CSV, content_type="application/octet-stream")
    parsed, _, attempts = _client().report(SHAREPOINT_ACTIVITY, DAY)
    assert attempts == 1
    assert parsed is not None
    assert parsed.refreshed == dt.date(2026, 10, 22)
    assert parsed.rows[0].user == "adams@contoso.com"
    graph_call, download_call = [c for c in mocked.calls if "login" not in c.request.url]
    assert graph_call.request.headers["Authorization"] == "Bearer eyJ0eXAi.tok"
    assert "Authorization" not in download_call.request.headers


def test_an_unchanged_day_answers_304_and_is_not_downloaded(
    mocked: responses.RequestsMock,
) -> None:
    url = f"{GRAPH}/reports/getSharePointActivityUserDetail(date=2026-10-20)"
    mocked.get(url, status=302, headers={"Location": DOWNLOAD, "ETag": '"v1"'})
    mocked.get(DOWNLOAD, body=CSV)
    client = _client()
    parsed, etag, _ = client.report(SHAREPOINT_ACTIVITY, DAY)
    assert parsed is not None and etag == '"v1"'
    mocked.replace(responses.GET, url, status=304, headers={"ETag": '"v1"'})
    assert client.report(SHAREPOINT_ACTIVITY, DAY, etag=etag) == (None, '"v1"', 1)
    last = mocked.calls[-1].request
    assert last.headers["If-None-Match"] == '"v1"' and last.url == url


def test_users_follow_the_next_link_as_given(mocked: responses.RequestsMock) -> None:
    next_link = f"{GRAPH}/users?$top=999&$skiptoken=X%274453707%27"
    mocked.get(
        f"{GRAPH}/users",
        json={
            "value": [{"id": "a", "userPrincipalName": "Adams@contoso.com", "mail": None}],
            "@odata.nextLink": next_link,
        },
    )
    mocked.get(
        next_link,
        json={"value": [{"id": "b", "accountEnabled": False, "manager": {"id": "a"}}]},
    )
    users = list(_client().users(managers=True))
    assert [u.id for u in users] == ["a", "b"]
    assert users[1].manager is not None and users[1].manager.id == "a"
    first, second = [c.request.url for c in mocked.calls if "login" not in c.request.url]
    assert "%24top=999" in first and "%24expand=manager" in first and "%24select=id" in first
    assert second == next_link


def test_a_missing_permission_is_an_auth_error_naming_the_endpoint(
    mocked: responses.RequestsMock,
) -> None:
    mocked.get(
        f"{GRAPH}/reports/getSharePointActivityUserDetail(date=2026-10-20)",
        status=403,
        json={"error": {"code": "Forbidden", "message": "Missing role Reports.Read.All"}},
    )
    with pytest.raises(ConnectorAuthError) as err:
        _client().report(SHAREPOINT_ACTIVITY, DAY)
    assert "getSharePointActivityUserDetail" in str(err.value)
    assert "eyJ0eXAi.tok" not in str(err.value) and "s3cr3t!" not in str(err.value)


def test_the_download_url_is_a_secret_in_errors(mocked: responses.RequestsMock) -> None:
    mocked.get(
        f"{GRAPH}/reports/getSharePointActivityUserDetail(date=2026-10-20)",
        status=302,
        headers={"Location": DOWNLOAD},
    )
    mocked.get(DOWNLOAD, status=404, json={"error": {"code": "NotFound", "message": "expired"}})
    with pytest.raises(ConnectorFatalError) as err:
        _client().report(SHAREPOINT_ACTIVITY, DAY)
    assert "JDFKdf2_eJXKS034dbc7e0t__XDe" not in str(err.value)
