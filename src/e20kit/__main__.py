"""``python -m e20kit`` runs the CLI."""

from .cli import main

main(prog_name="e20kit")
