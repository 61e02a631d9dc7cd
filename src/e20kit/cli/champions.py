"""``e20kit champions``: score, explain, nominate, invite, keep the roster, pair and digest."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..champions.outreach import OutreachResult
from ..champions.roster import RosterState
from ..disclosure import outputs as published
from ..exit_codes import EXIT_DELIVERY_FAILED
from ..safe_text import SafeDictWriter
from ..wording import counted
from .common import State, emit, handle_errors, pass_state, request_options

dry_run_option = click.option(
    "--dry-run", is_flag=True, help="Show what would happen; write and send nothing."
)
by_option = click.option(
    "--by", metavar="NAME", help="Who makes the change (recorded in the history); default: you."
)
member_argument = click.argument("member", metavar="MEMBER")


@click.group("champions")
def champions() -> None:
    """Find power users, cover every department, and pair champions with newcomers."""


@champions.command("score")
@click.option("--limit", type=int, default=20, show_default=True, help="Rows shown (0: all).")
@request_options
@pass_state
@handle_errors
def score_cmd(state: State, limit: int, requester: str | None, reason: str | None) -> None:
    """Rank active members by champion score (needs [privacy] allow_individual_views and
    champion_scoring; audited)."""
    scores = state.kit().champions.scores(requester=requester, reason=reason)
    shown = scores[:limit] if limit else scores

    def human() -> None:
        for s in shown:
            click.echo(f"{s.score:6.3f}  {s.member_key}  {s.department or '-'}")

    emit(state, [s.as_dict() for s in shown], human)


@champions.command("explain")
@member_argument
@request_options
@pass_state
@handle_errors
def explain_cmd(state: State, member: str, requester: str | None, reason: str | None) -> None:
    """Show each signal's raw value, normalised value, weight and part of MEMBER's score
    (needs [privacy] allow_individual_views and champion_scoring; audited)."""
    score = state.kit().champions.explain(member, requester=requester, reason=reason)

    def human() -> None:
        click.echo(f"member {score.member_key} ({score.department or 'no department'})")
        click.echo(f"{'signal':<16}{'raw':>10}{'normalised':>12}{'weight':>9}{'part':>9}")
        for p in score.parts:
            raw = "never" if p.raw is None else f"{p.raw:g}"
            click.echo(f"{p.name:<16}{raw:>10}{p.normalised:>12.3f}{p.weight:>9.3f}{p.part:>9.4f}")
        click.echo(f"{'score':<16}{'':>10}{'':>12}{'':>9}{score.score:>9.4f}")

    emit(state, score.as_dict(), human)


@champions.command("nominate")
@dry_run_option
@by_option
@pass_state
@handle_errors
def nominate_cmd(state: State, dry_run: bool, by: str | None) -> None:
    """Nominate candidates per department until the coverage target is met."""
    kit = state.kit()
    with kit.lock("champions"):
        result = kit.champions.nominate(dry_run=dry_run, by=by)

    def human() -> None:
        verb = "would nominate" if dry_run else "nominated"
        for n in result.nominated:
            click.echo(f"{verb} {n.member_key} in {n.department} (score {n.score:.3f})")
        unmet = [d for d in result.departments if not d.met]
        below = counted(len(unmet), "department")
        click.echo(f"{len(result.nominated)} {verb}; {below} below target")
        for d in unmet:
            if d.members < kit.disclosure.k:
                continue  # its target would give its size away
            have = d.champions + d.candidates + d.nominated
            click.echo(f"  {d.department}: {have} of {d.target} (no eligible members left)")

    emit(state, published.nominations(result.as_dict(), kit.disclosure), human)


def _outreach_output(state: State, result: OutreachResult) -> None:
    def human() -> None:
        if not result.due:
            click.echo("not due yet this week (digest_weekday); nothing sent")
        if result.deferred:
            what = "quiet hours" if result.deferred == "quiet_hours" else "weekend"
            click.echo(f"{what} ([champions] quiet_start/quiet_end/send_on_weekends): nothing sent")
        for o in result.outcomes:
            line = f"{o.state.value:<13} {o.member_key}  {o.subject}"
            click.echo(line + (f"  ({o.error})" if o.error else ""))
        for key in result.skipped:
            click.echo(f"{'opted out':<13} {key}")

    emit(state, result.as_dict(), human)
    if not result.ok:
        sys.exit(EXIT_DELIVERY_FAILED)


@champions.command("invite")
@dry_run_option
@by_option
@pass_state
@handle_errors
def invite_cmd(state: State, dry_run: bool, by: str | None) -> None:
    """Invite every candidate through the configured notifier (at most once each), and remind
    invitees who have not answered after [champions] reinvite_after_days."""
    kit = state.kit()
    with kit.lock("champions"):
        result = kit.champions.invite(dry_run=dry_run, by=by)
    _outreach_output(state, result)


ROSTER_COLUMNS = (
    "member",
    "department",
    "state",
    "score",
    "nominated_at",
    "updated_at",
    "updated_by",
    "buddies",
)


@champions.command("list")
@click.option(
    "--state",
    "states",
    multiple=True,
    type=click.Choice([s.value for s in RosterState]),
    help="Only this state (repeatable).",
)
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the roster to this CSV file.",
)
@click.option(
    "--names",
    is_flag=True,
    help="Show display names, read live from the platforms (needs [privacy] allow_name_lookup; "
    "never stored, audited).",
)
@request_options
@pass_state
@handle_errors
def list_cmd(
    state: State,
    states: tuple[str, ...],
    csv_path: Path | None,
    names: bool,
    requester: str | None,
    reason: str | None,
) -> None:
    """Show the roster: state, department, dates, who changed it last, buddy count (the file
    --csv writes is audited)."""
    wanted = tuple(RosterState(s) for s in states)
    named: dict[str, str | None] = {}
    if names:
        found = state.kit().privacy.champion_roster_with_names(
            wanted, requester=requester, reason=reason
        )
        roster = [n.entry for n in found]
        named = {n.entry.member_key: n.name for n in found}
    else:
        roster = state.kit().champions.roster(wanted)
    rows = [{**e.as_dict(), **({"name": named.get(e.member_key)} if names else {})} for e in roster]
    if csv_path is not None:
        with csv_path.open("w", newline="", encoding="utf-8") as fh:
            columns = [*ROSTER_COLUMNS, "name"] if names else ROSTER_COLUMNS
            writer = SafeDictWriter(fh, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        # the file names members: the audit trail says where it went (privacy forget checks it)
        state.kit().privacy.record(
            "roster_csv",
            format="csv",
            target=str(csv_path.resolve()),
            requester=requester,
            reason=reason,
            detail={"rows": len(rows), "names": names},
        )

    def human() -> None:
        for e in roster:
            who = f"{named.get(e.member_key) or '(no name)'}  " if names else ""
            click.echo(
                f"{e.state.value:<10} {who}{e.member_key}  {e.department or '-'}  "
                f"since {e.updated_at:%Y-%m-%d} by {e.updated_by}  buddies {e.buddies}"
            )
        if csv_path is not None:
            click.echo(f"wrote {counted(len(rows), 'row')} to {csv_path}", err=True)

    emit(state, rows, human)


def _state_command(name: str, target: RosterState, help_text: str) -> click.Command:
    @click.command(name, help=help_text)
    @member_argument
    @by_option
    @click.option("--note", help="A short note for the history.")
    @pass_state
    @handle_errors
    def command(state: State, member: str, by: str | None, note: str | None) -> None:
        kit = state.kit()
        change = kit.champions.set_state(member, target, by=by, note=note)

        def human() -> None:
            before = change.from_state.value if change.from_state else "not on the roster"
            click.echo(f"{change.member_key}: {before} -> {change.to_state.value}")

        emit(state, change.as_dict(), human)

    return command


for _name, _target, _help in (
    ("accept", RosterState.ACTIVE, "MEMBER accepted: make them an active champion."),
    ("decline", RosterState.DECLINED, "MEMBER declined: never nominate them again."),
    ("retire", RosterState.ALUMNI, "MEMBER stepped down: move them to the alumni."),
):
    champions.add_command(_state_command(_name, _target, _help))


@champions.command("pair")
@dry_run_option
@pass_state
@handle_errors
def pair_cmd(state: State, dry_run: bool) -> None:
    """Pair stalled newcomers with active champions (at most buddy_cap each)."""
    kit = state.kit()
    with kit.lock("champions"):
        result = kit.champions.pair_buddies(dry_run=dry_run)

    def human() -> None:
        verb = "would pair" if dry_run else "paired"
        for p in result.new:
            click.echo(f"{verb} {p.newcomer_key} with {p.champion_key} ({p.match})")
        for key in result.ended:
            click.echo(f"ended pair of {key}")
        for key in result.unpaired:
            click.echo(f"no champion with capacity for {key}")
        click.echo(f"{len(result.pairs)} open pairs")

    emit(state, result.as_dict(), human)


@champions.command("digest")
@dry_run_option
@click.option("--force", is_flag=True, help="Send even before this week's digest weekday.")
@pass_state
@handle_errors
def digest_cmd(state: State, dry_run: bool, force: bool) -> None:
    """Send each champion this week's digest of their buddies' onboarding steps."""
    kit = state.kit()
    with kit.lock("champions"):
        result = kit.champions.send_digests(dry_run=dry_run, force=force)
    _outreach_output(state, result)


__all__ = ["champions"]
