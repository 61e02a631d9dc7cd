"""A fake Entra ID authority for msal's client-credentials flow (msal-fake-authority.md §2).

It serves the tenant's OpenID configuration and the token endpoint over HTTPS (msal refuses
anything else): a client secret in the form body, or a client assertion (a JWT signed with the
registered certificate's key, ``aud`` the token endpoint, ``x5t`` its thumbprint) gets a token
valid for 3599 s; anything else gets Entra's ``400 invalid_client``.
"""

from __future__ import annotations

import base64
import binascii
import itertools
import threading
from urllib.parse import parse_qs

import jwt
from cryptography import x509

from e20kit.sandbox import Request, Response, Router

from .state import App

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _oauth_error(error: str, description: str, code: int, status: int = 400) -> Response:
    return Response.json(
        {
            "error": error,
            "error_description": f"AADSTS{code}: {description}\r\nTrace ID: fake\r\n",
            "error_codes": [code],
            "timestamp": "2026-01-01 00:00:00Z",
            "trace_id": "00000000-0000-0000-0000-000000000000",
            "correlation_id": "00000000-0000-0000-0000-000000000000",
        },
        status,
    )


class FakeAuthority:
    """Callable app; ``issued`` holds every token handed out (what the fake Graph accepts)."""

    def __init__(self, app: App) -> None:
        self.app = app
        self.base_url = ""
        self.issued: set[str] = set()
        self.token_posts = 0
        self.forms: list[dict[str, str]] = []
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self.router = Router()
        self.router.add("GET", "/{tenant}/v2.0/.well-known/openid-configuration", self._oidc)
        self.router.add("POST", "/{tenant}/oauth2/v2.0/token", self._token)

    def __call__(self, request: Request) -> Response:
        return self.router(request)

    def tokens(self) -> set[str]:
        with self._lock:
            return set(self.issued)

    def token_endpoint(self, tenant: str) -> str:
        return f"{self.base_url}/{tenant}/oauth2/v2.0/token"

    def _oidc(self, request: Request, tenant: str) -> Response:
        if tenant != self.app.tenant_id:
            return _oauth_error("invalid_tenant", f"Tenant '{tenant}' not found.", 90002)
        return Response.json(
            {
                "issuer": f"{self.base_url}/{tenant}/v2.0",
                "authorization_endpoint": f"{self.base_url}/{tenant}/oauth2/v2.0/authorize",
                "token_endpoint": self.token_endpoint(tenant),
                "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt"],
            }
        )

    def _token(self, request: Request, tenant: str) -> Response:
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        with self._lock:
            self.token_posts += 1
            self.forms.append(form)
        if tenant != self.app.tenant_id:
            return _oauth_error("invalid_request", f"Tenant '{tenant}' not found.", 90002)
        if form.get("grant_type") != "client_credentials":
            return _oauth_error("unsupported_grant_type", "Only client_credentials.", 70003)
        if form.get("client_id") != self.app.client_id:
            return _oauth_error(
                "unauthorized_client",
                f"Application with identifier '{form.get('client_id')}' was not found.",
                700016,
            )
        if form.get("scope") != "https://graph.microsoft.com/.default":
            return _oauth_error(
                "invalid_scope", "The provided value for 'scope' is not valid.", 70011
            )
        if not self._authenticated(form, tenant):
            return _oauth_error(
                "invalid_client",
                "Invalid client secret provided. Ensure the secret being sent in the request "
                "is the client secret value, not the client secret ID.",
                7000215,
            )
        token = f"fake-graph-token-{next(self._counter):04d}-{tenant}"
        with self._lock:
            self.issued.add(token)
        return Response.json(
            {
                "token_type": "Bearer",
                "expires_in": 3599,
                "ext_expires_in": 3599,
                "access_token": token,
            }
        )

    def _authenticated(self, form: dict[str, str], tenant: str) -> bool:
        secret = form.get("client_secret")
        if secret is not None:
            return self.app.client_secret is not None and secret == self.app.client_secret
        if form.get("client_assertion_type") != ASSERTION_TYPE:
            return False
        return self._assertion_ok(form.get("client_assertion", ""), tenant)

    def _assertion_ok(self, assertion: str, tenant: str) -> bool:
        pem, thumbprint = self.app.certificate_pem, self.app.thumbprint
        if pem is None or thumbprint is None:
            return False
        try:
            header = jwt.get_unverified_header(assertion)
            cert = x509.load_pem_x509_certificate(pem)
            jwt.decode(
                assertion,
                cert.public_key(),  # type: ignore[arg-type]
                algorithms=["RS256", "PS256"],
                audience=self.token_endpoint(tenant),
                options={"require": ["exp", "aud", "iss", "sub"]},
            )
        except (jwt.PyJWTError, ValueError):
            return False
        expected = binascii.unhexlify(thumbprint)
        x5t = header.get("x5t")
        if not isinstance(x5t, str):
            return False
        return base64.urlsafe_b64decode(x5t + "=" * (-len(x5t) % 4)) == expected


__all__ = ["ASSERTION_TYPE", "FakeAuthority"]
