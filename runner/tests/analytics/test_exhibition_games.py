"""Preseason and All-Star games change no Phase 3 window, no Phase 4 row and no feature.

The simulator writes them into every raw source that has them in real data (NBA ids 001… and
003…, runner/simulator/exhibitions.py); staging keeps their rows out of the staged views, so no
model, window, season calendar or coverage expectation sees them. On a copy of the shared clean
world (season 2024 with its 60 preseason games and its All-Star game):

1. no staged view holds a row of an exhibition game;
2. backfilling the preseason and the All-Star weekend finds no game date, writes no row of any
   date model, and counts the exhibition rows in the raw-row accounting under their own reasons
   (preseason_game, all_star_game), none quarantined;
3. the same world with the exhibition rows deleted from nba_raw, backfilled again over opening
   night and the first Phase 4 dates (2024-10-22..2024-11-06), holds exactly the same Phase 3,
   Phase 4 and feature rows: no window reached a preseason game.

Cost: step 1 a few seconds; steps 2-3 three backfills on copies of the world (two without game
dates, one of 16 dates through every phase).
"""
from __future__ import annotations

import datetime as dt

import duckdb
import pytest

from runner.console import CaptureConsole
from runner.dbt import Dbt
from runner.services.compare import compare_tables, tables_of
from runner.simulator.calendar import all_star_sunday, opening_night
from runner.warehouse import open_warehouse

pytestmark = pytest.mark.slow

SEASON = 2024
EXHIBITION = "substr(game_id, 3, 1) in ('1', '3')"
REBUILT = (dt.date(2024, 10, 22), dt.date(2024, 11, 6))
# staged views with the game's standard id (YYYYMMDD_AWAY_HOME), and the one keyed by date only
STAGED_BY_GAME = ("stg_nba_raw__nbac_gamebook_player_stats", "stg_nba_raw__bdl_player_boxscores",
                  "stg_nba_raw__nbac_team_boxscore", "stg_nba_raw__bigdataball_play_by_play",
                  "stg_nba_raw__nbac_play_by_play", "stg_nba_raw__odds_api_player_points_props",
                  "stg_nba_raw__odds_api_game_lines")


def _exhibitions(con) -> tuple[list[str], list[str], list[dt.date]]:
    """(NBA ids, standard ids, dates) of the season's exhibition games in nba_raw."""
    got = con.execute(f"""select distinct game_id,
                                 strftime(game_date, '%Y%m%d') || '_' || away_team_tricode || '_' || home_team_tricode,
                                 game_date
                          from nba_raw.nbac_schedule where {EXHIBITION}""").fetchall()
    return [g[0] for g in got], [g[1] for g in got], sorted({g[2] for g in got})


def _backfill(settings, start: dt.date, end: dt.date):
    from runner.services.backfill import BackfillRequest, backfill

    return backfill(settings, CaptureConsole(), BackfillRequest(
        start_date=start, end_date=end, resume=False, chunk_days=366, command_line="tests: exhibition games"))


def test_exhibition_games_change_no_phase3_window_no_phase4_row_and_no_feature(clean_world, tmp_path):
    path = clean_world.copy_to(tmp_path / "with")
    settings = clean_world.settings(path)
    with duckdb.connect(str(path)) as con:
        nba_ids, std_ids, dates = _exhibitions(con)
        assert len(nba_ids) == 61 and all_star_sunday(SEASON) in dates  # the simulator wrote them

        # 1. staging excludes their rows
        assert con.execute("select count(*) from nba_raw.stg_nba_raw__nbac_schedule where list_contains(?, game_id)",
                           [nba_ids]).fetchone()[0] == 0
        for view in STAGED_BY_GAME:
            n = con.execute(f"select count(*) from nba_raw.{view} where list_contains(?, game_id)", [std_ids]).fetchone()[0]
            assert n == 0, f"{view}: {n} rows of exhibition games"
        n = con.execute("select count(*) from nba_raw.stg_nba_raw__bettingpros_player_points_props "
                        "where list_contains(?, game_date)", [dates]).fetchone()[0]
        assert n == 0, f"stg_nba_raw__bettingpros_player_points_props: {n} rows on exhibition dates"
        # the season still opens on opening night
        first = con.execute("select min(game_date) from nba_raw.stg_nba_raw__nbac_schedule "
                            "where season_year = ?", [SEASON]).fetchone()[0]
        assert first == opening_night(SEASON)

    # 2. backfilling the preseason and the All-Star weekend finds no game date and writes no row
    asg = all_star_sunday(SEASON)
    _backfill(settings, min(dates), opening_night(SEASON) - dt.timedelta(days=1))
    _backfill(settings, asg - dt.timedelta(days=2), asg + dt.timedelta(days=2))
    tables = tables_of(Dbt(settings).manifest)
    with duckdb.connect(str(path)) as con:
        for t in tables:
            n = con.execute(f"select count(*) from {t.schema}.{t.name} where list_contains(?, {t.date_column})",
                            [dates]).fetchone()[0]
            assert n == 0, f"{t.name}: {n} rows on exhibition dates"
        done = con.execute("select count(*) from nba_orchestration.backfill_ledger "
                           "where list_contains(?, ledger_date) and status <> 'skipped_no_games'", [dates]).fetchone()[0]
        assert done == 0
        # counted: excluded under their own reasons, never quarantined (the backfill's accounting)
        preseason, all_star, quarantined, balanced = con.execute("""
            select sum(preseason_game_rows) filter (where accounting_date < ?),
                   sum(all_star_game_rows) filter (where accounting_date = ?),
                   sum(quarantined_rows), bool_and(is_balanced)
            from nba_orchestration.raw_row_accounting where list_contains(?, accounting_date)""",
                                                                  [asg, asg, dates]).fetchone()
        assert preseason > 0 and all_star > 0 and quarantined == 0 and balanced

    # 3. rebuilt without the exhibition rows: the same Phase 3 / Phase 4 / feature rows
    bare = clean_world.copy_to(tmp_path / "without")
    bare_settings = clean_world.settings(bare)
    with duckdb.connect(str(bare)) as con:
        for (table,) in con.execute("select table_name from information_schema.tables "
                                    "where table_schema = 'nba_raw' and table_type = 'BASE TABLE'").fetchall():
            cols = {c[0] for c in con.execute(f"describe nba_raw.{table}").fetchall()}
            if table == "nbac_schedule":
                con.execute(f"delete from nba_raw.{table} where {EXHIBITION}")
            elif "game_id" in cols:
                con.execute(f"delete from nba_raw.{table} where list_contains(?, game_id)", [std_ids])
            elif "game_date" in cols:
                con.execute(f"delete from nba_raw.{table} where list_contains(?, game_date)", [dates])
    outcome = _backfill(bare_settings, *REBUILT)
    assert outcome.exit_code == 0
    with open_warehouse(settings) as left, open_warehouse(bare_settings) as right:
        counts, problems = compare_tables(left, right, tables, *REBUILT)
    assert problems == [] and sum(counts.values()) > 0, problems
