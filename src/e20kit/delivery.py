"""At-most-once delivery of messages through a notifier, plus opt-outs and recipients.

Shared by onboarding nudges and champion invitations/digests. The API is small on purpose:

``deliver(engine, notifier_name, notifier, message, *, dry_run, now=None) -> DeliveryOutcome``
    Sends ``message`` unless the ``ledger`` table says it already went out. The ledger row keyed
    by ``message.key`` is committed as ``pending`` *before* sending and as ``sent`` after. A
    rerun that finds ``pending`` (the run crashed between sending and recording) or ``unknown``
    asks ``notifier.was_sent(message)``: ``True`` marks it sent without sending, ``False``
    sends again, ``None`` (the channel cannot tell) sends nothing, marks the row ``unknown`` and
    reports :attr:`DeliveryState.UNKNOWN`. A send the channel answered with anything but its
    documented success (the notifier raises :class:`~e20kit.errors.DeliveryUnconfirmed`) is
    ``unknown`` too, never ``sent``. A notifier that raises otherwise leaves the row ``failed`` with
    the error and ``attempts`` + 1, and returns :attr:`DeliveryState.FAILED` (never raises), so
    the caller goes on with everyone else; the next run retries it, first asking ``was_sent``
    (a channel may fail *after* delivering). A :class:`~e20kit.errors.NotifierAuthError` (the
    channel rejected the credentials) is different: nothing else can go out through that
    notifier in this run, so the outcome is ``FAILED`` with ``stop=True``, nothing is marked
    sent, and the caller tries no further recipient. ``dry_run`` neither sends nor writes: it
    answers :attr:`DeliveryState.WOULD_SEND` or what a real run would find.

``deliveries_since(engine, member_keys, since) -> dict[str, int]``
    Messages per member (any kind) sent or possibly sent since ``since``: for weekly caps.

``opt_out(engine, member_key, scope="all")``, ``opt_in(engine, member_key, scope=None)``,
``opted_out(engine, scope) -> set[str]``, ``is_opted_out(engine, member_key, scope) -> bool``
    The ``opt_outs`` table. Scopes are ``all``, ``onboarding`` and ``champions``; a member
    opted out of ``all`` is opted out of every scope.

``quiet_reason(now, *, timezone, start, end, weekends) -> str | None``
    ``"weekend"`` or ``"quiet_hours"`` when no message may go out at ``now``: the sending window
    every kind of message honours.

``recipients(engine, member_keys, *, default_locale="en") -> dict[str, Recipient]`` and
``recipient(engine, member_key, *, default_locale="en") -> Recipient``
    Whom to message, from ``identities`` (``platform_ids`` keyed by both the connector instance
    name and the platform, e-mail when stored) and ``members`` (locale reduced to ``en``/``de``).

Message keys should name what makes a message unique, e.g.
``onboarding:nudge:<checklist>:<step>:<member>:<attempt>``; keep them under 300 characters.
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol

import sqlalchemy as sa

from .clock import OrgClock
from .errors import DeliveryUnconfirmed, LockError, NotifierAuthError
from .notifier import Message, Notifier, Recipient
from .store import schema
from .store.chunks import chunks

log = logging.getLogger(__name__)

OptOutScope = Literal["all", "onboarding", "champions"]
SCOPES: tuple[OptOutScope, ...] = ("all", "onboarding", "champions")
LOCALES: tuple[str, ...] = ("en", "de")


class DeliveryState(StrEnum):
    """What :func:`deliver` did."""

    SENT = "sent"
    """Sent now and recorded."""
    ALREADY_SENT = "already_sent"
    """The ledger (or, for a pending entry, the channel) says it went out before; not sent."""
    WOULD_SEND = "would_send"
    """Dry run: a real run would send it now."""
    FAILED = "failed"
    """The notifier raised; the entry stays retryable and the next run tries again."""
    UNKNOWN = "unknown"
    """A pending entry the channel cannot confirm or deny; not resent, needs a human."""


@dataclass(frozen=True)
class DeliveryOutcome:
    """The outcome of one :func:`deliver` call."""

    key: str
    member_key: str
    notifier: str
    kind: str
    subject: str
    state: DeliveryState
    attempts: int = 0
    """Send attempts recorded in the ledger for this key so far."""
    error: str | None = None
    recovered: bool = False
    """True when a pending entry from a crashed run was resolved by asking the channel."""
    stop: bool = False
    """The notifier's credentials were rejected: send nothing more through it in this run."""

    @property
    def delivered(self) -> bool:
        """True when the message reached (or, dry, would reach) the member in this call."""
        return self.state in (DeliveryState.SENT, DeliveryState.WOULD_SEND)


