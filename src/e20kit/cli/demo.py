"""``e20kit demo``."""

from __future__ import annotations

from pathlib import Path

import click

from .common import State, emit, handle_errors, pass_state, progress_bar


@click.command()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("demo-output"),
    show_default=True,
    help="Folder for the demo's config, store and reports.",
)
@click.option(
    "--members",
    type=int,
    default=300,
    show_default=True,
    help="Size of the synthetic organisation.",
)
@click.option(
    "--preset",
    type=click.Choice(
        [
            "healthy",
            "closed_culture",
            "unclear_benefit",
            "complicated",
            "no_time",
            "too_little_training",
        ]
    ),
    default="closed_culture",
    show_default=True,
    help="Which known reason for low use the synthetic organisation shows.",
)
@pass_state
@handle_errors
def demo(state: State, out: Path, members: int, preset: str) -> None:
    """Run the whole cycle on a synthetic organisation served by loopback fakes of the platforms.

    Nothing leaves this machine: every platform is a fake on 127.0.0.1.
    """
    from ..demo import run_demo

    with progress_bar(state, "collecting") as progress:
        result = run_demo(out, members=members, preset=preset, progress=progress)

    def human() -> None:
        for line in result.summary_lines():
            click.echo(line)

    emit(state, result.as_dict(), human)
