"""``e20kit survey``: import a wave's anonymous answers, show its results (docs/survey.md)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from .common import State, emit, handle_errors, pass_state
from .survey_send import send_cmd


@click.group("survey")
def survey() -> None:
    """The pulse survey on the five reasons: import answers, show results (docs/survey.md)."""


@survey.command("results")
@click.option("--wave", "wave_id", default=None, help="Wave id (default: the latest).")
@click.option("--lang", type=click.Choice(["en", "de"]), default=None)
@pass_state
@handle_errors
def results_cmd(state: State, wave_id: str | None, lang: str | None) -> None:
    """Scores per reason, organisation-wide and per unit; fewer than k answers read "<k"."""
    from ..survey.output import as_dict, lines

    kit = state.kit()
    lang = lang or kit.config.settings.organisation.default_locale
    results = kit.survey.results(wave_id)
    kit.privacy.record("survey_results", target=results.wave.wave_id)

    def human() -> None:
        for line in lines(results, lang):
            click.echo(line)

    emit(state, as_dict(results), human)


@survey.command("import")
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--wave", "wave_id", required=True, help="The wave the answers belong to.")
@click.option(
    "--source",
    default="csv",
    show_default=True,
    help="csv for FILE, or a [survey_sources.<name>] to read the wave's answers from.",
)
@click.option(
    "--role",
    type=click.Choice(["staff", "leader"]),
    default=None,
    help="The role of every response, for an export without a role column.",
)
@click.option("--opened", default=None, help="First day of a new wave (YYYY-MM-DD; default today).")
@click.option("--closes", default=None, help="Last day of a new wave (YYYY-MM-DD).")
@pass_state
@handle_errors
def import_cmd(
    state: State,
    file: Path | None,
    wave_id: str,
    source: str,
    role: str | None,
    opened: str | None,
    closes: str | None,
) -> None:
    """Import a wave's anonymous answers: a CSV export (FILE) or the wave's survey source.

    The whole file is checked first; one problem names file, line and column and nothing is
    stored. Importing the same responses again counts nothing twice.
    """
    kit = state.kit()
    first, last = _day(opened), _day(closes)
    if file is not None:
        if source != "csv":
            raise click.UsageError("FILE is a CSV export: leave out --source or say --source csv")
        done = kit.survey.import_file(file, wave_id, role=role, opened=first, closes=last)  # type: ignore[arg-type]
    else:
        if source == "csv":
            raise click.UsageError("give the export FILE, or --source NAME of a survey source")
        kit.survey.open_wave(wave_id, source=source, opened=first, closes=last)
        done = kit.survey.collect(wave_id)
    kit.privacy.record("survey_import", target=wave_id, detail={"source": source})

    def human() -> None:
        click.echo(f"{wave_id}: {done.added} responses imported, {done.already} imported before")

    emit(state, {"wave": wave_id, "added": done.added, "already": done.already}, human)


def _day(value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError as err:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from err


survey.add_command(send_cmd)
