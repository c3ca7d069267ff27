"""The backfill's warehouse access: ledger, run history, lock, and a few reads.

One interface (``Store``) with a DuckDB implementation; a BigQuery one (the
same tables in the nba_orchestration dataset, the lock as a row written with
a conditional insert) implements the same methods later. The ledger holds the
latest state of each (model, date); ``backfill_runs`` one row per run.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

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
    def current(cls, run_id: str) -> "LockHolder":
        now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        return cls(run_id, socket.gethostname(), os.getpid(), now)


class BackfillLocked(UsageError):
    """Another backfill holds the target (exit 2: nothing ran)."""


class Store(Protocol):
    def ensure_tables(self) -> None: ...
    def acquire_lock(self, holder: LockHolder) -> LockHolder | None: ...
    def release_lock(self, holder: LockHolder) -> None: ...
    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]: ...
    def write_ledger(self, rows: Sequence[LedgerRow]) -> None: ...
    def start_run(self, run: dict[str, Any]) -> None: ...
    def finish_run(self, run_id: str, values: dict[str, Any]) -> None: ...
    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple]: ...
    def relation_exists(self, relation: str) -> bool: ...
    def columns(self, relation: str) -> list[str]: ...
    def close(self) -> None: ...


LEDGER_DDL = f"""
create table if not exists {LEDGER} (
    model_name varchar not null,
    ledger_date date not null,
    status varchar not null,
    run_id varchar not null,
    rows_written bigint,
    rows_expected bigint,
    coverage_pct double,
    reason varchar,
    started_at timestamp,
    finished_at timestamp,
    primary key (model_name, ledger_date)
)
"""
# backfill_runs, one row per run. Columns added after the first release are appended here and
# added to existing ledgers by ensure_tables (users keep their run history).
RUNS_COLUMNS: tuple[tuple[str, str], ...] = (
    ("run_id", "varchar primary key"),
    ("command_line", "varchar"),      # as typed, with any URL shown as its host only
    ("selection", "varchar"),
    ("start_date", "date"),
    ("end_date", "date"),
    ("options", "varchar"),
    ("host", "varchar"),
    ("pid", "integer"),
    ("status", "varchar"),
    ("succeeded", "integer"),
    ("failed", "integer"),
    ("blocked", "integer"),
    ("skipped", "integer"),
    ("duration_seconds", "double"),
    ("errors", "varchar"),
    ("log_path", "varchar"),
    ("started_at", "timestamp"),
    ("finished_at", "timestamp"),
    # the end-of-run notification (--notify): the webhook's host only, never its URL
    ("notify_host", "varchar"),
    ("notify_status", "varchar"),     # sent, not_delivered, not_sent (see runner/services/notify.py)
    ("notify_detail", "varchar"),
)
RUNS_DDL = f"create table if not exists {RUNS} (\n" + ",\n".join(
    f"    {name} {kind}" for name, kind in RUNS_COLUMNS) + "\n)"


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
        for name, kind in RUNS_COLUMNS:  # a ledger from an earlier version lacks the newer columns
            if name not in present:
                self.con.execute(f"alter table {RUNS} add column if not exists {name} {kind}")

    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]:
        if not self.relation_exists(LEDGER):
            return []
        models = list(models)
        if not models:
            return []
        sql = f"select * from {LEDGER} where model_name in ({', '.join('?' for _ in models)})"
        params: list[Any] = list(models)
        if start is not None:
            sql += " and ledger_date >= ?"
            params.append(start)
        if end is not None:
            sql += " and ledger_date <= ?"
            params.append(end)
        rows = self.con.execute(sql + " order by model_name, ledger_date", params).fetchall()
        return [LedgerRow(*r) for r in rows]

    def write_ledger(self, rows: Sequence[LedgerRow]) -> None:
        if not rows:
            return
        values = [tuple(asdict(r).values()) for r in rows]
        self.con.execute("begin transaction")
        try:
            self.con.executemany(
                f"insert or replace into {LEDGER} values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values
            )
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
        taken_over = None
        for _ in range(2):
            try:
                fd = os.open(self.lock_path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
            except FileExistsError:
                current = self._read_lock()
                if current is not None and _alive(current):
                    raise BackfillLocked(
                        f"another backfill holds {self._path}: {current.describe()} "
                        f"(lock file {self.lock_path})"
                    ) from None
                # a lock left by a killed process (or unreadable): remove it and retry once;
                # if two runs race here, O_EXCL lets only one of them create the new file
                taken_over = current
                try:
                    self.lock_path.unlink()
                except FileNotFoundError:
                    pass
                continue
            with os.fdopen(fd, "w") as handle:
                json.dump(asdict(holder), handle)
            return taken_over
        raise BackfillLocked(f"could not take the backfill lock {self.lock_path}")

    def release_lock(self, holder: LockHolder) -> None:
        current = self._read_lock()
        if current is not None and current.run_id == holder.run_id:
            self.lock_path.unlink(missing_ok=True)

    def _read_lock(self) -> LockHolder | None:
        try:
            return LockHolder(**json.loads(self.lock_path.read_text()))
        except (OSError, ValueError, TypeError):
            return None


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


def open_store(settings: Settings) -> DuckDBStore:
    if not settings.is_embedded:
        raise UsageError(
            f"target {settings.target!r}: the backfill ledger is implemented for the embedded DuckDB "
            "file only so far (a BigQuery store implements the same Store interface)"
        )
    return DuckDBStore(settings)



