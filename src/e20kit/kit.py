"""The entry object of the Python API: everything the CLI does is one call here."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import functools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import sqlalchemy as sa

from .clock import OrgClock
from .clockguard import ClockGuardError
from .collect import Collector, Progress, prepare_connectors
from .config import Config, load_config
from .cycle import CycleResult
from .errors import ConfigError
from .lock import run_lock
from .plugins import Plugins
from .privacy import Pseudonymiser
from .results import CollectResult, RefreshResult
from .runs import RunRecord, recorded
from .store import create_engine, default_store_url

if TYPE_CHECKING:
    from .analytics import Metrics, Period
    from .analytics.freshness import PlatformAsOf
    from .champions.programme import ChampionsService
    from .diagnose.stated import WaveRead
    from .disclosure import Disclosure
    from .effects.service import EffectsService
    from .extensions import ReportSection
    from .findings import Finding
    from .onboarding.api import OnboardingService
    from .privacy.service import PrivacyService
    from .publishing import Published
    from .report_prepared import PreparedReport
    from .report_publish import Material as ReportMaterial
    from .status import Status
    from .survey.service import SurveyService


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
        clock: OrgClock | None = None,
    ) -> None:
        self.config = config
        self.clock = clock or OrgClock(config.settings.organisation.timezone)
        """The organisation's clock: what "now" and "today" are for every step."""
        self.plugins = plugins or Plugins()
        self.store_url = store_url or config.settings.store.url or default_store_url()
        self._engine: sa.Engine | None = None
        self._pseudonymiser: Pseudonymiser | None = None
        self._disclosure: Disclosure | None = None

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
        """The store, opened and migrated on first use, once the whole config is valid."""
        if self._engine is None:
            from .preflight import check_config

            default = self.store_url == default_store_url()
            check_config(self.config, self.plugins, self.store_url, default=default)
            self._engine = create_engine(self.store_url, create_folder=default)
        return self._engine

    @property
    def pseudonymiser(self) -> Pseudonymiser:
        """Member keys from identifiers; refuses a secret other than the store's (after
        ``privacy rotate-secret``, the old one), so no key is ever made with the wrong one."""
        if self._pseudonymiser is None:
            from .privacy.rotation import check_secret

            pseudonymiser = Pseudonymiser(self.config.pseudonym_secret())
            with self.engine.begin() as conn:
                check_secret(conn, pseudonymiser)
            self._pseudonymiser = pseudonymiser
        return self._pseudonymiser

    @contextlib.contextmanager
    def lock(self, command: str = "run") -> Iterator[RunRecord]:
        """Hold the store's run lock (raises :class:`~e20kit.LockError` when taken).

        ``collect`` and ``run`` write member keys, so for them the pseudonym secret is checked
        first, before the store is opened or created (an exit 2 creates nothing). Commands that
        call platforms (all but ``privacy``) check every platform secret here too; commands
        that only read the store take no lock and need none.

        Each lock is recorded in the ``runs`` table (what ``e20kit status`` shows); set the
        yielded record's ``exit_code`` to what the command will exit with.
        """
        if command in ("collect", "run"):
            self.config.pseudonym_secret()
        if command != "privacy":
            from .preflight import check_secrets

            check_secrets(self.config, self.plugins)
        with run_lock(self.engine, command), recorded(self.engine, command) as record:
            yield record

    def collect(
        self,
        connectors: Sequence[str] | None = None,
        *,
        today: dt.date | None = None,
        progress: Progress | None = None,
        force: bool = False,
        since: dt.date | None = None,
    ) -> CollectResult:
        """Collect people and activity from the configured (or named) connectors.

        ``since`` starts this run's window there instead of ``lookback_days`` back (a
        backfill). ``force`` lets the retention purge run even when the clock guard
        (:mod:`e20kit.clockguard`) does not trust its reference day."""
        prepared = prepare_connectors(self.config, self.plugins, connectors, clock=self.clock)
        if not prepared:  # collecting nothing is not a successful collection
            raise ConfigError(
                f"no connector is configured in {self.config.where}: nothing to collect; add a "
                "[connectors.<name>] table (docs/config.md, or `e20kit init` for a starter "
                "config)",
                file=self.config.where,
                key="connectors",
            )
        collector = Collector(
            self.engine,
            self.config,
            self.plugins,
            self.pseudonymiser,
            today=today or self.clock.today(),
            progress=progress,
            clock=self.clock,
            since=since,
        )
        result = collector.run(prepared)
        try:
            result.purged = self.privacy.purge(today=today, force=force)
        except ClockGuardError as err:
            result.purge_refused = str(err)
        return result

    # -- services (see docs/onboarding.md, docs/champions.md) ---------------------------------

    @functools.cached_property
    def onboarding(self) -> OnboardingService:
        """Checklists, marks and opt-outs: ``kit.onboarding.run()``, ``.status()``, ..."""
        from .onboarding.api import OnboardingService

        return OnboardingService(
            self.engine, self.config, self.plugins, lambda: self.pseudonymiser, self.clock
        )

    @functools.cached_property
    def champions(self) -> ChampionsService:
        """The champion programme: ``kit.champions.nominate()``, ``.invite()``, ..."""
        from .champions.programme import ChampionsService

        return ChampionsService(
            self.engine,
            self.config,
            self.plugins,
            lambda: self.pseudonymiser,
            self.clock,
            record=self.privacy.record,
        )

    @functools.cached_property
    def effects(self) -> EffectsService:
        """Programme effects: ``kit.effects()`` reads every experiment and rollout;
        ``kit.effects.log(...)``, ``.plan(...)`` (docs/effects.md)."""
        from .effects.service import EffectsService

        return EffectsService(self.engine, self.config, self.clock, lambda: self.disclosure)

    @functools.cached_property
    def survey(self) -> SurveyService:
        """The pulse survey: ``kit.survey.results()``, ``.import_file(...)``, ``.store(...)``
        (docs/survey.md)."""
        from .survey.service import SurveyService

        return SurveyService(
            self.engine,
            self.config,
            self.plugins,
            lambda: self.disclosure,
            self.clock,
            record=self.privacy.record,
        )

    @functools.cached_property
    def privacy(self) -> PrivacyService:
        """Retention, subject requests, audit trail, names and the data inventory:
        ``kit.privacy.purge()``, ``.export()``, ``.forget()``, ... (docs/privacy.md)."""
        from .privacy.service import PrivacyService

        return PrivacyService(
            self.engine,
            self.config,
            self.plugins,
            lambda: self.pseudonymiser,
            self.clock,
            store_url=self.store_url,
            roster=lambda states: self.champions.roster(states),
        )

    def refresh(self) -> RefreshResult:
        """Bring the store's rollups up to date with the facts (what analytics read).

        ``report``, ``run`` and :meth:`metrics` call it; after a collection it recomputes the
        days that changed, else it is a cheap no-op.
        """
        from .store.rollup import refresh_store

        return RefreshResult(tuple(refresh_store(self.engine)))

    # -- analytics, diagnosis and reports (see docs/metrics.md, docs/playbook.md) ---------------

    def metrics(
        self, period: Period | str | None = None, *, today: dt.date | None = None
    ) -> Metrics:
        """Every adoption metric of ``period`` (default ``[analytics] default_period``), as
        published through :attr:`disclosure`.

        Without ``today``, relative periods (``last-30d``) end on the newest day whose data is
        complete (docs/metrics.md, "As of"), not on the wall clock's today.

        Refreshes the rollups first (:meth:`refresh`), so the figures include every fact.
        """
        return self.disclosure.metrics(self._raw_metrics(period, today=today))

    def _raw_metrics(
        self, period: Period | str | None = None, *, today: dt.date | None = None
    ) -> Metrics:
        """The analytics' own figures of ``period`` (what the diagnosis' rules read)."""
        from .analytics import parse_period
        from .analytics.freshness import data_today, platforms_as_of

        settings = self.config.settings
        clock = today or self.clock.today()
        self.refresh()
        with self.engine.connect() as conn:
            as_of = platforms_as_of(
                conn,
                today=clock,
                timezone=self.clock.timezone,
                stale_after_days=settings.analytics.stale_after_days,
            )
        if today is None:
            today = min(data_today(as_of) or clock, clock)
        resolved = parse_period(period, today=today, default=settings.analytics.default_period)
        return self._compute_metrics(resolved, as_of)

    def _compute_metrics(self, period: Period, as_of: tuple[PlatformAsOf, ...]) -> Metrics:
        from .analytics import compute_metrics
        from .analytics.freshness import for_period

        settings = self.config.settings
        metrics = compute_metrics(
            self.engine,
            period,
            settings=settings.analytics,
            min_group_size=settings.privacy.min_group_size,
        )
        return dataclasses.replace(metrics, as_of=for_period(as_of, period))

    def _rules_read(
        self, metrics: Metrics | None, period: Period | str | None, today: dt.date | None
    ) -> Metrics:
        """The raw figures behind ``metrics`` (published or not): the rules decide on the
        store's figures, never on perturbed ones (docs/privacy.md, "Disclosure control")."""
        if metrics is None:
            return self._raw_metrics(period, today=today)
        if not metrics.disclosure:
            return metrics
        raw = self.disclosure.raw(metrics)
        if raw is not None:
            return raw
        self.refresh()  # published elsewhere: the same period again from the store
        return dataclasses.replace(self._compute_metrics(metrics.period, ()), as_of=metrics.as_of)

    @property
    def disclosure(self) -> Disclosure:
        """The disclosure layer every figure leaves through (docs/privacy.md, "Disclosure
        control"): k, dominance and the cell key, keyed with the store's random key."""
        if self._disclosure is None:
            from .disclosure import Disclosure

            with self.engine.begin() as conn:
                self._disclosure = Disclosure.of_store(conn, self.config.settings.privacy)
        return self._disclosure

    def diagnose(
        self,
        *,
        lang: str = "en",
        period: Period | str | None = None,
        today: dt.date | None = None,
        metrics: Metrics | None = None,
        audited: bool = True,
        requester: str | None = None,
        reason: str | None = None,
    ) -> list[Finding]:
        """Findings of the playbook and of every ``e20kit_diagnose`` plugin, most severe first.

        Audited (a row ``diagnose`` with the period's dates) unless ``audited=False``, which
        :meth:`run_cycle` passes because its own row covers it (so do :meth:`report` and
        :meth:`prepare_report`, which diagnose without a row of their own). Rules read
        the raw figures (so perturbation never changes a finding; ``metrics`` may be published
        ones); what a finding prints is stated from the published figures and passes the
        disclosure layer (:meth:`Disclosure.printable`, :meth:`Disclosure.findings`).
        """
        from .diagnose.stated import read_wave

        raw = self._rules_read(metrics, period, today)
        findings = self._findings(raw, metrics, lang, read_wave(self.survey, raw.period.end))
        if audited:
            self._record_period(
                "diagnose", raw.period, requester=requester, reason=reason, target="findings"
            )
        return findings

    def _findings(
        self, raw: Metrics, metrics: Metrics | None, lang: str, wave: WaveRead | None
    ) -> list[Finding]:
        """:meth:`diagnose` on ``raw`` (what rules read) and ``metrics`` (what findings print),
        read beside ``wave``, the stated reasons of the latest survey wave opened before the
        period's end when it has answers (docs/stated.md): decided on its exact counts and the
        raw metrics, printing its published figures."""
        from .diagnose import sort_findings
        from .diagnose.stated import combine

        metrics = self.disclosure.metrics(metrics if metrics is not None else raw)
        decided = sort_findings(self.plugins.diagnose(raw, lang))
        shown = list(self.plugins.diagnose(metrics, lang)) if decided else []
        findings = self.disclosure.findings(self.disclosure.printable(decided, shown), metrics)
        stated = None if wave is None else wave.stated
        return sort_findings(combine(findings, stated, raw, lang))

    def _stated_sections(
        self, findings: list[Finding], metrics: Metrics, lang: str, wave: WaveRead | None
    ) -> list[ReportSection]:
        """The "stated beside observed" section when the period's survey wave has answers
        (docs/stated.md)."""
        if wave is None:
            return []
        from .report.stated import stated_section

        return [stated_section(findings, wave.published, metrics, self.disclosure, lang)]

    def _record_period(
        self,
        action: str,
        period: Period,
        *,
        format: str | None = None,
        target: str | None = None,
        requester: str | None = None,
        reason: str | None = None,
    ) -> None:
        """An audit row with the period's label and dates (the last day inclusive)."""
        self.privacy.record(
            action,
            period=period.label,
            period_start=period.start,
            period_end=period.end - dt.timedelta(days=1),
            format=format,
            target=target,
            requester=requester,
            reason=reason,
        )

    def prepare_report(
        self,
        period: Period | str | None = None,
        *,
        lang: str = "en",
        today: dt.date | None = None,
        metrics: Metrics | None = None,
        findings: list[Finding] | None = None,
    ) -> PreparedReport:
        """The figures, findings and sections of one report, each built once: pass them to
        :meth:`report` and :meth:`publish_all` (``report --publish``), or to :meth:`report`
        for several formats, and every ``e20kit_report_sections`` hook runs once for all of
        them. The survey's results are read once, for the diagnosis and the "stated beside
        observed" section alike."""
        return self._prepared(period, lang=lang, today=today, metrics=metrics, findings=findings)

    def _prepared(
        self,
        period: Period | str | None = None,
        *,
        lang: str,
        today: dt.date | None = None,
        metrics: Metrics | None = None,
        findings: list[Finding] | None = None,
        sections: list[ReportSection] | None = None,
    ) -> PreparedReport:
        """:meth:`prepare_report`, keeping whatever the caller built already."""
        from .diagnose.stated import read_wave
        from .report_prepared import PreparedReport

        metrics = self.disclosure.metrics(metrics or self.metrics(period, today=today))
        if findings is None or sections is None:
            wave = read_wave(self.survey, metrics.period.end)
            if findings is None:
                raw = self._rules_read(metrics, None, None)
                findings = self._findings(raw, metrics, lang, wave)
            if sections is None:
                sections = self._sections(metrics, lang, findings, wave)
        return PreparedReport(metrics, findings, sections)

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
        sections: list[ReportSection] | None = None,
        requester: str | None = None,
        reason: str | None = None,
    ) -> Path | list[Path]:
        """Write the report as ``html``, ``json``, ``md`` (one file) or ``csv`` (a folder);
        audited with the period's dates, the file and ``requester``/``reason`` when given.

        Pass ``metrics``, ``findings`` and ``sections`` already built (:meth:`prepare_report`)
        to write several formats of one period, or to publish it too, without building them
        again; every section still passes the disclosure layer on its way into the file.
        """
        from .report import write_report

        built = self._prepared(
            period, lang=lang, today=today, metrics=metrics, findings=findings, sections=sections
        )
        written = write_report(
            format,
            Path(out),
            built.metrics,
            findings=built.findings,
            sections=built.sections,
            lang=lang,
            organisation=self.config.settings.organisation.name,
            disclosure=self.disclosure,
            titles=self.config.settings.onboarding.titles(lang),
        )
        self._record_period(
            "report",
            built.metrics.period,
            format=format,
            target=str(Path(out).resolve()),
            requester=requester,
            reason=reason,
        )
        return written

    def publish(
        self,
        target: str | Sequence[str],
        document: str,
        *,
        period: Period | None = None,
        dry_run: bool = False,
        requester: str | None = None,
        reason: str | None = None,
        metrics: Metrics | None = None,
        findings: list[Finding] | None = None,
        sections: list[ReportSection] | None = None,
        lang: str = "en",
        now: dt.datetime | None = None,
    ) -> Published:
        """Publish a Markdown report to ``NAME:TARGET`` (``report --publish``); several targets
        in order, each seeing what the ones before published (a card links to the page).

        With ``metrics`` (and ``findings`` and ``sections``, as :meth:`prepare_report` built
        them for the written report) the publishers also get the report data and the charts,
        through the disclosure layer like the written report. Audited with the destination
        (the target and where readers find it) unless a dry run; returns what the last target
        did (:meth:`publish_all` returns each)."""
        targets = [target] if isinstance(target, str) else list(target)
        return self.publish_all(
            targets,
            document,
            period=period,
            dry_run=dry_run,
            requester=requester,
            reason=reason,
            metrics=metrics,
            findings=findings,
            sections=sections,
            lang=lang,
            now=now,
        )[-1][1]

    def publish_all(
        self,
        targets: Sequence[str],
        document: str,
        *,
        period: Period | None = None,
        dry_run: bool = False,
        requester: str | None = None,
        reason: str | None = None,
        metrics: Metrics | None = None,
        findings: list[Finding] | None = None,
        sections: list[ReportSection] | None = None,
        lang: str = "en",
        now: dt.datetime | None = None,
    ) -> list[tuple[str, Published]]:
        """:meth:`publish` to every target; (target, what was done) for each."""
        from .report_publish import Material, publish_all

        if not targets:
            raise ConfigError("publish: name at least one NAME:TARGET")
        material = Material(document, lang=lang)
        if metrics is not None:
            built = self._prepared(lang=lang, metrics=metrics, findings=findings, sections=sections)
            material = self._material(document, built, lang)
            period = period or built.metrics.period
        done = publish_all(
            self.config,
            self.plugins,
            self.engine,
            targets,
            material,
            period=period,
            dry_run=dry_run,
            now=now,
        )
        for target, published in done if not dry_run else ():
            destination = f"{target} -> {published.location}"
            if period is None:
                self.privacy.record(
                    "report_published",
                    format="md",
                    target=destination,
                    requester=requester,
                    reason=reason,
                )
            else:
                self._record_period(
                    "report_published",
                    period,
                    format="md",
                    target=destination,
                    requester=requester,
                    reason=reason,
                )
        return done

    def _material(self, document: str, built: PreparedReport, lang: str) -> ReportMaterial:
        """The report data and disclosed metrics publishers get, released through the
        disclosure layer like the written report."""
        from .report.document import published, published_document
        from .report_publish import Material

        shown, findings, sections, layer = published(
            built.metrics, built.findings, built.sections, lang, self.disclosure
        )
        report = published_document(
            shown,
            findings,
            sections,
            layer,
            lang=lang,
            organisation=self.config.settings.organisation.name,
            titles=self.config.settings.onboarding.titles(lang),
        )
        return Material(document, report=report, metrics=shown, lang=lang)

    def _sections(
        self, metrics: Metrics, lang: str, findings: list[Finding], wave: WaveRead | None
    ) -> list[ReportSection]:
        """Plugin report sections for ``metrics`` (the hooks read in a rolled-back connection),
        then "stated beside observed" for ``findings`` when ``wave`` has answers."""
        from .extensions import ReportContext

        with self.engine.connect() as conn:
            context = ReportContext(
                conn, metrics.period, self.config.settings, lang, disclosure=self.disclosure
            )
            sections = list(self.plugins.report_sections(metrics, context))
        return sections + self._stated_sections(findings, metrics, lang, wave)

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
        force: bool = False,
    ) -> CycleResult:
        """Collect, onboarding, champions and reports in one call (what ``e20kit run`` does).

        Every step runs even when an earlier one partly failed (see :mod:`e20kit.cycle`), and
        every step sees the same "now" and the same organisation day.
        """
        now = self.clock.now(now)
        today = self.clock.today(now)
        result = CycleResult(collect=self.collect(today=today, progress=progress, force=force))
        if self.config.settings.onboarding.checklists:
            result.onboarding = self.onboarding.run(dry_run=dry_run, now=now)
        champions = self.champions
        if self.config.settings.privacy.champion_scoring:  # opt-in: no scores, no nominations
            result.nominations = champions.nominate(dry_run=dry_run, now=now)
        if invite:
            result.invitations = champions.invite(dry_run=dry_run, now=now)
        result.pairing = champions.pair_buddies(dry_run=dry_run, now=now)
        result.digests = champions.send_digests(dry_run=dry_run, now=now)
        metrics = self.metrics(today=today)
        if report_dir is None:
            result.findings = self.diagnose(lang=lang, metrics=metrics, audited=False)
            return result
        built = self.prepare_report(lang=lang, metrics=metrics)  # once for every format
        result.findings = built.findings
        folder = Path(report_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for fmt in formats:
            target = folder / ("report" if fmt == "csv" else f"report.{fmt}")
            written = self.report(
                fmt,
                target,
                lang=lang,
                metrics=built.metrics,
                findings=built.findings,
                sections=built.sections,
            )
            result.reports.extend(written if isinstance(written, list) else [written])
        return result

    def status(self, *, check: bool = False) -> Status:
        """Each connector's last collect, newest data day, staleness and bookmarks; the lock;
        pending deliveries; the last run's exit code. Reads the store only: no platform secret
        is needed, except with ``check``, which asks every platform for one person (nothing is
        stored) to try its credentials and URL."""
        from .status import store_status

        return store_status(self.engine, self.config, self.plugins, self.clock, check=check)

    def close(self) -> None:
        for service in ("onboarding", "champions", "effects", "survey"):
            self.__dict__.pop(service, None)  # built again on the reopened store
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    def __enter__(self) -> Kit:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = ["Kit"]
