"""nba-pipeline command line: parsing and exit codes only; the work is in services."""
from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

import typer
from typer.core import TyperCommand, TyperGroup

from runner import __version__
from runner.config import Settings
from runner.console import Console, RichConsole
from runner.errors import EXIT_FAILED, EXIT_OK, PipelineError
from runner.outcome import Outcome

# Metavars: --help names every option's value the way dbt's and git's help do, never typer's
# <str>/<int>/<bool>; dates as the format they are parsed in (runner/inputs.py parse_iso_date).
DATE = "YYYY-MM-DD"
DATES = "YYYY-MM-DD[,...]"


class _FlagsTakeNoValue:
    """A flag takes no value, so its --help row shows none (typer would print <bool>); --help and
    --version included. Options that take a value give their own metavar."""

    def get_params(self, ctx: typer.Context) -> list:
        params = super().get_params(ctx)  # type: ignore[misc]
        for param in params:
            if getattr(param, "is_flag", False) and param.metavar is None:
                param.metavar = ""
        return params


class Group(_FlagsTakeNoValue, TyperGroup):
    pass


class Command(_FlagsTakeNoValue, TyperCommand):
    pass


app = typer.Typer(
    cls=Group,
    rich_markup_mode="markdown",
    name="nba-pipeline",
    help="Build and backfill the NBA props warehouse (Phase 3 analytics, Phase 4 precompute, "
    "feature store) with dbt, on an embedded DuckDB file or on BigQuery.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
raw_app = typer.Typer(
    cls=Group,
    help="The raw layer (nba_raw): simulate it into the embedded DuckDB file (or the BigQuery emulator, never production).",
    no_args_is_help=True,
)
app.add_typer(raw_app, name="raw")


@dataclass
class State:
    project_dir: Path | None
    profiles_dir: Path | None
    target: str | None
    duckdb_path: Path | None
    debug: bool
    console: Console

    def settings(self) -> Settings:
        return Settings.load(self.project_dir, self.profiles_dir, self.target, self.duckdb_path)


def _run(ctx: typer.Context, action: Callable[[Settings, Console], Outcome]) -> None:
    """The one place where outcomes and errors become messages and exit codes: the service's
    Outcome (runner/outcome.py) gives the code, a PipelineError gives its own."""
    state: State = ctx.obj
    try:
        outcome = action(state.settings(), state.console)
        if not isinstance(outcome, Outcome):
            raise TypeError(f"the command returned {type(outcome).__name__}, not an Outcome with an exit code")
    except PipelineError as exc:
        if state.debug:
            raise
        state.console.error(str(exc))
        raise typer.Exit(exc.exit_code) from None
    except KeyboardInterrupt:
        state.console.error("interrupted")
        raise typer.Exit(130) from None
    except Exception as exc:  # an unexpected bug: short message, traceback with --debug
        if state.debug:
            raise
        state.console.error(f"unexpected {type(exc).__name__}: {exc} (re-run with --debug for the traceback)")
        raise typer.Exit(EXIT_FAILED) from None
    if outcome.exit_code != EXIT_OK:
        state.console.error(outcome.failure or f"exit code {outcome.exit_code}")
        raise typer.Exit(outcome.exit_code)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nba-pipeline {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    project_dir: Annotated[Path | None, typer.Option(metavar="DIR", help="dbt project directory [env NBA_PROJECT_DIR; default: this repository]", show_default=False)] = None,
    profiles_dir: Annotated[Path | None, typer.Option(metavar="DIR", help="dbt profiles directory [env DBT_PROFILES_DIR; default: \\<project>/profiles]", show_default=False)] = None,
    target: Annotated[str | None, typer.Option(metavar="duckdb|bigquery|emulator", help="dbt target: duckdb (embedded default), bigquery (production) or emulator (local BigQuery API) [env NBA_TARGET]", show_default=False)] = None,
    duckdb_path: Annotated[Path | None, typer.Option(metavar="FILE", help="embedded DuckDB file [env NBA_DUCKDB_PATH; default: \\<project>/nba.duckdb]", show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="print only tables, warnings and errors")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="show tracebacks for errors")] = False,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="print the version and exit")] = False,
) -> None:
    ctx.obj = State(project_dir, profiles_dir, target, duckdb_path, debug, RichConsole(quiet=quiet))


