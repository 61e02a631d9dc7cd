from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
import responses
import sqlalchemy as sa
from pydantic import BaseModel

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Checkpoint,
    ConnectorContext,
    ConnectorType,
    Feature,
    Kit,
    Person,
    Window,
    hookimpl,
)
from e20kit.store import schema
from e20kit.testing import table_rows

from .helpers import ACTIVITY, write_config, write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "s-16-bytes-secret"}


def open_kit(tmp_path: Path, store_url: str, *plugins: object, extra: str = "") -> Kit:
    exports = (
        write_exports(tmp_path / "exports")
        if not (tmp_path / "exports").exists()
        else tmp_path / "exports"
    )
    config = write_config(
        tmp_path / "e20kit.toml", exports=exports, store_url=store_url, extra=extra
    )
    return Kit.from_config(config, env=ENV, plugins=plugins)


def fact_rows(kit: Kit) -> list[tuple[object, ...]]:
    return table_rows(kit.engine, schema.facts)


def test_csv_collect_pseudonymises_and_links_managers(tmp_path: Path, store_url: str) -> None:
    with open_kit(tmp_path, store_url) as kit:
        result = kit.collect(today=dt.date(2026, 10, 25))
        assert result.ok, result.as_dict()
        assert result.runs[0].people == 3 and result.facts_written == len(ACTIVITY)
        with kit.engine.connect() as conn:
            members = {r.member_key: r for r in conn.execute(sa.select(schema.members))}
            idents = conn.execute(sa.select(schema.identities)).all()
        boss = kit.pseudonymiser.member_key(
            email="ann.boss@example.org", platform="csv", person_id="u1"
        )
        assert members[boss].is_leader and members[boss].department == "Sales"
        assert sum(m.is_leader for m in members.values()) == 1
        assert all(m.manager_key == boss for k, m in members.items() if k != boss)
        assert all(i.email is None and i.display_name is None for i in idents)  # privacy default
        dump = repr(fact_rows(kit)) + repr(members)
        assert "example.org" not in dump


def test_recollect_writes_nothing_and_changes_replace(tmp_path: Path, store_url: str) -> None:
    with open_kit(tmp_path, store_url) as kit:
        kit.collect(today=dt.date(2026, 10, 25))
        before = fact_rows(kit)
        again = kit.collect(today=dt.date(2026, 10, 25))
        assert again.facts_written == 0 and fact_rows(kit) == before
        # A changed export: one row corrected, one row of a covered day deleted -> replaced.
        changed = [r for r in ACTIVITY if r[3] != "create"]
        changed[0] = (*changed[0][:6], "10")
        write_exports(tmp_path / "exports", activity=changed)
        result = kit.collect(today=dt.date(2026, 10, 25))
        assert result.runs[0].facts_deleted == len(ACTIVITY)
        rows = fact_rows(kit)
        assert len(rows) == len(changed)
        assert sum(int(str(r[6])) for r in rows) == sum(int(r[6]) for r in changed)


def test_bad_row_names_file_line_column_and_loads_nothing(tmp_path: Path, store_url: str) -> None:
    bad = [*ACTIVITY, ("2026-10-23", "csv", "u1", "download", "wiki", "x", "1")]
    write_exports(tmp_path / "exports", activity=bad)
    with open_kit(tmp_path, store_url) as kit:
        result = kit.collect(today=dt.date(2026, 10, 25))
        run = result.runs[0]
        assert not result.ok
        assert "activity.csv] line 7, column 'action'" in (run.error or "")
        assert fact_rows(kit) == []


class FlakyStream(BaseModel):
    fail_after: int | None = None


STATE: dict[str, int] = {}


class FlakyConnector:
    """Three streams with checkpoints; can raise in the middle of the second one."""

    capabilities = frozenset({"people", "activity"})

    def __init__(self, context: ConnectorContext) -> None:
        assert isinstance(context.settings, FlakyStream)
        self.fail_after = context.settings.fail_after

    def people(self) -> Iterator[Person]:
        for i in range(4):
            yield Person(platform="flaky", person_id=f"p{i}", email=f"p{i}@example.org")

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        emitted = 0
        for stream in ("s1", "s2", "s3"):
            done = int(bookmarks.get(stream, "0"))
            for day in range(done, 6):
                for person in range(4):
                    if self.fail_after is not None and emitted == self.fail_after:
                        raise RuntimeError("connection dropped mid-stream")
                    emitted += 1
                    STATE["facts"] = STATE.get("facts", 0) + 1
                    yield Activity(
                        day=dt.date(2026, 10, 1) + dt.timedelta(days=day),
                        platform="flaky",
                        person_id=f"p{person}",
                        action=Action.POST,
                        feature=Feature.DISCUSSION,
                        container=stream,
                        count=day + person + 1,
                    )
                if day % 2 == 1:
                    yield Checkpoint(stream=stream, value=str(day + 1))
            yield Checkpoint(stream=stream, value="6")

    def close(self) -> None:
        pass


class FlakyPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="flaky", settings=FlakyStream, factory=FlakyConnector)]


