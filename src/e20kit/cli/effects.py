"""``e20kit effects``: did the programmes work? Experiments and rollouts, read honestly."""

from __future__ import annotations

import click

from .common import Reference, State, day_of, emit, handle_errors, pass_state, reference_time


@click.group("effects", invoke_without_command=True)
@click.option("--lang", type=click.Choice(["en", "de"]), default=None)
@reference_time
@pass_state
@handle_errors
@click.pass_context
def effects(ctx: click.Context, state: State, lang: str | None, today: Reference | None) -> None:
    """Each experiment's and rollout's result: difference, 95 % interval, members, design.

    A result reads "inconclusive" until its planned number of newcomers has reached the
    horizon (docs/effects.md). --json for scripts.
    """
    if ctx.invoked_subcommand is not None:
        return
    kit = state.kit()
    lang = lang or kit.config.settings.organisation.default_locale
    result = kit.effects(today=day_of(kit, today), lang=lang)

    def human() -> None:
        lines = result.lines(lang)
        if not lines:
            click.echo(
                "Keine Experimente oder Einführungen konfiguriert."
                if lang == "de"
                else "No experiment or rollout: add an [[experiments]] table (docs/effects.md)."
            )
        for line in lines:
            click.echo(line)

    emit(state, result.as_dict(), human)
