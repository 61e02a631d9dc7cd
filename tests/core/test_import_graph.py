"""The core's modules import each other without a cycle, not even under ``TYPE_CHECKING``.

The graph is built from the source with :mod:`ast`: every ``import``/``from ... import`` at
module level, inside ``if TYPE_CHECKING:`` and inside functions (a lazy import is still a
dependency), resolved to the module file it names. Importing ``a.b.c`` is an edge to ``a.b.c``
only, not to the packages around it, so a package ``__init__`` that re-exports its children is
not a cycle with each child.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import e20kit

ROOT = Path(e20kit.__file__).parent
PACKAGE = "e20kit"


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def _imported(tree: ast.AST, name: str, package: bool) -> Iterator[tuple[str, str | None]]:
    """(module, imported name or None) for every import statement in ``tree``."""
    base = name if package else name.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = base.split(".")
                anchor = parts[: len(parts) - node.level + 1]
                target = ".".join([*anchor, node.module] if node.module else anchor)
            else:
                target = node.module or ""
            for alias in node.names:
                yield target, alias.name


def import_graph(root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the core modules it imports."""
    files = {module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for target, member in _imported(tree, name, is_package(path)):
            if target != PACKAGE and not target.startswith(PACKAGE + "."):
                continue
            submodule = f"{target}.{member}" if member else None
            dependency = submodule if submodule in files else target
            if dependency in files and dependency != name:
                graph[name].add(dependency)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def test_the_graph_sees_relative_type_only_and_lazy_imports(tmp_path: Path) -> None:
    pkg = tmp_path / PACKAGE
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from .a import A\n")
    (pkg / "a.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .sub.b import B\n"
    )
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "b.py").write_text("def f():\n    from .. import c\n")
    (pkg / "c.py").write_text("import e20kit.a\n")
    graph = import_graph(pkg)
    assert graph[PACKAGE] == {"e20kit.a"}
    assert graph["e20kit.a"] == {"e20kit.sub.b"}
    assert graph["e20kit.sub.b"] == {"e20kit.c"}
    assert cycles(graph) == [["e20kit.a", "e20kit.c", "e20kit.sub.b"]]


def test_core_modules_import_each_other_without_a_cycle() -> None:
    found = cycles(import_graph())
    assert not found, "import cycles among core modules:\n" + "\n".join(
        " <-> ".join(c) for c in found
    )
