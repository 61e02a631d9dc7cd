"""The ``e20kit`` command line: parses arguments, calls the Python API, prints.

Every command is one call of :class:`e20kit.Kit`; see docs/cli.md for exit codes.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .._version import __version__
from ..safe_text import TerminalSafeStream
from .champions import champions
from .collect import collect
from .common import State, add_output_options, setup_logging
from .demo import demo
from .diagnose import diagnose
from .effects import effects
from .init import init
from .onboarding import onboarding
from .plugins import plugins_cmd
from .privacy import privacy
from .report import report
from .run import run_cmd
from .sandbox import sandbox
from .status import status_cmd
from .survey import survey


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, "--version", prog_name="e20kit")
@click.option(
    "-c",
    "--config",
    type=click.Path(dir_okay=False, path_type=Path),
    envvar="E20KIT_CONFIG",
    help="TOML config file [env: E20KIT_CONFIG]. Without it, built-in defaults apply.",
)
@click.option(
    "--db",
    metavar="URL",
    help="Store URL, overriding [store] url (sqlite:///... or postgresql://...).",
)
@click.option("--json", "as_json", is_flag=True, help="Print machine-readable JSON on stdout.")
@click.option("-v", "--verbose", count=True, help="More log output (-vv for debug).")
@click.option(
    "-q", "--quiet", is_flag=True, help="Print only problems (for cron: no mail when all is well)."
)
@click.option("--strict", is_flag=True, help="Fail when any plugin fails to load.")
@click.pass_context
def main(
    ctx: click.Context,
    config: Path | None,
    db: str | None,
    as_json: bool,
    verbose: int,
    quiet: bool,
    strict: bool,
) -> None:
    """Measure, diagnose and drive adoption of Confluence, Microsoft 365 and Mattermost.

    Typical cron line:  e20kit -q -c /etc/e20kit.toml run
    """
    if not isinstance(sys.stdout, TerminalSafeStream):
        sys.stdout = TerminalSafeStream(sys.stdout)
    state = ctx.ensure_object(State)
    state.config, state.db, state.json, state.strict = config, db, as_json, strict
    state.verbosity = -1 if quiet else verbose
    setup_logging(state.verbosity)
    ctx.call_on_close(state.close)


for command in (
    init,
    collect,
    onboarding,
    champions,
    report,
    diagnose,
    effects,
    run_cmd,
    plugins_cmd,
    demo,
    sandbox,
    status_cmd,
    privacy,
    survey,
):
    add_output_options(command)
    main.add_command(command)

__all__ = ["main"]
