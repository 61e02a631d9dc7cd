"""No data is a finding, not health: empty sources warn, missing sources are config errors."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from click.testing import CliRunner
from pydantic import BaseModel

from e20kit import (
    ActivityItem,
    ConnectorContext,
    ConnectorFatalError,
    ConnectorType,
    Kit,
    Person,
    Reason,
    Stream,
    Streams,
    Window,
    hookimpl,
)
from e20kit.cli import main
from e20kit.results import CollectResult, ConnectorRun

from .helpers import PEOPLE, write_config, write_exports

ENV = {"E20KIT_PSEUDONYM_SECRET": "a-test-secret-of-32-bytes-length"}
DAY = dt.date(2026, 10, 25)


def kit_for(tmp_path: Path, exports: Path, *plugins: object, extra: str = "") -> Kit:
    config = write_config(tmp_path / "e20kit.toml", exports=exports, extra=extra)
    return Kit.from_config(config, env=ENV, plugins=plugins, store_url=f"sqlite:///{tmp_path}/s.db")


def test_a_missing_csv_folder_is_a_config_error_naming_the_key(tmp_path: Path) -> None:
    with kit_for(tmp_path, tmp_path / "nowhere") as kit:
        run = kit.collect(today=DAY).runs[0]
    assert run.error_type == "ConfigError"
    assert "connectors.exports.path" in (run.error or "") and "does not exist" in (run.error or "")
    assert run.config_error


def test_collect_with_a_missing_csv_folder_exits_2_naming_the_key(tmp_path: Path) -> None:
    config = write_config(tmp_path / "e20kit.toml", exports=tmp_path / "nowhere")
    db = f"sqlite:///{tmp_path}/s.db"
    result = CliRunner().invoke(main, ["-c", str(config), "--db", db, "collect"], env=ENV)
    assert result.exit_code == 2, result.output
    assert "exports: FAILED: config error: connectors.exports.path" in result.output
    assert "does not exist" in result.output


@pytest.mark.parametrize(
    ("runs", "code"),
    [
        ([ConnectorRun("a")], 0),
        ([ConnectorRun("a", error="down")], 6),
        ([ConnectorRun("a", error="down", people=3)], 7),
        ([ConnectorRun("a", error="no folder", config_error=True)], 2),
        # a config error wins over a platform failure: only fixing the config cures it
        ([ConnectorRun("a", error="down"), ConnectorRun("b", error="x", config_error=True)], 2),
        ([ConnectorRun("a", error="down", people=3), ConnectorRun("b", error="down")], 6),
    ],
)
def test_collect_exit_codes(runs: list[ConnectorRun], code: int) -> None:
    result = CollectResult(runs=runs)
    assert result.exit_code == code and result.as_dict()["exit_code"] == code


def test_an_empty_source_is_a_warning_not_health(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    with kit_for(tmp_path, tmp_path / "exports") as kit:
        result = kit.collect(today=DAY)
    assert result.ok
    assert [w.split(":")[1].strip() for w in result.warnings] == ["no people", "no activity facts"]
    assert result.as_dict()["connectors"][0]["warnings"] == result.runs[0].warnings


def test_a_source_with_data_has_no_warning_and_an_unchanged_rerun_neither(tmp_path: Path) -> None:
    with kit_for(tmp_path, write_exports(tmp_path / "exports")) as kit:
        assert kit.collect(today=DAY).warnings == []
        again = kit.collect(today=DAY)  # the file did not change: no facts, and none expected
    assert again.runs[0].facts_written == 0 and again.warnings == []


def test_collect_without_connectors_says_so_and_fails(tmp_path: Path) -> None:
    config = tmp_path / "bare.toml"
    config.write_text('[store]\nurl = "sqlite:///' + str(tmp_path / "s.db") + '"\n')
    result = CliRunner().invoke(main, ["-c", str(config), "collect"], env=ENV)
    assert result.exit_code == 2
    assert "no connector is configured" in result.output


def test_quiet_collect_still_prints_the_warnings(tmp_path: Path) -> None:
    (tmp_path / "exports").mkdir()
    config = write_config(tmp_path / "e20kit.toml", exports=tmp_path / "exports")
    db = f"sqlite:///{tmp_path}/s.db"
    result = CliRunner().invoke(main, ["-q", "-c", str(config), "--db", db, "collect"], env=ENV)
    assert result.exit_code == 0
    assert "exports: warning: no people" in result.output
    as_json = CliRunner().invoke(
        main, ["-c", str(config), "--db", db, "--json", "collect"], env=ENV
    )
    warnings = json.loads(as_json.output)["warnings"]
    assert [w.split(":")[1].strip() for w in warnings] == ["no people", "no activity facts"]


class Settings(BaseModel):
    fail: bool = False


ROSTER = Stream("roster", required=True, provides="nothing")
EXTRAS = Stream("extras", required=False, provides="the extra attributes")


class PartlyThere:
    """People, then a required activity stream that fails when told to."""

    capabilities = frozenset({"people", "activity"})

    def __init__(self, context: ConnectorContext) -> None:
        assert isinstance(context.settings, Settings)
        self.fail = context.settings.fail
        self.streams = Streams(context.name)

    def people(self) -> Iterator[Person]:
        yield Person(platform="p", person_id="a", email="a@example.org")
        with self.streams.reading(EXTRAS):
            raise ConnectorFatalError("no", connector="p", endpoint="/extras", status=404)

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        with self.streams.reading(ROSTER):
            if self.fail:
                raise ConnectorFatalError("gone", connector="p", endpoint="/roster", status=500)
        return iter(())

    def close(self) -> None:
        pass


class PartlyPlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="partly", settings=Settings, factory=PartlyThere)]


def test_a_failed_required_stream_keeps_the_people_and_exits_partial(tmp_path: Path) -> None:
    exports = write_exports(tmp_path / "exports")
    extra = "[connectors.p]\ntype = 'partly'\nfail = true\n"
    with kit_for(tmp_path, exports, PartlyPlugin(), extra=extra) as kit:
        result = kit.collect(["p"], today=DAY)
    run = result.runs[0]
    assert run.status == "partial" and run.people == 1 and run.failed_stream == "roster"
    assert result.partial
    assert any("optional stream extras (/extras) unavailable: HTTP 404" in w for w in run.warnings)


def test_diagnose_on_an_empty_period_is_a_data_gap_with_its_exit_code(tmp_path: Path) -> None:
    people = [*PEOPLE, ("wiki", "w1", "w1@example.org", "W", "IT", "", "", "2024-01-01", "")]
    exports = write_exports(tmp_path / "exports", people=people)
    with kit_for(tmp_path, exports) as kit:
        kit.collect(today=DAY)
        october = kit.diagnose(period="month:2026-10")
        september = kit.diagnose(period="month:2026-09")
    assert [f.rule for f in october if f.reason is Reason.DATA_GAP] == ["data_gap.wiki"]
    assert [f.rule for f in september] == ["data_gap.no_facts"]
    assert september[0].title == "No data for this period"
    config = tmp_path / "e20kit.toml"
    db = f"sqlite:///{tmp_path}/s.db"
    args = ["-c", str(config), "--db", db]
    cli = CliRunner().invoke(main, [*args, "diagnose", "--period", "month:2026-09"], env=ENV)
    assert cli.exit_code == 8 and "No data for this period" in cli.output
    assert "no known reason" not in cli.output.lower()
    out = tmp_path / "r.md"
    cli = CliRunner().invoke(
        main,
        [*args, "report", "--format", "md", "--out", str(out), "--period", "month:2026-09"],
        env=ENV,
    )
    assert cli.exit_code == 8 and "No data for this period" in out.read_text()
