"""docs/plugin-authoring.md quotes the example package it walks through, and nothing else.

Every code block of the guide that starts with ``# examples/...`` must be that file or a
contiguous part of it, so the guide cannot drift from the code the suite runs
(examples/intranet_connector/tests). Every module of the package is quoted, and the guide is
linked from the README and from docs/hooks.md.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "plugin-authoring.md"
EXAMPLE = ROOT / "examples" / "intranet_connector"
NOT_QUOTED = {"__init__.py", "conftest.py"}
"""Re-exports and the test path set-up: nothing a reader needs to see."""

BLOCK = re.compile(r"```(?:python|toml)\n# (examples/\S+)\n(.*?)```", re.S)


def quoted() -> list[tuple[str, str]]:
    return BLOCK.findall(GUIDE.read_text(encoding="utf-8"))


def test_every_quoted_block_is_part_of_its_file() -> None:
    blocks = quoted()
    assert len(blocks) >= 8
    for path, body in blocks:
        source = ROOT / path
        assert source.is_file(), f"the guide quotes {path}, which does not exist"
        text = source.read_text(encoding="utf-8")
        assert body.strip() in text, f"the guide's block of {path} differs from the file"


def test_every_module_of_the_example_is_quoted() -> None:
    files = {
        p.relative_to(ROOT).as_posix()
        for p in [*EXAMPLE.rglob("*.py"), EXAMPLE / "pyproject.toml"]
        if p.name not in NOT_QUOTED and "__pycache__" not in p.parts
    }
    assert files <= {path for path, _ in quoted()}


def test_whole_files_are_quoted_whole() -> None:
    """A block that starts where its file starts (the module docstring) must be all of it."""
    for path, body in quoted():
        text = (ROOT / path).read_text(encoding="utf-8")
        if text.startswith(body.strip()[:40]):
            assert body.strip() == text.strip(), f"the guide shows only part of {path}"


def test_the_guide_is_linked_where_authors_look() -> None:
    assert "docs/plugin-authoring.md" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert "plugin-authoring.md" in (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
