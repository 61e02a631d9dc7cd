"""Scores: raw signals from stored facts, normalisation, weights, plugin signals, explain."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from e20kit import ChampionSignal, PluginError, SignalContext, hookimpl

from .conftest import OrgKit
from .helpers import NOW, TODAY, add_fact, add_member, make_kit


def test_explain_parts_sum_to_the_score(org_kit: OrgKit) -> None:
    scores = org_kit.kit.champions.scores(now=org_kit.now)
    assert len(scores) > 100
    for score in scores:
        assert sum(p.part for p in score.parts) == score.score
        for part in score.parts:
            assert 0.0 <= part.normalised <= 1.0
            assert part.part == pytest.approx(part.normalised * part.weight)
    email = org_kit.org.power_users[0]
    explained = org_kit.kit.champions.explain(email, now=org_kit.now)
    assert explained.member_key == org_kit.key(email)
    assert [p.name for p in explained.parts] == [
        "contributions",
        "helping",
        "breadth",
        "consistency",
        "recency",
    ]
    assert sum(p.part for p in explained.parts) == pytest.approx(explained.score)
    assert explained.score > 0.8


def test_raw_signals_from_facts(tmp_path: Path, store_url: str) -> None:
    kit = make_kit(tmp_path, store_url, "consistency_weeks = 4\nrecency_days = 10")
    add_member(kit.engine, "a", "Sales")
    add_member(kit.engine, "b", "Sales")
    add_member(kit.engine, "idle", "Sales")
    add_member(kit.engine, "gone", "Sales", active=False)
    add_fact(kit.engine, "a", TODAY, "post", 5, "chan-1")
    add_fact(kit.engine, "a", TODAY - dt.timedelta(days=8), "reply", 3, "chan-2")
    add_fact(kit.engine, "a", TODAY - dt.timedelta(days=9), "view", 40, "space-1")
    add_fact(kit.engine, "a", TODAY - dt.timedelta(days=200), "post", 99, "old")  # outside
    add_fact(kit.engine, "b", TODAY - dt.timedelta(days=5), "comment", 1, "space-1")
    add_fact(kit.engine, "gone", TODAY, "post", 500, "chan-1")
    scores = {s.member_key: s for s in kit.champions.scores(now=NOW)}
    assert set(scores) == {"a", "b", "idle"}, "inactive members are not scored"
    raw = {k: {p.name: p.raw for p in s.parts} for k, s in scores.items()}
    assert raw["a"] == {
        "contributions": 8.0,
        "helping": 3.0,
        "breadth": 3.0,
        "consistency": 2.0,
        "recency": 0.0,
    }
    assert raw["b"] == {
        "contributions": 1.0,
        "helping": 1.0,
        "breadth": 1.0,
        "consistency": 1.0,
        "recency": 5.0,
    }
    assert raw["idle"]["recency"] is None and scores["idle"].score == 0.0
    norm = {p.name: p.normalised for p in scores["a"].parts}
    assert norm["contributions"] == 1.0 and norm["consistency"] == 0.5
    assert {p.name: p.normalised for p in scores["b"].parts}["recency"] == pytest.approx(0.5)
    assert [s.member_key for s in kit.champions.scores(now=NOW)] == ["a", "b", "idle"]


def test_weights_come_from_config(tmp_path: Path, store_url: str) -> None:
    weights = "[champions.weights]\ncontributions = 0\nhelping = 1\nbreadth = 0\n"
    weights += "consistency = 0\nrecency = 0\n"
    kit = make_kit(tmp_path, store_url, extra=weights)
    add_member(kit.engine, "writer", "Sales")
    add_member(kit.engine, "helper", "Sales")
    add_fact(kit.engine, "writer", TODAY, "create", 50, "space-1")
    add_fact(kit.engine, "helper", TODAY, "reply", 2, "chan-1")
    ranked = kit.champions.scores(now=NOW)
    assert [s.member_key for s in ranked] == ["helper", "writer"]
    assert ranked[0].score == 1.0 and ranked[1].score == 0.0


class TrainerSignal:
    """A plugin adding a signal; records the context it was given."""

    def __init__(self, values: Mapping[str, object]) -> None:
        self.values = values
        self.seen: list[SignalContext] = []

    @hookimpl
    def e20kit_champion_signals(self) -> Iterator[ChampionSignal]:
        def compute(ctx: SignalContext) -> Mapping[str, float]:
            self.seen.append(ctx)
            return self.values  # type: ignore[return-value]

        yield ChampionSignal(name="trainer", compute=compute, weight=0.5)


def test_plugin_signals_add_to_the_score(tmp_path: Path, store_url: str) -> None:
    plugin = TrainerSignal({"b": 1.0})
    kit = make_kit(tmp_path, store_url, "window_days = 30", plugins=[plugin])
    add_member(kit.engine, "a", "Sales")
    add_member(kit.engine, "b", "Sales")
    add_fact(kit.engine, "a", TODAY, "post", 1, "c")
    explained = kit.champions.explain("b", now=NOW)
    trainer = explained.parts[-1]
    assert (trainer.name, trainer.raw, trainer.normalised, trainer.weight) == (
        "trainer",
        1.0,
        1.0,
        0.5,
    )
    assert explained.score == 0.5 == sum(p.part for p in explained.parts)
    ctx = plugin.seen[-1]
    assert set(ctx.member_keys) == {"a", "b"}
    assert ctx.window.end == TODAY + dt.timedelta(days=1) and ctx.window.days == 30
    assert ctx.engine is kit.engine
    weighted = make_kit(tmp_path, store_url, "[champions.signal_weights]\ntrainer = 2.0")
    weighted.plugins = kit.plugins
    assert weighted.champions.explain("b", now=NOW).score == 2.0


@pytest.mark.parametrize("bad", [1.5, -0.1, "high"])
def test_plugin_signal_out_of_range_is_a_plugin_error(
    tmp_path: Path, sqlite_url: str, bad: object
) -> None:
    kit = make_kit(tmp_path, sqlite_url, plugins=[TrainerSignal({"a": bad})])
    add_member(kit.engine, "a", "Sales")
    with pytest.raises(PluginError, match="trainer"):
        kit.champions.scores(now=NOW)


def test_explain_unknown_member(tmp_path: Path, sqlite_url: str) -> None:
    from e20kit.champions.roster import ChampionError

    kit = make_kit(tmp_path, sqlite_url)
    with pytest.raises(ChampionError, match=re.escape("no member matches 'n***@example.org'")):
        kit.champions.explain("nobody@example.org", now=NOW)
