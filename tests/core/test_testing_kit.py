"""The public testing kit (e20kit.testing): every helper on the real core path."""

from __future__ import annotations

import datetime as dt
import json
import tomllib
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from e20kit import (
    Action,
    Activity,
    ActivityItem,
    Checkpoint,
    ConfigError,
    ConnectorAuthError,
    ConnectorType,
    Feature,
    Message,
    Person,
    PluginContext,
    Recipient,
    Window,
    hookimpl,
    json_or_error,
)
from e20kit.connectors.csv import CSV_CONNECTOR
from e20kit.notifiers.log import LOG_NOTIFIER
from e20kit.sandbox import LoopbackServer, Request, Response, Router
from e20kit.testing import (
    DEFAULT_IGNORE_TABLES,
    FAST_HTTP,
    FakeCheckContext,
    assert_same_store,
    bookmarks,
    build_connector,
    build_context,
    build_kit,
    build_notifier,
    fact_totals,
    kit_notifier,
    people_totals,
    registrations,
    run_cli,
    run_connector,
    store_rows,
    store_snapshot,
    write_config,
)

from .helpers import write_exports

TODAY = dt.date(2026, 10, 25)
WINDOW = Window(start=dt.date(2026, 10, 1), end=TODAY)


def test_build_kit_writes_a_real_config_and_collects_into_the_store(
    tmp_path: Path, store_url: str
) -> None:
    exports = write_exports(tmp_path / "exports")
    with build_kit(
        tmp_path,
        connectors={"exports": {"type": "csv", "path": exports}},
        settings={"collect": {"lookback_days": 400}, "http": {"retries": 2}},
        store_url=store_url,
    ) as kit:
        assert kit.config.path is not None
        written = tomllib.loads(kit.config.path.read_text(encoding="utf-8"))
        assert written["connectors"]["exports"] == {"type": "csv", "path": str(exports)}
        assert written["http"] == {**FAST_HTTP, "retries": 2}
        assert written["store"]["url"] == store_url
        assert kit.collect(today=TODAY).ok
        assert fact_totals(kit) == {
            ("csv", "post"): 7,
            ("csv", "view"): 7,
            ("csv", "reply"): 1,
            ("csv", "create"): 2,
        }
        assert fact_totals(kit, by=("feature", "container"))[("wiki", "space-a")] == 9
        assert people_totals(kit) == {"csv": 3}
        # the core keeps the first day collected beside the connector's own stream (backfill)
        assert bookmarks(kit, "exports").keys() == {"activity.csv", "e20kit:since"}
        assert [r["person_id"] for r in store_rows(kit, "identities")] == ["u1", "u2", "u3"]


def test_each_kit_gets_its_own_config_and_store_and_sees_only_its_env(tmp_path: Path) -> None:
    first = build_kit(tmp_path, env={"E20KIT_PRIVACY__MIN_GROUP_SIZE": "7"})
    second = build_kit(tmp_path)
    assert first.config.path != second.config.path
    assert first.store_url != second.store_url
    assert first.config.settings.privacy.min_group_size == 7
    assert second.config.settings.privacy.min_group_size != 7
    assert "PATH" not in first.config.env  # never the real environment
    assert first.config.pseudonym_secret()  # a test secret is there unless env gives one
    first.close()
    second.close()


def test_build_kit_reports_a_bad_table_like_the_cli(tmp_path: Path) -> None:
    kit = build_kit(tmp_path, connectors={"exports": {"type": "csv", "paht": "x"}})
    with pytest.raises(ConfigError, match=r"connectors\.exports\.paht: unknown key"):
        kit.collect(today=TODAY)
    with pytest.raises(ConfigError, match="unknown key"):
        build_kit(tmp_path, settings={"collect": {"lookbak_days": 3}})


