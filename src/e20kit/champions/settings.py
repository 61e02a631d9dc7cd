"""Config section ``[champions]``; every key is documented in docs/champions.md."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
WEEKDAYS: tuple[Weekday, ...] = (
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
)


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SignalWeights(_Frozen):
    """``[champions.weights]``: how much each built-in signal counts in the score."""

    contributions: float = Field(default=0.30, ge=0)
    """Pages, posts, replies, comments and edits in the scoring window."""
    helping: float = Field(default=0.25, ge=0)
    """Replies and comments (responses to other people's content)."""
    breadth: float = Field(default=0.15, ge=0)
    """Distinct spaces, sites and channels the member was active in."""
    consistency: float = Field(default=0.20, ge=0)
    """Active weeks out of the last ``consistency_weeks``."""
    recency: float = Field(default=0.10, ge=0)
    """How recently the member was last active."""


class ChampionsSettings(_Frozen):
    """Settings of the ``[champions]`` table."""

    weights: SignalWeights = SignalWeights()
    signal_weights: dict[str, float] = Field(default_factory=dict)
    """Overrides the weight of plugin signals by name (e.g. ``{trainer = 0.5}``)."""
    window_days: int = Field(default=90, ge=7, le=3650)
    """Days of facts (ending today) that contributions, helping and breadth count."""
    consistency_weeks: int = Field(default=12, ge=1, le=520)
    """Weeks looked at for consistency."""
    recency_days: int = Field(default=60, ge=1, le=3650)
    """A member last active this many days ago (or longer) gets recency 0."""
    members_per_champion: int = Field(default=25, ge=1)
    """Coverage target: one champion per this many members of a department."""
    min_department_size: int = Field(default=5, ge=1)
    """Departments smaller than this get no champion of their own."""
    min_score: float = Field(default=0.05, ge=0)
    """Members scoring below this are never nominated."""
    skip_covered_departments: bool = True
    """Count invited and active champions towards a department's target (no nominations in
    departments they already cover)."""
    buddy_cap: int = Field(default=3, ge=1)
    """At most this many buddies per champion."""
    stalled_days: int = Field(default=14, ge=1)
    """A newcomer counts as stalled this many days after joining without progress."""
    newcomer_days: int = Field(default=90, ge=1)
    """Members who joined within this many days are newcomers (for pairing)."""
    reinvite_after_days: int = Field(default=14, ge=0, le=365)
    """An invitee who has not answered this many days after an invitation is invited again
    (0: never)."""
    max_invitations: int = Field(default=2, ge=1, le=5)
    """Invitations per nomination at most, the first one included."""
    digest_weekday: Weekday = "monday"
    """Digests go out on the first run on or after this weekday of each ISO week."""
    quiet_start: dt.time = dt.time(18, 0)
    """Start of quiet hours in the organisation's time zone: invitations and digests wait for
    the first run after them..."""
    quiet_end: dt.time = dt.time(8, 0)
    """...which ends here. Equal start and end mean no quiet hours."""
    send_on_weekends: bool = False
    """Saturdays and Sundays are quiet unless this is true."""
    notifier: str = "log"
    """Name of the ``[notifiers.<name>]`` table that delivers invitations and digests."""
    templates_dir: Path | None = None
    """Folder with templates overriding the built-in ones (same file names)."""
    programme_url: str | None = None
    """Link to the champion programme's page, shown in invitations."""
    contact: str | None = None
    """Who runs the programme (a name or address shown in invitations)."""


__all__ = ["WEEKDAYS", "ChampionsSettings", "SignalWeights", "Weekday"]
