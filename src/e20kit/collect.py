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
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa

from .config import Config
from .connector import Connector, ConnectorType, PluginContext
from .errors import ConfigError, ConnectorError, E20KitError, PluginError
from .http import HttpSession
from .instances import plugin_context
from .models import Activity, Checkpoint, Person, Replace, Window
from .plugins import Plugins
from .privacy import Pseudonymiser
from .store import schema
from .store.chunks import chunks
from .store.facts import FactRow, upsert_facts
from .store.upsert import upsert
from .streams import Streams

log = logging.getLogger(__name__)

Progress = Callable[[str, str, int], None]
"""Called as ``progress(connector, stage, items_so_far)``; stage is ``people`` or ``activity``."""

FactKey = tuple[dt.date, str, str, str, str, str]


@dataclass
class ConnectorRun:
    """What one connector did in one collect run."""

    name: str
    people: int = 0
    facts_written: int = 0
    facts_deleted: int = 0
    batches: int = 0
    checkpoints: int = 0
    retries: int = 0
    """HTTP retries of the connector's sessions (logged one by one at DEBUG only)."""
    error: str | None = None
    error_type: str | None = None
    warnings: list[str] = field(default_factory=list)
    """Findings about the data, not failures: no people, no facts where some were expected, an
    optional stream the platform would not give (see :mod:`e20kit.streams`)."""
    failed_stream: str | None = None
    """The required stream whose failure ended the run, when the connector declared it."""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def partial(self) -> bool:
        """Failed after storing something: the people and streams read before it are kept."""
        return not self.ok and (self.people > 0 or self.batches > 0)

    @property
    def status(self) -> str:
        """``ok``, ``partial`` (failed part-way, what was read is stored) or ``failed``."""
        return "ok" if self.ok else "partial" if self.partial else "failed"


@dataclass
class CollectResult:
    """Outcome of :meth:`e20kit.Kit.collect`; one entry per connector."""

    runs: list[ConnectorRun] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.runs)

    @property
    def failed(self) -> list[ConnectorRun]:
        return [r for r in self.runs if not r.ok]

    @property
    def facts_written(self) -> int:
        return sum(r.facts_written for r in self.runs)

    @property
    def warnings(self) -> list[str]:
        """Every connector's warnings, each prefixed with the connector's name."""
        return [f"{r.name}: {w}" for r in self.runs for w in r.warnings]

    @property
    def partial(self) -> bool:
        """Some connector failed, and every failed one had stored something first."""
        return not self.ok and all(r.partial for r in self.failed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "partial": self.partial,
            "facts_written": self.facts_written,
            "warnings": self.warnings,
            "connectors": [
                vars(r) | {"ok": r.ok, "partial": r.partial, "status": r.status} for r in self.runs
            ],
        }


@dataclass(frozen=True)
class PreparedConnector:
    name: str
    type: ConnectorType
    context: PluginContext


def prepare_connectors(
    config: Config, plugins: Plugins, names: Sequence[str] | None = None
) -> list[PreparedConnector]:
    """Validate every selected connector's settings before anything runs or is written."""
    types = plugins.connector_types()
    configured = config.settings.connectors
    selected = list(names) if names else list(configured)
    if not selected:
        raise ConfigError(
            f"no connector is configured in {config.where}: nothing to collect; add a "
            "[connectors.<name>] table (docs/config.md, or `e20kit init` for a starter config)",
            file=config.where,
            key="connectors",
        )
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
        settings = config.plugin_settings("connectors", name, ctype.settings)
        context = plugin_context(config, "connectors", name, settings)
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
        today: dt.date | None = None,
        progress: Progress | None = None,
    ) -> None:
        self.engine = engine
        self.config = config
        self.plugins = plugins
        self.pseudonymiser = pseudonymiser
        self.today = today or dt.date.today()
        self.progress = progress
        self.batch_size = config.settings.collect.batch_size
        pattern = config.settings.organisation.leader_title_pattern
        self.leader_title = re.compile(pattern) if pattern else None
        self.keep_contacts = config.settings.privacy.store_contact_details

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
                log.error("connector %s failed: %s", item.name, err)
            except Exception as err:  # a plugin bug must not stop the other connectors
                run.error = f"unexpected {type(err).__name__} in connector: {err}"
                run.error_type = type(err).__name__
                log.error("connector %s failed", item.name, exc_info=True)
            finally:
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
            batch.append(person)
            if len(batch) >= self.batch_size:
                self._write_people(source, batch)
                run.people += len(batch)
                batch = []
                self._tick(source, "people", run.people)
        self._write_people(source, batch)
        run.people += len(batch)
        self._tick(source, "people", run.people)
        self._link_managers(source)

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
        upsert(conn, schema.identities, list(identity_rows.values()))
        _upsert_members(conn, list(member_rows.values()))

    def _link_managers(self, source: str) -> None:
        """Resolve manager ids to member keys and mark members with reports as leaders."""
        ident = schema.identities
        boss = ident.alias("boss")
        with self.engine.begin() as conn:
            pairs = conn.execute(
                sa.select(ident.c.member_key, boss.c.member_key)
                .join(
                    boss,
                    sa.and_(
                        boss.c.source == ident.c.source, boss.c.person_id == ident.c.manager_id
                    ),
                )
                .where(ident.c.source == source)
            ).all()
            members = schema.members
            if pairs:
                conn.execute(
                    members.update()
                    .where(members.c.member_key == sa.bindparam("k"))
                    .values(manager_key=sa.bindparam("m")),
                    [{"k": k, "m": m} for k, m in pairs],
                )
                leaders = sorted({m for _, m in pairs})
                for chunk in chunks(leaders, 500):
                    conn.execute(
                        members.update()
                        .where(members.c.member_key.in_(chunk))
                        .values(is_leader=True)
                    )

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
            bookmarks = dict(
                conn.execute(
                    sa.select(schema.bookmarks.c.stream, schema.bookmarks.c.value).where(
                        schema.bookmarks.c.connector == source
                    )
                ).all()
            )
            keys = dict(
                conn.execute(
                    sa.select(schema.identities.c.person_id, schema.identities.c.member_key).where(
                        schema.identities.c.source == source
                    )
                ).all()
            )
        writer = _BatchWriter(self, source, keys, run)
        for item in connector.activity(window, bookmarks):
            if isinstance(item, Activity):
                writer.add_fact(item)
            elif isinstance(item, Checkpoint):
                writer.checkpoint(item)
            elif isinstance(item, Replace):
                writer.replace(item)
            else:
                raise ConnectorError(
                    f"activity() yielded {type(item).__name__}; expected Activity, Checkpoint "
                    "or Replace",
                    connector=source,
                )
        writer.flush()
        return not bookmarks

    def _tick(self, source: str, stage: str, count: int) -> None:
        if self.progress is not None:
            self.progress(source, stage, count)


