"""``e20kit collect``."""

from __future__ import annotations

import sys

import click

from .common import (
    EXIT_CONNECTOR_FAILED,
    Reference,
    State,
    day_of,
    emit,
    handle_errors,
    pass_state,
    progress_bar,
    reference_time,
)


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
@reference_time
@pass_state
@handle_errors
def collect(
    state: State, connectors: tuple[str, ...], refresh: bool, today: Reference | None
) -> None:
    """Collect people and daily activity from the configured platforms into the store.

    Each connector continues from its bookmarks, so a run after a crash resumes where the last
    one stopped. A failing platform does not stop the others; the exit code is then 6.
    """
    kit = state.kit()
    with kit.lock("collect"), progress_bar(state, "collecting") as progress:
        result = kit.collect(list(connectors) or None, today=day_of(kit, today), progress=progress)
        refreshed = kit.refresh() if refresh else None

    def human() -> None:
        for run in result.runs:
            retries = f", {run.retries} retries" if run.retries else ""
            if run.ok and not state.quiet:
                skipped = (
                    f", {run.facts_skipped} skipped (person ids not in the directory)"
                    if run.facts_skipped
                    else ""
                )
                click.echo(
                    f"{run.name}: {run.people} people, {run.facts_written} facts written, "
                    f"{run.facts_deleted} replaced{skipped}{retries}"
                )
            elif not run.ok:
                click.echo(f"{run.name}: FAILED: {run.error}{retries}", err=True)
        if refreshed is not None and not state.quiet:
            click.echo(f"rollups: {refreshed.count} days refreshed")

    data = result.as_dict()
    if refreshed is not None:
        data["refreshed"] = refreshed.as_dict()
    emit(state, data, human)
    if not result.ok:
        sys.exit(EXIT_CONNECTOR_FAILED)
