"""``e20kit effects``: did the programmes work? Experiments and rollouts, read honestly."""

from __future__ import annotations

import datetime as dt

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


def _departments(values: tuple[str, ...]) -> list[str]:
    """``-d A -d B`` or ``-d "A,B"``."""
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from err


@effects.command("log")
@click.option("--what", required=True, help="The remedy, e.g. 'wiki training'.")
@click.option(
    "-d",
    "--department",
    "departments",
    multiple=True,
    required=True,
    help="A department it reached (repeat, or separate with commas).",
)
@click.option("--from", "from_day", required=True, help="First day (YYYY-MM-DD).")
@pass_state
@handle_errors
def log_cmd(state: State, what: str, departments: tuple[str, ...], from_day: str) -> None:
    """Log a remedy rolled out to departments (estimated as "observational")."""
    kit = state.kit()
    starts = kit.effects.log(what, _departments(departments), _day(from_day))

    def human() -> None:
        click.echo(f"logged {what!r} in {len(starts)} department(s) from {from_day}")

    emit(state, [s.as_dict() for s in starts], human)


@effects.command("plan")
@click.option("--seed", required=True, help="Any text; the same seed gives the same order.")
@click.option("--start", required=True, help="Day the first department starts (YYYY-MM-DD).")
@click.option(
    "-d",
    "--department",
    "departments",
    multiple=True,
    help="Departments to plan (default: every department in the store).",
)
@click.option("--step-weeks", type=click.IntRange(1, 52), default=2, show_default=True)
@click.option("--per-step", type=click.IntRange(1, 100), default=1, show_default=True)
@click.option("--log", "log_as", metavar="WHAT", help="Also log the plan as this remedy.")
@pass_state
@handle_errors
def plan_cmd(
    state: State,
    seed: str,
    start: str,
    departments: tuple[str, ...],
    step_weeks: int,
    per_step: int,
    log_as: str | None,
) -> None:
    """Draw the order in which departments start a remedy (a stepped wedge)."""
    kit = state.kit()
    starts = kit.effects.plan(
        seed=seed,
        start=_day(start),
        departments=_departments(departments) or None,
        step_weeks=step_weeks,
        per_step=per_step,
        log_as=log_as,
    )

    def human() -> None:
        for s in starts:
            click.echo(f"{s.from_day.isoformat()}  {s.department}")
        if log_as:
            click.echo(f"logged as {log_as!r} (randomised order, seed {seed!r})")

    emit(state, [s.as_dict() for s in starts], human)
