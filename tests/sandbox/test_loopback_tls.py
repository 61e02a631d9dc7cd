"""LoopbackServer over TLS: https:// with a certificate from a test CA."""

from __future__ import annotations

import ssl

import pytest
import requests

from e20kit.sandbox import LoopbackServer, Request, Response

trustme = pytest.importorskip("trustme")


def test_serves_https_with_the_given_context_and_rejects_untrusted_clients() -> None:
    ca = trustme.CA()
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(context)

    def app(request: Request) -> Response:
        return Response.json({"path": request.path})

    with LoopbackServer(app, tls=context) as server, ca.cert_pem.tempfile() as bundle:
        assert server.url.startswith("https://127.0.0.1:")
        session = requests.Session()
        session.trust_env = False
        assert session.get(f"{server.url}/x", verify=bundle).json() == {"path": "/x"}
        with pytest.raises(requests.exceptions.SSLError):
            session.get(f"{server.url}/x", verify=True)
        # a failed handshake does not stop the server
        assert session.get(f"{server.url}/y", verify=bundle).json() == {"path": "/y"}
