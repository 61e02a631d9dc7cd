"""Staggered rollouts: the stepped-wedge planner, the intervention log and the estimate, shown
on a sandbox organisation that reacts to the remedy with an effect planted per department."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.config import Config, Settings
from e20kit.effects.rollout import plan
from e20kit.errors import ConfigError
from e20kit.sandbox import Org, Programme, build_org, effect_size
from e20kit.store import schema

NOW = dt.datetime(2026, 11, 2, 9, tzinfo=dt.UTC)


def load(kit: Kit, org: Org) -> None:
    """The organisation's members and facts straight into the store (keys are e-mails)."""
    with kit.engine.begin() as conn:
        conn.execute(
            schema.members.insert(),
            [
                {
                    "member_key": p.email,
                    "department": p.department,
                    "joined_on": p.joined_on,
                    "active": p.active,
                    "updated_at": NOW,
                }
                for p in org.people
            ],
        )
        rows = [
            {
                "day": e.day,
                "member_key": m.email,
                "platform": e.platform,
                "action": e.action.value,
                "feature": e.feature.value,
                "container": e.container or "",
                "count": e.count,
                "source": "sandbox",
            }
            for m, e in org.iter_events()
        ]
        conn.execute(schema.facts.insert(), rows)


def rollout_kit(tmp_path: Path, effect: str) -> tuple[Kit, list[str]]:
    org = build_org(11, members=400, departments=8, days=140)
    first = org.start + dt.timedelta(days=(7 - org.start.weekday()) % 7 + 35)
    starts = plan(org.departments, seed="wiki-2026", start=first, step_weeks=1)
    lift = effect_size(effect)
    planted = org.with_programme(
        Programme(rollout={s.department: (s.from_day, lift) for s in starts})
    )
    kit = Kit(Config(Settings(), path=None, env={}), store_url=f"sqlite:///{tmp_path / 's.db'}")
    load(kit, planted)
    logged = kit.effects.plan(
        seed="wiki-2026", start=first, step_weeks=1, log_as="wiki training", now=NOW
    )
    assert [(s.department, s.from_day) for s in logged] == [
        (s.department, s.from_day) for s in starts
    ]
    return kit, list(org.departments)


def test_planner_is_reproducible_and_randomises_the_order() -> None:
    departments = [f"D{i}" for i in range(8)]
    first = plan(departments, seed="a", start=dt.date(2026, 1, 5), step_weeks=2, per_step=2)
    assert first == plan(
        list(reversed(departments)), seed="a", start=dt.date(2026, 1, 5), step_weeks=2, per_step=2
    )
    assert [s.department for s in first] != [
        s.department for s in plan(departments, seed="b", start=dt.date(2026, 1, 5))
    ]
    days = [s.from_day for s in first]
    assert days == sorted(days) and len(set(days)) == 4
    with pytest.raises(ConfigError):
        plan([], seed="a", start=dt.date(2026, 1, 5))


def test_planted_effect_is_found_with_an_honest_interval(tmp_path: Path) -> None:
    kit, departments = rollout_kit(tmp_path, "large")
    (result,) = kit.effects(today=NOW.date()).rollouts
    assert result.design == "randomised order"
    assert result.departments == len(departments) == result.started
    assert result.effect is not None and result.effect.low > 0.02
    assert result.effect.high < 0.25
    assert result.pre_trend_ok
    assert "randomised order" in result.sentence() and "Punkte" in result.sentence("de")


def test_no_effect_planted_no_effect_claimed(tmp_path: Path) -> None:
    kit, _ = rollout_kit(tmp_path, "none")
    (result,) = kit.effects(today=NOW.date()).rollouts
    assert result.effect is not None
    assert result.effect.low < 0 < result.effect.high


def test_cli_log_and_plan(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    runner = CliRunner()
    out = runner.invoke(
        main,
        [
            "--db",
            db,
            "effects",
            "plan",
            "--seed",
            "s1",
            "--start",
            "2026-01-05",
            "-d",
            "Sales,IT",
            "-d",
            "HR",
            "--json",
        ],
    )
    assert out.exit_code == 0, out.output
    assert sorted(s["department"] for s in json.loads(out.output)) == ["HR", "IT", "Sales"]
    out = runner.invoke(
        main,
        [
            "--db",
            db,
            "effects",
            "log",
            "--what",
            "info session",
            "-d",
            "Sales",
            "--from",
            "2026-02-01",
        ],
    )
    assert out.exit_code == 0, out.output
    kit = Kit(Config(Settings(), path=None, env={}), store_url=db)
    with kit.engine.connect() as conn:
        rows = list(
            conn.execute(sa.select(schema.interventions.c.what, schema.interventions.c.design))
        )
    assert rows == [("info session", "observational")]
    bad = runner.invoke(
        main, ["--db", db, "effects", "log", "--what", "x", "-d", "A", "--from", "soon"]
    )
    assert bad.exit_code == 2
