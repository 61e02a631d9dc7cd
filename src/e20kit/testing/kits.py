"""A real :class:`~e20kit.Kit` on a temporary store, from Python mappings instead of a TOML file.

:func:`build_kit` writes the tables it is given to a real ``e20kit.toml`` (so the config is
loaded, validated and its secrets resolved exactly as on a server) and opens the kit on it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click.testing
import tomli_w

from ..cli import main
from ..connector import ConnectorType
from ..extensions import ChampionSignal, Check, Sandbox
from ..instances import make_notifier
from ..kit import Kit
from ..notifier import Notifier, NotifierType
from ..plugins import Plugins
from ..publishing import Publisher
from ..survey import SurveySourceType
from .stores import TEST_SECRET

FAST_HTTP: Mapping[str, Any] = {
    "retries": 6,
    "backoff_factor": 0.001,
    "backoff_max_s": 0.02,
    "timeout_s": 5,
}
"""The ``[http]`` table the kit uses unless told otherwise: real retries, millisecond backoff."""

PSEUDONYM_ENV = "E20KIT_PSEUDONYM_SECRET"


def merge_tables(base: Mapping[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """``over`` on top of ``base``, table by table (nested mappings merge, other values win)."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = merge_tables(out[key], value)
        else:
            out[key] = value
    return out


def _free(folder: Path, stem: str, suffix: str) -> Path:
    path, n = folder / f"{stem}{suffix}", 0
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}{suffix}"
    return path


def write_config(
    tmp_path: Path,
    *,
    connectors: Mapping[str, Mapping[str, Any]] = {},
    notifiers: Mapping[str, Mapping[str, Any]] = {},
    settings: Mapping[str, Any] = {},
    store_url: str | None = None,
) -> Path:
    """Write the tables to a new ``e20kit*.toml`` in ``tmp_path`` and return its path.

    Without ``store_url`` the config names a fresh SQLite file beside it. ``[http]`` defaults to
    :data:`FAST_HTTP`; ``settings`` may override it like any other table.
    """
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = _free(tmp_path, "e20kit", ".toml")
    if store_url is None:
        store = _free(tmp_path, path.stem.replace("e20kit", "store"), ".sqlite")
        store_url = f"sqlite:///{store}"
    tables = merge_tables({"http": dict(FAST_HTTP)}, settings)
    tables = merge_tables(tables, {"store": {"url": store_url}})
    if connectors:
        tables["connectors"] = {name: dict(table) for name, table in connectors.items()}
    if notifiers:
        tables["notifiers"] = {name: dict(table) for name, table in notifiers.items()}
    path.write_text(tomli_w.dumps(_plain(tables)), encoding="utf-8")
    return path


def _plain(value: Any) -> Any:
    """TOML has no null and no paths: drop ``None`` entries, write paths as strings."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items() if v is not None}
    if isinstance(value, list | tuple | set | frozenset):
        return [_plain(v) for v in value]
    if isinstance(value, Path):
        return str(value)
    return value


def build_kit(
    tmp_path: Path,
    *,
    connectors: Mapping[str, Mapping[str, Any]] = {},
    notifiers: Mapping[str, Mapping[str, Any]] = {},
    settings: Mapping[str, Any] = {},
    plugins: Sequence[object] = (),
    store_url: str | None = None,
    env: Mapping[str, str] = {},
    strict: bool = True,
) -> Kit:
    """A :class:`~e20kit.Kit` on a real config file written to ``tmp_path``.

    ``connectors`` and ``notifiers`` are the ``[connectors.<name>]`` / ``[notifiers.<name>]``
    tables (secrets as ``token_env = "VAR"`` with ``VAR`` in ``env``); ``settings`` holds every
    other table (``{"collect": {"lookback_days": 25}}``). The config sees only ``env`` (plus a
    test pseudonym secret), never the real environment. Installed plugins load through their
    entry points as in production, ``plugins`` are registered besides them, and ``strict`` (on
    by default) makes a plugin that fails to load fail the test. Close the kit when done (it is
    a context manager).
    """
    path = write_config(
        tmp_path,
        connectors=connectors,
        notifiers=notifiers,
        settings=settings,
        store_url=store_url,
    )
    return Kit.from_config(
        path, env={PSEUDONYM_ENV: TEST_SECRET, **env}, plugins=plugins, strict=strict
    )


def run_cli(
    *args: str, kit: Kit | None = None, env: Mapping[str, str] = {}, input: str | None = None
) -> click.testing.Result:
    """Run the ``e20kit`` command line in-process, as a user would type ``e20kit ARGS``.

    With ``kit`` the command gets ``--config`` of the kit's file and the environment the kit's
    config saw (its secrets, the test pseudonym secret), plus ``env``. The result has
    ``exit_code``, ``stdout``, ``stderr`` and ``output``; the CLI never raises, so a test
    asserts on the exit code and on what was printed.
    """
    argv = list(args)
    environment = dict(env)
    if kit is not None:
        if kit.config.path is None:
            raise ValueError("run_cli(kit=...) needs a kit opened from a file (build_kit's are)")
        argv = ["--config", str(kit.config.path), *argv]
        environment = {**kit.config.env, **environment}
    return click.testing.CliRunner(env=environment).invoke(main, argv, input=input)


def kit_notifier(kit: Kit, name: str) -> Notifier:
    """Notifier ``name`` of ``kit``'s config, built as the onboarding and champion runs build it."""
    return make_notifier(kit.config, kit.plugins, name, clock=kit.clock)


@dataclass(frozen=True)
class Registrations:
    """What the installed plugins register, by name, validated as at load time."""

    connectors: Mapping[str, ConnectorType]
    notifiers: Mapping[str, NotifierType]
    checks: Mapping[str, Check]
    sandboxes: Mapping[str, Sandbox]
    champion_signals: Mapping[str, ChampionSignal]
    publishers: Mapping[str, Publisher]
    survey_sources: Mapping[str, SurveySourceType]


def registrations(plugins: Sequence[object] = (), *, strict: bool = True) -> Registrations:
    """Load the installed plugins (plus ``plugins``) as the CLI does and list what they register.

    A plugin test asserts with it that its entry point really registers its connector, checks,
    notifier, sandbox, publisher and survey source; duplicates and wrong types raise
    :class:`~e20kit.PluginError`.
    """
    loaded = Plugins(strict=strict, extra=tuple(plugins))
    return Registrations(
        connectors=loaded.connector_types(),
        notifiers=loaded.notifier_types(),
        checks=loaded.checks(),
        sandboxes=loaded.sandboxes(),
        champion_signals=loaded.champion_signals(),
        publishers=loaded.publishers(),
        survey_sources=loaded.survey_source_types(),
    )


__all__ = [
    "FAST_HTTP",
    "Registrations",
    "build_kit",
    "kit_notifier",
    "registrations",
    "run_cli",
    "write_config",
]
