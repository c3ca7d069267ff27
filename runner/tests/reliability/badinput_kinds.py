"""The bad-input catalogue itself (runner/tests/reliability/badinput.py describes it): every kind
injected into the raw tables of a copy of the clean world, each on its own date."""
from __future__ import annotations

import datetime as dt

from runner.tests.reliability.badinput_raw import (
    BDL,
    BETTINGPROS,
    BIGDATABALL,
    FUTURE_DAY,
    GB,
    NBAC_PBP,
    ODDS,
    OPENER,
    PRESEASON_DAY,
    SCHEDULE,
    TEAM_BOX,
    VARIANTS,
    Kind,
    PlayerCheck,
    RawRow,
    copy_row,
    fullwidth,
    gamebook_edit,
    games_of,
    gb_key,
    natural_key,
    row_of,
    twin_players,
)


def inject(con) -> dict[str, Kind]:
    """Every kind, on its own date, into the raw tables of `con`; returns them by name."""
    kinds: list[Kind] = []
    add = kinds.append
    one = "game_id = ? and player_lookup = ?"

    # null_key, bigdataball play-by-play: a made shot re-sent without its event id
    day = dt.date(2024, 11, 5)
    game, event, shooter = con.execute(
        f"select game_id, event_id, player_1_lookup from {BIGDATABALL} where game_date = ? and event_type = 'shot' "
        "and shot_made order by game_id, event_id limit 1", [day]).fetchone()
    copy_row(con, BIGDATABALL, "game_id = ? and event_id = ?", [game, event], {"event_id": None})
    add(Kind("null_key", day, "quarantined",
             (RawRow("bigdataball_play_by_play", natural_key(game_id=game, event_id=None), "quarantined", "null_key"),),
             players=(PlayerCheck(shooter.lstrip("0123456789"), day, "clean"),)))

    # unresolvable_player, gamebook: a new row whose name is only emoji and punctuation
    day = dt.date(2024, 11, 6)
    game, player = twin_players(con, day)[0]
    name = "\U0001F3C0\U0001F525 ?!"
    copy_row(con, GB, one, [game, player], {"player_lookup": None, "player_name": name,
                                             "player_name_original": name})
    add(Kind("unresolvable_player", day, "quarantined",
             (RawRow("nbac_gamebook_player_stats", gb_key(game, None), "quarantined", "unresolvable_player"),),
             absent_text=(name, "\U0001F3C0"), players=(PlayerCheck(player, day, "clean"),)))

    # unknown_team, team box score: a third team row, code XXX, in a real game
    day = dt.date(2024, 11, 7)
    _, game, away, home = games_of(con, day)[0]
    copy_row(con, TEAM_BOX, "game_id = ? and team_abbr = ?", [game, home],
              {"team_abbr": "XXX", "team_id": 0, "team_name": "Nowhere", "team_city": "Nowhere",
               "data_hash": "unknown-team"})
    add(Kind("unknown_team", day, "quarantined",
             (RawRow("nbac_team_boxscore", natural_key(game_id=game, team_abbr=None), "quarantined", "unknown_team"),),
             absent_codes=("XXX",), teams=((game, day),)))

    # malformed_minutes, gamebook: a real row's minutes '4O:12' (letter O)
    add(gamebook_edit(con, "malformed_minutes", dt.date(2024, 11, 8), "minutes = '4O:12', minutes_decimal = null",
                      absent_text=("4O:12",)))

    # minutes_above_game_length, BDL: a new player with 51 minutes in a regulation game (team box
    # 240:00); the gamebook lacks him, so player_game_summary would take this row if it were staged
    day = dt.date(2024, 11, 9)
    game, player = twin_players(con, day, regulation=True)[0]
    copy_row(con, BDL, one, [game, player], {
        "player_lookup": "longminutesplayer", "player_full_name": "Long Minutes", "bdl_player_id": 999_998,
        "minutes": "51", "data_hash": "51-minutes"})
    add(Kind("minutes_above_game_length", day, "quarantined",
             (RawRow("bdl_player_boxscores", gb_key(game, "longminutesplayer"), "quarantined",
                     "minutes_above_game_length"),),
             absent_text=("longminutesplayer",), no_rows=(("longminutesplayer", day),),
             players=(PlayerCheck(player, day, "clean", {"primary_source_used": "nbac_gamebook"}),)))

    # negative_stat, gamebook: a real row's assists -4
    add(gamebook_edit(con, "negative_stat", dt.date(2024, 11, 10), "assists = -4"))

    # made_above_attempted, gamebook: a real row's field goals made = attempted + 3
    add(gamebook_edit(con, "made_above_attempted", dt.date(2024, 11, 11), "field_goals_made = field_goals_attempted + 3"))

    # points_mismatch, gamebook: a real row's points 250 (its shots say otherwise)
    add(gamebook_edit(con, "points_mismatch", dt.date(2024, 11, 12), "points = 250"))

    # nonpositive_line, Odds API: a later pre-game DraftKings snapshot of a real player, line 0
    day = dt.date(2024, 11, 13)
    snap = con.execute(f"""
        select game_id, player_lookup, snapshot_timestamp from {ODDS}
        where game_date = ? and bookmaker = 'draftkings' and snapshot_timestamp < game_start_time - interval 2 minute
        qualify row_number() over (partition by game_id, player_lookup order by snapshot_timestamp desc) = 1
        order by game_id, player_lookup limit 1""", [day]).fetchone()
    game, player, at = snap
    later = at + dt.timedelta(minutes=1)
    copy_row(con, ODDS, "game_id = ? and player_lookup = ? and bookmaker = 'draftkings' and snapshot_timestamp = ?",
              [game, player, at], {"snapshot_timestamp": later, "snapshot_tag": f"snap-{later:%H%M}",
                                   "capture_timestamp": later, "points_line": 0.0, "data_hash": "zero-line",
                                   "processed_at": later + dt.timedelta(minutes=1)})
    add(Kind("nonpositive_line_odds_api", day, "quarantined",
             (RawRow("odds_api_player_points_props",
                     natural_key(game_id=game, player_lookup=player, bookmaker="draftkings", snapshot_timestamp=later),
                     "quarantined", "nonpositive_line"),),
             players=(PlayerCheck(player, day, "clean"),), lines=((player, day),)))

    # All-Star game, 0032400001, East vs West (non-franchise codes), with gamebook rows of players
    # whose teams do not play that day: excluded, never staged
    day = dt.date(2024, 11, 14)
    playing = {t for _, _, a, h in games_of(con, day) for t in (a, h)}
    template = games_of(con, day)[0][0]
    final = con.execute(f"select max(processed_at) from {SCHEDULE} where game_id = ?", [template]).fetchone()[0]
    copy_row(con, SCHEDULE, "game_id = ? and processed_at = ?", [template, final], {
        "game_id": "0032400001", "game_code": f"{day:%Y%m%d}/WSTEST", "home_team_id": None, "home_team_tricode": "EST",
        "home_team_name": "East", "away_team_id": None, "away_team_tricode": "WST", "away_team_name": "West",
        "is_regular_season": False, "is_all_star": True, "is_emirates_cup": False, "home_team_score": 160,
        "away_team_score": 150, "winning_team_tricode": "EST", "data_hash": "all-star"})
    all_star_game = f"{day:%Y%m%d}_WST_EST"
    donors = con.execute(f"""
        select game_id, player_lookup, team_abbr from {GB}
        where game_date = ? and player_status = 'active' and minutes like '%:%'
            and team_abbr not in ({', '.join('?' * len(playing))})
        order by game_id, player_lookup limit 4""", [day - dt.timedelta(days=1), *sorted(playing)]).fetchall()
    assert len(donors) == 4
    rows = []
    for i, (game, player, _) in enumerate(donors):
        side = "EST" if i % 2 else "WST"
        copy_row(con, GB, one, [game, player], {
            "game_id": all_star_game, "game_code": f"{day:%Y%m%d}/WSTEST", "game_date": day, "home_team_abbr": "EST",
            "away_team_abbr": "WST", "team_abbr": side, "processed_at": dt.datetime(2024, 11, 15, 2, 0)})
        rows.append(RawRow("nbac_gamebook_player_stats", gb_key(all_star_game, player), "excluded", "all_star_game"))
    add(Kind("all_star_game", day, "excluded",
             (RawRow("nbac_schedule", natural_key(game_id="0032400001"), "excluded", "all_star_game"), *rows),
             absent_text=("0032400001", all_star_game), absent_codes=("EST", "WST"),
             no_rows=tuple((p, day) for _, p, _ in donors)))

    # nonpositive_line, BettingPros: a later DraftKings 'over' line of a real player, -2.5
    day = dt.date(2024, 11, 15)
    bp = con.execute(f"""
        select bp.player_lookup, bp.offer_id from {BETTINGPROS} as bp
        where bp.game_date = ? and bp.bookmaker = 'DraftKings' and bp.bet_side = 'over' and bp.market_type = 'points'
            and bp.is_active
        order by (select count(*) from {ODDS} as o where o.game_date = bp.game_date
                  and o.player_lookup = bp.player_lookup and o.bookmaker = 'draftkings'), bp.player_lookup
        limit 1""", [day]).fetchone()
    player, offer = bp
    where = ("game_date = ? and player_lookup = ? and bookmaker = 'DraftKings' and bet_side = 'over' "
             "and market_type = 'points'")
    original = row_of(con, BETTINGPROS, where, [day, player])
    copy_row(con, BETTINGPROS, where, [day, player], {
        "points_line": -2.5, "processed_at": original["processed_at"] + dt.timedelta(hours=1),
        "data_hash": "negative-line", "offer_id": f"{offer}-neg"})
    add(Kind("nonpositive_line_bettingpros", day, "quarantined",
             (RawRow("bettingpros_player_points_props",
                     natural_key(game_date=day, player_lookup=player, bookmaker="DraftKings", bet_side="over",
                          market_type="points"), "quarantined", "nonpositive_line"),),
             lines=((player, day),)))

    # date_outside_season, NBA.com play-by-play: a shot whose season_year (2019) does not hold its date
    day = dt.date(2024, 11, 16)
    game, event, shooter = con.execute(
        f"select game_id, event_id, player_1_lookup from {NBAC_PBP} where game_date = ? and event_type = 'fieldgoal' "
        "and shot_made order by game_id, event_id limit 1", [day]).fetchone()
    new_event = con.execute(f"select max(event_id) + 1000 from {NBAC_PBP} where game_id = ?", [game]).fetchone()[0]
    copy_row(con, NBAC_PBP, "game_id = ? and event_id = ?", [game, event],
              {"event_id": new_event, "season_year": 2019, "data_hash": "season-2019"})
    add(Kind("date_outside_season", day, "quarantined",
             (RawRow("nbac_play_by_play", natural_key(game_id=game, event_id=new_event), "quarantined",
                     "date_outside_season"),),
             players=(PlayerCheck(shooter, day, "clean"),)))

    # game_not_on_schedule, BDL: a ghost game between two teams that do not play that day
    day = dt.date(2024, 11, 17)
    playing = {t for _, _, a, h in games_of(con, day) for t in (a, h)}
    teams = [t for (t,) in con.execute(f"select distinct home_team_tricode from {SCHEDULE} order by 1").fetchall()
             if t not in playing]
    ghost = f"{day:%Y%m%d}_{teams[0]}_{teams[1]}"
    game, player = twin_players(con, day)[0]
    copy_row(con, BDL, one, [game, player], {
        "game_id": ghost, "player_lookup": "ghostgameplayer", "player_full_name": "Ghost Game Player",
        "bdl_player_id": 999_999, "team_abbr": teams[1], "home_team_abbr": teams[1], "away_team_abbr": teams[0],
        "data_hash": "ghost-game"})
    add(Kind("game_not_on_schedule", day, "quarantined",
             (RawRow("bdl_player_boxscores", gb_key(ghost, "ghostgameplayer"), "quarantined",
                     "game_not_on_schedule"),),
             absent_text=(ghost, "ghostgameplayer")))

    # player_on_two_teams, gamebook: one new player in two games of the same day
    day = dt.date(2024, 11, 18)
    (game_a, p_a), (game_b, p_b) = [next(x for x in twin_players(con, day, regulation=False) if x[0] == g)
                                    for g in sorted({g for g, _ in twin_players(con, day, regulation=False)})[:2]]
    for game, player in ((game_a, p_a), (game_b, p_b)):
        copy_row(con, GB, one, [game, player], {"player_lookup": "twoteamsplayer", "player_name": "Two Teams",
                                                 "player_name_original": "Two Teams", "data_hash": "two-teams"})
    add(Kind("player_on_two_teams", day, "quarantined",
             tuple(RawRow("nbac_gamebook_player_stats", gb_key(g, "twoteamsplayer"), "quarantined",
                          "player_on_two_teams") for g in (game_a, game_b)),
             absent_text=("twoteamsplayer",),
             players=(PlayerCheck(p_a, day, "clean"), PlayerCheck(p_b, day, "clean"))))

    # duplicate_row, team box score: the exact same row loaded twice
    day = dt.date(2024, 11, 19)
    _, game, away, home = games_of(con, day)[0]
    con.execute(f"insert into {TEAM_BOX} select * from {TEAM_BOX} where game_id = ? and team_abbr = ?", [game, away])
    key = natural_key(game_id=game, team_abbr=away)
    add(Kind("duplicate_row", day, "quarantined",
             (RawRow("nbac_team_boxscore", key, "staged"),
              RawRow("nbac_team_boxscore", key, "quarantined", "duplicate_row")),
             teams=((game, day),)))

    # superseded: a late correction of a gamebook row (a later processed_at, one more assist)
    day = dt.date(2024, 11, 20)
    game, player = twin_players(con, day)[0]
    original = row_of(con, GB, one, [game, player])
    corrected_at = original["processed_at"] + dt.timedelta(days=2)
    copy_row(con, GB, one, [game, player], {
        "assists": original["assists"] + 1, "processed_at": corrected_at, "data_hash": "late-correction",
        "source_file_path": original["source_file_path"].replace(".json", "-corrected.json")})
    add(Kind("late_correction", day, "superseded",
             (RawRow("nbac_gamebook_player_stats", gb_key(game, player), "superseded",
                     processed_at=original["processed_at"]),
              RawRow("nbac_gamebook_player_stats", gb_key(game, player), "staged", processed_at=corrected_at)),
             players=(PlayerCheck(player, day, "clean", {"assists": original["assists"] + 1}),),
             note=f"assists {original['assists']} -> {original['assists'] + 1}"))

    # superseded: a schedule snapshot going backwards (Scheduled after Final, processed later)
    day = dt.date(2024, 11, 21)
    nba_id, game, _, _ = games_of(con, day)[0]
    final = con.execute(f"select max(processed_at) from {SCHEDULE} where game_id = ? and game_status = 3",
                        [nba_id]).fetchone()[0]
    backwards_at = final + dt.timedelta(days=3)
    copy_row(con, SCHEDULE, "game_id = ? and processed_at = ?", [nba_id, final], {
        "game_status": 1, "game_status_text": "Scheduled", "home_team_score": None, "away_team_score": None,
        "winning_team_tricode": None, "processed_at": backwards_at, "data_hash": "backwards"})
    add(Kind("schedule_snapshot_backwards", day, "superseded",
             (RawRow("nbac_schedule", natural_key(game_id=nba_id), "staged", processed_at=final),
              RawRow("nbac_schedule", natural_key(game_id=nba_id), "superseded", processed_at=backwards_at)),
             teams=((game, day),)))

    # encoding: a zero-width space in the name, player_lookup NULL: staged as the same player
    day = dt.date(2024, 11, 22)
    game, player = twin_players(con, day)[0]
    name = row_of(con, GB, one, [game, player])["player_name"].replace(" ", " \u200b", 1)
    con.execute(f"update {GB} set player_lookup = null, player_name = ? where {one}", [name, game, player])
    add(Kind("zero_width_space_name", day, "staged",
             (RawRow("nbac_gamebook_player_stats", gb_key(game, player), "staged"),),
             players=(PlayerCheck(player, day, "clean", {"primary_source_used": "nbac_gamebook"}),)))

    # encoding: an emoji after the name on every Odds API line of a player, player_lookup NULL
    day = dt.date(2024, 11, 23)
    game, player, name = con.execute(
        f"select game_id, player_lookup, min(player_name) from {ODDS} where game_date = ? and bookmaker = 'draftkings' "
        "and snapshot_timestamp < game_start_time group by 1, 2 order by 1, 2 limit 1", [day]).fetchone()
    keys = con.execute(f"select bookmaker, snapshot_timestamp from {ODDS} where {one} order by 1, 2",
                       [game, player]).fetchall()
    con.execute(f"update {ODDS} set player_lookup = null, player_name = ? where {one}",
                [f"{name} \U0001F3C0", game, player])
    add(Kind("emoji_name", day, "staged",
             tuple(RawRow("odds_api_player_points_props",
                          natural_key(game_id=game, player_lookup=player, bookmaker=b, snapshot_timestamp=t), "staged")
                   for b, t in keys),
             players=(PlayerCheck(player, day, "clean"),), lines=((player, day),)))

    # encoding: the name in full-width letters (U+FF21..), player_lookup NULL: staged as the same player
    day = dt.date(2024, 11, 24)
    game, player = twin_players(con, day)[0]
    name = fullwidth(row_of(con, GB, one, [game, player])["player_name"])
    con.execute(f"update {GB} set player_lookup = null, player_name = ? where {one}", [name, game, player])
    add(Kind("fullwidth_name", day, "staged",
             (RawRow("nbac_gamebook_player_stats", gb_key(game, player), "staged"),),
             players=(PlayerCheck(player, day, "clean", {"primary_source_used": "nbac_gamebook"}),)))

    # real overtime minutes: 53:07 in a double-overtime game (team box 290:00, 58 minutes)
    day = dt.date(2024, 11, 25)
    game = con.execute(f"select game_id from {TEAM_BOX} where game_date = ? and minutes = '290:00' "
                       "order by 1 limit 1", [day]).fetchone()[0]
    player = con.execute(f"select player_lookup from {GB} where game_id = ? and player_status = 'active' "
                         "and minutes like '%:%' order by minutes_decimal desc, player_lookup limit 1",
                         [game]).fetchone()[0]
    con.execute(f"update {GB} set minutes = '53:07', minutes_decimal = 53.12 where {one}", [game, player])
    add(Kind("overtime_minutes", day, "staged",
             (RawRow("nbac_gamebook_player_stats", gb_key(game, player), "staged"),),
             players=(PlayerCheck(player, day, "clean", {"minutes_played": 53.1,
                                                         "primary_source_used": "nbac_gamebook"}),)))

    # a team-code variant in lower case on a gamebook row: staged as the NBA tricode
    day = dt.date(2024, 11, 26)
    game, player, team = con.execute(
        f"select game_id, player_lookup, team_abbr from {GB} where game_date = ? and player_status = 'active' "
        f"and team_abbr in ({', '.join('?' * len(VARIANTS))}) order by game_id, player_lookup limit 1",
        [day, *VARIANTS]).fetchone()
    con.execute(f"update {GB} set team_abbr = ? where {one}", [VARIANTS[team].lower(), game, player])
    add(Kind("team_code_variant", day, "staged",
             (RawRow("nbac_gamebook_player_stats", gb_key(game, player), "staged"),),
             absent_codes=(VARIANTS[team].lower(), VARIANTS[team]),
             players=(PlayerCheck(player, day, "clean", {"team_abbr": team}),),
             note=f"{team} as '{VARIANTS[team].lower()}'"))

    # preseason game before the opener: schedule 0012400099 (season type pre_season), gamebook and BDL
    day = PRESEASON_DAY
    nba_id, template_game, away, home = games_of(con, OPENER)[0]
    final = con.execute(f"select max(processed_at) from {SCHEDULE} where game_id = ?", [nba_id]).fetchone()[0]
    pre_id, pre_game = "0012400099", f"{day:%Y%m%d}_{away}_{home}"
    copy_row(con, SCHEDULE, "game_id = ? and processed_at = ?", [nba_id, final], {
        "game_id": pre_id, "game_code": f"{day:%Y%m%d}/{away}{home}", "game_date": day,
        "game_date_est": dt.datetime.combine(day, dt.time(19, 30)), "is_regular_season": False,
        "is_emirates_cup": False, "processed_at": dt.datetime.combine(day + dt.timedelta(days=1), dt.time(5)),
        "data_hash": "preseason"})
    pre_rows = [RawRow("nbac_schedule", natural_key(game_id=pre_id), "excluded", "preseason_game")]
    for table, full, stamp in ((GB, "nbac_gamebook_player_stats", 6), (BDL, "bdl_player_boxscores", 4)):
        players = [p for (p,) in con.execute(f"select player_lookup from {table} where game_id = ? "
                                            "order by player_lookup limit 3", [template_game]).fetchall()]
        for player in players:
            changes = {"game_id": pre_game, "game_date": day, "data_hash": "preseason",
                       "processed_at": dt.datetime.combine(day + dt.timedelta(days=1), dt.time(stamp))}
            if table == GB:
                changes["game_code"] = f"{day:%Y%m%d}/{away}{home}"
            copy_row(con, table, one, [template_game, player], changes)
            pre_rows.append(RawRow(full, gb_key(pre_game, player), "excluded", "preseason_game"))
    add(Kind("preseason_game", day, "excluded", tuple(pre_rows), absent_text=(pre_id, pre_game),
             absent_dates=(day,)))

    # future_date: a team box score dated 2031-01-07
    day = FUTURE_DAY
    _, game, away, home = games_of(con, dt.date(2024, 11, 27))[0]
    future_game = f"{day:%Y%m%d}_{away}_{home}"
    copy_row(con, TEAM_BOX, "game_id = ? and team_abbr = ?", [game, home], {
        "game_id": future_game, "game_date": day, "season_year": 2030, "data_hash": "future",
        "processed_at": dt.datetime.combine(day, dt.time(23))})
    add(Kind("future_date", day, "quarantined",
             (RawRow("nbac_team_boxscore", natural_key(game_id=future_game, team_abbr=home), "quarantined", "future_date"),),
             absent_text=(future_game, f"{day:%Y%m%d}"), absent_dates=(day,)))

    return {k.name: k for k in kinds}


