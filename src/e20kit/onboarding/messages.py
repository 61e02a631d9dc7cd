"""Nudge texts from Jinja2 templates, in English and German by the member's locale.

A template sets ``subject`` with ``{% set subject = ... %}``; its rendered text is the Markdown
body (the same convention as the champion templates). ``[onboarding.templates] directory``
overrides a built-in template with a file of the same name (``nudge.en.md.j2``,
``nudge.de.md.j2``). Templates are rendered once with sample values when the engine starts, so a
broken template is a config error before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..delivery import LOCALES, normalise_locale
from ..errors import ConfigError

TEMPLATE = "nudge"
SAMPLE: Mapping[str, Any] = {
    "organisation": "Example Ltd",
    "checklist_title": "Getting started",
    "step_title": "Set a profile picture",
    "help_url": "https://intranet.example.org/guide",
    "position": 2,
    "total": 4,
    "completed": 1,
    "days": 5,
}
"""The variables every nudge template receives (with sample values)."""


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def environment(directory: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if directory is not None:
        loaders.append(jinja2.FileSystemLoader(str(directory.expanduser())))
    loaders.append(jinja2.PackageLoader("e20kit.onboarding", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # Markdown, not HTML; values come from the config and the store
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(env: jinja2.Environment, locale: str, context: Mapping[str, Any]) -> Rendered:
    """Render the nudge for ``locale`` (``en`` when there is no template in that language)."""
    lang = normalise_locale(locale)
    try:
        template = env.get_or_select_template([f"{TEMPLATE}.{lang}.md.j2", f"{TEMPLATE}.en.md.j2"])
        module = template.make_module(dict(context))
    except jinja2.TemplateError as err:
        raise ConfigError(
            f"onboarding template {TEMPLATE!r} ({lang}) failed: {type(err).__name__}: {err}",
            key="onboarding.templates.directory",
        ) from err
    subject = " ".join(str(getattr(module, "subject", "")).split())
    if not subject:
        raise ConfigError(
            f"onboarding template {TEMPLATE!r} ({lang}) sets no subject; "
            "add {% set subject = '...' %}",
            key="onboarding.templates.directory",
        )
    body = "\n".join(line.rstrip() for line in str(module).strip().splitlines())
    return Rendered(subject, body)


def validate(env: jinja2.Environment) -> None:
    """Render every language once with sample values (raises ConfigError)."""
    for lang in LOCALES:
        render(env, lang, SAMPLE)


__all__ = ["SAMPLE", "Rendered", "environment", "render", "validate"]
