"""Every ``e20kit`` command the docs name in passing exists, with the options they give it.

tests/test_docs_commands.py runs the labelled shell blocks. Commands also appear inline
(`` `e20kit privacy audit prune --before ...` ``) and in unlabelled synopsis blocks
(docs/onboarding.md); running them would need their placeholders filled, so here each one is
resolved against the click tree instead: the subcommand must exist and every ``--option`` must be
one it (or the top-level group) accepts.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from e20kit.cli import main

ROOT = Path(__file__).resolve().parents[1]
INLINE = re.compile(r"`(e20kit [^`]+)`")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)


def mentions() -> Iterator[tuple[str, str]]:
    """(where, text) of every inline mention and every line of an unlabelled block."""
    for path in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]:
        text = path.read_text(encoding="utf-8")
        where = str(path.relative_to(ROOT))
        for found in INLINE.finditer(text):
            yield f"{where}:{text.count(chr(10), 0, found.start()) + 1}", found.group(1)
        for block in FENCE.finditer(text):
            if block.group(1):
                continue
            first = text.count("\n", 0, block.start(2)) + 1
            for offset, line in enumerate(block.group(2).splitlines()):
                if line.startswith("e20kit "):
                    yield f"{where}:{first + offset}", line.split("#", 1)[0].strip()


MENTIONS = list(mentions())


def _words(text: str) -> list[str]:
    """The arguments after ``e20kit``; ``[--opt]`` and ``a|b`` synopsis marks removed."""
    return shlex.split(re.sub(r"[\[\]|]", " ", text))[1:]


def _options(command: click.Command) -> set[str]:
    return {name for p in command.params for name in (*p.opts, *p.secondary_opts)}


def test_mentions_are_found() -> None:
    """The extraction sees inline and synopsis mentions (a broken regex must not pass)."""
    texts = {text for _, text in MENTIONS}
    assert len(MENTIONS) >= 30
    assert any(t.startswith("e20kit privacy audit prune --before") for t in texts)
    assert any(t.startswith("e20kit onboarding mark MEMBER STEP") for t in texts)


def _takes_value(command: click.Command, option: str) -> bool:
    return any(option in p.opts and not getattr(p, "is_flag", True) for p in command.params)


@pytest.mark.parametrize(("where", "text"), MENTIONS, ids=[f"{w} {t}" for w, t in MENTIONS])
def test_mentioned_command_and_options_exist(where: str, text: str) -> None:
    words = _words(text)
    command: click.Command = main
    path: list[str] = []
    known = _options(main) | {"--help"}
    skip = False
    with click.Context(main) as ctx:
        for word in words:
            if skip or word.startswith("-") or not isinstance(command, click.Group):
                skip = word.startswith("-") and "=" not in word and _takes_value(command, word)
                continue
            if not re.fullmatch(r"[a-z][a-z-]*", word):
                break  # a placeholder (COMMAND, ARGS, <version>): the synopsis of any command
            sub = command.get_command(ctx, word)
            assert sub is not None, f"{where}: `{text}`: no command {' '.join([*path, word])}"
            command = sub
            path.append(word)
            known |= _options(sub)
    unknown = [w for w in words if w.startswith("--") and w.split("=")[0] not in known]
    assert not unknown, f"{where}: `{text}`: {' '.join(path) or 'e20kit'} has no option {unknown}"
