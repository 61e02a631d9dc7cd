"""The rest of Microsoft 365 for the fake tenant: Viva Engage, Outlook and the apps.

The synthetic organisation's events name three platforms; Microsoft 365's other reports are
derived from them without touching its random streams, so every other figure of the
organisation stays as it was. A fixed share of members (picked by a hash of their e-mail) also
use Viva Engage: on their days with Mattermost discussion they post and like there as much, and
read a few threads on any active day. Everyone mails on workdays (members who never contribute
elsewhere mail most: the "lives in mail" pattern), and the apps report marks Outlook on mail days,
Teams on days with chat or discussion, Word and Excel on days with file activity. Leaders and a
share of the others hold a Copilot licence and use it on some of their active days (Copilot
Chat, in Word on file days, in Teams on chat days). Only the 30 days the ``date=`` form serves
are filled.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

from e20kit import Action, Feature

from ..reports import EMAIL_ACTIVITY, M365_APP_ACTIVITY, VIVA_ENGAGE_ACTIVITY
from .state import Tenant

ENGAGE_SHARE = 0.45
"""Share of members who use Viva Engage."""
COPILOT_SHARE = 0.25
"""Share of members (leaders aside: all of them) with a Copilot licence."""
QUIET_ARCHETYPES = frozenset({"lurker", "absent"})
"""Archetypes that contribute nowhere and mail instead."""
DAYS = 30


def share(*parts: object) -> float:
    """A stable number in ``[0, 1)`` for ``parts`` (no random stream involved)."""
    digest = hashlib.sha256("\0".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


@dataclass
class _Day:
    posts: int = 0
    likes: int = 0
    chat: bool = False
    files: int = 0


@dataclass
class M365Mirror:
    """Sees the organisation's events once and fills the other reports from them."""

    first: dt.date
    days: dict[tuple[str, dt.date], _Day] = field(default_factory=lambda: defaultdict(_Day))

    def see(
        self, uid: str, day: dt.date, platform: str, action: Action, feature: Feature, n: int
    ) -> None:
        if day < self.first:
            return
        cell = self.days[(uid, day)]
        if platform == "mattermost":
            if feature is Feature.DISCUSSION and action in (Action.POST, Action.REPLY):
                cell.posts += n
            elif action is Action.REACT:
                cell.likes += n
            cell.chat = cell.chat or feature in (Feature.CHAT, Feature.DISCUSSION)
        elif platform == "sharepoint" and feature is Feature.FILES:
            cell.files += n

    def fill(
        self,
        tenant: Tenant,
        members: list[tuple[str, str, str, dt.date, dt.date | None]],
        leaders: Collection[str] = (),
    ) -> None:
        """``members``: (user id, e-mail, archetype, joined, left or ``None``) of each member;
        ``leaders``: user ids of members with direct reports."""
        engage = {uid for uid, email, *_ in members if share(email, "engage") < ENGAGE_SHARE}
        licensed = set(leaders) | {
            uid for uid, email, *_ in members if share(email, "copilot") < COPILOT_SHARE
        }
        tenant.copilot_licensed |= licensed
        for (uid, day), cell in self.days.items():
            if uid in licensed:
                _copilot(tenant, uid, day, cell)
            if uid in engage:
                reads = 1 + int(share(uid, day, "reads") * 6)
                tenant.add(VIVA_ENGAGE_ACTIVITY, day, uid, "Read Count", reads)
                tenant.add(VIVA_ENGAGE_ACTIVITY, day, uid, "Posted Count", cell.posts)
                tenant.add(VIVA_ENGAGE_ACTIVITY, day, uid, "Liked Count", cell.likes)
            tenant.add(M365_APP_ACTIVITY, day, uid, "Teams", int(cell.chat))
            tenant.add(M365_APP_ACTIVITY, day, uid, "Word", int(cell.files > 0))
            tenant.add(M365_APP_ACTIVITY, day, uid, "Excel", int(cell.files > 2))
        for uid, _, archetype, joined, left in members:
            for offset in range(DAYS):
                day = self.first + dt.timedelta(days=offset)
                if day < joined or (left is not None and day >= left) or day.weekday() >= 5:
                    continue
                h = share(uid, day, "mail")
                quiet = archetype in QUIET_ARCHETYPES
                tenant.add(EMAIL_ACTIVITY, day, uid, "Send Count", (4 if quiet else 1) + int(h * 6))
                tenant.add(EMAIL_ACTIVITY, day, uid, "Read Count", 5 + int(h * 20))
                tenant.add(EMAIL_ACTIVITY, day, uid, "Meeting Interacted Count", 1 + int(h * 3))
                tenant.add(EMAIL_ACTIVITY, day, uid, "Meeting Created Count", int(h < 0.3))
                tenant.add(M365_APP_ACTIVITY, day, uid, "Outlook", 1)


def _copilot(tenant: Tenant, uid: str, day: dt.date, cell: _Day) -> None:
    if share(uid, "copilot idle") < 0.2:  # licensed, never used
        return
    if share(uid, day, "copilot chat") < 0.5:
        tenant.use_copilot(uid, "Copilot Chat Last Activity Date", day)
    if cell.files and share(uid, day, "copilot word") < 0.4:
        tenant.use_copilot(uid, "Word Copilot Last Activity Date", day)
    if cell.chat and share(uid, day, "copilot teams") < 0.3:
        tenant.use_copilot(uid, "Microsoft Teams Copilot Last Activity Date", day)


__all__ = ["COPILOT_SHARE", "ENGAGE_SHARE", "M365Mirror", "share"]
