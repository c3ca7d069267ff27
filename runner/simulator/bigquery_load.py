"""Load simulated raw tables into a BigQuery nba_raw dataset (production layout, emulator in CI).

The simulator writes DuckDB (``generate``); this copies its typed tables, for a
date range, into BigQuery with load jobs, as production's scrapers load their
raw tables: one table per source, partitioned by day on its date column, the
columns and types of ``schema.TABLES`` (never restated here). Each table is
replaced (dropped, created partitioned, then loaded). The file format is CSV: the emulator's load jobs
take CSV only (not Parquet nor newline-delimited JSON); strings are quoted, so
an empty string stays empty and a missing value (unquoted empty) loads as NULL.
"""
from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from typing import Any

from .schema import RAW_SCHEMA, TABLES, RawTable


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
    from google.cloud import bigquery

    client.create_dataset(f"{client.project}.{dataset}", exists_ok=True)
    counts: dict[str, int] = {}
    for table in tables or TABLES.values():
        where = date_filter(table.date_column, start, end)
        data = con.sql(
            f"select {', '.join(table.column_names)} from {RAW_SCHEMA}.{table.name} where {where} "
            f"order by {', '.join((*table.natural_key, 'processed_at'))}"
        ).to_arrow_table()
        schema = [bigquery.SchemaField(c, t) for c, t in table.bigquery_schema()]
        ref = f"{client.project}.{dataset}.{table.name}"
        # the partitioned table by DDL first, then the rows: the emulator takes partitioning
        # neither in a load job's configuration nor in the tables API
        client.query(_ddl(f"{dataset}.{table.name}", table)).result()
        config = bigquery.LoadJobConfig(
            source_format=bigquery.SourceFormat.CSV,
            skip_leading_rows=1,
            write_disposition=bigquery.WriteDisposition.WRITE_APPEND,
            schema=schema,
        )
        client.load_table_from_file(_csv(data), ref, job_config=config, rewind=True).result()
        counts[table.name] = data.num_rows
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


def _csv(data: Any) -> io.BytesIO:
    import pyarrow.csv as pacsv

    buf = io.BytesIO()
    pacsv.write_csv(data, buf, pacsv.WriteOptions(quoting_style="needed"))
    buf.seek(0)
    return buf
