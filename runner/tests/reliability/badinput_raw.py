"""The raw side of the bad-input catalogue (runner/tests/reliability/badinput.py): the raw tables'
names, what a kind records (``Kind``, ``RawRow``, ``PlayerCheck``) and the helpers that find and edit
raw rows of the clean world."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

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


# -- helpers on the raw tables -----------------------------------------------------------------
def columns_of(con, table: str) -> list[str]:
    schema, name = table.split(".")
    return [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_schema = ? and table_name = ? "
        "order by ordinal_position", [schema, name]).fetchall()]


def copy_row(con, table: str, where: str, params: list, changes: dict[str, Any]) -> None:
    """Insert a copy of the one row matching `where`, with some columns changed."""
    cols = columns_of(con, table)
    assert set(changes) <= set(cols), set(changes) - set(cols)
    n = con.execute(f"select count(*) from {table} where {where}", params).fetchone()[0]
    assert n == 1, f"{table} where {where} {params}: {n} rows"
    select = ", ".join("?" if c in changes else c for c in cols)
    con.execute(f"insert into {table} select {select} from {table} where {where}",
                [changes[c] for c in cols if c in changes] + params)


def row_of(con, table: str, where: str, params: list) -> dict[str, Any]:
    cur = con.execute(f"select * from {table} where {where}", params)
    names = [d[0] for d in cur.description]
    rows = cur.fetchall()
    assert len(rows) == 1, f"{table} where {where} {params}: {len(rows)} rows"
    return dict(zip(names, rows[0]))


def games_of(con, day: dt.date) -> list[tuple[str, str, str, str]]:
    """(NBA game id, standard game id, away, home) of the final games of a date."""
    return con.execute(
        f"select game_id, strftime(game_date, '%Y%m%d') || '_' || away_team_tricode || '_' || home_team_tricode, "
        f"away_team_tricode, home_team_tricode from {SCHEDULE} where game_date = ? and game_status = 3 "
        "order by game_id", [day]).fetchall()


def is_regulation(con, game_id: str) -> bool:
    return {m for (m,) in con.execute(f"select minutes from {TEAM_BOX} where game_id = ?", [game_id]).fetchall()} \
        == {"240:00"}


def twin_players(con, day: dt.date, skip: set[str] = frozenset(), regulation: bool = True) -> list[tuple[str, str]]:
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
    return [(g, p) for g, p in rows if g not in skip and (not regulation or is_regulation(con, g))]


def natural_key(**parts: Any) -> str:
    """A natural_key text as classify_raw_rows writes it: col=value|col=value (NULL for NULL)."""
    return "|".join(f"{k}={'NULL' if v is None else v}" for k, v in parts.items())


def gb_key(game_id: str, player: str | None) -> str:
    return natural_key(game_id=game_id, player_lookup=player)


def fullwidth(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


def gamebook_edit(con, name: str, day: dt.date, assignments: str, **checks: Any) -> Kind:
    """A real gamebook row of a player with a valid twin BDL row, edited (``set <assignments>``) so that
    staging quarantines it for `name`: player_game_summary falls back to the BDL row."""
    game, player = twin_players(con, day)[0]
    con.execute(f"update {GB} set {assignments} where game_id = ? and player_lookup = ?", [game, player])
    return Kind(name, day, "quarantined",
                (RawRow("nbac_gamebook_player_stats", gb_key(game, player), "quarantined", name),),
                players=(PlayerCheck(player, day, "bdl", {"primary_source_used": "bdl_boxscores"}),), **checks)
