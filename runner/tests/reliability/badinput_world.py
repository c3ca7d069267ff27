"""The world of the bad-input test (runner/tests/reliability/test_bad_input.py) and how its tests read
it: the module's ``World`` (the faulty copy, the clean world beside it, the runs, the report and the
alerts), the webhook that keeps the alerts, and the queries that find a kind's rows in the base
models, the quarantine and the public tables."""
from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import duckdb

from runner.simulator.schema import TABLES
from runner.tests.reliability.badinput import PUBLIC_SCHEMAS, Kind, NullRate
from runner.tests.reliability.conftest import Run

# the columns of a player_game_summary row a kind could corrupt
PLAYER_COLUMNS = ("team_abbr", "minutes_played", "points", "assists", "offensive_rebounds", "defensive_rebounds",
                  "steals", "blocks", "turnovers", "personal_fouls", "fg_attempts", "fg_makes", "three_pt_attempts",
                  "three_pt_makes", "ft_attempts", "ft_makes", "paint_attempts", "paint_makes", "mid_range_attempts",
                  "mid_range_makes", "three_attempts_pbp", "three_makes_pbp", "points_line", "opening_line",
                  "primary_source_used")


# -- the world ------------------------------------------------------------------------------------
@dataclass
class World:
    db: Path
    clean: Path
    kinds: dict[str, Kind]
    blanked: NullRate
    runs: dict[str, Run]
    report: dict[str, Any]
    keyfile: Path
    alerts: list[dict[str, Any]]
    seconds: dict[str, float] = field(default_factory=dict)  # the module's setup, step by step
    _connections: dict[Path, Any] = field(default_factory=dict)

    def q(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        return self._connect(self.db).execute(sql, list(params)).fetchall()

    def clean_q(self, sql: str, params: list | tuple = ()) -> list[tuple]:
        return self._connect(self.clean).execute(sql, list(params)).fetchall()  # read, never written

    def _connect(self, path: Path):
        """One connection per file for the module's queries (the runs are over when tests read)."""
        if path not in self._connections:
            self._connections[path] = duckdb.connect(str(path))
        return self._connections[path]

    def close(self) -> None:
        for con in self._connections.values():
            con.close()
        self._connections.clear()


def receiver() -> tuple[ThreadingHTTPServer, list[dict[str, Any]]]:
    """A webhook on 127.0.0.1 that keeps the JSON bodies it is sent."""
    bodies: list[dict[str, Any]] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            bodies.append(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"null"))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, bodies


# -- finding a kind's rows ------------------------------------------------------------------------
def quarantined(world: World, table: str, accounting_date: dt.date, natural_key: str, reason: str) -> list[tuple]:
    """The quarantine's rows of one table and accounting date with this natural key and reason."""
    return world.q("select source_table, accounting_date, natural_key, reason from nba_orchestration.raw_quarantine "
                   "where source_table = ? and accounting_date = ? and natural_key = ? and reason = ?",
                   [table, accounting_date, natural_key, reason])


def classified(world: World, table: str, day: dt.date, natural_key: str) -> list[tuple]:
    """(disposition, exclusion or rejection reason, processed_at) of the base model's rows of this
    natural key on this date."""
    date_column = TABLES[table].date_column
    return world.q(f"select row_disposition, coalesce(exclusion_reason, rejection_reason), processed_at "
                   f"from nba_raw.base_nba_raw__{table} where {date_column} = ? and natural_key = ? order by 3, 1",
                   [day, natural_key])


def raw_count(world: World, table: str, kind: Kind) -> int:
    date_column = TABLES[table].date_column
    if kind.accounting_date != kind.day:  # future rows: counted under 9999-12-31
        return world.q(f"select count(*) from nba_raw.{table} where {date_column} > current_date")[0][0]
    return world.q(f"select count(*) from nba_raw.{table} where {date_column} = ?", [kind.day])[0][0]


# -- the public tables ----------------------------------------------------------------------------
def public_columns(world: World) -> list[tuple[str, str, str]]:
    return world.q("select table_schema || '.' || table_name, column_name, data_type from information_schema.columns "
                   f"where table_schema in ({', '.join('?' * len(PUBLIC_SCHEMAS))}) order by 1, ordinal_position",
                   PUBLIC_SCHEMAS)


def by_table(columns) -> dict[str, list[tuple[str, str]]]:
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in columns:
        out.setdefault(table, []).append((column, kind))
    return out


def appearances(world: World, text: str | None = None, code: str | None = None,
                day: dt.date | None = None) -> list[str]:
    """Public table.column holding `text` (in any text, list or struct value), a value equal to
    `code`, or the date `day` (in a date column or a list of dates)."""
    found = []
    for table, columns in by_table(public_columns(world)).items():
        hits, values, names = [], [], []
        for column, kind in columns:
            ref = f'"{column}"'
            if text is not None and "VARCHAR" in kind:  # text, lists and structs of text
                hits.append(f"strpos(cast({ref} as varchar), ?) > 0")
                values.append(text)
            elif code is not None and kind == "VARCHAR":
                hits.append(f"{ref} = ?")
                values.append(code)
            elif day is not None and kind == "DATE":
                hits.append(f"{ref} = ?")
                values.append(day)
            elif day is not None and "DATE[]" in kind:  # historical_completeness.contributing_game_dates
                hits.append(f"strpos(cast({ref} as varchar), ?) > 0")
                values.append(str(day))
            else:
                continue
            names.append(column)
        if hits:
            counts = world.q(f"select {', '.join(f'count(*) filter (where {h})' for h in hits)} from {table}",
                             values)[0]
            found += [f"{table}.{c}" for c, n in zip(names, counts) if n]
    return found


def pgs_row(q, player: str, day: dt.date, columns=PLAYER_COLUMNS) -> dict[str, Any] | None:
    rows = q(f"select {', '.join(columns)} from nba_analytics.player_game_summary "
             "where player_lookup = ? and game_date = ?", [player, day])
    assert len(rows) <= 1
    return dict(zip(columns, rows[0])) if rows else None
