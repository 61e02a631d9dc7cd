"""Sandbox: a deterministic synthetic organisation and a loopback HTTP server harness.

Plugins mount loopback fakes of their vendor APIs on :class:`LoopbackServer`, fed from one
:func:`build_org` organisation, so the demo and the end-to-end tests run real connectors over real
HTTP without a network. See docs/sandbox.md.

This package is public API: every name in ``__all__`` (among them :class:`LoopbackServer`,
:class:`FaultPlan`, :class:`Router`, :func:`build_org` and :class:`Org`) may be used by plugins
and their tests and changes only with a deprecation. Import them from ``e20kit.sandbox``; its
submodules are implementation details.
"""

from __future__ import annotations

from .answers import planted_reasons, survey_answers
from .bench import bench_people, facts_for_bench
from .csvexport import ACTIVITY_HEADER, PEOPLE_HEADER, write_csv_folder
from .fake import Fake
from .faults import FAULT_KINDS, FaultPlan
from .knobs import PRESETS, Knobs
from .org import DEFAULT_END, Org, build_org
from .programmes import EFFECTS, Programme, effect_size
from .records import ARCHETYPES, PLATFORMS, Container, Event, Member
from .routing import App, Headers, Request, Response, Router
from .server import LoggedRequest, LoopbackServer

__all__ = [
    "ACTIVITY_HEADER",
    "ARCHETYPES",
    "DEFAULT_END",
    "EFFECTS",
    "FAULT_KINDS",
    "PEOPLE_HEADER",
    "PLATFORMS",
    "PRESETS",
    "App",
    "Container",
    "Event",
    "Fake",
    "FaultPlan",
    "Headers",
    "Knobs",
    "LoggedRequest",
    "LoopbackServer",
    "Member",
    "Org",
    "Programme",
    "Request",
    "Response",
    "Router",
    "bench_people",
    "build_org",
    "effect_size",
    "facts_for_bench",
    "planted_reasons",
    "survey_answers",
    "write_csv_folder",
]
