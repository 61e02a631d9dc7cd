"""The kit's services get their dependencies explicitly and need nothing they do not use."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from e20kit import ConfigError, Kit, OrgClock, load_config
from e20kit.champions.programme import ChampionsService
from e20kit.onboarding.api import OnboardingService
from e20kit.plugins import Plugins
from e20kit.privacy import Pseudonymiser
from e20kit.store import create_engine

NOW = dt.datetime(2026, 10, 26, 10, 0, tzinfo=dt.UTC)


def _config(tmp_path: Path, env: dict[str, str]) -> Kit:
    path = tmp_path / "e20kit.toml"
    path.write_text(f'[store]\nurl = "sqlite:///{tmp_path / "s.sqlite"}"\n', encoding="utf-8")
    return Kit(load_config(path, env=env))


def test_runs_that_name_nobody_need_no_pseudonymisation_secret(tmp_path: Path) -> None:
    with _config(tmp_path, env={}) as kit:
        assert kit.onboarding.run(dry_run=True, now=NOW).ok
        assert kit.onboarding.status().steps == []
        with pytest.raises(ConfigError, match=r"privacy\.champion_scoring"):
            kit.champions.nominate(dry_run=True, now=NOW, by="t")  # opt-in
        assert kit.champions.roster() == []
        with pytest.raises(ConfigError, match=r"privacy\.secret_env"):
            kit.onboarding.opt_out("someone@example.org")  # an address needs the secret


def test_a_service_is_built_from_its_dependencies_alone(tmp_path: Path) -> None:
    config = load_config(
        env={
            "E20KIT_PRIVACY__CHAMPION_SCORING": "true",
            "E20KIT_PRIVACY__ALLOW_INDIVIDUAL_VIEWS": "true",
        }
    )
    engine = create_engine(f"sqlite:///{tmp_path / 'alone.sqlite'}")
    keys = Pseudonymiser(b"secret")
    try:
        onboarding = OnboardingService(
            engine, config, Plugins(), lambda: keys, OrgClock("Europe/Berlin")
        )
        assert onboarding.opt_out("someone@example.org", "champions")
        champions = ChampionsService(engine, config, Plugins(), lambda: keys, OrgClock())
        assert champions.scores(now=NOW) == []
        assert onboarding.opt_in("someone@example.org") == 1
    finally:
        engine.dispose()
