"""The entry object of the Python API: everything the CLI does is one call here."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from .collect import Collector, CollectResult, Progress, prepare_connectors
from .config import Config, load_config
from .lock import run_lock
from .plugins import Plugins
from .privacy import Pseudonymiser
from .store import create_engine, default_store_url

if TYPE_CHECKING:
    from .analytics import Metrics, Period
    from .champions.buddies import PairingResult
    from .champions.nominate import NominationResult
    from .champions.outreach import OutreachResult
    from .champions.roster import RosterEntry, RosterState, StateChange
    from .champions.scoring import ChampionScore
    from .cycle import CycleResult
    from .delivery import OptOutScope
    from .extensions import ReportSection
    from .findings import Finding
    from .notifier import Notifier
    from .onboarding.api import OnboardingStatus
    from .onboarding.engine import OnboardingResult
    from .onboarding.marks import ImportResult, MarkResult


class Kit:
    """Config, store and plugins, opened once; methods return typed results, never text.

    >>> kit = Kit.from_config("e20kit.toml")          # doctest: +SKIP
    >>> result = kit.collect()                         # doctest: +SKIP
    """

    def __init__(
        self,
        config: Config,
        *,
        plugins: Plugins | None = None,
        store_url: str | None = None,
    ) -> None:
        self.config = config
        self.plugins = plugins or Plugins()
        self.store_url = store_url or config.settings.store.url or default_store_url()
        self._engine: sa.Engine | None = None
        self._pseudonymiser: Pseudonymiser | None = None

    @classmethod
    def from_config(
        cls,
        path: str | Path | None = None,
        *,
        env: Mapping[str, str] | None = None,
        store_url: str | None = None,
        plugins: Iterable[object] = (),
        strict: bool = False,
    ) -> Kit:
        """Open the kit described by a TOML file (or ``$E20KIT_CONFIG``, or defaults)."""
        config = load_config(path, env=env)
        return cls(
            config, plugins=Plugins(strict=strict, extra=tuple(plugins)), store_url=store_url
        )

    @property
    def engine(self) -> sa.Engine:
        """The store, opened and migrated on first use."""
        if self._engine is None:
            self._engine = create_engine(self.store_url)
        return self._engine

    @property
    def pseudonymiser(self) -> Pseudonymiser:
        if self._pseudonymiser is None:
            self._pseudonymiser = Pseudonymiser(self.config.pseudonym_secret())
        return self._pseudonymiser

    @contextlib.contextmanager
    def lock(self, command: str = "run") -> Iterator[None]:
        """Hold the store's run lock (raises :class:`~e20kit.LockError` when taken)."""
        with run_lock(self.engine, command):
            yield

    def collect(
        self,
        connectors: Sequence[str] | None = None,
        *,
        today: dt.date | None = None,
        progress: Progress | None = None,
    ) -> CollectResult:
        """Collect people and activity from the configured (or named) connectors."""
        prepared = prepare_connectors(self.config, self.plugins, connectors)
        pseudonymiser = self.pseudonymiser
        collector = Collector(
            self.engine, self.config, self.plugins, pseudonymiser, today=today, progress=progress
        )
        return collector.run(prepared)

    # -- onboarding (see docs/onboarding.md) -----------------------------------------------------

    def onboarding_run(
        self,
        *,
        dry_run: bool = False,
        now: dt.datetime | None = None,
        notifier: Notifier | None = None,
    ) -> OnboardingResult:
        """Evaluate checklists, store progress and nudge stuck members (at most once each)."""
        from .onboarding import api

        return api.run(self, dry_run=dry_run, now=now, notifier=notifier)

    def onboarding_status(self) -> OnboardingStatus:
        """Each checklist's funnel (eligible, completed, stalled per step) as of the last run."""
        from .onboarding import api

        return api.status(self)

    def mark_step(
        self,
        member: str,
        step: str,
        *,
        checklist: str | None = None,
        at: dt.datetime | None = None,
    ) -> MarkResult:
        """Mark a step done for a member (key or e-mail), e.g. "attended the intro session"."""
        from .onboarding import api

        return api.mark_step(self, member, step, checklist=checklist, at=at)

    def import_marks(self, path: str | Path) -> ImportResult:
        """Mark steps from a CSV with columns member, step[, checklist, marked_at]."""
        from .onboarding import api

        return api.import_marks(self, path)

    def opt_out(self, member: str, scope: str = "all") -> bool:
        """Never message this member (key or e-mail) in ``scope``; True when newly recorded."""
        from .onboarding import api

        return api.opt_out(self, member, _scope(scope))

    def opt_in(self, member: str, scope: str | None = None) -> int:
        """Undo opt-outs of ``scope`` (every scope when None); returns how many were removed."""
        from .onboarding import api

        return api.opt_in(self, member, None if scope is None else _scope(scope))

    # -- champions (see docs/champions.md) ------------------------------------------------------

    def resolve_member(self, member: str) -> str:
        """A member key from a key or an e-mail address (pseudonymised with the secret)."""
        from .champions.roster import resolve_member

        return resolve_member(self.engine, self.pseudonymiser, member)

    def champion_scores(self, *, now: dt.datetime | None = None) -> list[ChampionScore]:
        """Every active member's champion score, best first."""
        from .champions import programme

        return programme.scores(self, now=now)

    def explain_champion(self, member: str, *, now: dt.datetime | None = None) -> ChampionScore:
        """One member's score with each signal's raw value, normalised value, weight and part."""
        from .champions import programme

        return programme.explain(self, member, now=now)

    def nominate_champions(
        self, *, dry_run: bool = False, now: dt.datetime | None = None, by: str | None = None
    ) -> NominationResult:
        """Nominate candidates per department up to the coverage target."""
        from .champions import programme

        return programme.nominate_champions(self, dry_run=dry_run, now=now, by=by)

    def champions_invite(
        self, *, dry_run: bool = False, now: dt.datetime | None = None, by: str | None = None
    ) -> OutreachResult:
        """Invite every candidate, and remind invitees who have not answered (each message at
        most once, through the shared ledger)."""
        from .champions import programme

        return programme.invite(self, dry_run=dry_run, now=now, by=by)

    def champion_roster(self, states: tuple[RosterState, ...] = ()) -> list[RosterEntry]:
        """The roster (optionally only some states) with each champion's buddy count."""
        from .champions import programme

        return programme.roster(self, states)

    def set_champion_state(
        self,
        member: str,
        state: RosterState | str,
        *,
        by: str | None = None,
        now: dt.datetime | None = None,
        note: str | None = None,
    ) -> StateChange:
        """Accept, decline or retire a member (recorded with the date and ``by``)."""
        from .champions import programme

        return programme.change_state(self, member, state, by=by, now=now, note=note)

    def pair_buddies(
        self, *, dry_run: bool = False, now: dt.datetime | None = None
    ) -> PairingResult:
        """Pair stalled newcomers with active champions (stable across reruns)."""
        from .champions import programme

        return programme.pair(self, dry_run=dry_run, now=now)

    def send_digests(
        self, *, dry_run: bool = False, now: dt.datetime | None = None, force: bool = False
    ) -> OutreachResult:
        """Send each champion this ISO week's digest of their buddies (at most once a week)."""
        from .champions import programme

        return programme.digests(self, dry_run=dry_run, now=now, force=force)

    def champion_report(self, lang: str = "en") -> ReportSection:
        """The champions report section (also contributed to reports through the hook)."""
        from .champions import programme

        return programme.report(self, lang)

    # -- analytics, diagnosis and reports (see docs/metrics.md, docs/playbook.md) ---------------

    def metrics(
        self, period: Period | str | None = None, *, today: dt.date | None = None
    ) -> Metrics:
        """Every adoption metric of ``period`` (default ``[analytics] default_period``).

        Without ``today``, relative periods (``last-30d``) end on the newest day whose data is
        complete (docs/metrics.md, "As of"), not on the wall clock's today.
        """
        from zoneinfo import ZoneInfo

        from .analytics import compute_metrics, parse_period
        from .analytics.freshness import data_today, for_period, read_as_of

        settings = self.config.settings
        zone = settings.organisation.timezone
        # "today" where the organisation is, not where the server is
        clock = today or dt.datetime.now(ZoneInfo(zone)).date()
        as_of = read_as_of(
            self.engine,
            today=clock,
            timezone=zone,
            stale_after_days=settings.analytics.stale_after_days,
        )
        if today is None:
            today = min(data_today(as_of) or clock, clock)
        resolved = parse_period(period, today=today, default=settings.analytics.default_period)
        metrics = compute_metrics(
            self.engine,
            resolved,
            settings=settings.analytics,
            min_group_size=settings.privacy.min_group_size,
        )
        return dataclasses.replace(metrics, as_of=for_period(as_of, resolved))

    def diagnose(
        self,
        *,
        lang: str = "en",
        period: Period | str | None = None,
        today: dt.date | None = None,
        metrics: Metrics | None = None,
    ) -> list[Finding]:
        """Findings of the playbook and of every ``e20kit_diagnose`` plugin, most severe first."""
        from .diagnose import sort_findings

        metrics = metrics or self.metrics(period, today=today)
        return sort_findings(self.plugins.diagnose(metrics, lang))

    def report(
        self,
        format: str,
        out: str | Path,
        *,
        period: Period | str | None = None,
        lang: str = "en",
        today: dt.date | None = None,
        metrics: Metrics | None = None,
        findings: list[Finding] | None = None,
    ) -> Path | list[Path]:
        """Write the report as ``html``, ``json``, ``md`` (one file) or ``csv`` (a folder).

        Pass ``metrics`` (and ``findings``) already computed to write several formats of one
        period without computing them again.
        """
        from .report import write_report

        metrics = metrics or self.metrics(period, today=today)
        if findings is None:
            findings = self.diagnose(lang=lang, metrics=metrics)
        return write_report(
            format,
            Path(out),
            metrics,
            findings=findings,
            sections=self.plugins.report_sections(metrics, lang, self),
            lang=lang,
            organisation=self.config.settings.organisation.name,
        )

    # -- the whole cycle -------------------------------------------------------------------------

    def run_cycle(
        self,
        *,
        dry_run: bool = False,
        report_dir: str | Path | None = None,
        formats: tuple[str, ...] = ("html", "md", "json"),
        lang: str = "en",
        invite: bool = False,
        now: dt.datetime | None = None,
        progress: Progress | None = None,
    ) -> CycleResult:
        """Collect, onboarding, champions and reports in one call (what ``e20kit run`` does)."""
        from .cycle import run_cycle

        return run_cycle(
            self,
            dry_run=dry_run,
            report_dir=Path(report_dir) if report_dir is not None else None,
            formats=formats,
            lang=lang,
            invite=invite,
            now=now,
            progress=progress,
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Kit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _scope(scope: str) -> OptOutScope:
    from .delivery import SCOPES

    for known in SCOPES:
        if scope == known:
            return known
    from .errors import ConfigError

    raise ConfigError(f"unknown opt-out scope {scope!r}; expected one of {', '.join(SCOPES)}")


__all__ = ["Kit"]
