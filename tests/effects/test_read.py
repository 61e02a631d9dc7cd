"""Reading an experiment: inconclusive until the planned size reaches the horizon, then the
difference with its interval; arms below k hidden; ``e20kit effects --json``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from onboarding.helpers import NOW, SECRET, Recorder, add_fact

from e20kit import Kit
from e20kit.cli import main

from .holdout_helpers import arms, experiment_kit, populate


def activity(kit: Kit, rate: dict[str, float]) -> None:
    """Members of each arm active in week 4 at the given rate (deterministically)."""
    drawn = arms(kit)
    seen: dict[str, int] = {}
    for key, (arm, _, _) in sorted(drawn.items()):
        seen[arm] = seen.get(arm, 0) + 1
        members = sum(1 for a, _, _ in drawn.values() if a == arm)
        if seen[arm] <= round(rate[arm] * members):
            add_fact(kit.engine, key, NOW.date() + dt.timedelta(days=24), "chat", "visit")


def test_result_waits_for_the_horizon_then_reads(tmp_path: Path, store_url: str) -> None:
    kit = experiment_kit(tmp_path, store_url, planned=42)
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    activity(kit, {"nudged": 0.9, "hold-out": 0.2})
    early = kit.effects(today=NOW.date() + dt.timedelta(days=20)).experiments[0]
    assert early.status == "inconclusive" and early.difference is None
    assert early.at_horizon == 0 and "0 of 42" in early.sentence()
    late = kit.effects(today=NOW.date() + dt.timedelta(days=28)).experiments[0]
    assert late.status == "conclusive"
    # counts of people leave through the disclosure layer (perturbed by at most a little)
    nudged, held = late.arms
    assert abs(late.at_horizon - 42) <= 2 and abs(late.members - 42) <= 2
    assert abs(nudged.members - 33) <= 2 and abs(held.members - 9) <= 2
    assert nudged.rate == pytest.approx(30 / 33) and held.rate == pytest.approx(2 / 9)
    assert held.reached in (1, 3)  # 2 of 9: a count within the arm, perturbed, never a false 0
    assert late.difference is not None and late.difference.low > 0.3
    assert late.adjusted is not None and late.adjusted.low > 0.3
    assert late.sentence().startswith("Nudges: +")
    assert f"{late.members} newcomers; randomised" in late.sentence()
    assert "Punkte aktiv in Woche 4" in late.sentence("de")


def test_arms_below_k_are_not_shown(tmp_path: Path, store_url: str) -> None:
    kit = experiment_kit(tmp_path, store_url, planned=42)
    kit = Kit(
        kit.config.__class__(
            kit.config.settings.model_copy(
                update={
                    "privacy": kit.config.settings.privacy.model_copy(update={"min_group_size": 10})
                }
            ),
            path=kit.config.path,
            env=kit.config.env,
        ),
        store_url=kit.store_url,
    )
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    result = kit.effects(today=NOW.date() + dt.timedelta(days=30)).experiments[0]
    assert result.status == "suppressed" and result.arms == () and result.difference is None
    assert "too few" in result.sentence()


def test_cli_effects_json(tmp_path: Path, store_url: str) -> None:
    kit = experiment_kit(tmp_path, store_url, planned=42)
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    activity(kit, {"nudged": 0.9, "hold-out": 0.2})
    kit.close()
    out = CliRunner().invoke(
        main,
        [
            "-c",
            str(tmp_path / "e20kit.toml"),
            "--db",
            store_url,
            "--json",
            "effects",
            "--today",
            "2026-04-01",
        ],
        env={"E20KIT_PSEUDONYM_SECRET": SECRET},
    )
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    (experiment,) = data["experiments"]
    assert experiment["status"] == "conclusive" and experiment["design"] == "randomised"
    assert all(abs(a["members"] - n) <= 2 for a, n in zip(experiment["arms"], (33, 9), strict=True))
    human = CliRunner().invoke(
        main,
        [
            "-c",
            str(tmp_path / "e20kit.toml"),
            "--db",
            store_url,
            "effects",
            "--today",
            "2026-04-01",
            "--lang",
            "de",
        ],
        env={"E20KIT_PSEUDONYM_SECRET": SECRET},
    )
    assert "95-%-Intervall" in human.output


def test_an_arm_under_k_shows_neither_its_counts_nor_its_rate() -> None:
    """While an experiment fills, an arm of 3 (1 reached) and 4 drawn in all are figures of
    small groups: the arm's counts and rate and those at the horizon are withheld in the
    result, its JSON, the report's row and the sentence, never shown as 0 or as 1 of 3."""
    from e20kit.disclosure import Disclosure
    from e20kit.effects.report import rows
    from e20kit.effects.results import Arm, ExperimentResult
    from e20kit.effects.service import EffectsResult, publish

    filling = ExperimentResult(
        id="nudges",
        label="Nudges",
        programme="onboarding",
        outcome="active_last_week",
        horizon_days=28,
        planned_size=40,
        as_of=NOW.date(),
        status="inconclusive",
        assigned=None,
        at_horizon=4,
        arms=(Arm("nudged", 3, 1), Arm("hold-out", 1, 0)),
    )
    (shown,) = publish(EffectsResult(NOW.date(), [filling], []), Disclosure.unkeyed(5)).experiments
    assert all(not a.shown for a in shown.arms)
    assert [(a["members"], a["reached"], a["rate"]) for a in shown.as_dict()["arms"]] == [
        (None, None, None),
        (None, None, None),
    ]
    assert shown.at_horizon is None and "<k of 40" in shown.sentence()
    (row,) = rows(EffectsResult(NOW.date(), [shown], []))
    assert row["rate_with"] is None and row["rate_without"] is None