_CLOCK = OrgClock()
"""The ledger stores instants only (UTC); which day it is never matters here."""


def _set_state(
    engine: sa.Engine, key: str, state: str, now: dt.datetime, error: str | None = None
) -> None:
    with engine.begin() as conn:
        conn.execute(
            schema.ledger.update()
            .where(schema.ledger.c.key == key)
            .values(state=state, error=error, updated_at=now)
        )


def _mark_sent(engine: sa.Engine, key: str, now: dt.datetime) -> None:
    """Record a message as sent (its own function so tests can inject a crash here)."""
    _set_state(engine, key, "sent", now)


def _begin_attempt(
    engine: sa.Engine, notifier_name: str, message: Message, now: dt.datetime, seen: int
) -> int:
    """Commit the entry as pending with one more attempt, before anything is sent.

    The claim is a compare-and-set on the ``attempts`` this run read (``seen``, 0: no entry):
    when another run inserted or bumped the same entry in the meantime (two runs on one store
    despite the lock), this one stops with a :class:`LockError` instead of sending twice.
    """
    ledger = schema.ledger
    try:
        with engine.begin() as conn:
            if seen == 0:
                conn.execute(
                    ledger.insert().values(
                        key=message.key,
                        kind=message.kind,
                        member_key=message.recipient.member_key,
                        notifier=notifier_name,
                        state="pending",
                        attempts=1,
                        error=None,
                        created_at=now,
                        updated_at=now,
                    )
                )
                return 1
            bumped = conn.execute(
                ledger.update()
                .where(ledger.c.key == message.key, ledger.c.attempts == seen)
                .values(state="pending", attempts=seen + 1, error=None, updated_at=now)
            ).rowcount
    except sa.exc.IntegrityError as err:
        raise _sending_elsewhere(message) from err
    if bumped != 1:
        raise _sending_elsewhere(message)
    return seen + 1


def _sending_elsewhere(message: Message) -> LockError:
    return LockError(
        f"another run is sending message {message.key} on this store; this run stopped "
        "sending (nothing was sent twice); try again when the other run has finished",
        key=message.key,
    )


def _ask_channel(notifier: Notifier, message: Message) -> bool | None:
    try:
        return notifier.was_sent(message)
    except NotifierAuthError:
        raise
    except Exception as err:  # a channel that cannot answer is a channel that cannot tell
        log.warning("could not ask whether %s was sent: %s", message.key, err)
        return None


def deliver(
    engine: sa.Engine,
    notifier_name: str,
    notifier: Notifier,
    message: Message,
    *,
    dry_run: bool,
    now: dt.datetime | None = None,
) -> DeliveryOutcome:
    """Send ``message`` at most once across runs and crashes; see the module docstring."""
    now = _CLOCK.now(now)
    ledger = schema.ledger
    with engine.connect() as conn:
        row = conn.execute(
            sa.select(ledger.c.state, ledger.c.attempts).where(ledger.c.key == message.key)
        ).first()
    state, attempts = (row[0], int(row[1])) if row else (None, 0)

    def outcome(
        result: DeliveryState,
        *,
        error: str | None = None,
        recovered: bool = False,
        stop: bool = False,
    ) -> DeliveryOutcome:
        return DeliveryOutcome(
            key=message.key,
            member_key=message.recipient.member_key,
            notifier=notifier_name,
            kind=message.kind,
            subject=message.subject,
            state=result,
            attempts=attempts,
            error=error,
            recovered=recovered,
            stop=stop,
        )

    if state == "sent":
        return outcome(DeliveryState.ALREADY_SENT)
    if state in ("pending", "unknown", "failed"):
        try:
            answer = _ask_channel(notifier, message)
        except NotifierAuthError as err:
            return outcome(DeliveryState.FAILED, error=str(err), stop=True)
        if answer is True:
            if not dry_run:
                _mark_sent(engine, message.key, now)
            return outcome(DeliveryState.ALREADY_SENT, recovered=True)
        if answer is None and state != "failed":
            # The channel cannot tell: sending again could be a duplicate, so do not.
            if not dry_run and state != "unknown":
                _set_state(engine, message.key, "unknown", now, "channel cannot tell")
            return outcome(DeliveryState.UNKNOWN, error="channel cannot tell whether it was sent")
        # False: definitely not delivered; failed + None: the notifier said it failed.
    if dry_run:
        return outcome(DeliveryState.WOULD_SEND)
    attempts = _begin_attempt(engine, notifier_name, message, now, attempts)
    try:
        notifier.send(message)
    except NotifierAuthError as err:  # nothing can go out through this notifier: stop
        _set_state(engine, message.key, "failed", now, str(err)[:2000])
        return outcome(DeliveryState.FAILED, error=str(err), stop=True)
    except DeliveryUnconfirmed as err:  # may have gone out: ask the channel before resending
        _set_state(engine, message.key, "unknown", now, str(err)[:2000])
        log.info("delivering %s through %s is unconfirmed: %s", message.key, notifier_name, err)
        return outcome(DeliveryState.UNKNOWN, error=str(err))
    except Exception as err:  # one failing message must not stop the run
        text = f"{type(err).__name__}: {err}"
        _set_state(engine, message.key, "failed", now, text[:2000])
        # the outcome carries the error and the caller reports it: once, not here as well
        log.info("delivering %s through %s failed: %s", message.key, notifier_name, text)
        return outcome(DeliveryState.FAILED, error=text)
    _mark_sent(engine, message.key, now)
    return outcome(DeliveryState.SENT)


