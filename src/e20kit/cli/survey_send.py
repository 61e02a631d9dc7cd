"""``e20kit survey send``: invite people to a survey wave through the configured notifier."""

from __future__ import annotations

import sys

import click

from ..exit_codes import EXIT_DELIVERY_FAILED
from ..survey.invitations import SendResult
from .common import State, emit, handle_errors, pass_state

DEFERRED = {
    "quiet_hours": "quiet hours ([survey.invitations] quiet_start/quiet_end): nothing sent",
    "weekend": "weekend ([survey.invitations] send_on_weekends): nothing sent",
    "closed": "the wave is closed: nothing sent",
}


@click.command("send")
@click.option("--wave", "wave_id", required=True, help="Wave id (a new one is opened).")
@click.option("--source", default=None, help="[survey_sources.<name>] a new wave is asked in.")
@click.option("--dry-run", is_flag=True, help="List what would be sent; send and write nothing.")
@click.option("--remind", is_flag=True, help="Send the reminders due instead of invitations.")
@pass_state
@handle_errors
def send_cmd(state: State, wave_id: str, source: str | None, dry_run: bool, remind: bool) -> None:
    """Invite every member to a survey wave, at most once each (or remind them with --remind).

    The link carries no token: only language, role and, for departments with at least k
    members of that role, the department. Only that someone was invited is stored."""
    kit = state.kit()
    with kit.lock("survey"):
        result = kit.survey.send(wave_id, source=source, dry_run=dry_run, remind=remind)
    _output(state, result)


def _output(state: State, result: SendResult) -> None:
    def human() -> None:
        ref = result.survey_ref or "not created yet"
        click.echo(f"wave {result.wave_id} in {result.source} (survey {ref})")
        if result.deferred:
            click.echo(f"{DEFERRED[result.deferred]} ({result.held} held)")
        for o in result.outcomes:
            what = "reminder" if o.reminder else "invitation"
            line = f"{o.state:<13} {what:<10} {o.member_key}  {o.link}"
            click.echo(line + (f"  ({o.error})" if o.error else ""))
        for why, n in sorted(result.skipped.items()):
            click.echo(f"skipped ({why.replace('_', ' ')}): {n}")

    emit(state, result.as_dict(), human)
    if not result.ok:
        sys.exit(EXIT_DELIVERY_FAILED)


__all__ = ["send_cmd"]
