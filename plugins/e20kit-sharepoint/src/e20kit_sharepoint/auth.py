"""App-only Graph tokens from Entra ID with msal (client credentials, secret or certificate).

One msal ``ConfidentialClientApplication`` per connector or notifier instance, so msal's
in-memory token cache serves every request of a run after the first token POST. msal talks to
the authority through the core's HTTP session (timeouts, redaction), never a session of its own.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import msal
import msal.exceptions
import requests

from e20kit import ConnectorAuthError, ConnectorFatalError, ConnectorRetriableError
from e20kit.http import HttpSession, describe_endpoint, redact

from .settings import GraphCredentials

GRAPH_SCOPE = "https://graph.microsoft.com/.default"

log = logging.getLogger("e20kit.sharepoint")


class _MsalHttp:
    """The ``http_client`` msal calls: the core's session, with ``ca_bundle`` applied per request
    (a session's own ``verify`` loses against ``REQUESTS_CA_BUNDLE`` in the environment)."""

    def __init__(self, session: HttpSession, ca_bundle: str | None) -> None:
        self.session = session
        configured = session.verify if session.verify is not None else True
        self.verify: bool | str = ca_bundle or configured

    def post(self, url: str, **kwargs: Any) -> requests.Response:
        return self.session.post(url, verify=self.verify, **kwargs)

    def get(self, url: str, **kwargs: Any) -> requests.Response:
        return self.session.get(url, verify=self.verify, **kwargs)

    def close(self) -> None:
        self.session.close()


class GraphAuth:
    """Gets (and msal caches) the app's Graph token; registers it with the Graph session's
    redaction so it never appears in a log line or error."""

    def __init__(
        self, settings: GraphCredentials, *, login: HttpSession, graph: HttpSession, name: str
    ) -> None:
        self.settings = settings
        self.name = name
        self.login = login
        self.graph = graph
        self.authority = f"{settings.authority_url}/{settings.tenant_id}"
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()
        self.token_requests = 0
        """Tokens msal fetched from the authority (not served from its cache)."""

    def _who(self) -> str:
        return f"tenant {self.settings.tenant_id}, client id {self.settings.client_id}"

    def _credential(self) -> str | dict[str, str]:
        s = self.settings
        if s.client_secret is not None:
            secret = s.client_secret.get_secret_value()
            self.login.add_secrets(secret)
            return secret
        assert s.certificate_path is not None and s.certificate_thumbprint is not None
        try:
            key = Path(s.certificate_path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as err:
            raise ConnectorFatalError(
                f"cannot read certificate_path {s.certificate_path}: {err.__class__.__name__}",
                connector=self.name,
            ) from None
        credential = {"private_key": key, "thumbprint": s.certificate_thumbprint}
        if s.certificate_password is not None:
            credential["passphrase"] = s.certificate_password.get_secret_value()
        return credential

    def _application(self) -> msal.ConfidentialClientApplication:
        if self._app is None:
            try:
                # msal fetches the authority's OpenID configuration in the constructor.
                # instance_discovery=False: no call to Microsoft's discovery endpoint, which a
                # client-credentials app does not need, and none on the error path either.
                self._app = msal.ConfidentialClientApplication(
                    self.settings.client_id,
                    client_credential=self._credential(),
                    authority=self.authority,
                    http_client=_MsalHttp(self.login, self.settings.ca_bundle),
                    instance_discovery=False,
                    token_cache=msal.TokenCache(),
                )
            except KeyError as err:
                raise ConnectorFatalError(
                    f"Entra ID authority's OpenID configuration has no {err.args[0]!r} for "
                    f"{self._who()}; is authority_url an Entra ID (or compatible) authority?",
                    connector=self.name,
                    endpoint=describe_endpoint(self.authority),
                ) from None
            except (TypeError, AttributeError):
                raise ConnectorFatalError(
                    f"Entra ID authority's OpenID configuration is not a JSON object for "
                    f"{self._who()}; is authority_url an Entra ID (or compatible) authority?",
                    connector=self.name,
                    endpoint=describe_endpoint(self.authority),
                ) from None
            except ValueError as err:
                raise ConnectorAuthError(
                    f"Entra ID authority {describe_endpoint(self.authority)} is unusable for "
                    f"{self._who()}: {redact(str(err), self.login.secrets)}",
                    connector=self.name,
                ) from None
            except _SERVER_FAILURES as err:
                raise ConnectorRetriableError(
                    f"Entra ID authority failed for {self._who()}: {_status(err)}",
                    connector=self.name,
                    endpoint=describe_endpoint(self.authority),
                ) from None
        return self._app

    def token(self) -> str:
        """A valid access token (msal's cache first; a POST to the authority on a miss)."""
        with self._lock:
            app = self._application()
            try:
                result = app.acquire_token_for_client(scopes=[GRAPH_SCOPE])
            except _SERVER_FAILURES as err:
                raise ConnectorRetriableError(
                    f"Entra ID token endpoint failed for {self._who()}: {_status(err)}",
                    connector=self.name,
                    endpoint=describe_endpoint(self.authority),
                ) from None
            except (ValueError, TypeError, AttributeError, KeyError) as err:
                raise ConnectorFatalError(
                    f"Entra ID token endpoint answered a malformed token response for "
                    f"{self._who()}: {_malformed(err)}",
                    connector=self.name,
                    endpoint=describe_endpoint(f"{self.authority}/oauth2/v2.0/token"),
                ) from None
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            raise self._error(result if isinstance(result, dict) else {})
        if result.get("token_source") == "identity_provider":
            self.token_requests += 1
            log.debug("%s: new Graph token for %s", self.name, self._who())
        self.graph.add_secrets(str(token))
        return str(token)

    def _error(self, result: dict[str, Any]) -> ConnectorAuthError | ConnectorRetriableError:
        code = str(result.get("error") or "no access_token in the answer")
        first = str(result.get("error_description") or "").splitlines()[:1]
        detail = redact(first[0], self.login.secrets) if first else ""
        endpoint = describe_endpoint(f"{self.authority}/oauth2/v2.0/token")
        if code in ("temporarily_unavailable", "server_error") or "429" in code:
            return ConnectorRetriableError(
                f"Entra ID could not issue a token for {self._who()}: {code} {detail}".strip(),
                connector=self.name,
                endpoint=endpoint,
            )
        hint = ""
        if code == "invalid_client":
            hint = (
                "; check client_id, the client secret (its value, not its id) or the "
                "certificate thumbprint, and that the credential has not expired"
            )
        return ConnectorAuthError(
            f"Entra ID rejected the app credentials ({code}) for {self._who()}"
            f"{': ' + detail if detail else ''}{hint}",
            connector=self.name,
            endpoint=endpoint,
        )


_SERVER_FAILURES = (requests.HTTPError, msal.exceptions.MsalServiceError, RuntimeError)
"""What msal raises for a 5xx from the authority: its own throttling client raises
MsalServiceError, the plain path requests' HTTPError, and OIDC discovery falls back to a bare
RuntimeError when ``raise_for_status`` did not raise (msal/authority.py, ``tenant_discovery``)."""


def _status(err: Exception) -> str:
    response = getattr(err, "response", None)
    if isinstance(response, requests.Response):
        return f"HTTP {response.status_code}"
    if isinstance(err, msal.exceptions.MsalServiceError):
        return str(err.args[0]) if err.args else "server error"
    return type(err).__name__


def _malformed(err: Exception) -> str:
    """What was wrong with a token response, never the response itself (it may hold tokens)."""
    if isinstance(err, ValueError) and "int()" in str(err):
        return "expires_in is not a number of seconds"
    if isinstance(err, ValueError):
        return "not JSON"
    if isinstance(err, KeyError):
        return f"no {err.args[0]!r}"
    return "not a JSON object"


__all__ = ["GRAPH_SCOPE", "GraphAuth"]
