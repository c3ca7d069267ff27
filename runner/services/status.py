"""What the warehouse holds: raw row accounting and the quarantine."""
from __future__ import annotations

import datetime as dt

from runner.backfill.planner import BLOCKED, FAILED, PENDING, RUNNING, SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, SUCCEEDED
from runner.backfill.store import LEDGER, RUNS
from runner.config import Settings
from runner.console import Console
from runner.errors import PipelineError
from runner.warehouse import connect, relation_exists


PHASE3_TABLES = (
    "team_offense_game_summary",
    "team_defense_game_summary",
    "player_game_summary",
    "upcoming_team_game_context",
    "upcoming_player_game_context",
)


def _phase_tables(con, console: Console, schema: str, tables: tuple[str, ...]) -> None:
    """Rows and game dates per season of each built table of a phase."""
    rows = []
    for table in tables:
        if not relation_exists(con, schema, table):
            continue
        rows += con.execute(
            f"""
            select '{table}', season_year, count(*), count(distinct game_date),
                   min(game_date), max(game_date)
            from {schema}.{table}
            group by season_year
            order by season_year
            """
        ).fetchall()
    if rows:
        console.table(
            f"{schema} rows per season",
            ["table", "season", "rows", "game dates", "first", "last"],
            [(t, str(s), n, d, str(a), str(b)) for t, s, n, d, a, b in rows],
        )


def status(
    settings: Settings, console: Console, start: dt.date | None = None, end: dt.date | None = None
) -> None:
    with connect(settings) as con:
        _status_tables(con, settings, console)
        _ledger(con, console, start, end)


def _status_tables(con, settings: Settings, console: Console) -> None:
    """Raw row accounting, the quarantine and the Phase 3 rows per season."""
    if relation_exists(con, "nba_orchestration", "raw_row_accounting"):
        rows = con.execute(
            """
            select source_table, raw_rows, staged_rows, quarantined_rows, superseded_rows,
                   raw_rows - staged_rows - quarantined_rows - superseded_rows as unaccounted
            from nba_orchestration.raw_row_accounting
            order by source_table
            """
        ).fetchall()
        console.table(
            f"Raw rows, {settings.duckdb_path.name}",
            ["source table", "raw", "staged", "quarantined", "superseded", "unaccounted"],
            rows,
        )
        reasons = con.execute(
            """
            select source_table, reason, count(*) as rows
            from nba_orchestration.raw_quarantine
            group by all
            order by source_table, reason
            """
        ).fetchall()
        if reasons:
            console.table("Quarantined raw rows", ["source table", "reason", "rows"], reasons)
        else:
            console.info("Quarantine: empty (every raw row was usable).")
        unaccounted = [r[0] for r in rows if r[5] != 0]
        if unaccounted:
            raise PipelineError(f"raw rows unaccounted for in: {', '.join(unaccounted)}")
        _phase_tables(con, console, "nba_analytics", PHASE3_TABLES)
    else:
        from runner.simulator.schema import RAW_SCHEMA, TABLES

        rows = [
            (name, con.execute(f"select count(*) from {RAW_SCHEMA}.{name}").fetchone()[0])
            for name in TABLES
            if relation_exists(con, RAW_SCHEMA, name)
        ]
        console.table(f"Raw tables, {settings.duckdb_path.name}", ["table", "rows"], rows)
        console.info("Staging not built yet: run `nba-pipeline build --select 'staging orchestration'`.")


def _ledger(con, console: Console, start: dt.date | None, end: dt.date | None) -> None:
    """The backfill ledger per model: dates per status, pending dates, last run, failed dates."""
    if not relation_exists(con, "nba_orchestration", "backfill_ledger"):
        console.info("Backfill ledger: empty (no `nba-pipeline backfill` has run on this target).")
        return
    first, last = con.execute(f"select min(ledger_date), max(ledger_date) from {LEDGER}").fetchone()
    start, end = start or first, end or last
    if start is None or end is None:
        return
    days = (end - start).days + 1
    rows = con.execute(
        f"""
        select
            model_name,
            count(*) filter (where status = '{SUCCEEDED}'),
            count(*) filter (where status = '{FAILED}'),
            count(*) filter (where status = '{BLOCKED}'),
            count(*) filter (where status = '{SKIPPED_NO_GAMES}'),
            count(*) filter (where status = '{SKIPPED_BOOTSTRAP}'),
            count(*) filter (where status = '{RUNNING}'),
            {days} - count(*) as {PENDING},
            sum(rows_written) filter (where status = '{SUCCEEDED}'),
            max(run_id)
        from {LEDGER}
        where ledger_date between ? and ?
        group by model_name
        order by min(coalesce(started_at, finished_at)) nulls last, model_name  -- the run order
        """,
        [start, end],
    ).fetchall()
    console.table(
        f"Backfill ledger {start}..{end} ({days} days)",
        ["model", "succeeded", "failed", "blocked", "no games", "bootstrap", "running", "pending", "rows", "last run"],
        rows,
    )
    failed = con.execute(
        f"""
        select model_name, cast(ledger_date as varchar), status, rows_written, rows_expected, coverage_pct, reason
        from {LEDGER}
        where ledger_date between ? and ? and status in ('{FAILED}', '{RUNNING}')
        order by model_name, ledger_date
        """,
        [start, end],
    ).fetchall()
    if failed:
        console.table(
            "Failed dates, with reasons",
            ["model", "date", "status", "rows", "expected", "coverage %", "reason"],
            failed[:60],
        )
        if len(failed) > 60:
            console.info(f"… and {len(failed) - 60} more (query {LEDGER}).")
    blocked = con.execute(
        f"""
        select model_name, count(*), cast(min(ledger_date) as varchar), cast(max(ledger_date) as varchar),
               min(reason)
        from {LEDGER}
        where ledger_date between ? and ? and status = '{BLOCKED}'
        group by model_name
        order by model_name
        """,
        [start, end],
    ).fetchall()
    if blocked:
        console.table("Blocked dates (an upstream date failed)", ["model", "dates", "first", "last", "a reason"], blocked)
    if relation_exists(con, "nba_orchestration", "backfill_runs"):
        run = con.execute(
            f"""
            select run_id, status, cast(start_date as varchar) || '..' || cast(end_date as varchar),
                   succeeded, failed, blocked, skipped, duration_seconds, command_line, log_path
            from {RUNS} order by started_at desc limit 1
            """
        ).fetchone()
        if run:
            console.table(
                "Last backfill run ((model, date) rows it wrote)",
                ["run", "status", "range", "succeeded", "failed", "blocked", "skipped", "seconds"],
                [run[:8]],
            )
            console.info(f"  command: {run[8]}; log: {run[9]}")
