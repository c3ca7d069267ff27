"""Raw layer services: simulate nba_raw into the embedded DuckDB file."""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from runner.config import Settings
from runner.console import Console
from runner.errors import UsageError


@dataclass(frozen=True)
class GenerateRequest:
    first_season: int
    last_season: int
    seed: int
    faults: tuple[str, ...]


def generate(settings: Settings, console: Console, request: GenerateRequest):
    from runner.simulator import SimulatorInputError, generate as simulate

    if not settings.is_embedded:
        raise UsageError(
            f"`raw generate` writes the embedded DuckDB file; target {settings.target!r} holds "
            "production raw tables (load them with the scrapers, not the simulator)"
        )
    settings.duckdb_path.parent.mkdir(parents=True, exist_ok=True)
    console.info(
        f"Simulating seasons {request.first_season}–{request.last_season} (seed {request.seed}"
        + (f", faults {','.join(request.faults)}" if request.faults else "")
        + f") into {settings.duckdb_path}"
    )
    try:
        report = simulate(
            settings.duckdb_path,
            first_season=request.first_season,
            last_season=request.last_season,
            seed=request.seed,
            faults=request.faults,
        )
    except SimulatorInputError as exc:
        raise UsageError(str(exc)) from exc
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
    return report


def parse_faults(value: str | None) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(f.strip() for f in value.split(",") if f.strip())


def describe_faults(console: Console) -> None:
    from runner.simulator import FAULTS

    console.table("Faults for `raw generate --faults`", ["fault", "what it does"], list(FAULTS.items()))


def validate_faults(faults: Sequence[str]) -> None:
    from runner.simulator import FAULTS

    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        raise UsageError(f"unknown fault(s) {', '.join(unknown)}; known faults: {', '.join(FAULTS)}")
