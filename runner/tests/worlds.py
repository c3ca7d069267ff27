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
# The shared faulty world (fixture `faulty_world`): raw-row faults spread over the season, and a
# short built range late in season 2024 that holds one missing and one partial gamebook date.
FAULTY = ("missing_dates", "partial_dates", "duplicate_rows", "malformed_minutes", "unknown_team")
FAULTY_START, FAULTY_END = dt.date(2025, 3, 27), dt.date(2025, 4, 3)


@dataclass(frozen=True)
class World:
    """A built warehouse: its file, range, and the simulator's fault effects."""

    path: Path
    start: dt.date
    end: dt.date
    faults: tuple[str, ...]
    fault_effects: tuple
    nodes: tuple = ()  # every dbt node the backfill ran (runner.dbt.NodeResult), in order

    def ran(self, *resource_types: str) -> dict[str, str]:
        """unique_id -> last status of the nodes of those types (model, test, unit_test) the build ran."""
        return {n.unique_id: n.status for n in self.nodes if n.resource_type in resource_types}

    def tests_of(self, manifest, models: set[str]) -> dict[str, str | None]:
        """Every data test of those models (unique_ids) -> its status in this build (None: it did
        not run). The runner runs no unit tests: runner/tests/test_dbt_unit_tests.py runs them all."""
        ran = self.ran("test")
        return {uid: ran.get(uid) for uid, node in manifest.nodes.items()
                if node.resource_type == "test" and models & set(node.depends_on.nodes)}

    def failing_tests_of(self, manifest, models: set[str]) -> dict[str, str | None]:
        """The data tests of those models that did not run, or ran with neither pass nor warn."""
        return {t: s for t, s in self.tests_of(manifest, models).items() if s not in ("pass", "warn")}

    def assert_built(self, manifest, models: set[str]) -> dict[str, str | None]:
        """The models (unique_ids) built, and every data test of theirs ran in this build and passed
        (or warned); returns those tests with their status."""
        assert {m: self.ran("model").get(m) for m in models} == dict.fromkeys(models, "success")
        tests = self.tests_of(manifest, models)
        assert tests and self.failing_tests_of(manifest, models) == {}
        return tests

    def copy_with_dbt(self, directory: Path):
        """A private copy of the warehouse and a dbt wrapper pointed at it."""
        from runner.dbt import Dbt

        db = self.copy_to(directory)
        return db, Dbt(Settings.load(duckdb_path=db))

    def copy_to(self, directory: Path) -> Path:
        """A private copy of the warehouse (write to this, never to ``path``)."""
        directory.mkdir(parents=True, exist_ok=True)
        target = directory / self.path.name
        shutil.copyfile(self.path, target)
        wal = self.path.with_name(self.path.name + ".wal")
        if wal.exists():  # checkpointed when built (below); kept whole if a reader left one
            shutil.copyfile(wal, target.with_name(target.name + ".wal"))
        return target

    def settings(self, path: Path | None = None) -> Settings:
        return Settings.load(duckdb_path=path or self.path)


def build_world(path: Path, faults: tuple[str, ...] = (), start: dt.date = START, end: dt.date = END) -> World:
    from runner.dbt import Dbt
    from runner.errors import PipelineError
    from runner.services import raw
    from runner.services.backfill import BackfillRequest, backfill

    settings = Settings.load(duckdb_path=path)
    settings.export_env()
    console = CaptureConsole()
    report = raw.generate(settings, console, raw.GenerateRequest(SEASON, SEASON, 7, tuple(faults))).report
    # no `build` first: the backfill builds staging, the quarantine and the accounting of its range
    nodes: list = []
    try:
        outcome = backfill(settings, console, BackfillRequest(
            start_date=start, end_date=end, chunk_days=366, command_line="tests: build_world"),
            dbt_factory=lambda s: Dbt(s, on_node=nodes.append))
    except PipelineError:
        if not faults:
            raise
        # a faulty world fails and blocks dates on purpose (the ledger records them): keep it
        return _built(World(path, start, end, tuple(faults), tuple(report.fault_effects), tuple(nodes)))
    if not faults and outcome.exit_code != 0:
        raise AssertionError(f"the clean world did not build (exit {outcome.exit_code}):\n{console.text()}")
    return _built(World(path, start, end, tuple(faults), tuple(report.fault_effects), tuple(nodes)))


def _built(world: World) -> World:
    """Write everything into the file itself: a connection this process keeps open (dbt's) may hold
    the last writes in the write-ahead log, which a copy made by another process would miss."""
    import duckdb

    with duckdb.connect(str(world.path)) as con:
        con.execute("force checkpoint")
    return world