def test_crash_mid_stream_then_rerun_equals_uninterrupted_run(
    tmp_path: Path, store_url: str
) -> None:
    reference_dir = tmp_path / "ref"
    reference_dir.mkdir()
    ref_url = f"sqlite:///{reference_dir / 'ref.sqlite'}"
    with open_kit(
        reference_dir, ref_url, FlakyPlugin(), extra="[connectors.f]\ntype='flaky'\n"
    ) as ref:
        assert ref.collect(["f"], today=dt.date(2026, 10, 10)).ok
        expected = fact_rows(ref)
    crash = "[connectors.f]\ntype='flaky'\nfail_after=35\n"
    with open_kit(tmp_path, store_url, FlakyPlugin(), extra=crash) as kit:
        first = kit.collect(["f"], today=dt.date(2026, 10, 10))
        assert not first.ok and "connection dropped" in (first.runs[0].error or "")
        assert first.runs[0].partial and first.partial  # what was stored first is kept
        partial = fact_rows(kit)
        assert 0 < len(partial) < len(expected)
        with kit.engine.connect() as conn:
            marks = dict(
                conn.execute(sa.select(schema.bookmarks.c.stream, schema.bookmarks.c.value)).all()
            )
        assert marks["s1"] == "6" and "s3" not in marks  # resumes from the last committed bookmark
    healthy = "[connectors.f]\ntype='flaky'\n"
    STATE.clear()
    with open_kit(tmp_path, store_url, FlakyPlugin(), extra=healthy) as kit:
        assert kit.collect(["f"], today=dt.date(2026, 10, 10)).ok
        assert fact_rows(kit) == expected  # nothing lost, nothing doubled
        assert STATE["facts"] < len(expected)  # stream 1 was not fetched again


class BrokenPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        def explode(context: ConnectorContext) -> FlakyConnector:
            raise RuntimeError("vendor API changed")

        return [ConnectorType(name="broken", settings=FlakyStream, factory=explode)]


def test_one_failing_connector_does_not_stop_the_others(tmp_path: Path, sqlite_url: str) -> None:
    extra = "[connectors.b]\ntype='broken'\n"
    with open_kit(tmp_path, sqlite_url, BrokenPlugin(), extra=extra) as kit:
        result = kit.collect(today=dt.date(2026, 10, 25))
        by_name = {r.name: r for r in result.runs}
        assert by_name["exports"].ok and by_name["exports"].facts_written == len(ACTIVITY)
        assert not by_name["b"].ok and "vendor API changed" in (by_name["b"].error or "")
        assert not result.ok


def test_collect_finished_hook_fires_with_the_result(tmp_path: Path, sqlite_url: str) -> None:
    seen = []

    class Listener:
        @hookimpl
        def e20kit_collect_finished(self, result: object) -> None:
            seen.append(result)

    with open_kit(tmp_path, sqlite_url, Listener()) as kit:
        result = kit.collect(today=dt.date(2026, 10, 25))
    assert seen == [result]


def test_enrich_person_hook_sets_department(tmp_path: Path, sqlite_url: str) -> None:
    class HR:
        @hookimpl
        def e20kit_enrich_person(self, person: Person) -> dict[str, str] | None:
            return {"department": "Research"} if person.person_id == "u3" else None

    with open_kit(tmp_path, sqlite_url, HR()) as kit:
        kit.collect(today=dt.date(2026, 10, 25))
        with kit.engine.connect() as conn:
            departments = sorted(r[0] for r in conn.execute(sa.select(schema.members.c.department)))
    assert departments == ["Research", "Sales", "Sales"]


def test_unknown_connector_type_is_a_config_error(tmp_path: Path, sqlite_url: str) -> None:
    from e20kit import ConfigError

    with open_kit(tmp_path, sqlite_url, extra="[connectors.x]\ntype='nope'\n") as kit:
        with pytest.raises(ConfigError, match=r"connectors\.x\.type = 'nope'"):
            kit.collect()
        with pytest.raises(ConfigError):  # the store is not even opened (created)
            assert kit.engine
    assert not (tmp_path / "store.sqlite").exists()


def test_collect_stores_facts_and_the_next_report_brings_the_rollups_up_to_date(
    tmp_path: Path, store_url: str
) -> None:
    with open_kit(tmp_path, store_url) as kit:
        assert kit.collect(today=dt.date(2026, 10, 25)).ok
        assert not table_rows(kit.engine, schema.span_packs)  # collection only stores facts
        metrics = kit.metrics("last-30d", today=dt.date(2026, 10, 25))
        assert metrics.headline.active_members > 0
        assert table_rows(kit.engine, schema.span_packs)
        assert not table_rows(kit.engine, schema.rollup_dirty)


class RetryingConnector:
    """Reads its people over HTTP from a server that fails twice first."""

    capabilities = frozenset({"people"})

    def __init__(self, context: ConnectorContext) -> None:
        self.session = context.http(base_url="https://people.example.test")

    def people(self) -> Iterator[Person]:
        for row in self.session.get_json("/people"):
            yield Person(platform="retrying", person_id=row["id"], email=row["email"])

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        return iter(())

    def close(self) -> None:
        self.session.close()


class RetryingPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="retrying", settings=FlakyStream, factory=RetryingConnector)]


@responses.activate
def test_retries_are_counted_per_connector_not_logged_as_warnings(
    tmp_path: Path, sqlite_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = "https://people.example.test/people"
    responses.get(url, status=503)
    responses.get(url, status=502)
    responses.get(url, json=[{"id": "p1", "email": "p1@example.org"}])
    extra = "[connectors.r]\ntype='retrying'\n[http]\nretries = 3\nbackoff_factor = 0\n"
    caplog.set_level(logging.INFO)
    with open_kit(tmp_path, sqlite_url, RetryingPlugin(), extra=extra) as kit:
        result = kit.collect(["r"], today=dt.date(2026, 10, 25))
    run = result.runs[0]
    assert run.ok and run.people == 1 and run.retries == 2
    assert result.as_dict()["connectors"][0]["retries"] == 2
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
