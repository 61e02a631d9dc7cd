"""Every hook call goes through pluggy (tracing sees it); wrappers of per-plugin hooks: refused."""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from e20kit import (
    ChampionNominated,
    Person,
    PluginError,
    StepCompleted,
    hookimpl,
    hookspecs,
)
from e20kit.plugins import REGISTRATION_HOOKS, Plugins
from e20kit.testing import build_kit

from .helpers import write_exports

ALL_HOOKS = sorted(name for name in vars(hookspecs) if name.startswith("e20kit_"))


class Recorder:
    """Implements every hook and notes each call it receives."""

    def __init__(self) -> None:
        self.called: list[str] = []

    def _note(self, name: str) -> None:
        self.called.append(name)

    @hookimpl
    def e20kit_connectors(self) -> list[Any]:
        self._note("e20kit_connectors")
        return []

    @hookimpl
    def e20kit_checks(self) -> list[Any]:
        self._note("e20kit_checks")
        return []

    @hookimpl
    def e20kit_notifiers(self) -> list[Any]:
        self._note("e20kit_notifiers")
        return []

    @hookimpl
    def e20kit_champion_signals(self) -> list[Any]:
        self._note("e20kit_champion_signals")
        return []

    @hookimpl
    def e20kit_sandboxes(self) -> list[Any]:
        self._note("e20kit_sandboxes")
        return []

    @hookimpl
    def e20kit_publishers(self) -> list[Any]:
        self._note("e20kit_publishers")
        return []

    @hookimpl
    def e20kit_survey_sources(self) -> list[Any]:
        self._note("e20kit_survey_sources")
        return []

    @hookimpl
    def e20kit_enrich_person(self, person: Person) -> None:
        self._note("e20kit_enrich_person")

    @hookimpl
    def e20kit_diagnose(self, metrics: Any, lang: str) -> list[Any]:
        self._note("e20kit_diagnose")
        return []

    @hookimpl
    def e20kit_report_sections(self, metrics: Any, lang: str) -> list[Any]:
        self._note("e20kit_report_sections")
        return []

    @hookimpl
    def e20kit_collect_finished(self, result: Any) -> None:
        self._note("e20kit_collect_finished")

    @hookimpl
    def e20kit_step_completed(self, event: StepCompleted) -> None:
        self._note("e20kit_step_completed")

    @hookimpl
    def e20kit_champion_nominated(self, event: ChampionNominated) -> None:
        self._note("e20kit_champion_nominated")


def traced(caplog: pytest.LogCaptureFixture) -> set[str]:
    """Hook names the pluggy trace wrote (``hook: e20kit_x [hook]`` lines)."""
    text = "\n".join(r.getMessage() for r in caplog.records if r.name == "e20kit.plugins")
    return set(re.findall(r"hook: +(e20kit_\w+) \[hook\]", text))


