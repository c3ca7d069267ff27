"""Builders of the game-driven raw tables of one season (arrow tables in contract column order): the
schedule and the box scores here, the play-by-play in ``pbp_tables``, rosters and injury reports in
``availability_tables``; the season context (``Ctx``) they all read is here.

Conventions shared by every builder:
- ``game_id`` is ``YYYYMMDD_AWAY_HOME`` except in ``nbac_schedule`` (NBA 10-digit id).
- ``game_date_est`` is the US/Eastern wall clock; every other timestamp (snapshots, processed_at)
  is UTC without a time zone.
- ``processed_at`` derives from the game date, the game's sequence and the seed, never the clock.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date

import numpy as np
import pyarrow as pa

from .calendar import et_to_utc_offset_hours, season_nba_format
from .frame import const_str, dates, dict_col, nullable_float, num, pct, ts
from .games import ACTIVE, INACTIVE
from .pbp import Events
from .players import SeasonLeague, pid_names
from .season import ALL_STAR, PLAY_IN, PLAYOFFS, PRESEASON, REGULAR, SeasonGames
from .teams import Team

H = np.timedelta64(1, "h")
M = np.timedelta64(1, "m")
S = np.timedelta64(1, "s")
D = np.timedelta64(1, "D")
BUCKET = "gs://nba-scraped-data"


@dataclass
class Ctx:
    season: int
    seed: int
    teams: tuple[Team, ...]
    L: SeasonLeague
    sg: SeasonGames
    ev: Events
    abbr: np.ndarray
    g_date: np.ndarray  # datetime64[D]
    g_std: np.ndarray  # object
    g_code: np.ndarray
    g_tip_et: np.ndarray  # datetime64[s]
    g_tip_utc: np.ndarray
    g_jit: np.ndarray  # per-game seconds of jitter for processed_at
    full: np.ndarray  # per pid
    ascii: np.ndarray
    lookup: np.ndarray
    stream: int = 0  # 0: the season's real games; another value: its exhibition games

    def rng(self, purpose: str) -> np.random.Generator:
        h = int(hashlib.sha256(purpose.encode()).hexdigest()[:8], 16)
        key = [self.seed, 0x7AB1E, self.season, h] + ([self.stream] if self.stream else [])
        return np.random.Generator(np.random.PCG64(np.random.SeedSequence(key)))


def make_ctx(season: int, seed: int, teams: tuple[Team, ...], L: SeasonLeague, sg: SeasonGames, ev: Events,
             stream: int = 0) -> Ctx:
    abbr = np.array([t.abbr for t in teams], dtype=object)
    g_date = np.array(sg.date, dtype="datetime64[D]")
    ymd = [d.strftime("%Y%m%d") for d in sg.date]
    g_std = np.array([f"{y}_{abbr[a]}_{abbr[h]}" for y, h, a in zip(ymd, sg.home, sg.away)], dtype=object)
    g_code = np.array([f"{y}/{abbr[a]}{abbr[h]}" for y, h, a in zip(ymd, sg.home, sg.away)], dtype=object)
    tip_et = np.array(sg.tip, dtype="datetime64[s]")
    offs = np.array([et_to_utc_offset_hours(d) for d in sg.date])
    tip_utc = tip_et + offs * H
    jit = (np.arange(sg.n) * 7919 + seed * 104729 + season) % 3000
    full, asc, look = pid_names(L.pool)
    return Ctx(season, seed, teams, L, sg, ev, abbr, g_date, g_std, g_code, tip_et, tip_utc, jit, full, asc, look,
               stream)


def mmss(seconds: np.ndarray) -> np.ndarray:
    seconds = np.asarray(seconds, dtype=np.int64)
    return np.char.add(np.char.add(np.char.zfill((seconds // 60).astype(str), 2), ":"),
                       np.char.zfill((seconds % 60).astype(str), 2))


def _date_str(d: np.ndarray) -> np.ndarray:
    return np.datetime_as_string(d, unit="D")


def _stamp(t: np.ndarray) -> np.ndarray:
    """'20241023_061502' for file names."""
    s = np.datetime_as_string(t.astype("datetime64[s]"), unit="s")
    return np.char.replace(np.char.replace(np.char.replace(s, "-", ""), ":", ""), "T", "_")


# ----------------------------------------------------------------------------------------------
def schedule(c: Ctx) -> pa.Table:
    sg, teams = c.sg, c.teams
    n = sg.n
    g = np.concatenate([np.arange(n), np.arange(n)])
    final = np.concatenate([np.zeros(n, bool), np.ones(n, bool)])
    home, away = sg.home[g], sg.away[g]
    kind = sg.kind[g]
    ot = sg.n_ot[g]
    overtimes = np.char.add("Final/", np.char.add(ot.astype(str), "OT"))
    status_text = np.where(~final, "Scheduled", np.where(ot == 0, "Final", np.where(ot == 1, "Final/OT", overtimes)))
    hp, ap = sg.home_pts[g], sg.away_pts[g]
    winner = np.where(hp > ap, home, away)
    season_start_scrape = np.datetime64(date(c.season, 8, 14)) + np.timedelta64(17 * 60 + 5, "m")
    # regular-season and exhibition games are on the schedule published in August; play-in and
    # playoff games appear the day before
    pre = np.where(np.isin(kind[:n], (REGULAR, PRESEASON, ALL_STAR)), season_start_scrape, c.g_date - D + 20 * H)
    postseason = np.isin(kind, (PLAY_IN, PLAYOFFS))
    processed = np.concatenate([pre, c.g_date + D + 5 * H + 30 * M])
    fname = np.char.add(np.char.add(f"{BUCKET}/nba-com/schedule/{season_nba_format(c.season)}/",
                                    _stamp(processed)), ".json")
    tip_hour = (c.g_tip_et - c.g_tip_et.astype("datetime64[D]")).astype("timedelta64[m]").astype(np.int64) / 60
    primetime = sg.national & (tip_hour >= 19.5)
    rnd = np.array([x if x is not None else "" for x in sg.round_name], dtype=object)
    cols = {
        "game_id": dict_col(g, sg.nba_game_id),
        "game_code": dict_col(g, c.g_code),
        "season": const_str(str(c.season), 2 * n),
        "season_nba_format": const_str(season_nba_format(c.season), 2 * n),
        "season_year": num(np.full(2 * n, c.season)),
        "game_date": dates(c.g_date[g]),
        "game_date_est": ts(c.g_tip_et[g]),
        "game_status": num(np.where(final, 3, 1)),
        "game_status_text": pa.array(status_text.tolist(), pa.string()),
        "home_team_id": num(np.array([t.team_id for t in teams])[home]),
        "home_team_tricode": dict_col(home, c.abbr),
        "home_team_name": dict_col(home, [t.name for t in teams]),
        "away_team_id": num(np.array([t.team_id for t in teams])[away]),
        "away_team_tricode": dict_col(away, c.abbr),
        "away_team_name": dict_col(away, [t.name for t in teams]),
        "arena_name": dict_col(home, [t.arena_name for t in teams]),
        "arena_timezone": dict_col(home, [t.arena_timezone for t in teams]),
        "is_primetime": num(primetime[g]),
        "has_national_tv": num(sg.national[g]),
        "is_regular_season": num(kind == REGULAR),
        "is_playoffs": num(postseason),
        "is_all_star": num(kind == ALL_STAR),
        "is_emirates_cup": num(sg.cup[g]),
        "playoff_round": dict_col(np.where(postseason, g, -1), rnd),
        "home_team_score": num(hp, ~final),
        "away_team_score": num(ap, ~final),
        "winning_team_tricode": dict_col(np.where(final, winner, -1), c.abbr),
        "data_source": const_str("nba_com_schedule_api", 2 * n),
        "source_file_path": pa.array(fname.tolist(), pa.string()),
        "processed_at": ts(processed),
    }
    return pa.table(cols)


# ----------------------------------------------------------------------------------------------
def gamebook(c: Ctx) -> pa.Table:
    """All rostered players of every game: active, DNP and inactive."""
    sg, r = c.sg, c.sg.rows
    rng = c.rng("gamebook")
    n = r.pid.size
    g = r.game
    active = r.status == ACTIVE
    reason_text = np.asarray(sg.reasons.texts + [""], dtype=object)
    status_name = np.array(["active", "dnp", "inactive"], dtype=object)
    team_null = ~active & (rng.random(n) < 0.15)
    last = np.asarray(c.L.pool.last, dtype=object)
    name_orig_code = np.where(r.status == INACTIVE, r.pid + len(c.full), r.pid)
    name_orig_vals = np.concatenate([c.full, last])
    u = rng.random(n)
    minutes_str = np.where(active, mmss(r.seconds), np.where(u < 0.6, "", np.where(u < 0.85, "-", "")))
    minutes_null = ~active & (u < 0.6)
    st = r.stats
    stat_cols = {
        "points": st["pts"], "field_goals_made": st["fgm"], "field_goals_attempted": st["fga"],
        "three_pointers_made": st["fg3m"], "three_pointers_attempted": st["fg3a"],
        "free_throws_made": st["ftm"], "free_throws_attempted": st["fta"],
        "offensive_rebounds": st["oreb"], "defensive_rebounds": st["dreb"], "assists": st["ast"],
        "steals": st["stl"], "blocks": st["blk"], "turnovers": st["tov"], "personal_fouls": st["pf"],
    }
    processed = c.g_date[g] + D + 6 * H + c.g_jit[g] * S
    stamp = _stamp(c.g_date + D + 6 * H + c.g_jit * S)
    paths = [f"{BUCKET}/nba-com/gamebooks-data/{d}/{code.replace('/', '-')}/{st_}.json"
             for d, code, st_ in zip(_date_str(c.g_date), c.g_code, stamp)]
    cols = {
        "game_id": dict_col(g, c.g_std),
        "game_code": dict_col(g, c.g_code),
        "game_date": dates(c.g_date[g]),
        "season_year": num(np.full(n, c.season)),
        "home_team_abbr": dict_col(sg.home[g], c.abbr),
        "away_team_abbr": dict_col(sg.away[g], c.abbr),
        "player_name": dict_col(r.pid, c.full),
        "player_name_original": dict_col(name_orig_code, name_orig_vals),
        "player_lookup": dict_col(r.pid, c.lookup),
        "team_abbr": dict_col(np.where(team_null, -1, r.team), c.abbr),
        "player_status": dict_col(r.status, status_name),
        "dnp_reason": dict_col(np.where(active, -1, r.reason), reason_text),
        "name_resolution_status": dict_col(np.where(r.status == INACTIVE, 1, 0), ["original", "resolved"]),
        "minutes": pa.array(minutes_str.tolist(), pa.string(), mask=minutes_null),
        "minutes_decimal": num(np.round(r.seconds / 60.0, 2), ~active),
    }
    for k, v in stat_cols.items():
        cols[k] = num(v, ~active)
    cols["total_rebounds"] = num(st["oreb"] + st["dreb"], ~active)
    for k, (m_, a_) in {"field_goal_percentage": ("fgm", "fga"), "three_point_percentage": ("fg3m", "fg3a"),
                        "free_throw_percentage": ("ftm", "fta")}.items():
        p = pct(st[m_], st[a_])
        cols[k] = num(np.nan_to_num(p), ~active | np.isnan(p))
    cols["plus_minus"] = num(st["pm"], ~active)
    cols["source_file_path"] = dict_col(g, paths)
    cols["processed_at"] = ts(processed)
    return pa.table(cols)


# ----------------------------------------------------------------------------------------------
def bdl(c: Ctx) -> pa.Table:
    sg, r = c.sg, c.sg.rows
    rng = c.rng("bdl")
    keep = (r.status == ACTIVE) & (r.seconds > 0)
    idx = np.flatnonzero(keep)
    idx = idx[rng.random(idx.size) >= 0.004]  # a few players missing
    n = idx.size
    g = r.game[idx]
    st = {k: v[idx].copy() for k, v in r.stats.items()}
    sec = r.seconds[idx].copy()
    u = rng.random(n)
    pts_off = u < 0.02
    st["pts"] = np.where(pts_off, np.maximum(st["pts"] + rng.choice([-2, -1, 1, 2], n), 0), st["pts"])
    min_off = (u >= 0.02) & (u < 0.03)
    sec = np.where(min_off, np.maximum(sec + rng.choice([-60, 60], n), 0), sec)
    fmt_mm = (np.arange(sg.n) * 31 + c.season) % 3 == 0  # some games report whole minutes only
    mins = np.where(fmt_mm[g], np.rint(sec / 60).astype(np.int64).astype(str), mmss(sec))
    pos_bdl = np.array(["G", "G", "F", "F", "C", "G-F", "F-C"], dtype=object)
    ppos = c.L.P["position"][r.pid[idx]]
    hybrid = (r.pid[idx] % 5 == 0)
    bpos = np.where(hybrid & (ppos == 1), 5, np.where(hybrid & (ppos == 3), 6, ppos))
    processed = c.g_date[g] + D + 4 * H + c.g_jit[g] * S
    paths = np.char.add(np.char.add(f"{BUCKET}/ball-dont-lie/boxscores/", _date_str(c.g_date)),
                        np.char.add("/", np.char.add(_stamp(c.g_date + D + 4 * H), ".json")))
    jersey = c.L.P["jersey"][r.pid[idx]]
    cols = {
        "game_id": dict_col(g, c.g_std),
        "game_date": dates(c.g_date[g]),
        "season_year": num(np.full(n, c.season)),
        "game_status": const_str("Final", n),
        "period": num(4 + sg.n_ot[g]),
        "is_postseason": num(np.isin(sg.kind[g], (PLAY_IN, PLAYOFFS))),
        "home_team_abbr": dict_col(sg.home[g], c.abbr),
        "away_team_abbr": dict_col(sg.away[g], c.abbr),
        "home_team_score": num(sg.home_pts[g]),
        "away_team_score": num(sg.away_pts[g]),
        "team_abbr": dict_col(r.team[idx], c.abbr),
        "player_full_name": dict_col(r.pid[idx], c.ascii),
        "player_lookup": dict_col(r.pid[idx], c.lookup),
        "bdl_player_id": num(c.L.P["bdl_id"][r.pid[idx]]),
        "jersey_number": pa.array(jersey.astype(str).tolist(), pa.string()),
        "position": dict_col(bpos, pos_bdl),
        "minutes": pa.array(mins.tolist(), pa.string()),
        "points": num(st["pts"]), "field_goals_made": num(st["fgm"]), "field_goals_attempted": num(st["fga"]),
        "three_pointers_made": num(st["fg3m"]), "three_pointers_attempted": num(st["fg3a"]),
        "free_throws_made": num(st["ftm"]), "free_throws_attempted": num(st["fta"]),
        "offensive_rebounds": num(st["oreb"]), "defensive_rebounds": num(st["dreb"]),
        "assists": num(st["ast"]), "steals": num(st["stl"]), "blocks": num(st["blk"]),
        "turnovers": num(st["tov"]), "personal_fouls": num(st["pf"]),
        "rebounds": num(st["oreb"] + st["dreb"]),
        "field_goal_pct": nullable_float(pct(st["fgm"], st["fga"])),
        "three_point_pct": nullable_float(pct(st["fg3m"], st["fg3a"])),
        "free_throw_pct": nullable_float(pct(st["ftm"], st["fta"])),
        "source_file_path": dict_col(g, paths),
        "processed_at": ts(processed),
    }
    return pa.table(cols)


# ----------------------------------------------------------------------------------------------
def team_totals(c: Ctx) -> dict[str, np.ndarray]:
    """Sums of the active gamebook rows per team-game (index = game * 2 + side)."""
    r = c.sg.rows
    tg = r.game * 2 + r.side
    act = r.status == ACTIVE
    out = {k: np.bincount(tg, weights=np.where(act, v, 0), minlength=2 * c.sg.n).astype(np.int64)
           for k, v in r.stats.items()}
    out["sec"] = np.bincount(tg, weights=np.where(act, r.seconds, 0), minlength=2 * c.sg.n).astype(np.int64)
    return out


def team_boxscore(c: Ctx) -> pa.Table:
    sg, teams = c.sg, c.teams
    tot = team_totals(c)
    n = 2 * sg.n
    tg = np.arange(n)
    g, side = tg // 2, tg % 2
    team = np.where(side == 0, sg.home[g], sg.away[g])
    margin = np.where(side == 0, (sg.home_pts - sg.away_pts)[g], (sg.away_pts - sg.home_pts)[g])
    processed = c.g_date[g] + D + 5 * H + c.g_jit[g] * S
    paths = np.char.add(np.char.add(f"{BUCKET}/nba-com/boxscores-traditional/", _date_str(c.g_date)),
                        np.char.add("/", np.char.add(np.asarray(sg.nba_game_id).astype(str), ".json")))
    minutes = np.char.add((tot["sec"] // 60).astype(str), ":00")
    cols = {
        "game_id": dict_col(g, c.g_std),
        "nba_game_id": dict_col(g, sg.nba_game_id),
        "game_date": dates(c.g_date[g]),
        "season_year": num(np.full(n, c.season)),
        "team_id": num(np.array([t.team_id for t in teams])[team]),
        "team_abbr": dict_col(team, c.abbr),
        "team_name": dict_col(team, [t.name for t in teams]),
        "team_city": dict_col(team, [t.city for t in teams]),
        "is_home": num(side == 0),
        "minutes": pa.array(minutes.tolist(), pa.string()),
        "fg_made": num(tot["fgm"]), "fg_attempted": num(tot["fga"]),
        "fg_percentage": nullable_float(pct(tot["fgm"], tot["fga"])),
        "three_pt_made": num(tot["fg3m"]), "three_pt_attempted": num(tot["fg3a"]),
        "three_pt_percentage": nullable_float(pct(tot["fg3m"], tot["fg3a"])),
        "ft_made": num(tot["ftm"]), "ft_attempted": num(tot["fta"]),
        "ft_percentage": nullable_float(pct(tot["ftm"], tot["fta"])),
        "offensive_rebounds": num(tot["oreb"]), "defensive_rebounds": num(tot["dreb"]),
        "total_rebounds": num(tot["oreb"] + tot["dreb"]),
        "assists": num(tot["ast"]), "steals": num(tot["stl"]), "blocks": num(tot["blk"]),
        "turnovers": num(tot["tov"]), "personal_fouls": num(tot["pf"]),
        "points": num(tot["pts"]), "plus_minus": num(margin),
        "source_file_path": dict_col(g, paths),
        "processed_at": ts(processed),
    }
    return pa.table(cols)
