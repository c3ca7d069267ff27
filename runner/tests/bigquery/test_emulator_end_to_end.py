"""The pipeline on the BigQuery target, end to end, on a local BigQuery API emulator
(runner/tests/bigquery/emulator.py), and DuckDB = BigQuery over the same range.

One emulator for the module: the simulated raw rows of RAW_START..END go into its nba_raw
(`raw generate`, INSERT queries), then `nba-pipeline --target emulator` runs `backfill` over
START..END (staging views, every phase, ledger, gates = the models' dbt tests, lock), `status`,
the orchestration models and `validate` (JSON), each a CLI process as a user runs it. The DuckDB
side is the session's `clean_world` (the same season and seed, built by the same runner) when
the range lies inside it, else a world built over the range. The tests then check the ledger,
that every Phase 3, Phase 4 and feature-store table holds the same rows on both engines
(runner/services/compare.py: same keys, numbers within 1e-9, arrays and structs equal) and that
`validate` reached the same outcome for every check.

Each step's seconds and the rows compared are printed in pytest's terminal summary
("BigQuery emulator run"). Environment: NBA_BQ_RAW_START (default 2024-10-22, the season's first
day: Phase 4 needs its bootstrap), NBA_BQ_START (default the raw start), NBA_BQ_END (default
2024-11-20: two weeks of games after the bootstrap), NBA_BQ_BACKFILL_ARGS (extra backfill options).
Without the emulator installed (`make emulator`; `make test` installs it) the module is skipped
locally and fails in CI.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from unittest import mock

import pytest

from runner.tests.bigquery import emulator
from runner.tests.conftest import PROJECT_DIR
from runner.tests.worlds import SEASON

pytestmark = pytest.mark.slow

RAW_START = dt.date.fromisoformat(os.environ.get("NBA_BQ_RAW_START") or "2024-10-22")
START = dt.date.fromisoformat(os.environ.get("NBA_BQ_START") or RAW_START.isoformat())
END = dt.date.fromisoformat(os.environ.get("NBA_BQ_END") or "2024-11-20")
EXTRA = shlex.split(os.environ.get("NBA_BQ_BACKFILL_ARGS", ""))
CLI = str(Path(sys.executable).parent / "nba-pipeline")
RANGE = ("--start-date", START.isoformat(), "--end-date", END.isoformat())


@dataclass
class Step:
    name: str
    seconds: float
    exit_code: int | None  # None: skipped after an earlier failure
    log: Path

    def tail(self, lines: int = 40) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:]) if self.log.exists() else ""


@dataclass
class EmulatorRun:
    endpoint: str
    work: Path
    steps: list[Step] = field(default_factory=list)

    def env(self, **extra: str) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("NBA_TARGET", "NBA_DUCKDB_PATH")}
        env.update(DBT_PROFILES_DIR=str(PROJECT_DIR / "profiles"), NBA_BQ_API_ENDPOINT=self.endpoint,
                   # its own dbt folders: never the partial parse of this worker's DuckDB runs
                   DBT_TARGET_PATH=str(self.work / "emulator-target"), DBT_LOG_PATH=str(self.work / "emulator-logs"))
        env.update(extra)
        return env

    def cli(self, name: str, *args: str, ok: tuple[int, ...] = (0,), timeout: float = 1800) -> Step:
        """`nba-pipeline --target emulator <args>`, timed; skipped once a step has failed."""
        log = self.work / f"step-{len(self.steps) + 1}.log"
        if self.failed:
            step = Step(name, 0.0, None, log)
        else:
            started = time.monotonic()
            with open(log, "w") as out:
                code = subprocess.run([CLI, "--target", "emulator", *args], cwd=PROJECT_DIR, env=self.env(),
                                      stdout=out, stderr=subprocess.STDOUT, timeout=timeout).returncode
            step = Step(name, time.monotonic() - started, 0 if code in ok else code, log)
        self.steps.append(step)
        return step

    @property
    def failed(self) -> Step | None:
        return next((s for s in self.steps if s.exit_code not in (0, None)), None)

    def settings(self):
        from runner.config import Settings

        return Settings.load(project_dir=PROJECT_DIR, target="emulator")

    def summary(self, compared: dict[str, int] | None = None) -> str:
        lines = [f"{START}..{END} (raw from {RAW_START}) on {self.endpoint}"]
        for s in self.steps:
            status = "skipped" if s.exit_code is None else "ok" if s.exit_code == 0 else f"FAILED (exit {s.exit_code})"
            lines.append(f"  {s.name:<50}{s.seconds:>7.1f} s  {status}")
        if compared:
            lines.append("  DuckDB = emulator, rows compared:")
            lines += [f"    {name:<34}{n:>8}" for name, n in compared.items()]
            lines.append(f"    {'total':<34}{sum(compared.values()):>8} rows in {len(compared)} tables")
        return "\n".join(lines)


@pytest.fixture(scope="module")
def emulator_run(tmp_path_factory):
    if not emulator.installed():
        if os.environ.get("CI") == "true":
            pytest.fail(f"the BigQuery emulator is not installed ({emulator.BINARY}): `make test` installs it")
        pytest.skip(f"the BigQuery emulator is not installed ({emulator.BINARY}): `make emulator`")
    work = tmp_path_factory.mktemp("emulator")
    with emulator.running_emulator(work / "emulator.log") as emu:
        run = EmulatorRun(emu.endpoint, work)
        run.cli(f"raw rows {RAW_START}..{END} into the emulator", "raw", "generate",
                "--first-season", str(SEASON), "--last-season", str(SEASON),
                "--start-date", RAW_START.isoformat(), "--end-date", END.isoformat())
        run.cli(f"backfill {START}..{END}", "backfill", *RANGE, *EXTRA)
        run.cli("status", "--quiet", "status")
        run.cli("orchestration models", "build", "--select", "orchestration")
        # exit 1 with a written report is the simulated data (rows loaded in 2024 are stale;
        # half the range is bootstrap): the outcomes are compared with DuckDB's below
        run.cli(f"validate {START}..{END}", "validate", *RANGE, "--format", "json",
                "--output", str(work / "validate-emulator.json"), ok=(0, 1))
        yield run


@pytest.fixture(scope="module")
def duckdb_side(request, tmp_path_factory):
    """The same season, seed and runner on DuckDB: the session's clean world if it covers the
    range (built from the season's first day, so every row of the range is the same), else one
    built over the range."""
    from runner.tests.worlds import START as CLEAN_START, END as CLEAN_END, build_world

    if CLEAN_START == RAW_START and CLEAN_START <= START and END <= CLEAN_END:
        return request.getfixturevalue("clean_world")
    return build_world(tmp_path_factory.mktemp("duckdb_side") / "duckdb.duckdb", start=START, end=END)


def _assert_steps_ok(run: EmulatorRun) -> None:
    failed = run.failed
    assert failed is None, f"{failed.name} failed (exit {failed.exit_code}):\n{failed.tail()}\n\n{run.summary()}"


def test_every_step_runs_on_the_emulator(emulator_run):
    _assert_steps_ok(emulator_run)
    assert len(emulator_run.steps) == 5


def test_the_emulator_ledger_holds_every_model_and_date(emulator_run, duckdb_side):
    """Every model × date of the range succeeded (Phase 4: bootstrap days skipped), and every
    model has at least two weeks of game dates built."""
    from runner.backfill.planner import SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, SUCCEEDED
    from runner.dbt import Dbt
    from runner.services.compare import tables_of
    from runner.warehouse import open_warehouse

    _assert_steps_ok(emulator_run)
    models = {t.name for t in tables_of(Dbt(duckdb_side.settings()).manifest)}
    with mock.patch.dict(os.environ, emulator_run.env()), open_warehouse(emulator_run.settings()) as wh:
        rows = wh.rows("select model_name, status, count(*) from nba_orchestration.backfill_ledger "
                       "where ledger_date between ? and ? group by model_name, status", [START, END])
    by_model: dict[str, dict[str, int]] = {}
    for model, status, n in rows:
        by_model.setdefault(model, {})[status] = n
    assert set(by_model) == models, by_model
    for model, counts in by_model.items():
        assert set(counts) <= {SUCCEEDED, SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES}, (model, counts)
        assert counts.get(SUCCEEDED, 0) >= 14, (model, counts)


def test_duckdb_and_the_emulator_hold_the_same_rows(emulator_run, duckdb_side, record_property):
    from runner.dbt import Dbt
    from runner.services.compare import compare_tables, tables_of
    from runner.warehouse import open_warehouse

    _assert_steps_ok(emulator_run)
    started = time.monotonic()
    duck = duckdb_side.settings()
    tables = tables_of(Dbt(duck).manifest)
    with mock.patch.dict(os.environ, emulator_run.env()), open_warehouse(duck) as left, \
            open_warehouse(emulator_run.settings()) as right:
        counts, problems = compare_tables(left, right, tables, START, END)
    emulator_run.steps.append(Step("cross-engine equality", time.monotonic() - started, 1 if problems else 0,
                                   emulator_run.work / "none"))
    record_property("summary:BigQuery emulator run", emulator_run.summary(counts))
    assert not problems, "DuckDB and the emulator differ:\n" + "\n".join(problems)
    assert counts and all(counts.values()), f"a table has no rows in {START}..{END}: {counts}"


def test_validate_reaches_the_same_outcome_on_both_engines(emulator_run, duckdb_side, tmp_path):
    from runner.services.compare import compare_validations

    _assert_steps_ok(emulator_run)
    report = tmp_path / "validate-duckdb.json"
    env = emulator_run.env(DBT_TARGET_PATH=str(tmp_path / "target"), DBT_LOG_PATH=str(tmp_path / "logs"))
    done = subprocess.run([CLI, "--target", "duckdb", "--duckdb-path", str(duckdb_side.copy_to(tmp_path)),
                           "validate", *RANGE, "--format", "json", "--output", str(report)],
                          cwd=PROJECT_DIR, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode in (0, 1) and report.exists(), done.stdout + done.stderr
    reports = [json.loads(report.read_text()), json.loads((emulator_run.work / "validate-emulator.json").read_text())]
    assert sum(len(s["checks"]) for s in reports[0]["sections"]) > 50
    assert compare_validations(*reports) == []
