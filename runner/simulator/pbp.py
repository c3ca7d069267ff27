"""Play-by-play: one event per field-goal attempt and per free throw, consistent with the box score.

Events are built for every game (assists and blocks in the box score are counted from them); the
tables then publish BigDataBall events for ≈ 94 % of games and NBA.com events for the rest.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .allocation import group_ranks
from .players import SeasonLeague
from .season import SeasonGames

# shot kinds
K3, KMID, KPAINT = 0, 1, 2
SUB_3PT = ("3pt jump shot", "3pt pullup jump shot", "3pt step back jump shot", "3pt running jump shot")
SUB_MID = ("jump shot", "pullup jump shot", "fadeaway jump shot", "turnaround jump shot")
SUB_PAINT = ("layup", "driving layup", "dunk", "hook shot", "tip shot", "floating jump shot")
SUB_FT = ("free throw 1 of 1", "free throw 1 of 2", "free throw 2 of 2", "free throw 1 of 3",
          "free throw 2 of 3", "free throw 3 of 3", "free throw technical")
SUBTYPES = SUB_3PT + SUB_MID + SUB_PAINT + SUB_FT
NBAC_ACTION = {
    "3pt jump shot": "Jump Shot", "3pt pullup jump shot": "Pullup Jump Shot",
    "3pt step back jump shot": "Step Back Jump Shot", "3pt running jump shot": "Running Jump Shot",
    "jump shot": "Jump Shot", "pullup jump shot": "Pullup Jump Shot", "fadeaway jump shot": "Fadeaway Jump Shot",
    "turnaround jump shot": "Turnaround Jump Shot", "layup": "Layup Shot", "driving layup": "Driving Layup Shot",
    "dunk": "Dunk Shot", "hook shot": "Hook Shot", "tip shot": "Tip Layup Shot",
    "floating jump shot": "Floating Jump Shot", "free throw 1 of 1": "Free Throw 1 of 1",
    "free throw 1 of 2": "Free Throw 1 of 2", "free throw 2 of 2": "Free Throw 2 of 2",
    "free throw 1 of 3": "Free Throw 1 of 3", "free throw 2 of 3": "Free Throw 2 of 3",
    "free throw 3 of 3": "Free Throw 3 of 3", "free throw technical": "Free Throw Technical",
}
_FT0 = len(SUB_3PT) + len(SUB_MID) + len(SUB_PAINT)
ROLE_NONE, ROLE_ASSIST, ROLE_BLOCK = 0, 1, 2


@dataclass
class Events:
    """All shot and free-throw events of a season, sorted by (game, time)."""

    game: np.ndarray
    row: np.ndarray  # shooter's player row
    is_ft: np.ndarray
    made: np.ndarray
    three: np.ndarray
    distance: np.ndarray  # NaN for free throws
    subtype: np.ndarray  # index into SUBTYPES
    t: np.ndarray  # seconds elapsed
    period: np.ndarray
    clock: np.ndarray  # seconds left in the period
    role2: np.ndarray
    row2: np.ndarray  # -1 when no second player
    event_id: np.ndarray
    score_home: np.ndarray
    score_away: np.ndarray
    x: np.ndarray
    y: np.ndarray


def weighted_pick(weights: np.ndarray, grp_sorted: np.ndarray, target_grp: np.ndarray,
                  exclude: np.ndarray, u: np.ndarray) -> np.ndarray:
    """For each draw, a member of ``target_grp`` (members are contiguous in ``grp_sorted``) with
    probability ∝ weight, skipping ``exclude`` (a member index or -1). Returns -1 if none."""
    cum = np.concatenate([[0.0], np.cumsum(weights)])
    s = np.searchsorted(grp_sorted, target_grp, side="left")
    e = np.searchsorted(grp_sorted, target_grp, side="right")
    base = cum[s]
    total = cum[e] - base
    ex = exclude >= 0
    exc = np.clip(exclude, 0, None)
    wx = np.where(ex, weights[exc], 0.0)
    avail = total - wx
    x = base + u * avail
    x = np.where(ex & (x >= cum[exc]), x + wx, x)
    idx = np.searchsorted(cum, x, side="right") - 1
    idx = np.clip(idx, s, np.maximum(e - 1, s))
    bad = (avail <= 1e-9) | (ex & (idx == exclude)) | (weights[np.clip(idx, 0, weights.size - 1)] <= 0)
    return np.where(bad, -1, idx)


def build_events(sg: SeasonGames, L: SeasonLeague, rng: np.random.Generator) -> Events:
    r = sg.rows
    P = L.P
    S = r.seg
    n_seg = r.seg_row.size
    seg_idx = np.arange(n_seg)
    m3, m2 = S["fg3m"], S["fg2m"]
    x3, x2 = S["fg3a"] - m3, S["fg2a"] - m2
    ev_seg = np.concatenate([np.repeat(seg_idx, c) for c in (m3, x3, m2, x2)])
    n_fg = ev_seg.size
    ev_three = np.concatenate([np.ones(m3.sum() + x3.sum(), bool), np.zeros(m2.sum() + x2.sum(), bool)])
    ev_made = np.concatenate([np.ones(m3.sum(), bool), np.zeros(x3.sum(), bool),
                              np.ones(m2.sum(), bool), np.zeros(x2.sum(), bool)])
    row = r.seg_row[ev_seg]
    pid = r.pid[row]
    # zone of two-point attempts, conditional on the outcome so that zone percentages are realistic
    s = P["paint_share"][pid]
    pp, pm = P["fg_paint"][pid], P["fg_mid"][pid]
    p_paint = np.where(ev_made, s * pp / (s * pp + (1 - s) * pm),
                       s * (1 - pp) / (s * (1 - pp) + (1 - s) * (1 - pm)))
    u = rng.random((6, n_fg))
    kind = np.where(ev_three, K3, np.where(u[0] < p_paint, KPAINT, KMID))
    dist = np.where(
        kind == K3,
        np.where(u[1] < 0.22, 22.0 + u[2] * 1.6, np.where(u[1] < 0.97, 23.8 + u[2] * 3.7, 27.5 + u[2] * 6.0)),
        np.where(kind == KPAINT, np.where(u[1] < 0.58, np.abs(rng.normal(0, 1.3, n_fg)).clip(0, 3.0),
                                          3.0 + u[2] * 5.0),
                 8.1 + 13.8 * u[2] ** 0.8))
    dist = np.round(dist, 1)
    sub_k3 = (u[3] * len(SUB_3PT)).astype(np.int64)
    sub_mid = len(SUB_3PT) + (u[3] * len(SUB_MID)).astype(np.int64)
    sub_paint = len(SUB_3PT) + len(SUB_MID) + np.where(dist <= 3.0, (u[3] * 3).astype(np.int64),
                                                       3 + (u[3] * 3).astype(np.int64))
    subtype = np.where(kind == K3, sub_k3, np.where(kind == KMID, sub_mid, sub_paint))
    k = r.seg_k[ev_seg]
    t = _seg_time(k, u[4])

    # assists (teammate) and blocks (opponent)
    tg_rows = r.game * 2 + r.side
    secs = r.seconds.astype(np.float64)
    role2 = np.zeros(n_fg, dtype=np.int64)
    row2 = np.full(n_fg, -1, dtype=np.int64)
    p_ast = np.select([kind == K3, kind == KMID], [0.82, 0.55], 0.50)
    want_ast = ev_made & (u[5] < p_ast)
    ia = np.flatnonzero(want_ast)
    wa = P["ast"][r.pid] * secs
    pick = weighted_pick(wa, tg_rows, tg_rows[row[ia]], row[ia], rng.random(ia.size))
    role2[ia[pick >= 0]] = ROLE_ASSIST
    row2[ia[pick >= 0]] = pick[pick >= 0]
    p_blk = np.select([kind == K3, kind == KMID], [0.018, 0.06], 0.16)
    want_blk = ~ev_made & (rng.random(n_fg) < p_blk)
    ib = np.flatnonzero(want_blk)
    wb = P["blk"][r.pid] * secs
    pick = weighted_pick(wb, tg_rows, tg_rows[row[ib]] ^ 1, np.full(ib.size, -1), rng.random(ib.size))
    role2[ib[pick >= 0]] = ROLE_BLOCK
    row2[ib[pick >= 0]] = pick[pick >= 0]

    # free throws: and-ones after made shots, two- and three-shot trips, technicals
    fta, ftm = S["fta"], S["ftm"]
    made_fg_seg = np.bincount(ev_seg[ev_made], minlength=n_seg)
    and1 = np.minimum(rng.binomial(fta, 0.09), made_fg_seg)
    rest = fta - and1
    n3 = ((rest >= 3) & (S["fg3a"] > 0) & (rng.random(n_seg) < 0.12)).astype(np.int64)
    rest = rest - 3 * n3
    n2 = rest // 2
    tech = rest % 2
    # and-one: attach to randomly chosen made shots of the same segment
    im = np.flatnonzero(ev_made)
    rank = group_ranks(ev_seg[im], rng.random(im.size))
    a_ev = im[rank < and1[ev_seg[im]]]
    ft_seg = [ev_seg[a_ev]]
    ft_t = [t[a_ev] + 0.01]
    ft_sub = [np.full(a_ev.size, _FT0)]
    trip_seg = np.repeat(seg_idx, n2)
    trip_t = _seg_time(r.seg_k[trip_seg], rng.random(trip_seg.size))
    ft_seg += [trip_seg, trip_seg]
    ft_t += [trip_t, trip_t + 0.001]
    ft_sub += [np.full(trip_seg.size, _FT0 + 1), np.full(trip_seg.size, _FT0 + 2)]
    t3_seg = np.repeat(seg_idx, n3)
    t3_t = _seg_time(r.seg_k[t3_seg], rng.random(t3_seg.size))
    for j in range(3):
        ft_seg.append(t3_seg)
        ft_t.append(t3_t + 0.001 * j)
        ft_sub.append(np.full(t3_seg.size, _FT0 + 3 + j))
    tech_seg = np.repeat(seg_idx, tech)
    ft_seg.append(tech_seg)
    ft_t.append(_seg_time(r.seg_k[tech_seg], rng.random(tech_seg.size)))
    ft_sub.append(np.full(tech_seg.size, _FT0 + 6))
    ft_seg = np.concatenate(ft_seg)
    ft_t = np.concatenate(ft_t)
    ft_sub = np.concatenate(ft_sub)
    rank = group_ranks(ft_seg, rng.random(ft_seg.size))
    ft_made = rank < ftm[ft_seg]
    n_ft = ft_seg.size

    # all events, sorted by game then time
    e_seg = np.concatenate([ev_seg, ft_seg])
    e_row = r.seg_row[e_seg]
    e_game = r.game[e_row]
    e_t = np.concatenate([t, ft_t])
    is_ft = np.concatenate([np.zeros(n_fg, bool), np.ones(n_ft, bool)])
    order = np.lexsort((np.concatenate([subtype, ft_sub]), e_t, e_game))
    e_game, e_row, e_t, is_ft = e_game[order], e_row[order], e_t[order], is_ft[order]
    made = np.concatenate([ev_made, ft_made])[order]
    three = np.concatenate([ev_three, np.zeros(n_ft, bool)])[order]
    distance = np.concatenate([dist, np.full(n_ft, np.nan)])[order]
    sub = np.concatenate([subtype, ft_sub])[order]
    role2 = np.concatenate([role2, np.zeros(n_ft, np.int64)])[order]
    row2 = np.concatenate([row2, np.full(n_ft, -1)])[order]
    n = e_game.size
    period = np.where(e_t < 2880, 1 + (e_t // 720).astype(np.int64), 5 + ((e_t - 2880) // 300).astype(np.int64))
    p_start = np.where(period <= 4, (period - 1) * 720.0, 2880.0 + (period - 5) * 300.0)
    p_len = np.where(period <= 4, 720.0, 300.0)
    clock = np.round(np.clip(p_len - (e_t - p_start), 0.0, p_len), 2)
    # event ids with gaps (other event types are not published)
    gaps = rng.integers(1, 6, n)
    csum = np.cumsum(gaps)
    first = np.searchsorted(e_game, e_game, side="left")
    event_id = csum - csum[first] + gaps[first]
    pts = np.where(made, np.where(is_ft, 1, np.where(three, 3, 2)), 0)
    home = r.side[e_row] == 0
    ch, ca = np.cumsum(np.where(home, pts, 0)), np.cumsum(np.where(home, 0, pts))
    score_home = ch - ch[first] + np.where(home, pts, 0)[first]
    score_away = ca - ca[first] + np.where(home, 0, pts)[first]
    # court coordinates (tenths of feet from the rim), NBA.com style
    ang = (rng.random(n) - 0.5) * np.pi
    ang = np.where(three & (distance < 23.7), np.sign(ang) * (np.pi / 2 - 0.05), ang)
    x = np.where(is_ft, np.nan, np.round(10 * distance * np.sin(ang), 1))
    y = np.where(is_ft, np.nan, np.round(10 * distance * np.cos(ang), 1))
    return Events(game=e_game, row=e_row, is_ft=is_ft, made=made, three=three, distance=distance,
                  subtype=sub, t=e_t, period=period, clock=clock, role2=role2, row2=row2,
                  event_id=event_id, score_home=score_home, score_away=score_away, x=x, y=y)


def _seg_time(k: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Seconds elapsed for a uniform draw inside segment k, leaving the segment's last second free
    so that free throws placed just after an event stay in the same period."""
    return np.where(k == 0, u * 2879.0, 2880.0 + 300.0 * (k - 1) + u * 299.0)


def credit_assists_blocks(sg: SeasonGames, ev: Events) -> None:
    """Box-score assists and blocks are the counts of the events that credit each player."""
    n = sg.rows.pid.size
    a = ev.row2[ev.role2 == ROLE_ASSIST]
    b = ev.row2[ev.role2 == ROLE_BLOCK]
    sg.rows.stats["ast"] = np.bincount(a, minlength=n).astype(np.int64)
    sg.rows.stats["blk"] = np.bincount(b, minlength=n).astype(np.int64)
