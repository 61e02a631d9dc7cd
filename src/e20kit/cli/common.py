"""Shared CLI plumbing: options, the lazily opened Kit, output, exit codes.

Exit codes (docs/cli.md): 0 ok; 1 unexpected error; 2 config or usage error; 3 plugin error;
4 store error; 5 some messages could not be delivered; 6 some connectors failed (the others were
collected); 7 some connectors failed part-way (what they read first is stored); 8 no data
for the period (diagnose, report); 75 another run holds the lock; 130 interrupted.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn, ParamSpec, TypeVar

import click
import sqlalchemy as sa
from rich.console import Console
from rich.logging import RichHandler
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from ..errors import E20KitError
from ..http.redaction import REGISTERED, RedactingFilter, redact
from ..http.waits import wait_listener
from ..kit import Kit
from ..safe_text import clean_text
from ..store.failures import store_error

P = ParamSpec("P")
R = TypeVar("R")


@dataclass
class State:
    """Global options, shared by every command through click's context."""

    config: Path | None = None
    db: str | None = None
    json: bool = False
    verbosity: int = 0
    strict: bool = False
    _kit: Kit | None = field(default=None, repr=False)

    @property
    def quiet(self) -> bool:
        """``-q``: print only problems, so cron mails only what needs a look."""
        return self.verbosity < 0

    @property
    def interactive(self) -> bool:
        return sys.stderr.isatty() and not self.json and self.verbosity >= 0

    def kit(self) -> Kit:
        if self._kit is None:
            self._kit = Kit.from_config(self.config, store_url=self.db, strict=self.strict)
        return self._kit

    def close(self) -> None:
        if self._kit is not None:
            self._kit.close()


pass_state = click.make_pass_decorator(State, ensure=True)


