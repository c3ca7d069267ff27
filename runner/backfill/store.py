"""The backfill's warehouse access: ledger, run history, lock, and a few reads.

One interface (``Store``), two implementations: ``DuckDBStore`` (the
embedded file; the lock is a file beside it) and ``BigQueryStore`` (the same
tables in the nba_orchestration dataset; production and the emulator). The
ledger holds the latest state of each (model, date); ``backfill_runs`` one
row per run. Both tables are declared once (``LEDGER_COLUMNS``,
``RUNS_COLUMNS``) and rendered in each engine's types. What both stores share
is in runner/backfill/store_base.py, the BigQuery store in
runner/backfill/store_bigquery.py; this module keeps the DuckDB store,
``open_store`` and every public name the services import.
"""
from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from runner.backfill import crashpoints
from runner.backfill.store_base import (
    LEDGER,
    LEDGER_COLUMNS,
    LEDGER_KEY,
    RUNS,
    RUNS_COLUMNS,
    SCHEMA,
    BackfillLocked,
    LedgerRow,
    LockHolder,
    Store,
    column_type,
    ddl,
    ledger_query,
    take_lock,
)
from runner.backfill.store_bigquery import BigQueryStore
from runner.config import Settings
from runner.errors import UsageError

__all__ = ["LEDGER", "LEDGER_COLUMNS", "LEDGER_KEY", "RUNS", "RUNS_COLUMNS", "SCHEMA", "BackfillLocked",
           "BigQueryStore", "DuckDBStore", "LedgerRow", "LockHolder", "Store", "open_store"]

LEDGER_DDL = ddl(LEDGER, LEDGER_COLUMNS, "duckdb", LEDGER_KEY)
RUNS_DDL = ddl(RUNS, RUNS_COLUMNS, "duckdb", ("run_id",))


LEDGER_BATCH = 500  # ledger rows per insert statement (10 parameters each)


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
                self.con.execute(f"alter table {RUNS} add column if not exists {name} {column_type(family, 'duckdb')}")

    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]:
        if not self.relation_exists(LEDGER):
            return []
        models = list(models)
        if not models:
            return []
        return [LedgerRow(*r) for r in self.query(*ledger_query(models, start, end))]

    def write_ledger(self, rows: Sequence[LedgerRow]) -> None:
        """The rows, one statement per LEDGER_BATCH of them, in one transaction; of two rows of one
        (model, date) the later wins. DuckDB runs executemany statement by statement, which cost
        a from-empty run most of its ledger time (about 3 ms a row)."""
        if not rows:
            return
        latest = {(r.model, r.date): r for r in rows}
        values = [tuple(asdict(r).values()) for r in latest.values()]
        marks = "(" + ", ".join("?" for _ in values[0]) + ")"
        self.con.execute("begin transaction")
        try:
            for first in range(0, len(values), LEDGER_BATCH):
                batch = values[first:first + LEDGER_BATCH]
                self.con.execute(f"insert or replace into {LEDGER} values {', '.join([marks] * len(batch))}",
                                 [value for row in batch for value in row])
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

        return take_lock(create, FileExistsError, self._read_lock,
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



def open_store(settings: Settings) -> Store:
    if settings.is_warehouse:
        return BigQueryStore(settings)
    if not settings.is_embedded:
        raise UsageError(f"target {settings.target!r}: unknown engine (targets: duckdb, bigquery, emulator)")
    return DuckDBStore(settings)



