"""Read-only queries against the run's warehouse for summaries and reports.

``open_warehouse(settings)`` gives one small interface (``Warehouse``) over the
target's engine, so a service computes its numbers in the warehouse with SQL
(compiled by dbt where it names models) and never cares which engine answers:
the embedded DuckDB file, or BigQuery (the production target and the CI
emulator). SQL passes values as positional ``?`` parameters on both engines.

``bigquery_client(settings)`` is the one place that builds a
google-cloud-bigquery client, from the same environment variables as the
dbt profile (profiles.example.yml): production with a service-account key
file (NBA_BQ_KEYFILE) or application-default credentials; the emulator with
anonymous credentials at NBA_BQ_API_ENDPOINT.
"""
from __future__ import annotations

import datetime as dt
import decimal
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from runner.config import Settings
from runner.errors import UsageError

# defaults shared with profiles.example.yml (keep them equal)
DEFAULT_PROJECT = {"bigquery": "nba-props-platform", "emulator": "nba-emulator"}
DEFAULT_API_ENDPOINT = "http://127.0.0.1:9051"
DEFAULT_MAX_BYTES_BILLED = 500_000_000_000


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


class BigQueryWarehouse:
    """Queries through google-cloud-bigquery.

    ``?`` placeholders are rendered as BigQuery literals (``sql_literal``), not
    sent as query parameters: the CI emulator refuses any query job carrying
    parameters, and one code path for production and emulator is the tested one.
    The values are the runner's own (dates, model names, numbers), never user SQL.
    """

    engine = "bigquery"

    def __init__(self, client: Any) -> None:
        self.client = client

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple]:
        return [tuple(r.values()) for r in self._result(sql, params)]

    def dicts(self, sql: str, params: Sequence[Any] | None = None) -> list[dict[str, Any]]:
        return [dict(r.items()) for r in self._result(sql, params)]

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> None:
        self._result(sql, params)

    def relation_exists(self, schema: str, name: str) -> bool:
        from google.api_core.exceptions import NotFound

        try:
            self.client.get_table(f"{self.client.project}.{schema}.{name}")
        except NotFound:
            return False
        return True

    def columns(self, schema: str, name: str) -> list[str]:
        return [f.name for f in self.client.get_table(f"{self.client.project}.{schema}.{name}").schema]

    def ensure_dataset(self, name: str) -> None:
        self.client.create_dataset(f"{self.client.project}.{name}", exists_ok=True)

    def _result(self, sql: str, params: Sequence[Any] | None) -> Any:
        return self.client.query(bind(sql, params or ())).result()


def bind(sql: str, params: Sequence[Any]) -> str:
    """``sql`` with each ``?`` outside quotes replaced by the BigQuery literal of the next value."""
    out: list[str] = []
    values = iter(params)
    quote: str | None = None
    i = 0
    while i < len(sql):
        ch = sql[i]
        if quote:
            out.append(ch)
            if ch == "\\" and i + 1 < len(sql):
                out.append(sql[i + 1])
                i += 1
            elif ch == quote:
                quote = None
        elif ch in "'\"`":
            quote = ch
            out.append(ch)
        elif ch == "?":
            try:
                out.append(sql_literal(next(values)))
            except StopIteration:
                raise ValueError(f"more ? placeholders than the {len(params)} values given") from None
        else:
            out.append(ch)
        i += 1
    if next(values, _END) is not _END:
        raise ValueError(f"fewer ? placeholders than the {len(params)} values given")
    return "".join(out)


_END = object()


def sql_literal(value: Any) -> str:
    """A BigQuery (GoogleSQL) literal for a Python value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, decimal.Decimal)):
        f = float(value)
        if f != f or f in (float("inf"), float("-inf")):
            return f"cast('{'nan' if f != f else ('inf' if f > 0 else '-inf')}' as float64)"
        return repr(f)
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return f"timestamp '{value.isoformat(sep=' ')}'"
    if isinstance(value, dt.date):
        return f"date '{value.isoformat()}'"
    text = str(value).replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
    return f"'{text}'"


def as_date(value: Any) -> dt.date:
    """A date column's value as a date, whichever engine returned it (a date, a timestamp or ISO text)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def split_relation(relation: str) -> tuple[str, str]:
    """(dataset or schema, table) of a relation name as dbt renders it (quoted, 2 or 3 parts)."""
    parts = [p.strip('`"') for p in relation.replace("`.`", ".").split(".")]
    return parts[-2], parts[-1]


def bigquery_client(settings: Settings) -> Any:
    """A google-cloud-bigquery client for the target, configured like its dbt profile."""
    from google.cloud import bigquery

    env = os.environ
    project = env.get("NBA_GCP_PROJECT") or DEFAULT_PROJECT.get(settings.target, DEFAULT_PROJECT["bigquery"])
    location = env.get("NBA_BQ_LOCATION") or "US"
    if settings.is_emulator:
        from google.auth.credentials import AnonymousCredentials

        return bigquery.Client(
            project=project,
            location=location,
            credentials=AnonymousCredentials(),
            client_options={"api_endpoint": env.get("NBA_BQ_API_ENDPOINT") or DEFAULT_API_ENDPOINT},
        )
    credentials = None
    if env.get("NBA_BQ_KEYFILE"):
        from google.oauth2 import service_account

        credentials = service_account.Credentials.from_service_account_file(env["NBA_BQ_KEYFILE"])
    max_bytes = int(env.get("NBA_BQ_MAX_BYTES_BILLED") or DEFAULT_MAX_BYTES_BILLED)
    return bigquery.Client(
        project=project,
        location=location,
        credentials=credentials,
        default_query_job_config=bigquery.QueryJobConfig(maximum_bytes_billed=max_bytes),
    )


@contextmanager
def open_warehouse(settings: Settings, must_exist: bool = True) -> Iterator[Warehouse]:
    if settings.is_embedded:
        with connect(settings, must_exist=must_exist) as con:
            yield DuckDBWarehouse(con)
        return
    if settings.is_warehouse:
        client = bigquery_client(settings)
        try:
            yield BigQueryWarehouse(client)
        finally:
            client.close()
        return
    raise UsageError(f"target {settings.target!r}: unknown engine (targets: duckdb, bigquery, emulator)")


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
