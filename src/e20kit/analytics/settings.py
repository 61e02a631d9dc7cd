"""Config section `[analytics]`; see docs/config.md."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class AnalyticsSettings(BaseModel):
    """Settings of the `[analytics]` table (placeholder until the feature lands)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