class _BatchWriter:
    """Buffers one batch of operations and writes it in one transaction."""

    def __init__(
        self, collector: Collector, source: str, keys: dict[str, str], run: ConnectorRun
    ) -> None:
        self.c = collector
        self.source = source
        self.keys = keys
        self.run = run
        self.ops: list[Replace | dict[FactKey, FactRow]] = []
        self.pending = 0
        self.bookmarks: dict[str, str] = {}
        self.new_identities: list[Person] = []

    def _member(self, fact: Activity) -> str:
        key = self.keys.get(fact.person_id)
        if key is None:
            # Activity of an account the directory did not list: key it by platform id.
            person = Person(platform=fact.platform, person_id=fact.person_id)
            key = self.c._key(person)
            self.keys[fact.person_id] = key
            self.new_identities.append(person)
        return key

    def add_fact(self, fact: Activity) -> None:
        member = self._member(fact)
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

    def checkpoint(self, marker: Checkpoint) -> None:
        self.bookmarks[marker.stream] = marker.value
        self.run.checkpoints += 1
        self.flush()

    def flush(self) -> None:
        if not self.ops and not self.bookmarks and not self.new_identities:
            return
        now = dt.datetime.now(dt.UTC)
        facts = schema.facts
        with self.c.engine.begin() as conn:
            if self.new_identities:
                self.c._write_people(self.source, self.new_identities, conn)
                self.new_identities = []
            for op in self.ops:
                if isinstance(op, Replace):
                    cond = [
                        facts.c.source == self.source,
                        facts.c.day >= op.window.start,
                        facts.c.day < op.window.end,
                    ]
                    if op.container is not None:
                        cond.append(facts.c.container == op.container)
                    if op.actions:
                        cond.append(facts.c.action.in_(sorted(a.value for a in op.actions)))
                    deleted = conn.execute(facts.delete().where(*cond)).rowcount
                    self.run.facts_deleted += max(deleted or 0, 0)
                elif op:
                    upsert_facts(conn, list(op.values()))
                    self.run.facts_written += len(op)
            if self.bookmarks:
                upsert(
                    conn,
                    schema.bookmarks,
                    [
                        {"connector": self.source, "stream": s, "value": v, "updated_at": now}
                        for s, v in self.bookmarks.items()
                    ],
                )
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


def _upsert_members(conn: sa.Connection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Upsert members; a platform that does not know a field never blanks another's value."""
    if not rows:
        return
    members = schema.members
    from sqlalchemy.dialects import postgresql, sqlite

    stmt: Any = (postgresql if conn.dialect.name == "postgresql" else sqlite).insert(members)
    keep = ("department", "title", "joined_on", "locale")
    set_: dict[str, Any] = {
        name: sa.func.coalesce(stmt.excluded[name], members.c[name]) for name in keep
    }
    set_["is_leader"] = sa.or_(stmt.excluded.is_leader, members.c.is_leader)
    set_["active"] = stmt.excluded.active
    set_["updated_at"] = stmt.excluded.updated_at
    conn.execute(stmt.on_conflict_do_update(index_elements=["member_key"], set_=set_), list(rows))


__all__ = ["CollectResult", "Collector", "ConnectorRun", "PreparedConnector", "prepare_connectors"]
