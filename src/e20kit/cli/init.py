"""``e20kit init``: a starter config, the folder it reads, and the next commands that work."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path

import click

from ..errors import ConfigError
from .common import State, emit, handle_errors, pass_state

STARTER_EXPORTS = './exports"'
"""How the starter config names its csv folder (relative to the working directory)."""


def _exports_folder(path: Path, text: str) -> tuple[str, Path]:
    """The starter's csv folder beside the config: ``./exports`` when the config is written
    into the working directory, else an absolute path (the csv connector reads relative paths
    from the directory it runs in)."""
    folder = path.resolve().parent / "exports"
    if path.resolve().parent == Path.cwd().resolve():
        return text, Path("exports")
    return text.replace(STARTER_EXPORTS, f'{folder}"'), folder


@click.command("init")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), default="e20kit.toml")
@click.option("--force", is_flag=True, help="Overwrite an existing file.")
@pass_state
@handle_errors
def init(state: State, path: Path, force: bool) -> None:
    """Write a commented starter config to PATH (default: ./e20kit.toml) and create the folder
    its csv connector reads, then print the next commands."""
    if path.exists() and not force:
        raise ConfigError(f"{path} exists; pass --force to overwrite it", file=str(path))
    text = files("e20kit").joinpath("templates/starter.toml").read_text(encoding="utf-8")
    text, exports = _exports_folder(path, text)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    created = not exports.exists()
    exports.mkdir(parents=True, exist_ok=True)
    secret_set = bool(os.environ.get("E20KIT_PSEUDONYM_SECRET"))
    steps = [
        *(
            []
            if secret_set
            else [
                "export E20KIT_PSEUDONYM_SECRET=\"$(python3 -c 'import secrets; "
                "print(secrets.token_urlsafe(32))')\"   # keep it: it makes the member keys"
            ]
        ),
        f"e20kit -c {path} collect",
    ]
    then = f"e20kit -c {path} report --format html --out adoption.html"
    data = {
        "config": str(path),
        "exports": str(exports),
        "exports_created": created,
        "next": steps,
        "with_data": then,
    }

    def human() -> None:
        click.echo(f"wrote {path}: a csv connector, a log notifier and a newcomer checklist")
        made = "created" if created else "kept"
        click.echo(
            f"{made} {exports}/: put people.csv and activity.csv there (docs/connectors/csv.md), "
            f"or configure your platforms in {path} (docs/connectors/)"
        )
        click.echo("next:")
        for step in steps:
            click.echo(f"  {step}")
        click.echo(f"once {exports}/ holds data (or a platform is configured):\n  {then}")
        click.echo("or try everything against loopback fakes first: e20kit sandbox")

    emit(state, data, human)
