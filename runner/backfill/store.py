"""The backfill's warehouse access: ledger, run history, lock, and a few reads.

One interface (``Store``), two implementations: ``DuckDBStore`` (the
embedded file; the lock is a file beside it) and ``BigQueryStore`` (the same
tables in the nba_orchestration dataset; production and the emulator). The
ledger holds the latest state of each (model, date); ``backfill_runs`` one
row per run. Both tables are declared once (``LEDGER_COLUMNS``,
``RUNS_COLUMNS``) and rendered in each engine's types.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from runner.backfill import crashpoints
from runner.config import Settings
from runner.errors import UsageError

SCHEMA = "nba_orchestration"
LEDGER = f"{SCHEMA}.backfill_ledger"
RUNS = f"{SCHEMA}.backfill_runs"


@dataclass(frozen=True)
class LedgerRow:
    model: str
    date: dt.date
    status: str
    run_id: str
    rows_written: int | None = None
    rows_expected: int | None = None
    coverage_pct: float | None = None
    reason: str | None = None
    started_at: dt.datetime | None = None
    finished_at: dt.datetime | None = None


@dataclass(frozen=True)
class LockHolder:
    run_id: str
    host: str
    pid: int
    started_at: str

    def describe(self) -> str:
        return f"run {self.run_id} on host {self.host}, PID {self.pid}, started {self.started_at}"

    @classmethod
    def current(cls, run_id: str) -> LockHolder:
        now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        return cls(run_id, socket.gethostname(), os.getpid(), now)


class BackfillLocked(UsageError):
    """Another backfill holds the target (exit 2: nothing ran)."""


class Store(Protocol):
    def ensure_tables(self) -> None: ...
    def acquire_lock(self, holder: LockHolder) -> LockHolder | None: ...
    def release_lock(self, holder: LockHolder) -> None: ...
    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]: ...
    def write_ledger(self, rows: Sequence[LedgerRow]) -> None: ...
    def publish(self, public: str, audit: str, date_column: str, dates: Sequence[dt.date]) -> None: ...
    def start_run(self, run: dict[str, Any]) -> None: ...
    def finish_run(self, run_id: str, values: dict[str, Any]) -> None: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def relation_exists(self, relation: str) -> bool: ...
    def columns(self, relation: str) -> list[str]: ...
    def close(self) -> None: ...


# (column, type family): rendered per engine by _ddl
LEDGER_COLUMNS = (
    ("model_name", "string not null"),
    ("ledger_date", "date not null"),
    ("status", "string not null"),
    ("run_id", "string not null"),
    ("rows_written", "int"),
    ("rows_expected", "int"),
    ("coverage_pct", "float"),
    ("reason", "string"),
    ("started_at", "timestamp"),
    ("finished_at", "timestamp"),
)
LEDGER_KEY = ("model_name", "ledger_date")
RUNS_COLUMNS = (
    ("run_id", "string not null"),
    ("command_line", "string"),      # as typed, with any URL shown as its host only
    ("selection", "string"),
    ("start_date", "date"),
    ("end_date", "date"),
    ("options", "string"),
    ("host", "string"),
    ("pid", "int"),
    ("status", "string"),
    ("succeeded", "int"),
    ("failed", "int"),
    ("blocked", "int"),
    ("skipped", "int"),
    ("duration_seconds", "float"),
    ("errors", "string"),
    ("log_path", "string"),
    ("started_at", "timestamp"),
    ("finished_at", "timestamp"),
    # the end-of-run notification (--notify): the webhook's host only, never its URL. Columns
    # added after the first release go last: ensure_tables adds them to existing ledgers.
    ("notify_host", "string"),
    ("notify_status", "string"),     # sent, not_delivered, not_sent (see runner/services/notify.py)
    ("notify_detail", "string"),
)
_TYPES = {
    "duckdb": {"string": "varchar", "int": "bigint", "float": "double", "date": "date", "timestamp": "timestamp"},
    "bigquery": {"string": "string", "int": "int64", "float": "float64", "date": "date", "timestamp": "timestamp"},
}


def _type(family: str, engine: str) -> str:
    base, _, rest = family.partition(" ")
    return " ".join([_TYPES[engine][base], rest]).strip()


def _ddl(relation: str, columns: tuple[tuple[str, str], ...], engine: str, key: tuple[str, ...] = ()) -> str:
    cols = [f"{name} {_type(family, engine)}" for name, family in columns]
    if key and engine == "duckdb":  # BigQuery has no enforced keys: its writes merge on the key
        cols.append(f"primary key ({', '.join(key)})")
    return f"create table if not exists {relation} (\n    " + ",\n    ".join(cols) + "\n)"


def _ledger_query(models: list[str], start: dt.date | None, end: dt.date | None) -> tuple[str, list[Any]]:
    """The ledger rows of the models dated start..end, as LedgerRow fields (engine-neutral SQL)."""
    names = ", ".join(name for name, _ in LEDGER_COLUMNS)
    sql = f"select {names} from {LEDGER} where model_name in ({', '.join('?' for _ in models)})"
    params: list[Any] = list(models)
    if start is not None:
        sql += " and ledger_date >= ?"
        params.append(start)
    if end is not None:
        sql += " and ledger_date <= ?"
        params.append(end)
    return sql + " order by model_name, ledger_date", params


LEDGER_DDL = _ddl(LEDGER, LEDGER_COLUMNS, "duckdb", LEDGER_KEY)
RUNS_DDL = _ddl(RUNS, RUNS_COLUMNS, "duckdb", ("run_id",))


class DuckDBStore:
    """The ledger in the embedded DuckDB file; the lock is a file next to it.

    DuckDB lets one process at a time write a file, so a lock row inside the
    file could not even be read by a second process: the lock lives beside it
    (``<file>.backfill.lock``), created atomically, holding the holder as JSON.
    """

    def __init__(self, settings: Settings) -> None:
        import duckdb

        if not settings.duckdb_path.exists():
            raise UsageError(f"no DuckDB file at {settings.duckdb_path}: run `nba-pipeline raw generate` first")
        self.lock_path = Path(f"{settings.duckdb_path}.backfill.lock")
        self._duckdb = duckdb
        self._path = str(settings.duckdb_path)
        self._con: Any = None

    # -- connection ---------------------------------------------------------------
    @property
    def con(self) -> Any:
        if self._con is None:
            self._con = self._duckdb.connect(self._path)
        return self._con

    def close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None

    # -- tables -------------------------------------------------------------------
    def ensure_tables(self) -> None:
        self.con.execute(f"create schema if not exists {SCHEMA}")
        self.con.execute(LEDGER_DDL)
        self.con.execute(RUNS_DDL)
        present = set(self.columns(RUNS))
        for name, family in RUNS_COLUMNS:  # a ledger from an earlier version lacks the newer columns
            if name not in present:
                self.con.execute(f"alter table {RUNS} add column if not exists {name} {_type(family, 'duckdb')}")

    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]:
        if not self.relation_exists(LEDGER):
            return []
        models = list(models)
        if not models:
            return []
        return [LedgerRow(*r) for r in self.query(*_ledger_query(models, start, end))]

    def write_ledger(self, rows: Sequence[LedgerRow]) -> None:
        if not rows:
            return
        values = [tuple(asdict(r).values()) for r in rows]
        self.con.execute("begin transaction")
        try:
            self.con.executemany(
                f"insert or replace into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )
            crashpoints.reached("ledger_write")
            self.con.execute("commit")
        except Exception:
            self.con.execute("rollback")
            raise

    def publish(self, public: str, audit: str, date_column: str, dates: Sequence[dt.date]) -> None:
        """Write-audit-publish: the audit twin's rows of `dates` replace the public table's rows of
        those dates, in one transaction (a crash leaves each date old or new, never half)."""
        if not dates:
            return
        cols = ", ".join(f'"{c}"' for c in self.columns(public))
        marks = ", ".join("?" for _ in dates)
        self.con.execute("begin transaction")
        try:
            self.con.execute(f"delete from {public} where {date_column} in ({marks})", list(dates))
            self.con.execute(f"insert into {public} ({cols}) select {cols} from {audit} "
                             f"where {date_column} in ({marks})", list(dates))
            crashpoints.reached("publish")
            self.con.execute("commit")
        except Exception:
            self.con.execute("rollback")
            raise

    def start_run(self, run: dict[str, Any]) -> None:
        cols = ", ".join(run)
        self.con.execute(f"insert into {RUNS} ({cols}) values ({', '.join('?' for _ in run)})", list(run.values()))

    def finish_run(self, run_id: str, values: dict[str, Any]) -> None:
        sets = ", ".join(f"{k} = ?" for k in values)
        self.con.execute(f"update {RUNS} set {sets} where run_id = ?", [*values.values(), run_id])

    # -- reads ----------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.con.execute(sql, list(params)).fetchall()

    def relation_exists(self, relation: str) -> bool:
        parts = [p.strip('"') for p in relation.split(".")]
        schema, name = parts[-2], parts[-1]
        row = self.con.execute(
            "select count(*) from information_schema.tables where table_schema = ? and table_name = ?",
            [schema, name],
        ).fetchone()
        return bool(row and row[0])

    def columns(self, relation: str) -> list[str]:
        parts = [p.strip('"') for p in relation.split(".")]
        rows = self.con.execute(
            "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
            "order by ordinal_position",
            [parts[-2], parts[-1]],
        ).fetchall()
        return [r[0] for r in rows]

    # -- lock -----------------------------------------------------------------------
    def acquire_lock(self, holder: LockHolder) -> LockHolder | None:
        """Take the lock; return the holder it took over from (a dead process), if any."""

        def create() -> None:
            # O_EXCL: if two runs race, only one of them creates the file
            fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            with os.fdopen(fd, "w") as handle:
                json.dump(asdict(holder), handle)

        return _take_lock(create, FileExistsError, self._read_lock,
                          lambda: self.lock_path.unlink(missing_ok=True),
                          f"{self._path}", f"lock file {self.lock_path}")

    def release_lock(self, holder: LockHolder) -> None:
        current = self._read_lock()
        if current is not None and current.run_id == holder.run_id:
            self.lock_path.unlink(missing_ok=True)

    def _read_lock(self) -> LockHolder | None:
        try:
            return LockHolder(**json.loads(self.lock_path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


def _take_lock(create: Callable[[], Any], exists: type[BaseException], read: Callable[[], LockHolder | None],
               remove: Callable[[], Any], held: str, where: str) -> LockHolder | None:
    """The one lock rule of both stores: create the lock atomically; when it exists, a live
    holder refuses the run, and a dead one's lock (a killed process) is removed and created
    again, once. Returns the holder taken over from, if any."""
    taken_over = None
    for _ in range(2):
        try:
            create()
            return taken_over
        except exists:
            current = read()
            if current is not None and _alive(current):
                raise BackfillLocked(f"another backfill holds {held}: {current.describe()} ({where})") from None
            taken_over = current
            remove()
    raise BackfillLocked(f"could not take the backfill lock ({where})")


def _alive(holder: LockHolder) -> bool:
    """Whether the holder still runs. A holder on another host is assumed alive."""
    if holder.host != socket.gethostname():
        return True
    try:
        os.kill(holder.pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


class BigQueryStore:
    """The ledger and run history in BigQuery's nba_orchestration dataset (production, emulator).

    Writes are MERGE statements on the key (the ledger's latest state per (model, date);
    a run row updated when it finishes): BigQuery has no primary key, and the emulator
    runs MERGE but neither UPDATE nor DELETE. The lock is a table,
    ``nba_orchestration.backfill_lock``, made by ``create table ... as select <holder>``
    without ``if not exists``: creating a table is atomic on BigQuery (and on the
    emulator), so of two runs racing for it exactly one succeeds and the other is told
    "already exists"; releasing drops it. A holder whose process is gone (same host,
    dead PID) is taken over, as with the DuckDB file lock.
    """

    LOCK = f"{SCHEMA}.backfill_lock"
    BATCH = 500  # rows per MERGE statement

    def __init__(self, settings: Settings | None, warehouse: Any = None) -> None:
        from runner.warehouse import BigQueryWarehouse, bigquery_client

        self.warehouse = warehouse or BigQueryWarehouse(bigquery_client(settings))
        target = settings.target if settings else "bigquery"
        self._target = f"{target} target, project {self.warehouse.client.project}"

    def close(self) -> None:
        self.warehouse.client.close()

    # -- tables -------------------------------------------------------------------
    def ensure_tables(self) -> None:
        self.warehouse.ensure_dataset(SCHEMA)
        self.warehouse.execute(_ddl(LEDGER, LEDGER_COLUMNS, "bigquery"))
        self.warehouse.execute(_ddl(RUNS, RUNS_COLUMNS, "bigquery"))

    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]:
        models = list(models)
        if not models or not self.relation_exists(LEDGER):
            return []
        return [LedgerRow(*r) for r in self.query(*_ledger_query(models, start, end))]

    def write_ledger(self, rows: Sequence[LedgerRow]) -> None:
        for i in range(0, len(rows), self.BATCH):
            self._merge(LEDGER, LEDGER_COLUMNS, LEDGER_KEY, [tuple(asdict(r).values()) for r in rows[i:i + self.BATCH]])

    def publish(self, public: str, audit: str, date_column: str, dates: Sequence[dt.date]) -> None:
        """Write-audit-publish: one MERGE (atomic) replaces the public rows of `dates` by the audit
        twin's, as dbt-bigquery's static insert_overwrite does."""
        from runner.warehouse import sql_literal

        if not dates:
            return
        cols = ", ".join(f"`{c}`" for c in self.columns(public))
        days = ", ".join(sql_literal(d) for d in dates)
        crashpoints.reached("publish")
        self.warehouse.execute(
            f"merge {public} t using (select {cols} from {audit} where {date_column} in ({days})) s on false\n"
            f"when not matched by source and t.{date_column} in ({days}) then delete\n"
            f"when not matched then insert ({cols}) values ({cols})")

    def start_run(self, run: dict[str, Any]) -> None:
        self.warehouse.execute(
            f"insert into {RUNS} ({', '.join(run)}) values ({', '.join('?' for _ in run)})", list(run.values()))

    def finish_run(self, run_id: str, values: dict[str, Any]) -> None:
        columns = tuple((name, family) for name, family in RUNS_COLUMNS if name == "run_id" or name in values)
        row = tuple(run_id if name == "run_id" else values[name] for name, _ in columns)
        self._merge(RUNS, columns, ("run_id",), [row], insert=False)

    def _merge(self, relation: str, columns, key: tuple[str, ...], rows: Sequence[tuple], insert: bool = True) -> None:
        """Upsert rows on key with one MERGE (the source: typed literal rows joined by union all)."""
        if not rows:
            return
        names = [name for name, _ in columns]
        casts = ", ".join(f"cast(? as {_type(family.split()[0], 'bigquery')}) as {name}" for name, family in columns)
        selects = [_bind_select(casts, row) for row in rows]
        source = "\n    union all ".join(selects)
        on = " and ".join(f"t.{k} = s.{k}" for k in key)
        updates = ", ".join(f"{n} = s.{n}" for n in names if n not in key)
        sql = f"merge {relation} t using (\n    {source}\n) s on {on}\nwhen matched then update set {updates}"
        if insert:
            sql += (f"\nwhen not matched then insert ({', '.join(names)}) "
                    f"values ({', '.join('s.' + n for n in names)})")
        self.warehouse.execute(sql)

    # -- reads ----------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
        return self.warehouse.rows(sql, params)

    def relation_exists(self, relation: str) -> bool:
        from runner.warehouse import split_relation

        return self.warehouse.relation_exists(*split_relation(relation))

    def columns(self, relation: str) -> list[str]:
        from runner.warehouse import split_relation

        return self.warehouse.columns(*split_relation(relation))

    # -- lock -----------------------------------------------------------------------
    def acquire_lock(self, holder: LockHolder) -> LockHolder | None:
        """Take the lock; return the holder it took over from (a dead process), if any."""
        from google.api_core.exceptions import Conflict

        self.warehouse.ensure_dataset(SCHEMA)
        values = ", ".join(f"? as {k}" for k in asdict(holder))
        return _take_lock(
            lambda: self.warehouse.execute(f"create table {self.LOCK} as select {values}",
                                           list(asdict(holder).values())),
            Conflict, self._read_lock, lambda: self.warehouse.execute(f"drop table if exists {self.LOCK}"),
            f"the {self._target}", f"lock table {self.LOCK}")

    def release_lock(self, holder: LockHolder) -> None:
        current = self._read_lock()
        if current is not None and current.run_id == holder.run_id:
            self.warehouse.execute(f"drop table if exists {self.LOCK}")

    def _read_lock(self) -> LockHolder | None:
        if not self.relation_exists(self.LOCK):
            return None
        rows = self.warehouse.dicts(f"select run_id, host, pid, started_at from {self.LOCK} limit 1")
        return LockHolder(**rows[0]) if rows else None


def _bind_select(casts: str, row: tuple) -> str:
    from runner.warehouse import bind

    return "select " + bind(casts, row)


def open_store(settings: Settings) -> Store:
    if settings.is_warehouse:
        return BigQueryStore(settings)
    if not settings.is_embedded:
        raise UsageError(f"target {settings.target!r}: unknown engine (targets: duckdb, bigquery, emulator)")
    return DuckDBStore(settings)



