"""One season: schedule, regular-season box scores, standings, play-in and playoffs."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np

from .calendar import opening_night
from .games import Batch, BoxScoreSimulator, ReasonBook, Rows
from .players import SeasonLeague
from .schedule import assign_dates, regular_season_matchups, tipoff
from .teams import Team

REGULAR, PLAY_IN, PLAYOFFS = 0, 1, 2
PRESEASON, ALL_STAR = 3, 4  # exhibition games (runner/simulator/exhibitions.py)
ROUND_NAMES = ("first_round", "conf_semis", "conf_finals", "finals")


@dataclass
class SeasonGames:
    season: int
    date: list[date]
    day: np.ndarray
    home: np.ndarray
    away: np.ndarray
    kind: np.ndarray  # REGULAR / PLAY_IN / PLAYOFFS (/ PRESEASON / ALL_STAR for exhibitions)
    round_name: list[str | None]
    nba_game_id: list[str]
    tip: list[datetime]
    national: np.ndarray
    cup: np.ndarray
    n_ot: np.ndarray
    home_pts: np.ndarray
    away_pts: np.ndarray
    rows: Rows
    reasons: ReasonBook

    @property
    def n(self) -> int:
        return len(self.date)


def _concat_rows(parts: list[Rows]) -> Rows:
    offs = np.cumsum([0] + [p.pid.size for p in parts[:-1]])
    cat = lambda name: np.concatenate([getattr(p, name) for p in parts])  # noqa: E731
    r = Rows(game=cat("game"), side=cat("side"), team=cat("team"), pid=cat("pid"), status=cat("status"),
             reason=cat("reason"), seconds=cat("seconds"))
    r.stats = {k: np.concatenate([p.stats[k] for p in parts]) for k in parts[0].stats}
    r.seg_row = np.concatenate([p.seg_row + o for p, o in zip(parts, offs)])
    r.seg_k = cat("seg_k")
    r.seg = {k: np.concatenate([p.seg[k] for p in parts]) for k in parts[0].seg}
    return r


def simulate_season(season: int, league: SeasonLeague, teams: tuple[Team, ...],
                    ss: np.random.SeedSequence) -> SeasonGames:
    s_sched, s_box, s_tip = ss.spawn(3)
    rng = np.random.Generator(np.random.PCG64(s_sched))
    box_rng = np.random.Generator(np.random.PCG64(s_box))
    tip_rng = np.random.Generator(np.random.PCG64(s_tip))
    opener = opening_night(season)
    reasons = ReasonBook()
    sim = BoxScoreSimulator(league, box_rng, reasons)

    # --- regular season ----------------------------------------------------------------------
    matchups = regular_season_matchups(teams, rng)
    dates, date_idx = assign_dates(season, matchups, rng)
    G = len(matchups)
    days = np.array([(dates[i] - opener).days for i in date_idx], dtype=np.int64)
    home, away = matchups[:, 0].copy(), matchups[:, 1].copy()
    christmas = np.array([dates[i].month == 12 and dates[i].day == 25 for i in date_idx])
    national = (tip_rng.random(G) < 0.12) | (days == 0) | christmas
    tips = []
    xmas_slot = 0
    for g in range(G):
        d = dates[date_idx[g]]
        slot = -1
        if christmas[g]:
            slot, xmas_slot = xmas_slot, xmas_slot + 1
        tips.append(tipoff(d, teams[home[g]], bool(national[g]), tip_rng, slot))
    order = sorted(range(G), key=lambda g: (tips[g], teams[home[g]].abbr))
    order = np.asarray(order)
    home, away, days, national = home[order], away[order], days[order], national[order]
    tips = [tips[g] for g in order]
    game_dates = [opener + timedelta(days=int(x)) for x in days]
    cup = np.array([season >= 2023 and d.month == 11 and d.weekday() in (1, 4) for d in game_dates]) & \
        (tip_rng.random(G) < 0.8)
    yy = f"{season % 100:02d}"
    ids = [f"002{yy}{k + 1:05d}" for k in range(G)]
    prev_h, prev_a = _previous_days(days, home, away)
    batch = Batch(game=np.arange(G), day=days, home=home, away=away, postseason=np.zeros(G, dtype=bool),
                  home_prev=prev_h, away_prev=prev_a)
    parts = [sim.simulate(batch)]
    n_ot, hp, ap = [parts[0].n_ot], [parts[0].home_pts], [parts[0].away_pts]
    g_date, g_day, g_home, g_away = list(game_dates), list(days), list(home), list(away)
    g_kind, g_round, g_ids, g_tips, g_nat = [REGULAR] * G, [None] * G, ids, tips, list(national)
    g_cup = list(cup)

    # --- standings -------------------------------------------------------------------------------
    wins = np.zeros(30)
    hw = parts[0].home_pts > parts[0].away_pts
    np.add.at(wins, home[hw], 1)
    np.add.at(wins, away[~hw], 1)
    key = wins + rng.random(30) * 0.1
    seeds = {}
    for conf in ("East", "West"):
        members = [t.idx for t in teams if t.conference == conf]
        seeds[conf] = sorted(members, key=lambda t: -key[t])

    state = dict(next_game=G, last_day=dict.fromkeys(range(30)))

    def play(games: list[tuple[int, int, int, str | None, str]], d: date) -> np.ndarray:
        """Simulate games (home, away, kind, round, nba id) on date d; returns home-won flags."""
        k0 = state["next_game"]
        day = (d - opener).days
        b = Batch(game=np.arange(k0, k0 + len(games)), day=np.full(len(games), day),
                  home=np.array([x[0] for x in games]), away=np.array([x[1] for x in games]),
                  postseason=np.ones(len(games), dtype=bool),
                  home_prev=np.full(len(games), -100), away_prev=np.full(len(games), -100))
        r = sim.simulate(b)
        parts.append(r)
        n_ot.append(r.n_ot)
        hp.append(r.home_pts)
        ap.append(r.away_pts)
        for i, (h, a, kind, rnd, gid) in enumerate(games):
            g_date.append(d)
            g_day.append(day)
            g_home.append(h)
            g_away.append(a)
            g_kind.append(kind)
            g_round.append(rnd)
            g_ids.append(gid)
            slot_hour = 19.5 + (i % 2) * 2.5 if len(games) > 1 else 20.5
            g_tips.append(datetime.combine(d, datetime.min.time()) + timedelta(hours=slot_hour))
            g_nat.append(True)
            g_cup.append(False)
        state["next_game"] = k0 + len(games)
        return r.home_pts > r.away_pts

    # --- play-in (from 2020-21) ------------------------------------------------------------------
    reg_end = max(game_dates)
    if season >= 2020:
        d1 = reg_end + timedelta(days=2)
        n_pi = [0]

        def pid_(k):
            n_pi[0] += 1
            return f"005{yy}{n_pi[0]:05d}"

        first = {}
        for conf, d in (("East", d1), ("West", d1 + timedelta(days=1))):
            s = seeds[conf]
            res = play([(s[6], s[7], PLAY_IN, "play_in", pid_(0)), (s[8], s[9], PLAY_IN, "play_in", pid_(0))], d)
            w78, l78 = (s[6], s[7]) if res[0] else (s[7], s[6])
            w910 = s[8] if res[1] else s[9]
            first[conf] = (w78, l78, w910)
        d3 = d1 + timedelta(days=3)
        games = [(first[c][1], first[c][2], PLAY_IN, "play_in", pid_(0)) for c in ("East", "West")]
        res = play(games, d3)
        for i, conf in enumerate(("East", "West")):
            w78, l78, w910 = first[conf]
            eighth = l78 if res[i] else w910
            s = seeds[conf]
            seeds[conf] = s[:6] + [w78, eighth]
        po_start = d3 + timedelta(days=1)
    else:
        po_start = reg_end + timedelta(days=6)

    # --- playoffs -------------------------------------------------------------------------------
    _playoffs(play, seeds, wins, po_start, rng, yy)

    rows = _concat_rows(parts)
    return SeasonGames(
        season=season, date=g_date, day=np.asarray(g_day, dtype=np.int64), home=np.asarray(g_home, dtype=np.int64),
        away=np.asarray(g_away, dtype=np.int64), kind=np.asarray(g_kind, dtype=np.int64), round_name=g_round,
        nba_game_id=g_ids, tip=g_tips, national=np.asarray(g_nat, dtype=bool), cup=np.asarray(g_cup, dtype=bool),
        n_ot=np.concatenate(n_ot), home_pts=np.concatenate(hp), away_pts=np.concatenate(ap), rows=rows,
        reasons=reasons)


def _previous_days(days: np.ndarray, home: np.ndarray, away: np.ndarray):
    last = np.full(30, -100, dtype=np.int64)
    ph, pa = np.empty_like(days), np.empty_like(days)
    for g in np.argsort(days, kind="stable"):
        ph[g], pa[g] = last[home[g]], last[away[g]]
        last[home[g]] = last[away[g]] = days[g]
    return ph, pa


def _playoffs(play, seeds, wins, start: date, rng, yy: str) -> None:
    """Best-of-7 series (2-2-1-1-1), four rounds, event-driven one date at a time."""
    series = []  # dicts

    def new_series(hi, lo, rnd, idx, first_date):
        if wins[lo] > wins[hi]:
            hi, lo = lo, hi
        series.append(dict(hi=hi, lo=lo, rnd=rnd, idx=idx, w_hi=0, w_lo=0, n=0, next=first_date,
                           done=None, winner=None, next_round_floor=floors))

    # a round does not start before most of the previous one is over
    floors = {1: start + timedelta(days=15), 2: start + timedelta(days=31), 3: start + timedelta(days=45)}

    k = 0
    for conf in ("East", "West"):
        s = seeds[conf]
        for a, b in ((0, 7), (3, 4), (2, 5), (1, 6)):
            new_series(s[a], s[b], 0, k, start + timedelta(days=int((k + (conf == "West")) % 2)))
            k += 1
    # bracket: round r series i is fed by round r-1 series 2i and 2i+1
    while True:
        live = [x for x in series if x["done"] is None]
        if not live:
            break
        d = min(x["next"] for x in live)
        todays = [x for x in live if x["next"] == d]
        games = []
        for x in todays:
            gno = x["n"] + 1
            hi_home = gno in (1, 2, 5, 7)
            h, a = (x["hi"], x["lo"]) if hi_home else (x["lo"], x["hi"])
            idx_in_round = x["idx"]
            games.append((h, a, PLAYOFFS, ROUND_NAMES[x["rnd"]], f"004{yy}00{x['rnd'] + 1}{idx_in_round}{gno}"))
        res = play(games, d)
        for x, (h, a, *_), home_won in zip(todays, games, res):
            winner = h if home_won else a
            x["n"] += 1
            if winner == x["hi"]:
                x["w_hi"] += 1
            else:
                x["w_lo"] += 1
            if max(x["w_hi"], x["w_lo"]) == 4:
                x["done"] = d
                x["winner"] = x["hi"] if x["w_hi"] == 4 else x["lo"]
                _advance(x, series, new_series, rng)
            else:
                # every other day (the two conference finals alternate), some three-day gaps early
                # on, the Finals at a slower pace
                gap = 2 if x["rnd"] < 3 else int(rng.choice([2, 3]))
                if x["rnd"] < 2 and rng.random() < 0.35:
                    gap = 3
                nxt = d + timedelta(days=gap)
                while sum(1 for y in series if y is not x and y["done"] is None and y["next"] == nxt) >= 4:
                    nxt += timedelta(days=1)  # at most four playoff games on a date
                x["next"] = nxt


def _advance(x, series, new_series, rng) -> None:
    rnd, idx = x["rnd"], x["idx"]
    if rnd == 3:
        return
    sib_idx = idx ^ 1
    sib = [s for s in series if s["rnd"] == rnd and s["idx"] == sib_idx]
    if not sib or sib[0]["done"] is None:
        return
    y = sib[0]
    a, b = (x, y) if idx % 2 == 0 else (y, x)
    rest = 2 if rnd < 2 else int(rng.integers(4, 7))
    earliest = series[0]["next_round_floor"][rnd + 1]
    first = max(max(x["done"], y["done"]) + timedelta(days=rest), earliest + timedelta(days=idx % 2))
    new_series(a["winner"], b["winner"], rnd + 1, idx // 2, first)
