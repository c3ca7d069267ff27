"""The bad-raw-input catalogue of issue 18: each kind injected by direct SQL into the raw tables
of one copy of the clean world (season 2024, built 2024-10-22..2024-12-10), each on ITS OWN date.

One kind per date, so that a check can only pass for its own kind: the row kinds on the game
dates 2024-11-05..2024-11-26, the preseason game before the opener (2024-10-18), the future row in
2031. The null-rate date is the last game date of the range (2024-12-10): its failure blocks
nothing else of the catalogue.

A kind that edits a real gamebook row so that staging must quarantine it (malformed minutes, a
negative stat, made above attempted, points unequal to the shots, a full-width name that could
fail to resolve) picks a player whose Ball Don't Lie row of that game is valid and carries the
same box score, so that player_game_summary falls back to it and every gate still passes. The
other kinds add new copies of rows (a new player_lookup, event id, snapshot or team code) and
remove no real player.

Each kind records the raw rows it made, by the natural key their base model gives them
(`natural_key` of classify_raw_rows) with the disposition and reason staging must give them, and
what must hold downstream: values that must appear in no public table, the player and team rows
that must equal the clean world's (or the BDL row's) values.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb

RAW = "nba_raw"
GB = f"{RAW}.nbac_gamebook_player_stats"
BDL = f"{RAW}.bdl_player_boxscores"
TEAM_BOX = f"{RAW}.nbac_team_boxscore"
SCHEDULE = f"{RAW}.nbac_schedule"
ODDS = f"{RAW}.odds_api_player_points_props"
BETTINGPROS = f"{RAW}.bettingpros_player_points_props"
BIGDATABALL = f"{RAW}.bigdataball_play_by_play"
NBAC_PBP = f"{RAW}.nbac_play_by_play"

START, END = dt.date(2024, 10, 18), dt.date(2024, 12, 10)  # from the preseason kind's date: a run counts its range
NULL_RATE_DAY = END
OPENER = dt.date(2024, 10, 22)  # the season's first game date
PRESEASON_DAY = dt.date(2024, 10, 18)  # before the opener
FUTURE_DAY = dt.date(2031, 1, 7)
FUTURE_ACCOUNTING_DATE = dt.date(9999, 12, 31)  # macros/staging/raw_accounting.sql sentinels
PUBLIC_SCHEMAS = ("nba_analytics", "nba_precompute", "nba_predictions")
BACKFILL_SCHEMAS = (*PUBLIC_SCHEMAS, "nba_orchestration")
# ESPN / Basketball-Reference codes (dbt_project.yml team_code_variants)
VARIANTS = {"BKN": "BRK", "CHA": "CHO", "PHX": "PHO", "NYK": "NY", "GSW": "GS", "NOP": "NO", "SAS": "SA",
            "UTA": "UTAH", "WAS": "WSH"}
BOX = ("points", "field_goals_made", "field_goals_attempted", "three_pointers_made", "three_pointers_attempted",
       "free_throws_made", "free_throws_attempted", "offensive_rebounds", "defensive_rebounds", "assists",
       "steals", "blocks", "turnovers", "personal_fouls")


@dataclass(frozen=True)
class RawRow:
    """One injected (or edited) raw row, as its base model must classify it."""

    table: str                           # nba_raw table name
    natural_key: str                     # the base model's natural_key text
    disposition: str                     # staged | excluded | quarantined | superseded
    reason: str | None = None            # quarantine or exclusion reason
    processed_at: dt.datetime | None = None  # tells versions of one natural key apart


@dataclass(frozen=True)
class PlayerCheck:
    """A player_game_summary row the kind could corrupt: it must hold these values.

    source 'clean': the clean world's row (same stats); 'bdl': the player's staged BDL row of
    that game (the gamebook row was quarantined); `values` are exact values on top."""

    player_lookup: str
    game_date: dt.date
    source: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Kind:
    name: str
    day: dt.date                          # its own date: the date column of its raw rows
    outcome: str                          # quarantined | excluded | superseded | staged
    rows: tuple[RawRow, ...]
    absent_text: tuple[str, ...] = ()     # in no text column of a public table (substring)
    absent_codes: tuple[str, ...] = ()    # equal to no text column value of a public table
    absent_dates: tuple[dt.date, ...] = ()  # in no date column of a public table
    players: tuple[PlayerCheck, ...] = ()
    teams: tuple[tuple[str, dt.date], ...] = ()      # (game_id, date): TOGS rows equal the clean world's
    lines: tuple[tuple[str, dt.date], ...] = ()      # (player, date): prop lines equal the clean world's
    no_rows: tuple[tuple[str, dt.date], ...] = ()    # (player, date): no player_game_summary row
    note: str = ""

    @property
    def reason(self) -> str | None:
        return next((r.reason for r in self.rows if r.reason), None)

    @property
    def accounting_date(self) -> dt.date:
        return FUTURE_ACCOUNTING_DATE if self.day > dt.date.today() else self.day

    @property
    def tables(self) -> list[str]:
        return sorted({r.table for r in self.rows})


def strip_to_raw_tables(path: Path) -> None:
    """Drop every schema the backfill writes and every view of nba_raw (staging): the 11 raw tables stay."""
    with duckdb.connect(str(path)) as con:
        for schema in BACKFILL_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        views = [v for (v,) in con.execute("select table_name from information_schema.tables "
                                           "where table_schema = ? and table_type = 'VIEW'", [RAW]).fetchall()]
        for view in views:
            con.execute(f"drop view if exists {RAW}.{view} cascade")


# -- helpers on the raw tables -----------------------------------------------------------------
def _columns(con, table: str) -> list[str]:
    schema, name = table.split(".")
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position", [schema, name]).fetchall()]


def _copy_row(con, table: str, where: str, params: list, changes: dict[str, Any]) -> None:
    """Insert a copy of the one row matching `where`, with some columns changed."""
    cols = _columns(con, table)
    assert set(changes) <= set(cols), set(changes) - set(cols)
    n = con.execute(f"select count(*) from {table} where {where}", params).fetchone()[0]
    assert n == 1, f"{table} where {where} {params}: {n} rows"
    select = ", ".join("?" if c in changes else c for c in cols)
    con.execute(f"insert into {table} select {select} from {table} where {where}",
                [changes[c] for c in cols if c in changes] + params)


def _row(con, table: str, where: str, params: list) -> dict[str, Any]:
    cur = con.execute(f"select * from {table} where {where}", params)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1, f"{table} where {where} {params}: {len(rows)} rows"
    return dict(zip(names, rows[0]))


def _games(con, day: dt.date) -> list[tuple[str, str, str, str]]:
    """(NBA game id, standard game id, away, home) of the final games of a date."""
    return con.execute(
        f"select game_id, strftime(game_date, '%Y%m%d') || '_' || away_team_tricode || '_' || home_team_tricode, "
        f"away_team_tricode, home_team_tricode from {SCHEDULE} where game_date = ? and game_status = 3 "
        "order by game_id", [day]).fetchall()


def _regulation(con, game_id: str) -> bool:
    return {m for (m,) in con.execute(f"select minutes from {TEAM_BOX} where game_id = ?", [game_id]).fetchall()} \
        == {"240:00"}


def _twin_players(con, day: dt.date, skip: set[str] = frozenset(), regulation: bool = True) -> list[tuple[str, str]]:
    """(game_id, player_lookup) of active gamebook players with minutes whose BDL row of the game is
    valid (no rule of staging rejects it) and has the same box score: when staging rejects the
    gamebook row, player_game_summary takes the BDL row and every team total still adds up."""
    same = " and ".join(f"gb.{c} = bdl.{c}" for c in BOX)
    rows = con.execute(f"""
        select gb.game_id, gb.player_lookup
        from {GB} as gb
        join {BDL} as bdl on bdl.game_id = gb.game_id and bdl.player_lookup = gb.player_lookup
        where gb.game_date = ? and gb.player_status = 'active' and gb.minutes like '%:%'
            and gb.minutes not like '0:%' and gb.minutes not like '00:%'
            and {same}
            and bdl.points = 2 * bdl.field_goals_made + bdl.three_pointers_made + bdl.free_throws_made
            and bdl.field_goals_made <= bdl.field_goals_attempted
            and bdl.three_pointers_made <= bdl.three_pointers_attempted
            and bdl.free_throws_made <= bdl.free_throws_attempted
            and try_cast(bdl.minutes as double) between 1 and 44
            and (select count(*) from {BDL} as b2 where b2.game_id = gb.game_id
                 and b2.player_lookup = gb.player_lookup) = 1
        order by gb.game_id, gb.player_lookup
    """, [day]).fetchall()
    return [(g, p) for g, p in rows if g not in skip and (not regulation or _regulation(con, g))]


def _key(**parts: Any) -> str:
    """A natural_key text as classify_raw_rows writes it: col=value|col=value (NULL for NULL)."""
    return "|".join(f"{k}={'NULL' if v is None else v}" for k, v in parts.items())


def _gb_key(game_id: str, player: str | None) -> str:
    return _key(game_id=game_id, player_lookup=player)


def _fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


# -- the catalogue ------------------------------------------------------------------------------
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
    _copy_row(con, BIGDATABALL, "game_id = ? and event_id = ?", [game, event], {"event_id": None})
    add(Kind("null_key", day, "quarantined",
             (RawRow("bigdataball_play_by_play", _key(game_id=game, event_id=None), "quarantined", "null_key"),),
             players=(PlayerCheck(shooter.lstrip("0123456789"), day, "clean"),)))

    # unresolvable_player, gamebook: a new row whose name is only emoji and punctuation
    day = dt.date(2024, 11, 6)
    game, player = _twin_players(con, day)[0]
    name = "\U0001F3C0\U0001F525 ?!"
    _copy_row(con, GB, one, [game, player], {"player_lookup": None, "player_name": name,
                                             "player_name_original": name})
    add(Kind("unresolvable_player", day, "quarantined",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, None), "quarantined", "unresolvable_player"),),
             absent_text=(name, "\U0001F3C0"), players=(PlayerCheck(player, day, "clean"),)))

    # unknown_team, team box score: a third team row, code XXX, in a real game
    day = dt.date(2024, 11, 7)
    _, game, away, home = _games(con, day)[0]
    _copy_row(con, TEAM_BOX, "game_id = ? and team_abbr = ?", [game, home],
              {"team_abbr": "XXX", "team_id": 0, "team_name": "Nowhere", "team_city": "Nowhere",
               "data_hash": "unknown-team"})
    add(Kind("unknown_team", day, "quarantined",
             (RawRow("nbac_team_boxscore", _key(game_id=game, team_abbr=None), "quarantined", "unknown_team"),),
             absent_codes=("XXX",), teams=((game, day),)))

    # malformed_minutes, gamebook: a real row's minutes '4O:12' (letter O)
    day = dt.date(2024, 11, 8)
    game, player = _twin_players(con, day)[0]
    con.execute(f"update {GB} set minutes = '4O:12', minutes_decimal = null where {one}", [game, player])
    add(Kind("malformed_minutes", day, "quarantined",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "quarantined", "malformed_minutes"),),
             absent_text=("4O:12",),
             players=(PlayerCheck(player, day, "bdl", {"primary_source_used": "bdl_boxscores"}),)))

    # minutes_above_game_length, BDL: a new player with 51 minutes in a regulation game (team box
    # 240:00); the gamebook lacks him, so player_game_summary would take this row if it were staged
    day = dt.date(2024, 11, 9)
    game, player = _twin_players(con, day, regulation=True)[0]
    _copy_row(con, BDL, one, [game, player], {
        "player_lookup": "longminutesplayer", "player_full_name": "Long Minutes", "bdl_player_id": 999_998,
        "minutes": "51", "data_hash": "51-minutes"})
    add(Kind("minutes_above_game_length", day, "quarantined",
             (RawRow("bdl_player_boxscores", _gb_key(game, "longminutesplayer"), "quarantined",
                     "minutes_above_game_length"),),
             absent_text=("longminutesplayer",), no_rows=(("longminutesplayer", day),),
             players=(PlayerCheck(player, day, "clean", {"primary_source_used": "nbac_gamebook"}),)))

    # negative_stat, gamebook: a real row's assists -4
    day = dt.date(2024, 11, 10)
    game, player = _twin_players(con, day)[0]
    con.execute(f"update {GB} set assists = -4 where {one}", [game, player])
    add(Kind("negative_stat", day, "quarantined",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "quarantined", "negative_stat"),),
             players=(PlayerCheck(player, day, "bdl", {"primary_source_used": "bdl_boxscores"}),)))

    # made_above_attempted, gamebook: a real row's field goals made = attempted + 3
    day = dt.date(2024, 11, 11)
    game, player = _twin_players(con, day)[0]
    con.execute(f"update {GB} set field_goals_made = field_goals_attempted + 3 where {one}", [game, player])
    add(Kind("made_above_attempted", day, "quarantined",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "quarantined", "made_above_attempted"),),
             players=(PlayerCheck(player, day, "bdl", {"primary_source_used": "bdl_boxscores"}),)))

    # points_mismatch, gamebook: a real row's points 250 (its shots say otherwise)
    day = dt.date(2024, 11, 12)
    game, player = _twin_players(con, day)[0]
    con.execute(f"update {GB} set points = 250 where {one}", [game, player])
    add(Kind("points_mismatch", day, "quarantined",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "quarantined", "points_mismatch"),),
             players=(PlayerCheck(player, day, "bdl", {"primary_source_used": "bdl_boxscores"}),)))

    # nonpositive_line, Odds API: a later pre-game DraftKings snapshot of a real player, line 0
    day = dt.date(2024, 11, 13)
    snap = con.execute(f"""
        select game_id, player_lookup, snapshot_timestamp from {ODDS}
        where game_date = ? and bookmaker = 'draftkings' and snapshot_timestamp < game_start_time - interval 2 minute
        qualify row_number() over (partition by game_id, player_lookup order by snapshot_timestamp desc) = 1
        order by game_id, player_lookup limit 1""", [day]).fetchone()
    game, player, at = snap
    later = at + dt.timedelta(minutes=1)
    _copy_row(con, ODDS, "game_id = ? and player_lookup = ? and bookmaker = 'draftkings' and snapshot_timestamp = ?",
              [game, player, at], {"snapshot_timestamp": later, "snapshot_tag": f"snap-{later:%H%M}",
                                   "capture_timestamp": later, "points_line": 0.0, "data_hash": "zero-line",
                                   "processed_at": later + dt.timedelta(minutes=1)})
    add(Kind("nonpositive_line_odds_api", day, "quarantined",
             (RawRow("odds_api_player_points_props",
                     _key(game_id=game, player_lookup=player, bookmaker="draftkings", snapshot_timestamp=later),
                     "quarantined", "nonpositive_line"),),
             players=(PlayerCheck(player, day, "clean"),), lines=((player, day),)))

    # All-Star game, 0032400001, East vs West (non-franchise codes), with gamebook rows of players
    # whose teams do not play that day: excluded, never staged
    day = dt.date(2024, 11, 14)
    playing = {t for _, _, a, h in _games(con, day) for t in (a, h)}
    template = _games(con, day)[0][0]
    final = con.execute(f"select max(processed_at) from {SCHEDULE} where game_id = ?", [template]).fetchone()[0]
    _copy_row(con, SCHEDULE, "game_id = ? and processed_at = ?", [template, final], {
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
        _copy_row(con, GB, one, [game, player], {
            "game_id": all_star_game, "game_code": f"{day:%Y%m%d}/WSTEST", "game_date": day, "home_team_abbr": "EST",
            "away_team_abbr": "WST", "team_abbr": side, "processed_at": dt.datetime(2024, 11, 15, 2, 0)})
        rows.append(RawRow("nbac_gamebook_player_stats", _gb_key(all_star_game, player), "excluded", "all_star_game"))
    add(Kind("all_star_game", day, "excluded",
             (RawRow("nbac_schedule", _key(game_id="0032400001"), "excluded", "all_star_game"), *rows),
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
    original = _row(con, BETTINGPROS, where, [day, player])
    _copy_row(con, BETTINGPROS, where, [day, player], {
        "points_line": -2.5, "processed_at": original["processed_at"] + dt.timedelta(hours=1),
        "data_hash": "negative-line", "offer_id": f"{offer}-neg"})
    add(Kind("nonpositive_line_bettingpros", day, "quarantined",
             (RawRow("bettingpros_player_points_props",
                     _key(game_date=day, player_lookup=player, bookmaker="DraftKings", bet_side="over",
                          market_type="points"), "quarantined", "nonpositive_line"),),
             lines=((player, day),)))

    # date_outside_season, NBA.com play-by-play: a shot whose season_year (2019) does not hold its date
    day = dt.date(2024, 11, 16)
    game, event, shooter = con.execute(
        f"select game_id, event_id, player_1_lookup from {NBAC_PBP} where game_date = ? and event_type = 'fieldgoal' "
        "and shot_made order by game_id, event_id limit 1", [day]).fetchone()
    new_event = con.execute(f"select max(event_id) + 1000 from {NBAC_PBP} where game_id = ?", [game]).fetchone()[0]
    _copy_row(con, NBAC_PBP, "game_id = ? and event_id = ?", [game, event],
              {"event_id": new_event, "season_year": 2019, "data_hash": "season-2019"})
    add(Kind("date_outside_season", day, "quarantined",
             (RawRow("nbac_play_by_play", _key(game_id=game, event_id=new_event), "quarantined",
                     "date_outside_season"),),
             players=(PlayerCheck(shooter, day, "clean"),)))

    # game_not_on_schedule, BDL: a ghost game between two teams that do not play that day
    day = dt.date(2024, 11, 17)
    playing = {t for _, _, a, h in _games(con, day) for t in (a, h)}
    teams = [t for (t,) in con.execute(f"select distinct home_team_tricode from {SCHEDULE} order by 1").fetchall()
             if t not in playing]
    ghost = f"{day:%Y%m%d}_{teams[0]}_{teams[1]}"
    game, player = _twin_players(con, day)[0]
    _copy_row(con, BDL, one, [game, player], {
        "game_id": ghost, "player_lookup": "ghostgameplayer", "player_full_name": "Ghost Game Player",
        "bdl_player_id": 999_999, "team_abbr": teams[1], "home_team_abbr": teams[1], "away_team_abbr": teams[0],
        "data_hash": "ghost-game"})
    add(Kind("game_not_on_schedule", day, "quarantined",
             (RawRow("bdl_player_boxscores", _gb_key(ghost, "ghostgameplayer"), "quarantined",
                     "game_not_on_schedule"),),
             absent_text=(ghost, "ghostgameplayer")))

    # player_on_two_teams, gamebook: one new player in two games of the same day
    day = dt.date(2024, 11, 18)
    (game_a, p_a), (game_b, p_b) = [next(x for x in _twin_players(con, day, regulation=False) if x[0] == g)
                                    for g in sorted({g for g, _ in _twin_players(con, day, regulation=False)})[:2]]
    for game, player in ((game_a, p_a), (game_b, p_b)):
        _copy_row(con, GB, one, [game, player], {"player_lookup": "twoteamsplayer", "player_name": "Two Teams",
                                                 "player_name_original": "Two Teams", "data_hash": "two-teams"})
    add(Kind("player_on_two_teams", day, "quarantined",
             tuple(RawRow("nbac_gamebook_player_stats", _gb_key(g, "twoteamsplayer"), "quarantined",
                          "player_on_two_teams") for g in (game_a, game_b)),
             absent_text=("twoteamsplayer",),
             players=(PlayerCheck(p_a, day, "clean"), PlayerCheck(p_b, day, "clean"))))

    # duplicate_row, team box score: the exact same row loaded twice
    day = dt.date(2024, 11, 19)
    _, game, away, home = _games(con, day)[0]
    con.execute(f"insert into {TEAM_BOX} select * from {TEAM_BOX} where game_id = ? and team_abbr = ?", [game, away])
    key = _key(game_id=game, team_abbr=away)
    add(Kind("duplicate_row", day, "quarantined",
             (RawRow("nbac_team_boxscore", key, "staged"),
              RawRow("nbac_team_boxscore", key, "quarantined", "duplicate_row")),
             teams=((game, day),)))

    # superseded: a late correction of a gamebook row (a later processed_at, one more assist)
    day = dt.date(2024, 11, 20)
    game, player = _twin_players(con, day)[0]
    original = _row(con, GB, one, [game, player])
    corrected_at = original["processed_at"] + dt.timedelta(days=2)
    _copy_row(con, GB, one, [game, player], {
        "assists": original["assists"] + 1, "processed_at": corrected_at, "data_hash": "late-correction",
        "source_file_path": original["source_file_path"].replace(".json", "-corrected.json")})
    add(Kind("late_correction", day, "superseded",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "superseded",
                     processed_at=original["processed_at"]),
              RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "staged", processed_at=corrected_at)),
             players=(PlayerCheck(player, day, "clean", {"assists": original["assists"] + 1}),),
             note=f"assists {original['assists']} -> {original['assists'] + 1}"))

    # superseded: a schedule snapshot going backwards (Scheduled after Final, processed later)
    day = dt.date(2024, 11, 21)
    nba_id, game, _, _ = _games(con, day)[0]
    final = con.execute(f"select max(processed_at) from {SCHEDULE} where game_id = ? and game_status = 3",
                        [nba_id]).fetchone()[0]
    backwards_at = final + dt.timedelta(days=3)
    _copy_row(con, SCHEDULE, "game_id = ? and processed_at = ?", [nba_id, final], {
        "game_status": 1, "game_status_text": "Scheduled", "home_team_score": None, "away_team_score": None,
        "winning_team_tricode": None, "processed_at": backwards_at, "data_hash": "backwards"})
    add(Kind("schedule_snapshot_backwards", day, "superseded",
             (RawRow("nbac_schedule", _key(game_id=nba_id), "staged", processed_at=final),
              RawRow("nbac_schedule", _key(game_id=nba_id), "superseded", processed_at=backwards_at)),
             teams=((game, day),)))

    # encoding: a zero-width space in the name, player_lookup NULL: staged as the same player
    day = dt.date(2024, 11, 22)
    game, player = _twin_players(con, day)[0]
    name = _row(con, GB, one, [game, player])["player_name"].replace(" ", " \u200b", 1)
    con.execute(f"update {GB} set player_lookup = null, player_name = ? where {one}", [name, game, player])
    add(Kind("zero_width_space_name", day, "staged",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "staged"),),
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
                          _key(game_id=game, player_lookup=player, bookmaker=b, snapshot_timestamp=t), "staged")
                   for b, t in keys),
             players=(PlayerCheck(player, day, "clean"),), lines=((player, day),)))

    # encoding: the name in full-width letters (U+FF21..), player_lookup NULL: staged as the same player
    day = dt.date(2024, 11, 24)
    game, player = _twin_players(con, day)[0]
    name = _fullwidth(_row(con, GB, one, [game, player])["player_name"])
    con.execute(f"update {GB} set player_lookup = null, player_name = ? where {one}", [name, game, player])
    add(Kind("fullwidth_name", day, "staged",
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "staged"),),
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
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "staged"),),
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
             (RawRow("nbac_gamebook_player_stats", _gb_key(game, player), "staged"),),
             absent_codes=(VARIANTS[team].lower(), VARIANTS[team]),
             players=(PlayerCheck(player, day, "clean", {"team_abbr": team}),),
             note=f"{team} as '{VARIANTS[team].lower()}'"))

    # preseason game before the opener: schedule 0012400099 (season type pre_season), gamebook and BDL
    day = PRESEASON_DAY
    nba_id, template_game, away, home = _games(con, OPENER)[0]
    final = con.execute(f"select max(processed_at) from {SCHEDULE} where game_id = ?", [nba_id]).fetchone()[0]
    pre_id, pre_game = "0012400099", f"{day:%Y%m%d}_{away}_{home}"
    _copy_row(con, SCHEDULE, "game_id = ? and processed_at = ?", [nba_id, final], {
        "game_id": pre_id, "game_code": f"{day:%Y%m%d}/{away}{home}", "game_date": day,
        "game_date_est": dt.datetime.combine(day, dt.time(19, 30)), "is_regular_season": False,
        "is_emirates_cup": False, "processed_at": dt.datetime.combine(day + dt.timedelta(days=1), dt.time(5)),
        "data_hash": "preseason"})
    pre_rows = [RawRow("nbac_schedule", _key(game_id=pre_id), "excluded", "preseason_game")]
    for table, full, stamp in ((GB, "nbac_gamebook_player_stats", 6), (BDL, "bdl_player_boxscores", 4)):
        players = [p for (p,) in con.execute(f"select player_lookup from {table} where game_id = ? "
                                            "order by player_lookup limit 3", [template_game]).fetchall()]
        for player in players:
            changes = {"game_id": pre_game, "game_date": day, "data_hash": "preseason",
                       "processed_at": dt.datetime.combine(day + dt.timedelta(days=1), dt.time(stamp))}
            if table == GB:
                changes["game_code"] = f"{day:%Y%m%d}/{away}{home}"
            _copy_row(con, table, one, [template_game, player], changes)
            pre_rows.append(RawRow(full, _gb_key(pre_game, player), "excluded", "preseason_game"))
    add(Kind("preseason_game", day, "excluded", tuple(pre_rows), absent_text=(pre_id, pre_game),
             absent_dates=(day,)))

    # future_date: a team box score dated 2031-01-07
    day = FUTURE_DAY
    _, game, away, home = _games(con, dt.date(2024, 11, 27))[0]
    future_game = f"{day:%Y%m%d}_{away}_{home}"
    _copy_row(con, TEAM_BOX, "game_id = ? and team_abbr = ?", [game, home], {
        "game_id": future_game, "game_date": day, "season_year": 2030, "data_hash": "future",
        "processed_at": dt.datetime.combine(day, dt.time(23))})
    add(Kind("future_date", day, "quarantined",
             (RawRow("nbac_team_boxscore", _key(game_id=future_game, team_abbr=home), "quarantined", "future_date"),),
             absent_text=(future_game, f"{day:%Y%m%d}"), absent_dates=(day,)))

    return {k.name: k for k in kinds}


@dataclass(frozen=True)
class NullRate:
    day: dt.date
    players: tuple[tuple[str, str], ...]  # (game_id, player_lookup) whose minutes became ''
    active: int                           # active gamebook rows of the date


def blank_minutes(con, day: dt.date = NULL_RATE_DAY, share: int = 20) -> NullRate:
    """Set the gamebook minutes of every `share`-th active player of the date (about 5 %) to ''."""
    active = con.execute(f"select game_id, player_lookup from {GB} where game_date = ? and player_status = 'active' "
                         "order by game_id, player_lookup", [day]).fetchall()
    chosen = [tuple(r) for r in active[share // 2::share]]
    for game, player in chosen:
        con.execute(f"update {GB} set minutes = '', minutes_decimal = null where game_id = ? and player_lookup = ?",
                    [game, player])
    return NullRate(day, tuple(chosen), len(active))
