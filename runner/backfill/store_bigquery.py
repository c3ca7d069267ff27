"""The backfill's store on BigQuery (production and the emulator): ledger, run history and lock in the
nba_orchestration dataset (``BigQueryStore``; the shared parts are runner/backfill/store_base.py)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from runner.backfill import crashpoints
from runner.backfill.store_base import (
    LEDGER,
    LEDGER_COLUMNS,
    LEDGER_KEY,
    RUNS,
    RUNS_COLUMNS,
    SCHEMA,
    LedgerRow,
    LockHolder,
    column_type,
    ddl,
    ledger_query,
    take_lock,
)
from runner.config import Settings


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
        self.warehouse.execute(ddl(LEDGER, LEDGER_COLUMNS, "bigquery"))
        self.warehouse.execute(ddl(RUNS, RUNS_COLUMNS, "bigquery"))

    def read_ledger(self, models: Iterable[str], start: dt.date | None, end: dt.date | None) -> list[LedgerRow]:
        models = list(models)
        if not models or not self.relation_exists(LEDGER):
            return []
        return [LedgerRow(*r) for r in self.query(*ledger_query(models, start, end))]

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
        casts = ", ".join(f"cast(? as {column_type(family.split()[0], 'bigquery')}) as {name}" for name, family in columns)
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
        return take_lock(
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
