"""Simulated warehouses built once per test session and copied by the tests that need them.

Building a season through every phase costs minutes; tests that only read a
built warehouse (validate, cascade, alerts, reliability) copy one of these
instead of building their own. Each world is one DuckDB file built through the
real services (raw generate, staging build, the backfill runner), never by
hand-written SQL. Copy before writing to it: the golden file is shared.
"""
from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

from runner.config import Settings
from runner.console import CaptureConsole

SEASON = 2024
# Season 2024 opens 2024-10-22 (bootstrap through 2024-11-04): this range gives
# Phase 4 and the feature store five weeks of real rows after the bootstrap.
START = dt.date(2024, 10, 22)
END = dt.date(2024, 12, 10)


@dataclass(frozen=True)
class World:
    """A built warehouse: its file, range, and the simulator's fault effects."""

    path: Path
    start: dt.date
    end: dt.date
    faults: tuple[str, ...]
    fault_effects: tuple

    def copy_to(self, directory: Path) -> Path:
        """A private copy of the warehouse (write to this, never to ``path``)."""
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / self.path.name
        shutil.copyfile(self.path, target)
        # the session built the world in-process: its last commits (the run's final ledger rows)
        # may still sit in the write-ahead log, which DuckDB replays when the copy is opened
        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():
            shutil.copyfile(wal, target.with_name(target.name + ".wal"))
        return target

    def settings(self, path: Path | None = None) -> Settings:
        return Settings.load(duckdb_path=path or self.path)


def build_world(path: Path, faults: tuple[str, ...] = (), start: dt.date = START, end: dt.date = END) -> World:
    from runner.services import raw
    from runner.services.backfill import BackfillRequest, backfill
    from runner.services.build import build
    from runner.errors import PipelineError

    settings = Settings.load(duckdb_path=path)
    settings.export_env()
    console = CaptureConsole()
    report = raw.generate(settings, console, raw.GenerateRequest(SEASON, SEASON, 7, tuple(faults)))
    build(settings, console, ["staging", "orchestration"])
    try:
        outcome = backfill(settings, console, BackfillRequest(
            start_date=start, end_date=end, chunk_days=366, command_line="tests: build_world"))
    except PipelineError:
        if not faults:
            raise
        # a faulty world fails and blocks dates on purpose (the ledger records them): keep it
        return World(path, start, end, tuple(faults), tuple(report.fault_effects))
    if not faults and outcome.exit_code != 0:
        raise AssertionError(f"the clean world did not build (exit {outcome.exit_code}):\n{console.text()}")
    return World(path, start, end, tuple(faults), tuple(report.fault_effects))
