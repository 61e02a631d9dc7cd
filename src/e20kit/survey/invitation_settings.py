"""``[survey.invitations]``: how ``e20kit survey send`` invites and reminds (docs/survey.md)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class InvitationSettings(BaseModel):
    """``[survey.invitations]``: how ``e20kit survey send`` invites and reminds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    notifier: str = "log"
    """Name of the ``[notifiers.<name>]`` table that delivers invitations (chat DM, mail)."""
    source: str | None = None
    """The ``[survey_sources.<name>]`` a new wave is asked in when ``--source`` is not given
    (default: the only one configured)."""
    wave_days: int = Field(default=14, ge=1, le=90)
    """How long a wave ``survey send`` opens stays open (its ``closes`` date)."""
    max_reminders: int = Field(default=1, ge=0, le=3)
    """Reminders per person and wave at most (``--remind``); 0 sends none."""
    remind_after_days: int = Field(default=5, ge=1, le=60)
    """Days after the last message before a reminder is due."""
    quiet_start: dt.time = dt.time(18, 0)
    """Start of quiet hours in the organisation's time zone (nothing is sent from then...)."""
    quiet_end: dt.time = dt.time(8, 0)
    """...until then. Equal start and end mean no quiet hours."""
    send_on_weekends: bool = False
    """Saturdays and Sundays are quiet unless this is true."""


__all__ = ["InvitationSettings"]
