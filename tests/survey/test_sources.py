"""The ``e20kit_survey_sources`` registration hook: collected like connectors and notifiers."""

from __future__ import annotations

import types
from collections.abc import Iterable
from pathlib import Path

import pytest
from pydantic import BaseModel

from e20kit import DataSource, PluginError, SurveySourceType, hookimpl
from e20kit.plugins import Plugins


class NoSettings(BaseModel):
    pass


def _source(name: str) -> SurveySourceType:
    return SurveySourceType(
        name=name,
        settings=NoSettings,
        factory=lambda context: None,  # type: ignore[arg-type,return-value]
        data_sources=(DataSource("GET /x", "a key", "answers"),),
    )


def _plugin(module: str, *items: object) -> types.ModuleType:
    plugin = types.ModuleType(module)

    @hookimpl
    def e20kit_survey_sources() -> Iterable[object]:
        return list(items)

    plugin.e20kit_survey_sources = e20kit_survey_sources  # type: ignore[attr-defined]
    return plugin


def test_sources_of_every_plugin_are_collected() -> None:
    plugins = Plugins(
        extra=(_plugin("a", _source("pulse")), _plugin("b", _source("forms"))),
        load_entry_points=False,
    )
    assert sorted(plugins.survey_source_types()) == ["forms", "pulse"]


def test_a_name_registered_twice_names_both_plugins() -> None:
    plugins = Plugins(
        extra=(_plugin("first", _source("pulse")), _plugin("second", _source("pulse"))),
        load_entry_points=False,
    )
    with pytest.raises(PluginError, match=r"'pulse' is registered twice") as err:
        plugins.survey_source_types()
    assert "'first'" in str(err.value) and "'second'" in str(err.value)


def test_something_else_than_a_source_type_is_refused() -> None:
    plugins = Plugins(extra=(_plugin("odd", "limesurvey"),), load_entry_points=False)
    with pytest.raises(PluginError, match="expected SurveySourceType"):
        plugins.survey_source_types()


def test_plugins_command_lists_survey_sources() -> None:
    import json

    from click.testing import CliRunner

    from e20kit.cli import main

    result = CliRunner().invoke(main, ["--json", "plugins"])
    assert result.exit_code == 0
    assert "csv" in json.loads(result.stdout)["survey_sources"]


def test_inventory_lists_survey_tables_and_the_csv_source(tmp_path: Path) -> None:
    from e20kit import Kit

    with Kit.from_config(None, store_url=f"sqlite:///{tmp_path / 's.sqlite'}", env={}) as kit:
        doc = kit.privacy.inventory(lang="en")
    tables = {t["name"]: t for t in doc["tables"]}
    assert tables["survey_responses"]["category"] == "anonymous"
    assert tables["survey_responses"]["holds"] == []  # `reason` holds a key, not free text
    assert tables["survey_invitations"]["category"] == "pseudonymous"
    assert tables["survey_waves"]["category"] == "technical"
    (csv,) = [s for s in doc["survey_sources"] if s["type"] == "csv"]
    assert "never read" in csv["data_sources"][0]["data"]
