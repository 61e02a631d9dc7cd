"""Config section `[onboarding]`; see docs/config.md."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class OnboardingSettings(BaseModel):
    """Settings of the `[onboarding]` table (placeholder until the feature lands)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