def deliveries_since(
    engine: sa.Engine, member_keys: Collection[str], since: dt.datetime
) -> dict[str, int]:
    """Messages per member (every kind) sent, pending or unknown since ``since``."""
    ledger = schema.ledger
    out: dict[str, int] = {}
    with engine.connect() as conn:
        for chunk in chunks(sorted(member_keys), 500):
            rows = conn.execute(
                sa.select(ledger.c.member_key, sa.func.count())
                .where(
                    ledger.c.member_key.in_(chunk),
                    ledger.c.state.in_(("sent", "pending", "unknown")),
                    ledger.c.updated_at >= since,
                )
                .group_by(ledger.c.member_key)
            )
            out.update({key: int(n) for key, n in rows})
    return out


# -- opt-outs ----------------------------------------------------------------------------------


def _check_scope(scope: str) -> None:
    if scope not in SCOPES:
        raise ValueError(f"unknown opt-out scope {scope!r}; expected one of {', '.join(SCOPES)}")


def opt_out(
    engine: sa.Engine,
    member_key: str,
    scope: OptOutScope = "all",
    *,
    now: dt.datetime | None = None,
) -> bool:
    """Record that ``member_key`` wants no messages of ``scope``; True when newly recorded."""
    _check_scope(scope)
    table = schema.opt_outs
    with engine.begin() as conn:
        exists = conn.execute(
            sa.select(table.c.member_key).where(
                table.c.member_key == member_key, table.c.scope == scope
            )
        ).first()
        if exists:
            return False
        conn.execute(
            table.insert().values(member_key=member_key, scope=scope, created_at=_CLOCK.now(now))
        )
    return True


def opt_in(engine: sa.Engine, member_key: str, scope: OptOutScope | None = None) -> int:
    """Remove the member's opt-out of ``scope`` (every scope when None); returns rows removed."""
    table = schema.opt_outs
    stmt = table.delete().where(table.c.member_key == member_key)
    if scope is not None:
        _check_scope(scope)
        stmt = stmt.where(table.c.scope == scope)
    with engine.begin() as conn:
        return int(conn.execute(stmt).rowcount or 0)


def opted_out(engine: sa.Engine, scope: OptOutScope) -> set[str]:
    """Every member opted out of ``scope`` (directly or through ``all``)."""
    _check_scope(scope)
    table = schema.opt_outs
    with engine.connect() as conn:
        return set(
            conn.execute(
                sa.select(table.c.member_key).where(table.c.scope.in_({"all", scope}))
            ).scalars()
        )


def stopped_members(engine: sa.Engine) -> set[str]:
    """Members opted out of ``all``: with ``[privacy] opt_out_stops_processing`` nothing of
    theirs is processed beyond the opt-out record (no new facts, no score, no buddy)."""
    with engine.connect() as conn:
        return opted_out_of_all(conn)


def opted_out_of_all(conn: sa.Connection) -> set[str]:
    """:func:`stopped_members` in the caller's transaction."""
    table = schema.opt_outs
    query = sa.select(table.c.member_key).where(table.c.scope == "all")
    return set(conn.execute(query).scalars())


