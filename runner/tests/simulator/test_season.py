"""Magnitudes and consistency of one simulated season (2024-25, seed 7)."""
from __future__ import annotations

import re
from datetime import date

from runner.simulator import TABLES, normalize_name_for_lookup
from runner.simulator.calendar import opening_night, season_year_of

from .conftest import NOT_EXHIBITION_DATE, REAL_GAME, SEASON, one, rows

GB = "nba_raw.nbac_gamebook_player_stats"


def test_tables_match_the_contract(con, clean):
    for name, table in TABLES.items():
        got = rows(con, "select column_name, data_type from information_schema.columns "
                        "where table_schema = 'nba_raw' and table_name = ? order by ordinal_position", name)
        assert got == [(c, t) for c, t in table.columns], name
        assert clean[1].row_counts[name] == one(con, f"select count(*) from nba_raw.{name}")[0] > 0


def test_natural_keys_are_unique(con):
    for name, table in TABLES.items():
        if name == "nbac_schedule":  # two snapshots per game by design
            continue
        keys = ", ".join(table.natural_key)
        n, distinct = one(con, f"select count(*), count(distinct ({keys})) from nba_raw.{name}")
        assert n == distinct, name


def test_season_conventions():
    assert opening_night(2021) == date(2021, 10, 19) and opening_night(2025) == date(2025, 10, 21)
    assert opening_night(2019).weekday() == 1 and abs((opening_night(2019) - date(2019, 10, 22)).days) <= 3
    assert season_year_of(date(2024, 12, 31)) == 2024 and season_year_of(date(2025, 6, 1)) == 2024


def test_schedule_magnitudes(con):
    games, dates, reg_dates, post_dates, first, last = one(con, f"""
        select count(distinct game_id), count(distinct game_date),
               count(distinct game_date) filter (where is_regular_season),
               count(distinct game_date) filter (where not is_regular_season), min(game_date), max(game_date)
        from nba_raw.nbac_schedule where {REAL_GAME}""")
    assert 1300 <= games <= 1340
    assert 195 <= dates <= 225 and 158 <= reg_dates <= 172 and 40 <= post_dates <= 60
    assert first == opening_night(SEASON)
    assert date(SEASON + 1, 6, 5) <= last <= date(SEASON + 1, 6, 30)
    per_date = [r[0] for r in rows(con, f"select count(distinct game_id) from nba_raw.nbac_schedule where {REAL_GAME} "
                                        "group by game_date")]
    assert min(per_date) >= 1 and max(per_date) <= 15
    post = [r[0] for r in rows(con, "select count(distinct game_id) from nba_raw.nbac_schedule where is_playoffs group by game_date")]
    assert max(post) <= 4
    # two snapshots per game: scheduled (no score) and final (scores, winner)
    assert one(con, f"""select count(*) filter (where game_status = 1 and home_team_score is null),
                               count(*) filter (where game_status = 3 and winning_team_tricode is not null)
                        from nba_raw.nbac_schedule where {REAL_GAME}""") == (games, games)
    ids = [r[0] for r in rows(con, f"select distinct game_id from nba_raw.nbac_schedule where {REAL_GAME}")]
    assert len(ids) == games and all(re.fullmatch(r"00[245]24\d{5}", i) for i in ids)
    assert one(con, "select count(*) from nba_raw.nbac_schedule where playoff_round = 'play_in' and game_status = 3")[0] == 6


def test_82_games_per_team_41_at_home(con):
    got = rows(con, """
        with g as (select distinct game_id, home_team_tricode h, away_team_tricode a
                   from nba_raw.nbac_schedule where is_regular_season)
        select team, count(*), sum(home) from (select h team, 1 home from g union all select a, 0 from g)
        group by 1""")
    assert len(got) == 30 and {(n, h) for _, n, h in got} == {(82, 41)}


def test_back_to_backs_for_every_team(con):
    got = rows(con, """
        with g as (select distinct game_date, home_team_tricode h, away_team_tricode a
                   from nba_raw.nbac_schedule where is_regular_season),
        t as (select h team, game_date from g union all select a, game_date from g),
        d as (select team, game_date - lag(game_date) over (partition by team order by game_date) gap from t)
        select team, count(*) filter (where gap = 1), count(*) filter (where gap = 0) from d group by 1""")
    assert len(got) == 30
    assert all(10 <= n <= 18 and same_day == 0 for _, n, same_day in got)


