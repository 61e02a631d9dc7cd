"""Rendering invitations and digests from Jinja2 templates, in English and German.

A template sets ``subject`` with ``{% set subject = ... %}``; its rendered text is the body. A
``templates_dir`` in config overrides any built-in template with a file of the same name.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..delivery import normalise_locale
from ..errors import ConfigError


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str


def environment(templates_dir: Path | None = None) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if templates_dir is not None:
        loaders.append(jinja2.FileSystemLoader(str(templates_dir.expanduser())))
    loaders.append(jinja2.PackageLoader("e20kit.champions", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=False,  # Markdown, not HTML; every value is ours or a pseudonym
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def render(env: jinja2.Environment, kind: str, locale: str, context: Mapping[str, Any]) -> Rendered:
    """Render ``<kind>.<locale>.md.j2`` (falling back to English)."""
    lang = normalise_locale(locale)
    try:
        template = env.get_or_select_template([f"{kind}.{lang}.md.j2", f"{kind}.en.md.j2"])
        module = template.make_module(dict(context))
    except jinja2.TemplateError as err:
        raise ConfigError(
            f"champion template {kind!r} ({lang}) failed: {err.__class__.__name__}: {err}",
            key="champions.templates_dir",
        ) from err
    subject = str(getattr(module, "subject", "")).strip()
    body = "\n".join(line.rstrip() for line in str(module).strip().splitlines())
    if not subject:
        raise ConfigError(
            f"champion template {kind!r} ({lang}) sets no subject; add {{% set subject = '...' %}}",
            key="champions.templates_dir",
        )
    return Rendered(subject, body)


__all__ = ["Rendered", "environment", "render"]
