"""``e20kit sandbox``: serve the loopback fakes with a ready config until Ctrl-C."""

from __future__ import annotations

import datetime as dt
import signal
import threading
from pathlib import Path
from types import FrameType

import click

from ..sandbox import PRESETS
from .common import State, emit, handle_errors, parse_reference, pass_state


def _stop_on_sigterm(_: int, __: FrameType | None) -> None:
    raise KeyboardInterrupt


@click.command("sandbox")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("sandbox"),
    show_default=True,
    help="Folder for the config, the tokens (sandbox.env) and the store.",
)
@click.option(
    "--config-out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the config here (default: OUT/e20kit.toml) instead of printing it.",
)
@click.option(
    "--end",
    metavar="DATE",
    callback=parse_reference,
    help="Last day of the synthetic data (YYYY-MM-DD) [default: yesterday].",
)
@click.option("--members", type=int, default=120, show_default=True, help="Organisation size.")
@click.option("--days", type=int, default=120, show_default=True, help="Days of history.")
@click.option(
    "--preset",
    type=click.Choice(sorted(PRESETS)),
    default="healthy",
    show_default=True,
    help="Which known reason for low use the synthetic organisation shows.",
)
@pass_state
@handle_errors
def sandbox(
    state: State,
    out: Path,
    config_out: Path | None,
    end: dt.date | None,
    members: int,
    days: int,
    preset: str,
) -> None:
    """Serve a synthetic organisation from loopback fakes of every installed platform plugin,
    print a config that reaches them, and keep serving until Ctrl-C.

    The data ends yesterday (or on --end), so no command needs --today. Nothing leaves this
    machine. Source OUT/sandbox.env in your shell for the fakes' tokens, then run any command
    with -c on the printed config.
    """
    from ..clock import OrgClock
    from ..demo import TIMEZONE, open_sandbox
    from ..sandbox_setup import org_window

    if isinstance(end, dt.datetime):
        raise click.BadParameter("a day, YYYY-MM-DD", param_hint="--end")
    last = end or OrgClock(TIMEZONE).today() - dt.timedelta(days=1)
    out = out.resolve()
    env_file = out / "sandbox.env"
    with open_sandbox(
        out,
        last_day=last,
        members=members,
        days=days,
        preset=preset,
        config=config_out.resolve() if config_out else None,
    ) as box:
        started = box.started
        env_file.touch(mode=0o600)
        env_file.write_text(started.exports(), encoding="utf-8")
        data = {
            "config": str(box.config),
            "env_file": str(env_file),
            "env": started.env,
            "served": started.served,
            "imported": started.imported,
            "first_day": box.org.start.isoformat(),
            "last_day": last.isoformat(),
            "preset": preset,
        }

        def human() -> None:
            fakes = ", ".join(started.served) or "none"
            click.echo(f"# e20kit sandbox: {fakes} served on 127.0.0.1 until Ctrl-C")
            click.echo(
                f"# synthetic data {org_window(box.org)}, {len(box.org.people)} members, "
                f"preset {preset}"
            )
            click.echo(f"# the fakes' tokens (also in {env_file}; source it in your shell):")
            click.echo(started.exports(), nl=False)
            if config_out is None:
                click.echo(f"# the config (also written to {box.config}):")
                click.echo(box.text, nl=False)
            click.echo(f"# try: . {env_file} && e20kit -c {box.config} collect")

        emit(state, data, human)
        signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            click.echo("sandbox stopped", err=True)


__all__ = ["sandbox"]