def test_game_ids_everywhere_else_are_date_away_home(con):
    for name in ("nbac_gamebook_player_stats", "bdl_player_boxscores", "nbac_team_boxscore",
                 "bigdataball_play_by_play", "nbac_play_by_play", "odds_api_player_points_props",
                 "odds_api_game_lines", "nbac_injury_report"):
        bad = one(con, f"select count(*) from nba_raw.{name} where not regexp_full_match(game_id, '\\d{{8}}_[A-Z]{{3}}_[A-Z]{{3}}')")
        assert bad == (0,), name


def test_players_per_date_and_per_game(con):
    """Regular season, play-in and playoffs (the exhibition games are test_exhibitions.py's)."""
    per_date = rows(con, f"select count(*) from {GB} where player_status = 'active' and {NOT_EXHIBITION_DATE} "
                         "group by game_date")
    counts = [n for (n,) in per_date]
    assert max(counts) <= 310
    assert 160 <= sum(counts) / len(counts) <= 190
    busy = rows(con, f"""select count(*) from {GB} g join nba_raw.nbac_schedule s
                           on s.game_status = 3 and s.is_regular_season
                          and g.game_id = strftime(s.game_date, '%Y%m%d') || '_' || s.away_team_tricode || '_' || s.home_team_tricode
                         where g.player_status = 'active' group by g.game_date having count(distinct g.game_id) >= 5""")
    assert min(n for (n,) in busy) >= 120
    lo, hi, avg = one(con, f"select min(n), max(n), avg(n) from (select count(*) n from {GB} "
                           f"where player_status = 'active' and {NOT_EXHIBITION_DATE} group by game_id)")
    assert lo >= 15 and hi <= 34 and 25 <= avg <= 29


def test_roster_sizes_and_dnp_share(con):
    lo, hi = one(con, "select min(n), max(n) from (select count(*) n from nba_raw.espn_team_rosters group by roster_date, team_abbr)")
    assert lo >= 13 and hi <= 17
    share = dict(rows(con, f"select player_status, count(*) / sum(count(*)) over () from {GB} group by 1"))
    assert 0.82 <= share["active"] <= 0.92 and 0.03 <= share["dnp"] <= 0.1 and 0.04 <= share["inactive"] <= 0.12
    # DNP/inactive rows: a reason, no minutes (NULL, '' or '-'), no stats, sometimes no team
    bad = one(con, f"""select count(*) filter (where dnp_reason is null or points is not null or plus_minus is not null
                                                or minutes_decimal is not null or coalesce(minutes, '') not in ('', '-')),
                              count(*) filter (where team_abbr is null), count(distinct coalesce(minutes, 'NULL'))
                       from {GB} where player_status <> 'active'""")
    assert bad[0] == 0 and bad[1] > 0 and bad[2] == 3
    cats = {r[0] for r in rows(con, f"select distinct dnp_reason from {GB} where player_status <> 'active'")}
    for needle in ("Injury/Illness", "Rest", "Personal", "Coach's Decision", "Not With Team", "G League", "Suspension"):
        assert any(needle in c for c in cats), needle


def test_minutes_sum_to_240_per_team_plus_overtime(con):
    got = rows(con, f"""select sum(cast(split_part(minutes, ':', 1) as int) * 60 + cast(split_part(minutes, ':', 2) as int))
                        from {GB} where player_status = 'active' group by game_id, team_abbr""")
    assert all((s - 14400) % 1500 == 0 and 14400 <= s <= 14400 + 4 * 1500 for (s,) in got)
    ot = one(con, "select avg(case when minutes <> '240:00' then 1 else 0 end) from nba_raw.nbac_team_boxscore")[0]
    assert 0.03 <= ot <= 0.1
    assert one(con, f"select count(*) from {GB} where player_status = 'active' and not regexp_full_match(minutes, '\\d{{2}}:[0-5]\\d')")[0] == 0


