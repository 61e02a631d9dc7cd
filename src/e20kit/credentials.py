"""Which configuration key to fix when a platform rejects the credentials.

"credentials rejected (HTTP 401)" alone sends the operator hunting; the core knows the
connector's table, so the message names the ``*_env`` keys that hold its credentials.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def credential_hint(section: str, name: str, table: Mapping[str, Any]) -> str:
    """``; fix the credential named by connectors.chat.token_env`` (or every ``*_env`` key of
    the table); empty when the table has none."""
    keys = [f"{section}.{name}.{key}" for key in table if key.endswith("_env")]
    if not keys:
        return ""
    named = " or ".join(keys)
    return (
        f"; fix the credential named by {named} (its value, its permissions or its expiry), "
        "then rerun"
    )


__all__ = ["credential_hint"]
