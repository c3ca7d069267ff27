"""The feature store on one simulated season, through the runner's in-process dbt wrapper.

One module-scoped copy of the shared clean world (staging, Phase 3, Phase 4, features built by the
runner over 2024-10-22 .. 2024-12-10), then, in file order:

1. bootstrap days (2024-10-22 .. 2024-11-04) hold placeholder rows; with include_bootstrap
   they hold real features;
2. a one-week run rewrites exactly that week of ml_feature_store_v2, and the same run
   twice gives identical tables;
3. the incident replay: the upcoming context of a date reduced to one player, Phase 4 and the
   features rebuilt for it: the fallback keeps the coverage gate and context_source says so;
4. point in time over the whole chain: every raw row dated on or after D gets other stats
   and every raw row dated after D is deleted, then Phase 3, Phase 4 and the features are
   rebuilt for D only: D's feature rows are identical; then one raw box score 5 days
   before D changes and the chain is rebuilt from that day: that player's features of D
   change. (This test rewrites raw tables: it runs last.)
"""
from __future__ import annotations

import duckdb
import pytest

from runner.checksums import table_checksum
from runner.simulator.schema import TABLES as RAW_TABLES

pytestmark = pytest.mark.slow

MLFS = "nba_predictions.ml_feature_store_v2"
BOOTSTRAP = ("2024-10-22", "2024-11-04")
WEEK = {"start_date": "2024-12-02", "end_date": "2024-12-08"}
OUTSIDE_DATE = "2024-12-10"  # after the week: the week never reads it
D = "2024-12-10"  # the world's last date: nothing after it is built
CHAIN = ["+tag:features"]


def _failed(outcome):
    return [(n.name, n.status, n.message) for n in outcome.failed_nodes]


def _checksum(con, where: str) -> str:
    return table_checksum(con, MLFS, "hash", where=where)


@pytest.fixture(scope="module")
def built(clean_copy):
    """This module's copy of the clean world: (db, dbt, world)."""
    return clean_copy


def test_the_chain_builds_and_the_feature_store_passes_every_test(built):
    db, dbt, world = built
    # the feature store built, and every data test of it ran in the world's build and passed (or warned)
    world.assert_built(dbt.manifest, {"model.nba_pipeline.ml_feature_store_v2"})
    with duckdb.connect(str(db)) as con:
        n, first, last = con.execute(f"select count(*), min(game_date), max(game_date) from {MLFS}").fetchone()
        assert n > 0
        assert first == world.start and last <= world.end
        per_date = [r[0] for r in con.execute(
            f"select count(*) from {MLFS} where game_date > date '{BOOTSTRAP[1]}' group by game_date").fetchall()]
        # domain.md §7: typically 120-310 players per game date (a 2-game date has fewer)
        median = sorted(per_date)[len(per_date) // 2]
        assert 120 <= median <= 310 and max(per_date) <= 340, (min(per_date), median, max(per_date))


def test_bootstrap_days_hold_placeholders_unless_include_bootstrap(built):
    db, dbt, _ = built
    in_bootstrap = f"game_date between date '{BOOTSTRAP[0]}' and date '{BOOTSTRAP[1]}'"
    with duckdb.connect(str(db)) as con:
        rows, placeholders, nan_rows = con.execute(
            f"select count(*), count(*) filter (where backfill_bootstrap_mode), "
            f"count(*) filter (where list_bool_and(list_transform(features, lambda x: isnan(x)))) "
            f"from {MLFS} where {in_bootstrap}").fetchone()
        assert rows > 0 and placeholders == rows == nan_rows
        assert con.execute(
            f"select count(*) from {MLFS} where backfill_bootstrap_mode and not ({in_bootstrap})").fetchone()[0] == 0

    window = {"start_date": BOOTSTRAP[0], "end_date": BOOTSTRAP[1], "include_bootstrap": True}
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase4", "tag:features", vars=window)
    assert outcome.success, _failed(outcome)
    with duckdb.connect(str(db)) as con:
        rows, placeholders, sources = con.execute(
            f"select count(*), count(*) filter (where backfill_bootstrap_mode), "
            f"count(distinct data_source) filter (where data_source = 'early_season') "
            f"from {MLFS} where {in_bootstrap}").fetchone()
        assert rows > 0 and placeholders == 0 and sources == 0
        # days 1..13 have history from opening night: real averages exist
        real = con.execute(
            f"select count(*) from {MLFS} where {in_bootstrap} and feature_sources[2] = 'phase3'").fetchone()[0]
        assert real > 0

    # back to the default: placeholders again
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase4", "tag:features",
                         vars={"start_date": BOOTSTRAP[0], "end_date": BOOTSTRAP[1]})
    assert outcome.success, _failed(outcome)
    with duckdb.connect(str(db)) as con:
        assert con.execute(
            f"select count(*) from {MLFS} where {in_bootstrap} and not backfill_bootstrap_mode").fetchone()[0] == 0


