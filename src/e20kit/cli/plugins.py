"""``e20kit plugins``."""

from __future__ import annotations

import click
from rich.console import Console
from rich.table import Table

from ..plugins import describe
from .common import State, emit, handle_errors, pass_state


@click.command("plugins")
@pass_state
@handle_errors
def plugins_cmd(state: State) -> None:
    """List loaded plugins, their versions and the hooks each implements."""
    plugins = state.kit().plugins
    listed = describe(plugins)
    connectors = sorted(plugins.connector_types())
    notifiers = sorted(plugins.notifier_types())
    checks = sorted(plugins.checks())
    sources = sorted(plugins.survey_source_types())
    publishers = sorted(plugins.publishers())
    data = {
        "plugins": listed,
        "connectors": connectors,
        "notifiers": notifiers,
        "checks": checks,
        "survey_sources": sources,
        "publishers": publishers,
        "failed": [vars(f) for f in plugins.failures],
    }

    def human() -> None:
        table = Table("plugin", "distribution", "version", "hooks")
        for p in listed:
            table.add_row(
                p["name"], p["distribution"] or "-", p["version"] or "-", ", ".join(p["hooks"])
            )
        Console().print(table)
        click.echo(f"connectors: {', '.join(connectors) or '-'}")
        click.echo(f"notifiers:  {', '.join(notifiers) or '-'}")
        click.echo(f"checks:     {', '.join(checks) or '-'}")
        click.echo(f"survey sources: {', '.join(sources) or '-'}")
        click.echo(f"publishers: {', '.join(publishers) or '-'}  (report --publish NAME:TARGET)")
        for f in plugins.failures:
            click.echo(f"failed to load: {f.name} ({f.distribution}): {f.error}", err=True)

    emit(state, data, human)
