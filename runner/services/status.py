"""What the warehouse holds: raw row accounting, the quarantine, the backfill ledger.

Reads go through ``open_warehouse`` in SQL both engines run (DuckDB, BigQuery).
"""
from __future__ import annotations

import datetime as dt

from runner.backfill.planner import BLOCKED, FAILED, INCOMPLETE_WINDOW, PENDING, RUNNING, SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, SUCCEEDED
from runner.backfill.store import LEDGER, RUNS
from runner.config import Settings
from runner.console import Console
from runner.errors import PipelineError
from runner.outcome import Done
from runner.warehouse import Warehouse, open_warehouse, split_relation

PHASE3_TABLES = (
    "team_offense_game_summary",
    "team_defense_game_summary",
    "player_game_summary",
    "upcoming_team_game_context",
    "upcoming_player_game_context",
)


def _phase_tables(wh: Warehouse, console: Console, schema: str, tables: tuple[str, ...]) -> None:
    """Rows and game dates per season of each built table of a phase."""
    rows = []
    for table in tables:
        if not wh.relation_exists(schema, table):
            continue
        rows += wh.rows(
            f"""
            select '{table}', season_year, count(*), count(distinct game_date),
                   min(game_date), max(game_date)
            from {schema}.{table}
            group by season_year
            order by season_year
            """
        )
    if rows:
        console.table(
            f"{schema} rows per season",
            ["table", "season", "rows", "game dates", "first", "last"],
            [(t, str(s), n, d, str(a), str(b)) for t, s, n, d, a, b in rows],
        )


def status(
    settings: Settings, console: Console, start: dt.date | None = None, end: dt.date | None = None
) -> Done:
    with open_warehouse(settings) as wh:
        _status_tables(wh, settings, console, start, end)
        _ledger(wh, console, start, end)
    return Done()


ACCOUNTING = "nba_orchestration.raw_row_accounting"
QUARANTINE = "nba_orchestration.raw_quarantine"
FRESHNESS = "nba_orchestration.raw_accounting_freshness"


def _status_tables(
    wh: Warehouse, settings: Settings, console: Console, start: dt.date | None, end: dt.date | None
) -> None:
    """Raw row accounting (per table, over the range or everything), whether it is still true
    of the raw rows, the quarantine by reason, and the Phase 3 rows per season."""
    where = settings.duckdb_path.name if settings.is_embedded else f"{settings.target} target"
    if not wh.relation_exists("nba_orchestration", "raw_row_accounting"):
        from runner.simulator.schema import RAW_SCHEMA, TABLES

        rows = [
            (name, wh.rows(f"select count(*) from {RAW_SCHEMA}.{name}")[0][0])
            for name in TABLES
            if wh.relation_exists(RAW_SCHEMA, name)
        ]
        console.table(f"Raw tables, {where}", ["table", "rows"], rows)
        console.info("Raw rows not counted yet: every `nba-pipeline backfill` counts the rows of its range first "
                      "(or `nba-pipeline build --select 'staging orchestration'` counts them all).")
        return
    # the accounting's own dates and the sentinel dates of undated / future rows lie outside any
    # real range: a range narrows the dated rows only
    dated = "accounting_date between ? and ?" if start and end else "true"
    params = [start, end] if start and end else []
    span = f" {start}..{end}" if start and end else ""
    rows = wh.rows(
        f"""
        select source_table, sum(raw_rows), sum(staged_rows), sum(excluded_rows), sum(quarantined_rows),
               sum(superseded_rows), sum(unaccounted_rows)
        from {ACCOUNTING}
        where {dated}
        group by source_table
        order by source_table
        """,
        params,
    )
    console.table(
        f"Raw rows{span}, {where}: used (staged), excluded, quarantined, superseded",
        ["source table", "raw", "staged", "excluded", "quarantined", "superseded", "unaccounted"],
        rows,
    )
    _accounting_freshness(wh, console, dated, params)
    reasons = [] if not wh.relation_exists("nba_orchestration", "raw_quarantine") else wh.rows(
        f"""
        select source_table, reason, count(*) as n
        from {QUARANTINE}
        where {dated.replace("accounting_date", "game_date")}
        group by 1, 2
        order by source_table, reason
        """,
        params,
    )
    if reasons:
        console.table(f"Quarantined raw rows{span}", ["source table", "reason", "rows"], reasons)
    else:
        console.info("Quarantine: empty (every raw row was usable).")
    unaccounted = [r[0] for r in rows if r[6] != 0]
    if unaccounted:
        raise PipelineError(f"raw rows unaccounted for in: {', '.join(unaccounted)}")
    _phase_tables(wh, console, "nba_analytics", PHASE3_TABLES)


