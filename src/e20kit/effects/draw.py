"""The draw: permuted blocks per department, keyed with HMAC so anyone can re-derive it.

Within one run, a department's new members are put in the order of
``HMAC-SHA256("e20kit-experiment:<id>", member_key)``; each takes the next place (``seq``) of
that department. Places fill blocks of ``B`` (5 for a 20 % hold-out); which ``h`` places of
block ``b`` are hold-outs is the order of ``HMAC(key, "<department>|<b>|<slot>")`` over the
slots. Nothing is secret: given the stored (department, seq), an auditor recomputes every arm
(:func:`arm_at`), and every department stays balanced to within one block.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
from collections.abc import Iterable

from .settings import HOLD_OUT, NUDGED, Experiment


def _key(experiment: Experiment) -> bytes:
    return f"e20kit-experiment:{experiment.id}".encode()


def digest(experiment: Experiment, text: str) -> str:
    """HMAC-SHA256 of ``text`` keyed on the experiment id (hex)."""
    return hmac.new(_key(experiment), text.encode(), hashlib.sha256).hexdigest()


def member_order(experiment: Experiment, members: Iterable[str]) -> list[str]:
    """The order in which one run's new members of a department take their places."""
    return sorted(members, key=lambda m: (digest(experiment, m), m))


def block_arms(experiment: Experiment, stratum: str, block: int) -> tuple[str, ...]:
    """The arms of one block's places, in place order."""
    size, held = experiment.block
    return _block_arms(experiment.id, size, held, stratum, block)


@functools.lru_cache(maxsize=4096)
def _block_arms(
    experiment_id: str, size: int, held: int, stratum: str, block: int
) -> tuple[str, ...]:
    key = f"e20kit-experiment:{experiment_id}".encode()

    def rank(slot: int) -> str:
        return hmac.new(key, f"{stratum}|{block}|{slot}".encode(), hashlib.sha256).hexdigest()

    hold = set(sorted(range(size), key=rank)[:held])
    return tuple(HOLD_OUT if slot in hold else NUDGED for slot in range(size))


def arm_at(experiment: Experiment, stratum: str, seq: int) -> str:
    """The arm of place ``seq`` (0-based) in ``stratum``."""
    size, held = experiment.block
    return _block_arms(experiment.id, size, held, stratum, seq // size)[seq % size]


__all__ = ["arm_at", "block_arms", "digest", "member_order"]
