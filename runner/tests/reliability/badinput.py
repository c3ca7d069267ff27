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
from dataclasses import dataclass
from pathlib import Path

import duckdb

from runner.simulator.schema import TABLES as RAW_TABLES
from runner.tests.reliability.badinput_kinds import inject
from runner.tests.reliability.badinput_raw import (
    BACKFILL_SCHEMAS,
    END,
    GB,
    NULL_RATE_DAY,
    PUBLIC_SCHEMAS,
    RAW,
    START,
    Kind,
    PlayerCheck,
    RawRow,
)

__all__ = ["END", "NULL_RATE_DAY", "PUBLIC_SCHEMAS", "START", "Kind", "NullRate", "PlayerCheck", "RawRow",
           "blank_minutes", "inject", "strip_to_raw_tables"]


def strip_to_raw_tables(path: Path) -> None:
    """Drop every schema the backfill writes and staging (the tables and views of nba_raw that are
    not raw tables): the 11 raw tables stay."""
    with duckdb.connect(str(path)) as con:
        for schema in BACKFILL_SCHEMAS:
            con.execute(f"drop schema if exists {schema} cascade")
        staging = con.execute("select table_name, table_type from information_schema.tables "
                              "where table_schema = ?", [RAW]).fetchall()
        for name, kind in staging:
            if name not in RAW_TABLES:
                con.execute(f"drop {'view' if kind == 'VIEW' else 'table'} if exists {RAW}.{name} cascade")


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
