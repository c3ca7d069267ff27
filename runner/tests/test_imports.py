"""The runner's layers, read from its source (ast, nothing imported): imports point down only.

- No import circle anywhere in runner/: two modules that import each other, directly or through
  others, cannot be understood (or changed) one at a time. Imports inside functions count: a
  deferred import hides a circle, it does not remove it.
- The base modules (the dbt wrapper, settings, console, inputs, errors, warehouse, the project model) import nothing
  from runner.services or runner.backfill: what they need from above is passed in (callbacks).
- runner/backfill/ (the backfill's parts) imports no service.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

RUNNER = Path(__file__).resolve().parents[1]
BASE = ("runner.dbt", "runner.config", "runner.console", "runner.inputs", "runner.errors", "runner.redact",
        "runner.warehouse", "runner.project")
ABOVE_BASE = ("runner.services", "runner.backfill")


def module_name(path: Path) -> str:
    parts = path.relative_to(RUNNER.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(RUNNER.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The runner modules `name` imports anywhere in its source. `from pkg import sub` names the
    submodule when there is one, else the package (or module) the names come from."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in known else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in known:  # `import runner.x.y` of a name inside a module
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph() -> dict[str, set[str]]:
    mods = modules()
    return {name: imports_of(name, path, set(mods)) for name, path in mods.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def below(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def upward(graph: dict[str, set[str]]) -> list[tuple[str, str]]:
    bad = [(m, t) for m in BASE for t in graph.get(m, ()) if below(t, ABOVE_BASE)]
    bad += [(m, t) for m, ts in graph.items() if below(m, ("runner.backfill",))
            for t in ts if below(t, ("runner.services",))]
    return sorted(bad)


def test_no_import_circle_in_the_runner():
    graph = import_graph()
    assert {"runner.dbt", "runner.services.backfill", "runner.backfill.store"} <= set(graph)
    assert "runner.backfill.crashpoints" in graph["runner.backfill.store"]  # the reader sees imports at all
    assert cycles(graph) == []


def test_base_modules_import_nothing_from_services_or_backfill():
    graph = import_graph()
    assert set(BASE) <= set(graph)
    assert upward(graph) == []


@pytest.mark.parametrize("graph, expected", [
    ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ({"a": {"b"}, "b": set(), "c": {"b"}}, []),
    ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
])
def test_cycles_finds_every_circle(graph, expected):
    assert sorted(cycles(graph)) == expected


def test_the_reader_sees_deferred_relative_and_submodule_imports(tmp_path, monkeypatch):
    pkg = tmp_path / "runner"
    (pkg / "services").mkdir(parents=True)
    for f in ("__init__.py", "dbt.py", "services/__init__.py", "services/notify.py", "services/cascade.py"):
        (pkg / f).write_text("")
    (pkg / "dbt.py").write_text("def f():\n    from runner.services.notify import x\n")
    (pkg / "services/cascade.py").write_text("from . import notify\nfrom .. import dbt\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["RUNNER"]), "RUNNER", pkg)
    graph = import_graph()
    assert graph["runner.dbt"] == {"runner.services.notify"}
    assert graph["runner.services.cascade"] == {"runner.services.notify", "runner.dbt"}
    assert upward(graph) == [("runner.dbt", "runner.services.notify")]