def test_team_box_score_is_the_sum_of_the_players(con):
    mismatches = one(con, f"""
        with p as (select game_id, team_abbr, sum(points) pts, sum(field_goals_made) fgm, sum(field_goals_attempted) fga,
                          sum(three_pointers_made) m3, sum(three_pointers_attempted) a3, sum(free_throws_made) ftm,
                          sum(free_throws_attempted) fta, sum(offensive_rebounds) orb, sum(defensive_rebounds) drb,
                          sum(assists) ast, sum(steals) stl, sum(blocks) blk, sum(turnovers) tov, sum(personal_fouls) pf,
                          sum(plus_minus) pm,
                          sum(cast(split_part(minutes, ':', 1) as int) * 60 + cast(split_part(minutes, ':', 2) as int)) sec
                   from {GB} where player_status = 'active' group by all)
        select count(*), count(*) filter (where (p.pts, p.fgm, p.fga, p.m3, p.a3, p.ftm, p.fta, p.orb, p.drb, p.ast, p.stl,
                                                 p.blk, p.tov, p.pf)
                                         <> (t.points, t.fg_made, t.fg_attempted, t.three_pt_made, t.three_pt_attempted,
                                             t.ft_made, t.ft_attempted, t.offensive_rebounds, t.defensive_rebounds,
                                             t.assists, t.steals, t.blocks, t.turnovers, t.personal_fouls)
                                         or p.pm <> 5 * t.plus_minus or t.minutes <> (p.sec // 60) || ':00')
        from p join nba_raw.nbac_team_boxscore t using (game_id, team_abbr)""")
    assert mismatches[0] == one(con, "select count(*) from nba_raw.nbac_team_boxscore")[0] and mismatches[1] == 0


def test_box_scores_are_consistent_and_realistic(con):
    bad = one(con, f"""select count(*) filter (where points <> 2 * field_goals_made + three_pointers_made + free_throws_made
                                                or field_goals_made > field_goals_attempted
                                                or three_pointers_made > three_pointers_attempted
                                                or three_pointers_attempted > field_goals_attempted
                                                or free_throws_made > free_throws_attempted
                                                or total_rebounds <> offensive_rebounds + defensive_rebounds
                                                or abs(minutes_decimal - (cast(split_part(minutes, ':', 1) as int)
                                                       + cast(split_part(minutes, ':', 2) as int) / 60)) > 0.006)
                       from {GB} where player_status = 'active'""")
    assert bad == (0,)
    avg_pts, p05, p95, ties, home_win = one(con, """
        with g as (select game_id, sum(points) total, max(points) = min(points) tie from nba_raw.nbac_team_boxscore group by 1)
        select (select avg(points) from nba_raw.nbac_team_boxscore), quantile_cont(total, 0.05), quantile_cont(total, 0.95),
               count(*) filter (where tie),
               (select avg(case when plus_minus > 0 then 1 else 0 end) from nba_raw.nbac_team_boxscore where is_home)
        from g""")
    assert 105 <= avg_pts <= 120 and p05 >= 180 and p95 <= 270 and ties == 0 and 0.52 <= home_win <= 0.62
    # stars: one or two per team around 25-32 points; usage-driven shot volume
    top = [r[0] for r in rows(con, f"""select avg(points) from {GB} where player_status = 'active'
                                       group by player_lookup having count(*) >= 40 order by 1 desc limit 45""")]
    assert 15 <= sum(t >= 25 for t in top) <= 45 and top[0] <= 40 and top[-1] >= 17