def test_a_week_run_rewrites_exactly_that_week_and_twice_is_identical(built):
    db, dbt, _ = built
    week = f"game_date between date '{WEEK['start_date']}' and date '{WEEK['end_date']}'"
    outside = f"not ({week})"
    with duckdb.connect(str(db)) as con:
        week_before = _checksum(con, week)
        assert con.execute(f"select count(*) from {MLFS} where game_date = date '{OUTSIDE_DATE}'").fetchone()[0] > 0
        con.execute(f"delete from {MLFS} where {week} or game_date = date '{OUTSIDE_DATE}'")
        outside_damaged = _checksum(con, outside)

    outcome = dbt.invoke("run", "--quiet", "--select", "tag:features", vars=WEEK)
    assert outcome.success, _failed(outcome)
    with duckdb.connect(str(db)) as con:
        assert _checksum(con, week) == week_before
        assert _checksum(con, outside) == outside_damaged
        assert con.execute(f"select count(*) from {MLFS} where game_date = date '{OUTSIDE_DATE}'").fetchone()[0] == 0
        first = _checksum(con, "true")

    outcome = dbt.invoke("run", "--quiet", "--select", "tag:features", vars=WEEK)
    assert outcome.success, _failed(outcome)
    with duckdb.connect(str(db)) as con:
        assert _checksum(con, "true") == first

    # repair the outside date for the next test
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:features",
                         vars={"start_date": OUTSIDE_DATE, "end_date": OUTSIDE_DATE})
    assert outcome.success, _failed(outcome)


INCIDENT_DATE = "2024-12-09"


def test_the_incident_replay_keeps_coverage_through_the_fallback(built):
    """The seeds' 2026-01-06 incident: the upcoming context of a date holds a single player."""
    db, dbt, _ = built
    on_date = f"game_date = date '{INCIDENT_DATE}'"
    with duckdb.connect(str(db)) as con:
        rows_before = con.execute(f"select count(*) from {MLFS} where {on_date}").fetchone()[0]
        keep = con.execute(
            f"select min(player_lookup) from nba_analytics.upcoming_player_game_context where {on_date}").fetchone()[0]
        con.execute(
            f"delete from nba_analytics.upcoming_player_game_context where {on_date} and player_lookup <> '{keep}'")

    window = {"start_date": INCIDENT_DATE, "end_date": INCIDENT_DATE}
    outcome = dbt.invoke("run", "--quiet", "--select", "tag:phase4", "tag:features", vars=window)
    assert outcome.success, _failed(outcome)
    outcome = dbt.invoke("test", "--quiet", "--select", "ml_feature_store_v2,test_type:data", vars=window)
    assert outcome.success, _failed(outcome)  # the coverage gate passes
    with duckdb.connect(str(db)) as con:
        rows, sources = con.execute(
            f"select count(*), string_agg(distinct context_source) from {MLFS} where {on_date}").fetchone()
        assert sources == "player_game_summary_fallback"
        assert rows >= 0.9 * rows_before, (rows, rows_before)
    # (not restored: the next test reads no upcoming context of that date)


