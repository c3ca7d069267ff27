"""nba-pipeline command line: parsing and exit codes only; the work is in services."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Optional

import typer

from runner import __version__
from runner.config import Settings
from runner.console import Console, RichConsole
from runner.errors import EXIT_FAILED, PipelineError

app = typer.Typer(
    rich_markup_mode="markdown",
    name="nba-pipeline",
    help="Build and backfill the NBA props warehouse (Phase 3 analytics, Phase 4 precompute, "
    "feature store) with dbt, on an embedded DuckDB file or on BigQuery.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
raw_app = typer.Typer(
    help="The raw layer (nba_raw): simulate it on the embedded DuckDB file.",
    no_args_is_help=True,
)
app.add_typer(raw_app, name="raw")


@dataclass
class State:
    project_dir: Optional[Path]
    profiles_dir: Optional[Path]
    target: Optional[str]
    duckdb_path: Optional[Path]
    debug: bool
    console: Console

    def settings(self) -> Settings:
        return Settings.load(self.project_dir, self.profiles_dir, self.target, self.duckdb_path)


def _run(ctx: typer.Context, action: Callable[[Settings, Console], object]) -> None:
    """The one place where errors become messages and exit codes."""
    state: State = ctx.obj
    try:
        action(state.settings(), state.console)
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


def _version(value: bool) -> None:
    if value:
        typer.echo(f"nba-pipeline {__version__}")
        raise typer.Exit()


@app.callback()
def main_options(
    ctx: typer.Context,
    project_dir: Annotated[Optional[Path], typer.Option(help="dbt project directory [env NBA_PROJECT_DIR; default: this repository]", show_default=False)] = None,
    profiles_dir: Annotated[Optional[Path], typer.Option(help="dbt profiles directory [env DBT_PROFILES_DIR; default: <project>/profiles]", show_default=False)] = None,
    target: Annotated[Optional[str], typer.Option(help="dbt target: duckdb (embedded default) or bigquery [env NBA_TARGET]", show_default=False)] = None,
    duckdb_path: Annotated[Optional[Path], typer.Option(help="embedded DuckDB file [env NBA_DUCKDB_PATH; default: <project>/nba.duckdb]", show_default=False)] = None,
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
        "Write the 11 nba_raw tables of simulated seasons into the embedded DuckDB file "
        "(same seed, same tables).\n\nFaults for --faults (each reports exactly the rows it changed):"
        f"\n\n{faults}"
    )


@raw_app.command("generate", help=_generate_help())
def raw_generate(
    ctx: typer.Context,
    first_season: Annotated[int, typer.Option(help="first season (start year: 2021 = 2021-22)")] = 2021,
    last_season: Annotated[int, typer.Option(help="last season (2025 = 2025-26, through the 2026 playoffs)")] = 2025,
    seed: Annotated[int, typer.Option(help="random seed; the same seed gives identical tables")] = 7,
    faults: Annotated[Optional[str], typer.Option(help=FAULTS_HELP, show_default=False)] = None,
) -> None:
    from runner.services import raw

    def action(settings: Settings, console: Console) -> None:
        chosen = raw.parse_faults(faults)
        raw.validate_faults(chosen)
        raw.generate(settings, console, raw.GenerateRequest(first_season, last_season, seed, chosen))

    _run(ctx, action)


@raw_app.command("faults")
def raw_faults(ctx: typer.Context) -> None:
    """Describe the faults `raw generate --faults` can inject."""
    from runner.services import raw

    _run(ctx, lambda settings, console: raw.describe_faults(console))


@app.command()
def build(
    ctx: typer.Context,
    select: Annotated[Optional[list[str]], typer.Option("--select", "-s", help="dbt selection; repeat it or quote several: -s staging -s orchestration, -s 'staging orchestration'")] = None,
    full_refresh: Annotated[bool, typer.Option(help="rebuild incremental models from scratch")] = False,
) -> None:
    """Run `dbt build` (models, seeds and tests) in-process on the chosen target."""
    from runner.services.build import build as run_build

    selection = [part for value in select or [] for part in value.split()]
    _run(ctx, lambda settings, console: run_build(settings, console, selection, full_refresh))


@app.command()
def status(ctx: typer.Context) -> None:
    """Show what the warehouse holds: raw rows staged, quarantined (by reason) and superseded; Phase 3 rows per season."""
    from runner.services.status import status as show_status

    _run(ctx, show_status)


def main() -> None:
    app()
