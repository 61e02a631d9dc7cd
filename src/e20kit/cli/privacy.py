"""``e20kit privacy ...``: retention, data-subject requests, the audit trail, the inventory."""

from __future__ import annotations

from ..privacy.retention import PurgeResult


def purge_summary(purged: PurgeResult | None) -> str | None:
    """One line for ``collect`` and ``run``: how much the retention rules removed."""
    if purged is None:
        return None
    parts = ", ".join(f"{table} {n}" for table, n in purged.purged.items() if n)
    return f"retention: purged {purged.total} row(s)" + (f" ({parts})" if parts else "")


__all__ = ["purge_summary"]
