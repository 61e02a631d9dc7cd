"""``e20kit demo``."""

from __future__ import annotations

from pathlib import Path

import click

from .common import State, emit, handle_errors, pass_state


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
@pass_state
@handle_errors
def demo(state: State, out: Path, members: int) -> None:
    """Run the whole cycle on a synthetic organisation served by loopback fakes of the platforms.

    Nothing leaves this machine: every platform is a fake on 127.0.0.1.
    """
    from ..demo import run_demo

    result = run_demo(out, members=members, interactive=state.interactive)

    def human() -> None:
        for line in result.summary_lines():
            click.echo(line)

    emit(state, result.as_dict(), human)
