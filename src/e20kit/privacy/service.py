"""``kit.privacy``: the works-council features as one object of the Python API.

Every ``e20kit privacy ...`` command is one call here; the CLI only parses and prints.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ..config import PrivacySettings
from .retention import PurgeResult, purge

if TYPE_CHECKING:
    from ..kit import Kit


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

    def purge(self, *, today: dt.date | None = None) -> PurgeResult:
        """Delete what the retention rules no longer keep; the rollups follow."""
        return purge(self._kit.engine, self.settings, today=today or self.today())


__all__ = ["PrivacyService"]
