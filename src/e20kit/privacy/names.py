"""Display names, only when asked: read live from the platforms, never stored, always audited.

A connector that can tell names implements :class:`e20kit.NameResolver` (``display_names``).
``[privacy] allow_name_lookup`` must be on; every lookup appends an audit row naming how many
members were looked up (not who).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..collect import prepare_connectors
from ..connector import NameResolver
from ..store import schema
from .gates import require_setting

if TYPE_CHECKING:
    from ..champions.roster import RosterEntry
    from ..config import Config
    from ..plugins import Plugins


@dataclass(frozen=True)
class NamedEntry:
    """A roster entry with the display name the platforms gave (``None``: none could)."""

    entry: RosterEntry
    name: str | None

    def as_dict(self) -> dict[str, Any]:
        return {**self.entry.as_dict(), "name": self.name}


def require_lookup(config: Config) -> None:
    """Refuse unless the agreement allows names (``[privacy] allow_name_lookup``)."""
    require_setting(config, "allow_name_lookup", "looking up names")


def display_names(
    engine: sa.Engine, config: Config, plugins: Plugins, member_keys: Collection[str]
) -> dict[str, str]:
    """Member key -> display name, asking each configured connector that can tell."""
    require_lookup(config)
    ident = schema.identities
    accounts: dict[str, dict[str, str]] = defaultdict(dict)  # source -> person id -> key
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(ident.c.source, ident.c.person_id, ident.c.member_key).where(
                ident.c.member_key.in_(sorted(member_keys))
            )
        )
        for source, person, key in rows:
            accounts[str(source)][str(person)] = str(key)
    configured = set(config.settings.connectors)
    found: dict[str, str] = {}
    for source in sorted(accounts):
        if source not in configured:
            continue
        (prepared,) = prepare_connectors(config, plugins, [source])
        connector = prepared.type.factory(prepared.context)
        try:
            if not isinstance(connector, NameResolver):
                continue
            wanted = {p: k for p, k in accounts[source].items() if k not in found}
            for person, name in connector.display_names(sorted(wanted)).items():
                if person in wanted and name:
                    found.setdefault(wanted[person], name)
        finally:
            connector.close()
    return found


__all__ = ["NamedEntry", "display_names", "require_lookup"]
