"""The synthetic organisation reacts to programmes with the effect planted, and only there."""

from __future__ import annotations

import pytest

from e20kit.sandbox import Programme, build_org, effect_size


def active_days(org, email: str) -> int:  # type: ignore[no-untyped-def]
    return len({e.day for e in org.events(email)})


def test_nudged_newcomers_react_everyone_else_is_unchanged() -> None:
    org = build_org(5, members=300, days=120)
    newcomers = [p.email for p in org.newcomers if p.active]
    nudged = frozenset(newcomers[::2])
    planted = org.with_programme(Programme(nudged=nudged, nudge_effect=effect_size("large")))
    for person in org.people:
        before, after = active_days(org, person.email), active_days(planted, person.email)
        if person.email in nudged:
            assert after >= before
        else:
            assert org.events(person.email) == planted.events(person.email)
    gained = sum(active_days(planted, e) - active_days(org, e) for e in nudged)
    assert gained > 2 * len(nudged)  # several more active days each, on average


def test_rollout_reaches_a_department_from_its_start_only() -> None:
    org = build_org(5, members=200, days=90)
    department = org.departments[1]
    start = org.start + (org.end - org.start) / 2
    planted = org.with_programme(Programme(rollout={department: (start, 0.15)}))
    for person in org.people:
        before, after = org.events(person.email), planted.events(person.email)
        assert [e for e in before if e.day < start] == [e for e in after if e.day < start]
        if person.department != department:
            assert before == after


def test_effect_sizes_are_named_or_shares() -> None:
    assert effect_size("none") == 0.0 < effect_size("small") < effect_size("large")
    with pytest.raises(ValueError):
        effect_size("huge")
    with pytest.raises(ValueError):
        effect_size(1.5)
