"""The shape of the code: no import cycle (lazy imports included), no module over 400 lines, and
no installed top-level package besides `coach`.

The import graph is read from the source with `ast`, so an import inside a function counts as
much as one at the top: a cycle hidden by a lazy import is still a cycle. Importing `a.b.c`
also runs `a` and `a.b`, so those edges are in the graph too.
"""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
MAX_LINES = 400


def _modules() -> dict[str, Path]:
    """Every module of the installed `coach` package by its dotted name (ui/ is coach.ui)."""
    found: dict[str, Path] = {}
    for base, prefix in ((ROOT / "coach", "coach"), (ROOT / "ui", "coach.ui")):
        for path in base.rglob("*.py"):
            parts = path.relative_to(base).with_suffix("").parts
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found[".".join((prefix, *parts))] = path
    return found


MODULES = _modules()


def _package_of(name: str, path: Path) -> str:
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _imported(name: str, path: Path) -> set[str]:
    """Modules of coach that importing `name` runs, directly."""
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                package = _package_of(name, path).split(".")
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            targets.add(base)
            targets.update(f"{base}.{alias.name}" for alias in node.names)
    edges: set[str] = set()
    for target in targets:
        parts = target.split(".")
        for end in range(1, len(parts) + 1):  # importing a.b.c runs a, a.b and a.b.c
            prefix = ".".join(parts[:end])
            if prefix in MODULES and prefix != name:
                edges.add(prefix)
    return edges


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
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
    return found


def _graph() -> dict[str, set[str]]:
    graph = {name: _imported(name, path) for name, path in MODULES.items()}
    # A package's __init__ that re-exports from its own submodules is not a cycle by itself:
    # `coach.x` -> `coach.x.y` is only a cycle if `coach.x.y` leads back to `coach.x` through
    # another module. Importing `coach.x.y` always runs `coach.x` first, so that edge is dropped.
    for name, edges in graph.items():
        graph[name] = {e for e in edges if not name.startswith(e + ".")}
    return graph


def test_the_graph_sees_lazy_imports_and_cycles(tmp_path):
    lazy = tmp_path / "lazy.py"
    lazy.write_text("def serve():\n    from coach.ui.app import serve\n", encoding="utf-8")
    assert {"coach.ui", "coach.ui.app"} <= _imported("coach.example", lazy)
    assert "coach.ui.app" in _graph()["coach.cli.main"]  # `coach serve` imports the app lazily
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_in_coach():
    cycles = _cycles(_graph())
    assert not cycles, "import cycles (lazy imports included):\n" + "\n".join(
        " <-> ".join(cycle) for cycle in cycles)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_400_lines(name):
    lines = MODULES[name].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{MODULES[name]} has {lines} lines; split it by idea"


def test_the_only_installed_top_level_package_is_coach():
    from setuptools import find_packages

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "packages" not in pyproject.get("tool", {}).get("setuptools", {})
    setup_py = (ROOT / "setup.py").read_text(encoding="utf-8")
    assert 'package_dir={"coach.ui": "ui"}' in setup_py
    packages = [*find_packages(where=str(ROOT), include=["coach", "coach.*"]), "coach.ui"]
    assert {p.split(".")[0] for p in packages} == {"coach"}
