"""The bad-raw-input catalogue: each kind injected by direct SQL into one copy of the clean world.

Kinds sit on three consecutive game dates so that they do not mask each other: D1 holds the
row-level kinds (each on its own game or its own new row), D2 those that fail a team-level
Phase 3 gate (they block D2's dependants, so nothing else that needs them is on D2), D3 (the
day before D1) is the whole missing date. The empty table is a side table whose absence hides nothing else.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# D3 comes first: player_game_summary runs D3..D1 as one chunk (D2 is blocked), so the tests'
# stored failures hold both dates' rows (a later chunk would overwrite them)
D1, D2, D3 = dt.date(2024, 11, 11), dt.date(2024, 11, 12), dt.date(2024, 11, 10)
FUTURE = dt.date(2031, 1, 7)
GB = "nba_raw.nbac_gamebook_player_stats"
VARIANTS = {"BKN": "BRK", "UTA": "UTAH", "NOP": "NO", "PHX": "PHO", "GSW": "GS", "NYK": "NY", "SAS": "SA",
            "WAS": "WSH", "CHA": "CHO"}
ACCENTS = str.maketrans("aeiouAEIOU", "áéíóúÁÉÍÓÚ")


@dataclass
class Injected:
    """What each kind changed: its table, date and the identifying values the outcome must name."""

    kinds: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, kind: str, **facts: Any) -> None:
        self.kinds[kind] = facts


def _games(con, day: dt.date) -> list[tuple[str, str, str]]:
    return con.execute("select game_id, home_team_tricode, away_team_tricode from nba_raw.nbac_schedule "
                       "where game_date = ? and game_status = 3 order by game_id", [day]).fetchall()


def _gamebook_game(day: dt.date, home: str, away: str) -> str:
    """The analytics game id, YYYYMMDD_AWAY_HOME."""
    return f"{day:%Y%m%d}_{away}_{home}"


def _players(con, game_id: str, n: int = 12) -> list[str]:
    return [r[0] for r in con.execute(
        f"select player_lookup from {GB} where game_id = ? and player_status = 'active' and minutes like '%:%' "
        "order by player_lookup limit ?", [game_id, n]).fetchall()]


def _copy_row(con, table: str, where: str, params: list, changes: dict[str, Any]) -> None:
    """Insert a copy of the one row matching `where`, with some columns changed."""
    cols = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = 'nba_raw' and table_name = ? "
        "order by ordinal_position", [table.split(".")[1]]).fetchall()]
    select = ", ".join("?" if c in changes else c for c in cols)
    values = [changes[c] for c in cols if c in changes]
    con.execute(f"insert into {table} select {select} from {table} where {where}", values + params)


def inject(con) -> Injected:
    out = Injected()
    g1 = [_gamebook_game(D1, h, a) for _, h, a in _games(con, D1)]
    g2 = [(gid, _gamebook_game(D2, h, a), h, a) for gid, h, a in _games(con, D2)]
    one = f"{GB}.game_id = ? and {GB}.player_lookup = ?"

    # -- D1: row-level kinds, one game (or one new row) each ------------------------------------
    p = _players(con, g1[0])
    con.execute(f"update {GB} set minutes = '4O:12', minutes_decimal = null where {one}", [g1[0], p[0]])
    out.add("malformed_minutes", table="nbac_gamebook_player_stats", date=D1, key=p[0], value="4O:12")
    con.execute(f"update {GB} set minutes = '53:07', minutes_decimal = 53.1 where {one}", [g1[0], p[1]])
    out.add("overtime_minutes", table="nbac_gamebook_player_stats", date=D1, key=p[1], value=53.1)

    p = _players(con, g1[1])
    _copy_row(con, GB, one, [g1[1], p[0]], {"game_id": None, "player_lookup": "nullkeyplayer"})
    out.add("null_key", table="nbac_gamebook_player_stats", date=D1, key="game_id=NULL", value=None)
    _copy_row(con, GB, one, [g1[1], p[1]], {})
    out.add("exact_duplicate", table="nbac_gamebook_player_stats", date=D1, key=p[1], value=None)
    _copy_row(con, GB, one, [g1[1], p[2]], {"source_file_path": "gamebook/rescraped.json",
                                            "processed_at": dt.datetime(2024, 11, 12, 9, 0)})
    out.add("near_duplicate", table="nbac_gamebook_player_stats", date=D1, key=p[2], value="gamebook/rescraped.json")
    _copy_row(con, GB, one, [g1[1], p[3]], {"team_abbr": "XYZ", "player_lookup": "ghostxyz"})
    out.add("unknown_team", table="nbac_gamebook_player_stats", date=D1, key="ghostxyz", value="XYZ")
    _copy_row(con, GB, one, [g1[1], p[4]], {"player_lookup": None, "player_name": "???",
                                            "player_name_original": "???"})
    out.add("unresolvable_player", table="nbac_gamebook_player_stats", date=D1, key="player_lookup=NULL", value="???")

    variant_game = next(g for g in g1[2:] if g.split("_")[2] in VARIANTS)
    home = variant_game.split("_")[2]
    p = [r[0] for r in con.execute(f"select player_lookup from {GB} where game_id = ? and team_abbr = ? "
                                   "order by player_lookup limit 1", [variant_game, home]).fetchall()]
    con.execute(f"update {GB} set team_abbr = ? where {one}", [VARIANTS[home].lower(), variant_game, p[0]])
    out.add("team_code_variant", table="nbac_gamebook_player_stats", date=D1, key=p[0],
            value=VARIANTS[home].lower(), expected=home)
    rest = [g for g in g1[2:] if g != variant_game]

    p = _players(con, rest[0])
    name = con.execute(f"select player_name from {GB} where {one}", [rest[0], p[0]]).fetchone()[0]
    fancy = name.upper().translate(ACCENTS) + "\u200b"  # upper case, accents, a zero-width space
    con.execute(f"update {GB} set player_lookup = null, player_name = ? where {one}", [fancy, rest[0], p[0]])
    out.add("unicode_name", table="nbac_gamebook_player_stats", date=D1, key=p[0], value=fancy)

    p = _players(con, rest[1])
    con.execute(f"update {GB} set field_goals_made = field_goals_attempted + 3 where {one}", [rest[1], p[0]])
    out.add("fgm_above_fga", table="nbac_gamebook_player_stats", date=D1, key=p[0], column="fg_makes")
    con.execute(f"update {GB} set assists = -4 where {one}", [rest[1], p[1]])
    out.add("negative_stat", table="nbac_gamebook_player_stats", date=D1, key=p[1], column="assists", value=-4)

    p = _players(con, rest[2])
    con.execute(f"update {GB} set points = 250 where {one}", [rest[2], p[0]])
    out.add("extreme_value", table="nbac_gamebook_player_stats", date=D1, key=p[0], column="points", value=250)

    p = _players(con, rest[3])
    other = rest[4]
    _copy_row(con, GB, one, [rest[3], p[0]], {"game_id": other, "team_abbr": other.split("_")[2],
                                              "home_team_abbr": other.split("_")[2],
                                              "away_team_abbr": other.split("_")[1]})
    out.add("player_on_two_teams", table="nbac_gamebook_player_stats", date=D1, key=p[0], value=other)

    teams = {t for g in g1 for t in g.split("_")[1:]}
    away = sorted(t for t in ("ATL", "BOS", "CHI", "DEN", "MIA", "LAL", "LAC", "POR", "SAC", "TOR") if t not in teams)
    ghost_game = f"{D1:%Y%m%d}_{away[0]}_{away[1]}"
    p = _players(con, rest[5])
    _copy_row(con, GB, one, [rest[5], p[0]], {"game_id": ghost_game, "player_lookup": "ghostgameplayer",
                                              "team_abbr": away[1], "home_team_abbr": away[1],
                                              "away_team_abbr": away[0]})
    out.add("box_score_without_schedule_game", table="nbac_gamebook_player_stats", date=D1, key="ghostgameplayer",
            value=ghost_game)

    props = "nba_raw.odds_api_player_points_props"
    row = con.execute(f"select player_lookup from {props} where game_date = ? order by player_lookup limit 1",
                      [D1]).fetchone()
    _copy_row(con, props, "game_date = ? and player_lookup = ? and rowid = (select min(rowid) from "
              f"{props} where game_date = ? and player_lookup = ?)", [D1, row[0], D1, row[0]],
              {"player_lookup": "nosuchplayer", "player_name": "No Such Player"})
    out.add("props_unknown_player", table="odds_api_player_points_props", date=D1, key="nosuchplayer")
    lines = con.execute(f"select distinct player_lookup from {props} where game_date = ? and game_id = ? "
                        "order by 1 limit 2", [D1, rest[6] if len(rest) > 6 else rest[-1]]).fetchall()
    con.execute(f"update {props} set points_line = 0 where game_date = ? and player_lookup = ?", [D1, lines[0][0]])
    con.execute(f"update {props} set points_line = -5.5 where game_date = ? and player_lookup = ?", [D1, lines[1][0]])
    out.add("zero_or_negative_line", table="odds_api_player_points_props", date=D1,
            keys=[lines[0][0], lines[1][0]], values=[0, -5.5])

    # -- D2: team-level kinds (they fail D2's team gates) -----------------------------------------
    tb = "nba_raw.nbac_team_boxscore"
    gid, gb_game, home, away_team = g2[0]
    con.execute(f"update {tb} set points = points + 10 where game_date = ? and team_abbr = ?", [D2, home])
    out.add("team_box_disagrees_with_players", table="nbac_team_boxscore", date=D2, key=home)
    playing = {t for _, _, h, a in g2 for t in (h, a)}
    free = sorted(t for t in ("ATL", "BOS", "CHI", "DEN", "MIA", "LAL", "LAC", "POR", "SAC", "TOR", "DAL", "HOU")
                  if t not in playing)[:2]
    sched = "nba_raw.nbac_schedule"
    _copy_row(con, sched, "game_id = ?", [g2[1][0]], {"game_id": "0029999999", "home_team_tricode": free[0],
                                                      "away_team_tricode": free[1]})
    out.add("schedule_game_without_box_scores", table="nbac_schedule", date=D2, key="0029999999")
    _copy_row(con, sched, "game_id = ?", [g2[2][0]], {"game_status": 1, "game_status_text": "Scheduled",
                                                      "processed_at": dt.datetime(2024, 11, 14, 8, 0)})
    out.add("schedule_status_backwards", table="nbac_schedule", date=D2, key=g2[2][0])
    p = _players(con, g2[3][1])
    _copy_row(con, GB, one, [g2[3][1], p[0]], {"points": 99, "processed_at": dt.datetime(2024, 12, 3, 9, 0)})
    out.add("late_correction", table="nbac_gamebook_player_stats", date=D2, key=p[0], value=99)
    future_game = f"{FUTURE:%Y%m%d}_{g2[3][3]}_{g2[3][2]}"
    _copy_row(con, GB, one, [g2[3][1], p[1]], {"game_date": FUTURE, "game_id": future_game})
    out.add("game_in_the_future", table="nbac_gamebook_player_stats", date=FUTURE, key=p[1])

    # -- D3: a whole missing date; a whole empty table --------------------------------------------
    n = con.execute(f"select count(*) from {GB} where game_date = ?", [D3]).fetchone()[0]
    con.execute(f"delete from {GB} where game_date = ?", [D3])
    out.add("missing_date", table="nbac_gamebook_player_stats", date=D3, rows=n)
    con.execute("delete from nba_raw.bettingpros_player_points_props")
    out.add("empty_table", table="bettingpros_player_points_props", date=None)
    return out
