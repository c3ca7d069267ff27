"""Betting tables: Odds API player points props, BettingPros props, Odds API game lines.

Lines are set from what a bookmaker could know before tip-off: the player's recent average
(last 10 games of the season, shrunk toward his expected output early on), plus market noise.
"""
from __future__ import annotations

import hashlib

import numpy as np
import pyarrow as pa

from .frame import dates, dict_col, hhmm, num, ts
from .games import ACTIVE
from .players import ROTATION
from .tables import BUCKET, Ctx, H, M, S, _date_str, _stamp

# BettingPros offer ids are built in SQL at insert time (cheaper than 1.4 M Python strings)
BP_OFFER_SQL = ("cast(bp_event_id as varchar) || '-' || cast(_nba_id as varchar) || '-' || "
                "cast(market_type as varchar)")
ODDS_BOOKS = ("draftkings", "fanduel", "betmgm", "caesars")
ODDS_BOOK_P = np.array([0.95, 0.92, 0.55, 0.45])
BP_BOOKS = ("BettingPros Consensus", "DraftKings", "FanDuel", "BetMGM")
BP_BOOK_P = np.array([1.0, 0.93, 0.9, 0.7])


def event_ids(c: Ctx) -> np.ndarray:
    return np.array([hashlib.md5(f"{c.seed}:{gid}".encode()).hexdigest() for gid in c.g_std], dtype=object)


