"""Pseudonymisation and minimum group sizes.

Member keys are an HMAC of the normalised e-mail, so the same person on Confluence, SharePoint and
Mattermost is one member, and the store never needs the address itself. Every grouped figure that
leaves e20kit goes through :func:`suppress_small_groups`.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .models import normalise_email

SUPPRESSED = "suppressed"
"""Name of the flag set on rows hidden because their group is below the minimum size."""


@dataclass(frozen=True)
class Pseudonymiser:
    """Turns identities into stable member keys."""

    secret: bytes | None
    """HMAC key; ``None`` turns pseudonymisation off (keys are then the e-mail addresses)."""

    @property
    def enabled(self) -> bool:
        return self.secret is not None

    def member_key(self, *, email: str | None, platform: str, person_id: str) -> str:
        """The member key of an account: by e-mail when known, else by platform id."""
        identity = normalise_email(email) if email else f"{platform}:{person_id}"
        if self.secret is None:
            return identity[:64]
        return hmac.new(self.secret, identity.encode(), hashlib.sha256).hexdigest()[:32]


def suppress_small_groups(
    rows: Iterable[Mapping[str, Any]],
    *,
    size_field: str,
    min_size: int,
    keep: Sequence[str] = (),
) -> list[dict[str, Any]]:
    """Copy ``rows``, blanking every value of groups smaller than ``min_size``.

    ``keep`` names the columns that identify the group (e.g. the department label) and stay
    visible; every other value of a small group becomes ``None`` and ``suppressed`` is ``True``.
    """
    out: list[dict[str, Any]] = []
    for row in rows:
        size = row.get(size_field)
        small = size is None or int(size) < min_size
        if small:
            hidden = {k: (v if k in keep else None) for k, v in row.items()}
            hidden[SUPPRESSED] = True
            out.append(hidden)
        else:
            out.append({**row, SUPPRESSED: False})
    return out


__all__ = ["SUPPRESSED", "Pseudonymiser", "suppress_small_groups"]
