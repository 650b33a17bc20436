"""The loaders have no circle: no module imports another inside a function to hide one, the modules'
imports form no cycle, and the shared types sit in leaf modules that import no reader.

A circle is what made ``loaders/importer.py`` both the shared types and the dispatcher: seven modules
imported each other through it, each hiding the cycle with an import inside a function. These tests
fail the day one comes back.
"""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "loaders"
# The shared types every reader and the dispatcher use: reports, problems, outcomes, parsed files, rules,
# the batch writer, a set's files. Each may import from loaders only other leaves.
LEAVES = {"loaders.problems", "loaders.report", "loaders.batch", "loaders.values", "loaders.commentary_column",
          "loaders.sheets", "loaders.xlsx_cells", "loaders.extent", "loaders.numformats"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def loaders_imports(tree: ast.AST) -> set[str]:
    """The loaders modules a module's top-level code imports (a package's __init__ counted as itself)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("loaders"):
                found.add(node.module)
                found |= {f"{node.module}.{alias.name}" for alias in node.names
                          if f"{node.module}.{alias.name}" in MODULES}
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("loaders")}
    return {name for name in found if name in MODULES}


def graph() -> dict[str, set[str]]:
    return {name: loaders_imports(ast.parse(path.read_text(encoding="utf-8"))) - {name}
            for name, path in MODULES.items()}


@pytest.mark.parametrize("name", sorted(MODULES))
def test_every_module_imports_and_imports_nothing_inside_a_function(name):
    if name != "loaders.__main__":  # importing it runs the command line
        importlib.import_module(name)
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    hidden = []
    for function in ast.walk(tree):
        if isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            hidden += [f"line {node.lineno}" for node in ast.walk(function)
                       if isinstance(node, ast.Import | ast.ImportFrom)]
    assert not hidden, f"{name} imports inside a function at {', '.join(hidden)}: import at the top"


def test_the_import_graph_of_loaders_has_no_cycle():
    edges = graph()
    state: dict[str, str] = {}
    cycles: list[list[str]] = []

    def visit(name: str, path: list[str]) -> None:
        state[name] = "open"
        for target in sorted(edges[name]):
            if state.get(target) == "open":
                cycles.append(path[path.index(target):] + [target])
            elif target not in state:
                visit(target, [*path, target])
        state[name] = "done"

    for name in sorted(edges):
        if name not in state:
            visit(name, [name])
    assert not cycles, "loaders modules import each other in a circle: " + "; ".join(" -> ".join(c) for c in cycles)


def test_the_shared_types_are_leaves():
    edges = graph()
    assert set(MODULES) >= LEAVES
    reaching = {name: sorted(edges[name] - LEAVES) for name in sorted(LEAVES) if edges[name] - LEAVES}
    assert not reaching, f"leaf modules import readers or the dispatcher: {reaching}"


def test_the_check_finds_an_import_inside_a_function_and_a_cycle():
    """The checks above can fail: a module written the old way is caught by both."""
    old = ast.parse("from loaders.report import ImportReport\n\ndef f():\n    from loaders.returns import x\n")
    assert any(isinstance(n, ast.ImportFrom) for fn in ast.walk(old) if isinstance(fn, ast.FunctionDef)
               for n in ast.walk(fn))
    assert loaders_imports(old) == {"loaders.report", "loaders.returns"}
