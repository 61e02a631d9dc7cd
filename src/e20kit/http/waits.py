"""Long waits say so: one line with the reason and an estimate, and the progress bar shows it.

A collect that waits for a vendor's quota window (Microsoft 365: up to ten minutes on a first
run) or for a rate-limit reset must not look hung. Whoever is about to sleep for longer than
:data:`NOTICE_S` calls :func:`announce_wait`; the CLI registers a listener that prints the line
(not under ``-q``) and shows it on the progress bar; without a listener it is an INFO log line.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

log = logging.getLogger("e20kit.wait")

NOTICE_S = 5.0
"""Waits at least this long are announced; shorter ones are pacing, logged at DEBUG only."""

WaitListener = Callable[[str, float], None]
"""Called with the reason (``"m365: quota window full"``) and the seconds about to be waited."""

_listeners: list[WaitListener] = []
_lock = threading.Lock()


def announce_wait(reason: str, seconds: float) -> None:
    """Tell the operator a wait of ``seconds`` for ``reason`` starts now (before sleeping)."""
    if seconds < NOTICE_S:
        log.debug("%s; waiting %.1f s", reason, seconds)
        return
    log.info("%s; waiting %.1f s", reason, seconds)
    with _lock:
        listeners = list(_listeners)
    for listener in listeners:
        listener(reason, seconds)


@contextmanager
def wait_listener(listener: WaitListener) -> Iterator[None]:
    """Have ``listener`` called for every announced wait while the block runs."""
    with _lock:
        _listeners.append(listener)
    try:
        yield
    finally:
        with _lock:
            _listeners.remove(listener)


__all__ = ["NOTICE_S", "WaitListener", "announce_wait", "wait_listener"]
