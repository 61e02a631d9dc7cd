"""``e20kit collect``."""

from __future__ import annotations

import datetime as dt
import sys

import click

from ..results import ConnectorRun
from ..runs import collect_counts
from ..wording import counted
from .common import (
    Reference,
    State,
    day_of,
    emit,
    handle_errors,
    pass_state,
    progress_bar,
    reference_time,
)
from .privacy import purge_summary


@click.command()
@click.option(
    "--connector",
    "connectors",
    multiple=True,
    help="Collect only this connector (repeatable); default: every configured one.",
)
@click.option(
    "--refresh",
    is_flag=True,
    help="Also bring the rollups up to date (report and run do it anyway, before they read).",
)
@click.option(
    "--since",
    metavar="DATE",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Start the window on this day instead of lookback_days back: days before what was "
    "collected are fetched once (a backfill, within each platform's reach).",
)
@click.option(
    "--force",
    is_flag=True,
    help="Purge by the retention rules even when the clock guard refuses (a --today after "
    "the real clock, a clock behind the last collect, more than privacy.max_purge_share).",
)
@reference_time
@pass_state
@handle_errors
def collect(
    state: State,
    connectors: tuple[str, ...],
    refresh: bool,
    since: dt.datetime | None,
    force: bool,
    today: Reference | None,
) -> None:
    """Collect people and daily activity from the configured platforms into the store.

    Each connector continues from its bookmarks, so a run after a crash resumes where the last
    one stopped. A failing platform does not stop the others; the exit code is then 6.
    """
    kit = state.kit()
    with kit.lock("collect") as record, progress_bar(state, "collecting") as progress:
        result = kit.collect(
            list(connectors) or None,
            today=day_of(kit, today),
            progress=progress,
            force=force,
            since=since.date() if since else None,
        )
        refreshed = kit.refresh() if refresh else None
        record.exit_code = result.exit_code
        record.counts = collect_counts(result)

    def human() -> None:
        for run in result.runs:
            retries = f", {run.retries} retries" if run.retries else ""
            if run.ok and not state.quiet:
                skipped = (
                    f", {run.facts_skipped} skipped (person ids not in the directory)"
                    if run.facts_skipped
                    else ""
                )
                if run.erased_skipped:
                    skipped += f", {run.erased_skipped} records of erased people skipped"
                pending = f", {counted(run.pending, 'record')} pending" if run.pending else ""
                click.echo(
                    f"{run.name}: {run.people} people, {run.facts_written} facts written, "
                    f"{run.facts_deleted} replaced{skipped}{pending}{retries}"
                )
            elif not run.ok:
                click.echo(f"{run.name}: {failure_line(run)}{retries}", err=True)
            for warning in run.warnings:
                click.echo(f"{run.name}: warning: {warning}", err=True)
        summary = purge_summary(result.purged)
        if summary and not state.quiet:
            click.echo(summary)
        if result.purge_refused:
            click.echo(f"warning: {result.purge_refused}", err=True)
        if refreshed is not None and not state.quiet:
            click.echo(f"rollups: {refreshed.count} days refreshed")

    data = result.as_dict()
    if refreshed is not None:
        data["refreshed"] = refreshed.as_dict()
    emit(state, data, human)
    if not result.ok:
        sys.exit(result.exit_code)


def failure_line(run: ConnectorRun) -> str:
    """``FAILED: ...``, or ``PARTIAL: ...`` saying what was kept when something was stored."""
    if not run.partial:
        return f"FAILED: {run.error}"
    stream = f"stream {run.failed_stream} failed; " if run.failed_stream else ""
    return (
        f"PARTIAL: {stream}kept {run.people} people and {run.facts_written} facts read before "
        f"the failure (the next run resumes from the bookmarks): {run.error}"
    )
