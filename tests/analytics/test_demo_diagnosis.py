"""End to end: the demo's real connectors, loopback fakes and onboarding engine feed the playbook.

Each preset of the synthetic organisation yields exactly its own finding and the healthy one
none, through the same path as ``e20kit demo`` (the onboarding funnel included).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from e20kit.demo import run_demo
from e20kit.findings import Reason

pytestmark = pytest.mark.slow

EXPECTED = {
    "healthy": [],
    "closed_culture": [Reason.CLOSED_CULTURE],
    "unclear_benefit": [Reason.UNCLEAR_BENEFIT],
    "complicated": [Reason.COMPLICATED],
    "no_time": [Reason.NO_TIME],
    "too_little_training": [Reason.TRAINING],
}


@pytest.mark.parametrize("preset", sorted(EXPECTED))
def test_demo_finds_exactly_the_preset_reason(preset: str, tmp_path: Path) -> None:
    result = run_demo(tmp_path / "demo", preset=preset)
    assert [f.reason for f in result.cycle.findings] == EXPECTED[preset]
    if preset == "too_little_training":  # onboarding has data here: the funnel decides
        assert result.cycle.findings[0].rule == "training.onboarding.stall_share"
