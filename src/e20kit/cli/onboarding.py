"""``e20kit onboarding``: run checklists and nudges, show the funnel, mark steps, opt-outs."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..disclosure import outputs as published
from ..exit_codes import EXIT_DELIVERY_FAILED
from ..wording import counted
from .common import (
    Reference,
    State,
    emit,
    handle_errors,
    moment_of,
    pass_state,
    reference_time,
    request_options,
)
from .held import held_text, quiet_until, unseen_notifier, until_text

SCOPES = click.Choice(["all", "onboarding", "champions"])


@click.group()
def onboarding() -> None:
    """Onboarding checklists: progress, funnel and friendly reminders that never spam.

    MEMBER is a member key or an e-mail address (pseudonymised with the configured secret).
    """


@onboarding.command("run")
@click.option("--dry-run", is_flag=True, help="Print what would be sent to whom; change nothing.")
@reference_time
@pass_state
@handle_errors
def run_cmd(state: State, dry_run: bool, today: Reference | None) -> None:
    """Evaluate every checklist, store progress and nudge members stuck on a step.

    Each nudge goes out at most once, even across crashes. Exit code 5 when a nudge could not
    be delivered (it is retried on the next run; everyone else still got theirs).
    """
    kit = state.kit()
    when = moment_of(kit, today)
    with kit.lock("onboarding"):
        result = kit.onboarding.run(dry_run=dry_run, now=when)

    def human() -> None:
        verb = "would be sent" if dry_run else "sent"
        for n in result.nudges:
            problem = n.state in ("failed", "unknown")
            if not (problem or dry_run or state.verbosity >= 0):
                continue  # quiet under cron (-q): only problems
            label = {"would_send": "WOULD SEND", "sent": "sent"}.get(n.state, n.state.upper())
            line = f"{label}: {n.member_key} via {n.channel}: {n.subject}"
            if n.error:
                line += f" ({n.error})"
            click.echo(line, err=problem)
        done = len(result.completed)
        layer = kit.disclosure
        enrolled = layer.show(layer.count("onboarding/enrolled", sum(result.enrolled.values())))
        sent = len([n for n in result.nudges if n.state in ("sent", "would_send")])
        summary = f"{enrolled} enrolled, {done} steps completed, {sent} nudges {verb}"
        nudges = kit.config.settings.onboarding.nudges
        quiet = quiet_until(
            result.now,
            timezone=kit.clock.timezone,
            start=nudges.quiet_start,
            end=nudges.quiet_end,
            weekends=nudges.send_on_weekends,
        )
        held = held_text(result.skipped, until=until_text(result.now, quiet), cap=nudges.weekly_cap)
        if held:
            summary += f"; {held}"
        if dry_run:
            summary += " (dry run: nothing sent or recorded)"
        if state.verbosity >= 0:
            click.echo(summary)
        for text in result.check_errors:
            click.echo(f"warning: {text}", err=True)
        unseen = unseen_notifier(kit.config.settings.notifiers, nudges.notifier)
        if result.sent and unseen:
            click.echo(f"warning: {unseen}", err=True)

    emit(state, published.onboarding(result.as_dict(), kit.disclosure), human)
    if not result.ok:
        sys.exit(EXIT_DELIVERY_FAILED)


@onboarding.command("status")
@request_options
@pass_state
@handle_errors
def status_cmd(state: State, requester: str | None, reason: str | None) -> None:
    """Each checklist's funnel: how many reached each step, completed it, stall on it
    (audited)."""
    kit = state.kit()
    status = kit.onboarding.status()
    kit.privacy.record("onboarding_status", target="funnel", requester=requester, reason=reason)
    titles = kit.config.settings.onboarding.titles(kit.config.settings.organisation.default_locale)
    rows = [
        {
            **row,
            "checklist_title": titles.get((str(row["checklist"]), None), row["checklist"]),
            "step_title": titles.get((str(row["checklist"]), str(row["step"])), row["step"]),
        }
        for row in published.funnel(status.as_dict(), kit.disclosure)
    ]

    def human() -> None:
        if not rows:
            click.echo("no onboarding progress yet: configure checklists and run it")
            return
        current = None
        for row in rows:
            if row["checklist"] != current:
                current = row["checklist"]
                click.echo(f"{row['checklist_title']} ({current}):")
            if row["suppressed"]:
                figures = f"fewer than {status.min_group_size} members (suppressed)"
            else:
                figures = (
                    f"{row['completed']}/{row['eligible']} completed, {row['stalled']} stalled"
                )
            click.echo(f"  {row['position']}. {row['step_title']} ({row['step']}): {figures}")

    emit(state, {"min_group_size": status.min_group_size, "steps": rows}, human)


@onboarding.command("mark")
@click.argument("member")
@click.argument("step")
@click.option("--checklist", help="Only in this checklist (default: every one with STEP).")
@pass_state
@handle_errors
def mark_cmd(state: State, member: str, step: str, checklist: str | None) -> None:
    """Mark STEP done for MEMBER (e.g. attended the intro session)."""
    kit = state.kit()
    result = kit.onboarding.mark_step(member, step, checklist=checklist)

    def human() -> None:
        click.echo(
            f"marked {step} for {result.member_key} in {', '.join(result.checklists)}"
            + (f"; completed now in {len(result.completed)}" if result.completed else "")
        )
        if not result.known_member:
            click.echo("warning: no such member is stored yet; the mark waits for them", err=True)

    emit(
        state,
        {
            "member": result.member_key,
            "step": step,
            "checklists": list(result.checklists),
            "completed_now": [e.checklist for e in result.completed],
            "known_member": result.known_member,
        },
        human,
    )


@onboarding.command("import-marks")
@click.argument(
    "csv_file", metavar="CSV", type=click.Path(exists=True, dir_okay=False, path_type=Path)
)
@pass_state
@handle_errors
def import_marks_cmd(state: State, csv_file: Path) -> None:
    """Mark steps from a CSV with a header: member, step[, checklist, marked_at]."""
    result = state.kit().onboarding.import_marks(csv_file)
    data = {
        "marks": len(result.marks),
        "completed_now": result.completed,
        "unknown_members": result.unknown_members,
    }
    emit(
        state,
        data,
        lambda: click.echo(
            f"{counted(len(result.marks), 'mark')} imported, "
            f"{counted(result.completed, 'step')} completed now, "
            f"{result.unknown_members} for members not stored yet"
        ),
    )


@onboarding.command("opt-out")
@click.argument("member")
@click.option("--scope", type=SCOPES, default="all", show_default=True, help="Which messages.")
@pass_state
@handle_errors
def opt_out_cmd(state: State, member: str, scope: str) -> None:
    """Never message MEMBER again (in SCOPE); always honoured by every run."""
    kit = state.kit()
    new = kit.onboarding.opt_out(member, scope)
    key = kit.onboarding.member_key(member)
    emit(
        state,
        {"member": key, "scope": scope, "new": new},
        lambda: click.echo(f"{key} opted out of {scope}" + ("" if new else " (already was)")),
    )


@onboarding.command("opt-in")
@click.argument("member")
@click.option("--scope", type=SCOPES, default=None, help="Only this scope (default: every one).")
@pass_state
@handle_errors
def opt_in_cmd(state: State, member: str, scope: str | None) -> None:
    """Undo MEMBER's opt-outs."""
    kit = state.kit()
    removed = kit.onboarding.opt_in(member, scope)
    emit(
        state,
        {"removed": removed},
        lambda: click.echo(f"{counted(removed, 'opt-out')} removed"),
    )


__all__ = ["onboarding"]
