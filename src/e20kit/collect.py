"""The collect orchestrator: streams connector output into the store, batch by batch.

Each batch is one transaction holding facts, deletions and (at a checkpoint) the stream's
bookmark, so a crash loses at most the batch in flight and the next run resumes from the last
committed bookmark. Facts are keyed upserts, so re-collected days replace, never add.

The window ends with the run's day, but never after the real clock's (plus
``[collect] clock_skew_minutes``): a ``--today`` in the future collects up to the real today, so
no bookmark is set ahead. The core keeps three records of its own among a connector's
bookmarks (streams named ``e20kit:...``, never handed to the connector): the records the
connector skipped (:meth:`e20kit.streams.Streams.skip`, retried on the next runs), and the first
day collected so far. A window that reaches before that day (a larger ``lookback_days``, or
``collect --since``) is backfilled once: the connector reads the missing days as on a first run,
their checkpoints ignored, unless it reads wider windows by itself
(:attr:`~e20kit.connector.Capability.SELF_BACKFILL`). Facts before the retention window are not
written; the run counts them and says which setting keeps them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from pydantic import ValidationError

from .clock import OrgClock
from .clockguard import real_today, skew
from .config import Config
from .connector import Capability, Connector, ConnectorType, PluginContext
from .credentials import credential_hint
from .delivery import stopped_members
from .errors import ConfigError, ConnectorAuthError, ConnectorError, E20KitError, PluginError
from .http import HttpSession
from .http.payload import field_path
from .identity_map import load_identity_map, move_facts, previous_keys, rekeyed
from .instances import plugin_context
from .models import Activity, Checkpoint, Person, Replace, Window
from .plugins import Plugins
from .privacy import Pseudonymiser
from .privacy.rotation import check_secret
from .privacy.tombstones import Tombstones
from .results import CollectResult, ConnectorRun
from .store import history, schema
from .store.bookmarks import read_bookmarks, write_bookmarks
from .store.facts import FactRow, delete_facts, upsert_facts
from .store.failures import store_error
from .store.people import link_managers, member_keys, write_identities, write_members
from .store.schema import ANONYMOUS_KEY
from .streams import Skipped, Streams

log = logging.getLogger(__name__)

Progress = Callable[[str, str, int], None]
"""Called as ``progress(connector, stage, items_so_far)``; stage is ``people`` or ``activity``."""

FactKey = tuple[dt.date, str, str, str, str, str]

CORE_PREFIX = "e20kit:"
"""Bookmark streams the core keeps for itself (never handed to a connector)."""
PENDING = CORE_PREFIX + "pending"
"""JSON: skipped record key -> runs that skipped it (see :class:`e20kit.streams.Skipped`)."""
COVERED = CORE_PREFIX + "since"
"""The first day of the widest window collected so far (ISO date)."""
ONE_DAY = dt.timedelta(days=1)
NAMED_SKIPS = 3
"""Skipped records named one by one in the summary; the rest are counted."""


@dataclass(frozen=True)
class PreparedConnector:
    name: str
    type: ConnectorType
    context: PluginContext


def _failure_text(connector: str, err: Exception) -> str:
    """The error a failed run reports: pydantic's own text quotes the offending value (a
    person's name), so a validation error becomes ``field: problem`` lines naming the
    connector instead."""
    if not isinstance(err, ValidationError):
        return str(err)
    problems = err.errors(include_url=False, include_input=False, include_context=False)
    lines = "; ".join(f"{field_path(p['loc'])}: {p['msg']}" for p in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return f"[{connector}] a record failed validation as {err.title}: {lines}{more}"


def prepare_connectors(
    config: Config,
    plugins: Plugins,
    names: Sequence[str] | None = None,
    *,
    clock: OrgClock | None = None,
    secrets: bool = True,
) -> list[PreparedConnector]:
    """Validate every selected connector's settings before anything runs or is written
    (``secrets=False``: their shape only, see :meth:`e20kit.config.Config.plugin_settings`).

    Each context carries ``clock`` (the kit's), so connectors put facts on the same days as
    the collection window.
    """
    types = plugins.connector_types()
    configured = config.settings.connectors
    selected = list(names) if names else list(configured)
    prepared = []
    for name in selected:
        if name not in configured:
            raise ConfigError(
                f"connector {name!r} is not configured in {config.where}; "
                f"configured: {', '.join(configured) or 'none'}",
                key=f"connectors.{name}",
            )
        type_name = str(configured[name].get("type", name))
        ctype = types.get(type_name)
        if ctype is None:
            raise ConfigError(
                f"config error in {config.where}: connectors.{name}.type = {type_name!r}: no "
                f"installed plugin provides it; known types: {', '.join(sorted(types)) or 'none'}",
                file=config.where,
                key=f"connectors.{name}.type",
            )
        settings = config.plugin_settings("connectors", name, ctype.settings, secrets=secrets)
        context = plugin_context(config, "connectors", name, settings, clock=clock)
        prepared.append(PreparedConnector(name, ctype, context))
    return prepared


def _counting(context: PluginContext, sessions: list[HttpSession]) -> PluginContext:
    """``context`` whose session factory remembers its sessions, to sum up their retries."""
    make = context.http

    def http(**options: Any) -> HttpSession:
        session = make(**options)
        sessions.append(session)
        return session

    return dataclasses.replace(context, http=http)


class Collector:
    """Runs connectors one after another; one failing platform never stops the others."""

    def __init__(
        self,
        engine: sa.Engine,
        config: Config,
        plugins: Plugins,
        pseudonymiser: Pseudonymiser,
        *,
        today: dt.date,
        progress: Progress | None = None,
        clock: OrgClock | None = None,
        since: dt.date | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self.pseudonymiser = pseudonymiser
        self.today = today
        """The organisation's day the collection window ends with (the kit's clock decides)."""
        self.clock = clock or OrgClock(config.settings.organisation.timezone)
        """The real clock: no window ends after its day (plus the skew)."""
        self.since = since
        """The first day of this run's window, instead of ``lookback_days`` back (a backfill)."""
        retention = config.settings.privacy.retention_days
        last = min(today, real_today(self.clock, config.settings))  # as the window ends
        self.keep_from = last - dt.timedelta(days=retention) if retention else None
        """Facts before this day fall outside the retention window: not written, counted."""
        self.progress = progress
        self.batch_size = config.settings.collect.batch_size
        pattern = config.settings.organisation.leader_title_pattern
        self.leader_title = re.compile(pattern) if pattern else None
        self.keep_contacts = config.settings.privacy.store_contact_details
        self.identity_map = load_identity_map(config.settings.identities.map, config.path)
        with engine.begin() as conn:
            check_secret(conn, pseudonymiser)  # a wrong secret would write everyone anew
            self.tombstones = Tombstones.load(conn, pseudonymiser)
        self.erased: dict[str, int] = {}
        """Per source, records of erased people skipped (see :meth:`is_erased`)."""
        self.stopped = (
            stopped_members(engine) if config.settings.privacy.opt_out_stops_processing else set()
        )
        """Members opted out of ``all``: no new facts of theirs are written."""

    def is_erased(self, source: str, person: Person, key: str, known: dict[str, str]) -> bool:
        """Whether ``person`` was erased on request: any of their identifiers (member key,
        account, e-mail) has a tombstone. Accounts the store already holds under the same key
        are not erased people (forget deletes them), so only new ones cost the check."""
        if not self.tombstones or known.get(person.person_id) == key:
            return False
        if self.tombstones.person(key, person.platform, person.person_id):
            self.erased[source] = self.erased.get(source, 0) + 1
            return True
        return False

    def _manager(self, person: Person, known: dict[str, str]) -> str | None:
        """The manager's account id, unless the manager was erased (never written back)."""
        boss = person.manager_id
        if boss and self.tombstones and boss not in known:
            return None if self.tombstones.account(person.platform, boss) else boss
        return boss

    def run(self, prepared: Iterable[PreparedConnector]) -> CollectResult:
        result = CollectResult()
        for item in prepared:
            run = ConnectorRun(item.name)
            result.runs.append(run)
            connector: Connector | None = None
            sessions: list[HttpSession] = []
            expected = False
            try:
                connector = item.type.factory(_counting(item.context, sessions))
                self._people(item.name, connector, run)
                expected = self._activity(item.name, connector, run)
            except (E20KitError, OSError, ValueError) as err:
                if isinstance(err, PluginError):
                    raise
                run.error, run.error_type = _failure_text(item.name, err), type(err).__name__
                # rejected credentials before anything was read: like a config error, a rerun
                # cannot help (exit 2); part-way (a 403 on one channel) it stays partial
                run.config_error = isinstance(err, ConfigError) or (
                    isinstance(err, ConnectorAuthError) and not run.partial
                )
                if isinstance(err, ConnectorAuthError):  # name the key to fix
                    table = self.config.settings.connectors.get(item.name, {})
                    run.error += credential_hint("connectors", item.name, table)
                # the result carries it and the CLI prints it once: not an ERROR line too
                log.info("connector %s failed: %s", item.name, run.error)
            except sa.exc.SQLAlchemyError as err:  # the store, not the connector: stop here
                raise store_error(err) from None
            except Exception as err:  # a plugin bug must not stop the other connectors
                run.error = f"unexpected {type(err).__name__} in connector: {err}"
                run.error_type = type(err).__name__
                log.error("connector %s failed", item.name, exc_info=True)
            finally:
                run.erased_skipped += self.erased.pop(item.name, 0)
                run.retries = sum(session.retry_count for session in sessions)
                if connector is not None:
                    _note_streams(connector, run)
                if run.ok:
                    run.warnings.extend(_empty_warnings(connector, run, expected_facts=expected))
                if connector is not None:
                    try:
                        connector.close()
                    except Exception:  # closing must not hide the real outcome
                        log.debug("closing connector %s failed", item.name, exc_info=True)
        if self.identity_map is not None:
            self.identity_map.report()
        with self.engine.begin() as conn:  # once every directory is read: one state per day
            history.record(conn, self.today)
        self.plugins.collect_finished(result)
        return result

    # -- people --------------------------------------------------------------------------------

    def _people(self, source: str, connector: Connector, run: ConnectorRun) -> None:
        if "people" not in getattr(connector, "capabilities", frozenset({"people"})):
            return
        batch: list[Person] = []
        enrich = self.plugins.enriches_people
        for person in connector.people():
            if enrich:
                person = self.plugins.enrich_person(person)
            if self.identity_map is not None:
                person = self.identity_map.apply(person)
            batch.append(person)
            if len(batch) >= self.batch_size:
                self._write_people(source, batch)
                run.people += len(batch)
                batch = []
                self._tick(source, "people", run.people)
        self._write_people(source, batch)
        run.people += len(batch)
        self._tick(source, "people", run.people)
        with self.engine.begin() as conn:
            link_managers(conn, source)

    def _key(self, person: Person) -> str:
        return self.pseudonymiser.member_key(
            email=person.email, platform=person.platform, person_id=person.person_id
        )

    def _write_people(
        self, source: str, people: Sequence[Person], conn: sa.Connection | None = None
    ) -> None:
        if not people:
            return
        now = dt.datetime.now(dt.UTC)
        identity_rows: dict[str, dict[str, Any]] = {}
        member_rows: dict[str, dict[str, Any]] = {}
        for person in people:
            key = self._key(person)
            identity_rows[person.person_id] = {
                "source": source,
                "person_id": person.person_id,
                "platform": person.platform,
                "member_key": key,
                "manager_id": person.manager_id,
                "email": person.email if self.keep_contacts else None,
                "display_name": person.display_name if self.keep_contacts else None,
                "attributes": dict(person.attributes),
                "active": person.active,
                "updated_at": now,
            }
            titled = bool(
                self.leader_title and person.title and self.leader_title.search(person.title)
            )
            member_rows[key] = {
                "member_key": key,
                "department": person.department,
                "title": person.title,
                "joined_on": person.joined_on,
                "locale": person.locale,
                "is_leader": titled,
                "active": person.active,
                "updated_at": now,
            }
        if conn is None:
            with self.engine.begin() as own:
                self._write_people(source, people, own)
            return
        known: dict[str, str] = {}
        if self.tombstones:  # the erasure checks ask about this batch's accounts and managers
            ids = {p.person_id for p in people} | {p.manager_id for p in people if p.manager_id}
            known = member_keys(conn, source, ids)
        for person in people:
            row = identity_rows.get(person.person_id)
            if row is None:
                continue
            if self.is_erased(source, person, row["member_key"], known):
                del identity_rows[person.person_id]
                member_rows.pop(row["member_key"], None)
            else:
                row["manager_id"] = self._manager(person, known)
        before = previous_keys(conn, source, identity_rows)
        write_identities(conn, list(identity_rows.values()))
        write_members(conn, list(member_rows.values()))
        # an account that gained an e-mail is a member now: its earlier facts go with it
        move_facts(conn, rekeyed(before, identity_rows))

    # -- activity ------------------------------------------------------------------------------

    def _window(self, run: ConnectorRun) -> Window:
        """``lookback_days`` (or from ``since``) up to the run's day, never past the real clock."""
        allowed = real_today(self.clock, self.config.settings)
        last = min(self.today, allowed)
        if self.today > allowed:
            run.warnings.append(
                f"the day asked for ({self.today}) is after the real clock's ({allowed}): "
                f"collected up to {allowed}, no bookmark moved past it"
            )
        start = self.since or last - dt.timedelta(days=self.config.settings.collect.lookback_days)
        return Window(start=min(start, last), end=last + dt.timedelta(days=1))

    def _activity(self, source: str, connector: Connector, run: ConnectorRun) -> bool:
        """Collect the activity streams; whether facts were expected (nothing collected before)."""
        capabilities = getattr(connector, "capabilities", frozenset({"activity"}))
        if "activity" not in capabilities:
            return False
        window = self._window(run)
        with self.engine.connect() as conn:
            stored = read_bookmarks(conn, source)
            keys = member_keys(conn, source)
            oldest = _oldest_fact(conn, source)
        bookmarks = {k: v for k, v in stored.items() if not k.startswith(CORE_PREFIX)}
        earlier = _pending(stored.get(PENDING))
        streams = getattr(connector, "streams", None)
        if isinstance(streams, Streams):
            horizon = self.clock.now() + skew(self.config.settings)
            streams.resume(earlier, self.config.settings.collect.retry_skipped_runs, horizon)
        covered = _covered(stored.get(COVERED), bookmarks, oldest, window)
        backfill = (
            bookmarks
            and covered is not None
            and window.start < covered
            and Capability.INCREMENTAL in capabilities
            and Capability.SELF_BACKFILL not in capabilities
        )
        writer = _BatchWriter(self, source, keys, run, getattr(connector, "keeps_unlisted", None))
        finished = False
        try:
            if backfill:
                assert covered is not None
                run.backfilled_from = window.start
                # one day more: a connector takes its window's last day as today, unfinished
                gap = Window(start=window.start, end=min(covered + ONE_DAY, window.end))
                log.info("%s: backfilling %s to %s", source, gap.start, gap.end)
                self._stream(source, connector.activity(gap, {}), writer, checkpoints=False)
                writer.finish()
            if covered is None or window.start < covered:
                with self.engine.begin() as conn:  # before: a resumed run needs no backfill
                    write_bookmarks(
                        conn, source, {COVERED: window.start.isoformat()}, now=self.clock.now()
                    )
            self._stream(source, connector.activity(window, bookmarks), writer, checkpoints=True)
            writer.finish()
            finished = True
        finally:
            writer.abort()
            self._remember(source, connector, run, stored, earlier, finished)
        if run.facts_skipped:
            log.warning(
                "connector %s: %d fact(s) of %d person id(s) its directory did not list were "
                "skipped",
                source,
                run.facts_skipped,
                len(writer.unknown_ids),
            )
        if covered is not None and window.start < covered:  # the window grew: say how far
            run.warnings.extend(self._reach(source, connector, window))
        if run.facts_before_retention and self.keep_from is not None:
            days = self.config.settings.privacy.retention_days
            run.warnings.append(
                f"{run.facts_before_retention} facts fell before the retention window "
                f"(privacy.retention_days = {days}: days before {self.keep_from}) and were not "
                "stored; raise privacy.retention_days (0 keeps everything) to keep them"
            )
        return not bookmarks

    def _reach(self, source: str, connector: Connector, window: Window) -> list[str]:
        """After a wider window: a warning when the store still holds nothing that old, with
        where the platform's reach ends when the connector said (``Streams.reaches_back_to``)."""
        with self.engine.connect() as conn:
            oldest = _oldest_fact(conn, source)
        if oldest is not None and oldest <= window.start:
            return []
        streams = getattr(connector, "streams", None)
        reach = streams.reach if isinstance(streams, Streams) else None
        why = (
            f"{reach[1]}, to {reach[0]}"
            if reach is not None and reach[0] > window.start
            else "the platform gave nothing older"
        )
        return [
            f"the window reaches back to {window.start}, but the oldest data stored from this "
            f"source is from {oldest or 'no day'}: {why}"
        ]

    def _stream(
        self,
        source: str,
        items: Iterable[object],
        writer: _BatchWriter,
        *,
        checkpoints: bool,
    ) -> None:
        """Feed one ``activity()`` pass to ``writer`` (a backfill pass keeps no checkpoint)."""
        for item in items:
            if isinstance(item, Activity):
                writer.add_fact(item)
            elif isinstance(item, Checkpoint):
                if checkpoints:
                    writer.checkpoint(item)
                else:
                    writer.segment = False
                    writer.flush()
            elif isinstance(item, Replace):
                writer.replace(item)
            else:
                raise ConnectorError(
                    f"activity() yielded {type(item).__name__}; expected Activity, "
                    "Checkpoint or Replace",
                    connector=source,
                )

    def _remember(
        self,
        source: str,
        connector: Connector,
        run: ConnectorRun,
        stored: dict[str, str],
        earlier: dict[str, int],
        finished: bool,
    ) -> None:
        """Store the records skipped in this run with their attempts (given-up ones too, so a
        record met again is not held again), and count the pending ones in ``run``."""
        streams = getattr(connector, "streams", None)
        skipped: list[Skipped] = streams.skipped if isinstance(streams, Streams) else []
        seen = {s.key: s.attempts for s in skipped}
        if not finished:  # what this run did not get to stays as it was
            seen = {**earlier, **seen}
        if seen or PENDING in stored:
            value = json.dumps(seen, sort_keys=True, separators=(",", ":"))
            with self.engine.begin() as conn:
                write_bookmarks(conn, source, {PENDING: value}, now=self.clock.now())
        limit = self.config.settings.collect.retry_skipped_runs
        run.pending = sum(1 for attempts in seen.values() if attempts <= limit)
        if isinstance(streams, Streams):
            run.given_up = len(streams.given_up)
            run.warnings.extend(_skip_warnings(streams))

    def _tick(self, source: str, stage: str, count: int) -> None:
        if self.progress is not None:
            self.progress(source, stage, count)


