"""The exhibition games of a season (2024-25, seed 7): the preseason and the All-Star game.

Real raw data carries them (NBA ids 001… and 003…); the layers above staging must keep them out of
every window, so the simulator writes them into the sources that have them, and the season's real
games must not depend on them.
"""
from __future__ import annotations

import re
from datetime import timedelta

import duckdb
import pytest

from runner.checksums import schema_checksums
from runner.simulator import TABLES, core, generate
from runner.simulator.calendar import all_star_sunday, opening_night
from runner.simulator.teams import load_teams

from .conftest import EXHIBITION, REAL_GAME, SEASON, SEED, one, rows

GB = "nba_raw.nbac_gamebook_player_stats"
FINAL = "nba_raw.nbac_schedule where game_status = 3"
# the standard (YYYYMMDD_AWAY_HOME) ids of the exhibition games
EXHIBITION_IDS = (f"(select strftime(game_date, '%Y%m%d') || '_' || away_team_tricode || '_' || home_team_tricode "
                  f"from {FINAL} and {EXHIBITION})")


def test_preseason_four_games_per_team_in_the_two_weeks_before_opening_night(con):
    opener = opening_night(SEASON)
    games = rows(con, f"select game_id, game_date, home_team_tricode, away_team_tricode, is_regular_season, "
                      f"is_playoffs, is_all_star, playoff_round from {FINAL} and game_id like '001%'")
    assert len(games) == 60
    assert all(re.fullmatch(r"00124000\d\d", g[0]) for g in games) and len({g[0] for g in games}) == 60
    assert all(opener - timedelta(days=18) <= g[1] <= opener - timedelta(days=3) for g in games)
    assert {g[4:] for g in games} == {(False, False, False, None)}  # staging decodes '001' as pre-season
    per_team = one(con, f"""with t as (select home_team_tricode team, game_date from {FINAL} and game_id like '001%'
                                       union all select away_team_tricode, game_date from {FINAL} and game_id like '001%')
                           select count(distinct team), min(n), max(n), max(per_date) from (
                               select team, count(*) over (partition by team) n,
                                      count(*) over (partition by team, game_date) per_date from t)""")
    assert per_team == (30, 4, 4, 1)
    # scheduled in August with the regular season, final after the game: two snapshots per game
    assert one(con, "select count(*) from nba_raw.nbac_schedule where game_id like '001%'") == (120,)


def test_all_star_game_east_against_west_on_all_star_sunday(con):
    asg = all_star_sunday(SEASON)
    game = rows(con, f"select game_id, game_date, home_team_tricode, away_team_tricode, home_team_id, away_team_id, "
                     f"is_all_star, is_regular_season, is_playoffs from {FINAL} and game_id like '003%'")
    assert game == [(f"003{SEASON % 100}00001", asg, "EST", "WST", 1610616833, 1610616834, True, False, False)]
    franchises = {t.abbr for t in load_teams()}
    assert not {"EST", "WST"} & franchises  # non-franchise teams
    assert one(con, f"select count(*) from {FINAL} and game_date = ? and {REAL_GAME}", asg) == (0,)  # the break
    # 12 players a side, each playing for a franchise of his conference, among the season's best scorers
    conf = {t.abbr: t.conference for t in load_teams()}
    players = rows(con, f"""select a.team_abbr, a.player_lookup,
                                   (select arg_max(g.team_abbr, g.game_date) from {GB} g
                                    where g.player_lookup = a.player_lookup and g.game_date < a.game_date
                                      and g.team_abbr is not null),
                                   (select avg(g.points) from {GB} g where g.player_lookup = a.player_lookup
                                      and g.player_status = 'active' and g.game_date < a.game_date)
                            from {GB} a where a.game_date = ?""", asg)
    assert sorted(p[0] for p in players) == ["EST"] * 12 + ["WST"] * 12
    assert all(conf[team] == ("East" if side == "EST" else "West") for side, _, team, _ in players)
    assert sum(p[3] for p in players) / 24 >= 18


