"""Adoption metrics computed in SQL inside the store."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Metrics:
    """Placeholder until the analytics module lands: every metric for one period."""


__all__ = ["Metrics"]
