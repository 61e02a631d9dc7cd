"""``kit.privacy``: the works-council features as one service of the Python API.

Every ``e20kit privacy ...`` command is one call here; the CLI only parses and prints. Like the
onboarding and champions services it gets its dependencies explicitly (store, config, plugins,
the pseudonymiser on demand, the organisation's clock), not the whole Kit.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from ..clock import OrgClock
from ..clockguard import refuse_purge
from ..config import Config, PrivacySettings
from ..plugins import Plugins
from . import audit, subjects
from .pseudonyms import Pseudonymiser
from .retention import PurgeResult, purge

if TYPE_CHECKING:
    from ..champions.roster import RosterEntry, RosterState
    from .names import NamedEntry

Roster = Callable[[tuple["RosterState", ...]], list["RosterEntry"]]


class PrivacyService:
    """Retention, subject requests, the audit trail, names and the data inventory."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        pseudonymiser: Callable[[], Pseudonymiser],
        clock: OrgClock,
        *,
        store_url: str,
        roster: Roster,
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self._pseudonymiser = pseudonymiser
        self.clock = clock
        self.store_url = store_url
        self._roster = roster

    @property
    def settings(self) -> PrivacySettings:
        return self.config.settings.privacy

    # -- retention -------------------------------------------------------------------------------

    def purge(self, *, today: dt.date | None = None, force: bool = False) -> PurgeResult:
        """Delete what the retention rules no longer keep (the rollups follow), and the audit
        trail's rows older than its own rule.

        Without ``force`` a reference day after the real clock, a system clock behind the last
        collect, or a purge of more than ``max_purge_share`` of the facts raises
        :class:`~e20kit.clockguard.ClockGuardError` and deletes nothing."""
        today = today or self.clock.today()
        if not force:
            refuse_purge(self.engine, self.config.settings, self.clock, today=today)
        result = purge(self.engine, self.settings, today=today)
        days = self.settings.audit_retention_days
        with self.engine.begin() as conn:
            removed = audit.purge(conn, days, today=today)
            self._note_settings(conn)  # after: the trail always states the settings in force
        return dataclasses.replace(
            result,
            purged={**result.purged, "audit_log": removed},
            cutoffs={
                **result.cutoffs,
                "audit_log": today - dt.timedelta(days=days) if days else None,
            },
        )

    # -- the audit trail -------------------------------------------------------------------------

    def _note_settings(self, conn: sa.Connection) -> None:
        audit.note_settings(conn, self.settings.model_dump(mode="json"))

    def record(
        self,
        action: str,
        *,
        period: str | None = None,
        format: str | None = None,
        target: str | None = None,
        detail: dict[str, Any] | None = None,
    ) -> None:
        """Append a row to the audit trail (and one for changed privacy settings first)."""
        with self.engine.begin() as conn:
            self._note_settings(conn)
            audit.record(conn, action, period=period, format=format, target=target, detail=detail)

    def audit(self, *, limit: int | None = None) -> list[audit.AuditEntry]:
        """The audit trail, oldest first."""
        with self.engine.connect() as conn:
            return audit.entries(conn, limit=limit)

    # -- names, only when asked -----------------------------------------------------------------

    def champion_roster_with_names(self, states: tuple[RosterState, ...] = ()) -> list[NamedEntry]:
        """The champion roster with display names read live from the platforms (never stored);
        needs ``[privacy] allow_name_lookup`` and writes an audit row."""
        from .names import NamedEntry, display_names, require_lookup

        require_lookup(self.config)
        entries = self._roster(states)
        names = display_names(
            self.engine, self.config, self.plugins, [e.member_key for e in entries]
        )
        self.record(
            "name_lookup",
            target="champions list",
            detail={"members": len(entries), "resolved": len(names)},
        )
        return [NamedEntry(e, names.get(e.member_key)) for e in entries]

    # -- the data inventory ----------------------------------------------------------------------

    def inventory(self, *, lang: str = "en") -> dict[str, Any]:
        """The data inventory from the live schema and config (JSON-ready; see
        :func:`e20kit.privacy.inventory.render_markdown` for the document)."""
        from .inventory import build

        return build(self.engine, self.config, self.plugins, store_url=self.store_url, lang=lang)

    # -- data-subject requests -------------------------------------------------------------------

    def subject(
        self, *, email: str | None = None, account: str | None = None, platform: str | None = None
    ) -> subjects.Subject:
        with self.engine.connect() as conn:
            return subjects.find_subject(
                conn, self._pseudonymiser(), email=email, account=account, platform=platform
            )

    def export(
        self,
        *,
        email: str | None = None,
        account: str | None = None,
        platform: str | None = None,
        target: str | None = None,
    ) -> subjects.SubjectExport:
        """Everything stored under the person's key (access request), audited."""
        subject = self.subject(email=email, account=account, platform=platform)
        with self.engine.connect() as conn:
            result = subjects.export(conn, subject)
        self.record(
            "subject_export", format="json", target=target or "stdout", detail=result.counts
        )
        return result

    def forget(
        self,
        *,
        email: str | None = None,
        account: str | None = None,
        platform: str | None = None,
        dry_run: bool = False,
    ) -> subjects.ForgetResult:
        """Erase the person (erasure request) in one transaction and leave a tombstone."""
        subject = self.subject(email=email, account=account, platform=platform)
        with self.engine.begin() as conn:
            result = subjects.forget(conn, subject, self._pseudonymiser(), dry_run=dry_run)
            if not dry_run:
                self._note_settings(conn)
                audit.record(conn, "subject_forget", detail=result.deleted)
        return result


__all__ = ["PrivacyService"]