FAULTS_HELP = "comma-separated faults to inject (for tests), from the list above"


def _generate_help() -> str:
    from runner.simulator.faults import FAULTS

    faults = "\n".join(f"* {name}: {desc}" for name, desc in FAULTS.items())
    return (
        "Write the 11 nba_raw tables of simulated seasons into the embedded DuckDB file, or on a "
        "BigQuery emulator (--target emulator) load them into its nba_raw dataset (same seed, same tables).\n\nFaults for --faults (each reports exactly the rows it changed):"
        f"\n\n{faults}"
    )


@raw_app.command("generate", cls=Command, help=_generate_help())
def raw_generate(
    ctx: typer.Context,
    first_season: Annotated[int, typer.Option(metavar="YEAR", help="first season (start year: 2021 = 2021-22)")] = 2021,
    last_season: Annotated[int, typer.Option(metavar="YEAR", help="last season (2025 = 2025-26, through the 2026 playoffs)")] = 2025,
    seed: Annotated[int, typer.Option(metavar="INTEGER", help="random seed; the same seed gives identical tables")] = 7,
    faults: Annotated[str | None, typer.Option(metavar="FAULT[,...]", help=FAULTS_HELP, show_default=False)] = None,
    start_date: Annotated[str | None, typer.Option(metavar=DATE, help="keep only raw rows dated from this day", callback=_iso_date, show_default=False)] = None,
    end_date: Annotated[str | None, typer.Option(metavar=DATE, help="keep only raw rows dated up to this day", callback=_iso_date, show_default=False)] = None,
) -> None:
    from runner.services import raw

    def action(settings: Settings, console: Console) -> raw.GenerateOutcome:
        chosen = raw.parse_faults(faults)
        raw.validate_faults(chosen)
        return raw.generate(settings, console, raw.GenerateRequest(
            first_season, last_season, seed, chosen, start_date, end_date))  # type: ignore[arg-type]

    _run(ctx, action)


@raw_app.command("faults", cls=Command)
def raw_faults(ctx: typer.Context) -> None:
    """Describe the faults `raw generate --faults` can inject."""
    from runner.services import raw

    _run(ctx, lambda settings, console: raw.describe_faults(console))


@app.command(cls=Command)
def build(
    ctx: typer.Context,
    select: Annotated[list[str] | None, typer.Option("--select", "-s", metavar="SELECTOR", help="dbt selection; repeat it or quote several: -s staging -s orchestration, -s 'staging orchestration'")] = None,
    full_refresh: Annotated[bool, typer.Option(help="rebuild incremental models from scratch", show_default=False)] = False,
) -> None:
    """Run `dbt build` (models, seeds and tests) in-process on the chosen target."""
    from runner.services.build import build as run_build

    selection = [part for value in select or [] for part in value.split()]
    _run(ctx, lambda settings, console: run_build(settings, console, selection, full_refresh))


def _iso_date(value: str | None) -> dt.date | None:
    from runner.errors import UsageError
    from runner.inputs import parse_iso_date

    if value is None:
        return None
    try:
        return parse_iso_date(value)
    except UsageError as exc:
        raise typer.BadParameter(str(exc)) from None


def _iso_dates(value: str | None) -> list[dt.date] | None:
    if value is None:
        return None
    return [d for part in value.split(",") if part.strip() for d in [_iso_date(part)] if d]


# --notify / --notify-on, shared by backfill and validate (runner/services/notify.py). The URL is
# a secret: typer never shows an env var's value, and command lines are stored redacted.
NotifyUrl = Annotated[str | None, typer.Option(
    "--notify", envvar="NBA_NOTIFY_URL", show_default=False, metavar="URL",
    help="POST one JSON message to this webhook at the end of the run (Slack incoming webhooks get a Slack "
         "message); only its host is ever printed or stored")]
NotifyOn = Annotated[str, typer.Option(
    "--notify-on", envvar="NBA_NOTIFY_ON", metavar="failure|success|always",
    help="when to send: failure (failed or blocked dates, failing checks), success (only runs that "
         "succeeded), or always")]


def _command_line() -> str:
    from runner.redact import redact_argv

    return redact_argv(["nba-pipeline", *sys.argv[1:]])


