"""Read-only queries against the run's warehouse for summaries and reports.

The embedded default is queried directly with DuckDB; other targets are
reached through dbt in later work (issue: validation reports).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from runner.config import Settings
from runner.errors import UsageError


@contextmanager
def connect(settings: Settings, must_exist: bool = True) -> Iterator[Any]:
    """A DuckDB connection to the run's file.

    Opened read-write on purpose: dbt-duckdb keeps its own connection open in
    this process, and DuckDB refuses a second connection to the same file with
    a different configuration (read_only=True).
    """
    import duckdb

    if not settings.is_embedded:
        raise UsageError(f"target {settings.target!r}: this command reads the embedded DuckDB file only")
    if must_exist and not settings.duckdb_path.exists():
        raise UsageError(
            f"no DuckDB file at {settings.duckdb_path}: run `nba-pipeline raw generate` first"
        )
    con = duckdb.connect(str(settings.duckdb_path))
    try:
        yield con
    finally:
        con.close()


def relation_exists(con: Any, schema: str, name: str) -> bool:
    row = con.execute(
        "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
        [schema, name],
    ).fetchone()
    return bool(row and row[0])