# raw stat columns rewritten on and after D (box scores, scores, shots); prop lines are
# not touched: D's pre-tip lines are legitimate inputs of D
_STATS = {
    "nbac_gamebook_player_stats": "points = points + 7, free_throws_made = free_throws_made + 7, "
                                  "free_throws_attempted = free_throws_attempted + 7, "
                                  "assists = assists + 3, plus_minus = plus_minus + 5",
    "bdl_player_boxscores": "points = points + 7, free_throws_made = free_throws_made + 7, "
                            "free_throws_attempted = free_throws_attempted + 7, assists = assists + 3",
    "nbac_team_boxscore": "points = points + 40, ft_made = ft_made + 40, ft_attempted = ft_attempted + 40",
    "nbac_schedule": "home_team_score = home_team_score + 40",
    "bigdataball_play_by_play": "shot_made = not shot_made",
    "nbac_play_by_play": "shot_made = not shot_made",
}
_DATE_COLUMN = {"espn_team_rosters": "roster_date"}


def _mlfs_rows(con, where: str) -> dict[str, tuple]:
    cols = ("player_lookup, cast(features as varchar), cast(feature_sources as varchar), feature_quality_score, "
            "quality_tier, cast(historical_completeness as varchar), context_source, data_hash")
    return {r[0]: r[1:] for r in con.execute(f"select {cols} from {MLFS} where {where}").fetchall()}


def test_point_in_time_over_the_whole_chain(built):
    db, dbt, _ = built
    on_d = f"game_date = date '{D}'"
    pgs_points = f"select player_lookup, points from nba_analytics.player_game_summary where {on_d}"
    with duckdb.connect(str(db)) as con:
        before = _mlfs_rows(con, on_d)
        checksum_before = _checksum(con, on_d)
        assert len(before) > 100
        points_before = dict(con.execute(pgs_points).fetchall())
        for table in RAW_TABLES:  # the raw tables only: CHAIN rebuilds staging from them
            date_col = _DATE_COLUMN.get(table, "game_date")
            if table in _STATS:
                con.execute(f"update nba_raw.{table} set {_STATS[table]} where {date_col} >= date '{D}'")
            con.execute(f"delete from nba_raw.{table} where {date_col} > date '{D}'")
        changed = con.execute(
            f"select count(*) from nba_raw.nbac_gamebook_player_stats where game_date = date '{D}' "
            f"and points is not null").fetchone()[0]
        assert changed > 0

    only_d = {"start_date": D, "end_date": D}
    outcome = dbt.invoke("run", "--quiet", "--select", *CHAIN, vars=only_d)
    assert outcome.success, _failed(outcome)
    with duckdb.connect(str(db)) as con:
        # the stats of D did change upstream, every player's by exactly the 7 points written ...
        points_after = dict(con.execute(pgs_points).fetchall())
        played = {p for p, v in points_before.items() if v is not None}
        assert played and points_after.keys() == points_before.keys()
        assert {p: points_after[p] - points_before[p] for p in played} == dict.fromkeys(played, 7)
        # ... and not one feature, source or quality value of D moved
        after = _mlfs_rows(con, on_d)
        assert after == before
        assert _checksum(con, on_d) == checksum_before

        # the game date X before D: a player of D who played on X has X's game in every recent
        # window of D (D is the next date whose features may read X)
        x, player = con.execute(
            f"select g.game_date, g.player_lookup from nba_raw.nbac_gamebook_player_stats as g "
            f"inner join {MLFS} as m on m.player_lookup = g.player_lookup and m.{on_d} "
            f"where g.game_date < date '{D}' and g.points > 0 and g.player_status = 'active' "
            f"order by g.game_date desc, g.player_lookup limit 1").fetchone()
        x = x.isoformat()
        con.execute(
            f"update nba_raw.nbac_gamebook_player_stats set points = points + 20, "
            f"free_throws_made = free_throws_made + 20, free_throws_attempted = free_throws_attempted + 20 "
            f"where game_date = date '{x}' and player_lookup = '{player}'")
        con.execute(
            f"update nba_raw.bdl_player_boxscores set points = points + 20, "
            f"free_throws_made = free_throws_made + 20, free_throws_attempted = free_throws_attempted + 20 "
            f"where game_date = date '{x}' and player_lookup = '{player}'")

    outcome = dbt.invoke("run", "--quiet", "--select", *CHAIN, vars={"start_date": x, "end_date": D})
    assert outcome.success, _failed(outcome)
    with duckdb.connect(str(db)) as con:
        changed_after = _mlfs_rows(con, on_d)
        assert changed_after[player][0] != before[player][0]  # the features array moved
        assert changed_after[player][-1] != before[player][-1]  # and so did the data hash
