"""Filling the fake tenant from e20kit's synthetic organisation (or plain numbers, for benchmarks).

Members become users (their e-mail is both ``mail`` and ``userPrincipalName``, so the demo joins
them with the other platforms), with managers, departments, titles and languages; leavers are
disabled. A few guest accounts are added as tenants have them. SharePoint events become the
SharePoint activity report's counts: views, edits, creations and comments of files count as
"Viewed Or Edited" (Microsoft does not tell them apart), syncs as "Synced", shares as "Shared
Internally", visits as "Visited Page". The organisation's SharePoint sites become the site
usage report's sites, each visit also a page view of its site (a dormant site lists zeros).
Optionally Mattermost's channel and chat messages become
Teams counts, for tests of the Teams report. Viva Engage, Outlook and the apps reports are
derived in :mod:`.m365`.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from e20kit import Action, Feature

from ..reports import (
    EMAIL_ACTIVITY,
    M365_APP_ACTIVITY,
    ONEDRIVE_ACTIVITY,
    SHAREPOINT_ACTIVITY,
    SITE_USAGE,
    TEAMS_ACTIVITY,
    VIVA_ENGAGE_ACTIVITY,
)
from .m365 import DAYS, M365Mirror
from .state import App, FakeSite, FakeUser, Tenant, object_id

MAILBOX = "e20kit-notify@example.org"
"""The mailbox the fake's notifier sends from (a licensed user of the tenant)."""

_SHAREPOINT = {
    Action.VIEW: "Viewed Or Edited File Count",
    Action.EDIT: "Viewed Or Edited File Count",
    Action.CREATE: "Viewed Or Edited File Count",
    Action.COMMENT: "Viewed Or Edited File Count",
    Action.SYNC: "Synced File Count",
    Action.SHARE: "Shared Internally File Count",
    Action.VISIT: "Visited Page Count",
}


def _teams_column(action: Action, feature: Feature) -> str | None:
    if feature is Feature.CHAT and action in (Action.POST, Action.REPLY):
        return "Private Chat Message Count"
    if feature is Feature.DISCUSSION and action is Action.POST:
        return "Post Messages"
    if feature is Feature.DISCUSSION and action is Action.REPLY:
        return "Reply Messages"
    return None


def _service_users(tenant: Tenant, created: dt.datetime, guests: int) -> None:
    tenant.users.append(
        FakeUser(
            id=object_id("mailbox"),
            upn=MAILBOX,
            mail=MAILBOX,
            display_name="e20kit notifications",
            created=created,
        )
    )
    for i in range(guests):
        upn = f"guest{i}_partner.example#EXT#@synthetic.onmicrosoft.com"
        tenant.users.append(
            FakeUser(
                id=object_id("guest", str(i)),
                upn=upn,
                mail=f"guest{i}@partner.example",
                display_name=f"Guest {i}",
                user_type="Guest",
                created=created,
            )
        )


