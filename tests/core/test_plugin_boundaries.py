"""Plugins and examples use the public API only, as an outside author would.

Every ``.py`` file under ``plugins/`` and ``examples/`` (found by glob, so a new plugin is covered
the day it lands) is parsed with :mod:`ast`; importing a core module other than the public ones,
or a name the top-level package does not export, fails with the file and line.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import e20kit

ROOT = Path(__file__).resolve().parents[2]
PUBLIC_MODULES = frozenset(
    {"e20kit", "e20kit.testing", "e20kit.sandbox", "e20kit.http", "e20kit.survey"}
)
SKIPPED_DIRS = frozenset({".venv", "build", "dist", "__pycache__", ".eggs"})


def plugin_sources() -> list[Path]:
    return sorted(
        path
        for folder in ("plugins", "examples")
        for path in (ROOT / folder).rglob("*.py")
        if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts)
    )


def core_imports(tree: ast.AST) -> list[tuple[int, str, str | None]]:
    """``(line, module, name)`` of every import of ``e20kit`` or ``e20kit.*`` in ``tree``."""
    found: list[tuple[int, str, str | None]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, node.module, alias.name) for alias in node.names]
    return [
        (line, module, name)
        for line, module, name in found
        if module == "e20kit" or module.startswith("e20kit.")
    ]


def violations(path: Path, root: Path = ROOT) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    where = path.relative_to(root)
    out = []
    for line, module, name in core_imports(tree):
        if module not in PUBLIC_MODULES:
            out.append(f"{where}:{line}: imports internal module {module}")
        elif module == "e20kit" and name is not None:
            public = set(e20kit.__all__) | {m.split(".", 1)[1] for m in PUBLIC_MODULES if "." in m}
            if name != "*" and name not in public:
                out.append(f"{where}:{line}: imports {name} from e20kit, which does not export it")
    return out


SOURCES = plugin_sources()


def test_the_glob_covers_every_plugin_and_example() -> None:
    folders = [p for top in ("plugins", "examples") for p in (ROOT / top).iterdir() if p.is_dir()]
    assert any(f.name == "e20kit-mattermost" for f in folders)
    for folder in folders:
        assert any(path.is_relative_to(folder) for path in SOURCES), folder


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_only_public_core_modules(path: Path) -> None:
    assert violations(path) == []


def test_the_checker_catches_internal_imports(tmp_path: Path) -> None:
    text = (
        "import e20kit.store.schema\n"
        "from e20kit.plugins import Plugins\n"
        "from e20kit import hookspecs, Kit\n"
        "from e20kit.sandbox import build_org\n"
        "from e20kit_mattermost import plugin\n"
        "from . import sibling\n"
        "def later():\n"
        "    from e20kit.instances import make_notifier\n"
    )
    probe = tmp_path / "probe.py"
    probe.write_text(text, encoding="utf-8")
    assert violations(probe, root=tmp_path) == [
        "probe.py:1: imports internal module e20kit.store.schema",
        "probe.py:2: imports internal module e20kit.plugins",
        "probe.py:3: imports hookspecs from e20kit, which does not export it",
        "probe.py:8: imports internal module e20kit.instances",
    ]
