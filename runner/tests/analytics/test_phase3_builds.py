"""Phase 3 on the shared clean world (season 2024, built by the runner), through the runner's
in-process dbt wrapper.

- the world's build of the range ran every Phase 3 model and test, all passing;
- re-running one week rewrites exactly that week in every Phase 3 table;
- running the same range twice gives identical tables;
- with the simulator's `missing_dates` fault, the coverage and gap tests fail
  and their stored failures name the missing dates.
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from runner.checksums import table_checksum
from runner.config import Settings
from runner.dbt import Dbt

pytestmark = pytest.mark.slow

PHASE3 = (
    "team_offense_game_summary",
    "team_defense_game_summary",
    "player_game_summary",
    "upcoming_player_game_context",
    "upcoming_team_game_context",
)
WEEK = {"start_date": "2024-11-11", "end_date": "2024-11-17"}
# A game date after the week: the week's windows never read it, so damaging it
# must not change the week, and the week's run must not repair it.
OUTSIDE_DATE = "2024-11-20"


def _in(start: str, end: str) -> str:
    return f"game_date between date '{start}' and date '{end}'"


def _checksums(con, where: str) -> dict[str, str]:
    return {t: table_checksum(con, f"nba_analytics.{t}", "hash", where=where) for t in PHASE3}


@pytest.fixture(scope="module")
def built(clean_copy):
    """This module's copy of the clean world: (db, dbt, world)."""
    return clean_copy


def test_a_range_build_passes_every_test(built):
    db, dbt, world = built
    # every Phase 3 model built, and every data test of theirs ran in the world's build and passed (or warned)
    tests = world.assert_built(dbt.manifest, {f"model.nba_pipeline.{t}" for t in PHASE3})
    assert len(tests) >= 3 * len(PHASE3), sorted(tests)  # keys, coverage, null rates at least
    with duckdb.connect(str(db)) as con:
        for table in PHASE3:
            n, first, last = con.execute(
                f"select count(*), min(game_date), max(game_date) from nba_analytics.{table}"
            ).fetchone()
            assert n > 0, table
            assert first >= world.start and last <= world.end, table


def test_a_week_run_rewrites_exactly_that_week(built):
    db, dbt, _ = built
    week, outside = _in(WEEK["start_date"], WEEK["end_date"]), f"not ({_in(WEEK['start_date'], WEEK['end_date'])})"
    with duckdb.connect(str(db)) as con:
        inside_before = _checksums(con, week)
        for table in PHASE3:
            had = con.execute(
                f"select count(*) from nba_analytics.{table} where game_date = date '{OUTSIDE_DATE}'"
            ).fetchone()[0]
            assert had > 0, f"{table} has no rows on {OUTSIDE_DATE}: pick another game date"
        # damage the week (rows gone) and one date outside it (rows gone too)
        for table in PHASE3:
            con.execute(f"delete from nba_analytics.{table} where {week} or game_date = date '{OUTSIDE_DATE}'")
        outside_damaged = _checksums(con, outside)

    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase3", vars=WEEK)
    assert outcome.success, [(n.name, n.message) for n in outcome.failed_nodes]

    with duckdb.connect(str(db)) as con:
        assert _checksums(con, week) == inside_before  # the week is back, identical
        assert _checksums(con, outside) == outside_damaged  # nothing outside was touched
        for table in PHASE3:
            gone = con.execute(
                f"select count(*) from nba_analytics.{table} where game_date = date '{OUTSIDE_DATE}'"
            ).fetchone()[0]
            assert gone == 0, f"{table}: a run of {WEEK} rewrote {OUTSIDE_DATE}"


def test_running_the_same_range_twice_gives_identical_tables(built):
    db, dbt, _ = built
    everything = "true"
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase3", vars=WEEK)
    assert outcome.success
    with duckdb.connect(str(db)) as con:
        first = _checksums(con, everything)
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase3", vars=WEEK)
    assert outcome.success
    with duckdb.connect(str(db)) as con:
        assert _checksums(con, everything) == first


def test_missing_gamebook_dates_fail_coverage_and_gap_tests_naming_the_dates(faulty_world, tmp_path):
    """On a copy of the shared faulty world, Phase 3 over a week around its missing date: the
    coverage and gap tests fail and store the date."""
    world = faulty_world
    missing = sorted({e.key["game_date"] for e in world.fault_effects if e.fault == "missing_dates"
                      and world.start.isoformat() <= e.key["game_date"] <= world.end.isoformat()})
    assert missing
    target = dt.date.fromisoformat(str(missing[0]))
    window = {
        "start_date": max(world.start, target - dt.timedelta(days=3)).isoformat(),
        "end_date": min(world.end, target + dt.timedelta(days=3)).isoformat(),
    }
    db = world.copy_to(tmp_path)
    dbt = Dbt(Settings.load(duckdb_path=db))
    # run Phase 3 over the window (the backfill's gate blocked the upcoming context), then test
    # everything (in `build`, a failing PGS test would skip the upcoming context and hide its gap test)
    assert dbt.invoke("run", "--quiet", "--select", "tag:phase3", vars=window).success
    outcome = dbt.invoke(
        "test", "--quiet", "--store-failures", "--select", "tag:phase3",
        "--indirect-selection", "buildable", vars=window,
    )
    assert not outcome.success

    failed_tests = [n for n in outcome.failed_nodes if n.resource_type == "test" and n.status == "fail"]
    coverage = [n for n in failed_tests if "coverage" in n.name]
    gaps = [n for n in failed_tests if "missing_game_dates" in n.name]
    assert coverage and gaps, [n.name for n in failed_tests]

    with duckdb.connect(str(db)) as con:
        for node in coverage + gaps:
            relation = node.relation_name or f"nba_orchestration.{node.name}"
            named = {str(r[0]) for r in con.execute(f"select test_date from {relation}").fetchall()}
            assert str(target) in named, (node.name, named)
