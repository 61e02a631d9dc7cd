"""The champion programme that :class:`e20kit.Kit` exposes as ``kit.champions``.

One method per command, each returning a typed result that the CLI only prints. The service
gets what it uses (store, settings, plugins, pseudonymiser, clock) and nothing else.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Callable, Collection, Mapping
from dataclasses import replace

import sqlalchemy as sa

from ..clock import OrgClock
from ..config import Config
from ..delivery import stopped_members
from ..disclosure import Disclosure
from ..effects.waitlist import buddy_experiments, waiting
from ..extensions import ChampionNominated, ReportSection
from ..instances import make_notifier
from ..plugins import Plugins
from ..privacy import Pseudonymiser
from ..privacy.gates import require_setting
from .buddies import PairingResult
from .buddies import pair_buddies as pair
from .newcomers import Progress, newcomer_keys, stalled_newcomers
from .newcomers import progress as fact_progress
from .nominate import Nomination, NominationResult, nominate
from .outreach import Outreach, OutreachResult
from .report import champion_section
from .roster import (
    ChampionError,
    RosterEntry,
    RosterState,
    StateChange,
    load_roster,
    resolve_member,
    set_state,
)
from .scoring import ChampionScore, compute_scores


def default_actor() -> str:
    """Who changes the roster when ``by`` is not given: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"


def step_titles(config: Config) -> dict[str, dict[str, str]]:
    """Onboarding step id -> locale -> title, from the configured checklists."""
    titles: dict[str, dict[str, str]] = {}
    for checklist in config.settings.onboarding.checklists:
        for step in checklist.steps:
            titles.setdefault(step.id, {"en": step.title.get("en"), "de": step.title.get("de")})
    return titles


