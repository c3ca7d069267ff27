"""validate's layout, read from the source (ast, nothing imported).

- runner/validate/ (plan, sections, readiness, render, ...) imports no service: the service
  orchestrates the package, never the other way round. Imports inside functions count.
- No ``_private`` name crosses validate's modules (the package and the service), either way: a
  helper two modules share is a public function of a module both may import (as_date in
  runner.warehouse, pct in runner.validate.figures).
- The service stays orchestration (≈ ≤ 200 lines) and every validate module stays readable in one
  sitting (≤ 400 lines).
"""
from __future__ import annotations

import ast
from pathlib import Path

RUNNER = Path(__file__).resolve().parents[2]
SERVICE = RUNNER / "services" / "validate.py"
SERVICE_MAX_LINES = 200
MODULE_MAX_LINES = 400


def _source_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*.py") if "tests" not in p.relative_to(RUNNER).parts)


def _imports(path: Path, root: Path = RUNNER) -> list[tuple[str, str | None]]:
    """(module, name) of every import in the file, anywhere in it; name None for `import module`.
    ``root`` is the runner package the file lives in (relative imports resolve against it)."""
    out: list[tuple[str, str | None]] = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative: resolve against the file's package
                package = path.relative_to(root.parent).with_suffix("").parts[:-1]
                base = ".".join(package[: len(package) - node.level + 1] + ((node.module,) if node.module else ()))
            else:
                base = node.module or ""
            out += [(base, alias.name) for alias in node.names]
    return out


def _targets(imports: list[tuple[str, str | None]]) -> set[str]:
    return {module if name is None else f"{module}.{name}" for module, name in imports}


def test_the_validate_package_imports_no_service():
    files = _source_files(RUNNER / "validate")
    seen = {f.relative_to(RUNNER).as_posix(): _targets(_imports(f)) for f in files}
    assert "runner.validate.plan.plan_queries" not in seen["validate/sections.py"]  # sanity: names, not modules
    assert "runner.validate.plan.Plan" in seen["validate/sections.py"]  # the reader sees imports at all
    assert "runner.project.load_project" in seen["validate/plan.py"]
    upward = sorted(f"{path} imports {t}" for path, targets in seen.items() for t in targets
                    if t == "runner.services" or t.startswith("runner.services."))
    assert upward == []


def _is_validate(module: str) -> bool:
    return module in ("runner.validate", "runner.services.validate") or module.startswith("runner.validate.")


def test_no_private_name_crosses_validate_modules():
    """Neither validate's modules import a _private name, nor does any module import one of theirs."""
    private = sorted(
        f"{f.relative_to(RUNNER).as_posix()} imports {name} from {module}"
        for f in _source_files(RUNNER)
        for module, name in _imports(f)
        if module.startswith("runner") and name and name.startswith("_") and not name.startswith("__")
        and (_is_validate(module) or _is_validate(".".join(("runner", *f.relative_to(RUNNER).with_suffix("").parts)))))
    assert private == []


def test_the_reader_sees_relative_and_deferred_imports(tmp_path):
    root = tmp_path / "runner"
    (root / "validate").mkdir(parents=True)
    module = root / "validate" / "x.py"
    module.write_text("from . import plan\nfrom ..services.validate import _helper\n"
                      "def f():\n    import runner.services.notify\n")
    assert sorted(_imports(module, root), key=str) == [
        ("runner.services.notify", None), ("runner.services.validate", "_helper"), ("runner.validate", "plan")]


def test_the_service_is_orchestration_and_validate_modules_stay_readable():
    sizes = {f.relative_to(RUNNER).as_posix(): len(f.read_text().splitlines())
             for f in _source_files(RUNNER / "validate")}
    assert {"validate/plan.py", "validate/sections.py", "validate/readiness.py"} <= set(sizes)
    too_long = {path: n for path, n in sizes.items() if n > MODULE_MAX_LINES}
    assert too_long == {}, f"split by concern: modules over {MODULE_MAX_LINES} lines: {too_long}"
    service = len(SERVICE.read_text().splitlines())
    assert service <= SERVICE_MAX_LINES, (
        f"runner/services/validate.py is {service} lines: move logic into runner/validate/")
