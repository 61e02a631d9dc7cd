"""Typed plugin contexts: the core validates settings and registers their secrets once."""

from __future__ import annotations

from pydantic import BaseModel, SecretStr

from e20kit import HttpSession, load_config
from e20kit.instances import plugin_context, secret_values


class Login(BaseModel):
    user: str
    password: SecretStr


class WikiSettings(BaseModel):
    url: str
    token: SecretStr
    logins: list[Login] = []
    by_site: dict[str, Login] = {}
    note: str = "token-like text that is not a secret"


def settings() -> WikiSettings:
    return WikiSettings(
        url="https://wiki.example.org",
        token=SecretStr("tok-top"),
        logins=[Login(user="a", password=SecretStr("pw-in-list"))],
        by_site={"eu": Login(user="b", password=SecretStr("pw-in-dict"))},
    )


def test_every_secret_is_found_once_nested_ones_included() -> None:
    twice = settings().model_copy(update={"by_site": {"x": Login(user="c", password="tok-top")}})
    assert secret_values(settings()) == ("tok-top", "pw-in-list", "pw-in-dict")
    assert secret_values(twice) == ("tok-top", "pw-in-list")
    assert "token-like text that is not a secret" not in secret_values(settings())


def test_sessions_from_the_context_mask_the_settings_secrets_unasked() -> None:
    context = plugin_context(load_config(env={}), "connectors", "wiki", settings())
    assert context.settings.token.get_secret_value() == "tok-top"  # typed: no isinstance
    session = context.http(base_url="https://wiki.example.org")
    assert isinstance(session, HttpSession)
    assert {"tok-top", "pw-in-list", "pw-in-dict"} <= set(session.secrets)
    late = context.http(secrets=("runtime-oauth-token",))
    assert isinstance(late, HttpSession)
    assert {"tok-top", "runtime-oauth-token"} <= set(late.secrets)
    session.close()
    late.close()
