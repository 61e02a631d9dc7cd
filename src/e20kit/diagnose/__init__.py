"""Diagnosis: turn metrics into findings about the known reasons for low use.

The built-in playbook (:func:`playbook`) is registered as an ``e20kit_diagnose`` hook
implementation by the built-in plugin, the same path third-party rules take.
"""

from __future__ import annotations

from .neighbours import NEIGHBOURS
from .rules import RULES, playbook, sort_findings
from .signals import Signal, severity
from .texts import LANGS, REMEDIES, RULED_OUT, TITLES

__all__ = [
    "LANGS",
    "NEIGHBOURS",
    "REMEDIES",
    "RULED_OUT",
    "RULES",
    "TITLES",
    "Signal",
    "playbook",
    "severity",
    "sort_findings",
]
