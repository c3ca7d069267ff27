"""The pipeline on the BigQuery target, end to end, on a local BigQuery API emulator
(runner/tests/bigquery/emulator.py), and DuckDB = BigQuery over the same range.

One emulator for the module: the simulated raw rows of RAW_START..END go into its nba_raw
(`raw generate`, INSERT queries), then `nba-pipeline --target emulator` runs `backfill` over
START..END (staging, the quarantine and the accounting, every phase, ledger, gates = the models'
dbt tests, lock), `status` and `validate` (JSON), each a CLI process as a user runs it. The DuckDB
side is the session's `clean_world` (the same season and seed, built by the same runner) when
the range lies inside it, else a world built over the range. The tests then check the ledger,
that every Phase 3, Phase 4 and feature-store table holds the same rows on both engines
(runner/services/compare.py: same keys, numbers within 1e-9, arrays and structs equal) and that
`validate` reached the same outcome for every check.

Then the raw-row rules and write-audit-publish on BigQuery: a few impossible raw rows are
inserted on one date of the range (INSERT ... SELECT on the emulator), most of its gamebook rows
are deleted, and that date's player_game_summary is backfilled again (the run counts the date's
raw rows first): each impossible row must be quarantined with its reason, the date's accounting
must balance against a fresh count, the date must fail its coverage gate, and its public rows
must stay exactly as published before, so the public tables stay equal
to DuckDB's.

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
    injected: dict[str, tuple[str, str, str]] = field(default_factory=dict)  # the impossible raw rows
    published: list[tuple] = field(default_factory=list)  # BAD_DAY's player_game_summary rows before its re-run

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
        run.cli("status", "--quiet", "status")  # the backfill built the quarantine and the accounting
        # exit 1 with a written report is the simulated data (rows loaded in 2024 are stale;
        # half the range is bootstrap): the outcomes are compared with DuckDB's below
        run.cli(f"validate {START}..{END}", "validate", *RANGE, "--format", "json",
                "--output", str(work / "validate-emulator.json"), ok=(0, 1))
        run.injected = _inject_impossible_rows(run)
        run.published = _published(run)  # the date's public rows before it fails
        # exit 1: the date fails its gamebook coverage (write-audit-publish keeps its public rows)
        run.cli(f"backfill {BAD_DAY} (player_game_summary, impossible rows, most gamebook rows gone)", "backfill",
                "--dates", BAD_DAY.isoformat(), "--select", "player_game_summary", "--no-resume", ok=(1,))
        run.cli("status after the impossible rows", "--quiet", "status")
        yield run


# -- the raw-row rules on BigQuery ------------------------------------------------------------------
BAD_DAY = dt.date(2024, 11, 12)
FUTURE = dt.date(2031, 1, 7)


def _inject_impossible_rows(run: EmulatorRun) -> dict[str, tuple[str, str, str]]:
    """Copies of real raw rows of BAD_DAY made impossible, each under a new key; returns
    kind -> (source table, natural_key as the quarantine spells it, reason)."""
    from runner.simulator.schema import TABLES
    from runner.warehouse import open_warehouse, sql_literal

    def copy(wh, table: str, where: str, changes: dict) -> None:
        cols = [c for c, _ in TABLES[table].columns]
        select = ", ".join(f"{sql_literal(changes[c])} as {c}" if c in changes else c for c in cols)
        wh.execute(f"insert into nba_raw.{table} ({', '.join(cols)}) "
                   f"select {select} from nba_raw.{table} where {where} limit 1")

    day = sql_literal(BAD_DAY)
    with mock.patch.dict(os.environ, run.env()), open_warehouse(run.settings()) as wh:
        games = wh.rows(f"select game_id, home_team_abbr, away_team_abbr from nba_raw.nbac_gamebook_player_stats "
                        f"where game_date = {day} and player_status = 'active' order by game_id limit 1")
        game, home, away = games[0]
        playing = {t for r in wh.rows(f"select home_team_tricode, away_team_tricode from nba_raw.nbac_schedule "
                                      f"where game_date = {day}") for t in r}
        free = sorted({"ATL", "BOS", "CHI", "DEN", "DET", "HOU", "MIA", "LAL", "POR", "SAC", "TOR", "UTA"} - playing)
        ghost = f"{BAD_DAY:%Y%m%d}_{free[0]}_{free[1]}"
        one_player = f"game_id = {sql_literal(game)} and player_status = 'active'"
        copy(wh, "nbac_gamebook_player_stats", one_player,
             {"player_lookup": "bqmalformed", "player_name": "Bq Malformed", "minutes": "4O:12"})
        copy(wh, "nbac_gamebook_player_stats", one_player,
             {"player_lookup": "bqnegative", "player_name": "Bq Negative", "points": -5})
        copy(wh, "nbac_gamebook_player_stats", one_player,
             {"player_lookup": "bqfuture", "player_name": "Bq Future", "game_date": FUTURE,
              "game_id": f"{FUTURE:%Y%m%d}_{away}_{home}"})
        copy(wh, "bdl_player_boxscores", f"game_id = {sql_literal(game)} and points = "
             "2 * field_goals_made + three_pointers_made + free_throws_made",
             {"player_lookup": "bqghost", "player_full_name": "Bq Ghost", "game_id": ghost,
              "home_team_abbr": free[1], "away_team_abbr": free[0], "team_abbr": free[1]})
        copy(wh, "odds_api_player_points_props", f"game_date = {day}",
             {"player_lookup": "bqzeroline", "player_name": "Bq Zeroline", "points_line": 0.0})
        # most of the date's gamebook rows gone (all but the first game's): the date must fail its
        # coverage gate, and its public rows must stay as they were (a MERGE deletes them: the
        # emulator runs no DELETE statement)
        wh.execute(f"merge nba_raw.nbac_gamebook_player_stats t using (select 1 as one) s on false "
                   f"when not matched by source and t.game_date = {day} and t.game_id <> {sql_literal(game)} "
                   "then delete")
    return {
        "malformed_minutes": ("nbac_gamebook_player_stats", f"game_id={game}|player_lookup=bqmalformed",
                              "malformed_minutes"),
        "negative_stat": ("nbac_gamebook_player_stats", f"game_id={game}|player_lookup=bqnegative", "negative_stat"),
        "future_date": ("nbac_gamebook_player_stats", f"game_id={FUTURE:%Y%m%d}_{away}_{home}|player_lookup=bqfuture",
                        "future_date"),
        "game_not_on_schedule": ("bdl_player_boxscores", f"game_id={ghost}|player_lookup=bqghost",
                                 "game_not_on_schedule"),
        "nonpositive_line": ("odds_api_player_points_props", "player_lookup=bqzeroline", "nonpositive_line"),
    }


def _published(run: EmulatorRun) -> list[tuple]:
    from runner.warehouse import open_warehouse

    with mock.patch.dict(os.environ, run.env()), open_warehouse(run.settings()) as wh:
        return sorted(tuple(str(v) for v in r) for r in wh.rows(
            "select player_lookup, team_abbr, points, minutes_played, primary_source_used "
            "from nba_analytics.player_game_summary where game_date = ?", [BAD_DAY]))


@pytest.fixture(scope="module")
def duckdb_side(request, tmp_path_factory):
    """The same season, seed and runner on DuckDB: the session's clean world if it covers the
    range (built from the season's first day, so every row of the range is the same), else one
    built over the range."""
    from runner.tests.worlds import END as CLEAN_END
    from runner.tests.worlds import START as CLEAN_START
    from runner.tests.worlds import build_world

    if CLEAN_START == RAW_START and CLEAN_START <= START and END <= CLEAN_END:
        return request.getfixturevalue("clean_world")
    return build_world(tmp_path_factory.mktemp("duckdb_side") / "duckdb.duckdb", start=START, end=END)


def _assert_steps_ok(run: EmulatorRun) -> None:
    failed = run.failed
    assert failed is None, f"{failed.name} failed (exit {failed.exit_code}):\n{failed.tail()}\n\n{run.summary()}"


def test_every_step_runs_on_the_emulator(emulator_run):
    _assert_steps_ok(emulator_run)
    assert len(emulator_run.steps) == 6


def test_the_emulator_quarantines_impossible_rows_and_counts_every_raw_row(emulator_run):
    from runner.simulator.schema import TABLES
    from runner.warehouse import open_warehouse

    _assert_steps_ok(emulator_run)
    with mock.patch.dict(os.environ, emulator_run.env()), open_warehouse(emulator_run.settings()) as wh:
        quarantined = wh.rows("select source_table, natural_key, reason, cast(accounting_date as string) "
                              "from nba_orchestration.raw_quarantine where natural_key like '%player_lookup=bq%'")
        found = {(t, r): (k, d) for t, k, r, d in quarantined}
        for kind, (table, key, reason) in emulator_run.injected.items():
            assert (table, reason) in found, (kind, quarantined)
            got_key, accounted = found[(table, reason)]
            assert key in got_key, (kind, got_key)
            assert accounted == ("9999-12-31" if kind == "future_date" else BAD_DAY.isoformat()), (kind, accounted)
        # the date's accounting balances against a fresh count of each raw table, and is current
        accounting = {t: (raw, staged + excluded + quarantined_rows + superseded, balanced)
                      for t, raw, staged, excluded, quarantined_rows, superseded, balanced in wh.rows(
                          "select source_table, raw_rows, staged_rows, excluded_rows, quarantined_rows, "
                          "superseded_rows, is_balanced from nba_orchestration.raw_row_accounting "
                          "where accounting_date = ?", [BAD_DAY])}
        for table in ("nbac_gamebook_player_stats", "bdl_player_boxscores", "odds_api_player_points_props"):
            fresh = wh.rows(f"select count(*) from nba_raw.{table} where {TABLES[table].date_column} = ?",
                            [BAD_DAY])[0][0]
            assert accounting[table] == (fresh, fresh, True), (table, accounting[table], fresh)
        states = wh.rows("select distinct accounting_state from nba_orchestration.raw_accounting_freshness "
                         "where accounting_date in (?, ?)", [BAD_DAY, dt.date(9999, 12, 31)])
        assert states == [("current",)], states
        # none reached a public table (and the equality with DuckDB below holds after this run)
        for table in ("player_game_summary",):
            leaked = wh.rows(f"select count(*) from nba_analytics.{table} where player_lookup like 'bq%'")[0][0]
            assert leaked == 0, table


def test_a_failed_date_keeps_its_published_rows_on_the_emulator(emulator_run):
    """Write-audit-publish on BigQuery: the re-run of BAD_DAY failed its gamebook coverage, its
    rows were built into the audit twin, and the public rows of the date are exactly the ones
    published before. Its reason names the raw rows staging quarantined on the date, as on DuckDB
    (BigQuery's relation names are quoted with backticks, which the lookup of the model's raw
    tables once kept)."""
    from runner.warehouse import open_warehouse

    _assert_steps_ok(emulator_run)
    assert len(emulator_run.published) > 100
    assert _published(emulator_run) == emulator_run.published
    with mock.patch.dict(os.environ, emulator_run.env()), open_warehouse(emulator_run.settings()) as wh:
        status, reason = wh.rows("select status, reason from nba_orchestration.backfill_ledger "
                                 "where model_name = 'player_game_summary' and ledger_date = ?", [BAD_DAY])[0]
        audited = wh.rows("select count(*) from nba_audit.player_game_summary where game_date = ?", [BAD_DAY])[0][0]
    assert status == "failed" and "gamebook_coverage" in reason, reason
    assert "quarantined raw rows on this date: " in reason and "nbac_gamebook_player_stats 2 (" in reason, reason
    assert audited > 0  # the failed build, kept for inspection


def test_the_emulator_ledger_holds_every_model_and_date(emulator_run, duckdb_side):
    """Every model × date of the range succeeded (Phase 4: bootstrap days skipped), but the date the
    impossible-rows step made fail, and every model has at least two weeks of game dates built."""
    from runner.backfill.planner import SKIPPED_BOOTSTRAP, SKIPPED_NO_GAMES, SUCCEEDED
    from runner.dbt import Dbt
    from runner.services.compare import tables_of
    from runner.warehouse import open_warehouse

    _assert_steps_ok(emulator_run)
    models = {t.name for t in tables_of(Dbt(duckdb_side.settings()).manifest)}
    with mock.patch.dict(os.environ, emulator_run.env()), open_warehouse(emulator_run.settings()) as wh:
        rows = wh.rows("select model_name, status, count(*) from nba_orchestration.backfill_ledger "
                       "where ledger_date between ? and ? and not (model_name = 'player_game_summary' "
                       "and ledger_date = ?) group by model_name, status", [START, END, BAD_DAY])
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
