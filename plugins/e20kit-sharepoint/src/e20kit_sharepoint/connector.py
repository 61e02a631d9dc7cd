"""The Microsoft 365 connector: the directory, and daily activity from the usage reports.

Graph keeps about 30 days of daily reports and fills the newest ones in late. Each report is
its own stream whose bookmark holds the report's as-of day (``Report Refresh Date``), the days
already read, and the times of its recent requests (for the quota). Every run asks, oldest first,
for the days never read plus those close enough to the as-of day that Microsoft may still
change them, and replaces the stored facts of each day it read. A day after the as-of day has
no data yet: the report answers with its header alone, and the rest of that report waits for
the next run. Only regular runs keep history older than Microsoft's window.

Viva Engage lands on its own platform, Outlook and the apps on context platforms (never
participation); the beta Copilot report (``period=`` only, :mod:`.copilot`) is read once per run
inside the same quota planner and skipped with a notice when Graph no longer serves it.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections import Counter
from collections.abc import Iterator, Mapping

from e20kit import (
    Activity,
    ActivityItem,
    Capability,
    Checkpoint,
    ConnectorRetriableError,
    ConnectorType,
    DataSource,
    Person,
    PluginContext,
    Replace,
    Streams,
    Window,
)

from .client import graph_client
from .concealed import CONCEALED_PREFIX, concealed_advice
from .copilot import ACTION as COPILOT_ACTION
from .copilot import (
    COPILOT_USAGE,
    new_uses,
)
from .copilot import STREAM as COPILOT_STREAM
from .copilot_read import CopilotReader
from .directory import Directory, list_directory
from .quota import Clock, ReportState, Scheduler, Sleep, SlidingQuota
from .reports import (
    REFRESH,
    ParsedReport,
    Report,
    ReportUnreadable,
    enabled_reports,
    is_concealed,
)
from .settings import COPILOT, VIVA_ENGAGE, SharePointSettings

log = logging.getLogger("e20kit.sharepoint")

DAY = dt.timedelta(days=1)
MAX_THROTTLED = 3
"""429s (after the core's retries) one report may meet in a run before the run gives up."""


class SharePointConnector:
    """Reads one Microsoft 365 tenant through Graph with an app-only token."""

    capabilities = frozenset(
        {
            Capability.PEOPLE,
            Capability.ACTIVITY,
            Capability.INCREMENTAL,
            Capability.READS,
            Capability.MANAGERS,
            Capability.SELF_BACKFILL,  # bookmarks per day: a wider window's days are read
        }
    )

    def __init__(
        self,
        context: PluginContext[SharePointSettings],
        *,
        sleep: Sleep = time.sleep,
        clock: Clock = time.time,
    ) -> None:
        self.name = context.name
        self.settings = context.settings
        self.client = graph_client(context.name, self.settings, context.http)
        self.sleep = sleep
        self.clock = clock
        self._directory: Directory | None = None
        self.concealed = False
        self.scheduler: Scheduler | None = None
        self.copilot = CopilotReader(self.client, self.settings.graph_url, context.name)
        self.streams = Streams(context.name)
        """Report days and rows that could not be read (retried), rows dated in the future."""

    def directory(self) -> Directory:
        if self._directory is None:
            self._directory = list_directory(self.client, self.settings)
        return self._directory

    def people(self) -> Iterator[Person]:
        """Each member's Microsoft 365 account, and the same account on ``vivaengage`` (every
        member may use it) and on ``copilot`` (members the Copilot report lists: those with a
        licence), so each platform's participation rate divides by who can use it."""
        d = self.directory()
        licensed = (
            self.copilot.licensed(lambda u: d.person_id(u, None))
            if self.settings.copilot
            else set()
        )
        for person in d.people(self.streams):
            yield person
            if self.settings.viva_engage:
                yield _account(person, VIVA_ENGAGE)
            if person.person_id in licensed:
                yield _account(person, COPILOT)

    def close(self) -> None:
        self.client.session.close()
        self.client.auth.login.close()

    # -- activity --------------------------------------------------------------------------

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        s = self.settings
        today = window.end - DAY
        first = max(window.start, today - dt.timedelta(days=s.history_days - 1))
        if first > window.start:
            self.streams.reaches_back_to(
                first,
                f"Microsoft 365 usage reports reach back history_days = {s.history_days} days "
                "(Graph keeps about 28 to 30)",
            )
        days = [first + dt.timedelta(days=i) for i in range((today - first).days + 1)]
        reports = enabled_reports(s) + ((COPILOT_USAGE,) if s.copilot else ())
        states = {r: ReportState.load(bookmarks.get(r.stream)) for r in reports}
        plan = [
            (
                r,
                # the period= report: one read per run, whatever the days
                [today] if r is COPILOT_USAGE else states[r].pending(days, s.reread_days),
                SlidingQuota(s.reports_per_window, s.quota_window_s, states[r].sent, self.clock),
            )
            for r in reports
        ]
        self.scheduler = scheduler = Scheduler(plan, sleep=self.sleep, clock=self.clock)
        log.info(
            "%s: %d report requests planned (%d reports, days %s to %s)",
            self.name,
            scheduler.backlog,
            len(reports),
            first,
            today,
        )
        d = self.directory()
        throttled: Counter[Report] = Counter()
        while (step := scheduler.next()) is not None:
            report, day = step
            state = states[report]
            quota = scheduler.quotas[report]
            if report is COPILOT_USAGE:
                yield from self._copilot(state, quota, first, today, d)
                yield Checkpoint(stream=report.stream, value=state.dump(today))
                continue
            try:
                parsed, etag, attempts = self.client.report(report, day, etag=state.etags.get(day))
            except ConnectorRetriableError as err:
                throttled[report] += 1
                if getattr(err, "status", None) != 429 or throttled[report] > MAX_THROTTLED:
                    raise
                quota.throttled()
                log.warning(
                    "%s: %s answered 429 after retries (another app uses the quota too?); "
                    "waiting a window, then %d requests per window",
                    self.name,
                    report.label,
                    quota.budget,
                )
                scheduler.again(report, day)
                continue
            except ReportUnreadable as err:
                quota.record(1)
                if not self.streams.skip(
                    report.stream, day.isoformat(), err.message, endpoint=err.context["endpoint"]
                ):
                    state.done.add(day)  # given up: not asked again
                yield Checkpoint(stream=report.stream, value=state.dump(today))
                continue
            quota.record(attempts)
            if parsed is None:
                log.debug("%s: %s %s unchanged since it was read", self.name, report.label, day)
            elif self._available(parsed, state, today):
                refreshed = parsed.refreshed_until(today)
                state.as_of = max(filter(None, (state.as_of, refreshed)), default=None)
                yield from self._replace(parsed)
                yield from self._facts(parsed, d)
                if not self._held(parsed, today):
                    state.done.add(day)
                    if etag:
                        state.etags[day] = etag
            else:
                log.info(
                    "%s: %s has no data for %s yet (as of %s); the next run asks again",
                    self.name,
                    report.label,
                    day,
                    parsed.refreshed or state.as_of or "unknown",
                )
                scheduler.drop(report)
            yield Checkpoint(stream=report.stream, value=state.dump(today))

    def _copilot(
        self, state: ReportState, quota: SlidingQuota, first: dt.date, today: dt.date, d: Directory
    ) -> Iterator[Activity]:
        """The run's one read of the beta Copilot report (made by :meth:`people` already, or
        now); when it could not be read, the stream is skipped with a notice."""
        answer = self.copilot.read()
        if not answer.recorded:
            quota.record(answer.attempts)
            answer.recorded = True
        read = answer.read
        if read is None:
            self.streams.unavailable(COPILOT_STREAM, answer.problem, endpoint=answer.endpoint)
            return
        for line in read.bad_lines:
            self.streams.skip(
                COPILOT_USAGE.stream, f"{today} line {line}", "not a date", endpoint=answer.endpoint
            )
        before, state.as_of = (
            state.as_of,
            max(filter(None, (state.as_of, read.refreshed)), default=None),
        )
        for use in new_uses(read.uses, first, today, before):
            if is_concealed(use.user):
                self._warn_concealed()
                person: str | None = CONCEALED_PREFIX + use.user
            else:
                person = d.person_id(use.user, None)
            if person is None:
                continue
            yield Activity(
                day=use.day,
                platform=COPILOT_USAGE.platform,
                person_id=person,
                action=COPILOT_ACTION,
                feature=use.feature,
                container=use.container,
                count=1,
            )

    def _available(self, parsed: ParsedReport, state: ReportState, today: dt.date) -> bool:
        """Whether the answer holds the day: rows as of that day or later, or (header alone)
        a day the report is already known to cover, when nobody was active. Rows dated after
        ``today`` (a clock gone wrong) say nothing about it."""
        refreshed = parsed.refreshed_until(today)
        if refreshed is not None:
            return refreshed >= parsed.day
        return state.as_of is not None and parsed.day <= state.as_of

    def _held(self, parsed: ParsedReport, today: dt.date) -> bool:
        """Name the rows left out and rows from the future; whether the day must be read
        again (a bad row still within ``retry_skipped_runs``)."""
        stream = parsed.report.stream
        for row in parsed.rows:
            if row.refreshed > today:
                moment = dt.datetime.combine(row.refreshed, dt.time(), dt.UTC)
                self.streams.dated_ahead(stream, f"{parsed.day} ({REFRESH})", moment)
                break
        held = False
        for bad in parsed.bad:
            held |= self.streams.skip(
                stream,
                f"{parsed.day} line {bad.line}",
                bad.problem,
                endpoint=parsed.report.path(parsed.day),
                field=bad.column,
            )
        return held

    def _replace(self, parsed: ParsedReport) -> Iterator[Replace]:
        """The report's pseudo-container, or each site the site report lists, for the day."""
        report = parsed.report
        window = Window(start=parsed.day, end=parsed.day + DAY)
        containers = (
            [report.container + r.user for r in parsed.rows]
            if report.per_site
            else [report.container]
        )
        for container in containers:
            yield Replace(window=window, container=container, actions=report.actions)

    def _site_facts(self, parsed: ParsedReport) -> Iterator[Activity]:
        """Page views per site as anonymous counts; a dormant site's zero keeps it listed."""
        for row in parsed.rows:
            for (action, feature), count in sorted(row.counts.items()):
                yield Activity(
                    day=parsed.day,
                    platform=parsed.report.platform,
                    person_id=None,
                    action=action,
                    feature=feature,
                    container=parsed.report.container + row.user,
                    count=count,
                )

    def _facts(self, parsed: ParsedReport, d: Directory) -> Iterator[Activity]:
        report: Report = parsed.report
        if report.per_site:
            yield from self._site_facts(parsed)
            return
        unknown = 0
        for row in parsed.rows:
            if is_concealed(row.user):
                self._warn_concealed()
                person = CONCEALED_PREFIX + row.user
            else:
                found = d.person_id(row.user, row.user_id)
                if found is None:
                    unknown += 1
                    continue
                person = found
            for (action, feature), count in sorted(row.counts.items()):
                if count > 0:
                    yield Activity(
                        day=parsed.day,
                        platform=report.platform,
                        person_id=person,
                        action=action,
                        feature=feature,
                        container=report.container,
                        count=count,
                    )
        if unknown:
            log.debug(
                "%s: %s %s: %d rows of deleted users, guests or disabled accounts left out",
                self.name,
                report.label,
                parsed.day,
                unknown,
            )

    def keeps_unlisted(self, person_id: str) -> bool:
        """Concealed report names belong to no directory entry: the core keeps their facts
        under their own unjoined key instead of skipping them as unknown ids."""
        return person_id.startswith(CONCEALED_PREFIX)

    def _warn_concealed(self) -> None:
        if not self.concealed:
            self.concealed = True
            log.warning("%s: %s", self.name, concealed_advice())


def _account(person: Person, platform: str) -> Person:
    """The member's account on another platform of the tenant: an id of its own (the store
    keeps one platform per account id), everything else as the directory says."""
    return person.model_copy(
        update={"platform": platform, "person_id": f"{platform}:{person.person_id}"}
    )


def _factory(context: PluginContext[SharePointSettings]) -> SharePointConnector:
    return SharePointConnector(context)


SHAREPOINT_CONNECTOR = ConnectorType(
    name="sharepoint",
    settings=SharePointSettings,
    factory=_factory,
    description=(
        "Members and managers from Entra ID; daily SharePoint, OneDrive, Teams and Viva Engage "
        "activity, page views per SharePoint site, Outlook and app use as context and "
        "Microsoft 365 Copilot days of use (beta) from the Microsoft 365 usage reports (Graph, "
        "within their quota)."
    ),
    description_de=(
        "Beschäftigte und Führungskräfte aus Entra ID; tägliche Aktivität in SharePoint, OneDrive,"
        " Teams und Viva Engage, Seitenaufrufe je SharePoint-Website, Outlook- und App-Nutzung "
        "als Kontext und Nutzungstage von Microsoft 365 Copilot (Beta) aus den "
        "Microsoft-365-Nutzungsberichten (Graph, innerhalb ihres Kontingents)."
    ),
    capabilities=SharePointConnector.capabilities,
    data_sources=(
        DataSource(
            "POST login.microsoftonline.com/{tenant}/oauth2/v2.0/token",
            "an app registration with a client secret (client credentials)",
            "an access token; nothing about people",
            "eine App-Registrierung mit Client-Secret (Client Credentials)",
            "ein Zugriffstoken; nichts über Personen",
        ),
        DataSource(
            "GET /users, /users/{id}/manager (Graph)",
            "application permission User.Read.All",
            "accounts: id, e-mail, display name, department, job title, manager, creation day, "
            "preferred language, enabled",
            "Anwendungsberechtigung User.Read.All",
            "Konten: ID, E-Mail, Anzeigename, Abteilung, Stellenbezeichnung, Führungskraft, "
            "Anlagetag, bevorzugte Sprache, aktiv",
        ),
        DataSource(
            "GET /reports/getSharePointActivityUserDetail, getOneDriveActivityUserDetail, "
            "getTeamsUserActivityUserDetail (Graph)",
            "application permission Reports.Read.All (names concealed unless the tenant "
            "shows them)",
            "per account and day: files viewed or edited, synced and shared, SharePoint pages "
            "visited, Teams channel posts and replies, private chat messages, meetings and "
            "calls (counts; no content)",
            "Anwendungsberechtigung Reports.Read.All (Namen verborgen, außer der Mandant zeigt "
            "sie)",
            "je Konto und Tag: Dateien angesehen oder bearbeitet, synchronisiert, geteilt, "
            "besuchte SharePoint-Seiten, Teams-Beiträge und -Antworten, Nachrichten in privaten "
            "Chats, Besprechungen und Anrufe (Zahlen; keine Inhalte)",
        ),
        DataSource(
            "GET /reports/getYammerActivityUserDetail (Graph; Viva Engage)",
            "application permission Reports.Read.All (names concealed unless the tenant "
            "shows them); off with viva_engage = false",
            "per account and day: Viva Engage messages posted, read and liked (counts; no "
            "content, no community names)",
            "Anwendungsberechtigung Reports.Read.All (Namen verborgen, außer der Mandant zeigt "
            "sie); aus mit viva_engage = false",
            "je Konto und Tag: in Viva Engage geschriebene, gelesene und mit „Gefällt mir“ "
            "markierte Nachrichten (Zahlen; keine Inhalte, keine Community-Namen)",
        ),
        DataSource(
            "GET /reports/getEmailActivityUserDetail, getM365AppUserDetail (Graph; context)",
            "application permission Reports.Read.All; off with outlook_and_apps = false",
            "per account and day, as context never counted as participation: mails sent and "
            "read, meetings created and taken part in, and which Microsoft 365 apps were used "
            "(Outlook, Word, Excel, PowerPoint, OneNote, Teams); no mail content, subject, "
            "recipient or received-mail count",
            "Anwendungsberechtigung Reports.Read.All; aus mit outlook_and_apps = false",
            "je Konto und Tag, als Kontext, nie als Beteiligung gezählt: gesendete und gelesene "
            "Mails, angelegte und besuchte Besprechungen und welche Microsoft-365-Apps genutzt "
            "wurden (Outlook, Word, Excel, PowerPoint, OneNote, Teams); keine Mail-Inhalte, "
            "Betreffs, Empfänger oder Zahl empfangener Mails",
        ),
        DataSource(
            "GET /beta/copilot/reports/getMicrosoft365CopilotUsageUserDetail (Graph beta; "
            "falls back to /beta/reports/...)",
            "application permission Reports.Read.All; licensed users only; off with "
            "copilot = false",
            "per account: the last day Microsoft 365 Copilot was used in each app (Teams, Word, "
            "Excel, PowerPoint, Outlook, OneNote, Loop, Copilot Chat), stored as a day of use; "
            "no prompts, no counts",
            "Anwendungsberechtigung Reports.Read.All; nur lizenzierte Konten; aus mit "
            "copilot = false",
            "je Konto: der letzte Tag, an dem Microsoft 365 Copilot in jeder App genutzt wurde "
            "(Teams, Word, Excel, PowerPoint, Outlook, OneNote, Loop, Copilot Chat), gespeichert "
            "als Nutzungstag; keine Prompts, keine Zahlen",
        ),
        DataSource(
            "GET /reports/getSharePointSiteUsageDetail (Graph)",
            "application permission Reports.Read.All",
            "page views per site and day as anonymous counts (nobody named)",
            "Anwendungsberechtigung Reports.Read.All",
            "Seitenaufrufe je Website und Tag als anonyme Zahlen (niemand benannt)",
        ),
    ),
)

__all__ = ["SHAREPOINT_CONNECTOR", "SharePointConnector", "graph_client"]
