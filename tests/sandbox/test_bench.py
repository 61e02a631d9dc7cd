"""The benchmark fact stream: exact size, unique keys, deterministic, valid models."""

from __future__ import annotations

import collections
import inspect

from e20kit.models import Activity
from e20kit.sandbox import bench_people, facts_for_bench


def test_exact_size_unique_keys_and_deterministic() -> None:
    facts = list(facts_for_bench(50, 20, seed=1))
    assert len(facts) == 50 * 20
    assert all(isinstance(f, Activity) for f in facts)
    keys = {(f.day, f.person_id, f.platform, f.action, f.feature, f.container) for f in facts}
    assert len(keys) == len(facts)
    assert facts == list(facts_for_bench(50, 20, seed=1))
    assert facts != list(facts_for_bench(50, 20, seed=2))
    assert len({f.day for f in facts}) == 20


def test_mix_is_skewed_towards_readers_and_lively_containers() -> None:
    facts = list(facts_for_bench(100, 30))
    actions = collections.Counter(f.action.value for f in facts)
    assert actions.most_common(1)[0][0] == "view"
    containers = collections.Counter(f.container for f in facts if f.container)
    ranked = [n for _, n in containers.most_common()]
    assert ranked[0] > 3 * ranked[len(ranked) // 2]


def test_streams_lazily_and_people_match() -> None:
    assert inspect.isgenerator(facts_for_bench(10_000, 100))
    ids = {p.person_id for p in bench_people(30)}
    assert {f.person_id for f in facts_for_bench(30, 2)} == ids