def recent_average(c: Ctx, values: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """Per player row: mean of ``values`` over the player's previous ≤ 10 played games of the season,
    shrunk toward ``prior`` (per row) with a weight of two games. NaN for rows without history use."""
    r = c.sg.rows
    played = (r.status == ACTIVE) & (r.seconds > 0)
    order = np.lexsort((r.game, r.pid))
    pid_s = r.pid[order]
    v = np.where(played, values, 0)[order].astype(np.float64)
    w = played[order].astype(np.float64)
    cv = np.concatenate([[0.0], np.cumsum(v)])
    cw = np.concatenate([[0.0], np.cumsum(w)])
    start = np.searchsorted(pid_s, pid_s, side="left")
    j = np.arange(order.size)
    # the last 10 played games: walk back over at most 20 rostered games
    a = np.maximum(j - 20, start)
    sum20, n20 = cv[j] - cv[a], cw[j] - cw[a]
    a10 = np.maximum(j - 10, start)
    sum10, n10 = cv[j] - cv[a10], cw[j] - cw[a10]
    use20 = n10 < 6
    s_, n_ = np.where(use20, sum20, sum10), np.where(use20, n20, n10)
    out = np.empty(order.size)
    out[order] = (s_ + 2.0 * prior[order]) / (n_ + 2.0)
    return out


def expected_points(c: Ctx) -> np.ndarray:
    """What the market expects from a player before seeing him play this season (per row)."""
    L, r = c.L, c.sg.rows
    return L.min_target[r.pid] * L.fga_rate[r.pid] * 1.28


def half_point(x: np.ndarray, u: np.ndarray, whole_share: float = 0.12) -> np.ndarray:
    """Mostly x.5 lines; some whole numbers (so that pushes exist)."""
    return np.maximum(np.where(u < whole_share, np.round(x), np.floor(x) + 0.5), 0.5)


def american(p: np.ndarray) -> np.ndarray:
    a = np.where(p >= 0.5, -100.0 * p / (1 - p), 100.0 * (1 - p) / p)
    a = np.round(a / 5) * 5
    return np.where(np.abs(a) < 100, np.where(p >= 0.5, -100, 100), a).astype(np.int64)


def decimal_odds(a: np.ndarray) -> np.ndarray:
    return np.round(np.where(a < 0, 1 + 100.0 / np.abs(a), 1 + a / 100.0), 2)


def price_pair(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    p_over = np.clip(0.5238 + rng.normal(0, 0.018, n), 0.44, 0.62)
    return american(p_over), american(1.045 - p_over)


# ----------------------------------------------------------------------------------------------
def odds_api_props(c: Ctx, line_base: np.ndarray) -> pa.Table:
    sg, r, L = c.sg, c.sg.rows, c.L
    rng = c.rng("odds_api_props")
    played = (r.status == ACTIVE) & (r.seconds > 0)
    p_cover = np.array([0.97, 0.62, 0.30, 0.08, 0.02])[L.role[r.pid]]
    p_cover = np.where(sg.kind[r.game] > 0, np.minimum(p_cover * 1.2, 0.99), p_cover)
    cover = np.flatnonzero(played & (rng.random(r.pid.size) < p_cover))
    base = half_point(line_base[cover], rng.random(cover.size))
    # books per player
    has = rng.random((cover.size, 4)) < ODDS_BOOK_P
    few = has.sum(axis=1) < 2
    has[few, 0] = has[few, 1] = True
    pr, pb = np.nonzero(has)
    prow = cover[pr]
    off = rng.choice([0.0, 0.5, -0.5, 1.0, -1.0], pr.size, p=[0.74, 0.06, 0.06, 0.07, 0.07])
    line_b = np.maximum(base[pr] + off, 0.5)
    g = r.game[prow]
    # snapshots per game: 2 or 3 before tip-off, sometimes one in-game
    n_pre = np.where(rng.random(sg.n) < 0.6, 3, 2)
    snap_min = np.stack([rng.integers(300, 421, sg.n), rng.integers(120, 201, sg.n), rng.integers(20, 61, sg.n)], 1)
    ingame_game = rng.random(sg.n) < 0.15
    ingame_min = -rng.integers(40, 91, sg.n)
    ingame_pair = ingame_game[g] & (rng.random(pr.size) < 0.3)
    n_snap = n_pre[g] + ingame_pair
    e_pair = np.repeat(np.arange(pr.size), n_snap)
    first = np.repeat(np.cumsum(n_snap) - n_snap, n_snap)
    k = np.arange(e_pair.size) - first  # snapshot number within the pair
    eg = g[e_pair]
    pre_slot = np.where(n_pre[eg] == 3, k, np.where(k == 0, 0, 2))
    mbt = np.where(k >= n_pre[eg], ingame_min[eg], snap_min[eg, np.minimum(pre_slot, 2)])
    move = rng.choice([0.0, 0.5, -0.5, 1.0, -1.0], e_pair.size, p=[0.82, 0.05, 0.05, 0.04, 0.04])
    move[k == 0] = 0.0
    cum = np.cumsum(move)
    cm = cum - cum[first]  # line moves accumulated since the pair's first snapshot (whose move is 0)
    line = np.maximum(line_b[e_pair] + cm, 0.5)
    in_game = k >= n_pre[eg]
    line = np.where(in_game, np.maximum(line + rng.choice([-1.5, -0.5, 0.5, 1.5], e_pair.size), 0.5), line)
    snap = c.g_tip_utc[eg] - mbt * M
    n = e_pair.size
    over_a, under_a = price_pair(rng, n)
    capture = snap + rng.integers(5, 90, n) * S
    last_upd = snap - rng.integers(0, 20, n) * M
    ev_id = event_ids(c)
    erow = prow[e_pair]
    # snapshot tags and file paths are per (game, snapshot slot): encode them once per slot
    slot = np.where(k >= n_pre[eg], 3, pre_slot)
    slot_code = eg * 4 + slot
    slot_first = np.zeros(4 * sg.n, dtype=np.int64)
    slot_first[slot_code] = np.arange(slot_code.size)
    slot_snap = snap[slot_first]
    slot_tag = np.char.add("snap-", hhmm(slot_snap)).astype(object)
    slot_game = np.repeat(np.arange(sg.n), 4)
    slot_paths = np.array([f"{BUCKET}/odds-api/player-props/{d}/{e}/{t}.json" for d, e, t in
                           zip(_date_str(c.g_date[slot_game]), ev_id[slot_game], slot_tag)], dtype=object)
    cols = {
        "game_id": dict_col(eg, c.g_std),
        "odds_api_event_id": dict_col(eg, ev_id),
        "game_date": dates(c.g_date[eg]),
        "game_start_time": ts(c.g_tip_utc[eg]),
        "home_team_abbr": dict_col(sg.home[eg], c.abbr),
        "away_team_abbr": dict_col(sg.away[eg], c.abbr),
        "snapshot_timestamp": ts(snap),
        "snapshot_tag": dict_col(slot_code, slot_tag),
        "capture_timestamp": ts(capture),
        "minutes_before_tipoff": num(mbt.astype(np.int64)),
        "bookmaker": dict_col(pb[e_pair], ODDS_BOOKS),
        "player_name": dict_col(r.pid[erow], c.ascii),
        "player_lookup": dict_col(r.pid[erow], c.lookup),
        "points_line": num(line),
        "over_price": num(decimal_odds(over_a)),
        "over_price_american": num(over_a),
        "under_price": num(decimal_odds(under_a)),
        "under_price_american": num(under_a),
        "bookmaker_last_update": ts(last_upd),
        "source_file_path": dict_col(slot_code, slot_paths),
        "processed_at": ts(capture + 2 * M),
    }
    return pa.table(cols)


# ----------------------------------------------------------------------------------------------
def bettingpros_props(c: Ctx, line_base: np.ndarray) -> pa.Table:
    sg, r, L = c.sg, c.sg.rows, c.L
    rng = c.rng("bettingpros_props")
    played = (r.status == ACTIVE) & (r.seconds > 0)
    n_rows = r.pid.size
    cat = np.asarray(sg.reasons.category + [""], dtype=object)
    rcat = cat[np.where(r.reason >= 0, r.reason, len(cat) - 1)]
    pulled = (r.status != ACTIVE) & np.isin(rcat, ["injury", "illness"]) & \
        (L.role[r.pid] <= ROTATION) & (rng.random(n_rows) < 0.25)
    offered = (played & (rng.random(n_rows) < 0.99)) | pulled
    idx = np.flatnonzero(offered)
    # markets: points always, a few rebounds / assists offers that staging must filter out
    reb_avg = recent_average(c, r.stats["oreb"] + r.stats["dreb"], L.min_target[r.pid] * 0.18)
    ast_avg = recent_average(c, r.stats["ast"], L.min_target[r.pid] * 0.1)
    mk_other = rng.random(idx.size)
    m_rows = [idx, idx[mk_other < 0.06], idx[(mk_other > 0.03) & (mk_other < 0.08)]]
    m_code = np.concatenate([np.full(m.size, i) for i, m in enumerate(m_rows)])
    m_row = np.concatenate(m_rows)
    m_line_src = np.concatenate([line_base[m_rows[0]], reb_avg[m_rows[1]], ast_avg[m_rows[2]]])
    m_line = half_point(m_line_src * np.exp(rng.normal(0, 0.04, m_row.size)) + rng.normal(0, 0.4, m_row.size),
                        rng.random(m_row.size))
    has = rng.random((m_row.size, 4)) < BP_BOOK_P
    pr, pb = np.nonzero(has)
    off = np.where(pb == 0, 0.0, rng.choice([0.0, 0.5, -0.5, 1.0, -1.0], pr.size, p=[0.7, 0.1, 0.1, 0.05, 0.05]))
    line = np.maximum(m_line[pr] + off, 0.5)
    over_a, under_a = price_pair(rng, pr.size)
    # two rows (over, under) per offer
    n = 2 * pr.size
    e = np.repeat(np.arange(pr.size), 2)
    side = np.tile([0, 1], pr.size)
    odds = np.where(side == 0, over_a[e], under_a[e])
    erow = m_row[pr[e]]
    g = r.game[erow]
    # best line: the best price among the sportsbooks (not the consensus) per offer and side
    grp = pr[e] * 2 + side
    cand = np.where(pb[e] == 0, -10_000, odds)
    best = np.full(grp.max() + 1 if grp.size else 0, -10_000)
    np.maximum.at(best, grp, cand)
    first_best = np.zeros(n, dtype=bool)
    is_b = (cand == best[grp]) & (pb[e] != 0)
    # keep a single best row per group
    order = np.lexsort((np.arange(n), ~is_b, grp))
    gs = grp[order]
    lead = np.r_[True, gs[1:] != gs[:-1]]
    first_best[order[lead]] = is_b[order[lead]]
    open_line = np.maximum(line[e] + rng.choice([0.0, 0.0, 0.5, -0.5, 1.0, -1.0], n), 0.5)
    open_odds = american(np.clip(0.5238 + rng.normal(0, 0.015, n), 0.45, 0.6))
    tip = c.g_tip_utc[g]
    opened = tip.astype("datetime64[D]") - np.timedelta64(1, "D") + 18 * H + (g % 97) * M
    updated = tip - (5 + (g * 13 + pb[e] * 7) % 100) * M
    is_active = np.where(played[erow], rng.random(n) >= 0.01, False)
    team = r.team[erow]
    br = np.array([t.br_code for t in c.teams], dtype=object)
    use_br = (br[team] != c.abbr[team]) & (rng.random(n) < 0.5)
    team_code = np.where(use_br, team + len(c.teams), team)
    markets = np.array(["points", "rebounds", "assists"], dtype=object)
    bp_event = 10_000_000 + (c.season % 100) * 20_000 + g
    nba_id = L.P["nba_id"][r.pid[erow]]
    paths = [f"{BUCKET}/bettingpros/player-props/{m}/{d}/props.json"
             for d in _date_str(c.g_date) for m in ("points", "rebounds", "assists")]
    cols = {
        "game_date": dates(c.g_date[g]),
        "market_type": dict_col(m_code[pr[e]], markets),
        "bp_event_id": num(bp_event),
        "_nba_id": num(nba_id),
        "bet_side": dict_col(side, ["over", "under"]),
        "player_name": dict_col(r.pid[erow], c.ascii),
        "player_lookup": dict_col(r.pid[erow], c.lookup),
        "player_team": dict_col(team_code, np.concatenate([c.abbr, br])),
        "bookmaker": dict_col(pb[e], BP_BOOKS),
        "points_line": num(line[e]),
        "odds_american": num(odds),
        "is_active": num(is_active),
        "is_best_line": num(first_best),
        "opening_line": num(open_line),
        "opening_odds": num(open_odds),
        "opening_timestamp": ts(opened),
        "bookmaker_last_update": ts(updated),
        "source_file_path": dict_col(g * 3 + m_code[pr[e]], paths),
        "processed_at": ts(tip.astype("datetime64[D]") + 15 * H + (g % 50) * M),
    }
    return pa.table(cols)


# ----------------------------------------------------------------------------------------------
def game_lines(c: Ctx) -> pa.Table:
    sg, L = c.sg, c.L
    rng = c.rng("odds_api_game_lines")
    G = sg.n
    margin = L.team_rating[sg.home] - L.team_rating[sg.away] + 2.5 + rng.normal(0, 1.5, G)
    u = rng.random(G)
    spread = -half_point(np.abs(margin), u, 0.2) * np.sign(margin + 1e-9)
    total = half_point(224.0 + rng.normal(0, 5.0, G), rng.random(G), 0.1)
    books = ("draftkings", "fanduel", "betmgm")
    has3 = rng.random(G) < 0.5
    n_books = np.where(has3, 3, 2)
    gb_game = np.repeat(np.arange(G), n_books)
    gb_book = np.arange(gb_game.size) - np.repeat(np.cumsum(n_books) - n_books, n_books)
    book_off = rng.choice([0.0, 0.5, -0.5], gb_game.size, p=[0.7, 0.15, 0.15])
    tot_off = rng.choice([0.0, 0.5, -0.5, 1.0], gb_game.size, p=[0.6, 0.15, 0.15, 0.1])
    # 2 snapshots × (2 spread + 2 total outcomes)
    rows = np.repeat(np.arange(gb_game.size), 8)
    snap_i = np.tile(np.repeat([0, 1], 4), gb_game.size)
    out_i = np.tile([0, 1, 2, 3], 2 * gb_game.size)
    g = gb_game[rows]
    move = np.where(rng.random(G) < 0.3, rng.choice([-0.5, 0.5], G), 0.0)
    tmove = np.where(rng.random(G) < 0.35, rng.choice([-1.0, -0.5, 0.5, 1.0], G), 0.0)
    sp = spread[g] + book_off[rows] + snap_i * move[g]
    sp = np.where(sp == 0, -0.5, sp)
    tt = total[g] + tot_off[rows] + snap_i * tmove[g]
    point = np.select([out_i == 0, out_i == 1, out_i == 2], [sp, -sp, tt], tt)
    p = np.clip(0.5238 + rng.normal(0, 0.012, rows.size), 0.48, 0.57)
    price = decimal_odds(american(p))
    mins = np.where(snap_i == 0, 360 + (g * 17) % 120, 30 + (g * 7) % 60)
    snap = c.g_tip_utc[g] - mins * M
    full = np.array([t.full_name for t in c.teams], dtype=object)
    n_teams = len(c.teams)  # 'Over' / 'Under' follow the team names
    outcome_code = np.select([out_i == 0, out_i == 1, out_i == 2],
                             [sg.home[g], sg.away[g], np.full(rows.size, n_teams)], n_teams + 1)
    outcome_vals = np.concatenate([full, ["Over", "Under"]])
    ev_id = event_ids(c)
    # file per (game, snapshot); the snapshot time of a game does not depend on the bookmaker
    snap_g = np.stack([c.g_tip_utc - (360 + (np.arange(G) * 17) % 120) * M,
                       c.g_tip_utc - (30 + (np.arange(G) * 7) % 60) * M], 1).ravel()
    pv = np.array([f"{BUCKET}/odds-api/game-lines/{d}/{e}/{st}.json" for d, e, st in
                   zip(_date_str(np.repeat(c.g_date, 2)), np.repeat(ev_id, 2), _stamp(snap_g))], dtype=object)
    cols = {
        "game_id": dict_col(g, c.g_std),
        "game_date": dates(c.g_date[g]),
        "snapshot_timestamp": ts(snap),
        "commence_time": ts(c.g_tip_utc[g]),
        "home_team": dict_col(sg.home[g], full),
        "away_team": dict_col(sg.away[g], full),
        "home_team_abbr": dict_col(sg.home[g], c.abbr),
        "away_team_abbr": dict_col(sg.away[g], c.abbr),
        "bookmaker_key": dict_col(gb_book[rows], books),
        "market_key": dict_col((out_i >= 2).astype(np.int64), ["spreads", "totals"]),
        "outcome_name": dict_col(outcome_code, outcome_vals),
        "outcome_price": num(price),
        "outcome_point": num(point),
        "source_file_path": dict_col(g * 2 + snap_i, pv),
        "processed_at": ts(snap + M),
    }
    return pa.table(cols)

