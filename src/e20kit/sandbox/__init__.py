"""Sandbox: a deterministic synthetic organisation and a loopback HTTP server harness.

Plugins mount loopback fakes of their vendor APIs on :class:`LoopbackServer`, fed from one
:func:`build_org` organisation, so the demo and the end-to-end tests run real connectors over real
HTTP without a network. See docs/sandbox.md.
"""

from __future__ import annotations

from .faults import FAULT_KINDS, FaultPlan
from .routing import App, Headers, Request, Response, Router
from .server import LoggedRequest, LoopbackServer

__all__ = [
    "FAULT_KINDS",
    "App",
    "FaultPlan",
    "Headers",
    "LoggedRequest",
    "LoopbackServer",
    "Request",
    "Response",
    "Router",
]
