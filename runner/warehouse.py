"""Read-only queries against the run's warehouse for summaries and reports.

``open_warehouse(settings)`` gives one small interface (``Warehouse``) over the
target's engine, so a service computes its numbers in the warehouse with SQL
(compiled by dbt where it names models) and never cares which engine answers:
the embedded DuckDB file, or BigQuery (the production target and the CI
emulator; implemented with the BigQuery work, issue 7).
"""
from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from runner.config import Settings
from runner.errors import UsageError


class Warehouse(Protocol):
    engine: str  # "duckdb" | "bigquery"

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]: ...

    def dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]: ...

    def relation_exists(self, schema: str, name: str) -> bool: ...


class DuckDBWarehouse:
    engine = "duckdb"

    def __init__(self, con: Any) -> None:
        self.con = con

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return self.con.execute(sql, list(params or [])).fetchall()

    def dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        cur = self.con.execute(sql, list(params or []))
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r)) for r in cur.fetchall()]

    def relation_exists(self, schema: str, name: str) -> bool:
        return relation_exists(self.con, schema, name)


@contextmanager
def open_warehouse(settings: Settings, must_exist: bool = True) -> Iterator[Warehouse]:
    if settings.is_embedded:
        with connect(settings, must_exist=must_exist) as con:
            yield DuckDBWarehouse(con)
        return
    raise UsageError(f"target {settings.target!r}: reading a BigQuery warehouse is not implemented yet")


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
