"""``e20kit run``: the whole cycle, for cron."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from ..champions.outreach import OutreachResult
from ..config import Settings
from ..cycle import CycleResult
from ..disclosure import outputs as published
from ..runs import collect_counts
from ..wording import counted
from .collect import failure_line
from .common import (
    Reference,
    State,
    emit,
    handle_errors,
    moment_of,
    pass_state,
    progress_bar,
    reference_time,
)
from .held import held_text, quiet_until, unseen_notifier, until_text
from .privacy import purge_summary


def unseen_warnings(settings: Settings, result: CycleResult) -> list[str]:
    """A warning per notifier that delivered messages nowhere anyone reads (once each)."""
    used: list[str] = []
    if result.onboarding is not None and result.onboarding.sent:
        used.append(settings.onboarding.nudges.notifier)
    outreach = [r for r in (result.invitations, result.digests) if r is not None]
    if any(o.state.value == "sent" for r in outreach for o in r.outcomes):
        used.append(settings.champions.notifier)
    warnings = (unseen_notifier(settings.notifiers, name) for name in dict.fromkeys(used))
    return [w for w in warnings if w]


@click.command("run")
@click.option(
    "--dry-run", is_flag=True, help="Collect and compute, but message nobody and record no message."
)
@click.option(
    "--report-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write report.html, report.md and report.json into this folder.",
)
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option(
    "--invite",
    is_flag=True,
    help="Also invite new champion candidates (normally a human decision).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Purge by the retention rules even when the clock guard refuses (see collect).",
)
@reference_time
@pass_state
@handle_errors
def run_cmd(
    state: State,
    dry_run: bool,
    report_dir: Path | None,
    lang: str,
    invite: bool,
    force: bool,
    today: Reference | None,
) -> None:
    """Collect, nudge newcomers, nominate and pair champions, send digests, write reports.

    Holds the store's lock for the whole run. Exit codes: 0 all well, 6 some platform failed
    (everything else still ran), 5 some messages could not be delivered (they stay queued),
    75 another run holds the lock.
    """
    kit = state.kit()
    with kit.lock("run") as record, progress_bar(state, "collecting") as progress:
        result = kit.run_cycle(
            dry_run=dry_run,
            report_dir=report_dir,
            lang=lang,
            invite=invite,
            now=moment_of(kit, today),
            progress=progress,
            force=force,
        )
        record.exit_code = result.exit_code
        record.counts = collect_counts(result.collect)

    settings = kit.config.settings
    when = kit.clock.now(moment_of(kit, today))

    def until(quiet: Any) -> str:
        moment = quiet_until(
            when,
            timezone=kit.clock.timezone,
            start=quiet.quiet_start,
            end=quiet.quiet_end,
            weekends=quiet.send_on_weekends,
        )
        return until_text(when, moment)

    def outreach(noun: str, part: OutreachResult | None, verb: str) -> str | None:
        if part is None or not (part.outcomes or part.held):
            return None
        sent = sum(o.state.value in ("sent", "would_send") for o in part.outcomes)
        line = f"champions: {counted(sent, noun)} {verb}"
        if part.deferred:
            line += "; " + held_text({part.deferred: part.held}, until=until(settings.champions))
        return line

    def human() -> None:
        for run in result.collect.runs:
            if not run.ok:
                click.echo(f"collect {run.name}: {failure_line(run)}", err=True)
            elif not state.quiet:
                click.echo(f"collect {run.name}: {run.facts_written} facts")
            for warning in run.warnings:
                click.echo(f"collect {run.name}: warning: {warning}", err=True)
        if result.collect.purge_refused:
            click.echo(f"collect: warning: {result.collect.purge_refused}", err=True)
        if result.onboarding is not None:
            for nudge in result.onboarding.failed + result.onboarding.unknown:
                click.echo(f"onboarding: nudge {nudge.key} {nudge.state}: {nudge.error}", err=True)
        if not dry_run:
            for warning in unseen_warnings(settings, result):
                click.echo(f"warning: {warning}", err=True)
        if state.quiet:
            return
        summary = purge_summary(result.collect.purged)
        if summary:
            click.echo(summary)
        verb = "would be sent" if dry_run else "sent"
        if result.onboarding is not None:
            nudges = settings.onboarding.nudges
            delivered = [n for n in result.onboarding.nudges if n.state in ("sent", "would_send")]
            line = f"onboarding: {counted(len(delivered), 'nudge')} {verb}"
            held = held_text(result.onboarding.skipped, until=until(nudges), cap=nudges.weekly_cap)
            click.echo(line + (f"; {held}" if held else ""))
        if result.nominations is not None:
            click.echo(f"champions: {counted(len(result.nominations.nominated), 'new candidate')}")
        for text in (
            outreach("invitation", result.invitations, verb),
            outreach("digest", result.digests, verb),
        ):
            if text:
                click.echo(text)
        if result.pairing is not None:
            click.echo(f"buddies: {counted(len(result.pairing.new), 'new pair')}")
        for finding in result.findings:
            click.echo(f"finding [{finding.severity}] {finding.title}")
        for path in result.reports:
            click.echo(f"report: {path}")

    emit(state, published.run(result.as_dict(), kit.disclosure), human)
    sys.exit(result.exit_code)
