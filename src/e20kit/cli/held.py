"""Say in words what a run held back and why, and where messages went.

A run in quiet hours sends nothing; without these lines its summary read "sent 0 nudges" and
the held-back messages showed only in ``--json``.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import Mapping
from typing import Any

from ..delivery import quiet_reason
from ..wording import counted

STEP = dt.timedelta(minutes=15)


def quiet_until(
    now: dt.datetime, *, timezone: str, start: dt.time, end: dt.time, weekends: bool
) -> dt.datetime | None:
    """The first moment (quarter-hour steps, in ``timezone``) when messages may go out again,
    or None when ``now`` is not quiet."""
    zone = zoneinfo.ZoneInfo(timezone)
    moment = now.astimezone(zone)
    if quiet_reason(moment, timezone=timezone, start=start, end=end, weekends=weekends) is None:
        return None
    moment = moment.replace(minute=moment.minute - moment.minute % 15, second=0, microsecond=0)
    for _ in range(8 * 24 * 4):
        moment += STEP
        if quiet_reason(moment, timezone=timezone, start=start, end=end, weekends=weekends) is None:
            return moment
    return None  # pragma: no cover - quiet for a whole week is not a setting that exists


def until_text(now: dt.datetime, until: dt.datetime | None) -> str:
    """``until 08:00`` the same or next day, ``until Mon 08:00`` later on."""
    if until is None:
        return ""
    local_now = now.astimezone(until.tzinfo)
    days = (until.date() - local_now.date()).days
    when = f"{until:%H:%M}" if days <= 1 else f"{until:%a %H:%M}"
    return f" until {when}"


REASONS = {
    "quiet_hours": "quiet hours{until}",
    "weekend": "weekend{until}",
    "weekly_cap": "weekly cap of {cap} messages per member",
    "opted_out": "opted out",
    "disabled": "nudges disabled ([onboarding.nudges] enabled = false or no notifier)",
    "hold_out": "in an experiment's hold-out arm, docs/effects.md",
}


def held_text(skipped: Mapping[str, int], *, until: str = "", cap: int = 0) -> str:
    """``5 held back (quiet hours until 08:00)``, one part per reason; "" when none."""
    parts = [
        f"{n} {'not sent' if reason == 'opted_out' else 'held back'} "
        f"({REASONS.get(reason, reason).format(until=until, cap=cap)})"
        for reason, n in sorted(skipped.items())
        if n
    ]
    return ", ".join(parts)


def unseen_notifier(notifiers: Mapping[str, Mapping[str, Any]], name: str) -> str | None:
    """A warning when ``name`` is the log notifier without a ``path``: its messages reach
    nobody (they only appear in the log at INFO level, which cron does not show)."""
    table = notifiers.get(name, {})
    if table.get("type", name) != "log" or table.get("path"):
        return None
    return (
        f"notifier '{name}' is the log notifier without a path: the messages reached nobody "
        f'(they are logged at INFO, -v); set [notifiers.{name}] path = "messages.jsonl" to '
        "keep them, or configure a real notifier (docs/config.md)"
    )


def messages(n: int, noun: str, verb: str) -> str:
    """``0 nudges sent``."""
    return f"{counted(n, noun)} {verb}"


__all__ = ["held_text", "messages", "quiet_until", "unseen_notifier", "until_text"]
