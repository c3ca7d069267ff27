"""Content checksums of tables: order-independent, content-only.

Two methods, both insensitive to the physical row order and sensitive to duplicated rows:

- ``"md5"`` (default, portable): md5 of each row's text (the row cast to VARCHAR), the row digests
  sorted and concatenated, and the md5 of that. Stable across DuckDB versions.
- ``"hash"`` (≈ 40× faster): the row count and the sum of DuckDB's 64-bit ``hash`` of each row.
  Only comparable between databases read by the same DuckDB version; meant for tests that compare
  two runs in one session.

Used to assert that the simulator is deterministic and, later, that a table rebuilt after an
interruption equals a clean build.
"""
from __future__ import annotations

import duckdb

METHODS = ("md5", "hash")


def _quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _qualified(qualified_table: str) -> str:
    return ".".join(_quote_ident(p.strip('"')) for p in qualified_table.split("."))


def table_checksum(
    con: duckdb.DuckDBPyConnection, qualified_table: str, method: str = "md5", where: str | None = None
) -> str:
    """Checksum of the content of ``qualified_table`` (``schema.table``); ``'empty'`` without rows.

    ``where`` restricts it to some rows (e.g. the dates outside a backfill window)."""
    src = _qualified(qualified_table)
    if where:
        src = f"(select * from {src} where {where})"
    if method == "md5":
        sql = (f"select count(*), md5(coalesce(string_agg(h, '' order by h), '')) "
               f"from (select md5(cast(t as varchar)) as h from {src} as t)")
    elif method == "hash":
        sql = f"select count(*), cast(coalesce(sum(hash(t)), 0) as varchar) from {src} as t"
    else:
        raise ValueError(f"unknown checksum method {method!r}; use one of {', '.join(METHODS)}")
    n, digest = con.execute(sql).fetchall()[0]
    if n == 0:
        return "empty"
    return digest if method == "md5" else f"{n}:{digest}"


def schema_checksums(con: duckdb.DuckDBPyConnection, schema: str, method: str = "md5") -> dict[str, str]:
    """``{table_name: table_checksum}`` for every base table of ``schema``, sorted by name."""
    names = [r[0] for r in con.execute(
        "select table_name from information_schema.tables "
        "where table_schema = ? and table_type = 'BASE TABLE' order by table_name", [schema]).fetchall()]
    return {name: table_checksum(con, f"{schema}.{name}", method) for name in names}
