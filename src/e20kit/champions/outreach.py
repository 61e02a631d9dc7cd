"""Invitations to candidates and weekly digests to champions, through the shared ledger.

Both go through :func:`e20kit.delivery.deliver`, so each message goes out at most once even when
a run crashes between sending and recording. Keys: ``champions.invite:<member>:<attempt>`` and
``champions.digest:<member>:<iso-year>-W<week>``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..delivery import (
    DeliveryOutcome,
    DeliveryState,
    deliver,
    opted_out,
    quiet_in,
    recipients,
)
from ..notifier import Message, Notifier, Recipient
from ..store.schema import champion_buddies, champion_roster, identities
from .buddies import private_newcomers
from .messages import environment, render
from .newcomers import Progress
from .roster import RosterState, StateChange, aware, note_invitation, set_state
from .settings import WEEKDAYS, ChampionsSettings

INVITE_KIND = "champions.invite"
DIGEST_KIND = "champions.digest"


@dataclass(frozen=True)
class OutreachResult:
    """What an invite or digest run did, message by message."""

    outcomes: tuple[DeliveryOutcome, ...]
    changes: tuple[StateChange, ...] = ()
    skipped: tuple[str, ...] = ()
    """Members left out because they opted out."""
    dry_run: bool = False
    due: bool = True
    """False for a digest run before this week's digest weekday (nothing was sent)."""
    deferred: str | None = None
    """``quiet_hours`` or ``weekend`` when nothing was sent for that reason: the next run
    outside them sends (the same week's digest, or the pending invitations)."""
    held: int = 0
    """Messages held back by ``deferred`` (they go out with the next run outside it)."""

    @property
    def ok(self) -> bool:
        """False when any message failed or could not be confirmed."""
        return not any(
            o.state in (DeliveryState.FAILED, DeliveryState.UNKNOWN) for o in self.outcomes
        )

    def as_dict(self) -> dict[str, Any]:
        return {
            "dry_run": self.dry_run,
            "due": self.due,
            "deferred": self.deferred,
            "held": self.held,
            "ok": self.ok,
            "messages": [
                {
                    "key": o.key,
                    "member": o.member_key,
                    "state": o.state.value,
                    "subject": o.subject,
                    "error": o.error,
                }
                for o in self.outcomes
            ],
            "changes": [c.as_dict() for c in self.changes],
            "skipped": list(self.skipped),
        }