def _accounting_freshness(wh: Warehouse, console: Console, dated: str, params: list) -> None:
    """Say so when the raw rows changed after the accounting (and the quarantine) was built, and
    which raw dates no run has counted yet."""
    if not wh.relation_exists("nba_orchestration", "raw_accounting_freshness"):
        return
    rows = wh.rows(
        f"""
        select accounting_state, source_table, count(*), cast(min(accounting_date) as string),
               cast(max(accounting_date) as string), sum(raw_rows_now) - sum(coalesce(accounted_raw_rows, 0))
        from {FRESHNESS}
        where {dated} and accounting_state <> 'current'
        group by 1, 2
        order by 1, 2
        """,
        params,
    )
    stale = [r for r in rows if r[0] != "not_accounted"]
    uncounted = [r for r in rows if r[0] == "not_accounted"]
    if uncounted:
        dates = ", ".join(f"{t} {n} date(s) {a}..{b}" for _, t, n, a, b, _ in uncounted[:4])
        console.info(f"Raw rows not counted yet (no backfill covered their dates): {dates}"
                     f"{' …' if len(uncounted) > 4 else ''}")
    if not stale:
        console.info("Raw-row accounting: current (the raw rows it counted have not changed since).")
        return
    console.table(
        "Raw-row accounting older than the raw rows: its counts and the quarantine are stale there",
        ["state", "source table", "dates", "first", "last", "raw rows now − counted"],
        stale,
    )
    console.warn("raw rows changed after they were counted: re-run `nba-pipeline backfill` over those dates "
                  "(it counts them first), or `nba-pipeline build --select orchestration` to count everything")


def _ledger(wh: Warehouse, console: Console, start: dt.date | None, end: dt.date | None) -> None:
    """The backfill ledger per model: dates per status, pending dates, last run, failed dates."""
    if not wh.relation_exists(*split_relation(LEDGER)):
        console.info("Backfill ledger: empty (no `nba-pipeline backfill` has run on this target).")
        return
    first, last = wh.rows(f"select min(ledger_date), max(ledger_date) from {LEDGER}")[0]
    start, end = start or first, end or last
    if start is None or end is None:
        return
    days = (end - start).days + 1
    counts = ",\n            ".join(
        f"sum(case when status = '{s}' then 1 else 0 end)"
        for s in (SUCCEEDED, FAILED, BLOCKED, SKIPPED_NO_GAMES, SKIPPED_BOOTSTRAP, RUNNING))
    rows = wh.rows(
        f"""
        select
            model_name,
            {counts},
            {days} - count(*) as {PENDING},
            sum(case when status = '{SUCCEEDED}' then rows_written end),
            max(run_id)
        from {LEDGER}
        where ledger_date between ? and ?
        group by model_name
        order by min(coalesce(started_at, finished_at)) nulls last, model_name
        """,
        [start, end],
    )  # the run order
    console.table(
        f"Backfill ledger {start}..{end} ({days} days)",
        ["model", "succeeded", "failed", "blocked", "no games", "bootstrap", "running", "pending", "rows", "last run"],
        rows,
    )
    failed = wh.rows(
        f"""
        select model_name, cast(ledger_date as string), status, rows_written, rows_expected, coverage_pct, reason
        from {LEDGER}
        where ledger_date between ? and ? and status in ('{FAILED}', '{RUNNING}')
        order by model_name, ledger_date
        """,
        [start, end],
    )
    if failed:
        console.table(
            "Failed dates, with reasons",
            ["model", "date", "status", "rows", "expected", "coverage %", "reason"],
            failed[:60],
        )
        if len(failed) > 60:
            console.info(f"… and {len(failed) - 60} more (query {LEDGER}).")
    blocked = wh.rows(
        f"""
        select model_name, count(*), cast(min(ledger_date) as string), cast(max(ledger_date) as string),
               min(reason)
        from {LEDGER}
        where ledger_date between ? and ? and status = '{BLOCKED}'
        group by model_name
        order by model_name
        """,
        [start, end],
    )
    if blocked:
        console.table("Blocked dates (an upstream date failed)", ["model", "dates", "first", "last", "a reason"], blocked)
    incomplete = wh.rows(
        f"""
        select model_name, count(*), cast(min(ledger_date) as string), cast(max(ledger_date) as string),
               min(reason)
        from {LEDGER}
        where ledger_date between ? and ? and status = '{SUCCEEDED}' and reason like '{INCOMPLETE_WINDOW}%'
        group by model_name
        order by model_name
        """,
        [start, end],
    )
    if incomplete:
        console.table("Dates built on an incomplete window (an upstream date their windows read failed or was "
                      "blocked; the next run that passes it rebuilds them)",
                      ["model", "dates", "first", "last", "a reason"], incomplete)
    if wh.relation_exists(*split_relation(RUNS)):
        runs = wh.rows(
            f"""
            select run_id, status, concat(cast(start_date as string), '..', cast(end_date as string)),
                   succeeded, failed, blocked, skipped, duration_seconds, command_line, log_path
            from {RUNS} order by started_at desc limit 1
            """
        )
        if runs:
            run = runs[0]
            console.table(
                "Last backfill run ((model, date) rows it wrote)",
                ["run", "status", "range", "succeeded", "failed", "blocked", "skipped", "seconds"],
                [run[:8]],
            )
            console.info(f"  command: {run[8]}; log: {run[9]}")
