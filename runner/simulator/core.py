"""``generate``: fill the 11 ``nba_raw`` tables of a DuckDB database, season by season."""
from __future__ import annotations

import contextlib
import queue
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import availability_tables, exhibitions, pbp_tables, props, tables
from .calendar import MAX_SEASON, MIN_SEASON
from .faults import FAULTS, FaultEffect, FaultInjector
from .frame import create_tables, insert
from .league import League
from .pbp import build_events, credit_assists_blocks
from .schema import RAW_SCHEMA, TABLES
from .season import REGULAR, simulate_season
from .teams import load_teams

EXPRS = {"bettingpros_player_points_props": {"offer_id": props.BP_OFFER_SQL}}


class SimulatorInputError(ValueError):
    """A bad argument to ``generate`` (season range, fault name, seed). The CLI maps it to exit 2."""


@dataclass
class GenerationReport:
    db_path: str | None
    seasons: list[int]
    seed: int
    faults: tuple[str, ...]
    row_counts: dict[str, int]
    fault_effects: list[FaultEffect] = field(default_factory=list)
    elapsed_seconds: float = 0.0

    def __str__(self) -> str:
        lines = [f"nba_raw simulated: seasons {self.seasons[0]}-{self.seasons[-1]}, seed {self.seed}, "
                 f"{sum(self.row_counts.values()):,} rows in {self.elapsed_seconds:.1f}s"
                 + (f" -> {self.db_path}" if self.db_path else "")]
        lines += [f"  {name:<34}{n:>12,}" for name, n in self.row_counts.items()]
        if self.faults:
            lines.append(f"  faults {', '.join(self.faults)}: {len(self.fault_effects)} effects")
        return "\n".join(lines)


def validate(first_season: int, last_season: int, seed: int, faults: Sequence[str]) -> tuple[str, ...]:
    for name, v in (("first_season", first_season), ("last_season", last_season)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or not MIN_SEASON <= v <= MAX_SEASON:
            raise SimulatorInputError(
                f"{name}={v!r} is out of range: seasons are start years from {MIN_SEASON} to {MAX_SEASON} "
                f"({MAX_SEASON} = {MAX_SEASON}-{(MAX_SEASON + 1) % 100:02d})")
    if first_season > last_season:
        raise SimulatorInputError(
            f"first_season={first_season} is after last_season={last_season}; need "
            f"{MIN_SEASON} <= first_season <= last_season <= {MAX_SEASON}")
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise SimulatorInputError(f"seed={seed!r} must be a non-negative integer")
    if isinstance(faults, str):
        faults = [faults]
    unknown = [f for f in faults if f not in FAULTS]
    if unknown:
        raise SimulatorInputError(
            f"unknown fault(s) {', '.join(map(repr, unknown))}; allowed faults: {', '.join(FAULTS)}")
    return tuple(dict.fromkeys(faults))


def generate(
    db_path: str | Path | duckdb.DuckDBPyConnection,
    first_season: int = 2021,
    last_season: int = 2025,
    seed: int = 7,
    faults: Sequence[str] = (),
) -> GenerationReport:
    """(Re)create schema ``nba_raw`` and its 11 tables, filled with seasons first..last.

    ``db_path`` is a DuckDB file path or an open connection. Same seed → identical table contents.
    Raises SimulatorInputError for a bad season range, seed or fault name."""
    faults = validate(first_season, last_season, seed, faults)
    t0 = time.perf_counter()
    own = not isinstance(db_path, duckdb.DuckDBPyConnection)
    if own:
        Path(db_path).parent.mkdir(parents=True, exist_ok=True)
        con = duckdb.connect(str(db_path))
        con.execute("set enable_progress_bar = false")
        # a bounded buffer pool: the whole run is one transaction, and DuckDB otherwise keeps every
        # written block cached (peak memory stays well under 2 GB)
        con.execute("set memory_limit = '768MB'")
    else:
        con = db_path
    effects: list[FaultEffect] = []
    teams = load_teams()
    order = list(TABLES.values())
    try:
        con.execute("begin transaction")
        create_tables(con, order)
        league = League(teams, seed)
        # generation (numpy, holds the GIL) overlaps with the inserts of the previous season (DuckDB,
        # releases it); at most one finished season waits in the queue
        with _Writer(con, order) as writer:
            for season in range(first_season, last_season + 1):
                season_tables, season_effects = _season(league, teams, season, seed, faults)
                effects += season_effects
                writer.put(season_tables)
        if last_season > first_season:
            # every natural key but the schedule's starts with a date (or a YYYYMMDD game id), so
            # seasons appended in order are already sorted; the 10-digit schedule ids are not
            t = TABLES["nbac_schedule"]
            keys = ", ".join((*t.natural_key, "processed_at"))
            con.execute(f"create or replace table {RAW_SCHEMA}.{t.name} as "
                        f"select * from {RAW_SCHEMA}.{t.name} order by {keys}")
        counts = {t.name: con.execute(f"select count(*) from {RAW_SCHEMA}.{t.name}").fetchall()[0][0] for t in order}
        con.execute("commit")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            con.execute("rollback")
        raise
    finally:
        if own:
            con.close()
    return GenerationReport(
        db_path=None if not own else str(db_path),
        seasons=list(range(first_season, last_season + 1)),
        seed=seed,
        faults=faults,
        row_counts=counts,
        fault_effects=effects,
        elapsed_seconds=round(time.perf_counter() - t0, 3),
    )


class _Writer:
    """A background thread inserting each season's tables while the next season is generated."""

    def __init__(self, con: duckdb.DuckDBPyConnection, order):
        self.con, self.order = con, order
        self.queue: queue.Queue = queue.Queue(maxsize=1)
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, name="nba-sim-writer", daemon=True)

    def __enter__(self) -> _Writer:
        self.thread.start()
        return self

    def put(self, season_tables: dict) -> None:
        """Hand a season over once the previous one is written (≤ 2 seasons in memory)."""
        self.queue.join()
        if self.error is not None:
            raise self.error
        self.queue.put(season_tables)

    def _run(self) -> None:
        while True:
            item = self.queue.get()
            try:
                if item is None:
                    return
                if self.error is None:
                    for t in self.order:
                        for part in item.pop(t.name):
                            insert(self.con, t, part, exprs=EXPRS.get(t.name))
            except BaseException as exc:  # re-raised in the main thread
                self.error = exc
            finally:
                item = None
                self.queue.task_done()

    def __exit__(self, exc_type, exc, tb) -> None:
        self.queue.put(None)
        self.thread.join()
        if exc is None and self.error is not None:
            raise self.error


