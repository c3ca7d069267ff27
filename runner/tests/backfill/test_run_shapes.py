"""Run-shape invariance: any split of the same history into runs gives identical tables.

The reference shape: on a copy of the shared clean world (season 2024's raw rows), one backfill
of the season's end, 2025-04-08..2025-06-26 (the last regular-season week, the play-in, the
playoffs and the last Finals date, when most teams have been idle for more than 60 days), every
model in quarter-season chunks. On copies of that reference the same history is rebuilt in other
shapes, and every date table (Phase 3, Phase 4, the feature store) must hold exactly the
reference's rows:
- weekly chunks: the last two weeks re-run with --chunk-days 7, then, on the same copy, a
  random set of `--dates` re-runs (consecutive game dates at a place drawn from a seed printed
  in the test's output; NBA_RUN_SHAPE_SEED replays one);
- a season followed by appended single days: the last game dates removed from every table and
  the ledger, then appended one `--dates` run per day, in order.
Every run uses --force: Phase 3 before the range is absent in every shape alike, and the
per-date readiness would otherwise block the range's first weeks (judged the same in each shape).
The date tables hold no run timestamps or run ids, so whole rows are compared.
"""
from __future__ import annotations

import datetime as dt
import os
import random

import duckdb
import pytest

from runner.checksums import table_checksum
from runner.console import CaptureConsole

pytestmark = [pytest.mark.slow, pytest.mark.shapes]

APPENDED_DAYS = 2
WEEKS = 2
RANDOM_DATES = 2


def _date_tables(path) -> dict[str, str]:
    """Every date model's relation (schema.table) -> its date column, from the warehouse's ledger."""
    with duckdb.connect(str(path)) as con:
        models = {r[0] for r in con.execute(
            "select distinct model_name from nba_orchestration.backfill_ledger").fetchall()}
        found = con.execute(
            "select table_schema, table_name, column_name from information_schema.columns "
            "where column_name in ('game_date', 'analysis_date', 'cache_date') "
            "and table_schema in ('nba_analytics', 'nba_precompute', 'nba_predictions')").fetchall()
    out = {f"{s}.{t}": c for s, t, c in found if t in models}
    assert len(out) == len(models), (sorted(models), sorted(out))
    return out


def _checksums(path, tables) -> dict[str, str]:
    with duckdb.connect(str(path)) as con:
        return {t: table_checksum(con, t, "hash") for t in tables}


def _game_dates(path, start, end) -> list[dt.date]:
    with duckdb.connect(str(path)) as con:
        return [r[0] for r in con.execute(
            "select distinct game_date from nba_analytics.player_game_summary where game_date between ? and ? "
            "order by 1", [start, end]).fetchall()]


START, END = dt.date(2025, 4, 8), dt.date(2025, 6, 26)


@pytest.fixture(scope="module")
def dbt_of(clean_world, tmp_path_factory):
    """One parse for the module: every copy keeps the clean world's file name (its DuckDB
    catalog name), and _run points the runner at the copy it builds (dbt exports its settings'
    path at each invocation), never at the shared world."""
    from runner.dbt import Dbt

    return Dbt(clean_world.settings(clean_world.copy_to(tmp_path_factory.mktemp("shape-parse"))))


def _run(world_path, dbt, **request):
    from runner.config import Settings
    from runner.services.backfill import BackfillRequest, backfill

    settings = Settings.load(duckdb_path=world_path)
    settings.export_env()
    dbt.settings = settings
    outcome = backfill(settings, CaptureConsole(), BackfillRequest(command_line="tests: run shape", force=True,
                                                                   **request), dbt_factory=lambda _s: dbt)
    assert outcome.exit_code == 0


@pytest.fixture(scope="module")
def reference(clean_world, dbt_of, tmp_path_factory):
    from runner.tests.worlds import World

    path = clean_world.copy_to(tmp_path_factory.mktemp("shape-reference"))
    # a week of Phase 3 before the range, the same history under every shape: the feature store's
    # universe is the players with a game in the 60 days before D (its range's first date too)
    _run(path, dbt_of, start_date=START - dt.timedelta(days=7), end_date=START - dt.timedelta(days=1),
         select=("phase3",))
    _run(path, dbt_of, start_date=START, end_date=END)
    tables = _date_tables(path)
    world = World(path, START, END, (), ())
    dates = _game_dates(path, START, END)
    with duckdb.connect(str(path)) as con:  # the run shapes must meet idle teams
        idle = con.execute(
            "select count(*) from nba_precompute.team_defense_zone_analysis z where analysis_date = ? and not exists "
            "(select 1 from nba_analytics.team_defense_game_summary g where g.team_abbr = z.team_abbr "
            "and g.game_date between ? and ?)", [dates[-1], dates[-1] - dt.timedelta(days=60), dates[-1]]).fetchone()[0]
    assert dates[-1] == END and idle >= 10, (dates[-1], idle)  # the 14 teams out of the playoffs
    return {"world": world, "tables": tables, "sums": _checksums(path, tables), "dates": dates}


def _differences(path, reference) -> dict[str, tuple[str, str]]:
    got = _checksums(path, reference["tables"])
    return {t: (got[t], reference["sums"][t]) for t in got if got[t] != reference["sums"][t]}


def test_weekly_chunks_then_a_random_set_of_date_reruns_give_the_reference_tables(reference, dbt_of, tmp_path):
    path = reference["world"].copy_to(tmp_path)
    start = END - dt.timedelta(days=7 * WEEKS - 1)
    _run(path, dbt_of, start_date=start, end_date=END, chunk_days=7, resume=False)
    assert _differences(path, reference) == {}
    # then, on the same copy, a random set of single dates re-run
    seed = int(os.environ.get("NBA_RUN_SHAPE_SEED") or random.SystemRandom().randrange(10**6))
    print(f"run-shape seed: {seed} (NBA_RUN_SHAPE_SEED={seed} replays it)")
    # consecutive game dates at a random place: one chunk per model (CI's budget), any place
    first = random.Random(seed).randrange(len(reference["dates"]) - RANDOM_DATES + 1)
    days = tuple(reference["dates"][first:first + RANDOM_DATES])
    _run(path, dbt_of, dates=days, resume=False)
    assert _differences(path, reference) == {}, f"seed {seed}, dates {days}"


def test_a_season_then_appended_single_days_gives_the_reference_tables(reference, dbt_of, tmp_path):
    path = reference["world"].copy_to(tmp_path)
    appended = reference["dates"][-APPENDED_DAYS:]
    with duckdb.connect(str(path)) as con:  # the warehouse as it stood before those days
        for table, column in reference["tables"].items():
            con.execute(f"delete from {table} where {column} >= ?", [appended[0]])
        con.execute("delete from nba_orchestration.backfill_ledger where ledger_date >= ?", [appended[0]])
    for day in appended:
        _run(path, dbt_of, dates=(day,))
    assert _differences(path, reference) == {}