@app.command(cls=Command)
def backfill(
    ctx: typer.Context,
    start_date: Annotated[str | None, typer.Option(metavar=DATE, help="first date", callback=_iso_date, show_default=False)] = None,
    end_date: Annotated[str | None, typer.Option(metavar=DATE, help="last date, not in the future", callback=_iso_date, show_default=False)] = None,
    dates: Annotated[str | None, typer.Option(metavar=DATES, help="exactly these dates, comma-separated", callback=_iso_dates, show_default=False)] = None,
    select: Annotated[list[str] | None, typer.Option("--select", "-s", metavar="NAME", help="phases (phase3, phase4, features) or model names; repeat or comma-separate; default: every phase")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="pre-flight and plan only; writes nothing")] = False,
    no_resume: Annotated[bool, typer.Option("--no-resume", help="redo every date of the range, succeeded ones included")] = False,
    force: Annotated[bool, typer.Option("--force", help="run even when the pre-flight finds missing upstream rows, or Phase 3 not ready in a date's window")] = False,
    include_bootstrap: Annotated[bool, typer.Option("--include-bootstrap", help="run the bootstrap-skipping models on season bootstrap days too")] = False,
    chunk_days: Annotated[int, typer.Option(metavar="DAYS", help="at most this many days per dbt invocation (one model, contiguous dates)")] = 92,
    threads: Annotated[int | None, typer.Option(metavar="INTEGER", help="dbt threads [env NBA_THREADS]", show_default=False)] = None,
    fail_fast: Annotated[bool, typer.Option("--fail-fast", help="stop at the first failed date")] = False,
    json_events: Annotated[bool, typer.Option("--json", help="print one JSON event per line instead of the progress display")] = False,
    profile: Annotated[bool, typer.Option("--profile", help="print where the wall time went: process start, manifest, compile, SQL, gates, ledger, publish")] = False,
    notify: NotifyUrl = None,
    notify_on: NotifyOn = "failure",
) -> None:
    """Backfill the selected models over a date range: schedule-aware, chunked, gated, resumable, locked.

    Every run first builds staging, the quarantine and the raw-row accounting of its range: each raw
    row is used (staged), excluded (a preseason or All-Star game), quarantined with a reason (it
    cannot be used: nba_orchestration.raw_quarantine) or superseded (an older version of a corrected
    row), and counted (`nba-pipeline status` shows the counts).

    Each chunk is built into the model's audit twin (schema nba_audit) and only its dates that pass
    their gates are published. succeeded: the date's rows passed and are the table's. failed: they
    did not; the table keeps its previous passing rows (or none). blocked: not built, a same-date
    input failed. incomplete window: a succeeded date whose window misses an upstream date that
    failed or was blocked (the ledger note names it; the run that passes it rebuilds the date).

    Exit 0 when every selected model × date succeeded or was rightly skipped, 1 when dates failed
    or were blocked (see `nba-pipeline status`) or the raw rows do not balance, 2 for usage or
    configuration errors.
    """
    from runner.services.backfill import BackfillRequest
    from runner.services.backfill import backfill as run_backfill

    request = BackfillRequest(
        start_date=start_date,  # type: ignore[arg-type]  (parsed by the callback)
        end_date=end_date,  # type: ignore[arg-type]
        dates=tuple(dates or ()),  # type: ignore[arg-type]
        select=tuple(part for value in select or [] for part in value.replace(",", " ").split()),
        dry_run=dry_run,
        resume=not no_resume,
        force=force,
        include_bootstrap=include_bootstrap,
        chunk_days=chunk_days,
        threads=threads,
        fail_fast=fail_fast,
        json_events=json_events,
        profile=profile,
        command_line=_command_line(),
        notify_url=notify,
        notify_on=notify_on,
    )
    _run(ctx, lambda settings, console: run_backfill(settings, console, request))


@app.command(cls=Command)
def cascade(
    ctx: typer.Context,
    dates: Annotated[str, typer.Option(metavar=DATES, help="the corrected game dates whose Phase 3 was re-backfilled, comma-separated", callback=_iso_dates, show_default=False)],
    dry_run: Annotated[bool, typer.Option("--dry-run", help="list per model the dates to recompute and why; writes nothing")] = False,
) -> None:
    """Recompute exactly the later Phase 3 window, Phase 4 and feature-store dates whose rows read the corrected dates (through the backfill runner: ledger, gates and all)."""
    from runner.services.cascade import CascadeRequest
    from runner.services.cascade import cascade as run_cascade

    request = CascadeRequest(dates=tuple(dates or ()), dry_run=dry_run,  # type: ignore[arg-type]
                             command_line=" ".join(["nba-pipeline", *sys.argv[1:]]))

    _run(ctx, lambda settings, console: run_cascade(settings, console, request))


