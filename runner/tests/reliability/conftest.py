"""Fixtures and helpers of the reliability suite (crash safety, idempotency, bad input, secrets).

The warehouse under test is always a copy of the session's ``clean_world``: its tables are the
reference of an uninterrupted backfill, so no test here builds a reference of its own.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import os
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from runner.backfill.store import LEDGER, RUNS

PROJECT_DIR = Path(__file__).resolve().parents[3]
CLI = str(Path(sys.executable).parent / "nba-pipeline")
# The crash range: the season's opening (its bootstrap days) and the first Phase 4 dates.
CRASH_START, CRASH_END = dt.date(2024, 10, 22), dt.date(2024, 11, 10)


@dataclass(frozen=True)
class DateTable:
    model: str
    relation: str  # schema.table
    date_column: str
    key: tuple[str, ...]


@functools.lru_cache(maxsize=1)
def date_tables() -> dict[str, DateTable]:
    """The date models of the project with their relation, date column and primary key (runner.project,
    over one in-process parse: the runner writes no target/manifest.json: --no-write-json)."""
    from runner.config import Settings
    from runner.dbt import Dbt
    from runner.project import load_project

    project = load_project(Dbt(Settings.load()).manifest)
    return {m.name: DateTable(m.name, f"{m.schema}.{m.identifier}", m.date_column, m.key_columns)
            for m in project.models.values()}


def _connect(path: Path):
    """A connection for reading. Not read_only: this process may already hold the file open through
    dbt (the session's clean world was built in-process), and DuckDB refuses a second connection
    to one file with another configuration."""
    return duckdb.connect(str(path))


def strip_to_raw(path: Path) -> None:
    """Drop every table the backfill writes (date models, phase views, ledger): raw and staging stay."""
    schemas = {t.relation.split(".")[0] for t in date_tables().values()}
    with duckdb.connect(str(path)) as con:
        for schema in sorted(schemas):
            con.execute(f"drop schema if exists {schema} cascade")
        con.execute(f"drop table if exists {LEDGER}")
        con.execute(f"drop table if exists {RUNS}")


def checksums(path: Path, end: dt.date, start: dt.date | None = None) -> dict[str, tuple[int, str]]:
    """Per date table: the rows dated start..end, counted, and their content checksum
    (runner/checksums.py: order-independent, every column, duplicates counted)."""
    from runner.checksums import table_checksum

    out = {}
    with _connect(path) as con:
        for t in date_tables().values():
            where = f"{t.date_column} <= date '{end}'" + (f" and {t.date_column} >= date '{start}'" if start else "")
            n = con.execute(f"select count(*) from {t.relation} where {where}").fetchone()[0]
            out[t.model] = (n, table_checksum(con, t.relation, "md5", where=where))
    return out


def duplicate_keys(path: Path) -> dict[str, int]:
    """Per date table, the number of primary-key values held by more than one row (want: none)."""
    out = {}
    with _connect(path) as con:
        for t in date_tables().values():
            keys = ", ".join(t.key)
            n = con.execute(f"select count(*) from (select {keys} from {t.relation} group by {keys} "
                            "having count(*) > 1)").fetchone()[0]
            if n:
                out[t.model] = n
    return out


def ledger_lies(path: Path) -> list[str]:
    """Ledger rows marked succeeded whose date does not hold exactly the rows the ledger says
    were written, or holds none: what a crash must never leave behind."""
    tables = date_tables()
    lies = []
    with _connect(path) as con:
        present = con.execute("select count(*) from information_schema.tables where table_schema = ? "
                              "and table_name = ?", LEDGER.split(".")).fetchone()[0]
        if not present:
            return []
        rows = con.execute(f"select model_name, ledger_date, rows_written from {LEDGER} "
                           "where status = 'succeeded'").fetchall()
        for model, day, written in rows:
            t = tables[model]
            found = con.execute(f"select count(*) from {t.relation} where {t.date_column} = ?", [day]).fetchone()[0]
            if not found or found != written:
                lies.append(f"{model} {day}: ledger says succeeded with {written} rows, table holds {found}")
    return lies


def ledger_statuses(path: Path) -> dict[str, int]:
    with _connect(path) as con:
        return dict(con.execute(f"select status, count(*) from {LEDGER} group by 1").fetchall())


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def killed(self) -> bool:
        return self.returncode == -signal.SIGKILL

    def events(self, name: str) -> list[dict]:
        out = []
        for line in self.stdout.splitlines():
            if line.startswith("{"):
                event = json.loads(line)
                if event.get("event") == name:
                    out.append(event)
        return out


def cli_env(db: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NBA_")}
    env.update(NBA_DUCKDB_PATH=str(db), DBT_PROFILES_DIR=str(PROJECT_DIR / "profiles"),
               NBA_THREADS="2", PYTHONUNBUFFERED="1", **extra)
    return env


def run_cli(db: Path, *args: str, crash_at: str | None = None, kill_after_event: tuple[str, int, float] | None = None,
            env: dict[str, str] | None = None, timeout: float = 600) -> Run:
    """`nba-pipeline <args>` in a subprocess on the DuckDB file `db`.

    crash_at: NBA_CRASH_AT for the process (runner/backfill/crashpoints.py).
    kill_after_event: (event name, n, seconds): SIGKILL the process that many seconds after its
    n-th JSON event of that name (a kill at no fixed statement, inside whatever dbt is doing).
    """
    extra = {"NBA_CRASH_AT": crash_at} if crash_at else {}
    proc = subprocess.Popen([CLI, *args], cwd=PROJECT_DIR, env=env or cli_env(db, **extra), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err: list[str] = []
    reader = threading.Thread(target=lambda: err.append(proc.stderr.read()), daemon=True)
    reader.start()
    lines, seen, timer = [], 0, None
    for line in proc.stdout:
        lines.append(line)
        if kill_after_event and timer is None and line.startswith("{") \
                and json.loads(line).get("event") == kill_after_event[0]:
            seen += 1
            if seen == kill_after_event[1]:
                timer = threading.Timer(kill_after_event[2], proc.send_signal, [signal.SIGKILL])
                timer.start()
    proc.wait(timeout=timeout)
    reader.join(timeout=10)
    if timer is not None:
        timer.cancel()
    return Run(proc.returncode, "".join(lines), "".join(err))


@pytest.fixture(scope="module")
def raw_only(clean_world, tmp_path_factory) -> Path:
    """A copy of the clean world holding only raw data and staging: nothing backfilled yet."""
    path = clean_world.copy_to(tmp_path_factory.mktemp("raw_only"))
    strip_to_raw(path)
    return path
