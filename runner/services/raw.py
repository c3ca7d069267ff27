"""Raw layer services: simulate nba_raw into the embedded DuckDB file, or load it into BigQuery.

On the emulator target (a local BigQuery API, CI) the simulated tables are
written to a temporary DuckDB file first, then loaded into the nba_raw dataset with
INSERT queries (runner/simulator/bigquery_load.py: the emulator's load jobs are far slower). A date range keeps only the rows dated
inside it, on both engines, so the two can be given exactly the same raw rows.
"""
from __future__ import annotations

import datetime as dt
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from runner.config import Settings
from runner.console import Console
from runner.errors import EXIT_OK, UsageError
from runner.outcome import Done


@dataclass(frozen=True)
class GenerateRequest:
    first_season: int
    last_season: int
    seed: int
    faults: tuple[str, ...]
    start_date: dt.date | None = None  # keep only raw rows dated start..end (both optional)
    end_date: dt.date | None = None


@dataclass(frozen=True)
class GenerateOutcome:
    """What `raw generate` wrote: the simulator's report (tables, rows, the faults' effects)."""

    report: Any  # runner.simulator.core.GenerationReport
    exit_code: int = EXIT_OK
    failure: str | None = None


def generate(settings: Settings, console: Console, request: GenerateRequest) -> GenerateOutcome:
    if request.start_date and request.end_date and request.end_date < request.start_date:
        raise UsageError(f"--end-date {request.end_date} is before --start-date {request.start_date}")
    if settings.is_emulator:
        return GenerateOutcome(_generate_into_bigquery(settings, console, request))
    if not settings.is_embedded:
        # never simulated rows over production's raw tables (the scrapers load those)
        raise UsageError(
            f"`raw generate` writes the embedded DuckDB file or the emulator; target {settings.target!r} "
            "holds production raw tables (load them with the scrapers, not the simulator)"
        )
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    report = _simulate(settings.duckdb_path, console, request)
    if request.start_date or request.end_date:
        import duckdb

        with duckdb.connect(str(settings.duckdb_path)) as con:
            report.row_counts = keep_range(con, request.start_date, request.end_date)
    _print_report(console, report)
    return GenerateOutcome(report)


def keep_range(con, start: dt.date | None, end: dt.date | None) -> dict[str, int]:
    """Delete the raw rows dated outside start..end; the rows left per table."""
    from runner.simulator.bigquery_load import date_filter
    from runner.simulator.schema import RAW_SCHEMA, TABLES

    counts = {}
    for t in TABLES.values():
        con.execute(f"delete from {RAW_SCHEMA}.{t.name} where not ({date_filter(t.date_column, start, end)})")
        counts[t.name] = con.execute(f"select count(*) from {RAW_SCHEMA}.{t.name}").fetchone()[0]
    return counts


def _generate_into_bigquery(settings: Settings, console: Console, request: GenerateRequest):
    import time

    import duckdb

    from runner.simulator.bigquery_load import load_raw
    from runner.warehouse import bigquery_client

    with tempfile.TemporaryDirectory(prefix="nba-raw-") as tmp:
        path = f"{tmp}/raw.duckdb"
        report = _simulate(path, console, request)
        client = bigquery_client(settings)
        span = f"{request.start_date or 'first'}..{request.end_date or 'last'}"
        console.info(f"Loading the raw rows dated {span} into {settings.target} project {client.project}, dataset nba_raw")
        t0 = time.monotonic()
        with duckdb.connect(path, read_only=True) as con:
            report.row_counts = load_raw(con, client, request.start_date, request.end_date)
        client.close()
        report.elapsed_seconds = round(report.elapsed_seconds + time.monotonic() - t0, 3)
    _print_report(console, report)
    return report


def _simulate(path, console: Console, request: GenerateRequest):
    from runner.simulator import SimulatorInputError
    from runner.simulator import generate as simulate

    console.info(
        f"Simulating seasons {request.first_season}–{request.last_season} (seed {request.seed}"
        + (f", faults {','.join(request.faults)}" if request.faults else "")
        + f") into {path}"
    )
    try:
        return simulate(
            path,
            first_season=request.first_season,
            last_season=request.last_season,
            seed=request.seed,
            faults=request.faults,
        )
    except SimulatorInputError as exc:
        raise UsageError(str(exc)) from exc


def _print_report(console: Console, report) -> None:
    console.table(
        "nba_raw tables written",
        ["table", "rows"],
        sorted(report.row_counts.items()),
    )
    if report.fault_effects:
        per_fault = Counter((e.fault, e.table) for e in report.fault_effects)
        console.table(
            "Injected faults",
            ["fault", "table", "rows or dates affected"],
            [(f, t, n) for (f, t), n in sorted(per_fault.items())],
        )
    console.success(f"raw data ready in {report.elapsed_seconds:.1f}s")


def parse_faults(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(f.strip() for f in value.split(",") if f.strip())


def describe_faults(console: Console) -> Done:
    from runner.simulator import FAULTS

    console.table("Faults for `raw generate --faults`", ["fault", "what it does"], list(FAULTS.items()))
    return Done()


def validate_faults(faults: Sequence[str]) -> None:
    from runner.simulator import FAULTS

    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        raise UsageError(f"unknown fault(s) {', '.join(unknown)}; known faults: {', '.join(FAULTS)}")
