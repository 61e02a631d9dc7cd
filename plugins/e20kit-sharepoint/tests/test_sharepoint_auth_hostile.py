"""A hostile Entra ID authority: every malformed answer is one typed error, never a traceback,
and neither msal's logger nor the error quotes the client secret or a token (issue 25)."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import pytest
from e20kit_sharepoint.auth import GraphAuth
from e20kit_sharepoint.fake import GraphFake
from e20kit_sharepoint.settings import SharePointSettings

from e20kit import ConnectorError, ConnectorFatalError, ConnectorRetriableError, make_session
from e20kit.http import HttpSettings
from e20kit.sandbox import Request, Response

LEAKED_TOKEN = "eyJ0eXAiOiJKV1QiLeakedAccessToken123"


def _auth(fake: GraphFake) -> GraphAuth:
    settings = SharePointSettings.model_validate(fake.settings())
    assert settings.client_secret is not None
    # nothing registered up front (the plugin must); no retries: a 503 stays a 503
    login = make_session("m365", settings=HttpSettings(retries=0))
    graph = make_session("m365", base_url=settings.graph_url)
    return GraphAuth(settings, login=login, graph=graph, name="m365")


def _hijack(fake: GraphFake, path_end: str, answer: Callable[[Request], Response]) -> None:
    honest = fake.login_server.app

    def app(request: Request) -> Response:
        return answer(request) if request.path.endswith(path_end) else honest(request)

    fake.login_server.app = app


def _echo_secret(body: str) -> Callable[[Request], Response]:
    """A token endpoint answering ``body`` with the posted client secret appended."""

    def answer(request: Request) -> Response:
        secret = request.body.decode()
        return Response.text(body + " " + secret + f' {{"access_token": "{LEAKED_TOKEN}"')

    return answer


OIDC = "openid-configuration"
TOKEN = "/token"
CASES: dict[str, tuple[str, Callable[[Request], Response], type[ConnectorError]]] = {
    "openid without authorization_endpoint": (
        OIDC,
        lambda r: Response.json({"token_endpoint": "https://x.invalid/t", "issuer": "x"}),
        ConnectorFatalError,
    ),
    "openid is a JSON list": (OIDC, lambda r: Response.json([1, 2]), ConnectorFatalError),
    "openid 503": (OIDC, lambda r: Response.text("busy", status=503), ConnectorRetriableError),
    "token 500": (TOKEN, lambda r: Response.text("oops", status=500), ConnectorRetriableError),
    "token 503": (TOKEN, lambda r: Response.text("busy", status=503), ConnectorRetriableError),
    "token not JSON": (TOKEN, _echo_secret("<html>login</html>"), ConnectorFatalError),
    "token a JSON list": (
        TOKEN,
        lambda r: Response.json([{"access_token": LEAKED_TOKEN}]),
        ConnectorFatalError,
    ),
    "token expires_in soon": (
        TOKEN,
        lambda r: Response.json(
            {"token_type": "Bearer", "access_token": LEAKED_TOKEN, "expires_in": "soon"}
        ),
        ConnectorFatalError,
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_hostile_authority_is_one_typed_error_without_secrets(
    fake: GraphFake, case: str, caplog: pytest.LogCaptureFixture
) -> None:
    path_end, answer, expected = CASES[case]
    _hijack(fake, path_end, answer)
    secret = str(fake.tenant.app.client_secret)
    with caplog.at_level(logging.WARNING), pytest.raises(expected) as info:
        _auth(fake).token()
    message = str(info.value)
    assert message.startswith("[m365")
    shown = message + caplog.text + json.dumps([r.getMessage() for r in caplog.records])
    assert secret not in shown and LEAKED_TOKEN not in shown
    assert "Traceback" not in caplog.text
    assert not any(r.exc_info for r in caplog.records if r.name.startswith("msal"))


def test_msal_says_nothing_at_default_verbosity_and_redacts_at_debug(
    fake: GraphFake, caplog: pytest.LogCaptureFixture
) -> None:
    _hijack(fake, TOKEN, _echo_secret("not json"))
    secret = str(fake.tenant.app.client_secret)
    with caplog.at_level(logging.WARNING), pytest.raises(ConnectorFatalError):
        _auth(fake).token()
    assert not [r for r in caplog.records if r.name.startswith("msal")]
    caplog.clear()
    with caplog.at_level(logging.DEBUG), pytest.raises(ConnectorFatalError):
        _auth(fake).token()
    msal_lines = [r.getMessage() for r in caplog.records if r.name.startswith("msal")]
    assert any("not in json format" in line for line in msal_lines)
    assert all(r.levelno == logging.DEBUG for r in caplog.records if r.name.startswith("msal"))
    assert secret not in caplog.text and LEAKED_TOKEN not in caplog.text
