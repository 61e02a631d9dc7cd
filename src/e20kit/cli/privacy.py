"""``e20kit privacy ...``: retention, data-subject requests, the audit trail, the inventory.

Each command is one call of ``kit.privacy`` (:class:`e20kit.privacy.service.PrivacyService`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from ..privacy.inventory import render_markdown
from ..privacy.retention import PurgeResult
from ..wording import counted
from .common import State, emit, handle_errors, pass_state, request_options

F = TypeVar("F", bound=Callable[..., Any])


def purge_summary(purged: PurgeResult | None) -> str | None:
    """One line for ``collect`` and ``run``: how much the retention rules removed."""
    if purged is None:
        return None
    parts = ", ".join(f"{table} {n}" for table, n in purged.purged.items() if n)
    return f"retention: purged {counted(purged.total, 'row')}" + (f" ({parts})" if parts else "")


def _subject_options(func: F) -> F:
    for option in reversed(
        (
            click.option("--email", metavar="ADDRESS", help="The person's e-mail address."),
            click.option(
                "--account", metavar="ID", help="A platform account id of the person instead."
            ),
            click.option(
                "--platform", metavar="NAME", help="The platform (or connector) of --account."
            ),
        )
    ):
        func = option(func)
    return func


@click.group()
def privacy() -> None:
    """Works-council features: retention, subject requests, audit trail (docs/privacy.md)."""


@privacy.command("export")
@_subject_options
@click.option(
    "--out",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the JSON here instead of stdout.",
)
@request_options
@pass_state
@handle_errors
def export_cmd(
    state: State,
    email: str | None,
    account: str | None,
    platform: str | None,
    out: Path | None,
    requester: str | None,
    reason: str | None,
) -> None:
    """Everything stored under one person's key, as JSON (a data-subject access request)."""
    kit = state.kit()
    result = kit.privacy.export(
        email=email,
        account=account,
        platform=platform,
        target=str(out.resolve()) if out else None,
        requester=requester,
        reason=reason,
    )
    text = json.dumps(result.as_dict(), indent=2, ensure_ascii=False)
    if out is None:
        click.echo(text)
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text + "\n", encoding="utf-8")
    emit(
        state,
        {"out": str(out), "counts": result.counts},
        lambda: click.echo(f"{counted(sum(result.counts.values()), 'row')} written to {out}"),
    )


@privacy.command("forget")
@_subject_options
@click.option("--dry-run", is_flag=True, help="Only count what would be erased.")
@click.option(
    "--container",
    "containers",
    multiple=True,
    metavar="NAME",
    help="Also erase this personal space or channel with everything in it (repeatable); "
    "~name spaces of the person are found without it.",
)
@click.option(
    "--defer-database-step",
    is_flag=True,
    help="Skip VACUUM / checkpoint now; run `e20kit privacy scrub` later (docs/privacy.md).",
)
@request_options
@pass_state
@handle_errors
def forget_cmd(
    state: State,
    email: str | None,
    account: str | None,
    platform: str | None,
    dry_run: bool,
    containers: tuple[str, ...],
    defer_database_step: bool,
    requester: str | None,
    reason: str | None,
) -> None:
    """Erase one person (a data-subject erasure request); they are not collected again."""
    kit = state.kit()
    with kit.lock("privacy"):
        result = kit.privacy.forget(
            email=email,
            account=account,
            platform=platform,
            dry_run=dry_run,
            containers=containers,
            database_step=not defer_database_step,
            requester=requester,
            reason=reason,
        )

    def human() -> None:
        verb = "would erase" if dry_run else "erased"
        click.echo(f"{verb} {counted(result.total, 'row')}")
        for table, n in result.deleted.items():
            if n:
                click.echo(f"  {table}: {n}")
        for where, n in result.cleared.items():
            if n:
                click.echo(f"  cleared {where} in {counted(n, 'row')} of other people")
        for container, n in result.containers.items():
            click.echo(f"  personal space {container}: {counted(n, 'fact')} (anyone's)")
        if result.tombstones:
            click.echo(f"  tombstones: {counted(result.tombstones, 'identifier')}")
        if result.audit_redacted:
            click.echo(f"  audit trail: {counted(result.audit_redacted, 'row')} redacted")
        files = result.files
        for path, n in (files.rewritten if files else {}).items():
            click.echo(
                f"  {'would rewrite' if dry_run else 'rewrote'} {path}: {counted(n, 'line')}"
            )
        for path in files.by_hand if files else ():
            click.echo(f"  delete by hand (names the person): {path}")
        if result.database is not None:
            click.echo(f"  database step: {'; '.join(result.database.steps)}")
            for refused in result.database.skipped:
                click.echo(f"  database step refused: {refused}", err=True)
        elif not dry_run:
            click.echo("  database step deferred: run `e20kit privacy scrub`")

    emit(state, result.as_dict(), human)


