"""Outputs for people (``--json`` of ``run``, ``champions nominate``, ``onboarding run`` and
``onboarding status``) through the disclosure layer: no exact size of a group anywhere.

Department sizes use the same cell as the report's departments table, so the same true size is
published alike in both; a department under k has no size and no target (the target would
give its size away).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .layer import Disclosure


def nominations(data: dict[str, Any], layer: Disclosure) -> dict[str, Any]:
    """``NominationResult.as_dict()`` published."""
    departments = []
    for row in data.get("departments", []):
        name = row["department"]
        members = layer.count(f"departments/{name}/members", row["members"])
        departments.append(
            {
                **row,
                "members": members,
                "target": None if members is None else row["target"],
                "suppressed": members is None,
            }
        )
    return {**data, "departments": departments}


def onboarding(data: dict[str, Any], layer: Disclosure) -> dict[str, Any]:
    """``OnboardingResult.as_dict()`` published: members enrolled per checklist."""
    enrolled = {
        checklist: layer.count(f"onboarding/{checklist}/enrolled", n)
        for checklist, n in data.get("enrolled", {}).items()
    }
    return {**data, "enrolled": enrolled}


def funnel(rows: list[dict[str, Any]], layer: Disclosure) -> list[dict[str, Any]]:
    """``OnboardingStatus.as_dict()`` published, with the report's onboarding cells."""
    out = []
    for row in rows:
        cell = f"onboarding/{row['checklist']}/{row['step']}"
        eligible = layer.count(f"{cell}/eligible", row.get("eligible"))
        hidden = eligible is None
        out.append(
            {
                **row,
                "eligible": eligible,
                "completed": None
                if hidden
                else layer.subcount(f"{cell}/completed", row["completed"], within=eligible),
                "stalled": None
                if hidden
                else layer.subcount(f"{cell}/stalled", row["stalled"], within=eligible),
                "suppressed": hidden,
            }
        )
    return out


def run(data: dict[str, Any], layer: Disclosure) -> dict[str, Any]:
    """``CycleResult.as_dict()`` published (its findings already passed the layer)."""
    out = dict(data)
    if out.get("nominations") is not None:
        out["nominations"] = nominations(out["nominations"], layer)
    if out.get("onboarding") is not None:
        out["onboarding"] = onboarding(out["onboarding"], layer)
    return out


__all__ = ["funnel", "nominations", "onboarding", "run"]