class ChampionsService:
    """Scores, nominations, roster, buddies, invitations, digests and the report section."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        pseudonymiser: Callable[[], Pseudonymiser],
        clock: OrgClock,
        *,
        record: Callable[..., None] | None = None,
    ) -> None:
        self.engine = engine
        self._record = record or (lambda *_, **__: None)
        """Appends an audit row (:meth:`e20kit.privacy.service.PrivacyService.record`)."""
        self.config = config
        self.settings = config.settings.champions
        self.plugins = plugins
        self._pseudonymiser = pseudonymiser
        """Called only when a member is named (by e-mail): nothing else needs the secret."""
        self.clock = clock

    def resolve_member(self, member: str) -> str:
        """A member key from a key or an e-mail address (pseudonymised with the secret)."""
        return resolve_member(self.engine, self._pseudonymiser(), member)

    def _scores(self, now: dt.datetime | None) -> list[ChampionScore]:
        require_setting(self.config, "champion_scoring", "scoring members for champions")
        today = self.clock.today(now)
        signals = self.plugins.champion_signals()
        scores = compute_scores(self.engine, self.settings, today=today, signals=signals)
        if not self.config.settings.privacy.opt_out_stops_processing:
            return scores
        stopped = stopped_members(self.engine)  # opted out of "all": not scored at all
        return [s for s in scores if s.member_key not in stopped]

    def scores(
        self,
        *,
        now: dt.datetime | None = None,
        requester: str | None = None,
        reason: str | None = None,
    ) -> list[ChampionScore]:
        """Every active member's champion score, best first: individual figures, so it needs
        ``[privacy] allow_individual_views`` and ``champion_scoring``, and is audited."""
        require_setting(self.config, "allow_individual_views", "showing individual scores")
        scores = self._scores(now)
        self._record(
            "individual_view",
            target="champions score",
            requester=requester,
            reason=reason,
            detail={"members": len(scores)},
        )
        return scores

    def explain(
        self,
        member: str,
        *,
        now: dt.datetime | None = None,
        requester: str | None = None,
        reason: str | None = None,
    ) -> ChampionScore:
        """One member's score with each signal's raw value, normalised value, weight and part;
        needs ``allow_individual_views``, audited with whom it was about (pseudonymised)."""
        require_setting(self.config, "allow_individual_views", "showing one person's figures")
        key = self.resolve_member(member)
        self._record(
            "individual_view",
            target="champions explain",
            requester=requester,
            reason=reason,
            about=key,
        )
        for score in self._scores(now):
            if score.member_key == key:
                return score
        raise ChampionError(f"member {key} is not an active member and has no score", member=key)

    def nominate(
        self, *, dry_run: bool = False, now: dt.datetime | None = None, by: str | None = None
    ) -> NominationResult:
        """Nominate candidates per department up to the coverage target."""
        when = self.clock.now(now)

        def fire(nomination: Nomination) -> None:
            self.plugins.champion_nominated(
                ChampionNominated(nomination.member_key, nomination.department, nomination.score)
            )

        return nominate(
            self.engine,
            self.settings,
            self._scores(when),
            now=when,
            by=by or default_actor(),
            dry_run=dry_run,
            on_nominated=fire,
        )

    def _outreach(self) -> Outreach:
        organisation = self.config.settings.organisation
        notifier = make_notifier(
            self.config,
            self.plugins,
            self.settings.notifier,
            key="champions.notifier",
            clock=self.clock,
        )
        return Outreach(
            engine=self.engine,
            settings=self.settings,
            notifier_name=self.settings.notifier,
            notifier=notifier,
            organisation=organisation.name,
            default_locale=organisation.default_locale,
            timezone=self.clock.timezone,
            step_titles=step_titles(self.config),
        )

    def invite(
        self, *, dry_run: bool = False, now: dt.datetime | None = None, by: str | None = None
    ) -> OutreachResult:
        """Invite every candidate, and remind invitees who have not answered (each message at
        most once, through the shared ledger)."""
        when = self.clock.now(now)
        return self._outreach().invite(now=when, by=by or default_actor(), dry_run=dry_run)

    def roster(self, states: tuple[RosterState, ...] = ()) -> list[RosterEntry]:
        """The roster (optionally only some states) with each champion's buddy count."""
        return load_roster(self.engine, states)

    def set_state(
        self,
        member: str,
        state: RosterState | str,
        *,
        by: str | None = None,
        now: dt.datetime | None = None,
        note: str | None = None,
    ) -> StateChange:
        """Accept, decline or retire a member (recorded with the date and ``by``)."""
        key = self.resolve_member(member)
        when = self.clock.now(now)
        actor = by or default_actor()
        return set_state(self.engine, key, RosterState(state), by=actor, now=when, note=note)

    def pair_buddies(
        self, *, dry_run: bool = False, now: dt.datetime | None = None
    ) -> PairingResult:
        """Pair stalled newcomers with active champions (stable across reruns)."""
        when = self.clock.now(now)
        today = self.clock.today(when)
        newcomers = newcomer_keys(self.engine, self.settings, today)
        stalled = stalled_newcomers(self.engine, self.settings, today)
        held: set[str] = set()
        if buddy_experiments(self.config.settings.experiments):
            held = waiting(
                self.engine,
                self.config.settings.experiments,
                newcomers,
                now=when,
                today=today,
                dry_run=dry_run,
            )
        result = pair(
            self.engine,
            self.settings,
            [n for n in stalled if n.member_key not in held],
            newcomers,
            now=when,
            dry_run=dry_run,
        )
        waitlisted = sorted(n.member_key for n in stalled if n.member_key in held)
        return replace(result, waitlisted=tuple(waitlisted))

    def progress_of(self, keys: Collection[str]) -> Mapping[str, Progress]:
        """Buddies' progress: onboarding's steps where it tracks them, else stored facts."""
        return fact_progress(self.engine, keys)

    def send_digests(
        self, *, dry_run: bool = False, now: dt.datetime | None = None, force: bool = False
    ) -> OutreachResult:
        """Send each champion this ISO week's digest of their buddies (at most once a week)."""
        when = self.clock.now(now)
        return self._outreach().digest(
            self.progress_of, now=when, dry_run=dry_run, force=force, today=self.clock.today(when)
        )

    def report(self, lang: str = "en") -> ReportSection:
        """The champions report section (also contributed to reports through the hook)."""
        with self.engine.begin() as conn:
            layer = Disclosure.of_store(conn, self.config.settings.privacy)
            return champion_section(conn, self.settings, layer=layer, lang=lang)


__all__ = ["ChampionsService", "default_actor", "step_titles"]
