"""Disclosure control: the one layer every figure passes on its way out of the store.

>>> layer = kit.disclosure                                   # doctest: +SKIP
>>> published = layer.metrics(raw_metrics)                   # doctest: +SKIP
>>> layer.count("my-plugin/teams/Sales/members", 7)          # doctest: +SKIP

See docs/privacy.md, "Disclosure control", for the rules and the residual risks.
"""

from __future__ import annotations

from .cellkey import derive_secret, perturb_count, perturb_total
from .layer import WITHHELD, Disclosure
from .metrics import publish_metrics
from .policy import PRODUCTION_K, DisclosurePolicy

__all__ = [
    "PRODUCTION_K",
    "WITHHELD",
    "Disclosure",
    "DisclosurePolicy",
    "derive_secret",
    "perturb_count",
    "perturb_total",
    "publish_metrics",
]