def load_org(
    org: Any,
    *,
    app: App | None = None,
    today: dt.date | None = None,
    teams_from_mattermost: bool = False,
    guests: int = 2,
    **options: Any,
) -> Tenant:
    """The fake tenant of a :func:`e20kit.sandbox.build_org` organisation.

    ``today`` defaults to the organisation's last day; ``options`` go to :class:`Tenant`.
    """
    tenant = Tenant(today=today or org.end - dt.timedelta(days=1), app=app or App(), **options)
    created = dt.datetime.combine(org.start - dt.timedelta(days=60), dt.time(9), dt.UTC)
    ids = {m.person_id: object_id("user", m.person_id) for m in org.people}
    for member in org.people:
        tenant.users.append(
            FakeUser(
                id=ids[member.person_id],
                upn=member.email,
                mail=member.email,
                display_name=member.display_name,
                department=member.department,
                job_title=member.title,
                created=dt.datetime.combine(member.joined_on, dt.time(9), dt.UTC),
                preferred_language=member.locale,
                enabled=member.active,
                manager_id=ids.get(member.manager_id or ""),
            )
        )
    _service_users(tenant, created, guests)
    sites = {
        c.container_id: FakeSite(
            id=object_id("site", c.container_id),
            url=f"https://synthetic.sharepoint.com/sites/{c.container_id}",
            owner=c.name,
            created=created.date(),
        )
        for c in org.containers_of("sharepoint")
    }
    tenant.sites.extend(sites.values())
    mirror = M365Mirror(first=tenant.today - dt.timedelta(days=DAYS - 1))
    for member, event in org.iter_events(["sharepoint", "mattermost"]):
        uid = ids[member.person_id]
        mirror.see(uid, event.day, event.platform, event.action, event.feature, event.count)
        if event.platform == "sharepoint":
            tenant.add(SHAREPOINT_ACTIVITY, event.day, uid, _SHAREPOINT[event.action], event.count)
            site = sites.get(event.container or "")
            if event.action is Action.VISIT and site is not None:
                tenant.add(SITE_USAGE, event.day, site.id, "Page View Count", event.count)
            continue
        column = _teams_column(event.action, event.feature) if teams_from_mattermost else None
        if column is not None:
            tenant.add(TEAMS_ACTIVITY, event.day, uid, column, event.count)
    mirror.fill(
        tenant,
        [(ids[m.person_id], m.email, m.archetype, m.joined_on, m.left_on) for m in org.people],
        leaders={ids[m.person_id] for m in org.people if m.is_leader},
    )
    return tenant


def synthetic_tenant(
    *, users: int, days: int = 30, today: dt.date, seed: int = 7, **options: Any
) -> Tenant:
    """Plain numbers for benchmarks: ``users`` users (and a site per 20), every report."""
    rng = random.Random(seed)
    tenant = Tenant(today=today, **options)
    created = dt.datetime.combine(today - dt.timedelta(days=days + 60), dt.time(9), dt.UTC)
    boss: str | None = None
    for i in range(users):
        uid = object_id("bench", str(i))
        tenant.users.append(
            FakeUser(
                id=uid,
                upn=f"user{i:05d}@example.org",
                mail=f"user{i:05d}@example.org",
                display_name=f"User {i}",
                created=created,
                manager_id=boss if i % 8 else None,
            )
        )
        boss = uid if i % 8 == 0 else boss
    for i in range(max(1, users // 20)):
        sid = object_id("bench-site", str(i))
        url = f"https://example.sharepoint.com/sites/s{i}"
        tenant.sites.append(FakeSite(sid, url, f"Site {i}", created.date()))
    for offset in range(days):
        day = today - dt.timedelta(days=offset)
        for user in tenant.users:
            if rng.random() < 0.4:
                tenant.add(
                    SHAREPOINT_ACTIVITY,
                    day,
                    user.id,
                    "Viewed Or Edited File Count",
                    rng.randint(1, 9),
                )
            if rng.random() < 0.3:
                tenant.add(ONEDRIVE_ACTIVITY, day, user.id, "Synced File Count", rng.randint(1, 5))
            if rng.random() < 0.5:
                tenant.add(
                    TEAMS_ACTIVITY, day, user.id, "Private Chat Message Count", rng.randint(1, 20)
                )
            if rng.random() < 0.3:
                tenant.add(VIVA_ENGAGE_ACTIVITY, day, user.id, "Read Count", rng.randint(1, 9))
            if day.weekday() < 5:
                tenant.add(EMAIL_ACTIVITY, day, user.id, "Send Count", rng.randint(1, 12))
                tenant.add(M365_APP_ACTIVITY, day, user.id, "Outlook", 1)
            if rng.random() < 0.1:
                tenant.use_copilot(user.id, "Copilot Chat Last Activity Date", day)
        for site in tenant.sites[::2]:  # every other site dormant
            tenant.add(SITE_USAGE, day, site.id, "Page View Count", rng.randint(1, 50))
    return tenant


__all__ = ["MAILBOX", "load_org", "synthetic_tenant"]
