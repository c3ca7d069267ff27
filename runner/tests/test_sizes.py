"""No module too long to hold in one's head: every .py file under runner/ and bench/ (tests included)
and every .sql file under models/ and macros/ stays at or under 400 lines, unless its head says why.

The reason is written where a reader meets the file: in a Python module's docstring, a line starting
``Over 400 lines because:``; in a SQL file, a leading ``{# over 400 lines because: ... #}`` comment.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

from runner.tests.conftest import PROJECT_DIR

LIMIT = 400
PY_REASON = re.compile(r"^\s*Over 400 lines because:\s*\S", re.M)
SQL_REASON = re.compile(r"\A\s*\{#-?\s*over 400 lines because:\s*\S", re.I)


def lines(path: Path) -> int:
    return len(path.read_text().splitlines())


def py_reason(path: Path) -> bool:
    """The module docstring's first lines (up to its first blank line) say why it is long."""
    doc = ast.get_docstring(ast.parse(path.read_text(), str(path))) or ""
    head = doc.split("\n\n", 1)[0]
    return bool(PY_REASON.search(head))


def sql_reason(path: Path) -> bool:
    return bool(SQL_REASON.match(path.read_text()))


def oversized(roots: list[Path], pattern: str, has_reason, base: Path = PROJECT_DIR) -> list[str]:
    return [f"{p.relative_to(base)}: {lines(p)} lines"
            for root in roots for p in sorted(root.rglob(pattern))
            if lines(p) > LIMIT and not has_reason(p)]


PY_ROOTS = [PROJECT_DIR / "runner", PROJECT_DIR / "bench"]


def test_no_python_module_over_400_lines_without_a_reason():
    files = [p for root in PY_ROOTS for p in root.rglob("*.py")]
    assert len(files) > 100  # the walk sees the package, its tests and the bench
    assert oversized(PY_ROOTS, "*.py", py_reason) == []


def test_no_sql_file_over_400_lines_without_a_reason():
    assert oversized([PROJECT_DIR / "models", PROJECT_DIR / "macros"], "*.sql", sql_reason) == []


def test_the_size_rule_counts_lines_and_reads_the_reasons(tmp_path):
    def py(body: str, n: int) -> Path:
        path = tmp_path / f"m{n}.py"
        path.write_text(body + "x = 1\n" * n)
        return path

    assert not py_reason(py('"""A module."""\n', 10))
    assert py_reason(py('"""A module.\n\nOver 400 lines because: one table, one rule each.\n"""\n', 10)) is False
    assert py_reason(py('"""A module.\nOver 400 lines because: one table, one rule each.\n"""\n', 10))
    assert not py_reason(py('"""A module.\nOver 400 lines because:\n"""\n', 10))  # a reason, not the marker
    long_ok = py('"""Over 400 lines because: the catalogue is one list."""\n', 401)
    long_bad = py('"""A module."""\n', 401)
    short = py('"""A module."""\n', 398)
    assert lines(long_bad) == 402 and lines(short) == 399 and lines(long_ok) == 402
    assert oversized([tmp_path], "*.py", py_reason, base=tmp_path) == [f"{long_bad.name}: 402 lines"]

    sql = tmp_path / "model.sql"
    sql.write_text("{# over 400 lines because: fifty columns, one per line #}\nselect 1\n")
    assert sql_reason(sql)
    sql.write_text("select 1\n{# over 400 lines because: too late, not at the head #}\n")
    assert not sql_reason(sql)
