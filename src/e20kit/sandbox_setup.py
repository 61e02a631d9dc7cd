"""Serve a synthetic organisation from every installed plugin's loopback fake, with a ready config.

``e20kit demo`` and ``e20kit sandbox`` share this: each platform plugin that registers a sandbox
(``e20kit_sandboxes``) serves its share of the organisation from a fake on 127.0.0.1; platforms
without one are written as csv exports. :func:`start_sandboxes` returns the config tables and
environment variables (the fakes' tokens) that point e20kit at them.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shlex
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .plugins import Plugins
from .sandbox import PLATFORMS, Org, write_csv_folder

SANDBOX_SECRET_ENV = "E20KIT_DEMO_PSEUDONYM_SECRET"
SANDBOX_SECRET = "demo-only-secret-never-use-in-production"


def toml_value(value: Any) -> str:
    """``value`` as a TOML literal (the few types a generated config needs)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str | Path):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} to TOML")


def toml_table(name: str, values: Mapping[str, Any]) -> str:
    body = "".join(f"{key} = {toml_value(v)}\n" for key, v in values.items())
    return f"[{name}]\n{body}\n"


@dataclass
class StartedSandboxes:
    """The fakes serving one organisation: the tables and environment that reach them."""

    tables: list[str] = field(default_factory=list)
    """``[connectors.*]``, ``[notifiers.*]`` and ``[survey_sources.*]`` tables, as TOML text."""
    env: dict[str, str] = field(default_factory=dict)
    """Environment variables the tables name (tokens, client secrets, the pseudonym secret)."""
    served: list[str] = field(default_factory=list)
    """Platforms served by a fake."""
    imported: list[str] = field(default_factory=list)
    """Platforms written as csv exports (no installed plugin serves them)."""
    notifier: str = "log"
    """The notifier the config names for messages (a fake's, else the log notifier)."""
    survey_sources: list[str] = field(default_factory=list)
    """``[survey_sources.*]`` tables a fake serves (e.g. ``limesurvey``)."""
    notifier_platform: str | None = None
    publish: list[str] = field(default_factory=list)
    """``report --publish`` targets the fakes serve, in the order the demo publishes them."""

    def exports(self) -> str:
        """The environment as ``export NAME=value`` lines for a shell."""
        return "".join(f"export {k}={shlex.quote(v)}\n" for k, v in sorted(self.env.items()))


def start_sandboxes(
    org: Org, stack: contextlib.ExitStack, folder: Path, plugins: Plugins
) -> StartedSandboxes:
    """Start every installed sandbox on ``stack`` (stopped when it closes); csv for the rest."""
    started = StartedSandboxes(env={SANDBOX_SECRET_ENV: SANDBOX_SECRET})
    notifier: str | None = None
    for name, sandbox in sorted(plugins.sandboxes().items()):
        run = sandbox.start(org, stack)
        started.served.append(name)
        started.env.update(run.env)
        if run.connector is not None:
            started.tables.append(toml_table(f"connectors.{name}", run.connector))
        if run.survey_source is not None:
            started.survey_sources.append(name)
            started.tables.append(toml_table(f"survey_sources.{name}", run.survey_source))
        started.publish.extend(run.publish)
        if run.notifier is not None and notifier is None:
            notifier = started.notifier_platform = name
            started.tables.append(toml_table(f"notifiers.{name}", run.notifier))
    started.imported = [p for p in PLATFORMS if p not in started.served]
    for platform in started.imported:
        target = folder / "exports" / platform
        write_csv_folder(org, target, platform=platform, platforms=[platform])
        started.tables.append(
            toml_table(f"connectors.{platform}_export", {"type": "csv", "path": target})
        )
    if notifier is None:
        started.tables.append(
            toml_table("notifiers.log", {"type": "log", "path": folder / "messages.jsonl"})
        )
    else:
        started.notifier = notifier
    return started


@contextlib.contextmanager
def environment(values: Mapping[str, str]) -> Iterator[None]:
    """Set the fakes' tokens for the run and restore the environment afterwards."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def org_window(org: Org) -> str:
    """``2026-08-09 .. 2026-12-06``: the organisation's first and last day."""
    return f"{org.start} .. {org.end - dt.timedelta(days=1)}"


__all__ = [
    "SANDBOX_SECRET",
    "SANDBOX_SECRET_ENV",
    "StartedSandboxes",
    "environment",
    "org_window",
    "start_sandboxes",
    "toml_table",
    "toml_value",
]
