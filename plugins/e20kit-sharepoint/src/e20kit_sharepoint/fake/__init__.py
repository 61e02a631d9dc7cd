"""A loopback fake of the Microsoft 365 endpoints e20kit uses, for tests and the demo.

Four servers on 127.0.0.1: Graph (``/v1.0``), the separate report download host, a fake
Entra ID authority over HTTPS with a certificate from a throwaway CA (``trustme``), whose bundle
is at :attr:`GraphFake.ca_bundle`, and a Teams Workflows webhook (:attr:`GraphFake.webhook_url`).

>>> from e20kit.sandbox import build_org          # doctest: +SKIP
>>> with GraphFake.from_org(build_org(members=40)) as fake:  # doctest: +SKIP
...     print(fake.graph_url, fake.authority_url)
"""

from __future__ import annotations

import hashlib
import ssl
import tempfile
from pathlib import Path
from typing import Any

import trustme
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from e20kit.sandbox import Fake, FaultPlan, LoopbackServer

from .authority import FakeAuthority
from .graph import DownloadHost, FakeGraph, Quota
from .org import MAILBOX, load_org, synthetic_tenant
from .pages import SitePages
from .state import App, FakeUser, Tenant, object_id
from .workflows import Workflows


def thumbprint(certificate_pem: bytes) -> str:
    """The SHA-1 thumbprint (hex) Entra shows for a certificate."""
    der = x509.load_pem_x509_certificate(certificate_pem).public_bytes(Encoding.DER)
    return hashlib.sha1(der, usedforsecurity=False).hexdigest().upper()


class GraphFake(Fake):
    """The fake tenant, its three servers (started on creation) and the CA they trust."""

    def __init__(
        self,
        tenant: Tenant,
        *,
        ca: trustme.CA | None = None,
        faults: FaultPlan | None = None,
        budget: int = 14,
        window_s: float = 600.0,
    ) -> None:
        self.tenant = tenant
        self.ca = ca or trustme.CA()
        self._dir = tempfile.TemporaryDirectory(prefix="e20kit-graph-fake-")
        self.ca_bundle = str(Path(self._dir.name) / "fake-ca.pem")
        self.ca.cert_pem.write_to_path(self.ca_bundle)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        self.ca.issue_cert("127.0.0.1", "localhost").configure_cert(context)
        self.authority = FakeAuthority(tenant.app)
        self.downloads = DownloadHost()
        self.graph = FakeGraph(
            tenant, self.downloads, tokens=self.authority.tokens, budget=budget, window_s=window_s
        )
        self.login_server = LoopbackServer(self.authority, tls=context)
        self.server = LoopbackServer(self.graph, faults=faults)
        self.download_server = LoopbackServer(self.downloads, faults=faults)
        self.workflows = Workflows()
        self.webhook_server = LoopbackServer(self.workflows)
        self.workflows.base_url = self.webhook_server.url
        self.authority.base_url = self.login_server.url
        self.graph.base_url = self.server.url
        self.downloads.base_url = self.download_server.url

    @classmethod
    def from_org(cls, org: Any, **options: Any) -> GraphFake:
        """A fake of ``org``; keyword arguments of :func:`load_org` and of this class."""
        own = {k: options.pop(k) for k in ("ca", "faults", "budget", "window_s") if k in options}
        return cls(load_org(org, **options), **own)

    @property
    def graph_url(self) -> str:
        return f"{self.server.url}/v1.0"

    @property
    def authority_url(self) -> str:
        return self.login_server.url

    @property
    def pages(self) -> SitePages:
        return self.graph.pages

    @property
    def webhook_url(self) -> str:
        """The Teams Workflows webhook's URL (a secret, like the real one)."""
        return self.workflows.url

    @property
    def quota(self) -> Quota:
        return self.graph.quota

    def settings(self, **overrides: Any) -> dict[str, Any]:
        """Connector or notifier settings that reach this fake (the secret given directly)."""
        app = self.tenant.app
        values: dict[str, Any] = {
            "tenant_id": app.tenant_id,
            "client_id": app.client_id,
            "graph_url": self.graph_url,
            "authority_url": self.authority_url,
            "ca_bundle": self.ca_bundle,
        }
        if app.client_secret is not None:
            values["client_secret"] = app.client_secret
        values.update(overrides)
        return values

    def table(self, secret_env: str, **overrides: Any) -> dict[str, Any]:
        """A ``[connectors.<name>]`` / ``[notifiers.<name>]`` table for this fake, its secret
        named by ``secret_env`` (set that variable to ``tenant.app.client_secret``)."""
        values = self.settings(**overrides)
        values.pop("client_secret", None)
        if self.tenant.app.client_secret is not None and "certificate_path" not in overrides:
            values["client_secret_env"] = secret_env
        return {"type": "sharepoint", **values}

    def stop(self) -> None:
        for server in (self.server, self.download_server, self.login_server, self.webhook_server):
            server.stop()
        self._dir.cleanup()


__all__ = [
    "MAILBOX",
    "App",
    "DownloadHost",
    "FakeAuthority",
    "FakeGraph",
    "FakeUser",
    "GraphFake",
    "Quota",
    "SitePages",
    "Tenant",
    "Workflows",
    "load_org",
    "object_id",
    "synthetic_tenant",
    "thumbprint",
]
