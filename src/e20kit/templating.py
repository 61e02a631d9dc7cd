"""Messages from Jinja2 templates in English and German, shared by onboarding and champions.

A template ``<name>.<lang>.md.j2`` sets its subject with ``{% set subject = ... %}``; its rendered
text is the Markdown body. A configured folder overrides any built-in template with a file of the
same name; a language without a template falls back to English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from .delivery import normalise_locale
from .errors import ConfigError


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


@dataclass(frozen=True)
class MessageTemplates:
    """The templates of one feature: its package's built-ins, optionally overridden."""

    package: str
    """Package holding a ``templates`` folder, e.g. ``e20kit.onboarding``."""
    config_key: str
    """The config key naming the override folder (for error messages)."""
    directory: Path | None = None

    def environment(self) -> jinja2.Environment:
        loaders: list[jinja2.BaseLoader] = []
        if self.directory is not None:
            loaders.append(jinja2.FileSystemLoader(str(self.directory.expanduser())))
        loaders.append(jinja2.PackageLoader(self.package, "templates"))
        return jinja2.Environment(
            loader=jinja2.ChoiceLoader(loaders),
            autoescape=False,  # Markdown, not HTML; values come from the config and the store
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )


def render(
    env: jinja2.Environment,
    name: str,
    locale: str,
    context: Mapping[str, Any],
    *,
    config_key: str,
) -> Rendered:
    """Render ``<name>.<locale>.md.j2``; a broken template is a :class:`ConfigError`."""
    lang = normalise_locale(locale)
    try:
        template = env.get_or_select_template([f"{name}.{lang}.md.j2", f"{name}.en.md.j2"])
        module = template.make_module(dict(context))
    except jinja2.TemplateError as err:
        raise ConfigError(
            f"template {name!r} ({lang}) failed: {type(err).__name__}: {err}", key=config_key
        ) from err
    subject = " ".join(str(getattr(module, "subject", "")).split())
    if not subject:
        raise ConfigError(
            f"template {name!r} ({lang}) sets no subject; add {{% set subject = '...' %}}",
            key=config_key,
        )
    body = "\n".join(line.rstrip() for line in str(module).strip().splitlines())
    return Rendered(subject, body)


__all__ = ["MessageTemplates", "Rendered", "render"]
