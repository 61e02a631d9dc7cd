"""Graph's rate policy for the core's session.

Microsoft Graph advertises nothing but ``Retry-After`` on its 429 and 503 answers (the
throttling guidance in graph-reports.md section 4), and the core already honours that header,
fractional seconds included. So this policy reads no header and never slows the session; the
report quota, which Graph does not advertise at all, is planned by :mod:`.quota` instead.
"""

from __future__ import annotations

from collections.abc import Mapping

from e20kit.http import RateAdvice


class GraphRatePolicy:
    """A :class:`e20kit.http.RatePolicy` that leaves pacing to ``Retry-After`` and the quota."""

    def advise(self, headers: Mapping[str, str], *, now: float) -> RateAdvice | None:
        return None


__all__ = ["GraphRatePolicy"]