class _BatchWriter:
    """Buffers one batch of operations and writes it in one transaction.

    A :class:`Replace` opens a segment that lasts until the next :class:`Checkpoint`: its
    deletions and every batch of facts after it go into one transaction, committed with the
    checkpoint's bookmark, so a crash or an error anywhere in between leaves the stored facts
    as they were (never the deletions without the facts that replace them).
    """

    def __init__(
        self,
        collector: Collector,
        source: str,
        keys: dict[str, str],
        run: ConnectorRun,
        keeps_unlisted: Callable[[str], bool] | None = None,
    ) -> None:
        self.c = collector
        self.keeps_unlisted = keeps_unlisted
        """The connector's optional ``keeps_unlisted(person_id)``: ids it yields on purpose
        without a directory entry (concealed report names), kept unjoined instead of skipped."""
        self.source = source
        self.keys = keys
        self.run = run
        self.ops: list[Replace | dict[FactKey, FactRow]] = []
        self.pending = 0
        self.bookmarks: dict[str, str] = {}
        self.new_identities: list[Person] = []
        self.unknown_ids: set[str] = set()
        self.segment = False
        """A Replace was buffered or written and its Checkpoint has not come yet."""
        self.tx: sa.Connection | None = None

    def _member(self, fact: Activity) -> str | None:
        if fact.person_id is None:
            return ANONYMOUS_KEY  # a count that names nobody: never a member or identity
        key = self.keys.get(fact.person_id)
        if key is None:
            unlisted_on_purpose = self.keeps_unlisted is not None and self.keeps_unlisted(
                fact.person_id
            )
            if self.run.people and not unlisted_on_purpose:
                # The directory listed people but not this one: never guess whose it is.
                if self.c.tombstones.account(fact.platform, fact.person_id):
                    self.run.erased_skipped += 1  # an erased person's, not an unknown one
                    return None
                self.run.facts_skipped += 1
                self.unknown_ids.add(fact.person_id)
                return None
            # A connector without a directory (activity-only exports): key by platform id.
            person = Person(platform=fact.platform, person_id=fact.person_id)
            key = self.c._key(person)
            if self.c.tombstones.person(key, person.platform, person.person_id):
                self.run.erased_skipped += 1
                return None
            self.keys[fact.person_id] = key
            self.new_identities.append(person)
        return key

    def add_fact(self, fact: Activity) -> None:
        if self.c.keep_from is not None and fact.day < self.c.keep_from:
            self.run.facts_before_retention += 1  # the purge would delete it at once
            return
        member = self._member(fact)
        if member is None or member in self.c.stopped:
            return
        container = fact.container or ""
        action, feature = fact.action.value, fact.feature.value
        key = (fact.day, member, fact.platform, action, feature, container)
        ops = self.ops
        if not ops or not isinstance(ops[-1], dict):
            ops.append({})
        segment = ops[-1]
        assert isinstance(segment, dict)
        if key not in segment:
            self.pending += 1
        segment[key] = (*key, fact.count, self.source)
        if self.pending >= self.c.batch_size:
            self.flush()

    def replace(self, marker: Replace) -> None:
        self.ops.append(marker)
        self.segment = True

    def checkpoint(self, marker: Checkpoint) -> None:
        self.bookmarks[marker.stream] = marker.value
        self.run.checkpoints += 1
        self.segment = False
        self.flush()

    def finish(self) -> None:
        """The stream ended normally: commit what is left, an open segment included."""
        self.segment = False
        self.flush()

    def abort(self) -> None:
        """Roll back an open segment (after an error; a no-op after :meth:`finish`)."""
        if self.tx is not None:
            tx, self.tx = self.tx, None
            tx.rollback()
            tx.close()

    def flush(self) -> None:
        if self.ops or self.bookmarks or self.new_identities:
            if self.tx is None:
                self.tx = self.c.engine.connect()
                self.tx.begin()
            self._write(self.tx)
        if self.tx is not None and not self.segment:
            tx, self.tx = self.tx, None
            tx.commit()
            tx.close()

    def _write(self, conn: sa.Connection) -> None:
        now = self.c.clock.now()  # the clock guard compares it with the next run's clock
        if self.new_identities:
            self.c._write_people(self.source, self.new_identities, conn)
            self.new_identities = []
        for op in self.ops:
            if isinstance(op, Replace):
                self.run.facts_deleted += delete_facts(
                    conn,
                    self.source,
                    op.window.start,
                    op.window.end,
                    container=op.container,
                    actions=[a.value for a in op.actions or ()],
                )
            elif op:
                upsert_facts(conn, list(op.values()))
                self.run.facts_written += len(op)
        if self.bookmarks:
            write_bookmarks(conn, self.source, self.bookmarks, now=now)
        self.run.batches += 1
        self.ops, self.pending, self.bookmarks = [], 0, {}
        self.c._tick(self.source, "activity", self.run.facts_written)


