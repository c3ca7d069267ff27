"""Load simulated raw tables into a BigQuery nba_raw dataset (the emulator of CI and `make test-bigquery`).

The simulator writes DuckDB (``generate``); this copies its typed tables, for a
date range, into BigQuery through the google-cloud-bigquery client: one table
per source, partitioned by day on its date column, the columns and types of
``schema.TABLES`` (never restated here). Each table is replaced (created
partitioned by DDL, then filled).

The rows travel as ``INSERT ... SELECT`` queries whose data is ONE string
literal (rows joined by \\x1e, fields by \\x1f, NULL spelled \\x1d), split and
cast back in SQL. Measured on the pinned emulator (crucible-emulator 0.1.0a2)
for the 139 k raw rows of 2024-10-22..2024-11-20: load jobs ~42 rows/s (it
inserts a load job's rows one by one), multi-row ``VALUES`` ~7 rows/s (it
translates every value node), one literal per table ~2 000-7 000 rows/s (the
cost is per statement, not per row). Production's raw tables are loaded by the
scrapers' load jobs, never by this module.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .schema import RAW_SCHEMA, TABLES, RawTable

ROW_SEP, FIELD_SEP, NULL = "\x1e", "\x1f", "\x1d"  # ASCII record / unit / group separators
MAX_STATEMENT_CHARS = 32_000_000  # one statement per table unless its text would pass this


def load_raw(
    con: Any,
    client: Any,
    start: dt.date | None = None,
    end: dt.date | None = None,
    tables: Sequence[RawTable] | None = None,
    dataset: str = RAW_SCHEMA,
) -> dict[str, int]:
    """Copy ``nba_raw`` of the DuckDB connection ``con`` (rows dated start..end) into ``dataset``.

    Returns the rows loaded per table.
    """
    client.create_dataset(f"{client.project}.{dataset}", exists_ok=True)
    counts: dict[str, int] = {}
    for table in tables or TABLES.values():
        relation = f"{dataset}.{table.name}"
        client.query(_ddl(relation, table)).result()
        rows = _text_rows(con, table, date_filter(table.date_column, start, end))
        for batch in _batches(rows, MAX_STATEMENT_CHARS):
            client.query(insert_sql(relation, table, batch)).result()
        counts[table.name] = len(rows)
    return counts


def _ddl(relation: str, table: RawTable) -> str:
    columns = ", ".join(f"{c} {t}" for c, t in table.bigquery_schema())
    return f"create or replace table {relation} ({columns}) partition by {table.date_column}"


def date_filter(column: str, start: dt.date | None, end: dt.date | None) -> str:
    """Predicate keeping the rows of ``column`` inside start..end (either may be None)."""
    clauses = ["true"]
    if start is not None:
        clauses.append(f"{column} >= date '{start.isoformat()}'")
    if end is not None:
        clauses.append(f"{column} <= date '{end.isoformat()}'")
    return " and ".join(clauses)


def _text_rows(con: Any, table: RawTable, where: str) -> list[str]:
    """Each row as one line of text, its fields as DuckDB spells them (BigQuery casts them back:
    doubles in their shortest round-trip form, timestamps as UTC 'YYYY-MM-DD hh:mm:ss[.ffffff]')."""
    fields = ", ".join(f"coalesce(cast({c} as varchar), chr({ord(NULL)}))" for c in table.column_names)
    order = ", ".join((*table.natural_key, "processed_at"))
    return [line for (line,) in con.execute(
        f"select concat_ws(chr({ord(FIELD_SEP)}), {fields}) from {RAW_SCHEMA}.{table.name} "
        f"where {where} order by {order}"
    ).fetchall()]


def _batches(rows: list[str], max_chars: int) -> list[list[str]]:
    out: list[list[str]] = []
    size = max_chars
    for row in rows:
        if size + len(row) + 1 > max_chars:
            out.append([])
            size = 0
        out[-1].append(row)
        size += len(row) + 1
    return out


def insert_sql(relation: str, table: RawTable, rows: Sequence[str]) -> str:
    """``insert into relation select <typed columns> from <the rows, one string literal>``."""
    for row in rows:
        fields = row.split(FIELD_SEP)
        if len(fields) != len(table.columns) or ROW_SEP in row or \
                any(NULL in f and f != NULL for f in fields):
            raise ValueError(f"{table.name}: a value holds one of the separators \\x1d \\x1e \\x1f: {row!r}")
    blob = ROW_SEP.join(rows)
    columns = ",\n    ".join(
        f"{_typed(f'nullif(f[offset({i})], {_literal(NULL)})', kind)} as {name}"
        for i, (name, kind) in enumerate(table.bigquery_schema())
    )
    return (
        f"insert into {relation} ({', '.join(table.column_names)})\n"
        f"select\n    {columns}\n"
        f"from (select split(line, {_literal(FIELD_SEP)}) as f\n"
        f"      from unnest(split({_literal(blob)}, {_literal(ROW_SEP)})) as line)"
    )


def _typed(value: str, kind: str) -> str:
    return value if kind == "STRING" else f"cast({value} as {kind})"


def _literal(text: str) -> str:
    """A BigQuery double-quoted string literal. Without quote, backslash or newline it is the
    text itself between quotes: the emulator's tokenizer reads such a literal at once, while an
    escape sends it character by character (minutes for megabytes)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    return f'"{escaped}"'