def test_play_by_play_matches_the_box_score(con):
    coverage = one(con, f"""select count(distinct b.game_id) / count(distinct g.game_id) from {GB} g
                           left join nba_raw.bigdataball_play_by_play b using (game_id)""")[0]
    assert 0.90 <= coverage <= 0.97
    both, neither = one(con, f"""select
        (select count(*) from (select distinct game_id from nba_raw.bigdataball_play_by_play
                               intersect select distinct game_id from nba_raw.nbac_play_by_play)),
        (select count(*) from (select distinct game_id from {GB} except select distinct game_id from nba_raw.bigdataball_play_by_play
                               except select distinct game_id from nba_raw.nbac_play_by_play))""")
    assert both == 0 and neither == 0
    n, bad, orphans = one(con, f"""
        with ev as (
            select game_id, regexp_replace(player_1_lookup, '^[0-9]+', '') lk,
                   count(*) filter (where event_type = 'shot') fga, count(*) filter (where event_type = 'shot' and shot_made) fgm,
                   count(*) filter (where event_type = 'shot' and event_subtype like '%3pt%') a3,
                   count(*) filter (where event_type = 'shot' and event_subtype like '%3pt%' and shot_made) m3,
                   count(*) filter (where event_type = 'free throw') fta, count(*) filter (where event_type = 'free throw' and shot_made) ftm
            from nba_raw.bigdataball_play_by_play group by all
            union all
            select game_id, player_1_lookup, count(*) filter (where event_type = 'fieldgoal'),
                   count(*) filter (where event_type = 'fieldgoal' and shot_made),
                   count(*) filter (where shot_type = '3PT'), count(*) filter (where shot_type = '3PT' and shot_made),
                   count(*) filter (where event_type = 'freethrow'), count(*) filter (where event_type = 'freethrow' and shot_made)
            from nba_raw.nbac_play_by_play group by all),
        gb as (select game_id, player_lookup lk, field_goals_attempted fga, field_goals_made fgm, three_pointers_attempted a3,
                      three_pointers_made m3, free_throws_attempted fta, free_throws_made ftm
               from {GB} where player_status = 'active')
        select count(*), count(*) filter (where (coalesce(ev.fga, 0), coalesce(ev.fgm, 0), coalesce(ev.a3, 0), coalesce(ev.m3, 0),
                                                 coalesce(ev.fta, 0), coalesce(ev.ftm, 0))
                                                <> (gb.fga, gb.fgm, gb.a3, gb.m3, gb.fta, gb.ftm)),
               (select count(*) from ev anti join gb using (game_id, lk))
        from gb left join ev using (game_id, lk)""")
    assert n > 30000 and bad == 0 and orphans == 0
    # assists are teammates, blocks opponents, and both add up to the box score
    wrong_side, mismatched, assisted = one(con, f"""
        with a as (select game_id, player_2_lookup lk, count(*) filter (where player_2_role = 'assist') ast,
                          count(*) filter (where player_2_role = 'block') blk
                   from nba_raw.bigdataball_play_by_play where player_2_lookup is not null group by all)
        select (select count(*) from nba_raw.bigdataball_play_by_play
                where (player_2_role = 'assist' and player_2_team_abbr <> player_1_team_abbr)
                   or (player_2_role = 'block' and player_2_team_abbr = player_1_team_abbr)),
               count(*) filter (where coalesce(a.ast, 0) <> g.assists or coalesce(a.blk, 0) <> g.blocks),
               (select avg(case when player_2_role = 'assist' then 1 else 0 end) from nba_raw.bigdataball_play_by_play
                where event_type = 'shot' and shot_made)
        from {GB} g left join a on a.game_id = g.game_id and a.lk = g.player_lookup
        where g.player_status = 'active' and g.game_id in (select game_id from nba_raw.bigdataball_play_by_play)""")
    assert wrong_side == 0 and mismatched == 0 and 0.5 <= assisted <= 0.7
    # distances by shot type; and-ones; NBA.com clock format and running score
    d3, d2max, paint, and1 = one(con, """select min(shot_distance) filter (where shot_type = '3PT'),
                                                max(shot_distance) filter (where shot_type = '2PT'),
                                                avg(case when shot_distance <= 8 then 1 else 0 end) filter (where shot_type = '2PT'),
                                                count(*) filter (where event_subtype = 'free throw 1 of 1')
                                         from nba_raw.bigdataball_play_by_play""")
    assert d3 >= 22 and d2max < 22 and 0.4 <= paint <= 0.75 and and1 > 1000
    assert one(con, "select count(*) from nba_raw.nbac_play_by_play where not regexp_full_match(game_clock, 'PT\\d{2}M\\d{2}\\.\\d{2}S')") == (0,)
    assert one(con, """with last as (select game_id, arg_max(score_home, event_id) h, arg_max(score_away, event_id) a
                                     from nba_raw.nbac_play_by_play group by 1),
                            box as (select game_id, max(points) filter (where is_home) h, max(points) filter (where not is_home) a
                                    from nba_raw.nbac_team_boxscore group by 1)
                       select count(*) filter (where (last.h, last.a) <> (box.h, box.a)) from last join box using (game_id)""") == (0,)