@pytest.fixture
def tracing(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    monkeypatch.setenv("E20KIT_TRACE_HOOKS", "1")
    with caplog.at_level(logging.DEBUG, logger="e20kit.plugins"):
        yield


def test_recorder_covers_every_hookspec() -> None:
    assert sorted(n for n in dir(Recorder) if n.startswith("e20kit_")) == ALL_HOOKS


@pytest.mark.usefixtures("tracing")
def test_the_trace_shows_every_hook_the_facade_calls(caplog: pytest.LogCaptureFixture) -> None:
    recorder = Recorder()
    plugins = Plugins(extra=(recorder,), load_entry_points=False)
    plugins.connector_types()
    plugins.notifier_types()
    plugins.checks()
    plugins.champion_signals()
    plugins.sandboxes()
    plugins.publishers()
    plugins.survey_source_types()
    plugins.enrich_person(Person(platform="p", person_id="1"))
    plugins.diagnose(metrics=None, lang="en")  # type: ignore[arg-type]
    plugins.report_sections(metrics=None, context=SimpleNamespace(lang="en"))  # type: ignore[arg-type]
    plugins.collect_finished(result=None)  # type: ignore[arg-type]
    now = dt.datetime(2026, 10, 1, tzinfo=dt.UTC)
    plugins.step_completed(StepCompleted("m", "newcomers", "s", now))
    plugins.champion_nominated(ChampionNominated("m", None, 0.5))
    assert sorted(set(recorder.called)) == ALL_HOOKS
    assert traced(caplog) == set(ALL_HOOKS)


@pytest.mark.usefixtures("tracing")
def test_the_trace_of_a_collect_run_shows_every_hook_it_called(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    recorder = Recorder()
    exports = write_exports(tmp_path / "exports")
    with build_kit(
        tmp_path,
        connectors={"exports": {"type": "csv", "path": exports}},
        settings={"collect": {"lookback_days": 400}},
        plugins=[recorder],
    ) as kit:
        assert kit.collect(today=dt.date(2026, 10, 25)).ok
    called = set(recorder.called)
    assert {"e20kit_connectors", "e20kit_enrich_person", "e20kit_collect_finished"} <= called
    assert called <= traced(caplog)


def wrapping(hook: str, **marker: bool) -> object:
    """A plugin object implementing ``hook`` as a (new- or old-style) wrapper."""

    def impl(*args: Any, **kwargs: Any) -> Any:
        result = yield
        return result

    impl.__name__ = hook
    namespace = {hook: hookimpl(**marker)(impl), "__name__": "wrapping_plugin"}
    return type("WrappingPlugin", (), namespace)()


@pytest.mark.parametrize("hook", REGISTRATION_HOOKS)
@pytest.mark.parametrize("marker", [{"wrapper": True}, {"hookwrapper": True}])
def test_a_wrapper_on_a_registration_hook_is_refused_naming_the_plugin(
    hook: str, marker: dict[str, bool]
) -> None:
    plugins = Plugins(extra=(wrapping(hook, **marker),), load_entry_points=False)
    kind = next(iter(marker))
    with pytest.raises(PluginError, match=rf"'wrapping_plugin' implements {hook} with .*{kind}"):
        plugins.connector_types()


def test_a_wrapper_registered_later_is_refused_and_not_kept() -> None:
    plugins = Plugins(load_entry_points=False)

    class Sneaky:
        @hookimpl(wrapper=True)
        def e20kit_collect_finished(self, result: Any) -> Iterator[None]:
            yield

    with pytest.raises(PluginError, match="'sneaky' implements e20kit_collect_finished"):
        plugins.register(Sneaky(), name="sneaky")
    assert not plugins.manager.has_plugin("sneaky")


def test_a_wrapper_on_a_call_hook_still_works() -> None:
    seen: list[str] = []

    class Timing:
        @hookimpl(wrapper=True)
        def e20kit_enrich_person(self, person: Person) -> Iterator[None]:
            seen.append(person.person_id)
            return (yield)

    class Hr:
        @hookimpl
        def e20kit_enrich_person(self, person: Person) -> dict[str, str]:
            return {"department": "Research"}

    plugins = Plugins(extra=(Hr(), Timing()), load_entry_points=False)
    enriched = plugins.enrich_person(Person(platform="p", person_id="7"))
    assert enriched.department == "Research" and seen == ["7"]


def test_a_failing_registration_hook_still_names_its_plugin(
    caplog: pytest.LogCaptureFixture,
) -> None:
    class Broken:
        @hookimpl
        def e20kit_checks(self) -> list[Any]:
            raise RuntimeError("check table missing")

    plugins = Plugins(extra=(Broken(),), load_entry_points=False)
    assert plugins.checks() == {}
    assert "plugin 'extra-0' failed in e20kit_checks" in caplog.text
    with pytest.raises(PluginError, match="'extra-0' failed in e20kit_checks"):
        Plugins(extra=(Broken(),), load_entry_points=False, strict=True).checks()