@privacy.command("rotate-secret")
@click.option("--dry-run", is_flag=True, help="Only check and count; change nothing.")
@click.option(
    "--no-directories",
    is_flag=True,
    help="Do not read the connectors' people for e-mail addresses the store does not keep.",
)
@click.option(
    "--unlink-unmapped",
    is_flag=True,
    help="Give members whose key cannot be recomputed a fresh unlinked key instead of refusing.",
)
@click.option(
    "--drop-legacy-tombstones",
    is_flag=True,
    help="Drop tombstones that cannot be re-keyed (written before every identifier was covered).",
)
@request_options
@pass_state
@handle_errors
def rotate_secret_cmd(
    state: State,
    dry_run: bool,
    no_directories: bool,
    unlink_unmapped: bool,
    drop_legacy_tombstones: bool,
    requester: str | None,
    reason: str | None,
) -> None:
    """Re-key every member key, tombstone and opt-out from the pseudonym secret in
    E20KIT_PSEUDONYM_SECRET_OLD to the one in E20KIT_PSEUDONYM_SECRET_NEW, in one transaction
    (docs/privacy.md, "Rotating the pseudonym secret")."""
    kit = state.kit()
    with kit.lock("privacy"):
        result = kit.privacy.rotate_secret(
            dry_run=dry_run,
            directories=not no_directories,
            unlink_unmapped=unlink_unmapped,
            drop_legacy_tombstones=drop_legacy_tombstones,
            requester=requester,
            reason=reason,
        )

    def human() -> None:
        verb = "would re-key" if dry_run else "re-keyed"
        click.echo(
            f"{verb} {counted(len(result.keys), 'member key')} and "
            f"{counted(result.tombstones, 'tombstone')}"
        )
        for where, n in result.rows.items():
            click.echo(f"  {where}: {counted(n, 'row')}")
        if not dry_run:
            click.echo(
                "now set E20KIT_PSEUDONYM_SECRET (privacy.secret_env) to the new secret: the "
                "store refuses the old one from here on"
            )

    emit(state, {"dry_run": dry_run, **result.as_dict()}, human)


@privacy.command("scrub")
@pass_state
@handle_errors
def scrub_cmd(state: State) -> None:
    """The database step of an erasure: VACUUM (FULL on PostgreSQL) and a WAL checkpoint, so
    deleted rows leave the database files (docs/privacy.md)."""
    kit = state.kit()
    with kit.lock("privacy"):
        result = kit.privacy.scrub()

    def human() -> None:
        for step in result.steps:
            click.echo(step)
        for refused in result.skipped:
            click.echo(f"refused: {refused}", err=True)

    emit(state, result.as_dict(), human)


@privacy.command("inventory")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--lang", type=click.Choice(["en", "de"]), default="en", show_default=True)
@click.option(
    "--out", type=click.Path(dir_okay=False, path_type=Path), help="Write here, not stdout."
)
@pass_state
@handle_errors
def inventory_cmd(state: State, fmt: str, lang: str, out: Path | None) -> None:
    """The data inventory for the works council: every stored table and column, sources,
    retention, k, and what leaves the system; generated from the live store and config."""
    doc = state.kit().privacy.inventory(lang=lang)
    text = (
        json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
        if fmt == "json"
        else render_markdown(doc)
    )
    if out is None:
        click.echo(text, nl=False)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")


@privacy.group("audit", invoke_without_command=True)
@click.option("--limit", type=int, help="Only the newest N entries.")
@click.option("--about", metavar="ADDRESS", help="Only the rows about this person's e-mail.")
@click.option(
    "--verify",
    is_flag=True,
    help="Check the hash chain: exit 4 when a row was edited, deleted or re-ordered.",
)
@click.option(
    "--expect-head",
    metavar="HASH",
    help="With --verify: a head hash noted earlier, which must still be in the chain.",
)
@click.pass_context
@handle_errors
def audit_cmd(
    ctx: click.Context,
    limit: int | None,
    about: str | None,
    verify: bool,
    expect_head: str | None,
) -> None:
    """The audit trail: reports, publications, exports, erasures, name look-ups, individual
    views and setting changes; append-only and hash-chained (docs/privacy.md)."""
    if ctx.invoked_subcommand is not None:
        return
    state = ctx.ensure_object(State)
    kit = state.kit()
    if verify:
        result = kit.privacy.verify_audit(expect_head=expect_head)

        def told() -> None:
            click.echo(
                f"audit trail: {counted(result.rows, 'row')}, "
                f"{counted(result.redacted, 'documented redaction')}, head {result.head}"
            )
            for problem in result.problems:
                click.echo(f"  row {problem.row_id}: {problem.kind}")

        emit(state, result.as_dict(), told)
        if not result.ok:
            click.echo(
                f"e20kit: error: the audit trail does not verify "
                f"({counted(len(result.problems), 'problem')})",
                err=True,
            )
            ctx.exit(4)
        return
    entries = kit.privacy.audit(limit=limit, about_email=about)

    def human() -> None:
        for e in entries:
            where = f" -> {e.target}" if e.target else ""
            days = f"{e.period_start}..{e.period_end}" if e.period_start else None
            what = " ".join(p for p in (e.period, days, e.format) if p)
            who = f" for {e.requester}" if e.requester else ""
            why = f" ({e.reason})" if e.reason else ""
            click.echo(
                f"{e.at:%Y-%m-%d %H:%M:%S} {e.os_user}{who} {e.action} {what}{where}{why}".rstrip()
            )

    emit(state, [e.as_dict() for e in entries], human)


@audit_cmd.command("prune")
@click.option(
    "--before",
    required=True,
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Remove rows older than this day (at least two years ago).",
)
@request_options
@pass_state
@handle_errors
def prune_cmd(
    state: State, before: dt.datetime | None, requester: str | None, reason: str | None
) -> None:
    """Shorten the audit trail: rows before a day at least two years ago go, a checkpoint row
    records who did it and the hash of the last row removed (the rest still verifies)."""
    kit = state.kit()
    with kit.lock("privacy"):
        removed = kit.privacy.prune_audit(
            before.date() if before else None, requester=requester, reason=reason
        )
    emit(
        state,
        {"removed": removed},
        lambda: click.echo(f"audit trail: removed {counted(removed, 'row')}"),
    )


__all__ = ["privacy", "purge_summary"]
