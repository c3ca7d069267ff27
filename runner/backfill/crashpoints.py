"""Test-only crash points: the crash-safety harness kills the runner exactly here.

``NBA_CRASH_AT=<point>:<n>`` makes the process SIGKILL itself the n-th time it
reaches ``point`` (runner/tests/reliability/test_crash_resume.py). Unset, which is
always the case outside that harness, a crash point costs one environment lookup.
SIGKILL, not an exception: nothing runs after it (no ``finally``, no rollback,
no lock release), as when the machine or the OOM killer stops a backfill.

The points, in the order a chunk reaches them:
    chunk         a chunk starts (between chunks: before its ledger rows say 'running')
    ledger_write  inside a ledger write, after the rows are inserted, before the commit
    dbt_sql       dbt is about to send a SQL statement (inside a dbt invocation; the backfill passes
                  on_dbt_sql to the dbt wrapper, which imports nothing of this package)
    dbt_commit    dbt is about to commit an incremental model's transaction: its delete + insert
                  of the date range ran, uncommitted (macros/incremental/replace_date_range.sql)
    built         dbt's build returned (the chunk's rows in the model's audit twin); nothing
                  published, the chunk's verdict not yet in the ledger
    publish       inside the publish of the chunk's passing dates, before its commit
    run_finish    every chunk is done; the run row is not yet finished
"""
from __future__ import annotations

import os
import signal
from collections import Counter

ENV = "NBA_CRASH_AT"
POINTS = ("chunk", "ledger_write", "dbt_sql", "dbt_commit", "built", "publish", "run_finish")
_hits: Counter[str] = Counter()


def reached(point: str) -> None:
    """Kill this process with SIGKILL if NBA_CRASH_AT names this point and hit count."""
    spec = os.environ.get(ENV)
    if not spec:
        return
    name, _, count = spec.rpartition(":")
    if name != point:
        return
    _hits[point] += 1
    if _hits[point] == int(count):
        os.kill(os.getpid(), signal.SIGKILL)


def on_dbt_sql(materialized: str, sql: str) -> None:
    """The dbt wrapper's ``on_sql`` callback: ``dbt_sql`` before each statement dbt sends,
    ``dbt_commit`` before the COMMIT of an incremental model's transaction."""
    reached("dbt_sql")
    if materialized == "incremental" and sql.strip().upper() == "COMMIT":
        reached("dbt_commit")