def test_run_connector_returns_what_the_connector_yields_and_resumes(tmp_path: Path) -> None:
    exports = write_exports(tmp_path / "exports")
    out = run_connector(CSV_CONNECTOR, {"path": str(exports)}, window=WINDOW, name="exports")
    assert {p.person_id for p in out.people} == {"u1", "u2", "u3"}
    assert len(out.facts) == 5 and out.replaces and set(out.bookmarks) == {"activity.csv"}
    assert out.items == [*out.replaces, *out.facts, *out.checkpoints]  # the csv stream's order
    assert out.totals("action")[(Action.POST,)] == 7
    assert out.totals()[("csv", Action.VIEW)] == 7
    again = run_connector(
        CSV_CONNECTOR, {"path": str(exports)}, window=WINDOW, bookmarks=out.bookmarks
    )
    assert again.facts == [] and again.checkpoints == []


class TokenSettings(BaseModel):
    url: str
    token: SecretStr


class TokenConnector:
    """Reads /people with a bearer token through the session the core hands it."""

    capabilities = frozenset({"people", "activity"})

    def __init__(self, context: PluginContext[TokenSettings]) -> None:
        self.name = context.name
        self.session = context.http(base_url=context.settings.url)
        self.session.headers["Authorization"] = (
            f"Bearer {context.settings.token.get_secret_value()}"
        )

    def people(self) -> Iterator[Person]:
        response = self.session.get("/people")
        for row in json_or_error(response, connector=self.name):
            yield Person(platform="token", person_id=row["id"])

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        yield Activity(
            day=window.start,
            platform="token",
            person_id="p1",
            action=Action.VISIT,
            feature=Feature.SITE,
            count=1,
        )
        yield Checkpoint(stream="visits", value="1")

    def close(self) -> None:
        self.session.close()


TOKEN_CONNECTOR = ConnectorType(name="token", settings=TokenSettings, factory=TokenConnector)


@pytest.fixture
def token_server() -> Iterator[LoopbackServer]:
    router = Router()
    calls = {"n": 0}

    @router.route("GET", "/people")
    def people(req: Request) -> Response:
        calls["n"] += 1
        if calls["n"] == 1:
            return Response.text("busy", 503)  # the real session retries
        if req.headers.get("authorization") != "Bearer tok-good-8d1f":
            return Response.json({"message": f"bad token {req.headers.get('authorization')}"}, 401)
        return Response.json([{"id": "p1"}, {"id": "p2"}])

    with LoopbackServer(router) as server:
        yield server


def test_run_connector_resolves_env_secrets_and_uses_the_real_session(
    token_server: LoopbackServer,
) -> None:
    table = {"url": token_server.url, "token_env": "TOKEN_VAR"}
    out = run_connector(TOKEN_CONNECTOR, table, window=WINDOW, env={"TOKEN_VAR": "tok-good-8d1f"})
    assert [p.person_id for p in out.people] == ["p1", "p2"]
    assert [r.status for r in token_server.requests] == [503, 200]  # retried by the core
    assert out.bookmarks == {"visits": "1"}


def test_sleep_records_the_sessions_pauses_instead_of_waiting() -> None:
    router = Router()
    calls: list[int] = []

    @router.route("GET", "/people")
    def people(req: Request) -> Response:
        calls.append(1)
        if len(calls) == 1:
            return Response.text("slow down", 429, headers={"Retry-After": "30"})
        return Response.json([{"id": "p1"}])

    pauses: list[float] = []
    with LoopbackServer(router) as server:
        out = run_connector(
            TOKEN_CONNECTOR,
            {"url": server.url, "token_env": "T"},
            window=WINDOW,
            env={"T": "tok-good-8d1f"},
            http={"backoff_max_s": 60},  # FAST_HTTP caps every pause at 0.02 s
            sleep=pauses.append,
        )
    assert [p.person_id for p in out.people] == ["p1"]
    assert max(pauses) == pytest.approx(30.0)  # Retry-After honoured, yet nobody waited


