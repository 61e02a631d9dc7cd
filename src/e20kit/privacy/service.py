"""``kit.privacy``: the works-council features as one object of the Python API.

Every ``e20kit privacy ...`` command is one call here; the CLI only parses and prints.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from ..config import PrivacySettings
from . import audit, subjects
from .retention import PurgeResult, purge

if TYPE_CHECKING:
    from ..champions.roster import RosterState
    from ..kit import Kit
    from .names import NamedEntry


class PrivacyService:
    """Retention, subject requests, the audit trail and the data inventory of one kit."""

    def __init__(self, kit: Kit) -> None:
        self._kit = kit

    @property
    def settings(self) -> PrivacySettings:
        return self._kit.config.settings.privacy

    def today(self) -> dt.date:
        """Today where the organisation is."""
        zone = ZoneInfo(self._kit.config.settings.organisation.timezone)
        return dt.datetime.now(zone).date()

    # -- retention -------------------------------------------------------------------------------

    def purge(self, *, today: dt.date | None = None) -> PurgeResult:
        """Delete what the retention rules no longer keep (the rollups follow), and the audit
        trail's rows older than its own rule."""
        today = today or self.today()
        result = purge(self._kit.engine, self.settings, today=today)
        with self._kit.engine.begin() as conn:
            removed = audit.purge(conn, self.settings.audit_retention_days, today=today)
            self._note_settings(conn)  # after: the trail always states the settings in force
        days = self.settings.audit_retention_days
        return dataclasses.replace(
            result,
            purged={**result.purged, "audit_log": removed},
            cutoffs={
                **result.cutoffs,
                "audit_log": today - dt.timedelta(days=days) if days else None,
            },
        )

    # -- the audit trail -------------------------------------------------------------------------

    def _note_settings(self, conn: Any) -> None:
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
        with self._kit.engine.begin() as conn:
            self._note_settings(conn)
            audit.record(conn, action, period=period, format=format, target=target, detail=detail)

    def audit(self, *, limit: int | None = None) -> list[audit.AuditEntry]:
        """The audit trail, oldest first."""
        with self._kit.engine.connect() as conn:
            return audit.entries(conn, limit=limit)

    # -- names, only when asked -----------------------------------------------------------------

    def champion_roster_with_names(self, states: tuple[RosterState, ...] = ()) -> list[NamedEntry]:
        """The champion roster with display names read live from the platforms (never stored);
        needs ``[privacy] allow_name_lookup`` and writes an audit row."""
        from .names import _require, named_roster

        _require(self._kit)
        return named_roster(self._kit, self._kit.champion_roster(states))

    # -- the data inventory ----------------------------------------------------------------------

    def inventory(self, *, lang: str = "en") -> dict[str, Any]:
        """The data inventory from the live schema and config (JSON-ready; see
        :func:`e20kit.privacy.inventory.render_markdown` for the document)."""
        from .inventory import build

        return build(self._kit, lang=lang)

    # -- data-subject requests -------------------------------------------------------------------

    def subject(
        self, *, email: str | None = None, account: str | None = None, platform: str | None = None
    ) -> subjects.Subject:
        with self._kit.engine.connect() as conn:
            return subjects.find_subject(
                conn, self._kit.pseudonymiser, email=email, account=account, platform=platform
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
        with self._kit.engine.connect() as conn:
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
        with self._kit.engine.begin() as conn:
            result = subjects.forget(conn, subject, self._kit.pseudonymiser, dry_run=dry_run)
            if not dry_run:
                self._note_settings(conn)
                audit.record(conn, "subject_forget", detail=result.deleted)
        return result


__all__ = ["PrivacyService"]
