"""Invitations and digests from Jinja2 templates, in English and German.

The convention (``{% set subject = ... %}``, English fallback, ``templates_dir`` overrides) is
the shared one of :mod:`e20kit.templating`.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jinja2

from .. import templating
from ..templating import Rendered

TEMPLATES_KEY = "champions.templates_dir"


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    return templating.MessageTemplates(
        "e20kit.champions", TEMPLATES_KEY, templates_dir
    ).environment()


def render(env: jinja2.Environment, kind: str, locale: str, context: Mapping[str, Any]) -> Rendered:
    """Render ``<kind>.<locale>.md.j2`` (falling back to English)."""
    return templating.render(env, kind, locale, context, config_key=TEMPLATES_KEY)


__all__ = ["Rendered", "environment", "render"]
