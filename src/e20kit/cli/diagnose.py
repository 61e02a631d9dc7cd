"""``e20kit diagnose``."""

from __future__ import annotations

import sys

import click

from ..diagnose.gaps import has_data_gap
from ..exit_codes import EXIT_NO_DATA
from ..report.labels import labels
from .common import Reference, State, day_of, emit, handle_errors, pass_state, request_options
from .report import period_options


@click.command()
@period_options
@request_options
@pass_state
@handle_errors
def diagnose(
    state: State,
    period: str | None,
    lang: str | None,
    today: Reference | None,
    requester: str | None,
    reason: str | None,
) -> None:
    """Print which known reasons for low use are at work, with evidence and remedies.

    A healthy organisation gets no finding; mild training gaps and an unclear benefit seldom
    show in usage data alone (docs/playbook.md, "What the families allow"): the pulse survey
    asks people. Exit code 0 with or without findings, 8 when a
    platform has no data for the period (nothing can be said about it); --json for scripts.
    """
    kit = state.kit()
    lang = lang or kit.config.settings.organisation.default_locale
    findings = kit.diagnose(
        lang=lang, period=period, today=day_of(kit, today), requester=requester, reason=reason
    )

    def human() -> None:
        if not findings:
            click.echo(labels(lang)["no_findings"])
        for finding in findings:
            severity = labels(lang)[f"severity_{finding.severity.value}"]
            click.echo(f"[{severity}] {finding.title} ({finding.rule})")
            click.echo(f"  {finding.detail}")
            if finding.rests_on:
                click.echo(f"  ({labels(lang)['rests_on_' + '_'.join(finding.rests_on)]})")
            for remedy in finding.remedies:
                click.echo(f"  - {remedy}")

    emit(state, [f.model_dump(mode="json") for f in findings], human)
    if has_data_gap(findings):
        sys.exit(EXIT_NO_DATA)