def test_exhibition_games_are_in_the_game_sources_real_data_has(con):
    ids = {r[0] for r in rows(con, EXHIBITION_IDS)}
    assert len(ids) == 61
    per_source = {}
    for table in ("nbac_gamebook_player_stats", "bdl_player_boxscores", "nbac_team_boxscore",
                  "bigdataball_play_by_play", "nbac_play_by_play", "odds_api_game_lines",
                  "odds_api_player_points_props", "nbac_injury_report"):
        per_source[table] = {r[0] for r in rows(con, f"select distinct game_id from nba_raw.{table} "
                                                     f"where game_id in {EXHIBITION_IDS}")}
    all_star = {i for i in ids if i.endswith("_WST_EST")}
    assert len(all_star) == 1
    for table in ("nbac_gamebook_player_stats", "bdl_player_boxscores", "nbac_team_boxscore", "odds_api_game_lines"):
        assert per_source[table] == ids, table
    # play-by-play: one source per game, BigDataBall never for the All-Star game
    assert per_source["bigdataball_play_by_play"] | per_source["nbac_play_by_play"] == ids
    assert not per_source["bigdataball_play_by_play"] & per_source["nbac_play_by_play"]
    assert all_star <= per_source["nbac_play_by_play"]
    # books post player props for the All-Star game only; no injury report, no ESPN roster snapshot
    assert per_source["odds_api_player_points_props"] == all_star
    assert per_source["nbac_injury_report"] == set()
    exhibition_dates = f"(select game_date from {FINAL} and {EXHIBITION})"
    bp = rows(con, f"select distinct game_date from nba_raw.bettingpros_player_points_props "
                   f"where game_date in {exhibition_dates}")
    assert bp == [(all_star_sunday(SEASON),)]
    assert one(con, f"select count(*) from nba_raw.espn_team_rosters where roster_date in {exhibition_dates}") == (0,)


def test_the_real_games_do_not_depend_on_the_exhibitions(clean, monkeypatch):
    """The exhibitions come from their own random stream, after the real games: without them a season's
    regular-season, play-in and playoff rows are the same, row for row (content checksums)."""
    monkeypatch.setattr(core, "_exhibition_tables", lambda *args: {})
    without = duckdb.connect()
    generate(without, SEASON, SEASON, seed=SEED)
    assert one(without, f"select count(*) from nba_raw.nbac_schedule where {EXHIBITION}") == (0,)
    # the season with its exhibitions (the session's clean world), minus the exhibition rows
    real = duckdb.connect()
    real.execute(f"attach '{clean[0]}' as full_season (read_only)")
    real.execute("create schema nba_raw")
    exhibition_dates = f"(select game_date from full_season.nba_raw.nbac_schedule where {EXHIBITION})"
    for table in TABLES:
        date_col = {"espn_team_rosters": "roster_date", "nbac_injury_report": "report_date"}.get(table, "game_date")
        keep = REAL_GAME if table == "nbac_schedule" else f"{date_col} not in {exhibition_dates}"
        real.execute(f"create table nba_raw.{table} as select * from full_season.nba_raw.{table} where {keep}")
    assert schema_checksums(real, "nba_raw", method="hash") == schema_checksums(without, "nba_raw", method="hash")


@pytest.mark.parametrize("table", ["nbac_gamebook_player_stats", "nbac_team_boxscore", "bdl_player_boxscores"])
def test_exhibition_box_scores_are_full_games(con, table):
    """Exhibition box scores have the shape of real ones (the consistency tests of test_season.py
    cover every row, exhibitions included)."""
    date_filter = f"game_date in (select game_date from {FINAL} and {EXHIBITION})"
    n, pts = one(con, f"select count(*), sum(points) from nba_raw.{table} where {date_filter}")
    assert n > 0 and pts > 0
