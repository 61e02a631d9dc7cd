"""No secret in any message: servers that echo credentials, loggers that print them (issue 25)."""

from __future__ import annotations

import base64
import logging
import sys

import pytest

from e20kit.errors import ConnectorAuthError
from e20kit.http import HttpSettings, make_session, redact
from e20kit.http.redaction import RedactingFilter
from e20kit.sandbox import LoopbackServer, Request, Response

EMAIL = "ops@example.org"
TOKEN = "ATATT3xFfGF0Zq81xP0secretApiToken"


def _encoded(value: str) -> str:
    return base64.b64encode(value.encode()).decode()


def secret_forms(secret: str, *, user: str = EMAIL) -> list[str]:
    """Every form of ``secret`` a grep must not find: raw, base64 alone and as Basic's payload."""
    return [secret, _encoded(secret), _encoded(f"{user}:{secret}")]


def _echo(request: Request) -> Response:
    said = request.headers.get("Authorization", "")
    return Response.json({"message": f"rejected {said}", "raw": said}, status=401)


@pytest.mark.parametrize("scheme", ["basic", "bearer"])
def test_a_server_echoing_authorization_never_gets_it_printed(
    scheme: str, caplog: pytest.LogCaptureFixture
) -> None:
    with LoopbackServer(_echo) as server:
        session = make_session("wiki", base_url=server.url, settings=HttpSettings(retries=0))
        if scheme == "basic":
            session.auth = (EMAIL, TOKEN)  # built by a library, never registered as a secret
        else:
            session.headers["Authorization"] = f"Bearer {TOKEN}"
        with caplog.at_level(logging.DEBUG), pytest.raises(ConnectorAuthError) as info:
            session.get_json("/rest/api/user/current")
    shown = str(info.value) + caplog.text
    assert "credentials rejected" in shown
    for form in secret_forms(TOKEN):
        assert form not in shown


@pytest.mark.parametrize("prefix", ["", "a:", "ab:", "abc:", f"{EMAIL}:"])
def test_the_base64_form_of_a_registered_secret_is_masked_at_any_offset(prefix: str) -> None:
    text = f"echo {_encoded(prefix + TOKEN)} end"
    assert TOKEN[4:-4] not in base64.b64decode(redact(text, [TOKEN]).split()[1] + "==").decode(
        "latin-1"
    )


def test_credentials_in_headers_and_python_reprs_are_masked() -> None:
    text = (
        "Authorization: Basic ZTIwQGV4YW1wbGUub3JnOnRva2Vu\n"
        "{'access_token': 'eyJabc', 'client_secret': 's3cr3t'} Basic ZTIwQGV4YW1wbGUub3JnOnRva2Vu"
    )
    cleaned = redact(text)
    assert "ZTIw" not in cleaned and "eyJabc" not in cleaned and "s3cr3t" not in cleaned
    assert redact("basic authentication failed") == "basic authentication failed"


def test_the_cli_handler_redacts_and_drops_third_party_tracebacks() -> None:
    record = logging.LogRecord(
        "somelib.deep", logging.ERROR, __file__, 1, "token response %s", ("access_token=abc",), None
    )
    try:
        raise ValueError("boom")
    except ValueError:
        record.exc_info = sys.exc_info()
    assert RedactingFilter().filter(record)
    assert record.getMessage() == "token response access_token=***" and record.exc_info is None