def test_a_rejected_secret_is_masked_in_the_error(token_server: LoopbackServer) -> None:
    table = {"url": token_server.url, "token_env": "TOKEN_VAR"}
    with pytest.raises(ConnectorAuthError) as caught:
        run_connector(TOKEN_CONNECTOR, table, window=WINDOW, env={"TOKEN_VAR": "tok-bad-77aa"})
    assert "tok-bad-77aa" not in str(caught.value)


def test_settings_are_validated_and_secrets_required_as_in_a_config_file() -> None:
    with pytest.raises(ConfigError, match="TOKEN_VAR"):
        build_connector(TOKEN_CONNECTOR, {"url": "http://x", "token_env": "TOKEN_VAR"})
    with pytest.raises(ConfigError, match="must not hold a secret"):
        build_connector(TOKEN_CONNECTOR, {"url": "http://x", "token": "inline"})


def test_build_notifier_and_kit_notifier_build_the_configured_notifier(tmp_path: Path) -> None:
    message = Message(key="k1", recipient=Recipient(member_key="m"), subject="Hi", body="b")
    log = build_notifier(LOG_NOTIFIER, {"path": str(tmp_path / "sent.jsonl")})
    log.send(message)
    assert log.was_sent(message) is True
    assert json.loads((tmp_path / "sent.jsonl").read_text())["key"] == "k1"
    kit = build_kit(tmp_path, notifiers={"dm": {"type": "log", "path": tmp_path / "dm.jsonl"}})
    notifier = kit_notifier(kit, "dm")
    assert notifier.was_sent(message) is False
    notifier.send(message)
    assert (tmp_path / "dm.jsonl").exists()
    kit.close()


def test_registrations_list_what_the_entry_points_register() -> None:
    found = registrations()
    assert {"csv"} <= set(found.connectors) and {"log"} <= set(found.notifiers)
    assert found.checks and all(check.id == key for key, check in found.checks.items())


def test_fake_check_context_filters_like_the_engine() -> None:
    def fact(day: int, action: Action, feature: Feature, count: int, platform: str = "wiki"):
        return Activity(
            day=dt.date(2026, 10, day),
            platform=platform,
            person_id="ignored",
            action=action,
            feature=feature,
            count=count,
        )

    ctx = FakeCheckContext(
        member_key="m7",
        joined_on=dt.date(2026, 10, 1),
        attributes={"wiki": {"avatar": True}},
        facts=[
            fact(2, Action.POST, Feature.WIKI, 2),
            fact(5, Action.REPLY, Feature.DISCUSSION, 3),
            fact(9, Action.POST, Feature.CHAT, 4, platform="chat"),
        ],
    )
    assert ctx.member_key == "m7" and ctx.joined_on == dt.date(2026, 10, 1)
    assert ctx.attributes("wiki") == {"avatar": True} and ctx.attributes("chat") == {}
    assert ctx.count() == 9
    assert ctx.count(platform="wiki") == 5
    assert ctx.count(actions={Action.POST}) == 6
    assert ctx.count(actions=()) == 9  # empty means any action, as in the engine
    assert ctx.count(feature=Feature.DISCUSSION) == 3
    assert ctx.count(since=dt.date(2026, 10, 5)) == 7  # inclusive


def test_assert_same_store_passes_on_equal_data_and_names_the_differing_table(
    tmp_path: Path,
) -> None:
    exports = write_exports(tmp_path / "exports")
    kits = [
        build_kit(
            tmp_path / name,
            connectors={"exports": {"type": "csv", "path": exports}},
            settings={"collect": {"lookback_days": 400}},
        )
        for name in ("a", "b")
    ]
    for kit in kits:
        assert kit.collect(today=TODAY).ok
    assert_same_store(*kits)
    snapshot = store_snapshot(kits[0], ignore_columns=("updated_at", "facts.source"))
    assert len(snapshot["facts"]) == 5 and len(snapshot["facts"][0]) == 7
    assert store_snapshot(kits[0]) != store_snapshot(kits[1])  # write times differ
    (exports / "activity.csv").write_text(
        (exports / "activity.csv").read_text().replace(",3\n", ",4\n"), encoding="utf-8"
    )
    assert kits[1].collect(today=TODAY).ok
    with pytest.raises(AssertionError, match=r"table facts: 5 rows vs 5.*only in the first"):
        assert_same_store(*kits)
    assert_same_store(*kits, ignore_tables=("facts", "bookmarks", *DEFAULT_IGNORE_TABLES))
    for kit in kits:
        kit.close()


