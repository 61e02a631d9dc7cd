"""Diagnosis: turn metrics into findings about the known reasons for low use.

The built-in playbook (:func:`playbook`) is registered as an ``e20kit_diagnose`` hook
implementation by the built-in plugin, the same path third-party rules take.
"""

from __future__ import annotations

from .rules import RULES, Signal, playbook, sort_findings
from .texts import LANGS, REMEDIES, TITLES

__all__ = ["LANGS", "REMEDIES", "RULES", "TITLES", "Signal", "playbook", "sort_findings"]
