"""Config section `[champions]`; see docs/config.md."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ChampionsSettings(BaseModel):
    """Settings of the `[champions]` table (placeholder until the feature lands)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
