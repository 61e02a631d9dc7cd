"""The cell key method: a cell's perturbation is fixed by a keyed hash of what it is.

Every published count and total is moved by a small amount drawn from a keyed hash of the
cell's name (table, column, group; never the period) and its true value. Asking again, in any
report of any period, gives the same published value for the same true value, so repeating a
question gains nothing; the key derives from a random key kept in the store (never exported),
so nobody outside can recompute the amounts. The amount is never 0 for a non-zero cell: a
published figure never equals a true one by construction, and a difference of two reports is
off by the sum of two amounts the reader cannot know.
"""

from __future__ import annotations

import hashlib
import hmac
import math

NOISE = (-2, -1, 1, 2)
"""The amounts a count moves by, in steps (see :func:`step`)."""
_EDGES = (43, 128, 213)
"""A hash byte below 43 moves by -2, below 128 by -1, below 213 by +1, else +2 (1/6, 1/3,
1/3, 1/6)."""

KEY_LABEL = b"e20kit disclosure cell key v1"


def derive_secret(key: bytes | None) -> bytes:
    """The perturbation key: an HMAC of a fixed label under the store's random disclosure key
    (without one, a fixed key anyone could recompute: docs/privacy.md, "Residual risks")."""
    return hmac.new(key or b"e20kit-unkeyed", KEY_LABEL, hashlib.sha256).digest()


def noise(secret: bytes, cell: str, value: int) -> int:
    """The amount (one of :data:`NOISE`) of cell ``cell`` holding true ``value``."""
    digest = hashlib.blake2b(f"{cell}\x1f{value}".encode(), key=secret[:64], digest_size=1)
    byte = digest.digest()[0]
    return NOISE[sum(byte >= edge for edge in _EDGES)]


def step(value: int) -> int:
    """How many units one step of noise is for a total of ``value`` (counts of people: 1):
    about a quarter of its square root, so that the relative change shrinks as totals grow."""
    return max(1, round(math.sqrt(max(value, 0)) / 4))


def count_noise(secret: bytes, cell: str, value: int) -> int:
    """A count's amount: -1 or +1 (the sign of :func:`noise`), small enough that a share of a
    group of k keeps its meaning, never 0."""
    return 1 if noise(secret, cell, value) > 0 else -1


def perturb_count(secret: bytes, cell: str, value: int, k: int) -> int | None:
    """The size of a group as published: 0 stays 0, under ``k`` is hidden (``None``), else
    moved by one up or down and never below ``k``."""
    if value == 0:
        return 0
    if value < k:
        return None
    return max(k, value + count_noise(secret, cell, value))


def perturb_subcount(secret: bytes, cell: str, value: int) -> int:
    """A count of people within a group (active, creators) as published: 0 stays 0, else moved
    by one up or down and never below 1, so that a small one is never exact."""
    if value == 0:
        return 0
    return max(1, value + count_noise(secret, cell, value))


def perturb_total(secret: bytes, cell: str, value: int) -> int:
    """A total (contributions, actions) as published: moved by its noise in :func:`step`
    units, never below 0 (0 stays 0)."""
    if value == 0:
        return 0
    return max(0, value + noise(secret, cell, value) * step(value))


__all__ = [
    "NOISE",
    "derive_secret",
    "noise",
    "perturb_count",
    "perturb_subcount",
    "perturb_total",
    "step",
]
