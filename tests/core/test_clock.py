"""One clock: the organisation's time zone decides "today" for collect, run and reports."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from pydantic import BaseModel

from e20kit import (
    Activity,
    ActivityItem,
    ConfigError,
    ConnectorType,
    Kit,
    OrgClock,
    Person,
    PluginContext,
    Window,
    hookimpl,
    load_config,
)
from e20kit.plugins import Plugins

LATE = dt.datetime(2026, 3, 9, 23, 30, tzinfo=dt.UTC)
"""23:30 UTC on Monday 9 March: already 00:30 on Tuesday 10 March in Berlin."""
BERLIN_DAY = dt.date(2026, 3, 10)


def test_the_clock_takes_days_in_the_organisations_zone() -> None:
    berlin = OrgClock("Europe/Berlin").fixed(LATE)
    assert berlin.now() == LATE and berlin.now().tzinfo == dt.UTC
    assert berlin.today() == BERLIN_DAY
    assert OrgClock("UTC").fixed(LATE).today() == dt.date(2026, 3, 9)
    assert berlin.start_of(BERLIN_DAY) == dt.datetime(2026, 3, 9, 23, 0, tzinfo=dt.UTC)
    assert berlin.today(dt.datetime(2026, 3, 9, 22, 59)) == dt.date(2026, 3, 9)  # naive: UTC


def test_an_unknown_time_zone_is_a_config_error_naming_the_key(tmp_path: Path) -> None:
    config = tmp_path / "e20kit.toml"
    config.write_text('[organisation]\ntimezone = "Europe/Berlinn"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(config, env={})
    assert caught.value.key == "organisation.timezone"
    assert "Europe/Berlinn" in str(caught.value)


class ProbeSettings(BaseModel):
    pass


class Probe:
    """A connector that remembers the window it was asked for and reports one fact a day."""

    capabilities = frozenset({"people", "activity"})
    windows: list[Window] = []
    clocks: list[OrgClock] = []

    def people(self) -> Iterator[Person]:
        yield Person(platform="probe", person_id="p1", email="p1@example.org")

    def activity(self, window: Window, bookmarks: Mapping[str, str]) -> Iterator[ActivityItem]:
        self.windows.append(window)
        for offset in range(window.days):
            day = window.start + dt.timedelta(days=offset)
            yield Activity(
                day=day, platform="probe", person_id="p1", action="post", feature="chat", count=1
            )

    def close(self) -> None:
        pass


class ProbePlugin:
    @hookimpl
    def e20kit_connectors(self) -> list[ConnectorType]:
        return [ConnectorType(name="probe", settings=ProbeSettings, factory=self.make)]

    @staticmethod
    def make(context: PluginContext) -> Probe:
        Probe.clocks.append(context.clock)
        return Probe()


def _kit(tmp_path: Path, timezone: str, now: dt.datetime) -> Kit:
    config = tmp_path / "e20kit.toml"
    config.write_text(
        f'[organisation]\ntimezone = "{timezone}"\n'
        "[collect]\nlookback_days = 3\n"
        '[connectors.probe]\ntype = "probe"\n',
        encoding="utf-8",
    )
    loaded = load_config(config, env={"E20KIT_PSEUDONYM_SECRET": "clock-test-secret-16"})
    return Kit(
        loaded,
        plugins=Plugins(extra=(ProbePlugin(),)),
        store_url=f"sqlite:///{tmp_path / 'store.sqlite'}",
        clock=OrgClock(timezone).fixed(now),
    )


@pytest.mark.parametrize(("timezone", "day"), [("Europe/Berlin", BERLIN_DAY), ("UTC", LATE.date())])
def test_collect_run_and_report_agree_on_the_day_near_midnight(
    tmp_path: Path, timezone: str, day: dt.date
) -> None:
    Probe.windows, Probe.clocks = [], []
    with _kit(tmp_path, timezone, LATE) as kit:
        assert kit.collect().ok
        report = kit.report("json", tmp_path / "report.json", period="last-7d")
        cycle = kit.run_cycle(report_dir=tmp_path / "cycle", formats=("json",))
    collected, in_cycle = Probe.windows
    assert (
        collected
        == in_cycle
        == Window(start=day - dt.timedelta(days=3), end=day + dt.timedelta(days=1))
    )
    assert cycle.collect.ok
    # The connector got the kit's clock (pinned "now" included), not a UTC one of its own.
    assert [clock.today() for clock in Probe.clocks] == [day, day]
    assert {clock.timezone for clock in Probe.clocks} == {timezone}
    for path in (Path(str(report)), tmp_path / "cycle" / "report.json"):
        period = json.loads(path.read_text(encoding="utf-8"))["period"]
        assert period["end"] == day.isoformat()  # the complete days before the organisation's today
