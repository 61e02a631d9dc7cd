from __future__ import annotations

import logging
from pathlib import Path

import pytest

from e20kit import PluginError
from e20kit.plugins import Plugins, describe

from .distributions import (
    BROKEN_PLUGIN,
    DUPLICATE_PLUGIN,
    GOOD_PLUGIN,
    WRONG_TYPE_PLUGIN,
    make_distribution,
)


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delenv("E20KIT_DISABLE_PLUGINS", raising=False)
    return folder


def test_builtin_plugin_is_loaded_through_its_entry_point() -> None:
    plugins = Plugins()
    info = {p.name: p for p in plugins.info()}
    assert info["builtin"].distribution == "e20kit"
    assert "e20kit_connectors" in info["builtin"].hooks
    assert "csv" in plugins.connector_types() and "log" in plugins.notifier_types()


def test_third_party_distribution_is_loaded_with_its_version(site: Path) -> None:
    make_distribution(site, "e20kit-sample", "e20kit_sample_mod", GOOD_PLUGIN, "sample")
    plugins = Plugins()
    assert "sample" in plugins.connector_types()
    listed = {p["name"]: p for p in describe(plugins)}
    assert listed["sample"]["distribution"] == "e20kit-sample"
    assert listed["sample"]["version"] == "1.0"
    assert listed["sample"]["hooks"] == ["e20kit_connectors"]


def test_broken_plugin_is_reported_and_skipped(
    site: Path, caplog: pytest.LogCaptureFixture
) -> None:
    make_distribution(site, "e20kit-sample", "e20kit_sample_mod", GOOD_PLUGIN, "sample")
    make_distribution(site, "e20kit-broken", "e20kit_broken_mod", BROKEN_PLUGIN, "broken")
    with caplog.at_level(logging.WARNING):
        plugins = Plugins()
        types = plugins.connector_types()
    assert {"csv", "sample"} <= set(types)
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "'broken'" in warnings[0] and "e20kit-broken" in warnings[0] and "libfoo" in warnings[0]
    assert [f.name for f in plugins.failures] == ["broken"]


def test_strict_makes_a_broken_plugin_fatal(site: Path) -> None:
    make_distribution(site, "e20kit-broken", "e20kit_broken_mod", BROKEN_PLUGIN, "broken")
    with pytest.raises(PluginError, match="e20kit-broken"):
        Plugins(strict=True).connector_types()


def test_disable_plugins_environment_variable(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    make_distribution(site, "e20kit-sample", "e20kit_sample_mod", GOOD_PLUGIN, "sample")
    monkeypatch.setenv("E20KIT_DISABLE_PLUGINS", "sample")
    assert "sample" not in Plugins().connector_types()


def test_duplicate_names_are_rejected_naming_both_plugins(site: Path) -> None:
    make_distribution(site, "e20kit-dup", "e20kit_dup_mod", DUPLICATE_PLUGIN, "dup")
    with pytest.raises(
        PluginError, match=r"'csv' is registered twice.*'builtin'.*'dup'|'dup'.*'builtin'"
    ):
        Plugins().connector_types()


def test_wrong_registration_type_is_rejected(site: Path) -> None:
    make_distribution(site, "e20kit-wrong", "e20kit_wrong_mod", WRONG_TYPE_PLUGIN, "wrong")
    with pytest.raises(
        PluginError, match="returned dict from e20kit_connectors; expected ConnectorType"
    ):
        Plugins().connector_types()


def test_plugin_manager_is_lazy() -> None:
    plugins = Plugins()
    assert plugins._pm is None  # nothing loaded until first use
    plugins.connector_types()
    assert plugins._pm is not None


def test_a_raising_event_listener_does_not_silence_the_others(
    caplog: pytest.LogCaptureFixture,
) -> None:
    import datetime as dt

    from e20kit import StepCompleted, hookimpl

    heard: list[str] = []

    class Loud:
        @hookimpl
        def e20kit_step_completed(self, event: StepCompleted) -> None:
            raise RuntimeError("congratulations service is down")

    class Quiet:
        @hookimpl
        def e20kit_step_completed(self, event: StepCompleted) -> None:
            heard.append(event.step)

    event = StepCompleted("m", "newcomers", "first_post", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    plugins = Plugins(extra=(Quiet(), Loud()), load_entry_points=False)
    plugins.step_completed(event)
    assert heard == ["first_post"]
    assert "congratulations service is down" in caplog.text
    with pytest.raises(PluginError, match="congratulations"):
        Plugins(extra=(Quiet(), Loud()), load_entry_points=False, strict=True).step_completed(event)
    assert heard == ["first_post", "first_post"]
