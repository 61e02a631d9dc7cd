"""The champion programme as the :class:`~e20kit.Kit` exposes it: one function per command.

Each function takes the kit (config, store, plugins) and returns a typed result; the CLI only
prints them.
"""

from __future__ import annotations

import datetime as dt
import getpass
import zoneinfo
from collections.abc import Collection, Mapping
from typing import TYPE_CHECKING

from ..extensions import ChampionNominated, ReportSection
from ..instances import make_notifier
from .buddies import PairingResult, pair_buddies
from .newcomers import Progress, newcomer_keys, stalled_newcomers
from .newcomers import progress as fact_progress
from .nominate import Nomination, NominationResult, nominate
from .outreach import Outreach, OutreachResult
from .report import champion_section
from .roster import ChampionError, RosterEntry, RosterState, StateChange, load_roster, set_state
from .scoring import ChampionScore, compute_scores

if TYPE_CHECKING:
    from ..kit import Kit


def default_actor() -> str:
    """Who changes the roster when ``by`` is not given: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def utcnow(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(dt.UTC)
    return now if now.tzinfo else now.replace(tzinfo=dt.UTC)


def local_today(kit: Kit, now: dt.datetime) -> dt.date:
    """Today in the organisation's time zone."""
    zone = zoneinfo.ZoneInfo(kit.config.settings.organisation.timezone)
    return now.astimezone(zone).date()


def scores(kit: Kit, *, now: dt.datetime | None = None) -> list[ChampionScore]:
    settings = kit.config.settings.champions
    today = local_today(kit, utcnow(now))
    return compute_scores(kit.engine, settings, today=today, signals=kit.plugins.champion_signals())


def explain(kit: Kit, member: str, *, now: dt.datetime | None = None) -> ChampionScore:
    key = kit.resolve_member(member)
    for score in scores(kit, now=now):
        if score.member_key == key:
            return score
    raise ChampionError(f"member {key} is not an active member and has no score", member=key)


def nominate_champions(
    kit: Kit, *, dry_run: bool = False, now: dt.datetime | None = None, by: str | None = None
) -> NominationResult:
    when = utcnow(now)

    def fire(nomination: Nomination) -> None:
        kit.plugins.champion_nominated(
            ChampionNominated(nomination.member_key, nomination.department, nomination.score)
        )

    return nominate(
        kit.engine,
        kit.config.settings.champions,
        scores(kit, now=when),
        now=when,
        by=by or default_actor(),
        dry_run=dry_run,
        on_nominated=fire,
    )


def outreach(kit: Kit) -> Outreach:
    settings = kit.config.settings.champions
    organisation = kit.config.settings.organisation
    return Outreach(
        engine=kit.engine,
        settings=settings,
        notifier_name=settings.notifier,
        notifier=make_notifier(
            kit.config, kit.plugins, settings.notifier, key="champions.notifier"
        ),
        organisation=organisation.name,
        default_locale=organisation.default_locale,
        timezone=organisation.timezone,
        step_titles=step_titles(kit),
    )


def step_titles(kit: Kit) -> dict[str, dict[str, str]]:
    """Onboarding step id -> locale -> title, from the configured checklists."""
    titles: dict[str, dict[str, str]] = {}
    for checklist in kit.config.settings.onboarding.checklists:
        for step in checklist.steps:
            titles.setdefault(step.id, {"en": step.title.get("en"), "de": step.title.get("de")})
    return titles


def invite(
    kit: Kit, *, dry_run: bool = False, now: dt.datetime | None = None, by: str | None = None
) -> OutreachResult:
    return outreach(kit).invite(now=utcnow(now), by=by or default_actor(), dry_run=dry_run)


def roster(kit: Kit, states: tuple[RosterState, ...] = ()) -> list[RosterEntry]:
    return load_roster(kit.engine, states)


def change_state(
    kit: Kit,
    member: str,
    state: RosterState | str,
    *,
    by: str | None = None,
    now: dt.datetime | None = None,
    note: str | None = None,
) -> StateChange:
    key = kit.resolve_member(member)
    return set_state(
        kit.engine, key, RosterState(state), by=by or default_actor(), now=utcnow(now), note=note
    )


def pair(kit: Kit, *, dry_run: bool = False, now: dt.datetime | None = None) -> PairingResult:
    when = utcnow(now)
    settings = kit.config.settings.champions
    today = local_today(kit, when)
    return pair_buddies(
        kit.engine,
        settings,
        stalled_newcomers(kit.engine, settings, today),
        newcomer_keys(kit.engine, settings, today),
        now=when,
        dry_run=dry_run,
    )


def progress_of(kit: Kit, keys: Collection[str]) -> Mapping[str, Progress]:
    """Buddies' progress: onboarding's steps where it tracks them, else stored facts."""
    return fact_progress(kit.engine, keys)


def digests(
    kit: Kit, *, dry_run: bool = False, now: dt.datetime | None = None, force: bool = False
) -> OutreachResult:
    when = utcnow(now)
    return outreach(kit).digest(
        lambda keys: progress_of(kit, keys),
        now=when,
        dry_run=dry_run,
        force=force,
        today=local_today(kit, when),
    )


def report(kit: Kit, lang: str = "en") -> ReportSection:
    return champion_section(
        kit.engine,
        kit.config.settings.champions,
        min_group_size=kit.config.settings.privacy.min_group_size,
        lang=lang,
    )


__all__ = [
    "change_state",
    "default_actor",
    "digests",
    "explain",
    "invite",
    "nominate_champions",
    "pair",
    "progress_of",
    "report",
    "roster",
    "scores",
]
