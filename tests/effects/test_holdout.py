"""Randomised hold-outs in onboarding: drawn once, balanced per department, never re-drawn."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from onboarding.helpers import NOW, Recorder, add_member, days_ago

from e20kit.effects import registry
from e20kit.effects.draw import arm_at
from e20kit.errors import ConfigError
from e20kit.onboarding import progress
from e20kit.store import schema

from .holdout_helpers import DEPARTMENTS, arms, experiment_kit, populate


def test_holdouts_get_no_nudges_and_keep_their_checklist(tmp_path: Path, store_url: str) -> None:
    kit = experiment_kit(tmp_path, store_url)
    keys = populate(kit)
    kit.onboarding.opt_out("it-00", "all")
    keys.remove("it-00")
    recorder = Recorder()
    result = kit.onboarding.run(now=NOW, notifier=recorder)
    drawn = arms(kit)
    assert sorted(drawn) == sorted(keys)  # everyone but the member who opted out of all
    held = {k for k, (arm, _, _) in drawn.items() if arm == "hold-out"}
    nudged = {m.recipient.member_key for m in recorder.messages}
    assert nudged == set(keys) - held
    assert result.skipped["hold_out"] == len(held) == result.experiments["nudges-1"]
    with kit.engine.connect() as conn:
        stored = progress.load(conn, "newcomers")
    assert held <= set(stored)  # hold-outs are enrolled and tracked like everyone else
    # permuted blocks of 5 per department: each department within one block of 20 %
    for department, size in DEPARTMENTS.items():
        count = sum(
            1 for arm, stratum, _ in drawn.values() if stratum == department and arm == "hold-out"
        )
        assert (size - (department == "IT")) // 5 <= count <= size // 5 + 1


def test_rerun_never_redraws_and_audit_rederives(tmp_path: Path, store_url: str) -> None:
    kit = experiment_kit(tmp_path, store_url)
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    first = arms(kit)
    add_member(kit.engine, "late", days_ago(1), department="Sales")
    with kit.engine.begin() as conn:  # a department change must not move anyone's arm
        conn.execute(schema.members.update().values(department="Merged"))
    kit.onboarding.run(now=NOW + dt.timedelta(days=1), notifier=Recorder())
    second = arms(kit)
    assert {k: v for k, v in second.items() if k != "late"} == first
    assert second["late"][1] == "Merged" and second["late"][2] == 0
    with kit.engine.connect() as conn:
        assert registry.verify(conn, kit.config.settings.experiments[0]) == []
        starts = [
            e
            for e in conn.execute(sa.select(schema.audit_log.c.action, schema.audit_log.c.target))
            if e.action == registry.STARTED
        ]
    assert starts == [(registry.STARTED, "nudges-1")]
    experiment = kit.config.settings.experiments[0]
    assert all(arm_at(experiment, s, q) == a for a, s, q in second.values())


def test_crash_mid_run_leaves_no_draw_and_the_rerun_draws_the_same(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "clean").mkdir()
    clean = experiment_kit(tmp_path / "clean", f"sqlite:///{tmp_path / 'clean.sqlite'}")
    populate(clean)
    clean.onboarding.run(now=NOW, notifier=Recorder())
    expected = arms(clean)

    kit = experiment_kit(tmp_path, store_url)
    populate(kit)

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("power cut")

    monkeypatch.setattr(progress, "set_stalled", crash)
    with pytest.raises(RuntimeError):
        kit.onboarding.run(now=NOW, notifier=Recorder())
    assert arms(kit) == {}  # drawn and enrolled in one transaction: nothing half-stored
    monkeypatch.undo()
    later = NOW + dt.timedelta(hours=1)
    kit.onboarding.run(now=later, notifier=Recorder())
    assert arms(kit) == expected


def test_crash_after_the_draw_keeps_it(
    tmp_path: Path, store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    kit = experiment_kit(tmp_path, store_url)
    populate(kit)
    from e20kit.onboarding.nudges import NudgePlanner

    def crash(*args: object, **kwargs: object) -> None:
        raise RuntimeError("killed while nudging")

    monkeypatch.setattr(NudgePlanner, "nudge", crash)
    with pytest.raises(RuntimeError):
        kit.onboarding.run(now=NOW, notifier=Recorder())
    drawn = arms(kit)
    assert len(drawn) == sum(DEPARTMENTS.values())
    monkeypatch.undo()
    recorder = Recorder()
    kit.onboarding.run(now=NOW + dt.timedelta(hours=1), notifier=recorder)
    assert arms(kit) == drawn
    held = {k for k, (arm, _, _) in drawn.items() if arm == "hold-out"}
    assert not held & {m.recipient.member_key for m in recorder.messages}


def test_changing_the_question_after_the_first_draw_is_refused(
    tmp_path: Path, store_url: str
) -> None:
    kit = experiment_kit(tmp_path, store_url)
    populate(kit)
    kit.onboarding.run(now=NOW, notifier=Recorder())
    kit.close()
    changed = experiment_kit(tmp_path, store_url, planned=80)
    with pytest.raises(ConfigError, match="planned_size changed"):
        changed.onboarding.run(now=NOW, notifier=Recorder())
    with pytest.raises(ConfigError, match="new id"):
        changed.effects(today=NOW.date())


def test_dry_run_draws_the_same_but_stores_nothing(tmp_path: Path, store_url: str) -> None:
    kit = experiment_kit(tmp_path, store_url)
    populate(kit)
    dry = kit.onboarding.run(now=NOW, dry_run=True, notifier=Recorder())
    assert arms(kit) == {}
    with kit.engine.connect() as conn:
        assert (
            conn.execute(sa.select(sa.func.count()).select_from(schema.experiments)).scalar() == 0
        )
    real = kit.onboarding.run(now=NOW, notifier=Recorder())
    assert dry.skipped["hold_out"] == real.skipped["hold_out"]


def test_onboarding_summary_names_the_hold_out() -> None:
    from e20kit.cli.held import held_text

    assert (
        held_text({"hold_out": 3})
        == "3 held back (in an experiment's hold-out arm, docs/effects.md)"
    )
