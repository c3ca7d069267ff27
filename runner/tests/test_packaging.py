"""The installed package is the runner, not its test suite (pyproject's package discovery)."""
from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def _packages(root: Path) -> list[str]:
    return sorted(".".join(p.parent.relative_to(root).parts) for p in (root / "runner").rglob("__init__.py"))


def test_the_wheel_takes_every_runner_package_but_the_tests():
    find = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]

    def shipped(name: str) -> bool:  # setuptools' rule: matches an include pattern and no exclude pattern
        return (any(fnmatch.fnmatchcase(name, p) for p in find["include"])
                and not any(fnmatch.fnmatchcase(name, p) for p in find.get("exclude", [])))

    packages = _packages(PROJECT_DIR)
    assert "runner.tests" in packages and "runner.tests.backfill" in packages
    assert [p for p in packages if p.startswith("runner.tests") and shipped(p)] == []
    assert [p for p in packages if not p.startswith("runner.tests") and not shipped(p)] == []
