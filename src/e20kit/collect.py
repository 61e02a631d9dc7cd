"""The collect orchestrator: streams connector output into the store, batch by batch.

Each batch is one transaction holding facts, deletions and (at a checkpoint) the stream's
bookmark, so a crash loses at most the batch in flight and the next run resumes from the last
committed bookmark. Facts are keyed upserts, so re-collected days replace, never add.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from .clock import OrgClock
from .config import Config
from .connector import Connector, ConnectorType, PluginContext
from .errors import ConfigError, ConnectorError, E20KitError, PluginError
from .http import HttpSession
from .identity_map import load_identity_map, move_facts, previous_keys, rekeyed
from .instances import plugin_context
from .models import Activity, Checkpoint, Person, Replace, Window
from .plugins import Plugins
from .privacy import Pseudonymiser
from .privacy.tombstones import Tombstones
from .results import CollectResult, ConnectorRun
from .store.bookmarks import read_bookmarks, write_bookmarks
from .store.facts import FactRow, delete_facts, upsert_facts
from .store.people import link_managers, member_keys, write_identities, write_members
from .store.schema import ANONYMOUS_KEY
from .streams import Streams

log = logging.getLogger(__name__)

Progress = Callable[[str, str, int], None]
"""Called as ``progress(connector, stage, items_so_far)``; stage is ``people`` or ``activity``."""

FactKey = tuple[dt.date, str, str, str, str, str]


@dataclass(frozen=True)
class PreparedConnector:
    name: str
    type: ConnectorType
    context: PluginContext


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
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self.pseudonymiser = pseudonymiser
        self.today = today
        """The organisation's day the collection window ends with (the kit's clock decides)."""
        self.progress = progress
        self.batch_size = config.settings.collect.batch_size
        pattern = config.settings.organisation.leader_title_pattern
        self.leader_title = re.compile(pattern) if pattern else None
        self.keep_contacts = config.settings.privacy.store_contact_details
        self.identity_map = load_identity_map(config.settings.identities.map, config.path)
        with engine.connect() as conn:
            self.tombstones = Tombstones.load(conn, pseudonymiser)
        self.erased: dict[str, int] = {}
        """Per source, records of erased people skipped (see :meth:`is_erased`)."""

    def is_erased(self, source: str, person: Person, key: str, known: dict[str, str]) -> bool:
        """Whether ``person`` was erased on request: any of their identifiers (member key,
        account, e-mail) has a tombstone. Accounts the store already holds under the same key
        are not erased people (forget deletes them), so only new ones cost the check."""
        if not self.tombstones or known.get(person.person_id) == key:
            return False
        if self.tombstones.person(key, person.platform, person.person_id, person.email):
            self.erased[source] = self.erased.get(source, 0) + 1
            return True
        return False

    def _manager(self, person: Person, known: dict[str, str]) -> str | None:
        """The manager's account id, unless the manager was erased (never written back)."""
        boss = person.manager_id
        erased = bool(boss and self.tombstones and boss not in known) and self.tombstones.account(
            person.platform, boss or ""
        )
        return None if erased else boss

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
                run.error, run.error_type = str(err), type(err).__name__
                run.config_error = isinstance(err, ConfigError)
                # the result carries it and the CLI prints it once: not an ERROR line too
                log.info("connector %s failed: %s", item.name, err)
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
        known = member_keys(conn, source) if self.tombstones else {}
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

    def _activity(self, source: str, connector: Connector, run: ConnectorRun) -> bool:
        """Collect the activity streams; whether facts were expected (nothing collected before)."""
        if "activity" not in getattr(connector, "capabilities", frozenset({"activity"})):
            return False
        lookback = self.config.settings.collect.lookback_days
        window = Window(
            start=self.today - dt.timedelta(days=lookback), end=self.today + dt.timedelta(days=1)
        )
        with self.engine.connect() as conn:
            bookmarks = read_bookmarks(conn, source)
            keys = member_keys(conn, source)
        writer = _BatchWriter(self, source, keys, run, getattr(connector, "keeps_unlisted", None))
        try:
            for item in connector.activity(window, bookmarks):
                if isinstance(item, Activity):
                    writer.add_fact(item)
                elif isinstance(item, Checkpoint):
                    writer.checkpoint(item)
                elif isinstance(item, Replace):
                    writer.replace(item)
                else:
                    raise ConnectorError(
                        f"activity() yielded {type(item).__name__}; expected Activity, "
                        "Checkpoint or Replace",
                        connector=source,
                    )
            writer.finish()
        finally:
            writer.abort()
        if run.facts_skipped:
            log.warning(
                "connector %s: %d fact(s) of %d person id(s) its directory did not list were "
                "skipped",
                source,
                run.facts_skipped,
                len(writer.unknown_ids),
            )
        return not bookmarks

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
            if self.c.tombstones.person(key, person.platform, person.person_id, None):
                self.run.erased_skipped += 1
                return None
            self.keys[fact.person_id] = key
            self.new_identities.append(person)
        return key

    def add_fact(self, fact: Activity) -> None:
        member = self._member(fact)
        if member is None:
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
        now = dt.datetime.now(dt.UTC)
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
