"""``e20kit survey send``: invitations to a wave through a notifier, at most once per person.

Every active member who has not opted out gets one invitation per wave, and with ``--remind``
up to ``[survey.invitations] max_reminders`` reminders ``remind_after_days`` apart while the wave
is open. Each message goes through :func:`e20kit.delivery.deliver` with the key
``survey.invite:<wave>:<member>:<attempt>`` (0: the invitation, n: the n-th reminder), so a run
that crashed mid-send and is run again messages nobody twice. ``survey_invitations`` records only
*that* someone was invited (and reminded), never whether or what they answered; the link they
get carries no token, only the language, the role (staff or leader) and, where the department
has at least k members of that role, the department. Nothing goes out in quiet hours or on a
quiet weekend; ``dry_run`` lists what would be sent and writes nothing (not even the wave).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from ..delivery import DeliveryState, deliver, quiet_in, recipients, stopped_members
from ..notifier import Message, Notifier
from ..store import schema
from .invitation_settings import InvitationSettings
from .invitation_texts import DATE_FORMAT, invitation_text

KIND = "survey.invite"
ROLES = ("staff", "leader")


@dataclass(frozen=True)
class Invitee:
    """One member due a message now; ``attempt`` 0 is the invitation, n the n-th reminder."""

    member_key: str
    role: str
    unit: str | None
    attempt: int


@dataclass(frozen=True)
class InvitationOutcome:
    member_key: str
    attempt: int
    role: str
    unit: str | None
    locale: str
    link: str
    subject: str
    state: str
    error: str | None = None

    @property
    def reminder(self) -> bool:
        return self.attempt > 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "member": self.member_key,
            "attempt": self.attempt,
            "reminder": self.reminder,
            "role": self.role,
            "unit": self.unit,
            "locale": self.locale,
            "link": self.link,
            "subject": self.subject,
            "state": self.state,
            "error": self.error,
        }


@dataclass
class SendResult:
    """What a ``survey send`` run did (or, dry, would do)."""

    wave_id: str
    source: str
    survey_ref: str | None
    dry_run: bool
    remind: bool
    outcomes: list[InvitationOutcome] = field(default_factory=list)
    deferred: str | None = None
    """``quiet_hours``, ``weekend`` or ``closed`` when nothing was sent for that reason."""
    held: int = 0
    """Messages held back by ``deferred``."""
    skipped: dict[str, int] = field(default_factory=dict)
    """Members left out and why (``opted_out``)."""
    units: int = 0
    """Departments whose label goes into links (at least k members of a role)."""

    def count(self, *states: str) -> int:
        return sum(o.state in states for o in self.outcomes)

    @property
    def ok(self) -> bool:
        return not self.count(DeliveryState.FAILED.value, DeliveryState.UNKNOWN.value)

    def as_dict(self) -> dict[str, Any]:
        return {
            "wave": self.wave_id,
            "source": self.source,
            "survey_ref": self.survey_ref,
            "dry_run": self.dry_run,
            "remind": self.remind,
            "deferred": self.deferred,
            "held": self.held,
            "skipped": dict(self.skipped),
            "units_labelled": self.units,
            "ok": self.ok,
            "messages": [o.as_dict() for o in self.outcomes],
        }


def invite_key(wave_id: str, member_key: str, attempt: int) -> str:
    return f"{KIND}:{wave_id}:{member_key}:{attempt}"


def role_of(is_leader: bool) -> str:
    return ROLES[1] if is_leader else ROLES[0]


def members_by_cell(engine: sa.Engine) -> dict[str, tuple[str, str | None]]:
    """Active members -> (role, department)."""
    m = schema.members.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(m.member_key, m.is_leader, m.department).where(m.active.is_(True))
        )
        return {key: (role_of(bool(leader)), dept or None) for key, leader, dept in rows}


def labelled_cells(members: Mapping[str, tuple[str, str | None]], k: int) -> set[tuple[str, str]]:
    """(department, role) cells with at least ``k`` members: only their label goes in a link."""
    counts = Counter((dept, role) for role, dept in members.values() if dept)
    return {cell for cell, n in counts.items() if n >= k}


def invited(engine: sa.Engine, wave_id: str) -> dict[str, tuple[int, dt.datetime]]:
    """Members invited to ``wave_id`` -> (reminders sent, when the last message went)."""
    t = schema.survey_invitations.c
    with engine.connect() as conn:
        rows = conn.execute(
            sa.select(t.member_key, t.reminders, t.last_sent_at).where(t.wave_id == wave_id)
        )
        return {key: (int(n), _aware(at)) for key, n, at in rows}


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def note_sent(
    engine: sa.Engine, wave_id: str, member_key: str, attempt: int, now: dt.datetime
) -> None:
    """Record that ``member_key`` got message ``attempt`` of the wave (idempotent)."""
    t = schema.survey_invitations
    with engine.begin() as conn:
        row = conn.execute(
            sa.select(t.c.reminders).where(t.c.wave_id == wave_id, t.c.member_key == member_key)
        ).first()
        if row is None:
            conn.execute(
                t.insert().values(
                    wave_id=wave_id,
                    member_key=member_key,
                    invited_at=now,
                    reminders=attempt,
                    last_sent_at=now,
                )
            )
        elif attempt > int(row[0]):
            conn.execute(
                t.update()
                .where(t.c.wave_id == wave_id, t.c.member_key == member_key)
                .values(reminders=attempt, last_sent_at=now)
            )


def due(
    members: Mapping[str, tuple[str, str | None]],
    sent: Mapping[str, tuple[int, dt.datetime]],
    cells: set[tuple[str, str]],
    settings: InvitationSettings,
    *,
    remind: bool,
    now: dt.datetime,
) -> list[Invitee]:
    """Who is due a message now: without ``remind`` everyone not invited yet, with it everyone
    invited whose next reminder is due."""
    wait = dt.timedelta(days=settings.remind_after_days)
    out: list[Invitee] = []
    for key in sorted(members):
        role, dept = members[key]
        unit = dept if dept is not None and (dept, role) in cells else None
        if not remind:
            if key not in sent:
                out.append(Invitee(key, role, unit, 0))
            continue
        if key not in sent:
            continue
        reminders, last = sent[key]
        if reminders < settings.max_reminders and last + wait <= now:
            out.append(Invitee(key, role, unit, reminders + 1))
    return out


@dataclass(frozen=True)
class Sender:
    """Everything one ``survey send`` run needs: store, settings, channel, link and texts."""

    engine: sa.Engine
    settings: InvitationSettings
    notifier_name: str
    notifier: Notifier
    organisation: str
    tool: str
    k: int
    timezone: str
    default_locale: str = "en"

    def quiet(self, now: dt.datetime) -> str | None:
        """``quiet_hours`` or ``weekend`` when nothing may be sent at ``now``, else None."""
        return quiet_in(self.settings, now, self.timezone)

    def send(
        self,
        result: SendResult,
        *,
        link: Callable[[str | None, str, str], str],
        closes: dt.date,
        now: dt.datetime,
        labelled: set[tuple[str, str]],
        members: Mapping[str, tuple[str, str | None]],
    ) -> SendResult:
        """Deliver every message due now into ``result``."""
        stopped = stopped_members(self.engine)
        eligible = {k: v for k, v in members.items() if k not in stopped}
        if len(eligible) < len(members):
            result.skipped["opted_out"] = len(members) - len(eligible)
        todo = due(
            eligible,
            invited(self.engine, result.wave_id),
            labelled,
            self.settings,
            remind=result.remind,
            now=now,
        )
        if now.date() > closes:
            result.deferred, result.held = "closed", len(todo)
            return result
        reason = self.quiet(now)
        if reason:
            result.deferred, result.held = reason, len(todo)
            return result
        people = recipients(
            self.engine, [i.member_key for i in todo], default_locale=self.default_locale
        )
        for item in todo:
            who = people[item.member_key]
            address = link(item.unit, item.role, who.locale)
            text = invitation_text(
                lang=who.locale,
                role=item.role,
                link=address,
                organisation=self.organisation,
                tool=self.tool,
                k=self.k,
                closes_on=closes.strftime(DATE_FORMAT.get(who.locale, DATE_FORMAT["en"])),
                reminder=item.attempt > 0,
            )
            key = invite_key(result.wave_id, item.member_key, item.attempt)
            message = Message(key, who, text.subject, text.body, kind=KIND)
            out = deliver(
                self.engine,
                self.notifier_name,
                self.notifier,
                message,
                dry_run=result.dry_run,
                now=now,
            )
            done = (DeliveryState.SENT, DeliveryState.ALREADY_SENT)
            if not result.dry_run and out.state in done:
                note_sent(self.engine, result.wave_id, item.member_key, item.attempt, now)
            result.outcomes.append(
                InvitationOutcome(
                    member_key=item.member_key,
                    attempt=item.attempt,
                    role=item.role,
                    unit=item.unit,
                    locale=who.locale,
                    link=address,
                    subject=text.subject,
                    state=out.state.value,
                    error=out.error,
                )
            )
            if out.stop:  # the notifier's credentials were rejected: try nobody else
                break
        return result


__all__ = [
    "KIND",
    "InvitationOutcome",
    "InvitationSettings",
    "Invitee",
    "SendResult",
    "Sender",
    "due",
    "invite_key",
    "invited",
    "labelled_cells",
    "members_by_cell",
    "note_sent",
]