def _oldest_fact(conn: sa.Connection, source: str) -> dt.date | None:
    facts = schema.facts
    day = conn.execute(sa.select(sa.func.min(facts.c.day)).where(facts.c.source == source)).scalar()
    return day if isinstance(day, dt.date) else None


def _day(value: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _pending(value: str | None) -> dict[str, int]:
    """The stored skipped records (an unreadable value: none, as after a clean run)."""
    try:
        data = json.loads(value) if value else {}
        return {str(k): int(v) for k, v in data.items()}
    except (ValueError, TypeError, AttributeError):
        return {}


def _covered(
    value: str | None, bookmarks: Mapping[str, str], oldest: dt.date | None, window: Window
) -> dt.date | None:
    """The first day collected so far; for a store from before it was recorded, the oldest
    stored fact's day (or, with bookmarks but no fact, the window's end: read it all once)."""
    recorded = _day(value)
    if recorded is not None or not bookmarks:
        return recorded
    return oldest if oldest is not None else window.end


def _skip_warnings(streams: Streams) -> list[str]:
    out = []
    for label, group in (
        ("pending (read again on the next run)", streams.pending),
        ("given up after collect.retry_skipped_runs runs", streams.given_up),
    ):
        if group:
            named = "; ".join(str(s) for s in group[:NAMED_SKIPS])
            more = f"; and {len(group) - NAMED_SKIPS} more" if len(group) > NAMED_SKIPS else ""
            out.append(f"{len(group)} skipped records {label}: {named}{more}")
    if streams.ahead:
        stream, record, when = streams.ahead[0]
        out.append(
            f"{len(streams.ahead)} records dated after the collection window (the first: "
            f"{stream} record {record} at {when:%Y-%m-%d %H:%M}); counted when their day comes, "
            "they move no bookmark"
        )
    return out


def _note_streams(connector: Connector, run: ConnectorRun) -> None:
    """Copy the gaps and the failed stream a connector recorded in ``connector.streams``."""
    streams = getattr(connector, "streams", None)
    if isinstance(streams, Streams):
        run.warnings.extend(str(gap) for gap in streams.gaps)
        run.failed_stream = run.failed_stream or streams.failed


def _empty_warnings(
    connector: Connector | None, run: ConnectorRun, *, expected_facts: bool
) -> list[str]:
    """No data is a finding, not health: say so when a connector brought nothing."""
    capabilities = getattr(connector, "capabilities", frozenset({"people", "activity"}))
    out = []
    if "people" in capabilities and run.people == 0:
        out.append("no people: the source listed nobody (check its settings and permissions)")
    if expected_facts and run.facts_written == 0:
        out.append(
            "no activity facts: nothing was collected from this source before and this run "
            "found nothing either (check its settings, permissions and lookback_days)"
        )
    return out


__all__ = ["CollectResult", "Collector", "ConnectorRun", "PreparedConnector", "prepare_connectors"]
