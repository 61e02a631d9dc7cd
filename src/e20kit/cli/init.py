"""``e20kit init``."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import click

from ..errors import ConfigError
from .common import handle_errors


@click.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="e20kit.toml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@handle_errors
def init(path: Path, force: bool) -> None:
    """Write a commented starter config to PATH (default: ./e20kit.toml)."""
    if path.exists() and not force:
        raise ConfigError(f"{path} exists; pass --force to overwrite it", file=str(path))
    text = files("e20kit").joinpath("templates/starter.toml").read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    click.echo(f"wrote {path}; set E20KIT_PSEUDONYM_SECRET, then run: e20kit -c {path} collect")
