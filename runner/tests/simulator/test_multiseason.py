"""Five seasons (the default 2021-2025): magnitudes, league turnover, persistence of skill, and
season independence (a season does not depend on the first season generated)."""
from __future__ import annotations

from datetime import date

import duckdb
import pytest

from runner.simulator import TABLES, generate

from .conftest import EXHIBITION, NOT_EXHIBITION_DATE, REAL_GAME, SEASON, one, rows

pytestmark = pytest.mark.slow
GB = "nba_raw.nbac_gamebook_player_stats"


@pytest.fixture(scope="module")
def five(tmp_path_factory):
    path = tmp_path_factory.mktemp("sim5") / "five.duckdb"
    report = generate(path, 2021, 2025, seed=7)
    c = duckdb.connect(str(path), read_only=True)
    yield c, report
    c.close()


def test_default_magnitudes(five):
    c, report = five
    assert report.seasons == [2021, 2022, 2023, 2024, 2025]
    assert 3_500_000 <= sum(report.row_counts.values()) <= 5_000_000
    assert 1_100_000 <= report.row_counts["bigdataball_play_by_play"] + report.row_counts["nbac_play_by_play"] <= 2_000_000
    per_season = rows(c, f"""select season_year, count(distinct game_id), count(distinct game_date), max(game_date)
                            from nba_raw.nbac_schedule where {REAL_GAME} group by 1 order by 1""")
    assert [s for s, *_ in per_season] == [2021, 2022, 2023, 2024, 2025]
    for season, games, dates, last in per_season:
        assert 1300 <= games <= 1340 and 195 <= dates <= 225 and date(season + 1, 6, 5) <= last <= date(season + 1, 6, 30)
    assert one(c, f"select min(game_date) from nba_raw.nbac_schedule where season_year = 2021 and {REAL_GAME}") \
        == (date(2021, 10, 19),)
    games = one(c, f"select count(distinct game_id) from nba_raw.nbac_schedule where {REAL_GAME}")[0]
    dates = one(c, f"select count(distinct game_date) from nba_raw.nbac_schedule where {REAL_GAME}")[0]
    assert 6500 <= games <= 6700 and 1000 <= dates <= 1100
    # and 61 exhibition games a season: 60 preseason games and the All-Star game
    assert rows(c, f"""select season_year, count(distinct game_id) from nba_raw.nbac_schedule where {EXHIBITION}
                       group by 1 order by 1""") == [(s, 61) for s in range(2021, 2026)]
    teams = rows(c, """with g as (select distinct season_year, game_id, home_team_tricode h, away_team_tricode a
                                  from nba_raw.nbac_schedule where is_regular_season)
                       select distinct n from (select season_year, team, count(*) n
                                               from (select season_year, h team from g union all select season_year, a from g)
                                               group by all)""")
    assert teams == [(82,)]
    avg_active = one(c, f"select avg(n) from (select count(*) n from {GB} where player_status = 'active' "
                        f"and {NOT_EXHIBITION_DATE} group by game_date)")[0]
    assert 160 <= avg_active <= 190


def test_every_season_has_trades_rookies_and_retirements(five):
    c, _ = five
    traded = dict(rows(c, f"""select season_year, count(*) from (select season_year, player_lookup from {GB}
                             where team_abbr is not null and {NOT_EXHIBITION_DATE}
                             group by all having count(distinct team_abbr) > 1) group by 1"""))
    assert set(traded) == {2021, 2022, 2023, 2024, 2025} and min(traded.values()) >= 5
    turnover = rows(c, f"""with s as (select distinct season_year, player_lookup from {GB})
                          select a.season_year, count(*) filter (where b.player_lookup is null) / count(*)
                          from s a left join s b on a.player_lookup = b.player_lookup and b.season_year = a.season_year - 1
                          where a.season_year > 2021 group by 1""")
    assert all(0.06 <= share <= 0.2 for _, share in turnover)
    # ages advance: a player's ESPN age one season later is one more (birthdays fall anywhere in the year)
    diffs = rows(c, """with a as (select season_year, player_lookup, min(age) age from nba_raw.espn_team_rosters group by all)
                       select distinct b.age - a.age from a join a b on a.player_lookup = b.player_lookup
                       and b.season_year = a.season_year + 1""")
    assert {d for (d,) in diffs} <= {0, 1, 2} and (1,) in diffs


def test_skill_persists_so_history_predicts_points(five):
    c, _ = five
    season_corr = one(c, f"""with p as (select season_year, player_lookup, avg(points) ppg from {GB}
                                         where player_status = 'active' and {NOT_EXHIBITION_DATE}
                                         group by all having count(*) >= 20)
                             select corr(a.ppg, b.ppg) from p a join p b on a.player_lookup = b.player_lookup
                             and b.season_year = a.season_year + 1""")[0]
    assert season_corr >= 0.6
    rolling = one(c, f"""with g as (select player_lookup, game_date, points,
                                           avg(points) over (partition by season_year, player_lookup order by game_date
                                                             rows between 10 preceding and 1 preceding) last10,
                                           count(*) over (partition by season_year, player_lookup order by game_date
                                                          rows between 10 preceding and 1 preceding) n
                                    from {GB} where player_status = 'active' and {NOT_EXHIBITION_DATE})
                        select corr(points, last10) from g where n = 10""")[0]
    assert rolling >= 0.6


def test_bigdataball_prefix_starts_in_october_2024(five):
    c, _ = five
    got = dict(rows(c, """select season_year, avg(case when regexp_matches(player_1_lookup, '^[0-9]') then 1 else 0 end)
                          from nba_raw.bigdataball_play_by_play group by 1"""))
    assert got[2021] == got[2022] == got[2023] == 0 and got[2024] > 0.2 and got[2025] > 0.2


_SEASON_FILTER = {
    "odds_api_player_points_props": "game_date between date '2024-10-01' and date '2025-09-30'",
    "bettingpros_player_points_props": "game_date between date '2024-10-01' and date '2025-09-30'",
    "odds_api_game_lines": "game_date between date '2024-10-01' and date '2025-09-30'",
    "nbac_injury_report": "report_date between date '2024-10-01' and date '2025-09-30'",
}


@pytest.mark.parametrize("table", sorted(TABLES))
def test_a_season_does_not_depend_on_the_first_season_generated(five, con, table):
    where = _SEASON_FILTER.get(table, f"season_year = {SEASON}")
    sql = f"select count(*), sum(hash(t)) from (select * from nba_raw.{table} where {where}) t"
    assert one(five[0], sql) == one(con, sql)
