"""What both backfill stores share: the rows, the ``Store`` interface, the two tables declared once
(``LEDGER_COLUMNS``, ``RUNS_COLUMNS``, rendered in each engine's types by ``ddl``), the ledger's
read query and the one lock rule (``take_lock``). The stores are in runner/backfill/store.py
(DuckDB) and runner/backfill/store_bigquery.py.
"""
from __future__ import annotations

import datetime as dt
import os
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from runner.errors import UsageError
from runner.project import LEDGER_RELATION, ORCHESTRATION_SCHEMA, RUNS_RELATION

# the runner's own tables, named once in runner.project
SCHEMA, LEDGER, RUNS = ORCHESTRATION_SCHEMA, LEDGER_RELATION, RUNS_RELATION


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


# (column, type family): rendered per engine by ddl
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


def column_type(family: str, engine: str) -> str:
    base, _, rest = family.partition(" ")
    return " ".join([_TYPES[engine][base], rest]).strip()


def ddl(relation: str, columns: tuple[tuple[str, str], ...], engine: str, key: tuple[str, ...] = ()) -> str:
    cols = [f"{name} {column_type(family, engine)}" for name, family in columns]
    if key and engine == "duckdb":  # BigQuery has no enforced keys: its writes merge on the key
        cols.append(f"primary key ({', '.join(key)})")
    return f"create table if not exists {relation} (\n    " + ",\n    ".join(cols) + "\n)"


def ledger_query(models: list[str], start: dt.date | None, end: dt.date | None) -> tuple[str, list[Any]]:
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


def take_lock(create: Callable[[], Any], exists: type[BaseException], read: Callable[[], LockHolder | None],
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
            if current is not None and is_alive(current):
                raise BackfillLocked(f"another backfill holds {held}: {current.describe()} ({where})") from None
            taken_over = current
            remove()
    raise BackfillLocked(f"could not take the backfill lock ({where})")


def is_alive(holder: LockHolder) -> bool:
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
