"""``e20kit report``."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ..diagnose.gaps import has_data_gap
from ..exit_codes import EXIT_NO_DATA
from .common import (
    Reference,
    State,
    day_of,
    emit,
    handle_errors,
    pass_state,
    reference_time,
    request_options,
)

PERIOD_HELP = "last-7d, last-30d, last-90d, last-<N>d, month:YYYY-MM or YYYY-MM-DD..YYYY-MM-DD."


def period_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """``--period``, ``--lang`` and ``--today``, shared by report and diagnose."""
    func = reference_time(func)
    func = click.option(
        "--lang",
        type=click.Choice(["en", "de"]),
        default=None,
        help="Language of texts [default: organisation.default_locale].",
    )(func)
    return click.option(
        "--period",
        metavar="PERIOD",
        default=None,
        help=f"{PERIOD_HELP} [default: analytics.default_period].",
    )(func)


@click.command()
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["html", "json", "csv", "md"]),
    default="html",
    show_default=True,
    help="html: one self-contained page; json: schema v1; csv: a folder of tables; md: summary.",
)
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    required=True,
    help="File to write (a folder for --format csv).",
)
@click.option(
    "--publish",
    "targets",
    metavar="NAME:TARGET",
    multiple=True,
    help="Also publish the md report; repeat for several, in order: "
    "confluence:SPACEKEY/Page title or sharepoint:HOST:/sites/PATH/Page title (a page, "
    "created once, updated on later runs), teams:WEBHOOK_ENV (a card in a Teams channel "
    "through the Workflows webhook whose URL is in that environment variable, at most once "
    "per period, linking the page published before it).",
)
@click.option(
    "--dry-run", is_flag=True, help="With --publish: show what would be written, change nothing."
)
@period_options
@request_options
@pass_state
@handle_errors
def report(
    state: State,
    fmt: str,
    out: Path,
    targets: tuple[str, ...],
    dry_run: bool,
    period: str | None,
    lang: str | None,
    today: Reference | None,
    requester: str | None,
    reason: str | None,
) -> None:
    """Write the adoption report of a period: figures, charts, findings and remedies.

    Exit code 8 (the report is still written) when a platform has no data for the period.
    """
    if targets and fmt != "md":
        raise click.UsageError("--publish publishes the Markdown report: add --format md")
    if dry_run and not targets:
        raise click.UsageError("--dry-run only applies to --publish")
    kit = state.kit()
    lang = lang or kit.config.settings.organisation.default_locale
    # built once: the file and every publisher show the same sections, each hook runs once
    built = kit.prepare_report(period, lang=lang, today=day_of(kit, today))
    findings = built.findings
    written = kit.report(
        fmt,
        out,
        lang=lang,
        metrics=built.metrics,
        findings=findings,
        sections=built.sections,
        requester=requester,
        reason=reason,
    )
    paths = written if isinstance(written, list) else [written]
    data: dict[str, Any] = {"format": fmt, "files": [str(p) for p in paths]}
    lines = [f"wrote {paths[0]}" if len(paths) == 1 else f"wrote {len(paths)} files into {out}"]
    if targets:
        document = paths[0].read_text(encoding="utf-8")
        done = kit.publish_all(
            targets,
            document,
            period=built.metrics.period,
            dry_run=dry_run,
            requester=requester,
            reason=reason,
            metrics=built.metrics,
            findings=findings,
            sections=built.sections,
            lang=lang,
        )
        shown = [
            {
                "target": name,
                "action": p.action,
                "location": p.location,
                **({"url": p.url} if p.url else {}),
                **({"preview": p.preview} if dry_run else {}),
            }
            for name, p in done
        ]
        # one target keeps the shape scripts read since 0.x; several are listed in order
        data["published"] = {k: v for k, v in shown[0].items() if k != "target" and k != "url"}
        if len(shown) > 1:
            data["published_all"] = shown
        for _, p in done:
            lines.append(f"{p.action}: {p.location}")
            if dry_run:
                lines.append(p.preview)
    emit(state, data, lambda: click.echo("\n".join(lines)))
    if has_data_gap(findings):
        sys.exit(EXIT_NO_DATA)