@dataclass(frozen=True)
class Outreach:
    """Everything a run needs to send: store, settings, channel and organisation defaults."""

    engine: sa.Engine
    settings: ChampionsSettings
    notifier_name: str
    notifier: Notifier
    organisation: str = "our organisation"
    default_locale: str = "en"
    timezone: str = "UTC"
    """The organisation's time zone, for quiet hours and weekends."""
    step_titles: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Onboarding step id -> locale -> title, so digests name steps the way checklists do."""

    def _message(
        self,
        key: str,
        kind: str,
        member: str,
        context: Mapping[str, Any],
        recipient: Recipient | None = None,
    ) -> Message:
        if recipient is None:
            recipient = recipients(self.engine, [member], default_locale=self.default_locale)[
                member
            ]
        env = environment(self.settings.templates_dir)
        rendered = render(env, kind.removeprefix("champions."), recipient.locale, context)
        return Message(
            key=key, recipient=recipient, subject=rendered.subject, body=rendered.body, kind=kind
        )

    def quiet(self, now: dt.datetime) -> str | None:
        """Why nothing may be sent at ``now`` (``quiet_hours``, ``weekend``), else ``None``."""
        return quiet_in(self.settings, now, self.timezone)

    def invite(self, *, now: dt.datetime, by: str, dry_run: bool = False) -> OutreachResult:
        """Invite every candidate who has not opted out (delivered ones become ``invited``),
        and invite again whoever has not answered ``reinvite_after_days`` after an invitation,
        up to ``max_invitations``.

        In quiet hours and on quiet weekends nothing is sent: the next run sends."""
        reason = self.quiet(now)
        excluded = opted_out(self.engine, "champions")
        if reason:
            held = sum(member not in excluded for member, *_ in self._invitees(now))
            return OutreachResult((), dry_run=dry_run, deferred=reason, held=held)
        outcomes: list[DeliveryOutcome] = []
        changes: list[StateChange] = []
        skipped: list[str] = []
        for member, department, attempt, reminder in self._invitees(now):
            if member in excluded:
                skipped.append(member)
                continue
            context = {
                "organisation": self.organisation,
                "department": department,
                "buddy_cap": self.settings.buddy_cap,
                "programme_url": self.settings.programme_url,
                "contact": self.settings.contact,
                "reminder": reminder,
            }
            message = self._message(
                f"{INVITE_KIND}:{member}:{attempt}", INVITE_KIND, member, context
            )
            outcome = deliver(
                self.engine, self.notifier_name, self.notifier, message, dry_run=dry_run, now=now
            )
            outcomes.append(outcome)
            if outcome.stop:  # the notifier's credentials were rejected: try nobody else
                break
            if dry_run or outcome.state not in (DeliveryState.SENT, DeliveryState.ALREADY_SENT):
                continue
            note = f"invitation {outcome.key}"
            if reminder:
                changes.append(
                    note_invitation(self.engine, member, attempt, by=by, now=now, note=note)
                )
            else:
                changes.append(
                    set_state(self.engine, member, RosterState.INVITED, by=by, now=now, note=note)
                )
        return OutreachResult(tuple(outcomes), tuple(changes), tuple(skipped), dry_run)

    def _invitees(self, now: dt.datetime) -> list[tuple[str, str | None, int, bool]]:
        """(member, department, attempt, reminder): candidates first, then the invitees due a
        reminder, each in department order."""
        roster = champion_roster.c
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(
                    roster.member_key,
                    roster.department,
                    roster.invite_attempt,
                    roster.state,
                    roster.updated_at,
                )
                .where(roster.state.in_([RosterState.CANDIDATE.value, RosterState.INVITED.value]))
                .order_by(roster.department, roster.member_key)
            ).all()
        wait = self.settings.reinvite_after_days
        out = [(m, d, a, False) for m, d, a, state, _ in rows if state == RosterState.CANDIDATE]
        for member, department, attempt, state, updated in rows:
            if state != RosterState.INVITED or not wait or attempt >= self.settings.max_invitations:
                continue
            if aware(updated) <= now - dt.timedelta(days=wait):
                out.append((member, department, attempt + 1, True))
        return out

    def digest(
        self,
        progress_of: Callable[[Collection[str]], Mapping[str, Progress]],
        *,
        now: dt.datetime,
        dry_run: bool = False,
        force: bool = False,
        today: dt.date | None = None,
    ) -> OutreachResult:
        """Send each active champion with buddies this ISO week's digest (once per week).

        Runs before ``digest_weekday`` in the week send nothing unless ``force``, nor do runs in
        quiet hours or on quiet weekends.
        """
        today = today or now.date()
        due = force or today.weekday() >= WEEKDAYS.index(self.settings.digest_weekday)
        if not due:
            return OutreachResult((), dry_run=dry_run, due=False)
        reason = self.quiet(now)
        if reason:  # the week's digest waits for the next run outside quiet times
            held = len(self._pairs())
            return OutreachResult((), dry_run=dry_run, deferred=reason, held=held)
        year, week, _ = today.isocalendar()
        week_label = f"{year}-W{week:02d}"
        excluded = opted_out(self.engine, "champions")
        private = private_newcomers(self.engine)  # never reported, even before pairing ends it
        pairs = {
            champion: kept
            for champion, newcomers in self._pairs().items()
            if (kept := [n for n in newcomers if n not in private])
        }
        buddies = {n for ns in pairs.values() for n in ns}
        progress = progress_of(buddies)
        labels = self._labels(buddies)
        outcomes: list[DeliveryOutcome] = []
        skipped: list[str] = []
        to = recipients(self.engine, list(pairs), default_locale=self.default_locale)
        for champion, newcomers in sorted(pairs.items()):
            if champion in excluded:
                skipped.append(champion)
                continue
            locale = to[champion].locale
            listed = []
            for newcomer in newcomers:
                item = (progress.get(newcomer) or Progress(newcomer, None)).as_dict()
                for name in ("done", "open"):
                    item[name] = [self._title(step, locale) for step in item[name]]
                if item["stalled_on"]:
                    item["stalled_on"] = self._title(item["stalled_on"], locale)
                listed.append({**item, "label": labels[newcomer]})
            message = self._message(
                f"{DIGEST_KIND}:{champion}:{week_label}",
                DIGEST_KIND,
                champion,
                {"week": week_label, "buddies": listed, "organisation": self.organisation},
                to[champion],
            )
            outcomes.append(
                deliver(
                    self.engine,
                    self.notifier_name,
                    self.notifier,
                    message,
                    dry_run=dry_run,
                    now=now,
                )
            )
            if outcomes[-1].stop:  # the notifier's credentials were rejected: try nobody else
                break
        return OutreachResult(tuple(outcomes), (), tuple(skipped), dry_run)

    def _title(self, step: str, locale: str) -> str:
        titles = self.step_titles.get(step, {})
        return titles.get(locale) or titles.get("en") or step

    def _pairs(self) -> dict[str, list[str]]:
        """Open pairs of active champions: champion -> newcomers."""
        query = (
            sa.select(champion_buddies.c.champion_key, champion_buddies.c.newcomer_key)
            .select_from(
                champion_buddies.join(
                    champion_roster,
                    champion_roster.c.member_key == champion_buddies.c.champion_key,
                )
            )
            .where(
                champion_buddies.c.ended_at.is_(None),
                champion_roster.c.state == RosterState.ACTIVE.value,
            )
            .order_by(champion_buddies.c.paired_at, champion_buddies.c.newcomer_key)
        )
        out: dict[str, list[str]] = {}
        with self.engine.connect() as conn:
            for champion, newcomer in conn.execute(query):
                out.setdefault(str(champion), []).append(str(newcomer))
        return out

    def _labels(self, keys: Collection[str]) -> dict[str, str]:
        """Display names where contact details are stored, else a short pseudonym."""
        names: dict[str, str] = {}
        if keys:
            query = (
                sa.select(identities.c.member_key, identities.c.display_name)
                .where(
                    identities.c.member_key.in_(sorted(keys)),
                    identities.c.display_name.is_not(None),
                )
                .order_by(identities.c.source, identities.c.person_id)
            )
            with self.engine.connect() as conn:
                for key, name in conn.execute(query):
                    names.setdefault(str(key), str(name))
        return {k: names.get(k) or f"Newcomer {k[:8]}" for k in keys}


__all__ = ["DIGEST_KIND", "INVITE_KIND", "Outreach", "OutreachResult"]
