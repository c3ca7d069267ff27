"""`nba-pipeline demo`: the whole simulated history through the backfill runner.

1. simulate the raw seasons when the raw tables are missing;
2. backfill every phase over the schedule's full range: the backfill builds
   staging, the quarantine and the raw-row accounting of its range first
   (resume: a second demo only does what is not done yet);
4. print the status (ledger per model, failed dates with reasons);
5. validate the whole history: the terminal summary, the HTML report in
   reports/validation.html, and the ML-training readiness verdict last.
"""
from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from runner.config import Settings
from runner.console import Console
from runner.errors import EXIT_OK, PipelineError

DEMO_CHUNK_DAYS = 366
REPORT_PATH = "reports/validation.html"  # gitignored


@dataclass(frozen=True)
class DemoOutcome:
    """A demo that ran through: the wall time per step. A failed backfill raises (after the status)."""

    timings: dict[str, float] = field(default_factory=dict)
    exit_code: int = EXIT_OK
    failure: str | None = None


def demo(settings: Settings, console: Console, first_season: int = 2021, last_season: int = 2025) -> DemoOutcome:
    from runner.services import raw, status
    from runner.services.backfill import BackfillRequest, backfill

    timings: dict[str, float] = {}
    t0 = time.monotonic()
    if not _raw_present(settings):
        raw.generate(settings, console, raw.GenerateRequest(first_season, last_season, 7, ()))
        timings["raw generate"] = time.monotonic() - t0
    first, last = _schedule_range(settings)
    # season-long chunks: the off-season (no games) ends a chunk anyway, and on the
    # simulated history a chunk's fixed cost (dbt, tests) dominates shorter ones
    request = BackfillRequest(start_date=first, end_date=min(last, dt.date.today()), chunk_days=DEMO_CHUNK_DAYS,
                              command_line=f"nba-pipeline demo (backfill {first}..{last})")
    t = time.monotonic()
    failure: PipelineError | None = None
    try:
        outcome = backfill(settings, console, request)
        timings.update({f"backfill {p}": s for p, s in outcome.phase_seconds.items()})
    except PipelineError as exc:  # show the status (what failed, why) before the error
        failure = exc
    timings["backfill (total)"] = time.monotonic() - t
    status.status(settings, console)
    t = time.monotonic()
    report = _validate(settings, console)
    timings["validate"] = time.monotonic() - t
    timings["demo (total)"] = time.monotonic() - t0
    console.table("Demo wall time", ["step", "seconds"], [(k, round(v, 1)) for k, v in timings.items()])
    if report is not None and report.readiness is not None:
        console.info(f"Training readiness: {report.readiness.line}")  # the verdict, last
    if failure is not None:
        raise failure
    return DemoOutcome(timings)


def _validate(settings: Settings, console: Console):
    """The validation summary in the terminal and the HTML report; a validate error only warns."""
    from runner.services.validate import ValidateRequest, validate
    from runner.validate.render import render_report

    try:
        report = validate(settings, console, ValidateRequest(fmt="table")).report
        render_report(report, "html", console, settings.project_dir / REPORT_PATH)
    except PipelineError as exc:
        console.warn(f"validate could not run: {exc}")
        return None
    return report


def _raw_present(settings: Settings) -> bool:
    from runner.simulator.schema import RAW_SCHEMA, TABLES
    from runner.warehouse import open_warehouse

    if settings.is_embedded and not settings.duckdb_path.exists():
        return False
    with open_warehouse(settings) as wh:
        return all(wh.relation_exists(RAW_SCHEMA, name) for name in TABLES)


def _schedule_range(settings: Settings) -> tuple[dt.date, dt.date]:
    """The raw schedule's final games (staging is not built yet: the backfill builds it)."""
    from runner.warehouse import open_warehouse

    with open_warehouse(settings) as wh:
        first, last = wh.rows(
            "select min(game_date), max(game_date) from nba_raw.nbac_schedule where game_status = 3"
        )[0]
    if first is None:
        raise PipelineError("the schedule holds no final game: nothing to backfill")
    return first, last