def test_bigdataball_lookups_carry_an_nba_id_prefix_from_october_2024(con):
    before, after = one(con, """select avg(case when regexp_matches(player_1_lookup, '^[0-9]') then 1 else 0 end)
                                        filter (where game_date < date '2024-10-01'),
                                       avg(case when regexp_matches(player_1_lookup, '^[0-9]') then 1 else 0 end)
                                        filter (where game_date >= date '2024-10-01')
                                from nba_raw.bigdataball_play_by_play""")
    assert before is None and 0.2 <= after <= 0.5
    sample = one(con, "select player_1_lookup from nba_raw.bigdataball_play_by_play where regexp_matches(player_1_lookup, '^[0-9]') limit 1")[0]
    assert re.fullmatch(r"\d{7}[a-z0-9]+", sample)


def test_trades_move_players_between_teams(con):
    traded = rows(con, f"""select player_lookup, min(game_date) filter (where team_abbr = first_team), count(distinct team_abbr)
                          from (select *, first(team_abbr) over (partition by player_lookup order by game_date) first_team
                                from {GB} where team_abbr is not null and {NOT_EXHIBITION_DATE})
                          group by 1 having count(distinct team_abbr) > 1""")
    assert len(traded) >= 5
    # after a trade the player shows up on his new team's ESPN roster
    lk = traded[0][0]
    teams = rows(con, "select distinct team_abbr from nba_raw.espn_team_rosters where player_lookup = ?", lk)
    assert len(teams) == 2


def test_names_exercise_the_lookup_rule(con):
    names = rows(con, f"select distinct player_name, player_lookup from {GB}")
    assert all(normalize_name_for_lookup(n) == lk for n, lk in names)
    text = " ".join(n for n, _ in names)
    assert re.search(r"[^\x00-\x7f]", text) and " Jr." in text and "-" in text and "'" in text and "." in text
    assert len({lk for _, lk in names}) == len(names)
    # every source that carries a lookup uses the same normalised value
    for name in ("bdl_player_boxscores", "odds_api_player_points_props", "bettingpros_player_points_props",
                 "espn_team_rosters", "nbac_injury_report"):
        assert one(con, f"select count(*) from nba_raw.{name} where player_lookup not in (select player_lookup from {GB})") == (0,)


def test_odds_api_props(con):
    coverage = one(con, f"""with a as (select game_date, player_lookup from {GB} where player_status = 'active'
                                          and {NOT_EXHIBITION_DATE}),
                               o as (select distinct game_date, player_lookup from nba_raw.odds_api_player_points_props)
                          select avg(r) from (select count(o.player_lookup) / count(*) r from a left join o using (game_date, player_lookup)
                                              group by a.game_date)""")[0]
    assert 0.35 <= coverage <= 0.45
    books, half, pre, ingame, tags = one(con, """select string_agg(distinct bookmaker, ',' order by bookmaker),
               avg(case when points_line % 1 = 0.5 then 1 else 0 end), count(*) filter (where minutes_before_tipoff > 0),
               count(*) filter (where minutes_before_tipoff < 0),
               count(*) filter (where not regexp_full_match(snapshot_tag, 'snap-\\d{4}'))
        from nba_raw.odds_api_player_points_props""")
    assert books == "betmgm,caesars,draftkings,fanduel" and 0.6 <= half < 0.95 and pre > 0 and ingame > 0 and tags == 0
    # lines track the player's scoring: a real signal, with pushes possible
    corr, push, over = one(con, f"""
        with l as (select game_date, player_lookup, arg_max(points_line, snapshot_timestamp) line
                   from nba_raw.odds_api_player_points_props where bookmaker = 'draftkings' and minutes_before_tipoff > 0 group by all)
        select corr(g.points, l.line), avg(case when g.points = l.line then 1 else 0 end), avg(case when g.points > l.line then 1 else 0 end)
        from l join {GB} g using (game_date, player_lookup)""")
    assert corr >= 0.7 and 0.005 <= push <= 0.06 and 0.4 <= over <= 0.55


