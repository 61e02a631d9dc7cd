"""Nudge texts from Jinja2 templates, in English and German by the member's locale.

A template sets ``subject`` with ``{% set subject = ... %}``; its rendered text is the Markdown
body (the same convention as the champion templates). ``[onboarding.templates] directory``
overrides a built-in template with a file of the same name (``nudge.en.md.j2``,
``nudge.de.md.j2``). Templates are rendered once with sample values when the engine starts, so a
broken template is a config error before anything is sent.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from .. import templating
from ..delivery import LOCALES
from ..templating import Rendered

TEMPLATE = "nudge"
TEMPLATES_KEY = "onboarding.templates.directory"
SAMPLE: Mapping[str, Any] = {
    "organisation": "Example Ltd",
    "checklist_title": "Getting started",
    "step_title": "Set a profile picture",
    "help_url": "https://intranet.example.org/guide",
    "position": 2,
    "total": 4,
    "completed": 1,
    "days": 5,
    "opt_out_contact": "it-help@example.org",
}
"""The variables every nudge template receives (with sample values)."""


def environment(directory: Path | None = None) -> jinja2.Environment:
    return templating.MessageTemplates("e20kit.onboarding", TEMPLATES_KEY, directory).environment()


def render(env: jinja2.Environment, locale: str, context: Mapping[str, Any]) -> Rendered:
    """Render the nudge for ``locale`` (``en`` when there is no template in that language)."""
    return templating.render(env, TEMPLATE, locale, context, config_key=TEMPLATES_KEY)


def validate(env: jinja2.Environment) -> None:
    """Render every language once with sample values (raises ConfigError)."""
    for lang in LOCALES:
        render(env, lang, SAMPLE)


__all__ = ["SAMPLE", "Rendered", "environment", "render", "validate"]