def _season(league: League, teams, season: int, seed: int, faults: tuple[str, ...]):
    """(table name -> arrow tables to insert, fault effects) of one season: its real games (with the
    faults), then its exhibition games, from their own random stream (a season's real rows are the
    same with or without them)."""
    L = league.season(season)
    ss = np.random.SeedSequence([seed, 0x5EA5, season])
    s_games, s_pbp, s_exhibitions = ss.spawn(3)
    sg = simulate_season(season, L, teams, s_games)
    ev = build_events(sg, L, np.random.Generator(np.random.PCG64(s_pbp)))
    credit_assists_blocks(sg, ev)
    c = tables.make_ctx(season, seed, teams, L, sg, ev)
    out = {"nbac_schedule": tables.schedule(c)}
    out["nbac_gamebook_player_stats"] = tables.gamebook(c)
    out["bdl_player_boxscores"] = tables.bdl(c)
    out["nbac_team_boxscore"] = tables.team_boxscore(c)
    out["bigdataball_play_by_play"], out["nbac_play_by_play"] = pbp_tables.play_by_play(c)
    line_base = props.recent_average(c, sg.rows.stats["pts"], props.expected_points(c))
    rng_mkt = c.rng("market_noise")
    # books shade toward the median (scoring is right-skewed), plus market noise
    line_base = line_base * 0.96 * np.exp(rng_mkt.normal(0, 0.04, line_base.size)) + rng_mkt.normal(0, 0.5, line_base.size)
    out["odds_api_player_points_props"] = props.odds_api_props(c, line_base)
    out["bettingpros_player_points_props"] = props.bettingpros_props(c, line_base)
    out["odds_api_game_lines"] = props.game_lines(c)
    out["espn_team_rosters"] = availability_tables.espn_rosters(c)
    out["nbac_injury_report"] = availability_tables.injury_report(c)
    effects: list[FaultEffect] = []
    if faults:
        reg_dates = sorted({d for d, k in zip(sg.date, sg.kind) if k == REGULAR})
        inj = FaultInjector(seed, season, out, {n: t.natural_key for n, t in TABLES.items()}, reg_dates)
        effects = inj.apply(list(faults))
        out = inj.t
    extra = _exhibition_tables(L, teams, season, seed, s_exhibitions)
    return {name: [table, *([extra[name]] if name in extra else [])] for name, table in out.items()}, effects


EXHIBITION_STREAM = 0xE4  # Ctx.rng stream of the exhibition tables


def _exhibition_tables(L, teams, season: int, seed: int, ss: np.random.SeedSequence) -> dict:
    """The raw rows of the season's preseason and All-Star games, in the sources that carry them
    in real data: schedule, gamebook, BDL and team box scores, play-by-play (NBA.com; BigDataBall
    for preseason games only), game lines, and player props for the All-Star game only (books post
    no preseason player props). No ESPN roster snapshot or injury report: neither is published for
    them."""
    s_games, s_pbp = ss.spawn(2)
    L_ex = exhibitions.exhibition_league(L)
    teams_ex = (*teams, *exhibitions.all_star_teams(teams, season))
    sg = exhibitions.simulate_exhibitions(season, L_ex, teams_ex, s_games)
    ev = build_events(sg, L_ex, np.random.Generator(np.random.PCG64(s_pbp)))
    credit_assists_blocks(sg, ev)
    c = tables.make_ctx(season, seed, teams_ex, L_ex, sg, ev, stream=EXHIBITION_STREAM)
    out = {"nbac_schedule": tables.schedule(c),
           "nbac_gamebook_player_stats": tables.gamebook(c),
           "bdl_player_boxscores": tables.bdl(c),
           "nbac_team_boxscore": tables.team_boxscore(c)}
    out["bigdataball_play_by_play"], out["nbac_play_by_play"] = pbp_tables.play_by_play(c)
    line_base = props.recent_average(c, sg.rows.stats["pts"], props.expected_points(c))
    all_star_date = pa.scalar(sg.date[-1], pa.date32())
    for name, build in (("odds_api_player_points_props", props.odds_api_props),
                        ("bettingpros_player_points_props", props.bettingpros_props)):
        t = build(c, line_base)
        out[name] = t.filter(pc.equal(t["game_date"], all_star_date))
    out["odds_api_game_lines"] = props.game_lines(c)
    return out