def test_store_rows_names_the_tables_it_knows(tmp_path: Path) -> None:
    with build_kit(tmp_path) as kit:
        with pytest.raises(KeyError, match=r"no table 'fact'.*facts"):
            store_rows(kit, "fact")
        assert store_rows(kit.store_url, "facts") == []
        assert fact_totals(kit.engine) == {} and people_totals(kit) == {}


def test_write_config_writes_paths_as_text_and_leaves_out_unset_values(tmp_path: Path) -> None:
    path = write_config(
        tmp_path,
        connectors={"exports": {"type": "csv", "path": tmp_path / "x", "delimiter": None}},
        settings={"organisation": {"timezone": "Europe/Berlin"}},
    )
    written = tomllib.loads(path.read_text(encoding="utf-8"))
    assert written["connectors"] == {"exports": {"type": "csv", "path": str(tmp_path / "x")}}
    assert written["organisation"] == {"timezone": "Europe/Berlin"}
    assert written["store"]["url"].startswith("sqlite:///") and path.name == "e20kit.toml"
    assert write_config(tmp_path).name == "e20kit-1.toml"


class Roster(BaseModel):
    pass


class RosterConnector:
    """Two accounts, one of them deactivated."""

    capabilities = frozenset({"people"})

    def __init__(self, context: PluginContext[Roster]) -> None:
        pass

    def people(self) -> Iterator[Person]:
        yield Person(platform="hr", person_id="1", email="a@example.org")
        yield Person(platform="hr", person_id="2", email="b@example.org", active=False)

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        return iter(())

    def close(self) -> None:
        pass


class RosterPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="roster", settings=Roster, factory=RosterConnector)]


def test_people_totals_can_count_active_accounts_only(tmp_path: Path) -> None:
    with build_kit(
        tmp_path, connectors={"hr": {"type": "roster"}}, plugins=[RosterPlugin()]
    ) as kit:
        assert kit.collect(today=TODAY).ok
        assert people_totals(kit) == {"hr": 2}
        assert people_totals(kit, active_only=True) == {"hr": 1}


def test_run_cli_runs_the_command_line_on_the_kits_config(tmp_path: Path) -> None:
    exports = write_exports(tmp_path / "exports")
    with build_kit(
        tmp_path,
        connectors={"exports": {"type": "csv", "path": exports}},
        settings={"collect": {"lookback_days": 400}},
    ) as kit:
        result = run_cli("--json", "collect", "--today", "2026-10-25", kit=kit)
        assert result.exit_code == 0, result.output
        assert json.loads(result.stdout)["facts_written"] == 5
        assert fact_totals(kit)[("csv", "post")] == 7
    plain = run_cli("--json", "plugins")
    assert plain.exit_code == 0 and "builtin" in plain.stdout
    assert run_cli("no-such-command").exit_code == 2


def test_build_context_is_the_context_a_factory_gets(token_server: LoopbackServer) -> None:
    context = build_context(
        TokenSettings,
        {"url": token_server.url, "token_env": "T"},
        env={"T": "tok-ctx-5e6f"},
        name="wiki",
        section="notifiers",
    )
    assert context.name == "wiki" and context.settings.token.get_secret_value() == "tok-ctx-5e6f"
    session = context.http(base_url=token_server.url)
    assert "tok-ctx-5e6f" in getattr(session, "secrets", ())
    session.close()