def test_bettingpros_props(con):
    coverage = one(con, f"""with a as (select game_date, player_lookup from {GB} where player_status = 'active' and minutes_decimal > 0
                                          and {NOT_EXHIBITION_DATE}),
                               o as (select distinct game_date, player_lookup from nba_raw.bettingpros_player_points_props
                                     where market_type = 'points')
                          select count(o.player_lookup) / count(*) from a left join o using (game_date, player_lookup)""")[0]
    assert coverage >= 0.97
    markets = dict(rows(con, "select market_type, count(*) from nba_raw.bettingpros_player_points_props group by 1"))
    assert set(markets) == {"points", "rebounds", "assists"} and markets["points"] > 5 * (markets["rebounds"] + markets["assists"])
    books = {r[0] for r in rows(con, "select distinct bookmaker from nba_raw.bettingpros_player_points_props")}
    assert books == {"DraftKings", "FanDuel", "BetMGM", "BettingPros Consensus"}
    variants = {r[0] for r in rows(con, "select distinct player_team from nba_raw.bettingpros_player_points_props")}
    assert {"BRK", "CHO", "PHO", "BKN"} <= variants
    sides, best = one(con, """select count(distinct bet_side), max(n) from (
        select bet_side, count(*) filter (where is_best_line) n from nba_raw.bettingpros_player_points_props group by game_date, player_lookup, market_type, bet_side)""")
    assert sides == 2 and best == 1


def test_game_lines(con):
    got = one(con, """select count(distinct game_id), count(distinct bookmaker_key), count(distinct snapshot_timestamp) / count(distinct game_id),
                             count(*) filter (where market_key = 'totals' and outcome_name not in ('Over', 'Under')),
                             count(*) filter (where snapshot_timestamp >= commence_time)
                      from nba_raw.odds_api_game_lines""")
    assert got[0] >= 1300 and got[1] >= 2 and got[2] == 2 and got[3] == 0 and got[4] == 0
    fav = one(con, """select count(*) from (select game_id, bookmaker_key, snapshot_timestamp, sum(outcome_point) s
                                            from nba_raw.odds_api_game_lines where market_key = 'spreads' group by all) where s <> 0""")
    assert fav == (0,)


def test_injury_report_matches_who_sat_out(con):
    inj, listed = one(con, f"""
        with inj as (select game_id, player_lookup from {GB} where player_status = 'inactive' and dnp_reason like 'Injury/Illness%'
                     and {NOT_EXHIBITION_DATE})
        select (select count(*) from inj),
               count(*) filter (where lower(r.injury_status) in ('out', 'doubtful'))
        from inj join nba_raw.nbac_injury_report r using (game_id, player_lookup)""")
    assert inj > 500 and listed == 2 * inj  # on both daily reports
    statuses = {r[0] for r in rows(con, "select distinct injury_status from nba_raw.nbac_injury_report")}
    assert {"Out", "OUT", "out", "Questionable", "Probable", "Doubtful"} <= statuses
    played_q = one(con, f"""select count(*) from nba_raw.nbac_injury_report r join {GB} g using (game_id, player_lookup)
                           where lower(r.injury_status) in ('questionable', 'probable') and g.player_status = 'active'""")[0]
    assert played_q > 100
    cats = {r[0] for r in rows(con, "select distinct reason_category from nba_raw.nbac_injury_report")}
    assert cats <= {"injury", "illness", "rest", "personal", "g_league", "suspension"} and {"injury", "rest", "g_league"} <= cats


def test_espn_rosters(con):
    codes = {r[0] for r in rows(con, "select distinct team_abbr from nba_raw.espn_team_rosters")}
    assert len(codes) == 30 and {"NY", "GS", "NO", "SA", "UTAH", "WSH"} <= codes
    assert one(con, "select min(age), max(age), count(distinct scrape_hour) from nba_raw.espn_team_rosters") [2] == 1
    statuses = {r[0] for r in rows(con, "select distinct status from nba_raw.espn_team_rosters")}
    assert {"Active", "Injured"} <= statuses


def test_lineage_is_deterministic_and_after_the_game(con):
    for name, table in TABLES.items():
        if "processed_at" not in table.column_names:
            continue
        bad = one(con, f"""select count(*) filter (where processed_at is null or data_hash is null or length(data_hash) <> 16
                                                   or source_file_path not like 'gs://%')
                           from nba_raw.{name}""")
        assert bad == (0,), name
    assert one(con, f"select count(*) from {GB} where processed_at < game_date + interval 1 day") == (0,)