@app.command(cls=Command)
def status(
    ctx: typer.Context,
    start_date: Annotated[str | None, typer.Option(metavar=DATE, help="first date of the summary (raw-row accounting and ledger)", callback=_iso_date, show_default=False)] = None,
    end_date: Annotated[str | None, typer.Option(metavar=DATE, help="last date of the summary (raw-row accounting and ledger)", callback=_iso_date, show_default=False)] = None,
) -> None:
    """Show what the warehouse holds: every raw row used (staged), excluded (a preseason or All-Star game), quarantined with a reason (it cannot be used; the rows themselves are in nba_orchestration.raw_quarantine) or superseded (an older version of a corrected row), per table, and whether the raw rows changed after they were counted; Phase 3 rows per season; the backfill ledger per model (succeeded, failed, blocked, skipped, pending), the last run and the failed dates with reasons."""
    from runner.services.status import status as show_status

    _run(ctx, lambda settings, console: show_status(settings, console, start_date, end_date))  # type: ignore[arg-type]


@app.command(cls=Command)
def validate(
    ctx: typer.Context,
    start_date: Annotated[str | None, typer.Option(metavar=DATE, help="first date; default: the first date built", callback=_iso_date, show_default=False)] = None,
    end_date: Annotated[str | None, typer.Option(metavar=DATE, help="last date; default: the last date built", callback=_iso_date, show_default=False)] = None,
    select: Annotated[list[str] | None, typer.Option("--select", "-s", metavar="NAME", help="sections (coverage, gaps, ...), phases or model names; repeat or comma-separate; default: everything")] = None,
    fmt: Annotated[str, typer.Option("--format", metavar="table|json|markdown|html", help="the report's format")] = "table",
    output: Annotated[Path | None, typer.Option(metavar="FILE", help="write the report to this file instead of stdout", show_default=False)] = None,
    fail_on: Annotated[str, typer.Option(metavar="warn|error", help="exit 1 when a check of this severity or above fails")] = "error",
    notify: NotifyUrl = None,
    notify_on: NotifyOn = "failure",
) -> None:
    """Validate the warehouse over a range: coverage, layer coverage, NULL rates, duplicates, gaps, consistency, feature store, feature health (each feature's distribution and drift by month), quarantine, ledger, source freshness, and the ML-training readiness verdict. Computed in the warehouse.

    Exit 0 when no check at or above --fail-on failed, 1 otherwise, 2 for bad input.

    What it asks dbt (the checks, the compiled SQL) is cached under target/nba_dbt_cache/,
    keyed by the project's files, profile, environment and dbt version: a repeated run needs no
    dbt. NBA_DBT_CACHE=0 turns the cache off.
    """
    from runner.services.validate import ValidateRequest
    from runner.services.validate import validate as run_validate

    request = ValidateRequest(
        start_date=start_date,  # type: ignore[arg-type]  (parsed by the callback)
        end_date=end_date,  # type: ignore[arg-type]
        select=tuple(part for value in select or [] for part in value.replace(",", " ").split()),
        fmt=fmt, output=output, fail_on=fail_on,
        notify_url=notify, notify_on=notify_on, command_line=_command_line(),
    )
    _run(ctx, lambda settings, console: run_validate(settings, console, request))


@app.command(cls=Command)
def demo(
    ctx: typer.Context,
    first_season: Annotated[int, typer.Option(metavar="YEAR", help="first simulated season, when the raw tables are missing")] = 2021,
    last_season: Annotated[int, typer.Option(metavar="YEAR", help="last simulated season, when the raw tables are missing")] = 2025,
) -> None:
    """The README's main job: simulate the raw seasons if missing, backfill the whole history, print the status, then validate it (terminal summary, reports/validation.html, the ML-training readiness verdict last)."""
    from runner.services.demo import demo as run_demo

    _run(ctx, lambda settings, console: run_demo(settings, console, first_season, last_season))


def main() -> None:
    app()
