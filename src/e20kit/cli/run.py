"""``e20kit run``: the whole cycle, for cron."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .collect import failure_line
from .common import (
    Reference,
    State,
    counted,
    emit,
    handle_errors,
    moment_of,
    pass_state,
    progress_bar,
    reference_time,
)
from .privacy import purge_summary


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
    with kit.lock("run"), progress_bar(state, "collecting") as progress:
        result = kit.run_cycle(
            dry_run=dry_run,
            report_dir=report_dir,
            lang=lang,
            invite=invite,
            now=moment_of(kit, today),
            progress=progress,
            force=force,
        )

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
        if state.quiet:
            return
        summary = purge_summary(result.collect.purged)
        if summary:
            click.echo(summary)
        if result.onboarding is not None:
            verb = "would send" if dry_run else "sent"
            delivered = [n for n in result.onboarding.nudges if n.state in ("sent", "would_send")]
            click.echo(f"onboarding: {verb} {counted(len(delivered), 'nudge')}")
        if result.nominations is not None:
            click.echo(f"champions: {counted(len(result.nominations.nominated), 'new candidate')}")
        if result.pairing is not None:
            click.echo(f"buddies: {counted(len(result.pairing.new), 'new pair')}")
        for finding in result.findings:
            click.echo(f"finding [{finding.severity}] {finding.title}")
        for path in result.reports:
            click.echo(f"report: {path}")

    emit(state, result.as_dict(), human)
    sys.exit(result.exit_code)
