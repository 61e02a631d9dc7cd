"""What the inventory computes from the live store rather than asserts: each table's category
from what its columns can hold, one-person totals, personal spaces, the store's
re-identification risk, and the files e20kit reads and wrote (the latter from the audit trail).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..store import schema
from .inventory_texts import AGGREGATE, ANONYMOUS, PERSONAL, PSEUDONYMOUS, TECHNICAL

if TYPE_CHECKING:
    from ..config import Config
    from ..plugins import Plugins

RANK = (TECHNICAL, AGGREGATE, ANONYMOUS, PSEUDONYMOUS, PERSONAL)

DIRECT: Mapping[str, tuple[str, str]] = {
    "email": ("e-mail addresses", "E-Mail-Adressen"),
    "display_name": ("display names", "Anzeigenamen"),
    "os_user": ("operators' user names", "Benutzernamen der Betreiber"),
    "requester": ("requesters' names", "Namen der Auftraggeber"),
    "target": ("file names, which may name a person", "Dateinamen, die eine Person nennen können"),
    "reason": ("free text", "Freitext"),
    "person_id": ("platform account ids", "Plattform-Konto-IDs"),
    "manager_id": ("platform account ids", "Plattform-Konto-IDs"),
    "container": (
        "names of spaces, channels and sites, including personal spaces (~user)",
        "Namen von Bereichen, Kanälen und Websites, auch persönlicher Bereiche (~Benutzer)",
    ),
}
"""Columns that can hold something naming a person directly (the table is then personal)."""

CODED: frozenset[tuple[str, str]] = frozenset({("survey_responses", "reason")})
"""(table, column) whose name is in :data:`DIRECT` but whose values are codes e20kit writes
(``survey_responses.reason``: one of the five reason keys), never free text."""

KEYED = frozenset(
    {
        "member_key",
        "manager_key",
        "newcomer_key",
        "champion_key",
        "pair",
        "pairs",
        "subject",
        "tombstone",
    }
)
"""Columns that hold a pseudonym (member key, its numbers or a keyed hash of it)."""


def category(
    columns: Sequence[str], asserted: str | None, lang_index: int, table: str = ""
) -> tuple[str, list[str]]:
    """The table's category from what its columns can hold (never lower than the text's), and
    what makes it so (``column: what it can hold``, in the language of ``lang_index``)."""
    found = asserted or TECHNICAL
    reasons: list[str] = []
    for column in columns:
        if column in DIRECT and (table, column) not in CODED:
            found = max(found, PERSONAL, key=RANK.index)
            reasons.append(f"`{column}`: {DIRECT[column][lang_index]}")
        elif column in KEYED:
            found = max(found, PSEUDONYMOUS, key=RANK.index)
    return found, reasons


def one_person_totals(conn: sa.Connection) -> dict[str, int]:
    """How many day totals (day, platform, feature, container) come from a single person."""
    f = schema.facts
    groups = (
        sa.select(f.c.day)
        .where(f.c.member_key != schema.ANONYMOUS_KEY)
        .group_by(f.c.day, f.c.platform, f.c.feature, f.c.container)
        .having(sa.func.count(sa.distinct(f.c.member_key)) == 1)
        .subquery()
    )
    single = conn.execute(sa.select(sa.func.count()).select_from(groups)).scalar_one()
    total = conn.execute(sa.select(sa.func.count()).select_from(schema.day_totals)).scalar_one()
    return {"single": int(single), "totals": int(total)}


def personal_spaces(conn: sa.Connection) -> int:
    """Containers whose name marks a personal space (Confluence ``~user``, OneDrive URLs)."""
    c = schema.activity_containers.c.container
    query = sa.select(sa.func.count()).where(
        sa.or_(c.like("~%"), c.like("%/personal/%"), c.like("%-my.sharepoint.%"))
    )
    return int(conn.execute(query).scalar_one())


def reidentification(conn: sa.Connection) -> dict[str, int]:
    """Members unique by department, title and joining day (re-identifiable by anyone who
    knows the organisation), and the platform account ids the store holds."""
    m = schema.members
    unique = (
        sa.select(m.c.department)
        .group_by(m.c.department, m.c.title, m.c.joined_on)
        .having(sa.func.count() == 1)
        .subquery()
    )
    count = sa.select(sa.func.count())
    return {
        "members": int(conn.execute(count.select_from(m)).scalar_one()),
        "unique_by_department_title_joined": int(
            conn.execute(count.select_from(unique)).scalar_one()
        ),
        "platform_account_ids": int(
            conn.execute(count.select_from(schema.identities)).scalar_one()
        ),
    }


WRITTEN_ACTIONS = ("report", "report_published", "subject_export", "roster_csv")


def files(conn: sa.Connection, config: Config, plugins: Plugins) -> list[dict[str, Any]]:
    """Files e20kit reads or writes: configured paths of the identity map, connectors and
    notifiers, the SQLite store, and every report, publication, export and roster file the
    audit trail records (free text of erased people already reads ``[erased]``)."""
    out: list[dict[str, Any]] = []
    settings = config.settings
    if settings.identities.map is not None:
        out.append({"kind": "identity_map", "path": str(settings.identities.map), "count": 0})
    for section, types in (
        ("connectors", plugins.connector_types()),
        ("notifiers", plugins.notifier_types()),
    ):
        for name, raw in getattr(settings, section).items():
            registered = types.get(str(raw.get("type", name)))
            if registered is None:
                continue
            model = config.plugin_settings(section, name, registered.settings, secrets=False)
            for field, value in vars(model).items():
                if isinstance(value, Path | str) and field in ("path", "folder", "file"):
                    kind = "connector_input" if section == "connectors" else "notifier_output"
                    out.append({"kind": kind, "name": name, "path": str(value), "count": 0})
    if conn.dialect.name == "sqlite" and conn.engine.url.database:
        out.append({"kind": "store", "path": conn.engine.url.database, "count": 0})
    log = schema.audit_log
    query = (
        sa.select(log.c.action, log.c.target, sa.func.count(), sa.func.max(log.c.at))
        .where(log.c.action.in_(WRITTEN_ACTIONS), log.c.target.is_not(None))
        .group_by(log.c.action, log.c.target)
        .order_by(log.c.action, log.c.target)
    )
    for action, target, count, last in conn.execute(query):
        out.append(
            {
                "kind": action,
                "path": str(target),
                "count": int(count),
                "last": str(last)[:19] if last else None,
            }
        )
    return out


def decisions(config: Config, plugins: Plugins) -> list[dict[str, Any]]:
    """The switches an agreement decides, with the value in force: ``[privacy]`` ones and every
    on/off setting of each configured connector (e.g. Mattermost ``direct_messages``)."""
    privacy = config.settings.privacy
    fields = type(privacy).model_fields
    out: list[dict[str, Any]] = [
        {
            "key": f"privacy.{name}",
            "value": getattr(privacy, name),
            "default": fields[name].default,
        }
        for name in (
            "champion_scoring",
            "allow_individual_views",
            "allow_name_lookup",
            "opt_out_stops_processing",
            "store_contact_details",
        )
    ]
    types = plugins.connector_types()
    for name, raw in config.settings.connectors.items():
        registered = types.get(str(raw.get("type", name)))
        if registered is None:
            continue
        model = config.plugin_settings("connectors", name, registered.settings, secrets=False)
        defaults = type(model).model_fields
        for field, value in vars(model).items():
            if isinstance(value, bool):
                out.append(
                    {
                        "key": f"connectors.{name}.{field}",
                        "value": value,
                        "default": defaults[field].default,
                    }
                )
    return out


__all__ = [
    "category",
    "decisions",
    "files",
    "one_person_totals",
    "personal_spaces",
    "reidentification",
]