def is_opted_out(engine: sa.Engine, member_key: str, scope: OptOutScope) -> bool:
    _check_scope(scope)
    table = schema.opt_outs
    with engine.connect() as conn:
        return (
            conn.execute(
                sa.select(table.c.member_key).where(
                    table.c.member_key == member_key, table.c.scope.in_({"all", scope})
                )
            ).first()
            is not None
        )


# -- recipients --------------------------------------------------------------------------------


def normalise_locale(value: str | None, default: str = "en") -> str:
    """``de-DE``/``de_AT``/``DE`` -> ``de``; anything unsupported -> ``default``."""
    if value:
        lang = value.replace("_", "-").split("-")[0].strip().lower()
        if lang in LOCALES:
            return lang
    return default


def recipients(
    engine: sa.Engine, member_keys: Collection[str], *, default_locale: str = "en"
) -> dict[str, Recipient]:
    """Recipients for ``member_keys`` (every key gets one, even without identities)."""
    ident, members = schema.identities, schema.members
    ids: dict[str, dict[str, str]] = {k: {} for k in member_keys}
    emails: dict[str, str] = {}
    locales: dict[str, str | None] = {}
    with engine.connect() as conn:
        for chunk in chunks(sorted(member_keys), 500):
            rows = conn.execute(
                sa.select(
                    ident.c.member_key,
                    ident.c.source,
                    ident.c.platform,
                    ident.c.person_id,
                    ident.c.email,
                )
                .where(ident.c.member_key.in_(chunk))
                # Active accounts first, then a stable order, so setdefault picks the same one.
                .order_by(ident.c.active.desc(), ident.c.source, ident.c.person_id)
            )
            for key, source, platform, person_id, email in rows:
                ids[key].setdefault(source, person_id)
                ids[key].setdefault(platform, person_id)
                if email and key not in emails:
                    emails[key] = email
            found = conn.execute(
                sa.select(members.c.member_key, members.c.locale).where(
                    members.c.member_key.in_(chunk)
                )
            )
            locales.update((key, locale) for key, locale in found)
    return {
        key: Recipient(
            member_key=key,
            platform_ids=ids[key],
            email=emails.get(key),
            locale=normalise_locale(locales.get(key), default_locale),
        )
        for key in member_keys
    }


def recipient(engine: sa.Engine, member_key: str, *, default_locale: str = "en") -> Recipient:
    """The :class:`Recipient` of one member."""
    return recipients(engine, [member_key], default_locale=default_locale)[member_key]


class SendingWindow(Protocol):
    """Settings with quiet hours: ``[onboarding.nudges]``, ``[champions]``,
    ``[survey.invitations]``."""

    @property
    def quiet_start(self) -> dt.time: ...
    @property
    def quiet_end(self) -> dt.time: ...
    @property
    def send_on_weekends(self) -> bool: ...


def quiet_in(settings: SendingWindow, now: dt.datetime, timezone: str) -> str | None:
    """:func:`quiet_reason` with the quiet hours and weekends of ``settings``."""
    return quiet_reason(
        now,
        timezone=timezone,
        start=settings.quiet_start,
        end=settings.quiet_end,
        weekends=settings.send_on_weekends,
    )


def quiet_reason(
    now: dt.datetime, *, timezone: str, start: dt.time, end: dt.time, weekends: bool
) -> str | None:
    """``weekend`` or ``quiet_hours`` when nothing may be sent at ``now`` (in ``timezone``),
    else ``None``. Quiet hours run from ``start`` to ``end`` (across midnight when ``end`` comes
    first); equal times mean none."""
    local = now.astimezone(zoneinfo.ZoneInfo(timezone))
    if local.weekday() >= 5 and not weekends:
        return "weekend"
    t = local.time()
    if start == end:
        return None
    inside = start <= t < end if start < end else (t >= start or t < end)
    return "quiet_hours" if inside else None


__all__ = [
    "LOCALES",
    "SCOPES",
    "DeliveryOutcome",
    "DeliveryState",
    "OptOutScope",
    "deliver",
    "deliveries_since",
    "is_opted_out",
    "normalise_locale",
    "opt_in",
    "opt_out",
    "opted_out",
    "quiet_in",
    "quiet_reason",
    "recipient",
    "recipients",
]