def _set_json(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(State).json = True


def _set_verbose(ctx: click.Context, _: click.Parameter, value: int) -> None:
    if value:
        state = ctx.ensure_object(State)
        state.verbosity = max(state.verbosity, 0) + value
        setup_logging(state.verbosity)


def _set_quiet(ctx: click.Context, _: click.Parameter, value: bool) -> None:
    if value:
        state = ctx.ensure_object(State)
        state.verbosity = -1
        setup_logging(state.verbosity)


def _set_db(ctx: click.Context, _: click.Parameter, value: str | None) -> None:
    if value:
        ctx.ensure_object(State).db = value


def output_options() -> list[click.Option]:
    """``--json``, ``-v``, ``-q`` and ``--db`` for a subcommand: the same as before the
    subcommand, so ``e20kit plugins --json`` works like ``e20kit --json plugins``."""
    return [
        click.Option(
            ["--db"],
            metavar="URL",
            expose_value=False,
            callback=_set_db,
            help="Store URL, overriding [store] url (as before the command).",
        ),
        click.Option(
            ["--json"],
            is_flag=True,
            expose_value=False,
            callback=_set_json,
            help="Print machine-readable JSON on stdout.",
        ),
        click.Option(
            ["-v", "--verbose"],
            count=True,
            expose_value=False,
            callback=_set_verbose,
            help="More log output (-vv for debug).",
        ),
        click.Option(
            ["-q", "--quiet"],
            is_flag=True,
            expose_value=False,
            callback=_set_quiet,
            help="Print only problems.",
        ),
    ]


def add_output_options(command: click.Command) -> None:
    """Give ``command`` and every subcommand under it the output options."""
    taken = {opt for param in command.params for opt in getattr(param, "opts", ())}
    command.params.extend(p for p in output_options() if not taken.intersection(p.opts))
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            add_output_options(sub)


Reference = dt.date | dt.datetime
"""A reference time from ``--today``: a day, or an instant (aware, UTC) when a time was given."""


def parse_reference(_: click.Context, __: click.Parameter, value: str | None) -> Reference | None:
    """``YYYY-MM-DD`` (a day in the organisation's time zone) or ``YYYY-MM-DDTHH:MM[:SS]`` (UTC)."""
    if value is None:
        return None
    text = value.strip()
    try:
        if "T" not in text and " " not in text:
            return dt.date.fromisoformat(text)
        moment = dt.datetime.fromisoformat(text)
    except ValueError:
        raise click.BadParameter(f"{text!r} is not YYYY-MM-DD or YYYY-MM-DDTHH:MM") from None
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def reference_time(func: Callable[..., R]) -> Callable[..., R]:
    """``--today DATE`` (and the older ``--now``, kept as a hidden alias) as ``today``."""

    @functools.wraps(func)
    def wrapper(*args: Any, now_alias: Reference | None = None, **kwargs: Any) -> R:
        if kwargs.get("today") is None:
            kwargs["today"] = now_alias
        return func(*args, **kwargs)

    hidden = click.option("--now", "now_alias", callback=parse_reference, hidden=True)
    shown = click.option(
        "--today",
        "today",
        metavar="DATE",
        callback=parse_reference,
        help="Pretend it is this day (YYYY-MM-DD, in the organisation's time zone) or this "
        "moment (YYYY-MM-DDTHH:MM, UTC); for backfills, back-dated reports and tests.",
    )
    return shown(hidden(wrapper))


def day_of(kit: Kit, value: Reference | None) -> dt.date | None:
    """The organisation's day of a ``--today`` value."""
    if value is None or not isinstance(value, dt.datetime):
        return value
    return kit.clock.today(value)


def moment_of(kit: Kit, value: Reference | None) -> dt.datetime | None:
    """The instant of a ``--today`` value; a bare day means its midday in the organisation."""
    if value is None or isinstance(value, dt.datetime):
        return value
    return dt.datetime.combine(value, dt.time(12), kit.clock.zone).astimezone(dt.UTC)


stderr = Console(stderr=True)


def setup_logging(verbosity: int) -> None:
    """Quiet under cron (warnings only), chattier with -v, silent but errors with -q."""
    level = {-1: logging.ERROR, 0: logging.WARNING, 1: logging.INFO}.get(verbosity, logging.DEBUG)
    root = logging.getLogger()
    for old in list(root.handlers):
        if getattr(old, "_e20kit", False):
            root.removeHandler(old)
    handler: logging.Handler
    if sys.stderr.isatty():
        handler = RichHandler(console=stderr, show_path=False)
    else:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    setattr(handler, "_e20kit", True)  # noqa: B010 - marks our own handler for re-setup
    handler.addFilter(RedactingFilter())  # every logger, also those no plugin knew of
    root.addHandler(handler)
    root.setLevel(level)


def request_options(func: Callable[..., R]) -> Callable[..., R]:
    """``--requester`` and ``--reason``: who asked for what a command shows or writes about
    people, and why; both go into the audit trail (docs/privacy.md, "Audit trail")."""
    func = click.option(
        "--reason", metavar="TEXT", help="Why (e.g. a ticket or request number); audited."
    )(func)
    return click.option(
        "--requester", metavar="WHO", help="On whose request this is done; audited."
    )(func)


def emit(state: State, data: Any, human: Callable[[], None]) -> None:
    """Print ``data`` as JSON with --json, else call ``human`` to print for people."""
    if state.json:
        click.echo(json.dumps(data, indent=2, sort_keys=True, default=str))
    else:
        human()


def fail(err: E20KitError) -> NoReturn:
    """Print ``err`` as one line (redacted, no control characters) and exit with its code."""
    click.echo(f"e20kit: error: {clean_text(redact(str(err), REGISTERED.snapshot()))}", err=True)
    sys.exit(err.exit_code)


def handle_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Turn e20kit errors into a one-line message and their documented exit code."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except E20KitError as err:
            click.echo(
                f"e20kit: error: {clean_text(redact(str(err), REGISTERED.snapshot()))}", err=True
            )
            sys.exit(err.exit_code)
        except sa.exc.SQLAlchemyError as err:  # a store failure outside the collect loop
            fail(store_error(err))
        except KeyboardInterrupt:
            click.echo("e20kit: interrupted", err=True)
            sys.exit(130)

    return wrapper


def say_wait(state: State) -> Callable[[str, float], None]:
    """The line a long wait prints (not under ``-q``): reason, estimate and when it ends."""

    def say(reason: str, seconds: float) -> None:
        if state.quiet:
            return
        until = dt.datetime.now().astimezone() + dt.timedelta(seconds=seconds)
        click.echo(
            f"e20kit: {clean_text(reason)}; waiting {seconds:.1f} s (until {until:%H:%M:%S})",
            err=True,
        )

    return say


@contextmanager
def progress_bar(state: State, description: str) -> Iterator[Callable[[str, str, int], None]]:
    """A progress callback: a live bar on a terminal, nothing under cron or --json. Long waits
    (:func:`e20kit.http.waits.announce_wait`) print one line, and the bar shows them too."""
    if not state.interactive:
        with wait_listener(say_wait(state)):
            yield lambda *_: None
        return
    with Progress(
        SpinnerColumn(),
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.completed:,} {task.fields[unit]}"),
        TimeElapsedColumn(),
        console=stderr,
        transient=True,
    ) as bar:
        tasks: dict[tuple[str, str], Any] = {}

        def update(name: str, stage: str, count: int) -> None:
            key = (name, stage)
            if key not in tasks:
                unit = "people" if stage == "people" else "facts"
                tasks[key] = bar.add_task(f"{description} {name}", total=None, unit=unit)
            bar.update(tasks[key], completed=count, description=f"{description} {name}")

        def waiting(reason: str, seconds: float) -> None:
            line = f"waiting {seconds:.0f} s: {clean_text(reason)}"
            for task in tasks.values():  # until the next count arrives
                bar.update(task, description=line)
            bar.console.print(f"e20kit: {clean_text(reason)}; waiting {seconds:.1f} s")

        with wait_listener(waiting):
            yield update
