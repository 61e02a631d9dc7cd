from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, SecretStr

from e20kit import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "e20kit.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file() -> None:
    config = load_config(env={})
    assert config.settings.privacy.pseudonymise is True
    assert config.settings.privacy.min_group_size == 5


def test_wrong_type_names_file_key_value_and_expectation(tmp_path: Path) -> None:
    path = write(tmp_path, "[privacy]\nmin_group_size = 'many'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    text = str(info.value)
    assert str(path) in text and "privacy.min_group_size" in text and "'many'" in text
    assert "integer" in text
    assert info.value.exit_code == 2
    assert info.value.key == "privacy.min_group_size"


def test_unknown_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[privacy]\nmin_group_sise = 3\n")
    with pytest.raises(ConfigError, match=r"privacy\.min_group_sise: unknown key"):
        load_config(path, env={})


def test_below_minimum_and_bad_timezone(tmp_path: Path) -> None:
    path = write(
        tmp_path, "[privacy]\nmin_group_size = 1\n[organisation]\ntimezone = 'Mars/Base'\n"
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    assert "privacy.min_group_size = 1" in str(info.value)
    assert "organisation.timezone = 'Mars/Base'" in str(info.value)


def test_invalid_toml_names_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[privacy\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, env={})


def test_missing_file() -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_config("/nonexistent/e20kit.toml", env={})


def test_environment_overrides_nested_keys(tmp_path: Path) -> None:
    path = write(tmp_path, "[privacy]\nmin_group_size = 7\n")
    config = load_config(path, env={"E20KIT_PRIVACY__MIN_GROUP_SIZE": "9", "E20KIT_CONFIG": "x"})
    assert config.settings.privacy.min_group_size == 9
    with pytest.raises(ConfigError, match="environment overrides"):
        load_config(path, env={"E20KIT_PRIVACY__MIN_GROUP_SIZE": "nine"})


def test_missing_pseudonym_secret_is_a_config_error() -> None:
    config = load_config(env={})
    with pytest.raises(ConfigError, match="E20KIT_PSEUDONYM_SECRET"):
        config.pseudonym_secret()
    assert load_config(env={"E20KIT_PSEUDONYM_SECRET": "s"}).pseudonym_secret() == b"s"


class TokenSettings(BaseModel):
    model_config = {"extra": "forbid"}
    url: str
    token: SecretStr


def test_plugin_secret_comes_from_the_named_environment_variable(tmp_path: Path) -> None:
    path = write(tmp_path, "[connectors.mm]\nurl = 'https://x'\ntoken_env = 'MM_TOKEN'\n")
    config = load_config(path, env={"MM_TOKEN": "s3cr3t-value"})
    settings = config.plugin_settings("connectors", "mm", TokenSettings)
    assert settings.token.get_secret_value() == "s3cr3t-value"
    assert "s3cr3t-value" not in repr(settings) and "s3cr3t-value" not in str(settings)


def test_missing_plugin_secret_names_variable_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, "[connectors.mm]\nurl = 'https://x'\ntoken_env = 'MM_TOKEN'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={}).plugin_settings("connectors", "mm", TokenSettings)
    assert "MM_TOKEN" in str(info.value) and "connectors.mm.token_env" in str(info.value)


def test_literal_secret_in_file_is_refused_without_echoing_it(tmp_path: Path) -> None:
    path = write(tmp_path, "[connectors.mm]\nurl = 'https://x'\ntoken = 'literal-secret'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={}).plugin_settings("connectors", "mm", TokenSettings)
    assert "connectors.mm.token" in str(info.value)
    assert "literal-secret" not in str(info.value)


def test_plugin_settings_errors_name_the_table(tmp_path: Path) -> None:
    path = write(tmp_path, "[connectors.mm]\nurl = 3\ntoken_env = 'T'\nextra = 1\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={"T": "x"}).plugin_settings("connectors", "mm", TokenSettings)
    assert "connectors.mm.url = 3" in str(info.value)
    assert "connectors.mm.extra: unknown key" in str(info.value)


def test_an_unknown_key_suggests_the_closest_known_one(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "[organisation]\ntimezon = 'Europe/Berlin'\n"
        "[onboarding.nudges]\nquiet_strat = '20:00'\n"
        "[[onboarding.checklists]]\nid = 'a'\naudiance = 'newcomers'\n"
        "steps = [{id = 's', title = {en = 'S'}, check = 'manual'}]\n"
        "[analytics]\nzzz = 1\n",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path, env={})
    text = str(info.value)
    assert "organisation.timezon: unknown key (did you mean organisation.timezone?)" in text
    assert "onboarding.nudges.quiet_strat: unknown key (did you mean " in text
    assert "quiet_start?)" in text
    assert "onboarding.checklists.0.audiance: unknown key (did you mean " in text
    assert "analytics.zzz: unknown key\n" in text + "\n"  # nothing close: no guess
    assert info.value.key == "organisation.timezon"
