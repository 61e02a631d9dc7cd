"""docs/hooks.md stays in step with hookspecs.py, its examples run, every hook has a test."""

from __future__ import annotations

import re
import types
from pathlib import Path

import pluggy
import pytest

from e20kit import hookspecs
from e20kit.plugins import Plugins

ROOT = Path(__file__).resolve().parents[2]
DOC = (ROOT / "docs" / "hooks.md").read_text(encoding="utf-8")
HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("e20kit_"))


def sections() -> dict[str, str]:
    parts = re.split(r"^## (e20kit_\w+)\s*$", DOC, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_every_hook_has_a_section_and_no_section_is_stale() -> None:
    assert sorted(sections()) == HOOKS


def test_every_hookspec_docstring_has_summary_returns_and_example() -> None:
    for name in HOOKS:
        doc = getattr(hookspecs, name).__doc__ or ""
        assert doc.strip().splitlines()[0], name
        assert "Example::" in doc and "@hookimpl" in doc, name


@pytest.mark.parametrize("hook", HOOKS)
def test_example_registers_and_implements_its_hook(hook: str) -> None:
    blocks = re.findall(r"```python\n(.*?)```", sections()[hook], flags=re.S)
    assert blocks, f"{hook} has no example"
    module = types.ModuleType(f"example_{hook}")
    exec(compile("\n".join(blocks), f"docs/hooks.md#{hook}", "exec"), module.__dict__)
    plugins = Plugins(extra=(module,))
    pm: pluggy.PluginManager = plugins.manager
    assert hook in {h.name for h in pm.get_hookcallers(module) or ()}
    # Registration hooks must yield valid records without duplicates.
    plugins.connector_types()
    plugins.checks()
    plugins.notifier_types()
    plugins.champion_signals()
    plugins.sandboxes()
    plugins.publishers()
    plugins.survey_source_types()


def test_every_hook_has_a_test_of_its_own() -> None:
    tests = [
        p.read_text(encoding="utf-8")
        for p in [*ROOT.glob("tests/**/test_*.py"), *ROOT.glob("plugins/*/tests/**/test_*.py")]
        if p.name != Path(__file__).name
    ]
    untested = [hook for hook in HOOKS if not any(hook in text for text in tests)]
    assert not untested, f"hooks without a test of their own: {untested}"
