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
    secret = "0123456789abcdef"
    assert (
        load_config(env={"E20KIT_PSEUDONYM_SECRET": secret}).pseudonym_secret()
        == b"0123456789abcdef"
    )
    with pytest.raises(ConfigError, match="at least 16 bytes") as err:
        load_config(env={"E20KIT_PSEUDONYM_SECRET": "s"}).pseudonym_secret()
    assert "E20KIT_PSEUDONYM_SECRET" in str(err.value) and "'s'" not in str(err.value)


def test_a_config_file_that_is_not_utf8_names_the_file(tmp_path: Path) -> None:
    for encoding in ("latin-1", "utf-16"):
        path = tmp_path / f"{encoding}.toml"
        path.write_bytes('[organisation]\nname = "Müller GmbH"\n'.encode(encoding))
        with pytest.raises(ConfigError, match="not UTF-8") as err:
            load_config(path, env={})
        assert str(path) in str(err.value)


@pytest.mark.parametrize(
    ("toml", "key"),
    [
        ("[privacy]\nmin_group_size = 1e20", "privacy.min_group_size"),
        ("[privacy]\nmin_group_size = 5.0", "privacy.min_group_size"),
        ("[privacy]\nmin_group_size = 1", "privacy.min_group_size"),
        ("[privacy]\nmin_group_size = 1001", "privacy.min_group_size"),
        ('[privacy]\npseudonymise = "yes"', "privacy.pseudonymise"),
        ("[privacy]\npseudonymise = 1", "privacy.pseudonymise"),
        ('[collect]\nbatch_size = "100"', "collect.batch_size"),
    ],
)
def test_settings_are_strict(tmp_path: Path, toml: str, key: str) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text(toml, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_config(path, env={})
    assert err.value.key == key and key in str(err.value)


def test_environment_overrides_spell_numbers_and_booleans_as_text() -> None:
    env = {"E20KIT_PRIVACY__MIN_GROUP_SIZE": "10", "E20KIT_PRIVACY__PSEUDONYMISE": "false"}
    privacy = load_config(env=env).settings.privacy
    assert privacy.min_group_size == 10 and privacy.pseudonymise is False
    with pytest.raises(ConfigError, match="expected a boolean"):
        load_config(env={"E20KIT_PRIVACY__PSEUDONYMISE": "yes"})


def test_plugin_settings_are_strict_too(tmp_path: Path) -> None:
    path = tmp_path / "e20kit.toml"
    path.write_text(
        '[connectors.chat]\ntype = "mattermost"\nurl = "https://chat.example.org"\n'
        'token_env = "T"\ndirect_messages = "yes"\n',
        encoding="utf-8",
    )
    from e20kit_mattermost import MattermostSettings

    config = load_config(path, env={"T": "tok"})
    with pytest.raises(ConfigError, match=r"connectors\.chat\.direct_messages = 'yes'"):
        config.plugin_settings("connectors", "chat", MattermostSettings)


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


@pytest.mark.parametrize(
    "pasted", ["ATATT3xFfGF0Zq81xP0secretApiToken", "xoxb-1234-abcd", "s3cr3t value with spaces"]
)
def test_a_token_pasted_where_the_variable_name_belongs_is_not_quoted(
    tmp_path: Path, pasted: str
) -> None:
    """Issue 25: the token was quoted back as the 'missing variable' name."""
    path = write(tmp_path, f"[connectors.mm]\nurl = 'https://x'\ntoken_env = '{pasted}'\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, env={}).plugin_settings("connectors", "mm", TokenSettings)
    assert "looks like a secret, not a variable name" in str(info.value)
    assert "connectors.mm.token_env" in str(info.value) and pasted not in str(info.value)


@pytest.mark.parametrize("name", ["MM_TOKEN", "mattermost_token", "E20KIT_CONFLUENCE_TOKEN_2"])
def test_ordinary_variable_names_are_not_taken_for_secrets(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, f"[connectors.mm]\nurl = 'https://x'\ntoken_env = '{name}'\n")
    with pytest.raises(ConfigError, match=f"environment variable '{name}'"):
        load_config(path, env={}).plugin_settings("connectors", "mm", TokenSettings)


def test_a_url_with_credentials_is_never_quoted_with_them(tmp_path: Path) -> None:
    """Issue 25: a URL with ``user:token@`` was quoted back whole."""
    from e20kit_mattermost import MattermostSettings

    for url in ("https://me:tok3nSecret99@chat.example.org", "https://me:tok3nSecret99@:99999"):
        path = write(tmp_path, f'[connectors.chat]\nurl = "{url}"\ntoken_env = "T"\n')
        with pytest.raises(ConfigError) as info:
            load_config(path, env={"T": "t"}).plugin_settings(
                "connectors", "chat", MattermostSettings
            )
        assert "connectors.chat.url" in str(info.value)
        assert "tok3nSecret99" not in str(info.value)


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
