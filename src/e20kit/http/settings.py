"""The ``[http]`` config table, kept beside the HTTP layer: ``e20kit.http`` needs no domain module.

``e20kit.config`` re-exports :class:`HttpSettings` as part of the whole config model.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class HttpSettings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    timeout_s: float = Field(default=30.0, gt=0)
    """Connect timeout, and the longest wait for any single read."""
    deadline_s: float = Field(default=120.0, gt=0)
    """Total time of one attempt: connect, headers and the whole body (a slow drip cannot hang)."""
    max_response_mb: float = Field(default=64.0, gt=0)
    """Largest response body after decompression, in MiB (a gzip bomb stops here)."""
    retries: int = Field(default=5, ge=0)
    backoff_factor: float = Field(default=0.5, ge=0)
    backoff_max_s: float = Field(default=60.0, gt=0)
    rate_limit_per_s: float | None = Field(default=None, gt=0)
    """Client-side request rate per connector; None leaves pacing to the server's headers."""
    max_concurrency: int = Field(default=4, ge=1)
    verify_tls: bool | str = True
    """True, False (never in production) or a CA bundle path."""

    @property
    def max_response_bytes(self) -> int:
        return int(self.max_response_mb * 1024 * 1024)


__all__ = ["HttpSettings"]
