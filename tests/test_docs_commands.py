"""Every ``e20kit`` command in README.md, docs/ and examples/crontab runs against the sandbox.

The shell, console, cron and systemd blocks are read as a user copies them; placeholders
(config paths, MEMBER, an e-mail address, output paths) are mapped to one sandbox served for the
whole module. A usage error (click's exit 2: an unknown option, a missing argument) or any exit
not listed in ``EXPECTED_EXIT`` fails, so the documentation cannot drift from the CLI again.
Commands named inline or in unlabelled synopsis blocks are checked in tests/test_docs_mentions.py.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from e20kit import Kit
from e20kit.cli import main
from e20kit.clock import OrgClock
from e20kit.demo import TIMEZONE, OpenSandbox, open_sandbox
from e20kit.sandbox_setup import environment

ROOT = Path(__file__).resolve().parents[1]
SHELL_BLOCKS = {"sh", "bash", "console", "shell", "cron", "ini"}
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.MULTILINE | re.DOTALL)

EXPECTED_EXIT: dict[str, tuple[int, str]] = {}
"""Commands allowed a documented non-zero exit, with the reason (none needed today)."""

SKIPPED: dict[str, str] = {
    # serves until Ctrl-C; tests/test_examples.py starts it and runs an example against it
    "e20kit sandbox --out sandbox": "serves until Ctrl-C (tested in tests/test_examples.py)",
    # re-keys the store; needs both secrets exported by the lines before it
    "e20kit privacy rotate-secret --dry-run": "needs E20KIT_PSEUDONYM_SECRET_OLD and _NEW "
    "(tested in tests/core/test_rotation.py)",
    "e20kit privacy rotate-secret --reason 'secret rotation'": "re-keys the store; needs "
    "E20KIT_PSEUDONYM_SECRET_OLD and _NEW (tested in tests/core/test_rotation.py)",
}
"""Commands that need a real server, never end or destroy something, with the reason."""


@dataclass(frozen=True)
class DocCommand:
    where: str
    """``docs/operations.md:7``"""
    args: tuple[str, ...]
    """The arguments after ``e20kit``, as written."""

    @property
    def text(self) -> str:
        return "e20kit " + shlex.join(self.args)


def _invocations(line: str) -> Iterator[tuple[str, ...]]:
    """The argument lists of every ``e20kit`` call on one shell line (after ``&&``, ``;``)."""
    lexer = shlex.shlex(line.removeprefix("$ "), posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    lexer.commenters = "#"
    tokens = list(lexer)
    for i, token in enumerate(tokens):
        if token.rsplit("/", 1)[-1] == "e20kit" and not token.startswith("-"):
            args: list[str] = []
            for arg in tokens[i + 1 :]:
                if arg in {";", "&&", "||", "|", "&"}:
                    break
                args.append(arg)
            if args:
                yield tuple(args)


def documented_commands() -> list[DocCommand]:
    files = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    found: list[DocCommand] = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        for block in FENCE.finditer(text):
            if block.group(1) not in SHELL_BLOCKS:
                continue
            first = text.count("\n", 0, block.start(2)) + 1
            for offset, line in enumerate(block.group(2).splitlines()):
                line = line.removeprefix("ExecStart=")
                for args in _invocations(line):
                    where = f"{path.relative_to(ROOT)}:{first + offset}"
                    found.append(DocCommand(where, args))
    crontab = ROOT / "examples" / "crontab"
    for number, line in enumerate(crontab.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("#"):
            found += [DocCommand(f"examples/crontab:{number}", a) for a in _invocations(line)]
    return found


COMMANDS = documented_commands()


@dataclass
class Sandbox:
    box: OpenSandbox
    work: Path
    member: str


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sandbox]:
    """One sandbox for every command: served, collected once, the working directory inside."""
    root = tmp_path_factory.mktemp("docs-sandbox")
    last_day = OrgClock(TIMEZONE).today() - dt.timedelta(days=1)
    with (
        open_sandbox(root / "box", last_day=last_day, members=60, days=40) as box,
        environment({**box.started.env, "E20KIT_CONFIG": str(box.config)}),
    ):
        with Kit.from_config(box.config) as kit, kit.lock("collect"):
            assert kit.collect().ok
        member = next(p.email for p in box.org.people if p.newcomer and p.active)
        work = root / "work"
        work.mkdir()
        previous = Path.cwd()
        os.chdir(work)
        try:
            yield Sandbox(box=box, work=work, member=member)
        finally:
            os.chdir(previous)


def _mapped(args: tuple[str, ...], sandbox: Sandbox) -> list[str]:
    """The command with its placeholders aimed at the sandbox."""
    out: list[str] = []
    takes_path = {"--out", "--csv", "--report-dir", "--config-out"}
    previous = None
    for arg in args:
        if previous in ("-c", "--config"):
            arg = str(sandbox.box.config)
        elif previous == "init" or (previous in takes_path and arg.startswith("/")):
            target = sandbox.work / "files" / arg.strip("/").replace("/", "_")
            target.parent.mkdir(exist_ok=True)
            target.unlink(missing_ok=True)
            arg = str(target)
        elif arg == "MEMBER" or re.fullmatch(r"[\w.]+@example\.org", arg):
            arg = sandbox.member
        out.append(arg)
        previous = arg if arg.startswith("-") or arg == "init" else None
    return out


def test_the_documents_hold_commands() -> None:
    """The extraction finds what a reader sees (a broken extractor must not pass silently)."""
    texts = {c.text for c in COMMANDS}
    assert len(COMMANDS) >= 20
    assert "e20kit -q -c /etc/e20kit/e20kit.toml collect" in texts
    assert any(c.where.startswith("docs/operations.md") and "run" in c.args for c in COMMANDS)
    assert any(c.where.startswith("examples/crontab") for c in COMMANDS)


def test_an_unknown_option_is_caught() -> None:
    """The check this module relies on: click answers a wrong option with exit 2."""
    done = CliRunner().invoke(main, ["run", "--report", "/tmp/report.html"])
    assert done.exit_code == 2 and "No such option" in done.output


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: f"{c.where} {c.text}")
def test_documented_command_runs(command: DocCommand, sandbox: Sandbox) -> None:
    if command.text in SKIPPED:
        pytest.skip(SKIPPED[command.text])
    args = _mapped(command.args, sandbox)
    with contextlib.chdir(sandbox.work):
        done = CliRunner().invoke(main, args, catch_exceptions=False)
    expected = EXPECTED_EXIT.get(command.text, (0, ""))[0]
    assert done.exit_code == expected, (
        f"{command.where}: `{command.text}` exited {done.exit_code}:\n{done.output}"
    )
