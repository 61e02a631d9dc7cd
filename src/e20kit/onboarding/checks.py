"""Built-in onboarding checks and the validation of the checks a config names.

``activity`` counts stored facts since joining ("did ACTION on PLATFORM at least N times");
``attribute`` reads a platform attribute a connector stored (``has_picture``, ``teams``...);
``manual`` is never detected automatically: the step completes when someone marks it with
``e20kit onboarding mark`` or a CSV import (a mark completes *any* step, whatever its check).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import ConfigError
from ..extensions import Check, CheckContext
from ..vocab import Action, Feature
from .settings import OnboardingSettings, Step


class ActivityParams(BaseModel):
    """Parameters of the ``activity`` check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: str | None = None
    """Only facts of this platform (e.g. ``mattermost``); None: any platform."""
    actions: tuple[Action, ...] = ()
    """Only these actions (a single name is fine too); empty: any action."""
    feature: Feature | None = None
    """Only this feature (``wiki``, ``chat``...); None: any."""
    min_count: int = Field(default=1, ge=1)
    """How many times at least, counted since the member joined."""

    @field_validator("actions", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return (value,) if isinstance(value, str) else value


class AttributeParams(BaseModel):
    """Parameters of the ``attribute`` check."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    platform: str
    name: str
    """Attribute name as the connector stores it (see the connector's docs)."""
    at_least: float | None = None
    """For numeric attributes: the minimum value; None: the attribute must be truthy."""


def _activity(ctx: CheckContext, params: ActivityParams) -> bool:
    found = ctx.count(
        platform=params.platform,
        actions=params.actions or None,
        feature=params.feature,
        since=ctx.joined_on,
    )
    return found >= params.min_count


def _attribute(ctx: CheckContext, params: AttributeParams) -> bool:
    value = ctx.attributes(params.platform).get(params.name)
    if params.at_least is None:
        return bool(value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return value >= params.at_least


def _manual(ctx: CheckContext, params: BaseModel) -> bool:
    return False  # only a mark completes a manual step


BUILTIN_CHECKS: tuple[Check, ...] = (
    Check(
        id="activity",
        evaluate=_activity,
        params=ActivityParams,
        description="Did ACTION (on PLATFORM, in FEATURE) at least min_count times since joining.",
    ),
    Check(
        id="attribute",
        evaluate=_attribute,
        params=AttributeParams,
        description="A stored platform attribute is set (or at least a number).",
    ),
    Check(
        id="manual",
        evaluate=_manual,
        description="Completed only by `e20kit onboarding mark` or a CSV import of marks.",
    ),
)


@dataclass(frozen=True)
class BoundCheck:
    """A configured step's check with its validated parameters."""

    check: Check
    params: BaseModel

    def __call__(self, ctx: CheckContext) -> bool:
        return bool(self.check.evaluate(ctx, self.params))


def bind_checks(
    settings: OnboardingSettings, checks: Mapping[str, Check], *, where: str
) -> dict[tuple[str, str], BoundCheck]:
    """Resolve every step's check and validate its params; ConfigError names checklist and step."""
    bound: dict[tuple[str, str], BoundCheck] = {}
    for index, checklist in enumerate(settings.checklists):
        for step_index, step in enumerate(checklist.steps):
            key = f"onboarding.checklists[{index}].steps[{step_index}]"
            bound[(checklist.id, step.id)] = _bind(step, checks, checklist.id, key, where)
    return bound


def _bind(
    step: Step, checks: Mapping[str, Check], checklist: str, key: str, where: str
) -> BoundCheck:
    check = checks.get(step.check)
    if check is None:
        raise ConfigError(
            f"config error in {where}: checklist {checklist!r}, step {step.id!r}: unknown check "
            f"{step.check!r} ({key}.check); known checks: {', '.join(sorted(checks)) or 'none'}",
            file=where,
            key=f"{key}.check",
            checklist=checklist,
            step=step.id,
        )
    try:
        params = check.params.model_validate(step.params)
    except ValidationError as err:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'params'}: "
            + ("unknown parameter" if e["type"] == "extra_forbidden" else e["msg"])
            for e in err.errors()
        )
        raise ConfigError(
            f"config error in {where}: checklist {checklist!r}, step {step.id!r}: bad params for "
            f"check {step.check!r} ({key}.params): {problems}",
            file=where,
            key=f"{key}.params",
            checklist=checklist,
            step=step.id,
        ) from err
    return BoundCheck(check, params)


__all__ = ["BUILTIN_CHECKS", "ActivityParams", "AttributeParams", "BoundCheck", "bind_checks"]
