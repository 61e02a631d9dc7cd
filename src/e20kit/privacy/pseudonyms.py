"""Pseudonymisation: member keys are an HMAC of the normalised e-mail.

The same person on Confluence, SharePoint and Mattermost is one member, and the store never needs
the address itself.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from ..models import normalise_email


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

    def tombstone(self, member_key: str) -> str:
        """A keyed hash of ``member_key`` (neither the key nor an address, recomputable from
        either; a plain SHA-256 without a secret). Erasure tombstones use
        :mod:`e20kit.privacy.tombstones` instead (re-keyable); the audit trail's pseudonyms and
        tombstones written before it (table ``forgotten``) are these."""
        text = f"forgotten:{member_key}".encode()
        if self.secret is None:
            return hashlib.sha256(text).hexdigest()
        return hmac.new(self.secret, text, hashlib.sha256).hexdigest()


__all__ = ["Pseudonymiser"]
