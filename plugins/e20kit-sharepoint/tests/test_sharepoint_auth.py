"""msal itself against the fake Entra ID authority over HTTPS (a certificate from a test CA)."""

from __future__ import annotations

import logging
from pathlib import Path

import certifi
import pytest
import trustme
from e20kit_sharepoint.auth import GraphAuth
from e20kit_sharepoint.fake import GraphFake, thumbprint
from e20kit_sharepoint.settings import SharePointSettings

from e20kit import ConnectorAuthError, make_session


@pytest.fixture(autouse=True)
def _ca_bundle_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """A CA bundle in the environment, as on most machines: ``ca_bundle`` must still win."""
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", certifi.where())


def _auth(fake: GraphFake, **overrides: object) -> GraphAuth:
    settings = SharePointSettings.model_validate(fake.settings(**overrides))
    secrets = (settings.client_secret.get_secret_value(),) if settings.client_secret else ()
    login = make_session("m365", secrets=secrets)
    graph = make_session("m365", base_url=settings.graph_url)
    return GraphAuth(settings, login=login, graph=graph, name="m365")


def test_token_is_fetched_once_and_reused_from_msals_cache(fake: GraphFake) -> None:
    auth = _auth(fake)
    tokens = {auth.token() for _ in range(3)}
    assert len(tokens) == 1
    assert tokens <= fake.authority.tokens()
    assert fake.authority.token_posts == 1 and auth.token_requests == 1
    form = fake.authority.forms[0]
    assert form["grant_type"] == "client_credentials"
    assert form["scope"] == "https://graph.microsoft.com/.default"
    # the token is masked in the Graph session's logs and errors from now on
    assert next(iter(tokens)) in auth.graph.secrets


def test_invalid_client_names_tenant_and_client_id_never_the_secret(
    fake: GraphFake, caplog: pytest.LogCaptureFixture
) -> None:
    wrong = "wrong-secret-Zq81xP0"
    with caplog.at_level(logging.DEBUG), pytest.raises(ConnectorAuthError) as err:
        _auth(fake, client_secret=wrong).token()
    message = str(err.value)
    assert "invalid_client" in message
    assert f"tenant {fake.tenant.app.tenant_id}" in message
    assert f"client id {fake.tenant.app.client_id}" in message
    assert wrong not in message and wrong not in caplog.text
    assert fake.authority.tokens() == set()


def test_an_unknown_tenant_is_an_auth_error_naming_it(fake: GraphFake) -> None:
    with pytest.raises(ConnectorAuthError, match="tenant no-such-tenant"):
        _auth(fake, tenant_id="no-such-tenant").token()


def test_a_certificate_credential_signs_a_client_assertion(
    fake: GraphFake, ca: trustme.CA, tmp_path: Path
) -> None:
    cert = ca.issue_cert("e20kit-app@example.org", key_type=trustme.KeyType.RSA)
    fake.tenant.app.certificate_pem = cert.cert_chain_pems[0].bytes()
    fake.tenant.app.thumbprint = thumbprint(fake.tenant.app.certificate_pem)
    key = tmp_path / "app.pem"
    cert.private_key_pem.write_to_path(str(key))
    auth = _auth(
        fake,
        client_secret=None,
        certificate_path=str(key),
        certificate_thumbprint=fake.tenant.app.thumbprint,
    )
    assert auth.token() in fake.authority.tokens()
    form = fake.authority.forms[-1]
    assert "client_secret" not in form and form["client_assertion"]


def test_a_certificate_the_app_does_not_know_is_rejected(
    fake: GraphFake, ca: trustme.CA, tmp_path: Path
) -> None:
    registered = ca.issue_cert("registered@example.org", key_type=trustme.KeyType.RSA)
    fake.tenant.app.certificate_pem = registered.cert_chain_pems[0].bytes()
    fake.tenant.app.thumbprint = thumbprint(fake.tenant.app.certificate_pem)
    other = ca.issue_cert("someone-else@example.org", key_type=trustme.KeyType.RSA)
    key = tmp_path / "other.pem"
    other.private_key_pem.write_to_path(str(key))
    with pytest.raises(ConnectorAuthError, match="invalid_client"):
        _auth(
            fake,
            client_secret=None,
            certificate_path=str(key),
            certificate_thumbprint=fake.tenant.app.thumbprint,
        ).token()
